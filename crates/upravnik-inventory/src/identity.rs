//! The keys that tie an inventory to an agent and to a machine (PROTOCOLS.md §4.4, §4.5),
//! after dropping the junk values firmware and virtual NICs are known to report.

use crate::model::Inventory;
use crate::normalise;

/// Values never used to match a machine: GLPI's defaults (`src/Blacklist.php`) plus what an
/// administrator adds. Every comparison ignores case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blacklist {
    pub extra_serials: Vec<String>,
    pub extra_uuids: Vec<String>,
    pub extra_macs: Vec<String>,
}

const SERIALS: &[&str] = &[
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
    "to be filled by o.e.m",
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
    // AMI firmware on white-box boards; common in municipal fleets.
    "default string",
    "chassis serial number",
    "base board serial number",
];

const UUIDS: &[&str] = &[
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009",
    "6ab5b300-538d-1014-9fb5-b0684d007b53",
    "01010101-0101-0101-0101-010101010101",
    "2",
];

const MACS: &[&str] = &[
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

const MODELS: &[&str] = &["unknow", "to be filled by o.e.m.", "*", "system product name", "product name", "system name", "all series"];

const MANUFACTURERS: &[&str] = &["system manufacturer"];

impl Blacklist {
    /// True when `serial` identifies nothing: empty, a placeholder, or one of GLPI's patterns
    /// `^0+$`, `^1+$`, `^(0|1)+$` and the unanchored `\d\.\d(\.\d)?` (a version, not a serial).
    pub fn is_junk_serial(&self, serial: &str) -> bool {
        let s = serial.trim();
        if s.is_empty() || in_list(SERIALS, s) || in_extra(&self.extra_serials, s) {
            return true;
        }
        if s.bytes().all(|b| b == b'0' || b == b'1') {
            return true;
        }
        s.as_bytes().windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit())
    }

    /// True for empty, listed, and single-digit UUIDs (all zeros, all F, …).
    pub fn is_junk_uuid(&self, uuid: &str) -> bool {
        let u = uuid.trim();
        if u.is_empty() || in_list(UUIDS, u) || in_extra(&self.extra_uuids, u) {
            return true;
        }
        let mut digits = u.chars().filter(|c| *c != '-');
        match digits.next() {
            Some(first) => digits.all(|c| c.eq_ignore_ascii_case(&first)),
            None => true,
        }
    }

    /// True for empty or unparseable MACs, listed ones, and VMware host-only adapters
    /// (`00:50:56:C0:xx:xx`).
    pub fn is_junk_mac(&self, mac: &str) -> bool {
        let m = normalise::mac(mac);
        if m.is_empty() || MACS.contains(&m.as_str()) {
            return true;
        }
        if m.starts_with("00:50:56:c0:") {
            return true;
        }
        self.extra_macs.iter().any(|x| normalise::mac(x) == m && !m.is_empty())
    }

    pub fn is_junk_model(&self, model: &str) -> bool {
        let m = model.trim();
        m.is_empty() || in_list(MODELS, m)
    }

    pub fn is_junk_manufacturer(&self, manufacturer: &str) -> bool {
        let m = manufacturer.trim();
        m.is_empty() || in_list(MANUFACTURERS, m)
    }
}

fn in_list(list: &[&str], value: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(value))
}

fn in_extra(list: &[String], value: &str) -> bool {
    list.iter().any(|x| x.trim().eq_ignore_ascii_case(value))
}

/// What to match on, cleaned. `None` and empty lists mean "no usable value".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The agent installation.
    pub deviceid: String,
    /// GLPI Agent's UUID; survives a hostname change.
    pub agent_id: Option<String>,
    /// OCS's previous deviceid after it regenerated one.
    pub old_deviceid: Option<String>,
    /// SMBIOS UUID, upper-case.
    pub uuid: Option<String>,
    /// System serial, or the board's or the enclosure's when the system one is junk.
    pub serial: Option<String>,
    /// MACs of physical network cards (all cards when none is physical), lower-case, sorted.
    pub macs: Vec<String>,
    /// Host name, lower-case.
    pub name: Option<String>,
}

impl Inventory {
    pub fn identity(&self, bl: &Blacklist) -> Identity {
        let non_empty = |s: &str| Some(s.trim().to_string()).filter(|v| !v.is_empty());
        let uuid = non_empty(&self.hardware.uuid).filter(|u| !bl.is_junk_uuid(u)).map(|u| u.to_ascii_uppercase());
        let serial = [&self.bios.serial, &self.bios.board_serial, &self.bios.enclosure_serial]
            .into_iter()
            .map(|s| s.trim())
            .find(|s| !bl.is_junk_serial(s))
            .map(String::from);
        let usable = |physical_only: bool| {
            let mut macs: Vec<String> = self
                .networks
                .iter()
                .filter(|n| !physical_only || (!n.virtual_dev && n.kind != "loopback"))
                .map(|n| normalise::mac(&n.mac))
                .filter(|m| !bl.is_junk_mac(m))
                .collect();
            macs.sort();
            macs.dedup();
            macs
        };
        let physical = usable(true);
        // A virtual machine may have only virtual cards; they still tell it apart (§4.4).
        let macs = if physical.is_empty() { usable(false) } else { physical };
        Identity {
            deviceid: self.deviceid.clone(),
            agent_id: self.agent_id.as_deref().and_then(non_empty),
            old_deviceid: self.old_deviceid.as_deref().and_then(non_empty),
            uuid,
            serial,
            macs,
            name: non_empty(&self.hardware.name).map(|n| n.to_lowercase()),
        }
    }
}
