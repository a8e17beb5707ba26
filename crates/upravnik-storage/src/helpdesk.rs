//! Fault reports (R.52–R.53): reports, their numbers, steps and comments.

use crate::assets::history_rows;
use crate::mail::{OutboxEvent, outbox_event_tx};
use crate::rows::{Arg, Get, bind_args, count_of, flag, map_err, push_arg};
use crate::search_scope::{SearchTable, text_like};
use crate::worklog::{append_timed_tx, append_tx};
use crate::{Backend, SqlStore};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};
use upravnik_core::helpdesk::{
    AssetStep, AssigneeFilter, Channel, Comment, LateFilter, NUMBER_SLOT, NewComment, NewReport, Priority, Report, ReportCategory,
    ReportQuery, ReportScope, ReportSort, ReportState, ReportStep, StateFilter, Step, format_number,
};
use upravnik_core::mail::NoticeKind;
use upravnik_core::org::Page;
use upravnik_core::sla::{SlaTargets, Target};
use upravnik_core::sla_service::SlaSettings;
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

const COLS: &str = "r.id, r.office_id, r.number, r.reporter_id, rp.given_name AS r_given, rp.family_name AS r_family, \
     rp.unit_id AS r_unit, r.asset_id, a.inventory_number, a.manufacturer, a.model, r.channel, r.title, r.description, r.category, \
     r.priority, r.state, r.assignee_user_id, ap.given_name AS a_given, ap.family_name AS a_family, r.recorded_by_name, r.minutes, \
     r.created_at, r.updated_at, r.first_response_at, r.resolved_at, r.closed_at, r.response_due_at, r.resolution_due_at";
/// The reporter's and assignee's names and the device, for the rows of [`COLS`].
const JOINS: &str = "JOIN people rp ON rp.id = r.reporter_id LEFT JOIN assets a ON a.id = r.asset_id \
     LEFT JOIN users au ON au.id = r.assignee_user_id LEFT JOIN people ap ON ap.id = au.person_id";

fn bad(what: &str) -> Error {
    Error::Storage(format!("unknown fault report {what} in the database"))
}

fn name(given: Option<String>, family: Option<String>) -> Option<String> {
    match (given, family) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        _ => None,
    }
}

fn report(r: &AnyRow) -> Result<Report> {
    let asset_label = match r.opt_text("inventory_number")? {
        Some(inv) => Some(
            format!("{inv} {} {}", r.opt_text("manufacturer")?.unwrap_or_default(), r.opt_text("model")?.unwrap_or_default())
                .trim()
                .to_string(),
        ),
        None => None,
    };
    Ok(Report {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        number: r.text("number")?,
        reporter_id: r.i64("reporter_id")?,
        reporter_name: name(r.opt_text("r_given")?, r.opt_text("r_family")?).unwrap_or_default(),
        reporter_unit_id: r.opt_i64("r_unit")?,
        asset_id: r.opt_i64("asset_id")?,
        asset_label,
        channel: Channel::parse(&r.text("channel")?).ok_or_else(|| bad("channel"))?,
        title: r.text("title")?,
        description: r.text("description")?,
        category: ReportCategory::parse(&r.text("category")?).ok_or_else(|| bad("category"))?,
        priority: Priority::parse(&r.text("priority")?).ok_or_else(|| bad("priority"))?,
        state: ReportState::parse(&r.text("state")?).ok_or_else(|| bad("state"))?,
        assignee_id: r.opt_i64("assignee_user_id")?,
        assignee_name: name(r.opt_text("a_given")?, r.opt_text("a_family")?),
        recorded_by: r.text("recorded_by_name")?,
        minutes: r.i64("minutes")?,
        created_us: r.i64("created_at")?,
        updated_us: r.i64("updated_at")?,
        first_response_us: r.opt_i64("first_response_at")?,
        resolved_us: r.opt_i64("resolved_at")?,
        closed_us: r.opt_i64("closed_at")?,
        response_due_us: r.opt_i64("response_due_at")?,
        resolution_due_us: r.opt_i64("resolution_due_at")?,
    })
}

/// Ranks for sorting by words whose alphabetical order means nothing.
const PRIORITY_RANK: &str = "CASE r.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END";
const STATE_RANK: &str = "CASE r.state WHEN 'new' THEN 0 WHEN 'accepted' THEN 1 WHEN 'on_site' THEN 2 WHEN 'in_ict_office' THEN 3 \
     WHEN 'at_service' THEN 4 WHEN 'resolved' THEN 5 ELSE 6 END";
