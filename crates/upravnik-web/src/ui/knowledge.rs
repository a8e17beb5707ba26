//! The knowledge base (База знања, R.47–R.51): the list with search, an article, its printable
//! page, and the administrators' forms. Bodies are rendered from parsed blocks as escaped text.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use upravnik_core::Error;
use upravnik_core::access::Permission;
use upravnik_core::clock::format_local;
use upravnik_core::knowledge::rulebook::source_label;
use upravnik_core::knowledge::service::PER_PAGE;
use upravnik_core::knowledge::{Article, ArticleInput, Block, blocks, split_tags};

use super::layout::{Chrome, render};
use super::view::Related;
use super::{FormData, done};
use crate::AppState;
use crate::auth::{Ctx, Signed};
use crate::error::UiResult;
use crate::i18n::Tr;

#[derive(Debug, Default, serde::Deserialize)]
pub struct KbParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub ok: Option<String>,
}

impl KbParams {
    fn href(&self, page: u32) -> String {
        let mut pairs: Vec<(&str, String)> = vec![];
        if !self.q.trim().is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if !self.tag.trim().is_empty() {
            pairs.push(("tag", self.tag.clone()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if qs.is_empty() { "/kb".into() } else { format!("/kb?{qs}") }
    }
}

pub struct TagLink {
    pub text: String,
    pub href: String,
}

fn tag_links(tr: &Tr<'_>, tags: &[String]) -> Vec<TagLink> {
    tags.iter()
        .map(|t| TagLink { text: tr.d(t), href: format!("/kb?{}", serde_urlencoded::to_string([("tag", t)]).unwrap_or_default()) })
        .collect()
}

pub struct ArticleRow {
    pub href: String,
    pub title: String,
    pub category: String,
    pub excerpt: String,
    pub tags: Vec<TagLink>,
    pub draft: bool,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "kb_list.html")]
pub struct ListPage<'a> {
    pub c: Chrome<'a>,
    pub q: String,
    pub tag: Option<String>,
    pub rows: Vec<ArticleRow>,
    pub summary: String,
    pub empty_text: String,
    /// The base is empty (not merely the search): offer the Rulebook's articles.
    pub offer_rulebook: bool,
    pub new_href: Option<String>,
    pub page_label: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

fn meta(tr: &Tr<'_>, a: &Article) -> String {
    tr.ta("kb-meta", &[("when", format_local(a.updated_us)), ("who", tr.d(&a.author_name))])
}

pub async fn list(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Query(p): Query<KbParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let tag = Some(p.tag.trim().to_string()).filter(|t| !t.is_empty());
    let page = st.services.kb_articles(&actor, &p.q, tag.as_deref(), p.page.unwrap_or(1), PER_PAGE).await?;
    let writer = actor.can(Permission::KnowledgeWrite);
    let filtered = !p.q.trim().is_empty() || tag.is_some();
    let rows = page
        .items
        .iter()
        .map(|a| ArticleRow {
            href: format!("/kb/{}", a.id),
            title: tr.d(&a.title),
            category: tr.d(&a.category),
            excerpt: tr.d(&a.excerpt(220)),
            tags: tag_links(&tr, &a.tags),
            draft: !a.published,
            meta: meta(&tr, a),
        })
        .collect::<Vec<_>>();
    let empty_text = if filtered {
        tr.t("empty-search")
    } else if writer {
        tr.t("kb-empty-admin")
    } else {
        tr.t("kb-empty")
    };
    let pages = page.pages();
    let n = page.page.min(pages);
    let title = tr.t("kb-title");
    let page_view = ListPage {
        c: Chrome::new(&st, &ctx, "/kb", title).flash(p.ok.as_deref()),
        q: p.q.clone(),
        tag: tag.map(|t| tr.d(&t)),
        summary: tr.t1("kb-count", "count", page.total),
        offer_rulebook: writer && !filtered && page.total == 0,
        new_href: writer.then(|| "/kb/new".to_string()),
        empty_text,
        rows,
        page_label: format!("{n} / {pages}"),
        prev_href: (n > 1).then(|| p.href(n - 1)),
        next_href: (n < pages).then(|| p.href(n + 1)),
    };
    Ok(render(&page_view))
}

/// A block as the templates draw it: `h`, `p`, `ul`, `ol` or `warn`, with its lines.
pub struct BlockView {
    pub kind: &'static str,
    pub lines: Vec<String>,
}

fn block_views(tr: &Tr<'_>, body: &str) -> Vec<BlockView> {
    blocks(body)
        .into_iter()
        .map(|b| {
            let (kind, lines) = match b {
                Block::Heading(h) => ("h", vec![h]),
                Block::Paragraph(l) => ("p", l),
                Block::Bullets(l) => ("ul", l),
                Block::Numbered(l) => ("ol", l),
                Block::Warning(l) => ("warn", l),
            };
            BlockView { kind, lines: lines.iter().map(|l| tr.d(l)).collect() }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "kb_article.html")]
pub struct ShowPage<'a> {
    pub c: Chrome<'a>,
    pub draft: bool,
    pub category: String,
    pub tags: Vec<TagLink>,
    pub meta: String,
    pub source: Option<String>,
    pub body: Vec<BlockView>,
    pub edit_href: Option<String>,
    pub print_href: String,
    pub history: Option<Related>,
}

pub async fn show(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Query(p): Query<KbParams>) -> UiResult {
    let tr = ctx.tr(&st);
    let a = st.services.kb_article(&actor, id).await?;
    let history = super::org::history(&st, &actor, &tr, "kb_article", id).await?;
    let page = ShowPage {
        c: Chrome::new(&st, &ctx, &format!("/kb/{id}"), tr.d(&a.title)).flash(p.ok.as_deref()),
        draft: !a.published,
        category: tr.d(&a.category),
        tags: tag_links(&tr, &a.tags),
        meta: meta(&tr, &a),
        source: a.source.as_deref().and_then(source_label).map(|s| tr.d(&s)),
        body: block_views(&tr, &a.body),
        edit_href: actor.can(Permission::KnowledgeWrite).then(|| format!("/kb/{id}/edit")),
        print_href: format!("/kb/{id}/print"),
        history,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "kb_print.html")]
pub struct PrintPage<'a> {
    pub tr: Tr<'a>,
    pub office: String,
    pub title: String,
    pub source: Option<String>,
    pub body: Vec<BlockView>,
    pub back_href: String,
    pub footer: String,
}

/// The article alone on an A4 page: the office's name, the text, who printed it and when.
pub async fn print(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let tr = ctx.tr(&st);
    let a = st.services.kb_article(&actor, id).await?;
    let meta = super::print_meta(&st, &ctx, vec![], vec![]).await;
    let page = PrintPage {
        office: meta.letterhead.first().cloned().unwrap_or_default(),
        title: tr.d(&a.title),
        source: a.source.as_deref().and_then(source_label).map(|s| tr.d(&s)),
        body: block_views(&tr, &a.body),
        back_href: format!("/kb/{id}"),
        footer: format!("{} · {}", meta.footer, tr.ta("kb-updated", &[("when", format_local(a.updated_us))])),
        tr,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "kb_form.html")]
pub struct FormPage<'a> {
    pub c: Chrome<'a>,
    pub action: String,
    pub cancel_href: String,
    pub a: ArticleInput,
    pub tags: String,
    /// (field, message) next to each field.
    pub errors: Vec<(String, String)>,
    /// "Field: message" above the form.
    pub summary: Vec<String>,
}

