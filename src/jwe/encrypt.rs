//! Encrypting to a recipient's key: the algorithms chosen (given, the key's own JWK `alg`, or
//! the default for its kind), checked against the key, then one compact JWE per call with a
//! fresh content key, IV and ephemeral key from the OS CSPRNG through aws-lc-rs.

use std::sync::Arc;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::rsa::OaepPublicEncryptingKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::alg::Family;
use crate::alg::jwe::{ContentAlg, KeyAlg, KeyShape};
use crate::jwe::ecdh::AgreementCurve;
use crate::jwe::{aeskw, content, ecdh, rsa};
use crate::keys::key::{Key, Material, Purpose};

pub use crate::error::EncryptError;

/// What encrypts: the recipient's public key, or the shared key.
enum Sender {
    Rsa(Arc<OaepPublicEncryptingKey>),
    Ecdh(AgreementCurve, Vec<u8>),
    Secret(Zeroizing<Vec<u8>>),
}

impl Sender {
    fn shape(&self) -> KeyShape {
        match self {
            Sender::Rsa(_) => KeyShape::Rsa,
            Sender::Ecdh(..) => KeyShape::Agreement,
            Sender::Secret(secret) => KeyShape::Secret(secret.len()),
        }
    }
}

/// One recipient and the algorithms chosen for it, ready to encrypt any number of tokens.
pub struct Encryptor {
    sender: Sender,
    alg: KeyAlg,
    enc: ContentAlg,
    kid: Option<String>,
    label: String,
}

/// A compact JWE and its protected header.
#[derive(Debug, Clone)]
pub struct Encrypted {
    /// The compact serialization.
    pub token: String,
    /// The protected header.
    pub header: Map<String, Value>,
}

impl Encryptor {
    /// Prepare `key` (public or private) for `alg` and `enc`; `None` takes the key's own JWK
    /// `alg`, else the default for its kind (RSA `RSA-OAEP-256`, EC and X25519
    /// `ECDH-ES+A256KW`, a shared key the `A…KW` of its length) and `A256GCM`.
    pub fn new(
        key: &Key,
        alg: Option<KeyAlg>,
        enc: Option<ContentAlg>,
    ) -> Result<Self, EncryptError> {
        if let Some(why) = key.refusal(Purpose::Encrypt) {
            return Err(EncryptError::Refused(why));
        }
        let sender = sender(key)?;
        let (alg, enc) = choose(key, &sender, alg, enc)?;
        Ok(Encryptor {
            sender,
            alg,
            enc,
            kid: key.kid.clone(),
            label: key.label(),
        })
    }

    /// The key-management algorithm.
    pub fn alg(&self) -> KeyAlg {
        self.alg
    }

    /// The content-encryption algorithm.
    pub fn enc(&self) -> ContentAlg {
        self.enc
    }

