//! Taking an SD-JWT apart: the compact form `<JWT>~<disclosure>~…~[<KB-JWT>]` and the JWS
//! JSON serialization of RFC 9901 §8 (flattened and general), framing only.

use serde_json::{Map, Value};

use crate::error::{Malformed, Part};
use crate::json;
use crate::token::compact::check_characters;

/// The most disclosures one SD-JWT may carry. Far above any credential (the largest examples
/// hold a few dozen), low enough that a `~~~~…` run of 16 MiB is refused at once rather than
/// turned into millions of empty disclosures.
pub const MAX_DISCLOSURES: usize = 10_000;

/// How the SD-JWT was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Serialization {
    /// `<JWT>~<disclosure>~…~[<KB-JWT>]`.
    Compact,
    /// The flattened JWS JSON serialization (RFC 9901 §8.2).
    Flattened,
    /// The general JWS JSON serialization (RFC 9901 §8.3): its first signature is the one read.
    General,
}

/// An SD-JWT taken apart, nothing verified or decoded yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdJwt {
    /// The presentation up to and including its last `~`: the issuer JWT and the disclosures,
    /// each followed by `~`. This is what a KB-JWT's `sd_hash` covers (for the JSON
    /// serialization, built from its members as RFC 9901 §8.1 says).
    pub presented: String,
    /// The length of the issuer JWT at the start of `presented`.
    issuer_len: usize,
    /// Where each disclosure lies in `presented`, in order.
    spans: Vec<(usize, usize)>,
    /// The KB-JWT, when there is one.
    pub kb_jwt: Option<String>,
    /// How it was written.
    pub serialization: Serialization,
}

impl SdJwt {
    /// The issuer-signed JWT, in compact form.
    pub fn issuer_jwt(&self) -> &str {
        &self.presented[..self.issuer_len]
    }

    /// The disclosures as given (base64url text), in order; an empty one (`~~`) is kept.
    pub fn disclosures(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(start, end)| &self.presented[start..end])
    }

    /// How many disclosures it carries.
    pub fn disclosure_count(&self) -> usize {
        self.spans.len()
    }

    /// The whole presentation in compact form (with the KB-JWT).
    pub fn compact(&self) -> String {
        let mut out = self.presented.clone();
        if let Some(kb) = &self.kb_jwt {
            out.push_str(kb);
        }
        out
    }

    /// Take an SD-JWT apart: the compact form, or (starting with `{`) the JWS JSON
    /// serialization. A compact token without `~` is not an SD-JWT.
    pub fn parse(token: &[u8]) -> Result<Self, Malformed> {
        if token.first() == Some(&b'{') {
            return parse_json(token);
        }
        parse_compact(token)
    }
}

/// Whether `token` (a token as found in the input) has the shape of an SD-JWT rather than a
/// plain JWS: a `~` in the compact form, or a JSON serialization whose unprotected header
/// holds `disclosures` or `kb_jwt`. Cheap: the JSON is not parsed unless it starts with `{`.
pub fn looks_like(token: &[u8]) -> bool {
    if token.first() == Some(&b'{') {
        return memchr::memmem::find(token, b"\"disclosures\"").is_some()
            || memchr::memmem::find(token, b"\"kb_jwt\"").is_some();
    }
    memchr::memchr(b'~', token).is_some()
}

fn fault(message: impl Into<String>) -> Malformed {
    Malformed::new(Part::Token, message)
}

fn parse_compact(token: &[u8]) -> Result<SdJwt, Malformed> {
    let Some(first) = memchr::memchr(b'~', token) else {
        return Err(fault("no '~': this is not an SD-JWT"));
    };
    let last = memchr::memrchr(b'~', token).unwrap_or(first);
    let tildes = memchr::memchr_iter(b'~', token).count();
    if tildes - 1 > MAX_DISCLOSURES {
        return Err(fault(format!(
            "{} disclosures: jwtk reads at most {MAX_DISCLOSURES}",
            tildes - 1
        )));
    }
    // Every part holds base64url characters and dots only (what each part may hold beyond
    // that is for its own parser to say).
    for (index, part) in token.split(|&b| b == b'~').enumerate() {
        let parts: &[Part] = if index == 0 {
            &[Part::Header, Part::Claims, Part::Signature]
        } else {
            &[Part::Token]
        };
        check_characters(part, parts).map_err(|err| match index {
            0 => Malformed::new(err.part, format!("the issuer JWT: {}", err.fault)),
            _ => fault(format!("after '~' number {index}: {}", err.fault)),
        })?;
    }
    // All ASCII now.
    let text = std::str::from_utf8(token).map_err(|_| fault("not ASCII text"))?;
    let kb = &text[last + 1..];
    let kb_jwt = match kb.bytes().filter(|&b| b == b'.').count() {
        _ if kb.is_empty() => None,
        2 => Some(kb.to_string()),
        0 => {
            return Err(fault(
                "an SD-JWT ends with '~' (or with a KB-JWT): its last part is neither",
            ));
        }
        n => {
            return Err(fault(format!(
                "the KB-JWT after the last '~' has {} segments where a JWT has 3",
                n + 1
            )));
        }
    };
    let presented = text[..=last].to_string();
    let mut spans = Vec::with_capacity(tildes - 1);
    let mut start = first + 1;
    for end in memchr::memchr_iter(b'~', &token[first + 1..=last]) {
        let end = first + 1 + end;
        spans.push((start, end));
        start = end + 1;
    }
    Ok(SdJwt {
        presented,
        issuer_len: first,
        spans,
        kb_jwt,
        serialization: Serialization::Compact,
    })
}

