//! Internet access per workstation (R.32), the blocked sites and the exports for Squid and
//! Unbound, misuse reports (R.32, R.34), antivirus coverage (R.31, R.60) and software install
//! requests (R.30, R.62.7).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::antivirus::{Coverage, describe};
use upravnik_core::clock::{format_local, parse_date};
use upravnik_core::internet::{Access, AccessInput, MisuseInput, MisuseKind, SiteCategory, Social};
use upravnik_core::internet_service::HostRow;
use upravnik_core::software_requests::{DecisionInput, InstallRequest, RequestInput, RequestState};

use super::layout::{Chrome, render_form};
use super::org::{form_page, list_or_export};
use super::view::{Button, Cell, Field, FormView, ListParams, ListView, Opt, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

const PER_PAGE: usize = 50;

/// The rows of one page (all of them for an export), and the page for the pager.
pub(super) fn page_of(rows: Vec<Vec<Cell>>, p: &ListParams) -> (upravnik_core::org::Page<()>, Vec<Vec<Cell>>) {
    let total = rows.len() as i64;
    if p.format.is_some() {
        let per = u32::try_from(total.max(1)).unwrap_or(u32::MAX);
        return (upravnik_core::org::Page { items: vec![], total, page: 1, per_page: per }, rows);
    }
    let page = p.page.unwrap_or(1).max(1);
    let skip = (page as usize - 1) * PER_PAGE;
    let rows = rows.into_iter().skip(skip).take(PER_PAGE).collect();
    (upravnik_core::org::Page { items: vec![], total, page, per_page: PER_PAGE as u32 }, rows)
}

fn matches_q(p: &ListParams, text: &str) -> bool {
    let q = upravnik_core::text::search_key(&p.q);
    q.is_empty() || upravnik_core::text::search_key(text).contains(&q)
}

fn category_name(tr: &Tr<'_>, c: SiteCategory) -> String {
    tr.t(&format!("net-category-{}", c.as_str()))
}

fn blocked_text(tr: &Tr<'_>, a: &Access) -> String {
    if !a.allowed {
        return "—".into();
    }
    let b: Vec<String> = a.effective_blocked().into_iter().map(|c| category_name(tr, c)).collect();
    if b.is_empty() { tr.t("net-nothing-blocked") } else { b.join(", ") }
}

fn social_cell(tr: &Tr<'_>, a: &Access) -> Cell {
    let (key, class) = match a.social {
        Social::Blocked => ("net-social-blocked", "muted"),
        Social::Requested { .. } => ("net-social-requested", "warn"),
        Social::Approved { .. } => ("net-social-approved", "ok"),
    };
    Cell { text: tr.t(key), href: None, class: Some(class) }
}

fn access_cell(tr: &Tr<'_>, a: &Access) -> Cell {
    if a.allowed {
        Cell { text: tr.t("net-allowed"), href: None, class: Some("ok") }
    } else {
        Cell { text: tr.t("net-denied"), href: None, class: Some("muted") }
    }
}

/// `GET /internet`: every workstation with its access (R.32).
pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let mut hosts = st.services.internet_hosts(&actor).await?;
    hosts.retain(|h| {
        matches_q(&p, &format!("{} {} {} {} {}", h.label, h.inventory_number, h.ip.as_deref().unwrap_or(""), h.unit, h.person))
    });
    match p.status.as_deref() {
        Some("allowed") => hosts.retain(|h| h.access_or_default().allowed),
        Some("denied") => hosts.retain(|h| !h.access_or_default().allowed),
        Some("social") => hosts.retain(|h| matches!(h.access_or_default().social, Social::Requested { .. })),
        Some("no_ip") => hosts.retain(|h| h.ip.is_none()),
        _ => {}
    }
    let rows = hosts
        .iter()
        .map(|h| {
            let a = h.access_or_default();
            vec![
                Cell::link(h.name(), format!("/internet/{}", h.asset_id)),
                Cell::text(h.ip.clone().unwrap_or_else(|| tr.t("net-no-ip"))),
                Cell::text(tr.d(&h.unit)),
                Cell::text(tr.d(&h.person)),
                access_cell(&tr, &a),
                Cell::text(blocked_text(&tr, &a)),
                social_cell(&tr, &a),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("net-workstation"), None),
        (tr.t("field-ip"), None),
        (tr.t("field-unit"), None),
        (tr.t("field-person"), None),
        (tr.t("net-access"), None),
        (tr.t("net-blocked"), None),
        (tr.t("net-social"), None),
    ];
    let (page, rows) = page_of(rows, &p);
    let mut v = ListView::build(&tr, "/internet", &p, &page, cols, rows, tr.t("net-empty"));
    let status = p.status.clone().unwrap_or_default();
    let opts = ["", "allowed", "denied", "social", "no_ip"]
        .iter()
        .map(|s| Opt {
            value: (*s).into(),
            label: tr.t(&format!("net-filter-{}", if s.is_empty() { "all" } else { s })),
            selected: status == *s,
        })
        .collect();
    v.filters.push(Field::select("status", tr.t("field-status"), opts));
    v.more_actions.push(("/internet/sites".into(), tr.t("net-sites")));
    v.more_actions.push(("/internet/misuse".into(), tr.t("misuse-title")));
    v.actions.push(("/internet/squid.conf".into(), tr.t("net-export-squid")));
    v.actions.push(("/internet/unbound.conf".into(), tr.t("net-export-unbound")));
    Ok(list_or_export(&st, &ctx, "/internet", tr.t("net-title"), &p, v).await)
}

fn access_fields(tr: &Tr<'_>, i: &AccessInput) -> Vec<Field> {
    let blocked = [SiteCategory::Adult, SiteCategory::Games, SiteCategory::Malware]
        .iter()
        .map(|c| Opt { value: c.as_str().into(), label: category_name(tr, *c), selected: i.blocked.iter().any(|b| b == c.as_str()) })
        .collect();
    vec![
        Field::new("allowed", "checkbox", tr.t("net-allowed-field"), if i.allowed { "1" } else { "" }),
        Field::checks("blocked", tr.t("net-blocked"), blocked),
        Field::new("social_reason", "textarea", tr.t("net-social-reason"), i.social_reason.clone()).hint(tr.t("hint-net-social")),
        Field::new("note", "textarea", tr.t("field-note"), i.note.clone()),
    ]
}

fn access_input(a: &Access) -> AccessInput {
    let reason = match &a.social {
        Social::Blocked => String::new(),
        Social::Requested { reason } | Social::Approved { reason, .. } => reason.clone(),
    };
    AccessInput {
        allowed: a.allowed,
        blocked: a.blocked.iter().map(|c| c.as_str().to_string()).collect(),
        social_reason: reason,
        note: a.note.clone(),
    }
}

async fn host_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    edit: Option<&AccessInput>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let h: HostRow = st.services.internet_host(actor, id).await?;
    let a = h.access_or_default();
    let base = format!("/internet/{id}");
    let mut v = FormView::new(base.clone(), tr.t("save"), access_fields(&tr, edit.unwrap_or(&access_input(&a)))).with_errors(&tr, errs);
    v.editable = actor.can(Permission::AssetsWrite);
    v.cancel_href = Some("/internet".into());
    let mut intro = format!(
        "{}: {} · {}: {}",
        tr.t("field-ip"),
        h.ip.clone().unwrap_or_else(|| tr.t("net-no-ip")),
        tr.t("net-blocked"),
        blocked_text(&tr, &a)
    );
    if let Social::Approved { by, at_us, .. } = &a.social {
        intro.push_str(&format!(" · {}", tr.ta("net-social-approved-by", &[("name", by.clone()), ("at", format_local(*at_us))])));
    }
    v.intro = Some(intro);
    let s = social_cell(&tr, &a);
    v.status = Some((format!("{} · {}", access_cell(&tr, &a).text, s.text), s.class.unwrap_or("muted")));
    if matches!(a.social, Social::Requested { .. }) && actor.can(Permission::ApproveSocialNetworks) {
        v.buttons.push(Button {
            action: format!("{base}/social/approve"),
            label: tr.t("net-social-approve"),
            class: "primary",
            confirm: None,
        });
        v.buttons.push(Button {
            action: format!("{base}/social/refuse"),
            label: tr.t("net-social-refuse"),
            class: "danger",
            confirm: Some(tr.t("net-social-refuse-confirm")),
        });
    }
    let c = Chrome::new(st, ctx, &base, format!("{} — {}", tr.t("net-title"), h.name())).flash(ok);
    Ok(form_page(c, v))
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    host_page(&st, &ctx, &actor, id, None, &[], p.ok.as_deref()).await
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let i = AccessInput {
        allowed: f.get("allowed") == "1",
        blocked: f.all("blocked"),
        social_reason: f.get("social_reason"),
        note: f.get("note"),
    };
    match st.services.set_internet_access(&actor, id, &i).await {
        Ok(_) => Ok(done(&format!("/internet/{id}"), "saved")),
        Err(Error::Invalid(errs)) => host_page(&st, &ctx, &actor, id, Some(&i), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn approve_social(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.decide_social_networks(&actor, id, true).await?;
    Ok(done(&format!("/internet/{id}"), "saved"))
}

pub async fn refuse_social(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.decide_social_networks(&actor, id, false).await?;
    Ok(done(&format!("/internet/{id}"), "saved"))
}

#[derive(Template)]
#[template(path = "internet_sites.html")]
pub struct SitesPage<'a> {
    pub c: Chrome<'a>,
    /// (category name, [(id, domain)])
    pub groups: Vec<(String, Vec<(i64, String)>)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

async fn sites_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    category: &str,
    domains: &str,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let sites = st.services.internet_sites(actor).await?;
    let groups = SiteCategory::ALL
        .iter()
        .map(|c| (category_name(&tr, *c), sites.iter().filter(|s| s.category == *c).map(|s| (s.id, s.domain.clone())).collect()))
        .collect();
    let cat = if category.is_empty() { "social" } else { category };
    let cats = SiteCategory::ALL
        .iter()
        .map(|c| Opt { value: c.as_str().into(), label: category_name(&tr, *c), selected: c.as_str() == cat })
        .collect();
    let mut fields = vec![
        Field::select("category", tr.t("net-category"), cats),
        Field::new("domains", "textarea", tr.t("net-domains"), domains.to_string()).required().hint(tr.t("hint-net-domains")),
    ];
    for e in errs {
        let name = if e.field == "domain" { "domains" } else { e.field };
        if let Some(f) = fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(tr.t(e.message));
        }
    }
    let page = SitesPage {
        groups,
        fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::AssetsWrite),
        c: Chrome::new(st, ctx, "/internet/sites", tr.t("net-sites")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn sites(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    sites_page(&st, &ctx, &actor, "", "", &[], p.ok.as_deref()).await
}

pub async fn add_sites(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let (category, domains) = (f.get("category"), f.get("domains"));
    match st.services.add_internet_sites(&actor, &category, &domains).await {
        Ok(_) => Ok(done("/internet/sites", "saved")),
        Err(Error::Invalid(errs)) => sites_page(&st, &ctx, &actor, &category, &domains, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn add_standard_sites(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    st.services.add_standard_sites(&actor).await?;
    Ok(done("/internet/sites", "created"))
}

pub async fn remove_site(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.remove_internet_site(&actor, id).await?;
    Ok(done("/internet/sites", "deleted"))
}

pub async fn squid(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    Ok(crate::api::internet::plain(st.services.internet_policy(&actor).await?.squid(), "upravnik-squid.conf"))
}

pub async fn unbound(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    Ok(crate::api::internet::plain(st.services.internet_policy(&actor).await?.unbound(), "upravnik-unbound.conf"))
}

fn misuse_kind(tr: &Tr<'_>, k: MisuseKind) -> String {
    tr.t(&format!("misuse-kind-{}", k.as_str()))
}

/// `GET /internet/misuse`: recorded misuse, newest first (R.32, R.34).
pub async fn misuse_list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let unseen = p.status.as_deref() == Some("unseen");
    let mut list = st.services.misuse_reports(&actor, unseen).await?;
    list.retain(|m| matches_q(&p, &format!("{} {} {} {}", m.asset, m.person, m.description, m.action)));
    let rows = list
        .iter()
        .map(|m| {
            let day = parse_date(&m.happened_on).map(upravnik_core::clock::format_date).unwrap_or_default();
            vec![
                Cell::link(format!("{}", m.id), format!("/internet/misuse/{}", m.id)),
                Cell::text(day),
                Cell::text(misuse_kind(&tr, m.kind)),
                Cell::text(m.asset.clone()),
                Cell::text(tr.d(&m.person)),
                Cell::text(tr.d(&m.description)),
                match &m.seen_by {
                    Some(by) => Cell { text: tr.t1("misuse-seen-by", "name", by.clone()), href: None, class: Some("ok") },
                    None => Cell { text: tr.t("misuse-unseen"), href: None, class: Some("warn") },
                },
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("misuse-when"), None),
        (tr.t("misuse-kind"), None),
        (tr.t("net-workstation"), None),
        (tr.t("field-person"), None),
        (tr.t("field-description"), None),
        (tr.t("misuse-head"), None),
    ];
    let (page, rows) = page_of(rows, &p);
    let mut v = ListView::build(&tr, "/internet/misuse", &p, &page, cols, rows, tr.t("misuse-empty"));
    let opts = vec![
        Opt { value: String::new(), label: tr.t("net-filter-all"), selected: !unseen },
        Opt { value: "unseen".into(), label: tr.t("misuse-unseen"), selected: unseen },
    ];
    v.filters.push(Field::select("status", tr.t("field-status"), opts));
    if actor.can(Permission::AssetsWrite) {
        v.new_action = Some(("/internet/misuse/new".into(), tr.t("misuse-new")));
    }
    Ok(list_or_export(&st, &ctx, "/internet/misuse", tr.t("misuse-title"), &p, v).await)
}

async fn misuse_form(st: &AppState, ctx: &Ctx, actor: &Actor, i: &MisuseInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let kind = if i.kind.is_empty() { "internet_misuse" } else { i.kind.as_str() };
    let kinds = MisuseKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: misuse_kind(&tr, *k), selected: k.as_str() == kind })
        .collect();
    let hosts = st.services.internet_hosts(actor).await?.into_iter().map(|h| (h.asset_id, h.name()));
    let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
    q.per_page = 5000;
    let people = st.services.people(actor, &q).await?.items.into_iter().map(|p| (p.id, tr.d(&p.full_name())));
    let fields = vec![
        Field::select("kind", tr.t("misuse-kind"), kinds).hint(tr.t("hint-misuse-kind")),
        Field::new("happened_on", "text", tr.t("misuse-when"), i.happened_on.clone()).required().hint(tr.t("hint-date")),
        Field::select("asset_id", tr.t("net-workstation"), options(Some("—".into()), hosts, i.asset_id)),
        Field::select("person_id", tr.t("field-person"), options(Some("—".into()), people, i.person_id)),
        Field::new("description", "textarea", tr.t("field-description"), i.description.clone()).required(),
        Field::new("action", "textarea", tr.t("misuse-action"), i.action.clone()),
        Field::new("cut_access", "checkbox", tr.t("misuse-cut"), if i.cut_access { "1" } else { "" }),
    ];
    let mut v = FormView::new("/internet/misuse", tr.t("save"), fields).with_errors(&tr, errs);
    v.cancel_href = Some("/internet/misuse".into());
    v.intro = Some(tr.t("misuse-intro"));
    Ok(form_page(Chrome::new(st, ctx, "/internet/misuse/new", tr.t("misuse-new")), v))
}

pub async fn misuse_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    let today = upravnik_core::clock::local_date(st.services.clock.now_us()).map(upravnik_core::clock::format_date).unwrap_or_default();
    misuse_form(&st, &ctx, &actor, &MisuseInput { happened_on: today, ..Default::default() }, &[]).await
}

pub async fn misuse_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = MisuseInput {
        kind: f.get("kind"),
        asset_id: f.id("asset_id"),
        person_id: f.id("person_id"),
        happened_on: f.get("happened_on"),
        description: f.get("description"),
        action: f.get("action"),
        cut_access: f.get("cut_access") == "1",
    };
    match st.services.record_misuse(&actor, &i).await {
        Ok(id) => Ok(done(&format!("/internet/misuse/{id}"), "created")),
        Err(Error::Invalid(errs)) => misuse_form(&st, &ctx, &actor, &i, &errs).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn misuse_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let m = st
        .services
        .misuse_reports(&actor, false)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(Error::NotFound { what: "misuse report" })?;
    let shown = |label: String, value: String| Field::new("x", "text", label, value);
    let day = parse_date(&m.happened_on).map(upravnik_core::clock::format_date).unwrap_or_default();
    let fields = vec![
        shown(tr.t("misuse-kind"), misuse_kind(&tr, m.kind)),
        shown(tr.t("misuse-when"), day),
        shown(tr.t("net-workstation"), m.asset.clone()),
        shown(tr.t("field-person"), tr.d(&m.person)),
        shown(tr.t("field-description"), tr.d(&m.description)),
        shown(tr.t("misuse-action"), tr.d(&m.action)),
        shown(tr.t("misuse-cut"), tr.t(if m.access_cut { "yes" } else { "no" })),
        shown(tr.t("misuse-recorded"), format!("{} · {}", tr.d(&m.recorded_by), format_local(m.recorded_us))),
    ];
    let mut v = FormView::new("", String::new(), fields);
    v.editable = false;
    v.status = Some(match (&m.seen_by, m.seen_us) {
        (Some(by), Some(at)) => (format!("{} · {}", tr.t1("misuse-seen-by", "name", by.clone()), format_local(at)), "ok"),
        _ => (tr.t("misuse-unseen"), "warn"),
    });
    if m.seen_us.is_none() && actor.can(Permission::AcknowledgeMisuse) {
        v.buttons.push(Button {
            action: format!("/internet/misuse/{id}/seen"),
            label: tr.t("misuse-mark-seen"),
            class: "primary",
            confirm: None,
        });
    }
    let c = Chrome::new(&st, &ctx, &format!("/internet/misuse/{id}"), format!("{} {id}", tr.t("misuse-one"))).flash(p.ok.as_deref());
    Ok(form_page(c, v))
}

pub async fn misuse_seen(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.acknowledge_misuse(&actor, id).await?;
    Ok(done(&format!("/internet/misuse/{id}"), "saved"))
}

fn coverage_cell(tr: &Tr<'_>, c: Coverage) -> Cell {
    let class = match c {
        Coverage::Protected => "ok",
        Coverage::NotReported => "muted",
        Coverage::Outdated => "warn",
        Coverage::Missing | Coverage::Disabled => "error",
    };
    Cell { text: tr.t(&format!("av-{}", c.as_str())), href: None, class: Some(class) }
}

/// `GET /software/antivirus`: workstations the antivirus does not cover (R.31, R.60); all of
/// them with `status=all`.
pub async fn antivirus(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let mut list = st.services.antivirus_coverage(&actor).await?;
    let status = p.status.clone().unwrap_or_default();
    match status.as_str() {
        "all" => {}
        "" => list.retain(|r| r.coverage.is_problem()),
        s => list.retain(|r| Some(r.coverage) == Coverage::parse(s)),
    }
    list.retain(|r| matches_q(&p, &format!("{} {} {} {}", r.label, r.inventory_number, r.unit, r.antivirus.as_deref().unwrap_or(""))));
    let rows = list
        .iter()
        .map(|r| {
            let name = if r.label.is_empty() { r.inventory_number.clone() } else { format!("{} ({})", r.label, r.inventory_number) };
            vec![
                Cell::link(name, format!("/assets/{}", r.asset_id)),
                Cell::text(tr.d(&r.unit)),
                Cell::text(r.os.clone()),
                Cell::text(describe(r.antivirus.as_deref())),
                coverage_cell(&tr, r.coverage),
                Cell::text(r.last_inventory_us.map(format_local).unwrap_or_default()),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("net-workstation"), None),
        (tr.t("field-unit"), None),
        (tr.t("av-os"), None),
        (tr.t("av-products"), None),
        (tr.t("field-status"), None),
        (tr.t("av-last-inventory"), None),
    ];
    let (page, rows) = page_of(rows, &p);
    let mut v = ListView::build(&tr, "/software/antivirus", &p, &page, cols, rows, tr.t("av-empty"));
    let mut opts = vec![
        Opt { value: String::new(), label: tr.t("av-filter-problems"), selected: status.is_empty() },
        Opt { value: "all".into(), label: tr.t("net-filter-all"), selected: status == "all" },
    ];
    opts.extend(Coverage::ALL.iter().map(|c| Opt {
        value: c.as_str().into(),
        label: tr.t(&format!("av-{}", c.as_str())),
        selected: status == c.as_str(),
    }));
    v.filters.push(Field::select("status", tr.t("field-status"), opts));
    Ok(list_or_export(&st, &ctx, "/software/antivirus", tr.t("av-title"), &p, v).await)
}

fn state_cell(tr: &Tr<'_>, s: RequestState) -> Cell {
    let class = match s {
        RequestState::Submitted | RequestState::Approved | RequestState::Installed => "warn",
        RequestState::Rejected => "muted",
        RequestState::Confirmed => "ok",
    };
    Cell { text: tr.t(&format!("swr-state-{}", s.as_str())), href: None, class: Some(class) }
}

/// `GET /software/requests`: install requests (R.62.7); an employee sees their own.
pub async fn requests(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let open = p.status.as_deref() != Some("all");
    let mut list = st.services.install_requests(&actor, open).await?;
    list.retain(|r| matches_q(&p, &format!("{} {} {} {}", r.asset, r.name, r.product, r.requested_by)));
    let rows = list
        .iter()
        .map(|r| {
            vec![
                Cell::link(r.id.to_string(), format!("/software/requests/{}", r.id)),
                Cell::text(r.asset.clone()),
                Cell::text(tr.d(&r.name)),
                Cell::text(tr.d(&r.requested_by)),
                Cell::text(format_local(r.requested_us)),
                state_cell(&tr, r.state),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("net-workstation"), None),
        (tr.t("sw-program"), None),
        (tr.t("swr-requested-by"), None),
        (tr.t("swr-requested-at"), None),
        (tr.t("field-status"), None),
    ];
    let (page, rows) = page_of(rows, &p);
    let mut v = ListView::build(&tr, "/software/requests", &p, &page, cols, rows, tr.t("swr-empty"));
    let opts = vec![
        Opt { value: String::new(), label: tr.t("swr-filter-open"), selected: open },
        Opt { value: "all".into(), label: tr.t("net-filter-all"), selected: !open },
    ];
    v.filters.push(Field::select("status", tr.t("field-status"), opts));
    if actor.can(Permission::HelpdeskReport) {
        v.new_action = Some(("/software/requests/new".into(), tr.t("swr-new")));
    }
    Ok(list_or_export(&st, &ctx, "/software/requests", tr.t("swr-title"), &p, v).await)
}

async fn request_form(st: &AppState, ctx: &Ctx, actor: &Actor, i: &RequestInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    // An employee names a workstation they hold (R.30: the workplace asks); administrators any.
    let assets: Vec<(i64, String)> = if actor.can(Permission::AssetsWrite) {
        st.services.internet_hosts(actor).await?.into_iter().map(|h| (h.asset_id, h.name())).collect()
    } else {
        st.services
            .reportable_assets(actor, actor.person_id)
            .await?
            .into_iter()
            .filter(|a| a.fields.kind.is_workstation())
            .map(|a| (a.id, a.fields.inventory_number.clone()))
            .collect()
    };
    let products = st.services.requestable_software(actor).await?.into_iter().map(|(id, n)| (id, tr.d(&n)));
    let fields = vec![
        Field::select("asset_id", tr.t("net-workstation"), options(Some("—".into()), assets, i.asset_id)).required(),
        Field::select("product_id", tr.t("swr-product"), options(Some(tr.t("swr-product-other")), products, i.product_id)),
        Field::new("name", "text", tr.t("swr-name"), i.name.clone()).hint(tr.t("hint-swr-name")),
        Field::new("reason", "textarea", tr.t("swr-reason"), i.reason.clone()).required(),
    ];
    let mut v = FormView::new("/software/requests", tr.t("swr-submit"), fields).with_errors(&tr, errs);
    v.cancel_href = Some("/software/requests".into());
    v.intro = Some(tr.t("swr-intro"));
    Ok(form_page(Chrome::new(st, ctx, "/software/requests/new", tr.t("swr-new")), v))
}

pub async fn request_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    request_form(&st, &ctx, &actor, &RequestInput::default(), &[]).await
}

pub async fn request_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = RequestInput { asset_id: f.id("asset_id"), product_id: f.id("product_id"), name: f.get("name"), reason: f.get("reason") };
    match st.services.request_install(&actor, &i).await {
        Ok(id) => Ok(done(&format!("/software/requests/{id}"), "created")),
        Err(Error::Invalid(errs)) => request_form(&st, &ctx, &actor, &i, &errs).await,
        Err(e) => Err(e.into()),
    }
}

async fn request_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    r: &InstallRequest,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let base = format!("/software/requests/{}", r.id);
    let mut facts = vec![
        (tr.t("net-workstation"), r.asset.clone()),
        (tr.t("sw-program"), tr.d(&r.name)),
        (tr.t("swr-product"), if r.product.is_empty() { "—".into() } else { tr.d(&r.product) }),
        (tr.t("swr-reason"), tr.d(&r.reason)),
        (tr.t("swr-requested-by"), format!("{} · {}", tr.d(&r.requested_by), format_local(r.requested_us))),
    ];
    if let (Some(by), Some(at)) = (&r.decided_by, r.decided_us) {
        facts.push((tr.t("swr-decided"), format!("{} · {}", tr.d(by), format_local(at))));
    }
    if !r.decision_note.is_empty() {
        facts.push((tr.t("swr-note"), tr.d(&r.decision_note)));
    }
    if let (Some(by), Some(at)) = (&r.installed_by, r.installed_us) {
        facts.push((tr.t("swr-installed"), format!("{} · {}", tr.d(by), format_local(at))));
    }
    if let Some(at) = r.confirmed_us {
        facts.push((tr.t("swr-confirmed"), format_local(at)));
    }
    let mut fields: Vec<Field> = facts.into_iter().map(|(l, v)| Field::new("x", "text", l, v)).collect();
    let mut v = if r.state == RequestState::Submitted && actor.can(Permission::ApproveInstalls) {
        let decisions = ["approve", "reject"]
            .iter()
            .map(|d| Opt { value: (*d).into(), label: tr.t(&format!("swr-decision-{d}")), selected: *d == "approve" })
            .collect();
        let mut v = FormView::new(
            format!("{base}/decide"),
            tr.t("swr-decide"),
            vec![
                Field::select("decision", tr.t("swr-decision"), decisions),
                Field::new("note", "textarea", tr.t("swr-note"), "").hint(tr.t("hint-swr-note")),
            ],
        );
        v.related.push(facts_related(&tr, std::mem::take(&mut fields)));
        v
    } else if r.state == RequestState::Approved && actor.can(Permission::AssetsWrite) {
        let products = st.services.requestable_software(actor).await?.into_iter().map(|(id, n)| (id, tr.d(&n)));
        let mut v = FormView::new(
            format!("{base}/installed"),
            tr.t("swr-mark-installed"),
            vec![
                Field::select("product_id", tr.t("swr-product"), options(None, products, r.product_id))
                    .required()
                    .hint(tr.t("hint-swr-product")),
            ],
        );
        v.related.push(facts_related(&tr, std::mem::take(&mut fields)));
        v
    } else {
        let mut v = FormView::new("", String::new(), fields);
        v.editable = false;
        v
    };
    v = v.with_errors(&tr, errs);
    let s = state_cell(&tr, r.state);
    v.status = Some((s.text, s.class.unwrap_or("muted")));
    let c = Chrome::new(st, ctx, &base, format!("{} {}", tr.t("swr-one"), r.id)).flash(ok);
    Ok(form_page(c, v))
}

/// The facts of a request shown under the form that acts on it.
fn facts_related(tr: &Tr<'_>, fields: Vec<Field>) -> super::view::Related {
    super::view::Related {
        title: tr.t("swr-one"),
        columns: vec![String::new(), String::new()],
        rows: fields.into_iter().map(|f| vec![Cell::text(f.label), Cell::text(f.shown)]).collect(),
        empty: String::new(),
        more: None,
    }
}

pub async fn request_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let r = st.services.install_request(&actor, id).await?;
    request_page(&st, &ctx, &actor, &r, &[], p.ok.as_deref()).await
}

pub async fn request_decide(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = DecisionInput { decision: f.get("decision"), note: f.get("note") };
    match st.services.decide_install(&actor, id, &i).await {
        Ok(()) => Ok(done(&format!("/software/requests/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let r = st.services.install_request(&actor, id).await?;
            request_page(&st, &ctx, &actor, &r, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn request_installed(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.mark_installed(&actor, id, f.id("product_id")).await {
        Ok(()) => Ok(done(&format!("/software/requests/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let r = st.services.install_request(&actor, id).await?;
            request_page(&st, &ctx, &actor, &r, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}
