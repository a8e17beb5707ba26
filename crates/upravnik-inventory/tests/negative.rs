//! Bodies an agent should never send, and some an attacker would: each is refused with the
//! right 4xx, quickly, without panicking or allocating past the cap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use upravnik_inventory::{
    Dialect, Encoding, Limits, Message, ProtocolError, Request, decode, parse, reply_error, reply_get, reply_parse_error,
};

const PROLOG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<REQUEST>\n  <DEVICEID>pc-2026-01-01-00-00-00</DEVICEID>\n  <QUERY>PROLOG</QUERY>\n</REQUEST>\n";

fn parse_with(body: &[u8], ct: Option<&str>) -> Result<upravnik_inventory::Parsed, ProtocolError> {
    parse(&Request { body, content_type: ct, user_agent: None, agent_id: None }, Limits::default())
}

#[test]
fn empty_body() {
    let err = parse_with(b"", Some("application/x-compress-zlib")).unwrap_err();
    assert!(matches!(err, ProtocolError::BadEncoding(_)), "{err:?}");
    assert_eq!(err.status(), 400);
    assert!(matches!(parse_with(b"  \n ", None).unwrap_err(), ProtocolError::BadEncoding(_)));
}

#[test]
fn malformed_xml() {
    for body in [
        "<REQUEST><QUERY>PROLOG</QUERY>",
        "<REQUEST><QUERY>PROLOG</QUERY><DEVICEID>x</REQUEST>",
        "<?xml version=\"1.0\"?><REQUEST><QUERY>PROLOG</QUERY></REQUEST><extra/>",
        "<",
    ] {
        let err = parse_with(&zlib(body.as_bytes()), Some("application/x-compress-zlib")).unwrap_err();
        assert!(matches!(err, ProtocolError::BadXml(_)), "{body}: {err:?}");
        assert_eq!(err.status(), 400);
    }
    let err = parse_with(b"<html><body>hi</body></html>", None).unwrap_err();
    assert!(matches!(&err, ProtocolError::BadXml(m) if m.contains("REQUEST")), "{err:?}");
}

#[test]
fn dtd_and_entities_are_refused_not_expanded() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE REQUEST [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<REQUEST><DEVICEID>&lol3;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"#;
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE REQUEST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<REQUEST><DEVICEID>&xxe;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>"#;
    for body in [laughs, external] {
        let err = parse_with(body.as_bytes(), Some("application/xml")).unwrap_err();
        assert!(matches!(err, ProtocolError::BadXml(_)), "{err:?}");
    }
}

#[test]
fn missing_device_id() {
    let body = "<REQUEST><QUERY>PROLOG</QUERY></REQUEST>";
    assert_eq!(parse_with(body.as_bytes(), None).unwrap_err(), ProtocolError::MissingDeviceId);
    let body = "<REQUEST><CONTENT><HARDWARE><NAME>pc</NAME></HARDWARE></CONTENT></REQUEST>";
    assert_eq!(parse_with(body.as_bytes(), None).unwrap_err(), ProtocolError::MissingDeviceId);
    let body = r#"{"action":"contact","name":"GLPI-Agent"}"#;
    assert_eq!(parse_with(body.as_bytes(), None).unwrap_err(), ProtocolError::MissingDeviceId);
}

#[test]
fn no_query_is_an_inventory() {
    let body = "<REQUEST><DEVICEID>pc-1</DEVICEID><CONTENT><HARDWARE><NAME>PC</NAME></HARDWARE></CONTENT></REQUEST>";
    let Message::Inventory(inv) = parse_with(body.as_bytes(), None).expect("parse").message else { panic!("not an inventory") };
    assert_eq!(inv.hardware.name, "PC");
    assert_eq!(inv.itemtype, "Computer");
}

#[test]
fn wrong_or_unknown_compression() {
    // zlib header, then garbage.
    let mut bad = vec![0x78, 0x9c];
    bad.extend_from_slice(b"this is not deflate data at all");
    assert!(matches!(parse_with(&bad, Some("application/x-compress-zlib")).unwrap_err(), ProtocolError::BadEncoding(_)));
    // gzip magic, then garbage.
    let mut bad = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    bad.extend_from_slice(b"garbage garbage garbage");
    assert!(matches!(parse_with(&bad, Some("application/x-compress-gzip")).unwrap_err(), ProtocolError::BadEncoding(_)));
    // Binary that is none of them, whatever the type claims.
    for ct in [Some("application/x-compress-zlib"), Some("application/x-compress"), None] {
        let err = parse_with(b"\x00\x01\x02hello", ct).unwrap_err();
        assert!(matches!(err, ProtocolError::BadEncoding(_)), "{ct:?}: {err:?}");
    }
    // Brotli is not supported.
    assert!(matches!(parse_with(b"\x8b\x02\x80", Some("application/x-br")).unwrap_err(), ProtocolError::BadEncoding(_)));
    // A zlib stream that inflates to neither XML nor JSON.
    assert!(matches!(parse_with(&zlib(b"hello"), None).unwrap_err(), ProtocolError::BadEncoding(_)));
}

