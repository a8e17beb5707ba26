//! Internet access (R.32), misuse (R.32, R.34), antivirus coverage (R.31, R.60) and software
//! install requests (R.30, R.62.7) on both databases, end to end: real agent inventories posted
//! to the agent endpoint, the policy exports checked by a real Squid (`squid -k parse`) and a real
//! Unbound (`unbound-checkconf`) from Debian, the pages and the API.

use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::antivirus::Coverage;
use upravnik_core::asset::AssetInput;
use upravnik_core::internet::{AccessInput, MisuseInput, SiteCategory, Social};
use upravnik_core::software::ProductInput;
use upravnik_core::software_requests::{DecisionInput, RequestInput, RequestState};
use upravnik_core::worklog::{Category, Filter};

use crate::agent_endpoint::data;
use crate::http::App;
use crate::support::*;

async fn post_inventory(app: &App, xml: &str) {
    let req = Request::post("/inventory").header(header::CONTENT_TYPE, "application/xml").body(Body::from(xml.to_string())).unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn log_texts(s: &upravnik_core::service::Services, office_id: i64) -> Vec<(Category, String)> {
    let f = Filter { office_id, limit: 5000, include_confidential_text: true, ..Default::default() };
    s.store.worklog(&f).await.unwrap().into_iter().map(|e| (e.category, e.text)).collect()
}

fn windows() -> String {
    String::from_utf8(std::fs::read(data("xml-testdata/inventory_format-tests-12.xml")).unwrap()).unwrap()
}

/// The Windows inventory with one antivirus block changed.
fn with_antivirus(xml: &str, name: &str, from: &str, to: &str) -> String {
    let at = xml.find(&format!("<NAME>{name}</NAME>")).expect("antivirus block");
    let start = xml[..at].rfind("<ANTIVIRUS>").unwrap();
    let end = at + xml[at..].find("</ANTIVIRUS>").unwrap();
    let block = xml[start..end].replace(from, to);
    format!("{}{block}{}", &xml[..start], &xml[end..])
}

fn without_sections(xml: &str, tag: &str) -> String {
    let mut out = xml.to_string();
    while let Some(start) = out.find(&format!("<{tag}>")) {
        let end = start + out[start..].find(&format!("</{tag}>")).unwrap() + tag.len() + 3;
        out.replace_range(start..end, "");
    }
    out
}

#[tokio::test]
async fn r60_antivirus_coverage_follows_the_inventories() {
    let xml = windows();
    let linux = String::from_utf8(std::fs::read(data("local/fusioninventory-agent-2.6_local.xml")).unwrap()).unwrap();
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        post_inventory(&app, &xml).await;
        post_inventory(&app, &linux).await;
        let rows = s.antivirus_coverage(&admin).await.unwrap();
        assert_eq!(rows.len(), 2, "{}", db.name);
        let win = rows.iter().find(|r| r.os.to_lowercase().contains("windows")).expect("the Windows workstation");
        let win_id = win.asset_id;
        assert_eq!(win.coverage, Coverage::Protected, "{}: {:?}", db.name, win.antivirus);
        assert!(win.antivirus.as_deref().unwrap().contains("Kaspersky Endpoint Security 10 for Windows"));
        let lin = rows.iter().find(|r| r.asset_id != win_id).unwrap();
        assert_eq!(lin.coverage, Coverage::NotReported, "{}: no Security Center on Linux", db.name);

        // Defender off, Kaspersky's definitions out of date: a change of the workstation, logged.
        let stale = with_antivirus(
            &with_antivirus(&xml, "Windows Defender", "<ENABLED>1</ENABLED>", "<ENABLED>0</ENABLED>"),
            "Kaspersky Endpoint Security 10 for Windows",
            "<UPTODATE>1</UPTODATE>",
            "<UPTODATE>0</UPTODATE>",
        );
        post_inventory(&app, &stale).await;
        let row = |rows: Vec<upravnik_core::internet_service::AntivirusRow>| rows.into_iter().find(|r| r.asset_id == win_id).unwrap();
        assert_eq!(row(s.antivirus_coverage(&admin).await.unwrap()).coverage, Coverage::Outdated, "{}", db.name);
        let log = log_texts(&s, admin.office_id).await;
        assert!(
            log.iter()
                .any(|(_, t)| t.contains("антивирус") && t.contains("Kaspersky Endpoint Security 10 for Windows (застареле дефиниције)")),
            "{}: {log:?}",
            db.name
        );
        // The same report again changes nothing and logs nothing.
        let before = log.len();
        post_inventory(&app, &stale).await;
        assert_eq!(log_texts(&s, admin.office_id).await.len(), before, "{}", db.name);

        // A full report without antivirus: none at all.
        post_inventory(&app, &without_sections(&xml, "ANTIVIRUS")).await;
        assert_eq!(row(s.antivirus_coverage(&admin).await.unwrap()).coverage, Coverage::Missing, "{}", db.name);
        let problems = s.antivirus_coverage(&admin).await.unwrap().iter().filter(|r| r.coverage.is_problem()).count();
        assert_eq!((s.antivirus_problems(&admin).await.unwrap(), problems), (1, 1), "{}: the home page's count is the list's", db.name);

        // The page lists the problems by default, everything on request; the home page counts.
        let page = app.get("/software/antivirus").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<td class=\"error\">нема антивирус</td>"), "{}", db.name);
        assert!(!page.body.contains("<td class=\"muted\">агент не јавља</td>"), "{}: problems only", db.name);
        let all = app.get("/software/antivirus?status=all").await.body;
        assert!(all.contains("<td class=\"muted\">агент не јавља</td>"), "{}", db.name);
        assert!(app.get("/").await.body.contains("Рачунара без исправне антивирусне заштите: 1"), "{}", db.name);
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/software/antivirus", &token, None).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(v[0]["coverage"], "missing", "{v}");
    }
}

