//! The web UI and the API through the real router, in-process.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;
use upravnik_core::access::Role;

use crate::support::*;

pub struct App {
    pub router: Router,
    pub cookie: String,
    pub csrf: String,
}

pub struct Res {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
    pub set_cookie: Vec<String>,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl App {
    pub async fn new(db: &TestDb) -> (Self, upravnik_core::service::Services) {
        let (s, _) = services(db);
        (Self::over(s.clone()), s)
    }

    /// The router over services set up by the test (a directory, say).
    pub fn over(s: upravnik_core::service::Services) -> Self {
        let st = upravnik_web::AppState::new(s, upravnik_web::WebConfig::default()).unwrap();
        Self { router: upravnik_web::router(st), cookie: String::new(), csrf: String::new() }
    }

    pub async fn send(&self, req: Request<Body>) -> Res {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let location = r.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let content_type = r.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let set_cookie = r.headers().get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(String::from).collect();
        let bytes = axum::body::to_bytes(r.into_body(), 10 << 20).await.unwrap();
        Res { status, location, body: String::from_utf8_lossy(&bytes).into_owned(), set_cookie, content_type, bytes: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str) -> Res {
        self.send(Request::get(path).header(header::COOKIE, &self.cookie).body(Body::empty()).unwrap()).await
    }

    /// Posts a form with the session's CSRF token, as the browser does.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Res {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &self.csrf)];
        all.extend_from_slice(pairs);
        self.post_raw(path, &serde_urlencoded::to_string(&all).unwrap()).await
    }

    pub async fn post_raw(&self, path: &str, body: &str) -> Res {
        let req = Request::post(path)
            .header(header::COOKIE, &self.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn login(&mut self, username: &str, password: &str) -> Res {
        let r = self
            .post_raw("/login", &serde_urlencoded::to_string([("username", username), ("password", password), ("next", "/")]).unwrap())
            .await;
        let cookies: Vec<String> = r.set_cookie.iter().filter_map(|c| c.split(';').next()).map(String::from).collect();
        if !cookies.is_empty() {
            self.cookie = cookies.join("; ");
            let home = self.get("/profile").await;
            self.csrf = extract(&home.body, "name=\"_csrf\" value=\"", "\"").unwrap_or_default();
        }
        r
    }

    pub async fn api(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut b = Request::builder().method(method).uri(path);
        if !token.is_empty() {
            b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let r = self.send(req).await;
        (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
    }
}

pub fn extract(hay: &str, start: &str, end: &str) -> Option<String> {
    let i = hay.find(start)? + start.len();
    let j = hay[i..].find(end)? + i;
    Some(hay[i..j].to_string())
}

#[tokio::test]
async fn without_an_administrator_every_page_shows_the_command() {
    let db = sqlite().await;
    let (app, _) = App::new(&db).await;
    let r = app.get("/").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.body.contains("upravnik admin create --username admin --full-name"));
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn sign_in_switch_language_and_create_a_unit_through_the_pages() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        with_admin(&s).await;
        assert_eq!(app.get("/units").await.status, StatusCode::SEE_OTHER, "anonymous users go to the sign-in page");
        let bad = app.login("admin", "pogresna1").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert!(bad.body.contains("Погрешно корисничко име или лозинка"));
        let ok = app.login("admin", ADMIN_PW).await;
        assert_eq!((ok.status, ok.location.as_str()), (StatusCode::SEE_OTHER, "/"));
        assert!(ok.set_cookie.iter().any(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")));
        assert!(!app.csrf.is_empty());

        // A form without the CSRF token is refused and changes nothing.
        let forged = app.post_raw("/units", "name=Hacked").await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", db.name);
        // Invalid input: 422, the message next to the field, the input kept.
        let invalid = app.post("/units", &[("name", ""), ("code", "ЗАДРЖИ")]).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains("Обавезно поље") && invalid.body.contains("value=\"ЗАДРЖИ\""));
        let created = app.post("/units", &[("name", "Услужни центар"), ("code", "УЦ")]).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let unit = app.get(&created.location).await;
        assert!(unit.body.contains("Услужни центар") && unit.body.contains("Записано."));

        // Latin is made from the Cyrillic; data reads in Latin too; the choice is remembered.
        let sw = app.post("/language", &[("lang", "sr-Latn"), ("next", "/units")]).await;
        assert_eq!(sw.status, StatusCode::SEE_OTHER);
        let latin = app.get("/units").await;
        assert!(latin.body.contains("Organizacione jedinice") && latin.body.contains("Uslužni centar"), "{}", db.name);
        assert_eq!(s.store.actor(1).await.map(|a| a.locale).ok().as_deref(), Some("sr-Latn"));
        app.post("/language", &[("lang", "en"), ("next", "/")]).await;
        assert!(app.get("/units").await.body.contains("Units"));

        // The work log shows both the creation and the language change.
        let log = app.get("/worklog?q=usluzni").await;
        assert!(log.body.contains("Услужни центар") || log.body.contains("Uslužni centar"), "{}", db.name);

        // Exports of any list.
        let csv = app.get("/units?format=csv").await;
        assert!(csv.content_type.starts_with("text/csv") && csv.body.contains("Uslužni centar"), "English readers get Latin script");
        let xlsx = app.get("/worklog?format=xlsx").await;
        assert!(xlsx.content_type.contains("spreadsheetml"));
        for printable in ["/worklog?format=pdf", "/units?format=pdf"] {
            let pdf = app.get(printable).await;
            assert_eq!(pdf.content_type, "application/pdf", "{printable}");
            assert!(pdf.body.starts_with("%PDF-"), "{printable}");
        }

        let out = app.post("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/units").await.status, StatusCode::SEE_OTHER, "the session is gone");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_even_with_a_cookie() {
    let db = sqlite().await;
    let (mut app, s) = App::new(&db).await;
    with_admin(&s).await;
    app.login("admin", ADMIN_PW).await;
    let req = Request::post("/units")
        .header(header::COOKIE, &app.cookie)
        .header(header::ORIGIN, "http://evil.example")
        .header(header::HOST, "upravnik.local")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&name=X", app.csrf)))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_speaks_json_with_stable_error_codes() {
    for db in databases().await {
        let (app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let (_, token) = s.create_api_token(&admin, "тест").await.unwrap();
        let (st, body) = app.api(Method::GET, "/api/v1/units", "", None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));
        let (st, body) = app.api(Method::GET, "/api/v1/units", "upr_wrong", None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthenticated")));

        let (st, unit) = app.api(Method::POST, "/api/v1/units", &token, Some(json!({"name": "Одељење за финансије", "code": "ФИН"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{unit}");
        let id = unit["id"].as_i64().unwrap();
        let (st, body) = app.api(Method::POST, "/api/v1/units", &token, Some(json!({"name": " "}))).await;
        assert_eq!(
            (st, body["error"]["code"].as_str(), body["error"]["fields"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_input"), Some("name"))
        );
        let (st, body) = app.api(Method::POST, "/api/v1/units", &token, Some(json!("not an object"))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_input")));
        let (st, body) = app.api(Method::GET, "/api/v1/units/999999", &token, None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        let (st, body) = app.api(Method::GET, "/api/v1/nothing", &token, None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
        // Input that never reaches a handler still gets the one error shape.
        let (st, body) = app.api(Method::GET, "/api/v1/people?unit=abc", &token, None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}");
        let (st, body) = app.api(Method::GET, "/api/v1/units/abc", &token, None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_input")), "{body}");
        let (st, body) = app.api(Method::PATCH, "/api/v1/units", &token, None).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")), "{body}");

        let (_, person) = app
            .api(Method::POST, "/api/v1/people", &token, Some(json!({"given_name": "Саша", "family_name": "Илић", "unit_id": id})))
            .await;
        let (st, acc) = app
            .api(
                Method::POST,
                "/api/v1/accounts",
                &token,
                Some(json!({"person_id": person["id"], "username": "silic", "password": "plava8reka", "roles": ["employee"]})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{acc}");
        let (st, body) = app
            .api(
                Method::POST,
                "/api/v1/accounts",
                &token,
                Some(json!({"person_id": person["id"], "username": "silic", "password": "plava8reka", "roles": ["employee"]})),
            )
            .await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("person_has_account")));

        let (st, list) = app.api(Method::GET, "/api/v1/people?q=sasa", &token, None).await;
        assert_eq!((st, list["total"].as_i64()), (StatusCode::OK, Some(1)), "{}", db.name);

        let (st, e) = app
            .api(Method::POST, "/api/v1/worklog", &token, Some(json!({"category": "outage", "text": "Нестанак струје 40 минута"})))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{e}");
        let (_, page) = app.api(Method::GET, "/api/v1/worklog?limit=2", &token, None).await;
        assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
        let cursor = page["next_before"].as_i64().unwrap();
        let (_, older) = app.api(Method::GET, &format!("/api/v1/worklog?limit=2&before={cursor}"), &token, None).await;
        assert!(older["items"][0]["id"].as_i64().unwrap() < cursor, "keyset pagination");
        let (_, v) = app.api(Method::POST, "/api/v1/worklog/verify", &token, None).await;
        assert_eq!(v["intact"], json!(true), "{v}");

        // An employee's token cannot do an administrator's work.
        let emp = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        let (_, etoken) = s.create_api_token(&emp, "мој").await.unwrap();
        let (st, body) = app.api(Method::POST, "/api/v1/units", &etoken, Some(json!({"name": "X"}))).await;
        assert_eq!((st, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        let (st, me) = app.api(Method::GET, "/api/v1/me", &etoken, None).await;
        assert_eq!((st, me["username"].as_str()), (StatusCode::OK, Some("radnik")));
        let (st, _) = app.api(Method::PUT, "/api/v1/me/locale", &etoken, Some(json!({"locale": "sr-Latn"}))).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (_, me) = app.api(Method::GET, "/api/v1/me", &etoken, None).await;
        assert_eq!(me["locale"].as_str(), Some("sr-Latn"));
        let (st, body) = app.api(Method::PUT, "/api/v1/me/locale", &etoken, Some(json!({"locale": "de"}))).await;
        assert_eq!((st, body["error"]["fields"][0]["message"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err-locale")));
        let (_, offices) = app.api(Method::GET, "/api/v1/offices", &etoken, None).await;
        assert_eq!(offices.as_array().map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn oversized_requests_are_refused() {
    let db = sqlite().await;
    let (app, s) = App::new(&db).await;
    let admin = with_admin(&s).await;
    let (_, token) = s.create_api_token(&admin, "t").await.unwrap();
    let huge = "x".repeat(3 * 1024 * 1024);
    let (st, _) = app.api(Method::POST, "/api/v1/worklog", &token, Some(json!({"category": "outage", "text": huge}))).await;
    assert!(st == StatusCode::PAYLOAD_TOO_LARGE || st == StatusCode::UNPROCESSABLE_ENTITY, "{st}");
    let (_, page) = app.api(Method::GET, "/api/v1/worklog?category=outage", &token, None).await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(0), "nothing was written");
}

#[tokio::test]
async fn a_nul_character_is_refused_alike_on_both_databases_and_nothing_is_written() {
    // PostgreSQL cannot store U+0000 (Schemathesis found a 500 there); SQLite could.
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let (_, token) = s.create_api_token(&admin, "t").await.unwrap();
        let (st, body) = app.api(Method::POST, "/api/v1/units", &token, Some(json!({"name": "Одсек\u{0}"}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", db.name);
        assert_eq!(body["error"]["code"], "invalid_input");
        assert_eq!(body["error"]["fields"][0]["message"], "err-nul", "{body}");
        let (st, body) = app.api(Method::GET, "/api/v1/kb?tag=%00%3B", &token, None).await;
        assert_eq!((st, body["error"]["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("query")), "{}", db.name);
        // An escaped backslash before "u0000" is text, not NUL.
        let (st, unit) = app.api(Method::POST, "/api/v1/units", &token, Some(json!({"name": "Одсек \\u0000"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{}: {unit}", db.name);
        let login = app.post_raw("/login", "username=admin%00&password=x").await;
        assert_eq!(login.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: even before signing in", db.name);
        app.login("admin", ADMIN_PW).await;
        let form = app.post("/units", &[("name", "Одсек\u{0}")]).await;
        assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units").fetch_one(db.store.pool()).await.unwrap();
        assert_eq!(units, 1, "{}: only the unit without NUL", db.name);
    }
}

#[tokio::test]
async fn a_single_office_installation_shows_no_office_switch_until_more_are_granted() {
    let db = sqlite().await;
    let (mut app, s) = App::new(&db).await;
    with_admin(&s).await;
    app.login("admin", ADMIN_PW).await;
    assert!(!app.get("/").await.body.contains("name=\"office\""), "no trace of offices");
    let b = s.create_office("Градска општина Звездара").await.unwrap();
    s.create_admin(Some(b.id), "", "adminb", "Зоран Илић", "plava8reka").await.unwrap();
    let mut app_b = App::new(&db).await.0;
    app_b.login("adminb", "plava8reka").await;
    app_b.post("/units", &[("name", "Звездара: Одсек за ИКТ")]).await;
    s.grant_office("admin", b.id).await.unwrap();
    let home = app.get("/").await;
    assert!(home.body.contains("name=\"office\"") && home.body.contains("Звездара"));
    assert!(!app.get("/units").await.body.contains("Звездара: Одсек за ИКТ"));
    let sw = app.post("/office", &[("office", &b.id.to_string()), ("next", "/units")]).await;
    assert_eq!(sw.status, StatusCode::SEE_OTHER);
    let cookie = sw.set_cookie.iter().find(|c| c.starts_with("upr_office=")).unwrap().split(';').next().unwrap().to_string();
    app.cookie = format!("{}; {cookie}", app.cookie);
    assert!(app.get("/units").await.body.contains("Звездара: Одсек за ИКТ"));
    let refused = app.post("/office", &[("office", "999"), ("next", "/")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn equipment_pages_register_change_and_write_off_an_asset() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        let form = app.get("/assets/new").await;
        assert!(form.body.contains("ST 01"), "{}: the next free label is offered", db.name);
        let bad = app
            .post(
                "/assets",
                &[("kind", "workstation"), ("inventory_number", "000451"), ("label", "ST 01"), ("ip", "10.0.0.300"), ("room", "канц. 12")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("IPv4 адреса у облику") && bad.body.contains("value=\"канц. 12\""), "{}", db.name);
        let ok = app
            .post(
                "/assets",
                &[
                    ("kind", "workstation"),
                    ("inventory_number", "000451"),
                    ("label", "ST 01"),
                    ("ip", "10.0.0.30"),
                    ("warranty_end", "10.12.2026."),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let taken = app.post("/assets", &[("kind", "printer"), ("inventory_number", "000452"), ("ip", "10.0.0.30")]).await;
        assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(taken.body.contains("Ову IP адресу већ има друго активно средство"));
        let page = ok.location.split('?').next().unwrap().to_string();
        let edit = app
            .post(
                &page,
                &[
                    ("kind", "workstation"),
                    ("inventory_number", "000451"),
                    ("label", "ST 01"),
                    ("ip", "10.0.0.31"),
                    ("room", "канц. 14"),
                    ("warranty_end", "10.12.2026."),
                ],
            )
            .await;
        assert_eq!(edit.status, StatusCode::SEE_OTHER);
        let shown = app.get(&page).await;
        assert!(
            shown.body.contains("10.0.0.30") && shown.body.contains("10.0.0.31") && shown.body.contains("канц. 14"),
            "{}: history shows old and new",
            db.name
        );
        // Assignment to a workplace, then the return (zaduženje / razduženje).
        let admin = s.store.actor(1).await.unwrap();
        let unit = s.create_unit(&admin, upravnik_core::org::UnitInput { name: "Писарница".into(), ..Default::default() }).await.unwrap();
        let desk = s
            .create_workplace(&admin, upravnik_core::org::WorkplaceInput { unit_id: unit.id, name: "Шалтер 3".into(), room: String::new() })
            .await
            .unwrap();
        assert!(app.get(&format!("{page}/assign")).await.body.contains("name=\"workplace_id\""));
        let missing = app.post(&format!("{page}/assign"), &[("submitted", "1")]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        let assigned = app.post(&format!("{page}/assign"), &[("workplace_id", &desk.id.to_string()), ("date", "01.12.2026.")]).await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
        let shown = app.get(&page).await;
        assert!(shown.body.contains("Шалтер 3") && shown.body.contains("01.12.2026.") && shown.body.contains("задужено"), "{}", db.name);
        let record = app.get(&format!("{page}/assignment.pdf")).await;
        assert_eq!(record.content_type, "application/pdf", "{}", db.name);
        if let Some(text) = pdf_text(&record.bytes) {
            for s in ["Записник о задужењу опреме", "Шалтер 3", "01.12.2026.", "000451", "Запослени", "Администратор"]
            {
                assert!(text.contains(s), "{}: {s:?} on the record:\n{text}", db.name);
            }
        }
        assert_eq!(app.post(&format!("{page}/return"), &[]).await.status, StatusCode::SEE_OTHER);
        assert!(app.get(&page).await.body.contains("на стању"));

        // A write-off asks for the act first, then moves.
        let ask = app.post(&format!("{page}/status?to=written_off"), &[]).await;
        assert!(ask.body.contains("name=\"reference\""), "{}", db.name);
        let done = app.post(&format!("{page}/status?to=written_off"), &[("submitted", "1"), ("reference", "Решење 404-12/2026")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(app.get(&page).await.body.contains("отписано"));
        // The workstation card (Prilog 1) prints the label, the address and the history in Cyrillic.
        let card = app.get(&format!("{page}/card.pdf")).await;
        assert_eq!(card.content_type, "application/pdf");
        let text = pdf_text(&card.bytes);
        if let Some(text) = text {
            for s in ["Картон радне станице", "ST 01", "10.0.0.31", "канц. 14", "Милан Стојановић"] {
                assert!(text.contains(s), "{}: {s:?} on the card:\n{text}", db.name);
            }
        }
        // Lists: filters, export, and the warranty notice on the home page (10.12.2026 is within 30 days of 25.11.2026).
        let list = app.get("/assets?status=written_off").await;
        assert!(list.body.contains("000451"));
        assert!(!app.get("/assets?status=in_use").await.body.contains("000451"));
        assert!(app.get("/assets?format=pdf").await.body.starts_with("%PDF-"));
        let w = app.get("/assets?warranty=30").await;
        assert!(w.body.contains("000451"), "{}", db.name);
        assert!(app.get("/").await.body.contains("/assets?warranty=30"), "{}", db.name);
    }
}

/// The text of a PDF via pdftotext (poppler-utils), or `None` where it is not installed (never in CI).
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let path = crate::support::temp_dir("pdf").join("x.pdf");
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            assert!(std::env::var("CI").is_err(), "pdftotext must be installed in CI");
            None
        }
    }
}

#[tokio::test]
async fn components_and_software_through_the_pages_the_card_and_the_api() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let a = s
            .create_asset(
                &admin,
                &upravnik_core::asset::AssetInput {
                    kind: "workstation".into(),
                    inventory_number: "000777".into(),
                    label: "ST 07".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        app.login("admin", ADMIN_PW).await;
        let page = format!("/assets/{}", a.id);
        assert!(app.get(&page).await.body.contains("Нису унете компоненте."), "{}: empty state", db.name);
        assert!(app.get(&format!("{page}/components/new")).await.body.contains("name=\"capacity\""));
        let bad = app.post(&format!("{page}/components"), &[("kind", "disk")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: a component needs a name", db.name);
        let ok = app
            .post(
                &format!("{page}/components"),
                &[("kind", "disk"), ("manufacturer", "Samsung"), ("model", "870 EVO"), ("capacity", "500 GB")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let ok =
            app.post(&format!("{page}/software"), &[("name", "Мој програм"), ("version", "2.1"), ("installed_on", "03.11.2026.")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let shown = app.get(&page).await;
        assert!(shown.body.contains("870 EVO") && shown.body.contains("Мој програм") && shown.body.contains("03.11.2026."), "{}", db.name);

        // The API sees and changes the same rows.
        let (_, tok) = s.create_api_token(&admin, "делови").await.unwrap();
        let (st, disks) = app.api(Method::GET, &format!("/api/v1{page}/components"), &tok, None).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(disks[0]["model"], "870 EVO");
        let disk = disks[0]["id"].as_i64().unwrap();
        let (st, ram) = app
            .api(
                Method::POST,
                &format!("/api/v1{page}/components"),
                &tok,
                Some(json!({"kind": "memory", "model": "DDR4", "capacity": "16 GB"})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{ram}");
        let (st, err) = app.api(Method::POST, &format!("/api/v1{page}/software"), &tok, Some(json!({"version": "1"}))).await;
        assert_eq!((st, err["error"]["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));
        let (st, _) = app.api(Method::DELETE, &format!("/api/v1{page}/components/{disk}"), &tok, None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (_, now) = app.api(Method::GET, &format!("/api/v1{page}/components"), &tok, None).await;
        assert_eq!(now.as_array().map(|v| v.len()), Some(1), "{}: the removed disk is no longer installed", db.name);

        // The workstation card lists what is installed now, and the history keeps the disk.
        let card = app.get(&format!("{page}/card.pdf")).await;
        assert_eq!(card.content_type, "application/pdf");
        if let Some(text) = pdf_text(&card.bytes) {
            for want in ["Компоненте", "DDR4", "16 GB", "Инсталирани програми", "Мој програм", "Samsung"]
            {
                assert!(text.contains(want), "{}: {want:?} on the card:\n{text}", db.name);
            }
        }
        // Removing through the page asks first (the button carries a confirmation) and then records it.
        let sw =
            s.asset_parts(&admin, a.id).await.unwrap().into_iter().find(|p| p.fields.kind() == upravnik_core::parts::PartKind::Software);
        let sw = sw.unwrap().id;
        let form = app.get(&format!("{page}/software/{sw}")).await;
        assert!(form.body.contains(&format!("{page}/software/{sw}/remove")) && form.body.contains("data-confirm"), "{}", db.name);
        assert_eq!(app.post(&format!("{page}/software/{sw}/remove"), &[]).await.status, StatusCode::SEE_OTHER);
        assert!(app.get(&page).await.body.contains("Нису унети инсталирани програми."), "{}", db.name);
    }
}
