//! Services for the equipment registry (R.3–R.13): register, change with field history (R.11),
//! move through the life cycle (R.4), labels (R.12), one active asset per IP address.

use crate::access::{Actor, Permission};
use crate::asset::{
    Asset, AssetFields, AssetInput, AssetQuery, AssetStatus, FieldChange, HistoryRow, Identifier, field_log_name, format_label, next_label,
};
use crate::asset::{AssetKind, Assignment};
use crate::org::Page;
use crate::parts::{Part, PartFields, PartKind, PartSource, check_active};
use crate::service::{Services, draft};
use crate::worklog::{Category, ObjectRef};
use crate::{Error, Result};

impl Services {
    pub async fn assets(&self, actor: &Actor, q: &AssetQuery) -> Result<Page<Asset>> {
        actor.require(Permission::AssetsRead)?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        self.store.list_assets(&q).await
    }

    /// How many of the office's assets match `q`, with no page read.
    pub async fn count_assets(&self, actor: &Actor, q: &AssetQuery) -> Result<i64> {
        actor.require(Permission::AssetsRead)?;
        let mut q = q.clone();
        q.office_id = actor.office_id;
        self.store.count_assets(&q).await
    }

    /// (building, room) pairs in use, for the list's filters.
    pub async fn asset_places(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        actor.require(Permission::AssetsRead)?;
        self.store.asset_places(actor.office_id).await
    }

