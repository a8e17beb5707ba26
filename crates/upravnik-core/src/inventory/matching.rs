//! Which asset an inventory belongs to (PROTOCOLS §4.5): the office's ordered criteria, tried
//! one after another on the identifying values left after the blacklists; the first criterion
//! that finds an asset wins. Pure: the storage hands over the assets that share a value.

use super::card::Identity;
use crate::asset::string_enum;

string_enum!(
    /// The kinds of identifying values kept per asset (`inventory_keys`).
    KeyKind {
        Uuid = "uuid",
        Serial = "serial",
        Mac = "mac",
        Hostname = "hostname",
        Deviceid = "deviceid",
        AgentId = "agent_id",
    }
);

string_enum!(
    /// One matching criterion an administrator can reorder or switch off.
    Criterion {
        UuidSerial = "uuid_serial",
        Serial = "serial",
        Uuid = "uuid",
        Mac = "mac",
        Agent = "agent",
        Hostname = "hostname",
    }
);

impl Criterion {
    /// The recommended order (PROTOCOLS §4.5): the hardware first, the agent install, the name last.
    pub const DEFAULT: [Criterion; 6] =
        [Criterion::UuidSerial, Criterion::Serial, Criterion::Uuid, Criterion::Mac, Criterion::Agent, Criterion::Hostname];

    /// Weak criteria never join two machines whose serials or UUIDs say they differ: a
    /// reinstalled name, a cloned disk (same deviceid) or a moved USB network adapter.
    fn weak(self) -> bool {
        matches!(self, Criterion::Mac | Criterion::Agent | Criterion::Hostname)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub criterion: Criterion,
    pub enabled: bool,
}

pub fn default_rules() -> Vec<Rule> {
    Criterion::DEFAULT.iter().map(|&criterion| Rule { criterion, enabled: true }).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: KeyKind,
    pub value: String,
}

impl Key {
    pub fn new(kind: KeyKind, value: impl Into<String>) -> Key {
        Key { kind, value: value.into() }
    }
}

impl Identity {
    /// Every value, for storing and for finding candidates.
    pub fn keys(&self) -> Vec<Key> {
        let mut v = vec![];
        v.extend(self.uuid.iter().map(|u| Key::new(KeyKind::Uuid, u)));
        v.extend(self.serial.iter().map(|s| Key::new(KeyKind::Serial, s)));
        v.extend(self.macs.iter().map(|m| Key::new(KeyKind::Mac, m)));
        v.extend(self.hostname.iter().map(|h| Key::new(KeyKind::Hostname, h)));
        v.extend(self.deviceids.iter().map(|d| Key::new(KeyKind::Deviceid, d)));
        v.extend(self.agent_id.iter().map(|a| Key::new(KeyKind::AgentId, a)));
        v
    }
}

/// An asset that shares at least one value with the report, with all its values.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub asset_id: i64,
    pub keys: Vec<Key>,
}

impl Candidate {
    fn has(&self, kind: KeyKind, value: &str) -> bool {
        self.keys.iter().any(|k| k.kind == kind && k.value == value)
    }

    fn values(&self, kind: KeyKind) -> impl Iterator<Item = &str> {
        self.keys.iter().filter(move |k| k.kind == kind).map(|k| k.value.as_str())
    }

    /// Both sides know a serial (or a UUID) and they differ.
    fn contradicts(&self, id: &Identity) -> bool {
        let differs = |kind, mine: &Option<String>| match mine {
            Some(v) => {
                let theirs: Vec<&str> = self.values(kind).collect();
                !theirs.is_empty() && !theirs.contains(&v.as_str())
            }
            None => false,
        };
        differs(KeyKind::Serial, &id.serial) || differs(KeyKind::Uuid, &id.uuid)
    }
}

/// The asset the rules pick, and the criterion that picked it. Among several candidates the
/// oldest asset wins, so repeated reports settle on the same one.
pub fn choose(rules: &[Rule], id: &Identity, candidates: &[Candidate]) -> Option<(i64, Criterion)> {
    for rule in rules.iter().filter(|r| r.enabled) {
        let c = rule.criterion;
        let fits = |cand: &&Candidate| -> bool {
            let hit = match c {
                Criterion::UuidSerial => match (&id.uuid, &id.serial) {
                    (Some(u), Some(s)) => cand.has(KeyKind::Uuid, u) && cand.has(KeyKind::Serial, s),
                    _ => false,
                },
                Criterion::Serial => id.serial.as_ref().is_some_and(|s| cand.has(KeyKind::Serial, s)),
                Criterion::Uuid => id.uuid.as_ref().is_some_and(|u| cand.has(KeyKind::Uuid, u)),
                Criterion::Mac => id.macs.iter().any(|m| cand.has(KeyKind::Mac, m)),
                Criterion::Agent => {
                    id.deviceids.iter().any(|d| cand.has(KeyKind::Deviceid, d))
                        || id.agent_id.as_ref().is_some_and(|a| cand.has(KeyKind::AgentId, a))
                }
                Criterion::Hostname => id.hostname.as_ref().is_some_and(|h| cand.has(KeyKind::Hostname, h)),
            };
            hit && !(c.weak() && cand.contradicts(id))
        };
        if let Some(best) = candidates.iter().filter(fits).map(|c| c.asset_id).min() {
            return Some((best, c));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(serial: Option<&str>, mac: &str, host: &str) -> Identity {
        Identity {
            serial: serial.map(Into::into),
            macs: vec![mac.into()],
            hostname: Some(host.into()),
            deviceids: vec![format!("{host}-{mac}")],
            ..Default::default()
        }
    }

    fn cand(id: i64, i: &Identity) -> Candidate {
        Candidate { asset_id: id, keys: i.keys() }
    }

    #[test]
    fn a_renamed_machine_is_found_by_its_serial() {
        let old = ident(Some("czc1"), "aa:aa:aa:aa:aa:01", "pc-01");
        let renamed = ident(Some("czc1"), "aa:aa:aa:aa:aa:01", "racunovodstvo-3");
        assert_eq!(choose(&default_rules(), &renamed, &[cand(7, &old)]), Some((7, Criterion::Serial)));
    }

    #[test]
    fn a_name_does_not_join_machines_whose_serials_differ() {
        let old = ident(Some("czc1"), "aa:aa:aa:aa:aa:01", "pc-01");
        let new = ident(Some("czc2"), "aa:aa:aa:aa:aa:02", "pc-01");
        assert_eq!(choose(&default_rules(), &new, &[cand(7, &old)]), None);
        // Without serials on either side, the name decides (GLPI's "update by name").
        let a = ident(None, "aa:aa:aa:aa:aa:01", "pc-01");
        let b = ident(None, "aa:aa:aa:aa:aa:02", "pc-01");
        assert_eq!(choose(&default_rules(), &b, &[cand(7, &a)]), Some((7, Criterion::Hostname)));
    }

    #[test]
    fn switched_off_criteria_are_skipped() {
        let a = ident(None, "aa:aa:aa:aa:aa:01", "pc-01");
        let b = ident(None, "aa:aa:aa:aa:aa:02", "pc-01");
        let rules: Vec<Rule> = default_rules().into_iter().map(|r| Rule { enabled: r.criterion != Criterion::Hostname, ..r }).collect();
        assert_eq!(choose(&rules, &b, &[cand(7, &a)]), None);
    }
}
