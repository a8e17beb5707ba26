//! Legacy XML: `<REQUEST><QUERY>…</QUERY><DEVICEID>…</DEVICEID><CONTENT>…</CONTENT></REQUEST>`
//! from FusionInventory, GLPI Agent (XML mode) and OCS Inventory (PROTOCOLS.md §2, §4.1).
//!
//! The two field dialects are read by field-level fallbacks (FI `CORE`, OCS `CORES`) rather
//! than by guessing the agent, so a mixed or unknown agent still yields what it sent.

use roxmltree::{Document, Node, ParsingOptions};

use crate::model::{Bios, Cpu, Hardware, Inventory, Memory, Monitor, Network, OperatingSystem, Section, Software, Storage, Video};
use crate::normalise::{self, SlashOrder};
use crate::protocol::{Message, ProtocolError, Request};

/// Enough for the largest inventories (≈ 100 MB) while bounding memory on hostile input.
const NODES_LIMIT: u32 = 20_000_000;

pub(crate) fn parse_message(data: &[u8], req: &Request) -> Result<Message, ProtocolError> {
    let declared = declared_encoding(data);
    let text = normalise::text(data, declared.as_deref());
    let text = text.trim_start();
    // No DTD: an entity declaration is refused, not expanded (billion laughs, external entities).
    let options = ParsingOptions { allow_dtd: false, nodes_limit: NODES_LIMIT, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(text, options).map_err(|e| ProtocolError::BadXml(e.to_string()))?;
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("REQUEST") {
        return Err(ProtocolError::BadXml(format!("the root element is <{}>, not <REQUEST>", root.tag_name().name())));
    }
    let query = child_text(root, "QUERY");
    let deviceid = child_text(root, "DEVICEID");
    // GLPI treats a document without QUERY as an inventory (§2.7).
    let upper = if query.is_empty() { "INVENTORY".to_string() } else { query.to_ascii_uppercase() };
    match upper.as_str() {
        "PROLOG" => {
            if deviceid.is_empty() {
                return Err(ProtocolError::MissingDeviceId);
            }
            Ok(Message::Prolog { deviceid: deviceid.to_string() })
        }
        "INVENTORY" => {
            if deviceid.is_empty() {
                return Err(ProtocolError::MissingDeviceId);
            }
            let content = child(root, "CONTENT").ok_or_else(|| ProtocolError::BadXml("an INVENTORY without CONTENT".into()))?;
            Ok(Message::Inventory(Box::new(inventory(content, deviceid, req))))
        }
        _ => Ok(Message::Unsupported { query: query.to_string() }),
    }
}

/// The `encoding` of the XML declaration, if any.
fn declared_encoding(data: &[u8]) -> Option<String> {
    let head = data.get(..data.len().min(200))?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(head.get(..end)?);
    let at = decl.find("encoding")?;
    let rest = decl.get(at + "encoding".len()..)?.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = rest.get(1..)?;
    Some(rest.get(..rest.find(quote)?)?.to_string())
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case(name))
}

/// The trimmed text of the first child called `name`; empty elements count as absent (§2.3).
fn child_text<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    child(node, name).and_then(|c| c.text()).map_or("", str::trim)
}

/// The first non-empty of several field names, for the FI/OCS dialects.
fn field(node: Node<'_, '_>, names: &[&str]) -> String {
    names.iter().map(|n| child_text(node, n)).find(|v| !v.is_empty()).unwrap_or("").to_string()
}

