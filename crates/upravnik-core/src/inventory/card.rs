//! STAND-IN for the parser crate's `cards.rs` / `identity.rs`: what a report means for the
//! workstation card (components, programs, the OS line) and which values identify the machine.
//!
//! Kept small on purpose: when `upravnik_inventory` gains `Inventory::card_components()`,
//! `card_software()`, `os_line()` and `identity::{Blacklist, Identity}`, the bodies of
//! [`components`], [`software`], [`os_line`] and [`identity`] become one-line calls to them and
//! this file's blacklist gives way to theirs. Nothing else in the service depends on how.

use upravnik_inventory::{Inventory, Section};

use crate::parts::{ComponentKind, PartFields};

/// Which component kind each hardware section fills; a partial inventory compares only these.
pub const COMPONENT_SECTIONS: [(Section, ComponentKind); 5] = [
    (Section::Cpus, ComponentKind::Cpu),
    (Section::Memories, ComponentKind::Memory),
    (Section::Storages, ComponentKind::Disk),
    (Section::Networks, ComponentKind::Network),
    (Section::Videos, ComponentKind::Graphics),
];

/// Whether the report tells the truth about a section: a full inventory always does (an absent
/// section is an empty one), a partial one only for the sections it carries (PROTOCOLS §3.4).
pub fn carries(inv: &Inventory, s: Section) -> bool {
    !inv.partial || inv.sections.contains(&s)
}

fn size_mb(mb: i64) -> String {
    if mb >= 1024 && mb % 1024 == 0 {
        format!("{} GB", mb / 1024)
    } else if mb >= 10 * 1024 {
        format!("{} GB", (mb + 512) / 1024)
    } else {
        format!("{mb} MB")
    }
}

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

fn component(kind: ComponentKind, manufacturer: &str, model: &str, serial: &str, capacity: String, note: &str) -> PartFields {
    PartFields::Component {
        kind,
        manufacturer: clip(manufacturer, 100),
        model: clip(model, 200),
        serial: clip(serial, 100),
        capacity: clip(&capacity, 60),
        note: clip(note, 500),
    }
}

/// The hardware rows of one kind, as the card lists them.
pub fn components(inv: &Inventory, kind: ComponentKind) -> Vec<PartFields> {
    match kind {
        ComponentKind::Cpu => inv
            .cpus
            .iter()
            .map(|c| {
                let cap = match (c.cores, c.speed_mhz) {
                    (Some(n), Some(s)) => format!("{n} × {s} MHz"),
                    (None, Some(s)) => format!("{s} MHz"),
                    (Some(n), None) => format!("{n} језгра"),
                    (None, None) => String::new(),
                };
                component(kind, &c.manufacturer, &c.name, &c.serial, cap, "")
            })
            .collect(),
        ComponentKind::Memory => inv
            .memories
            .iter()
            // Empty slots are reported too, without a size.
            .filter(|m| m.capacity_mb.is_some_and(|c| c > 0))
            .map(|m| {
                let model = if m.model.trim().is_empty() { &m.kind } else { &m.model };
                component(kind, &m.manufacturer, model, &m.serial, m.capacity_mb.map(size_mb).unwrap_or_default(), &m.slot)
            })
            .collect(),
        ComponentKind::Disk => inv
            .storages
            .iter()
            .filter(|d| !matches!(d.kind.to_ascii_lowercase().as_str(), "cdrom" | "dvd" | "floppy" | "removable"))
            .map(|d| {
                let model = if d.model.trim().is_empty() { &d.name } else { &d.model };
                component(kind, &d.manufacturer, model, &d.serial, d.size_mb.map(size_mb).unwrap_or_default(), &d.interface)
            })
            .collect(),
        ComponentKind::Network => inv
            .networks
            .iter()
            .filter(|n| !n.virtual_dev && !n.mac.is_empty() && n.kind != "loopback")
            .map(|n| {
                let model = if n.model.trim().is_empty() { &n.description } else { &n.model };
                component(kind, &n.manufacturer, model, &n.mac.to_ascii_lowercase(), String::new(), "")
            })
            .collect(),
        ComponentKind::Graphics => inv
            .videos
            .iter()
            .map(|v| component(kind, "", &v.name, "", v.memory_mb.filter(|m| *m > 0).map(size_mb).unwrap_or_default(), &v.chipset))
            .collect(),
        ComponentKind::Motherboard | ComponentKind::Other => vec![],
    }
}

