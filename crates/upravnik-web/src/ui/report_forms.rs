//! The forms of a fault's life (R.52–R.53) as pages and PDFs: the work order (Prilog 5), the
//! hand-over record (Prilog 6) and the service sheet with its scan (R.52.5). The report's page
//! links here; the buttons appear only where the report's state allows.

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use upravnik_core::access::Actor;
use upravnik_core::clock::parse_date;
use upravnik_core::helpdesk::Report;
use upravnik_core::parts::{ComponentKind, PartKind};
use upravnik_core::report_forms::{
    Handover, HandoverInput, ItemInput, SCAN_MAX, Scan, ServiceSheetInput, WorkKind, WorkOrder, WorkOrderInput, format_dinars,
};
use upravnik_core::{Error, FieldError};

use super::FormData;
use super::layout::{Chrome, render};
use super::view::{Field, FormView, Opt};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// The work order form's fixed lines of parts and material.
const ITEM_FIELDS: [[&str; 5]; 5] = [
    ["item1_name", "item1_quantity", "item1_cost", "item1_component", "item1_replaces"],
    ["item2_name", "item2_quantity", "item2_cost", "item2_component", "item2_replaces"],
    ["item3_name", "item3_quantity", "item3_cost", "item3_component", "item3_replaces"],
    ["item4_name", "item4_quantity", "item4_cost", "item4_component", "item4_replaces"],
    ["item5_name", "item5_quantity", "item5_cost", "item5_component", "item5_replaces"],
];

pub fn kind_name(tr: &Tr<'_>, k: WorkKind) -> String {
    tr.t(&format!("work-kind-{}", k.as_str()))
}

fn local_date(iso: &str) -> String {
    parse_date(iso).map(upravnik_core::clock::format_date).unwrap_or_else(|| iso.to_string())
}

#[derive(Template)]
#[template(path = "report_doc_form.html")]
pub struct DocForm<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub report: String,
    pub v: FormView,
    pub multipart: bool,
}

fn doc_page(c: Chrome<'_>, r: &Report, tr: &Tr<'_>, v: FormView, multipart: bool) -> Response {
    let status = if v.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let report = format!("{} · {}", tr.d(&r.number), tr.d(&r.title));
    (status, render(&DocForm { c, id: r.id, report, v, multipart })).into_response()
}

fn opts(all: impl IntoIterator<Item = (String, String)>, chosen: &str, empty: Option<String>) -> Vec<Opt> {
    let mut v: Vec<Opt> = empty.into_iter().map(|l| Opt { value: String::new(), label: l, selected: chosen.is_empty() }).collect();
    v.extend(all.into_iter().map(|(value, label)| Opt { selected: value == chosen, value, label }));
    v
}

// ---------- work orders (Prilog 5) ----------

fn work_order_input(f: &FormData) -> WorkOrderInput {
    WorkOrderInput {
        date: f.get("date"),
        workplace: f.get("workplace"),
        fault: f.get("fault"),
        work: f.get("work"),
        kind: f.get("kind"),
        items: ITEM_FIELDS
            .iter()
            .map(|[n, q, c, k, x]| ItemInput {
                name: f.get(n),
                quantity: f.get(q).as_str().into(),
                cost: f.get(c).as_str().into(),
                component: f.get(k),
                replaces: f.get(x).as_str().into(),
            })
            .collect(),
        changes_book_value: f.flag("changes_book_value"),
        needs_money: f.flag("needs_money"),
        update_card: f.flag("update_card"),
    }
}

