//! Fault reports (R.52–R.53) on both databases: who reports and who sees what, the allowed
//! moves, comments public or internal, the device's status following the repair, the work log
//! written for every step, search in either script.

use upravnik_core::Error;
use upravnik_core::access::{Actor, Role};
use upravnik_core::asset::{AssetInput, AssetStatus};
use upravnik_core::helpdesk::{
    AssigneeFilter, Channel, CommentInput, Priority, ReportInput, ReportQuery, ReportState, ReportStep, StateFilter, TransitionInput,
};
use upravnik_core::org::{PersonInput, UnitInput};
use upravnik_core::service::Services;
use upravnik_core::worklog::{Category, Filter};

use crate::support::*;

/// A person of `unit` with an account holding `roles`.
pub async fn staff(s: &Services, admin: &Actor, unit: Option<i64>, given: &str, username: &str, roles: &[Role]) -> Actor {
    let p = s
        .create_person(
            admin,
            PersonInput { given_name: given.into(), family_name: "Јовановић".into(), unit_id: unit, ..Default::default() },
        )
        .await
        .unwrap();
    let a = s.create_account(admin, p.id, username, "plava8reka", roles.to_vec()).await.unwrap();
    s.store.actor(a.user_id).await.unwrap()
}

pub fn fault(title: &str) -> ReportInput {
    ReportInput { title: title.into(), ..Default::default() }
}

fn to(state: &str) -> TransitionInput {
    TransitionInput { to: state.into(), ..Default::default() }
}

fn all() -> ReportQuery {
    ReportQuery { page: 1, per_page: 50, ..Default::default() }
}

fn code(r: &Result<impl std::fmt::Debug, Error>) -> String {
    match r {
        Err(Error::Invalid(e)) => e[0].message.to_string(),
        Err(e) => e.code().to_string(),
        Ok(v) => format!("ok: {v:?}"),
    }
}

async fn log_texts(s: &Services, admin: &Actor, kind: &str, id: i64) -> Vec<String> {
    let f = Filter { object_kind: Some(kind.into()), object_id: Some(id.to_string()), limit: 100, ..Default::default() };
    s.worklog(admin, f).await.unwrap().into_iter().rev().map(|e| e.text).collect()
}