    pub async fn asset(&self, actor: &Actor, id: i64) -> Result<Asset> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_asset(actor.office_id, id).await
    }

    pub async fn asset_history(&self, actor: &Actor, id: i64) -> Result<Vec<HistoryRow>> {
        actor.require(Permission::AssetsRead)?;
        self.store.asset_history(actor.office_id, id).await
    }

    /// The label to offer for a new workstation (R.12).
    pub async fn next_label(&self, actor: &Actor) -> Result<i64> {
        actor.require(Permission::AssetsRead)?;
        Ok(next_label(self.store.highest_label(actor.office_id).await?))
    }

    /// Refuses an identifier another asset already holds, naming that asset.
    pub(crate) async fn check_identifiers(&self, actor: &Actor, f: &AssetFields, except: Option<i64>) -> Result<()> {
        let checks = [
            (Identifier::InventoryNumber, Some(f.inventory_number.clone()), "inventory_number", "inventory_taken"),
            (Identifier::Label, f.label.map(|l| l.to_string()), "label", "label_taken"),
            (Identifier::Ip, f.ip.clone(), "ip", "ip_taken"),
        ];
        for (what, value, field, code) in checks {
            if let Some(v) = value
                && self.store.asset_holding(actor.office_id, what, &v, except).await?.is_some()
            {
                return Err(Error::Conflict { code, field: Some(field) });
            }
        }
        Ok(())
    }

    pub async fn create_asset(&self, actor: &Actor, input: &AssetInput) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        self.check_identifiers(actor, &f, None).await?;
        let label = f.label.map(|l| format!(" {}", format_label(l))).unwrap_or_default();
        let log = draft(
            actor,
            Category::ConfigurationChange,
            None,
            format!("Уведено у евиденцију средство инв. бр. {}{label} {} {}", f.inventory_number, f.manufacturer, f.model)
                .trim()
                .to_string(),
        );
        self.store.create_asset(actor.office_id, &f, AssetStatus::InStock, self.now(), log).await
    }

    /// Saves a change; every field that changed is kept in the asset's history (R.11).
    pub async fn update_asset(&self, actor: &Actor, id: i64, input: &AssetInput) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let f = input.validate()?;
        let old = self.store.get_asset(actor.office_id, id).await?;
        self.check_identifiers(actor, &f, Some(id)).await?;
        let changes = f.changes_from(&old.fields);
        if changes.is_empty() {
            return Ok(old);
        }
        let what: Vec<String> = changes.iter().map(|c| format!("{}: „{}“ → „{}“", field_log_name(c.field), c.old, c.new)).collect();
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("asset", id, &f.inventory_number)),
            format!("Измена средства инв. бр. {}: {}", f.inventory_number, what.join("; ")),
        );
        self.store.update_asset(actor.office_id, id, &f, &changes, self.now(), log).await
    }

    /// Moves an asset through its life cycle (R.4); a write-off or disposal names its act.
    pub async fn set_asset_status(&self, actor: &Actor, id: i64, status: AssetStatus, reference: &str) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let old = self.store.get_asset(actor.office_id, id).await?;
        let Some(m) = status_move(&old, status, reference)? else { return Ok(old) };
        if let Some(ip) = reactivated_ip(&old, status)
            && self.store.asset_holding(actor.office_id, Identifier::Ip, ip, Some(id)).await?.is_some()
        {
            return Err(Error::Conflict { code: "ip_taken", field: Some("ip") });
        }
        let log = draft(actor, m.category, Some(ObjectRef::new("asset", id, &old.fields.inventory_number)), m.text);
        self.store.set_asset_status(actor.office_id, id, status, &m.change, self.now(), log).await
    }

    pub async fn asset_assignments(&self, actor: &Actor, id: i64) -> Result<Vec<Assignment>> {
        actor.require(Permission::AssetsRead)?;
        self.store.asset_assignments(actor.office_id, id).await
    }

    /// Assigns an asset to an employee and/or a workplace on a date (zaduženje, R.3, R.11).
    /// A workstation belongs to its workplace (R.19): moving it to another one must be confirmed,
    /// and the employee must work at that workplace.
    pub async fn assign_asset(
        &self,
        actor: &Actor,
        id: i64,
        person_id: Option<i64>,
        workplace_id: Option<i64>,
        on: &str,
        confirm_move: bool,
    ) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, id).await?;
        if !matches!(a.status, AssetStatus::InStock | AssetStatus::InUse) {
            return Err(Error::invalid("status", "err-assign-status"));
        }
        if person_id.is_none() && workplace_id.is_none() {
            return Err(Error::invalid("person_id", "err-assign-target"));
        }
        if a.fields.kind == AssetKind::Workstation && workplace_id.is_none() {
            return Err(Error::invalid("workplace_id", "err-workplace-required"));
        }
        let on = self.date_or_today(on)?;
        let person = match person_id {
            Some(p) => {
                let p = self.store.get_person(actor.office_id, p).await.map_err(|_| Error::invalid("person_id", "err-person-missing"))?;
                if !p.active {
                    return Err(Error::invalid("person_id", "err-person-missing"));
                }
                Some(p)
            }
            None => None,
        };
        let workplace = match workplace_id {
            Some(w) => Some(
                self.store.get_workplace(actor.office_id, w).await.map_err(|_| Error::invalid("workplace_id", "err-workplace-missing"))?,
            ),
            None => None,
        };
        if let (Some(p), Some(w)) = (&person, &workplace)
            && p.workplace_id != Some(w.id)
        {
            return Err(Error::invalid("person_id", "err-person-other-workplace"));
        }
        if a.fields.kind.is_workstation() && a.workplace_id.is_some() && a.workplace_id != workplace_id && !confirm_move {
            // R.19: the workstation stays with the workplace when its user changes job.
            return Err(Error::invalid("workplace_id", "err-workstation-stays"));
        }
        let person_label = person.as_ref().map(|p| p.full_name()).unwrap_or_default();
        let workplace_label = workplace.as_ref().map(|w| w.name.clone()).unwrap_or_default();
        let mut changes = vec![];
        if a.status != AssetStatus::InUse {
            changes.push(FieldChange { field: "status", old: a.status.as_str().into(), new: AssetStatus::InUse.as_str().into() });
        }
        let old_person = match a.person_id {
            Some(p) => self.store.get_person(actor.office_id, p).await.map(|p| p.full_name()).unwrap_or_default(),
            None => String::new(),
        };
        if old_person != person_label {
            changes.push(FieldChange { field: "person", old: old_person, new: person_label.clone() });
        }
        let old_workplace = match a.workplace_id {
            Some(w) => self.store.get_workplace(actor.office_id, w).await.map(|w| w.name).unwrap_or_default(),
            None => String::new(),
        };
        if old_workplace != workplace_label {
            changes.push(FieldChange { field: "workplace", old: old_workplace, new: workplace_label.clone() });
        }
        let to = [person_label.as_str(), workplace_label.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ");
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("asset", id, &a.fields.inventory_number)),
            format!("Задужење: средство инв. бр. {} — {to}, од {}", a.fields.inventory_number, crate::clock::format_date(on)),
        );
        self.store.assign_asset(actor.office_id, id, person_id, workplace_id, &on.to_string(), &changes, self.now(), log).await
    }

    /// Returns an asset to stock (razduženje); a workstation keeps its workplace (R.19).
    pub async fn return_asset(&self, actor: &Actor, id: i64, on: &str) -> Result<Asset> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, id).await?;
        if a.status != AssetStatus::InUse {
            return Err(Error::invalid("status", "err-return-status"));
        }
        let on = self.date_or_today(on)?;
        let old_person = match a.person_id {
            Some(p) => self.store.get_person(actor.office_id, p).await.map(|p| p.full_name()).unwrap_or_default(),
            None => String::new(),
        };
        let mut changes = vec![FieldChange { field: "status", old: a.status.as_str().into(), new: AssetStatus::InStock.as_str().into() }];
        if !old_person.is_empty() {
            changes.push(FieldChange { field: "person", old: old_person.clone(), new: String::new() });
        }
        let log = draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("asset", id, &a.fields.inventory_number)),
            format!("Раздужење: средство инв. бр. {} {}, {}", a.fields.inventory_number, old_person, crate::clock::format_date(on))
                .replace("  ", " "),
        );
        self.store.return_asset(actor.office_id, id, &on.to_string(), &changes, self.now(), log).await
    }

    pub(crate) fn date_or_today(&self, on: &str) -> Result<jiff::civil::Date> {
        if on.trim().is_empty() {
            let ts = jiff::Timestamp::from_microsecond(self.now()).map_err(|_| Error::invalid("date", "err-date"))?;
            let tz = jiff::tz::TimeZone::get(crate::clock::BELGRADE).map_err(|_| Error::invalid("date", "err-date"))?;
            return Ok(ts.to_zoned_datetime(tz).date());
        }
        crate::clock::parse_date(on).ok_or(Error::invalid("date", "err-date"))
    }
}

