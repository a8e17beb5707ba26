//! The frame around every page (navigation by area, language switch, user menu), plus the
//! layers that render error pages and the first-run page.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use upravnik_core::access::{Actor, Permission};

use crate::AppState;
use crate::auth::{Ctx, is_api};
use crate::error::ErrorPage;
use crate::i18n::{Lang, Tr};

/// The confirmations a redirect may ask for (`?ok=…`).
pub const FLASHES: &[&str] = &[
    "created",
    "saved",
    "deactivated",
    "activated",
    "password",
    "revoked",
    "deleted",
    "accepted",
    "published",
    "synced",
    "sync-failed",
    "mfa-on",
    "mfa-off",
];

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// The frame's data; every page template has it as `c`.
pub struct Chrome<'a> {
    pub tr: Tr<'a>,
    pub title: String,
    pub csrf: String,
    pub path: String,
    pub nav: Vec<NavItem>,
    pub subnav: Vec<NavItem>,
    pub user_name: Option<String>,
    pub office_name: String,
    pub multi_office: bool,
    /// (id, name, current) of the offices to switch between.
    pub offices: Vec<(i64, String, bool)>,
    pub flash: Option<String>,
    /// (code, name, current)
    pub langs: Vec<(&'static str, &'static str, bool)>,
    /// R.61.8: users are told while the daily archive runs.
    pub archiving: bool,
}

/// Top-level areas in the rulebook's order (UI.md); each shown only to roles that may use it.
const AREAS: &[(&str, &str, Option<Permission>)] = &[
    ("/", "nav-home", None),
    ("/assets", "nav-equipment", Some(Permission::AssetsRead)),
    // Everyone follows their own reports here (UI.md: an employee sees their reports).
    ("/reports", "nav-faults", None),
    ("/people", "nav-people", Some(Permission::OrgRead)),
    ("/worklog", "nav-worklog", Some(Permission::WorklogRead)),
    ("/shares", "nav-area-shares", Some(Permission::OrgRead)),
    ("/security", "nav-area-security", Some(Permission::WorklogRead)),
];

/// The second row of the "People and access" area.
const PEOPLE_AREA: &[(&str, &str, Option<Permission>)] = &[
    ("/people", "nav-employees", Some(Permission::OrgRead)),
    ("/units", "nav-units", Some(Permission::OrgRead)),
    ("/workplaces", "nav-workplaces", Some(Permission::OrgRead)),
    ("/accounts", "nav-accounts", Some(Permission::UsersRead)),
    ("/accounts/directory", "nav-directory", Some(Permission::UsersRead)),
    ("/account-requests", "nav-account-requests", Some(Permission::AccountRequest)),
    ("/applications", "nav-applications", Some(Permission::OrgRead)),
    ("/rules/acceptances", "nav-rules", Some(Permission::OrgRead)),
];

/// The second row of the "Equipment" area: the registry, the store of consumables (R.3), the networks,
/// the inventory agents.
const EQUIPMENT_AREA: &[(&str, &str, Option<Permission>)] = &[
    ("/assets", "nav-assets", Some(Permission::AssetsRead)),
    ("/consumables", "nav-consumables", Some(Permission::AssetsRead)),
    ("/software", "nav-software", Some(Permission::AssetsRead)),
    ("/internet", "nav-internet", Some(Permission::AssetsRead)),
    ("/subnets", "nav-subnets", Some(Permission::AssetsRead)),
    ("/agents", "nav-agents", Some(Permission::AssetsRead)),
    ("/procurement", "nav-procurement", Some(Permission::WorklogRead)),
];

/// The second row of the "Work log" area: the log (R.20) and the archiving it records (R.22, R.66).
const WORKLOG_AREA: &[(&str, &str, Option<Permission>)] = &[
    ("/worklog", "nav-worklog", Some(Permission::WorklogRead)),
    ("/backups", "nav-backups", Some(Permission::WorklogRead)),
    ("/backups/media", "nav-backup-media", Some(Permission::WorklogRead)),
];

/// The second row of the "Security" area (UI.md; R.54–R.66, ZIB 91/2025, ZZPL).
const SECURITY_AREA: &[(&str, &str, Option<Permission>)] = &[
    ("/security", "nav-security", Some(Permission::WorklogRead)),
    ("/security/checks", "nav-checks", Some(Permission::WorklogRead)),
    ("/security/incidents", "nav-incidents", Some(Permission::WorklogRead)),
    ("/security/removals", "nav-removals", Some(Permission::WorklogRead)),
    ("/security/server-room", "nav-server-room", Some(Permission::WorklogRead)),
    ("/security/trainings", "nav-trainings", Some(Permission::WorklogRead)),
    ("/security/processing", "nav-processing", Some(Permission::WorklogRead)),
];

/// The second row of the "Faults" area (UI.md): the reports, the knowledge base (R.47–R.51),
/// the monthly figures (P.5.1) and the response targets.
const FAULTS_AREA: &[(&str, &str, Option<Permission>)] = &[
    ("/reports", "nav-reports", None),
    ("/kb", "nav-kb", None),
    ("/software/requests", "nav-install-requests", Some(Permission::HelpdeskReport)),
    ("/reports/stats", "nav-report-stats", Some(Permission::HelpdeskRead)),
    ("/reports/settings", "nav-report-settings", Some(Permission::HelpdeskWrite)),
];

