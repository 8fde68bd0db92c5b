//! What a token says about itself, before anything is checked: its time claims read as
//! dates, and the warnings a careful reader wants (expired, `alg: none`, key URLs, …).

use serde_json::{Map, Value};

use crate::time::{self, NumericDate, Seconds};
use crate::token::compact::PartSizes;
use crate::token::size::SizeReport;

/// A time claim read as a date, seen from "now".
#[derive(Debug, Clone, PartialEq)]
pub struct TimeNote {
    /// The claim name (`exp`, `nbf`, `iat`, `auth_time`).
    pub claim: &'static str,
    /// Its value in epoch seconds.
    pub at: Seconds,
    /// The UTC date and time (RFC 3339), or a description when out of range.
    pub utc: String,
    /// What it means now: "expired 3h ago", "expires in 14m", "issued 2d ago", …
    pub status: String,
}

/// The span a token is meant to be used in, for the lifetime bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifetime {
    /// `iat` (or `nbf` when there is no `iat`).
    pub start: Seconds,
    /// `exp`.
    pub end: Seconds,
    /// The instant judged.
    pub now: i64,
}

/// The result of looking at a token without verifying it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    /// Time claims that are numbers, in `time::TIME_CLAIMS` order.
    pub times: Vec<TimeNote>,
    /// Where the token sits in its lifetime, when it has `exp` and a start.
    pub lifetime: Option<Lifetime>,
    /// Things a careful reader should know.
    pub warnings: Vec<String>,
}

/// What `decode` and `mint` say about a token: its header and time claims read, and its size.
/// One review for both, so a minted token gets exactly the warnings decoding it would give.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// Times, lifetime, header and time warnings.
    pub inspection: Inspection,
    /// Bytes per part and per claim.
    pub size: SizeReport,
}

impl Review {
    /// Review a token of these part sizes (claims `None` when the payload is not a claims set).
    pub fn new(
        header: &Map<String, Value>,
        claims: Option<&Map<String, Value>>,
        parts: PartSizes,
        now: i64,
    ) -> Self {
        let empty = Map::new();
        Review {
            inspection: inspect(header, claims, now),
            size: SizeReport::new(parts, claims.unwrap_or(&empty)),
        }
    }

    /// Every warning: header and times first, then size budgets.
    pub fn warnings(&self) -> Vec<String> {
        let mut all = self.inspection.warnings.clone();
        all.extend(self.size.warnings());
        all
    }
}

/// An `exp` beyond this (year 5138) is almost certainly in milliseconds.
const MILLISECONDS_HINT: Seconds = 1e11;

/// Look at a header and (when the payload is a claims set) the claims, as of `now`.
pub fn inspect(
    header: &Map<String, Value>,
    claims: Option<&Map<String, Value>>,
    now: i64,
) -> Inspection {
    let mut out = Inspection {
        warnings: header_warnings(header),
        ..Inspection::default()
    };
    let Some(claims) = claims else { return out };
    for claim in time::TIME_CLAIMS {
        match claims.get(claim).map(NumericDate::read) {
            Some(NumericDate::At(at)) => out.times.push(time_note(claim, at, now)),
            Some(NumericDate::NotANumber(kind)) => out.warnings.push(format!(
                "{claim} is {kind}, not a NumericDate (seconds since the epoch); verifiers reject it"
            )),
            None => {}
        }
    }
    let at = |name: &str| out.times.iter().find(|t| t.claim == name).map(|t| t.at);
    let (exp, nbf, iat) = (at("exp"), at("nbf"), at("iat"));
    out.warnings.extend(time_warnings(
        exp,
        nbf,
        iat,
        now,
        // A DPoP proof has no exp by design: its iat and the server's window bound it.
        claims.contains_key("exp") || crate::typ::header_is(header, "dpop+jwt"),
    ));
    if let (Some(end), Some(start)) = (exp, iat.or(nbf)) {
        out.lifetime = Some(Lifetime { start, end, now });
    }
    out
}

fn header_warnings(header: &Map<String, Value>) -> Vec<String> {
    let mut warnings = Vec::new();
    match header.get("alg") {
        Some(Value::String(alg)) if alg.eq_ignore_ascii_case("none") => warnings.push(
            "alg is \"none\": this token is unsigned, and anyone could have written it".to_string(),
        ),
        Some(Value::String(_)) => {}
        Some(other) => warnings.push(format!(
            "alg is {}, not a string",
            crate::json::kind_of(other)
        )),
        None => warnings.push("the header has no alg".to_string()),
    }
    for name in ["jku", "x5u", "jwk", "x5c"] {
        // A DPoP proof carries its key by design (RFC 9449 §4.2): that jwk is no warning.
        if name == "jwk" && crate::typ::header_is(header, "dpop+jwt") {
            continue;
        }
        if header.contains_key(name) {
            warnings.push(format!(
                "the header carries {name}: a verifier must judge with its own keys, never ones the token names or carries"
            ));
        }
    }
    warnings
}

