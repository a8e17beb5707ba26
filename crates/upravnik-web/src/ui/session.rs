//! Sign-in, sign-out and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use upravnik_core::Error;
use upravnik_core::service::{NewSession, SignIn};

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

#[derive(Template)]
#[template(path = "login_code.html")]
pub struct CodePage<'a> {
    pub c: Chrome<'a>,
    pub ticket: String,
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

/// The session cookie, then on: the rules of work first if not yet accepted (R.19, Prilog 3),
/// then setting up the second factor if the office requires it of an administrator, then `next`.
async fn signed_in(st: &AppState, s: NewSession, next: String) -> Response {
    let ttl = st.services.policy.session_ttl_secs;
    let q = |to: &str| format!("{to}?{}", serde_urlencoded::to_string([("next", &next)]).unwrap_or_default());
    let to = if matches!(st.services.rules_to_accept(&s.actor).await, Ok(Some(_))) {
        q("/rules")
    } else if st.services.mfa_blocks_administrator(&s.actor).await.unwrap_or(false) {
        q("/profile/mfa")
    } else {
        next.clone()
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

fn code_page(st: &AppState, ctx: &Ctx, ticket: String, next: String, error: Option<String>) -> Response {
    let tr = ctx.tr(st);
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    (status, render(&CodePage { c: Chrome::new(st, ctx, "/login", tr.t("login-code-title")), ticket, next, error })).into_response()
}

/// `POST /login/code`: the second factor's code finishes the sign-in.
pub async fn login_code(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FormData>) -> Response {
    let next = super::local_path(&f.get("next"));
    let ticket = f.get("ticket");
    match st.services.sign_in_code(&ticket, &f.get("code")).await {
        Ok(s) => signed_in(&st, s, next).await,
        Err(Error::Invalid(_)) => {
            let msg = ctx.tr(&st).t("err-mfa-code");
            code_page(&st, &ctx, ticket, next, Some(msg))
        }
        Err(Error::Unauthenticated) => {
            let tr = ctx.tr(&st);
            let page = LoginPage {
                c: Chrome::new(&st, &ctx, "/login", tr.t("login-title")),
                username: String::new(),
                next,
                error: Some(tr.t("login-code-expired")),
            };
            (StatusCode::UNAUTHORIZED, render(&page)).into_response()
        }
        Err(e) => crate::error::UiError(e).into_response(),
    }
}

pub async fn login(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FormData>) -> Response {
    let username = f.get("username");
    let next = super::local_path(&f.get("next"));
    match st.services.sign_in(&username, &f.get("password")).await {
        Ok(SignIn::Session(s)) => signed_in(&st, s, next).await,
        Ok(SignIn::Code { ticket }) => code_page(&st, &ctx, ticket, next, None),
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
