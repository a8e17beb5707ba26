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
