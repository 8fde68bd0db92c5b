//! The compact JWS form: splitting a token (found by [`paste`](crate::token::paste)) into its
//! three segments with strict base64url, and decoding header and claims without trusting them.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::error::{Error, Malformed, Part, Result};
use crate::json::{self, JsonError};

/// The largest token accepted: 16 MiB (the contract's cap, per token or per `--batch` line).
pub const MAX_TOKEN_BYTES: u64 = 16 * 1024 * 1024;

/// Read one token's worth of input from `reader`, refusing more than [`MAX_TOKEN_BYTES`] of
/// token (a little slack is allowed for a `Authorization: Bearer` prefix and whitespace).
///
/// Past the cap the rest is drained and counted, never stored, so the refusal names the size.
pub fn read_input(mut reader: impl Read) -> Result<Vec<u8>> {
    const SLACK: u64 = 4096;
    let mut buf = Vec::new();
    let limit = MAX_TOKEN_BYTES + SLACK;
    let read = reader
        .by_ref()
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(stdin_error)?;
    if read as u64 > limit {
        let rest = std::io::copy(&mut reader, &mut std::io::sink()).map_err(stdin_error)?;
        return Err(Error::TooLarge {
            size: read as u64 + rest,
            limit: MAX_TOKEN_BYTES,
        });
    }
    Ok(buf)
}

fn stdin_error(source: std::io::Error) -> Error {
    Error::File {
        path: "<stdin>".into(),
        io: source,
    }
}

/// The three base64url segments of a compact JWS, checked for syntax only.
#[derive(Debug, Clone, Copy)]
pub struct Segments<'a> {
    /// The encoded header.
    pub header: &'a str,
    /// The encoded payload.
    pub claims: &'a str,
    /// The encoded signature.
    pub signature: &'a str,
}

impl<'a> Segments<'a> {
    /// Split a compact token into its segments. Only base64url characters and exactly two dots
    /// are allowed; JWE (five segments) and JSON serialization are named as such.
    pub fn split(token: &'a [u8]) -> Result<Self, Malformed> {
        if token.first() == Some(&b'{') {
            return Err(Malformed::new(
                Part::Token,
                "this is the JSON serialization of a JWS; jwtk reads the compact form only",
            ));
        }
        check_characters(token, &[Part::Header, Part::Claims, Part::Signature])?;
        // All ASCII now, so this cannot fail.
        let text = std::str::from_utf8(token)
            .map_err(|_| Malformed::new(Part::Token, "not ASCII text"))?;
        let mut dots = memchr::memchr_iter(b'.', token);
        match (dots.next(), dots.next(), dots.next()) {
            (Some(first), Some(second), None) => Ok(Segments {
                header: &text[..first],
                claims: &text[first + 1..second],
                signature: &text[second + 1..],
            }),
            _ => Err(Malformed::new(
                Part::Token,
                segment_count_fault(memchr::memchr_iter(b'.', token).count() + 1),
            )),
        }
    }

