//! SD-JWT (RFC 9901): selective-disclosure tokens. Taking one apart (`<JWT>~<disclosure>~…~`
//! with an optional KB-JWT at the end, or the JWS JSON serialization of §8, flattened and
//! general), applying its disclosures as §7.1 says (`disclose`), and checking its key binding
//! (`kb`).
//!
//! Parsing checks only the framing: which part is the issuer JWT, which are disclosures, which
//! is the KB-JWT. What a disclosure holds is judged when the disclosures are processed, after
//! the issuer's signature (a broken disclosure is `sd_invalid`, not `malformed`).

pub mod disclose;
pub mod issue;
pub mod kb;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::error::{Malformed, Part};
use crate::json;
use crate::token::compact::{Jws, PartSizes, check_characters};

pub use disclose::{Disclosed, Disclosure, Processed, SdError, process};
pub use kb::{KbPolicy, KbProblem};

/// The most disclosures one SD-JWT may carry. Far above any credential (the largest examples
/// hold a few dozen), low enough that a `~~~~…` run of 16 MiB is refused at once rather than
/// turned into millions of empty disclosures.
pub const MAX_DISCLOSURES: usize = 10_000;

/// The header `typ` of a KB-JWT.
pub const KB_TYP: &str = "kb+jwt";

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

/// An SD-JWT read as `decode` reads it: nothing verified, every disclosure applied.
#[derive(Debug, Clone)]
pub struct Inspected {
    /// The SD-JWT taken apart.
    pub sd: SdJwt,
    /// The issuer JWT's header.
    pub header: Map<String, Value>,
    /// The issuer JWT's claims as signed.
    pub claims: Map<String, Value>,
    /// The issuer JWT's encoded signature.
    pub signature: String,
    /// The hash function of `_sd_alg`.
    pub alg: SdAlg,
    /// The disclosures applied.
    pub processed: Processed,
    /// The KB-JWT's header and claims, when there is one.
    pub kb: Option<(Map<String, Value>, Map<String, Value>)>,
    /// Sizes: the whole presentation, and the issuer JWT's parts.
    pub sizes: PartSizes,
}

/// Read an SD-JWT without verifying anything: its issuer JWT decoded, its disclosures applied
/// by RFC 9901 §7.1 (a violation is a fault naming the disclosure), its KB-JWT decoded.
pub fn inspect(token: &[u8]) -> Result<Inspected, Malformed> {
    let sd = SdJwt::parse(token)?;
    let issuer = Jws::parse(sd.issuer_jwt().as_bytes())
        .map_err(|err| Malformed::new(err.part, format!("the issuer JWT: {}", err.fault)))?;
    let claims = issuer.claims()?;
    let alg = SdAlg::of(&claims).map_err(|why| Malformed::new(Part::Claims, why))?;
    let disclosures: Vec<&str> = sd.disclosures().collect();
    let processed = process(&claims, &disclosures, alg)
        .map_err(|err| Malformed::new(Part::Token, format!("{err} (RFC 9901 §7.1)")))?;
    let kb = match &sd.kb_jwt {
        None => None,
        Some(kb) => {
            let kb_fault =
                |err: Malformed| fault(format!("the KB-JWT's {}: {}", err.part.name(), err.fault));
            let jws = Jws::parse(kb.as_bytes()).map_err(kb_fault)?;
            let kb_claims = jws.claims().map_err(kb_fault)?;
            Some((jws.header, kb_claims))
        }
    };
    let mut sizes = issuer.sizes();
    sizes.total = token.len();
    let (header, signature) = (issuer.header, issuer.segments.signature.to_string());
    Ok(Inspected {
        sd,
        header,
        claims,
        signature,
        alg,
        processed,
        kb,
        sizes,
    })
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

/// The hash function of `_sd_alg` (RFC 9901 §4.1.1): the digests of disclosures and the
/// KB-JWT's `sd_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdAlg {
    /// `sha-256`, the default when `_sd_alg` is absent.
    Sha256,
    /// `sha-384`.
    Sha384,
    /// `sha-512`.
    Sha512,
}

impl std::str::FromStr for SdAlg {
    type Err = String;

    /// `sha-256`, `sha-384` or `sha-512`, spelled exactly so.
    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "sha-256" => Ok(SdAlg::Sha256),
            "sha-384" => Ok(SdAlg::Sha384),
            "sha-512" => Ok(SdAlg::Sha512),
            other => Err(format!(
                "{:?} is not sha-256, sha-384 or sha-512",
                crate::text::cut(other)
            )),
        }
    }
}

