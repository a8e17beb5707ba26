//! `upravnik shares scan PATH`: walks a share (a mounted SMB share or any directory) and checks
//! every file and folder against R.38–R.46 (`upravnik_core::shares`), with a progress line, counts
//! per unit and per person, and each violation with its rule, article and a compliant name.

use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use upravnik_core::shares::{
    Finding, Report, Rules, Tally, Violation, check_name, inconsistent_leading_words, outside_layout, private_ext, propose_name, split_ext,
};

/// One entry of a folder, its name borrowed from the folder's [`Listing`].
struct Entry<'a> {
    /// The name as the file system has it, when it is not valid Unicode.
    os: Option<&'a std::ffi::OsStr>,
    name: &'a str,
    /// The name was not valid Unicode: it cannot be kept as it is.
    lossy: bool,
    /// The extension, when it marks a private file.
    private: Option<&'a str>,
    dir: bool,
    size: u64,
}

/// A folder's entries as read: every name in one buffer, so reading a folder of 500 files makes
/// a few allocations, not a thousand.
#[derive(Default)]
struct Listing {
    names: String,
    items: Vec<Item>,
    /// The last extension looked up and whether it marks a private file: a folder's files mostly
    /// share one, so the list of private extensions is read about once a folder.
    last_ext: Option<(String, Option<String>)>,
}

struct Item {
    start: usize,
    end: usize,
    os: Option<std::ffi::OsString>,
    private: Option<String>,
    dir: bool,
    size: u64,
}

impl Listing {
    fn push(&mut self, name: &std::ffi::OsStr, dir: bool, folder: &Path, rules: &Rules) {
        let start = self.names.len();
        let os = match name.to_str() {
            Some(s) => {
                self.names.push_str(s);
                None
            }
            None => {
                self.names.push_str(&name.to_string_lossy());
                Some(name.to_os_string())
            }
        };
        let end = self.names.len();
        // Only a private file's size is reported, so only those are stat'ed.
        let private = if dir {
            None
        } else {
            let name = &self.names[start..end];
            let ext = split_ext(name).1;
            match &self.last_ext {
                Some((last, p)) if last == ext => p.clone(),
                _ => {
                    let p = private_ext(name, rules);
                    self.last_ext = Some((ext.to_string(), p.clone()));
                    p
                }
            }
        };
        let size = if private.is_some() { std::fs::symlink_metadata(folder.join(name)).map(|m| m.len()).unwrap_or(0) } else { 0 };
        self.items.push(Item { start, end, os, private, dir, size });
    }

    fn entries(&self) -> Vec<Entry<'_>> {
        self.items
            .iter()
            .map(|i| Entry {
                os: i.os.as_deref(),
                name: &self.names[i.start..i.end],
                lossy: i.os.is_some(),
                private: i.private.as_deref(),
                dir: i.dir,
                size: i.size,
            })
            .collect()
    }
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

/// FNV-1a: names are short, and SipHash's defence against crafted collisions costs a tenth of
/// the scan here; a share crafted to collide only slows its own folder's proposals.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastSet<T> = HashSet<T, std::hash::BuildHasherDefault<Fnv>>;

impl Entry<'_> {
    fn raw(&self) -> &std::ffi::OsStr {
        self.os.unwrap_or_else(|| std::ffi::OsStr::new(self.name))
    }
}

/// Reads a folder with `getdents64` into a buffer of its own (rustix's `RawDir`): no allocation
/// per entry, unlike `std::fs::read_dir`. The type comes from the directory entry, without
/// following links (a link is counted, never walked into); a file system that does not say
/// (`DT_UNKNOWN`) is asked per entry.
#[cfg(target_os = "linux")]
fn read_folder(dir: &Path, rules: &Rules) -> std::io::Result<Listing> {
    use rustix::fs::{CWD, FileType, Mode, OFlags, RawDir, openat};
    use std::os::unix::ffi::OsStrExt;
    let fd = openat(CWD, dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut raw = RawDir::new(&fd, buf.spare_capacity_mut());
    let mut out = Listing::default();
    while let Some(entry) = raw.next() {
        let entry = entry?;
        let name = std::ffi::OsStr::from_bytes(entry.file_name().to_bytes());
        if name == "." || name == ".." {
            continue;
        }
        let is_dir = match entry.file_type() {
            FileType::Directory => true,
            FileType::Unknown => std::fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_dir()),
            _ => false,
        };
        out.push(name, is_dir, dir, rules);
    }
    Ok(out)
}