impl FormPage<'_> {
    /// The message for a field, if it has one.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

fn form(st: &AppState, ctx: &Ctx, id: Option<i64>, a: ArticleInput, errs: &[upravnik_core::FieldError]) -> Response {
    let tr = ctx.tr(st);
    let (action, path, title, cancel_href) = match id {
        Some(id) => (format!("/kb/{id}"), format!("/kb/{id}/edit"), tr.t("kb-edit"), format!("/kb/{id}")),
        None => ("/kb".to_string(), "/kb/new".to_string(), tr.t("kb-new"), "/kb".to_string()),
    };
    let errors: Vec<(String, String)> = errs.iter().map(|e| (e.field.to_string(), tr.t(e.message))).collect();
    let label = |field: &str| match field {
        "title" => tr.t("field-title"),
        "category" => tr.t("field-kb-category"),
        "tags" => tr.t("field-tags"),
        "body" => tr.t("field-kb-body"),
        other => other.to_string(),
    };
    let summary = errors.iter().map(|(f, m)| format!("{}: {m}", label(f))).collect();
    let status = if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = FormPage { c: Chrome::new(st, ctx, &path, title), action, cancel_href, tags: a.tags.join(", "), a, errors, summary };
    (status, render(&page)).into_response()
}

fn input(f: &FormData) -> ArticleInput {
    ArticleInput {
        title: f.get("title"),
        body: f.get("body"),
        category: f.get("category"),
        tags: split_tags(&f.get("tags")),
        published: f.flag("published"),
    }
}

fn field_errors(e: Error) -> Result<Vec<upravnik_core::FieldError>, Error> {
    match e {
        Error::Invalid(errs) => Ok(errs),
        other => Err(other),
    }
}

pub async fn new(State(st): State<AppState>, ctx: Ctx, Signed(_actor): Signed) -> UiResult {
    Ok(form(&st, &ctx, None, ArticleInput::default(), &[]))
}

pub async fn create(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Form(f): Form<FormData>) -> UiResult {
    let a = input(&f);
    match st.services.create_kb_article(&actor, &a).await {
        Ok(created) => Ok(done(&format!("/kb/{}", created.id), "created")),
        Err(e) => Ok(form(&st, &ctx, None, a, &field_errors(e)?)),
    }
}

pub async fn edit(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>) -> UiResult {
    let a = st.services.kb_article(&actor, id).await?;
    Ok(form(&st, &ctx, Some(id), a.input(), &[]))
}

pub async fn update(State(st): State<AppState>, ctx: Ctx, Signed(actor): Signed, Path(id): Path<i64>, Form(f): Form<FormData>) -> UiResult {
    let a = input(&f);
    match st.services.update_kb_article(&actor, id, &a).await {
        Ok(_) => Ok(done(&format!("/kb/{id}"), "saved")),
        Err(e) => Ok(form(&st, &ctx, Some(id), a, &field_errors(e)?)),
    }
}

/// "Додај упутства из Правилника": the ready articles of R.47–R.51, once.
pub async fn add_rulebook(State(st): State<AppState>, Signed(actor): Signed) -> UiResult {
    let added = st.services.add_rulebook_articles(&actor).await?;
    Ok(done("/kb", if added.is_empty() { "saved" } else { "created" }))
}
