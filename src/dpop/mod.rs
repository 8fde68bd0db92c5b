//! DPoP (RFC 9449): proofs that the sender of an HTTP request holds a key. Building one for a
//! request, and checking one against a request and its access token as a resource server must
//! (§4.3, §7.1). Every problem is typed and says which reason code it is.

mod htu;

use crate::json::Lite;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

pub use htu::{Htu, HtuError};

use crate::alg::{Algorithm, Family};
use crate::error::{Error, KeyProblem, KeyUse, Result, Usage};
use crate::json::kind_of;
use crate::keys::format;
use crate::keys::key::Key;
use crate::mint;
use crate::reason::Reason;
use crate::text::cut;
use crate::time::{self, NumericDate, Seconds};
use crate::token::compact as token;
use crate::token::compact::Jws;

/// The header `typ` of a DPoP proof.
pub const TYP: &str = "dpop+jwt";

/// The proof algorithms `verify --dpop` accepts unless `--dpop-alg` says otherwise.
pub const DEFAULT_ALGS: [Algorithm; 4] = [
    Algorithm::ES256,
    Algorithm::EdDSA,
    Algorithm::RS256,
    Algorithm::PS256,
];

/// Whether a header says the token is a DPoP proof (`typ` `dpop+jwt`, any case, with or
/// without `application/`, as RFC 7515 §4.1.9 allows).
pub fn is_proof(header: &Map<String, Value>) -> bool {
    crate::typ::header_is(header, TYP)
}

/// `ath`: the base64url SHA-256 of the access token's ASCII value (RFC 9449 §4.2).
pub fn token_hash(access_token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// Why an HTTP method is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MethodError {
    /// Not an RFC 9110 token.
    #[error("an HTTP method is a token of letters, digits and !#$%&'*+-.^_`|~")]
    NotToken,
    /// A standard method in the wrong case: methods are case-sensitive (RFC 9110 §9.1).
    #[error("HTTP methods are case-sensitive: did you mean {0}?")]
    Case(&'static str),
}

/// An HTTP method as `htm` carries it: an RFC 9110 token, exactly as given. A standard method
/// in lower case is refused rather than changed, since the server compares exactly.
pub fn parse_method(text: &str) -> std::result::Result<String, MethodError> {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ];
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if text.is_empty() || !text.bytes().all(tchar) {
        return Err(MethodError::NotToken);
    }
    match STANDARD.iter().find(|m| m.eq_ignore_ascii_case(text)) {
        Some(standard) if *standard != text => Err(MethodError::Case(standard)),
        _ => Ok(text.to_string()),
    }
}

/// What a new proof says about its request.
#[derive(Debug, Clone)]
pub struct ProofSpec {
    /// `htm`: the request's method.
    pub htm: String,
    /// `htu`: the request's URI (without query and fragment).
    pub htu: Htu,
    /// The access token the request carries, hashed into `ath`.
    pub access_token: Option<String>,
    /// `nonce`: the server's `DPoP-Nonce`.
    pub nonce: Option<String>,
    /// `iat`, in epoch seconds.
    pub iat: i64,
}

/// Sign a proof for `spec` with `key`: header `typ`, `alg` and the public `jwk`; claims `jti`
/// (128 random bits), `htm`, `htu`, `iat`, then `ath` and `nonce` when given. An HMAC secret
/// or algorithm is a key error: a proof shows a public key.
pub fn build(key: &Key, alg: Algorithm, spec: &ProofSpec) -> Result<String> {
    let jwk = key
        .public_jwk()
        .filter(|_| alg.family() != Family::Hmac)
        .ok_or_else(|| KeyUse::ProofNeedsAsymmetric {
            origin: key.origin.clone(),
            holds: key.describe(),
            alg,
        })?;
    let signer = key.signer(alg)?;
    let mut header = Map::new();
    header.insert("typ".into(), TYP.into());
    header.insert("alg".into(), alg.name().into());
    header.insert("jwk".into(), Value::Object(jwk));
    let mut claims = Map::new();
    claims.insert("jti".into(), mint::random_id().into());
    claims.insert("htm".into(), spec.htm.clone().into());
    claims.insert("htu".into(), spec.htu.as_str().into());
    claims.insert("iat".into(), spec.iat.into());
    if let Some(access_token) = &spec.access_token {
        claims.insert("ath".into(), token_hash(access_token).into());
    }
    if let Some(nonce) = &spec.nonce {
        claims.insert("nonce".into(), nonce.clone().into());
    }
    mint::sign(&header, &claims, &signer)
}

