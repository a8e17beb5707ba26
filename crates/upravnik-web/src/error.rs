//! Mapping of domain errors to HTTP, in one exhaustive `match`: JSON for the API, a full error
//! page for the UI (rendered by [`crate::ui::layout::error_pages`] in the user's language).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use upravnik_core::Error;

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::Locked { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log_if_internal(e: &Error) {
    if let Error::Storage(msg) = e {
        tracing::error!(error = %msg, "internal error");
    }
}

/// An API error: `{"error": {"code": "...", "message": "...", "fields": [...]}}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        let fields = match &self.0 {
            Error::Invalid(f) => serde_json::to_value(f).unwrap_or_default(),
            Error::Conflict { field: Some(f), .. } => serde_json::json!([{ "field": f, "message": "err-taken" }]),
            _ => serde_json::json!([]),
        };
        let message = match &self.0 {
            Error::Storage(_) => "internal error".to_string(),
            e => e.to_string(),
        };
        let body = serde_json::json!({ "error": { "code": self.0.code(), "message": message, "fields": fields } });
        (status_of(&self.0), Json(body)).into_response()
    }
}

/// A UI error: the response carries only the status and code; the error-page layer renders it.
#[derive(Debug)]
pub struct UiError(pub Error);

impl From<Error> for UiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

/// Marker the error-page layer looks for.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub code: &'static str,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        let mut r = status_of(&self.0).into_response();
        r.extensions_mut().insert(ErrorPage { code: self.0.code() });
        r
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Errors that never reached a handler — a query string, path or body that did not parse, a
/// method not allowed, a body over the limit — get the same JSON shape as every other API error.
pub async fn api_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = crate::auth::is_api(req.uri().path());
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let code = match status {
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "invalid_input",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNAUTHORIZED => "unauthenticated",
        StatusCode::FORBIDDEN => "forbidden",
        s if s.is_server_error() => "internal",
        _ => "invalid_input",
    };
    // The rejection's text says which part did not parse; it carries no secrets.
    let message = match axum::body::to_bytes(res.into_body(), 4096).await {
        Ok(b) if status.is_client_error() => String::from_utf8_lossy(&b).into_owned(),
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let body = serde_json::json!({ "error": { "code": code, "message": message, "fields": [] } });
    (status, Json(body)).into_response()
}
pub type UiResult<T = Response> = Result<T, UiError>;
