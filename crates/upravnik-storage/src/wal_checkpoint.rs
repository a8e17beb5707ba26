//! SQLite: the write-ahead log is copied back into the database file by a task of its own, not
//! inside a write.
//!
//! By default SQLite checkpoints in the commit that takes the log past 1,000 pages — a commit of
//! the one writer (`SqlStore::writer`), which every queued write then waits for; with
//! `synchronous = FULL` that checkpoint also syncs the database file. Here a task checkpoints
//! every [`EVERY`] in `PASSIVE` mode, which neither waits for nor blocks the writer or the
//! readers, so a commit only appends to the log and syncs it; SQLite starts the log over at the
//! next write that finds it all copied.
//!
//! Writes that never pause (a bulk load: large transactions one after the other) never leave the
//! log all copied when the next one begins, so it would not start over and its file would grow
//! with everything written (80 MB after the create benchmark's 100,000 generated reports). The
//! writer therefore keeps SQLite's own checkpoint at [`WRITER_BOUND_PAGES`]: past that, its commit
//! copies what the task has not (little, as a rule) and the log starts over. PostgreSQL
//! checkpoints in its own server.

use std::sync::Weak;
use std::time::Duration;

use sqlx::AnyPool;

/// How often the task checkpoints.
const EVERY: Duration = Duration::from_millis(250);

/// The writer's own checkpoint bound, in pages (4 KiB each: 16 MiB of log).
pub(crate) const WRITER_BOUND_PAGES: u32 = 4_096;

/// Checkpoints the database of `pool` until every clone of the store that holds `alive` is gone
/// or the pool is closed.
pub(crate) fn spawn(pool: AnyPool, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.strong_count() == 0 || pool.is_closed() {
                return;
            }
            if let Err(e) = sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await
                && !pool.is_closed()
            {
                tracing::warn!(error = %e, "WAL checkpoint failed; the writer checkpoints by itself");
            }
        }
    });
}
