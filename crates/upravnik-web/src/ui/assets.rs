//! Equipment pages (Опрема, R.3–R.13): registering an asset, its page
//! with the change history (R.11), and moves through the life cycle (R.4).

use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::asset::{AssetInput, AssetKind, AssetStatus, ServerRole, format_label, format_price};
use upravnik_core::clock::{format_date, format_local};
use upravnik_core::parts::PartKind;

use super::layout::Chrome;
use super::org::form_page;
use super::view::{Button, Cell, Field, FormView, ListParams, Opt, Related};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub(super) fn kind_name(tr: &Tr<'_>, k: AssetKind) -> String {
    tr.t(&format!("kind-{}", k.as_str()))
}

pub(super) fn status_name(tr: &Tr<'_>, s: AssetStatus) -> String {
    tr.t(&format!("asset-status-{}", s.as_str()))
}

/// A history value as people read it: statuses by name (with the act, if any), the rest as stored.
fn history_value(tr: &Tr<'_>, field: &str, v: &str) -> String {
    if field != "status" {
        return tr.d(v);
    }
    let (code, rest) = v.split_once(' ').unwrap_or((v, ""));
    match AssetStatus::parse(code) {
        Some(s) => format!("{} {}", status_name(tr, s), tr.d(rest)).trim().to_string(),
        None => tr.d(v),
    }
}

pub(super) fn iso_to_local(d: &Option<String>) -> String {
    d.as_deref().and_then(upravnik_core::clock::parse_date).map(format_date).unwrap_or_default()
}

pub(super) fn choices<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    empty: Option<String>,
) -> Vec<Opt> {
    let mut v: Vec<Opt> = empty.into_iter().map(|l| Opt { value: String::new(), label: l, selected: chosen.is_none() }).collect();
    v.extend(all.iter().map(|x| Opt { value: value(*x).into(), label: label(*x), selected: chosen == Some(*x) }));
    v
}

/// "Next free address: 10.10.1.21 in Корисници (10.10.1.0/24)" for an asset without an address.
async fn ip_hint(st: &AppState, actor: &Actor, tr: &Tr<'_>, a: &AssetInput) -> Option<String> {
    if !a.ip.trim().is_empty() {
        return None;
    }
    let (ip, subnet) = st.services.next_free_address(actor, None).await.ok().flatten()?;
    Some(tr.ta("hint-next-ip", &[("ip", ip), ("subnet", tr.d(&subnet))]))
}

fn fields(tr: &Tr<'_>, a: &AssetInput, next_label: Option<i64>, next_ip: Option<String>) -> Vec<Field> {
    let kind = AssetKind::parse(&a.kind);
    let roles: Vec<Opt> = ServerRole::ALL
        .iter()
        .map(|r| Opt {
            value: r.as_str().into(),
            label: tr.t(&format!("server-role-{}", r.as_str())),
            selected: a.roles.iter().any(|x| x == r.as_str()),
        })
        .collect();
    let mut label = Field::new("label", "text", tr.t("field-label"), a.label.clone());
    if let Some(n) = next_label {
        label = label.hint(tr.t1("hint-next-label", "label", format_label(n)));
    }
    vec![
        Field::select(
            "kind",
            tr.t("field-kind"),
            choices(AssetKind::ALL, kind, AssetKind::as_str, |k| kind_name(tr, k), Some(String::new())),
        )
        .required(),
        Field::new("inventory_number", "text", tr.t("field-inventory-number"), a.inventory_number.clone()).required().autofocus(),
        label,
        Field::new("manufacturer", "text", tr.t("field-manufacturer"), a.manufacturer.clone()),
        Field::new("model", "text", tr.t("field-model"), a.model.clone()),
        Field::new("serial", "text", tr.t("field-serial"), a.serial.clone()),
        Field::new("hostname", "text", tr.t("field-hostname"), a.hostname.clone()),
        Field::new("ip", "text", tr.t("field-ip"), a.ip.clone())
            .hint(next_ip.map(|h| format!("{}. {h}", tr.t("hint-ip"))).unwrap_or_else(|| tr.t("hint-ip"))),
        Field::new("mac", "text", tr.t("field-mac"), a.mac.clone()),
        Field::new("building", "text", tr.t("field-building"), a.building.clone()),
        Field::new("room", "text", tr.t("field-room"), a.room.clone()),
        Field::checks("roles", tr.t("field-server-roles"), roles).hint(tr.t("hint-server-roles")),
        Field::new("in_server_room", "checkbox", tr.t("field-in-server-room"), if a.in_server_room { "1" } else { "" }),
        Field::new("procurement_ref", "text", tr.t("field-procurement-ref"), a.procurement_ref.clone()),
        Field::new("supplier", "text", tr.t("field-supplier"), a.supplier.clone()),
        Field::new("purchase_date", "text", tr.t("field-purchase-date"), a.purchase_date.clone()).hint(tr.t("hint-date")),
        Field::new("price", "text", tr.t("field-price"), a.price.clone()).hint(tr.t("hint-price")),
        Field::new("warranty_end", "text", tr.t("field-warranty-end"), a.warranty_end.clone()).hint(tr.t("hint-date")),
        Field::new("note", "textarea", tr.t("field-note"), a.note.clone()),
    ]
}

