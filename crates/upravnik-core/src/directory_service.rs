//! Services for the office's directory: sign-in by bind, the sync of people, units and roles,
//! and opening or disabling accounts there when a request is carried out (R.19).
//!
//! Accounts without a directory DN are local and never touch the directory, so the first
//! administrator and every local account keep working when the directory is down.

use std::sync::Arc;

use crate::access::{Actor, Permission};
use crate::directory::{
    AccountFilter, DeactivateReason, Directory, DirectoryFailure, DirectoryPerson, DirectorySettings, LocalAccount, NewDirectoryAccount,
    SyncChange, SyncCounts, SyncRun, describe, plan_sync,
};
use crate::service::Services;
use crate::worklog::{Category, Draft};
use crate::{Error, Result};

/// The directory and how it is used; `None` on [`Services`] when none is configured.
#[derive(Clone)]
pub struct DirectoryLink {
    pub client: Arc<dyn Directory>,
    pub settings: DirectorySettings,
}

/// The lease name that lets one instance of several run the scheduled sync.
pub const SYNC_JOB: &str = "directory-sync";

fn system(office_id: i64, category: Category, text: String) -> Draft {
    Draft { office_id, actor_user_id: None, actor_name: "upravnik".into(), category, object: None, confidential: false, text }
}

/// The adapter has logged why; the person is told the directory cannot be reached.
fn unavailable(_why: &str) -> Error {
    Error::Unavailable { what: "directory" }
}

impl Services {
    pub fn with_directory(mut self, link: Option<DirectoryLink>) -> Self {
        self.directory = link.map(Arc::new);
        self
    }

    pub fn directory(&self) -> Option<&DirectoryLink> {
        self.directory.as_deref()
    }

    /// Signs in at the directory (the password is checked there, never stored here) and brings
    /// the person's account in line with their entry. `Ok(None)`: refused.
    pub(crate) async fn directory_sign_in(&self, username: &str, pw: &str) -> Result<Option<i64>> {
        let Some(d) = self.directory() else { return Ok(None) };
        // An empty password would be an anonymous bind, which a directory accepts.
        if pw.is_empty() {
            return Ok(None);
        }
        let entry = match d.client.authenticate(username, pw).await {
            Ok(e) if !e.disabled => e,
            Ok(_) | Err(DirectoryFailure::Refused) => return Ok(None),
            Err(DirectoryFailure::Unavailable(why)) => return Err(unavailable(&why)),
            Err(DirectoryFailure::Rejected(_)) => return Ok(None),
        };
        let office_id = d.settings.office_id;
        let filter = AccountFilter::Entry { dn: &entry.dn, username: &entry.username, email: &entry.email };
        let local = self.store.directory_state(office_id, filter).await?;
        let (changes, _) = plan_sync(&local, std::slice::from_ref(&entry), &d.settings);
        for c in &changes {
            let log = system(office_id, Category::AccountChange, describe(c, &d.client.describe()));
            self.store.apply_directory_change(office_id, c, self.now(), log).await?;
        }
        // An account closed in Upravnik (not by the directory) stays closed.
        let rec = self.store.login_record(&entry.username).await?;
        Ok(rec.filter(|r| r.active && r.directory_dn.as_deref() == Some(entry.dn.as_str())).map(|r| r.user_id))
    }

    /// Brings people, units and roles in line with the directory; each change is its own
    /// transaction with its work-log entry, and the run is recorded. Without an actor it is the
    /// scheduler or the command line.
    pub async fn sync_directory(&self, actor: Option<&Actor>) -> Result<SyncRun> {
        if let Some(a) = actor {
            a.require(Permission::UsersWrite)?;
        }
        let Some(d) = self.directory() else { return Err(Error::invalid("directory", "err-directory-none")) };
        let office_id = d.settings.office_id;
        let source = d.client.describe();
        let started = self.now();
        let who = actor.map(|a| a.full_name.clone()).unwrap_or_else(|| "upravnik".into());
        let people = match d.client.people().await {
            Ok(p) => p,
            Err(e) => {
                let message = e.to_string();
                let text = format!("Синхронизација са директоријумом ({source}) није успела: {message}");
                let log = Draft { actor_user_id: actor.map(|a| a.user_id), actor_name: who, ..system(office_id, Category::Outage, text) };
                let run =
                    SyncRun { id: 0, started_us: started, finished_us: self.now(), ok: false, counts: SyncCounts::default(), message };
                self.store.record_directory_sync(office_id, &run, log).await?;
                return Err(unavailable(&run.message));
            }
        };
        let local = self.store.directory_state(office_id, AccountFilter::All).await?;
        let (changes, unchanged) = plan_sync(&local, &people, &d.settings);
        let mut counts = SyncCounts { unchanged, ..SyncCounts::default() };
        let mut failures = vec![];
        for c in &changes {
            let log = Draft {
                actor_user_id: actor.map(|a| a.user_id),
                actor_name: who.clone(),
                ..system(office_id, Category::AccountChange, describe(c, &source))
            };
            match self.store.apply_directory_change(office_id, c, self.now(), log).await {
                Ok(_) => match c {
                    SyncChange::Create { .. } => counts.created += 1,
                    SyncChange::Update { .. } => counts.updated += 1,
                    SyncChange::Deactivate { .. } => counts.deactivated += 1,
                },
                Err(e) => {
                    counts.failed += 1;
                    let name = match c {
                        SyncChange::Create { entry, .. } | SyncChange::Update { entry, .. } => entry.username.clone(),
                        SyncChange::Deactivate { name, .. } => name.clone(),
                    };
                    failures.push(format!("{name}: {}", e.code()));
                }
            }
        }
        let message = failures.iter().take(20).cloned().collect::<Vec<_>>().join("; ");
        let text = format!(
            "Синхронизација са директоријумом ({source}): {} особа у директоријуму; нових {}, измењених {}, затворених {}, без промене {}{}",
            people.len(),
            counts.created,
            counts.updated,
            counts.deactivated,
            counts.unchanged,
            if counts.failed > 0 { format!(", неуспелих {} ({message})", counts.failed) } else { String::new() }
        );
        let log = Draft { actor_user_id: actor.map(|a| a.user_id), actor_name: who, ..system(office_id, Category::Processing, text) };
        let run = SyncRun { id: 0, started_us: started, finished_us: self.now(), ok: counts.failed == 0, counts, message };
        let id = self.store.record_directory_sync(office_id, &run, log).await?;
        Ok(SyncRun { id, ..run })
    }

