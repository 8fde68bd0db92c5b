//! `GET /authorize` (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2) without a login page: the
//! user is signed in at once — `login_hint`, else `--user` — and the browser is sent back to
//! the client's `redirect_uri` with `code`, `state` and `iss` (RFC 9207). An error goes back
//! to a valid redirect URI the same way (RFC 6749 §4.1.2.1); without one it is a 400 page that
//! echoes nothing. PKCE (RFC 7636) is S256 only, and required for public clients. What a code
//! keeps is bounded (`limits`): a parameter past its limit is refused, never kept.

use std::borrow::Cow;
use std::sync::Mutex;

use crate::alg::Family;
use crate::serve::clients::Registry;
use crate::serve::config::{Credential, is_scope_token};
use crate::serve::form::Form;
use crate::serve::limits::{self, MAX_CLIENT_ID, MAX_LOGIN_HINT, MAX_NONCE, MAX_STATE};
use crate::serve::signing::Keys;
use crate::serve::store::{CODE_TTL, Code, Grant, Store};

/// The user signed in when neither `login_hint` nor `--user` names one.
pub const DEFAULT_USER: &str = "user";

/// What the endpoint answers.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// 302 to this location.
    Redirect(String),
    /// 400, a `text/plain` page of fixed text.
    Page(&'static str),
}

/// The authorization server's side of one request.
pub struct Authorizing<'a> {
    /// The issuer URL (`iss`, RFC 9207).
    pub issuer: &'a str,
    /// The user when no `login_hint` names one (`--user`).
    pub user: &'a str,
    /// The time now.
    pub now: i64,
    /// Where codes are kept.
    pub store: &'a Mutex<Store>,
}

/// An error sent back to the client (RFC 6749 §4.1.2.1).
struct Back {
    code: &'static str,
    description: Cow<'static, str>,
}

fn back(code: &'static str, description: impl Into<Cow<'static, str>>) -> Back {
    Back {
        code,
        description: description.into(),
    }
}

/// Answer one authorization request whose query is `query`; the `client_id` it named, for
/// the request log.
pub fn handle(
    query: &str,
    registry: &Registry,
    keys: &Keys,
    at: &Authorizing,
) -> (Answer, Option<String>) {
    let Ok(params) = Form::parse(query.as_bytes()) else {
        return (
            Answer::Page("bad request: the query holds a bad escape or a repeated parameter"),
            None,
        );
    };
    let client_id = params.get("client_id").map(String::from);
    let Some(id) = client_id.as_deref() else {
        return (Answer::Page("bad request: client_id is missing"), None);
    };
    let declared = registry.find(id);
    if declared.is_none() && !registry.is_open() {
        return (Answer::Page("bad request: unknown client"), client_id);
    }
    // RFC 6749 §4.1.2.1: an invalid client or redirect URI is never redirected to.
    if declared.is_none() && id.len() > MAX_CLIENT_ID {
        return (Answer::Page(CLIENT_ID_TOO_LONG), None);
    }
    let Some(redirect_uri) = params.get("redirect_uri") else {
        return (
            Answer::Page("bad request: redirect_uri is missing"),
            client_id,
        );
    };
    if redirect_uri.len() > limits::MAX_REDIRECT_URI {
        return (Answer::Page(REDIRECT_URI_TOO_LONG), client_id);
    }
    if !registry.redirect_allowed(declared, redirect_uri) {
        return (
            Answer::Page("bad request: redirect_uri is not one this client may use"),
            client_id,
        );
    }
    let state = params.get("state");
    let location = match code_for(&params, id, registry, keys, at) {
        Ok(code) => redirect(redirect_uri, &[("code", &code)], state, at.issuer),
        Err(err) => redirect(
            redirect_uri,
            &[("error", err.code), ("error_description", &err.description)],
            state,
            at.issuer,
        ),
    };
    (Answer::Redirect(location), client_id)
}

/// The page for a `client_id` past [`MAX_CLIENT_ID`] (the number is checked by a test).
const CLIENT_ID_TOO_LONG: &str = "bad request: client_id is longer than 512 bytes";

/// The page for a `redirect_uri` past [`limits::MAX_REDIRECT_URI`].
const REDIRECT_URI_TOO_LONG: &str = "bad request: redirect_uri is longer than 2048 bytes";

