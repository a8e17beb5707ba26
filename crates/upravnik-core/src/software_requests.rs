//! Software install requests (R.30, R.62.7): only administrators install, on the workplace's
//! request; every install needs the head of administration's approval; the next inventory of the
//! workstation that shows the product confirms the install.

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

pub const TEXT_MAX: usize = 2000;
pub const NAME_MAX: usize = 200;

string_enum!(
    /// Where a request stands.
    RequestState {
        /// Waiting for the head of administration.
        Submitted = "submitted",
        /// Approved; waiting for an administrator to install.
        Approved = "approved",
        Rejected = "rejected",
        /// An administrator installed it; waiting for an inventory to show it.
        Installed = "installed",
        /// An inventory showed the product on the workstation.
        Confirmed = "confirmed",
    }
);

impl RequestState {
    pub fn is_open(self) -> bool {
        matches!(self, RequestState::Submitted | RequestState::Approved | RequestState::Installed)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InstallRequest {
    pub id: i64,
    pub asset_id: i64,
    pub asset: String,
    pub product_id: Option<i64>,
    pub product: String,
    /// What was asked for, in the requester's words.
    pub name: String,
    pub reason: String,
    pub state: RequestState,
    pub requested_by: String,
    pub requested_user_id: i64,
    pub requested_us: i64,
    pub decided_by: Option<String>,
    pub decided_us: Option<i64>,
    pub decision_note: String,
    pub installed_by: Option<String>,
    pub installed_us: Option<i64>,
    pub confirmed_us: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestInput {
    #[serde(default)]
    pub asset_id: Option<i64>,
    /// A catalogue product, when the requester knows it.
    #[serde(default)]
    pub product_id: Option<i64>,
    /// Free text when the product is not in the catalogue (or as well).
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFields {
    pub asset_id: i64,
    pub product_id: Option<i64>,
    pub name: String,
    pub reason: String,
}

impl RequestInput {
    /// `product_name` is the catalogue name of `product_id`, used when no name was typed.
    pub fn validate(&self, product_name: Option<&str>) -> Result<RequestFields> {
        let mut errs = vec![];
        if self.asset_id.is_none() {
            errs.push(FieldError::new("asset_id", "err-required"));
        }
        let mut name = self.name.trim().to_string();
        if name.is_empty() {
            name = product_name.unwrap_or_default().to_string();
        }
        if name.is_empty() {
            errs.push(FieldError::new("name", "err-required"));
        } else if name.chars().count() > NAME_MAX {
            errs.push(FieldError::new("name", "err-too-long"));
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errs.push(FieldError::new("reason", "err-required"));
        } else if reason.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("reason", "err-too-long"));
        }
        match (self.asset_id, errs.is_empty()) {
            (Some(asset_id), true) => Ok(RequestFields { asset_id, product_id: self.product_id, name, reason }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

/// The head of administration's decision.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

impl DecisionInput {
    /// `Ok(true)` approves. A refusal says why.
    pub fn validate(&self) -> Result<(bool, String)> {
        let note = self.note.trim().to_string();
        if note.chars().count() > TEXT_MAX {
            return Err(Error::invalid("note", "err-too-long"));
        }
        match self.decision.trim() {
            "approve" => Ok((true, note)),
            "reject" if note.is_empty() => Err(Error::invalid("note", "err-request-reject-reason")),
            "reject" => Ok((false, note)),
            _ => Err(Error::invalid("decision", "err-required")),
        }
    }
}

/// A state change is allowed only along the path submitted → approved → installed → confirmed
/// (or submitted → rejected).
pub fn check_step(from: RequestState, to: RequestState) -> Result<()> {
    use RequestState::*;
    let ok = matches!((from, to), (Submitted, Approved) | (Submitted, Rejected) | (Approved, Installed) | (Installed, Confirmed));
    if ok { Ok(()) } else { Err(Error::invalid("state", "err-request-state")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_a_workstation_a_program_and_a_reason() {
        let i = RequestInput { asset_id: Some(3), product_id: Some(9), name: String::new(), reason: "Обрада планова".into() };
        let f = i.validate(Some("AutoCAD LT")).unwrap();
        assert_eq!(f.name, "AutoCAD LT");
        assert!(RequestInput { reason: String::new(), ..i.clone() }.validate(Some("x")).is_err());
        assert!(RequestInput { asset_id: None, ..i.clone() }.validate(Some("x")).is_err());
        assert!(RequestInput { product_id: None, ..i }.validate(None).is_err());
    }

    #[test]
    fn r62_7_the_path_of_a_request() {
        use RequestState::*;
        assert!(check_step(Submitted, Approved).is_ok());
        assert!(check_step(Submitted, Installed).is_err(), "no install without approval");
        assert!(check_step(Rejected, Approved).is_err());
        assert!(check_step(Approved, Installed).is_ok() && check_step(Installed, Confirmed).is_ok());
        assert!(Installed.is_open() && !Confirmed.is_open());
    }

    #[test]
    fn a_refusal_gives_a_reason() {
        assert!(DecisionInput { decision: "reject".into(), note: " ".into() }.validate().is_err());
        assert_eq!(DecisionInput { decision: "approve".into(), note: String::new() }.validate().unwrap(), (true, String::new()));
        assert!(DecisionInput { decision: "maybe".into(), note: String::new() }.validate().is_err());
    }
}
