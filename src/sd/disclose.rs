//! Disclosure processing (RFC 9901 §7.1): every disclosure decoded and hashed, every digest in
//! the issuer's claims (`_sd` arrays, `{"...": digest}` array elements) matched, disclosed
//! values put in their place, recursively; `_sd`, `_sd_alg` and undisclosed elements removed.
//! Every violation is an error naming the disclosure by its digest.
//!
//! Bounded for hostile input: each disclosure is decoded once and placed at most once (a
//! digest met twice is an error), so the work is linear in the size of the token; nesting
//! through disclosures is capped at [`MAX_DEPTH`] levels. Places are written out as JSON
//! pointers only where they are kept (a digest's place, a disclosure's path), within
//! [`MAX_POINTER_BYTES`].

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::json::{self, kind_of};
use crate::sd::alg::SdAlg;
use crate::text::cut;
use crate::token::compact::decode_segment;

/// How deep the claims may nest once disclosures are applied (each disclosure's own value is
/// already bounded by the JSON parser). Past it, processing stops with an error rather than
/// recursing further.
pub const MAX_DEPTH: usize = 256;

/// Why a presentation breaks RFC 9901 §7.1 (`sd_invalid`). Each names the disclosure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SdError {
    /// `~~`: a disclosure of no characters.
    #[error("disclosure {0} is empty (\"~~\")")]
    Empty(usize),
    /// Not base64url.
    #[error("disclosure {digest} is not base64url: {why}")]
    NotBase64 {
        /// The disclosure's digest.
        digest: String,
        /// What the decoder said.
        why: String,
    },
    /// Not a JSON array of `[salt, name, value]` or `[salt, value]`.
    #[error("disclosure {digest} is {why}, not a JSON array [salt, name, value] or [salt, value]")]
    Shape {
        /// The disclosure's digest.
        digest: String,
        /// What it is instead.
        why: String,
    },
    /// The same disclosure twice in one presentation.
    #[error("disclosure {0} is given twice")]
    Repeated(String),
    /// A digest that appears more than once in the claims (decoys included).
    #[error("digest {digest} appears more than once (at {first} and at {again})")]
    DigestTwice {
        /// The digest.
        digest: String,
        /// The JSON pointer of its first place.
        first: String,
        /// The JSON pointer of the second.
        again: String,
    },
    /// A disclosure no digest references.
    #[error("disclosure {0} is referenced by no digest in the issuer JWT or another disclosure")]
    Unreferenced(String),
    /// A name/value disclosure referenced from an array, or an array element from `_sd`.
    #[error("disclosure {digest} is {is}, but its digest is at {path}, where {expected} belongs")]
    WrongKind {
        /// The disclosure's digest.
        digest: String,
        /// "an object member" or "an array element".
        is: &'static str,
        /// What the place of its digest takes.
        expected: &'static str,
        /// Where the digest is.
        path: String,
    },
    /// A disclosed name that is `_sd` or `...`.
    #[error("disclosure {digest} discloses the reserved name {name:?}")]
    Reserved {
        /// The disclosure's digest.
        digest: String,
        /// The name.
        name: String,
    },
    /// A disclosed name already present at that level.
    #[error("disclosure {digest} discloses {name:?} at {path}, where that name already exists")]
    Exists {
        /// The disclosure's digest.
        digest: String,
        /// The name.
        name: String,
        /// The object's path.
        path: String,
    },
    /// `_sd` that is not an array of strings, or a `...` element that is not a string.
    #[error("{path} is {found}, where an array of digest strings belongs")]
    NotDigests {
        /// Where.
        path: String,
        /// What it is.
        found: String,
    },
    /// More JSON pointer text than [`MAX_POINTER_BYTES`] (claim names that long, that many
    /// times, are no credential): the pointer it stopped at, cut.
    #[error(
        "the places of the digests take more than {MAX_POINTER_BYTES} bytes to name (at {0}): names that long, that many times, are refused"
    )]
    TooLong(String),
    /// Nested deeper than [`MAX_DEPTH`] through disclosures.
    #[error("the claims nest more than {MAX_DEPTH} levels deep once disclosure {0} is applied")]
    TooDeep(String),
}

