//! A consistent copy of the whole database while the server runs (R.22, P.5.1), and what a copy
//! holds: row counts and work-log chain ends read in the same snapshot.
//!
//! SQLite: `VACUUM INTO` writes a new database file from one read transaction, so writers go on
//! and the copy is exactly one moment. PostgreSQL: a `REPEATABLE READ` transaction exports its
//! snapshot, `pg_dump --snapshot` dumps exactly that moment, and the counts are read inside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::any::AnyRow;
use sqlx::{Acquire, AssertSqlSafe};
use upravnik_core::backup::{ChainEnd, CustodyEvent, CustodyFields, CustodyKind, Medium, MediumFields, NewRun, Run};
use upravnik_core::clock::Micros;
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

use crate::SqlStore;
use crate::dialect::Backend;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;

/// A copy of the database on disk with what it holds.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub file: PathBuf,
    pub tables: BTreeMap<String, i64>,
    pub worklog: Vec<ChainEnd>,
    pub schema: i64,
}

fn storage(msg: String) -> Error {
    Error::Storage(msg)
}

/// Runs one of PostgreSQL's client programs; its error output is the error.
pub fn run_pg_tool(cmd: &mut Command) -> Result<()> {
    let out =
        cmd.output().map_err(|e| storage(format!("cannot run {:?}: {e} (install the PostgreSQL client tools)", cmd.get_program())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(storage(format!("{:?} failed: {}", cmd.get_program(), String::from_utf8_lossy(&out.stderr).trim())))
    }
}

/// The tables whose rows are the product's data: every table but SQLite's own and the shadow
/// tables of its full-text indexes (derived, rebuilt by their triggers).
const SQLITE_TABLES: &str = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
     AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%' ORDER BY name";
const PG_TABLES: &str = "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";

/// Counts, chain ends and schema version, read on one connection (inside its transaction).
async fn contents(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<(BTreeMap<String, i64>, Vec<ChainEnd>, i64)> {
    let sql = match backend {
        Backend::Sqlite => SQLITE_TABLES,
        Backend::Postgres => PG_TABLES,
    };
    let names: Vec<String> = sqlx::query_scalar(sql).fetch_all(&mut *conn).await.map_err(map_err)?;
    let mut tables = BTreeMap::new();
    for t in names {
        // Names come from the catalogue, quoted all the same.
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM \"{}\"", t.replace('"', "\"\""))))
            .fetch_one(&mut *conn)
            .await
            .map_err(map_err)?;
        tables.insert(t, n);
    }
    let worklog: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT office_id, seq, hash FROM worklog_heads ORDER BY office_id").fetch_all(&mut *conn).await.map_err(map_err)?;
    let worklog = worklog.into_iter().map(|(office_id, seq, hash)| ChainEnd { office_id, seq, hash }).collect();
    let schema: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations").fetch_one(&mut *conn).await.map_err(map_err)?;
    Ok((tables, worklog, schema.unwrap_or(0)))
}

impl SqlStore {
    /// What this database holds now: rows per table, chain ends, schema version.
    pub async fn contents(&self) -> Result<(BTreeMap<String, i64>, Vec<ChainEnd>, i64)> {
        let mut conn = self.pool.acquire().await.map_err(map_err)?;
        let mut tx = conn.begin().await.map_err(map_err)?;
        let c = contents(&mut tx, self.backend).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(c)
    }

    /// Writes a consistent copy into `dir` (which must exist): `database.sqlite` or
    /// `database.pgdump`. `url` is this database's address, for `pg_dump`.
    pub async fn snapshot(&self, url: &str, dir: &Path) -> Result<Snapshot> {
        match self.backend {
            Backend::Sqlite => {
                let file = dir.join("database.sqlite");
                let path = file.to_str().ok_or_else(|| storage("the backup directory's path is not UTF-8".into()))?;
                sqlx::query(AssertSqlSafe(format!("VACUUM INTO '{}'", path.replace('\'', "''"))))
                    .execute(&self.pool)
                    .await
                    .map_err(map_err)?;
                // The counts are the copy's, which is one moment by construction.
                let copy = SqlStore::open_read_only(&file).await?;
                let (tables, worklog, schema) = copy.contents().await?;
                copy.close().await;
                Ok(Snapshot { file, tables, worklog, schema })
            }
            Backend::Postgres => {
                let file = dir.join("database.pgdump");
                let mut conn = self.pool.acquire().await.map_err(map_err)?;
                let mut tx = conn.begin().await.map_err(map_err)?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await.map_err(map_err)?;
                let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()").fetch_one(&mut *tx).await.map_err(map_err)?;
                let (tables, worklog, schema) = contents(&mut tx, self.backend).await?;
                // The dump runs while this transaction holds the snapshot open.
                let (url, out, snap) = (url.to_string(), file.clone(), id.clone());
                tokio::task::spawn_blocking(move || {
                    run_pg_tool(
                        Command::new("pg_dump")
                            .args(["--format=custom", "--no-owner", "--no-privileges", "--snapshot"])
                            .arg(&snap)
                            .arg("--file")
                            .arg(&out)
                            .arg("--dbname")
                            .arg(&url),
                    )
                })
                .await
                .map_err(|e| storage(format!("pg_dump did not finish: {e}")))??;
                tx.commit().await.map_err(map_err)?;
                Ok(Snapshot { file, tables, worklog, schema })
            }
        }
    }

