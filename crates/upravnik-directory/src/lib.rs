//! The directory adapter: LDAP v3 to OpenLDAP or Active Directory over LDAPS or StartTLS
//! (rustls with the system's roots plus an optional CA file). It binds as the person to check a
//! password, reads people and groups with a service account for the sync, and opens or disables
//! accounts when the office lets Upravnik manage them. What the entries mean for Upravnik is
//! `upravnik_core::directory`.
//!
//! Active Directory refuses a simple bind without TLS (`strongerAuthRequired`), so a plain
//! `ldap://` connection is accepted only to a directory on the same machine.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::exop::PasswordModify;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, Mod, Scope, SearchEntry, dn_escape, ldap_escape};
use upravnik_core::directory::{Directory, DirectoryFailure, DirectoryPerson, NewDirectoryAccount};

/// Which server it is: how an account is disabled and what a new one looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavour {
    /// OpenLDAP with the `ppolicy` overlay (`pwdLockout: TRUE`): a disabled account carries
    /// `pwdAccountLockedTime: 000001010000Z`.
    OpenLdap,
    /// Active Directory: bit 2 (ACCOUNTDISABLE) of `userAccountControl`.
    Ad,
}

impl Flavour {
    pub fn parse(s: &str) -> Option<Flavour> {
        match s {
            "openldap" => Some(Flavour::OpenLdap),
            "ad" => Some(Flavour::Ad),
            _ => None,
        }
    }
}

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `ldaps://`: TLS from the first byte.
    Ldaps,
    /// `ldap://` upgraded by the StartTLS operation before any bind.
    StartTls,
    /// `ldap://` in the clear: only to a directory on the same machine.
    None,
}

/// Where the directory is and how its entries are read.
#[derive(Clone)]
pub struct LdapSettings {
    pub url: String,
    pub security: Security,
    /// The service account that searches (and, if allowed, writes).
    pub bind_dn: String,
    pub bind_password: String,
    /// Where people are (subtree).
    pub users_dn: String,
    /// Where groups are (subtree).
    pub groups_dn: String,
    pub flavour: Flavour,
    /// Which entries are staff, e.g. `(objectClass=inetOrgPerson)`.
    pub user_filter: String,
    /// The sign-in name: `uid`, `sAMAccountName`.
    pub username_attr: String,
    /// The unit's name: `ou`, `department`.
    pub unit_attr: String,
    /// Which entries are groups (with `member` values), e.g. `(objectClass=groupOfNames)`.
    pub group_filter: String,
    /// Where an account opened by an approved request goes.
    pub new_accounts_dn: String,
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate (a self-signed one in a test). Never in production.
    pub accept_invalid_certs: bool,
    pub timeout: Duration,
}

impl LdapSettings {
    /// Defaults of a flavour for what is not configured.
    pub fn defaults(flavour: Flavour) -> (&'static str, &'static str, &'static str, &'static str) {
        match flavour {
            Flavour::OpenLdap => {
                ("(objectClass=inetOrgPerson)", "uid", "ou", "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))")
            }
            Flavour::Ad => ("(&(objectCategory=person)(objectClass=user))", "sAMAccountName", "department", "(objectClass=group)"),
        }
    }
}

impl std::fmt::Debug for LdapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LdapSettings")
            .field("url", &self.url)
            .field("security", &self.security)
            .field("bind_dn", &self.bind_dn)
            .field("bind_password", &"***")
            .field("users_dn", &self.users_dn)
            .field("flavour", &self.flavour)
            .finish_non_exhaustive()
    }
}

/// A configuration the adapter refuses.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("directory url must be ldaps://… or ldap://… (with starttls), not {0}")]
    Scheme(String),
    #[error("an ldap:// connection without TLS is only allowed to a directory on this machine (use ldaps:// or starttls)")]
    Cleartext,
    #[error("TLS: {0}")]
    Tls(String),
}

/// The directory over LDAP.
pub struct LdapDirectory {
    s: LdapSettings,
    tls: Arc<tokio_rustls::rustls::ClientConfig>,
}

const PERSON_ATTRS: [&str; 9] =
    ["cn", "givenName", "sn", "mail", "telephoneNumber", "pwdAccountLockedTime", "userAccountControl", "memberOf", "displayName"];

