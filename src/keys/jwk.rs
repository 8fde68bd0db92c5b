//! JSON Web Keys (RFC 7517) as jwtk reads and writes them: every member kept, private ones
//! included (jsonwebtoken's `Jwk` drops them), secrets redacted from `Debug` and wiped on drop.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::alg::{Curve, Family};
use crate::crypto::PrivateKey;
use crate::keys::key::{Key, Material, PublicKey};

/// One JSON Web Key.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Jwk {
    /// Key type: `oct`, `RSA`, `EC` or `OKP`.
    pub kty: String,
    /// Key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Intended use: `sig` or `enc`.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// Permitted operations (`sign`, `verify`, `encrypt`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ops: Option<Vec<String>>,
    /// The one algorithm this key is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Curve (EC, OKP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// RSA modulus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA public exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// EC x coordinate, or the OKP public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// EC y coordinate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Private exponent (RSA), private scalar (EC) or seed (OKP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// RSA first prime factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    /// RSA second prime factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// RSA first factor CRT exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<String>,
    /// RSA second factor CRT exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dq: Option<String>,
    /// RSA first CRT coefficient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qi: Option<String>,
    /// The symmetric key (oct).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<String>,
    /// Every other member (`x5c`, `x5t#S256`, `oth`, private extensions), kept as given.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Jwk {
    /// An empty JWK of key type `kty`, to fill in.
    pub fn of_type(kty: &str) -> Self {
        let mut jwk = Jwk::default();
        jwk.kty = kty.to_string();
        jwk
    }

    /// Whether this JWK holds private or secret material.
    pub fn is_private(&self) -> bool {
        self.d.is_some() || self.k.is_some()
    }

    /// The public half: private members removed (an `oct` key has none, and yields `None`).
    pub fn public(&self) -> Option<Jwk> {
        if self.kty == "oct" {
            return None;
        }
        let mut public = self.clone();
        for member in [
            &mut public.d,
            &mut public.p,
            &mut public.q,
            &mut public.dp,
            &mut public.dq,
            &mut public.qi,
        ] {
            if let Some(mut secret) = member.take() {
                secret.zeroize();
            }
        }
        public.other.remove("oth");
        Some(public)
    }

    /// The RFC 7638 SHA-256 thumbprint, base64url: the hash of the required public members in
    /// lexicographic order, without whitespace.
    pub fn thumbprint(&self) -> Option<String> {
        let required: &[(&str, &Option<String>)] = match self.kty.as_str() {
            "RSA" => &[("e", &self.e), ("kty", &None), ("n", &self.n)],
            "EC" => &[
                ("crv", &self.crv),
                ("kty", &None),
                ("x", &self.x),
                ("y", &self.y),
            ],
            "OKP" => &[("crv", &self.crv), ("kty", &None), ("x", &self.x)],
            "oct" => &[("k", &self.k), ("kty", &None)],
            _ => return None,
        };
        let mut canonical = Map::new();
        for (name, value) in required {
            let value = if *name == "kty" {
                Some(&self.kty)
            } else {
                value.as_ref()
            };
            canonical.insert((*name).to_string(), Value::String(value?.clone()));
        }
        // serde_json's `preserve_order` keeps insertion order, which is lexicographic here.
        let text = serde_json::to_string(&canonical).ok()?;
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
        Some(URL_SAFE_NO_PAD.encode(digest.as_ref()))
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "[redacted]");
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("use", &self.use_)
            .field("key_ops", &self.key_ops)
            .field("crv", &self.crv)
            .field("n", &self.n)
            .field("e", &self.e)
            .field("x", &self.x)
            .field("y", &self.y)
            .field("d", &redacted(&self.d))
            .field("k", &redacted(&self.k))
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Drop for Jwk {
    fn drop(&mut self) {
        for member in [
            &mut self.d,
            &mut self.p,
            &mut self.q,
            &mut self.dp,
            &mut self.dq,
            &mut self.qi,
            &mut self.k,
        ]
        .into_iter()
        .flatten()
        {
            member.zeroize();
        }
    }
}

