//! The demo's store of consumables (R.3): toner and a drum for the demo's printers, paper, mice,
//! keyboards, cables, batteries; receipts from suppliers, issues to employees (toner for the
//! printer it goes into), a return and a stocktaking difference; a few items end at or below
//! their minimum so the home page has something to say. All through the services, so every
//! move is in the work log.

use upravnik_core::access::Actor;
use upravnik_core::asset::{AssetKind, AssetQuery};
use upravnik_core::clock::{ManualClock, format_date};
use upravnik_core::consumable::{ConsumableInput, MoveInput};
use upravnik_core::service::Services;

/// Name, category, unit, fits, minimum, received, issued (one or two at a time).
const ITEMS: &[(&str, &str, &str, &str, i64, i64, i64)] = &[
    ("Тонер HP 59A (CF259A)", "toner", "ком", "HP LaserJet Pro M404dn", 4, 20, 13),
    ("Тонер HP 59X (CF259X)", "toner", "ком", "HP LaserJet Pro M404dn", 2, 6, 2),
    ("Тонер Kyocera TK-1150", "toner", "ком", "Kyocera ECOSYS M2540dn", 2, 6, 5),
    ("Добош Kyocera DK-1150", "drum", "ком", "Kyocera ECOSYS M2540dn", 1, 2, 1),
    ("Папир А4 80 g/m²", "paper", "рис", "", 50, 200, 96),
    ("Миш Logitech B100 USB", "mouse", "ком", "", 5, 15, 11),
    ("Тастатура Logitech K120 USB (СРБ)", "keyboard", "ком", "", 3, 10, 5),
    ("Мрежни кабл Cat6 3 m", "cable", "ком", "", 10, 40, 12),
    ("Батерије AA алкалне", "battery", "паковање", "бежични мишеви и тастатуре", 5, 20, 6),
    ("Батерија за UPS APC RBC7", "battery", "ком", "APC Smart-UPS 1500", 1, 2, 0),
    ("USB флеш меморија 32 GB", "storage_media", "ком", "", 3, 10, 4),
];

const SUPPLIERS: &[(&str, &str)] =
    &[("Биро-опрема д.о.о.", "ЈН 7/2026"), ("Комтрејд д.о.о.", "ЈН 4/2026"), ("Канцеларија плус", "отпремница 2291")];

pub async fn fill(services: &Services, admin: &Actor, clock: &ManualClock) -> anyhow::Result<usize> {
    let today = jiff::ZonedDateTime::now().date();
    let day = |back: i64| today.checked_sub(jiff::Span::new().days(back)).map(format_date).unwrap_or_default();
    let mut q = upravnik_core::org::ListQuery::new(admin.office_id);
    q.per_page = 500;
    let people: Vec<i64> = services.people(admin, &q).await?.items.iter().map(|p| p.id).collect();
    let printers = |model: &'static str| async move {
        let q = AssetQuery { kind: Some(AssetKind::Printer), page: 1, per_page: 500, ..Default::default() };
        anyhow::Ok(
            services.assets(admin, &q).await?.items.into_iter().filter(|a| a.fields.model == model).map(|a| a.id).collect::<Vec<_>>(),
        )
    };
    let hp = printers("LaserJet Pro M404dn").await?;
    let kyocera = printers("ECOSYS M2540dn").await?;
    let mut n = 0;
    for (i, &(name, category, unit, fits, min, received, issued)) in ITEMS.iter().enumerate() {
        clock.advance_secs(60);
        let input = ConsumableInput {
            name: name.into(),
            category: category.into(),
            unit: unit.into(),
            compatible_with: fits.into(),
            min_stock: min.into(),
            ..Default::default()
        };
        let id = services.create_consumable(admin, &input).await?.id;
        n += 1;
        let (supplier, reference) = SUPPLIERS[i % SUPPLIERS.len()];
        clock.advance_secs(120);
        let receipt = MoveInput {
            kind: "receive".into(),
            quantity: received.into(),
            date: day(75),
            supplier: supplier.into(),
            reference: reference.into(),
            ..Default::default()
        };
        services.record_consumable_move(admin, id, &receipt).await?;
        // Issues spread over the last ten weeks, to employees in turn; toner names its printer.
        let devices = match fits {
            "HP LaserJet Pro M404dn" => &hp,
            "Kyocera ECOSYS M2540dn" => &kyocera,
            _ => &Vec::new(),
        };
        let step = if received >= 100 { 8 } else { 1 };
        let mut left = issued;
        let mut k = 0usize;
        while left > 0 {
            let qty = left.min(step);
            left -= qty;
            let Some(&person) = people.get((i * 13 + k * 7) % people.len().max(1)) else { break };
            clock.advance_secs(90);
            let issue = MoveInput {
                kind: "issue".into(),
                quantity: qty.into(),
                date: day(70 - i64::try_from(k * 5 % 70).unwrap_or(0)),
                person_id: Some(person),
                asset_id: devices.get(k % devices.len().max(1)).copied(),
                ..Default::default()
            };
            services.record_consumable_move(admin, id, &issue).await?;
            k += 1;
        }
        if category == "keyboard" {
            // A keyboard with the wrong layout comes back.
            if let Some(&person) = people.get(i * 13 % people.len().max(1)) {
                clock.advance_secs(90);
                let back = MoveInput {
                    kind: "return".into(),
                    quantity: 1.into(),
                    date: day(60),
                    person_id: Some(person),
                    note: "погрешан распоред тастера".into(),
                    ..Default::default()
                };
                services.record_consumable_move(admin, id, &back).await?;
            }
        }
        if category == "paper" {
            clock.advance_secs(90);
            let count = MoveInput {
                kind: "adjust".into(),
                quantity: (-2).into(),
                date: day(3),
                note: "Попис магацина: два риса оштећена влагом".into(),
                ..Default::default()
            };
            services.record_consumable_move(admin, id, &count).await?;
        }
    }
    Ok(n)
}
