//! Why a token was rejected: the reason codes, in the contract's order of precedence, and one
//! failed check. The bottom of verification: errors and every checker name reasons from here.

/// Why a token was rejected, in the contract's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// Not a well-formed JWT.
    Malformed,
    /// Uses something jwtk refuses to interpret (`crit`, `b64: false`, `zip`, nested JWT, an
    /// unknown algorithm).
    Unsupported,
    /// A JWE that does not decrypt with the keys given, whatever the cause (one reason, one
    /// message: no oracle).
    DecryptionFailed,
    /// A JWE whose compressed plaintext inflates past the cap.
    TooLarge,
    /// The algorithm is not one the keys (or `--alg`) allow; `none` never is.
    AlgNotAllowed,
    /// The token's `kid` names no key given.
    NoMatchingKey,
    /// No key verifies the signature.
    BadSignature,
    /// An SD-JWT disclosure breaks RFC 9901 §7.1.
    SdInvalid,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `nbf` is still ahead (beyond the leeway).
    NotYetValid,
    /// A required claim is absent.
    MissingClaim,
    /// `iss` is not one of those expected.
    WrongIssuer,
    /// `aud` names none of the audiences expected.
    WrongAudience,
    /// `sub` is not the one expected.
    WrongSubject,
    /// The header `typ` is not the one expected.
    WrongType,
    /// A rule of the profile asked for (`--profile`) is broken, other than a missing claim or
    /// a wrong `typ`.
    ProfileViolation,
    /// The SD-JWT's KB-JWT is missing where required, or broken (`typ`, `alg`, signature, no
    /// `cnf.jwk`, `iat`).
    KbInvalid,
    /// A sound KB-JWT that belongs to another presentation or verifier (`sd_hash`, `nonce`,
    /// `aud`).
    KbMismatch,
    /// The DPoP proof itself is broken (`--dpop`).
    DpopInvalid,
    /// A sound DPoP proof that belongs to another request or token (`--dpop`).
    DpopMismatch,
}

impl Reason {
    /// The code as it appears in JSON and messages.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Malformed => "malformed",
            Reason::Unsupported => "unsupported",
            Reason::DecryptionFailed => "decryption_failed",
            Reason::TooLarge => "too_large",
            Reason::AlgNotAllowed => "alg_not_allowed",
            Reason::NoMatchingKey => "no_matching_key",
            Reason::BadSignature => "bad_signature",
            Reason::SdInvalid => "sd_invalid",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not_yet_valid",
            Reason::MissingClaim => "missing_claim",
            Reason::WrongIssuer => "wrong_issuer",
            Reason::WrongAudience => "wrong_audience",
            Reason::WrongSubject => "wrong_subject",
            Reason::WrongType => "wrong_type",
            Reason::ProfileViolation => "profile_violation",
            Reason::KbInvalid => "kb_invalid",
            Reason::KbMismatch => "kb_mismatch",
            Reason::DpopInvalid => "dpop_invalid",
            Reason::DpopMismatch => "dpop_mismatch",
        }
    }
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Its code.
    pub reason: Reason,
    /// What exactly failed, for people.
    pub message: String,
}
