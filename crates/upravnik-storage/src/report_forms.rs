//! Work orders, hand-over records and service sheets of fault reports (R.52–R.53), migration 0013.

use crate::SqlStore;
use crate::helpdesk::move_report_tx;
use crate::rows::{Get, flag, map_err};
use crate::worklog::append_tx;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use upravnik_core::helpdesk::{AssetStep, NUMBER_SLOT, ReportStep};
use upravnik_core::parts::ComponentKind;
use upravnik_core::report_forms::{
    HANDOVER_PREFIX, Handover, Item, NewHandover, NewServiceSheet, NewWorkOrder, RecordedWork, ReportForms, ServiceSheet,
    WORK_ORDER_PREFIX, WorkKind, WorkOrder, format_form_number,
};
use upravnik_core::worklog::Draft;
use upravnik_core::{Error, Result};

fn bad(what: &str) -> Error {
    Error::Storage(format!("unknown {what} in the database"))
}

/// The next number of a kind of document; the upsert holds the counter row until commit, so
/// two documents never share one.
pub(crate) async fn next_number(tx: &mut Transaction<'static, Any>, office_id: i64, prefix: &str, year: i16) -> Result<String> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO report_form_numbers (office_id, kind, year, last) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (office_id, kind, year) DO UPDATE SET last = report_form_numbers.last + 1 RETURNING last",
    )
    .bind(office_id)
    .bind(prefix)
    .bind(i64::from(year))
    .fetch_one(&mut **tx)
    .await
    .map_err(map_err)?;
    Ok(format_form_number(prefix, year, seq))
}

fn work_order(r: &AnyRow, items: Vec<Item>) -> Result<WorkOrder> {
    Ok(WorkOrder {
        id: r.i64("id")?,
        report_id: r.i64("report_id")?,
        number: r.text("number")?,
        date: r.text("order_date")?,
        asset_id: r.opt_i64("asset_id")?,
        unit_name: r.text("unit_name")?,
        person_name: r.text("person_name")?,
        device: r.text("device")?,
        inventory_number: r.text("inventory_number")?,
        workplace: r.text("workplace")?,
        fault: r.text("fault")?,
        work: r.text("work")?,
        kind: WorkKind::parse(&r.text("kind")?).ok_or_else(|| bad("work kind"))?,
        items,
        changes_book_value: r.flag("changes_book_value")?,
        needs_money: r.flag("needs_money")?,
        administrator: r.text("admin_name")?,
        created_us: r.i64("created_at")?,
    })
}

fn handover(r: &AnyRow) -> Result<Handover> {
    Ok(Handover {
        id: r.i64("id")?,
        report_id: r.i64("report_id")?,
        number: r.text("number")?,
        date: r.text("handover_date")?,
        asset_id: r.opt_i64("asset_id")?,
        device: r.text("device")?,
        serial: r.text("serial")?,
        inventory_number: r.text("inventory_number")?,
        service_name: r.text("service_name")?,
        service_address: r.text("service_address")?,
        service_contact: r.text("service_contact")?,
        accessories: r.text("accessories")?,
        fault: r.text("fault")?,
        handed_by: r.text("handed_by")?,
        received_by: r.text("received_by")?,
        returned: r.i64("returned")? > 0,
        created_us: r.i64("created_at")?,
    })
}

fn sheet(r: &AnyRow) -> Result<ServiceSheet> {
    Ok(ServiceSheet {
        id: r.i64("id")?,
        report_id: r.i64("report_id")?,
        handover_id: r.opt_i64("handover_id")?,
        date: r.text("sheet_date")?,
        fault_found: r.text("fault_found")?,
        repair_done: r.text("repair_done")?,
        warranty_months: r.i64("warranty_months")?,
        warranty_until: r.text("warranty_until")?,
        servicer: r.text("servicer")?,
        scan_name: r.opt_text("scan_name")?,
        scan_type: r.opt_text("scan_type")?,
        scan_size: r.i64("scan_size")?,
        recorded_by: r.text("actor_name")?,
        created_us: r.i64("created_at")?,
    })
}

const WORK_ORDER_COLS: &str = "id, report_id, number, order_date, asset_id, unit_name, person_name, device, inventory_number, \
     workplace, fault, work, kind, changes_book_value, needs_money, admin_name, created_at";
