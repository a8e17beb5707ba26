//! Antivirus coverage (R.31, R.60: every workstation on the central antivirus, which no user may
//! turn off). The agents pass on what Windows Security Center knows; the last inventory's answer
//! is kept per workstation as compact text and read back here.

/// One antivirus product on a workstation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Product {
    pub name: String,
    /// `None`: the agent did not say.
    pub enabled: Option<bool>,
    pub uptodate: Option<bool>,
}

/// What a workstation's antivirus amounts to, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// A full report found no antivirus at all.
    Missing,
    /// Installed, but real-time protection is off.
    Disabled,
    /// On, but the definitions are out of date.
    Outdated,
    /// No report has said anything (an agent that does not report antivirus, or none yet).
    NotReported,
    /// On and up to date.
    Protected,
}

impl Coverage {
    pub const ALL: [Coverage; 5] = [Coverage::Missing, Coverage::Disabled, Coverage::Outdated, Coverage::NotReported, Coverage::Protected];

    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Missing => "missing",
            Coverage::Disabled => "disabled",
            Coverage::Outdated => "outdated",
            Coverage::NotReported => "not_reported",
            Coverage::Protected => "protected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Something an administrator must act on (R.60).
    pub fn is_problem(self) -> bool {
        matches!(self, Coverage::Missing | Coverage::Disabled | Coverage::Outdated)
    }
}

fn flag_char(f: Option<bool>) -> char {
    match f {
        Some(true) => '1',
        Some(false) => '0',
        None => '?',
    }
}

fn char_flag(c: char) -> Option<bool> {
    match c {
        '1' => Some(true),
        '0' => Some(false),
        _ => None,
    }
}

/// The stored form: one line per product, `<enabled><uptodate> <name>`, sorted, so that the same
/// products in another order are the same text (and the same inventory digest).
pub fn encode(products: &[Product]) -> String {
    let mut lines: Vec<String> = products
        .iter()
        .map(|p| {
            let name: String = p.name.trim().replace(['\n', '\r'], " ").chars().take(200).collect();
            format!("{}{} {name}", flag_char(p.enabled), flag_char(p.uptodate))
        })
        .collect();
    lines.sort();
    lines.dedup();
    lines.join("\n")
}

pub fn decode(s: &str) -> Vec<Product> {
    s.lines()
        .filter_map(|l| {
            let mut cs = l.chars();
            let (e, u, space) = (cs.next()?, cs.next()?, cs.next()?);
            let name = cs.as_str().trim();
            let known = |c: char| matches!(c, '0' | '1' | '?');
            (known(e) && known(u) && space == ' ' && !name.is_empty()).then(|| Product {
                name: name.to_string(),
                enabled: char_flag(e),
                uptodate: char_flag(u),
            })
        })
        .collect()
}

/// `None`: never reported. One enabled and up-to-date product protects the workstation; a flag the
/// agent left out is not held against it.
pub fn coverage(stored: Option<&str>) -> Coverage {
    let Some(s) = stored else { return Coverage::NotReported };
    let products = decode(s);
    if products.is_empty() {
        return Coverage::Missing;
    }
    let on = |p: &&Product| p.enabled != Some(false);
    if products.iter().filter(on).any(|p| p.uptodate != Some(false)) {
        Coverage::Protected
    } else if products.iter().any(|p| on(&p)) {
        Coverage::Outdated
    } else {
        Coverage::Disabled
    }
}

/// For the work log and the card: names with what is wrong, or "none".
pub fn describe(stored: Option<&str>) -> String {
    let Some(s) = stored else { return String::new() };
    let products = decode(s);
    if products.is_empty() {
        return "нема".into();
    }
    products
        .iter()
        .map(|p| {
            let mut t = p.name.clone();
            if p.enabled == Some(false) {
                t.push_str(" (искључен)");
            } else if p.uptodate == Some(false) {
                t.push_str(" (застареле дефиниције)");
            }
            t
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, enabled: Option<bool>, uptodate: Option<bool>) -> Product {
        Product { name: name.into(), enabled, uptodate }
    }

    #[test]
    fn encoding_is_order_free_and_round_trips() {
        let a = [p("Windows Defender", Some(true), Some(true)), p("Kaspersky Endpoint Security 10", Some(true), None)];
        let b = [a[1].clone(), a[0].clone()];
        assert_eq!(encode(&a), encode(&b));
        let mut back = decode(&encode(&a));
        back.sort_by(|x, y| x.name.cmp(&y.name));
        assert_eq!(back, vec![a[1].clone(), a[0].clone()]);
    }

    #[test]
    fn r60_coverage_needs_one_product_on_and_current() {
        assert_eq!(coverage(None), Coverage::NotReported);
        assert_eq!(coverage(Some("")), Coverage::Missing);
        let enc = |v: &[Product]| encode(v);
        assert_eq!(coverage(Some(&enc(&[p("Defender", Some(true), Some(true))]))), Coverage::Protected);
        assert_eq!(coverage(Some(&enc(&[p("Defender", None, None)]))), Coverage::Protected);
        assert_eq!(coverage(Some(&enc(&[p("Defender", Some(true), Some(false))]))), Coverage::Outdated);
        assert_eq!(coverage(Some(&enc(&[p("Defender", Some(false), Some(true))]))), Coverage::Disabled);
        // Defender switched off because a current Kaspersky took over: protected.
        let both = enc(&[p("Defender", Some(false), Some(true)), p("Kaspersky", Some(true), Some(true))]);
        assert_eq!(coverage(Some(&both)), Coverage::Protected);
        assert!(Coverage::Missing.is_problem() && !Coverage::NotReported.is_problem());
    }

    #[test]
    fn describe_names_what_is_wrong() {
        assert_eq!(describe(Some("")), "нема");
        let s = encode(&[p("Defender", Some(true), Some(false))]);
        assert_eq!(describe(Some(&s)), "Defender (застареле дефиниције)");
        assert_eq!(decode("garbage\n1"), vec![]);
    }
}
