//! Services of licensed software (R.23–R.30, Prilog 4): the catalogue, its licences and
//! recognition rules, and compliance — recomputed for a workstation after each inventory and for
//! the whole office after each change of the catalogue. An installation without a licence opens
//! a removal task (R.30) with its work-log entry; the task closes by itself when an inventory no
//! longer shows the program, or a licence covers it.

use std::collections::{BTreeMap, BTreeSet};

use crate::access::{Actor, Permission};
use crate::clock::{Micros, local_date};
use crate::service::{Services, draft};
use crate::software::{
    Category, Findings, Installed, LicenceInput, MatchKind, Product, ProductInput, Recogniser, Recognition, RuleInput, STANDARD_IGNORE,
    Seats, Status, findings, seats, status, unlicensed_products,
};
use crate::worklog::{Category as LogCategory, Draft, ObjectRef};
use crate::{Error, Result};

/// A product with what compliance found for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProductView {
    #[serde(flatten)]
    pub product: Product,
    pub installed: i64,
    pub seats: Seats,
    pub status: Status,
}

/// A removal task (R.30) as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Task {
    pub id: i64,
    pub asset_id: i64,
    pub asset: String,
    pub product_id: i64,
    pub product: String,
    pub unit: String,
    pub opened_us: Micros,
    pub closed_us: Option<Micros>,
    pub close_reason: String,
}

/// What a recompute changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Recomputed {
    pub workstations: i64,
    pub installations: i64,
    pub opened: i64,
    pub closed: i64,
}

/// An office's catalogue with the recogniser its rules make.
pub struct KnownSoftware {
    pub catalogue: Vec<Product>,
    pub recogniser: Recogniser,
}

/// Per office: (catalogue version, what was built from it).
pub type SoftwareCache = std::sync::Mutex<std::collections::HashMap<i64, (i64, std::sync::Arc<KnownSoftware>)>>;

/// A distinct name and version as the office's inventories report it, and what it is.
#[derive(Debug, Clone)]
pub struct Title {
    pub name: String,
    pub version: String,
    pub recognition: crate::software::Recognition,
}

/// What a recompute writes for its scope, in one transaction.
#[derive(Debug, Default)]
pub struct SoftwareState {
    /// `None`: the whole office.
    pub asset_id: Option<i64>,
    /// What is on the workstation now (`None`: already written, for the whole office).
    pub installs: Option<Vec<(i64, i64)>>,
    /// The workstation's distinct titles with what they are, added to the office's titles where
    /// missing (the unrecognised names are counted from them and the installations).
    pub titles: Option<Vec<Title>>,
    pub open: Vec<(i64, i64, Draft)>,
    pub close: Vec<(i64, String, Draft)>,
}

pub(crate) fn system(office_id: i64, category: LogCategory, object: Option<ObjectRef>, text: String) -> Draft {
    Draft { office_id, actor_user_id: None, actor_name: "upravnik".into(), category, object, confidential: false, text }
}

impl Services {
    /// The catalogue with installed counts, seats and status (Prilog 4).
    pub async fn software(&self, actor: &Actor) -> Result<Vec<ProductView>> {
        actor.require(Permission::AssetsRead)?;
        let catalogue = self.store.software_catalogue(actor.office_id).await?;
        let counts = self.store.software_install_counts(actor.office_id).await?;
        let day = local_date(self.now()).unwrap_or_default();
        Ok(catalogue
            .into_iter()
            .map(|p| {
                let installed = counts.get(&p.id).copied().unwrap_or(0);
                let s = seats(p.category, &p.licences, day);
                ProductView { status: status(s, installed), seats: s, installed, product: p }
            })
            .collect())
    }

    pub async fn software_product(&self, actor: &Actor, id: i64) -> Result<ProductView> {
        self.software(actor).await?.into_iter().find(|p| p.product.id == id).ok_or(Error::NotFound { what: "software product" })
    }

    /// The workstations a product is on: (asset id, inventory number).
    pub async fn software_installed_on(&self, actor: &Actor, product_id: i64) -> Result<Vec<(i64, String)>> {
        actor.require(Permission::AssetsRead)?;
        self.store.software_installed_on(actor.office_id, product_id).await
    }

