//! Everything that differs between SQLite and PostgreSQL, in one place: connection set-up, how a
//! write transaction begins, migration folders, pool sizes.

use upravnik_core::{Error, Result};

/// See [`Backend::worklog_search`].
pub(crate) struct WorklogSearch {
    pub from: &'static str,
    pub order: &'static str,
    /// An index condition and its bound value, in addition to the exact `LIKE`.
    pub matcher: Option<(&'static str, String)>,
    /// Look among this many newest entries first. With statistics that lag a bulk load,
    /// PostgreSQL's planner takes the trigram index even for a word in every seventh entry and
    /// sorts all the matches (300 ms at a million entries); the newest entries answer such a
    /// search in about a millisecond, and cost a rare word about as much.
    pub recent_window: Option<u32>,
}

/// Rows as the one JSON text [`Backend::json_rows`] reads.
pub(crate) fn json_param<T: serde::Serialize + ?Sized>(rows: &T) -> Result<String> {
    serde_json::to_string(rows).map_err(|e| Error::Storage(format!("writing rows as JSON: {e}")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database a connection (or the transaction on it) talks to, for statements written
    /// differently inside a transaction the caller holds.
    pub(crate) fn of(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME { Backend::Postgres } else { Backend::Sqlite }
    }

    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::Storage("database URL must start with sqlite:// or postgres://".into()))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Rows a multi-row insert carries in bulk writes (the equipment import). Measured on 10,000
    /// rows: PostgreSQL gains from few, long statements (400 rows: 7 s, 50 rows: 12 s in a debug
    /// build), while SQLite slows down on long ones (400 rows: 21 s, 50 rows: 4 s).
    /// `n` placeholders numbered from `from`: `$from, …` on PostgreSQL, plain `?` on SQLite,
    /// whose driver otherwise looks every `$N` up by name (a linear search inside SQLite, so a
    /// 400-value statement cost milliseconds of binding). Only for statements whose parameters
    /// all come from here, bound in order.
    pub(crate) fn placeholders(self, from: usize, n: usize) -> String {
        match self {
            Backend::Sqlite => vec!["?"; n].join(", "),
            Backend::Postgres => numbered(from, n),
        }
    }

    /// `rows` tuples of `width` placeholders for a multi-row insert, numbered from 1 (see
    /// [`Self::placeholders`]: every parameter bound in order, none shared between rows).
    /// Written into one string: a first inventory builds ~4,000 placeholders in a few statements,
    /// and a string per row and per placeholder was 3–4 % of its server time.
    pub(crate) fn tuples(self, rows: usize, width: usize) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(rows * width * 6);
        for i in 0..rows * width {
            let sep = match (i % width, i) {
                (0, 0) => "(",
                (0, _) => "), (",
                _ => ", ",
            };
            s.push_str(sep);
            match self {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    let _ = write!(s, "${}", i + 1);
                }
            }
        }
        if rows * width > 0 {
            s.push(')');
        }
        s
    }

