//! Consumables kept in a store (потрошни материјал, R.3): toner, mice, keyboards and the like,
//! with their stock and every move — receipt, issue to an employee, return, stocktaking
//! adjustment. The stock is the sum of the moves and never goes below zero.

use crate::asset::string_enum;
use crate::error::Errors;
use crate::{Error, Result};

string_enum!(
    /// What a consumable is (R.3).
    ConsumableCategory {
        Toner = "toner",
        Ink = "ink",
        Drum = "drum",
        Paper = "paper",
        Mouse = "mouse",
        Keyboard = "keyboard",
        Cable = "cable",
        Battery = "battery",
        StorageMedia = "storage_media",
        Other = "other",
    }
);

impl ConsumableCategory {
    /// Goes into a printer or copier; issues of these name the device they are for.
    pub fn is_for_printers(self) -> bool {
        matches!(self, ConsumableCategory::Toner | ConsumableCategory::Ink | ConsumableCategory::Drum | ConsumableCategory::Paper)
    }
}

string_enum!(
    /// A move of stock (R.3).
    MoveKind {
        Receive = "receive",
        Issue = "issue",
        Return = "return",
        Adjust = "adjust",
    }
);

impl MoveKind {
    /// The word the work log uses (kept in Serbian, R.38).
    pub fn log_name(self) -> &'static str {
        match self {
            MoveKind::Receive => "Пријем",
            MoveKind::Issue => "Издато",
            MoveKind::Return => "Враћено",
            MoveKind::Adjust => "Усклађено после пописа",
        }
    }
}

/// The most one move may carry, and the most a store may hold: a typo (an extra zero or two)
/// is refused rather than booked.
pub const MAX_QUANTITY: i64 = 100_000;
pub const MAX_STOCK: i64 = 10_000_000;

/// A quantity typed in a form or sent as JSON (either a number or a string).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Quantity(pub String);

impl<'de> serde::Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(i64),
            S(String),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::N(n) => Quantity(n.to_string()),
            Raw::S(s) => Quantity(s),
        })
    }
}

impl From<&str> for Quantity {
    fn from(s: &str) -> Self {
        Quantity(s.to_string())
    }
}

impl From<i64> for Quantity {
    fn from(n: i64) -> Self {
        Quantity(n.to_string())
    }
}

/// A whole number of units in `min..=max`; a leading `+` or `-` is accepted only when `signed`.
pub fn parse_quantity(field: &'static str, s: &str, signed: bool) -> Result<i64> {
    let t = ungroup(&s.trim().replace(['\u{2212}', '–'], "-"));
    let digits = t.strip_prefix(['+', '-']).unwrap_or(&t);
    let bad = || Error::invalid(field, if signed { "err-adjust-quantity" } else { "err-quantity" });
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || (!signed && digits.len() != t.len()) {
        return Err(bad());
    }
    let n: i64 = t.parse().map_err(|_| bad())?;
    let ok = if signed { n != 0 && n.abs() <= MAX_QUANTITY } else { (1..=MAX_QUANTITY).contains(&n) };
    if ok { Ok(n) } else { Err(bad()) }
}

/// `1.250` as written in Serbian (dots between groups of three) to `1250`; anything else as is,
/// so `1.5` stays invalid rather than becoming 15.
fn ungroup(t: &str) -> String {
    let body = t.trim_start_matches(['+', '-']);
    let mut parts = body.split('.');
    let first_ok = parts.next().is_some_and(|p| (1..=3).contains(&p.len()));
    let rest: Vec<&str> = parts.collect();
    if first_ok && !rest.is_empty() && rest.iter().all(|p| p.len() == 3) { t.replace('.', "") } else { t.to_string() }
}

/// The stock after a change, or a refusal: stock never goes below zero (R.3 — what is not in
/// the store cannot be issued) nor past [`MAX_STOCK`].
pub fn apply(stock: i64, delta: i64) -> Result<i64> {
    match stock.checked_add(delta) {
        Some(n) if n < 0 => Err(Error::Conflict { code: "insufficient_stock", field: None }),
        Some(n) if n <= MAX_STOCK => Ok(n),
        _ => Err(Error::invalid("quantity", "err-stock-too-high")),
    }
}

/// At or below the minimum the store should hold; items without a minimum are never low.
pub fn is_low(stock: i64, min_stock: i64) -> bool {
    min_stock > 0 && stock <= min_stock
}

fn yes() -> bool {
    true
}

/// A consumable as entered in a form or the API; [`ConsumableInput::validate`] normalises it.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct ConsumableInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category: String,
    /// Unit of measure: ком, кутија, паковање, рис…
    #[serde(default)]
    pub unit: String,
    /// Printer models and the like it fits.
    #[serde(default)]
    pub compatible_with: String,
    #[serde(default)]
    pub min_stock: Quantity,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub note: String,
}

