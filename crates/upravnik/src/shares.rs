//! `upravnik shares scan PATH`: walks a share (a mounted SMB share or any directory) and checks
//! every file and folder against R.38–R.46 (`upravnik_core::shares`), with a progress line, counts
//! per unit and per person, and each violation with its rule, article and a compliant name.

use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use upravnik_core::shares::{
    Finding, Report, Rules, Tally, Violation, check_name, inconsistent_leading_words, outside_layout, private_ext, propose_name,
};

struct Entry {
    os: std::ffi::OsString,
    name: String,
    /// The name was not valid Unicode: it cannot be kept as it is.
    lossy: bool,
    dir: bool,
    size: u64,
}

fn read_folder(dir: &Path, rules: &Rules) -> std::io::Result<Vec<Entry>> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        // The type without following links (from the directory entry, no stat): a link is
        // counted, never walked into.
        let ft = e.file_type()?;
        let os = e.file_name();
        let (name, lossy) = match os.to_str() {
            Some(s) => (s.to_string(), false),
            None => (os.to_string_lossy().into_owned(), true),
        };
        // Only a private file's size is reported, so only those are stat'ed.
        let size = if ft.is_file() && private_ext(&name, rules).is_some() { e.metadata().map(|m| m.len()).unwrap_or(0) } else { 0 };
        out.push(Entry { os, name, lossy, dir: ft.is_dir(), size });
    }
    out.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Walks `root` and checks everything under it, keeping at most `keep` findings (the counts are
/// exact). `progress` gets (files, elapsed) now and then.
pub fn scan(root: &Path, rules: &Rules, keep: usize, progress: &mut dyn FnMut(u64, Duration)) -> Report {
    let started = Instant::now();
    let mut last = started;
    let mut r = Report { root: root.display().to_string(), ..Default::default() };
    // (absolute folder, its components from the root as shown and as bytes, the length of its
    // path once the proposed names are taken — the room its entries' proposals have)
    let mut stack: Vec<(PathBuf, Vec<String>, Vec<std::ffi::OsString>, usize)> = vec![(root.to_path_buf(), vec![], vec![], 0)];
    while let Some((dir, comps, raw, new_chars)) = stack.pop() {
        let entries = match read_folder(&dir, rules) {
            Ok(e) => e,
            Err(e) => {
                r.unreadable.push((comps.join("/"), e.to_string()));
                continue;
            }
        };
        let parent_chars: usize = comps.iter().map(|c| c.chars().count() + 1).sum();
        let prefix = if comps.is_empty() { String::new() } else { format!("{}/", comps.join("/")) };
        let lossy_parent = raw.iter().any(|c| c.to_str().is_none());
        // Names in the folder without case, as Windows shares compare them; made when needed.
        let mut lower: Option<HashSet<String>> = None;
        let mut proposed: HashSet<String> = HashSet::new();
        let mut file_names: Vec<&str> = vec![];
        let mut all: Vec<&str> = comps.iter().map(String::as_str).collect();
        all.push("");
        let mut here = Tally::default();
        for e in &entries {
            let path_chars = parent_chars + e.name.chars().count();
            let mut vs = check_name(&e.name, path_chars, rules);
            if e.lossy && !vs.iter().any(|v| matches!(v, Violation::Forbidden { .. })) {
                vs.push(Violation::Forbidden { chars: "\u{FFFD}".into() });
            }
            if e.dir {
                r.folders += 1;
            } else {
                r.files += 1;
                if let Some(ext) = private_ext(&e.name, rules) {
                    vs.push(Violation::PrivateFile { ext, size: e.size });
                    r.bytes += e.size;
                    here.bytes += e.size;
                }
                if let Some(last) = all.last_mut() {
                    *last = &e.name;
                }
                if outside_layout(&all, rules) {
                    vs.push(Violation::OutsideLayout);
                }
                file_names.push(&e.name);
                here.files += 1;
                here.violations += vs.len() as u64;
            }
            // One compliant name per entry, whatever renamable rules it breaks.
            let proposal = if vs.iter().any(Violation::renamable) {
                let lower = lower.get_or_insert_with(|| entries.iter().map(|e| e.name.to_lowercase()).collect());
                let room = rules.max_path.saturating_sub(new_chars);
                let own = e.name.to_lowercase();
                let taken = |n: &str| {
                    let l = n.to_lowercase();
                    (lower.contains(&l) && l != own) || proposed.contains(&l)
                };
                let p = propose_name(&e.name, room, &taken);
                if let Some(p) = &p {
                    proposed.insert(p.to_lowercase());
                }
                p
            } else {
                None
            };
            if e.dir {
                let shown = proposal.as_deref().unwrap_or(&e.name);
                let (mut c, mut rc) = (comps.clone(), raw.clone());
                c.push(e.name.clone());
                rc.push(e.os.clone());
                stack.push((dir.join(&e.os), c, rc, new_chars + shown.chars().count() + 1));
            }
            if !vs.is_empty() {
                let path = format!("{prefix}{}", e.name);
                let path_hex = (lossy_parent || e.lossy).then(|| {
                    let mut b: Vec<u8> = vec![];
                    for c in raw.iter().chain(std::iter::once(&e.os)) {
                        if !b.is_empty() {
                            b.push(b'/');
                        }
                        b.extend_from_slice(c.as_encoded_bytes());
                    }
                    hex(&b)
                });
                for v in vs {
                    r.violations += 1;
                    let proposal = if v.renamable() { proposal.clone() } else { None };
                    if proposal.is_some() {
                        r.renamable += 1;
                    }
                    if r.findings.len() < keep {
                        r.findings.push(Finding {
                            path: path.clone(),
                            dir: e.dir,
                            article: v.article().to_string(),
                            violation: v,
                            proposal,
                            path_hex: path_hex.clone(),
                        });
                    }
                }
            }
            if last.elapsed() >= Duration::from_millis(500) {
                last = Instant::now();
                progress(r.files, started.elapsed());
            }
        }
        for (name, word, used) in inconsistent_leading_words(&file_names) {
            let v = Violation::LeadingWord { word, used };
            r.violations += 1;
            here.violations += 1;
            if r.findings.len() < keep {
                r.findings.push(Finding {
                    path: format!("{prefix}{name}"),
                    dir: false,
                    article: v.article().to_string(),
                    violation: v,
                    proposal: None,
                    path_hex: None,
                });
            }
        }
        // A folder's files count for its unit and its person (the first two folders).
        if here.files > 0 || here.violations > 0 {
            for key in [comps.first().cloned(), (comps.len() >= 2).then(|| format!("{}/{}", comps[0], comps[1]))] {
                let Some(key) = key else { continue };
                let map = if key.contains('/') { &mut r.by_person } else { &mut r.by_unit };
                let t = map.entry(key).or_default();
                (t.files, t.bytes, t.violations) = (t.files + here.files, t.bytes + here.bytes, t.violations + here.violations);
            }
        }
    }
    r.seconds = started.elapsed().as_secs_f64();
    r.findings.sort_by(|a, b| a.path.cmp(&b.path).then(a.violation.cmp(&b.violation)));
    r
}

fn describe(v: &Violation) -> String {
    match v {
        Violation::Cyrillic => "Cyrillic letters in the name".into(),
        Violation::Diacritics => "č ć š đ ž in the name".into(),
        Violation::Forbidden { chars } => format!("characters not allowed: {chars}"),
        Violation::PathTooLong { len, max } => format!("path {len} characters long, at most {max}"),
        Violation::NotRecognisable => "only a number or too short to recognise".into(),
        Violation::PrivateFile { ext, size } => format!("private file (.{ext}, {} MB) on the server", size / 1_000_000),
        Violation::OutsideLayout => "not under unit / employee / JAVNO or PRIVATNO".into(),
        Violation::LeadingWord { word, used } => format!("leading word \"{used}\" abbreviates \"{word}\" used beside it"),
    }
}

/// The report as people read it.
pub fn print(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Share {}: {} files, {} folders", r.root, r.files, r.folders)?;
    writeln!(out, "Scanned in {:.2} s ({:.0} files/s)", r.seconds, r.files_per_second())?;
    writeln!(out, "Violations: {} ({} fixed by renaming)", r.violations, r.renamable)?;
    if r.findings.len() < r.violations as usize {
        writeln!(out, "(the first {} are listed)", r.findings.len())?;
    }
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &r.findings {
        *by_rule.entry((f.violation.code(), f.article.as_str())).or_default() += 1;
    }
    for ((code, article), n) in &by_rule {
        writeln!(out, "  {code:<18} {article:<14} {n}")?;
    }
    for (dir, e) in &r.unreadable {
        writeln!(out, "Not readable: {} ({e})", if dir.is_empty() { "." } else { dir })?;
    }
    if !r.by_unit.is_empty() {
        writeln!(out, "\nBy unit:")?;
        for (u, t) in &r.by_unit {
            writeln!(out, "  {u:<40} {:>8} files {:>8} violations", t.files, t.violations)?;
        }
    }
    if !r.by_person.is_empty() {
        writeln!(out, "\nBy person:")?;
        for (p, t) in &r.by_person {
            writeln!(out, "  {p:<60} {:>8} files {:>8} violations", t.files, t.violations)?;
        }
    }
    if !r.findings.is_empty() {
        writeln!(out, "\nFindings:")?;
    }
    for f in &r.findings {
        let fix = f.proposal.as_deref().map(|p| format!(" → {p}")).unwrap_or_default();
        writeln!(out, "  [{}] {}: {}{fix}", f.article, f.path, describe(&f.violation))?;
    }
    Ok(())
}

/// Runs the scan with a progress line on a terminal and prints the report (or JSON).
pub fn run(root: &Path, rules: &Rules, json: bool) -> anyhow::Result<Report> {
    if !root.is_dir() {
        anyhow::bail!("{} is not a folder", root.display());
    }
    let tty = std::io::stderr().is_terminal();
    let mut progress = |files: u64, t: Duration| {
        if tty {
            let rate = files as f64 / t.as_secs_f64().max(0.001);
            let _ = write!(std::io::stderr(), "\r{files} files, {rate:.0} files/s   ");
        }
    };
    let r = scan(root, rules, upravnik_core::shares_service::FINDINGS_KEPT, &mut progress);
    if tty {
        let _ = writeln!(std::io::stderr());
    }
    let mut out = std::io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &r).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        print(&r, &mut out)
    };
    match written {
        // The reader stopped reading (`| head`): not an error of the scan.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(r),
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The scheduled scans of `serve` (`[[shares]]`): every minute each instance asks for the lease of
/// the current period of each share; the one that gets it scans and keeps the scan.
pub fn spawn(s: &upravnik_core::service::Services, shares: Vec<crate::config::ShareConfig>) {
    if shares.is_empty() {
        return;
    }
    let s = s.clone();
    let holder = format!("{}-{}", std::process::id(), s.clock.now_us());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            for sh in &shares {
                let every = i64::try_from(sh.every_hours.unwrap_or(24).max(1)).unwrap_or(24) * 3_600_000_000;
                let now = s.clock.now_us();
                let slot = now / every;
                let lease = format!("share-scan-{}-{slot}", sh.name);
                if !s.store.claim_job(&lease, &holder, now, (slot + 1) * every).await.unwrap_or(false) {
                    continue;
                }
                let rules = Rules { max_path: sh.max_path.unwrap_or(220), layout: sh.layout.unwrap_or(true), ..Default::default() };
                let path = sh.path.clone();
                let kept = upravnik_core::shares_service::FINDINGS_KEPT;
                let report = match tokio::task::spawn_blocking(move || scan(&path, &rules, kept, &mut |_, _| {})).await {
                    Ok(r) => r,
                    Err(e) => {
                        tracing::error!(share = %sh.name, error = %e, "share scan failed");
                        continue;
                    }
                };
                let recorded = match s.automation_actor(None).await {
                    Ok(actor) => s.record_share_scan(&actor, &sh.name, &report).await,
                    Err(e) => Err(e),
                };
                match recorded {
                    Ok(id) => {
                        tracing::info!(share = %sh.name, scan = id, files = report.files, violations = report.violations, "share scanned")
                    }
                    Err(e) => tracing::error!(share = %sh.name, error = %e, "share scan not recorded"),
                }
            }
        }
    });
}