/// `pwdAccountLockedTime` with this value locks an account until an administrator unlocks it.
const LOCKED_FOREVER: &str = "000001010000Z";
const ACCOUNTDISABLE: i64 = 2;
const NORMAL_ACCOUNT: i64 = 512;
/// LDAP result codes.
const INVALID_CREDENTIALS: u32 = 49;
const ENTRY_EXISTS: u32 = 68;

fn unavailable(e: impl std::fmt::Display) -> DirectoryFailure {
    tracing::warn!(error = %e, "directory unavailable");
    DirectoryFailure::Unavailable(e.to_string())
}

/// A protocol error is the directory being unusable; a result code is its answer.
fn failure(e: LdapError) -> DirectoryFailure {
    match e {
        LdapError::LdapResult { result } if result.rc == INVALID_CREDENTIALS => DirectoryFailure::Refused,
        LdapError::LdapResult { result } => {
            tracing::warn!(code = result.rc, text = %result.text, "directory refused the operation");
            DirectoryFailure::Rejected(format!("{} ({})", result.text, result.rc))
        }
        other => unavailable(other),
    }
}

impl LdapDirectory {
    pub fn new(s: LdapSettings) -> Result<Self, ConfigError> {
        let (scheme, rest) = s.url.split_once("://").ok_or_else(|| ConfigError::Scheme(s.url.clone()))?;
        match (scheme, s.security) {
            ("ldaps", Security::Ldaps) | ("ldap", Security::StartTls) => {}
            ("ldap", Security::None) => {
                let host = rest.split(['/', ':']).next().unwrap_or("");
                if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
                    return Err(ConfigError::Cleartext);
                }
            }
            _ => return Err(ConfigError::Scheme(s.url.clone())),
        }
        let tls = upravnik_mail::tls::client_config(s.ca_file.as_deref(), s.accept_invalid_certs).map_err(ConfigError::Tls)?;
        Ok(Self { s, tls })
    }

    async fn connect(&self) -> Result<Ldap, DirectoryFailure> {
        let settings = LdapConnSettings::new()
            .set_conn_timeout(self.s.timeout)
            .set_starttls(self.s.security == Security::StartTls)
            .set_config(self.tls.clone());
        let (conn, ldap) = LdapConnAsync::with_settings(settings, &self.s.url).await.map_err(unavailable)?;
        ldap3::drive!(conn);
        Ok(ldap)
    }

    /// A connection bound as the service account; its refusal makes the directory unusable.
    async fn service(&self) -> Result<Ldap, DirectoryFailure> {
        let mut ldap = self.connect().await?;
        let bound = ldap.with_timeout(self.s.timeout).simple_bind(&self.s.bind_dn, &self.s.bind_password).await;
        match bound.and_then(|r| r.success()) {
            Ok(_) => Ok(ldap),
            Err(e) => Err(unavailable(format!("the service account {} cannot bind: {e}", self.s.bind_dn))),
        }
    }

    fn attrs(&self) -> Vec<String> {
        let mut a: Vec<String> = PERSON_ATTRS.iter().map(|s| s.to_string()).collect();
        a.push(self.s.username_attr.clone());
        a.push(self.s.unit_attr.clone());
        a
    }

    fn person(&self, e: &SearchEntry, groups: Vec<String>) -> DirectoryPerson {
        let first = |k: &str| {
            e.attrs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .and_then(|(_, v)| v.first())
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let cn = first("cn");
        let (mut given, mut family) = (first("givenName"), first("sn"));
        if given.is_empty() && family.is_empty() {
            let mut parts = cn.rsplitn(2, ' ');
            family = parts.next().unwrap_or("").to_string();
            given = parts.next().unwrap_or("").to_string();
        }
        let uac: i64 = first("userAccountControl").parse().unwrap_or(0);
        DirectoryPerson {
            dn: e.dn.clone(),
            username: first(&self.s.username_attr).to_lowercase(),
            given_name: given,
            family_name: family,
            email: first("mail"),
            phone: first("telephoneNumber"),
            unit: first(&self.s.unit_attr),
            groups,
            disabled: !first("pwdAccountLockedTime").is_empty() || uac & ACCOUNTDISABLE != 0,
        }
    }

    /// The `cn` of every group with a member, by member DN (lower case).
    async fn memberships(&self, ldap: &mut Ldap) -> Result<HashMap<String, Vec<String>>, DirectoryFailure> {
        let mut by_member: HashMap<String, Vec<String>> = HashMap::new();
        for g in self.search_all(ldap, &self.s.groups_dn, &self.s.group_filter, &["cn", "member", "uniqueMember"]).await? {
            let Some(cn) = g.attrs.get("cn").and_then(|v| v.first()) else { continue };
            for (name, members) in &g.attrs {
                if name.eq_ignore_ascii_case("member") || name.eq_ignore_ascii_case("uniqueMember") {
                    for m in members {
                        by_member.entry(m.to_lowercase()).or_default().push(cn.to_lowercase());
                    }
                }
            }
        }
        Ok(by_member)
    }

    /// Every entry of a subtree search, a page at a time (Active Directory gives at most 1000
    /// entries to one search otherwise).
    async fn search_all(&self, ldap: &mut Ldap, base: &str, filter: &str, attrs: &[&str]) -> Result<Vec<SearchEntry>, DirectoryFailure> {
        let attrs: Vec<String> = attrs.iter().map(|s| s.to_string()).collect();
        let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![Box::new(EntriesOnly::new()), Box::new(PagedResults::new(500))];
        let mut stream = ldap
            .with_timeout(self.s.timeout)
            .streaming_search_with(adapters, base, Scope::Subtree, filter, attrs)
            .await
            .map_err(failure)?;
        let mut out = vec![];
        while let Some(entry) = stream.next().await.map_err(failure)? {
            out.push(SearchEntry::construct(entry));
        }
        stream.finish().await.success().map_err(failure)?;
        Ok(out)
    }

    /// The one staff entry with this sign-in name, if exactly one.
    async fn find(&self, ldap: &mut Ldap, username: &str) -> Result<Option<SearchEntry>, DirectoryFailure> {
        let filter = format!("(&{}({}={}))", self.s.user_filter, self.s.username_attr, ldap_escape(username));
        let attrs = self.attrs();
        let (entries, _) = ldap
            .with_timeout(self.s.timeout)
            .search(&self.s.users_dn, Scope::Subtree, &filter, attrs)
            .await
            .and_then(|r| r.success())
            .map_err(failure)?;
        Ok(match entries.len() {
            1 => entries.into_iter().next().map(SearchEntry::construct),
            _ => None,
        })
    }
}

