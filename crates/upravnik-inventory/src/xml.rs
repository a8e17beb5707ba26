//! Legacy XML: `<REQUEST><QUERY>…</QUERY><DEVICEID>…</DEVICEID><CONTENT>…</CONTENT></REQUEST>`
//! from FusionInventory, GLPI Agent (XML mode) and OCS Inventory (PROTOCOLS.md §2, §4.1).
//!
//! The two field dialects are read by field-level fallbacks (FI `CORE`, OCS `CORES`) rather
//! than by guessing the agent, so a mixed or unknown agent still yields what it sent.

use std::borrow::Cow;

use quick_xml::events::Event;

use crate::model::{
    Antivirus, Bios, Cpu, Hardware, Inventory, Memory, Monitor, Network, OperatingSystem, Section, Software, Storage, Video,
};
use crate::normalise::{self, SlashOrder};
use crate::protocol::{Message, ProtocolError, Request};

/// Deeper than any inventory nests (REQUEST/CONTENT/SECTION/FIELD/sub-field); beyond it the
/// document is refused rather than walked.
const MAX_DEPTH: usize = 64;

/// The direct children of one element: `(name, trimmed text)`, in document order, borrowed from
/// the document where no entity had to be resolved. Inventories are flat records, so this is
/// all a section needs; deeper elements are skipped.
#[derive(Debug, Default)]
struct Fields<'a> {
    pairs: Vec<(&'a str, Cow<'a, str>)>,
}

/// One section of `CONTENT`: its name and its fields (or its own text, e.g. `VERSIONCLIENT`).
#[derive(Debug, Default)]
struct SectionEl<'a> {
    name: &'a str,
    text: Cow<'a, str>,
    fields: Fields<'a>,
}

/// The document, read in one pass without building a tree: the two header fields and the
/// sections of `CONTENT` that the card uses. Streaming keeps a 1,000-program inventory to a
/// fraction of the cost of a DOM (R.11 asks every machine to report; most reports change nothing).
#[derive(Debug, Default)]
struct Document<'a> {
    query: Cow<'a, str>,
    deviceid: Cow<'a, str>,
    has_content: bool,
    sections: Vec<SectionEl<'a>>,
}

/// Sections whose fields are read; the others (processes, environment, local users, …) are
/// checked for well-formedness and skipped.
const READ_SECTIONS: &[&str] = &[
    "HARDWARE",
    "BIOS",
    "OPERATINGSYSTEM",
    "CPUS",
    "MEMORIES",
    "STORAGES",
    "NETWORKS",
    "VIDEOS",
    "SOFTWARES",
    "MONITORS",
    "ANTIVIRUS",
    "ACCOUNTINFO",
    "VERSIONCLIENT",
];

/// Text gathered for the innermost element: borrowed while it is one piece.
#[derive(Debug, Default)]
enum Acc<'a> {
    #[default]
    Empty,
    One(&'a str),
    Owned(String),
}

impl<'a> Acc<'a> {
    fn push_borrowed(&mut self, s: &'a str) {
        *self = match std::mem::take(self) {
            Acc::Empty => Acc::One(s),
            Acc::One(first) => Acc::Owned([first, s].concat()),
            Acc::Owned(mut o) => {
                o.push_str(s);
                Acc::Owned(o)
            }
        };
    }

    fn push_owned(&mut self, s: &str) {
        *self = match std::mem::take(self) {
            Acc::Empty => Acc::Owned(s.to_string()),
            Acc::One(first) => Acc::Owned([first, s].concat()),
            Acc::Owned(mut o) => {
                o.push_str(s);
                Acc::Owned(o)
            }
        };
    }

    /// The trimmed text, borrowed when possible.
    fn take(&mut self) -> Cow<'a, str> {
        match std::mem::take(self) {
            Acc::Empty => Cow::Borrowed(""),
            Acc::One(s) => Cow::Borrowed(s.trim()),
            Acc::Owned(o) => match o.trim() {
                t if t.len() == o.len() => Cow::Owned(o),
                t => Cow::Owned(t.to_string()),
            },
        }
    }
}

fn bad(e: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::BadXml(e.to_string())
}

