//! Account requests (Захтев за отварање / измену корисничког налога, R.19, Prilog 2): the list,
//! the head of unit's form, a request's page with what the person holds and the administrator's
//! part, and the two-part form as a PDF.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::access::{Actor, Permission};
use upravnik_core::account_requests::{CarryOutInput, ItemInput, RequestInput, RequestKind, RequestState, suggest_username};
use upravnik_core::account_requests_service::{RequestDetail, RequestQuery};
use upravnik_core::clock::format_local;
use upravnik_core::org::ListQuery;
use upravnik_core::{Error, FieldError};

use super::layout::{Chrome, render_form};
use super::org::{form_page, list_or_export};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn kind_name(tr: &Tr<'_>, k: RequestKind) -> String {
    tr.t(&format!("request-kind-{}", k.as_str()))
}

pub fn state_name(tr: &Tr<'_>, s: RequestState) -> String {
    tr.t(&format!("request-state-{}", s.as_str()))
}

fn state_class(s: RequestState) -> &'static str {
    match s {
        RequestState::Submitted => "warn",
        RequestState::Done => "ok",
        RequestState::Rejected => "muted",
    }
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let state = p.status.as_deref().and_then(RequestState::parse);
    let q = RequestQuery { state, page: p.page.unwrap_or(1), per_page: 50, ..Default::default() };
    let page = st.services.account_requests(&actor, &q).await?;
    let rows = page
        .items
        .iter()
        .map(|r| {
            vec![
                Cell::link(r.number.clone(), format!("/account-requests/{}", r.id)),
                Cell::text(kind_name(&tr, r.kind)),
                Cell::text(tr.d(&r.person_name)),
                Cell::text(tr.d(&r.unit_name)),
                Cell::text(state_name(&tr, r.state)),
                Cell::text(format!("{} · {}", tr.d(&r.requested_by), format_local(r.requested_us))),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("field-request-kind"), None),
        (tr.t("field-full-name"), None),
        (tr.t("field-unit"), None),
        (tr.t("field-status"), None),
        (tr.t("field-requested-by"), None),
    ];
    let mut v = ListView::build(&tr, "/account-requests", &p, &page, cols, rows, tr.t("requests-empty"));
    let mut states = vec![Opt { value: String::new(), label: tr.t("all"), selected: state.is_none() }];
    states.extend(RequestState::ALL.iter().map(|s| Opt {
        value: s.as_str().into(),
        label: state_name(&tr, *s),
        selected: state == Some(*s),
    }));
    v.filters.push(Field::select("status", tr.t("field-status"), states));
    if actor.can(Permission::AccountRequest) {
        v.new_action = Some(("/account-requests/new".into(), tr.t("requests-new")));
    }
    Ok(list_or_export(&st, &ctx, "/account-requests", tr.t("nav-account-requests"), &p, v).await)
}

async fn new_page(st: &AppState, ctx: &Ctx, actor: &Actor, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let people = st.services.requestable_people(actor).await?;
    let chosen = f.get("person_id");
    let mut person_opts = vec![Opt { value: String::new(), label: tr.t("choose"), selected: chosen.is_empty() }];
    person_opts.extend(people.iter().map(|p| {
        let unit = p.unit_name.as_deref().map(|u| format!(" — {}", tr.d(u))).unwrap_or_default();
        Opt { value: p.id.to_string(), label: format!("{}{unit}", tr.d(&p.full_name())), selected: chosen == p.id.to_string() }
    }));
    let kind = if f.0.is_empty() { "open".to_string() } else { f.get("kind") };
    let kinds = RequestKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: kind_name(&tr, *k), selected: k.as_str() == kind })
        .collect();
    let mut fields = vec![
        Field::select("person_id", tr.t("field-employee"), person_opts).required(),
        Field::select("kind", tr.t("field-request-kind"), kinds).required().hint(tr.t("hint-request-kind")),
    ];
    let mut q = ListQuery::new(actor.office_id);
    q.per_page = 500;
    let apps = st.services.applications(actor, &q).await?;
    for a in &apps.items {
        let name = format!("app_{}", a.id);
        let chosen = f.get(&name);
        let mut opts = vec![Opt { value: String::new(), label: tr.t("request-no-role"), selected: chosen.is_empty() }];
        opts.extend(a.roles.iter().map(|r| Opt { value: r.clone(), label: tr.d(r), selected: chosen == *r }));
        fields.push(Field::select_named(name, tr.d(&a.name), opts));
    }
    fields.push(Field::new("internet", "checkbox", tr.t("field-request-internet"), if f.flag("internet") { "1" } else { "" }));
    fields.push(Field::new("social", "checkbox", tr.t("field-request-social"), if f.flag("social") { "1" } else { "" }));
    fields.push(Field::new("note", "textarea", tr.t("field-note"), f.get("note")));
    let v = FormView::new("/account-requests", tr.t("requests-submit"), fields).with_errors(&tr, errs);
    Ok(form_page(Chrome::new(st, ctx, "/account-requests/new", tr.t("requests-new")), v))
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    new_page(&st, &ctx, &actor, &FormData::default(), &[]).await
}

