//! Services of account requests (R.19, Prilog 2): the head of unit files one for an employee
//! of the unit; an administrator carries it out or refuses it; closing waits until the person
//! holds no equipment and every access is confirmed taken away.

use crate::access::{Actor, Permission};
use crate::account_requests::{
    AccountRequest, Blockers, CarryOutInput, Grant, NUMBER_PREFIX, RequestInput, RequestKind, RequestState, check_username, close_blockers,
};
use crate::asset::AssetQuery;
use crate::directory::{AccountFilter, DirectoryPerson, NewDirectoryAccount};
use crate::error::FieldError;
use crate::org::{Page, Person};
use crate::parts::{PartFields, PartKind};
use crate::service::{Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

/// Which requests a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    pub office_id: i64,
    pub state: Option<RequestState>,
    /// Only requests for people of this unit or its internal units (a head's view).
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Only those filed before this moment (waiting too long).
    pub filed_before: Option<crate::clock::Micros>,
    pub page: u32,
    pub per_page: u32,
}

/// A request still waiting for an administrator after this many days is shown on their home
/// page (issue 6: requests waiting too long).
pub const WAITING_DAYS: i64 = 3;

/// A request as the storage writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccountRequest {
    pub year: i16,
    pub prefix: &'static str,
    pub kind: RequestKind,
    pub person_id: i64,
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub workplace_name: String,
    /// (application id, application name, role)
    pub items: Vec<(i64, String, String)>,
    pub internet: bool,
    pub social: bool,
    pub note: String,
    pub requested_by_user_id: i64,
    pub requested_by: String,
}

/// What carrying a request out writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryOut {
    pub username: Option<String>,
    pub setup_note: String,
    pub software: String,
    pub done_by: String,
    /// (application id, application name, role) granted now.
    pub grant: Vec<(i64, String, String)>,
    /// Grant ids taken away now.
    pub revoke: Vec<i64>,
}

/// A request with what the person holds now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestDetail {
    pub request: AccountRequest,
    pub grants: Vec<Grant>,
    /// (asset id, inventory number) assigned to the person.
    pub assets: Vec<(i64, String)>,
}

impl Services {
    /// The unit a head of unit files and reads requests for; `None` for those who see all.
    async fn request_scope(&self, actor: &Actor) -> Result<Option<i64>> {
        if actor.can(Permission::UsersRead) || actor.can(Permission::AccountRequestsAll) {
            return Ok(None);
        }
        actor.require(Permission::AccountRequest)?;
        let me = self.store.get_person(actor.office_id, actor.person_id).await?;
        // A head placed in no unit heads nobody yet: an empty scope, not an error.
        Ok(Some(me.unit_id.unwrap_or(-1)))
    }

    async fn in_scope(&self, actor: &Actor, scope: Option<i64>, unit_id: Option<i64>) -> Result<bool> {
        let Some(u) = scope else { return Ok(true) };
        Ok(match unit_id {
            Some(p) if p == u => true,
            Some(p) => self.store.get_unit(actor.office_id, p).await.is_ok_and(|x| x.parent_id == Some(u)),
            None => false,
        })
    }

    pub async fn account_requests(&self, actor: &Actor, q: &RequestQuery) -> Result<Page<AccountRequest>> {
        let scope = self.request_scope(actor).await?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        q.unit_id = scope;
        q.page = q.page.max(1);
        q.per_page = q.per_page.clamp(1, 200);
        self.store.account_requests(&q).await
    }

    pub async fn account_request(&self, actor: &Actor, id: i64) -> Result<RequestDetail> {
        let scope = self.request_scope(actor).await?;
        let r = self.store.get_account_request(actor.office_id, id).await?;
        let person = self.store.get_person(actor.office_id, r.person_id).await?;
        if !self.in_scope(actor, scope, person.unit_id).await? && r.requested_by != actor.full_name {
            return Err(Error::NotFound { what: "account_request" });
        }
        let grants = self.store.person_grants(actor.office_id, r.person_id).await?;
        let assets = self.held_assets(actor.office_id, r.person_id).await?;
        Ok(RequestDetail { request: r, grants, assets })
    }

