//! Licensed software (R.23–R.30, Prilog 4): the office's catalogue of products with their
//! licences, the rules that recognise what inventory agents report as a product, and compliance —
//! per product installed against licensed, per workstation what has no licence (R.30: removed
//! without warning) or is not known.
//!
//! Everything here is pure: the service loads the facts and stores what this module decides.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use crate::{Error, FieldError, Result};

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 500;
pub const PATTERN_MAX: usize = 200;

/// The rulebook's kinds of software (R.23–R.28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// R.23: operating systems.
    OperatingSystem,
    /// R.24: system applications of world vendors (office suites, databases, antivirus).
    SystemApplication,
    /// R.25: general-purpose domestic software.
    DomesticGeneral,
    /// R.26: purpose-built domestic software (case management, accounting).
    DomesticPurpose,
    /// R.27: the office's own local applications.
    Local,
    /// R.28: free software: no licence to buy.
    Free,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::OperatingSystem,
        Category::SystemApplication,
        Category::DomesticGeneral,
        Category::DomesticPurpose,
        Category::Local,
        Category::Free,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::OperatingSystem => "operating_system",
            Category::SystemApplication => "system_application",
            Category::DomesticGeneral => "domestic_general",
            Category::DomesticPurpose => "domestic_purpose",
            Category::Local => "local",
            Category::Free => "free",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The rulebook's article for the category.
    pub fn article(self) -> &'static str {
        match self {
            Category::OperatingSystem => "R.23",
            Category::SystemApplication => "R.24",
            Category::DomesticGeneral => "R.25",
            Category::DomesticPurpose => "R.26",
            Category::Local => "R.27",
            Category::Free => "R.28",
        }
    }
}

/// How a licence counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    /// One workstation per seat.
    PerDevice,
    /// One person per seat; counted against workstations, since inventories know machines.
    PerUser,
    /// The whole office, any number of installations.
    Site,
    /// A subscription: its seats (or the whole office when none are given) while it runs.
    Subscription,
    /// Came with the machine: one workstation per seat.
    Oem,
    /// Free of charge (a free edition, a donation).
    Free,
}

impl LicenceKind {
    pub const ALL: [LicenceKind; 6] =
        [LicenceKind::PerDevice, LicenceKind::PerUser, LicenceKind::Site, LicenceKind::Subscription, LicenceKind::Oem, LicenceKind::Free];

