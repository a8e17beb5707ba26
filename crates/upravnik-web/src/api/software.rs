//! `/api/v1/software`: the list of licensed software (Prilog 4) with licences, rules and
//! compliance; removal tasks; names no rule knows; a recompute now.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::software::{LicenceInput, ProductInput, RuleInput};
use upravnik_core::software_service::{ProductView, Recomputed, Task};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn list(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<ProductView>>> {
    Ok(Json(st.services.software(&a).await?))
}

pub async fn show(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let p = st.services.software_product(&a, id).await?;
    let on: Vec<Value> = st
        .services
        .software_installed_on(&a, id)
        .await?
        .into_iter()
        .map(|(id, n)| json!({"asset_id": id, "inventory_number": n}))
        .collect();
    Ok(Json(json!({"product": p, "installed_on": on})))
}

#[derive(serde::Deserialize)]
pub struct NewProduct {
    #[serde(flatten)]
    pub product: ProductInput,
    /// A first recognition rule: names starting with this.
    #[serde(default)]
    pub pattern: String,
}

pub async fn create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<NewProduct>,
) -> ApiResult<(StatusCode, Json<ProductView>)> {
    let id = st.services.create_software_product(&a, &b.product, Some(&b.pattern)).await?;
    Ok((StatusCode::CREATED, Json(st.services.software_product(&a, id).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ProductInput>,
) -> ApiResult<Json<ProductView>> {
    st.services.update_software_product(&a, id, &b).await?;
    Ok(Json(st.services.software_product(&a, id).await?))
}

pub async fn add_licence(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<LicenceInput>,
) -> ApiResult<(StatusCode, Json<ProductView>)> {
    st.services.add_software_licence(&a, id, &b).await?;
    Ok((StatusCode::CREATED, Json(st.services.software_product(&a, id).await?)))
}

pub async fn remove_licence(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.remove_software_licence(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn rules(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::software::Rule>>> {
    Ok(Json(st.services.software_rules(&a).await?))
}

pub async fn add_rule(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<RuleInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.add_software_rule(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn delete_rule(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.delete_software_rule(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn unrecognised(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<Value>>> {
    let names = st.services.software_unrecognised(&a, 1000).await?;
    Ok(Json(names.into_iter().map(|(n, c)| json!({"name": n, "workstations": c})).collect()))
}

#[derive(serde::Deserialize, Default)]
pub struct TaskParams {
    /// `all` for closed tasks too.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub unit_id: Option<i64>,
}

pub async fn tasks(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<TaskParams>) -> ApiResult<Json<Vec<Task>>> {
    Ok(Json(st.services.software_tasks(&a, p.status != "all", p.unit_id).await?))
}

pub async fn recompute(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Recomputed>> {
    Ok(Json(st.services.recompute_software_now(&a).await?))
}
