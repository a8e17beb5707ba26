//! The monthly report on the work and efficiency of the staff (P.5.1) and the annual report for
//! the Administrative Inspection: `/reports/stats?month=2026-11` or `?year=2026`, as a page with
//! bar charts drawn on the server (inline SVG, no script), as PDF and as XLSX. And the office's
//! working hours and service-level targets (`/reports/settings`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use upravnik_core::access::Permission;
use upravnik_core::helpdesk::Priority;
use upravnik_core::sla_service::{ReportStats, SlaSettingsInput, StatsPeriod, StatsRow};
use upravnik_core::{Error, FieldError};

use super::FormData;
use super::layout::{Chrome, render};
use super::org::form_page;
use super::view::{Field, FormView};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::{Lang, Tr};

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatsParams {
    #[serde(default)]
    pub month: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
}

/// Working minutes as hours with one decimal, in the reader's notation.
fn hours(tr: &Tr<'_>, m: Option<i64>) -> String {
    match m {
        None => "—".into(),
        Some(m) => {
            let s = format!("{:.1}", m as f64 / 60.0);
            if tr.lang == Lang::En { s } else { s.replace('.', ",") }
        }
    }
}

/// One table of the report: a heading, the rows, and a chart of received and resolved.
pub struct Table {
    pub heading: String,
    pub rows: Vec<Vec<String>>,
    pub chart: Chart,
}

pub struct Bar {
    pub label: String,
    pub y: u32,
    pub received: i64,
    pub resolved: i64,
    pub late: i64,
    pub w_received: u32,
    pub w_resolved: u32,
    pub w_late: u32,
}

/// Horizontal bars: per group, received (blue), resolved (green) and late (red), to one scale.
pub struct Chart {
    pub height: u32,
    pub bars: Vec<Bar>,
}

const BAR_ROW: u32 = 30;
const BAR_MAX: f64 = 360.0;

fn chart(labels_rows: &[(String, &StatsRow)]) -> Chart {
    let max = labels_rows.iter().map(|(_, r)| r.received.max(r.resolved)).max().unwrap_or(0).max(1) as f64;
    let w = |n: i64| ((n as f64 / max) * BAR_MAX).round() as u32;
    let bars = labels_rows
        .iter()
        .enumerate()
        .map(|(i, (label, r))| Bar {
            label: label.chars().take(28).collect(),
            y: u32::try_from(i).unwrap_or(0) * BAR_ROW,
            received: r.received,
            resolved: r.resolved,
            late: r.late,
            w_received: w(r.received),
            w_resolved: w(r.resolved),
            w_late: w(r.late),
        })
        .collect();
    Chart { height: u32::try_from(labels_rows.len()).unwrap_or(0) * BAR_ROW + 4, bars }
}

pub fn headers(tr: &Tr<'_>, first: &str) -> Vec<String> {
    vec![
        tr.t(first),
        tr.t("stats-received"),
        tr.t("stats-resolved"),
        tr.t("stats-median-response"),
        tr.t("stats-median-resolution"),
        tr.t("stats-late"),
    ]
}

fn cells(tr: &Tr<'_>, label: &str, r: &StatsRow) -> Vec<String> {
    vec![
        label.to_string(),
        r.received.to_string(),
        r.resolved.to_string(),
        hours(tr, r.median_response_min),
        hours(tr, r.median_resolution_min),
        r.late.to_string(),
    ]
}

/// A grouping: heading key, first column's key, labelled rows.
type Group = (&'static str, &'static str, Vec<(String, StatsRow)>);

/// The groups of the report, with their column heading key and translated labels.
fn tables(tr: &Tr<'_>, s: &ReportStats) -> Vec<(String, &'static str, Table)> {
    let named = |rows: &[StatsRow], nobody: &str| -> Vec<(String, StatsRow)> {
        rows.iter().map(|r| (if r.key.is_empty() { tr.t(nobody) } else { tr.d(&r.key) }, r.clone())).collect()
    };
    let mut groups: Vec<Group> = vec![
        ("stats-by-assignee", "field-assignee", named(&s.by_assignee, "reports-unassigned")),
        ("stats-by-unit", "field-unit", named(&s.by_unit, "stats-no-unit")),
        (
            "stats-by-category",
            "field-report-category",
            s.by_category.iter().map(|r| (tr.t(&format!("report-category-{}", r.key)), r.clone())).collect(),
        ),
    ];
    if s.period.month.is_none() {
        groups.push(("stats-by-month", "field-month", s.by_month.iter().map(|r| (r.key.clone(), r.clone())).collect()));
    }
    groups
        .into_iter()
        .map(|(heading, first, rows)| {
            let refs: Vec<(String, &StatsRow)> = rows.iter().map(|(l, r)| (l.clone(), r)).collect();
            let table = Table { heading: tr.t(heading), rows: rows.iter().map(|(l, r)| cells(tr, l, r)).collect(), chart: chart(&refs) };
            (tr.t(heading), first, table)
        })
        .collect()
}

