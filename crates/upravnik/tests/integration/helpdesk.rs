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
        .create_person(admin, PersonInput { given_name: given.into(), family_name: "Јовановић".into(), unit_id: unit, ..Default::default() })
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
        assert_eq!((r.number.as_str(), r.state, r.channel, r.priority), ("П-2026-000001", ReportState::New, Channel::Web, Priority::Normal));
        assert_eq!((r.reporter_id, r.asset_id, r.recorded_by.as_str()), (ana.person_id, Some(printer.id), "Ана Јовановић"));
        assert!(r.asset_label.as_deref().is_some_and(|l| l.starts_with("ШТ-7 HP")), "{:?}", r.asset_label);

        // Only the administrator works on it; the reporter cannot accept their own report.
        assert_eq!(code(&s.move_report(&ana, r.id, &to("accepted")).await), "err-report-move", "{}", db.name);
        let skip = s.move_report(&admin, r.id, &to("resolved")).await;
        assert_eq!(code(&skip), "err-report-move", "{}: acceptance comes first", db.name);

        clock.advance_secs(600);
        let r = s.move_report(&admin, r.id, &to("accepted")).await.unwrap();
        assert_eq!((r.state, r.assignee_id), (ReportState::Accepted, Some(admin.user_id)), "accepting assigns to the one who accepts");
        assert_eq!(r.first_response_secs(), Some(600));
        let r = s.move_report(&admin, r.id, &TransitionInput { minutes: "20".into(), note: "Не може на лицу места".into(), ..to("on_site") }).await;
        let r = r.unwrap();
        let r = s.move_report(&admin, r.id, &to("in_ict_office")).await.unwrap();
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::InRepair, "{}", db.name);
        let r = s.move_report(&admin, r.id, &TransitionInput { minutes: "15".into(), ..to("at_service") }).await.unwrap();
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::AtService, "{}", db.name);
        clock.advance_secs(3 * 24 * 3600);
        let r = s.move_report(&admin, r.id, &TransitionInput { minutes: "10".into(), ..to("resolved") }).await.unwrap();
        let back = s.asset(&admin, printer.id).await.unwrap();
        assert_eq!((back.status, back.person_id), (AssetStatus::InUse, Some(ana.person_id)), "{}: back with its user", db.name);
        assert_eq!(r.minutes, 45);
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
        assert_eq!(texts.len(), 6, "{}: {texts:#?}", db.name);
        assert_eq!(
            texts[0],
            "Пријава квара П-2026-000001: „Штампач гужва папир“ — пријавио/ла Ана Јовановић (веб), средство инв. бр. ШТ-7 HP LaserJet M404, приоритет нормалан"
        );
        assert_eq!(texts[1], "Пријава квара П-2026-000001 („Штампач гужва папир“): нова → прихваћена, додељена: Милан Стојановић");
        assert!(texts[2].ends_with("поправка на лицу места — Не може на лицу места (20 мин.)"), "{}", texts[2]);
        let entries = s.worklog(&admin, Filter { object_kind: Some("fault_report".into()), limit: 100, ..Default::default() }).await.unwrap();
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
        assert_eq!(code(&s.comment_report(&ana, r.id, &CommentInput { body: "Опет".into(), ..Default::default() }).await), "err-report-closed");
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
        assert_eq!((b.channel, b.priority, b.reporter_id, b.number.as_str()), (Channel::Phone, Priority::High, boris.person_id, "П-2026-000002"));
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
