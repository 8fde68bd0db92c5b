//! The JWE algorithms jwtk decrypts (RFC 7518 §4 and §5, RFC 8037 §3.2): key management and
//! content encryption, spelled exactly as registered, with the sizes each one needs. Adding an
//! algorithm is one variant and one row in each match.

use crate::alg::registered_names;

/// An AES key size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Aes {
    /// AES-128.
    A128,
    /// AES-192.
    A192,
    /// AES-256.
    A256,
}

impl Aes {
    /// Every size, smallest first.
    pub const ALL: [Aes; 3] = [Aes::A128, Aes::A192, Aes::A256];

    /// The key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Aes::A128 => 16,
            Aes::A192 => 24,
            Aes::A256 => 32,
        }
    }

    /// The size whose key is `len` bytes.
    pub fn from_key_len(len: usize) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key_len() == len)
    }

    fn bits(self) -> usize {
        self.key_len() * 8
    }
}

/// A key-management algorithm (the header's `alg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyAlg {
    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1.
    RsaOaep,
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256.
    RsaOaep256,
    /// ECDH-ES key agreement; the derived key is the content key.
    EcdhEs,
    /// ECDH-ES key agreement, the derived key wrapping the content key with AES-KW.
    EcdhEsKw(Aes),
    /// AES key wrap (RFC 3394).
    AesKw(Aes),
    /// AES-GCM key wrap (`iv` and `tag` in the header).
    AesGcmKw(Aes),
    /// The shared key is the content key.
    Dir,
}

impl KeyAlg {
    /// Every algorithm, in the contract's order.
    pub const ALL: [KeyAlg; 13] = [
        KeyAlg::RsaOaep,
        KeyAlg::RsaOaep256,
        KeyAlg::EcdhEs,
        KeyAlg::EcdhEsKw(Aes::A128),
        KeyAlg::EcdhEsKw(Aes::A192),
        KeyAlg::EcdhEsKw(Aes::A256),
        KeyAlg::AesKw(Aes::A128),
        KeyAlg::AesKw(Aes::A192),
        KeyAlg::AesKw(Aes::A256),
        KeyAlg::AesGcmKw(Aes::A128),
        KeyAlg::AesGcmKw(Aes::A192),
        KeyAlg::AesGcmKw(Aes::A256),
        KeyAlg::Dir,
    ];

    /// The registered name.
    pub fn name(self) -> &'static str {
        use Aes::*;
        match self {
            KeyAlg::RsaOaep => "RSA-OAEP",
            KeyAlg::RsaOaep256 => "RSA-OAEP-256",
            KeyAlg::EcdhEs => "ECDH-ES",
            KeyAlg::EcdhEsKw(A128) => "ECDH-ES+A128KW",
            KeyAlg::EcdhEsKw(A192) => "ECDH-ES+A192KW",
            KeyAlg::EcdhEsKw(A256) => "ECDH-ES+A256KW",
            KeyAlg::AesKw(A128) => "A128KW",
            KeyAlg::AesKw(A192) => "A192KW",
            KeyAlg::AesKw(A256) => "A256KW",
            KeyAlg::AesGcmKw(A128) => "A128GCMKW",
            KeyAlg::AesGcmKw(A192) => "A192GCMKW",
            KeyAlg::AesGcmKw(A256) => "A256GCMKW",
            KeyAlg::Dir => "dir",
        }
    }

    /// The algorithms a key of this shape serves, in the contract's order.
    pub fn for_shape(shape: KeyShape) -> Vec<KeyAlg> {
        Self::ALL
            .into_iter()
            .filter(|alg| alg.fits(shape))
            .collect()
    }

    /// Whether a key of this shape can serve this algorithm (a `dir` key: for some content
    /// algorithm; which one is [`ContentAlg::key_len`]'s to say).
    pub fn fits(self, shape: KeyShape) -> bool {
        match (self, shape) {
            (KeyAlg::RsaOaep | KeyAlg::RsaOaep256, KeyShape::Rsa) => true,
            (KeyAlg::EcdhEs | KeyAlg::EcdhEsKw(_), KeyShape::Agreement) => true,
            (KeyAlg::AesKw(aes) | KeyAlg::AesGcmKw(aes), KeyShape::Secret(len)) => {
                aes.key_len() == len
            }
            (KeyAlg::Dir, KeyShape::Secret(len)) => {
                ContentAlg::ALL.iter().any(|enc| enc.key_len() == len)
            }
            _ => false,
        }
    }

    /// The algorithm `mint --encrypt-to` uses for a key of this shape unless told: RSA
    /// `RSA-OAEP-256`, EC and X25519 `ECDH-ES+A256KW`, a shared key the `A…KW` of its length
    /// (`None` for a length no key wrap has).
    pub fn default_for(shape: KeyShape) -> Option<KeyAlg> {
        match shape {
            KeyShape::Rsa => Some(KeyAlg::RsaOaep256),
            KeyShape::Agreement => Some(KeyAlg::EcdhEsKw(Aes::A256)),
            KeyShape::Secret(len) => Aes::from_key_len(len).map(KeyAlg::AesKw),
        }
    }

    /// Whether the content key travels encrypted in the token (the second segment is not
    /// empty).
    pub fn carries_key(self) -> bool {
        !matches!(self, KeyAlg::EcdhEs | KeyAlg::Dir)
    }
}

/// What a JWE key is, as far as the algorithms care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyShape {
    /// An RSA key (RSA-OAEP).
    Rsa,
    /// An EC or X25519 key (ECDH-ES).
    Agreement,
    /// A shared key of this many bytes (AES key wrap, `dir`).
    Secret(usize),
}

