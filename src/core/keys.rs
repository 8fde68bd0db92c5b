//! Keys as jwtk uses them: where they come from (file, environment, prompt), what they are
//! (secret, private or public; family, size), which algorithms they may serve (a JWK's own
//! `alg`, `use` and `key_ops` honoured) and the signers and verifiers made from them.

use std::fmt;
use std::io::Read;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::core::alg::{Algorithm, Family};
use crate::core::crypto::{self, PrivateKey, Signer, Verifier};
use crate::core::error::{Error, Result};
use crate::core::keyformat;

/// The largest key file read: real keys (even an 8192-bit RSA JWKS) are far smaller.
const MAX_KEY_BYTES: u64 = 1024 * 1024;

/// Where key material comes from. Never the command line.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file (`--key PATH`).
    File(PathBuf),
    /// An environment variable (`--key-env VAR`, or `JWTK_KEY`).
    Env(String),
    /// Bytes already read, e.g. typed at a prompt; `origin` names them in messages.
    Given {
        /// The material.
        bytes: Zeroizing<Vec<u8>>,
        /// How to name it ("the prompt").
        origin: String,
    },
}

/// How a raw secret's text becomes bytes (`--secret-encoding`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecretEncoding {
    /// The bytes as they are (default).
    #[default]
    Raw,
    /// The bytes, which must be UTF-8 text.
    Utf8,
    /// Standard base64 (padding optional).
    Base64,
    /// base64url (padding optional).
    Base64Url,
    /// Hexadecimal.
    Hex,
}

/// An HMAC secret. Its bytes never appear in `Debug` and are wiped on drop.
#[derive(Clone)]
pub struct Secret(pub Zeroizing<Vec<u8>>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes, redacted)", self.0.len())
    }
}

/// A public key in the form the verifier reads, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// RSA, EC on a curve, or Ed25519.
    pub family: Family,
    /// PKCS#1 `RSAPublicKey` DER for RSA, the uncompressed point for EC, 32 bytes for Ed25519.
    pub bytes: Vec<u8>,
    /// Key size in bits (the modulus for RSA, the field for EC, 256 for Ed25519).
    pub bits: usize,
}

/// What a key holds.
#[derive(Clone)]
pub enum Material {
    /// A shared secret, for HMAC.
    Secret(Secret),
    /// A private key, and its public half.
    Private(PrivateKey, PublicKey),
    /// A public key, for verifying only.
    Public(PublicKey),
}

/// One usable key, with the JWK parameters that restrict it and where it came from.
#[derive(Clone)]
pub struct Key {
    /// The key material.
    pub material: Material,
    /// Key id (`kid`), from a JWK.
    pub kid: Option<String>,
    /// A JWK's `alg`, as written.
    pub alg: Option<String>,
    /// A JWK's `use`.
    pub use_: Option<String>,
    /// A JWK's `key_ops`.
    pub key_ops: Option<Vec<String>>,
    /// Where it came from: a path, `$VAR` or "the prompt".
    pub origin: String,
    /// The encoding it was read from: "PKCS#8 PEM", "JWK", "raw secret", …
    pub format: &'static str,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kind", &self.describe())
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// What a key is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Minting.
    Sign,
    /// Verifying.
    Verify,
}

impl Key {
    /// The key's family.
    pub fn family(&self) -> Family {
        match &self.material {
            Material::Secret(_) => Family::Hmac,
            Material::Private(_, public) | Material::Public(public) => public.family,
        }
    }

    /// "RSA 2048-bit private key", "EC P-256 public key", "HMAC secret of 32 bytes".
    pub fn describe(&self) -> String {
        match &self.material {
            Material::Secret(secret) => format!("HMAC secret of {} bytes", secret.0.len()),
            Material::Private(_, public) => format!("{} private key", sized(public)),
            Material::Public(public) => format!("{} public key", sized(public)),
        }
    }

    /// How messages name this key: its kid, or where it came from.
    pub fn label(&self) -> String {
        match &self.kid {
            Some(kid) => format!("kid {kid:?}"),
            None => self.origin.clone(),
        }
    }

    /// The algorithms this key may serve for `purpose`: those of its family, narrowed by a
    /// JWK's `alg`, and none when its `use` or `key_ops` forbid the purpose.
    pub fn algorithms(&self, purpose: Purpose) -> Vec<Algorithm> {
        if self.refusal(purpose).is_some() {
            return Vec::new();
        }
        Algorithm::for_family(self.family())
            .filter(|alg| self.alg.as_deref().is_none_or(|own| own == alg.name()))
            .collect()
    }

