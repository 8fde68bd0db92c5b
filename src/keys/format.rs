//! Loading key material that [`keyinput`](crate::keys::input) has classified: PEM
//! (PKCS#8, PKCS#1, SEC1, SPKI, X.509 certificates and chains), DER, JWK and JWKS (RFC 7517 §5:
//! unusable keys in a set are skipped with a note), or a raw secret.
//!
//! The RustCrypto format crates read the structure (which algorithm, which curve); aws-lc-rs
//! parses and validates the key itself. Every refusal is a [`KeyProblem`]: it names members
//! and positions, never values.

use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pkcs8::der::{Decode, Encode};
use serde_json::{Map, Value};
use spki::ObjectIdentifier;
use zeroize::Zeroizing;

use crate::alg::jwe::{ContentAlg, KeyAlg};
use crate::alg::{Algorithm, Curve, Family};
use crate::crypto::{PrivateKey, ecdsa_signing_alg};
use crate::error::{Error, KeyProblem, MemberFault, Result};
use crate::keys::input::{self, Found, SecretEncoding};
use crate::keys::key::{DECRYPT_OPS, ENCRYPT_OPS, Key, Material, PublicKey, Purpose, Secret};
use crate::keys::openssh::{self, SshKey};
use crate::text::cut;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");

/// The RSA modulus sizes accepted, in bits, for public and private keys alike.
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// The encodings of small-order Ed25519 points, with the sign bit cleared: the identity (a
/// public key that accepts `R = identity, S = 0` for every message) and the other points of
/// order 2, 4 and 8, canonical or not. aws-lc-rs accepts them; jwtk refuses them as keys.
const ED25519_SMALL_ORDER: [[u8; 32]; 7] = [
    hex32("0000000000000000000000000000000000000000000000000000000000000000"),
    hex32("0100000000000000000000000000000000000000000000000000000000000000"),
    hex32("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    hex32("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    hex32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    hex32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    hex32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
];

const fn hex32(text: &str) -> [u8; 32] {
    let bytes = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not lower-case hex"),
    }
}

/// Whether an Ed25519 public key is a small-order point (it would verify forged signatures).
pub fn is_weak_ed25519(public: &[u8]) -> bool {
    let Ok(mut key) = <[u8; 32]>::try_from(public) else {
        return true;
    };
    key[31] &= 0x7f;
    ED25519_SMALL_ORDER.contains(&key)
}

/// A key of a JWK Set that was left out (RFC 7517 §5), and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// Its place in the set, from 0.
    pub position: usize,
    /// Its kid, if it has one.
    pub kid: Option<String>,
    /// Why it cannot be used.
    pub problem: KeyProblem,
}

impl Skipped {
    /// `key "k1"` or `key #3`.
    pub fn label(&self) -> String {
        match &self.kid {
            Some(kid) => format!("key {:?}", cut(kid)),
            None => format!("key #{}", self.position + 1),
        }
    }
}

/// The format name of raw bytes taken as an HMAC secret.
pub const RAW_SECRET: &str = "raw secret";

/// Keys read from one source, with what the user should be told.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Where they came from: a path, `$VAR`, "the prompt".
    pub origin: String,
    /// The usable keys, in order (a JWKS gives several).
    pub keys: Vec<Key>,
    /// Keys of a set that were left out, in order.
    pub skipped: Vec<Skipped>,
    /// Things to tell the user on stderr.
    pub notes: Vec<String>,
    /// Things to warn the user about (a certificate out of its validity period).
    pub warnings: Vec<String>,
}

/// Detect and load key material for signing and verifying; `origin` names it in messages,
/// `encoding` is the `--secret-encoding` the user gave, `now` judges certificate validity.
pub fn load(
    bytes: &[u8],
    origin: &str,
    encoding: Option<SecretEncoding>,
    now: i64,
) -> Result<Loaded> {
    load_for(bytes, origin, encoding, now, Purpose::Verify)
}

