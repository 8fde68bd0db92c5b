//! Verifying a token: the signature with configured keys only, then the header, the claims
//! and the times, judged by jwtk's own rules and reported in full.
//!
//! jsonwebtoken's `Validation` cannot judge at a given instant, stops at the first failure,
//! accepts an `iss` array, ignores `crit`, and computes `now - leeway` in unsigned arithmetic;
//! here every check is explicit, all failures are collected, and times are compared as
//! floats, so no value wraps.

pub mod batch;
pub mod verdict;

pub use crate::reason::{Failure, Reason};
pub use verdict::{MatchedKey, SdSummary, Verdict};

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::alg::{Algorithm, Family};
use crate::crypto::Verifier;
use crate::dpop;
use crate::error::Part;
use crate::error::{Error, KeyUse, Malformed, Result};
use crate::json::{Lite, Members};
use crate::jwe::decrypt::Decryptor;
use crate::keys::key::{Key, Purpose};
use crate::profile::{self, Profile};
use crate::sd::alg::SdAlg;
use crate::sd::disclose;
use crate::sd::kb::{self, KbPolicy};
use crate::sd::parse::{self as sd_parse, SdJwt};
use crate::text::cut;
use crate::time::{self, NumericDate, Seconds};
use crate::token::compact::{self as token, Segments};
use crate::token::paste;

/// What the claims must satisfy, judged at an instant given explicitly ([`Policy::at`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Policy {
    /// Acceptable issuers (any one); empty: not checked.
    pub iss: Vec<String>,
    /// Acceptable audiences (any one); empty: not checked.
    pub aud: Vec<String>,
    /// The expected subject.
    pub sub: Option<String>,
    /// The expected header `typ` (case-insensitive, with or without `application/`).
    pub typ: Option<String>,
    /// Claims that must be present.
    pub require: Vec<String>,
    /// Allowed clock skew, in seconds.
    pub leeway: i64,
    /// The instant to judge at, in epoch seconds.
    pub now: i64,
    /// Accept a token without `exp`.
    pub allow_no_exp: bool,
    /// The DPoP proof the token must come with (`--dpop`).
    pub dpop: Option<dpop::Expect>,
    /// What an SD-JWT's key binding must satisfy (`--kb-…`, `--require-kb`).
    pub kb: KbPolicy,
    /// The profile the token must meet (`--profile`).
    pub profile: Option<Profile>,
    /// The values the profile's flag-driven rules check against (`--nonce`, …).
    pub profile_expect: profile::Expect,
}

impl Policy {
    /// Judge at `now` (epoch seconds), with nothing else required: no issuer, audience,
    /// subject or type checked, no leeway, `exp` required. A policy always names its instant:
    /// there is no default clock (judging at 0 would accept every expired token).
    pub fn at(now: i64) -> Policy {
        Policy {
            iss: Vec::new(),
            aud: Vec::new(),
            sub: None,
            typ: None,
            require: Vec::new(),
            leeway: 0,
            now,
            allow_no_exp: false,
            dpop: None,
            kb: KbPolicy::default(),
            profile: None,
            profile_expect: profile::Expect::default(),
        }
    }
}

struct Entry {
    key: Key,
    verifiers: Vec<Verifier>,
    /// Shared with every verdict it verifies (no copy per token).
    matched: Arc<MatchedKey>,
}

/// The configured keys, each parsed once into verifiers for the algorithms it may serve.
pub struct KeyRing {
    entries: Vec<Entry>,
    /// The algorithms some key accepts, sorted: computed once, consulted for every token.
    allowed: Vec<Algorithm>,
}

