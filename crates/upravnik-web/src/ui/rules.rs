//! The rules of work in the ICT system and the statement of their acceptance (R.19, Prilog 3):
//! the text in force with the "I accept" button (asked right after sign-in while not accepted),
//! publishing a new version, the list of who has not accepted, a signed paper copy recorded by
//! an administrator, and the statement as a PDF.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::{format_local, format_local_date, parse_date};
use upravnik_core::rules::{Acceptance, AcceptanceQuery, AcceptedBy, DEFAULT_BODY, DEFAULT_TITLE, PaperInput, RulesInput};
use upravnik_core::{Error, FieldError};

use super::layout::{Chrome, render};
use super::org::form_page;
use super::view::{Field, FormView};
use super::{FormData, done, local_path};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

pub const PER_PAGE: u32 = 50;

fn accepted_text(tr: &Tr<'_>, a: &Acceptance) -> String {
    let date = parse_date(&a.signed_on).map(upravnik_core::clock::format_date).unwrap_or_else(|| a.signed_on.clone());
    match a.how {
        AcceptedBy::Online => tr.t1("rules-accepted-online", "date", date),
        AcceptedBy::Paper => tr.t1("rules-accepted-paper", "date", date),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RulesParams {
    #[serde(default)]
    pub next: String,
    #[serde(default)]
    pub ok: Option<String>,
}

#[derive(Template)]
#[template(path = "rules.html")]
pub struct RulesPage<'a> {
    pub c: Chrome<'a>,
    /// (version, title, meta) of the text in force.
    pub version: Option<(i64, String, String)>,
    pub paragraphs: Vec<String>,
    pub to_accept: bool,
    pub accepted: Option<String>,
    pub next: String,
    pub statement_href: Option<String>,
    pub can_publish: bool,
    pub can_list: bool,
}

/// `GET /rules`: the text in force, and the button while the signed-in person has not accepted it.
pub async fn show(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<RulesParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let current = st.services.current_rules(&actor).await?;
    let mine = st.services.rules_acceptance(&actor, actor.person_id).await?;
    let c = Chrome::new(&st, &ctx, "/rules", current.as_ref().map(|v| tr.d(&v.title)).unwrap_or_else(|| tr.t("rules-title")))
        .flash(p.ok.as_deref());
    let page = RulesPage {
        version: current.as_ref().map(|v| {
            let meta = tr.ta(
                "rules-version-meta",
                &[("version", v.version.to_string()), ("date", format_local_date(v.published_us)), ("who", tr.d(&v.published_by))],
            );
            (v.version, tr.d(&v.title), meta)
        }),
        paragraphs: current
            .as_ref()
            .map(|v| v.body.split('\n').filter(|l| !l.trim().is_empty()).map(|l| tr.d(l)).collect())
            .unwrap_or_default(),
        to_accept: current.is_some() && mine.is_none(),
        accepted: mine.as_ref().map(|(_, a)| accepted_text(&tr, a)),
        next: local_path(&p.next),
        statement_href: mine.as_ref().map(|_| format!("/rules/acceptances/{}/pdf", actor.person_id)),
        can_publish: actor.can(Permission::OrgWrite),
        can_list: actor.can(Permission::OrgRead),
        c,
    };
    Ok(render(&page))
}

/// `POST /rules/accept`: the signed-in person accepts the version they read.
pub async fn accept(State(st): State<AppState>, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let version = f.get("version").trim().parse::<i64>().unwrap_or(0);
    st.services.accept_rules(&actor, version).await?;
    let next = local_path(&f.get("next"));
    Ok(if next == "/" { done("/rules", "accepted") } else { Redirect::to(&next).into_response() })
}

fn publish_form(st: &AppState, ctx: &Ctx, f: &RulesInput, errs: &[FieldError]) -> Response {
    let tr = ctx.tr(st);
    let fields = vec![
        Field::new("title", "text", tr.t("field-title"), f.title.clone()).required(),
        Field::new("body", "textarea", tr.t("rules-body"), f.body.clone()).required().hint(tr.t("rules-body-hint")),
    ];
    let v = FormView::new("/rules", tr.t("rules-publish"), fields).with_errors(&tr, errs);
    form_page(Chrome::new(st, ctx, "/rules/new", tr.t("rules-new")), v)
}

/// `GET /rules/new`: a new version, starting from the text in force (or the rulebook's duties).
pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed) -> UiResult {
    let input = match st.services.current_rules(&actor).await? {
        Some(v) => RulesInput { title: v.title, body: v.body },
        None => RulesInput { title: DEFAULT_TITLE.into(), body: DEFAULT_BODY.into() },
    };
    Ok(publish_form(&st, &ctx, &input, &[]))
}

