//! The catalogue of applications and their roles (R.17, P.5.1): the list, an application's
//! page (editable by administrators), and the standard catalogue added with one button.

use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::applications::{AppKind, ApplicationInput};

use super::layout::Chrome;
use super::org::{form_page, history, list_or_export, page_query, record_view};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn kind_name(tr: &Tr<'_>, k: AppKind) -> String {
    tr.t(&format!("app-kind-{}", k.as_str()))
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let page = st.services.applications(&actor, &page_query(&actor, &p)).await?;
    let rows = page
        .items
        .iter()
        .map(|a| {
            vec![
                Cell::link(tr.d(&a.name), format!("/applications/{}", a.id)),
                Cell::text(kind_name(&tr, a.kind)),
                Cell::text(tr.d(&a.roles.join(", "))),
                Cell::status(&tr, a.active),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-name"), Some("name")),
        (tr.t("field-app-kind"), None),
        (tr.t("field-app-roles"), None),
        (tr.t("field-status"), None),
    ];
    let mut v = ListView::build(&tr, "/applications", &p, &page, cols, rows, tr.t("apps-empty"));
    if actor.can(Permission::UsersWrite) {
        v.new_action = Some(("/applications/new".into(), tr.t("apps-new")));
        v.more_actions.push(("/applications/standard".into(), tr.t("apps-add-standard")));
    }
    Ok(list_or_export(&st, &ctx, "/applications", tr.t("nav-applications"), &p, v).await)
}

fn fields(tr: &Tr<'_>, i: &ApplicationInput) -> Vec<Field> {
    let kind = if i.kind.is_empty() { "other".to_string() } else { i.kind.clone() };
    let kinds =
        AppKind::ALL.iter().map(|k| Opt { value: k.as_str().into(), label: kind_name(tr, *k), selected: k.as_str() == kind }).collect();
    vec![
        Field::new("name", "text", tr.t("field-name"), i.name.clone()).required().autofocus(),
        Field::select("kind", tr.t("field-app-kind"), kinds),
        Field::new("roles", "textarea", tr.t("field-app-roles"), i.roles.join("\n")).hint(tr.t("hint-app-roles")),
        Field::new("description", "textarea", tr.t("field-description"), i.description.clone()),
    ]
}

fn input(f: &FormData) -> ApplicationInput {
    ApplicationInput { name: f.get("name"), kind: f.get("kind"), description: f.get("description"), roles: vec![f.get("roles")] }
}

fn new_page(st: &AppState, ctx: &Ctx, i: &ApplicationInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let v = FormView::new("/applications", tr.t("save"), fields(&tr, i)).with_errors(&tr, errs);
    Ok(form_page(Chrome::new(st, ctx, "/applications/new", tr.t("apps-new")), v))
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(_): Signed) -> UiResult {
    new_page(&st, &ctx, &ApplicationInput::default(), &[])
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = input(&f);
    match st.services.create_application(&actor, &i).await {
        Ok(a) => Ok(done(&format!("/applications/{}", a.id), "created")),
        Err(Error::Invalid(errs)) => new_page(&st, &ctx, &i, &errs),
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    i: &ApplicationInput,
    active: bool,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let base = format!("/applications/{id}");
    let v = FormView::new(base.clone(), tr.t("save"), fields(&tr, i)).with_errors(&tr, errs);
    let mut v = record_view(&tr, actor, Permission::UsersWrite, v, &base, active, &tr.d(&i.name));
    if actor.can(Permission::WorklogRead)
        && let Some(r) = history(st, actor, &tr, "application", id).await?
    {
        v.related.push(r);
    }
    Ok(form_page(Chrome::new(st, ctx, &base, tr.d(&i.name)).flash(ok), v))
}

fn as_input(a: &upravnik_core::applications::Application) -> ApplicationInput {
    ApplicationInput { name: a.name.clone(), kind: a.kind.as_str().into(), description: a.description.clone(), roles: a.roles.clone() }
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let a = st.services.application(&actor, id).await?;
    page(&st, &ctx, &actor, id, &as_input(&a), a.active, &[], p.ok.as_deref()).await
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let i = input(&f);
    match st.services.update_application(&actor, id, &i).await {
        Ok(_) => Ok(done(&format!("/applications/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            let a = st.services.application(&actor, id).await?;
            page(&st, &ctx, &actor, id, &i, a.active, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn deactivate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_application_active(&actor, id, false).await?;
    Ok(done(&format!("/applications/{id}"), "deactivated"))
}

pub async fn activate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_application_active(&actor, id, true).await?;
    Ok(done(&format!("/applications/{id}"), "activated"))
}

/// `GET /applications/standard`: what the standard catalogue holds, to confirm.
pub async fn standard(State(st): State<AppState>, ctx: Ctx, Signed(_): Signed) -> UiResult {
    let tr = ctx.tr(&st);
    let names: Vec<String> = upravnik_core::applications::STANDARD.iter().map(|(n, ..)| tr.d(n)).collect();
    let mut v = FormView::new("/applications/standard", tr.t("apps-add-standard"), vec![]);
    v.intro = Some(tr.t1("apps-standard-intro", "names", names.join(", ")));
    Ok(form_page(Chrome::new(&st, &ctx, "/applications/standard", tr.t("apps-add-standard")), v))
}

/// `POST /applications/standard`: adds what the office does not have of the standard catalogue.
pub async fn add_standard(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    st.services.add_standard_applications(&actor).await?;
    Ok(done("/applications", "created"))
}
