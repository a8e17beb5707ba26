//! Fault report pages (Пријаве кварова, R.52–R.53): the list with filters, the employee's short
//! form and the administrator's quick form for a phone call, a report's page with its timeline,
//! the moves allowed now as buttons and the comment form, and a printable view.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::format_local;
use upravnik_core::helpdesk::{
    Channel, CommentInput, LateFilter, Minutes, Priority, Report, ReportCategory, ReportInput, ReportQuery, ReportSort, ReportState,
    TransitionInput, is_reopen,
};
use upravnik_core::service::Services;
use upravnik_core::sla::TargetState;
use upravnik_core::{Error, FieldError};

use super::layout::{Chrome, render, render_form};
use super::org::list_or_export;
use super::view::{Cell, Field, FormView, ListParams, ListView, Opt, options};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub fn state_name(tr: &Tr<'_>, s: ReportState) -> String {
    tr.t(&format!("report-state-{}", s.as_str()))
}

fn priority_name(tr: &Tr<'_>, p: Priority) -> String {
    tr.t(&format!("report-priority-{}", p.as_str()))
}

fn category_name(tr: &Tr<'_>, c: ReportCategory) -> String {
    tr.t(&format!("report-category-{}", c.as_str()))
}

fn channel_name(tr: &Tr<'_>, c: Channel) -> String {
    tr.t(&format!("report-channel-{}", c.as_str()))
}

/// Status in words and colour (UI.md): open work stands out, finished work is muted.
fn state_class(s: ReportState) -> &'static str {
    match s {
        ReportState::New => "error",
        ReportState::Resolved | ReportState::Closed => "muted",
        _ => "ok",
    }
}

fn select<T: Copy + PartialEq>(
    all: &[T],
    chosen: Option<T>,
    value: fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    empty: String,
) -> Vec<Opt> {
    let mut v = vec![Opt { value: String::new(), label: empty, selected: chosen.is_none() }];
    v.extend(all.iter().map(|x| Opt { value: value(*x).into(), label: label(*x), selected: chosen == Some(*x) }));
    v
}

pub fn target_name(tr: &Tr<'_>, s: TargetState) -> String {
    tr.t(match s {
        TargetState::Met => "target-met",
        TargetState::Running => "target-running",
        TargetState::Late => "target-late",
        TargetState::Missed => "target-missed",
    })
}

/// Late work stands out in red, a missed target in amber, a met one in green.
pub fn target_class(s: TargetState) -> Option<&'static str> {
    match s {
        TargetState::Late => Some("error"),
        TargetState::Missed => Some("warn"),
        TargetState::Met => Some("ok"),
        TargetState::Running => None,
    }
}

/// A row of the list and of the home page.
fn row(tr: &Tr<'_>, r: &Report, now: i64) -> Vec<Cell> {
    let target = r.target_summary(now);
    let due = r.resolution_due_us.map(format_local).unwrap_or_default();
    vec![
        Cell::link(tr.d(&r.number), format!("/reports/{}", r.id)),
        Cell::text(tr.d(&r.title)),
        Cell::text(tr.d(&r.reporter_name)),
        Cell::text(tr.d(r.asset_label.as_deref().unwrap_or(""))),
        Cell::text(priority_name(tr, r.priority)),
        Cell { text: state_name(tr, r.state), href: None, class: Some(state_class(r.state)) },
        Cell::text(tr.d(r.assignee_name.as_deref().unwrap_or(""))),
        Cell::text(format_local(r.created_us)),
        Cell { text: format!("{} · {due}", target_name(tr, target)), href: None, class: target_class(target) },
    ]
}

fn columns(tr: &Tr<'_>) -> Vec<(String, Option<&'static str>)> {
    vec![
        (tr.t("field-report-number"), Some("created")),
        (tr.t("field-report-title"), None),
        (tr.t("field-reporter"), None),
        (tr.t("field-report-asset"), None),
        (tr.t("field-priority"), Some("priority")),
        (tr.t("field-status"), Some("state")),
        (tr.t("field-assignee"), None),
        (tr.t("field-reported-at"), Some("updated")),
        (tr.t("field-target"), Some("due")),
    ]
}

