//! The work log (Dnevnik rada, R.20): append-only entries linked by a SHA-256 hash chain, one chain
//! per office. Every state change made through the product writes a [`Draft`] in the same
//! transaction; nothing edits or deletes an entry.

use crate::clock::Micros;
use crate::{Error, Result};
use sha2::{Digest, Sha256};

/// What an entry is about: the R.20 list, plus what R.32, R.34, R.52 and R.58 add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Processing runs and updates (R.20).
    Processing,
    /// Data media used (R.20).
    DataMedia,
    /// Renewal of copies (R.20, R.66).
    CopyRenewal,
    /// Security measures carried out (R.20).
    SecurityMeasure,
    /// Power loss, equipment failure or outage (R.20).
    Outage,
    /// Recovery procedures carried out (R.20).
    Recovery,
    /// Every intervention, including faults (R.52).
    Intervention,
    /// Internet misuse and private modems (R.32, R.34).
    Misuse,
    /// Breach of the security policy (R.58).
    PolicyBreach,
    /// Accounts, roles, passwords, sign-in.
    AccountChange,
    /// Configuration and registry data: organisation, people, settings.
    ConfigurationChange,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::Processing,
        Category::DataMedia,
        Category::CopyRenewal,
        Category::SecurityMeasure,
        Category::Outage,
        Category::Recovery,
        Category::Intervention,
        Category::Misuse,
        Category::PolicyBreach,
        Category::AccountChange,
        Category::ConfigurationChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Processing => "processing",
            Category::DataMedia => "data_media",
            Category::CopyRenewal => "copy_renewal",
            Category::SecurityMeasure => "security_measure",
            Category::Outage => "outage",
            Category::Recovery => "recovery",
            Category::Intervention => "intervention",
            Category::Misuse => "misuse",
            Category::PolicyBreach => "policy_breach",
            Category::AccountChange => "account_change",
            Category::ConfigurationChange => "configuration_change",
        }
    }

    pub fn parse(s: &str) -> Result<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s).ok_or(Error::invalid("category", "err-category-unknown"))
    }
}

/// The object an entry concerns, e.g. `("person", "42", "Марко Петровић")`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectRef {
    pub kind: String,
    pub id: String,
    pub label: String,
}

impl ObjectRef {
    pub fn new(kind: &str, id: impl ToString, label: impl Into<String>) -> Self {
        Self { kind: kind.to_string(), id: id.to_string(), label: label.into() }
    }
}

/// An entry before the storage gives it a place in the chain.
#[derive(Debug, Clone)]
pub struct Draft {
    pub office_id: i64,
    pub actor_user_id: Option<i64>,
    /// Name of the actor at the time, kept so the entry stays readable if the account changes.
    pub actor_name: String,
    pub category: Category,
    pub object: Option<ObjectRef>,
    pub confidential: bool,
    pub text: String,
}

pub const MAX_TEXT: usize = 8000;

impl Draft {
    pub fn validate(&self) -> Result<()> {
        let t = self.text.trim();
        if t.is_empty() {
            return Err(Error::invalid("text", "err-required"));
        }
        if t.chars().count() > MAX_TEXT {
            return Err(Error::invalid("text", "err-too-long"));
        }
        Ok(())
    }
}

/// An entry as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub id: i64,
    pub office_id: i64,
    /// Position in the office's chain, 1, 2, 3 … without gaps.
    pub seq: i64,
    pub at_us: Micros,
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub category: Category,
    pub object: Option<ObjectRef>,
    pub confidential: bool,
    pub text: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of the entry before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Canonical encoding: every field length-prefixed, in a fixed order, so no two different entries
/// encode alike. Changing this breaks every existing chain: it is versioned by its first byte.
pub fn canonical(e: &Entry) -> Vec<u8> {
    let mut b = Vec::with_capacity(128 + e.text.len());
    b.push(1u8);
    let mut field = |bytes: &[u8]| {
        b.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
        b.extend_from_slice(bytes);
    };
    field(&e.office_id.to_be_bytes());
    field(&e.seq.to_be_bytes());
    field(&e.at_us.to_be_bytes());
    field(e.actor_user_id.map(|u| u.to_string()).unwrap_or_default().as_bytes());
    field(e.actor_name.as_bytes());
    field(e.category.as_str().as_bytes());
    let (k, i, l) = e.object.as_ref().map(|o| (o.kind.as_str(), o.id.as_str(), o.label.as_str())).unwrap_or(("", "", ""));
    field(k.as_bytes());
    field(i.as_bytes());
    field(l.as_bytes());
    field(&[u8::from(e.confidential)]);
    field(e.text.as_bytes());
    field(e.prev_hash.as_bytes());
    b
}

