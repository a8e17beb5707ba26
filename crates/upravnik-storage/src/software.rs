//! Licensed software: the catalogue, licences, recognition rules, what the last recompute found
//! per workstation, and the removal tasks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::Backend;
use crate::SqlStore;
use crate::dialect::json_param;
use crate::rows::{Get, map_err};
use crate::worklog::{append_many_tx, append_tx};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Transaction};
use upravnik_core::clock::Micros;
use upravnik_core::software::{
    Category, Installed, Licence, LicenceFields, LicenceKind, MatchKind, Product, ProductFields, Recognition, Rule, RuleFields,
};
use upravnik_core::software_service::{SoftwareState, Task, Title};
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

fn rule(r: &AnyRow) -> Result<Rule> {
    Ok(Rule {
        id: r.i64("id")?,
        product_id: r.opt_i64("product_id")?,
        kind: MatchKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown rule kind".into()))?,
        pattern: r.text("pattern")?,
        version_prefix: r.text("version_prefix")?,
    })
}

fn licence(r: &AnyRow) -> Result<Licence> {
    Ok(Licence {
        id: r.i64("id")?,
        product_id: r.i64("product_id")?,
        kind: LicenceKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown licence kind".into()))?,
        seats: r.opt_i64("seats")?,
        valid_from: r.opt_text("valid_from")?,
        valid_to: r.opt_text("valid_to")?,
        contract: r.text("contract")?,
        procurement: r.text("procurement")?,
        note: r.text("note")?,
    })
}

/// Where a workstation is: the unit of its workplace, or of the person who holds it.
const ASSET_UNIT: &str = "LEFT JOIN workplaces w ON w.id = a.workplace_id LEFT JOIN people pe ON pe.id = a.person_id \
     LEFT JOIN org_units ou ON ou.id = COALESCE(w.unit_id, pe.unit_id)";

