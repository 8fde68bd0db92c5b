//! Keyset files (JWKS) as operators edit them: append a key, promote one to sign, retire one,
//! derive the public set, list what is there.
//!
//! The first key of a set signs; new keys are appended, so a key is published before it signs.
//! Keys are kept as the JSON they were written in (member order and unknown members intact)
//! and the set is edited as JSON: a key jwtk cannot use (RFC 7517 §5) is listed, kept and can
//! be retired; only a key being added, or promoted to sign, must load.

use std::path::Path;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::error::{Error, KeysetProblem, Result};
use crate::files::{self, PRIVATE_MODE};
use crate::keys::format;
use crate::keys::jwk::{self, Jwk};
use crate::keys::key::{Key, Material, Purpose};

/// A parsed keyset: its keys as JSON objects, in order, and the set's other members.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keyset {
    /// The keys; the first one signs.
    pub keys: Vec<Map<String, Value>>,
    /// Members of the set besides `keys`.
    pub other: Map<String, Value>,
    /// How messages name the set (its path).
    pub origin: String,
}

/// What `retire` removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retired {
    /// A key that neither signed nor was the last.
    Key,
    /// The signing key: the next key signs now.
    SigningKey,
    /// The last key: the set is empty now.
    LastKey,
}

/// One line of `keyset list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The kid, if the key has one.
    pub kid: Option<String>,
    /// The JWK's `kty` as written.
    pub kty: String,
    /// "RSA 2048-bit", "EC P-256", "Ed25519", "HMAC 256-bit"; for a key jwtk cannot use, its
    /// kty (and curve) as written.
    pub kind: String,
    /// The JWK's `alg`.
    pub alg: Option<String>,
    /// The JWK's `use`.
    pub use_: Option<String>,
    /// Whether the key holds private or secret members.
    pub private: bool,
    /// Whether this key signs (the first key, when it can).
    pub signing: bool,
    /// Whether another key carries the same kid.
    pub duplicate: bool,
    /// Why jwtk cannot use the key, when it cannot.
    pub unusable: Option<String>,
}

/// The members that hold private or secret material, in any key type.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

/// Members a public key keeps whatever its type (`key_ops` is rewritten, see
/// [`public_ops`]).
const SHARED_PUBLIC: [&str; 9] = [
    "kty", "kid", "use", "key_ops", "alg", "x5u", "x5c", "x5t", "x5t#S256",
];

/// The public parameters of each key type that has a public half, all required.
fn public_params(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "RSA" => Some(&["n", "e"]),
        "EC" => Some(&["crv", "x", "y"]),
        "OKP" => Some(&["crv", "x"]),
        _ => None,
    }
}

