//! `/api/v1/directory`: the office's LDAP / Active Directory — its settings, the latest syncs,
//! and a sync now.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use upravnik_core::directory::SyncRun;

use crate::AppState;
use crate::auth::Signed;
use crate::error::ApiResult;

pub async fn show(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<Value>> {
    let runs = st.services.directory_syncs(&a, 50).await?;
    let d = st.services.directory().filter(|d| d.settings.office_id == a.office_id);
    Ok(Json(json!({
        "configured": d.is_some(),
        "url": d.map(|d| d.client.describe()),
        "manage_accounts": d.is_some_and(|d| d.settings.manage_accounts),
        "roles": d.map(|d| d.settings.roles.iter().map(|(g, r)| json!({"group": g, "role": r})).collect::<Vec<_>>()).unwrap_or_default(),
        "runs": runs,
    })))
}

pub async fn sync(State(st): State<AppState>, Signed(a): Signed) -> ApiResult<Json<SyncRun>> {
    Ok(Json(st.services.sync_directory(Some(&a)).await?))
}