/// One failed check of a proof.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The proof cannot be read as a JWS.
    #[error("the proof is not a JWT: {0}")]
    NotJwt(String),
    /// The header `typ` is not `dpop+jwt`.
    #[error("the proof's typ is {0}, not \"dpop+jwt\"")]
    Typ(String),
    /// A header parameter a proof never carries (`b64: false`, `cty`, `zip`).
    #[error("the proof's header has {0}, which a DPoP proof never carries")]
    Extension(&'static str),
    /// `crit` in the proof's header.
    #[error("the proof's header has crit: jwtk understands no JWS extensions")]
    Crit,
    /// `alg` absent or not a string.
    #[error("the proof's alg is {0}, not a string")]
    AlgType(&'static str),
    /// `none` or an HMAC algorithm.
    #[error("the proof's alg {0:?} is not an asymmetric signature algorithm")]
    AlgSymmetric(String),
    /// An algorithm outside the allowlist (or unknown).
    #[error("the proof's alg {alg:?} is not allowed (allowed: {allowed})")]
    AlgNotAllowed {
        /// The header's alg, cut short.
        alg: String,
        /// The allowlist, comma-separated.
        allowed: String,
    },
    /// No `jwk` in the header.
    #[error("the proof's header has no jwk")]
    NoJwk,
    /// The `jwk` is not a usable public key (or holds a private one).
    #[error("the proof's jwk {0}")]
    Jwk(KeyProblem),
    /// The `jwk` is a key, but not one for the proof's algorithm.
    #[error("the proof's jwk cannot verify it: {0}")]
    JwkUnfit(String),
    /// The signature does not verify with the header's key.
    #[error("the proof's {0} signature does not verify with its jwk")]
    BadSignature(Algorithm),
    /// The payload is not a claims set.
    #[error("the proof's {0}")]
    Claims(String),
    /// A required claim absent or of the wrong type.
    #[error("the proof's {name} is {found}")]
    Claim {
        /// The claim.
        name: &'static str,
        /// "absent", "a number, not a string", …
        found: String,
    },
    /// `iat` ahead of now by more than the leeway.
    #[error("the proof was issued {} ({}), beyond the leeway", time::relative(*.iat, *.now), time::format_utc(*.iat))]
    IatFuture {
        /// The proof's iat.
        iat: Seconds,
        /// The instant judged at.
        now: i64,
    },
    /// `iat` older than the maximum age plus the leeway.
    #[error("the proof was issued {} ({}), more than {max_age}s ago (--dpop-max-age)", time::relative(*.iat, *.now), time::format_utc(*.iat))]
    IatOld {
        /// The proof's iat.
        iat: Seconds,
        /// The instant judged at.
        now: i64,
        /// The maximum age, in seconds.
        max_age: i64,
    },
    /// `htm`, `htu` or `nonce` is not the request's.
    #[error("the proof's {name} is {found}, expected {expected:?}")]
    Request {
        /// The claim.
        name: &'static str,
        /// What the proof says (quoted and cut, or "absent").
        found: String,
        /// What the request is.
        expected: String,
    },
    /// `ath` absent.
    #[error("the proof has no ath (the hash of the access token it goes with)")]
    AthMissing,
    /// `ath` not the hash of this token.
    #[error("the proof's ath is not the hash of this token: it was made for another token")]
    AthWrong,
    /// The token is not bound to a key by `cnf.jkt`.
    #[error("the token {0}, so it is bound to no DPoP key")]
    JktMissing(String),
    /// The token is bound to another key.
    #[error("the token's cnf.jkt {token:?} is not the thumbprint of the proof's key ({proof})")]
    JktWrong {
        /// The token's cnf.jkt, cut.
        token: String,
        /// The proof key's RFC 7638 thumbprint.
        proof: String,
    },
}

impl Problem {
    /// `dpop_invalid` when the proof itself is broken, `dpop_mismatch` when a sound proof does
    /// not belong to this request or token.
    pub fn reason(&self) -> Reason {
        match self {
            Problem::Request { .. }
            | Problem::AthMissing
            | Problem::AthWrong
            | Problem::JktMissing(_)
            | Problem::JktWrong { .. } => Reason::DpopMismatch,
            _ => Reason::DpopInvalid,
        }
    }
}

/// What the request and local policy expect of a proof (`verify --dpop`).
#[derive(Debug, Clone)]
pub struct Expect {
    /// The proof, as given (a `DPoP:` header name before it is fine).
    pub proof: String,
    /// The request's method.
    pub htm: String,
    /// The request's URI.
    pub htu: Htu,
    /// The algorithms a proof may use.
    pub algs: Vec<Algorithm>,
    /// How old a proof may be, in seconds (the leeway comes on top).
    pub max_age: i64,
    /// The nonce the server gave, which the proof must carry.
    pub nonce: Option<String>,
}

/// A proof whose signature verified: its key and its claims.
type Signed = (Key, Map<String, Value>);

/// A proof that passed every check of [`Expect::check_alone`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sound {
    /// The RFC 7638 thumbprint of the proof's key: what `cnf.jkt` binds a token to.
    pub jkt: String,
    /// Its `jti`.
    pub jti: String,
    /// Its `iat`, in epoch seconds.
    pub iat: i64,
}

