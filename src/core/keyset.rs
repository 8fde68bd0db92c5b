//! Keyset files (JWKS) as operators edit them: append a key, retire one, derive the public
//! set, list what is there. Keys are kept as the JSON they were written in (member order and
//! unknown members intact); each is validated as a key before any rewrite, so a corrupt or
//! foreign file is refused, never rewritten.

use std::path::Path;

use serde_json::{Map, Value};

use crate::core::error::{Error, Result};
use crate::core::jwk::Jwk;
use crate::core::key::{Key, Material};
use crate::core::keyformat;

/// A parsed keyset: its keys as JSON objects, in order, and the set's other members.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keyset {
    /// The keys, oldest first.
    pub keys: Vec<Map<String, Value>>,
    /// Members of the set besides `keys`.
    pub other: Map<String, Value>,
}

impl Keyset {
    /// Read and validate a keyset file; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read(path) {
            Ok(text) => text,
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

    /// Parse and validate keyset text (`origin` names it in messages).
    pub fn parse(text: &[u8], origin: &str) -> Result<Self> {
        let refuse = |why: String| {
            Error::key(
                format!("{origin} is not a JWKS jwtk can edit: {why}"),
                Some("it was left untouched; fix or move it first".to_string()),
            )
        };
        let mut map = crate::core::json::parse_object(text).map_err(|e| refuse(e.to_string()))?;
        let Some(Value::Array(items)) = map.remove("keys") else {
            return Err(refuse("no \"keys\" array".into()));
        };
        let mut keys = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(key) = item else {
                return Err(refuse("a key is not a JSON object".into()));
            };
            keys.push(key);
        }
        let set = Keyset { keys, other: map };
        // Every key must load, so a rewrite never carries garbage forward.
        if !set.keys.is_empty() {
            keyformat::load(&set.to_json(), origin, None, crate::core::time::now())?;
        }
        Ok(set)
    }

    /// The kids present, in order.
    pub fn kids(&self) -> Vec<&str> {
        self.keys
            .iter()
            .filter_map(|k| k.get("kid").and_then(Value::as_str))
            .collect()
    }

    /// Append a key; its kid must be new.
    pub fn add(&mut self, jwk: &Jwk) -> Result<()> {
        let kid = jwk.kid.as_deref().unwrap_or_default();
        if self.kids().contains(&kid) {
            return Err(Error::key(
                format!("the keyset already has a key with kid {kid:?}"),
                None,
            ));
        }
        match serde_json::to_value(jwk) {
            Ok(Value::Object(key)) => self.keys.push(key),
            _ => return Err(Error::key("cannot serialize the new key", None)),
        }
        Ok(())
    }

    /// Remove the key with `kid`.
    pub fn retire(&mut self, kid: &str) -> Result<()> {
        let before = self.keys.len();
        self.keys
            .retain(|k| k.get("kid").and_then(Value::as_str) != Some(kid));
        if self.keys.len() == before {
            let kids = self
                .kids()
                .iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::key(
                format!("no key with kid {kid:?} in the keyset"),
                Some(format!("kids there: {kids}")),
            ));
        }
        Ok(())
    }

    /// The set for verifiers: private members removed, secret (oct) keys left out.
    pub fn public(&self) -> Result<Keyset> {
        let mut keys = Vec::new();
        for key in &self.keys {
            let jwk: Jwk = serde_json::from_value(Value::Object(key.clone()))
                .map_err(|e| Error::key(format!("a key cannot be read: {e}"), None))?;
            if let Some(public) = jwk.public()
                && let Ok(Value::Object(map)) = serde_json::to_value(&public)
            {
                keys.push(map);
            }
        }
        Ok(Keyset {
            keys,
            other: self.other.clone(),
        })
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

/// One line of `keyset list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// kid, or "-".
    pub kid: String,
    /// "RSA 2048-bit", "EC P-256", "Ed25519", "HMAC 256-bit".
    pub kind: String,
    /// alg, or "-".
    pub alg: String,
    /// use, or "-".
    pub use_: String,
    /// Whether the key holds private or secret material.
    pub private: bool,
}

/// Describe every key of a keyset file.
pub fn list(text: &[u8], origin: &str) -> Result<Vec<Listing>> {
    let loaded = keyformat::load(text, origin, None, crate::core::time::now())?;
    Ok(loaded.keys.iter().map(listing).collect())
}

fn listing(key: &Key) -> Listing {
    let (kind, private) = match &key.material {
        Material::Secret(secret) => (format!("HMAC {}-bit", secret.0.len() * 8), true),
        Material::Private(_, public) => (kind_of(public), true),
        Material::Public(public) => (kind_of(public), false),
    };
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    Listing {
        kid: dash(&key.kid),
        kind,
        alg: dash(&key.alg),
        use_: dash(&key.use_),
        private,
    }
}

fn kind_of(public: &crate::core::key::PublicKey) -> String {
    match public.family {
        crate::core::alg::Family::Rsa => format!("RSA {}-bit", public.bits),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_it_cannot_edit() {
        for bad in [
            &b"not json"[..],
            b"[]",
            b"{\"kid\":1}",
            b"{\"keys\":[1]}",
            b"{\"keys\":[{\"kty\":\"RSA\"}]}",
        ] {
            assert!(
                Keyset::parse(bad, "x").is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(Keyset::parse(b"{\"keys\":[]}", "x").is_ok());
    }

    #[test]
    fn keeps_members_and_order() {
        let text = br#"{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0","kid":"a","zzz":1},{"kid":"b","kty":"oct","k":"c2VjcmV0"}],"note":"x"}"#;
        let mut set = Keyset::parse(text, "x").unwrap();
        assert_eq!(set.kids(), ["a", "b"]);
        set.retire("a").unwrap();
        assert!(set.retire("a").is_err());
        let again = Keyset::parse(&set.to_json(), "x").unwrap();
        assert_eq!(
            again.keys[0].keys().collect::<Vec<_>>(),
            ["kid", "kty", "k"]
        );
        assert_eq!(again.other["note"], "x");
        assert!(
            set.public().unwrap().keys.is_empty(),
            "secret keys are left out of the public set"
        );
    }
}
