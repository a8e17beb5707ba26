//! Security compliance (issue 9) on both databases: the measures register of both laws with the
//! mapping, assessments, evidence files kept with their SHA-256 and Upravnik's live evidence; the
//! incidents register with its legal deadlines, the reports sent as frozen snapshots, the home
//! page's duties, statistics; the pages and the API.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::incident::{IncidentInput, ReportKind, SentInput};
use upravnik_core::measures::{AssessmentInput, Law, MeasureStatus};
use upravnik_core::worklog::Filter;

use crate::http::App;
use crate::support::*;

#[tokio::test]
async fn measures_register_with_evidence_files_and_live_evidence() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        app.login("admin", ADMIN_PW).await;
        assert_eq!(s.security_measures(&inspector, Law::Zib2025).await.unwrap().len(), 37);
        assert_eq!(s.security_measures(&inspector, Law::Zib2016).await.unwrap().len(), 28);

        // Cloud computing (2025 no. 18) does not apply — with the reason; backups are done.
        let no_reason = AssessmentInput { applicable: false, ..Default::default() };
        assert!(matches!(s.save_assessment(&admin, Law::Zib2025, 18, &no_reason).await, Err(Error::Invalid(_))));
        let cloud = AssessmentInput {
            applicable: false, justification: "Не користимо услуге у облаку".into(), ..Default::default()
        };
        s.save_assessment(&admin, Law::Zib2025, 18, &cloud).await.unwrap();
        let backups = AssessmentInput {
            applicable: true,
            status: "implemented".into(),
            implementation: "Дневна архива у 15:00, копија 2 у сефу писарнице".into(),
            responsible: "Милан Стојановић".into(),
            documents: "Упутство о архивирању бр. 404-3/2026".into(),
            checked_on: "20.11.2026".into(),
            ..Default::default()
        };
        s.save_assessment(&admin, Law::Zib2025, 22, &backups).await.unwrap();
        assert!(matches!(s.save_assessment(&inspector, Law::Zib2025, 22, &backups).await, Err(Error::Forbidden)), "inspectors read");
        let v = s.security_measure(&inspector, Law::Zib2025, 22).await.unwrap();
        assert_eq!((v.assessment.status, v.measure.other_no), (MeasureStatus::Implemented, Some(16)), "{}", db.name);

        // An evidence file through the page (multipart) and one through the API (raw body).
        let boundary = "XyZ";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"упутство.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 упутство\r\n--{boundary}--\r\n",
            app.csrf
        );
        let req = Request::post(format!("/security/measures/zib2025/22/evidence?_csrf={}", app.csrf))
            .header(header::COOKIE, &app.cookie)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let req = Request::post("/api/v1/security/measures/zib2016/16/evidence?name=zapisnik.txt")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("Записник о провери враћања"))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let files = s.security_measure(&admin, Law::Zib2025, 22).await.unwrap().files;
        assert_eq!(files.len(), 1);
        let (f, bytes) = s.evidence_file(&inspector, files[0].id).await.unwrap();
        assert_eq!(bytes, "%PDF-1.4 упутство".as_bytes());
        assert_eq!(f.name, "упутство.pdf");
        let download = app.get(&format!("/security/evidence/{}", f.id)).await;
        assert_eq!(download.bytes, bytes);
        assert!(download.body.len() > 5);
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 100, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains(&f.sha256)), "{}: the hash is in the work log", db.name);

        // The pages: the register, a measure with its live evidence.
        let list = app.get("/security").await.body;
        assert!(list.contains("спроведена") && list.contains("не примењује се") && list.contains("2016: 16"), "{}", db.name);
        let page = app.get("/security/measures/zib2025/22").await.body;
        assert!(page.contains("Шта Управник показује уживо") && page.contains("архива још није направљена"), "{}", db.name);
        assert!(page.contains("упутство.pdf") && page.contains(&f.sha256));
        let page = app.get("/security/measures/zib2025/37").await.body;
        assert!(page.contains("администратора са двофакторском пријавом: 0 од 1"), "{}", db.name);
        assert_eq!(app.get("/security/measures/zib2025/38").await.status, StatusCode::NOT_FOUND);
        let (st, v) = app.api(Method::GET, "/api/v1/security/measures?law=zib2016", &token, None).await;
        assert_eq!((st, v.as_array().map(Vec::len)), (StatusCode::OK, Some(28)), "{v}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn incidents_with_their_deadlines_and_frozen_reports() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let employee = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        app.login("admin", ADMIN_PW).await;
        // The test clock stands at 25.11.2026. 14:05; the office learned of it at 13:20.
        let input = IncidentInput {
            title: "Неовлашћен приступ бази пореза".into(),
            description: "Са спољне адресе преузети подаци обвезника".into(),
            started: "25.11.2026. 11:00".into(),
            aware: "25.11.2026. 13:20".into(),
            criteria: vec![5],
            danger: "high".into(),
            personal_data: true,
            high_risk_to_people: true,
            crime_suspected: true,
            ..Default::default()
        };
        assert!(matches!(s.record_incident(&employee, &input, &[]).await, Err(Error::Forbidden)));
        assert!(matches!(s.record_incident(&admin, &input, &[999]).await, Err(Error::Invalid(_))), "an unknown asset");
        let id = s.record_incident(&admin, &input, &[]).await.unwrap();
        let v = s.incident(&admin, id).await.unwrap();
        let due = |k: ReportKind| v.deadlines.iter().find(|d| d.kind == k).map(|d| d.due_us);
        let aware = v.incident.aware_us;
        assert_eq!(due(ReportKind::Initial), Some(Some(aware + 24 * 3_600_000_000)), "{}", db.name);
        assert_eq!(due(ReportKind::Commissioner), Some(Some(aware + 72 * 3_600_000_000)));
        assert_eq!(due(ReportKind::Prosecutor), Some(None), "R.56: without delay");
        assert!(due(ReportKind::DataSubjects).is_some() && due(ReportKind::CityCouncil).is_some());
        let home = app.get("/").await.body;
        assert!(home.contains("Инцидент „Неовлашћен приступ бази пореза“: обавештење (24 сата)"), "{}", db.name);

        // The notice goes out; kept as sent; the interim report counts from it (high: 24 h).
        let r = app
            .post(
                &format!("/security/incidents/{id}/reports"),
                &[("kind", "initial"), ("recipient", "Јединствени систем"), ("reference", "INC-42")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let again = SentInput { kind: "initial".into(), recipient: "x".into(), ..Default::default() };
        assert!(
            matches!(s.record_incident_report(&admin, id, &again).await, Err(Error::Invalid(e)) if e[0].message == "err-incident-report-sent")
        );
        let v = s.incident(&admin, id).await.unwrap();
        let sent = &v.incident.reports[0];
        assert_eq!((sent.kind, sent.reference.as_str()), (ReportKind::Initial, "INC-42"));
        let snap: serde_json::Value = serde_json::from_str(&sent.snapshot).unwrap();
        assert_eq!(snap["incident"]["title"], "Неовлашћен приступ бази пореза", "the snapshot holds what was sent");
        let interim = v.deadlines.iter().find(|d| d.kind == ReportKind::Interim).unwrap();
        assert_eq!(interim.due_us, Some(sent.sent_us + 24 * 3_600_000_000), "{}", db.name);

        // It ends: the interim reports stop, the final report is due within 15 days.
        let ended = IncidentInput { ended: "25.11.2026. 14:00".into(), ..input.clone() };
        s.update_incident(&admin, id, &ended, &[]).await.unwrap();
        let v = s.incident(&admin, id).await.unwrap();
        assert!(!v.deadlines.iter().any(|d| d.kind == ReportKind::Interim));
        let fin = v.deadlines.iter().find(|d| d.kind == ReportKind::Final).unwrap();
        assert_eq!(fin.due_us, upravnik_core::incident::days_after(v.incident.ended_us.unwrap(), 15));
        // The snapshot did not change with the incident.
        assert_eq!(s.incident(&admin, id).await.unwrap().incident.reports[0].snapshot, sent.snapshot);

        // A near-miss; the statistics of the year.
        let near = IncidentInput {
            title: "Покушај фишинга".into(),
            near_miss: true,
            criteria: vec![],
            personal_data: false,
            high_risk_to_people: false,
            crime_suspected: false,
            ..input.clone()
        };
        s.record_incident(&admin, &near, &[]).await.unwrap();
        let stats = s.incident_statistics(&admin, 2026).await.unwrap();
        assert_eq!((stats.incidents, stats.near_misses, stats.reportable, stats.personal_data), (1, 1, 1, 1), "{}", db.name);

        // Pages and API.
        let list = app.get("/security/incidents").await.body;
        assert!(list.contains("Неовлашћен приступ бази пореза") && list.contains("Покушај фишинга"), "{}", db.name);
        let page = app.get(&format!("/security/incidents/{id}")).await.body;
        assert!(page.contains("INC-42") && page.contains("завршни извештај (15 дана)"), "{}", db.name);
        assert_eq!(app.get(&format!("/security/incidents/{id}/edit")).await.status, StatusCode::OK);
        let r = app.post("/security/incidents", &[("title", "Без сазнања"), ("description", "x"), ("aware", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/security/incidents/statistics?year=2026", &token, None).await;
        assert_eq!((st, v["near_misses"].as_i64()), (StatusCode::OK, Some(1)), "{v}");
        let body = serde_json::json!({"title": "DDoS на портал", "description": "Портал недоступан", "aware": "2026-11-25T12:00:00Z", "criteria": [1], "danger": "medium", "services_affected": true});
        let (st, v) = app.api(Method::POST, "/api/v1/security/incidents", &token, Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        assert!(v["deadlines"].as_array().unwrap().iter().any(|d| d["kind"] == "service_users"), "{v}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r6_the_server_room_log_and_r58_policy_breaches() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        app.login("admin", ADMIN_PW).await;
        // A technician alone is refused; accompanied, recorded; the administrator marks the exit.
        let r = app
            .post("/security/server-room", &[("person", "Сервисер, Комтрејд"), ("role", "other"), ("reason", "Замена диска на серверу")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "R.6: not alone");
        assert!(r.body.contains("само у пратњи"), "{}", db.name);
        let r = app
            .post(
                "/security/server-room",
                &[
                    ("person", "Сервисер, Комтрејд"),
                    ("role", "other"),
                    ("accompanied_by", "Милан Стојановић"),
                    ("reason", "Замена диска на серверу"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let visits = s.server_room_visits(&inspector).await.unwrap();
        assert_eq!((visits.len(), visits[0].left_us), (1, None));
        let r = app.post(&format!("/security/server-room/{}/left", visits[0].id), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(s.server_room_visits(&inspector).await.unwrap()[0].left_us.is_some());
        assert!(matches!(s.close_server_room_visit(&admin, visits[0].id).await, Err(Error::Invalid(_))), "once");
        let page = app.get("/security/server-room").await.body;
        assert!(page.contains("Сервисер, Комтрејд") && page.contains("Милан Стојановић"), "{}", db.name);

        // A breach of the security policy (R.58) goes to the head of administration and under its
        // own category in the work log.
        let breach = upravnik_core::internet::MisuseInput {
            kind: "policy_breach".into(),
            person_id: Some(inspector.person_id),
            happened_on: "24.11.2026".into(),
            description: "Лозинка залепљена на монитору".into(),
            ..Default::default()
        };
        s.record_misuse(&admin, &breach).await.unwrap();
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 50, ..Default::default() }).await.unwrap();
        assert!(
            log.iter().any(|e| e.category == upravnik_core::worklog::Category::PolicyBreach && e.text.contains("члан 58")),
            "{}",
            db.name
        );
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn trainings_and_who_has_had_none() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let a = user_with(&s, &admin, "ana", &[Role::Employee]).await;
        let b = user_with(&s, &admin, "boban", &[Role::Employee]).await;
        app.login("admin", ADMIN_PW).await;
        let before = s.untrained_people(&admin, None).await.unwrap().len();
        assert_eq!(before, 3, "{}: the administrator and two employees", db.name);
        let r = app.post("/security/trainings", &[("topic", "Фишинг"), ("kind", "basic"), ("held_on", "24.11.2026")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "attendees are required");
        let (pa, pb) = (a.person_id.to_string(), b.person_id.to_string());
        let r = app
            .post(
                "/security/trainings",
                &[
                    ("topic", "Препознавање фишинг порука"),
                    ("kind", "basic"),
                    ("held_on", "24.11.2026"),
                    ("hours", "2"),
                    ("attendees", &pa),
                    ("attendees", &pb),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let t = s.trainings(&admin).await.unwrap();
        assert_eq!((t.len(), t[0].attendees.len(), t[0].held_on.as_str()), (1, 2, "2026-11-24"), "{}", db.name);
        let left = s.untrained_people(&admin, None).await.unwrap();
        assert_eq!(left.len(), 1, "{}: only the administrator: {left:?}", db.name);
        assert_eq!(s.untrained_people(&admin, Some("25.11.2026")).await.unwrap().len(), 3, "none since the 25th");
        let page = app.get("/security/trainings").await.body;
        assert!(page.contains("Препознавање фишинг порука") && page.contains("Без иједне обуке: 1"), "{}", db.name);
        let m = app.get("/security/measures/zib2025/4").await.body;
        assert!(m.contains("одржано обука: 1"), "{}: live evidence of measure 4", db.name);
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, v) = app.api(Method::GET, "/api/v1/security/trainings/untrained", &token, None).await;
        assert_eq!((st, v.as_array().map(Vec::len)), (StatusCode::OK, Some(1)), "{v}");
    }
}

#[tokio::test]
async fn r65_removals_are_approved_by_the_head_and_media_go_with_a_cover_document() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        app.login("admin", ADMIN_PW).await;
        let r = app
            .post(
                "/security/removals",
                &[("kind", "equipment"), ("what", "Лаптоп за рад на терену"), ("purpose", "Попис имовине у месним заједницама")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "equipment names its asset");
        let r =
            app.post("/security/removals", &[("kind", "data"), ("what", "Извод из бирачког списка"), ("purpose", "Рад комисије")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = s.removals(&admin).await.unwrap()[0].id;
        assert!(matches!(s.decide_removal(&admin, id, true, "").await, Err(Error::Forbidden)), "only the head approves (R.65)");
        assert!(matches!(s.decide_removal(&head, id, false, "").await, Err(Error::Invalid(_))), "a refusal says why");
        let mut h = App::over(s.clone());
        h.login("nacelnik", "plava8reka").await;
        assert!(h.get("/").await.body.contains("Захтева за изношење чека ваше одобрење: 1"), "{}", db.name);
        let r = h.post(&format!("/security/removals/{id}/decide"), &[("decision", "approve"), ("note", "")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(s.removals(&head).await.unwrap()[0].state, upravnik_core::removals::RemovalState::Approved);
        assert!(matches!(s.decide_removal(&head, id, true, "").await, Err(Error::Invalid(_))), "decided once");

        let r = app
            .post(
                "/security/transfers",
                &[
                    ("sender", "Одсек за ИКТ"),
                    ("receiver", "РГЗ"),
                    ("data_kind", "Подаци катастра"),
                    ("medium", "USB диск"),
                    ("sent_on", "25.11.2026"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app
            .post(
                "/security/transfers",
                &[("sender", "Одсек за ИКТ"), ("receiver", ""), ("data_kind", "x"), ("medium", "y"), ("sent_on", "25.11.2026")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the receiver is required");
        let page = app.get("/security/removals").await.body;
        assert!(page.contains("Извод из бирачког списка") && page.contains("одобрено") && page.contains("РГЗ"), "{}", db.name);
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 50, ..Default::default() }).await.unwrap();
        assert!(
            log.iter().any(|e| e.text.contains("Пропратни акт (члан 65)")) && log.iter().any(|e| e.text.contains("одобрено (члан 65)"))
        );
    }
}
