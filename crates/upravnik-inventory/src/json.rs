//! GLPI Agent native JSON (PROTOCOLS.md §3): CONTACT, inventories (validated against the
//! bundled `inventory.schema.json`), and the actions this server does not serve.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::model::{
    Antivirus, Bios, Cpu, Hardware, Inventory, Memory, Monitor, Network, OperatingSystem, Section, Software, Storage, Video,
};
use crate::normalise::{self, SlashOrder};
use crate::protocol::{Message, ProtocolError, Request};

/// glpi-project/inventory_format @ d03ff5f, the schema GLPI 10 validates against.
const SCHEMA: &str = include_str!("../schema/inventory.schema.json");
/// How many violations an error message lists.
const MAX_VIOLATIONS: usize = 5;

static VALIDATOR: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();

fn validator() -> Result<&'static jsonschema::Validator, ProtocolError> {
    VALIDATOR
        .get_or_init(|| {
            let schema: Value = serde_json::from_str(SCHEMA).map_err(|e| e.to_string())?;
            // Formats (ipv4, ipv6) are not checked, like python-jsonschema's Draft7Validator the
            // captures were verified with: an odd address must not cost a machine its inventory.
            jsonschema::draft7::options().should_validate_formats(false).build(&schema).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ProtocolError::SchemaInvalid(format!("the bundled schema does not compile: {e}")))
}

/// Checks a GLPI JSON inventory against the bundled schema.
pub(crate) fn validate(doc: &Value) -> Result<(), ProtocolError> {
    let v = validator()?;
    let violations: Vec<String> = v
        .iter_errors(doc)
        .take(MAX_VIOLATIONS)
        .map(|e| {
            let path = e.instance_path().to_string();
            format!("{}: {e}", if path.is_empty() { "/" } else { path.as_str() })
        })
        .collect();
    if violations.is_empty() { Ok(()) } else { Err(ProtocolError::SchemaInvalid(violations.join("; "))) }
}

pub(crate) fn parse_message(data: &[u8], req: &Request) -> Result<Message, ProtocolError> {
    let text = normalise::text(data, None);
    let doc: Value = serde_json::from_str(&text).map_err(|e| ProtocolError::BadJson(e.to_string()))?;
    let obj = doc.as_object().ok_or_else(|| ProtocolError::BadJson("not a JSON object".into()))?;
    let action = ["action", "query"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("inventory");
    let deviceid = s(obj, "deviceid");
    match action.to_ascii_lowercase().as_str() {
        "contact" => {
            if deviceid.is_empty() {
                return Err(ProtocolError::MissingDeviceId);
            }
            let enabled_tasks = match obj.get("enabled-tasks") {
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(String::from).collect(),
                Some(Value::String(t)) => vec![t.clone()],
                _ => Vec::new(),
            };
            Ok(Message::Contact {
                deviceid,
                name: s(obj, "name"),
                version: s(obj, "version"),
                tag: Some(s(obj, "tag")).filter(|t| !t.is_empty()),
                enabled_tasks,
            })
        }
        "inventory" => {
            if deviceid.is_empty() {
                return Err(ProtocolError::MissingDeviceId);
            }
            validate(&doc)?;
            Ok(Message::Inventory(Box::new(inventory(obj, deviceid, req))))
        }
        _ => Ok(Message::Unsupported { query: action.to_string() }),
    }
}

/// A field as text: strings trimmed, numbers written out, anything else empty.
fn s(obj: &Map<String, Value>, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(v)) => v.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        _ => String::new(),
    }
}

fn first(obj: &Map<String, Value>, keys: &[&str]) -> String {
    keys.iter().map(|k| s(obj, k)).find(|v| !v.is_empty()).unwrap_or_default()
}

fn mb(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    normalise::size_mb(&s(obj, key))
}

fn int(obj: &Map<String, Value>, key: &str) -> Option<i64> {
    normalise::int(&s(obj, key))
}

fn boolean(obj: &Map<String, Value>, key: &str) -> Option<bool> {
    match obj.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => Some(n.as_f64() != Some(0.0)),
        Value::String(v) if !v.trim().is_empty() => Some(normalise::boolean(v)),
        _ => None,
    }
}

fn objects<'a>(content: &'a Map<String, Value>, key: &str) -> impl Iterator<Item = &'a Map<String, Value>> {
    content.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
}