#[test]
fn raw_deflate_only_when_the_type_says_so() {
    use std::io::Write;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(PROLOG.as_bytes()).unwrap();
    let raw = e.finish().unwrap();
    let parsed = parse_with(&raw, Some("application/x-compress-deflate")).expect("deflate");
    assert_eq!(parsed.encoding, Encoding::Deflate);
    let reply = upravnik_inventory::reply_prolog(&parsed, false);
    assert_eq!(reply.content_type, "application/x-compress-zlib", "deflate is answered as zlib");
    assert!(parse_with(&raw, Some("application/x-compress-zlib")).is_err());
}

#[test]
fn truncated_streams() {
    let z = zlib(PROLOG.as_bytes());
    for cut in [3, 10, z.len() / 2, z.len() - 4] {
        let err = decode(&z[..z.len() - cut], None, 1 << 20).unwrap_err();
        assert!(matches!(err, ProtocolError::BadEncoding(_)), "cut {cut}: {err:?}");
    }
    let g = upravnik_inventory::encode(PROLOG.as_bytes(), Encoding::Gzip).0;
    for cut in [1, 8, g.len() / 2] {
        let err = decode(&g[..g.len() - cut], None, 1 << 20).unwrap_err();
        assert!(matches!(err, ProtocolError::BadEncoding(_)), "gzip cut {cut}: {err:?}");
    }
}

#[test]
fn zlib_bomb_stops_at_the_cap() {
    let len = 200 << 20;
    let bomb = zero_zlib(len);
    assert!(bomb.len() < 2 << 20, "the bomb is small: {}", bomb.len());
    // The stream is a real one: below the cap it inflates to its 200 MB.
    let small = zero_zlib(3 << 20);
    assert_eq!(decode(&small, None, 4 << 20).expect("inflate").0.len(), 3 << 20);

    let started = std::time::Instant::now();
    let err = parse_with(&bomb, Some("application/x-compress-zlib")).unwrap_err();
    assert_eq!(err, ProtocolError::TooLarge { limit: 100 << 20 });
    assert_eq!(err.status(), 413);
    eprintln!("bomb refused in {:?}", started.elapsed());

    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    gz.extend(zero_deflate(len));
    assert!(matches!(decode(&gz, None, 10 << 20).unwrap_err(), ProtocolError::TooLarge { .. }));
    // A plain body over the cap is refused too.
    assert!(matches!(decode(PROLOG.as_bytes(), None, 10).unwrap_err(), ProtocolError::TooLarge { limit: 10 }));
}