fn input(f: &FormData) -> AssetInput {
    AssetInput {
        kind: f.get("kind"),
        inventory_number: f.get("inventory_number"),
        label: f.get("label"),
        manufacturer: f.get("manufacturer"),
        model: f.get("model"),
        serial: f.get("serial"),
        hostname: f.get("hostname"),
        mac: f.get("mac"),
        ip: f.get("ip"),
        building: f.get("building"),
        room: f.get("room"),
        roles: f.all("roles"),
        in_server_room: f.flag("in_server_room"),
        procurement_ref: f.get("procurement_ref"),
        supplier: f.get("supplier"),
        purchase_date: f.get("purchase_date"),
        price: f.get("price"),
        warranty_end: f.get("warranty_end"),
        note: f.get("note"),
    }
}

/// Validation and identifier conflicts, each next to its field.
fn field_errors(e: Error) -> Result<Vec<upravnik_core::FieldError>, Error> {
    match e {
        Error::Invalid(errs) => Ok(errs),
        Error::Conflict { field: Some(field), code } => Ok(vec![upravnik_core::FieldError::new(
            field,
            match code {
                "ip_taken" => "err-ip-taken",
                "label_taken" => "err-label-taken",
                _ => "err-inventory-taken",
            },
        )]),
        other => Err(other),
    }
}

async fn new_page(st: &AppState, ctx: &Ctx, actor: &Actor, a: &AssetInput, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let next = st.services.next_label(actor).await?;
    let hint = ip_hint(st, actor, &tr, a).await;
    let mut v = FormView::new("/assets", tr.t("save"), fields(&tr, a, Some(next), hint)).with_errors(&tr, errs);
    v.cancel_href = Some("/assets".into());
    Ok(form_page(Chrome::new(st, ctx, "/assets/new", tr.t("assets-new")), v))
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let kind = p.kind.clone().unwrap_or_default();
    new_page(&st, &ctx, &actor, &AssetInput { kind, ..Default::default() }, &[]).await
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let a = input(&f);
    match st.services.create_asset(&actor, &a).await {
        Ok(created) => Ok(done(&format!("/assets/{}", created.id), "created")),
        Err(e) => new_page(&st, &ctx, &actor, &a, &field_errors(e)?).await,
    }
}

