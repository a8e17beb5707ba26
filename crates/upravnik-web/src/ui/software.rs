//! Licensed software (R.23–R.30, Prilog 4): the list (exported as PDF/XLSX/CSV like every list),
//! a product's page with its licences, recognition rules and workstations, the names no rule
//! knows, and compliance with its removal tasks (R.30).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::format_local;
use upravnik_core::software::{Category, LicenceInput, LicenceKind, MatchKind, ProductInput, RuleInput, Seats, Status};
use upravnik_core::software_service::ProductView;

use super::layout::{Chrome, render, render_form};
use super::org::{form_page, list_or_export};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn category_name(tr: &Tr<'_>, c: Category) -> String {
    format!("{} ({})", tr.t(&format!("sw-category-{}", c.as_str())), c.article().replace("R.", "чл. "))
}

fn kind_name(tr: &Tr<'_>, k: LicenceKind) -> String {
    tr.t(&format!("licence-kind-{}", k.as_str()))
}

fn seats_text(tr: &Tr<'_>, s: Seats) -> String {
    match s {
        Seats::None => tr.t("sw-seats-none"),
        Seats::Count(n) => n.to_string(),
        Seats::Unlimited => tr.t("sw-seats-unlimited"),
    }
}

fn status_cell(tr: &Tr<'_>, s: Status) -> Cell {
    let (text, class) = match s {
        Status::Licensed => (tr.t("sw-status-licensed"), "ok"),
        Status::Over(n) => (tr.t1("sw-status-over", "count", n), "warn"),
        Status::Unlicensed => (tr.t("sw-status-unlicensed"), "error"),
        Status::Unused => (tr.t("sw-status-unused"), "muted"),
    };
    Cell { text, href: None, class: Some(class) }
}

