//! Security compliance (R.54–R.58, ZIB 91/2025): the measures register with evidence files and
//! Upravnik's live evidence; the incidents register with every legal deadline and the reports sent.

use askama::Template;
use axum::Form;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::format_local;
use upravnik_core::incident::{CRITERIA, DangerLevel, IncidentInput, SentInput};
use upravnik_core::measures::{AssessmentInput, Law, MeasureStatus};
use upravnik_core::security_service::EVIDENCE_MAX;

use super::layout::{Chrome, render_form};
use super::org::{form_page, list_or_export};
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

fn law_of(s: Option<&str>) -> Law {
    s.and_then(Law::parse).unwrap_or(Law::Zib2025)
}

fn status_cell(tr: &Tr<'_>, s: MeasureStatus) -> Cell {
    let class = match s {
        MeasureStatus::Implemented => "ok",
        MeasureStatus::Partial => "warn",
        MeasureStatus::Planned => "error",
        MeasureStatus::NotApplicable => "muted",
    };
    Cell { text: tr.t(&format!("measure-status-{}", s.as_str())), href: None, class: Some(class) }
}

/// The measure's words in the interface's language: the law's Serbian text (kept in Latin as
/// published, read in Cyrillic in the Cyrillic interface, R.38), or the English title.
pub(super) fn measure_text(tr: &Tr<'_>, m: &upravnik_core::measures::Measure) -> String {
    match tr.lang {
        crate::i18n::Lang::En if !m.title_en.is_empty() => m.title_en.clone(),
        crate::i18n::Lang::SrCyrl => upravnik_core::text::lat_to_cyr(&m.text_sr),
        _ => tr.d(&m.text_sr),
    }
}

/// `GET /security`: the measures register of a set (`kind=zib2016|zib2025`).
pub async fn measures(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let law = law_of(p.kind.as_deref());
    let mut list = st.services.security_measures(&actor, law).await?;
    let q = upravnik_core::text::search_key(&p.q);
    if !q.is_empty() {
        list.retain(|v| {
            upravnik_core::text::search_key(&format!("{} {} {}", v.measure.text_sr, v.measure.title_en, v.assessment.responsible))
                .contains(&q)
        });
    }
    if let Some(s) = p.status.as_deref().and_then(MeasureStatus::parse) {
        list.retain(|v| v.assessment.status == s);
    }
    let other = match law {
        Law::Zib2016 => "2025",
        Law::Zib2025 => "2016",
    };
    let rows: Vec<Vec<Cell>> = list
        .iter()
        .map(|v| {
            vec![
                Cell::link(v.measure.no.to_string(), format!("/security/measures/{}/{}", law.as_str(), v.measure.no)),
                Cell::link(measure_text(&tr, &v.measure), format!("/security/measures/{}/{}", law.as_str(), v.measure.no)),
                Cell::text(match (v.measure.other_no, v.measure.new_in_2025) {
                    (Some(n), _) => format!("{other}: {n}"),
                    (None, true) => tr.t("measure-new-2025"),
                    (None, false) => String::new(),
                }),
                status_cell(&tr, v.assessment.status),
                Cell::text(tr.d(&v.assessment.responsible)),
                Cell::text(
                    v.assessment
                        .checked_on
                        .as_deref()
                        .and_then(upravnik_core::clock::parse_date)
                        .map(upravnik_core::clock::format_date)
                        .unwrap_or_default(),
                ),
                Cell::text(format!(
                    "{}{}",
                    v.files.len(),
                    if v.live.is_empty() { String::new() } else { format!(" + {}", tr.t("measure-live-short")) }
                )),
            ]
        })
        .collect();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("measure-measure"), None),
        (tr.t("measure-other-law"), None),
        (tr.t("field-status"), None),
        (tr.t("measure-responsible"), None),
        (tr.t("measure-checked"), None),
        (tr.t("measure-evidence"), None),
    ];
    let (page, rows) = super::internet::page_of(rows, &p);
    let mut v = ListView::build(&tr, "/security", &p, &page, cols, rows, tr.t("measure-none"));
    let laws = Law::ALL
        .iter()
        .map(|l| Opt { value: l.as_str().into(), label: tr.t(&format!("law-{}", l.as_str())), selected: *l == law })
        .collect();
    v.filters.push(Field::select("kind", tr.t("measure-law"), laws));
    let status = p.status.clone().unwrap_or_default();
    let mut opts = vec![Opt { value: String::new(), label: tr.t("net-filter-all"), selected: status.is_empty() }];
    opts.extend(MeasureStatus::ALL.iter().map(|s| Opt {
        value: s.as_str().into(),
        label: tr.t(&format!("measure-status-{}", s.as_str())),
        selected: status == s.as_str(),
    }));
    v.filters.push(Field::select("status", tr.t("field-status"), opts));
    v.more_actions.push(("/security/incidents".into(), tr.t("incident-title")));
    Ok(list_or_export(&st, &ctx, "/security", tr.t("measure-title"), &p, v).await)
}

