//! `/api/v1/saved-filters`: named list queries (the same as the pages' saved filters).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::saved_filter::{SavedFilter, SavedFilterInput};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, serde::Deserialize)]
pub struct Params {
    #[serde(default = "assets")]
    pub page: String,
}

fn assets() -> String {
    "assets".into()
}

/// The caller's own filters of a page, then those other administrators shared.
pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<Params>) -> ApiResult<Json<Vec<SavedFilter>>> {
    Ok(Json(st.services.saved_filters(&a, &p.page).await?))
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(mut b): Body<SavedFilterInput>,
) -> ApiResult<(StatusCode, Json<SavedFilter>)> {
    if b.page.is_empty() {
        b.page = assets();
    }
    Ok((StatusCode::CREATED, Json(st.services.save_filter(&a, &b).await?)))
}

pub async fn delete(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.delete_saved_filter(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