fn request_input(f: &FormData) -> RequestInput {
    let items =
        f.0.iter()
            .filter_map(|(k, v)| {
                let id = k.strip_prefix("app_")?.parse::<i64>().ok()?;
                (!v.trim().is_empty()).then(|| ItemInput { application_id: id, role: v.clone() })
            })
            .collect();
    RequestInput {
        person_id: f.id("person_id").unwrap_or(0),
        kind: f.get("kind"),
        items,
        internet: f.flag("internet"),
        social: f.flag("social"),
        note: f.get("note"),
    }
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    match st.services.create_account_request(&actor, &request_input(&f)).await {
        Ok(r) => Ok(done(&format!("/account-requests/{}", r.id), "created")),
        Err(Error::Invalid(errs)) => new_page(&st, &ctx, &actor, &f, &errs).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "account_request.html")]
pub struct RequestPage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub state: (String, &'static str),
    /// (label, value)
    pub facts: Vec<(String, String)>,
    /// (application, role)
    pub items: Vec<(String, String)>,
    /// (grant id, application, role, from which request)
    pub grants: Vec<(i64, String, String, String)>,
    /// (link, inventory number)
    pub assets: Vec<(String, String)>,
    pub closing: bool,
    pub can_carry_out: bool,
    pub can_reject: bool,
    /// The head of administration may approve social networks (R.32).
    pub can_approve_social: bool,
    pub username: String,
    /// The directory manages accounts: carrying out opens (or disables) the account there.
    pub directory: bool,
    pub errors: Vec<String>,
}

