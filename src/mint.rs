//! Building a new token: the claims set from a base object and flags, the header, and the
//! compact serialization signed by a [`Signer`].

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::crypto::Signer;
use crate::error::{KeyUse, Result, Usage};
use crate::json;
use crate::time::When;

/// Parse `NAME=VALUE` (a string) or `NAME:=JSON` (any JSON value), the httpie/xh convention.
pub fn parse_assignment(text: &str) -> std::result::Result<(String, Value), String> {
    let Some(eq) = text.find('=') else {
        return Err(format!("{text:?} is not NAME=VALUE or NAME:=JSON"));
    };
    let (name, value) = (&text[..eq], &text[eq + 1..]);
    if let Some(name) = name.strip_suffix(':') {
        if name.is_empty() {
            return Err("the name before := is empty".into());
        }
        let value = json::parse_value(value.as_bytes())
            .map_err(|e| format!("the value of {name} is {e}; for a string write {name}=VALUE"))?;
        return Ok((name.to_string(), value));
    }
    if name.is_empty() {
        return Err("the name before = is empty".into());
    }
    Ok((name.to_string(), Value::String(value.to_string())))
}

/// `--jti`: a given id, or `auto` for 128 random bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jti {
    /// This id.
    Given(String),
    /// A fresh random id.
    Auto,
}

/// Everything that decides the claims of a new token.
#[derive(Debug, Clone, Default)]
pub struct ClaimsSpec {
    /// The base object (`--claims`); everything else wins over it.
    pub base: Map<String, Value>,
    /// `--claim` assignments, in order.
    pub assignments: Vec<(String, Value)>,
    /// `--iss`.
    pub iss: Option<String>,
    /// `--sub`.
    pub sub: Option<String>,
    /// `--aud`: one gives a string, several an array.
    pub aud: Vec<String>,
    /// `--jti`.
    pub jti: Option<Jti>,
    /// `--exp`; `None` means the default (`+15m`) unless the base has one.
    pub exp: Option<When>,
    /// `--no-exp`.
    pub no_exp: bool,
    /// `--nbf`.
    pub nbf: Option<When>,
    /// `--iat`; `None` means now unless the base has one.
    pub iat: Option<When>,
    /// `--no-iat`.
    pub no_iat: bool,
}

/// The default lifetime of a minted token.
pub const DEFAULT_LIFETIME: When = When::Offset(15 * 60);

impl ClaimsSpec {
    /// The claims set, with time claims resolved against `now`. Order: the base's members,
    /// then `--claim`s, then the registered claims set by flags (each replacing an earlier
    /// value in place), then `iat`, `nbf`, `exp`.
    pub fn build(&self, now: i64) -> Map<String, Value> {
        let mut claims = self.base.clone();
        for (name, value) in &self.assignments {
            claims.insert(name.clone(), value.clone());
        }
        let strings = [("iss", &self.iss), ("sub", &self.sub)];
        for (name, value) in strings {
            if let Some(value) = value {
                claims.insert(name.into(), Value::String(value.clone()));
            }
        }
        match self.aud.as_slice() {
            [] => {}
            [one] => drop(claims.insert("aud".into(), Value::String(one.clone()))),
            many => drop(claims.insert(
                "aud".into(),
                many.iter().cloned().map(Value::String).collect(),
            )),
        }
        match &self.jti {
            Some(Jti::Given(id)) => drop(claims.insert("jti".into(), Value::String(id.clone()))),
            Some(Jti::Auto) => drop(claims.insert("jti".into(), Value::String(random_id()))),
            None => {}
        }
        if self.no_iat {
            claims.remove("iat");
        } else {
            set_time(&mut claims, "iat", self.iat, Some(When::Offset(0)), now);
        }
        set_time(&mut claims, "nbf", self.nbf, None, now);
        if self.no_exp {
            claims.remove("exp");
        } else {
            set_time(&mut claims, "exp", self.exp, Some(DEFAULT_LIFETIME), now);
        }
        claims
    }
}