impl SqlStore {
    pub(crate) async fn software_catalogue_impl(&self, office_id: i64) -> Result<Vec<Product>> {
        let rows =
            sqlx::query("SELECT id, name, vendor, category, note, active FROM software_products WHERE office_id = $1 ORDER BY name_key")
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        let licences = sqlx::query(
            "SELECT id, product_id, kind, seats, valid_from, valid_to, contract, procurement, note FROM software_licences \
             WHERE office_id = $1 AND removed_at IS NULL ORDER BY id",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut by_product: HashMap<i64, Vec<Licence>> = HashMap::new();
        for l in &licences {
            let l = licence(l)?;
            by_product.entry(l.product_id).or_default().push(l);
        }
        let mut rules: HashMap<i64, Vec<Rule>> = HashMap::new();
        for r in self.software_rules_impl(office_id).await? {
            if let Some(p) = r.product_id {
                rules.entry(p).or_default().push(r);
            }
        }
        rows.iter()
            .map(|r| {
                let id = r.i64("id")?;
                Ok(Product {
                    id,
                    name: r.text("name")?,
                    vendor: r.text("vendor")?,
                    category: Category::parse(&r.text("category")?).ok_or_else(|| Error::Storage("unknown software category".into()))?,
                    note: r.text("note")?,
                    active: r.flag("active")?,
                    licences: by_product.remove(&id).unwrap_or_default(),
                    rules: rules.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    pub(crate) async fn software_version_impl(&self, office_id: i64) -> Result<i64> {
        let v: Option<i64> = sqlx::query_scalar("SELECT version FROM software_versions WHERE office_id = $1")
            .bind(office_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(v.unwrap_or(0))
    }

    pub(crate) async fn software_rules_impl(&self, office_id: i64) -> Result<Vec<Rule>> {
        let rows = sqlx::query("SELECT id, product_id, kind, pattern, version_prefix FROM software_rules WHERE office_id = $1 ORDER BY id")
            .bind(office_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter().map(rule).collect()
    }

    pub(crate) async fn software_install_counts_impl(&self, office_id: i64) -> Result<HashMap<i64, i64>> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT product_id, COUNT(*) FROM software_installs WHERE office_id = $1 GROUP BY product_id")
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(rows.into_iter().collect())
    }

    pub(crate) async fn software_installed_on_impl(&self, office_id: i64, product_id: i64) -> Result<Vec<(i64, String)>> {
        sqlx::query_as(
            "SELECT a.id, a.inventory_number FROM software_installs si JOIN assets a ON a.id = si.asset_id \
             WHERE si.office_id = $1 AND si.product_id = $2 ORDER BY a.inventory_number",
        )
        .bind(office_id)
        .bind(product_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn save_software_product_impl(
        &self,
        office_id: i64,
        id: Option<i64>,
        f: &ProductFields,
        now: Micros,
        mut log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let key = search_key(&f.name);
        let id = match id {
            None => sqlx::query_scalar(
                "INSERT INTO software_products (office_id, name, name_key, vendor, category, note, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
            )
            .bind(office_id)
            .bind(&f.name)
            .bind(&key)
            .bind(&f.vendor)
            .bind(f.category.as_str())
            .bind(&f.note)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?,
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE software_products SET name = $1, name_key = $2, vendor = $3, category = $4, note = $5, updated_at = $6 \
                     WHERE id = $7 AND office_id = $8",
                )
                .bind(&f.name)
                .bind(&key)
                .bind(&f.vendor)
                .bind(f.category.as_str())
                .bind(&f.note)
                .bind(now)
                .bind(id)
                .bind(office_id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
                if n.rows_affected() == 0 {
                    return Err(Error::NotFound { what: "software product" });
                }
                id
            }
        };
        log.object.get_or_insert(ObjectRef::new("software", id, &f.name));
        catalogue_changed(tx, office_id, log, now).await?;
        Ok(id)
    }

    pub(crate) async fn add_software_licence_impl(
        &self,
        office_id: i64,
        product_id: i64,
        f: &LicenceFields,
        now: Micros,
        log: Draft,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO software_licences (office_id, product_id, kind, seats, valid_from, valid_to, contract, procurement, note, created_at) \
             SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10 FROM software_products WHERE id = $2 AND office_id = $1 RETURNING id",
        )
        .bind(office_id)
        .bind(product_id)
        .bind(f.kind.as_str())
        .bind(f.seats)
        .bind(f.valid_from.clone())
        .bind(f.valid_to.clone())
        .bind(&f.contract)
        .bind(&f.procurement)
        .bind(&f.note)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "software product" })?;
        catalogue_changed(tx, office_id, log, now).await?;
        Ok(id)
    }

    pub(crate) async fn remove_software_licence_impl(&self, office_id: i64, licence_id: i64, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE software_licences SET removed_at = $1 WHERE id = $2 AND office_id = $3 AND removed_at IS NULL")
            .bind(now)
            .bind(licence_id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "licence" });
        }
        catalogue_changed(tx, office_id, log, now).await
    }

    pub(crate) async fn add_software_rule_impl(&self, office_id: i64, f: &RuleFields, now: Micros, log: Draft) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        if let Some(p) = f.product_id {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM software_products WHERE id = $1 AND office_id = $2")
                .bind(p)
                .bind(office_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            found.ok_or(Error::NotFound { what: "software product" })?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO software_rules (office_id, product_id, kind, pattern, version_prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(office_id)
        .bind(f.product_id)
        .bind(f.kind.as_str())
        .bind(&f.pattern)
        .bind(&f.version_prefix)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        catalogue_changed(tx, office_id, log, now).await?;
        Ok(id)
    }

    pub(crate) async fn delete_software_rule_impl(&self, office_id: i64, rule_id: i64, now: Micros, log: Draft) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM software_rules WHERE id = $1 AND office_id = $2")
            .bind(rule_id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "rule" });
        }
        catalogue_changed(tx, office_id, log, now).await
    }

    /// Counted from the installations and the office's titles when asked, not kept as rows per
    /// workstation: those were ~1,000 rows written by every new workstation's first inventory.
    pub(crate) async fn software_unknown_impl(&self, office_id: i64, limit: i64) -> Result<Vec<(String, i64)>> {
        let installed = installed_titles(self.backend);
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT TRIM(s.name) AS name, COUNT(DISTINCT s.asset_id) AS n {installed} AND {UNKNOWN} \
             AND s.asset_id NOT IN ({RETIRED}) GROUP BY TRIM(s.name) ORDER BY n DESC, name LIMIT $2"
        )))
        .bind(office_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn software_task_rows_impl(
        &self,
        office_id: i64,
        open_only: bool,
        asset_id: Option<i64>,
        unit_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Task>> {
        // One workstation's tasks by its own index, not by a condition that also fits "all".
        // Both as plain AND terms, so the index of open tasks per workstation serves them.
        let asset = if asset_id.is_some() { "t.asset_id = $3" } else { "$3 = 0" };
        let open = if open_only { "$2 = 1 AND t.closed_at IS NULL" } else { "$2 = 0" };
        let sql = format!(
            "SELECT t.id, t.asset_id, a.inventory_number, t.product_id, p.name AS product, COALESCE(ou.name, '') AS unit, t.opened_at, t.closed_at, t.close_reason \
             FROM software_tasks t JOIN assets a ON a.id = t.asset_id JOIN software_products p ON p.id = t.product_id {ASSET_UNIT} \
             WHERE t.office_id = $1 AND {open} AND {asset} \
             AND ($4 = 0 OR ou.id = $4 OR ou.parent_id = $4) ORDER BY t.closed_at IS NOT NULL, t.opened_at DESC, t.id DESC LIMIT $5"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(office_id)
            .bind(i64::from(open_only))
            .bind(asset_id.unwrap_or(0))
            .bind(unit_id.unwrap_or(0))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(Task {
                    id: r.i64("id")?,
                    asset_id: r.i64("asset_id")?,
                    asset: r.text("inventory_number")?,
                    product_id: r.i64("product_id")?,
                    product: r.text("product")?,
                    unit: r.text("unit")?,
                    opened_us: r.i64("opened_at")?,
                    closed_us: r.opt_i64("closed_at")?,
                    close_reason: r.text("close_reason")?,
                })
            })
            .collect()
    }

    pub(crate) async fn installed_software_impl(&self, office_id: i64, asset_id: Option<i64>) -> Result<Vec<Installed>> {
        // Written-off and disposed machines run nothing any more. One workstation by its own
        // index (an `OR` of both cases would make SQLite scan every installation).
        let active = "a.status NOT IN ('written_off', 'disposed')";
        let rows: Vec<(i64, String, String)> = match asset_id {
            Some(a) => {
                sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT s.asset_id, s.name, s.version FROM asset_software s JOIN assets a ON a.id = s.asset_id \
                 WHERE s.asset_id = $1 AND s.office_id = $2 AND s.removed_at IS NULL AND {active}"
                )))
                .bind(a)
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT s.asset_id, s.name, s.version FROM asset_software s JOIN assets a ON a.id = s.asset_id \
                 WHERE s.office_id = $1 AND s.removed_at IS NULL AND {active}"
                )))
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
            }
        }
        .map_err(map_err)?;
        Ok(rows.into_iter().map(|(asset_id, name, version)| Installed { asset_id, name, version }).collect())
    }

    pub(crate) async fn software_titles_impl(&self, office_id: i64) -> Result<Vec<(String, String)>> {
        sqlx::query_as("SELECT DISTINCT name, version FROM asset_software WHERE office_id = $1 AND removed_at IS NULL")
            .bind(office_id)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn replace_software_findings_impl(&self, office_id: i64, titles: &[Title], _now: Micros) -> Result<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM software_titles WHERE office_id = $1").bind(office_id).execute(&mut *tx).await.map_err(map_err)?;
        for chunk in titles.chunks(200) {
            let sql = format!(
                "INSERT INTO software_titles (office_id, name, version, product_id, ignored) VALUES {}",
                self.backend.tuples(chunk.len(), 5)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for t in chunk {
                let (product, ignored) = stored_recognition(t.recognition);
                q = q.bind(office_id).bind(t.name.as_str()).bind(t.version.as_str()).bind(product).bind(ignored);
            }
            q.execute(&mut *tx).await.map_err(map_err)?;
        }
        // What is on which workstation: each installation whose title is a product.
        let installed = installed_titles(self.backend);
        // See `Backend::rewrites_derived_rows`: SQLite writes every row again, PostgreSQL only
        // the difference (a rule change moves a few titles).
        // The rows already there are skipped by the primary key (ON CONFLICT looks the key up
        // before writing anything). Not by an anti-join against the table being written: when
        // the table was empty at planning time, PostgreSQL rescanned it for every installation
        // while the statement filled it — quadratic, 15 minutes for an office's first run.
        let clear = if self.backend.rewrites_derived_rows() {
            "DELETE FROM software_installs WHERE office_id = $1".to_string()
        } else {
            format!(
                "DELETE FROM software_installs AS x WHERE x.office_id = $1 AND (x.asset_id IN ({RETIRED}) OR NOT EXISTS \
                 (SELECT 1 {installed} AND t.product_id = x.product_id AND s.asset_id = x.asset_id))"
            )
        };
        sqlx::query(AssertSqlSafe(clear)).bind(office_id).execute(&mut *tx).await.map_err(map_err)?;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO software_installs (office_id, asset_id, product_id) SELECT t.office_id, s.asset_id, t.product_id \
             {installed} AND t.product_id IS NOT NULL AND s.asset_id NOT IN ({RETIRED}) ON CONFLICT DO NOTHING"
        )))
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let (ws, n) = counts(&mut tx, office_id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok((ws, n))
    }

    pub(crate) async fn open_software_task_count_impl(&self, office_id: i64) -> Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM software_tasks WHERE office_id = $1 AND closed_at IS NULL")
            .bind(office_id)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn stored_software_titles_impl(&self, office_id: i64) -> Result<Vec<(String, String, Recognition)>> {
        let rows: Vec<(String, String, Option<i64>, i64)> =
            sqlx::query_as("SELECT name, version, product_id, ignored FROM software_titles WHERE office_id = $1")
                .bind(office_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(n, v, p, ignored)| {
                let r = match (p, ignored) {
                    (Some(p), _) => Recognition::Product(p),
                    (None, 0) => Recognition::Unknown,
                    (None, _) => Recognition::Ignored,
                };
                (n, v, r)
            })
            .collect())
    }

    /// The counts, after taking machines written off or disposed since the last rebuild out of
    /// what is on which workstation.
    pub(crate) async fn software_counts_impl(&self, office_id: i64) -> Result<(i64, i64)> {
        let mut tx = self.begin_write().await?;
        sqlx::query(AssertSqlSafe(format!("DELETE FROM software_installs WHERE office_id = $1 AND asset_id IN ({RETIRED})")))
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let c = counts(&mut tx, office_id).await?;
        tx.commit().await.map_err(map_err)?;
        Ok(c)
    }

    pub(crate) async fn software_installs_of_impl(&self, office_id: i64, products: &BTreeSet<i64>) -> Result<Vec<(i64, i64, String)>> {
        if products.is_empty() {
            return Ok(vec![]);
        }
        let list: Vec<String> = products.iter().map(i64::to_string).collect();
        // Ids are numbers from the catalogue, written in as such.
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT si.asset_id, si.product_id, a.inventory_number FROM software_installs si JOIN assets a ON a.id = si.asset_id \
             WHERE si.office_id = $1 AND si.product_id IN ({})",
            list.join(", ")
        )))
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)
    }

    pub(crate) async fn store_software_state_impl(&self, office_id: i64, state: SoftwareState, now: Micros) -> Result<()> {
        let mut tx = self.begin_write().await?;
        if let (Some(asset), Some(installs), Some(titles)) = (state.asset_id, &state.installs, &state.titles) {
            write_workstation_findings(&mut tx, office_id, asset, installs, titles).await?;
        }
        // A whole-office recompute may open or close thousands of tasks: multi-row statements
        // and one run of work-log links. One append per task updated the chain's head row as
        // often, and PostgreSQL walks every dead version of that row on each update within the
        // transaction (16,475 tasks took 22 minutes; BENCHMARKS.md, issue 4 second pass).
        let backend = self.backend;
        let mut logs = Vec::with_capacity(state.open.len() + state.close.len());
        for chunk in state.open.chunks(backend.rows_per_insert()) {
            let sql = format!(
                "INSERT INTO software_tasks (office_id, asset_id, product_id, opened_at) VALUES {}",
                backend.tuples(chunk.len(), 4)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (asset, product, _) in chunk {
                q = q.bind(office_id).bind(*asset).bind(*product).bind(now);
            }
            q.execute(&mut *tx).await.map_err(map_err)?;
        }
        logs.extend(state.open.into_iter().map(|(_, _, log)| log));
        let mut by_reason: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (task, reason, log) in state.close {
            by_reason.entry(reason).or_default().push(task);
            logs.push(log);
        }
        for (reason, tasks) in by_reason {
            for chunk in tasks.chunks(backend.rows_per_insert()) {
                let sql = format!(
                    "UPDATE software_tasks SET closed_at = {}, close_reason = {} WHERE office_id = {} AND closed_at IS NULL AND id IN ({})",
                    backend.placeholders(1, 1),
                    backend.placeholders(2, 1),
                    backend.placeholders(3, 1),
                    backend.placeholders(4, chunk.len())
                );
                let mut q = sqlx::query(AssertSqlSafe(sql)).bind(now).bind(reason.as_str()).bind(office_id);
                for task in chunk {
                    q = q.bind(*task);
                }
                q.execute(&mut *tx).await.map_err(map_err)?;
            }
        }
        append_many_tx(&mut tx, logs, now, backend.rows_per_insert()).await?;
        tx.commit().await.map_err(map_err)
    }
}