/// The JWK of a loaded key, whatever format it was read from: its private members when it
/// has them, and the kid, alg, use and key_ops it came with.
pub fn from_key(key: &Key) -> Option<Jwk> {
    let mut jwk = match &key.material {
        Material::Secret(secret) => {
            let mut jwk = Jwk::of_type("oct");
            jwk.k = Some(URL_SAFE_NO_PAD.encode(secret.0.as_slice()));
            jwk
        }
        Material::Private(private, _) => private_jwk(private)?,
        Material::Public(public) => public_jwk(public)?,
    };
    jwk.kid.clone_from(&key.kid);
    jwk.alg.clone_from(&key.alg);
    jwk.use_.clone_from(&key.use_);
    jwk.key_ops.clone_from(&key.key_ops);
    Some(jwk)
}

fn private_jwk(private: &PrivateKey) -> Option<Jwk> {
    use aws_lc_rs::encoding::{AsBigEndian, AsDer, Pkcs8V1Der};
    use aws_lc_rs::signature::KeyPair;
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    match private {
        PrivateKey::Rsa(pair) => {
            let pkcs8: Pkcs8V1Der = pair.as_der().ok()?;
            rsa_from_pkcs8(pkcs8.as_ref())
        }
        PrivateKey::Ec(curve, pair) => {
            let mut jwk = ec_public(*curve, pair.public_key().as_ref())?;
            jwk.d = Some(b64(pair.private_key().as_be_bytes().ok()?.as_ref()));
            Some(jwk)
        }
        PrivateKey::Ed25519(pair) => {
            let mut jwk = Jwk::of_type("OKP");
            jwk.crv = Some("Ed25519".into());
            jwk.x = Some(b64(pair.public_key().as_ref()));
            jwk.d = Some(b64(pair.seed().ok()?.as_be_bytes().ok()?.as_ref()));
            Some(jwk)
        }
        PrivateKey::X25519(key) => {
            let scalar: aws_lc_rs::encoding::Curve25519SeedBin = key.as_be_bytes().ok()?;
            let mut jwk = Jwk::of_type("OKP");
            jwk.crv = Some("X25519".into());
            jwk.x = Some(b64(key.compute_public_key().ok()?.as_ref()));
            jwk.d = Some(b64(scalar.as_ref()));
            Some(jwk)
        }
    }
}

/// The public JWK of a public key: `kty` and the key type's public parameters only.
pub fn public_jwk(public: &PublicKey) -> Option<Jwk> {
    use pkcs8::der::Decode;
    match public.family {
        Family::Rsa => {
            let key = pkcs1::RsaPublicKey::<pkcs1::UintRef>::from_der(&public.bytes).ok()?;
            let mut jwk = Jwk::of_type("RSA");
            jwk.n = Some(URL_SAFE_NO_PAD.encode(key.modulus.as_bytes()));
            jwk.e = Some(URL_SAFE_NO_PAD.encode(key.public_exponent.as_bytes()));
            Some(jwk)
        }
        Family::Ec(curve) => ec_public(curve, &public.bytes),
        Family::Ed25519 => {
            let mut jwk = Jwk::of_type("OKP");
            jwk.crv = Some("Ed25519".into());
            jwk.x = Some(URL_SAFE_NO_PAD.encode(&public.bytes));
            Some(jwk)
        }
        Family::X25519 => {
            let mut jwk = Jwk::of_type("OKP");
            jwk.crv = Some("X25519".into());
            jwk.x = Some(URL_SAFE_NO_PAD.encode(&public.bytes));
            Some(jwk)
        }
        Family::Hmac => None,
    }
}

/// An EC public JWK from an uncompressed point (`04 ‖ x ‖ y`).
fn ec_public(curve: Curve, point: &[u8]) -> Option<Jwk> {
    let len = curve.coordinate_len();
    if point.len() != 1 + 2 * len || point.first() != Some(&4) {
        return None;
    }
    let mut jwk = Jwk::of_type("EC");
    jwk.crv = Some(curve.name().into());
    jwk.x = Some(URL_SAFE_NO_PAD.encode(&point[1..1 + len]));
    jwk.y = Some(URL_SAFE_NO_PAD.encode(&point[1 + len..]));
    Some(jwk)
}

