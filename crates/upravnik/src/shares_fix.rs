//! `upravnik shares fix PATH --plan FILE [--apply]` and `shares undo JOURNAL` (R.46: everyone
//! brings their existing files into line). The plan is every rename a scan proposes, deepest
//! first so a folder is renamed after what is in it; applying it never overwrites a file, writes
//! each rename to the journal (synced) as it is made, stops cleanly at the first clash or error,
//! and resumes where the journal ends. Undo takes the journal back, newest first.

use std::ffi::OsStr;
use std::io::{BufRead, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use upravnik_core::shares::Report;

use crate::shares::{hex, unhex};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rename {
    /// For people: the path from the share root before and after.
    pub from: String,
    pub to: String,
    /// The exact bytes (a name need not be valid Unicode).
    pub from_hex: String,
    pub to_hex: String,
    pub dir: bool,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub root: String,
    pub renames: Vec<Rename>,
}

/// The journal's first line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Header {
    root: String,
}

fn canonical(root: &Path) -> anyhow::Result<String> {
    Ok(std::fs::canonicalize(root).with_context(|| format!("{}", root.display()))?.display().to_string())
}

/// The renames a scan proposes, one per entry, deepest first.
pub fn plan(root: &Path, report: &Report) -> anyhow::Result<Plan> {
    let mut renames: Vec<Rename> = vec![];
    for f in &report.findings {
        let Some(to_name) = &f.proposal else { continue };
        let from_bytes = match &f.path_hex {
            Some(h) => unhex(h).context("a path in hex")?,
            None => f.path.as_bytes().to_vec(),
        };
        if renames.iter().any(|r| r.from_hex == hex(&from_bytes)) {
            continue;
        }
        let parent = match from_bytes.iter().rposition(|b| *b == b'/') {
            Some(i) => &from_bytes[..=i],
            None => &[][..],
        };
        let mut to_bytes = parent.to_vec();
        to_bytes.extend_from_slice(to_name.as_bytes());
        let shown_parent = f.path.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
        renames.push(Rename {
            from: f.path.clone(),
            to: format!("{shown_parent}{to_name}"),
            from_hex: hex(&from_bytes),
            to_hex: hex(&to_bytes),
            dir: f.dir,
        });
    }
    let depth = |r: &Rename| r.from.matches('/').count();
    renames.sort_by(|a, b| depth(b).cmp(&depth(a)).then(a.from.cmp(&b.from)));
    Ok(Plan { root: canonical(root)?, renames })
}

fn abs(root: &Path, hex_path: &str) -> anyhow::Result<PathBuf> {
    let bytes = unhex(hex_path).context("a path in hex")?;
    Ok(root.join(OsStr::from_bytes(&bytes)))
}

fn exists(p: &Path) -> bool {
    p.symlink_metadata().is_ok()
}

/// What applying or undoing did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub done: usize,
    pub skipped: usize,
}

/// Carries the plan out, journalling each rename; the journal may hold an earlier, interrupted
/// run of the same plan, whose renames are not made again.
pub fn apply(root: &Path, plan: &Plan, journal: &Path) -> anyhow::Result<Outcome> {
    let root_c = canonical(root)?;
    if root_c != plan.root {
        bail!("the plan is for {}, not {root_c}", plan.root);
    }
    let mut done: std::collections::HashSet<String> = std::collections::HashSet::new();
    if journal.exists() {
        let (header, entries) = read_journal(journal)?;
        if header.root != plan.root {
            bail!("the journal {} is for {}, not {}", journal.display(), header.root, plan.root);
        }
        done.extend(entries.into_iter().map(|r| r.from_hex));
    }
    let fresh = !journal.exists();
    let mut j = std::fs::OpenOptions::new().create(true).append(true).open(journal).with_context(|| format!("{}", journal.display()))?;
    if fresh {
        writeln!(j, "{}", serde_json::to_string(&Header { root: plan.root.clone() })?)?;
        j.sync_data()?;
    }
    let mut out = Outcome::default();
    for r in &plan.renames {
        if done.contains(&r.from_hex) {
            out.skipped += 1;
            continue;
        }
        let (from, to) = (abs(root, &r.from_hex)?, abs(root, &r.to_hex)?);
        if !exists(&from) && exists(&to) {
            // Renamed by the run that was interrupted before it could write the journal.
        } else if !exists(&from) {
            bail!("{} is no longer there; nothing after it was renamed ({} done)", r.from, out.done);
        } else if exists(&to) {
            bail!("{} already exists: {} was not renamed and nothing after it ({} done)", r.to, r.from, out.done);
        } else {
            std::fs::rename(&from, &to).with_context(|| format!("renaming {} to {} ({} done before it)", r.from, r.to, out.done))?;
        }
        writeln!(j, "{}", serde_json::to_string(r)?)?;
        j.sync_data()?;
        out.done += 1;
    }
    Ok(out)
}

fn read_journal(path: &Path) -> anyhow::Result<(Header, Vec<Rename>)> {
    let f = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut lines = std::io::BufReader::new(f).lines();
    let header: Header = serde_json::from_str(&lines.next().context("an empty journal")??).context("the journal's first line")?;
    let mut out = vec![];
    for (i, l) in lines.enumerate() {
        let l = l?;
        if l.trim().is_empty() {
            continue;
        }
        // A line cut by a crash is the last one: its rename may or may not have happened.
        match serde_json::from_str::<Rename>(&l) {
            Ok(r) => out.push(r),
            Err(e) => bail!("line {} of {}: {e}", i + 2, path.display()),
        }
    }
    Ok((header, out))
}

/// Puts everything in the journal back, newest first; what is already back is skipped.
pub fn undo(journal: &Path) -> anyhow::Result<Outcome> {
    let (header, entries) = read_journal(journal)?;
    let root = PathBuf::from(&header.root);
    let mut out = Outcome::default();
    for r in entries.iter().rev() {
        let (from, to) = (abs(&root, &r.from_hex)?, abs(&root, &r.to_hex)?);
        if exists(&from) && !exists(&to) {
            out.skipped += 1;
            continue;
        }
        if !exists(&to) {
            bail!("{} is no longer there; {} undone", r.to, out.done);
        }
        if exists(&from) {
            bail!("{} exists again: {} was not put back ({} undone)", r.from, r.to, out.done);
        }
        std::fs::rename(&to, &from).with_context(|| format!("renaming {} back to {}", r.to, r.from))?;
        out.done += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_paths_round_trip_any_bytes() {
        let b = b"Re\x9aenje/\xd0\x8e\xff".to_vec();
        assert_eq!(unhex(&hex(&b)), Some(b));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }
}
