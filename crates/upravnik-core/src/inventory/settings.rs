//! An office's agent settings: matching rules, its own blacklists, optional HTTP basic
//! credentials for its agents, the networks agents may report from, and whether agents without
//! credentials are taken.

use std::net::{IpAddr, Ipv4Addr};

use super::card::Blacklist;
use super::matching::{Criterion, Rule, default_rules};
use crate::error::Errors;
use crate::{Error, Result};

/// An IPv4 network of the allow-list, any prefix from /0 to /32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    pub network: Ipv4Addr,
    pub prefix: u8,
}

impl Net {
    /// `10.0.0.0/8`, or one address (`192.168.1.10` = /32). Host bits must be zero.
    pub fn parse(s: &str) -> Option<Net> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a.trim(), p.trim().parse::<u8>().ok()?),
            None => (s, 32),
        };
        let network: Ipv4Addr = addr.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        let n = Net { network, prefix };
        (u32::from(network) & !n.mask() == 0).then_some(n)
    }

    fn mask(self) -> u32 {
        if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) }
    }

    pub fn contains(self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == u32::from(self.network)
    }
}

impl std::fmt::Display for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The settings as stored (the password only as its argon2id hash).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgentSettings {
    pub office_id: i64,
    pub rules: Vec<Rule>,
    pub blacklist_serials: Vec<String>,
    pub blacklist_uuids: Vec<String>,
    pub blacklist_macs: Vec<String>,
    /// Empty: agents send no credentials.
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    /// Empty: every network.
    pub networks: Vec<String>,
    pub anonymous: bool,
}

impl AgentSettings {
    /// What an office has before anyone saves: the recommended rules, no credentials, and
    /// anonymous agents only for the first office, so the loopback demo works as installed.
    pub fn defaults(office_id: i64, first_office: bool) -> AgentSettings {
        AgentSettings {
            office_id,
            rules: default_rules(),
            blacklist_serials: vec![],
            blacklist_uuids: vec![],
            blacklist_macs: vec![],
            username: String::new(),
            password_hash: String::new(),
            networks: vec![],
            anonymous: first_office,
        }
    }

    pub fn blacklist(&self) -> Blacklist {
        Blacklist {
            extra_serials: self.blacklist_serials.clone(),
            extra_uuids: self.blacklist_uuids.clone(),
            extra_macs: self.blacklist_macs.clone(),
        }
    }

    /// Whether an agent at `remote` may report; an empty list allows all.
    pub fn allows(&self, remote: Option<&str>) -> bool {
        if self.networks.is_empty() {
            return true;
        }
        let ip = match remote.and_then(|r| r.trim().parse::<IpAddr>().ok()) {
            Some(IpAddr::V4(v4)) => v4,
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4,
                None => return false,
            },
            None => return false,
        };
        self.networks.iter().filter_map(|n| Net::parse(n)).any(|n| n.contains(ip))
    }

    pub fn has_credentials(&self) -> bool {
        !self.username.is_empty() && !self.password_hash.is_empty()
    }
}

/// The settings form. Lists are one value a line (or separated by commas).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct AgentSettingsInput {
    /// Criteria in order, each `name` (on) or `-name` (off); missing ones are appended, off.
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub blacklist_serials: String,
    #[serde(default)]
    pub blacklist_uuids: String,
    #[serde(default)]
    pub blacklist_macs: String,
    #[serde(default)]
    pub username: String,
    /// Empty keeps the current password; with `clear_credentials` both go.
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub clear_credentials: bool,
    #[serde(default)]
    pub networks: String,
    #[serde(default)]
    pub anonymous: bool,
}

fn lines(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s.split(['\n', ',', ';']).map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    v.dedup();
    v
}

/// Validated settings; `password` is the new plain password, to be hashed by the service.
#[derive(Debug, Clone)]
pub struct ValidSettings {
    pub rules: Vec<Rule>,
    pub blacklist_serials: Vec<String>,
    pub blacklist_uuids: Vec<String>,
    pub blacklist_macs: Vec<String>,
    pub username: String,
    pub password: Option<String>,
    pub clear_credentials: bool,
    pub networks: Vec<String>,
    pub anonymous: bool,
}

