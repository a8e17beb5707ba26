//! The rules of work in the ICT system and the employees' statement that they accept them
//! (Izjava o prihvatanju pravila rada, R.19, Prilog 3).
//!
//! The text is versioned per office; the current version is the newest. Each person accepts
//! each version once: online, signed in, or on paper, which an administrator records with the
//! date written on the signed copy. A new version asks everyone again; a list shows who has
//! not accepted the current one.

use crate::clock::{Micros, parse_date};
use crate::org::Page;
use crate::{Error, FieldError, Result};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 100_000;

/// A version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RulesVersion {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub body: String,
    pub published_by: String,
    pub published_us: Micros,
}

/// How a person accepted a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedBy {
    /// Signed in, by pressing "I accept".
    Online,
    /// A signed paper copy, recorded by an administrator.
    Paper,
}

impl AcceptedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            AcceptedBy::Online => "online",
            AcceptedBy::Paper => "paper",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "online" => Some(AcceptedBy::Online),
            "paper" => Some(AcceptedBy::Paper),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Acceptance {
    pub how: AcceptedBy,
    /// ISO date: the day of the online acceptance, or the date on the paper copy.
    pub signed_on: String,
    pub recorded_by: String,
    pub accepted_us: Micros,
}

/// A person and their acceptance of the version asked about, if any.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AcceptanceRow {
    pub person_id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub workplace_name: Option<String>,
    pub acceptance: Option<Acceptance>,
}

/// Which people a list of acceptances shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptanceQuery {
    pub office_id: i64,
    pub version_id: i64,
    /// Only those who have not accepted it.
    pub missing_only: bool,
    pub unit_id: Option<i64>,
    /// Search key (see [`crate::text::search_key`]) a person's must contain.
    pub q: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// The list and how many of the office's active people have accepted the version.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AcceptanceList {
    pub rows: Page<AcceptanceRow>,
    pub accepted: i64,
    pub people: i64,
}

/// A new version as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct RulesInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

impl RulesInput {
    pub fn validate(&self) -> Result<(String, String)> {
        let mut errs = vec![];
        let title = self.title.trim().to_string();
        let body = self.body.trim().replace("\r\n", "\n");
        if title.is_empty() {
            errs.push(FieldError::new("title", "err-required"));
        } else if title.chars().count() > TITLE_MAX {
            errs.push(FieldError::new("title", "err-too-long"));
        }
        if body.is_empty() {
            errs.push(FieldError::new("body", "err-required"));
        } else if body.len() > BODY_MAX {
            errs.push(FieldError::new("body", "err-too-long"));
        }
        if errs.is_empty() { Ok((title, body)) } else { Err(Error::Invalid(errs)) }
    }
}

/// A signed paper copy an administrator records.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct PaperInput {
    pub person_id: i64,
    /// The date on the copy, `dd.mm.yyyy.` or ISO; today when empty.
    #[serde(default)]
    pub signed_on: String,
}

impl PaperInput {
    /// The ISO date, not in the future (`today` is ISO).
    pub fn signed_on(&self, today: &str) -> Result<String> {
        let t = self.signed_on.trim();
        if t.is_empty() {
            return Ok(today.to_string());
        }
        let d = parse_date(t).ok_or(Error::invalid("signed_on", "err-date"))?;
        let iso = d.to_string();
        if iso.as_str() > today {
            return Err(Error::invalid("signed_on", "err-date-future"));
        }
        Ok(iso)
    }
}

/// The text the office starts from: the duties the rulebook puts on every user.
pub const DEFAULT_TITLE: &str = "Правила рада у ИКТ систему Градске управе";
pub const DEFAULT_BODY: &str = "\
1. Корисник користи рачунарску опрему, програме и налоге само за обављање послова свог радног места.
2. Корисничко име и лозинку чува у тајности; лозинка има најмање 8 знакова, слова и бројеве, и не садржи лично име, презиме ни датум рођења (члан 18).
3. Корисник не инсталира програме; програме инсталира администратор, а нелиценцирани програми се уклањају без упозорења (чл. 29–30).
4. Службене документе чува на мрежном диску, у фолдеру своје организационе јединице, и именује их по правилима (чл. 38–46).
5. Приватне датотеке (музика, филмови, игре) не чува на серверу (чл. 22, 40).
6. Интернет користи за посао; приватни модем је забрањен (чл. 32, 34).
7. Преносиве медије пре употребе проверава антивирусним програмом (члан 62).
8. Квар пријављује Одсеку за ИКТ и не отвара опрему сам (чл. 52–53).
9. Корисник одговара за опрему која му је задужена и за штету насталу кршењем ових правила.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_needs_a_title_and_a_text() {
        let e = RulesInput { title: " ".into(), body: String::new() }.validate().unwrap_err();
        let Error::Invalid(errs) = e else { panic!() };
        assert_eq!(errs.iter().map(|e| e.field).collect::<Vec<_>>(), ["title", "body"]);
        let ok = RulesInput { title: " Правила ".into(), body: "1.\r\n2.".into() }.validate().unwrap();
        assert_eq!(ok, ("Правила".to_string(), "1.\n2.".to_string()));
        let long = RulesInput { title: "П".repeat(TITLE_MAX + 1), body: "x".into() }.validate();
        assert!(long.is_err());
    }

    #[test]
    fn a_paper_copy_is_dated_today_or_earlier() {
        let p = |s: &str| PaperInput { person_id: 1, signed_on: s.into() }.signed_on("2026-11-30");
        assert_eq!(p("").unwrap(), "2026-11-30");
        assert_eq!(p("02.11.2026.").unwrap(), "2026-11-02");
        assert_eq!(p("2026-11-02").unwrap(), "2026-11-02");
        assert!(p("01.12.2026.").is_err(), "not in the future");
        assert!(p("32.11.2026.").is_err());
    }
}
