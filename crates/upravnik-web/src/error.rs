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
pub type UiResult<T = Response> = Result<T, UiError>;
