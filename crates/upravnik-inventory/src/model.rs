//! One model for every agent's inventory: the sections Upravnik keeps on a workstation card.
//! XML (FusionInventory, OCS, GLPI Agent in XML mode) and JSON (GLPI Agent native) both land
//! here, already normalised (units in MB and MHz, dates as `YYYY-MM-DD`, MACs lower-case).

use std::collections::BTreeSet;

/// The sections that matter to the card. A partial inventory (GLPI Agent, `"partial": true`)
/// carries only some of them; the ones absent must be left as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Hardware,
    Bios,
    OperatingSystem,
    Cpus,
    Memories,
    Storages,
    Networks,
    Videos,
    Softwares,
    Monitors,
    /// Antivirus products and their state (R.31, R.60); FusionInventory and GLPI Agent only.
    Antivirus,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::Hardware,
        Section::Bios,
        Section::OperatingSystem,
        Section::Cpus,
        Section::Memories,
        Section::Storages,
        Section::Networks,
        Section::Videos,
        Section::Softwares,
        Section::Monitors,
        Section::Antivirus,
    ];
}

/// An inventory as one agent reported one machine at one time.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Inventory {
    /// The agent installation (`<hostname>-YYYY-MM-DD-hh-mm-ss`), not the hardware.
    pub deviceid: String,
    /// GLPI Agent's own UUID (header `GLPI-Agent-ID`); survives a hostname change.
    pub agent_id: Option<String>,
    /// OCS: the deviceid it had before it regenerated one (`HARDWARE/OLD_DEVICEID`).
    pub old_deviceid: Option<String>,
    /// `Computer`, `Printer`, `NetworkEquipment`, `Phone`, `Unmanaged`.
    pub itemtype: String,
    /// Only the sections in `sections` were sent; the others are unknown, not empty.
    pub partial: bool,
    /// The site / entity tag the agent was configured with.
    pub tag: Option<String>,
    /// `content.versionclient`, or the User-Agent for agents that do not send it.
    pub client: String,
    /// The sections this report carried, empty ones included.
    pub sections: BTreeSet<Section>,
    pub hardware: Hardware,
    pub bios: Bios,
    pub os: OperatingSystem,
    pub cpus: Vec<Cpu>,
    pub memories: Vec<Memory>,
    pub storages: Vec<Storage>,
    pub networks: Vec<Network>,
    pub videos: Vec<Video>,
    pub softwares: Vec<Software>,
    pub monitors: Vec<Monitor>,
    pub antivirus: Vec<Antivirus>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hardware {
    /// Host name as the machine calls itself.
    pub name: String,
    /// SMBIOS system UUID, upper-case; empty on containers and some VMs.
    pub uuid: String,
    pub memory_mb: Option<i64>,
    pub workgroup: String,
    pub chassis_type: String,
    /// `Physical`, `VMware`, `QEMU`, … as the agent guessed it.
    pub vmsystem: String,
    pub last_logged_user: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bios {
    /// System serial (`SSN`); the matching key most fleets rely on.
    pub serial: String,
    /// Motherboard serial (`MSN`).
    pub board_serial: String,
    pub enclosure_serial: String,
    /// System manufacturer and model (`SMANUFACTURER`, `SMODEL`).
    pub manufacturer: String,
    pub model: String,
    pub board_manufacturer: String,
    pub board_model: String,
    pub asset_tag: String,
    pub version: String,
    /// `YYYY-MM-DD`, when the agent gave a date that parses.
    pub date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OperatingSystem {
    /// `Windows`, `Debian GNU/Linux`, …
    pub name: String,
    pub version: String,
    /// `Microsoft Windows 10 Pro`, `Debian GNU/Linux 12 (bookworm)`.
    pub full_name: String,
    pub service_pack: String,
    pub arch: String,
    pub kernel_version: String,
    pub install_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Cpu {
    pub name: String,
    pub manufacturer: String,
    pub serial: String,
    pub cores: Option<i64>,
    pub threads: Option<i64>,
    pub speed_mhz: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Memory {
    pub capacity_mb: Option<i64>,
    /// `DDR4`, …
    pub kind: String,
    pub speed: String,
    pub serial: String,
    pub manufacturer: String,
    pub model: String,
    /// The slot (`CAPTION`, `DIMM 0`).
    pub slot: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Storage {
    pub name: String,
    pub model: String,
    pub manufacturer: String,
    pub serial: String,
    pub size_mb: Option<i64>,
    /// `SATA`, `NVMe`, `SCSI`, …
    pub interface: String,
    /// `disk`, `cdrom`, …
    pub kind: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Network {
    pub description: String,
    /// Lower-case `aa:bb:cc:dd:ee:ff`; empty when the interface has none.
    pub mac: String,
    pub ipv4: String,
    pub ipv4_mask: String,
    pub ipv6: String,
    pub virtual_dev: bool,
    /// `ethernet`, `wifi`, `loopback`, …
    pub kind: String,
    pub manufacturer: String,
    pub model: String,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Video {
    pub name: String,
    pub chipset: String,
    pub memory_mb: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Software {
    pub name: String,
    pub version: String,
    pub publisher: String,
    /// `YYYY-MM-DD`; unparseable dates are dropped, not rejected.
    pub install_date: Option<String>,
    pub arch: String,
}

/// One antivirus product as Windows Security Center tells the agent about it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Antivirus {
    pub name: String,
    pub company: String,
    pub version: String,
    /// Real-time protection on; `None` when the agent did not say.
    pub enabled: Option<bool>,
    /// Definitions up to date; `None` when the agent did not say.
    pub uptodate: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Monitor {
    pub manufacturer: String,
    pub name: String,
    pub serial: String,
}