/// An RSA private JWK from PKCS#8 DER (aws-lc-rs does not expose the private components; the
/// PKCS#1 structure inside holds them).
pub fn rsa_from_pkcs8(pkcs8_der: &[u8]) -> Option<Jwk> {
    use pkcs8::der::Decode;
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let info = pkcs8::PrivateKeyInfoRef::from_der(pkcs8_der).ok()?;
    let key = pkcs1::RsaPrivateKey::<pkcs1::UintRef>::from_der(info.private_key.as_bytes()).ok()?;
    let mut jwk = Jwk::of_type("RSA");
    jwk.n = Some(b64(key.modulus.as_bytes()));
    jwk.e = Some(b64(key.public_exponent.as_bytes()));
    jwk.d = Some(b64(key.private_exponent.as_bytes()));
    jwk.p = Some(b64(key.prime1.as_bytes()));
    jwk.q = Some(b64(key.prime2.as_bytes()));
    jwk.dp = Some(b64(key.exponent1.as_bytes()));
    jwk.dq = Some(b64(key.exponent2.as_bytes()));
    jwk.qi = Some(b64(key.coefficient.as_bytes()));
    Some(jwk)
}

/// A key's public half as a JWK (here, beside the JWK code, so that `key` needs none of it).
impl Key {
    /// The public JWK of this key: `kty` and the key type's public parameters (`e`, `n`;
    /// `crv`, `x`, `y`; `crv`, `x`) in lexicographic order (RFC 7638's), with no `kid`, `alg`
    /// or `use`. `None` for an HMAC secret, which has no public half.
    pub fn public_jwk(&self) -> Option<Map<String, Value>> {
        match serde_json::to_value(self.public_as_jwk()?).ok()? {
            Value::Object(map) => {
                let sorted: std::collections::BTreeMap<String, Value> = map.into_iter().collect();
                Some(sorted.into_iter().collect())
            }
            _ => None,
        }
    }

    /// The RFC 7638 SHA-256 thumbprint of the public key, base64url; `None` for an HMAC secret
    /// (a hash of a secret is never published).
    pub fn thumbprint(&self) -> Option<String> {
        self.public_as_jwk()?.thumbprint()
    }

    fn public_as_jwk(&self) -> Option<Jwk> {
        match &self.material {
            Material::Secret(_) => None,
            Material::Private(_, public) | Material::Public(public) => public_jwk(public),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_example_thumbprint() {
        // RFC 7638 §3.1.
        let jwk: Jwk = serde_json::from_str(
            r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#,
        )
        .unwrap();
        assert_eq!(
            jwk.thumbprint().unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn keeps_unknown_members_and_hides_secrets() {
        let text = r#"{"kty":"oct","k":"c2VjcmV0","kid":"a","x5t#S256":"abc","custom":{"z":1}}"#;
        let jwk: Jwk = serde_json::from_str(text).unwrap();
        assert!(jwk.is_private());
        assert_eq!(jwk.other["custom"]["z"], 1);
        let round: Value = serde_json::to_value(&jwk).unwrap();
        assert_eq!(round, serde_json::from_str::<Value>(text).unwrap());
        assert!(!format!("{jwk:?}").contains("c2VjcmV0"));
        assert!(jwk.public().is_none());
    }

    /// RFC 7748 §6.1 (Bob, whose public key RFC 8037 A.6 encrypts to): an X25519 private key loads from PKCS#8 PEM and comes back as
    /// the same JWK, private scalar and public key alike.
    #[test]
    fn x25519_private_keys_become_jwks() {
        use crate::keys::key::Purpose;
        let d = URL_SAFE_NO_PAD
            .decode("XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os")
            .unwrap();
        let pkcs8 = [
            &[
                0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22,
                0x04, 0x20,
            ][..],
            &d,
        ]
        .concat();
        let pem = pem::encode(&pem::Pem::new("PRIVATE KEY", pkcs8));
        let loaded =
            crate::keys::format::load_for(pem.as_bytes(), "k", None, 0, Purpose::Decrypt).unwrap();
        let jwk = from_key(&loaded.keys[0]).unwrap();
        assert_eq!(jwk.crv.as_deref(), Some("X25519"));
        assert_eq!(
            jwk.d.as_deref(),
            Some("XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os")
        );
        assert_eq!(
            jwk.x.as_deref(),
            Some("3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08"),
            "RFC 7748 §6.1: Bob's public key"
        );
    }
}
