//! The equipment list (Опрема, R.3–R.13): filters by kind, status, unit, employee, building,
//! room, warranty and free text; saved filters; and bulk actions that show every change on a
//! confirmation page before one all-or-nothing transaction writes them (R.4, R.11).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::asset::{AssetKind, AssetQuery, AssetSort, AssetStatus, format_label};
use upravnik_core::bulk::{BulkAction, BulkPlan};
use upravnik_core::saved_filter::SavedFilterInput;
use upravnik_core::{Error, FieldError};

use super::assets::{choices, iso_to_local, kind_name, status_name};
use super::layout::{Chrome, render};
use super::org::{form_page, list_or_export, unit_options};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// Above this many different values a place filter is typed instead of chosen.
const MAX_CHOICES: usize = 300;

pub struct SavedLink {
    pub id: i64,
    pub name: String,
    pub href: String,
    pub own: bool,
    pub owner: String,
}

#[derive(Template)]
#[template(path = "assets_list.html")]
struct AssetsPage<'a> {
    c: Chrome<'a>,
    v: ListView,
    /// Each row with its asset's id, for the bulk checkboxes.
    lines: Vec<(i64, Vec<Cell>)>,
    bulk: bool,
    statuses: Vec<Opt>,
    saved: Vec<SavedLink>,
    /// The current filters as a query string (kept by a saved filter and by the bulk pages).
    query: String,
    can_share: bool,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A select of the values in use (the chosen one kept even if no asset has it any more), or a
/// text field when there are too many.
fn place_filter(name: &'static str, label: String, all: String, values: Vec<String>, chosen: Option<String>) -> Field {
    if values.len() > MAX_CHOICES {
        return Field::new(name, "text", label, chosen.unwrap_or_default());
    }
    let mut opts = vec![Opt { value: String::new(), label: all, selected: chosen.is_none() }];
    if let Some(c) = chosen.as_ref().filter(|c| !values.contains(c)) {
        opts.push(Opt { value: c.clone(), label: c.clone(), selected: true });
    }
    opts.extend(values.into_iter().map(|v| Opt { selected: chosen.as_ref() == Some(&v), label: v.clone(), value: v }));
    Field::select(name, label, opts)
}

async fn filters(st: &AppState, actor: &Actor, tr: &Tr<'_>, p: &ListParams) -> UiResult<Vec<Field>> {
    let kind = p.kind.as_deref().and_then(AssetKind::parse);
    let status = p.status.as_deref().and_then(AssetStatus::parse);
    let mut v = vec![
        Field::select(
            "kind",
            tr.t("field-kind"),
            choices(AssetKind::ALL, kind, AssetKind::as_str, |k| kind_name(tr, k), Some(tr.t("all"))),
        ),
        Field::select(
            "status",
            tr.t("field-status"),
            choices(AssetStatus::ALL, status, AssetStatus::as_str, |s| status_name(tr, s), Some(tr.t("all"))),
        ),
    ];
    let cached = choices_of(st, actor).await?;
    // Units and employees are organisation data; a reader of equipment without it simply does
    // not get these two filters.
    if actor.can(Permission::OrgRead) {
        let units = unit_options(st, actor, tr, false).await?;
        v.push(Field::select("unit", tr.t("field-unit"), options(Some(tr.t("all")), units, p.unit_id())));
        let mut people: Vec<(i64, String)> = cached.people.iter().map(|(id, n)| (*id, tr.d(n))).collect();
        if let Some(id) = p.person_id().filter(|id| !people.iter().any(|(p, _)| p == id)) {
            // Beyond the first 500: still shown as chosen.
            let pe = st.services.person(actor, id).await?;
            people.push((id, tr.d(&format!("{} {}", pe.family_name, pe.given_name))));
        }
        v.push(Field::select("person", tr.t("field-person"), options(Some(tr.t("all")), people, p.person_id())));
    }
    let places = &cached.places;
    let building = nonempty(&p.building);
    let mut buildings: Vec<String> = places.iter().map(|(b, _)| b.clone()).filter(|b| !b.is_empty()).collect();
    buildings.dedup();
    let mut rooms: Vec<String> =
        places.iter().filter(|(b, r)| !r.is_empty() && building.as_ref().is_none_or(|c| c == b)).map(|(_, r)| r.clone()).collect();
    rooms.sort();
    rooms.dedup();
    v.push(place_filter("building", tr.t("field-building"), tr.t("all"), buildings, building));
    v.push(place_filter("room", tr.t("field-room"), tr.t("all"), rooms, nonempty(&p.room)));
    Ok(v)
}

