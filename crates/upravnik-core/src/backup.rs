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

/// The job name of the product's own archive.
pub const OWN_JOB: &str = "upravnik";
pub const TEXT_MAX: usize = 2000;
pub const NAME_MAX: usize = 100;

/// One archiving run: the product's own, or another job of the office reported to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Run {
    pub id: i64,
    pub job: String,
    /// `None` for the product's own archive (it holds every office).
    pub office_id: Option<i64>,
    pub started_us: i64,
    pub finished_us: i64,
    pub ok: bool,
    pub size_bytes: Option<i64>,
    pub archive: String,
    pub detail: String,
    /// The scheduled time the run served (R.22), for the product's own.
    pub due_us: Option<i64>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    pub job: String,
    pub office_id: Option<i64>,
    pub started_us: i64,
    pub finished_us: i64,
    pub ok: bool,
    pub size_bytes: Option<i64>,
    pub archive: String,
    pub detail: String,
    pub due_us: Option<i64>,
}

/// A run of another backup job (the file server, the case-management database), as its script
/// reports it: times as RFC 3339 (`2026-11-30T14:02:00Z`) or Belgrade time (`30.11.2026. 15:02`,
/// `2026-11-30 15:02`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ReportInput {
    #[serde(default)]
    pub job: String,
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub finished: String,
    /// `ok` or `failed`.
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub size_bytes: Option<i64>,
    #[serde(default)]
    pub detail: String,
}

/// An instant from RFC 3339 or a Belgrade date and time.
pub fn parse_instant(s: &str) -> Option<crate::clock::Micros> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_microsecond());
    }
    let (date, time) = s.rsplit_once(' ')?;
    let d = crate::clock::parse_date(date)?;
    let t: jiff::civil::Time = time.trim().parse().ok()?;
    let z = d.to_datetime(t).in_tz(crate::clock::BELGRADE).ok()?;
    Some(z.timestamp().as_microsecond())
}

impl ReportInput {
    pub fn validate(&self, office_id: i64, now_us: crate::clock::Micros) -> crate::Result<NewRun> {
        use crate::FieldError;
        let mut errs = vec![];
        let job = self.job.trim().to_string();
        if job.is_empty() {
            errs.push(FieldError::new("job", "err-required"));
        } else if job.chars().count() > NAME_MAX {
            errs.push(FieldError::new("job", "err-too-long"));
        } else if job.eq_ignore_ascii_case(OWN_JOB) {
            errs.push(FieldError::new("job", "err-backup-job-reserved"));
        }
        let started = parse_instant(&self.started);
        let finished = parse_instant(&self.finished);
        if started.is_none() {
            errs.push(FieldError::new("started", "err-backup-time"));
        }
        if finished.is_none() {
            errs.push(FieldError::new("finished", "err-backup-time"));
        }
        if let (Some(a), Some(b)) = (started, finished) {
            if b < a {
                errs.push(FieldError::new("finished", "err-backup-order"));
            }
            // A few minutes of clock difference between machines are forgiven.
            if b > now_us + 10 * 60_000_000 {
                errs.push(FieldError::new("finished", "err-date-future"));
            }
        }
        let ok = match self.result.trim() {
            "ok" => Some(true),
            "failed" => Some(false),
            _ => {
                errs.push(FieldError::new("result", "err-backup-result"));
                None
            }
        };
        if self.size_bytes.is_some_and(|n| n < 0) {
            errs.push(FieldError::new("size_bytes", "err-backup-size"));
        }
        let detail = self.detail.trim().to_string();
        if detail.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("detail", "err-too-long"));
        }
        match (started, finished, ok, errs.is_empty()) {
            (Some(started_us), Some(finished_us), Some(ok), true) => Ok(NewRun {
                job,
                office_id: Some(office_id),
                started_us,
                finished_us,
                ok,
                size_bytes: self.size_bytes,
                archive: String::new(),
                detail,
                due_us: None,
            }),
            _ => Err(crate::Error::Invalid(errs)),
        }
    }
}

/// A removable medium holding a copy (R.66: copy 2 in the registry office's safe, copy 3 for
/// classified systems).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Medium {
    pub id: i64,
    pub label: String,
    pub copy_no: i64,
    pub archive: String,
    pub sha256: String,
    pub written_us: i64,
    pub note: String,
    pub in_safe: bool,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MediumInput {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub copy_no: Option<i64>,
    #[serde(default)]
    pub archive: String,
    #[serde(default)]
    pub sha256: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediumFields {
    pub label: String,
    pub copy_no: i64,
    pub archive: String,
    pub sha256: String,
    pub note: String,
}

impl MediumInput {
    pub fn validate(&self) -> crate::Result<MediumFields> {
        use crate::FieldError;
        let mut errs = vec![];
        let label = self.label.trim().to_string();
        if label.is_empty() {
            errs.push(FieldError::new("label", "err-required"));
        } else if label.chars().count() > NAME_MAX {
            errs.push(FieldError::new("label", "err-too-long"));
        }
        let copy_no = self.copy_no.unwrap_or(2);
        if !(2..=3).contains(&copy_no) {
            errs.push(FieldError::new("copy_no", "err-backup-copy"));
        }
        let archive = self.archive.trim().to_string();
        if archive.is_empty() {
            errs.push(FieldError::new("archive", "err-required"));
        } else if archive.chars().count() > 300 {
            errs.push(FieldError::new("archive", "err-too-long"));
        }
        let sha256 = self.sha256.trim().to_ascii_lowercase();
        if !sha256.is_empty() && (sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit())) {
            errs.push(FieldError::new("sha256", "err-backup-sha"));
        }
        let note = self.note.trim().to_string();
        if note.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("note", "err-too-long"));
        }
        if errs.is_empty() { Ok(MediumFields { label, copy_no, archive, sha256, note }) } else { Err(crate::Error::Invalid(errs)) }
    }
}