/// One workstation's findings, replacing the products the last recompute stored for it; its
/// titles the office has not had yet are added with what they are.
async fn write_workstation_findings(
    tx: &mut Transaction<'static, Any>,
    office_id: i64,
    asset: i64,
    installs: &[(i64, i64)],
    titles: &[Title],
) -> Result<()> {
    // By the asset alone: an asset is in one office.
    sqlx::query("DELETE FROM software_installs WHERE asset_id = $1").bind(asset).execute(&mut **tx).await.map_err(map_err)?;
    // Each list as one JSON parameter (see Backend::json_rows).
    let backend = Backend::of(tx);
    if !installs.is_empty() {
        let sql = format!(
            "INSERT INTO software_installs (office_id, asset_id, product_id) SELECT $1, {}",
            backend.json_rows(2, &["BIGINT", "BIGINT"])
        );
        sqlx::query(AssertSqlSafe(sql)).bind(office_id).bind(json_param(installs)?).execute(&mut **tx).await.map_err(map_err)?;
    }
    // Most are there already (other workstations have them): the primary key is looked up and
    // nothing written. One that is there keeps what the last office-wide recompute made of it;
    // that recompute, run after every change of the catalogue, settles any difference.
    if !titles.is_empty() {
        let rows: Vec<(&str, &str, Option<i64>, i64)> = titles
            .iter()
            .map(|t| {
                let (product, ignored) = stored_recognition(t.recognition);
                (t.name.as_str(), t.version.as_str(), product, ignored)
            })
            .collect();
        let sql = format!(
            "INSERT INTO software_titles (office_id, name, version, product_id, ignored) SELECT $1, {} ON CONFLICT DO NOTHING",
            backend.json_rows(2, &["TEXT", "TEXT", "BIGINT", "BIGINT"])
        );
        sqlx::query(AssertSqlSafe(sql)).bind(office_id).bind(json_param(&rows)?).execute(&mut **tx).await.map_err(map_err)?;
    }
    Ok(())
}