/// The deadline order; a report without a deadline goes last (NULL sorts differently on the two
/// databases). Written exactly as the indexes of migration 0016 are.
const DUE: &str = "COALESCE(r.resolution_due_at, 9223372036854775807)";
/// Neither resolved nor closed, written as the partial indexes of migration 0016 are.
const OPEN: &str = "r.state NOT IN ('resolved', 'closed')";

/// `ORDER BY` of the list; every order ends in the id, so pages never overlap.
fn report_order(q: &ReportQuery) -> String {
    let (asc, desc) = if q.desc { ("DESC", "ASC") } else { ("ASC", "DESC") };
    match q.sort {
        ReportSort::Created => format!("r.id {desc}"),
        ReportSort::Updated => format!("r.updated_at {desc}, r.id {desc}"),
        ReportSort::Priority => format!("{PRIORITY_RANK} {asc}, r.id DESC"),
        ReportSort::State => format!("{STATE_RANK} {asc}, r.id DESC"),
        // Ties (reports without a deadline) follow the direction too, so one index serves both.
        ReportSort::Due => format!("{DUE} {asc}, r.id {asc}"),
    }
}

/// The normalised search term of a list query; empty for none.
fn search_term(q: &ReportQuery) -> String {
    q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(search_key).unwrap_or_default()
}

/// A search term matching more reports than this walks the list in its order instead of driving
/// with its matches (as the asset list does, `assets::COMMON_WORD`).
const COMMON_WORD: i64 = 2_000;

/// The `FROM … WHERE` of a list's page and of its count, which share their bound values.
struct ListSql {
    page: String,
    count: String,
    args: Vec<Arg>,
    /// A text search: planned with its term each time.
    searching: bool,
}

/// How a list's search term is searched.
#[derive(Clone, Copy)]
struct ReportText {
    /// SQLite: the term matches more than [`COMMON_WORD`] reports.
    common: bool,
    /// PostgreSQL: read through the office, not the trigram index ([`crate::search_scope`]).
    office_first: bool,
}

/// The list with only the filters that are set, values bound, so each filter can use its index
/// (the ones of 0011, 0014 and 0016).
fn report_filter(q: &ReportQuery, backend: Backend, text: ReportText) -> ListSql {
    let common = text.common;
    let mut args = vec![Arg::Int(q.office_id)];
    let mut conds = vec!["r.office_id = $1".to_string()];
    match q.scope {
        ReportScope::Office => {}
        ReportScope::Reporter(p) => conds.push(format!("r.reporter_id = {}", push_arg(&mut args, Arg::Int(p)))),
        ReportScope::Unit(u) => {
            let u = push_arg(&mut args, Arg::Int(u));
            conds.push(format!(
                "r.reporter_id IN (SELECT p.id FROM people p WHERE p.office_id = $1 AND p.unit_id IN \
                 (SELECT u.id FROM org_units u WHERE u.id = {u} OR u.parent_id = {u}))"
            ));
        }
    }
    let term = search_term(q);
    let searching = !term.is_empty();
    let mut page_from = "fault_reports r".to_string();
    let mut count_from = page_from.clone();
    let mut page_only = None;
    if searching && backend == Backend::Sqlite && term.chars().count() >= 3 {
        // The FTS5 trigram index (0016) holds `search_key`, which is lower case, Latin and without
        // diacritics, as the term is: a phrase of its trigrams matches exactly the rows whose key
        // contains the term, the answer of `LIKE '%term%'`, without reading the rows. The count,
        // and the page of a rare term, start from the matches; the page of a common term
        // (`COMMON_WORD`) walks the list in its own order and only looks the ids up (`+` keeps
        // SQLite from driving with them), so it stops after its rows instead of sorting thousands.
        let m = push_arg(&mut args, Arg::Text(format!("\"{}\"", term.replace('"', "\"\""))));
        count_from = format!(
            "(SELECT f.rowid AS fid FROM fault_reports_fts f WHERE f.fault_reports_fts MATCH {m}) t JOIN fault_reports r ON r.id = t.fid"
        );
        if common {
            page_only = Some(format!("+r.id IN (SELECT f.rowid FROM fault_reports_fts f WHERE f.fault_reports_fts MATCH {m})"));
        } else {
            page_from = count_from.clone();
        }
    } else if searching {
        // PostgreSQL: the pg_trgm index (0016) serves the `LIKE` itself, except in a small office
        // among many ([`crate::search_scope`]). Trigrams need three letters; a shorter term scans
        // on either database.
        let p = push_arg(&mut args, Arg::Text(crate::rows::search(&q.q)));
        conds.push(text_like("r.search_key", &p, text.office_first));
    }
    match q.state {
        Some(StateFilter::Is(s)) => conds.push(format!("r.state = {}", push_arg(&mut args, Arg::Text(s.as_str().into())))),
        Some(StateFilter::Open) => conds.push(OPEN.into()),
        None => {}
    }
    if let Some(p) = q.priority {
        conds.push(format!("r.priority = {}", push_arg(&mut args, Arg::Text(p.as_str().into()))));
    }
    match q.assignee {
        Some(AssigneeFilter::User(u)) => conds.push(format!("r.assignee_user_id = {}", push_arg(&mut args, Arg::Int(u)))),
        Some(AssigneeFilter::Nobody) => conds.push("r.assignee_user_id IS NULL".into()),
        None => {}
    }
    if let Some(late) = q.late {
        let now = push_arg(&mut args, Arg::Int(q.now_us));
        // Each side as its partial index (0016) is written; `any` is their union.
        let response = format!("(r.first_response_at IS NULL AND {OPEN} AND r.response_due_at < {now})");
        let resolution = format!("({OPEN} AND {DUE} < {now})");
        conds.push(match late {
            LateFilter::Response => response,
            LateFilter::Resolution => resolution,
            LateFilter::Any => format!("({response} OR {resolution})"),
        });
    }
    // With another filter besides the office, a common term is counted as the page finds it:
    // through that filter's index, looking the ids up (83 of 1,252 new reports: 2 ms instead of
    // 7 ms for joining all 7,000 matches).
    let narrowed = conds.len() > 1;
    let filter = conds.join(" AND ");
    let (page, count) = match page_only {
        Some(c) if narrowed => (format!("{page_from} WHERE {filter} AND {c}"), format!("{page_from} WHERE {filter} AND {c}")),
        Some(c) => (format!("{page_from} WHERE {filter} AND {c}"), format!("{count_from} WHERE {filter}")),
        None => (format!("{page_from} WHERE {filter}"), format!("{count_from} WHERE {filter}")),
    };
    ListSql { page, count, args, searching }
}

