//! The server room's access log (R.6): servers are in a room of their own, which only the
//! administrators, the information-security inspector and the city's responsible officials (the
//! Mayor and the head of the City Administration) may enter. Anyone else — a service technician,
//! a contractor — enters only accompanied by one of them, and the log says by whom.

use crate::asset::string_enum;
use crate::clock::Micros;
use crate::{Error, FieldError, Result};

string_enum!(
    /// Who entered, in the words of R.6.
    VisitorRole {
        Administrator = "administrator",
        Inspector = "inspector",
        Mayor = "mayor",
        HeadOfAdministration = "head_of_administration",
        /// Anyone else: only accompanied.
        Other = "other",
    }
);

impl VisitorRole {
    /// R.6: may enter unaccompanied.
    pub fn may_enter_alone(self) -> bool {
        self != VisitorRole::Other
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Visit {
    pub id: i64,
    pub person: String,
    pub role: VisitorRole,
    pub entered_us: Micros,
    pub left_us: Option<Micros>,
    pub reason: String,
    pub accompanied_by: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct VisitInput {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub role: String,
    /// Belgrade time or RFC 3339; empty: now.
    #[serde(default)]
    pub entered: String,
    #[serde(default)]
    pub left: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub accompanied_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFields {
    pub person: String,
    pub role: VisitorRole,
    pub entered_us: Micros,
    pub left_us: Option<Micros>,
    pub reason: String,
    pub accompanied_by: String,
}

impl VisitInput {
    pub fn validate(&self, now: Micros) -> Result<VisitFields> {
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
        let person = text("person", &self.person, 200, true, &mut errs);
        let reason = text("reason", &self.reason, 2000, true, &mut errs);
        let accompanied_by = text("accompanied_by", &self.accompanied_by, 200, false, &mut errs);
        let role = VisitorRole::parse(self.role.trim());
        match role {
            None => errs.push(FieldError::new("role", "err-required")),
            Some(r) if !r.may_enter_alone() && accompanied_by.is_empty() => {
                errs.push(FieldError::new("accompanied_by", "err-visit-unaccompanied"))
            }
            Some(_) => {}
        }
        let when = |name: &'static str, v: &str, default: Option<Micros>, errs: &mut Vec<FieldError>| -> Option<Micros> {
            if v.trim().is_empty() {
                return default;
            }
            match crate::backup::parse_instant(v) {
                Some(t) if t > now + 10 * 60_000_000 => {
                    errs.push(FieldError::new(name, "err-date-future"));
                    None
                }
                Some(t) => Some(t),
                None => {
                    errs.push(FieldError::new(name, "err-backup-time"));
                    None
                }
            }
        };
        let entered_us = when("entered", &self.entered, Some(now), &mut errs);
        let left_us = when("left", &self.left, None, &mut errs);
        if let (Some(a), Some(b)) = (entered_us, left_us)
            && b < a
        {
            errs.push(FieldError::new("left", "err-backup-order"));
        }
        match (role, entered_us, errs.is_empty()) {
            (Some(role), Some(entered_us), true) => Ok(VisitFields { person, role, entered_us, left_us, reason, accompanied_by }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r6_only_the_listed_roles_enter_alone() {
        let now = 1_795_611_900_000_000;
        let tech =
            VisitInput {
                person: "Сервисер, Комтрејд".into(), role: "other".into(), reason: "Замена диска".into(), ..Default::default()
            };
        assert!(matches!(tech.validate(now), Err(Error::Invalid(e)) if e[0].message == "err-visit-unaccompanied"));
        let with = VisitInput { accompanied_by: "Милан Стојановић".into(), ..tech.clone() };
        assert_eq!(with.validate(now).unwrap().entered_us, now, "empty: now");
        let admin = VisitInput { role: "administrator".into(), accompanied_by: String::new(), ..tech.clone() };
        assert!(admin.validate(now).is_ok());
        let backwards = VisitInput { entered: "25.11.2026. 13:00".into(), left: "25.11.2026. 12:00".into(), ..admin };
        assert!(backwards.validate(now).is_err());
        assert!(VisitInput { role: "janitor".into(), ..with }.validate(now).is_err());
    }
}
