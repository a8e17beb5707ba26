//! The inventory agents' endpoint (R.11: every hardware and software change is recorded, so the
//! cards follow the machines by themselves). FusionInventory, OCS Inventory and GLPI Agent post
//! here as they are, on the paths offices already configured them with; the wire details are in
//! `upravnik-inventory` and `../shared/data/inventory/PROTOCOLS.md`.
//!
//! Agents have no session: they are let in by the office's agent settings (HTTP basic credentials
//! per office, or anonymous where the office allows it, and an allow-list of networks), checked
//! by `Services::agent_office`. Bad input always gets a 4xx the agent logs, never a 5xx.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use upravnik_core::inventory::AgentReport;
use upravnik_inventory::decode::Encoding;
use upravnik_inventory::protocol::{self, Dialect, Limits, Message, Reply};

use crate::AppState;

/// Paths agents are commonly configured with (PROTOCOLS.md §0): our own, OCS's default, GLPI's
/// native endpoint and the FusionInventory / GLPI Inventory plugins, with and without `/glpi`.
pub const AGENT_PATHS: &[&str] = &[
    "/inventory",
    "/inventory/",
    "/ocsinventory",
    "/ocsinventory/",
    "/front/inventory.php",
    "/glpi/front/inventory.php",
    "/plugins/fusioninventory/",
    "/plugins/fusioninventory",
    "/glpi/plugins/fusioninventory/",
    "/marketplace/glpiinventory/",
    "/glpi/marketplace/glpiinventory/",
];

/// Largest compressed body taken from an agent; a Windows machine with many programs sends a
/// few MB at most (PROTOCOLS.md §1).
pub const MAX_BODY: usize = 20 * 1024 * 1024;
/// Largest decompressed document; beyond it the body is a bomb, not an inventory.
pub const MAX_DECODED: usize = 100 * 1024 * 1024;

pub async fn endpoint(State(st): State<AppState>, req: Request) -> Response {
    let remote = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let (parts, body) = req.into_parts();
    if parts.method != Method::POST {
        return send(protocol::reply_get(parts.uri.query()), &parts.headers);
    }
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        tracing::warn!(target: "upravnik::agent", remote, "agent body larger than the limit");
        return send(protocol::reply_error(Dialect::Xml, Encoding::Plain, 413, "Request too large"), &parts.headers);
    };
    let (user, password) = basic_credentials(&parts.headers);
    let settings = match st.services.agent_gate(user.as_deref(), password.as_deref(), remote.as_deref()).await {
        Ok(Some(settings)) => settings,
        Ok(None) => {
            tracing::warn!(target: "upravnik::agent", remote, user, "agent refused: credentials or network not allowed");
            let mut res = send(protocol::reply_error(Dialect::Xml, Encoding::Plain, 401, "Authentication required"), &parts.headers);
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"Upravnik\""));
            return res;
        }
        Err(e) => return internal(e),
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (content_type, user_agent, agent_id) = (header("content-type"), header("user-agent"), header("glpi-agent-id"));
    // Inflating and parsing a few hundred kilobytes is CPU work: keep it off the async workers.
    let sent = body.clone();
    let started = std::time::Instant::now();
    let parsed = tokio::task::spawn_blocking(move || {
        let req = protocol::Request {
            body: &sent,
            content_type: content_type.as_deref(),
            user_agent: user_agent.as_deref(),
            agent_id: agent_id.as_deref(),
        };
        protocol::parse(&req, Limits { max_decoded: MAX_DECODED }).map_err(|e| (protocol::reply_parse_error(&req, &e), e))
    })
    .await;
    let parsed = match parsed {
        Ok(Ok(p)) => p,
        Ok(Err((reply, e))) => {
            tracing::warn!(target: "upravnik::agent", remote, error = %e, "agent request refused");
            return send(reply, &parts.headers);
        }
        Err(e) => return internal(e),
    };
    let agent_id = header("glpi-agent-id");
    let client = header("user-agent").unwrap_or_default();
    let mut parsed = parsed;
    let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
    let reply = match &mut parsed.message {
        Message::Prolog { deviceid } => {
            if let Err(e) = st.services.record_contact(settings.office_id, deviceid, agent_id.as_deref(), &client, None).await {
                return internal(e);
            }
            protocol::reply_prolog(&parsed, agent_id.is_some())
        }
        Message::Contact { deviceid, tag, .. } => {
            if let Err(e) = st.services.record_contact(settings.office_id, deviceid, agent_id.as_deref(), &client, tag.as_deref()).await {
                return internal(e);
            }
            protocol::reply_contact(&parsed)
        }
        Message::Inventory(inventory) => {
            let mut inventory = std::mem::take(&mut **inventory);
            if inventory.agent_id.is_none() {
                inventory.agent_id = agent_id.clone();
            }
            if inventory.client.is_empty() {
                inventory.client = client.clone();
            }
            let format = match parsed.dialect {
                Dialect::Xml => "xml",
                Dialect::Json => "json",
            };
            let raw_zlib = (parsed.encoding == Encoding::Zlib).then_some(&body[..]);
            let report = AgentReport { inventory: &inventory, raw: &parsed.decoded, raw_zlib, format, remote_ip: remote.as_deref() };
            let stored = std::time::Instant::now();
            match st.services.receive_with(&settings, report).await {
                Ok(r) => {
                    let store_ms = stored.elapsed().as_secs_f64() * 1000.0;
                    tracing::info!(target: "upravnik::agent", asset = r.asset_id, created = r.created, changes = r.changes, deviceid = %inventory.deviceid, parse_ms, store_ms, "inventory stored");
                    protocol::reply_inventory_ok(&parsed)
                }
                Err(e @ (upravnik_core::Error::Invalid(_) | upravnik_core::Error::Conflict { .. })) => {
                    tracing::warn!(target: "upravnik::agent", remote, error = %e, "inventory refused");
                    protocol::reply_error(parsed.dialect, parsed.encoding, 400, &e.to_string())
                }
                Err(e) => return internal(e),
            }
        }
        Message::Unsupported { .. } => protocol::reply_unsupported(&parsed),
    };
    send(reply, &parts.headers)
}

/// The agent's reply with the headers GLPI sends (PROTOCOLS.md §3.2): no caching, and the
/// agent's identifiers echoed back.
fn send(reply: Reply, request: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = Response::new(Body::from(reply.body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache,no-store"));
    for name in ["glpi-agent-id", "glpi-request-id"] {
        if let Some(v) = request.get(name) {
            h.insert(name, v.clone());
        }
    }
    res
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(target: "upravnik::agent", error = %e, "storing an agent request failed");
    send(protocol::reply_error(Dialect::Xml, Encoding::Plain, 500, "Internal error"), &HeaderMap::new())
}

/// `Authorization: Basic …` as the agents send it after a 401 (FI, GLPI Agent) or up front (OCS).
fn basic_credentials(h: &HeaderMap) -> (Option<String>, Option<String>) {
    let Some(v) = h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return (None, None) };
    let Some(encoded) = v.strip_prefix("Basic ").or_else(|| v.strip_prefix("basic ")) else { return (None, None) };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else { return (None, None) };
    let Ok(text) = String::from_utf8(decoded) else { return (None, None) };
    match text.split_once(':') {
        Some((u, p)) => (Some(u.to_string()), Some(p.to_string())),
        None => (Some(text), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic YWdlbnQ6czNjcjN0"));
        assert_eq!(basic_credentials(&h), (Some("agent".into()), Some("s3cr3t".into())));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_credentials(&h), (None, None));
    }
}
