//! Generating keys with aws-lc-rs (the crypto that signs and verifies; the OS CSPRNG only):
//! HMAC secrets, RSA, EC and Ed25519 key pairs, as PKCS#8 v1 / SPKI PEM and as JWKs.

use aws_lc_rs::encoding::{AsBigEndian, AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::core::alg::{Algorithm, Curve, Family};
use crate::core::crypto::ecdsa_signing_alg;
use crate::core::error::{KeyUse, Result, Usage};
use crate::core::jwk::Jwk;
use crate::core::mint::random_id;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// A shared secret of this many bits (at least 256).
    Hmac { bits: usize },
    /// An RSA key of 2048, 3072, 4096 or 8192 bits.
    Rsa { bits: usize },
    /// An ECDSA key on a NIST curve.
    Ec(Curve),
    /// An Ed25519 key.
    Ed25519,
}

/// The RSA sizes aws-lc-rs generates.
pub const RSA_SIZES: [usize; 4] = [2048, 3072, 4096, 8192];

/// The smallest HMAC secret generated, in bits (RFC 7518 §3.2 for HS256).
pub const MIN_HMAC_BITS: usize = 256;

/// The largest HMAC secret generated, in bits. HMAC hashes a key longer than its block (512
/// bits for SHA-256, 1024 for SHA-384/512) down to one hash (RFC 2104 §2), so more adds
/// nothing; this leaves room and stays far inside the key files jwtk reads.
pub const MAX_HMAC_BITS: usize = 4096;

impl KeyType {
    /// The key family.
    pub fn family(self) -> Family {
        match self {
            KeyType::Hmac { .. } => Family::Hmac,
            KeyType::Rsa { .. } => Family::Rsa,
            KeyType::Ec(curve) => Family::Ec(curve),
            KeyType::Ed25519 => Family::Ed25519,
        }
    }

    /// Check sizes: RSA among [`RSA_SIZES`], HMAC at least 256 bits in whole bytes.
    pub fn check(self) -> Result<Self> {
        match self {
            KeyType::Rsa { bits } if !RSA_SIZES.contains(&bits) => {
                Err(Usage::RsaBits { bits }.into())
            }
            KeyType::Hmac { bits }
                if !(MIN_HMAC_BITS..=MAX_HMAC_BITS).contains(&bits) || bits % 8 != 0 =>
            {
                Err(Usage::HmacBits {
                    bits,
                    min: MIN_HMAC_BITS,
                    max: MAX_HMAC_BITS,
                }
                .into())
            }
            ok => Ok(ok),
        }
    }
}

/// A generated key: its private JWK, and its PEM forms for asymmetric keys.
pub struct Generated {
    /// The private (or secret) JWK with `kty`, `kid`, `use`, `alg` and the key members.
    pub jwk: Jwk,
    /// PKCS#8 v1 private key PEM (asymmetric keys only).
    pub private_pem: Option<Zeroizing<String>>,
    /// SPKI public key PEM (asymmetric keys only).
    pub public_pem: Option<String>,
}

impl Generated {
    /// The public JWK (`None` for HMAC, which has no public half).
    pub fn public_jwk(&self) -> Option<Jwk> {
        self.jwk.public()
    }
}

/// Generate a key. `alg` goes into the JWK (it must fit the type); `kid` defaults to the RFC
/// 7638 thumbprint for asymmetric keys and a random id for HMAC (a hash of a secret is not
/// published).
pub fn generate(
    key_type: KeyType,
    alg: Option<Algorithm>,
    kid: Option<String>,
) -> Result<Generated> {
    let key_type = key_type.check()?;
    if let Some(alg) = alg
        && alg.family() != key_type.family()
    {
        return Err(Usage::AlgDoesNotFit {
            alg: alg.to_string(),
            family: key_type.family().to_string(),
        }
        .into());
    }
    let failed = |what: &str| KeyUse::CryptoFailed {
        what: format!("generating the {what} key"),
    };
    let (mut jwk, pems) = match key_type {
        KeyType::Hmac { bits } => (hmac(bits), None),
        KeyType::Rsa { bits } => rsa(bits).ok_or_else(|| failed("RSA"))?,
        KeyType::Ec(curve) => ec(curve).ok_or_else(|| failed("EC"))?,
        KeyType::Ed25519 => ed25519().ok_or_else(|| failed("Ed25519"))?,
    };
    jwk.use_ = Some("sig".into());
    jwk.alg = Some(
        alg.unwrap_or_else(|| default_alg(key_type))
            .name()
            .to_string(),
    );
    jwk.kid = Some(match kid {
        Some(kid) => kid,
        None if key_type.family() == Family::Hmac => random_id(),
        None => jwk
            .thumbprint()
            .ok_or_else(|| failed("thumbprint of the"))?,
    });
    let (private_pem, public_pem) = pems.unzip();
    Ok(Generated {
        jwk,
        private_pem,
        public_pem,
    })
}

/// The algorithm a key of this type signs with unless told otherwise.
pub fn default_alg(key_type: KeyType) -> Algorithm {
    match key_type {
        KeyType::Hmac { .. } => Algorithm::HS256,
        KeyType::Rsa { .. } => Algorithm::RS256,
        KeyType::Ec(curve) => curve.alg(),
        KeyType::Ed25519 => Algorithm::EdDSA,
    }
}