async fn work_order_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let r = st.services.report(actor, id).await?;
    let fresh = f.0.is_empty();
    let kind = if fresh { "part_replaced".to_string() } else { f.get("kind") };
    let mut fields = vec![
        Field::new("date", "text", tr.t("field-date"), f.get("date")).hint(tr.t("hint-date-today")),
        Field::select(
            "kind",
            tr.t("field-work-kind"),
            opts(WorkKind::ALL.iter().map(|k| (k.as_str().to_string(), kind_name(&tr, *k))), &kind, None),
        )
        .required(),
        Field::new("workplace", "text", tr.t("field-workplace"), f.get("workplace")),
        Field::new("fault", "textarea", tr.t("field-fault"), if fresh { r.description.clone() } else { f.get("fault") }),
        Field::new("work", "textarea", tr.t("field-work"), f.get("work")).required(),
    ];
    let components = || ComponentKind::ALL.iter().map(|k| (k.as_str().to_string(), tr.t(&format!("component-{}", k.as_str()))));
    // The card's components a line can replace (R.11: the old one is marked removed).
    let installed: Vec<(String, String)> = match r.asset_id {
        Some(a) => st
            .services
            .asset_parts(actor, a)
            .await
            .unwrap_or_default()
            .iter()
            .filter(|p| p.removed_us.is_none() && p.fields.kind() == PartKind::Component)
            .map(|p| (p.id.to_string(), tr.d(&p.fields.describe())))
            .collect(),
        None => vec![],
    };
    for (i, [n, q, c, k, x]) in ITEM_FIELDS.iter().enumerate() {
        let label = |key: &str| format!("{} {} — {}", tr.t("field-item"), i + 1, tr.t(key));
        fields.push(Field::new(n, "text", label("field-item-name"), f.get(n)));
        fields.push(Field::new(q, "text", label("field-quantity"), f.get(q)));
        fields.push(Field::new(c, "text", label("field-cost"), f.get(c)));
        fields.push(Field::select(k, label("field-item-component"), opts(components(), &f.get(k), Some(tr.t("item-not-component")))));
        if !installed.is_empty() {
            fields.push(
                Field::select(x, label("field-item-replaces"), opts(installed.clone(), &f.get(x), Some(tr.t("item-replaces-none"))))
                    .hint(tr.t("hint-item-replaces")),
            );
        }
    }
    let checked = |name: &str, default: bool| if (fresh && default) || f.flag(name) { "1" } else { "" };
    fields.push(Field::new("changes_book_value", "checkbox", tr.t("field-changes-book-value"), checked("changes_book_value", false)));
    fields.push(Field::new("needs_money", "checkbox", tr.t("field-needs-money"), checked("needs_money", false)));
    if r.asset_id.is_some() {
        fields.push(Field::new("update_card", "checkbox", tr.t("field-update-card"), checked("update_card", true)));
    }
    let v = FormView::new(format!("/reports/{id}/work-orders"), tr.t("work-order-save"), fields).with_errors(&tr, errs);
    let c = Chrome::new(st, ctx, &format!("/reports/{id}/work-orders/new"), tr.t("work-order-new"));
    Ok(doc_page(c, &r, &tr, v, false))
}

pub async fn new_work_order(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    work_order_page(&st, &ctx, &actor, id, &FormData::default(), &[]).await
}

pub async fn create_work_order(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.create_work_order(&actor, id, &work_order_input(&f)).await {
        Ok(_) => Ok(super::done(&format!("/reports/{id}"), "saved")),
        Err(Error::Invalid(errs)) => work_order_page(&st, &ctx, &actor, id, &f, &errs).await,
        Err(e) => Err(e.into()),
    }
}

