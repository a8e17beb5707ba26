//! Trainings (P.5.1: administrators train the staff; ZIB 91/2025 measure 4: basic and, where
//! needed, advanced IT training for everyone with access to the ICT system, training for
//! management, specialised training for those who manage information security), who attended,
//! and who has had none.

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

string_enum!(
    /// The kinds measure 4 names.
    TrainingKind {
        Basic = "basic",
        Advanced = "advanced",
        Management = "management",
        Security = "security",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Training {
    pub id: i64,
    pub topic: String,
    pub kind: TrainingKind,
    /// ISO date.
    pub held_on: String,
    pub trainer: String,
    pub hours: Option<i64>,
    pub note: String,
    pub recorded_by: String,
    /// (person id, name)
    pub attendees: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TrainingInput {
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub trainer: String,
    #[serde(default)]
    pub hours: Option<i64>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub attendees: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingFields {
    pub topic: String,
    pub kind: TrainingKind,
    pub held_on: String,
    pub trainer: String,
    pub hours: Option<i64>,
    pub note: String,
    pub attendees: Vec<i64>,
}

impl TrainingInput {
    pub fn validate(&self, today: jiff::civil::Date) -> Result<TrainingFields> {
        let mut errs = vec![];
        let topic = self.topic.trim().to_string();
        if topic.is_empty() {
            errs.push(FieldError::new("topic", "err-required"));
        } else if topic.chars().count() > 300 {
            errs.push(FieldError::new("topic", "err-too-long"));
        }
        let kind = TrainingKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-required"));
        }
        let held_on = match crate::clock::parse_date(&self.held_on) {
            Some(d) if d <= today => Some(d.to_string()),
            Some(_) => {
                errs.push(FieldError::new("held_on", "err-date-future"));
                None
            }
            None => {
                errs.push(FieldError::new("held_on", "err-date"));
                None
            }
        };
        if self.hours.is_some_and(|h| !(1..=200).contains(&h)) {
            errs.push(FieldError::new("hours", "err-training-hours"));
        }
        let trainer = self.trainer.trim().to_string();
        let note = self.note.trim().to_string();
        if trainer.chars().count() > 200 || note.chars().count() > 2000 {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        let mut attendees = self.attendees.clone();
        attendees.sort_unstable();
        attendees.dedup();
        if attendees.is_empty() {
            errs.push(FieldError::new("attendees", "err-training-attendees"));
        } else if attendees.len() > 5000 {
            errs.push(FieldError::new("attendees", "err-too-long"));
        }
        match (kind, held_on, errs.is_empty()) {
            (Some(kind), Some(held_on), true) => Ok(TrainingFields { topic, kind, held_on, trainer, hours: self.hours, note, attendees }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_training_has_a_topic_a_day_and_people() {
        let today = jiff::civil::date(2026, 11, 30);
        let i = TrainingInput {
            topic: "Препознавање фишинг порука".into(),
            kind: "basic".into(),
            held_on: "27.11.2026".into(),
            hours: Some(2),
            attendees: vec![3, 1, 3],
            ..Default::default()
        };
        let f = i.validate(today).unwrap();
        assert_eq!((f.held_on.as_str(), f.attendees.as_slice()), ("2026-11-27", &[1, 3][..]));
        assert!(TrainingInput { attendees: vec![], ..i.clone() }.validate(today).is_err());
        assert!(TrainingInput { held_on: "01.12.2026".into(), ..i.clone() }.validate(today).is_err());
        assert!(TrainingInput { kind: "fun".into(), ..i.clone() }.validate(today).is_err());
        assert!(TrainingInput { hours: Some(0), ..i }.validate(today).is_err());
    }
}