    pub fn as_str(self) -> &'static str {
        match self {
            LicenceKind::PerDevice => "per_device",
            LicenceKind::PerUser => "per_user",
            LicenceKind::Site => "site",
            LicenceKind::Subscription => "subscription",
            LicenceKind::Oem => "oem",
            LicenceKind::Free => "free",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the kind needs a number of seats.
    pub fn counted(self) -> bool {
        matches!(self, LicenceKind::PerDevice | LicenceKind::PerUser | LicenceKind::Oem)
    }
}

// --- products ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub vendor: String,
    pub category: Category,
    pub note: String,
    pub active: bool,
    pub licences: Vec<Licence>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct ProductInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductFields {
    pub name: String,
    pub vendor: String,
    pub category: Category,
    pub note: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn bounded(errs: &mut Vec<FieldError>, field: &'static str, v: &str, max: usize) {
    if v.chars().count() > max {
        errs.push(FieldError::new(field, "err-too-long"));
    }
}

impl ProductInput {
    pub fn validate(&self) -> Result<ProductFields> {
        let mut errs = vec![];
        let name = one_line(&self.name);
        if name.is_empty() {
            errs.push(FieldError::new("name", "err-required"));
        }
        bounded(&mut errs, "name", &name, NAME_MAX);
        let vendor = one_line(&self.vendor);
        bounded(&mut errs, "vendor", &vendor, NAME_MAX);
        let note = self.note.trim().to_string();
        bounded(&mut errs, "note", &note, TEXT_MAX * 4);
        let category = Category::parse(self.category.trim()).unwrap_or_else(|| {
            errs.push(FieldError::new("category", "err-software-category"));
            Category::SystemApplication
        });
        if errs.is_empty() { Ok(ProductFields { name, vendor, category, note }) } else { Err(Error::Invalid(errs)) }
    }
}

// --- licences ------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Licence {
    pub id: i64,
    pub product_id: i64,
    pub kind: LicenceKind,
    /// `None`: not counted (site, free, a subscription for the whole office).
    pub seats: Option<i64>,
    /// ISO dates; `None`: from always / for ever.
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The contract and the procurement it came from (R.29).
    pub contract: String,
    pub procurement: String,
    pub note: String,
}

impl Licence {
    /// Whether it counts on this day.
    pub fn valid_on(&self, day: Date) -> bool {
        let from = self.valid_from.as_deref().and_then(|d| d.parse::<Date>().ok());
        let to = self.valid_to.as_deref().and_then(|d| d.parse::<Date>().ok());
        from.is_none_or(|f| f <= day) && to.is_none_or(|t| day <= t)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct LicenceInput {
    #[serde(default)]
    pub kind: String,
    /// Empty for an uncounted kind.
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub contract: String,
    #[serde(default)]
    pub procurement: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceFields {
    pub kind: LicenceKind,
    pub seats: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub contract: String,
    pub procurement: String,
    pub note: String,
}

impl LicenceInput {
    pub fn validate(&self) -> Result<LicenceFields> {
        let mut errs = vec![];
        let kind = LicenceKind::parse(self.kind.trim()).unwrap_or_else(|| {
            errs.push(FieldError::new("kind", "err-licence-kind"));
            LicenceKind::PerDevice
        });
        let seats = match self.seats.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if (1..=1_000_000).contains(&n) => Some(n),
                _ => {
                    errs.push(FieldError::new("seats", "err-licence-seats"));
                    None
                }
            },
        };
        if kind.counted() && seats.is_none() && !errs.iter().any(|e| e.field == "seats") {
            errs.push(FieldError::new("seats", "err-licence-seats-needed"));
        }
        let mut date = |field: &'static str, v: &str| -> Option<String> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            match crate::clock::parse_date(v) {
                Some(d) => Some(d.to_string()),
                None => {
                    errs.push(FieldError::new(field, "err-date"));
                    None
                }
            }
        };
        let valid_from = date("valid_from", &self.valid_from);
        let valid_to = date("valid_to", &self.valid_to);
        if let (Some(f), Some(t)) = (&valid_from, &valid_to)
            && t < f
        {
            errs.push(FieldError::new("valid_to", "err-licence-dates"));
        }
        let contract = one_line(&self.contract);
        let procurement = one_line(&self.procurement);
        let note = self.note.trim().to_string();
        bounded(&mut errs, "contract", &contract, TEXT_MAX);
        bounded(&mut errs, "procurement", &procurement, TEXT_MAX);
        bounded(&mut errs, "note", &note, TEXT_MAX * 4);
        if errs.is_empty() {
            Ok(LicenceFields { kind, seats, valid_from, valid_to, contract, procurement, note })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

// --- recognition ---------------------------------------------------------------------------------

/// How a rule's pattern meets a reported name (both in lower case, spaces collapsed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Prefix,
    Contains,
}

impl MatchKind {
    pub const ALL: [MatchKind; 3] = [MatchKind::Exact, MatchKind::Prefix, MatchKind::Contains];

    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Prefix => "prefix",
            MatchKind::Contains => "contains",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A recognition rule: names it matches are this product — or, without a product, are not
/// software to license at all (updates, drivers, runtimes) and are left out of compliance.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub id: i64,
    pub product_id: Option<i64>,
    pub kind: MatchKind,
    pub pattern: String,
    /// Only versions starting with this ("16." for Office 2016); empty: any.
    pub version_prefix: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct RuleInput {
    /// Empty: an "ignore" rule.
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub pattern: String,
    #[serde(default)]
    pub version_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFields {
    pub product_id: Option<i64>,
    pub kind: MatchKind,
    pub pattern: String,
    pub version_prefix: String,
}

impl RuleInput {
    pub fn validate(&self) -> Result<RuleFields> {
        let mut errs = vec![];
        let kind = match self.kind.trim() {
            "" => MatchKind::Prefix,
            k => MatchKind::parse(k).unwrap_or_else(|| {
                errs.push(FieldError::new("kind", "err-rule-kind"));
                MatchKind::Prefix
            }),
        };
        let pattern = normalise(&self.pattern);
        // Too short a pattern would swallow half the inventory ("a", "micro").
        if pattern.chars().count() < 3 {
            errs.push(FieldError::new("pattern", "err-rule-pattern"));
        }
        bounded(&mut errs, "pattern", &pattern, PATTERN_MAX);
        let version_prefix = self.version_prefix.trim().to_lowercase();
        bounded(&mut errs, "version_prefix", &version_prefix, 50);
        if errs.is_empty() {
            Ok(RuleFields { product_id: self.product_id, kind, pattern, version_prefix })
        } else {
            Err(Error::Invalid(errs))
        }
    }
}

/// A name as rules see it: lower case, spaces collapsed.
pub fn normalise(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// What a reported program is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recognition {
    Product(i64),
    /// Not software to license (an update, a driver, a runtime).
    Ignored,
    Unknown,
}

/// The rules, most specific first: exact before prefix before contains, longer patterns and
/// rules with a version before shorter and general ones.
pub struct Recogniser {
    rules: Vec<Rule>,
}

impl Recogniser {
    pub fn new(mut rules: Vec<Rule>) -> Self {
        rules.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(b.pattern.len().cmp(&a.pattern.len()))
                .then(b.version_prefix.len().cmp(&a.version_prefix.len()))
                .then(a.id.cmp(&b.id))
        });
        Self { rules }
    }

