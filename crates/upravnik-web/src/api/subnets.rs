//! `/api/v1/subnets`: the office's IP subnets with used and free addresses (R.3).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::subnet::{SubnetInput, SubnetUsage};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

/// Every subnet with its counts and used addresses, and the addresses that fall in none.
pub async fn list(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let items = st.services.subnets(&a).await?;
    let outside = st.services.addresses_outside_subnets(&a).await?;
    Ok(Json(json!({ "items": items, "outside": outside })))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<SubnetUsage>> {
    Ok(Json(st.services.subnet(&a, id).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<SubnetInput>,
) -> ApiResult<(StatusCode, Json<SubnetUsage>)> {
    let s = st.services.create_subnet(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(st.services.subnet(&a, s.id).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<SubnetInput>,
) -> ApiResult<Json<SubnetUsage>> {
    st.services.update_subnet(&a, id, &b).await?;
    Ok(Json(st.services.subnet(&a, id).await?))
}

pub async fn delete(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.delete_subnet(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
