//! ECDH-ES key agreement (RFC 7518 §4.6, RFC 8037 §3.2) on P-256, P-384, P-521 and X25519,
//! for both ends: the sender makes a fresh ephemeral key per token (`epk`); the recipient
//! requires it on its own curve, exactly encoded. aws-lc-rs refuses points off the curve and
//! X25519 results that are all zeros.

use aws_lc_rs::agreement::{self, UnparsedPublicKey};
use aws_lc_rs::encoding::AsBigEndian;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::EcdsaKeyPair;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::alg::Curve;
use crate::alg::jwe::{ContentAlg, KeyAlg, kdf_input};
use crate::jwe::kdf::concat_kdf;

/// The curve of a key-agreement key.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementCurve {
    /// A NIST curve (`kty: EC`); only a curve whose row has ECDH agrees (see [`Self::ec`]).
    Ec(Curve),
    /// X25519 (`kty: OKP`).
    X25519,
}

impl AgreementCurve {
    /// The agreement curve of an ECDSA curve; `None` when its row has no ECDH (its keys are
    /// signature keys only).
    pub fn ec(curve: Curve) -> Option<Self> {
        curve.spec().agreement.map(|_| AgreementCurve::Ec(curve))
    }

    /// aws-lc-rs's ECDH on this curve; `None` for an EC curve without ECDH.
    fn algorithm(self) -> Option<&'static agreement::Algorithm> {
        match self {
            AgreementCurve::Ec(curve) => curve.spec().agreement,
            AgreementCurve::X25519 => Some(&agreement::X25519),
        }
    }

    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            AgreementCurve::Ec(curve) => curve.name(),
            AgreementCurve::X25519 => "X25519",
        }
    }
}

/// What the sender's agreement gives: the `epk` header member and the derived key.
pub type Agreed = (Map<String, Value>, Zeroizing<Vec<u8>>);

/// The sender's side: a fresh ephemeral key pair agrees with the recipient's public key
/// (`recipient`: the uncompressed point for EC, 32 bytes for X25519). The ephemeral public
/// key as the header's `epk`, and the derived key (the content key for ECDH-ES, the wrapping
/// key for ECDH-ES+A…KW); `None` when the curve has no ECDH, the recipient's key is refused
/// or the library fails.
pub fn agree_ephemeral(
    curve: AgreementCurve,
    recipient: &[u8],
    alg: KeyAlg,
    enc: ContentAlg,
) -> Option<Agreed> {
    let algorithm = curve.algorithm()?;
    let ephemeral =
        agreement::EphemeralPrivateKey::generate(algorithm, &SystemRandom::new()).ok()?;
    let epk = epk_json(curve, ephemeral.compute_public_key().ok()?.as_ref())?;
    let (kdf_alg, bits) = kdf_input(alg, enc);
    let peer = UnparsedPublicKey::new(algorithm, recipient);
    let key = agreement::agree_ephemeral(ephemeral, peer, (), |z| {
        Ok(concat_kdf(z, kdf_alg, b"", b"", bits))
    })
    .ok()?;
    Some((epk, key))
}

/// The `epk` JWK of an ephemeral public key: `kty`, `crv` and `x` (and `y` for EC).
fn epk_json(curve: AgreementCurve, public: &[u8]) -> Option<Map<String, Value>> {
    let text = |s: &str| Value::String(s.to_string());
    let b64 = |bytes: &[u8]| Value::String(URL_SAFE_NO_PAD.encode(bytes));
    let mut epk = Map::new();
    match curve {
        AgreementCurve::Ec(c) => {
            let len = c.coordinate_len();
            let point = public.strip_prefix(&[4u8])?;
            if point.len() != 2 * len {
                return None;
            }
            epk.insert("kty".into(), text("EC"));
            epk.insert("crv".into(), text(c.name()));
            epk.insert("x".into(), b64(&point[..len]));
            epk.insert("y".into(), b64(&point[len..]));
        }
        AgreementCurve::X25519 => {
            epk.insert("kty".into(), text("OKP"));
            epk.insert("crv".into(), text("X25519"));
            epk.insert("x".into(), b64(public));
        }
    }
    Some(epk)
}

