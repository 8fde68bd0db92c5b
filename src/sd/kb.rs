//! Key binding (RFC 9901 §4.3, §7.3): the KB-JWT at the end of a presentation, checked as a
//! verifier must — `typ: kb+jwt`, an asymmetric algorithm, a signature by the key in the
//! issuer JWT's `cnf.jwk`, `iat` within a window, `nonce` and `aud` as expected, and `sd_hash`
//! the digest of the presentation it came with. Every problem is typed and says which reason
//! code it is (`kb_invalid` or `kb_mismatch`).

use serde_json::{Map, Value};

use crate::alg::{Algorithm, Family};
use crate::error::{KeyProblem, MemberFault};
use crate::json::kind_of;
use crate::keys::format;
use crate::keys::key::Key;
use crate::reason::Reason;
use crate::sd::alg::{SdAlg, is_kb_typ};
use crate::text::cut;
use crate::time::{self, NumericDate, Seconds};
use crate::token::compact::Jws;

/// What the verifier expects of a KB-JWT (`verify --kb-…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbPolicy {
    /// A presentation without a KB-JWT fails (`--require-kb`).
    pub required: bool,
    /// How old `iat` may be, in seconds (the leeway comes on top).
    pub max_age: i64,
    /// The nonce the verifier gave (`--kb-nonce`).
    pub nonce: Option<String>,
    /// The verifier's own identifier (`--kb-aud`).
    pub aud: Option<String>,
}

/// The default window for `iat`: 5 minutes.
pub const DEFAULT_MAX_AGE: i64 = 300;

impl Default for KbPolicy {
    fn default() -> Self {
        KbPolicy {
            required: false,
            max_age: DEFAULT_MAX_AGE,
            nonce: None,
            aud: None,
        }
    }
}

/// The instant and skew a KB-JWT is judged with: the credential's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Now, in epoch seconds.
    pub now: i64,
    /// Allowed clock skew, in seconds.
    pub leeway: i64,
}

/// One failed check of a KB-JWT.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KbProblem {
    /// Key binding is required and the presentation has no KB-JWT.
    #[error("no KB-JWT: the presentation ends with '~', and key binding is required")]
    Missing,
    /// The KB-JWT cannot be read as a JWS.
    #[error("the KB-JWT is not a JWT: {0}")]
    NotJwt(String),
    /// The header `typ` is not `kb+jwt`.
    #[error("the KB-JWT's typ is {0}, not \"kb+jwt\"")]
    Typ(String),
    /// `crit` in the header.
    #[error("the KB-JWT's header has crit: jwtk understands no JWS extensions")]
    Crit,
    /// `alg` absent or not a string.
    #[error("the KB-JWT's alg is {0}, not a string")]
    AlgType(&'static str),
    /// `none`, an HMAC algorithm or an unknown one.
    #[error("the KB-JWT's alg {0:?} is not an asymmetric signature algorithm jwtk knows")]
    Alg(String),
    /// The issuer JWT names no key to check the signature with.
    #[error("the issuer JWT {0}, so no holder key can check the KB-JWT")]
    NoCnfJwk(String),
    /// `cnf.jwk` is not a usable public key.
    #[error("the issuer JWT's cnf.jwk {0}")]
    Jwk(KeyProblem),
    /// `cnf.jwk` is a key, but not one for the KB-JWT's algorithm.
    #[error("the holder key (cnf.jwk) cannot verify the KB-JWT: {0}")]
    JwkUnfit(String),
    /// The signature does not verify with `cnf.jwk`.
    #[error("the KB-JWT's {0} signature does not verify with the holder key (cnf.jwk)")]
    BadSignature(Algorithm),
    /// The payload is not a claims set.
    #[error("the KB-JWT's {0}")]
    Claims(String),
    /// A required claim absent or of the wrong type.
    #[error("the KB-JWT's {name} is {found}")]
    Claim {
        /// The claim.
        name: &'static str,
        /// "absent", "a number, not a string", …
        found: String,
    },
    /// `iat` ahead of now by more than the leeway.
    #[error("the KB-JWT was issued {} ({}), beyond the leeway", time::relative(*.iat, *.now), time::format_utc(*.iat))]
    IatFuture {
        /// Its iat.
        iat: Seconds,
        /// The instant judged at.
        now: i64,
    },
    /// `iat` older than the maximum age plus the leeway.
    #[error("the KB-JWT was issued {} ({}), more than {max_age}s ago (--kb-max-age)", time::relative(*.iat, *.now), time::format_utc(*.iat))]
    IatOld {
        /// Its iat.
        iat: Seconds,
        /// The instant judged at.
        now: i64,
        /// The maximum age, in seconds.
        max_age: i64,
    },
    /// `sd_hash` is not the digest of this presentation.
    #[error(
        "the KB-JWT's sd_hash is not the {alg} digest of this presentation: it was made for other disclosures or another credential"
    )]
    SdHash {
        /// The `_sd_alg` name.
        alg: &'static str,
    },
    /// `nonce` or `aud` is not what the verifier expects.
    #[error("the KB-JWT's {name} is {found:?}, expected {expected:?}")]
    Unexpected {
        /// The claim.
        name: &'static str,
        /// What it says, cut.
        found: String,
        /// What was expected.
        expected: String,
    },
}

