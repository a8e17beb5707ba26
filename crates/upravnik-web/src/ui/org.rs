//! Pages for organisational units, workplaces and employees (Корисници и приступ, R.19).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::org::{ListQuery, PersonInput, UnitInput, WorkplaceInput};
use upravnik_core::worklog::Filter;

use super::layout::{Chrome, render};
use super::view::{Button, Cell, Field, FormView, ListParams, ListView, Related, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::{UiError, UiResult};
use crate::export::{Format, Sheet, respond};
use crate::i18n::Tr;

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage<'a> {
    pub c: Chrome<'a>,
    pub v: ListView,
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage<'a> {
    pub c: Chrome<'a>,
    pub v: FormView,
}

/// Shows a form page; with validation errors it answers 422 so scripts and tests can tell.
pub fn form_page(c: Chrome<'_>, v: FormView) -> Response {
    let status = if v.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, render(&FormPage { c, v })).into_response()
}

/// Either the list page or its export, from the same rows.
pub async fn list_or_export(st: &AppState, ctx: &Ctx, path: &str, title: String, p: &ListParams, v: ListView) -> Response {
    if let Some(fmt) = p.format.as_deref().and_then(Format::parse) {
        let sheet = Sheet {
            name: title.clone(),
            headers: v.columns.iter().map(|c| c.label.clone()).collect(),
            rows: v.rows.iter().map(|r| r.iter().map(|c| c.text.clone()).collect()).collect(),
        };
        let print = super::print_meta(st, ctx, vec![], vec![]).await;
        return respond(&sheet, fmt, path.trim_start_matches('/'), print).await;
    }
    let c = Chrome::new(st, ctx, path, title).flash(p.ok.as_deref());
    render(&ListPage { c, v })
}

/// Lists fetch one page; an export asks for everything that matches (up to a sane cap).
pub(crate) fn page_query(actor: &Actor, p: &ListParams) -> ListQuery {
    let mut q = p.to_query(actor.office_id);
    if p.format.is_some() {
        q.page = 1;
        q.per_page = 500;
    }
    q
}

pub(super) async fn unit_options(st: &AppState, actor: &Actor, tr: &Tr<'_>, basic_only: bool) -> UiResult<Vec<(i64, String)>> {
    let mut q = ListQuery::new(actor.office_id);
    q.per_page = 500;
    let units = st.services.units(actor, &q).await?;
    Ok(units
        .items
        .into_iter()
        .filter(|u| !basic_only || u.parent_id.is_none())
        .map(|u| {
            let label = match &u.parent_name {
                Some(p) => format!("{} — {}", tr.d(p), tr.d(&u.name)),
                None => tr.d(&u.name),
            };
            (u.id, label)
        })
        .collect())
}

// --- units -----------------------------------------------------------------------------------

