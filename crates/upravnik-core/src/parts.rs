//! What a computer is made of and what runs on it (R.11, Prilog 1): hardware components with
//! their serials and installed software. Rows come from administrators or, later, from the
//! inventory agents; a removed row is kept with its removal time so the card's history stays whole.

use crate::asset::string_enum;
use crate::clock::Micros;
use crate::error::Errors;
use crate::{Error, Result};

string_enum!(
    /// The kinds of hardware a workstation card lists (Prilog 1).
    ComponentKind {
        Cpu = "cpu",
        Memory = "memory",
        Disk = "disk",
        Network = "network",
        Graphics = "graphics",
        Motherboard = "motherboard",
        Other = "other",
    }
);

impl ComponentKind {
    /// The name the work log and history use (Serbian, R.38).
    pub fn log_name(self) -> &'static str {
        match self {
            ComponentKind::Cpu => "процесор",
            ComponentKind::Memory => "меморија",
            ComponentKind::Disk => "диск",
            ComponentKind::Network => "мрежна картица",
            ComponentKind::Graphics => "графичка картица",
            ComponentKind::Motherboard => "матична плоча",
            ComponentKind::Other => "компонента",
        }
    }
}

string_enum!(
    /// Who recorded a row: an administrator by hand, or an inventory agent (R.11).
    PartSource {
        Manual = "manual",
        Agent = "agent",
    }
);

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ComponentInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub manufacturer: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub serial: String,
    /// As people write it: "8 GB", "512 GB SSD", "3,2 GHz".
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct SoftwareInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub publisher: String,
    /// A date in any accepted spelling; stored as ISO.
    #[serde(default)]
    pub installed_on: String,
}

/// A validated part of an asset: a hardware component or an installed program.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum PartFields {
    Component { kind: ComponentKind, manufacturer: String, model: String, serial: String, capacity: String, note: String },
    Software { name: String, version: String, publisher: String, installed_on: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Component,
    Software,
}

impl PartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartKind::Component => "component",
            PartKind::Software => "software",
        }
    }
}

fn text(e: &mut Errors, field: &'static str, v: &str, max: usize) -> String {
    let v = v.trim();
    if v.chars().count() > max {
        e.add(field, "err-too-long");
    }
    v.to_string()
}

impl ComponentInput {
    pub fn validate(&self) -> Result<PartFields> {
        let mut e = Errors::default();
        let kind = ComponentKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "err-required");
        }
        let model = text(&mut e, "model", &self.model, 200);
        let manufacturer = text(&mut e, "manufacturer", &self.manufacturer, 100);
        if model.is_empty() && manufacturer.is_empty() {
            e.add("model", "err-required");
        }
        let f = PartFields::Component {
            kind: kind.unwrap_or(ComponentKind::Other),
            manufacturer,
            model,
            serial: text(&mut e, "serial", &self.serial, 100),
            capacity: text(&mut e, "capacity", &self.capacity, 60),
            note: text(&mut e, "note", &self.note, 500),
        };
        e.finish()?;
        Ok(f)
    }
}

impl SoftwareInput {
    pub fn validate(&self) -> Result<PartFields> {
        let mut e = Errors::default();
        let name = text(&mut e, "name", &self.name, 300);
        if name.is_empty() {
            e.add("name", "err-required");
        }
        let installed_on = match self.installed_on.trim() {
            "" => None,
            d => match crate::clock::parse_date(d) {
                Some(d) => Some(d.to_string()),
                None => {
                    e.add("installed_on", "err-date");
                    None
                }
            },
        };
        let f = PartFields::Software {
            name,
            version: text(&mut e, "version", &self.version, 100),
            publisher: text(&mut e, "publisher", &self.publisher, 200),
            installed_on,
        };
        e.finish()?;
        Ok(f)
    }
}

impl PartFields {
    pub fn kind(&self) -> PartKind {
        match self {
            PartFields::Component { .. } => PartKind::Component,
            PartFields::Software { .. } => PartKind::Software,
        }
    }

    /// One line for the history and the work log: "меморија Kingston KVR26 8 GB (SN 123)".
    pub fn describe(&self) -> String {
        let join = |parts: &[&str]| parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ");
        match self {
            PartFields::Component { kind, manufacturer, model, serial, capacity, .. } => {
                let sn = if serial.is_empty() { String::new() } else { format!("(SN {serial})") };
                join(&[kind.log_name(), manufacturer, model, capacity, &sn])
            }
            PartFields::Software { name, version, .. } => join(&[name, version]),
        }
    }
}

/// A part as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Part {
    pub id: i64,
    pub asset_id: i64,
    pub source: PartSource,
    pub added_us: Micros,
    /// When it was taken out; `None` while installed.
    pub removed_us: Option<Micros>,
    #[serde(flatten)]
    pub fields: PartFields,
}

/// Which parts of an asset a page wants.
pub fn only(parts: &[Part], kind: PartKind) -> impl Iterator<Item = &Part> {
    parts.iter().filter(move |p| p.fields.kind() == kind && p.removed_us.is_none())
}

/// Refuses changes to the parts of equipment that has left service (R.4).
pub fn check_active(status: crate::asset::AssetStatus) -> Result<()> {
    if status.is_active() { Ok(()) } else { Err(Error::invalid("status", "err-parts-retired")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_component_needs_a_kind_and_a_name() {
        let Err(Error::Invalid(errs)) = ComponentInput::default().validate() else { panic!("expected invalid") };
        assert_eq!(errs.iter().map(|e| e.field).collect::<Vec<_>>(), ["kind", "model"]);
        let ram = ComponentInput {
            kind: "memory".into(),
            manufacturer: "Kingston".into(),
            model: "KVR26N19S8/8".into(),
            serial: "A1B2".into(),
            capacity: "8 GB".into(),
            ..Default::default()
        };
        assert_eq!(ram.validate().map(|f| f.describe()).ok().as_deref(), Some("меморија Kingston KVR26N19S8/8 8 GB (SN A1B2)"));
    }

    #[test]
    fn software_dates_are_read_in_serbian_spelling() {
        let s =
            SoftwareInput { name: "LibreOffice".into(), version: "7.4".into(), installed_on: "01.02.2019.".into(), ..Default::default() };
        let Ok(PartFields::Software { installed_on, .. }) = s.validate() else { panic!("valid") };
        assert_eq!(installed_on.as_deref(), Some("2019-02-01"));
        let bad = SoftwareInput { name: "X".into(), installed_on: "32.13.2019".into(), ..Default::default() };
        assert!(bad.validate().is_err());
    }

    #[test]
    fn parts_of_retired_equipment_are_not_changed() {
        use crate::asset::AssetStatus;
        assert!(check_active(AssetStatus::InRepair).is_ok());
        assert!(check_active(AssetStatus::WrittenOff).is_err());
    }
}
