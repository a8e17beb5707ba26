//! Consumables kept in a store (R.3) on both databases: stock never below zero, even under
//! concurrent issues; the stock is the sum of the moves; every move is in the work log.

use upravnik_core::Error;
use upravnik_core::access::{Actor, Role};
use upravnik_core::consumable::{Consumable, ConsumableInput, ConsumableQuery, MoveInput, MoveKind};
use upravnik_core::service::Services;
use upravnik_core::worklog::Filter;

use crate::support::*;

pub fn toner() -> ConsumableInput {
    ConsumableInput {
        name: "Тонер HP 59A (CF259A)".into(),
        category: "toner".into(),
        unit: "ком".into(),
        compatible_with: "HP LaserJet Pro M404dn".into(),
        min_stock: "2".into(),
        ..Default::default()
    }
}

pub fn mv(kind: &str, qty: &str) -> MoveInput {
    MoveInput { kind: kind.into(), quantity: qty.into(), ..Default::default() }
}

async fn employee(s: &Services, admin: &Actor, given: &str) -> i64 {
    s.create_person(
        admin,
        upravnik_core::org::PersonInput { given_name: given.into(), family_name: "Марковић".into(), ..Default::default() },
    )
    .await
    .unwrap()
    .id
}

async fn sum_of_moves(s: &Services, admin: &Actor, c: &Consumable) -> i64 {
    s.consumable_moves(admin, c.id).await.unwrap().iter().map(|m| m.delta).sum()
}