    /// The rows of a JSON array of arrays bound as text at `$param`, one row per element, for
    /// `INSERT … SELECT <constants>, <this>`: each element's items in order as the columns whose
    /// SQL types are `types` ("TEXT" taken as it is, any other type cast), then `FROM` the array
    /// and `WHERE true` (SQLite reads `ON CONFLICT` after a `SELECT` without `WHERE` as a join's).
    /// One parameter instead of rows × columns: a first inventory's ~1,000 programs were ~8,000
    /// bound values, each converted and copied by the driver, in ~20 statements on SQLite.
    pub(crate) fn json_rows(self, param: usize, types: &[&str]) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(types.len() * 32 + 40);
        for (i, ty) in types.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            if *ty == "TEXT" {
                let _ = write!(s, "{sep}value->>{i}");
            } else {
                let _ = write!(s, "{sep}CAST(value->>{i} AS {ty})");
            }
        }
        match self {
            Backend::Sqlite => {
                let _ = write!(s, " FROM json_each(${param}) WHERE true");
            }
            Backend::Postgres => {
                let _ = write!(s, " FROM jsonb_array_elements(${param}::jsonb) WHERE true");
            }
        }
        s
    }

    pub(crate) fn rows_per_insert(self) -> usize {
        match self {
            Backend::Sqlite => 50,
            Backend::Postgres => 400,
        }
    }

    /// SQLite: WAL so readers never wait for the writer; FULL sync because a write is
    /// acknowledged to a person; foreign keys on; wait for the writer instead of failing;
    /// statement journals and temporary tables in memory (the work log's full-text index made a
    /// statement journal spill to a new temporary file for almost every write: open, write,
    /// unlink).
    pub(crate) fn connection_setup(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => Some(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                 PRAGMA temp_store = MEMORY;",
            ),
            Backend::Postgres => None,
        }
    }

    /// Whether a table derived from others (what is installed where) is best rebuilt by deleting
    /// and inserting every row, or by writing only the difference. SQLite writes rows cheaply but
    /// runs the anti-joins a difference needs as nested loops (9 s against 1 s for the rewrite,
    /// 490,000 rows); PostgreSQL plans them as hash joins but pays ~10 µs a written row (1.8 s
    /// against 4–5 s). BENCHMARKS.md, software compliance.
    pub(crate) fn rewrites_derived_rows(self) -> bool {
        matches!(self, Backend::Sqlite)
    }

    /// A write transaction takes SQLite's write lock at once, so a read-then-write cannot fail
    /// with SQLITE_BUSY halfway; PostgreSQL locks rows as it goes.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// How the work log is searched for a normalised term: the tables to read and the column
    /// that orders them newest first. SQLite drives the query from its FTS5 trigram index (rowid
    /// order, so `LIMIT` stops early); PostgreSQL's planner uses the pg_trgm index for the `LIKE`
    /// itself, after a look at the newest entries. Trigram indexes need at least three
    /// characters; shorter terms scan.
    pub(crate) fn worklog_search(self, term: &str) -> Option<WorklogSearch> {
        match self {
            Backend::Sqlite if term.chars().count() >= 3 => Some(WorklogSearch {
                // CROSS JOIN makes SQLite keep the index as the outer loop (it may not guess that alone).
                from: "worklog_fts f CROSS JOIN worklog w ON w.id = f.rowid",
                order: "f.rowid",
                matcher: Some(("f.worklog_fts MATCH", format!("\"{}\"", term.replace('"', "\"\"")))),
                recent_window: None,
            }),
            Backend::Postgres => Some(WorklogSearch { from: "worklog w", order: "w.id", matcher: None, recent_window: Some(5_000) }),
            Backend::Sqlite => None,
        }
    }

    /// Refreshes the planner's statistics after a bulk load (the benchmark generator).
    pub(crate) fn analyze(self) -> &'static str {
        match self {
            Backend::Sqlite => "PRAGMA optimize",
            // After a bulk load the visibility map is empty until autovacuum comes by; until then
            // counts and index-only scans visit the table. Measure what a settled database does.
            Backend::Postgres => "VACUUM ANALYZE",
        }
    }

    pub(crate) fn max_connections(self) -> u32 {
        match self {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }
    }
}

/// `$from, $from+1, …`: `n` numbered placeholders, the same text on both databases.
pub(crate) fn numbered(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_number_every_parameter_in_order() {
        assert_eq!(Backend::Postgres.tuples(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(Backend::Sqlite.tuples(3, 2), "(?, ?), (?, ?), (?, ?)");
        assert_eq!(Backend::Postgres.tuples(1, 1), "($1)");
        assert_eq!(Backend::Sqlite.tuples(0, 4), "");
        // The same text a tuple at a time, as the rest of the module writes placeholders.
        let by_row: Vec<String> = (0..5).map(|i| format!("({})", Backend::Postgres.placeholders(i * 4 + 1, 4))).collect();
        assert_eq!(Backend::Postgres.tuples(5, 4), by_row.join(", "));
    }

    #[test]
    fn json_rows_reads_each_item_as_its_column() {
        assert_eq!(Backend::Sqlite.json_rows(3, &["TEXT", "BIGINT"]), "value->>0, CAST(value->>1 AS BIGINT) FROM json_each($3) WHERE true");
        assert_eq!(Backend::Postgres.json_rows(1, &["TEXT"]), "value->>0 FROM jsonb_array_elements($1::jsonb) WHERE true");
    }
}
