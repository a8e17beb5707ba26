//! The JSON API under `/api/v1/`: the same services as the pages, errors in one shape with
//! stable codes (`docs/API.md`), authenticated by personal API tokens (`Authorization: Bearer`).

pub mod account_requests;
pub mod accounts;
pub mod agents;
pub mod applications;
pub mod asset_import;
pub mod assets;
pub mod backups;
pub mod compliance;
pub mod consumables;
pub mod directory;
pub mod internet;
pub mod knowledge;
pub mod mail;
pub mod openapi;
pub mod org;
pub mod reports;
pub mod rules;
pub mod saved_filters;
pub mod security;
pub mod shares;
pub mod software;
pub mod subnets;
pub mod worklog;

use axum::Json;
use axum::extract::{FromRequest, Request};
use upravnik_core::Error;

use crate::error::ApiError;

/// A JSON body whose rejection is an API error, not axum's plain text.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(e) => {
                tracing::debug!(error = %e, "bad JSON body");
                Err(ApiError(Error::Invalid(vec![upravnik_core::FieldError::new("body", "err-json")])))
            }
        }
    }
}

/// List parameters of the API: `?q=&sort=&desc=true&page=&per_page=&inactive=true&unit=`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub desc: Option<bool>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    #[serde(default)]
    pub inactive: Option<bool>,
    #[serde(default)]
    pub unit: Option<i64>,
}

impl ListParams {
    pub fn query(&self, office_id: i64) -> upravnik_core::org::ListQuery {
        let mut q = upravnik_core::org::ListQuery::new(office_id);
        q.q = self.q.clone();
        q.sort = upravnik_core::org::SortKey::parse(self.sort.as_deref().unwrap_or(""));
        q.desc = self.desc.unwrap_or(false);
        q.page = self.page.unwrap_or(1).max(1);
        q.per_page = self.per_page.unwrap_or(50).clamp(1, 500);
        q.include_inactive = self.inactive.unwrap_or(false);
        q.unit_id = self.unit;
        q
    }
}

/// `{"active": false}` for activate/deactivate.
#[derive(Debug, serde::Deserialize)]
pub struct ActiveBody {
    pub active: bool,
}