#[async_trait::async_trait]
impl Directory for LdapDirectory {
    fn describe(&self) -> String {
        self.s.url.clone()
    }

    async fn authenticate(&self, username: &str, password: &str) -> Result<DirectoryPerson, DirectoryFailure> {
        // An empty password is an unauthenticated bind, which succeeds: never a sign-in.
        if password.is_empty() || username.is_empty() {
            return Err(DirectoryFailure::Refused);
        }
        let mut svc = self.service().await?;
        let Some(entry) = self.find(&mut svc, username).await? else {
            let _ = svc.unbind().await;
            return Err(DirectoryFailure::Refused);
        };
        let mut user = self.connect().await?;
        let bound = user.with_timeout(self.s.timeout).simple_bind(&entry.dn, password).await.and_then(|r| r.success());
        let _ = user.unbind().await;
        if let Err(e) = bound {
            let _ = svc.unbind().await;
            return Err(failure(e));
        }
        let filter = format!("(&{}(|(member={dn})(uniqueMember={dn})))", self.s.group_filter, dn = ldap_escape(entry.dn.as_str()));
        let groups = self.search_all(&mut svc, &self.s.groups_dn, &filter, &["cn"]).await?;
        let _ = svc.unbind().await;
        let groups = groups.iter().filter_map(|g| g.attrs.get("cn").and_then(|v| v.first())).map(|c| c.to_lowercase()).collect();
        Ok(self.person(&entry, groups))
    }