    /// The signing input: `header.claims`, exactly the bytes the signature covers.
    pub fn signing_input(&self, token: &'a str) -> &'a str {
        &token[..self.header.len() + 1 + self.claims.len()]
    }
}

fn segment_count_fault(count: usize) -> String {
    match count {
        5 => "5 segments: this is an encrypted token (JWE); `jwtk decrypt` opens it".into(),
        1 => "no dots: a JWT has three base64url segments, header.claims.signature".into(),
        n => format!("{n} segments where a JWT has 3 (header.claims.signature)"),
    }
}

/// Only base64url characters and dots; a fault names the part (`parts`, in order) it is in.
pub fn check_characters(token: &[u8], parts: &[Part]) -> Result<(), Malformed> {
    // The common case: nothing to report. Checked in blocks without stopping early, with
    // comparisons rather than a table, so that the compiler tests many bytes at once.
    let fine = |block: &[u8]| block.iter().fold(true, |ok, &b| ok & is_token_byte(b));
    if token.chunks(64).all(fine) {
        return Ok(());
    }
    let mut part = 0;
    for (offset, &byte) in token.iter().enumerate() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => {}
            b'.' => part += 1,
            _ => {
                let part = parts.get(part).copied();
                let why = match byte {
                    b' ' | b'\t' | b'\r' | b'\n' => {
                        ": a token holds none (two tokens on one line, or one broken in two?)"
                    }
                    _ => "",
                };
                return Err(Malformed::new(
                    part.unwrap_or(Part::Token),
                    format!(
                        "{} at offset {offset}{why}; {}",
                        describe_byte(byte),
                        CHARSET
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A byte a compact token may hold: a base64url character or a dot.
fn is_token_byte(b: u8) -> bool {
    // `| 0x20` maps A-Z onto a-z and nothing else onto a-z.
    ((b | 0x20).wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'0') < 10)
        | (b == b'-')
        | (b == b'_')
        | (b == b'.')
}

const CHARSET: &str = "only base64url characters (A-Z a-z 0-9 - _) are allowed, without padding";

fn describe_byte(byte: u8) -> String {
    match byte {
        b'=' => "padding '='".into(),
        b'+' | b'/' => format!("'{}' (standard base64, not base64url)", byte as char),
        b' ' | b'\t' | b'\r' | b'\n' => "whitespace".into(),
        0x21..=0x7e => format!("character '{}'", byte as char),
        0x80.. => "a non-ASCII byte".into(),
        _ => format!("control byte 0x{byte:02x}"),
    }
}

/// Decode one base64url segment strictly: no padding, canonical trailing bits.
pub fn decode_segment(part: Part, segment: &str) -> Result<Vec<u8>, Malformed> {
    URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|err| base64_fault(part, segment, err))
}

/// [`decode_segment`] into `buf` when it is large enough (a signature: `verify --batch` decodes
/// one per token), else into a new `Vec` kept in `spill`.
pub fn decode_segment_into<'b>(
    part: Part,
    segment: &str,
    buf: &'b mut [u8],
    spill: &'b mut Vec<u8>,
) -> Result<&'b [u8], Malformed> {
    if segment.len() / 4 * 3 + 3 > buf.len() {
        *spill = decode_segment(part, segment)?;
        return Ok(spill);
    }
    match URL_SAFE_NO_PAD.decode_slice(segment, buf) {
        Ok(len) => Ok(&buf[..len]),
        Err(base64::DecodeSliceError::DecodeError(err)) => Err(base64_fault(part, segment, err)),
        // Sized above: cannot happen, but never a panic.
        Err(base64::DecodeSliceError::OutputSliceTooSmall) => {
            *spill = decode_segment(part, segment)?;
            Ok(spill)
        }
    }
}

fn base64_fault(part: Part, segment: &str, err: base64::DecodeError) -> Malformed {
    let fault = match err {
        base64::DecodeError::InvalidLastSymbol { .. } => {
            "invalid base64url: the last character has non-zero unused bits".to_string()
        }
        base64::DecodeError::InvalidLength(_) => {
            format!(
                "invalid base64url: a length of {} is impossible",
                crate::text::count(segment.len(), "character")
            )
        }
        other => format!("invalid base64url ({other})"),
    };
    Malformed::new(part, fault)
}

/// Parse a decoded segment as a JSON object, naming `part` in any fault.
pub fn parse_object(part: Part, bytes: &[u8]) -> Result<Map<String, Value>, Malformed> {
    json::parse_object(bytes).map_err(|err| refusal(part, bytes, err))
}

/// [`parse_object`]'s checks and faults, the members read in place as [`Members`](crate::token::Members)
/// instead of built into a `Map`.
pub fn scan_object(part: Part, bytes: &[u8]) -> Result<json::Members<'_>, Malformed> {
    json::scan_object(bytes).map_err(|err| refusal(part, bytes, err))
}

fn refusal(part: Part, bytes: &[u8], err: JsonError) -> Malformed {
    let fault = match err {
        JsonError::NotObject(kind) if part == Part::Claims => {
            format!("the payload is {kind}, not a JSON object, so this JWS is not a JWT")
        }
        JsonError::Syntax(_) if part == Part::Claims && is_text_not_json(bytes) => {
            "the payload is text, not a JSON object, so this JWS is not a JWT".to_string()
        }
        other => other.to_string(),
    };
    Malformed::new(part, fault)
}

/// UTF-8 that does not even begin like JSON (an object or an array): a text payload.
fn is_text_not_json(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok()
        && !bytes.trim_ascii_start().starts_with(b"{")
        && !bytes.trim_ascii_start().starts_with(b"[")
}

/// Encoded sizes of a token's parts, in bytes: `header + claims + signature + 2 = total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PartSizes {
    /// The whole compact token.
    pub total: usize,
    /// The encoded header.
    pub header: usize,
    /// The encoded payload.
    pub claims: usize,
    /// The encoded signature.
    pub signature: usize,
}