type Pems = Option<(Zeroizing<String>, String)>;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn pems(private_der: &[u8], public_der: &[u8]) -> Pems {
    let lf = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    let private = pem::encode_config(&pem::Pem::new("PRIVATE KEY", private_der.to_vec()), lf);
    let public = pem::encode_config(&pem::Pem::new("PUBLIC KEY", public_der.to_vec()), lf);
    Some((Zeroizing::new(private), public))
}

fn hmac(bits: usize) -> Jwk {
    let mut secret = Zeroizing::new(vec![0u8; bits / 8]);
    // Only fails when the OS has no entropy source at all.
    aws_lc_rs::rand::fill(&mut secret)
        .expect("the operating system's random number generator failed");
    let mut jwk = Jwk::of_type("oct");
    jwk.k = Some(b64(&secret));
    jwk
}

fn rsa(bits: usize) -> Option<(Jwk, Pems)> {
    let size = match bits {
        3072 => KeySize::Rsa3072,
        4096 => KeySize::Rsa4096,
        8192 => KeySize::Rsa8192,
        _ => KeySize::Rsa2048,
    };
    let pair = RsaKeyPair::generate(size).ok()?;
    let pkcs8: Pkcs8V1Der = pair.as_der().ok()?;
    let spki: PublicKeyX509Der = pair.public_key().as_der().ok()?;
    let jwk = crate::core::jwk::rsa_from_pkcs8(pkcs8.as_ref())?;
    Some((jwk, pems(pkcs8.as_ref(), spki.as_ref())))
}

fn ec(curve: Curve) -> Option<(Jwk, Pems)> {
    let pair = EcdsaKeyPair::generate(ecdsa_signing_alg(curve)).ok()?;
    let pkcs8 = pair.to_pkcs8v1().ok()?;
    let spki: PublicKeyX509Der = pair.public_key().as_der().ok()?;
    let d = pair.private_key().as_be_bytes().ok()?;
    let point = pair.public_key().as_ref();
    let len = curve.coordinate_len();
    let mut jwk = Jwk::of_type("EC");
    jwk.crv = Some(curve.name().into());
    jwk.x = Some(b64(point.get(1..1 + len)?));
    jwk.y = Some(b64(point.get(1 + len..)?));
    jwk.d = Some(b64(d.as_ref()));
    Some((jwk, pems(pkcs8.as_ref(), spki.as_ref())))
}

fn ed25519() -> Option<(Jwk, Pems)> {
    let pair = Ed25519KeyPair::generate().ok()?;
    // PKCS#8 v1: jsonwebtoken and older OpenSSL builds reject the v2 form.
    let pkcs8 = pair.to_pkcs8v1().ok()?;
    let spki: PublicKeyX509Der = pair.public_key().as_der().ok()?;
    let seed = pair.seed().ok()?.as_be_bytes().ok()?;
    let mut jwk = Jwk::of_type("OKP");
    jwk.crv = Some("Ed25519".into());
    jwk.x = Some(b64(pair.public_key().as_ref()));
    jwk.d = Some(b64(seed.as_ref()));
    Some((jwk, pems(pkcs8.as_ref(), spki.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked() {
        assert!(KeyType::Rsa { bits: 1024 }.check().is_err());
        assert!(KeyType::Hmac { bits: 128 }.check().is_err());
        assert!(KeyType::Hmac { bits: 260 }.check().is_err());
        assert!(KeyType::Hmac { bits: 512 }.check().is_ok());
        assert!(
            KeyType::Hmac {
                bits: MAX_HMAC_BITS
            }
            .check()
            .is_ok()
        );
        assert!(
            KeyType::Hmac {
                bits: MAX_HMAC_BITS + 8
            }
            .check()
            .is_err()
        );
        assert!(KeyType::Hmac { bits: usize::MAX }.check().is_err());
        assert!(generate(KeyType::Ec(Curve::P256), Some(Algorithm::RS256), None).is_err());
    }

    #[test]
    fn every_type_has_the_jwk_members_and_kid() {
        for key_type in [
            KeyType::Hmac { bits: 256 },
            KeyType::Ec(Curve::P384),
            KeyType::Ed25519,
        ] {
            let g = generate(key_type, None, None).unwrap();
            assert_eq!(g.jwk.use_.as_deref(), Some("sig"));
            assert!(g.jwk.kid.is_some() && g.jwk.alg.is_some() && g.jwk.is_private());
            assert_eq!(g.private_pem.is_some(), key_type.family() != Family::Hmac);
        }
        let ec = generate(KeyType::Ec(Curve::P521), None, None).unwrap();
        assert_eq!(ec.jwk.kid, ec.jwk.thumbprint());
        assert_eq!(ec.jwk.alg.as_deref(), Some("ES512"));
        let hmac = generate(
            KeyType::Hmac { bits: 512 },
            Some(Algorithm::HS512),
            Some("k1".into()),
        )
        .unwrap();
        assert_eq!(hmac.jwk.kid.as_deref(), Some("k1"));
        assert_eq!(
            URL_SAFE_NO_PAD
                .decode(hmac.jwk.k.as_ref().unwrap())
                .unwrap()
                .len(),
            64
        );
    }
}
