//! `/api/v1/rules`: the rules of work in force and their acceptance (R.19, Prilog 3).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::rules::{AcceptanceList, AcceptanceQuery, PaperInput, RulesInput, RulesVersion};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

/// The version in force (`null` before one is published) and the caller's acceptance of it.
pub async fn current(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let version = st.services.current_rules(&a).await?;
    let mine = st.services.rules_acceptance(&a, a.person_id).await?.map(|(_, acc)| acc);
    Ok(Json(json!({"rules": version, "my_acceptance": mine})))
}

pub async fn publish(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<RulesInput>,
) -> ApiResult<(StatusCode, Json<RulesVersion>)> {
    Ok((StatusCode::CREATED, Json(st.services.publish_rules(&a, &b).await?)))
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct AcceptInput {
    /// The version read; a newer one published meanwhile is refused.
    pub version: i64,
}

pub async fn accept(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<AcceptInput>) -> ApiResult<Json<RulesVersion>> {
    Ok(Json(st.services.accept_rules(&a, b.version).await?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub missing: Option<bool>,
    #[serde(default)]
    pub unit: Option<i64>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// The office's active people and their acceptance of the version in force; 404 before one is
/// published.
pub async fn acceptances(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<AcceptanceList>> {
    let q = AcceptanceQuery {
        missing_only: p.missing.unwrap_or(false),
        unit_id: p.unit,
        q: p.q,
        page: p.page.unwrap_or(1),
        per_page: p.per_page.unwrap_or(crate::ui::rules::PER_PAGE),
        ..Default::default()
    };
    let found = st.services.rules_acceptances(&a, &q).await?.ok_or(upravnik_core::Error::NotFound { what: "rules" })?;
    Ok(Json(found.1))
}

/// An administrator records a signed paper statement.
pub async fn record_paper(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<PaperInput>) -> ApiResult<StatusCode> {
    st.services.record_paper_acceptance(&a, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}
