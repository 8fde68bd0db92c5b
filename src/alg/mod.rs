//! The JWS signature algorithms jwtk signs and verifies (RFC 7518 §3, RFC 8037, RFC 9864), the
//! curves they use and the key families they need: every fact about an algorithm or a curve
//! lives here, in exhaustive matches and tables the compiler checks (`enum_table!`). The JWE
//! algorithms are in `jwe`, beside them.

pub mod jwe;

use std::fmt;

use aws_lc_rs::signature::{self as sig, EcdsaSigningAlgorithm, EcdsaVerificationAlgorithm};
use spki::ObjectIdentifier;

/// Inside an enum's `impl`: the enum's table, its values written once, in order. Each row is
/// one value (a unit variant, or a variant over a smaller enum's values, spelled out in full)
/// and what one method returns for it; the macro makes `ALL` (the rows' values, its length
/// counted from the rows) and that method (a `match` on the same rows). So the compiler checks
/// the table: a value left out leaves the `match` non-exhaustive, a value written twice is an
/// unreachable pattern (denied), and a wildcard or a binding is no value `ALL` can hold.
macro_rules! enum_table {
    (
        $(#[$all_doc:meta])* const ALL;
        $(#[$fn_doc:meta])* fn $method:ident -> $ret:ty;
        $($variant:ident $(($($inner:tt)*))? => $value:expr),+ $(,)?
    ) => {
        $(#[$all_doc])*
        pub const ALL: [Self; [$(stringify!($variant)),+].len()] =
            [$(Self::$variant $(($($inner)*))?),+];

        $(#[$fn_doc])*
        #[deny(unreachable_patterns)]
        pub fn $method(self) -> $ret {
            match self {
                $(Self::$variant $(($($inner)*))? => $value,)+
            }
        }
    };
}
pub(crate) use enum_table;

/// For an algorithm enum whose [`enum_table!`] gives `ALL` and `name`: `names()`, `Display`
/// (the name) and `FromStr` (exact, case-sensitive registered names only, else the unit error
/// `$error`: `hs256` or `NONE` are not algorithms).
macro_rules! registered_names {
    ($type:ty, $error:ident) => {
        impl $type {
            /// The registered names, in the table's order (completions, the contract test).
            pub fn names() -> impl Iterator<Item = &'static str> {
                Self::ALL.into_iter().map(Self::name)
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $type {
            type Err = $error;

            fn from_str(name: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|alg| alg.name() == name)
                    .ok_or($error)
            }
        }
    };
}
pub(crate) use registered_names;

/// Everything jwtk knows about one elliptic curve for ECDSA. Its JWS algorithm is
/// [`Algorithm::Es`] of the curve, named in [`Algorithm`]'s table.
#[non_exhaustive]
pub struct CurveSpec {
    /// The JWK `crv` name.
    pub name: &'static str,
    /// The named-curve OID in PKCS#8, SPKI and SEC1.
    pub oid: ObjectIdentifier,
    /// Bytes in one coordinate (and in each of `r` and `s` of a JOSE signature).
    pub coordinate_len: usize,
    /// The field size in bits.
    pub bits: usize,
    /// aws-lc-rs's signer, with fixed-width (JOSE) signatures.
    pub signing: &'static EcdsaSigningAlgorithm,
    /// aws-lc-rs's verifier, with fixed-width (JOSE) signatures.
    pub verifying: &'static EcdsaVerificationAlgorithm,
    /// aws-lc-rs's ECDH on this curve (JWE ECDH-ES), if it has one: `None` makes the curve's
    /// keys signature keys only.
    pub agreement: Option<&'static aws_lc_rs::agreement::Algorithm>,
}

const P256: CurveSpec = CurveSpec {
    name: "P-256",
    oid: ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
    coordinate_len: 32,
    bits: 256,
    signing: &sig::ECDSA_P256_SHA256_FIXED_SIGNING,
    verifying: &sig::ECDSA_P256_SHA256_FIXED,
    agreement: Some(&aws_lc_rs::agreement::ECDH_P256),
};

const P384: CurveSpec = CurveSpec {
    name: "P-384",
    oid: ObjectIdentifier::new_unwrap("1.3.132.0.34"),
    coordinate_len: 48,
    bits: 384,
    signing: &sig::ECDSA_P384_SHA384_FIXED_SIGNING,
    verifying: &sig::ECDSA_P384_SHA384_FIXED,
    agreement: Some(&aws_lc_rs::agreement::ECDH_P384),
};

const P521: CurveSpec = CurveSpec {
    name: "P-521",
    oid: ObjectIdentifier::new_unwrap("1.3.132.0.35"),
    coordinate_len: 66,
    bits: 521,
    signing: &sig::ECDSA_P521_SHA512_FIXED_SIGNING,
    verifying: &sig::ECDSA_P521_SHA512_FIXED,
    agreement: Some(&aws_lc_rs::agreement::ECDH_P521),
};

/// An elliptic curve for ECDSA.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Curve {
    /// NIST P-256 (secp256r1), for ES256.
    P256,
    /// NIST P-384 (secp384r1), for ES384.
    P384,
    /// NIST P-521 (secp521r1), for ES512.
    P521,
}

impl Curve {
    enum_table! {
        /// Every curve.
        const ALL;
        /// This curve's table row.
        fn spec -> &'static CurveSpec;
        P256 => &P256,
        P384 => &P384,
        P521 => &P521,
    }

    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The curve named by a JWK `crv`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The curve a named-curve OID stands for.
    pub fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.spec().oid == oid)
    }

    /// Bytes in one coordinate (and in each of `r` and `s` of a JOSE signature).
    pub fn coordinate_len(self) -> usize {
        self.spec().coordinate_len
    }

    /// The field size in bits.
    pub fn bits(self) -> usize {
        self.spec().bits
    }

    /// The one JWS algorithm that uses this curve.
    pub fn alg(self) -> Algorithm {
        Algorithm::Es(self)
    }
}

/// What kind of key an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// A shared secret (HS*).
    Hmac,
    /// An RSA key (RS*, PS*).
    Rsa,
    /// An ECDSA key on one curve (ES*).
    Ec(Curve),
    /// An Ed25519 key (EdDSA, Ed25519).
    Ed25519,
    /// An X25519 key: key agreement (ECDH-ES) only, no JWS algorithm.
    X25519,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Hmac => f.write_str("HMAC secret"),
            Family::Rsa => f.write_str("RSA"),
            Family::Ec(curve) => write!(f, "EC {}", curve.name()),
            Family::Ed25519 => f.write_str("Ed25519"),
            Family::X25519 => f.write_str("X25519"),
        }
    }
}