impl KeyRing {
    /// Build verifiers for every key and allowed algorithm. An `--alg` that no key can serve
    /// (including HMAC with public-key material only) is a key error (exit 3). Keys that may
    /// not verify at all (`use: enc`, `key_ops` without `verify`) serve no algorithm, so tokens
    /// checked against them alone are `alg_not_allowed`.
    pub fn new(keys: Vec<Key>, allowed: &[Algorithm]) -> Result<Self> {
        for &alg in allowed {
            if !keys
                .iter()
                .any(|k| k.mismatch(alg, Purpose::Verify).is_none())
            {
                let why = keys
                    .iter()
                    .find_map(|k| k.mismatch(alg, Purpose::Verify))
                    .map_or_else(|| "no key given".to_string(), |why| why.to_string());
                return Err(KeyUse::NoKeyFor {
                    op: "verify",
                    alg: alg.to_string(),
                    why,
                }
                .into());
            }
        }
        let mut entries = Vec::with_capacity(keys.len());
        for key in keys {
            let algs = key
                .algorithms(Purpose::Verify)
                .into_iter()
                .filter(|a| allowed.is_empty() || allowed.contains(a));
            let verifiers = algs
                .map(|alg| key.verifier(alg))
                .collect::<Result<Vec<_>>>()?;
            let matched = Arc::new(MatchedKey::new(
                key.kid.clone(),
                key.origin.clone(),
                key.thumbprint(),
                key.label(),
            ));
            entries.push(Entry {
                key,
                verifiers,
                matched,
            });
        }
        let mut allowed: Vec<Algorithm> = entries
            .iter()
            .flat_map(|e| e.verifiers.iter().map(Verifier::alg))
            .collect();
        allowed.sort();
        allowed.dedup();
        Ok(KeyRing { entries, allowed })
    }

    /// The algorithms some key accepts.
    pub fn algorithms(&self) -> &[Algorithm] {
        &self.allowed
    }

    /// Judge one token (the raw input: whitespace and a `Bearer` prefix are fine).
    ///
    /// The header and claims are read in place ([`token::scan_object`]): with the same
    /// strictness as everywhere else, but no `Map` is built for them.
    pub fn verify(&self, input: &[u8], policy: &Policy) -> Verdict {
        self.verify_as_sent(input, None, policy)
    }

    /// [`KeyRing::verify`]; `sent` is the token as the request carried it when that is not
    /// `input` (a JWE around it): a DPoP proof's `ath` is the hash of the token as sent (RFC
    /// 9449 §4.2), not of the token inside.
    fn verify_as_sent(&self, input: &[u8], sent: Option<&[u8]>, policy: &Policy) -> Verdict {
        let token = match paste::extract(input) {
            Ok(token) => token,
            Err(Error::Malformed(err)) => {
                return Verdict::default().fail(Reason::Malformed, fault(&err));
            }
            Err(err) => return Verdict::default().fail(Reason::Malformed, err.to_string()),
        };
        if sent.is_none() && sd_parse::looks_like(token) {
            return self.verify_sd(token, policy);
        }
        let signed = match self.check_signed(token) {
            Ok(signed) => signed,
            Err(verdict) => return *verdict,
        };
        let Signed {
            mut verdict,
            alg,
            header_json,
            payload,
        } = signed;
        // check_signed scanned this header already: it scans again.
        let header = match token::scan_object(Part::Header, &header_json) {
            Ok(header) => header,
            Err(err) => return verdict.fail(Reason::Malformed, fault(&err)),
        };
        match token::scan_object(Part::Claims, &payload) {
            Ok(claims) => {
                let seen = Seen {
                    alg,
                    sd: false,
                    header_json: &header_json,
                    claims_json: &payload,
                    sent: sent.unwrap_or(token),
                };
                judge_claims(&mut verdict, &header, &claims, seen, policy);
            }
            Err(err) => {
                drop(header);
                verdict.header_json = Some(header_json);
                return verdict.fail(
                    Reason::Malformed,
                    format!("the signature is valid, but {}", fault(&err)),
                );
            }
        }
        drop(header);
        verdict.header_json = Some(header_json);
        verdict.claims_json = Some(payload);
        verdict
    }

