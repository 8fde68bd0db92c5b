//! Encrypted tokens (JWE, RFC 7516) in the compact form: taking one apart without trusting it,
//! decrypting it with the keys given, and making one for a recipient. One file per algorithm
//! family, each with both directions: [`rsa`] (RSA-OAEP), [`ecdh`] (ECDH-ES, with [`kdf`]),
//! [`aeskw`] (AES key wrap), [`content`] (AES-GCM, AES-CBC-HMAC, and the AES-GCM key wrap),
//! [`zip`] (`zip: DEF`, read only); the algorithm tables are [`crate::alg::jwe`];
//! [`keyring`] turns keys into recipients and [`decrypt`] runs the decryption policy;
//! [`encrypt`] chooses the algorithms for a recipient and encrypts.

pub mod aeskw;
pub mod content;
pub mod decrypt;
pub mod ecdh;
pub mod encrypt;
pub mod kdf;
pub mod keyring;
pub mod rsa;
pub mod zip;

pub use crate::alg::jwe::{Aes, ContentAlg, KeyAlg, KeyShape};
pub use decrypt::Decryptor;
pub use encrypt::Encryptor;
pub use keyring::Allowed;

use serde_json::{Map, Value};

use crate::error::{Malformed, Part};
use crate::token::compact::{check_characters, decode_segment, parse_object};

/// The parts of a compact JWE, in order.
const PARTS: [Part; 5] = [
    Part::Header,
    Part::EncryptedKey,
    Part::Iv,
    Part::Ciphertext,
    Part::Tag,
];

/// Encoded sizes of a JWE's parts, in bytes: the five parts plus four dots make the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct JweSizes {
    /// The whole compact token.
    pub total: usize,
    /// The encoded protected header.
    pub header: usize,
    /// The encoded encrypted key (0 for `dir` and `ECDH-ES`).
    pub encrypted_key: usize,
    /// The encoded initialization vector.
    pub iv: usize,
    /// The encoded ciphertext.
    pub ciphertext: usize,
    /// The encoded authentication tag.
    pub tag: usize,
}

/// A compact JWE taken apart but not decrypted.
#[derive(Debug, Clone)]
pub struct Jwe<'a> {
    /// The compact token as given.
    pub compact: &'a str,
    /// The encoded protected header: the additional authenticated data.
    pub encoded_header: &'a str,
    /// The protected header, members in their original order.
    pub header: Map<String, Value>,
    /// The decoded encrypted key.
    pub encrypted_key: Vec<u8>,
    /// The decoded initialization vector.
    pub iv: Vec<u8>,
    /// The decoded ciphertext.
    pub ciphertext: Vec<u8>,
    /// The decoded authentication tag.
    pub tag: Vec<u8>,
    sizes: JweSizes,
}

/// Whether `token` has the shape of a compact JWE: five segments, without whitespace (text with
/// whitespace between its dots is several tokens, or a broken one: never one JWE).
pub fn is_jwe(token: &[u8]) -> bool {
    token.first() != Some(&b'{')
        && !token.iter().any(u8::is_ascii_whitespace)
        && token.iter().filter(|&&b| b == b'.').count() == 4
}

impl<'a> Jwe<'a> {
    /// Split and decode a compact JWE: strict base64url in every part, a JSON object header
    /// with unique names. What the header says is judged by `decrypt`.
    pub fn parse(token: &'a [u8]) -> Result<Self, Malformed> {
        check_characters(token, &PARTS)?;
        let compact =
            std::str::from_utf8(token).map_err(|_| Malformed::new(Part::Token, "not ASCII"))?;
        let segments: Vec<&str> = compact.split('.').collect();
        let [header, key, iv, ciphertext, tag] = segments.as_slice() else {
            return Err(Malformed::new(
                Part::Token,
                format!(
                    "{} segments where a JWE has 5 (header.key.iv.ciphertext.tag)",
                    segments.len()
                ),
            ));
        };
        let header_bytes = decode_segment(Part::Header, header)?;
        let parsed = parse_object(Part::Header, &header_bytes)?;
        if iv.is_empty() || ciphertext.is_empty() || tag.is_empty() {
            let part = PARTS[2..]
                .iter()
                .zip([iv, ciphertext, tag])
                .find(|(_, s)| s.is_empty())
                .map_or(Part::Token, |(p, _)| *p);
            return Err(Malformed::new(part, "is empty"));
        }
        Ok(Jwe {
            compact,
            encoded_header: header,
            header: parsed,
            encrypted_key: decode_segment(Part::EncryptedKey, key)?,
            iv: decode_segment(Part::Iv, iv)?,
            ciphertext: decode_segment(Part::Ciphertext, ciphertext)?,
            tag: decode_segment(Part::Tag, tag)?,
            sizes: JweSizes {
                total: compact.len(),
                header: header.len(),
                encrypted_key: key.len(),
                iv: iv.len(),
                ciphertext: ciphertext.len(),
                tag: tag.len(),
            },
        })
    }

    /// The encoded length of each part.
    pub fn sizes(&self) -> JweSizes {
        self.sizes
    }

    /// A header member, when it is a string.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// Whether the content is itself a JWT (`cty: JWT`, any case): a nested token.
    pub fn is_nested(&self) -> bool {
        self.text("cty")
            .is_some_and(|c| c.eq_ignore_ascii_case("JWT"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7516 Appendix A.3 (A128KW, A128CBC-HS256).
    pub const A3: &str = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.AxY8DCtDaGlsbGljb3RoZQ.KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.U0m_YmjN04DJvceFICbCVQ";

    #[test]
    fn parses_the_five_parts_and_names_faults() {
        assert!(is_jwe(A3.as_bytes()));
        let jwe = Jwe::parse(A3.as_bytes()).unwrap();
        assert_eq!(jwe.text("alg"), Some("A128KW"));
        assert_eq!(
            (jwe.encrypted_key.len(), jwe.iv.len(), jwe.tag.len()),
            (40, 16, 16)
        );
        let s = jwe.sizes();
        assert_eq!(
            s.header + s.encrypted_key + s.iv + s.ciphertext + s.tag + 4,
            s.total
        );
        let bad = A3.replacen(".AxY8", ".A=Y8", 1);
        assert_eq!(Jwe::parse(bad.as_bytes()).unwrap_err().part, Part::Iv);
        let empty_tag = &A3[..A3.rfind('.').unwrap() + 1];
        assert_eq!(
            Jwe::parse(empty_tag.as_bytes()).unwrap_err().part,
            Part::Tag
        );
        assert!(!is_jwe(b"a.b.c"));
        assert!(!is_jwe(b"a.b.c d.e"), "two tokens are not one JWE");
    }
}
