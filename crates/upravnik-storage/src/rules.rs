//! The rules of work and their acceptance (R.19, Prilog 3): versions per office, one acceptance
//! per person and version.

use crate::SqlStore;
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::clock::Micros;
use upravnik_core::org::Page;
use upravnik_core::rules::{Acceptance, AcceptanceList, AcceptanceQuery, AcceptanceRow, AcceptedBy, RulesVersion};
use upravnik_core::text::like_pattern;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

fn version(r: &AnyRow) -> Result<RulesVersion> {
    Ok(RulesVersion {
        id: r.i64("id")?,
        version: r.i64("version")?,
        title: r.text("title")?,
        body: r.text("body")?,
        published_by: r.text("published_by_name")?,
        published_us: r.i64("published_at")?,
    })
}

fn acceptance(r: &AnyRow) -> Result<Option<Acceptance>> {
    let Some(how) = r.opt_text("how")? else { return Ok(None) };
    Ok(Some(Acceptance {
        how: AcceptedBy::parse(&how).ok_or_else(|| Error::Storage(format!("acceptance kind {how}")))?,
        signed_on: r.text("signed_on")?,
        recorded_by: r.text("recorded_by_name")?,
        accepted_us: r.i64("accepted_at")?,
    }))
}

const VERSION_COLS: &str = "id, version, title, body, published_by_name, published_at";

impl SqlStore {
    pub(crate) async fn current_rules_impl(&self, office_id: i64) -> Result<Option<RulesVersion>> {
        let sql = format!("SELECT {VERSION_COLS} FROM rules_versions WHERE office_id = $1 ORDER BY version DESC LIMIT 1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(office_id).fetch_optional(&self.pool).await.map_err(map_err)?;
        row.as_ref().map(version).transpose()
    }

    pub(crate) async fn publish_rules_impl(
        &self,
        office_id: i64,
        title: &str,
        body: &str,
        by: &str,
        now: Micros,
        mut log: Draft,
    ) -> Result<RulesVersion> {
        let mut tx = self.begin_write().await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM rules_versions WHERE office_id = $1")
            .bind(office_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rules_versions (office_id, version, title, body, published_by_name, published_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(office_id)
        .bind(next)
        .bind(title)
        .bind(body)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        log.object.get_or_insert_with(|| ObjectRef::new("rules", id, format!("верзија {next}")));
        log.text.push_str(&format!(", верзија {next}"));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(RulesVersion {
            id,
            version: next,
            title: title.to_string(),
            body: body.to_string(),
            published_by: by.to_string(),
            published_us: now,
        })
    }

    pub(crate) async fn rules_acceptance_impl(&self, version_id: i64, person_id: i64) -> Result<Option<Acceptance>> {
        let row = sqlx::query(
            "SELECT how, signed_on, recorded_by_name, accepted_at FROM rules_acceptances WHERE version_id = $1 AND person_id = $2",
        )
        .bind(version_id)
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        match row {
            Some(r) => acceptance(&r),
            None => Ok(None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn accept_rules_impl(
        &self,
        office_id: i64,
        version_id: i64,
        person_id: i64,
        how: AcceptedBy,
        signed_on: &str,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO rules_acceptances (office_id, version_id, person_id, how, signed_on, recorded_by_name, accepted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version_id, person_id) DO NOTHING",
        )
        .bind(office_id)
        .bind(version_id)
        .bind(person_id)
        .bind(how.as_str())
        .bind(signed_on)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    pub(crate) async fn rules_acceptances_impl(&self, q: &AcceptanceQuery) -> Result<AcceptanceList> {
        // $1 office, $2 version; the filters follow in order.
        let mut filter = String::from("WHERE p.office_id = $1 AND p.active = 1");
        let mut n = 2;
        if q.missing_only {
            filter.push_str(" AND a.id IS NULL");
        }
        if q.unit_id.is_some() {
            n += 1;
            filter.push_str(&format!(" AND p.unit_id = ${n}"));
        }
        if q.q.is_some() {
            n += 1;
            filter.push_str(&format!(" AND p.search_key LIKE ${n} ESCAPE '\\'"));
        }
        let from = "FROM people p LEFT JOIN rules_acceptances a ON a.person_id = p.id AND a.version_id = $2 \
                    LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN workplaces w ON w.id = p.workplace_id";
        let per_page = q.per_page.clamp(1, 500);
        let offset = i64::from(q.page.max(1) - 1) * i64::from(per_page);
        let list = format!(
            "SELECT p.id, p.given_name, p.family_name, u.name AS unit_name, w.name AS workplace_name, \
             a.how, a.signed_on, a.recorded_by_name, a.accepted_at {from} {filter} \
             ORDER BY p.family_name, p.given_name, p.id LIMIT {per_page} OFFSET {offset}"
        );
        let count = format!("SELECT COUNT(*), SUM(CASE WHEN a.id IS NULL THEN 0 ELSE 1 END) {from} {filter}");
        let pattern = q.q.as_deref().map(like_pattern);
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(list)).bind(q.office_id).bind(q.version_id);
        let mut total = sqlx::query_as::<_, (i64, Option<i64>)>(sqlx::AssertSqlSafe(count)).bind(q.office_id).bind(q.version_id);
        if let Some(u) = q.unit_id {
            rows = rows.bind(u);
            total = total.bind(u);
        }
        if let Some(p) = &pattern {
            rows = rows.bind(p.clone());
            total = total.bind(p.clone());
        }
        let rows = rows.fetch_all(&self.pool).await.map_err(map_err)?;
        let (total, _) = total.fetch_one(&self.pool).await.map_err(map_err)?;
        let (people, accepted) = self.rules_acceptance_totals_impl(q.office_id, q.version_id).await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(AcceptanceRow {
                    person_id: r.i64("id")?,
                    full_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
                    unit_name: r.opt_text("unit_name")?,
                    workplace_name: r.opt_text("workplace_name")?,
                    acceptance: acceptance(r)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AcceptanceList { rows: Page { items, total, page: q.page.max(1), per_page }, accepted, people })
    }

    /// (active people of the office, those of them who accepted the version).
    pub(crate) async fn rules_acceptance_totals_impl(&self, office_id: i64, version_id: i64) -> Result<(i64, i64)> {
        let (people, accepted): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), SUM(CASE WHEN a.id IS NULL THEN 0 ELSE 1 END) FROM people p \
             LEFT JOIN rules_acceptances a ON a.person_id = p.id AND a.version_id = $2 WHERE p.office_id = $1 AND p.active = 1",
        )
        .bind(office_id)
        .bind(version_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok((people, accepted.unwrap_or(0)))
    }
}
