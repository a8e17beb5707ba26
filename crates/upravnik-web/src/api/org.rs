//! `/api/v1/units`, `/workplaces`, `/people`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::org::{Page, Person, PersonInput, Unit, UnitInput, Workplace, WorkplaceInput};

use super::{ActiveBody, Body, ListParams};
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn units(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<Unit>>> {
    Ok(Json(st.services.units(&a, &p.query(a.office_id)).await?))
}
pub async fn unit(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Unit>> {
    Ok(Json(st.services.unit(&a, id).await?))
}
pub async fn create_unit(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<UnitInput>) -> ApiResult<(StatusCode, Json<Unit>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_unit(&a, b).await?)))
}
pub async fn update_unit(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<UnitInput>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(st.services.update_unit(&a, id, b).await?))
}
pub async fn unit_active(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ActiveBody>,
) -> ApiResult<Json<Unit>> {
    st.services.set_unit_active(&a, id, b.active).await?;
    Ok(Json(st.services.unit(&a, id).await?))
}

pub async fn workplaces(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<Workplace>>> {
    Ok(Json(st.services.workplaces(&a, &p.query(a.office_id)).await?))
}
pub async fn workplace(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Workplace>> {
    Ok(Json(st.services.workplace(&a, id).await?))
}
pub async fn create_workplace(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<WorkplaceInput>,
) -> ApiResult<(StatusCode, Json<Workplace>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_workplace(&a, b).await?)))
}
pub async fn update_workplace(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<WorkplaceInput>,
) -> ApiResult<Json<Workplace>> {
    Ok(Json(st.services.update_workplace(&a, id, b).await?))
}
pub async fn workplace_active(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ActiveBody>,
) -> ApiResult<Json<Workplace>> {
    st.services.set_workplace_active(&a, id, b.active).await?;
    Ok(Json(st.services.workplace(&a, id).await?))
}

pub async fn people(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<Person>>> {
    Ok(Json(st.services.people(&a, &p.query(a.office_id)).await?))
}
pub async fn person(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Person>> {
    Ok(Json(st.services.person(&a, id).await?))
}
pub async fn create_person(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<PersonInput>,
) -> ApiResult<(StatusCode, Json<Person>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_person(&a, b).await?)))
}
pub async fn update_person(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<PersonInput>,
) -> ApiResult<Json<Person>> {
    Ok(Json(st.services.update_person(&a, id, b).await?))
}
pub async fn person_active(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ActiveBody>,
) -> ApiResult<Json<Person>> {
    st.services.set_person_active(&a, id, b.active).await?;
    Ok(Json(st.services.person(&a, id).await?))
}