/// Detect and load key material for `purpose`: X25519 keys load for JWE only, and a
/// JWK Set keeps the keys that may serve `purpose` (RFC 7517 §5: the others are skipped).
pub fn load_for(
    bytes: &[u8],
    origin: &str,
    encoding: Option<SecretEncoding>,
    now: i64,
    purpose: Purpose,
) -> Result<Loaded> {
    let fail = |problem| Error::KeyMaterial {
        origin: origin.to_string(),
        problem,
    };
    let detected = input::detect(bytes, encoding).map_err(fail)?;
    let mut loaded = Loaded {
        origin: origin.to_string(),
        notes: detected.notes,
        ..Loaded::default()
    };
    let part = match detected.found {
        Found::Pem(blocks) => Some(pem_key(&blocks, &mut loaded.notes).map_err(fail)?),
        Found::Der(der) => Some(der_key(&der).map_err(fail)?),
        Found::Json(map) => {
            json_keys(map, origin, &mut loaded, purpose)?;
            None
        }
        Found::SshPublic(blob) => Some(
            ssh_part(
                openssh::public_key(&blob).map_err(fail)?,
                openssh::PUBLIC_FORMAT,
            )
            .map_err(fail)?,
        ),
        Found::Secret(secret) => Some(Part::new(Material::Secret(Secret(secret)), RAW_SECRET)),
    };
    if let Some(part) = part {
        let jwe = matches!(purpose, Purpose::Decrypt | Purpose::Encrypt);
        if !jwe && part.public().is_some_and(|p| p.family == Family::X25519) {
            return Err(fail(KeyProblem::AgreementOnly));
        }
        if let Some(cert) = &part.cert {
            loaded.warnings.extend(cert_warnings(cert, now));
        }
        loaded
            .keys
            .push(Key::new(part.material, origin, part.format));
    }
    for line in loaded.notes.iter_mut().chain(&mut loaded.warnings) {
        *line = format!("{origin}: {line}");
    }
    Ok(loaded)
}

type Loading<T> = std::result::Result<T, KeyProblem>;

/// One loaded key before it has a name, and, for a certificate, what the certificate says.
struct Part {
    material: Material,
    format: &'static str,
    cert: Option<CertFacts>,
}

struct CertFacts {
    subject: String,
    not_before: i64,
    not_after: i64,
    ca: bool,
}

impl Part {
    fn new(material: Material, format: &'static str) -> Self {
        Part {
            material,
            format,
            cert: None,
        }
    }

    fn public(&self) -> Option<&PublicKey> {
        match &self.material {
            Material::Private(_, public) | Material::Public(public) => Some(public),
            Material::Secret(_) => None,
        }
    }
}

/// The one key some PEM blocks hold: a single key; a certificate chain's first certificate;
/// or a private key with its own public key or certificate.
fn pem_key(blocks: &[pem::Pem], notes: &mut Vec<String>) -> Loading<Part> {
    let params = blocks
        .iter()
        .find(|b| b.tag() == "EC PARAMETERS")
        .and_then(|p| ObjectIdentifier::from_der(p.contents()).ok());
    let mut parts = Vec::new();
    for block in blocks.iter().filter(|b| b.tag() != "EC PARAMETERS") {
        parts.push(pem_block(block, params)?);
    }
    let count = parts.len();
    let chosen = match parts
        .iter()
        .position(|p| matches!(p.material, Material::Private(..)))
    {
        _ if count == 0 => {
            return Err(KeyProblem::PemNotKey {
                tag: "EC PARAMETERS".into(),
            });
        }
        _ if count == 1 => parts.remove(0),
        Some(i) => {
            let private = parts.remove(i);
            if parts.iter().any(|p| p.public() != private.public()) {
                return Err(KeyProblem::PemSeveral { count });
            }
            private
        }
        None if parts.iter().all(|p| p.cert.is_some()) => {
            let leaf = parts.remove(0);
            if let Some(cert) = &leaf.cert {
                notes.push(format!(
                    "a chain of {count} certificates: using the first (the leaf), {}",
                    cut(&cert.subject)
                ));
            }
            leaf
        }
        None => return Err(KeyProblem::PemSeveral { count }),
    };
    Ok(chosen)
}

fn pem_block(block: &pem::Pem, params: Option<ObjectIdentifier>) -> Loading<Part> {
    let der = block.contents();
    if block
        .headers()
        .get("Proc-Type")
        .is_some_and(|v| v.contains("ENCRYPTED"))
    {
        return Err(KeyProblem::PemEncrypted);
    }
    match block.tag() {
        "PRIVATE KEY" => pkcs8(der, "PKCS#8 PEM"),
        "RSA PRIVATE KEY" => {
            rsa_private_size(der)?;
            rsa_private(RsaKeyPair::from_der(der), "PKCS#1 PEM")
        }
        "EC PRIVATE KEY" => sec1(der, params, "SEC1 PEM"),
        "PUBLIC KEY" => spki(der, "SPKI PEM"),
        "RSA PUBLIC KEY" => rsa_public(der, "PKCS#1 PEM"),
        "CERTIFICATE" => certificate(der, "X.509 certificate PEM"),
        "ENCRYPTED PRIVATE KEY" => Err(KeyProblem::PemEncrypted),
        "OPENSSH PRIVATE KEY" => ssh_part(openssh::private_key(der)?, openssh::PRIVATE_FORMAT),
        tag if tag.contains("SSH2 ") => Err(KeyProblem::Unsupported(
            "an SSH2 (RFC 4716) key: convert it with ssh-keygen -i -f KEY > key.pub".into(),
        )),
        tag => Err(KeyProblem::PemNotKey { tag: cut(tag) }),
    }
}

