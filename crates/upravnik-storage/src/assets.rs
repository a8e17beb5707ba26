//! Equipment: assets, their history, labels.

use crate::rows::{Arg, Get, bind_args, count_of, map_err, push_arg};
use crate::search_scope::{SearchTable, text_like};
use crate::worklog::append_tx;
use crate::{Backend, SqlStore};
use sqlx::any::{Any, AnyRow};
use sqlx::{AssertSqlSafe, Transaction};
use upravnik_core::asset::{
    Asset, AssetFields, AssetKind, AssetQuery, AssetSort, AssetStatus, Assignment, FieldChange, HistoryRow, Identifier, ServerRole,
};
use upravnik_core::bulk::{BulkItem, BulkUpdate};
use upravnik_core::org::Page;
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

pub(crate) const COLS: &str = "id, office_id, kind, status, inventory_number, label, manufacturer, model, serial, hostname, mac, ip, building, room, \
     roles, in_server_room, procurement_ref, supplier, purchase_date, price_para, warranty_end, note, person_id, workplace_id";

pub(crate) fn asset(r: &AnyRow) -> Result<Asset> {
    let bad = |what: &str| Error::Storage(format!("unknown asset {what} in the database"));
    Ok(Asset {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        status: AssetStatus::parse(&r.text("status")?).ok_or_else(|| bad("status"))?,
        person_id: r.opt_i64("person_id")?,
        workplace_id: r.opt_i64("workplace_id")?,
        fields: AssetFields {
            kind: AssetKind::parse(&r.text("kind")?).ok_or_else(|| bad("kind"))?,
            inventory_number: r.text("inventory_number")?,
            label: r.opt_i64("label")?,
            manufacturer: r.text("manufacturer")?,
            model: r.text("model")?,
            serial: r.text("serial")?,
            hostname: r.text("hostname")?,
            mac: r.opt_text("mac")?,
            ip: r.opt_text("ip")?,
            building: r.text("building")?,
            room: r.text("room")?,
            roles: r.text("roles")?.split(',').filter_map(|s| ServerRole::parse(s.trim())).collect(),
            in_server_room: r.flag("in_server_room")?,
            procurement_ref: r.text("procurement_ref")?,
            supplier: r.text("supplier")?,
            purchase_date: r.opt_text("purchase_date")?,
            price_para: r.opt_i64("price_para")?,
            warranty_end: r.opt_text("warranty_end")?,
            note: r.text("note")?,
        },
    })
}

pub(crate) fn key(f: &AssetFields) -> String {
    let label = f.label.map(upravnik_core::asset::format_label).unwrap_or_default();
    search_key(&format!(
        "{} {} {} {} {} {} {} {} {} {} {}",
        f.inventory_number,
        label.replace(' ', ""),
        label,
        f.manufacturer,
        f.model,
        f.serial,
        f.hostname,
        f.ip.as_deref().unwrap_or(""),
        f.mac.as_deref().unwrap_or(""),
        f.room,
        f.note
    ))
}

/// The stored fields of an asset, in the order [`bind_fields!`] binds them (20 values).
pub(crate) const FIELD_COLS: &str = "kind, inventory_number, label, manufacturer, model, serial, hostname, mac, ip, building, room, roles, \
     in_server_room, procurement_ref, supplier, purchase_date, price_para, warranty_end, note, search_key";

/// `UPDATE assets SET <every field>, updated_at = $21 WHERE id = $22 AND office_id = $23`, then
/// `extra` (further conditions from `$24`): the one statement that rewrites an asset's fields,
/// bound with [`bind_fields!`], then now, id, office.
pub(crate) fn update_fields_sql(extra: &str) -> String {
    let set: Vec<String> = FIELD_COLS.split(", ").enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
    format!("UPDATE assets SET {}, updated_at = $21 WHERE id = $22 AND office_id = $23{extra}", set.join(", "))
}

