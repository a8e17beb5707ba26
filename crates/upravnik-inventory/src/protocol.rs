//! One agent request in, one [`Parsed`] message out, and the replies each agent accepts
//! (PROTOCOLS.md §0, §1.3, §5).

use crate::decode::{self, Encoding};
use crate::model::Inventory;

/// What the server hands over from one HTTP POST.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub body: &'a [u8],
    pub content_type: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    /// Header `GLPI-Agent-ID`: sent by GLPI Agent on every POST, XML ones included.
    pub agent_id: Option<&'a str>,
}

/// Legacy `<REQUEST>` XML or GLPI native JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Xml,
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Legacy PROLOG: "may I send an inventory?"
    Prolog {
        deviceid: String,
    },
    /// GLPI Agent CONTACT: which tasks the server supports.
    Contact {
        deviceid: String,
        name: String,
        version: String,
        tag: Option<String>,
        enabled_tasks: Vec<String>,
    },
    Inventory(Box<Inventory>),
    /// Any other query or action (SNMPQUERY, NETDISCOVERY, netinventory, get_params, …).
    Unsupported {
        query: String,
    },
}

#[derive(Debug, Clone)]
pub struct Parsed {
    pub message: Message,
    pub dialect: Dialect,
    pub encoding: Encoding,
    /// The decoded document, kept by the server as the raw report.
    pub decoded: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest decoded document accepted; a zlib bomb stops here.
    pub max_decoded: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // A Windows machine with many programs reaches a few MB (PROTOCOLS.md §1).
        Limits { max_decoded: 100 * 1024 * 1024 }
    }
}

/// Why a request was refused. Each maps to a 4xx; the agent logs it and retries at its next run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("the decoded body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the body cannot be decoded: {0}")]
    BadEncoding(String),
    #[error("XML not well formed: {0}")]
    BadXml(String),
    #[error("JSON not well formed: {0}")]
    BadJson(String),
    #[error("JSON does not validate. Violations: {0}")]
    SchemaInvalid(String),
    #[error("the message has no device id")]
    MissingDeviceId,
}

impl ProtocolError {
    pub fn status(&self) -> u16 {
        match self {
            ProtocolError::TooLarge { .. } => 413,
            ProtocolError::BadEncoding(_)
            | ProtocolError::BadXml(_)
            | ProtocolError::BadJson(_)
            | ProtocolError::SchemaInvalid(_)
            | ProtocolError::MissingDeviceId => 400,
        }
    }

