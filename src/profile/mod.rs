//! Token profiles: what a specification demands of one kind of token — a JWT access token (RFC
//! 9068), an OpenID Connect ID token or logout token, a client assertion (RFC 7523), an SD-JWT
//! verifiable credential — as data. Each profile is one table of rules (in `table.rs`), each rule
//! naming its section; `verify --profile` checks them, `mint --profile` builds tokens that meet
//! them, and `classify` names the first profile whose structural rules a token meets.
//!
//! Structural rules need nothing but the token; the others read a value the verifier gives
//! ([`Flag`]: the nonce it sent, the access token it got, …) and apply only when it is given.

pub mod hash;
mod table;

use serde_json::{Map, Value};

use crate::alg::{Algorithm, registered_names};
pub use crate::error::FlagProblem;
use crate::json::kind_of;
use crate::reason::{Failure, Reason};
use crate::text::cut;
use crate::time::{self, NumericDate};

/// The member of a logout token's `events` that makes it one (Back-Channel Logout §2.4).
pub const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// A kind of token a specification defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// OpenID Connect Back-Channel Logout 1.0 logout tokens (`logout`).
    Logout,
    /// RFC 7523 §3 / OIDC Core §9 client assertions (`client_assertion`).
    ClientAssertion,
    /// RFC 9068 JWT access tokens (`at+jwt`).
    AtJwt,
    /// OpenID Connect ID tokens (`id_token`).
    IdToken,
    /// SD-JWT verifiable credentials, draft-ietf-oauth-sd-jwt-vc (`sd-jwt-vc`).
    SdJwtVc,
}

/// A profile name jwtk does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile")]
pub struct UnknownProfile;

impl Profile {
    /// Every profile, in the order `classify` tries them (the most specific first: a logout
    /// token or a client assertion also has every claim an ID token needs).
    pub const ALL: [Profile; 5] = [
        Profile::Logout,
        Profile::ClientAssertion,
        Profile::AtJwt,
        Profile::IdToken,
        Profile::SdJwtVc,
    ];

    /// This profile's table.
    pub fn spec(self) -> &'static Spec {
        match self {
            Profile::Logout => &table::LOGOUT,
            Profile::ClientAssertion => &table::CLIENT_ASSERTION,
            Profile::AtJwt => &table::AT_JWT,
            Profile::IdToken => &table::ID_TOKEN,
            Profile::SdJwtVc => &table::SD_JWT_VC,
        }
    }

    /// The name `--profile` takes.
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

registered_names!(Profile, UnknownProfile);

/// One profile: its name, what a verifier must give, what `mint` sets, and its rules.
#[derive(Debug)]
pub struct Spec {
    /// The name `--profile` takes.
    pub name: &'static str,
    /// What the token is, for people.
    pub title: &'static str,
    /// Which audience flag the verifier must give.
    pub audience: Audience,
    /// What `mint --profile` sets; `None`: mint does not make this kind of token.
    pub mint: Option<Mint>,
    /// Every rule, structural and flag-driven.
    pub rules: &'static [Rule],
}

/// The audience check a profile makes mandatory.
#[derive(Debug)]
pub enum Audience {
    /// `--aud` is required.
    Aud {
        /// Why, with the section.
        why: &'static str,
    },
    /// `--client-id` or `--aud` is required (an ID token's audience is the client).
    AudOrClientId {
        /// Why, with the section.
        why: &'static str,
    },
    /// The usual rule: checked when `--aud` is given.
    Optional,
}

/// What `mint --profile` sets.
#[derive(Debug)]
pub struct Mint {
    /// The header `typ`.
    pub typ: &'static str,
    /// Whether a random `jti` is added when the claims have none.
    pub jti: bool,
}

/// One rule and the section of the specification it comes from.
#[derive(Debug)]
pub struct Rule {
    /// What is checked.
    pub check: Check,
    /// Where it is written, e.g. "RFC 9068 §2.2".
    pub section: &'static str,
}

