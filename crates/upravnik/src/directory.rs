//! The office's directory in the binary: settings from `[directory]`, `upravnik directory
//! check|sync`, and the scheduled sync of `serve` (one instance of several runs it).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use upravnik_core::access::Role;
use upravnik_core::directory::DirectorySettings;
use upravnik_core::directory_service::DirectoryLink;
use upravnik_core::service::Services;
use upravnik_directory::{Flavour, LdapDirectory, LdapSettings, Security};

use crate::config::DirectoryConfig;

/// `[directory]`, checked.
#[derive(Debug, Clone)]
pub struct DirectorySetup {
    pub ldap: LdapSettings,
    pub office_id: Option<i64>,
    pub roles: Vec<(String, Role)>,
    pub manage_accounts: bool,
    /// `None`: synced by hand only.
    pub sync_every: Option<Duration>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl DirectorySetup {
    /// `None` without `[directory] url`.
    pub fn from_config(c: Option<&DirectoryConfig>) -> anyhow::Result<Option<Self>> {
        let Some(c) = c else { return Ok(None) };
        let Some(url) = text(&c.url) else { return Ok(None) };
        let security = match (c.tls.as_deref().map(str::trim), url.starts_with("ldaps://")) {
            (None | Some(""), true) | (Some("ldaps"), _) => Security::Ldaps,
            (None | Some(""), false) | (Some("starttls"), _) => Security::StartTls,
            (Some("none"), _) => Security::None,
            (Some(other), _) => bail!("directory.tls must be ldaps, starttls or none, not {other:?}"),
        };
        let flavour = match c.flavour.as_deref().map(str::trim) {
            None | Some("") => Flavour::OpenLdap,
            Some(f) => Flavour::parse(f).with_context(|| format!("directory.flavour must be openldap or ad, not {f:?}"))?,
        };
        let base = text(&c.base_dn).context("directory.base_dn is needed with directory.url")?;
        let bind_dn = text(&c.bind_dn).context("directory.bind_dn (the service account) is needed with directory.url")?;
        let (user_filter, username_attr, unit_attr, group_filter) = LdapSettings::defaults(flavour);
        let users_dn = text(&c.users_dn).unwrap_or_else(|| base.clone());
        let ldap = LdapSettings {
            url,
            security,
            bind_dn,
            bind_password: c.bind_password.clone().unwrap_or_default(),
            groups_dn: text(&c.groups_dn).unwrap_or_else(|| base.clone()),
            new_accounts_dn: text(&c.new_accounts_dn).unwrap_or_else(|| users_dn.clone()),
            users_dn,
            flavour,
            user_filter: text(&c.user_filter).unwrap_or_else(|| user_filter.into()),
            username_attr: text(&c.username_attr).unwrap_or_else(|| username_attr.into()),
            unit_attr: text(&c.unit_attr).unwrap_or_else(|| unit_attr.into()),
            group_filter: text(&c.group_filter).unwrap_or_else(|| group_filter.into()),
            ca_file: c.ca_file.clone(),
            accept_invalid_certs: c.accept_invalid_certs.unwrap_or(false),
            timeout: Duration::from_secs(c.timeout_seconds.unwrap_or(10).clamp(1, 120)),
        };
        let mut roles = vec![];
        for (group, role) in c.roles.iter().flatten() {
            let r = Role::parse(role.trim()).map_err(|_| anyhow::anyhow!("directory.roles: {role:?} is not a role ({})", role_names()))?;
            roles.push((group.trim().to_string(), r));
        }
        let sync_every = match c.sync_minutes.unwrap_or(60) {
            0 => None,
            m => Some(Duration::from_secs(m.max(5) * 60)),
        };
        Ok(Some(Self { ldap, office_id: c.office_id, roles, manage_accounts: c.manage_accounts.unwrap_or(false), sync_every }))
    }

    /// The link the services use; the office is the configured one or the first.
    pub async fn link(&self, s: &Services) -> anyhow::Result<Option<DirectoryLink>> {
        let office_id = match self.office_id {
            Some(id) => id,
            None => match s.store.offices().await?.first() {
                Some(o) => o.id,
                // A new installation: the directory is used once the first office exists.
                None => return Ok(None),
            },
        };
        let client = LdapDirectory::new(self.ldap.clone())?;
        let settings = DirectorySettings { office_id, roles: self.roles.clone(), manage_accounts: self.manage_accounts };
        Ok(Some(DirectoryLink { client: Arc::new(client), settings }))
    }
}

fn role_names() -> String {
    Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

/// `upravnik directory check`: the service account binds and the people are read.
pub async fn check(s: &Services) -> anyhow::Result<()> {
    let d = s.directory().context("no directory: set [directory] url in the configuration")?;
    let people = d.client.people().await.map_err(|e| anyhow::anyhow!("{}: {e}", d.client.describe()))?;
    let disabled = people.iter().filter(|p| p.disabled).count();
    println!("{}: {} people ({} disabled)", d.client.describe(), people.len(), disabled);
    Ok(())
}

/// `upravnik directory sync`.
pub async fn sync(s: &Services) -> anyhow::Result<()> {
    s.directory().context("no directory: set [directory] url in the configuration")?;
    let run = s.sync_directory(None).await?;
    let c = run.counts;
    println!("created {}, updated {}, closed {}, unchanged {}, failed {}", c.created, c.updated, c.deactivated, c.unchanged, c.failed);
    if !run.ok {
        bail!("some changes failed: {}", run.message);
    }
    Ok(())
}

/// The scheduled sync of `serve`: every minute each instance asks for the lease of the next
/// interval; the one that gets it syncs.
pub fn spawn(s: &Services, every: Option<Duration>) {
    let (Some(every), Some(_)) = (every, s.directory()) else { return };
    let s = s.clone();
    let holder = format!("{}-{}", std::process::id(), s.clock.now_us());
    let every_us = i64::try_from(every.as_micros()).unwrap_or(i64::MAX);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match s.scheduled_directory_sync(&holder, every_us).await {
                Ok(Some(run)) => tracing::info!(
                    created = run.counts.created,
                    updated = run.counts.updated,
                    closed = run.counts.deactivated,
                    "directory synced"
                ),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "directory sync failed"),
            }
        }
    });
}
