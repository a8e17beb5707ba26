//! `/api/v1/worklog`: newest first with a keyset cursor (`next_before`), manual entries, verification.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::Error;
use upravnik_core::worklog::{Category, Entry, ObjectRef};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    /// RFC 3339 instants.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub actor: Option<i64>,
    #[serde(default)]
    pub object_kind: Option<String>,
    #[serde(default)]
    pub object_id: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub before: Option<i64>,
    #[serde(default)]
    pub limit: Option<u32>,
}

fn instant(field: &'static str, s: &Option<String>) -> Result<Option<i64>, Error> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<jiff::Timestamp>().map(|t| Some(t.as_microsecond())).map_err(|_| Error::invalid(field, "err-date")),
    }
}

pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<Params>) -> ApiResult<Json<Value>> {
    let f = upravnik_core::worklog::Filter {
        office_id: 0,
        from_us: instant("from", &p.from)?,
        to_us: instant("to", &p.to)?,
        category: p.category.as_deref().map(Category::parse).transpose()?,
        actor_user_id: p.actor,
        object_kind: p.object_kind,
        object_id: p.object_id,
        text: p.q,
        before_id: p.before,
        limit: p.limit.unwrap_or(50).clamp(1, 1000),
        include_confidential_text: false,
    };
    let limit = f.limit as usize;
    let items = st.services.worklog(&a, f).await?;
    let next = if items.len() == limit { items.last().map(|e| e.id) } else { None };
    Ok(Json(json!({ "items": items, "next_before": next })))
}

pub async fn entry(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Entry>> {
    Ok(Json(st.services.worklog_entry(&a, id).await?))
}

#[derive(serde::Deserialize)]
pub struct NewEntry {
    pub category: Category,
    pub text: String,
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub object: Option<NewObject>,
}

#[derive(serde::Deserialize)]
pub struct NewObject {
    pub kind: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub label: String,
}

pub async fn create(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<NewEntry>) -> ApiResult<(StatusCode, Json<Entry>)> {
    let object = b.object.map(|o| ObjectRef { kind: o.kind, id: o.id, label: o.label });
    let e = st.services.add_worklog_entry(&a, b.category, object, &b.text, b.confidential).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

pub async fn verify(State(st): State<AppState>) -> ApiResult<Json<Value>> {
    let r = st.services.verify_worklog().await?;
    let broken: Vec<Value> = r.broken.iter().map(|(office, b)| json!({ "office_id": office, "problem": b.to_string() })).collect();
    Ok(Json(json!({ "intact": broken.is_empty(), "checked": r.checked, "broken": broken })))
}