/// The list: search in either script; state (`status`), priority, assignee and "mine" filters;
/// sort; pages; export. Employees see theirs, heads of unit their unit's, the IT department all.
pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let mine = p.mine.as_deref() == Some("1");
    let me = mine.then_some(actor.user_id);
    let (state, priority, assignee) = crate::api::reports::filters(p.status.as_deref(), p.priority.as_deref(), p.assignee.as_deref(), me)?;
    let late = crate::api::reports::late_filter(p.late.as_deref())?;
    let q = ReportQuery {
        q: Some(p.q.clone()).filter(|s| !s.trim().is_empty()),
        late,
        state,
        priority,
        assignee,
        sort: ReportSort::parse(&p.sort),
        desc: p.desc == Some(1),
        page: p.page.unwrap_or(1).max(1),
        per_page: if p.format.is_some() { 500 } else { 50 },
        ..Default::default()
    };
    let page = st.services.reports(&actor, &q).await?;
    let now = st.services.clock.now_us();
    let rows = page.items.iter().map(|r| row(&tr, r, now)).collect();
    let empty = if actor.can(Permission::HelpdeskWrite) { tr.t("reports-empty-admin") } else { tr.t("reports-empty") };
    let mut v = ListView::build(&tr, "/reports", &p, &page, columns(&tr), rows, empty);
    v.inactive_filter = false;
    let status = p.status.as_deref().unwrap_or("");
    let mut states = vec![
        Opt { value: String::new(), label: tr.t("all"), selected: status.is_empty() },
        Opt { value: "open".into(), label: tr.t("reports-open"), selected: status == "open" },
    ];
    states.extend(ReportState::ALL.iter().map(|s| Opt {
        value: s.as_str().into(),
        label: state_name(&tr, *s),
        selected: status == s.as_str(),
    }));
    v.filters.push(Field::select("status", tr.t("field-status"), states));
    v.filters.push(Field::select(
        "priority",
        tr.t("field-priority"),
        select(Priority::ALL, priority, Priority::as_str, |x| priority_name(&tr, x), tr.t("all")),
    ));
    v.filters.push(Field::select(
        "late",
        tr.t("field-late"),
        select(
            &[LateFilter::Any, LateFilter::Response, LateFilter::Resolution],
            late,
            LateFilter::as_str,
            |x| tr.t(&format!("reports-late-{}", x.as_str())),
            tr.t("all"),
        ),
    ));
    if actor.can(Permission::HelpdeskRead) {
        v.more_actions.push(("/reports/stats".into(), tr.t("stats-title")));
    }
    if actor.can(Permission::HelpdeskWrite) {
        v.more_actions.push(("/reports/settings".into(), tr.t("sla-settings-title")));
        v.more_actions.push(("/reports/mail".into(), tr.t("report-mail-link")));
        let chosen = p.assignee.clone().unwrap_or_default();
        let mut who = vec![
            Opt { value: String::new(), label: tr.t("all"), selected: chosen.is_empty() },
            Opt { value: "none".into(), label: tr.t("reports-unassigned"), selected: chosen == "none" },
        ];
        for a in st.services.report_assignees(&actor).await? {
            who.push(Opt { value: a.user_id.to_string(), label: tr.d(&a.full_name), selected: chosen == a.user_id.to_string() });
        }
        v.filters.push(Field::select("assignee", tr.t("field-assignee"), who));
        v.filters.push(Field::new("mine", "checkbox", tr.t("reports-mine"), if mine { "1" } else { "" }));
    }
    if actor.can(Permission::HelpdeskReport) {
        v.new_action = Some(("/reports/new".into(), tr.t("reports-new")));
    }
    Ok(list_or_export(&st, &ctx, "/reports", tr.t("nav-faults"), &p, v).await)
}