fn title(tr: &Tr<'_>, p: &StatsPeriod) -> String {
    match p.month {
        Some(_) => tr.ta("stats-title-month", &[("period", p.key())]),
        None => tr.ta("stats-title-year", &[("period", p.key())]),
    }
}

#[derive(Template)]
#[template(path = "report_stats.html")]
pub struct StatsPage<'a> {
    pub c: Chrome<'a>,
    pub month: String,
    pub year: String,
    pub key: String,
    pub annual: bool,
    pub facts: Vec<(String, String)>,
    pub tables: Vec<(Vec<String>, Table)>,
}

/// `GET /reports/stats`: the page, or `format=pdf|xlsx`.
pub async fn stats(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<StatsParams>) -> UiResult<Response> {
    let tr = ctx.tr(&st);
    let period = StatsPeriod::parse(p.month.as_deref(), p.year.as_deref(), st.services.clock.now_us())?;
    let s = st.services.report_stats(&actor, period).await?;
    let title = title(&tr, &period);
    let facts = vec![
        (tr.t("stats-received"), s.total.received.to_string()),
        (tr.t("stats-resolved"), s.total.resolved.to_string()),
        (tr.t("stats-median-response"), hours(&tr, s.total.median_response_min)),
        (tr.t("stats-median-resolution"), hours(&tr, s.total.median_resolution_min)),
        (tr.t("stats-late"), s.total.late.to_string()),
    ];
    let tables = tables(&tr, &s);
    let stem = format!("izvestaj-kvarovi-{}", period.key());
    match p.format.as_deref() {
        Some("pdf") => {
            let print = super::print_meta(&st, &ctx, vec![], vec![]).await;
            let mut sections = vec![upravnik_pdf::Section::Facts { heading: String::new(), items: facts }];
            for (_, first, t) in tables {
                sections.push(upravnik_pdf::Section::Table {
                    heading: t.heading,
                    headers: headers(&tr, first),
                    widths: vec![2.4, 1.0, 1.0, 1.4, 1.4, 0.9],
                    rows: t.rows,
                    size: 9.0,
                });
            }
            let today = upravnik_core::clock::format_local_date(st.services.clock.now_us());
            let form = upravnik_pdf::Form {
                lang: print.lang.to_string(),
                letterhead: print.letterhead,
                title,
                number: tr.t("stats-form-note"),
                sections,
                signatures: vec![upravnik_pdf::Signature { role: tr.t("stats-sign"), name: tr.d(&actor.full_name), date: today }],
                footer: print.footer,
            };
            Ok(crate::export::pdf(form, &stem).await)
        }
        Some("xlsx") => {
            let mut sheets = vec![crate::export::Sheet {
                name: tr.t("stats-summary"),
                headers: vec![tr.t("stats-figure"), tr.t("stats-value")],
                rows: facts.into_iter().map(|(a, b)| vec![a, b]).collect(),
            }];
            for (name, first, t) in tables {
                sheets.push(crate::export::Sheet { name, headers: headers(&tr, first), rows: t.rows });
            }
            match crate::export::xlsx_book(&sheets) {
                Ok(bytes) => Ok((
                    [
                        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.xlsx\"")),
                    ],
                    bytes,
                )
                    .into_response()),
                Err(e) => Err(Error::Storage(format!("xlsx: {e}")).into()),
            }
        }
        Some(_) => Err(Error::invalid("format", "err-filter").into()),
        None => {
            let page = StatsPage {
                c: Chrome::new(&st, &ctx, "/reports/stats", title),
                month: period.month.map(|_| period.key()).unwrap_or_default(),
                year: period.year.to_string(),
                key: if period.month.is_some() { format!("month={}", period.key()) } else { format!("year={}", period.key()) },
                annual: period.month.is_none(),
                facts,
                tables: tables.into_iter().map(|(_, first, t)| (headers(&tr, first), t)).collect(),
            };
            Ok(render(&page))
        }
    }
}