/// Why a header names an algorithm jwtk will not use: a known one it refuses, or an unknown.
pub fn refusal(name: &str) -> String {
    if name == "RSA1_5" {
        "RSA1_5 is refused: RSAES-PKCS1-v1_5 invites padding-oracle attacks (RFC 8725 §3.2); ask the sender for RSA-OAEP-256".into()
    } else if name.starts_with("PBES2-") {
        "PBES2 (password-based key wrap) is not supported: use a real key".into()
    } else {
        format!(
            "unknown key-management algorithm {:?}",
            crate::text::cut(name)
        )
    }
}

/// A content-encryption algorithm (the header's `enc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentAlg {
    /// AES-GCM with a 96-bit IV and a 128-bit tag.
    Gcm(Aes),
    /// AES-CBC with HMAC-SHA-2 (RFC 7518 §5.2): the key is twice the AES key.
    CbcHs(Aes),
}

impl ContentAlg {
    /// Every algorithm, in the contract's order.
    pub const ALL: [ContentAlg; 6] = [
        ContentAlg::Gcm(Aes::A128),
        ContentAlg::Gcm(Aes::A192),
        ContentAlg::Gcm(Aes::A256),
        ContentAlg::CbcHs(Aes::A128),
        ContentAlg::CbcHs(Aes::A192),
        ContentAlg::CbcHs(Aes::A256),
    ];

    /// The registered name.
    pub fn name(self) -> &'static str {
        use Aes::*;
        match self {
            ContentAlg::Gcm(A128) => "A128GCM",
            ContentAlg::Gcm(A192) => "A192GCM",
            ContentAlg::Gcm(A256) => "A256GCM",
            ContentAlg::CbcHs(A128) => "A128CBC-HS256",
            ContentAlg::CbcHs(A192) => "A192CBC-HS384",
            ContentAlg::CbcHs(A256) => "A256CBC-HS512",
        }
    }

    /// The content key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            ContentAlg::Gcm(aes) => aes.key_len(),
            ContentAlg::CbcHs(aes) => 2 * aes.key_len(),
        }
    }

    /// The IV length in bytes.
    pub fn iv_len(self) -> usize {
        match self {
            ContentAlg::Gcm(_) => 12,
            ContentAlg::CbcHs(_) => 16,
        }
    }

    /// The tag length in bytes.
    pub fn tag_len(self) -> usize {
        match self {
            ContentAlg::Gcm(_) => 16,
            ContentAlg::CbcHs(aes) => aes.key_len(),
        }
    }

    fn bits(self) -> usize {
        self.key_len() * 8
    }

    /// The content algorithm `mint --encrypt-to` uses unless told.
    pub const DEFAULT: ContentAlg = ContentAlg::Gcm(Aes::A256);
}

/// A name that is no algorithm of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported algorithm")]
pub struct UnknownJweAlgorithm;

registered_names!(KeyAlg, UnknownJweAlgorithm);

registered_names!(ContentAlg, UnknownJweAlgorithm);

/// What the Concat KDF is asked for (RFC 7518 §4.6.2): the algorithm name it binds (`enc` for
/// ECDH-ES, `alg` for ECDH-ES+A…KW) and the bit length (the content key's, or the wrapping
/// key's).
pub fn kdf_input(alg: KeyAlg, enc: ContentAlg) -> (&'static str, usize) {
    match alg {
        KeyAlg::EcdhEsKw(aes) => (alg.name(), aes.bits()),
        _ => (enc.name(), enc.bits()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_exactly() {
        for alg in KeyAlg::ALL {
            assert_eq!(alg.name().parse(), Ok(alg));
        }
        for enc in ContentAlg::ALL {
            assert_eq!(enc.name().parse(), Ok(enc));
        }
        assert_eq!(KeyAlg::names().count(), 13);
        for bad in ["RSA1_5", "PBES2-HS256+A128KW", "a128kw", "DIR", "none", ""] {
            assert!(bad.parse::<KeyAlg>().is_err(), "{bad}");
        }
        assert_eq!(ContentAlg::CbcHs(Aes::A192).key_len(), 48);
        assert_eq!(ContentAlg::CbcHs(Aes::A256).tag_len(), 32);
        assert!(refusal("RSA1_5").contains("padding-oracle"));
    }

    #[test]
    fn shapes_and_defaults() {
        assert_eq!(
            KeyAlg::for_shape(KeyShape::Secret(24)),
            [
                KeyAlg::AesKw(Aes::A192),
                KeyAlg::AesGcmKw(Aes::A192),
                KeyAlg::Dir
            ]
        );
        assert_eq!(KeyAlg::for_shape(KeyShape::Secret(64)), [KeyAlg::Dir]);
        assert!(KeyAlg::for_shape(KeyShape::Secret(20)).is_empty());
        assert_eq!(KeyAlg::for_shape(KeyShape::Agreement).len(), 4);
        assert_eq!(KeyAlg::default_for(KeyShape::Secret(64)), None);
        assert_eq!(
            KeyAlg::default_for(KeyShape::Secret(16)),
            Some(KeyAlg::AesKw(Aes::A128))
        );
        assert_eq!(
            kdf_input(KeyAlg::EcdhEs, ContentAlg::CbcHs(Aes::A256)),
            ("A256CBC-HS512", 512)
        );
        assert_eq!(
            kdf_input(KeyAlg::EcdhEsKw(Aes::A192), ContentAlg::DEFAULT),
            ("ECDH-ES+A192KW", 192)
        );
    }
}
