//! `/api/v1/security/checks`, `/acts`, `/processing` and `/api/v1/procurement`: the yearly
//! compliance check with findings and corrective actions, the acts reviewed yearly, the records of
//! processing activities (versions, never deleted) and procurement proposals (R.21).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::compliance::{ActInput, ActionInput, Check, CheckInput, CompleteInput, FindingInput, SecurityAct};
use upravnik_core::compliance_service::{ProposalView, RecordSummary};
use upravnik_core::processing::{ProcessingRecord, RecordInput};
use upravnik_core::procurement::{DecisionInput, ProposalInput};

use super::Body;
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::ApiResult;

fn created(id: i64) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({"id": id})))
}

pub async fn checks(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<Check>>> {
    Ok(Json(st.services.compliance_checks(&a).await?))
}

pub async fn start_check(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<CheckInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(st.services.start_check(&a, &b).await?))
}

/// The yearly duties: the next check, the acts' reviews, overdue corrective actions.
pub async fn duties(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let d = st.services.compliance_duties(&a).await?;
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
    Ok(Json(json!({
        "next_check_due": day(d.next_check_due),
        "check_open": d.check_open,
        "risk_assessment_due": day(d.risk_assessment_due),
        "security_act_due": day(d.security_act_due),
        "overdue_actions": d.overdue_actions,
    })))
}

pub async fn check(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Check>> {
    Ok(Json(st.services.compliance_check(&a, id).await?))
}

/// The report as a PDF, the same as the page's.
pub async fn check_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(a): Signed,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    let (form, stem) = crate::ui::compliance::report_form(&st, &ctx, &a, id).await?;
    Ok(crate::export::pdf(form, &stem).await)
}

pub async fn save_findings(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<Vec<FindingInput>>,
) -> ApiResult<StatusCode> {
    st.services.save_findings(&a, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_action(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ActionInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(st.services.add_corrective_action(&a, id, &b).await?))
}

pub async fn complete(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<CompleteInput>,
) -> ApiResult<StatusCode> {
    st.services.complete_check(&a, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    pub done_on: String,
    #[serde(default)]
    pub note: String,
}

pub async fn action_done(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>, Body(b): Body<Done>) -> ApiResult<StatusCode> {
    st.services.close_corrective_action(&a, id, &b.done_on, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn acts(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<SecurityAct>>> {
    Ok(Json(st.services.security_acts(&a).await?))
}

pub async fn record_act(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ActInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(st.services.record_security_act(&a, &b).await?))
}

pub async fn processing(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<RecordSummary>>> {
    Ok(Json(st.services.processing_records(&a).await?))
}

pub async fn processing_create(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<RecordInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (no, version) = st.services.save_processing_record(&a, None, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"record_no": no, "version": version}))))
}

/// Every version of the record, oldest first.
pub async fn processing_record(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(no): Path<i64>,
) -> ApiResult<Json<Vec<ProcessingRecord>>> {
    Ok(Json(st.services.processing_record(&a, no).await?))
}

/// A new version; `base_version` guards against overwriting a change made meanwhile.
pub async fn processing_update(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(no): Path<i64>,
    Body(b): Body<RecordInput>,
) -> ApiResult<Json<Value>> {
    let (no, version) = st.services.save_processing_record(&a, Some(no), &b).await?;
    Ok(Json(json!({"record_no": no, "version": version})))
}

pub async fn proposals(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<ProposalView>>> {
    Ok(Json(st.services.proposals(&a).await?))
}

pub async fn proposal(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<ProposalView>> {
    Ok(Json(st.services.proposal(&a, id).await?))
}

pub async fn propose(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ProposalInput>) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok(created(st.services.propose_procurement(&a, &b).await?))
}

pub async fn decide(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<DecisionInput>,
) -> ApiResult<StatusCode> {
    st.services.decide_proposal(&a, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, Default)]
pub struct Reference {
    #[serde(default)]
    pub procurement_ref: String,
}

pub async fn set_reference(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<Reference>,
) -> ApiResult<StatusCode> {
    st.services.set_procurement_ref(&a, id, &b.procurement_ref).await?;
    Ok(StatusCode::NO_CONTENT)
}
