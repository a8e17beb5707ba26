//! `upravnik backup`, `backup verify`, `restore` (R.22, R.66, P.5.1): one archive (zip) with the
//! consistent database copy, the stored files and `manifest.json` (sizes, SHA-256 of every
//! file, rows per table and work-log chain ends read in the same snapshot). An archive is written
//! under a temporary name and renamed when complete, so a crash never leaves a half archive that
//! looks whole. Verification restores into a scratch place and checks the checksums, the rows and
//! the work-log hash chains; a restore goes only into an empty place.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use upravnik_core::backup::{Entry, FORMAT, Findings, MANIFEST, Manifest, NewRun, OWN_JOB, archive_name, compare};
use upravnik_core::backup_schedule::{BackupPolicy, Decision, decide, to_delete};
use upravnik_core::clock::{Micros, SystemClock};
use upravnik_core::service::{Policy, Services};
use upravnik_storage::{Backend, SqlStore};

/// Files the product stores outside the database live here, inside the data directory.
const FILES_DIR: &str = "files";

/// A finished archive.
#[derive(Debug)]
pub struct Made {
    pub path: PathBuf,
    pub manifest: Manifest,
    pub bytes: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every regular file under `data_dir/files`, as (name inside the archive, path).
fn stored_files(data_dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let root = data_dir.join(FILES_DIR);
    let mut out = vec![];
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else { continue };
        for e in read {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                let rel = e.path().strip_prefix(&root)?.to_string_lossy().replace('\\', "/");
                out.push((format!("{FILES_DIR}/{rel}"), e.path()));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn zip_options() -> zip::write::SimpleFileOptions {
    // Fast deflate: a database file shrinks three to five times at little cost in time.
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true)
}

/// Copies `from` into the archive entry just started, hashing as it goes.
fn copy_hashed(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<(u64, String)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = from.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        to.write_all(&buf[..k])?;
        n += k as u64;
    }
    Ok((n, hex(&h.finalize())))
}

fn write_archive(partial: &Path, files: &[(String, PathBuf)], mut manifest: Manifest) -> anyhow::Result<Manifest> {
    let f = File::create(partial).with_context(|| format!("cannot create {}", partial.display()))?;
    let mut z = zip::ZipWriter::new(BufWriter::new(f));
    for (name, path) in files {
        z.start_file(name.as_str(), zip_options())?;
        let mut r = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let (size, sha256) = copy_hashed(&mut r, &mut z)?;
        manifest.entries.push(Entry { path: name.clone(), size, sha256 });
    }
    z.start_file(MANIFEST, zip_options())?;
    z.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let w = z.finish()?;
    let f = w.into_inner().map_err(|e| anyhow::anyhow!("cannot write the archive: {}", e.error()))?;
    // Acknowledged only once on disk (R.66: the copy is what a restore relies on).
    f.sync_all()?;
    Ok(manifest)
}

/// Makes an archive of the whole product in `to` while the server runs.
pub async fn create(store: &SqlStore, url: &str, data_dir: &Path, to: &Path, now_us: Micros) -> anyhow::Result<Made> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let name = archive_name(now_us);
    let work = to.join(format!(".{name}.work"));
    std::fs::create_dir_all(&work)?;
    let result = async {
        let snap = store.snapshot(url, &work).await?;
        let db_name = snap.file.file_name().and_then(|n| n.to_str()).unwrap_or("database").to_string();
        let mut files = vec![(db_name.clone(), snap.file.clone())];
        files.extend(stored_files(data_dir)?);
        let created = jiff::Timestamp::from_microsecond(now_us).map(|t| t.to_string()).unwrap_or_default();
        let manifest = Manifest {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            created,
            backend: store.backend().name().to_string(),
            database: db_name,
            tables: snap.tables,
            worklog: snap.worklog,
            entries: vec![],
            schema: snap.schema,
        };
        let partial = work.join(format!("{name}.partial"));
        let p = partial.clone();
        let manifest = tokio::task::spawn_blocking(move || write_archive(&p, &files, manifest)).await??;
        let path = to.join(&name);
        std::fs::rename(&partial, &path)?;
        let bytes = std::fs::metadata(&path)?.len();
        anyhow::Ok(Made { path, manifest, bytes })
    }
    .await;
    let _ = std::fs::remove_dir_all(&work);
    result
}