#[test]
fn json_that_fails_the_schema() {
    let cases = [
        (
            r#"{"action":"inventory","deviceid":"pc-1","content":{"versionclient":"x","hardware":{"memory":"lots"}}}"#,
            "/content/hardware/memory",
        ),
        (r#"{"action":"inventory","deviceid":"pc-1"}"#, "content"),
        (r#"{"deviceid":"pc-1","content":{"versionclient":"x"},"unexpected":1}"#, "unexpected"),
        (
            r#"{"deviceid":"pc-1","content":{"versionclient":"x","networks":[{"mac":"00:11:22:33:44:55","virtualdev":"yes"}]}}"#,
            "/content/networks/0",
        ),
    ];
    for (body, needle) in cases {
        let err = parse_with(&zlib(body.as_bytes()), Some("application/x-compress-zlib")).unwrap_err();
        let ProtocolError::SchemaInvalid(msg) = &err else { panic!("{body}: {err:?}") };
        assert!(msg.contains(needle), "{needle} not in {msg}");
        assert_eq!(err.status(), 400);
        assert!(err.message().starts_with("JSON does not validate"));
        // The agent gets it as JSON in the request's encoding.
        let reply = reply_parse_error(
            &Request {
                body: &zlib(body.as_bytes()),
                content_type: Some("application/x-compress-zlib"),
                user_agent: None,
                agent_id: Some("a"),
            },
            &err,
        );
        assert_eq!(reply.status, 400);
        let v = glpi_json(&agent_reads(&reply, Encoding::Zlib));
        assert_eq!(v["status"], "error");
    }
}

#[test]
fn json_not_well_formed() {
    for body in [&b"{"[..], b"{\"action\": }", b"{} trailing", b"{\"a\":1}{"] {
        let err = parse_with(body, Some("application/json")).unwrap_err();
        assert!(matches!(err, ProtocolError::BadJson(_)), "{err:?}");
    }
    // Well-formed but not a message.
    assert!(matches!(parse_with(b"[1, 2]", None).unwrap_err(), ProtocolError::BadEncoding(_)));
    assert!(matches!(parse_with(b"{\"x\": [[[[1]]]]}", None).unwrap_err(), ProtocolError::MissingDeviceId));
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(parse_with(deep.as_bytes(), None).unwrap_err(), ProtocolError::BadJson(_)));
}

#[test]
fn latin1_bodies_are_read_not_rejected() {
    let mut body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><REQUEST><DEVICEID>pc-1</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT><HARDWARE><NAME>Ra\xe8unovodstvo</NAME></HARDWARE><SOFTWARES><NAME>Caf\xe9</NAME><PUBLISHER>\xa9 Firma</PUBLISHER></SOFTWARES></CONTENT></REQUEST>".to_vec();
    let Message::Inventory(inv) = parse_with(&body, None).expect("parse").message else { panic!() };
    assert_eq!(inv.hardware.name, "Raèunovodstvo");
    assert_eq!(inv.softwares[0].name, "Café");
    assert_eq!(inv.softwares[0].publisher, "© Firma");
    // A declared Central-European encoding is honoured when the bytes are not UTF-8.
    body = b"<?xml version=\"1.0\" encoding=\"windows-1250\"?><REQUEST><DEVICEID>pc-1</DEVICEID><CONTENT><HARDWARE><NAME>Ra\xe8unovodstvo</NAME></HARDWARE></CONTENT></REQUEST>".to_vec();
    let Message::Inventory(inv) = parse_with(&body, None).expect("parse").message else { panic!() };
    assert_eq!(inv.hardware.name, "Računovodstvo");
    // JSON too.
    let json = b"{\"deviceid\":\"pc-1\",\"content\":{\"versionclient\":\"x\",\"hardware\":{\"name\":\"Caf\xe9\"}}}";
    let Message::Inventory(inv) = parse_with(json, None).expect("parse").message else { panic!() };
    assert_eq!(inv.hardware.name, "Café");
}

#[test]
fn error_replies() {
    let r = reply_error(Dialect::Xml, Encoding::Plain, 400, "XML not well formed: <oops> & more");
    assert_eq!(r.status, 400);
    let doc = reply_root(&r.body);
    assert_eq!(xml_child(&doc, "ERROR"), Some("XML not well formed: <oops> & more"));
    let r = reply_error(Dialect::Json, Encoding::Gzip, 500, "boom");
    let v = glpi_json(&agent_reads(&r, Encoding::Gzip));
    assert_eq!((v["status"].as_str(), v["message"].as_str(), v["expiration"].as_i64()), (Some("error"), Some("boom"), Some(24)));

    let err = parse_with(&zlib(b"<REQUEST>"), Some("application/x-compress-zlib")).unwrap_err();
    let r = reply_parse_error(
        &Request { body: &zlib(b"<REQUEST>"), content_type: Some("application/x-compress-zlib"), user_agent: None, agent_id: None },
        &err,
    );
    assert_eq!(r.status, 400);
    reply_root(&agent_reads(&r, Encoding::Zlib));
    let big = parse(
        &Request { body: PROLOG.as_bytes(), content_type: Some("application/xml"), user_agent: None, agent_id: None },
        Limits { max_decoded: 8 },
    )
    .unwrap_err();
    assert_eq!(big.status(), 413);
}

#[test]
fn get_requests() {
    let r = reply_get(Some("action=getConfig&machineid=pc-1&task%5BDeploy%5D=3.3"));
    assert_eq!((r.status, r.content_type), (400, "application/json"));
    assert_eq!(glpi_json(&r.body)["message"], "Protocol not supported");
    let r = reply_get(Some("machineid=pc-1&action=getConfig"));
    assert_eq!(r.status, 400);
    for q in [None, Some(""), Some("action=other"), Some("xaction=getConfig")] {
        assert_eq!(reply_get(q).status, 405, "{q:?}");
    }
}

#[test]
fn unknown_json_actions_are_unsupported() {
    let body = br#"{"action":"get_params","deviceid":"pc-1","params_id":"1"}"#;
    let parsed = parse_with(body, Some("application/json")).expect("parse");
    assert_eq!(parsed.message, Message::Unsupported { query: "get_params".into() });
    let r = upravnik_inventory::reply_unsupported(&parsed);
    assert_eq!((r.status, r.content_type), (501, "application/json"));
}