    /// The text sent to the agent (which logs it).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// Decodes and parses one agent POST.
pub fn parse(req: &Request, limits: Limits) -> Result<Parsed, ProtocolError> {
    let (decoded, encoding) = decode::decode(req.body, req.content_type, limits.max_decoded)?;
    let (message, dialect) = match decode::first_non_blank(&decoded) {
        Some(b'<') => (crate::xml::parse_message(&decoded, req)?, Dialect::Xml),
        Some(b'{') => (crate::json::parse_message(&decoded, req)?, Dialect::Json),
        _ => {
            return Err(ProtocolError::BadEncoding("the decoded body is neither XML nor JSON".into()));
        }
    };
    Ok(Parsed { message, dialect, encoding, decoded })
}

/// An HTTP answer, already encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
/// Hours between two contacts, for both protocols.
const FREQ_HOURS: u32 = 24;
/// GLPI Agent passes the server version to its normaliser; this one was tested (PROTOCOLS.md §3.3).
const GLPI_VERSION: &str = "10.0.18";

fn reply(status: u16, payload: &[u8], enc: Encoding) -> Reply {
    let (body, content_type) = decode::encode(payload, enc);
    Reply { status, content_type, body }
}

fn xml_reply(status: u16, inner: &str, enc: Encoding) -> Reply {
    reply(status, format!("{XML_HEAD}<REPLY>{inner}</REPLY>\n").as_bytes(), enc)
}

fn json_reply(status: u16, value: &serde_json::Value, enc: Encoding) -> Reply {
    reply(status, value.to_string().as_bytes(), enc)
}

/// Answer to a legacy PROLOG. A GLPI Agent (it sent `GLPI-Agent-ID`) gets `pending`, which makes
/// it switch to the JSON protocol at once and send a CONTACT (§3.1); FusionInventory and OCS get
/// `SEND`.
pub fn reply_prolog(parsed: &Parsed, glpi_agent: bool) -> Reply {
    if glpi_agent {
        json_reply(202, &serde_json::json!({"status": "pending", "expiration": 0}), parsed.encoding)
    } else {
        xml_reply(200, &format!("<PROLOG_FREQ>{FREQ_HOURS}</PROLOG_FREQ><RESPONSE>SEND</RESPONSE>"), parsed.encoding)
    }
}

/// Answer to a CONTACT: inventory is the one task served; every other enabled task is disabled
/// so the agent does not go looking for Deploy/Collect configuration.
pub fn reply_contact(parsed: &Parsed) -> Reply {
    let mut disabled: Vec<&str> = match &parsed.message {
        Message::Contact { enabled_tasks, .. } => {
            enabled_tasks.iter().map(String::as_str).filter(|t| !t.eq_ignore_ascii_case("inventory")).collect()
        }
        _ => Vec::new(),
    };
    disabled.sort_unstable();
    disabled.dedup();
    json_reply(
        200,
        &serde_json::json!({
            "status": "ok",
            "expiration": FREQ_HOURS,
            "tasks": {"inventory": {"server": "glpi", "version": GLPI_VERSION}},
            "disabled": disabled,
        }),
        parsed.encoding,
    )
}

/// Answer to a stored inventory.
pub fn reply_inventory_ok(parsed: &Parsed) -> Reply {
    match parsed.dialect {
        Dialect::Xml => xml_reply(200, "<RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE>", parsed.encoding),
        Dialect::Json => json_reply(200, &serde_json::json!({"status": "ok", "expiration": FREQ_HOURS}), parsed.encoding),
    }
}

/// Answer to a query or action this server does not handle (GLPI's wording and status).
pub fn reply_unsupported(parsed: &Parsed) -> Reply {
    let query = match &parsed.message {
        Message::Unsupported { query } => query.as_str(),
        _ => "",
    };
    reply_error(parsed.dialect, parsed.encoding, 501, &format!("Query '{query}' is not supported."))
}

/// An error in the form the agent reads: `<REPLY><ERROR>` or `{"status":"error"}`.
pub fn reply_error(dialect: Dialect, encoding: Encoding, status: u16, message: &str) -> Reply {
    match dialect {
        Dialect::Xml => xml_reply(status, &format!("<ERROR>{}</ERROR>", xml_escape(message)), encoding),
        Dialect::Json => {
            json_reply(status, &serde_json::json!({"status": "error", "message": message, "expiration": FREQ_HOURS}), encoding)
        }
    }
}

/// The answer to a request [`parse`] refused. The body may not have decoded, so the dialect and
/// encoding are guessed from the headers: a JSON or GLPI Agent request gets JSON, others XML.
pub fn reply_parse_error(req: &Request, err: &ProtocolError) -> Reply {
    let ct = req.content_type.unwrap_or("").to_ascii_lowercase();
    let encoding = sniff_encoding(req.body, &ct);
    let dialect = if ct.contains("json")
        || decode::first_non_blank(req.body) == Some(b'{')
        || matches!(err, ProtocolError::BadJson(_) | ProtocolError::SchemaInvalid(_))
    {
        Dialect::Json
    } else {
        Dialect::Xml
    };
    reply_error(dialect, encoding, err.status(), &err.message())
}

fn sniff_encoding(body: &[u8], ct: &str) -> Encoding {
    match body {
        [0x1f, 0x8b, ..] => Encoding::Gzip,
        [b0, b1, ..] if decode::is_zlib_header(*b0, *b1) => Encoding::Zlib,
        _ if ct.contains("zlib") || ct.contains("x-compress") && !ct.contains("gzip") => Encoding::Zlib,
        _ if ct.contains("gzip") => Encoding::Gzip,
        _ => Encoding::Plain,
    }
}

/// Answer to a GET on the agent endpoint. GLPI Agent's Deploy/Collect/ESX tasks ask
/// `?action=getConfig…`; GLPI 10 answers 400 JSON, which the agent logs and moves on (§2.7).
pub fn reply_get(query_string: Option<&str>) -> Reply {
    let get_config = query_string.unwrap_or("").split('&').any(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        k == "action" && v.eq_ignore_ascii_case("getConfig")
    });
    if get_config {
        json_reply(
            400,
            &serde_json::json!({"status": "error", "message": "Protocol not supported", "expiration": FREQ_HOURS}),
            Encoding::Plain,
        )
    } else {
        Reply { status: 405, content_type: "text/plain", body: Vec::new() }
    }
}

pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
