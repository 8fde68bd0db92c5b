//! Key formats, detected from the content and never from a file name: PEM (PKCS#8, PKCS#1,
//! SEC1, SPKI, X.509), DER, JWK, JWKS, or else a raw HMAC secret.
//!
//! The RustCrypto format crates read the structure (which algorithm, which curve); aws-lc-rs
//! parses and validates the key itself. Anything that is structurally a key is a key: public-
//! key material is never taken for an HMAC secret.

use aws_lc_rs::signature::{EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use pkcs8::der::{Decode, Encode};
use spki::ObjectIdentifier;
use zeroize::Zeroizing;

use crate::core::alg::{Curve, Family};
use crate::core::crypto::{PrivateKey, ecdsa_signing_alg};
use crate::core::error::{Error, Result};
use crate::core::jwk::{Jwk, JwkSet};
use crate::core::keys::{Key, Loaded, Material, PublicKey, Secret, SecretEncoding, public_half};

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

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

/// Detect and parse key material. `from_file` enables the trailing-newline rule for secrets.
pub fn parse(
    bytes: &[u8],
    origin: &str,
    from_file: bool,
    encoding: SecretEncoding,
) -> Result<Loaded> {
    let ctx = Ctx { origin };
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN ") {
        return Ok(single(ctx.pem(trimmed)?));
    }
    // Only text can be a JWK: a binary secret may well begin with the byte '{'. Text that
    // begins with '{' must be a JWK or JWKS, so a damaged key file never becomes a secret.
    if trimmed.starts_with(b"{") && std::str::from_utf8(bytes).is_ok() {
        return Ok(Loaded {
            keys: ctx.json(trimmed)?,
            ..Loaded::default()
        });
    }
    if let Some(key) = ctx.der(bytes)? {
        return Ok(single(key));
    }
    let mut notes = Vec::new();
    let secret = ctx.secret(bytes, from_file, encoding, &mut notes)?;
    Ok(Loaded {
        keys: vec![ctx.key(Material::Secret(secret), "raw secret")],
        notes,
        ..Loaded::default()
    })
}

fn single(key: Key) -> Loaded {
    Loaded {
        keys: vec![key],
        ..Loaded::default()
    }
}

struct Ctx<'a> {
    origin: &'a str,
}

