//! Two-factor sign-in (TOTP, RFC 6238) on both databases: enrolment confirmed by a first code,
//! sign-in finished by a code, no code twice, tickets that expire and run out of tries, an
//! administrator's reset, the office's requirement for administrators, and the pages.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use upravnik_core::Error;
use upravnik_core::access::{Permission, Role};
use upravnik_core::clock::Clock;
use upravnik_core::mfa::code_at;
use upravnik_core::service::{Policy, Services, SignIn};
use upravnik_core::worklog::Filter;

use crate::http::{App, extract};
use crate::support::*;

fn message<T>(r: &Result<T, Error>) -> &'static str {
    match r {
        Err(Error::Invalid(e)) => e[0].message,
        Err(Error::Unauthenticated) => "unauthenticated",
        Err(_) => "other",
        Ok(_) => "ok",
    }
}

async fn ticket(s: &Services, username: &str, pw: &str) -> String {
    match s.sign_in(username, pw).await.expect("password") {
        SignIn::Code { ticket } => ticket,
        SignIn::Session(_) => panic!("{username} signed in without a code"),
    }
}

#[tokio::test]
async fn a_code_finishes_the_sign_in_once() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;

        // Enrolment: a pending secret that only a right code turns on.
        let e = s.mfa_start(&admin, "Upravnik").await.unwrap();
        assert!(e.uri.starts_with("otpauth://totp/Upravnik:admin?secret=") && e.uri.contains(&e.secret), "{}", e.uri);
        assert!(!s.mfa_enabled(&admin).await.unwrap());
        assert_eq!(message(&s.mfa_confirm(&admin, "000000").await), "err-mfa-code", "{}", db.name);
        let now = clock.now_us();
        s.mfa_confirm(&admin, &code_at(&e.secret, now).unwrap()).await.unwrap();
        assert!(s.mfa_enabled(&admin).await.unwrap());
        assert_eq!(message(&s.mfa_start(&admin, "Upravnik").await), "err-mfa-already");

        // The password alone is no longer a session.
        assert_eq!(message(&s.login("admin", ADMIN_PW).await), "err-mfa-required", "{}", db.name);
        let t = ticket(&s, "admin", ADMIN_PW).await;
        // The code used to confirm cannot sign in: each step counts once.
        assert_eq!(message(&s.sign_in_code(&t, &code_at(&e.secret, now).unwrap()).await), "err-mfa-code", "{}", db.name);
        clock.advance_secs(30);
        let code = code_at(&e.secret, clock.now_us()).unwrap();
        let session = s.sign_in_code(&t, &code).await.unwrap_or_else(|e| panic!("{}: {e:?}", db.name));
        assert_eq!(session.actor.user_id, admin.user_id);
        assert!(s.session(&session.token).await.unwrap().is_some());
        // The ticket is spent, and the same code on a new ticket is a replay.
        assert_eq!(message(&s.sign_in_code(&t, &code).await), "unauthenticated");
        let t2 = ticket(&s, "admin", ADMIN_PW).await;
        assert_eq!(message(&s.sign_in_code(&t2, &code).await), "err-mfa-code", "{}: a replayed code", db.name);

        // A ticket waits five minutes.
        clock.advance_secs(6 * 60);
        assert_eq!(message(&s.sign_in_code(&t2, &code_at(&e.secret, clock.now_us()).unwrap()).await), "unauthenticated");

        // Five wrong codes end the ticket and count as a failed sign-in.
        let t3 = ticket(&s, "admin", ADMIN_PW).await;
        for _ in 0..4 {
            assert_eq!(message(&s.sign_in_code(&t3, "123456").await), "err-mfa-code");
        }
        assert_eq!(message(&s.sign_in_code(&t3, "123456").await), "unauthenticated");
        assert_eq!(message(&s.sign_in_code(&t3, &code_at(&e.secret, clock.now_us()).unwrap()).await), "unauthenticated");
        let (failures, _) = s.store.login_throttle("admin").await.unwrap();
        assert_eq!(failures, 1, "{}", db.name);

        // Turning it off takes a current code; another administrator can reset it (a lost phone).
        clock.advance_secs(30);
        assert_eq!(message(&s.mfa_disable(&admin, "111111").await), "err-mfa-code");
        s.mfa_disable(&admin, &code_at(&e.secret, clock.now_us()).unwrap()).await.unwrap();
        assert!(s.login("admin", ADMIN_PW).await.is_ok());
        let other = user_with(&s, &admin, "drugiadmin", &[Role::Administrator]).await;
        let e2 = s.mfa_start(&other, "Upravnik").await.unwrap();
        s.mfa_confirm(&other, &code_at(&e2.secret, clock.now_us()).unwrap()).await.unwrap();
        let employee = user_with(&s, &admin, "zaposlena", &[Role::Employee]).await;
        assert!(matches!(s.mfa_reset(&employee, other.user_id).await, Err(Error::Forbidden)));
        s.mfa_reset(&admin, other.user_id).await.unwrap();
        assert!(s.login("drugiadmin", "plava8reka").await.is_ok());

        let f = Filter { office_id: admin.office_id, limit: 500, include_confidential_text: true, ..Default::default() };
        let log: Vec<String> = s.store.worklog(&f).await.unwrap().into_iter().map(|e| e.text).collect();
        for needle in [
            "Укључена двофакторска пријава",
            "Искључена двофакторска пријава",
            "лозинка и једнократни код",
            "Администратор искључио двофакторску",
        ] {
            assert!(log.iter().any(|t| t.contains(needle)), "{}: {needle}", db.name);
        }
        assert!(log.iter().all(|t| !t.contains(&e.secret)), "the secret never goes to the work log");
    }
}

