//! The recipient's keys, made ready once: each key turned into what decrypts (an RSA-OAEP key,
//! an ECDH private key, a shared secret) with the algorithms it may serve. The keys decide, as
//! for signatures: a JWK's `alg`, `use` and `key_ops` narrow them, `--alg`/`--enc` narrow
//! further, and a key of the wrong length fits no AES algorithm.

use std::sync::Arc;

use aws_lc_rs::agreement;
use aws_lc_rs::rsa::OaepPrivateDecryptingKey;
use zeroize::Zeroizing;

use crate::alg::jwe::{ContentAlg, KeyAlg, KeyShape};
use crate::crypto::PrivateKey;
use crate::error::{KeyUse, Result};
use crate::jwe::ecdh::{self, AgreementCurve};
use crate::jwe::rsa;
use crate::keys::key::{Key, Material, Purpose};
use crate::text::cut;
use crate::verify::verdict::MatchedKey;

/// What decrypts.
pub enum Recipient {
    /// An RSA private key, for RSA-OAEP.
    Rsa(Arc<OaepPrivateDecryptingKey>),
    /// An EC or X25519 private key, for ECDH-ES.
    Ecdh(AgreementCurve, Arc<agreement::PrivateKey>),
    /// A shared secret: a key-wrapping key, or the content key itself (`dir`).
    Secret(Zeroizing<Vec<u8>>),
}

/// One key, ready to decrypt.
pub struct Entry {
    /// What decrypts.
    pub recipient: Recipient,
    /// The key-management algorithms it serves.
    pub algs: Vec<KeyAlg>,
    /// The content algorithm a `dir` key is pinned to by its JWK `alg` (RFC 7520 §5.6).
    pub enc: Option<ContentAlg>,
    /// How the key is named in output.
    pub matched: MatchedKey,
}

/// The allowlists the flags give; empty means the keys decide.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    /// `--alg`.
    pub algs: Vec<KeyAlg>,
    /// `--enc`.
    pub encs: Vec<ContentAlg>,
}

/// The algorithms a recipient can serve by what it is.
fn by_material(recipient: &Recipient) -> Vec<KeyAlg> {
    KeyAlg::for_shape(match recipient {
        Recipient::Rsa(_) => KeyShape::Rsa,
        Recipient::Ecdh(..) => KeyShape::Agreement,
        Recipient::Secret(secret) => KeyShape::Secret(secret.len()),
    })
}

fn recipient(key: &Key) -> Option<Recipient> {
    Some(match &key.material {
        Material::Secret(secret) => Recipient::Secret(secret.0.clone()),
        Material::Private(PrivateKey::Rsa(pair), _) => {
            Recipient::Rsa(Arc::new(rsa::decrypting_key(pair)?))
        }
        Material::Private(PrivateKey::Ec(curve, pair), _) => Recipient::Ecdh(
            AgreementCurve::Ec(*curve),
            Arc::new(ecdh::from_ec_pair(*curve, pair)?),
        ),
        Material::Private(PrivateKey::X25519(private), _) => {
            Recipient::Ecdh(AgreementCurve::X25519, private.clone())
        }
        Material::Private(PrivateKey::Ed25519(_), _) | Material::Public(_) => return None,
    })
}

/// What a key fits, narrowed by its JWK `alg`; an error says why it fits nothing.
fn fitting(key: &Key, recipient: &Recipient) -> std::result::Result<Entry, String> {
    let algs = by_material(recipient);
    let describe = || format!("{} holds {}", key.label(), describe(key));
    let (algs, enc) = match key.alg.as_deref() {
        None => (algs, None),
        Some(own) => {
            if let Ok(alg) = own.parse::<KeyAlg>() {
                if !algs.contains(&alg) {
                    return Err(format!(
                        "{}, which cannot serve {alg} (its JWK alg)",
                        describe()
                    ));
                }
                (vec![alg], None)
            } else if let Ok(enc) = own.parse::<ContentAlg>() {
                match recipient {
                    Recipient::Secret(s) if s.len() == enc.key_len() => {
                        (vec![KeyAlg::Dir], Some(enc))
                    }
                    _ => {
                        return Err(format!(
                            "{}, which cannot be a {enc} key for dir (its JWK alg): {enc} needs exactly {} bytes",
                            describe(),
                            enc.key_len()
                        ));
                    }
                }
            } else {
                return Err(format!(
                    "{} is for {:?} (its JWK alg), which is no JWE algorithm",
                    key.label(),
                    cut(own)
                ));
            }
        }
    };
    if algs.is_empty() {
        return Err(format!(
            "{}, which fits no JWE algorithm (AES key wrap needs exactly 16, 24 or 32 bytes; dir the content key's length: 16, 24, 32, 48 or 64)",
            describe()
        ));
    }
    Ok(Entry {
        recipient: recipient_clone(recipient),
        algs,
        enc,
        matched: MatchedKey::new(
            key.kid.clone(),
            key.origin.clone(),
            key.thumbprint(),
            key.label(),
        ),
    })
}

fn recipient_clone(recipient: &Recipient) -> Recipient {
    match recipient {
        Recipient::Rsa(key) => Recipient::Rsa(key.clone()),
        Recipient::Ecdh(curve, key) => Recipient::Ecdh(*curve, key.clone()),
        Recipient::Secret(secret) => Recipient::Secret(secret.clone()),
    }
}

fn describe(key: &Key) -> String {
    match &key.material {
        Material::Secret(secret) => format!("a {}-byte secret", secret.0.len()),
        _ => format!("an {}", key.describe()),
    }
}

/// Turn every key into an entry. A key that may not decrypt (a public key, `use: sig`,
/// `key_ops` without decryption) or fits no algorithm, and an `--alg` no key can serve, are
/// key errors (exit 3).
pub fn entries(keys: &[Key], allowed: &Allowed) -> Result<Vec<Entry>> {
    let mut entries = Vec::with_capacity(keys.len());
    for key in keys {
        if let Some(why) = key.refusal(Purpose::Decrypt) {
            return Err(KeyUse::Refused(why).into());
        }
        let recipient = recipient(key).ok_or_else(|| KeyUse::CannotDecrypt {
            label: key.label(),
            holds: describe(key),
        })?;
        let mut entry = fitting(key, &recipient).map_err(KeyUse::JweMismatch)?;
        if !allowed.algs.is_empty() {
            entry.algs.retain(|a| allowed.algs.contains(a));
        }
        entries.push(entry);
    }
    for alg in &allowed.algs {
        if !entries.iter().any(|e| e.algs.contains(alg)) {
            return Err(KeyUse::NoKeyFor {
                op: "decrypt",
                alg: alg.to_string(),
                why: "none fits it".into(),
            }
            .into());
        }
    }
    Ok(entries)
}
