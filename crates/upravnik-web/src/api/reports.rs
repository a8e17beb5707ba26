//! `/api/v1/reports`: fault reports (R.52–R.53), their steps and comments.

use axum::Json;
use axum::extract::{FromRequest, Path, Query, State};
use axum::http::StatusCode;
use upravnik_core::Error;
use upravnik_core::helpdesk::{
    AssigneeFilter, Comment, CommentInput, LateFilter, Priority, Report, ReportDetail, ReportInput, ReportQuery, ReportSort, ReportState,
    StateFilter, TransitionInput,
};
use upravnik_core::org::Page;

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: Option<String>,
    /// A state, or `open` (neither resolved nor closed).
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    /// An administrator's account id, or `none` for reports nobody has taken.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Assigned to the caller.
    #[serde(default)]
    pub mine: Option<bool>,
    /// Open reports past a deadline: `any`, `response` or `resolution`.
    #[serde(default)]
    pub late: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub desc: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// State, priority and assignee filters of a list.
pub type Filters = (Option<StateFilter>, Option<Priority>, Option<AssigneeFilter>);

/// The filters shared by the list page and the API; unknown values are refused, not ignored.
pub fn filters(state: Option<&str>, priority: Option<&str>, assignee: Option<&str>, me: Option<i64>) -> Result<Filters, Error> {
    let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some("open") => Some(StateFilter::Open),
        Some(s) => Some(StateFilter::Is(ReportState::parse(s).ok_or(Error::invalid("state", "err-filter"))?)),
    };
    let priority = match priority.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => Some(Priority::parse(p).ok_or(Error::invalid("priority", "err-filter"))?),
    };
    let assignee = match (me, assignee.map(str::trim).filter(|s| !s.is_empty())) {
        (Some(u), _) => Some(AssigneeFilter::User(u)),
        (None, None) => None,
        (None, Some("none")) => Some(AssigneeFilter::Nobody),
        (None, Some(a)) => Some(AssigneeFilter::User(a.parse().map_err(|_| Error::invalid("assignee", "err-filter"))?)),
    };
    Ok((state, priority, assignee))
}

/// The late filter; an unknown value is refused.
pub fn late_filter(late: Option<&str>) -> Result<Option<LateFilter>, Error> {
    match late.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(l) => LateFilter::parse(l).map(Some).ok_or(Error::invalid("late", "err-filter")),
    }
}

pub async fn list(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<Params>) -> ApiResult<Json<Page<Report>>> {
    let me = p.mine.unwrap_or(false).then_some(a.user_id);
    let (state, priority, assignee) = filters(p.state.as_deref(), p.priority.as_deref(), p.assignee.as_deref(), me)?;
    let q = ReportQuery {
        office_id: a.office_id,
        late: late_filter(p.late.as_deref())?,
        q: p.q.clone(),
        state,
        priority,
        assignee,
        sort: ReportSort::parse(p.sort.as_deref().unwrap_or("")),
        desc: p.desc.unwrap_or(false),
        page: p.page.unwrap_or(1).max(1),
        per_page: p.per_page.unwrap_or(50).clamp(1, 500),
        ..Default::default()
    };
    Ok(Json(st.services.reports(&a, &q).await?))
}

pub async fn get(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<ReportDetail>> {
    Ok(Json(st.services.report_detail(&a, id).await?))
}

pub async fn create(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ReportInput>) -> ApiResult<(StatusCode, Json<Report>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_report(&a, &b).await?)))
}

/// `422` with `err-report-move` for a move the rules do not allow; `409 report_changed` when
/// someone else moved the report meanwhile.
pub async fn transition(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<TransitionInput>,
) -> ApiResult<(StatusCode, Json<Report>)> {
    Ok((StatusCode::CREATED, Json(st.services.move_report(&a, id, &b).await?)))
}

pub async fn comment(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<CommentInput>,
) -> ApiResult<(StatusCode, Json<Comment>)> {
    Ok((StatusCode::CREATED, Json(st.services.comment_report(&a, id, &b).await?)))
}

// The forms of a fault's life (R.52–R.53): work orders, hand-over records, service sheets.

use crate::auth::Ctx;
use axum::response::Response;
use upravnik_core::report_forms::{Handover, HandoverInput, Scan, ServiceSheet, ServiceSheetInput, WorkOrder, WorkOrderInput};