    /// Why this key may not be used for `purpose` at all, if it may not.
    pub fn refusal(&self, purpose: Purpose) -> Option<String> {
        if purpose == Purpose::Sign && matches!(self.material, Material::Public(_)) {
            return Some(format!(
                "{} is a public key, which cannot sign",
                self.origin
            ));
        }
        if let Some(use_) = self.use_.as_deref().filter(|u| *u != "sig") {
            return Some(format!(
                "{} has \"use\": {use_:?}, not \"sig\"",
                self.label()
            ));
        }
        let op = match purpose {
            Purpose::Sign => "sign",
            Purpose::Verify => "verify",
        };
        match &self.key_ops {
            Some(ops) if !ops.iter().any(|o| o == op) => {
                Some(format!("{}'s key_ops do not include {op:?}", self.label()))
            }
            _ => None,
        }
    }

    /// The algorithm a key implies: a JWK's own `alg`, else its family's default
    /// (HMAC→HS256, RSA→RS256, P-256→ES256, P-384→ES384, P-521→ES512, Ed25519→EdDSA).
    pub fn default_alg(&self) -> Algorithm {
        if let Some(own) = self.alg.as_deref().and_then(|a| a.parse().ok())
            && Algorithm::for_family(self.family()).any(|alg| alg == own)
        {
            return own;
        }
        match self.family() {
            Family::Hmac => Algorithm::HS256,
            Family::Rsa => Algorithm::RS256,
            Family::Ec(curve) => curve.alg(),
            Family::Ed25519 => Algorithm::EdDSA,
        }
    }

    /// Why this key cannot serve `alg` for `purpose`, or `None` when it can.
    pub fn mismatch(&self, alg: Algorithm, purpose: Purpose) -> Option<String> {
        if alg.family() == Family::Hmac && self.family() != Family::Hmac {
            return Some(format!(
                "{} holds {}, and {alg} needs a shared secret: public-key material is never \
                 used as an HMAC secret (that is the key-confusion attack)",
                self.origin,
                article(&self.describe())
            ));
        }
        if let Some(refusal) = self.refusal(purpose) {
            return Some(refusal);
        }
        if alg.family() != self.family() {
            return Some(format!(
                "{} holds {}, which cannot serve {alg}",
                self.origin,
                article(&self.describe())
            ));
        }
        match self.alg.as_deref() {
            Some(own) if own != alg.name() => Some(format!(
                "{} is for {own:?} only (its JWK alg), not {alg}",
                self.label()
            )),
            _ => None,
        }
    }

    /// A signer for `alg`, or a key error saying why this key cannot sign with it.
    pub fn signer(&self, alg: Algorithm) -> Result<Signer> {
        if let Some(why) = self.mismatch(alg, Purpose::Sign) {
            return Err(Error::key(why, fitting_hint(self, Purpose::Sign)));
        }
        match &self.material {
            Material::Secret(secret) => Ok(Signer::hmac(alg, &secret.0)),
            Material::Private(private, _) => Ok(Signer::private(alg, private.clone())),
            Material::Public(_) => Err(Error::key(format!("{} cannot sign", self.origin), None)),
        }
    }

    /// A verifier for `alg`, or a key error saying why this key cannot verify it.
    pub fn verifier(&self, alg: Algorithm) -> Result<Verifier> {
        if let Some(why) = self.mismatch(alg, Purpose::Verify) {
            return Err(Error::key(why, fitting_hint(self, Purpose::Verify)));
        }
        let public = match &self.material {
            Material::Secret(secret) => return Ok(Verifier::hmac(alg, &secret.0)),
            Material::Private(_, public) | Material::Public(public) => public,
        };
        Verifier::public(alg, &public.bytes)
            .ok_or_else(|| Error::key(format!("{} is not a valid {alg} key", self.origin), None))
    }

    /// A warning when an HMAC secret is shorter than the hash (RFC 7518 §3.2).
    pub fn weakness(&self, alg: Algorithm) -> Option<String> {
        let (Material::Secret(secret), Some(min)) = (&self.material, alg.min_secret_len()) else {
            return None;
        };
        (secret.0.len() < min).then(|| {
            format!(
                "the {alg} secret from {} is {} bytes; RFC 7518 §3.2 asks for at least {min} \
                 (`jwtk keygen --type hmac` makes one)",
                self.origin,
                secret.0.len()
            )
        })
    }
}

fn sized(public: &PublicKey) -> String {
    match public.family {
        Family::Rsa => format!("RSA {}-bit", public.bits),
        other => other.to_string(),
    }
}

