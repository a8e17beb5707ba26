//! The office's directory (LDAP / Active Directory): people sign in with their directory
//! password, people and units come over from it, directory groups give Upravnik roles, and an
//! approved account request (Prilog 2, R.19) can open or disable the account there.
//!
//! This module holds what the directory says and what Upravnik makes of it, as plain data and
//! pure functions; the LDAP protocol is in `upravnik-directory`, the orchestration in
//! `directory_service`.

use std::collections::{BTreeSet, HashMap};

use crate::access::Role;

/// A person as the directory has them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DirectoryPerson {
    pub dn: String,
    /// The sign-in name (`uid`, `sAMAccountName`), lower case.
    pub username: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    /// The unit's name (`ou`, `department`); empty when the directory does not say.
    pub unit: String,
    /// Names (`cn`) of the groups the person is a member of, lower case.
    pub groups: Vec<String>,
    /// Locked or disabled in the directory.
    pub disabled: bool,
}

/// Why the directory did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryFailure {
    /// Cannot connect, TLS failed, timed out, or the service account was refused: the directory
    /// cannot be used now. Local accounts keep working.
    #[error("directory unavailable: {0}")]
    Unavailable(String),
    /// Wrong password, unknown name, or a locked account.
    #[error("directory refused the credentials")]
    Refused,
    /// The directory answered with an error (an entry that already exists, a schema violation).
    #[error("directory: {0}")]
    Rejected(String),
}

/// A new account the directory is asked to open (an approved request, R.19).
#[derive(Clone, PartialEq, Eq)]
pub struct NewDirectoryAccount {
    pub username: String,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub unit: String,
    /// The initial password the administrator hands over; the person changes it.
    pub password: String,
}

impl std::fmt::Debug for NewDirectoryAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDirectoryAccount").field("username", &self.username).field("password", &"***").finish_non_exhaustive()
    }
}

/// The directory, as the services use it (LDAP in `upravnik-directory`).
#[async_trait::async_trait]
pub trait Directory: Send + Sync {
    /// Where it is, for messages and the work log (`ldaps://dc.grad.rs`).
    fn describe(&self) -> String;
    /// Binds as the person with their password; their entry when it succeeds.
    async fn authenticate(&self, username: &str, password: &str) -> Result<DirectoryPerson, DirectoryFailure>;
    /// Everyone the directory lists as staff (for the sync).
    async fn people(&self) -> Result<Vec<DirectoryPerson>, DirectoryFailure>;
    /// Opens an account; its DN.
    async fn create_account(&self, a: &NewDirectoryAccount) -> Result<String, DirectoryFailure>;
    /// Disables (or enables again) the account with this DN.
    async fn set_disabled(&self, dn: &str, disabled: bool) -> Result<(), DirectoryFailure>;
}

/// How Upravnik uses the directory (`[directory]` in the configuration).
#[derive(Debug, Clone, Default)]
pub struct DirectorySettings {
    /// The office the directory's people belong to.
    pub office_id: i64,
    /// Directory group (its `cn`, any case) → Upravnik role. Empty: roles are kept as set in
    /// Upravnik, and a new account is an employee.
    pub roles: Vec<(String, Role)>,
    /// An approved request opens the account in the directory, a close request disables it.
    pub manage_accounts: bool,
}

impl DirectorySettings {
    /// The roles the groups give; an employee when none is mapped. `None` when no mapping is
    /// configured (roles stay as they are set in Upravnik).
    pub fn roles_for(&self, groups: &[String]) -> Option<Vec<Role>> {
        if self.roles.is_empty() {
            return None;
        }
        let mut roles: BTreeSet<Role> =
            self.roles.iter().filter(|(g, _)| groups.iter().any(|m| m.eq_ignore_ascii_case(g))).map(|(_, r)| *r).collect();
        roles.insert(Role::Employee);
        Some(roles.into_iter().collect())
    }
}

/// An Upravnik account as the sync compares it with the directory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalAccount {
    pub user_id: i64,
    pub person_id: i64,
    pub username: String,
    /// Set when the account is the directory's (signs in there).
    pub directory_dn: Option<String>,
    pub active: bool,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub phone: String,
    pub unit: String,
    pub roles: Vec<Role>,
    /// Closed by the sync (gone or disabled in the directory), so enabled again with it; an
    /// account closed in Upravnik stays closed.
    pub closed_by_directory: bool,
}

/// Which accounts [`LocalState`] is loaded for.
#[derive(Debug, Clone, Copy)]
pub enum AccountFilter<'a> {
    /// The whole office (the sync).
    All,
    /// The account of this entry: by DN or username, and a person without an account by e-mail
    /// (a sign-in).
    Entry { dn: &'a str, username: &'a str, email: &'a str },
    /// The account of a person (a request carried out).
    Person(i64),
}