fn workstation(inv: &str, label: &str, ip: &str) -> AssetInput {
    AssetInput { kind: "workstation".into(), inventory_number: inv.into(), label: label.into(), ip: ip.into(), ..Default::default() }
}

/// Runs a checker on a generated file; the output must hold no warning or error.
fn check_file(dir: &Path, name: &str, text: &str, cmd: &str, args: &[&str]) {
    let path = dir.join(name);
    write(&path, text);
    let out = Command::new(cmd).args(args).arg(&path).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd} refused {name}:\n{all}\n---\n{text}");
    for bad in ["WARNING", "Warning", "ERROR", "FATAL", "error:"] {
        assert!(!all.contains(bad), "{cmd} on {name}: {bad}\n{all}\n---\n{text}");
    }
}

/// Squid and Unbound from Debian; in CI (`UPRAVNIK_TEST_REQUIRE_FILTERS=1`) they must be there.
fn filters_present() -> bool {
    let ok = has("squid") && has("unbound-checkconf");
    if !ok {
        assert!(std::env::var("UPRAVNIK_TEST_REQUIRE_FILTERS").is_err(), "squid and unbound-checkconf are required here");
        eprintln!("SKIPPED: squid or unbound-checkconf not installed; the exports are not checked by the real filters");
    }
    ok
}

