//! Roles, permissions and the signed-in actor. Checked on the server for every route.

use crate::{Error, Result};

/// A role a person may hold; a person may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Employee / user (korisnik, R.18–R.19).
    Employee,
    /// Head of an organisational unit (rukovodilac, R.19, R.32, R.45).
    HeadOfUnit,
    /// Head of the City Administration (načelnik Gradske uprave, R.15).
    HeadOfAdministration,
    /// Administrator of the ICT system (administrator IKS-a, R.2).
    Administrator,
    /// Information-security inspector: reads everything, changes nothing (R.6).
    Inspector,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Employee, Role::HeadOfUnit, Role::HeadOfAdministration, Role::Administrator, Role::Inspector];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::HeadOfUnit => "head_of_unit",
            Role::HeadOfAdministration => "head_of_administration",
            Role::Administrator => "administrator",
            Role::Inspector => "inspector",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or(Error::invalid("roles", "err-role-unknown"))
    }

    fn grants(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Employee => matches!(p, SignedIn | HelpdeskReport),
            Role::HeadOfUnit => matches!(p, SignedIn | OrgRead | HelpdeskReport | HelpdeskUnitRead | AccountRequest),
            Role::HeadOfAdministration => {
                matches!(
                    p,
                    SignedIn
                        | OrgRead
                        | WorklogRead
                        | AssetsRead
                        | HelpdeskReport
                        | HelpdeskRead
                        | AccountRequest
                        | AccountRequestsAll
                        | ApproveSocialNetworks
                        | ApproveInstalls
                        | AcknowledgeMisuse
                        | ApproveRemovals
                        | ApproveProcurement
                )
            }
            // Approvals belong to the head of administration, not to those who carry them out.
            Role::Administrator => {
                !matches!(p, ApproveSocialNetworks | ApproveInstalls | AcknowledgeMisuse | ApproveRemovals | ApproveProcurement)
            }
            Role::Inspector => {
                matches!(
                    p,
                    SignedIn | OrgRead | WorklogRead | WorklogConfidential | UsersRead | AssetsRead | HelpdeskRead | KnowledgeDrafts
                )
            }
        }
    }
}

/// What a route or service needs. Roles map to permissions in one place ([`Role::grants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Any signed-in person: home, own profile, password.
    SignedIn,
    /// See units, workplaces and employees.
    OrgRead,
    /// Create, edit, move and deactivate units, workplaces and employees.
    OrgWrite,
    /// See accounts and their roles.
    UsersRead,
    /// Create accounts, set roles, reset passwords.
    UsersWrite,
    /// Read the work log (R.20).
    WorklogRead,
    /// Read the text of confidential entries (R.20: classified systems).
    WorklogConfidential,
    /// Add manual work-log entries (R.20).
    WorklogWrite,
    /// See the equipment registry (R.3–R.13).
    AssetsRead,
    /// Register, change and move equipment: administrators only (R.7, R.9, R.11).
    AssetsWrite,
    /// Report a fault of one's own and follow it (R.52.1): every member of staff.
    HelpdeskReport,
    /// See the fault reports of the employees of one's own unit, read-only (heads of unit).
    HelpdeskUnitRead,
    /// See every fault report of the office with internal comments (inspectors, R.6).
    HelpdeskRead,
    /// Take, work on and close fault reports, record them for others (R.52): administrators.
    HelpdeskWrite,
    /// Read knowledge-base articles not yet published (every signed-in person reads published ones).
    KnowledgeDrafts,
    /// Write and publish knowledge-base articles: administrators (R.47–R.51 are their instructions
    /// to users).
    KnowledgeWrite,
    /// File an account request (Prilog 2) for an employee of one's unit: heads of unit and the
    /// head of administration (R.19).
    AccountRequest,
    /// See and file account requests for the whole office: the head of administration.
    AccountRequestsAll,
    /// Approve social networks for a workplace (R.32): the head of administration alone, not the
    /// administrators who set it up.
    ApproveSocialNetworks,
    /// Approve software installs (R.62.7): the head of administration alone.
    ApproveInstalls,
    /// Be told of internet misuse and private modems and mark them seen (R.32, R.34): the head
    /// of administration.
    AcknowledgeMisuse,
    /// Approve taking data, software or equipment off the premises (R.65): the head of
    /// administration.
    ApproveRemovals,
    /// Approve procurement proposals by an act (R.21): the head of administration.
    ApproveProcurement,
}

