//! `/api/v1/account-requests`: account requests (R.19, Prilog 2).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::account_requests::{AccountRequest, CarryOutInput, RequestInput, RequestState};
use upravnik_core::account_requests_service::{RequestDetail, RequestQuery};
use upravnik_core::org::Page;

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub person: Option<i64>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// Requests the caller may see (a head of unit: the unit's), newest first.
pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<AccountRequest>>> {
    let q = RequestQuery {
        state: p.state.as_deref().and_then(RequestState::parse),
        person_id: p.person,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(50),
        ..Default::default()
    };
    Ok(Json(st.services.account_requests(&a, &q).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<RequestInput>,
) -> ApiResult<(StatusCode, Json<AccountRequest>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_account_request(&a, &b).await?)))
}

/// A request with the accesses and equipment the person holds now.
pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<RequestDetail>> {
    Ok(Json(st.services.account_request(&a, id).await?))
}

pub async fn carry_out(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<CarryOutInput>,
) -> ApiResult<Json<AccountRequest>> {
    Ok(Json(st.services.carry_out_account_request(&a, id, &b).await?))
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct RejectInput {
    #[serde(default)]
    pub reason: String,
}

pub async fn reject(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<RejectInput>,
) -> ApiResult<Json<AccountRequest>> {
    Ok(Json(st.services.reject_account_request(&a, id, &b.reason).await?))
}

/// The head of administration approves social networks for the workplace (R.32).
pub async fn approve_social(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<AccountRequest>> {
    Ok(Json(st.services.approve_social_networks(&a, id).await?))
}
