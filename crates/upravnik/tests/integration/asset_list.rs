//! The equipment list: unit/employee/place filters, saved filters, bulk actions — on both
//! databases, through the services, the pages and the API.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::{Actor, Role};
use upravnik_core::asset::{AssetInput, AssetQuery, AssetStatus};
use upravnik_core::bulk::BulkAction;
use upravnik_core::org::{PersonInput, UnitInput, WorkplaceInput};
use upravnik_core::saved_filter::SavedFilterInput;
use upravnik_core::service::Services;
use upravnik_core::worklog::Filter;

use crate::http::App;
use crate::support::*;

fn asset(kind: &str, inv: &str, building: &str, room: &str) -> AssetInput {
    AssetInput { kind: kind.into(), inventory_number: inv.into(), building: building.into(), room: room.into(), ..Default::default() }
}

async fn inventory(s: &Services, admin: &Actor, f: impl Fn(&mut AssetQuery)) -> Vec<String> {
    let mut q = AssetQuery { page: 1, per_page: 100, ..Default::default() };
    f(&mut q);
    let page = s.assets(admin, &q).await.unwrap();
    assert_eq!(page.total as usize, page.items.len());
    page.items.iter().map(|a| a.fields.inventory_number.clone()).collect()
}

async fn asset_log(s: &Services, admin: &Actor, id: i64) -> Vec<String> {
    let f = Filter { object_kind: Some("asset".into()), object_id: Some(id.to_string()), limit: 20, ..Default::default() };
    s.worklog(admin, f).await.unwrap().into_iter().map(|e| e.text).collect()
}

#[tokio::test]
async fn the_unit_filter_finds_assets_by_the_holders_unit_and_by_the_workplaces_unit() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let finance = s.create_unit(&admin, UnitInput { name: "Одељење за финансије".into(), ..Default::default() }).await.unwrap();
        let budget = s
            .create_unit(&admin, UnitInput { name: "Одсек за буџет".into(), parent_id: Some(finance.id), ..Default::default() })
            .await
            .unwrap();
        let registry = s.create_unit(&admin, UnitInput { name: "Писарница".into(), ..Default::default() }).await.unwrap();
        let wp = |unit_id: i64, name: &str| WorkplaceInput { unit_id, name: name.into(), room: String::new() };
        let desk_budget = s.create_workplace(&admin, wp(budget.id, "Референт за буџет")).await.unwrap();
        let desk_registry = s.create_workplace(&admin, wp(registry.id, "Шалтер 1")).await.unwrap();
        let person = |g: &str, unit: i64, w: Option<i64>| PersonInput {
            given_name: g.into(),
            family_name: "Петровић".into(),
            unit_id: Some(unit),
            workplace_id: w,
            ..Default::default()
        };
        let ana = s.create_person(&admin, person("Ана", finance.id, None)).await.unwrap();
        let zoran = s.create_person(&admin, person("Зоран", registry.id, Some(desk_registry.id))).await.unwrap();

        // A laptop held by Ana (finance), a workstation at the budget desk (finance's internal
        // unit, nobody holding it), a printer held by Zoran at the registry desk, one in stock.
        let laptop = s.create_asset(&admin, &asset("laptop", "L-1", "Зграда А", "12")).await.unwrap();
        s.assign_asset(&admin, laptop.id, Some(ana.id), None, "", false).await.unwrap();
        let ws = s.create_asset(&admin, &asset("workstation", "W-1", "Зграда А", "14")).await.unwrap();
        s.assign_asset(&admin, ws.id, None, Some(desk_budget.id), "", false).await.unwrap();
        let printer = s.create_asset(&admin, &asset("printer", "P-1", "Зграда Б", "2")).await.unwrap();
        s.assign_asset(&admin, printer.id, Some(zoran.id), Some(desk_registry.id), "", false).await.unwrap();
        s.create_asset(&admin, &asset("monitor", "M-1", "Зграда Б", "14")).await.unwrap();

        let by_unit = |u: i64| move |q: &mut AssetQuery| q.unit_id = Some(u);
        assert_eq!(inventory(&s, &admin, by_unit(finance.id)).await, ["L-1", "W-1"], "{}: holder's unit and workplace's unit", db.name);
        assert_eq!(inventory(&s, &admin, by_unit(budget.id)).await, ["W-1"], "{}: the internal unit alone", db.name);
        // Paged: the total is right on a page, and past the last one.
        for (page, items) in [(2, 1), (3, 0)] {
            let q = AssetQuery { unit_id: Some(finance.id), q: Some("-1".into()), page, per_page: 1, ..Default::default() };
            let got = s.assets(&admin, &q).await.unwrap();
            assert_eq!((got.total, got.items.len()), (2, items), "{}: page {page}", db.name);
        }
        assert_eq!(inventory(&s, &admin, by_unit(registry.id)).await, ["P-1"], "{}", db.name);
        // A unit with no people and no workplaces: on PostgreSQL both id arrays are empty.
        let empty = s.create_unit(&admin, UnitInput { name: "Кабинет".into(), ..Default::default() }).await.unwrap();
        for page in [1, 2] {
            let got = s.assets(&admin, &AssetQuery { unit_id: Some(empty.id), page, per_page: 1, ..Default::default() }).await.unwrap();
            assert_eq!((got.total, got.items.len()), (0, 0), "{}: empty unit, page {page}", db.name);
        }
        assert_eq!(inventory(&s, &admin, |q| q.person_id = Some(zoran.id)).await, ["P-1"], "{}", db.name);
        assert_eq!(inventory(&s, &admin, |q| q.room = Some("14".into())).await, ["M-1", "W-1"], "{}", db.name);
        assert_eq!(inventory(&s, &admin, |q| q.building = Some("Зграда Б".into())).await, ["M-1", "P-1"], "{}", db.name);
        let both = inventory(&s, &admin, |q| {
            q.building = Some("Зграда А".into());
            q.room = Some("14".into());
            q.unit_id = Some(finance.id);
        })
        .await;
        assert_eq!(both, ["W-1"], "{}: filters combine", db.name);
        let places = s.asset_places(&admin).await.unwrap();
        assert_eq!(places.len(), 4, "{}: {places:?}", db.name);
    }
}

