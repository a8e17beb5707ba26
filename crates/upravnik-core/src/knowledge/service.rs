//! Services of the knowledge base: list and search, read, suggest for the fault-report form,
//! write, and add the Rulebook's ready articles.

use super::{Article, ArticleInput, KbQuery, NewArticle, SUGGEST_LIMIT, Suggestion, article_id, rulebook, search_terms};
use crate::access::{Actor, Permission};
use crate::org::Page;
use crate::service::{Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

/// Articles a list page shows.
pub const PER_PAGE: u32 = 20;

fn sees_drafts(actor: &Actor) -> bool {
    actor.can(Permission::KnowledgeDrafts) || actor.can(Permission::KnowledgeWrite)
}

fn state(published: bool) -> &'static str {
    if published { "објављен" } else { "нацрт" }
}

impl Services {
    /// The office's articles, newest change first, or those matching every word of `q` with
    /// matches in the title first. Drafts only for those who may see them.
    pub async fn kb_articles(&self, actor: &Actor, q: &str, tag: Option<&str>, page: u32, per_page: u32) -> Result<Page<Article>> {
        actor.require(Permission::SignedIn)?;
        let query = KbQuery {
            office_id: actor.office_id,
            terms: search_terms(q, false),
            any_term: false,
            tag: tag.map(crate::text::search_key).filter(|t| !t.is_empty()),
            include_drafts: sees_drafts(actor),
            page: page.max(1),
            per_page: per_page.clamp(1, 100),
        };
        self.store.kb_search(&query).await
    }

    /// One article; a draft is "not found" to those who may not see drafts.
    pub async fn kb_article(&self, actor: &Actor, id: i64) -> Result<Article> {
        actor.require(Permission::SignedIn)?;
        let a = self.store.kb_article(actor.office_id, article_id(id)?).await?;
        if !a.published && !sees_drafts(actor) {
            return Err(Error::NotFound { what: "article" });
        }
        Ok(a)
    }

    /// Up to five published articles for a text being typed into the fault-report form: any of
    /// its words counts, a match in the title most.
    pub async fn kb_suggest(&self, actor: &Actor, text: &str) -> Result<Vec<Suggestion>> {
        actor.require(Permission::SignedIn)?;
        let terms = search_terms(text, true);
        if terms.is_empty() {
            return Ok(vec![]);
        }
        let found = self.store.kb_suggest(actor.office_id, &terms, SUGGEST_LIMIT).await?;
        Ok(found
            .into_iter()
            .map(|a| Suggestion { id: a.id, excerpt: a.excerpt(160), url: format!("/kb/{}", a.id), title: a.title, category: a.category })
            .collect())
    }

    /// Points the reporter of a fault to a published article that fits it (R.47–R.51); the
    /// report's page shows it to everyone who sees the report.
    pub async fn link_report_article(&self, actor: &Actor, report_id: i64, article_id: i64) -> Result<Vec<Article>> {
        actor.require(Permission::HelpdeskWrite)?;
        let r = self.report(actor, report_id).await?;
        let a = self.store.kb_article(actor.office_id, super::article_id(article_id)?).await?;
        if !a.published {
            return Err(Error::invalid("article_id", "err-kb-not-published"));
        }
        let log = draft(
            actor,
            Category::Intervention,
            Some(crate::helpdesk_service::object(&r)),
            format!("Уз пријаву квара {} („{}“) повезано упутство из базе знања „{}“", r.number, r.title, a.title),
        );
        self.store.link_report_article(actor.office_id, r.id, a.id, &actor.full_name, self.now(), log).await?;
        self.report_articles(actor, report_id).await
    }

    /// The articles linked to a report the actor sees.
    pub async fn report_articles(&self, actor: &Actor, report_id: i64) -> Result<Vec<Article>> {
        let r = self.report(actor, report_id).await?;
        self.store.report_articles(actor.office_id, r.id).await
    }

    pub async fn create_kb_article(&self, actor: &Actor, input: &ArticleInput) -> Result<Article> {
        actor.require(Permission::KnowledgeWrite)?;
        let fields = input.validate()?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            None,
            format!("Написан чланак базе знања „{}“ ({})", fields.title, state(fields.published)),
        );
        let new = NewArticle { fields, author_user_id: Some(actor.user_id), author_name: actor.full_name.clone(), source: None };
        self.store.create_kb_article(actor.office_id, &new, self.now(), log).await
    }

    /// Saves a new version; the work log says what changed (title, text, tags, publication).
    pub async fn update_kb_article(&self, actor: &Actor, id: i64, input: &ArticleInput) -> Result<Article> {
        actor.require(Permission::KnowledgeWrite)?;
        let fields = input.validate()?;
        let old = self.store.kb_article(actor.office_id, article_id(id)?).await?;
        let mut what = vec![];
        if old.title != fields.title {
            what.push(format!("наслов „{}“ → „{}“", old.title, fields.title));
        }
        if old.body != fields.body {
            what.push("текст".to_string());
        }
        if old.category != fields.category || old.tags != fields.tags {
            what.push("ознаке".to_string());
        }
        if old.published != fields.published {
            what.push(if fields.published { "објављен".to_string() } else { "враћен у нацрт".to_string() });
        }
        if what.is_empty() {
            return Ok(old);
        }
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("kb_article", id, &fields.title)),
            format!("Измењен чланак базе знања „{}“: {}", old.title, what.join(", ")),
        );
        self.store.update_kb_article(actor.office_id, id, &fields, self.now(), log).await
    }

    /// Adds the Rulebook's ready articles (R.47–R.51) the office does not have yet, published,
    /// in one transaction with an entry per article. Returns the ids added (none the second time).
    pub async fn add_rulebook_articles(&self, actor: &Actor) -> Result<Vec<i64>> {
        actor.require(Permission::KnowledgeWrite)?;
        let mut items = vec![];
        for r in rulebook::ARTICLES {
            let fields = r.input().validate()?;
            let log = draft(
                actor,
                Category::ConfigurationChange,
                None,
                format!("Додат чланак базе знања из Правилника (чл. {}): „{}“", r.article, fields.title),
            );
            let new = NewArticle {
                fields,
                author_user_id: Some(actor.user_id),
                author_name: actor.full_name.clone(),
                source: Some(r.source.to_string()),
            };
            items.push((new, log));
        }
        self.store.add_kb_articles(actor.office_id, items, self.now()).await
    }
}