/// The work order for signature by the user and the administrator (Prilog 5).
pub async fn work_order_form(st: &AppState, ctx: &Ctx, w: &WorkOrder) -> upravnik_pdf::Form {
    let tr = ctx.tr(st);
    let yes_no = |b: bool| tr.t(if b { "yes" } else { "no" });
    let fact = |key: &str, v: String| (tr.t(key), v);
    let items = vec![
        fact("field-number", w.number.clone()),
        fact("field-date", local_date(&w.date)),
        fact("field-unit", tr.d(&w.unit_name)),
        fact("field-workplace", tr.d(&w.workplace)),
        fact("field-user", tr.d(&w.person_name)),
        fact("field-inventory-number", w.inventory_number.clone()),
        fact("field-device", tr.d(&w.device)),
        fact("field-work-kind", kind_name(&tr, w.kind)),
        fact("field-changes-book-value", yes_no(w.changes_book_value)),
        fact("field-needs-money", yes_no(w.needs_money)),
    ];
    let rows: Vec<Vec<String>> = w
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            vec![
                (n + 1).to_string(),
                tr.d(&i.name),
                i.component.map(|k| tr.t(&format!("component-{}", k.as_str()))).unwrap_or_default(),
                i.quantity.to_string(),
                format_dinars(i.cost),
                format_dinars(i.cost.saturating_mul(i.quantity)),
            ]
        })
        .collect();
    let mut sections = vec![
        upravnik_pdf::Section::Facts { heading: String::new(), items },
        upravnik_pdf::Section::Text { heading: tr.t("field-fault"), text: tr.d(&w.fault) },
        upravnik_pdf::Section::Text { heading: tr.t("field-work"), text: tr.d(&w.work) },
    ];
    if !rows.is_empty() {
        sections.push(upravnik_pdf::Section::Table {
            heading: format!(
                "{} ({}: {} {})",
                tr.t("field-items"),
                tr.t("field-items-total"),
                format_dinars(w.total_cost()),
                tr.t("dinars")
            ),
            headers: vec![
                "#".into(),
                tr.t("field-item-name"),
                tr.t("field-item-component"),
                tr.t("field-quantity"),
                tr.t("field-cost"),
                tr.t("field-items-total"),
            ],
            widths: vec![0.4, 2.4, 1.2, 0.8, 1.1, 1.1],
            rows,
            size: 10.0,
        });
    }
    let print = super::print_meta(st, ctx, vec![], vec![]).await;
    let date = local_date(&w.date);
    upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("work-order-title"),
        number: tr.t("work-order-annex"),
        sections,
        signatures: vec![
            upravnik_pdf::Signature { role: tr.t("sign-user"), name: tr.d(&w.person_name), date: date.clone() },
            upravnik_pdf::Signature { role: tr.t("sign-administrator"), name: tr.d(&w.administrator), date },
        ],
        footer: print.footer,
    }
}

pub fn file_stem(number: &str) -> String {
    upravnik_core::text::search_key(number).replace(|c: char| !c.is_ascii_alphanumeric(), "-")
}

pub async fn work_order_pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path((id, wid)): Path<(i64, i64)>) -> UiResult {
    let w = st.services.work_order(&actor, id, wid).await?;
    let form = work_order_form(&st, &ctx, &w).await;
    Ok(crate::export::pdf(form, &file_stem(&w.number)).await)
}

/// "Work done": a replaced part or an upgrade recorded on the report asks for a work order.
pub async fn record_work(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let r = st.services.record_report_work(&actor, id, &f.get("kind"), &f.get("note")).await;
    super::reports::after_change(&st, &ctx, &actor, id, r).await
}

// ---------- hand-over records (Prilog 6) ----------

fn handover_input(f: &FormData) -> HandoverInput {
    HandoverInput {
        date: f.get("date"),
        service_name: f.get("service_name"),
        service_address: f.get("service_address"),
        service_contact: f.get("service_contact"),
        accessories: f.get("accessories"),
        fault: f.get("fault"),
        handed_by: f.get("handed_by"),
        received_by: f.get("received_by"),
    }
}