/// What the office holds that the sync matches against.
#[derive(Debug, Clone, Default)]
pub struct LocalState {
    pub accounts: Vec<LocalAccount>,
    /// People without an account: (person id, e-mail), to attach a directory entry to the person
    /// already recorded (from an HR import, say) instead of a second record.
    pub people_without_account: Vec<(i64, String)>,
}

/// One change the sync makes; each is one transaction with its work-log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncChange {
    /// A person new to Upravnik (or one recorded without an account: `person_id`) gets a directory
    /// account.
    Create { person_id: Option<i64>, entry: DirectoryPerson, roles: Vec<Role> },
    /// An account whose name, contact, unit, roles or state differ; `link` when it was a local
    /// account of the same username and now signs in at the directory.
    Update { user_id: i64, person_id: i64, entry: DirectoryPerson, roles: Vec<Role>, link: bool, what: Vec<&'static str> },
    /// Gone from the directory or disabled there: the account is closed and its sessions end.
    Deactivate { user_id: i64, person_id: i64, name: String, reason: DeactivateReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeactivateReason {
    Missing,
    Disabled,
}

/// The counts of one sync, shown on the directory page and written to the work log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncCounts {
    pub created: i64,
    pub updated: i64,
    pub deactivated: i64,
    pub unchanged: i64,
    pub failed: i64,
}

/// A run of the sync as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncRun {
    pub id: i64,
    pub started_us: i64,
    pub finished_us: i64,
    pub ok: bool,
    #[serde(flatten)]
    pub counts: SyncCounts,
    pub message: String,
}

/// The changes that bring Upravnik in line with the directory. Matching is by DN, then by
/// username (a local account becomes the directory's, except a local administrator's), then a
/// person without an account by e-mail. Local accounts the directory does not know are left
/// alone: the first administrator and service accounts stay local.
pub fn plan_sync(local: &LocalState, directory: &[DirectoryPerson], settings: &DirectorySettings) -> (Vec<SyncChange>, i64) {
    let by_dn: HashMap<&str, &LocalAccount> = local.accounts.iter().filter_map(|a| a.directory_dn.as_deref().map(|dn| (dn, a))).collect();
    // A local administrator is never taken over by a directory entry of the same name: it is the
    // way in when the directory is down.
    let by_username: HashMap<String, &LocalAccount> = local
        .accounts
        .iter()
        .filter(|a| a.directory_dn.is_some() || !a.roles.contains(&Role::Administrator))
        .map(|a| (a.username.to_lowercase(), a))
        .collect();
    let mut by_email: HashMap<String, i64> = HashMap::new();
    for (id, email) in &local.people_without_account {
        if !email.trim().is_empty() {
            by_email.entry(email.trim().to_lowercase()).or_insert(*id);
        }
    }
    let mut changes = vec![];
    let mut unchanged = 0;
    let mut seen_dns: BTreeSet<&str> = BTreeSet::new();
    let mut taken_people: BTreeSet<i64> = BTreeSet::new();
    for e in directory {
        if e.username.is_empty() || !seen_dns.insert(e.dn.as_str()) {
            continue;
        }
        let found = by_dn.get(e.dn.as_str()).copied().or_else(|| by_username.get(&e.username).copied());
        match found {
            Some(a) => {
                let link = a.directory_dn.as_deref() != Some(e.dn.as_str());
                if e.disabled {
                    if a.active && !link {
                        changes.push(SyncChange::Deactivate {
                            user_id: a.user_id,
                            person_id: a.person_id,
                            name: full_name(&a.given_name, &a.family_name),
                            reason: DeactivateReason::Disabled,
                        });
                    } else {
                        unchanged += 1;
                    }
                    continue;
                }
                let roles = settings.roles_for(&e.groups).unwrap_or_else(|| a.roles.clone());
                let what = differences(a, e, &roles);
                if what.is_empty() && !link {
                    unchanged += 1;
                } else {
                    changes.push(SyncChange::Update { user_id: a.user_id, person_id: a.person_id, entry: e.clone(), roles, link, what });
                }
            }
            None if e.disabled => unchanged += 1,
            None => {
                let person_id = by_email
                    .get(&e.email.trim().to_lowercase())
                    .copied()
                    .filter(|id| !e.email.trim().is_empty() && taken_people.insert(*id));
                let roles = settings.roles_for(&e.groups).unwrap_or_else(|| vec![Role::Employee]);
                changes.push(SyncChange::Create { person_id, entry: e.clone(), roles });
            }
        }
    }
    for a in &local.accounts {
        if let Some(dn) = &a.directory_dn
            && a.active
            && !seen_dns.contains(dn.as_str())
        {
            changes.push(SyncChange::Deactivate {
                user_id: a.user_id,
                person_id: a.person_id,
                name: full_name(&a.given_name, &a.family_name),
                reason: DeactivateReason::Missing,
            });
        }
    }
    (changes, unchanged)
}