/// DER, recognised by structure; the structure must span the bytes exactly.
fn der_key(der: &[u8]) -> Loading<Part> {
    let part = if pkcs8::PrivateKeyInfoRef::from_der(der).is_ok() {
        pkcs8(der, "PKCS#8 DER")?
    } else if spki::SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        spki(der, "SPKI DER")?
    } else if pkcs1::RsaPrivateKey::<pkcs1::UintRef>::from_der(der).is_ok() {
        rsa_private_size(der)?;
        rsa_private(RsaKeyPair::from_der(der), "PKCS#1 DER")?
    } else if pkcs1::RsaPublicKeyRef::from_der(der).is_ok() {
        rsa_public(der, "PKCS#1 DER")?
    } else if sec1::EcPrivateKey::from_der(der).is_ok() {
        sec1(der, None, "SEC1 DER")?
    } else if x509_cert::Certificate::from_der(der).is_ok() {
        certificate(der, "X.509 certificate DER")?
    } else {
        return Err(match input::der_span(der) {
            Some(span) if span < der.len() => KeyProblem::DerTrailing {
                extra: der.len() - span,
            },
            _ => KeyProblem::DerNotKey,
        });
    };
    Ok(part)
}

fn pkcs8(der: &[u8], format: &'static str) -> Loading<Part> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|_| invalid("PKCS#8 key"))?;
    let oid = info.algorithm.oid;
    if oid == RSA {
        rsa_private_size(info.private_key.as_bytes())?;
        return rsa_private(RsaKeyPair::from_pkcs8(der), format);
    }
    if oid == EC {
        let curve = curve(info.algorithm.parameters_oid().ok())?;
        let pair = EcdsaKeyPair::from_pkcs8(ecdsa_signing_alg(curve), der)
            .map_err(|_| invalid(format!("{} private key", curve.name())))?;
        return Ok(ec_private(curve, pair, format));
    }
    if oid == X25519 {
        // RFC 8410 §7: the private key is an OCTET STRING inside the OCTET STRING.
        let inner = info.private_key.as_bytes();
        let scalar = inner
            .strip_prefix(&[0x04, 0x20][..])
            .ok_or_else(|| invalid("X25519 private key"))?;
        return x25519_private(scalar).map(|m| Part::new(m, format));
    }
    if oid == ED25519 {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
            .map_err(|_| invalid("Ed25519 private key"))?;
        let private = PrivateKey::Ed25519(pair.into());
        let public = public_half(&private, Family::Ed25519, 256);
        return Ok(Part::new(Material::Private(private, public), format));
    }
    Err(unsupported(oid))
}

fn unsupported(oid: ObjectIdentifier) -> KeyProblem {
    KeyProblem::Unsupported(match oid {
        o if o == ED448 => "the key is for Ed448, which jwtk does not support".into(),
        o if o == RSA_PSS => {
            "the key is RSASSA-PSS-restricted RSA; use a plain rsaEncryption key for PS256/384/512"
                .into()
        }
        o => format!("the key is for algorithm {o}, which jwtk does not support"),
    })
}

fn curve(oid: Option<ObjectIdentifier>) -> Loading<Curve> {
    match oid {
        Some(o) if o == SECP256K1 => Err(KeyProblem::Unsupported(
            "secp256k1 (ES256K) is not supported".into(),
        )),
        Some(o) => Curve::from_oid(o)
            .ok_or_else(|| KeyProblem::Unsupported(format!("unsupported curve {o}"))),
        None => Err(KeyProblem::Unsupported(
            "the EC key does not name its curve".into(),
        )),
    }
}

fn invalid(what: impl Into<String>) -> KeyProblem {
    KeyProblem::Invalid { what: what.into() }
}

fn rsa_private(
    pair: std::result::Result<RsaKeyPair, aws_lc_rs::error::KeyRejected>,
    format: &'static str,
) -> Loading<Part> {
    let pair = pair.map_err(|_| invalid("RSA private key"))?;
    let private = PrivateKey::Rsa(pair.into());
    let bytes = crate::crypto::public_bytes(&private);
    let bits = rsa_bits(&bytes)?;
    let public = PublicKey {
        family: Family::Rsa,
        bytes,
        bits,
    };
    Ok(Part::new(Material::Private(private, public), format))
}

