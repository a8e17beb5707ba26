//! `/api/v1/assets`: the equipment registry.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use upravnik_core::Error;
use upravnik_core::asset::{Asset, AssetInput, AssetKind, AssetQuery, AssetSort, AssetStatus, HistoryRow, format_label};
use upravnik_core::bulk::BulkAction;
use upravnik_core::org::Page;
use upravnik_core::parts::{ComponentInput, Part, PartKind, SoftwareInput};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub room: Option<String>,
    #[serde(default)]
    pub building: Option<String>,
    /// Held by an employee of this unit or standing at one of its workplaces (internal units included).
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Held by this employee.
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub desc: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<Params>) -> ApiResult<Json<Page<Asset>>> {
    let parse_or = |v: &Option<String>, field: &'static str, f: &dyn Fn(&str) -> bool| match v.as_deref() {
        Some(s) if !s.is_empty() && !f(s) => Err(Error::invalid(field, "err-filter")),
        _ => Ok(()),
    };
    parse_or(&p.kind, "kind", &|s| AssetKind::parse(s).is_some())?;
    parse_or(&p.status, "status", &|s| AssetStatus::parse(s).is_some())?;
    let q = AssetQuery {
        office_id: a.office_id,
        q: p.q.clone(),
        kind: p.kind.as_deref().and_then(AssetKind::parse),
        status: p.status.as_deref().and_then(AssetStatus::parse),
        room: p.room.clone().filter(|r| !r.is_empty()),
        building: p.building.clone().filter(|b| !b.is_empty()),
        unit_id: p.unit_id.filter(|u| *u > 0),
        person_id: p.person_id.filter(|u| *u > 0),
        sort: AssetSort::parse(p.sort.as_deref().unwrap_or("")),
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1).max(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
        ..Default::default()
    };
    Ok(Json(st.services.assets(&a, &q).await?))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Asset>> {
    Ok(Json(st.services.asset(&a, id).await?))
}

pub async fn create(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<AssetInput>) -> ApiResult<(StatusCode, Json<Asset>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_asset(&a, &b).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<AssetInput>,
) -> ApiResult<Json<Asset>> {
    Ok(Json(st.services.update_asset(&a, id, &b).await?))
}

#[derive(serde::Deserialize)]
pub struct StatusBody {
    pub status: AssetStatus,
    #[serde(default)]
    pub reference: String,
}

pub async fn status(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<StatusBody>,
) -> ApiResult<Json<Asset>> {
    Ok(Json(st.services.set_asset_status(&a, id, b.status, &b.reference).await?))
}

pub async fn history(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<HistoryRow>>> {
    Ok(Json(st.services.asset_history(&a, id).await?))
}

pub async fn next_label(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let n = st.services.next_label(&a).await?;
    Ok(Json(json!({ "number": n, "label": format_label(n) })))
}

pub async fn assignments(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<upravnik_core::asset::Assignment>>> {
    Ok(Json(st.services.asset_assignments(&a, id).await?))
}

#[derive(serde::Deserialize)]
pub struct AssignBody {
    #[serde(default)]
    pub person_id: Option<i64>,
    #[serde(default)]
    pub workplace_id: Option<i64>,
    /// ISO or Serbian date; today when empty.
    #[serde(default)]
    pub date: String,
    /// Confirms moving a workstation to another workplace (R.19).
    #[serde(default)]
    pub move_workplace: bool,
}

pub async fn assign(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<AssignBody>,
) -> ApiResult<Json<Asset>> {
    Ok(Json(st.services.assign_asset(&a, id, b.person_id, b.workplace_id, &b.date, b.move_workplace).await?))
}

#[derive(serde::Deserialize, Default)]
pub struct ReturnBody {
    #[serde(default)]
    pub date: String,
}

pub async fn return_asset(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ReturnBody>,
) -> ApiResult<Json<Asset>> {
    Ok(Json(st.services.return_asset(&a, id, &b.date).await?))
}

/// `GET /api/v1/assets/{id}/components` and `/software`: what is installed now.
async fn parts_of(st: &AppState, a: &upravnik_core::access::Actor, id: i64, kind: PartKind) -> ApiResult<Json<Vec<Part>>> {
    let parts = st.services.asset_parts(a, id).await?;
    Ok(Json(upravnik_core::parts::only(&parts, kind).cloned().collect()))
}

pub async fn components(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<Part>>> {
    parts_of(&st, &a, id, PartKind::Component).await
}

pub async fn software(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<Part>>> {
    parts_of(&st, &a, id, PartKind::Software).await
}

pub async fn add_component(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ComponentInput>,
) -> ApiResult<(StatusCode, Json<Part>)> {
    Ok((StatusCode::CREATED, Json(st.services.add_part(&a, id, &b.validate()?).await?)))
}

pub async fn add_software(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<SoftwareInput>,
) -> ApiResult<(StatusCode, Json<Part>)> {
    Ok((StatusCode::CREATED, Json(st.services.add_part(&a, id, &b.validate()?).await?)))
}

pub async fn update_component(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path((id, part)): Path<(i64, i64)>,
    Body(b): Body<ComponentInput>,
) -> ApiResult<Json<Part>> {
    Ok(Json(st.services.update_part(&a, id, part, &b.validate()?).await?))
}

pub async fn update_software(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path((id, part)): Path<(i64, i64)>,
    Body(b): Body<SoftwareInput>,
) -> ApiResult<Json<Part>> {
    Ok(Json(st.services.update_part(&a, id, part, &b.validate()?).await?))
}

pub async fn remove_component(State(st): State<AppState>, Signed(a): Signed, Path((id, part)): Path<(i64, i64)>) -> ApiResult<StatusCode> {
    st.services.remove_part(&a, id, PartKind::Component, part).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove_software(State(st): State<AppState>, Signed(a): Signed, Path((id, part)): Path<(i64, i64)>) -> ApiResult<StatusCode> {
    st.services.remove_part(&a, id, PartKind::Software, part).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
pub struct BulkBody {
    pub ids: Vec<i64>,
    /// `set_room` or `set_status`.
    pub action: String,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub room: String,
    #[serde(default)]
    pub status: Option<AssetStatus>,
    /// The act of a write-off or disposal (R.4).
    #[serde(default)]
    pub reference: String,
    /// Only plan: answer with the changes, write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Many assets at once, all or nothing: 200 with the plan (applied unless `dry_run`), or 409
/// `bulk_refused` naming each asset that cannot be changed, and nothing written.
pub async fn bulk(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<BulkBody>) -> ApiResult<Response> {
    let action = match b.action.as_str() {
        "set_room" => BulkAction::SetPlace { building: b.building, room: b.room },
        "set_status" => match b.status {
            Some(status) => BulkAction::SetStatus { status, reference: b.reference },
            None => return Err(Error::invalid("status", "err-required").into()),
        },
        _ => return Err(Error::invalid("action", "err-bulk-action").into()),
    };
    let plan =
        if b.dry_run { st.services.plan_bulk(&a, &b.ids, &action).await? } else { st.services.apply_bulk(&a, &b.ids, &action).await? };
    if !b.dry_run && !plan.problems.is_empty() {
        let body = json!({ "error": {
            "code": "bulk_refused",
            "message": "nothing was changed: some assets cannot be changed",
            "fields": [],
            "assets": plan.problems,
        }});
        return Ok((StatusCode::CONFLICT, Json(body)).into_response());
    }
    Ok(Json(plan).into_response())
}
