//! The work log: the one place where entries are appended (inside the caller's transaction),
//! listed with keyset pagination, and read back in chain order for verification.

use crate::SqlStore;
use crate::rows::{Arg, Get, bind_args, flag, map_err};
use sqlx::any::{Any, AnyRow};
use sqlx::{AssertSqlSafe, Transaction};
use upravnik_core::worklog::{Category, Draft, Entry, Filter, GENESIS, ObjectRef, compute_hash};
use upravnik_core::{Error, Result};

/// One entry's insert, `$14` being its hash.
macro_rules! insert_entry {
    () => {
        "INSERT INTO worklog (office_id, seq, at, actor_user_id, actor_name, category, object_kind, object_id, object_label, \
         confidential, body, search_key, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    };
}

const COLS: &str = "id, office_id, seq, at, actor_user_id, actor_name, category, object_kind, object_id, object_label, confidential, body, prev_hash, hash";

/// Ends a guarded one-row change: nothing changed means the row moved on meanwhile (`stale` on
/// `field`); otherwise its work-log entry goes in with it, in the same transaction.
pub(crate) async fn commit_guarded(
    mut tx: Transaction<'static, Any>,
    changed: u64,
    field: &'static str,
    log: Draft,
    now: i64,
) -> Result<()> {
    if changed == 0 {
        return Err(Error::Conflict { code: "stale", field: Some(field) });
    }
    append_tx(&mut tx, log, now).await?;
    tx.commit().await.map_err(map_err)
}

/// Appends `draft` as the next link of its office's chain. The head row is updated first, so
/// the row lock (PostgreSQL) or the write lock (SQLite, `BEGIN IMMEDIATE`) orders concurrent
/// appenders, including other server instances.
pub(crate) async fn append_tx(tx: &mut Transaction<'static, Any>, d: Draft, now: i64) -> Result<Entry> {
    let head: Option<(i64, String)> = sqlx::query_as("UPDATE worklog_heads SET seq = seq + 1 WHERE office_id = $1 RETURNING seq, hash")
        .bind(d.office_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?;
    let (seq, prev_hash) = match head {
        Some(h) => h,
        None => {
            sqlx::query("INSERT INTO worklog_heads (office_id, seq, hash) VALUES ($1, 1, $2)")
                .bind(d.office_id)
                .bind(GENESIS)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
            (1, GENESIS.to_string())
        }
    };
    let mut e = Entry {
        id: 0,
        office_id: d.office_id,
        seq,
        at_us: now,
        actor_user_id: d.actor_user_id,
        actor_name: d.actor_name,
        category: d.category,
        object: d.object,
        confidential: d.confidential,
        text: d.text,
        prev_hash,
        hash: String::new(),
    };
    e.hash = compute_hash(&e);
    let label = e.object.as_ref().map(|o| o.label.as_str()).unwrap_or("");
    let key = upravnik_core::text::search_key(&format!("{} {} {}", e.text, label, e.actor_name));
    // PostgreSQL records the new head hash in the same statement (a round trip less for every
    // state change); SQLite has no data-modifying WITH, and its statements cost no round trip.
    let postgres = crate::Backend::of(tx) == crate::Backend::Postgres;
    let sql = if postgres {
        concat!("WITH head AS (UPDATE worklog_heads SET hash = $14 WHERE office_id = $1) ", insert_entry!())
    } else {
        insert_entry!()
    };
    e.id = sqlx::query_scalar(sql)
        .bind(e.office_id)
        .bind(e.seq)
        .bind(e.at_us)
        .bind(e.actor_user_id)
        .bind(&e.actor_name)
        .bind(e.category.as_str())
        .bind(e.object.as_ref().map(|o| o.kind.clone()))
        .bind(e.object.as_ref().map(|o| o.id.clone()))
        .bind(e.object.as_ref().map(|o| o.label.clone()))
        .bind(flag(e.confidential))
        .bind(&e.text)
        .bind(&key)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .fetch_one(&mut **tx)
        .await
        .map_err(map_err)?;
    if !postgres {
        sqlx::query("UPDATE worklog_heads SET hash = $1 WHERE office_id = $2")
            .bind(&e.hash)
            .bind(e.office_id)
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
    }
    Ok(e)
}

/// Appends many entries of one office as consecutive links, with one head update and
/// multi-row inserts instead of three statements per entry (an import of 10,000 rows). The
/// head row is taken first, as in [`append_tx`], so concurrent appenders stay ordered.
pub(crate) async fn append_many_tx(tx: &mut Transaction<'static, Any>, drafts: Vec<Draft>, now: i64, rows_per_insert: usize) -> Result<()> {
    append_timed_tx(tx, drafts.into_iter().map(|d| (d, now)).collect(), rows_per_insert).await
}

/// [`append_many_tx`] with a time of its own for each entry (generated history).
pub(crate) async fn append_timed_tx(tx: &mut Transaction<'static, Any>, drafts: Vec<(Draft, i64)>, rows_per_insert: usize) -> Result<()> {
    let Some(office_id) = drafts.first().map(|(d, _)| d.office_id) else { return Ok(()) };
    if drafts.iter().any(|(d, _)| d.office_id != office_id) {
        return Err(Error::Storage("a batch of work-log entries spans offices".into()));
    }
    let n = i64::try_from(drafts.len()).map_err(|_| Error::Storage("too many work-log entries".into()))?;
    let head: Option<(i64, String)> = sqlx::query_as("UPDATE worklog_heads SET seq = seq + $1 WHERE office_id = $2 RETURNING seq, hash")
        .bind(n)
        .bind(office_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)?;
    let (mut seq, mut prev_hash) = match head {
        Some((end, hash)) => (end - n, hash),
        None => {
            sqlx::query("INSERT INTO worklog_heads (office_id, seq, hash) VALUES ($1, $2, $3)")
                .bind(office_id)
                .bind(n)
                .bind(GENESIS)
                .execute(&mut **tx)
                .await
                .map_err(map_err)?;
            (0, GENESIS.to_string())
        }
    };
    let mut entries = Vec::with_capacity(drafts.len());
    for (d, at_us) in drafts {
        seq += 1;
        let mut e = Entry {
            id: 0,
            office_id,
            seq,
            at_us,
            actor_user_id: d.actor_user_id,
            actor_name: d.actor_name,
            category: d.category,
            object: d.object,
            confidential: d.confidential,
            text: d.text,
            prev_hash: std::mem::take(&mut prev_hash),
            hash: String::new(),
        };
        e.hash = compute_hash(&e);
        prev_hash = e.hash.clone();
        entries.push(e);
    }
    // 14 values a row; at most 500 rows stay far below both databases' limits on bound values.
    let backend = crate::Backend::of(tx);
    for chunk in entries.chunks(rows_per_insert.clamp(1, 500)) {
        let sql = format!(
            "INSERT INTO worklog (office_id, seq, at, actor_user_id, actor_name, category, object_kind, object_id, object_label, \
             confidential, body, search_key, prev_hash, hash) VALUES {}",
            backend.tuples(chunk.len(), 14)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for e in chunk {
            let label = e.object.as_ref().map(|o| o.label.as_str()).unwrap_or("");
            let key = upravnik_core::text::search_key(&format!("{} {} {}", e.text, label, e.actor_name));
            q = q
                .bind(e.office_id)
                .bind(e.seq)
                .bind(e.at_us)
                .bind(e.actor_user_id)
                .bind(e.actor_name.clone())
                .bind(e.category.as_str())
                .bind(e.object.as_ref().map(|o| o.kind.clone()))
                .bind(e.object.as_ref().map(|o| o.id.clone()))
                .bind(e.object.as_ref().map(|o| o.label.clone()))
                .bind(flag(e.confidential))
                .bind(e.text.clone())
                .bind(key)
                .bind(e.prev_hash.clone())
                .bind(e.hash.clone());
        }
        q.execute(&mut **tx).await.map_err(map_err)?;
    }
    sqlx::query("UPDATE worklog_heads SET hash = $1 WHERE office_id = $2")
        .bind(&prev_hash)
        .bind(office_id)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

fn entry(r: &AnyRow, show_confidential: bool) -> Result<Entry> {
    let confidential = r.flag("confidential")?;
    let object = match (r.opt_text("object_kind")?, r.opt_text("object_id")?) {
        (Some(kind), Some(id)) => Some(ObjectRef { kind, id, label: r.opt_text("object_label")?.unwrap_or_default() }),
        _ => None,
    };
    Ok(Entry {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        seq: r.i64("seq")?,
        at_us: r.i64("at")?,
        actor_user_id: r.opt_i64("actor_user_id")?,
        actor_name: r.text("actor_name")?,
        category: Category::parse(&r.text("category")?).map_err(|_| Error::Storage("unknown work-log category".into()))?,
        object,
        confidential,
        text: if confidential && !show_confidential { String::new() } else { r.text("body")? },
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

impl SqlStore {
    pub(crate) async fn append_impl(&self, d: Draft, now: i64) -> Result<Entry> {
        let mut tx = self.begin_write().await?;
        let e = append_tx(&mut tx, d, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(e)
    }

    /// Newest first. Only the conditions asked for go into the SQL, so each filter gets a plan
    /// that uses its index; values are always bound, never spliced.
    pub(crate) async fn worklog_impl(&self, f: &Filter) -> Result<Vec<Entry>> {
        let key = f.text.as_deref().map(upravnik_core::text::search_key).unwrap_or_default();
        let search = if key.is_empty() { None } else { self.backend.worklog_search(&key) };
        let (from, order) = search.as_ref().map(|s| (s.from, s.order)).unwrap_or(("worklog w", "w.id"));
        // $1 is the office and $2 the cursor in every variant below.
        let mut conds = format!(" AND {order} < $2");
        let mut vals = vec![Arg::Int(f.office_id), Arg::Int(f.before_id.unwrap_or(i64::MAX))];
        let mut cond = |expr: &str, v: Arg| {
            vals.push(v);
            conds.push_str(&format!(" AND {expr} ${}", vals.len()));
        };
        if let Some(from) = f.from_us {
            cond("w.at >=", Arg::Int(from));
        }
        if let Some(to) = f.to_us {
            cond("w.at <", Arg::Int(to));
        }
        if let Some(c) = f.category {
            cond("w.category =", Arg::Text(c.as_str().into()));
        }
        if let Some(a) = f.actor_user_id {
            cond("w.actor_user_id =", Arg::Int(a));
        }
        if let Some(k) = f.object_kind.as_deref().filter(|s| !s.is_empty()) {
            cond("w.object_kind =", Arg::Text(k.into()));
        }
        if let Some(o) = f.object_id.as_deref().filter(|s| !s.is_empty()) {
            cond("w.object_id =", Arg::Text(o.into()));
        }
        if !key.is_empty() {
            if let Some((expr, v)) = search.as_ref().and_then(|s| s.matcher.clone()) {
                cond(expr, Arg::Text(v));
            }
            cond("w.search_key LIKE", Arg::Text(crate::rows::search(&f.text)));
            conds.push_str(" ESCAPE '\\'");
            if !f.include_confidential_text {
                // Searching must not reveal what a reader may not see.
                conds.push_str(" AND w.confidential = 0");
            }
        }
        vals.push(Arg::Int(i64::from(f.limit.max(1))));
        let tail = format!("{conds} ORDER BY {order} DESC LIMIT ${}", vals.len());
        let cols = COLS.split(", ").map(|c| format!("w.{c}")).collect::<Vec<_>>().join(", ");
        let run = |from: String| {
            bind_args(sqlx::query(AssertSqlSafe(format!("SELECT {cols} FROM {from} WHERE w.office_id = $1{tail}"))), &vals)
                .fetch_all(&self.pool)
        };
        if let Some(window) = search.as_ref().and_then(|s| s.recent_window) {
            // A common word fills the page from the newest entries at once; only when it does
            // not is the index asked (see `dialect::worklog_search`).
            let recent = format!("(SELECT * FROM worklog WHERE office_id = $1 AND id < $2 ORDER BY id DESC LIMIT {window}) w");
            let rows = run(recent).await.map_err(map_err)?;
            if rows.len() >= f.limit.max(1) as usize {
                return rows.iter().map(|r| entry(r, f.include_confidential_text)).collect();
            }
        }
        let rows = run(from.to_string()).await.map_err(map_err)?;
        rows.iter().map(|r| entry(r, f.include_confidential_text)).collect()
    }

    pub(crate) async fn worklog_entry_impl(&self, office_id: i64, id: i64) -> Result<Entry> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM worklog WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(|r| entry(r, true)).transpose()?.ok_or(Error::NotFound { what: "work-log entry" })
    }

    pub(crate) async fn chain_page_impl(&self, office_id: i64, after_seq: i64, limit: u32) -> Result<Vec<Entry>> {
        let rows =
            sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM worklog WHERE office_id = $1 AND seq > $2 ORDER BY seq LIMIT $3")))
                .bind(office_id)
                .bind(after_seq)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        rows.iter().map(|r| entry(r, true)).collect()
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        self.writer.begin_with(self.backend.begin_write()).await.map_err(map_err)
    }
}

impl SqlStore {
    /// Appends many entries in one transaction (benchmark data generator).
    pub async fn append_batch(&self, drafts: Vec<(Draft, i64)>) -> Result<()> {
        // As runs of links with one head update each (an append per entry updated the head row
        // every time: ~500 entries/s on PostgreSQL), in transactions of a few thousand entries.
        // A batch spans one office (the generator's), which append_timed_tx checks.
        let mut drafts = drafts.into_iter().peekable();
        while drafts.peek().is_some() {
            let run: Vec<(Draft, i64)> = drafts.by_ref().take(5_000).collect();
            let mut tx = self.begin_write().await?;
            append_timed_tx(&mut tx, run, self.backend.rows_per_insert()).await?;
            tx.commit().await.map_err(map_err)?;
        }
        Ok(())
    }

    /// Refreshes planner statistics after a bulk load: the benchmark data generator, and a
    /// PostgreSQL database `pg_restore` has just filled, which has none (checking a restored copy
    /// of 1,000,000 work-log entries read some pages of the chain at over a second each without).
    pub async fn analyze(&self) -> Result<()> {
        sqlx::raw_sql(self.backend.analyze()).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    /// The first office, created if there is none (benchmark data generator).
    pub async fn offices_for_generate(&self) -> Result<i64> {
        if let Some(o) = self.offices_impl().await?.first() {
            return Ok(o.id);
        }
        self.generate_office("Градска управа").await
    }

    /// A new office for generated data (`upravnik generate --scale national`).
    pub async fn generate_office(&self, name: &str) -> Result<i64> {
        let d = Draft {
            office_id: 0,
            actor_user_id: None,
            actor_name: "upravnik".into(),
            category: Category::ConfigurationChange,
            object: None,
            confidential: false,
            text: "Основана евиденција (генератор)".into(),
        };
        Ok(self.create_office_impl(name, d, jiff::Timestamp::now().as_microsecond()).await?.id)
    }
}