#[cfg(not(target_os = "linux"))]
fn read_folder(dir: &Path, rules: &Rules) -> std::io::Result<Listing> {
    let mut out = Listing::default();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        out.push(&e.file_name(), e.file_type()?.is_dir(), dir, rules);
    }
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
    let listing = match read_folder(&dir, rules) {
        Ok(l) => l,
        Err(e) => {
            r.unreadable.push((comps.join("/"), e.to_string()));
            return vec![];
        }
    };
    let entries = listing.entries();
    let parent_chars: usize = comps.iter().map(|c| c.chars().count() + 1).sum();
    let prefix = if comps.is_empty() { String::new() } else { format!("{}/", comps.join("/")) };
    let lossy_parent = raw.iter().any(|c| c.to_str().is_none());
    let mut file_names: Vec<&str> = vec![];
    let mut all: Vec<&str> = comps.iter().map(String::as_str).collect();
    all.push("");
    let mut here = Tally::default();
    // The rules of each name first; read_dir's order is the file system's, so the names that
    // need a proposal are then taken in name order, which keeps proposals the same run to run.
    let mut checked: Vec<Vec<Violation>> = Vec::with_capacity(entries.len());
    let mut renamable: Vec<usize> = vec![];
    for (i, e) in entries.iter().enumerate() {
        let path_chars = parent_chars + e.name.chars().count();
        let mut vs = check_name(e.name, path_chars, rules);
        if e.lossy && !vs.iter().any(|v| matches!(v, Violation::Forbidden { .. })) {
            vs.push(Violation::Forbidden { chars: "\u{FFFD}".into() });
        }
        if vs.iter().any(Violation::renamable) {
            renamable.push(i);
        }
        checked.push(vs);
    }
    // One compliant name per entry, whatever renamable rules it breaks.
    let mut proposals: Vec<Option<String>> = vec![None; entries.len()];
    if !renamable.is_empty() {
        renamable.sort_unstable_by(|a, b| entries[*a].name.cmp(entries[*b].name));
        // Names in the folder without case, as Windows shares compare them. Proposals are
        // ASCII, so only ASCII names can be taken by them.
        let mut lower: FastSet<Caseless<'_>> = FastSet::with_capacity_and_hasher(entries.len(), Default::default());
        lower.extend(entries.iter().filter(|e| e.name.is_ascii()).map(|e| Caseless(e.name)));
        let mut proposed: FastSet<String> = FastSet::default();
        let room = rules.max_path.saturating_sub(new_chars);
        for i in renamable {
            let name = entries[i].name;
            let taken =
                |n: &str| (lower.contains(&Caseless(n)) && !n.eq_ignore_ascii_case(name)) || proposed.contains(&n.to_ascii_lowercase());
            let p = propose_name(name, room, &taken);
            if let Some(p) = &p {
                proposed.insert(p.to_ascii_lowercase());
            }
            proposals[i] = p;
        }
    }
    for ((e, mut vs), proposal) in entries.iter().zip(checked).zip(proposals) {
        if e.dir {
            r.folders += 1;
        } else {
            r.files += 1;
            if let Some(ext) = e.private.map(str::to_string) {
                vs.push(Violation::PrivateFile { ext, size: e.size });
                r.bytes += e.size;
                here.bytes += e.size;
            }
            if let Some(last) = all.last_mut() {
                *last = e.name;
            }
            if outside_layout(&all, rules) {
                vs.push(Violation::OutsideLayout);
            }
            file_names.push(e.name);
            here.files += 1;
            here.violations += vs.len() as u64;
        }
        if e.dir {
            let shown = proposal.as_deref().unwrap_or(e.name);
            let (mut c, mut rc) = (comps.clone(), raw.clone());
            c.push(e.name.to_string());
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

fn finding_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    a.path.cmp(&b.path).then(a.violation.cmp(&b.violation))
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
                    // Each thread sorts its own findings; the merge below is then linear.
                    r.findings.sort_unstable_by(finding_order);
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
    // The threads' sorted runs, merged: the stable sort finds the runs and merges them.
    r.findings.sort_by(finding_order);
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
    let mut r = scan(root, rules, upravnik_core::shares_service::FINDINGS_KEPT, &mut progress);
    if tty {
        let _ = writeln!(std::io::stderr());
    }
    // Buffered: stdout flushes every line, and a report has a line per finding.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if json { write_json(&mut out, &mut r) } else { print(&r, &mut out) }.and_then(|_| out.flush());
    match written {
        // The reader stopped reading (`| head`): not an error of the scan.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(r),
    }
}

/// The report as JSON, its findings (nearly all of it) serialized by a thread per core and
/// written in order: the same bytes as `serde_json::to_writer`, in a fraction of the time.
fn write_json(out: &mut impl Write, r: &mut Report) -> std::io::Result<()> {
    let findings = std::mem::take(&mut r.findings);
    let head = serde_json::to_vec(&*r);
    r.findings = findings;
    let head = head?;
    // `findings` is the last field: the head ends with its empty list.
    let Some(open) = head.strip_suffix(b"[]}") else {
        return Err(std::io::Error::other("the report's fields changed order"));
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let chunk = r.findings.len().div_ceil(workers).max(1);
    let parts: Vec<std::io::Result<Vec<u8>>> = std::thread::scope(|sc| {
        let handles: Vec<_> = r.findings.chunks(chunk).map(|c| sc.spawn(move || serde_json::to_vec(c))).collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| std::io::Error::other("serializing findings failed"))?.map_err(std::io::Error::from))
            .collect()
    });
    out.write_all(open)?;
    out.write_all(b"[")?;
    for (i, part) in parts.into_iter().enumerate() {
        let part = part?;
        if i > 0 {
            out.write_all(b",")?;
        }
        // Each part is a JSON list of at least one finding: its brackets go.
        out.write_all(part.get(1..part.len().saturating_sub(1)).unwrap_or_default())?;
    }
    out.write_all(b"]}\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_written_in_parts_is_the_same_as_serde_writes_it() {
        for n in [0, 1, 2, 3, 7, 1000] {
            let mut r = Report { root: "/srv/\"share\"".into(), files: 9, ..Default::default() };
            r.by_unit.insert("Финансије".into(), Tally { files: 3, bytes: 0, violations: 1 });
            r.findings = (0..n)
                .map(|i| Finding {
                    path: format!("Finansije/Петар/JAVNO/Решење {i}.docx"),
                    dir: false,
                    violation: Violation::Cyrillic,
                    article: "R.42".into(),
                    proposal: Some(format!("Resenje {i}.docx")),
                    path_hex: None,
                })
                .collect();
            let mut ours = vec![];
            write_json(&mut ours, &mut r).unwrap();
            let mut theirs = serde_json::to_vec(&r).unwrap();
            theirs.push(b'\n');
            assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs), "{n} findings");
            assert_eq!(r.findings.len(), n, "the report keeps its findings");
        }
    }
}