/// One disclosure as given: decoded, hashed, and where it was placed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Disclosure {
    /// Its digest by `_sd_alg` (base64url).
    pub digest: String,
    /// The salt.
    pub salt: String,
    /// The claim name; `None` for an array element.
    pub name: Option<String>,
    /// The disclosed value, as the disclosure holds it (digests of nested disclosures
    /// included).
    pub value: Value,
    /// Where it was placed: a JSON pointer into the claims with every disclosure applied,
    /// array indexes counting the elements as signed.
    pub path: String,
}

/// The outcome of processing.
#[derive(Debug, Clone, PartialEq)]
pub struct Processed {
    /// The claims as a verifier sees them (RFC 9901 §7.1's Processed SD-JWT Payload).
    pub claims: Map<String, Value>,
    /// The disclosures, in the order given.
    pub disclosures: Vec<Disclosure>,
    /// How many digests stay undisclosed (hidden claims and decoys alike).
    pub undisclosed: usize,
}

/// A disclosure's decoded contents, before it is placed.
struct Decoded {
    digest: String,
    salt: String,
    name: Option<String>,
    value: Value,
    /// Where it was placed, once it is.
    path: Option<String>,
}

/// The result of a processing step, named in the module's own terms.
pub type Disclosed<T> = Result<T, SdError>;

/// Apply `disclosures` (as given, base64url) to the issuer's `claims` by RFC 9901 §7.1, with
/// the hash function `alg`.
pub fn process(
    claims: &Map<String, Value>,
    disclosures: &[&str],
    alg: SdAlg,
) -> Disclosed<Processed> {
    let decoded = decode_all(disclosures, alg)?;
    let by_digest: HashMap<String, usize> = decoded
        .iter()
        .enumerate()
        .map(|(i, d)| (d.digest.clone(), i))
        .collect();
    let mut walk = Walk {
        decoded,
        by_digest,
        seen: HashMap::new(),
        undisclosed: 0,
        written: 0,
    };
    let mut out = claims.clone();
    out.shift_remove("_sd_alg");
    walk.object(&mut out, &At::Root, 0, "")?;
    let Walk {
        decoded,
        undisclosed,
        ..
    } = walk;
    let mut placed = Vec::with_capacity(decoded.len());
    for d in decoded {
        let Some(path) = d.path else {
            return Err(SdError::Unreferenced(d.digest));
        };
        placed.push(Disclosure {
            digest: d.digest,
            salt: d.salt,
            name: d.name,
            value: d.value,
            path,
        });
    }
    Ok(Processed {
        claims: out,
        disclosures: placed,
        undisclosed,
    })
}

/// Decode and hash every disclosure; the same disclosure twice is an error.
fn decode_all(disclosures: &[&str], alg: SdAlg) -> Disclosed<Vec<Decoded>> {
    let mut out = Vec::with_capacity(disclosures.len());
    let mut digests = HashSet::with_capacity(disclosures.len());
    for (index, text) in disclosures.iter().enumerate() {
        if text.is_empty() {
            return Err(SdError::Empty(index + 1));
        }
        let digest = alg.digest(text);
        if !digests.insert(digest.clone()) {
            return Err(SdError::Repeated(digest));
        }
        out.push(decode_one(text, digest)?);
    }
    Ok(out)
}

