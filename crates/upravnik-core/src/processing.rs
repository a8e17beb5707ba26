//! Records of processing activities (Zakon o zaštiti podataka o ličnosti 87/2018, čl. 47) for
//! the systems the office runs. The record is kept permanently: every change is a new version,
//! nothing is edited in place or deleted (the tables refuse it); an activity that stops gets a
//! last version with the date it ended.

use jiff::civil::Date;

use crate::{Error, FieldError, Result};

/// One version of a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProcessingRecord {
    /// The record's number in the office; the same across versions.
    pub record_no: i64,
    pub version: i64,
    /// The processing activity, e.g. "Кадровска евиденција запослених".
    pub name: String,
    /// The system (application, register) it runs in.
    pub system: String,
    /// Art. 47 st. 1 t. 1: controller, joint controllers, representative, data protection officer.
    pub controller: String,
    /// t. 2.
    pub purpose: String,
    /// The legal basis (Art. 12; st. 3 t. 7 for competent authorities).
    pub legal_basis: String,
    /// t. 3: kinds of people the data is about, and kinds of data.
    pub subjects: String,
    pub data_kinds: String,
    /// t. 4.
    pub recipients: String,
    /// t. 5: to other countries or international organisations; empty when none.
    pub transfers: String,
    /// t. 6.
    pub retention: String,
    /// t. 7: a general description of the protection measures (Art. 50).
    pub safeguards: String,
    /// ISO date when the activity stopped.
    pub ended_on: Option<String>,
    /// Why this version was written.
    pub change_note: String,
    pub changed_by: String,
    pub changed_us: i64,
}

/// The fields a version carries, in the order the law lists them (labels: `proc-<name>`).
pub const FIELDS: [&str; 11] = [
    "name",
    "system",
    "controller",
    "purpose",
    "legal_basis",
    "subjects",
    "data_kinds",
    "recipients",
    "transfers",
    "retention",
    "safeguards",
];

impl ProcessingRecord {
    pub fn field(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "system" => &self.system,
            "controller" => &self.controller,
            "purpose" => &self.purpose,
            "legal_basis" => &self.legal_basis,
            "subjects" => &self.subjects,
            "data_kinds" => &self.data_kinds,
            "recipients" => &self.recipients,
            "transfers" => &self.transfers,
            "retention" => &self.retention,
            "safeguards" => &self.safeguards,
            "ended_on" => self.ended_on.as_deref().unwrap_or(""),
            _ => "",
        }
    }

    /// The fields that differ from the version before.
    pub fn changed_from(&self, before: &ProcessingRecord) -> Vec<&'static str> {
        FIELDS.iter().chain(["ended_on"].iter()).filter(|f| self.field(f) != before.field(f)).copied().collect()
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RecordInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub controller: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub subjects: String,
    #[serde(default)]
    pub data_kinds: String,
    #[serde(default)]
    pub recipients: String,
    #[serde(default)]
    pub transfers: String,
    #[serde(default)]
    pub retention: String,
    #[serde(default)]
    pub safeguards: String,
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub change_note: String,
    /// The version the change was made from: a change made from an older one is refused.
    #[serde(default)]
    pub base_version: Option<i64>,
}

impl RecordInput {
    /// What Art. 47 st. 1 requires is required; transfers and the legal basis may be empty.
    pub fn validate(&self, today: Date, new: bool) -> Result<ProcessingRecord> {
        let mut errs = vec![];
        let mut take = |name: &'static str, v: &str, required: bool| {
            let v = v.trim().to_string();
            if required && v.is_empty() {
                errs.push(FieldError::new(name, "err-required"));
            } else if v.chars().count() > 4000 {
                errs.push(FieldError::new(name, "err-too-long"));
            }
            v
        };
        let name = take("name", &self.name, true);
        let system = take("system", &self.system, true);
        let controller = take("controller", &self.controller, true);
        let purpose = take("purpose", &self.purpose, true);
        let legal_basis = take("legal_basis", &self.legal_basis, false);
        let subjects = take("subjects", &self.subjects, true);
        let data_kinds = take("data_kinds", &self.data_kinds, true);
        let recipients = take("recipients", &self.recipients, true);
        let transfers = take("transfers", &self.transfers, false);
        let retention = take("retention", &self.retention, true);
        let safeguards = take("safeguards", &self.safeguards, true);
        // A change says why; the first version is its own reason.
        let change_note = take("change_note", &self.change_note, !new);
        let ended_on = if self.ended_on.trim().is_empty() {
            None
        } else {
            match crate::clock::parse_date(&self.ended_on) {
                Some(d) if d <= today => Some(d.to_string()),
                Some(_) => {
                    errs.push(FieldError::new("ended_on", "err-date-future"));
                    None
                }
                None => {
                    errs.push(FieldError::new("ended_on", "err-date"));
                    None
                }
            }
        };
        if errs.is_empty() {
            Ok(ProcessingRecord {
                record_no: 0,
                version: 0,
                name,
                system,
                controller,
                purpose,
                legal_basis,
                subjects,
                data_kinds,
                recipients,
                transfers,
                retention,
                safeguards,
                ended_on,
                change_note,
                changed_by: String::new(),
                changed_us: 0,
            })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    pub(crate) fn sample() -> RecordInput {
        RecordInput {
            name: "Пријаве кварова".into(),
            system: "Управник".into(),
            controller: "Градска управа Града Зајечара, Трг ослобођења 1; лице за заштиту података: Ана Илић".into(),
            purpose: "Отклањање кварова на опреми (члан 52 Правилника)".into(),
            subjects: "Запослени".into(),
            data_kinds: "Име и презиме, радно место, локал, опис квара".into(),
            recipients: "Администратори ИКС; сервисер по уговору".into(),
            retention: "5 година од затварања пријаве".into(),
            safeguards: "Приступ по улогама, двофакторска пријава администратора, дневна архива".into(),
            ..Default::default()
        }
    }

    #[test]
    fn zzpl_cl47_a_record_carries_what_the_law_lists_and_a_change_says_why() {
        let today = date(2026, 11, 30);
        let r = sample().validate(today, true).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((r.transfers.as_str(), r.ended_on.as_deref()), ("", None));
        let Err(Error::Invalid(e)) = sample().validate(today, false) else { panic!("a change without a note") };
        assert_eq!(e[0].field, "change_note");
        let Err(Error::Invalid(e)) = RecordInput::default().validate(today, true) else { panic!("empty") };
        assert_eq!(e.len(), 9, "{e:?}");
        let ended = RecordInput { ended_on: "31.12.2026".into(), ..sample() };
        assert!(matches!(ended.validate(today, true), Err(Error::Invalid(e)) if e[0].message == "err-date-future"));
        let mut later = RecordInput { retention: "10 година".into(), ended_on: "30.11.2026".into(), ..sample() }
            .validate(today, true)
            .unwrap_or_else(|e| panic!("{e:?}"));
        later.version = 2;
        assert_eq!(later.changed_from(&r), ["retention", "ended_on"]);
    }
}