    /// Whether the database holds no tables yet (a restore goes only into such a one).
    pub async fn is_empty(&self) -> Result<bool> {
        let sql = match self.backend {
            Backend::Sqlite => SQLITE_TABLES,
            Backend::Postgres => PG_TABLES,
        };
        let names: Vec<String> = sqlx::query_scalar(sql).fetch_all(&self.pool).await.map_err(map_err)?;
        Ok(names.is_empty())
    }
}

/// Loads a `pg_dump` archive into an empty database, all or nothing.
pub fn pg_restore(url: &str, dump: &Path) -> Result<()> {
    run_pg_tool(
        Command::new("pg_restore")
            .args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname"])
            .arg(url)
            .arg(dump),
    )
}

// --- archiving runs, media, custody book ------------------------------------------------------

fn run(r: &AnyRow) -> Result<Run> {
    Ok(Run {
        id: r.i64("id")?,
        job: r.text("job")?,
        office_id: r.opt_i64("office_id")?,
        started_us: r.i64("started_at")?,
        finished_us: r.i64("finished_at")?,
        ok: r.flag("ok")?,
        size_bytes: r.opt_i64("size_bytes")?,
        archive: r.text("archive")?,
        detail: r.text("detail")?,
        due_us: r.opt_i64("due_at")?,
        recorded_by: r.text("recorded_by")?,
    })
}

fn medium(r: &AnyRow) -> Result<Medium> {
    Ok(Medium {
        id: r.i64("id")?,
        label: r.text("label")?,
        copy_no: r.i64("copy_no")?,
        archive: r.text("archive")?,
        sha256: r.text("sha256")?,
        written_us: r.i64("written_at")?,
        note: r.text("note")?,
        in_safe: r.flag("in_safe")?,
    })
}

impl SqlStore {
    pub(crate) async fn record_backup_run_impl(&self, r: &NewRun, by: &str, logs: Vec<Draft>, now: Micros) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO backup_runs (job, office_id, started_at, finished_at, ok, size_bytes, archive, detail, due_at, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&r.job)
        .bind(r.office_id)
        .bind(r.started_us)
        .bind(r.finished_us)
        .bind(flag(r.ok))
        .bind(r.size_bytes)
        .bind(&r.archive)
        .bind(&r.detail)
        .bind(r.due_us)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for log in logs {
            append_tx(&mut tx, log, now).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn backup_runs_impl(&self, office_id: i64, limit: i64) -> Result<Vec<Run>> {
        let rows = sqlx::query(
            "SELECT id, job, office_id, started_at, finished_at, ok, size_bytes, archive, detail, due_at, recorded_by FROM backup_runs \
             WHERE office_id IS NULL OR office_id = $1 ORDER BY finished_at DESC, id DESC LIMIT $2",
        )
        .bind(office_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(run).collect()
    }

    pub(crate) async fn last_backup_success_impl(&self, job: &str) -> Result<Option<Micros>> {
        sqlx::query_scalar("SELECT MAX(finished_at) FROM backup_runs WHERE job = $1 AND ok = 1")
            .bind(job)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn backup_media_impl(&self, office_id: i64) -> Result<Vec<Medium>> {
        let rows = sqlx::query(
            "SELECT id, label, copy_no, archive, sha256, written_at, note, in_safe FROM backup_media WHERE office_id = $1 \
             ORDER BY written_at DESC, id DESC",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(medium).collect()
    }

    pub(crate) async fn add_backup_medium_impl(&self, office_id: i64, f: &MediumFields, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO backup_media (office_id, label, copy_no, archive, sha256, written_at, note, in_safe, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $6) RETURNING id",
        )
        .bind(office_id)
        .bind(&f.label)
        .bind(f.copy_no)
        .bind(&f.archive)
        .bind(&f.sha256)
        .bind(now)
        .bind(&f.note)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn record_custody_impl(
        &self,
        office_id: i64,
        medium_id: i64,
        f: &CustodyFields,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let inside = f.kind == CustodyKind::Deposited;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE backup_media SET in_safe = $1 WHERE id = $2 AND office_id = $3 AND in_safe = $4")
            .bind(flag(inside))
            .bind(medium_id)
            .bind(office_id)
            .bind(flag(!inside))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "stale", field: Some("kind") });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO custody_events (office_id, medium_id, kind, at, person, reason, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(office_id)
        .bind(medium_id)
        .bind(f.kind.as_str())
        .bind(f.at_us)
        .bind(&f.person)
        .bind(&f.reason)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn custody_book_impl(&self, office_id: i64) -> Result<Vec<CustodyEvent>> {
        let rows = sqlx::query(
            "SELECT e.id, e.medium_id, m.label, e.kind, e.at, e.person, e.reason, e.recorded_by FROM custody_events e \
             JOIN backup_media m ON m.id = e.medium_id WHERE e.office_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT 2000",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(CustodyEvent {
                    id: r.i64("id")?,
                    medium_id: r.i64("medium_id")?,
                    medium: r.text("label")?,
                    kind: CustodyKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown custody kind".into()))?,
                    at_us: r.i64("at")?,
                    person: r.text("person")?,
                    reason: r.text("reason")?,
                    recorded_by: r.text("recorded_by")?,
                })
            })
            .collect()
    }
}