fn decode_one(text: &str, digest: String) -> Disclosed<Decoded> {
    let bytes =
        decode_segment(crate::error::Part::Token, text).map_err(|err| SdError::NotBase64 {
            digest: digest.clone(),
            why: err.fault,
        })?;
    let shape = |why: String| SdError::Shape {
        digest: digest.clone(),
        why,
    };
    let value = json::parse_value(&bytes).map_err(|err| shape(format!("JSON that is {err}")))?;
    let Value::Array(mut items) = value else {
        return Err(shape(kind_of(&value).to_string()));
    };
    let (salt, name, value) = match items.len() {
        2 => {
            let value = items.pop();
            (items.pop(), None, value)
        }
        3 => {
            let value = items.pop();
            let name = match items.pop() {
                Some(Value::String(name)) => Some(name),
                Some(other) => {
                    return Err(shape(format!(
                        "an array whose name is {}, not a string",
                        kind_of(&other)
                    )));
                }
                None => None,
            };
            (items.pop(), name, value)
        }
        n => return Err(shape(format!("an array of {n} elements"))),
    };
    let salt = match salt {
        Some(Value::String(salt)) => salt,
        Some(other) => {
            return Err(shape(format!(
                "an array whose salt is {}, not a string",
                kind_of(&other)
            )));
        }
        None => return Err(shape("an empty array".into())),
    };
    if let Some(name) = &name
        && (name == "_sd" || name == "...")
    {
        return Err(SdError::Reserved {
            digest,
            name: name.clone(),
        });
    }
    Ok(Decoded {
        digest,
        salt,
        name,
        value: value.unwrap_or(Value::Null),
        path: None,
    })
}

/// Where a value lies in the claims: a chain of steps up to the root, written out as a JSON
/// pointer only where one is kept or shown. Building a pointer for every member on the way
/// would cost the length of its ancestors' names once per member: quadratic in the token.
#[derive(Clone, Copy)]
enum At<'a> {
    Root,
    Member(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The RFC 6901 JSON pointer.
    fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = *self;
        loop {
            match at {
                At::Root => break,
                At::Member(parent, name) => {
                    steps.push(Step::Name(name));
                    at = *parent;
                }
                At::Index(parent, index) => {
                    steps.push(Step::Index(index));
                    at = *parent;
                }
            }
        }
        let mut out = String::new();
        for step in steps.into_iter().rev() {
            match step {
                Step::Name(name) => push_token(&mut out, name),
                Step::Index(index) => {
                    out.push('/');
                    out.push_str(&index.to_string());
                }
            }
        }
        out
    }

    /// The pointer as an error message shows it: cut to a readable length.
    fn shown(&self) -> String {
        cut(&self.pointer())
    }

    /// The pointer of a member of the value here, as an error message shows it.
    fn shown_member(&self, name: &str) -> String {
        At::Member(self, name).shown()
    }
}

enum Step<'a> {
    Name(&'a str),
    Index(usize),
}

/// The most bytes of JSON pointers one processing writes out and keeps (each digest's place,
/// each disclosure's path): as much as the largest token holds. Pointers under long names,
/// one per digest, could otherwise take the name's length times the digest count.
pub const MAX_POINTER_BYTES: usize = 16 * 1024 * 1024;

struct Walk {
    decoded: Vec<Decoded>,
    by_digest: HashMap<String, usize>,
    /// Every digest met so far, and where.
    seen: HashMap<String, Place>,
    undisclosed: usize,
    /// Bytes of pointers written out so far.
    written: usize,
}

/// Where a digest was met: an `_sd` array, or an element of an array (the pointers of the
/// container written out once, shared by every digest in it).
#[derive(Clone)]
struct Place {
    container: Rc<str>,
    index: Option<usize>,
}

impl Place {
    fn pointer(&self) -> String {
        match self.index {
            None => self.container.to_string(),
            Some(index) => format!("{}/{index}", self.container),
        }
    }
}

impl Walk {
    /// The pointer of `at`, counted against [`MAX_POINTER_BYTES`].
    fn pointer(&mut self, at: &At) -> Disclosed<String> {
        let pointer = at.pointer();
        self.count(&pointer)?;
        Ok(pointer)
    }

    /// Count a pointer written out against [`MAX_POINTER_BYTES`].
    fn count(&mut self, pointer: &str) -> Disclosed<()> {
        self.written += pointer.len() + 1;
        if self.written > MAX_POINTER_BYTES {
            return Err(SdError::TooLong(cut(pointer)));
        }
        Ok(())
    }