/// The filter selects' values, read again only when the office's work log has moved on.
async fn choices_of(st: &AppState, actor: &Actor) -> UiResult<std::sync::Arc<crate::ListChoices>> {
    let head = st.services.store.worklog_head(actor.office_id).await?;
    let cached = st.list_choices.lock().ok().and_then(|m| m.get(&actor.office_id).filter(|(seq, _)| *seq == head).map(|(_, v)| v.clone()));
    if let Some(v) = cached {
        return Ok(v);
    }
    let mut people = vec![];
    if actor.can(Permission::OrgRead) {
        let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
        q.per_page = 500;
        people =
            st.services.people(actor, &q).await?.items.iter().map(|pe| (pe.id, format!("{} {}", pe.family_name, pe.given_name))).collect();
        // By name as people read it (Ђ and Ј among D and J, not before A as the bytes sort them).
        people.sort_by_cached_key(|(_, n)| upravnik_core::text::search_key(n));
    }
    let v = std::sync::Arc::new(crate::ListChoices { places: st.services.asset_places(actor).await?, people });
    // Readers without OrgRead get no people; they must not fill the cache for those who have it.
    if actor.can(Permission::OrgRead)
        && let Ok(mut m) = st.list_choices.lock()
    {
        m.insert(actor.office_id, (head, v.clone()));
    }
    Ok(v)
}

/// "Warranty ending within N days", when asked for.
fn warranty_days(p: &ListParams) -> Option<i64> {
    p.warranty.as_deref().and_then(|w| w.parse().ok()).filter(|d| (1..=3650).contains(d))
}