const SHEET_COLS: &str = "id, report_id, handover_id, sheet_date, fault_found, repair_done, warranty_months, warranty_until, \
     servicer, scan_name, scan_type, scan_size, actor_name, created_at";

impl SqlStore {
    pub(crate) async fn report_forms_impl(&self, office_id: i64, report_id: i64) -> Result<ReportForms> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {WORK_ORDER_COLS} FROM work_orders WHERE office_id = $1 AND report_id = $2 ORDER BY id"
        )))
        .bind(office_id)
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let item_rows = sqlx::query(
            "SELECT i.work_order_id, i.name, i.quantity, i.cost, i.component_kind FROM work_order_items i \
             JOIN work_orders w ON w.id = i.work_order_id WHERE w.office_id = $1 AND w.report_id = $2 ORDER BY i.work_order_id, i.position",
        )
        .bind(office_id)
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut items: Vec<(i64, Item)> = vec![];
        for r in &item_rows {
            let component = match r.opt_text("component_kind")? {
                Some(k) => Some(ComponentKind::parse(&k).ok_or_else(|| bad("component kind"))?),
                None => None,
            };
            items.push((
                r.i64("work_order_id")?,
                Item { name: r.text("name")?, quantity: r.i64("quantity")?, cost: r.i64("cost")?, component, replaces: None },
            ));
        }
        let work_orders = rows
            .iter()
            .map(|r| {
                let id = r.i64("id")?;
                work_order(r, items.iter().filter(|(w, _)| *w == id).map(|(_, i)| i.clone()).collect())
            })
            .collect::<Result<Vec<_>>>()?;
        let rows = sqlx::query(
            "SELECT h.*, (SELECT COUNT(*) FROM service_sheets s WHERE s.handover_id = h.id) AS returned FROM report_handovers h \
             WHERE h.office_id = $1 AND h.report_id = $2 ORDER BY h.id",
        )
        .bind(office_id)
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let handovers = rows.iter().map(handover).collect::<Result<Vec<_>>>()?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SHEET_COLS} FROM service_sheets WHERE office_id = $1 AND report_id = $2 ORDER BY id"
        )))
        .bind(office_id)
        .bind(report_id)
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let service_sheets = rows.iter().map(sheet).collect::<Result<Vec<_>>>()?;
        let rows =
            sqlx::query("SELECT kind, note, actor_name, created_at FROM report_work WHERE office_id = $1 AND report_id = $2 ORDER BY id")
                .bind(office_id)
                .bind(report_id)
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        let recorded_work = rows
            .iter()
            .map(|r| {
                Ok(RecordedWork {
                    kind: WorkKind::parse(&r.text("kind")?).ok_or_else(|| bad("work kind"))?,
                    note: r.text("note")?,
                    actor_name: r.text("actor_name")?,
                    created_us: r.i64("created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let been: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fault_report_steps WHERE office_id = $1 AND report_id = $2 AND to_state = 'in_ict_office'",
        )
        .bind(office_id)
        .bind(report_id)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(ReportForms { work_orders, handovers, service_sheets, recorded_work, been_in_ict_office: been > 0, work_order_required: false })
    }

    pub(crate) async fn create_work_order_impl(
        &self,
        office_id: i64,
        report_id: i64,
        w: &NewWorkOrder,
        now: i64,
        mut log: Draft,
    ) -> Result<WorkOrder> {
        let mut tx = self.begin_write().await?;
        let number = next_number(&mut tx, office_id, WORK_ORDER_PREFIX, w.year).await?;
        let f = &w.fields;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO work_orders (office_id, report_id, number, order_date, asset_id, unit_name, person_name, device, inventory_number, \
             workplace, fault, work, kind, changes_book_value, needs_money, admin_user_id, admin_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(&number)
        .bind(&f.date)
        .bind(w.asset_id)
        .bind(&w.unit_name)
        .bind(&w.person_name)
        .bind(&w.device)
        .bind(&w.inventory_number)
        .bind(&f.workplace)
        .bind(&f.fault)
        .bind(&f.work)
        .bind(f.kind.as_str())
        .bind(flag(f.changes_book_value))
        .bind(flag(f.needs_money))
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        for (pos, i) in f.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO work_order_items (work_order_id, position, name, quantity, cost, component_kind) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(pos as i64)
            .bind(&i.name)
            .bind(i.quantity)
            .bind(i.cost)
            .bind(i.component.map(|k| k.as_str()))
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        log.text = log.text.replace(NUMBER_SLOT, &number);
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        let forms = self.report_forms_impl(office_id, report_id).await?;
        forms.work_orders.into_iter().find(|o| o.id == id).ok_or(Error::NotFound { what: "work_order" })
    }

    pub(crate) async fn record_report_work_impl(
        &self,
        office_id: i64,
        report_id: i64,
        kind: WorkKind,
        note: &str,
        now: i64,
        log: Draft,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO report_work (office_id, report_id, kind, note, actor_user_id, actor_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(kind.as_str())
        .bind(note)
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn create_handover_impl(
        &self,
        office_id: i64,
        report_id: i64,
        h: &NewHandover,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now: i64,
        mut log: Draft,
        step_log: Draft,
    ) -> Result<Handover> {
        let mut tx = self.begin_write().await?;
        // The move first: its guard refuses a report moved meanwhile before a number is used.
        move_report_tx(&mut tx, office_id, report_id, step, asset, now, step_log).await?;
        let number = next_number(&mut tx, office_id, HANDOVER_PREFIX, h.year).await?;
        let f = &h.fields;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_handovers (office_id, report_id, number, handover_date, asset_id, device, serial, inventory_number, \
             service_name, service_address, service_contact, accessories, fault, handed_by, received_by, actor_user_id, actor_name, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(&number)
        .bind(&f.date)
        .bind(h.asset_id)
        .bind(&h.device)
        .bind(&h.serial)
        .bind(&h.inventory_number)
        .bind(&f.service_name)
        .bind(&f.service_address)
        .bind(&f.service_contact)
        .bind(&f.accessories)
        .bind(&f.fault)
        .bind(&f.handed_by)
        .bind(&f.received_by)
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        log.text = log.text.replace(NUMBER_SLOT, &number);
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        let forms = self.report_forms_impl(office_id, report_id).await?;
        forms.handovers.into_iter().find(|o| o.id == id).ok_or(Error::NotFound { what: "handover" })
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn create_service_sheet_impl(
        &self,
        office_id: i64,
        report_id: i64,
        s: &NewServiceSheet,
        step: &ReportStep,
        asset: Option<AssetStep>,
        now: i64,
        log: Draft,
        step_log: Draft,
    ) -> Result<ServiceSheet> {
        let mut tx = self.begin_write().await?;
        move_report_tx(&mut tx, office_id, report_id, step, asset, now, step_log).await?;
        let f = &s.fields;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO service_sheets (office_id, report_id, handover_id, sheet_date, fault_found, repair_done, warranty_months, \
             warranty_until, servicer, scan_name, scan_type, scan_size, scan, actor_user_id, actor_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(s.handover_id)
        .bind(&f.date)
        .bind(&f.fault_found)
        .bind(&f.repair_done)
        .bind(f.warranty_months)
        .bind(&f.warranty_until)
        .bind(&f.servicer)
        .bind(s.scan.as_ref().map(|x| x.name.clone()))
        .bind(s.scan.as_ref().map(|x| x.content_type))
        .bind(s.scan.as_ref().map(|x| x.bytes.len() as i64).unwrap_or(0))
        .bind(s.scan.as_ref().map(|x| x.bytes.clone()))
        .bind(log.actor_user_id)
        .bind(&log.actor_name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(map_err)?;
        append_tx(&mut tx, log, now).await?;
        tx.commit().await.map_err(map_err)?;
        let forms = self.report_forms_impl(office_id, report_id).await?;
        forms.service_sheets.into_iter().find(|o| o.id == id).ok_or(Error::NotFound { what: "service_sheet" })
    }

    pub(crate) async fn service_sheet_scan_impl(&self, office_id: i64, report_id: i64, sheet_id: i64) -> Result<(String, String, Vec<u8>)> {
        let r = sqlx::query(
            "SELECT scan_name, scan_type, scan FROM service_sheets WHERE office_id = $1 AND report_id = $2 AND id = $3 AND scan IS NOT NULL",
        )
        .bind(office_id)
        .bind(report_id)
        .bind(sheet_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(Error::NotFound { what: "scan" })?;
        Ok((
            r.opt_text("scan_name")?.unwrap_or_default(),
            r.opt_text("scan_type")?.unwrap_or_default(),
            r.try_get::<Vec<u8>, _>("scan").map_err(map_err)?,
        ))
    }
}