pub fn read_manifest(archive: &Path) -> anyhow::Result<Manifest> {
    let f = File::open(archive).with_context(|| format!("cannot open {}", archive.display()))?;
    let mut z = zip::ZipArchive::new(f).context("not a backup archive (zip)")?;
    let mut m = z.by_name(MANIFEST).context("the archive has no manifest.json")?;
    let mut text = vec![];
    m.read_to_end(&mut text)?;
    let manifest: Manifest = serde_json::from_slice(&text).context("manifest.json cannot be read")?;
    if manifest.format != FORMAT {
        bail!("archive format {} (this build reads {FORMAT})", manifest.format);
    }
    Ok(manifest)
}

/// Extracts every entry of the manifest into `dir`, checking size and SHA-256; returns what did
/// not match (the files stay for inspection).
fn extract_checked(archive: &Path, manifest: &Manifest, dir: &Path, findings: &mut Findings) -> anyhow::Result<()> {
    let mut z = zip::ZipArchive::new(File::open(archive)?)?;
    for e in &manifest.entries {
        if e.path.split('/').any(|p| p == ".." || p.is_empty()) || e.path.starts_with('/') {
            findings.push(format!("{}: a path outside the archive", e.path));
            continue;
        }
        let mut r = match z.by_name(&e.path) {
            Ok(r) => r,
            Err(_) => {
                findings.push(format!("{}: missing from the archive", e.path));
                continue;
            }
        };
        let out = dir.join(&e.path);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut w = BufWriter::new(File::create(&out)?);
        let (size, sha) = copy_hashed(&mut r, &mut w)?;
        w.flush()?;
        if size != e.size || sha != e.sha256 {
            findings.push(format!("{}: checksum or size differs from the manifest (damaged archive)", e.path));
        }
    }
    Ok(())
}

/// A PostgreSQL address with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map(|i| i + 3).unwrap_or(0);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    match base[scheme_end..].find('/') {
        Some(i) => format!("{}/{name}{query}", &base[..scheme_end + i]),
        None => format!("{base}/{name}{query}"),
    }
}

/// Opens the copy a check restored and compares it with the manifest, chain by chain.
async fn check_restored(store: SqlStore, manifest: &Manifest, findings: &mut Findings) -> anyhow::Result<()> {
    let (tables, chains, schema) = store.contents().await?;
    compare(manifest, &tables, &chains, findings);
    if schema != manifest.schema {
        findings.push(format!("schema {schema} restored, {} in the manifest", manifest.schema));
    }
    let s = Services::new(Arc::new(store.clone()), Arc::new(SystemClock), Policy::default());
    let report = s.verify_worklog().await?;
    for (office, b) in &report.broken {
        findings.push(format!("work log of office {office}: {b:?}"));
    }
    store.close().await;
    Ok(())
}

