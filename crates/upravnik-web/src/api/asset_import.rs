//! `POST /api/v1/assets/import`: an equipment register (CSV or XLSX) as the request body; the
//! answer is the preview with row-level errors, or with `commit=true` what the import did.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use upravnik_core::import::service::parse_mapping;

use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiError;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ImportParams {
    /// JSON array, one entry per column: a field name, or `null` to ignore the column.
    #[serde(default)]
    pub mapping: Option<String>,
    #[serde(default)]
    pub commit: Option<bool>,
    /// Named in the work log; `import` by default.
    #[serde(default)]
    pub filename: Option<String>,
}

/// The media types a register may come as; the content decides how it is read.
const ACCEPTED: &[&str] = &[
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/octet-stream",
];

pub async fn import(
    State(st): State<AppState>,
    Signed(a): Signed,
    Query(p): Query<ImportParams>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !ACCEPTED.contains(&mime.as_str()) {
        let body = json!({ "error": { "code": "unsupported_media_type", "message": "send text/csv or an XLSX file", "fields": [] } });
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(body)).into_response();
    }
    let mapping = match p.mapping.as_deref().filter(|m| !m.trim().is_empty()).map(parse_mapping).transpose() {
        Ok(m) => m,
        Err(e) => return ApiError(e).into_response(),
    };
    let commit = p.commit.unwrap_or(false);
    let filename = p.filename.as_deref().unwrap_or("import");
    match st.services.import_file(&a, filename, &body, mapping, commit).await {
        Ok(report) if commit && report.outcome.is_none() => {
            let body = json!({
                "error": { "code": "import_has_errors", "message": "nothing was imported: the file has errors", "fields": [] },
                "preview": report.preview,
            });
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Ok(report) => Json(report).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}