#[tokio::test]
async fn an_office_can_require_it_of_administrators() {
    for db in databases().await {
        let clock = Arc::new(upravnik_core::clock::ManualClock::new(START));
        let policy = Policy { require_mfa_for_administrators: true, ..Policy::default() };
        let s = Services::new(Arc::new(db.store.clone()), clock.clone(), policy);
        let admin = with_admin(&s).await;
        // Signed in without it, an administrator is kept to what every employee may do …
        let session = s.login("admin", ADMIN_PW).await.unwrap();
        assert!(!session.actor.can(Permission::UsersWrite) && session.actor.can(Permission::SignedIn), "{}", db.name);
        let (gated, _) = s.session(&session.token).await.unwrap().unwrap();
        assert!(!gated.can(Permission::AssetsWrite));
        assert!(s.mfa_blocks_administrator(&gated).await.unwrap());
        let (_, token) = s.create_api_token(&gated, "skripta").await.unwrap();
        assert!(!s.api_actor(&token).await.unwrap().unwrap().can(Permission::UsersWrite), "the API too");
        // … until it is on: then the same session and token act as administrator.
        let e = s.mfa_start(&gated, "Upravnik").await.unwrap();
        s.mfa_confirm(&gated, &code_at(&e.secret, clock.now_us()).unwrap()).await.unwrap();
        assert!(s.session(&session.token).await.unwrap().unwrap().0.can(Permission::UsersWrite), "{}", db.name);
        assert!(s.api_actor(&token).await.unwrap().unwrap().can(Permission::UsersWrite));
        assert!(!s.mfa_blocks_administrator(&admin).await.unwrap());
        // Other roles are not asked.
        let head = user_with(&s, &admin, "sef", &[Role::Employee, Role::HeadOfUnit]).await;
        assert!(s.login("sef", "plava8reka").await.unwrap().actor.can(Permission::AccountRequest));
        let _ = head;
    }
}

#[tokio::test]
async fn the_sign_in_and_enrolment_pages() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        with_admin(&s).await;
        app.login("admin", ADMIN_PW).await;
        // The home page asks an administrator for it.
        assert!(app.get("/").await.body.contains("Укључите двофакторску пријаву"), "{}", db.name);
        let r = app.post("/profile/mfa/start", &[]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("<svg") && r.body.contains("name=\"code\""), "{}: QR code and code field", db.name);
        let secret: String = extract(&r.body, "<code class=\"secret\">", "</code>").unwrap().split_whitespace().collect();
        let bad = app.post("/profile/mfa/confirm", &[("code", "000000"), ("next", "/")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let now = s.clock.now_us();
        let ok = app.post("/profile/mfa/confirm", &[("code", &code_at(&secret, now).unwrap()), ("next", "/")]).await;
        assert_eq!(ok.location, "/profile/mfa?ok=mfa-on", "{}: {}", db.name, ok.body);
        assert!(app.get("/profile").await.body.contains("badge ok"));

        // Signing in: the password page leads to the code page, which leads in.
        let mut fresh = App::over(s.clone());
        let r = fresh.login("admin", ADMIN_PW).await;
        assert_eq!(r.status, StatusCode::OK, "{}", db.name);
        assert!(r.set_cookie.is_empty(), "no session before the code");
        let t = extract(&r.body, "name=\"ticket\" value=\"", "\"").unwrap();
        let wrong = fresh
            .post_raw("/login/code", &serde_urlencoded::to_string([("ticket", t.as_str()), ("code", "000000"), ("next", "/")]).unwrap())
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("Код није тачан") && wrong.body.contains(&t), "the same ticket is asked again");
        let code = code_at(&secret, now + 30_000_000).unwrap();
        let clock_ok = fresh
            .post_raw(
                "/login/code",
                &serde_urlencoded::to_string([("ticket", t.as_str()), ("code", code.as_str()), ("next", "/")]).unwrap(),
            )
            .await;
        // The test clock has not moved: the next step's code is still within the window.
        assert_eq!((clock_ok.status, clock_ok.location.as_str()), (StatusCode::SEE_OTHER, "/"), "{}: {}", db.name, clock_ok.body);
        assert!(clock_ok.set_cookie.iter().any(|c| c.starts_with("upr_session=")));

        // An administrator sees and resets another's; the API says the same.
        let a = s.store.login_record("admin").await.unwrap().unwrap();
        let page = app.get(&format!("/accounts/{}", a.user_id)).await;
        assert!(page.body.contains("двофакторска пријава укључена") && page.body.contains("/mfa-reset"), "{}", db.name);
        let admin = s.store.actor(a.user_id).await.unwrap();
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/me/mfa", &token, None).await;
        assert_eq!((st, v["enabled"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
        let (st, _) = app.api(Method::DELETE, &format!("/api/v1/accounts/{}/mfa", a.user_id), &token, None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (_, v) = app.api(Method::GET, "/api/v1/me/mfa", &token, None).await;
        assert_eq!(v["enabled"].as_bool(), Some(false));
        let (st, v) = app.api(Method::POST, "/api/v1/me/mfa/start", &token, None).await;
        assert_eq!(st, StatusCode::CREATED);
        let secret = v["secret"].as_str().unwrap().to_string();
        let (st, _) = app
            .api(
                Method::POST,
                "/api/v1/me/mfa/confirm",
                &token,
                Some(serde_json::json!({"code": code_at(&secret, s.clock.now_us()).unwrap()})),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
    }
}