    pub fn recognise(&self, name: &str, version: &str) -> Recognition {
        let n = normalise(name);
        let v = version.trim().to_lowercase();
        for r in &self.rules {
            let hit = match r.kind {
                MatchKind::Exact => n == r.pattern,
                MatchKind::Prefix => n.starts_with(&r.pattern),
                MatchKind::Contains => n.contains(&r.pattern),
            };
            if hit && v.starts_with(&r.version_prefix) {
                return r.product_id.map_or(Recognition::Ignored, Recognition::Product);
            }
        }
        Recognition::Unknown
    }
}

/// Ignore rules an office starts from: what Windows and the agents list besides programs.
#[rustfmt::skip]
pub const STANDARD_IGNORE: &[(MatchKind, &str)] = &[
    (MatchKind::Prefix, "security update for"),
    (MatchKind::Prefix, "update for"),
    (MatchKind::Prefix, "hotfix for"),
    (MatchKind::Prefix, "service pack"),
    (MatchKind::Contains, "(kb"),
    (MatchKind::Prefix, "microsoft visual c++"),
    (MatchKind::Prefix, "microsoft .net"),
    (MatchKind::Prefix, "microsoft edge update"),
    (MatchKind::Prefix, "microsoft update health tools"),
    (MatchKind::Contains, "language pack"),
    (MatchKind::Contains, "driver"),
    (MatchKind::Prefix, "intel(r)"),
    (MatchKind::Prefix, "realtek"),
    (MatchKind::Prefix, "nvidia"),
    (MatchKind::Prefix, "amd "),
];

// --- compliance ----------------------------------------------------------------------------------

/// The seats of a product on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "count")]
pub enum Seats {
    /// No licence valid that day.
    None,
    Count(i64),
    /// A site licence, a free one, a subscription for everyone, or free software (R.28).
    Unlimited,
}

pub fn seats(category: Category, licences: &[Licence], day: Date) -> Seats {
    if category == Category::Free {
        return Seats::Unlimited;
    }
    let mut count = 0;
    let mut any = false;
    for l in licences.iter().filter(|l| l.valid_on(day)) {
        any = true;
        match l.seats {
            Some(n) if l.kind != LicenceKind::Site && l.kind != LicenceKind::Free => count += n,
            _ => return Seats::Unlimited,
        }
    }
    if any { Seats::Count(count) } else { Seats::None }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Licensed,
    /// More installations than seats: by how many.
    Over(i64),
    /// Installed with no valid licence: every installation is to be removed (R.30).
    Unlicensed,
    /// In the catalogue, installed nowhere.
    Unused,
}

pub fn status(seats: Seats, installed: i64) -> Status {
    match seats {
        _ if installed == 0 => Status::Unused,
        Seats::None => Status::Unlicensed,
        Seats::Count(n) if installed > n => Status::Over(installed - n),
        _ => Status::Licensed,
    }
}

/// A program on a workstation, as the inventory has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Installed {
    pub asset_id: i64,
    pub name: String,
    pub version: String,
}

/// What compliance found for a set of workstations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// Product → the workstations it is on.
    pub installed: BTreeMap<i64, BTreeSet<i64>>,
    /// (workstation, product) with no valid licence: the removal tasks (R.30).
    pub unlicensed: BTreeSet<(i64, i64)>,
    /// Each distinct (name, version) seen, with what it is: stored as the office's titles, from
    /// which the names no rule knows are counted (the suggestion list).
    pub titles: Vec<(String, String, Recognition)>,
}