fn rsa_public(pkcs1_der: &[u8], format: &'static str) -> Loading<Part> {
    let bits = rsa_bits(pkcs1_der)?;
    let public = PublicKey {
        family: Family::Rsa,
        bytes: pkcs1_der.to_vec(),
        bits,
    };
    Ok(Part::new(Material::Public(public), format))
}

/// The modulus size of a PKCS#1 public key, which must be within [`RSA_BITS`].
fn rsa_bits(pkcs1_der: &[u8]) -> Loading<usize> {
    let key = pkcs1::RsaPublicKeyRef::from_der(pkcs1_der).map_err(|_| invalid("RSA public key"))?;
    modulus_bits(key.modulus.as_bytes())
}

/// The size check of a PKCS#1 private key, made before the crypto library sees it (it has
/// limits of its own, with less helpful errors).
fn rsa_private_size(pkcs1_der: &[u8]) -> Loading<usize> {
    let key = pkcs1::RsaPrivateKey::<pkcs1::UintRef>::from_der(pkcs1_der)
        .map_err(|_| invalid("RSA private key"))?;
    modulus_bits(key.modulus.as_bytes())
}

/// The size of a big-endian modulus in bits, which must be within [`RSA_BITS`].
fn modulus_bits(modulus: &[u8]) -> Loading<usize> {
    let modulus = &modulus[modulus.iter().take_while(|b| **b == 0).count()..];
    let bits = modulus.len() * 8 - modulus.first().map_or(0, |b| b.leading_zeros() as usize);
    if !RSA_BITS.contains(&bits) {
        return Err(KeyProblem::RsaSize { bits });
    }
    Ok(bits)
}

fn sec1(der: &[u8], params: Option<ObjectIdentifier>, format: &'static str) -> Loading<Part> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|_| invalid("SEC1 EC private key"))?;
    let curve = curve(key.parameters.and_then(|p| p.named_curve()).or(params))?;
    let pair = EcdsaKeyPair::from_private_key_der(ecdsa_signing_alg(curve), der)
        .map_err(|_| invalid(format!("{} private key", curve.name())))?;
    Ok(ec_private(curve, pair, format))
}

fn ec_private(curve: Curve, pair: EcdsaKeyPair, format: &'static str) -> Part {
    let private = PrivateKey::Ec(curve, pair.into());
    let public = public_half(&private, Family::Ec(curve), curve.bits());
    Part::new(Material::Private(private, public), format)
}

fn spki(der: &[u8], format: &'static str) -> Loading<Part> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|_| invalid("SPKI"))?;
    let bits = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| invalid("SPKI bit string"))?;
    let oid = info.algorithm.oid;
    if oid == RSA {
        return rsa_public(bits, format);
    }
    let public = if oid == EC {
        ec_point(curve(info.algorithm.parameters_oid().ok())?, bits)?
    } else if oid == ED25519 {
        ed25519_public(bits)?
    } else if oid == X25519 {
        x25519_public(bits)?
    } else {
        return Err(unsupported(oid));
    };
    Ok(Part::new(Material::Public(public), format))
}

fn certificate(der: &[u8], format: &'static str) -> Loading<Part> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|_| invalid("certificate"))?;
    let tbs = cert.tbs_certificate();
    let spki_der = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|_| invalid("certificate key"))?;
    let mut part = spki(&spki_der, format)?;
    let validity = tbs.validity();
    let seconds = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
    let ca = tbs
        .extensions()
        .into_iter()
        .flatten()
        .filter(|e| e.extn_id == BASIC_CONSTRAINTS)
        .any(|e| {
            x509_cert::ext::pkix::BasicConstraints::from_der(e.extn_value.as_bytes())
                .is_ok_and(|bc| bc.ca)
        });
    part.cert = Some(CertFacts {
        subject: tbs.subject().to_string(),
        not_before: seconds(validity.not_before),
        not_after: seconds(validity.not_after),
        ca,
    });
    Ok(part)
}

fn cert_warnings(cert: &CertFacts, now: i64) -> Vec<String> {
    let mut warnings = Vec::new();
    let at = |t: i64| crate::time::format_utc(t as f64);
    if now > cert.not_after {
        warnings.push(format!(
            "the certificate expired on {}; its key is used all the same",
            at(cert.not_after)
        ));
    }
    if now < cert.not_before {
        warnings.push(format!(
            "the certificate is not valid before {}; its key is used all the same",
            at(cert.not_before)
        ));
    }
    if cert.ca {
        warnings.push(
            "the certificate is a CA certificate: tokens are normally signed by an end-entity key"
                .into(),
        );
    }
    warnings
}