/// What a rule checks.
#[derive(Debug)]
pub enum Check {
    /// The header `typ` is one of these (compared as `--typ` compares); `absent_ok`: or there
    /// is none. Broken: `wrong_type`.
    Typ {
        /// The acceptable values.
        expected: &'static [&'static str],
        /// Whether a header without `typ` passes.
        absent_ok: bool,
    },
    /// The claim is present and not null (else `missing_claim`).
    Present(&'static str),
    /// At least one of these claims is present and not null (else `missing_claim`).
    AnyOf(&'static [&'static str]),
    /// The claim is not there at all (else `profile_violation`).
    Absent {
        /// The claim.
        claim: &'static str,
        /// Why it must not be.
        why: &'static str,
    },
    /// The claim, when present, is a string.
    StringWhenPresent(&'static str),
    /// `events` is an object holding [`LOGOUT_EVENT`] with an object value.
    LogoutEvent,
    /// `iss` and `sub` are the same string (a client naming itself).
    IssIsSub,
    /// `aud` holds `--client-id` (`wrong_audience` if not: it stands for `--aud`).
    ClientIdInAud,
    /// `iss` is `--client-id`.
    ClientIdIsIss,
    /// `nonce` is `--nonce`.
    Nonce,
    /// `at_hash` is the half hash of `--access-token`.
    AtHash,
    /// `c_hash` is the half hash of `--code`.
    CHash,
    /// `auth_time` is within `--max-age`.
    MaxAge,
    /// With `--require-kb`, `cnf` (the holder's key) is present.
    CnfForKeyBinding,
    /// The token came as an SD-JWT (the issuer JWT, then `~`), not as a plain JWS.
    SdJwt,
}

/// A value the verifier gives that some rules check against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `--nonce`.
    Nonce,
    /// `--access-token`.
    AccessToken,
    /// `--code`.
    Code,
    /// `--max-age`.
    MaxAge,
    /// `--client-id`.
    ClientId,
    /// `--require-kb` (an SD-JWT flag of its own, not only a profile's).
    RequireKb,
}

impl Flag {
    /// The flags that mean something only with `--profile`.
    pub const PROFILE_ONLY: [Flag; 5] = [
        Flag::Nonce,
        Flag::AccessToken,
        Flag::Code,
        Flag::MaxAge,
        Flag::ClientId,
    ];

    /// The command-line flag.
    pub fn name(self) -> &'static str {
        match self {
            Flag::Nonce => "--nonce",
            Flag::AccessToken => "--access-token",
            Flag::Code => "--code",
            Flag::MaxAge => "--max-age",
            Flag::ClientId => "--client-id",
            Flag::RequireKb => "--require-kb",
        }
    }

    /// Whether `expect` holds a value for this flag.
    fn given(self, expect: &Expect) -> bool {
        match self {
            Flag::Nonce => expect.nonce.is_some(),
            Flag::AccessToken => expect.access_token.is_some(),
            Flag::Code => expect.code.is_some(),
            Flag::MaxAge => expect.max_age.is_some(),
            Flag::ClientId => expect.client_id.is_some(),
            Flag::RequireKb => expect.require_kb,
        }
    }
}

impl Check {
    /// The flag this rule reads; `None` for a structural rule.
    pub fn flag(&self) -> Option<Flag> {
        match self {
            Check::ClientIdInAud | Check::ClientIdIsIss => Some(Flag::ClientId),
            Check::Nonce => Some(Flag::Nonce),
            Check::AtHash => Some(Flag::AccessToken),
            Check::CHash => Some(Flag::Code),
            Check::MaxAge => Some(Flag::MaxAge),
            Check::CnfForKeyBinding => Some(Flag::RequireKb),
            Check::SdJwt
            | Check::Typ { .. }
            | Check::Present(_)
            | Check::AnyOf(_)
            | Check::Absent { .. }
            | Check::StringWhenPresent(_)
            | Check::LogoutEvent
            | Check::IssIsSub => None,
        }
    }

    /// The rule in a few words: "header typ at+jwt", "jti present".
    pub fn describe(&self) -> String {
        match self {
            Check::Typ {
                expected,
                absent_ok,
            } => {
                let or_none = if *absent_ok { " when present" } else { "" };
                format!("header typ {}{or_none}", expected.join(" or "))
            }
            Check::Present(claim) => format!("{claim} present"),
            Check::AnyOf(claims) => format!("{} present", claims.join(" or ")),
            Check::Absent { claim, .. } => format!("no {claim}"),
            Check::StringWhenPresent(claim) => format!("{claim} a string when present"),
            Check::LogoutEvent => format!("events holding {LOGOUT_EVENT} with an object value"),
            Check::IssIsSub => "iss equal to sub".into(),
            Check::ClientIdInAud => "aud holding --client-id".into(),
            Check::ClientIdIsIss => "iss equal to --client-id".into(),
            Check::Nonce => "nonce equal to --nonce".into(),
            Check::AtHash => "at_hash matching --access-token".into(),
            Check::CHash => "c_hash matching --code".into(),
            Check::MaxAge => "auth_time within --max-age".into(),
            Check::CnfForKeyBinding => "cnf present with --require-kb".into(),
            Check::SdJwt => "an SD-JWT, not a plain JWS".into(),
        }
    }
}

