//! The one SQL adapter of Upravnik: every storage operation is written once and runs on SQLite
//! (embedded default) and PostgreSQL (hosted service). Dialect differences live in [`dialect`].

mod account_requests;
mod accounts;
mod applications;
mod asset_import;
mod assets;
pub mod backup;
mod compliance;
mod consumables;
pub mod dialect;
mod directory;
mod generate;
mod helpdesk;
mod internet;
mod inventory;
mod knowledge;
mod mail;
mod mfa;
mod migrate;
mod org;
mod parts;
mod report_forms;
mod rows;
mod rules;
mod saved_filters;
mod search_scope;
mod security;
mod shares;
mod software;
mod store;
mod subnets;
mod wal_checkpoint;
mod worklog;

pub use dialect::Backend;
pub use migrate::{MIGRATIONS, Migration};
pub use search_scope::SearchTable;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use upravnik_core::{Error, Result};

/// A connection pool to either database, chosen once from the URL at start-up.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    /// Where write transactions run ([`SqlStore::begin_write`]). SQLite: one connection of its
    /// own. SQLite drops a connection's page cache whenever another connection has written, so
    /// writes taking turns over the whole pool each began by reading ~120 pages back from the
    /// file; one writer keeps its cache, and its queue is the order of the writes. PostgreSQL:
    /// the pool itself.
    writer: AnyPool,
    backend: Backend,
    /// SQLite has one writer. Agent reports queue here, in the process, instead of in SQLite's
    /// busy handler, whose sleeps (1, 2, 5, 10 … 100 ms) would idle the writer between reports
    /// when many agents post at once. PostgreSQL does not need it (row locks order writers).
    agent_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// PostgreSQL: fault reports created through this process take turns here before they take
    /// their office's counter row, which orders them anyway; sixteen at once otherwise made a
    /// convoy of backends waiting on that row (at 16 clients p95 127 ms, 40 ms with the queue,
    /// for the same rate).
    report_writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Reports waiting for `report_writer` (or, on SQLite, the agents' writer turn), written in
    /// batches (`helpdesk::ReportQueue`).
    report_queue: helpdesk::ReportQueue,
    /// PostgreSQL: which offices a text search reads first ([`search_scope`]).
    office_first: search_scope::OfficeFirst,
    /// SQLite: while any clone of the store holds this, its WAL checkpoint task runs
    /// ([`wal_checkpoint`]).
    _checkpoints: Option<std::sync::Arc<()>>,
}

impl SqlStore {
    /// Connects to `sqlite://…` or `postgres://…`. Does not migrate.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, true).await
    }

    /// A SQLite file opened read-only, as it is (a backup's copy being checked): no WAL switch,
    /// nothing written.
    pub async fn open_read_only(file: &std::path::Path) -> Result<Self> {
        Self::connect_with(&format!("sqlite://{}?mode=ro", file.display()), false).await
    }

    async fn connect_with(url: &str, setup: bool) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let opts = |writer: bool| {
            let pool = AnyPoolOptions::new().acquire_timeout(std::time::Duration::from_secs(10));
            // A SQLite connection is a thread of this process with its own page cache and prepared
            // statements; recycling it (sqlx's default: after 30 minutes, or 10 idle) frees nothing
            // outside and refills all of it, in a new thread's heap (BENCHMARKS.md, the 60-minute
            // soaks). PostgreSQL keeps the defaults: a long-lived backend holds server memory.
            let pool = match backend {
                Backend::Sqlite => pool.max_lifetime(None).idle_timeout(None),
                Backend::Postgres => pool,
            };
            pool.after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if let Some(sql) = backend.connection_setup().filter(|_| setup) {
                        sqlx::raw_sql(sql).execute(&mut *conn).await?;
                        if writer {
                            // The log is checkpointed by `wal_checkpoint`'s task; this bound starts
                            // it over under writes that never pause (a bulk load).
                            let bound = format!("PRAGMA wal_autocheckpoint = {}", wal_checkpoint::WRITER_BOUND_PAGES);
                            sqlx::raw_sql(sqlx::AssertSqlSafe(bound)).execute(conn).await?;
                        }
                    }
                    Ok(())
                })
            })
        };
        let cannot = |e: sqlx::Error| Error::Storage(format!("cannot open database: {e}"));
        let pool = opts(false).max_connections(backend.max_connections()).connect(url).await.map_err(cannot)?;
        let own_writer = backend == Backend::Sqlite && setup;
        let writer = if own_writer { opts(true).max_connections(1).connect(url).await.map_err(cannot)? } else { pool.clone() };
        let checkpoints = own_writer.then(std::sync::Arc::default);
        if let Some(alive) = &checkpoints {
            wal_checkpoint::spawn(url.to_string(), pool.clone(), std::sync::Arc::downgrade(alive));
        }
        Ok(Self {
            pool,
            writer,
            _checkpoints: checkpoints,
            backend,
            agent_writer: std::sync::Arc::default(),
            report_writer: std::sync::Arc::default(),
            office_first: Default::default(),
            report_queue: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The SQLite URL of the database file inside a data directory (created if needed).
pub fn sqlite_url_for_dir(dir: &std::path::Path) -> Result<String> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
    let file = dir.join("upravnik.db");
    Ok(format!("sqlite://{}?mode=rwc", file.display()))
}
