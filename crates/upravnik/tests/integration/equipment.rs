//! The equipment registry (issue 3, first slice) on both databases.

use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::asset::{AssetInput, AssetQuery, AssetStatus};
use upravnik_core::worklog::Filter;

use crate::support::*;

fn workstation(inv: &str, label: &str, ip: &str) -> AssetInput {
    AssetInput {
        kind: "workstation".into(),
        inventory_number: inv.into(),
        label: label.into(),
        manufacturer: "Dell".into(),
        model: "OptiPlex 7010".into(),
        serial: format!("SN-{inv}"),
        ip: ip.into(),
        mac: "aa-bb-cc-dd-ee-01".into(),
        room: "канц. 12".into(),
        warranty_end: "01.02.2027.".into(),
        price: "89.990,00".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn r12_labels_and_ip_addresses_are_never_held_twice() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        assert_eq!(s.next_label(&admin).await.unwrap(), 1);
        let a = s.create_asset(&admin, &workstation("0001", "ST 28", "10.0.0.5")).await.unwrap();
        assert_eq!(a.status, AssetStatus::InStock);
        assert_eq!(a.fields.mac.as_deref(), Some("AA:BB:CC:DD:EE:01"));
        assert_eq!(a.fields.price_para, Some(8_999_000));
        assert_eq!(s.next_label(&admin).await.unwrap(), 29, "{}", db.name);

        let same_label = s.create_asset(&admin, &workstation("0002", "st28", "")).await;
        assert!(matches!(same_label, Err(Error::Conflict { code: "label_taken", .. })), "{}: {same_label:?}", db.name);
        let same_ip = s.create_asset(&admin, &workstation("0002", "ST 29", "10.0.0.5")).await;
        assert!(matches!(same_ip, Err(Error::Conflict { code: "ip_taken", .. })), "{}", db.name);
        let same_inv = s.create_asset(&admin, &workstation("0001", "ST 29", "")).await;
        assert!(matches!(same_inv, Err(Error::Conflict { code: "inventory_taken", .. })));

        // Written off, the old machine frees its IP; its label stays taken (R.12).
        let refused = s.set_asset_status(&admin, a.id, AssetStatus::WrittenOff, "").await;
        assert!(matches!(refused, Err(Error::Invalid(ref e)) if e[0].field == "reference"), "a write-off names its act (R.4)");
        s.set_asset_status(&admin, a.id, AssetStatus::WrittenOff, "Решење 404-12/2026").await.unwrap();
        let b = s.create_asset(&admin, &workstation("0002", "ST 29", "10.0.0.5")).await.unwrap();
        assert!(matches!(
            s.create_asset(&admin, &workstation("0003", "ST 28", "")).await,
            Err(Error::Conflict { code: "label_taken", .. })
        ));
        // Nothing comes back into use from a write-off.
        assert!(matches!(s.set_asset_status(&admin, a.id, AssetStatus::InUse, "").await, Err(Error::Invalid(_))), "{}", db.name);
        s.set_asset_status(&admin, b.id, AssetStatus::InRepair, "").await.unwrap();
        assert_eq!(s.asset(&admin, b.id).await.unwrap().status, AssetStatus::InRepair);
    }
}