/// Restores the archive into a scratch place and checks it: checksums, rows per table, schema,
/// and every work-log hash chain. PostgreSQL archives need a server where a scratch database may
/// be created (`scratch_url`, any database on it); it is dropped afterwards.
pub async fn verify(archive: &Path, scratch_url: Option<&str>) -> anyhow::Result<(Manifest, Findings)> {
    let manifest = read_manifest(archive)?;
    let mut findings = Findings::default();
    let dir = std::env::temp_dir().join(format!("upravnik-verify-{}-{}", std::process::id(), jiff::Timestamp::now().as_microsecond()));
    std::fs::create_dir_all(&dir)?;
    let result = async {
        let (a, m, d) = (archive.to_path_buf(), manifest.clone(), dir.clone());
        let mut f = findings.clone();
        let f = tokio::task::spawn_blocking(move || extract_checked(&a, &m, &d, &mut f).map(|()| f)).await??;
        findings = f;
        if !findings.ok() {
            return anyhow::Ok(());
        }
        let db = dir.join(&manifest.database);
        match manifest.backend.as_str() {
            "sqlite" => {
                let store = SqlStore::open_read_only(&db).await?;
                check_restored(store, &manifest, &mut findings).await?;
            }
            "postgres" => {
                let base = scratch_url.context("a PostgreSQL archive is checked in a scratch database: give --scratch-url postgres://…")?;
                let admin = SqlStore::connect(base).await?;
                let name = format!("upravnik_verify_{}_{}", std::process::id(), jiff::Timestamp::now().as_millisecond());
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(admin.pool()).await?;
                let url = with_database(base, &name);
                let checked = async {
                    let (u, d) = (url.clone(), db.clone());
                    tokio::task::spawn_blocking(move || upravnik_storage::backup::pg_restore(&u, &d)).await??;
                    let restored = SqlStore::connect(&url).await?;
                    restored.analyze().await?;
                    check_restored(restored, &manifest, &mut findings).await
                }
                .await;
                let _ =
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(admin.pool()).await;
                admin.close().await;
                checked?;
            }
            other => findings.push(format!("unknown database kind {other}")),
        }
        anyhow::Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    Ok((manifest, findings))
}

/// Restores into an empty place: the data directory (SQLite) or an empty PostgreSQL database.
/// Refuses a place that already holds data, a damaged archive, and an archive of the other kind
/// of database. Checks the result as `verify` does.
pub async fn restore(archive: &Path, database_url: &str, data_dir: &Path) -> anyhow::Result<Manifest> {
    let manifest = read_manifest(archive)?;
    let target = Backend::from_url(database_url)?;
    if target.name() != manifest.backend {
        bail!("the archive holds a {} database; the target is {}", manifest.backend, target.name());
    }
    let files = data_dir.join(FILES_DIR);
    if files.read_dir().map(|mut d| d.next().is_some()).unwrap_or(false) {
        bail!("{} is not empty: a restore never overwrites", files.display());
    }
    let work = data_dir.join(".restore.work");
    std::fs::create_dir_all(&work)?;
    let result = async {
        let mut findings = Findings::default();
        let (a, m, d) = (archive.to_path_buf(), manifest.clone(), work.clone());
        findings = tokio::task::spawn_blocking(move || extract_checked(&a, &m, &d, &mut findings).map(|()| findings)).await??;
        if !findings.ok() {
            bail!("the archive is damaged: {}", findings.problems.join("; "));
        }
        let db = work.join(&manifest.database);
        match target {
            Backend::Sqlite => {
                let live = sqlite_file(database_url);
                if live.exists() || PathBuf::from(format!("{}-wal", live.display())).exists() {
                    bail!("{} exists: a restore never overwrites a database (move it away first)", live.display());
                }
                std::fs::rename(&db, &live)?;
                File::open(&live)?.sync_all()?;
            }
            Backend::Postgres => {
                let store = SqlStore::connect(database_url).await?;
                let empty = store.is_empty().await?;
                store.close().await;
                if !empty {
                    bail!("the target database is not empty: a restore never overwrites (create an empty database)");
                }
                let (u, d) = (database_url.to_string(), db.clone());
                tokio::task::spawn_blocking(move || upravnik_storage::backup::pg_restore(&u, &d)).await??;
                let restored = SqlStore::connect(database_url).await?;
                restored.analyze().await?;
                restored.close().await;
            }
        }
        let stored = work.join(FILES_DIR);
        if stored.exists() {
            std::fs::rename(&stored, &files)?;
        }
        let mut check = Findings::default();
        check_restored(SqlStore::connect(database_url).await?, &manifest, &mut check).await?;
        if !check.ok() {
            bail!("restored, but the copy does not match its manifest: {}", check.problems.join("; "));
        }
        anyhow::Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&work);
    result?;
    Ok(manifest)
}

/// The file behind a `sqlite://path?…` address.
fn sqlite_file(url: &str) -> PathBuf {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

/// Rows per table, for the CLI's report.
pub fn summary(tables: &BTreeMap<String, i64>) -> String {
    let total: i64 = tables.values().sum();
    let wl = tables.get("worklog").copied().unwrap_or(0);
    format!("{} tables, {total} rows, {wl} work-log entries", tables.len())
}

/// Makes an archive, verifies it, and records the run (with its work-log entries) either way.
/// `due` is the scheduled time it serves (R.22), `None` for one made by hand.
pub async fn run_and_record(
    s: &Services,
    store: &SqlStore,
    url: &str,
    data_dir: &Path,
    to: &Path,
    due: Option<Micros>,
) -> anyhow::Result<Made> {
    let started = s.clock.now_us();
    let made = create(store, url, data_dir, to, started).await;
    let checked = match &made {
        Ok(m) => verify(&m.path, url.starts_with("postgres").then_some(url)).await.map(|(_, f)| f),
        Err(e) => Err(anyhow::anyhow!("{e:#}")),
    };
    let (ok, detail) = match &checked {
        Ok(f) if f.ok() => (true, String::new()),
        Ok(f) => (false, format!("the archive did not verify: {}", f.problems.join("; "))),
        Err(e) => (false, format!("{e:#}")),
    };
    let run = NewRun {
        job: OWN_JOB.to_string(),
        office_id: None,
        started_us: started,
        finished_us: s.clock.now_us(),
        ok,
        size_bytes: made.as_ref().ok().map(|m| i64::try_from(m.bytes).unwrap_or(i64::MAX)),
        archive: made.as_ref().ok().and_then(|m| m.path.file_name()).map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
        detail: detail.chars().take(1900).collect(),
        due_us: due,
    };
    s.record_own_backup(&run).await?;
    match made {
        Ok(m) if ok => Ok(m),
        Ok(_) => bail!("{detail}"),
        Err(e) => Err(e),
    }
}

/// Deletes the archives in `dir` that the retention no longer keeps; returns their names.
pub fn apply_retention(dir: &Path, policy: &BackupPolicy) -> anyhow::Result<Vec<String>> {
    let mut list = vec![];
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().to_string();
        if !(name.starts_with("upravnik-") && name.ends_with(".zip")) {
            continue;
        }
        let made = e.metadata()?.modified()?.duration_since(std::time::UNIX_EPOCH)?.as_micros();
        list.push((name, i64::try_from(made).unwrap_or(i64::MAX)));
    }
    let gone = to_delete(&list, policy.keep);
    for name in &gone {
        std::fs::remove_file(dir.join(name))?;
    }
    Ok(gone)
}

/// The daily archive of `serve` (R.22): when one is owed (due and not made since, including
/// after downtime), the instance that takes the lease for that due time makes it, verifies it,
/// records it and prunes old archives; the others wait. A failed run is retried when its lease
/// runs out (three hours), after the working day.
pub fn spawn(s: Services, store: SqlStore, url: String, data_dir: PathBuf, to: PathBuf, policy: BackupPolicy) {
    const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);
    let holder = format!("{}-{}", std::process::id(), s.clock.now_us());
    tokio::spawn(async move {
        loop {
            let now = s.clock.now_us();
            let last = match s.last_own_backup().await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "backup schedule: cannot read the last run");
                    tokio::time::sleep(MINUTE).await;
                    continue;
                }
            };
            match decide(&policy.schedule, now, last) {
                Decision::Run { due } => {
                    let lease = format!("backup-{due}");
                    if s.store.claim_job(&lease, &holder, now, now + 3 * 3_600_000_000).await.unwrap_or(false) {
                        tracing::info!(due = %upravnik_core::clock::format_local(due), "daily archive starting");
                        match run_and_record(&s, &store, &url, &data_dir, &to, Some(due)).await {
                            Ok(m) => {
                                tracing::info!(archive = %m.path.display(), bytes = m.bytes, "daily archive made and verified");
                                match apply_retention(&to, &policy) {
                                    Ok(gone) if !gone.is_empty() => tracing::info!(deleted = gone.len(), "old archives deleted"),
                                    Ok(_) => {}
                                    Err(e) => tracing::warn!(error = %e, "old archives not deleted"),
                                }
                            }
                            Err(e) => tracing::error!(error = %format!("{e:#}"), "daily archive FAILED"),
                        }
                    } else {
                        tokio::time::sleep(MINUTE).await;
                    }
                }
                Decision::Wait { until } => {
                    let wait = std::time::Duration::from_micros(u64::try_from((until - now).max(0)).unwrap_or(0));
                    tokio::time::sleep(wait.min(MINUTE)).await;
                }
            }
        }
    });
}
