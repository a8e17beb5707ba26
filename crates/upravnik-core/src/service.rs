//! Application services: authorise, validate, describe the change for the work log, call the
//! store. The web and CLI adapters call these and nothing below them.

use std::sync::Arc;

use crate::access::{Actor, Permission, Role};
use crate::clock::{Clock, Micros};
use crate::org::{ListQuery, Office, Page, Person, PersonInput, Unit, UnitInput, Workplace, WorkplaceInput};
use crate::password::{self, PersonalData, Username};
use crate::ports::{Account, ApiToken, NewAccount, Store};
use crate::worklog::{Break, Category, Draft, Entry, Filter, ObjectRef, Verifier};
use crate::{Error, Result};

/// Tunable rules; defaults follow R.18 and common practice.
#[derive(Debug, Clone)]
pub struct Policy {
    /// R.18 asks for at least 8; an office may require more, never less.
    pub min_password_len: usize,
    pub session_ttl_secs: i64,
    /// Failures before the first lock; each further failure doubles the lock.
    pub lockout_after: i64,
    pub lockout_base_secs: i64,
    pub lockout_max_secs: i64,
    /// R.18 asks for periodic password changes; after this many days the home page reminds.
    pub password_max_age_days: i64,
    /// Administrators act as administrators only once their second factor is on (the 2025 law's
    /// measure); until then they may set it up and nothing more of the administrator's.
    pub require_mfa_for_administrators: bool,
    /// The daily archive's schedule (R.22); `None`: not scheduled by this installation.
    pub backup: Option<crate::backup_schedule::BackupPolicy>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_password_len: 8,
            session_ttl_secs: 8 * 3600,
            lockout_after: 5,
            lockout_base_secs: 30,
            lockout_max_secs: 15 * 60,
            password_max_age_days: 180,
            require_mfa_for_administrators: false,
            backup: None,
        }
    }
}

#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub policy: Policy,
    /// Agent credentials verified lately (`inventory::service`).
    pub agent_auth: Arc<crate::inventory::service::AgentAuthCache>,
    /// The office's LDAP / Active Directory, when configured (`directory_service`).
    pub directory: Option<Arc<crate::directory_service::DirectoryLink>>,
    /// Recognisers of software built lately (`software_service`).
    pub software_cache: Arc<crate::software_service::SoftwareCache>,
    /// Offices' report targets read lately (`sla_service`).
    pub sla_cache: Arc<crate::sla_service::SlaCache>,
}

/// What a correct password leads to.
pub enum SignIn {
    Session(NewSession),
    /// The account has a second factor: answer this ticket with the code.
    Code {
        ticket: String,
    },
}

/// A new signed-in session: the cookie value and its CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// The outcome of verifying every chain.
#[derive(Debug)]
pub struct VerifyReport {
    pub checked: u64,
    pub broken: Vec<(i64, Break)>,
}

pub fn draft(actor: &Actor, category: Category, object: Option<ObjectRef>, text: String) -> Draft {
    Draft {
        office_id: actor.office_id,
        actor_user_id: Some(actor.user_id),
        actor_name: actor.full_name.clone(),
        category,
        object,
        confidential: false,
        text,
    }
}