    async fn people(&self) -> Result<Vec<DirectoryPerson>, DirectoryFailure> {
        let mut svc = self.service().await?;
        let by_member = self.memberships(&mut svc).await?;
        let attrs = self.attrs();
        let attrs: Vec<&str> = attrs.iter().map(String::as_str).collect();
        let entries = self.search_all(&mut svc, &self.s.users_dn, &self.s.user_filter, &attrs).await?;
        let _ = svc.unbind().await;
        Ok(entries
            .iter()
            .map(|e| self.person(e, by_member.get(&e.dn.to_lowercase()).cloned().unwrap_or_default()))
            .filter(|p| !p.username.is_empty())
            .collect())
    }

    async fn create_account(&self, a: &NewDirectoryAccount) -> Result<String, DirectoryFailure> {
        let mut svc = self.service().await?;
        let full = upravnik_core::directory::full_name(&a.given_name, &a.family_name);
        let set = |v: &str| HashSet::from([v.as_bytes().to_vec()]);
        let mut attrs: Vec<(Vec<u8>, HashSet<Vec<u8>>)> = vec![];
        let mut put = |k: &str, v: &str| {
            if !v.trim().is_empty() {
                attrs.push((k.as_bytes().to_vec(), set(v.trim())));
            }
        };
        let dn = match self.s.flavour {
            Flavour::OpenLdap => {
                put("uid", &a.username);
                put("cn", if full.is_empty() { &a.username } else { &full });
                put("sn", if a.family_name.trim().is_empty() { &a.username } else { &a.family_name });
                put("givenName", &a.given_name);
                put("mail", &a.email);
                put(&self.s.unit_attr, &a.unit);
                attrs.push((b"objectClass".to_vec(), HashSet::from([b"inetOrgPerson".to_vec()])));
                format!("uid={},{}", dn_escape(a.username.as_str()), self.s.new_accounts_dn)
            }
            Flavour::Ad => {
                put("sAMAccountName", &a.username);
                put("givenName", &a.given_name);
                put("sn", &a.family_name);
                put("displayName", &full);
                put("mail", &a.email);
                put(&self.s.unit_attr, &a.unit);
                attrs.push((b"objectClass".to_vec(), HashSet::from([b"user".to_vec()])));
                // The password goes in with the entry, quoted and UTF-16LE, as AD wants it (over TLS only).
                let pw: Vec<u8> = format!("\"{}\"", a.password).encode_utf16().flat_map(u16::to_le_bytes).collect();
                attrs.push((b"unicodePwd".to_vec(), HashSet::from([pw])));
                attrs.push((b"userAccountControl".to_vec(), set(&NORMAL_ACCOUNT.to_string())));
                format!("CN={},{}", dn_escape(if full.is_empty() { a.username.as_str() } else { full.as_str() }), self.s.new_accounts_dn)
            }
        };
        let added = svc.with_timeout(self.s.timeout).add(&dn, attrs).await.and_then(|r| r.success());
        if let Err(e) = added {
            let _ = svc.unbind().await;
            return Err(match e {
                LdapError::LdapResult { result } if result.rc == ENTRY_EXISTS => DirectoryFailure::Rejected(format!("{dn} already exists")),
                e => failure(e),
            });
        }
        if self.s.flavour == Flavour::OpenLdap {
            // The server hashes the password by its own policy (RFC 3062).
            let pm = PasswordModify { user_id: Some(&dn), old_pass: None, new_pass: Some(&a.password) };
            let set = svc.with_timeout(self.s.timeout).extended(pm).await.and_then(|r| r.success());
            if let Err(e) = set {
                let _ = svc.unbind().await;
                return Err(failure(e));
            }
        }
        let _ = svc.unbind().await;
        Ok(dn)
    }