impl AgentSettingsInput {
    pub fn validate(&self) -> Result<ValidSettings> {
        let mut e = Errors::default();
        let mut rules: Vec<Rule> = vec![];
        for r in &self.rules {
            let r = r.trim();
            let (name, enabled) = match r.strip_prefix('-') {
                Some(n) => (n, false),
                None => (r, true),
            };
            match Criterion::parse(name) {
                Some(c) if !rules.iter().any(|x| x.criterion == c) => rules.push(Rule { criterion: c, enabled }),
                Some(_) => {}
                None => e.add("rules", "err-agent-rule"),
            }
        }
        for c in Criterion::DEFAULT {
            if !rules.iter().any(|r| r.criterion == c) {
                rules.push(Rule { criterion: c, enabled: false });
            }
        }
        let mut macs = vec![];
        for m in lines(&self.blacklist_macs) {
            match crate::asset::parse_mac(&m) {
                Ok(m) => macs.push(m.to_lowercase()),
                Err(_) => e.add("blacklist_macs", "err-mac"),
            }
        }
        let mut networks = vec![];
        for n in lines(&self.networks) {
            match Net::parse(&n) {
                Some(n) => networks.push(n.to_string()),
                None => e.add("networks", "err-agent-network"),
            }
        }
        let username = self.username.trim().to_string();
        if username.chars().count() > 64 || username.contains(':') || username.chars().any(char::is_whitespace) {
            e.add("username", "err-agent-username");
        }
        let password = Some(self.password.clone()).filter(|p| !p.is_empty());
        if let Some(p) = &password {
            if p.chars().count() < 12 || p.chars().count() > 256 {
                e.add("password", "err-agent-password");
            }
            if username.is_empty() {
                e.add("username", "err-required");
            }
        }
        let long = |v: &[String]| v.iter().any(|s| s.chars().count() > 200) || v.len() > 500;
        let serials = lines(&self.blacklist_serials);
        let uuids = lines(&self.blacklist_uuids);
        if long(&serials) {
            e.add("blacklist_serials", "err-too-long");
        }
        if long(&uuids) {
            e.add("blacklist_uuids", "err-too-long");
        }
        e.finish()?;
        Ok(ValidSettings {
            rules,
            blacklist_serials: serials,
            blacklist_uuids: uuids,
            blacklist_macs: macs,
            username,
            password,
            clear_credentials: self.clear_credentials,
            networks,
            anonymous: self.anonymous,
        })
    }
}

/// The form's rule list as text: `serial`, `-hostname`.
pub fn rules_text(rules: &[Rule]) -> Vec<String> {
    rules.iter().map(|r| if r.enabled { r.criterion.as_str().to_string() } else { format!("-{}", r.criterion.as_str()) }).collect()
}

pub fn parse_rules(json: &str) -> Result<Vec<Rule>> {
    serde_json::from_str(json).map_err(|_| Error::Storage("agent rules in the database do not parse".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_of_any_size_and_single_addresses() {
        let n = Net::parse("10.0.0.0/8").map(|n| n.contains(Ipv4Addr::new(10, 20, 30, 40)));
        assert_eq!(n, Some(true));
        assert!(Net::parse("10.0.0.5/8").is_none(), "host bits");
        assert!(Net::parse("192.168.1.10").is_some_and(|n| n.prefix == 32));
        assert!(Net::parse("0.0.0.0/0").is_some_and(|n| n.contains(Ipv4Addr::new(8, 8, 8, 8))));
        let s = AgentSettings { networks: vec!["127.0.0.0/8".into()], ..AgentSettings::defaults(1, true) };
        assert!(s.allows(Some("127.0.0.1")) && s.allows(Some("::ffff:127.0.0.1")));
        assert!(!s.allows(Some("10.0.0.1")) && !s.allows(None));
    }

    #[test]
    fn rules_keep_their_order_and_switches() {
        let i = AgentSettingsInput { rules: vec!["serial".into(), "-hostname".into(), "mac".into()], ..Default::default() };
        let v = i.validate().map(|v| rules_text(&v.rules)).unwrap_or_default();
        assert_eq!(v, ["serial", "-hostname", "mac", "-uuid_serial", "-uuid", "-agent"]);
        let bad = AgentSettingsInput { rules: vec!["name".into()], networks: "10.0.0.1/8".into(), ..Default::default() };
        assert!(bad.validate().is_err());
    }
}
