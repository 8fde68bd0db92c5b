//! `POST /token` (RFC 6749 §3.2), without HTTP: the body and the two headers that matter in,
//! a status and a JSON body out. Client authentication by `client_secret_basic` (credentials
//! form-urldecoded, RFC 6749 §2.3.1) or `client_secret_post`; the `client_credentials`
//! grant (§4.4) for confidential clients; responses as §5.1 and §5.2.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use crate::serve::clients::{Caller, Presented, Registry};
use crate::serve::config::is_scope_token;
use crate::serve::form::{self, Form};
use crate::serve::signing::Keys;
use crate::serve::tokens::AccessToken;
use crate::serve::urls;

/// The grant types this server implements, as discovery lists them.
pub const GRANT_TYPES: [&str; 1] = ["client_credentials"];

/// The client authentication methods this server implements, as discovery lists them.
pub const AUTH_METHODS: [&str; 2] = ["client_secret_basic", "client_secret_post"];

/// A token request, as far as the endpoint reads it.
pub struct TokenRequest<'a> {
    /// The `Content-Type` header.
    pub content_type: Option<&'a [u8]>,
    /// The `Authorization` header.
    pub authorization: Option<&'a [u8]>,
    /// The body.
    pub body: &'a [u8],
}

/// What the server issues tokens as.
pub struct Issuing<'a> {
    /// The issuer URL.
    pub issuer: &'a str,
    /// The lifetime of access tokens, unless the client has its own.
    pub ttl: u64,
    /// The time now.
    pub now: i64,
}

/// The answer: status, JSON body, and what the request log shows.
#[derive(Debug)]
pub struct Reply {
    /// 200, 400, 401 or 500.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
    /// Whether to send `WWW-Authenticate: Basic` (a failed Basic authentication).
    pub basic_challenge: bool,
    /// The `client_id` the request named.
    pub client_id: Option<String>,
    /// The `grant_type` the request named.
    pub grant_type: Option<String>,
}

/// An RFC 6749 §5.2 error: the code and a description (fixed text, never what was sent).
struct Refusal {
    status: u16,
    code: &'static str,
    description: String,
}

fn refuse(code: &'static str, description: impl Into<String>) -> Refusal {
    let status = if code == "invalid_client" { 401 } else { 400 };
    Refusal {
        status,
        code,
        description: description.into(),
    }
}

/// Answer one token request.
pub fn handle(
    request: &TokenRequest,
    registry: &Registry,
    keys: &Keys,
    issuing: &Issuing,
) -> Reply {
    let mut reply = Reply {
        status: 200,
        body: Vec::new(),
        basic_challenge: false,
        client_id: None,
        grant_type: None,
    };
    match answer(request, registry, keys, issuing, &mut reply) {
        Ok(body) => reply.body = body,
        Err(refusal) => {
            reply.status = refusal.status;
            reply.basic_challenge = refusal.status == 401 && request.authorization.is_some();
            reply.body = error_body(refusal.code, &refusal.description);
        }
    }
    reply
}

/// An RFC 6749 §5.2 error body.
pub fn error_body(code: &str, description: &str) -> Vec<u8> {
    let mut body = serde_json::to_vec(&json!({"error": code, "error_description": description}))
        .unwrap_or_default();
    body.push(b'\n');
    body
}

