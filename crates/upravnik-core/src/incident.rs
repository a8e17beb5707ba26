//! Security incidents and every deadline the laws set for them. Hours run from the moment the
//! office became aware (ZIB 91/2025 čl. 13: 24 hours; ZZPL 87/2018 čl. 52: 72 hours) and are
//! exact durations, whatever the clocks do; "days from the day" (ZIB čl. 24: the final report
//! within 15 days of the end) are calendar days in Belgrade, ending at midnight. Pure: the clock
//! is an argument.

use jiff::civil::Date;

use crate::asset::string_enum;
use crate::clock::{BELGRADE, Micros};
use crate::{Error, FieldError, Result};

pub const HOUR_US: i64 = 3_600_000_000;
pub const TEXT_MAX: usize = 8000;

string_enum!(
    /// ZIB 91/2025 čl. 16: the danger levels.
    DangerLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
        VeryHigh = "very_high",
    }
);

impl DangerLevel {
    /// ZIB čl. 24 st. 1 t. 1: how often reports are due while the incident lasts.
    pub fn interim_every_us(self) -> Option<i64> {
        match self {
            DangerLevel::Low => None,
            DangerLevel::Medium => Some(72 * HOUR_US),
            DangerLevel::High | DangerLevel::VeryHigh => Some(24 * HOUR_US),
        }
    }
}

/// ZIB 91/2025 čl. 13 st. 2: the criteria of an incident that must be reported (1–7).
pub const CRITERIA: [u8; 7] = [1, 2, 3, 4, 5, 6, 7];

string_enum!(
    /// The reports and notices the laws and the rulebook require.
    ReportKind {
        /// ZIB čl. 13: within 24 hours of becoming aware, to the single reporting system.
        Initial = "initial",
        /// ZIB čl. 24 st. 1 t. 1: every 3 days (medium) or 24 hours (high, very high) while it lasts.
        Interim = "interim",
        /// ZIB čl. 24 st. 1 t. 3: within 15 days of the day it ended.
        Final = "final",
        /// ZZPL čl. 52: a personal-data breach, to the Commissioner within 72 hours.
        Commissioner = "commissioner",
        /// ZZPL čl. 53: the people affected, without undue delay, when the risk to them is high.
        DataSubjects = "data_subjects",
        /// R.56: the City Council is told of incidents with a significant impact.
        CityCouncil = "city_council",
        /// R.56: the prosecutor or the police, when a crime prosecuted ex officio is suspected.
        Prosecutor = "prosecutor",
        /// ZIB čl. 14 st. 5: the users of the services, without delay, when the services suffer.
        ServiceUsers = "service_users",
    }
);

impl ReportKind {
    /// Whether one such report closes the duty (all but the interim ones).
    pub fn once(self) -> bool {
        self != ReportKind::Interim
    }
}

/// What the deadlines depend on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub started_us: Option<Micros>,
    /// The clock starts here (ZIB čl. 13, ZZPL čl. 52).
    pub aware_us: Micros,
    pub ended_us: Option<Micros>,
    /// Any criterion of ZIB čl. 13 st. 2 applies, or a serious near-miss (st. 3).
    pub reportable: bool,
    pub danger: Option<DangerLevel>,
    pub personal_data: bool,
    /// The breach is likely to pose a high risk to the people affected (ZZPL čl. 53).
    pub high_risk_to_people: bool,
    pub crime_suspected: bool,
    /// The services to users suffer (ZIB čl. 14 st. 5).
    pub services_affected: bool,
    /// Reports already sent: (kind, when).
    pub sent: Vec<(ReportKind, Micros)>,
}

/// One duty: when it is due (`None`: without delay, no fixed hour), and whether and when it was met.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Deadline {
    pub kind: ReportKind,
    pub due_us: Option<Micros>,
    pub sent_us: Option<Micros>,
    /// Due and not sent by now, or sent after it was due.
    pub late: bool,
}