#[tokio::test]
async fn r52_a_printer_goes_to_service_and_comes_back_every_step_logged() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let unit = s.create_unit(&admin, UnitInput { name: "Одељење за финансије".into(), ..Default::default() }).await.unwrap();
        let ana = staff(&s, &admin, Some(unit.id), "Ана", "ana", &[Role::Employee]).await;
        let printer = s
            .create_asset(
                &admin,
                &AssetInput {
                    kind: "printer".into(),
                    inventory_number: "ШТ-7".into(),
                    manufacturer: "HP".into(),
                    model: "LaserJet M404".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let other = s
            .create_asset(&admin, &AssetInput { kind: "monitor".into(), inventory_number: "МОН-1".into(), ..Default::default() })
            .await
            .unwrap();
        s.assign_asset(&admin, printer.id, Some(ana.person_id), None, "", false).await.unwrap();
        assert_eq!(s.reportable_assets(&ana, ana.person_id).await.unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [printer.id]);

        // The employee reports on the web; only their own equipment, never a priority.
        let not_hers = s.create_report(&ana, &ReportInput { asset_id: Some(other.id), ..fault("Трепери") }).await;
        assert_eq!(code(&not_hers), "err-report-asset-not-yours", "{}", db.name);
        let r = s
            .create_report(
                &ana,
                &ReportInput {
                    asset_id: Some(printer.id),
                    priority: "urgent".into(),
                    channel: "phone".into(),
                    description: "Папир се заглављује".into(),
                    ..fault("Штампач гужва папир")
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (r.number.as_str(), r.state, r.channel, r.priority),
            ("П-2026-000001", ReportState::New, Channel::Web, Priority::Normal)
        );
        assert_eq!((r.reporter_id, r.asset_id, r.recorded_by.as_str()), (ana.person_id, Some(printer.id), "Ана Јовановић"));
        assert!(r.asset_label.as_deref().is_some_and(|l| l.starts_with("ШТ-7 HP")), "{:?}", r.asset_label);
        assert!(r.reporter_unit_id == Some(unit.id) && r.response_due_us.is_some(), "{r:?}");
        // The answer is made from what was written, not read back: it must be what is stored.
        assert_eq!(r, s.report(&ana, r.id).await.unwrap(), "{}", db.name);
        // PostgreSQL writes the number and its search key in SQL: as the Rust functions would.
        let key: String =
            sqlx::query_scalar("SELECT search_key FROM fault_reports WHERE id = $1").bind(r.id).fetch_one(db.store.pool()).await.unwrap();
        let text =
            format!("{} Штампач гужва папир Папир се заглављује Ана Јовановић {}", r.number, r.asset_label.clone().unwrap_or_default());
        assert_eq!(key, upravnik_core::text::search_key(&text), "{}", db.name);

        // Only the administrator works on it; the reporter cannot accept their own report.
        assert_eq!(code(&s.move_report(&ana, r.id, &to("accepted")).await), "err-report-move", "{}", db.name);
        let skip = s.move_report(&admin, r.id, &to("resolved")).await;
        assert_eq!(code(&skip), "err-report-move", "{}: acceptance comes first", db.name);

        clock.advance_secs(600);
        let r = s.move_report(&admin, r.id, &to("accepted")).await.unwrap();
        assert_eq!((r.state, r.assignee_id), (ReportState::Accepted, Some(admin.user_id)), "accepting assigns to the one who accepts");
        assert_eq!(r.first_response_secs(), Some(600));
        let r = s
            .move_report(&admin, r.id, &TransitionInput { minutes: "20".into(), note: "Не може на лицу места".into(), ..to("on_site") })
            .await;
        let r = r.unwrap();
        let r = s.move_report(&admin, r.id, &to("in_ict_office")).await.unwrap();
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::InRepair, "{}", db.name);
        // R.52.4: to the service only with a hand-over record, which makes the move itself.
        let without = s.move_report(&admin, r.id, &TransitionInput { minutes: "15".into(), ..to("at_service") }).await;
        assert_eq!(code(&without), "err-report-handover-needed", "{}", db.name);
        let h = upravnik_core::report_forms::HandoverInput { service_name: "Сервис Биро".into(), ..Default::default() };
        s.create_handover(&admin, r.id, &h).await.unwrap();
        let r = s.report(&admin, r.id).await.unwrap();
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::AtService, "{}", db.name);
        clock.advance_secs(3 * 24 * 3600);
        let r = s.move_report(&admin, r.id, &TransitionInput { minutes: "10".into(), ..to("resolved") }).await.unwrap();
        let back = s.asset(&admin, printer.id).await.unwrap();
        assert_eq!((back.status, back.person_id), (AssetStatus::InUse, Some(ana.person_id)), "{}: back with its user", db.name);
        assert_eq!(r.minutes, 30);
        assert_eq!(r.resolution_secs(), Some(600 + 3 * 24 * 3600));
        let refused = s.move_report(&admin, r.id, &to("on_site")).await;
        assert_eq!(code(&refused), "err-report-move", "{}", db.name);

        // Every step is timestamped, and every change is an intervention in the work log.
        let d = s.report_detail(&admin, r.id).await.unwrap();
        let states: Vec<(Option<ReportState>, ReportState)> = d.steps.iter().map(|st| (st.from, st.to)).collect();
        use ReportState::*;
        assert_eq!(
            states,
            [
                (None, New),
                (Some(New), Accepted),
                (Some(Accepted), OnSite),
                (Some(OnSite), InIctOffice),
                (Some(InIctOffice), AtService),
                (Some(AtService), Resolved)
            ]
        );
        assert_eq!(d.steps[2].note, "Не може на лицу места");
        assert!(d.steps.windows(2).all(|w| w[0].at_us <= w[1].at_us));
        let texts = log_texts(&s, &admin, "fault_report", r.id).await;
        assert_eq!(texts.len(), 7, "{}: the hand-over record is an entry of its own: {texts:#?}", db.name);
        assert_eq!(
            texts[0],
            "Пријава квара П-2026-000001: „Штампач гужва папир“ — пријавио/ла Ана Јовановић (веб), средство инв. бр. ШТ-7 HP LaserJet M404, приоритет нормалан"
        );
        assert_eq!(texts[1], "Пријава квара П-2026-000001 („Штампач гужва папир“): нова → прихваћена, додељена: Милан Стојановић");
        assert!(texts[2].ends_with("поправка на лицу места — Не може на лицу места (20 мин.)"), "{}", texts[2]);
        let entries =
            s.worklog(&admin, Filter { object_kind: Some("fault_report".into()), limit: 100, ..Default::default() }).await.unwrap();
        assert!(entries.iter().all(|e| e.category == Category::Intervention));
        let asset_log = log_texts(&s, &admin, "asset", printer.id).await;
        assert!(
            asset_log.contains(&"Средство инв. бр. ШТ-7: на поправци → у овлашћеном сервису (пријава квара П-2026-000001)".to_string()),
            "{asset_log:#?}"
        );
        assert!(asset_log.iter().any(|t| t.contains("у овлашћеном сервису → задужено")), "{asset_log:#?}");
        let history = s.asset_history(&admin, printer.id).await.unwrap();
        assert!(history.iter().any(|h| h.field == "status" && h.old == "at_service" && h.new == "in_use"), "{history:?}");
        let verified = s.verify_worklog().await.unwrap();
        assert!(verified.broken.is_empty(), "{}: the chain holds", db.name);

        // The reporter reopens within 14 days, not after.
        clock.advance_secs(13 * 24 * 3600);
        let r = s.move_report(&ana, r.id, &to("accepted")).await.unwrap();
        assert_eq!((r.state, r.resolved_us, r.assignee_id), (ReportState::Accepted, None, Some(admin.user_id)), "{}", db.name);
        assert!(log_texts(&s, &admin, "fault_report", r.id).await.last().is_some_and(|t| t.ends_with("поново отворена")));
        let r = s.move_report(&admin, r.id, &to("resolved")).await.unwrap();
        clock.advance_secs(15 * 24 * 3600);
        assert_eq!(code(&s.move_report(&ana, r.id, &to("accepted")).await), "err-report-reopen-late", "{}", db.name);
        let r = s.move_report(&admin, r.id, &to("closed")).await.unwrap();
        assert!(r.closed_us.is_some() && r.resolved_us.is_some());
        assert_eq!(
            code(&s.comment_report(&ana, r.id, &CommentInput { body: "Опет".into(), ..Default::default() }).await),
            "err-report-closed"
        );
        let r = s.move_report(&admin, r.id, &to("accepted")).await.unwrap();
        assert_eq!((r.state, r.closed_us), (ReportState::Accepted, None), "administrators reopen closed reports");
    }
}

