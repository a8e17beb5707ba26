//! Account requests (R.19, Prilog 2) and the accesses they grant.

use crate::SqlStore;
use crate::report_forms::next_number;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::account_requests::{AccountRequest, Grant, RequestItem, RequestKind, RequestState};
use upravnik_core::account_requests_service::{CarryOut, NewAccountRequest, RequestQuery};
use upravnik_core::clock::Micros;
use upravnik_core::helpdesk::NUMBER_SLOT;
use upravnik_core::org::Page;
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

const COLS: &str = "r.id, r.number, r.kind, r.state, r.person_id, p.given_name, p.family_name, r.unit_name, r.workplace_name, r.internet, \
                    r.social, r.social_approved_by_name, r.social_approved_at, r.note, r.requested_by_name, r.requested_at, r.done_by_name, r.done_at, r.username, r.setup_note, r.software, r.rejected_reason";

fn request(r: &AnyRow, items: Vec<RequestItem>) -> Result<AccountRequest> {
    let kind = r.text("kind")?;
    let state = r.text("state")?;
    Ok(AccountRequest {
        id: r.i64("id")?,
        number: r.text("number")?,
        kind: RequestKind::parse(&kind).ok_or_else(|| Error::Storage(format!("request kind {kind}")))?,
        state: RequestState::parse(&state).ok_or_else(|| Error::Storage(format!("request state {state}")))?,
        person_id: r.i64("person_id")?,
        person_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
        unit_name: r.text("unit_name")?,
        workplace_name: r.text("workplace_name")?,
        items,
        internet: r.flag("internet")?,
        social: r.flag("social")?,
        social_approved_by: r.opt_text("social_approved_by_name")?,
        social_approved_us: r.opt_i64("social_approved_at")?,
        note: r.text("note")?,
        requested_by: r.text("requested_by_name")?,
        requested_us: r.i64("requested_at")?,
        done_by: r.opt_text("done_by_name")?,
        done_us: r.opt_i64("done_at")?,
        username: r.opt_text("username")?,
        setup_note: r.text("setup_note")?,
        software: r.text("software")?,
        rejected_reason: r.text("rejected_reason")?,
    })
}

