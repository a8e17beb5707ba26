//! The knowledge base (R.47–R.51): articles and their search.
//!
//! A search is one statement over the office's rows (index `kb_articles_list`): every term is
//! a `LIKE` on the precomputed keys, scored 4 for the title, 2 for a tag or the category and 1
//! for anywhere in the text, and ordered by that score. Only the number of terms changes the
//! text of the statement (at most `knowledge::TERMS_MAX`); every value is bound.

use crate::SqlStore;
use crate::rows::{Arg, Get, bind_args, count_of, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use upravnik_core::knowledge::{Article, ArticleFields, KbQuery, NewArticle};
use upravnik_core::org::Page;
use upravnik_core::text::like_pattern;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

const COLS: &str = "id, office_id, title, body, category, tags, published, source, author_user_id, author_name, created_at, updated_at";

fn article(r: &AnyRow) -> Result<Article> {
    let tags = r.text("tags")?;
    Ok(Article {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        title: r.text("title")?,
        body: r.text("body")?,
        category: r.text("category")?,
        tags: tags.split('\n').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        published: r.flag("published")?,
        source: r.opt_text("source")?,
        author_user_id: r.opt_i64("author_user_id")?,
        author_name: r.text("author_name")?,
        created_us: r.i64("created_at")?,
        updated_us: r.i64("updated_at")?,
    })
}

/// `WHERE …` and the score of a search; `$1` is the office.
struct Search {
    filter: String,
    score: String,
    args: Vec<Arg>,
}

fn search(office_id: i64, terms: &[String], any_term: bool, tag: Option<&str>, drafts: bool) -> Search {
    let mut args = vec![Arg::Int(office_id)];
    let mut filter = String::from("WHERE office_id = $1");
    if !drafts {
        filter.push_str(" AND published = 1");
    }
    if let Some(t) = tag {
        // `like_pattern` gives `%escaped%`; the tag must sit whole between bars.
        let p = like_pattern(t);
        args.push(Arg::Text(format!("%|{}|%", p.get(1..p.len().saturating_sub(1)).unwrap_or(""))));
        filter.push_str(&format!(" AND tags_key LIKE ${} ESCAPE '\\'", args.len()));
    }
    let mut matches = vec![];
    let mut score = vec![];
    for term in terms {
        args.push(Arg::Text(like_pattern(term)));
        let n = args.len();
        matches.push(format!("search_key LIKE ${n} ESCAPE '\\'"));
        score.push(format!(
            "(CASE WHEN title_key LIKE ${n} ESCAPE '\\' THEN 4 ELSE 0 END + CASE WHEN tags_key LIKE ${n} ESCAPE '\\' THEN 2 ELSE 0 END \
             + CASE WHEN search_key LIKE ${n} ESCAPE '\\' THEN 1 ELSE 0 END)"
        ));
    }
    if !matches.is_empty() {
        filter.push_str(&format!(" AND ({})", matches.join(if any_term { " OR " } else { " AND " })));
    }
    Search { filter, score: if score.is_empty() { "0".into() } else { score.join(" + ") }, args }
}

impl SqlStore {
    async fn kb_rows(&self, s: &Search, limit: i64, offset: i64) -> Result<Vec<Article>> {
        let n = s.args.len();
        let sql = format!(
            "SELECT {COLS}, {} AS score FROM kb_articles {} ORDER BY score DESC, updated_at DESC, id DESC LIMIT ${} OFFSET ${}",
            s.score,
            s.filter,
            n + 1,
            n + 2
        );
        let rows = bind_args(sqlx::query(sqlx::AssertSqlSafe(sql)), &s.args)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(article).collect()
    }

    pub(crate) async fn kb_search_impl(&self, q: &KbQuery) -> Result<Page<Article>> {
        let s = search(q.office_id, &q.terms, q.any_term, q.tag.as_deref(), q.include_drafts);
        let total = count_of(&self.pool, &format!("kb_articles {}", s.filter), &s.args, true).await?;
        let per_page = q.per_page.max(1);
        let offset = i64::from(q.page.max(1) - 1) * i64::from(per_page);
        let items = self.kb_rows(&s, i64::from(per_page), offset).await?;
        Ok(Page { items, total, page: q.page.max(1), per_page })
    }

    pub(crate) async fn kb_suggest_impl(&self, office_id: i64, terms: &[String], limit: u32) -> Result<Vec<Article>> {
        let s = search(office_id, terms, true, None, false);
        self.kb_rows(&s, i64::from(limit), 0).await
    }

    pub(crate) async fn kb_article_impl(&self, office_id: i64, id: i64) -> Result<Article> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM kb_articles WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(article).transpose()?.ok_or(Error::NotFound { what: "article" })
    }

    /// Inserts one article inside `tx`; `None` when its source is already in the office.
    async fn insert_kb(tx: &mut sqlx::Transaction<'static, sqlx::Any>, office_id: i64, a: &NewArticle, now: i64) -> Result<Option<i64>> {
        let f = &a.fields;
        sqlx::query_scalar(
            "INSERT INTO kb_articles (office_id, title, body, category, tags, published, source, author_user_id, author_name, \
             title_key, tags_key, search_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
             ON CONFLICT (office_id, source) DO NOTHING RETURNING id",
        )
        .bind(office_id)
        .bind(&f.title)
        .bind(&f.body)
        .bind(&f.category)
        .bind(f.tags.join("\n"))
        .bind(flag(f.published))
        .bind(&a.source)
        .bind(a.author_user_id)
        .bind(&a.author_name)
        .bind(f.title_key())
        .bind(f.tags_key())
        .bind(f.search_key())
        .bind(now)
        .fetch_optional(&mut **tx)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn create_kb_article_impl(&self, office_id: i64, a: &NewArticle, now: i64, mut log: Draft) -> Result<Article> {
        let mut tx = self.begin_write().await?;
        let id = Self::insert_kb(&mut tx, office_id, a, now).await?.ok_or(Error::Conflict { code: "duplicate", field: None })?;
        log.object.get_or_insert_with(|| ObjectRef::new("kb_article", id, &a.fields.title));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.kb_article_impl(office_id, id).await
    }

    pub(crate) async fn link_report_article_impl(
        &self,
        office_id: i64,
        report_id: i64,
        article_id: i64,
        by: &str,
        now: i64,
        log: Draft,
    ) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "INSERT INTO fault_report_kb_links (report_id, article_id, office_id, linked_by_name, linked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, article_id) DO NOTHING",
        )
        .bind(report_id)
        .bind(article_id)
        .bind(office_id)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    pub(crate) async fn report_articles_impl(&self, office_id: i64, report_id: i64) -> Result<Vec<Article>> {
        let cols: Vec<String> = COLS.split(", ").map(|c| format!("a.{c}")).collect();
        let sql = format!(
            "SELECT {} FROM fault_report_kb_links l JOIN kb_articles a ON a.id = l.article_id \
             WHERE l.office_id = $1 AND l.report_id = $2 AND a.published = 1 ORDER BY l.linked_at, a.id",
            cols.join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(office_id).bind(report_id).fetch_all(&self.pool).await.map_err(map_err)?;
        rows.iter().map(article).collect()
    }

    pub(crate) async fn update_kb_article_impl(&self, office_id: i64, id: i64, f: &ArticleFields, now: i64, log: Draft) -> Result<Article> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE kb_articles SET title = $1, body = $2, category = $3, tags = $4, published = $5, title_key = $6, tags_key = $7, \
             search_key = $8, updated_at = $9 WHERE id = $10 AND office_id = $11",
        )
        .bind(&f.title)
        .bind(&f.body)
        .bind(&f.category)
        .bind(f.tags.join("\n"))
        .bind(flag(f.published))
        .bind(f.title_key())
        .bind(f.tags_key())
        .bind(f.search_key())
        .bind(now)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "article" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.kb_article_impl(office_id, id).await
    }

    pub(crate) async fn add_kb_articles_impl(&self, office_id: i64, items: Vec<(NewArticle, Draft)>, now: i64) -> Result<Vec<i64>> {
        let mut tx = self.begin_write().await?;
        let mut ids = vec![];
        for (a, mut log) in items {
            // Another administrator's click a moment earlier: the unique source skips the row,
            // and its entry is not written.
            if let Some(id) = Self::insert_kb(&mut tx, office_id, &a, now).await? {
                log.object.get_or_insert_with(|| ObjectRef::new("kb_article", id, &a.fields.title));
                append_tx(&mut tx, log, now).await?;
                ids.push(id);
            }
        }
        tx.commit().await.map_err(map_err)?;
        Ok(ids)
    }
}