#[tokio::test]
async fn each_sees_their_own_the_head_their_unit_the_inspector_everything() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let fin = s.create_unit(&admin, UnitInput { name: "Финансије".into(), ..Default::default() }).await.unwrap();
        let budget =
            s.create_unit(&admin, UnitInput { name: "Буџет".into(), parent_id: Some(fin.id), ..Default::default() }).await.unwrap();
        let urb = s.create_unit(&admin, UnitInput { name: "Урбанизам".into(), ..Default::default() }).await.unwrap();
        let ana = staff(&s, &admin, Some(budget.id), "Ана", "ana", &[Role::Employee]).await;
        let boris = staff(&s, &admin, Some(urb.id), "Борис", "boris", &[Role::Employee]).await;
        let head = staff(&s, &admin, Some(fin.id), "Весна", "vesna", &[Role::Employee, Role::HeadOfUnit]).await;
        let inspector = staff(&s, &admin, None, "Зоран", "zoran", &[Role::Inspector]).await;

        let a = s.create_report(&ana, &fault("Не ради миш")).await.unwrap();
        // Recorded for Boris by phone: few fields, the rest defaults.
        let b = s
            .create_report(&admin, &ReportInput { reporter_id: Some(boris.person_id), priority: "high".into(), ..fault("Нема интернета") })
            .await
            .unwrap();
        assert_eq!(
            (b.channel, b.priority, b.reporter_id, b.number.as_str()),
            (Channel::Phone, Priority::High, boris.person_id, "П-2026-000002")
        );
        assert_eq!(b.recorded_by, "Милан Стојановић");
        let for_other = s.create_report(&ana, &ReportInput { reporter_id: Some(boris.person_id), ..fault("x") }).await;
        assert_eq!(code(&for_other), "forbidden", "{}: employees report only for themselves", db.name);
        assert_eq!(code(&s.create_report(&inspector, &fault("x")).await), "forbidden", "the inspector changes nothing");

        let ids = |p: upravnik_core::org::Page<upravnik_core::helpdesk::Report>| p.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(s.reports(&ana, &all()).await.unwrap()), [a.id], "{}", db.name);
        assert_eq!(ids(s.reports(&boris, &all()).await.unwrap()), [b.id]);
        assert_eq!(code(&s.report(&ana, b.id).await), "not_found", "{}: another's report does not exist for her", db.name);
        assert_eq!(ids(s.reports(&head, &all()).await.unwrap()), [a.id], "{}: the head sees the unit's, internal units included", db.name);
        assert_eq!(code(&s.report(&head, b.id).await), "not_found");
        assert_eq!(ids(s.reports(&inspector, &all()).await.unwrap()), [b.id, a.id], "newest first");
        assert_eq!(ids(s.reports(&admin, &all()).await.unwrap()), [b.id, a.id]);
        // Read-only for the head and the inspector.
        assert_eq!(code(&s.move_report(&head, a.id, &to("accepted")).await), "forbidden", "{}", db.name);
        assert_eq!(code(&s.move_report(&inspector, a.id, &to("accepted")).await), "forbidden");
        assert_eq!(code(&s.comment_report(&head, a.id, &CommentInput { body: "?".into(), ..Default::default() }).await), "forbidden");
        assert_eq!(code(&s.move_report(&boris, a.id, &to("accepted")).await), "not_found");

        // Comments: internal notes stay with the IT department; employees write public ones only.
        s.move_report(&admin, a.id, &to("accepted")).await.unwrap();
        s.comment_report(&admin, a.id, &CommentInput { body: "Проверити драјвер".into(), public: false, minutes: "5".into() })
            .await
            .unwrap();
        s.comment_report(&admin, a.id, &CommentInput { body: "Долазим у 10 часова".into(), public: true, ..Default::default() })
            .await
            .unwrap();
        s.comment_report(&ana, a.id, &CommentInput { body: "Хвала".into(), public: true, ..Default::default() }).await.unwrap();
        let internal = s.comment_report(&ana, a.id, &CommentInput { body: "тајно".into(), public: false, ..Default::default() }).await;
        assert_eq!(code(&internal), "forbidden", "{}", db.name);
        let bodies = |d: upravnik_core::helpdesk::ReportDetail| d.comments.into_iter().map(|c| c.body).collect::<Vec<_>>();
        assert_eq!(bodies(s.report_detail(&ana, a.id).await.unwrap()), ["Долазим у 10 часова", "Хвала"], "{}", db.name);
        assert_eq!(bodies(s.report_detail(&head, a.id).await.unwrap()), ["Долазим у 10 часова", "Хвала"]);
        assert_eq!(bodies(s.report_detail(&inspector, a.id).await.unwrap()), ["Проверити драјвер", "Долазим у 10 часова", "Хвала"]);
        assert_eq!(s.report(&admin, a.id).await.unwrap().minutes, 5);
        // The documents of a report (work orders, hand-over records) are read by the reporter,
        // the head of their unit and the IT department; not by anyone else.
        assert!(s.report_forms(&head, a.id).await.is_ok(), "{}: the head reads the unit's documents", db.name);
        assert!(s.report_forms(&ana, a.id).await.is_ok());
        assert_eq!(code(&s.report_forms(&boris, a.id).await), "not_found");
        assert_eq!(code(&s.report_forms(&head, b.id).await), "not_found");
        let texts = log_texts(&s, &admin, "fault_report", a.id).await;
        assert!(texts.contains(&"Интерна белешка на пријаву квара П-2026-000001 (5 мин.): Проверити драјвер".to_string()), "{texts:#?}");
        assert!(texts.contains(&"Коментар на пријаву квара П-2026-000001: Хвала".to_string()));

        // Filters: state, priority, assignee, nobody's; search in Latin finds Cyrillic.
        let q = |f: fn(&mut ReportQuery)| {
            let mut q = all();
            f(&mut q);
            q
        };
        assert_eq!(ids(s.reports(&admin, &q(|q| q.state = Some(StateFilter::Is(ReportState::New)))).await.unwrap()), [b.id]);
        assert_eq!(ids(s.reports(&admin, &q(|q| q.priority = Some(Priority::High))).await.unwrap()), [b.id]);
        assert_eq!(ids(s.reports(&admin, &q(|q| q.assignee = Some(AssigneeFilter::Nobody))).await.unwrap()), [b.id]);
        let mine = ReportQuery { assignee: Some(AssigneeFilter::User(admin.user_id)), state: Some(StateFilter::Open), ..all() };
        assert_eq!(ids(s.reports(&admin, &mine).await.unwrap()), [a.id]);
        assert_eq!(s.report_counts(&admin).await.unwrap(), (1, 1), "{}: one new and unassigned, one mine", db.name);
        for term in ["nema interneta", "INTERNET", "boris", "p-2026-000002", "П-2026-000002"] {
            let found = s.reports(&admin, &ReportQuery { q: Some(term.into()), ..all() }).await.unwrap();
            assert_eq!(ids(found), [b.id], "{}: {term}", db.name);
        }
        assert_eq!(ids(s.reports(&ana, &ReportQuery { q: Some("internet".into()), ..all() }).await.unwrap()), Vec::<i64>::new());
        let by_priority = ReportQuery { sort: upravnik_core::helpdesk::ReportSort::Priority, ..all() };
        assert_eq!(ids(s.reports(&admin, &by_priority).await.unwrap()), [b.id, a.id], "high before normal");

        // Assigning to someone who is not an administrator is refused; a reassignment is a step.
        let bad = s.move_report(&admin, b.id, &TransitionInput { assignee_id: Some(ana.user_id), ..to("accepted") }).await;
        assert_eq!(code(&bad), "err-report-assignee", "{}", db.name);
        let second = staff(&s, &admin, None, "Петар", "petar", &[Role::Administrator]).await;
        let b2 = s.take_report(&second, b.id).await.unwrap();
        assert_eq!((b2.state, b2.assignee_id), (ReportState::Accepted, Some(second.user_id)));
        let b3 = s.move_report(&admin, b.id, &TransitionInput { assignee_id: Some(admin.user_id), ..Default::default() }).await.unwrap();
        assert_eq!((b3.state, b3.assignee_id), (ReportState::Accepted, Some(admin.user_id)));
        assert_eq!(s.report_detail(&admin, b.id).await.unwrap().steps.len(), 3);
    }
}