impl KbProblem {
    /// `kb_mismatch` for a sound KB-JWT that does not belong (`sd_hash`, `nonce`, `aud`),
    /// `kb_invalid` for anything else.
    pub fn reason(&self) -> Reason {
        match self {
            KbProblem::SdHash { .. } | KbProblem::Unexpected { .. } => Reason::KbMismatch,
            _ => Reason::KbInvalid,
        }
    }
}

/// Every failed check of `kb_jwt` against the issuer's (processed) `claims`, the presentation
/// it came with (`presented`, up to and including the last `~`) and the hash function of
/// `_sd_alg`. A KB-JWT whose signature does not verify is not examined further.
pub fn check(
    kb_jwt: &str,
    claims: &Map<String, Value>,
    presented: &str,
    alg: SdAlg,
    expect: &KbPolicy,
    clock: Clock,
) -> Vec<KbProblem> {
    let jws = match Jws::parse(kb_jwt.as_bytes()) {
        Ok(jws) => jws,
        Err(err) => {
            return vec![KbProblem::NotJwt(format!(
                "{}: {}",
                err.part.name(),
                err.fault
            ))];
        }
    };
    let mut problems = Vec::new();
    if !verified(&jws, claims, &mut problems) {
        return problems;
    }
    let kb_claims = match jws.claims() {
        Ok(kb_claims) => kb_claims,
        Err(err) => {
            problems.push(KbProblem::Claims(err.fault));
            return problems;
        }
    };
    problems.extend(check_claims(&kb_claims, presented, alg, expect, clock));
    problems
}

/// The header rules and the signature by `cnf.jwk`: whether it verified (problems otherwise).
fn verified(jws: &Jws, claims: &Map<String, Value>, problems: &mut Vec<KbProblem>) -> bool {
    let header = &jws.header;
    match header.get("typ") {
        Some(Value::String(typ)) if is_kb_typ(typ) => {}
        other => problems.push(KbProblem::Typ(
            other.map_or("absent".to_string(), |t| cut(&t.to_string())),
        )),
    }
    if header.contains_key("crit") {
        problems.push(KbProblem::Crit);
    }
    let alg = match header.get("alg") {
        Some(Value::String(name)) => match name.parse::<Algorithm>() {
            Ok(alg) if alg.family() != Family::Hmac => Some(alg),
            _ => {
                problems.push(KbProblem::Alg(cut(name)));
                None
            }
        },
        Some(other) => {
            problems.push(KbProblem::AlgType(kind_of(other)));
            None
        }
        None => {
            problems.push(KbProblem::AlgType("absent"));
            None
        }
    };
    let key = match holder_key(claims) {
        Ok(key) => key,
        Err(problem) => {
            problems.push(problem);
            return false;
        }
    };
    let Some(alg) = alg else {
        return false;
    };
    let verifier = match key.verifier(alg) {
        Ok(verifier) => verifier,
        Err(err) => {
            problems.push(KbProblem::JwkUnfit(err.to_string()));
            return false;
        }
    };
    let signing_input = jws.segments.signing_input(jws.compact).as_bytes();
    if !verifier.verify(signing_input, &jws.signature) {
        problems.push(KbProblem::BadSignature(alg));
        return false;
    }
    problems.is_empty()
}