fn inventory(content: Node<'_, '_>, deviceid: &str, req: &Request) -> Inventory {
    let mut inv = Inventory {
        deviceid: deviceid.to_string(),
        agent_id: req.agent_id.map(str::trim).filter(|s| !s.is_empty()).map(String::from),
        itemtype: "Computer".into(),
        ..Inventory::default()
    };
    let mut hardware_node = None;
    for sec in content.children().filter(Node::is_element) {
        let name = sec.tag_name().name().to_ascii_uppercase();
        match name.as_str() {
            "HARDWARE" => {
                inv.sections.insert(Section::Hardware);
                inv.hardware = hardware(sec);
                let old = field(sec, &["OLD_DEVICEID"]);
                inv.old_deviceid = (!old.is_empty()).then_some(old);
                hardware_node = Some(sec);
            }
            "BIOS" => {
                inv.sections.insert(Section::Bios);
                inv.bios = bios(sec);
            }
            "OPERATINGSYSTEM" => {
                inv.sections.insert(Section::OperatingSystem);
                inv.os = operating_system(sec);
            }
            "CPUS" => {
                inv.sections.insert(Section::Cpus);
                inv.cpus.push(cpu(sec));
            }
            "MEMORIES" => {
                inv.sections.insert(Section::Memories);
                inv.memories.push(memory(sec));
            }
            "STORAGES" => {
                inv.sections.insert(Section::Storages);
                inv.storages.push(storage(sec));
            }
            "NETWORKS" => {
                inv.sections.insert(Section::Networks);
                inv.networks.push(network(sec));
            }
            "VIDEOS" => {
                inv.sections.insert(Section::Videos);
                inv.videos.push(video(sec));
            }
            "SOFTWARES" => {
                inv.sections.insert(Section::Softwares);
                if let Some(s) = software(sec) {
                    inv.softwares.push(s);
                }
            }
            "MONITORS" => {
                inv.sections.insert(Section::Monitors);
                inv.monitors.push(monitor(sec));
            }
            "ACCOUNTINFO" if field(sec, &["KEYNAME"]).eq_ignore_ascii_case("TAG") => {
                let v = field(sec, &["KEYVALUE"]);
                if !v.is_empty() {
                    inv.tag = Some(v);
                }
            }
            "VERSIONCLIENT" => inv.client = sec.text().map_or("", str::trim).to_string(),
            _ => {}
        }
    }
    // The OCS unix agent has no OPERATINGSYSTEM section; its HARDWARE carries the OS (§4.1).
    if !inv.sections.contains(&Section::OperatingSystem)
        && let Some(h) = hardware_node
        && let Some(os) = os_from_hardware(h)
    {
        inv.sections.insert(Section::OperatingSystem);
        inv.os = os;
    }
    if inv.client.is_empty() {
        inv.client = req.user_agent.unwrap_or("").trim().to_string();
    }
    inv
}

fn hardware(n: Node<'_, '_>) -> Hardware {
    Hardware {
        name: field(n, &["NAME"]),
        uuid: field(n, &["UUID"]).to_ascii_uppercase(),
        memory_mb: normalise::size_mb(&field(n, &["MEMORY"])),
        workgroup: field(n, &["WORKGROUP"]),
        chassis_type: field(n, &["CHASSIS_TYPE"]),
        vmsystem: field(n, &["VMSYSTEM"]),
        last_logged_user: field(n, &["LASTLOGGEDUSER"]),
    }
}

fn bios(n: Node<'_, '_>) -> Bios {
    Bios {
        serial: field(n, &["SSN"]),
        board_serial: field(n, &["MSN"]),
        enclosure_serial: field(n, &["ENCLOSURESERIAL"]),
        manufacturer: field(n, &["SMANUFACTURER"]),
        model: field(n, &["SMODEL"]),
        board_manufacturer: field(n, &["MMANUFACTURER"]),
        board_model: field(n, &["MMODEL"]),
        asset_tag: field(n, &["ASSETTAG"]),
        version: field(n, &["BVERSION"]),
        date: normalise::date(&field(n, &["BDATE"]), SlashOrder::MonthFirst),
    }
}

fn operating_system(n: Node<'_, '_>) -> OperatingSystem {
    OperatingSystem {
        name: field(n, &["NAME"]),
        version: field(n, &["VERSION"]),
        full_name: field(n, &["FULL_NAME"]),
        service_pack: field(n, &["SERVICE_PACK"]),
        arch: field(n, &["ARCH"]),
        kernel_version: field(n, &["KERNEL_VERSION"]),
        install_date: normalise::date(&field(n, &["INSTALL_DATE"]), SlashOrder::DayFirst),
    }
}

