//! OpenID Connect's half hashes, `at_hash` and `c_hash` (OIDC Core §3.1.3.6, §3.3.2.11): the
//! base64url left half of the hash of a value's ASCII octets, with the hash of the ID token's
//! own `alg` (SHA-512 for EdDSA and Ed25519).

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::alg::{Algorithm, Sha};

/// The `at_hash` (of an access token) or `c_hash` (of an authorization code) that an ID token
/// signed with `alg` carries for `value`.
pub fn half_hash(alg: Algorithm, value: &[u8]) -> String {
    let which = match alg.hash() {
        Sha::Sha256 => &digest::SHA256,
        Sha::Sha384 => &digest::SHA384,
        Sha::Sha512 => &digest::SHA512,
    };
    let full = digest::digest(which, value);
    let full = full.as_ref();
    URL_SAFE_NO_PAD.encode(&full[..full.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OIDC Core 1.0 Appendix A.3 (`at_hash`, RS256) and A.4 (`c_hash`, RS256).
    #[test]
    fn oidc_core_examples() {
        assert_eq!(
            half_hash(
                Algorithm::RS256,
                b"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
            ),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_eq!(
            half_hash(
                Algorithm::RS256,
                b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
            ),
            "LDktKdoQak3Pk0cnXxCltA"
        );
    }

    /// Every algorithm against authlib's `create_half_hash` (tests/fixtures/profile/).
    #[test]
    fn authlib_vectors() {
        let text = include_str!("../../tests/fixtures/profile/half_hashes.json");
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let vectors = doc["vectors"].as_array().unwrap();
        assert_eq!(vectors.len(), 2 * Algorithm::ALL.len());
        for v in vectors {
            let alg: Algorithm = v["alg"].as_str().unwrap().parse().unwrap();
            let value = v["value"].as_str().unwrap();
            assert_eq!(
                half_hash(alg, value.as_bytes()),
                v["hash"].as_str().unwrap(),
                "{alg} {}",
                v["claim"]
            );
        }
    }

    #[test]
    fn half_of_each_hash() {
        let lengths = Algorithm::ALL.map(|alg| half_hash(alg, b"x").len());
        // 16, 24 and 32 bytes, base64url without padding.
        for (alg, len) in Algorithm::ALL.iter().zip(lengths) {
            let want = match alg.hash() {
                Sha::Sha256 => 22,
                Sha::Sha384 => 32,
                Sha::Sha512 => 43,
            };
            assert_eq!(len, want, "{alg}");
        }
        assert_eq!(
            half_hash(Algorithm::EdDSA, b"x"),
            half_hash(Algorithm::HS512, b"x")
        );
        assert_eq!(
            half_hash(Algorithm::Ed25519, b"x"),
            half_hash(Algorithm::ES512, b"x")
        );
    }
}
