//! Equipment import: uploads kept between the pages' steps, and the commit that writes a whole
//! file in one transaction with multi-row inserts (10,000 rows in a few seconds on both databases).

use crate::SqlStore;
use crate::assets::{COLS, FIELD_COLS, asset, bind_fields, conflict, history_rows, record_label};
use crate::rows::{Get, map_err};
use crate::worklog::{append_many_tx, append_tx};
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use upravnik_core::asset::{Asset, AssetFields};
use upravnik_core::import::{ImportBatch, ImportOutcome, ImportUpload};
use upravnik_core::worklog::ObjectRef;
use upravnik_core::{Error, Result};

impl SqlStore {
    pub(crate) async fn office_assets_impl(&self, office_id: i64) -> Result<Vec<Asset>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM assets WHERE office_id = $1 ORDER BY id")))
            .bind(office_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(asset).collect()
    }

    pub(crate) async fn save_import_upload_impl(&self, u: &ImportUpload, stale_before_us: i64) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM asset_imports WHERE created_at < $1").bind(stale_before_us).execute(&mut *tx).await.map_err(map_err)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO asset_imports (office_id, user_id, filename, sha256, content, mapping, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(u.office_id)
        .bind(u.user_id)
        .bind(&u.filename)
        .bind(&u.sha256)
        .bind(u.content.clone())
        .bind(&u.mapping)
        .bind(u.created_us)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(id)
    }

    pub(crate) async fn import_upload_impl(&self, office_id: i64, id: i64) -> Result<ImportUpload> {
        let r = sqlx::query(
            "SELECT id, office_id, user_id, filename, sha256, content, mapping, created_at FROM asset_imports WHERE office_id = $1 AND id = $2",
        )
        .bind(office_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "import" })?;
        Ok(ImportUpload {
            id: r.i64("id")?,
            office_id: r.i64("office_id")?,
            user_id: r.i64("user_id")?,
            filename: r.text("filename")?,
            sha256: r.text("sha256")?,
            content: r.try_get::<Vec<u8>, _>("content").map_err(map_err)?,
            mapping: r.text("mapping")?,
            created_us: r.i64("created_at")?,
        })
    }

    pub(crate) async fn set_import_mapping_impl(&self, office_id: i64, id: i64, mapping: &str) -> Result<()> {
        let n = sqlx::query("UPDATE asset_imports SET mapping = $1 WHERE office_id = $2 AND id = $3")
            .bind(mapping)
            .bind(office_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "import" });
        }
        Ok(())
    }

    pub(crate) async fn import_assets_impl(&self, office_id: i64, batch: ImportBatch, now: i64) -> Result<ImportOutcome> {
        let mut tx = self.begin_write().await?;
        if let Some(upload) = batch.upload_id {
            // Taken first: a second commit of the same upload (another tab, another instance)
            // finds it gone and writes nothing.
            let n = sqlx::query("DELETE FROM asset_imports WHERE office_id = $1 AND id = $2")
                .bind(office_id)
                .bind(upload)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            if n.rows_affected() == 0 {
                return Err(Error::NotFound { what: "import" });
            }
        }
        let mut outcome = ImportOutcome::default();
        let mut logs = Vec::with_capacity(batch.creates.len() + batch.updates.len());
        let highest = batch.creates.iter().map(|(f, _)| f.label).chain(batch.updates.iter().map(|u| u.fields.label)).flatten().max();
        // 24 values a row; at most 400 rows stay below both databases' limits on bound values.
        let rows_per_insert = self.backend.rows_per_insert();
        for chunk in batch.creates.chunks(rows_per_insert) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", self.backend.placeholders(i * 24 + 1, 24))).collect();
            let sql = format!(
                "INSERT INTO assets (office_id, status, created_at, updated_at, {FIELD_COLS}) VALUES {} RETURNING id, inventory_number",
                values.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (f, _) in chunk {
                q = bind_fields!(q.bind(office_id).bind("in_stock").bind(now).bind(now), f);
            }
            let rows = q.fetch_all(&mut *tx).await.map_err(|e| conflict(map_err(e)))?;
            // RETURNING does not promise the order of VALUES: match by inventory number.
            let mut ids: HashMap<String, i64> = HashMap::with_capacity(rows.len());
            for r in &rows {
                ids.insert(r.text("inventory_number")?, r.i64("id")?);
            }
            for (f, log) in chunk {
                let id = *ids.get(&f.inventory_number).ok_or_else(|| Error::Storage("imported asset without an id".into()))?;
                let mut log = log.clone();
                log.object = Some(ObjectRef::new("asset", id, &f.inventory_number));
                logs.push(log);
                outcome.created.push(id);
            }
        }
        let update_sql = crate::assets::update_fields_sql("");
        for u in &batch.updates {
            let q = bind_fields!(sqlx::query(AssertSqlSafe(update_sql.clone())), &u.fields);
            let n = q.bind(now).bind(u.id).bind(office_id).execute(&mut *tx).await.map_err(|e| conflict(map_err(e)))?;
            if n.rows_affected() == 0 {
                return Err(Error::NotFound { what: "asset" });
            }
            history_rows(&mut tx, u.id, &u.changes, &u.log, now).await?;
            logs.push(u.log.clone());
            outcome.updated.push(u.id);
        }
        record_label(&mut tx, office_id, highest).await?;
        append_many_tx(&mut tx, logs, now, rows_per_insert).await?;
        outcome.worklog_id = append_tx(&mut tx, batch.summary, now).await?.id;
        tx.commit().await.map_err(map_err)?;
        Ok(outcome)
    }
}