fn input_of(a: &upravnik_core::asset::Asset) -> AssetInput {
    let f = &a.fields;
    AssetInput {
        kind: f.kind.as_str().into(),
        inventory_number: f.inventory_number.clone(),
        label: f.label.map(format_label).unwrap_or_default(),
        manufacturer: f.manufacturer.clone(),
        model: f.model.clone(),
        serial: f.serial.clone(),
        hostname: f.hostname.clone(),
        mac: f.mac.clone().unwrap_or_default(),
        ip: f.ip.clone().unwrap_or_default(),
        building: f.building.clone(),
        room: f.room.clone(),
        roles: f.roles.iter().map(|r| r.as_str().to_string()).collect(),
        in_server_room: f.in_server_room,
        procurement_ref: f.procurement_ref.clone(),
        supplier: f.supplier.clone(),
        purchase_date: iso_to_local(&f.purchase_date),
        price: f.price_para.map(format_price).unwrap_or_default(),
        warranty_end: iso_to_local(&f.warranty_end),
        note: f.note.clone(),
    }
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    edited: Option<AssetInput>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let a = st.services.asset(actor, id).await?;
    let shown = edited.unwrap_or_else(|| input_of(&a));
    let hint = if actor.can(Permission::AssetsWrite) { ip_hint(st, actor, &tr, &shown).await } else { None };
    let mut v = FormView::new(format!("/assets/{id}"), tr.t("save"), fields(&tr, &shown, None, hint)).with_errors(&tr, errs);
    v.editable = actor.can(Permission::AssetsWrite);
    v.status = Some((status_name(&tr, a.status), if a.status.is_active() { "ok" } else { "muted" }));
    if v.editable {
        for next in AssetStatus::ALL.iter().copied().filter(|n| *n != a.status && a.status.can_move_to(*n)) {
            let final_move = matches!(next, AssetStatus::WrittenOff | AssetStatus::Disposed);
            v.buttons.push(Button {
                action: format!("/assets/{id}/status?to={}", next.as_str()),
                label: tr.t1("asset-move-to", "status", status_name(&tr, next)),
                class: if final_move { "danger" } else { "" },
                confirm: final_move.then(|| tr.t1("confirm-asset-final", "status", status_name(&tr, next))),
            });
        }
    }
    let assignments = st.services.asset_assignments(actor, id).await?;
    v.related.push(Related {
        title: tr.t("assignments"),
        columns: vec![
            tr.t("field-person"),
            tr.t("field-workplace"),
            tr.t("field-assigned-on"),
            tr.t("field-returned-on"),
            tr.t("field-actor"),
        ],
        rows: assignments
            .iter()
            .map(|s| {
                vec![
                    match (s.person_id, &s.person_name) {
                        (Some(p), Some(n)) => Cell::link(tr.d(n), format!("/people/{p}")),
                        _ => Cell::text(""),
                    },
                    Cell::text(tr.d(s.workplace_name.as_deref().unwrap_or(""))),
                    Cell::text(iso_to_local(&Some(s.assigned_on.clone()))),
                    Cell::text(iso_to_local(&s.returned_on)),
                    Cell::text(tr.d(&s.assigned_by)),
                ]
            })
            .collect(),
        empty: tr.t("assignments-empty"),
        more: (v.editable && matches!(a.status, AssetStatus::InStock | AssetStatus::InUse))
            .then(|| (format!("/assets/{id}/assign"), tr.t("assign-action"))),
    });
    if !assignments.is_empty() {
        v.related.push(Related {
            title: tr.t("record-title"),
            columns: vec![],
            rows: vec![],
            empty: tr.t("record-help"),
            more: Some((format!("/assets/{id}/assignment.pdf"), tr.t("record-print"))),
        });
    }
    if v.editable && a.status == AssetStatus::InUse {
        v.buttons.push(Button {
            action: format!("/assets/{id}/return"),
            label: tr.t("return-action"),
            class: "",
            confirm: Some(tr.t("confirm-return")),
        });
    }
    let inventory = st.services.asset_inventory(actor, id).await?;
    v.related.push(super::agents::inventory_box(&tr, id, &inventory));
    if v.editable && a.status == AssetStatus::Discovered {
        v.related.push(Related {
            title: tr.t("agents-discovered-one"),
            columns: vec![],
            rows: vec![],
            empty: tr.t("agents-discovered-help"),
            more: Some((format!("/assets/{id}/merge"), tr.t("merge-action"))),
        });
    }
    let parts = st.services.asset_parts(actor, id).await?;
    v.related.extend(super::parts::related(&tr, id, &parts, v.editable && a.status.is_active()));
    let history = st.services.asset_history(actor, id).await?;
    v.related.push(Related {
        title: tr.t("labels-title"),
        columns: vec![],
        rows: vec![],
        empty: tr.t("labels-help"),
        more: Some((format!("/assets/labels?ids={id}"), tr.t("labels-print-one"))),
    });
    v.related.push(Related {
        title: tr.t("card-title"),
        columns: vec![],
        rows: vec![],
        empty: tr.t("card-help"),
        more: Some((format!("/assets/{id}/card.pdf"), tr.t("card-print"))),
    });
    v.related.push(Related {
        title: tr.t("asset-history"),
        columns: vec![tr.t("field-time"), tr.t("field-actor"), tr.t("field-changed"), tr.t("field-old"), tr.t("field-new")],
        rows: history
            .iter()
            .map(|h| {
                vec![
                    Cell::text(format_local(h.at_us)),
                    Cell::text(tr.d(&h.actor_name)),
                    Cell::text(tr.t(&format!("asset-field-{}", h.field))),
                    Cell::text(history_value(&tr, &h.field, &h.old)),
                    Cell::text(history_value(&tr, &h.field, &h.new)),
                ]
            })
            .collect(),
        empty: tr.t("asset-history-empty"),
        more: None,
    });
    if let Some(r) = super::org::history(st, actor, &tr, "asset", id).await? {
        v.related.push(r);
    }
    let title = format!("{} {}", a.fields.inventory_number, a.fields.label.map(format_label).unwrap_or_default());
    Ok(form_page(Chrome::new(st, ctx, &format!("/assets/{id}"), title.trim().to_string()).flash(ok), v))
}

pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    page(&st, &ctx, &actor, id, None, &[], p.ok.as_deref()).await
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let a = input(&f);
    match st.services.update_asset(&actor, id, &a).await {
        Ok(_) => Ok(done(&format!("/assets/{id}"), "saved")),
        Err(e) => page(&st, &ctx, &actor, id, Some(a), &field_errors(e)?, None).await,
    }
}

#[derive(serde::Deserialize)]
pub struct To {
    to: String,
}

/// A move through the life cycle; a write-off or disposal asks for the act's reference (R.4).
pub async fn status(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(to): Query<To>,
    Form(f): Form<FormData>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let Some(next) = AssetStatus::parse(&to.to) else { return Err(Error::invalid("status", "err-status-move").into()) };
    let needs_act = matches!(next, AssetStatus::WrittenOff | AssetStatus::Disposed);
    if needs_act && !f.flag("submitted") {
        let fields = vec![
            Field::new("reference", "text", tr.t("field-act-reference"), String::new())
                .required()
                .autofocus()
                .hint(tr.t("hint-act-reference")),
            Field::new("submitted", "hidden", String::new(), "1"),
        ];
        let mut v = FormView::new(
            format!("/assets/{id}/status?to={}", next.as_str()),
            tr.t1("asset-move-to", "status", status_name(&tr, next)),
            fields,
        );
        v.cancel_href = Some(format!("/assets/{id}"));
        return Ok(form_page(Chrome::new(&st, &ctx, &format!("/assets/{id}"), status_name(&tr, next)), v));
    }
    match st.services.set_asset_status(&actor, id, next, &f.get("reference")).await {
        Ok(_) => Ok(done(&format!("/assets/{id}"), "saved")),
        Err(e) => page(&st, &ctx, &actor, id, None, &field_errors(e)?, None).await,
    }
}