/// Components and installed software of an asset (R.11, Prilog 1).
impl Services {
    pub async fn asset_parts(&self, actor: &Actor, asset_id: i64) -> Result<Vec<Part>> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_asset(actor.office_id, asset_id).await?;
        self.store.asset_parts(actor.office_id, asset_id).await
    }

    pub async fn asset_part(&self, actor: &Actor, asset_id: i64, kind: PartKind, part_id: i64) -> Result<Part> {
        actor.require(Permission::AssetsRead)?;
        self.store.get_asset(actor.office_id, asset_id).await?;
        self.part_of(actor, asset_id, kind, part_id).await
    }

    /// One part of an asset already read and checked by the caller.
    async fn part_of(&self, actor: &Actor, asset_id: i64, kind: PartKind, part_id: i64) -> Result<Part> {
        let parts = self.store.asset_parts(actor.office_id, asset_id).await?;
        parts.into_iter().find(|p| p.id == part_id && p.fields.kind() == kind).ok_or(Error::NotFound { what: "part" })
    }

    /// Records a component built in or a program installed; the card's history gets a row.
    pub async fn add_part(&self, actor: &Actor, asset_id: i64, f: &PartFields) -> Result<Part> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, asset_id).await?;
        check_active(a.status)?;
        let what = f.describe();
        let verb = match f.kind() {
            PartKind::Component => "уграђено",
            PartKind::Software => "инсталирано",
        };
        let change = FieldChange { field: f.kind().as_str(), old: String::new(), new: what.clone() };
        let log = self.part_log(actor, &a, format!("{verb}: {what}"));
        let part = self.store.add_part(actor.office_id, asset_id, f, PartSource::Manual, &change, self.now(), log).await?;
        self.software_changed(actor.office_id, asset_id, f.kind()).await?;
        Ok(part)
    }

    /// A program recorded by hand counts for compliance as one an agent reported (R.29–R.30).
    async fn software_changed(&self, office_id: i64, asset_id: i64, kind: PartKind) -> Result<()> {
        if kind == PartKind::Software {
            self.recompute_software(office_id, Some(asset_id)).await?;
        }
        Ok(())
    }

    /// Corrects or replaces a part (a bigger disk, a new version): old → new in the history.
    pub async fn update_part(&self, actor: &Actor, asset_id: i64, part_id: i64, f: &PartFields) -> Result<Part> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, asset_id).await?;
        check_active(a.status)?;
        let old = self.part_of(actor, asset_id, f.kind(), part_id).await?;
        if old.removed_us.is_some() {
            return Err(Error::NotFound { what: "part" });
        }
        if old.fields == *f {
            return Ok(old);
        }
        let change = FieldChange { field: f.kind().as_str(), old: old.fields.describe(), new: f.describe() };
        let log = self.part_log(actor, &a, format!("измењено: {} → {}", change.old, change.new));
        let part = self.store.update_part(actor.office_id, asset_id, part_id, f, &change, self.now(), log).await?;
        self.software_changed(actor.office_id, asset_id, f.kind()).await?;
        Ok(part)
    }

    /// Takes a part out; the row stays, marked removed, so the card shows what was there.
    pub async fn remove_part(&self, actor: &Actor, asset_id: i64, kind: PartKind, part_id: i64) -> Result<()> {
        actor.require(Permission::AssetsWrite)?;
        let a = self.store.get_asset(actor.office_id, asset_id).await?;
        check_active(a.status)?;
        let old = self.part_of(actor, asset_id, kind, part_id).await?;
        if old.removed_us.is_some() {
            return Ok(());
        }
        let what = old.fields.describe();
        let verb = match old.fields.kind() {
            PartKind::Component => "уклоњено",
            PartKind::Software => "деинсталирано",
        };
        let change = FieldChange { field: old.fields.kind().as_str(), old: what.clone(), new: String::new() };
        let log = self.part_log(actor, &a, format!("{verb}: {what}"));
        self.store.remove_part(actor.office_id, asset_id, kind, part_id, &change, self.now(), log).await?;
        self.software_changed(actor.office_id, asset_id, kind).await
    }

    fn part_log(&self, actor: &Actor, a: &Asset, what: String) -> crate::worklog::Draft {
        let label = a.fields.label.map(|l| format!(" ({})", format_label(l))).unwrap_or_default();
        draft(
            actor,
            Category::ConfigurationChange,
            Some(ObjectRef::new("asset", a.id, &a.fields.inventory_number)),
            format!("Средство инв. бр. {}{label} — {what}", a.fields.inventory_number),
        )
    }
}

