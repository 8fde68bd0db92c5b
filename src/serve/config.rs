//! The config file (`--config`, JSON): declared clients and users, read strictly. Every
//! member is checked against the schema; an unknown one is an error naming where it is, so a
//! typo never silently changes what the server does. Errors name members, never a secret.

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::json;
use crate::serve::urls::{self, HttpUrl};

/// The longest lifetime a token may be given (`--ttl`, a client's `ttl`): a year.
pub const MAX_TTL: u64 = 366 * 86_400;

/// Claims the server sets itself, which a client's `claims` may not.
const SERVER_CLAIMS: [&str; 10] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "client_id",
    "scope",
    "cnf",
];

/// Claims the server sets in ID tokens and userinfo, which a user's claims may not.
const USER_SET: [&str; 17] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "jti",
    "auth_time",
    "nonce",
    "at_hash",
    "c_hash",
    "azp",
    "acr",
    "amr",
    "sid",
    "cnf",
    "client_id",
];

const CLIENT_MEMBERS: [&str; 10] = [
    "client_id",
    "client_secret",
    "jwk",
    "jwks",
    "jwks_uri",
    "redirect_uris",
    "scopes",
    "audience",
    "claims",
    "ttl",
];

/// A parsed config file.
#[derive(Default)]
pub struct Config {
    /// The clients, in order.
    pub clients: Vec<ClientConfig>,
    /// Users: `sub` and the claims ID tokens and userinfo give them.
    pub users: Map<String, Value>,
}

/// How a client authenticates.
pub enum Credential {
    /// It does not: a public client.
    None,
    /// `client_secret_basic` or `client_secret_post` with this secret.
    Secret(Zeroizing<String>),
    /// `private_key_jwt` with this public key (`jwk`), set (`jwks`) or set URL (`jwks_uri`).
    Keys(KeySource),
}

/// Where a `private_key_jwt` client's keys are.
#[derive(Debug, Clone, PartialEq)]
pub enum KeySource {
    /// One JWK.
    Jwk(Map<String, Value>),
    /// A JWK Set.
    Jwks(Map<String, Value>),
    /// A JWK Set's URL.
    JwksUri(String),
}

/// One client of the config file.
pub struct ClientConfig {
    /// The `client_id`.
    pub client_id: String,
    /// How it authenticates.
    pub credential: Credential,
    /// Its redirect URIs.
    pub redirect_uris: Vec<String>,
    /// The scopes it may ask for; `None` grants any.
    pub scopes: Option<Vec<String>>,
    /// Its audience, as written: a string or an array of strings.
    pub audience: Option<Value>,
    /// Claims added to its access tokens.
    pub claims: Map<String, Value>,
    /// Its access tokens' lifetime, in seconds.
    pub ttl: Option<u64>,
}

impl ClientConfig {
    /// A public client with nothing configured but its id (`--client`, and where a config
    /// entry starts).
    pub fn public(client_id: String) -> ClientConfig {
        ClientConfig {
            client_id,
            credential: Credential::None,
            redirect_uris: Vec::new(),
            scopes: None,
            audience: None,
            claims: Map::new(),
            ttl: None,
        }
    }
}

/// Parse a config file's bytes. The error names the member at fault.
pub fn parse(bytes: &[u8]) -> Result<Config, String> {
    let root = json::parse_object(bytes).map_err(|e| e.to_string())?;
    let mut config = Config::default();
    for (name, value) in root {
        match name.as_str() {
            "clients" => {
                let items = value.as_array().ok_or("\"clients\" is not an array")?;
                for (i, item) in items.iter().enumerate() {
                    let client = client(item, i)?;
                    if config
                        .clients
                        .iter()
                        .any(|c| c.client_id == client.client_id)
                    {
                        return Err(format!(
                            "clients[{i}]: client_id {:?} is declared twice",
                            crate::text::cut(&client.client_id)
                        ));
                    }
                    config.clients.push(client);
                }
            }
            "users" => config.users = users(value)?,
            other => return Err(unknown(other, "the top level", &["clients", "users"])),
        }
    }
    Ok(config)
}

fn users(value: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(users) = value else {
        return Err("\"users\" is not an object of sub: {claims}".into());
    };
    for (sub, claims) in &users {
        let Value::Object(claims) = claims else {
            return Err(format!(
                "users.{:?} is not an object of claims",
                crate::text::cut(sub)
            ));
        };
        if let Some(name) = claims.keys().find(|k| USER_SET.contains(&k.as_str())) {
            return Err(format!(
                "users.{:?}.{name} is set by the server (the user's key is its sub)",
                crate::text::cut(sub)
            ));
        }
    }
    Ok(users)
}