fn ec_point(curve: Curve, point: &[u8]) -> Loading<PublicKey> {
    let len = curve.coordinate_len();
    if point.len() != 1 + 2 * len || point[0] != 4 {
        return Err(invalid(format!(
            "{} point (not uncompressed)",
            curve.name()
        )));
    }
    // The verifier checks that the point is on the curve; check it now to fail early.
    if crate::crypto::Verifier::public(curve.alg(), point).is_none() {
        return Err(KeyProblem::NotOnCurve {
            curve: curve.name(),
        });
    }
    Ok(PublicKey {
        family: Family::Ec(curve),
        bytes: point.to_vec(),
        bits: curve.bits(),
    })
}

/// An OKP public key (`x`) is 32 bytes for Ed25519 and X25519 alike.
fn okp_length(x: &[u8]) -> Loading<()> {
    if x.len() != 32 {
        return Err(KeyProblem::Member {
            member: "x".into(),
            fault: MemberFault::Length {
                expected: 32,
                got: x.len(),
            },
        });
    }
    Ok(())
}

fn ed25519_public(x: &[u8]) -> Loading<PublicKey> {
    okp_length(x)?;
    if is_weak_ed25519(x) {
        return Err(KeyProblem::WeakEd25519);
    }
    Ok(PublicKey {
        family: Family::Ed25519,
        bytes: x.to_vec(),
        bits: 256,
    })
}

fn x25519_public(x: &[u8]) -> Loading<PublicKey> {
    okp_length(x)?;
    Ok(PublicKey {
        family: Family::X25519,
        bytes: x.to_vec(),
        bits: 256,
    })
}

fn x25519_private(scalar: &[u8]) -> Loading<Material> {
    let key =
        aws_lc_rs::agreement::PrivateKey::from_private_key(&aws_lc_rs::agreement::X25519, scalar)
            .map_err(|_| invalid("X25519 private key"))?;
    let private = PrivateKey::X25519(key.into());
    let public = public_half(&private, Family::X25519, 256);
    Ok(Material::Private(private, public))
}

/// The public half of a private key, as [`crypto`](crate::crypto) gives it.
pub fn public_half(private: &PrivateKey, family: Family, bits: usize) -> PublicKey {
    PublicKey {
        family,
        bytes: crate::crypto::public_bytes(private),
        bits,
    }
}

/// A JWK, or the keys of a JWKS: unusable keys of a set are skipped with a note each; a set
/// with no usable key left is an error naming why each was skipped.
fn json_keys(
    mut map: Map<String, Value>,
    origin: &str,
    loaded: &mut Loaded,
    purpose: Purpose,
) -> Result<()> {
    let Some(keys) = map.remove("keys") else {
        let (material, jwk) = jwk_material(&map).map_err(|problem| Error::KeyMaterial {
            origin: format!("{origin}, JWK"),
            problem,
        })?;
        loaded.keys.push(jwk.into_key(material, origin, "JWK"));
        return Ok(());
    };
    let fail = |problem| Error::KeyMaterial {
        origin: origin.to_string(),
        problem,
    };
    let Value::Array(items) = keys else {
        return Err(fail(KeyProblem::Member {
            member: "keys".into(),
            fault: MemberFault::WrongType,
        }));
    };
    if items.is_empty() {
        return Err(fail(KeyProblem::EmptySet));
    }
    for (position, item) in items.iter().enumerate() {
        let kid = item.get("kid").and_then(Value::as_str).map(str::to_string);
        let usable = match item {
            Value::Object(jwk) if purpose == Purpose::Decrypt => decryption_member(jwk),
            Value::Object(jwk) if purpose == Purpose::Encrypt => encryption_member(jwk),
            Value::Object(jwk) => set_member(jwk),
            _ => Err(KeyProblem::Member {
                member: "keys".into(),
                fault: MemberFault::WrongType,
            }),
        };
        match usable {
            Ok((material, jwk)) => loaded.keys.push(jwk.into_key(material, origin, "JWKS")),
            Err(problem) => loaded.skipped.push(Skipped {
                position,
                kid,
                problem,
            }),
        }
    }
    for skipped in &loaded.skipped {
        loaded.notes.push(format!(
            "skipped {}: {} (RFC 7517 §5: the other keys serve)",
            skipped.label(),
            skipped.problem
        ));
    }
    if loaded.keys.is_empty() {
        let reasons = loaded
            .skipped
            .iter()
            .map(|s| format!("{} {}", s.label(), s.problem))
            .collect();
        loaded.notes.clear();
        return Err(fail(KeyProblem::NoUsableKey(reasons)));
    }
    Ok(())
}

