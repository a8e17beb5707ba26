//! The preview of an import: every row turned into an asset, validated like a form
//! ([`AssetInput::validate`]), checked against the register (inventory numbers, `ST` labels and
//! active IP addresses held by other assets, R.12) and against the other rows of the file, and
//! sorted into new, changed, unchanged or in error. Nothing here touches the database.

use std::collections::HashMap;

use super::columns::{ImportField, date_cell, parse_kind, price_cell};
use super::read::SheetRow;
use crate::Error;
use crate::asset::{Asset, AssetFields, AssetInput, FieldChange, format_label, format_price};

/// A column of the file and the field it is imported into (`None`: ignored).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Column {
    pub index: usize,
    pub header: String,
    pub field: Option<ImportField>,
}

/// One problem of one row: the spreadsheet's row number, the column's header as the file names
/// it (empty when the field has no column), the asset field and the message key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub row: u32,
    pub column: String,
    pub field: &'static str,
    pub message: &'static str,
    /// The cell as the file has it (empty when the field has no column).
    pub value: String,
    /// The earlier row holding the same value, for duplicates inside the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_row: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    New,
    Changed,
    Unchanged,
    Invalid,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowPlan {
    pub row: u32,
    pub action: RowAction,
    pub inventory_number: String,
    /// The asset the row updates (or leaves as it is).
    pub asset_id: Option<i64>,
    pub changes: Vec<FieldChange>,
    #[serde(skip)]
    pub fields: Option<AssetFields>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub invalid: usize,
}

/// What importing the file would do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Preview {
    /// The row holding the column names (spreadsheet numbering); 0 for an empty file.
    pub header_row: u32,
    pub columns: Vec<Column>,
    /// Problems of the whole file (message keys), e.g. no column for the inventory number.
    pub problems: Vec<&'static str>,
    pub counts: Counts,
    pub errors: Vec<RowError>,
    pub rows: Vec<RowPlan>,
}

impl Preview {
    /// Only a file without a single error is imported (all or nothing).
    pub fn can_commit(&self) -> bool {
        self.problems.is_empty() && self.errors.is_empty() && self.counts.new + self.counts.changed > 0
    }
}

/// An asset's stored fields as form input, so a row can leave unmapped fields as they are.
pub fn input_of(f: &AssetFields) -> AssetInput {
    AssetInput {
        kind: f.kind.as_str().into(),
        inventory_number: f.inventory_number.clone(),
        label: f.label.map(format_label).unwrap_or_default(),
        manufacturer: f.manufacturer.clone(),
        model: f.model.clone(),
        serial: f.serial.clone(),
        hostname: f.hostname.clone(),
        mac: f.mac.clone().unwrap_or_default(),
        ip: f.ip.clone().unwrap_or_default(),
        building: f.building.clone(),
        room: f.room.clone(),
        roles: f.roles.iter().map(|r| r.as_str().to_string()).collect(),
        in_server_room: f.in_server_room,
        procurement_ref: f.procurement_ref.clone(),
        supplier: f.supplier.clone(),
        purchase_date: f.purchase_date.clone().unwrap_or_default(),
        price: f.price_para.map(format_price).unwrap_or_default(),
        warranty_end: f.warranty_end.clone().unwrap_or_default(),
        note: f.note.clone(),
    }
}

fn set(input: &mut AssetInput, field: ImportField, value: &str) {
    let v = value.trim().to_string();
    match field {
        ImportField::Kind => input.kind = v,
        ImportField::InventoryNumber => input.inventory_number = v,
        ImportField::Label => input.label = v,
        ImportField::Manufacturer => input.manufacturer = v,
        ImportField::Model => input.model = v,
        ImportField::Serial => input.serial = v,
        ImportField::Hostname => input.hostname = v,
        ImportField::Mac => input.mac = v,
        ImportField::Ip => input.ip = v,
        ImportField::Building => input.building = v,
        ImportField::Room => input.room = v,
        ImportField::ProcurementRef => input.procurement_ref = v,
        ImportField::Supplier => input.supplier = v,
        ImportField::PurchaseDate => input.purchase_date = date_cell(&v),
        ImportField::Price => input.price = price_cell(&v),
        ImportField::WarrantyEnd => input.warranty_end = date_cell(&v),
        ImportField::Note => input.note = v,
    }
}

