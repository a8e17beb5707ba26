//! The catalogue of applications and their roles (R.17, P.5.1) on both databases: the standard
//! catalogue added once, names unique in either script, roles edited with history, withdrawn
//! applications hidden, the pages and the API, and who may change what.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::applications::{AppKind, ApplicationInput};
use upravnik_core::org::ListQuery;
use upravnik_core::worklog::Filter;

use crate::http::App;
use crate::support::*;

#[tokio::test]
async fn r17_the_catalogue_of_applications_and_roles() {
    for db in databases().await {
        let (mut adm, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = crate::helpdesk::staff(&s, &admin, None, "Весна", "vesna", &[Role::Employee, Role::HeadOfUnit]).await;
        let all = |inactive: bool| {
            let mut q = ListQuery::new(admin.office_id);
            q.include_inactive = inactive;
            q
        };

        assert_eq!(s.add_standard_applications(&admin).await.unwrap(), 10, "{}", db.name);
        assert_eq!(s.add_standard_applications(&admin).await.unwrap(), 0, "{}: once", db.name);
        assert!(matches!(s.add_standard_applications(&head).await, Err(Error::Forbidden)));
        let list = s.applications(&head, &all(false)).await.unwrap();
        assert_eq!(list.total, 10, "{}: heads read the catalogue to fill requests", db.name);
        let opis = list.items.iter().find(|a| a.kind == AppKind::CaseManagement).unwrap().clone();
        assert!(opis.roles.contains(&"обрађивач предмета".to_string()), "{:?}", opis.roles);

        // One name per office in either script; roles one per line.
        let dup = s.create_application(&admin, &ApplicationInput { name: "E-pošta".into(), ..Default::default() }).await;
        assert!(matches!(&dup, Err(Error::Invalid(e)) if e[0].message == "err-app-duplicate"), "{}: {dup:?}", db.name);
        let mut input = ApplicationInput {
            name: opis.name.clone(),
            kind: "case_management".into(),
            description: opis.description.clone(),
            roles: vec!["писарница\nобрађивач предмета\nруководилац\nархива\nматичар".into()],
        };
        let changed = s.update_application(&admin, opis.id, &input).await.unwrap();
        assert_eq!(changed.roles.last().map(String::as_str), Some("матичар"), "{}", db.name);
        assert!(matches!(s.update_application(&head, opis.id, &input).await, Err(Error::Forbidden)));
        input.name = "Зараде".into();
        assert!(matches!(s.update_application(&admin, opis.id, &input).await, Err(Error::Invalid(_))), "another's name");

        // Search in Latin finds Cyrillic; a withdrawn one is listed only on request.
        let mut q = all(false);
        q.q = Some("pisarnica".into());
        assert_eq!(s.applications(&admin, &q).await.unwrap().total, 1, "{}", db.name);
        let lex = list.items.iter().find(|a| a.kind == AppKind::Legal).unwrap();
        s.set_application_active(&admin, lex.id, false).await.unwrap();
        assert_eq!(
            (s.applications(&admin, &all(false)).await.unwrap().total, s.applications(&admin, &all(true)).await.unwrap().total),
            (9, 10)
        );

        let log: Vec<String> = s
            .worklog(&admin, Filter { object_kind: Some("application".into()), limit: 50, ..Default::default() })
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(log.len(), 12, "{}: ten added, one changed, one withdrawn: {log:#?}", db.name);
        assert!(log.iter().any(|t| t.contains("улоге:") && t.contains("матичар")), "{log:#?}");

        // The pages.
        adm.login("admin", ADMIN_PW).await;
        let page = adm.get("/applications").await;
        assert!(page.body.contains("Зараде") && !page.body.contains("Paragraf Lex"), "{}", db.name);
        let r = adm.post("/applications", &[("name", "Матична књига"), ("kind", "other"), ("roles", "матичар\nзаменик")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", db.name, r.body);
        let shown = adm.get(&r.location).await;
        assert!(shown.body.contains("матичар\nзаменик") || shown.body.contains("матичар&#10;заменик"), "{}", shown.body);
        assert_eq!(adm.post("/applications", &[("name", ""), ("kind", "games")]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(adm.get("/applications/standard").await.body.contains("ОПИС"));

        // The API.
        let (_, token) = s.create_api_token(&head, "h").await.unwrap();
        let (st, page) = adm.api(Method::GET, "/api/v1/applications?q=zarade", &token, None).await;
        assert_eq!((st, page["total"].as_i64()), (StatusCode::OK, Some(1)), "{}", db.name);
        let (st, _) = adm.api(Method::POST, "/api/v1/applications", &token, Some(json!({"name":"x"}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN);
        let (_, atoken) = s.create_api_token(&admin, "a").await.unwrap();
        let (st, created) = adm
            .api(Method::POST, "/api/v1/applications", &atoken, Some(json!({"name":"Портал е-Управа","kind":"other","roles":["оператер"]})))
            .await;
        assert_eq!((st, created["roles"][0].as_str()), (StatusCode::CREATED, Some("оператер")), "{}", db.name);
        let (st, _) = adm
            .api(
                Method::PUT,
                &format!("/api/v1/applications/{}", created["id"]),
                &atoken,
                Some(json!({"name":"Портал е-Управа","kind":"spam"})),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}