/// The ECDH private key of an ECDSA key pair (the same scalar, used for agreement); `None`
/// when the curve has no ECDH.
pub fn from_ec_pair(curve: Curve, pair: &EcdsaKeyPair) -> Option<agreement::PrivateKey> {
    let algorithm = curve.spec().agreement?;
    let scalar = pair.private_key().as_be_bytes().ok()?;
    agreement::PrivateKey::from_private_key(algorithm, scalar.as_ref()).ok()
}

/// The sender's public key from the header's `epk`, as aws-lc-rs reads it: the uncompressed
/// point for EC, 32 bytes for X25519. `None` unless it names our curve, exactly encoded.
fn epk_bytes(curve: AgreementCurve, epk: &Value) -> Option<Vec<u8>> {
    let epk = epk.as_object()?;
    let member =
        |name: &str| -> Option<Vec<u8>> { URL_SAFE_NO_PAD.decode(epk.get(name)?.as_str()?).ok() };
    if epk.get("crv")?.as_str()? != curve.name() {
        return None;
    }
    match curve {
        AgreementCurve::Ec(c) => {
            if epk.get("kty")?.as_str()? != "EC" {
                return None;
            }
            let (x, y) = (member("x")?, member("y")?);
            let len = c.coordinate_len();
            (x.len() == len && y.len() == len).then(|| [&[4u8][..], &x, &y].concat())
        }
        AgreementCurve::X25519 => {
            if epk.get("kty")?.as_str()? != "OKP" {
                return None;
            }
            member("x").filter(|x| x.len() == 32)
        }
    }
}

