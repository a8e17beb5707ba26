//! `/api/v1/me`, `/accounts`, `/tokens`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use upravnik_core::Error;
use upravnik_core::access::Role;
use upravnik_core::org::Page;
use upravnik_core::ports::{Account, ApiToken};

use super::{ActiveBody, Body, ListParams};
use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn me(Signed(a): Signed) -> Json<Value> {
    Json(json!({
        "user_id": a.user_id, "person_id": a.person_id, "office_id": a.office_id, "username": a.username,
        "full_name": a.full_name, "roles": a.roles, "offices": a.offices, "locale": a.locale,
    }))
}

#[derive(serde::Deserialize)]
pub struct LocaleBody {
    pub locale: String,
}

/// The language of the pages for this account: `sr-Cyrl`, `sr-Latn` or `en`.
pub async fn set_locale(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<LocaleBody>) -> ApiResult<StatusCode> {
    let Some(lang) = crate::i18n::Lang::parse(&b.locale) else { return Err(Error::invalid("locale", "err-locale").into()) };
    st.services.set_locale(&a, lang.code()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The offices this account may work in; send `X-Office: id` to work in another.
pub async fn offices(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<upravnik_core::org::Office>>> {
    Ok(Json(st.services.offices(&a).await?))
}

pub async fn accounts(State(st): State<AppState>, Signed(a): Signed, Query(p): Query<ListParams>) -> ApiResult<Json<Page<Account>>> {
    Ok(Json(st.services.accounts(&a, &p.query(a.office_id)).await?))
}

pub async fn account(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<Json<Account>> {
    Ok(Json(st.services.account(&a, id).await?))
}

#[derive(serde::Deserialize)]
pub struct NewAccount {
    pub person_id: i64,
    pub username: String,
    pub password: String,
    pub roles: Vec<Role>,
}

pub async fn create_account(
    State(st): State<AppState>,
    Signed(a): Signed,
    Body(b): Body<NewAccount>,
) -> ApiResult<(StatusCode, Json<Account>)> {
    let acc = st.services.create_account(&a, b.person_id, &b.username, &b.password, b.roles).await?;
    Ok((StatusCode::CREATED, Json(acc)))
}

#[derive(serde::Deserialize)]
pub struct RolesBody {
    pub roles: Vec<Role>,
}

pub async fn set_roles(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<RolesBody>,
) -> ApiResult<Json<Account>> {
    st.services.set_roles(&a, id, b.roles).await?;
    Ok(Json(st.services.account(&a, id).await?))
}

pub async fn set_active(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<ActiveBody>,
) -> ApiResult<Json<Account>> {
    st.services.set_account_active(&a, id, b.active).await?;
    Ok(Json(st.services.account(&a, id).await?))
}

#[derive(serde::Deserialize)]
pub struct PasswordBody {
    pub password: String,
}

pub async fn set_password(
    State(st): State<AppState>,
    Signed(a): Signed,
    Path(id): Path<i64>,
    Body(b): Body<PasswordBody>,
) -> ApiResult<StatusCode> {
    st.services.reset_password(&a, id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

pub async fn change_own_password(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<ChangePassword>) -> ApiResult<StatusCode> {
    st.services.change_password(&a, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn tokens(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(st.services.api_tokens(&a).await?))
}

#[derive(serde::Deserialize)]
pub struct NewToken {
    pub name: String,
}

/// The token is in the answer once; only its digest is stored.
pub async fn create_token(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<NewToken>) -> ApiResult<(StatusCode, Json<Value>)> {
    let (t, secret) = st.services.create_api_token(&a, &b.name).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": t.id, "name": t.name, "created_us": t.created_us, "token": secret }))))
}

pub async fn revoke_token(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    match st.services.revoke_api_token(&a, id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(Error::NotFound { .. }) => Err(Error::NotFound { what: "API token" }.into()),
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/me/mfa`: whether the second factor is on, and an enrolment waiting for its code.
pub async fn mfa(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let enabled = st.services.mfa_enabled(&a).await?;
    let pending = st.services.mfa_pending(&a, crate::ui::mfa::ISSUER).await?;
    Ok(Json(json!({ "enabled": enabled, "pending": pending })))
}

/// `POST /api/v1/me/mfa/start`: a new secret and its `otpauth://` address (shown once here).
pub async fn mfa_start(
    State(st): State<AppState>,
    Signed(a): Signed,
) -> ApiResult<(StatusCode, Json<upravnik_core::mfa_service::Enrolment>)> {
    Ok((StatusCode::CREATED, Json(st.services.mfa_start(&a, crate::ui::mfa::ISSUER).await?)))
}

#[derive(serde::Deserialize)]
pub struct CodeBody {
    pub code: String,
}

pub async fn mfa_confirm(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<CodeBody>) -> ApiResult<StatusCode> {
    st.services.mfa_confirm(&a, &b.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn mfa_disable(State(st): State<AppState>, Signed(a): Signed, Body(b): Body<CodeBody>) -> ApiResult<StatusCode> {
    st.services.mfa_disable(&a, &b.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/accounts/{id}/mfa`: an administrator's reset (a lost phone).
pub async fn mfa_reset(State(st): State<AppState>, Signed(a): Signed, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    st.services.mfa_reset(&a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