#[tokio::test]
async fn saved_filters_belong_to_their_user_and_shared_ones_reach_the_other_administrators() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let admin2 = user_with(&s, &admin, "admin2", &[Role::Administrator]).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        let input = |name: &str, query: &str, shared: bool| SavedFilterInput {
            page: "assets".into(),
            name: name.into(),
            query: query.into(),
            shared,
        };
        let mine = s.save_filter(&admin, &input("Штампачи", "kind=printer", false)).await.unwrap();
        s.save_filter(&admin, &input("Отписано", "status=written_off", true)).await.unwrap();
        let dup = s.save_filter(&admin, &input("Штампачи", "kind=printer&room=2", false)).await;
        assert!(matches!(dup, Err(Error::Conflict { code: "filter_name_taken", field: Some("name") })), "{}: {dup:?}", db.name);
        // Another user may use the same name.
        s.save_filter(&inspector, &input("Штампачи", "kind=printer", false)).await.unwrap();
        let refused = s.save_filter(&inspector, &input("За све", "", true)).await;
        assert!(matches!(refused, Err(Error::Invalid(ref e)) if e[0].message == "err-filter-share"), "{}", db.name);

        let names = |v: Vec<upravnik_core::saved_filter::SavedFilter>| v.into_iter().map(|f| f.name).collect::<Vec<_>>();
        assert_eq!(names(s.saved_filters(&admin, "assets").await.unwrap()), ["Отписано", "Штампачи"], "{}", db.name);
        assert_eq!(names(s.saved_filters(&admin2, "assets").await.unwrap()), ["Отписано"], "{}: only the shared one", db.name);
        assert_eq!(names(s.saved_filters(&inspector, "assets").await.unwrap()), ["Штампачи"], "{}: not shared with inspectors", db.name);

        // Only the owner deletes; deleting is logged.
        assert!(s.delete_saved_filter(&admin2, mine.id).await.is_err(), "{}", db.name);
        s.delete_saved_filter(&admin, mine.id).await.unwrap();
        assert_eq!(names(s.saved_filters(&admin, "assets").await.unwrap()), ["Отписано"]);
        let log = s.worklog(&admin, Filter { text: Some("филтер".into()), limit: 10, ..Default::default() }).await.unwrap();
        let texts: Vec<&str> = log.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("Обрисан сачувани филтер „Штампачи“")), "{}: {texts:?}", db.name);
        assert!(texts.iter().any(|t| t.contains("Сачуван филтер „Отписано“")), "{}: {texts:?}", db.name);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn a_bulk_move_writes_history_and_the_work_log_for_every_asset() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let mut ids = vec![];
        for i in 1..=3 {
            ids.push(s.create_asset(&admin, &asset("monitor", &format!("M-{i}"), "Зграда А", "12")).await.unwrap().id);
        }
        let moved = s.create_asset(&admin, &asset("monitor", "M-4", "Зграда Б", "7")).await.unwrap();
        ids.push(moved.id);
        let action = BulkAction::SetPlace { building: "Зграда Б".into(), room: "7".into() };
        let plan = s.plan_bulk(&admin, &ids, &action).await.unwrap();
        assert_eq!((plan.assets.len(), plan.changed(), plan.applied), (4, 3, false), "{}", db.name);
        assert_eq!(inventory(&s, &admin, |q| q.room = Some("7".into())).await, ["M-4"], "{}: planning changes nothing", db.name);

        let done = s.apply_bulk(&admin, &ids, &action).await.unwrap();
        assert!(done.applied && done.problems.is_empty(), "{}", db.name);
        assert_eq!(inventory(&s, &admin, |q| q.room = Some("7".into())).await, ["M-1", "M-2", "M-3", "M-4"], "{}", db.name);
        assert_eq!(inventory(&s, &admin, |q| q.q = Some("7".into())).await.len(), 4, "{}: the search key follows the room", db.name);
        for id in &ids[..3] {
            let h = s.asset_history(&admin, *id).await.unwrap();
            let rows: Vec<(&str, &str, &str)> = h.iter().map(|r| (r.field.as_str(), r.old.as_str(), r.new.as_str())).collect();
            assert_eq!(rows, [("room", "12", "7"), ("building", "Зграда А", "Зграда Б")], "{}", db.name);
            let log = asset_log(&s, &admin, *id).await;
            assert_eq!(log.len(), 2, "{}: registration and the move", db.name);
            assert!(log[0].contains("просторија: „12“ → „7“"), "{}: {}", db.name, log[0]);
        }
        assert!(s.asset_history(&admin, moved.id).await.unwrap().is_empty(), "{}: no change, no history", db.name);
        assert_eq!(asset_log(&s, &admin, moved.id).await.len(), 1);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());

        // Limits and rights.
        let too_many: Vec<i64> = (1..=501).collect();
        assert!(matches!(s.plan_bulk(&admin, &too_many, &action).await, Err(Error::Invalid(e)) if e[0].message == "err-bulk-too-many"));
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        assert!(matches!(s.apply_bulk(&inspector, &ids, &action).await, Err(Error::Forbidden)));
    }
}