pub async fn work_orders(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<WorkOrder>>> {
    Ok(Json(st.services.report_forms(&a, id).await?.work_orders))
}

/// With `update_card`, lines with a `component` kind on a `part_replaced` or `upgrade` order are
/// added to the workstation card.
pub async fn create_work_order(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<WorkOrderInput>,
) -> ApiResult<(StatusCode, Json<WorkOrder>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_work_order(&a, id, &b).await?)))
}

pub async fn work_order_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(a): Signed,
    Path((id, wid)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let w = st.services.work_order(&a, id, wid).await?;
    let form = crate::ui::report_forms::work_order_form(&st, &ctx, &w).await;
    Ok(crate::export::pdf(form, &crate::ui::report_forms::file_stem(&w.number)).await)
}

pub async fn handovers(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<Handover>>> {
    Ok(Json(st.services.report_forms(&a, id).await?.handovers))
}

/// Keeps the record and moves the report to `at_service` (the asset's status follows).
pub async fn create_handover(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<HandoverInput>,
) -> ApiResult<(StatusCode, Json<Handover>)> {
    Ok((StatusCode::CREATED, Json(st.services.create_handover(&a, id, &b).await?)))
}

pub async fn handover_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(a): Signed,
    Path((id, hid)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let h = st.services.handover(&a, id, hid).await?;
    let form = crate::ui::report_forms::handover_form(&st, &ctx, &h).await;
    Ok(crate::export::pdf(form, &crate::ui::report_forms::file_stem(&h.number)).await)
}

pub async fn service_sheets(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Vec<ServiceSheet>>> {
    Ok(Json(st.services.report_forms(&a, id).await?.service_sheets))
}

/// JSON without a scan, or `multipart/form-data` with the fields of [`ServiceSheetInput`] and
/// the stamped sheet's scan as the file part `scan` (R.52.5; PDF, JPEG or PNG, at most 10 MB).
pub async fn create_service_sheet(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<ServiceSheet>)> {
    let multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
    let (input, scan) = if multipart {
        let headers = req.headers().clone();
        let m = axum::extract::Multipart::from_request(req, &st).await;
        let (f, scan) = crate::ui::report_forms::sheet_parts(&headers, m).await.map_err(|msg| Error::invalid("scan", msg))?;
        let scan = scan.map(|(name, bytes)| Scan::new(&name, bytes)).transpose()?;
        (crate::ui::report_forms::sheet_input(&f), scan)
    } else {
        let Body(b) = Body::<ServiceSheetInput>::from_request(req, &st).await?;
        (b, None)
    };
    Ok((StatusCode::CREATED, Json(st.services.create_service_sheet(&a, id, &input, scan).await?)))
}

pub async fn service_sheet_scan(State(st): State<AppState>, Signed(a): Signed, Path((id, sid)): Path<(i64, i64)>) -> ApiResult<Response> {
    Ok(crate::ui::report_forms::scan_response(st.services.service_sheet_scan(&a, id, sid).await?))
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct PriorityInput {
    #[serde(default)]
    pub priority: String,
}

/// A new priority; the deadlines are computed again (`409 report_changed` if someone else
/// changed the priority meanwhile).
pub async fn priority(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<PriorityInput>,
) -> ApiResult<Json<Report>> {
    Ok(Json(st.services.set_report_priority(&a, id, &b.priority).await?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatsParams {
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
}

/// The report on the work and efficiency of the staff (P.5.1) for `month=YYYY-MM` or `year=YYYY`.
pub async fn stats(
    State(st): State<AppState>,
    Signed(a): Signed,
    Query(p): Query<StatsParams>,
) -> ApiResult<Json<upravnik_core::sla_service::ReportStats>> {
    let period = upravnik_core::sla_service::StatsPeriod::parse(p.month.as_deref(), p.year.as_deref(), st.services.clock.now_us())?;
    Ok(Json(st.services.report_stats(&a, period).await?))
}

#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct LinkInput {
    pub article_id: i64,
}

/// The knowledge-base articles linked to a report (R.47–R.51).
pub async fn articles(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<upravnik_core::knowledge::Article>>> {
    Ok(Json(st.services.report_articles(&a, id).await?))
}

/// Links a published article to the report; linking it again changes nothing.
pub async fn link_article(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<LinkInput>,
) -> ApiResult<Json<Vec<upravnik_core::knowledge::Article>>> {
    Ok(Json(st.services.link_report_article(&a, id, b.article_id).await?))
}
