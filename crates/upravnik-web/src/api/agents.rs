//! `/api/v1/agents` and `/api/v1/assets/{id}/inventory`: what the inventory agents reported
//! (issue 4). The agents' own endpoints are not here.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct AgentsQuery {
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    /// With it, the machines that have not reported for this many days instead of the agents.
    #[serde(default)]
    pub silent_days: Option<u32>,
}

/// The office's agents, newest contact first; or, with `silent_days`, the silent machines.
pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(q): Query<AgentsQuery>) -> ApiResult<Json<Value>> {
    let (page, per_page) = (q.page.unwrap_or(1), q.per_page.unwrap_or(100));
    if let Some(days) = q.silent_days {
        let p = st.services.agent_machines(&a, Some(days), page, per_page).await?;
        return Ok(Json(json!({ "items": p.items, "total": p.total, "page": p.page, "per_page": p.per_page })));
    }
    let p = st.services.agents(&a, page, per_page).await?;
    Ok(Json(json!({ "items": p.items, "total": p.total, "page": p.page, "per_page": p.per_page })))
}

/// The asset's inventory state (`null` before its first report).
pub async fn inventory(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let v = st.services.asset_inventory(&a, id).await?;
    Ok(Json(json!({ "inventory": v })))
}
