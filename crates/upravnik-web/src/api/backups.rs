//! `/api/v1/backups`: the archiving status and runs (R.20, R.22), other jobs reporting their runs,
//! the media of copies 2 and 3 and their custody book (R.66).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::backup::{CustodyEvent, CustodyInput, Medium, MediumInput, ReportInput};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn status(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let status = st.services.backup_status(&a).await?;
    let runs = st.services.backup_runs(&a, 100).await?;
    Ok(Json(json!({"status": status, "runs": runs})))
}

pub async fn report(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ReportInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.report_backup(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn media(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<Medium>>> {
    Ok(Json(st.services.backup_media(&a).await?))
}

pub async fn add_medium(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<MediumInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.add_backup_medium(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn custody(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<CustodyInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let line = st.services.record_custody(&a, id, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": line}))))
}

pub async fn book(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<CustodyEvent>>> {
    Ok(Json(st.services.custody_book(&a).await?))
}
