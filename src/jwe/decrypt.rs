//! Decrypting a compact JWE: the header judged first (algorithms known, allowed and fitting a
//! key; no `crit`), then each fitting key tried. Every way decryption can fail — a wrong key,
//! a bad unwrap, a bad `epk`, a tag or padding that does not check — is one reason and one
//! message (RFC 7516 §11.5), and a failed unwrap carries on with a random content key, so the
//! work done does not say which step failed either.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::alg::jwe::{self as alg, Aes, ContentAlg, KeyAlg};
use crate::error::{Error, Malformed, Part, Result};
use crate::jwe::keyring::{self, Allowed, Entry, Recipient};
use crate::jwe::zip::{self, InflateError};
use crate::jwe::{Jwe, aeskw, content, ecdh, rsa};
use crate::keys::key::Key;
use crate::reason::{Failure, Reason};
use crate::text::cut;
use crate::token::compact as token;
use crate::token::paste;
use crate::verify::verdict::MatchedKey;

/// The one message for every decryption failure.
pub const DECRYPTION_FAILED: &str =
    "the token cannot be decrypted with the keys given (a wrong key, or the token was altered)";

/// A decrypted token.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The plaintext, inflated when `zip` is `DEF`.
    pub plaintext: Zeroizing<Vec<u8>>,
    /// Whether `cty` is `JWT`: the plaintext is a nested token.
    pub nested: bool,
    /// The key that decrypted it.
    pub key: MatchedKey,
}

/// The recipient's keys, ready to decrypt any number of tokens.
pub struct Decryptor {
    entries: Vec<Entry>,
    allowed: Allowed,
}

fn fail(reason: Reason, message: impl Into<String>) -> Failure {
    Failure {
        reason,
        message: message.into(),
    }
}

fn malformed(err: &Malformed) -> Failure {
    fail(
        Reason::Malformed,
        format!("{}: {}", err.part.name(), err.fault),
    )
}

impl Decryptor {
    /// Prepare every key once; see `keyring::entries` for what is a key error (exit 3).
    pub fn new(keys: &[Key], allowed: Allowed) -> Result<Self> {
        Ok(Decryptor {
            entries: keyring::entries(keys, &allowed)?,
            allowed,
        })
    }

    /// Decrypt one token (the raw input: whitespace and a `Bearer` prefix are fine).
    pub fn open(&self, input: &[u8]) -> std::result::Result<Decrypted, Failure> {
        let token = match paste::extract(input) {
            Ok(token) => token,
            Err(Error::Malformed(err)) => return Err(malformed(&err)),
            Err(err) => return Err(fail(Reason::Malformed, err.to_string())),
        };
        if !super::is_jwe(token) {
            return Err(fail(
                Reason::Malformed,
                "token: not a compact JWE (five segments: header.key.iv.ciphertext.tag)",
            ));
        }
        let jwe = Jwe::parse(token).map_err(|e| malformed(&e))?;
        self.open_parsed(&jwe)
    }

    /// Decrypt a token already taken apart.
    pub fn open_parsed(&self, jwe: &Jwe) -> std::result::Result<Decrypted, Failure> {
        let (alg, enc) = algorithms(jwe)?;
        self.check_allowed(alg, enc)?;
        let candidates = self.candidates(jwe, alg, enc)?;
        let aad = jwe.encoded_header.as_bytes();
        for entry in candidates {
            let cek =
                content_key(entry, jwe, alg, enc).unwrap_or_else(|| random_key(enc.key_len()));
            if let Some(plain) =
                content::decrypt(enc, &cek, &jwe.iv, &jwe.ciphertext, &jwe.tag, aad)
            {
                return finish(jwe, plain, entry);
            }
        }
        Err(fail(Reason::DecryptionFailed, DECRYPTION_FAILED))
    }

    fn check_allowed(&self, alg: KeyAlg, enc: ContentAlg) -> std::result::Result<(), Failure> {
        let names = |v: Vec<&'static str>| v.join(", ");
        if !self.allowed.encs.is_empty() && !self.allowed.encs.contains(&enc) {
            let allowed = names(self.allowed.encs.iter().map(|e| e.name()).collect());
            return Err(fail(
                Reason::AlgNotAllowed,
                format!("enc {enc} is not allowed here: --enc allows {allowed}"),
            ));
        }
        if !self.entries.iter().any(|e| e.algs.contains(&alg)) {
            let mut allowed: Vec<KeyAlg> =
                self.entries.iter().flat_map(|e| e.algs.clone()).collect();
            allowed.sort();
            allowed.dedup();
            let allowed = names(allowed.iter().map(|a| a.name()).collect());
            return Err(fail(
                Reason::AlgNotAllowed,
                format!("{alg} is not allowed here: the keys allow {allowed}"),
            ));
        }
        Ok(())
    }

