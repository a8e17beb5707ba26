//! Bulk actions on the asset list (R.3, R.4, R.11): set the building/room or the status of many
//! assets at once. Each asset gets the same history rows and work-log entry as its single
//! change, all in one transaction; if any asset cannot be changed, none is.

use std::collections::HashSet;

use crate::access::{Actor, Permission};
use crate::asset::{Asset, AssetFields, AssetStatus, FieldChange, Identifier, field_log_name};
use crate::equipment::{needs_act, reactivated_ip, status_move};
use crate::service::{Services, draft};
use crate::worklog::{Category, Draft, ObjectRef};
use crate::{Error, Result};

/// At most this many assets in one bulk action: a confirmation page must stay readable, and one
/// transaction short.
pub const BULK_MAX: usize = 500;

/// What a bulk action does to every chosen asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// An empty value keeps each asset's own building (or room).
    SetPlace {
        building: String,
        room: String,
    },
    SetStatus {
        status: AssetStatus,
        reference: String,
    },
}

impl BulkAction {
    /// Checks the action itself (before any asset is looked at).
    pub fn validate(&self) -> Result<BulkAction> {
        match self {
            BulkAction::SetPlace { building, room } => {
                let (building, room) = (building.trim().to_string(), room.trim().to_string());
                if building.is_empty() && room.is_empty() {
                    return Err(Error::invalid("room", "err-bulk-place"));
                }
                if building.chars().count() > 100 {
                    return Err(Error::invalid("building", "err-too-long"));
                }
                if room.chars().count() > 60 {
                    return Err(Error::invalid("room", "err-too-long"));
                }
                Ok(BulkAction::SetPlace { building, room })
            }
            BulkAction::SetStatus { status, reference } => {
                let reference = reference.trim().to_string();
                if needs_act(*status) && reference.is_empty() {
                    return Err(Error::invalid("reference", "err-act-reference"));
                }
                if reference.chars().count() > 200 {
                    return Err(Error::invalid("reference", "err-too-long"));
                }
                Ok(BulkAction::SetStatus { status: *status, reference })
            }
        }
    }
}

/// The chosen ids without repeats, in the order given; refuses none and too many.
pub fn chosen_ids(ids: &[i64]) -> Result<Vec<i64>> {
    let mut seen = HashSet::new();
    let ids: Vec<i64> = ids.iter().copied().filter(|id| *id > 0 && seen.insert(*id)).collect();
    if ids.is_empty() {
        return Err(Error::invalid("ids", "err-bulk-none"));
    }
    if ids.len() > BULK_MAX {
        return Err(Error::invalid("ids", "err-bulk-too-many"));
    }
    Ok(ids)
}

/// One chosen asset and what the action does to it (no changes: it already is so).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PlannedChange {
    pub asset_id: i64,
    pub inventory_number: String,
    pub label: Option<i64>,
    pub changes: Vec<FieldChange>,
}

/// An asset the action cannot change, and why (a message key, e.g. `err-status-move`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BulkProblem {
    pub asset_id: i64,
    pub inventory_number: String,
    pub code: &'static str,
}

/// The outcome of planning (or applying) a bulk action.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BulkPlan {
    pub assets: Vec<PlannedChange>,
    pub problems: Vec<BulkProblem>,
    /// Whether the changes were written (never when there are problems).
    pub applied: bool,
}

impl BulkPlan {
    pub fn changed(&self) -> usize {
        self.assets.iter().filter(|a| !a.changes.is_empty()).count()
    }
}

/// How one asset's row changes in the bulk transaction.
#[derive(Debug, Clone)]
pub enum BulkUpdate {
    /// Every field (the building/room changed; the search key follows).
    Fields(Box<AssetFields>),
    Status(AssetStatus),
}

/// One asset's part of the bulk transaction: the update, guarded by the status it had when
/// planned, its history rows and its work-log entry.
#[derive(Debug, Clone)]
pub struct BulkItem {
    pub asset_id: i64,
    pub expected_status: AssetStatus,
    pub update: BulkUpdate,
    pub changes: Vec<FieldChange>,
    pub log: Draft,
}

/// The work-log text of a field change, as [`Services::update_asset`] writes it.
fn fields_text(inventory_number: &str, changes: &[FieldChange]) -> String {
    let what: Vec<String> = changes.iter().map(|c| format!("{}: „{}“ → „{}“", field_log_name(c.field), c.old, c.new)).collect();
    format!("Измена средства инв. бр. {inventory_number}: {}", what.join("; "))
}

/// What the action does to one asset, by the same rules as its single change.
fn plan_one(actor: &Actor, a: &Asset, action: &BulkAction) -> Result<Option<BulkItem>> {
    let object = Some(ObjectRef::new("asset", a.id, &a.fields.inventory_number));
    match action {
        BulkAction::SetPlace { building, room } => {
            let mut f = a.fields.clone();
            if !building.is_empty() {
                f.building = building.clone();
            }
            if !room.is_empty() {
                f.room = room.clone();
            }
            let changes = f.changes_from(&a.fields);
            if changes.is_empty() {
                return Ok(None);
            }
            let log = draft(actor, Category::ConfigurationChange, object, fields_text(&a.fields.inventory_number, &changes));
            Ok(Some(BulkItem { asset_id: a.id, expected_status: a.status, update: BulkUpdate::Fields(Box::new(f)), changes, log }))
        }
        BulkAction::SetStatus { status, reference } => {
            let Some(m) = status_move(a, *status, reference)? else { return Ok(None) };
            let log = draft(actor, m.category, object, m.text);
            Ok(Some(BulkItem {
                asset_id: a.id,
                expected_status: a.status,
                update: BulkUpdate::Status(*status),
                changes: vec![m.change],
                log,
            }))
        }
    }
}