    async fn held_assets(&self, office_id: i64, person_id: i64) -> Result<Vec<(i64, String)>> {
        let q = AssetQuery { office_id, person_id: Some(person_id), page: 1, per_page: 200, ..Default::default() };
        let page = self.store.list_assets(&q).await?;
        Ok(page.items.into_iter().filter(|a| a.status.is_active()).map(|a| (a.id, a.fields.inventory_number)).collect())
    }

    /// The head of the employee's unit files it (the first part, signed); an administrator may
    /// record a paper one for anyone.
    pub async fn create_account_request(&self, actor: &Actor, input: &RequestInput) -> Result<AccountRequest> {
        if !actor.can(Permission::UsersWrite) {
            actor.require(Permission::AccountRequest)?;
        }
        let scope = if actor.can(Permission::UsersWrite) { None } else { self.request_scope(actor).await? };
        let f = input.validate()?;
        let person =
            self.store.get_person(actor.office_id, input.person_id).await.map_err(|_| Error::invalid("person_id", "err-required"))?;
        if !self.in_scope(actor, scope, person.unit_id).await? {
            return Err(Error::invalid("person_id", "err-request-not-your-unit"));
        }
        if !person.active && f.kind != RequestKind::Close {
            return Err(Error::invalid("person_id", "err-person-inactive"));
        }
        let mut items = vec![];
        for (app_id, role) in &f.items {
            let app = self.store.get_application(actor.office_id, *app_id).await.map_err(|_| Error::invalid("items", "err-request-app"))?;
            if !app.active || !app.roles.iter().any(|r| r == role) {
                return Err(Error::invalid("items", "err-request-app"));
            }
            items.push((app.id, app.name, role.clone()));
        }
        let asked: Vec<String> = items.iter().map(|(_, a, r)| format!("{a} ({r})")).collect();
        let mut text = format!(
            "Захтев {} за {} корисничког налога запосленог {}",
            crate::helpdesk::NUMBER_SLOT,
            f.kind.log_name(),
            person.full_name()
        );
        if !asked.is_empty() {
            text.push_str(&format!(": {}", asked.join(", ")));
        }
        if f.internet {
            text.push_str("; приступ интернету");
        }
        if f.social {
            text.push_str(" и друштвеним мрежама (уз одобрење начелника Градске управе)");
        }
        text.push_str(&format!(" — поднео/ла {}", actor.full_name));
        let log = draft(actor, Category::Processing, Some(ObjectRef::new("person", person.id, person.full_name())), text);
        let new = NewAccountRequest {
            year: self.year(),
            prefix: NUMBER_PREFIX,
            kind: f.kind,
            person_id: person.id,
            unit_id: person.unit_id,
            unit_name: person.unit_name.clone().unwrap_or_default(),
            workplace_name: person.workplace_name.clone().unwrap_or_default(),
            items,
            internet: f.internet,
            social: f.social,
            note: f.note,
            requested_by_user_id: actor.user_id,
            requested_by: actor.full_name.clone(),
        };
        self.store.create_account_request(actor.office_id, &new, self.now(), log).await
    }

    /// Submitted requests waiting longer than [`WAITING_DAYS`].
    pub async fn waiting_account_requests(&self, actor: &Actor) -> Result<i64> {
        let q = RequestQuery {
            state: Some(RequestState::Submitted),
            filed_before: Some(self.now() - WAITING_DAYS * 86_400_000_000),
            page: 1,
            per_page: 1,
            ..Default::default()
        };
        Ok(self.account_requests(actor, &q).await?.total)
    }

    /// What stands in the way of finishing a close request with these accesses confirmed removed.
    pub async fn request_blockers(&self, actor: &Actor, id: i64, removed: &[i64]) -> Result<Blockers> {
        let d = self.account_request(actor, id).await?;
        Ok(match d.request.kind {
            RequestKind::Close => close_blockers(d.assets, &d.grants, removed),
            _ => Blockers::default(),
        })
    }