impl SdAlg {
    /// The algorithm named by the claims' `_sd_alg` (`sha-256` when absent); another name,
    /// or a value that is not a string, is unsupported (the message says which).
    pub fn of(claims: &Map<String, Value>) -> Result<Self, String> {
        match claims.get("_sd_alg") {
            None => Ok(SdAlg::Sha256),
            Some(Value::String(name)) => name.parse().map_err(|_| {
                format!(
                    "_sd_alg {:?} is not one jwtk knows (sha-256, sha-384, sha-512)",
                    crate::text::cut(name)
                )
            }),
            Some(other) => Err(format!("_sd_alg is {}, not a string", json::kind_of(other))),
        }
    }

    /// The IANA name (`sha-256`, …).
    pub fn name(self) -> &'static str {
        match self {
            SdAlg::Sha256 => "sha-256",
            SdAlg::Sha384 => "sha-384",
            SdAlg::Sha512 => "sha-512",
        }
    }

    /// base64url(hash(`text`'s ASCII bytes)): a disclosure's digest, or `sd_hash`.
    pub fn digest(self, text: &str) -> String {
        let alg = match self {
            SdAlg::Sha256 => &aws_lc_rs::digest::SHA256,
            SdAlg::Sha384 => &aws_lc_rs::digest::SHA384,
            SdAlg::Sha512 => &aws_lc_rs::digest::SHA512,
        };
        URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(alg, text.as_bytes()).as_ref())
    }
}

/// Whether a header `typ` names an SD-JWT VC (`dc+sd-jwt`, or the older `vc+sd-jwt`; any
/// case, with or without `application/`).
pub fn is_vc_typ(typ: &str) -> bool {
    let lower = typ.to_ascii_lowercase();
    let bare = lower.strip_prefix("application/").unwrap_or(&lower);
    bare == "dc+sd-jwt" || bare == "vc+sd-jwt"
}