fn inventory(obj: &Map<String, Value>, deviceid: String, req: &Request) -> Inventory {
    let empty = Map::new();
    let content = obj.get("content").and_then(Value::as_object).unwrap_or(&empty);
    let itemtype = s(obj, "itemtype");
    let client = s(content, "versionclient");
    let mut inv = Inventory {
        deviceid,
        agent_id: req.agent_id.map(str::trim).filter(|v| !v.is_empty()).map(String::from),
        old_deviceid: None,
        itemtype: if itemtype.is_empty() { "Computer".into() } else { itemtype },
        partial: obj.get("partial").and_then(Value::as_bool).unwrap_or(false),
        tag: Some(s(obj, "tag")).filter(|t| !t.is_empty()),
        client: if client.is_empty() { req.user_agent.unwrap_or("").trim().to_string() } else { client },
        ..Inventory::default()
    };
    for (key, section) in [
        ("hardware", Section::Hardware),
        ("bios", Section::Bios),
        ("operatingsystem", Section::OperatingSystem),
        ("cpus", Section::Cpus),
        ("memories", Section::Memories),
        ("storages", Section::Storages),
        ("networks", Section::Networks),
        ("videos", Section::Videos),
        ("softwares", Section::Softwares),
        ("monitors", Section::Monitors),
        ("antivirus", Section::Antivirus),
    ] {
        if content.contains_key(key) {
            inv.sections.insert(section);
        }
    }
    if let Some(h) = content.get("hardware").and_then(Value::as_object) {
        inv.hardware = Hardware {
            name: s(h, "name"),
            uuid: s(h, "uuid").to_ascii_uppercase(),
            memory_mb: mb(h, "memory"),
            workgroup: s(h, "workgroup"),
            chassis_type: s(h, "chassis_type"),
            vmsystem: s(h, "vmsystem"),
            last_logged_user: s(h, "lastloggeduser"),
        };
    }
    if let Some(b) = content.get("bios").and_then(Value::as_object) {
        inv.bios = Bios {
            serial: s(b, "ssn"),
            board_serial: s(b, "msn"),
            enclosure_serial: s(b, "enclosureserial"),
            manufacturer: s(b, "smanufacturer"),
            model: s(b, "smodel"),
            board_manufacturer: s(b, "mmanufacturer"),
            board_model: s(b, "mmodel"),
            asset_tag: s(b, "assettag"),
            version: s(b, "bversion"),
            date: normalise::date(&s(b, "bdate"), SlashOrder::MonthFirst),
        };
    }
    if let Some(o) = content.get("operatingsystem").and_then(Value::as_object) {
        inv.os = OperatingSystem {
            name: s(o, "name"),
            version: s(o, "version"),
            full_name: s(o, "full_name"),
            service_pack: s(o, "service_pack"),
            arch: s(o, "arch"),
            kernel_version: s(o, "kernel_version"),
            install_date: normalise::date(&s(o, "install_date"), SlashOrder::DayFirst),
        };
    }
    inv.cpus = objects(content, "cpus")
        .map(|c| Cpu {
            name: s(c, "name"),
            manufacturer: s(c, "manufacturer"),
            serial: s(c, "serial"),
            cores: int(c, "core").or_else(|| int(c, "corecount")),
            threads: int(c, "thread"),
            speed_mhz: normalise::speed_mhz(&s(c, "speed")),
        })
        .collect();
    inv.memories = objects(content, "memories")
        .map(|m| Memory {
            capacity_mb: mb(m, "capacity"),
            kind: s(m, "type"),
            speed: s(m, "speed"),
            serial: s(m, "serialnumber"),
            manufacturer: s(m, "manufacturer"),
            model: s(m, "model"),
            slot: first(m, &["caption", "description"]),
        })
        .collect();
    inv.storages = objects(content, "storages")
        .map(|d| Storage {
            name: s(d, "name"),
            model: s(d, "model"),
            manufacturer: s(d, "manufacturer"),
            serial: first(d, &["serial", "serialnumber"]),
            size_mb: mb(d, "disksize"),
            interface: normalise::interface(&s(d, "interface")),
            kind: s(d, "type"),
        })
        .collect();
    inv.networks = objects(content, "networks")
        .map(|n| {
            let description = s(n, "description");
            let kind = normalise::net_kind(&s(n, "type"));
            let virtual_dev = boolean(n, "virtualdev").unwrap_or_else(|| normalise::looks_virtual(&description, &kind));
            Network {
                mac: normalise::mac(&s(n, "mac")),
                ipv4: s(n, "ipaddress"),
                ipv4_mask: s(n, "ipmask"),
                ipv6: s(n, "ipaddress6"),
                virtual_dev,
                kind,
                manufacturer: s(n, "manufacturer"),
                model: s(n, "model"),
                description,
            }
        })
        .collect();
    inv.videos =
        objects(content, "videos").map(|v| Video { name: s(v, "name"), chipset: s(v, "chipset"), memory_mb: mb(v, "memory") }).collect();
    inv.softwares = objects(content, "softwares")
        .filter(|sw| !s(sw, "name").is_empty())
        .map(|sw| Software {
            name: s(sw, "name"),
            version: s(sw, "version"),
            publisher: s(sw, "publisher"),
            install_date: normalise::date(&s(sw, "install_date"), SlashOrder::DayFirst),
            arch: s(sw, "arch"),
        })
        .collect();
    inv.antivirus = objects(content, "antivirus")
        .filter(|a| !s(a, "name").is_empty())
        .map(|a| Antivirus {
            name: s(a, "name"),
            company: s(a, "company"),
            version: s(a, "version"),
            enabled: boolean(a, "enabled"),
            uptodate: boolean(a, "uptodate"),
        })
        .collect();
    inv.monitors = objects(content, "monitors")
        .map(|m| Monitor {
            manufacturer: s(m, "manufacturer"),
            name: first(m, &["name", "caption"]),
            serial: first(m, &["serial", "altserial"]),
        })
        .collect();
    inv
}
