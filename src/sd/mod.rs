//! SD-JWT (RFC 9901): selective-disclosure tokens. Taking one apart (`<JWT>~<disclosure>~…~`
//! with an optional KB-JWT at the end, or the JWS JSON serialization of §8, flattened and
//! general), applying its disclosures as §7.1 says (`disclose`), and checking its key binding
//! (`kb`).
//!
//! Parsing checks only the framing: which part is the issuer JWT, which are disclosures, which
//! is the KB-JWT. What a disclosure holds is judged when the disclosures are processed, after
//! the issuer's signature (a broken disclosure is `sd_invalid`, not `malformed`).

pub mod alg;
pub mod disclose;
pub mod inspect;
pub mod issue;
pub mod kb;
pub mod parse;

pub use alg::{KB_TYP, SdAlg, is_kb_typ, is_vc_typ};
pub use disclose::{Disclosed, Disclosure, Processed, SdError, process};
pub use inspect::{Inspected, inspect};
pub use kb::{KbPolicy, KbProblem};
pub use parse::{MAX_DISCLOSURES, SdJwt, Serialization, looks_like};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const RFC_5_2: &str = include_str!("../../tests/fixtures/sd-jwt/rfc9901-5.2-presentation.txt");
    const RFC_8_2: &str =
        include_str!("../../tests/fixtures/sd-jwt/rfc9901-8.2-flattened-presentation.json");
    const RFC_8_3: &str =
        include_str!("../../tests/fixtures/sd-jwt/rfc9901-8.3-general-presentation.json");

    #[test]
    fn splits_the_rfc_presentation() {
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        assert_eq!(sd.disclosure_count(), 4);
        assert!(sd.issuer_jwt().starts_with("eyJhbGciOiAiRVMyNTYi"));
        assert_eq!(sd.issuer_jwt().matches('.').count(), 2);
        assert!(sd.presented.ends_with("IlVTIl0~"));
        assert!(
            sd.kb_jwt
                .as_deref()
                .unwrap()
                .starts_with("eyJhbGciOiAiRVMyNTYiLCA")
        );
        // RFC 9901 §5.2: the KB-JWT's sd_hash is this digest of the presentation.
        assert_eq!(
            SdAlg::Sha256.digest(&sd.presented),
            "0_Af-2B-EhLWX5ydh_w2xzwmO6iM66B_2QCEanI4fUY"
        );
        assert_eq!(sd.compact(), RFC_5_2.trim());
    }

    #[test]
    fn reads_the_json_serializations() {
        let flat = SdJwt::parse(RFC_8_2.trim().as_bytes()).unwrap();
        assert_eq!(flat.serialization, Serialization::Flattened);
        assert_eq!(flat.disclosure_count(), 2);
        assert_eq!(
            SdAlg::Sha256.digest(&flat.presented),
            "VjtPsgZpQTRxKJvDpSJ-nXlZKE9Z9LgD4FyCwwoNMRw"
        );
        let general = SdJwt::parse(RFC_8_3.trim().as_bytes()).unwrap();
        assert_eq!(general.serialization, Serialization::General);
        assert_eq!(
            SdAlg::Sha256.digest(&general.presented),
            "qbyIWP3phVgxEsDRiwdw9W6BJ3dxiPLumcYpPbu4Eb8"
        );
        let misplaced = RFC_8_3.replacen(
            "\"kid\": \"issuer-key-2\"",
            "\"kid\": \"issuer-key-2\", \"kb_jwt\": \"a.b.c\"",
            1,
        );
        assert!(SdJwt::parse(misplaced.as_bytes()).is_err());
        // The layout of SD-JWT drafts (and of the Python reference 0.10): disclosures at the
        // top level are refused, not ignored.
        let draft = r#"{"payload":"e30","protected":"e30","signature":"","disclosures":["WyJzIiwiYSIsMV0"]}"#;
        let err = SdJwt::parse(draft.as_bytes()).unwrap_err();
        assert!(err.fault.contains("top level"), "{}", err.fault);
    }

    #[test]
    fn framing_faults_are_malformed() {
        let jwt = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
        let sd = SdJwt::parse(format!("{jwt}~").as_bytes()).unwrap();
        assert_eq!((sd.disclosure_count(), sd.kb_jwt), (0, None));
        let runs = SdJwt::parse(format!("{jwt}~~~~").as_bytes()).unwrap();
        assert_eq!(runs.disclosures().collect::<Vec<_>>(), ["", "", ""]);
        assert!(SdJwt::parse(format!("{jwt}~WyJhIl0").as_bytes()).is_err());
        assert!(SdJwt::parse(format!("{jwt}~a.b").as_bytes()).is_err());
        assert!(SdJwt::parse(format!("{jwt}~a=~").as_bytes()).is_err());
        assert!(SdJwt::parse(jwt.as_bytes()).is_err());
        let many = format!("{jwt}{}", "~".repeat(MAX_DISCLOSURES + 2));
        let err = SdJwt::parse(many.as_bytes()).unwrap_err();
        assert!(err.fault.contains("at most"), "{}", err.fault);
    }

    #[test]
    fn inspects_without_verifying() {
        let seen = inspect(RFC_5_2.trim().as_bytes()).unwrap();
        assert_eq!(seen.processed.disclosures.len(), 4);
        assert_eq!(seen.sizes.total, RFC_5_2.trim().len());
        let (kb_header, kb_claims) = seen.kb.unwrap();
        assert_eq!(kb_header["typ"], "kb+jwt");
        assert_eq!(kb_claims["nonce"], "1234567890");
        // A disclosure no digest references: the fault names it.
        let extra = RFC_5_2.trim().replacen(
            "~eyJhbGciOiAiRVMyNTYiLCA",
            "~WyJzIiwgIngiLCAxXQ~eyJhbGciOiAiRVMyNTYiLCA",
            1,
        );
        let err = inspect(extra.as_bytes()).unwrap_err();
        assert!(
            err.fault
                .contains(&SdAlg::Sha256.digest("WyJzIiwgIngiLCAxXQ")),
            "{}",
            err.fault
        );
    }

    proptest::proptest! {
        /// Any text after an issuer JWT — disclosures of any characters, `~` runs, a KB-JWT or
        /// not — is taken apart and processed without a panic, and what parses holds the
        /// presentation exactly.
        #[test]
        fn any_tail_is_handled(tail in "[A-Za-z0-9_~.=-]{0,200}") {
            let text = format!("{}{tail}", RFC_5_2.trim().split('~').next().unwrap_or_default());
            if let Ok(sd) = SdJwt::parse(text.as_bytes()) {
                proptest::prop_assert_eq!(sd.compact(), text.clone());
            }
            let _ = inspect(text.as_bytes());
        }
    }

    #[test]
    fn sd_alg_and_typ() {
        let claims = |v: Value| v.as_object().cloned().unwrap();
        assert_eq!(SdAlg::of(&claims(serde_json::json!({}))), Ok(SdAlg::Sha256));
        assert_eq!(
            SdAlg::of(&claims(serde_json::json!({"_sd_alg": "sha-512"}))),
            Ok(SdAlg::Sha512)
        );
        assert!(SdAlg::of(&claims(serde_json::json!({"_sd_alg": "md5"}))).is_err());
        assert!(SdAlg::of(&claims(serde_json::json!({"_sd_alg": 1}))).is_err());
        assert!(is_vc_typ("application/DC+SD-JWT") && is_vc_typ("vc+sd-jwt"));
        assert!(is_kb_typ("kb+jwt") && !is_kb_typ("jwt"));
        assert!(looks_like(b"a.b.c~") && !looks_like(b"a.b.c"));
    }
}
