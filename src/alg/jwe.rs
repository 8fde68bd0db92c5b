//! The JWE algorithms jwtk decrypts (RFC 7518 §4 and §5, RFC 8037 §3.2): key management and
//! content encryption, spelled exactly as registered, with the sizes each one needs. Adding an
//! algorithm is one variant, one row in its table (the compiler asks for it) and one in each
//! match.

use crate::alg::{enum_table, registered_names};

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
    enum_table! {
        /// Every size, smallest first.
        const ALL;
        /// The key length in bytes.
        fn key_len -> usize;
        A128 => 16,
        A192 => 24,
        A256 => 32,
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
    enum_table! {
        /// Every algorithm, in the contract's order.
        const ALL;
        /// The registered name.
        fn name -> &'static str;
        RsaOaep => "RSA-OAEP",
        RsaOaep256 => "RSA-OAEP-256",
        EcdhEs => "ECDH-ES",
        EcdhEsKw(Aes::A128) => "ECDH-ES+A128KW",
        EcdhEsKw(Aes::A192) => "ECDH-ES+A192KW",
        EcdhEsKw(Aes::A256) => "ECDH-ES+A256KW",
        AesKw(Aes::A128) => "A128KW",
        AesKw(Aes::A192) => "A192KW",
        AesKw(Aes::A256) => "A256KW",
        AesGcmKw(Aes::A128) => "A128GCMKW",
        AesGcmKw(Aes::A192) => "A192GCMKW",
        AesGcmKw(Aes::A256) => "A256GCMKW",
        Dir => "dir",
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
#[non_exhaustive]
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
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContentAlg {
    /// AES-GCM with a 96-bit IV and a 128-bit tag.
    Gcm(Aes),
    /// AES-CBC with HMAC-SHA-2 (RFC 7518 §5.2): the key is twice the AES key.
    CbcHs(Aes),
}

impl ContentAlg {
    enum_table! {
        /// Every algorithm, in the contract's order.
        const ALL;
        /// The registered name.
        fn name -> &'static str;
        Gcm(Aes::A128) => "A128GCM",
        Gcm(Aes::A192) => "A192GCM",
        Gcm(Aes::A256) => "A256GCM",
        CbcHs(Aes::A128) => "A128CBC-HS256",
        CbcHs(Aes::A192) => "A192CBC-HS384",
        CbcHs(Aes::A256) => "A256CBC-HS512",
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

    /// `enum_table!` made each table whole: every value once (checked against values built
    /// by hand from the AES sizes, in the contract's order), each name its own.
    #[test]
    fn the_tables_hold_every_value_once() {
        assert_eq!(Aes::ALL, [Aes::A128, Aes::A192, Aes::A256]);
        for aes in Aes::ALL {
            assert_eq!(Aes::from_key_len(aes.key_len()), Some(aes));
        }

        let mut key_algs = vec![KeyAlg::RsaOaep, KeyAlg::RsaOaep256, KeyAlg::EcdhEs];
        for wrap in [KeyAlg::EcdhEsKw, KeyAlg::AesKw, KeyAlg::AesGcmKw] {
            key_algs.extend(Aes::ALL.map(wrap));
        }
        key_algs.push(KeyAlg::Dir);
        assert_eq!(KeyAlg::ALL.to_vec(), key_algs);

        let mut content_algs = Aes::ALL.map(ContentAlg::Gcm).to_vec();
        content_algs.extend(Aes::ALL.map(ContentAlg::CbcHs));
        assert_eq!(ContentAlg::ALL.to_vec(), content_algs);

        let distinct = |names: Vec<&str>| {
            names
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert_eq!(distinct(KeyAlg::names().collect()), KeyAlg::ALL.len());
        assert_eq!(
            distinct(ContentAlg::names().collect()),
            ContentAlg::ALL.len()
        );
        for alg in KeyAlg::ALL {
            assert_eq!(alg.to_string().parse(), Ok(alg));
        }
        for enc in ContentAlg::ALL {
            assert_eq!(enc.to_string().parse(), Ok(enc));
        }
    }
}