#[tokio::test]
async fn r3_issuing_beyond_stock_is_refused_and_changes_nothing() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let marko = employee(&s, &admin, "Марко").await;
        let printer = s
            .create_asset(
                &admin,
                &upravnik_core::asset::AssetInput {
                    kind: "printer".into(),
                    inventory_number: "ШТ-1".into(),
                    manufacturer: "HP".into(),
                    model: "LaserJet Pro M404dn".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let t = s.create_consumable(&admin, &toner()).await.unwrap();
        assert_eq!((t.stock, t.low_stock), (0, true), "{}: a new item is empty and below its minimum", db.name);
        let received = s
            .record_consumable_move(
                &admin,
                t.id,
                &MoveInput { supplier: "Биро-опрема".into(), reference: "ЈН 7/2026".into(), ..mv("receive", "5") },
            )
            .await
            .unwrap();
        assert_eq!(received.stock_after, 5);
        let issue = MoveInput { person_id: Some(marko), asset_id: Some(printer.id), date: "26.11.2026.".into(), ..mv("issue", "2") };
        let issued = s.record_consumable_move(&admin, t.id, &issue).await.unwrap();
        assert_eq!((issued.delta, issued.stock_after, issued.on.as_str()), (-2, 3, "2026-11-26"), "{}", db.name);
        assert_eq!(issued.person_name.as_deref(), Some("Марко Марковић"));
        assert!(issued.asset_label.as_deref().is_some_and(|l| l.starts_with("ШТ-1")));

        let log_before = s.worklog(&admin, Filter { limit: 1000, ..Default::default() }).await.unwrap().len();
        let too_many = s.record_consumable_move(&admin, t.id, &MoveInput { person_id: Some(marko), ..mv("issue", "4") }).await;
        assert!(matches!(too_many, Err(Error::Conflict { code: "insufficient_stock", .. })), "{}: {too_many:?}", db.name);
        assert_eq!(s.consumable(&admin, t.id).await.unwrap().stock, 3, "{}: nothing changed", db.name);
        assert_eq!(s.consumable_moves(&admin, t.id).await.unwrap().len(), 2);
        assert_eq!(
            s.worklog(&admin, Filter { limit: 1000, ..Default::default() }).await.unwrap().len(),
            log_before,
            "nor was anything logged"
        );

        // Returns: only what the employee was given; stocktaking: signed and explained.
        let back_too_many = s.record_consumable_move(&admin, t.id, &MoveInput { person_id: Some(marko), ..mv("return", "3") }).await;
        assert!(matches!(back_too_many, Err(Error::Invalid(ref e)) if e[0].message == "err-return-more-than-issued"), "{}", db.name);
        s.record_consumable_move(&admin, t.id, &MoveInput { person_id: Some(marko), ..mv("return", "1") }).await.unwrap();
        let no_reason = s.record_consumable_move(&admin, t.id, &mv("adjust", "-1")).await;
        assert!(matches!(no_reason, Err(Error::Invalid(_))));
        let short = s.record_consumable_move(&admin, t.id, &MoveInput { note: "Попис 30.11.2026.".into(), ..mv("adjust", "-5") }).await;
        assert!(matches!(short, Err(Error::Conflict { .. })), "{}: an adjustment cannot go below zero either", db.name);
        s.record_consumable_move(&admin, t.id, &MoveInput { note: "Попис 30.11.2026.".into(), ..mv("adjust", "-1") }).await.unwrap();

        let now = s.consumable(&admin, t.id).await.unwrap();
        assert_eq!(now.stock, 3, "{}", db.name);
        assert_eq!(sum_of_moves(&s, &admin, &now).await, now.stock, "{}: the stock is the sum of the moves", db.name);
        let kinds: Vec<MoveKind> = s.consumable_moves(&admin, t.id).await.unwrap().iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [MoveKind::Adjust, MoveKind::Return, MoveKind::Issue, MoveKind::Receive]);

        // The work log names the item, the quantity and the employee.
        let log = s
            .worklog(
                &admin,
                Filter { object_kind: Some("consumable".into()), object_id: Some(t.id.to_string()), limit: 20, ..Default::default() },
            )
            .await
            .unwrap();
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts.len(), 5, "{}: {texts:?}", db.name);
        assert!(
            texts.contains(
                &"Издато: Тонер HP 59A (CF259A) × 2 ком — Марко Марковић (за HP LaserJet Pro M404dn, инв. бр. ШТ-1), 26.11.2026."
            ),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.starts_with("Пријем: Тонер HP 59A (CF259A) × 5 ком (Биро-опрема, ЈН 7/2026)")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Усклађено после пописа: Тонер HP 59A (CF259A) −1 ком (Попис 30.11.2026.)")));
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());

        // The employee's consumables; the low-stock list.
        let his = s.person_consumables(&admin, marko).await.unwrap();
        assert_eq!(his.len(), 2);
        assert_eq!(s.low_stock_consumables(&admin, 10).await.unwrap().total, 0, "{}: 3 is above the minimum of 2", db.name);
        s.record_consumable_move(&admin, t.id, &MoveInput { person_id: Some(marko), ..mv("issue", "1") }).await.unwrap();
        let low = s.low_stock_consumables(&admin, 10).await.unwrap();
        assert_eq!((low.total, low.items[0].stock, low.items[0].low_stock), (1, 2, true), "{}: at the minimum is low", db.name);
    }
}