/// Midnight in Belgrade at the end of the given day.
fn end_of_day(d: Date) -> Option<Micros> {
    let next = d.tomorrow().ok()?;
    Some(next.to_datetime(jiff::civil::Time::midnight()).in_tz(BELGRADE).ok()?.timestamp().as_microsecond())
}

/// "Within N days of the day of X": to the end of the Nth calendar day after X's day, in Belgrade.
pub fn days_after(us: Micros, days: i64) -> Option<Micros> {
    let d = crate::clock::local_date(us)?;
    end_of_day(d.checked_add(jiff::Span::new().days(days)).ok()?)
}

/// ZIB čl. 25: the statistics of a year's incidents and near-misses are due by 28 February of
/// the next year (end of that day).
pub fn statistics_due(year: i16) -> Option<Micros> {
    end_of_day(Date::new(year.checked_add(1)?, 2, 28).ok()?)
}

fn first_sent(f: &Facts, kind: ReportKind) -> Option<Micros> {
    f.sent.iter().filter(|(k, _)| *k == kind).map(|(_, t)| *t).min()
}

/// Every duty the incident has, in the order they fall due, at `now`.
pub fn deadlines(f: &Facts, now: Micros) -> Vec<Deadline> {
    let mut out = vec![];
    let mut push = |kind: ReportKind, due: Option<Micros>, sent: Option<Micros>| {
        let late = match (due, sent) {
            (Some(d), Some(s)) => s > d,
            (Some(d), None) => now > d,
            (None, _) => false,
        };
        out.push(Deadline { kind, due_us: due, sent_us: sent, late });
    };
    if f.reportable {
        push(ReportKind::Initial, Some(f.aware_us + 24 * HOUR_US), first_sent(f, ReportKind::Initial));
        // While it lasts: the next interim report counts from the last report sent.
        if let (Some(every), None) = (f.danger.and_then(DangerLevel::interim_every_us), f.ended_us) {
            let last = f
                .sent
                .iter()
                .filter(|(k, _)| matches!(k, ReportKind::Initial | ReportKind::Interim))
                .map(|(_, t)| *t)
                .max()
                .unwrap_or(f.aware_us);
            push(ReportKind::Interim, Some(last + every), None);
        }
        if let Some(end) = f.ended_us {
            push(ReportKind::Final, days_after(end, 15), first_sent(f, ReportKind::Final));
        }
        push(ReportKind::CityCouncil, None, first_sent(f, ReportKind::CityCouncil));
    }
    if f.personal_data {
        push(ReportKind::Commissioner, Some(f.aware_us + 72 * HOUR_US), first_sent(f, ReportKind::Commissioner));
        if f.high_risk_to_people {
            push(ReportKind::DataSubjects, None, first_sent(f, ReportKind::DataSubjects));
        }
    }
    if f.crime_suspected {
        push(ReportKind::Prosecutor, None, first_sent(f, ReportKind::Prosecutor));
    }
    if f.services_affected {
        push(ReportKind::ServiceUsers, None, first_sent(f, ReportKind::ServiceUsers));
    }
    out.sort_by_key(|d| (d.due_us.is_none(), d.due_us));
    out
}

/// The next duty not met yet, with its time (the list's and the home page's "next deadline").
pub fn next_open(list: &[Deadline]) -> Option<&Deadline> {
    list.iter().find(|d| d.sent_us.is_none())
}