pub async fn units(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let page = st.services.units(&actor, &page_query(&actor, &p)).await?;
    let rows = page
        .items
        .iter()
        .map(|u| {
            vec![
                Cell::link(tr.d(&u.name), format!("/units/{}", u.id)),
                Cell::text(match &u.parent_name {
                    Some(parent) => tr.t1("unit-internal-of", "parent", tr.d(parent)),
                    None => tr.t("unit-basic"),
                }),
                Cell::text(tr.d(&u.code)),
                Cell::link(u.people.to_string(), format!("/people?unit={}", u.id)),
                Cell::status(&tr, u.active),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-name"), Some("name")),
        (tr.t("field-unit-kind"), None),
        (tr.t("field-code"), None),
        (tr.t("field-people-count"), None),
        (tr.t("field-status"), None),
    ];
    let mut v = ListView::build(&tr, "/units", &p, &page, cols, rows, tr.t("units-empty"));
    if actor.can(Permission::OrgWrite) {
        v.new_action = Some(("/units/new".into(), tr.t("units-new")));
    }
    Ok(list_or_export(&st, &ctx, "/units", tr.t("nav-units"), &p, v).await)
}

fn unit_fields(tr: &Tr<'_>, input: &UnitInput, parents: Vec<(i64, String)>) -> Vec<Field> {
    vec![
        Field::new("name", "text", tr.t("field-name"), input.name.clone()).required().autofocus(),
        Field::select("parent_id", tr.t("field-parent-unit"), options(Some(tr.t("unit-none-basic")), parents, input.parent_id))
            .hint(tr.t("hint-parent-unit")),
        Field::new("code", "text", tr.t("field-code"), input.code.clone()),
    ]
}

fn unit_input(f: &FormData) -> UnitInput {
    UnitInput { parent_id: f.id("parent_id"), name: f.get("name"), code: f.get("code") }
}

async fn unit_new_page(st: &AppState, ctx: &Ctx, actor: &Actor, input: &UnitInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let parents = unit_options(st, actor, &tr, true).await?;
    let mut v = FormView::new("/units", tr.t("save"), unit_fields(&tr, input, parents)).with_errors(&tr, errs);
    v.cancel_href = Some("/units".into());
    Ok(form_page(Chrome::new(st, ctx, "/units/new", tr.t("units-new")), v))
}

pub async fn unit_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    unit_new_page(&st, &ctx, &actor, &UnitInput::default(), &[]).await
}

pub async fn unit_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input = unit_input(&f);
    match st.services.create_unit(&actor, input.clone()).await {
        Ok(u) => Ok(done(&format!("/units/{}", u.id), "created")),
        Err(Error::Invalid(errs)) => unit_new_page(&st, &ctx, &actor, &input, &errs).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn unit_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let u = st.services.unit(&actor, id).await?;
    let input = UnitInput { parent_id: u.parent_id, name: u.name.clone(), code: u.code.clone() };
    unit_page(&st, &ctx, &actor, id, &input, u.active, &[], p.ok.as_deref()).await
}

#[allow(clippy::too_many_arguments)]
async fn unit_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &UnitInput,
    active: bool,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let parents: Vec<_> = unit_options(st, actor, &tr, true).await?.into_iter().filter(|(pid, _)| *pid != id).collect();
    let v = FormView::new(format!("/units/{id}"), tr.t("save"), unit_fields(&tr, input, parents)).with_errors(&tr, errs);
    let mut v = record_view(&tr, actor, Permission::OrgWrite, v, &format!("/units/{id}"), active, &tr.d(&input.name));
    let mut q = ListQuery::new(actor.office_id);
    q.unit_id = Some(id);
    q.per_page = 20;
    let people = st.services.people(actor, &q).await?;
    v.related.push(Related {
        title: tr.t("nav-employees"),
        columns: vec![tr.t("field-name"), tr.t("field-workplace")],
        rows: people
            .items
            .iter()
            .map(|p| {
                vec![
                    Cell::link(tr.d(&p.full_name()), format!("/people/{}", p.id)),
                    Cell::text(tr.d(p.workplace_name.as_deref().unwrap_or(""))),
                ]
            })
            .collect(),
        empty: tr.t("unit-no-people"),
        more: (people.total > 20).then(|| (format!("/people?unit={id}"), tr.t1("list-total", "count", people.total))),
    });
    let mut wq = ListQuery::new(actor.office_id);
    wq.unit_id = Some(id);
    wq.per_page = 50;
    let wps = st.services.workplaces(actor, &wq).await?;
    v.related.push(Related {
        title: tr.t("nav-workplaces"),
        columns: vec![tr.t("field-name"), tr.t("field-room")],
        rows: wps
            .items
            .iter()
            .map(|w| vec![Cell::link(tr.d(&w.name), format!("/workplaces/{}", w.id)), Cell::text(tr.d(&w.room))])
            .collect(),
        empty: tr.t("unit-no-workplaces"),
        more: None,
    });
    if let Some(r) = history(st, actor, &tr, "unit", id).await? {
        v.related.push(r);
    }
    let c = Chrome::new(st, ctx, &format!("/units/{id}"), tr.d(&input.name)).flash(ok);
    Ok(form_page(c, v))
}

