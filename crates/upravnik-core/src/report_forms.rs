//! The printed forms of a fault's life (R.52–R.53): the work order (радни налог, Prilog 5), the
//! hand-over record for an authorised service (записник о примопредаји, Prilog 6) and the
//! service sheet the service gives back (сервисни лист, R.52.5).
//!
//! The Rulebook's annexes are not in the seeds; the fields follow R.52–R.53 and the issue.
//! Rules are pure functions here; the services are in `report_forms_service.rs`.

use crate::asset::string_enum;
use crate::clock::Micros;
use crate::error::Errors;
use crate::parts::ComponentKind;
use crate::{Error, Result};

string_enum!(
    /// What the work on a work order is (Prilog 5).
    WorkKind {
        /// A repair without a change of configuration: no work order needed (R.53 ¶2).
        Repair = "repair",
        PartReplaced = "part_replaced",
        Upgrade = "upgrade",
        /// Reworking a web site, module or application with money spent (R.53).
        SoftwareRework = "software_rework",
    }
);

impl WorkKind {
    pub fn log_name(self) -> &'static str {
        match self {
            WorkKind::Repair => "поправка",
            WorkKind::PartReplaced => "замена дела",
            WorkKind::Upgrade => "доградња",
            WorkKind::SoftwareRework => "прерада софтвера / веб сајта",
        }
    }

    /// R.53: a work order is filled for work that changes the book value or needs money, and
    /// not for a plain repair.
    pub fn needs_order(self) -> bool {
        self != WorkKind::Repair
    }

    /// Parts of the machine change: the workstation card follows (R.11).
    pub fn changes_card(self) -> bool {
        matches!(self, WorkKind::PartReplaced | WorkKind::Upgrade)
    }
}

/// Whether the report page asks for a work order: the device went to the ICT office (R.52.3) or
/// an administrator recorded work of the R.53 kind, and none exists yet.
pub fn work_order_required(been_in_ict_office: bool, recorded: &[WorkKind], orders: usize) -> bool {
    orders == 0 && (been_in_ict_office || recorded.iter().any(|k| k.needs_order()))
}

/// The document numbers, per office and year: `РН-2026-0001`, `ЗП-2026-0001`.
pub fn format_form_number(prefix: &str, year: i16, seq: i64) -> String {
    format!("{prefix}-{year}-{seq:04}")
}

pub const WORK_ORDER_PREFIX: &str = "РН";
pub const HANDOVER_PREFIX: &str = "ЗП";

/// A number typed in a form or sent as JSON (a number or a string).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct NumText(pub String);

impl<'de> serde::Deserialize<'de> for NumText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            I(i64),
            F(f64),
            S(String),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::I(n) => NumText(n.to_string()),
            Raw::F(n) => NumText(n.to_string()),
            Raw::S(s) => NumText(s),
        })
    }
}

impl From<&str> for NumText {
    fn from(s: &str) -> Self {
        NumText(s.to_string())
    }
}

/// Dinars as people write them (`3.500,00`, `3500,5`, `3500.50`) → para. With a comma, dots
/// group thousands; without one, a dot is the decimal point (JSON numbers).
pub fn parse_dinars(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Some(0);
    }
    let t = if t.contains(',') { t.replace('.', "").replace(',', ".") } else { t };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    let w: i64 = whole.parse().ok()?;
    let f: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    w.checked_mul(100)?.checked_add(f).filter(|&p| p <= 100_000_000_000)
}

/// Para → `3.500,00`.
pub fn format_dinars(para: i64) -> String {
    let whole = (para / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", para % 100)
}

fn text(e: &mut Errors, field: &'static str, v: &str, max: usize, required: bool) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "err-too-long");
    }
    if required && v.is_empty() {
        e.add(field, "err-required");
    }
    v.to_string()
}

/// A date typed in either script's form, or today when empty; ISO out.
fn date(e: &mut Errors, field: &'static str, v: &str, today: &str) -> String {
    match v.trim() {
        "" => today.to_string(),
        d => match crate::clock::parse_date(d) {
            Some(d) => d.to_string(),
            None => {
                e.add(field, "err-date");
                today.to_string()
            }
        },
    }
}

/// A line of parts and material on a work order.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ItemInput {
    #[serde(default)]
    pub name: String,
    /// 1 when empty.
    #[serde(default)]
    pub quantity: NumText,
    /// Estimated cost in dinars.
    #[serde(default)]
    pub cost: NumText,
    /// A component kind (`memory`, `disk` …) when the line is a part built into the computer:
    /// it goes onto the workstation card.
    #[serde(default)]
    pub component: String,
    /// The id of the component on the card this line replaces (R.11: the old one is marked
    /// removed). Empty: for a replaced part, the only component of that kind, if there is one.
    #[serde(default)]
    pub replaces: NumText,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    pub name: String,
    pub quantity: i64,
    /// Estimated cost in para.
    pub cost: i64,
    pub component: Option<ComponentKind>,
    /// Only while the order is being made: the card's component it replaces.
    #[serde(skip)]
    pub replaces: Option<i64>,
}

