//! The keys a server signs with and publishes. Without `--key`, an ephemeral EC P-256 key;
//! a keyset signs with its first key (as `mint` does) and publishes every public key in it,
//! exactly as `keyset public` writes them; one key without a kid (a PEM file) is a one-key
//! set whose kid is its RFC 7638 thumbprint. An HMAC secret signs access tokens for resource
//! servers that hold the same secret, and publishes nothing. The server checks the access
//! tokens sent to `/userinfo` with every published key (and an HMAC secret).

use std::io::Read;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::alg::{Algorithm, Curve, Family};
use crate::crypto::Signer;
use crate::error::{Error, KeyProblem, KeysetProblem, Result};
use crate::keys::generate::{self, KeyType, Use};
use crate::keys::key::Material;
use crate::keys::set::Keyset;
use crate::keys::{self, Reading, Source, format, jwk};
use crate::verify::KeyRing;

/// The largest key file read (as `--key` everywhere).
const MAX_KEY_BYTES: u64 = 1024 * 1024;

/// What a key source gives a server: the signer and the published set.
pub struct Keys {
    signer: Signer,
    /// The kid token headers carry.
    pub kid: Option<String>,
    /// The published set, byte for byte what `keyset public` writes (`{"keys": []}` when
    /// nothing is public).
    pub jwks: Vec<u8>,
    /// The set's entity tag, quoted.
    pub etag: String,
    /// How many keys are published.
    pub published: usize,
    /// Notes from reading (keys left out of the published set, keys skipped).
    pub notes: Vec<String>,
    /// Warnings from reading (a short HMAC secret, a key file others can read).
    pub warnings: Vec<String>,
    /// What checks the server's own tokens: the published keys, or the HMAC secret.
    pub ring: KeyRing,
}

impl Keys {
    /// A fresh EC P-256 key, in memory only.
    pub fn ephemeral() -> Result<Keys> {
        let made = generate::generate(KeyType::Ec(Curve::P256), None, Use::Sig, None)?;
        let key = match serde_json::to_value(&made.jwk) {
            Ok(Value::Object(key)) => key,
            _ => return Err(KeysetProblem::Unserializable.into()),
        };
        let set = Keyset {
            keys: vec![key],
            other: Map::new(),
            origin: "the ephemeral key".into(),
        };
        let bytes = Zeroizing::new(set.to_json());
        Keys::from_bytes(&bytes, "the ephemeral key")
    }

    /// The keys in a key file's bytes: a keyset (a JSON object with `keys`), or one key in
    /// any format `--key` reads (raw bytes are an HMAC secret, as for `mint`).
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Keys> {
        let source = Source::Given {
            bytes: Zeroizing::new(bytes.to_vec()),
            origin: origin.to_string(),
        };
        let mut loaded = keys::load(&source, &Reading::with_raw_secrets())?;
        let notes = std::mem::take(&mut loaded.notes);
        let warnings = std::mem::take(&mut loaded.warnings);
        let (key, set) = match Keyset::parse(bytes, origin) {
            Ok(set) => (keys::signing_key(loaded, None)?, set),
            Err(_) => one_key_set(loaded)?,
        };
        let alg = key.default_alg();
        let signer = key.signer(alg)?;
        let mut keys = Keys::publish(signer, key.kid.clone(), &set)?;
        if key.family() == Family::Hmac {
            keys.ring = KeyRing::new(vec![key.clone()], &[alg])?;
        }
        keys.notes.splice(0..0, notes);
        keys.warnings.splice(0..0, warnings);
        keys.warnings.extend(key.weakness(alg));
        if key.family() == Family::Hmac {
            keys.notes.push(format!(
                "{origin} signs with an HMAC secret ({alg}): access tokens only, for resource \
                 servers that hold the same secret; /jwks publishes no key for it"
            ));
        }
        Ok(keys)
    }

