//! Consumables pages (Потрошни материјал, R.3): the store's list with low stock highlighted, an
//! item's page with its stock and moves, and the forms to receive, issue, take back and adjust.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::access::{Actor, Permission};
use upravnik_core::asset::{AssetKind, AssetQuery};
use upravnik_core::clock::{format_date, format_local};
use upravnik_core::consumable::{
    Consumable, ConsumableCategory, ConsumableInput, ConsumableQuery, ConsumableSort, Move, MoveInput, MoveKind, Quantity,
};
use upravnik_core::{Error, FieldError};

use super::layout::{Chrome, render};
use super::org::{form_page, list_or_export};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt, Related, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn category_name(tr: &Tr<'_>, c: ConsumableCategory) -> String {
    tr.t(&format!("consumable-category-{}", c.as_str()))
}

pub fn move_name(tr: &Tr<'_>, k: MoveKind) -> String {
    tr.t(&format!("move-{}", k.as_str()))
}

fn iso_to_local(d: &str) -> String {
    upravnik_core::clock::parse_date(d).map(format_date).unwrap_or_default()
}

/// A count in Serbian notation, `1.250` (UI.md).
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("−{out}") } else { out }
}

/// A signed quantity as people read it: `+5`, `−2`.
pub fn signed(n: i64) -> String {
    if n < 0 { count(n) } else { format!("+{}", count(n)) }
}

fn stock_cell(c: &Consumable) -> Cell {
    Cell { text: count(c.stock), href: None, class: c.low_stock.then_some("error") }
}