/// What an administrator records (form or API).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct IncidentInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Belgrade time or RFC 3339.
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub aware: String,
    #[serde(default)]
    pub ended: String,
    /// Numbers of the criteria of ZIB čl. 13 st. 2 that apply.
    #[serde(default)]
    pub criteria: Vec<u8>,
    #[serde(default)]
    pub near_miss: bool,
    #[serde(default)]
    pub crime_suspected: bool,
    #[serde(default)]
    pub danger: String,
    /// The level the authority set, when it differs.
    #[serde(default)]
    pub danger_authority: String,
    #[serde(default)]
    pub indicators: String,
    #[serde(default)]
    pub affected_services: String,
    #[serde(default)]
    pub personal_data: bool,
    #[serde(default)]
    pub high_risk_to_people: bool,
    #[serde(default)]
    pub services_affected: bool,
    #[serde(default)]
    pub cross_border: bool,
    #[serde(default)]
    pub measures: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFields {
    pub title: String,
    pub description: String,
    pub started_us: Option<Micros>,
    pub aware_us: Micros,
    pub ended_us: Option<Micros>,
    pub criteria: Vec<u8>,
    pub near_miss: bool,
    pub crime_suspected: bool,
    pub danger: Option<DangerLevel>,
    pub danger_authority: Option<DangerLevel>,
    pub indicators: String,
    pub affected_services: String,
    pub personal_data: bool,
    pub high_risk_to_people: bool,
    pub services_affected: bool,
    pub cross_border: bool,
    pub measures: String,
}

impl IncidentFields {
    /// Reportable under ZIB čl. 13: a criterion applies, or a near-miss that posed a serious threat.
    pub fn reportable(&self) -> bool {
        !self.criteria.is_empty()
    }
}