#[tokio::test]
async fn r32_access_per_workstation_exported_to_squid_and_unbound() {
    let check = filters_present();
    let dir = temp_dir("internet");
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        app.login("admin", ADMIN_PW).await;
        let a = s.create_asset(&admin, &workstation("1001", "ST 1", "10.0.1.5")).await.unwrap();
        let b = s.create_asset(&admin, &workstation("1002", "ST 2", "10.0.1.6")).await.unwrap();
        s.create_asset(&admin, &workstation("1003", "ST 3", "")).await.unwrap();
        // R.32: nothing is open until granted.
        let hosts = s.internet_hosts(&admin).await.unwrap();
        assert_eq!(hosts.len(), 3);
        assert!(hosts.iter().all(|h| !h.access_or_default().allowed), "{}", db.name);

        assert!(s.add_standard_sites(&admin).await.unwrap() > 20);
        assert_eq!(s.add_standard_sites(&admin).await.unwrap(), 0, "{}: the same list twice adds nothing", db.name);
        assert_eq!(s.add_internet_sites(&admin, "games", "https://www.Igrice.rs/top").await.unwrap(), 1);
        assert_eq!(s.add_internet_sites(&admin, "social", "m.facebook.com, *.vk.com").await.unwrap(), 2);
        let bad = s.add_internet_sites(&admin, "games", "ok.rs bad..rs").await;
        assert!(matches!(bad, Err(Error::Invalid(e)) if e[0].message == "err-domain-format"), "{}", db.name);
        assert!(!s.internet_sites(&admin).await.unwrap().iter().any(|x| x.domain == "ok.rs"), "a bad name adds nothing");

        // ST 1: internet, social networks asked for; ST 2: internet with games allowed.
        let open = AccessInput {
            allowed: true,
            blocked: vec!["adult".into(), "games".into(), "malware".into()],
            social_reason: "Односи с јавношћу: објаве Градске управе".into(),
            note: String::new(),
        };
        let set = s.set_internet_access(&admin, a.id, &open).await.unwrap();
        assert!(matches!(set.social, Social::Requested { .. }));
        assert!(set.effective_blocked().contains(&SiteCategory::Social), "{}: blocked until approved", db.name);
        let games = AccessInput { allowed: true, blocked: vec!["adult".into(), "malware".into()], ..Default::default() };
        s.set_internet_access(&admin, b.id, &games).await.unwrap();
        // Only the head of administration approves social networks.
        assert!(matches!(s.decide_social_networks(&admin, a.id, true).await, Err(Error::Forbidden)));
        assert!(matches!(s.decide_social_networks(&head, b.id, true).await, Err(Error::Invalid(_))), "nothing asked for ST 2");
        let mut h = App::over(s.clone());
        h.login("nacelnik", "plava8reka").await;
        let home = h.get("/").await.body;
        assert!(home.contains("Захтева за друштвене мреже чека ваше одобрење: 1"), "{}", db.name);
        let page = h.get(&format!("/internet/{}", a.id)).await;
        assert!(page.body.contains("Одобри друштвене мреже") && page.body.contains("чека одобрење начелника"), "{}", page.body);
        let page = app.get(&format!("/internet/{}", a.id)).await.body;
        assert!(page.contains("Односи с јавношћу") && !page.contains("Одобри друштвене мреже"), "administrators do not approve");

        let policy = s.internet_policy(&admin).await.unwrap();
        let squid = policy.squid();
        assert!(squid.contains("acl upravnik_social_clients src 10.0.1.5/32 10.0.1.6/32\n"), "{}: {squid}", db.name);
        assert!(squid.contains("acl upravnik_games_clients src 10.0.1.5/32\n"), "{squid}");
        assert!(!squid.contains(".m.facebook.com"), "covered by .facebook.com: {squid}");
        assert_eq!(policy.unaddressed().count(), 1);

        let approved = s.decide_social_networks(&head, a.id, true).await.unwrap();
        assert!(approved.effective_blocked().iter().all(|c| *c != SiteCategory::Social));
        let squid = s.internet_policy(&admin).await.unwrap().squid();
        assert!(squid.contains("acl upravnik_social_clients src 10.0.1.6/32\n"), "{}: only ST 2 now: {squid}", db.name);
        // The same reason keeps the approval; another reason asks again.
        s.set_internet_access(&admin, a.id, &open).await.unwrap();
        assert!(matches!(s.internet_host(&admin, a.id).await.unwrap().access.unwrap().social, Social::Approved { .. }));

        // The downloads (pages and API) are what the real filters accept.
        let page = app.get("/internet/squid.conf").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.content_type.starts_with("text/plain"));
        let (_, token) = s.create_api_token(&admin, "cron").await.unwrap();
        let api_unbound = app
            .send(
                Request::get("/api/v1/internet/unbound.conf")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(api_unbound.status, StatusCode::OK);
        assert!(api_unbound.body.contains("access-control-tag: 10.0.1.6/32"), "{}", api_unbound.body);
        if check {
            check_file(&dir, &format!("{}-squid.conf", db.name), &page.body, "squid", &["-k", "parse", "-f"]);
            check_file(&dir, &format!("{}-unbound.conf", db.name), &api_unbound.body, "unbound-checkconf", &[]);
        }

        // The pages: the list, one workstation, the sites.
        let list = app.get("/internet").await.body;
        assert!(list.contains("ST 01") && list.contains("без IP адресе"), "{}", db.name);
        let form = app.post(&format!("/internet/{}", b.id), &[("allowed", "1"), ("blocked", "adult"), ("social_reason", "")]).await;
        assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);
        let bad = app.post(&format!("/internet/{}", b.id), &[("social_reason", "PR")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "social networks without access");
        assert!(app.get("/internet/sites").await.body.contains("igrice.rs"));

        let log = log_texts(&s, admin.office_id).await;
        for needle in [
            "Интернет на рачунару ST 01 (1001)",
            "Одобрене друштвене мреже на рачунару ST 01 (1001)",
            "Блокирани сајтови (игре): додато www.igrice.rs",
        ] {
            assert!(log.iter().any(|(_, t)| t.contains(needle)), "{}: {needle}", db.name);
        }
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r32_r34_misuse_is_logged_cuts_access_and_reaches_the_head() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        let employee = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        app.login("admin", ADMIN_PW).await;
        let a = s.create_asset(&admin, &workstation("2001", "ST 7", "10.0.2.7")).await.unwrap();
        let on = AccessInput { allowed: true, blocked: vec!["adult".into()], ..Default::default() };
        s.set_internet_access(&admin, a.id, &on).await.unwrap();

        let modem = MisuseInput {
            kind: "private_modem".into(),
            asset_id: Some(a.id),
            person_id: Some(employee.person_id),
            happened_on: "24.11.2026".into(),
            description: "USB 4G модем прикључен на рачунар".into(),
            action: "Модем одузет".into(),
            cut_access: false,
        };
        assert!(matches!(s.record_misuse(&employee, &modem).await, Err(Error::Forbidden)));
        let id = s.record_misuse(&admin, &modem).await.unwrap();
        let access = s.internet_host(&admin, a.id).await.unwrap().access.unwrap();
        assert!(!access.allowed, "{}: R.32 — a private modem cuts access", db.name);
        let log = log_texts(&s, admin.office_id).await;
        assert!(
            log.iter()
                .any(|(c, t)| *c == Category::Misuse && t.contains("приватни модем (члан 32)") && t.contains("приступ интернету укинут")),
            "{}: {log:?}",
            db.name
        );
        let nobody = MisuseInput { asset_id: None, person_id: None, kind: "internet_misuse".into(), ..modem.clone() };
        assert!(matches!(s.record_misuse(&admin, &nobody).await, Err(Error::Invalid(_))));

        // The head of administration is told: home page, then marks it seen (logged once).
        let mut h = App::over(s.clone());
        h.login("nacelnik", "plava8reka").await;
        assert!(h.get("/").await.body.contains("Нових пријава злоупотребе: 1"), "{}", db.name);
        assert!(matches!(s.acknowledge_misuse(&admin, id).await, Err(Error::Forbidden)), "administrators do not acknowledge for the head");
        let r = h.post(&format!("/internet/misuse/{id}/seen"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        s.acknowledge_misuse(&head, id).await.unwrap();
        assert!(s.misuse_reports(&head, true).await.unwrap().is_empty());
        let seen =
            log_texts(&s, admin.office_id).await.iter().filter(|(_, t)| t.contains("Начелник упознат са пријавом злоупотребе")).count();
        assert_eq!(seen, 1, "{}: seen twice, logged once", db.name);
        assert!(!h.get("/").await.body.contains("Нових пријава злоупотребе"), "{}", db.name);

        // The form and the list.
        let r = app
            .post(
                "/internet/misuse",
                &[
                    ("kind", "internet_misuse"),
                    ("happened_on", "23.11.2026"),
                    ("asset_id", &a.id.to_string()),
                    ("description", "Клађење на сајту током радног времена"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.post("/internet/misuse", &[("kind", "internet_misuse"), ("happened_on", "23.11.2026"), ("description", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/internet/misuse/new").await.status, StatusCode::OK);
        let page = h.get(&format!("/internet/misuse/{id}")).await.body;
        assert!(page.contains("USB 4G модем") && page.contains("прегледао"), "{}", db.name);
        let list = app.get("/internet/misuse").await.body;
        assert!(list.contains("Клађење на сајту") && list.contains("непрегледано"), "{}", db.name);
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/internet/misuse?unseen=true", &token, None).await;
        assert_eq!((st, v.as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{v}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r62_7_an_install_is_approved_by_the_head_and_confirmed_by_the_next_inventory() {
    let xml = windows();
    let at = xml.find("<GUID>CCleaner</GUID>").unwrap();
    let start = xml[..at].rfind("<SOFTWARES>").unwrap();
    let end = at + xml[at..].find("</SOFTWARES>").unwrap() + "</SOFTWARES>".len();
    let without_ccleaner = format!("{}{}", &xml[..start], &xml[end..]);
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        let employee = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        app.login("admin", ADMIN_PW).await;
        post_inventory(&app, &without_ccleaner).await;
        let ws = s.antivirus_coverage(&admin).await.unwrap()[0].asset_id;
        // A machine an agent found is registered by an administrator before it is handed out (a
        // laptop goes to a person; a workstation to a workplace, R.19).
        s.confirm_discovered(&admin, ws, "3001", "ST 08", "laptop").await.unwrap();
        let other = s.create_asset(&admin, &workstation("3002", "ST 9", "10.0.3.9")).await.unwrap();
        s.assign_asset(&admin, ws, Some(employee.person_id), None, "01.11.2026.", false).await.unwrap();

        // The employee asks for a program on their own workstation, not on another's.
        let ask =
            RequestInput {
                asset_id: Some(ws), product_id: None, name: "CCleaner".into(), reason: "Чишћење привремених датотека".into()
            };
        let other_ask = RequestInput { asset_id: Some(other.id), ..ask.clone() };
        assert!(matches!(s.request_install(&employee, &other_ask).await, Err(Error::Invalid(e)) if e[0].message == "err-request-asset"));
        let id = s.request_install(&employee, &ask).await.unwrap();
        assert_eq!(s.install_requests(&employee, true).await.unwrap().len(), 1, "{}: they see their own", db.name);

        // Administrators do not approve (R.62.7); they cannot install before approval either.
        let yes = DecisionInput { decision: "approve".into(), note: String::new() };
        assert!(matches!(s.decide_install(&admin, id, &yes).await, Err(Error::Forbidden)));
        assert!(matches!(s.mark_installed(&admin, id, None).await, Err(Error::Invalid(_))));
        let no_reason = DecisionInput { decision: "reject".into(), note: String::new() };
        assert!(
            matches!(s.decide_install(&head, id, &no_reason).await, Err(Error::Invalid(e)) if e[0].message == "err-request-reject-reason")
        );
        let mut h = App::over(s.clone());
        h.login("nacelnik", "plava8reka").await;
        assert!(h.get("/").await.body.contains("Захтева за инсталацију програма чека ваше одобрење: 1"), "{}", db.name);
        let page = h.get(&format!("/software/requests/{id}")).await.body;
        assert!(page.contains("Сачувај одлуку") && page.contains("Чишћење привремених датотека"), "{}", db.name);
        let r = h.post(&format!("/software/requests/{id}/decide"), &[("decision", "reject"), ("note", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a refusal without a reason");
        let r = h.post(&format!("/software/requests/{id}/decide"), &[("decision", "approve"), ("note", "Одобрено за рад")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(matches!(s.decide_install(&head, id, &yes).await, Err(Error::Invalid(_))), "decided once");

        // The administrator installs and names the catalogue product; the inventory confirms.
        assert!(matches!(s.mark_installed(&admin, id, None).await, Err(Error::Invalid(e)) if e[0].message == "err-request-product"));
        let p = ProductInput { name: "CCleaner".into(), vendor: "Piriform".into(), category: "free".into(), note: String::new() };
        let ccleaner = s.create_software_product(&admin, &p, Some("ccleaner")).await.unwrap();
        let page = app.get(&format!("/software/requests/{id}")).await.body;
        assert!(page.contains(&format!("<option value=\"{ccleaner}\">CCleaner</option>")), "{}: the installed form", db.name);
        s.mark_installed(&admin, id, Some(ccleaner)).await.unwrap();
        assert_eq!(s.install_request(&admin, id).await.unwrap().state, RequestState::Installed, "{}: not in the inventory yet", db.name);
        post_inventory(&app, &xml).await;
        let r = s.install_request(&employee, id).await.unwrap();
        assert_eq!(r.state, RequestState::Confirmed, "{}", db.name);
        assert!(r.confirmed_us.is_some());

        let log = log_texts(&s, admin.office_id).await;
        for needle in [
            "Захтев за инсталацију „CCleaner“",
            "Одобрена инсталација „CCleaner“",
            "Инсталиран „CCleaner“",
            "Инвентар потврђује инсталацију „CCleaner“",
        ] {
            assert!(log.iter().any(|(_, t)| t.contains(needle)), "{}: {needle}", db.name);
        }

        // Pages and API.
        let mut e = App::over(s.clone());
        e.login("radnik", "plava8reka").await;
        let mine = e.get("/software/requests?status=all").await.body;
        assert!(mine.contains("CCleaner") && mine.contains("потврђен пописом"), "{}", db.name);
        let form = e.get("/software/requests/new").await.body;
        assert!(form.contains(&format!("value=\"{ws}\"")) && !form.contains(&format!("value=\"{}\"", other.id)), "own workstations only");
        let r = e.post("/software/requests", &[("asset_id", &ws.to_string()), ("name", "GIMP"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, &format!("/api/v1/software/requests/{id}"), &token, None).await;
        assert_eq!((st, v["state"].as_str()), (StatusCode::OK, Some("confirmed")), "{v}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}