crate::asset::string_enum!(
    /// A line of the custody book (R.66).
    CustodyKind {
        /// Put into the registry office's safe.
        Deposited = "deposited",
        /// Taken out of it.
        Taken = "taken",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CustodyEvent {
    pub id: i64,
    pub medium_id: i64,
    pub medium: String,
    pub kind: CustodyKind,
    pub at_us: i64,
    pub person: String,
    pub reason: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CustodyInput {
    #[serde(default)]
    pub kind: String,
    /// Belgrade time or RFC 3339; empty: now.
    #[serde(default)]
    pub at: String,
    /// Who put it in or took it out.
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyFields {
    pub kind: CustodyKind,
    pub at_us: i64,
    pub person: String,
    pub reason: String,
}

impl CustodyInput {
    /// `in_safe`: where the medium is now; a deposit needs it out, a taking needs it in.
    pub fn validate(&self, in_safe: bool, now_us: crate::clock::Micros) -> crate::Result<CustodyFields> {
        use crate::FieldError;
        let mut errs = vec![];
        let kind = CustodyKind::parse(self.kind.trim());
        match kind {
            None => errs.push(FieldError::new("kind", "err-required")),
            Some(CustodyKind::Deposited) if in_safe => errs.push(FieldError::new("kind", "err-custody-in-safe")),
            Some(CustodyKind::Taken) if !in_safe => errs.push(FieldError::new("kind", "err-custody-not-in-safe")),
            Some(_) => {}
        }
        let at_us = if self.at.trim().is_empty() { Some(now_us) } else { parse_instant(&self.at) };
        match at_us {
            None => errs.push(FieldError::new("at", "err-backup-time")),
            Some(t) if t > now_us + 10 * 60_000_000 => errs.push(FieldError::new("at", "err-date-future")),
            Some(_) => {}
        }
        let person = self.person.trim().to_string();
        if person.is_empty() {
            errs.push(FieldError::new("person", "err-required"));
        } else if person.chars().count() > NAME_MAX {
            errs.push(FieldError::new("person", "err-too-long"));
        }
        let reason = self.reason.trim().to_string();
        if kind == Some(CustodyKind::Taken) && reason.is_empty() {
            errs.push(FieldError::new("reason", "err-custody-reason"));
        } else if reason.chars().count() > TEXT_MAX {
            errs.push(FieldError::new("reason", "err-too-long"));
        }
        match (kind, at_us, errs.is_empty()) {
            (Some(kind), Some(at_us), true) => Ok(CustodyFields { kind, at_us, person, reason }),
            _ => Err(crate::Error::Invalid(errs)),
        }
    }
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
    fn other_jobs_report_their_runs() {
        let now = 1_795_611_900_000_000; // 25.11.2026. 14:05
        let i = ReportInput {
            job: "Фајл сервер".into(),
            started: "25.11.2026. 13:00".into(),
            finished: "2026-11-25T12:40:00Z".into(),
            result: "ok".into(),
            size_bytes: Some(5_000_000_000),
            detail: String::new(),
        };
        let r = i.validate(1, now).unwrap();
        assert_eq!(r.finished_us - r.started_us, 40 * 60_000_000, "13:00 Belgrade is 12:00 UTC");
        assert!(ReportInput { job: "upravnik".into(), ..i.clone() }.validate(1, now).is_err(), "the product's own name");
        assert!(ReportInput { result: "maybe".into(), ..i.clone() }.validate(1, now).is_err());
        assert!(ReportInput { finished: "25.11.2026. 12:00".into(), ..i.clone() }.validate(1, now).is_err(), "ends before it starts");
        assert!(ReportInput { finished: "26.11.2026. 12:00".into(), ..i }.validate(1, now).is_err(), "in the future");
    }

    #[test]
    fn r66_the_custody_book_follows_the_medium() {
        let now = 1_795_611_900_000_000;
        let put = CustodyInput {
            kind: "deposited".into(), at: String::new(), person: "Јелена Петровић".into(), reason: String::new()
        };
        assert_eq!(put.validate(false, now).unwrap().at_us, now);
        assert!(put.validate(true, now).is_err(), "already in the safe");
        let take = CustodyInput { kind: "taken".into(), ..put.clone() };
        assert!(take.validate(true, now).is_err(), "a taking says why");
        assert!(CustodyInput { reason: "Провера враћања".into(), ..take.clone() }.validate(true, now).is_ok());
        assert!(CustodyInput { reason: "x".into(), ..take }.validate(false, now).is_err(), "not in the safe");
        let m = MediumInput { label: "USB-2".into(), copy_no: Some(4), archive: "a.zip".into(), ..Default::default() };
        assert!(m.validate().is_err());
        let m = MediumInput { copy_no: None, sha256: "AB".repeat(32), ..m };
        assert_eq!(m.validate().unwrap().copy_no, 2);
    }

    #[test]
    fn archive_names_sort_by_age() {
        let a = archive_name(1_795_611_900_000_000);
        assert_eq!(a, "upravnik-2026-11-25-140500.zip");
        assert!(archive_name(1_795_611_900_000_000 + 86_400_000_000) > a);
    }
}