    /// The keys of the key file at `path`, whose bytes are `bytes` ([`read_file`]); a
    /// warning when others can read a private key.
    pub fn from_file(bytes: &[u8], path: &Path) -> Result<Keys> {
        let mut keys = Keys::from_bytes(bytes, &path.display().to_string())?;
        keys.warnings.extend(crate::files::loose_mode(path));
        Ok(keys)
    }

    fn publish(signer: Signer, kid: Option<String>, set: &Keyset) -> Result<Keys> {
        let (public, notes) = match set.public() {
            Ok((public, notes)) => (public, notes),
            Err(_) => (Keyset::default(), Vec::new()),
        };
        let jwks = public.to_json();
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &jwks);
        let etag = format!("\"{}\"", &URL_SAFE_NO_PAD.encode(digest.as_ref())[..22]);
        let published = if public.keys.is_empty() {
            Vec::new()
        } else {
            format::load(&jwks, "the published set", None, crate::time::now())?.keys
        };
        Ok(Keys {
            signer,
            kid,
            jwks,
            etag,
            published: public.keys.len(),
            notes,
            warnings: Vec::new(),
            ring: KeyRing::new(published, &[])?,
        })
    }

    /// The algorithm tokens are signed with.
    pub fn alg(&self) -> Algorithm {
        self.signer.alg()
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }
}

/// One key (not a set) as a one-key set: its own kid, else its RFC 7638 thumbprint (an HMAC
/// secret gets none: a hash of a secret is never published).
fn one_key_set(mut loaded: keys::Loaded) -> Result<(keys::Key, Keyset)> {
    let origin = loaded.origin.clone();
    if loaded.keys.len() != 1 {
        return Err(KeysetProblem::ImportSeveral {
            origin,
            count: loaded.keys.len(),
        }
        .into());
    }
    let mut key = loaded.keys.remove(0);
    if key.kid.is_none() && !matches!(key.material, Material::Secret(_)) {
        key.kid = key.thumbprint();
    }
    let jwk = jwk::from_key(&key).ok_or_else(|| Error::KeyMaterial {
        origin: origin.clone(),
        problem: KeyProblem::Unsupported("a key with no JWK form".into()),
    })?;
    let map = match serde_json::to_value(&jwk) {
        Ok(Value::Object(map)) => map,
        _ => return Err(KeysetProblem::Unserializable.into()),
    };
    let set = Keyset {
        keys: vec![map],
        other: Map::new(),
        origin,
    };
    Ok((key, set))
}

/// A key file's bytes, at most 1 MiB.
pub fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    let fail = |io| Error::File {
        path: path.to_path_buf(),
        io,
    };
    let file = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_KEY_BYTES {
        return Err(Error::KeyMaterial {
            origin: path.display().to_string(),
            problem: KeyProblem::TooLarge,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwks(keys: &Keys) -> Value {
        serde_json::from_slice(&keys.jwks).unwrap()
    }

    #[test]
    fn ephemeral_is_p256_and_published() {
        let keys = Keys::ephemeral().unwrap();
        assert_eq!(keys.alg(), Algorithm::Es(Curve::P256));
        let set = jwks(&keys);
        assert_eq!(set["keys"].as_array().unwrap().len(), 1);
        assert_eq!(set["keys"][0]["kid"].as_str(), keys.kid.as_deref());
        assert!(set["keys"][0].get("d").is_none());
        assert!(keys.etag.starts_with('"') && keys.etag.len() == 24);
    }

    #[test]
    fn hmac_publishes_nothing() {
        let keys = Keys::from_bytes(b"a-shared-secret-of-at-least-thirty-two-bytes", "s").unwrap();
        assert_eq!(keys.kid, None);
        assert_eq!(keys.alg(), Algorithm::HS256);
        assert_eq!(jwks(&keys), serde_json::json!({"keys": []}));
        assert_eq!(keys.published, 0);
        assert!(keys.notes.iter().any(|n| n.contains("HMAC")));
    }

    #[test]
    fn a_public_key_cannot_serve() {
        let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assert!(Keys::from_bytes(public.as_bytes(), "p").is_err());
    }
}
