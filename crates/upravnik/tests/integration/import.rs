//! Importing an equipment register: a messy spreadsheet as people keep them (a merged title row,
//! Cyrillic headers, dates as text, blank rows) is refused row by row with nothing written; the
//! corrected file is imported in one go; importing it again changes nothing; one changed cell is
//! one change with its history and work-log entry. On both databases, through the service, the
//! pages, the API and the command line.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use upravnik_core::asset::AssetQuery;
use upravnik_core::import::RowAction;
use upravnik_core::worklog::Filter;

use crate::http::{App, extract};
use crate::support::*;

const HEADERS: [&str; 10] = [
    "Р. бр.",
    "Инвентарски број",
    "Врста",
    "Произвођач",
    "Модел",
    "Серијски број",
    "IP адреса",
    "Просторија",
    "Датум набавке",
    "Набавна вредност",
];

/// One data row; `date_serial` writes the purchase date as an Excel number instead of text.
struct Line<'a> {
    inv: &'a str,
    kind: &'a str,
    make: &'a str,
    ip: &'a str,
    room: &'a str,
    date: &'a str,
}

fn line<'a>(inv: &'a str, kind: &'a str, make: &'a str, ip: &'a str, room: &'a str, date: &'a str) -> Line<'a> {
    Line { inv, kind, make, ip, room, date }
}

/// The register as a municipality keeps it: title merged across the columns, an empty row,
/// the header in Cyrillic on row 3, dates as text `01.02.2019.`, a blank row in the middle,
/// one date as an Excel serial number and one as a real date cell.
fn messy_xlsx(lines: &[Line<'_>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 9, "ЕВИДЕНЦИЈА ОПРЕМЕ 2024", &bold).unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold).unwrap();
    }
    let mut r = 3u32;
    for (i, l) in lines.iter().enumerate() {
        if i == 2 {
            r += 1; // a blank row (spreadsheet row 6)
        }
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, l.inv).unwrap();
        ws.write_string(r, 2, l.kind).unwrap();
        ws.write_string(r, 3, l.make).unwrap();
        ws.write_string(r, 4, "Модел X").unwrap();
        ws.write_string(r, 5, format!("SN-{}", l.inv)).unwrap();
        ws.write_string(r, 6, l.ip).unwrap();
        ws.write_string(r, 7, l.room).unwrap();
        match l.date {
            "serial" => {
                ws.write_number(r, 8, 43497.0).unwrap();
            }
            "cell" => {
                let d = ExcelDateTime::from_ymd(2020, 3, 4).unwrap();
                ws.write_datetime_with_format(r, 8, &d, &Format::new().set_num_format("dd.mm.yyyy")).unwrap();
            }
            text => {
                ws.write_string(r, 8, text).unwrap();
            }
        }
        ws.write_number(r, 9, 89990.5).unwrap();
        r += 1;
    }
    wb.save_to_buffer().unwrap()
}

fn messy() -> Vec<u8> {
    messy_xlsx(&[
        line("0001", "рачунар", "Dell", "10.0.0.11", "канц. 12", "01.02.2019."),
        line("0002", "Штампач", "HP", "10.0.0.300", "канц. 14", "1.2.2019"),
        line("0003", "монитор", "LG", "", "канц. 14", "serial"),
        line("0001", "UPS", "APC", "", "сервер сала", "2019-02-01"),
        line("0005", "свич", "Cisco", "10.0.0.15", "сервер сала", "cell"),
    ])
}

fn fixed(room_of_first: &str) -> Vec<u8> {
    messy_xlsx(&[
        line("0001", "рачунар", "Dell", "10.0.0.11", room_of_first, "01.02.2019."),
        line("0002", "Штампач", "HP", "10.0.0.12", "канц. 14", "1.2.2019"),
        line("0003", "монитор", "LG", "", "канц. 14", "serial"),
        line("0004", "UPS", "APC", "", "сервер сала", "2019-02-01"),
        line("0005", "свич", "Cisco", "10.0.0.15", "сервер сала", "cell"),
    ])
}

async fn asset_count(s: &upravnik_core::service::Services, admin: &upravnik_core::access::Actor) -> i64 {
    s.assets(admin, &AssetQuery { office_id: admin.office_id, page: 1, per_page: 500, ..Default::default() }).await.unwrap().total
}