    /// The compact JWS `token` read strictly, its header judged and its signature checked:
    /// the verdict so far (alg, key) with the header and payload, or the verdict that
    /// rejects it.
    fn check_signed(&self, token: &[u8]) -> std::result::Result<Signed, Box<Verdict>> {
        let malformed =
            |err: Malformed| Box::new(Verdict::default().fail(Reason::Malformed, fault(&err)));
        // Jws::parse's steps, in its order (so the same fault is named first).
        let segments = match Segments::split(token) {
            Ok(segments) => segments,
            Err(_) if crate::jwe::is_jwe(token) => {
                return Err(Box::new(Verdict::default().fail(
                    Reason::Unsupported,
                    "an encrypted token (JWE): give --decrypt-key to decrypt it and verify the token inside",
                )));
            }
            Err(err) => return Err(malformed(err)),
        };
        let header_json =
            token::decode_segment(Part::Header, segments.header).map_err(malformed)?;
        let header = token::scan_object(Part::Header, &header_json).map_err(malformed)?;
        let payload = token::decode_segment(Part::Claims, segments.claims).map_err(malformed)?;
        // Room for the longest signature a key jwtk loads makes (RSA-8192: 1024 bytes).
        let (mut buf, mut spill) = ([0u8; 1024], Vec::new());
        let signature =
            token::decode_segment_into(Part::Signature, segments.signature, &mut buf, &mut spill)
                .map_err(malformed)?;
        let facts = HeaderFacts::scan(&header);
        let mut verdict = Verdict {
            alg: facts
                .alg
                .and_then(Lite::as_str)
                .map(|alg| match alg.parse() {
                    Ok(known) => Cow::Borrowed(Algorithm::name(known)),
                    Err(_) => Cow::Owned(alg.to_string()),
                }),
            ..Verdict::default()
        };
        let alg = match self.check_header(&facts, &mut verdict) {
            Some(alg) if verdict.failures.is_empty() => alg,
            _ => return Err(Box::new(verdict)),
        };
        // Split checked every byte: base64url characters and dots.
        let signing_input = &token[..segments.header.len() + 1 + segments.claims.len()];
        match self.check_signature(alg, facts.kid, signature, signing_input) {
            Ok(matched) => verdict.key = Some(Arc::clone(matched)),
            Err(failure) => return Err(Box::new(verdict.fail(failure.reason, failure.message))),
        }
        drop(header);
        Ok(Signed {
            verdict,
            alg,
            header_json,
            payload,
        })
    }

    /// An SD-JWT (RFC 9901): the issuer JWT verified like any JWS, then the disclosures
    /// processed by §7.1 (`sd_invalid`), the claim checks run on the claims with disclosures
    /// applied, and the key binding checked (`kb_invalid`, `kb_mismatch`).
    fn verify_sd(&self, token: &[u8], policy: &Policy) -> Verdict {
        let sd = match SdJwt::parse(token) {
            Ok(sd) => sd,
            Err(err) => return Verdict::default().fail(Reason::Malformed, fault(&err)),
        };
        let Signed {
            mut verdict,
            alg: signed_with,
            header_json,
            payload,
        } = match self.check_signed(sd.issuer_jwt().as_bytes()) {
            Ok(signed) => signed,
            Err(verdict) => return *verdict,
        };
        let signed_claims = match token::parse_object(Part::Claims, &payload) {
            Ok(claims) => claims,
            Err(err) => {
                verdict.header_json = Some(header_json);
                return verdict.fail(
                    Reason::Malformed,
                    format!("the signature is valid, but {}", fault(&err)),
                );
            }
        };
        let alg = match SdAlg::of(&signed_claims) {
            Ok(alg) => alg,
            Err(why) => {
                verdict.header_json = Some(header_json);
                return verdict.fail(Reason::Unsupported, why);
            }
        };
        let disclosures: Vec<&str> = sd.disclosures().collect();
        let processed = match disclose::process(&signed_claims, &disclosures, alg) {
            Ok(processed) => processed,
            Err(err) => {
                verdict.header_json = Some(header_json);
                return verdict.fail(Reason::SdInvalid, err.to_string());
            }
        };
        drop(signed_claims);
        // The processed claims are a JSON object with unique names: they serialise and scan.
        let claims_json = serde_json::to_vec(&processed.claims).unwrap_or_default();
        let (Ok(header), Ok(claims)) = (
            token::scan_object(Part::Header, &header_json),
            token::scan_object(Part::Claims, &claims_json),
        ) else {
            return verdict.fail(Reason::Malformed, "the disclosed claims do not read back");
        };
        // Every claim check, the profile's included, runs on the claims with disclosures applied.
        let seen = Seen {
            alg: signed_with,
            sd: true,
            header_json: &header_json,
            claims_json: &claims_json,
            sent: token,
        };
        judge_claims(&mut verdict, &header, &claims, seen, policy);
        drop((header, claims));
        key_binding(&sd, &processed.claims, alg, policy, &mut verdict);
        verdict.sd = Some(SdSummary {
            disclosed: processed.disclosures.len(),
            undisclosed: processed.undisclosed,
            kb: sd.kb_jwt.is_some(),
        });
        verdict.header_json = Some(header_json);
        verdict.claims_json = Some(claims_json);
        verdict
    }

