//! Saved filters of the lists.

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::saved_filter::{SavedFilter, SavedFilterInput};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

const COLS: &str = "f.id, f.user_id, p.given_name, p.family_name, f.page, f.name, f.query, f.shared, f.created_at \
     FROM saved_filters f JOIN users u ON u.id = f.user_id JOIN people p ON p.id = u.person_id";

fn saved(r: &AnyRow) -> Result<SavedFilter> {
    Ok(SavedFilter {
        id: r.i64("id")?,
        user_id: r.i64("user_id")?,
        owner_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
        page: r.text("page")?,
        name: r.text("name")?,
        query: r.text("query")?,
        shared: r.flag("shared")?,
        created_us: r.i64("created_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn saved_filters_impl(&self, office_id: i64, user_id: i64, page: &str, shared: bool) -> Result<Vec<SavedFilter>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} WHERE f.office_id = $1 AND f.page = $2 AND (f.user_id = $3 OR ($4 = 1 AND f.shared = 1)) \
             ORDER BY CASE WHEN f.user_id = $3 THEN 0 ELSE 1 END, f.name, f.id LIMIT 200"
        )))
        .bind(office_id)
        .bind(page)
        .bind(user_id)
        .bind(flag(shared))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(saved).collect()
    }

    pub(crate) async fn saved_filter_impl(&self, office_id: i64, id: i64) -> Result<SavedFilter> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} WHERE f.office_id = $1 AND f.id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(saved).transpose()?.ok_or(Error::NotFound { what: "saved_filter" })
    }

    pub(crate) async fn create_saved_filter_impl(
        &self,
        office_id: i64,
        user_id: i64,
        f: &SavedFilterInput,
        now: i64,
        log: Draft,
    ) -> Result<SavedFilter> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO saved_filters (office_id, user_id, page, name, query, shared, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(office_id)
        .bind(user_id)
        .bind(&f.page)
        .bind(&f.name)
        .bind(&f.query)
        .bind(flag(f.shared))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.saved_filter_impl(office_id, id).await
    }

    pub(crate) async fn delete_saved_filter_impl(&self, office_id: i64, user_id: i64, id: i64, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM saved_filters WHERE id = $1 AND office_id = $2 AND user_id = $3")
            .bind(id)
            .bind(office_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "saved_filter" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }
}