/// The columns of the header row with a mapping (shorter mappings ignore the rest).
pub fn columns(header: &SheetRow, width: usize, mapping: &[Option<ImportField>]) -> Vec<Column> {
    (0..width).map(|i| Column { index: i, header: header.cell(i).to_string(), field: mapping.get(i).copied().flatten() }).collect()
}

/// Identifiers already held in the register.
struct Register<'a> {
    by_inventory: HashMap<&'a str, &'a Asset>,
    labels: HashMap<i64, i64>,
    active_ips: HashMap<&'a str, i64>,
}

impl<'a> Register<'a> {
    fn new(existing: &'a [Asset]) -> Self {
        let mut r = Register { by_inventory: HashMap::new(), labels: HashMap::new(), active_ips: HashMap::new() };
        for a in existing {
            r.by_inventory.insert(a.fields.inventory_number.as_str(), a);
            if let Some(l) = a.fields.label {
                r.labels.insert(l, a.id);
            }
            if let Some(ip) = a.fields.ip.as_deref().filter(|_| a.status.is_active()) {
                r.active_ips.insert(ip, a.id);
            }
        }
        r
    }
}

/// Decides every data row below `header` (blank rows, and rows with nothing in mapped columns,
/// are skipped).
pub fn preview(rows: &[SheetRow], header: usize, mapping: &[Option<ImportField>], existing: &[Asset]) -> Preview {
    let Some(head) = rows.get(header) else {
        return Preview {
            header_row: 0,
            columns: vec![],
            problems: vec!["err-import-empty"],
            counts: Counts::default(),
            errors: vec![],
            rows: vec![],
        };
    };
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let cols = columns(head, width, mapping);
    let column_of = |field: &str| cols.iter().find(|c| c.field.is_some_and(|f| f.as_str() == field));
    let mut p = Preview {
        header_row: head.number,
        columns: cols.clone(),
        problems: vec![],
        counts: Counts::default(),
        errors: vec![],
        rows: vec![],
    };
    let mut seen = vec![];
    for c in &cols {
        if let Some(f) = c.field {
            if seen.contains(&f) {
                p.problems.push("err-import-mapping-duplicate");
            }
            seen.push(f);
        }
    }
    if !seen.contains(&ImportField::InventoryNumber) {
        p.problems.push("err-import-no-inventory-column");
    }
    if !p.problems.is_empty() {
        return p;
    }
    let register = Register::new(existing);
    // Identifiers of earlier rows of the file: value → row number.
    let mut file_inv: HashMap<String, u32> = HashMap::new();
    let mut file_labels: HashMap<i64, u32> = HashMap::new();
    let mut file_ips: HashMap<String, u32> = HashMap::new();
    for r in rows.iter().skip(header + 1) {
        if cols.iter().all(|c| c.field.is_none() || r.cell(c.index).trim().is_empty()) {
            continue;
        }
        let mut errors: Vec<RowError> = vec![];
        let err = |errors: &mut Vec<RowError>, field: &'static str, message: &'static str, other_row: Option<u32>| {
            let col = column_of(field);
            errors.push(RowError {
                row: r.number,
                column: col.map(|c| c.header.clone()).unwrap_or_default(),
                field,
                message,
                value: col.map(|c| r.cell(c.index).trim().to_string()).unwrap_or_default(),
                other_row,
            });
        };
        let inv_col = cols.iter().find(|c| c.field == Some(ImportField::InventoryNumber)).map(|c| c.index).unwrap_or(0);
        let inventory_number = r.cell(inv_col).trim().to_string();
        let matched = register.by_inventory.get(inventory_number.as_str()).copied();
        let mut input = matched.map(|a| input_of(&a.fields)).unwrap_or_default();
        let mut kind_bad = false;
        for c in &cols {
            let Some(f) = c.field else { continue };
            let v = r.cell(c.index);
            if f == ImportField::Kind {
                match parse_kind(v) {
                    Some(k) => input.kind = k.as_str().into(),
                    None if v.trim().is_empty() => input.kind = String::new(),
                    None => {
                        kind_bad = true;
                        input.kind = String::new();
                        err(&mut errors, "kind", "err-import-kind", None);
                    }
                }
            } else {
                set(&mut input, f, v);
            }
        }
        let fields = match input.validate() {
            Ok(f) => Some(f),
            Err(Error::Invalid(list)) => {
                for e in list.into_iter().filter(|e| !(kind_bad && e.field == "kind")) {
                    err(&mut errors, e.field, e.message, None);
                }
                None
            }
            Err(_) => None,
        };
        if let Some(f) = &fields {
            let own = matched.map(|a| a.id);
            if let Some(first) = file_inv.get(&f.inventory_number) {
                err(&mut errors, "inventory_number", "err-import-duplicate", Some(*first));
            }
            if let Some(l) = f.label {
                if let Some(first) = file_labels.get(&l) {
                    err(&mut errors, "label", "err-import-duplicate", Some(*first));
                } else if register.labels.get(&l).is_some_and(|holder| Some(*holder) != own) {
                    err(&mut errors, "label", "err-label-taken", None);
                }
            }
            if let Some(ip) = &f.ip {
                if let Some(first) = file_ips.get(ip) {
                    err(&mut errors, "ip", "err-import-duplicate", Some(*first));
                } else if register.active_ips.get(ip.as_str()).is_some_and(|holder| Some(*holder) != own) {
                    err(&mut errors, "ip", "err-ip-taken", None);
                }
            }
            file_inv.entry(f.inventory_number.clone()).or_insert(r.number);
            if let Some(l) = f.label {
                file_labels.entry(l).or_insert(r.number);
            }
            if let Some(ip) = &f.ip {
                file_ips.entry(ip.clone()).or_insert(r.number);
            }
        }
        let (action, changes) = match (&fields, matched) {
            _ if !errors.is_empty() => (RowAction::Invalid, vec![]),
            (Some(f), Some(old)) => {
                let changes = f.changes_from(&old.fields);
                (if changes.is_empty() { RowAction::Unchanged } else { RowAction::Changed }, changes)
            }
            (Some(_), None) => (RowAction::New, vec![]),
            (None, _) => (RowAction::Invalid, vec![]),
        };
        match action {
            RowAction::New => p.counts.new += 1,
            RowAction::Changed => p.counts.changed += 1,
            RowAction::Unchanged => p.counts.unchanged += 1,
            RowAction::Invalid => p.counts.invalid += 1,
        }
        p.errors.extend(errors);
        p.rows.push(RowPlan {
            row: r.number,
            action,
            inventory_number,
            asset_id: matched.map(|a| a.id),
            changes,
            fields: if matches!(action, RowAction::New | RowAction::Changed) { fields } else { None },
        });
    }
    if p.rows.is_empty() {
        p.problems.push("err-import-empty");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::AssetStatus;

    fn row(n: u32, cells: &[&str]) -> SheetRow {
        SheetRow { number: n, cells: cells.iter().map(|c| c.to_string()).collect() }
    }

    fn mapping() -> Vec<Option<ImportField>> {
        vec![Some(ImportField::InventoryNumber), Some(ImportField::Kind), Some(ImportField::Ip), Some(ImportField::PurchaseDate)]
    }

    #[test]
    fn rows_are_new_changed_unchanged_or_in_error() {
        let existing_fields =
            AssetInput { kind: "printer".into(), inventory_number: "0002".into(), ip: "10.0.0.2".into(), ..Default::default() }.validate();
        let Ok(existing_fields) = existing_fields else { panic!("valid") };
        let existing =
            vec![Asset { id: 7, office_id: 1, status: AssetStatus::InStock, person_id: None, workplace_id: None, fields: existing_fields }];
        let rows = vec![
            row(1, &["Инв. бр.", "Врста", "IP", "Датум набавке"]),
            row(2, &["0001", "рачунар", "10.0.0.1", "01.02.2019."]),
            row(3, &["0002", "штампач", "10.0.0.2", ""]),
            row(4, &["", "", "", ""]),
            row(5, &["0003", "монитор", "10.0.0.2", ""]),
            row(6, &["0001", "фрижидер", "10.0.0.300", "31.02.2019"]),
            row(7, &["0002", "штампач", "10.0.0.9", ""]),
        ];
        let p = preview(&rows, 0, &mapping(), &existing);
        assert_eq!(p.header_row, 1);
        let actions: Vec<(u32, RowAction)> = p.rows.iter().map(|r| (r.row, r.action)).collect();
        assert_eq!(
            actions,
            [(2, RowAction::New), (3, RowAction::Unchanged), (5, RowAction::Invalid), (6, RowAction::Invalid), (7, RowAction::Invalid)]
        );
        let errs: Vec<(u32, &str, &str, Option<u32>)> = p.errors.iter().map(|e| (e.row, e.field, e.message, e.other_row)).collect();
        assert_eq!(
            errs,
            [
                (5, "ip", "err-import-duplicate", Some(3)),
                (6, "kind", "err-import-kind", None),
                (6, "ip", "err-ip", None),
                (6, "purchase_date", "err-date", None),
                (7, "inventory_number", "err-import-duplicate", Some(3)),
            ]
        );
        assert_eq!((p.errors[0].column.as_str(), p.errors[0].value.as_str()), ("IP", "10.0.0.2"));
        assert_eq!(p.counts, Counts { new: 1, changed: 0, unchanged: 1, invalid: 3 });
        assert!(!p.can_commit());
    }

    #[test]
    fn a_changed_cell_is_one_change_and_unmapped_fields_stay() {
        let old =
            AssetInput { kind: "printer".into(), inventory_number: "0002".into(), note: "у ходнику".into(), ..Default::default() };
        let Ok(old) = old.validate() else { panic!("valid") };
        let existing = vec![Asset { id: 7, office_id: 1, status: AssetStatus::InStock, person_id: None, workplace_id: None, fields: old }];
        let rows = vec![row(1, &["Inv", "Vrsta", "IP", "Datum nabavke"]), row(2, &["0002", "stampac", "", "2019-02-01"])];
        let p = preview(&rows, 0, &mapping(), &existing);
        assert_eq!(p.rows[0].action, RowAction::Changed);
        assert_eq!(p.rows[0].changes, vec![FieldChange { field: "purchase_date", old: String::new(), new: "2019-02-01".into() }]);
        assert_eq!(p.rows[0].fields.as_ref().map(|f| f.note.as_str()), Some("у ходнику"));
        assert!(p.can_commit());
    }

    #[test]
    fn without_an_inventory_column_nothing_is_decided() {
        let rows = vec![row(1, &["Vrsta"]), row(2, &["stampac"])];
        let p = preview(&rows, 0, &[Some(ImportField::Kind)], &[]);
        assert_eq!(p.problems, ["err-import-no-inventory-column"]);
        assert!(p.rows.is_empty() && !p.can_commit());
        let rows = vec![row(1, &["Vrsta", "Inv"]), row(2, &["stampac", "1"])];
        let dup = preview(&rows, 0, &[Some(ImportField::InventoryNumber), Some(ImportField::InventoryNumber)], &[]);
        assert!(dup.problems.contains(&"err-import-mapping-duplicate"));
    }
}
