//! Generating keys with aws-lc-rs (the crypto that signs and verifies; the OS CSPRNG only):
//! HMAC secrets, RSA, EC and Ed25519 key pairs for signatures; RSA, EC, X25519 and shared
//! keys for encryption (JWE); as PKCS#8 v1 / SPKI PEM and as JWKs.

use aws_lc_rs::agreement;
use aws_lc_rs::encoding::{AsBigEndian, AsDer, Curve25519SeedBin, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use zeroize::Zeroizing;

use crate::alg::jwe::{KeyAlg, KeyShape};
use crate::alg::{Algorithm, Curve, Family};
use crate::crypto::ecdsa_signing_alg;
use crate::error::{KeyUse, Result, Usage};
use crate::keys::jwk::Jwk;
use crate::mint::random_id;

/// What to generate.
#[non_exhaustive]
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
    /// An X25519 key, for ECDH-ES only.
    X25519,
    /// A shared key for JWE (AES key wrap or dir) of this many bits.
    Shared { bits: usize },
}

/// What a generated key is for: the JWK `use`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Signatures (`use: sig`).
    Sig,
    /// Encryption (`use: enc`).
    Enc,
}

/// The algorithm a JWK names: a JWS algorithm for a signing key, a JWE key-management
/// algorithm for an encryption key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwkAlg {
    /// A signature algorithm.
    Sig(Algorithm),
    /// A key-management algorithm.
    Enc(KeyAlg),
}

/// How many algorithms a JWK can name: every JWS one and every JWE key-management one.
const JWK_ALGS: usize = Algorithm::ALL.len() + KeyAlg::ALL.len();

impl JwkAlg {
    /// Every name `keygen --alg` takes: the JWS algorithms, then the JWE ones. Both tables are
    /// copied whole into an array of their summed length, so every slot is written (a slot
    /// missed would show as a second HS256, the filler, which the unit test refuses).
    pub const ALL: [JwkAlg; JWK_ALGS] = {
        let mut all = [JwkAlg::Sig(Algorithm::HS256); JWK_ALGS];
        let mut i = 0;
        while i < Algorithm::ALL.len() {
            all[i] = JwkAlg::Sig(Algorithm::ALL[i]);
            i += 1;
        }
        let mut j = 0;
        while j < KeyAlg::ALL.len() {
            all[Algorithm::ALL.len() + j] = JwkAlg::Enc(KeyAlg::ALL[j]);
            j += 1;
        }
        all
    };

    /// The registered name.
    pub fn name(self) -> &'static str {
        match self {
            JwkAlg::Sig(alg) => alg.name(),
            JwkAlg::Enc(alg) => alg.name(),
        }
    }
}