/// The employee's form knows the reporter and lists their equipment; the administrator's is
/// made for a phone call: the person, the title, and the rest only if needed.
async fn new_page(st: &AppState, ctx: &Ctx, actor: &Actor, f: &FormData, errs: &[FieldError]) -> UiResult {
    let tr = ctx.tr(st);
    let admin = actor.can(Permission::HelpdeskWrite);
    let mut fields = vec![];
    if admin {
        let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
        q.per_page = 500;
        q.q = Some(f.get("who")).filter(|s| !s.trim().is_empty());
        let people = st.services.people(actor, &q).await?;
        let me = tr.ta("reports-me", &[("name", tr.d(&actor.full_name))]);
        // One person found: they are the one calling.
        let only = (q.q.is_some() && people.items.len() == 1).then(|| people.items.first().map(|p| p.id)).flatten();
        let chosen = f.id("reporter_id").or(only);
        fields.push(
            Field::select(
                "reporter_id",
                tr.t("field-reporter"),
                options(Some(me), people.items.iter().map(|p| (p.id, tr.d(&format!("{} {}", p.family_name, p.given_name)))), chosen),
            )
            .hint(tr.t("hint-reporter")),
        );
        let channel = Channel::parse(&f.get("channel")).unwrap_or(Channel::Phone);
        fields.push(Field::select(
            "channel",
            tr.t("field-channel"),
            Channel::ALL.iter().map(|c| Opt { value: c.as_str().into(), label: channel_name(&tr, *c), selected: *c == channel }).collect(),
        ));
    }
    let mut title = Field::new("title", "text", tr.t("field-report-title"), f.get("title")).required().hint(tr.t("hint-report-title"));
    if !admin || !f.get("who").trim().is_empty() {
        title = title.autofocus();
    }
    fields.push(title);
    if admin {
        fields.push(Field::new("asset", "text", tr.t("field-report-asset"), f.get("asset")).hint(tr.t("hint-report-asset-admin")));
        let priority = Priority::parse(&f.get("priority")).unwrap_or(Priority::Normal);
        fields.push(Field::select(
            "priority",
            tr.t("field-priority"),
            Priority::ALL
                .iter()
                .map(|p| Opt { value: p.as_str().into(), label: priority_name(&tr, *p), selected: *p == priority })
                .collect(),
        ));
    } else {
        let mine = st.services.reportable_assets(actor, actor.person_id).await?;
        let label = |a: &upravnik_core::asset::Asset| {
            let make = tr.d(format!("{} {}", a.fields.manufacturer, a.fields.model).trim());
            format!("{} — {make}", a.fields.inventory_number)
        };
        fields.push(
            Field::select(
                "asset_id",
                tr.t("field-report-asset"),
                options(Some(tr.t("reports-no-asset")), mine.iter().map(|a| (a.id, label(a))), f.id("asset_id")),
            )
            .hint(tr.t("hint-report-asset")),
        );
    }
    let category = ReportCategory::parse(&f.get("category"));
    fields.push(Field::select(
        "category",
        tr.t("field-report-category"),
        select(ReportCategory::ALL, category, ReportCategory::as_str, |x| category_name(&tr, x), String::new()),
    ));
    fields
        .push(Field::new("description", "textarea", tr.t("field-description"), f.get("description")).hint(tr.t("hint-report-description")));
    let mut v = FormView::new("/reports", tr.t("reports-send"), fields).with_errors(&tr, errs);
    v.cancel_href = Some("/reports".into());
    let title = if admin { tr.t("reports-new-admin") } else { tr.t("reports-new") };
    let status = if v.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // The person search narrows the select without a script (UI.md: every page works without JS).
    let page = NewReportPage { c: Chrome::new(st, ctx, "/reports/new", title), v, search: admin.then(|| f.get("who")) };
    Ok((status, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "report_new.html")]
pub struct NewReportPage<'a> {
    pub c: Chrome<'a>,
    pub v: FormView,
    /// The administrator's person search, with what was typed.
    pub search: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct NewParams {
    #[serde(default)]
    who: String,
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<NewParams>) -> UiResult {
    new_page(&st, &ctx, &actor, &FormData(vec![("who".into(), p.who)]), &[]).await
}

/// An inventory number (or label) typed by an administrator, as the asset's id.
async fn asset_by_number(s: &Services, actor: &Actor, typed: &str) -> Result<Option<i64>, Error> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let q = upravnik_core::asset::AssetQuery { q: Some(typed.into()), page: 1, per_page: 20, ..Default::default() };
    let found = s.assets(actor, &q).await?;
    let key = upravnik_core::text::search_key(typed);
    let exact = found.items.iter().find(|a| upravnik_core::text::search_key(&a.fields.inventory_number) == key);
    match (exact, found.items.len()) {
        (Some(a), _) => Ok(Some(a.id)),
        (None, 1) => Ok(found.items.first().map(|a| a.id)),
        _ => Err(Error::invalid("asset", "err-report-asset-unknown")),
    }
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let asset_id = if actor.can(Permission::HelpdeskWrite) {
        match asset_by_number(&st.services, &actor, &f.get("asset")).await {
            Ok(a) => a,
            Err(Error::Invalid(errs)) => return new_page(&st, &ctx, &actor, &f, &errs).await,
            Err(e) => return Err(e.into()),
        }
    } else {
        f.id("asset_id")
    };
    let input = ReportInput {
        reporter_id: f.id("reporter_id"),
        asset_id,
        channel: f.get("channel"),
        title: f.get("title"),
        description: f.get("description"),
        category: f.get("category"),
        priority: f.get("priority"),
    };
    match st.services.create_report(&actor, &input).await {
        Ok(r) => Ok(done(&format!("/reports/{}", r.id), "created")),
        Err(Error::Invalid(errs)) => new_page(&st, &ctx, &actor, &f, &errs).await,
        Err(e) => Err(e.into()),
    }
}

