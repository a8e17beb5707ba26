//! `/api/v1/applications`: the catalogue of applications and their roles (R.17, P.5.1).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::applications::{Application, ApplicationInput};
use upravnik_core::org::Page;

use super::{Body, ListParams};
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<Application>>> {
    Ok(Json(st.services.applications(&a, &p.query(a.office_id)).await?))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Application>> {
    Ok(Json(st.services.application(&a, id).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<Application>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_application(&a, &b).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ApplicationInput>,
) -> ApiResult<Json<Application>> {
    Ok(Json(st.services.update_application(&a, id, &b).await?))
}
