//! Components and installed software of an asset (R.11): rows are marked removed, never deleted.

use crate::SqlStore;
use crate::assets::history_rows;
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use upravnik_core::asset::FieldChange;
use upravnik_core::parts::{ComponentKind, Part, PartFields, PartKind, PartSource};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

pub(crate) const COMPONENT_COLS: &str = "id, asset_id, source, added_at, removed_at, kind, manufacturer, model, serial, capacity, note";
pub(crate) const SOFTWARE_COLS: &str = "id, asset_id, source, added_at, removed_at, name, version, publisher, installed_on";

pub(crate) fn table(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Component => "asset_components",
        PartKind::Software => "asset_software",
    }
}

pub(crate) fn part(r: &AnyRow, software: bool) -> Result<Part> {
    let bad = |what: &str| Error::Storage(format!("unknown part {what} in the database"));
    let fields = if software {
        PartFields::Software {
            name: r.text("name")?,
            version: r.text("version")?,
            publisher: r.text("publisher")?,
            installed_on: r.opt_text("installed_on")?,
        }
    } else {
        PartFields::Component {
            kind: ComponentKind::parse(&r.text("kind")?).ok_or_else(|| bad("kind"))?,
            manufacturer: r.text("manufacturer")?,
            model: r.text("model")?,
            serial: r.text("serial")?,
            capacity: r.text("capacity")?,
            note: r.text("note")?,
        }
    };
    Ok(Part {
        id: r.i64("id")?,
        asset_id: r.i64("asset_id")?,
        source: PartSource::parse(&r.text("source")?).ok_or_else(|| bad("source"))?,
        added_us: r.i64("added_at")?,
        removed_us: r.opt_i64("removed_at")?,
        fields,
    })
}

/// The part's own columns and values, in one order for inserts and updates.
pub(crate) fn values(f: &PartFields) -> (&'static [&'static str], Vec<Option<String>>) {
    let (cols, v) = value_refs(f);
    (cols, v.into_iter().map(|v| v.map(str::to_string)).collect())
}

/// [`values`], borrowed (for a batch written as JSON, see `Backend::json_rows`).
pub(crate) fn value_refs(f: &PartFields) -> (&'static [&'static str], Vec<Option<&str>>) {
    match f {
        PartFields::Component { kind, manufacturer, model, serial, capacity, note } => (
            &["kind", "manufacturer", "model", "serial", "capacity", "note"],
            vec![Some(kind.as_str()), Some(manufacturer), Some(model), Some(serial), Some(capacity), Some(note)],
        ),
        PartFields::Software { name, version, publisher, installed_on } => {
            (&["name", "version", "publisher", "installed_on"], vec![Some(name), Some(version), Some(publisher), installed_on.as_deref()])
        }
    }
}

impl SqlStore {
    pub(crate) async fn asset_parts_impl(&self, office_id: i64, asset_id: i64) -> Result<Vec<Part>> {
        let mut out = vec![];
        for (cols, table, software) in [(COMPONENT_COLS, "asset_components", false), (SOFTWARE_COLS, "asset_software", true)] {
            let rows = sqlx::query(AssertSqlSafe(format!(
                "SELECT {cols} FROM {table} WHERE office_id = $1 AND asset_id = $2 ORDER BY removed_at IS NOT NULL, id"
            )))
            .bind(office_id)
            .bind(asset_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
            for r in &rows {
                out.push(part(r, software)?);
            }
        }
        Ok(out)
    }

    async fn part_impl(&self, office_id: i64, asset_id: i64, kind: PartKind, id: i64) -> Result<Part> {
        let parts = self.asset_parts_impl(office_id, asset_id).await?;
        parts.into_iter().find(|p| p.id == id && p.fields.kind() == kind).ok_or(Error::NotFound { what: "part" })
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_part_impl(
        &self,
        office_id: i64,
        asset_id: i64,
        f: &PartFields,
        source: PartSource,
        change: &FieldChange,
        now: i64,
        log: Draft,
    ) -> Result<Part> {
        let (cols, vals) = values(f);
        let params = crate::dialect::numbered(5, cols.len());
        let sql = format!(
            "INSERT INTO {} (office_id, asset_id, source, added_at, {}) VALUES ($1, $2, $3, $4, {}) RETURNING id",
            table(f.kind()),
            cols.join(", "),
            params
        );
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::query_scalar(AssertSqlSafe(sql)).bind(office_id).bind(asset_id).bind(source.as_str()).bind(now);
        for v in vals {
            q = q.bind(v);
        }
        let id: i64 = q.fetch_one(&mut *tx).await.map_err(map_err)?;
        history_rows(&mut tx, asset_id, std::slice::from_ref(change), &log, now).await?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.part_impl(office_id, asset_id, f.kind(), id).await
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn update_part_impl(
        &self,
        office_id: i64,
        asset_id: i64,
        id: i64,
        f: &PartFields,
        change: &FieldChange,
        now: i64,
        log: Draft,
    ) -> Result<Part> {
        let (cols, vals) = values(f);
        let n = cols.len();
        let set: Vec<String> = cols.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ${} AND asset_id = ${} AND office_id = ${} AND removed_at IS NULL",
            table(f.kind()),
            set.join(", "),
            n + 1,
            n + 2,
            n + 3
        );
        let mut tx = self.begin_write().await?;
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in vals {
            q = q.bind(v);
        }
        let done = q.bind(id).bind(asset_id).bind(office_id).execute(&mut *tx).await.map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound { what: "part" });
        }
        history_rows(&mut tx, asset_id, std::slice::from_ref(change), &log, now).await?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.part_impl(office_id, asset_id, f.kind(), id).await
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn remove_part_impl(
        &self,
        office_id: i64,
        asset_id: i64,
        kind: PartKind,
        id: i64,
        change: &FieldChange,
        now: i64,
        log: Draft,
    ) -> Result<()> {
        let table = table(kind);
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET removed_at = $1 WHERE id = $2 AND asset_id = $3 AND office_id = $4 AND removed_at IS NULL"
        )))
        .bind(now)
        .bind(id)
        .bind(asset_id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound { what: "part" });
        }
        history_rows(&mut tx, asset_id, std::slice::from_ref(change), &log, now).await?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }
}