    /// Judge a token that may be encrypted: a JWE is decrypted with `decryptor` (without one
    /// it is `unsupported`), and the JWS inside is verified as any other token. Given a
    /// decryptor, encryption is required: a plain JWS is `unsupported`.
    pub fn verify_nested(
        &self,
        input: &[u8],
        decryptor: Option<&Decryptor>,
        policy: &Policy,
    ) -> Verdict {
        let Some(decryptor) = decryptor else {
            return self.verify(input, policy);
        };
        let sent = match paste::extract(input) {
            Ok(token) if crate::jwe::is_jwe(token) => token,
            _ => return not_encrypted(input),
        };
        let decrypted = match decryptor.open(input) {
            Ok(decrypted) => decrypted,
            Err(failure) => return Verdict::default().fail(failure.reason, failure.message),
        };
        let inner = decrypted.plaintext.as_slice();
        let dots = inner.iter().filter(|&&b| b == b'.').count();
        if dots != 2 || paste::extract(inner).ok() != Some(inner) {
            return Verdict::default().fail(
                Reason::Malformed,
                "the decrypted payload is not a JWS (a nested JWT holds a signed token, cty JWT)",
            );
        }
        self.verify_as_sent(inner, Some(sent), policy)
    }

    /// Header rules: a known, allowed algorithm; no `crit`, `b64: false`, `zip` or nested JWT.
    fn check_header(&self, header: &HeaderFacts, verdict: &mut Verdict) -> Option<Algorithm> {
        let mut fail = |reason, message: String| verdict.failures.push(Failure { reason, message });
        if header.crit {
            fail(
                Reason::Unsupported,
                "the header has crit: jwtk understands no JWS extensions, so it must refuse it"
                    .into(),
            );
        }
        if header.b64 == Some(&Lite::Bool(false)) {
            fail(
                Reason::Unsupported,
                "b64 is false (an unencoded payload, RFC 7797)".into(),
            );
        }
        if header.zip {
            fail(
                Reason::Unsupported,
                "zip on a JWS: compressed payloads are for JWE only".into(),
            );
        }
        if header
            .cty
            .and_then(Lite::as_str)
            .is_some_and(|c| c.eq_ignore_ascii_case("JWT"))
        {
            fail(
                Reason::Unsupported,
                "cty is JWT: a nested JWT is never unwrapped".into(),
            );
        }
        let alg = match header.alg {
            None => {
                fail(Reason::Malformed, "the header has no alg".into());
                return None;
            }
            Some(Lite::String(alg)) => alg.as_ref(),
            Some(other) => {
                let kind = other.kind();
                fail(Reason::Malformed, format!("alg is {kind}, not a string"));
                return None;
            }
        };
        let shown = cut(alg);
        if alg.eq_ignore_ascii_case("none") {
            fail(
                Reason::AlgNotAllowed,
                format!("alg {shown:?}: unsigned tokens are never accepted"),
            );
            return None;
        }
        let Ok(parsed) = alg.parse::<Algorithm>() else {
            fail(Reason::Unsupported, format!("unknown algorithm {shown:?}"));
            return None;
        };
        if !self.allowed.contains(&parsed) {
            let allowed: Vec<&str> = self.allowed.iter().map(|a| a.name()).collect();
            let extra = match parsed.family() {
                Family::Hmac => {
                    " (an HMAC token checked against public keys is the key-confusion attack)"
                }
                _ => "",
            };
            let allows = if allowed.is_empty() {
                let why = self
                    .entries
                    .iter()
                    .find_map(|e| e.key.refusal(Purpose::Verify));
                format!(
                    "no key given may verify ({})",
                    why.map_or_else(|| "none fits".to_string(), |why| why.to_string())
                )
            } else {
                format!("the keys allow {}", allowed.join(", "))
            };
            fail(
                Reason::AlgNotAllowed,
                format!("{parsed} is not allowed here: {allows}{extra}"),
            );
            return None;
        }
        Some(parsed)
    }

    /// Try the keys that fit `alg` and the token's `kid`: a key whose kid differs is skipped,
    /// a key without a kid is tried (rotation).
    fn check_signature(
        &self,
        alg: Algorithm,
        token_kid: Option<&Lite>,
        signature: &[u8],
        signing_input: &[u8],
    ) -> std::result::Result<&Arc<MatchedKey>, Failure> {
        let mut tried = 0;
        for entry in &self.entries {
            let kid_fits = match (&entry.key.kid, token_kid) {
                (Some(own), Some(Lite::String(kid))) => own == kid,
                (Some(_), Some(_)) => false,
                _ => true,
            };
            let Some(verifier) = entry.verifiers.iter().find(|v| v.alg() == alg) else {
                continue;
            };
            if !kid_fits {
                continue;
            }
            tried += 1;
            if verifier.verify(signing_input, signature) {
                return Ok(&entry.matched);
            }
        }
        if tried == 0 {
            let kid = token_kid.map(Lite::to_string).unwrap_or_default();
            return Err(Failure {
                reason: Reason::NoMatchingKey,
                message: format!("no {alg} key has kid {}", cut(&kid)),
            });
        }
        let keys = if tried == 1 {
            "the key".to_string()
        } else {
            format!("any of the {tried} keys")
        };
        Err(Failure {
            reason: Reason::BadSignature,
            message: format!("the {alg} signature does not verify with {keys}"),
        })
    }
}

