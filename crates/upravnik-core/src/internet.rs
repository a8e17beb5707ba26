//! Internet access per workstation (R.32): whether it has any, which categories of sites are
//! blocked (pornography, games, suspicious or infected sites, social networks), social networks
//! opened for a job only with the head of administration's approval; misuse and private modems
//! (R.32, R.34). And the policy written out for the filters offices run: a Squid ACL file and an
//! Unbound blocklist, both keyed by the workstations' IP addresses.
//!
//! Everything here is pure: the service loads the facts and stores what this module decides.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::IpAddr;

use crate::asset::string_enum;
use crate::{Error, FieldError, Result};

string_enum!(
    /// The categories R.32 names as blocked.
    SiteCategory {
        Adult = "adult",
        Games = "games",
        Malware = "malware",
        Social = "social",
    }
);

impl SiteCategory {
    /// The order of the exports and pages (Ord would follow the declaration too, but explicit).
    fn rank(self) -> usize {
        Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

impl PartialOrd for SiteCategory {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SiteCategory {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

/// Sites an office starts from, one list per category; administrators add their own.
pub const STANDARD_SITES: &[(SiteCategory, &[&str])] = &[
    (SiteCategory::Adult, &["pornhub.com", "xvideos.com", "xnxx.com", "xhamster.com", "redtube.com", "youporn.com", "onlyfans.com"]),
    (
        SiteCategory::Games,
        &["miniclip.com", "poki.com", "y8.com", "friv.com", "steampowered.com", "epicgames.com", "roblox.com", "kongregate.com"],
    ),
    (SiteCategory::Malware, &["malware.testing.google.test", "testsafebrowsing.appspot.com", "wicar.org", "eicar.org"]),
    (
        SiteCategory::Social,
        &[
            "facebook.com",
            "fbcdn.net",
            "instagram.com",
            "tiktok.com",
            "twitter.com",
            "x.com",
            "snapchat.com",
            "pinterest.com",
            "reddit.com",
        ],
    ),
];

pub const DOMAIN_MAX: usize = 253;
pub const TEXT_MAX: usize = 2000;

/// A site as the filters want it: lower-case ASCII labels, no scheme, path, port or wildcard.
/// A pasted address (`https://www.facebook.com/groups/x`) is reduced to its host name.
pub fn normalise_domain(input: &str) -> Result<String> {
    let mut s = input.trim().to_ascii_lowercase();
    if let Some(i) = s.find("://") {
        s = s[i + 3..].to_string();
    }
    if let Some(i) = s.find(['/', '?', '#']) {
        s.truncate(i);
    }
    if let Some(i) = s.rfind(':') {
        s.truncate(i);
    }
    let s = s.trim_start_matches("*.").trim_start_matches('.').trim_end_matches('.');
    let err = |m: &'static str| Error::invalid("domain", m);
    if s.is_empty() {
        return Err(err("err-required"));
    }
    if !s.is_ascii() {
        return Err(err("err-domain-ascii"));
    }
    if s.len() > DOMAIN_MAX {
        return Err(err("err-domain-format"));
    }
    let labels: Vec<&str> = s.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    // A name is at least two labels and does not end in a number (that would be an address).
    if labels.len() < 2 || !labels.iter().all(label_ok) || labels.last().is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return Err(err("err-domain-format"));
    }
    Ok(s.to_string())
}

/// Whether a workstation may ask for social networks, and where that request stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Social {
    /// Blocked, as R.32 has it by default.
    Blocked,
    /// An administrator asked, with the job's reason; blocked until approved.
    Requested { reason: String },
    /// Approved by the head of administration: open.
    Approved { reason: String, by: String, at_us: i64 },
}

/// A workstation's access, as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub asset_id: i64,
    pub allowed: bool,
    /// The categories an administrator blocked; social networks are governed by [`Social`].
    pub blocked: BTreeSet<SiteCategory>,
    pub social: Social,
    pub note: String,
}

impl Access {
    /// R.32: no access until it is granted; everything blocked.
    pub fn default_for(asset_id: i64) -> Self {
        Access {
            asset_id,
            allowed: false,
            blocked: [SiteCategory::Adult, SiteCategory::Games, SiteCategory::Malware].into_iter().collect(),
            social: Social::Blocked,
            note: String::new(),
        }
    }