#[tokio::test]
async fn a_step_planned_on_a_stale_state_is_refused_and_writes_nothing() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let r = s.create_report(&admin, &fault("Спор рачунар")).await.unwrap();
        assert_eq!(r.channel, Channel::Web, "an administrator reporting for themselves");
        s.move_report(&admin, r.id, &to("accepted")).await.unwrap();
        let before = s.worklog(&admin, Filter { limit: 1000, ..Default::default() }).await.unwrap().len();
        let stale = ReportStep {
            from: ReportState::New,
            to: ReportState::Accepted,
            assignee_id: Some(admin.user_id),
            note: String::new(),
            minutes: 0,
            first_response: false,
        };
        let log = upravnik_core::service::draft(&admin, Category::Intervention, None, "двапут".into());
        let again = s.store.move_report(admin.office_id, r.id, &stale, None, START, log).await;
        assert_eq!(code(&again), "report_changed", "{}", db.name);
        assert_eq!(s.worklog(&admin, Filter { limit: 1000, ..Default::default() }).await.unwrap().len(), before);
        assert_eq!(s.report_detail(&admin, r.id).await.unwrap().steps.len(), 2);
    }
}

mod pages {
    //! The pages and the API through the real router.

    use axum::http::{Method, StatusCode};
    use serde_json::json;
    use upravnik_core::access::Role;
    use upravnik_core::asset::AssetInput;