/// The installed programs, one row each (an agent lists a package once per architecture).
pub fn software(inv: &Inventory) -> Vec<PartFields> {
    inv.softwares
        .iter()
        .filter(|s| !s.name.trim().is_empty())
        .map(|s| PartFields::Software {
            name: clip(&s.name, 300),
            version: clip(&s.version, 100),
            publisher: clip(&s.publisher, 200),
            installed_on: s.install_date.as_deref().and_then(crate::clock::parse_date).map(|d| d.to_string()),
        })
        .collect()
}

/// "Microsoft Windows 10 Pro 22H2 (x86_64)".
pub fn os_line(inv: &Inventory) -> String {
    let o = &inv.os;
    let mut s = if o.full_name.trim().is_empty() { format!("{} {}", o.name.trim(), o.version.trim()) } else { o.full_name.trim().into() };
    if !o.service_pack.trim().is_empty() {
        s = format!("{s} {}", o.service_pack.trim());
    }
    if !o.arch.trim().is_empty() {
        s = format!("{s} ({})", o.arch.trim());
    }
    clip(&s, 200)
}

// --- identity ---------------------------------------------------------------------------------

/// GLPI's default blacklists (PROTOCOLS §4.5), compared as lower case.
const JUNK_SERIALS: &[&str] = &[
    "n/a",
    "(null string)",
    "invalid",
    "sys-1234567890",
    "sys-9876543210",
    "sn-12345",
    "sn-1234567890",
    "0123456789",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "123456789000",
    "12345678901234567",
    "nnnnnnn",
    "xxxxxxxxxxx",
    "eval",
    "iatpass",
    "none",
    "to be filled by o.e.m.",
    "tulip computers",
    "serial number xxxxxx",
    "sn-123456fvgv3i0b8o5n6n7k",
    "unknow",
    "unknown",
    "system serial number",
    "mb-1234567890",
    "empty",
    "not specified",
    "oem_serial",
    "systemserialnumb",
    "default string",
    "to be filled by o.e.m",
    "chassis serial number",
];
const JUNK_UUIDS: &[&str] = &[
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009",
    "6ab5b300-538d-1014-9fb5-b0684d007b53",
    "01010101-0101-0101-0101-010101010101",
    "00000000-0000-0000-0000-000000000000",
    "2",
];
const JUNK_MACS: &[&str] = &[
    "00:00:00:00:00:00",
    "fe:ff:ff:ff:ff:ff",
    "20:41:53:59:4e:ff",
    "02:00:4e:43:50:49",
    "e2:e6:16:20:0a:35",
    "d2:0a:2d:a0:04:be",
    "00:a0:c6:00:00:00",
    "d2:6b:25:2f:2c:e7",
    "33:50:6f:45:30:30",
    "0a:00:27:00:00:00",
    "02:80:37:ec:02:00",
    "50:50:54:50:30:30",
    "24:b6:20:52:41:53",
    "00:0b:ca:fe:00:00",
];
const JUNK_MODELS: &[&str] = &["unknow", "to be filled by o.e.m.", "*", "system product name", "product name", "system name", "all series"];
const JUNK_MANUFACTURERS: &[&str] = &["system manufacturer", "to be filled by o.e.m.", "default string"];

/// Junk values that identify nothing: GLPI's defaults plus the office's own.
#[derive(Debug, Clone, Default)]
pub struct Blacklist {
    pub serials: Vec<String>,
    pub uuids: Vec<String>,
    pub macs: Vec<String>,
}

impl Blacklist {
    pub fn junk_serial(&self, s: &str) -> bool {
        let s = s.trim().to_lowercase();
        s.is_empty()
            || s.len() < 3
            || JUNK_SERIALS.contains(&s.as_str())
            || self.serials.iter().any(|b| b.eq_ignore_ascii_case(&s))
            || s.chars().all(|c| c == '0')
            || s.chars().all(|c| c == '1')
            || s.chars().all(|c| c == '0' || c == '1') && s.len() < 6
            // /\d\.\d(\.\d)?/: a BIOS version where the serial should be.
            || looks_like_version(&s)
    }

    pub fn junk_uuid(&self, s: &str) -> bool {
        let s = s.trim().to_lowercase();
        s.is_empty() || JUNK_UUIDS.contains(&s.as_str()) || self.uuids.iter().any(|b| b.eq_ignore_ascii_case(&s))
    }