/// One entry of the timeline: a step or a comment.
pub struct Event {
    pub when: String,
    pub who: String,
    pub text: String,
    /// "step", "comment" or "internal".
    pub kind: &'static str,
    pub minutes: i64,
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage<'a> {
    pub c: Chrome<'a>,
    pub id: i64,
    pub status: (String, &'static str),
    pub facts: Vec<(String, String, Option<String>)>,
    pub description: String,
    pub events: Vec<Event>,
    /// (state, label) of the moves allowed now.
    pub moves: Vec<(String, String)>,
    /// Administrators: a move takes a note and minutes.
    pub admin: bool,
    pub can_take: bool,
    /// (account id, name) for a reassignment.
    pub assignees: Vec<(i64, String, bool)>,
    pub can_reassign: bool,
    /// (value, label, current) for administrators: a new priority computes new deadlines.
    pub priorities: Vec<(String, String, bool)>,
    pub can_comment: bool,
    pub errors: Vec<String>,
    pub printing: bool,
    pub office: String,
    /// The report's documents: (text, PDF link, scan link).
    pub docs: Vec<(String, Option<String>, Option<String>)>,
    /// "Потребан радни налог" (R.52.3, R.53).
    pub need_order: bool,
    /// (href, label) of the document forms the state allows.
    pub doc_links: Vec<(String, String)>,
    /// (kind, label) for "work done" (R.53); empty when it cannot be recorded.
    pub work_kinds: Vec<(String, String)>,
    /// (name and size, link) of the files that came by e-mail.
    pub attachments: Vec<(String, String)>,
    /// (link, title) of the knowledge-base articles linked to the report.
    pub kb_linked: Vec<(String, String)>,
    /// (id, link, title) of articles that fit the report, for an administrator to link.
    pub kb_offered: Vec<(i64, String, String)>,
}

async fn report_page(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, errs: &[FieldError], printing: bool, ok: Option<&str>) -> UiResult {
    let tr = ctx.tr(st);
    let d = st.services.report_detail(actor, id).await?;
    let r = &d.report;
    let asset_href = r.asset_id.filter(|_| actor.can(Permission::AssetsRead)).map(|a| format!("/assets/{a}"));
    let dash = |s: Option<String>| s.filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());
    let mut facts = vec![
        (tr.t("field-reporter"), tr.d(&r.reporter_name), None),
        (tr.t("field-report-asset"), dash(r.asset_label.as_deref().map(|s| tr.d(s))), asset_href),
        (tr.t("field-report-category"), category_name(&tr, r.category), None),
        (tr.t("field-priority"), priority_name(&tr, r.priority), None),
        (tr.t("field-channel"), channel_name(&tr, r.channel), None),
        (tr.t("field-assignee"), dash(r.assignee_name.as_deref().map(|s| tr.d(s))), None),
        (tr.t("field-reported-at"), format!("{} · {}", format_local(r.created_us), tr.d(&r.recorded_by)), None),
    ];
    let now = st.services.clock.now_us();
    let due = |d: Option<i64>, state: TargetState| match d {
        Some(d) => format!("{} · {}", format_local(d), target_name(&tr, state)),
        None => "—".into(),
    };
    facts.push((tr.t("field-response-due"), due(r.response_due_us, r.response_state(now)), None));
    facts.push((tr.t("field-resolution-due"), due(r.resolution_due_us, r.resolution_state(now)), None));
    if let Some(t) = r.first_response_us {
        facts.push((tr.t("field-first-response"), format_local(t), None));
    }
    if let Some(t) = r.resolved_us {
        facts.push((tr.t("field-resolved-at"), format_local(t), None));
    }
    if r.minutes > 0 {
        facts.push((tr.t("field-minutes-total"), tr.t1("minutes", "count", r.minutes), None));
    }
    let mut events: Vec<(i64, i64, Event)> = vec![];
    for s in &d.steps {
        let mut text = match s.from {
            None => tr.t("report-event-created"),
            Some(f) if f == s.to => tr.t("report-event-reassigned"),
            Some(f) if is_reopen(f, s.to) => tr.t("report-event-reopened"),
            Some(f) => format!("{} → {}", state_name(&tr, f), state_name(&tr, s.to)),
        };
        if let Some(n) = &s.assignee_name
            && s.from.is_some_and(|f| f == ReportState::New || f == s.to)
        {
            text.push_str(&format!(" · {}: {}", tr.t("field-assignee"), tr.d(n)));
        }
        if !s.note.is_empty() {
            text.push_str(&format!(" — {}", tr.d(&s.note)));
        }
        events.push((s.at_us, 0, Event { when: format_local(s.at_us), who: tr.d(&s.actor_name), text, kind: "step", minutes: s.minutes }));
    }
    for c in &d.comments {
        let kind = if c.public { "comment" } else { "internal" };
        events.push((
            c.at_us,
            1,
            Event { when: format_local(c.at_us), who: tr.d(&c.actor_name), text: c.body.clone(), kind, minutes: c.minutes },
        ));
    }
    events.sort_by_key(|(at, order, _)| (*at, *order));
    let admin = actor.can(Permission::HelpdeskWrite);
    let forms = if Services::may_read_forms(actor, r) { Some(st.services.report_forms(actor, id).await?) } else { None };
    // Instructions from the knowledge base (R.47–R.51): those linked, and for an administrator
    // those that fit the report's words.
    let linked = st.services.report_articles(actor, id).await?;
    let kb_offered: Vec<(i64, String, String)> = if actor.can(Permission::HelpdeskWrite) && !printing {
        st.services
            .kb_suggest(actor, &format!("{} {}", r.title, r.description))
            .await?
            .into_iter()
            .filter(|a| !linked.iter().any(|l| l.id == a.id))
            .map(|a| (a.id, a.url, tr.d(&a.title)))
            .collect()
    } else {
        vec![]
    };
    let open_handover = forms.as_ref().is_some_and(|f| f.handovers.iter().any(|h| !h.returned));
    let mut docs = vec![];
    let mut doc_links = vec![];
    let mut work_kinds = vec![];
    if let Some(f) = &forms {
        use super::report_forms::kind_name;
        for w in &f.work_orders {
            docs.push((
                format!("{} {} · {} · {}", tr.t("work-order-title"), w.number, kind_name(&tr, w.kind), tr.d(&w.work)),
                Some(format!("/reports/{id}/work-orders/{}/pdf", w.id)),
                None,
            ));
        }
        for h in &f.handovers {
            docs.push((
                format!("{} {} · {}", tr.t("handover-title"), h.number, tr.d(&h.service_name)),
                Some(format!("/reports/{id}/handovers/{}/pdf", h.id)),
                None,
            ));
        }
        for sh in &f.service_sheets {
            let mut text = format!("{} · {} · {}", tr.t("sheet-title"), tr.d(&sh.servicer), tr.d(&sh.repair_done));
            if sh.warranty_months > 0 {
                text.push_str(&format!(" · {}", tr.t1("sheet-warranty", "months", sh.warranty_months)));
                if let Some(d) = upravnik_core::clock::parse_date(&sh.warranty_until) {
                    text.push_str(&format!(" ({})", upravnik_core::clock::format_date(d)));
                }
            }
            docs.push((text, None, sh.scan_name.as_ref().map(|_| format!("/reports/{id}/service-sheets/{}/scan", sh.id))));
        }
        let writable = admin && !matches!(r.state, ReportState::New | ReportState::Closed);
        if writable {
            doc_links.push((format!("/reports/{id}/work-orders/new"), tr.t("work-order-new")));
            if upravnik_core::helpdesk::admin_moves(r.state).contains(&ReportState::AtService) {
                doc_links.push((format!("/reports/{id}/handovers/new"), tr.t("handover-new")));
            }
            if r.state == ReportState::AtService {
                doc_links.push((format!("/reports/{id}/service-sheets/new"), tr.t("sheet-new")));
            }
            work_kinds = upravnik_core::report_forms::WorkKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), super::report_forms::kind_name(&tr, *k)))
                .collect();
        }
    }
    let moves = st
        .services
        .report_moves(actor, r)
        .into_iter()
        // R.52.4: the device goes to a service through its hand-over record.
        .filter(|to| *to != ReportState::AtService || open_handover)
        .map(|to| {
            let key = if is_reopen(r.state, to) { "report-move-reopen".to_string() } else { format!("report-move-{}", to.as_str()) };
            (to.as_str().to_string(), tr.t(&key))
        })
        .collect();
    let priorities = if admin {
        Priority::ALL.iter().map(|p| (p.as_str().to_string(), priority_name(&tr, *p), *p == r.priority)).collect()
    } else {
        vec![]
    };
    let assignees = if admin {
        st.services
            .report_assignees(actor)
            .await?
            .into_iter()
            .map(|a| (a.user_id, tr.d(&a.full_name), Some(a.user_id) == r.assignee_id))
            .collect()
    } else {
        vec![]
    };
    let reporter = r.reporter_id == actor.person_id && actor.can(Permission::HelpdeskReport);
    let page = ReportPage {
        c: Chrome::new(st, ctx, &format!("/reports/{id}"), format!("{} · {}", tr.d(&r.number), tr.d(&r.title))).flash(ok),
        id,
        status: (state_name(&tr, r.state), state_class(r.state)),
        facts,
        description: r.description.clone(),
        events: events.into_iter().map(|(_, _, e)| e).collect(),
        moves,
        admin,
        can_take: admin && r.state.is_open() && r.assignee_id != Some(actor.user_id),
        assignees,
        can_reassign: admin && upravnik_core::helpdesk::can_reassign(r.state),
        priorities,
        can_comment: admin || (reporter && r.state != ReportState::Closed),
        errors: errs.iter().map(|e| tr.t(e.message)).collect(),
        printing,
        office: ctx.offices.iter().find(|o| o.id == actor.office_id).map(|o| tr.d(&o.name)).unwrap_or_default(),
        need_order: forms.as_ref().is_some_and(|f| f.work_order_required),
        docs,
        attachments: st
            .services
            .report_attachments(actor, id)
            .await?
            .into_iter()
            .map(|a| (format!("{} ({} KB)", a.name, (a.size + 1023) / 1024), format!("/reports/{id}/attachments/{}", a.id)))
            .collect(),
        kb_linked: linked.iter().map(|a| (format!("/kb/{}", a.id), tr.d(&a.title))).collect(),
        kb_offered,
        doc_links,
        work_kinds,
    };
    Ok(render_form(&page, !errs.is_empty()))
}