    /// The keys that fit `alg`, `enc` and the token's `kid` (a key without a kid is tried).
    fn candidates(
        &self,
        jwe: &Jwe,
        alg: KeyAlg,
        enc: ContentAlg,
    ) -> std::result::Result<Vec<&Entry>, Failure> {
        let fits_alg = |e: &&Entry| e.algs.contains(&alg) && e.enc.is_none_or(|own| own == enc);
        let token_kid = jwe.header.get("kid");
        let chosen: Vec<&Entry> = self
            .entries
            .iter()
            .filter(fits_alg)
            .filter(|e| match (&e.matched.kid, token_kid) {
                (Some(own), Some(Value::String(kid))) => own == kid,
                (Some(_), Some(_)) => false,
                _ => true,
            })
            .collect();
        if !chosen.is_empty() {
            return Ok(chosen);
        }
        if !self.entries.iter().any(|e| fits_alg(&e)) {
            return Err(fail(
                Reason::AlgNotAllowed,
                format!("no {alg} key given is for {enc} (a dir key's JWK alg names its enc)"),
            ));
        }
        let kid = token_kid.map(Value::to_string).unwrap_or_default();
        Err(fail(
            Reason::NoMatchingKey,
            format!("no {alg} key has kid {}", cut(&kid)),
        ))
    }
}

/// The header's `alg` and `enc`, known and supported, and what else it must (not) hold.
fn algorithms(jwe: &Jwe) -> std::result::Result<(KeyAlg, ContentAlg), Failure> {
    let header = &jwe.header;
    let named = |name: &str| match header.get(name) {
        Some(Value::String(text)) => Ok(text.as_str()),
        None => Err(fail(
            Reason::Malformed,
            format!("header: a JWE header needs {name}"),
        )),
        Some(other) => Err(fail(
            Reason::Malformed,
            format!(
                "header: {name} is {}, not a string",
                crate::json::kind_of(other)
            ),
        )),
    };
    let (alg_name, enc_name) = (named("alg")?, named("enc")?);
    if header.contains_key("crit") {
        return Err(fail(
            Reason::Unsupported,
            "the header has crit: jwtk understands no JWE extensions, so it must refuse it",
        ));
    }
    let alg: KeyAlg = alg_name
        .parse()
        .map_err(|_| fail(Reason::Unsupported, alg::refusal(alg_name)))?;
    let enc: ContentAlg = enc_name.parse().map_err(|_| {
        fail(
            Reason::Unsupported,
            format!("unknown content encryption {:?}", cut(enc_name)),
        )
    })?;
    match header.get("zip") {
        None => {}
        Some(Value::String(z)) if z == "DEF" => {}
        Some(other) => {
            return Err(fail(
                Reason::Unsupported,
                format!("zip {}: only DEF is defined", cut(&other.to_string())),
            ));
        }
    }
    if alg.carries_key() == jwe.encrypted_key.is_empty() {
        let fault = if alg.carries_key() {
            format!("is empty, but {alg} carries the content key there")
        } else {
            format!("must be empty with {alg}")
        };
        return Err(malformed(&Malformed::new(Part::EncryptedKey, fault)));
    }
    Ok((alg, enc))
}