/// The instant and skew a proof is judged with: the token's own.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Now, in epoch seconds.
    pub now: i64,
    /// Allowed skew, in seconds.
    pub leeway: i64,
}

impl Expect {
    /// Every failed check of the proof against this request, the access token (`token`, its
    /// compact form) and the token's claims. A proof whose signature is not verified is not
    /// examined further, as for tokens.
    pub fn check(&self, token: &str, claims: &Map<String, Value>, clock: Clock) -> Vec<Problem> {
        let (mut problems, signed) = self.examine(clock);
        if let Some((key, proof_claims)) = signed {
            problems.extend(check_binding(&proof_claims, &key, token, claims));
        }
        problems
    }

    /// The checks of a proof that comes without an access token, as at an authorization
    /// server's token endpoint (RFC 9449 §5, §4.3): everything [`Expect::check`] does but
    /// `ath` and `cnf.jkt`. The sound proof's key thumbprint, `jti` and `iat`, which the
    /// server binds tokens to and remembers against replay; else every failed check.
    pub fn check_alone(&self, clock: Clock) -> std::result::Result<Sound, Vec<Problem>> {
        let (problems, signed) = self.examine(clock);
        match signed {
            Some((key, claims)) if problems.is_empty() => Ok(Sound {
                jkt: key.thumbprint().unwrap_or_default(),
                jti: claims
                    .get("jti")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                iat: match claims.get("iat").map(NumericDate::read) {
                    Some(NumericDate::At(iat)) => iat as i64,
                    _ => clock.now,
                },
            }),
            _ => Err(problems),
        }
    }

    /// The proof's own checks and the request's: the problems, and the key and claims of a
    /// proof whose signature verified.
    fn examine(&self, clock: Clock) -> (Vec<Problem>, Option<Signed>) {
        let text = self.proof.trim();
        let text = strip_header_name(text).unwrap_or(text);
        let jws = match Jws::parse(text.as_bytes()) {
            Ok(jws) => jws,
            Err(err) => {
                let why = format!("{}: {}", err.part.name(), err.fault);
                return (vec![Problem::NotJwt(why)], None);
            }
        };
        let mut problems = Vec::new();
        let Some(key) = self.check_header(&jws, &mut problems) else {
            return (problems, None);
        };
        let proof_claims = match jws.claims() {
            Ok(claims) => claims,
            Err(err) => {
                problems.push(Problem::Claims(err.fault));
                return (problems, None);
            }
        };
        problems.extend(self.check_claims(&proof_claims, clock));
        (problems, Some((key, proof_claims)))
    }