/// RFC 9901 §8: `payload`, `protected` and `signature` (flattened) or `signatures` (general,
/// whose first entry carries `disclosures` and `kb_jwt`), turned into the compact form the
/// rest of jwtk reads and `sd_hash` covers.
fn parse_json(token: &[u8]) -> Result<SdJwt, Malformed> {
    let object =
        json::parse_object(token).map_err(|err| fault(format!("JSON serialization: {err}")))?;
    if object.contains_key("disclosures") || object.contains_key("kb_jwt") {
        return Err(fault(
            "JSON serialization with disclosures or kb_jwt at the top level (an SD-JWT draft's layout): RFC 9901 §8 puts them in the unprotected header",
        ));
    }
    let payload = string_member(&object, "payload", "the JSON serialization")?;
    let (signature, serialization) = match object.get("signatures") {
        Some(Value::Array(signatures)) => {
            let first = match signatures.first() {
                Some(Value::Object(first)) => first,
                _ => return Err(fault("JSON serialization: signatures holds no object")),
            };
            for later in &signatures[1..] {
                let header = later.get("header").and_then(Value::as_object);
                if header.is_some_and(|h| h.contains_key("disclosures") || h.contains_key("kb_jwt"))
                {
                    return Err(fault(
                        "JSON serialization: disclosures and kb_jwt belong in the first signature's header only (RFC 9901 §8.3)",
                    ));
                }
            }
            (first, Serialization::General)
        }
        Some(_) => return Err(fault("JSON serialization: signatures is not an array")),
        None => (&object, Serialization::Flattened),
    };
    let protected = string_member(signature, "protected", "the JSON serialization")?;
    let sig = string_member(signature, "signature", "the JSON serialization")?;
    let header = match signature.get("header") {
        Some(Value::Object(header)) => Some(header),
        None => None,
        Some(_) => return Err(fault("JSON serialization: header is not an object")),
    };
    let disclosures: Vec<&str> = match header.and_then(|h| h.get("disclosures")) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .ok_or_else(|| fault("JSON serialization: a disclosure is not a string"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(fault("JSON serialization: disclosures is not an array")),
    };
    let kb_jwt = match header.and_then(|h| h.get("kb_jwt")) {
        None => None,
        Some(Value::String(kb)) => Some(kb.clone()),
        Some(_) => return Err(fault("JSON serialization: kb_jwt is not a string")),
    };
    let mut compact = format!("{protected}.{payload}.{sig}~");
    for disclosure in &disclosures {
        if disclosure.contains('~') {
            return Err(fault("JSON serialization: a disclosure holds '~'"));
        }
        compact.push_str(disclosure);
        compact.push('~');
    }
    if let Some(kb) = &kb_jwt {
        if kb.contains('~') || kb.is_empty() {
            return Err(fault("JSON serialization: kb_jwt is not a JWT"));
        }
        compact.push_str(kb);
    }
    let mut parsed = parse_compact(compact.as_bytes())?;
    parsed.serialization = serialization;
    Ok(parsed)
}

fn string_member<'m>(
    object: &'m Map<String, Value>,
    name: &str,
    what: &str,
) -> Result<&'m str, Malformed> {
    match object.get(name) {
        Some(Value::String(text)) => Ok(text),
        Some(other) => Err(fault(format!(
            "{what}: {name} is {}, not a string",
            json::kind_of(other)
        ))),
        None => Err(fault(format!("{what} has no {name}"))),
    }
}