/// Check the request and issue its code.
fn code_for(
    params: &Form,
    id: &str,
    registry: &Registry,
    keys: &Keys,
    at: &Authorizing,
) -> Result<String, Back> {
    lengths(params)?;
    match params.get("response_type") {
        None => return Err(back("invalid_request", "response_type is missing")),
        Some("code") => {}
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "this server implements the response type code",
            ));
        }
    }
    if params.get("response_mode").is_some_and(|m| m != "query") {
        return Err(back(
            "invalid_request",
            "this server answers with response_mode query only",
        ));
    }
    let declared = registry.find(id);
    let scope = scope(
        params.get("scope"),
        declared.and_then(|c| c.scopes.as_deref()),
    )?;
    if scope.split(' ').any(|s| s == "openid") && keys.alg().family() == Family::Hmac {
        return Err(back(
            "invalid_scope",
            "this server signs with an HMAC secret, so it issues no ID token: openid is refused",
        ));
    }
    let challenge = pkce(params)?;
    let public = declared.is_some_and(|c| matches!(c.credential, Credential::None));
    if challenge.is_none() && public {
        return Err(back(
            "invalid_request",
            "a public client must send a code_challenge (PKCE, S256)",
        ));
    }
    let dpop_jkt = match params.get("dpop_jkt") {
        Some(jkt) if !is_thumbprint(jkt) => {
            return Err(back(
                "invalid_request",
                "dpop_jkt is not a base64url SHA-256 thumbprint (RFC 9449 section 10)",
            ));
        }
        other => other.map(String::from),
    };
    let user = match params.get("login_hint") {
        Some(hint) if !is_printable(hint) => {
            return Err(back("invalid_request", "login_hint is not printable ASCII"));
        }
        Some(hint) => hint,
        None => at.user,
    };
    let code = Code {
        grant: Grant {
            client_id: id.to_string(),
            user: user.to_string(),
            scope,
            auth_time: at.now,
        },
        redirect_uri: params.get("redirect_uri").unwrap_or_default().to_string(),
        challenge,
        nonce: params.get("nonce").map(String::from),
        dpop_jkt,
        expires: at.now.saturating_add(CODE_TTL),
    };
    let mut store = at.store.lock().unwrap_or_else(|p| p.into_inner());
    // Full of live codes: none is issued rather than a live one forgotten. They live 60 s,
    // so that is how long this lasts once the flood stops.
    store.issue_code(code, at.now).map_err(|_| {
        back(
            "temporarily_unavailable",
            "too many live codes: try again within a minute",
        )
    })
}

/// The parameters a code keeps (and `state`, echoed), each within its limit.
fn lengths(params: &Form) -> Result<(), Back> {
    let limited = [
        ("state", MAX_STATE),
        ("nonce", MAX_NONCE),
        ("login_hint", MAX_LOGIN_HINT),
    ];
    for (name, limit) in limited {
        if let Some(value) = params.get(name) {
            limits::within(name, value, limit).map_err(|why| back("invalid_request", why))?;
        }
    }
    if let Some(scope) = params.get("scope") {
        limits::scope_within(scope).map_err(|why| back("invalid_request", why))?;
    }
    Ok(())
}

