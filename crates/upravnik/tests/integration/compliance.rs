//! Issue 9 on both databases: the yearly compliance check (findings, corrective actions, the
//! report as PDF, the dates on the home page), the acts reviewed yearly, procurement proposals
//! (R.21) linked to the equipment delivered, and the records of processing activities (ZZPL
//! čl. 47), whose versions the database itself refuses to change or delete.

use axum::http::{Method, StatusCode};
use serde_json::json;
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::asset::AssetInput;
use upravnik_core::compliance::{ActInput, CheckInput, CompleteInput, FindingInput, FindingResult};
use upravnik_core::measures::{Law, catalogue};
use upravnik_core::processing::RecordInput;
use upravnik_core::procurement::{DecisionInput, ProposalInput, ProposalState};
use upravnik_core::worklog::Filter;

use crate::http::{App, pdf_text};
use crate::support::*;

#[tokio::test]
async fn the_yearly_check_from_findings_to_the_signed_report_and_the_next_due_date() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        app.login("admin", ADMIN_PW).await;
        // Nothing yet: the home page says the check was never done and no acts are recorded.
        let home = app.get("/").await.body;
        assert!(home.contains("Годишња провера усклађености мера заштите још није евидентирана"), "{}", db.name);
        assert!(home.contains("Акт о процени ризика није евидентиран"), "{}", db.name);

        // Started through the page; a year in the future is refused.
        let r =
            app.post("/security/checks", &[("year", "2027"), ("kind", "self"), ("checked_by", "x"), ("started_on", "01.12.2025")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Унесите протеклу или текућу годину"), "{}", r.body);
        let r = app
            .post(
                "/security/checks",
                &[
                    ("year", "2025"),
                    ("kind", "self"),
                    ("law", "zib2025"),
                    ("checked_by", "Милан Стојановић, Бојан Живковић"),
                    ("started_on", "01.12.2025"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = s.compliance_checks(&inspector).await.unwrap()[0].id;
        assert!(app.get("/").await.body.contains("Годишња провера усклађености је у току"), "{}", db.name);
        assert!(
            matches!(s.start_check(&inspector, &CheckInput::default()).await, Err(Error::Forbidden)),
            "the inspector reads, never writes"
        );

        // Findings through the page: a partial one without its reason is sent back with the row marked.
        let mut form: Vec<(String, String)> = vec![];
        for m in catalogue(Law::Zib2025) {
            let result = if m.no == 7 { "partial" } else { "compliant" };
            form.push((format!("result-{}", m.no), result.into()));
            form.push((format!("finding-{}", m.no), String::new()));
        }
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app.post(&format!("/security/checks/{id}/findings"), &pairs).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
        assert!(r.body.contains("Наведите налаз"), "{}", r.body);
        form.retain(|(k, _)| k != "finding-7");
        form.push(("finding-7".into(), "Процедура управљања лозинкама није усвојена".into()));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = app.post(&format!("/security/checks/{id}/findings"), &pairs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let c = s.compliance_check(&admin, id).await.unwrap();
        assert_eq!(c.findings.len(), 37, "{}", db.name);
        assert_eq!(c.finding(7).map(|f| f.result), Some(FindingResult::Partial));

        // Completing needs a corrective action for the gap.
        let done =
            CompleteInput { completed_on: "15.12.2025".into(), conclusion: "Мере су усклађене осим мере 7".into() };
        let Err(Error::Invalid(e)) = s.complete_check(&admin, id, &done).await else { panic!("a gap without an action") };
        assert_eq!(e[0].message, "err-check-actions-missing");
        let r = app
            .post(
                &format!("/security/checks/{id}/actions"),
                &[("no", "7"), ("action", "Усвојити процедуру за лозинке"), ("owner", "Бојан Живковић"), ("due_on", "01.03.2026")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.post(&format!("/security/checks/{id}/complete"), &[("completed_on", "15.12.2025"), ("conclusion", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a report has a conclusion");
        let r = app
            .post(
                &format!("/security/checks/{id}/complete"),
                &[("completed_on", "15.12.2025"), ("conclusion", "Мере су усклађене осим мере 7")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // The report no longer changes; the measures register shows the day of the check.
        let again = vec![FindingInput { no: 1, result: "noncompliant".into(), finding: "x".into() }];
        assert!(matches!(s.save_findings(&admin, id, &again).await, Err(Error::Conflict { .. })), "{}", db.name);
        let m = s.security_measure(&admin, Law::Zib2025, 12).await.unwrap();
        assert_eq!(m.assessment.checked_on.as_deref(), Some("2025-12-15"), "{}", db.name);

        // The next check is due a year later; the corrective action (due 1 March) is late today.
        let d = s.compliance_duties(&inspector).await.unwrap();
        assert_eq!(d.next_check_due.map(|d| d.to_string()).as_deref(), Some("2026-12-15"));
        assert_eq!((d.check_open, d.overdue_actions), (false, 1));
        let home = app.get("/").await.body;
        assert!(home.contains("Следећа годишња провера усклађености мера заштите: до 15.12.2026."), "{}", db.name);
        assert!(home.contains("Корективних мера после рока: 1"), "{}", db.name);
        let action = s.compliance_check(&admin, id).await.unwrap().actions[0].id;
        let r = app.post(&format!("/security/actions/{action}/done"), &[("note", "Процедура усвојена 20.11.2026.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(s.compliance_duties(&admin).await.unwrap().overdue_actions, 0);
        assert!(matches!(s.close_corrective_action(&admin, action, "", "").await, Err(Error::Conflict { .. })), "done once");

        // The report as a PDF, from the page and from the API.
        let pdf = app.get(&format!("/security/checks/{id}/pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert!(pdf.bytes.starts_with(b"%PDF-"), "{}", db.name);
        if let Some(text) = pdf_text(&pdf.bytes) {
            for w in [
                "Извештај о провери усклађености",
                "2025",
                "успостављање организационе структуре",
                "Процедура управљања лозинкама",
                "Усвојити процедуру за лозинке",
            ] {
                assert!(text.contains(w), "{w:?} in the report:\n{text}");
            }
        }

        // The acts: the risk assessment's review is due a year after the latest one.
        let act =
            ActInput { kind: "risk_assessment".into(), number: "404-3/2025".into(), act_date: "10.12.2025".into(), note: String::new() };
        s.record_security_act(&admin, &act).await.unwrap();
        let r = app.post("/security/acts", &[("kind", "security_act"), ("number", ""), ("act_date", "31.12.2026")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(s.compliance_duties(&admin).await.unwrap().risk_assessment_due.map(|d| d.to_string()).as_deref(), Some("2026-12-10"));
        let home = app.get("/").await.body;
        assert!(home.contains("Ревизија акта о процени ризика: до 10.12.2026."), "{}", db.name);
        let page = app.get("/security/checks").await.body;
        assert!(page.contains("404-3/2025") && page.contains("15.12.2026."), "{}", db.name);
        // Under the Security area of the navigation (UI.md), not the work log's.
        assert!(page.contains("href=\"/security\" aria-current=\"page\">Безбедност</a>"), "{page}");
        assert!(page.contains("href=\"/security/checks\" aria-current=\"page\">Провера усклађености</a>"), "{page}");

        // The API.
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, body) = app.api(Method::GET, "/api/v1/security/checks/duties", &token, None).await;
        assert_eq!((st, body["next_check_due"].as_str()), (StatusCode::OK, Some("2026-12-15")), "{body}");
        let (st, body) = app
            .api(
                Method::POST,
                "/api/v1/security/checks",
                &token,
                Some(json!({"year": "2026", "kind": "external", "checked_by": "Ревизорска кућа д.о.о.", "started_on": "25.11.2026"})),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        let new_id = body["id"].as_i64().unwrap();
        let (st, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/security/checks/{new_id}/findings"),
                &token,
                Some(json!([{"no": 18, "result": "not_applicable", "finding": "Нема услуга у облаку"}, {"no": 1, "result": "compliant"}])),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT, "{body}");
        let (_, body) = app.api(Method::GET, &format!("/api/v1/security/checks/{new_id}"), &token, None).await;
        assert_eq!(body["findings"].as_array().map(|a| a.len()), Some(2), "{body}");
        let (st, _) = app.api(Method::GET, &format!("/api/v1/security/checks/{new_id}/pdf"), &token, None).await;
        assert_eq!(st, StatusCode::OK);

        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 100, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("Провера усклађености за 2025. годину завршена 15.12.2025.")), "{}", db.name);
        assert!(log.iter().any(|e| e.text.contains("Корективна мера извршена")), "{}", db.name);
    }
}

#[tokio::test]
async fn r21_a_proposal_approved_by_act_links_the_equipment_delivered() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = user_with(&s, &admin, "nacelnik", &[Role::HeadOfAdministration]).await;
        app.login("admin", ADMIN_PW).await;
        let r =
            app.post("/procurement", &[("title", "Замена радних станица"), ("reason", "Гаранција истекла"), ("estimate", "много")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .post(
                "/procurement",
                &[("title", "Замена 12 радних станица"), ("reason", "Гаранција истекла, Windows 10"), ("estimate", "1.250.000,00")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id = s.proposals(&admin).await.unwrap()[0].proposal.id;
        // Only the head of administration decides, by an act.
        let approve = DecisionInput {
            decision: "approve".into(),
            act_number: "404-77/2026".into(),
            act_date: "24.11.2026".into(),
            note: String::new(),
        };
        assert!(matches!(s.decide_proposal(&admin, id, &approve).await, Err(Error::Forbidden)), "{}", db.name);
        assert!(matches!(s.set_procurement_ref(&admin, id, "ЈН 12/2026").await, Err(Error::Invalid(_))), "not approved yet");
        let mut h = App::over(s.clone());
        h.login("nacelnik", "plava8reka").await;
        assert!(h.get("/").await.body.contains("Предлога набавке чека ваше одобрење: 1"), "{}", db.name);
        let r = h.post(&format!("/procurement/{id}/decide"), &[("decision", "approve"), ("act_number", ""), ("act_date", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an approval names its act");
        let r = h
            .post(
                &format!("/procurement/{id}/decide"),
                &[("decision", "approve"), ("act_number", "404-77/2026"), ("act_date", "24.11.2026")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(matches!(s.decide_proposal(&head, id, &approve).await, Err(Error::Invalid(_))), "decided once");

        // The procurement number, then equipment registered under it is the delivery.
        let r = app.post(&format!("/procurement/{id}/reference"), &[("procurement_ref", "ЈН 12/2026")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        for n in 1..=2 {
            let a = AssetInput {
                kind: "laptop".into(),
                inventory_number: format!("INV-L{n}"),
                manufacturer: "Lenovo".into(),
                model: "ThinkPad L14".into(),
                procurement_ref: "ЈН 12/2026".into(),
                ..Default::default()
            };
            s.create_asset(&admin, &a).await.unwrap();
        }
        let other = AssetInput { kind: "printer".into(), inventory_number: "INV-P1".into(), ..Default::default() };
        s.create_asset(&admin, &other).await.unwrap();
        let v = s.proposal(&head, id).await.unwrap();
        assert_eq!(v.proposal.state, ProposalState::Approved);
        assert_eq!(v.delivered.iter().map(|d| d.1.as_str()).collect::<Vec<_>>(), ["INV-L1", "INV-L2"], "{}", db.name);
        let page = app.get("/procurement").await.body;
        assert!(page.contains("одобрен актом бр. 404-77/2026 од 24.11.2026.") && page.contains("INV-L2"), "{}", db.name);
        assert!(page.contains("1.250.000,00"), "{}", db.name);

        // A rejection says why; the API shows the same.
        let p = ProposalInput {
            title: "Нови сервер".into(), reason: "Виртуелизација".into(), estimate: "900000".into()
        };
        let second = s.propose_procurement(&admin, &p).await.unwrap();
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, body) =
            app.api(Method::POST, &format!("/api/v1/procurement/{second}/decide"), &token, Some(json!({"decision": "reject"}))).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "administrators do not approve: {body}");
        let reject = DecisionInput {
            decision: "reject".into(), note: "Нема средстава у буџету за 2026.".into(), ..Default::default()
        };
        s.decide_proposal(&head, second, &reject).await.unwrap();
        let (st, body) = app.api(Method::GET, "/api/v1/procurement", &token, None).await;
        assert_eq!(st, StatusCode::OK);
        assert_eq!(body.as_array().map(|a| a.len()), Some(2), "{body}");
        assert_eq!(body[0]["proposal"]["state"], "rejected", "{body}");
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 50, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("одобрена актом бр. 404-77/2026")), "{}", db.name);
    }
}

#[tokio::test]
async fn zzpl_cl47_records_of_processing_are_versioned_and_never_deleted() {
    for db in databases().await {
        let (mut app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        app.login("admin", ADMIN_PW).await;
        let r = app.post("/security/processing", &[("name", "Пријаве кварова")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "Art. 47 asks for the purpose, subjects, recipients…");
        let fields = [
            ("name", "Пријаве кварова"),
            ("system", "Управник"),
            ("controller", "Градска управа Града Зајечара; лице за заштиту података: Ана Илић"),
            ("purpose", "Отклањање кварова (члан 52 Правилника)"),
            ("subjects", "Запослени"),
            ("data_kinds", "Име и презиме, радно место, локал"),
            ("recipients", "Администратори; сервисер по уговору"),
            ("retention", "5 година"),
            ("safeguards", "Приступ по улогама, двофакторска пријава администратора"),
        ];
        let r = app.post("/security/processing", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let no = s.processing_records(&inspector).await.unwrap()[0].current.record_no;

        // A change is a new version with its reason; a change made from an older version is refused.
        let mut change: Vec<(&str, &str)> = fields.to_vec();
        change[7] = ("retention", "10 година");
        change.push(("base_version", "1"));
        let r = app.post(&format!("/security/processing/{no}"), &change).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a change says why");
        change.push(("change_note", "Усклађено са листом категорија"));
        let r = app.post(&format!("/security/processing/{no}"), &change).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = app.post(&format!("/security/processing/{no}"), &change).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "made from version 1 while 2 is current: {}", db.name);
        let same = RecordInput {
            name: "Пријаве кварова".into(),
            system: "Управник".into(),
            controller: fields[2].1.into(),
            purpose: fields[3].1.into(),
            subjects: fields[4].1.into(),
            data_kinds: fields[5].1.into(),
            recipients: fields[6].1.into(),
            retention: "10 година".into(),
            safeguards: fields[8].1.into(),
            change_note: "ништа".into(),
            ..Default::default()
        };
        assert!(matches!(s.save_processing_record(&admin, Some(no), &same).await, Err(Error::Invalid(_))), "nothing changed");
        let ended = RecordInput { ended_on: "20.11.2026".into(), change_note: "Обрада престала".into(), ..same };
        assert_eq!(s.save_processing_record(&admin, Some(no), &ended).await.unwrap(), (no, 3));
        let versions = s.processing_record(&inspector, no).await.unwrap();
        assert_eq!(versions.iter().map(|v| v.retention.as_str()).collect::<Vec<_>>(), ["5 година", "10 година", "10 година"]);
        let page = app.get(&format!("/security/processing/{no}")).await.body;
        assert!(page.contains("Обрада престала") && page.contains("Рок брисања"), "{}", db.name);
        let old = app.get(&format!("/security/processing/{no}?v=1")).await.body;
        assert!(old.contains("5 година") && old.contains("Ово је ранија верзија"), "{}", db.name);

        // The database itself refuses to change or delete a version.
        for sql in ["UPDATE processing_records SET retention = 'x'".to_string(), "DELETE FROM processing_records".to_string()] {
            let r = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone())).execute(s_pool(&db)).await;
            assert!(r.is_err(), "{}: {sql} must fail", db.name);
        }
        assert_eq!(s.processing_record(&admin, no).await.unwrap().len(), 3);

        // The API.
        let (_, token) = s.create_api_token(&admin, "api").await.unwrap();
        let (st, body) = app.api(Method::GET, &format!("/api/v1/security/processing/{no}"), &token, None).await;
        assert_eq!((st, body.as_array().map(|a| a.len())), (StatusCode::OK, Some(3)), "{body}");
        let (st, body) = app
            .api(
                Method::PUT,
                &format!("/api/v1/security/processing/{no}"),
                &token,
                Some(json!({"name": "Пријаве кварова", "system": "Управник", "controller": "ГУ", "purpose": "п", "subjects": "з",
                    "data_kinds": "и", "recipients": "а", "retention": "1 година", "safeguards": "м", "change_note": "API", "base_version": 2})),
            )
            .await;
        assert_eq!(st, StatusCode::CONFLICT, "{body}");
        let log = s.store.worklog(&Filter { office_id: admin.office_id, limit: 50, ..Default::default() }).await.unwrap();
        assert!(log.iter().any(|e| e.text.contains("верзија 2: Усклађено са листом категорија")), "{}", db.name);
    }
}

fn s_pool(db: &TestDb) -> &sqlx::AnyPool {
    db.store.pool()
}