/// The workstation card (Картон радне станице, Прилог 1, R.11) as a PDF: identity, location,
/// addresses, purchase data and the complete change history.
pub async fn card(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let a = st.services.asset(&actor, id).await?;
    let history = st.services.asset_history(&actor, id).await?;
    let f = &a.fields;
    let person = match a.person_id {
        Some(p) => Some(st.services.person(&actor, p).await?),
        None => None,
    };
    let workplace = match a.workplace_id {
        Some(w) => Some(st.services.workplace(&actor, w).await?),
        None => None,
    };
    let fact = |key: &str, v: String| (tr.t(key), tr.d(&v));
    let items = vec![
        fact("field-label", f.label.map(format_label).unwrap_or_default()),
        fact("field-inventory-number", f.inventory_number.clone()),
        fact("field-person", person.as_ref().map(|p| p.full_name()).unwrap_or_default()),
        fact(
            "field-unit",
            workplace
                .as_ref()
                .map(|w| w.unit_name.clone())
                .or_else(|| person.as_ref().and_then(|p| p.unit_name.clone()))
                .unwrap_or_default(),
        ),
        fact("field-workplace", workplace.as_ref().map(|w| w.name.clone()).unwrap_or_default()),
        fact("field-kind", kind_name(&tr, f.kind)),
        fact("field-make-model", format!("{} {}", f.manufacturer, f.model).trim().to_string()),
        fact("field-serial", f.serial.clone()),
        fact("field-hostname", f.hostname.clone()),
        fact("field-ip", f.ip.clone().unwrap_or_default()),
        fact("field-mac", f.mac.clone().unwrap_or_default()),
        fact("field-room", format!("{} {}", f.building, f.room).trim().to_string()),
        fact("field-status", status_name(&tr, a.status)),
        fact("field-procurement-ref", f.procurement_ref.clone()),
        fact("field-purchase-date", iso_to_local(&f.purchase_date)),
        fact("field-warranty-end", iso_to_local(&f.warranty_end)),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let rows: Vec<Vec<String>> = history
        .iter()
        .map(|h| {
            vec![
                format_local(h.at_us),
                tr.d(&h.actor_name),
                tr.t(&format!("asset-field-{}", h.field)),
                history_value(&tr, &h.field, &h.old),
                history_value(&tr, &h.field, &h.new),
            ]
        })
        .collect();
    let parts = st.services.asset_parts(&actor, id).await?;
    let part_table = |kind: PartKind, key: &str| upravnik_pdf::Section::Table {
        heading: tr.t(key),
        headers: super::parts::headers(&tr, kind),
        widths: vec![1.2, 2.0, 1.0, 1.4, 0.9],
        rows: super::parts::rows(&tr, &parts, kind),
        size: 9.0,
    };
    let today = upravnik_core::clock::format_local_date(st.services.clock.now_us());
    let print = super::print_meta(&st, &ctx, vec![], vec![]).await;
    let form = upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("card-title"),
        number: tr.t("card-number"),
        sections: vec![
            upravnik_pdf::Section::Facts { heading: String::new(), items },
            part_table(PartKind::Component, "parts-components"),
            part_table(PartKind::Software, "parts-software"),
            upravnik_pdf::Section::Table {
                heading: tr.t("asset-history"),
                headers: vec![tr.t("field-time"), tr.t("field-actor"), tr.t("field-changed"), tr.t("field-old"), tr.t("field-new")],
                widths: vec![1.3, 1.6, 1.3, 1.6, 1.6],
                rows,
                size: 9.0,
            },
        ],
        signatures: vec![upravnik_pdf::Signature { role: tr.t("sign-administrator"), name: tr.d(&actor.full_name), date: today }],
        footer: print.footer,
    };
    let stem = format!("karton-{}", f.label.map(|l| format!("st{l:02}")).unwrap_or_else(|| f.inventory_number.clone()));
    Ok(crate::export::pdf(form, &stem).await)
}

async fn assign_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, f: &FormData, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let a = st.services.asset(actor, id).await?;
    let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
    q.per_page = 500;
    let people = st.services.people(actor, &q).await?;
    q.sort = upravnik_core::org::SortKey::Unit;
    let wps = st.services.workplaces(actor, &q).await?;
    let person = f.id("person_id").or(a.person_id);
    let workplace = f.id("workplace_id").or(a.workplace_id);
    let fields = vec![
        Field::select(
            "person_id",
            tr.t("field-person"),
            super::view::options(
                Some(String::new()),
                people.items.iter().map(|p| (p.id, tr.d(&format!("{} {}", p.family_name, p.given_name)))),
                person,
            ),
        ),
        Field::select(
            "workplace_id",
            tr.t("field-workplace"),
            super::view::options(
                Some(String::new()),
                wps.items.iter().map(|w| (w.id, format!("{} — {}", tr.d(&w.unit_name), tr.d(&w.name)))),
                workplace,
            ),
        )
        .hint(tr.t("hint-workplace")),
        Field::new("date", "text", tr.t("field-assigned-on"), f.get("date")).hint(tr.t("hint-date-today")),
        Field::new("confirm_move", "checkbox", tr.t("field-confirm-move"), if f.flag("confirm_move") { "1" } else { "" }),
        Field::new("submitted", "hidden", String::new(), "1"),
    ];
    let mut v = FormView::new(format!("/assets/{id}/assign"), tr.t("assign-action"), fields).with_errors(&tr, errs);
    v.cancel_href = Some(format!("/assets/{id}"));
    let title =
        format!("{}: {} {}", tr.t("assign-action"), a.fields.inventory_number, a.fields.label.map(format_label).unwrap_or_default());
    Ok(form_page(Chrome::new(st, ctx, &format!("/assets/{id}"), title.trim().to_string()), v))
}