fn time_note(claim: &'static str, at: Seconds, now: i64) -> TimeNote {
    let when = time::relative(at, now);
    let past = at <= now as f64;
    let status = match (claim, past) {
        ("exp", true) => format!("expired {when}"),
        ("exp", false) => format!("expires {when}"),
        ("nbf", true) => format!("valid since {when}"),
        ("nbf", false) => format!("not valid until {when}"),
        ("iat", _) => format!("issued {when}"),
        _ => format!("authenticated {when}"),
    };
    TimeNote {
        claim,
        at,
        utc: time::format_utc(at),
        status,
    }
}

fn time_warnings(
    exp: Option<Seconds>,
    nbf: Option<Seconds>,
    iat: Option<Seconds>,
    now: i64,
    has_exp: bool,
) -> Vec<String> {
    let now_f = now as f64;
    let mut warnings = Vec::new();
    let ago = |at: Seconds| time::relative(at, now);
    match exp {
        Some(exp) if exp >= MILLISECONDS_HINT => warnings.push(format!(
            "exp looks like milliseconds ({}); NumericDates count seconds",
            time::format_utc(exp)
        )),
        Some(exp) if exp <= now_f => warnings.push(format!("expired {}", ago(exp))),
        None if !has_exp => warnings.push(
            "no exp: this token never expires; anyone who copies it keeps access for good"
                .to_string(),
        ),
        _ => {}
    }
    if let Some(nbf) = nbf.filter(|&nbf| nbf > now_f) {
        warnings.push(format!("not valid yet: nbf is {}", ago(nbf)));
    }
    if let Some(iat) = iat.filter(|&iat| iat > now_f) {
        warnings.push(format!(
            "issued in the future: iat is {} (clock skew?)",
            ago(iat)
        ));
    }
    if let (Some(exp), Some(nbf)) = (exp, nbf)
        && nbf > exp
    {
        warnings.push("nbf is after exp: this token can never be valid".to_string());
    }
    if let (Some(exp), Some(start)) = (exp, iat.or(nbf)) {
        let life = exp - start;
        if life > 86_400.0 && exp < MILLISECONDS_HINT {
            warnings.push(format!(
                "lives {}: tokens are meant to be short-lived (minutes, not days)",
                time::format_span(life)
            ));
        }
    }
    warnings
}

/// What a careful reader of an encrypted token's header should know: an algorithm jwtk will
/// not decrypt, a missing `enc`, key URLs.
pub fn jwe_warnings(header: &Map<String, Value>) -> Vec<String> {
    use crate::alg::jwe::{self as alg, ContentAlg, KeyAlg};
    let mut warnings = Vec::new();
    match header.get("alg") {
        Some(Value::String(name)) if name.parse::<KeyAlg>().is_err() => warnings.push(format!(
            "{}; `jwtk decrypt` will refuse it",
            alg::refusal(name)
        )),
        Some(Value::String(_)) => {}
        _ => warnings.push("the header has no alg string".to_string()),
    }
    match header.get("enc") {
        Some(Value::String(name)) if name.parse::<ContentAlg>().is_err() => warnings.push(format!(
            "unknown content encryption {:?}",
            crate::text::cut(name)
        )),
        Some(Value::String(_)) => {}
        _ => warnings.push("the header has no enc string".to_string()),
    }
    for name in ["jku", "x5u", "jwk"] {
        if header.contains_key(name) {
            warnings.push(format!(
                "the header carries {name}: a recipient decrypts with its own keys, never ones the token names"
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(header: Value, claims: Value, now: i64) -> Inspection {
        inspect(header.as_object().unwrap(), claims.as_object(), now)
    }

    #[test]
    fn annotates_time_claims() {
        let i = run(
            json!({"alg":"HS256"}),
            json!({"iat": 1000, "exp": 1900}),
            1060,
        );
        assert_eq!(i.times[0].claim, "exp");
        assert_eq!(i.times[0].status, "expires in 14m");
        assert_eq!(i.times[1].status, "issued 1m ago");
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
        assert_eq!(
            i.lifetime,
            Some(Lifetime {
                start: 1000.0,
                end: 1900.0,
                now: 1060
            })
        );
    }

    #[test]
    fn warns_like_a_careful_reader() {
        let i = run(
            json!({"alg":"none","jku":"https://evil"}),
            json!({"exp": 1_700_000_000_000u64, "nbf": 5000, "iat": 4000, "auth_time": "x"}),
            3000,
        );
        let all = i.warnings.join("\n");
        for needle in [
            "unsigned",
            "jku",
            "milliseconds",
            "not valid yet",
            "future",
            "auth_time is a string",
        ] {
            assert!(all.contains(needle), "missing {needle:?} in {all}");
        }
        let i = run(
            json!({"alg":"HS256"}),
            json!({"nbf": 10, "exp": 5, "iat": 0}),
            100_000,
        );
        let all = i.warnings.join("\n");
        assert!(
            all.contains("expired") && all.contains("nbf is after exp"),
            "{all}"
        );
        let i = run(
            json!({"alg":"HS256"}),
            json!({"iat": 0, "exp": 200_000}),
            100,
        );
        assert!(i.warnings.join("").contains("lives 2d"), "{:?}", i.warnings);
        let i = run(json!({}), json!({}), 0);
        assert!(
            i.warnings.join("").contains("no alg") && i.warnings.join("").contains("never expires")
        );
    }
}