#[derive(Template)]
#[template(path = "security_measure.html")]
pub struct MeasurePage<'a> {
    pub c: Chrome<'a>,
    pub base: String,
    pub facts: Vec<(String, String)>,
    pub live: Vec<String>,
    pub fields: Vec<Field>,
    /// (id, name, size, sha256, uploaded)
    pub files: Vec<(i64, String, String, String, String)>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

#[allow(clippy::too_many_arguments)]
async fn measure_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    law: Law,
    no: i64,
    edit: Option<&AssessmentInput>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let v = st.services.security_measure(actor, law, no).await?;
    let a = &v.assessment;
    let mut facts =
        vec![(tr.t("measure-reference"), v.measure.reference.clone()), (tr.t("measure-measure"), measure_text(&tr, &v.measure))];
    if !v.measure.title_en.is_empty() {
        facts.push(("English".into(), v.measure.title_en.clone()));
    }
    if let Some(n) = v.measure.other_no {
        let other = match law {
            Law::Zib2016 => Law::Zib2025,
            Law::Zib2025 => Law::Zib2016,
        };
        facts.push((tr.t(&format!("law-{}", other.as_str())), n.to_string()));
    }
    if !v.measure.iso27001.is_empty() {
        facts.push(("ISO/IEC 27001:2022".into(), v.measure.iso27001.clone()));
    }
    let mut live = vec![];
    for e in &v.live {
        live.push(format!("{}: {}", tr.t(&format!("evidence-{}", e.as_str())), st.services.live_evidence(actor, *e).await?));
    }
    let current = AssessmentInput {
        applicable: a.applicable,
        justification: a.justification.clone(),
        implementation: a.implementation.clone(),
        responsible: a.responsible.clone(),
        documents: a.documents.clone(),
        status: a.status.as_str().into(),
        checked_on: a
            .checked_on
            .as_deref()
            .and_then(upravnik_core::clock::parse_date)
            .map(upravnik_core::clock::format_date)
            .unwrap_or_default(),
    };
    let i = edit.unwrap_or(&current);
    let statuses = MeasureStatus::ALL
        .iter()
        .filter(|s| **s != MeasureStatus::NotApplicable)
        .map(|s| Opt { value: s.as_str().into(), label: tr.t(&format!("measure-status-{}", s.as_str())), selected: i.status == s.as_str() })
        .collect();
    let mut fields = vec![
        Field::new("applicable", "checkbox", tr.t("measure-applicable"), if i.applicable { "1" } else { "" }),
        Field::new("justification", "textarea", tr.t("measure-justification"), i.justification.clone())
            .hint(tr.t("hint-measure-justification")),
        Field::select("status", tr.t("field-status"), statuses),
        Field::new("implementation", "textarea", tr.t("measure-implementation"), i.implementation.clone()),
        Field::new("responsible", "text", tr.t("measure-responsible"), i.responsible.clone()),
        Field::new("documents", "textarea", tr.t("measure-documents"), i.documents.clone()).hint(tr.t("hint-measure-documents")),
        Field::new("checked_on", "text", tr.t("measure-checked"), i.checked_on.clone()).hint(tr.t("hint-date")),
    ];
    for e in errs {
        if let Some(f) = fields.iter_mut().find(|f| f.name == e.field) {
            f.error = Some(tr.t(e.message));
        }
    }
    let files = v
        .files
        .iter()
        .map(|f| {
            (
                f.id,
                f.name.clone(),
                upravnik_core::backup_service::human_size(f.size_bytes),
                f.sha256.clone(),
                format!("{} · {}", tr.d(&f.uploaded_by), format_local(f.uploaded_us)),
            )
        })
        .collect();
    let base = format!("/security/measures/{}/{no}", law.as_str());
    let page = MeasurePage {
        facts,
        live,
        fields,
        files,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(st, ctx, &base, format!("{} {no} ({})", tr.t("measure-one"), tr.t(&format!("law-{}", law.as_str())))).flash(ok),
        base,
    };
    Ok(render_form(&page, !errs.is_empty()))
}

fn parse_law(s: &str) -> Result<Law, Error> {
    Law::parse(s).ok_or(Error::NotFound { what: "measure" })
}

pub async fn measure(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path((law, no)): Path<(String, i64)>,
    Query(p): Query<ListParams>,
) -> UiResult {
    measure_page(&st, &ctx, &actor, parse_law(&law)?, no, None, &[], p.ok.as_deref()).await
}

