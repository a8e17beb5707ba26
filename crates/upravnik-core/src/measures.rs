//! The protection measures an operator of an ICT system of special importance applies (R.54–R.55):
//! the 28 of the 2016 Law on Information Security (Art. 7(3), listed in R.55) and the 37 of the
//! 2025 law (91/2025 Art. 10(4)), with the old numbering mapped onto the new. Both sets are data
//! (`data/zib-measures-*.json`), not code; an office records per measure whether it applies and
//! why, how it is done, who answers for it, its status and when it was last checked.

use std::sync::OnceLock;

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

string_enum!(
    /// The requirement set an office follows (or compares).
    Law {
        /// Zakon o informacionoj bezbednosti, Sl. glasnik RS 6/2016, čl. 7 st. 3 (R.55).
        Zib2016 = "zib2016",
        /// Zakon o informacionoj bezbednosti, Sl. glasnik RS 91/2025, čl. 10 st. 4 (in force).
        Zib2025 = "zib2025",
    }
);

/// One measure of a set, as the law words it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Measure {
    pub law: Law,
    pub no: i64,
    /// The article, paragraph and point.
    pub reference: String,
    pub text_sr: String,
    /// An English title (2025 set), for the English interface.
    pub title_en: String,
    /// The number of the same measure in the other set, where there is one.
    pub other_no: Option<i64>,
    /// New in 2025, with no 2016 counterpart.
    pub new_in_2025: bool,
    pub iso27001: String,
}

#[derive(serde::Deserialize)]
struct Raw2025 {
    ref_2025: String,
    no_2025: i64,
    text_sr: String,
    title_en: String,
    no_2016_reconstructed: Option<i64>,
    new_in_2025: bool,
    #[serde(rename = "iso27001_2022_annexA_indicative")]
    iso27001: String,
}

#[derive(serde::Deserialize)]
struct Raw2016 {
    no_2016: i64,
    ref_2016: String,
    text_sr: String,
}

fn load() -> (Vec<Measure>, Vec<Measure>) {
    let new: Vec<Raw2025> = serde_json::from_str(include_str!("../data/zib-measures-2025.json")).unwrap_or_default();
    let old: Vec<Raw2016> = serde_json::from_str(include_str!("../data/zib-measures-2016.json")).unwrap_or_default();
    let m2025: Vec<Measure> = new
        .into_iter()
        .map(|r| Measure {
            law: Law::Zib2025,
            no: r.no_2025,
            reference: r.ref_2025,
            text_sr: r.text_sr,
            title_en: r.title_en,
            other_no: r.no_2016_reconstructed,
            new_in_2025: r.new_in_2025,
            iso27001: r.iso27001,
        })
        .collect();
    let m2016 = old
        .into_iter()
        .map(|r| {
            let twin = m2025.iter().find(|m| m.other_no == Some(r.no_2016));
            Measure {
                law: Law::Zib2016,
                no: r.no_2016,
                reference: r.ref_2016,
                text_sr: r.text_sr,
                title_en: twin.map(|m| m.title_en.clone()).unwrap_or_default(),
                other_no: twin.map(|m| m.no),
                new_in_2025: false,
                iso27001: twin.map(|m| m.iso27001.clone()).unwrap_or_default(),
            }
        })
        .collect();
    (m2016, m2025)
}

/// Every measure of a set, in its order.
pub fn catalogue(law: Law) -> &'static [Measure] {
    static SETS: OnceLock<(Vec<Measure>, Vec<Measure>)> = OnceLock::new();
    let (a, b) = SETS.get_or_init(load);
    match law {
        Law::Zib2016 => a,
        Law::Zib2025 => b,
    }
}

pub fn measure(law: Law, no: i64) -> Option<&'static Measure> {
    catalogue(law).iter().find(|m| m.no == no)
}

string_enum!(
    /// How far a measure is carried out.
    MeasureStatus {
        Planned = "planned",
        Partial = "partial",
        Implemented = "implemented",
        NotApplicable = "not_applicable",
    }
);