fn client(item: &Value, i: usize) -> Result<ClientConfig, String> {
    let Value::Object(members) = item else {
        return Err(format!("clients[{i}] is not an object"));
    };
    let id = match members.get("client_id") {
        Some(Value::String(id)) if is_vschar(id) => id.clone(),
        Some(_) => {
            return Err(format!(
                "clients[{i}].client_id is not a non-empty string of printable ASCII"
            ));
        }
        None => return Err(format!("clients[{i}] has no client_id")),
    };
    let at = format!("clients[{i}] ({:?})", crate::text::cut(&id));
    let mut client = ClientConfig::public(id);
    let credentials = ["client_secret", "jwk", "jwks", "jwks_uri"];
    let given: Vec<&str> = credentials
        .into_iter()
        .filter(|c| members.contains_key(*c))
        .collect();
    if given.len() > 1 {
        return Err(format!(
            "{at} has {}: a client has at most one credential",
            given.join(" and ")
        ));
    }
    for (name, value) in members {
        let wrong = |what: &str| format!("{at}.{name} {what}");
        match name.as_str() {
            "client_id" => {}
            "client_secret" => match value {
                Value::String(s) if !s.is_empty() => {
                    client.credential = Credential::Secret(Zeroizing::new(s.clone()));
                }
                _ => return Err(wrong("is not a non-empty string")),
            },
            "jwk" | "jwks" | "jwks_uri" => client.credential = key_source(name, value, &wrong)?,
            "redirect_uris" => client.redirect_uris = redirect_uris(value, &wrong)?,
            "scopes" => client.scopes = Some(scopes(value, &wrong)?),
            "audience" => client.audience = Some(audience(value, &wrong)?),
            "claims" => client.claims = claims(value, &at)?,
            "ttl" => client.ttl = Some(ttl(value).map_err(|why| wrong(&why))?),
            other => return Err(unknown(other, &at, &CLIENT_MEMBERS)),
        }
    }
    Ok(client)
}

fn key_source(
    name: &str,
    value: &Value,
    wrong: &dyn Fn(&str) -> String,
) -> Result<Credential, String> {
    let source = match (name, value) {
        ("jwk", Value::Object(jwk)) if jwk.contains_key("kty") => KeySource::Jwk(jwk.clone()),
        ("jwks", Value::Object(set)) if set.get("keys").is_some_and(Value::is_array) => {
            KeySource::Jwks(set.clone())
        }
        ("jwks_uri", Value::String(uri)) if HttpUrl::parse(uri).is_ok() => {
            KeySource::JwksUri(uri.clone())
        }
        ("jwk", _) => return Err(wrong("is not a JWK (an object with kty)")),
        ("jwks", _) => return Err(wrong("is not a JWK Set (an object with a keys array)")),
        _ => return Err(wrong("is not an http or https URL")),
    };
    Ok(Credential::Keys(source))
}

fn strings<'a>(value: &'a Value, wrong: &dyn Fn(&str) -> String) -> Result<Vec<&'a str>, String> {
    value
        .as_array()
        .and_then(|items| items.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .ok_or_else(|| wrong("is not an array of strings"))
}

fn redirect_uris(value: &Value, wrong: &dyn Fn(&str) -> String) -> Result<Vec<String>, String> {
    let uris = strings(value, wrong)?;
    for (j, uri) in uris.iter().enumerate() {
        let userinfo = urls::Url::parse(uri)
            .ok()
            .and_then(|u| u.authority)
            .is_some_and(|a| a.userinfo);
        if !urls::is_absolute_without_fragment(uri) || userinfo {
            return Err(wrong(&format!(
                "[{j}] is not an absolute URI without fragment or userinfo (RFC 6749 §3.1.2)"
            )));
        }
    }
    Ok(uris.into_iter().map(String::from).collect())
}

fn scopes(value: &Value, wrong: &dyn Fn(&str) -> String) -> Result<Vec<String>, String> {
    let scopes = strings(value, wrong)?;
    if let Some(j) = scopes.iter().position(|s| !is_scope_token(s)) {
        return Err(wrong(&format!(
            "[{j}] is not a scope token (RFC 6749 §3.3: no spaces, quotes or backslashes)"
        )));
    }
    Ok(scopes.into_iter().map(String::from).collect())
}

fn audience(value: &Value, wrong: &dyn Fn(&str) -> String) -> Result<Value, String> {
    let fine = match value {
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_str().is_some_and(|s| !s.is_empty()))
        }
        _ => false,
    };
    if !fine {
        return Err(wrong(
            "is neither a string nor a non-empty array of strings",
        ));
    }
    Ok(value.clone())
}

fn claims(value: &Value, at: &str) -> Result<Map<String, Value>, String> {
    let Value::Object(claims) = value else {
        return Err(format!("{at}.claims is not an object"));
    };
    if let Some(name) = claims.keys().find(|k| SERVER_CLAIMS.contains(&k.as_str())) {
        let instead = match name.as_str() {
            "aud" => " (declare \"audience\")",
            "scope" => " (declare \"scopes\"; the token request's scope is granted)",
            _ => "",
        };
        return Err(format!("{at}.claims.{name} is set by the server{instead}"));
    }
    Ok(claims.clone())
}