/// A public key given as a JWK object where only a public key may be (the `jwk` header of a
/// DPoP proof, RFC 9449 §4.2): a private or secret member (`d`, `p`, `q`, `dp`, `dq`, `qi`,
/// `oth`, `k`) is refused, never ignored. The key's `kid`, `alg`, `use` and `key_ops` are kept.
pub fn public_jwk_key(jwk: &Map<String, Value>, origin: &str) -> Loading<Key> {
    if let Some(member) = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
        .into_iter()
        .find(|m| jwk.contains_key(*m))
    {
        return Err(KeyProblem::PrivateMember(member.to_string()));
    }
    let (material, params) = jwk_material(jwk)?;
    Ok(params.into_key(material, origin, "JWK"))
}

/// A key of a set, unless it is meant only for encryption.
fn set_member(jwk: &Map<String, Value>) -> Loading<(Material, JwkParams)> {
    let (material, params) = jwk_material(jwk)?;
    if family(&material) == Some(Family::X25519) {
        return Err(KeyProblem::UnknownCurve("X25519".into()));
    }
    if params.use_.as_deref() == Some("enc") {
        return Err(KeyProblem::EncryptionOnly("\"use\": \"enc\"".into()));
    }
    if let Some(ops) = &params.key_ops
        && !ops.iter().any(|op| op == "sign" || op == "verify")
    {
        return Err(KeyProblem::EncryptionOnly(
            "its key_ops allow neither sign nor verify".into(),
        ));
    }
    if let Some(alg) = &params.alg
        && alg.parse::<Algorithm>().is_err()
    {
        return Err(KeyProblem::EncryptionOnly(format!(
            "its alg {:?} is no signature algorithm jwtk knows",
            cut(alg)
        )));
    }
    Ok((material, params))
}

/// A key of a set loaded to encrypt to, public or private, unless it is meant only for
/// signatures.
fn encryption_member(jwk: &Map<String, Value>) -> Loading<(Material, JwkParams)> {
    jwe_member(jwk, &ENCRYPT_OPS, "encryption")
}

/// A key of a set loaded for decryption, unless it is meant only for signatures or holds
/// no private key.
fn decryption_member(jwk: &Map<String, Value>) -> Loading<(Material, JwkParams)> {
    let (material, params) = jwe_member(jwk, &DECRYPT_OPS, "decryption")?;
    if matches!(material, Material::Public(_)) {
        return Err(KeyProblem::PublicOnly);
    }
    Ok((material, params))
}

/// A JWE key of a set: not `use: sig`, `key_ops` (when given) allowing one of `ops`, a JWE
/// `alg` (or none) and a family JWE uses.
fn jwe_member(
    jwk: &Map<String, Value>,
    ops: &[&str],
    what: &str,
) -> Loading<(Material, JwkParams)> {
    let (material, params) = jwk_material(jwk)?;
    if params.use_.as_deref() == Some("sig") {
        return Err(KeyProblem::SigningOnly("\"use\": \"sig\"".into()));
    }
    if let Some(key_ops) = &params.key_ops
        && !key_ops.iter().any(|op| ops.contains(&op.as_str()))
    {
        return Err(KeyProblem::SigningOnly(format!(
            "its key_ops allow no {what}"
        )));
    }
    jwe_alg_and_family(&params, &material)?;
    Ok((material, params))
}

/// A JWK `alg` that names a JWE algorithm (or none), and a key family JWE uses.
fn jwe_alg_and_family(params: &JwkParams, material: &Material) -> Loading<()> {
    if let Some(alg) = &params.alg
        && alg.parse::<KeyAlg>().is_err()
        && alg.parse::<ContentAlg>().is_err()
    {
        return Err(KeyProblem::SigningOnly(format!(
            "its alg {:?} is no JWE algorithm jwtk knows",
            cut(alg)
        )));
    }
    if family(material) == Some(Family::Ed25519) {
        return Err(KeyProblem::SigningOnly("an Ed25519 key".into()));
    }
    Ok(())
}

fn family(material: &Material) -> Option<Family> {
    match material {
        Material::Private(_, public) | Material::Public(public) => Some(public.family),
        Material::Secret(_) => None,
    }
}

/// The JWK parameters that restrict a key.
struct JwkParams {
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
    key_ops: Option<Vec<String>>,
}

impl JwkParams {
    fn into_key(self, material: Material, origin: &str, format: &'static str) -> Key {
        let mut key = Key::new(material, origin, format);
        key.kid = self.kid;
        key.alg = self.alg;
        key.use_ = self.use_;
        key.key_ops = self.key_ops;
        key
    }
}