/// OCS: `OSNAME` "Debian GNU/Linux 12", `OSVERSION` "12", `OSCOMMENTS` "Debian GNU/Linux 12
/// (bookworm)" on unix; on Windows `OSCOMMENTS` holds the service pack.
fn os_from_hardware(n: Node<'_, '_>) -> Option<OperatingSystem> {
    let osname = field(n, &["OSNAME"]);
    if osname.is_empty() {
        return None;
    }
    let version = field(n, &["OSVERSION"]);
    let comments = field(n, &["OSCOMMENTS"]);
    let name = osname
        .strip_suffix(version.as_str())
        .map(str::trim_end)
        .filter(|s| !version.is_empty() && !s.is_empty())
        .unwrap_or(&osname)
        .to_string();
    let (full_name, service_pack) = if comments.starts_with(&osname) {
        (comments, String::new())
    } else if comments.to_ascii_lowercase().contains("service pack") {
        (osname.clone(), comments)
    } else {
        (osname.clone(), String::new())
    };
    let description = field(n, &["DESCRIPTION"]);
    // OCS unix: "x86_64/00-00-00 00:05:49" (architecture / uptime).
    let arch = description.split_once('/').map_or("", |(a, _)| a.trim()).to_string();
    Some(OperatingSystem {
        name,
        version,
        full_name,
        service_pack,
        arch,
        kernel_version: String::new(),
        install_date: normalise::date(&field(n, &["INSTALLDATE"]), SlashOrder::DayFirst),
    })
}

fn cpu(n: Node<'_, '_>) -> Cpu {
    Cpu {
        name: field(n, &["NAME", "TYPE"]),
        manufacturer: field(n, &["MANUFACTURER"]),
        serial: field(n, &["SERIAL", "SERIALNUMBER"]),
        cores: normalise::int(&field(n, &["CORE", "CORES", "CORECOUNT"])),
        threads: normalise::int(&field(n, &["THREAD", "THREADS", "LOGICAL_CPUS"])),
        speed_mhz: normalise::speed_mhz(&field(n, &["SPEED", "CURRENT_SPEED"])),
    }
}

fn memory(n: Node<'_, '_>) -> Memory {
    Memory {
        capacity_mb: normalise::size_mb(&field(n, &["CAPACITY"])),
        kind: field(n, &["TYPE"]),
        speed: field(n, &["SPEED"]),
        serial: field(n, &["SERIALNUMBER", "SERIAL"]),
        manufacturer: field(n, &["MANUFACTURER"]),
        model: field(n, &["MODEL"]),
        slot: field(n, &["CAPTION", "DESCRIPTION"]),
    }
}

fn storage(n: Node<'_, '_>) -> Storage {
    Storage {
        name: field(n, &["NAME"]),
        model: field(n, &["MODEL"]),
        manufacturer: field(n, &["MANUFACTURER"]),
        serial: field(n, &["SERIALNUMBER", "SERIAL"]),
        size_mb: normalise::size_mb(&field(n, &["DISKSIZE"])),
        interface: normalise::interface(&field(n, &["INTERFACE"])),
        kind: field(n, &["TYPE"]),
    }
}

fn network(n: Node<'_, '_>) -> Network {
    let description = field(n, &["DESCRIPTION"]);
    let kind = normalise::net_kind(&field(n, &["TYPE"]));
    let virtual_flag = field(n, &["VIRTUALDEV"]);
    let virtual_dev =
        if virtual_flag.is_empty() { normalise::looks_virtual(&description, &kind) } else { normalise::boolean(&virtual_flag) };
    Network {
        mac: normalise::mac(&field(n, &["MACADDR"])),
        ipv4: field(n, &["IPADDRESS"]),
        ipv4_mask: field(n, &["IPMASK"]),
        ipv6: field(n, &["IPADDRESS6"]),
        virtual_dev,
        kind,
        manufacturer: field(n, &["MANUFACTURER"]),
        model: field(n, &["MODEL"]),
        description,
    }
}

fn video(n: Node<'_, '_>) -> Video {
    Video { name: field(n, &["NAME"]), chipset: field(n, &["CHIPSET"]), memory_mb: normalise::size_mb(&field(n, &["MEMORY"])) }
}

fn software(n: Node<'_, '_>) -> Option<Software> {
    let name = field(n, &["NAME"]);
    if name.is_empty() {
        return None;
    }
    Some(Software {
        name,
        version: field(n, &["VERSION"]),
        publisher: field(n, &["PUBLISHER"]),
        install_date: normalise::date(&field(n, &["INSTALLDATE"]), SlashOrder::DayFirst),
        arch: field(n, &["ARCH", "ARCHITECTURE"]),
    })
}

fn monitor(n: Node<'_, '_>) -> Monitor {
    Monitor { manufacturer: field(n, &["MANUFACTURER"]), name: field(n, &["NAME", "CAPTION"]), serial: field(n, &["SERIAL", "ALTSERIAL"]) }
}