impl IncidentInput {
    pub fn validate(&self, now: Micros) -> Result<IncidentFields> {
        let mut errs = vec![];
        let text = |name: &'static str, v: &str, max: usize, required: bool, errs: &mut Vec<FieldError>| {
            let v = v.trim().to_string();
            if required && v.is_empty() {
                errs.push(FieldError::new(name, "err-required"));
            } else if v.chars().count() > max {
                errs.push(FieldError::new(name, "err-too-long"));
            }
            v
        };
        let title = text("title", &self.title, 200, true, &mut errs);
        let description = text("description", &self.description, TEXT_MAX, true, &mut errs);
        let indicators = text("indicators", &self.indicators, TEXT_MAX, false, &mut errs);
        let affected_services = text("affected_services", &self.affected_services, TEXT_MAX, false, &mut errs);
        let measures = text("measures", &self.measures, TEXT_MAX, false, &mut errs);
        let when = |name: &'static str, v: &str, required: bool, errs: &mut Vec<FieldError>| -> Option<Micros> {
            if v.trim().is_empty() {
                if required {
                    errs.push(FieldError::new(name, "err-required"));
                }
                return None;
            }
            match crate::backup::parse_instant(v) {
                None => {
                    errs.push(FieldError::new(name, "err-backup-time"));
                    None
                }
                Some(t) if t > now + 10 * 60_000_000 => {
                    errs.push(FieldError::new(name, "err-date-future"));
                    None
                }
                Some(t) => Some(t),
            }
        };
        let started_us = when("started", &self.started, false, &mut errs);
        let aware_us = when("aware", &self.aware, true, &mut errs);
        let ended_us = when("ended", &self.ended, false, &mut errs);
        if let (Some(s), Some(a)) = (started_us, aware_us)
            && a < s
        {
            errs.push(FieldError::new("aware", "err-incident-aware-before-start"));
        }
        if let (Some(s), Some(e)) = (started_us, ended_us)
            && e < s
        {
            errs.push(FieldError::new("ended", "err-backup-order"));
        }
        let mut criteria: Vec<u8> = self.criteria.clone();
        criteria.sort_unstable();
        criteria.dedup();
        if criteria.iter().any(|c| !CRITERIA.contains(c)) {
            errs.push(FieldError::new("criteria", "err-incident-criterion"));
        }
        let level = |name: &'static str, v: &str, errs: &mut Vec<FieldError>| -> Option<DangerLevel> {
            if v.trim().is_empty() {
                return None;
            }
            let l = DangerLevel::parse(v.trim());
            if l.is_none() {
                errs.push(FieldError::new(name, "err-incident-danger"));
            }
            l
        };
        let danger = level("danger", &self.danger, &mut errs);
        let danger_authority = level("danger_authority", &self.danger_authority, &mut errs);
        if self.high_risk_to_people && !self.personal_data {
            errs.push(FieldError::new("high_risk_to_people", "err-incident-high-risk-needs-data"));
        }
        match (aware_us, errs.is_empty()) {
            (Some(aware_us), true) => Ok(IncidentFields {
                title,
                description,
                started_us,
                aware_us,
                ended_us,
                criteria,
                near_miss: self.near_miss,
                crime_suspected: self.crime_suspected,
                danger,
                danger_authority,
                indicators,
                affected_services,
                personal_data: self.personal_data,
                high_risk_to_people: self.high_risk_to_people,
                services_affected: self.services_affected,
                cross_border: self.cross_border,
                measures,
            }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// A recorded incident with its reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Incident {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub started_us: Option<Micros>,
    pub aware_us: Micros,
    pub ended_us: Option<Micros>,
    pub criteria: Vec<u8>,
    pub near_miss: bool,
    pub crime_suspected: bool,
    pub danger: Option<DangerLevel>,
    pub danger_authority: Option<DangerLevel>,
    pub indicators: String,
    pub affected_services: String,
    pub personal_data: bool,
    pub high_risk_to_people: bool,
    pub services_affected: bool,
    pub cross_border: bool,
    pub measures: String,
    pub recorded_by: String,
    pub created_us: Micros,
    pub asset_ids: Vec<i64>,
    pub reports: Vec<SentReport>,
}

impl Incident {
    /// The level that counts: the authority's when it set one (ZIB čl. 16), else the office's.
    pub fn level(&self) -> Option<DangerLevel> {
        self.danger_authority.or(self.danger)
    }

    pub fn facts(&self) -> Facts {
        Facts {
            started_us: self.started_us,
            aware_us: self.aware_us,
            ended_us: self.ended_us,
            reportable: !self.criteria.is_empty(),
            danger: self.level(),
            personal_data: self.personal_data,
            high_risk_to_people: self.high_risk_to_people,
            crime_suspected: self.crime_suspected,
            services_affected: self.services_affected,
            sent: self.reports.iter().map(|r| (r.kind, r.sent_us)).collect(),
        }
    }
}

/// A report as it was sent: to whom, when, the reference it got, and what it said (frozen).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentReport {
    pub id: i64,
    pub kind: ReportKind,
    pub sent_us: Micros,
    pub recipient: String,
    pub reference: String,
    /// The incident as it stood when the report was sent (JSON).
    pub snapshot: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SentInput {
    #[serde(default)]
    pub kind: String,
    /// When it was sent; empty: now.
    #[serde(default)]
    pub sent: String,
    #[serde(default)]
    pub recipient: String,
    /// The number the recipient's system gave it, or the letter's number.
    #[serde(default)]
    pub reference: String,
}

impl SentInput {
    pub fn validate(&self, now: Micros) -> Result<(ReportKind, Micros, String, String)> {
        let mut errs = vec![];
        let kind = ReportKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-required"));
        }
        let sent = if self.sent.trim().is_empty() { Some(now) } else { crate::backup::parse_instant(&self.sent) };
        match sent {
            None => errs.push(FieldError::new("sent", "err-backup-time")),
            Some(t) if t > now + 10 * 60_000_000 => errs.push(FieldError::new("sent", "err-date-future")),
            Some(_) => {}
        }
        let recipient = self.recipient.trim().to_string();
        if recipient.is_empty() {
            errs.push(FieldError::new("recipient", "err-required"));
        } else if recipient.chars().count() > 300 {
            errs.push(FieldError::new("recipient", "err-too-long"));
        }
        let reference = self.reference.trim().to_string();
        if reference.chars().count() > 200 {
            errs.push(FieldError::new("reference", "err-too-long"));
        }
        match (kind, sent, errs.is_empty()) {
            (Some(k), Some(t), true) => Ok((k, t, recipient, reference)),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// ZIB čl. 25: the year's figures (incidents and near-misses, by level), from the register.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Statistics {
    pub year: i16,
    pub incidents: i64,
    pub near_misses: i64,
    pub reportable: i64,
    pub personal_data: i64,
    /// (level, count), the levels in order, then unclassified.
    pub by_level: Vec<(String, i64)>,
    pub due_us: Option<Micros>,
}

pub fn statistics(year: i16, list: &[Incident]) -> Statistics {
    let of_year: Vec<&Incident> = list.iter().filter(|i| crate::clock::local_date(i.aware_us).is_some_and(|d| d.year() == year)).collect();
    let mut by_level: Vec<(String, i64)> = DangerLevel::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), of_year.iter().filter(|i| i.level() == Some(*l)).count() as i64))
        .collect();
    by_level.push(("unclassified".into(), of_year.iter().filter(|i| i.level().is_none()).count() as i64));
    Statistics {
        year,
        incidents: of_year.iter().filter(|i| !i.near_miss).count() as i64,
        near_misses: of_year.iter().filter(|i| i.near_miss).count() as i64,
        reportable: of_year.iter().filter(|i| !i.criteria.is_empty()).count() as i64,
        personal_data: of_year.iter().filter(|i| i.personal_data).count() as i64,
        by_level,
        due_us: statistics_due(year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn t(y: i16, m: i8, d: i8, h: i8, min: i8) -> Micros {
        date(y, m, d).at(h, min, 0, 0).in_tz(BELGRADE).unwrap().timestamp().as_microsecond()
    }

    fn facts(aware: Micros) -> Facts {
        Facts { aware_us: aware, reportable: true, danger: Some(DangerLevel::Medium), ..Default::default() }
    }

    fn due(list: &[Deadline], k: ReportKind) -> Option<Micros> {
        list.iter().find(|d| d.kind == k).and_then(|d| d.due_us)
    }

    #[test]
    fn zib_13_the_initial_report_within_24_hours_of_becoming_aware() {
        let aware = t(2026, 11, 30, 9, 15);
        let l = deadlines(&facts(aware), aware);
        assert_eq!(due(&l, ReportKind::Initial), Some(t(2026, 12, 1, 9, 15)));
        assert!(!l[0].late);
        let late = deadlines(&facts(aware), t(2026, 12, 1, 9, 16));
        assert!(late.iter().find(|d| d.kind == ReportKind::Initial).unwrap().late);
        // Not reportable (no criterion, no serious near-miss): no report to the authority.
        let quiet = Facts { reportable: false, ..facts(aware) };
        assert!(deadlines(&quiet, aware).is_empty());
    }

    #[test]
    fn hours_are_exact_across_daylight_saving_changes() {
        // Summer time starts in Belgrade on 29 March 2026 at 02:00: 24 hours after 28 March 10:00
        // is 29 March 11:00 on the wall clock.
        let aware = t(2026, 3, 28, 10, 0);
        assert_eq!(due(&deadlines(&facts(aware), aware), ReportKind::Initial), Some(t(2026, 3, 29, 11, 0)));
        // It ends on 25 October 2026 at 03:00: 24 hours after 24 October 10:00 is 09:00 on the 25th.
        let aware = t(2026, 10, 24, 10, 0);
        assert_eq!(due(&deadlines(&facts(aware), aware), ReportKind::Initial), Some(t(2026, 10, 25, 9, 0)));
        // Days are calendar days: 15 days from the day it ended, to midnight, DST or not.
        assert_eq!(days_after(t(2026, 3, 20, 23, 30), 15), Some(t(2026, 4, 5, 0, 0)));
    }

    #[test]
    fn zib_24_interim_reports_while_it_lasts_and_the_final_one() {
        let aware = t(2026, 11, 30, 9, 0);
        let mut f = facts(aware);
        // Medium: every three days from the last report.
        f.sent.push((ReportKind::Initial, t(2026, 11, 30, 16, 0)));
        assert_eq!(due(&deadlines(&f, aware), ReportKind::Interim), Some(t(2026, 12, 3, 16, 0)));
        f.danger = Some(DangerLevel::High);
        assert_eq!(due(&deadlines(&f, aware), ReportKind::Interim), Some(t(2026, 12, 1, 16, 0)));
        f.sent.push((ReportKind::Interim, t(2026, 12, 1, 15, 0)));
        assert_eq!(due(&deadlines(&f, aware), ReportKind::Interim), Some(t(2026, 12, 2, 15, 0)));
        // Low: no interim reports.
        f.danger = Some(DangerLevel::Low);
        assert_eq!(due(&deadlines(&f, aware), ReportKind::Interim), None);
        // Ended on 5 December at 10:00: no more interim reports; the final one by the end of the 20th.
        f.danger = Some(DangerLevel::High);
        f.ended_us = Some(t(2026, 12, 5, 10, 0));
        let l = deadlines(&f, aware);
        assert_eq!(due(&l, ReportKind::Interim), None);
        assert_eq!(due(&l, ReportKind::Final), Some(t(2026, 12, 21, 0, 0)));
    }

    #[test]
    fn zzpl_52_53_personal_data_and_r56_notices() {
        let aware = t(2026, 11, 30, 9, 0);
        let f = Facts { personal_data: true, high_risk_to_people: true, crime_suspected: true, ..facts(aware) };
        let l = deadlines(&f, aware);
        assert_eq!(due(&l, ReportKind::Commissioner), Some(t(2026, 12, 3, 9, 0)));
        for k in [ReportKind::DataSubjects, ReportKind::CityCouncil, ReportKind::Prosecutor] {
            let d = l.iter().find(|d| d.kind == k).unwrap_or_else(|| panic!("{k:?}"));
            assert_eq!(d.due_us, None, "without delay");
        }
        // A personal-data breach that is not reportable under ZIB still goes to the Commissioner.
        let only_data = Facts { reportable: false, personal_data: true, ..facts(aware) };
        let l = deadlines(&only_data, aware);
        assert_eq!(l.iter().map(|d| d.kind).collect::<Vec<_>>(), vec![ReportKind::Commissioner]);
        // Sorted by due time; the next open one.
        let mut f = f;
        f.sent.push((ReportKind::Initial, aware + HOUR_US));
        let l = deadlines(&f, aware);
        assert_eq!(next_open(&l).map(|d| d.kind), Some(ReportKind::Commissioner), "72 h from awareness comes before 72 h from the report");
    }

    #[test]
    fn zib_25_statistics_by_28_february() {
        assert_eq!(statistics_due(2026), Some(t(2027, 3, 1, 0, 0)));
    }

    #[test]
    fn incident_input_rules() {
        let now = t(2026, 11, 30, 12, 0);
        let i = IncidentInput {
            title: "Ransomware на ST 12".into(),
            description: "Шифровани фајлови на дељеном диску".into(),
            started: "30.11.2026. 08:40".into(),
            aware: "30.11.2026. 09:15".into(),
            criteria: vec![1, 5, 5],
            danger: "high".into(),
            personal_data: true,
            ..Default::default()
        };
        let f = i.validate(now).unwrap();
        assert_eq!(f.criteria, vec![1, 5]);
        assert!(f.reportable());
        assert!(IncidentInput { aware: "30.11.2026. 08:00".into(), ..i.clone() }.validate(now).is_err(), "aware before it started");
        assert!(IncidentInput { criteria: vec![8], ..i.clone() }.validate(now).is_err());
        assert!(IncidentInput { danger: "extreme".into(), ..i.clone() }.validate(now).is_err());
        assert!(IncidentInput { aware: String::new(), ..i.clone() }.validate(now).is_err(), "the clock needs its start");
        assert!(IncidentInput { personal_data: false, high_risk_to_people: true, ..i }.validate(now).is_err());
    }
}
