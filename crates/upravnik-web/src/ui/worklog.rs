//! The work log pages (Дневник рада, R.20): filters, full-text search, keyset pages, export,
//! manual entries, one entry with its hashes, and verification of the chain.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use upravnik_core::Error;
use upravnik_core::access::{Actor, Permission};
use upravnik_core::clock::{format_local, parse_local_date};
use upravnik_core::worklog::{Category, Entry, Filter, ObjectRef};

use super::layout::{Chrome, MessagePage, render};
use super::org::form_page;
use super::view::{Cell, Field, FormView, Opt};
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::export::{Format, Sheet, respond};
use crate::i18n::Tr;

pub const PAGE: u32 = 50;
/// An export stops here; narrow the filter for more.
pub const EXPORT_MAX: usize = 100_000;

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub to: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object_kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub object_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing)]
    pub before: Option<i64>,
    #[serde(default, skip_serializing)]
    pub format: Option<String>,
    #[serde(default, skip_serializing)]
    pub ok: Option<String>,
}

impl Params {
    /// The filter, or the name of the field that did not parse.
    pub fn filter(&self) -> Result<Filter, &'static str> {
        let date = |s: &str, field| if s.trim().is_empty() { Ok(None) } else { parse_local_date(s).map(Some).ok_or(field) };
        Ok(Filter {
            office_id: 0,
            from_us: date(&self.from, "from")?,
            // "to 25.11.2026" includes that whole day.
            to_us: date(&self.to, "to")?.map(|t| t + 86_400_000_000),
            category: if self.category.is_empty() { None } else { Some(Category::parse(&self.category).map_err(|_| "category")?) },
            actor_user_id: self.actor.parse().ok(),
            object_kind: Some(self.object_kind.clone()).filter(|s| !s.is_empty()),
            object_id: Some(self.object_id.clone()).filter(|s| !s.is_empty()),
            text: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            before_id: self.before,
            limit: PAGE,
            include_confidential_text: false,
        })
    }

    fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

pub fn category_name(tr: &Tr<'_>, c: Category) -> String {
    tr.t(&format!("cat-{}", c.as_str()))
}

pub fn object_href(o: &ObjectRef) -> Option<String> {
    let base = match o.kind.as_str() {
        "person" => "/people",
        "unit" => "/units",
        "workplace" => "/workplaces",
        "user" => "/accounts",
        "asset" => "/assets",
        "consumable" => "/consumables",
        "subnet" => "/subnets",
        "fault_report" => "/reports",
        "compliance_check" => "/security/checks",
        _ => return None,
    };
    o.id.parse::<i64>().ok().map(|id| format!("{base}/{id}"))
}

fn text_of(tr: &Tr<'_>, e: &Entry) -> String {
    if e.confidential && e.text.is_empty() { tr.t("worklog-confidential-hidden") } else { tr.d(&e.text) }
}

#[derive(Template)]
#[template(path = "worklog.html")]
pub struct WorklogPage<'a> {
    pub c: Chrome<'a>,
    pub filters: Vec<Field>,
    pub q: String,
    pub rows: Vec<Vec<Cell>>,
    pub older_href: Option<String>,
    pub newest_href: Option<String>,
    pub export_base: String,
    pub can_write: bool,
    pub can_verify: bool,
    pub filter_error: Option<String>,
}