    /// What the filters block for this workstation.
    pub fn effective_blocked(&self) -> BTreeSet<SiteCategory> {
        let mut b = self.blocked.clone();
        b.remove(&SiteCategory::Social);
        if !matches!(self.social, Social::Approved { .. }) {
            b.insert(SiteCategory::Social);
        }
        b
    }
}

/// What an administrator sets on a workstation (form or API).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AccessInput {
    #[serde(default)]
    pub allowed: bool,
    /// Category names (`adult`, `games`, `malware`); `social` here is ignored — see `social_reason`.
    #[serde(default)]
    pub blocked: Vec<String>,
    /// Non-empty: ask the head of administration for social networks, for this reason.
    #[serde(default)]
    pub social_reason: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessFields {
    pub allowed: bool,
    pub blocked: BTreeSet<SiteCategory>,
    pub social_reason: String,
    pub note: String,
}

impl AccessInput {
    pub fn validate(&self) -> Result<AccessFields> {
        let mut errs = vec![];
        let mut blocked = BTreeSet::new();
        for b in &self.blocked {
            match SiteCategory::parse(b.trim()) {
                Some(SiteCategory::Social) => {}
                Some(c) => {
                    blocked.insert(c);
                }
                None => errs.push(FieldError::new("blocked", "err-internet-category")),
            }
        }
        let social_reason = self.social_reason.trim().to_string();
        let note = self.note.trim().to_string();
        if social_reason.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("social_reason", "err-too-long"));
        }
        if note.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        if !social_reason.is_empty() && !self.allowed {
            errs.push(FieldError::new("social_reason", "err-internet-social-without-access"));
        }
        if errs.is_empty() { Ok(AccessFields { allowed: self.allowed, blocked, social_reason, note }) } else { Err(Error::Invalid(errs)) }
    }
}

/// The social-network state after an administrator saves the form: a new or changed reason is a
/// new request (an approval was for the old reason), an emptied one withdraws the exception.
pub fn social_after_edit(old: &Social, reason: &str) -> Social {
    match old {
        _ if reason.is_empty() => Social::Blocked,
        Social::Approved { reason: r, .. } | Social::Requested { reason: r } if r == reason => old.clone(),
        _ => Social::Requested { reason: reason.to_string() },
    }
}

/// One workstation as the exports see it.
#[derive(Debug, Clone)]
pub struct PolicyHost {
    pub asset_id: i64,
    pub label: String,
    pub ip: Option<IpAddr>,
    pub access: Access,
}

/// Workstations in the policy, and the ones left out because they have no IP address.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub office: String,
    pub generated: String,
    pub hosts: Vec<PolicyHost>,
    pub sites: BTreeMap<SiteCategory, Vec<String>>,
}

fn cidr(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => format!("{a}/32"),
        IpAddr::V6(a) => format!("{a}/128"),
    }
}

/// Each list without names that another name in it already covers (`.facebook.com` covers
/// `m.facebook.com`; Squid warns of such pairs), sorted.
fn without_covered(domains: &[String]) -> Vec<String> {
    let set: BTreeSet<&str> = domains.iter().map(String::as_str).collect();
    set.iter()
        .filter(|d| {
            let mut rest = **d;
            while let Some(i) = rest.find('.') {
                rest = &rest[i + 1..];
                if set.contains(rest) {
                    return false;
                }
            }
            true
        })
        .map(|d| d.to_string())
        .collect()
}

impl Policy {
    fn with_ip(&self) -> impl Iterator<Item = (&PolicyHost, IpAddr)> {
        self.hosts.iter().filter_map(|h| h.ip.map(|ip| (h, ip)))
    }

    /// Hosts with no IP address: the exports cannot name them.
    pub fn unaddressed(&self) -> impl Iterator<Item = &PolicyHost> {
        self.hosts.iter().filter(|h| h.ip.is_none())
    }

    fn header(&self, out: &mut String, comment: &str, include_hint: &str) {
        let _ = writeln!(out, "{comment} Upravnik: internet access per workstation (R.32)");
        let _ = writeln!(out, "{comment} {} — {}", self.office.replace(['\n', '\r'], " "), self.generated);
        let _ = writeln!(out, "{comment} {include_hint}");
        let _ = writeln!(out, "{comment} Generated; changes belong in Upravnik, not here.");
        out.push('\n');
    }