/// A title's recognition as its row holds it: (product, ignored).
fn stored_recognition(r: Recognition) -> (Option<i64>, i64) {
    match r {
        Recognition::Product(p) => (Some(p), 0),
        Recognition::Ignored => (None, 1),
        Recognition::Unknown => (None, 0),
    }
}

/// Written-off and disposed machines run nothing any more: the few of them, by id.
const RETIRED: &str = "SELECT id FROM assets WHERE office_id = $1 AND status IN ('written_off', 'disposed')";

/// A title no rule knows (with [`installed_titles`]).
const UNKNOWN: &str = "t.product_id IS NULL AND t.ignored = 0";

/// The office's installations, each with its title: `FROM … WHERE …`, the office as `$1`, for
/// more conditions with `AND`. PostgreSQL goes from each title to its installations through the
/// covering index (office, name, version, asset), never reading the installations themselves.
/// SQLite has no such index (migration 0032: it made every new workstation's inventory write
/// ~1,000 scattered pages), so it reads the installations in table order and finds each title by
/// software_titles' primary key; CROSS JOIN keeps SQLite's planner to that order (and is an inner
/// join like any other to PostgreSQL's).
fn installed_titles(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "FROM asset_software s CROSS JOIN software_titles t WHERE s.office_id = $1 AND s.removed_at IS NULL \
             AND t.office_id = s.office_id AND t.name = s.name AND t.version = s.version"
        }
        Backend::Postgres => {
            "FROM software_titles t JOIN asset_software s ON s.office_id = t.office_id AND s.name = t.name \
             AND s.version = t.version AND s.removed_at IS NULL WHERE t.office_id = $1"
        }
    }
}

