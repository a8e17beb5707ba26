//! Helpers shared by the integration tests: sample files and a check that a reply is one the
//! agents accept (PROTOCOLS.md §1.3, §2.5, §3.5).
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use upravnik_inventory::{Encoding, Inventory, Limits, Message, Reply, Request, parse};

pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Parses a plain sample file as an agent POST without headers.
pub fn inventory_of(rel: &str) -> Inventory {
    let body = read(rel);
    let req = Request { body: &body, content_type: None, user_agent: None, agent_id: None };
    match parse(&req, Limits::default()).unwrap_or_else(|e| panic!("{rel}: {e}")).message {
        Message::Inventory(inv) => *inv,
        other => panic!("{rel}: not an inventory: {other:?}"),
    }
}

pub fn zlib(data: &[u8]) -> Vec<u8> {
    upravnik_inventory::encode(data, Encoding::Zlib).0
}

/// The reply body as the agent decodes it, after checking the label matches the bytes the way
/// each agent needs: zlib only as `78 9C` + `application/x-compress-zlib` (FI 2.6 sniffs the
/// header, GLPI Agent goes by the type), gzip as `application/x-compress-gzip`, plain as
/// `application/xml|json`.
pub fn agent_reads(reply: &Reply, expected: Encoding) -> Vec<u8> {
    match expected {
        Encoding::Zlib | Encoding::Deflate => {
            assert_eq!(reply.content_type, "application/x-compress-zlib");
            assert_eq!(&reply.body[..2], &[0x78, 0x9c], "zlib must be at the default level");
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(&reply.body[..]).read_to_end(&mut out).expect("zlib");
            out
        }
        Encoding::Gzip => {
            assert_eq!(reply.content_type, "application/x-compress-gzip");
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&reply.body[..]).read_to_end(&mut out).expect("gzip");
            out
        }
        Encoding::Plain => {
            let first = reply.body.iter().find(|b| !b.is_ascii_whitespace()).copied();
            match first {
                Some(b'<') => assert_eq!(reply.content_type, "application/xml"),
                Some(b'{') => assert_eq!(reply.content_type, "application/json"),
                _ => panic!("plain reply neither XML nor JSON"),
            }
            reply.body.clone()
        }
    }
}

/// A legacy reply: well-formed XML whose root is `REPLY` (FI fails on anything else).
pub fn reply_root(xml: &[u8]) -> roxmltree::Document<'_> {
    let text = std::str::from_utf8(xml).expect("utf-8");
    let doc = roxmltree::Document::parse(text).expect("well-formed reply");
    assert_eq!(doc.root_element().tag_name().name(), "REPLY");
    doc
}

pub fn xml_child<'a>(doc: &'a roxmltree::Document<'_>, name: &str) -> Option<&'a str> {
    doc.root_element().children().find(|c| c.has_tag_name(name)).and_then(|c| c.text())
}

/// A GLPI JSON answer as the agent validates it: an object with a non-empty `status`.
pub fn glpi_json(body: &[u8]) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(body).expect("JSON reply");
    assert!(v["status"].as_str().is_some_and(|s| !s.is_empty()), "status missing: {v}");
    v
}

/// A raw deflate stream of `len` zero bytes built by hand (one literal, then length-258
/// distance-1 matches in a fixed-Huffman block): a 200 MB bomb in ≈ 1.3 MB without spending
/// seconds compressing it.
pub fn zero_deflate(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, bits: u32) {
            self.acc |= value << self.n;
            self.n += bits;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u64, bits: u32) {
            let mut rev = 0;
            for i in 0..bits {
                rev |= ((code >> i) & 1) << (bits - 1 - i);
            }
            self.put(rev, bits);
        }
    }
    let mut b = Bits { out: Vec::with_capacity(len / 150), acc: 0, n: 0 };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    let mut left = len - 1;
    while left >= 258 {
        b.code(0xC5, 8); // length 258 (symbol 285)
        b.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    b.put(0, 7);
    b.out
}

/// zlib framing around [`zero_deflate`], with the right Adler-32 (all zeros: a = 1, b = n).
pub fn zero_zlib(len: usize) -> Vec<u8> {
    let mut out = vec![0x78, 0x9c];
    out.extend(zero_deflate(len));
    let b = (len % 65521) as u32;
    out.extend(((b << 16) | 1).to_be_bytes());
    out
}
