//! DPoP proofs at the token endpoint (RFC 9449 §5), checked as a server must (§4.3): one
//! `DPoP` header, `typ`, an asymmetric `alg`, the signature with the header's public `jwk`,
//! `htm` POST, `htu` the token endpoint, `iat` within 5 minutes and 60 s of leeway, and a
//! `jti` not seen within that window — remembered only after the proof verified and the
//! request passed its other checks, so garbage never takes a place in memory. No
//! `DPoP-Nonce` is asked for.

use std::sync::Mutex;

use crate::alg::{Algorithm, Family};
use crate::dpop::{Clock, Expect, Htu, Problem, Sound};
use crate::serve::store::{NotFirst, Seen, Store};

/// How old a proof may be, seconds (the leeway comes on top).
pub const MAX_AGE: i64 = 300;

/// The clock skew allowed on `iat`.
pub const LEEWAY: i64 = 60;

/// The algorithms a proof may be signed with: every asymmetric one jwtk verifies.
pub fn algorithms() -> Vec<Algorithm> {
    Algorithm::ALL
        .into_iter()
        .filter(|a| a.family() != Family::Hmac)
        .collect()
}

/// The proof of a request to `htu` by `htm`, when its `DPoP` headers (`headers`) hold one;
/// else why it is refused (`invalid_dpop_proof`, in fixed words). Its `jti` is not remembered
/// yet: [`remember`] does that once the request has passed the checks that come before.
pub fn check(headers: &[&[u8]], htm: &str, htu: &Htu, now: i64) -> Result<Option<Sound>, String> {
    let proof = match headers {
        [] => return Ok(None),
        [one] => std::str::from_utf8(one).map_err(|_| "the DPoP header is not text".to_string())?,
        _ => return Err("more than one DPoP header (RFC 9449 section 4.3)".into()),
    };
    let expect = Expect {
        proof: proof.to_string(),
        htm: htm.to_string(),
        htu: htu.clone(),
        algs: algorithms(),
        max_age: MAX_AGE,
        nonce: None,
    };
    let clock = Clock {
        now,
        leeway: LEEWAY,
    };
    expect.check_alone(clock).map(Some).map_err(|problems| {
        problems
            .first()
            .map_or("the proof is refused".into(), describe)
    })
}

/// Remember the `jti` of a proof that [`check`] found sound, in the memory of `kind`: refused
/// when seen before (the error [`REPLAYED`]), or when that memory is full of live `jti`s.
pub fn remember(sound: &Sound, kind: Seen, now: i64, store: &Mutex<Store>) -> Result<(), NotFirst> {
    // `check` accepts iat down to now - MAX_AGE - LEEWAY: at any instant past `until` the
    // proof is too old, so its jti no longer needs remembering. The proof alone sets it (not
    // `now`), so every use of one proof names the same instant to the store.
    let until = sound.iat.saturating_add(MAX_AGE + LEEWAY);
    let key = format!("{}\n{}", sound.jkt, sound.jti);
    let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
    store.first_use(kind, &key, until, now)
}

/// Why a replayed proof is refused (`invalid_dpop_proof`).
pub const REPLAYED: &str = "the proof's jti was used before (RFC 9449 section 11.1)";

/// Why a proof is refused when its window closed before its `jti` reached the memory (see
/// `NotFirst::Late`): by then it is too old, as [`describe`] says of one whose `iat` is.
pub const LATE: &str = "the proof is too old: its iat is more than 5 minutes ago";

/// Why a sound proof is refused when its `jti` cannot be remembered now.
pub const BUSY: &str =
    "too many live DPoP proofs to remember another's jti: try again after Retry-After seconds";

/// A problem in fixed words (RFC 6749 §5.2's characters; nothing the proof said).
pub fn describe(problem: &Problem) -> String {
    match problem {
        Problem::NotJwt(_) => "the proof is not a JWT".into(),
        Problem::Typ(_) => "the proof's typ is not dpop+jwt".into(),
        Problem::Extension(_) | Problem::Crit => {
            "the proof's header has a member a DPoP proof never carries".into()
        }
        Problem::AlgType(_) | Problem::AlgSymmetric(_) | Problem::AlgNotAllowed { .. } => {
            "the proof's alg is not an allowed asymmetric algorithm".into()
        }
        Problem::NoJwk | Problem::Jwk(_) | Problem::JwkUnfit(_) => {
            "the proof's jwk is not a public key for its alg".into()
        }
        Problem::BadSignature(_) => "the proof's signature does not verify with its jwk".into(),
        Problem::Claims(_) => "the proof's payload is not a claims set".into(),
        Problem::Claim { name, .. } => format!("the proof's {name} is missing or of a wrong type"),
        Problem::IatFuture { .. } => "the proof's iat is in the future".into(),
        Problem::IatOld { .. } => "the proof is too old: its iat is more than 5 minutes ago".into(),
        Problem::Request { name, .. } => format!("the proof's {name} is not this request's"),
        Problem::AthMissing | Problem::AthWrong => {
            "the proof's ath is not the hash of this access token".into()
        }
        Problem::JktMissing(_) | Problem::JktWrong { .. } => {
            "the proof's key is not the one the token is bound to".into()
        }
    }
}