async fn handover_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let r = st.services.report(actor, id).await?;
    let fresh = f.0.is_empty();
    let fields = vec![
        Field::new("date", "text", tr.t("field-date"), f.get("date")).hint(tr.t("hint-date-today")),
        Field::new("service_name", "text", tr.t("field-service-name"), f.get("service_name")).required(),
        Field::new("service_address", "text", tr.t("field-service-address"), f.get("service_address")),
        Field::new("service_contact", "text", tr.t("field-service-contact"), f.get("service_contact")),
        Field::new("accessories", "text", tr.t("field-accessories"), f.get("accessories")),
        Field::new("fault", "textarea", tr.t("field-fault"), if fresh { r.description.clone() } else { f.get("fault") }),
        Field::new("handed_by", "text", tr.t("field-handed-by"), if fresh { actor.full_name.clone() } else { f.get("handed_by") }),
        Field::new("received_by", "text", tr.t("field-received-by"), f.get("received_by")),
    ];
    let v = FormView::new(format!("/reports/{id}/handovers"), tr.t("handover-save"), fields).with_errors(&tr, errs);
    let c = Chrome::new(st, ctx, &format!("/reports/{id}/handovers/new"), tr.t("handover-new"));
    Ok(doc_page(c, &r, &tr, v, false))
}

pub async fn new_handover(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    handover_page(&st, &ctx, &actor, id, &FormData::default(), &[]).await
}

pub async fn create_handover(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.create_handover(&actor, id, &handover_input(&f)).await {
        Ok(_) => Ok(super::done(&format!("/reports/{id}"), "saved")),
        Err(Error::Invalid(errs)) if errs.iter().all(|e| e.field != "to" && e.field != "state") => {
            handover_page(&st, &ctx, &actor, id, &f, &errs).await
        }
        Err(e) => super::reports::after_change(&st, &ctx, &actor, id, Err(e)).await,
    }
}

pub async fn handover_form(st: &AppState, ctx: &Ctx, h: &Handover) -> upravnik_pdf::Form {
    let tr = ctx.tr(st);
    let fact = |key: &str, v: String| (tr.t(key), v);
    let service = vec![
        fact("field-service-name", tr.d(&h.service_name)),
        fact("field-service-address", tr.d(&h.service_address)),
        fact("field-service-contact", tr.d(&h.service_contact)),
    ];
    let device = vec![
        fact("field-number", h.number.clone()),
        fact("field-date", local_date(&h.date)),
        fact("field-device", tr.d(&h.device)),
        fact("field-serial", h.serial.clone()),
        fact("field-inventory-number", h.inventory_number.clone()),
        fact("field-accessories", tr.d(&h.accessories)),
    ];
    let print = super::print_meta(st, ctx, vec![], vec![]).await;
    let date = local_date(&h.date);
    upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("handover-title"),
        number: tr.t("handover-annex"),
        sections: vec![
            upravnik_pdf::Section::Facts { heading: String::new(), items: device },
            upravnik_pdf::Section::Facts { heading: tr.t("handover-service"), items: service },
            upravnik_pdf::Section::Text { heading: tr.t("field-fault"), text: tr.d(&h.fault) },
        ],
        signatures: vec![
            upravnik_pdf::Signature { role: tr.t("sign-handed-by"), name: tr.d(&h.handed_by), date: date.clone() },
            upravnik_pdf::Signature { role: tr.t("sign-received-by"), name: tr.d(&h.received_by), date },
        ],
        footer: print.footer,
    }
}

pub async fn handover_pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path((id, hid)): Path<(i64, i64)>) -> UiResult {
    let h = st.services.handover(&actor, id, hid).await?;
    let form = handover_form(&st, &ctx, &h).await;
    Ok(crate::export::pdf(form, &file_stem(&h.number)).await)
}

// ---------- service sheets (R.52.5) ----------

pub fn sheet_input(f: &FormData) -> ServiceSheetInput {
    ServiceSheetInput {
        date: f.get("date"),
        fault_found: f.get("fault_found"),
        repair_done: f.get("repair_done"),
        warranty_months: f.get("warranty_months").as_str().into(),
        servicer: f.get("servicer"),
        to: f.get("to"),
    }
}