    pub fn junk_mac(&self, s: &str) -> bool {
        let s = s.trim().to_lowercase();
        s.is_empty()
            || JUNK_MACS.contains(&s.as_str())
            // VMware's host-only adapters: 00:50:56:C0:xx:xx.
            || s.starts_with("00:50:56:c0:")
            || self.macs.iter().any(|b| b.eq_ignore_ascii_case(&s))
    }
}

fn looks_like_version(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
}

/// A value the office does not want on a card either (`System Product Name`).
pub fn junk_model(s: &str) -> bool {
    JUNK_MODELS.contains(&s.trim().to_lowercase().as_str())
}

pub fn junk_manufacturer(s: &str) -> bool {
    JUNK_MANUFACTURERS.contains(&s.trim().to_lowercase().as_str())
}

/// The values that identify the machine and the agent, blacklisted values left out, compared in
/// lower case (PROTOCOLS §4.4).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub uuid: Option<String>,
    pub serial: Option<String>,
    /// Physical NICs; every NIC when none is physical (virtual machines).
    pub macs: Vec<String>,
    pub hostname: Option<String>,
    /// The reporting deviceid and, for OCS, the one it had before.
    pub deviceids: Vec<String>,
    pub agent_id: Option<String>,
}

pub fn identity(inv: &Inventory, bl: &Blacklist) -> Identity {
    let lower = |s: &str| s.trim().to_lowercase();
    let uuid = Some(lower(&inv.hardware.uuid)).filter(|u| !bl.junk_uuid(u));
    let serial =
        [&inv.bios.serial, &inv.bios.board_serial, &inv.bios.enclosure_serial].into_iter().map(|s| lower(s)).find(|s| !bl.junk_serial(s));
    let nic_macs = |physical: bool| -> Vec<String> {
        let mut v: Vec<String> = inv
            .networks
            .iter()
            .filter(|n| n.kind != "loopback" && (!physical || !n.virtual_dev))
            .map(|n| lower(&n.mac))
            .filter(|m| !bl.junk_mac(m))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut macs = nic_macs(true);
    if macs.is_empty() {
        macs = nic_macs(false);
    }
    let hostname = Some(lower(&inv.hardware.name)).filter(|h| !h.is_empty() && h != "localhost");
    let mut deviceids = vec![lower(&inv.deviceid)];
    if let Some(old) = inv.old_deviceid.as_deref().map(lower).filter(|o| !o.is_empty()) {
        deviceids.push(old);
    }
    deviceids.retain(|d| !d.is_empty());
    deviceids.dedup();
    let agent_id = inv.agent_id.as_deref().map(lower).filter(|a| !a.is_empty());
    Identity { uuid, serial, macs, hostname, deviceids, agent_id }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upravnik_inventory::model::{Bios, Hardware, Network};

    #[test]
    fn junk_serials_identify_nothing() {
        let bl = Blacklist { serials: vec!["OFFICE-JUNK".into()], ..Default::default() };
        for s in ["To Be Filled By O.E.M.", "Default string", "0000000", "N/A", "", "1.0.3", "office-junk"] {
            assert!(bl.junk_serial(s), "{s}");
        }
        assert!(!bl.junk_serial("CZC1234XYZ"));
        assert!(bl.junk_mac("00:50:56:C0:00:08") && !bl.junk_mac("52:54:00:12:34:56"));
    }

    #[test]
    fn identity_falls_back_to_every_nic_on_a_virtual_machine() {
        let inv = Inventory {
            deviceid: "PC-2026-01-01-10-00-00".into(),
            hardware: Hardware { name: "PC-01".into(), uuid: "00000000-0000-0000-0000-000000000000".into(), ..Default::default() },
            bios: Bios { serial: "To Be Filled By O.E.M.".into(), board_serial: "MB123456".into(), ..Default::default() },
            networks: vec![Network { mac: "52:54:00:AA:BB:CC".into(), virtual_dev: true, kind: "ethernet".into(), ..Default::default() }],
            ..Default::default()
        };
        let id = identity(&inv, &Blacklist::default());
        assert_eq!(id.uuid, None);
        assert_eq!(id.serial.as_deref(), Some("mb123456"), "the board serial stands in for a junk system serial");
        assert_eq!(id.macs, ["52:54:00:aa:bb:cc"]);
        assert_eq!(id.hostname.as_deref(), Some("pc-01"));
    }
}
