//! Requests to open, change or close a user account (Zahtev za otvaranje / izmenu korisničkog
//! naloga, R.19, Prilog 2).
//!
//! The head of the employee's unit fills and signs the first part: which applications and roles,
//! internet access. An administrator carries it out and fills the second part: the username
//! (R.18), what was set up, and the software on the employee's workstation (R.29); the head gets
//! a copy (R.19). A new request is made on every change of workplace (R.19). When a person leaves,
//! the close request cannot be finished while they still hold equipment or an access that has
//! not been taken away (the law's measure on change or end of employment).

use crate::clock::Micros;
use crate::{Error, FieldError, Result};

/// Number prefix: "захтев за кориснички налог".
pub const NUMBER_PREFIX: &str = "ЗКН";
pub const ITEMS_MAX: usize = 50;
pub const NOTE_MAX: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A new employee.
    Open,
    /// A new workplace or other roles (R.19: a new request on every change of workplace).
    Change,
    /// The employee leaves.
    Close,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [RequestKind::Open, RequestKind::Change, RequestKind::Close];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Open => "open",
            RequestKind::Change => "change",
            RequestKind::Close => "close",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// For the work log.
    pub fn log_name(self) -> &'static str {
        match self {
            RequestKind::Open => "отварање",
            RequestKind::Change => "измену",
            RequestKind::Close => "затварање",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Filled and signed by the head; waiting for an administrator.
    Submitted,
    /// Carried out by an administrator.
    Done,
    /// Refused or withdrawn, with the reason.
    Rejected,
}

impl RequestState {
    pub const ALL: [RequestState; 3] = [RequestState::Submitted, RequestState::Done, RequestState::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Submitted => "submitted",
            RequestState::Done => "done",
            RequestState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One application and role asked for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestItem {
    pub application_id: i64,
    pub application_name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountRequest {
    pub id: i64,
    pub number: String,
    pub kind: RequestKind,
    pub state: RequestState,
    pub person_id: i64,
    pub person_name: String,
    pub unit_name: String,
    pub workplace_name: String,
    pub items: Vec<RequestItem>,
    pub internet: bool,
    /// Social networks for the workplace (R.32), with the head of administration's approval.
    pub social: bool,
    pub social_approved_by: Option<String>,
    pub social_approved_us: Option<Micros>,
    pub note: String,
    pub requested_by: String,
    pub requested_us: Micros,
    pub done_by: Option<String>,
    pub done_us: Option<Micros>,
    pub username: Option<String>,
    pub setup_note: String,
    /// The software on the employee's workstation when the request was carried out (R.29).
    pub software: String,
    pub rejected_reason: String,
}

/// An access a person holds: an application and role granted by a carried-out request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    pub id: i64,
    pub application_id: i64,
    pub application_name: String,
    pub role: String,
    pub granted_us: Micros,
    pub request_number: String,
}

/// A request as typed by the head of unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct RequestInput {
    pub person_id: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub items: Vec<ItemInput>,
    #[serde(default)]
    pub internet: bool,
    /// Social networks too (R.32): only with internet access, and approved by the head of
    /// administration before the request is carried out.
    #[serde(default)]
    pub social: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ItemInput {
    pub application_id: i64,
    #[serde(default)]
    pub role: String,
}

/// What the administrator records when carrying a request out.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct CarryOutInput {
    /// The username in the office's systems (R.18); not for a close request.
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub setup_note: String,
    /// For a close request: the accesses (grant ids) confirmed taken away.
    #[serde(default)]
    pub removed: Vec<i64>,
    /// When the directory manages accounts: the initial password of the account opened there,
    /// which the administrator hands over (R.18). Never stored or logged.
    #[serde(default, skip_serializing)]
    pub initial_password: String,
}

impl std::fmt::Debug for CarryOutInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CarryOutInput")
            .field("username", &self.username)
            .field("setup_note", &self.setup_note)
            .field("removed", &self.removed)
            .field("initial_password", &"***")
            .finish()
    }
}

/// A validated request: the kind, and (application id, role) pairs without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFields {
    pub kind: RequestKind,
    pub items: Vec<(i64, String)>,
    pub internet: bool,
    pub social: bool,
    pub note: String,
}