    async fn set_disabled(&self, dn: &str, disabled: bool) -> Result<(), DirectoryFailure> {
        let mut svc = self.service().await?;
        let change = match self.s.flavour {
            Flavour::OpenLdap => {
                let v = if disabled { HashSet::from([LOCKED_FOREVER.as_bytes().to_vec()]) } else { HashSet::new() };
                Mod::Replace(b"pwdAccountLockedTime".to_vec(), v)
            }
            Flavour::Ad => {
                let (entries, _) = svc
                    .with_timeout(self.s.timeout)
                    .search(dn, Scope::Base, "(objectClass=*)", vec!["userAccountControl"])
                    .await
                    .and_then(|r| r.success())
                    .map_err(failure)?;
                let uac: i64 = entries
                    .into_iter()
                    .next()
                    .map(SearchEntry::construct)
                    .and_then(|e| e.attrs.get("userAccountControl").and_then(|v| v.first()).and_then(|v| v.parse().ok()))
                    .unwrap_or(NORMAL_ACCOUNT);
                let uac = if disabled { uac | ACCOUNTDISABLE } else { uac & !ACCOUNTDISABLE };
                Mod::Replace(b"userAccountControl".to_vec(), HashSet::from([uac.to_string().into_bytes()]))
            }
        };
        let done = svc.with_timeout(self.s.timeout).modify(dn, vec![change]).await.and_then(|r| r.success());
        let _ = svc.unbind().await;
        done.map(|_| ()).map_err(failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str, security: Security) -> LdapSettings {
        let (user_filter, username_attr, unit_attr, group_filter) = LdapSettings::defaults(Flavour::OpenLdap);
        LdapSettings {
            url: url.into(),
            security,
            bind_dn: "cn=upravnik,dc=grad,dc=rs".into(),
            bind_password: "tajna-lozinka".into(),
            users_dn: "dc=grad,dc=rs".into(),
            groups_dn: "dc=grad,dc=rs".into(),
            flavour: Flavour::OpenLdap,
            user_filter: user_filter.into(),
            username_attr: username_attr.into(),
            unit_attr: unit_attr.into(),
            group_filter: group_filter.into(),
            new_accounts_dn: "dc=grad,dc=rs".into(),
            ca_file: None,
            accept_invalid_certs: false,
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn a_password_never_goes_in_the_clear_to_another_machine() {
        assert!(matches!(LdapDirectory::new(settings("ldap://dc.grad.rs", Security::None)), Err(ConfigError::Cleartext)));
        assert!(LdapDirectory::new(settings("ldap://127.0.0.1:389", Security::None)).is_ok());
        assert!(LdapDirectory::new(settings("ldap://dc.grad.rs", Security::StartTls)).is_ok());
        assert!(LdapDirectory::new(settings("ldaps://dc.grad.rs", Security::Ldaps)).is_ok());
        assert!(matches!(LdapDirectory::new(settings("ldaps://dc.grad.rs", Security::StartTls)), Err(ConfigError::Scheme(_))));
        assert!(matches!(LdapDirectory::new(settings("http://dc.grad.rs", Security::Ldaps)), Err(ConfigError::Scheme(_))));
    }

    #[test]
    fn the_service_password_stays_out_of_debug_output() {
        let d = format!("{:?}", settings("ldaps://dc.grad.rs", Security::Ldaps));
        assert!(d.contains("dc.grad.rs") && !d.contains("tajna"), "{d}");
    }

    #[test]
    fn an_entry_reads_as_a_person_in_either_flavour() {
        let d = LdapDirectory::new(settings("ldaps://dc.grad.rs", Security::Ldaps)).expect("settings");
        let attrs = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), vec![v.to_string()])).collect();
        let e = SearchEntry {
            dn: "uid=JPetrovic,ou=People,dc=grad,dc=rs".into(),
            attrs: attrs(&[("uid", "JPetrovic"), ("cn", "Јована Петровић"), ("ou", "Финансије"), ("pwdAccountLockedTime", LOCKED_FOREVER)]),
            bin_attrs: HashMap::new(),
        };
        let p = d.person(&e, vec!["rukovodioci".into()]);
        assert_eq!((p.username.as_str(), p.given_name.as_str(), p.family_name.as_str()), ("jpetrovic", "Јована", "Петровић"));
        assert_eq!((p.unit.as_str(), p.disabled), ("Финансије", true));
        let ad = SearchEntry {
            dn: "CN=Marko,DC=grad".into(),
            attrs: attrs(&[("uid", "marko"), ("givenName", "Марко"), ("sn", "Костић"), ("userAccountControl", "514")]),
            bin_attrs: HashMap::new(),
        };
        assert!(d.person(&ad, vec![]).disabled, "ACCOUNTDISABLE");
    }
}