impl Ctx<'_> {
    fn key(&self, material: Material, format: &'static str) -> Key {
        Key {
            material,
            kid: None,
            alg: None,
            use_: None,
            key_ops: None,
            origin: self.origin.to_string(),
            format,
        }
    }

    fn bad(&self, what: impl std::fmt::Display) -> Error {
        Error::key(format!("{}: {what}", self.origin), None)
    }

    fn bad_hint(&self, what: impl std::fmt::Display, hint: &str) -> Error {
        Error::key(format!("{}: {what}", self.origin), Some(hint.to_string()))
    }

    fn pem(&self, text: &[u8]) -> Result<Key> {
        let blocks =
            pem::parse_many(text).map_err(|e| self.bad(format_args!("unreadable PEM ({e})")))?;
        let params = blocks.iter().find(|b| b.tag() == "EC PARAMETERS");
        let block = blocks
            .iter()
            .find(|b| b.tag() != "EC PARAMETERS")
            .ok_or_else(|| self.bad("the PEM holds no key"))?;
        let der = block.contents();
        match block.tag() {
            "PRIVATE KEY" => self.pkcs8(der, "PKCS#8 PEM"),
            "RSA PRIVATE KEY" => self.rsa_private(RsaKeyPair::from_der(der), "PKCS#1 PEM"),
            "EC PRIVATE KEY" => {
                let params = params.and_then(|p| ObjectIdentifier::from_der(p.contents()).ok());
                self.sec1(der, params, "SEC1 PEM")
            }
            "PUBLIC KEY" => self.spki(der, "SPKI PEM"),
            "RSA PUBLIC KEY" => self.rsa_public(der, "PKCS#1 PEM"),
            "CERTIFICATE" => self.certificate(der, "X.509 certificate PEM"),
            "ENCRYPTED PRIVATE KEY" => Err(self.bad_hint(
                "the private key is encrypted",
                "decrypt it first: openssl pkcs8 -in key.pem -out plain.pem (and keep plain.pem 0600)",
            )),
            other => Err(self.bad(format_args!("a PEM {other:?} block is not a key jwtk reads"))),
        }
    }

    /// DER, recognised by structure. `None` when the bytes are no key structure at all.
    fn der(&self, der: &[u8]) -> Result<Option<Key>> {
        if der.first() != Some(&0x30) {
            return Ok(None);
        }
        let key = if pkcs8::PrivateKeyInfoRef::from_der(der).is_ok() {
            self.pkcs8(der, "PKCS#8 DER")?
        } else if spki::SubjectPublicKeyInfoRef::from_der(der).is_ok() {
            self.spki(der, "SPKI DER")?
        } else if pkcs1::RsaPrivateKey::<pkcs1::UintRef>::from_der(der).is_ok() {
            self.rsa_private(RsaKeyPair::from_der(der), "PKCS#1 DER")?
        } else if pkcs1::RsaPublicKeyRef::from_der(der).is_ok() {
            self.rsa_public(der, "PKCS#1 DER")?
        } else if sec1::EcPrivateKey::from_der(der).is_ok() {
            self.sec1(der, None, "SEC1 DER")?
        } else if x509_cert::Certificate::from_der(der).is_ok() {
            self.certificate(der, "X.509 certificate DER")?
        } else {
            return Ok(None);
        };
        Ok(Some(key))
    }

    fn pkcs8(&self, der: &[u8], format: &'static str) -> Result<Key> {
        let info = pkcs8::PrivateKeyInfoRef::from_der(der)
            .map_err(|e| self.bad(format_args!("bad PKCS#8 ({e})")))?;
        let oid = info.algorithm.oid;
        if oid == RSA {
            return self.rsa_private(RsaKeyPair::from_pkcs8(der), format);
        }
        if oid == EC {
            let curve = self.curve(info.algorithm.parameters_oid().ok())?;
            let pair = EcdsaKeyPair::from_pkcs8(ecdsa_signing_alg(curve), der).map_err(|e| {
                self.bad(format_args!("invalid {} private key ({e})", curve.name()))
            })?;
            return Ok(self.ec_private(curve, pair, format));
        }
        if oid == ED25519 {
            let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .map_err(|e| self.bad(format_args!("invalid Ed25519 private key ({e})")))?;
            let private = PrivateKey::Ed25519(pair.into());
            let public = public_half(&private, Family::Ed25519, 256);
            return Ok(self.key(Material::Private(private, public), format));
        }
        Err(self.unsupported(oid))
    }

    fn unsupported(&self, oid: ObjectIdentifier) -> Error {
        let name = match oid {
            o if o == X25519 => "X25519, a key-agreement key, which cannot sign".to_string(),
            o if o == ED448 => "Ed448, which jwtk does not support".to_string(),
            o if o == RSA_PSS => {
                "RSASSA-PSS-restricted RSA; use a plain rsaEncryption key for PS256/384/512"
                    .to_string()
            }
            o => format!("algorithm {o}, which jwtk does not support"),
        };
        self.bad(format_args!("the key is for {name}"))
    }

    fn curve(&self, oid: Option<ObjectIdentifier>) -> Result<Curve> {
        match oid {
            Some(o) if o == P256 => Ok(Curve::P256),
            Some(o) if o == P384 => Ok(Curve::P384),
            Some(o) if o == P521 => Ok(Curve::P521),
            Some(o) if o == SECP256K1 => Err(self.bad("secp256k1 (ES256K) is not supported")),
            Some(o) => Err(self.bad(format_args!("unsupported curve {o}"))),
            None => Err(self.bad("the EC key does not name its curve")),
        }
    }

    fn rsa_private(
        &self,
        pair: std::result::Result<RsaKeyPair, aws_lc_rs::error::KeyRejected>,
        format: &'static str,
    ) -> Result<Key> {
        let pair = pair.map_err(|e| match e.description_() {
            "TooSmall" => self.bad_hint(
                format_args!(
                    "the RSA key is too small: keys under {MIN_RSA_BITS} bits are refused"
                ),
                "generate a new one: jwtk keygen --type rsa",
            ),
            _ => self.bad(format_args!("invalid RSA private key ({e})")),
        })?;
        let private = PrivateKey::Rsa(pair.into());
        let bytes = crate::core::crypto::public_bytes(&private);
        let bits = self.rsa_bits(&bytes)?;
        let public = PublicKey {
            family: Family::Rsa,
            bytes,
            bits,
        };
        Ok(self.key(Material::Private(private, public), format))
    }

    fn rsa_public(&self, pkcs1_der: &[u8], format: &'static str) -> Result<Key> {
        let bits = self.rsa_bits(pkcs1_der)?;
        let public = PublicKey {
            family: Family::Rsa,
            bytes: pkcs1_der.to_vec(),
            bits,
        };
        Ok(self.key(Material::Public(public), format))
    }

    fn rsa_bits(&self, pkcs1_der: &[u8]) -> Result<usize> {
        let key = pkcs1::RsaPublicKeyRef::from_der(pkcs1_der)
            .map_err(|e| self.bad(format_args!("bad RSA public key ({e})")))?;
        let modulus = key.modulus.as_bytes();
        let bits = modulus.len() * 8 - modulus.first().map_or(0, |b| b.leading_zeros() as usize);
        if bits < MIN_RSA_BITS {
            return Err(self.bad_hint(
                format_args!("RSA key of {bits} bits: keys under {MIN_RSA_BITS} bits are refused"),
                "generate a new one: jwtk keygen --type rsa",
            ));
        }
        Ok(bits)
    }

    fn sec1(
        &self,
        der: &[u8],
        params: Option<ObjectIdentifier>,
        format: &'static str,
    ) -> Result<Key> {
        let key = sec1::EcPrivateKey::from_der(der)
            .map_err(|e| self.bad(format_args!("bad SEC1 key ({e})")))?;
        let curve = self.curve(key.parameters.and_then(|p| p.named_curve()).or(params))?;
        let pair = EcdsaKeyPair::from_private_key_der(ecdsa_signing_alg(curve), der)
            .map_err(|e| self.bad(format_args!("invalid {} private key ({e})", curve.name())))?;
        Ok(self.ec_private(curve, pair, format))
    }

    fn ec_private(&self, curve: Curve, pair: EcdsaKeyPair, format: &'static str) -> Key {
        let private = PrivateKey::Ec(curve, pair.into());
        let public = public_half(&private, Family::Ec(curve), curve_bits(curve));
        self.key(Material::Private(private, public), format)
    }

    fn spki(&self, der: &[u8], format: &'static str) -> Result<Key> {
        let info = spki::SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| self.bad(format_args!("bad SPKI ({e})")))?;
        let bits = info
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| self.bad("bad SPKI bit string"))?;
        let oid = info.algorithm.oid;
        if oid == RSA {
            return self.rsa_public(bits, format);
        }
        let public = if oid == EC {
            let curve = self.curve(info.algorithm.parameters_oid().ok())?;
            self.ec_point(curve, bits)?
        } else if oid == ED25519 {
            self.ed25519_public(bits)?
        } else {
            return Err(self.unsupported(oid));
        };
        Ok(self.key(Material::Public(public), format))
    }

    fn certificate(&self, der: &[u8], format: &'static str) -> Result<Key> {
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|e| self.bad(format_args!("bad certificate ({e})")))?;
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| self.bad(e))?;
        self.spki(&spki, format)
    }

    fn ec_point(&self, curve: Curve, point: &[u8]) -> Result<PublicKey> {
        let len = curve.coordinate_len();
        if point.len() != 1 + 2 * len || point[0] != 4 {
            return Err(self.bad(format_args!("not an uncompressed {} point", curve.name())));
        }
        // The verifier checks that the point is on the curve; check it now to fail early.
        if crate::core::crypto::Verifier::public(curve.alg(), point).is_none() {
            return Err(self.bad(format_args!("the point is not on {}", curve.name())));
        }
        Ok(PublicKey {
            family: Family::Ec(curve),
            bytes: point.to_vec(),
            bits: curve_bits(curve),
        })
    }

    fn ed25519_public(&self, x: &[u8]) -> Result<PublicKey> {
        if x.len() != 32 {
            return Err(self.bad(format_args!(
                "an Ed25519 public key is 32 bytes, not {}",
                x.len()
            )));
        }
        if is_weak_ed25519(x) {
            return Err(self.bad("the Ed25519 public key is a small-order point, which would accept forged signatures"));
        }
        Ok(PublicKey {
            family: Family::Ed25519,
            bytes: x.to_vec(),
            bits: 256,
        })
    }

    fn json(&self, text: &[u8]) -> Result<Vec<Key>> {
        let value = crate::core::json::parse_value(text)
            .map_err(|e| self.bad(format_args!("looks like JSON but is {e}")))?;
        if value.get("keys").is_some() {
            let set: JwkSet = serde_json::from_value(value)
                .map_err(|e| self.bad(format_args!("not a JWKS ({})", json_fault(&e))))?;
            if set.keys.is_empty() {
                return Err(self.bad("the JWKS holds no keys"));
            }
            return set
                .keys
                .iter()
                .enumerate()
                .map(|(i, jwk)| self.jwk(jwk, Some(i)))
                .collect();
        }
        if value.get("kty").is_some() {
            let jwk: Jwk = serde_json::from_value(value)
                .map_err(|e| self.bad(format_args!("not a JWK ({})", json_fault(&e))))?;
            return Ok(vec![self.jwk(&jwk, None)?]);
        }
        Err(self.bad("JSON that is neither a JWK (no \"kty\") nor a JWKS (no \"keys\")"))
    }

    /// Turn one JWK into a key; `index` is its place in a JWKS, for messages.
    pub fn jwk(&self, jwk: &Jwk, index: Option<usize>) -> Result<Key> {
        let at = match (index, &jwk.kid) {
            (_, Some(kid)) => format!("key {kid:?}"),
            (Some(i), None) => format!("key #{}", i + 1),
            (None, None) => "JWK".to_string(),
        };
        let ctx = Ctx {
            origin: &format!("{}, {at}", self.origin),
        };
        let material = match jwk.kty.as_str() {
            "oct" => Material::Secret(Secret(ctx.member(jwk.k.as_deref(), "k")?)),
            "RSA" => ctx.rsa_jwk(jwk)?,
            "EC" => ctx.ec_jwk(jwk)?,
            "OKP" => ctx.okp_jwk(jwk)?,
            other => return Err(ctx.bad(format_args!("unsupported kty {other:?}"))),
        };
        if let Material::Secret(Secret(k)) = &material
            && k.is_empty()
        {
            return Err(ctx.bad("the secret (k) is empty"));
        }
        Ok(Key {
            material,
            kid: jwk.kid.clone(),
            alg: jwk.alg.clone(),
            use_: jwk.use_.clone(),
            key_ops: jwk.key_ops.clone(),
            origin: self.origin.to_string(),
            format: if index.is_some() { "JWKS" } else { "JWK" },
        })
    }

    fn member(&self, value: Option<&str>, name: &str) -> Result<Zeroizing<Vec<u8>>> {
        let text = value.ok_or_else(|| self.bad(format_args!("the JWK has no {name:?}")))?;
        URL_SAFE_NO_PAD
            .decode(text)
            .map(Zeroizing::new)
            .map_err(|_| {
                self.bad(format_args!(
                    "JWK member {name:?} is not base64url without padding"
                ))
            })
    }

    fn rsa_jwk(&self, jwk: &Jwk) -> Result<Material> {
        let (n, e) = (
            self.member(jwk.n.as_deref(), "n")?,
            self.member(jwk.e.as_deref(), "e")?,
        );
        if jwk.d.is_none() {
            let pkcs1 = pkcs1::RsaPublicKeyRef {
                modulus: pkcs1::UintRef::new(&n).map_err(|e| self.bad(e))?,
                public_exponent: pkcs1::UintRef::new(&e).map_err(|e| self.bad(e))?,
            }
            .to_der()
            .map_err(|e| self.bad(e))?;
            return Ok(self.rsa_public(&pkcs1, "JWK")?.material);
        }
        let get = |name: &str, v: &Option<String>| self.member(v.as_deref(), name);
        let components = aws_lc_rs::rsa::KeyPairComponents {
            public_key: aws_lc_rs::rsa::PublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            },
            d: get("d", &jwk.d)?,
            p: get("p", &jwk.p)?,
            q: get("q", &jwk.q)?,
            dP: get("dp", &jwk.dp)?,
            dQ: get("dq", &jwk.dq)?,
            qInv: get("qi", &jwk.qi)?,
        };
        Ok(self
            .rsa_private(RsaKeyPair::from_components(&components), "JWK")?
            .material)
    }

    fn ec_jwk(&self, jwk: &Jwk) -> Result<Material> {
        let crv = jwk.crv.as_deref().unwrap_or("");
        let curve = Curve::from_name(crv)
            .ok_or_else(|| self.bad(format_args!("unsupported EC curve {crv:?}")))?;
        let len = curve.coordinate_len();
        let (x, y) = (
            self.member(jwk.x.as_deref(), "x")?,
            self.member(jwk.y.as_deref(), "y")?,
        );
        if x.len() != len || y.len() != len {
            return Err(self.bad(format_args!(
                "{} coordinates are {len} bytes; x has {}, y {}",
                curve.name(),
                x.len(),
                y.len()
            )));
        }
        let point = [&[4u8][..], &x, &y].concat();
        let public = self.ec_point(curve, &point)?;
        let Some(d) = jwk.d.as_deref() else {
            return Ok(Material::Public(public));
        };
        let d = self.member(Some(d), "d")?;
        let pair =
            EcdsaKeyPair::from_private_key_and_public_key(ecdsa_signing_alg(curve), &d, &point)
                .map_err(|_| self.bad("d does not match x and y"))?;
        Ok(Material::Private(
            PrivateKey::Ec(curve, pair.into()),
            public,
        ))
    }

    fn okp_jwk(&self, jwk: &Jwk) -> Result<Material> {
        match jwk.crv.as_deref() {
            Some("Ed25519") => {}
            other => {
                return Err(self.bad(format_args!(
                    "unsupported OKP curve {:?}",
                    other.unwrap_or("")
                )));
            }
        }
        let x = self.member(jwk.x.as_deref(), "x")?;
        let public = self.ed25519_public(&x)?;
        let Some(d) = jwk.d.as_deref() else {
            return Ok(Material::Public(public));
        };
        let d = self.member(Some(d), "d")?;
        let pair = Ed25519KeyPair::from_seed_and_public_key(&d, &x)
            .map_err(|_| self.bad("d does not match x"))?;
        Ok(Material::Private(PrivateKey::Ed25519(pair.into()), public))
    }

    fn secret(
        &self,
        bytes: &[u8],
        from_file: bool,
        encoding: SecretEncoding,
        notes: &mut Vec<String>,
    ) -> Result<Secret> {
        let is_text = std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0);
        let mut text = bytes;
        if from_file
            && is_text
            && let Some(rest) = text.strip_suffix(b"\n")
        {
            text = rest.strip_suffix(b"\r").unwrap_or(rest);
            notes.push(format!(
                "{}: removed the trailing newline from the secret (`echo s3cret > file` means s3cret)",
                self.origin
            ));
        }
        let decoded = match encoding {
            SecretEncoding::Raw => Zeroizing::new(text.to_vec()),
            SecretEncoding::Utf8 if is_text => Zeroizing::new(text.to_vec()),
            SecretEncoding::Utf8 => return Err(self.bad("the secret is not UTF-8 text")),
            SecretEncoding::Base64 => self.decode_text(text, "base64", |t| {
                STANDARD_NO_PAD.decode(t.trim_end_matches('=')).ok()
            })?,
            SecretEncoding::Base64Url => self.decode_text(text, "base64url", |t| {
                URL_SAFE_NO_PAD.decode(t.trim_end_matches('=')).ok()
            })?,
            SecretEncoding::Hex => self.decode_text(text, "hex", decode_hex)?,
        };
        if decoded.is_empty() {
            return Err(self.bad_hint(
                "the secret is empty",
                "an HMAC key needs at least 32 random bytes: jwtk keygen --type hmac",
            ));
        }
        Ok(Secret(decoded))
    }

    fn decode_text(
        &self,
        text: &[u8],
        name: &str,
        decode: impl Fn(&str) -> Option<Vec<u8>>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| decode(t.trim()))
            .map(Zeroizing::new)
            .ok_or_else(|| self.bad(format_args!("the secret is not valid {name}")))
    }
}

fn curve_bits(curve: Curve) -> usize {
    match curve {
        Curve::P256 => 256,
        Curve::P384 => 384,
        Curve::P521 => 521,
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// serde's message for a JWK that does not fit the type, with the values it quotes (between
/// backticks, and possibly secret) left out, and without the position.
fn json_fault(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = text
        .find(" at line ")
        .map_or(text.as_str(), |end| &text[..end]);
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(piece);
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
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
        let err = serde_json::from_str::<Jwk>(r#"{"kty":"oct","k":123456789}"#).unwrap_err();
        let fault = json_fault(&err);
        assert!(
            !fault.contains("123456789") && fault.contains("invalid type"),
            "{fault}"
        );
    }

    #[test]
    fn binary_secrets_that_look_like_json_are_secrets() {
        let binary = b"{\xff\x00\x81 not json, not text";
        let loaded = parse(binary, "k", true, SecretEncoding::Raw).unwrap();
        assert!(
            matches!(&loaded.keys[0].material, Material::Secret(s) if s.0.as_slice() == binary)
        );
        assert!(
            parse(b"{\"kty\":", "k", true, SecretEncoding::Raw).is_err(),
            "damaged JWK text is refused"
        );
    }

    #[test]
    fn hex_secrets() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
    }
}