/// The list: search in either script, category and low-stock filters, sort, pages, export.
/// The query reuses the generic `kind` (category) and `status` (`low`) parameters.
pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let category = p.kind.as_deref().and_then(ConsumableCategory::parse);
    let low_only = p.status.as_deref() == Some("low");
    let q = ConsumableQuery {
        office_id: actor.office_id,
        q: Some(p.q.clone()).filter(|s| !s.trim().is_empty()),
        category,
        low_only,
        include_inactive: p.inactive == Some(1),
        sort: ConsumableSort::parse(&p.sort),
        desc: p.desc == Some(1),
        page: p.page.unwrap_or(1).max(1),
        per_page: if p.format.is_some() { 500 } else { 50 },
    };
    let page = st.services.consumables(&actor, &q).await?;
    let rows = page
        .items
        .iter()
        .map(|c| {
            let f = &c.fields;
            vec![
                Cell::link(tr.d(&f.name), format!("/consumables/{}", c.id)),
                Cell::text(category_name(&tr, f.category)),
                Cell::text(tr.d(&f.compatible_with)),
                stock_cell(c),
                Cell::text(count(f.min_stock)),
                Cell::text(tr.d(&f.unit)),
                // Status in words too, not colour alone (UI.md).
                if c.low_stock {
                    Cell { text: tr.t("consumable-low"), href: None, class: Some("error") }
                } else {
                    Cell::status(&tr, f.active)
                },
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-consumable-name"), Some("name")),
        (tr.t("field-kind"), Some("category")),
        (tr.t("field-compatible-with"), None),
        (tr.t("field-stock"), Some("stock")),
        (tr.t("field-min-stock"), None),
        (tr.t("field-unit-of-measure"), None),
        (tr.t("field-status"), None),
    ];
    let mut v = ListView::build(&tr, "/consumables", &p, &page, cols, rows, tr.t("consumables-empty"));
    let mut cats = vec![Opt { value: String::new(), label: tr.t("all"), selected: category.is_none() }];
    cats.extend(ConsumableCategory::ALL.iter().map(|c| Opt {
        value: c.as_str().into(),
        label: category_name(&tr, *c),
        selected: category == Some(*c),
    }));
    v.filters.push(Field::select("kind", tr.t("field-kind"), cats));
    v.filters.push(Field::select(
        "status",
        tr.t("field-stock"),
        vec![
            Opt { value: String::new(), label: tr.t("all"), selected: !low_only },
            Opt { value: "low".into(), label: tr.t("consumables-low-only"), selected: low_only },
        ],
    ));
    if actor.can(Permission::AssetsWrite) {
        v.new_action = Some(("/consumables/new".into(), tr.t("consumables-new")));
    }
    let title = if low_only { tr.t("consumables-low-title") } else { tr.t("nav-consumables") };
    Ok(list_or_export(&st, &ctx, "/consumables", title, &p, v).await)
}

fn fields(tr: &Tr<'_>, c: &ConsumableInput) -> Vec<Field> {
    let category = ConsumableCategory::parse(&c.category);
    let mut cats = vec![Opt { value: String::new(), label: String::new(), selected: category.is_none() }];
    cats.extend(ConsumableCategory::ALL.iter().map(|x| Opt {
        value: x.as_str().into(),
        label: category_name(tr, *x),
        selected: category == Some(*x),
    }));
    vec![
        Field::new("name", "text", tr.t("field-consumable-name"), c.name.clone()).required().autofocus().hint(tr.t("hint-consumable-name")),
        Field::select("category", tr.t("field-kind"), cats).required(),
        Field::new("unit", "text", tr.t("field-unit-of-measure"), c.unit.clone()).hint(tr.t("hint-unit-of-measure")),
        Field::new("compatible_with", "text", tr.t("field-compatible-with"), c.compatible_with.clone()).hint(tr.t("hint-compatible-with")),
        Field::new("min_stock", "text", tr.t("field-min-stock"), c.min_stock.0.clone()).hint(tr.t("hint-min-stock")),
        Field::new("active", "checkbox", tr.t("field-consumable-active"), if c.active { "1" } else { "" }),
        Field::new("note", "textarea", tr.t("field-note"), c.note.clone()),
    ]
}

fn input(f: &FormData) -> ConsumableInput {
    ConsumableInput {
        name: f.get("name"),
        category: f.get("category"),
        unit: f.get("unit"),
        compatible_with: f.get("compatible_with"),
        min_stock: Quantity(f.get("min_stock")),
        active: f.flag("active"),
        note: f.get("note"),
    }
}

fn input_of(c: &Consumable) -> ConsumableInput {
    let f = &c.fields;
    ConsumableInput {
        name: f.name.clone(),
        category: f.category.as_str().into(),
        unit: f.unit.clone(),
        compatible_with: f.compatible_with.clone(),
        min_stock: Quantity(f.min_stock.to_string()),
        active: f.active,
        note: f.note.clone(),
    }
}

/// Validation, a taken name and a shortfall, each next to its field.
fn field_errors(e: Error) -> Result<Vec<FieldError>, Error> {
    match e {
        Error::Invalid(errs) => Ok(errs),
        Error::Conflict { code: "insufficient_stock", .. } => Ok(vec![FieldError::new("quantity", "err-insufficient-stock")]),
        Error::Conflict { code: "consumable_name_taken", .. } => Ok(vec![FieldError::new("name", "err-consumable-name-taken")]),
        other => Err(other),
    }
}

async fn new_page(st: &AppState, ctx: &Ctx, c: &ConsumableInput, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let mut v = FormView::new("/consumables", tr.t("save"), fields(&tr, c)).with_errors(&tr, errs);
    v.cancel_href = Some("/consumables".into());
    Ok(form_page(Chrome::new(st, ctx, "/consumables/new", tr.t("consumables-new")), v))
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(_actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let category = p.kind.clone().unwrap_or_default();
    new_page(&st, &ctx, &ConsumableInput { category, ..Default::default() }, &[]).await
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let c = input(&f);
    match st.services.create_consumable(&actor, &c).await {
        Ok(created) => Ok(done(&format!("/consumables/{}", created.id), "created")),
        Err(e) => new_page(&st, &ctx, &c, &field_errors(e)?).await,
    }
}

async fn edit_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, edited: Option<ConsumableInput>, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let c = st.services.consumable(actor, id).await?;
    let shown = edited.unwrap_or_else(|| input_of(&c));
    let mut v = FormView::new(format!("/consumables/{id}"), tr.t("save"), fields(&tr, &shown)).with_errors(&tr, errs);
    v.cancel_href = Some(format!("/consumables/{id}"));
    Ok(form_page(Chrome::new(st, ctx, &format!("/consumables/{id}"), tr.d(&c.fields.name)), v))
}

pub async fn edit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    edit_page(&st, &ctx, &actor, id, None, &[]).await
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let c = input(&f);
    match st.services.update_consumable(&actor, id, &c).await {
        Ok(_) => Ok(done(&format!("/consumables/{id}"), "saved")),
        Err(e) => edit_page(&st, &ctx, &actor, id, Some(c), &field_errors(e)?).await,
    }
}

#[derive(Template)]
#[template(path = "consumable.html")]
pub struct ItemPage<'a> {
    pub c: Chrome<'a>,
    pub status: (String, &'static str),
    pub stock: String,
    pub low: bool,
    pub facts: Vec<(String, String)>,
    /// (href, label) of the moves and the edit form, for those who may change the store.
    pub actions: Vec<(String, String)>,
    pub related: Vec<Related>,
}