    /// Note a digest met at `place`; a digest met twice is an error. Returns the disclosure
    /// it names, if one was given.
    fn meet(&mut self, digest: &str, place: &Place) -> Disclosed<Option<usize>> {
        if let Some(first) = self.seen.get(digest) {
            return Err(SdError::DigestTwice {
                digest: cut(digest),
                first: cut(&first.pointer()),
                again: cut(&place.pointer()),
            });
        }
        self.seen.insert(digest.to_string(), place.clone());
        let found = self.by_digest.get(digest).copied();
        if found.is_none() {
            self.undisclosed += 1;
        }
        Ok(found)
    }

    /// Process an object in place: its `_sd` digests become members, its members are
    /// processed in turn. `via` names the disclosure that brought it (for depth errors).
    fn object(
        &mut self,
        object: &mut Map<String, Value>,
        at: &At,
        depth: usize,
        via: &str,
    ) -> Disclosed<()> {
        if depth > MAX_DEPTH {
            return Err(SdError::TooDeep(via.to_string()));
        }
        let digests = match object.shift_remove("_sd") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(digest) => Ok(digest),
                    other => Err(SdError::NotDigests {
                        path: at.shown_member("_sd"),
                        found: format!("an array holding {}", kind_of(&other)),
                    }),
                })
                .collect::<Result<Vec<_>, _>>()?,
            Some(other) => {
                return Err(SdError::NotDigests {
                    path: at.shown_member("_sd"),
                    found: kind_of(&other).to_string(),
                });
            }
        };
        // Members as signed first (recursively), then the disclosed ones in digest order: the
        // order of RFC 9901's own Processed SD-JWT Payloads.
        for (name, value) in object.iter_mut() {
            // Only objects and arrays can hold digests.
            if value.is_object() || value.is_array() {
                self.value(value, &At::Member(at, name), depth + 1, via)?;
            }
        }
        if digests.is_empty() {
            return Ok(());
        }
        let sd_place = Place {
            container: self.pointer(&At::Member(at, "_sd"))?.into(),
            index: None,
        };
        for digest in digests {
            let Some(index) = self.meet(&digest, &sd_place)? else {
                continue;
            };
            let d = &mut self.decoded[index];
            let Some(name) = d.name.clone() else {
                return Err(SdError::WrongKind {
                    digest: d.digest.clone(),
                    is: "an array element",
                    expected: "an object member",
                    path: cut(&sd_place.container),
                });
            };
            if object.contains_key(&name) {
                return Err(SdError::Exists {
                    digest: d.digest.clone(),
                    name,
                    path: match at {
                        At::Root => "/".into(),
                        _ => at.shown(),
                    },
                });
            }
            let digest = d.digest.clone();
            // The disclosure keeps its value as given; the claims get it processed.
            let mut value = d.value.clone();
            let member = At::Member(at, &name);
            let path = self.pointer(&member)?;
            self.decoded[index].path = Some(path);
            self.value(&mut value, &member, depth + 1, &digest)?;
            object.insert(name, value);
        }
        Ok(())
    }

    /// Process an array in place: `{"...": digest}` elements become their disclosed values,
    /// or go when undisclosed.
    fn array(&mut self, items: &mut Vec<Value>, at: &At, depth: usize, via: &str) -> Disclosed<()> {
        if depth > MAX_DEPTH {
            return Err(SdError::TooDeep(via.to_string()));
        }
        let signed = std::mem::take(items);
        items.reserve(signed.len());
        // This array's pointer, written out when its first digest is met.
        let mut container: Option<Rc<str>> = None;
        for (index, mut item) in signed.into_iter().enumerate() {
            if !item.is_object() && !item.is_array() {
                items.push(item);
                continue;
            }
            let item_at = At::Index(at, index);
            let digest = match placeholder(&item) {
                Some(Ok(digest)) => digest.to_string(),
                Some(Err(found)) => {
                    return Err(SdError::NotDigests {
                        path: item_at.shown_member("..."),
                        found: found.to_string(),
                    });
                }
                None => {
                    self.value(&mut item, &item_at, depth + 1, via)?;
                    items.push(item);
                    continue;
                }
            };
            let container = match &container {
                Some(written) => Rc::clone(written),
                None => Rc::clone(container.insert(self.pointer(at)?.into())),
            };
            let place = Place {
                container,
                index: Some(index),
            };
            let Some(found) = self.meet(&digest, &place)? else {
                continue;
            };
            if self.decoded[found].name.is_some() {
                return Err(SdError::WrongKind {
                    digest: self.decoded[found].digest.clone(),
                    is: "an object member",
                    expected: "an array element",
                    path: cut(&place.pointer()),
                });
            }
            let path = place.pointer();
            self.count(&path)?;
            let d = &mut self.decoded[found];
            d.path = Some(path);
            let mut value = d.value.clone();
            let digest = d.digest.clone();
            self.value(&mut value, &item_at, depth + 1, &digest)?;
            items.push(value);
        }
        Ok(())
    }

    fn value(&mut self, value: &mut Value, at: &At, depth: usize, via: &str) -> Disclosed<()> {
        match value {
            Value::Object(object) => self.object(object, at, depth, via),
            Value::Array(items) => self.array(items, at, depth, via),
            _ => Ok(()),
        }
    }
}