/// A SHA-2 hash, as the HS, RS and PS families use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sha {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Sha {
    enum_table! {
        /// Every hash, shortest first.
        const ALL;
        /// The digest length in bytes.
        fn digest_len -> usize;
        Sha256 => 32,
        Sha384 => 48,
        Sha512 => 64,
    }
}

/// A JWS algorithm, by family; spelled exactly as RFC 7518 and RFC 9864 do (`HS256`, …,
/// `EdDSA`, `Ed25519`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// HMAC with SHA-2 (HS256, HS384, HS512).
    Hs(Sha),
    /// RSASSA-PKCS1-v1_5 with SHA-2 (RS256, RS384, RS512).
    Rs(Sha),
    /// RSASSA-PSS with SHA-2 and MGF1 (PS256, PS384, PS512).
    Ps(Sha),
    /// ECDSA on one curve with its hash (ES256, ES384, ES512).
    Es(Curve),
    /// EdDSA, as RFC 8037 names it (Ed25519 keys only in jwtk).
    EdDSA,
    /// Ed25519, RFC 9864's fully-specified name for EdDSA over Ed25519.
    Ed25519,
}

impl Algorithm {
    /// HS256.
    pub const HS256: Self = Self::Hs(Sha::Sha256);
    /// HS384.
    pub const HS384: Self = Self::Hs(Sha::Sha384);
    /// HS512.
    pub const HS512: Self = Self::Hs(Sha::Sha512);
    /// RS256.
    pub const RS256: Self = Self::Rs(Sha::Sha256);
    /// RS384.
    pub const RS384: Self = Self::Rs(Sha::Sha384);
    /// RS512.
    pub const RS512: Self = Self::Rs(Sha::Sha512);
    /// PS256.
    pub const PS256: Self = Self::Ps(Sha::Sha256);
    /// PS384.
    pub const PS384: Self = Self::Ps(Sha::Sha384);
    /// PS512.
    pub const PS512: Self = Self::Ps(Sha::Sha512);
    /// ES256.
    pub const ES256: Self = Self::Es(Curve::P256);
    /// ES384.
    pub const ES384: Self = Self::Es(Curve::P384);
    /// ES512.
    pub const ES512: Self = Self::Es(Curve::P521);

