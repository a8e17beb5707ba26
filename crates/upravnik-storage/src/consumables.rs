//! Consumables kept in a store (R.3): items, their stock, and the moves that change it.

use crate::SqlStore;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use upravnik_core::consumable::{
    Consumable, ConsumableCategory, ConsumableFields, ConsumableQuery, ConsumableSort, MAX_STOCK, Move, MoveKind, MoveQuery, NewMove,
    is_low,
};
use upravnik_core::org::Page;
use upravnik_core::text::search_key;
use upravnik_core::worklog::{Draft, ObjectRef};
use upravnik_core::{Error, Result};

const COLS: &str = "id, office_id, name, category, unit, compatible_with, min_stock, stock, active, note";

fn consumable(r: &AnyRow) -> Result<Consumable> {
    let stock = r.i64("stock")?;
    let min_stock = r.i64("min_stock")?;
    let active = r.flag("active")?;
    Ok(Consumable {
        id: r.i64("id")?,
        office_id: r.i64("office_id")?,
        stock,
        low_stock: active && is_low(stock, min_stock),
        fields: ConsumableFields {
            name: r.text("name")?,
            category: ConsumableCategory::parse(&r.text("category")?)
                .ok_or_else(|| Error::Storage("unknown consumable category in the database".into()))?,
            unit: r.text("unit")?,
            compatible_with: r.text("compatible_with")?,
            min_stock,
            active,
            note: r.text("note")?,
        },
    })
}

fn key(f: &ConsumableFields) -> String {
    search_key(&format!("{} {} {}", f.name, f.compatible_with, f.note))
}

const MOVE_SELECT: &str = "SELECT m.id, m.consumable_id, c.name AS consumable_name, c.unit, m.kind, m.delta, m.stock_after, m.on_date, \
     m.person_id, p.given_name, p.family_name, m.asset_id, a.inventory_number, a.manufacturer, a.model, m.supplier, m.reference, m.note, \
     m.actor_name, m.created_at FROM consumable_moves m JOIN consumables c ON c.id = m.consumable_id \
     LEFT JOIN people p ON p.id = m.person_id LEFT JOIN assets a ON a.id = m.asset_id";