pub async fn unit_update(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let input = unit_input(&f);
    match st.services.update_unit(&actor, id, input.clone()).await {
        Ok(_) => Ok(done(&format!("/units/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let u = st.services.unit(&actor, id).await?;
            unit_page(&st, &ctx, &actor, id, &input, u.active, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn unit_deactivate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_unit_active(&actor, id, false).await?;
    Ok(done(&format!("/units/{id}"), "deactivated"))
}

pub async fn unit_activate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_unit_active(&actor, id, true).await?;
    Ok(done(&format!("/units/{id}"), "activated"))
}

/// What every record page shares: editable only with the right (`write`), its status, and the
/// (de)activate button.
pub(crate) fn record_view(
    tr: &Tr<'_>,
    actor: &Actor,
    write: Permission,
    mut v: FormView,
    base: &str,
    active: bool,
    name: &str,
) -> FormView {
    v.editable = actor.can(write);
    v.status = Some(status_badge(tr, active));
    if v.editable {
        v.buttons.push(toggle_button(tr, base, active, name));
    }
    v
}

fn status_badge(tr: &Tr<'_>, active: bool) -> (String, &'static str) {
    if active { (tr.t("status-active"), "ok") } else { (tr.t("status-inactive"), "muted") }
}

fn toggle_button(tr: &Tr<'_>, base: &str, active: bool, name: &str) -> Button {
    if active {
        Button {
            action: format!("{base}/deactivate"),
            label: tr.t("deactivate"),
            class: "danger",
            confirm: Some(tr.t1("confirm-deactivate", "name", name.to_string())),
        }
    } else {
        Button { action: format!("{base}/activate"), label: tr.t("activate"), class: "", confirm: None }
    }
}

/// The last work-log entries about an object, for readers of the work log.
pub async fn history(st: &AppState, actor: &Actor, tr: &Tr<'_>, kind: &str, id: i64) -> UiResult<Option<Related>> {
    if !actor.can(Permission::WorklogRead) {
        return Ok(None);
    }
    let f = Filter { object_kind: Some(kind.into()), object_id: Some(id.to_string()), limit: 10, ..Default::default() };
    let entries = st.services.worklog(actor, f).await?;
    Ok(Some(Related {
        title: tr.t("history"),
        columns: vec![tr.t("field-time"), tr.t("field-actor"), tr.t("field-text")],
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    Cell::link(upravnik_core::clock::format_local(e.at_us), format!("/worklog/{}", e.id)),
                    Cell::text(tr.d(&e.actor_name)),
                    Cell::text(tr.d(&e.text)),
                ]
            })
            .collect(),
        empty: tr.t("history-empty"),
        more: Some((format!("/worklog?object_kind={kind}&object_id={id}"), tr.t("history-all"))),
    }))
}

// --- workplaces ------------------------------------------------------------------------------

pub async fn workplaces(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let page = st.services.workplaces(&actor, &page_query(&actor, &p)).await?;
    let rows = page
        .items
        .iter()
        .map(|w| {
            vec![
                Cell::link(tr.d(&w.name), format!("/workplaces/{}", w.id)),
                Cell::link(tr.d(&w.unit_name), format!("/units/{}", w.unit_id)),
                Cell::text(tr.d(&w.room)),
                Cell::status(&tr, w.active),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-name"), Some("name")),
        (tr.t("field-unit"), Some("unit")),
        (tr.t("field-room"), None),
        (tr.t("field-status"), None),
    ];
    let mut v = ListView::build(&tr, "/workplaces", &p, &page, cols, rows, tr.t("workplaces-empty"));
    v.filters.push(Field::select(
        "unit",
        tr.t("field-unit"),
        options(Some(tr.t("all")), unit_options(&st, &actor, &tr, false).await?, p.unit_id()),
    ));
    if actor.can(Permission::OrgWrite) {
        v.new_action = Some(("/workplaces/new".into(), tr.t("workplaces-new")));
    }
    Ok(list_or_export(&st, &ctx, "/workplaces", tr.t("nav-workplaces"), &p, v).await)
}

fn workplace_fields(tr: &Tr<'_>, w: &WorkplaceInput, units: Vec<(i64, String)>) -> Vec<Field> {
    vec![
        Field::new("name", "text", tr.t("field-name"), w.name.clone()).required().autofocus(),
        Field::select("unit_id", tr.t("field-unit"), options(Some(String::new()), units, Some(w.unit_id).filter(|&u| u > 0))).required(),
        Field::new("room", "text", tr.t("field-room"), w.room.clone()),
    ]
}

fn workplace_input(f: &FormData) -> WorkplaceInput {
    WorkplaceInput { unit_id: f.id("unit_id").unwrap_or(0), name: f.get("name"), room: f.get("room") }
}

async fn workplace_new_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    input: &WorkplaceInput,
    errs: &[upravnik_core::FieldError],
) -> UiResult {
    let tr = ctx.tr(st);
    let units = unit_options(st, actor, &tr, false).await?;
    let mut v = FormView::new("/workplaces", tr.t("save"), workplace_fields(&tr, input, units)).with_errors(&tr, errs);
    v.cancel_href = Some("/workplaces".into());
    Ok(form_page(Chrome::new(st, ctx, "/workplaces/new", tr.t("workplaces-new")), v))
}

pub async fn workplace_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let input = WorkplaceInput { unit_id: p.unit_id().unwrap_or(0), ..Default::default() };
    workplace_new_page(&st, &ctx, &actor, &input, &[]).await
}

pub async fn workplace_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input = workplace_input(&f);
    match st.services.create_workplace(&actor, input.clone()).await {
        Ok(w) => Ok(done(&format!("/workplaces/{}", w.id), "created")),
        Err(Error::Invalid(errs)) => workplace_new_page(&st, &ctx, &actor, &input, &errs).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn workplace_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let w = st.services.workplace(&actor, id).await?;
    let input = WorkplaceInput { unit_id: w.unit_id, name: w.name.clone(), room: w.room.clone() };
    workplace_page(&st, &ctx, &actor, id, &input, w.active, &[], p.ok.as_deref()).await
}

#[allow(clippy::too_many_arguments)]
async fn workplace_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &WorkplaceInput,
    active: bool,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let units = unit_options(st, actor, &tr, false).await?;
    let v = FormView::new(format!("/workplaces/{id}"), tr.t("save"), workplace_fields(&tr, input, units)).with_errors(&tr, errs);
    let mut v = record_view(&tr, actor, Permission::OrgWrite, v, &format!("/workplaces/{id}"), active, &tr.d(&input.name));
    if let Some(r) = history(st, actor, &tr, "workplace", id).await? {
        v.related.push(r);
    }
    Ok(form_page(Chrome::new(st, ctx, &format!("/workplaces/{id}"), tr.d(&input.name)).flash(ok), v))
}

