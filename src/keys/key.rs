//! One key as jwtk uses it: what it holds (secret, private or public; family, size), the JWK
//! parameters that restrict it (`alg`, `use`, `key_ops`), which algorithms it may serve, and
//! the signers and verifiers made from it.

use std::fmt;

use zeroize::Zeroizing;

use crate::alg::{Algorithm, Family};
use crate::crypto::{PrivateKey, Signer, Verifier};
use crate::error::{KeyUse, Refusal, Result};

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
    /// Decrypting a JWE (key unwrap, key agreement or direct use).
    Decrypt,
    /// Encrypting a JWE to the key's holder (key wrap, key agreement or direct use).
    Encrypt,
}

/// The JWK `key_ops` that allow decrypting in one of its forms (RFC 7517 §4.3).
pub const DECRYPT_OPS: [&str; 4] = ["decrypt", "unwrapKey", "deriveKey", "deriveBits"];

/// The JWK `key_ops` that allow encrypting to a key in one of its forms (RFC 7517 §4.3), and
/// their private counterparts (a private key names what its holder does).
pub const ENCRYPT_OPS: [&str; 6] = [
    "encrypt",
    "wrapKey",
    "deriveKey",
    "deriveBits",
    "decrypt",
    "unwrapKey",
];

impl Key {
    /// A key with no JWK parameters, from `origin` (a path, `$VAR`, "the prompt").
    pub fn new(material: Material, origin: &str, format: &'static str) -> Self {
        Key {
            material,
            kid: None,
            alg: None,
            use_: None,
            key_ops: None,
            origin: origin.to_string(),
            format,
        }
    }

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
    pub fn refusal(&self, purpose: Purpose) -> Option<Refusal> {
        match purpose {
            Purpose::Decrypt => return self.decrypt_refusal(),
            Purpose::Encrypt => return self.encrypt_refusal(),
            Purpose::Sign | Purpose::Verify => {}
        }
        if purpose == Purpose::Sign && matches!(self.material, Material::Public(_)) {
            return Some(Refusal::PublicCannotSign {
                origin: self.origin.clone(),
            });
        }
        if self.family() == Family::X25519 {
            return Some(Refusal::AgreementOnly {
                label: self.label(),
            });
        }
        if let Some(use_) = self.use_.as_deref().filter(|u| *u != "sig") {
            return Some(Refusal::Use {
                label: self.label(),
                use_: use_.to_string(),
                wanted: "sig",
            });
        }
        let op = match purpose {
            Purpose::Sign => "sign",
            _ => "verify",
        };
        match &self.key_ops {
            Some(ops) if !ops.iter().any(|o| o == op) => Some(Refusal::KeyOps {
                label: self.label(),
                op,
            }),
            _ => None,
        }
    }

    /// Why this key may not decrypt: a public key, `use` other than `enc`, `key_ops` without
    /// any decrypting operation.
    fn decrypt_refusal(&self) -> Option<Refusal> {
        if matches!(self.material, Material::Public(_)) {
            return Some(Refusal::PublicCannotDecrypt {
                label: self.label(),
            });
        }
        if let Some(use_) = self.use_.as_deref().filter(|u| *u != "enc") {
            return Some(Refusal::Use {
                label: self.label(),
                use_: use_.to_string(),
                wanted: "enc",
            });
        }
        match &self.key_ops {
            Some(ops) if !ops.iter().any(|o| DECRYPT_OPS.contains(&o.as_str())) => {
                Some(Refusal::NoDecryptOps {
                    label: self.label(),
                })
            }
            _ => None,
        }
    }

    /// Why nothing may be encrypted to this key: `use` other than `enc`, `key_ops` without any
    /// encrypting operation, an Ed25519 key (signatures only).
    fn encrypt_refusal(&self) -> Option<Refusal> {
        if let Some(use_) = self.use_.as_deref().filter(|u| *u != "enc") {
            return Some(Refusal::NotForEncryption {
                label: self.label(),
                use_: use_.to_string(),
            });
        }
        if let Some(ops) = &self.key_ops
            && !ops.iter().any(|o| ENCRYPT_OPS.contains(&o.as_str()))
        {
            return Some(Refusal::NoEncryptOps {
                label: self.label(),
            });
        }
        (self.family() == Family::Ed25519).then(|| Refusal::SignaturesOnly {
            label: self.label(),
        })
    }

    /// The algorithm a key implies: a JWK's own `alg`, else its family's default
    /// (HMAC→HS256, RSA→RS256, P-256→ES256, P-384→ES384, P-521→ES512, Ed25519→EdDSA).
    pub fn default_alg(&self) -> Algorithm {
        if let Some(own) = self.alg.as_deref().and_then(|a| a.parse().ok())
            && Algorithm::for_family(self.family()).any(|alg| alg == own)
        {
            return own;
        }
        Algorithm::default_for(self.family())
    }