/// The holder's key: the issuer JWT's `cnf.jwk`, public members only.
pub fn holder_key(claims: &Map<String, Value>) -> Result<Key, KbProblem> {
    let cnf = match claims.get("cnf") {
        None => return Err(KbProblem::NoCnfJwk("has no cnf claim".into())),
        Some(Value::Object(cnf)) => cnf,
        Some(other) => {
            return Err(KbProblem::NoCnfJwk(format!(
                "has a cnf that is {}, not an object",
                kind_of(other)
            )));
        }
    };
    match cnf.get("jwk") {
        Some(Value::Object(jwk)) => {
            format::public_jwk_key(jwk, "the holder key (cnf.jwk)").map_err(KbProblem::Jwk)
        }
        Some(other) => Err(KbProblem::Jwk(KeyProblem::Member {
            member: format!("jwk ({})", kind_of(other)),
            fault: MemberFault::WrongType,
        })),
        None => Err(KbProblem::NoCnfJwk(
            "has a cnf without jwk (only cnf.jwk is understood)".into(),
        )),
    }
}

/// `iat` and its window, `nonce`, `aud`, `sd_hash`.
fn check_claims(
    kb: &Map<String, Value>,
    presented: &str,
    alg: SdAlg,
    expect: &KbPolicy,
    clock: Clock,
) -> Vec<KbProblem> {
    let mut problems = Vec::new();
    match kb.get("iat").map(NumericDate::read) {
        Some(NumericDate::At(iat)) => problems.extend(check_iat(iat, expect.max_age, clock)),
        Some(NumericDate::NotANumber(kind)) => problems.push(KbProblem::Claim {
            name: "iat",
            found: format!("{kind}, not a NumericDate"),
        }),
        None => problems.push(KbProblem::Claim {
            name: "iat",
            found: "absent".into(),
        }),
    }
    // RFC 9901 §4.3: nonce a string, aud a single string, sd_hash a string, all required.
    let expected = [
        ("nonce", expect.nonce.as_deref()),
        ("aud", expect.aud.as_deref()),
    ];
    for (name, wanted) in expected {
        match (kb.get(name), wanted) {
            (Some(Value::String(found)), Some(wanted)) if found != wanted => {
                problems.push(KbProblem::Unexpected {
                    name,
                    found: cut(found),
                    expected: wanted.to_string(),
                });
            }
            (Some(Value::String(_)), _) => {}
            (found, _) => problems.push(KbProblem::Claim {
                name,
                found: found.map_or("absent".into(), |v| {
                    format!("{}, not a single string", kind_of(v))
                }),
            }),
        }
    }
    match kb.get("sd_hash") {
        Some(Value::String(hash)) if *hash == alg.digest(presented) => {}
        Some(Value::String(_)) => problems.push(KbProblem::SdHash { alg: alg.name() }),
        found => problems.push(KbProblem::Claim {
            name: "sd_hash",
            found: found.map_or("absent".into(), |v| format!("{}, not a string", kind_of(v))),
        }),
    }
    problems
}