impl SqlStore {
    pub(crate) async fn list_reports_impl(&self, q: &ReportQuery) -> Result<Page<Report>> {
        let ListSql { page: page_sql, count: count_sql, args, searching: probe } =
            report_filter(q, self.backend, self.report_text(q).await?);
        let order = report_order(q);
        let per_page = i64::from(q.per_page.clamp(1, 500));
        let n = args.len();
        // The page's ids first, from `fault_reports` and its indexes alone; the joins for the
        // names and the device are done for those 50 rows only, not for every row a sort or a
        // deep page walks past.
        let page = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM (SELECT r.id AS pid FROM {page_sql} ORDER BY {order} LIMIT ${} OFFSET ${}) pg \
             JOIN fault_reports r ON r.id = pg.pid {JOINS} ORDER BY {order}",
            n + 1,
            n + 2
        )))
        // A text search is planned with its word each time: how many reports it matches decides
        // the plan, and a generic plan (PostgreSQL's after five runs) cannot know it.
        .persistent(!probe);
        let page = bind_args(page, &args).bind(per_page).bind(i64::from(q.page.max(1) - 1) * per_page);
        let (rows, total) = if probe {
            // A search reads each match for its count as well as for its page: both at once, on
            // two connections (PostgreSQL rechecks every trigram match in the table).
            tokio::try_join!(async { page.fetch_all(&self.pool).await.map_err(map_err) }, count_of(&self.pool, &count_sql, &args, !probe))?
        } else {
            let rows = page.fetch_all(&self.pool).await.map_err(map_err)?;
            let total: i64 = if q.page <= 1 && rows.len() < usize::try_from(per_page).unwrap_or(usize::MAX) {
                // The first page holds them all: nothing more to count.
                i64::try_from(rows.len()).unwrap_or(0)
            } else {
                count_of(&self.pool, &count_sql, &args, !probe).await?
            };
            (rows, total)
        };
        Ok(Page { items: rows.iter().map(report).collect::<Result<_>>()?, total, page: q.page.max(1), per_page: q.per_page })
    }

    /// How many reports the query matches, without reading a page of them (the home page's counts).
    pub(crate) async fn count_reports_impl(&self, q: &ReportQuery) -> Result<i64> {
        let ListSql { count: count_sql, args, searching: probe, .. } = report_filter(q, self.backend, self.report_text(q).await?);
        count_of(&self.pool, &count_sql, &args, !probe).await
    }

    /// How the list's search term is searched (nothing to decide without one).
    async fn report_text(&self, q: &ReportQuery) -> Result<ReportText> {
        if search_term(q).is_empty() {
            return Ok(ReportText { common: false, office_first: false });
        }
        Ok(ReportText {
            common: self.common_report_word(q).await?,
            office_first: self.office_first(SearchTable::FaultReports, q.office_id).await?,
        })
    }

    /// Whether the search term matches more than [`COMMON_WORD`] reports; the probe stops
    /// counting there (SQLite counts in its FTS5 index alone, over all offices). Only SQLite's
    /// plan depends on it: PostgreSQL's planner weighs the term itself.
    async fn common_report_word(&self, q: &ReportQuery) -> Result<bool> {
        let term = search_term(q);
        if term.chars().count() < 3 || self.backend != Backend::Sqlite {
            return Ok(false);
        }
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM fault_reports_fts f WHERE f.fault_reports_fts MATCH $1 LIMIT $2) t")
                .bind(format!("\"{}\"", term.replace('"', "\"\"")))
                .bind(COMMON_WORD + 1)
                .persistent(false)
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(n > COMMON_WORD)
    }

    pub(crate) async fn get_report_impl(&self, office_id: i64, id: i64) -> Result<Report> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM fault_reports r {JOINS} WHERE r.office_id = $1 AND r.id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(report).transpose()?.ok_or(Error::NotFound { what: "report" })
    }

    /// A new report, written in a batch with the others that queued while the one before was
    /// written (group commit): one transaction and one commit for all of them, on SQLite the one
    /// writer's turn, on PostgreSQL the office counter row, held once per batch instead of once
    /// per report. Each report still gets its own number, first step and work-log entry, and is
    /// answered only after the commit that holds it.
    pub(crate) async fn create_report_impl(&self, office_id: i64, n: &NewReport, now: i64, log: Draft) -> Result<(i64, String)> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.report_queue.push(QueuedReport { office_id, report: n.clone(), now, log, done });
        // Written by a task of its own, so a client that hangs up never cancels a batch that
        // holds other clients' reports.
        let store = self.clone();
        tokio::spawn(async move { store.write_queued_reports().await });
        answer.await.map_err(|_| Error::Storage("the report writer stopped".into()))?
    }

    /// Takes the writer's turn and writes what is queued (nothing, when an earlier batch took it).
    async fn write_queued_reports(&self) {
        // Queue in the process: on SQLite rather than in the busy handler, whose sleeps idle the
        // writer when many reports come at once (p99 0.4 s at 16 clients without this); on
        // PostgreSQL rather than on the counter row (`SqlStore::report_writer`).
        let mut turn = match self.backend {
            Backend::Sqlite => self.agent_turn().await,
            Backend::Postgres => Some(self.report_writer.clone().lock_owned().await),
        };
        let batch = self.report_queue.take(REPORT_BATCH);
        if batch.is_empty() {
            return;
        }
        let written = async {
            let mut tx = self.begin_write().await?;
            let mut made = Vec::with_capacity(batch.len());
            let mut logs = Vec::with_capacity(batch.len());
            for q in &batch {
                let (id, number, log) = insert_report_tx(&mut tx, q.office_id, &q.report, q.now, q.log.clone()).await?;
                made.push((id, number));
                logs.push((log, q.now));
            }
            // The batch's entries as consecutive links of the office's chain: one head update
            // and one insert for all of them (per office, in the order they queued).
            for office in logs.chunk_by(|a, b| a.0.office_id == b.0.office_id) {
                match office {
                    // One entry: on PostgreSQL `append_tx` moves the head in its insert, a round
                    // trip fewer (what a single client waits for).
                    [(log, now)] => append_tx(&mut tx, log.clone(), *now).await.map(drop)?,
                    _ => append_timed_tx(&mut tx, office.to_vec(), REPORT_BATCH).await?,
                }
            }
            if self.backend == Backend::Postgres {
                // The next batch may go on to the counter row, where it waits for this commit:
                // the commit's round trip leaves the queue.
                drop(turn.take());
            }
            tx.commit().await.map_err(map_err)?;
            Ok::<_, Error>(made)
        }
        .await;
        match written {
            Ok(made) => {
                for (q, m) in batch.into_iter().zip(made) {
                    let _ = q.done.send(Ok(m));
                }
            }
            Err(_) if batch.len() > 1 => {
                // One report the database refused (rolled back with the rest): each on its own,
                // so only that one fails.
                for q in batch {
                    let made = self.create_one_report(&q).await;
                    let _ = q.done.send(made);
                }
            }
            Err(e) => {
                if let Some(q) = batch.into_iter().next() {
                    let _ = q.done.send(Err(e));
                }
            }
        }
        drop(turn);
    }

    async fn create_one_report(&self, q: &QueuedReport) -> Result<(i64, String)> {
        let mut tx = self.begin_write().await?;
        let made = create_report_tx(&mut tx, q.office_id, &q.report, q.now, q.log.clone()).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(made)
    }

    pub(crate) async fn move_report_impl(
        &self,
        office_id: i64,
        id: i64,
        s: &ReportStep,
        asset: Option<AssetStep>,
        now: i64,
        log: Draft,
    ) -> Result<Report> {
        let mut tx = self.begin_write().await?;
        move_report_tx(&mut tx, office_id, id, s, asset, now, log).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_report_impl(office_id, id).await
    }

    pub(crate) async fn add_report_comment_impl(
        &self,
        office_id: i64,
        id: i64,
        c: &NewComment,
        first_response: bool,
        now: i64,
        log: Draft,
    ) -> Result<Comment> {
        let mut tx = self.begin_write().await?;
        let comment = add_comment_tx(&mut tx, office_id, id, c, first_response, c.public, now, log).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(comment)
    }

    pub(crate) async fn report_timeline_impl(&self, office_id: i64, id: i64, internal: bool) -> Result<(Vec<Step>, Vec<Comment>)> {
        let rows = sqlx::query(
            "SELECT s.id, s.from_state, s.to_state, s.assignee_user_id, ap.given_name, ap.family_name, s.note, s.minutes, s.actor_name, \
             s.created_at FROM fault_report_steps s LEFT JOIN users au ON au.id = s.assignee_user_id \
             LEFT JOIN people ap ON ap.id = au.person_id WHERE s.office_id = $1 AND s.report_id = $2 ORDER BY s.id",
        )
        .bind(office_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let steps = rows
            .iter()
            .map(|r| {
                Ok(Step {
                    id: r.i64("id")?,
                    from: match r.opt_text("from_state")? {
                        Some(s) => Some(ReportState::parse(&s).ok_or_else(|| bad("state"))?),
                        None => None,
                    },
                    to: ReportState::parse(&r.text("to_state")?).ok_or_else(|| bad("state"))?,
                    assignee_id: r.opt_i64("assignee_user_id")?,
                    assignee_name: name(r.opt_text("given_name")?, r.opt_text("family_name")?),
                    note: r.text("note")?,
                    minutes: r.i64("minutes")?,
                    actor_name: r.text("actor_name")?,
                    at_us: r.i64("created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let rows = sqlx::query(
            "SELECT id, body, public, minutes, actor_user_id, actor_name, created_at FROM fault_report_comments \
             WHERE office_id = $1 AND report_id = $2 AND ($3 = 1 OR public = 1) ORDER BY id",
        )
        .bind(office_id)
        .bind(id)
        .bind(flag(internal))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let comments = rows
            .iter()
            .map(|r| {
                Ok(Comment {
                    id: r.i64("id")?,
                    body: r.text("body")?,
                    public: r.flag("public")?,
                    minutes: r.i64("minutes")?,
                    actor_user_id: r.opt_i64("actor_user_id")?,
                    actor_name: r.text("actor_name")?,
                    at_us: r.i64("created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((steps, comments))
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn set_report_priority_impl(
        &self,
        office_id: i64,
        id: i64,
        from: Priority,
        to: Priority,
        due: (Option<i64>, Option<i64>),
        now: i64,
        log: Draft,
    ) -> Result<Report> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE fault_reports SET priority = $1, response_due_at = $2, resolution_due_at = $3, updated_at = $4 \
             WHERE id = $5 AND office_id = $6 AND priority = $7",
        )
        .bind(to.as_str())
        .bind(due.0)
        .bind(due.1)
        .bind(now)
        .bind(id)
        .bind(office_id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "report_changed", field: None });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_report_impl(office_id, id).await
    }

    pub(crate) async fn reports_in_period_impl(&self, office_id: i64, from: i64, to: i64) -> Result<Vec<Report>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM fault_reports r {JOINS} WHERE r.office_id = $1 AND ((r.created_at >= $2 AND r.created_at < $3) \
             OR (r.resolved_at >= $2 AND r.resolved_at < $3)) ORDER BY r.id"
        )))
        .bind(office_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(report).collect()
    }

    pub(crate) async fn sla_settings_impl(&self, office_id: i64) -> Result<Option<SlaSettings>> {
        let r = sqlx::query("SELECT * FROM sla_settings WHERE office_id = $1")
            .bind(office_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        let Some(r) = r else { return Ok(None) };
        let days_text = r.text("days")?;
        let mut days = [false; 7];
        for d in days_text.split(',').filter_map(|d| d.trim().parse::<usize>().ok()) {
            if let Some(slot) = days.get_mut(d.wrapping_sub(1)) {
                *slot = true;
            }
        }
        let t = |p: &str| -> Result<Target> {
            Ok(Target { first_response_min: r.i64(&format!("{p}_response"))?, resolution_min: r.i64(&format!("{p}_resolution"))? })
        };
        Ok(Some(SlaSettings {
            office_id,
            days,
            start: r.text("start_time")?,
            end: r.text("end_time")?,
            targets: SlaTargets { urgent: t("urgent")?, high: t("high")?, normal: t("normal")?, low: t("low")? },
        }))
    }

    pub(crate) async fn save_sla_settings_impl(&self, s: &SlaSettings, now: i64, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let days: Vec<String> = s.days.iter().enumerate().filter(|(_, on)| **on).map(|(i, _)| (i + 1).to_string()).collect();
        let t = &s.targets;
        sqlx::query(
            "INSERT INTO sla_settings (office_id, days, start_time, end_time, urgent_response, urgent_resolution, high_response, \
             high_resolution, normal_response, normal_resolution, low_response, low_resolution, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (office_id) DO UPDATE SET \
             days = excluded.days, start_time = excluded.start_time, end_time = excluded.end_time, \
             urgent_response = excluded.urgent_response, urgent_resolution = excluded.urgent_resolution, \
             high_response = excluded.high_response, high_resolution = excluded.high_resolution, \
             normal_response = excluded.normal_response, normal_resolution = excluded.normal_resolution, \
             low_response = excluded.low_response, low_resolution = excluded.low_resolution, updated_at = excluded.updated_at",
        )
        .bind(s.office_id)
        .bind(days.join(","))
        .bind(&s.start)
        .bind(&s.end)
        .bind(t.urgent.first_response_min)
        .bind(t.urgent.resolution_min)
        .bind(t.high.first_response_min)
        .bind(t.high.resolution_min)
        .bind(t.normal.first_response_min)
        .bind(t.normal.resolution_min)
        .bind(t.low.first_response_min)
        .bind(t.low.resolution_min)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(())
    }
}

/// A move inside a transaction the caller holds (a move alone, or with the hand-over record or
/// service sheet that makes it).
pub(crate) async fn move_report_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    id: i64,
    s: &ReportStep,
    asset: Option<AssetStep>,
    now: i64,
    log: Draft,
) -> Result<()> {
    let n = sqlx::query(
        "UPDATE fault_reports SET state = $1, assignee_user_id = $2, minutes = minutes + $3, updated_at = $4, \
         first_response_at = CASE WHEN $5 = 1 AND first_response_at IS NULL THEN $4 ELSE first_response_at END, \
         resolved_at = CASE WHEN $1 = 'resolved' THEN $4 WHEN $1 = 'closed' THEN resolved_at ELSE NULL END, \
         closed_at = CASE WHEN $1 = 'closed' THEN $4 ELSE NULL END \
         WHERE id = $6 AND office_id = $7 AND state = $8",
    )
    .bind(s.to.as_str())
    .bind(s.assignee_id)
    .bind(s.minutes)
    .bind(now)
    .bind(flag(s.first_response))
    .bind(id)
    .bind(office_id)
    .bind(s.from.as_str())
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    if n.rows_affected() == 0 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM fault_reports WHERE id = $1 AND office_id = $2")
            .bind(id)
            .bind(office_id)
            .fetch_optional(&mut **tx)
            .await
            .map_err(map_err)?;
        // Moved by someone else since it was read: refuse rather than overwrite their step.
        return Err(if exists.is_some() {
            Error::Conflict { code: "report_changed", field: None }
        } else {
            Error::NotFound { what: "report" }
        });
    }
    sqlx::query(
        "INSERT INTO fault_report_steps (office_id, report_id, from_state, to_state, assignee_user_id, note, minutes, actor_user_id, \
         actor_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(office_id)
    .bind(id)
    .bind(s.from.as_str())
    .bind(s.to.as_str())
    .bind(s.assignee_id)
    .bind(&s.note)
    .bind(s.minutes)
    .bind(log.actor_user_id)
    .bind(&log.actor_name)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    if s.from != s.to {
        let e = OutboxEvent { kind: NoticeKind::State, from: Some(s.from), to: Some(s.to), comment_id: None, text: &s.note };
        outbox_event_tx(tx, office_id, id, &e, &log, now).await?;
    }
    append_tx(tx, log, now).await?;
    if let Some(a) = asset {
        let n = sqlx::query("UPDATE assets SET status = $1, updated_at = $2 WHERE id = $3 AND office_id = $4 AND status = $5")
            .bind(a.status.as_str())
            .bind(now)
            .bind(a.asset_id)
            .bind(office_id)
            .bind(a.expected.as_str())
            .execute(&mut **tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::Conflict { code: "asset_changed", field: None });
        }
        history_rows(tx, a.asset_id, std::slice::from_ref(&a.change), &a.log, now).await?;
        append_tx(tx, a.log, now).await?;
    }
    Ok(())
}

/// The values of a new report's insert, in the order both of its statements number them: `$2` the
/// year or the number, `$12` the search key or its part after the number.
fn bind_report<'q, T>(
    q: sqlx::query::QueryAs<'q, Any, (i64, String), sqlx::any::AnyArguments>,
    office_id: i64,
    second: T,
    n: &'q NewReport,
    log: &'q Draft,
    key: String,
    now: i64,
) -> sqlx::query::QueryAs<'q, Any, (i64, String), sqlx::any::AnyArguments>
where
    T: 'q + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    q.bind(office_id)
        .bind(second)
        .bind(n.reporter_id)
        .bind(n.asset_id)
        .bind(n.channel.as_str())
        .bind(&n.title)
        .bind(&n.description)
        .bind(n.category.as_str())
        .bind(n.priority.as_str())
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(key)
        .bind(now)
        .bind(n.response_due_us)
        .bind(n.resolution_due_us)
}

/// The number, the report and its first step as three statements (SQLite, where a statement
/// costs no round trip).
async fn create_report_rows(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    n: &NewReport,
    now: i64,
    log: &Draft,
) -> Result<(i64, String)> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO fault_report_numbers (office_id, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (office_id, year) DO UPDATE SET last = fault_report_numbers.last + 1 RETURNING last",
    )
    .bind(office_id)
    .bind(i64::from(n.year))
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    let number = format_number(n.year, seq);
    let key = search_key(&format!("{number} {}", n.search_text));
    let insert = sqlx::query_as(
        "INSERT INTO fault_reports (office_id, number, reporter_id, asset_id, channel, title, description, category, priority, state, \
         recorded_by_user_id, recorded_by_name, search_key, created_at, updated_at, response_due_at, resolution_due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $11, $12, $13, $13, $14, $15) RETURNING id, number",
    );
    let (id, number): (i64, String) =
        bind_report(insert, office_id, number, n, log, key, now).fetch_one(&mut **tx).await.map_err(map_err)?;
    sqlx::query(
        "INSERT INTO fault_report_steps (office_id, report_id, from_state, to_state, actor_user_id, actor_name, created_at) \
         VALUES ($1, $2, NULL, 'new', $3, $4, $5)",
    )
    .bind(office_id)
    .bind(id)
    .bind(log.actor_user_id)
    .bind(&log.actor_name)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok((id, number))
}