fn area_of(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    // Install requests are filed by every employee, next to their fault reports.
    if path.starts_with("/software/requests") {
        return "/reports";
    }
    match first {
        "people" | "units" | "workplaces" | "accounts" | "account-requests" | "rules" | "applications" => "/people",
        "worklog" | "backups" => "/worklog",
        "security" => "/security",
        "shares" => "/shares",
        "reports" => "/reports",
        "assets" | "consumables" | "software" | "internet" | "subnets" | "agents" | "procurement" => "/assets",
        "kb" => "/reports",
        _ => "/",
    }
}

fn items(tr: &Tr<'_>, actor: Option<&Actor>, list: &[(&'static str, &str, Option<Permission>)], current: &str) -> Vec<NavItem> {
    let Some(a) = actor else { return vec![] };
    list.iter()
        .filter(|(_, _, p)| p.is_none_or(|p| a.can(p)))
        .map(|(href, key, _)| NavItem { href, label: tr.t(key), current: *href == current })
        .collect()
}

impl<'a> Chrome<'a> {
    pub fn new(st: &'a AppState, ctx: &Ctx, path: &str, title: String) -> Self {
        let tr = ctx.tr(st);
        let actor = ctx.actor.as_ref();
        let area = area_of(path);
        let sub = match area {
            "/people" => PEOPLE_AREA,
            "/worklog" => WORKLOG_AREA,
            "/security" => SECURITY_AREA,
            "/assets" => EQUIPMENT_AREA,
            "/reports" => FAULTS_AREA,
            _ => &[],
        };
        // The longest link the path starts with: /reports/stats is not /reports.
        let sub_current = sub
            .iter()
            .map(|(h, _, _)| *h)
            .filter(|h| path == *h || path.starts_with(&format!("{h}/")) || path.starts_with(&format!("{h}?")))
            .max_by_key(|h| h.len())
            .unwrap_or("");
        let subnav = items(&tr, actor, sub, sub_current);
        Self {
            tr,
            title,
            csrf: ctx.csrf.clone(),
            path: path.to_string(),
            nav: items(&tr, actor, AREAS, area),
            subnav,
            user_name: actor.map(|a| tr.d(&a.full_name)),
            office_name: actor.and_then(|a| ctx.offices.iter().find(|o| o.id == a.office_id)).map(|o| tr.d(&o.name)).unwrap_or_default(),
            multi_office: ctx.offices.len() > 1,
            offices: ctx.offices.iter().map(|o| (o.id, tr.d(&o.name), actor.is_some_and(|a| a.office_id == o.id))).collect(),
            flash: None,
            langs: Lang::ALL.iter().map(|l| (l.code(), l.native_name(), *l == ctx.lang)).collect(),
            archiving: actor.is_some() && st.services.archiving_notice(),
        }
    }

    /// A confirmation after a redirect (`?ok=saved`); only the known ones.
    pub fn flash(mut self, ok: Option<&str>) -> Self {
        self.flash = ok.filter(|k| FLASHES.contains(k)).map(|k| self.tr.t(&format!("flash-{k}")));
        self
    }
}

/// A page that may carry a form's errors: 422 when it does, so a refused save is not a 200.
pub fn render_form(t: &impl Template, has_errors: bool) -> Response {
    let status = if has_errors { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    (status, render(t)).into_response()
}

/// Renders a template, or a plain 500 if it fails (logged).
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub c: Chrome<'a>,
    pub text: String,
    pub code: Option<String>,
    pub command: Option<String>,
}

/// Replaces the empty body of an error response from a page handler with a full page.
pub async fn error_pages(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let ctx = req.extensions().get::<Ctx>().cloned();
    let res = next.run(req).await;
    if is_api(&path) {
        return res;
    }
    let status = res.status();
    let marker = res.extensions().get::<ErrorPage>().copied();
    let bare_404 = status == StatusCode::NOT_FOUND && res.headers().get(header::CONTENT_TYPE).is_none();
    if marker.is_none() && !bare_404 {
        return res;
    }
    let Some(ctx) = ctx else { return res };
    let code = marker.map(|m| m.code).unwrap_or("not_found");
    let tr = ctx.tr(&st);
    let page = MessagePage {
        c: Chrome::new(&st, &ctx, &path, tr.t(&format!("error-{code}-title"))),
        text: tr.t(&format!("error-{code}")),
        code: Some(code.to_string()),
        command: None,
    };
    (status, render(&page)).into_response()
}

/// Until the first administrator exists, every page says how to create one.
pub async fn setup_gate(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let exempt = is_api(path) || path.starts_with("/static/") || path == "/healthz" || path == "/metrics" || path == "/language";
    if exempt || !st.needs_setup().await {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else { return next.run(req).await };
    let tr = ctx.tr(&st);
    let page = MessagePage {
        c: Chrome::new(&st, &ctx, path, tr.t("setup-title")),
        text: tr.t("setup-text"),
        code: None,
        command: Some("upravnik admin create --username admin --full-name \"Име Презиме\" --password-stdin".into()),
    };
    (StatusCode::SERVICE_UNAVAILABLE, render(&page)).into_response()
}