fn licences_text(tr: &Tr<'_>, p: &ProductView) -> String {
    p.product
        .licences
        .iter()
        .map(|l| {
            let mut s = kind_name(tr, l.kind);
            if let Some(n) = l.seats {
                s.push_str(&format!(" × {n}"));
            }
            if let Some(to) = l.valid_to.as_deref().and_then(upravnik_core::clock::parse_date) {
                s.push_str(&format!(" {} {}", tr.t("sw-until"), upravnik_core::clock::format_date(to)));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /software`: the list of licensed software (Prilog 4).
pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let mut products = st.services.software(&actor).await?;
    let q = upravnik_core::text::search_key(&p.q);
    if !q.is_empty() {
        products.retain(|v| upravnik_core::text::search_key(&format!("{} {}", v.product.name, v.product.vendor)).contains(&q));
    }
    if let Some(c) = p.kind.as_deref().and_then(Category::parse) {
        products.retain(|v| v.product.category == c);
    }
    if p.inactive != Some(1) {
        products.retain(|v| v.product.active);
    }
    match p.sort.as_str() {
        "installed" => products.sort_by_key(|v| std::cmp::Reverse(v.installed)),
        "category" => products.sort_by(|a, b| a.product.category.cmp(&b.product.category).then(a.product.name.cmp(&b.product.name))),
        _ => {}
    }
    let total = products.len() as i64;
    let rows = products
        .iter()
        .map(|v| {
            vec![
                Cell::link(tr.d(&v.product.name), format!("/software/{}", v.product.id)),
                Cell::text(tr.d(&v.product.vendor)),
                Cell::text(category_name(&tr, v.product.category)),
                Cell::text(licences_text(&tr, v)),
                Cell::text(seats_text(&tr, v.seats)),
                Cell::text(v.installed.to_string()),
                status_cell(&tr, v.status),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-name"), Some("name")),
        (tr.t("field-vendor"), None),
        (tr.t("field-sw-category"), Some("category")),
        (tr.t("field-licences"), None),
        (tr.t("field-seats"), None),
        (tr.t("field-installed"), Some("installed")),
        (tr.t("field-status"), None),
    ];
    let page: upravnik_core::org::Page<()> =
        upravnik_core::org::Page { items: vec![], total, page: 1, per_page: u32::try_from(total.max(1)).unwrap_or(u32::MAX) };
    let mut v = ListView::build(&tr, "/software", &p, &page, cols, rows, tr.t("sw-empty"));
    if actor.can(Permission::AssetsWrite) {
        v.new_action = Some(("/software/new".into(), tr.t("sw-new")));
    }
    v.more_actions.push(("/software/compliance".into(), tr.t("sw-compliance")));
    v.more_actions.push(("/software/unrecognised".into(), tr.t("sw-unrecognised")));
    Ok(list_or_export(&st, &ctx, "/software", tr.t("sw-title"), &p, v).await)
}

fn product_fields(tr: &Tr<'_>, i: &ProductInput) -> Vec<Field> {
    let cat = if i.category.is_empty() { Category::SystemApplication.as_str().to_string() } else { i.category.clone() };
    let cats =
        Category::ALL.iter().map(|c| Opt { value: c.as_str().into(), label: category_name(tr, *c), selected: c.as_str() == cat }).collect();
    vec![
        Field::new("name", "text", tr.t("field-name"), i.name.clone()).required().autofocus(),
        Field::new("vendor", "text", tr.t("field-vendor"), i.vendor.clone()),
        Field::select("category", tr.t("field-sw-category"), cats),
        Field::new("note", "textarea", tr.t("field-note"), i.note.clone()),
    ]
}

fn product_input(f: &FormData) -> ProductInput {
    ProductInput { name: f.get("name"), vendor: f.get("vendor"), category: f.get("category"), note: f.get("note") }
}

fn new_page(st: &AppState, ctx: &Ctx, i: &ProductInput, pattern: &str, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let mut fields = product_fields(&tr, i);
    fields.push(Field::new("pattern", "text", tr.t("field-rule-pattern"), pattern.to_string()).hint(tr.t("hint-sw-first-rule")));
    let v = FormView::new("/software", tr.t("save"), fields).with_errors(&tr, errs);
    Ok(form_page(Chrome::new(st, ctx, "/software/new", tr.t("sw-new")), v))
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    /// A name from the unrecognised list, offered as the product's name and first rule.
    #[serde(default)]
    pub name: String,
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(_): Signed, Query(p): Query<NewParams>) -> UiResult {
    let i = ProductInput { name: p.name.clone(), ..Default::default() };
    new_page(&st, &ctx, &i, &p.name, &[])
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = product_input(&f);
    let pattern = f.get("pattern");
    match st.services.create_software_product(&actor, &i, Some(&pattern)).await {
        Ok(id) => Ok(done(&format!("/software/{id}"), "created")),
        Err(Error::Invalid(errs)) => new_page(&st, &ctx, &i, &pattern, &errs),
        Err(e) => Err(e.into()),
    }
}

pub struct LicenceRow {
    pub id: i64,
    pub kind: String,
    pub seats: String,
    pub valid: String,
    pub contract: String,
    pub procurement: String,
    pub note: String,
}

pub struct RuleRow {
    pub id: i64,
    pub kind: String,
    pub pattern: String,
    pub version: String,
    /// The product's name, or "ignored".
    pub target: String,
    pub target_href: Option<String>,
}

#[derive(Template)]
#[template(path = "software_product.html")]
pub struct ProductPage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub facts: Vec<(String, String)>,
    pub status: Cell,
    pub can_write: bool,
    pub edit: Vec<Field>,
    pub licences: Vec<LicenceRow>,
    pub licence_fields: Vec<Field>,
    pub rules: Vec<RuleRow>,
    pub rule_fields: Vec<Field>,
    pub installed_on: Vec<(String, String)>,
    pub errors: Vec<String>,
}

fn licence_fields(tr: &Tr<'_>, i: &LicenceInput) -> Vec<Field> {
    let kinds = LicenceKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: kind_name(tr, *k), selected: k.as_str() == i.kind })
        .collect();
    vec![
        Field::select("kind", tr.t("field-licence-kind"), kinds),
        Field::new("seats", "number", tr.t("field-seats"), i.seats.clone()).hint(tr.t("hint-licence-seats")),
        Field::new("valid_from", "text", tr.t("field-valid-from"), i.valid_from.clone()).hint(tr.t("hint-date")),
        Field::new("valid_to", "text", tr.t("field-valid-to"), i.valid_to.clone()).hint(tr.t("hint-date")),
        Field::new("contract", "text", tr.t("field-contract"), i.contract.clone()),
        Field::new("procurement", "text", tr.t("field-procurement"), i.procurement.clone()),
        Field::new("licence_note", "text", tr.t("field-note"), i.note.clone()),
    ]
}

pub fn rule_fields(tr: &Tr<'_>, i: &RuleInput) -> Vec<Field> {
    let kind = if i.kind.is_empty() { "prefix" } else { i.kind.as_str() };
    let kinds = MatchKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: tr.t(&format!("rule-kind-{}", k.as_str())), selected: k.as_str() == kind })
        .collect();
    vec![
        Field::select("match", tr.t("field-rule-kind"), kinds),
        Field::new("pattern", "text", tr.t("field-rule-pattern"), i.pattern.clone()).required(),
        Field::new("version_prefix", "text", tr.t("field-rule-version"), i.version_prefix.clone()).hint(tr.t("hint-rule-version")),
    ]
}

pub fn rule_row(tr: &Tr<'_>, r: &upravnik_core::software::Rule, product: Option<&str>) -> RuleRow {
    RuleRow {
        id: r.id,
        kind: tr.t(&format!("rule-kind-{}", r.kind.as_str())),
        pattern: r.pattern.clone(),
        version: r.version_prefix.clone(),
        target: product.map(|p| tr.d(p)).unwrap_or_else(|| tr.t("sw-ignored")),
        target_href: r.product_id.map(|id| format!("/software/{id}")),
    }
}

#[allow(clippy::too_many_arguments)]
async fn product_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    edit: Option<&ProductInput>,
    licence: &LicenceInput,
    rule: &RuleInput,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let v = st.services.software_product(actor, id).await?;
    let p = &v.product;
    let facts = vec![
        (tr.t("field-vendor"), tr.d(&p.vendor)),
        (tr.t("field-sw-category"), category_name(&tr, p.category)),
        (tr.t("field-seats"), seats_text(&tr, v.seats)),
        (tr.t("field-installed"), v.installed.to_string()),
        (tr.t("field-note"), tr.d(&p.note)),
    ];
    let current =
        ProductInput { name: p.name.clone(), vendor: p.vendor.clone(), category: p.category.as_str().into(), note: p.note.clone() };
    let mut edit_fields = product_fields(&tr, edit.unwrap_or(&current));
    for e in errs {
        if let Some(f) = edit_fields.iter_mut().find(|f| f.name == e.field) {
            f.error = Some(tr.t(e.message));
        }
    }
    let licences = p
        .licences
        .iter()
        .map(|l| LicenceRow {
            id: l.id,
            kind: kind_name(&tr, l.kind),
            seats: l.seats.map(|n| n.to_string()).unwrap_or_else(|| tr.t("sw-seats-unlimited")),
            valid: format!(
                "{} – {}",
                l.valid_from
                    .as_deref()
                    .and_then(upravnik_core::clock::parse_date)
                    .map(upravnik_core::clock::format_date)
                    .unwrap_or_default(),
                l.valid_to.as_deref().and_then(upravnik_core::clock::parse_date).map(upravnik_core::clock::format_date).unwrap_or_default()
            ),
            contract: tr.d(&l.contract),
            procurement: tr.d(&l.procurement),
            note: tr.d(&l.note),
        })
        .collect();
    let rules = p.rules.iter().map(|r| rule_row(&tr, r, Some(&p.name))).collect();
    let installed_on = st.services.software_installed_on(actor, id).await?.into_iter().map(|(a, n)| (format!("/assets/{a}"), n)).collect();
    let base = format!("/software/{id}");
    let page = ProductPage {
        id,
        facts,
        status: status_cell(&tr, v.status),
        can_write: actor.can(Permission::AssetsWrite),
        edit: edit_fields,
        licence_fields: licence_fields(&tr, licence),
        rule_fields: rule_fields(&tr, rule),
        licences,
        rules,
        installed_on,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        c: Chrome::new(st, ctx, &base, tr.d(&p.name)).flash(ok),
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
    product_page(&st, &ctx, &actor, id, None, &LicenceInput::default(), &RuleInput::default(), &[], p.ok.as_deref()).await
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let i = product_input(&f);
    match st.services.update_software_product(&actor, id, &i).await {
        Ok(()) => Ok(done(&format!("/software/{id}"), "saved")),
        Err(Error::Invalid(errs)) => {
            product_page(&st, &ctx, &actor, id, Some(&i), &LicenceInput::default(), &RuleInput::default(), &errs, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_licence(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = LicenceInput {
        kind: f.get("kind"),
        seats: f.get("seats"),
        valid_from: f.get("valid_from"),
        valid_to: f.get("valid_to"),
        contract: f.get("contract"),
        procurement: f.get("procurement"),
        note: f.get("licence_note"),
    };
    match st.services.add_software_licence(&actor, id, &i).await {
        Ok(_) => Ok(done(&format!("/software/{id}"), "saved")),
        Err(Error::Invalid(errs)) => product_page(&st, &ctx, &actor, id, None, &i, &RuleInput::default(), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_licence(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    st.services.remove_software_licence(&actor, id).await?;
    Ok(done(&super::local_path(&f.get("back")), "deleted"))
}

fn rule_input(f: &FormData) -> RuleInput {
    RuleInput {
        product_id: f.get("product_id").parse().ok().filter(|id: &i64| *id > 0),
        kind: f.get("match"),
        pattern: f.get("pattern"),
        version_prefix: f.get("version_prefix"),
    }
}

/// `POST /software/{id}/rules`: a rule for this product.
pub async fn add_rule(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = RuleInput { product_id: Some(id), ..rule_input(&f) };
    match st.services.add_software_rule(&actor, &i).await {
        Ok(_) => Ok(done(&format!("/software/{id}"), "saved")),
        Err(Error::Invalid(errs)) => product_page(&st, &ctx, &actor, id, None, &LicenceInput::default(), &i, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /software/rules`: from the unrecognised list — to a product, or ignored.
pub async fn add_any_rule(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = rule_input(&f);
    match st.services.add_software_rule(&actor, &i).await {
        Ok(_) => Ok(done("/software/unrecognised", "saved")),
        Err(Error::Invalid(errs)) => unrecognised_page(&st, &ctx, &actor, &i, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_rule(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    st.services.delete_software_rule(&actor, id).await?;
    Ok(done(&super::local_path(&f.get("back")), "deleted"))
}

pub async fn add_standard_rules(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    st.services.add_standard_ignore_rules(&actor).await?;
    Ok(done("/software/unrecognised", "created"))
}

#[derive(Template)]
#[template(path = "software_unknown.html")]
pub struct UnknownPage<'a> {
    pub c: Chrome<'a>,
    /// (name, workstations, link to a new product of that name)
    pub names: Vec<(String, i64, String)>,
    /// (id, name) of the products, for "this is …"
    pub products: Vec<(i64, String)>,
    pub ignore_rules: Vec<RuleRow>,
    pub rule_fields: Vec<Field>,
    pub can_write: bool,
    pub errors: Vec<String>,
}

async fn unrecognised_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    rule: &RuleInput,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let names = st
        .services
        .software_unrecognised(actor, 300)
        .await?
        .into_iter()
        .map(|(n, c)| {
            let href = format!("/software/new?{}", serde_urlencoded::to_string([("name", n.as_str())]).unwrap_or_default());
            (n, c, href)
        })
        .collect();
    let products = st
        .services
        .software(actor)
        .await?
        .into_iter()
        .filter(|p| p.product.active)
        .map(|p| (p.product.id, tr.d(&p.product.name)))
        .collect();
    let ignore_rules =
        st.services.software_rules(actor).await?.iter().filter(|r| r.product_id.is_none()).map(|r| rule_row(&tr, r, None)).collect();
    let page = UnknownPage {
        names,
        products,
        ignore_rules,
        rule_fields: rule_fields(&tr, rule),
        can_write: actor.can(Permission::AssetsWrite),
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        c: Chrome::new(st, ctx, "/software/unrecognised", tr.t("sw-unrecognised")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn unrecognised(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    unrecognised_page(&st, &ctx, &actor, &RuleInput::default(), &[], p.ok.as_deref()).await
}

#[derive(Template)]
#[template(path = "software_compliance.html")]
pub struct CompliancePage<'a> {
    pub c: Chrome<'a>,
    /// (label, number, CSS class)
    pub summary: Vec<(String, i64, &'static str)>,
    /// Products not in order: (link, name, installed, seats, status)
    pub problems: Vec<(String, String, i64, String, Cell)>,
    /// (asset link, asset, product link, product, unit, since, closed)
    pub tasks: Vec<Vec<Cell>>,
    pub units: Vec<Opt>,
    pub all: bool,
    pub can_write: bool,
}

/// `GET /software/compliance`: what has no licence, for the office or a unit (R.29–R.30).
pub async fn compliance(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let unit = p.unit.as_deref().and_then(|u| u.parse::<i64>().ok());
    let all = p.status.as_deref() == Some("all");
    let products = st.services.software(&actor).await?;
    let tasks = st.services.software_tasks(&actor, !all, unit).await?;
    let open = tasks.iter().filter(|t| t.closed_us.is_none()).count() as i64;
    let unknown = st.services.software_unrecognised(&actor, 1000).await?.len() as i64;
    let count = |f: fn(&Status) -> bool| products.iter().filter(|v| f(&v.status)).count() as i64;
    let summary = vec![
        (tr.t("sw-sum-licensed"), count(|s| matches!(s, Status::Licensed)), "ok"),
        (tr.t("sw-sum-over"), count(|s| matches!(s, Status::Over(_))), "warn"),
        (tr.t("sw-sum-unlicensed"), count(|s| matches!(s, Status::Unlicensed)), "error"),
        (tr.t("sw-sum-tasks"), open, if open > 0 { "error" } else { "ok" }),
        (tr.t("sw-sum-unknown"), unknown, if unknown > 0 { "warn" } else { "ok" }),
    ];
    let problems = products
        .iter()
        .filter(|v| matches!(v.status, Status::Over(_) | Status::Unlicensed))
        .map(|v| {
            (
                format!("/software/{}", v.product.id),
                tr.d(&v.product.name),
                v.installed,
                seats_text(&tr, v.seats),
                status_cell(&tr, v.status),
            )
        })
        .collect();
    let tasks = tasks
        .iter()
        .map(|t| {
            vec![
                Cell::link(t.asset.clone(), format!("/assets/{}", t.asset_id)),
                Cell::link(tr.d(&t.product), format!("/software/{}", t.product_id)),
                Cell::text(tr.d(&t.unit)),
                Cell::text(format_local(t.opened_us)),
                Cell::text(t.closed_us.map(|c| format!("{} — {}", format_local(c), tr.d(&t.close_reason))).unwrap_or_default()),
            ]
        })
        .collect();
    let mut units = vec![Opt { value: String::new(), label: tr.t("sw-all-units"), selected: unit.is_none() }];
    for (id, name) in super::org::unit_options(&st, &actor, &tr, false).await? {
        units.push(Opt { value: id.to_string(), label: name, selected: unit == Some(id) });
    }
    let c = Chrome::new(&st, &ctx, "/software/compliance", tr.t("sw-compliance")).flash(p.ok.as_deref());
    Ok(render(&CompliancePage { c, summary, problems, tasks, units, all, can_write: actor.can(Permission::AssetsWrite) }))
}

pub async fn recompute(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    st.services.recompute_software_now(&actor).await?;
    Ok(done("/software/compliance", "saved"))
}
