//! Services for the forms of a fault's life (R.52–R.53): work orders, hand-over records and
//! service sheets. Administrators write them; the inspector and the head of administration read
//! them; the reporter reads those of their own report. Each is an intervention in the work log.

use crate::access::{Actor, Permission};
use crate::helpdesk::{Mover, NUMBER_SLOT, Report, ReportState, ReportStep, check_move};
use crate::helpdesk_service::object;
use crate::parts::{PartFields, PartKind, check_active};
use crate::report_forms::{
    Handover, HandoverInput, NewHandover, NewServiceSheet, NewWorkOrder, ReportForms, Scan, ServiceSheet, ServiceSheetInput, WorkKind,
    WorkOrder, WorkOrderInput, format_dinars, work_order_required,
};
use crate::service::Services;
use crate::{Error, Result};

impl Services {
    /// Whether the actor reads the documents of this (visible) report: the head of unit reads
    /// those of the unit's reports, since the work order is signed for the unit (R.53).
    pub fn may_read_forms(actor: &Actor, r: &Report) -> bool {
        actor.can(Permission::HelpdeskRead)
            || actor.can(Permission::HelpdeskWrite)
            || actor.can(Permission::HelpdeskUnitRead)
            || r.reporter_id == actor.person_id
    }

    async fn forms_report(&self, actor: &Actor, id: i64) -> Result<Report> {
        let r = self.report(actor, id).await?;
        if Self::may_read_forms(actor, &r) { Ok(r) } else { Err(Error::Forbidden) }
    }

    /// The report's work orders, hand-over records, service sheets, and whether a work order is
    /// still needed (R.52.3, R.53).
    pub async fn report_forms(&self, actor: &Actor, id: i64) -> Result<ReportForms> {
        self.forms_report(actor, id).await?;
        let mut f = self.store.report_forms(actor.office_id, id).await?;
        let kinds: Vec<WorkKind> = f.recorded_work.iter().map(|w| w.kind).collect();
        f.work_order_required = work_order_required(f.been_in_ict_office, &kinds, f.work_orders.len());
        Ok(f)
    }

    /// Today's ISO date in Belgrade.
    pub(crate) fn today(&self) -> String {
        let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_microsecond(self.now()).map(|t| t.to_zoned_datetime(tz).date().to_string()).unwrap_or_default()
    }

    /// A report the administrator may still write documents on: taken, not closed.
    async fn writable_report(&self, actor: &Actor, id: i64) -> Result<Report> {
        actor.require(Permission::HelpdeskWrite)?;
        let r = self.report(actor, id).await?;
        if matches!(r.state, ReportState::New | ReportState::Closed) {
            return Err(Error::invalid("state", "err-report-form-state"));
        }
        Ok(r)
    }