    pub async fn create_software_product(&self, actor: &Actor, input: &ProductInput, first_rule: Option<&str>) -> Result<i64> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            None,
            format!("У листу лиценцираних програма додат „{}“ ({}, {})", f.name, f.category.as_str(), f.category.article()),
        );
        let id = self.store.save_software_product(actor.office_id, None, &f, self.now(), log).await.map_err(duplicate)?;
        if let Some(p) = first_rule.map(str::trim).filter(|p| !p.is_empty()) {
            let rule = RuleInput {
                product_id: Some(id),
                kind: MatchKind::Prefix.as_str().into(),
                pattern: p.into(),
                version_prefix: String::new(),
            };
            self.add_software_rule(actor, &rule).await?;
        } else {
            self.recompute_software(actor.office_id, None).await?;
        }
        Ok(id)
    }

    pub async fn update_software_product(&self, actor: &Actor, id: i64, input: &ProductInput) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let old = self.software_product(actor, id).await?.product;
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            Some(ObjectRef::new("software", id, &f.name)),
            format!("Измењен програм „{}“ у листи лиценцираних програма", old.name),
        );
        self.store.save_software_product(actor.office_id, Some(id), &f, self.now(), log).await.map_err(duplicate)?;
        if old.category != f.category {
            self.recompute_software(actor.office_id, None).await?;
        }
        Ok(())
    }

    pub async fn add_software_licence(&self, actor: &Actor, product_id: i64, input: &LicenceInput) -> Result<i64> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let p = self.software_product(actor, product_id).await?.product;
        let seats = f.seats.map(|n| n.to_string()).unwrap_or_else(|| "без ограничења".into());
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            Some(ObjectRef::new("software", product_id, &p.name)),
            format!(
                "Лиценца за „{}“: {}, {seats}{}{}",
                p.name,
                f.kind.as_str(),
                f.valid_to.as_deref().map(|d| format!(", важи до {d}")).unwrap_or_default(),
                if f.contract.is_empty() { String::new() } else { format!(", уговор {}", f.contract) }
            ),
        );
        let id = self.store.add_software_licence(actor.office_id, product_id, &f, self.now(), log).await?;
        self.recompute_software(actor.office_id, None).await?;
        Ok(id)
    }

    pub async fn remove_software_licence(&self, actor: &Actor, licence_id: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let catalogue = self.store.software_catalogue(actor.office_id).await?;
        let p = catalogue.iter().find(|p| p.licences.iter().any(|l| l.id == licence_id)).ok_or(Error::NotFound { what: "licence" })?;
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            Some(ObjectRef::new("software", p.id, &p.name)),
            format!("Повучена лиценца за „{}“", p.name),
        );
        self.store.remove_software_licence(actor.office_id, licence_id, self.now(), log).await?;
        self.recompute_software(actor.office_id, None).await.map(|_| ())
    }

    pub async fn add_software_rule(&self, actor: &Actor, input: &RuleInput) -> Result<i64> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let target = match f.product_id {
            Some(id) => format!("програм „{}“", self.software_product(actor, id).await?.product.name),
            None => "занемарује се (није програм за лиценцирање)".into(),
        };
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            None,
            format!("Правило препознавања: назив који {} „{}“ → {target}", kind_words(f.kind), f.pattern),
        );
        let id = self.store.add_software_rule(actor.office_id, &f, self.now(), log).await.map_err(|e| match e {
            Error::Conflict { .. } => Error::invalid("pattern", "err-rule-duplicate"),
            e => e,
        })?;
        self.recompute_software(actor.office_id, None).await?;
        Ok(id)
    }

    pub async fn delete_software_rule(&self, actor: &Actor, rule_id: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let rules = self.store.software_rules(actor.office_id).await?;
        let r = rules.iter().find(|r| r.id == rule_id).ok_or(Error::NotFound { what: "rule" })?;
        let log = draft(
            actor,
            LogCategory::ConfigurationChange,
            None,
            format!("Уклоњено правило препознавања: назив који {} „{}“", kind_words(r.kind), r.pattern),
        );
        self.store.delete_software_rule(actor.office_id, rule_id, self.now(), log).await?;
        self.recompute_software(actor.office_id, None).await.map(|_| ())
    }

    /// The ignore rules of [`STANDARD_IGNORE`] the office lacks (updates, drivers, runtimes).
    pub async fn add_standard_ignore_rules(&self, actor: &Actor) -> Result<usize> {
        actor.require(Permission::AssetsWrite)?;
        let have = self.store.software_rules(actor.office_id).await?;
        let mut added = 0;
        for (kind, pattern) in STANDARD_IGNORE {
            if have.iter().any(|r| r.kind == *kind && r.pattern == *pattern && r.version_prefix.is_empty()) {
                continue;
            }
            let f = RuleInput { product_id: None, kind: kind.as_str().into(), pattern: (*pattern).into(), version_prefix: String::new() }
                .validate()?;
            let log = draft(actor, LogCategory::ConfigurationChange, None, format!("Стандардно правило: „{pattern}“ се занемарује"));
            self.store.add_software_rule(actor.office_id, &f, self.now(), log).await?;
            added += 1;
        }
        self.recompute_software(actor.office_id, None).await?;
        Ok(added)
    }

    pub async fn software_rules(&self, actor: &Actor) -> Result<Vec<crate::software::Rule>> {
        actor.require(Permission::AssetsRead)?;
        self.store.software_rules(actor.office_id).await
    }

    /// Names no rule knows, by how many workstations have them (the suggestion list).
    pub async fn software_unrecognised(&self, actor: &Actor, limit: i64) -> Result<Vec<(String, i64)>> {
        actor.require(Permission::AssetsRead)?;
        self.store.software_unknown(actor.office_id, limit.clamp(1, 1000)).await
    }

    /// Removal tasks, open ones or all; of one unit (its internal units included) when given.
    pub async fn software_tasks(&self, actor: &Actor, open_only: bool, unit_id: Option<i64>) -> Result<Vec<Task>> {
        actor.require(Permission::AssetsRead)?;
        self.store.software_task_rows(actor.office_id, open_only, None, unit_id, 5000).await
    }

    /// How many removal tasks are open (the home page).
    pub async fn open_software_tasks(&self, actor: &Actor) -> Result<i64> {
        actor.require(Permission::AssetsRead)?;
        self.store.open_software_task_count(actor.office_id).await
    }

    /// Compliance for the whole office, by hand (the page's button, the API).
    pub async fn recompute_software_now(&self, actor: &Actor) -> Result<Recomputed> {
        actor.require(Permission::AssetsWrite)?;
        self.recompute_software(actor.office_id, None).await
    }

    /// Recognises what is installed (on one workstation, or everywhere), stores what is on
    /// which workstation and what is unknown, and opens and closes removal tasks, each with its
    /// work-log entry. One workstation (after its inventory) is recognised here, row by row; the
    /// whole office recognises each distinct name once and lets the database join it to the
    /// installations, so 900,000 of them never cross the connection.
    pub async fn recompute_software(&self, office_id: i64, asset_id: Option<i64>) -> Result<Recomputed> {
        self.recompute_software_from(office_id, asset_id, None).await
    }

    /// [`Self::recompute_software`] for one workstation whose installed programs the caller
    /// already holds (`programs`: what the database would answer).
    pub(crate) async fn recompute_software_from(
        &self,
        office_id: i64,
        asset_id: Option<i64>,
        programs: Option<Vec<Installed>>,
    ) -> Result<Recomputed> {
        let known = self.software_known(office_id).await?;
        let (catalogue, recogniser) = (&known.catalogue, &known.recogniser);
        let now = self.now();
        let day = local_date(now).unwrap_or_default();
        let unlicensed = unlicensed_products(catalogue, day);
        let open_tasks = self.store.software_task_rows(office_id, true, asset_id, None, i64::MAX).await?;
        let mut state = SoftwareState { asset_id, ..Default::default() };
        // (workstation, product) → the workstation's inventory number, for what is installed now.
        let mut installed: BTreeMap<(i64, i64), String> = BTreeMap::new();
        let mut out = Recomputed::default();
        match asset_id {
            Some(asset) => {
                let rows = match programs {
                    Some(rows) => rows,
                    None => self.store.installed_software(office_id, Some(asset)).await?,
                };
                let f: Findings = findings(recogniser, &unlicensed, &rows);
                let number =
                    if rows.is_empty() { String::new() } else { self.store.get_asset(office_id, asset).await?.fields.inventory_number };
                for (p, assets) in &f.installed {
                    for a in assets {
                        installed.insert((*a, *p), number.clone());
                    }
                }
                out.workstations = i64::from(!rows.is_empty());
                out.installations = rows.len() as i64;
                state.installs = Some(f.installed.iter().flat_map(|(p, assets)| assets.iter().map(move |a| (*a, *p))).collect());
                state.titles =
                    Some(f.titles.into_iter().map(|(name, version, recognition)| Title { name, version, recognition }).collect());
            }
            None => {
                let titles: Vec<Title> = self
                    .store
                    .software_titles(office_id)
                    .await?
                    .into_iter()
                    .map(|(name, version)| {
                        let r = recogniser.recognise(&name, &version);
                        Title { name, version, recognition: r }
                    })
                    .collect();
                // Recognition as the last recompute stored it: when no title changed what it is (a
                // licence added, nothing new installed), what is on which workstation stands.
                let mut stored = self.store.stored_software_titles(office_id).await?;
                let mut fresh: Vec<(String, String, Recognition)> =
                    titles.iter().map(|t| (t.name.clone(), t.version.clone(), t.recognition)).collect();
                stored.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
                fresh.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
                (out.workstations, out.installations) = if stored == fresh {
                    self.store.software_counts(office_id).await?
                } else {
                    self.store.replace_software_findings(office_id, &titles, now).await?
                };
                let watched: BTreeSet<i64> = unlicensed.iter().copied().chain(open_tasks.iter().map(|t| t.product_id)).collect();
                for (a, p, number) in self.store.software_installs_of(office_id, &watched).await? {
                    installed.insert((a, p), number);
                }
            }
        }
        let have: BTreeMap<(i64, i64), &Task> = open_tasks.iter().map(|t| ((t.asset_id, t.product_id), t)).collect();
        let names: BTreeMap<i64, &str> = catalogue.iter().map(|p| (p.id, p.name.as_str())).collect();
        for ((asset, product), number) in installed.iter().filter(|((_, p), _)| unlicensed.contains(p)) {
            if have.contains_key(&(*asset, *product)) {
                continue;
            }
            let name = names.get(product).copied().unwrap_or("?");
            let text = format!("Нелиценциран програм „{name}“ на рачунару {number}: задатак уклањања (члан 30)");
            let log = system(office_id, LogCategory::PolicyBreach, Some(ObjectRef::new("asset", *asset, number)), text);
            state.open.push((*asset, *product, log));
        }
        for (key, t) in &have {
            let still = installed.contains_key(key);
            if still && unlicensed.contains(&t.product_id) {
                continue;
            }
            let reason = if still { "покривен лиценцом" } else { "уклоњен (попис)" };
            let text = format!("Задатак уклањања „{}“ са рачунара {} затворен: {reason}", t.product, t.asset);
            let log = system(office_id, LogCategory::SecurityMeasure, Some(ObjectRef::new("asset", t.asset_id, &t.asset)), text);
            state.close.push((t.id, reason.into(), log));
        }
        out.opened = state.open.len() as i64;
        out.closed = state.close.len() as i64;
        self.store.store_software_state(office_id, state, now).await?;
        // R.62.7: an approved install is confirmed by the inventory that shows it.
        self.confirm_installs(office_id, asset_id).await?;
        Ok(out)
    }

    /// The catalogue and its recogniser, built once per version of the catalogue (each
    /// workstation's recompute after its inventory would otherwise read them again).
    async fn software_known(&self, office_id: i64) -> Result<std::sync::Arc<KnownSoftware>> {
        let version = self.store.software_version(office_id).await?;
        if let Ok(cache) = self.software_cache.lock()
            && let Some((v, known)) = cache.get(&office_id)
            && *v == version
        {
            return Ok(known.clone());
        }
        let catalogue = self.store.software_catalogue(office_id).await?;
        let recogniser = Recogniser::new(self.store.software_rules(office_id).await?);
        let known = std::sync::Arc::new(KnownSoftware { catalogue, recogniser });
        if let Ok(mut cache) = self.software_cache.lock() {
            cache.insert(office_id, (version, known.clone()));
        }
        Ok(known)
    }

    /// Licences that end within `days` (the home page): (product, valid to).
    pub async fn expiring_licences(&self, actor: &Actor, days: i64) -> Result<Vec<(String, String)>> {
        actor.require(Permission::AssetsRead)?;
        let today = local_date(self.now()).unwrap_or_default();
        let until = today.checked_add(jiff::Span::new().days(days)).unwrap_or(today);
        let mut out = vec![];
        // The catalogue as this instance holds it for recognition (one small query to see that
        // it is current): the home page asks on every visit.
        let known = self.software_known(actor.office_id).await?;
        for p in known.catalogue.iter().filter(|p| p.active && p.category != Category::Free) {
            for l in &p.licences {
                if let Some(to) = l.valid_to.as_deref().and_then(|d| d.parse::<jiff::civil::Date>().ok())
                    && today <= to
                    && to <= until
                {
                    out.push((p.name.clone(), crate::clock::format_date(to)));
                }
            }
        }
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }
}

fn kind_words(k: MatchKind) -> &'static str {
    match k {
        MatchKind::Exact => "гласи",
        MatchKind::Prefix => "почиње са",
        MatchKind::Contains => "садржи",
    }
}

fn duplicate(e: Error) -> Error {
    match e {
        Error::Conflict { code: "duplicate", .. } => Error::invalid("name", "err-software-duplicate"),
        e => e,
    }
}
