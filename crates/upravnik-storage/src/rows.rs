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

/// A value bound to SQL built at run time (lists and searches with only the filters that are
/// set); values are always bound, never written into the text.
pub(crate) enum Arg {
    Int(i64),
    Text(String),
}

/// Appends `a` to the bound values and gives its placeholder (`$n`, numbered from one).
pub(crate) fn push_arg(args: &mut Vec<Arg>, a: Arg) -> String {
    args.push(a);
    format!("${}", args.len())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// `q` with `args` bound in order.
pub(crate) fn bind_args<'q>(q: AnyQuery<'q>, args: &[Arg]) -> AnyQuery<'q> {
    args.iter().fold(q, |q, a| match a {
        Arg::Int(v) => q.bind(*v),
        Arg::Text(v) => q.bind(v.clone()),
    })
}

/// `SELECT COUNT(*) FROM {from_where}` with `args` bound. `persistent: false` for SQL planned
/// with its values each time (a text search: how many rows a word matches decides the plan).
pub(crate) async fn count_of(pool: &sqlx::AnyPool, from_where: &str, args: &[Arg], persistent: bool) -> Result<i64, Error> {
    let q = args.iter().fold(
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {from_where}"))).persistent(persistent),
        |q, a| match a {
            Arg::Int(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.clone()),
        },
    );
    q.fetch_one(pool).await.map_err(map_err)
}