/// What differs between an account and its directory entry (field names, for the work log).
fn differences(a: &LocalAccount, e: &DirectoryPerson, roles: &[Role]) -> Vec<&'static str> {
    let mut what = vec![];
    if a.given_name != e.given_name || a.family_name != e.family_name {
        what.push("name");
    }
    if a.email != e.email {
        what.push("email");
    }
    if a.phone != e.phone {
        what.push("phone");
    }
    if !e.unit.is_empty() && a.unit != e.unit {
        what.push("unit");
    }
    let mut have = a.roles.clone();
    have.sort();
    let mut want = roles.to_vec();
    want.sort();
    if have != want {
        what.push("roles");
    }
    if !a.active && a.closed_by_directory {
        what.push("active");
    }
    what
}

pub fn full_name(given: &str, family: &str) -> String {
    format!("{given} {family}").trim().to_string()
}

/// The work-log sentence for a change (Serbian, as the log is kept).
pub fn describe(c: &SyncChange, source: &str) -> String {
    let roles = |r: &[Role]| r.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
    match c {
        SyncChange::Create { entry, roles: r, .. } => format!(
            "Из директоријума ({source}) преузет налог {} за {}{}; улоге: {}",
            entry.username,
            full_name(&entry.given_name, &entry.family_name),
            if entry.unit.is_empty() { String::new() } else { format!(", {}", entry.unit) },
            roles(r)
        ),
        SyncChange::Update { entry, roles: r, link, what, .. } => {
            let what: Vec<&str> = what
                .iter()
                .map(|w| match *w {
                    "name" => "име",
                    "email" => "е-пошта",
                    "phone" => "телефон",
                    "unit" => "јединица",
                    "roles" => "улоге",
                    "active" => "поново активан",
                    other => other,
                })
                .collect();
            let mut s = format!("Налог {} усклађен са директоријумом ({source})", entry.username);
            if *link {
                s.push_str(": локални налог од сада се пријављује преко директоријума");
            }
            if !what.is_empty() {
                s.push_str(&format!("; измењено: {}", what.join(", ")));
            }
            if what.contains(&"улоге") {
                s.push_str(&format!(" ({})", roles(r)));
            }
            s
        }
        SyncChange::Deactivate { name, reason, .. } => format!(
            "Налог особе {name} затворен: {} ({source})",
            match reason {
                DeactivateReason::Missing => "нема га више у директоријуму",
                DeactivateReason::Disabled => "онемогућен у директоријуму",
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(uid: &str, groups: &[&str]) -> DirectoryPerson {
        DirectoryPerson {
            dn: format!("uid={uid},ou=People,dc=grad,dc=rs"),
            username: uid.into(),
            given_name: "Јована".into(),
            family_name: "Петровић".into(),
            email: format!("{uid}@grad.rs"),
            phone: String::new(),
            unit: "Финансије".into(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            disabled: false,
        }
    }

    fn account(id: i64, e: &DirectoryPerson, dn: bool, roles: Vec<Role>) -> LocalAccount {
        LocalAccount {
            user_id: id,
            person_id: id * 10,
            username: e.username.clone(),
            directory_dn: dn.then(|| e.dn.clone()),
            active: true,
            given_name: e.given_name.clone(),
            family_name: e.family_name.clone(),
            email: e.email.clone(),
            phone: e.phone.clone(),
            unit: e.unit.clone(),
            roles,
            closed_by_directory: false,
        }
    }

    fn settings() -> DirectorySettings {
        DirectorySettings {
            office_id: 1,
            roles: vec![("IKT-Administratori".into(), Role::Administrator), ("rukovodioci".into(), Role::HeadOfUnit)],
            manage_accounts: false,
        }
    }

    #[test]
    fn groups_give_roles_and_everyone_is_an_employee() {
        let s = settings();
        assert_eq!(s.roles_for(&["ikt-administratori".into()]), Some(vec![Role::Employee, Role::Administrator]));
        assert_eq!(s.roles_for(&["nepoznata".into()]), Some(vec![Role::Employee]));
        assert_eq!(DirectorySettings::default().roles_for(&["ikt-administratori".into()]), None);
    }

    #[test]
    fn new_people_are_created_and_known_ones_left_alone() {
        let known = entry("jpetrovic", &[]);
        let local = LocalState { accounts: vec![account(1, &known, true, vec![Role::Employee])], people_without_account: vec![] };
        let new = entry("mkostic", &["rukovodioci"]);
        let (changes, unchanged) = plan_sync(&local, &[known, new.clone()], &settings());
        assert_eq!(unchanged, 1);
        assert_eq!(changes, vec![SyncChange::Create { person_id: None, entry: new, roles: vec![Role::Employee, Role::HeadOfUnit] }]);
    }

    #[test]
    fn a_changed_group_or_unit_is_an_update_naming_what_changed() {
        let e = entry("jpetrovic", &["ikt-administratori"]);
        let mut a = account(1, &e, true, vec![Role::Employee]);
        a.unit = "Кабинет".into();
        let local = LocalState { accounts: vec![a], people_without_account: vec![] };
        let (changes, _) = plan_sync(&local, std::slice::from_ref(&e), &settings());
        match &changes[..] {
            [SyncChange::Update { what, roles, link: false, .. }] => {
                assert_eq!(what, &vec!["unit", "roles"]);
                assert_eq!(roles, &vec![Role::Employee, Role::Administrator]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_local_account_of_the_same_name_is_linked_not_duplicated() {
        let e = entry("jpetrovic", &[]);
        let local = LocalState { accounts: vec![account(1, &e, false, vec![Role::Employee])], people_without_account: vec![] };
        let (changes, _) = plan_sync(&local, std::slice::from_ref(&e), &settings());
        assert!(matches!(&changes[..], [SyncChange::Update { link: true, user_id: 1, .. }]), "{changes:?}");
    }

    #[test]
    fn a_local_administrator_is_never_taken_over() {
        let e = entry("admin", &["ikt-administratori"]);
        let local = LocalState { accounts: vec![account(1, &e, false, vec![Role::Administrator])], people_without_account: vec![] };
        let (changes, _) = plan_sync(&local, std::slice::from_ref(&e), &settings());
        // A create, which the unique username refuses and the sync reports as failed.
        assert!(matches!(&changes[..], [SyncChange::Create { .. }]), "{changes:?}");
    }

    #[test]
    fn a_person_without_an_account_is_found_by_email_once() {
        let e = entry("jpetrovic", &[]);
        let mut twin = entry("jpetrovic2", &[]);
        twin.email = e.email.to_uppercase();
        let local = LocalState { accounts: vec![], people_without_account: vec![(7, e.email.clone())] };
        let (changes, _) = plan_sync(&local, &[e, twin], &settings());
        let ids: Vec<Option<i64>> =
            changes.iter().map(|c| if let SyncChange::Create { person_id, .. } = c { *person_id } else { Some(-1) }).collect();
        assert_eq!(ids, vec![Some(7), None]);
    }

    #[test]
    fn gone_or_disabled_accounts_are_closed_and_local_ones_never() {
        let gone = entry("otisao", &[]);
        let mut locked = entry("zakljucan", &[]);
        let admin = entry("admin", &[]);
        let local = LocalState {
            accounts: vec![
                account(1, &gone, true, vec![Role::Employee]),
                account(2, &locked, true, vec![Role::Employee]),
                account(3, &admin, false, vec![Role::Administrator]),
            ],
            people_without_account: vec![],
        };
        locked.disabled = true;
        let (changes, _) = plan_sync(&local, &[locked], &settings());
        let closed: Vec<(i64, DeactivateReason)> = changes
            .iter()
            .filter_map(|c| if let SyncChange::Deactivate { user_id, reason, .. } = c { Some((*user_id, *reason)) } else { None })
            .collect();
        assert_eq!(closed, vec![(2, DeactivateReason::Disabled), (1, DeactivateReason::Missing)]);
        assert_eq!(changes.len(), 2);
    }

    #[test]
    fn an_account_enabled_again_is_reactivated() {
        let e = entry("jpetrovic", &[]);
        let mut a = account(1, &e, true, vec![Role::Employee]);
        a.active = false;
        let local = LocalState { accounts: vec![a.clone()], people_without_account: vec![] };
        let (changes, unchanged) = plan_sync(&local, std::slice::from_ref(&e), &settings());
        assert_eq!((changes.len(), unchanged), (0, 1), "closed in Upravnik, it stays closed");
        a.closed_by_directory = true;
        let local = LocalState { accounts: vec![a], people_without_account: vec![] };
        let (changes, _) = plan_sync(&local, std::slice::from_ref(&e), &settings());
        assert!(matches!(&changes[..], [SyncChange::Update { what, .. }] if what == &vec!["active"]), "{changes:?}");
    }

    #[test]
    fn the_new_account_password_stays_out_of_debug_output() {
        let a = NewDirectoryAccount {
            username: "mkostic".into(),
            given_name: String::new(),
            family_name: String::new(),
            email: String::new(),
            unit: String::new(),
            password: "tajna-lozinka".into(),
        };
        assert!(!format!("{a:?}").contains("tajna"));
    }
}
