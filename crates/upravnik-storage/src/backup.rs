//! A consistent copy of the whole database while the server runs (R.22, P.5.1), and what a copy
//! holds: row counts and work-log chain ends read in the same snapshot.
//!
//! SQLite: `VACUUM INTO` writes a new database file from one read transaction, so writers go on
//! and the copy is exactly one moment. PostgreSQL: a `REPEATABLE READ` transaction exports its
//! snapshot, `pg_dump --snapshot` dumps exactly that moment, and the counts are read inside it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sqlx::{Acquire, AssertSqlSafe};
use upravnik_core::backup::ChainEnd;
use upravnik_core::{Error, Result};

use crate::SqlStore;
use crate::dialect::Backend;
use crate::rows::map_err;

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