/// `Some(Ok(digest))` for an array element `{"...": "<digest>"}`, `Some(Err(kind))` for one
/// whose only member `...` is not a string, `None` for any other value.
fn placeholder(item: &Value) -> Option<Result<&str, &'static str>> {
    let object = item.as_object().filter(|o| o.len() == 1)?;
    match object.get("...")? {
        Value::String(digest) => Some(Ok(digest)),
        other => Some(Err(kind_of(other))),
    }
}

/// One RFC 6901 reference token, after its `/` (`~` and `/` escaped as `~0` and `~1`).
pub(crate) fn push_token(out: &mut String, token: &str) {
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sd::parse::SdJwt;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    const RFC_5_1: &str = include_str!("../../tests/fixtures/sd-jwt/rfc9901-5.1-issuance.txt");
    const RFC_5_2: &str = include_str!("../../tests/fixtures/sd-jwt/rfc9901-5.2-presentation.txt");

    fn claims_of(sd: &SdJwt) -> Map<String, Value> {
        let payload = sd.issuer_jwt().split('.').nth(1).unwrap();
        json::parse_object(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    }

    fn run(sd: &SdJwt) -> Disclosed<Processed> {
        let list: Vec<&str> = sd.disclosures().collect();
        process(&claims_of(sd), &list, SdAlg::Sha256)
    }

    fn disclosure(value: Value) -> (String, String) {
        let text = URL_SAFE_NO_PAD.encode(value.to_string());
        let digest = SdAlg::Sha256.digest(&text);
        (text, digest)
    }

    /// RFC 9901 §5.2: "the Verifier will have the following Processed SD-JWT Payload".
    #[test]
    fn the_rfc_presentation_processes_as_published() {
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        let processed = run(&sd).unwrap();
        let expected = json!({
          "iss": "https://issuer.example.com", "iat": 1683000000, "exp": 1883000000,
          "sub": "user_42", "nationalities": ["US"],
          "cnf": {"jwk": {"kty": "EC", "crv": "P-256",
            "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
            "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ"}},
          "family_name": "Doe",
          "address": {"street_address": "123 Main St", "locality": "Anytown",
            "region": "Anystate", "country": "US"},
          "given_name": "John"
        });
        assert_eq!(Value::Object(processed.claims.clone()), expected);
        // The same order of members as the RFC prints them.
        let names: Vec<&String> = processed.claims.keys().collect();
        assert_eq!(
            names,
            [
                "iss",
                "iat",
                "exp",
                "sub",
                "nationalities",
                "cnf",
                "family_name",
                "address",
                "given_name"
            ]
        );
        // 8 digests in _sd, 2 in nationalities; 4 disclosed.
        assert_eq!(processed.undisclosed, 6);
        let paths: Vec<(&str, &str)> = processed
            .disclosures
            .iter()
            .map(|d| (d.digest.as_str(), d.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                (
                    "TGf4oLbgwd5JQaHyKVQZU9UdGE0w5rtDsrZzfUaomLo",
                    "/family_name"
                ),
                ("XzFrzwscM6Gn6CJDc6vVK8BkMnfG8vOSKfpPIZdAfdE", "/address"),
                ("jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4", "/given_name"),
                (
                    "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo",
                    "/nationalities/0"
                ),
            ]
        );
        assert_eq!(processed.disclosures[3].name, None);
        assert_eq!(processed.disclosures[0].salt, "eluV5Og3gSNII8EYnsxA_A");
    }

    /// RFC 9901 §5.1: every disclosure of the issued SD-JWT, with the published digests.
    #[test]
    fn the_rfc_issuance_discloses_everything() {
        let sd = SdJwt::parse(RFC_5_1.trim().as_bytes()).unwrap();
        let processed = run(&sd).unwrap();
        assert_eq!(processed.undisclosed, 0);
        assert_eq!(processed.disclosures.len(), 10);
        assert_eq!(processed.claims["nationalities"], json!(["US", "DE"]));
        assert_eq!(processed.claims["updated_at"], json!(1570000000));
        assert_eq!(
            processed.disclosures[7].digest,
            "CrQe7S5kqBAHt-nMYXgc6bdt2SH5aTY1sU_M-PgkjPI"
        );
        assert!(!processed.claims.contains_key("_sd"));
        assert!(!processed.claims.contains_key("_sd_alg"));
    }

    #[test]
    fn recursive_disclosures_and_paths() {
        let (street, d_street) = disclosure(json!(["s1", "street", "Main/St"]));
        let (addr, d_addr) = disclosure(json!(["s2", "a~b", {"_sd": [d_street], "zip": "1"}]));
        let (elem, d_elem) = disclosure(json!(["s3", {"_sd": []}]));
        let claims = json!({"_sd": [d_addr, "decoy"], "list": [{"...": d_elem}, 5, {"...": "gone"}], "_sd_alg": "sha-256"});
        let processed = process(
            claims.as_object().unwrap(),
            &[&elem, &street, &addr],
            SdAlg::Sha256,
        )
        .unwrap();
        assert_eq!(
            Value::Object(processed.claims),
            json!({"list": [{}, 5], "a~b": {"zip": "1", "street": "Main/St"}})
        );
        let paths: Vec<&str> = processed
            .disclosures
            .iter()
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(paths, ["/list/0", "/a~0b/street", "/a~0b"]);
        assert_eq!(processed.undisclosed, 2);
    }

    #[test]
    fn every_violation_names_the_disclosure() {
        let (given, d_given) = disclosure(json!(["s", "given_name", "J"]));
        let (elem, d_elem) = disclosure(json!(["s", "US"]));
        let check = |claims: Value, list: &[&str]| {
            process(claims.as_object().unwrap(), list, SdAlg::Sha256).unwrap_err()
        };
        // Unreferenced.
        let err = check(json!({}), &[&given]);
        assert_eq!(err, SdError::Unreferenced(d_given.clone()));
        // Given twice.
        let err = check(json!({"_sd": [d_given]}), &[&given, &given]);
        assert_eq!(err, SdError::Repeated(d_given.clone()));
        // A digest met twice, decoys too.
        let err = check(
            json!({"_sd": [d_given], "x": {"_sd": [d_given]}}),
            &[&given],
        );
        assert!(matches!(err, SdError::DigestTwice { .. }), "{err}");
        let err = check(json!({"_sd": ["decoy", "decoy"]}), &[]);
        assert!(matches!(err, SdError::DigestTwice { .. }), "{err}");
        // The name exists already (a digest colliding with a plain claim).
        let err = check(json!({"_sd": [d_given], "given_name": "X"}), &[&given]);
        assert!(err.to_string().contains(&d_given), "{err}");
        assert!(matches!(err, SdError::Exists { .. }));
        // Wrong kinds.
        let err = check(json!({"a": [{"...": d_given}]}), &[&given]);
        assert!(matches!(err, SdError::WrongKind { .. }), "{err}");
        let err = check(json!({"_sd": [d_elem]}), &[&elem]);
        assert!(matches!(err, SdError::WrongKind { .. }), "{err}");
        // Reserved names.
        let (sd, _) = disclosure(json!(["s", "_sd", []]));
        assert!(matches!(check(json!({}), &[&sd]), SdError::Reserved { .. }));
        let (dots, _) = disclosure(json!(["s", "...", 1]));
        assert!(matches!(
            check(json!({}), &[&dots]),
            SdError::Reserved { .. }
        ));
        // Shapes.
        for bad in [
            json!(["s"]),
            json!(["s", 1, 2]),
            json!([1, 2]),
            json!({}),
            json!(["s", "n", 1, 2]),
        ] {
            let (text, digest) = disclosure(bad);
            let err = check(json!({"_sd": [digest.clone()]}), &[&text]);
            assert!(matches!(err, SdError::Shape { .. }), "{err}");
            assert!(err.to_string().contains(&digest));
        }
        let err = check(json!({}), &["not.base64"]);
        assert!(matches!(err, SdError::NotBase64 { .. }), "{err}");
        let dup = URL_SAFE_NO_PAD.encode(r#"["s", "n", {"a": 1, "a": 2}]"#);
        assert!(matches!(check(json!({}), &[&dup]), SdError::Shape { .. }));
        assert_eq!(check(json!({}), &["", "x"]), SdError::Empty(1));
        // _sd and ... of the wrong type.
        assert!(matches!(
            check(json!({"_sd": "x"}), &[]),
            SdError::NotDigests { .. }
        ));
        assert!(matches!(
            check(json!({"_sd": [1]}), &[]),
            SdError::NotDigests { .. }
        ));
        assert!(matches!(
            check(json!({"a": [{"...": 1}]}), &[]),
            SdError::NotDigests { .. }
        ));
    }

    #[test]
    fn hostile_input_stays_bounded() {
        // Disclosures nesting one inside the next, far past the cap: an error, not a stack
        // overflow.
        let mut list = Vec::new();
        let (mut text, mut digest) = disclosure(json!(["s", "n", 1]));
        list.push(text.clone());
        for i in 0..(MAX_DEPTH + 10) {
            (text, digest) = disclosure(json!([format!("s{i}"), "n", {"_sd": [digest]}]));
            list.push(text.clone());
        }
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        let claims = json!({"_sd": [digest]});
        let err = process(claims.as_object().unwrap(), &refs, SdAlg::Sha256).unwrap_err();
        assert!(matches!(err, SdError::TooDeep(_)), "{err}");
        // Thousands of disclosures, each placed once.
        let mut list = Vec::new();
        let mut digests = Vec::new();
        for i in 0..5000 {
            let (text, digest) = disclosure(json!(["s", format!("c{i}"), i]));
            list.push(text);
            digests.push(digest);
        }
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        let claims = json!({"_sd": digests});
        let processed = process(claims.as_object().unwrap(), &refs, SdAlg::Sha256).unwrap();
        assert_eq!(processed.claims.len(), 5000);
        // A megabyte disclosure is decoded once.
        let (big, d_big) = disclosure(json!(["s", "big", "x".repeat(1 << 20)]));
        let claims = json!({"_sd": [d_big]});
        let processed = process(claims.as_object().unwrap(), &[&big], SdAlg::Sha256).unwrap();
        assert_eq!(
            processed.claims["big"].as_str().map(str::len),
            Some(1 << 20)
        );
    }

    #[test]
    fn other_hashes() {
        let text = URL_SAFE_NO_PAD.encode(r#"["s","n",1]"#);
        for alg in [SdAlg::Sha384, SdAlg::Sha512] {
            let claims = json!({"_sd": [alg.digest(&text)]});
            let processed = process(claims.as_object().unwrap(), &[&text], alg).unwrap();
            assert_eq!(processed.claims["n"], json!(1));
            assert!(process(claims.as_object().unwrap(), &[&text], SdAlg::Sha256).is_err());
        }
    }
}
