//! Components and installed software on an asset's page (R.11, Prilog 1): add, correct, remove.
//! The same handlers serve both kinds; the route says which.

use axum::Form;
use axum::extract::{Path, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::parts::{ComponentInput, ComponentKind, Part, PartFields, PartKind, SoftwareInput, only};

use super::assets::iso_to_local;
use super::layout::Chrome;
use super::org::form_page;
use super::view::{Button, Cell, Field, FormView, Opt, Related};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

fn segment(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Component => "components",
        PartKind::Software => "software",
    }
}

pub fn component_kind_name(tr: &Tr<'_>, k: ComponentKind) -> String {
    tr.t(&format!("component-{}", k.as_str()))
}

fn source_name(tr: &Tr<'_>, p: &Part) -> String {
    tr.t(&format!("part-source-{}", p.source.as_str()))
}

/// Rows of the card's two tables, as text: the page and the PDF show the same.
pub fn rows(tr: &Tr<'_>, parts: &[Part], kind: PartKind) -> Vec<Vec<String>> {
    only(parts, kind)
        .map(|p| match &p.fields {
            PartFields::Component { kind, manufacturer, model, serial, capacity, .. } => vec![
                component_kind_name(tr, *kind),
                tr.d(format!("{manufacturer} {model}").trim()),
                capacity.clone(),
                serial.clone(),
                source_name(tr, p),
            ],
            PartFields::Software { name, version, publisher, installed_on } => {
                vec![tr.d(name), version.clone(), tr.d(publisher), iso_to_local(installed_on), source_name(tr, p)]
            }
        })
        .collect()
}

pub fn headers(tr: &Tr<'_>, kind: PartKind) -> Vec<String> {
    let keys: &[&str] = match kind {
        PartKind::Component => &["field-component-kind", "field-make-model", "field-capacity", "field-serial", "field-source"],
        PartKind::Software => &["field-software-name", "field-version", "field-publisher", "field-installed-on", "field-source"],
    };
    keys.iter().map(|k| tr.t(k)).collect()
}

/// The two sections of an asset's page; each row opens its edit form for administrators.
pub fn related(tr: &Tr<'_>, asset_id: i64, parts: &[Part], editable: bool) -> Vec<Related> {
    [PartKind::Component, PartKind::Software]
        .into_iter()
        .map(|kind| {
            let seg = segment(kind);
            let ids: Vec<i64> = only(parts, kind).map(|p| p.id).collect();
            Related {
                title: tr.t(&format!("parts-{seg}")),
                columns: headers(tr, kind),
                rows: rows(tr, parts, kind)
                    .into_iter()
                    .zip(ids)
                    .map(|(row, id)| {
                        row.into_iter()
                            .enumerate()
                            .map(
                                |(i, t)| {
                                    if i == 0 && editable { Cell::link(t, format!("/assets/{asset_id}/{seg}/{id}")) } else { Cell::text(t) }
                                },
                            )
                            .collect()
                    })
                    .collect(),
                empty: tr.t(&format!("parts-{seg}-empty")),
                more: editable.then(|| (format!("/assets/{asset_id}/{seg}/new"), tr.t(&format!("parts-{seg}-add")))),
            }
        })
        .collect()
}

fn fields(tr: &Tr<'_>, kind: PartKind, f: &FormData) -> Vec<Field> {
    match kind {
        PartKind::Component => {
            let chosen = ComponentKind::parse(&f.get("kind"));
            let mut opts = vec![Opt { value: String::new(), label: String::new(), selected: chosen.is_none() }];
            opts.extend(ComponentKind::ALL.iter().map(|k| Opt {
                value: k.as_str().into(),
                label: component_kind_name(tr, *k),
                selected: chosen == Some(*k),
            }));
            vec![
                Field::select("kind", tr.t("field-component-kind"), opts).required().autofocus(),
                Field::new("manufacturer", "text", tr.t("field-manufacturer"), f.get("manufacturer")),
                Field::new("model", "text", tr.t("field-model"), f.get("model")),
                Field::new("capacity", "text", tr.t("field-capacity"), f.get("capacity")).hint(tr.t("hint-capacity")),
                Field::new("serial", "text", tr.t("field-serial"), f.get("serial")),
                Field::new("note", "textarea", tr.t("field-note"), f.get("note")),
            ]
        }
        PartKind::Software => vec![
            Field::new("name", "text", tr.t("field-software-name"), f.get("name")).required().autofocus(),
            Field::new("version", "text", tr.t("field-version"), f.get("version")),
            Field::new("publisher", "text", tr.t("field-publisher"), f.get("publisher")),
            Field::new("installed_on", "text", tr.t("field-installed-on"), f.get("installed_on")).hint(tr.t("hint-date")),
        ],
    }
}

fn validate(kind: PartKind, f: &FormData) -> upravnik_core::Result<PartFields> {
    match kind {
        PartKind::Component => ComponentInput {
            kind: f.get("kind"),
            manufacturer: f.get("manufacturer"),
            model: f.get("model"),
            serial: f.get("serial"),
            capacity: f.get("capacity"),
            note: f.get("note"),
        }
        .validate(),
        PartKind::Software => SoftwareInput {
            name: f.get("name"),
            version: f.get("version"),
            publisher: f.get("publisher"),
            installed_on: f.get("installed_on"),
        }
        .validate(),
    }
}