async fn actor_options(st: &AppState, actor: &Actor) -> Vec<(i64, String)> {
    if !actor.can(Permission::UsersRead) {
        return vec![];
    }
    let mut q = upravnik_core::org::ListQuery::new(actor.office_id);
    q.per_page = 500;
    q.include_inactive = true;
    match st.services.accounts(actor, &q).await {
        Ok(p) => p.items.into_iter().map(|a| (a.user_id, format!("{} ({})", a.full_name, a.username))).collect(),
        Err(_) => vec![],
    }
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<Params>) -> UiResult {
    let tr = ctx.tr(&st);
    let (filter, filter_error) = match p.filter() {
        Ok(f) => (f, None),
        Err(field) => {
            (Filter { limit: PAGE, ..Default::default() }, Some(format!("{}: {}", tr.t(&format!("field-{field}")), tr.t("err-date"))))
        }
    };
    if let Some(fmt) = p.format.as_deref().and_then(Format::parse) {
        return export(&st, &ctx, &actor, filter, fmt).await;
    }
    let entries = st.services.worklog(&actor, filter).await?;
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                Cell::link(format_local(e.at_us), format!("/worklog/{}", e.id)),
                Cell::text(category_name(&tr, e.category)),
                Cell::text(tr.d(&e.actor_name)),
                match &e.object {
                    Some(o) => match object_href(o) {
                        Some(h) => Cell::link(tr.d(&o.label), h),
                        None => Cell::text(tr.d(&o.label)),
                    },
                    None => Cell::text(""),
                },
                Cell { text: text_of(&tr, e), href: None, class: e.confidential.then_some("confidential") },
            ]
        })
        .collect();
    let qs = p.query_string();
    let sep = if qs.is_empty() { "" } else { "&" };
    let older_href =
        (entries.len() == PAGE as usize).then(|| entries.last().map(|e| format!("/worklog?{qs}{sep}before={}", e.id))).flatten();
    let mut cats = vec![Opt { value: String::new(), label: tr.t("all"), selected: p.category.is_empty() }];
    cats.extend(Category::ALL.iter().map(|c| Opt {
        value: c.as_str().into(),
        label: category_name(&tr, *c),
        selected: p.category == c.as_str(),
    }));
    let mut filters = vec![
        Field::new("from", "text", tr.t("field-from"), p.from.clone()).hint(tr.t("hint-date")),
        Field::new("to", "text", tr.t("field-to"), p.to.clone()),
        Field::select("category", tr.t("field-category"), cats),
    ];
    let actors = actor_options(&st, &actor).await;
    if !actors.is_empty() {
        let sel = p.actor.parse().ok();
        filters.push(Field::select(
            "actor",
            tr.t("field-actor"),
            super::view::options(Some(tr.t("all")), actors.into_iter().map(|(i, n)| (i, tr.d(&n))), sel),
        ));
    }
    if !p.object_kind.is_empty() {
        filters.push(Field::new("object_kind", "hidden", String::new(), p.object_kind.clone()));
        filters.push(Field::new("object_id", "hidden", String::new(), p.object_id.clone()));
    }
    let page = WorklogPage {
        c: Chrome::new(&st, &ctx, "/worklog", tr.t("nav-worklog")).flash(p.ok.as_deref()),
        filters,
        q: p.q.clone(),
        rows,
        older_href,
        newest_href: p.before.map(|_| format!("/worklog?{qs}")),
        export_base: format!("/worklog?{qs}{sep}"),
        can_write: actor.can(Permission::WorklogWrite),
        can_verify: actor.can(Permission::WorklogConfidential),
        filter_error,
    };
    Ok(render(&page))
}

async fn export(st: &AppState, ctx: &Ctx, actor: &Actor, mut f: Filter, fmt: Format) -> UiResult {
    let tr = &ctx.tr(st);
    let max = if fmt == Format::Pdf { crate::export::PDF_MAX_ROWS } else { EXPORT_MAX };
    f.limit = 1000;
    let mut rows = vec![];
    loop {
        let batch = st.services.worklog(actor, f.clone()).await?;
        let last = batch.last().map(|e| e.id);
        rows.extend(batch.iter().map(|e| {
            vec![
                e.seq.to_string(),
                format_local(e.at_us),
                category_name(tr, e.category),
                tr.d(&e.actor_name),
                e.object.as_ref().map(|o| tr.d(&o.label)).unwrap_or_default(),
                text_of(tr, e),
                // The printed form shows enough of the hash to compare with `worklog verify`.
                if fmt == Format::Pdf { e.hash.chars().take(12).collect() } else { e.hash.clone() },
            ]
        }));
        match last {
            Some(id) if batch.len() == 1000 && rows.len() < max => f.before_id = Some(id),
            _ => break,
        }
    }
    let sheet = Sheet {
        name: tr.t("nav-worklog"),
        headers: ["field-seq", "field-time", "field-category", "field-actor", "field-object", "field-text", "field-hash"]
            .iter()
            .map(|k| tr.t(k))
            .collect(),
        rows,
    };
    let signer = upravnik_pdf::Signature {
        role: tr.t("sign-administrator"),
        name: tr.d(&actor.full_name),
        date: upravnik_core::clock::format_local_date(st.services.clock.now_us()),
    };
    let print = super::print_meta(st, ctx, vec![0.6, 1.4, 1.5, 1.5, 1.5, 4.0, 1.2], vec![signer]).await;
    Ok(respond(&sheet, fmt, "dnevnik-rada", print).await)
}