/// What the office recorded for a measure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    pub law: Law,
    pub no: i64,
    pub applicable: bool,
    /// Why it does not apply (or any reasoning).
    pub justification: String,
    pub implementation: String,
    pub responsible: String,
    /// Internal documents (acts, decisions, procedures) by name and number.
    pub documents: String,
    pub status: MeasureStatus,
    /// ISO date of the last check.
    pub checked_on: Option<String>,
    pub updated_us: Option<i64>,
}

impl Assessment {
    pub fn empty(law: Law, no: i64) -> Self {
        Assessment {
            law,
            no,
            applicable: true,
            justification: String::new(),
            implementation: String::new(),
            responsible: String::new(),
            documents: String::new(),
            status: MeasureStatus::Planned,
            checked_on: None,
            updated_us: None,
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct AssessmentInput {
    #[serde(default = "yes")]
    pub applicable: bool,
    #[serde(default)]
    pub justification: String,
    #[serde(default)]
    pub implementation: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub checked_on: String,
}

fn yes() -> bool {
    true
}

/// A measure applies unless said otherwise.
impl Default for AssessmentInput {
    fn default() -> Self {
        Self {
            applicable: true,
            justification: String::new(),
            implementation: String::new(),
            responsible: String::new(),
            documents: String::new(),
            status: String::new(),
            checked_on: String::new(),
        }
    }
}

impl AssessmentInput {
    pub fn validate(&self, law: Law, no: i64, today: jiff::civil::Date) -> Result<Assessment> {
        let mut errs = vec![];
        if measure(law, no).is_none() {
            return Err(Error::NotFound { what: "measure" });
        }
        let text = |name: &'static str, v: &str, errs: &mut Vec<FieldError>| {
            let v = v.trim().to_string();
            if v.chars().count() > 8000 {
                errs.push(FieldError::new(name, "err-too-long"));
            }
            v
        };
        let justification = text("justification", &self.justification, &mut errs);
        let implementation = text("implementation", &self.implementation, &mut errs);
        let responsible = text("responsible", &self.responsible, &mut errs);
        let documents = text("documents", &self.documents, &mut errs);
        let mut status = if self.status.trim().is_empty() {
            MeasureStatus::Planned
        } else {
            MeasureStatus::parse(self.status.trim()).unwrap_or_else(|| {
                errs.push(FieldError::new("status", "err-measure-status"));
                MeasureStatus::Planned
            })
        };
        // A measure that does not apply says why (the check asks for the reasoning).
        if !self.applicable {
            status = MeasureStatus::NotApplicable;
            if justification.is_empty() {
                errs.push(FieldError::new("justification", "err-measure-why-not"));
            }
        } else if status == MeasureStatus::NotApplicable {
            errs.push(FieldError::new("status", "err-measure-status"));
        }
        let checked_on = if self.checked_on.trim().is_empty() {
            None
        } else {
            match crate::clock::parse_date(&self.checked_on) {
                Some(d) if d <= today => Some(d.to_string()),
                Some(_) => {
                    errs.push(FieldError::new("checked_on", "err-date-future"));
                    None
                }
                None => {
                    errs.push(FieldError::new("checked_on", "err-date"));
                    None
                }
            }
        };
        if errs.is_empty() {
            Ok(Assessment {
                law,
                no,
                applicable: self.applicable,
                justification,
                implementation,
                responsible,
                documents,
                status,
                checked_on,
                updated_us: None,
            })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

string_enum!(
    /// What Upravnik itself shows as evidence of a measure, live (2025 numbering).
    Evidence {
        /// Measure 4 (training, awareness) and 12 (users' duties): the rules of work accepted (R.19).
        RulesAccepted = "rules_accepted",
        /// 7: the registry of equipment (R.3–R.13).
        AssetRegistry = "asset_registry",
        /// 20: internet access and blocked categories per workstation (R.32).
        InternetPolicy = "internet_policy",
        /// 21: antivirus coverage from the inventories (R.31, R.60).
        Antivirus = "antivirus",
        /// 22 and 35: daily archives verified, copy 2 in the safe (R.22, R.66).
        Backups = "backups",
        /// 23: the hash-chained work log (R.20).
        WorkLog = "worklog",
        /// 24: licensed software, unlicensed programs removed (R.29–R.30).
        SoftwareCompliance = "software_compliance",
        /// 37: two-factor sign-in of administrators.
        Mfa = "mfa",
        /// 34: incidents recorded with their reports.
        Incidents = "incidents",
        /// 4: trainings held and who has had none (P.5.1).
        Trainings = "trainings",
    }
);

/// The live evidence of a measure of the 2025 set.
pub fn evidence_for(no_2025: i64) -> Vec<Evidence> {
    use Evidence::*;
    match no_2025 {
        4 => vec![Trainings, RulesAccepted],
        12 => vec![RulesAccepted],
        7 => vec![AssetRegistry],
        20 => vec![InternetPolicy],
        21 => vec![Antivirus],
        22 | 35 => vec![Backups],
        23 => vec![WorkLog],
        24 => vec![SoftwareCompliance],
        34 => vec![Incidents],
        37 => vec![Mfa],
        _ => vec![],
    }
}

/// The same, for a measure of either set (a 2016 measure through its 2025 counterpart).
pub fn evidence(law: Law, no: i64) -> Vec<Evidence> {
    match law {
        Law::Zib2025 => evidence_for(no),
        Law::Zib2016 => measure(law, no).and_then(|m| m.other_no).map(evidence_for).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sets_load_with_the_mapping() {
        assert_eq!(catalogue(Law::Zib2016).len(), 28);
        assert_eq!(catalogue(Law::Zib2025).len(), 37);
        assert_eq!(catalogue(Law::Zib2025).iter().filter(|m| m.new_in_2025).count(), 9, "nine measures are new in 2025");
        // Every old measure has its place in the new set, and back.
        for m in catalogue(Law::Zib2016) {
            let twin = m.other_no.and_then(|n| measure(Law::Zib2025, n)).unwrap_or_else(|| panic!("2016 no. {} unmapped", m.no));
            assert_eq!(twin.other_no, Some(m.no));
        }
        let backups = measure(Law::Zib2016, 16).unwrap();
        assert_eq!(backups.other_no, Some(22));
        assert!(backups.text_sr.contains("gubitka podataka"));
        assert_eq!(evidence(Law::Zib2016, 16), vec![Evidence::Backups]);
        assert_eq!(evidence(Law::Zib2025, 37), vec![Evidence::Mfa]);
        assert!(measure(Law::Zib2025, 38).is_none());
    }

    #[test]
    fn a_measure_that_does_not_apply_says_why() {
        let today = jiff::civil::date(2026, 11, 30);
        let no = AssessmentInput { applicable: false, ..Default::default() };
        assert!(matches!(no.validate(Law::Zib2025, 18, today), Err(Error::Invalid(e)) if e[0].message == "err-measure-why-not"));
        let why = AssessmentInput {
            applicable: false,
            justification: "Градска управа не користи рачунарство у облаку".into(),
            ..Default::default()
        };
        assert_eq!(why.validate(Law::Zib2025, 18, today).unwrap().status, MeasureStatus::NotApplicable);
        let done =
            AssessmentInput { applicable: true, status: "implemented".into(), checked_on: "15.11.2026".into(), ..Default::default() };
        assert_eq!(done.validate(Law::Zib2025, 22, today).unwrap().checked_on.as_deref(), Some("2026-11-15"));
        assert!(AssessmentInput { checked_on: "01.12.2026".into(), ..done.clone() }.validate(Law::Zib2025, 22, today).is_err());
        assert!(matches!(done.validate(Law::Zib2025, 99, today), Err(Error::NotFound { .. })));
    }
}
