//! Service levels of fault reports (issue 5) and the monthly report (P.5.1) on both databases:
//! deadlines stored from the priority with working hours and Serbian holidays, the late filter,
//! a priority change computing them again, and the figures of a small month with known medians.

use upravnik_core::helpdesk::{LateFilter, ReportInput, ReportQuery, ReportSort, TransitionInput};
use upravnik_core::sla_service::{SlaSettingsInput, StatsPeriod};
use upravnik_core::worklog::Filter;

use crate::support::*;

/// Tuesday 10 November 2026, 14:00 in Belgrade (CET): the next day, 11 November, is Armistice Day.
const TUE_1400: i64 = 1_794_315_600_000_000;
const HOUR: i64 = 3_600_000_000;
const DAY: i64 = 24 * HOUR;

fn urgent(title: &str) -> ReportInput {
    ReportInput { title: title.into(), priority: "urgent".into(), ..Default::default() }
}

fn late(l: LateFilter) -> ReportQuery {
    ReportQuery { late: Some(l), sort: ReportSort::Due, page: 1, per_page: 50, ..Default::default() }
}

#[tokio::test]
async fn deadlines_skip_the_holiday_and_the_weekend_and_the_late_filter_follows_them() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        clock.set(TUE_1400);
        let a = s.create_report(&admin, &urgent("Сервер не одговара")).await.unwrap();
        // Urgent: 1 h to respond, 4 working hours to resolve: 90 minutes on Tuesday, Wednesday
        // is a holiday, 150 minutes on Thursday from 07:30.
        assert_eq!(a.response_due_us, Some(TUE_1400 + HOUR), "{}", db.name);
        assert_eq!(a.resolution_due_us, Some(TUE_1400 + 2 * DAY - 4 * HOUR), "Thursday 10:00");
        // Friday 15:00: half an hour left that day, the rest on Monday morning.
        let fri_1500 = TUE_1400 + 3 * DAY + HOUR;
        clock.set(fri_1500);
        let b = s.create_report(&admin, &urgent("Мрежа у писарници")).await.unwrap();
        assert_eq!(b.response_due_us, Some(fri_1500 + 3 * DAY - 7 * HOUR), "Monday 08:00");

        clock.set(fri_1500 + 3 * DAY - 7 * HOUR - 60_000_000);
        let ids = |p: upravnik_core::org::Page<upravnik_core::helpdesk::Report>| p.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Response)).await.unwrap()), [a.id], "b still has a minute");
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Resolution)).await.unwrap()), [a.id]);
        clock.set(fri_1500 + 3 * DAY - 7 * HOUR + 60_000_000);
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Response)).await.unwrap()), [a.id, b.id], "soonest deadline first");
        // Accepting is the first response: the response is no longer late, the resolution still is.
        s.move_report(&admin, a.id, &TransitionInput { to: "accepted".into(), ..Default::default() }).await.unwrap();
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Response)).await.unwrap()), [b.id]);
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Any)).await.unwrap()), [a.id, b.id]);
        assert_eq!(s.late_report_count(&admin).await.unwrap(), 2);
        let got = s.report(&admin, a.id).await.unwrap();
        let now = fri_1500 + 3 * DAY;
        assert_eq!(
            (got.response_state(now), got.resolution_state(now)),
            (upravnik_core::sla::TargetState::Missed, upravnik_core::sla::TargetState::Late)
        );
        s.move_report(&admin, a.id, &TransitionInput { to: "resolved".into(), ..Default::default() }).await.unwrap();
        assert_eq!(ids(s.reports(&admin, &late(LateFilter::Resolution)).await.unwrap()), Vec::<i64>::new(), "resolved is not late");
    }
}

#[tokio::test]
async fn a_priority_change_computes_the_deadlines_again_and_is_logged() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        clock.set(TUE_1400);
        let r = s.create_report(&admin, &ReportInput { title: "Штампач".into(), ..Default::default() }).await.unwrap();
        // Normal: one working day (480 minutes) to respond: 90 on Tuesday, 390 on Thursday.
        assert_eq!(r.response_due_us, Some(TUE_1400 + 2 * DAY), "{}", db.name);
        clock.set(TUE_1400 + HOUR);
        let u = s.set_report_priority(&admin, r.id, "urgent").await.unwrap();
        assert_eq!((u.response_due_us, u.resolution_due_us), (Some(TUE_1400 + HOUR), Some(TUE_1400 + 2 * DAY - 4 * HOUR)));
        assert!(s.set_report_priority(&admin, r.id, "asap").await.is_err());
        let f = Filter { object_kind: Some("fault_report".into()), object_id: Some(r.id.to_string()), limit: 10, ..Default::default() };
        let texts: Vec<String> = s.worklog(&admin, f).await.unwrap().into_iter().map(|e| e.text).collect();
        assert!(texts.iter().any(|t| t.contains("приоритет нормалан → хитно")), "{texts:?}");

        // The office's own targets apply to what comes next.
        let mut input = SlaSettingsInput { days: vec![1, 2, 3, 4, 5], start: "08:00".into(), end: "16:00".into(), ..Default::default() };
        for p in ["urgent", "high", "normal", "low"] {
            input.targets.insert(format!("{p}_response"), "30".into());
            input.targets.insert(format!("{p}_resolution"), "120".into());
        }
        s.save_sla_settings(&admin, &input).await.unwrap();
        assert_eq!(s.sla_settings(&admin).await.unwrap().start, "08:00");
        let n = s.create_report(&admin, &ReportInput { title: "Нови".into(), ..Default::default() }).await.unwrap();
        assert_eq!(n.response_due_us, Some(TUE_1400 + HOUR + 30 * 60_000_000));
        assert_eq!(s.report(&admin, r.id).await.unwrap().response_due_us, Some(TUE_1400 + HOUR), "given deadlines stay");
        let logged = s.worklog(&admin, Filter { limit: 5, ..Default::default() }).await.unwrap();
        assert!(logged.iter().any(|e| e.text.starts_with("Рокови пријава кварова промењени")), "settings change logged");
    }
}