fn utf8(b: Cow<'_, [u8]>) -> Result<Cow<'_, str>, ProtocolError> {
    match b {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed).map_err(bad),
        Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(bad),
    }
}

/// The tag name as a slice of the document itself (the reader of a `&str` hands out names that
/// point into it), so the record of a field costs no allocation.
fn borrowed_name<'a>(text: &'a str, name: &[u8]) -> Result<&'a str, ProtocolError> {
    let offset = (name.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    match text.get(offset..offset.saturating_add(name.len())) {
        Some(s) if s.as_bytes() == name => Ok(s),
        _ => Err(bad("a tag name outside the document")),
    }
}

fn read_document(text: &str) -> Result<Document<'_>, ProtocolError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut doc = Document::default();
    // The open elements' names; text is gathered for the innermost one.
    let mut path: Vec<&str> = Vec::new();
    let mut acc = Acc::default();
    let mut seen_root = false;
    // Inside CONTENT: whether the current section is one the card reads.
    let mut reading = false;
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) => {
                let name = borrowed_name(text, e.name().as_ref())?;
                if path.is_empty() {
                    if seen_root {
                        return Err(bad("more than one root element"));
                    }
                    seen_root = true;
                    if !name.eq_ignore_ascii_case("REQUEST") {
                        return Err(bad(format!("the root element is <{name}>, not <REQUEST>")));
                    }
                }
                if path.len() >= MAX_DEPTH {
                    return Err(bad("elements nested too deeply"));
                }
                if path.len() == 2 && path[1].eq_ignore_ascii_case("CONTENT") {
                    reading = READ_SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(name));
                    if reading {
                        doc.sections.push(SectionEl { name, ..SectionEl::default() });
                    }
                }
                if path.len() == 1 && name.eq_ignore_ascii_case("CONTENT") {
                    doc.has_content = true;
                }
                path.push(name);
                acc = Acc::Empty;
            }
            Event::End(_) => {
                let depth = path.len();
                let Some(name) = path.pop() else { return Err(bad("an end tag without a start")) };
                let in_content = path.get(1).is_some_and(|c| c.eq_ignore_ascii_case("CONTENT"));
                match depth {
                    2 if name.eq_ignore_ascii_case("QUERY") && doc.query.is_empty() => doc.query = acc.take(),
                    2 if name.eq_ignore_ascii_case("DEVICEID") && doc.deviceid.is_empty() => doc.deviceid = acc.take(),
                    3 if in_content && reading => {
                        if let Some(sec) = doc.sections.last_mut() {
                            sec.text = acc.take();
                        }
                    }
                    4 if in_content && reading => {
                        if let Some(sec) = doc.sections.last_mut() {
                            sec.fields.pairs.push((name, acc.take()));
                        }
                    }
                    _ => {}
                }
                acc = Acc::Empty;
            }
            Event::Text(t) => match utf8(t.into_inner())? {
                Cow::Borrowed(s) => acc.push_borrowed(s),
                Cow::Owned(s) => acc.push_owned(&s),
            },
            Event::CData(t) => match utf8(t.into_inner())? {
                Cow::Borrowed(s) => acc.push_borrowed(s),
                Cow::Owned(s) => acc.push_owned(&s),
            },
            Event::GeneralRef(r) => {
                // Only the five predefined entities and character references exist without a
                // DTD; anything else is refused, never expanded.
                if let Some(c) = r.resolve_char_ref().map_err(bad)? {
                    acc.push_owned(c.encode_utf8(&mut [0u8; 4]));
                } else {
                    let name = r.decode().map_err(bad)?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(v) => acc.push_owned(v),
                        None => return Err(bad(format!("unknown entity &{name};"))),
                    }
                }
            }
            Event::DocType(_) => return Err(bad("a DOCTYPE is not accepted (no DTD, no entities)")),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::Empty(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = path.last() {
        return Err(bad(format!("unexpected end of document inside <{open}>")));
    }
    if !seen_root {
        return Err(bad("no root element"));
    }
    Ok(doc)
}