async fn sheet_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let r = st.services.report(actor, id).await?;
    let to = f.get("to");
    let fields = vec![
        Field::new("date", "text", tr.t("field-date"), f.get("date")).hint(tr.t("hint-date-today")),
        Field::new("servicer", "text", tr.t("field-servicer"), f.get("servicer")).required(),
        Field::new("fault_found", "textarea", tr.t("field-fault-found"), f.get("fault_found")).required(),
        Field::new("repair_done", "textarea", tr.t("field-repair-done"), f.get("repair_done")).required(),
        Field::new("warranty_months", "text", tr.t("field-warranty-months"), f.get("warranty_months")),
        Field::select(
            "to",
            tr.t("field-sheet-to"),
            opts(
                [("in_ict_office".to_string(), tr.t("report-move-in_ict_office")), ("resolved".to_string(), tr.t("report-move-resolved"))],
                if to.is_empty() { "in_ict_office" } else { &to },
                None,
            ),
        ),
    ];
    let v = FormView::new(format!("/reports/{id}/service-sheets"), tr.t("sheet-save"), fields).with_errors(&tr, errs);
    let c = Chrome::new(st, ctx, &format!("/reports/{id}/service-sheets/new"), tr.t("sheet-new"));
    Ok(doc_page(c, &r, &tr, v, true))
}

pub async fn new_sheet(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    sheet_page(&st, &ctx, &actor, id, &FormData::default(), &[]).await
}

/// The text fields and the scan of a multipart form; the scan is refused past [`SCAN_MAX`]
/// without reading further.
pub async fn sheet_parts(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(FormData, Option<(String, Vec<u8>)>), &'static str> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > SCAN_MAX + 64 * 1024) {
        return Err("err-scan-too-large");
    }
    let mut m = multipart.map_err(|_| "err-scan-upload")?;
    let too_large = |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    let mut form = FormData::default();
    let mut scan = None;
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if too_large(&e) => return Err("err-scan-too-large"),
            Err(_) => return Err("err-scan-upload"),
        };
        let name = field.name().unwrap_or("").to_string();
        let file = field.file_name().map(str::to_string);
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if bytes.len() + c.len() > SCAN_MAX {
                        return Err("err-scan-too-large");
                    }
                    bytes.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if too_large(&e) => return Err("err-scan-too-large"),
                Err(_) => return Err("err-scan-upload"),
            }
        }
        match (name.as_str(), file) {
            ("scan", Some(file)) if !bytes.is_empty() => scan = Some((file, bytes)),
            ("scan", _) => {}
            _ => form.0.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    Ok((form, scan))
}

pub async fn create_sheet(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let (f, scan) = match sheet_parts(&headers, multipart).await {
        Ok(x) => x,
        Err(msg) => return sheet_page(&st, &ctx, &actor, id, &FormData::default(), &[FieldError::new("scan", msg)]).await,
    };
    let scan = match scan.map(|(name, bytes)| Scan::new(&name, bytes)).transpose() {
        Ok(s) => s,
        Err(Error::Invalid(errs)) => return sheet_page(&st, &ctx, &actor, id, &f, &errs).await,
        Err(e) => return Err(e.into()),
    };
    match st.services.create_service_sheet(&actor, id, &sheet_input(&f), scan).await {
        Ok(_) => Ok(super::done(&format!("/reports/{id}"), "saved")),
        Err(Error::Invalid(errs)) if errs.iter().all(|e| e.field != "to" && e.field != "state") => {
            sheet_page(&st, &ctx, &actor, id, &f, &errs).await
        }
        Err(e) => super::reports::after_change(&st, &ctx, &actor, id, Err(e)).await,
    }
}

/// The stored scan, shown inline (its type was judged by its bytes when it was kept).
pub async fn sheet_scan(State(st): State<AppState>, Signed(actor): Signed, Path((id, sid)): Path<(i64, i64)>) -> UiResult {
    Ok(scan_response(st.services.service_sheet_scan(&actor, id, sid).await?))
}

pub fn scan_response((name, content_type, bytes): (String, String, Vec<u8>)) -> Response {
    let name: String = name.chars().filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\').collect();
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response()
}