/// The end of every change of the catalogue, its licences or rules: the version moves on (so
/// each instance rebuilds its recogniser), the entry goes to the work log, all in one commit.
async fn catalogue_changed(mut tx: Transaction<'static, Any>, office_id: i64, log: Draft, now: Micros) -> Result<()> {
    bump_version(&mut tx, office_id).await?;
    append_tx(&mut tx, log, now).await?;
    tx.commit().await.map_err(map_err)
}

/// The catalogue changed: cached recognisers of every instance are stale.
pub(crate) async fn bump_version(tx: &mut Transaction<'static, Any>, office_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO software_versions (office_id, version) VALUES ($1, 1) \
         ON CONFLICT (office_id) DO UPDATE SET version = software_versions.version + 1",
    )
    .bind(office_id)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(())
}

/// (workstations with programs, installations in use), in one pass over the installations.
/// Written-off and disposed machines run nothing any more (they count among neither the
/// workstations nor the findings).
async fn counts(c: &mut sqlx::AnyConnection, office_id: i64) -> Result<(i64, i64)> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT COUNT(DISTINCT CASE WHEN asset_id NOT IN ({RETIRED}) THEN asset_id END), COUNT(*) \
         FROM asset_software WHERE office_id = $1 AND removed_at IS NULL"
    )))
    .bind(office_id)
    .fetch_one(c)
    .await
    .map_err(map_err)
}
