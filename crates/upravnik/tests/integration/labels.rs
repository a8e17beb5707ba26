//! Asset labels: the sheet as a page and as a PDF whose QR codes, decoded by zbarimg from the
//! rendered page, are the card pages' absolute addresses.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use upravnik_core::asset::AssetInput;

use crate::http::{App, pdf_text};
use crate::support::*;

const PUBLIC: &str = "https://upravnik.zajecar.example";

/// Decodes every QR code on the PDF's pages (pdftoppm at 300 dpi, then `zbarimg --raw`). Without
/// the tools it skips loudly, except in CI, where nothing may be skipped.
fn qr_codes(pdf: &[u8]) -> Option<Vec<String>> {
    let have = |cmd: &str, arg: &str| std::process::Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success());
    if !have("zbarimg", "--version") || !have("pdftoppm", "-v") {
        assert!(std::env::var("CI").is_err(), "zbar-tools (zbarimg) and poppler-utils (pdftoppm) must be installed in CI");
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n*** QR decoding SKIPPED: install zbar-tools (zbarimg) and poppler-utils (pdftoppm) to check that label QR codes open the card (CI does). ***\n"
            );
        });
        return None;
    }
    let dir = temp_dir("labels");
    let file = dir.join("labels.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftoppm").args(["-r", "300", "-png"]).arg(&file).arg(dir.join("page")).output().unwrap();
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let mut pngs: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "png")).collect();
    pngs.sort();
    assert!(!pngs.is_empty(), "pdftoppm rendered no page");
    let mut codes = vec![];
    for png in pngs {
        let out = std::process::Command::new("zbarimg").args(["--raw", "-q"]).arg(&png).output().unwrap();
        codes.extend(String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(String::from));
    }
    codes.sort();
    Some(codes)
}

fn ws(inv: &str, label: &str) -> AssetInput {
    AssetInput {
        kind: "workstation".into(),
        inventory_number: inv.into(),
        label: label.into(),
        manufacturer: "Dell".into(),
        model: "OptiPlex 7010".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn label_sheet_qr_codes_open_the_asset_cards() {
    for db in databases().await {
        let (s, _) = services(&db);
        let config = upravnik_web::WebConfig { public_url: Some(format!("{PUBLIC}/")), ..Default::default() };
        let st = upravnik_web::AppState::new(s.clone(), config).unwrap();
        let mut app = App { router: upravnik_web::router(st), cookie: String::new(), csrf: String::new() };
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        let a = s.create_asset(&admin, &ws("000451", "ST 07")).await.unwrap();
        let b = s.create_asset(&admin, &ws("000452", "ST 08")).await.unwrap();
        let printer =
            AssetInput { kind: "printer".into(), inventory_number: "ШТ-001".into(), model: "LaserJet".into(), ..Default::default() };
        let c = s.create_asset(&admin, &printer).await.unwrap();

        // The list links to the sheet for its filter; the asset's page to its own label.
        let list = app.get("/assets?kind=workstation").await;
        assert!(list.body.contains("href=\"/assets/labels?kind=workstation\""), "{}", list.body);
        assert!(app.get(&format!("/assets/{}", a.id)).await.body.contains(&format!("href=\"/assets/labels?ids={}\"", a.id)));

        let sheet = app.get("/assets/labels?kind=workstation").await;
        assert_eq!(sheet.status, StatusCode::OK);
        assert_eq!(sheet.body.matches("class=\"label\"").count(), 2, "{}", db.name);
        assert_eq!(sheet.body.matches("<svg").count(), 2);
        for t in ["ST 07", "ST 08", "000451", "радна станица · Dell OptiPlex 7010", "Градска управа града Зајечара", "2 налепнице"]
        {
            assert!(sheet.body.contains(t), "{t:?} on the sheet");
        }
        assert!(!sheet.body.contains("ШТ-001"), "the filter holds");
        assert!(sheet.body.contains("href=\"/assets/labels.pdf?kind=workstation\""));

        let pdf = app.get(&format!("/assets/labels.pdf?ids={},{}", a.id, c.id)).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"));
        if let Some(text) = pdf_text(&pdf.bytes) {
            for t in ["ST 07", "000451", "ШТ-001", "штампач · LaserJet", "Градска управа града Зајечара"]
            {
                assert!(text.contains(t), "{}: {t:?} on the PDF:\n{text}", db.name);
            }
            assert!(!text.contains("000452"));
        }
        if let Some(codes) = qr_codes(&pdf.bytes) {
            let mut want = vec![format!("{PUBLIC}/assets/{}", a.id), format!("{PUBLIC}/assets/{}", c.id)];
            want.sort();
            assert_eq!(codes, want, "{}: the QR codes open the cards", db.name);
        }
        // The card page the QR opens is the asset's page.
        assert!(app.get(&format!("/assets/{}", c.id)).await.body.contains("ШТ-001"));
        let _ = b;

        // More than a sheet's limit is refused with a clear message.
        let many: Vec<String> = (1..=1001).map(|i| i.to_string()).collect();
        let refused = app.get(&format!("/assets/labels?ids={}", many.join(","))).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Изабрано је 1001 средстава, а на један табак иде највише 1000 налепница"), "{}", refused.body);
        assert_eq!(app.get("/assets/labels?ids=x").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/assets/labels?ids=999999").await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn without_public_url_the_qr_codes_use_the_request_host() {
    let db = sqlite().await;
    let (s, _) = services(&db);
    let st = upravnik_web::AppState::new(s, upravnik_web::WebConfig::default()).unwrap();
    let mut h = HeaderMap::new();
    h.insert(header::HOST, HeaderValue::from_static("upravnik.local:8080"));
    assert_eq!(upravnik_web::ui::labels::base_url(&st, &h), "http://upravnik.local:8080");
    h.insert(header::HOST, HeaderValue::from_static("evil\"><script>"));
    assert_eq!(upravnik_web::ui::labels::base_url(&st, &h), "http://localhost", "a strange Host is not echoed");
    let svg = upravnik_web::ui::labels::qr_svg("http://upravnik.local:8080/assets/1").unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("viewBox"), "{svg}");
}