/// A work order as entered; the unit, user and device come from the report.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct WorkOrderInput {
    /// Today when empty.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub workplace: String,
    /// The fault or request; the report's description when empty.
    #[serde(default)]
    pub fault: String,
    #[serde(default)]
    pub work: String,
    /// `repair`, `part_replaced`, `upgrade` or `software_rework`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub items: Vec<ItemInput>,
    #[serde(default)]
    pub changes_book_value: bool,
    #[serde(default)]
    pub needs_money: bool,
    /// Put the lines with a component kind onto the workstation card.
    #[serde(default)]
    pub update_card: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderFields {
    pub date: String,
    pub workplace: String,
    pub fault: String,
    pub work: String,
    pub kind: WorkKind,
    pub items: Vec<Item>,
    pub changes_book_value: bool,
    pub needs_money: bool,
    pub update_card: bool,
}

pub const MAX_ITEMS: usize = 50;

impl WorkOrderInput {
    /// `today` is the ISO date the order takes when none is typed.
    pub fn validate(&self, today: &str) -> Result<WorkOrderFields> {
        let mut e = Errors::default();
        let date = date(&mut e, "date", &self.date, today);
        let workplace = text(&mut e, "workplace", &self.workplace, 200, false);
        let fault = text(&mut e, "fault", &self.fault, 4000, false);
        let work = text(&mut e, "work", &self.work, 4000, true);
        let kind = WorkKind::parse(self.kind.trim()).unwrap_or_else(|| {
            e.add("kind", "err-work-kind");
            WorkKind::Repair
        });
        if self.items.len() > MAX_ITEMS {
            e.add("items", "err-too-long");
        }
        let mut items = vec![];
        for i in self.items.iter().take(MAX_ITEMS) {
            let name = text(&mut e, "items", &i.name, 300, false);
            if name.is_empty() {
                // Empty rows of the form's fixed lines.
                continue;
            }
            let quantity = match i.quantity.0.trim() {
                "" => 1,
                q => q.parse::<i64>().ok().filter(|n| (1..=100_000).contains(n)).unwrap_or_else(|| {
                    e.add("items", "err-quantity");
                    1
                }),
            };
            let cost = parse_dinars(&i.cost.0).unwrap_or_else(|| {
                e.add("items", "err-amount");
                0
            });
            let component = match i.component.trim() {
                "" => None,
                c => {
                    let k = ComponentKind::parse(c);
                    if k.is_none() {
                        e.add("items", "err-component-kind");
                    }
                    k
                }
            };
            let replaces = match i.replaces.0.trim() {
                "" => None,
                r => {
                    let id = r.parse::<i64>().ok().filter(|n| *n > 0);
                    if id.is_none() || component.is_none() {
                        e.add("items", "err-replaces");
                    }
                    id
                }
            };
            items.push(Item { name, quantity, cost, component, replaces });
        }
        // Replaced parts and upgrades change the book value by their nature (R.53).
        let changes_book_value = self.changes_book_value || kind.changes_card();
        let needs_money = self.needs_money || items.iter().any(|i| i.cost > 0);
        let f =
            WorkOrderFields { date, workplace, fault, work, kind, items, changes_book_value, needs_money, update_card: self.update_card };
        e.finish()?;
        Ok(f)
    }
}

