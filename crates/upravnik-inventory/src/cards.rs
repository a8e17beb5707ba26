//! What a workstation card shows, as plain data: components in the kinds of upravnik-core's
//! `ComponentKind`, installed software and the OS line.
//! Every list is sorted, so two runs on the same machine give identical vectors (R.11: only
//! real changes reach the work log).

use crate::model::{Inventory, Section};

/// One component line of the card.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CardComponent {
    /// `"cpu"`, `"memory"`, `"disk"`, `"network"` or `"graphics"`: upravnik-core's `ComponentKind`.
    pub kind: &'static str,
    pub manufacturer: String,
    pub model: String,
    pub serial: String,
    /// Human and stable: `"8 GB"`, `"512 GB"`, `"4 cores 2.4 GHz"`.
    pub capacity: String,
}

/// One installed program of the card.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CardSoftware {
    pub name: String,
    pub version: String,
    pub publisher: String,
    /// `YYYY-MM-DD`.
    pub installed_on: Option<String>,
}

/// The component kinds, in card order.
pub const KINDS: [&str; 5] = ["cpu", "memory", "disk", "network", "graphics"];

/// The inventory section a component kind comes from (`"software"` → Softwares as well).
pub fn section_of(kind: &str) -> Option<Section> {
    match kind {
        "cpu" => Some(Section::Cpus),
        "memory" => Some(Section::Memories),
        "disk" => Some(Section::Storages),
        "network" => Some(Section::Networks),
        "graphics" => Some(Section::Videos),
        "software" => Some(Section::Softwares),
        _ => None,
    }
}

fn kind_rank(kind: &str) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(KINDS.len())
}

/// Memory as sold: whole GB when it divides, MB otherwise.
fn memory_text(mb: i64) -> String {
    if mb >= 1024 && mb % 1024 == 0 { format!("{} GB", mb / 1024) } else { format!("{mb} MB") }
}

/// Disks as sold, in decimal units: agents report disk sizes in 10^6 bytes (a 256 GiB virtual
/// disk is 274877 "MB"), so 274877 → "275 GB", and TB from 1000 GB.
fn disk_text(mb: i64) -> String {
    let gb = (mb as f64 / 1000.0).round() as i64;
    if gb >= 1000 {
        let tb = format!("{:.1}", gb as f64 / 1000.0);
        format!("{} TB", tb.strip_suffix(".0").unwrap_or(&tb))
    } else {
        format!("{gb} GB")
    }
}

fn cpu_text(cores: Option<i64>, mhz: Option<i64>) -> String {
    let mut parts = Vec::new();
    match cores {
        Some(1) => parts.push("1 core".to_string()),
        Some(c) if c > 1 => parts.push(format!("{c} cores")),
        _ => {}
    }
    if let Some(m) = mhz.filter(|m| *m > 0) {
        let ghz = format!("{:.2}", m as f64 / 1000.0);
        let ghz = ghz.trim_end_matches('0').trim_end_matches('.');
        parts.push(format!("{ghz} GHz"));
    }
    parts.join(" ")
}

/// Removable media, optical drives and RAM-backed block devices are not the machine's disks.
fn is_fixed_disk(kind: &str, name: &str) -> bool {
    let k = kind.to_ascii_lowercase();
    let n = name.to_ascii_lowercase();
    let skip_kind = ["cd", "dvd", "rom", "removable", "floppy", "tape", "usb", "flash"].iter().any(|w| k.contains(w));
    let skip_name = ["zram", "loop", "ram", "sr", "fd"]
        .iter()
        .any(|p| n.strip_prefix(p).is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())));
    !skip_kind && !skip_name
}