pub async fn save_measure(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path((law, no)): Path<(String, i64)>,
    Form(f): Form<FormData>,
) -> UiResult {
    let law = parse_law(&law)?;
    let i = AssessmentInput {
        applicable: f.get("applicable") == "1",
        justification: f.get("justification"),
        implementation: f.get("implementation"),
        responsible: f.get("responsible"),
        documents: f.get("documents"),
        status: f.get("status"),
        checked_on: f.get("checked_on"),
    };
    match st.services.save_assessment(&actor, law, no, &i).await {
        Ok(_) => Ok(done(&format!("/security/measures/{}/{no}", law.as_str()), "saved")),
        Err(Error::Invalid(errs)) => measure_page(&st, &ctx, &actor, law, no, Some(&i), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

/// The uploaded file of a multipart form: (name, content type, bytes), or the message key.
async fn uploaded(multipart: Result<Multipart, MultipartRejection>) -> Result<(String, String, Vec<u8>), &'static str> {
    let mut m = multipart.map_err(|_| "err-required")?;
    while let Ok(Some(mut field)) = m.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let ct = field.content_type().unwrap_or("application/octet-stream").to_string();
        let mut bytes = vec![];
        loop {
            match field.chunk().await {
                Ok(Some(c)) if bytes.len() + c.len() > EVIDENCE_MAX => return Err("err-evidence-too-large"),
                Ok(Some(c)) => bytes.extend_from_slice(&c),
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err("err-evidence-too-large"),
                Err(_) => return Err("err-required"),
            }
        }
        return Ok((name, ct, bytes));
    }
    Err("err-required")
}

pub async fn add_evidence(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path((law, no)): Path<(String, i64)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> UiResult {
    let law = parse_law(&law)?;
    let result = match uploaded(multipart).await {
        Ok((name, ct, bytes)) => st.services.add_evidence(&actor, law, no, &name, &ct, &bytes).await,
        Err(key) => Err(Error::invalid("file", key)),
    };
    match result {
        Ok(_) => Ok(done(&format!("/security/measures/{}/{no}", law.as_str()), "created")),
        Err(Error::Invalid(errs)) => measure_page(&st, &ctx, &actor, law, no, None, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

/// A file name for `filename*=UTF-8''…` (RFC 5987): Cyrillic names survive every browser.
fn rfc5987(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub async fn evidence(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let (f, bytes) = st.services.evidence_file(&actor, id).await?;
    let name: String = f.name.chars().map(|c| if c == '"' || c.is_control() { '_' } else { c }).collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{}", rfc5987(&name))),
            (header::HeaderName::from_static("x-content-sha256"), f.sha256.clone()),
        ],
        bytes,
    )
        .into_response())
}

fn level_name(tr: &Tr<'_>, l: Option<DangerLevel>) -> String {
    l.map(|l| tr.t(&format!("danger-{}", l.as_str()))).unwrap_or_default()
}

/// `GET /security/incidents`: the register, with each incident's next open duty.
pub async fn incidents(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let list = st.services.incidents(&actor).await?;
    let rows = list
        .iter()
        .filter(|v| upravnik_core::text::search_key(&v.incident.title).contains(&upravnik_core::text::search_key(&p.q)))
        .map(|v| {
            let i = &v.incident;
            let next = upravnik_core::incident::next_open(&v.deadlines);
            let next_cell = match next {
                Some(d) => Cell {
                    text: format!(
                        "{} — {}",
                        tr.t(&format!("report-{}", d.kind.as_str())),
                        d.due_us.map(format_local).unwrap_or_else(|| tr.t("incident-without-delay"))
                    ),
                    href: None,
                    class: Some(if d.late { "error" } else { "warn" }),
                },
                None => Cell { text: tr.t("incident-all-sent"), href: None, class: Some("ok") },
            };
            vec![
                Cell::link(i.id.to_string(), format!("/security/incidents/{}", i.id)),
                Cell::link(tr.d(&i.title), format!("/security/incidents/{}", i.id)),
                Cell::text(format_local(i.aware_us)),
                Cell::text(level_name(&tr, i.level())),
                Cell::text(if i.ended_us.is_some() { tr.t("incident-ended") } else { tr.t("incident-ongoing") }),
                next_cell,
            ]
        })
        .collect::<Vec<_>>();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("incident-what"), None),
        (tr.t("incident-aware"), None),
        (tr.t("incident-danger"), None),
        (tr.t("field-status"), None),
        (tr.t("incident-next"), None),
    ];
    let (page, rows) = super::internet::page_of(rows, &p);
    let mut v = ListView::build(&tr, "/security/incidents", &p, &page, cols, rows, tr.t("incident-none"));
    if actor.can(Permission::WorklogWrite) {
        v.new_action = Some(("/security/incidents/new".into(), tr.t("incident-new")));
    }
    v.more_actions.push(("/security".into(), tr.t("measure-title")));
    let year = upravnik_core::clock::local_date(st.services.clock.now_us()).map(|d| d.year() - 1).unwrap_or(2025);
    v.actions.push((format!("/api/v1/security/incidents/statistics?year={year}"), tr.t1("incident-statistics", "year", year)));
    Ok(list_or_export(&st, &ctx, "/security/incidents", tr.t("incident-title"), &p, v).await)
}

fn incident_fields(tr: &Tr<'_>, i: &IncidentInput, assets: &str) -> Vec<Field> {
    let criteria = CRITERIA
        .iter()
        .map(|c| Opt { value: c.to_string(), label: tr.t(&format!("criterion-{c}")), selected: i.criteria.contains(c) })
        .collect();
    let levels = |chosen: &str| {
        let mut v = vec![Opt { value: String::new(), label: "—".into(), selected: chosen.is_empty() }];
        v.extend(DangerLevel::ALL.iter().map(|l| Opt {
            value: l.as_str().into(),
            label: tr.t(&format!("danger-{}", l.as_str())),
            selected: chosen == l.as_str(),
        }));
        v
    };
    let check = |name: &'static str, key: &str, on: bool| Field::new(name, "checkbox", tr.t(key), if on { "1" } else { "" });
    vec![
        Field::new("title", "text", tr.t("incident-what"), i.title.clone()).required().autofocus(),
        Field::new("description", "textarea", tr.t("field-description"), i.description.clone()).required(),
        Field::new("started", "text", tr.t("incident-started"), i.started.clone()).hint(tr.t("hint-datetime")),
        Field::new("aware", "text", tr.t("incident-aware"), i.aware.clone()).required().hint(tr.t("hint-incident-aware")),
        Field::new("ended", "text", tr.t("incident-ended-at"), i.ended.clone()).hint(tr.t("hint-datetime")),
        Field::checks("criteria", tr.t("incident-criteria"), criteria),
        check("near_miss", "incident-near-miss", i.near_miss),
        check("crime_suspected", "incident-crime", i.crime_suspected),
        Field::select("danger", tr.t("incident-danger"), levels(&i.danger)),
        Field::select("danger_authority", tr.t("incident-danger-authority"), levels(&i.danger_authority)),
        Field::new("indicators", "textarea", tr.t("incident-indicators"), i.indicators.clone()),
        Field::new("asset_ids", "text", tr.t("incident-assets"), assets.to_string()).hint(tr.t("hint-incident-assets")),
        Field::new("affected_services", "textarea", tr.t("incident-services"), i.affected_services.clone()),
        check("services_affected", "incident-services-affected", i.services_affected),
        check("personal_data", "incident-personal-data", i.personal_data),
        check("high_risk_to_people", "incident-high-risk", i.high_risk_to_people),
        check("cross_border", "incident-cross-border", i.cross_border),
        Field::new("measures", "textarea", tr.t("incident-measures"), i.measures.clone()),
    ]
}

fn incident_input(f: &FormData) -> (IncidentInput, Vec<i64>, String) {
    let assets = f.get("asset_ids");
    let ids = assets.split([',', ' ', ';']).filter_map(|x| x.trim().parse().ok()).collect();
    let i = IncidentInput {
        title: f.get("title"),
        description: f.get("description"),
        started: f.get("started"),
        aware: f.get("aware"),
        ended: f.get("ended"),
        criteria: f.all("criteria").iter().filter_map(|c| c.parse().ok()).collect(),
        near_miss: f.get("near_miss") == "1",
        crime_suspected: f.get("crime_suspected") == "1",
        danger: f.get("danger"),
        danger_authority: f.get("danger_authority"),
        indicators: f.get("indicators"),
        affected_services: f.get("affected_services"),
        personal_data: f.get("personal_data") == "1",
        high_risk_to_people: f.get("high_risk_to_people") == "1",
        services_affected: f.get("services_affected") == "1",
        cross_border: f.get("cross_border") == "1",
        measures: f.get("measures"),
    };
    (i, ids, assets)
}

fn incident_form(
    st: &AppState,
    ctx: &Ctx,
    action: &str,
    title: String,
    i: &IncidentInput,
    assets: &str,
    errs: &[upravnik_core::FieldError],
) -> UiResult {
    let tr = ctx.tr(st);
    let mut v = FormView::new(action.to_string(), tr.t("save"), incident_fields(&tr, i, assets)).with_errors(&tr, errs);
    v.cancel_href = Some("/security/incidents".into());
    v.intro = Some(tr.t("incident-intro"));
    Ok(form_page(Chrome::new(st, ctx, action, title), v))
}

pub async fn incident_new(State(st): State<AppState>, ctx: Ctx, Signed(_): Signed) -> UiResult {
    let tr = ctx.tr(&st);
    let now = format_local(st.services.clock.now_us());
    incident_form(&st, &ctx, "/security/incidents", tr.t("incident-new"), &IncidentInput { aware: now, ..Default::default() }, "", &[])
}

pub async fn incident_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let (i, ids, assets) = incident_input(&f);
    match st.services.record_incident(&actor, &i, &ids).await {
        Ok(id) => Ok(done(&format!("/security/incidents/{id}"), "created")),
        Err(Error::Invalid(errs)) => incident_form(&st, &ctx, "/security/incidents", ctx.tr(&st).t("incident-new"), &i, &assets, &errs),
        Err(e) => Err(e.into()),
    }
}