#[tokio::test]
async fn r11_every_change_is_kept_with_old_and_new_value_and_logged() {
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let a = s.create_asset(&admin, &workstation("0001", "ST 01", "10.0.0.5")).await.unwrap();
        clock.advance_secs(3600);
        let mut changed = workstation("0001", "ST 01", "10.0.0.6");
        changed.room = "канц. 14".into();
        s.update_asset(&admin, a.id, &changed).await.unwrap();
        let h = s.asset_history(&admin, a.id).await.unwrap();
        let fields: Vec<(&str, &str, &str)> = h.iter().map(|r| (r.field.as_str(), r.old.as_str(), r.new.as_str())).collect();
        assert_eq!(fields, [("room", "канц. 12", "канц. 14"), ("ip", "10.0.0.5", "10.0.0.6")], "{}", db.name);
        assert_eq!(h[0].at_us, START + 3_600_000_000);
        assert_eq!(h[0].actor_name, "Милан Стојановић");
        // Saving without a change writes nothing.
        s.update_asset(&admin, a.id, &changed).await.unwrap();
        assert_eq!(s.asset_history(&admin, a.id).await.unwrap().len(), 2);
        let log = s
            .worklog(
                &admin,
                Filter { object_kind: Some("asset".into()), object_id: Some(a.id.to_string()), limit: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(log.len(), 2, "{}: the registration and the change", db.name);
        assert!(log[0].text.contains("канц. 14"));
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn the_asset_list_filters_searches_and_pages() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        for i in 1..=12 {
            s.create_asset(&admin, &workstation(&format!("{i:04}"), &format!("ST {i}"), &format!("10.0.1.{i}"))).await.unwrap();
        }
        let printer = AssetInput {
            kind: "printer".into(),
            inventory_number: "P-1".into(),
            manufacturer: "HP".into(),
            model: "LaserJet Штампач".into(),
            ..Default::default()
        };
        s.create_asset(&admin, &printer).await.unwrap();
        let q = |f: &dyn Fn(&mut AssetQuery)| {
            let mut q = AssetQuery { page: 1, per_page: 5, ..Default::default() };
            f(&mut q);
            q
        };
        let all = s.assets(&admin, &q(&|_| {})).await.unwrap();
        assert_eq!((all.total, all.items.len()), (13, 5), "{}", db.name);
        let printers = s.assets(&admin, &q(&|q| q.kind = Some(upravnik_core::asset::AssetKind::Printer))).await.unwrap();
        assert_eq!(printers.total, 1);
        assert_eq!(s.assets(&admin, &q(&|q| q.q = Some("stampac".into()))).await.unwrap().total, 1, "{}: either script", db.name);
        assert_eq!(s.assets(&admin, &q(&|q| q.q = Some("ST07".into()))).await.unwrap().total, 1, "{}: label without a space", db.name);
        assert_eq!(s.assets(&admin, &q(&|q| q.q = Some("10.0.1.12".into()))).await.unwrap().total, 1);
        let warranty = s
            .assets(
                &admin,
                &q(&|q| {
                    q.warranty_from = Some("2027-01-01".into());
                    q.warranty_until = Some("2027-03-01".into());
                }),
            )
            .await
            .unwrap();
        assert_eq!(warranty.total, 12, "{}", db.name);
        // The counts without a page agree with the lists' totals, a text search included.
        let filters: [&dyn Fn(&mut AssetQuery); 3] = [&|_| {}, &|q| q.q = Some("stampac".into()), &|q| {
            q.warranty_from = Some("2027-01-01".into());
            q.warranty_until = Some("2027-03-01".into());
        }];
        for f in filters {
            assert_eq!(s.count_assets(&admin, &q(f)).await.unwrap(), s.assets(&admin, &q(f)).await.unwrap().total, "{}", db.name);
        }
        // Roles: the inspector reads, an employee does not, only administrators write.
        let inspector = user_with(&s, &admin, "inspektor", &[Role::Inspector]).await;
        assert_eq!(s.assets(&inspector, &q(&|_| {})).await.unwrap().total, 13);
        assert!(matches!(s.create_asset(&inspector, &printer).await, Err(Error::Forbidden)));
        let emp = user_with(&s, &admin, "radnik", &[Role::Employee]).await;
        assert!(matches!(s.assets(&emp, &q(&|_| {})).await, Err(Error::Forbidden)));
        assert!(matches!(s.count_assets(&emp, &q(&|_| {})).await, Err(Error::Forbidden)));
    }
}

#[tokio::test]
async fn r19_assignment_and_return_and_the_workstation_stays_with_its_workplace() {
    for db in databases().await {
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let unit =
            s.create_unit(&admin, upravnik_core::org::UnitInput { name: "Услужни центар".into(), ..Default::default() }).await.unwrap();
        let wp = |name: &str| upravnik_core::org::WorkplaceInput { unit_id: unit.id, name: name.into(), room: String::new() };
        let desk1 = s.create_workplace(&admin, wp("Шалтер 1")).await.unwrap();
        let desk2 = s.create_workplace(&admin, wp("Шалтер 2")).await.unwrap();
        let person = |g: &str, w: i64| upravnik_core::org::PersonInput {
            given_name: g.into(),
            family_name: "Јовић".into(),
            unit_id: Some(unit.id),
            workplace_id: Some(w),
            ..Default::default()
        };
        let ana = s.create_person(&admin, person("Ана", desk1.id)).await.unwrap();
        let ivan = s.create_person(&admin, person("Иван", desk2.id)).await.unwrap();
        let ws = s.create_asset(&admin, &workstation("0001", "ST 01", "10.0.0.5")).await.unwrap();

        let no_place = s.assign_asset(&admin, ws.id, Some(ana.id), None, "", false).await;
        assert!(matches!(no_place, Err(Error::Invalid(ref e)) if e[0].message == "err-workplace-required"), "{}", db.name);
        let wrong_person = s.assign_asset(&admin, ws.id, Some(ivan.id), Some(desk1.id), "", false).await;
        assert!(matches!(wrong_person, Err(Error::Invalid(ref e)) if e[0].message == "err-person-other-workplace"));
        let a = s.assign_asset(&admin, ws.id, Some(ana.id), Some(desk1.id), "01.12.2026.", false).await.unwrap();
        assert_eq!((a.status, a.person_id, a.workplace_id), (AssetStatus::InUse, Some(ana.id), Some(desk1.id)), "{}", db.name);

        // Ana changes job; taking her workstation along must be confirmed (R.19).
        s.update_person(&admin, ana.id, person("Ана", desk2.id)).await.unwrap();
        let note = s
            .worklog(
                &admin,
                Filter { object_kind: Some("person".into()), object_id: Some(ana.id.to_string()), limit: 1, ..Default::default() },
            )
            .await
            .unwrap();
        assert!(note[0].text.contains("ST 01 остаје на старом радном месту"), "{}: {}", db.name, note[0].text);
        let held = s.assets(&admin, &AssetQuery { person_id: Some(ana.id), page: 1, per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(held.total, 1, "{}", db.name);
        let moved = s.assign_asset(&admin, ws.id, Some(ana.id), Some(desk2.id), "", false).await;
        assert!(matches!(moved, Err(Error::Invalid(ref e)) if e[0].message == "err-workstation-stays"), "{}", db.name);
        // It stays at desk 1, for whoever works there next.
        s.assign_asset(&admin, ws.id, None, Some(desk1.id), "02.12.2026.", false).await.unwrap();
        let back = s.return_asset(&admin, ws.id, "03.12.2026.").await.unwrap();
        assert_eq!((back.status, back.person_id, back.workplace_id), (AssetStatus::InStock, None, Some(desk1.id)));
        assert!(matches!(s.return_asset(&admin, ws.id, "").await, Err(Error::Invalid(_))), "nothing to return");

        let history = s.asset_assignments(&admin, ws.id).await.unwrap();
        let spans: Vec<(Option<String>, String, Option<String>)> =
            history.iter().map(|h| (h.person_name.clone(), h.assigned_on.clone(), h.returned_on.clone())).collect();
        assert_eq!(
            spans,
            [
                (None, "2026-12-02".to_string(), Some("2026-12-03".to_string())),
                (Some("Ана Јовић".to_string()), "2026-12-01".to_string(), Some("2026-12-02".to_string())),
            ],
            "{}",
            db.name
        );
        let fields: Vec<String> = s.asset_history(&admin, ws.id).await.unwrap().iter().map(|h| h.field.clone()).collect();
        assert!(fields.contains(&"person".to_string()) && fields.contains(&"workplace".to_string()), "{fields:?}");
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn r11_components_and_software_are_kept_with_their_history() {
    use upravnik_core::parts::{ComponentInput, PartFields, PartKind, SoftwareInput, only};
    for db in databases().await {
        let (s, clock) = services(&db);
        let admin = with_admin(&s).await;
        let a = s.create_asset(&admin, &workstation("0001", "ST 01", "10.0.0.5")).await.unwrap();
        let ram = ComponentInput {
            kind: "memory".into(),
            manufacturer: "Kingston".into(),
            model: "KVR26N19S8".into(),
            capacity: "8 GB".into(),
            serial: "K-1".into(),
            ..Default::default()
        };
        let added = s.add_part(&admin, a.id, &ram.validate().unwrap()).await.unwrap();
        let office = SoftwareInput { name: "LibreOffice".into(), version: "7.4".into(), ..Default::default() };
        let prog = s.add_part(&admin, a.id, &office.validate().unwrap()).await.unwrap();
        assert_eq!(prog.id, added.id, "{}: the two kinds are numbered apart, and lookups keep them apart", db.name);
        clock.advance_secs(60);
        // An upgrade: 8 GB → 16 GB, old → new in the history.
        let bigger = ComponentInput { capacity: "16 GB".into(), ..ram.clone() };
        s.update_part(&admin, a.id, added.id, &bigger.validate().unwrap()).await.unwrap();
        s.remove_part(&admin, a.id, PartKind::Software, prog.id).await.unwrap();
        let parts = s.asset_parts(&admin, a.id).await.unwrap();
        let installed: Vec<_> = only(&parts, PartKind::Component).collect();
        assert_eq!(installed.len(), 1);
        assert!(matches!(&installed[0].fields, PartFields::Component { capacity, .. } if capacity == "16 GB"), "{}", db.name);
        assert_eq!(only(&parts, PartKind::Software).count(), 0, "{}: the uninstalled program is no longer listed", db.name);
        assert!(
            parts.iter().any(|p| p.fields.kind() == PartKind::Software && p.removed_us == Some(START + 60_000_000)),
            "kept, marked removed"
        );

        let h = s.asset_history(&admin, a.id).await.unwrap();
        let rows: Vec<(&str, &str, &str)> = h.iter().map(|r| (r.field.as_str(), r.old.as_str(), r.new.as_str())).collect();
        assert_eq!(
            rows,
            [
                ("software", "LibreOffice 7.4", ""),
                ("component", "меморија Kingston KVR26N19S8 8 GB (SN K-1)", "меморија Kingston KVR26N19S8 16 GB (SN K-1)"),
                ("software", "", "LibreOffice 7.4"),
                ("component", "", "меморија Kingston KVR26N19S8 8 GB (SN K-1)"),
            ],
            "{}",
            db.name
        );
        let log = s
            .worklog(
                &admin,
                Filter { object_kind: Some("asset".into()), object_id: Some(a.id.to_string()), limit: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(log.len(), 5, "{}: registration and four part changes", db.name);
        assert!(log[0].text.contains("деинсталирано: LibreOffice 7.4") && log[0].text.contains("ST 01"), "{}", log[0].text);

        // A removed part cannot be edited; the other kind's id does not reach it.
        assert!(matches!(s.update_part(&admin, a.id, prog.id, &office.validate().unwrap()).await, Err(Error::NotFound { .. })));
        // An employee reads nothing and changes nothing; retired equipment keeps its parts as they were.
        let clerk = user_with(&s, &admin, "sluzbenik", &[Role::Employee]).await;
        assert!(matches!(s.add_part(&clerk, a.id, &ram.validate().unwrap()).await, Err(Error::Forbidden)));
        s.set_asset_status(&admin, a.id, AssetStatus::WrittenOff, "Решење 1/2026").await.unwrap();
        let retired = s.add_part(&admin, a.id, &ram.validate().unwrap()).await;
        assert!(matches!(retired, Err(Error::Invalid(ref e)) if e[0].message == "err-parts-retired"), "{}: {retired:?}", db.name);
        assert!(s.verify_worklog().await.unwrap().broken.is_empty());
    }
}

#[tokio::test]
async fn a_common_word_lists_in_order_with_the_right_total_like_a_rare_one() {
    use upravnik_core::asset::AssetKind;
    for db in databases().await {
        // 2,100 assets, every one in a "канц." room: the word is common, so the list walks in
        // its order instead of reading every match first; totals and order must not change.
        db.store.generate_assets(None, 5, 2_100, 0, 11).await.unwrap();
        db.store.analyze().await.unwrap();
        let (s, _) = services(&db);
        let admin = with_admin(&s).await;
        let q = |text: &str, page: u32| AssetQuery { q: Some(text.into()), page, per_page: 50, ..Default::default() };
        let first = s.assets(&admin, &q("канц", 1)).await.unwrap();
        assert_eq!(first.total, 2_100, "{}", db.name);
        let inv: Vec<&str> = first.items.iter().map(|a| a.fields.inventory_number.as_str()).collect();
        assert_eq!(inv.first().copied(), Some("1000000"), "{}", db.name);
        assert!(inv.windows(2).all(|w| w[0] < w[1]), "{}: in inventory order", db.name);
        let third = s.assets(&admin, &q("kanc", 3)).await.unwrap();
        assert_eq!(
            (third.total, third.items[0].fields.inventory_number.as_str()),
            (2_100, "1000100"),
            "{}: Latin spelling, page 3",
            db.name
        );
        // With another filter the common word still counts only what matches both.
        let printers = s.assets(&admin, &AssetQuery { kind: Some(AssetKind::Printer), ..q("канц", 1) }).await.unwrap();
        assert_eq!(printers.total, 300, "{}", db.name);
        // A rare word (one serial) goes the other way and finds exactly its asset.
        let one = s.assets(&admin, &q("1000497", 1)).await.unwrap();
        assert_eq!(one.total, 1, "{}", db.name);
    }
}