    /// A Squid configuration fragment: workstations without access are denied, each category's
    /// sites are denied to the workstations that block it, and the rest are allowed. To be
    /// included before the proxy's own final `http_access deny all`.
    pub fn squid(&self) -> String {
        let mut out = String::new();
        self.header(&mut out, "#", "include /etc/squid/conf.d/upravnik.conf  (before \"http_access deny all\")");
        let line = |out: &mut String, name: &str, kind: &str, values: &[String]| {
            // Long ACLs continue on further lines with the same name, which Squid joins.
            for chunk in values.chunks(16) {
                let _ = writeln!(out, "acl {name} {kind} {}", chunk.join(" "));
            }
        };
        let denied: Vec<String> = self.with_ip().filter(|(h, _)| !h.access.allowed).map(|(_, ip)| cidr(&ip)).collect();
        if !denied.is_empty() {
            out.push_str("# Workstations without internet access (R.32)\n");
            line(&mut out, "upravnik_no_internet", "src", &denied);
            out.push_str("http_access deny upravnik_no_internet\n\n");
        }
        for c in SiteCategory::ALL {
            let sites = without_covered(self.sites.get(c).map(Vec::as_slice).unwrap_or_default());
            let clients: Vec<String> = self
                .with_ip()
                .filter(|(h, _)| h.access.allowed && h.access.effective_blocked().contains(c))
                .map(|(_, ip)| cidr(&ip))
                .collect();
            if sites.is_empty() || clients.is_empty() {
                continue;
            }
            let _ = writeln!(out, "# Category {} blocked", c.as_str());
            let dotted: Vec<String> = sites.iter().map(|d| format!(".{d}")).collect();
            line(&mut out, &format!("upravnik_{}_sites", c.as_str()), "dstdomain", &dotted);
            line(&mut out, &format!("upravnik_{}_clients", c.as_str()), "src", &clients);
            let _ = writeln!(out, "http_access deny upravnik_{0}_clients upravnik_{0}_sites\n", c.as_str());
        }
        let allowed: Vec<String> = self.with_ip().filter(|(h, _)| h.access.allowed).map(|(_, ip)| cidr(&ip)).collect();
        if !allowed.is_empty() {
            out.push_str("# Workstations with internet access\n");
            line(&mut out, "upravnik_allowed", "src", &allowed);
            out.push_str("http_access allow upravnik_allowed\n");
        }
        out
    }

    /// An Unbound `server:` clause: one tag per category, each site a zone answered with
    /// NXDOMAIN for the workstations tagged with its category. A workstation without access gets
    /// every tag (the proxy cuts the rest; DNS keeps serving the office's own names).
    pub fn unbound(&self) -> String {
        let mut out = String::new();
        self.header(&mut out, "#", "include: \"/etc/unbound/unbound.conf.d/upravnik.conf\"");
        out.push_str("server:\n");
        let tag = |c: &SiteCategory| format!("upravnik_{}", c.as_str());
        let all_tags: Vec<String> = SiteCategory::ALL.iter().map(tag).collect();
        let _ = writeln!(out, "    define-tag: \"{}\"", all_tags.join(" "));
        for (h, ip) in self.with_ip() {
            let tags: Vec<String> =
                if h.access.allowed { h.access.effective_blocked().iter().map(tag).collect() } else { all_tags.clone() };
            if tags.is_empty() {
                continue;
            }
            let net = cidr(&ip);
            let _ = writeln!(out, "    # {}", h.label.replace(['\n', '\r'], " "));
            let _ = writeln!(out, "    access-control: {net} allow");
            let _ = writeln!(out, "    access-control-tag: {net} \"{}\"", tags.join(" "));
        }
        // A site in two categories is one zone with both tags.
        let mut zones: BTreeMap<String, BTreeSet<SiteCategory>> = BTreeMap::new();
        for (c, sites) in &self.sites {
            for d in without_covered(sites) {
                zones.entry(d).or_default().insert(*c);
            }
        }
        for (zone, cats) in zones {
            let tags: Vec<String> = cats.iter().map(tag).collect();
            let _ = writeln!(out, "    local-zone: \"{zone}.\" always_nxdomain");
            let _ = writeln!(out, "    local-zone-tag: \"{zone}.\" \"{}\"", tags.join(" "));
        }
        out
    }
}

string_enum!(
    /// What a misuse report is about (R.32, R.34).
    MisuseKind {
        /// A private modem or other own connection (R.32): access is cut.
        PrivateModem = "private_modem",
        /// Use of the internet against the rules (R.34).
        InternetMisuse = "internet_misuse",
        /// Use of the official e-mail against the rules (R.36).
        EmailMisuse = "email_misuse",
        /// A breach of the security policy (R.58).
        PolicyBreach = "policy_breach",
        Other = "other",
    }
);

