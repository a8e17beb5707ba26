//! R.65: taking data or software (and the equipment that holds them) off the premises needs the
//! head of administration's approval; data exchanged on other media go with a cover document that
//! names the sender, the receiver and the kind of data.

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

string_enum!(
    /// What leaves the premises.
    RemovalKind {
        Data = "data",
        Software = "software",
        Equipment = "equipment",
    }
);

string_enum!(
    RemovalState {
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Removal {
    pub id: i64,
    pub kind: RemovalKind,
    pub what: String,
    pub purpose: String,
    pub asset_id: Option<i64>,
    pub requested_by: String,
    pub requested_us: i64,
    pub state: RemovalState,
    pub decided_by: Option<String>,
    pub decided_us: Option<i64>,
    pub decision_note: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RemovalInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub asset_id: Option<i64>,
}

fn text(name: &'static str, v: &str, max: usize, errs: &mut Vec<FieldError>) -> String {
    let v = v.trim().to_string();
    if v.is_empty() {
        errs.push(FieldError::new(name, "err-required"));
    } else if v.chars().count() > max {
        errs.push(FieldError::new(name, "err-too-long"));
    }
    v
}

impl RemovalInput {
    pub fn validate(&self) -> Result<(RemovalKind, String, String, Option<i64>)> {
        let mut errs = vec![];
        let kind = RemovalKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-required"));
        }
        let what = text("what", &self.what, 500, &mut errs);
        let purpose = text("purpose", &self.purpose, 2000, &mut errs);
        if kind == Some(RemovalKind::Equipment) && self.asset_id.is_none() {
            errs.push(FieldError::new("asset_id", "err-removal-asset"));
        }
        match (kind, errs.is_empty()) {
            (Some(k), true) => Ok((k, what, purpose, self.asset_id)),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// A cover document of data sent on a medium (R.65).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Transfer {
    pub id: i64,
    pub sender: String,
    pub receiver: String,
    pub data_kind: String,
    pub medium: String,
    pub sent_on: String,
    pub reference: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TransferInput {
    #[serde(default)]
    pub sender: String,
    #[serde(default)]
    pub receiver: String,
    #[serde(default)]
    pub data_kind: String,
    #[serde(default)]
    pub medium: String,
    #[serde(default)]
    pub sent_on: String,
    #[serde(default)]
    pub reference: String,
}

impl TransferInput {
    pub fn validate(&self, today: jiff::civil::Date) -> Result<Transfer> {
        let mut errs = vec![];
        let sender = text("sender", &self.sender, 300, &mut errs);
        let receiver = text("receiver", &self.receiver, 300, &mut errs);
        let data_kind = text("data_kind", &self.data_kind, 500, &mut errs);
        let medium = text("medium", &self.medium, 200, &mut errs);
        let sent_on = match crate::clock::parse_date(&self.sent_on) {
            Some(d) if d <= today => d.to_string(),
            Some(_) => {
                errs.push(FieldError::new("sent_on", "err-date-future"));
                String::new()
            }
            None => {
                errs.push(FieldError::new("sent_on", "err-date"));
                String::new()
            }
        };
        let reference = self.reference.trim().to_string();
        if reference.chars().count() > 200 {
            errs.push(FieldError::new("reference", "err-too-long"));
        }
        if errs.is_empty() {
            Ok(Transfer { id: 0, sender, receiver, data_kind, medium, sent_on, reference, recorded_by: String::new() })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r65_what_leaves_is_named_and_the_cover_document_is_complete() {
        let laptop =
            RemovalInput {
                kind: "equipment".into(), what: "Лаптоп ST 14".into(), purpose: "Рад на терену".into(), asset_id: None
            };
        assert!(matches!(laptop.validate(), Err(Error::Invalid(e)) if e[0].message == "err-removal-asset"));
        assert!(RemovalInput { asset_id: Some(14), ..laptop.clone() }.validate().is_ok());
        assert!(RemovalInput { kind: "data".into(), purpose: " ".into(), ..laptop }.validate().is_err());
        let today = jiff::civil::date(2026, 11, 30);
        let t = TransferInput {
            sender: "Градска управа, Одсек за ИКТ".into(),
            receiver: "Републички геодетски завод".into(),
            data_kind: "Подаци катастра (шифровано)".into(),
            medium: "USB диск".into(),
            sent_on: "30.11.2026".into(),
            reference: String::new(),
        };
        assert_eq!(t.validate(today).unwrap().sent_on, "2026-11-30");
        assert!(TransferInput { receiver: String::new(), ..t }.validate(today).is_err());
    }
}