#[tokio::test]
async fn a_messy_register_reports_every_error_and_imports_nothing_until_fixed() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let log_before = s.worklog(&admin, Filter { office_id: admin.office_id, limit: 1000, ..Default::default() }).await.unwrap().len();

        let r = s.import_file(&admin, "oprema.xlsx", &messy(), None, true).await.unwrap();
        let p = &r.preview;
        assert!(r.outcome.is_none(), "{}: a file with errors is not imported", db.name);
        assert_eq!(p.header_row, 3, "the header is found below the merged title");
        let mapped: Vec<Option<&str>> = p.columns.iter().map(|c| c.field.map(|f| f.as_str())).collect();
        assert_eq!(
            mapped,
            [
                None,
                Some("inventory_number"),
                Some("kind"),
                Some("manufacturer"),
                Some("model"),
                Some("serial"),
                Some("ip"),
                Some("room"),
                Some("purchase_date"),
                Some("price")
            ]
        );
        let errors: Vec<(u32, &str, &str, Option<u32>)> =
            p.errors.iter().map(|e| (e.row, e.column.as_str(), e.message, e.other_row)).collect();
        assert_eq!(
            errors,
            [(5, "IP адреса", "err-ip", None), (8, "Инвентарски број", "err-import-duplicate", Some(4))],
            "{}: errors name the spreadsheet's rows and columns",
            db.name
        );
        assert_eq!((p.counts.new, p.counts.invalid), (3, 2));
        assert_eq!(asset_count(&s, &admin).await, 0, "{}: nothing was written", db.name);
        let log_after = s.worklog(&admin, Filter { office_id: admin.office_id, limit: 1000, ..Default::default() }).await.unwrap().len();
        assert_eq!(log_before, log_after, "{}: nor logged", db.name);

        // Fixed: everything goes in at once.
        clock.advance_secs(60);
        let r = s.import_file(&admin, "oprema.xlsx", &fixed("канц. 12"), None, true).await.unwrap();
        assert!(r.preview.errors.is_empty(), "{:?}", r.preview.errors);
        let o = r.outcome.expect("imported");
        assert_eq!((o.created.len(), o.updated.len()), (5, 0), "{}", db.name);
        assert_eq!(asset_count(&s, &admin).await, 5);
        let first = s.asset(&admin, o.created[0]).await.unwrap();
        assert_eq!(first.fields.inventory_number, "0001");
        assert_eq!(first.fields.kind.as_str(), "workstation");
        assert_eq!(first.fields.purchase_date.as_deref(), Some("2019-02-01"));
        assert_eq!(first.fields.price_para, Some(8_999_050));
        assert_eq!(first.status.as_str(), "in_stock");
        let by_inv = |inv: &str| {
            let s = s.clone();
            let admin = admin.clone();
            let inv = inv.to_string();
            async move {
                let page = s
                    .assets(
                        &admin,
                        &AssetQuery { office_id: admin.office_id, q: Some(inv.clone()), per_page: 10, page: 1, ..Default::default() },
                    )
                    .await
                    .unwrap();
                page.items.into_iter().find(|a| a.fields.inventory_number == inv).unwrap()
            }
        };
        assert_eq!(by_inv("0002").await.fields.kind.as_str(), "printer");
        assert_eq!(by_inv("0003").await.fields.purchase_date.as_deref(), Some("2019-02-01"), "Excel serial 43497");
        assert_eq!(by_inv("0004").await.fields.kind.as_str(), "ups");
        assert_eq!(by_inv("0005").await.fields.purchase_date.as_deref(), Some("2020-03-04"), "a date cell");
        assert_eq!(by_inv("0005").await.fields.kind.as_str(), "switch");
        let log = s.worklog(&admin, Filter { office_id: admin.office_id, limit: 1000, ..Default::default() }).await.unwrap();
        assert_eq!(log.len(), log_before + 6, "{}: one entry per asset and one for the import", db.name);
        assert!(log[0].text.contains("oprema.xlsx") && log[0].text.contains("нових 5"), "{}", log[0].text);
        assert!(log.iter().any(|e| e.object.as_ref().is_some_and(|o| o.kind == "asset" && o.id == first.id.to_string())));
        assert!(s.verify_worklog().await.unwrap().broken.is_empty(), "{}: the chain stays intact", db.name);

        // The same file again: nothing new, nothing changed, nothing written.
        let again = s.import_file(&admin, "oprema.xlsx", &fixed("канц. 12"), None, true).await.unwrap();
        assert_eq!((again.preview.counts.new, again.preview.counts.changed, again.preview.counts.unchanged), (0, 0, 5), "{}", db.name);
        assert!(again.outcome.is_none());
        assert_eq!(
            s.worklog(&admin, Filter { office_id: admin.office_id, limit: 1000, ..Default::default() }).await.unwrap().len(),
            log.len()
        );

        // One cell changed: one change, kept in the history and the work log.
        clock.advance_secs(60);
        let changed = s.import_file(&admin, "oprema.xlsx", &fixed("канц. 15"), None, true).await.unwrap();
        assert_eq!((changed.preview.counts.new, changed.preview.counts.changed, changed.preview.counts.unchanged), (0, 1, 4));
        let row = changed.preview.rows.iter().find(|r| r.action == RowAction::Changed).unwrap();
        assert_eq!(row.row, 4);
        assert_eq!(changed.outcome.unwrap().updated, vec![first.id]);
        let h = s.asset_history(&admin, first.id).await.unwrap();
        assert_eq!(
            h.iter().map(|r| (r.field.as_str(), r.old.as_str(), r.new.as_str())).collect::<Vec<_>>(),
            [("room", "канц. 12", "канц. 15")],
            "{}",
            db.name
        );
        let entries = s
            .worklog(
                &admin,
                Filter {
                    office_id: admin.office_id,
                    object_kind: Some("asset".into()),
                    object_id: Some(first.id.to_string()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(entries[0].text.contains("канц. 15") && entries[0].text.contains("увоз"), "{}", entries[0].text);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn a_semicolon_csv_with_latin_headers() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let csv = "Evidencija opreme;;;;\n\
                   Inv. br.;Vrsta;Proizvođač;Serijski broj;IP adresa;Kancelarija;Datum nabavke;Cena;Oznaka\n\
                   \n\
                   A-1;Računar;Dell;SN1;10.1.0.1;12;01.02.2019.;89.990,00;ST 07\n\
                   A-2;štampač;HP;SN2;;14;2019-03-01;12000;\n\
                   A-3;laptop;Lenovo;SN3;10.1.0.3;15;;;ST 07\n";
        let r = s.import_file(&admin, "oprema.csv", csv.as_bytes(), None, false).await.unwrap();
        assert_eq!(r.preview.header_row, 2);
        assert_eq!(
            r.preview.errors.iter().map(|e| (e.row, e.field, e.message, e.other_row)).collect::<Vec<_>>(),
            [(6, "label", "err-import-duplicate", Some(4))],
            "{}",
            db.name
        );
        let fixed = csv.replace("15;;;ST 07", "15;;;ST 08");
        let o = s.import_file(&admin, "oprema.csv", fixed.as_bytes(), None, true).await.unwrap().outcome.expect("imported");
        assert_eq!(o.created.len(), 3);
        let a = s.asset(&admin, o.created[0]).await.unwrap();
        assert_eq!((a.fields.label, a.fields.price_para, a.fields.room.as_str()), (Some(7), Some(8_999_000), "12"));
        assert_eq!(s.next_label(&admin).await.unwrap(), 9, "{}: the highest label is remembered (R.12)", db.name);
        // An IP held by an asset already in the register is refused for another one.
        let clash = "Inv. br.;Vrsta;IP adresa\nA-9;ruter;10.1.0.1\n";
        let p = s.import_file(&admin, "x.csv", clash.as_bytes(), None, true).await.unwrap();
        assert_eq!(p.preview.errors.iter().map(|e| (e.row, e.message)).collect::<Vec<_>>(), [(2, "err-ip-taken")]);
        assert!(p.outcome.is_none());
    }
}

fn multipart(csrf_field: &str, filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----upravnikTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf_field}\r\n").as_bytes());
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &App, csrf_in_url: &str, filename: &str, bytes: &[u8]) -> crate::http::Res {
    let (ct, body) = multipart(&app.csrf, filename, bytes);
    let req = Request::post(format!("/assets/import?_csrf={csrf_in_url}"))
        .header(header::COOKIE, &app.cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn upload_preview_and_commit_through_the_pages_on_two_instances() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        // A second, stateless instance over the same database serves the later steps.
        let (mut other, _) = App::new(&db).await;
        other.cookie = app.cookie.clone();
        other.csrf = app.csrf.clone();

        assert!(app.get("/assets").await.body.contains("href=\"/assets/import\""), "the list links to the import");
        let form = app.get("/assets/import").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("enctype=\"multipart/form-data\""));

        let forged = upload(&app, "wrong", "oprema.xlsx", &messy()).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}: an upload without the CSRF token is refused", db.name);

        let too_big = upload(&app, &app.csrf, "big.csv", &vec![b'a'; 10 * 1024 * 1024 + 10]).await;
        assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(too_big.body.contains("10 MB"), "a clear message");
        // Larger than the 2 MiB limit of other requests, within the import's 10 MB: accepted.
        let mut big = b"Inv. br.;Vrsta;Napomena\nB-1;monitor;".to_vec();
        big.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
        let accepted = upload(&app, &app.csrf, "big.csv", &big).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}: a 3 MB register is accepted", db.name);
        let junk = upload(&app, &app.csrf, "x.xlsx", b"PK\x03\x04junk").await;
        assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(junk.body.contains("није CSV"));

        let up = upload(&app, &app.csrf, "oprema.xlsx", &messy()).await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{}: {}", db.name, up.body);
        let at = up.location.clone();
        let page = other.get(&at).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("ЕВИДЕНЦИЈА") || page.body.contains("Инвентарски број"));
        assert!(page.body.contains("<td>5</td><td>IP адреса</td>"), "row 5 and its column: {}", page.body);
        assert!(page.body.contains("„10.0.0.300“: IPv4 адреса"), "the cell's value is shown");
        assert!(page.body.contains("(као у реду 4)"));
        assert!(!page.body.contains("/commit\""), "no commit button while the file has errors");
        let refused = other.post(&format!("{at}/commit"), &[]).await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER);
        assert_eq!(asset_count(&s, &admin).await, 0, "{}", db.name);

        // Changing the mapping (IP column ignored) clears the IP error, and is kept in the database.
        let mut pairs: Vec<(String, String)> = vec![];
        for (i, f) in
            ["", "inventory_number", "kind", "manufacturer", "model", "serial", "", "room", "purchase_date", "price"].iter().enumerate()
        {
            pairs.push((format!("col{i}"), f.to_string()));
        }
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(app.post(&at, &refs).await.status, StatusCode::SEE_OTHER);
        let remapped = other.get(&at).await;
        assert!(!remapped.body.contains("<td>5</td><td>IP адреса</td>"));
        assert!(remapped.body.contains("<td>8</td><td>Инвентарски број</td>"));

        let good = upload(&app, &app.csrf, "oprema.xlsx", &fixed("канц. 12")).await;
        let at = good.location.clone();
        let page = other.get(&at).await;
        assert!(page.body.contains("Нових: 5"), "{}", page.body);
        let done = other.post(&format!("{at}/commit"), &[]).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert!(done.body.contains("Уведено нових средстава: 5"), "{}", done.body);
        let log_link = extract(&done.body, "href=\"/worklog/", "\"").unwrap();
        assert_eq!(app.get(&format!("/worklog/{log_link}")).await.status, StatusCode::OK);
        assert_eq!(asset_count(&s, &admin).await, 5);
        // The upload is gone with the commit: a second commit writes nothing.
        assert_eq!(app.post(&format!("{at}/commit"), &[]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(asset_count(&s, &admin).await, 5);
    }
}