fn answer(
    request: &TokenRequest,
    registry: &Registry,
    keys: &Keys,
    issuing: &Issuing,
    reply: &mut Reply,
) -> Result<Vec<u8>, Refusal> {
    if !is_form(request.content_type) {
        return Err(refuse(
            "invalid_request",
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let form = Form::parse(request.body).map_err(|e| refuse("invalid_request", e.describe()))?;
    reply.grant_type = form.get("grant_type").map(String::from);
    let presented = presented(request.authorization, &form)?;
    reply.client_id.clone_from(&presented.id);
    let caller = registry
        .authenticate(&presented)
        .map_err(|e| refuse("invalid_client", e.describe()))?;
    match form.get("grant_type") {
        None => Err(refuse("invalid_request", "grant_type is missing")),
        Some("client_credentials") => client_credentials(&form, &caller, keys, issuing),
        Some(_) => Err(refuse(
            "unsupported_grant_type",
            format!(
                "this server implements the grant types: {}",
                GRANT_TYPES.join(", ")
            ),
        )),
    }
}

/// The media type is `application/x-www-form-urlencoded` (parameters such as `charset`
/// aside).
fn is_form(content_type: Option<&[u8]>) -> bool {
    let Some(value) = content_type.and_then(|v| std::str::from_utf8(v).ok()) else {
        return false;
    };
    let media = value.split(';').next().unwrap_or_default().trim();
    media.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// What the request presents to authenticate: Basic credentials or the body's `client_id`
/// and `client_secret` — never both (RFC 6749 §2.3).
fn presented(authorization: Option<&[u8]>, form: &Form) -> Result<Presented, Refusal> {
    let assertion =
        form.get("client_assertion").is_some() || form.get("client_assertion_type").is_some();
    let Some(header) = authorization else {
        return Ok(Presented {
            id: form.get("client_id").map(String::from),
            secret: form
                .get("client_secret")
                .map(|s| Zeroizing::new(s.to_string())),
            assertion,
        });
    };
    let (id, secret) = basic(header).ok_or_else(|| {
        refuse(
            "invalid_client",
            "the Authorization header is not Basic client credentials (RFC 6749 section 2.3.1)",
        )
    })?;
    if form.get("client_secret").is_some() || assertion {
        return Err(refuse(
            "invalid_request",
            "the client authenticates twice: Basic credentials and the body",
        ));
    }
    if form
        .get("client_id")
        .is_some_and(|body_id| body_id != id.as_str())
    {
        return Err(refuse(
            "invalid_request",
            "the client_id in the body differs from the Basic credentials",
        ));
    }
    Ok(Presented {
        id: Some(id.to_string()),
        secret: (!secret.is_empty()).then_some(secret),
        assertion: false,
    })
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))`: the id and secret.
fn basic(header: &[u8]) -> Option<(Zeroizing<String>, Zeroizing<String>)> {
    let text = std::str::from_utf8(header).ok()?;
    let (scheme, credentials) = text.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = Zeroizing::new(STANDARD.decode(credentials.trim()).ok()?);
    let at = decoded.iter().position(|&b| b == b':')?;
    let id = form::decode(&decoded[..at]).ok()?;
    let secret = form::decode(&decoded[at + 1..]).ok()?;
    (!id.is_empty()).then_some((id, secret))
}

/// RFC 6749 §4.4: a confidential client asks for a token for itself.
fn client_credentials(
    form: &Form,
    caller: &Caller,
    keys: &Keys,
    issuing: &Issuing,
) -> Result<Vec<u8>, Refusal> {
    if !caller.confidential {
        let why = match caller.declared {
            Some(_) => "this client is public: client_credentials is for confidential clients",
            None => {
                "client_credentials is for confidential clients: send a client secret (any secret, in open mode)"
            }
        };
        return Err(refuse("unauthorized_client", why));
    }
    let scope = granted_scope(form.get("scope"), caller)?;
    let aud = audience(&form.all("resource"), caller, issuing.issuer)?;
    let declared = caller.declared;
    let ttl = declared.and_then(|c| c.ttl).unwrap_or(issuing.ttl);
    let empty = serde_json::Map::new();
    let token = AccessToken {
        issuer: issuing.issuer,
        sub: &caller.id,
        aud,
        client_id: &caller.id,
        scope: &scope,
        ttl,
        extra: declared.map_or(&empty, |c| &c.claims),
    };
    let jwt = token.sign(keys, issuing.now).map_err(|_| Refusal {
        status: 500,
        code: "server_error",
        description: "signing the token failed".into(),
    })?;
    let mut body = serde_json::to_vec(&json!({
        "access_token": jwt,
        "token_type": "Bearer",
        "expires_in": ttl,
        "scope": scope,
    }))
    .unwrap_or_default();
    body.push(b'\n');
    Ok(body)
}

/// The scope granted: the one asked for (each scope among the client's, when it lists
/// them), else every scope the client lists, else none.
fn granted_scope(asked: Option<&str>, caller: &Caller) -> Result<String, Refusal> {
    let allowed = caller.declared.and_then(|c| c.scopes.as_ref());
    let Some(asked) = asked else {
        return Ok(allowed.map(|s| s.join(" ")).unwrap_or_default());
    };
    let mut granted: Vec<&str> = Vec::new();
    for scope in asked.split(' ').filter(|s| !s.is_empty()) {
        if !is_scope_token(scope) {
            return Err(refuse(
                "invalid_scope",
                "the scope is not a list of scope tokens",
            ));
        }
        if allowed.is_some_and(|allowed| !allowed.iter().any(|a| a == scope)) {
            return Err(refuse(
                "invalid_scope",
                "a scope asked for is not allowed for this client",
            ));
        }
        if !granted.contains(&scope) {
            granted.push(scope);
        }
    }
    Ok(granted.join(" "))
}

/// `aud`: the `resource` parameters (RFC 8707), each among the client's audiences when it
/// has some; else the client's audience; else the issuer.
fn audience(resources: &[&str], caller: &Caller, issuer: &str) -> Result<Value, Refusal> {
    let configured = caller.declared.and_then(|c| c.audience.as_ref());
    if resources.is_empty() {
        return Ok(configured
            .cloned()
            .unwrap_or_else(|| Value::String(issuer.into())));
    }
    let allowed: Option<Vec<&str>> = configured.map(|aud| match aud {
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        other => other.as_str().into_iter().collect(),
    });
    let mut aud: Vec<&str> = Vec::new();
    for resource in resources {
        if !urls::is_absolute_without_fragment(resource) {
            return Err(refuse(
                "invalid_target",
                "a resource is not an absolute URI without fragment (RFC 8707 section 2)",
            ));
        }
        if allowed.as_ref().is_some_and(|a| !a.contains(resource)) {
            return Err(refuse(
                "invalid_target",
                "a resource is not among this client's audiences",
            ));
        }
        if !aud.contains(resource) {
            aud.push(resource);
        }
    }
    Ok(match aud.as_slice() {
        [one] => Value::String(one.to_string()),
        many => many.iter().map(|s| Value::String(s.to_string())).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config;

    fn registry(text: &str) -> Registry {
        Registry::new(config::parse(text.as_bytes()).unwrap(), &[]).unwrap()
    }

    fn ask(registry: &Registry, auth: Option<&str>, body: &str) -> (u16, Value, bool) {
        let keys = Keys::ephemeral().unwrap();
        let request = TokenRequest {
            content_type: Some(b"application/x-www-form-urlencoded; charset=UTF-8"),
            authorization: auth.map(str::as_bytes),
            body: body.as_bytes(),
        };
        let issuing = Issuing {
            issuer: "http://127.0.0.1:1",
            ttl: 900,
            now: 1000,
        };
        let reply = handle(&request, registry, &keys, &issuing);
        (
            reply.status,
            serde_json::from_slice(&reply.body).unwrap(),
            reply.basic_challenge,
        )
    }

    fn claims(reply: &Value) -> Value {
        let token = reply["access_token"].as_str().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn open_mode() {
        let open = registry("{}");
        let (status, reply, _) = ask(
            &open,
            None,
            "grant_type=client_credentials&client_id=svc&client_secret=x&scope=a+b+a",
        );
        assert_eq!(status, 200, "{reply}");
        assert_eq!(reply["scope"], "a b");
        assert_eq!(reply["token_type"], "Bearer");
        let first = claims(&reply);
        assert_eq!(
            (first["sub"].as_str(), first["aud"].as_str()),
            (Some("svc"), Some("http://127.0.0.1:1"))
        );
        let _ = first;
        let (status, reply, _) = ask(&open, None, "grant_type=client_credentials&client_id=svc");
        assert_eq!(
            (status, reply["error"].as_str()),
            (400, Some("unauthorized_client"))
        );
        let (status, reply, _) = ask(&open, None, "grant_type=client_credentials");
        assert_eq!(
            (status, reply["error"].as_str()),
            (401, Some("invalid_client"))
        );
        // Basic: form-urldecoded credentials.
        let basic = format!("Basic {}", STANDARD.encode("my%3Aapp:p%40ss+word"));
        let (status, reply, challenge) = ask(
            &open,
            Some(&basic),
            "grant_type=client_credentials&resource=https://a&resource=https://b",
        );
        assert_eq!(status, 200, "{reply}");
        assert!(!challenge);
        let claims = claims(&reply);
        assert_eq!(claims["client_id"], "my:app");
        assert_eq!(claims["aud"], json!(["https://a", "https://b"]));
    }

    #[test]
    fn errors() {
        let declared = registry(
            r#"{"clients":[{"client_id":"svc","client_secret":"s3cret","audience":"api","scopes":["read"],"ttl":60}]}"#,
        );
        let good = "client_id=svc&client_secret=s3cret";
        let cases = [
            (
                None,
                format!("grant_type=client_credentials&{good}"),
                200,
                "",
            ),
            (None, good.to_string(), 400, "invalid_request"),
            (
                None,
                format!("grant_type=password&{good}"),
                400,
                "unsupported_grant_type",
            ),
            (
                None,
                format!("grant_type=client_credentials&grant_type=x&{good}"),
                400,
                "invalid_request",
            ),
            (
                None,
                format!("grant_type=client_credentials&{good}&scope=write"),
                400,
                "invalid_scope",
            ),
            (
                None,
                format!("grant_type=client_credentials&{good}&resource=https://other"),
                400,
                "invalid_target",
            ),
            (
                None,
                format!("grant_type=client_credentials&{good}&resource=api%23x"),
                400,
                "invalid_target",
            ),
            (
                None,
                format!("grant_type=client_credentials&{good}&x=%zz"),
                400,
                "invalid_request",
            ),
            (
                None,
                "grant_type=client_credentials&client_id=svc&client_secret=no".into(),
                401,
                "invalid_client",
            ),
            (
                None,
                "grant_type=client_credentials&client_id=who&client_secret=x".into(),
                401,
                "invalid_client",
            ),
            (
                Some("Bearer abc"),
                "grant_type=client_credentials".into(),
                401,
                "invalid_client",
            ),
            (
                Some("Basic !!!"),
                "grant_type=client_credentials".into(),
                401,
                "invalid_client",
            ),
            (
                Some("Basic c3ZjOnMzY3JldA=="),
                "grant_type=client_credentials&client_secret=s3cret".to_string(),
                400,
                "invalid_request",
            ),
            (
                Some("Basic c3ZjOnMzY3JldA=="),
                "grant_type=client_credentials&client_id=other".into(),
                400,
                "invalid_request",
            ),
            (
                Some("Basic c3ZjOnMzY3JldA=="),
                "grant_type=client_credentials&scope=read".into(),
                200,
                "",
            ),
        ];
        for (auth, body, status, code) in cases {
            let (got, reply, challenge) = ask(&declared, auth, &body);
            assert_eq!(got, status, "{body}: {reply}");
            if status == 200 {
                assert_eq!(reply["scope"], "read");
                assert_eq!(reply["expires_in"], 60);
                assert_eq!(claims(&reply)["aud"], "api");
            } else {
                assert_eq!(reply["error"], code, "{body}");
                let description = reply["error_description"].as_str().unwrap();
                assert!(
                    description
                        .bytes()
                        .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\')
                );
                assert!(!description.contains("s3cret") && !description.contains("zz"));
            }
            assert_eq!(challenge, status == 401 && auth.is_some());
        }
        let keys = Keys::ephemeral().unwrap();
        let issuing = Issuing {
            issuer: "x",
            ttl: 1,
            now: 1,
        };
        for content_type in [None, Some(&b"application/json"[..])] {
            let request = TokenRequest {
                content_type,
                authorization: None,
                body: b"grant_type=client_credentials",
            };
            let reply = handle(&request, &declared, &keys, &issuing);
            assert_eq!(reply.status, 400);
        }
    }
}