    /// The administrator's part (R.19): the username, what was set up, the software on the
    /// workstation (R.29); the accesses follow the request.
    pub async fn carry_out_account_request(&self, actor: &Actor, id: i64, input: &CarryOutInput) -> Result<AccountRequest> {
        actor.require(Permission::UsersWrite)?;
        let d = self.account_request(actor, id).await?;
        let r = &d.request;
        if r.state != RequestState::Submitted {
            return Err(Error::invalid("state", "err-request-state"));
        }
        if r.social && r.social_approved_by.is_none() {
            return Err(Error::invalid("social", "err-request-social-approval"));
        }
        let person = self.store.get_person(actor.office_id, r.person_id).await?;
        let setup_note = input.setup_note.trim().to_string();
        let (username, grant, revoke) = match r.kind {
            RequestKind::Close => {
                let b = close_blockers(d.assets.clone(), &d.grants, &input.removed);
                if !b.is_empty() {
                    return Err(Error::invalid("removed", "err-request-blocked"));
                }
                (None, vec![], d.grants.iter().map(|g| g.id).collect())
            }
            kind => {
                let username = check_username(&input.username)?;
                let asked: Vec<(i64, String, String)> =
                    r.items.iter().map(|i| (i.application_id, i.application_name.clone(), i.role.clone())).collect();
                let held = |a: i64, role: &str| d.grants.iter().any(|g| g.application_id == a && g.role == role);
                let grant = asked.iter().filter(|(a, _, role)| !held(*a, role)).cloned().collect();
                // A change replaces what the person had: roles not asked for again are taken away.
                let revoke = match kind {
                    RequestKind::Change => d
                        .grants
                        .iter()
                        .filter(|g| !asked.iter().any(|(a, _, role)| *a == g.application_id && *role == g.role))
                        .map(|g| g.id)
                        .collect(),
                    _ => vec![],
                };
                (Some(username), grant, revoke)
            }
        };
        let software = self.workstation_software(actor.office_id, r.person_id).await?;
        let mut text = format!("Извршен захтев {} за {} корисничког налога запосленог {}", r.number, r.kind.log_name(), person.full_name());
        if let Some(u) = &username {
            text.push_str(&format!(", корисничко име {u}"));
        }
        if !revoke.is_empty() {
            text.push_str(&format!("; одузето приступа: {}", revoke.len()));
        }
        if !setup_note.is_empty() {
            text.push_str(&format!(" — {setup_note}"));
        }
        // The directory first: if it cannot do its part, nothing is recorded as done.
        let managed = self.managed_directory(actor.office_id).cloned();
        let held = self.store.directory_state(actor.office_id, AccountFilter::Person(r.person_id)).await?.accounts.into_iter().next();
        let mut opened = None;
        let mut closed_note = String::new();
        match (&managed, r.kind, &username) {
            (Some(d), RequestKind::Open, Some(u)) => {
                self.check_password_for(&person, &input.initial_password).map_err(|e| match e {
                    Error::Invalid(f) => Error::Invalid(f.into_iter().map(|f| FieldError::new("initial_password", f.message)).collect()),
                    e => e,
                })?;
                let new = NewDirectoryAccount {
                    username: u.clone(),
                    given_name: person.given_name.clone(),
                    family_name: person.family_name.clone(),
                    email: person.email.clone(),
                    unit: person.unit_name.clone().unwrap_or_default(),
                    password: input.initial_password.clone(),
                };
                let (dn, note) = self.open_directory_account(d, &new).await?;
                text.push_str(&note);
                opened = Some(DirectoryPerson {
                    dn,
                    username: new.username,
                    given_name: new.given_name,
                    family_name: new.family_name,
                    email: new.email,
                    phone: person.phone.clone(),
                    unit: new.unit,
                    groups: vec![],
                    disabled: false,
                });
            }
            (Some(d), RequestKind::Close, _) => {
                closed_note = self.disable_directory_account(d, held.as_ref()).await?;
                text.push_str(&closed_note);
            }
            _ => {}
        }
        let log = draft(actor, Category::SecurityMeasure, Some(ObjectRef::new("person", person.id, person.full_name())), text);
        let kind = r.kind;
        let person_id = r.person_id;
        let c = CarryOut { username, setup_note, software, done_by: actor.full_name.clone(), grant, revoke };
        let done = self.store.carry_out_account_request(actor.office_id, id, &c, self.now(), log).await?;
        if let (Some(d), Some(entry)) = (&managed, opened) {
            self.link_directory_account(d, person_id, entry).await?;
        }
        // Leaving: the Upravnik account closes too (law measure: end of employment).
        if kind == RequestKind::Close
            && let Some(a) = held.filter(|a| a.active)
        {
            self.close_account_of(actor.office_id, &a, &closed_note, actor).await?;
        }
        Ok(done)
    }

