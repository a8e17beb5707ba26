//! What changed between the agent's rows on a card and a new report (R.11), and a fingerprint
//! per section so that an unchanged re-inventory skips all of it.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::asset::FieldChange;
use crate::parts::{Part, PartFields, PartKind};

/// The writes that bring one group of rows (a component kind, or the programs) up to date.
#[derive(Debug, Default, Clone)]
pub struct PartPlan {
    pub add: Vec<PartFields>,
    pub remove: Vec<(PartKind, i64)>,
    /// Rows rewritten in place: a new version of a program, a module's details corrected.
    pub update: Vec<(i64, PartFields)>,
    /// One history row per difference a person would call a change.
    pub changes: Vec<FieldChange>,
}

impl PartPlan {
    pub fn merge(&mut self, other: PartPlan) {
        self.add.extend(other.add);
        self.remove.extend(other.remove);
        self.update.extend(other.update);
        self.changes.extend(other.changes);
    }
}

fn added(f: &PartFields) -> FieldChange {
    FieldChange { field: f.kind().as_str(), old: String::new(), new: f.describe() }
}

fn removed(f: &PartFields) -> FieldChange {
    FieldChange { field: f.kind().as_str(), old: f.describe(), new: String::new() }
}

/// The identity under which two rows are "the same" and the key under which leftovers pair up
/// as an update (same program, other version; same module serial or slot, other details).
fn keys(f: &PartFields) -> (String, Option<String>) {
    match f {
        PartFields::Software { name, version, .. } => (format!("{name}\u{1}{version}"), Some(name.clone())),
        PartFields::Component { kind, manufacturer, model, serial, capacity, note } => {
            let same = format!("{}\u{1}{manufacturer}\u{1}{model}\u{1}{serial}\u{1}{capacity}\u{1}{note}", kind.as_str());
            let pair = if !serial.is_empty() {
                Some(format!("{}\u{1}s\u{1}{serial}", kind.as_str()))
            } else if !note.is_empty() {
                Some(format!("{}\u{1}n\u{1}{note}", kind.as_str()))
            } else {
                None
            };
            (same, pair)
        }
    }
}

/// Compares the installed rows (`old`, the agent's own, not removed) with the reported ones.
/// Linear in the number of rows: a machine with thousands of packages is the usual case.
pub fn diff(old: &[&Part], new: &[PartFields]) -> PartPlan {
    let mut plan = PartPlan::default();
    let mut by_same: HashMap<String, Vec<&Part>> = HashMap::with_capacity(old.len());
    for p in old {
        by_same.entry(keys(&p.fields).0).or_default().push(p);
    }
    let mut left_new = vec![];
    for f in new {
        match by_same.get_mut(&keys(f).0).and_then(Vec::pop) {
            // The same row; details that do not make a change (publisher, install date) are
            // brought up to date without a history row.
            Some(p) if p.fields != *f => plan.update.push((p.id, f.clone())),
            Some(_) => {}
            None => left_new.push(f),
        }
    }
    let mut left_old: HashMap<String, Vec<&Part>> = HashMap::new();
    let mut unpaired_old = vec![];
    for p in by_same.into_values().flatten() {
        match keys(&p.fields).1 {
            Some(k) => left_old.entry(k).or_default().push(p),
            None => unpaired_old.push(p),
        }
    }
    for f in left_new {
        match keys(f).1.and_then(|k| left_old.get_mut(&k).and_then(Vec::pop)) {
            Some(p) => {
                plan.changes.push(FieldChange { field: f.kind().as_str(), old: p.fields.describe(), new: f.describe() });
                plan.update.push((p.id, f.clone()));
            }
            None => {
                plan.changes.push(added(f));
                plan.add.push(f.clone());
            }
        }
    }
    let mut gone: Vec<&Part> = left_old.into_values().flatten().chain(unpaired_old).collect();
    gone.sort_by_key(|p| p.id);
    for p in gone {
        plan.changes.push(removed(&p.fields));
        plan.remove.push((p.fields.kind(), p.id));
    }
    plan
}

/// A short digest of one section's card content.
pub fn digest<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    crate::password::hex(&h.finalize()[..12])
}

/// `section=digest;…` as stored, back into pairs.
pub fn parse_fingerprint(s: &str) -> HashMap<String, String> {
    s.split(';').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub fn format_fingerprint(m: &HashMap<String, String>) -> String {
    let mut v: Vec<String> = m.iter().map(|(k, d)| format!("{k}={d}")).collect();
    v.sort();
    v.join(";")
}

/// "1 промена", "3 промене", "5 промена" (Serbian plural).
pub fn changes_word(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (1, r) if r != 11 => "промена",
        (2..=4, r) if !(12..=14).contains(&r) => "промене",
        _ => "промена",
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parts::{ComponentKind, PartSource};

    fn sw(name: &str, version: &str) -> PartFields {
        PartFields::Software { name: name.into(), version: version.into(), publisher: String::new(), installed_on: None }
    }

    fn part(id: i64, fields: PartFields) -> Part {
        Part { id, asset_id: 1, source: PartSource::Agent, added_us: 0, removed_us: None, fields }
    }

    #[test]
    fn a_new_version_is_one_update_not_a_removal_and_an_install() {
        let old = [part(1, sw("Firefox", "120")), part(2, sw("VLC", "3.0")), part(3, sw("7-Zip", "23"))];
        let refs: Vec<&Part> = old.iter().collect();
        let plan = diff(&refs, &[sw("Firefox", "121"), sw("7-Zip", "23"), sw("GIMP", "2.10")]);
        let c: Vec<(&str, &str)> = plan.changes.iter().map(|c| (c.old.as_str(), c.new.as_str())).collect();
        assert_eq!(c, [("Firefox 120", "Firefox 121"), ("", "GIMP 2.10"), ("VLC 3.0", "")]);
        assert_eq!((plan.add.len(), plan.remove, plan.update.len()), (1, vec![(PartKind::Software, 2)], 1));
    }

    #[test]
    fn unchanged_rows_make_no_plan() {
        let ram = PartFields::Component {
            kind: ComponentKind::Memory,
            manufacturer: "Kingston".into(),
            model: "DDR4".into(),
            serial: "A1".into(),
            capacity: "8 GB".into(),
            note: "DIMM 0".into(),
        };
        let old = [part(1, ram.clone())];
        let plan = diff(&old.iter().collect::<Vec<_>>(), &[ram]);
        assert!(plan.changes.is_empty() && plan.add.is_empty() && plan.remove.is_empty() && plan.update.is_empty());
    }

    #[test]
    fn serbian_plurals() {
        assert_eq!(changes_word(1), "1 промена");
        assert_eq!(changes_word(3), "3 промене");
        assert_eq!(changes_word(5), "5 промена");
        assert_eq!(changes_word(12), "12 промена");
        assert_eq!(changes_word(22), "22 промене");
    }
}