pub(crate) fn parse_message(data: &[u8], req: &Request) -> Result<Message, ProtocolError> {
    let declared = declared_encoding(data);
    let text = normalise::text(data, declared.as_deref());
    let doc = read_document(text.trim_start())?;
    let query = doc.query.as_ref();
    let deviceid = doc.deviceid.as_ref();
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
            if !doc.has_content {
                return Err(ProtocolError::BadXml("an INVENTORY without CONTENT".into()));
            }
            Ok(Message::Inventory(Box::new(inventory(&doc.sections, deviceid, req))))
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

/// The trimmed text of the first field called `name`; an empty one counts as absent (§2.3).
fn child_text<'a>(f: &'a Fields<'_>, name: &str) -> &'a str {
    f.pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_ref())
}

/// The first non-empty of several field names, for the FI/OCS dialects.
fn field(f: &Fields<'_>, names: &[&str]) -> String {
    names.iter().map(|n| child_text(f, n)).find(|v| !v.is_empty()).unwrap_or("").to_string()
}

fn inventory(sections: &[SectionEl<'_>], deviceid: &str, req: &Request) -> Inventory {
    let mut inv = Inventory {
        deviceid: deviceid.to_string(),
        agent_id: req.agent_id.map(str::trim).filter(|s| !s.is_empty()).map(String::from),
        itemtype: "Computer".into(),
        ..Inventory::default()
    };
    let mut hardware_node = None;
    for el in sections {
        let sec = &el.fields;
        let name = el.name.to_ascii_uppercase();
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
            "ANTIVIRUS" => {
                inv.sections.insert(Section::Antivirus);
                if let Some(a) = antivirus(sec) {
                    inv.antivirus.push(a);
                }
            }
            "ACCOUNTINFO" if field(sec, &["KEYNAME"]).eq_ignore_ascii_case("TAG") => {
                let v = field(sec, &["KEYVALUE"]);
                if !v.is_empty() {
                    inv.tag = Some(v);
                }
            }
            "VERSIONCLIENT" => inv.client = el.text.to_string(),
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

fn hardware(n: &Fields<'_>) -> Hardware {
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

fn bios(n: &Fields<'_>) -> Bios {
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

fn operating_system(n: &Fields<'_>) -> OperatingSystem {
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
fn os_from_hardware(n: &Fields<'_>) -> Option<OperatingSystem> {
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

fn cpu(n: &Fields<'_>) -> Cpu {
    Cpu {
        name: field(n, &["NAME", "TYPE"]),
        manufacturer: field(n, &["MANUFACTURER"]),
        serial: field(n, &["SERIAL", "SERIALNUMBER"]),
        cores: normalise::int(&field(n, &["CORE", "CORES", "CORECOUNT"])),
        threads: normalise::int(&field(n, &["THREAD", "THREADS", "LOGICAL_CPUS"])),
        speed_mhz: normalise::speed_mhz(&field(n, &["SPEED", "CURRENT_SPEED"])),
    }
}

fn memory(n: &Fields<'_>) -> Memory {
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

fn storage(n: &Fields<'_>) -> Storage {
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

fn network(n: &Fields<'_>) -> Network {
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

fn video(n: &Fields<'_>) -> Video {
    Video { name: field(n, &["NAME"]), chipset: field(n, &["CHIPSET"]), memory_mb: normalise::size_mb(&field(n, &["MEMORY"])) }
}

fn software(n: &Fields<'_>) -> Option<Software> {
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

fn antivirus(n: &Fields<'_>) -> Option<Antivirus> {
    let name = field(n, &["NAME"]);
    if name.is_empty() {
        return None;
    }
    let flag = |k: &str| Some(field(n, &[k])).filter(|v| !v.is_empty()).map(|v| normalise::boolean(&v));
    Some(Antivirus {
        name,
        company: field(n, &["COMPANY"]),
        version: field(n, &["VERSION"]),
        enabled: flag("ENABLED"),
        uptodate: flag("UPTODATE"),
    })
}

fn monitor(n: &Fields<'_>) -> Monitor {
    Monitor { manufacturer: field(n, &["MANUFACTURER"]), name: field(n, &["NAME", "CAPTION"]), serial: field(n, &["SERIAL", "ALTSERIAL"]) }
}
