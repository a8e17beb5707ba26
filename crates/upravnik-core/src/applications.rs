//! The catalogue of the office's applications and their roles (R.17, P.5.1): e-mail, internet,
//! the network shares and their folders (R.39–R.41), the case-management system with a role per
//! clerk position, the accounting modules, the legal database, and any the office adds. Account
//! requests (Prilog 2) ask for roles from here.

use crate::access::{Actor, Permission};
use crate::org::{ListQuery, Page};
use crate::service::{Services, draft};
use crate::text::search_key;
use crate::worklog::{Category, ObjectRef};
use crate::{Error, FieldError, Result};

pub const NAME_MAX: usize = 120;
pub const ROLE_MAX: usize = 100;
pub const ROLES_MAX: usize = 50;
pub const DESCRIPTION_MAX: usize = 2000;

/// What kind of access an application gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppKind {
    Email,
    Internet,
    Share,
    CaseManagement,
    Accounting,
    Legal,
    Other,
}

impl AppKind {
    pub const ALL: [AppKind; 7] =
        [AppKind::Email, AppKind::Internet, AppKind::Share, AppKind::CaseManagement, AppKind::Accounting, AppKind::Legal, AppKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            AppKind::Email => "email",
            AppKind::Internet => "internet",
            AppKind::Share => "share",
            AppKind::CaseManagement => "case_management",
            AppKind::Accounting => "accounting",
            AppKind::Legal => "legal",
            AppKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub name: String,
    pub kind: AppKind,
    pub description: String,
    pub roles: Vec<String>,
    pub active: bool,
    pub created_us: i64,
    pub updated_us: i64,
}

/// An application as typed; `roles` one per line in forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ApplicationInput {
    #[serde(default)]
    pub name: String,
    /// `other` when empty.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A validated application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFields {
    pub name: String,
    pub kind: AppKind,
    pub description: String,
    pub roles: Vec<String>,
}

impl ApplicationFields {
    pub fn search_key(&self) -> String {
        search_key(&format!("{} {} {}", self.name, self.description, self.roles.join(" ")))
    }
}

impl ApplicationInput {
    pub fn validate(&self) -> Result<ApplicationFields> {
        let mut errs = vec![];
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errs.push(FieldError::new("name", "err-required"));
        } else if name.chars().count() > NAME_MAX {
            errs.push(FieldError::new("name", "err-too-long"));
        }
        let kind = match self.kind.trim() {
            "" => AppKind::Other,
            k => AppKind::parse(k).unwrap_or_else(|| {
                errs.push(FieldError::new("kind", "err-app-kind"));
                AppKind::Other
            }),
        };
        let description = self.description.trim().to_string();
        if description.chars().count() > DESCRIPTION_MAX {
            errs.push(FieldError::new("description", "err-too-long"));
        }
        // One role per entry; a pasted block of lines is split; repeats (in any case) dropped.
        let mut roles: Vec<String> = vec![];
        for r in self.roles.iter().flat_map(|r| r.lines()) {
            let r = r.split_whitespace().collect::<Vec<_>>().join(" ");
            if r.is_empty() || roles.iter().any(|x| x.to_lowercase() == r.to_lowercase()) {
                continue;
            }
            if r.chars().count() > ROLE_MAX {
                errs.push(FieldError::new("roles", "err-too-long"));
                break;
            }
            roles.push(r);
        }
        if roles.len() > ROLES_MAX {
            errs.push(FieldError::new("roles", "err-app-roles-many"));
        }
        if errs.is_empty() { Ok(ApplicationFields { name, kind, description, roles }) } else { Err(Error::Invalid(errs)) }
    }
}

/// The catalogue an office starts from, as the IT department's procedure names it (P.5.1) and
/// the rulebook's access rules (R.32, R.39–R.41).
#[rustfmt::skip]
pub const STANDARD: &[(&str, AppKind, &str, &[&str])] = &[
    ("Е-пошта", AppKind::Email, "Службена адреса и поштанско сандуче.", &["корисник"]),
    ("Интернет", AppKind::Internet, "Приступ интернету по радном месту; блокиране категорије (члан 32).", &["основни приступ", "друштвене мреже (уз одобрење начелника Градске управе)"]),
    ("Мрежни дискови", AppKind::Share, "Фолдери организационих јединица и запослених (чл. 39–41).", &["JAVNO", "PRIVATNO", "закључан фолдер јединице"]),
    ("ОПИС — управљање предметима", AppKind::CaseManagement, "Писарница и предмети; улога по радном месту службеника.", &["писарница", "обрађивач предмета", "руководилац", "архива", "само преглед"]),
    ("Зараде", AppKind::Accounting, "Обрачун зарада.", &["унос", "обрачун", "преглед"]),
    ("Буџет", AppKind::Accounting, "Припрема и извршење буџета.", &["унос", "одобравање", "преглед"]),
    ("Основна средства", AppKind::Accounting, "Евиденција основних средстава.", &["унос", "преглед"]),
    ("Главна књига", AppKind::Accounting, "Финансијско књиговодство.", &["књижење", "преглед"]),
    ("Благајна", AppKind::Accounting, "Благајничко пословање.", &["благајник", "преглед"]),
    ("Правна база (Paragraf Lex)", AppKind::Legal, "Прописи и судска пракса, само читање.", &["корисник"]),
];