    /// `typ`, `crit`, `alg`, `jwk` and the signature: the key that signed, when it verified.
    fn check_header(&self, jws: &Jws, problems: &mut Vec<Problem>) -> Option<Key> {
        let header = &jws.header;
        if !is_proof(header) {
            let found = header
                .get("typ")
                .map_or("absent".to_string(), |t| cut(&t.to_string()));
            problems.push(Problem::Typ(found));
        }
        if header.contains_key("crit") {
            problems.push(Problem::Crit);
        }
        if header.get("b64") == Some(&Value::Bool(false)) {
            problems.push(Problem::Extension("b64: false"));
        }
        for name in ["cty", "zip"] {
            if header.contains_key(name) {
                problems.push(Problem::Extension(name));
            }
        }
        let alg = self.check_alg(header.get("alg"), problems);
        let key = match header.get("jwk") {
            None => Err(Problem::NoJwk),
            Some(Value::Object(jwk)) => {
                format::public_jwk_key(jwk, "the proof's jwk").map_err(Problem::Jwk)
            }
            Some(other) => Err(Problem::Jwk(KeyProblem::Member {
                member: format!("jwk ({})", kind_of(other)),
                fault: crate::error::MemberFault::WrongType,
            })),
        };
        let key = key.map_err(|p| problems.push(p)).ok()?;
        let alg = alg?;
        let verifier = key
            .verifier(alg)
            .map_err(|err| problems.push(Problem::JwkUnfit(err.to_string())))
            .ok()?;
        let signing_input = jws.segments.signing_input(jws.compact).as_bytes();
        if !verifier.verify(signing_input, &jws.signature) {
            problems.push(Problem::BadSignature(alg));
            return None;
        }
        Some(key)
    }

    fn check_alg(&self, alg: Option<&Value>, problems: &mut Vec<Problem>) -> Option<Algorithm> {
        let name = match alg {
            Some(Value::String(name)) => name,
            Some(other) => {
                problems.push(Problem::AlgType(kind_of(other)));
                return None;
            }
            None => {
                problems.push(Problem::AlgType("absent"));
                return None;
            }
        };
        let parsed = name.parse::<Algorithm>().ok();
        let symmetric = parsed.is_some_and(|a| a.family() == Family::Hmac);
        if symmetric || name.eq_ignore_ascii_case("none") {
            problems.push(Problem::AlgSymmetric(cut(name)));
            return None;
        }
        match parsed.filter(|a| self.algs.contains(a)) {
            Some(alg) => Some(alg),
            None => {
                let allowed: Vec<&str> = self.algs.iter().map(|a| a.name()).collect();
                problems.push(Problem::AlgNotAllowed {
                    alg: cut(name),
                    allowed: allowed.join(", "),
                });
                None
            }
        }
    }

    /// `jti`, `iat` and its window, `htm`, `htu`, `nonce`.
    fn check_claims(&self, claims: &Map<String, Value>, clock: Clock) -> Vec<Problem> {
        let mut problems = Vec::new();
        match claims.get("jti") {
            Some(Value::String(jti)) if !jti.is_empty() => {}
            other => problems.push(Problem::Claim {
                name: "jti",
                found: found_string(other),
            }),
        }
        match claims.get("iat").map(NumericDate::read) {
            Some(NumericDate::At(iat)) => problems.extend(self.check_iat(iat, clock)),
            Some(NumericDate::NotANumber(kind)) => problems.push(Problem::Claim {
                name: "iat",
                found: format!("{kind}, not a NumericDate"),
            }),
            None => problems.push(Problem::Claim {
                name: "iat",
                found: "absent".into(),
            }),
        }
        let request = |name, found: Option<&Value>, expected: &str| Problem::Request {
            name,
            found: found.map_or("absent".into(), |v| cut(&v.to_string())),
            expected: expected.to_string(),
        };
        if claims.get("htm").and_then(Value::as_str) != Some(self.htm.as_str()) {
            problems.push(request("htm", claims.get("htm"), &self.htm));
        }
        let htu = claims.get("htu").and_then(Value::as_str);
        let htu_matches = htu
            .and_then(|text| text.parse::<Htu>().ok())
            .is_some_and(|htu| !htu.had_query_or_fragment() && htu.same_target(&self.htu));
        if !htu_matches {
            problems.push(request("htu", claims.get("htu"), self.htu.as_str()));
        }
        if let Some(nonce) = &self.nonce
            && claims.get("nonce").and_then(Value::as_str) != Some(nonce.as_str())
        {
            problems.push(request("nonce", claims.get("nonce"), nonce));
        }
        problems
    }