#[tokio::test]
async fn the_api_previews_and_commits() {
    for db in databases().await {
        let (app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let (_, token) = s.create_api_token(&admin, "увоз").await.unwrap();
        let send = |query: &str, ct: &str, body: Vec<u8>| {
            Request::post(format!("/api/v1/assets/import{query}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, ct.to_string())
                .body(Body::from(body))
                .unwrap()
        };
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let r = app.send(send("", xlsx, messy())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["preview"]["errors"][0]["row"], 5);
        assert_eq!(v["preview"]["errors"][0]["message"], "err-ip");
        assert!(v["outcome"].is_null());

        let r = app.send(send("?commit=true", xlsx, messy())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["error"]["code"], "import_has_errors");
        assert_eq!(v["preview"]["counts"]["invalid"], 2);

        let r = app.send(send("?commit=true&filename=oprema.xlsx", xlsx, fixed("канц. 12"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["outcome"]["created"].as_array().map(|a| a.len()), Some(5), "{}", db.name);

        // An explicit mapping: only two columns, the rest ignored.
        let csv = "Ovo;Ono\nB-1;monitor\n";
        let mapping = serde_urlencoded::to_string([("mapping", r#"["inventory_number","kind"]"#)]).unwrap();
        let r = app.send(send(&format!("?{mapping}&commit=true"), "text/csv; charset=utf-8", csv.as_bytes().to_vec())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(asset_count(&s, &admin).await, 6);

        let mut big = b"Inv. br.;Vrsta;Napomena\nB-2;monitor;".to_vec();
        big.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
        let r = app.send(send("", "text/csv", big)).await;
        assert_eq!(r.status, StatusCode::OK, "a 3 MB body is within the import's limit");
        let r = app.send(send("", "text/csv", vec![b'x'; 11 * 1024 * 1024])).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(r.body.contains("too_large"));
        let r = app.send(send("", "application/json", b"{}".to_vec())).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let r = app.send(send("?mapping=%5B%22colour%22%5D", "text/csv", csv.as_bytes().to_vec())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// 10,000 rows in one XLSX through the command line's path (the service), on both databases.
/// The time is printed, not asserted (BENCHMARKS.md keeps the release figures).
#[tokio::test]
async fn ten_thousand_rows_import_in_one_transaction() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Инвентарски број", "Врста", "Произвођач", "Модел", "Серијски број", "IP адреса", "Просторија", "Датум набавке", "Цена"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let kinds = ["рачунар", "монитор", "штампач", "UPS", "свич"];
    for i in 0..10_000u32 {
        let r = i + 1;
        ws.write_string(r, 0, format!("{:06}", i + 1)).unwrap();
        ws.write_string(r, 1, kinds[i as usize % kinds.len()]).unwrap();
        ws.write_string(r, 2, "Dell").unwrap();
        ws.write_string(r, 3, "OptiPlex 7010").unwrap();
        ws.write_string(r, 4, format!("SN{i:08}")).unwrap();
        ws.write_string(r, 5, format!("10.1.{}.{}", i / 200, i % 200 + 1)).unwrap();
        ws.write_string(r, 6, format!("канц. {}", i % 40)).unwrap();
        ws.write_string(r, 7, "01.02.2019.").unwrap();
        ws.write_number(r, 8, 89990.0).unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let started = std::time::Instant::now();
        let r = s.import_file(&admin, "10000.xlsx", &bytes, None, true).await.unwrap();
        let elapsed = started.elapsed();
        assert!(r.preview.errors.is_empty(), "{:?}", &r.preview.errors[..r.preview.errors.len().min(5)]);
        assert_eq!(r.outcome.map(|o| o.created.len()), Some(10_000), "{}", db.name);
        eprintln!("import of 10,000 XLSX rows on {}: {:.2} s", db.name, elapsed.as_secs_f64());
        let again = std::time::Instant::now();
        let r = s.import_file(&admin, "10000.xlsx", &bytes, None, true).await.unwrap();
        assert_eq!(r.preview.counts.unchanged, 10_000);
        eprintln!("re-import (all unchanged) on {}: {:.2} s", db.name, again.elapsed().as_secs_f64());
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn the_command_line_prints_the_errors_and_imports_with_commit() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let dir = temp_dir("import-cli");
        let file = dir.join("oprema.csv");
        let run = |args: &[&str]| {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_upravnik"))
                .env_remove("UPRAVNIK_DATABASE_URL")
                .env_remove("UPRAVNIK_DATA_DIR")
                .env_remove("UPRAVNIK_CONFIG")
                .env("UPRAVNIK_LOG", "warn")
                .args(["--database-url", &db.url, "assets", "import"])
                .args(args)
                .output()
                .unwrap();
            (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
        };
        std::fs::write(&file, "Inv. br.;Vrsta;IP adresa\nK-1;računar;10.2.0.1\nK-2;frižider;10.2.0.2\n").unwrap();
        let path = file.to_string_lossy().into_owned();
        let (code, out) = run(&[&path, "--commit"]);
        assert_eq!(code, 1, "{}: {out}", db.name);
        assert!(out.contains("row 3, Vrsta „frižider“: непозната врста опреме") && out.contains("nothing imported"), "{out}");
        assert_eq!(asset_count(&s, &admin).await, 0);
        std::fs::write(&file, "Inv. br.;Vrsta;IP adresa\nK-1;računar;10.2.0.1\nK-2;switch;10.2.0.2\n").unwrap();
        let (code, out) = run(&[&path]);
        assert!(code == 0 && out.contains("new 2") && out.contains("preview only"), "{out}");
        assert_eq!(asset_count(&s, &admin).await, 0, "no --commit, no change");
        let (code, out) = run(&[&path, "--commit", "--office", &admin.office_id.to_string()]);
        assert!(code == 0 && out.contains("imported: 2 created"), "{}: {out}", db.name);
        assert_eq!(asset_count(&s, &admin).await, 2);
        let log = s.worklog(&admin, Filter { office_id: admin.office_id, limit: 1, ..Default::default() }).await.unwrap();
        assert!(log[0].text.contains("oprema.csv") && log[0].actor_user_id.is_none(), "{}", log[0].text);
    }
}
