//! The organisation: offices, basic and internal units, workplaces (radna mesta) and people.
//! People exist without an account; an account belongs to a person. Nothing with history is
//! hard-deleted: it is deactivated.

use crate::error::Errors;
use crate::{Error, Result};

/// A local government served by this installation (a city, a city municipality).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Office {
    pub id: i64,
    pub name: String,
}

/// Basic unit (osnovna organizaciona jedinica) when `parent_id` is empty, internal unit
/// (unutrašnja organizaciona jedinica) inside a basic unit otherwise.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unit {
    pub id: i64,
    pub office_id: i64,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub name: String,
    pub code: String,
    pub active: bool,
    pub people: i64,
}

/// Workplace (radno mesto) inside a unit. A workstation belongs to the workplace, not to the
/// person (R.19).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Workplace {
    pub id: i64,
    pub office_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub name: String,
    pub room: String,
    pub active: bool,
}

/// An employee (zaposleni), with or without an account.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub office_id: i64,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<String>,
    pub email: String,
    pub phone: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    pub active: bool,
    pub username: Option<String>,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

fn required(errs: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.is_empty() {
        errs.add(field, "err-required");
    } else if v.chars().count() > max {
        errs.add(field, "err-too-long");
    }
    v.to_string()
}

fn optional(errs: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        errs.add(field, "err-too-long");
    }
    v.to_string()
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UnitInput {
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub code: String,
}

impl UnitInput {
    pub fn validate(mut self) -> Result<Self> {
        let mut e = Errors::default();
        self.name = required(&mut e, "name", &self.name, 200);
        self.code = optional(&mut e, "code", &self.code, 40);
        e.finish()?;
        Ok(self)
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct WorkplaceInput {
    #[serde(default)]
    pub unit_id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub room: String,
}

impl WorkplaceInput {
    pub fn validate(mut self) -> Result<Self> {
        let mut e = Errors::default();
        self.name = required(&mut e, "name", &self.name, 200);
        self.room = optional(&mut e, "room", &self.room, 60);
        if self.unit_id <= 0 {
            e.add("unit_id", "err-required");
        }
        e.finish()?;
        Ok(self)
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PersonInput {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    /// `25.11.1980` or `1980-11-25`; stored as ISO.
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub workplace_id: Option<i64>,
}

impl PersonInput {
    pub fn validate(mut self) -> Result<Self> {
        let mut e = Errors::default();
        self.given_name = required(&mut e, "given_name", &self.given_name, 100);
        self.family_name = required(&mut e, "family_name", &self.family_name, 100);
        self.email = optional(&mut e, "email", &self.email, 200);
        self.phone = optional(&mut e, "phone", &self.phone, 40);
        if !self.email.is_empty() && !valid_email(&self.email) {
            e.add("email", "err-email");
        }
        let bd = self.birth_date.trim();
        self.birth_date = if bd.is_empty() {
            String::new()
        } else {
            match crate::clock::parse_date(bd) {
                Some(d) if d.year() >= 1900 => d.to_string(),
                _ => {
                    e.add("birth_date", "err-date");
                    bd.to_string()
                }
            }
        };
        self.unit_id = self.unit_id.filter(|&u| u > 0);
        self.workplace_id = self.workplace_id.filter(|&w| w > 0);
        e.finish()?;
        Ok(self)
    }

    pub fn birth_date(&self) -> Option<jiff::civil::Date> {
        self.birth_date.parse().ok()
    }
}

fn valid_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(d), None) => {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !s.contains(char::is_whitespace)
        }
        _ => false,
    }
}

/// Sort keys of list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Unit,
    Created,
}

impl SortKey {
    pub fn parse(s: &str) -> SortKey {
        match s {
            "unit" => SortKey::Unit,
            "created" => SortKey::Created,
            _ => SortKey::Name,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Unit => "unit",
            SortKey::Created => "created",
        }
    }
}

/// The active units, workplaces, people and accounts of an office (the home page's counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrgCounts {
    pub units: i64,
    pub workplaces: i64,
    pub people: i64,
    pub accounts: i64,
}

/// What a list page asks for: search, sort, page; scoped to one office.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub office_id: i64,
    pub q: Option<String>,
    pub sort: SortKey,
    pub desc: bool,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub include_inactive: bool,
    /// Restrict to one unit (people, workplaces) or parent unit (units).
    pub unit_id: Option<i64>,
}

impl ListQuery {
    pub fn new(office_id: i64) -> Self {
        Self { office_id, q: None, sort: SortKey::Name, desc: false, page: 1, per_page: 50, include_inactive: false, unit_id: None }
    }
    pub fn offset(&self) -> i64 {
        i64::from(self.page.max(1) - 1) * i64::from(self.per_page)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        u32::try_from((self.total + per - 1) / per).unwrap_or(u32::MAX).max(1)
    }
}

/// Validates the shape of an id taken from outside.
pub fn positive(field: &'static str, id: i64) -> Result<i64> {
    if id > 0 { Ok(id) } else { Err(Error::invalid(field, "err-required")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_needs_names_and_a_real_date() {
        let p = PersonInput { birth_date: "31.02.1980".into(), ..Default::default() };
        let Err(Error::Invalid(errs)) = p.validate() else { panic!("expected invalid") };
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["given_name", "family_name", "birth_date"]);
    }

    #[test]
    fn person_birth_date_is_stored_as_iso() {
        let p = PersonInput {
            given_name: "Јелена".into(),
            family_name: "Јовановић".into(),
            birth_date: "07.03.1980.".into(),
            email: "jelena@grad.rs".into(),
            ..Default::default()
        };
        assert_eq!(p.validate().map(|p| p.birth_date).ok().as_deref(), Some("1980-03-07"));
    }

    #[test]
    fn emails_are_checked() {
        assert!(valid_email("a@b.rs"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@c.rs"));
    }
}