impl Services {
    /// The catalogue; every signed-in person may read it (a head of unit fills requests from it).
    pub async fn applications(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Application>> {
        actor.require(Permission::SignedIn)?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        q.q = q.q.as_deref().map(search_key).filter(|k| !k.is_empty());
        q.per_page = q.per_page.clamp(1, 500);
        q.page = q.page.max(1);
        self.store.list_applications(&q).await
    }

    pub async fn application(&self, actor: &Actor, id: i64) -> Result<Application> {
        actor.require(Permission::SignedIn)?;
        self.store.get_application(actor.office_id, id).await
    }

    pub async fn create_application(&self, actor: &Actor, input: &ApplicationInput) -> Result<Application> {
        actor.require(Permission::UsersWrite)?;
        let f = input.validate()?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            None,
            format!("У каталог апликација додата „{}“ (улоге: {})", f.name, roles_text(&f.roles)),
        );
        self.store.create_application(actor.office_id, &f, self.now(), log).await.map_err(duplicate)
    }

    pub async fn update_application(&self, actor: &Actor, id: i64, input: &ApplicationInput) -> Result<Application> {
        actor.require(Permission::UsersWrite)?;
        let f = input.validate()?;
        let old = self.store.get_application(actor.office_id, id).await?;
        let mut what = vec![];
        if old.name != f.name {
            what.push(format!("назив: {} → {}", old.name, f.name));
        }
        if old.kind != f.kind {
            what.push(format!("врста: {} → {}", old.kind.as_str(), f.kind.as_str()));
        }
        if old.roles != f.roles {
            what.push(format!("улоге: {} → {}", roles_text(&old.roles), roles_text(&f.roles)));
        }
        if old.description != f.description {
            what.push("опис".into());
        }
        if what.is_empty() {
            return Ok(old);
        }
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("application", id, &f.name)),
            format!("Измењена апликација „{}“ у каталогу: {}", old.name, what.join("; ")),
        );
        self.store.update_application(actor.office_id, id, &f, self.now(), log).await.map_err(duplicate)
    }

    /// Takes an application out of use (or back); requests no longer offer it.
    pub async fn set_application_active(&self, actor: &Actor, id: i64, active: bool) -> Result<Application> {
        actor.require(Permission::UsersWrite)?;
        let old = self.store.get_application(actor.office_id, id).await?;
        if old.active == active {
            return Ok(old);
        }
        let verb = if active { "враћена у употребу" } else { "повучена из употребе" };
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("application", id, &old.name)),
            format!("Апликација „{}“ {verb}", old.name),
        );
        self.store.set_application_active(actor.office_id, id, active, self.now(), log).await
    }

    /// Adds the standard catalogue's applications the office does not have by name yet.
    pub async fn add_standard_applications(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::UsersWrite)?;
        let mut q = ListQuery::new(actor.office_id);
        q.per_page = 500;
        q.include_inactive = true;
        let have: Vec<String> = self.store.list_applications(&q).await?.items.into_iter().map(|a| search_key(&a.name)).collect();
        let mut added = 0;
        for (name, kind, description, roles) in STANDARD {
            if have.contains(&search_key(name)) {
                continue;
            }
            let input = ApplicationInput {
                name: (*name).into(),
                kind: kind.as_str().into(),
                description: (*description).into(),
                roles: roles.iter().map(|r| (*r).to_string()).collect(),
            };
            self.create_application(actor, &input).await?;
            added += 1;
        }
        Ok(added)
    }
}

/// Two applications of one office cannot share a name (in either script).
fn duplicate(e: Error) -> Error {
    match e {
        Error::Conflict { code: "duplicate", .. } => Error::invalid("name", "err-app-duplicate"),
        e => e,
    }
}

fn roles_text(roles: &[String]) -> String {
    if roles.is_empty() { "—".into() } else { roles.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_one_per_line_without_repeats() {
        let f = ApplicationInput {
            name: "  ОПИС   предмети ".into(),
            kind: "case_management".into(),
            roles: vec!["писарница\nОбрађивач предмета".into(), " обрађивач  предмета ".into(), "".into()],
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(f.name, "ОПИС предмети");
        assert_eq!(f.roles, ["писарница", "Обрађивач предмета"]);
        assert_eq!(f.kind, AppKind::CaseManagement);
        assert!(f.search_key().contains("obradjivac"));
    }

    #[test]
    fn a_name_and_a_known_kind_are_needed() {
        let Err(Error::Invalid(e)) = ApplicationInput { kind: "games".into(), ..Default::default() }.validate() else { panic!() };
        assert_eq!(e.iter().map(|e| (e.field, e.message)).collect::<Vec<_>>(), [("name", "err-required"), ("kind", "err-app-kind")]);
        let many = ApplicationInput { name: "x".into(), roles: (0..=ROLES_MAX).map(|i| format!("r{i}")).collect(), ..Default::default() };
        assert!(many.validate().is_err());
        assert_eq!(ApplicationInput { name: "x".into(), ..Default::default() }.validate().unwrap().kind, AppKind::Other);
    }
}
