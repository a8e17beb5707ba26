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
    /// The name as the file system has it, when it is not valid Unicode.
    os: Option<std::ffi::OsString>,
    name: String,
    /// The name was not valid Unicode: it cannot be kept as it is.
    lossy: bool,
    /// The extension, when it marks a private file.
    private: Option<String>,
    dir: bool,
    size: u64,
}

/// A name compared without ASCII case, as SMB shares compare them, borrowed (no copy per name).
#[derive(Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.0.eq_ignore_ascii_case(o.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // The length and the first 32 bytes in one write (equality still compares all of it).
        let mut buf = [0_u8; 32];
        let n = self.0.len().min(32);
        for (d, b) in buf.iter_mut().zip(self.0.bytes()) {
            *d = b.to_ascii_lowercase();
        }
        h.write(&buf[..n]);
        h.write_usize(self.0.len());
    }
}

impl Entry {
    fn raw(&self) -> &std::ffi::OsStr {
        self.os.as_deref().unwrap_or_else(|| std::ffi::OsStr::new(&self.name))
    }
}

fn read_folder(dir: &Path, rules: &Rules) -> std::io::Result<Vec<Entry>> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        // The type without following links (from the directory entry, no stat): a link is
        // counted, never walked into.
        let ft = e.file_type()?;
        let (name, lossy, os) = match e.file_name().into_string() {
            Ok(s) => (s, false, None),
            Err(os) => (os.to_string_lossy().into_owned(), true, Some(os)),
        };
        // Only a private file's size is reported, so only those are stat'ed.
        let private = if ft.is_dir() { None } else { private_ext(&name, rules) };
        let size = if private.is_some() { e.metadata().map(|m| m.len()).unwrap_or(0) } else { 0 };
        out.push(Entry { os, name, lossy, private, dir: ft.is_dir(), size });
    }
    out.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// A folder to walk: where it is, its components from the root as shown and as bytes, and the
/// length of its path once the proposed names are taken (the room its entries' proposals have).
struct Job {
    dir: PathBuf,
    comps: Vec<String>,
    raw: Vec<std::ffi::OsString>,
    new_chars: usize,
}

/// Checks one folder's entries into `r`; returns its sub-folders.
fn folder(job: Job, rules: &Rules, keep: usize, r: &mut Report) -> Vec<Job> {
    let Job { dir, comps, raw, new_chars } = job;
    let mut subs = vec![];
    let entries = match read_folder(&dir, rules) {
        Ok(e) => e,
        Err(e) => {
            r.unreadable.push((comps.join("/"), e.to_string()));
            return vec![];
        }
    };
    let parent_chars: usize = comps.iter().map(|c| c.chars().count() + 1).sum();
    let prefix = if comps.is_empty() { String::new() } else { format!("{}/", comps.join("/")) };
    let lossy_parent = raw.iter().any(|c| c.to_str().is_none());
    // Names in the folder without case, as Windows shares compare them; made when needed.
    let mut lower: Option<HashSet<Caseless<'_>>> = None;
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
            if let Some(ext) = e.private.clone() {
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
            // Proposals are ASCII, so only ASCII names can be taken by them.
            let lower = lower.get_or_insert_with(|| entries.iter().filter(|e| e.name.is_ascii()).map(|e| Caseless(&e.name)).collect());
            let room = rules.max_path.saturating_sub(new_chars);
            let taken =
                |n: &str| (lower.contains(&Caseless(n)) && !n.eq_ignore_ascii_case(&e.name)) || proposed.contains(&n.to_ascii_lowercase());
            let p = propose_name(&e.name, room, &taken);
            if let Some(p) = &p {
                proposed.insert(p.to_ascii_lowercase());
            }
            p
        } else {
            None
        };
        if e.dir {
            let shown = proposal.as_deref().unwrap_or(&e.name);
            let (mut c, mut rc) = (comps.clone(), raw.clone());
            c.push(e.name.clone());
            rc.push(e.raw().to_os_string());
            subs.push(Job { dir: dir.join(e.raw()), comps: c, raw: rc, new_chars: new_chars + shown.chars().count() + 1 });
        }
        if !vs.is_empty() {
            let path = format!("{prefix}{}", e.name);
            let path_hex = (lossy_parent || e.lossy).then(|| {
                let mut b: Vec<u8> = vec![];
                for c in raw.iter().map(|c| c.as_os_str()).chain(std::iter::once(e.raw())) {
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
    subs
}

fn merge(into: &mut Report, part: Report) {
    into.files += part.files;
    into.folders += part.folders;
    into.bytes += part.bytes;
    into.violations += part.violations;
    into.renamable += part.renamable;
    into.unreadable.extend(part.unreadable);
    into.findings.extend(part.findings);
    for (map, more) in [(&mut into.by_unit, part.by_unit), (&mut into.by_person, part.by_person)] {
        for (k, t) in more {
            let m = map.entry(k).or_default();
            (m.files, m.bytes, m.violations) = (m.files + t.files, m.bytes + t.bytes, m.violations + t.violations);
        }
    }
}

/// Walks `root` and checks everything under it, keeping at most `keep` findings (the counts are
/// exact). Folders are shared out to a thread per core; `progress` gets (files, elapsed) now and
/// then, on the calling thread.
pub fn scan(root: &Path, rules: &Rules, keep: usize, progress: &mut dyn FnMut(u64, Duration)) -> Report {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Condvar, Mutex};
    let started = Instant::now();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let keep_each = keep.div_ceil(workers);
    // Folders waiting, and how many are being read (the walk ends when both are none).
    let queue = Mutex::new((vec![Job { dir: root.to_path_buf(), comps: vec![], raw: vec![], new_chars: 0 }], 0_usize));
    let wake = Condvar::new();
    let files = AtomicU64::new(0);
    let parts: Vec<Report> = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                sc.spawn(|| {
                    let mut r = Report::default();
                    loop {
                        let job = {
                            let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                            loop {
                                if let Some(j) = q.0.pop() {
                                    q.1 += 1;
                                    break Some(j);
                                }
                                if q.1 == 0 {
                                    break None;
                                }
                                q = wake.wait(q).unwrap_or_else(|e| e.into_inner());
                            }
                        };
                        let Some(job) = job else {
                            wake.notify_all();
                            break;
                        };
                        let before = r.files;
                        let subs = folder(job, rules, keep_each, &mut r);
                        files.fetch_add(r.files - before, Ordering::Relaxed);
                        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                        q.0.extend(subs);
                        q.1 -= 1;
                        wake.notify_all();
                    }
                    r
                })
            })
            .collect();
        let mut last = started;
        while !handles.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(20));
            if last.elapsed() >= Duration::from_millis(500) {
                last = Instant::now();
                progress(files.load(Ordering::Relaxed), started.elapsed());
            }
        }
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut r = Report { root: root.display().to_string(), ..Default::default() };
    for p in parts {
        merge(&mut r, p);
    }
    r.seconds = started.elapsed().as_secs_f64();
    r.findings.sort_by(|a, b| a.path.cmp(&b.path).then(a.violation.cmp(&b.violation)));
    r.findings.truncate(keep);
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
    // Buffered: stdout flushes every line, and a report has a line per finding.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if json {
        serde_json::to_writer(&mut out, &r).map_err(std::io::Error::from).and_then(|_| writeln!(out))
    } else {
        print(&r, &mut out)
    }
    .and_then(|_| out.flush());
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
                let rules = sh.rules();
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