/// A JWS whose signature verified: the verdict so far, its header's and payload's bytes.
struct Signed {
    verdict: Verdict,
    alg: Algorithm,
    header_json: Vec<u8>,
    payload: Vec<u8>,
}

/// An SD-JWT's key binding, judged into `verdict`: the KB-JWT's failures, or a missing one
/// under `--require-kb`, and notes for what went unchecked (RFC 9901 §7.3 wants `nonce` and
/// `aud` both; a credential with `cnf` without a KB-JWT proves no holder).
fn key_binding(
    sd: &SdJwt,
    claims: &serde_json::Map<String, Value>,
    alg: SdAlg,
    policy: &Policy,
    verdict: &mut Verdict,
) {
    let Some(kb_jwt) = &sd.kb_jwt else {
        if policy.kb.required {
            let missing = kb::KbProblem::Missing;
            verdict.failures.push(Failure {
                reason: missing.reason(),
                message: missing.to_string(),
            });
        } else if claims.contains_key("cnf") {
            verdict.notes.push(
                "holder binding is unproven: the credential names a holder key (cnf) but came without a KB-JWT (--require-kb makes that a failure)".into(),
            );
        } else if policy.kb.nonce.is_some() || policy.kb.aud.is_some() {
            verdict.notes.push(
                "--kb-nonce/--kb-aud were not checked: the presentation has no KB-JWT (--require-kb makes that a failure)".into(),
            );
        }
        return;
    };
    let clock = kb::Clock {
        now: policy.now,
        leeway: policy.leeway,
    };
    let problems = kb::check(kb_jwt, claims, &sd.presented, alg, &policy.kb, clock);
    verdict
        .failures
        .extend(problems.iter().map(|problem| Failure {
            reason: problem.reason(),
            message: problem.to_string(),
        }));
    let unchecked: Vec<&str> = [
        ("--kb-nonce", policy.kb.nonce.is_none()),
        ("--kb-aud", policy.kb.aud.is_none()),
    ]
    .into_iter()
    .filter_map(|(flag, missing)| missing.then_some(flag))
    .collect();
    if !unchecked.is_empty() {
        verdict.notes.push(format!(
            "replay was not fully checked: the KB-JWT's {} went unchecked without {} (RFC 9901 §7.3)",
            if unchecked.len() == 2 { "nonce and aud" } else if unchecked[0] == "--kb-nonce" { "nonce" } else { "aud" },
            unchecked.join(" and ")
        ));
    }
}

/// The verdict on a token that should have been encrypted and is not: `malformed` when it is
/// not even a well-formed JWS, else `unsupported`. Its signature is not checked: the token is
/// refused whatever it says.
fn not_encrypted(input: &[u8]) -> Verdict {
    let jws = paste::extract(input)
        .map_err(|err| match err {
            Error::Malformed(err) => fault(&err),
            other => other.to_string(),
        })
        .and_then(|token| token::Jws::parse(token).map_err(|err| fault(&err)));
    let jws = match jws {
        Ok(jws) => jws,
        Err(message) => return Verdict::default().fail(Reason::Malformed, message),
    };
    Verdict {
        alg: jws.alg().map(|alg| Cow::Owned(alg.to_string())),
        ..Verdict::default()
    }
    .fail(
        Reason::Unsupported,
        "not encrypted: with --decrypt-key the token must be an encrypted token (JWE), and this is a plain JWS",
    )
}