/// The scope granted: each one asked for, among the client's when it lists them.
fn scope(asked: Option<&str>, allowed: Option<&[String]>) -> Result<String, Back> {
    let mut granted: Vec<&str> = Vec::new();
    for scope in asked
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
    {
        if !is_scope_token(scope) {
            return Err(back(
                "invalid_scope",
                "the scope is not a list of scope tokens",
            ));
        }
        if allowed.is_some_and(|allowed| !allowed.iter().any(|a| a == scope)) {
            return Err(back(
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

/// The S256 `code_challenge`, if any; `plain` (said or implied, RFC 7636 §4.3) is refused.
fn pkce(params: &Form) -> Result<Option<String>, Back> {
    match (
        params.get("code_challenge"),
        params.get("code_challenge_method"),
    ) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(back(
            "invalid_request",
            "code_challenge_method without a code_challenge",
        )),
        (Some(_), None | Some("plain")) => Err(back(
            "invalid_request",
            "code_challenge_method must be S256: plain is refused (RFC 9700 section 2.1.1)",
        )),
        (Some(challenge), Some("S256")) if is_thumbprint(challenge) => {
            Ok(Some(challenge.to_string()))
        }
        (Some(_), Some("S256")) => Err(back(
            "invalid_request",
            "code_challenge is not a base64url SHA-256 (43 characters)",
        )),
        (Some(_), Some(_)) => Err(back(
            "invalid_request",
            "code_challenge_method must be S256",
        )),
    }
}

/// A base64url SHA-256 without padding: 43 characters.
fn is_thumbprint(text: &str) -> bool {
    text.len() == 43
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_printable(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

/// `redirect_uri` with `pairs`, `state` and `iss` added to its query.
fn redirect(redirect_uri: &str, pairs: &[(&str, &str)], state: Option<&str>, iss: &str) -> String {
    let mut location = redirect_uri.to_string();
    let mut sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let mut add = |name: &str, value: &str| {
        location.push(sep);
        location.push_str(name);
        location.push('=');
        location.push_str(&encode(value));
        sep = '&';
    };
    for (name, value) in pairs {
        add(name, value);
    }
    if let Some(state) = state {
        add("state", state);
    }
    add("iss", iss);
    location
}

/// Percent-encode everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config;

    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn ask(registry: &Registry, keys: &Keys, query: &str) -> Answer {
        let store = Mutex::default();
        let at = Authorizing {
            issuer: "http://127.0.0.1:1",
            user: DEFAULT_USER,
            now: 1000,
            store: &store,
        };
        handle(query, registry, keys, &at).0
    }

    fn redirected(answer: &Answer) -> &str {
        match answer {
            Answer::Redirect(location) => location,
            Answer::Page(page) => panic!("a page: {page}"),
        }
    }

    #[test]
    fn redirects_with_code_state_and_iss() {
        let open = Registry::new(config::Config::default(), &[]).unwrap();
        let keys = Keys::ephemeral().unwrap();
        let q = "response_type=code&client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1&state=a+b&scope=openid";
        let location = redirected(&ask(&open, &keys, q)).to_string();
        assert!(
            location.starts_with("http://localhost:3000/cb?x=1&code="),
            "{location}"
        );
        assert!(
            location.ends_with("&state=a%20b&iss=http%3A%2F%2F127.0.0.1%3A1"),
            "{location}"
        );
        let errors = [
            ("response_type=token", "error=unsupported_response_type"),
            ("scope=openid", "error=invalid_request"),
            (
                "response_type=code&code_challenge=x&code_challenge_method=plain",
                "error=invalid_request",
            ),
            (
                &format!("response_type=code&code_challenge={CHALLENGE}"),
                "error=invalid_request",
            ),
            ("response_type=code&scope=a%22b", "error=invalid_scope"),
            ("response_type=code&dpop_jkt=short", "error=invalid_request"),
            (
                "response_type=code&response_mode=fragment",
                "error=invalid_request",
            ),
        ];
        for (extra, error) in errors {
            let q = format!("client_id=app&redirect_uri=http://127.0.0.1/cb&{extra}");
            let location = redirected(&ask(&open, &keys, &q)).to_string();
            assert!(location.contains(error), "{extra}: {location}");
            assert!(!location.contains("code="), "{extra}: {location}");
            assert!(
                location.ends_with("&iss=http%3A%2F%2F127.0.0.1%3A1"),
                "{location}"
            );
        }
        for (q, page) in [
            ("redirect_uri=http://127.0.0.1/cb", "client_id is missing"),
            ("client_id=a", "redirect_uri is missing"),
            (
                "client_id=a&redirect_uri=https://evil.example/cb",
                "redirect_uri is not",
            ),
            ("client_id=a&client_id=b", "bad escape or a repeated"),
        ] {
            match ask(&open, &keys, q) {
                Answer::Page(text) => assert!(text.contains(page), "{q}: {text}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    /// What a code keeps is bounded: a parameter past its limit is refused, named, sent back
    /// to the redirect URI (with the state as given, RFC 6749 §4.1.2.1); a client or redirect
    /// URI past its limit gets the page. At the limit, a code is issued.
    #[test]
    fn parameters_a_code_keeps_are_bounded() {
        let open = Registry::new(config::Config::default(), &[]).unwrap();
        let keys = Keys::ephemeral().unwrap();
        let base = "response_type=code&client_id=app&redirect_uri=http://127.0.0.1/cb";
        let long = |n: usize| "a".repeat(n);
        for (name, limit) in [
            ("state", MAX_STATE),
            ("nonce", MAX_NONCE),
            ("login_hint", MAX_LOGIN_HINT),
            ("scope", limits::MAX_SCOPE_VALUE),
        ] {
            let fits = format!("{base}&{name}={}", long(limit));
            assert!(
                redirected(&ask(&open, &keys, &fits)).contains("code="),
                "{name}"
            );
            let over = format!("{base}&{name}={}", long(limit + 1));
            let location = redirected(&ask(&open, &keys, &over)).to_string();
            assert!(
                location.contains("error=invalid_request") && !location.contains("code="),
                "{name}: {location}"
            );
            let named = if name == "scope" {
                "scope%20value"
            } else {
                name
            };
            assert!(
                location.contains(&format!(
                    "error_description={named}%20is%20longer%20than%20"
                )) || location.contains(&format!("error_description=a%20{named}%20is%20longer")),
                "{location}"
            );
            assert!(location.ends_with("&iss=http%3A%2F%2F127.0.0.1%3A1"));
            assert_eq!(
                location.contains(&format!("&state={}", long(limit + 1))),
                name == "state"
            );
        }
        let scope = vec!["abcd"; 205].join("+");
        assert!(redirected(&ask(&open, &keys, &format!("{base}&scope={scope}"))).contains("code="));
        let location =
            redirected(&ask(&open, &keys, &format!("{base}&scope={scope}+abcd"))).to_string();
        assert!(location.contains("error_description=scope%20is%20longer%20than%201024%20bytes"));
        let id = "response_type=code&redirect_uri=http://127.0.0.1/cb&client_id=";
        assert!(
            redirected(&ask(&open, &keys, &format!("{id}{}", long(MAX_CLIENT_ID))))
                .contains("code=")
        );
        assert_eq!(
            ask(&open, &keys, &format!("{id}{}", long(MAX_CLIENT_ID + 1))),
            Answer::Page(CLIENT_ID_TOO_LONG)
        );
        let uri = |n: usize| {
            format!(
                "response_type=code&client_id=app&redirect_uri=http://127.0.0.1/{}",
                long(n - 17)
            )
        };
        assert!(redirected(&ask(&open, &keys, &uri(limits::MAX_REDIRECT_URI))).contains("code="));
        assert_eq!(
            ask(&open, &keys, &uri(limits::MAX_REDIRECT_URI + 1)),
            Answer::Page(REDIRECT_URI_TOO_LONG)
        );
        assert!(CLIENT_ID_TOO_LONG.ends_with(&format!(" {MAX_CLIENT_ID} bytes")));
        assert!(REDIRECT_URI_TOO_LONG.ends_with(&format!(" {} bytes", limits::MAX_REDIRECT_URI)));
        // A declared client's own id is matched, never measured.
        let declared_id = long(MAX_CLIENT_ID + 1);
        let text =
            format!(r#"{{"clients":[{{"client_id":"{declared_id}","client_secret":"s"}}]}}"#);
        let declared = Registry::new(config::parse(text.as_bytes()).unwrap(), &[]).unwrap();
        let q =
            format!("response_type=code&redirect_uri=http://127.0.0.1/cb&client_id={declared_id}");
        assert!(redirected(&ask(&declared, &keys, &q)).contains("code="));
    }

    #[test]
    fn public_clients_need_pkce_and_hmac_refuses_openid() {
        let config = config::parse(
            br#"{"clients":[{"client_id":"web","redirect_uris":["https://app.example/cb"],"scopes":["openid"]}]}"#,
        )
        .unwrap();
        let declared = Registry::new(config, &[]).unwrap();
        let keys = Keys::ephemeral().unwrap();
        let base = "response_type=code&client_id=web&redirect_uri=https://app.example/cb";
        assert!(redirected(&ask(&declared, &keys, base)).contains("error=invalid_request"));
        let with = format!("{base}&code_challenge={CHALLENGE}&code_challenge_method=S256");
        assert!(redirected(&ask(&declared, &keys, &with)).contains("code="));
        let admin = format!("{with}&scope=admin");
        assert!(redirected(&ask(&declared, &keys, &admin)).contains("error=invalid_scope"));
        assert_eq!(
            ask(
                &declared,
                &keys,
                "response_type=code&client_id=who&redirect_uri=https://app.example/cb"
            ),
            Answer::Page("bad request: unknown client")
        );
        let hmac = Keys::from_bytes(b"a-shared-secret-of-at-least-thirty-two-bytes", "s").unwrap();
        let openid = format!("{with}&scope=openid");
        let location = redirected(&ask(&declared, &hmac, &openid)).to_string();
        assert!(location.contains("error=invalid_scope") && location.contains("iss="));
    }
}
