//! Where a free-text search starts on PostgreSQL when one database holds many offices.
//!
//! The trigram indexes (migrations 0007 and 0016) hold every office's rows, and a word's posting
//! lists are read whole before the office is applied: in the national database (170 offices)
//! "dell optiplex" matches 48,620 assets, 286 of them in the office asked about, and the index
//! answer took 16 ms against 1.8 ms for reading that office's 2,000 assets with the word as a
//! filter (asset search under load: 34 req/s against 215 in a one-office database). The planner
//! cannot see it: it takes the office and the word as independent. So a small office among many
//! is searched office-first — the text condition is written so that the trigram index cannot
//! serve it — and a large office, or the only one, keeps the trigram index, which is what makes a
//! rare word fast among 100,000 assets.
//!
//! SQLite databases hold one office (the national scale is PostgreSQL's) and search through FTS5
//! or a narrow `(office_id, search_key)` index; they are never office-first.

use crate::rows::map_err;
use crate::{Backend, SqlStore};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upravnik_core::Result;

/// An office with at most this many rows in a table is read whole faster than a common word's
/// trigram matches across offices (a 20,000-row office scan with `LIKE` ≈ 15 ms on the 2-core
/// machine of BENCHMARKS.md).
const SMALL_OFFICE: i64 = 20_000;
/// Office-first only when the table holds at least this many times the office's rows; below
/// that the trigram index reads mostly the office's own matches anyway.
const MANY_OFFICES: i64 = 5;
/// How long a decision is kept: offices grow slowly, and the probe costs an index-only count of
/// up to [`SMALL_OFFICE`] rows.
const KEEP: Duration = Duration::from_secs(600);

/// A table searched by free text through a trigram index on PostgreSQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SearchTable {
    Assets,
    FaultReports,
}

impl SearchTable {
    fn name(self) -> &'static str {
        match self {
            SearchTable::Assets => "assets",
            SearchTable::FaultReports => "fault_reports",
        }
    }
}

/// Decisions per table and office, for [`KEEP`]; each server process keeps its own (they are
/// hints for the plan, not data: instances that disagree for a while give the same answers).
#[derive(Clone, Default)]
pub(crate) struct OfficeFirst(Arc<Mutex<HashMap<(SearchTable, i64), Decision>>>);

/// Office-first or not, and when that was found.
type Decision = (bool, Instant);

/// `column LIKE placeholder`; office-first, as an expression no trigram index holds, so
/// PostgreSQL reads the office through its own index and filters.
pub(crate) fn text_like(column: &str, placeholder: &str, office_first: bool) -> String {
    if office_first {
        format!("({column} || '') LIKE {placeholder} ESCAPE '\\'")
    } else {
        format!("{column} LIKE {placeholder} ESCAPE '\\'")
    }
}

impl SqlStore {
    /// Whether a text search of `table` in `office_id` reads the office's rows rather than the
    /// trigram index (see the module's comment). Always `false` on SQLite.
    pub async fn office_first(&self, table: SearchTable, office_id: i64) -> Result<bool> {
        if self.backend != Backend::Postgres {
            return Ok(false);
        }
        let key = (table, office_id);
        if let Some((v, at)) = self.office_first.0.lock().ok().and_then(|m| m.get(&key).copied())
            && at.elapsed() < KEEP
        {
            return Ok(v);
        }
        let t = table.name();
        // `reltuples` is the table's size as of its last ANALYZE (−1 before the first one, when
        // nothing is decided office-first).
        let (office, all): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {t} WHERE office_id = $1 LIMIT $2) o), \
                    (SELECT reltuples::bigint FROM pg_class WHERE oid = '{t}'::regclass)"
        )))
        .bind(office_id)
        .bind(SMALL_OFFICE + 1)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        let v = office <= SMALL_OFFICE && all >= MANY_OFFICES * office.max(1);
        if let Ok(mut m) = self.office_first.0.lock() {
            m.insert(key, (v, Instant::now()));
        }
        Ok(v)
    }
}