/// What `--dpop` finds wrong with the proof for this token (`token`: as sent; its claims:
/// `payload`, which the scan accepted, so the parser does too).
fn dpop_failures(
    expect: &dpop::Expect,
    token: &[u8],
    payload: &[u8],
    policy: &Policy,
) -> Vec<Failure> {
    // Split (or, for a JWE, its parse) checked every byte: base64url characters and dots.
    let token = std::str::from_utf8(token).unwrap_or_default();
    let clock = dpop::Clock {
        now: policy.now,
        leeway: policy.leeway,
    };
    match token::parse_object(Part::Claims, payload) {
        Ok(claims) => expect
            .check(token, &claims, clock)
            .iter()
            .map(|p| Failure {
                reason: p.reason(),
                message: p.to_string(),
            })
            .collect(),
        Err(err) => vec![Failure {
            reason: Reason::Malformed,
            message: fault(&err),
        }],
    }
}

/// A token whose signature verified, as the claim checks see it.
struct Seen<'a> {
    /// The algorithm that signed it.
    alg: Algorithm,
    /// Whether it came as an SD-JWT.
    sd: bool,
    header_json: &'a [u8],
    /// The claims as a verifier sees them (an SD-JWT's with its disclosures applied).
    claims_json: &'a [u8],
    /// The token as sent (a DPoP proof's `ath` is its hash).
    sent: &'a [u8],
}

/// The checks every form of token shares once its signature verified: the registered claims,
/// the sender binding, the profile and the DPoP proof.
fn judge_claims(
    verdict: &mut Verdict,
    header: &Members,
    claims: &Members,
    seen: Seen,
    policy: &Policy,
) {
    let found = ClaimFacts::scan(claims);
    verdict
        .failures
        .extend(check_found(header, claims, &found, policy));
    verdict.bound = found.cnf.and_then(dpop::binding);
    verdict.exp = found.exp.and_then(Lite::as_f64);
    if let Some(profile) = policy.profile {
        verdict.failures.extend(profile_failures(
            profile,
            seen.alg,
            seen.sd,
            seen.header_json,
            seen.claims_json,
            policy,
        ));
    }
    if let Some(expect) = &policy.dpop {
        verdict
            .failures
            .extend(dpop_failures(expect, seen.sent, seen.claims_json, policy));
    }
}

/// What `--profile` finds wrong with the token (its header and claims: JSON objects the
/// scans accepted, so the parser does too).
fn profile_failures(
    profile: Profile,
    alg: Algorithm,
    sd: bool,
    header: &[u8],
    payload: &[u8],
    policy: &Policy,
) -> Vec<Failure> {
    let parsed = token::parse_object(Part::Header, header)
        .and_then(|header| Ok((header, token::parse_object(Part::Claims, payload)?)));
    let (header, claims) = match parsed {
        Ok(both) => both,
        Err(err) => {
            return vec![Failure {
                reason: Reason::Malformed,
                message: fault(&err),
            }];
        }
    };
    let token = profile::Token {
        header: &header,
        claims: &claims,
        alg: Some(alg),
        sd: Some(sd),
    };
    let clock = profile::Clock {
        now: policy.now,
        leeway: policy.leeway,
    };
    profile.check(token, &policy.profile_expect, clock)
}

/// The header members the checks read, found in one pass over the header (its names are
/// unique: it was read strictly) rather than one search each.
#[derive(Default)]
struct HeaderFacts<'a> {
    alg: Option<&'a Lite<'a>>,
    kid: Option<&'a Lite<'a>>,
    b64: Option<&'a Lite<'a>>,
    cty: Option<&'a Lite<'a>>,
    crit: bool,
    zip: bool,
}

impl<'a> HeaderFacts<'a> {
    fn scan(header: &'a Members<'a>) -> Self {
        let mut facts = HeaderFacts::default();
        for (name, value) in header.iter() {
            match name {
                "alg" => facts.alg = Some(value),
                "kid" => facts.kid = Some(value),
                "b64" => facts.b64 = Some(value),
                "cty" => facts.cty = Some(value),
                "crit" => facts.crit = true,
                "zip" => facts.zip = true,
                _ => {}
            }
        }
        facts
    }
}

/// The registered claims the checks and the verdict read, found in one pass over the claims
/// (unique names: read strictly).
#[derive(Default)]
struct ClaimFacts<'a> {
    exp: Option<&'a Lite<'a>>,
    nbf: Option<&'a Lite<'a>>,
    iat: Option<&'a Lite<'a>>,
    iss: Option<&'a Lite<'a>>,
    aud: Option<&'a Lite<'a>>,
    sub: Option<&'a Lite<'a>>,
    cnf: Option<&'a Lite<'a>>,
}