/// What the store writes; the number is given inside the transaction.
#[derive(Debug, Clone)]
pub struct NewWorkOrder {
    pub year: i16,
    pub fields: WorkOrderFields,
    pub asset_id: Option<i64>,
    pub unit_name: String,
    pub person_name: String,
    pub device: String,
    pub inventory_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkOrder {
    pub id: i64,
    pub report_id: i64,
    pub number: String,
    /// ISO date.
    pub date: String,
    pub asset_id: Option<i64>,
    pub unit_name: String,
    pub person_name: String,
    pub device: String,
    pub inventory_number: String,
    pub workplace: String,
    pub fault: String,
    pub work: String,
    pub kind: WorkKind,
    pub items: Vec<Item>,
    pub changes_book_value: bool,
    pub needs_money: bool,
    pub administrator: String,
    pub created_us: Micros,
}

impl WorkOrder {
    pub fn total_cost(&self) -> i64 {
        self.items.iter().map(|i| i.cost.saturating_mul(i.quantity)).sum()
    }
}

/// A hand-over record as entered (Prilog 6).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct HandoverInput {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub service_name: String,
    #[serde(default)]
    pub service_address: String,
    #[serde(default)]
    pub service_contact: String,
    /// Cables, power supply, bag …
    #[serde(default)]
    pub accessories: String,
    /// The report's description when empty.
    #[serde(default)]
    pub fault: String,
    /// The administrator when empty.
    #[serde(default)]
    pub handed_by: String,
    #[serde(default)]
    pub received_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverFields {
    pub date: String,
    pub service_name: String,
    pub service_address: String,
    pub service_contact: String,
    pub accessories: String,
    pub fault: String,
    pub handed_by: String,
    pub received_by: String,
}

impl HandoverInput {
    pub fn validate(&self, today: &str) -> Result<HandoverFields> {
        let mut e = Errors::default();
        let f = HandoverFields {
            date: date(&mut e, "date", &self.date, today),
            service_name: text(&mut e, "service_name", &self.service_name, 200, true),
            service_address: text(&mut e, "service_address", &self.service_address, 300, false),
            service_contact: text(&mut e, "service_contact", &self.service_contact, 200, false),
            accessories: text(&mut e, "accessories", &self.accessories, 1000, false),
            fault: text(&mut e, "fault", &self.fault, 4000, false),
            handed_by: text(&mut e, "handed_by", &self.handed_by, 200, false),
            received_by: text(&mut e, "received_by", &self.received_by, 200, false),
        };
        e.finish()?;
        Ok(f)
    }
}

#[derive(Debug, Clone)]
pub struct NewHandover {
    pub year: i16,
    pub fields: HandoverFields,
    pub asset_id: Option<i64>,
    pub device: String,
    pub serial: String,
    pub inventory_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Handover {
    pub id: i64,
    pub report_id: i64,
    pub number: String,
    pub date: String,
    pub asset_id: Option<i64>,
    pub device: String,
    pub serial: String,
    pub inventory_number: String,
    pub service_name: String,
    pub service_address: String,
    pub service_contact: String,
    pub accessories: String,
    pub fault: String,
    pub handed_by: String,
    pub received_by: String,
    /// Answered by a service sheet: the device is back.
    pub returned: bool,
    pub created_us: Micros,
}

/// The largest scan of a stamped service sheet.
pub const SCAN_MAX: usize = 10 * 1024 * 1024;

/// The scan's type from its first bytes, not from what the browser claims.
pub fn scan_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// A service sheet as entered (R.52.5).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ServiceSheetInput {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub fault_found: String,
    #[serde(default)]
    pub repair_done: String,
    #[serde(default)]
    pub warranty_months: NumText,
    #[serde(default)]
    pub servicer: String,
    /// Where the report goes: `in_ict_office` (default) or `resolved`.
    #[serde(default)]
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSheetFields {
    pub date: String,
    pub fault_found: String,
    pub repair_done: String,
    pub warranty_months: i64,
    /// The date + the months, ISO; empty without a warranty.
    pub warranty_until: String,
    pub servicer: String,
    pub to: crate::helpdesk::ReportState,
}

impl ServiceSheetInput {
    pub fn validate(&self, today: &str) -> Result<ServiceSheetFields> {
        use crate::helpdesk::ReportState;
        let mut e = Errors::default();
        let date = date(&mut e, "date", &self.date, today);
        let warranty_months = match self.warranty_months.0.trim() {
            "" => 0,
            m => m.parse::<i64>().ok().filter(|n| (0..=120).contains(n)).unwrap_or_else(|| {
                e.add("warranty_months", "err-warranty-months");
                0
            }),
        };
        let warranty_until = match (warranty_months, date.parse::<jiff::civil::Date>()) {
            (0, _) | (_, Err(_)) => String::new(),
            (m, Ok(d)) => d.checked_add(jiff::Span::new().months(m)).map(|d| d.to_string()).unwrap_or_default(),
        };
        let to = match self.to.trim() {
            "" | "in_ict_office" => ReportState::InIctOffice,
            "resolved" => ReportState::Resolved,
            _ => {
                e.add("to", "err-report-move");
                ReportState::InIctOffice
            }
        };
        let f = ServiceSheetFields {
            date,
            fault_found: text(&mut e, "fault_found", &self.fault_found, 4000, true),
            repair_done: text(&mut e, "repair_done", &self.repair_done, 4000, true),
            warranty_months,
            warranty_until,
            servicer: text(&mut e, "servicer", &self.servicer, 200, true),
            to,
        };
        e.finish()?;
        Ok(f)
    }
}

/// The uploaded scan of the stamped sheet.
#[derive(Debug, Clone)]
pub struct Scan {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Scan {
    /// Checks the size and the type (PDF, JPEG, PNG) by content.
    pub fn new(name: &str, bytes: Vec<u8>) -> Result<Scan> {
        if bytes.len() > SCAN_MAX {
            return Err(Error::invalid("scan", "err-scan-too-large"));
        }
        if bytes.is_empty() {
            return Err(Error::invalid("scan", "err-required"));
        }
        let content_type = scan_type(&bytes).ok_or(Error::invalid("scan", "err-scan-type"))?;
        let name: String = name.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '/' | '\\')).take(200).collect();
        Ok(Scan { name, content_type, bytes })
    }
}

#[derive(Debug, Clone)]
pub struct NewServiceSheet {
    pub fields: ServiceSheetFields,
    pub handover_id: Option<i64>,
    pub scan: Option<Scan>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceSheet {
    pub id: i64,
    pub report_id: i64,
    pub handover_id: Option<i64>,
    pub date: String,
    pub fault_found: String,
    pub repair_done: String,
    pub warranty_months: i64,
    pub warranty_until: String,
    pub servicer: String,
    pub scan_name: Option<String>,
    pub scan_type: Option<String>,
    pub scan_size: i64,
    pub recorded_by: String,
    pub created_us: Micros,
}

/// Work an administrator recorded on a report before (or without) a work order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordedWork {
    pub kind: WorkKind,
    pub note: String,
    pub actor_name: String,
    pub created_us: Micros,
}

/// Everything the report page shows of its documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReportForms {
    pub work_orders: Vec<WorkOrder>,
    pub handovers: Vec<Handover>,
    pub service_sheets: Vec<ServiceSheet>,
    pub recorded_work: Vec<RecordedWork>,
    pub been_in_ict_office: bool,
    /// [`work_order_required`] of the above.
    pub work_order_required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_work_order_is_asked_for_the_office_and_book_value_work_only() {
        assert!(!work_order_required(false, &[], 0));
        assert!(!work_order_required(false, &[WorkKind::Repair], 0), "R.53 ¶2: a plain repair asks none");
        assert!(work_order_required(true, &[], 0), "R.52.3");
        assert!(work_order_required(false, &[WorkKind::PartReplaced], 0));
        assert!(work_order_required(false, &[WorkKind::Upgrade], 0));
        assert!(!work_order_required(true, &[WorkKind::Upgrade], 1));
    }

