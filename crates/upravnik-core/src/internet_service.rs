//! Services of internet access (R.32, R.34) and antivirus coverage (R.31, R.60): access per
//! workstation set by administrators, social networks approved by the head of administration,
//! the sites of each blocked category, the policy exports, misuse reports the head of
//! administration is told of, and which workstations the antivirus does not cover.

use std::collections::BTreeMap;

use crate::access::{Actor, Permission};
use crate::antivirus::{Coverage, coverage};
use crate::clock::{format_local, local_date};
use crate::internet::{
    Access, AccessInput, Misuse, MisuseInput, Policy, PolicyHost, STANDARD_SITES, SiteCategory, Social, normalise_domain, social_after_edit,
};
use crate::service::{Services, draft};
use crate::worklog::{Category as LogCategory, ObjectRef};
use crate::{Error, Result};

/// A workstation with its access (`None`: never set, so none, R.32).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HostRow {
    pub asset_id: i64,
    pub inventory_number: String,
    /// `ST nn` (R.12), or the host name.
    pub label: String,
    pub ip: Option<String>,
    pub unit: String,
    pub person: String,
    pub access: Option<Access>,
}

impl HostRow {
    pub fn access_or_default(&self) -> Access {
        self.access.clone().unwrap_or_else(|| Access::default_for(self.asset_id))
    }

    pub fn name(&self) -> String {
        if self.label.is_empty() { self.inventory_number.clone() } else { format!("{} ({})", self.label, self.inventory_number) }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Site {
    pub id: i64,
    pub category: SiteCategory,
    pub domain: String,
}

/// A workstation and what its last inventory said of antivirus.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AntivirusRow {
    pub asset_id: i64,
    pub inventory_number: String,
    pub label: String,
    pub unit: String,
    pub os: String,
    /// As stored ([`crate::antivirus::encode`]); `None` when never reported.
    pub antivirus: Option<String>,
    pub last_inventory_us: Option<i64>,
    pub coverage: Coverage,
}

fn category_words(c: SiteCategory) -> &'static str {
    match c {
        SiteCategory::Adult => "порнографија",
        SiteCategory::Games => "игре",
        SiteCategory::Malware => "сумњиви и заражени сајтови",
        SiteCategory::Social => "друштвене мреже",
    }
}

fn describe_access(a: &Access) -> String {
    if !a.allowed {
        return "без приступа интернету".into();
    }
    let blocked: Vec<&str> = a.effective_blocked().into_iter().map(category_words).collect();
    let mut t = if blocked.is_empty() {
        "приступ интернету без блокада".to_string()
    } else {
        format!("приступ интернету; блокирано: {}", blocked.join(", "))
    };
    if let Social::Requested { reason } = &a.social {
        t.push_str(&format!("; тражи се отварање друштвених мрежа: {reason}"));
    }
    t
}

impl Services {
    /// Every workstation in use with its access (R.32).
    pub async fn internet_hosts(&self, actor: &Actor) -> Result<Vec<HostRow>> {
        actor.require(Permission::AssetsRead)?;
        self.store.internet_hosts(actor.office_id).await
    }

    pub async fn internet_host(&self, actor: &Actor, asset_id: i64) -> Result<HostRow> {
        self.internet_hosts(actor).await?.into_iter().find(|h| h.asset_id == asset_id).ok_or(Error::NotFound { what: "workstation" })
    }