/// Recognises every installation (each distinct name and version once) and decides.
pub fn findings<'a>(
    recogniser: &Recogniser,
    unlicensed_products: &BTreeSet<i64>,
    rows: impl IntoIterator<Item = &'a Installed>,
) -> Findings {
    let mut seen: HashMap<(&str, &str), Recognition> = HashMap::new();
    let mut f = Findings::default();
    for i in rows {
        let r = *seen.entry((i.name.as_str(), i.version.as_str())).or_insert_with(|| recogniser.recognise(&i.name, &i.version));
        match r {
            Recognition::Product(p) => {
                f.installed.entry(p).or_default().insert(i.asset_id);
                if unlicensed_products.contains(&p) {
                    f.unlicensed.insert((i.asset_id, p));
                }
            }
            Recognition::Ignored | Recognition::Unknown => {}
        }
    }
    // In key order, as the office's titles are indexed.
    f.titles = seen.into_iter().map(|((n, v), r)| (n.to_string(), v.to_string(), r)).collect();
    f.titles.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    f
}

/// The products with no valid licence on the day (free software always has one).
pub fn unlicensed_products(products: &[Product], day: Date) -> BTreeSet<i64> {
    products.iter().filter(|p| p.active && seats(p.category, &p.licences, day) == Seats::None).map(|p| p.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: i64, product: Option<i64>, kind: MatchKind, pattern: &str, version: &str) -> Rule {
        Rule { id, product_id: product, kind, pattern: normalise(pattern), version_prefix: version.into() }
    }

    fn recogniser() -> Recogniser {
        let mut rules = vec![
            rule(1, Some(10), MatchKind::Prefix, "Microsoft Office Professional Plus 2016", "16."),
            rule(2, Some(11), MatchKind::Prefix, "Microsoft Office Professional Plus", ""),
            rule(3, Some(20), MatchKind::Contains, "acrobat reader", ""),
            rule(4, Some(30), MatchKind::Exact, "7-zip 19.00 (x64)", ""),
            rule(5, Some(31), MatchKind::Contains, "7-zip", ""),
            rule(6, Some(40), MatchKind::Contains, "winrar", ""),
        ];
        for (i, (k, p)) in STANDARD_IGNORE.iter().enumerate() {
            rules.push(rule(100 + i as i64, None, *k, p, ""));
        }
        Recogniser::new(rules)
    }

    #[test]
    fn tricky_names_and_versions() {
        let r = recogniser();
        let cases = [
            ("Microsoft Office Professional Plus 2016", "16.0.4266.1001", Recognition::Product(10)),
            ("Microsoft  Office Professional Plus 2016 - en-us", "16.0.4266.1001", Recognition::Product(10)),
            // The same name with another major version is the general rule's.
            ("Microsoft Office Professional Plus 2019", "16.0.10730.20102", Recognition::Product(11)),
            ("Microsoft Office Professional Plus 2013", "15.0.4569.1506", Recognition::Product(11)),
            ("Security Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition", "", Recognition::Ignored),
            ("Adobe Acrobat Reader DC (64-bit)", "23.006.20360", Recognition::Product(20)),
            ("ADOBE ACROBAT READER DC - ČEŠTINA", "19.0", Recognition::Product(20)),
            ("Adobe Acrobat DC", "23.1", Recognition::Unknown),
            ("7-Zip 19.00 (x64)", "19.00", Recognition::Product(30)),
            ("7-Zip 22.01 (x64)", "22.01", Recognition::Product(31)),
            ("WinRAR 6.02 (64-bit)", "6.02.0", Recognition::Product(40)),
            ("Microsoft Visual C++ 2015-2019 Redistributable (x64) - 14.28.29913", "14.28", Recognition::Ignored),
            ("Intel(R) Management Engine Components", "2040", Recognition::Ignored),
            ("Realtek High Definition Audio Driver", "6.0.9", Recognition::Ignored),
            ("Paragraf Lex", "2024", Recognition::Unknown),
        ];
        for (name, version, want) in cases {
            assert_eq!(r.recognise(name, version), want, "{name} {version}");
        }
    }

    fn licence(kind: LicenceKind, seats: Option<i64>, from: Option<&str>, to: Option<&str>) -> Licence {
        Licence {
            id: 1,
            product_id: 1,
            kind,
            seats,
            valid_from: from.map(String::from),
            valid_to: to.map(String::from),
            contract: String::new(),
            procurement: String::new(),
            note: String::new(),
        }
    }

    #[test]
    fn seats_count_only_valid_licences() {
        let day: Date = "2026-11-30".parse().unwrap_or_default();
        let l = vec![
            licence(LicenceKind::PerDevice, Some(10), None, None),
            licence(LicenceKind::Oem, Some(5), Some("2020-01-01"), None),
            licence(LicenceKind::Subscription, Some(50), Some("2025-01-01"), Some("2025-12-31")),
        ];
        assert_eq!(seats(Category::SystemApplication, &l, day), Seats::Count(15));
        assert_eq!(seats(Category::Free, &[], day), Seats::Unlimited, "free software needs no licence (R.28)");
        assert_eq!(seats(Category::SystemApplication, &l[2..], day), Seats::None, "expired");
        assert_eq!(seats(Category::OperatingSystem, &[licence(LicenceKind::Site, None, None, None)], day), Seats::Unlimited);
        assert_eq!(status(Seats::Count(15), 17), Status::Over(2));
        assert_eq!(status(Seats::None, 3), Status::Unlicensed);
        assert_eq!(status(Seats::None, 0), Status::Unused);
        assert_eq!(status(Seats::Unlimited, 900), Status::Licensed);
    }

    #[test]
    fn findings_open_a_task_per_workstation_and_unlicensed_product() {
        let r = recogniser();
        let rows = vec![
            Installed { asset_id: 1, name: "WinRAR 6.02 (64-bit)".into(), version: "6.02".into() },
            Installed { asset_id: 2, name: "WinRAR 5.91 (32-bit)".into(), version: "5.91".into() },
            Installed { asset_id: 1, name: "Microsoft Office Professional Plus 2016".into(), version: "16.0.4266.1001".into() },
            Installed {
                asset_id: 1,
                name: "Microsoft Office Professional Plus 2016 - sr-latn-rs".into(),
                version: "16.0.4266.1001".into(),
            },
            Installed { asset_id: 2, name: "Paragraf Lex".into(), version: "2024".into() },
            Installed { asset_id: 2, name: "Update for Windows (KB123)".into(), version: "".into() },
        ];
        let f = findings(&r, &BTreeSet::from([40]), &rows);
        assert_eq!(f.unlicensed, BTreeSet::from([(1, 40), (2, 40)]));
        assert_eq!(f.installed.get(&10).map(BTreeSet::len), Some(1), "one workstation, however many of its parts");
        let unknown: Vec<&str> = f.titles.iter().filter(|t| t.2 == Recognition::Unknown).map(|t| t.0.as_str()).collect();
        assert_eq!(unknown, ["Paragraf Lex"]);
        assert_eq!(f.titles.len(), rows.len(), "every distinct title, whatever it is");
    }

    #[test]
    fn inputs_are_checked() {
        let Err(Error::Invalid(e)) = LicenceInput { kind: "per_device".into(), ..Default::default() }.validate() else { panic!() };
        assert_eq!(e[0].message, "err-licence-seats-needed");
        let site =
            LicenceInput { kind: "site".into(), valid_from: "01.01.2026.".into(), valid_to: "2026-12-31".into(), ..Default::default() };
        let f = site.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((f.seats, f.valid_from.as_deref()), (None, Some("2026-01-01")));
        let back = LicenceInput {
            kind: "oem".into(),
            seats: "3".into(),
            valid_from: "2026-02-01".into(),
            valid_to: "2026-01-01".into(),
            ..Default::default()
        };
        assert!(matches!(back.validate(), Err(Error::Invalid(e)) if e[0].message == "err-licence-dates"));
        assert!(matches!(RuleInput { pattern: " ab ".into(), ..Default::default() }.validate(), Err(Error::Invalid(_))));
        let rule = RuleInput { pattern: "  Adobe   Acrobat ".into(), ..Default::default() }.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((rule.pattern.as_str(), rule.kind), ("adobe acrobat", MatchKind::Prefix));
        assert!(ProductInput { name: "X".into(), category: "games".into(), ..Default::default() }.validate().is_err());
    }
}