    /// Programs on the workstations the person holds, one per line (R.29).
    async fn workstation_software(&self, office_id: i64, person_id: i64) -> Result<String> {
        let mut lines = vec![];
        for (asset_id, number) in self.held_assets(office_id, person_id).await? {
            let parts = self.store.asset_parts(office_id, asset_id).await?;
            for p in crate::parts::only(&parts, PartKind::Software) {
                if let PartFields::Software { .. } = &p.fields {
                    lines.push(format!("{number}: {}", p.fields.describe()));
                }
            }
        }
        Ok(lines.join("\n"))
    }

    /// The head of administration approves social networks for the workplace (R.32); the
    /// approval is recorded on the request and in the work log.
    pub async fn approve_social_networks(&self, actor: &Actor, id: i64) -> Result<AccountRequest> {
        actor.require(Permission::ApproveSocialNetworks)?;
        let d = self.account_request(actor, id).await?;
        let r = &d.request;
        if !r.social || r.state != RequestState::Submitted {
            return Err(Error::invalid("social", "err-request-state"));
        }
        if r.social_approved_by.is_some() {
            return Ok(d.request);
        }
        let log = draft(
            actor,
            Category::SecurityMeasure,
            Some(ObjectRef::new("person", r.person_id, &r.person_name)),
            format!("Одобрен приступ друштвеним мрежама (члан 32) по захтеву {} за запосленог {}", r.number, r.person_name),
        );
        self.store.approve_social_networks(actor.office_id, id, &actor.full_name, self.now(), log).await
    }

    /// Refused by an administrator, or withdrawn by the head who filed it.
    pub async fn reject_account_request(&self, actor: &Actor, id: i64, reason: &str) -> Result<AccountRequest> {
        let d = self.account_request(actor, id).await?;
        let r = &d.request;
        if !actor.can(Permission::UsersWrite) && r.requested_by != actor.full_name {
            return Err(Error::Forbidden);
        }
        if r.state != RequestState::Submitted {
            return Err(Error::invalid("state", "err-request-state"));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid("reason", "err-required"));
        }
        let log = draft(
            actor,
            Category::Processing,
            Some(ObjectRef::new("person", r.person_id, &r.person_name)),
            format!("Одбијен захтев {} за {} корисничког налога запосленог {}: {reason}", r.number, r.kind.log_name(), r.person_name),
        );
        self.store.reject_account_request(actor.office_id, id, reason, self.now(), log).await
    }

    /// The people a request may be filed for by this actor: the head's unit, or everyone.
    pub async fn requestable_people(&self, actor: &Actor) -> Result<Vec<Person>> {
        let scope = if actor.can(Permission::UsersWrite) { None } else { self.request_scope(actor).await? };
        let mut q = crate::org::ListQuery::new(actor.office_id);
        q.per_page = 5000;
        q.include_inactive = true;
        let all = self.store.list_people(&q).await?.items;
        let mut out = vec![];
        for p in all {
            if self.in_scope(actor, scope, p.unit_id).await? {
                out.push(p);
            }
        }
        Ok(out)
    }
}