    /// An administrator sets a workstation's access. Asking for social networks (a reason) waits
    /// for the head of administration; changing the reason asks again.
    pub async fn set_internet_access(&self, actor: &Actor, asset_id: i64, input: &AccessInput) -> Result<Access> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let host = self.internet_host(actor, asset_id).await?;
        let old = host.access_or_default();
        let social = if f.allowed { social_after_edit(&old.social, &f.social_reason) } else { Social::Blocked };
        let new = Access { asset_id, allowed: f.allowed, blocked: f.blocked, social, note: f.note };
        let text = format!("Интернет на рачунару {}: {} (члан 32)", host.name(), describe_access(&new));
        let log = draft(actor, LogCategory::SecurityMeasure, Some(ObjectRef::new("asset", asset_id, &host.inventory_number)), text);
        self.store.save_internet_access(actor.office_id, &new, self.now(), log).await?;
        Ok(new)
    }

    /// The head of administration approves (or refuses) social networks for a workstation (R.32).
    pub async fn decide_social_networks(&self, actor: &Actor, asset_id: i64, approve: bool) -> Result<Access> {
        actor.require(Permission::ApproveSocialNetworks)?;
        let host = self.internet_host(actor, asset_id).await?;
        let mut a = host.access_or_default();
        let Social::Requested { reason } = a.social.clone() else {
            return Err(Error::invalid("social", "err-internet-social-not-requested"));
        };
        let (text, social) = if approve {
            (
                format!("Одобрене друштвене мреже на рачунару {} ({reason}) — члан 32", host.name()),
                Social::Approved { reason, by: actor.full_name.clone(), at_us: self.now() },
            )
        } else {
            (format!("Одбијено отварање друштвених мрежа на рачунару {} ({reason}) — члан 32", host.name()), Social::Blocked)
        };
        a.social = social;
        let log = draft(actor, LogCategory::SecurityMeasure, Some(ObjectRef::new("asset", asset_id, &host.inventory_number)), text);
        self.store.save_internet_access(actor.office_id, &a, self.now(), log).await?;
        Ok(a)
    }

    /// Requests for social networks waiting for the head of administration (home page).
    pub async fn social_requests_waiting(&self, actor: &Actor) -> Result<Vec<HostRow>> {
        actor.require(Permission::ApproveSocialNetworks)?;
        Ok(self
            .store
            .internet_hosts(actor.office_id)
            .await?
            .into_iter()
            .filter(|h| h.access.as_ref().is_some_and(|a| matches!(a.social, Social::Requested { .. })))
            .collect())
    }

    pub async fn internet_sites(&self, actor: &Actor) -> Result<Vec<Site>> {
        actor.require(Permission::AssetsRead)?;
        self.store.internet_sites(actor.office_id).await
    }

    /// Adds sites to a category; names already there are skipped. Returns how many were added.
    pub async fn add_internet_sites(&self, actor: &Actor, category: &str, domains: &str) -> Result<usize> {
        actor.require(Permission::AssetsWrite)?;
        let c = SiteCategory::parse(category.trim()).ok_or(Error::invalid("category", "err-internet-category"))?;
        let mut list = vec![];
        for d in domains.split(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';').filter(|d| !d.is_empty()) {
            list.push((c, normalise_domain(d)?));
        }
        if list.is_empty() {
            return Err(Error::invalid("domain", "err-required"));
        }
        if list.len() > 1000 {
            return Err(Error::invalid("domain", "err-too-long"));
        }
        let names: Vec<&str> = list.iter().map(|(_, d)| d.as_str()).take(20).collect();
        let more = if list.len() > 20 { format!(" и још {}", list.len() - 20) } else { String::new() };
        let text = format!("Блокирани сајтови ({}): додато {}{more}", category_words(c), names.join(", "));
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.add_internet_sites(actor.office_id, &list, self.now(), log).await
    }

    /// The standard lists of every category ([`STANDARD_SITES`]).
    pub async fn add_standard_sites(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::AssetsWrite)?;
        let list: Vec<(SiteCategory, String)> =
            STANDARD_SITES.iter().flat_map(|(c, ds)| ds.iter().map(move |d| (*c, (*d).to_string()))).collect();
        let log =
            draft(actor, LogCategory::SecurityMeasure, None, "Блокирани сајтови: додате стандардне листе категорија (члан 32)".into());
        self.store.add_internet_sites(actor.office_id, &list, self.now(), log).await
    }

    pub async fn remove_internet_site(&self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let site = self.internet_sites(actor).await?.into_iter().find(|s| s.id == id).ok_or(Error::NotFound { what: "site" })?;
        let text = format!("Блокирани сајтови ({}): уклоњен {}", category_words(site.category), site.domain);
        let log = draft(actor, LogCategory::SecurityMeasure, None, text);
        self.store.remove_internet_site(actor.office_id, id, self.now(), log).await
    }

    /// Everything the exports need, read once.
    pub async fn internet_policy(&self, actor: &Actor) -> Result<Policy> {
        actor.require(Permission::AssetsRead)?;
        let office = self.store.offices().await?.into_iter().find(|o| o.id == actor.office_id).map(|o| o.name).unwrap_or_default();
        let hosts = self
            .store
            .internet_hosts(actor.office_id)
            .await?
            .into_iter()
            .map(|h| PolicyHost {
                asset_id: h.asset_id,
                label: h.name(),
                ip: h.ip.as_deref().and_then(|i| i.parse().ok()),
                access: h.access_or_default(),
            })
            .collect();
        let mut sites: BTreeMap<SiteCategory, Vec<String>> = BTreeMap::new();
        for s in self.store.internet_sites(actor.office_id).await? {
            sites.entry(s.category).or_default().push(s.domain);
        }
        Ok(Policy { office, generated: format_local(self.now()), hosts, sites })
    }

    /// Records internet misuse or a private modem (R.32, R.34) in the work log; cuts the
    /// workstation's access in the same step when asked (always for a modem). The head of
    /// administration sees it on the home page until marked as seen.
    pub async fn record_misuse(&self, actor: &Actor, input: &MisuseInput) -> Result<i64> {
        actor.require(Permission::AssetsWrite)?;
        let today = local_date(self.now()).unwrap_or_default();
        let f = input.validate(today)?;
        let host = match f.asset_id {
            Some(a) => Some(self.internet_host(actor, a).await?),
            None => None,
        };
        let person = match f.person_id {
            Some(p) => Some(self.store.get_person(actor.office_id, p).await?),
            None => None,
        };
        let who = [host.as_ref().map(|h| format!("рачунар {}", h.name())), person.as_ref().map(|p| format!("запослени {}", p.full_name()))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let kind = match f.kind {
            crate::internet::MisuseKind::PrivateModem => "приватни модем (члан 32)",
            crate::internet::MisuseKind::InternetMisuse => "злоупотреба интернета (члан 34)",
            crate::internet::MisuseKind::EmailMisuse => "злоупотреба електронске поште (члан 36)",
            crate::internet::MisuseKind::PolicyBreach => "повреда безбедносне политике (члан 58)",
            crate::internet::MisuseKind::Other => "злоупотреба",
        };
        let mut text = format!("Пријављена злоупотреба: {kind}; {who}; {}", f.description);
        let cut = match (&host, f.cut_access) {
            (Some(h), true) => {
                text.push_str("; приступ интернету укинут");
                Some(Access { allowed: false, social: Social::Blocked, ..h.access_or_default() })
            }
            _ => None,
        };
        let object = host.as_ref().map(|h| ObjectRef::new("asset", h.asset_id, &h.inventory_number));
        // R.58: a breach of the security policy is its own category of the work log.
        let category = if f.kind == crate::internet::MisuseKind::PolicyBreach { LogCategory::PolicyBreach } else { LogCategory::Misuse };
        let log = draft(actor, category, object, text);
        self.store.record_misuse(actor.office_id, &f, &actor.full_name, cut.as_ref(), self.now(), log).await
    }

    pub async fn misuse_reports(&self, actor: &Actor, unseen_only: bool) -> Result<Vec<Misuse>> {
        if !actor.can(Permission::AcknowledgeMisuse) {
            actor.require(Permission::AssetsRead)?;
        }
        self.store.misuse_reports(actor.office_id, unseen_only).await
    }

    /// The head of administration has been told (R.32, R.34).
    pub async fn acknowledge_misuse(&self, actor: &Actor, id: i64) -> Result<()> {
        actor.require(Permission::AcknowledgeMisuse)?;
        let m =
            self.misuse_reports(actor, false).await?.into_iter().find(|m| m.id == id).ok_or(Error::NotFound { what: "misuse report" })?;
        if m.seen_us.is_some() {
            return Ok(());
        }
        let text = format!("Начелник упознат са пријавом злоупотребе бр. {} ({})", m.id, m.happened_on);
        let log = draft(actor, LogCategory::Misuse, m.asset_id.map(|a| ObjectRef::new("asset", a, &m.asset)), text);
        self.store.acknowledge_misuse(actor.office_id, id, &actor.full_name, self.now(), log).await
    }

    /// Workstations in use with what their inventory says of antivirus, worst first (R.31, R.60).
    pub async fn antivirus_coverage(&self, actor: &Actor) -> Result<Vec<AntivirusRow>> {
        actor.require(Permission::AssetsRead)?;
        let mut rows = self.store.antivirus_rows(actor.office_id).await?;
        for r in &mut rows {
            r.coverage = coverage(r.antivirus.as_deref());
        }
        rows.sort_by(|a, b| a.coverage.cmp(&b.coverage).then_with(|| a.inventory_number.cmp(&b.inventory_number)));
        Ok(rows)
    }

    /// How many computers in use lack working protection (R.60): the home page's notice, without
    /// building the list.
    pub async fn antivirus_problems(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::AssetsRead)?;
        let states = self.store.antivirus_states(actor.office_id).await?;
        Ok(states.iter().filter(|(s, _)| coverage(s.as_deref()).is_problem()).map(|(_, n)| usize::try_from(*n).unwrap_or(0)).sum())
    }
}
