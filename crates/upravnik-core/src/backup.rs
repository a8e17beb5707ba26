//! Backups of Upravnik itself (R.22: a daily archive; P.5.1: all data backed up daily): what an
//! archive says about itself, and how an archive is judged sound. Writing and reading archives
//! is the binary's (`upravnik backup`), taking a consistent copy of the database the storage's.

use std::collections::BTreeMap;

/// The archive format this build writes and reads.
pub const FORMAT: u32 = 1;
/// The archive's own description, stored first as `manifest.json`.
pub const MANIFEST: &str = "manifest.json";

/// One file of the archive with its size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// One office's work-log chain as the copy holds it: its last sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChainEnd {
    pub office_id: i64,
    pub seq: i64,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The product version that wrote it.
    pub version: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The database copy inside the archive: `database.sqlite` or `database.pgdump`.
    pub database: String,
    /// Rows of every table in the copy, counted in the same snapshot.
    pub tables: BTreeMap<String, i64>,
    pub worklog: Vec<ChainEnd>,
    pub entries: Vec<Entry>,
    /// The migration the database had reached.
    pub schema: i64,
}

/// What a check of an archive found wrong; empty when it is sound.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Findings {
    pub problems: Vec<String>,
}

impl Findings {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn push(&mut self, p: impl Into<String>) {
        self.problems.push(p.into());
    }
}

/// Compares what a restored copy holds with what the manifest promised.
pub fn compare(manifest: &Manifest, tables: &BTreeMap<String, i64>, chains: &[ChainEnd], out: &mut Findings) {
    for (t, n) in &manifest.tables {
        match tables.get(t) {
            None => out.push(format!("table {t} is missing from the restored copy")),
            Some(m) if m != n => out.push(format!("table {t}: {m} rows restored, {n} in the manifest")),
            Some(_) => {}
        }
    }
    for t in tables.keys().filter(|t| !manifest.tables.contains_key(*t)) {
        out.push(format!("table {t} is not in the manifest"));
    }
    let mut want = manifest.worklog.clone();
    let mut got = chains.to_vec();
    want.sort_by_key(|c| c.office_id);
    got.sort_by_key(|c| c.office_id);
    if want != got {
        out.push("the work-log chain ends differ from the manifest".to_string());
    }
}

/// The archive's file name for a moment: `upravnik-2026-11-30-1500.zip` (Belgrade time), sorting
/// by age.
pub fn archive_name(us: crate::clock::Micros) -> String {
    let stamp = crate::clock::local(us).map(|z| z.strftime("%Y-%m-%d-%H%M%S").to_string()).unwrap_or_else(|| us.to_string());
    format!("upravnik-{stamp}.zip")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT,
            version: "0.1.0".into(),
            created: "2026-11-30T14:00:00Z".into(),
            backend: "sqlite".into(),
            database: "database.sqlite".into(),
            tables: BTreeMap::from([("assets".into(), 10), ("worklog".into(), 99)]),
            worklog: vec![ChainEnd { office_id: 1, seq: 99, hash: "ab".into() }],
            entries: vec![],
            schema: 24,
        }
    }

    #[test]
    fn a_restored_copy_must_hold_what_the_manifest_says() {
        let m = manifest();
        let mut f = Findings::default();
        compare(&m, &m.tables, &m.worklog, &mut f);
        assert!(f.ok(), "{f:?}");
        let mut fewer = m.tables.clone();
        fewer.insert("worklog".into(), 98);
        fewer.insert("extra".into(), 0);
        let mut f = Findings::default();
        compare(&m, &fewer, &[ChainEnd { office_id: 1, seq: 98, hash: "cd".into() }], &mut f);
        assert_eq!(f.problems.len(), 3, "{f:?}");
    }

    #[test]
    fn archive_names_sort_by_age() {
        let a = archive_name(1_795_611_900_000_000);
        assert_eq!(a, "upravnik-2026-11-25-140500.zip");
        assert!(archive_name(1_795_611_900_000_000 + 86_400_000_000) > a);
    }
}