#[derive(serde::Deserialize, Default)]
pub struct OkParam {
    #[serde(default)]
    pub(crate) ok: Option<String>,
}

pub async fn show(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Query(p): Query<OkParam>) -> UiResult {
    report_page(&st, &ctx, &actor, id, &[], false, p.ok.as_deref()).await
}

/// The report on paper: the same facts and timeline without buttons (`@media print`).
pub async fn print(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    report_page(&st, &ctx, &actor, id, &[], true, None).await
}

/// Refusals of a document's step are shown on the report's page too.
pub async fn after_change(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, r: Result<(), Error>) -> UiResult {
    after(st, ctx, actor, id, r).await
}

/// Refusals of a step or a comment are shown on the report's page, not as an error page.
async fn after(st: &AppState, ctx: &Ctx, actor: &Actor, id: i64, r: Result<(), Error>) -> UiResult {
    match r {
        Ok(()) => Ok(done(&format!("/reports/{id}"), "saved")),
        Err(Error::Invalid(errs)) => report_page(st, ctx, actor, id, &errs, false, None).await,
        Err(Error::Conflict { code: "report_changed" | "asset_changed", .. }) => {
            report_page(st, ctx, actor, id, &[FieldError::new("to", "err-report-changed")], false, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn transition(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let input =
        TransitionInput { to: f.get("to"), assignee_id: f.id("assignee_id"), note: f.get("note"), minutes: Minutes(f.get("minutes")) };
    let r = st.services.move_report(&actor, id, &input).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

/// A new priority; the deadlines follow (issue 5).
pub async fn priority(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let r = st.services.set_report_priority(&actor, id, &f.get("priority")).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

/// `POST /reports/{id}/kb`: links a knowledge-base article to the report.
pub async fn link_article(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    let article = f.id("article_id").unwrap_or(0);
    let r = st.services.link_report_article(&actor, id, article).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

pub async fn take(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let r = st.services.take_report(&actor, id).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

pub async fn comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Signed(actor): Signed,
    Path(id): Path<i64>,
    Form(f): Form<FormData>,
) -> UiResult {
    // Administrators choose; for the reporter every comment is public.
    let public = !actor.can(Permission::HelpdeskWrite) || f.flag("public");
    let input = CommentInput { body: f.get("body"), public, minutes: Minutes(f.get("minutes")) };
    let r = st.services.comment_report(&actor, id, &input).await.map(|_| ());
    after(&st, &ctx, &actor, id, r).await
}

/// The home page: counts for administrators, the open reports for everyone else.
pub async fn home_section(st: &AppState, actor: &Actor, tr: &Tr<'_>) -> UiResult<HomeReports> {
    let mut counts = vec![];
    if actor.can(Permission::HelpdeskWrite) {
        let (new, mine) = st.services.report_counts(actor).await?;
        counts.push((tr.t("home-reports-new"), new, "/reports?status=new&assignee=none".to_string()));
        counts.push((tr.t("home-reports-mine"), mine, "/reports?status=open&mine=1".to_string()));
        let late = st.services.late_report_count(actor).await?;
        counts.push((tr.t("home-reports-late"), late, "/reports?late=any&sort=due".to_string()));
    }
    let rows = if actor.can(Permission::HelpdeskReport) && !actor.can(Permission::HelpdeskWrite) {
        let now = st.services.clock.now_us();
        Some(st.services.my_open_reports(actor, 20).await?.iter().map(|r| row(tr, r, now)).collect())
    } else {
        None
    };
    Ok(HomeReports { counts, rows, can_report: actor.can(Permission::HelpdeskReport) })
}

#[derive(Default)]
pub struct HomeReports {
    pub counts: Vec<(String, i64, String)>,
    pub rows: Option<Vec<Vec<Cell>>>,
    pub can_report: bool,
}