/// The sizes of a shared JWE key, in bits: the AES key wraps' and the content keys' of `dir`.
pub const SHARED_BITS: [usize; 5] = [128, 192, 256, 384, 512];

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
            KeyType::X25519 => Family::X25519,
            KeyType::Shared { .. } => Family::Hmac,
        }
    }

    /// What the JWE algorithms see of a key of this type (`None`: a signature key only, as
    /// is an EC key on a curve without ECDH).
    pub fn shape(self) -> Option<KeyShape> {
        match self {
            KeyType::Rsa { .. } => Some(KeyShape::Rsa),
            KeyType::Ec(curve) => curve.spec().agreement.map(|_| KeyShape::Agreement),
            KeyType::X25519 => Some(KeyShape::Agreement),
            KeyType::Shared { bits } => Some(KeyShape::Secret(bits / 8)),
            KeyType::Hmac { .. } | KeyType::Ed25519 => None,
        }
    }

    /// Check sizes: RSA among `RSA_SIZES`, HMAC at least 256 bits in whole bytes.
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
            KeyType::Shared { bits } if !SHARED_BITS.contains(&bits) => {
                Err(Usage::SharedBits { bits }.into())
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

/// Generate a key for `use_`. `alg` goes into the JWK (it must fit the type and the use; a
/// signing key without one gets its type's default, an encryption key none); `kid` defaults to
/// the RFC 7638 thumbprint for asymmetric keys and a random id for secrets (a hash of a secret
/// is not published).
pub fn generate(
    key_type: KeyType,
    alg: Option<JwkAlg>,
    use_: Use,
    kid: Option<String>,
) -> Result<Generated> {
    let key_type = key_type.check()?;
    check_fit(key_type, alg, use_)?;
    let failed = |what: &str| KeyUse::CryptoFailed {
        what: format!("generating the {what} key"),
    };
    let (mut jwk, pems) = match key_type {
        KeyType::Hmac { bits } | KeyType::Shared { bits } => (hmac(bits), None),
        KeyType::Rsa { bits } => rsa(bits).ok_or_else(|| failed("RSA"))?,
        KeyType::Ec(curve) => ec(curve).ok_or_else(|| failed("EC"))?,
        KeyType::Ed25519 => ed25519().ok_or_else(|| failed("Ed25519"))?,
        KeyType::X25519 => x25519().ok_or_else(|| failed("X25519"))?,
    };
    jwk.use_ = Some(
        match use_ {
            Use::Sig => "sig",
            Use::Enc => "enc",
        }
        .into(),
    );
    jwk.alg = match (alg, use_) {
        (Some(alg), _) => Some(alg.name().to_string()),
        (None, Use::Sig) => Some(default_alg(key_type).name().to_string()),
        (None, Use::Enc) => None,
    };
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

/// A signing key takes a JWS algorithm of its family; an encryption key a JWE key-management
/// algorithm its shape serves; X25519 and shared JWE keys are for encryption only, Ed25519
/// and HMAC keys for signatures only.
fn check_fit(key_type: KeyType, alg: Option<JwkAlg>, use_: Use) -> Result<()> {
    let family = key_type.family();
    let misfit = |why: String| Err(Usage::KeyMisfit { why }.into());
    match (use_, key_type.shape(), alg) {
        (Use::Sig, _, _) if matches!(key_type, KeyType::X25519 | KeyType::Shared { .. }) => {
            misfit(format!("{family} keys are for encryption: add --use enc"))
        }
        (Use::Enc, None, _) => misfit(format!(
            "{family} keys are for signatures only; encryption keys are rsa, ec, x25519 or a shared key"
        )),
        (Use::Sig, _, Some(JwkAlg::Sig(alg))) if alg.family() != family => {
            misfit(format!("{alg} does not fit a {family} key"))
        }
        (Use::Sig, _, Some(JwkAlg::Enc(alg))) => misfit(format!(
            "{alg} is a JWE key-management algorithm: add --use enc for an encryption key"
        )),
        (Use::Enc, _, Some(JwkAlg::Sig(alg))) => misfit(format!(
            "{alg} is a signature algorithm, and --use enc makes an encryption key"
        )),
        (Use::Enc, Some(shape), Some(JwkAlg::Enc(alg))) if !alg.fits(shape) => {
            misfit(format!("{alg} does not fit a {}", describe_enc(key_type)))
        }
        _ => Ok(()),
    }
}

fn describe_enc(key_type: KeyType) -> String {
    match key_type {
        KeyType::Shared { bits } => format!("a {bits}-bit shared key"),
        // RSA, EC, X25519: each read with a vowel sound.
        other => format!("an {} key", other.family()),
    }
}

/// The algorithm a key of this type signs with unless told otherwise.
pub fn default_alg(key_type: KeyType) -> Algorithm {
    match key_type {
        KeyType::Hmac { .. } => Algorithm::HS256,
        KeyType::Rsa { .. } => Algorithm::RS256,
        KeyType::Ec(curve) => curve.alg(),
        KeyType::Ed25519 => Algorithm::EdDSA,
        // Encryption keys sign nothing; their JWK gets no alg unless one is given.
        KeyType::X25519 | KeyType::Shared { .. } => Algorithm::HS256,
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
    let mut jwk = Jwk::of_type("oct");
    jwk.k = Some(b64(&hmac_secret(bits / 8)));
    jwk
}

/// Random bytes that jwtk itself takes for a secret: about one draw in 2,000 starts like a DER
/// structure (0x30 and a plausible length), which key input refuses as key material (a public
/// key must never become an HMAC secret), so such a draw is made again.
fn hmac_secret(len: usize) -> Zeroizing<Vec<u8>> {
    loop {
        let mut secret = Zeroizing::new(vec![0u8; len]);
        // Never fails: aws-lc's RAND_bytes returns 1 or aborts the process (no entropy at all).
        aws_lc_rs::rand::fill(&mut secret)
            .expect("the operating system's random number generator failed");
        if !crate::keys::input::is_key_material(&secret) {
            return secret;
        }
    }
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
    let jwk = crate::keys::jwk::rsa_from_pkcs8(pkcs8.as_ref())?;
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

/// The RFC 8410 DER prefixes of an X25519 key: PKCS#8 v1 (a 32-byte OCTET STRING inside the
/// private key's OCTET STRING) and SubjectPublicKeyInfo.
const X25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
];
const X25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
];

fn x25519() -> Option<(Jwk, Pems)> {
    let private = agreement::PrivateKey::generate(&agreement::X25519).ok()?;
    let public = private.compute_public_key().ok()?;
    let scalar: Curve25519SeedBin = private.as_be_bytes().ok()?;
    let scalar = scalar.as_ref();
    // aws-lc-rs writes no PKCS#8 for X25519: the structure is fixed, RFC 8410 §7 and §10.
    let pkcs8 = Zeroizing::new([&X25519_PKCS8_PREFIX[..], scalar].concat());
    let spki = [&X25519_SPKI_PREFIX[..], public.as_ref()].concat();
    let mut jwk = Jwk::of_type("OKP");
    jwk.crv = Some("X25519".into());
    jwk.x = Some(b64(public.as_ref()));
    jwk.d = Some(b64(scalar));
    Some((jwk, pems(&pkcs8, &spki)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every secret keygen hands out is one key input accepts: 20,000 draws (CI's count; 2,000
    /// in the everyday loop) hold ~10 that start like DER and would otherwise be refused by
    /// jwtk itself.
    #[test]
    fn generated_secrets_are_never_key_material() {
        let draws = crate::testing::cases(200) * 10;
        for len in [32, 48, 64] {
            for _ in 0..draws / 3 {
                assert!(!crate::keys::input::is_key_material(&hmac_secret(len)));
            }
        }
    }

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
        let rs256 = Some(JwkAlg::Sig(Algorithm::RS256));
        assert!(generate(KeyType::Ec(Curve::P256), rs256, Use::Sig, None).is_err());
        assert!(KeyType::Shared { bits: 160 }.check().is_err());
        assert!(KeyType::Shared { bits: 192 }.check().is_ok());
    }

    #[test]
    fn every_type_has_the_jwk_members_and_kid() {
        for key_type in [
            KeyType::Hmac { bits: 256 },
            KeyType::Ec(Curve::P384),
            KeyType::Ed25519,
        ] {
            let g = generate(key_type, None, Use::Sig, None).unwrap();
            assert_eq!(g.jwk.use_.as_deref(), Some("sig"));
            assert!(g.jwk.kid.is_some() && g.jwk.alg.is_some() && g.jwk.is_private());
            assert_eq!(g.private_pem.is_some(), key_type.family() != Family::Hmac);
        }
        let ec = generate(KeyType::Ec(Curve::P521), None, Use::Sig, None).unwrap();
        assert_eq!(ec.jwk.kid, ec.jwk.thumbprint());
        assert_eq!(ec.jwk.alg.as_deref(), Some("ES512"));
        let hmac = generate(
            KeyType::Hmac { bits: 512 },
            Some(JwkAlg::Sig(Algorithm::HS512)),
            Use::Sig,
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

    #[test]
    fn encryption_keys_fit_their_algorithms_and_load_for_jwe() {
        use crate::alg::jwe::Aes;
        use crate::keys::key::Purpose;
        let enc = |alg| Some(JwkAlg::Enc(alg));
        let ok = [
            (KeyType::Rsa { bits: 2048 }, enc(KeyAlg::RsaOaep)),
            (KeyType::Ec(Curve::P384), enc(KeyAlg::EcdhEs)),
            (KeyType::X25519, enc(KeyAlg::EcdhEsKw(Aes::A128))),
            (KeyType::X25519, None),
            (
                KeyType::Shared { bits: 192 },
                enc(KeyAlg::AesGcmKw(Aes::A192)),
            ),
            (KeyType::Shared { bits: 512 }, enc(KeyAlg::Dir)),
        ];
        for (key_type, alg) in ok {
            let g = generate(key_type, alg, Use::Enc, None).unwrap();
            assert_eq!(g.jwk.use_.as_deref(), Some("enc"));
            assert_eq!(g.jwk.alg.as_deref(), alg.map(JwkAlg::name));
            let text = serde_json::to_vec(&g.jwk).unwrap();
            let loaded =
                crate::keys::format::load_for(&text, "k", None, 0, Purpose::Decrypt).unwrap();
            assert_eq!(loaded.keys.len(), 1, "{key_type:?}");
        }
        let bad = [
            (KeyType::X25519, None, Use::Sig),
            (KeyType::Ed25519, None, Use::Enc),
            (KeyType::Hmac { bits: 256 }, None, Use::Enc),
            (KeyType::Rsa { bits: 2048 }, enc(KeyAlg::EcdhEs), Use::Enc),
            (
                KeyType::Shared { bits: 128 },
                enc(KeyAlg::AesKw(Aes::A256)),
                Use::Enc,
            ),
            (KeyType::Ec(Curve::P256), enc(KeyAlg::EcdhEs), Use::Sig),
            (
                KeyType::Ec(Curve::P256),
                Some(JwkAlg::Sig(Algorithm::ES256)),
                Use::Enc,
            ),
        ];
        for (key_type, alg, use_) in bad {
            assert!(
                generate(key_type, alg, use_, None).is_err(),
                "{key_type:?} {alg:?}"
            );
        }
    }

    #[test]
    fn x25519_pems_load_as_the_same_key() {
        use crate::keys::key::Purpose;
        let g = generate(KeyType::X25519, None, Use::Enc, None).unwrap();
        let load = |text: &[u8]| {
            let loaded =
                crate::keys::format::load_for(text, "k", None, 0, Purpose::Encrypt).unwrap();
            loaded.keys[0].thumbprint()
        };
        let private = g.private_pem.as_ref().unwrap();
        assert_eq!(load(private.as_bytes()), g.jwk.thumbprint());
        assert_eq!(
            load(g.public_pem.as_ref().unwrap().as_bytes()),
            g.jwk.thumbprint()
        );
        assert_eq!(g.jwk.kid, g.jwk.thumbprint());
    }

    /// `keygen --alg` takes every JWS and every JWE key-management algorithm, once each, `dir`
    /// last: its length is the two tables', so a new algorithm in either cannot push one out.
    #[test]
    fn jwk_algs_are_both_tables_whole() {
        let expected: Vec<JwkAlg> = Algorithm::ALL
            .map(JwkAlg::Sig)
            .into_iter()
            .chain(KeyAlg::ALL.map(JwkAlg::Enc))
            .collect();
        assert_eq!(JwkAlg::ALL.to_vec(), expected);
        assert_eq!(JwkAlg::ALL.last(), Some(&JwkAlg::Enc(KeyAlg::Dir)));
        let names: std::collections::BTreeSet<_> = JwkAlg::ALL.map(JwkAlg::name).into();
        assert_eq!(names.len(), JwkAlg::ALL.len());
    }

    /// An EC key is an encryption key exactly when its curve's row has ECDH.
    #[test]
    fn ec_keys_encrypt_where_the_curve_agrees() {
        for curve in Curve::ALL {
            let ecdh = curve.spec().agreement.is_some();
            assert_eq!(
                KeyType::Ec(curve).shape(),
                ecdh.then_some(KeyShape::Agreement),
                "{}",
                curve.name()
            );
            let fits = check_fit(KeyType::Ec(curve), None, Use::Enc).is_ok();
            assert_eq!(fits, ecdh, "{}", curve.name());
        }
    }
}