/// Turn one JWK object into key material, reading members by name (never echoing values).
fn jwk_material(jwk: &Map<String, Value>) -> Loading<(Material, JwkParams)> {
    let key_ops = match jwk.get("key_ops") {
        None => None,
        Some(Value::Array(ops)) => Some(
            ops.iter()
                .map(|op| op.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| wrong_type("key_ops"))?,
        ),
        Some(_) => return Err(wrong_type("key_ops")),
    };
    let params = JwkParams {
        kid: text(jwk, "kid")?.map(str::to_string),
        alg: text(jwk, "alg")?.map(str::to_string),
        use_: text(jwk, "use")?.map(str::to_string),
        key_ops,
    };
    let kty = text(jwk, "kty")?.ok_or_else(|| missing("kty"))?;
    let material = match kty {
        "oct" => {
            let k = bytes(jwk, "k")?;
            if input::is_key_material(&k) {
                return Err(KeyProblem::OctIsKeyMaterial);
            }
            Material::Secret(Secret(k))
        }
        "RSA" => rsa_jwk(jwk)?,
        "EC" => ec_jwk(jwk)?,
        "OKP" => okp_jwk(jwk)?,
        other => return Err(KeyProblem::UnknownKty(ident(other))),
    };
    Ok((material, params))
}

fn missing(member: &str) -> KeyProblem {
    KeyProblem::Member {
        member: member.into(),
        fault: MemberFault::Missing,
    }
}

fn wrong_type(member: &str) -> KeyProblem {
    KeyProblem::Member {
        member: member.into(),
        fault: MemberFault::WrongType,
    }
}

/// A string member, if present.
fn text<'a>(jwk: &'a Map<String, Value>, member: &str) -> Loading<Option<&'a str>> {
    match jwk.get(member) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(member)),
    }
}

/// A required base64url member, decoded; never empty.
fn bytes(jwk: &Map<String, Value>, member: &str) -> Loading<Zeroizing<Vec<u8>>> {
    let text = text(jwk, member)?.ok_or_else(|| missing(member))?;
    let fault = |fault| KeyProblem::Member {
        member: member.into(),
        fault,
    };
    let decoded = URL_SAFE_NO_PAD
        .decode(text)
        .map(Zeroizing::new)
        .map_err(|_| fault(MemberFault::NotBase64Url))?;
    if decoded.is_empty() {
        return Err(fault(MemberFault::Empty));
    }
    Ok(decoded)
}

/// A required member of exactly `len` bytes.
fn sized(jwk: &Map<String, Value>, member: &str, len: usize) -> Loading<Zeroizing<Vec<u8>>> {
    let decoded = bytes(jwk, member)?;
    if decoded.len() != len {
        return Err(KeyProblem::Member {
            member: member.into(),
            fault: MemberFault::Length {
                expected: len,
                got: decoded.len(),
            },
        });
    }
    Ok(decoded)
}

fn rsa_jwk(jwk: &Map<String, Value>) -> Loading<Material> {
    let (n, e) = (bytes(jwk, "n")?, bytes(jwk, "e")?);
    if !jwk.contains_key("d") {
        return rsa_material(&n, &e, None, "JWK");
    }
    let private = [
        bytes(jwk, "d")?,
        bytes(jwk, "p")?,
        bytes(jwk, "q")?,
        bytes(jwk, "dp")?,
        bytes(jwk, "dq")?,
        bytes(jwk, "qi")?,
    ];
    let [d, p, q, dp, dq, qi] = &private;
    rsa_material(&n, &e, Some([d, p, q, dp, dq, qi]), "JWK")
}

/// An RSA key from its numbers: modulus and exponent, and the private ones (`d`, `p`, `q`,
/// `dp`, `dq`, `qi`) for a private key.
fn rsa_material(
    n: &[u8],
    e: &[u8],
    private: Option<[&[u8]; 6]>,
    format: &'static str,
) -> Loading<Material> {
    modulus_bits(n)?;
    let Some([d, p, q, dp, dq, qi]) = private else {
        let pkcs1 = pkcs1::RsaPublicKeyRef {
            modulus: pkcs1::UintRef::new(n).map_err(|_| invalid("RSA modulus"))?,
            public_exponent: pkcs1::UintRef::new(e).map_err(|_| invalid("RSA exponent"))?,
        }
        .to_der()
        .map_err(|_| invalid("RSA public key"))?;
        return Ok(rsa_public(&pkcs1, format)?.material);
    };
    let components = aws_lc_rs::rsa::KeyPairComponents {
        public_key: aws_lc_rs::rsa::PublicKeyComponents { n, e },
        d,
        p,
        q,
        dP: dp,
        dQ: dq,
        qInv: qi,
    };
    Ok(rsa_private(RsaKeyPair::from_components(&components), format)?.material)
}