/// The content key this entry recovers, `None` when it cannot.
fn content_key(
    entry: &Entry,
    jwe: &Jwe,
    alg: KeyAlg,
    enc: ContentAlg,
) -> Option<Zeroizing<Vec<u8>>> {
    let key = &jwe.encrypted_key;
    match (&entry.recipient, alg) {
        (Recipient::Rsa(private), KeyAlg::RsaOaep | KeyAlg::RsaOaep256) => {
            rsa::unwrap(private, alg, key)
        }
        (Recipient::Ecdh(curve, private), KeyAlg::EcdhEs) => {
            ecdh::derive(private, *curve, &jwe.header, alg, enc)
        }
        (Recipient::Ecdh(curve, private), KeyAlg::EcdhEsKw(aes)) => {
            let kek = ecdh::derive(private, *curve, &jwe.header, alg, enc)?;
            aeskw::unwrap(aes, &kek, key)
        }
        (Recipient::Secret(kek), KeyAlg::AesKw(aes)) => aeskw::unwrap(aes, kek, key),
        (Recipient::Secret(kek), KeyAlg::AesGcmKw(aes)) => gcm_unwrap(aes, kek, jwe),
        (Recipient::Secret(secret), KeyAlg::Dir) => Some(secret.clone()),
        _ => None,
    }
}

/// A…GCMKW (RFC 7518 §4.7): the header's `iv` and `tag` open the encrypted key.
fn gcm_unwrap(aes: Aes, kek: &[u8], jwe: &Jwe) -> Option<Zeroizing<Vec<u8>>> {
    let member = |name: &str| token::decode_segment(Part::Header, jwe.text(name)?).ok();
    let (iv, tag) = (member("iv")?, member("tag")?);
    if iv.len() != 12 {
        return None;
    }
    content::gcm_open(aes, kek, &iv, &jwe.encrypted_key, &tag, b"")
}

fn random_key(len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(vec![0u8; len]);
    // A failing system RNG leaves zeros: the content still fails to decrypt, as it must.
    let _ = aws_lc_rs::rand::fill(&mut key);
    key
}

fn finish(
    jwe: &Jwe,
    plain: Zeroizing<Vec<u8>>,
    entry: &Entry,
) -> std::result::Result<Decrypted, Failure> {
    let plaintext = if jwe.header.contains_key("zip") {
        let cap = zip::cap(jwe.ciphertext.len());
        match zip::inflate(&plain, cap) {
            Ok(inflated) => Zeroizing::new(inflated),
            Err(err @ InflateError::TooLarge { .. }) => {
                return Err(fail(Reason::TooLarge, err.to_string()));
            }
            Err(err) => return Err(fail(Reason::Malformed, err.to_string())),
        }
    } else {
        plain
    };
    Ok(Decrypted {
        header: jwe.header.clone(),
        plaintext,
        nested: jwe.is_nested(),
        key: entry.matched.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::key::{Material, Secret};
    use proptest::prelude::*;

    /// RFC 7516 Appendix A.3 and its key.
    const A3: &str = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.AxY8DCtDaGlsbGljb3RoZQ.KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.U0m_YmjN04DJvceFICbCVQ";
    const A3_KEY: [u8; 16] = [
        25, 172, 32, 130, 225, 114, 26, 181, 138, 106, 254, 192, 95, 133, 74, 82,
    ];

    fn decryptor() -> Decryptor {
        let secret = Material::Secret(Secret(Zeroizing::new(A3_KEY.to_vec())));
        Decryptor::new(&[Key::new(secret, "test", "JWK")], Allowed::default()).unwrap()
    }

    #[test]
    fn rfc7516_a3_opens() {
        let done = decryptor().open(A3.as_bytes()).unwrap();
        assert_eq!(done.plaintext.as_slice(), b"Live long and prosper.");
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decryptor().open(&bytes);
        }

        #[test]
        fn a_changed_segment_never_decrypts(part in 0usize..5, text in "[A-Za-z0-9_-]{0,60}") {
            let mut parts: Vec<&str> = A3.split('.').collect();
            prop_assume!(parts[part] != text);
            parts[part] = &text;
            let token = parts.join(".");
            prop_assert!(decryptor().open(token.as_bytes()).is_err());
        }

        #[test]
        fn a_flipped_bit_is_decryption_failed(part in 1usize..5, bit in 0usize..128) {
            use base64::Engine;
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let mut parts: Vec<String> = A3.split('.').map(str::to_string).collect();
            let mut bytes = engine.decode(&parts[part]).unwrap();
            let at = bit % (bytes.len() * 8);
            bytes[at / 8] ^= 1 << (at % 8);
            parts[part] = engine.encode(bytes);
            let failure = decryptor().open(parts.join(".").as_bytes()).unwrap_err();
            prop_assert_eq!(failure.reason, Reason::DecryptionFailed);
            prop_assert_eq!(failure.message, DECRYPTION_FAILED);
        }
    }
}