    /// The administrator records that the work on the report is of a kind (R.53): a replaced
    /// part or an upgrade asks for a work order.
    pub async fn record_report_work(&self, actor: &Actor, id: i64, kind: &str, note: &str) -> Result<()> {
        let r = self.writable_report(actor, id).await?;
        let kind = WorkKind::parse(kind.trim()).ok_or(Error::invalid("kind", "err-work-kind"))?;
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(Error::invalid("note", "err-too-long"));
        }
        let mut text = format!("Пријава квара {} („{}“): изведен рад — {}", r.number, r.title, kind.log_name());
        if !note.is_empty() {
            text.push_str(&format!(" — {note}"));
        }
        let log = self.log(actor, Some(object(&r)), text);
        self.store.record_report_work(actor.office_id, id, kind, note, self.now(), log).await
    }

    /// A work order (Prilog 5) filled with the user (R.52.3, R.53). With `update_card`, a
    /// replaced or added part with a component kind is written onto the workstation card
    /// through the equipment service (history row and log entry of its own).
    pub async fn create_work_order(&self, actor: &Actor, id: i64, input: &WorkOrderInput) -> Result<WorkOrder> {
        let r = self.writable_report(actor, id).await?;
        let mut f = input.validate(&self.today())?;
        if f.fault.is_empty() {
            f.fault = if r.description.is_empty() { r.title.clone() } else { r.description.clone() };
        }
        let asset = match r.asset_id {
            Some(a) => Some(self.store.get_asset(actor.office_id, a).await?),
            None => None,
        };
        let to_card = f.update_card && f.kind.changes_card() && f.items.iter().any(|i| i.component.is_some());
        if to_card {
            match &asset {
                Some(a) => check_active(a.status).map_err(|_| Error::invalid("update_card", "err-work-order-card"))?,
                None => return Err(Error::invalid("update_card", "err-work-order-card")),
            }
        }
        // What each line replaces on the card, settled before anything is written (R.11).
        let mut replaced: Vec<i64> = vec![];
        if let (true, Some(a)) = (to_card, &asset) {
            let parts = self.store.asset_parts(actor.office_id, a.id).await?;
            let active = |k| {
                parts
                    .iter()
                    .filter(move |p| p.removed_us.is_none() && matches!(&p.fields, PartFields::Component { kind, .. } if *kind == k))
            };
            for i in &mut f.items {
                let Some(k) = i.component else { continue };
                match i.replaces {
                    Some(id) if !active(k).any(|p| p.id == id) || replaced.contains(&id) => {
                        return Err(Error::invalid("items", "err-replaces"));
                    }
                    Some(id) => replaced.push(id),
                    None if f.kind == WorkKind::PartReplaced => {
                        // Only when the card leaves no doubt which one went out.
                        let mut candidates = active(k).filter(|p| !replaced.contains(&p.id));
                        if let (Some(p), None) = (candidates.next(), candidates.next()) {
                            i.replaces = Some(p.id);
                            replaced.push(p.id);
                        }
                    }
                    None => {}
                }
            }
        }
        let person = self.store.get_person(actor.office_id, r.reporter_id).await.ok();
        let workplace = match asset.as_ref().and_then(|a| a.workplace_id) {
            Some(w) => self.store.get_workplace(actor.office_id, w).await.ok(),
            None => None,
        };
        if f.workplace.is_empty() {
            f.workplace = workplace.as_ref().map(|w| w.name.clone()).unwrap_or_default();
        }
        let unit_name = person
            .as_ref()
            .and_then(|p| p.unit_name.clone())
            .or_else(|| workplace.as_ref().map(|w| w.unit_name.clone()))
            .unwrap_or_default();
        let new = NewWorkOrder {
            year: self.year(),
            asset_id: asset.as_ref().map(|a| a.id),
            unit_name,
            person_name: r.reporter_name.clone(),
            device: asset.as_ref().map(|a| format!("{} {}", a.fields.manufacturer, a.fields.model).trim().to_string()).unwrap_or_default(),
            inventory_number: asset.as_ref().map(|a| a.fields.inventory_number.clone()).unwrap_or_default(),
            fields: f.clone(),
        };
        let mut text =
            format!("Радни налог {NUMBER_SLOT} уз пријаву квара {} („{}“): {} — {}", r.number, r.title, f.kind.log_name(), f.work);
        if !f.items.is_empty() {
            let items: Vec<String> =
                f.items.iter().map(|i| format!("{} × {} ({} дин.)", i.quantity, i.name, format_dinars(i.cost))).collect();
            text.push_str(&format!("; делови и материјал: {}", items.join(", ")));
        }
        if f.changes_book_value {
            text.push_str("; мења књиговодствену вредност");
        }
        if f.needs_money {
            text.push_str("; потребна средства");
        }
        let log = self.log(actor, Some(object(&r)), text);
        let order = self.store.create_work_order(actor.office_id, id, &new, self.now(), log).await?;
        if let (true, Some(a)) = (to_card, &asset) {
            for id in replaced {
                self.remove_part(actor, a.id, PartKind::Component, id).await?;
            }
            for i in &order.items {
                let Some(kind) = i.component else { continue };
                let part = PartFields::Component {
                    kind,
                    manufacturer: String::new(),
                    model: i.name.clone(),
                    serial: String::new(),
                    capacity: String::new(),
                    note: format!("радни налог {}", order.number),
                };
                for _ in 0..i.quantity.min(16) {
                    self.add_part(actor, a.id, &part).await?;
                }
            }
        }
        Ok(order)
    }

    /// A hand-over record (Prilog 6): the device goes to an authorised service (R.52.4). The
    /// record and the move to `at_service` are one transaction; the asset's status follows.
    pub async fn create_handover(&self, actor: &Actor, id: i64, input: &HandoverInput) -> Result<Handover> {
        let r = self.writable_report(actor, id).await?;
        check_move(r.state, ReportState::AtService, Mover::Administrator, r.resolved_us, self.now())?;
        let mut f = input.validate(&self.today())?;
        if f.fault.is_empty() {
            f.fault = if r.description.is_empty() { r.title.clone() } else { r.description.clone() };
        }
        if f.handed_by.is_empty() {
            f.handed_by = actor.full_name.clone();
        }
        let asset = match r.asset_id {
            Some(a) => Some(self.store.get_asset(actor.office_id, a).await?),
            None => None,
        };
        let new = NewHandover {
            year: self.year(),
            asset_id: asset.as_ref().map(|a| a.id),
            device: asset.as_ref().map(|a| format!("{} {}", a.fields.manufacturer, a.fields.model).trim().to_string()).unwrap_or_default(),
            serial: asset.as_ref().map(|a| a.fields.serial.clone()).unwrap_or_default(),
            inventory_number: asset.as_ref().map(|a| a.fields.inventory_number.clone()).unwrap_or_default(),
            fields: f.clone(),
        };
        let step = ReportStep {
            from: r.state,
            to: ReportState::AtService,
            assignee_id: r.assignee_id.or(Some(actor.user_id)),
            note: f.service_name.clone(),
            minutes: 0,
            first_response: r.first_response_us.is_none(),
        };
        let asset_step = self.asset_step(actor, &r, ReportState::AtService).await?;
        let device =
            if new.inventory_number.is_empty() { String::new() } else { format!(", уређај инв. бр. {}", new.inventory_number) };
        let log = self.log(
            actor,
            Some(object(&r)),
            format!("Записник о примопредаји {NUMBER_SLOT} уз пријаву квара {}{device}: предато сервису {}", r.number, f.service_name),
        );
        let step_log = self.log(
            actor,
            Some(object(&r)),
            format!("Пријава квара {} („{}“): {} → {} — {}", r.number, r.title, r.state.log_name(), step.to.log_name(), f.service_name),
        );
        self.store.create_handover(actor.office_id, id, &new, &step, asset_step, self.now(), log, step_log).await
    }

    /// The service sheet on the device's return (R.52.5), with the scan of the stamped sheet;
    /// the report moves back (to the ICT office or resolved) in the same transaction.
    pub async fn create_service_sheet(
        &self,
        actor: &Actor,
        id: i64,
        input: &ServiceSheetInput,
        scan: Option<Scan>,
    ) -> Result<ServiceSheet> {
        let r = self.writable_report(actor, id).await?;
        if r.state != ReportState::AtService {
            return Err(Error::invalid("state", "err-report-form-state"));
        }
        let f = input.validate(&self.today())?;
        check_move(r.state, f.to, Mover::Administrator, r.resolved_us, self.now())?;
        let forms = self.store.report_forms(actor.office_id, id).await?;
        let handover_id = forms.handovers.iter().rev().find(|h| !h.returned).map(|h| h.id);
        let step = ReportStep {
            from: r.state,
            to: f.to,
            assignee_id: r.assignee_id.or(Some(actor.user_id)),
            note: f.repair_done.clone(),
            minutes: 0,
            first_response: r.first_response_us.is_none(),
        };
        let asset_step = self.asset_step(actor, &r, f.to).await?;
        let mut text = format!(
            "Сервисни лист уз пријаву квара {}: сервисер {}, утврђен квар: {}, поправка: {}",
            r.number, f.servicer, f.fault_found, f.repair_done
        );
        if f.warranty_months > 0 {
            text.push_str(&format!(", гаранција {} мес. до {}", f.warranty_months, f.warranty_until));
        }
        if let Some(s) = &scan {
            text.push_str(&format!(", скен: {} ({} B)", s.name, s.bytes.len()));
        }
        let log = self.log(actor, Some(object(&r)), text);
        let step_log = self.log(
            actor,
            Some(object(&r)),
            format!("Пријава квара {} („{}“): {} → {} — враћено из сервиса", r.number, r.title, r.state.log_name(), f.to.log_name()),
        );
        let new = NewServiceSheet { fields: f, handover_id, scan };
        self.store.create_service_sheet(actor.office_id, id, &new, &step, asset_step, self.now(), log, step_log).await
    }

    pub async fn work_order(&self, actor: &Actor, id: i64, order_id: i64) -> Result<WorkOrder> {
        let f = self.report_forms(actor, id).await?;
        f.work_orders.into_iter().find(|w| w.id == order_id).ok_or(Error::NotFound { what: "work_order" })
    }

    pub async fn handover(&self, actor: &Actor, id: i64, handover_id: i64) -> Result<Handover> {
        let f = self.report_forms(actor, id).await?;
        f.handovers.into_iter().find(|h| h.id == handover_id).ok_or(Error::NotFound { what: "handover" })
    }

    /// The stored scan of a service sheet: (file name, content type, bytes).
    pub async fn service_sheet_scan(&self, actor: &Actor, id: i64, sheet_id: i64) -> Result<(String, String, Vec<u8>)> {
        self.forms_report(actor, id).await?;
        self.store.service_sheet_scan(actor.office_id, id, sheet_id).await
    }
}
