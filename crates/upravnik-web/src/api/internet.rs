//! `/api/v1/internet`: access per workstation (R.32), the sites of blocked categories, the
//! policy for Squid and Unbound (plain text, for a cron job with an API token), misuse reports
//! (R.32, R.34); `/api/v1/software/antivirus` (R.31, R.60) and `/api/v1/software/requests`
//! (R.62.7).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use upravnik_core::internet::{Access, AccessInput, Misuse, MisuseInput};
use upravnik_core::internet_service::{AntivirusRow, HostRow, Site};
use upravnik_core::software_requests::{DecisionInput, InstallRequest, RequestInput};

use super::Body;
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn hosts(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<HostRow>>> {
    Ok(Json(st.services.internet_hosts(&a).await?))
}

pub async fn host(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let h = st.services.internet_host(&a, id).await?;
    let effective: Vec<&str> = h.access_or_default().effective_blocked().iter().map(|c| c.as_str()).collect();
    Ok(Json(json!({"workstation": h, "effective_blocked": effective})))
}

pub async fn set_access(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<AccessInput>,
) -> ApiResult<Json<Access>> {
    Ok(Json(st.services.set_internet_access(&a, id, &b).await?))
}

pub async fn approve_social(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Access>> {
    Ok(Json(st.services.decide_social_networks(&a, id, true).await?))
}

pub async fn refuse_social(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Access>> {
    Ok(Json(st.services.decide_social_networks(&a, id, false).await?))
}

pub async fn sites(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<Site>>> {
    Ok(Json(st.services.internet_sites(&a).await?))
}

#[derive(serde::Deserialize)]
pub struct NewSites {
    pub category: String,
    /// One or more names, separated by spaces, commas or new lines.
    pub domains: String,
}

pub async fn add_sites(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<NewSites>) -> ApiResult<(StatusCode, Json<Value>)> {
    let added = st.services.add_internet_sites(&a, &b.category, &b.domains).await?;
    Ok((StatusCode::CREATED, Json(json!({"added": added}))))
}

pub async fn remove_site(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.remove_internet_site(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn plain(text: String, file: &str) -> axum::response::Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
        ],
        text,
    )
        .into_response()
}

/// The Squid ACL file (`squid -k parse` accepts it as is).
pub async fn squid(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<axum::response::Response> {
    Ok(plain(st.services.internet_policy(&a).await?.squid(), "upravnik-squid.conf"))
}

/// The Unbound blocklist (`unbound-checkconf` accepts it as is).
pub async fn unbound(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<axum::response::Response> {
    Ok(plain(st.services.internet_policy(&a).await?.unbound(), "upravnik-unbound.conf"))
}

#[derive(serde::Deserialize, Default)]
pub struct MisuseParams {
    /// Only those the head of administration has not seen yet.
    #[serde(default)]
    pub unseen: bool,
}

pub async fn misuse(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<MisuseParams>) -> ApiResult<Json<Vec<Misuse>>> {
    Ok(Json(st.services.misuse_reports(&a, p.unseen).await?))
}

pub async fn record_misuse(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<MisuseInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = st.services.record_misuse(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

pub async fn misuse_seen(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.acknowledge_misuse(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn antivirus(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<AntivirusRow>>> {
    Ok(Json(st.services.antivirus_coverage(&a).await?))
}

#[derive(serde::Deserialize, Default)]
pub struct RequestParams {
    #[serde(default)]
    pub open: bool,
}

pub async fn requests(
    State(st): State<AppState>,
    Signed(a): Signed,
    Query(p): Query<RequestParams>,
) -> ApiResult<Json<Vec<InstallRequest>>> {
    Ok(Json(st.services.install_requests(&a, p.open).await?))
}

pub async fn request(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<InstallRequest>> {
    Ok(Json(st.services.install_request(&a, id).await?))
}

pub async fn file_request(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<RequestInput>,
) -> ApiResult<(StatusCode, Json<InstallRequest>)> {
    let id = st.services.request_install(&a, &b).await?;
    Ok((StatusCode::CREATED, Json(st.services.install_request(&a, id).await?)))
}

pub async fn decide_request(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<DecisionInput>,
) -> ApiResult<Json<InstallRequest>> {
    st.services.decide_install(&a, id, &b).await?;
    Ok(Json(st.services.install_request(&a, id).await?))
}

#[derive(serde::Deserialize, Default)]
pub struct Installed {
    #[serde(default)]
    pub product_id: Option<i64>,
}

pub async fn request_installed(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<Installed>,
) -> ApiResult<Json<InstallRequest>> {
    st.services.mark_installed(&a, id, b.product_id).await?;
    Ok(Json(st.services.install_request(&a, id).await?))
}
