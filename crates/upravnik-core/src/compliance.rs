//! The yearly compliance check (ZIB 91/2025 čl. 7 t. 5, čl. 12 st. 5): the operator checks, at
//! least once a year, by itself or with outside experts, that the measures it applies agree with
//! its security act, and writes a report: a result and a finding per measure, corrective actions
//! with owners and due dates. Also the acts the law asks to be reviewed yearly — the risk
//! assessment (čl. 11 st. 3) and the security act (čl. 12) — with their next review date.

use jiff::civil::Date;

use crate::asset::string_enum;
use crate::measures::{Law, catalogue};
use crate::{Error, FieldError, Result};

string_enum!(
    /// Who carried the check out (čl. 12 st. 5: "samostalno ili uz angažovanje spoljnih eksperata").
    CheckKind {
        SelfCheck = "self",
        External = "external",
    }
);

string_enum!(
    /// What the check found for one measure.
    FindingResult {
        Compliant = "compliant",
        Partial = "partial",
        NonCompliant = "noncompliant",
        NotApplicable = "not_applicable",
    }
);

impl FindingResult {
    /// A finding that asks for a corrective action before the report is closed.
    pub fn needs_action(self) -> bool {
        matches!(self, FindingResult::Partial | FindingResult::NonCompliant)
    }
}

string_enum!(
    ActionState {
        Open = "open",
        Done = "done",
    }
);

string_enum!(
    /// The acts the law asks to be kept current.
    ActKind {
        /// Akt o proceni rizika (čl. 11): revised at least once a year.
        RiskAssessment = "risk_assessment",
        /// Akt o bezbednosti IKT sistema (čl. 12): kept in line with changes; checked yearly.
        SecurityAct = "security_act",
    }
);

/// One measure's result in a check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub no: i64,
    pub result: FindingResult,
    pub finding: String,
}

/// A corrective action decided in a check, followed until done.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CorrectiveAction {
    pub id: i64,
    pub check_id: i64,
    /// The measure it corrects, if one.
    pub no: Option<i64>,
    pub action: String,
    pub owner: String,
    /// ISO date.
    pub due_on: String,
    pub state: ActionState,
    pub done_on: Option<String>,
    pub done_note: String,
}

impl CorrectiveAction {
    pub fn overdue(&self, today: Date) -> bool {
        self.state == ActionState::Open && self.due_on.parse::<Date>().is_ok_and(|d| d < today)
    }
}

/// A compliance check with its findings and actions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub id: i64,
    pub year: i16,
    pub kind: CheckKind,
    pub law: Law,
    /// The people (or the firm) who checked.
    pub checked_by: String,
    /// ISO dates.
    pub started_on: String,
    pub completed_on: Option<String>,
    pub conclusion: String,
    pub recorded_by: String,
    pub findings: Vec<Finding>,
    pub actions: Vec<CorrectiveAction>,
}

impl Check {
    /// A completed check is the report as written: its findings no longer change.
    pub fn completed(&self) -> bool {
        self.completed_on.is_some()
    }