/// A move as a table row: date, what, how many, to or from whom, for what, who booked it. On an
/// employee's page (`with_item`) the item replaces the employee.
pub fn move_row(tr: &Tr<'_>, m: &Move, with_item: bool) -> Vec<Cell> {
    let mut row = vec![Cell::text(iso_to_local(&m.on))];
    if with_item {
        row.push(Cell::link(tr.d(&m.consumable_name), format!("/consumables/{}", m.consumable_id)));
    }
    row.push(Cell::text(move_name(tr, m.kind)));
    row.push(Cell::text(format!("{} {}", signed(m.delta), tr.d(&m.unit))));
    if !with_item {
        row.push(match (m.person_id, &m.person_name) {
            (Some(p), Some(n)) => Cell::link(tr.d(n), format!("/people/{p}")),
            _ => Cell::text(""),
        });
    }
    row.push(match (m.asset_id, &m.asset_label) {
        (Some(a), Some(l)) => Cell::link(tr.d(l), format!("/assets/{a}")),
        _ => Cell::text(""),
    });
    let detail: Vec<&str> = [m.supplier.as_str(), m.reference.as_str(), m.note.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    row.push(Cell::text(tr.d(&detail.join(", "))));
    if !with_item {
        row.push(Cell::text(count(m.stock_after)));
        row.push(Cell::text(format!("{} · {}", tr.d(&m.actor_name), format_local(m.at_us))));
    }
    row
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let c = st.services.consumable(&actor, id).await?;
    let f = &c.fields;
    let facts = vec![
        (tr.t("field-kind"), category_name(&tr, f.category)),
        (tr.t("field-unit-of-measure"), tr.d(&f.unit)),
        (tr.t("field-compatible-with"), tr.d(&f.compatible_with)),
        (tr.t("field-min-stock"), count(f.min_stock)),
        (tr.t("field-note"), tr.d(&f.note)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let mut actions = vec![];
    if actor.can(Permission::AssetsWrite) {
        let kinds: &[MoveKind] = if f.active {
            &[MoveKind::Issue, MoveKind::Receive, MoveKind::Return, MoveKind::Adjust]
        } else {
            &[MoveKind::Return, MoveKind::Adjust]
        };
        for k in kinds {
            actions.push((format!("/consumables/{id}/moves/new?kind={}", k.as_str()), tr.t(&format!("move-action-{}", k.as_str()))));
        }
        actions.push((format!("/consumables/{id}/edit"), tr.t("consumables-edit")));
    }
    let moves = st.services.consumable_moves(&actor, id).await?;
    let mut related = vec![Related {
        title: tr.t("consumable-moves"),
        columns: vec![
            tr.t("field-date"),
            tr.t("field-move"),
            tr.t("field-quantity"),
            tr.t("field-person"),
            tr.t("field-for-asset"),
            tr.t("field-move-detail"),
            tr.t("field-stock-after"),
            tr.t("field-actor"),
        ],
        rows: moves.iter().map(|m| move_row(&tr, m, false)).collect(),
        empty: tr.t("consumable-moves-empty"),
        more: None,
    }];
    if let Some(r) = super::org::history(&st, &actor, &tr, "consumable", id).await? {
        related.push(r);
    }
    let status = if f.active { (tr.t("status-active"), "ok") } else { (tr.t("status-inactive"), "muted") };
    let page = ItemPage {
        c: Chrome::new(&st, &ctx, &format!("/consumables/{id}"), tr.d(&f.name)).flash(p.ok.as_deref()),
        status,
        stock: format!("{} {}", count(c.stock), tr.d(&f.unit)),
        low: c.low_stock,
        facts,
        actions,
        related,
    };
    Ok(render(&page))
}

#[derive(serde::Deserialize)]
pub struct KindParam {
    #[serde(default)]
    kind: String,
}

async fn move_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let c = st.services.consumable(actor, id).await?;
    let Some(kind) = MoveKind::parse(&f.get("kind")) else { return Err(Error::NotFound { what: "move kind" }.into()) };
    let in_stock = tr.ta("hint-in-stock", &[("count", count(c.stock)), ("unit", tr.d(&c.fields.unit))]);
    let mut fields = vec![
        Field::new("kind", "hidden", String::new(), kind.as_str()),
        Field::new("quantity", "text", tr.t("field-quantity"), f.get("quantity"))
            .required()
            .autofocus()
            .hint(if kind == MoveKind::Adjust { format!("{in_stock}; {}", tr.t("hint-adjust-quantity")) } else { in_stock }),
    ];
    if matches!(kind, MoveKind::Issue | MoveKind::Return) {
        let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
        q.per_page = 500;
        let people = st.services.people(actor, &q).await?;
        let mut field = Field::select(
            "person_id",
            tr.t("field-person"),
            options(
                Some(String::new()),
                people.items.iter().map(|p| (p.id, tr.d(&format!("{} {}", p.family_name, p.given_name)))),
                f.id("person_id"),
            ),
        )
        .required();
        if kind == MoveKind::Return {
            field = field.hint(tr.t("hint-return-person"));
        }
        fields.push(field);
    }
    if kind == MoveKind::Issue {
        let kinds: &[AssetKind] = if c.fields.category.is_for_printers() {
            &[AssetKind::Printer, AssetKind::Scanner]
        } else {
            &[AssetKind::Workstation, AssetKind::Laptop]
        };
        let mut assets = vec![];
        for k in kinds {
            let q = AssetQuery { kind: Some(*k), page: 1, per_page: 500, ..Default::default() };
            assets.extend(st.services.assets(actor, &q).await?.items.into_iter().filter(|a| a.status.is_active()));
        }
        let label = |a: &upravnik_core::asset::Asset| {
            let make = tr.d(format!("{} {}", a.fields.manufacturer, a.fields.model).trim());
            let place = tr.d(&a.fields.room);
            format!("{} — {make}{}", a.fields.inventory_number, if place.is_empty() { String::new() } else { format!(", {place}") })
        };
        fields.push(
            Field::select(
                "asset_id",
                tr.t("field-for-asset"),
                options(Some(String::new()), assets.iter().map(|a| (a.id, label(a))), f.id("asset_id")),
            )
            .hint(tr.t("hint-for-asset")),
        );
    }
    if kind == MoveKind::Receive {
        fields.push(Field::new("supplier", "text", tr.t("field-supplier"), f.get("supplier")));
        fields.push(
            Field::new("reference", "text", tr.t("field-receipt-reference"), f.get("reference")).hint(tr.t("hint-receipt-reference")),
        );
    }
    fields.push(Field::new("date", "text", tr.t("field-date"), f.get("date")).hint(tr.t("hint-date-today")));
    let mut note = Field::new("note", "textarea", tr.t("field-note"), f.get("note"));
    if kind == MoveKind::Adjust {
        note = note.required().hint(tr.t("hint-adjust-note"));
    }
    fields.push(note);
    let action = tr.t(&format!("move-action-{}", kind.as_str()));
    let mut v = FormView::new(format!("/consumables/{id}/moves"), action.clone(), fields).with_errors(&tr, errs);
    v.cancel_href = Some(format!("/consumables/{id}"));
    let title = format!("{action}: {}", tr.d(&c.fields.name));
    Ok(form_page(Chrome::new(st, ctx, &format!("/consumables/{id}"), title), v))
}

pub async fn move_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(k): Query<KindParam>,
) -> UiResult {
    move_page(&st, &ctx, &actor, id, &FormData(vec![("kind".into(), k.kind)]), &[]).await
}

/// Books a receipt, issue, return or adjustment; refused issues show the form again with the stock.
pub async fn record_move(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let m = MoveInput {
        kind: f.get("kind"),
        quantity: Quantity(f.get("quantity")),
        date: f.get("date"),
        person_id: f.id("person_id"),
        asset_id: f.id("asset_id"),
        supplier: f.get("supplier"),
        reference: f.get("reference"),
        note: f.get("note"),
    };
    match st.services.record_consumable_move(&actor, id, &m).await {
        Ok(_) => Ok(done(&format!("/consumables/{id}"), "saved")),
        Err(e) => {
            let errs = field_errors(e)?;
            if MoveKind::parse(&m.kind).is_none() {
                return Err(Error::Invalid(errs).into());
            }
            move_page(&st, &ctx, &actor, id, &f, &errs).await
        }
    }
}

/// What an employee was given from the store (their page, R.3).
pub async fn person_section(st: &AppState, actor: &Actor, tr: &Tr<'_>, person_id: i64) -> UiResult<Related> {
    let moves = st.services.person_consumables(actor, person_id).await?;
    Ok(Related {
        title: tr.t("person-consumables"),
        columns: vec![
            tr.t("field-date"),
            tr.t("field-consumable-name"),
            tr.t("field-move"),
            tr.t("field-quantity"),
            tr.t("field-for-asset"),
            tr.t("field-move-detail"),
        ],
        rows: moves.iter().map(|m| move_row(tr, m, true)).collect(),
        empty: tr.t("person-consumables-empty"),
        more: None,
    })
}

/// The home page's list for administrators: active items at or below their minimum.
pub async fn low_stock_rows(st: &AppState, actor: &Actor, tr: &Tr<'_>) -> UiResult<Vec<Vec<Cell>>> {
    let low = st.services.low_stock_consumables(actor, 20).await?;
    Ok(low
        .items
        .iter()
        .map(|c| {
            vec![
                Cell::link(tr.d(&c.fields.name), format!("/consumables/{}", c.id)),
                Cell::text(category_name(tr, c.fields.category)),
                stock_cell(c),
                Cell::text(count(c.fields.min_stock)),
                Cell::text(tr.d(&c.fields.unit)),
            ]
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_serbian_notation() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1250), "1.250");
        assert_eq!(count(10_000_000), "10.000.000");
        assert_eq!(signed(-1500), "−1.500");
        assert_eq!(signed(3), "+3");
    }
}