/// Set a time claim to the given instant, or to `default` when neither a flag nor an
/// earlier source (the base, a `--claim`) set it.
fn set_time(
    claims: &mut Map<String, Value>,
    name: &str,
    given: Option<When>,
    default: Option<When>,
    now: i64,
) {
    let when = given.or(default.filter(|_| !claims.contains_key(name)));
    if let Some(when) = when {
        claims.insert(name.into(), Value::from(when.resolve(now)));
    }
}

/// 128 random bits from the OS CSPRNG, base64url: a `jti`, or a kid for an HMAC key.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    // Never fails: aws-lc's RAND_bytes returns 1 or aborts the process (no entropy at all).
    aws_lc_rs::rand::fill(&mut bytes)
        .expect("the operating system's random number generator failed");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The protected header: `alg`, `typ` (unless empty), `kid`, then `--header` members.
/// `alg` itself cannot be set by `--header`: it is the algorithm that signs.
pub fn build_header(
    alg: &str,
    typ: &str,
    kid: Option<&str>,
    extra: &[(String, Value)],
) -> Result<Map<String, Value>> {
    let mut header = Map::new();
    header.insert("alg".into(), Value::String(alg.into()));
    if !typ.is_empty() {
        header.insert("typ".into(), Value::String(typ.into()));
    }
    if let Some(kid) = kid {
        header.insert("kid".into(), Value::String(kid.into()));
    }
    for (name, value) in extra {
        if name == "alg" {
            return Err(Usage::HeaderAlg.into());
        }
        header.insert(name.clone(), value.clone());
    }
    Ok(header)
}

/// Serialize, encode and sign: the compact token.
pub fn sign(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    signer: &Signer,
) -> Result<String> {
    let encode = |map: &Map<String, Value>| {
        serde_json::to_vec(map)
            .map(|json| URL_SAFE_NO_PAD.encode(json))
            .map_err(|_| KeyUse::CryptoFailed {
                what: "serialising the token".into(),
            })
    };
    let mut token = encode(header)?;
    token.push('.');
    token.push_str(&encode(claims)?);
    let signature = signer
        .sign(token.as_bytes())
        .map_err(|e| KeyUse::CryptoFailed {
            what: format!("signing with {}", e.0),
        })?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn assignments() {
        assert_eq!(
            parse_assignment("role=admin"),
            Ok(("role".into(), json!("admin")))
        );
        assert_eq!(
            parse_assignment("url=a=b"),
            Ok(("url".into(), json!("a=b")))
        );
        assert_eq!(parse_assignment("n:=5"), Ok(("n".into(), json!(5))));
        assert_eq!(parse_assignment("n=5"), Ok(("n".into(), json!("5"))));
        assert_eq!(
            parse_assignment("roles:=[\"a\",\"b\"]"),
            Ok(("roles".into(), json!(["a", "b"])))
        );
        assert!(parse_assignment("n:=five").is_err());
        assert!(parse_assignment("novalue").is_err());
        assert!(parse_assignment("=x").is_err());
        assert!(parse_assignment(":=1").is_err());
    }

    #[test]
    fn claims_defaults_and_precedence() {
        let spec = ClaimsSpec {
            base: json!({"sub": "base", "x": 1}).as_object().unwrap().clone(),
            assignments: vec![("x".into(), json!(2))],
            sub: Some("flag".into()),
            aud: vec!["a".into(), "b".into()],
            ..ClaimsSpec::default()
        };
        let claims = spec.build(1000);
        assert_eq!(
            Value::Object(claims),
            json!({"sub": "flag", "x": 2, "aud": ["a", "b"], "iat": 1000, "exp": 1900})
        );
        let spec = ClaimsSpec {
            no_exp: true,
            no_iat: true,
            aud: vec!["one".into()],
            ..ClaimsSpec::default()
        };
        assert_eq!(Value::Object(spec.build(1000)), json!({"aud": "one"}));
        let base = json!({"exp": 5, "iat": 4}).as_object().unwrap().clone();
        let spec = ClaimsSpec {
            base,
            ..ClaimsSpec::default()
        };
        assert_eq!(
            Value::Object(spec.build(1000)),
            json!({"exp": 5, "iat": 4}),
            "the base's times stay"
        );
    }
}