pub async fn incident_edit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let v = st.services.incident(&actor, id).await?;
    let i = &v.incident;
    let t = |us: Option<i64>| us.map(format_local).unwrap_or_default();
    let input = IncidentInput {
        title: i.title.clone(),
        description: i.description.clone(),
        started: t(i.started_us),
        aware: format_local(i.aware_us),
        ended: t(i.ended_us),
        criteria: i.criteria.clone(),
        near_miss: i.near_miss,
        crime_suspected: i.crime_suspected,
        danger: i.danger.map(|d| d.as_str().to_string()).unwrap_or_default(),
        danger_authority: i.danger_authority.map(|d| d.as_str().to_string()).unwrap_or_default(),
        indicators: i.indicators.clone(),
        affected_services: i.affected_services.clone(),
        personal_data: i.personal_data,
        high_risk_to_people: i.high_risk_to_people,
        services_affected: i.services_affected,
        cross_border: i.cross_border,
        measures: i.measures.clone(),
    };
    let assets = i.asset_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    incident_form(&st, &ctx, &format!("/security/incidents/{id}"), format!("{} {id}", tr.t("incident-one")), &input, &assets, &[])
}

pub async fn incident_update(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let (i, ids, assets) = incident_input(&f);
    match st.services.update_incident(&actor, id, &i, &ids).await {
        Ok(()) => Ok(done(&format!("/security/incidents/{id}"), "saved")),
        Err(Error::Invalid(errs)) => incident_form(
            &st,
            &ctx,
            &format!("/security/incidents/{id}"),
            format!("{} {id}", ctx.tr(&st).t("incident-one")),
            &i,
            &assets,
            &errs,
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "security_incident.html")]
pub struct IncidentPage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub facts: Vec<(String, String)>,
    /// (duty, due, sent, CSS class)
    pub duties: Vec<(String, String, String, &'static str)>,
    /// (duty, sent, recipient, reference, by)
    pub sent: Vec<(String, String, String, String, String)>,
    pub report_fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

async fn incident_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, errs: &[upravnik_core::FieldError], ok: Option<&str>) -> UiResult {
    let tr = ctx.tr(st);
    let v = st.services.incident(actor, id).await?;
    let i = &v.incident;
    let yes_no = |b: bool| tr.t(if b { "yes" } else { "no" });
    let mut facts = vec![
        (tr.t("field-description"), tr.d(&i.description)),
        (tr.t("incident-started"), i.started_us.map(format_local).unwrap_or_default()),
        (tr.t("incident-aware"), format_local(i.aware_us)),
        (tr.t("incident-ended-at"), i.ended_us.map(format_local).unwrap_or_else(|| tr.t("incident-ongoing"))),
        (tr.t("incident-criteria"), i.criteria.iter().map(|c| tr.t(&format!("criterion-{c}"))).collect::<Vec<_>>().join("; ")),
        (tr.t("incident-danger"), level_name(&tr, i.danger)),
        (tr.t("incident-danger-authority"), level_name(&tr, i.danger_authority)),
        (tr.t("incident-near-miss"), yes_no(i.near_miss)),
        (tr.t("incident-crime"), yes_no(i.crime_suspected)),
        (tr.t("incident-personal-data"), yes_no(i.personal_data)),
        (tr.t("incident-indicators"), tr.d(&i.indicators)),
        (tr.t("incident-services"), tr.d(&i.affected_services)),
        (tr.t("incident-measures"), tr.d(&i.measures)),
    ];
    if !i.asset_ids.is_empty() {
        facts.push((tr.t("incident-assets"), i.asset_ids.iter().map(|a| format!("#{a}")).collect::<Vec<_>>().join(", ")));
    }
    let duties = v
        .deadlines
        .iter()
        .map(|d| {
            let class = match (d.sent_us, d.late) {
                (Some(_), false) => "ok",
                (_, true) => "error",
                (None, false) => "warn",
            };
            (
                tr.t(&format!("report-{}", d.kind.as_str())),
                d.due_us.map(format_local).unwrap_or_else(|| tr.t("incident-without-delay")),
                d.sent_us.map(format_local).unwrap_or_default(),
                class,
            )
        })
        .collect();
    let sent = i
        .reports
        .iter()
        .map(|r| {
            (
                tr.t(&format!("report-{}", r.kind.as_str())),
                format_local(r.sent_us),
                tr.d(&r.recipient),
                r.reference.clone(),
                tr.d(&r.recorded_by),
            )
        })
        .collect();
    let open = upravnik_core::incident::next_open(&v.deadlines).map(|d| d.kind);
    let kinds = v
        .deadlines
        .iter()
        .map(|d| d.kind)
        .filter(|k| !k.once() || !i.reports.iter().any(|r| r.kind == *k))
        .map(|k| Opt { value: k.as_str().into(), label: tr.t(&format!("report-{}", k.as_str())), selected: Some(k) == open })
        .collect();
    let report_fields = vec![
        Field::select("kind", tr.t("incident-report-kind"), kinds),
        Field::new("recipient", "text", tr.t("incident-recipient"), "").required().hint(tr.t("hint-incident-recipient")),
        Field::new("reference", "text", tr.t("incident-reference"), ""),
        Field::new("sent", "text", tr.t("incident-sent"), "").hint(tr.t("hint-custody-at")),
    ];
    let base = format!("/security/incidents/{id}");
    let page = IncidentPage {
        id,
        facts,
        duties,
        sent,
        report_fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(st, ctx, &base, format!("{} {id}: {}", tr.t("incident-one"), tr.d(&i.title))).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn incident(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    incident_page(&st, &ctx, &actor, id, &[], p.ok.as_deref()).await
}

pub async fn incident_report(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = SentInput { kind: f.get("kind"), sent: f.get("sent"), recipient: f.get("recipient"), reference: f.get("reference") };
    match st.services.record_incident_report(&actor, id, &i).await {
        Ok(_) => Ok(done(&format!("/security/incidents/{id}"), "saved")),
        Err(Error::Invalid(errs)) => incident_page(&st, &ctx, &actor, id, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

fn visit_fields(tr: &Tr<'_>, i: &upravnik_core::server_room::VisitInput) -> Vec<Field> {
    use upravnik_core::server_room::VisitorRole;
    let role = if i.role.is_empty() { "other" } else { i.role.as_str() };
    let roles = VisitorRole::ALL
        .iter()
        .map(|r| Opt { value: r.as_str().into(), label: tr.t(&format!("visitor-{}", r.as_str())), selected: r.as_str() == role })
        .collect();
    vec![
        Field::new("person", "text", tr.t("visit-person"), i.person.clone()).required(),
        Field::select("role", tr.t("visit-role"), roles).hint(tr.t("hint-visit-role")),
        Field::new("accompanied_by", "text", tr.t("visit-accompanied"), i.accompanied_by.clone()),
        Field::new("reason", "text", tr.t("visit-reason"), i.reason.clone()).required(),
        Field::new("entered", "text", tr.t("visit-entered"), i.entered.clone()).hint(tr.t("hint-custody-at")),
        Field::new("left", "text", tr.t("visit-left"), i.left.clone()).hint(tr.t("hint-datetime")),
    ]
}

async fn visits_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    i: &upravnik_core::server_room::VisitInput,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let can_write = actor.can(Permission::WorklogWrite);
    let visits = st.services.server_room_visits(actor).await?;
    let rows = visits
        .iter()
        .map(|v| {
            vec![
                Cell::text(format_local(v.entered_us)),
                match v.left_us {
                    Some(l) => Cell::text(format_local(l)),
                    None => Cell { text: tr.t("visit-inside"), href: None, class: Some("warn") },
                },
                Cell::text(tr.d(&v.person)),
                Cell::text(tr.t(&format!("visitor-{}", v.role.as_str()))),
                Cell::text(tr.d(&v.accompanied_by)),
                Cell::text(tr.d(&v.reason)),
                Cell::text(tr.d(&v.recorded_by)),
            ]
        })
        .collect();
    let open = visits.iter().filter(|v| v.left_us.is_none()).map(|v| (v.id, tr.d(&v.person))).collect();
    let fields = FormView::new("/security/server-room", tr.t("save"), visit_fields(&tr, i)).with_errors(&tr, errs).fields;
    let page = VisitsPage {
        rows,
        open,
        fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write,
        c: Chrome::new(st, ctx, "/security/server-room", tr.t("visit-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

#[derive(Template)]
#[template(path = "server_room.html")]
pub struct VisitsPage<'a> {
    pub c: Chrome<'a>,
    pub rows: Vec<Vec<Cell>>,
    /// Visits still inside: (id, person).
    pub open: Vec<(i64, String)>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

pub async fn visits(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    visits_page(&st, &ctx, &actor, &Default::default(), &[], p.ok.as_deref()).await
}

pub async fn record_visit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = upravnik_core::server_room::VisitInput {
        person: f.get("person"),
        role: f.get("role"),
        entered: f.get("entered"),
        left: f.get("left"),
        reason: f.get("reason"),
        accompanied_by: f.get("accompanied_by"),
    };
    match st.services.record_server_room_visit(&actor, &i).await {
        Ok(_) => Ok(done("/security/server-room", "created")),
        Err(Error::Invalid(errs)) => visits_page(&st, &ctx, &actor, &i, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn visit_left(State(st): State<AppState>, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    st.services.close_server_room_visit(&actor, id).await?;
    Ok(done("/security/server-room", "saved"))
}

#[derive(Template)]
#[template(path = "trainings.html")]
pub struct TrainingsPage<'a> {
    pub c: Chrome<'a>,
    pub rows: Vec<Vec<Cell>>,
    /// The first names of those without training, and how many there are.
    pub untrained: Vec<String>,
    pub untrained_count: i64,
    pub fields: Vec<Field>,
    /// (id, name, chosen)
    pub people: Vec<(i64, String, bool)>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

async fn trainings_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    i: &upravnik_core::trainings::TrainingInput,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    use upravnik_core::trainings::TrainingKind;
    let tr = ctx.tr(st);
    let rows = st
        .services
        .trainings(actor)
        .await?
        .into_iter()
        .map(|t| {
            vec![
                Cell::text(upravnik_core::clock::parse_date(&t.held_on).map(upravnik_core::clock::format_date).unwrap_or_default()),
                Cell::text(tr.d(&t.topic)),
                Cell::text(tr.t(&format!("training-kind-{}", t.kind.as_str()))),
                Cell::text(tr.d(&t.trainer)),
                Cell::text(t.hours.map(|h| h.to_string()).unwrap_or_default()),
                Cell::text(format!("{}: {}", t.attendees.len(), t.attendees.iter().map(|(_, n)| tr.d(n)).collect::<Vec<_>>().join(", "))),
            ]
        })
        .collect();
    let untrained = st.services.untrained_people(actor, None).await?;
    let kind = if i.kind.is_empty() { "basic" } else { i.kind.as_str() };
    let kinds = TrainingKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: tr.t(&format!("training-kind-{}", k.as_str())), selected: k.as_str() == kind })
        .collect();
    let fields = FormView::new(
        "/security/trainings",
        tr.t("save"),
        vec![
            Field::new("topic", "text", tr.t("training-topic"), i.topic.clone()).required(),
            Field::select("kind", tr.t("training-kind"), kinds),
            Field::new("held_on", "text", tr.t("training-held-on"), i.held_on.clone()).required().hint(tr.t("hint-date")),
            Field::new("trainer", "text", tr.t("training-trainer"), i.trainer.clone()),
            Field::new("hours", "number", tr.t("training-hours"), i.hours.map(|h| h.to_string()).unwrap_or_default()),
            Field::new("note", "text", tr.t("field-note"), i.note.clone()),
        ],
    )
    .with_errors(&tr, errs)
    .fields;
    let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
    q.per_page = 5000;
    let people = if actor.can(Permission::WorklogWrite) {
        st.services
            .people(actor, &q)
            .await?
            .items
            .into_iter()
            .filter(|p| p.active)
            .map(|p| (p.id, tr.d(&p.full_name()), i.attendees.contains(&p.id)))
            .collect()
    } else {
        vec![]
    };
    let page = TrainingsPage {
        rows,
        untrained_count: untrained.len() as i64,
        untrained: untrained.iter().take(50).map(|(_, n)| tr.d(n)).collect(),
        fields,
        people,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(st, ctx, "/security/trainings", tr.t("training-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn trainings(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    trainings_page(&st, &ctx, &actor, &Default::default(), &[], p.ok.as_deref()).await
}

pub async fn record_training(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = upravnik_core::trainings::TrainingInput {
        topic: f.get("topic"),
        kind: f.get("kind"),
        held_on: f.get("held_on"),
        trainer: f.get("trainer"),
        hours: f.get("hours").trim().parse().ok(),
        note: f.get("note"),
        attendees: f.all("attendees").iter().filter_map(|a| a.parse().ok()).collect(),
    };
    match st.services.record_training(&actor, &i).await {
        Ok(_) => Ok(done("/security/trainings", "created")),
        Err(Error::Invalid(errs)) => trainings_page(&st, &ctx, &actor, &i, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

/// A request as the page shows it.
pub struct RemovalRow {
    pub id: i64,
    pub when: String,
    pub kind: String,
    pub what: String,
    pub purpose: String,
    pub by: String,
    pub state: String,
    /// Still waiting for the head of administration.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "removals.html")]
pub struct RemovalsPage<'a> {
    pub c: Chrome<'a>,
    pub removals: Vec<RemovalRow>,
    pub transfers: Vec<Vec<String>>,
    pub removal_fields: Vec<Field>,
    pub transfer_fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
    pub can_decide: bool,
}

async fn removals_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    f: &FormData,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    use upravnik_core::removals::{RemovalKind, RemovalState};
    let tr = ctx.tr(st);
    let removals = st
        .services
        .removals(actor)
        .await?
        .into_iter()
        .map(|r| RemovalRow {
            id: r.id,
            when: format_local(r.requested_us),
            kind: tr.t(&format!("removal-kind-{}", r.kind.as_str())),
            what: tr.d(&r.what),
            purpose: tr.d(&r.purpose),
            by: tr.d(&r.requested_by),
            state: match &r.decided_by {
                Some(by) => format!(
                    "{} ({}){}",
                    tr.t(&format!("removal-state-{}", r.state.as_str())),
                    tr.d(by),
                    if r.decision_note.is_empty() { String::new() } else { format!(": {}", tr.d(&r.decision_note)) }
                ),
                None => tr.t(&format!("removal-state-{}", r.state.as_str())),
            },
            open: r.state == RemovalState::Submitted,
        })
        .collect();
    let transfers = st
        .services
        .transfers(actor)
        .await?
        .into_iter()
        .map(|t| {
            vec![
                upravnik_core::clock::parse_date(&t.sent_on).map(upravnik_core::clock::format_date).unwrap_or_default(),
                tr.d(&t.sender),
                tr.d(&t.receiver),
                tr.d(&t.data_kind),
                tr.d(&t.medium),
                t.reference,
            ]
        })
        .collect();
    let kind = f.get("kind");
    let kinds = RemovalKind::ALL
        .iter()
        .map(|k| Opt { value: k.as_str().into(), label: tr.t(&format!("removal-kind-{}", k.as_str())), selected: kind == k.as_str() })
        .collect();
    let mut removal_fields = vec![
        Field::select("kind", tr.t("removal-kind"), kinds),
        Field::new("what", "text", tr.t("removal-what"), f.get("what")).required(),
        Field::new("purpose", "text", tr.t("removal-purpose"), f.get("purpose")).required(),
        Field::new("asset_id", "number", tr.t("removal-asset"), f.get("asset_id")).hint(tr.t("hint-removal-asset")),
    ];
    let mut transfer_fields = vec![
        Field::new("sender", "text", tr.t("transfer-sender"), f.get("sender")).required(),
        Field::new("receiver", "text", tr.t("transfer-receiver"), f.get("receiver")).required(),
        Field::new("data_kind", "text", tr.t("transfer-data-kind"), f.get("data_kind")).required(),
        Field::new("medium", "text", tr.t("transfer-medium"), f.get("medium")).required(),
        Field::new("sent_on", "text", tr.t("transfer-sent-on"), f.get("sent_on")).required().hint(tr.t("hint-date")),
        Field::new("reference", "text", tr.t("incident-reference"), f.get("reference")),
    ];
    for e in errs {
        for fields in [&mut removal_fields, &mut transfer_fields] {
            if let Some(field) = fields.iter_mut().find(|x| x.name == e.field) {
                field.error = Some(tr.t(e.message));
            }
        }
    }
    let page = RemovalsPage {
        removals,
        transfers,
        removal_fields,
        transfer_fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        can_decide: actor.can(Permission::ApproveRemovals),
        c: Chrome::new(st, ctx, "/security/removals", tr.t("removal-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

pub async fn removals(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    removals_page(&st, &ctx, &actor, &FormData(vec![]), &[], p.ok.as_deref()).await
}

pub async fn request_removal(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = upravnik_core::removals::RemovalInput {
        kind: f.get("kind"),
        what: f.get("what"),
        purpose: f.get("purpose"),
        asset_id: f.id("asset_id"),
    };
    match st.services.request_removal(&actor, &i).await {
        Ok(_) => Ok(done("/security/removals", "created")),
        Err(Error::Invalid(errs)) => removals_page(&st, &ctx, &actor, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn decide_removal(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.decide_removal(&actor, id, f.get("decision") == "approve", &f.get("note")).await {
        Ok(()) => Ok(done("/security/removals", "saved")),
        Err(Error::Invalid(errs)) => removals_page(&st, &ctx, &actor, &FormData(vec![]), &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn record_transfer(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = upravnik_core::removals::TransferInput {
        sender: f.get("sender"),
        receiver: f.get("receiver"),
        data_kind: f.get("data_kind"),
        medium: f.get("medium"),
        sent_on: f.get("sent_on"),
        reference: f.get("reference"),
    };
    match st.services.record_transfer(&actor, &i).await {
        Ok(_) => Ok(done("/security/removals", "created")),
        Err(Error::Invalid(errs)) => removals_page(&st, &ctx, &actor, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}
