//! Licensed software (R.23–R.30, Prilog 4) on both databases, end to end: real agent inventories
//! (a Windows workstation from FusionInventory's test data, this machine's Linux inventory)
//! posted to the agent endpoint, programs and licences defined for part of what they report, and
//! the findings: licensed, free, unlicensed with a removal task (R.30) written to the work log,
//! closed by a licence or by the next inventory without the program; the pages and the API.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use upravnik_core::software::{LicenceInput, ProductInput, RuleInput, Seats, Status};
use upravnik_core::worklog::Filter;

use crate::agent_endpoint::data;
use crate::http::App;
use crate::support::*;

async fn post_inventory(app: &App, xml: &[u8]) {
    let req = Request::post("/inventory").header(header::CONTENT_TYPE, "application/xml").body(Body::from(xml.to_vec())).unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

fn product(name: &str, category: &str) -> ProductInput {
    ProductInput { name: name.into(), vendor: String::new(), category: category.into(), note: String::new() }
}

#[tokio::test]
async fn r30_unlicensed_programs_found_in_real_inventories_become_tasks_that_close_themselves() {
    let windows = std::fs::read(data("xml-testdata/inventory_format-tests-12.xml")).unwrap();
    let linux = std::fs::read(data("local/fusioninventory-agent-2.6_local.xml")).unwrap();
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        assert_eq!(s.add_standard_ignore_rules(&admin).await.unwrap(), upravnik_core::software::STANDARD_IGNORE.len());
        post_inventory(&app, &windows).await;
        post_inventory(&app, &linux).await;

        // What no rule knows yet, by workstations; updates are ignored by the standard rules.
        let unknown: Vec<String> = s.software_unrecognised(&admin, 1000).await.unwrap().into_iter().map(|(n, _)| n).collect();
        for name in ["CCleaner", "Microsoft Office Famille et Petite Entreprise 2010", "OpenVPN 2.3.8-I001"] {
            assert!(unknown.iter().any(|n| n == name), "{}: {name} unknown: {unknown:?}", db.name);
        }
        assert!(!unknown.iter().any(|n| n.starts_with("Update for Microsoft Office")), "{}", db.name);
        assert!(unknown.len() > 100, "{}: the Linux packages too ({})", db.name, unknown.len());

        // Office with a licence for one device; OpenVPN free software; CCleaner and the agent without licences.
        let office = s
            .create_software_product(
                &admin,
                &product("Microsoft Office 2010 Home and Business", "system_application"),
                Some("Microsoft Office Famille et Petite Entreprise 2010"),
            )
            .await
            .unwrap();
        let one =
            LicenceInput { kind: "oem".into(), seats: "1".into(), contract: "Уз рачунар HP, 2015.".into(), ..Default::default() };
        s.add_software_licence(&admin, office, &one).await.unwrap();
        let vpn = s.create_software_product(&admin, &product("OpenVPN", "free"), Some("openvpn")).await.unwrap();
        let ccleaner = s.create_software_product(&admin, &product("CCleaner", "system_application"), Some("ccleaner")).await.unwrap();
        let agent = s
            .create_software_product(&admin, &product("FusionInventory Agent", "system_application"), Some("fusioninventory agent"))
            .await
            .unwrap();

        let view = |id: i64| {
            let s = s.clone();
            let admin = admin.clone();
            async move { s.software_product(&admin, id).await.unwrap() }
        };
        let o = view(office).await;
        assert_eq!((o.installed, o.seats, o.status), (1, Seats::Count(1), Status::Licensed), "{}", db.name);
        assert_eq!(view(vpn).await.status, Status::Licensed, "free software needs no licence (R.28)");
        assert_eq!(view(ccleaner).await.status, Status::Unlicensed);
        let tasks = s.software_tasks(&admin, true, None).await.unwrap();
        let mut open: Vec<&str> = tasks.iter().map(|t| t.product.as_str()).collect();
        open.sort_unstable();
        assert_eq!(open, ["CCleaner", "FusionInventory Agent"], "{}", db.name);
        let windows_asset = tasks[0].asset_id;
        let home = app.get("/").await.body;
        assert!(home.contains("2 програма без лиценце чекају уклањање (члан 30)"), "{}: the home page says so", db.name);
        assert!(tasks.iter().all(|t| t.asset_id == windows_asset));

        // A licence covers the agent: its task closes.
        let free = LicenceInput { kind: "free".into(), note: "GPL".into(), ..Default::default() };
        s.add_software_licence(&admin, agent, &free).await.unwrap();
        let all = s.software_tasks(&admin, false, None).await.unwrap();
        let closed = all.iter().find(|t| t.product == "FusionInventory Agent").unwrap();
        assert_eq!((closed.closed_us.is_some(), closed.close_reason.as_str()), (true, "покривен лиценцом"), "{}", db.name);

        // The next inventory no longer shows CCleaner: its task closes by itself.
        let without = String::from_utf8(windows.clone()).unwrap();
        let start =
            without.find("<SOFTWARES>\n      <ARCH>x86_64</ARCH>\n      <FROM>registry</FROM>\n      <GUID>CCleaner</GUID>").unwrap();
        let end = start + without[start..].find("</SOFTWARES>").unwrap() + "</SOFTWARES>".len();
        let without = format!("{}{}", &without[..start], &without[end..]);
        post_inventory(&app, without.as_bytes()).await;
        assert!(s.software_tasks(&admin, true, None).await.unwrap().is_empty(), "{}", db.name);
        let c = s.software_tasks(&admin, false, None).await.unwrap().into_iter().find(|t| t.product == "CCleaner").unwrap();
        assert_eq!(c.close_reason, "уклоњен (попис)");
        assert_eq!(view(ccleaner).await.status, Status::Unused);

        // Every task opened and closed is in the work log.
        let f = Filter { office_id: admin.office_id, limit: 2000, include_confidential_text: true, ..Default::default() };
        let log: Vec<String> = s.store.worklog(&f).await.unwrap().into_iter().map(|e| e.text).collect();
        for needle in [
            "Нелиценциран програм „CCleaner“",
            "Нелиценциран програм „FusionInventory Agent“",
            "затворен: покривен лиценцом",
            "затворен: уклоњен (попис)",
            "Лиценца за „Microsoft Office 2010 Home and Business“",
        ] {
            assert!(log.iter().any(|t| t.contains(needle)), "{}: {needle}", db.name);
        }

        // A rule from the suggestion list; a duplicate is refused with a clear message.
        let ign = RuleInput { product_id: None, kind: "exact".into(), pattern: "KB4019215".into(), version_prefix: String::new() };
        s.add_software_rule(&admin, &ign).await.unwrap();
        assert!(
            matches!(s.add_software_rule(&admin, &ign).await, Err(upravnik_core::Error::Invalid(e)) if e[0].message == "err-rule-duplicate")
        );
        assert!(!s.software_unrecognised(&admin, 1000).await.unwrap().iter().any(|(n, _)| n == "KB4019215"));

        // The pages: the list (and its XLSX), a program, the suggestions, compliance.
        let list = app.get("/software").await;
        assert!(list.body.contains("Microsoft Office 2010 Home and Business") && !list.body.contains("без лиценце"), "{}", db.name);
        let xlsx = app.get("/software?format=xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.content_type.contains("spreadsheetml"), "{}", xlsx.content_type);
        let page = app.get(&format!("/software/{office}")).await;
        assert!(
            page.body.contains("Уз рачунар HP, 2015.") && page.body.contains("microsoft office famille et petite entreprise 2010"),
            "{}",
            db.name
        );
        let sugg = app.get("/software/unrecognised").await.body;
        assert!(!sugg.contains("<td>CCleaner</td>") && !sugg.contains("<td>OpenVPN"), "known programs leave the suggestions");
        assert!(sugg.contains(&format!("<option value=\"{ccleaner}\">CCleaner</option>")), "and are offered for the rest");
        let comp = app.get("/software/compliance?status=all").await;
        assert!(comp.body.contains("уклоњен (попис)"), "{}", db.name);
        let r = app.post(&format!("/software/{agent}/licences"), &[("kind", "per_device"), ("seats", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "seats are needed for a per-device licence");
        let r = app.post("/software", &[("name", "WinRAR"), ("category", "system_application"), ("pattern", "winrar")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        // The API.
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/software", &token, None).await;
        assert_eq!(st, StatusCode::OK);
        assert!(v.as_array().unwrap().iter().any(|p| p["name"] == "OpenVPN" && p["installed"] == 1), "{v}");
        let (st, v) = app.api(Method::GET, "/api/v1/software/tasks?status=all", &token, None).await;
        assert_eq!((st, v.as_array().map(Vec::len)), (StatusCode::OK, Some(3)), "{v}: Office had one until its licence");
        let (st, v) = app.api(Method::POST, "/api/v1/software/recompute", &token, None).await;
        assert_eq!((st, v["workstations"].as_i64(), v["opened"].as_i64()), (StatusCode::OK, Some(2), Some(0)), "{v}");

        // Without its rule OpenVPN is recognised no more: its installation goes, its name is
        // unrecognised again (PostgreSQL writes only this difference, SQLite every row).
        let rule = s.software_rules(&admin).await.unwrap().into_iter().find(|r| r.product_id == Some(vpn)).unwrap();
        s.delete_software_rule(&admin, rule.id).await.unwrap();
        assert!(s.software_installed_on(&admin, vpn).await.unwrap().is_empty(), "{}", db.name);
        assert!(s.software_unrecognised(&admin, 1000).await.unwrap().iter().any(|(n, _)| n == "OpenVPN 2.3.8-I001"), "{}", db.name);
        assert_eq!(s.software_installed_on(&admin, office).await.unwrap().len(), 1, "{}: the rest stands", db.name);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

/// The suggestion list counts workstations per name from the installations and the office's
/// titles (no rows per workstation): a name in two versions on one machine counts once, on two
/// machines twice; a rule takes a name out; a written-off machine's programs leave the list; the
/// office-wide recompute and a workstation's own agree.
#[tokio::test]
async fn unrecognised_names_are_counted_by_workstation_from_the_installations() {
    use upravnik_core::asset::AssetStatus;
    use upravnik_core::inventory::AgentReport;
    use upravnik_inventory::model::Software;
    let program = |name: &str, version: &str| Software { name: name.into(), version: version.into(), ..Default::default() };
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let send = |inv: upravnik_inventory::Inventory| {
            let s = s.clone();
            async move {
                let raw = serde_json::to_vec(&inv).unwrap();
                let report = AgentReport { inventory: &inv, raw: &raw, raw_zlib: None, format: "json", remote_ip: None };
                s.receive(admin.office_id, report).await.unwrap().asset_id
            }
        };
        let mut a = crate::inventory::machine("PC-A", "SERA0001", "a4:bb:6d:00:00:01");
        a.softwares.extend([program("Paragraf Lex", "2024"), program("Paragraf Lex", "2025"), program(" Zoom ", "5.1")]);
        let mut b = crate::inventory::machine("PC-B", "SERB0002", "a4:bb:6d:00:00:02");
        b.softwares.extend([program("Paragraf Lex", "2023"), program("Zoom", "5.2")]);
        let pc_a = send(a).await;
        send(b.clone()).await;
        let count = |name: &'static str| {
            let s = s.clone();
            let admin = admin.clone();
            async move { s.software_unrecognised(&admin, 1000).await.unwrap().into_iter().find(|(n, _)| n == name).map(|(_, c)| c) }
        };
        assert_eq!(count("Paragraf Lex").await, Some(2), "{}: two workstations, three versions", db.name);
        assert_eq!(count("Zoom").await, Some(2), "{}: names are trimmed", db.name);
        assert_eq!(count("Program 07").await, Some(2), "{}", db.name);
        let first = s.software_unrecognised(&admin, 1).await.unwrap();
        assert_eq!(first.len(), 1, "the limit holds");

        // The office-wide recompute finds the same, and counts both workstations.
        let r = s.recompute_software_now(&admin).await.unwrap();
        assert_eq!((r.workstations, r.installations), (2, 105), "{}", db.name);
        assert_eq!(count("Paragraf Lex").await, Some(2), "{}", db.name);

        // A rule takes the name out; a new version on a third machine stays out.
        let rule = RuleInput { product_id: None, kind: "prefix".into(), pattern: "Paragraf".into(), version_prefix: String::new() };
        s.add_software_rule(&admin, &rule).await.unwrap();
        assert_eq!(count("Paragraf Lex").await, None, "{}", db.name);
        let mut c = crate::inventory::machine("PC-C", "SERC0003", "a4:bb:6d:00:00:03");
        c.softwares.push(program("Paragraf Lex", "2026"));
        send(c).await;
        assert_eq!(count("Paragraf Lex").await, None, "{}: recognised as the rule says", db.name);
        assert_eq!(count("Program 07").await, Some(3), "{}", db.name);

        // A machine written off runs nothing any more.
        s.set_asset_status(&admin, pc_a, AssetStatus::InStock, "").await.unwrap();
        s.set_asset_status(&admin, pc_a, AssetStatus::WrittenOff, "Решење 3/2026").await.unwrap();
        assert_eq!(count("Program 07").await, Some(2), "{}", db.name);
        assert_eq!(count("Zoom").await, Some(1), "{}", db.name);
        assert_eq!(s.recompute_software_now(&admin).await.unwrap().workstations, 2, "{}", db.name);

        // A workstation's next inventory without a program takes it off the count.
        b.softwares.retain(|p| p.name != "Zoom");
        send(b).await;
        assert_eq!(count("Zoom").await, None, "{}", db.name);
    }
}