#[tokio::test]
async fn r3_concurrent_issues_cannot_overdraw_the_store() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let marko = employee(&s, &admin, "Марко").await;
        let t = s.create_consumable(&admin, &toner()).await.unwrap();
        s.record_consumable_move(&admin, t.id, &mv("receive", "3")).await.unwrap();
        // Eight issues of one unit each at once, for the last three units.
        let mut tasks = vec![];
        for _ in 0..8 {
            let (s, admin) = (s.clone(), admin.clone());
            tasks.push(tokio::spawn(async move {
                s.record_consumable_move(&admin, t.id, &MoveInput { person_id: Some(marko), ..mv("issue", "1") }).await
            }));
        }
        let mut ok = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(Error::Conflict { code: "insufficient_stock", .. }) => {}
                Err(e) => panic!("{}: unexpected {e:?}", db.name),
            }
        }
        assert_eq!(ok, 3, "{}: exactly the units in stock were issued", db.name);
        let now = s.consumable(&admin, t.id).await.unwrap();
        assert_eq!(now.stock, 0, "{}", db.name);
        assert_eq!(sum_of_moves(&s, &admin, &now).await, 0);
        let afters: Vec<i64> = s.consumable_moves(&admin, t.id).await.unwrap().iter().map(|m| m.stock_after).collect();
        assert_eq!(afters, [0, 1, 2, 3], "{}: each issue saw the one before it", db.name);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn the_consumables_list_searches_filters_and_guards_its_names() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let t = s.create_consumable(&admin, &toner()).await.unwrap();
        let mouse =
            ConsumableInput { name: "Миш Logitech B100".into(), category: "mouse".into(), min_stock: "3".into(), ..Default::default() };
        let m = s.create_consumable(&admin, &mouse).await.unwrap();
        s.record_consumable_move(&admin, m.id, &mv("receive", "10")).await.unwrap();
        let paper =
            ConsumableInput { name: "Папир А4".into(), category: "paper".into(), unit: "рис".into(), ..Default::default() };
        s.create_consumable(&admin, &paper).await.unwrap();
        let q = |f: &dyn Fn(&mut ConsumableQuery)| {
            let mut q = ConsumableQuery { page: 1, per_page: 50, ..Default::default() };
            f(&mut q);
            q
        };
        assert_eq!(s.consumables(&admin, &q(&|_| {})).await.unwrap().total, 3, "{}", db.name);
        assert_eq!(s.consumables(&admin, &q(&|q| q.q = Some("mis".into()))).await.unwrap().total, 1, "{}: either script", db.name);
        assert_eq!(s.consumables(&admin, &q(&|q| q.q = Some("m404".into()))).await.unwrap().total, 1, "compatible models are searched");
        let low = s.consumables(&admin, &q(&|q| q.low_only = true)).await.unwrap();
        assert_eq!(low.items.iter().map(|c| c.id).collect::<Vec<_>>(), [t.id], "{}: paper has no minimum", db.name);
        let mice = s.consumables(&admin, &q(&|q| q.category = Some(upravnik_core::consumable::ConsumableCategory::Mouse))).await.unwrap();
        assert_eq!(mice.total, 1);
        let by_stock = s
            .consumables(
                &admin,
                &q(&|q| {
                    q.sort = upravnik_core::consumable::ConsumableSort::Stock;
                    q.desc = true;
                }),
            )
            .await
            .unwrap();
        assert_eq!(by_stock.items[0].id, m.id);

        let twice = s.create_consumable(&admin, &toner()).await;
        assert!(matches!(twice, Err(Error::Conflict { code: "consumable_name_taken", .. })), "{}: {twice:?}", db.name);
        // Deactivated: hidden from the list, nothing received or issued, the rest can be counted.
        let off = s.update_consumable(&admin, m.id, &ConsumableInput { active: false, ..mouse.clone() }).await.unwrap();
        assert!(!off.fields.active);
        assert_eq!(s.consumables(&admin, &q(&|_| {})).await.unwrap().total, 2);
        assert_eq!(s.consumables(&admin, &q(&|q| q.include_inactive = true)).await.unwrap().total, 3);
        assert!(matches!(s.record_consumable_move(&admin, m.id, &mv("receive", "1")).await, Err(Error::Invalid(_))));
        let log = s
            .worklog(
                &admin,
                Filter { object_kind: Some("consumable".into()), object_id: Some(m.id.to_string()), limit: 1, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(log[0].text, "Измена потрошног материјала Миш Logitech B100: активно: „да“ → „не“", "{}", db.name);

        // Roles: the inspector reads, an employee does not, only administrators write.
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        assert_eq!(s.consumables(&inspector, &q(&|_| {})).await.unwrap().total, 2);
        assert!(matches!(s.record_consumable_move(&inspector, t.id, &mv("receive", "1")).await, Err(Error::Forbidden)));
        let emp = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        assert!(matches!(s.consumables(&emp, &q(&|_| {})).await, Err(Error::Forbidden)));
    }
}

mod pages_and_api {
    use axum::http::{Method, StatusCode};
    use serde_json::json;

    use super::*;
    use crate::http::App;

