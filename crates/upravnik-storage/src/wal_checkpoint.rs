//! SQLite: the write-ahead log is copied back into the database file by a task of its own, not
//! inside a write.
//!
//! By default SQLite checkpoints in the commit that takes the log past 1,000 pages — a commit of
//! the one writer (`SqlStore::writer`), which every queued write then waits for; with
//! `synchronous = FULL` that checkpoint also syncs the database file. Here a task checkpoints
//! every [`EVERY`] in `PASSIVE` mode, which neither waits for nor blocks the writer or the
//! readers, so a commit only appends to the log and syncs it.
//!
//! The log starts over only at a write that finds it all copied and no reader in it. Two loads
//! keep that from happening, and the log file would grow with everything written (193 MB after
//! 45 minutes of the soak, with only `PASSIVE` and a writer's bound of 16,384 pages):
//! - readers that never pause (sixteen clients listing and searching): a checkpoint copies only
//!   what the oldest reader's snapshot holds, and some reader is always older than the last
//!   write. Past [`RESTART_PAGES`] the task checkpoints in `RESTART` mode, which holds new writes
//!   back while it copies the rest and waits for those readers to finish; the next write starts
//!   the log over. It waits at most [`RESTART_WAIT_MS`], so a long reader (a backup's) never
//!   holds writes for long: the task gives up and tries again after [`RESTART_BACKOFF`].
//! - writes that never pause (a bulk load: large transactions one after the other): the log is
//!   never all copied when the next one begins, and `RESTART` cannot get in between them. The
//!   writer keeps SQLite's own checkpoint at [`WRITER_BOUND_PAGES`]: past that its commit copies
//!   what the task has not, and the log starts over.
//!
//! PostgreSQL checkpoints in its own server.

use std::sync::Weak;
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, AnyPool, Connection};

/// How often the task checkpoints.
const EVERY: Duration = Duration::from_millis(250);

/// Past this many pages of log (4 KiB each: 16 MiB) the task starts the log over.
const RESTART_PAGES: i64 = 4_096;

/// The longest a `RESTART` holds writes back waiting for readers (the `busy_timeout` of the
/// task's own connection; SQLite's waits add up to 53 ms).
const RESTART_WAIT_MS: u32 = 50;

/// After a `RESTART` that readers kept from finishing, the next one waits this long.
const RESTART_BACKOFF: Duration = Duration::from_secs(1);

/// The writer's own checkpoint bound, in pages (16 MiB of log).
pub(crate) const WRITER_BOUND_PAGES: u32 = 4_096;

/// `(busy, pages in the log, pages copied)`, as `PRAGMA wal_checkpoint` answers.
type Checkpoint = (i64, i64, i64);

/// Checkpoints the database at `url` until every clone of the store that holds `alive` is gone
/// or `pool` (the store's) is closed. The task has a connection of its own, so its short
/// `busy_timeout` is never a reader's.
pub(crate) fn spawn(url: String, pool: AnyPool, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut conn: Option<AnyConnection> = None;
        let mut restart_after = Instant::now();
        loop {
            tick.tick().await;
            if alive.strong_count() == 0 || pool.is_closed() {
                break;
            }
            let c = match conn.as_mut() {
                Some(c) => c,
                None => match open(&url).await {
                    Ok(c) => conn.insert(c),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot open the WAL checkpoint connection; the writer checkpoints by itself");
                        continue;
                    }
                },
            };
            if let Err(e) = checkpoint(c, &mut restart_after).await {
                tracing::warn!(error = %e, "WAL checkpoint failed; the writer checkpoints by itself");
                // Opened again at the next turn.
                conn = None;
            }
        }
        if let Some(c) = conn {
            let _ = c.close().await;
        }
    });
}

async fn open(url: &str) -> Result<AnyConnection, sqlx::Error> {
    let mut c = AnyConnection::connect(url).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {RESTART_WAIT_MS}"))).execute(&mut c).await?;
    Ok(c)
}

async fn checkpoint(c: &mut AnyConnection, restart_after: &mut Instant) -> Result<(), sqlx::Error> {
    let (_, log, _) = sqlx::query_as::<_, Checkpoint>("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&mut *c).await?;
    if log > RESTART_PAGES && Instant::now() >= *restart_after {
        let (busy, _, _) = sqlx::query_as::<_, Checkpoint>("PRAGMA wal_checkpoint(RESTART)").fetch_one(&mut *c).await?;
        if busy != 0 {
            *restart_after = Instant::now() + RESTART_BACKOFF;
        }
    }
    Ok(())
}