fn article(text: &str) -> String {
    let vowel = text.starts_with(['A', 'E', 'I', 'O', 'U', 'R', 'H']);
    format!("{} {text}", if vowel { "an" } else { "a" })
}

fn fitting_hint(key: &Key, purpose: Purpose) -> Option<String> {
    let fits = key.algorithms(purpose);
    (!fits.is_empty()).then(|| {
        let names: Vec<&str> = fits.iter().map(|a| a.name()).collect();
        format!("this key fits {}", names.join(", "))
    })
}

/// Keys read from one source, with notes for the user (e.g. a trailing newline removed).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The keys, in order (a JWKS gives several).
    pub keys: Vec<Key>,
    /// Things to tell the user on stderr.
    pub notes: Vec<String>,
    /// Things to warn the user about (a private key file others can read).
    pub warnings: Vec<String>,
}

/// Read and parse the key material of `source`.
pub fn load(source: &Source, encoding: SecretEncoding) -> Result<Loaded> {
    match source {
        Source::File(path) => {
            let bytes = read_key_file(path)?;
            let mut loaded = keyformat::parse(&bytes, &path.display().to_string(), true, encoding)?;
            let secret = loaded
                .keys
                .iter()
                .any(|k| !matches!(k.material, Material::Public(_)));
            if secret && let Some(warning) = loose_permissions(path) {
                loaded.warnings.push(warning);
            }
            Ok(loaded)
        }
        Source::Env(var) => {
            let value = std::env::var_os(var).ok_or_else(|| {
                Error::key(
                    format!("environment variable {var} is not set"),
                    Some(format!(
                        "export {var}=\"$(cat key.pem)\", or give --key FILE"
                    )),
                )
            })?;
            let bytes = Zeroizing::new(os_bytes(value));
            keyformat::parse(&bytes, &format!("${var}"), false, encoding)
        }
        Source::Given { bytes, origin } => keyformat::parse(bytes, origin, false, encoding),
    }
}

#[cfg(unix)]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    value.into_vec()
}

#[cfg(not(unix))]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

/// A warning when a file holding private or secret key material can be read by the group or
/// by others (as ssh warns about private keys).
#[cfg(unix)]
fn loose_permissions(path: &std::path::Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds private key material but its mode is {mode:04o}: others can read it (chmod 600 {0})",
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn loose_permissions(_: &std::path::Path) -> Option<String> {
    None
}

fn read_key_file(path: &PathBuf) -> Result<Zeroizing<Vec<u8>>> {
    let file_error = |source| Error::File {
        path: path.clone(),
        io: source,
    };
    let file = std::fs::File::open(path).map_err(file_error)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(file_error)?;
    if bytes.len() as u64 > MAX_KEY_BYTES {
        return Err(Error::key(
            format!("{} is larger than 1 MiB, which no key is", path.display()),
            None,
        ));
    }
    Ok(bytes)
}

/// Keep the keys whose kid is `kid`; a key error listing the kids there are when none is.
pub fn select_kid(keys: Vec<Key>, kid: &str, origin: &str) -> Result<Vec<Key>> {
    let known: Vec<String> = keys.iter().filter_map(|k| k.kid.clone()).collect();
    let chosen: Vec<Key> = keys
        .into_iter()
        .filter(|k| k.kid.as_deref() == Some(kid))
        .collect();
    if chosen.is_empty() {
        let hint = if known.is_empty() {
            "the keys given carry no kid".to_string()
        } else {
            format!(
                "kids there: {}",
                known
                    .iter()
                    .map(|k| format!("{k:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::key(
            format!("no key with kid {kid:?} in {origin}"),
            Some(hint),
        ));
    }
    Ok(chosen)
}

/// The public half of a private key, as [`crypto`] gives it.
pub fn public_half(private: &PrivateKey, family: Family, bits: usize) -> PublicKey {
    PublicKey {
        family,
        bytes: crypto::public_bytes(private),
        bits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secret_bytes() {
        let bytes = b"SUPER-SECRET-VALUE-1234567890-abcdefgh";
        let loaded = crate::core::keyformat::parse(bytes, "k", false, SecretEncoding::Raw).unwrap();
        assert!(!format!("{:?}", loaded.keys[0]).contains("SUPER-SECRET"));
        assert!(!format!("{:?}", Secret(Zeroizing::new(bytes.to_vec()))).contains("SUPER"));
        assert!(!format!("{loaded:?}").contains("SUPER"));
    }
}