pub async fn workplace_update(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let input = workplace_input(&f);
    match st.services.update_workplace(&actor, id, input.clone()).await {
        Ok(_) => Ok(done(&format!("/workplaces/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let w = st.services.workplace(&actor, id).await?;
            workplace_page(&st, &ctx, &actor, id, &input, w.active, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn workplace_deactivate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_workplace_active(&actor, id, false).await?;
    Ok(done(&format!("/workplaces/{id}"), "deactivated"))
}

pub async fn workplace_activate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_workplace_active(&actor, id, true).await?;
    Ok(done(&format!("/workplaces/{id}"), "activated"))
}

// --- people ----------------------------------------------------------------------------------

pub async fn people(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let page = st.services.people(&actor, &page_query(&actor, &p)).await?;
    let rows = page
        .items
        .iter()
        .map(|pe| {
            vec![
                Cell::link(tr.d(&format!("{} {}", pe.family_name, pe.given_name)), format!("/people/{}", pe.id)),
                match (pe.unit_id, &pe.unit_name) {
                    (Some(u), Some(n)) => Cell::link(tr.d(n), format!("/units/{u}")),
                    _ => Cell::text(""),
                },
                Cell::text(tr.d(pe.workplace_name.as_deref().unwrap_or(""))),
                Cell::text(pe.username.clone().unwrap_or_default()),
                Cell::status(&tr, pe.active),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-name"), Some("name")),
        (tr.t("field-unit"), Some("unit")),
        (tr.t("field-workplace"), None),
        (tr.t("field-username"), None),
        (tr.t("field-status"), None),
    ];
    let mut v = ListView::build(&tr, "/people", &p, &page, cols, rows, tr.t("people-empty"));
    v.filters.push(Field::select(
        "unit",
        tr.t("field-unit"),
        options(Some(tr.t("all")), unit_options(&st, &actor, &tr, false).await?, p.unit_id()),
    ));
    if actor.can(Permission::OrgWrite) {
        v.new_action = Some(("/people/new".into(), tr.t("people-new")));
    }
    Ok(list_or_export(&st, &ctx, "/people", tr.t("nav-employees"), &p, v).await)
}

async fn person_fields(st: &AppState, actor: &Actor, tr: &Tr<'_>, p: &PersonInput) -> UiResult<Vec<Field>> {
    let units = unit_options(st, actor, tr, false).await?;
    let mut wq = ListQuery::new(actor.office_id);
    wq.per_page = 500;
    wq.sort = upravnik_core::org::SortKey::Unit;
    let wps = st.services.workplaces(actor, &wq).await?;
    let bd = upravnik_core::clock::parse_date(&p.birth_date).map(upravnik_core::clock::format_date).unwrap_or_else(|| p.birth_date.clone());
    Ok(vec![
        Field::new("given_name", "text", tr.t("field-given-name"), p.given_name.clone()).required().autofocus(),
        Field::new("family_name", "text", tr.t("field-family-name"), p.family_name.clone()).required(),
        Field::new("birth_date", "text", tr.t("field-birth-date"), bd).hint(tr.t("hint-date")),
        Field::new("email", "email", tr.t("field-email"), p.email.clone()),
        Field::new("phone", "text", tr.t("field-phone"), p.phone.clone()),
        Field::select("unit_id", tr.t("field-unit"), options(Some(String::new()), units, p.unit_id)),
        Field::select(
            "workplace_id",
            tr.t("field-workplace"),
            options(
                Some(String::new()),
                wps.items.iter().map(|w| (w.id, format!("{} — {}", tr.d(&w.unit_name), tr.d(&w.name)))),
                p.workplace_id,
            ),
        )
        .hint(tr.t("hint-workplace")),
    ])
}

fn person_input(f: &FormData) -> PersonInput {
    PersonInput {
        given_name: f.get("given_name"),
        family_name: f.get("family_name"),
        birth_date: f.get("birth_date"),
        email: f.get("email"),
        phone: f.get("phone"),
        unit_id: f.id("unit_id"),
        workplace_id: f.id("workplace_id"),
    }
}

async fn person_new_page(st: &AppState, ctx: &Ctx, actor: &Actor, input: &PersonInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let mut v = FormView::new("/people", tr.t("save"), person_fields(st, actor, &tr, input).await?).with_errors(&tr, errs);
    v.cancel_href = Some("/people".into());
    Ok(form_page(Chrome::new(st, ctx, "/people/new", tr.t("people-new")), v))
}

pub async fn person_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    person_new_page(&st, &ctx, &actor, &PersonInput { unit_id: p.unit_id(), ..Default::default() }, &[]).await
}

pub async fn person_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input = person_input(&f);
    match st.services.create_person(&actor, input.clone()).await {
        Ok(p) => Ok(done(&format!("/people/{}", p.id), "created")),
        Err(Error::Invalid(errs)) => person_new_page(&st, &ctx, &actor, &input, &errs).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn person_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let pe = st.services.person(&actor, id).await?;
    let input = PersonInput {
        given_name: pe.given_name.clone(),
        family_name: pe.family_name.clone(),
        birth_date: pe.birth_date.clone().unwrap_or_default(),
        email: pe.email.clone(),
        phone: pe.phone.clone(),
        unit_id: pe.unit_id,
        workplace_id: pe.workplace_id,
    };
    person_page(&st, &ctx, &actor, id, &input, pe.active, pe.username.as_deref(), &[], p.ok.as_deref()).await
}

#[allow(clippy::too_many_arguments)]
async fn person_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    input: &PersonInput,
    active: bool,
    username: Option<&str>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let name = tr.d(&format!("{} {}", input.given_name, input.family_name));
    let v = FormView::new(format!("/people/{id}"), tr.t("save"), person_fields(st, actor, &tr, input).await?).with_errors(&tr, errs);
    let mut v = record_view(&tr, actor, Permission::OrgWrite, v, &format!("/people/{id}"), active, &name);
    if actor.can(Permission::UsersRead) {
        let rows = match username {
            Some(u) => vec![vec![Cell::text(u.to_string())]],
            None => vec![],
        };
        let more = match username {
            None if actor.can(Permission::UsersWrite) && active => Some((format!("/accounts/new?person={id}"), tr.t("accounts-new"))),
            _ => None,
        };
        v.related.push(Related {
            title: tr.t("account"),
            columns: vec![tr.t("field-username")],
            rows,
            empty: tr.t("person-no-account"),
            more,
        });
    }
    if actor.can(Permission::AssetsRead) {
        let q = upravnik_core::asset::AssetQuery { person_id: Some(id), page: 1, per_page: 100, ..Default::default() };
        let held = st.services.assets(actor, &q).await?;
        v.related.push(Related {
            title: tr.t("person-assets"),
            columns: vec![tr.t("field-inventory-number"), tr.t("field-label"), tr.t("field-make-model")],
            rows: held
                .items
                .iter()
                .map(|a| {
                    vec![
                        Cell::link(a.fields.inventory_number.clone(), format!("/assets/{}", a.id)),
                        Cell::text(a.fields.label.map(upravnik_core::asset::format_label).unwrap_or_default()),
                        Cell::text(tr.d(format!("{} {}", a.fields.manufacturer, a.fields.model).trim())),
                    ]
                })
                .collect(),
            empty: tr.t("person-assets-empty"),
            more: None,
        });
        v.related.push(super::consumables::person_section(st, actor, &tr, id).await?);
    }
    if let Some(r) = history(st, actor, &tr, "person", id).await? {
        v.related.push(r);
    }
    Ok(form_page(Chrome::new(st, ctx, &format!("/people/{id}"), name).flash(ok), v))
}

pub async fn person_update(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let input = person_input(&f);
    match st.services.update_person(&actor, id, input.clone()).await {
        Ok(_) => Ok(done(&format!("/people/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let pe = st.services.person(&actor, id).await?;
            person_page(&st, &ctx, &actor, id, &input, pe.active, pe.username.as_deref(), &errs, None).await
        }
        Err(e) => Err(UiError(e)),
    }
}

pub async fn person_deactivate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_person_active(&actor, id, false).await?;
    Ok(done(&format!("/people/{id}"), "deactivated"))
}

pub async fn person_activate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_person_active(&actor, id, true).await?;
    Ok(done(&format!("/people/{id}"), "activated"))
}
