//! The forms of a fault's life (R.52–R.53) on both databases: when a work order is asked for,
//! its numbers, the parts it adds to the workstation card, the hand-over record that sends the
//! device to a service, the service sheet with its scan, and the work log of every step.

use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::asset::{AssetInput, AssetStatus};
use upravnik_core::helpdesk::{ReportInput, ReportState, TransitionInput};
use upravnik_core::parts::{ComponentKind, PartFields, PartSource};
use upravnik_core::report_forms::{HandoverInput, ItemInput, SCAN_MAX, Scan, ServiceSheetInput, WorkKind, WorkOrderInput};
use upravnik_core::worklog::Filter;

use crate::helpdesk::staff;
use crate::support::*;

fn to(state: &str) -> TransitionInput {
    TransitionInput { to: state.into(), ..Default::default() }
}

fn code<T: std::fmt::Debug>(r: &Result<T, Error>) -> String {
    match r {
        Err(Error::Invalid(e)) => e[0].message.to_string(),
        Err(e) => e.code().to_string(),
        Ok(v) => format!("ok: {v:?}"),
    }
}

fn ram_order() -> WorkOrderInput {
    WorkOrderInput {
        work: "Замена неисправног RAM модула".into(),
        kind: "part_replaced".into(),
        items: vec![ItemInput {
            name: "Kingston DDR4 8 GB".into(),
            quantity: "1".into(),
            cost: "3.500,00".into(),
            component: "memory".into(),
            ..Default::default()
        }],
        update_card: true,
        ..Default::default()
    }
}