/// A stored part as the values of its form.
fn form_of(p: &Part) -> FormData {
    let pairs: Vec<(&str, String)> = match &p.fields {
        PartFields::Component { kind, manufacturer, model, serial, capacity, note } => vec![
            ("kind", kind.as_str().into()),
            ("manufacturer", manufacturer.clone()),
            ("model", model.clone()),
            ("serial", serial.clone()),
            ("capacity", capacity.clone()),
            ("note", note.clone()),
        ],
        PartFields::Software { name, version, publisher, installed_on } => vec![
            ("name", name.clone()),
            ("version", version.clone()),
            ("publisher", publisher.clone()),
            ("installed_on", iso_to_local(installed_on)),
        ],
    };
    FormData(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[allow(clippy::too_many_arguments)]
async fn form(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    kind: PartKind,
    asset_id: i64,
    part_id: Option<i64>,
    f: &FormData,
    errs: &[upravnik_core::FieldError],
) -> UiResult {
    let tr = ctx.tr(st);
    let a = st.services.asset(actor, asset_id).await?;
    let seg = segment(kind);
    let action = match part_id {
        Some(p) => format!("/assets/{asset_id}/{seg}/{p}"),
        None => format!("/assets/{asset_id}/{seg}"),
    };
    let mut v = FormView::new(action, tr.t("save"), fields(&tr, kind, f)).with_errors(&tr, errs);
    v.cancel_href = Some(format!("/assets/{asset_id}"));
    v.editable = actor.can(Permission::AssetsWrite);
    if let Some(p) = part_id {
        v.buttons.push(Button {
            action: format!("/assets/{asset_id}/{seg}/{p}/remove"),
            label: tr.t(&format!("parts-{seg}-remove")),
            class: "danger",
            confirm: Some(tr.t(&format!("confirm-{seg}-remove"))),
        });
    }
    let title = format!("{} — {}", a.fields.inventory_number, tr.t(&format!("parts-{seg}")));
    Ok(form_page(Chrome::new(st, ctx, &format!("/assets/{asset_id}"), title), v))
}

async fn new(st: AppState, ctx: Ctx, actor: Actor, kind: PartKind, asset_id: i64) -> UiResult {
    form(&st, &ctx, &actor, kind, asset_id, None, &FormData::default(), &[]).await
}

async fn create(st: AppState, ctx: Ctx, actor: Actor, kind: PartKind, asset_id: i64, f: FormData) -> UiResult {
    let saved = match validate(kind, &f) {
        Ok(fields) => st.services.add_part(&actor, asset_id, &fields).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(done(&format!("/assets/{asset_id}"), "saved")),
        Err(Error::Invalid(errs)) => form(&st, &ctx, &actor, kind, asset_id, None, &f, &errs).await,
        Err(e) => Err(e.into()),
    }
}

async fn show(st: AppState, ctx: Ctx, actor: Actor, kind: PartKind, asset_id: i64, part_id: i64) -> UiResult {
    let p = st.services.asset_part(&actor, asset_id, kind, part_id).await?;
    form(&st, &ctx, &actor, kind, asset_id, Some(part_id), &form_of(&p), &[]).await
}

async fn update(st: AppState, ctx: Ctx, actor: Actor, kind: PartKind, asset_id: i64, part_id: i64, f: FormData) -> UiResult {
    let saved = match validate(kind, &f) {
        Ok(fields) => st.services.update_part(&actor, asset_id, part_id, &fields).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(done(&format!("/assets/{asset_id}"), "saved")),
        Err(Error::Invalid(errs)) => form(&st, &ctx, &actor, kind, asset_id, Some(part_id), &f, &errs).await,
        Err(e) => Err(e.into()),
    }
}

async fn remove(st: AppState, actor: Actor, kind: PartKind, asset_id: i64, part_id: i64) -> UiResult {
    st.services.remove_part(&actor, asset_id, kind, part_id).await?;
    Ok(done(&format!("/assets/{asset_id}"), "saved"))
}

/// One set of handlers per kind, so the route table stays explicit.
macro_rules! handlers {
    ($kind:expr, $new:ident, $create:ident, $show:ident, $update:ident, $remove:ident) => {
        pub async fn $new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
            new(st, ctx, actor, $kind, id).await
        }
        pub async fn $create(
            State(st): State<AppState>,
            ctx: Ctx,
            Signed(actor): Signed,
            Path(id): Path<i64>,
            Form(f): Form<FormData>,
        ) -> UiResult {
            create(st, ctx, actor, $kind, id, f).await
        }
        pub async fn $show(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path((id, part)): Path<(i64, i64)>) -> UiResult {
            show(st, ctx, actor, $kind, id, part).await
        }
        pub async fn $update(
            State(st): State<AppState>,
            ctx: Ctx,
            Signed(actor): Signed,
            Path((id, part)): Path<(i64, i64)>,
            Form(f): Form<FormData>,
        ) -> UiResult {
            update(st, ctx, actor, $kind, id, part, f).await
        }
        pub async fn $remove(State(st): State<AppState>, Signed(actor): Signed, Path((id, part)): Path<(i64, i64)>) -> UiResult {
            remove(st, actor, $kind, id, part).await
        }
    };
}

handlers!(PartKind::Component, component_new, component_create, component_show, component_update, component_remove);
handlers!(PartKind::Software, software_new, software_create, software_show, software_update, software_remove);