/// A lifetime: `"15m"` (s, m, h, d, w) or whole seconds; more than 0, at most [`MAX_TTL`].
pub fn ttl(value: &Value) -> Result<u64, String> {
    let secs = match value {
        Value::String(text) => {
            text.parse::<crate::time::Duration>()
                .map_err(|e| e.to_string())?
                .0
        }
        Value::Number(n) => n.as_i64().ok_or("is not a whole number of seconds")?,
        _ => return Err("is neither a duration (\"15m\") nor seconds".into()),
    };
    check_ttl(secs)
}

/// A lifetime in seconds, more than 0 and at most [`MAX_TTL`].
pub fn check_ttl(secs: i64) -> Result<u64, String> {
    match u64::try_from(secs) {
        Ok(secs @ 1..=MAX_TTL) => Ok(secs),
        _ => Err(format!(
            "must be more than 0s and at most {MAX_TTL}s (366d)"
        )),
    }
}

/// RFC 6749 §3.3: `1*( %x21 / %x23-5B / %x5D-7E )`.
pub fn is_scope_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
}

/// RFC 6749 Appendix A's VSCHAR: `%x20-7E`, at least one.
fn is_vschar(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x20..=0x7E).contains(&b))
}

fn unknown(name: &str, at: &str, known: &[&str]) -> String {
    format!(
        "unknown member {:?} in {at} (known: {})",
        crate::text::cut(name),
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse(text.as_bytes()) {
            Ok(_) => panic!("accepted {text}"),
            Err(why) => why,
        }
    }

    #[test]
    fn reads_the_schema() {
        let config = parse(
            br#"{"clients":[{"client_id":"svc","client_secret":"s3cret","scopes":["read","write"],
                "audience":["api"],"claims":{"tenant":"t1"},"ttl":"1h","redirect_uris":["http://localhost/cb"]},
                {"client_id":"spa"},{"client_id":"k","jwks_uri":"https://k.example/jwks"}],
                "users":{"alice":{"email":"a@example.com"}}}"#,
        )
        .unwrap();
        assert_eq!(config.clients.len(), 3);
        let svc = &config.clients[0];
        assert!(matches!(&svc.credential, Credential::Secret(s) if s.as_str() == "s3cret"));
        assert_eq!(svc.ttl, Some(3600));
        assert_eq!(
            svc.scopes.as_deref(),
            Some(&["read".to_string(), "write".into()][..])
        );
        assert!(matches!(config.clients[1].credential, Credential::None));
        assert!(matches!(
            config.clients[2].credential,
            Credential::Keys(KeySource::JwksUri(_))
        ));
        assert!(config.users.contains_key("alice"));
    }

    #[test]
    fn names_what_is_wrong_and_never_a_secret() {
        assert!(error(r#"{"client":[]}"#).contains("unknown member \"client\""));
        let why =
            error(r#"{"clients":[{"client_id":"svc","client_secret":"s3cret","scope":["a"]}]}"#);
        assert!(
            why.contains("\"scope\"") && why.contains("clients[0]"),
            "{why}"
        );
        assert!(!why.contains("s3cret"));
        assert!(error(r#"{"clients":[{"client_id":"a"},{"client_id":"a"}]}"#).contains("twice"));
        assert!(
            error(r#"{"clients":[{"client_id":"a","client_secret":"x","jwks_uri":"https://x"}]}"#)
                .contains("at most one credential")
        );
        assert!(error(r#"{"clients":[{"client_id":"a","ttl":0}]}"#).contains("ttl"));
        assert!(error(r#"{"clients":[{"client_id":"a","ttl":"soon"}]}"#).contains("ttl"));
        assert!(
            error(r#"{"clients":[{"client_id":"a","scopes":["a b"]}]}"#).contains("scope token")
        );
        assert!(
            error(r#"{"clients":[{"client_id":"a","claims":{"iss":"x"}}]}"#)
                .contains("set by the server")
        );
        assert!(
            error(r#"{"clients":[{"client_id":"a","redirect_uris":["/cb"]}]}"#)
                .contains("absolute")
        );
        assert!(error(r#"{"clients":[{"client_id":"a","audience":[]}]}"#).contains("audience"));
        assert!(error(r#"{"clients":[{"client_secret":"x"}]}"#).contains("no client_id"));
        assert!(error(r#"{"users":{"a":1}}"#).contains("users"));
        assert!(error(r#"{"users":{"a":{"sub":"b"}}}"#).contains("set by the server"));
        assert!(error(r#"{"clients":[{"client_id":"a"}],"clients":[]}"#).contains("duplicate"));
        assert!(error("[]").contains("not a JSON object"));
    }
}