/// The values the verifier gives for the flag-driven rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    /// `--nonce`: the nonce sent in the authentication request.
    pub nonce: Option<String>,
    /// `--access-token`: the access token issued with the ID token.
    pub access_token: Option<String>,
    /// `--code`: the authorization code issued with the ID token.
    pub code: Option<String>,
    /// `--max-age`, in seconds.
    pub max_age: Option<i64>,
    /// `--client-id`.
    pub client_id: Option<String>,
    /// `--require-kb`.
    pub require_kb: bool,
}

/// The token as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    /// The protected header.
    pub header: &'a Map<String, Value>,
    /// The claims.
    pub claims: &'a Map<String, Value>,
    /// The algorithm that signed it (the hash of `at_hash`/`c_hash`), when known.
    pub alg: Option<Algorithm>,
    /// Whether it came as an SD-JWT; `None` when the form is not known (rules read from
    /// claims alone, as classify does).
    pub sd: Option<bool>,
}

/// The instant to judge `auth_time` at, and the clock skew allowed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    /// Epoch seconds.
    pub now: i64,
    /// Seconds.
    pub leeway: i64,
}

impl Profile {
    /// Whether the flags suit this profile: the audience flag it requires is there, every
    /// profile flag given is one of its rules' (`--require-kb` is not only a profile flag),
    /// and `--client-id` agrees with `--aud` where it stands for it.
    pub fn check_flags(self, expect: &Expect, aud: &[String]) -> Result<(), FlagProblem> {
        let spec = self.spec();
        for flag in Flag::PROFILE_ONLY {
            let read = spec.rules.iter().any(|r| r.check.flag() == Some(flag));
            if flag.given(expect) && !read {
                return Err(FlagProblem::DoesNotApply {
                    flag: flag.name(),
                    profile: spec.name,
                });
            }
        }
        match spec.audience {
            Audience::Aud { why } if aud.is_empty() => Err(FlagProblem::Needs {
                profile: spec.name,
                needs: "--aud",
                why,
            }),
            Audience::AudOrClientId { why } => match (&expect.client_id, aud) {
                (None, []) => Err(FlagProblem::Needs {
                    profile: spec.name,
                    needs: "--client-id or --aud",
                    why,
                }),
                (Some(client_id), aud) => match aud.iter().find(|a| *a != client_id) {
                    Some(other) => Err(FlagProblem::ClientIdDiffers {
                        client_id: client_id.clone(),
                        aud: other.clone(),
                    }),
                    None => Ok(()),
                },
                (None, _) => Ok(()),
            },
            Audience::Aud { .. } | Audience::Optional => Ok(()),
        }
    }

    /// Whether one of the profile's rules requires `claim` to be present.
    pub fn requires(self, claim: &str) -> bool {
        (self.spec().rules.iter()).any(|r| matches!(r.check, Check::Present(c) if c == claim))
    }

    /// Every rule the token breaks: the structural ones, and those whose flag `expect` gives.
    pub fn check(self, token: Token, expect: &Expect, clock: Clock) -> Vec<Failure> {
        let broken = self.failures(token, Some((expect, clock))).into_iter();
        broken.map(|(_, failure)| failure).collect()
    }

    /// The structural rules the token breaks (those that need no flag).
    pub fn unmet(self, header: &Map<String, Value>, claims: &Map<String, Value>) -> Vec<Failure> {
        let broken = self.broken(header, claims).into_iter();
        broken.map(|(_, failure)| failure).collect()
    }

    /// [`Profile::unmet`], each failure with the rule it breaks.
    pub fn broken(
        self,
        header: &Map<String, Value>,
        claims: &Map<String, Value>,
    ) -> Vec<(&'static Rule, Failure)> {
        let token = Token {
            header,
            claims,
            alg: None,
            sd: None,
        };
        self.failures(token, None)
    }

    /// Whether the token meets every structural rule.
    pub fn fits(self, header: &Map<String, Value>, claims: &Map<String, Value>) -> bool {
        self.unmet(header, claims).is_empty()
    }

    fn failures(
        self,
        token: Token,
        given: Option<(&Expect, Clock)>,
    ) -> Vec<(&'static Rule, Failure)> {
        let spec = self.spec();
        spec.rules
            .iter()
            .filter_map(|rule| {
                let found = match (rule.check.flag(), given) {
                    (None, _) => structural(&rule.check, token),
                    (Some(_), Some((expect, clock))) => flagged(&rule.check, token, expect, clock),
                    (Some(_), None) => None,
                };
                let message = |what| format!("profile {}: {what} ({})", spec.name, rule.section);
                found.map(|(reason, what)| {
                    let message = message(what);
                    (rule, Failure { reason, message })
                })
            })
            .collect()
    }

