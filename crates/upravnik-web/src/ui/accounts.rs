//! Accounts and their roles (R.18–R.19): open, change roles, close, set a new password.

use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission, Role};
use upravnik_core::org::ListQuery;

use super::layout::Chrome;
use super::org::{ListPage, form_page, history};
use super::view::{Button, Cell, Field, FormView, ListParams, ListView, Opt, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn role_name(tr: &Tr<'_>, r: Role) -> String {
    tr.t(&format!("role-{}", r.as_str()))
}

fn role_checks(tr: &Tr<'_>, selected: &[Role]) -> Field {
    Field::checks(
        "roles",
        tr.t("field-roles"),
        Role::ALL.iter().map(|r| Opt { value: r.as_str().into(), label: role_name(tr, *r), selected: selected.contains(r) }).collect(),
    )
}

fn parse_roles(f: &FormData) -> Vec<Role> {
    f.all("roles").iter().filter_map(|r| Role::parse(r).ok()).collect()
}

pub async fn accounts(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let mut q = p.to_query(actor.office_id);
    if p.sort.is_empty() {
        q.sort = upravnik_core::org::SortKey::Name;
    }
    let page = st.services.accounts(&actor, &q).await?;
    let rows = page
        .items
        .iter()
        .map(|a| {
            vec![
                Cell::link(a.username.clone(), format!("/accounts/{}", a.user_id)),
                Cell::link(tr.d(&a.full_name), format!("/people/{}", a.person_id)),
                Cell::text(a.roles.iter().map(|r| role_name(&tr, *r)).collect::<Vec<_>>().join(", ")),
                Cell::status(&tr, a.active),
            ]
        })
        .collect();
    let cols =
        vec![(tr.t("field-username"), Some("name")), (tr.t("field-name"), None), (tr.t("field-roles"), None), (tr.t("field-status"), None)];
    let mut v = ListView::build(&tr, "/accounts", &p, &page, cols, rows, tr.t("accounts-empty"));
    v.export_base = None;
    if actor.can(Permission::UsersWrite) {
        v.new_action = Some(("/accounts/new".into(), tr.t("accounts-new")));
    }
    let c = Chrome::new(&st, &ctx, "/accounts", tr.t("nav-accounts")).flash(p.ok.as_deref());
    Ok(super::layout::render(&ListPage { c, v }))
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    person: Option<String>,
}

async fn new_account_fields(
    st: &AppState,
    actor: &Actor,
    tr: &Tr<'_>,
    person: Option<i64>,
    username: &str,
    roles: &[Role],
) -> UiResult<Vec<Field>> {
    let mut q = ListQuery::new(actor.office_id);
    q.per_page = 500;
    let people = st.services.people(actor, &q).await?;
    let candidates = people
        .items
        .iter()
        .filter(|p| p.username.is_none() || Some(p.id) == person)
        .map(|p| (p.id, tr.d(&format!("{} {}", p.family_name, p.given_name))));
    Ok(vec![
        Field::select("person_id", tr.t("field-person"), options(Some(String::new()), candidates, person)).required(),
        Field::new("username", "text", tr.t("field-username"), username.to_string())
            .required()
            .hint(tr.t("hint-username"))
            .autocomplete("off"),
        Field::new("password", "password", tr.t("field-password"), String::new())
            .required()
            .hint(tr.t("hint-password"))
            .autocomplete("new-password"),
        role_checks(tr, roles),
    ])
}

pub async fn account_new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<NewParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let person = p.person.and_then(|s| s.parse().ok());
    let mut v =
        FormView::new("/accounts", tr.t("accounts-create"), new_account_fields(&st, &actor, &tr, person, "", &[Role::Employee]).await?);
    v.cancel_href = Some("/accounts".into());
    Ok(form_page(Chrome::new(&st, &ctx, "/accounts/new", tr.t("accounts-new")), v))
}

pub async fn account_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let roles = parse_roles(&f);
    let person = f.id("person_id");
    let username = f.get("username");
    let result = match person {
        Some(pid) => st.services.create_account(&actor, pid, &username, &f.get("password"), roles.clone()).await,
        None => Err(Error::invalid("person_id", "err-required")),
    };
    let errs = match result {
        Ok(a) => return Ok(done(&format!("/accounts/{}", a.user_id), "created")),
        Err(Error::Invalid(errs)) => errs,
        Err(Error::Conflict { field: Some(field), code }) => {
            vec![upravnik_core::FieldError::new(field, if code == "username_taken" { "err-username-taken" } else { "err-taken" })]
        }
        Err(e) => return Err(e.into()),
    };
    let tr = ctx.tr(&st);
    let v = FormView::new("/accounts", tr.t("accounts-create"), new_account_fields(&st, &actor, &tr, person, &username, &roles).await?)
        .with_errors(&tr, &errs);
    Ok(form_page(Chrome::new(&st, &ctx, "/accounts/new", tr.t("accounts-new")), v))
}