    #[test]
    fn dinars_in_serbian_and_json_spellings() {
        assert_eq!(parse_dinars("3.500,00"), Some(350_000));
        assert_eq!(parse_dinars("3500,5"), Some(350_050));
        assert_eq!(parse_dinars("3500.50"), Some(350_050));
        assert_eq!(parse_dinars(""), Some(0));
        assert_eq!(parse_dinars("-5"), None);
        assert_eq!(parse_dinars("1,234"), None);
        assert_eq!(format_dinars(123_456_789), "1.234.567,89");
        assert_eq!(format_dinars(5), "0,05");
    }

    #[test]
    fn the_warranty_ends_months_after_the_date() {
        let f = ServiceSheetInput {
            date: "31.01.2026.".into(),
            fault_found: "x".into(),
            repair_done: "y".into(),
            warranty_months: "1".into(),
            servicer: "z".into(),
            to: String::new(),
        }
        .validate("2026-01-01")
        .unwrap();
        assert_eq!(f.warranty_until, "2026-02-28");
        assert_eq!(f.to, crate::helpdesk::ReportState::InIctOffice);
    }

    #[test]
    fn scans_are_judged_by_their_bytes_and_size() {
        assert!(Scan::new("a.pdf", b"%PDF-1.4 x".to_vec()).is_ok());
        assert!(Scan::new("a.png", b"\x89PNG\r\n\x1a\nxx".to_vec()).is_ok());
        assert!(matches!(Scan::new("a.pdf", b"<html>".to_vec()), Err(Error::Invalid(e)) if e[0].message == "err-scan-type"));
        let mut big = b"%PDF-".to_vec();
        big.resize(SCAN_MAX + 1, 0);
        assert!(matches!(Scan::new("big.pdf", big), Err(Error::Invalid(e)) if e[0].message == "err-scan-too-large"));
    }

    #[test]
    fn replaced_parts_change_the_book_value() {
        let f = WorkOrderInput {
            work: "Замена RAM".into(),
            kind: "part_replaced".into(),
            items: vec![
                ItemInput {
                    name: "DDR4 8 GB".into(),
                    quantity: "2".into(),
                    cost: "3.000,00".into(),
                    component: "memory".into(),
                    ..Default::default()
                },
                ItemInput::default(),
            ],
            ..Default::default()
        }
        .validate("2026-03-02")
        .unwrap();
        assert!(f.changes_book_value && f.needs_money);
        assert_eq!(f.items.len(), 1);
        assert_eq!(f.items[0].component, Some(ComponentKind::Memory));
        assert_eq!(f.date, "2026-03-02");
    }
}
