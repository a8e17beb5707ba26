//! Services for consumables kept in a store (R.3): the items, and receiving, issuing to
//! employees, returns and stocktaking adjustments, each written to the work log.

use crate::access::{Actor, Permission};
use crate::clock::format_date;
use crate::consumable::{Consumable, ConsumableInput, ConsumableQuery, Move, MoveInput, MoveKind, MoveQuery, apply, held_by};
use crate::org::Page;
use crate::service::{Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

/// A duplicate name at commit time (two people saving at once) as a conflict on the name.
fn name_taken(e: Error) -> Error {
    match e {
        Error::Conflict { code: "duplicate", .. } => Error::Conflict { code: "consumable_name_taken", field: Some("name") },
        other => other,
    }
}

impl Services {
    pub async fn consumables(&self, actor: &Actor, q: &ConsumableQuery) -> Result<Page<Consumable>> {
        actor.require(Permission::AssetsRead)?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        self.store.list_consumables(&q).await
    }

    pub async fn consumable(&self, actor: &Actor, id: i64) -> Result<Consumable> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_consumable(actor.office_id, id).await
    }

    /// Active items at or below their minimum stock, fewest first (the home page).
    pub async fn low_stock_consumables(&self, actor: &Actor, limit: u32) -> Result<Page<Consumable>> {
        let q = ConsumableQuery {
            low_only: true,
            sort: crate::consumable::ConsumableSort::Stock,
            page: 1,
            per_page: limit,
            ..Default::default()
        };
        self.consumables(actor, &q).await
    }

    pub async fn create_consumable(&self, actor: &Actor, input: &ConsumableInput) -> Result<Consumable> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let log = draft(
            actor,
            Category::ConfigurationChange,
            None,
            format!("Уведен потрошни материјал: {} ({}, {})", f.name, f.category.log_name(), f.unit),
        );
        self.store.create_consumable(actor.office_id, &f, self.now(), log).await.map_err(name_taken)
    }

    pub async fn update_consumable(&self, actor: &Actor, id: i64, input: &ConsumableInput) -> Result<Consumable> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let old = self.store.get_consumable(actor.office_id, id).await?;
        let changes = f.changes_from(&old.fields);
        if changes.is_empty() {
            return Ok(old);
        }
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("consumable", id, &f.name)),
            format!("Измена потрошног материјала {}: {}", old.fields.name, changes.join("; ")),
        );
        self.store.update_consumable(actor.office_id, id, &f, self.now(), log).await.map_err(name_taken)
    }

    /// Receives, issues, takes back or adjusts stock (R.3). Issuing more than is in the store is
    /// refused with `insufficient_stock` and changes nothing; the storage checks it again inside
    /// the transaction, so two issues at once cannot both take the last unit.
    pub async fn record_consumable_move(&self, actor: &Actor, id: i64, input: &MoveInput) -> Result<Move> {
        actor.require(Permission::AssetsWrite)?;
        let m = input.validate()?;
        let item = self.store.get_consumable(actor.office_id, id).await?;
        if !item.fields.active && matches!(m.kind, MoveKind::Receive | MoveKind::Issue) {
            return Err(Error::invalid("kind", "err-consumable-inactive"));
        }
        apply(item.stock, m.delta)?;
        let person = match m.person_id {
            Some(p) => {
                let p = self.store.get_person(actor.office_id, p).await.map_err(|_| Error::invalid("person_id", "err-person-missing"))?;
                if !p.active && m.kind == MoveKind::Issue {
                    return Err(Error::invalid("person_id", "err-person-missing"));
                }
                Some(p)
            }
            None => None,
        };
        if let (MoveKind::Return, Some(p)) = (m.kind, &person) {
            // Only what was issued to this employee comes back from them.
            let theirs = self
                .store
                .consumable_moves(actor.office_id, &MoveQuery { consumable_id: Some(id), person_id: Some(p.id), limit: 0 })
                .await?;
            if m.quantity() > held_by(&theirs, id) {
                return Err(Error::invalid("quantity", "err-return-more-than-issued"));
            }
        }
        let asset = match m.asset_id {
            Some(a) => Some(self.store.get_asset(actor.office_id, a).await.map_err(|_| Error::invalid("asset_id", "err-asset-missing"))?),
            None => None,
        };
        let on = match m.on {
            Some(d) => d,
            None => self.date_or_today("")?,
        };
        let f = &item.fields;
        let qty = format!("{} × {} {}", f.name, m.quantity(), f.unit);
        let who = person.as_ref().map(|p| format!(" — {}", p.full_name())).unwrap_or_default();
        let device = asset
            .as_ref()
            .map(|a| {
                let make = format!("{} {}", a.fields.manufacturer, a.fields.model);
                format!(" (за {}, инв. бр. {})", make.trim(), a.fields.inventory_number).replace("за , ", "за ")
            })
            .unwrap_or_default();
        let mut extra: Vec<&str> = vec![];
        for s in [m.supplier.as_str(), m.reference.as_str(), m.note.as_str()] {
            if !s.is_empty() {
                extra.push(s);
            }
        }
        let extra = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join(", ")) };
        let text = match m.kind {
            MoveKind::Adjust => {
                let sign = if m.delta > 0 { "+" } else { "−" };
                format!("{}: {} {sign}{} {}{extra}, {}", m.kind.log_name(), f.name, m.quantity(), f.unit, format_date(on))
            }
            _ => format!("{}: {qty}{who}{device}{extra}, {}", m.kind.log_name(), format_date(on)),
        };
        let log = draft(actor, Category::ConfigurationChange, Some(ObjectRef::new("consumable", id, &f.name)), text);
        self.store.record_consumable_move(actor.office_id, id, &m, &on.to_string(), self.now(), log).await
    }

    pub async fn consumable_moves(&self, actor: &Actor, id: i64) -> Result<Vec<Move>> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_consumable(actor.office_id, id).await?;
        self.store.consumable_moves(actor.office_id, &MoveQuery { consumable_id: Some(id), person_id: None, limit: 1000 }).await
    }

    /// What was issued to (and returned by) an employee, newest first.
    pub async fn person_consumables(&self, actor: &Actor, person_id: i64) -> Result<Vec<Move>> {
        actor.require(Permission::AssetsRead)?;
        self.store.consumable_moves(actor.office_id, &MoveQuery { consumable_id: None, person_id: Some(person_id), limit: 200 }).await
    }
}
