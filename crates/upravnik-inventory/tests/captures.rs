//! Every request the three agents sent to a fake server (shared/data/inventory/captures):
//! decoded as captured, parsed into the right message, and answered in a form that agent reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::*;
use sha2::{Digest, Sha256};
use upravnik_inventory::{
    Dialect, Encoding, Limits, Message, Request, decode, parse, reply_contact, reply_get, reply_inventory_ok, reply_prolog,
};

struct Capture {
    label: String,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    detected: String,
}

impl Capture {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn captures() -> Vec<Capture> {
    let dir = data("captures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("captures dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".meta.json").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|label| {
            let meta: serde_json::Value = serde_json::from_slice(&read(&format!("captures/{label}.meta.json"))).expect("meta");
            Capture {
                method: meta["method"].as_str().unwrap_or_default().to_string(),
                path: meta["path"].as_str().unwrap_or_default().to_string(),
                detected: meta["body_encoding_detected"].as_str().unwrap_or_default().to_string(),
                headers: meta["headers"]
                    .as_array()
                    .expect("headers")
                    .iter()
                    .map(|h| (h[0].as_str().unwrap().to_string(), h[1].as_str().unwrap().to_string()))
                    .collect(),
                label,
            }
        })
        .collect()
}

/// sha256 of every decoded `.body.*` file the capture tool wrote, by label.
fn body_digests() -> BTreeMap<String, String> {
    String::from_utf8(read("captures/bodies.sha256"))
        .expect("utf-8")
        .lines()
        .filter_map(|l| {
            let (hash, file) = l.split_once("  ")?;
            let label = file.rsplit_once(".body.")?.0;
            Some((label.to_string(), hash.to_string()))
        })
        .collect()
}

fn raw_body(label: &str) -> Vec<u8> {
    let raw = data(&format!("captures/{label}.raw.bin"));
    if raw.exists() {
        std::fs::read(raw).expect("raw")
    } else {
        // A plain request: the capture tool wrote only the (identical) decoded body.
        read(&format!("captures/{label}.body.json"))
    }
}

