//! Who is asking: the session cookie (pages) or a personal API token (API), the language, and
//! CSRF protection for every state-changing request made with a cookie.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};

use crate::AppState;
use crate::error::{ApiError, UiError};
use crate::i18n::{Lang, Tr};

pub const SESSION_COOKIE: &str = "upr_session";
pub const LANG_COOKIE: &str = "upr_lang";
/// The office a person granted several works in now (pages); the API uses the `X-Office` header.
pub const OFFICE_COOKIE: &str = "upr_office";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The request's context, put in the request extensions by [`authenticate`].
#[derive(Clone)]
pub struct Ctx {
    pub actor: Option<Actor>,
    /// The session's CSRF token; empty without a session.
    pub csrf: String,
    pub lang: Lang,
    pub session_token: Option<String>,
    pub via_api_token: bool,
    /// The offices the actor may switch between, when more than one (empty otherwise).
    pub offices: Vec<upravnik_core::org::Office>,
}

impl Ctx {
    pub fn tr<'a>(&self, st: &'a AppState) -> Tr<'a> {
        Tr { lang: self.lang, i18n: &st.i18n }
    }

    pub fn actor(&self) -> Result<&Actor, Error> {
        self.actor.as_ref().ok_or(Error::Unauthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The signed-in actor; the route table has already refused requests without one.
pub struct Signed(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().and_then(|c| c.actor.clone()).map(Signed).ok_or(StatusCode::UNAUTHORIZED)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Resolves the actor and language, then enforces CSRF on unsafe methods.
pub async fn authenticate(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let mut ctx = Ctx { actor: None, csrf: String::new(), lang: Lang::SrCyrl, session_token: None, via_api_token: false, offices: vec![] };
    if let Some(lang) = cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse) {
        ctx.lang = lang;
    }
    if let Some(token) = bearer(&parts.headers) {
        match st.services.api_actor(token).await {
            Ok(Some(a)) => {
                ctx.actor = Some(a);
                ctx.via_api_token = true;
            }
            Ok(None) => return ApiError(Error::Unauthenticated).into_response(),
            Err(e) => return ApiError(e).into_response(),
        }
    } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
        match st.services.session(token).await {
            Ok(Some((actor, csrf))) => {
                ctx.actor = Some(actor);
                ctx.csrf = csrf;
                ctx.session_token = Some(token.to_string());
            }
            Ok(None) => {}
            Err(e) => return UiError(e).into_response(),
        }
    }
    if let Some(lang) = ctx.actor.as_ref().and_then(|a| Lang::parse(&a.locale)) {
        ctx.lang = lang;
    }
    if let Some(actor) = ctx.actor.as_mut()
        && actor.offices.len() > 1
    {
        let wanted = parts.headers.get("x-office").and_then(|v| v.to_str().ok()).or_else(|| cookie(&parts.headers, OFFICE_COOKIE));
        if let Some(o) = wanted.and_then(|w| w.trim().parse().ok()) {
            actor.switch_office(o);
        }
        ctx.offices = st.services.offices(actor).await.unwrap_or_default();
    }
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if unsafe_method && !ctx.via_api_token {
        if !same_origin(&parts.headers) {
            return forbidden(parts.uri.path());
        }
        if ctx.session_token.is_some() {
            let (ok, rebuilt) = check_csrf(&parts.headers, parts.uri.query(), body, &ctx.csrf, st.config.body_limit).await;
            if !ok {
                tracing::warn!(path = %parts.uri.path(), "CSRF token missing or wrong");
                return forbidden(parts.uri.path());
            }
            body = rebuilt;
        }
    }
    parts.extensions.insert(ctx);
    next.run(Request::from_parts(parts, body)).await
}

fn forbidden(path: &str) -> Response {
    if is_api(path) { ApiError(Error::Forbidden).into_response() } else { UiError(Error::Forbidden).into_response() }
}

/// A browser says where a request comes from; refuse other sites (login CSRF included).
fn same_origin(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match (h.get(header::ORIGIN).and_then(|v| v.to_str().ok()), h.get(header::HOST).and_then(|v| v.to_str().ok())) {
        (Some("null"), _) => false,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
        _ => true,
    }
}

/// Accepts the token from the `X-CSRF-Token` header (htmx, API with a cookie) or from the
/// `_csrf` field of a urlencoded form. The body is read (within the limit) and handed back.
/// A file upload (multipart) carries it in the form's action URL instead, so the file is not
/// read here but streamed by its handler, which can refuse an oversized one with a clear message.
async fn check_csrf(h: &HeaderMap, query: Option<&str>, body: Body, expected: &str, limit: usize) -> (bool, Body) {
    if expected.is_empty() {
        return (false, body);
    }
    if let Some(v) = h.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return (constant_time_eq(v, expected), body);
    }
    let ct = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if ct.starts_with("multipart/form-data") {
        let found = query
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
        return (found.is_some_and(|v| constant_time_eq(&v, expected)), body);
    }
    let is_form =
        h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else { return (false, Body::empty()) };
    let found: Option<String> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
    (found.is_some_and(|v| constant_time_eq(&v, expected)), Body::from(bytes))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a route needs; the route table attaches one to every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login, health, static files).
    Public,
    /// Any signed-in person.
    SignedIn,
    /// A signed-in person whose roles grant this permission.
    Perm(Permission),
    /// Inventory agents: no session; the handler checks the office's agent credentials and
    /// networks (`agent.rs`).
    Agent,
}

pub async fn require(State(access): State<Access>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let actor = req.extensions().get::<Ctx>().and_then(|c| c.actor.as_ref());
    let allowed = match (access, actor) {
        (Access::Public | Access::Agent, _) => Ok(()),
        (_, None) => Err(Error::Unauthenticated),
        (Access::SignedIn, Some(_)) => Ok(()),
        (Access::Perm(p), Some(a)) => a.require(p),
    };
    match allowed {
        Ok(()) => next.run(req).await,
        Err(e) if is_api(&path) => ApiError(e).into_response(),
        Err(Error::Unauthenticated) => {
            let next_q = serde_urlencoded::to_string([("next", path.as_str())]).unwrap_or_default();
            Redirect::to(&format!("/login?{next_q}")).into_response()
        }
        Err(e) => UiError(e).into_response(),
    }
}

/// The `Set-Cookie` value for a session or language cookie.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cross_site_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        let mut h2 = HeaderMap::new();
        h2.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h2));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; upr_session=abc; upr_lang=en"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, LANG_COOKIE), Some("en"));
        assert_eq!(cookie(&h, "x"), None);
    }
}
