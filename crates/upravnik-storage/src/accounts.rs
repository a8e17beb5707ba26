//! Offices, accounts and roles, sign-in throttling, sessions and API tokens.

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use upravnik_core::access::{Actor, Role};
use upravnik_core::org::{ListQuery, Office, Page, SortKey};
use upravnik_core::ports::{Account, ApiToken, LoginRecord, NewAccount, SessionRecord};
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

/// An account's columns; [`ACCOUNT_COLS`] with its tables.
macro_rules! account_fields {
    () => {
        "us.id, us.person_id, us.office_id, us.username, us.active, us.locale, us.password_changed_at, us.directory_dn, pe.given_name, pe.family_name"
    };
}
const ACCOUNT_FIELDS: &str = account_fields!();
const ACCOUNT_COLS: &str = concat!(account_fields!(), " FROM users us JOIN people pe ON pe.id = us.person_id");

impl SqlStore {
    pub(crate) async fn offices_impl(&self) -> Result<Vec<Office>> {
        let rows = sqlx::query("SELECT id, name FROM offices ORDER BY id").fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(|r| Ok(Office { id: r.i64("id")?, name: r.text("name")? })).collect()
    }

    pub(crate) async fn create_office_impl(&self, name: &str, mut d: Draft, now: i64) -> Result<Office> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO offices (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
        d.office_id = id;
        d.object = Some(ObjectRef::new("office", id, name));
        append_tx(&mut tx, d, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(Office { id, name: name.to_string() })
    }

    async fn roles_of(&self, user_id: i64) -> Result<Vec<Role>> {
        let names: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n).ok()).collect();
        roles.sort();
        Ok(roles)
    }

    async fn account_from(&self, r: &AnyRow) -> Result<Account> {
        let user_id = r.i64("id")?;
        Ok(Account {
            user_id,
            person_id: r.i64("person_id")?,
            office_id: r.i64("office_id")?,
            username: r.text("username")?,
            full_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
            roles: self.roles_of(user_id).await?,
            active: r.flag("active")?,
            locale: r.text("locale")?,
            password_changed_us: r.i64("password_changed_at")?,
            directory: r.opt_text("directory_dn")?.is_some(),
        })
    }

    pub(crate) async fn administrator_exists_impl(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.role = 'administrator' AND u.active = 1",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n > 0)
    }

    pub(crate) async fn create_account_impl(&self, a: &NewAccount, log: Draft) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        let user_id: i64 = sqlx::query_scalar(
            "INSERT INTO users (office_id, person_id, username, password_hash, locale, active, password_changed_at, created_at) \
             VALUES ($1, $2, $3, $4, 'sr-Cyrl', 1, $5, $5) RETURNING id",
        )
        .bind(a.office_id)
        .bind(a.person_id)
        .bind(&a.username)
        .bind(&a.password_hash)
        .bind(a.now_us)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match map_err(e) {
            Error::Conflict { .. } => Error::Conflict { code: "username_taken", field: Some("username") },
            other => other,
        })?;
        for r in &a.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(r.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query("INSERT INTO user_offices (user_id, office_id) VALUES ($1, $2)")
            .bind(user_id)
            .bind(a.office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        // The username becomes searchable with the person.
        sqlx::query("UPDATE people SET search_key = search_key || ' ' || $1 WHERE id = $2")
            .bind(&a.username)
            .bind(a.person_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_tx(&mut tx, log, a.now_us).await?;
        tx.commit().await.map_err(map_err)?;
        self.account_impl(user_id).await
    }

    pub(crate) async fn account_impl(&self, user_id: i64) -> Result<Account> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {ACCOUNT_COLS} WHERE us.id = $1")))
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "account" })?;
        self.account_from(&r).await
    }

    pub(crate) async fn list_accounts_impl(&self, q: &ListQuery) -> Result<Page<Account>> {
        let order = match q.sort {
            SortKey::Created => "us.id",
            _ => "us.username",
        };
        let dir = crate::org::direction(q);
        let filter = "WHERE us.office_id = $1 AND ($2 = 1 OR us.active = 1) AND ($3 = '' OR pe.search_key LIKE $3 ESCAPE '\\') \
                      AND ($4 = 0 OR pe.unit_id = $4)";
        let (rows, total) = self
            .list_page(
                format!("SELECT {ACCOUNT_COLS} {filter} ORDER BY {order} {dir}"),
                format!("SELECT COUNT(*) FROM users us JOIN people pe ON pe.id = us.person_id {filter}"),
                q,
            )
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            items.push(self.account_from(r).await?);
        }
        Ok(Page { items, total, page: q.page, per_page: q.per_page })
    }

    pub(crate) async fn login_record_impl(&self, username: &str) -> Result<Option<LoginRecord>> {
        let r = sqlx::query("SELECT id, password_hash, active, directory_dn FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.map(|r| {
            Ok(LoginRecord {
                user_id: r.i64("id")?,
                password_hash: r.text("password_hash")?,
                active: r.flag("active")?,
                directory_dn: r.opt_text("directory_dn")?,
            })
        })
        .transpose()
    }

    pub(crate) async fn actor_impl(&self, user_id: i64) -> Result<Actor> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {ACCOUNT_COLS} WHERE us.id = $1")))
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "account" })?;
        self.actor_from(&r).await
    }

    /// The actor of an account row ([`ACCOUNT_FIELDS`]): its roles and offices in one more
    /// query, since every signed request asks for them.
    async fn actor_from(&self, r: &AnyRow) -> Result<Actor> {
        let user_id = r.i64("id")?;
        if !r.flag("active")? {
            return Err(Error::Unauthenticated);
        }
        let office_id = r.i64("office_id")?;
        let rows = sqlx::query(
            "SELECT role, 0 AS office_id FROM user_roles WHERE user_id = $1 \
             UNION ALL SELECT '' AS role, office_id FROM user_offices WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let (mut roles, mut offices) = (Vec::new(), vec![office_id]);
        for row in &rows {
            match row.text("role")?.as_str() {
                "" => offices.push(row.i64("office_id")?),
                name => roles.extend(Role::parse(name).ok()),
            }
        }
        roles.sort();
        offices.sort_unstable();
        offices.dedup();
        Ok(Actor {
            user_id,
            person_id: r.i64("person_id")?,
            office_id,
            home_office_id: office_id,
            username: r.text("username")?,
            full_name: format!("{} {}", r.text("given_name")?, r.text("family_name")?),
            roles,
            offices,
            locale: r.text("locale")?,
        })
    }

    pub(crate) async fn set_password_impl(&self, user_id: i64, hash: &str, now: i64, log: Draft) -> Result<()> {
        self.update_user(log, now, "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3", |q| {
            q.bind(hash.to_string()).bind(now).bind(user_id)
        })
        .await
    }

    pub(crate) async fn set_roles_impl(&self, user_id: i64, roles: &[Role], now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
        for r in roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(user_id)
                .bind(r.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn set_account_active_impl(&self, user_id: i64, active: bool, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(flag(active))
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await.map_err(map_err)?;
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn set_locale_impl(&self, user_id: i64, locale: &str, now: i64, log: Draft) -> Result<()> {
        self.update_user(log, now, "UPDATE users SET locale = $1 WHERE id = $2", |q| q.bind(locale.to_string()).bind(user_id)).await
    }

    pub(crate) async fn grant_office_impl(&self, user_id: i64, office_id: i64, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO user_offices (user_id, office_id) VALUES ($1, $2) ON CONFLICT (user_id, office_id) DO NOTHING")
            .bind(user_id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_user<'q>(
        &self,
        log: Draft,
        now: i64,
        sql: &'static str,
        bind: impl FnOnce(
            sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = bind(sqlx::query(sql)).execute(&mut *tx).await.map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "account" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    // --- throttling --------------------------------------------------------------------------

    pub(crate) async fn login_throttle_impl(&self, key: &str) -> Result<(i64, Option<i64>)> {
        let r = sqlx::query("SELECT failures, locked_until FROM login_throttle WHERE login_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        match r {
            Some(r) => Ok((r.i64("failures")?, r.opt_i64("locked_until")?)),
            None => Ok((0, None)),
        }
    }

    pub(crate) async fn record_login_failure_impl(&self, key: &str, now: i64, lock: Option<i64>, log: Option<Draft>) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let n: i64 = sqlx::query_scalar(
            "INSERT INTO login_throttle (login_key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, $3) \
             ON CONFLICT (login_key) DO UPDATE SET failures = login_throttle.failures + 1, last_failure_at = $2, locked_until = $3 \
             RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .bind(lock)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        if let Some(d) = log {
            append_tx(&mut tx, d, now).await?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(n)
    }

    pub(crate) async fn clear_login_failures_impl(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_throttle WHERE login_key = $1").bind(key).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    // --- sessions ----------------------------------------------------------------------------

    pub(crate) async fn create_session_impl(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now: i64,
        expires: i64,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now)
            .bind(expires)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn session_impl(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT s.csrf, s.expires_at, {ACCOUNT_FIELDS} FROM sessions s JOIN users us ON us.id = s.user_id \
             JOIN people pe ON pe.id = us.person_id WHERE s.token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = r else { return Ok(None) };
        match self.actor_from(&r).await {
            Ok(actor) => Ok(Some(SessionRecord { actor, csrf: r.text("csrf")?, expires_us: r.i64("expires_at")? })),
            Err(Error::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn touch_session_impl(&self, token_hash: &str, expires: i64) -> Result<()> {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(expires)
            .bind(token_hash)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn delete_session_impl(&self, token_hash: &str, now: i64, log: Option<Draft>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await.map_err(map_err)?;
        if let Some(d) = log {
            append_tx(&mut tx, d, now).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn delete_expired_sessions_impl(&self, now: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&self.pool).await.map_err(map_err)?;
        Ok(r.rows_affected())
    }

    // --- API tokens --------------------------------------------------------------------------

    pub(crate) async fn create_api_token_impl(&self, user_id: i64, name: &str, token_hash: &str, now: i64, log: Draft) -> Result<ApiToken> {
        let mut tx = self.begin_write().await?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(user_id)
                .bind(name)
                .bind(token_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(ApiToken { id, name: name.to_string(), created_us: now, last_used_us: None })
    }

    pub(crate) async fn api_tokens_impl(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let rows =
            sqlx::query("SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id")
                .bind(user_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.i64("id")?,
                    name: r.text("name")?,
                    created_us: r.i64("created_at")?,
                    last_used_us: r.opt_i64("last_used_at")?,
                })
            })
            .collect()
    }

    pub(crate) async fn revoke_api_token_impl(&self, user_id: i64, id: i64, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "API token" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn actor_by_api_token_impl(&self, token_hash: &str, now: i64) -> Result<Option<upravnik_core::access::Actor>> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT t.last_used_at, {ACCOUNT_FIELDS} FROM api_tokens t JOIN users us ON us.id = t.user_id \
             JOIN people pe ON pe.id = us.person_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(r) = r else { return Ok(None) };
        // Record use at most once a minute, so API reads stay reads.
        if r.opt_i64("last_used_at")?.is_none_or(|t| now - t > 60_000_000) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await
                .map_err(map_err)?;
        }
        match self.actor_from(&r).await {
            Ok(a) => Ok(Some(a)),
            Err(Error::Unauthenticated) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub(crate) async fn chain_heads_impl(&self) -> Result<Vec<upravnik_core::ports::ChainHead>> {
        let rows = sqlx::query("SELECT office_id, seq, hash FROM worklog_heads ORDER BY office_id")
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| Ok(upravnik_core::ports::ChainHead { office_id: r.i64("office_id")?, seq: r.i64("seq")?, hash: r.text("hash")? }))
            .collect()
    }
}
