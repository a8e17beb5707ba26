//! `/api/v1/security`: the measures register (both laws, with evidence files) and the incidents
//! register with its deadlines, reports and yearly statistics.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use upravnik_core::Error;
use upravnik_core::incident::{IncidentInput, SentInput, Statistics};
use upravnik_core::measures::{Assessment, AssessmentInput, Law};
use upravnik_core::security_service::{IncidentView, MeasureView};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(serde::Deserialize, Default)]
pub struct LawParam {
    #[serde(default)]
    pub law: Option<String>,
}

fn law(s: &str) -> Result<Law, Error> {
    Law::parse(s).ok_or(Error::NotFound { what: "measure" })
}

pub async fn measures(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<LawParam>) -> ApiResult<Json<Vec<MeasureView>>> {
    let l = p.law.as_deref().map(law).transpose()?.unwrap_or(Law::Zib2025);
    Ok(Json(st.services.security_measures(&a, l).await?))
}

pub async fn measure(State(st): State<AppState>, Signed(a): Signed, Path((l, no)): Path<(String, i64)>) -> ApiResult<Json<Value>> {
    let v = st.services.security_measure(&a, law(&l)?, no).await?;
    let mut live = vec![];
    for e in &v.live {
        live.push(json!({"evidence": e, "now": st.services.live_evidence(&a, *e).await?}));
    }
    Ok(Json(json!({"measure": v, "live": live})))
}

pub async fn save_measure(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path((l, no)): Path<(String, i64)>,
    Body(b): Body<AssessmentInput>,
) -> ApiResult<Json<Assessment>> {
    Ok(Json(st.services.save_assessment(&a, law(&l)?, no, &b).await?))
}

#[derive(serde::Deserialize, Default)]
pub struct FileName {
    #[serde(default)]
    pub name: String,
}

/// The file is the raw body; its name is `?name=`.
pub async fn add_evidence(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path((l, no)): Path<(String, i64)>,
    Query(q): Query<FileName>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream");
    let id = st.services.add_evidence(&a, law(&l)?, no, &q.name, ct, &body).await?;
    let (f, _) = st.services.evidence_file(&a, id).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "sha256": f.sha256, "size_bytes": f.size_bytes}))))
}

pub async fn evidence(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<axum::response::Response> {
    let (f, bytes) = st.services.evidence_file(&a, id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream".to_string()), (header::HeaderName::from_static("x-content-sha256"), f.sha256)],
        bytes,
    )
        .into_response())
}

pub async fn incidents(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<IncidentView>>> {
    Ok(Json(st.services.incidents(&a).await?))
}

#[derive(serde::Deserialize)]
pub struct NewIncident {
    #[serde(flatten)]
    pub incident: IncidentInput,
    #[serde(default)]
    pub asset_ids: Vec<i64>,
}

pub async fn record_incident(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<NewIncident>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    let id = st.services.record_incident(&a, &b.incident, &b.asset_ids).await?;
    Ok((StatusCode::CREATED, Json(st.services.incident(&a, id).await?)))
}

pub async fn incident(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<IncidentView>> {
    Ok(Json(st.services.incident(&a, id).await?))
}

pub async fn update_incident(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<NewIncident>,
) -> ApiResult<Json<IncidentView>> {
    st.services.update_incident(&a, id, &b.incident, &b.asset_ids).await?;
    Ok(Json(st.services.incident(&a, id).await?))
}

pub async fn report(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<SentInput>,
) -> ApiResult<(StatusCode, Json<IncidentView>)> {
    st.services.record_incident_report(&a, id, &b).await?;
    Ok((StatusCode::CREATED, Json(st.services.incident(&a, id).await?)))
}

#[derive(serde::Deserialize, Default)]
pub struct Year {
    #[serde(default)]
    pub year: Option<i16>,
}

pub async fn statistics(State(st): State<AppState>, Signed(a): Signed, Query(y): Query<Year>) -> ApiResult<Json<Statistics>> {
    let year = y.year.unwrap_or_else(|| upravnik_core::clock::local_date(st.services.clock.now_us()).map(|d| d.year() - 1).unwrap_or(2025));
    Ok(Json(st.services.incident_statistics(&a, year).await?))
}

pub async fn visits(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::server_room::Visit>>> {
    Ok(Json(st.services.server_room_visits(&a).await?))
}

pub async fn record_visit(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<upravnik_core::server_room::VisitInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.record_server_room_visit(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn visit_left(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.close_server_room_visit(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn trainings(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::trainings::Training>>> {
    Ok(Json(st.services.trainings(&a).await?))
}

pub async fn record_training(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<upravnik_core::trainings::TrainingInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.record_training(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

#[derive(serde::Deserialize, Default)]
pub struct Since {
    #[serde(default)]
    pub since: Option<String>,
}

pub async fn untrained(State(st): State<AppState>, Signed(a): Signed, Query(q): Query<Since>) -> ApiResult<Json<Value>> {
    let list = st.services.untrained_people(&a, q.since.as_deref()).await?;
    Ok(Json(json!(list.into_iter().map(|(id, name)| json!({"person_id": id, "name": name})).collect::<Vec<_>>())))
}

pub async fn removals(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::removals::Removal>>> {
    Ok(Json(st.services.removals(&a).await?))
}

pub async fn request_removal(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<upravnik_core::removals::RemovalInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.request_removal(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

#[derive(serde::Deserialize, Default)]
pub struct Decision {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

pub async fn decide_removal(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<Decision>,
) -> ApiResult<StatusCode> {
    if !matches!(b.decision.as_str(), "approve" | "reject") {
        return Err(Error::invalid("decision", "err-required").into());
    }
    st.services.decide_removal(&a, id, b.decision == "approve", &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn transfers(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::removals::Transfer>>> {
    Ok(Json(st.services.transfers(&a).await?))
}

pub async fn record_transfer(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<upravnik_core::removals::TransferInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.record_transfer(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}