/// What moving an asset to another status writes: its history row, the log category and text.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusMove {
    pub change: FieldChange,
    pub category: Category,
    pub text: String,
}

/// The rules of a move through the life cycle (R.4), shared by the single change and the bulk
/// action: `None` when the asset already has that status. The IP check needs the store and is the
/// caller's ([`reactivated_ip`]).
pub fn status_move(old: &Asset, status: AssetStatus, reference: &str) -> Result<Option<StatusMove>> {
    if !old.status.can_move_to(status) {
        return Err(Error::invalid("status", "err-status-move"));
    }
    if old.status == AssetStatus::InUse && status == AssetStatus::InStock {
        // Back to stock is a return (razduženje): it closes the assignment.
        return Err(Error::invalid("status", "err-use-return"));
    }
    let reference = reference.trim();
    if needs_act(status) && reference.is_empty() {
        return Err(Error::invalid("reference", "err-act-reference"));
    }
    if old.status == status {
        return Ok(None);
    }
    let act = if reference.is_empty() { String::new() } else { format!(" ({reference})") };
    let change = FieldChange { field: "status", old: old.status.as_str().into(), new: format!("{}{act}", status.as_str()) };
    let category = if status == AssetStatus::InRepair || status == AssetStatus::AtService {
        Category::Intervention
    } else {
        Category::ConfigurationChange
    };
    let text = format!("Средство инв. бр. {}: {} → {}{act}", old.fields.inventory_number, old.status.log_name(), status.log_name());
    Ok(Some(StatusMove { change, category, text }))
}

/// A write-off or a disposal names its act (R.4).
pub fn needs_act(status: AssetStatus) -> bool {
    matches!(status, AssetStatus::WrittenOff | AssetStatus::Disposed)
}

/// The IP address an asset takes back when it becomes active again (one active asset per address).
pub fn reactivated_ip(old: &Asset, status: AssetStatus) -> Option<&str> {
    if status.is_active() && !old.status.is_active() { old.fields.ip.as_deref() } else { None }
}