impl Default for ConsumableInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            category: String::new(),
            unit: String::new(),
            compatible_with: String::new(),
            min_stock: Quantity::default(),
            active: true,
            note: String::new(),
        }
    }
}

/// A validated consumable, every field in its stored form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsumableFields {
    pub name: String,
    pub category: ConsumableCategory,
    pub unit: String,
    pub compatible_with: String,
    pub min_stock: i64,
    pub active: bool,
    pub note: String,
}

fn text(e: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "err-too-long");
    }
    v.to_string()
}

impl ConsumableInput {
    pub fn validate(&self) -> Result<ConsumableFields> {
        let mut e = Errors::default();
        let name = text(&mut e, "name", &self.name, 200);
        if name.is_empty() {
            e.add("name", "err-required");
        }
        let category = ConsumableCategory::parse(self.category.trim());
        if category.is_none() {
            e.add("category", "err-required");
        }
        let unit = text(&mut e, "unit", &self.unit, 30);
        let min = ungroup(self.min_stock.0.trim());
        let min = min.as_str();
        let min_stock = if min.is_empty() {
            0
        } else {
            match min.parse::<i64>() {
                Ok(n) if (0..=MAX_QUANTITY).contains(&n) && !min.starts_with('+') => n,
                _ => {
                    e.add("min_stock", "err-min-stock");
                    0
                }
            }
        };
        let fields = ConsumableFields {
            name,
            category: category.unwrap_or(ConsumableCategory::Other),
            unit: if unit.is_empty() { "ком".to_string() } else { unit },
            compatible_with: text(&mut e, "compatible_with", &self.compatible_with, 300),
            min_stock,
            active: self.active,
            note: text(&mut e, "note", &self.note, 2000),
        };
        e.finish()?;
        Ok(fields)
    }
}

impl ConsumableFields {
    /// Every field as the work log writes it, in a fixed order (names in Serbian, R.38).
    fn shown(&self) -> Vec<(&'static str, String)> {
        vec![
            ("назив", self.name.clone()),
            ("врста", self.category.log_name().to_string()),
            ("јединица мере", self.unit.clone()),
            ("одговара за", self.compatible_with.clone()),
            ("минимална залиха", self.min_stock.to_string()),
            ("активно", if self.active { "да" } else { "не" }.to_string()),
            ("напомена", self.note.clone()),
        ]
    }

    /// What changed from `old`, as `поље: „старо“ → „ново“` parts.
    pub fn changes_from(&self, old: &ConsumableFields) -> Vec<String> {
        old.shown()
            .into_iter()
            .zip(self.shown())
            .filter(|((_, a), (_, b))| a != b)
            .map(|((field, a), (_, b))| format!("{field}: „{a}“ → „{b}“"))
            .collect()
    }
}

impl ConsumableCategory {
    pub fn log_name(self) -> &'static str {
        match self {
            ConsumableCategory::Toner => "тонер",
            ConsumableCategory::Ink => "кертриџ са мастилом",
            ConsumableCategory::Drum => "добош",
            ConsumableCategory::Paper => "папир",
            ConsumableCategory::Mouse => "миш",
            ConsumableCategory::Keyboard => "тастатура",
            ConsumableCategory::Cable => "кабл",
            ConsumableCategory::Battery => "батерија",
            ConsumableCategory::StorageMedia => "медијум за податке",
            ConsumableCategory::Other => "остало",
        }
    }
}

/// A consumable as stored, with its current stock.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Consumable {
    pub id: i64,
    pub office_id: i64,
    pub stock: i64,
    /// At or below the minimum (see [`is_low`]).
    pub low_stock: bool,
    #[serde(flatten)]
    pub fields: ConsumableFields,
}

/// A move as entered in a form or the API.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
pub struct MoveInput {
    #[serde(default)]
    pub kind: String,
    /// Positive; for an adjustment signed (`-2` after a shortfall at stocktaking).
    #[serde(default)]
    pub quantity: Quantity,
    /// ISO or Serbian date; today when empty.
    #[serde(default)]
    pub date: String,
    /// The employee an issue goes to, or a return comes from.
    #[serde(default)]
    pub person_id: Option<i64>,
    /// The device an issue is for (e.g. the printer a toner goes into).
    #[serde(default)]
    pub asset_id: Option<i64>,
    #[serde(default)]
    pub supplier: String,
    /// Procurement or delivery-note reference of a receipt.
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub note: String,
}

/// A validated move; `delta` is what it does to the stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMove {
    pub kind: MoveKind,
    pub delta: i64,
    /// ISO date; `None` means today (the service fills it in).
    pub on: Option<jiff::civil::Date>,
    pub person_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub supplier: String,
    pub reference: String,
    pub note: String,
}