impl RequestInput {
    pub fn validate(&self) -> Result<RequestFields> {
        let mut errs = vec![];
        let kind = RequestKind::parse(self.kind.trim()).unwrap_or_else(|| {
            errs.push(FieldError::new("kind", "err-request-kind"));
            RequestKind::Open
        });
        let mut items: Vec<(i64, String)> = vec![];
        for i in &self.items {
            let role = i.role.trim().to_string();
            if role.is_empty() || items.iter().any(|(a, r)| *a == i.application_id && *r == role) {
                continue;
            }
            items.push((i.application_id, role));
        }
        if items.len() > ITEMS_MAX {
            errs.push(FieldError::new("items", "err-too-long"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        match kind {
            // Leaving takes everything away: nothing is asked for.
            RequestKind::Close if !items.is_empty() || self.internet || self.social => {
                errs.push(FieldError::new("items", "err-request-close-items"))
            }
            RequestKind::Open | RequestKind::Change if items.is_empty() && !self.internet => {
                errs.push(FieldError::new("items", "err-request-empty"))
            }
            _ => {}
        }
        if self.social && !self.internet {
            errs.push(FieldError::new("social", "err-request-social-internet"));
        }
        if errs.is_empty() {
            Ok(RequestFields { kind, items, internet: self.internet, social: self.social, note })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

/// R.18: letters and digits, lower case, agreed with the user; starts with a letter.
pub fn check_username(u: &str) -> Result<String> {
    let u = u.trim();
    let ok = (2..=32).contains(&u.len())
        && u.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && u.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok { Ok(u.to_string()) } else { Err(Error::invalid("username", "err-request-username")) }
}

/// A suggestion for the username: the first letter of the given name and the family name, in
/// the ASCII the rule allows (Јелена Петровић → jpetrovic).
pub fn suggest_username(given: &str, family: &str) -> String {
    let key = |s: &str| crate::text::search_key(s).chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>();
    let (g, f) = (key(given), key(family));
    format!("{}{}", g.chars().next().map(String::from).unwrap_or_default(), f)
}

/// What still stands in the way of closing an account: equipment held, and accesses not yet
/// confirmed taken away. Empty when the request may be finished.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Blockers {
    /// (asset id, inventory number) still assigned to the person.
    pub assets: Vec<(i64, String)>,
    /// Grants not in the list of those removed.
    pub accesses: Vec<Grant>,
}

impl Blockers {
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty() && self.accesses.is_empty()
    }
}

/// For a close request: every asset must be returned and every access confirmed removed.
pub fn close_blockers(assets: Vec<(i64, String)>, grants: &[Grant], removed: &[i64]) -> Blockers {
    Blockers { assets, accesses: grants.iter().filter(|g| !removed.contains(&g.id)).cloned().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(id: i64) -> Grant {
        Grant {
            id,
            application_id: 1,
            application_name: "ОПИС".into(),
            role: "писарница".into(),
            granted_us: 0,
            request_number: "ЗКН-2026-0001".into(),
        }
    }

    #[test]
    fn a_request_asks_for_something_and_a_close_asks_for_nothing() {
        let open = RequestInput { person_id: 1, kind: "open".into(), ..Default::default() };
        assert!(matches!(open.validate(), Err(Error::Invalid(e)) if e[0].message == "err-request-empty"));
        let internet = RequestInput { internet: true, ..open.clone() };
        assert_eq!(internet.validate().unwrap().kind, RequestKind::Open);
        let social = RequestInput { social: true, ..open.clone() };
        assert!(matches!(social.validate(), Err(Error::Invalid(e)) if e.iter().any(|e| e.message == "err-request-social-internet")));
        assert!(RequestInput { social: true, ..internet.clone() }.validate().unwrap().social);
        let items = vec![
            ItemInput { application_id: 3, role: " писарница ".into() },
            ItemInput { application_id: 3, role: "писарница".into() },
            ItemInput { application_id: 4, role: "".into() },
        ];
        let f = RequestInput { items: items.clone(), ..open.clone() }.validate().unwrap();
        assert_eq!(f.items, [(3, "писарница".to_string())], "repeats and empty roles dropped");
        let close = RequestInput { kind: "close".into(), items, ..open.clone() };
        assert!(matches!(close.validate(), Err(Error::Invalid(e)) if e[0].message == "err-request-close-items"));
        assert!(RequestInput { kind: "close".into(), ..open.clone() }.validate().is_ok());
        assert!(RequestInput { kind: "delete".into(), ..open }.validate().is_err());
    }

    #[test]
    fn r18_usernames_are_lower_case_letters_and_digits() {
        assert_eq!(check_username(" jpetrovic2 ").unwrap(), "jpetrovic2");
        for bad in ["JPetrovic", "j.petrovic", "2jp", "j", "jovana_p", "јпетровић", &"a".repeat(33)] {
            assert!(check_username(bad).is_err(), "{bad}");
        }
        assert_eq!(suggest_username("Јелена", "Петровић"), "jpetrovic");
        assert_eq!(suggest_username("Đorđe", "Ćirić-Šaš"), "dciricsas");
    }

    #[test]
    fn closing_waits_for_every_asset_and_access() {
        let grants = [grant(1), grant(2)];
        let b = close_blockers(vec![(7, "РС-12".into())], &grants, &[1]);
        assert_eq!((b.assets.len(), b.accesses.iter().map(|g| g.id).collect::<Vec<_>>()), (1, vec![2]));
        assert!(!b.is_empty());
        assert!(close_blockers(vec![], &grants, &[2, 1]).is_empty());
    }
}
