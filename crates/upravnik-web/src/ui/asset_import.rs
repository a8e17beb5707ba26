//! Importing an equipment register (Увоз евиденције опреме): upload a CSV or XLSX file, check
//! the columns and the preview with every row's errors, then commit all rows or none. The file
//! waits in the database between the steps, so any server instance can serve each of them.

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use upravnik_core::Error;
use upravnik_core::import::read::MAX_BYTES;
use upravnik_core::import::{ImportField, Preview, RowAction, RowError};

use super::FormData;
use super::layout::{Chrome, render};
use super::view::Opt;
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// Rows of errors and of changes shown on the preview page; the counts cover all of them.
const SHOWN: usize = 300;

#[derive(Template)]
#[template(path = "import_upload.html")]
struct UploadPage<'a> {
    c: Chrome<'a>,
    help: String,
    error: Option<String>,
}

pub struct MapRow {
    pub letter: String,
    pub header: String,
    pub sample: String,
    pub name: String,
    pub options: Vec<Opt>,
}

pub struct ErrRow {
    pub row: u32,
    pub column: String,
    pub message: String,
}

pub struct ChangeRow {
    pub row: u32,
    pub inventory: String,
    pub href: Option<String>,
    pub what: String,
}

#[derive(Template)]
#[template(path = "import_preview.html")]
struct PreviewPage<'a> {
    c: Chrome<'a>,
    info: String,
    problems: Vec<String>,
    counts: String,
    map_action: String,
    columns: Vec<MapRow>,
    errors: Vec<ErrRow>,
    errors_more: Option<String>,
    changes: Vec<ChangeRow>,
    changes_more: Option<String>,
    commit_action: Option<String>,
    confirm: String,
    blocked: String,
}

#[derive(Template)]
#[template(path = "import_done.html")]
struct DonePage<'a> {
    c: Chrome<'a>,
    summary: String,
    created: Vec<(String, String)>,
    more: Option<String>,
    worklog_href: String,
}

/// `A`, `B`, … `Z`, `AA`: columns as the spreadsheet names them.
fn letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

fn field_label(tr: &Tr<'_>, field: &str) -> String {
    tr.t(&format!("field-{}", field.replace('_', "-")))
}

fn upload_page(st: &AppState, ctx: &Ctx, status: StatusCode, error: Option<&str>) -> Response {
    let tr = ctx.tr(st);
    let page = UploadPage {
        c: Chrome::new(st, ctx, "/assets/import", tr.t("import-title")),
        help: tr.t("import-help"),
        error: error.map(|e| tr.t(e)),
    };
    (status, render(&page)).into_response()
}

pub async fn form(State(st): State<AppState>, ctx: Ctx) -> Response {
    upload_page(&st, &ctx, StatusCode::OK, None)
}

/// Reads the uploaded file, refusing more than [`MAX_BYTES`] without reading further.
async fn file_of(headers: &HeaderMap, multipart: Result<Multipart, MultipartRejection>) -> Result<(String, Vec<u8>), &'static str> {
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BYTES + 64 * 1024) {
        return Err("err-import-too-large");
    }
    let mut m = multipart.map_err(|_| "err-import-no-file")?;
    let too_large = |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Err("err-import-no-file"),
            Err(e) if too_large(&e) => return Err("err-import-too-large"),
            Err(_) => return Err("err-import-no-file"),
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let mut field = field;
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    if bytes.len() + c.len() > MAX_BYTES {
                        return Err("err-import-too-large");
                    }
                    bytes.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) if too_large(&e) => return Err("err-import-too-large"),
                Err(_) => return Err("err-import-no-file"),
            }
        }
        if bytes.is_empty() {
            return Err("err-import-no-file");
        }
        return Ok((name, bytes));
    }
}

pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let (name, bytes) = match file_of(&headers, multipart).await {
        Ok(f) => f,
        Err(key) => {
            let status = if key == "err-import-too-large" { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY };
            return Ok(upload_page(&st, &ctx, status, Some(key)));
        }
    };
    match st.services.import_upload(&actor, &name, bytes).await {
        Ok(id) => Ok(Redirect::to(&format!("/assets/import/{id}")).into_response()),
        Err(Error::Invalid(errs)) => {
            let key = errs.first().map(|e| e.message).unwrap_or("err-import-unreadable");
            Ok(upload_page(&st, &ctx, StatusCode::UNPROCESSABLE_ENTITY, Some(key)))
        }
        Err(e) => Err(e.into()),
    }
}

fn error_text(tr: &Tr<'_>, e: &RowError) -> String {
    let mut m = tr.t(e.message);
    if !e.value.is_empty() {
        m = format!("„{}“: {m}", tr.d(&e.value));
    }
    if let Some(r) = e.other_row {
        m = format!("{m} {}", tr.t1("import-same-as-row", "row", i64::from(r)));
    }
    m
}

fn counts_text(tr: &Tr<'_>, p: &Preview) -> String {
    tr.ta(
        "import-counts",
        &[
            ("new", p.counts.new.to_string()),
            ("changed", p.counts.changed.to_string()),
            ("unchanged", p.counts.unchanged.to_string()),
            ("invalid", p.counts.invalid.to_string()),
        ],
    )
}

fn more(tr: &Tr<'_>, total: usize) -> Option<String> {
    (total > SHOWN).then(|| tr.t1("import-more", "count", (total - SHOWN) as i64))
}