#[tokio::test]
async fn a_bulk_status_change_with_one_disallowed_move_changes_nothing_and_names_the_asset() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let a = s.create_asset(&admin, &asset("printer", "P-1", "", "")).await.unwrap();
        let b = s.create_asset(&admin, &asset("printer", "P-2", "", "")).await.unwrap();
        let gone = s.create_asset(&admin, &asset("printer", "P-3", "", "")).await.unwrap();
        s.set_asset_status(&admin, gone.id, AssetStatus::WrittenOff, "Решење 1/2026").await.unwrap();
        let before = s.worklog(&admin, Filter { limit: 100, ..Default::default() }).await.unwrap().len();

        let repair = BulkAction::SetStatus { status: AssetStatus::InRepair, reference: String::new() };
        let refused = s.apply_bulk(&admin, &[a.id, b.id, gone.id], &repair).await.unwrap();
        assert!(!refused.applied, "{}", db.name);
        let named: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.inventory_number.as_str(), p.code)).collect();
        assert_eq!(named, [("P-3", "err-status-move")], "{}", db.name);
        for id in [a.id, b.id] {
            assert_eq!(s.asset(&admin, id).await.unwrap().status, AssetStatus::InStock, "{}: nothing changed", db.name);
        }
        assert_eq!(s.worklog(&admin, Filter { limit: 100, ..Default::default() }).await.unwrap().len(), before, "{}", db.name);

        // In use → in stock is a return, not a status change; a write-off names its act.
        let wp = s.create_unit(&admin, UnitInput { name: "Писарница".into(), ..Default::default() }).await.unwrap();
        let p = s
            .create_person(
                &admin,
                PersonInput { given_name: "Ана".into(), family_name: "Јовић".into(), unit_id: Some(wp.id), ..Default::default() },
            )
            .await
            .unwrap();
        s.assign_asset(&admin, b.id, Some(p.id), None, "", false).await.unwrap();
        let back = BulkAction::SetStatus { status: AssetStatus::InStock, reference: String::new() };
        let plan = s.plan_bulk(&admin, &[a.id, b.id], &back).await.unwrap();
        assert_eq!(plan.problems.iter().map(|p| (p.asset_id, p.code)).collect::<Vec<_>>(), [(b.id, "err-use-return")], "{}", db.name);
        let off = BulkAction::SetStatus { status: AssetStatus::WrittenOff, reference: " ".into() };
        assert!(matches!(s.plan_bulk(&admin, &[a.id], &off).await, Err(Error::Invalid(e)) if e[0].field == "reference"));

        // Allowed for all: one transaction, one history row and one log entry each.
        let ok = s.apply_bulk(&admin, &[a.id, b.id], &repair).await.unwrap();
        assert!(ok.applied, "{}: {:?}", db.name, ok.problems);
        for id in [a.id, b.id] {
            assert_eq!(s.asset(&admin, id).await.unwrap().status, AssetStatus::InRepair);
            assert_eq!(s.asset_history(&admin, id).await.unwrap()[0].new, "in_repair");
            assert!(asset_log(&s, &admin, id).await[0].contains("→ на поправци"), "{}", db.name);
        }
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn the_pages_show_the_confirmation_before_a_bulk_change_and_keep_saved_filters() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let a = s.create_asset(&admin, &asset("monitor", "M-1", "Зграда А", "12")).await.unwrap();
        let b = s.create_asset(&admin, &asset("monitor", "M-2", "Зграда А", "12")).await.unwrap();
        let c = s.create_asset(&admin, &asset("printer", "P-1", "Зграда Б", "3")).await.unwrap();
        app.login("admin", ADMIN_PW).await;

        let in_a = serde_urlencoded::to_string([("building", "Зграда А")]).unwrap();
        let list = app.get(&format!("/assets?{in_a}")).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("M-1") && list.body.contains("M-2") && !list.body.contains("P-1"), "{}", db.name);
        assert!(list.body.contains("name=\"id\"") && list.body.contains("name=\"all_page\""), "{}: checkboxes", db.name);
        assert!(list.body.contains("<option value=\"Зграда Б\""), "{}: buildings in use", db.name);
        let csv = app.get(&format!("/assets?{in_a}&format=csv")).await;
        assert!(csv.body.contains("M-1") && !csv.body.contains("P-1"), "{}: the export follows the filters", db.name);

        // Review: the confirmation lists every asset, old → new, and changes nothing.
        let (ia, ib) = (a.id.to_string(), b.id.to_string());
        let pick = [("id", ia.as_str()), ("id", ib.as_str()), ("action", "set_room"), ("room", "14"), ("back", "building=Зграда+А")];
        let review = app.post("/assets/bulk", &pick).await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.body);
        assert!(review.body.contains("M-1") && review.body.contains("M-2") && review.body.contains(">12<") && review.body.contains(">14<"));
        assert!(review.body.contains("action=\"/assets/bulk/apply\""), "{}", db.name);
        assert_eq!(s.asset(&admin, a.id).await.unwrap().fields.room, "12", "{}: nothing changed yet", db.name);
        // Without the CSRF token the confirmation is refused.
        let body = serde_urlencoded::to_string(pick).unwrap();
        assert_eq!(app.post_raw("/assets/bulk/apply", &body).await.status, StatusCode::FORBIDDEN);
        assert_eq!(s.asset(&admin, a.id).await.unwrap().fields.room, "12");
        let applied = app.post("/assets/bulk/apply", &pick).await;
        assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
        assert!(applied.location.starts_with("/assets?building="), "{}", applied.location);
        assert_eq!(s.asset(&admin, b.id).await.unwrap().fields.room, "14", "{}", db.name);

        // "All on this page" takes every row; one refused asset stops all and is named.
        let ic = c.id.to_string();
        s.set_asset_status(&admin, c.id, AssetStatus::WrittenOff, "Решење 2/2026").await.unwrap();
        let all = [
            ("all_page", "1"),
            ("page_id", ia.as_str()),
            ("page_id", ib.as_str()),
            ("page_id", ic.as_str()),
            ("action", "set_status"),
            ("status", "at_service"),
        ];
        let refused = app.post("/assets/bulk", &all).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", db.name);
        assert!(refused.body.contains("P-1") && refused.body.contains("Овај прелаз није дозвољен"), "{}", db.name);
        assert!(!refused.body.contains("/assets/bulk/apply"), "{}: nothing to confirm", db.name);
        let forced = app.post("/assets/bulk/apply", &all).await;
        assert_eq!(forced.status, StatusCode::CONFLICT);
        assert_eq!(s.asset(&admin, a.id).await.unwrap().status, AssetStatus::InStock, "{}", db.name);
        let none = app.post("/assets/bulk", &[("action", "set_room"), ("room", "1")]).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);

        // Saved filters: saved from the list, shown as links, deleted after asking once.
        let saved = app.post("/assets/filters", &[("name", "Зграда А"), ("query", "building=Зграда+А&page=3")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let list = app.get("/assets").await;
        assert!(list.body.contains("href=\"/assets?building=%D0%97"), "{}: the link keeps the filter, not the page", db.name);
        let again = app.post("/assets/filters", &[("name", "Зграда А"), ("query", "room=1")]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("Већ имате сачуван филтер са овим називом"), "{}", db.name);
        let id = s.saved_filters(&admin, "assets").await.unwrap()[0].id;
        let ask = app.post(&format!("/assets/filters/{id}/delete"), &[]).await;
        assert_eq!(ask.status, StatusCode::OK);
        assert!(ask.body.contains("Обрисати сачувани филтер") && ask.body.contains("name=\"confirm\""), "{}", db.name);
        assert_eq!(s.saved_filters(&admin, "assets").await.unwrap().len(), 1, "{}: asked, not deleted", db.name);
        let del = app.post(&format!("/assets/filters/{id}/delete"), &[("confirm", "1")]).await;
        assert_eq!(del.status, StatusCode::SEE_OTHER);
        assert!(s.saved_filters(&admin, "assets").await.unwrap().is_empty(), "{}", db.name);

        // An inspector reads the list and saves filters, but sees no bulk action.
        user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        let (mut insp, _) = App::new(&db).await;
        insp.login("inspektor", "plava8reka").await;
        let seen = insp.get("/assets").await;
        assert!(seen.body.contains("M-1") && !seen.body.contains("name=\"id\""), "{}", db.name);
        assert_eq!(insp.post("/assets/bulk", &pick).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_api_filters_by_unit_and_place_and_applies_bulk_changes_all_or_nothing() {
    for db in databases().await {
        let (app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let (_, token) = s.create_api_token(&admin, "тест").await.unwrap();
        let unit = s.create_unit(&admin, UnitInput { name: "Писарница".into(), ..Default::default() }).await.unwrap();
        let p = s
            .create_person(
                &admin,
                PersonInput { given_name: "Ана".into(), family_name: "Јовић".into(), unit_id: Some(unit.id), ..Default::default() },
            )
            .await
            .unwrap();
        let a = s.create_asset(&admin, &asset("laptop", "L-1", "Зграда А", "12")).await.unwrap();
        s.assign_asset(&admin, a.id, Some(p.id), None, "", false).await.unwrap();
        let b = s.create_asset(&admin, &asset("monitor", "M-1", "Зграда А", "12")).await.unwrap();

        for (q, expect) in [
            (format!("unit_id={}", unit.id), 1),
            (format!("person_id={}", p.id), 1),
            ("building=%D0%97%D0%B3%D1%80%D0%B0%D0%B4%D0%B0%20%D0%90&room=12".to_string(), 2),
            ("room=13".to_string(), 0),
        ] {
            let (st, page) = app.api(Method::GET, &format!("/api/v1/assets?{q}"), &token, None).await;
            assert_eq!((st, page["total"].as_i64()), (StatusCode::OK, Some(expect)), "{}: {q}", db.name);
        }

        let body = |dry: bool| json!({"ids": [a.id, b.id], "action": "set_status", "status": "in_stock", "dry_run": dry});
        let (st, plan) = app.api(Method::POST, "/api/v1/assets/bulk", &token, Some(body(true))).await;
        assert_eq!((st, plan["applied"].as_bool()), (StatusCode::OK, Some(false)), "{plan}");
        assert_eq!(plan["problems"][0]["inventory_number"], json!("L-1"), "{}: {plan}", db.name);
        let (st, err) = app.api(Method::POST, "/api/v1/assets/bulk", &token, Some(body(false))).await;
        assert_eq!((st, err["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("bulk_refused")), "{err}");
        assert_eq!(err["error"]["assets"][0]["code"], json!("err-use-return"));
        assert_eq!(s.asset(&admin, a.id).await.unwrap().status, AssetStatus::InUse);

        let mv = json!({"ids": [a.id, b.id], "action": "set_room", "building": "Зграда Б", "room": ""});
        let (st, done) = app.api(Method::POST, "/api/v1/assets/bulk", &token, Some(mv)).await;
        assert_eq!((st, done["applied"].as_bool()), (StatusCode::OK, Some(true)), "{}: {done}", db.name);
        assert_eq!(done["assets"][0]["changes"][0]["field"], json!("building"));
        let after = s.asset(&admin, b.id).await.unwrap();
        assert_eq!((after.fields.building.as_str(), after.fields.room.as_str()), ("Зграда Б", "12"), "{}: the room stays", db.name);
        let (st, e) =
            app.api(Method::POST, "/api/v1/assets/bulk", &token, Some(json!({"ids": [], "action": "set_room", "room": "1"}))).await;
        assert_eq!((st, e["error"]["fields"][0]["message"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err-bulk-none")));

        // Saved filters over the API.
        let (st, f) =
            app.api(Method::POST, "/api/v1/saved-filters", &token, Some(json!({"name": "Лаптопови", "query": "kind=laptop"}))).await;
        assert_eq!(st, StatusCode::CREATED, "{f}");
        let (st, e) = app.api(Method::POST, "/api/v1/saved-filters", &token, Some(json!({"name": "Лаптопови", "query": "x=1"}))).await;
        assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("filter_name_taken")));
        let (_, list) = app.api(Method::GET, "/api/v1/saved-filters?page=assets", &token, None).await;
        assert_eq!(list[0]["query"], json!("kind=laptop"));
        let (st, _) = app.api(Method::DELETE, &format!("/api/v1/saved-filters/{}", f["id"]), &token, None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
    }
}

/// PostgreSQL with many offices in one database: a small office's text search reads the
/// office's own rows instead of every office's trigram matches (`search_scope`), and answers
/// exactly as the trigram index would — its own matches only, `LIKE`'s wildcards escaped.
#[tokio::test]
async fn a_small_office_among_many_is_searched_through_its_own_rows_with_the_same_answers() {
    use upravnik_core::helpdesk::{ReportInput, ReportQuery};
    use upravnik_storage::SearchTable;
    let Some(db) = postgres().await else { return };
    let (s, _) = services(&db);
    let small = with_admin(&s).await;
    let b = s.create_office("Градска општина Звездара").await.unwrap();
    let acc = s.create_admin(Some(b.id), "", "adminb", "Зоран Илић", "plava8reka").await.unwrap();
    let big = s.store.actor(acc.user_id).await.unwrap();
    let pc = |i: usize, model: &str| AssetInput {
        kind: "workstation".into(),
        inventory_number: format!("{i:04}"),
        manufacturer: "Dell".into(),
        model: model.into(),
        ..Default::default()
    };
    for i in 0..3 {
        s.create_asset(&small, &pc(i, "OptiPlex 7010")).await.unwrap();
    }
    s.create_asset(&small, &pc(3, "Latitude 5520")).await.unwrap();
    for i in 0..30 {
        s.create_asset(&big, &pc(i, "OptiPlex 7010")).await.unwrap();
    }
    for (who, n) in [(&small, 2), (&big, 20)] {
        for _ in 0..n {
            s.create_report(who, &ReportInput { title: "Штампач не штампа".into(), ..Default::default() }).await.unwrap();
        }
        s.create_report(who, &ReportInput { title: "Миш не ради".into(), ..Default::default() }).await.unwrap();
    }
    sqlx_exec(&db.store, "ANALYZE assets; ANALYZE fault_reports").await;
    assert!(db.store.office_first(SearchTable::Assets, small.office_id).await.unwrap(), "4 of 34 assets: office-first");
    assert!(db.store.office_first(SearchTable::FaultReports, small.office_id).await.unwrap(), "3 of 24 reports: office-first");
    assert!(!db.store.office_first(SearchTable::Assets, big.office_id).await.unwrap(), "30 of 34: the trigram index");

    let assets = |who: &Actor, text: &str| {
        let q = AssetQuery { q: Some(text.into()), page: 1, per_page: 50, ..Default::default() };
        let s = &s;
        let who = who.clone();
        async move {
            let page = s.assets(&who, &q).await.unwrap();
            assert_eq!(page.total, s.count_assets(&who, &q).await.unwrap(), "the count agrees with the list");
            page.items.iter().map(|a| a.fields.inventory_number.clone()).collect::<Vec<_>>()
        }
    };
    assert_eq!(assets(&small, "optiplex").await, ["0000", "0001", "0002"]);
    assert_eq!(assets(&small, "OPTIPLEX 7010").await, ["0000", "0001", "0002"]);
    assert_eq!(assets(&small, "latitude").await, ["0003"]);
    assert!(assets(&small, "70_0").await.is_empty(), "`_` is a character, not a wildcard");
    assert!(assets(&small, "7%0").await.is_empty(), "`%` is a character, not a wildcard");
    assert_eq!(assets(&big, "optiplex").await.len(), 30);

    let reports = |who: &Actor, text: &str| {
        let q = ReportQuery { q: Some(text.into()), page: 1, per_page: 50, ..Default::default() };
        let s = &s;
        let who = who.clone();
        async move {
            let page = s.reports(&who, &q).await.unwrap();
            assert!(page.items.iter().all(|r| r.office_id == who.office_id), "only the office's own reports");
            page.total
        }
    };
    assert_eq!(reports(&small, "штампач").await, 2);
    assert_eq!(reports(&small, "stampac").await, 2, "either script");
    assert_eq!(reports(&small, "миш").await, 1);
    assert_eq!(reports(&big, "штампач").await, 20);
}
