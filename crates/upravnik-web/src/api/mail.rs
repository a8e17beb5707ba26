//! The helpdesk's e-mail in the API: the files that came with a report's messages, and the
//! outbox of notices to reporters (administrators).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use upravnik_core::mail::{AttachmentMeta, OutboxRow};

use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn attachments(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<AttachmentMeta>>> {
    Ok(Json(st.services.report_attachments(&a, id).await?))
}

pub async fn attachment(State(st): State<AppState>, Signed(a): Signed, Path((id, aid)): Path<(i64, i64)>) -> ApiResult<Response> {
    Ok(attachment_response(st.services.report_attachment(&a, id, aid).await?))
}

/// A file from a mail, always as a download: whatever a sender attached (HTML, SVG) is never
/// shown inside Upravnik's own pages.
pub fn attachment_response((meta, bytes): (AttachmentMeta, Vec<u8>)) -> Response {
    let name: String = meta.name.chars().filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\').collect();
    let name = if name.is_empty() { format!("attachment-{}", meta.id) } else { name };
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct OutboxQuery {
    #[serde(default)]
    pub limit: Option<i64>,
}

/// The newest notices with their status, attempts and last error.
pub async fn outbox(State(st): State<AppState>, Signed(a): Signed, Query(q): Query<OutboxQuery>) -> ApiResult<Json<Vec<OutboxRow>>> {
    Ok(Json(st.services.outbox(&a, q.limit.unwrap_or(100)).await?))
}

/// The same download from the report's page (errors as pages).
pub async fn attachment_page(State(st): State<AppState>, Signed(a): Signed, Path((id, aid)): Path<(i64, i64)>) -> crate::error::UiResult {
    Ok(attachment_response(st.services.report_attachment(&a, id, aid).await?))
}