/// The list's filters as a query; the label sheet prints the same selection.
pub(crate) fn list_query(st: &AppState, actor: &Actor, p: &ListParams) -> AssetQuery {
    let today =
        jiff::Timestamp::from_microsecond(st.services.clock.now_us()).ok().map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    let mut q = AssetQuery {
        office_id: actor.office_id,
        q: Some(p.q.clone()).filter(|s| !s.trim().is_empty()),
        kind: p.kind.as_deref().and_then(AssetKind::parse),
        status: p.status.as_deref().and_then(AssetStatus::parse),
        room: nonempty(&p.room),
        building: nonempty(&p.building),
        unit_id: p.unit_id(),
        person_id: p.person_id(),
        sort: AssetSort::parse(&p.sort),
        desc: p.desc == Some(1),
        page: p.page.unwrap_or(1).max(1),
        per_page: if p.format.is_some() { 500 } else { 50 },
        ..Default::default()
    };
    if p.format.is_some() {
        q.page = 1;
    }
    if let (Some(d), Some(t)) = (warranty_days(p), today) {
        q.warranty_from = Some(t.to_string());
        q.warranty_until = t.checked_add(jiff::Span::new().days(d)).ok().map(|d| d.to_string());
    }
    q
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let days = warranty_days(&p);
    let q = list_query(&st, &actor, &p);
    let page = st.services.assets(&actor, &q).await?;
    let rows: Vec<Vec<Cell>> = page
        .items
        .iter()
        .map(|a| {
            let f = &a.fields;
            vec![
                Cell::link(f.inventory_number.clone(), format!("/assets/{}", a.id)),
                Cell::text(f.label.map(format_label).unwrap_or_default()),
                Cell::text(kind_name(&tr, f.kind)),
                Cell::text(tr.d(format!("{} {}", f.manufacturer, f.model).trim())),
                Cell::text(f.ip.clone().unwrap_or_default()),
                Cell::text(tr.d(format!("{} {}", f.building, f.room).trim())),
                Cell { text: status_name(&tr, a.status), href: None, class: Some(if a.status.is_active() { "ok" } else { "muted" }) },
                Cell::text(iso_to_local(&f.warranty_end)),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-inventory-number"), Some("inventory_number")),
        (tr.t("field-label"), Some("label")),
        (tr.t("field-kind"), Some("kind")),
        (tr.t("field-make-model"), None),
        (tr.t("field-ip"), None),
        (tr.t("field-room"), Some("room")),
        (tr.t("field-status"), None),
        (tr.t("field-warranty-end"), Some("warranty")),
    ];
    let p_sorted = ListParams { sort: if p.sort.is_empty() { "inventory_number".into() } else { p.sort.clone() }, ..p.clone() };
    let ids: Vec<i64> = page.items.iter().map(|a| a.id).collect();
    let mut v = ListView::build(&tr, "/assets", &p_sorted, &page, cols, rows, tr.t("assets-empty"));
    v.inactive_filter = false;
    v.filters = filters(&st, &actor, &tr, &p).await?;
    let bulk = actor.can(Permission::AssetsWrite);
    if bulk {
        v.new_action = Some(("/assets/new".into(), tr.t("assets-new")));
        v.more_actions.push(("/assets/import".into(), tr.t("import-action")));
    }
    // The same filter, printed as labels (sheet and PDF).
    v.actions.push((p.href("/assets/labels", None, None, None), tr.t("labels-print")));
    let title = if days.is_some() { tr.t("assets-warranty-title") } else { tr.t("nav-equipment") };
    if p.format.is_some() {
        return Ok(list_or_export(&st, &ctx, "/assets", title, &p, v).await);
    }
    let saved = st
        .services
        .saved_filters(&actor, "assets")
        .await?
        .into_iter()
        .map(|f| SavedLink {
            id: f.id,
            href: if f.query.is_empty() { "/assets".into() } else { format!("/assets?{}", f.query) },
            name: tr.d(&f.name),
            own: f.user_id == actor.user_id,
            owner: tr.d(&f.owner_name),
        })
        .collect();
    let lines = ids.into_iter().zip(std::mem::take(&mut v.rows)).collect();
    let statuses = choices(AssetStatus::ALL, None, AssetStatus::as_str, |s| status_name(&tr, s), None);
    let c = Chrome::new(&st, &ctx, "/assets", title).flash(p.ok.as_deref());
    Ok(render(&AssetsPage { c, v, lines, bulk, statuses, saved, query: p_query(&p), can_share: bulk }))
}

/// The list's filters and order as a query string, as a saved filter keeps them.
fn p_query(p: &ListParams) -> String {
    p.filter_query()
}

/// A query string from outside, parsed and written again, so it is safe in a link and a redirect.
fn clean_query(q: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q.trim_start_matches('?')).unwrap_or_default();
    let kept: Vec<(String, String)> =
        pairs.into_iter().filter(|(k, v)| !matches!(k.as_str(), "page" | "format" | "ok" | "_csrf") && !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

fn list_href(query: &str) -> String {
    let q = clean_query(query);
    if q.is_empty() { "/assets".into() } else { format!("/assets?{q}") }
}

// --- saved filters ---------------------------------------------------------------------------

fn save_page(st: &AppState, ctx: &Ctx, actor: &Actor, input: &SavedFilterInput, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let mut fields = vec![
        Field::new("name", "text", tr.t("field-filter-name"), input.name.clone()).required().autofocus(),
        Field::new("query", "hidden", String::new(), input.query.clone()),
    ];
    if actor.can(Permission::AssetsWrite) {
        fields.push(Field::new("shared", "checkbox", tr.t("field-filter-shared"), if input.shared { "1" } else { "" }));
    }
    let mut v = FormView::new("/assets/filters", tr.t("filter-save"), fields).with_errors(&tr, errs);
    v.cancel_href = Some(list_href(&input.query));
    Ok(form_page(Chrome::new(st, ctx, "/assets", tr.t("filter-save")), v))
}

/// Saves the current list query under a name.
pub async fn filter_save(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input =
        SavedFilterInput { page: "assets".into(), name: f.get("name"), query: clean_query(&f.get("query")), shared: f.flag("shared") };
    match st.services.save_filter(&actor, &input).await {
        Ok(_) => Ok(done(&list_href(&input.query), "saved")),
        Err(Error::Invalid(errs)) => save_page(&st, &ctx, &actor, &input, &errs),
        Err(Error::Conflict { code: "filter_name_taken", .. }) => {
            save_page(&st, &ctx, &actor, &input, &[FieldError::new("name", "err-filter-name-taken")])
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes one of the user's saved filters after asking once.
pub async fn filter_delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let filter = st.services.saved_filter(&actor, id).await?;
    if f.flag("confirm") {
        st.services.delete_saved_filter(&actor, id).await?;
        return Ok(done("/assets", "saved"));
    }
    let fields = vec![Field::new("confirm", "hidden", String::new(), "1")];
    let mut v = FormView::new(format!("/assets/filters/{id}/delete"), tr.t("filter-delete"), fields);
    v.cancel_href = Some("/assets".into());
    Ok(form_page(Chrome::new(&st, &ctx, "/assets", tr.t1("filter-delete-title", "name", tr.d(&filter.name))), v))
}

// --- bulk actions ----------------------------------------------------------------------------

/// One line of the confirmation page.
struct BulkLine {
    id: i64,
    inventory_number: String,
    label: String,
    field: String,
    old: String,
    new: String,
}

#[derive(Template)]
#[template(path = "assets_bulk.html")]
struct BulkPage<'a> {
    c: Chrome<'a>,
    summary: String,
    errors: Vec<String>,
    problems: Vec<(i64, String, String)>,
    lines: Vec<BulkLine>,
    /// The form values that the confirmation posts again.
    keep: Vec<(&'static str, String)>,
    confirm: Option<String>,
    back: String,
    back_query: String,
}

struct BulkForm {
    ids: Vec<i64>,
    action: Result<BulkAction, Error>,
    keep: Vec<(&'static str, String)>,
    back: String,
}

fn bulk_form(f: &FormData) -> BulkForm {
    // "All on this page" takes every row of the page, checked or not.
    let raw = if f.flag("all_page") { f.all("page_id") } else { f.all("id") };
    let ids: Vec<i64> = raw.iter().filter_map(|v| v.trim().parse().ok()).collect();
    let kind = f.get("action");
    let action = match kind.as_str() {
        "set_room" | "set_place" => Ok(BulkAction::SetPlace { building: f.get("building"), room: f.get("room") }),
        "set_status" => match AssetStatus::parse(&f.get("status")) {
            Some(status) => Ok(BulkAction::SetStatus { status, reference: f.get("reference") }),
            None => Err(Error::invalid("status", "err-required")),
        },
        _ => Err(Error::invalid("action", "err-bulk-action")),
    };
    let mut keep: Vec<(&'static str, String)> = ids.iter().map(|id| ("id", id.to_string())).collect();
    for k in ["action", "building", "room", "status", "reference"] {
        keep.push((k, f.get(k)));
    }
    BulkForm { ids, action, keep, back: clean_query(&f.get("back")) }
}

fn value_shown(tr: &Tr<'_>, field: &str, v: &str) -> String {
    if field == "status" {
        let (code, rest) = v.split_once(' ').unwrap_or((v, ""));
        if let Some(s) = AssetStatus::parse(code) {
            return format!("{} {}", status_name(tr, s), tr.d(rest)).trim().to_string();
        }
    }
    tr.d(v)
}

fn bulk_page(st: &AppState, ctx: &Ctx, form: &BulkForm, plan: Option<&BulkPlan>, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let mut lines = vec![];
    let mut problems = vec![];
    let mut confirm = None;
    let mut summary = String::new();
    if let Some(plan) = plan {
        for a in &plan.assets {
            let label = a.label.map(format_label).unwrap_or_default();
            if a.changes.is_empty() {
                lines.push(BulkLine {
                    id: a.asset_id,
                    inventory_number: a.inventory_number.clone(),
                    label,
                    field: tr.t("bulk-no-change"),
                    old: String::new(),
                    new: String::new(),
                });
                continue;
            }
            for c in &a.changes {
                lines.push(BulkLine {
                    id: a.asset_id,
                    inventory_number: a.inventory_number.clone(),
                    label: label.clone(),
                    field: tr.t(&format!("asset-field-{}", c.field)),
                    old: value_shown(&tr, c.field, &c.old),
                    new: value_shown(&tr, c.field, &c.new),
                });
            }
        }
        problems = plan.problems.iter().map(|p| (p.asset_id, p.inventory_number.clone(), tr.t(p.code))).collect();
        summary = tr.ta(
            "bulk-summary",
            &[("count", plan.assets.len().to_string()), ("changed", plan.changed().to_string()), ("refused", problems.len().to_string())],
        );
        if problems.is_empty() && plan.changed() > 0 {
            confirm = Some(tr.t1("bulk-confirm", "count", plan.changed()));
        }
    }
    let field_name = |f: &str| match f {
        "reference" => tr.t("field-act-reference"),
        f => tr.t(&format!("field-{}", f.replace('_', "-"))),
    };
    let errors: Vec<String> = errs.iter().map(|e| format!("{}: {}", field_name(e.field), tr.t(e.message))).collect();
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if !problems.is_empty() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let c = Chrome::new(st, ctx, "/assets", tr.t("bulk-title"));
    let page = BulkPage {
        c,
        summary,
        errors,
        problems,
        lines,
        keep: form.keep.clone(),
        confirm,
        back: list_href(&form.back),
        back_query: form.back.clone(),
    };
    Ok((status, render(&page)).into_response())
}

/// The confirmation page: every chosen asset and what will change; nothing is written.
pub async fn bulk_review(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let form = bulk_form(&f);
    let planned = match &form.action {
        Ok(a) => st.services.plan_bulk(&actor, &form.ids, a).await,
        Err(Error::Invalid(e)) => Err(Error::Invalid(e.clone())),
        Err(_) => Err(Error::invalid("action", "err-bulk-action")),
    };
    match planned {
        Ok(plan) => bulk_page(&st, &ctx, &form, Some(&plan), &[]),
        Err(Error::Invalid(errs)) => bulk_page(&st, &ctx, &form, None, &errs),
        Err(e) => Err(e.into()),
    }
}

/// Applies a confirmed bulk action in one transaction, or nothing and says why.
pub async fn bulk_apply(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let form = bulk_form(&f);
    let applied = match &form.action {
        Ok(a) => st.services.apply_bulk(&actor, &form.ids, a).await,
        Err(Error::Invalid(e)) => Err(Error::Invalid(e.clone())),
        Err(_) => Err(Error::invalid("action", "err-bulk-action")),
    };
    match applied {
        Ok(plan) if plan.problems.is_empty() => Ok(done(&list_href(&form.back), "saved")),
        Ok(plan) => bulk_page(&st, &ctx, &form, Some(&plan), &[]),
        Err(Error::Invalid(errs)) => bulk_page(&st, &ctx, &form, None, &errs),
        Err(Error::Conflict { code: "asset_changed" | "asset_identifier_taken", .. }) => {
            bulk_page(&st, &ctx, &form, None, &[FieldError::new("ids", "err-bulk-changed")])
        }
        Err(e) => Err(e.into()),
    }
}
