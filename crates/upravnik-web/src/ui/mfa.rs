//! `/profile/mfa`: the second sign-in factor — set up with an authenticator app (QR code or the
//! secret typed in), confirmed with its first code, turned off with a current one; and an
//! administrator's reset of another account's (a lost phone).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use upravnik_core::Error;

use super::layout::{Chrome, render};
use super::view::ListParams;
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

/// The name the authenticator app shows above the codes.
pub const ISSUER: &str = "Upravnik";

#[derive(Template)]
#[template(path = "mfa.html")]
pub struct MfaPage<'a> {
    pub c: Chrome<'a>,
    pub enabled: bool,
    /// (QR code SVG, secret in groups of four) while enrolment waits for its first code.
    pub pending: Option<(String, String)>,
    /// The office requires it and this administrator does not have it yet.
    pub required: bool,
    pub next: String,
    pub error: Option<String>,
}

async fn page(st: &AppState, ctx: &Ctx, next: String, error: Option<&str>, ok: Option<&str>) -> UiResult {
    let tr = ctx.tr(st);
    let actor = ctx.actor()?;
    let enabled = st.services.mfa_enabled(actor).await?;
    let pending = match st.services.mfa_pending(actor, ISSUER).await? {
        Some(e) => {
            let grouped = e.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
            Some((super::labels::qr_svg(&e.uri)?, grouped))
        }
        None => None,
    };
    let required = st.services.mfa_blocks_administrator(actor).await?;
    let c = Chrome::new(st, ctx, "/profile/mfa", tr.t("mfa-title")).flash(ok);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&MfaPage { c, enabled, pending, required, next, error: error.map(|k| tr.t(k)) })).into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct MfaParams {
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub ok: Option<String>,
}

pub async fn show(State(st): State<AppState>, ctx: Ctx, Query(p): Query<MfaParams>) -> UiResult {
    page(&st, &ctx, super::local_path(&p.next), None, p.ok.as_deref()).await
}

pub async fn start(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let next = super::local_path(&f.get("next"));
    match st.services.mfa_start(&actor, ISSUER).await {
        Ok(_) => page(&st, &ctx, next, None, None).await,
        Err(Error::Invalid(e)) => page(&st, &ctx, next, Some(e[0].message), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let next = super::local_path(&f.get("next"));
    match st.services.mfa_confirm(&actor, &f.get("code")).await {
        // An administrator kept from the role until now gets it back on the next page.
        Ok(()) if next != "/" => Ok(done(&next, "mfa-on")),
        Ok(()) => Ok(done("/profile/mfa", "mfa-on")),
        Err(Error::Invalid(e)) => page(&st, &ctx, next, Some(e[0].message), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn disable(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    match st.services.mfa_disable(&actor, &f.get("code")).await {
        Ok(()) => Ok(done("/profile/mfa", "mfa-off")),
        Err(Error::Invalid(e)) => page(&st, &ctx, "/".into(), Some(e[0].message), None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /accounts/{id}/mfa-reset`.
pub async fn reset(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>, Query(_): Query<ListParams>) -> UiResult {
    st.services.mfa_reset(&actor, id).await?;
    Ok(done(&format!("/accounts/{id}"), "mfa-off"))
}