pub async fn preview(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let (upload, p) = st.services.import_preview(&actor, id).await?;
    // A sample value per column helps to recognise it; taken from the first row with data.
    let first = p.rows.first().map(|r| r.row);
    let sample_row = upravnik_core::import::read::read(&upload.content)
        .ok()
        .and_then(|rows| rows.into_iter().find(|r| Some(r.number) == first))
        .map(|r| r.cells)
        .unwrap_or_default();
    let mut options = vec![Opt { value: String::new(), label: tr.t("import-ignore"), selected: false }];
    options.extend(ImportField::ALL.iter().map(|f| Opt { value: f.as_str().into(), label: field_label(&tr, f.as_str()), selected: false }));
    let columns = p
        .columns
        .iter()
        .map(|c| MapRow {
            letter: letter(c.index),
            header: tr.d(&c.header),
            sample: tr.d(sample_row.get(c.index).map(String::as_str).unwrap_or("")),
            name: format!("col{}", c.index),
            options: options
                .iter()
                .map(|o| Opt {
                    selected: o.value == c.field.map(|f| f.as_str()).unwrap_or(""),
                    value: o.value.clone(),
                    label: o.label.clone(),
                })
                .collect(),
        })
        .collect();
    let errors = p
        .errors
        .iter()
        .take(SHOWN)
        .map(|e| ErrRow {
            row: e.row,
            column: if e.column.is_empty() { field_label(&tr, e.field) } else { tr.d(&e.column) },
            message: error_text(&tr, e),
        })
        .collect();
    let changing: Vec<_> = p.rows.iter().filter(|r| matches!(r.action, RowAction::New | RowAction::Changed)).collect();
    let changes = changing
        .iter()
        .take(SHOWN)
        .map(|r| ChangeRow {
            row: r.row,
            inventory: r.inventory_number.clone(),
            href: r.asset_id.map(|id| format!("/assets/{id}")),
            what: if r.action == RowAction::New {
                tr.t("import-action-new")
            } else {
                r.changes
                    .iter()
                    .map(|c| format!("{}: „{}“ → „{}“", tr.t(&format!("asset-field-{}", c.field)), tr.d(&c.old), tr.d(&c.new)))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        })
        .collect();
    let blocked = if !p.problems.is_empty() || !p.errors.is_empty() { tr.t("import-fix-first") } else { tr.t("import-nothing") };
    let page = PreviewPage {
        info: tr.ta(
            "import-file-info",
            &[("name", upload.filename.clone()), ("row", p.header_row.to_string()), ("sha", upload.sha256.chars().take(12).collect())],
        ),
        problems: p.problems.iter().map(|k| tr.t(k)).collect(),
        counts: counts_text(&tr, &p),
        map_action: format!("/assets/import/{id}"),
        columns,
        errors,
        errors_more: more(&tr, p.errors.len()),
        changes,
        changes_more: more(&tr, changing.len()),
        commit_action: p.can_commit().then(|| format!("/assets/import/{id}/commit")),
        confirm: tr.ta("import-confirm", &[("new", p.counts.new.to_string()), ("changed", p.counts.changed.to_string())]),
        blocked,
        c: Chrome::new(&st, &ctx, "/assets/import", tr.t1("import-preview-title", "name", upload.filename.clone())),
    };
    Ok(render(&page))
}

/// Saves the columns' fields chosen on the preview page (`col0`, `col1`, …).
pub async fn set_mapping(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let mut mapping: Vec<Option<ImportField>> = vec![];
    for (k, v) in &f.0 {
        let Some(i) = k.strip_prefix("col").and_then(|i| i.parse::<usize>().ok()).filter(|i| *i < 1000) else { continue };
        if mapping.len() <= i {
            mapping.resize(i + 1, None);
        }
        mapping[i] = if v.is_empty() { None } else { Some(ImportField::parse(v).ok_or(Error::invalid("mapping", "err-import-mapping"))?) };
    }
    st.services.import_set_mapping(&actor, id, &mapping).await?;
    Ok(Redirect::to(&format!("/assets/import/{id}")).into_response())
}

pub async fn commit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let outcome = match st.services.import_commit(&actor, id).await {
        Ok(o) => o,
        // Someone changed the register since the preview: show the preview again.
        Err(Error::Invalid(_)) => return Ok(Redirect::to(&format!("/assets/import/{id}")).into_response()),
        Err(e) => return Err(e.into()),
    };
    let mut created = vec![];
    for aid in outcome.created.iter().take(SHOWN) {
        if let Ok(a) = st.services.asset(&actor, *aid).await {
            created.push((format!("/assets/{aid}"), format!("{} {} {}", a.fields.inventory_number, a.fields.manufacturer, a.fields.model)));
        }
    }
    let page = DonePage {
        summary: tr.ta(
            "import-done",
            &[
                ("new", outcome.created.len().to_string()),
                ("changed", outcome.updated.len().to_string()),
                ("unchanged", outcome.unchanged.to_string()),
            ],
        ),
        created,
        more: more(&tr, outcome.created.len()),
        worklog_href: format!("/worklog/{}", outcome.worklog_id),
        c: Chrome::new(&st, &ctx, "/assets/import", tr.t("import-done-title")),
    };
    Ok(render(&page))
}