fn a_move(r: &AnyRow) -> Result<Move> {
    let person_name = match (r.opt_text("given_name")?, r.opt_text("family_name")?) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        _ => None,
    };
    let asset_label = match r.opt_text("inventory_number")? {
        Some(inv) => Some(
            format!("{inv} {} {}", r.opt_text("manufacturer")?.unwrap_or_default(), r.opt_text("model")?.unwrap_or_default())
                .trim()
                .to_string(),
        ),
        None => None,
    };
    Ok(Move {
        id: r.i64("id")?,
        consumable_id: r.i64("consumable_id")?,
        consumable_name: r.text("consumable_name")?,
        unit: r.text("unit")?,
        kind: MoveKind::parse(&r.text("kind")?).ok_or_else(|| Error::Storage("unknown move kind in the database".into()))?,
        delta: r.i64("delta")?,
        stock_after: r.i64("stock_after")?,
        on: r.text("on_date")?,
        person_id: r.opt_i64("person_id")?,
        person_name,
        asset_id: r.opt_i64("asset_id")?,
        asset_label,
        supplier: r.text("supplier")?,
        reference: r.text("reference")?,
        note: r.text("note")?,
        actor_name: r.text("actor_name")?,
        at_us: r.i64("created_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn list_consumables_impl(&self, q: &ConsumableQuery) -> Result<Page<Consumable>> {
        let dir = if q.desc { "DESC" } else { "ASC" };
        let order = match q.sort {
            ConsumableSort::Name => format!("name {dir}, id"),
            ConsumableSort::Category => format!("category {dir}, name, id"),
            ConsumableSort::Stock => format!("stock {dir}, name, id"),
        };
        let filter = "WHERE office_id = $1 AND ($2 = '' OR search_key LIKE $2 ESCAPE '\\') AND ($3 = '' OR category = $3) \
                      AND ($4 = 0 OR (active = 1 AND min_stock > 0 AND stock <= min_stock)) AND ($5 = 1 OR active = 1)";
        let pat = crate::rows::search(&q.q);
        let category = q.category.map(|c| c.as_str()).unwrap_or("");
        let per_page = i64::from(q.per_page.clamp(1, 500));
        // The same five filter values, bound in the same order, for the page and for the count.
        macro_rules! filtered {
            ($q:expr) => {
                $q.bind(q.office_id).bind(&pat).bind(category).bind(flag(q.low_only)).bind(flag(q.include_inactive))
            };
        }
        let rows =
            filtered!(sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM consumables {filter} ORDER BY {order} LIMIT $6 OFFSET $7"))))
                .bind(per_page)
                .bind(i64::from(q.page.max(1) - 1) * per_page)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        let total: i64 = filtered!(sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM consumables {filter}"))))
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(Page { items: rows.iter().map(consumable).collect::<Result<_>>()?, total, page: q.page.max(1), per_page: q.per_page })
    }

    pub(crate) async fn get_consumable_impl(&self, office_id: i64, id: i64) -> Result<Consumable> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM consumables WHERE office_id = $1 AND id = $2")))
            .bind(office_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?;
        r.as_ref().map(consumable).transpose()?.ok_or(Error::NotFound { what: "consumable" })
    }

    pub(crate) async fn create_consumable_impl(
        &self,
        office_id: i64,
        f: &ConsumableFields,
        now: i64,
        mut log: Draft,
    ) -> Result<Consumable> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consumables (office_id, name, category, unit, compatible_with, min_stock, stock, active, note, search_key, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(office_id)
        .bind(&f.name)
        .bind(f.category.as_str())
        .bind(&f.unit)
        .bind(&f.compatible_with)
        .bind(f.min_stock)
        .bind(flag(f.active))
        .bind(&f.note)
        .bind(key(f))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        log.object.get_or_insert_with(|| ObjectRef::new("consumable", id, &f.name));
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_consumable_impl(office_id, id).await
    }

    pub(crate) async fn update_consumable_impl(
        &self,
        office_id: i64,
        id: i64,
        f: &ConsumableFields,
        now: i64,
        log: Draft,
    ) -> Result<Consumable> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE consumables SET name = $1, category = $2, unit = $3, compatible_with = $4, min_stock = $5, active = $6, note = $7, \
             search_key = $8, updated_at = $9 WHERE id = $10 AND office_id = $11",
        )
        .bind(&f.name)
        .bind(f.category.as_str())
        .bind(&f.unit)
        .bind(&f.compatible_with)
        .bind(f.min_stock)
        .bind(flag(f.active))
        .bind(&f.note)
        .bind(key(f))
        .bind(now)
        .bind(id)
        .bind(office_id)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if n.rows_affected() == 0 {
            return Err(Error::NotFound { what: "consumable" });
        }
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        self.get_consumable_impl(office_id, id).await
    }

    pub(crate) async fn record_consumable_move_impl(
        &self,
        office_id: i64,
        id: i64,
        m: &NewMove,
        on: &str,
        now: i64,
        log: Draft,
    ) -> Result<Move> {
        let mut tx = self.begin_write().await?;
        // The guard is in the UPDATE itself: PostgreSQL re-checks it on the row a concurrent
        // issue just committed (the row lock orders them), and SQLite runs one writer at a time.
        let after: Option<i64> = sqlx::query_scalar(
            "UPDATE consumables SET stock = stock + $1, updated_at = $2 \
             WHERE id = $3 AND office_id = $4 AND stock + $1 >= 0 AND stock + $1 <= $5 RETURNING stock",
        )
        .bind(m.delta)
        .bind(now)
        .bind(id)
        .bind(office_id)
        .bind(MAX_STOCK)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let Some(after) = after else {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM consumables WHERE id = $1 AND office_id = $2")
                .bind(id)
                .bind(office_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
            return Err(match (exists, m.delta < 0) {
                (None, _) => Error::NotFound { what: "consumable" },
                (Some(_), true) => Error::Conflict { code: "insufficient_stock", field: None },
                (Some(_), false) => Error::invalid("quantity", "err-stock-too-high"),
            });
        };
        let move_id: i64 = sqlx::query_scalar(
            "INSERT INTO consumable_moves (office_id, consumable_id, kind, delta, stock_after, on_date, person_id, asset_id, supplier, \
             reference, note, actor_user_id, actor_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             RETURNING id",
        )
        .bind(office_id)
        .bind(id)
        .bind(m.kind.as_str())
        .bind(m.delta)
        .bind(after)
        .bind(on)
        .bind(m.person_id)
        .bind(m.asset_id)
        .bind(&m.supplier)
        .bind(&m.reference)
        .bind(&m.note)
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        let r = sqlx::query(AssertSqlSafe(format!("{MOVE_SELECT} WHERE m.office_id = $1 AND m.id = $2")))
            .bind(office_id)
            .bind(move_id)
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)?;
        a_move(&r)
    }

    pub(crate) async fn consumable_moves_impl(&self, office_id: i64, q: &MoveQuery) -> Result<Vec<Move>> {
        let limit = if q.limit == 0 { i64::MAX } else { i64::from(q.limit) };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{MOVE_SELECT} WHERE m.office_id = $1 AND ($2 = 0 OR m.consumable_id = $2) AND ($3 = 0 OR m.person_id = $3) \
             ORDER BY m.id DESC LIMIT $4"
        )))
        .bind(office_id)
        .bind(q.consumable_id.unwrap_or(0))
        .bind(q.person_id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(a_move).collect()
    }
}