fn check_iat(iat: Seconds, max_age: i64, clock: Clock) -> Option<KbProblem> {
    let (now, leeway) = (clock.now as Seconds, clock.leeway as Seconds);
    if iat > now + leeway {
        return Some(KbProblem::IatFuture {
            iat,
            now: clock.now,
        });
    }
    (iat < now - max_age as Seconds - leeway).then_some(KbProblem::IatOld {
        iat,
        now: clock.now,
        max_age,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sd::disclose::process;
    use crate::sd::parse::SdJwt;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    const RFC_5_2: &str = include_str!("../../tests/fixtures/sd-jwt/rfc9901-5.2-presentation.txt");
    const RFC_8_3: &str =
        include_str!("../../tests/fixtures/sd-jwt/rfc9901-8.3-general-presentation.json");
    /// The KB-JWT of RFC 9901 §5.2 says `iat: 1748537244`.
    const IAT: i64 = 1748537244;

    fn expect() -> KbPolicy {
        KbPolicy {
            nonce: Some("1234567890".into()),
            aud: Some("https://verifier.example.org".into()),
            ..KbPolicy::default()
        }
    }

    const CLOCK: Clock = Clock {
        now: IAT + 10,
        leeway: 60,
    };

    fn claims(sd: &SdJwt) -> Map<String, Value> {
        let payload = sd.issuer_jwt().split('.').nth(1).unwrap();
        let signed = crate::json::parse_object(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        let list: Vec<&str> = sd.disclosures().collect();
        process(&signed, &list, SdAlg::Sha256).unwrap().claims
    }

    fn problems(text: &str, expect: &KbPolicy) -> Vec<KbProblem> {
        problems_at(text, expect, CLOCK)
    }

    fn problems_at(text: &str, expect: &KbPolicy, clock: Clock) -> Vec<KbProblem> {
        let sd = SdJwt::parse(text.trim().as_bytes()).unwrap();
        check(
            sd.kb_jwt.as_deref().unwrap(),
            &claims(&sd),
            &sd.presented,
            SdAlg::Sha256,
            expect,
            clock,
        )
    }

    #[test]
    fn the_rfc_key_binding_verifies() {
        assert_eq!(problems(RFC_5_2, &expect()), []);
        assert_eq!(problems(RFC_8_3, &expect()), []);
        let loose = KbPolicy {
            nonce: None,
            aud: None,
            ..expect()
        };
        assert_eq!(problems(RFC_5_2, &loose), []);
    }

    #[test]
    fn nonce_aud_and_sd_hash_are_mismatches() {
        let other = KbPolicy {
            nonce: Some("other".into()),
            aud: Some("https://else.example".into()),
            ..expect()
        };
        let found = problems(RFC_5_2, &other);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|p| p.reason() == Reason::KbMismatch));
        // Dropping a disclosure changes what sd_hash covers.
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        let first = sd.disclosures().next().unwrap().to_string();
        let fewer = sd.compact().replacen(&format!("{first}~"), "", 1);
        let found = problems(&fewer, &expect());
        assert!(
            matches!(found.as_slice(), [KbProblem::SdHash { .. }]),
            "{found:?}"
        );
        assert_eq!(found[0].reason(), Reason::KbMismatch);
    }

    #[test]
    fn the_window_and_the_key_are_invalid() {
        let late = Clock {
            now: IAT + 400,
            ..CLOCK
        };
        let found = problems_at(RFC_5_2, &expect(), late);
        assert!(
            matches!(found.as_slice(), [KbProblem::IatOld { .. }]),
            "{found:?}"
        );
        assert_eq!(found[0].reason(), Reason::KbInvalid);
        let early = Clock {
            now: IAT - 100,
            ..CLOCK
        };
        assert!(matches!(
            problems_at(RFC_5_2, &expect(), early).as_slice(),
            [KbProblem::IatFuture { .. }]
        ));
        // A credential without cnf: no key to check with.
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        let mut without = claims(&sd);
        without.remove("cnf");
        let found = check(
            sd.kb_jwt.as_deref().unwrap(),
            &without,
            &sd.presented,
            SdAlg::Sha256,
            &expect(),
            CLOCK,
        );
        assert!(
            matches!(found.as_slice(), [KbProblem::NoCnfJwk(_)]),
            "{found:?}"
        );
        // Another holder key: the signature does not verify.
        let mut other = claims(&sd);
        other["cnf"]["jwk"]["x"] =
            Value::String("b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ".into());
        other["cnf"]["jwk"]["y"] =
            Value::String("Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8".into());
        let found = check(
            sd.kb_jwt.as_deref().unwrap(),
            &other,
            &sd.presented,
            SdAlg::Sha256,
            &expect(),
            CLOCK,
        );
        assert!(
            matches!(
                found.as_slice(),
                [KbProblem::BadSignature(Algorithm::ES256)]
            ),
            "{found:?}"
        );
        // Not a JWT at all.
        let found = check(
            "a.b.c",
            &claims(&sd),
            &sd.presented,
            SdAlg::Sha256,
            &expect(),
            CLOCK,
        );
        assert!(
            matches!(found.as_slice(), [KbProblem::NotJwt(_)]),
            "{found:?}"
        );
    }

    /// A KB-JWT for the RFC's presentation signed by the RFC's holder key, with `header` and
    /// `claims` as given.
    fn signed(header: Value, claims: Value) -> Vec<KbProblem> {
        let jwk = include_bytes!("../../tests/fixtures/sd-jwt/holder-private.jwk");
        let key = format::load(jwk, "holder", None, 0).unwrap().keys.remove(0);
        let signer = key.signer(Algorithm::ES256).unwrap();
        let kb = crate::mint::sign(
            header.as_object().unwrap(),
            claims.as_object().unwrap(),
            &signer,
        )
        .unwrap();
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        check(
            &kb,
            &claims_of_rfc(),
            &sd.presented,
            SdAlg::Sha256,
            &expect(),
            CLOCK,
        )
    }

    fn claims_of_rfc() -> Map<String, Value> {
        claims(&SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap())
    }

    #[test]
    fn header_and_claim_types_are_invalid() {
        let good = serde_json::json!({
            "nonce": "1234567890", "aud": "https://verifier.example.org", "iat": IAT,
            "sd_hash": "0_Af-2B-EhLWX5ydh_w2xzwmO6iM66B_2QCEanI4fUY"
        });
        let header = serde_json::json!({"alg": "ES256", "typ": "kb+jwt"});
        assert_eq!(signed(header.clone(), good.clone()), []);
        let typ = signed(
            serde_json::json!({"alg": "ES256", "typ": "JWT"}),
            good.clone(),
        );
        assert!(matches!(typ.as_slice(), [KbProblem::Typ(_)]), "{typ:?}");
        let crit = signed(
            serde_json::json!({"alg": "ES256", "typ": "kb+jwt", "crit": ["x"]}),
            good.clone(),
        );
        assert!(matches!(crit.as_slice(), [KbProblem::Crit]), "{crit:?}");
        for (name, bad) in [
            ("aud", serde_json::json!(["https://verifier.example.org"])),
            ("nonce", serde_json::json!(1234567890)),
            ("sd_hash", Value::Null),
            ("iat", serde_json::json!("1748537244")),
        ] {
            let mut claims = good.clone();
            claims[name] = bad;
            let found = signed(header.clone(), claims);
            assert!(
                matches!(found.as_slice(), [KbProblem::Claim { name: n, .. }] if *n == name),
                "{name}: {found:?}"
            );
            assert_eq!(found[0].reason(), Reason::KbInvalid);
        }
        for name in ["aud", "nonce", "sd_hash", "iat"] {
            let mut claims = good.clone();
            claims.as_object_mut().unwrap().remove(name);
            let found = signed(header.clone(), claims);
            assert_eq!(found.len(), 1, "{name}: {found:?}");
            assert_eq!(found[0].reason(), Reason::KbInvalid);
        }
        // An HMAC alg, and none, never verify a KB-JWT.
        let sd = SdJwt::parse(RFC_5_2.trim().as_bytes()).unwrap();
        for alg in ["HS256", "none"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","typ":"kb+jwt"}}"#));
            let kb = format!("{header}.{}.", URL_SAFE_NO_PAD.encode(good.to_string()));
            let found = check(
                &kb,
                &claims_of_rfc(),
                &sd.presented,
                SdAlg::Sha256,
                &expect(),
                CLOCK,
            );
            assert!(matches!(found.as_slice(), [KbProblem::Alg(_)]), "{found:?}");
        }
    }
}
