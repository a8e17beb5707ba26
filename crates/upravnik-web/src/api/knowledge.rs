//! `/api/v1/kb`: the knowledge base (R.47–R.51), and the suggestions the fault-report form asks
//! for while an employee types.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::knowledge::service::PER_PAGE;
use upravnik_core::knowledge::{Article, ArticleInput};
use upravnik_core::org::Page;

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct KbListParams {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// Published articles (drafts too for administrators and the inspector); with `q`, those
/// matching every word, title matches first.
pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<KbListParams>) -> ApiResult<Json<Page<Article>>> {
    let q = p.q.unwrap_or_default();
    Ok(Json(st.services.kb_articles(&a, &q, p.tag.as_deref(), p.page.unwrap_or(1), p.per_page.unwrap_or(PER_PAGE)).await?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SuggestParams {
    #[serde(default)]
    pub q: String,
}

/// The five best published articles for a text being typed.
pub async fn suggest(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<SuggestParams>) -> ApiResult<Json<Value>> {
    // A fault description is short; a longer text is cut rather than refused, since the form
    // sends whatever is in the box.
    let text: String = p.q.chars().take(500).collect();
    Ok(Json(json!({ "items": st.services.kb_suggest(&a, &text).await? })))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Article>> {
    Ok(Json(st.services.kb_article(&a, id).await?))
}

pub async fn create(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ArticleInput>) -> ApiResult<(StatusCode, Json<Article>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_kb_article(&a, &b).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ArticleInput>,
) -> ApiResult<Json<Article>> {
    Ok(Json(st.services.update_kb_article(&a, id, &b).await?))
}

/// Adds the Rulebook's ready articles the office does not have yet.
pub async fn add_rulebook(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "added": st.services.add_rulebook_articles(&a).await? })))
}