/// At most this many reports in one transaction.
const REPORT_BATCH: usize = 64;

/// A report waiting for the writer, and where its number goes once it is committed.
pub(crate) struct QueuedReport {
    office_id: i64,
    report: NewReport,
    now: i64,
    log: Draft,
    done: tokio::sync::oneshot::Sender<Result<(i64, String)>>,
}

/// Reports waiting for the writer ([`SqlStore::create_report_impl`]), oldest first.
#[derive(Clone, Default)]
pub(crate) struct ReportQueue(std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<QueuedReport>>>);

impl ReportQueue {
    fn push(&self, r: QueuedReport) {
        if let Ok(mut q) = self.0.lock() {
            q.push_back(r);
        }
    }

    fn take(&self, at_most: usize) -> Vec<QueuedReport> {
        self.0
            .lock()
            .map(|mut q| {
                let n = q.len().min(at_most);
                q.drain(..n).collect()
            })
            .unwrap_or_default()
    }
}

/// A new report with its number, first step and work-log entry, inside a transaction the caller
/// holds (a report alone, or one made from an e-mail with the record of the message).
pub(crate) async fn create_report_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    n: &NewReport,
    now: i64,
    log: Draft,
) -> Result<(i64, String)> {
    let (id, number, log) = insert_report_tx(tx, office_id, n, now, log).await?;
    append_tx(tx, log, now).await?;
    Ok((id, number))
}