pub async fn assign_form(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    assign_page(&st, &ctx, &actor, id, &FormData::default(), &[]).await
}

/// Zaduženje (R.3, R.11).
pub async fn assign(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    match st.services.assign_asset(&actor, id, f.id("person_id"), f.id("workplace_id"), &f.get("date"), f.flag("confirm_move")).await {
        Ok(_) => Ok(done(&format!("/assets/{id}"), "saved")),
        Err(e) => assign_page(&st, &ctx, &actor, id, &f, &field_errors(e)?).await,
    }
}

/// Razduženje: back to stock today.
pub async fn return_asset(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.return_asset(&actor, id, &f.get("date")).await {
        Ok(_) => Ok(done(&format!("/assets/{id}"), "saved")),
        Err(e) => page(&st, &ctx, &actor, id, None, &field_errors(e)?, None).await,
    }
}

/// The assignment record (записник о задужењу, R.3, R.11) of the asset's latest assignment, for
/// signing by the employee and the administrator.
pub async fn assignment_record(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let a = st.services.asset(&actor, id).await?;
    let Some(s) = st.services.asset_assignments(&actor, id).await?.into_iter().next() else {
        return Err(Error::NotFound { what: "assignment" }.into());
    };
    let f = &a.fields;
    let person = match s.person_id {
        Some(p) => Some(st.services.person(&actor, p).await?),
        None => None,
    };
    let fact = |key: &str, v: String| (tr.t(key), v);
    let mut items = vec![
        fact("field-person", s.person_name.as_deref().map(|n| tr.d(n)).unwrap_or_default()),
        fact("field-unit", person.as_ref().and_then(|p| p.unit_name.as_deref()).map(|u| tr.d(u)).unwrap_or_default()),
        fact("field-workplace", s.workplace_name.as_deref().map(|w| tr.d(w)).unwrap_or_default()),
        fact("field-assigned-on", iso_to_local(&Some(s.assigned_on.clone()))),
        fact("field-kind", kind_name(&tr, f.kind)),
        fact("field-inventory-number", f.inventory_number.clone()),
        fact("field-label", f.label.map(format_label).unwrap_or_default()),
        fact("field-make-model", tr.d(format!("{} {}", f.manufacturer, f.model).trim())),
        fact("field-serial", f.serial.clone()),
    ];
    if let Some(r) = &s.returned_on {
        items.push(fact("field-returned-on", iso_to_local(&Some(r.clone()))));
    }
    items.retain(|(_, v)| !v.is_empty());
    let print = super::print_meta(&st, &ctx, vec![], vec![]).await;
    let date = iso_to_local(&Some(s.assigned_on.clone()));
    let form = upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("record-title"),
        number: String::new(),
        sections: vec![
            upravnik_pdf::Section::Facts { heading: String::new(), items },
            upravnik_pdf::Section::Text { heading: String::new(), text: tr.t("record-text") },
        ],
        signatures: vec![
            upravnik_pdf::Signature {
                role: tr.t("sign-employee"),
                name: s.person_name.as_deref().map(|n| tr.d(n)).unwrap_or_default(),
                date: date.clone(),
            },
            upravnik_pdf::Signature { role: tr.t("sign-administrator"), name: tr.d(&s.assigned_by), date },
        ],
        footer: print.footer,
    };
    Ok(crate::export::pdf(form, &format!("zaduzenje-{}", f.inventory_number)).await)
}