#[tokio::test]
async fn p51_monthly_figures_with_known_medians() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        // Monday 2 November 2026, 08:00.
        let mon = TUE_1400 - 8 * DAY - 6 * HOUR;
        let min = 60_000_000;
        let step = |to: &str| TransitionInput { to: to.into(), ..Default::default() };
        // 1: response 60, resolution 240 working minutes.
        clock.set(mon);
        let r1 =
            s.create_report(&admin, &ReportInput { title: "1".into(), category: "printer".into(), ..Default::default() }).await.unwrap();
        clock.set(mon + 60 * min);
        s.move_report(&admin, r1.id, &step("accepted")).await.unwrap();
        clock.set(mon + 240 * min);
        s.move_report(&admin, r1.id, &step("resolved")).await.unwrap();
        // 2: made 10:00, response 30, resolved Tuesday 08:30: 330 + 60 = 390.
        clock.set(mon + 120 * min);
        let r2 =
            s.create_report(&admin, &ReportInput { title: "2".into(), category: "network".into(), ..Default::default() }).await.unwrap();
        clock.set(mon + 150 * min);
        s.move_report(&admin, r2.id, &step("accepted")).await.unwrap();
        clock.set(mon + DAY + 30 * min);
        s.move_report(&admin, r2.id, &step("resolved")).await.unwrap();
        // 3: Tuesday 09:00, response 120, never resolved: late by the end of the month.
        clock.set(mon + DAY + 60 * min);
        let r3 =
            s.create_report(&admin, &ReportInput { title: "3".into(), category: "printer".into(), ..Default::default() }).await.unwrap();
        clock.set(mon + DAY + 180 * min);
        s.move_report(&admin, r3.id, &step("accepted")).await.unwrap();
        // A report of October is not counted.
        clock.set(mon - 5 * DAY);
        s.create_report(&admin, &ReportInput { title: "октобар".into(), ..Default::default() }).await.unwrap();

        clock.set(START);
        let period = StatsPeriod::parse(Some("2026-11"), None, START).unwrap();
        let st = s.report_stats(&admin, period).await.unwrap();
        let t = &st.total;
        assert_eq!((t.received, t.resolved, t.late), (3, 2, 1), "{}", db.name);
        assert_eq!((t.median_response_min, t.median_resolution_min), (Some(60), Some(315)));
        assert_eq!(st.by_assignee.len(), 1);
        assert_eq!(st.by_assignee[0].id, Some(admin.user_id));
        let printer = st.by_category.iter().find(|r| r.key == "printer").unwrap();
        assert_eq!((printer.received, printer.resolved, printer.median_response_min), (2, 1, Some(90)));
        let year = s.report_stats(&admin, StatsPeriod::parse(None, Some("2026"), START).unwrap()).await.unwrap();
        assert_eq!(year.total.received, 4);
        assert_eq!(year.by_month.iter().map(|m| (m.key.as_str(), m.received)).collect::<Vec<_>>(), [("2026-10", 1), ("2026-11", 3)]);

        // The same figures as a page, a PDF for signature and a workbook (P.5.1).
        let (mut app, _) = crate::http::App::new(&db).await;
        app.login("admin", ADMIN_PW).await;
        let page = app.get("/reports/stats?month=2026-11").await;
        assert_eq!(page.status, axum::http::StatusCode::OK, "{}", db.name);
        assert!(page.body.contains("Рад и ефикасност") && page.body.contains("штампач") && page.body.contains("<svg"), "{}", page.body);
        let pdf = app.get("/reports/stats?month=2026-11&format=pdf").await;
        assert_eq!(pdf.content_type, "application/pdf", "{}", db.name);
        if let Some(text) = crate::http::pdf_text(&pdf.bytes) {
            assert!(text.contains("2026-11") && text.contains("штампач") && text.contains("Примљено"), "{text}");
        }
        let xlsx = app.get("/reports/stats?year=2026&format=xlsx").await;
        assert!(xlsx.content_type.contains("spreadsheetml"), "{}", db.name);
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes)).unwrap();
        let cells: Vec<String> = book
            .worksheets()
            .into_iter()
            .flat_map(|(_, range)| range.rows().flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>())
            .collect();
        assert!(cells.iter().any(|c| c == "2026-10") && cells.iter().any(|c| c == "2026-11"), "months in the annual book: {cells:?}");
        assert!(cells.iter().any(|c| c == "штампач"), "{cells:?}");
        assert_eq!(app.get("/reports/stats?month=2026-11&format=doc").await.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }
}