    pub fn finding(&self, no: i64) -> Option<&Finding> {
        self.findings.iter().find(|f| f.no == no)
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CheckInput {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub law: String,
    #[serde(default)]
    pub checked_by: String,
    #[serde(default)]
    pub started_on: String,
}

fn text(name: &'static str, v: &str, max: usize, required: bool, errs: &mut Vec<FieldError>) -> String {
    let v = v.trim().to_string();
    if required && v.is_empty() {
        errs.push(FieldError::new(name, "err-required"));
    } else if v.chars().count() > max {
        errs.push(FieldError::new(name, "err-too-long"));
    }
    v
}

/// A date typed as `30.11.2026` or `2026-11-30`, not after today.
fn past_date(name: &'static str, v: &str, today: Date, errs: &mut Vec<FieldError>) -> Option<Date> {
    match crate::clock::parse_date(v) {
        Some(d) if d <= today => Some(d),
        Some(_) => {
            errs.push(FieldError::new(name, "err-date-future"));
            None
        }
        None => {
            errs.push(FieldError::new(name, "err-date"));
            None
        }
    }
}

impl CheckInput {
    /// The year checked is a past or the current year, back to the rulebook's first (2017).
    pub fn validate(&self, today: Date) -> Result<Check> {
        let mut errs = vec![];
        let year = match self.year.trim().parse::<i16>() {
            Ok(y) if (2017..=today.year()).contains(&y) => y,
            _ => {
                errs.push(FieldError::new("year", "err-check-year"));
                0
            }
        };
        let kind = CheckKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-required"));
        }
        let law = if self.law.trim().is_empty() { Some(Law::Zib2025) } else { Law::parse(self.law.trim()) };
        if law.is_none() {
            errs.push(FieldError::new("law", "err-required"));
        }
        let checked_by = text("checked_by", &self.checked_by, 500, true, &mut errs);
        let started = past_date("started_on", &self.started_on, today, &mut errs);
        match (kind, law, started, errs.is_empty()) {
            (Some(kind), Some(law), Some(started), true) => Ok(Check {
                id: 0,
                year,
                kind,
                law,
                checked_by,
                started_on: started.to_string(),
                completed_on: None,
                conclusion: String::new(),
                recorded_by: String::new(),
                findings: vec![],
                actions: vec![],
            }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// One measure's result as typed (a blank result leaves the measure unchecked for now).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FindingInput {
    pub no: i64,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub finding: String,
}

/// Field names of a finding on the page: `result-<no>`, `finding-<no>`.
pub fn finding_fields(no: i64) -> (String, String) {
    (format!("result-{no}"), format!("finding-{no}"))
}

/// What is wrong with each typed finding, by measure number (the page marks the rows).
pub fn finding_problems(input: &[FindingInput]) -> Vec<(i64, &'static str)> {
    let mut out = vec![];
    for f in input {
        let finding = f.finding.trim();
        match FindingResult::parse(f.result.trim()) {
            None if f.result.trim().is_empty() && finding.is_empty() => {}
            None => out.push((f.no, "err-finding-result")),
            Some(_) if finding.chars().count() > 4000 => out.push((f.no, "err-too-long")),
            Some(r) if (r.needs_action() || r == FindingResult::NotApplicable) && finding.is_empty() => {
                out.push((f.no, "err-finding-reason"))
            }
            Some(_) => {}
        }
    }
    out
}

/// The findings of a set: each measure once and of the set; a partial, failed or inapplicable
/// one says why. A blank result leaves the measure unchecked for now.
pub fn validate_findings(law: Law, input: &[FindingInput]) -> Result<Vec<Finding>> {
    for (i, f) in input.iter().enumerate() {
        if !catalogue(law).iter().any(|m| m.no == f.no) || input[..i].iter().any(|o| o.no == f.no) {
            return Err(Error::invalid("findings", "err-finding-measure"));
        }
    }
    let problems = finding_problems(input);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems.iter().map(|(_, m)| FieldError::new("findings", m)).collect()));
    }
    Ok(input
        .iter()
        .filter_map(|f| {
            FindingResult::parse(f.result.trim()).map(|result| Finding { no: f.no, result, finding: f.finding.trim().to_string() })
        })
        .collect())
}

/// What still stands between a check and its report: measures without a result, and partial or
/// failed ones without a corrective action (the report names how each gap is closed).
pub fn completion_gaps(check: &Check) -> (Vec<i64>, Vec<i64>) {
    let unchecked = catalogue(check.law).iter().filter(|m| check.finding(m.no).is_none()).map(|m| m.no).collect();
    let without_action = check
        .findings
        .iter()
        .filter(|f| f.result.needs_action() && !check.actions.iter().any(|a| a.no == Some(f.no)))
        .map(|f| f.no)
        .collect();
    (unchecked, without_action)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CompleteInput {
    #[serde(default)]
    pub completed_on: String,
    #[serde(default)]
    pub conclusion: String,
}

impl CompleteInput {
    pub fn validate(&self, check: &Check, today: Date) -> Result<(Date, String)> {
        let mut errs = vec![];
        let conclusion = text("conclusion", &self.conclusion, 8000, true, &mut errs);
        let done = past_date("completed_on", &self.completed_on, today, &mut errs);
        if let Some(d) = done
            && check.started_on.parse::<Date>().is_ok_and(|s| d < s)
        {
            errs.push(FieldError::new("completed_on", "err-check-before-start"));
        }
        let (unchecked, without_action) = completion_gaps(check);
        if !unchecked.is_empty() {
            errs.push(FieldError::new("findings", "err-check-unchecked"));
        }
        if !without_action.is_empty() {
            errs.push(FieldError::new("actions", "err-check-actions-missing"));
        }
        match (done, errs.is_empty()) {
            (Some(d), true) => Ok((d, conclusion)),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActionInput {
    #[serde(default)]
    pub no: Option<i64>,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due_on: String,
}

impl ActionInput {
    /// The due date may lie anywhere after the check started (an action may be late already).
    pub fn validate(&self, check: &Check) -> Result<CorrectiveAction> {
        let mut errs = vec![];
        if let Some(no) = self.no
            && !catalogue(check.law).iter().any(|m| m.no == no)
        {
            errs.push(FieldError::new("no", "err-finding-measure"));
        }
        let action = text("action", &self.action, 2000, true, &mut errs);
        let owner = text("owner", &self.owner, 300, true, &mut errs);
        let due = crate::clock::parse_date(&self.due_on);
        match due {
            None => errs.push(FieldError::new("due_on", "err-date")),
            Some(d) if check.started_on.parse::<Date>().is_ok_and(|s| d < s) => {
                errs.push(FieldError::new("due_on", "err-check-before-start"))
            }
            Some(_) => {}
        }
        match (due, errs.is_empty()) {
            (Some(d), true) => Ok(CorrectiveAction {
                id: 0,
                check_id: check.id,
                no: self.no,
                action,
                owner,
                due_on: d.to_string(),
                state: ActionState::Open,
                done_on: None,
                done_note: String::new(),
            }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// One year after `d`; 29 February falls to 28 February (the law counts years, not days).
pub fn one_year_after(d: Date) -> Date {
    d.checked_add(jiff::Span::new().years(1)).unwrap_or(d)
}

/// When the next check is due: a year after the last completed one; `None` when none was ever
/// completed (then one is due now).
pub fn next_check_due(checks: &[Check]) -> Option<Date> {
    checks.iter().filter_map(|c| c.completed_on.as_deref()?.parse::<Date>().ok()).max().map(one_year_after)
}

/// An act as adopted or reviewed: each review is a new row, the history stays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SecurityAct {
    pub id: i64,
    pub kind: ActKind,
    pub number: String,
    /// ISO date of adoption or of the review.
    pub act_date: String,
    pub note: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub act_date: String,
    #[serde(default)]
    pub note: String,
}

impl ActInput {
    pub fn validate(&self, today: Date) -> Result<SecurityAct> {
        let mut errs = vec![];
        let kind = ActKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-required"));
        }
        let number = text("number", &self.number, 100, true, &mut errs);
        let date = past_date("act_date", &self.act_date, today, &mut errs);
        let note = text("note", &self.note, 2000, false, &mut errs);
        match (kind, date, errs.is_empty()) {
            (Some(kind), Some(d), true) => {
                Ok(SecurityAct { id: 0, kind, number, act_date: d.to_string(), note, recorded_by: String::new() })
            }
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// The next review of an act of a kind: a year after its latest adoption or review.
pub fn act_review_due(acts: &[SecurityAct], kind: ActKind) -> Option<Date> {
    acts.iter().filter(|a| a.kind == kind).filter_map(|a| a.act_date.parse::<Date>().ok()).max().map(one_year_after)
}

/// A duty for the home page: due within `days` of today, overdue, or never done (`None`).
pub fn due_soon(due: Option<Date>, today: Date, days: i32) -> bool {
    due.is_none_or(|d| d <= today.checked_add(jiff::Span::new().days(days)).unwrap_or(today))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn check(completed: Option<&str>) -> Check {
        CheckInput {
            year: "2025".into(),
            kind: "self".into(),
            law: String::new(),
            checked_by: "Милан Стојановић, Бојан Живковић".into(),
            started_on: "01.12.2025".into(),
        }
        .validate(date(2026, 11, 30))
        .map(|c| Check { completed_on: completed.map(String::from), ..c })
        .unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn zib_cl12_a_check_is_due_a_year_after_the_last_one_and_29_february_falls_to_28() {
        assert_eq!(next_check_due(&[]), None, "never checked: due now");
        assert_eq!(next_check_due(&[check(None)]), None, "an open check is not a report");
        let done = [check(Some("2025-12-15")), check(Some("2024-12-10")), check(None)];
        assert_eq!(next_check_due(&done), Some(date(2026, 12, 15)));
        assert_eq!(one_year_after(date(2028, 2, 29)), date(2029, 2, 28));
        let today = date(2026, 11, 30);
        assert!(due_soon(None, today, 30));
        assert!(due_soon(Some(date(2026, 12, 15)), today, 30) && !due_soon(Some(date(2027, 1, 15)), today, 30));
        assert!(due_soon(Some(date(2026, 11, 1)), today, 30), "overdue");
    }

    #[test]
    fn zib_cl11_the_risk_assessment_is_reviewed_yearly_from_its_latest_review() {
        let act = |kind: &str, d: &str| {
            ActInput { kind: kind.into(), number: "404-1/2025".into(), act_date: d.into(), note: String::new() }
                .validate(date(2026, 11, 30))
                .unwrap_or_else(|e| panic!("{e:?}"))
        };
        let acts = [act("risk_assessment", "10.03.2025"), act("risk_assessment", "12.03.2026"), act("security_act", "01.02.2024")];
        assert_eq!(act_review_due(&acts, ActKind::RiskAssessment), Some(date(2027, 3, 12)));
        assert_eq!(act_review_due(&acts, ActKind::SecurityAct), Some(date(2025, 2, 1)));
        assert_eq!(act_review_due(&acts[2..], ActKind::RiskAssessment), None);
        let future = ActInput { kind: "security_act".into(), number: "1".into(), act_date: "01.01.2027".into(), note: String::new() };
        assert!(matches!(future.validate(date(2026, 11, 30)), Err(Error::Invalid(e)) if e[0].message == "err-date-future"));
    }

    #[test]
    fn a_check_names_its_year_and_who_checked() {
        let today = date(2026, 11, 30);
        let bad = CheckInput { year: "2027".into(), kind: "audit".into(), checked_by: " ".into(), ..Default::default() };
        let Err(Error::Invalid(errs)) = bad.validate(today) else { panic!("invalid") };
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["year", "kind", "checked_by", "started_on"]);
        assert_eq!(check(None).law, Law::Zib2025, "the law in force by default");
    }

    #[test]
    fn findings_need_a_reason_where_a_measure_falls_short_and_completion_needs_every_measure_and_actions() {
        let mut c = check(None);
        let f = |no: i64, result: &str, finding: &str| FindingInput { no, result: result.into(), finding: finding.into() };
        assert!(matches!(validate_findings(Law::Zib2025, &[f(38, "compliant", "")]), Err(Error::Invalid(_))), "no measure 38");
        assert!(validate_findings(Law::Zib2025, &[f(1, "compliant", ""), f(1, "partial", "x")]).is_err(), "twice");
        let typed = [f(3, "noncompliant", " "), f(4, "", "без резултата"), f(5, "", "")];
        assert!(matches!(validate_findings(Law::Zib2025, &typed), Err(Error::Invalid(e)) if e.len() == 2));
        assert_eq!(finding_problems(&typed), [(3, "err-finding-reason"), (4, "err-finding-result")]);
        let mut all: Vec<FindingInput> = catalogue(Law::Zib2025).iter().map(|m| f(m.no, "compliant", "")).collect();
        all[6] = f(7, "partial", "Процедура за лозинке није усвојена");
        all.pop();
        c.findings = validate_findings(Law::Zib2025, &all).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(completion_gaps(&c), (vec![37], vec![7]));
        let today = date(2026, 11, 30);
        let done =
            CompleteInput { completed_on: "15.12.2025".into(), conclusion: "Мере су углавном усклађене".into() };
        assert!(matches!(done.validate(&c, today), Err(Error::Invalid(e)) if e.len() == 2));
        all.push(f(37, "not_applicable", "Нема система са вишефакторском потребом"));
        c.findings = validate_findings(Law::Zib2025, &all).unwrap_or_else(|e| panic!("{e:?}"));
        let act =
            ActionInput {
                no: Some(7), action: "Усвојити процедуру".into(), owner: "Бојан Живковић".into(), due_on: "01.03.2026".into()
            };
        c.actions.push(act.validate(&c).unwrap_or_else(|e| panic!("{e:?}")));
        assert_eq!(done.validate(&c, today).map(|(d, _)| d).ok(), Some(date(2025, 12, 15)));
        let early = CompleteInput { completed_on: "30.11.2025".into(), ..done.clone() };
        assert!(matches!(early.validate(&c, today), Err(Error::Invalid(e)) if e[0].message == "err-check-before-start"));
        assert!(c.actions[0].overdue(today) && !c.actions[0].overdue(date(2026, 2, 1)));
        let early_action = ActionInput { due_on: "01.11.2025".into(), ..act };
        assert!(early_action.validate(&c).is_err());
    }
}