    #[tokio::test]
    async fn the_store_through_the_pages() {
        for db in databases().await {
            let (mut app, s) = App::new(&db).await;
            let admin = with_admin(&s).await;
            let marko = employee(&s, &admin, "Марко").await;
            app.login("admin", ADMIN_PW).await;
            let home = app.get("/").await;
            assert!(home.body.contains("Сав потрошни материјал је изнад минималне залихе."), "{}: the empty state", db.name);

            let list = app.get("/consumables").await;
            assert_eq!(list.status, StatusCode::OK);
            assert!(
                list.body.contains("href=\"/consumables\" aria-current=\"page\">Потрошни материјал"),
                "{}: the sub-navigation",
                db.name
            );
            let invalid = app.post("/consumables", &[("name", ""), ("category", "toner"), ("min_stock", "-3")]).await;
            assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(invalid.body.contains("Цео број од 0 до 100.000."));
            let created = app
                .post(
                    "/consumables",
                    &[("name", "Тонер HP 59A"), ("category", "toner"), ("unit", "ком"), ("min_stock", "2"), ("active", "1")],
                )
                .await;
            assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
            let page_path = created.location.split('?').next().unwrap().to_string();
            let id: i64 = page_path.trim_start_matches("/consumables/").parse().unwrap();
            let item = app.get(&created.location).await;
            assert!(item.body.contains("Записано.") && item.body.contains("<strong>0 ком</strong>") && item.body.contains("на минимуму"));
            assert!(item.body.contains(&format!("/consumables/{id}/moves/new?kind=issue")));

            let form = app.get(&format!("/consumables/{id}/moves/new?kind=receive")).await;
            assert!(form.body.contains("На стању: 0 ком") && form.body.contains("name=\"kind\" value=\"receive\""), "{}", db.name);
            let moves = format!("/consumables/{id}/moves");
            let r = app.post(&moves, &[("kind", "receive"), ("quantity", "3"), ("supplier", "Биро-опрема"), ("date", "25.11.2026.")]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let issue_form = app.get(&format!("/consumables/{id}/moves/new?kind=issue")).await;
            assert!(issue_form.body.contains("Марковић Марко"), "{}: the employee picker", db.name);
            let too_many = app.post(&moves, &[("kind", "issue"), ("quantity", "4"), ("person_id", &marko.to_string())]).await;
            assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            assert!(too_many.body.contains("Нема довољно на стању; ништа није издато.") && too_many.body.contains("На стању: 3 ком"));
            assert!(too_many.body.contains("value=\"4\""), "the input is kept");
            assert_eq!(s.consumable(&admin, id).await.unwrap().stock, 3, "{}: nothing changed", db.name);
            let ok = app.post(&moves, &[("kind", "issue"), ("quantity", "2"), ("person_id", &marko.to_string())]).await;
            assert_eq!(ok.status, StatusCode::SEE_OTHER);
            let item = app.get(&page_path).await;
            assert!(item.body.contains("<strong>1 ком</strong>") && item.body.contains("Марко Марковић") && item.body.contains("−2 ком"));
            assert!(item.body.contains("Издато: Тонер HP 59A × 2 ком — Марко Марковић"), "{}: the work log on the page", db.name);

            // The list highlights it; the low filter finds it; the export carries it.
            let list = app.get("/consumables?status=low").await;
            assert!(list.body.contains("<td class=\"error\">1</td>"), "{}: {}", db.name, list.body);
            assert!(app.get("/consumables?q=toner&kind=mouse").await.body.contains("Ништа не одговара претрази"));
            let csv = app.get("/consumables?q=toner&format=csv").await;
            assert!(csv.content_type.starts_with("text/csv") && csv.body.contains("Тонер HP 59A,тонер,,1,2,ком"), "{}", csv.body);
            let xlsx = app.get("/consumables?format=xlsx").await;
            assert_eq!(&xlsx.bytes[..2], b"PK");
            // The employee's page and the home page.
            let person = app.get(&format!("/people/{marko}")).await;
            assert!(person.body.contains("Издат потрошни материјал") && person.body.contains(&format!("href=\"/consumables/{id}\"")));
            let home = app.get("/").await;
            assert!(
                home.body.contains("Потрошни материјал на минимуму") && home.body.contains(&format!("/consumables/{id}")),
                "{}",
                db.name
            );

            // Edit; an inspector reads but finds no forms.
            let edit = app
                .post(&page_path, &[("name", "Тонер HP 59A (CF259A)"), ("category", "toner"), ("min_stock", "1"), ("active", "1")])
                .await;
            assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
            assert!(s.low_stock_consumables(&admin, 10).await.unwrap().items.iter().any(|c| c.id == id));
            user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
            let mut insp = App { router: app.router.clone(), cookie: String::new(), csrf: String::new() };
            insp.login("inspektor", "plava8reka").await;
            let seen = insp.get(&page_path).await;
            assert_eq!(seen.status, StatusCode::OK);
            assert!(!seen.body.contains("/moves/new"), "{}: no move forms for a reader", db.name);
            assert!(!insp.get("/").await.body.contains("Потрошни материјал на минимуму"), "the store's warning is for administrators");
        }
    }

    #[tokio::test]
    async fn the_store_through_the_api() {
        for db in databases().await {
            let (app, s) = App::new(&db).await;
            let admin = with_admin(&s).await;
            let marko = employee(&s, &admin, "Марко").await;
            let (_, token) = s.create_api_token(&admin, "скрипта").await.unwrap();
            let (st, c) = app
                .api(
                    Method::POST,
                    "/api/v1/consumables",
                    &token,
                    Some(json!({"name": "Миш Logitech B100", "category": "mouse", "min_stock": 2})),
                )
                .await;
            assert_eq!(st, StatusCode::CREATED, "{}: {c}", db.name);
            assert_eq!((c["stock"].as_i64(), c["low_stock"].as_bool(), c["unit"].as_str()), (Some(0), Some(true), Some("ком")));
            let id = c["id"].as_i64().unwrap();
            let moves = format!("/api/v1/consumables/{id}/moves");
            let (st, m) =
                app.api(Method::POST, &moves, &token, Some(json!({"kind": "receive", "quantity": 5, "reference": "ЈН 3/2026"}))).await;
            assert_eq!((st, m["stock_after"].as_i64()), (StatusCode::CREATED, Some(5)), "{}: {m}", db.name);
            let (st, e) = app.api(Method::POST, &moves, &token, Some(json!({"kind": "issue", "quantity": 6, "person_id": marko}))).await;
            assert_eq!(st, StatusCode::CONFLICT, "{}: {e}", db.name);
            assert_eq!(e["error"]["code"], "insufficient_stock");
            let (st, e) = app.api(Method::POST, &moves, &token, Some(json!({"kind": "issue", "quantity": "1"}))).await;
            assert_eq!((st, e["error"]["fields"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("person_id")));
            let (st, m) = app
                .api(
                    Method::POST,
                    &moves,
                    &token,
                    Some(json!({"kind": "issue", "quantity": "4", "person_id": marko, "date": "2026-11-27"})),
                )
                .await;
            assert_eq!((st, m["delta"].as_i64(), m["person_name"].as_str()), (StatusCode::CREATED, Some(-4), Some("Марко Марковић")));
            let (st, list) = app.api(Method::GET, &moves, &token, None).await;
            assert_eq!((st, list.as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
            let (_, one) = app.api(Method::GET, &format!("/api/v1/consumables/{id}"), &token, None).await;
            assert_eq!((one["stock"].as_i64(), one["low_stock"].as_bool()), (Some(1), Some(true)));
            let (_, low) = app.api(Method::GET, "/api/v1/consumables?low=true&q=mis", &token, None).await;
            assert_eq!(low["total"].as_i64(), Some(1), "{}: {low}", db.name);
            let (st, _) = app.api(Method::GET, "/api/v1/consumables?category=lamp", &token, None).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
            let (st, u) = app
                .api(
                    Method::PUT,
                    &format!("/api/v1/consumables/{id}"),
                    &token,
                    Some(json!({"name": "Миш Logitech B100", "category": "mouse", "min_stock": 0})),
                )
                .await;
            assert_eq!((st, u["low_stock"].as_bool()), (StatusCode::OK, Some(false)));
            // Readers read; they do not move stock.
            let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
            let (_, itoken) = s.create_api_token(&inspector, "čitanje").await.unwrap();
            assert_eq!(app.api(Method::GET, &moves, &itoken, None).await.0, StatusCode::OK);
            assert_eq!(
                app.api(Method::POST, &moves, &itoken, Some(json!({"kind": "receive", "quantity": 1}))).await.0,
                StatusCode::FORBIDDEN
            );
        }
    }
}
