//! `/api/v1/consumables`: the store of consumables (R.3) and its moves.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::Error;
use upravnik_core::consumable::{Consumable, ConsumableCategory, ConsumableInput, ConsumableQuery, ConsumableSort, Move, MoveInput};
use upravnik_core::org::Page;

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    /// Only active items at or below their minimum.
    #[serde(default)]
    pub low: Option<bool>,
    #[serde(default)]
    pub inactive: Option<bool>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub desc: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<Params>) -> ApiResult<Json<Page<Consumable>>> {
    let category = match p.category.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(ConsumableCategory::parse(c).ok_or(Error::invalid("category", "err-filter"))?),
        None => None,
    };
    let q = ConsumableQuery {
        office_id: a.office_id,
        q: p.q.clone(),
        category,
        low_only: p.low.unwrap_or(false),
        include_inactive: p.inactive.unwrap_or(false),
        sort: ConsumableSort::parse(p.sort.as_deref().unwrap_or("")),
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1).max(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
    };
    Ok(Json(st.services.consumables(&a, &q).await?))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Consumable>> {
    Ok(Json(st.services.consumable(&a, id).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<ConsumableInput>,
) -> ApiResult<(StatusCode, Json<Consumable>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_consumable(&a, &b).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ConsumableInput>,
) -> ApiResult<Json<Consumable>> {
    Ok(Json(st.services.update_consumable(&a, id, &b).await?))
}

pub async fn moves(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<Move>>> {
    Ok(Json(st.services.consumable_moves(&a, id).await?))
}

/// `409 insufficient_stock` when an issue or adjustment would take more than is in the store.
pub async fn record_move(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<MoveInput>,
) -> ApiResult<(StatusCode, Json<Move>)> {
    Ok((StatusCode::CREATED, Json(st.services.record_consumable_move(&a, id, &b).await?)))
}