/// A new report with its number and first step, and its work-log entry made ready (number and
/// object filled in) for the caller to append.
async fn insert_report_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    n: &NewReport,
    now: i64,
    mut log: Draft,
) -> Result<(i64, String, Draft)> {
    // The counter row is locked by the upsert until commit, so two reports never share a number.
    let (id, number) = if Backend::of(tx) == Backend::Postgres {
        // One statement: the counter, the report and its first step (two round trips fewer while
        // the counter row is held, which orders all of an office's reports). The number is
        // written as `format_number` writes it, and its search key as `search_key` would.
        let rest = search_key(&n.search_text);
        let insert = sqlx::query_as(
            "WITH n AS (INSERT INTO fault_report_numbers (office_id, year, last) VALUES ($1, $2, 1) \
               ON CONFLICT (office_id, year) DO UPDATE SET last = fault_report_numbers.last + 1 RETURNING last), \
             k AS (SELECT $2::text || '-' || lpad(n.last::text, GREATEST(6, length(n.last::text)), '0') AS tail FROM n), \
             r AS (INSERT INTO fault_reports (office_id, number, reporter_id, asset_id, channel, title, description, category, priority, \
               state, recorded_by_user_id, recorded_by_name, search_key, created_at, updated_at, response_due_at, resolution_due_at) \
               SELECT $1, 'П-' || k.tail, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $11, \
               'p-' || k.tail || CASE WHEN $12 = '' THEN '' ELSE ' ' || $12 END, $13, $13, $14, $15 FROM k RETURNING id, number), \
             s AS (INSERT INTO fault_report_steps (office_id, report_id, from_state, to_state, actor_user_id, actor_name, created_at) \
               SELECT $1, r.id, NULL, 'new', $10, $11, $13 FROM r) \
             SELECT id, number FROM r",
        );
        bind_report(insert, office_id, i64::from(n.year), n, &log, rest, now).fetch_one(&mut **tx).await.map_err(map_err)?
    } else {
        create_report_rows(tx, office_id, n, now, &log).await?
    };
    log.text = log.text.replace(NUMBER_SLOT, &number);
    log.object.get_or_insert_with(|| ObjectRef::new("fault_report", id, &number));
    Ok((id, number, log))
}

