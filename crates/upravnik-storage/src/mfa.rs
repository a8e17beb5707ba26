//! The second sign-in factor of accounts and the sign-ins waiting for their code.

use crate::SqlStore;
use crate::rows::{Get, map_err};
use crate::worklog::append_tx;
use upravnik_core::clock::Micros;
use upravnik_core::mfa::{LoginTicket, TotpChange, TotpState};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

impl SqlStore {
    pub(crate) async fn totp_impl(&self, user_id: i64) -> Result<TotpState> {
        let r = sqlx::query("SELECT totp_secret, totp_pending, totp_enabled_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .ok_or(Error::NotFound { what: "account" })?;
        Ok(TotpState {
            secret: r.opt_text("totp_secret")?,
            pending: r.opt_text("totp_pending")?,
            enabled_us: r.opt_i64("totp_enabled_at")?,
        })
    }

    pub(crate) async fn set_totp_impl(&self, user_id: i64, c: &TotpChange, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let q = match c {
            TotpChange::Pending(secret) => {
                sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2").bind(secret.clone()).bind(user_id)
            }
            TotpChange::Enable { secret, step } => sqlx::query(
                "UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2, totp_enabled_at = $3 WHERE id = $4",
            )
            .bind(secret.clone())
            .bind(*step)
            .bind(now)
            .bind(user_id),
            TotpChange::Disable => {
                sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL WHERE id = $1").bind(user_id)
            }
        };
        let n = q.execute(&mut *tx).await.map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "account" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn use_totp_step_impl(&self, user_id: i64, step: i64) -> Result<bool> {
        let n = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1")
            .bind(step)
            .bind(user_id)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(n.rows_affected() == 1)
    }

    pub(crate) async fn create_login_ticket_impl(&self, hash: &str, user_id: i64, expires: Micros) -> Result<()> {
        // Tickets nobody answered are swept by the next sign-in.
        sqlx::query("DELETE FROM login_tickets WHERE expires_at < $1")
            .bind(expires - 2 * upravnik_core::mfa::TICKET_TTL_US)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        sqlx::query("INSERT INTO login_tickets (token_hash, user_id, expires_at, attempts) VALUES ($1, $2, $3, 0)")
            .bind(hash)
            .bind(user_id)
            .bind(expires)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    pub(crate) async fn login_ticket_impl(&self, hash: &str) -> Result<Option<LoginTicket>> {
        let r = sqlx::query("SELECT user_id, expires_at, attempts FROM login_tickets WHERE token_hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.map(|r| Ok(LoginTicket { user_id: r.i64("user_id")?, expires_us: r.i64("expires_at")?, attempts: r.i64("attempts")? }))
            .transpose()
    }

    pub(crate) async fn login_ticket_failed_impl(&self, hash: &str) -> Result<i64> {
        let n: Option<i64> =
            sqlx::query_scalar("UPDATE login_tickets SET attempts = attempts + 1 WHERE token_hash = $1 RETURNING attempts")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(n.unwrap_or(i64::MAX))
    }

    pub(crate) async fn delete_login_ticket_impl(&self, hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_tickets WHERE token_hash = $1").bind(hash).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }
}