    fn check_iat(&self, iat: Seconds, clock: Clock) -> Option<Problem> {
        let (now, leeway) = (clock.now as Seconds, clock.leeway as Seconds);
        if iat > now + leeway {
            return Some(Problem::IatFuture {
                iat,
                now: clock.now,
            });
        }
        (iat < now - self.max_age as Seconds - leeway).then_some(Problem::IatOld {
            iat,
            now: clock.now,
            max_age: self.max_age,
        })
    }
}

/// `ath` against the token, and the token's `cnf.jkt` against the proof's key.
fn check_binding(
    proof: &Map<String, Value>,
    key: &Key,
    token: &str,
    claims: &Map<String, Value>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    match proof.get("ath") {
        None => problems.push(Problem::AthMissing),
        Some(Value::String(ath)) if *ath == token_hash(token) => {}
        Some(_) => problems.push(Problem::AthWrong),
    }
    let thumbprint = key.thumbprint().unwrap_or_default();
    let cnf = claims.get("cnf");
    match cnf.and_then(|c| c.get("jkt")) {
        Some(Value::String(jkt)) if *jkt == thumbprint => {}
        Some(Value::String(jkt)) => problems.push(Problem::JktWrong {
            token: cut(jkt),
            proof: thumbprint,
        }),
        Some(other) => problems.push(Problem::JktMissing(format!(
            "has a cnf.jkt that is {}, not a string",
            kind_of(other)
        ))),
        None if cnf.is_some_and(Value::is_object) => {
            problems.push(Problem::JktMissing("has a cnf claim without jkt".into()));
        }
        None => problems.push(Problem::JktMissing("has no cnf claim".into())),
    }
    problems
}

fn found_string(value: Option<&Value>) -> String {
    match value {
        None => "absent".into(),
        Some(Value::String(_)) => "empty".into(),
        Some(other) => format!("{}, not a string", kind_of(other)),
    }
}

/// `DPoP: …` as copied from a request: the header name is not part of the proof.
fn strip_header_name(text: &str) -> Option<&str> {
    let head = text.get(..5)?;
    head.eq_ignore_ascii_case("dpop:")
        .then(|| text[5..].trim_start())
}

/// How a token is bound to its sender (RFC 7800 `cnf`): a DPoP key thumbprint (RFC 9449
/// §6.1) or a TLS client certificate hash (RFC 8705 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bound {
    /// `cnf.jkt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jkt: Option<String>,
    /// `cnf["x5t#S256"]`.
    #[serde(rename = "x5t#S256", skip_serializing_if = "Option::is_none")]
    pub x5t_s256: Option<String>,
}

/// The binding a token's claims declare, if any.
pub fn binding(cnf: &Lite) -> Option<Bound> {
    let Lite::Nested(cnf) = cnf else {
        return None;
    };
    let member = |name| cnf.get(name).and_then(Value::as_str).map(str::to_string);
    let bound = Bound {
        jkt: member("jkt"),
        x5t_s256: member("x5t#S256"),
    };
    (bound.jkt.is_some() || bound.x5t_s256.is_some()).then_some(bound)
}