    enum_table! {
        /// Every algorithm, in the contract's order.
        const ALL;
        /// The registered name.
        fn name -> &'static str;
        Hs(Sha::Sha256) => "HS256",
        Hs(Sha::Sha384) => "HS384",
        Hs(Sha::Sha512) => "HS512",
        Rs(Sha::Sha256) => "RS256",
        Rs(Sha::Sha384) => "RS384",
        Rs(Sha::Sha512) => "RS512",
        Ps(Sha::Sha256) => "PS256",
        Ps(Sha::Sha384) => "PS384",
        Ps(Sha::Sha512) => "PS512",
        Es(Curve::P256) => "ES256",
        Es(Curve::P384) => "ES384",
        Es(Curve::P521) => "ES512",
        EdDSA => "EdDSA",
        Ed25519 => "Ed25519",
    }

    /// The kind of key this algorithm needs.
    pub fn family(self) -> Family {
        match self {
            Self::Hs(_) => Family::Hmac,
            Self::Rs(_) | Self::Ps(_) => Family::Rsa,
            Self::Es(curve) => Family::Ec(curve),
            Self::EdDSA | Self::Ed25519 => Family::Ed25519,
        }
    }

    /// The SHA-2 hash inside this algorithm: the one its name carries (ES256/384/512 by their
    /// curves' hashes), and SHA-512 for EdDSA and Ed25519, the hash Ed25519 itself uses (RFC
    /// 8032 §5.1). OpenID Connect's `at_hash` and `c_hash` are halves of this hash (OIDC Core
    /// §3.1.3.6; for EdDSA, SHA-512 as the OpenID Connect working group settled).
    pub fn hash(self) -> Sha {
        match self {
            Self::Hs(sha) | Self::Rs(sha) | Self::Ps(sha) => sha,
            Self::Es(Curve::P256) => Sha::Sha256,
            Self::Es(Curve::P384) => Sha::Sha384,
            Self::Es(Curve::P521) => Sha::Sha512,
            Self::EdDSA | Self::Ed25519 => Sha::Sha512,
        }
    }

    /// For HMAC, the hash length in bytes: the smallest secret RFC 7518 §3.2 allows.
    pub fn min_secret_len(self) -> Option<usize> {
        match self {
            Self::Hs(sha) => Some(sha.digest_len()),
            Self::Rs(_) | Self::Ps(_) | Self::Es(_) | Self::EdDSA | Self::Ed25519 => None,
        }
    }

    /// The algorithms a key of `family` can serve.
    pub fn for_family(family: Family) -> impl Iterator<Item = Algorithm> {
        Self::ALL
            .into_iter()
            .filter(move |alg| alg.family() == family)
    }

    /// The algorithm a key of `family` signs with unless told otherwise. An X25519 key signs
    /// with nothing: its signer is refused before any algorithm is used, so the name given
    /// here (that of its Edwards sibling) only ever appears in that refusal.
    pub fn default_for(family: Family) -> Algorithm {
        match family {
            Family::Hmac => Self::HS256,
            Family::Rsa => Self::RS256,
            Family::Ec(curve) => curve.alg(),
            Family::Ed25519 | Family::X25519 => Self::EdDSA,
        }
    }
}