/// A recorded case of misuse.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Misuse {
    pub id: i64,
    pub kind: MisuseKind,
    pub asset_id: Option<i64>,
    pub asset: String,
    pub person_id: Option<i64>,
    pub person: String,
    pub happened_on: String,
    pub description: String,
    pub action: String,
    pub access_cut: bool,
    pub recorded_by: String,
    pub recorded_us: i64,
    pub seen_by: Option<String>,
    pub seen_us: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MisuseInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub asset_id: Option<i64>,
    #[serde(default)]
    pub person_id: Option<i64>,
    /// `YYYY-MM-DD` or `DD.MM.YYYY`.
    #[serde(default)]
    pub happened_on: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub action: String,
    /// Cut the workstation's internet access in the same step (always, for a private modem).
    #[serde(default)]
    pub cut_access: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MisuseFields {
    pub kind: MisuseKind,
    pub asset_id: Option<i64>,
    pub person_id: Option<i64>,
    pub happened_on: String,
    pub description: String,
    pub action: String,
    pub cut_access: bool,
}

impl MisuseInput {
    pub fn validate(&self, today: jiff::civil::Date) -> Result<MisuseFields> {
        let mut errs = vec![];
        let kind = MisuseKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new("kind", "err-misuse-kind"));
        }
        let day = crate::clock::parse_date(self.happened_on.trim());
        match day {
            None => errs.push(FieldError::new("happened_on", "err-date")),
            Some(d) if d > today => errs.push(FieldError::new("happened_on", "err-date-future")),
            Some(_) => {}
        }
        let description = self.description.trim().to_string();
        if description.is_empty() {
            errs.push(FieldError::new("description", "err-required"));
        } else if description.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("description", "err-too-long"));
        }
        let action = self.action.trim().to_string();
        if action.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("action", "err-too-long"));
        }
        if self.asset_id.is_none() && self.person_id.is_none() {
            errs.push(FieldError::new("asset_id", "err-misuse-who"));
        }
        // R.32: a private modem cuts the workstation's access.
        let cut_access = self.cut_access || kind == Some(MisuseKind::PrivateModem);
        if cut_access && self.asset_id.is_none() {
            errs.push(FieldError::new("asset_id", "err-misuse-cut-needs-asset"));
        }
        match (kind, day, errs.is_empty()) {
            (Some(kind), Some(d), true) => Ok(MisuseFields {
                kind,
                asset_id: self.asset_id,
                person_id: self.person_id,
                happened_on: d.to_string(),
                description,
                action,
                cut_access,
            }),
            _ => Err(Error::Invalid(errs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_reduced_to_host_names() {
        assert_eq!(normalise_domain("https://www.Facebook.com/groups/x?y=1").unwrap(), "www.facebook.com");
        assert_eq!(normalise_domain("*.tiktok.com").unwrap(), "tiktok.com");
        assert_eq!(normalise_domain(".instagram.com.").unwrap(), "instagram.com");
        assert_eq!(normalise_domain("games.example.rs:8080").unwrap(), "games.example.rs");
        assert_eq!(normalise_domain("xn--90a3ac.xn--90ais").unwrap(), "xn--90a3ac.xn--90ais");
        for bad in ["", "localhost", "bad..com", "-a.com", "a-.com", "a b.com", "10.0.0.1", "фејсбук.срб", "a_b.com", &"a".repeat(64)]
        {
            assert!(normalise_domain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn r32_social_networks_open_only_when_approved() {
        let mut a = Access::default_for(1);
        a.allowed = true;
        assert!(a.effective_blocked().contains(&SiteCategory::Social));
        // Even an administrator's stored set without "social" does not open it.
        a.blocked.clear();
        assert_eq!(a.effective_blocked(), [SiteCategory::Social].into_iter().collect());
        a.social = Social::Requested { reason: "odnosi s javnošću".into() };
        assert!(a.effective_blocked().contains(&SiteCategory::Social));
        a.social = Social::Approved { reason: "odnosi s javnošću".into(), by: "Načelnik".into(), at_us: 1 };
        assert!(a.effective_blocked().is_empty());
    }

    #[test]
    fn a_changed_reason_needs_a_new_approval() {
        let approved = Social::Approved { reason: "PR".into(), by: "N".into(), at_us: 1 };
        assert_eq!(social_after_edit(&approved, "PR"), approved);
        assert_eq!(social_after_edit(&approved, "PR i marketing"), Social::Requested { reason: "PR i marketing".into() });
        assert_eq!(social_after_edit(&approved, ""), Social::Blocked);
        assert_eq!(social_after_edit(&Social::Blocked, "PR"), Social::Requested { reason: "PR".into() });
    }

    #[test]
    fn access_input_rules() {
        let ok = AccessInput { allowed: true, blocked: vec!["adult".into(), "social".into()], ..Default::default() };
        assert_eq!(ok.validate().unwrap().blocked, [SiteCategory::Adult].into_iter().collect());
        let bad = AccessInput { blocked: vec!["news".into()], ..Default::default() };
        assert!(bad.validate().is_err());
        let social_without = AccessInput { allowed: false, social_reason: "PR".into(), ..Default::default() };
        assert!(matches!(social_without.validate(), Err(Error::Invalid(e)) if e[0].message == "err-internet-social-without-access"));
    }

    fn host(id: i64, ip: Option<&str>, allowed: bool, social: Social) -> PolicyHost {
        let mut access = Access::default_for(id);
        access.allowed = allowed;
        access.social = social;
        PolicyHost { asset_id: id, label: format!("ST {id}"), ip: ip.map(|i| i.parse().unwrap()), access }
    }

    fn policy() -> Policy {
        let mut sites = BTreeMap::new();
        sites.insert(SiteCategory::Social, vec!["facebook.com".to_string(), "m.facebook.com".into(), "tiktok.com".into()]);
        sites.insert(SiteCategory::Adult, vec!["adult.example".to_string(), "tiktok.com".into()]);
        Policy {
            office: "Градска управа".into(),
            generated: "30.11.2026. 10:00".into(),
            hosts: vec![
                host(1, Some("10.0.1.5"), true, Social::Blocked),
                host(2, Some("10.0.1.6"), true, Social::Approved { reason: "PR".into(), by: "N".into(), at_us: 1 }),
                host(3, Some("10.0.1.7"), false, Social::Blocked),
                host(4, None, true, Social::Blocked),
            ],
            sites,
        }
    }

    #[test]
    fn squid_denies_by_address_and_category() {
        let s = policy().squid();
        assert!(s.contains("acl upravnik_no_internet src 10.0.1.7/32\nhttp_access deny upravnik_no_internet"));
        assert!(s.contains("acl upravnik_social_sites dstdomain .facebook.com .tiktok.com\n"), "{s}");
        assert!(s.contains("acl upravnik_social_clients src 10.0.1.5/32\n"), "{s}");
        assert!(s.contains("acl upravnik_adult_clients src 10.0.1.5/32 10.0.1.6/32\n"), "{s}");
        assert!(s.contains("http_access allow upravnik_allowed"));
        assert!(!s.contains("games"), "a category without sites is left out: {s}");
        assert_eq!(policy().unaddressed().count(), 1);
        // Deny rules come before the allow rule: Squid stops at the first match.
        assert!(s.find("deny upravnik_social").unwrap() < s.find("allow upravnik_allowed").unwrap());
    }

    #[test]
    fn unbound_tags_workstations_and_zones() {
        let u = policy().unbound();
        assert!(u.contains("access-control-tag: 10.0.1.5/32 \"upravnik_adult upravnik_games upravnik_malware upravnik_social\""), "{u}");
        assert!(u.contains("access-control-tag: 10.0.1.6/32 \"upravnik_adult upravnik_games upravnik_malware\""), "{u}");
        assert!(u.contains("local-zone-tag: \"tiktok.com.\" \"upravnik_adult upravnik_social\""), "{u}");
        assert!(!u.contains("m.facebook.com"));
    }

    #[test]
    fn misuse_input_rules() {
        let today = jiff::civil::date(2026, 11, 30);
        let modem = MisuseInput {
            kind: "private_modem".into(),
            asset_id: Some(4),
            happened_on: "29.11.2026".into(),
            description: "USB модем на ST 4".into(),
            ..Default::default()
        };
        let f = modem.validate(today).unwrap();
        assert!(f.cut_access, "R.32: a private modem cuts access");
        assert_eq!(f.happened_on, "2026-11-29");
        let nobody = MisuseInput { asset_id: None, kind: "internet_misuse".into(), ..modem.clone() };
        assert!(nobody.validate(today).is_err());
        let future = MisuseInput { happened_on: "2026-12-01".into(), ..modem.clone() };
        assert!(future.validate(today).is_err());
        let modem_no_asset = MisuseInput { asset_id: None, person_id: Some(3), ..modem };
        assert!(modem_no_asset.validate(today).is_err());
    }
}
