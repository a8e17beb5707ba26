//! Saved filters: a list's query kept under a name by the person who uses it, optionally shared
//! with the office's other administrators. Saving and deleting one is written to the work log.

use crate::access::{Actor, Permission};
use crate::clock::Micros;
use crate::service::{Services, draft};
use crate::worklog::Category;
use crate::{Error, Result};

/// The lists that can save filters, with what reading each needs and its name in the log.
const PAGES: &[(&str, Permission, &str)] = &[("assets", Permission::AssetsRead, "Опрема")];

fn page_of(page: &str) -> Result<(&'static str, Permission, &'static str)> {
    PAGES.iter().copied().find(|(p, _, _)| *p == page).ok_or(Error::invalid("page", "err-filter-page"))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SavedFilter {
    pub id: i64,
    pub user_id: i64,
    /// Who saved it, for shared filters.
    pub owner_name: String,
    pub page: String,
    pub name: String,
    /// The list's query string without `?`, paging or export (e.g. `kind=printer&room=12`).
    pub query: String,
    pub shared: bool,
    pub created_us: Micros,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SavedFilterInput {
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub shared: bool,
}

impl SavedFilterInput {
    pub fn validate(&self) -> Result<SavedFilterInput> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::invalid("name", "err-required"));
        }
        if name.chars().count() > 80 {
            return Err(Error::invalid("name", "err-too-long"));
        }
        let query = self.query.trim().trim_start_matches('?').to_string();
        if query.chars().count() > 2000 || query.chars().any(char::is_control) {
            return Err(Error::invalid("query", "err-filter-query"));
        }
        page_of(&self.page)?;
        Ok(SavedFilterInput { page: self.page.clone(), name, query, shared: self.shared })
    }
}

impl Services {
    /// The actor's own filters for a list, then those other administrators shared.
    pub async fn saved_filters(&self, actor: &Actor, page: &str) -> Result<Vec<SavedFilter>> {
        let (page, perm, _) = page_of(page)?;
        actor.require(perm)?;
        self.store.saved_filters(actor.office_id, actor.user_id, page, actor.can(Permission::AssetsWrite)).await
    }

    pub async fn save_filter(&self, actor: &Actor, input: &SavedFilterInput) -> Result<SavedFilter> {
        let f = input.validate()?;
        let (_, perm, page_name) = page_of(&f.page)?;
        actor.require(perm)?;
        if f.shared && !actor.can(Permission::AssetsWrite) {
            // Only administrators share, and only with administrators.
            return Err(Error::invalid("shared", "err-filter-share"));
        }
        let shared = if f.shared { ", подељен са администраторима" } else { "" };
        let log = draft(actor, Category::ConfigurationChange, None, format!("Сачуван филтер „{}“ ({page_name}){shared}", f.name));
        self.store.create_saved_filter(actor.office_id, actor.user_id, &f, self.now(), log).await.map_err(|e| match e {
            Error::Conflict { code: "duplicate", .. } => Error::Conflict { code: "filter_name_taken", field: Some("name") },
            e => e,
        })
    }

    /// One filter the actor sees (own or shared with them).
    pub async fn saved_filter(&self, actor: &Actor, id: i64) -> Result<SavedFilter> {
        let f = self.store.saved_filter(actor.office_id, id).await?;
        let (_, perm, _) = page_of(&f.page)?;
        actor.require(perm)?;
        if f.user_id == actor.user_id || (f.shared && actor.can(Permission::AssetsWrite)) {
            Ok(f)
        } else {
            Err(Error::NotFound { what: "saved_filter" })
        }
    }

    /// Deletes one of the actor's own filters.
    pub async fn delete_saved_filter(&self, actor: &Actor, id: i64) -> Result<()> {
        let f = self.saved_filter(actor, id).await?;
        if f.user_id != actor.user_id {
            return Err(Error::Forbidden);
        }
        let (_, _, page_name) = page_of(&f.page)?;
        let log = draft(actor, Category::ConfigurationChange, None, format!("Обрисан сачувани филтер „{}“ ({page_name})", f.name));
        self.store.delete_saved_filter(actor.office_id, actor.user_id, id, self.now(), log).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_filter_has_a_name_a_known_page_and_a_plain_query() {
        let ok =
            SavedFilterInput { page: "assets".into(), name: " Штампачи ".into(), query: "?kind=printer".into(), shared: false };
        let v = ok.validate().ok();
        assert_eq!(v.as_ref().map(|v| (v.name.as_str(), v.query.as_str())), Some(("Штампачи", "kind=printer")));
        assert!(SavedFilterInput { name: "  ".into(), ..ok.clone() }.validate().is_err());
        assert!(SavedFilterInput { page: "worklog".into(), ..ok.clone() }.validate().is_err());
        assert!(SavedFilterInput { query: "a=1\nb".into(), ..ok }.validate().is_err());
    }
}