/// The key ECDH-ES derives for this header: the content key (ECDH-ES) or the key-wrapping key
/// (ECDH-ES+A…KW). `None` for every failure: a curve without ECDH, no or a bad `epk`, an
/// off-curve point, bad `apu`/`apv`.
pub fn derive(
    private: &agreement::PrivateKey,
    curve: AgreementCurve,
    header: &Map<String, Value>,
    alg: KeyAlg,
    enc: ContentAlg,
) -> Option<Zeroizing<Vec<u8>>> {
    let peer = epk_bytes(curve, header.get("epk")?)?;
    let party = |name: &str| -> Option<Vec<u8>> {
        match header.get(name) {
            None => Some(Vec::new()),
            Some(Value::String(text)) => URL_SAFE_NO_PAD.decode(text).ok(),
            Some(_) => None,
        }
    };
    let (apu, apv) = (party("apu")?, party("apv")?);
    let (kdf_alg, bits) = kdf_input(alg, enc);
    let peer = UnparsedPublicKey::new(curve.algorithm()?, peer);
    agreement::agree(private, peer, (), |z| {
        Ok(concat_kdf(z, kdf_alg, &apu, &apv, bits))
    })
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::jwe::Aes;
    use serde_json::json;

    fn b64(text: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(text).unwrap()
    }

    /// RFC 7518 Appendix C: Bob's key, Alice's ephemeral key, apu "Alice", apv "Bob".
    #[test]
    fn rfc7518_appendix_c_end_to_end() {
        let bob = agreement::PrivateKey::from_private_key(
            &agreement::ECDH_P256,
            &b64("VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw"),
        )
        .unwrap();
        let header = json!({
            "alg": "ECDH-ES", "enc": "A128GCM", "apu": "QWxpY2U", "apv": "Qm9i",
            "epk": {"kty": "EC", "crv": "P-256",
                    "x": "gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0",
                    "y": "SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps"}
        });
        let header = header.as_object().unwrap();
        let curve = AgreementCurve::Ec(Curve::P256);
        let enc = ContentAlg::Gcm(Aes::A128);
        let key = derive(&bob, curve, header, KeyAlg::EcdhEs, enc).unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.encode(key.as_slice()),
            "VqqN6vgjbSBcIijNcacQGg"
        );

        // The same point with y changed is off the curve: refused, no key derived.
        let mut off = header.clone();
        off["epk"]["y"] = json!("SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFppt");
        assert!(derive(&bob, curve, &off, KeyAlg::EcdhEs, enc).is_none());
        // Another curve's name, a missing epk, a bad apu: refused.
        let mut other = header.clone();
        other["epk"]["crv"] = json!("P-384");
        assert!(derive(&bob, curve, &other, KeyAlg::EcdhEs, enc).is_none());
        let mut bad_apu = header.clone();
        bad_apu["apu"] = json!("QWxpY2U=");
        assert!(derive(&bob, curve, &bad_apu, KeyAlg::EcdhEs, enc).is_none());
        let mut none = header.clone();
        none.remove("epk");
        assert!(derive(&bob, curve, &none, KeyAlg::EcdhEs, enc).is_none());
    }

    #[test]
    fn the_sender_and_the_recipient_derive_the_same_key_on_every_curve() {
        let curves = [
            AgreementCurve::Ec(Curve::P256),
            AgreementCurve::Ec(Curve::P384),
            AgreementCurve::Ec(Curve::P521),
            AgreementCurve::X25519,
        ];
        for curve in curves {
            let ours = agreement::PrivateKey::generate(curve.algorithm().unwrap()).unwrap();
            let public = ours.compute_public_key().unwrap();
            for (alg, enc) in [
                (KeyAlg::EcdhEs, ContentAlg::CbcHs(Aes::A256)),
                (KeyAlg::EcdhEsKw(Aes::A192), ContentAlg::Gcm(Aes::A128)),
            ] {
                let (epk, sent) = agree_ephemeral(curve, public.as_ref(), alg, enc).unwrap();
                let (again, _) = agree_ephemeral(curve, public.as_ref(), alg, enc).unwrap();
                assert_ne!(epk, again, "a fresh ephemeral key per token");
                let header = json!({ "epk": epk });
                let got = derive(&ours, curve, header.as_object().unwrap(), alg, enc).unwrap();
                assert_eq!(got, sent, "{}", curve.name());
                assert_eq!(got.len() * 8, kdf_input(alg, enc).1);
            }
        }
        let low_order = [0u8; 32];
        let refused = agree_ephemeral(
            AgreementCurve::X25519,
            &low_order,
            KeyAlg::EcdhEs,
            ContentAlg::DEFAULT,
        );
        assert!(refused.is_none());
    }

    #[test]
    fn x25519_low_order_points_are_refused() {
        let ours = agreement::PrivateKey::from_private_key(&agreement::X25519, &[7u8; 32]).unwrap();
        let enc = ContentAlg::Gcm(Aes::A128);
        for x in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            let header =
                json!({"epk": {"kty": "OKP", "crv": "X25519", "x": URL_SAFE_NO_PAD.encode(x)}});
            let header = header.as_object().unwrap();
            assert!(derive(&ours, AgreementCurve::X25519, header, KeyAlg::EcdhEs, enc).is_none());
        }
    }

    /// Every curve in the table whose row has ECDH agrees, sender and recipient alike; one
    /// without gives no agreement curve, and its key pairs no agreement key.
    #[test]
    fn every_table_curve_with_ecdh_agrees() {
        for curve in Curve::ALL {
            let Some(agreeing) = AgreementCurve::ec(curve) else {
                assert!(curve.spec().agreement.is_none());
                continue;
            };
            assert_eq!(agreeing, AgreementCurve::Ec(curve));
            let pair = EcdsaKeyPair::generate(curve.spec().signing).unwrap();
            let ours = from_ec_pair(curve, &pair).unwrap();
            let public = ours.compute_public_key().unwrap();
            let (alg, enc) = (KeyAlg::EcdhEs, ContentAlg::DEFAULT);
            let (epk, sent) = agree_ephemeral(agreeing, public.as_ref(), alg, enc).unwrap();
            let header = json!({ "epk": epk });
            let got = derive(&ours, agreeing, header.as_object().unwrap(), alg, enc).unwrap();
            assert_eq!(got, sent, "{}", curve.name());
        }
    }
}