impl Inventory {
    /// The card's components, sorted by kind then fields.
    pub fn card_components(&self) -> Vec<CardComponent> {
        let mut out = Vec::new();
        for c in &self.cpus {
            if c.name.is_empty() && c.manufacturer.is_empty() {
                continue;
            }
            out.push(CardComponent {
                kind: "cpu",
                manufacturer: c.manufacturer.clone(),
                model: c.name.clone(),
                serial: c.serial.clone(),
                capacity: cpu_text(c.cores, c.speed_mhz),
            });
        }
        for m in &self.memories {
            let Some(mb) = m.capacity_mb.filter(|mb| *mb > 0) else { continue };
            let model = [m.kind.as_str(), m.model.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
            out.push(CardComponent {
                kind: "memory",
                manufacturer: m.manufacturer.clone(),
                model,
                serial: m.serial.clone(),
                capacity: memory_text(mb),
            });
        }
        // Virtual machines and containers have no DMI, so no modules: the total the OS sees
        // still belongs on the card (Prilog 1 asks for the memory of every workstation).
        if !out.iter().any(|c| c.kind == "memory")
            && let Some(mb) = self.hardware.memory_mb.filter(|mb| *mb > 0)
        {
            out.push(CardComponent {
                kind: "memory",
                manufacturer: String::new(),
                model: "RAM".into(),
                serial: String::new(),
                capacity: memory_text(mb),
            });
        }
        for d in &self.storages {
            let Some(mb) = d.size_mb.filter(|mb| *mb > 0) else { continue };
            if !is_fixed_disk(&d.kind, &d.name) {
                continue;
            }
            out.push(CardComponent {
                kind: "disk",
                manufacturer: d.manufacturer.clone(),
                model: if d.model.is_empty() { d.name.clone() } else { d.model.clone() },
                serial: d.serial.clone(),
                capacity: disk_text(mb),
            });
        }
        // One line per card: agents list a NIC once per address it holds.
        let mut seen_macs = std::collections::BTreeSet::new();
        for n in &self.networks {
            if n.mac.is_empty() || n.virtual_dev || n.kind == "loopback" || n.mac == "00:00:00:00:00:00" {
                continue;
            }
            if !seen_macs.insert(n.mac.clone()) {
                continue;
            }
            out.push(CardComponent {
                kind: "network",
                manufacturer: n.manufacturer.clone(),
                model: if n.model.is_empty() { n.description.clone() } else { n.model.clone() },
                serial: n.mac.clone(),
                capacity: String::new(),
            });
        }
        for v in &self.videos {
            let model = if v.name.is_empty() { v.chipset.clone() } else { v.name.clone() };
            if model.is_empty() {
                continue;
            }
            out.push(CardComponent {
                kind: "graphics",
                manufacturer: String::new(),
                model,
                serial: String::new(),
                capacity: v.memory_mb.filter(|m| *m > 0).map(memory_text).unwrap_or_default(),
            });
        }
        out.sort_by(|a, b| kind_rank(a.kind).cmp(&kind_rank(b.kind)).then_with(|| a.cmp(b)));
        out.dedup();
        out
    }

    /// Installed software, one line per (name, version), sorted. When an agent lists a
    /// package twice the line with a publisher and a date wins.
    pub fn card_software(&self) -> Vec<CardSoftware> {
        let mut all: Vec<CardSoftware> = self
            .softwares
            .iter()
            .map(|s| CardSoftware {
                name: s.name.clone(),
                version: s.version.clone(),
                publisher: s.publisher.clone(),
                installed_on: s.install_date.clone(),
            })
            .collect();
        all.sort_by(|a, b| {
            (&a.name, &a.version, a.publisher.is_empty(), a.installed_on.is_none(), &a.publisher, &a.installed_on).cmp(&(
                &b.name,
                &b.version,
                b.publisher.is_empty(),
                b.installed_on.is_none(),
                &b.publisher,
                &b.installed_on,
            ))
        });
        all.dedup_by(|later, first| later.name == first.name && later.version == first.version);
        all
    }

    /// `Debian GNU/Linux 12 (bookworm)`, `Microsoft Windows 10 Pro 22H2`: the full name when the
    /// agent gave one, else name and version; the service pack after it.
    pub fn os_line(&self) -> String {
        let os = &self.os;
        let mut line = if os.full_name.is_empty() {
            [os.name.as_str(), os.version.as_str()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
        } else {
            os.full_name.clone()
        };
        if !os.service_pack.is_empty() && !line.contains(&os.service_pack) {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&os.service_pack);
        }
        line
    }
}