impl Keyset {
    /// Read a keyset file; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read(path) {
            Ok(text) => Zeroizing::new(text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(io) => {
                return Err(Error::File {
                    path: path.to_path_buf(),
                    io,
                });
            }
        };
        Self::parse(&text, &path.display().to_string()).map(Some)
    }

    /// Parse keyset text (`origin` names it in messages): a JSON object with a `keys` array
    /// of objects. The keys themselves are not judged here.
    pub fn parse(text: &[u8], origin: &str) -> Result<Self> {
        let refuse = |why: String| -> Error {
            KeysetProblem::NotEditable {
                origin: origin.to_string(),
                why,
            }
            .into()
        };
        let mut map = crate::json::parse_object(text).map_err(|e| refuse(e.to_string()))?;
        let Some(Value::Array(items)) = map.remove("keys") else {
            return Err(refuse("no \"keys\" array".into()));
        };
        let mut keys = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let Value::Object(key) = item else {
                return Err(refuse(format!("key #{} is not a JSON object", i + 1)));
            };
            keys.push(key);
        }
        Ok(Keyset {
            keys,
            other: map,
            origin: origin.to_string(),
        })
    }

    /// The kids present, in order.
    pub fn kids(&self) -> Vec<&str> {
        self.keys.iter().filter_map(kid_of).collect()
    }

    /// The one key carrying `kid`: its position. None, or several, is a key error.
    fn position(&self, kid: &str) -> Result<usize> {
        let found: Vec<usize> = (0..self.keys.len())
            .filter(|&i| kid_of(&self.keys[i]) == Some(kid))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(KeysetProblem::NoSuchKid {
                kid: kid.to_string(),
                origin: self.origin.clone(),
                kids: self.kids().iter().map(|k| k.to_string()).collect(),
            }
            .into()),
            many => Err(KeysetProblem::DuplicateKid {
                kid: kid.to_string(),
                origin: self.origin.clone(),
                count: many.len(),
                labels: many
                    .iter()
                    .map(|&i| self.name(i))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
            .into()),
        }
    }

    /// "key #2 (kid \"a\", EC)": how messages name the key at `index`.
    fn name(&self, index: usize) -> String {
        let key = &self.keys[index];
        let kty = key.get("kty").and_then(Value::as_str).unwrap_or("no kty");
        match kid_of(key) {
            Some(kid) => format!("key #{} (kid {kid:?}, {kty})", index + 1),
            None => format!("key #{} ({kty})", index + 1),
        }
    }

    /// Append a key: its kid must be new, and a private key never goes into a set that holds
    /// only public keys (a published set).
    pub fn add(&mut self, jwk: &Jwk) -> Result<()> {
        if let Some(kid) = jwk.kid.as_deref()
            && self.kids().contains(&kid)
        {
            return Err(KeysetProblem::KidTaken {
                kid: kid.to_string(),
                origin: self.origin.clone(),
            }
            .into());
        }
        if jwk.is_private() && !self.keys.is_empty() && !self.keys.iter().any(is_private) {
            return Err(KeysetProblem::PrivateIntoPublic {
                origin: self.origin.clone(),
            }
            .into());
        }
        match serde_json::to_value(jwk) {
            Ok(Value::Object(key)) => self.keys.push(key),
            _ => return Err(KeysetProblem::Unserializable.into()),
        }
        Ok(())
    }

    /// Remove the key with `kid`. The signing key, or the last key, only with `force`.
    pub fn retire(&mut self, kid: &str, force: bool) -> Result<Retired> {
        let at = self.position(kid)?;
        let retired = match (at, self.keys.len()) {
            (_, 1) => Retired::LastKey,
            (0, _) => Retired::SigningKey,
            _ => Retired::Key,
        };
        if !force {
            let refuse = |what: &'static str| {
                Err(KeysetProblem::RetireNeedsForce {
                    kid: kid.to_string(),
                    what,
                    origin: self.origin.clone(),
                }
                .into())
            };
            match retired {
                Retired::LastKey => return refuse("the last key"),
                Retired::SigningKey => return refuse("the signing key"),
                Retired::Key => {}
            }
        }
        self.keys.remove(at);
        Ok(retired)
    }

    /// Make the key with `kid` the signing key (move it first). It must be able to sign.
    /// Whether anything moved.
    pub fn promote(&mut self, kid: &str) -> Result<bool> {
        let at = self.position(kid)?;
        if let Some(why) = self.cannot_sign(at) {
            return Err(KeysetProblem::CannotPromote {
                name: self.name(at),
                why,
            }
            .into());
        }
        if at == 0 {
            return Ok(false);
        }
        let key = self.keys.remove(at);
        self.keys.insert(0, key);
        Ok(true)
    }

    /// Load the key at `index` on its own, as `--key` would.
    pub fn load(&self, index: usize) -> Result<Key> {
        let bytes = Zeroizing::new(serde_json::to_vec(&self.keys[index]).unwrap_or_default());
        let origin = format!("{}, {}", self.origin, self.name(index));
        let mut loaded = format::load(&bytes, &origin, None, crate::time::now())?;
        match loaded.keys.len() {
            1 => Ok(loaded.keys.remove(0)),
            _ => Err(KeysetProblem::NotOneKey {
                name: self.name(index),
            }
            .into()),
        }
    }

    /// Why the key at `index` cannot sign, if it cannot.
    pub fn cannot_sign(&self, index: usize) -> Option<String> {
        match self.load(index) {
            Err(err) => Some(err.to_string()),
            Ok(key) => key.refusal(Purpose::Sign).map(|r| r.to_string()),
        }
    }

    /// The set for verifiers, and a note for each key left out: per key only `kty`, `kid`,
    /// `use`, `key_ops` (public operations only), `alg`, the `x5*` members and the key type's
    /// public parameters; no set-level members; secret (oct) keys left out. Nothing to
    /// publish is a key error.
    pub fn public(&self) -> Result<(Keyset, Vec<String>)> {
        let mut keys = Vec::new();
        let mut notes = Vec::new();
        for (i, key) in self.keys.iter().enumerate() {
            match public_key(key) {
                Ok(public) => keys.push(public),
                Err(why) => notes.push(format!("{} left out: {why}", self.name(i))),
            }
        }
        if keys.is_empty() {
            let why = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            return Err(KeysetProblem::NothingPublic {
                origin: self.origin.clone(),
                why,
            }
            .into());
        }
        let set = Keyset {
            keys,
            other: Map::new(),
            origin: self.origin.clone(),
        };
        Ok((set, notes))
    }

    /// One [`Listing`] per key, in order.
    pub fn list(&self) -> Vec<Listing> {
        let kids = self.kids();
        (0..self.keys.len())
            .map(|i| {
                let key = &self.keys[i];
                let kid = kid_of(key);
                let text = |name: &str| key.get(name).and_then(Value::as_str).map(String::from);
                let loaded = self.load(i);
                let signing = i == 0
                    && loaded
                        .as_ref()
                        .is_ok_and(|k| k.refusal(Purpose::Sign).is_none());
                Listing {
                    kid: kid.map(String::from),
                    kty: text("kty").unwrap_or_default(),
                    kind: match &loaded {
                        Ok(loaded) => kind_of(loaded),
                        Err(_) => written_kind(key),
                    },
                    alg: text("alg"),
                    use_: text("use"),
                    private: is_private(key),
                    signing,
                    duplicate: kid
                        .is_some_and(|kid| kids.iter().filter(|k| **k == kid).count() > 1),
                    unusable: loaded.err().map(|e| e.to_string()),
                }
            })
            .collect()
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut map = Map::new();
        map.insert(
            "keys".into(),
            Value::Array(self.keys.iter().cloned().map(Value::Object).collect()),
        );
        map.extend(self.other.clone());
        let mut text = serde_json::to_vec_pretty(&Value::Object(map)).unwrap_or_default();
        text.push(b'\n');
        text
    }
}