impl NewMove {
    pub fn quantity(&self) -> i64 {
        self.delta.abs()
    }
}

impl MoveInput {
    pub fn validate(&self) -> Result<NewMove> {
        let mut e = Errors::default();
        let kind = MoveKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "err-move-kind");
        }
        let kind = kind.unwrap_or(MoveKind::Receive);
        let n = e.take(parse_quantity("quantity", &self.quantity.0, kind == MoveKind::Adjust)).unwrap_or(0);
        let delta = match kind {
            MoveKind::Receive | MoveKind::Return | MoveKind::Adjust => n,
            MoveKind::Issue => -n,
        };
        let on = if self.date.trim().is_empty() {
            None
        } else {
            let d = crate::clock::parse_date(&self.date);
            if d.is_none() {
                e.add("date", "err-date");
            }
            d
        };
        let person_id = self.person_id.filter(|&p| p > 0);
        let asset_id = self.asset_id.filter(|&a| a > 0);
        match kind {
            MoveKind::Issue | MoveKind::Return if person_id.is_none() => e.add("person_id", "err-move-person"),
            MoveKind::Receive | MoveKind::Adjust if person_id.is_some() => e.add("person_id", "err-move-no-person"),
            _ => {}
        }
        if asset_id.is_some() && kind != MoveKind::Issue {
            e.add("asset_id", "err-move-asset-issue-only");
        }
        let note = text(&mut e, "note", &self.note, 1000);
        if kind == MoveKind::Adjust && note.is_empty() {
            // A stocktaking difference is explained, or it hides a loss.
            e.add("note", "err-adjust-note");
        }
        let m = NewMove {
            kind,
            delta,
            on,
            person_id,
            asset_id,
            supplier: text(&mut e, "supplier", &self.supplier, 200),
            reference: text(&mut e, "reference", &self.reference, 100),
            note,
        };
        e.finish()?;
        Ok(m)
    }
}

/// One move as stored and shown: who, when, what.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Move {
    pub id: i64,
    pub consumable_id: i64,
    pub consumable_name: String,
    pub unit: String,
    pub kind: MoveKind,
    /// Signed: what the move did to the stock.
    pub delta: i64,
    /// The stock right after the move.
    pub stock_after: i64,
    /// ISO date.
    pub on: String,
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    pub asset_id: Option<i64>,
    pub asset_label: Option<String>,
    pub supplier: String,
    pub reference: String,
    pub note: String,
    pub actor_name: String,
    pub at_us: crate::clock::Micros,
}

/// Filters of the consumables list.
#[derive(Debug, Clone, Default)]
pub struct ConsumableQuery {
    pub office_id: i64,
    pub q: Option<String>,
    pub category: Option<ConsumableCategory>,
    /// Only active items at or below their minimum.
    pub low_only: bool,
    pub include_inactive: bool,
    pub sort: ConsumableSort,
    pub desc: bool,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConsumableSort {
    #[default]
    Name,
    Category,
    Stock,
}

impl ConsumableSort {
    pub fn parse(s: &str) -> ConsumableSort {
        match s {
            "category" => ConsumableSort::Category,
            "stock" => ConsumableSort::Stock,
            _ => ConsumableSort::Name,
        }
    }
}

/// Which moves to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct MoveQuery {
    pub consumable_id: Option<i64>,
    pub person_id: Option<i64>,
    pub limit: u32,
}