    use super::staff;
    use crate::http::{App, extract};
    use crate::support::*;

    fn id_from(location: &str) -> i64 {
        location.trim_start_matches("/reports/").split('?').next().unwrap().parse().unwrap()
    }

    #[tokio::test]
    async fn an_employee_reports_on_the_web_the_administrator_takes_it_the_employee_follows() {
        for db in databases().await {
            let (mut emp, s) = App::new(&db).await;
            let (mut adm, _) = App::new(&db).await;
            let (mut other, _) = App::new(&db).await;
            let admin = with_admin(&s).await;
            let ana = staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
            let boris = staff(&s, &admin, None, "Борис", "boris", &[Role::Employee]).await;
            let printer = s
                .create_asset(
                    &admin,
                    &AssetInput {
                        kind: "printer".into(),
                        inventory_number: "ШТ-7".into(),
                        manufacturer: "HP".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            s.assign_asset(&admin, printer.id, Some(ana.person_id), None, "", false).await.unwrap();
            emp.login("ana", "plava8reka").await;
            adm.login("admin", ADMIN_PW).await;
            other.login("boris", "plava8reka").await;

            // The employee's form: short, her printer offered, no channel and no priority.
            let form = emp.get("/reports/new").await;
            assert_eq!(form.status, StatusCode::OK, "{}", db.name);
            assert!(form.body.contains(&format!("<option value=\"{}\">ШТ-7 — HP</option>", printer.id)), "{}", form.body);
            assert!(!form.body.contains("name=\"channel\"") && !form.body.contains("name=\"priority\""));
            assert!(form.body.contains("href=\"/reports\"") && form.body.contains("Пријаве кварова"), "in the navigation");
            let empty = emp.post("/reports", &[("title", "")]).await;
            assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
            let sent = emp
                .post(
                    "/reports",
                    &[
                        ("title", "Штампач гужва папир"),
                        ("asset_id", &printer.id.to_string()),
                        ("category", "printer"),
                        ("description", "Од јутрос"),
                    ],
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}: {}", db.name, sent.body);
            let id = id_from(&sent.location);
            let mine = emp.get("/reports?q=stampac").await;
            assert!(mine.body.contains("П-2026-000001") && mine.body.contains("Штампач гужва папир"), "{}: Latin finds Cyrillic", db.name);
            let page = emp.get(&format!("/reports/{id}")).await;
            assert!(page.body.contains("нова") && page.body.contains("Пријава примљена"), "{}", page.body);
            assert!(!page.body.contains("name=\"to\""), "{}: nothing to move for the reporter now", db.name);
            assert!(page.body.contains("action=\"/reports/") && page.body.contains("/comments\""), "she may comment");
            assert!(emp.get("/").await.body.contains("П-2026-000001"), "her open reports on the home page");

            // Another employee: neither in the list nor by address.
            assert_eq!(other.get(&format!("/reports/{id}")).await.status, StatusCode::NOT_FOUND, "{}", db.name);
            assert!(!other.get("/reports").await.body.contains("П-2026-000001"));

            // The administrator: a phone call in a few keystrokes, the caller found by name.
            let home = adm.get("/").await;
            assert!(home.body.contains("Нове, недодељене пријаве"), "{}", db.name);
            let found = adm.get("/reports/new?who=boris").await;
            assert!(found.body.contains(&format!("<option value=\"{}\" selected>", boris.person_id)), "{}", found.body);
            let call = adm
                .post("/reports", &[("reporter_id", &boris.person_id.to_string()), ("channel", "phone"), ("title", "Нема интернета")])
                .await;
            assert_eq!(call.status, StatusCode::SEE_OTHER, "{}: {}", db.name, call.body);
            let bad_asset = adm.post("/reports", &[("title", "x"), ("asset", "НЕМА-1")]).await;
            assert_eq!(bad_asset.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(bad_asset.body.contains("Нема уређаја са тим инвентарским бројем"));
            let list = adm.get("/reports?assignee=none&status=new").await;
            assert!(list.body.contains("П-2026-000001") && list.body.contains("П-2026-000002"), "{}", db.name);

            // Only the allowed moves are buttons; taking it is one click.
            let page = adm.get(&format!("/reports/{id}")).await;
            assert!(page.body.contains("value=\"accepted\"") && page.body.contains("Додели мени"), "{}", db.name);
            assert!(!page.body.contains("value=\"resolved\""));
            assert_eq!(adm.post(&format!("/reports/{id}/take"), &[]).await.status, StatusCode::SEE_OTHER);
            let page = adm.get(&format!("/reports/{id}")).await;
            for m in ["on_site", "in_ict_office", "resolved"] {
                assert!(page.body.contains(&format!("value=\"{m}\"")), "{}: {m}", db.name);
            }
            // To the service through the hand-over record's form, not a bare button (R.52.4).
            assert!(!page.body.contains("value=\"at_service\"") && page.body.contains(&format!("/reports/{id}/handovers/new")));
            assert!(!page.body.contains("value=\"closed\"") && !page.body.contains("Додели мени"));
            let refused = adm.post(&format!("/reports/{id}/transitions"), &[("to", "closed")]).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            assert!(refused.body.contains("Овај корак није дозвољен"));
            let moved = adm.post(&format!("/reports/{id}/handovers"), &[("service_name", "Сервис Биро"), ("accessories", "кабл")]).await;
            assert_eq!(moved.status, StatusCode::SEE_OTHER);
            assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, upravnik_core::asset::AssetStatus::AtService);
            adm.post(&format!("/reports/{id}/comments"), &[("body", "Интерно: гаранција важи"), ("minutes", "5")]).await;
            adm.post(&format!("/reports/{id}/comments"), &[("body", "Штампач је у сервису"), ("public", "1")]).await;
            assert_eq!(s.report(&admin, id).await.unwrap().minutes, 5);

            // The employee sees the public comment, not the internal one, and cannot resolve.
            let page = emp.get(&format!("/reports/{id}")).await;
            assert!(page.body.contains("Штампач је у сервису") && page.body.contains("у овлашћеном сервису"), "{}", db.name);
            assert!(!page.body.contains("гаранција важи"), "{}: internal notes stay with the IT department", db.name);
            assert!(adm.get(&format!("/reports/{id}")).await.body.contains("гаранција важи"));
            let not_hers = emp.post(&format!("/reports/{id}/transitions"), &[("to", "resolved")]).await;
            assert_eq!(not_hers.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(emp.post(&format!("/reports/{id}/comments"), &[("body", "Хвала")]).await.status, StatusCode::SEE_OTHER);
            adm.post(&format!("/reports/{id}/transitions"), &[("to", "resolved")]).await;
            let page = emp.get(&format!("/reports/{id}")).await;
            assert!(page.body.contains("value=\"accepted\">Поново отвори"), "{}: she may reopen", db.name);

            // The printable view: facts and history, no forms, signature lines.
            let print = emp.get(&format!("/reports/{id}/print")).await;
            assert!(print.body.contains("Подносилац: ____") && print.body.contains("Штампач гужва папир"));
            assert!(!print.body.contains("/transitions\"") && !print.body.contains("/comments\""), "{}", db.name);
        }
    }

    #[tokio::test]
    async fn the_api_lists_moves_and_comments_and_hides_others_reports() {
        for db in databases().await {
            let (app, s) = App::new(&db).await;
            let admin = with_admin(&s).await;
            let ana = staff(&s, &admin, None, "Ана", "ana", &[Role::Employee]).await;
            let boris = staff(&s, &admin, None, "Борис", "boris", &[Role::Employee]).await;
            let (_, at) = s.create_api_token(&admin, "api").await.unwrap();
            let (_, et) = s.create_api_token(&ana, "api").await.unwrap();
            let (st, r) =
                app.api(Method::POST, "/api/v1/reports", &et, Some(json!({"title": "Не ради миш", "category": "hardware"}))).await;
            assert_eq!(st, StatusCode::CREATED, "{}: {r}", db.name);
            assert_eq!(
                (r["number"].as_str(), r["state"].as_str(), r["channel"].as_str()),
                (Some("П-2026-000001"), Some("new"), Some("web"))
            );
            let id = r["id"].as_i64().unwrap();
            let (st, b) = app
                .api(
                    Method::POST,
                    "/api/v1/reports",
                    &at,
                    Some(json!({"title": "Лозинка", "reporter_id": boris.person_id, "priority": "urgent"})),
                )
                .await;
            assert_eq!(st, StatusCode::CREATED);
            let bid = b["id"].as_i64().unwrap();
            let (_, mut stored) = app.api(Method::GET, &format!("/api/v1/reports/{bid}"), &at, None).await;
            stored.as_object_mut().map(|o| (o.remove("steps"), o.remove("comments")));
            assert_eq!(b, stored, "{}: the answer to a create is what is stored", db.name);
            let (st, _) = app.api(Method::GET, &format!("/api/v1/reports/{bid}"), &et, None).await;
            assert_eq!(st, StatusCode::NOT_FOUND, "{}", db.name);
            let (_, list) = app.api(Method::GET, "/api/v1/reports", &et, None).await;
            assert_eq!(list["total"], 1);
            let (_, list) = app.api(Method::GET, "/api/v1/reports?priority=urgent&state=open", &at, None).await;
            assert_eq!((list["total"].as_i64(), list["items"][0]["id"].as_i64()), (Some(1), Some(bid)));
            let (st, e) = app.api(Method::GET, "/api/v1/reports?state=fixed", &at, None).await;
            assert_eq!((st, e["error"]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_input")));

            let (st, m) = app.api(Method::POST, &format!("/api/v1/reports/{id}/transitions"), &at, Some(json!({"to": "accepted"}))).await;
            assert_eq!((st, m["assignee_id"].as_i64()), (StatusCode::CREATED, Some(admin.user_id)), "{}: {m}", db.name);
            let (st, e) = app.api(Method::POST, &format!("/api/v1/reports/{id}/transitions"), &at, Some(json!({"to": "new"}))).await;
            assert_eq!((st, e["error"]["fields"][0]["message"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("err-report-move")));
            let (st, _) = app.api(Method::POST, &format!("/api/v1/reports/{id}/transitions"), &et, Some(json!({"to": "resolved"}))).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            let (st, c) = app
                .api(
                    Method::POST,
                    &format!("/api/v1/reports/{id}/comments"),
                    &at,
                    Some(json!({"body": "Белешка", "public": false, "minutes": 10})),
                )
                .await;
            assert_eq!((st, c["public"].as_bool(), c["minutes"].as_i64()), (StatusCode::CREATED, Some(false), Some(10)));
            let (_, d) = app.api(Method::GET, &format!("/api/v1/reports/{id}"), &et, None).await;
            assert_eq!(d["steps"].as_array().map(Vec::len), Some(2), "{d}");
            assert_eq!(d["comments"].as_array().map(Vec::len), Some(0), "{}: the internal note is not hers to read", db.name);
            let (_, d) = app.api(Method::GET, &format!("/api/v1/reports/{id}"), &at, None).await;
            assert_eq!((d["comments"].as_array().map(Vec::len), d["minutes"].as_i64()), (Some(1), Some(10)));
            assert!(extract(&d.to_string(), "\"first_response_us\":", ",").is_some_and(|v| v != "null"));
        }
    }
}

/// Reports that arrive together are written together (one transaction for those that queued):
/// each still gets its own number, first step and work-log entry in an intact chain, and one
/// the database refuses fails alone — the others of its batch are written.
#[tokio::test]
async fn reports_made_at_once_each_get_their_number_and_entry_and_one_refused_fails_alone() {
    use upravnik_core::helpdesk::{NUMBER_SLOT, NewReport, ReportCategory};
    use upravnik_core::worklog::Draft;
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let entries = |s: &Services| {
            let s = s.clone();
            let admin = admin.clone();
            async move { s.worklog(&admin, Filter { limit: 1000, ..Default::default() }).await.unwrap() }
        };
        let before = entries(&s).await.len();
        let made = futures_util::future::join_all((0..40).map(|i| {
            let s = s.clone();
            let admin = admin.clone();
            async move { s.create_report(&admin, &fault(&format!("Квар број {i}"))).await.unwrap() }
        }))
        .await;
        let mut numbers: Vec<_> = made.iter().map(|r| r.number.clone()).collect();
        numbers.sort();
        numbers.dedup();
        assert_eq!(numbers.len(), 40, "{}: every report its own number", db.name);
        for r in &made {
            let back = s.report(&admin, r.id).await.unwrap();
            assert_eq!((back.number.as_str(), back.title.as_str()), (r.number.as_str(), r.title.as_str()), "{}", db.name);
        }
        let log = entries(&s).await;
        assert_eq!(log.len(), before + 40, "{}: one entry per report", db.name);
        assert!(made.iter().all(|r| log.iter().any(|e| e.text.contains(&r.number) && e.text.contains(&r.title))));
        assert!(s.verify_worklog().await.unwrap().broken.is_empty(), "{}: the chain holds", db.name);

        // Straight to the store, so the database itself refuses one (a reporter who does not exist).
        let new = |reporter_id: i64, i: usize| NewReport {
            reporter_id,
            asset_id: None,
            channel: Channel::Phone,
            title: format!("Из серије {i}"),
            description: String::new(),
            category: ReportCategory::Other,
            priority: Priority::Normal,
            year: 2026,
            search_text: format!("Из серије {i}"),
            response_due_us: None,
            resolution_due_us: None,
        };
        let draft = || Draft {
            office_id: admin.office_id,
            actor_user_id: Some(admin.user_id),
            actor_name: "Милан Стојановић".into(),
            category: Category::Intervention,
            object: None,
            confidential: false,
            text: format!("Пријава квара {NUMBER_SLOT}"),
        };
        let results = futures_util::future::join_all((0..12).map(|i| {
            let store = s.store.clone();
            let reporter = if i == 5 { i64::MAX } else { admin.person_id };
            let r = new(reporter, i);
            let d = draft();
            async move { store.create_report(admin.office_id, &r, 1_790_000_000_000_000, d).await }
        }))
        .await;
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r.is_err(), i == 5, "{}: report {i}: {r:?}", db.name);
        }
        assert_eq!(entries(&s).await.len(), before + 40 + 11, "{}: no entry for the refused one", db.name);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty(), "{}", db.name);
    }
}