/// A compact JWS taken apart but not verified: the header is a JSON object; the payload is
/// kept as bytes, because a JWS whose payload is not a JSON object is still a JWS.
#[derive(Debug, Clone)]
pub struct Jws<'a> {
    /// The compact token as given.
    pub compact: &'a str,
    /// Its three encoded segments.
    pub segments: Segments<'a>,
    /// The protected header, members in their original order.
    pub header: Map<String, Value>,
    /// The decoded header: the JSON text `header` was parsed from.
    pub header_json: Vec<u8>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

impl<'a> Jws<'a> {
    /// Split and decode a compact token. Header faults and encoding faults in any segment are
    /// errors; whether the payload is a claims set is for [`Jws::claims`] to say.
    pub fn parse(token: &'a [u8]) -> Result<Self, Malformed> {
        let segments = Segments::split(token)?;
        let header_bytes = decode_segment(Part::Header, segments.header)?;
        let header = parse_object(Part::Header, &header_bytes)?;
        let payload = decode_segment(Part::Claims, segments.claims)?;
        let signature = decode_segment(Part::Signature, segments.signature)?;
        let compact =
            std::str::from_utf8(token).map_err(|_| Malformed::new(Part::Token, "not ASCII"))?;
        Ok(Jws {
            compact,
            segments,
            header,
            header_json: header_bytes,
            payload,
            signature,
        })
    }

    /// The claims set: the payload read as a JSON object with unique names.
    pub fn claims(&self) -> Result<Map<String, Value>, Malformed> {
        parse_object(Part::Claims, &self.payload)
    }

    /// The header's `alg`, when it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The encoded length of each part.
    pub fn sizes(&self) -> PartSizes {
        PartSizes {
            total: self.compact.len(),
            header: self.segments.header.len(),
            claims: self.segments.claims.len(),
            signature: self.segments.signature.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Into a buffer or spilled, a segment decodes as `decode_segment` decodes it, faults
        /// included (lengths around the 1024-byte buffer, invalid characters and endings).
        #[test]
        fn decoding_into_a_buffer_agrees(segment in "[A-Za-z0-9_=+-]{0,8}|[A-Za-z0-9_-]{1360,1370}") {
            let mut buf = [0u8; 1024];
            let mut spill = Vec::new();
            let into = decode_segment_into(Part::Signature, &segment, &mut buf, &mut spill)
                .map(<[u8]>::to_vec);
            proptest::prop_assert_eq!(into, decode_segment(Part::Signature, &segment));
        }
    }

    const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn splits_and_names_faults() {
        let jws = Jws::parse(A1.as_bytes()).unwrap();
        assert_eq!(jws.alg(), Some("HS256"));
        assert_eq!(jws.header.keys().collect::<Vec<_>>(), ["typ", "alg"]);
        let sizes = jws.sizes();
        assert_eq!(
            sizes.header + sizes.claims + sizes.signature + 2,
            sizes.total
        );

        let err = Segments::split(b"a.b").unwrap_err();
        assert_eq!(err.part, Part::Token);
        let err = Segments::split(b"a.b=.c").unwrap_err();
        assert_eq!(
            (err.part, err.fault.starts_with("padding")),
            (Part::Claims, true)
        );
        let err = Segments::split(b"a.b.c+d").unwrap_err();
        assert_eq!(err.part, Part::Signature);
        assert!(
            Segments::split(b"a.b.c.d.e")
                .unwrap_err()
                .fault
                .contains("JWE")
        );
    }

    #[test]
    fn token_bytes_are_base64url_and_dots() {
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || b"-_.".contains(&b);
            assert_eq!(is_token_byte(b), expected, "{b:#x}");
        }
    }

    #[test]
    fn base64url_is_strict() {
        // "eyJ9" would be '{"}'; "eyK" has non-zero trailing bits where "eyI" does not.
        assert!(decode_segment(Part::Header, "eyI").is_ok());
        assert!(
            decode_segment(Part::Header, "eyJ")
                .unwrap_err()
                .fault
                .contains("unused bits")
        );
        assert!(
            decode_segment(Part::Header, "e")
                .unwrap_err()
                .fault
                .contains("length")
        );
    }

    #[test]
    fn refuses_more_than_the_cap_and_counts_it() {
        let big = vec![b'a'; (MAX_TOKEN_BYTES + 10_000) as usize];
        match read_input(big.as_slice()) {
            Err(Error::TooLarge { size, .. }) => assert_eq!(size, MAX_TOKEN_BYTES + 10_000),
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
}
