//! Sign-in, sign-out and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use upravnik_core::Error;

use super::FormData;
use super::layout::{Chrome, render};
use crate::AppState;
use crate::auth::{Ctx, LANG_COOKIE, SESSION_COOKIE, set_cookie};
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub c: Chrome<'a>,
    pub username: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct NextParam {
    #[serde(default)]
    pub next: String,
}

pub async fn login_form(State(st): State<AppState>, ctx: Ctx, Query(q): Query<NextParam>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to("/").into_response();
    }
    let tr = ctx.tr(&st);
    render(&LoginPage { c: Chrome::new(&st, &ctx, "/login", tr.t("login-title")), username: String::new(), next: q.next, error: None })
}

pub async fn login(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FormData>) -> Response {
    let username = f.get("username");
    let next = super::local_path(&f.get("next"));
    match st.services.login(&username, &f.get("password")).await {
        Ok(s) => {
            let ttl = st.services.policy.session_ttl_secs;
            // Rules not yet accepted are asked for first (R.19, Prilog 3), then on to `next`.
            let to = match st.services.rules_to_accept(&s.actor).await {
                Ok(Some(_)) => format!("/rules?{}", serde_urlencoded::to_string([("next", &next)]).unwrap_or_default()),
                _ => next,
            };
            let mut r = Redirect::to(&to).into_response();
            let h = r.headers_mut();
            if let Ok(v) = set_cookie(SESSION_COOKIE, &s.token, ttl, st.config.secure_cookies).parse() {
                h.append(header::SET_COOKIE, v);
            }
            if let Ok(v) = set_cookie(LANG_COOKIE, &s.actor.locale, 365 * 86400, st.config.secure_cookies).parse() {
                h.append(header::SET_COOKIE, v);
            }
            r
        }
        Err(e) => {
            let tr = ctx.tr(&st);
            let (status, msg) = match e {
                Error::Locked { until_us } => {
                    (StatusCode::TOO_MANY_REQUESTS, tr.t1("login-locked", "until", upravnik_core::clock::format_local(until_us)))
                }
                Error::Unauthenticated => (StatusCode::UNAUTHORIZED, tr.t("login-failed")),
                Error::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, tr.t("login-directory-unavailable")),
                other => return crate::error::UiError(other).into_response(),
            };
            let page = LoginPage { c: Chrome::new(&st, &ctx, "/login", tr.t("login-title")), username, next, error: Some(msg) };
            (status, render(&page)).into_response()
        }
    }
}

pub async fn logout(State(st): State<AppState>, ctx: Ctx) -> Response {
    if let (Some(actor), Some(token)) = (&ctx.actor, &ctx.session_token)
        && let Err(e) = st.services.logout(actor, token).await
    {
        return crate::error::UiError(e).into_response();
    }
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(SESSION_COOKIE, "", 0, st.config.secure_cookies).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Switches the office a person granted several works in (remembered in a cookie).
pub async fn office(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FormData>) -> Response {
    let Ok(id) = f.get("office").parse::<i64>() else { return StatusCode::UNPROCESSABLE_ENTITY.into_response() };
    if !ctx.actor.as_ref().is_some_and(|a| a.sees_office(id)) {
        return crate::error::UiError(Error::Forbidden).into_response();
    }
    let mut r = Redirect::to(&super::local_path(&f.get("next"))).into_response();
    if let Ok(v) = set_cookie(crate::auth::OFFICE_COOKIE, &id.to_string(), 365 * 86400, st.config.secure_cookies).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// Switches the language; remembered on the account (and in a cookie for the sign-in page).
pub async fn language(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FormData>) -> Response {
    let Some(lang) = Lang::parse(&f.get("lang")) else { return StatusCode::UNPROCESSABLE_ENTITY.into_response() };
    if let Some(actor) = &ctx.actor
        && actor.locale != lang.code()
        && let Err(e) = st.services.set_locale(actor, lang.code()).await
    {
        return crate::error::UiError(e).into_response();
    }
    let mut r = Redirect::to(&super::local_path(&f.get("next"))).into_response();
    if let Ok(v) = set_cookie(LANG_COOKIE, lang.code(), 365 * 86400, st.config.secure_cookies).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