/// A comment with its work-log entry inside a transaction the caller holds; with `notify` the
/// reporter is told (`mail::outbox_event_tx`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn add_comment_tx(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    id: i64,
    c: &NewComment,
    first_response: bool,
    notify: bool,
    now: i64,
    log: Draft,
) -> Result<Comment> {
    let n = sqlx::query(
        "UPDATE fault_reports SET minutes = minutes + $1, updated_at = $2, \
         first_response_at = CASE WHEN $3 = 1 AND first_response_at IS NULL THEN $2 ELSE first_response_at END \
         WHERE id = $4 AND office_id = $5",
    )
    .bind(c.minutes)
    .bind(now)
    .bind(flag(first_response))
    .bind(id)
    .bind(office_id)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    if n.rows_affected() == 0 {
        return Err(Error::NotFound { what: "report" });
    }
    let cid: i64 = sqlx::query_scalar(
        "INSERT INTO fault_report_comments (office_id, report_id, body, public, minutes, actor_user_id, actor_name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(office_id)
    .bind(id)
    .bind(&c.body)
    .bind(flag(c.public))
    .bind(c.minutes)
    .bind(log.actor_user_id)
    .bind(&log.actor_name)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    let comment = Comment {
        id: cid,
        body: c.body.clone(),
        public: c.public,
        minutes: c.minutes,
        actor_user_id: log.actor_user_id,
        actor_name: log.actor_name.clone(),
        at_us: now,
    };
    if notify {
        let e = OutboxEvent { kind: NoticeKind::Comment, from: None, to: None, comment_id: Some(cid), text: &c.body };
        outbox_event_tx(tx, office_id, id, &e, &log, now).await?;
    }
    append_tx(tx, log, now).await?;
    Ok(comment)
}