/// An algorithm name that jwtk does not sign or verify with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported algorithm")]
pub struct UnknownAlgorithm;

registered_names!(Algorithm, UnknownAlgorithm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_exactly() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.name().parse(), Ok(alg));
        }
        for bad in ["hs256", "none", "None", "EDDSA", "ES256K", "ed25519", ""] {
            assert_eq!(bad.parse::<Algorithm>(), Err(UnknownAlgorithm), "{bad}");
        }
        assert_eq!(Algorithm::for_family(Family::Rsa).count(), 6);
        assert_eq!(Algorithm::for_family(Family::Ed25519).count(), 2);
        assert_eq!(Curve::P521.alg(), Algorithm::ES512);
        for curve in Curve::ALL {
            assert!(Algorithm::ALL.contains(&curve.alg()), "{}", curve.name());
            assert_eq!(Curve::from_oid(curve.spec().oid), Some(curve));
            assert_eq!(Curve::from_name(curve.name()), Some(curve));
        }
    }

    /// The values a table must hold, built from the smaller tables by hand, not by
    /// `enum_table!`; `spell` matches exhaustively, so a new variant stops this test compiling
    /// until it is spelled here too.
    fn spelled_out() -> Vec<Algorithm> {
        fn spell(alg: Algorithm) -> Vec<Algorithm> {
            match alg {
                Algorithm::Hs(_) => Sha::ALL.map(Algorithm::Hs).to_vec(),
                Algorithm::Rs(_) => Sha::ALL.map(Algorithm::Rs).to_vec(),
                Algorithm::Ps(_) => Sha::ALL.map(Algorithm::Ps).to_vec(),
                Algorithm::Es(_) => Curve::ALL.map(Algorithm::Es).to_vec(),
                Algorithm::EdDSA | Algorithm::Ed25519 => vec![alg],
            }
        }
        let one_of_each = [
            Algorithm::HS256,
            Algorithm::RS256,
            Algorithm::PS256,
            Algorithm::ES256,
            Algorithm::EdDSA,
            Algorithm::Ed25519,
        ];
        one_of_each.into_iter().flat_map(spell).collect()
    }

    /// `enum_table!` made each table whole: every value once, each name its own, in order.
    #[test]
    fn the_tables_hold_every_value_once() {
        let expected = spelled_out();
        assert_eq!(Algorithm::ALL.len(), expected.len());
        assert_eq!(Algorithm::ALL.to_vec(), expected, "the contract's order");
        let names: std::collections::BTreeSet<_> = Algorithm::names().collect();
        assert_eq!(names.len(), Algorithm::ALL.len(), "names are distinct");
        for alg in Algorithm::ALL {
            assert_eq!(alg.to_string().parse(), Ok(alg));
        }

        assert_eq!(Sha::ALL, [Sha::Sha256, Sha::Sha384, Sha::Sha512]);
        assert_eq!(Sha::ALL.map(Sha::digest_len), [32, 48, 64]);

        assert_eq!(Curve::ALL, [Curve::P256, Curve::P384, Curve::P521]);
        let crvs: std::collections::BTreeSet<_> = Curve::ALL.map(Curve::name).into();
        let oids: std::collections::BTreeSet<_> = Curve::ALL.map(|c| c.spec().oid).into();
        assert_eq!(
            (crvs.len(), oids.len()),
            (Curve::ALL.len(), Curve::ALL.len())
        );
        for curve in Curve::ALL {
            assert_eq!(Curve::from_name(curve.name()), Some(curve));
            assert_eq!(Curve::from_oid(curve.spec().oid), Some(curve));
            assert_eq!(curve.alg().family(), Family::Ec(curve));
            assert_eq!(Algorithm::default_for(Family::Ec(curve)), curve.alg());
        }
    }
}
