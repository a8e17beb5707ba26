//! Services of the second sign-in factor: the code that finishes a sign-in, enrolment with an
//! authenticator app, turning it off, an administrator's reset for a lost phone, and the gate
//! that keeps an administrator without it from acting as one when the office requires it.

use crate::access::{Actor, Permission, Role};
use crate::mfa::{self, TICKET_ATTEMPTS, TotpChange};
use crate::password;
use crate::service::{NewSession, Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

/// Enrolment under way: what the app needs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Enrolment {
    /// Base32, for typing in by hand.
    pub secret: String,
    /// `otpauth://…`, for the QR code.
    pub uri: String,
}

impl Services {
    /// Finishes a sign-in with the code of the account's authenticator app. A wrong code may be
    /// tried again a few times; after that the password must be given again.
    pub async fn sign_in_code(&self, ticket: &str, code: &str) -> Result<NewSession> {
        let h = password::token_digest(ticket);
        let now = self.now();
        let Some(t) = self.store.login_ticket(&h).await? else { return Err(Error::Unauthenticated) };
        if t.expires_us <= now || t.attempts >= TICKET_ATTEMPTS {
            self.store.delete_login_ticket(&h).await?;
            return Err(Error::Unauthenticated);
        }
        let state = self.store.totp(t.user_id).await?;
        let step = state.secret.as_deref().and_then(|s| mfa::check(s, code, now));
        // The step is taken atomically: the same code twice (a replay, or two instances) wins once.
        if let Some(step) = step
            && self.store.use_totp_step(t.user_id, step).await?
        {
            self.store.delete_login_ticket(&h).await?;
            return self.open_session(t.user_id, "Пријава на систем (лозинка и једнократни код)").await;
        }
        let n = self.store.login_ticket_failed(&h).await?;
        if n >= TICKET_ATTEMPTS {
            self.store.delete_login_ticket(&h).await?;
            let a = self.store.account(t.user_id).await?;
            let (failures, _) = self.store.login_throttle(&a.username).await?;
            self.sign_in_failed(&a.username, failures, now).await?;
            return Err(Error::Unauthenticated);
        }
        Err(Error::invalid("code", "err-mfa-code"))
    }

    /// Whether the account's second factor is on.
    pub async fn mfa_enabled(&self, actor: &Actor) -> Result<bool> {
        Ok(self.store.totp(actor.user_id).await?.secret.is_some())
    }

    /// Whether another account's second factor is on (the accounts pages).
    pub async fn account_mfa(&self, actor: &Actor, user_id: i64) -> Result<bool> {
        actor.require(Permission::UsersRead)?;
        let a = self.account(actor, user_id).await?;
        Ok(self.store.totp(a.user_id).await?.secret.is_some())
    }

    /// A new secret for the app; it takes effect once a code from it is confirmed.
    pub async fn mfa_start(&self, actor: &Actor, issuer: &str) -> Result<Enrolment> {
        if self.mfa_enabled(actor).await? {
            return Err(Error::invalid("code", "err-mfa-already"));
        }
        let secret = mfa::new_secret()?;
        let log = draft(actor, Category::SecurityMeasure, Some(user_ref(actor)), "Започето укључивање двофакторске пријаве".into());
        self.store.set_totp(actor.user_id, &TotpChange::Pending(secret.clone()), self.now(), log).await?;
        Ok(Enrolment { uri: mfa::otpauth_uri(issuer, &actor.username, &secret), secret })
    }

    /// The enrolment waiting for its first code, if any.
    pub async fn mfa_pending(&self, actor: &Actor, issuer: &str) -> Result<Option<Enrolment>> {
        let st = self.store.totp(actor.user_id).await?;
        Ok(st
            .pending
            .filter(|_| st.secret.is_none())
            .map(|secret| Enrolment { uri: mfa::otpauth_uri(issuer, &actor.username, &secret), secret }))
    }

    /// The first code from the app turns the second factor on.
    pub async fn mfa_confirm(&self, actor: &Actor, code: &str) -> Result<()> {
        let st = self.store.totp(actor.user_id).await?;
        let Some(secret) = st.pending.filter(|_| st.secret.is_none()) else { return Err(Error::invalid("code", "err-mfa-not-started")) };
        let Some(step) = mfa::check(&secret, code, self.now()) else { return Err(Error::invalid("code", "err-mfa-code")) };
        let log = draft(
            actor,
            Category::SecurityMeasure,
            Some(user_ref(actor)),
            "Укључена двофакторска пријава (апликација за једнократне кодове)".into(),
        );
        self.store.set_totp(actor.user_id, &TotpChange::Enable { secret, step }, self.now(), log).await
    }

    /// Off, with a current code (so a session left open cannot take it away).
    pub async fn mfa_disable(&self, actor: &Actor, code: &str) -> Result<()> {
        let st = self.store.totp(actor.user_id).await?;
        let Some(secret) = st.secret else { return Ok(()) };
        let ok = match mfa::check(&secret, code, self.now()) {
            Some(step) => self.store.use_totp_step(actor.user_id, step).await?,
            None => false,
        };
        if !ok {
            return Err(Error::invalid("code", "err-mfa-code"));
        }
        let log = draft(actor, Category::SecurityMeasure, Some(user_ref(actor)), "Искључена двофакторска пријава".into());
        self.store.set_totp(actor.user_id, &TotpChange::Disable, self.now(), log).await
    }

    /// An administrator turns another account's second factor off (a lost phone); the person
    /// sets it up again at the next sign-in.
    pub async fn mfa_reset(&self, actor: &Actor, user_id: i64) -> Result<()> {
        actor.require(Permission::UsersWrite)?;
        let a = self.account(actor, user_id).await?;
        let log = draft(
            actor,
            Category::SecurityMeasure,
            Some(ObjectRef::new("user", user_id, &a.username)),
            format!("Администратор искључио двофакторску пријаву налогу {}", a.username),
        );
        self.store.set_totp(user_id, &TotpChange::Disable, self.now(), log).await
    }

    /// With `require_mfa_for_administrators`, an administrator without the second factor acts as
    /// the other roles they hold (everyone is at least an employee) until it is on.
    pub(crate) async fn mfa_gate(&self, mut actor: Actor) -> Result<Actor> {
        if self.policy.require_mfa_for_administrators && actor.roles.contains(&Role::Administrator) && !self.mfa_enabled(&actor).await? {
            actor.roles.retain(|r| *r != Role::Administrator);
            if actor.roles.is_empty() {
                actor.roles.push(Role::Employee);
            }
        }
        Ok(actor)
    }

    /// Whether this actor holds the administrator role on record but is kept from it until the
    /// second factor is on (the home page says so).
    pub async fn mfa_blocks_administrator(&self, actor: &Actor) -> Result<bool> {
        if !self.policy.require_mfa_for_administrators || actor.roles.contains(&Role::Administrator) {
            return Ok(false);
        }
        Ok(self.store.account(actor.user_id).await?.roles.contains(&Role::Administrator))
    }
}

fn user_ref(actor: &Actor) -> ObjectRef {
    ObjectRef::new("user", actor.user_id, &actor.username)
}