/// SHA-256 over the previous hash and the canonical encoding (which itself ends with it).
pub fn compute_hash(e: &Entry) -> String {
    let mut h = Sha256::new();
    h.update(e.prev_hash.as_bytes());
    h.update(canonical(e));
    crate::password::hex(&h.finalize())
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The stored hash does not match the entry's content: it was changed.
    Changed { seq: i64, id: i64 },
    /// The entry does not link to the one before it: something was deleted, inserted or reordered.
    Unlinked { seq: i64, id: i64 },
    /// A position in the chain is missing: entries were deleted.
    Missing { seq: i64 },
    /// The chain ends before the recorded head: entries at the end were deleted.
    Truncated { expected_seq: i64, found_seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Changed { seq, id } => write!(f, "entry #{seq} (id {id}) was changed: its hash does not match its content"),
            Break::Unlinked { seq, id } => write!(
                f,
                "entry #{seq} (id {id}) does not link to the entry before it: an entry was deleted, inserted or reordered before it"
            ),
            Break::Missing { seq } => write!(f, "entry #{seq} is missing: it was deleted"),
            Break::Truncated { expected_seq, found_seq } => {
                write!(f, "the chain ends at entry #{found_seq} but its head records #{expected_seq}: entries at the end were deleted")
            }
        }
    }
}

/// Walks one office's chain in `seq` order. Feed entries with [`Verifier::push`], then call
/// [`Verifier::finish`] with the head the storage recorded.
pub struct Verifier {
    prev_hash: String,
    expected_seq: i64,
    pub checked: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Self { prev_hash: GENESIS.to_string(), expected_seq: 1, checked: 0 }
    }
}

impl Verifier {
    pub fn push(&mut self, e: &Entry) -> std::result::Result<(), Break> {
        if e.seq > self.expected_seq {
            return Err(Break::Missing { seq: self.expected_seq });
        }
        if e.seq < self.expected_seq || e.prev_hash != self.prev_hash {
            return Err(Break::Unlinked { seq: e.seq, id: e.id });
        }
        if compute_hash(e) != e.hash {
            return Err(Break::Changed { seq: e.seq, id: e.id });
        }
        self.prev_hash = e.hash.clone();
        self.expected_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// `head_seq` and `head_hash` are what the storage recorded as the chain's end.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> std::result::Result<(), Break> {
        let found = self.expected_seq - 1;
        if found < head_seq {
            return Err(Break::Truncated { expected_seq: head_seq, found_seq: found });
        }
        if found > head_seq || (found > 0 && head_hash != self.prev_hash) {
            return Err(Break::Unlinked { seq: found, id: 0 });
        }
        Ok(())
    }
}

/// Filters of the work-log view; all optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub office_id: i64,
    pub from_us: Option<Micros>,
    pub to_us: Option<Micros>,
    pub category: Option<Category>,
    pub actor_user_id: Option<i64>,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    /// Full-text search over text, object and actor; either script, no diacritics needed.
    pub text: Option<String>,
    /// Keyset cursor: only entries with `id` below this one (newest first).
    pub before_id: Option<i64>,
    pub limit: u32,
    /// Whether the reader may see confidential text; if not, such text is withheld.
    pub include_confidential_text: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = Entry {
                    id: seq + 100,
                    office_id: 1,
                    seq,
                    at_us: seq * 1000,
                    actor_user_id: Some(1),
                    actor_name: "Админ".into(),
                    category: Category::ConfigurationChange,
                    object: Some(ObjectRef::new("unit", seq, "Одсек")),
                    confidential: false,
                    text: format!("унос {seq}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = compute_hash(&e);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[Entry], head_seq: i64, head_hash: &str) -> std::result::Result<u64, Break> {
        let mut v = Verifier::default();
        for e in entries {
            v.push(e)?;
        }
        v.finish(head_seq, head_hash)?;
        Ok(v.checked)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn changed_text_is_named() {
        let mut c = chain(5);
        c[2].text = "измењено".into();
        assert_eq!(verify(&c, 5, &c[4].hash.clone()), Err(Break::Changed { seq: 3, id: 103 }));
    }

    #[test]
    fn deleted_entry_is_named() {
        let mut c = chain(5);
        let head = c[4].hash.clone();
        c.remove(1);
        assert_eq!(verify(&c, 5, &head), Err(Break::Missing { seq: 2 }));
    }

    #[test]
    fn deleted_tail_is_noticed() {
        let c = chain(5);
        assert_eq!(verify(&c[..3], 5, &c[4].hash), Err(Break::Truncated { expected_seq: 5, found_seq: 3 }));
    }

    #[test]
    fn reordered_entries_are_named() {
        let mut c = chain(5);
        let head = c[4].hash.clone();
        // Swap content of 2 and 3 but keep the positions: the links no longer match.
        let (a, b) = (c[1].clone(), c[2].clone());
        c[1] = Entry { seq: 2, ..b };
        c[2] = Entry { seq: 3, ..a };
        assert!(matches!(verify(&c, 5, &head), Err(Break::Unlinked { seq: 2, .. })));
    }

    #[test]
    fn inserted_entry_with_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(3);
        let head = c[2].hash.clone();
        let mut forged = c[1].clone();
        forged.text = "уметнуто".into();
        forged.hash = compute_hash(&forged);
        c[1] = forged;
        assert_eq!(verify(&c, 3, &head), Err(Break::Unlinked { seq: 3, id: 103 }));
    }
}
