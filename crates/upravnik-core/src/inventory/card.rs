//! What a report means for the workstation card (components, programs, the OS line) and which
//! values identify the machine, in the core's types. The reading itself is the parser crate's
//! (`upravnik_inventory::cards`, `identity`); this maps it onto `PartFields` and the matcher.

use upravnik_inventory::{Inventory, Section};

pub use upravnik_inventory::Blacklist;

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
    inv.authoritative_sections().contains(&s)
}

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// [`clip`] that keeps the string it was given when it already fits (the usual case).
fn clip_owned(s: String, max: usize) -> String {
    if s.len() <= max && s.trim().len() == s.len() { s } else { clip(&s, max) }
}

/// The hardware rows of one kind, as the card lists them.
pub fn components(inv: &Inventory, kind: ComponentKind) -> Vec<PartFields> {
    inv.card_components()
        .into_iter()
        .filter(|c| c.kind == kind.as_str())
        .map(|c| PartFields::Component {
            kind,
            manufacturer: clip(&c.manufacturer, 100),
            model: clip(&c.model, 200),
            serial: clip(&c.serial, 100),
            capacity: clip(&c.capacity, 60),
            note: String::new(),
        })
        .collect()
}

/// The installed programs, one row per name and version.
pub fn software(inv: &Inventory) -> Vec<PartFields> {
    inv.card_software()
        .into_iter()
        .filter(|s| !s.name.trim().is_empty())
        .map(|s| PartFields::Software {
            name: clip_owned(s.name, 300),
            version: clip_owned(s.version, 100),
            publisher: clip_owned(s.publisher, 200),
            installed_on: s.installed_on.as_deref().and_then(crate::clock::parse_date).map(|d| d.to_string()),
        })
        .collect()
}

/// "Debian GNU/Linux 12 (bookworm)", "Microsoft Windows 10 Pro 22H2".
/// What the report says of antivirus (R.31, R.60), encoded for the state; `None` when it says
/// nothing: a partial report without the section, an OCS agent (it never reports antivirus), or
/// a system other than Windows, where no Security Center answers.
pub fn antivirus(inv: &Inventory) -> Option<String> {
    if inv.sections.contains(&Section::Antivirus) {
        let products: Vec<crate::antivirus::Product> = inv
            .antivirus
            .iter()
            .map(|a| crate::antivirus::Product { name: a.name.clone(), enabled: a.enabled, uptodate: a.uptodate })
            .collect();
        return Some(crate::antivirus::encode(&products));
    }
    let windows = inv.os_line().to_lowercase().contains("windows");
    let ocs = inv.client.to_ascii_lowercase().starts_with("ocs");
    (carries(inv, Section::Antivirus) && windows && !ocs).then(String::new)
}

pub fn os_line(inv: &Inventory) -> String {
    clip(&inv.os_line(), 200)
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
    let id = inv.identity(bl);
    let lower = |s: &str| s.trim().to_lowercase();
    let mut deviceids: Vec<String> = std::iter::once(id.deviceid.as_str()).chain(id.old_deviceid.as_deref()).map(lower).collect();
    deviceids.retain(|d| !d.is_empty());
    deviceids.dedup();
    Identity {
        uuid: id.uuid.as_deref().map(lower),
        serial: id.serial.as_deref().map(lower),
        macs: id.macs,
        hostname: id.name.filter(|h| h != "localhost"),
        deviceids,
        agent_id: id.agent_id.as_deref().map(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upravnik_inventory::model::{Bios, Hardware, Network};

    #[test]
    fn junk_serials_identify_nothing() {
        let bl = Blacklist { extra_serials: vec!["OFFICE-JUNK".into()], ..Default::default() };
        for s in ["To Be Filled By O.E.M.", "Default string", "0000000", "N/A", "", "1.0.3", "office-junk"] {
            assert!(bl.is_junk_serial(s), "{s}");
        }
        assert!(!bl.is_junk_serial("CZC1234XYZ"));
        assert!(bl.is_junk_mac("00:50:56:C0:00:08") && !bl.is_junk_mac("52:54:00:12:34:56"));
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