    /// Complete a token `mint` is building: a random `jti` when the profile needs one and the
    /// claims have none. The header's `typ` is [`Mint::typ`], set by the caller.
    pub fn complete(self, claims: &mut Map<String, Value>) {
        if self.spec().mint.as_ref().is_some_and(|m| m.jti) && !claims.contains_key("jti") {
            claims.insert("jti".into(), Value::String(crate::mint::random_id()));
        }
    }
}

/// The first profile, in [`Profile::ALL`]'s order, whose structural rules the token meets.
pub fn identify(header: &Map<String, Value>, claims: &Map<String, Value>) -> Option<Profile> {
    Profile::ALL.into_iter().find(|p| p.fits(header, claims))
}

/// Whether two `typ` values are the same media type: case-insensitive, with or without the
/// `application/` prefix (RFC 7515 §4.1.9).
pub fn same_typ(a: &str, b: &str) -> bool {
    crate::typ::same(a, b)
}

type Found = Option<(Reason, String)>;

/// A value as messages show it: JSON, cut to 80 characters.
fn shown(value: &Value) -> String {
    cut(&value.to_string())
}

fn structural(check: &Check, token: Token) -> Found {
    let claims = token.claims;
    match check {
        Check::Typ {
            expected,
            absent_ok,
        } => typ(token.header, expected, *absent_ok),
        Check::Present(claim) => absent(claims, claim),
        Check::AnyOf(names) => {
            let any = names.iter().any(|n| absent(claims, n).is_none());
            let listed = names.join(" nor ");
            (!any).then(|| (Reason::MissingClaim, format!("neither {listed} is present")))
        }
        Check::Absent { claim, why } => claims.contains_key(*claim).then(|| {
            (
                Reason::ProfileViolation,
                format!("{claim} is present: {why}"),
            )
        }),
        Check::StringWhenPresent(claim) => match claims.get(*claim) {
            None | Some(Value::String(_)) => None,
            Some(other) => Some((
                Reason::ProfileViolation,
                format!("{claim} is {}, not a string", kind_of(other)),
            )),
        },
        Check::LogoutEvent => logout_event(claims.get("events")?),
        Check::IssIsSub => iss_is_sub(claims.get("iss")?, claims.get("sub")?),
        Check::SdJwt => (token.sd == Some(false)).then(|| {
            (
                Reason::ProfileViolation,
                "a plain JWS, not an SD-JWT (no ~ after the issuer JWT)".into(),
            )
        }),
        _ => None,
    }
}

/// The header `typ` is one of `expected` (or absent, when that is fine).
fn typ(header: &Map<String, Value>, expected: &[&str], absent_ok: bool) -> Found {
    let wanted = expected.join(" or ");
    let got = match header.get("typ") {
        None if absent_ok => return None,
        None => "absent".to_string(),
        Some(Value::String(typ)) if expected.iter().any(|e| same_typ(typ, e)) => return None,
        Some(other) => shown(other),
    };
    let or_none = if absent_ok { " (or none)" } else { "" };
    let what = format!("header typ is {got}, expected {wanted}{or_none}");
    Some((Reason::WrongType, what))
}

/// `events` is an object holding the logout event, whose value is an object.
fn logout_event(events: &Value) -> Found {
    let what = match events {
        Value::Object(events) => match events.get(LOGOUT_EVENT) {
            Some(Value::Object(_)) => return None,
            None => format!("events has no {LOGOUT_EVENT} member"),
            Some(other) => format!(
                "events' {LOGOUT_EVENT} member is {}, not an object",
                kind_of(other)
            ),
        },
        Value::Null => return None,
        other => format!("events is {}, not an object", kind_of(other)),
    };
    Some((Reason::ProfileViolation, what))
}

/// `iss` and `sub` are the same string (nulls are `missing_claim`'s).
fn iss_is_sub(iss: &Value, sub: &Value) -> Found {
    let what = match (iss, sub) {
        (Value::String(iss), Value::String(sub)) if iss == sub => return None,
        (Value::Null, _) | (_, Value::Null) => return None,
        (Value::String(iss), Value::String(sub)) => format!(
            "iss {:?} differs from sub {:?}: a client authenticating names itself in both",
            cut(iss),
            cut(sub)
        ),
        (iss, sub) => format!(
            "iss is {} and sub {}: both must be the client's id, a string",
            kind_of(iss),
            kind_of(sub)
        ),
    };
    Some((Reason::ProfileViolation, what))
}

