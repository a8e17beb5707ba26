//! Account requests (R.19, Prilog 2) on both databases: the head of unit files for the unit's
//! employee, an administrator carries it out with the username (R.18) and the accesses follow;
//! a change replaces them; closing waits for every asset and access; refusals; the pages, the
//! PDF and the API.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::account_requests::{CarryOutInput, ItemInput, RequestInput, RequestState};
use upravnik_core::account_requests_service::RequestQuery;
use upravnik_core::asset::AssetInput;
use upravnik_core::org::{PersonInput, UnitInput};
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

#[tokio::test]
async fn r19_open_change_and_close_an_account() {
    for db in databases().await {
        let (mut adm, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        s.add_standard_applications(&admin).await.unwrap();
        let q = upravnik_core::org::ListQuery::new(admin.office_id);
        let apps = s.applications(&admin, &q).await.unwrap().items;
        let opis = apps.iter().find(|a| a.name.starts_with("ОПИС")).unwrap().clone();
        let mail = apps.iter().find(|a| a.name == "Е-пошта").unwrap().clone();
        let fin = s.create_unit(&admin, UnitInput { name: "Финансије".into(), ..Default::default() }).await.unwrap();
        let budget =
            s.create_unit(&admin, UnitInput { name: "Буџет".into(), parent_id: Some(fin.id), ..Default::default() }).await.unwrap();
        let urb = s.create_unit(&admin, UnitInput { name: "Урбанизам".into(), ..Default::default() }).await.unwrap();
        let head = staff(&s, &admin, Some(fin.id), "Весна", "vesna", &[Role::Employee, Role::HeadOfUnit]).await;
        let emp = staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
        let jelena = s
            .create_person(
                &admin,
                PersonInput {
                    given_name: "Јелена".into(), family_name: "Петровић".into(), unit_id: Some(budget.id), ..Default::default()
                },
            )
            .await
            .unwrap();
        let other = s
            .create_person(
                &admin,
                PersonInput {
                    given_name: "Борис".into(), family_name: "Илић".into(), unit_id: Some(urb.id), ..Default::default()
                },
            )
            .await
            .unwrap();
        let open = |person: i64| RequestInput {
            person_id: person,
            kind: "open".into(),
            items: vec![
                ItemInput { application_id: opis.id, role: "писарница".into() },
                ItemInput { application_id: mail.id, role: "корисник".into() },
            ],
            internet: true,
            social: false,
            note: "Почиње 1. децембра".into(),
        };

        // Only for one's own unit (internal units included); an employee files nothing.
        assert_eq!(code(&s.create_account_request(&head, &open(other.id)).await), "err-request-not-your-unit", "{}", db.name);
        assert_eq!(code(&s.create_account_request(&emp, &open(jelena.id)).await), "forbidden");
        let bad = RequestInput { items: vec![ItemInput { application_id: opis.id, role: "бог".into() }], ..open(jelena.id) };
        assert_eq!(code(&s.create_account_request(&head, &bad).await), "err-request-app");
        let r = s.create_account_request(&head, &open(jelena.id)).await.unwrap();
        assert_eq!(
            (r.number.as_str(), r.state, r.items.len(), r.unit_name.as_str()),
            ("ЗКН-2026-0001", RequestState::Submitted, 2, "Буџет"),
            "{}",
            db.name
        );
        let mine = s.account_requests(&head, &RequestQuery { page: 1, per_page: 50, ..Default::default() }).await.unwrap();
        assert_eq!(mine.total, 1, "{}: the head sees the unit's", db.name);
        assert_eq!(code(&s.account_requests(&emp, &RequestQuery::default()).await), "forbidden");

        // Carried out: the username follows R.18; the accesses are granted.
        let bad_user = CarryOutInput { username: "J.Petrovic".into(), ..Default::default() };
        assert_eq!(code(&s.carry_out_account_request(&admin, r.id, &bad_user).await), "err-request-username");
        assert_eq!(code(&s.carry_out_account_request(&head, r.id, &bad_user).await), "forbidden");
        let done = s
            .carry_out_account_request(
                &admin,
                r.id,
                &CarryOutInput {
                    username: "jpetrovic".into(), setup_note: "Налог у домену и ОПИС-у".into(), ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (done.state, done.username.as_deref(), done.done_by.as_deref()),
            (RequestState::Done, Some("jpetrovic"), Some("Милан Стојановић"))
        );
        assert_eq!(
            code(&s.carry_out_account_request(&admin, r.id, &CarryOutInput { username: "x1".into(), ..Default::default() }).await),
            "err-request-state"
        );
        let d = s.account_request(&head, r.id).await.unwrap();
        assert_eq!(d.grants.len(), 2, "{}", db.name);

        // A change (new workplace, R.19) replaces the roles: what is not asked again goes.
        let change = RequestInput {
            kind: "change".into(),
            items: vec![
                ItemInput { application_id: opis.id, role: "обрађивач предмета".into() },
                ItemInput { application_id: mail.id, role: "корисник".into() },
            ],
            ..open(jelena.id)
        };
        let c = s.create_account_request(&head, &change).await.unwrap();
        s.carry_out_account_request(&admin, c.id, &CarryOutInput { username: "jpetrovic".into(), ..Default::default() }).await.unwrap();
        let roles: Vec<String> = s.account_request(&admin, c.id).await.unwrap().grants.iter().map(|g| g.role.clone()).collect();
        assert_eq!(roles, ["корисник", "обрађивач предмета"], "{}", db.name);

        // Leaving: not while she holds a workstation or an access not confirmed removed.
        let pc = s
            .create_asset(&admin, &AssetInput { kind: "laptop".into(), inventory_number: "ЛП-40".into(), ..Default::default() })
            .await
            .unwrap();
        s.assign_asset(&admin, pc.id, Some(jelena.id), None, "", false).await.unwrap();
        let close = s
            .create_account_request(&head, &RequestInput { kind: "close".into(), items: vec![], internet: false, ..open(jelena.id) })
            .await
            .unwrap();
        let d = s.account_request(&admin, close.id).await.unwrap();
        assert_eq!((d.assets.len(), d.grants.len()), (1, 2), "{}", db.name);
        let all: Vec<i64> = d.grants.iter().map(|g| g.id).collect();
        assert_eq!(
            code(&s.carry_out_account_request(&admin, close.id, &CarryOutInput { removed: all.clone(), ..Default::default() }).await),
            "err-request-blocked"
        );
        s.return_asset(&admin, pc.id, "").await.unwrap();
        assert_eq!(
            code(&s.carry_out_account_request(&admin, close.id, &CarryOutInput { removed: all[..1].to_vec(), ..Default::default() }).await),
            "err-request-blocked",
            "{}: every access confirmed",
            db.name
        );
        s.carry_out_account_request(&admin, close.id, &CarryOutInput { removed: all, ..Default::default() }).await.unwrap();
        assert!(s.account_request(&admin, close.id).await.unwrap().grants.is_empty(), "{}", db.name);

        // Social networks (R.32): only with the head of administration's approval, recorded.
        let chief = staff(&s, &admin, None, "Драгана", "dragana", &[Role::Employee, Role::HeadOfAdministration]).await;
        let social =
            s.create_account_request(&head, &RequestInput { kind: "change".into(), social: true, ..open(jelena.id) }).await.unwrap();
        let by = CarryOutInput { username: "jpetrovic".into(), ..Default::default() };
        assert_eq!(code(&s.carry_out_account_request(&admin, social.id, &by).await), "err-request-social-approval", "{}", db.name);
        assert_eq!(code(&s.approve_social_networks(&admin, social.id).await), "forbidden", "not the administrator");
        assert_eq!(code(&s.approve_social_networks(&head, social.id).await), "forbidden");
        let ok = s.approve_social_networks(&chief, social.id).await.unwrap();
        assert_eq!(ok.social_approved_by.as_deref(), Some("Драгана Јовановић"), "{}", db.name);
        s.carry_out_account_request(&admin, social.id, &by).await.unwrap();
        let no_internet = RequestInput { internet: false, social: true, ..open(jelena.id) };
        assert_eq!(code(&s.create_account_request(&head, &no_internet).await), "err-request-social-internet");

        // One left waiting longer than three days shows on the administrator's home page.
        let waiting = s.create_account_request(&head, &RequestInput { kind: "change".into(), ..open(jelena.id) }).await.unwrap();
        assert_eq!(s.waiting_account_requests(&admin).await.unwrap(), 0, "{}", db.name);
        let (svc, clock) = services(&db);
        clock.advance_secs(4 * 24 * 3600);
        assert_eq!(svc.waiting_account_requests(&admin).await.unwrap(), 1, "{}", db.name);
        s.reject_account_request(&admin, waiting.id, "Не треба").await.unwrap();
        assert_eq!(svc.waiting_account_requests(&admin).await.unwrap(), 0);

        // Refused, with a reason; the head may withdraw her own.
        let x = s.create_account_request(&head, &open(jelena.id)).await.unwrap();
        assert_eq!(code(&s.reject_account_request(&head, x.id, " ").await), "err-required");
        let x = s.reject_account_request(&head, x.id, "Грешком поднет").await.unwrap();
        assert_eq!((x.state, x.rejected_reason.as_str()), (RequestState::Rejected, "Грешком поднет"));

        let log: Vec<String> =
            s.worklog(&admin, Filter { limit: 100, ..Default::default() }).await.unwrap().into_iter().map(|e| e.text).collect();
        assert!(
            log.iter().any(|t| t.starts_with("Захтев ЗКН-2026-0001 за отварање корисничког налога запосленог Јелена Петровић: ОПИС")),
            "{log:#?}"
        );
        assert!(log.iter().any(|t| t.contains("Извршен захтев ЗКН-2026-0001") && t.contains("корисничко име jpetrovic")), "{log:#?}");
        assert!(
            log.iter().any(|t| t.contains("Извршен захтев ЗКН-2026-0003 за затварање") && t.contains("одузето приступа: 2")),
            "{log:#?}"
        );
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());

        // The pages: the head's form lists only the unit's people; the PDF has both parts.
        let (mut hp, _) = App::new(&db).await;
        hp.login("vesna", "plava8reka").await;
        let form = hp.get("/account-requests/new").await;
        assert!(form.body.contains("Јелена Петровић") && !form.body.contains("Борис Илић"), "{}", db.name);
        let opis_field = format!("app_{}", opis.id);
        let r = hp
            .post(
                "/account-requests",
                &[("person_id", &jelena.id.to_string()), ("kind", "open"), (opis_field.as_str(), "архива"), ("note", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", db.name, r.body);
        assert_eq!(
            hp.post("/account-requests", &[("person_id", &jelena.id.to_string()), ("kind", "open")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        adm.login("admin", ADMIN_PW).await;
        let page = adm.get(&r.location).await;
        assert!(page.body.contains("архива") && page.body.contains("value=\"jpetrovic\""), "suggested username: {}", page.body);
        let id: i64 = r.location.trim_start_matches("/account-requests/").split('?').next().unwrap().parse().unwrap();
        let bad = adm.post(&format!("/account-requests/{id}/carry-out"), &[("username", "Ј")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        let ok = adm.post(&format!("/account-requests/{id}/carry-out"), &[("username", "jpetrovic"), ("setup_note", "ОПИС: архива")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        let pdf = hp.get(&format!("/account-requests/{id}/pdf")).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"), "{}", db.name);
        if let Some(text) = pdf_text(&pdf.bytes) {
            for want in ["Прилог 2", "Јелена Петровић", "архива", "jpetrovic", "Први део", "Други део", "Весна Јовановић"]
            {
                assert!(text.contains(want), "{}: {want} missing from\n{text}", db.name);
            }
        }

        // The API.
        let (_, token) = s.create_api_token(&head, "h").await.unwrap();
        let (st, list) = adm.api(Method::GET, "/api/v1/account-requests?state=done", &token, None).await;
        assert_eq!((st, list["total"].as_i64()), (StatusCode::OK, Some(5)), "{}: {list}", db.name);
        let (st, created) = adm
            .api(
                Method::POST,
                "/api/v1/account-requests",
                &token,
                Some(json!({"person_id": jelena.id, "kind": "change", "internet": true})),
            )
            .await;
        assert_eq!((st, created["state"].as_str()), (StatusCode::CREATED, Some("submitted")), "{created}");
        let (st, _) = adm
            .api(
                Method::POST,
                &format!("/api/v1/account-requests/{}/carry-out", created["id"]),
                &token,
                Some(json!({"username":"jpetrovic"})),
            )
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "the head does not carry out");
        let (st, detail) = adm.api(Method::GET, &format!("/api/v1/account-requests/{}", created["id"]), &token, None).await;
        assert_eq!(
            (st, detail["grants"].as_array().map(Vec::len)),
            (StatusCode::OK, Some(3)),
            "{detail}: re-granted by the social-networks change, then the page's one"
        );
    }
}
