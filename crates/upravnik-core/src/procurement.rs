//! Procurement proposals (R.21, R.4): when the network must grow or equipment or software must be
//! bought or renewed, the head of the ICT section proposes it (what, why, an estimate) to the head
//! of administration, who approves it by an act (number and date); public procurement follows
//! under its own reference, and the equipment delivered under that reference is linked to the
//! proposal when it is registered (P.5.1).

use jiff::civil::Date;

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

string_enum!(
    ProposalState {
        Proposed = "proposed",
        Approved = "approved",
        Rejected = "rejected",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Proposal {
    pub id: i64,
    pub title: String,
    pub reason: String,
    /// The estimate in para (hundredths of a dinar).
    pub estimate_para: i64,
    pub proposed_by: String,
    pub proposed_us: i64,
    pub state: ProposalState,
    /// The head of administration's act (R.21).
    pub act_number: String,
    pub act_date: Option<String>,
    pub decided_by: Option<String>,
    pub decided_us: Option<i64>,
    pub decision_note: String,
    /// The public procurement's reference; assets registered with it are this proposal's delivery.
    pub procurement_ref: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProposalInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub reason: String,
    /// `1.250.000,00` or `1250000`.
    #[serde(default)]
    pub estimate: String,
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

impl ProposalInput {
    pub fn validate(&self) -> Result<(String, String, i64)> {
        let mut errs = vec![];
        let title = text("title", &self.title, 500, &mut errs);
        let reason = text("reason", &self.reason, 4000, &mut errs);
        let estimate = match crate::asset::parse_price(&self.estimate) {
            Ok(p) if p > 0 => p,
            _ => {
                errs.push(FieldError::new("estimate", "err-price"));
                0
            }
        };
        if errs.is_empty() { Ok((title, reason, estimate)) } else { Err(Error::Invalid(errs)) }
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub act_number: String,
    #[serde(default)]
    pub act_date: String,
    #[serde(default)]
    pub note: String,
}

/// A decision as validated: approved with its act, or rejected with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub state: ProposalState,
    pub act_number: String,
    pub act_date: Option<Date>,
    pub note: String,
}

impl DecisionInput {
    pub fn validate(&self, today: Date) -> Result<Decision> {
        let mut errs = vec![];
        let note = self.note.trim().to_string();
        if note.chars().count() > 2000 {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        let out = match self.decision.trim() {
            "approve" => {
                let act_number = text("act_number", &self.act_number, 100, &mut errs);
                let act_date = match crate::clock::parse_date(&self.act_date) {
                    Some(d) if d <= today => Some(d),
                    Some(_) => {
                        errs.push(FieldError::new("act_date", "err-date-future"));
                        None
                    }
                    None => {
                        errs.push(FieldError::new("act_date", "err-date"));
                        None
                    }
                };
                Decision { state: ProposalState::Approved, act_number, act_date, note }
            }
            "reject" => {
                if note.is_empty() {
                    errs.push(FieldError::new("note", "err-request-reject-reason"));
                }
                Decision { state: ProposalState::Rejected, act_number: String::new(), act_date: None, note }
            }
            _ => {
                errs.push(FieldError::new("decision", "err-required"));
                Decision { state: ProposalState::Proposed, act_number: String::new(), act_date: None, note }
            }
        };
        if errs.is_empty() { Ok(out) } else { Err(Error::Invalid(errs)) }
    }
}

/// The procurement reference as the registry keeps it on assets (trimmed, at most 100 characters).
pub fn validate_reference(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        Err(Error::invalid("procurement_ref", "err-required"))
    } else if s.chars().count() > 100 {
        Err(Error::invalid("procurement_ref", "err-too-long"))
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn r21_a_proposal_says_what_why_and_how_much() {
        let p = ProposalInput {
            title: "Замена 12 радних станица".into(),
            reason: "Истекла гаранција, Windows 10".into(),
            estimate: "1.250.000,00".into(),
        };
        assert_eq!(p.validate().unwrap_or_else(|e| panic!("{e:?}")).2, 125_000_000);
        for estimate in ["", "0", "-5", "dvesta"] {
            let bad = ProposalInput { estimate: estimate.into(), ..p.clone() };
            assert!(matches!(bad.validate(), Err(Error::Invalid(e)) if e[0].field == "estimate"), "{estimate:?}");
        }
    }

    #[test]
    fn r21_the_head_approves_by_an_act_with_number_and_date_or_rejects_with_a_reason() {
        let today = date(2026, 11, 30);
        let approve = DecisionInput {
            decision: "approve".into(),
            act_number: "404-77/2026".into(),
            act_date: "27.11.2026".into(),
            note: String::new(),
        };
        let d = approve.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((d.state, d.act_date), (ProposalState::Approved, Some(date(2026, 11, 27))));
        let no_act = DecisionInput { act_number: " ".into(), act_date: "1.12.2026".into(), ..approve.clone() };
        let Err(Error::Invalid(e)) = no_act.validate(today) else { panic!("invalid") };
        assert_eq!(
            e.iter().map(|e| (e.field, e.message)).collect::<Vec<_>>(),
            [("act_number", "err-required"), ("act_date", "err-date-future")]
        );
        let reject = DecisionInput { decision: "reject".into(), ..Default::default() };
        assert!(matches!(reject.validate(today), Err(Error::Invalid(e)) if e[0].message == "err-request-reject-reason"));
        let reject = DecisionInput { note: "Нема средстава у буџету".into(), ..reject };
        assert_eq!(reject.validate(today).map(|d| d.state).ok(), Some(ProposalState::Rejected));
        assert!(DecisionInput::default().validate(today).is_err());
        assert_eq!(validate_reference("  ЈН 12/2026 ").ok().as_deref(), Some("ЈН 12/2026"));
    }
}
