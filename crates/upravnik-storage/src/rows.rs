//! Row decoding and error mapping shared by the storage modules.

use sqlx::Row;
use sqlx::any::AnyRow;
use upravnik_core::Error;

/// Unique violations become conflicts the user can act on; everything else is an internal error
/// whose text goes to the log, never to the user.
pub(crate) fn map_err(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::RowNotFound => Error::NotFound { what: "record" },
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict { code: "duplicate", field: None },
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => Error::Conflict { code: "reference_missing", field: None },
        // PostgreSQL refuses U+0000 in text (SQLSTATE 22021); the web layer refuses it earlier,
        // this covers text that came some other way.
        sqlx::Error::Database(d) if d.code().as_deref() == Some("22021") => Error::invalid("text", "err-nul"),
        _ => Error::Storage(e.to_string()),
    }
}

pub(crate) trait Get {
    fn i64(&self, col: &str) -> Result<i64, Error>;
    fn opt_i64(&self, col: &str) -> Result<Option<i64>, Error>;
    fn text(&self, col: &str) -> Result<String, Error>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, Error>;
    fn flag(&self, col: &str) -> Result<bool, Error> {
        Ok(self.i64(col)? != 0)
    }
}

impl Get for AnyRow {
    fn i64(&self, col: &str) -> Result<i64, Error> {
        self.try_get(col).map_err(map_err)
    }
    fn opt_i64(&self, col: &str) -> Result<Option<i64>, Error> {
        self.try_get(col).map_err(map_err)
    }
    fn text(&self, col: &str) -> Result<String, Error> {
        self.try_get(col).map_err(map_err)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, Error> {
        self.try_get(col).map_err(map_err)
    }
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// The `LIKE` pattern for an optional search term, or `''` for "no filter".
pub(crate) fn search(q: &Option<String>) -> String {
    q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(upravnik_core::text::like_pattern).unwrap_or_default()
}