impl Services {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: Policy) -> Self {
        Self {
            store,
            clock,
            policy,
            agent_auth: Arc::default(),
            directory: None,
            software_cache: Arc::default(),
            sla_cache: Arc::default(),
        }
    }

    pub(crate) fn now(&self) -> Micros {
        self.clock.now_us()
    }

    // --- first run -------------------------------------------------------------------------

    pub async fn needs_setup(&self) -> Result<bool> {
        Ok(!self.store.administrator_exists().await?)
    }

    /// Creates the office if none exists, then a person and an administrator account for them.
    /// Used by `upravnik admin create` (and the demo); there is no actor yet.
    pub async fn bootstrap_admin(&self, office_name: &str, username: &str, full_name: &str, pw: &str) -> Result<Account> {
        self.create_admin(None, office_name, username, full_name, pw).await
    }

    /// An administrator in the given office (or the first one, created if needed).
    pub async fn create_admin(
        &self,
        office_id: Option<i64>,
        office_name: &str,
        username: &str,
        full_name: &str,
        pw: &str,
    ) -> Result<Account> {
        let username = Username::parse(username)?;
        let (given, family) = split_name(full_name)?;
        password::check_password(
            pw,
            self.policy.min_password_len,
            &PersonalData { given_name: &given, family_name: &family, birth_date: None },
        )?;
        let office = match office_id {
            Some(id) => self.store.offices().await?.into_iter().find(|o| o.id == id).ok_or(Error::NotFound { what: "office" })?,
            None => self.office_or_create(office_name).await?,
        };
        let system = |text: String, cat, object| Draft {
            office_id: office.id,
            actor_user_id: None,
            actor_name: "upravnik".into(),
            category: cat,
            object,
            confidential: false,
            text,
        };
        let input = PersonInput { given_name: given, family_name: family, ..Default::default() }.validate()?;
        let now = self.now();
        let person = self
            .store
            .create_person(office.id, &input, now, system(format!("Унета особа {}", full_name.trim()), Category::ConfigurationChange, None))
            .await?;
        let hash = password::hash_password(pw)?;
        self.store
            .create_account(
                &NewAccount {
                    office_id: office.id,
                    person_id: person.id,
                    username: username.as_str().to_string(),
                    password_hash: hash,
                    roles: vec![Role::Administrator],
                    now_us: now,
                },
                system(
                    format!("Отворен администраторски налог {} (командна линија)", username.as_str()),
                    Category::AccountChange,
                    Some(ObjectRef::new("person", person.id, person.full_name())),
                ),
            )
            .await
    }

    pub async fn office_or_create(&self, name: &str) -> Result<Office> {
        if let Some(o) = self.store.offices().await?.into_iter().next() {
            return Ok(o);
        }
        self.create_office(name).await
    }

    /// Another local government served by this installation (a city municipality, or a tenant of
    /// the hosted service). Its work log is a chain of its own.
    pub async fn create_office(&self, name: &str) -> Result<Office> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("office", "err-required"));
        }
        let d = Draft {
            office_id: 0,
            actor_user_id: None,
            actor_name: "upravnik".into(),
            category: Category::ConfigurationChange,
            object: None,
            confidential: false,
            text: format!("Основана евиденција за орган: {name}"),
        };
        self.store.create_office(name, d, self.now()).await
    }

    // --- sign-in -----------------------------------------------------------------------------

    /// Checks the password with back-off after repeated failures (per username, known or not).
    /// An account with a second factor gets a ticket to answer with its code
    /// ([`Services::sign_in_code`]) instead of a session.
    pub async fn sign_in(&self, username: &str, pw: &str) -> Result<SignIn> {
        let key = username.trim().to_lowercase();
        let now = self.now();
        let (failures, locked) = self.store.login_throttle(&key).await?;
        if let Some(until) = locked.filter(|&u| u > now) {
            return Err(Error::Locked { until_us: until });
        }
        let rec = self.store.login_record(&key).await?;
        // A local account is checked here and never at the directory, so it works while the
        // directory is down; a directory account, or a name Upravnik does not know yet, there.
        let signed: Option<i64> = match &rec {
            Some(r) if r.directory_dn.is_none() => (password::verify_password(pw, &r.password_hash) && r.active).then_some(r.user_id),
            _ if self.directory.is_some() => self.directory_sign_in(&key, pw).await?,
            _ => {
                // Same cost for unknown names, so timing does not reveal which accounts exist.
                password::verify_password(pw, password::dummy_hash());
                None
            }
        };
        let Some(user_id) = signed else {
            self.sign_in_failed(&key, failures, now).await?;
            return Err(Error::Unauthenticated);
        };
        self.store.clear_login_failures(&key).await?;
        if self.store.totp(user_id).await?.secret.is_some() {
            let ticket = password::random_token()?;
            self.store.create_login_ticket(&password::token_digest(&ticket), user_id, now + crate::mfa::TICKET_TTL_US).await?;
            return Ok(SignIn::Code { ticket });
        }
        self.open_session(user_id, "Пријава на систем").await.map(SignIn::Session)
    }

    /// A sign-in that must end in a session: an account with a second factor is refused here
    /// (`err-mfa-required`); pages and the browser go through [`Services::sign_in`].
    pub async fn login(&self, username: &str, pw: &str) -> Result<NewSession> {
        match self.sign_in(username, pw).await? {
            SignIn::Session(s) => Ok(s),
            SignIn::Code { .. } => Err(Error::invalid("code", "err-mfa-required")),
        }
    }

    /// One more failure for this name; a lock after too many, written to the work log.
    pub(crate) async fn sign_in_failed(&self, key: &str, failures: i64, now: i64) -> Result<()> {
        let n = failures + 1;
        let lock = (n >= self.policy.lockout_after).then(|| {
            let exp = u32::try_from(n - self.policy.lockout_after).unwrap_or(16).min(16);
            let secs = (self.policy.lockout_base_secs << exp).min(self.policy.lockout_max_secs);
            now + secs * 1_000_000
        });
        let log = match (lock, self.store.offices().await?.first()) {
            (Some(_), Some(office)) => Some(Draft {
                office_id: office.id,
                actor_user_id: None,
                actor_name: "upravnik".into(),
                category: Category::SecurityMeasure,
                object: None,
                confidential: false,
                text: format!("Пријава за корисничко име „{key}“ привремено блокирана после {n} неуспешних покушаја"),
            }),
            _ => None,
        };
        self.store.record_login_failure(key, now, lock, log).await.map(|_| ())
    }

    /// A new session for an account whose credentials were checked.
    pub(crate) async fn open_session(&self, user_id: i64, text: &str) -> Result<NewSession> {
        let now = self.now();
        let actor = self.store.actor(user_id).await?;
        let token = password::random_token()?;
        let csrf = password::random_token()?;
        let log = draft(&actor, Category::AccountChange, Some(ObjectRef::new("user", actor.user_id, &actor.username)), text.into());
        self.store
            .create_session(&password::token_digest(&token), actor.user_id, &csrf, now, now + self.policy.session_ttl_secs * 1_000_000, log)
            .await?;
        let actor = self.mfa_gate(actor).await?;
        Ok(NewSession { token, csrf, actor })
    }

    /// The actor and CSRF token of a live session; slides its expiry.
    pub async fn session(&self, token: &str) -> Result<Option<(Actor, String)>> {
        let h = password::token_digest(token);
        let Some(s) = self.store.session(&h).await? else { return Ok(None) };
        let now = self.now();
        if s.expires_us <= now {
            self.store.delete_session(&h, now, None).await?;
            return Ok(None);
        }
        // Write at most once a minute per session: reads stay reads.
        let fresh = now + self.policy.session_ttl_secs * 1_000_000;
        if fresh - s.expires_us > 60_000_000 {
            self.store.touch_session(&h, fresh).await?;
        }
        Ok(Some((self.mfa_gate(s.actor).await?, s.csrf)))
    }

    pub async fn logout(&self, actor: &Actor, token: &str) -> Result<()> {
        let log =
            draft(actor, Category::AccountChange, Some(ObjectRef::new("user", actor.user_id, &actor.username)), "Одјава са система".into());
        self.store.delete_session(&password::token_digest(token), self.now(), Some(log)).await
    }

    pub async fn api_actor(&self, token: &str) -> Result<Option<Actor>> {
        match self.store.actor_by_api_token(&password::token_digest(token), self.now()).await? {
            Some(a) => Ok(Some(self.mfa_gate(a).await?)),
            None => Ok(None),
        }
    }

    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        let rec = self.store.login_record(&actor.username).await?.ok_or(Error::NotFound { what: "account" })?;
        if rec.directory_dn.is_some() {
            return Err(Error::invalid("current_password", "err-password-directory"));
        }
        if !password::verify_password(current, &rec.password_hash) {
            return Err(Error::invalid("current_password", "err-password-wrong"));
        }
        let person = self.store.get_person(actor.home_office_id, actor.person_id).await?;
        self.check_password_for(&person, new)?;
        let log =
            draft(actor, Category::AccountChange, Some(ObjectRef::new("user", actor.user_id, &actor.username)), "Промењена лозинка".into());
        self.store.set_password(actor.user_id, &password::hash_password(new)?, self.now(), log).await
    }

    pub(crate) fn check_password_for(&self, person: &Person, pw: &str) -> Result<()> {
        let bd = person.birth_date.as_deref().and_then(|d| d.parse().ok());
        password::check_password(
            pw,
            self.policy.min_password_len,
            &PersonalData { given_name: &person.given_name, family_name: &person.family_name, birth_date: bd },
        )
    }

    /// Whether the actor's password is older than the policy allows (R.18).
    pub async fn password_is_old(&self, actor: &Actor) -> Result<bool> {
        let a = self.store.account(actor.user_id).await?;
        Ok(self.now() - a.password_changed_us > self.policy.password_max_age_days * 86_400_000_000)
    }

    pub async fn set_locale(&self, actor: &Actor, locale: &str) -> Result<()> {
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", actor.user_id, &actor.username)),
            format!("Језик корисника: {locale}"),
        );
        self.store.set_locale(actor.user_id, locale, self.now(), log).await
    }

    // --- organisation ------------------------------------------------------------------------

    /// Lets an account see and work in another office too (CLI: `upravnik admin grant-office`).
    pub async fn grant_office(&self, username: &str, office_id: i64) -> Result<()> {
        let rec = self.store.login_record(username).await?.ok_or(Error::NotFound { what: "account" })?;
        let office = self.store.offices().await?.into_iter().find(|o| o.id == office_id).ok_or(Error::NotFound { what: "office" })?;
        let a = self.store.account(rec.user_id).await?;
        let log = Draft {
            office_id: a.office_id,
            actor_user_id: None,
            actor_name: "upravnik".into(),
            category: Category::AccountChange,
            object: Some(ObjectRef::new("user", a.user_id, &a.username)),
            confidential: false,
            text: format!("Налогу {} дат приступ органу „{}“ (командна линија)", a.username, office.name),
        };
        self.store.grant_office(a.user_id, office_id, self.now(), log).await
    }

    pub async fn offices(&self, actor: &Actor) -> Result<Vec<Office>> {
        Ok(self.store.offices().await?.into_iter().filter(|o| actor.sees_office(o.id)).collect())
    }

    /// The office's active units, workplaces, people and accounts; accounts are 0 for one who
    /// may not read them.
    pub async fn org_counts(&self, actor: &Actor) -> Result<crate::org::OrgCounts> {
        actor.require(Permission::OrgRead)?;
        let mut c = self.store.org_counts(actor.office_id).await?;
        if !actor.can(Permission::UsersRead) {
            c.accounts = 0;
        }
        Ok(c)
    }

    pub async fn units(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Unit>> {
        actor.require(Permission::OrgRead)?;
        self.store.list_units(&scoped(actor, q)?).await
    }

    pub async fn unit(&self, actor: &Actor, id: i64) -> Result<Unit> {
        actor.require(Permission::OrgRead)?;
        self.store.get_unit(actor.office_id, id).await
    }

    pub async fn create_unit(&self, actor: &Actor, input: UnitInput) -> Result<Unit> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        self.check_parent(actor, &input, None).await?;
        let kind = if input.parent_id.is_some() { "унутрашња" } else { "основна" };
        let log = draft(actor, Category::ConfigurationChange, None, format!("Креирана {kind} организациона јединица „{}“", input.name));
        self.store.create_unit(actor.office_id, &input, self.now(), log).await
    }

    pub async fn update_unit(&self, actor: &Actor, id: i64, input: UnitInput) -> Result<Unit> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        let old = self.store.get_unit(actor.office_id, id).await?;
        self.check_parent(actor, &input, Some(id)).await?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("unit", id, &input.name)),
            format!("Измењена организациона јединица „{}“{}", old.name, changed_to(&old.name, &input.name)),
        );
        self.store.update_unit(actor.office_id, id, &input, self.now(), log).await
    }

    /// Units nest one level: an internal unit lives in a basic unit (R.39 folder layout follows it).
    async fn check_parent(&self, actor: &Actor, input: &UnitInput, own_id: Option<i64>) -> Result<()> {
        if let Some(p) = input.parent_id {
            if Some(p) == own_id {
                return Err(Error::invalid("parent_id", "err-parent-self"));
            }
            let parent = self.store.get_unit(actor.office_id, p).await.map_err(|_| Error::invalid("parent_id", "err-parent-missing"))?;
            if parent.parent_id.is_some() {
                return Err(Error::invalid("parent_id", "err-parent-not-basic"));
            }
        }
        Ok(())
    }

    pub async fn set_unit_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        actor.require(Permission::OrgWrite)?;
        let u = self.store.get_unit(actor.office_id, id).await?;
        let verb = if active { "Поново активирана" } else { "Деактивирана" };
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("unit", id, &u.name)),
            format!("{verb} организациона јединица „{}“", u.name),
        );
        self.store.set_unit_active(actor.office_id, id, active, self.now(), log).await
    }

    pub async fn workplaces(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Workplace>> {
        actor.require(Permission::OrgRead)?;
        self.store.list_workplaces(&scoped(actor, q)?).await
    }

    pub async fn workplace(&self, actor: &Actor, id: i64) -> Result<Workplace> {
        actor.require(Permission::OrgRead)?;
        self.store.get_workplace(actor.office_id, id).await
    }

    pub async fn create_workplace(&self, actor: &Actor, input: WorkplaceInput) -> Result<Workplace> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        let unit = self.store.get_unit(actor.office_id, input.unit_id).await.map_err(|_| Error::invalid("unit_id", "err-unit-missing"))?;
        let log =
            draft(actor, Category::ConfigurationChange, None, format!("Креирано радно место „{}“ у јединици „{}“", input.name, unit.name));
        self.store.create_workplace(actor.office_id, &input, self.now(), log).await
    }

    pub async fn update_workplace(&self, actor: &Actor, id: i64, input: WorkplaceInput) -> Result<Workplace> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        let old = self.store.get_workplace(actor.office_id, id).await?;
        let unit = self.store.get_unit(actor.office_id, input.unit_id).await.map_err(|_| Error::invalid("unit_id", "err-unit-missing"))?;
        let moved = if old.unit_id != input.unit_id { format!(", премештено у „{}“", unit.name) } else { String::new() };
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("workplace", id, &input.name)),
            format!("Измењено радно место „{}“{}{moved}", old.name, changed_to(&old.name, &input.name)),
        );
        self.store.update_workplace(actor.office_id, id, &input, self.now(), log).await
    }

    pub async fn set_workplace_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        actor.require(Permission::OrgWrite)?;
        let w = self.store.get_workplace(actor.office_id, id).await?;
        let verb = if active { "Поново активирано" } else { "Деактивирано" };
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("workplace", id, &w.name)),
            format!("{verb} радно место „{}“", w.name),
        );
        self.store.set_workplace_active(actor.office_id, id, active, self.now(), log).await
    }

    pub async fn people(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Person>> {
        actor.require(Permission::OrgRead)?;
        self.store.list_people(&scoped(actor, q)?).await
    }

    pub async fn person(&self, actor: &Actor, id: i64) -> Result<Person> {
        if id == actor.person_id {
            return self.store.get_person(actor.home_office_id, id).await;
        }
        actor.require(Permission::OrgRead)?;
        self.store.get_person(actor.office_id, id).await
    }

    pub async fn create_person(&self, actor: &Actor, input: PersonInput) -> Result<Person> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        self.check_placement(actor, &input).await?;
        let log = draft(actor, Category::ConfigurationChange, None, format!("Унет запослени {} {}", input.given_name, input.family_name));
        self.store.create_person(actor.office_id, &input, self.now(), log).await
    }

    pub async fn update_person(&self, actor: &Actor, id: i64, input: PersonInput) -> Result<Person> {
        actor.require(Permission::OrgWrite)?;
        let input = input.validate()?;
        let old = self.store.get_person(actor.office_id, id).await?;
        self.check_placement(actor, &input).await?;
        let mut what = Vec::new();
        if old.unit_id != input.unit_id {
            what.push("премештен у другу јединицу");
        }
        if old.workplace_id != input.workplace_id {
            // R.19: a change of workplace needs a new account request; the workstation stays.
            what.push("промењено радно место");
        }
        let mut extra = if what.is_empty() { String::new() } else { format!(" ({})", what.join(", ")) };
        if old.workplace_id != input.workplace_id && actor.can(Permission::AssetsRead) {
            // R.19: the workstation stays with the workplace when its user changes job.
            let q =
                crate::asset::AssetQuery { office_id: actor.office_id, person_id: Some(id), page: 1, per_page: 50, ..Default::default() };
            let stays: Vec<String> = self
                .store
                .list_assets(&q)
                .await?
                .items
                .iter()
                .filter(|a| a.fields.kind == crate::asset::AssetKind::Workstation)
                .map(|a| a.fields.label.map(crate::asset::format_label).unwrap_or_else(|| a.fields.inventory_number.clone()))
                .collect();
            if !stays.is_empty() {
                extra.push_str(&format!("; радна станица {} остаје на старом радном месту (чл. 19)", stays.join(", ")));
            }
        }
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("person", id, old.full_name())),
            format!("Измењени подаци запосленог {}{extra}", old.full_name()),
        );
        self.store.update_person(actor.office_id, id, &input, self.now(), log).await
    }

    async fn check_placement(&self, actor: &Actor, input: &PersonInput) -> Result<()> {
        if let Some(u) = input.unit_id {
            self.store.get_unit(actor.office_id, u).await.map_err(|_| Error::invalid("unit_id", "err-unit-missing"))?;
        }
        if let Some(w) = input.workplace_id {
            let wp =
                self.store.get_workplace(actor.office_id, w).await.map_err(|_| Error::invalid("workplace_id", "err-workplace-missing"))?;
            if input.unit_id.is_some_and(|u| u != wp.unit_id) {
                return Err(Error::invalid("workplace_id", "err-workplace-other-unit"));
            }
        }
        Ok(())
    }

    /// Deactivates (never deletes) a person; their account is closed with them (law measure 4, R.55).
    pub async fn set_person_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        actor.require(Permission::OrgWrite)?;
        if id == actor.person_id && !active {
            // Deactivating oneself would close one's own account: the last door out.
            return Err(Error::invalid("active", "err-account-self-disable"));
        }
        let p = self.store.get_person(actor.office_id, id).await?;
        let verb = if active {
            "Поново активиран"
        } else {
            "Деактивиран (затворен и кориснички налог)"
        };
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("person", id, p.full_name())),
            format!("{verb} запослени {}", p.full_name()),
        );
        self.store.set_person_active(actor.office_id, id, active, self.now(), log).await
    }

    // --- accounts ----------------------------------------------------------------------------

    pub async fn accounts(&self, actor: &Actor, q: &ListQuery) -> Result<Page<Account>> {
        actor.require(Permission::UsersRead)?;
        self.store.list_accounts(&scoped(actor, q)?).await
    }

    pub async fn account(&self, actor: &Actor, user_id: i64) -> Result<Account> {
        if user_id != actor.user_id {
            actor.require(Permission::UsersRead)?;
        }
        let a = self.store.account(user_id).await?;
        if !actor.sees_office(a.office_id) {
            return Err(Error::NotFound { what: "account" });
        }
        Ok(a)
    }

    pub async fn create_account(&self, actor: &Actor, person_id: i64, username: &str, pw: &str, roles: Vec<Role>) -> Result<Account> {
        actor.require(Permission::UsersWrite)?;
        let person = self.store.get_person(actor.office_id, person_id).await?;
        let mut errs = crate::error::Errors::default();
        let username = errs.take(Username::parse(username));
        errs.take(self.check_password_for(&person, pw));
        if roles.is_empty() {
            errs.add("roles", "err-roles-empty");
        }
        errs.finish()?;
        let username = username.ok_or(Error::invalid("username", "err-username-format"))?;
        if person.username.is_some() {
            return Err(Error::Conflict { code: "person_has_account", field: Some("username") });
        }
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("person", person.id, person.full_name())),
            format!("Отворен кориснички налог {} ({})", username.as_str(), role_list(&roles)),
        );
        self.store
            .create_account(
                &NewAccount {
                    office_id: actor.office_id,
                    person_id,
                    username: username.as_str().to_string(),
                    password_hash: password::hash_password(pw)?,
                    roles,
                    now_us: self.now(),
                },
                log,
            )
            .await
    }

    pub async fn set_roles(&self, actor: &Actor, user_id: i64, roles: Vec<Role>) -> Result<()> {
        actor.require(Permission::UsersWrite)?;
        let a = self.account(actor, user_id).await?;
        if roles.is_empty() {
            return Err(Error::invalid("roles", "err-roles-empty"));
        }
        if user_id == actor.user_id && !roles.contains(&Role::Administrator) {
            // The last door out: an administrator cannot take their own administrator role away.
            return Err(Error::invalid("roles", "err-roles-self-admin"));
        }
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", user_id, &a.username)),
            format!("Улоге налога {}: {}", a.username, role_list(&roles)),
        );
        self.store.set_roles(user_id, &roles, self.now(), log).await
    }

    pub async fn set_account_active(&self, actor: &Actor, user_id: i64, active: bool) -> Result<()> {
        actor.require(Permission::UsersWrite)?;
        let a = self.account(actor, user_id).await?;
        if user_id == actor.user_id && !active {
            return Err(Error::invalid("active", "err-account-self-disable"));
        }
        let verb = if active { "Поново отворен" } else { "Затворен" };
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", user_id, &a.username)),
            format!("{verb} кориснички налог {}", a.username),
        );
        self.store.set_account_active(user_id, active, self.now(), log).await
    }

    pub async fn reset_password(&self, actor: &Actor, user_id: i64, pw: &str) -> Result<()> {
        actor.require(Permission::UsersWrite)?;
        let a = self.account(actor, user_id).await?;
        if a.directory {
            return Err(Error::invalid("password", "err-password-directory"));
        }
        let person = self.store.get_person(a.office_id, a.person_id).await?;
        self.check_password_for(&person, pw)?;
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", user_id, &a.username)),
            format!("Администратор поставио нову лозинку налогу {}", a.username),
        );
        self.store.set_password(user_id, &password::hash_password(pw)?, self.now(), log).await
    }

    // --- API tokens --------------------------------------------------------------------------

    /// Returns the token once; only its digest is kept.
    pub async fn create_api_token(&self, actor: &Actor, name: &str) -> Result<(ApiToken, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid("name", "err-required"));
        }
        let token = format!("upr_{}", password::random_token()?);
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", actor.user_id, &actor.username)),
            format!("Издат API токен „{name}“"),
        );
        let t = self.store.create_api_token(actor.user_id, name, &password::token_digest(&token), self.now(), log).await?;
        Ok((t, token))
    }

    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        self.store.api_tokens(actor.user_id).await
    }

    pub async fn revoke_api_token(&self, actor: &Actor, id: i64) -> Result<()> {
        let log = draft(
            actor,
            Category::AccountChange,
            Some(ObjectRef::new("user", actor.user_id, &actor.username)),
            format!("Опозван API токен #{id}"),
        );
        self.store.revoke_api_token(actor.user_id, id, self.now(), log).await
    }

    // --- work log ----------------------------------------------------------------------------

    pub async fn worklog(&self, actor: &Actor, mut f: Filter) -> Result<Vec<Entry>> {
        actor.require(Permission::WorklogRead)?;
        f.office_id = actor.office_scope(Some(f.office_id).filter(|&o| o > 0))?;
        f.include_confidential_text = actor.can(Permission::WorklogConfidential);
        f.limit = f.limit.clamp(1, 1000);
        self.store.worklog(&f).await
    }

    pub async fn worklog_entry(&self, actor: &Actor, id: i64) -> Result<Entry> {
        actor.require(Permission::WorklogRead)?;
        let mut e = self.store.worklog_entry(actor.office_id, id).await?;
        if e.confidential && !actor.can(Permission::WorklogConfidential) {
            e.text = String::new();
        }
        Ok(e)
    }

    /// A manual entry by an administrator (R.20).
    pub async fn add_worklog_entry(
        &self,
        actor: &Actor,
        category: Category,
        object: Option<ObjectRef>,
        text: &str,
        confidential: bool,
    ) -> Result<Entry> {
        actor.require(Permission::WorklogWrite)?;
        let mut d = draft(actor, category, object, text.trim().to_string());
        d.confidential = confidential;
        d.validate()?;
        self.store.append(d, self.now()).await
    }

    /// Walks every office's chain from the start; see [`Verifier`].
    pub async fn verify_worklog(&self) -> Result<VerifyReport> {
        let mut report = VerifyReport { checked: 0, broken: Vec::new() };
        for head in self.store.chain_heads().await? {
            let mut v = Verifier::default();
            let mut after = 0;
            let outcome = loop {
                let page = self.store.chain_page(head.office_id, after, 5000).await?;
                let Some(last) = page.last() else { break v.finish(head.seq, &head.hash) };
                after = last.seq;
                if let Err(b) = page.iter().try_for_each(|e| v.push(e)) {
                    break Err(b);
                }
            };
            report.checked += v.checked;
            if let Err(b) = outcome {
                report.broken.push((head.office_id, b));
            }
        }
        Ok(report)
    }
}

fn scoped(actor: &Actor, q: &ListQuery) -> Result<ListQuery> {
    let mut q = q.clone();
    q.office_id = actor.office_scope(Some(q.office_id).filter(|&o| o > 0))?;
    q.per_page = q.per_page.clamp(1, 500);
    Ok(q)
}

fn changed_to(old: &str, new: &str) -> String {
    if old == new { String::new() } else { format!(" → „{new}“") }
}

fn role_list(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

/// "Марко Петровић" → ("Марко", "Петровић"); the family name is the last word.
pub fn split_name(full: &str) -> Result<(String, String)> {
    let full = full.trim();
    match full.rsplit_once(' ') {
        Some((g, f)) if !g.trim().is_empty() && !f.is_empty() => Ok((g.trim().to_string(), f.to_string())),
        _ => Err(Error::invalid("full_name", "err-full-name")),
    }
}