    /// Why this key cannot serve `alg` for `purpose`, or `None` when it can.
    pub fn mismatch(&self, alg: Algorithm, purpose: Purpose) -> Option<KeyUse> {
        let fits = || self.algorithms(purpose);
        if alg.family() == Family::Hmac && self.family() != Family::Hmac {
            return Some(KeyUse::Confusion {
                origin: self.origin.clone(),
                holds: article(&self.describe()),
                alg,
                fits: fits(),
            });
        }
        if let Some(refusal) = self.refusal(purpose) {
            return Some(KeyUse::Refused(refusal));
        }
        if alg.family() != self.family() {
            return Some(KeyUse::WrongFamily {
                origin: self.origin.clone(),
                holds: article(&self.describe()),
                alg,
                fits: fits(),
            });
        }
        match self.alg.as_deref() {
            Some(own) if own != alg.name() => Some(KeyUse::Pinned {
                label: self.label(),
                own: own.to_string(),
                alg,
                fits: fits(),
            }),
            _ => None,
        }
    }

    /// A signer for `alg`, or why this key cannot sign with it.
    pub fn signer(&self, alg: Algorithm) -> Result<Signer> {
        if let Some(why) = self.mismatch(alg, Purpose::Sign) {
            return Err(why.into());
        }
        let unfit = || KeyUse::Invalid {
            origin: self.origin.clone(),
            alg,
        };
        match (&self.material, alg) {
            (Material::Secret(secret), Algorithm::Hs(sha)) => Ok(Signer::hmac(sha, &secret.0)),
            (Material::Private(private, _), _) => Ok(Signer::private(alg, private.clone())),
            (Material::Secret(_) | Material::Public(_), _) => Err(unfit().into()),
        }
    }

    /// A verifier for `alg`, or why this key cannot verify it.
    pub fn verifier(&self, alg: Algorithm) -> Result<Verifier> {
        if let Some(why) = self.mismatch(alg, Purpose::Verify) {
            return Err(why.into());
        }
        let unfit = || KeyUse::Invalid {
            origin: self.origin.clone(),
            alg,
        };
        let public = match (&self.material, alg) {
            (Material::Secret(secret), Algorithm::Hs(sha)) => {
                return Ok(Verifier::hmac(sha, &secret.0));
            }
            (Material::Secret(_), _) => return Err(unfit().into()),
            (Material::Private(_, public) | Material::Public(public), _) => public,
        };
        Verifier::public(alg, &public.bytes).ok_or_else(|| unfit().into())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::generate::{self, KeyType};

    /// Every row of the algorithm table signs and verifies end to end with a key of its
    /// family, and refuses a signature made with another key: a new row that is not wired
    /// into the crypto fails here.
    #[test]
    fn every_algorithm_signs_and_verifies() {
        let rsa: Vec<Vec<u8>> = (0..2)
            .map(|_| {
                let generated =
                    generate::generate(KeyType::Rsa { bits: 2048 }, None, generate::Use::Sig, None)
                        .unwrap();
                let mut jwk = serde_json::to_value(&generated.jwk).unwrap();
                jwk.as_object_mut().unwrap().remove("alg");
                serde_json::to_vec(&jwk).unwrap()
            })
            .collect();
        for alg in Algorithm::ALL {
            let key_type = match alg.family() {
                Family::Hmac => KeyType::Hmac {
                    bits: alg.min_secret_len().unwrap_or(32) * 8,
                },
                Family::Rsa => KeyType::Rsa { bits: 2048 },
                Family::Ec(curve) => KeyType::Ec(curve),
                Family::Ed25519 => KeyType::Ed25519,
                Family::X25519 => unreachable!("no signature algorithm uses X25519"),
            };
            let load = |n: usize| {
                // RSA keys are slow to make: two, without a pinned alg, serve all six.
                let text = match key_type {
                    KeyType::Rsa { .. } => rsa[n].clone(),
                    _ => {
                        let alg = Some(generate::JwkAlg::Sig(alg));
                        let generated =
                            generate::generate(key_type, alg, generate::Use::Sig, None).unwrap();
                        serde_json::to_vec(&generated.jwk).unwrap()
                    }
                };
                let mut loaded = crate::keys::format::load(&text, "k", None, 0).unwrap();
                loaded.keys.remove(0)
            };
            let (key, other) = (load(0), load(1));
            let signature = key.signer(alg).unwrap().sign(b"message").unwrap();
            let verifier = key.verifier(alg).unwrap();
            assert!(verifier.verify(b"message", &signature), "{alg}");
            assert!(!verifier.verify(b"messagf", &signature), "{alg}");
            let forged = other.signer(alg).unwrap().sign(b"message").unwrap();
            assert!(!verifier.verify(b"message", &forged), "{alg}");
            assert_eq!(alg.name().parse::<Algorithm>(), Ok(alg));
        }
    }
}