/// The access token a proof is made for, as the user gave it: surrounding whitespace and an
/// `Authorization:` header name with its `Bearer` or `DPoP` scheme are not part of it.
pub fn access_token(input: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(input.trim_ascii()).map_err(|_| Usage::AccessToken {
        why: "is not ASCII text",
    })?;
    let mut rest = text;
    if rest.len() > 14 && rest[..14].eq_ignore_ascii_case("authorization:") {
        rest = rest[14..].trim_start();
    }
    for scheme in ["bearer ", "dpop "] {
        if rest.len() > scheme.len() && rest[..scheme.len()].eq_ignore_ascii_case(scheme) {
            rest = rest[scheme.len()..].trim_start();
        }
    }
    // RFC 9110 §11.2 token68: what an access token in an Authorization header can be.
    let token68 = |b: u8| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b);
    if rest.is_empty() || !rest.bytes().all(token68) {
        return Err(Usage::AccessToken {
            why: "holds characters no Authorization header token has",
        }
        .into());
    }
    if rest.len() as u64 > token::MAX_TOKEN_BYTES {
        return Err(Error::TooLarge {
            size: rest.len() as u64,
            limit: token::MAX_TOKEN_BYTES,
        });
    }
    Ok(rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9449_section_7_1_ath() {
        // RFC 9449 §7.1, Figures 12 and 13: the access token and its proof's ath.
        assert_eq!(
            token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    /// RFC 9449 §7.1 (Figures 12, 13): the proof of a protected resource request, its access
    /// token (§5, Figure 5) and that token's cnf.jkt (§6.1, Figure 8) pass every check at the
    /// proof's own time, and each thing changed alone fails its check.
    #[test]
    fn rfc_9449_section_7_1_proof_passes_every_check() {
        let proof = include_str!("../../tests/fixtures/dpop/rfc9449-7.1-proof.jwt");
        let token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
        let claims: Map<String, Value> = serde_json::from_str(
            r#"{"cnf":{"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}}"#,
        )
        .unwrap();
        let expect = Expect {
            proof: format!("DPoP: {proof}"),
            htm: "GET".into(),
            htu: "https://resource.example.org/protectedresource"
                .parse()
                .unwrap(),
            algs: DEFAULT_ALGS.to_vec(),
            max_age: 300,
            nonce: None,
        };
        let clock = Clock {
            now: 1_562_262_618,
            leeway: 60,
        };
        assert_eq!(expect.check(token, &claims, clock), []);
        // Without a token (a token endpoint's check), the proof alone is sound.
        let sound = expect.check_alone(clock).unwrap();
        assert_eq!(sound.jkt, "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
        assert_eq!(sound.jti, "e1j3V_bKic8-LAEB");
        assert_eq!(sound.iat, 1_562_262_618);
        let reasons = |expect: &Expect, token: &str, clock: Clock| -> Vec<Reason> {
            expect
                .check(token, &claims, clock)
                .iter()
                .map(Problem::reason)
                .collect()
        };
        assert_eq!(reasons(&expect, "another", clock), [Reason::DpopMismatch]);
        let later = Clock {
            now: 1_562_262_618 + 301 + 60,
            leeway: 60,
        };
        assert_eq!(reasons(&expect, token, later), [Reason::DpopInvalid]);
        assert_eq!(expect.check_alone(later).unwrap_err().len(), 1);
        let es384 = Expect {
            algs: vec![Algorithm::ES384],
            ..expect.clone()
        };
        assert_eq!(reasons(&es384, token, clock), [Reason::DpopInvalid]);
        let post = Expect {
            htm: "POST".into(),
            ..expect.clone()
        };
        assert_eq!(reasons(&post, token, clock), [Reason::DpopMismatch]);
    }

    #[test]
    fn methods_are_tokens_in_their_own_case() {
        assert_eq!(parse_method("GET"), Ok("GET".into()));
        assert_eq!(parse_method("PROPFIND"), Ok("PROPFIND".into()));
        assert_eq!(parse_method("get"), Err(MethodError::Case("GET")));
        assert_eq!(parse_method("Post"), Err(MethodError::Case("POST")));
        assert_eq!(parse_method("GET /"), Err(MethodError::NotToken));
        assert_eq!(parse_method(""), Err(MethodError::NotToken));
    }

    #[test]
    fn access_tokens_lose_their_header_and_scheme() {
        let t = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
        for input in [
            t.to_string(),
            format!(" {t}\n"),
            format!("DPoP {t}"),
            format!("Authorization: DPoP {t}"),
            format!("authorization: bearer {t}"),
        ] {
            assert_eq!(access_token(input.as_bytes()).unwrap(), t, "{input}");
        }
        assert!(access_token(b"two words").is_err());
        assert!(access_token(b"").is_err());
    }

    #[test]
    fn typ_and_binding() {
        let header = |typ: &str| {
            let mut map = Map::new();
            map.insert("typ".into(), typ.into());
            map
        };
        assert!(is_proof(&header("dpop+jwt")));
        assert!(is_proof(&header("application/DPoP+JWT")));
        assert!(!is_proof(&header("JWT")));
        let claims = crate::json::scan_object(br#"{"cnf":{"x5t#S256":"abc"}}"#).unwrap();
        let bound = binding(claims.get("cnf").unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string(&bound).unwrap(),
            r#"{"x5t#S256":"abc"}"#
        );
        assert_eq!(binding(&Lite::Nested(serde_json::json!({}))), None);
        assert_eq!(binding(&Lite::String("abc".into())), None);
    }
}