/// Whether a header `typ` is `kb+jwt` (any case, with or without `application/`).
pub fn is_kb_typ(typ: &str) -> bool {
    let lower = typ.to_ascii_lowercase();
    lower.strip_prefix("application/").unwrap_or(&lower) == KB_TYP
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_5_2: &str = include_str!("../../tests/fixtures/sd-jwt/rfc9901-5.2-presentation.txt");
    const RFC_8_2: &str =
        include_str!("../../tests/fixtures/sd-jwt/rfc9901-8.2-flattened-presentation.json");
    const RFC_8_3: &str =
        include_str!("../../tests/fixtures/sd-jwt/rfc9901-8.3-general-presentation.json");

    #[test]
    fn splits_the_rfc_presentation() {
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        assert_eq!(sd.disclosure_count(), 4);
        assert!(sd.issuer_jwt().starts_with("eyJhbGciOiAiRVMyNTYi"));
        assert_eq!(sd.issuer_jwt().matches('.').count(), 2);
        assert!(sd.presented.ends_with("IlVTIl0~"));
        assert!(
            sd.kb_jwt
                .as_deref()
                .unwrap()
                .starts_with("eyJhbGciOiAiRVMyNTYiLCA")
        );
        // RFC 9901 §5.2: the KB-JWT's sd_hash is this digest of the presentation.
        assert_eq!(
            SdAlg::Sha256.digest(&sd.presented),
            "0_Af-2B-EhLWX5ydh_w2xzwmO6iM66B_2QCEanI4fUY"
        );
        assert_eq!(sd.compact(), RFC_5_2.trim());
    }

    #[test]
    fn reads_the_json_serializations() {
        let flat = SdJwt::parse(RFC_8_2.trim().as_bytes()).unwrap();
        assert_eq!(flat.serialization, Serialization::Flattened);
        assert_eq!(flat.disclosure_count(), 2);
        assert_eq!(
            SdAlg::Sha256.digest(&flat.presented),
            "VjtPsgZpQTRxKJvDpSJ-nXlZKE9Z9LgD4FyCwwoNMRw"
        );
        let general = SdJwt::parse(RFC_8_3.trim().as_bytes()).unwrap();
        assert_eq!(general.serialization, Serialization::General);
        assert_eq!(
            SdAlg::Sha256.digest(&general.presented),
            "qbyIWP3phVgxEsDRiwdw9W6BJ3dxiPLumcYpPbu4Eb8"
        );
        let misplaced = RFC_8_3.replacen(
            "\"kid\": \"issuer-key-2\"",
            "\"kid\": \"issuer-key-2\", \"kb_jwt\": \"a.b.c\"",
            1,
        );
        assert!(SdJwt::parse(misplaced.as_bytes()).is_err());
        // The layout of SD-JWT drafts (and of the Python reference 0.10): disclosures at the
        // top level are refused, not ignored.
        let draft = r#"{"payload":"e30","protected":"e30","signature":"","disclosures":["WyJzIiwiYSIsMV0"]}"#;
        let err = SdJwt::parse(draft.as_bytes()).unwrap_err();
        assert!(err.fault.contains("top level"), "{}", err.fault);
    }

    #[test]
    fn framing_faults_are_malformed() {
        let jwt = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
        let sd = SdJwt::parse(format!("{jwt}~").as_bytes()).unwrap();
        assert_eq!((sd.disclosure_count(), sd.kb_jwt), (0, None));
        let runs = SdJwt::parse(format!("{jwt}~~~~").as_bytes()).unwrap();
        assert_eq!(runs.disclosures().collect::<Vec<_>>(), ["", "", ""]);
        assert!(SdJwt::parse(format!("{jwt}~WyJhIl0").as_bytes()).is_err());
        assert!(SdJwt::parse(format!("{jwt}~a.b").as_bytes()).is_err());
        assert!(SdJwt::parse(format!("{jwt}~a=~").as_bytes()).is_err());
        assert!(SdJwt::parse(jwt.as_bytes()).is_err());
        let many = format!("{jwt}{}", "~".repeat(MAX_DISCLOSURES + 2));
        let err = SdJwt::parse(many.as_bytes()).unwrap_err();
        assert!(err.fault.contains("at most"), "{}", err.fault);
    }

    #[test]
    fn inspects_without_verifying() {
        let seen = inspect(RFC_5_2.trim().as_bytes()).unwrap();
        assert_eq!(seen.processed.disclosures.len(), 4);
        assert_eq!(seen.sizes.total, RFC_5_2.trim().len());
        let (kb_header, kb_claims) = seen.kb.unwrap();
        assert_eq!(kb_header["typ"], "kb+jwt");
        assert_eq!(kb_claims["nonce"], "1234567890");
        // A disclosure no digest references: the fault names it.
        let extra = RFC_5_2.trim().replacen(
            "~eyJhbGciOiAiRVMyNTYiLCA",
            "~WyJzIiwgIngiLCAxXQ~eyJhbGciOiAiRVMyNTYiLCA",
            1,
        );
        let err = inspect(extra.as_bytes()).unwrap_err();
        assert!(
            err.fault
                .contains(&SdAlg::Sha256.digest("WyJzIiwgIngiLCAxXQ")),
            "{}",
            err.fault
        );
    }

    proptest::proptest! {
        /// Any text after an issuer JWT — disclosures of any characters, `~` runs, a KB-JWT or
        /// not — is taken apart and processed without a panic, and what parses holds the
        /// presentation exactly.
        #[test]
        fn any_tail_is_handled(tail in "[A-Za-z0-9_~.=-]{0,200}") {
            let text = format!("{}{tail}", RFC_5_2.trim().split('~').next().unwrap_or_default());
            if let Ok(sd) = SdJwt::parse(text.as_bytes()) {
                proptest::prop_assert_eq!(sd.compact(), text.clone());
            }
            let _ = inspect(text.as_bytes());
        }
    }

    #[test]
    fn sd_alg_and_typ() {
        let claims = |v: Value| v.as_object().cloned().unwrap();
        assert_eq!(SdAlg::of(&claims(serde_json::json!({}))), Ok(SdAlg::Sha256));
        assert_eq!(
            SdAlg::of(&claims(serde_json::json!({"_sd_alg": "sha-512"}))),
            Ok(SdAlg::Sha512)
        );
        assert!(SdAlg::of(&claims(serde_json::json!({"_sd_alg": "md5"}))).is_err());
        assert!(SdAlg::of(&claims(serde_json::json!({"_sd_alg": 1}))).is_err());
        assert!(is_vc_typ("application/DC+SD-JWT") && is_vc_typ("vc+sd-jwt"));
        assert!(is_kb_typ("kb+jwt") && !is_kb_typ("jwt"));
        assert!(looks_like(b"a.b.c~") && !looks_like(b"a.b.c"));
    }
}
