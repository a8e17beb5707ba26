//! The rules of work and the statement of their acceptance (R.19, Prilog 3) on both databases:
//! asked at sign-in until accepted, accepted once per version, a new version asks again, signed
//! paper copies recorded by an administrator, the list of who has not accepted, the PDF, the API.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::rules::{AcceptanceQuery, AcceptedBy, PaperInput, RulesInput};
use upravnik_core::worklog::Filter;

use crate::helpdesk::staff;
use crate::http::{App, pdf_text};
use crate::support::*;

fn code<T: std::fmt::Debug>(r: &Result<T, Error>) -> String {
    match r {
        Err(Error::Invalid(e)) => e[0].message.to_string(),
        Err(e) => e.code().to_string(),
        Ok(v) => format!("ok: {v:?}"),
    }
}

fn missing() -> AcceptanceQuery {
    AcceptanceQuery { missing_only: true, page: 1, per_page: 50, ..Default::default() }
}

#[tokio::test]
async fn r19_everyone_accepts_each_version_once_online_or_on_paper() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let ana = staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
        let boris = staff(&s, &admin, None, "Борис", "boris", &[Role::Employee]).await;
        let head = staff(&s, &admin, None, "Весна", "vesna", &[Role::Employee, Role::HeadOfUnit]).await;

        // Nothing published: nothing to accept, no list.
        assert!(s.rules_to_accept(&ana).await.unwrap().is_none(), "{}", db.name);
        assert!(s.rules_acceptances(&admin, &missing()).await.unwrap().is_none());
        assert!(s.rules_missing(&admin).await.unwrap().is_none());
        assert_eq!(code(&s.accept_rules(&ana, 1).await), "not_found");

        let bad = s.publish_rules(&admin, &RulesInput { title: "Правила".into(), body: "  ".into() }).await;
        assert_eq!(code(&bad), "err-required");
        assert_eq!(code(&s.publish_rules(&ana, &RulesInput { title: "x".into(), body: "y".into() }).await), "forbidden");
        let v1 = s
            .publish_rules(
                &admin,
                &RulesInput {
                    title: "Правила рада".into(), body: "1. Лозинку чувам.\n2. Не инсталирам програме.".into()
                },
            )
            .await
            .unwrap();
        assert_eq!(v1.version, 1, "{}", db.name);
        assert_eq!(s.rules_to_accept(&ana).await.unwrap().map(|v| v.id), Some(v1.id));

        // Ana accepts online; twice is once.
        s.accept_rules(&ana, 1).await.unwrap();
        s.accept_rules(&ana, 1).await.unwrap();
        assert!(s.rules_to_accept(&ana).await.unwrap().is_none(), "{}", db.name);
        let (_, mine) = s.rules_acceptance(&ana, ana.person_id).await.unwrap().unwrap();
        assert_eq!((mine.how, mine.signed_on.as_str()), (AcceptedBy::Online, "2026-11-25"));
        assert_eq!(code(&s.rules_acceptance(&ana, boris.person_id).await), "forbidden", "an employee sees only their own");

        // Boris signed a paper copy; the date on it cannot be in the future.
        let future = s.record_paper_acceptance(&admin, &PaperInput { person_id: boris.person_id, signed_on: "26.11.2026.".into() }).await;
        assert_eq!(code(&future), "err-date-future", "{}", db.name);
        assert_eq!(
            code(&s.record_paper_acceptance(&head, &PaperInput { person_id: boris.person_id, ..Default::default() }).await),
            "forbidden"
        );
        s.record_paper_acceptance(&admin, &PaperInput { person_id: boris.person_id, signed_on: "20.11.2026.".into() }).await.unwrap();
        let (_, b) = s.rules_acceptance(&head, boris.person_id).await.unwrap().unwrap();
        assert_eq!((b.how, b.signed_on.as_str(), b.recorded_by.as_str()), (AcceptedBy::Paper, "2026-11-20", "Милан Стојановић"));

        // The list: the administrator and the head have not accepted yet.
        let (_, list) = s.rules_acceptances(&head, &missing()).await.unwrap().unwrap();
        let names: Vec<&str> = list.rows.items.iter().map(|r| r.full_name.as_str()).collect();
        assert_eq!(names, ["Весна Јовановић", "Милан Стојановић"], "{}", db.name);
        assert_eq!((list.accepted, list.people, list.rows.total), (2, 4, 2));
        // The home page's count is the list's total.
        assert_eq!(s.rules_missing(&head).await.unwrap().map(|(v, n)| (v.id, n)), Some((v1.id, 2)), "{}", db.name);
        assert_eq!(code(&s.rules_missing(&ana).await), "forbidden");
        let (_, found) = s
            .rules_acceptances(&admin, &AcceptanceQuery { q: Some("boris".into()), page: 1, per_page: 50, ..Default::default() })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.rows.items.len(), 1, "{}: Latin finds Cyrillic", db.name);
        assert!(found.rows.items[0].acceptance.is_some());
        assert_eq!(code(&s.rules_acceptances(&ana, &missing()).await), "forbidden");

        // A new version asks everyone again; accepting the old one is refused.
        clock.advance_secs(3600);
        let v2 = s
            .publish_rules(
                &admin,
                &RulesInput {
                    title: "Правила рада".into(), body: "1. Лозинку чувам.\n2. Нова тачка.".into()
                },
            )
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        assert_eq!(s.rules_to_accept(&ana).await.unwrap().map(|v| v.version), Some(2), "{}", db.name);
        assert_eq!(code(&s.accept_rules(&ana, 1).await), "err-rules-version");
        let (_, list) = s.rules_acceptances(&admin, &missing()).await.unwrap().unwrap();
        assert_eq!((list.accepted, list.rows.total), (0, 4), "{}", db.name);
        assert_eq!(s.rules_missing(&admin).await.unwrap().map(|(v, n)| (v.version, n)), Some((2, 4)));

        // Every acceptance and version is in the work log, once.
        let log: Vec<String> =
            s.worklog(&admin, Filter { limit: 50, ..Default::default() }).await.unwrap().into_iter().map(|e| e.text).collect();
        assert_eq!(log.iter().filter(|t| t.contains("прихватио/ла правила рада")).count(), 1, "{}: {log:#?}", db.name);
        assert!(log.iter().any(|t| t.starts_with("Уписана потписана изјава") && t.contains("Борис Јовановић, од 20.11.2026.")), "{log:#?}");
        assert!(log.iter().any(|t| t.contains("верзија 2")), "{log:#?}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r19_the_pages_ask_at_sign_in_and_the_statement_prints() {
    for db in databases().await {
        let (mut adm, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let ana = staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
        let (mut emp, _) = App::new(&db).await;

        // Before anything is published, sign-in goes where it was going.
        let r = emp.login("ana", "plava8reka").await;
        assert_eq!(r.location, "/", "{}", db.name);
        assert!(emp.get("/rules").await.body.contains("Правила рада још нису објављена"));

        adm.login("admin", ADMIN_PW).await;
        let form = adm.get("/rules/new").await;
        assert!(form.body.contains("Правила рада у ИКТ систему Градске управе"), "the rulebook's duties to start from");
        assert_eq!(adm.post("/rules", &[("title", ""), ("body", "x")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = adm.post("/rules", &[("title", "Правила рада"), ("body", "1. Лозинку чувам.\n2. Не инсталирам програме.")]).await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/rules?ok=published"), "{}", db.name);

        // Now sign-in asks first, and returns to where the employee was going.
        let (mut emp, _) = App::new(&db).await;
        let r = emp.login("ana", "plava8reka").await;
        assert_eq!(r.location, "/rules?next=%2F", "{}", db.name);
        let page = emp.get("/rules?next=%2Freports").await;
        assert!(page.body.contains("Прихватам правила рада") && page.body.contains("Не инсталирам програме"), "{}", page.body);
        let r = emp.post("/rules/accept", &[("version", "1"), ("next", "/reports")]).await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/reports"), "{}", db.name);
        let page = emp.get("/rules").await;
        assert!(!page.body.contains("Прихватам правила рада") && page.body.contains("Прихваћено електронски"), "{}", page.body);
        let (mut again, _) = App::new(&db).await;
        assert_eq!(again.login("ana", "plava8reka").await.location, "/", "asked once");
        // The administrator's home page counts who is missing, and asks him too.
        let home = adm.get("/").await;
        assert!(home.body.contains("1 запослених још није прихватило правила рада (верзија 1)"), "{}", home.body);
        assert!(home.body.contains("Објављена је нова верзија (1)"), "{}", db.name);
        assert!(!again.get("/").await.body.contains("Објављена је нова верзија"), "{}: accepted, not asked", db.name);

        // Her statement prints; another's is not hers to print.
        let pdf = emp.get(&format!("/rules/acceptances/{}/pdf", ana.person_id)).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"), "{}", db.name);
        if let Some(text) = pdf_text(&pdf.bytes) {
            for want in ["Изјава о прихватању правила рада", "Прилог 3", "Ана Јовановић", "Лозинку чувам", "Прихваћено електронски"]
            {
                assert!(text.contains(want), "{}: {want} missing from\n{text}", db.name);
            }
        }
        assert_eq!(emp.get(&format!("/rules/acceptances/{}/pdf", admin.person_id)).await.status, StatusCode::FORBIDDEN);

        // The administrator's list, filtered to those missing, records a paper copy.
        let list = adm.get("/rules/acceptances?missing=1").await;
        assert!(list.body.contains("Милан Стојановић") && !list.body.contains("Ана Јовановић"), "{}", list.body);
        assert!(list.body.contains("прихватило је 1 од 2"), "{}", list.body);
        let r = adm
            .post(
                "/rules/acceptances/paper",
                &[("person_id", &admin.person_id.to_string()), ("signed_on", ""), ("back", "/rules/acceptances?missing=1")],
            )
            .await;
        assert_eq!((r.status, r.location.as_str()), (StatusCode::SEE_OTHER, "/rules/acceptances?missing=1&ok=saved"), "{}", db.name);
        assert!(adm.get("/rules/acceptances?missing=1").await.body.contains("Нико не одговара филтеру"));

        // The API.
        let (_, token) = s.create_api_token(&ana, "t").await.unwrap();
        let (st, cur) = adm.api(Method::GET, "/api/v1/rules", &token, None).await;
        assert_eq!((st, cur["rules"]["version"].as_i64(), cur["my_acceptance"]["how"].as_str()), (StatusCode::OK, Some(1), Some("online")));
        let (_, atoken) = s.create_api_token(&admin, "a").await.unwrap();
        let (st, v2) = adm.api(Method::POST, "/api/v1/rules", &atoken, Some(json!({"title":"Правила рада","body":"1. Ново."}))).await;
        assert_eq!((st, v2["version"].as_i64()), (StatusCode::CREATED, Some(2)), "{}", db.name);
        let (st, _) = adm.api(Method::POST, "/api/v1/rules/accept", &token, Some(json!({"version":1}))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "the old version");
        let (st, _) = adm.api(Method::POST, "/api/v1/rules/accept", &token, Some(json!({"version":2}))).await;
        assert_eq!(st, StatusCode::OK);
        let (st, list) = adm.api(Method::GET, "/api/v1/rules/acceptances?missing=true", &atoken, None).await;
        assert_eq!((st, list["accepted"].as_i64(), list["rows"]["total"].as_i64()), (StatusCode::OK, Some(1), Some(1)), "{list}");
        let (st, _) = adm.api(Method::POST, "/api/v1/rules/acceptances", &atoken, Some(json!({"person_id": admin.person_id}))).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
        let (st, _) = adm.api(Method::POST, "/api/v1/rules/acceptances", &token, Some(json!({"person_id": admin.person_id}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
    }
}