    /// The latest runs of the sync, newest first.
    pub async fn directory_syncs(&self, actor: &Actor, limit: i64) -> Result<Vec<SyncRun>> {
        actor.require(Permission::UsersRead)?;
        match self.directory() {
            Some(d) if d.settings.office_id == actor.office_id => self.store.directory_syncs(actor.office_id, limit.clamp(1, 200)).await,
            _ => Ok(vec![]),
        }
    }

    /// The scheduler's turn: runs the sync when this instance wins the lease for the interval,
    /// so several instances behind a load balancer sync once, not once each.
    pub async fn scheduled_directory_sync(&self, holder: &str, every_us: i64) -> Result<Option<SyncRun>> {
        if self.directory().is_none() {
            return Ok(None);
        }
        let now = self.now();
        if !self.store.claim_job(SYNC_JOB, holder, now, now + every_us).await? {
            return Ok(None);
        }
        self.sync_directory(None).await.map(Some)
    }

    /// The directory account of a person, when the directory manages accounts (R.19).
    pub(crate) fn managed_directory(&self, office_id: i64) -> Option<&DirectoryLink> {
        self.directory().filter(|d| d.settings.manage_accounts && d.settings.office_id == office_id)
    }

    /// Opens the account in the directory for a carried-out request: its DN and the sentence for
    /// the work log.
    pub(crate) async fn open_directory_account(&self, d: &DirectoryLink, new: &NewDirectoryAccount) -> Result<(String, String)> {
        let dn = match d.client.create_account(new).await {
            Ok(dn) => dn,
            Err(DirectoryFailure::Unavailable(why)) => return Err(unavailable(&why)),
            Err(DirectoryFailure::Rejected(_)) => return Err(Error::Conflict { code: "directory_refused", field: Some("username") }),
            Err(DirectoryFailure::Refused) => return Err(unavailable("the service account was refused")),
        };
        Ok((dn.clone(), format!("; налог {} отворен у директоријуму ({dn})", new.username)))
    }

    /// After the request is recorded: the Upravnik account of a new directory account.
    pub(crate) async fn link_directory_account(&self, d: &DirectoryLink, person_id: i64, entry: DirectoryPerson) -> Result<()> {
        let office_id = d.settings.office_id;
        let local = self.store.directory_state(office_id, AccountFilter::Person(person_id)).await?;
        let roles = d.settings.roles_for(&entry.groups).unwrap_or_else(|| vec![crate::access::Role::Employee]);
        let change = match local.accounts.iter().find(|a| a.person_id == person_id || a.username == entry.username) {
            Some(a) => SyncChange::Update { user_id: a.user_id, person_id: a.person_id, entry, roles, link: true, what: vec!["active"] },
            None => SyncChange::Create { person_id: Some(person_id), entry, roles },
        };
        let log = system(office_id, Category::AccountChange, describe(&change, &d.client.describe()));
        self.store.apply_directory_change(office_id, &change, self.now(), log).await.map(|_| ())
    }

    /// Disables the person's directory account for a close request; the sentence for the work
    /// log (empty when the person has no directory account).
    pub(crate) async fn disable_directory_account(&self, d: &DirectoryLink, account: Option<&LocalAccount>) -> Result<String> {
        let Some(dn) = account.and_then(|a| a.directory_dn.clone()) else { return Ok(String::new()) };
        match d.client.set_disabled(&dn, true).await {
            Ok(()) => Ok(format!("; налог онемогућен у директоријуму ({dn})")),
            Err(DirectoryFailure::Unavailable(why)) => Err(unavailable(&why)),
            Err(_) => Err(Error::Conflict { code: "directory_refused", field: None }),
        }
    }

    /// The Upravnik account of a person leaving (close request): closed, sessions ended.
    pub(crate) async fn close_account_of(&self, office_id: i64, account: &LocalAccount, source: &str, by: &Actor) -> Result<()> {
        let change = SyncChange::Deactivate {
            user_id: account.user_id,
            person_id: account.person_id,
            name: crate::directory::full_name(&account.given_name, &account.family_name),
            reason: DeactivateReason::Disabled,
        };
        let text = format!("Налог {} затворен по извршеном захтеву за гашење{source}", account.username);
        let log = crate::service::draft(by, Category::AccountChange, None, text);
        self.store.apply_directory_change(office_id, &change, self.now(), log).await.map(|_| ())
    }
}