#[test]
fn every_capture_decodes_parses_and_gets_an_answer_its_agent_accepts() {
    let digests = body_digests();
    let all = captures();
    assert_eq!(all.len(), 61, "captures missing");
    let (mut posts, mut gets) = (0, 0);
    for cap in &all {
        let label = cap.label.as_str();
        if cap.method == "GET" {
            gets += 1;
            let query = cap.path.split_once('?').map(|(_, q)| q);
            let reply = reply_get(query);
            assert_eq!(reply.status, 400, "{label}");
            assert_eq!(reply.content_type, "application/json");
            let v = glpi_json(&reply.body);
            assert_eq!(v["status"], "error");
            assert_eq!(v["message"], "Protocol not supported");
            continue;
        }
        posts += 1;
        let body = raw_body(label);
        let ct = cap.header("Content-Type");
        let ua = cap.header("User-Agent");
        let agent_id = cap.header("GLPI-Agent-ID");

        let (decoded, enc) = decode(&body, ct, 100 << 20).unwrap_or_else(|e| panic!("{label}: {e}"));
        let expected_enc = match cap.detected.as_str() {
            "zlib" => Encoding::Zlib,
            "gzip" => Encoding::Gzip,
            "none" => Encoding::Plain,
            other => panic!("{label}: unexpected encoding {other}"),
        };
        assert_eq!(enc, expected_enc, "{label}");
        let digest: String = Sha256::digest(&decoded).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(Some(&digest), digests.get(label), "{label}: decoded body differs from the capture");

        let req = Request { body: &body, content_type: ct, user_agent: ua, agent_id };
        let parsed = parse(&req, Limits::default()).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(parsed.decoded, decoded, "{label}");
        assert_eq!(parsed.encoding, expected_enc);
        let query = label.rsplit('-').next().unwrap_or_default();
        let reply = match (&parsed.message, query) {
            (Message::Prolog { deviceid }, "PROLOG") => {
                assert!(deviceid.starts_with("vm-2026-11-25-"), "{label}: {deviceid}");
                assert_eq!(parsed.dialect, Dialect::Xml);
                reply_prolog(&parsed, agent_id.is_some())
            }
            (Message::Contact { deviceid, name, enabled_tasks, .. }, "contact") => {
                assert!(deviceid.starts_with("vm-"), "{label}");
                assert_eq!(name, "GLPI-Agent");
                assert!(enabled_tasks.iter().any(|t| t == "inventory"), "{label}");
                reply_contact(&parsed)
            }
            (Message::Inventory(inv), "INVENTORY" | "inventory") => {
                assert!(inv.deviceid.starts_with("vm-"), "{label}");
                assert_eq!(inv.hardware.name, "vm", "{label}");
                assert_eq!(inv.itemtype, "Computer");
                assert_eq!(inv.agent_id.as_deref(), agent_id, "{label}");
                assert!(!inv.client.is_empty(), "{label}: client");
                assert!(inv.sections.contains(&upravnik_inventory::Section::Bios), "{label}");
                if !inv.partial {
                    assert!(inv.softwares.len() > 900, "{label}: {} programs", inv.softwares.len());
                    assert_eq!(inv.os_line(), "Debian GNU/Linux 12 (bookworm)", "{label}");
                }
                if label.starts_with("ocs-") {
                    assert_eq!(inv.client, "OCS-NG_unified_unix_agent_v2.10.0", "{label}: UA as client");
                }
                if label.contains("-tag-") {
                    assert_eq!(inv.tag.as_deref(), Some("MAIRIE-ACCUEIL"), "{label}");
                }
                reply_inventory_ok(&parsed)
            }
            (other, q) => panic!("{label}: {q} parsed as {other:?}"),
        };
        assert!((200..300).contains(&reply.status), "{label}: {}", reply.status);
        let seen = agent_reads(&reply, enc);
        let is_json_answer = matches!(parsed.message, Message::Contact { .. })
            || parsed.dialect == Dialect::Json
            || (matches!(parsed.message, Message::Prolog { .. }) && agent_id.is_some());
        if is_json_answer {
            let v = glpi_json(&seen);
            // GLPI Agent accepts a JSON answer to its PROLOG only with expiration > 0 or pending.
            let exp = v["expiration"].as_i64().expect("expiration");
            assert!(exp > 0 || v["status"] == "pending", "{label}: {v}");
            if let Message::Contact { enabled_tasks, .. } = &parsed.message {
                assert_eq!(v["status"], "ok");
                assert_eq!(v["tasks"]["inventory"]["server"], "glpi");
                let disabled: Vec<&str> = v["disabled"].as_array().expect("disabled").iter().filter_map(|d| d.as_str()).collect();
                assert!(!disabled.contains(&"inventory"), "{label}");
                for t in enabled_tasks.iter().filter(|t| *t != "inventory") {
                    assert!(disabled.contains(&t.as_str()), "{label}: {t} not disabled");
                }
            }
            if matches!(parsed.message, Message::Prolog { .. }) {
                assert_eq!(reply.status, 202);
                assert_eq!(v["status"], "pending");
            }
        } else {
            let doc = reply_root(&seen);
            match parsed.message {
                Message::Prolog { .. } => {
                    assert_eq!(xml_child(&doc, "RESPONSE"), Some("SEND"), "{label}");
                    assert_eq!(xml_child(&doc, "PROLOG_FREQ"), Some("24"));
                }
                _ => assert_eq!(xml_child(&doc, "RESPONSE"), Some("NO_ACCOUNT_UPDATE"), "{label}"),
            }
        }
    }
    assert_eq!((posts, gets), (55, 6), "every capture must be looked at");
}

#[test]
fn the_partial_glpi_capture_carries_only_its_sections() {
    use upravnik_inventory::Section::*;
    let body = raw_body("glpi-plainanswer2-002-POST-inventory");
    let req = Request {
        body: &body,
        content_type: Some("application/x-compress-zlib"),
        user_agent: Some("GLPI-Agent_v1.12-dev"),
        agent_id: Some("cf6b20c4-e8ea-11f1-ab39-dbaa8d1ae367"),
    };
    let Message::Inventory(inv) = parse(&req, Limits::default()).expect("parse").message else { panic!("not an inventory") };
    assert!(inv.partial);
    assert_eq!(inv.sections.iter().copied().collect::<Vec<_>>(), vec![Hardware, Bios]);
    assert_eq!(inv.authoritative_sections(), inv.sections);
    assert_eq!(inv.client, "GLPI-Agent_v1.12-dev");
    assert!(inv.softwares.is_empty());
}

#[test]
fn ocs_prolog_with_the_ocs_content_type_is_answered_in_zlib() {
    // OCS labels its body application/x-compress and needs a zlib answer (plain fails, §1.3).
    let body = raw_body("ocs-zlib-001-POST-PROLOG");
    let req = Request {
        body: &body,
        content_type: Some("application/x-compress"),
        user_agent: Some("OCS-NG_unified_unix_agent_v2.10.0"),
        agent_id: None,
    };
    let parsed = parse(&req, Limits::default()).expect("parse");
    let reply = reply_prolog(&parsed, false);
    assert_eq!(reply.content_type, "application/x-compress-zlib");
    assert_eq!(&reply.body[..2], &[0x78, 0x9c]);
}