pub async fn account_show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    account_page(&st, &ctx, &actor, id, None, &[], p.ok.as_deref()).await
}

async fn account_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    roles: Option<Vec<Role>>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let a = st.services.account(actor, id).await?;
    let roles = roles.unwrap_or_else(|| a.roles.clone());
    let fields = vec![
        Field::new("username", "text", tr.t("field-username"), a.username.clone()),
        Field::new("person", "text", tr.t("field-person"), tr.d(&a.full_name)),
        role_checks(&tr, &roles),
    ];
    let mut v = FormView::new(format!("/accounts/{id}/roles"), tr.t("save-roles"), fields).with_errors(&tr, errs);
    // Username and person are shown, not edited: a new name means a new account request (R.19).
    v.fields.retain(|f| f.name == "roles" || !actor.can(Permission::UsersWrite));
    v.editable = actor.can(Permission::UsersWrite);
    v.status = Some(if a.active { (tr.t("status-active"), "ok") } else { (tr.t("status-inactive"), "muted") });
    let mfa = st.services.account_mfa(actor, id).await?;
    v.intro = Some(format!(
        "{} · {}",
        tr.t(if a.directory { "accounts-source-directory" } else { "accounts-source-local" }),
        tr.t(if mfa { "accounts-mfa-on" } else { "accounts-mfa-off" })
    ));
    if v.editable && !a.directory {
        v.buttons.push(Button {
            action: format!("/accounts/{id}/password"),
            label: tr.t("accounts-set-password"),
            class: "",
            confirm: None,
        });
    }
    if v.editable && mfa {
        v.buttons.push(Button {
            action: format!("/accounts/{id}/mfa-reset"),
            label: tr.t("accounts-mfa-reset"),
            class: "",
            confirm: Some(tr.t1("confirm-mfa-reset", "name", a.username.clone())),
        });
    }
    if v.editable {
        v.buttons.push(if a.active {
            Button {
                action: format!("/accounts/{id}/deactivate"),
                label: tr.t("accounts-close"),
                class: "danger",
                confirm: Some(tr.t1("confirm-close-account", "name", a.username.clone())),
            }
        } else {
            Button { action: format!("/accounts/{id}/activate"), label: tr.t("accounts-reopen"), class: "", confirm: None }
        });
    }
    if let Some(r) = history(st, actor, &tr, "user", id).await? {
        v.related.push(r);
    }
    let title = format!("{} ({})", a.username, tr.d(&a.full_name));
    Ok(form_page(Chrome::new(st, ctx, &format!("/accounts/{id}"), title).flash(ok), v))
}

pub async fn account_roles(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let roles = parse_roles(&f);
    match st.services.set_roles(&actor, id, roles.clone()).await {
        Ok(()) => Ok(done(&format!("/accounts/{id}"), "saved")),
        Err(Error::Invalid(errs)) => account_page(&st, &ctx, &actor, id, Some(roles), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn account_deactivate(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    match st.services.set_account_active(&actor, id, false).await {
        Ok(()) => Ok(done(&format!("/accounts/{id}"), "deactivated")),
        Err(Error::Invalid(errs)) => account_page(&st, &ctx, &actor, id, None, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn account_activate(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.set_account_active(&actor, id, true).await?;
    Ok(done(&format!("/accounts/{id}"), "activated"))
}

/// The new-password form is reached by a POST button (so it is never prefetched), then posts again.
pub async fn account_password(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let a = st.services.account(&actor, id).await?;
    let pw = f.get("password");
    let mut errs = vec![];
    if f.flag("submitted") {
        match st.services.reset_password(&actor, id, &pw).await {
            Ok(()) => return Ok(done(&format!("/accounts/{id}"), "password")),
            Err(Error::Invalid(e)) => errs = e,
            Err(e) => return Err(e.into()),
        }
    }
    let fields = vec![
        Field::new("password", "password", tr.t("field-new-password"), String::new())
            .required()
            .hint(tr.t("hint-password"))
            .autocomplete("new-password")
            .autofocus(),
        Field::new("submitted", "hidden", String::new(), "1"),
    ];
    let mut v = FormView::new(format!("/accounts/{id}/password"), tr.t("save"), fields).with_errors(&tr, &errs);
    v.cancel_href = Some(format!("/accounts/{id}"));
    Ok(form_page(Chrome::new(&st, &ctx, &format!("/accounts/{id}"), tr.t1("accounts-password-title", "name", a.username)), v))
}
