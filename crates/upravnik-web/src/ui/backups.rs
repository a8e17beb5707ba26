//! Archiving (R.20, R.22, R.66, P.5.1): the daily archive's state and every run of the office's
//! backup jobs; the media of copies 2 and 3 with the custody book of the registry office's safe.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::backup::{CustodyInput, MediumInput, OWN_JOB};
use upravnik_core::backup_service::human_size;
use upravnik_core::clock::format_local;

use super::layout::{Chrome, render, render_form};
use super::view::{Cell, Field, ListParams, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;

#[derive(Template)]
#[template(path = "backups.html")]
pub struct BackupsPage<'a> {
    pub c: Chrome<'a>,
    /// (text, CSS class) lines of the state.
    pub state: Vec<(String, &'static str)>,
    pub runs: Vec<Vec<Cell>>,
}

/// `GET /backups`: the daily archive and every run.
pub async fn page(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let status = st.services.backup_status(&actor).await?;
    let mut state = vec![];
    if let Some(due) = status.missed_due_us {
        state.push((tr.t1("backup-missed", "due", format_local(due)), "error"));
    }
    if let Some(f) = &status.last_failed {
        state.push((tr.ta("backup-failed", &[("at", format_local(f.finished_us)), ("detail", f.detail.clone())]), "error"));
    }
    match &status.last_ok {
        Some(r) => state.push((tr.ta("backup-last-ok", &[("at", format_local(r.finished_us)), ("archive", r.archive.clone())]), "ok")),
        None => state.push((tr.t("backup-never"), "warn")),
    }
    if status.scheduled {
        if let Some(next) = status.next_due_us {
            state.push((tr.t1("backup-next", "at", format_local(next)), "muted"));
        }
        match &status.copy2 {
            Some(m) if status.copy2_stale => {
                state.push((tr.ta("backup-copy2-stale", &[("label", m.label.clone()), ("at", format_local(m.written_us))]), "warn"))
            }
            Some(m) => state.push((tr.ta("backup-copy2", &[("label", m.label.clone()), ("at", format_local(m.written_us))]), "ok")),
            None => state.push((tr.t("backup-copy2-none"), "warn")),
        }
    } else {
        state.push((tr.t("backup-not-scheduled"), "muted"));
    }
    let runs = st
        .services
        .backup_runs(&actor, 200)
        .await?
        .into_iter()
        .map(|r| {
            let job = if r.job == OWN_JOB { tr.t("backup-own-job") } else { tr.d(&r.job) };
            let result = if r.ok {
                Cell { text: tr.t("backup-ok"), href: None, class: Some("ok") }
            } else {
                Cell { text: tr.t("backup-failed-short"), href: None, class: Some("error") }
            };
            vec![
                Cell::text(job),
                Cell::text(format_local(r.started_us)),
                Cell::text(format_local(r.finished_us)),
                result,
                Cell::text(r.size_bytes.map(human_size).unwrap_or_default()),
                Cell::text(if r.detail.is_empty() { r.archive.clone() } else { tr.d(&r.detail) }),
                Cell::text(tr.d(&r.recorded_by)),
            ]
        })
        .collect();
    let c = Chrome::new(&st, &ctx, "/backups", tr.t("backup-title")).flash(p.ok.as_deref());
    Ok(render(&BackupsPage { c, state, runs }))
}

#[derive(Template)]
#[template(path = "backup_media.html")]
pub struct MediaPage<'a> {
    pub c: Chrome<'a>,
    /// (id, label, copy, archive, written, in safe, checksum)
    pub media: Vec<(i64, String, i64, String, String, bool, String)>,
    pub book: Vec<Vec<Cell>>,
    pub medium_fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

async fn media_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    m: &MediumInput,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let media = st
        .services
        .backup_media(actor)
        .await?
        .into_iter()
        .map(|m| (m.id, m.label, m.copy_no, m.archive, format_local(m.written_us), m.in_safe, m.sha256))
        .collect();
    let book = st
        .services
        .custody_book(actor)
        .await?
        .into_iter()
        .map(|e| {
            vec![
                Cell::text(format_local(e.at_us)),
                Cell::text(e.medium),
                Cell::text(tr.t(&format!("custody-{}", e.kind.as_str()))),
                Cell::text(tr.d(&e.person)),
                Cell::text(tr.d(&e.reason)),
                Cell::text(tr.d(&e.recorded_by)),
            ]
        })
        .collect();
    let last =
        st.services.backup_runs(actor, 50).await?.into_iter().find(|r| r.ok && r.job == OWN_JOB).map(|r| r.archive).unwrap_or_default();
    let copies = [2_i64, 3]
        .iter()
        .map(|n| Opt { value: n.to_string(), label: tr.t(&format!("backup-copy-{n}")), selected: m.copy_no.unwrap_or(2) == *n })
        .collect();
    let mut medium_fields = vec![
        Field::new("label", "text", tr.t("medium-label"), m.label.clone()).required(),
        Field::select("copy_no", tr.t("medium-copy"), copies),
        Field::new("archive", "text", tr.t("medium-archive"), if m.archive.is_empty() { last } else { m.archive.clone() }).required(),
        Field::new("sha256", "text", tr.t("medium-sha256"), m.sha256.clone()).hint(tr.t("hint-medium-sha256")),
        Field::new("note", "text", tr.t("field-note"), m.note.clone()),
    ];
    for e in errs {
        if let Some(f) = medium_fields.iter_mut().find(|f| f.name == e.field) {
            f.error = Some(tr.t(e.message));
        }
    }
    let page = MediaPage {
        media,
        book,
        medium_fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(st, ctx, "/backups/media", tr.t("medium-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn media(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    media_page(&st, &ctx, &actor, &MediumInput::default(), &[], p.ok.as_deref()).await
}

pub async fn add_medium(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let m = MediumInput {
        label: f.get("label"),
        copy_no: f.get("copy_no").trim().parse().ok(),
        archive: f.get("archive"),
        sha256: f.get("sha256"),
        note: f.get("note"),
    };
    match st.services.add_backup_medium(&actor, &m).await {
        Ok(_) => Ok(done("/backups/media", "created")),
        Err(Error::Invalid(errs)) => media_page(&st, &ctx, &actor, &m, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn custody(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = CustodyInput { kind: f.get("kind"), at: f.get("at"), person: f.get("person"), reason: f.get("reason") };
    match st.services.record_custody(&actor, id, &i).await {
        Ok(_) => Ok(done("/backups/media", "saved")),
        Err(Error::Invalid(errs)) => media_page(&st, &ctx, &actor, &MediumInput::default(), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}
