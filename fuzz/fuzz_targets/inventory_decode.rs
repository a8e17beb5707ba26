//! Any bytes as a compressed request body, under every Content-Type agents send: decoded within
//! the cap or refused, and what decodes re-encodes to the same document.
#![no_main]
use libfuzzer_sys::fuzz_target;
use upravnik_inventory::{Encoding, ProtocolError, decode, encode};

const TYPES: [Option<&str>; 6] = [
    None,
    Some("application/x-compress-zlib"),
    Some("application/x-compress"),
    Some("application/x-compress-gzip"),
    Some("application/x-compress-deflate"),
    Some("application/json"),
];
const CAP: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let ct = TYPES[usize::from(selector) % TYPES.len()];
    match decode(body, ct, CAP) {
        Ok((doc, enc)) => {
            assert!(doc.len() <= CAP);
            let (again, _) = encode(&doc, enc);
            if enc == Encoding::Zlib || enc == Encoding::Deflate {
                assert_eq!(&again[..2], &[0x78, 0x9c]);
            }
            let round = decode(&again, ct, CAP);
            // A plain document that is not text (a deflate stream of binary) cannot come back
            // as "plain"; every compressed one must.
            if enc != Encoding::Plain && !doc.is_empty() {
                assert_eq!(round.map(|(d, _)| d), Ok(doc));
            }
        }
        Err(e) => assert!(matches!(e.status(), 400 | 413), "{e:?}"),
    }
});
