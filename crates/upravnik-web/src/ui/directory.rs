//! `/accounts/directory`: the office's LDAP / Active Directory — where it is, how groups map to
//! roles, and the latest syncs with what they changed; administrators start one by hand.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use upravnik_core::Error;
use upravnik_core::clock::format_local;

use super::done;
use super::layout::{Chrome, render};
use super::view::ListParams;
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::{UiError, UiResult};

pub struct RunLine {
    pub when: String,
    pub ok: bool,
    pub created: i64,
    pub updated: i64,
    pub deactivated: i64,
    pub unchanged: i64,
    pub failed: i64,
    pub message: String,
}

#[derive(Template)]
#[template(path = "directory.html")]
pub struct DirectoryPage<'a> {
    pub c: Chrome<'a>,
    /// (label, value) of the settings; empty without a directory.
    pub facts: Vec<(String, String)>,
    /// (group, role)
    pub roles: Vec<(String, String)>,
    pub runs: Vec<RunLine>,
    pub can_sync: bool,
}

pub async fn page(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let link = st.services.directory().filter(|d| d.settings.office_id == actor.office_id);
    let mut facts = vec![];
    let mut roles = vec![];
    if let Some(d) = link {
        facts.push((tr.t("directory-url"), d.client.describe()));
        facts.push((tr.t("directory-manage"), tr.t(if d.settings.manage_accounts { "yes" } else { "no" })));
        roles = d.settings.roles.iter().map(|(g, r)| (g.clone(), tr.t(&format!("role-{}", r.as_str())))).collect();
    }
    let runs = st
        .services
        .directory_syncs(&actor, 50)
        .await?
        .into_iter()
        .map(|r| RunLine {
            when: format_local(r.started_us),
            ok: r.ok,
            created: r.counts.created,
            updated: r.counts.updated,
            deactivated: r.counts.deactivated,
            unchanged: r.counts.unchanged,
            failed: r.counts.failed,
            message: r.message,
        })
        .collect();
    let c = Chrome::new(&st, &ctx, "/accounts/directory", tr.t("directory-title")).flash(p.ok.as_deref());
    let can_sync = link.is_some() && actor.can(upravnik_core::access::Permission::UsersWrite);
    Ok(render(&DirectoryPage { c, facts, roles, runs, can_sync }))
}

/// `POST /accounts/directory/sync`: a sync now; an unreachable directory is said on the page's
/// list of runs (the failed run is recorded), not as an error page.
pub async fn sync(State(st): State<AppState>, Signed(actor): Signed) -> Result<Response, UiError> {
    match st.services.sync_directory(Some(&actor)).await {
        Ok(_) => Ok(done("/accounts/directory", "synced")),
        Err(Error::Unavailable { .. }) => Ok(done("/accounts/directory", "sync-failed")),
        Err(e) => Err(e.into()),
    }
}