/// `missing_claim` when the claim is absent or null.
fn absent(claims: &Map<String, Value>, claim: &str) -> Found {
    match claims.get(claim) {
        None => Some((Reason::MissingClaim, format!("{claim} is absent"))),
        Some(Value::Null) => Some((Reason::MissingClaim, format!("{claim} is null"))),
        Some(_) => None,
    }
}

fn flagged(check: &Check, token: Token, expect: &Expect, clock: Clock) -> Found {
    let claims = token.claims;
    match check {
        Check::ClientIdInAud => {
            let aud = claims.get("aud").filter(|a| !a.is_null())?;
            client_id_in_aud(aud, expect.client_id.as_deref()?)
        }
        Check::ClientIdIsIss => {
            let client_id = expect.client_id.as_deref()?;
            match claims.get("iss").filter(|i| !i.is_null())? {
                Value::String(iss) if iss == client_id => None,
                other => Some((
                    Reason::ProfileViolation,
                    format!(
                        "iss is {}, expected the client id {client_id:?}",
                        shown(other)
                    ),
                )),
            }
        }
        Check::Nonce => {
            let nonce = expect.nonce.as_deref()?;
            needed(claims, "nonce", Flag::Nonce).or_else(|| match claims.get("nonce")? {
                Value::String(got) if got == nonce => None,
                other => Some((
                    Reason::ProfileViolation,
                    format!("nonce is {}, expected {:?}", shown(other), cut(nonce)),
                )),
            })
        }
        Check::AtHash => {
            let access_token = expect.access_token.as_deref()?;
            half_hash(token, "at_hash", access_token, Flag::AccessToken)
        }
        Check::CHash => half_hash(token, "c_hash", expect.code.as_deref()?, Flag::Code),
        Check::MaxAge => {
            let max_age = expect.max_age?;
            needed(claims, "auth_time", Flag::MaxAge)
                .or_else(|| auth_time(claims.get("auth_time")?, max_age, clock))
        }
        Check::CnfForKeyBinding if expect.require_kb => needed(claims, "cnf", Flag::RequireKb),
        _ => None,
    }
}

/// `missing_claim` for a claim a flag needs.
fn needed(claims: &Map<String, Value>, claim: &str, flag: Flag) -> Found {
    let (reason, what) = absent(claims, claim)?;
    Some((reason, format!("{what}, and {} needs it", flag.name())))
}

/// `aud` (a string or an array) holds the client id; `wrong_audience` if not.
fn client_id_in_aud(aud: &Value, client_id: &str) -> Found {
    let holds = match aud {
        Value::String(one) => one == client_id,
        Value::Array(many) => many.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    };
    (!holds).then(|| {
        let what = format!("aud is {}, without the client id {client_id:?}", shown(aud));
        (Reason::WrongAudience, what)
    })
}

/// `auth_time` is a NumericDate no more than `max_age` (and the leeway) ago.
fn auth_time(value: &Value, max_age: i64, clock: Clock) -> Found {
    let at = match NumericDate::read(value) {
        NumericDate::At(at) => at,
        NumericDate::NotANumber(kind) => {
            let what = format!("auth_time is {kind}, not a NumericDate");
            return Some((Reason::ProfileViolation, what));
        }
    };
    let limit = at + max_age as f64 + clock.leeway as f64;
    (clock.now as f64 > limit).then(|| {
        let what = format!(
            "the user authenticated {} ({}), longer ago than --max-age {} allows",
            time::relative(at, clock.now),
            time::format_utc(at),
            time::format_span(max_age as f64)
        );
        (Reason::ProfileViolation, what)
    })
}

/// `at_hash` or `c_hash` against the half hash of `value` by the token's algorithm.
fn half_hash(token: Token, claim: &str, value: &str, flag: Flag) -> Found {
    if let Some(missing) = needed(token.claims, claim, flag) {
        return Some(missing);
    }
    let Some(alg) = token.alg else {
        return Some((
            Reason::ProfileViolation,
            format!("{claim} can't be checked: the token's alg names no hash"),
        ));
    };
    let want = hash::half_hash(alg, value.as_bytes());
    match token.claims.get(claim)? {
        Value::String(got) if *got == want => None,
        other => Some((
            Reason::ProfileViolation,
            format!(
                "{claim} is {}, but the left half of the {} hash of {} is {want:?}",
                shown(other),
                sha_name(alg),
                flag.name()
            ),
        )),
    }
}

fn sha_name(alg: Algorithm) -> &'static str {
    match alg.hash() {
        crate::alg::Sha::Sha256 => "SHA-256",
        crate::alg::Sha::Sha384 => "SHA-384",
        crate::alg::Sha::Sha512 => "SHA-512",
    }
}

#[cfg(test)]
mod tests;