/// How many units of each item an employee holds: issued minus returned.
pub fn held_by(moves: &[Move], consumable_id: i64) -> i64 {
    moves
        .iter()
        .filter(|m| m.consumable_id == consumable_id)
        .map(|m| match m.kind {
            MoveKind::Issue => -m.delta,
            MoveKind::Return => -m.delta,
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, q: &str) -> MoveInput {
        MoveInput { kind: kind.into(), quantity: q.into(), ..Default::default() }
    }

    fn codes(r: Result<NewMove>) -> Vec<(&'static str, &'static str)> {
        match r {
            Err(Error::Invalid(e)) => e.iter().map(|f| (f.field, f.message)).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn r3_quantities_are_positive_whole_numbers_within_limits() {
        assert_eq!(parse_quantity("quantity", " 12 ", false).ok(), Some(12));
        assert_eq!(parse_quantity("quantity", "1.250", false).ok(), Some(1250), "Serbian grouping");
        assert_eq!(parse_quantity("quantity", "-1.000", true).ok(), Some(-1000));
        for bad in ["0", "-1", "+3", "1.5", "1.25.000", "2,0", "", "abc", "100001", "99999999999999999999"] {
            assert!(parse_quantity("quantity", bad, false).is_err(), "{bad}");
        }
        assert_eq!(parse_quantity("quantity", "-3", true).ok(), Some(-3));
        assert_eq!(parse_quantity("quantity", "−2", true).ok(), Some(-2), "a typographic minus");
        assert_eq!(parse_quantity("quantity", "+4", true).ok(), Some(4));
        assert!(parse_quantity("quantity", "0", true).is_err(), "an adjustment changes something");
        assert!(parse_quantity("quantity", "-100001", true).is_err());
    }

    #[test]
    fn r3_stock_never_goes_below_zero() {
        assert_eq!(apply(5, -5).ok(), Some(0));
        assert!(matches!(apply(1, -2), Err(Error::Conflict { code: "insufficient_stock", .. })));
        assert!(matches!(apply(0, -1), Err(Error::Conflict { .. })));
        assert!(apply(MAX_STOCK, 1).is_err(), "nor past the ceiling");
        assert!(apply(i64::MAX, 1).is_err(), "no overflow");
    }

    #[test]
    fn low_stock_is_at_or_below_the_minimum_when_one_is_set() {
        assert!(is_low(2, 2) && is_low(0, 1));
        assert!(!is_low(3, 2));
        assert!(!is_low(0, 0), "no minimum, never low");
    }

    #[test]
    fn issues_name_an_employee_and_adjustments_a_reason() {
        assert_eq!(codes(input("issue", "2").validate()), [("person_id", "err-move-person")]);
        assert_eq!(codes(input("return", "1").validate()), [("person_id", "err-move-person")]);
        assert_eq!(codes(input("adjust", "-1").validate()), [("note", "err-adjust-note")]);
        assert_eq!(codes(input("lend", "1").validate()), [("kind", "err-move-kind")]);
        let receipt_for_someone = MoveInput { person_id: Some(3), ..input("receive", "5") };
        assert_eq!(codes(receipt_for_someone.validate()), [("person_id", "err-move-no-person")]);
        let return_for_printer = MoveInput { person_id: Some(3), asset_id: Some(9), ..input("return", "1") };
        assert_eq!(codes(return_for_printer.validate()), [("asset_id", "err-move-asset-issue-only")]);
        let bad_date = MoveInput { date: "31.02.2026.".into(), ..input("receive", "5") };
        assert_eq!(codes(bad_date.validate()), [("date", "err-date")]);
    }

    #[test]
    fn a_valid_issue_takes_from_the_stock_on_its_date() {
        let m = MoveInput { person_id: Some(4), asset_id: Some(7), date: "25.11.2026.".into(), ..input("issue", "2") }.validate();
        let m = m.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((m.kind, m.delta, m.quantity()), (MoveKind::Issue, -2, 2));
        assert_eq!(m.on.map(|d| d.to_string()).as_deref(), Some("2026-11-25"));
        let adj = MoveInput { note: "попис 2026".into(), ..input("adjust", "-3") }.validate();
        assert_eq!(adj.map(|m| m.delta).ok(), Some(-3));
    }

    #[test]
    fn items_need_a_name_and_a_category_and_a_sane_minimum() {
        let ok =
            ConsumableInput { name: " Тонер HP 59A ".into(), category: "toner".into(), min_stock: "2".into(), ..Default::default() };
        let f = ok.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((f.name.as_str(), f.unit.as_str(), f.min_stock, f.active), ("Тонер HP 59A", "ком", 2, true));
        let bad = ConsumableInput { min_stock: "-1".into(), ..Default::default() };
        let Err(Error::Invalid(e)) = bad.validate() else { panic!("invalid") };
        let fields: Vec<_> = e.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["name", "category", "min_stock"]);
        let changed = ConsumableInput { min_stock: "4".into(), ..ok.clone() }.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(changed.changes_from(&f), ["минимална залиха: „2“ → „4“"]);
    }

    #[test]
    fn quantities_come_as_numbers_or_text_in_json() {
        let a: MoveInput = serde_json::from_str(r#"{"kind":"receive","quantity":5}"#).unwrap_or_default();
        let b: MoveInput = serde_json::from_str(r#"{"kind":"receive","quantity":"5"}"#).unwrap_or_default();
        assert_eq!(a.quantity, Quantity("5".into()));
        assert_eq!(a, b);
    }

    #[test]
    fn what_an_employee_holds_is_issued_minus_returned() {
        let mv = |kind, delta| Move {
            id: 0,
            consumable_id: 1,
            consumable_name: String::new(),
            unit: String::new(),
            kind,
            delta,
            stock_after: 0,
            on: String::new(),
            person_id: Some(1),
            person_name: None,
            asset_id: None,
            asset_label: None,
            supplier: String::new(),
            reference: String::new(),
            note: String::new(),
            actor_name: String::new(),
            at_us: 0,
        };
        assert_eq!(held_by(&[mv(MoveKind::Issue, -3), mv(MoveKind::Return, 1)], 1), 2);
        assert_eq!(held_by(&[mv(MoveKind::Issue, -3)], 2), 0);
    }
}