fn message_of(e: &Error) -> &'static str {
    match e {
        Error::Invalid(errs) => errs.first().map(|e| e.message).unwrap_or("err-bulk-refused"),
        Error::Conflict { code: "ip_taken", .. } => "err-ip-taken",
        _ => "err-bulk-refused",
    }
}

impl Services {
    /// Plans a bulk action: every chosen asset with its changes, and every asset that cannot be
    /// changed with the reason. Changes nothing.
    pub async fn plan_bulk(&self, actor: &Actor, ids: &[i64], action: &BulkAction) -> Result<BulkPlan> {
        Ok(self.bulk_items(actor, ids, action).await?.0)
    }

    /// Applies a bulk action in one transaction, or nothing at all when any asset cannot be
    /// changed (the plan then names each such asset and why; `applied` is false).
    pub async fn apply_bulk(&self, actor: &Actor, ids: &[i64], action: &BulkAction) -> Result<BulkPlan> {
        let (mut plan, items) = self.bulk_items(actor, ids, action).await?;
        if plan.problems.is_empty() && !items.is_empty() {
            self.store.apply_bulk(actor.office_id, items, self.now()).await?;
            plan.applied = true;
        }
        Ok(plan)
    }

    async fn bulk_items(&self, actor: &Actor, ids: &[i64], action: &BulkAction) -> Result<(BulkPlan, Vec<BulkItem>)> {
        actor.require(Permission::AssetsWrite)?;
        let ids = chosen_ids(ids)?;
        let action = action.validate()?;
        let found = self.store.assets_by_ids(actor.office_id, &ids).await?;
        let mut plan = BulkPlan { assets: vec![], problems: vec![], applied: false };
        let mut items = vec![];
        // IP addresses taken back by assets of this same action (one active asset per address).
        let mut taken_here: HashSet<String> = HashSet::new();
        for id in ids {
            let Some(a) = found.iter().find(|a| a.id == id) else {
                plan.problems.push(BulkProblem { asset_id: id, inventory_number: id.to_string(), code: "err-bulk-missing" });
                continue;
            };
            let mut outcome = plan_one(actor, a, &action);
            if let (Ok(Some(_)), BulkAction::SetStatus { status, .. }) = (&outcome, &action)
                && let Some(ip) = reactivated_ip(a, *status)
            {
                let elsewhere = self.store.asset_holding(actor.office_id, Identifier::Ip, ip, Some(a.id)).await?.is_some();
                if elsewhere || !taken_here.insert(ip.to_string()) {
                    outcome = Err(Error::Conflict { code: "ip_taken", field: Some("ip") });
                }
            }
            match outcome {
                Ok(item) => {
                    let changes = item.as_ref().map(|i| i.changes.clone()).unwrap_or_default();
                    plan.assets.push(PlannedChange {
                        asset_id: a.id,
                        inventory_number: a.fields.inventory_number.clone(),
                        label: a.fields.label,
                        changes,
                    });
                    items.extend(item);
                }
                Err(e @ (Error::Invalid(_) | Error::Conflict { .. })) => plan.problems.push(BulkProblem {
                    asset_id: a.id,
                    inventory_number: a.fields.inventory_number.clone(),
                    code: message_of(&e),
                }),
                Err(e) => return Err(e),
            }
        }
        Ok((plan, items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deduplicated_and_limited() {
        assert_eq!(chosen_ids(&[3, 1, 3, 0, -2]).ok(), Some(vec![3, 1]));
        assert!(chosen_ids(&[]).is_err());
        let many: Vec<i64> = (1..=(BULK_MAX as i64 + 1)).collect();
        assert!(matches!(chosen_ids(&many), Err(Error::Invalid(e)) if e[0].message == "err-bulk-too-many"));
        assert_eq!(chosen_ids(&many[..BULK_MAX]).map(|v| v.len()).ok(), Some(BULK_MAX));
    }

    #[test]
    fn r4_a_bulk_write_off_names_its_act_and_a_move_names_a_place() {
        let off = BulkAction::SetStatus { status: AssetStatus::WrittenOff, reference: "  ".into() };
        assert!(matches!(off.validate(), Err(Error::Invalid(e)) if e[0].field == "reference"));
        let repair = BulkAction::SetStatus { status: AssetStatus::InRepair, reference: String::new() };
        assert!(repair.validate().is_ok());
        assert!(BulkAction::SetPlace { building: " ".into(), room: String::new() }.validate().is_err());
        assert_eq!(
            BulkAction::SetPlace { building: String::new(), room: " 14 ".into() }.validate().ok(),
            Some(BulkAction::SetPlace { building: String::new(), room: "14".into() })
        );
    }
}