async fn page(st: &AppState, ctx: &Ctx, actor: &Actor, d: RequestDetail, errs: &[FieldError], ok: Option<&str>) -> UiResult {
    let tr = ctx.tr(st);
    let r = &d.request;
    let yes_no = |b: bool| tr.t(if b { "yes" } else { "no" });
    let mut facts = vec![
        (tr.t("field-request-kind"), kind_name(&tr, r.kind)),
        (tr.t("field-employee"), tr.d(&r.person_name)),
        (tr.t("field-unit"), tr.d(&r.unit_name)),
        (tr.t("field-workplace"), tr.d(&r.workplace_name)),
        (tr.t("field-request-internet"), yes_no(r.internet)),
        (tr.t("field-requested-by"), format!("{} · {}", tr.d(&r.requested_by), format_local(r.requested_us))),
    ];
    if r.social {
        facts.push((tr.t("field-request-social"), social_text(&tr, r)));
    }
    if !r.note.is_empty() {
        facts.push((tr.t("field-note"), tr.d(&r.note)));
    }
    if let (Some(by), Some(at)) = (&r.done_by, r.done_us) {
        facts.push((tr.t("field-done-by"), format!("{} · {}", tr.d(by), format_local(at))));
    }
    if let Some(u) = &r.username {
        facts.push((tr.t("field-username"), u.clone()));
    }
    if !r.setup_note.is_empty() {
        facts.push((tr.t("field-setup-note"), tr.d(&r.setup_note)));
    }
    if !r.rejected_reason.is_empty() {
        facts.push((tr.t("field-rejected-reason"), tr.d(&r.rejected_reason)));
    }
    let open = r.state == RequestState::Submitted;
    let person = st.services.store.get_person(actor.office_id, r.person_id).await?;
    let page = RequestPage {
        id: r.id,
        state: (state_name(&tr, r.state), state_class(r.state)),
        facts,
        items: r.items.iter().map(|i| (tr.d(&i.application_name), tr.d(&i.role))).collect(),
        grants: d.grants.iter().map(|g| (g.id, tr.d(&g.application_name), tr.d(&g.role), g.request_number.clone())).collect(),
        assets: d.assets.iter().map(|(id, n)| (format!("/assets/{id}"), n.clone())).collect(),
        closing: r.kind == RequestKind::Close,
        can_carry_out: open && actor.can(Permission::UsersWrite),
        can_reject: open && (actor.can(Permission::UsersWrite) || r.requested_by == actor.full_name),
        can_approve_social: open && r.social && r.social_approved_by.is_none() && actor.can(Permission::ApproveSocialNetworks),
        username: suggest_username(&person.given_name, &person.family_name),
        directory: st.services.directory().is_some_and(|d| d.settings.manage_accounts && d.settings.office_id == actor.office_id),
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        c: Chrome::new(st, ctx, &format!("/account-requests/{}", r.id), format!("{} · {}", r.number, tr.d(&r.person_name))).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let d = st.services.account_request(&actor, id).await?;
    page(&st, &ctx, &actor, d, &[], p.ok.as_deref()).await
}

async fn after(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, r: Result<(), Error>) -> UiResult {
    match r {
        Ok(()) => Ok(done(&format!("/account-requests/{id}"), "saved")),
        Err(Error::Invalid(errs)) => page(st, ctx, actor, st.services.account_request(actor, id).await?, &errs, None).await,
        // The directory could not do its part: nothing was recorded, the form says why.
        Err(Error::Unavailable { .. }) => {
            let errs = [FieldError::new("directory", "err-directory-unavailable")];
            page(st, ctx, actor, st.services.account_request(actor, id).await?, &errs, None).await
        }
        Err(Error::Conflict { code: "directory_refused", .. }) => {
            let errs = [FieldError::new("directory", "err-directory-refused")];
            page(st, ctx, actor, st.services.account_request(actor, id).await?, &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn carry_out(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let removed = f.all("removed").iter().filter_map(|v| v.parse().ok()).collect();
    let input = CarryOutInput {
        username: f.get("username"),
        setup_note: f.get("setup_note"),
        removed,
        initial_password: f.get("initial_password"),
    };
    let r = st.services.carry_out_account_request(&actor, id, &input).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

/// `POST /account-requests/{id}/approve-social`: the head of administration's approval (R.32).
pub async fn approve_social(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let r = st.services.approve_social_networks(&actor, id).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

fn social_text(tr: &Tr<'_>, r: &upravnik_core::account_requests::AccountRequest) -> String {
    match (&r.social_approved_by, r.social_approved_us) {
        (Some(by), Some(at)) => tr.ta("request-social-approved", &[("who", tr.d(by)), ("when", format_local(at))]),
        _ => tr.t("request-social-waiting"),
    }
}

pub async fn reject(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let r = st.services.reject_account_request(&actor, id, &f.get("reason")).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

/// The two-part form (Prilog 2): the head's part, the administrator's part.
pub async fn pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let d = st.services.account_request(&actor, id).await?;
    let r = &d.request;
    let yes_no = |b: bool| tr.t(if b { "yes" } else { "no" });
    let part1 = vec![
        (tr.t("field-number"), r.number.clone()),
        (tr.t("field-request-kind"), kind_name(&tr, r.kind)),
        (tr.t("field-employee"), tr.d(&r.person_name)),
        (tr.t("field-unit"), tr.d(&r.unit_name)),
        (tr.t("field-workplace"), tr.d(&r.workplace_name)),
        (tr.t("field-request-internet"), yes_no(r.internet)),
        (tr.t("field-request-social"), if r.social { social_text(&tr, r) } else { yes_no(false) }),
    ];
    let mut sections = vec![upravnik_pdf::Section::Facts { heading: tr.t("request-part-1"), items: part1 }];
    if !r.items.is_empty() {
        sections.push(upravnik_pdf::Section::Table {
            heading: tr.t("request-applications"),
            headers: vec!["#".into(), tr.t("nav-applications"), tr.t("field-app-roles")],
            widths: vec![0.4, 3.0, 3.0],
            rows: r.items.iter().enumerate().map(|(n, i)| vec![(n + 1).to_string(), tr.d(&i.application_name), tr.d(&i.role)]).collect(),
            size: 10.0,
        });
    }
    if !r.note.is_empty() {
        sections.push(upravnik_pdf::Section::Text { heading: tr.t("field-note"), text: tr.d(&r.note) });
    }
    let part2 = vec![
        (tr.t("field-username"), r.username.clone().unwrap_or_default()),
        (tr.t("field-setup-note"), tr.d(&r.setup_note)),
        (tr.t("field-done-by"), r.done_by.as_deref().map(|b| tr.d(b)).unwrap_or_default()),
        (tr.t("field-date"), r.done_us.map(upravnik_core::clock::format_local_date).unwrap_or_default()),
    ];
    sections.push(upravnik_pdf::Section::Facts { heading: tr.t("request-part-2"), items: part2 });
    if !r.software.is_empty() {
        sections.push(upravnik_pdf::Section::Text { heading: tr.t("request-software"), text: tr.d(&r.software) });
    }
    let print = super::print_meta(&st, &ctx, vec![], vec![]).await;
    let form = upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("request-title"),
        number: tr.t("request-annex"),
        sections,
        signatures: vec![
            upravnik_pdf::Signature {
                role: tr.t("sign-head-of-unit"),
                name: tr.d(&r.requested_by),
                date: upravnik_core::clock::format_local_date(r.requested_us),
            },
            upravnik_pdf::Signature {
                role: tr.t("sign-administrator"),
                name: r.done_by.as_deref().map(|b| tr.d(b)).unwrap_or_default(),
                date: r.done_us.map(upravnik_core::clock::format_local_date).unwrap_or_default(),
            },
        ],
        footer: print.footer,
    };
    Ok(crate::export::pdf(form, &crate::ui::report_forms::file_stem(&r.number)).await)
}