#[tokio::test]
async fn r53_a_work_order_is_asked_for_exactly_when_the_work_needs_one() {
    for db in databases().await {
        let (s, _clock) = services(&db);
        let admin = with_admin(&s).await;
        let unit =
            s.create_unit(&admin, upravnik_core::org::UnitInput { name: "Одсек за финансије".into(), ..Default::default() }).await.unwrap();
        let ana = staff(&s, &admin, Some(unit.id), "Ана", "ana", &[Role::Employee]).await;
        let pc = s
            .create_asset(
                &admin,
                &AssetInput {
                    kind: "workstation".into(),
                    inventory_number: "РС-12".into(),
                    manufacturer: "Dell".into(),
                    model: "OptiPlex 7010".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let unit =
            s.create_unit(&admin, upravnik_core::org::UnitInput { name: "Одсек за финансије".into(), ..Default::default() }).await.unwrap();
        let wp = s
            .create_workplace(
                &admin,
                upravnik_core::org::WorkplaceInput { unit_id: unit.id, name: "Референт за плате".into(), room: "12".into() },
            )
            .await
            .unwrap();
        // The workstation stands at her workplace; the administrator records her call.
        s.assign_asset(&admin, pc.id, None, Some(wp.id), "", false).await.unwrap();
        let new = |title: &str| ReportInput {
            reporter_id: Some(ana.person_id),
            asset_id: Some(pc.id),
            description: "Рачунар се гаси".into(),
            title: title.into(),
            ..Default::default()
        };

        // A plain repair on site asks for nothing (R.53 ¶2).
        let a = s.create_report(&admin, &new("Гаси се")).await.unwrap();
        s.move_report(&admin, a.id, &to("accepted")).await.unwrap();
        s.move_report(&admin, a.id, &to("on_site")).await.unwrap();
        s.record_report_work(&admin, a.id, "repair", "очишћен вентилатор").await.unwrap();
        assert!(!s.report_forms(&admin, a.id).await.unwrap().work_order_required, "{}", db.name);
        // Until a part is replaced (R.53).
        s.record_report_work(&admin, a.id, "part_replaced", "").await.unwrap();
        assert!(s.report_forms(&admin, a.id).await.unwrap().work_order_required, "{}", db.name);

        // To the ICT office asks for one (R.52.3); the employee cannot write one.
        let b = s.create_report(&admin, &new("Не ради")).await.unwrap();
        assert_eq!(code(&s.create_work_order(&admin, b.id, &ram_order()).await), "err-report-form-state", "a new report has no work yet");
        s.move_report(&admin, b.id, &to("accepted")).await.unwrap();
        assert!(!s.report_forms(&admin, b.id).await.unwrap().work_order_required);
        s.move_report(&admin, b.id, &to("in_ict_office")).await.unwrap();
        assert!(s.report_forms(&admin, b.id).await.unwrap().work_order_required, "{}", db.name);
        assert_eq!(code(&s.create_work_order(&ana, b.id, &ram_order()).await), "forbidden");
        let refused = s.create_work_order(&admin, b.id, &WorkOrderInput { kind: "patch".into(), ..ram_order() }).await;
        assert_eq!(code(&refused), "err-work-kind");

        let w = s.create_work_order(&admin, b.id, &ram_order()).await.unwrap();
        assert_eq!(w.number, "РН-2026-0001", "{}", db.name);
        assert!(w.changes_book_value && w.needs_money, "a replaced part changes the book value");
        assert_eq!((w.inventory_number.as_str(), w.person_name.as_str(), w.fault.as_str()), ("РС-12", "Ана Јовановић", "Рачунар се гаси"));
        assert_eq!(w.items[0].cost, 350_000);
        let f = s.report_forms(&admin, b.id).await.unwrap();
        assert!(!f.work_order_required, "{}: one exists now", db.name);
        // Numbers run per office and year over all reports.
        let w2 = s.create_work_order(&admin, a.id, &WorkOrderInput { update_card: false, ..ram_order() }).await.unwrap();
        assert_eq!(w2.number, "РН-2026-0002");
        assert!(!s.report_forms(&admin, a.id).await.unwrap().work_order_required);

        // The replaced part is on the workstation card once (the second order did not ask), as
        // a manual row with a history row and its own log entry.
        let parts = s.asset_parts(&admin, pc.id).await.unwrap();
        let rams: Vec<_> = parts
            .iter()
            .filter(
                |p| matches!(&p.fields, PartFields::Component { kind: ComponentKind::Memory, model, .. } if model == "Kingston DDR4 8 GB"),
            )
            .collect();
        assert_eq!(rams.len(), 1, "{}: {parts:?}", db.name);
        assert_eq!(rams[0].source, PartSource::Manual);
        let history = s.asset_history(&admin, pc.id).await.unwrap();
        assert!(history.iter().any(|h| h.field == "component" && h.new.contains("Kingston DDR4 8 GB")), "{history:?}");

        // A part replaced again: the card's only memory module goes out by itself, the new one
        // goes in; a line naming a part that is not on the card is refused and writes nothing.
        let kingston = rams[0].id;
        let bogus = WorkOrderInput {
            items: vec![ItemInput { name: "X".into(), component: "memory".into(), replaces: "999999".into(), ..Default::default() }],
            ..ram_order()
        };
        assert_eq!(code(&s.create_work_order(&admin, a.id, &bogus).await), "err-replaces", "{}", db.name);
        let samsung = WorkOrderInput {
            items: vec![ItemInput { name: "Samsung DDR4 16 GB".into(), component: "memory".into(), ..Default::default() }],
            ..ram_order()
        };
        let w3 = s.create_work_order(&admin, a.id, &samsung).await.unwrap();
        assert_eq!(w3.number, "РН-2026-0003", "{}: the refused order took no number", db.name);
        let parts = s.asset_parts(&admin, pc.id).await.unwrap();
        let old = parts.iter().find(|p| p.id == kingston).unwrap();
        assert!(old.removed_us.is_some(), "{}: the replaced module is marked removed", db.name);
        let active: Vec<String> =
            upravnik_core::parts::only(&parts, upravnik_core::parts::PartKind::Component).map(|p| p.fields.describe()).collect();
        assert!(active.len() == 1 && active[0].contains("Samsung"), "{}: {active:?}", db.name);
        let history = s.asset_history(&admin, pc.id).await.unwrap();
        assert!(history.iter().any(|h| h.field == "component" && h.old.contains("Kingston") && h.new.is_empty()), "{history:?}");

        // Every document is an intervention in the work log, with its number.
        let log: Vec<String> = s
            .worklog(
                &admin,
                Filter { object_kind: Some("fault_report".into()), object_id: Some(b.id.to_string()), limit: 50, ..Default::default() },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert!(
            log.iter().any(|t| t.starts_with("Радни налог РН-2026-0001 уз пријаву квара") && t.contains("1 × Kingston DDR4 8 GB (3.500,00 дин.)")),
            "{}: {log:#?}",
            db.name
        );
        let asset_log: Vec<String> = s
            .worklog(
                &admin,
                Filter { object_kind: Some("asset".into()), object_id: Some(pc.id.to_string()), limit: 50, ..Default::default() },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert!(asset_log.iter().any(|t| t.contains("уграђено") && t.contains("Kingston")), "{asset_log:#?}");
        let recorded = s.report_forms(&admin, a.id).await.unwrap().recorded_work;
        assert_eq!(recorded.iter().map(|w| w.kind).collect::<Vec<_>>(), [WorkKind::Repair, WorkKind::PartReplaced]);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r52_4_to_the_service_with_a_hand_over_record_back_with_a_service_sheet_and_its_scan() {
    for db in databases().await {
        let (s, _clock) = services(&db);
        let admin = with_admin(&s).await;
        let unit =
            s.create_unit(&admin, upravnik_core::org::UnitInput { name: "Одсек за финансије".into(), ..Default::default() }).await.unwrap();
        let ana = staff(&s, &admin, Some(unit.id), "Ана", "ana", &[Role::Employee]).await;
        let other = staff(&s, &admin, None, "Петар", "petar", &[Role::Employee]).await;
        let inspector = staff(&s, &admin, None, "Инспектор", "insp", &[Role::Inspector]).await;
        let printer = s
            .create_asset(
                &admin,
                &AssetInput {
                    kind: "printer".into(),
                    inventory_number: "ШТ-7".into(),
                    serial: "VNB3K12345".into(),
                    manufacturer: "HP".into(),
                    model: "M404".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        s.assign_asset(&admin, printer.id, Some(ana.person_id), None, "", false).await.unwrap();
        let r = s
            .create_report(&ana, &ReportInput { asset_id: Some(printer.id), title: "Гужва папир".into(), ..Default::default() })
            .await
            .unwrap();
        s.move_report(&admin, r.id, &to("accepted")).await.unwrap();

        assert_eq!(code(&s.move_report(&admin, r.id, &to("at_service")).await), "err-report-handover-needed", "{}", db.name);
        let missing = s.create_handover(&admin, r.id, &HandoverInput::default()).await;
        assert_eq!(code(&missing), "err-required", "the service is named");
        let h = s
            .create_handover(
                &admin,
                r.id,
                &HandoverInput {
                    service_name: "Сервис Биро д.о.о.".into(),
                    accessories: "кабл за напајање".into(),
                    received_by: "Зоран Илић".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!((h.number.as_str(), h.serial.as_str(), h.handed_by.as_str()), ("ЗП-2026-0001", "VNB3K12345", "Милан Стојановић"));
        assert_eq!(s.report(&admin, r.id).await.unwrap().state, ReportState::AtService, "{}", db.name);
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::AtService);
        assert_eq!(
            code(&s.create_handover(&admin, r.id, &HandoverInput { service_name: "Други".into(), ..Default::default() }).await),
            "err-report-move"
        );

        // The sheet on return: the scan is kept as it came, and judged by its bytes and size.
        let sheet = ServiceSheetInput {
            date: "10.03.2026.".into(),
            fault_found: "Истрошен ваљак".into(),
            repair_done: "Замењен ваљак за увлачење".into(),
            warranty_months: "6".into(),
            servicer: "Зоран Илић".into(),
            to: String::new(),
        };
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(SCAN_MAX + 1, b'x');
        assert_eq!(code(&Scan::new("big.pdf", big)), "err-scan-too-large");
        assert_eq!(code(&Scan::new("x.pdf", b"MZ\x90\x00".to_vec())), "err-scan-type");
        let mut scan = b"%PDF-1.4\n".to_vec();
        scan.extend((0..200_000u32).map(|i| (i % 251) as u8));
        let kept = s.create_service_sheet(&admin, r.id, &sheet, Some(Scan::new("list.pdf", scan.clone()).unwrap())).await.unwrap();
        assert_eq!((kept.warranty_until.as_str(), kept.handover_id, kept.scan_size), ("2026-09-10", Some(h.id), scan.len() as i64));
        assert_eq!(s.report(&admin, r.id).await.unwrap().state, ReportState::InIctOffice, "{}: back to the office", db.name);
        assert_eq!(s.asset(&admin, printer.id).await.unwrap().status, AssetStatus::InRepair);
        let (name, ty, bytes) = s.service_sheet_scan(&admin, r.id, kept.id).await.unwrap();
        assert_eq!((name.as_str(), ty.as_str()), ("list.pdf", "application/pdf"));
        assert!(bytes == scan, "{}: the scan comes back byte for byte", db.name);
        assert!(s.report_forms(&admin, r.id).await.unwrap().handovers[0].returned);
        // A sheet only while the device is at the service.
        assert_eq!(code(&s.create_service_sheet(&admin, r.id, &sheet, None).await), "err-report-form-state");

        // The reporter and the inspector read the documents; another employee does not see them.
        assert_eq!(s.report_forms(&ana, r.id).await.unwrap().service_sheets.len(), 1);
        assert_eq!(s.report_forms(&inspector, r.id).await.unwrap().handovers.len(), 1);
        assert_eq!(code(&s.report_forms(&other, r.id).await), "not_found");
        assert_eq!(code(&s.service_sheet_scan(&other, r.id, kept.id).await), "not_found");

        let log: Vec<String> = s
            .worklog(
                &admin,
                Filter { object_kind: Some("fault_report".into()), object_id: Some(r.id.to_string()), limit: 50, ..Default::default() },
            )
            .await
            .unwrap()
            .into_iter()
            .rev()
            .map(|e| e.text)
            .collect();
        assert!(log.iter().any(|t| t == "Записник о примопредаји ЗП-2026-0001 уз пријаву квара П-2026-000001, уређај инв. бр. ШТ-7: предато сервису Сервис Биро д.о.о."), "{log:#?}");
        assert!(
            log.iter().any(|t| t.starts_with("Сервисни лист уз пријаву квара П-2026-000001: сервисер Зоран Илић")
                && t.contains("гаранција 6 мес. до 2026-09-10")),
            "{log:#?}"
        );
        assert!(log.iter().any(|t| t.contains("у овлашћеном сервису → у канцеларији ИКТ — враћено из сервиса")), "{log:#?}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

mod pages {
    //! The forms through the real router: the report page's notice and links, the PDFs, the
    //! multipart scan upload and the API.

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode, header};
    use serde_json::json;
    use upravnik_core::access::Role;
    use upravnik_core::asset::AssetInput;
    use upravnik_core::helpdesk::ReportInput;
    use upravnik_core::report_forms::SCAN_MAX;

    use crate::helpdesk::staff;
    use crate::http::{App, pdf_text};
    use crate::support::*;

    fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
        let boundary = "----upravnikFormsBoundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        if let Some((name, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    async fn upload(app: &App, id: i64, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> crate::http::Res {
        let (ct, body) = multipart(fields, file);
        let req = Request::post(format!("/reports/{id}/service-sheets?_csrf={}", app.csrf))
            .header(header::COOKIE, &app.cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap();
        app.send(req).await
    }

    #[tokio::test]
    async fn the_report_page_asks_for_the_work_order_and_the_forms_print() {
        for db in databases().await {
            let (mut adm, s) = App::new(&db).await;
            let (mut emp, _) = App::new(&db).await;
            let admin = with_admin(&s).await;
            let unit = s
                .create_unit(&admin, upravnik_core::org::UnitInput { name: "Одсек за финансије".into(), ..Default::default() })
                .await
                .unwrap();
            let ana = staff(&s, &admin, Some(unit.id), "Ана", "ana", &[Role::Employee]).await;
            let pc = s
                .create_asset(
                    &admin,
                    &AssetInput {
                        kind: "workstation".into(),
                        inventory_number: "РС-12".into(),
                        serial: "SN-PC-1".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let unit = s
                .create_unit(&admin, upravnik_core::org::UnitInput { name: "Одсек за финансије".into(), ..Default::default() })
                .await
                .unwrap();
            let wp = s
                .create_workplace(
                    &admin,
                    upravnik_core::org::WorkplaceInput {
                        unit_id: unit.id, name: "Референт за плате".into(), room: "12".into()
                    },
                )
                .await
                .unwrap();
            // The workstation stands at her workplace; the administrator records her call.
            s.assign_asset(&admin, pc.id, None, Some(wp.id), "", false).await.unwrap();
            let r = s
                .create_report(
                    &admin,
                    &ReportInput {
                        reporter_id: Some(ana.person_id),
                        asset_id: Some(pc.id),
                        title: "Не пали се".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            let id = r.id;
            adm.login("admin", ADMIN_PW).await;
            emp.login("ana", "plava8reka").await;
            adm.post(&format!("/reports/{id}/take"), &[]).await;
            let page = adm.get(&format!("/reports/{id}")).await;
            assert!(
                !page.body.contains("Потребан радни налог") && page.body.contains(&format!("/reports/{id}/work-orders/new")),
                "{}",
                db.name
            );
            adm.post(&format!("/reports/{id}/transitions"), &[("to", "in_ict_office")]).await;
            assert!(adm.get(&format!("/reports/{id}")).await.body.contains("Потребан радни налог"), "{}", db.name);

            let form = adm.get(&format!("/reports/{id}/work-orders/new")).await;
            assert_eq!(form.status, StatusCode::OK);
            assert!(form.body.contains("name=\"item1_component\"") && form.body.contains("Замена дела"));
            let bad = adm
                .post(
                    &format!("/reports/{id}/work-orders"),
                    &[("kind", "upgrade"), ("work", ""), ("item1_name", "SSD"), ("item1_cost", "abc")],
                )
                .await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            let ok = adm
                .post(
                    &format!("/reports/{id}/work-orders"),
                    &[
                        ("kind", "upgrade"),
                        ("work", "Уградња SSD диска"),
                        ("item1_name", "Samsung 870 EVO 500 GB"),
                        ("item1_quantity", "1"),
                        ("item1_cost", "6.990,00"),
                        ("item1_component", "disk"),
                        ("update_card", "1"),
                    ],
                )
                .await;
            assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}: {}", db.name, ok.body);
            let page = adm.get(&format!("/reports/{id}")).await;
            assert!(!page.body.contains("Потребан радни налог") && page.body.contains("РН-2026-0001"), "{}", db.name);
            let parts = s.asset_parts(&admin, pc.id).await.unwrap();
            assert!(parts.iter().any(|p| p.fields.describe().contains("Samsung 870 EVO 500 GB")), "{parts:?}");
            // Now that the card has a disk, each line offers the card's parts it may replace.
            let form = adm.get(&format!("/reports/{id}/work-orders/new")).await;
            assert!(form.body.contains("name=\"item1_replaces\"") && form.body.contains("Samsung 870 EVO 500 GB"), "{}", db.name);

            let w = s.report_forms(&admin, id).await.unwrap().work_orders[0].clone();
            let pdf = adm.get(&format!("/reports/{id}/work-orders/{}/pdf", w.id)).await;
            assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"));
            if let Some(text) = pdf_text(&pdf.bytes) {
                for want in [
                    "Радни налог",
                    "Прилог 5",
                    "РН-2026-0001",
                    "РС-12",
                    "Ана Јовановић",
                    "Уградња SSD диска",
                    "Samsung 870 EVO 500 GB",
                    "6.990,00",
                    "Доградња",
                    "Корисник",
                    "Администратор",
                ] {
                    assert!(text.contains(want), "{}: {want} missing from\n{text}", db.name);
                }
            }

            // To the service with the hand-over record; its PDF names the service and the device.
            let sent = adm
                .post(
                    &format!("/reports/{id}/handovers"),
                    &[("service_name", "Сервис Биро д.о.о."), ("service_address", "Зајечар, Пашићева 1"), ("accessories", "кабл")],
                )
                .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}: {}", db.name, sent.body);
            let h = s.report_forms(&admin, id).await.unwrap().handovers[0].clone();
            let pdf = emp.get(&format!("/reports/{id}/handovers/{}/pdf", h.id)).await;
            assert_eq!(pdf.status, StatusCode::OK, "{}: the reporter reads it", db.name);
            if let Some(text) = pdf_text(&pdf.bytes) {
                for want in [
                    "Записник о примопредаји",
                    "Прилог 6",
                    "ЗП-2026-0001",
                    "Сервис Биро д.о.о.",
                    "Зајечар, Пашићева 1",
                    "SN-PC-1",
                    "РС-12",
                    "кабл",
                    "Предао",
                    "Примио",
                ] {
                    assert!(text.contains(want), "{}: {want} missing from\n{text}", db.name);
                }
            }

            // The service sheet with its scan, through the multipart form (CSRF in the URL).
            let page = adm.get(&format!("/reports/{id}/service-sheets/new")).await;
            assert!(page.body.contains("enctype=\"multipart/form-data\""));
            let fields = [
                ("servicer", "Зоран Илић"),
                ("fault_found", "Неисправан диск"),
                ("repair_done", "Замењен"),
                ("warranty_months", "12"),
                ("to", "resolved"),
            ];
            let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
            big.resize(SCAN_MAX + 10, 0);
            let refused = upload(&adm, id, &fields, Some(("scan.png", &big))).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", db.name);
            assert!(refused.body.contains("10 MB"), "{}", db.name);
            let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR-test".to_vec();
            let sent = upload(&adm, id, &fields, Some(("печат.png", &png))).await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}: {}", db.name, sent.body);
            let sheet = s.report_forms(&admin, id).await.unwrap().service_sheets[0].clone();
            let back = emp.get(&format!("/reports/{id}/service-sheets/{}/scan", sheet.id)).await;
            assert_eq!((back.status, back.content_type.as_str()), (StatusCode::OK, "image/png"));
            assert_eq!(back.bytes, png);
            assert_eq!(s.report(&admin, id).await.unwrap().state, upravnik_core::helpdesk::ReportState::Resolved);

            // The employee sees the documents, read-only.
            let page = emp.get(&format!("/reports/{id}")).await;
            assert!(page.body.contains("ЗП-2026-0001") && page.body.contains("Сервисни лист"), "{}", db.name);
            assert!(!page.body.contains("/work-orders/new") && !page.body.contains(&format!("action=\"/reports/{id}/work\"")));
            assert_eq!(
                emp.post(&format!("/reports/{id}/work-orders"), &[("kind", "repair"), ("work", "x")]).await.status,
                StatusCode::FORBIDDEN
            );

            // The API: lists, a new order, and the PDF.
            let (_, token) = s.create_api_token(&admin, "test").await.unwrap();
            let (st, list) = adm.api(Method::GET, &format!("/api/v1/reports/{id}/handovers"), &token, None).await;
            assert_eq!((st, list[0]["number"].as_str()), (StatusCode::OK, Some("ЗП-2026-0001")));
            let (st, sheets) = adm.api(Method::GET, &format!("/api/v1/reports/{id}/service-sheets"), &token, None).await;
            assert_eq!((st, sheets[0]["warranty_months"].as_i64()), (StatusCode::OK, Some(12)));
            let (st, w2) = adm
                .api(
                    Method::POST,
                    &format!("/api/v1/reports/{id}/work-orders"),
                    &token,
                    Some(json!({"kind":"software_rework","work":"Прерада модула","items":[{"name":"Лиценца","cost":1200.5}]})),
                )
                .await;
            assert_eq!(
                (st, w2["number"].as_str(), w2["items"][0]["cost"].as_i64()),
                (StatusCode::CREATED, Some("РН-2026-0002"), Some(120_050)),
                "{w2}"
            );
            let req = Request::get(format!("/api/v1/reports/{id}/work-orders/{}/pdf", w2["id"]))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap();
            let pdf = adm.send(req).await;
            assert_eq!((pdf.status, pdf.content_type.as_str()), (StatusCode::OK, "application/pdf"));
            // The API takes the service sheet with its scan as multipart/form-data too.
            let r2 = s
                .create_report(
                    &admin,
                    &ReportInput {
                        reporter_id: Some(ana.person_id), asset_id: Some(pc.id), title: "Опет".into(), ..Default::default()
                    },
                )
                .await
                .unwrap();
            for to in ["accepted", "in_ict_office"] {
                s.move_report(&admin, r2.id, &upravnik_core::helpdesk::TransitionInput { to: to.into(), ..Default::default() })
                    .await
                    .unwrap();
            }
            let (st, _) = adm
                .api(Method::POST, &format!("/api/v1/reports/{}/handovers", r2.id), &token, Some(json!({"service_name":"Сервис Биро"})))
                .await;
            assert_eq!(st, StatusCode::CREATED, "{}", db.name);
            let (ct, body) = multipart(&fields, Some(("лист.png", &png)));
            let req = Request::post(format!("/api/v1/reports/{}/service-sheets", r2.id))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap();
            let res = adm.send(req).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}: {}", db.name, res.body);
            let created: serde_json::Value = serde_json::from_slice(&res.bytes).unwrap();
            assert_eq!(
                (created["scan_type"].as_str(), created["scan_size"].as_u64()),
                (Some("image/png"), Some(png.len() as u64)),
                "{created}"
            );
            let (ct, body) = multipart(&fields, Some(("x.exe", b"MZ\x90\x00not a scan")));
            let req = Request::post(format!("/api/v1/reports/{}/service-sheets", r2.id))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap();
            assert_eq!(adm.send(req).await.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: not a scan", db.name);
            let (_, etoken) = s.create_api_token(&ana, "e").await.unwrap();
            let (st, _) =
                adm.api(Method::POST, &format!("/api/v1/reports/{id}/handovers"), &etoken, Some(json!({"service_name":"x"}))).await;
            assert_eq!(st, StatusCode::FORBIDDEN);
        }
    }
}