impl<'a> ClaimFacts<'a> {
    fn scan(claims: &'a Members<'a>) -> Self {
        let mut facts = ClaimFacts::default();
        for (name, value) in claims.iter() {
            let slot = match name {
                "exp" => &mut facts.exp,
                "nbf" => &mut facts.nbf,
                "iat" => &mut facts.iat,
                "iss" => &mut facts.iss,
                "aud" => &mut facts.aud,
                "sub" => &mut facts.sub,
                "cnf" => &mut facts.cnf,
                _ => continue,
            };
            *slot = Some(value);
        }
        facts
    }
}

/// `claims: the payload is text, …`: the part and the fault (the reason code already says
/// "malformed").
fn fault(err: &Malformed) -> String {
    format!("{}: {}", err.part.name(), err.fault)
}

/// Times, presence, issuer, audience, subject and type, all checked and all reported.
pub fn check_claims(header: &Members, claims: &Members, policy: &Policy) -> Vec<Failure> {
    check_found(header, claims, &ClaimFacts::scan(claims), policy)
}

/// [`check_claims`] with the registered claims already found.
fn check_found(
    header: &Members,
    claims: &Members,
    found: &ClaimFacts,
    policy: &Policy,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut fail = |reason, message: String| failures.push(Failure { reason, message });
    let now = policy.now as Seconds;
    let leeway = policy.leeway as Seconds;
    let mut times = [None; 3];
    let values = [found.exp, found.nbf, found.iat];
    for ((slot, name), value) in times.iter_mut().zip(["exp", "nbf", "iat"]).zip(values) {
        match value.map(NumericDate::read_lite) {
            Some(NumericDate::At(at)) => *slot = Some(at),
            Some(NumericDate::NotANumber(kind)) => fail(
                Reason::Malformed,
                format!("{name} is {kind}, not a NumericDate"),
            ),
            None => {}
        }
    }
    let [exp, nbf, _iat] = times;
    match exp {
        Some(exp) if now >= exp + leeway => fail(
            Reason::Expired,
            format!(
                "expired {} ({})",
                time::relative(exp, policy.now),
                time::format_utc(exp)
            ),
        ),
        // A profile that requires exp says so itself, naming its section.
        None if !policy.allow_no_exp
            && found.exp.is_none()
            && !policy.profile.is_some_and(|p| p.requires("exp")) =>
        {
            fail(
                Reason::MissingClaim,
                "no exp: tokens must expire (--allow-no-exp accepts this)".into(),
            )
        }
        _ => {}
    }
    if let Some(nbf) = nbf.filter(|&nbf| now + leeway < nbf) {
        fail(
            Reason::NotYetValid,
            format!(
                "not valid until {} ({})",
                time::relative(nbf, policy.now),
                time::format_utc(nbf)
            ),
        );
    }
    for name in &policy.require {
        match claims.get(name) {
            None => fail(
                Reason::MissingClaim,
                format!("required claim {name:?} is absent"),
            ),
            Some(Lite::Null) => fail(
                Reason::MissingClaim,
                format!("required claim {name:?} is null"),
            ),
            Some(_) => {}
        }
    }
    if !policy.iss.is_empty() && !string_in(found.iss, &policy.iss) {
        fail(Reason::WrongIssuer, mismatch("iss", found.iss, &policy.iss));
    }
    if !policy.aud.is_empty() && !audience_matches(found.aud, &policy.aud) {
        fail(
            Reason::WrongAudience,
            mismatch("aud", found.aud, &policy.aud),
        );
    }
    if let Some(sub) = &policy.sub
        && !string_in(found.sub, std::slice::from_ref(sub))
    {
        fail(
            Reason::WrongSubject,
            mismatch("sub", found.sub, std::slice::from_ref(sub)),
        );
    }
    if let Some(typ) = &policy.typ
        && !typ_matches(header.get("typ"), typ)
    {
        fail(
            Reason::WrongType,
            mismatch("typ", header.get("typ"), std::slice::from_ref(typ)),
        );
    }
    failures
}

fn string_in(value: Option<&Lite>, expected: &[String]) -> bool {
    matches!(value, Some(Lite::String(s)) if expected.iter().any(|e| e == s))
}

/// `aud` is a string or a non-empty array of strings, one of which is expected.
fn audience_matches(value: Option<&Lite>, expected: &[String]) -> bool {
    match value {
        Some(Lite::String(aud)) => expected.iter().any(|e| e == aud),
        Some(Lite::Nested(Value::Array(items)))
            if !items.is_empty() && items.iter().all(Value::is_string) =>
        {
            items.iter().any(|item| {
                item.as_str()
                    .is_some_and(|aud| expected.iter().any(|e| e == aud))
            })
        }
        _ => false,
    }
}

