//! Equipment: assets, their history, labels.

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::{Any, AnyRow};
use sqlx::{AssertSqlSafe, Transaction};
use upravnik_core::asset::{
    Asset, AssetFields, AssetKind, AssetQuery, AssetSort, AssetStatus, Assignment, FieldChange, HistoryRow, Identifier, ServerRole,
};
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
            .bind(roles(f))
            .bind(flag(f.in_server_room))
            .bind(f.procurement_ref.clone())
            .bind(f.supplier.clone())
            .bind(f.purchase_date.clone())
            .bind(f.price_para)
            .bind(f.warranty_end.clone())
            .bind(f.note.clone())
            .bind(key(f))
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

impl SqlStore {
    pub(crate) async fn list_assets_impl(&self, q: &AssetQuery) -> Result<Page<Asset>> {
        let dir = if q.desc { "DESC" } else { "ASC" };
        let order = match q.sort {
            AssetSort::InventoryNumber => format!("inventory_number {dir}, id"),
            AssetSort::Label => format!("label {dir}, id"),
            AssetSort::Kind => format!("kind {dir}, inventory_number"),
            AssetSort::Room => format!("building {dir}, room {dir}, inventory_number"),
            AssetSort::Warranty => format!("warranty_end {dir}, id"),
        };
        let filter = "WHERE office_id = $1 AND ($2 = '' OR search_key LIKE $2 ESCAPE '\\') AND ($3 = '' OR kind = $3) \
                      AND ($4 = '' OR status = $4) AND ($5 = '' OR room = $5) \
                      AND ($6 = '' OR (warranty_end IS NOT NULL AND warranty_end <= $6 AND warranty_end >= $7)) \
                      AND ($8 = 0 OR person_id = $8)";
        let pat = crate::rows::search(&q.q);
        let kind = q.kind.map(|k| k.as_str()).unwrap_or("");
        let status = q.status.map(|s| s.as_str()).unwrap_or("");
        let room = q.room.clone().unwrap_or_default();
        let until = q.warranty_until.clone().unwrap_or_default();
        let from = q.warranty_from.clone().unwrap_or_default();
        let per_page = i64::from(q.per_page.clamp(1, 500));
        let person = q.person_id.unwrap_or(0);
        // The same eight filter values, bound in the same order, for the page and for the count.
        macro_rules! filtered {
            ($q:expr) => {
                $q.bind(q.office_id).bind(&pat).bind(kind).bind(status).bind(&room).bind(&until).bind(&from).bind(person)
            };
        }
        let rows =
            filtered!(sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM assets {filter} ORDER BY {order} LIMIT $9 OFFSET $10"))))
                .bind(per_page)
                .bind(i64::from(q.page.max(1) - 1) * per_page)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        let total: i64 = filtered!(sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM assets {filter}"))))
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(Page { items: rows.iter().map(asset).collect::<Result<_>>()?, total, page: q.page.max(1), per_page: q.per_page })
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
        let set: Vec<String> = FIELD_COLS.split(", ").enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let sql = format!("UPDATE assets SET {}, updated_at = $21 WHERE id = $22 AND office_id = $23", set.join(", "));
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