/// The person behind a request, with what they may do and which offices they see.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub person_id: i64,
    /// The office the actor works in now; records they create go here. Starts as their home
    /// office; a person granted more offices may switch ([`Actor::switch_office`]).
    pub office_id: i64,
    /// The office the person and account belong to.
    pub home_office_id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// Offices the actor may see: their own plus any granted (hosted service, city + municipalities).
    pub offices: Vec<i64>,
    pub locale: String,
}

impl Actor {
    pub fn can(&self, p: Permission) -> bool {
        self.roles.iter().any(|r| r.grants(p))
    }

    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) { Ok(()) } else { Err(Error::Forbidden) }
    }

    pub fn sees_office(&self, office_id: i64) -> bool {
        self.offices.contains(&office_id)
    }

    /// The office to read or write in: the one asked for if visible, else the actor's own.
    pub fn office_scope(&self, asked: Option<i64>) -> Result<i64> {
        match asked {
            None => Ok(self.office_id),
            Some(o) if self.sees_office(o) => Ok(o),
            Some(_) => Err(Error::Forbidden),
        }
    }

    /// Works in another visible office from now on; false (and no change) if it is not visible.
    pub fn switch_office(&mut self, office_id: i64) -> bool {
        let ok = self.sees_office(office_id);
        if ok {
            self.office_id = office_id;
        }
        ok
    }

    pub fn has_role(&self, r: Role) -> bool {
        self.roles.contains(&r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[Role]) -> Actor {
        Actor {
            user_id: 1,
            person_id: 1,
            office_id: 1,
            home_office_id: 1,
            username: "a".into(),
            full_name: "A".into(),
            roles: roles.to_vec(),
            offices: vec![1],
            locale: "sr-Cyrl".into(),
        }
    }

    #[test]
    fn inspector_reads_but_never_writes() {
        let a = actor(&[Role::Inspector]);
        assert!(a.can(Permission::WorklogRead) && a.can(Permission::WorklogConfidential));
        assert!(!a.can(Permission::WorklogWrite) && !a.can(Permission::OrgWrite) && !a.can(Permission::UsersWrite));
    }

    #[test]
    fn roles_combine() {
        let a = actor(&[Role::Employee, Role::HeadOfUnit]);
        assert!(a.can(Permission::OrgRead));
        assert!(!actor(&[Role::Employee]).can(Permission::OrgRead));
    }

    #[test]
    fn r52_everyone_reports_faults_but_only_administrators_work_on_them() {
        for r in [Role::Employee, Role::HeadOfUnit, Role::HeadOfAdministration, Role::Administrator] {
            assert!(actor(&[r]).can(Permission::HelpdeskReport), "{r:?}");
        }
        assert!(!actor(&[Role::Inspector]).can(Permission::HelpdeskReport), "the inspector changes nothing");
        assert!(actor(&[Role::Inspector]).can(Permission::HelpdeskRead));
        assert!(actor(&[Role::HeadOfUnit]).can(Permission::HelpdeskUnitRead) && !actor(&[Role::HeadOfUnit]).can(Permission::HelpdeskRead));
        for r in [Role::Employee, Role::HeadOfUnit, Role::HeadOfAdministration, Role::Inspector] {
            assert!(!actor(&[r]).can(Permission::HelpdeskWrite), "{r:?}");
        }
    }

    #[test]
    fn other_offices_are_hidden() {
        let a = actor(&[Role::Administrator]);
        assert!(a.office_scope(Some(2)).is_err());
        assert_eq!(a.office_scope(None).ok(), Some(1));
    }
}