const DAY_KEYS: [&str; 7] = ["day-mon", "day-tue", "day-wed", "day-thu", "day-fri", "day-sat", "day-sun"];
const DAY_FIELDS: [&str; 7] = ["day1", "day2", "day3", "day4", "day5", "day6", "day7"];
const TARGET_FIELDS: [(&str, &str); 4] = [
    ("urgent_response", "urgent_resolution"),
    ("high_response", "high_resolution"),
    ("normal_response", "normal_resolution"),
    ("low_response", "low_resolution"),
];

fn settings_form(tr: &Tr<'_>, f: &FormData, errs: &[FieldError]) -> FormView {
    let mut fields = vec![];
    for (i, name) in DAY_FIELDS.iter().enumerate() {
        let key = DAY_KEYS.get(i).copied().unwrap_or("day-mon");
        fields.push(Field::new(name, "checkbox", tr.t(key), if f.flag(name) { "1" } else { "" }));
    }
    fields.push(Field::new("start", "text", tr.t("field-work-start"), f.get("start")).required().hint(tr.t("hint-hhmm")));
    fields.push(Field::new("end", "text", tr.t("field-work-end"), f.get("end")).required().hint(tr.t("hint-hhmm")));
    for (p, (resp, res)) in Priority::ALL.iter().rev().zip(TARGET_FIELDS) {
        let name = tr.t(&format!("report-priority-{}", p.as_str()));
        fields.push(Field::new(resp, "text", tr.ta("field-target-response", &[("priority", name.clone())]), f.get(resp)).required());
        fields.push(
            Field::new(res, "text", tr.ta("field-target-resolution", &[("priority", name)]), f.get(res))
                .required()
                .hint(tr.t("hint-working-minutes")),
        );
    }
    let mut v = FormView::new("/reports/settings", tr.t("save"), fields).with_errors(tr, errs);
    v.cancel_href = Some("/reports".into());
    v
}

/// `GET /reports/settings`: the office's working hours and targets (the defaults until saved).
pub async fn settings(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<super::reports::OkParam>) -> UiResult {
    let tr = ctx.tr(&st);
    let s = st.services.sla_settings(&actor).await?;
    let mut f = FormData(vec![("start".into(), s.start.clone()), ("end".into(), s.end.clone())]);
    for (i, on) in s.days.iter().enumerate() {
        if *on && let Some(name) = DAY_FIELDS.get(i) {
            f.0.push(((*name).into(), "1".into()));
        }
    }
    for (p, (resp, res)) in Priority::ALL.iter().rev().zip(TARGET_FIELDS) {
        let t = s.targets.target(p.sla());
        f.0.push((resp.into(), t.first_response_min.to_string()));
        f.0.push((res.into(), t.resolution_min.to_string()));
    }
    let c = Chrome::new(&st, &ctx, "/reports/settings", tr.t("sla-settings-title")).flash(p.ok.as_deref());
    Ok(form_page(c, settings_form(&tr, &f, &[])))
}

pub async fn save_settings(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input = SlaSettingsInput {
        days: (1u8..=7).filter(|d| f.flag(&format!("day{d}"))).collect(),
        start: f.get("start"),
        end: f.get("end"),
        targets: TARGET_FIELDS.iter().flat_map(|(a, b)| [(a.to_string(), f.get(a)), (b.to_string(), f.get(b))]).collect(),
    };
    match st.services.save_sla_settings(&actor, &input).await {
        Ok(_) => Ok(super::done("/reports/settings", "saved")),
        Err(Error::Invalid(errs)) => {
            let tr = ctx.tr(&st);
            let c = Chrome::new(&st, &ctx, "/reports/settings", tr.t("sla-settings-title"));
            Ok(form_page(c, settings_form(&tr, &f, &errs)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the actor reads the statistics (for links).
pub fn can_read(actor: &upravnik_core::access::Actor) -> bool {
    actor.can(Permission::HelpdeskRead)
}
