//! The agents' endpoint through the real router: every captured request of the three agents
//! (FusionInventory 2.6, OCS 2.10, GLPI Agent 1.12; PROTOCOLS.md) replayed with its headers must
//! get an answer that agent accepts, and land on one card; bad input gets a 4xx and writes nothing.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use upravnik_core::asset::AssetQuery;
use upravnik_inventory::decode::decode;

use crate::http::{App, Res};
use crate::support::*;

pub fn data(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../upravnik-inventory/tests/data").join(path)
}

/// One captured request: headers as the agent sent them, the raw (compressed) body.
struct Capture {
    name: String,
    method: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn captures() -> Vec<Capture> {
    let dir = data("captures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".meta.json").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let meta: Value = serde_json::from_slice(&std::fs::read(dir.join(format!("{name}.meta.json"))).unwrap()).unwrap();
            let headers = meta["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_str().unwrap().to_string(), h[1].as_str().unwrap().to_string()))
                .filter(|(k, _)| !["host", "content-length", "connection", "keep-alive", "te"].contains(&k.to_ascii_lowercase().as_str()))
                .collect();
            // A plain (uncompressed) request was kept as its decoded body only.
            let body = std::fs::read(dir.join(format!("{name}.raw.bin")))
                .or_else(|_| std::fs::read(dir.join(format!("{name}.body.json"))))
                .unwrap_or_default();
            Capture { name, method: meta["method"].as_str().unwrap().to_string(), headers, body }
        })
        .collect()
}

async fn post(app: &App, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Res {
    let mut b = Request::post(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}

/// The reply as the agent reads it: decoded by its content type (zlib must be default level,
/// `78 9C`, for FusionInventory 2.6).
fn reply_text(r: &Res) -> String {
    if r.content_type == "application/x-compress-zlib" {
        assert_eq!(&r.bytes[..2], &[0x78, 0x9c], "default-level zlib");
    }
    let (plain, _) = decode(&r.bytes, Some(&r.content_type), 1 << 20).unwrap_or_else(|e| panic!("reply does not decode: {e}"));
    String::from_utf8(plain).unwrap()
}

async fn assets(s: &upravnik_core::service::Services, admin: &upravnik_core::access::Actor) -> Vec<upravnik_core::asset::Asset> {
    s.assets(admin, &AssetQuery { office_id: admin.office_id, per_page: 500, page: 1, ..Default::default() }).await.unwrap().items
}

#[tokio::test]
async fn every_captured_agent_request_is_answered_as_that_agent_expects_and_lands_on_one_card() {
    for db in databases().await {
        let (app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        for c in captures() {
            let headers: Vec<(&str, &str)> = c.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let r = if c.method == "GET" {
                let mut b = Request::get("/inventory?action=getConfig&machineid=vm-2026-11-25-16-10-09&task[Deploy]=3.3");
                for (k, v) in &headers {
                    b = b.header(*k, *v);
                }
                app.send(b.body(Body::empty()).unwrap()).await
            } else {
                post(&app, "/inventory", &headers, c.body.clone()).await
            };
            if c.method == "GET" {
                assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", c.name);
                assert!(r.body.contains("Protocol not supported"), "{}: {}", c.name, r.body);
                continue;
            }
            assert!(r.status.is_success(), "{}: {} {}", c.name, r.status, r.body);
            let text = reply_text(&r);
            let ua = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("user-agent")).map(|h| h.1).unwrap_or("");
            let request_ct = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|h| h.1).unwrap_or("");
            if text.trim_start().starts_with('{') {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert!(v["status"].is_string(), "{}: {text}", c.name);
                assert_ne!(v["status"], "error", "{}: {text}", c.name);
            } else {
                assert!(text.contains("<REPLY>"), "{}: REPLY root: {text}", c.name);
                if c.name.contains("PROLOG") {
                    assert!(text.contains("<RESPONSE>SEND</RESPONSE>"), "{}: {text}", c.name);
                }
                // OCS cannot read a plain answer; FusionInventory with --no-compression cannot read zlib.
                if ua.starts_with("OCS-NG") {
                    assert_eq!(&r.bytes[..1], &[0x78], "{}: OCS gets zlib", c.name);
                }
                if request_ct == "application/xml" {
                    assert_eq!(r.content_type, "application/xml", "{}: plain answer to a plain request", c.name);
                }
            }
        }
        // Every capture came from one machine (host "vm", no serial, no UUID): one card.
        let all = assets(&s, &admin).await;
        assert_eq!(all.len(), 1, "{}: {:?}", db.name, all.iter().map(|a| (&a.fields.hostname, &a.fields.inventory_number)).collect::<Vec<_>>());
        assert_eq!(all[0].fields.hostname, "vm");
        let parts = s.asset_parts(&admin, all[0].id).await.unwrap();
        assert!(parts.iter().any(|p| p.removed_us.is_none() && p.fields.describe().contains("bash")), "{}: software on the card", db.name);
    }
}

/// What is sent, with which headers, and the answer it must get.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Vec<u8>, StatusCode);

/// A zlib stream that inflates to `n` zero bytes.
fn bomb(n: usize) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..n / chunk.len() {
        e.write_all(&chunk).unwrap();
    }
    e.finish().unwrap()
}

#[tokio::test]
async fn bad_agent_input_gets_a_4xx_and_writes_nothing() {
    for db in databases().await {
        let (app, s) = App::new(&db).await;
        let admin = with_admin(&s).await;
        let head = s.store.worklog_head(admin.office_id).await.unwrap();
        let zlib = [("Content-Type", "application/x-compress-zlib"), ("User-Agent", "FusionInventory-Agent_v2.6-3")];
        let plain = [("Content-Type", "application/xml"), ("User-Agent", "FusionInventory-Agent_v2.6-3")];
        let cases: Vec<Case> = vec![
            ("empty body", &plain, vec![], StatusCode::BAD_REQUEST),
            ("not XML nor JSON", &plain, b"hello there".to_vec(), StatusCode::BAD_REQUEST),
            ("malformed XML", &plain, b"<REQUEST><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE>".to_vec(), StatusCode::BAD_REQUEST),
            (
                "XML with entities",
                &plain,
                br#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><REQUEST><DEVICEID>&b;</DEVICEID><QUERY>INVENTORY</QUERY></REQUEST>"#.to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            ("malformed JSON", &[("Content-Type", "application/json")], b"{\"action\":\"inventory\",".to_vec(), StatusCode::BAD_REQUEST),
            (
                "JSON against the schema",
                &[("Content-Type", "application/json")],
                br#"{"action":"inventory","deviceid":"x-2026-01-01-00-00-00","content":{"hardware":{"memory":"lots"},"versionclient":"t"},"bogus":1}"#.to_vec(),
                StatusCode::BAD_REQUEST,
            ),
            ("zlib says zlib but is not", &zlib, vec![0x78, 0x9c, 1, 2, 3, 4, 5], StatusCode::BAD_REQUEST),
            ("zlib bomb", &zlib, bomb(160 << 20), StatusCode::PAYLOAD_TOO_LARGE),
            ("oversized body", &plain, vec![b' '; 21 << 20], StatusCode::PAYLOAD_TOO_LARGE),
        ];
        for (what, headers, body, want) in cases {
            let r = post(&app, "/inventory", headers, body).await;
            assert_eq!(r.status, want, "{}: {what}: {}", db.name, r.body);
        }
        assert!(assets(&s, &admin).await.is_empty(), "{}: nothing stored", db.name);
        assert_eq!(s.store.worklog_head(admin.office_id).await.unwrap(), head, "{}: nothing logged", db.name);
        let r = app.send(Request::get("/ocsinventory").body(Body::empty()).unwrap()).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
        let _ = header::CONTENT_TYPE;
    }
}