pub async fn show(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let e = st.services.worklog_entry(&actor, id).await?;
    let fact = |name: &'static str, key: &str, v: String| Field::new(name, "text", tr.t(key), v);
    let fields = vec![
        fact("seq", "field-seq", e.seq.to_string()),
        fact("time", "field-time", format_local(e.at_us)),
        fact("category", "field-category", category_name(&tr, e.category)),
        fact("actor", "field-actor", tr.d(&e.actor_name)),
        fact("object", "field-object", e.object.as_ref().map(|o| tr.d(&o.label)).unwrap_or_default()),
        fact("text", "field-text", text_of(&tr, &e)),
        fact("confidential", "field-confidential", tr.t(if e.confidential { "yes" } else { "no" })),
        fact("hash", "field-hash", e.hash.clone()),
        fact("prev_hash", "field-prev-hash", e.prev_hash.clone()),
    ];
    let mut v = FormView::new("", String::new(), fields);
    v.editable = false;
    Ok(form_page(Chrome::new(&st, &ctx, &format!("/worklog/{id}"), tr.t1("worklog-entry-title", "seq", e.seq)), v))
}

fn entry_fields(tr: &Tr<'_>, f: &FormData) -> Vec<Field> {
    let chosen = f.get("category");
    vec![
        Field::select(
            "category",
            tr.t("field-category"),
            Category::ALL
                .iter()
                .map(|c| Opt { value: c.as_str().into(), label: category_name(tr, *c), selected: chosen == c.as_str() })
                .collect(),
        )
        .required(),
        Field::new("object", "text", tr.t("field-object"), f.get("object")).hint(tr.t("hint-object")),
        Field::new("text", "textarea", tr.t("field-text"), f.get("text")).required().autofocus(),
        Field::new("confidential", "checkbox", tr.t("field-confidential"), if f.flag("confidential") { "1" } else { "" })
            .hint(tr.t("hint-confidential")),
    ]
}

pub async fn new_entry(State(st): State<AppState>, ctx: Ctx) -> UiResult {
    let tr = ctx.tr(&st);
    let mut v = FormView::new("/worklog", tr.t("worklog-add"), entry_fields(&tr, &FormData::default()));
    v.cancel_href = Some("/worklog".into());
    Ok(form_page(Chrome::new(&st, &ctx, "/worklog/new", tr.t("worklog-new")), v))
}

pub async fn create_entry(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let tr = ctx.tr(&st);
    let result = match Category::parse(&f.get("category")) {
        Ok(cat) => {
            let label = f.get("object").trim().to_string();
            let object = (!label.is_empty()).then(|| ObjectRef::new("other", "", label));
            st.services.add_worklog_entry(&actor, cat, object, &f.get("text"), f.flag("confidential")).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(done("/worklog", "created")),
        Err(Error::Invalid(errs)) => {
            let v = FormView::new("/worklog", tr.t("worklog-add"), entry_fields(&tr, &f)).with_errors(&tr, &errs);
            Ok(form_page(Chrome::new(&st, &ctx, "/worklog/new", tr.t("worklog-new")), v))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn verify(State(st): State<AppState>, ctx: Ctx) -> UiResult {
    let tr = ctx.tr(&st);
    let report = st.services.verify_worklog().await?;
    let text = if report.broken.is_empty() {
        tr.t1("worklog-verify-ok", "count", report.checked as i64)
    } else {
        let list: Vec<String> = report.broken.iter().map(|(office, b)| format!("[{office}] {b}")).collect();
        format!("{} {}", tr.t("worklog-verify-broken"), list.join("; "))
    };
    let page = MessagePage { c: Chrome::new(&st, &ctx, "/worklog/verify", tr.t("worklog-verify")), text, code: None, command: None };
    Ok(render(&page))
}