fn typ_matches(value: Option<&Lite>, expected: &str) -> bool {
    matches!(value, Some(Lite::String(typ)) if crate::typ::same(typ, expected))
}

fn mismatch(name: &str, value: Option<&Lite>, expected: &[String]) -> String {
    let wanted = expected
        .iter()
        .map(|e| format!("{e:?}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let got = match value {
        None => "absent".to_string(),
        Some(value) => cut(&value.to_string()),
    };
    format!("{name} is {got}, expected {wanted}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reasons(header: Value, body: Value, policy: &Policy) -> Vec<Reason> {
        let (header, body) = (header.to_string(), body.to_string());
        let header = crate::json::scan_object(header.as_bytes()).unwrap();
        let body = crate::json::scan_object(body.as_bytes()).unwrap();
        check_claims(&header, &body, policy)
            .iter()
            .map(|f| f.reason)
            .collect()
    }

    #[test]
    fn times_never_wrap() {
        let policy = Policy {
            now: 1000,
            leeway: 60,
            ..Policy::at(0)
        };
        assert_eq!(reasons(json!({}), json!({"exp": 1061}), &policy), []);
        assert_eq!(
            reasons(json!({}), json!({"exp": 940}), &policy),
            [Reason::Expired]
        );
        assert_eq!(
            reasons(json!({}), json!({"exp": -5}), &policy),
            [Reason::Expired]
        );
        assert_eq!(reasons(json!({}), json!({"exp": 1e300}), &policy), []);
        assert_eq!(
            reasons(json!({}), json!({"exp": 18446744073709551616.0}), &policy),
            []
        );
        assert_eq!(
            reasons(json!({}), json!({"exp": 2000, "nbf": 1061}), &policy),
            [Reason::NotYetValid]
        );
        let huge = Policy {
            now: 1000,
            leeway: i64::MAX,
            ..Policy::at(0)
        };
        assert_eq!(
            reasons(json!({}), json!({"exp": 0, "nbf": 1e18}), &huge),
            []
        );
        for bad in [json!("1"), Value::Null, json!(true), json!([1])] {
            assert_eq!(
                reasons(json!({}), json!({"exp": 2000, "nbf": bad}), &policy),
                [Reason::Malformed]
            );
        }
        assert_eq!(
            reasons(json!({}), json!({}), &policy),
            [Reason::MissingClaim]
        );
        let lenient = Policy {
            allow_no_exp: true,
            ..policy
        };
        assert_eq!(reasons(json!({}), json!({}), &lenient), []);
    }

    #[test]
    fn issuer_audience_subject_type() {
        let policy = Policy {
            iss: vec!["a".into(), "b".into()],
            aud: vec!["api".into()],
            sub: Some("u".into()),
            typ: Some("at+jwt".into()),
            allow_no_exp: true,
            ..Policy::at(0)
        };
        let ok = json!({"iss": "b", "aud": ["x", "api"], "sub": "u"});
        assert_eq!(
            reasons(json!({"typ": "application/AT+JWT"}), ok, &policy),
            []
        );
        let all = [
            Reason::WrongIssuer,
            Reason::WrongAudience,
            Reason::WrongSubject,
            Reason::WrongType,
        ];
        assert_eq!(reasons(json!({}), json!({}), &policy), all);
        assert_eq!(
            reasons(
                json!({"typ": "JWT"}),
                json!({"iss": ["a"], "aud": [], "sub": 5}),
                &policy
            ),
            all
        );
        assert_eq!(
            reasons(
                json!({"typ": "at+jwt"}),
                json!({"iss": "A", "aud": "API", "sub": "U"}),
                &policy
            ),
            all[..3]
        );
        assert_eq!(
            reasons(
                json!({"typ": "at+jwt"}),
                json!({"iss": "a", "aud": ["api", 1], "sub": "u"}),
                &policy
            ),
            [Reason::WrongAudience]
        );
    }

    #[test]
    fn verdict_reason_follows_precedence() {
        let v = Verdict::default()
            .fail(Reason::WrongIssuer, "x")
            .fail(Reason::Expired, "y");
        assert_eq!(v.reason(), Some(Reason::Expired));
        assert_eq!(v.message(), "expired: y; wrong_issuer: x");
    }
}