pub async fn publish(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let input = RulesInput { title: f.get("title"), body: f.get("body") };
    match st.services.publish_rules(&actor, &input).await {
        Ok(_) => Ok(done("/rules", "published")),
        Err(Error::Invalid(errs)) => Ok(publish_form(&st, &ctx, &input, &errs)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub missing: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub ok: Option<String>,
}

impl ListParams {
    fn missing(&self) -> bool {
        matches!(self.missing.as_deref(), Some("1" | "on" | "true"))
    }

    fn href(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if !self.q.trim().is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if self.missing() {
            pairs.push(("missing", "1".into()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() { "/rules/acceptances".into() } else { format!("/rules/acceptances?{qs}") }
    }
}

pub struct Row {
    pub person_id: i64,
    pub name: String,
    pub unit: String,
    pub workplace: String,
    pub status: Option<String>,
}

#[derive(Template)]
#[template(path = "rules_acceptances.html")]
pub struct ListPage<'a> {
    pub c: Chrome<'a>,
    pub published: bool,
    pub q: String,
    pub missing: bool,
    pub summary: String,
    pub rows: Vec<Row>,
    pub can_record: bool,
    pub today: String,
    pub back: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub page_label: String,
}

/// `GET /rules/acceptances`: who has and who has not accepted the version in force.
pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<ListParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let page = p.page.unwrap_or(1).max(1);
    let q = AcceptanceQuery { missing_only: p.missing(), q: Some(p.q.clone()), page, per_page: PER_PAGE, ..Default::default() };
    let found = st.services.rules_acceptances(&actor, &q).await?;
    let c = Chrome::new(&st, &ctx, "/rules/acceptances", tr.t("rules-acceptances")).flash(p.ok.as_deref());
    let (published, summary, rows, pages) = match found {
        None => (false, String::new(), vec![], 1),
        Some((v, list)) => {
            let summary = tr.ta(
                "rules-acceptance-summary",
                &[("accepted", list.accepted.to_string()), ("people", list.people.to_string()), ("version", v.version.to_string())],
            );
            let rows = list
                .rows
                .items
                .iter()
                .map(|r| Row {
                    person_id: r.person_id,
                    name: tr.d(&r.full_name),
                    unit: r.unit_name.as_deref().map(|u| tr.d(u)).unwrap_or_default(),
                    workplace: r.workplace_name.as_deref().map(|w| tr.d(w)).unwrap_or_default(),
                    status: r.acceptance.as_ref().map(|a| accepted_text(&tr, a)),
                })
                .collect();
            (true, summary, rows, list.rows.pages())
        }
    };
    let page = ListPage {
        published,
        q: p.q.clone(),
        missing: p.missing(),
        summary,
        rows,
        can_record: actor.can(Permission::OrgWrite),
        today: format_local_date(st.services.clock.now_us()),
        back: p.href(page),
        prev_href: (page > 1).then(|| p.href(page - 1)),
        next_href: (page < pages).then(|| p.href(page + 1)),
        page_label: format!("{page} / {}", pages.max(1)),
        c,
    };
    Ok(render(&page))
}

/// `POST /rules/acceptances/paper`: an administrator records a signed paper statement.
pub async fn record_paper(State(st): State<AppState>, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let person_id = f.get("person_id").trim().parse::<i64>().map_err(|_| Error::invalid("person_id", "err-required"))?;
    st.services.record_paper_acceptance(&actor, &PaperInput { person_id, signed_on: f.get("signed_on") }).await?;
    Ok(done(&local_path(&f.get("back")), "saved"))
}

/// The statement (Prilog 3) for one person: filled when accepted, blank lines to sign when not.
pub async fn statement_form(st: &AppState, ctx: &Ctx, actor: &Actor, person_id: i64) -> Result<upravnik_pdf::Form, Error> {
    let tr = ctx.tr(st);
    let v = st.services.current_rules(actor).await?.ok_or(Error::NotFound { what: "rules" })?;
    let person = if person_id == actor.person_id {
        st.services.store.get_person(actor.office_id, person_id).await?
    } else {
        st.services.person(actor, person_id).await?
    };
    let acc = st.services.rules_acceptance(actor, person_id).await?.map(|(_, a)| a);
    let fact = |key: &str, v: String| (tr.t(key), v);
    let items = vec![
        fact("field-full-name", tr.d(&person.full_name())),
        fact("field-unit", person.unit_name.as_deref().map(|u| tr.d(u)).unwrap_or_default()),
        fact("field-workplace", person.workplace_name.as_deref().map(|w| tr.d(w)).unwrap_or_default()),
        fact("rules-version", format!("{} ({})", v.version, format_local_date(v.published_us))),
    ];
    let statement = tr.ta("rules-statement-text", &[("name", tr.d(&person.full_name())), ("title", tr.d(&v.title))]);
    let date = acc
        .as_ref()
        .map(|a| parse_date(&a.signed_on).map(upravnik_core::clock::format_date).unwrap_or_else(|| a.signed_on.clone()))
        .unwrap_or_default();
    let mut sections = vec![
        upravnik_pdf::Section::Facts { heading: String::new(), items },
        upravnik_pdf::Section::Text { heading: String::new(), text: statement },
        upravnik_pdf::Section::Text { heading: tr.d(&v.title), text: tr.d(&v.body) },
    ];
    if let Some(a) = &acc {
        let how = format!(
            "{} · {}",
            accepted_text(&tr, a),
            tr.ta("rules-recorded", &[("who", tr.d(&a.recorded_by)), ("when", format_local(a.accepted_us))])
        );
        sections.push(upravnik_pdf::Section::Text { heading: tr.t("rules-acceptance"), text: how });
    }
    let print = super::print_meta(st, ctx, vec![], vec![]).await;
    Ok(upravnik_pdf::Form {
        lang: print.lang.to_string(),
        letterhead: print.letterhead,
        title: tr.t("rules-statement-title"),
        number: tr.t("rules-statement-annex"),
        sections,
        signatures: vec![upravnik_pdf::Signature { role: tr.t("sign-employee"), name: tr.d(&person.full_name()), date }],
        footer: print.footer,
    })
}

/// `GET /rules/acceptances/{person}/pdf`: one's own, or anyone's for those who see people.
pub async fn statement_pdf(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(person_id): Path<i64>) -> UiResult {
    if person_id != actor.person_id && !actor.can(Permission::OrgRead) {
        return Err(Error::Forbidden.into());
    }
    let form = statement_form(&st, &ctx, &actor, person_id).await?;
    Ok(crate::export::pdf(form, &format!("izjava-pravila-{person_id}")).await)
}