fn ec_jwk(jwk: &Map<String, Value>) -> Loading<Material> {
    let crv = text(jwk, "crv")?.ok_or_else(|| missing("crv"))?;
    let curve = Curve::from_name(crv).ok_or_else(|| KeyProblem::UnknownCurve(ident(crv)))?;
    let len = curve.coordinate_len();
    let (x, y) = (sized(jwk, "x", len)?, sized(jwk, "y", len)?);
    let point = [&[4u8][..], &x, &y].concat();
    if !jwk.contains_key("d") {
        return ec_material(curve, &point, None);
    }
    ec_material(curve, &point, Some(&sized(jwk, "d", len)?))
}

/// An EC key from its uncompressed point, and its private scalar for a private key.
fn ec_material(curve: Curve, point: &[u8], d: Option<&[u8]>) -> Loading<Material> {
    let public = ec_point(curve, point)?;
    let Some(d) = d else {
        return Ok(Material::Public(public));
    };
    let pair = EcdsaKeyPair::from_private_key_and_public_key(ecdsa_signing_alg(curve), d, point)
        .map_err(|_| KeyProblem::Mismatch)?;
    Ok(Material::Private(
        PrivateKey::Ec(curve, pair.into()),
        public,
    ))
}

fn okp_jwk(jwk: &Map<String, Value>) -> Loading<Material> {
    let crv = text(jwk, "crv")?.ok_or_else(|| missing("crv"))?;
    if crv == "X25519" {
        let x = sized(jwk, "x", 32)?;
        let public = x25519_public(&x)?;
        if !jwk.contains_key("d") {
            return Ok(Material::Public(public));
        }
        let material = x25519_private(&sized(jwk, "d", 32)?)?;
        return match &material {
            Material::Private(_, own) if own.bytes == public.bytes => Ok(material),
            _ => Err(KeyProblem::Mismatch),
        };
    }
    if crv != "Ed25519" {
        return Err(KeyProblem::UnknownCurve(ident(crv)));
    }
    let x = sized(jwk, "x", 32)?;
    if !jwk.contains_key("d") {
        return ed25519_material(&x, None);
    }
    ed25519_material(&x, Some(&sized(jwk, "d", 32)?))
}

/// An Ed25519 key from its public key, and its seed for a private key.
fn ed25519_material(x: &[u8], seed: Option<&[u8]>) -> Loading<Material> {
    let public = ed25519_public(x)?;
    let Some(seed) = seed else {
        return Ok(Material::Public(public));
    };
    let pair =
        Ed25519KeyPair::from_seed_and_public_key(seed, x).map_err(|_| KeyProblem::Mismatch)?;
    Ok(Material::Private(PrivateKey::Ed25519(pair.into()), public))
}

/// The key an OpenSSH key file holds, loaded as a JWK's numbers are.
fn ssh_part(key: SshKey, format: &'static str) -> Loading<Part> {
    let material = match &key {
        SshKey::Rsa { n, e, private } => {
            let numbers = private
                .as_ref()
                .map(|k| [k.d.as_slice(), &k.p, &k.q, &k.dp, &k.dq, &k.qi]);
            rsa_material(n, e, numbers, format)?
        }
        SshKey::Ec { curve, point, d } => ec_material(*curve, point, d.as_deref().map(|d| &d[..]))?,
        SshKey::Ed25519 { x, seed } => ed25519_material(x, seed.as_deref().map(|s| &s[..]))?,
    };
    Ok(Part::new(material, format))
}

/// A name a key file gives (`kty`, `crv`): shown when it looks like one, never when it could
/// be key material put in the wrong member.
fn ident(text: &str) -> String {
    let plain = text.len() <= 16
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        text.to_string()
    } else {
        format!(
            "({}, not shown)",
            crate::text::count(text.chars().count(), "character")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_order_ed25519_points_are_weak() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(is_weak_ed25519(&identity));
        identity[31] = 0x80; // the same point with the sign bit set
        assert!(is_weak_ed25519(&identity));
        assert!(is_weak_ed25519(&[0u8; 31]));
        let rfc8037 = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap();
        assert!(!is_weak_ed25519(&rfc8037));
    }

    #[test]
    fn jwk_type_errors_do_not_quote_values() {
        let err = load(br#"{"kty":"oct","k":123456789}"#, "k", None, 0).unwrap_err();
        let text = err.to_string();
        assert!(
            !text.contains("123456789") && text.contains("\"k\""),
            "{text}"
        );
    }

    #[test]
    fn binary_secrets_that_look_like_json_are_secrets() {
        let binary = b"{\xff\x00\x81 not json, not text";
        let loaded = load(binary, "k", None, 0).unwrap();
        assert!(
            matches!(&loaded.keys[0].material, Material::Secret(s) if s.0.as_slice() == binary)
        );
        assert!(
            load(b"{\"kty\":", "k", None, 0).is_err(),
            "damaged JWK text is refused"
        );
    }
}
