//! The catalogue of applications and their roles (R.17, P.5.1).

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::applications::{AppKind, Application, ApplicationFields};
use upravnik_core::org::{ListQuery, Page};
use upravnik_core::text::{like_pattern, search_key};
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

const COLS: &str = "id, name, kind, description, roles, active, created_at, updated_at";

fn application(r: &AnyRow) -> Result<Application> {
    let kind = r.text("kind")?;
    Ok(Application {
        id: r.i64("id")?,
        name: r.text("name")?,
        kind: AppKind::parse(&kind).ok_or_else(|| Error::Storage(format!("application kind {kind}")))?,
        description: r.text("description")?,
        roles: r.text("roles")?.split('\n').filter(|l| !l.is_empty()).map(str::to_string).collect(),
        active: r.flag("active")?,
        created_us: r.i64("created_at")?,
        updated_us: r.i64("updated_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn list_applications_impl(&self, q: &ListQuery) -> Result<Page<Application>> {
        let mut filter = String::from("WHERE office_id = $1");
        if !q.include_inactive {
            filter.push_str(" AND active = 1");
        }
        if q.q.is_some() {
            filter.push_str(" AND search_key LIKE $2 ESCAPE '\\'");
        }
        let per_page = q.per_page.clamp(1, 500);
        let offset = i64::from(q.page.max(1) - 1) * i64::from(per_page);
        let dir = if q.desc { "DESC" } else { "ASC" };
        let order = match q.sort {
            upravnik_core::org::SortKey::Created => format!("created_at {dir}, id {dir}"),
            _ => format!("name_key {dir}, id {dir}"),
        };
        let list = format!("SELECT {COLS} FROM applications {filter} ORDER BY {order} LIMIT {per_page} OFFSET {offset}");
        let count = format!("SELECT COUNT(*) FROM applications {filter}");
        let pattern = q.q.as_deref().map(like_pattern);
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(list)).bind(q.office_id);
        let mut total = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count)).bind(q.office_id);
        if let Some(p) = &pattern {
            rows = rows.bind(p.clone());
            total = total.bind(p.clone());
        }
        let items = rows.fetch_all(&self.pool).await.map_err(map_err)?.iter().map(application).collect::<Result<Vec<_>>>()?;
        let total = total.fetch_one(&self.pool).await.map_err(map_err)?;
        Ok(Page { items, total, page: q.page.max(1), per_page })
    }

    pub(crate) async fn get_application_impl(&self, office_id: i64, id: i64) -> Result<Application> {
        let sql = format!("SELECT {COLS} FROM applications WHERE office_id = $1 AND id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(office_id).bind(id).fetch_optional(&self.pool).await.map_err(map_err)?;
        row.as_ref().map(application).transpose()?.ok_or(Error::NotFound { what: "application" })
    }

    pub(crate) async fn create_application_impl(
        &self,
        office_id: i64,
        f: &ApplicationFields,
        now: i64,
        mut log: Draft,
    ) -> Result<Application> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (office_id, name, name_key, kind, description, roles, search_key, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
        )
        .bind(office_id)
        .bind(&f.name)
        .bind(search_key(&f.name))
        .bind(f.kind.as_str())
        .bind(&f.description)
        .bind(f.roles.join("\n"))
        .bind(f.search_key())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        log.object.get_or_insert_with(|| ObjectRef::new("application", id, &f.name));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_application_impl(office_id, id).await
    }

    pub(crate) async fn update_application_impl(
        &self,
        office_id: i64,
        id: i64,
        f: &ApplicationFields,
        now: i64,
        log: Draft,
    ) -> Result<Application> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE applications SET name = $1, name_key = $2, kind = $3, description = $4, roles = $5, search_key = $6, updated_at = $7 \
             WHERE office_id = $8 AND id = $9",
        )
        .bind(&f.name)
        .bind(search_key(&f.name))
        .bind(f.kind.as_str())
        .bind(&f.description)
        .bind(f.roles.join("\n"))
        .bind(f.search_key())
        .bind(now)
        .bind(office_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if n == 0 {
            return Err(Error::NotFound { what: "application" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_application_impl(office_id, id).await
    }

    pub(crate) async fn set_application_active_impl(
        &self,
        office_id: i64,
        id: i64,
        active: bool,
        now: i64,
        log: Draft,
    ) -> Result<Application> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE applications SET active = $1, updated_at = $2 WHERE office_id = $3 AND id = $4")
            .bind(flag(active))
            .bind(now)
            .bind(office_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_application_impl(office_id, id).await
    }
}
