//! The yearly compliance check with its report (ZIB 91/2025 čl. 7, 12), the acts reviewed yearly
//! (čl. 11, 12), procurement proposals (R.21) and the records of processing activities (ZZPL
//! čl. 47).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::{format_date, format_local, parse_date};
use upravnik_core::compliance::{
    ActKind, ActionInput, Check, CheckInput, CheckKind, CompleteInput, FindingInput, FindingResult, due_soon, finding_fields,
    finding_problems,
};
use upravnik_core::measures::{Law, catalogue};
use upravnik_core::processing::{FIELDS, ProcessingRecord, RecordInput};
use upravnik_core::procurement::{DecisionInput, ProposalInput, ProposalState};

use super::layout::{Chrome, render_form};
use super::org::{form_page, list_or_export};
use super::security::measure_text;
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt};
use super::{FormData, answer, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

/// An ISO date as the interface shows it.
fn date(s: &str) -> String {
    parse_date(s).map(format_date).unwrap_or_default()
}

fn opts<T: Copy>(tr: &Tr<'_>, all: &[T], name: impl Fn(T) -> &'static str, prefix: &str, chosen: &str, blank: bool) -> Vec<Opt> {
    let mut v = if blank { vec![Opt { value: String::new(), label: "—".into(), selected: chosen.is_empty() }] } else { vec![] };
    v.extend(all.iter().map(|k| Opt {
        value: name(*k).into(),
        label: tr.t(&format!("{prefix}{}", name(*k))),
        selected: chosen == name(*k),
    }));
    v
}

fn mark_errors(tr: &Tr<'_>, fields: &mut [&mut Vec<Field>], errs: &[upravnik_core::FieldError]) {
    for e in errs {
        for list in fields.iter_mut() {
            if let Some(f) = list.iter_mut().find(|x| x.name == e.field) {
                f.error = Some(tr.t(e.message));
            }
        }
    }
}

/// A due date with its urgency: (text, class).
fn due_cell(tr: &Tr<'_>, due: Option<jiff::civil::Date>, today: jiff::civil::Date) -> (String, &'static str) {
    match due {
        None => (tr.t("check-never"), "error"),
        Some(d) if d < today => (tr.t1("check-overdue", "date", format_date(d)), "error"),
        Some(d) if due_soon(Some(d), today, 30) => (format_date(d), "warn"),
        Some(d) => (format_date(d), "ok"),
    }
}

#[derive(Template)]
#[template(path = "checks.html")]
pub struct ChecksPage<'a> {
    pub c: Chrome<'a>,
    /// (label, text, class)
    pub duties: Vec<(String, String, &'static str)>,
    pub checks: Vec<Vec<Cell>>,
    pub acts: Vec<Vec<String>>,
    pub check_fields: Vec<Field>,
    pub act_fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
}

async fn checks_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    f: &FormData,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let today = upravnik_core::clock::local_date(st.services.clock.now_us()).unwrap_or_default();
    let d = st.services.compliance_duties(actor).await?;
    let mut duties = vec![];
    let (next, class) = due_cell(&tr, d.next_check_due, today);
    duties.push((tr.t("check-next-due"), if d.check_open { format!("{next} ({})", tr.t("check-in-progress")) } else { next }, class));
    let (risk, class) = due_cell(&tr, d.risk_assessment_due, today);
    duties.push((tr.t("act-review-risk_assessment"), risk, class));
    let (sec, class) = due_cell(&tr, d.security_act_due, today);
    duties.push((tr.t("act-review-security_act"), sec, class));
    duties.push((tr.t("check-actions-overdue"), d.overdue_actions.to_string(), if d.overdue_actions > 0 { "error" } else { "ok" }));
    let checks = st
        .services
        .compliance_checks(actor)
        .await?
        .iter()
        .map(|c| {
            let gaps = c.findings.iter().filter(|f| f.result.needs_action()).count();
            let open = c.actions.iter().filter(|a| a.state == upravnik_core::compliance::ActionState::Open).count();
            vec![
                Cell::link(c.year.to_string(), format!("/security/checks/{}", c.id)),
                Cell::text(tr.t(&format!("check-kind-{}", c.kind.as_str()))),
                Cell::text(tr.t(&format!("law-{}", c.law.as_str()))),
                Cell::text(tr.d(&c.checked_by)),
                Cell::text(date(&c.started_on)),
                match &c.completed_on {
                    Some(d) => Cell { text: date(d), href: None, class: Some("ok") },
                    None => Cell { text: tr.t("check-in-progress"), href: None, class: Some("warn") },
                },
                Cell::text(format!("{}/{}", c.findings.len(), catalogue(c.law).len())),
                Cell::text(gaps.to_string()),
                Cell::text(open.to_string()),
            ]
        })
        .collect();
    let acts = st
        .services
        .security_acts(actor)
        .await?
        .into_iter()
        .map(|a| {
            vec![
                tr.t(&format!("act-kind-{}", a.kind.as_str())),
                a.number.clone(),
                date(&a.act_date),
                a.act_date.parse().map(|d| format_date(upravnik_core::compliance::one_year_after(d))).unwrap_or_default(),
                tr.d(&a.note),
                tr.d(&a.recorded_by),
            ]
        })
        .collect();
    let year = if f.get("year").is_empty() { (today.year() - 1).to_string() } else { f.get("year") };
    let mut check_fields = vec![
        Field::new("year", "number", tr.t("check-year"), year).required(),
        Field::select("kind", tr.t("check-kind"), opts(&tr, CheckKind::ALL, |k| k.as_str(), "check-kind-", &f.get("kind"), false)),
        Field::select("law", tr.t("check-law"), opts(&tr, Law::ALL, |k| k.as_str(), "law-", &f.get("law"), false)),
        Field::new("checked_by", "text", tr.t("check-checked-by"), f.get("checked_by")).required().hint(tr.t("hint-check-checked-by")),
        Field::new("started_on", "text", tr.t("check-started"), f.get("started_on")).required().hint(tr.t("hint-date")),
    ];
    // The law in force comes first.
    check_fields[2].options.reverse();
    let mut act_fields = vec![
        Field::select("kind", tr.t("act-kind"), opts(&tr, ActKind::ALL, |k| k.as_str(), "act-kind-", &f.get("kind"), false)),
        Field::new("number", "text", tr.t("act-number"), f.get("number")).required(),
        Field::new("act_date", "text", tr.t("act-date"), f.get("act_date")).required().hint(tr.t("hint-act-date")),
        Field::new("note", "text", tr.t("act-note"), f.get("note")),
    ];
    mark_errors(&tr, &mut [&mut check_fields, &mut act_fields], errs);
    let page = ChecksPage {
        duties,
        checks,
        acts,
        check_fields,
        act_fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(st, ctx, "/security/checks", tr.t("check-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

/// `GET /security/checks`: the yearly checks, the acts and when each is due again.
pub async fn checks(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    checks_page(&st, &ctx, &actor, &FormData(vec![]), &[], p.ok.as_deref()).await
}

pub async fn start_check(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = CheckInput {
        year: f.get("year"),
        kind: f.get("kind"),
        law: f.get("law"),
        checked_by: f.get("checked_by"),
        started_on: f.get("started_on"),
    };
    match st.services.start_check(&actor, &i).await {
        Ok(id) => Ok(done(&format!("/security/checks/{id}"), "created")),
        Err(Error::Invalid(errs)) => checks_page(&st, &ctx, &actor, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn record_act(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = upravnik_core::compliance::ActInput {
        kind: f.get("kind"),
        number: f.get("number"),
        act_date: f.get("act_date"),
        note: f.get("note"),
    };
    let r = st.services.record_security_act(&actor, &i).await;
    answer(r, "/security/checks", "created", |errs| async move { checks_page(&st, &ctx, &actor, &f, &errs, None).await }).await
}

/// One measure's row of the findings form.
pub struct FindingRow {
    pub no: i64,
    pub text: String,
    pub result_name: String,
    pub finding_name: String,
    pub options: Vec<Opt>,
    pub result: String,
    pub finding: String,
    pub error: Option<String>,
}

/// A corrective action as listed.
pub struct ActionRow {
    pub id: i64,
    pub measure: String,
    pub action: String,
    pub owner: String,
    pub due: String,
    pub state: String,
    pub class: &'static str,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "check.html")]
pub struct CheckPage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub facts: Vec<(String, String)>,
    pub findings: Vec<FindingRow>,
    pub actions: Vec<ActionRow>,
    pub action_fields: Vec<Field>,
    pub complete_fields: Vec<Field>,
    /// What still stands in the way of the report.
    pub gaps: Vec<String>,
    pub errors: Vec<String>,
    pub can_write: bool,
    pub open: bool,
}

fn finding_inputs(law: Law, f: &FormData) -> Vec<FindingInput> {
    catalogue(law)
        .iter()
        .map(|m| {
            let (r, t) = finding_fields(m.no);
            FindingInput { no: m.no, result: f.get(&r), finding: f.get(&t) }
        })
        .collect()
}

async fn check_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: i64,
    typed: Option<&FormData>,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let c = st.services.compliance_check(actor, id).await?;
    let today = upravnik_core::clock::local_date(st.services.clock.now_us()).unwrap_or_default();
    // What was typed comes back as typed; otherwise what is saved.
    let inputs: Vec<FindingInput> = match typed {
        Some(f) if f.0.iter().any(|(k, _)| k.starts_with("result-")) => finding_inputs(c.law, f),
        _ => catalogue(c.law)
            .iter()
            .map(|m| {
                let saved = c.finding(m.no);
                FindingInput {
                    no: m.no,
                    result: saved.map(|f| f.result.as_str().to_string()).unwrap_or_default(),
                    finding: saved.map(|f| f.finding.clone()).unwrap_or_default(),
                }
            })
            .collect(),
    };
    let problems = finding_problems(&inputs);
    let findings = catalogue(c.law)
        .iter()
        .zip(&inputs)
        .map(|(m, i)| {
            let (result_name, finding_name) = finding_fields(m.no);
            let error = problems.iter().find(|(no, _)| *no == m.no).map(|(_, msg)| tr.t(msg));
            FindingRow {
                no: m.no,
                text: measure_text(&tr, m),
                result_name,
                finding_name,
                options: opts(&tr, FindingResult::ALL, |r| r.as_str(), "finding-", i.result.trim(), true),
                result: FindingResult::parse(i.result.trim()).map(|r| tr.t(&format!("finding-{}", r.as_str()))).unwrap_or_default(),
                finding: i.finding.clone(),
                error,
            }
        })
        .collect();
    let actions = c
        .actions
        .iter()
        .map(|a| ActionRow {
            id: a.id,
            measure: a.no.map(|n| n.to_string()).unwrap_or_default(),
            action: tr.d(&a.action),
            owner: tr.d(&a.owner),
            due: date(&a.due_on),
            state: match &a.done_on {
                Some(d) => format!(
                    "{} {}{}",
                    tr.t("action-done"),
                    date(d),
                    if a.done_note.is_empty() { String::new() } else { format!(": {}", tr.d(&a.done_note)) }
                ),
                None if a.overdue(today) => tr.t("action-overdue"),
                None => tr.t("action-open"),
            },
            class: if a.done_on.is_some() {
                "ok"
            } else if a.overdue(today) {
                "error"
            } else {
                "warn"
            },
            open: a.done_on.is_none(),
        })
        .collect();
    let blank = FormData(vec![]);
    let f = typed.unwrap_or(&blank);
    let measure_opts = {
        let chosen = f.get("no");
        let mut v = vec![Opt { value: String::new(), label: tr.t("action-no-measure"), selected: chosen.is_empty() }];
        v.extend(catalogue(c.law).iter().map(|m| Opt {
            value: m.no.to_string(),
            label: format!("{}. {}", m.no, measure_text(&tr, m).chars().take(90).collect::<String>()),
            selected: chosen == m.no.to_string(),
        }));
        v
    };
    let mut action_fields = vec![
        Field::select("no", tr.t("action-measure"), measure_opts),
        Field::new("action", "text", tr.t("action-what"), f.get("action")).required(),
        Field::new("owner", "text", tr.t("action-owner"), f.get("owner")).required(),
        Field::new("due_on", "text", tr.t("action-due"), f.get("due_on")).required().hint(tr.t("hint-date")),
    ];
    let completed_on = if f.get("completed_on").is_empty() { format_date(today) } else { f.get("completed_on") };
    let mut complete_fields = vec![
        Field::new("completed_on", "text", tr.t("check-completed"), completed_on).required().hint(tr.t("hint-date")),
        Field::new("conclusion", "textarea", tr.t("check-conclusion"), f.get("conclusion")).required(),
    ];
    mark_errors(&tr, &mut [&mut action_fields, &mut complete_fields], errs);
    let (unchecked, without_action) = upravnik_core::compliance::completion_gaps(&c);
    let mut gaps = vec![];
    if !unchecked.is_empty() {
        gaps.push(tr.t1("check-gap-unchecked", "list", unchecked.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")));
    }
    if !without_action.is_empty() {
        gaps.push(tr.t1("check-gap-actions", "list", without_action.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")));
    }
    let facts = check_facts(&tr, &c);
    let page = CheckPage {
        id,
        facts,
        findings,
        actions,
        action_fields,
        complete_fields,
        gaps,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        open: !c.completed(),
        c: Chrome::new(st, ctx, "/security/checks", tr.t1("check-one", "year", c.year.to_string())).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

fn check_facts(tr: &Tr<'_>, c: &Check) -> Vec<(String, String)> {
    vec![
        (tr.t("check-year"), c.year.to_string()),
        (tr.t("check-kind"), tr.t(&format!("check-kind-{}", c.kind.as_str()))),
        (tr.t("check-law"), tr.t(&format!("law-{}", c.law.as_str()))),
        (tr.t("check-checked-by"), tr.d(&c.checked_by)),
        (tr.t("check-started"), date(&c.started_on)),
        (tr.t("check-completed"), c.completed_on.as_deref().map(date).unwrap_or_else(|| tr.t("check-in-progress"))),
        (tr.t("check-conclusion"), tr.d(&c.conclusion)),
    ]
}

pub async fn check(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> UiResult {
    check_page(&st, &ctx, &actor, id, None, &[], p.ok.as_deref()).await
}

pub async fn save_findings(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let c = st.services.compliance_check(&actor, id).await?;
    let r = st.services.save_findings(&actor, id, &finding_inputs(c.law, &f)).await;
    answer(
        r,
        &format!("/security/checks/{id}"),
        "saved",
        |errs| async move { check_page(&st, &ctx, &actor, id, Some(&f), &errs, None).await },
    )
    .await
}

pub async fn add_action(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = ActionInput { no: f.id("no"), action: f.get("action"), owner: f.get("owner"), due_on: f.get("due_on") };
    let r = st.services.add_corrective_action(&actor, id, &i).await;
    answer(
        r,
        &format!("/security/checks/{id}"),
        "created",
        |errs| async move { check_page(&st, &ctx, &actor, id, Some(&f), &errs, None).await },
    )
    .await
}

pub async fn complete(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let i = CompleteInput { completed_on: f.get("completed_on"), conclusion: f.get("conclusion") };
    let r = st.services.complete_check(&actor, id, &i).await;
    answer(
        r,
        &format!("/security/checks/{id}"),
        "saved",
        |errs| async move { check_page(&st, &ctx, &actor, id, Some(&f), &errs, None).await },
    )
    .await
}

pub async fn action_done(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let check_id = st
        .services
        .compliance_checks(&actor)
        .await?
        .iter()
        .find(|c| c.actions.iter().any(|a| a.id == id))
        .map(|c| c.id)
        .ok_or(Error::NotFound { what: "corrective action" })?;
    let r = st.services.close_corrective_action(&actor, id, &f.get("done_on"), &f.get("note")).await;
    answer(r, &format!("/security/checks/{check_id}"), "saved", |errs| async move {
        check_page(&st, &ctx, &actor, check_id, None, &errs, None).await
    })
    .await
}

/// `GET /security/checks/{id}/pdf`: the report of the check (čl. 12 st. 5), for signature.
pub async fn check_pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let (form, stem) = report_form(&st, &ctx, &actor, id).await?;
    Ok(crate::export::pdf(form, &stem).await)
}

/// The check's report as a printed form, with its file name.
pub async fn report_form(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64) -> Result<(upravnik_pdf::Form, String), Error> {
    let tr = ctx.tr(st);
    let c = st.services.compliance_check(actor, id).await?;
    let findings = catalogue(c.law)
        .iter()
        .map(|m| {
            let f = c.finding(m.no);
            vec![
                m.no.to_string(),
                measure_text(&tr, m),
                f.map(|f| tr.t(&format!("finding-{}", f.result.as_str()))).unwrap_or_else(|| "—".into()),
                f.map(|f| tr.d(&f.finding)).unwrap_or_default(),
            ]
        })
        .collect();
    let actions = c
        .actions
        .iter()
        .map(|a| {
            vec![
                a.no.map(|n| n.to_string()).unwrap_or_default(),
                tr.d(&a.action),
                tr.d(&a.owner),
                date(&a.due_on),
                a.done_on.as_deref().map(|d| format!("{} {}", tr.t("action-done"), date(d))).unwrap_or_else(|| tr.t("action-open")),
            ]
        })
        .collect();
    let mut facts = check_facts(&tr, &c);
    let conclusion = facts.pop().map(|(_, v)| v).unwrap_or_default();
    let signed_on = c.completed_on.as_deref().map(date).unwrap_or_default();
    let print = super::print_meta(st, ctx, vec![], vec![]).await;
    let form = upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t1("check-report-title", "year", c.year.to_string()),
        number: tr.t("check-report-basis"),
        sections: vec![
            upravnik_pdf::Section::Facts { heading: String::new(), items: facts },
            upravnik_pdf::Section::Table {
                heading: tr.t("check-findings"),
                headers: vec![tr.t("field-number"), tr.t("measure-measure"), tr.t("check-result"), tr.t("check-finding")],
                widths: vec![0.4, 4.0, 1.2, 3.0],
                rows: findings,
                size: 8.0,
            },
            upravnik_pdf::Section::Table {
                heading: tr.t("check-actions"),
                headers: vec![tr.t("action-measure"), tr.t("action-what"), tr.t("action-owner"), tr.t("action-due"), tr.t("field-status")],
                widths: vec![0.6, 3.0, 1.6, 1.0, 1.2],
                rows: actions,
                size: 9.0,
            },
            upravnik_pdf::Section::Text { heading: tr.t("check-conclusion"), text: conclusion },
        ],
        signatures: vec![
            upravnik_pdf::Signature { role: tr.t("check-checked-by"), name: tr.d(&c.checked_by), date: signed_on.clone() },
            upravnik_pdf::Signature { role: tr.t("sign-head-of-administration"), name: String::new(), date: signed_on },
        ],
        footer: print.footer,
    };
    Ok((form, format!("provera-uskladjenosti-{}", c.year)))
}

/// A proposal as the page lists it.
pub struct ProposalRow {
    pub id: i64,
    pub when: String,
    pub title: String,
    pub reason: String,
    pub estimate: String,
    pub by: String,
    pub state: String,
    pub class: &'static str,
    pub reference: String,
    /// (link, label or inventory number, kind and model)
    pub delivered: Vec<(String, String, String)>,
    pub proposed: bool,
    pub approved: bool,
}

#[derive(Template)]
#[template(path = "procurement.html")]
pub struct ProcurementPage<'a> {
    pub c: Chrome<'a>,
    pub rows: Vec<ProposalRow>,
    pub fields: Vec<Field>,
    pub errors: Vec<String>,
    pub can_write: bool,
    pub can_decide: bool,
}

async fn procurement_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    f: &FormData,
    errs: &[upravnik_core::FieldError],
    ok: Option<&str>,
) -> UiResult {
    let tr = ctx.tr(st);
    let rows = st
        .services
        .proposals(actor)
        .await?
        .into_iter()
        .map(|v| {
            let p = v.proposal;
            let state = match p.state {
                ProposalState::Approved => tr.ta(
                    "proposal-approved-by-act",
                    &[("number", p.act_number.clone()), ("date", p.act_date.as_deref().map(date).unwrap_or_default())],
                ),
                ProposalState::Rejected => format!("{}: {}", tr.t("proposal-state-rejected"), tr.d(&p.decision_note)),
                ProposalState::Proposed => tr.t("proposal-state-proposed"),
            };
            ProposalRow {
                id: p.id,
                when: format_local(p.proposed_us),
                title: tr.d(&p.title),
                reason: tr.d(&p.reason),
                estimate: format!("{} {}", upravnik_core::asset::format_price(p.estimate_para), tr.t("currency")),
                by: tr.d(&p.proposed_by),
                state,
                class: match p.state {
                    ProposalState::Approved => "ok",
                    ProposalState::Rejected => "muted",
                    ProposalState::Proposed => "warn",
                },
                reference: p.procurement_ref.clone(),
                delivered: v
                    .delivered
                    .iter()
                    .map(|(id, name, kind, model)| {
                        (format!("/assets/{id}"), name.clone(), format!("{} {}", tr.t(&format!("kind-{kind}")), tr.d(model)))
                    })
                    .collect(),
                proposed: p.state == ProposalState::Proposed,
                approved: p.state == ProposalState::Approved,
            }
        })
        .collect();
    let mut fields = vec![
        Field::new("title", "text", tr.t("proposal-title-field"), f.get("title")).required(),
        Field::new("reason", "textarea", tr.t("proposal-reason"), f.get("reason")).required(),
        Field::new("estimate", "text", tr.t("proposal-estimate"), f.get("estimate")).required().hint(tr.t("hint-price")),
    ];
    mark_errors(&tr, &mut [&mut fields], errs);
    let page = ProcurementPage {
        rows,
        fields,
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        can_write: actor.can(Permission::WorklogWrite),
        can_decide: actor.can(Permission::ApproveProcurement),
        c: Chrome::new(st, ctx, "/procurement", tr.t("proposal-title")).flash(ok),
    };
    Ok(render_form(&page, !errs.is_empty()))
}

/// `GET /procurement`: proposals, decisions by act, procurement references, deliveries (R.21).
pub async fn procurement(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    procurement_page(&st, &ctx, &actor, &FormData(vec![]), &[], p.ok.as_deref()).await
}

pub async fn propose(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let i = ProposalInput { title: f.get("title"), reason: f.get("reason"), estimate: f.get("estimate") };
    let r = st.services.propose_procurement(&actor, &i).await;
    answer(r, "/procurement", "created", |errs| async move { procurement_page(&st, &ctx, &actor, &f, &errs, None).await }).await
}

pub async fn decide(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let i =
        DecisionInput { decision: f.get("decision"), act_number: f.get("act_number"), act_date: f.get("act_date"), note: f.get("note") };
    let r = st.services.decide_proposal(&actor, id, &i).await;
    answer(r, "/procurement", "saved", |errs| async move { procurement_page(&st, &ctx, &actor, &FormData(vec![]), &errs, None).await })
        .await
}

pub async fn set_reference(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let r = st.services.set_procurement_ref(&actor, id, &f.get("procurement_ref")).await;
    answer(r, "/procurement", "saved", |errs| async move { procurement_page(&st, &ctx, &actor, &FormData(vec![]), &errs, None).await })
        .await
}

/// `GET /security/processing`: the records of processing activities as they stand.
pub async fn processing(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let q = upravnik_core::text::search_key(&p.q);
    let rows = st
        .services
        .processing_records(&actor)
        .await?
        .into_iter()
        .filter(|s| {
            let r = &s.current;
            upravnik_core::text::search_key(&format!("{} {} {} {}", r.name, r.system, r.purpose, r.data_kinds)).contains(&q)
        })
        .map(|s| {
            let r = s.current;
            let href = format!("/security/processing/{}", r.record_no);
            vec![
                Cell::link(r.record_no.to_string(), href.clone()),
                Cell::link(tr.d(&r.name), href),
                Cell::text(tr.d(&r.system)),
                Cell::text(tr.d(&r.purpose)),
                Cell::text(tr.d(&r.data_kinds)),
                Cell::text(tr.d(&r.retention)),
                match &r.ended_on {
                    Some(d) => Cell { text: tr.t1("proc-ended-on", "date", date(d)), href: None, class: Some("muted") },
                    None => Cell { text: tr.t("proc-active"), href: None, class: Some("ok") },
                },
                Cell::text(format!("{} ({})", s.versions, format_local(r.changed_us))),
            ]
        })
        .collect::<Vec<_>>();
    let cols = vec![
        (tr.t("field-number"), None),
        (tr.t("proc-name"), None),
        (tr.t("proc-system"), None),
        (tr.t("proc-purpose"), None),
        (tr.t("proc-data_kinds"), None),
        (tr.t("proc-retention"), None),
        (tr.t("field-status"), None),
        (tr.t("proc-versions"), None),
    ];
    let (page, rows) = super::internet::page_of(rows, &p);
    let mut v = ListView::build(&tr, "/security/processing", &p, &page, cols, rows, tr.t("proc-none"));
    if actor.can(Permission::WorklogWrite) {
        v.new_action = Some(("/security/processing/new".into(), tr.t("proc-new")));
    }
    Ok(list_or_export(&st, &ctx, "/security/processing", tr.t("proc-title"), &p, v).await)
}

fn record_fields(tr: &Tr<'_>, f: &FormData, new: bool) -> Vec<Field> {
    let optional = ["legal_basis", "transfers"];
    let mut fields: Vec<Field> = FIELDS
        .iter()
        .map(|name| {
            let kind = if matches!(*name, "name" | "system") { "text" } else { "textarea" };
            let field = Field::new(name, kind, tr.t(&format!("proc-{name}")), f.get(name));
            let field = if optional.contains(name) { field } else { field.required() };
            match *name {
                "controller" => field.hint(tr.t("hint-proc-controller")),
                "transfers" => field.hint(tr.t("hint-proc-transfers")),
                _ => field,
            }
        })
        .collect();
    if let Some(first) = fields.first_mut() {
        first.autofocus = true;
    }
    fields.push(Field::new("ended_on", "text", tr.t("proc-ended_on"), f.get("ended_on")).hint(tr.t("hint-proc-ended")));
    let note = Field::new("change_note", "text", tr.t("proc-change_note"), f.get("change_note"));
    fields.push(if new { note } else { note.required() });
    fields.push(Field::new("base_version", "hidden", String::new(), f.get("base_version")));
    fields
}

fn record_input(f: &FormData) -> RecordInput {
    RecordInput {
        name: f.get("name"),
        system: f.get("system"),
        controller: f.get("controller"),
        purpose: f.get("purpose"),
        legal_basis: f.get("legal_basis"),
        subjects: f.get("subjects"),
        data_kinds: f.get("data_kinds"),
        recipients: f.get("recipients"),
        transfers: f.get("transfers"),
        retention: f.get("retention"),
        safeguards: f.get("safeguards"),
        ended_on: f.get("ended_on"),
        change_note: f.get("change_note"),
        base_version: f.id("base_version"),
    }
}

fn record_form(st: &AppState, ctx: &Ctx, no: Option<i64>, f: &FormData, errs: &[upravnik_core::FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let (action, title, cancel) = match no {
        Some(n) => (format!("/security/processing/{n}"), tr.t1("proc-change", "no", n), format!("/security/processing/{n}")),
        None => ("/security/processing".to_string(), tr.t("proc-new"), "/security/processing".to_string()),
    };
    let mut v = FormView::new(action.clone(), tr.t("save"), record_fields(&tr, f, no.is_none())).with_errors(&tr, errs);
    v.cancel_href = Some(cancel);
    v.intro = Some(tr.t("proc-intro"));
    Ok(form_page(Chrome::new(st, ctx, "/security/processing", title), v))
}

pub async fn processing_new(State(st): State<AppState>, ctx: Ctx, Signed(_): Signed) -> UiResult {
    record_form(&st, &ctx, None, &FormData(vec![]), &[])
}

pub async fn processing_create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    match st.services.save_processing_record(&actor, None, &record_input(&f)).await {
        Ok((no, _)) => Ok(done(&format!("/security/processing/{no}"), "created")),
        Err(Error::Invalid(errs)) => record_form(&st, &ctx, None, &f, &errs),
        Err(e) => Err(e.into()),
    }
}

fn as_form(r: &ProcessingRecord) -> FormData {
    let mut v: Vec<(String, String)> = FIELDS.iter().map(|n| (n.to_string(), r.field(n).to_string())).collect();
    v.push(("ended_on".into(), r.ended_on.as_deref().map(date).unwrap_or_default()));
    v.push(("base_version".into(), r.version.to_string()));
    FormData(v)
}

pub async fn processing_edit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(no): Path<i64>) -> UiResult {
    let versions = st.services.processing_record(&actor, no).await?;
    let last = versions.last().ok_or(Error::NotFound { what: "processing record" })?;
    record_form(&st, &ctx, Some(no), &as_form(last), &[])
}

pub async fn processing_update(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(no): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    match st.services.save_processing_record(&actor, Some(no), &record_input(&f)).await {
        Ok(_) => Ok(done(&format!("/security/processing/{no}"), "saved")),
        Err(Error::Invalid(errs)) => record_form(&st, &ctx, Some(no), &f, &errs),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "processing_record.html")]
pub struct RecordPage<'a> {
    pub c: Chrome<'a>,
    pub no: i64,
    pub version: i64,
    pub latest: bool,
    pub facts: Vec<(String, String)>,
    /// (version, when, who, note, changed fields, link)
    pub versions: Vec<Vec<Cell>>,
    pub can_write: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct VersionParam {
    #[serde(default)]
    pub v: Option<i64>,
    #[serde(default)]
    pub ok: Option<String>,
}

/// `GET /security/processing/{no}`: the record as it stands (or an older version, `?v=`), with
/// every version and what each changed.
pub async fn processing_record(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(no): Path<i64>,
    Query(p): Query<VersionParam>,
) -> UiResult {
    let tr = ctx.tr(&st);
    let all = st.services.processing_record(&actor, no).await?;
    let last = all.last().map(|r| r.version).unwrap_or(1);
    let shown =
        p.v.and_then(|v| all.iter().find(|r| r.version == v)).or(all.last()).ok_or(Error::NotFound { what: "processing record" })?;
    let mut facts: Vec<(String, String)> = FIELDS
        .iter()
        .map(|n| (tr.t(&format!("proc-{n}")), if shown.field(n).is_empty() { "—".into() } else { tr.d(shown.field(n)) }))
        .collect();
    facts.push((tr.t("proc-ended_on"), shown.ended_on.as_deref().map(date).unwrap_or_else(|| tr.t("proc-active"))));
    let versions = all
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| {
            let changed = if i == 0 {
                tr.t("proc-first-version")
            } else {
                r.changed_from(&all[i - 1]).iter().map(|f| tr.t(&format!("proc-{f}"))).collect::<Vec<_>>().join(", ")
            };
            vec![
                Cell::link(r.version.to_string(), format!("/security/processing/{no}?v={}", r.version)),
                Cell::text(format_local(r.changed_us)),
                Cell::text(tr.d(&r.changed_by)),
                Cell::text(tr.d(&r.change_note)),
                Cell::text(changed),
            ]
        })
        .collect();
    let page = RecordPage {
        no,
        version: shown.version,
        latest: shown.version == last,
        facts,
        versions,
        can_write: actor.can(Permission::WorklogWrite),
        c: Chrome::new(&st, &ctx, "/security/processing", tr.d(&shown.name)).flash(p.ok.as_deref()),
    };
    Ok(super::layout::render(&page))
}