/// Read the keyset at `path` (where its symlinks point), change it under its lock, and write
/// it back in place of the old file, keeping mode, owner and group (0600 when new). A missing
/// file is an empty set when `create`, else an error. Nothing is written when nothing changed.
pub fn edit<T>(
    path: &Path,
    create: bool,
    change: impl FnOnce(&mut Keyset) -> Result<T>,
) -> Result<T> {
    let target = files::follow_links(path)?;
    let _lock = files::lock(&target)?;
    let mut set = match Keyset::read(&target)? {
        Some(set) => set,
        None if create => Keyset {
            origin: path.display().to_string(),
            ..Keyset::default()
        },
        None => {
            return Err(Error::File {
                path: path.to_path_buf(),
                io: std::io::ErrorKind::NotFound.into(),
            });
        }
    };
    set.origin = path.display().to_string();
    let before = set.clone();
    let result = change(&mut set)?;
    if set != before {
        files::rewrite(&target, &set.to_json(), PRIVATE_MODE)?;
    }
    Ok(result)
}

/// The JWK to add for a key read from a file (`keyset import`): its own kid, else `kid`,
/// else the RFC 7638 thumbprint (asymmetric) or a random id (HMAC: a hash of a secret is not
/// published).
pub fn importable(key: &Key, kid: Option<String>) -> Result<Jwk> {
    let mut jwk = jwk::from_key(key).ok_or_else(|| KeysetProblem::NotAJwk {
        origin: key.origin.clone(),
    })?;
    jwk.kid = match (kid, jwk.kid.take()) {
        (Some(kid), _) | (None, Some(kid)) => Some(kid),
        (None, None) if matches!(key.material, Material::Secret(_)) => {
            Some(crate::mint::random_id())
        }
        (None, None) => Some(
            jwk.thumbprint()
                .ok_or_else(|| KeysetProblem::NoThumbprint {
                    origin: key.origin.clone(),
                })?,
        ),
    };
    Ok(jwk)
}

/// The note for a key appended to a set that already had a signing key.
pub fn not_signing_yet(set: &Path, kid: &str) -> String {
    format!(
        "{kid} is published with the set but does not sign yet; once every verifier has the \
         new set: jwtk keyset promote {} --kid {kid}",
        set.display()
    )
}

fn kid_of(key: &Map<String, Value>) -> Option<&str> {
    key.get("kid").and_then(Value::as_str)
}

fn is_private(key: &Map<String, Value>) -> bool {
    PRIVATE_MEMBERS.iter().any(|m| key.contains_key(*m))
}

/// The public form of one key, or why it has none.
fn public_key(key: &Map<String, Value>) -> std::result::Result<Map<String, Value>, String> {
    let kty = key.get("kty").and_then(Value::as_str).unwrap_or_default();
    if kty == "oct" {
        return Err("an HMAC secret has no public half".into());
    }
    let params = public_params(kty).ok_or_else(|| format!("unknown kty {kty:?}"))?;
    if let Some(missing) = params
        .iter()
        .find(|p| !key.get(**p).is_some_and(Value::is_string))
    {
        return Err(format!("its {missing:?} is missing or not a string"));
    }
    let mut public = Map::new();
    for (name, value) in key {
        if name == "key_ops" {
            let ops = public_ops(value).ok_or("its key_ops allow no public operation")?;
            public.insert(name.clone(), ops);
        } else if SHARED_PUBLIC.contains(&name.as_str()) || params.contains(&name.as_str()) {
            public.insert(name.clone(), value.clone());
        }
    }
    Ok(public)
}

