//! `/api/v1/shares`: the scans of the network shares (R.38–R.46). A scan made elsewhere (the CLI,
//! `upravnik shares scan --json`) is sent here with the share's name.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::shares::Report;
use upravnik_core::shares_service::ShareView;

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn shares(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<ShareView>>> {
    Ok(Json(st.services.shares(&a).await?))
}

#[derive(serde::Deserialize)]
pub struct ScanUpload {
    pub share: String,
    pub report: Report,
}

pub async fn record_scan(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ScanUpload>) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.record_share_scan(&a, &b.share, &b.report).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// The share with its scans and the units of the latest.
pub async fn share(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let s = st.services.share(&a, id).await?;
    let units = match s.scans.first() {
        Some(l) => st.services.share_scan_units(&a, id, l.id).await?,
        None => vec![],
    };
    Ok(Json(json!({"share": s, "units": units})))
}

#[derive(serde::Deserialize, Default)]
pub struct FindingsQuery {
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub offset: Option<i64>,
    #[serde(default)]
    pub limit: Option<i64>,
}

pub async fn findings(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Query(q): Query<FindingsQuery>,
) -> ApiResult<Json<Value>> {
    let unit = q.unit.as_deref().filter(|u| !u.is_empty());
    let (list, total) = st.services.share_findings(&a, id, unit, q.offset.unwrap_or(0).max(0), q.limit.unwrap_or(100)).await?;
    Ok(Json(json!({"total": total, "findings": list})))
}