/// Binds an asset's fields in the order of [`FIELD_COLS`], for inserts and updates alike.
macro_rules! bind_fields {
    ($q:expr, $f:expr) => {{
        let f: &AssetFields = $f;
        $q.bind(f.kind.as_str())
            .bind(f.inventory_number.clone())
            .bind(f.label)
            .bind(f.manufacturer.clone())
            .bind(f.model.clone())
            .bind(f.serial.clone())
            .bind(f.hostname.clone())
            .bind(f.mac.clone())
            .bind(f.ip.clone())
            .bind(f.building.clone())
            .bind(f.room.clone())
            .bind(crate::assets::roles(f))
            .bind(crate::rows::flag(f.in_server_room))
            .bind(f.procurement_ref.clone())
            .bind(f.supplier.clone())
            .bind(f.purchase_date.clone())
            .bind(f.price_para)
            .bind(f.warranty_end.clone())
            .bind(f.note.clone())
            .bind(crate::assets::key(f))
    }};
}
pub(crate) use bind_fields;

pub(crate) fn roles(f: &AssetFields) -> String {
    f.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

pub(crate) async fn record_label(tx: &mut Transaction<'static, Any>, office_id: i64, label: Option<i64>) -> Result<()> {
    if let Some(l) = label {
        sqlx::query(
            "INSERT INTO asset_label_high (office_id, highest) VALUES ($1, $2) ON CONFLICT (office_id) DO UPDATE \
             SET highest = CASE WHEN excluded.highest > asset_label_high.highest THEN excluded.highest ELSE asset_label_high.highest END",
        )
        .bind(office_id)
        .bind(l)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

pub(crate) async fn history_rows(
    tx: &mut Transaction<'static, Any>,
    asset_id: i64,
    changes: &[FieldChange],
    log: &Draft,
    now: i64,
) -> Result<()> {
    for c in changes {
        sqlx::query(
            "INSERT INTO asset_history (asset_id, at, actor_user_id, actor_name, field, old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(asset_id)
        .bind(now)
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(c.field)
        .bind(&c.old)
        .bind(&c.new)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    }
    Ok(())
}

async fn close_assignment(tx: &mut Transaction<'static, Any>, asset_id: i64, on: &str, by: &str) -> Result<()> {
    sqlx::query("UPDATE asset_assignments SET returned_on = $1, returned_by = $2 WHERE asset_id = $3 AND returned_on IS NULL")
        .bind(on)
        .bind(by)
        .bind(asset_id)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    Ok(())
}

/// The end of every change of an asset: the row must have been there; its history rows and the
/// work-log entry go in the same transaction.
async fn finish_change(
    mut tx: Transaction<'static, Any>,
    updated: u64,
    id: i64,
    changes: &[FieldChange],
    log: Draft,
    now: i64,
) -> Result<()> {
    if updated == 0 {
        return Err(Error::NotFound { what: "asset" });
    }
    history_rows(&mut tx, id, changes, &log, now).await?;
    append_tx(&mut tx, log, now).await?;
    tx.commit().await.map_err(map_err)
}

/// A uniqueness collision at commit time (two people saving at once) as a field conflict.
pub(crate) fn conflict(e: Error) -> Error {
    match e {
        Error::Conflict { code: "duplicate", .. } => Error::Conflict { code: "asset_identifier_taken", field: None },
        other => other,
    }
}

/// The `FROM … WHERE` of the asset list with only the filters that are set, so each one can use
/// its index (at 100,000 assets a `$n = '' OR …` for every filter costs a scan of the office);
/// every value is bound, never written into the text.
///
/// The two filters no plain index serves — the unit (a union of the assets of its people and of
/// its workplaces) and free text (a `LIKE` over the narrow `(office_id, search_key)` index) — give
/// the ids first, in a derived table joined with `CROSS JOIN`: SQLite keeps a `CROSS JOIN`'s left
/// side as the outer loop, so it reads only the matching rows instead of walking the whole office
/// in list order. PostgreSQL gets the unit as a plain condition instead (see [`unit_condition`]).
/// Above this many matches a word is common: reading every match to sort it costs more than
/// walking the list in its order and stopping at the page.
const COMMON_WORD: i64 = 2_000;

/// How the free text of a list is searched.
#[derive(Clone, Copy)]
struct TextPlan {
    /// Free text drives (a rare word); otherwise it is a plain condition.
    first: bool,
    /// Read through the office, not the trigram index (PostgreSQL, [`crate::search_scope`]).
    office_first: bool,
}

/// The FROM and WHERE of the list, its bound values, and whether matching ids come first.
fn list_filter(q: &AssetQuery, plan: TextPlan, backend: Backend) -> (String, Vec<Arg>, bool) {
    let mut args = vec![Arg::Int(q.office_id)];
    let mut conds = vec!["office_id = $1".to_string()];
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let mut from = "assets".to_string();
    let pat = crate::rows::search(&q.q);
    let like = |p: &str| text_like("search_key", p, plan.office_first);
    if let Some(u) = q.unit_id {
        // Held by someone of the unit, or standing at one of its workplaces; its internal units
        // count too.
        let u = push_arg(&mut args, Arg::Int(u));
        let units = format!("SELECT ou.id FROM org_units ou WHERE ou.office_id = $1 AND (ou.id = {u} OR ou.parent_id = {u})");
        let people = format!("SELECT pe.id FROM people pe WHERE pe.office_id = $1 AND pe.unit_id IN ({units})");
        let places = format!("SELECT w.id FROM workplaces w WHERE w.office_id = $1 AND w.unit_id IN ({units})");
        match backend {
            Backend::Postgres => conds.push(unit_condition(&people, &places)),
            Backend::Sqlite => {
                from = format!(
                    "(SELECT ap.id AS uid FROM assets ap WHERE ap.person_id IN ({people}) \
                     UNION SELECT aw.id FROM assets aw WHERE aw.workplace_id IN ({places})) u CROSS JOIN assets"
                );
                conds.push("assets.id = u.uid".into());
            }
        }
        if !pat.is_empty() {
            conds.push(like(&push_arg(&mut args, Arg::Text(pat))));
        }
    } else if !pat.is_empty() && plan.first {
        let p = like(&push_arg(&mut args, Arg::Text(pat)));
        from = format!("(SELECT id AS uid FROM assets WHERE office_id = $1 AND {p}) u CROSS JOIN assets");
        conds.push("assets.id = u.uid".into());
    } else if !pat.is_empty() {
        conds.push(like(&push_arg(&mut args, Arg::Text(pat))));
    }
    if let Some(k) = q.kind {
        conds.push(format!("kind = {}", push_arg(&mut args, Arg::Text(k.as_str().into()))));
    }
    if let Some(st) = q.status {
        conds.push(format!("status = {}", push_arg(&mut args, Arg::Text(st.as_str().into()))));
    }
    if let Some(b) = text(&q.building) {
        conds.push(format!("building = {}", push_arg(&mut args, Arg::Text(b))));
    }
    if let Some(r) = text(&q.room) {
        conds.push(format!("room = {}", push_arg(&mut args, Arg::Text(r))));
    }
    if let Some(until) = text(&q.warranty_until) {
        let until = push_arg(&mut args, Arg::Text(until));
        let from = push_arg(&mut args, Arg::Text(text(&q.warranty_from).unwrap_or_default()));
        conds.push(format!("warranty_end IS NOT NULL AND warranty_end <= {until} AND warranty_end >= {from}"));
    }
    if let Some(p) = q.person_id {
        conds.push(format!("person_id = {}", push_arg(&mut args, Arg::Int(p))));
    }
    // The unit reads all its matches on either database (sorted, and counted in the same pass).
    let driven = from != "assets" || q.unit_id.is_some();
    (format!("{from} WHERE {}", conds.join(" AND ")), args, driven)
}

/// The unit filter on PostgreSQL: `= ANY(ARRAY(subquery))` runs each subquery once (an InitPlan)
/// and hands the ids to the `assets_person` and `assets_workplace` indexes as one `BitmapOr`, so
/// each matching row is read once, in heap order. The `UNION … CROSS JOIN` that SQLite needs made
/// PostgreSQL read every match three times (both index scans, then the join back to `assets`),
/// or hash-join against a scan of the whole office: 44–60 ms p95 at 110,000 assets with a unit of
/// ~3,700 (BENCHMARKS.md).
fn unit_condition(people: &str, places: &str) -> String {
    format!("(person_id = ANY(ARRAY({people})) OR workplace_id = ANY(ARRAY({places})))")
}

impl SqlStore {
    pub(crate) async fn list_assets_impl(&self, q: &AssetQuery) -> Result<Page<Asset>> {
        let dir = if q.desc { "DESC" } else { "ASC" };
        let (filter, args, driven) = list_filter(q, self.text_plan(q).await?, self.backend);
        let order = match q.sort {
            // Unique within the office (`assets_inventory`), so a total order on its own: walking
            // that index, a tie-breaker would only make PostgreSQL sort again what comes in order.
            // Where the matching ids come first they are sorted anyway, and the plan with the
            // tie-breaker measured faster there.
            AssetSort::InventoryNumber if !driven => format!("inventory_number {dir}"),
            AssetSort::InventoryNumber => format!("inventory_number {dir}, id"),
            AssetSort::Label => format!("label {dir}, id"),
            AssetSort::Kind => format!("kind {dir}, inventory_number"),
            AssetSort::Room => format!("building {dir}, room {dir}, inventory_number"),
            AssetSort::Warranty => format!("warranty_end {dir}, id"),
        };
        let per_page = i64::from(q.per_page.clamp(1, 500));
        let n = args.len();
        // When the ids come first (unit, text), the matches are read and sorted anyway: the page
        // carries their count, and the second pass is saved. Elsewhere a window count would
        // undo the LIMIT that lets the list read only its page in index order.
        let total_col = if driven { ", COUNT(*) OVER () AS total_rows" } else { "" };
        let page = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS}{total_col} FROM {filter} ORDER BY {order} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        )))
        // Planned with the values each time: how many assets a unit or a word brings decides the
        // plan, and a generic plan (PostgreSQL's after five runs) cannot know it.
        .persistent(!driven);
        let page = bind_args(page, &args);
        let rows = page.bind(per_page).bind(i64::from(q.page.max(1) - 1) * per_page).fetch_all(&self.pool).await.map_err(map_err)?;
        let total: i64 = match rows.first() {
            Some(r) if driven => r.i64("total_rows")?,
            None if driven && q.page <= 1 => 0,
            _ => count_of(&self.pool, &filter, &args, !driven).await?,
        };
        Ok(Page { items: rows.iter().map(asset).collect::<Result<_>>()?, total, page: q.page.max(1), per_page: q.per_page })
    }

    /// How many assets the query matches, without reading a page of them (the home page's counts).
    pub(crate) async fn count_assets_impl(&self, q: &AssetQuery) -> Result<i64> {
        let (filter, args, driven) = list_filter(q, self.text_plan(q).await?, self.backend);
        count_of(&self.pool, &filter, &args, !driven).await
    }

    /// How the list's free text is searched: through the office first where the database holds
    /// many offices, else driving with its matches unless the word is common.
    async fn text_plan(&self, q: &AssetQuery) -> Result<TextPlan> {
        if crate::rows::search(&q.q).is_empty() {
            return Ok(TextPlan { first: false, office_first: false });
        }
        if self.office_first(SearchTable::Assets, q.office_id).await? {
            // The office's rows are read either way: the matches drive, sorted and counted at once.
            return Ok(TextPlan { first: true, office_first: true });
        }
        Ok(TextPlan { first: !self.common_word(q).await?, office_first: false })
    }

    /// Whether the free text (alone, without a unit) matches more than [`COMMON_WORD`] assets;
    /// the probe stops counting there.
    async fn common_word(&self, q: &AssetQuery) -> Result<bool> {
        let pat = crate::rows::search(&q.q);
        if pat.is_empty() || q.unit_id.is_some() {
            return Ok(false);
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM assets WHERE office_id = $1 AND search_key LIKE $2 ESCAPE '\\' LIMIT $3) t",
        )
        .bind(q.office_id)
        .bind(pat)
        .bind(COMMON_WORD + 1)
        // Planned with the word each time: a generic plan cannot tell a rare word from a common
        // one and walks the table (PostgreSQL switches to it after five runs of a prepared one).
        .persistent(false)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(n > COMMON_WORD)
    }

    pub(crate) async fn assets_by_ids_impl(&self, office_id: i64, ids: &[i64]) -> Result<Vec<Asset>> {
        let mut out = Vec::with_capacity(ids.len());
        // In chunks, so the number of bound parameters stays small on both databases.
        for chunk in ids.chunks(100) {
            let sql = format!("SELECT {COLS} FROM assets WHERE office_id = $1 AND id IN ({})", crate::dialect::numbered(2, chunk.len()));
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(office_id);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await.map_err(map_err)? {
                out.push(asset(&r)?);
            }
        }
        Ok(out)
    }

    /// Every item in one transaction: the row (guarded by the status it was planned from), its
    /// history rows and its log entry; the first failure rolls everything back.
    pub(crate) async fn apply_bulk_impl(&self, office_id: i64, items: Vec<BulkItem>, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for item in items {
            let n = match &item.update {
                BulkUpdate::Fields(f) => {
                    let sql = update_fields_sql(" AND status = $24");
                    let q = bind_fields!(sqlx::query(AssertSqlSafe(sql)), f);
                    q.bind(now).bind(item.asset_id).bind(office_id).bind(item.expected_status.as_str()).execute(&mut *tx).await
                }
                BulkUpdate::Status(status) => {
                    sqlx::query("UPDATE assets SET status = $1, updated_at = $2 WHERE id = $3 AND office_id = $4 AND status = $5")
                        .bind(status.as_str())
                        .bind(now)
                        .bind(item.asset_id)
                        .bind(office_id)
                        .bind(item.expected_status.as_str())
                        .execute(&mut *tx)
                        .await
                }
            }
            .map_err(|e| conflict(map_err(e)))?;
            if n.rows_affected() == 0 {
                // Changed by someone else since it was planned: the whole action is refused.
                return Err(Error::Conflict { code: "asset_changed", field: None });
            }
            history_rows(&mut tx, item.asset_id, &item.changes, &item.log, now).await?;
            append_tx(&mut tx, item.log, now).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    pub(crate) async fn asset_places_impl(&self, office_id: i64) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT building, room FROM assets WHERE office_id = $1 AND (building <> '' OR room <> '') \
             GROUP BY building, room ORDER BY building, room LIMIT 2000",
        )
        .bind(office_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| Ok((r.text("building")?, r.text("room")?))).collect()
    }

    pub(crate) async fn get_asset_impl(&self, office_id: i64, id: i64) -> Result<Asset> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM assets WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(asset).transpose()?.ok_or(Error::NotFound { what: "asset" })
    }

    pub(crate) async fn asset_holding_impl(
        &self,
        office_id: i64,
        what: Identifier,
        value: &str,
        except: Option<i64>,
    ) -> Result<Option<Asset>> {
        let cond = match what {
            Identifier::InventoryNumber => "inventory_number = $2",
            Identifier::Label => "label = CAST($2 AS BIGINT)",
            Identifier::Ip => "ip = $2 AND status NOT IN ('written_off', 'disposed')",
        };
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM assets WHERE office_id = $1 AND {cond} AND id <> $3 LIMIT 1")))
            .bind(office_id)
            .bind(value)
            .bind(except.unwrap_or(0))
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(asset).transpose()
    }

    pub(crate) async fn highest_label_impl(&self, office_id: i64) -> Result<Option<i64>> {
        sqlx::query_scalar("SELECT highest FROM asset_label_high WHERE office_id = $1")
            .bind(office_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)
    }

    pub(crate) async fn create_asset_impl(
        &self,
        office_id: i64,
        f: &AssetFields,
        status: AssetStatus,
        now: i64,
        mut log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "INSERT INTO assets (office_id, status, created_at, updated_at, {FIELD_COLS}) \
             VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id"
        );
        let q = sqlx::query_scalar(AssertSqlSafe(sql)).bind(office_id).bind(status.as_str()).bind(now);
        let id: i64 = bind_fields!(q, f).fetch_one(&mut *tx).await.map_err(|e| conflict(map_err(e)))?;
        record_label(&mut tx, office_id, f.label).await?;
        log.object.get_or_insert_with(|| ObjectRef::new("asset", id, &f.inventory_number));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_asset_impl(office_id, id).await
    }

    pub(crate) async fn update_asset_impl(
        &self,
        office_id: i64,
        id: i64,
        f: &AssetFields,
        changes: &[FieldChange],
        now: i64,
        log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        let sql = update_fields_sql("");
        let q = bind_fields!(sqlx::query(AssertSqlSafe(sql)), f);
        let n = q.bind(now).bind(id).bind(office_id).execute(&mut *tx).await.map_err(|e| conflict(map_err(e)))?;
        record_label(&mut tx, office_id, f.label).await?;
        finish_change(tx, n.rows_affected(), id, changes, log, now).await?;
        self.get_asset_impl(office_id, id).await
    }

    pub(crate) async fn set_asset_status_impl(
        &self,
        office_id: i64,
        id: i64,
        status: AssetStatus,
        change: &FieldChange,
        now: i64,
        log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE assets SET status = $1, updated_at = $2 WHERE id = $3 AND office_id = $4")
            .bind(status.as_str())
            .bind(now)
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict(map_err(e)))?;
        finish_change(tx, n.rows_affected(), id, std::slice::from_ref(change), log, now).await?;
        self.get_asset_impl(office_id, id).await
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn assign_asset_impl(
        &self,
        office_id: i64,
        id: i64,
        person_id: Option<i64>,
        workplace_id: Option<i64>,
        on: &str,
        changes: &[FieldChange],
        now: i64,
        log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        close_assignment(&mut tx, id, on, &log.actor_name).await?;
        sqlx::query(
            "INSERT INTO asset_assignments (office_id, asset_id, person_id, workplace_id, assigned_on, assigned_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(office_id)
        .bind(id)
        .bind(person_id)
        .bind(workplace_id)
        .bind(on)
        .bind(&log.actor_name)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let n = sqlx::query(
            "UPDATE assets SET person_id = $1, workplace_id = $2, status = 'in_use', updated_at = $3 WHERE id = $4 AND office_id = $5",
        )
        .bind(person_id)
        .bind(workplace_id)
        .bind(now)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        finish_change(tx, n.rows_affected(), id, changes, log, now).await?;
        self.get_asset_impl(office_id, id).await
    }

    pub(crate) async fn return_asset_impl(
        &self,
        office_id: i64,
        id: i64,
        on: &str,
        changes: &[FieldChange],
        now: i64,
        log: Draft,
    ) -> Result<Asset> {
        let mut tx = self.begin_write().await?;
        close_assignment(&mut tx, id, on, &log.actor_name).await?;
        let n = sqlx::query("UPDATE assets SET person_id = NULL, status = 'in_stock', updated_at = $1 WHERE id = $2 AND office_id = $3")
            .bind(now)
            .bind(id)
            .bind(office_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        finish_change(tx, n.rows_affected(), id, changes, log, now).await?;
        self.get_asset_impl(office_id, id).await
    }

    pub(crate) async fn asset_assignments_impl(&self, office_id: i64, id: i64) -> Result<Vec<Assignment>> {
        let rows = sqlx::query(
            "SELECT s.id, s.person_id, p.given_name, p.family_name, s.workplace_id, w.name AS workplace_name, s.assigned_on, s.returned_on, \
             s.assigned_by, s.returned_by FROM asset_assignments s LEFT JOIN people p ON p.id = s.person_id \
             LEFT JOIN workplaces w ON w.id = s.workplace_id WHERE s.office_id = $1 AND s.asset_id = $2 ORDER BY s.id DESC",
        )
        .bind(office_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                let person_name = match (r.opt_text("given_name")?, r.opt_text("family_name")?) {
                    (Some(g), Some(f)) => Some(format!("{g} {f}")),
                    _ => None,
                };
                Ok(Assignment {
                    id: r.i64("id")?,
                    person_id: r.opt_i64("person_id")?,
                    person_name,
                    workplace_id: r.opt_i64("workplace_id")?,
                    workplace_name: r.opt_text("workplace_name")?,
                    assigned_on: r.text("assigned_on")?,
                    returned_on: r.opt_text("returned_on")?,
                    assigned_by: r.text("assigned_by")?,
                    returned_by: r.opt_text("returned_by")?,
                })
            })
            .collect()
    }

    pub(crate) async fn asset_history_impl(&self, office_id: i64, id: i64) -> Result<Vec<HistoryRow>> {
        let rows = sqlx::query(
            "SELECT h.at, h.actor_name, h.field, h.old_value, h.new_value FROM asset_history h JOIN assets a ON a.id = h.asset_id \
             WHERE a.office_id = $1 AND h.asset_id = $2 ORDER BY h.id DESC",
        )
        .bind(office_id)
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(HistoryRow {
                    at_us: r.i64("at")?,
                    actor_name: r.text("actor_name")?,
                    field: r.text("field")?,
                    old: r.text("old_value")?,
                    new: r.text("new_value")?,
                })
            })
            .collect()
    }
}