    /// Encrypt `plaintext`; `cty` goes into the header (`JWT` for a nested token), with the
    /// recipient key's kid when it has one.
    pub fn seal(&self, plaintext: &[u8], cty: Option<&str>) -> Result<Encrypted, EncryptError> {
        let failed = || EncryptError::Failed(self.label.clone());
        let mut header = Map::new();
        header.insert("alg".into(), self.alg.name().into());
        header.insert("enc".into(), self.enc.name().into());
        if let Some(cty) = cty {
            header.insert("cty".into(), cty.into());
        }
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), kid.as_str().into());
        }
        let (cek, encrypted_key) = self.content_key(&mut header).ok_or_else(failed)?;
        let encoded = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(|_| failed())?);
        let sealed =
            content::encrypt(self.enc, &cek, plaintext, encoded.as_bytes()).ok_or_else(failed)?;
        let token = [
            encoded.as_str(),
            &b64(&encrypted_key),
            &b64(&sealed.iv),
            &b64(&sealed.ciphertext),
            &b64(&sealed.tag),
        ]
        .join(".");
        Ok(Encrypted { token, header })
    }

    /// A fresh content key and its encrypted form (empty for ECDH-ES and dir), adding what
    /// the algorithm puts in the header (`epk`; `iv` and `tag` for A…GCMKW).
    fn content_key(
        &self,
        header: &mut Map<String, Value>,
    ) -> Option<(Zeroizing<Vec<u8>>, Vec<u8>)> {
        let (alg, enc) = (self.alg, self.enc);
        match (&self.sender, alg) {
            (Sender::Secret(secret), KeyAlg::Dir) => Some((secret.clone(), Vec::new())),
            (Sender::Ecdh(curve, public), KeyAlg::EcdhEs) => {
                let (epk, cek) = ecdh::agree_ephemeral(*curve, public, alg, enc)?;
                header.insert("epk".into(), Value::Object(epk));
                Some((cek, Vec::new()))
            }
            (Sender::Ecdh(curve, public), KeyAlg::EcdhEsKw(aes)) => {
                let (epk, kek) = ecdh::agree_ephemeral(*curve, public, alg, enc)?;
                header.insert("epk".into(), Value::Object(epk));
                let cek = random_key(enc.key_len())?;
                let wrapped = aeskw::wrap(aes, &kek, &cek)?;
                Some((cek, wrapped))
            }
            (Sender::Rsa(public), KeyAlg::RsaOaep | KeyAlg::RsaOaep256) => {
                let cek = random_key(enc.key_len())?;
                let wrapped = rsa::wrap(public, alg, &cek)?;
                Some((cek, wrapped))
            }
            (Sender::Secret(kek), KeyAlg::AesKw(aes)) => {
                let cek = random_key(enc.key_len())?;
                let wrapped = aeskw::wrap(aes, kek, &cek)?;
                Some((cek, wrapped))
            }
            (Sender::Secret(kek), KeyAlg::AesGcmKw(aes)) => {
                let cek = random_key(enc.key_len())?;
                let sealed = content::gcm_seal(aes, kek, &cek, b"")?;
                header.insert("iv".into(), b64(&sealed.iv).into());
                header.insert("tag".into(), b64(&sealed.tag).into());
                Some((cek, sealed.ciphertext))
            }
            _ => None,
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn random_key(len: usize) -> Option<Zeroizing<Vec<u8>>> {
    let mut key = Zeroizing::new(vec![0u8; len]);
    SystemRandom::new().fill(&mut key).ok()?;
    Some(key)
}

/// What encrypts to this key: its public half, or the shared key itself.
fn sender(key: &Key) -> Result<Sender, EncryptError> {
    let public = match &key.material {
        Material::Secret(secret) => return Ok(Sender::Secret(secret.0.clone())),
        Material::Private(_, public) | Material::Public(public) => public,
    };
    let refused = || EncryptError::Failed(key.label());
    let not_jwe = || EncryptError::NotJweKey {
        key: key.label(),
        what: describe(key),
    };
    match public.family {
        Family::Rsa => Ok(Sender::Rsa(Arc::new(
            rsa::encrypting_key(&public.bytes).ok_or_else(refused)?,
        ))),
        Family::Ec(curve) => Ok(Sender::Ecdh(
            AgreementCurve::ec(curve).ok_or_else(not_jwe)?,
            public.bytes.clone(),
        )),
        Family::X25519 => Ok(Sender::Ecdh(AgreementCurve::X25519, public.bytes.clone())),
        Family::Ed25519 | Family::Hmac => Err(not_jwe()),
    }
}

fn describe(key: &Key) -> String {
    match &key.material {
        Material::Secret(secret) => format!("a {}-byte shared key", secret.0.len()),
        _ => format!("an {}", key.describe()),
    }
}

/// The algorithms: asked for, else the key's own JWK `alg` (a content algorithm there pins a
/// `dir` key, RFC 7520 §5.6), else the defaults; each checked against the key.
fn choose(
    key: &Key,
    sender: &Sender,
    alg: Option<KeyAlg>,
    enc: Option<ContentAlg>,
) -> Result<(KeyAlg, ContentAlg), EncryptError> {
    let own = key.alg.as_deref();
    let own_alg = own.and_then(|a| a.parse::<KeyAlg>().ok());
    let own_enc = own.and_then(|a| a.parse::<ContentAlg>().ok());
    let pinned = |asked: &str| EncryptError::Pinned {
        key: key.label(),
        own: own.unwrap_or_default().to_string(),
        asked: asked.to_string(),
    };
    let alg = match (alg, own_alg, own_enc) {
        (Some(asked), Some(own), _) if asked != own => return Err(pinned(asked.name())),
        (Some(asked), None, Some(_)) if asked != KeyAlg::Dir => return Err(pinned(asked.name())),
        (Some(asked), ..) => asked,
        (None, Some(own), _) => own,
        (None, None, Some(_)) => KeyAlg::Dir,
        (None, None, None) => {
            KeyAlg::default_for(sender.shape()).ok_or_else(|| EncryptError::NoDefault {
                key: key.label(),
                len: secret_len(sender),
            })?
        }
    };
    let enc = match (enc, own_enc) {
        (Some(asked), Some(own)) if asked != own => return Err(pinned(asked.name())),
        (Some(asked), _) => asked,
        (None, Some(own)) => own,
        (None, None) => ContentAlg::DEFAULT,
    };
    if !alg.fits(sender.shape()) {
        return Err(EncryptError::Unfit {
            key: key.label(),
            what: describe(key),
            alg,
        });
    }
    if alg == KeyAlg::Dir && secret_len(sender) != enc.key_len() {
        return Err(EncryptError::DirLength {
            key: key.label(),
            len: secret_len(sender),
            enc,
            need: enc.key_len(),
        });
    }
    Ok((alg, enc))
}

fn secret_len(sender: &Sender) -> usize {
    match sender {
        Sender::Secret(secret) => secret.len(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::jwe::Aes;
    use crate::jwe::decrypt::Decryptor;
    use crate::jwe::keyring::Allowed;
    use crate::keys::format;

    fn key(json: &str, purpose: Purpose) -> Key {
        format::load_for(json.as_bytes(), "k", None, 0, purpose)
            .unwrap()
            .keys
            .remove(0)
    }

    const OCT32: &str = r#"{"k":"qPam-AEKOLDTTjoywFym1sv0Z9zHgS0eOXd6PePDm-E","kty":"oct"}"#;
    const OCT64: &str = r#"{"k":"KlDKEFVj3stqXaGzY1bbnzvXwL9QNvVtxc53LE6OOQEIjuwL--WCxyJPEMD74ymQBJSGnqetOCwNkCgZK3X7ag","kty":"oct"}"#;
    const P256: &str = r#"{"crv":"P-256","d":"bzJaEpXgKyIUFry3-Jw1RzG94Mp0_PzEN4DQeA9vYkw","kty":"EC","x":"DydC3h4S3exB_ZagOZM6vH2LCGcr2NXDFWrc9od5BUY","y":"r_gOCWU6f0QYH6aZYTdgvPRFbHaCbZuxvvtqThpDPtw"}"#;

    fn with(json: &str, extra: &str) -> String {
        json.replacen('{', &format!("{{{extra},"), 1)
    }

    #[test]
    fn defaults_follow_the_key() {
        let chosen = |json: &str| {
            let e = Encryptor::new(&key(json, Purpose::Encrypt), None, None).unwrap();
            (e.alg(), e.enc())
        };
        assert_eq!(
            chosen(OCT32),
            (KeyAlg::AesKw(Aes::A256), ContentAlg::DEFAULT)
        );
        assert_eq!(
            chosen(P256),
            (KeyAlg::EcdhEsKw(Aes::A256), ContentAlg::DEFAULT)
        );
        let dir = with(OCT64, r#""alg":"A256CBC-HS512""#);
        assert_eq!(chosen(&dir), (KeyAlg::Dir, ContentAlg::CbcHs(Aes::A256)));
        let pinned = with(P256, r#""alg":"ECDH-ES""#);
        assert_eq!(chosen(&pinned).0, KeyAlg::EcdhEs);
    }

    #[test]
    fn refusals_name_the_reason() {
        let refused = |json: &str, alg, enc| {
            Encryptor::new(&key(json, Purpose::Verify), alg, enc)
                .err()
                .unwrap()
        };
        let sig = with(P256, r#""use":"sig""#);
        assert!(matches!(
            refused(&sig, None, None),
            EncryptError::Refused(_)
        ));
        let ops = with(P256, r#""key_ops":["verify"]"#);
        assert!(matches!(
            refused(&ops, None, None),
            EncryptError::Refused(_)
        ));
        assert!(matches!(
            refused(OCT64, None, None),
            EncryptError::NoDefault { len: 64, .. }
        ));
        let rsa = Some(KeyAlg::RsaOaep);
        assert!(matches!(
            refused(P256, rsa, None),
            EncryptError::Unfit { .. }
        ));
        let dir = Some(KeyAlg::Dir);
        let gcm128 = Some(ContentAlg::Gcm(Aes::A128));
        assert!(matches!(
            refused(OCT32, dir, gcm128),
            EncryptError::DirLength { need: 16, .. }
        ));
        let pinned = with(P256, r#""alg":"ECDH-ES""#);
        let kw = Some(KeyAlg::EcdhEsKw(Aes::A128));
        assert!(matches!(
            refused(&pinned, kw, None),
            EncryptError::Pinned { .. }
        ));
    }

    #[test]
    fn every_token_is_fresh_and_opens() {
        let private = key(&with(P256, r#""kid":"r1""#), Purpose::Decrypt);
        let public = key(
            &with(P256, r#""kid":"r1""#)
                .replace(r#""d":"bzJaEpXgKyIUFry3-Jw1RzG94Mp0_PzEN4DQeA9vYkw","#, ""),
            Purpose::Encrypt,
        );
        assert!(matches!(public.material, Material::Public(_)));
        let decryptor = Decryptor::new(&[private], Allowed::default()).unwrap();
        let encryptor = Encryptor::new(&public, None, None).unwrap();
        let first = encryptor.seal(b"inner.jwt.here", Some("JWT")).unwrap();
        let second = encryptor.seal(b"inner.jwt.here", Some("JWT")).unwrap();
        let parts = |t: &str| t.split('.').map(str::to_string).collect::<Vec<_>>();
        let (a, b) = (parts(&first.token), parts(&second.token));
        for i in 0..5 {
            assert_ne!(
                a[i], b[i],
                "part {i}: a fresh epk, key, IV, ciphertext and tag"
            );
        }
        assert_eq!(first.header["cty"], "JWT");
        assert_eq!(first.header["kid"], "r1");
        let opened = decryptor.open(first.token.as_bytes()).unwrap();
        assert_eq!(opened.plaintext.as_slice(), b"inner.jwt.here");
        assert!(opened.nested);
    }
}
