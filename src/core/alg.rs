//! The JWS signature algorithms jwtk signs and verifies (RFC 7518 §3, RFC 8037), and the key
//! families they need.

use std::fmt;
use std::str::FromStr;

/// An elliptic curve for ECDSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// NIST P-256 (secp256r1), for ES256.
    P256,
    /// NIST P-384 (secp384r1), for ES384.
    P384,
    /// NIST P-521 (secp521r1), for ES512.
    P521,
}

impl Curve {
    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// The curve named by a JWK `crv`.
    pub fn from_name(name: &str) -> Option<Self> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.name() == name)
    }

    /// Bytes in one coordinate (and in each of `r` and `s` of a JOSE signature).
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The one JWS algorithm that uses this curve.
    pub fn alg(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
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
    /// An Ed25519 key (EdDSA).
    Ed25519,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Hmac => f.write_str("HMAC secret"),
            Family::Rsa => f.write_str("RSA"),
            Family::Ec(curve) => write!(f, "EC {}", curve.name()),
            Family::Ed25519 => f.write_str("Ed25519"),
        }
    }
}

/// A JWS algorithm, spelled exactly as in RFC 7518 (`HS256`, …, `EdDSA`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::upper_case_acronyms)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

impl Algorithm {
    /// Every algorithm, in the contract's order.
    pub const ALL: [Algorithm; 13] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::EdDSA,
    ];

    /// The names of [`Algorithm::ALL`], for argument parsing and completions.
    pub const NAMES: [&'static str; 13] = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384", "ES512", "EdDSA",
    ];

    /// The registered name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The kind of key this algorithm needs.
    pub fn family(self) -> Family {
        use Algorithm::*;
        match self {
            HS256 | HS384 | HS512 => Family::Hmac,
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => Family::Rsa,
            ES256 => Family::Ec(Curve::P256),
            ES384 => Family::Ec(Curve::P384),
            ES512 => Family::Ec(Curve::P521),
            EdDSA => Family::Ed25519,
        }
    }

    /// For HMAC, the hash length in bytes: the smallest secret RFC 7518 §3.2 allows.
    pub fn min_secret_len(self) -> Option<usize> {
        match self {
            Algorithm::HS256 => Some(32),
            Algorithm::HS384 => Some(48),
            Algorithm::HS512 => Some(64),
            _ => None,
        }
    }

    /// The algorithms a key of `family` can serve.
    pub fn for_family(family: Family) -> impl Iterator<Item = Algorithm> {
        Self::ALL
            .into_iter()
            .filter(move |alg| alg.family() == family)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An algorithm name that jwtk does not sign or verify with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported algorithm")]
pub struct UnknownAlgorithm;

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    /// Exact, case-sensitive names only: `hs256` or `NONE` are not algorithms.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
            .ok_or(UnknownAlgorithm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_exactly() {
        for alg in Algorithm::ALL {
            assert_eq!(alg.name().parse(), Ok(alg));
        }
        for bad in ["hs256", "none", "None", "EDDSA", "ES256K", ""] {
            assert_eq!(bad.parse::<Algorithm>(), Err(UnknownAlgorithm), "{bad}");
        }
        assert_eq!(Algorithm::for_family(Family::Rsa).count(), 6);
        assert_eq!(Curve::P521.alg(), Algorithm::ES512);
    }
}
