//! Request bodies: zlib in almost every case, sometimes gzip, raw deflate or plain text
//! (PROTOCOLS.md §1.2), and replies in the encoding the request used (§1.3).

use std::io::{Read, Write};

use flate2::{Decompress, FlushDecompress, Status};

use crate::protocol::ProtocolError;

/// How a request body was (and its reply must be) encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// RFC 1950, `78 xx`: what every agent sends by default.
    Zlib,
    /// RFC 1952, `1F 8B`: agents without Compress::Zlib.
    Gzip,
    /// RFC 1951 without a header; only when the Content-Type says so. Answered as zlib.
    Deflate,
    /// `--no-compression`.
    Plain,
}

const CHUNK: usize = 64 * 1024;

/// Decodes a request body, never holding more than `max_decoded` bytes of output.
///
/// Magic bytes are trusted before the Content-Type: the OCS agent labels zlib, gzip and plain
/// bodies alike `application/x-compress`. Raw deflate is only tried when the type names it,
/// because arbitrary text sometimes "inflates" without error.
pub fn decode(body: &[u8], content_type: Option<&str>, max_decoded: usize) -> Result<(Vec<u8>, Encoding), ProtocolError> {
    if body.is_empty() {
        return Err(ProtocolError::BadEncoding("empty body".into()));
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if body.len() >= 2 && body[0] == 0x1f && body[1] == 0x8b {
        return gunzip(body, max_decoded).map(|d| (d, Encoding::Gzip));
    }
    if body.len() >= 2 && is_zlib_header(body[0], body[1]) {
        return inflate(body, true, max_decoded).map(|d| (d, Encoding::Zlib));
    }
    if ct.contains("deflate") {
        return inflate(body, false, max_decoded).map(|d| (d, Encoding::Deflate));
    }
    if ct.contains("x-br") || ct.contains("compress-br") {
        return Err(ProtocolError::BadEncoding("brotli bodies are not supported".into()));
    }
    match first_non_blank(body) {
        Some(b'<') | Some(b'{') => {
            if body.len() > max_decoded {
                Err(ProtocolError::TooLarge { limit: max_decoded })
            } else {
                Ok((body.to_vec(), Encoding::Plain))
            }
        }
        _ => Err(ProtocolError::BadEncoding("the body is neither zlib, gzip nor XML/JSON text".into())),
    }
}

/// RFC 1950: deflate with a 32 KB window (`78`), and the check bits making the pair a multiple of 31.
pub(crate) fn is_zlib_header(b0: u8, b1: u8) -> bool {
    b0 == 0x78 && (u16::from(b0) * 256 + u16::from(b1)).is_multiple_of(31)
}

/// The first byte that is not whitespace, after an optional UTF-8 byte-order mark.
pub(crate) fn first_non_blank(data: &[u8]) -> Option<u8> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    data.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Appends `more` to `out` without letting the allocation outgrow `max`.
fn push_capped(out: &mut Vec<u8>, more: &[u8], max: usize) -> Result<(), ProtocolError> {
    let needed = out.len() + more.len();
    if needed > max {
        return Err(ProtocolError::TooLarge { limit: max });
    }
    if needed > out.capacity() {
        let target = needed.max(out.capacity().saturating_mul(2)).min(max);
        out.reserve_exact(target - out.len());
    }
    out.extend_from_slice(more);
    Ok(())
}

/// Inflates a whole zlib (or raw deflate) stream held in memory. The low-level API tells a
/// finished stream from a truncated one, which the `Read` adapters do not always do.
fn inflate(input: &[u8], zlib: bool, max: usize) -> Result<Vec<u8>, ProtocolError> {
    let mut d = Decompress::new(zlib);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let (in_before, out_before) = (d.total_in(), d.total_out());
        let rest = input.get(usize::try_from(in_before).unwrap_or(usize::MAX)..).unwrap_or(&[]);
        let status = d
            .decompress(rest, &mut chunk, FlushDecompress::None)
            .map_err(|e| ProtocolError::BadEncoding(format!("corrupt compressed body: {e}")))?;
        let produced = usize::try_from(d.total_out() - out_before).unwrap_or(usize::MAX);
        push_capped(&mut out, chunk.get(..produced).unwrap_or(&[]), max)?;
        match status {
            Status::StreamEnd => return Ok(out),
            Status::Ok | Status::BufError => {
                if d.total_in() == in_before && produced == 0 {
                    return Err(ProtocolError::BadEncoding("truncated compressed body".into()));
                }
            }
        }
    }
}

fn gunzip(input: &[u8], max: usize) -> Result<Vec<u8>, ProtocolError> {
    let mut reader = flate2::read::MultiGzDecoder::new(input);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = reader.read(&mut chunk).map_err(|e| ProtocolError::BadEncoding(format!("corrupt gzip body: {e}")))?;
        if n == 0 {
            return Ok(out);
        }
        push_capped(&mut out, chunk.get(..n).unwrap_or(&[]), max)?;
    }
}

/// Encodes a reply payload the way the request was encoded, and names its Content-Type.
///
/// zlib is written at the default level, whose stream starts `78 9C`: FusionInventory 2.6
/// recognises no other header. Deflate requests are answered in zlib, as GLPI does.
pub fn encode(payload: &[u8], enc: Encoding) -> (Vec<u8>, &'static str) {
    let compressed = match enc {
        Encoding::Zlib | Encoding::Deflate => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(payload).and_then(|()| e.finish()).map(|b| (b, "application/x-compress-zlib"))
        }
        Encoding::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(payload).and_then(|()| e.finish()).map(|b| (b, "application/x-compress-gzip"))
        }
        Encoding::Plain => return (payload.to_vec(), plain_type(payload)),
    };
    // Writing into a Vec cannot fail; should it ever, a plain answer is still one most agents read.
    compressed.unwrap_or_else(|_| (payload.to_vec(), plain_type(payload)))
}

fn plain_type(payload: &[u8]) -> &'static str {
    if first_non_blank(payload) == Some(b'{') { "application/json" } else { "application/xml" }
}