impl SqlStore {
    async fn request_items(&self, ids: &[i64]) -> Result<Vec<(i64, RequestItem)>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let marks = crate::dialect::numbered(1, ids.len());
        let sql = format!(
            "SELECT request_id, application_id, application_name, role FROM account_request_items WHERE request_id IN ({marks}) \
             ORDER BY request_id, position"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in ids {
            q = q.bind(*id);
        }
        let rows = q.fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.i64("request_id")?,
                    RequestItem {
                        application_id: r.i64("application_id")?,
                        application_name: r.text("application_name")?,
                        role: r.text("role")?,
                    },
                ))
            })
            .collect()
    }

    pub(crate) async fn account_requests_impl(&self, q: &RequestQuery) -> Result<Page<AccountRequest>> {
        let mut filter = String::from("WHERE r.office_id = $1");
        let mut n = 1;
        if q.state.is_some() {
            n += 1;
            filter.push_str(&format!(" AND r.state = ${n}"));
        }
        if q.unit_id.is_some() {
            n += 1;
            filter.push_str(&format!(" AND (r.unit_id = ${n} OR r.unit_id IN (SELECT id FROM org_units WHERE parent_id = ${n}))"));
        }
        if q.person_id.is_some() {
            n += 1;
            filter.push_str(&format!(" AND r.person_id = ${n}"));
        }
        if q.filed_before.is_some() {
            n += 1;
            filter.push_str(&format!(" AND r.requested_at < ${n}"));
        }
        let per_page = q.per_page.clamp(1, 200);
        let offset = i64::from(q.page.max(1) - 1) * i64::from(per_page);
        let from = "FROM account_requests r JOIN people p ON p.id = r.person_id";
        let list = format!("SELECT {COLS} {from} {filter} ORDER BY r.id DESC LIMIT {per_page} OFFSET {offset}");
        let count = format!("SELECT COUNT(*) {from} {filter}");
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(list)).bind(q.office_id);
        let mut total = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count)).bind(q.office_id);
        if let Some(s) = q.state {
            rows = rows.bind(s.as_str());
            total = total.bind(s.as_str());
        }
        if let Some(u) = q.unit_id {
            rows = rows.bind(u);
            total = total.bind(u);
        }
        if let Some(p) = q.person_id {
            rows = rows.bind(p);
            total = total.bind(p);
        }
        if let Some(t) = q.filed_before {
            rows = rows.bind(t);
            total = total.bind(t);
        }
        let rows = rows.fetch_all(&self.pool).await.map_err(map_err)?;
        let total = total.fetch_one(&self.pool).await.map_err(map_err)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.i64("id")).collect::<Result<_>>()?;
        let items = self.request_items(&ids).await?;
        let list = rows
            .iter()
            .map(|r| {
                let id = r.i64("id")?;
                request(r, items.iter().filter(|(rid, _)| *rid == id).map(|(_, i)| i.clone()).collect())
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items: list, total, page: q.page.max(1), per_page })
    }

    pub(crate) async fn get_account_request_impl(&self, office_id: i64, id: i64) -> Result<AccountRequest> {
        let sql = format!("SELECT {COLS} FROM account_requests r JOIN people p ON p.id = r.person_id WHERE r.office_id = $1 AND r.id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "account_request" })?;
        let items = self.request_items(&[id]).await?.into_iter().map(|(_, i)| i).collect();
        request(&row, items)
    }

    pub(crate) async fn create_account_request_impl(
        &self,
        office_id: i64,
        r: &NewAccountRequest,
        now: Micros,
        mut log: Draft,
    ) -> Result<AccountRequest> {
        let mut tx = self.begin_write().await?;
        let number = next_number(&mut tx, office_id, r.prefix, r.year).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO account_requests (office_id, number, kind, state, person_id, unit_id, unit_name, workplace_name, internet, note, \
             requested_by_user_id, requested_by_name, requested_at, updated_at, social) \
             VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13) RETURNING id",
        )
        .bind(office_id)
        .bind(&number)
        .bind(r.kind.as_str())
        .bind(r.person_id)
        .bind(r.unit_id)
        .bind(&r.unit_name)
        .bind(&r.workplace_name)
        .bind(flag(r.internet))
        .bind(&r.note)
        .bind(r.requested_by_user_id)
        .bind(&r.requested_by)
        .bind(now)
        .bind(flag(r.social))
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for (pos, (app, name, role)) in r.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO account_request_items (request_id, position, application_id, application_name, role) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(i64::try_from(pos).unwrap_or(0))
            .bind(*app)
            .bind(name)
            .bind(role)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        log.text = log.text.replace(NUMBER_SLOT, &number);
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_account_request_impl(office_id, id).await
    }

    pub(crate) async fn person_grants_impl(&self, office_id: i64, person_id: i64) -> Result<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT g.id, g.application_id, g.application_name, g.role, g.granted_at, r.number FROM access_grants g \
             JOIN account_requests r ON r.id = g.granted_request_id \
             WHERE g.office_id = $1 AND g.person_id = $2 AND g.revoked_at IS NULL ORDER BY g.application_name, g.role, g.id",
        )
        .bind(office_id)
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Grant {
                    id: r.i64("id")?,
                    application_id: r.i64("application_id")?,
                    application_name: r.text("application_name")?,
                    role: r.text("role")?,
                    granted_us: r.i64("granted_at")?,
                    request_number: r.text("number")?,
                })
            })
            .collect()
    }

    pub(crate) async fn carry_out_account_request_impl(
        &self,
        office_id: i64,
        id: i64,
        c: &CarryOut,
        now: Micros,
        log: Draft,
    ) -> Result<AccountRequest> {
        let mut tx = self.begin_write().await?;
        let person_id: Option<i64> = sqlx::query_scalar(
            "UPDATE account_requests SET state = 'done', done_by_name = $1, done_at = $2, username = $3, setup_note = $4, software = $5, \
             updated_at = $2 WHERE office_id = $6 AND id = $7 AND state = 'submitted' RETURNING person_id",
        )
        .bind(&c.done_by)
        .bind(now)
        .bind(c.username.as_deref())
        .bind(&c.setup_note)
        .bind(&c.software)
        .bind(office_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some(person_id) = person_id else {
            return Err(Error::Conflict { code: "request_changed", field: None });
        };
        for g in &c.revoke {
            sqlx::query(
                "UPDATE access_grants SET revoked_request_id = $1, revoked_at = $2 WHERE office_id = $3 AND id = $4 AND person_id = $5 AND revoked_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .bind(office_id)
            .bind(*g)
            .bind(person_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        for (app, name, role) in &c.grant {
            sqlx::query(
                "INSERT INTO access_grants (office_id, person_id, application_id, application_name, role, granted_request_id, granted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(office_id)
            .bind(person_id)
            .bind(*app)
            .bind(name)
            .bind(role)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_account_request_impl(office_id, id).await
    }

    pub(crate) async fn reject_account_request_impl(
        &self,
        office_id: i64,
        id: i64,
        reason: &str,
        now: Micros,
        log: Draft,
    ) -> Result<AccountRequest> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE account_requests SET state = 'rejected', rejected_reason = $1, updated_at = $2 WHERE office_id = $3 AND id = $4 AND state = 'submitted'",
        )
        .bind(reason)
        .bind(now)
        .bind(office_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if n == 0 {
            return Err(Error::Conflict { code: "request_changed", field: None });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_account_request_impl(office_id, id).await
    }
}

impl SqlStore {
    pub(crate) async fn approve_social_networks_impl(
        &self,
        office_id: i64,
        id: i64,
        by: &str,
        now: Micros,
        log: Draft,
    ) -> Result<AccountRequest> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE account_requests SET social_approved_by_name = $1, social_approved_at = $2, updated_at = $2 \
             WHERE office_id = $3 AND id = $4 AND state = 'submitted' AND social = 1 AND social_approved_at IS NULL",
        )
        .bind(by)
        .bind(now)
        .bind(office_id)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if n == 0 {
            return Err(Error::Conflict { code: "request_changed", field: None });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_account_request_impl(office_id, id).await
    }
}