/// `key_ops` for the public half: `sign` becomes `verify`, `decrypt` `encrypt`, `unwrapKey`
/// `wrapKey`; operations that need the private key are dropped. `None` when none is left.
fn public_ops(ops: &Value) -> Option<Value> {
    let mut public: Vec<Value> = Vec::new();
    for op in ops.as_array()?.iter().filter_map(Value::as_str) {
        let op = match op {
            "sign" | "verify" => "verify",
            "decrypt" | "encrypt" => "encrypt",
            "unwrapKey" | "wrapKey" => "wrapKey",
            _ => continue,
        };
        if !public.iter().any(|v| v == op) {
            public.push(Value::String(op.into()));
        }
    }
    (!public.is_empty()).then_some(Value::Array(public))
}

fn kind_of(key: &Key) -> String {
    let public = match &key.material {
        Material::Secret(secret) => return format!("HMAC {}-bit", secret.0.len() * 8),
        Material::Private(_, public) | Material::Public(public) => public,
    };
    match public.family {
        crate::alg::Family::Rsa => format!("RSA {}-bit", public.bits),
        other => other.to_string(),
    }
}

/// A key jwtk cannot use, described from its JSON.
fn written_kind(key: &Map<String, Value>) -> String {
    let text = |name: &str| key.get(name).and_then(Value::as_str);
    match (text("kty"), text("crv")) {
        (Some(kty), Some(crv)) => format!("{kty} {crv}"),
        (Some(kty), None) => kty.to_string(),
        (None, _) => "no kty".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OCT_A: &str =
        r#"{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI","kid":"a","zzz":1}"#;

    fn set(keys: &[&str]) -> Keyset {
        let text = format!(r#"{{"keys":[{}],"note":"x"}}"#, keys.join(","));
        Keyset::parse(text.as_bytes(), "set").unwrap()
    }

    #[test]
    fn refuses_what_is_not_a_jwks_but_keeps_keys_it_cannot_use() {
        for bad in [&b"not json"[..], b"[]", b"{\"kid\":1}", b"{\"keys\":[1]}"] {
            assert!(
                Keyset::parse(bad, "x").is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let odd = set(&[
            r#"{"kty":"RSA","kid":"r"}"#,
            r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA","kid":"k1"}"#,
        ]);
        let listed = odd.list();
        assert!(listed.iter().all(|l| l.unusable.is_some() && !l.signing));
        assert_eq!(listed[1].kind, "EC secp256k1");
    }

    #[test]
    fn keeps_members_and_order() {
        let mut keys = set(&[OCT_A, r#"{"kid":"b","kty":"oct","k":"c2VjcmV0"}"#]);
        assert_eq!(keys.kids(), ["a", "b"]);
        assert!(keys.retire("a", false).is_err(), "the signing key");
        assert_eq!(keys.retire("a", true).unwrap(), Retired::SigningKey);
        assert!(keys.retire("b", false).is_err(), "the last key");
        let again = Keyset::parse(&set(&[OCT_A]).to_json(), "x").unwrap();
        assert_eq!(
            again.keys[0].keys().collect::<Vec<_>>(),
            ["kty", "k", "kid", "zzz"]
        );
        assert_eq!(again.other["note"], "x");
        assert!(again.public().is_err(), "secret keys are never published");
    }

    #[test]
    fn duplicate_kids_are_named_never_guessed() {
        let mut keys = set(&[
            OCT_A,
            r#"{"kty":"oct","k":"c2VjcmV0","kid":"b"}"#,
            r#"{"kty":"oct","k":"c2VjcmV0","kid":"b"}"#,
        ]);
        let err = keys.retire("b", true).unwrap_err().to_string();
        assert!(err.contains("key #2") && err.contains("key #3"), "{err}");
        assert_eq!(keys.keys.len(), 3);
        assert!(keys.list()[1].duplicate && !keys.list()[0].duplicate);
    }

    #[test]
    fn public_ops() {
        let ops = |v: &str| super::public_ops(&serde_json::from_str(v).unwrap());
        assert_eq!(ops(r#"["sign"]"#).unwrap(), serde_json::json!(["verify"]));
        assert_eq!(
            ops(r#"["sign","verify","decrypt"]"#).unwrap(),
            serde_json::json!(["verify", "encrypt"])
        );
        assert!(ops(r#"["deriveBits"]"#).is_none());
    }
}
