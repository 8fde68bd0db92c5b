//! `POST /token` (RFC 6749 §3.2), without HTTP: the body and the headers that matter in, a
//! status and a JSON body out. Client authentication by `client_secret_basic` (credentials
//! form-urldecoded, RFC 6749 §2.3.1), `client_secret_post`, `private_key_jwt` (RFC 7523) or
//! none (public clients); the grants `authorization_code` (with PKCE, RFC 7636, and the
//! downgrade rule of RFC 9700 §2.1.1), `client_credentials` (§4.4, confidential clients) and
//! `refresh_token` (§6: single use, rotated, a reuse revoking the family); DPoP proofs (RFC
//! 9449 §5) binding the tokens; responses as §5.1 and §5.2.

use std::sync::Mutex;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

use crate::alg::Family;
use crate::dpop::{Htu, Sound};
use crate::serve::assertion::{ASSERTION_TYPE, ClientKeys, Expected};
use crate::serve::clients::{AuthError, Caller, Presented, Registry};
use crate::serve::config::is_scope_token;
use crate::serve::form::{self, Form};
use crate::serve::limits::{self, MAX_RESOURCE};
use crate::serve::proof;
use crate::serve::signing::Keys;
use crate::serve::store::{CodeFound, Grant, NotFirst, Refresh, RefreshFound, Seen, Store};
use crate::serve::tokens::{AccessToken, IdToken};
use crate::serve::urls;

/// The grant types this server implements, as discovery lists them.
pub const GRANT_TYPES: [&str; 3] = ["authorization_code", "client_credentials", "refresh_token"];

/// The client authentication methods this server implements, as discovery lists them.
pub const AUTH_METHODS: [&str; 4] = [
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
    "none",
];

/// A token request, as far as the endpoint reads it.
pub struct TokenRequest<'a> {
    /// The `Content-Type` header.
    pub content_type: Option<&'a [u8]>,
    /// The `Authorization` header.
    pub authorization: Option<&'a [u8]>,
    /// Every `DPoP` header.
    pub dpop: Vec<&'a [u8]>,
    /// The body.
    pub body: &'a [u8],
}

/// What the server issues tokens as, and what it remembers.
pub struct Issuing<'a> {
    /// The issuer URL.
    pub issuer: &'a str,
    /// The token endpoint's URL (`htu` of proofs, an `aud` of client assertions).
    pub token_url: &'a Htu,
    /// The lifetime of access tokens, unless the client has its own.
    pub ttl: u64,
    /// The time now.
    pub now: i64,
    /// Codes, refresh tokens, seen `jti`s.
    pub store: &'a Mutex<Store>,
    /// The keys of `private_key_jwt` clients.
    pub client_keys: &'a ClientKeys,
}

/// The answer: status, JSON body, and what the request log shows.
#[derive(Debug)]
pub struct Reply {
    /// 200, 400, 401, 500 or 503.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
    /// Whether to send `WWW-Authenticate: Basic` (a failed Basic authentication).
    pub basic_challenge: bool,
    /// `Retry-After`, seconds (with a 503).
    pub retry_after: Option<u64>,
    /// The `client_id` the request named.
    pub client_id: Option<String>,
    /// The `grant_type` the request named.
    pub grant_type: Option<String>,
}

/// An RFC 6749 §5.2 error: the code and a description (fixed text, never what was sent).
pub struct Refusal {
    status: u16,
    code: &'static str,
    description: String,
    retry_after: Option<u64>,
}

fn refuse(code: &'static str, description: impl Into<String>) -> Refusal {
    let status = if code == "invalid_client" { 401 } else { 400 };
    Refusal {
        status,
        code,
        description: description.into(),
        retry_after: None,
    }
}

fn server_error() -> Refusal {
    Refusal {
        status: 500,
        code: "server_error",
        description: "signing the token failed".into(),
        retry_after: None,
    }
}

/// A sound request refused because a `jti` it carries cannot be remembered now (its memory is
/// full of live ones). Not 400: nothing is wrong with the request, and a client told that its
/// credentials or proof are invalid would not try again. 503 with `Retry-After` (RFC 9110
/// §15.6.4, §10.2.3) is what HTTP clients and retry layers already wait on, and the body's
/// `temporarily_unavailable` (RFC 6749 §4.1.2.1's code for an overloaded server) names it
/// for OAuth libraries that read the error.
fn busy(retry_after: u64, description: &str) -> Refusal {
    Refusal {
        status: 503,
        code: "temporarily_unavailable",
        description: description.into(),
        retry_after: Some(retry_after),
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
        retry_after: None,
        client_id: None,
        grant_type: None,
    };
    match answer(request, registry, keys, issuing, &mut reply) {
        Ok(body) => reply.body = body,
        Err(refusal) => {
            reply.status = refusal.status;
            reply.retry_after = refusal.retry_after;
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

/// What one grant needs besides its own parameters.
struct Context<'a> {
    form: &'a Form,
    caller: &'a Caller<'a>,
    registry: &'a Registry,
    keys: &'a Keys,
    issuing: &'a Issuing<'a>,
    proof: Option<Sound>,
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
    let expected = Expected {
        issuer: issuing.issuer,
        token_endpoint: issuing.token_url.as_str(),
        now: issuing.now,
    };
    let caller = registry
        .authenticate(&presented, |client, source, assertion| {
            issuing
                .client_keys
                .verify(client, source, assertion, &expected, issuing.store)
        })
        .map_err(|e| match e {
            AuthError::Busy { retry_after } => busy(retry_after, &e.describe()),
            e => refuse("invalid_client", e.describe()),
        })?;
    let proof = proof::check(&request.dpop, "POST", issuing.token_url, issuing.now)
        .map_err(|why| refuse("invalid_dpop_proof", why))?;
    if let Some(sound) = &proof {
        // Recorded once the proof verified and the client authenticated, before the grant
        // (a replay must be refused before a code or refresh token is spent). A public
        // client proves nothing by naming itself, and anyone can get a code here (no login
        // page), so no check could keep strangers from filling a memory of proofs; instead
        // their proofs have a memory of their own, and a flood of them leaves clients that
        // authenticate (with a secret, or an assertion) untouched. In open mode any secret
        // authenticates, but open mode is loopback only.
        let kind = if caller.confidential {
            Seen::ClientProof
        } else {
            Seen::OpenProof
        };
        proof::remember(sound, kind, issuing.now, issuing.store).map_err(|why| match why {
            NotFirst::Replayed => refuse("invalid_dpop_proof", proof::REPLAYED),
            NotFirst::Late => refuse("invalid_dpop_proof", proof::LATE),
            NotFirst::Busy(b) => busy(b.retry_after, proof::BUSY),
        })?;
    }
    let context = Context {
        form: &form,
        caller: &caller,
        registry,
        keys,
        issuing,
        proof,
    };
    match form.get("grant_type") {
        None => Err(refuse("invalid_request", "grant_type is missing")),
        Some("client_credentials") => client_credentials(&context),
        Some("authorization_code") => authorization_code(&context),
        Some("refresh_token") => refresh_token(&context),
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

/// What the request presents to authenticate: Basic credentials, the body's `client_id` and
/// `client_secret`, or a client assertion — never two of them (RFC 6749 §2.3).
fn presented(authorization: Option<&[u8]>, form: &Form) -> Result<Presented, Refusal> {
    let assertion = assertion(form)?;
    let Some(header) = authorization else {
        let id = form.get("client_id").map(String::from);
        let secret = form
            .get("client_secret")
            .map(|s| Zeroizing::new(s.to_string()));
        if assertion.is_some() && secret.is_some() {
            return Err(refuse(
                "invalid_request",
                "the client authenticates twice: a client_secret and a client_assertion",
            ));
        }
        let id = match (&assertion, id) {
            (Some((_, sub)), None) => Some(sub.clone()),
            (_, id) => id,
        };
        return Ok(Presented {
            id,
            secret,
            assertion: assertion.map(|(text, _)| text),
        });
    };
    let (id, secret) = basic(header).ok_or_else(|| {
        refuse(
            "invalid_client",
            "the Authorization header is not Basic client credentials (RFC 6749 section 2.3.1)",
        )
    })?;
    if form.get("client_secret").is_some() || assertion.is_some() {
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
        assertion: None,
    })
}

/// The `client_assertion` and the client its `sub` names (verified later), when the body
/// holds one (RFC 7521 §4.2).
fn assertion(form: &Form) -> Result<Option<(String, String)>, Refusal> {
    let (kind, text) = (
        form.get("client_assertion_type"),
        form.get("client_assertion"),
    );
    if kind.is_none() && text.is_none() {
        return Ok(None);
    }
    if kind != Some(ASSERTION_TYPE) {
        return Err(refuse(
            "invalid_client",
            format!("client_assertion_type must be {ASSERTION_TYPE}"),
        ));
    }
    let Some(text) = text else {
        return Err(refuse("invalid_client", "client_assertion is missing"));
    };
    let sub = crate::token::compact::Jws::parse(text.as_bytes())
        .ok()
        .and_then(|jws| jws.claims().ok())
        .and_then(|claims| claims.get("sub").and_then(Value::as_str).map(String::from))
        .ok_or_else(|| {
            refuse(
                "invalid_client",
                "the client_assertion is not a JWT whose sub names the client",
            )
        })?;
    Ok(Some((text.to_string(), sub)))
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
fn client_credentials(cx: &Context) -> Result<Vec<u8>, Refusal> {
    let caller = cx.caller;
    if !caller.confidential {
        let why = match caller.declared {
            Some(_) => "this client is public: client_credentials is for confidential clients",
            None => {
                "client_credentials is for confidential clients: send a client secret (any secret, in open mode)"
            }
        };
        return Err(refuse("unauthorized_client", why));
    }
    let scope = granted_scope(cx.form.get("scope"), caller)?;
    let access = cx.access_token(&caller.id, &scope)?;
    Ok(cx.respond(access, &scope, None, None))
}

/// RFC 6749 §4.1.3: a code for tokens.
fn authorization_code(cx: &Context) -> Result<Vec<u8>, Refusal> {
    let Some(text) = cx.form.get("code") else {
        return Err(refuse("invalid_request", "code is missing"));
    };
    let mut store = cx.store();
    let (code, slot) = match store.redeem_code(text, cx.issuing.now) {
        CodeFound::Fresh(code, slot) => (code, slot),
        CodeFound::Unknown => return Err(refuse("invalid_grant", "the code is unknown")),
        CodeFound::Expired => {
            return Err(refuse(
                "invalid_grant",
                "the code has expired (codes live 60 s)",
            ));
        }
        CodeFound::Reused => {
            return Err(refuse(
                "invalid_grant",
                "the code was used before: the refresh tokens issued from it are revoked",
            ));
        }
    };
    drop(store);
    if code.grant.client_id != cx.caller.id {
        return Err(refuse(
            "invalid_grant",
            "the code was issued to another client",
        ));
    }
    if cx.form.get("redirect_uri") != Some(code.redirect_uri.as_str()) {
        return Err(refuse(
            "invalid_grant",
            "redirect_uri is not the authorization request's",
        ));
    }
    check_pkce(
        code.challenge.as_deref(),
        cx.form.get("code_verifier"),
        cx.caller,
    )?;
    if let Some(jkt) = &code.dpop_jkt
        && cx.proof.as_ref().map(|p| &p.jkt) != Some(jkt)
    {
        return Err(refuse(
            "invalid_dpop_proof",
            "the code is bound to a DPoP key (dpop_jkt): send a proof signed by that key",
        ));
    }
    let grant = &code.grant;
    let access = cx.access_token(&grant.user, &grant.scope)?;
    let id_token = cx.id_token(grant, code.nonce.as_deref(), &access)?;
    let refresh = grant.has_scope("offline_access").then(|| {
        let mut store = cx.store();
        let family = store.new_family();
        store.attach_family(&slot, family);
        store.issue_refresh(Refresh {
            grant: grant.clone(),
            family,
            jkt: cx.binding(),
        })
    });
    Ok(cx.respond(access, &grant.scope, id_token, refresh))
}

/// PKCE (RFC 7636 §4.6) and its downgrade rule (RFC 9700 §2.1.1): a verifier exactly when
/// the code was issued with a challenge; a code without one only for a confidential client.
fn check_pkce(
    challenge: Option<&str>,
    verifier: Option<&str>,
    caller: &Caller,
) -> Result<(), Refusal> {
    match (challenge, verifier) {
        (Some(_), None) => Err(refuse(
            "invalid_grant",
            "the code was issued with a code_challenge: send its code_verifier",
        )),
        (None, Some(_)) => Err(refuse(
            "invalid_grant",
            "the code was issued without a code_challenge, so a code_verifier is refused (RFC 9700 section 2.1.1)",
        )),
        (Some(challenge), Some(verifier)) => {
            let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
            let computed = URL_SAFE_NO_PAD.encode(digest.as_ref());
            if is_verifier(verifier)
                && aws_lc_rs::constant_time::verify_slices_are_equal(
                    computed.as_bytes(),
                    challenge.as_bytes(),
                )
                .is_ok()
            {
                Ok(())
            } else {
                Err(refuse(
                    "invalid_grant",
                    "the code_verifier does not match the code_challenge (S256)",
                ))
            }
        }
        (None, None) if !caller.confidential => Err(refuse(
            "invalid_grant",
            "a code issued without a code_challenge is redeemed only by a client that authenticates",
        )),
        (None, None) => Ok(()),
    }
}

/// RFC 7636 §4.1: 43 to 128 unreserved characters.
fn is_verifier(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// RFC 6749 §6: a refresh token for new tokens, and a new refresh token.
fn refresh_token(cx: &Context) -> Result<Vec<u8>, Refusal> {
    let Some(text) = cx.form.get("refresh_token") else {
        return Err(refuse("invalid_request", "refresh_token is missing"));
    };
    let asked = cx.form.get("scope");
    let proof_jkt = cx.proof.as_ref().map(|p| p.jkt.as_str());
    let found = cx.store().redeem_refresh(text, &cx.caller.id, |refresh| {
        if let Some(jkt) = &refresh.jkt
            && proof_jkt != Some(jkt.as_str())
        {
            return Err(refuse(
                "invalid_dpop_proof",
                "this refresh token is bound to a DPoP key: send a proof signed by that key",
            ));
        }
        narrowed_scope(asked, &refresh.grant).map(|_| ())
    })?;
    let refresh = match found {
        RefreshFound::Live(refresh) => refresh,
        RefreshFound::Unknown => {
            return Err(refuse("invalid_grant", "the refresh token is unknown"));
        }
        RefreshFound::Revoked => {
            return Err(refuse(
                "invalid_grant",
                "the refresh token is revoked: a token of its family was used twice",
            ));
        }
        RefreshFound::Forgotten => {
            return Err(refuse(
                "invalid_grant",
                "the refresh token's family was let go (the server's memory of refresh tokens is full): sign in again",
            ));
        }
        RefreshFound::Reused => {
            return Err(refuse(
                "invalid_grant",
                "the refresh token was used before: its family is now revoked (RFC 9700 section 4.14.2)",
            ));
        }
        RefreshFound::OtherClient => {
            return Err(refuse(
                "invalid_grant",
                "the refresh token was issued to another client",
            ));
        }
    };
    let grant = &refresh.grant;
    let scope = narrowed_scope(asked, grant)?;
    let access = cx.access_token(&grant.user, &scope)?;
    let id_token = cx.id_token(grant, None, &access)?;
    let next = cx.store().issue_refresh(Refresh {
        grant: grant.clone(),
        family: refresh.family,
        jkt: refresh.jkt.clone().or_else(|| cx.binding()),
    });
    Ok(cx.respond(access, &scope, id_token, Some(next)))
}

/// RFC 6749 §6: a refresh may ask for less than was granted, never more.
fn narrowed_scope(asked: Option<&str>, grant: &Grant) -> Result<String, Refusal> {
    let Some(asked) = asked else {
        return Ok(grant.scope.clone());
    };
    let mut scopes: Vec<&str> = Vec::new();
    for scope in asked.split(' ').filter(|s| !s.is_empty()) {
        if !grant.has_scope(scope) {
            return Err(refuse(
                "invalid_scope",
                "a refresh may not ask for a scope the grant does not hold",
            ));
        }
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes.join(" "))
}

impl Context<'_> {
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.issuing.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key a public client's refresh token is bound to: its proof's (RFC 9449 §5).
    fn binding(&self) -> Option<String> {
        self.proof
            .as_ref()
            .filter(|_| !self.caller.confidential)
            .map(|p| p.jkt.clone())
    }

    /// A signed access token for `sub`, with `scope`.
    fn access_token(&self, sub: &str, scope: &str) -> Result<Issued, Refusal> {
        let caller = self.caller;
        let aud = audience(&self.form.all("resource"), caller, self.issuing.issuer)?;
        let declared = caller.declared;
        let ttl = declared.and_then(|c| c.ttl).unwrap_or(self.issuing.ttl);
        let empty = Map::new();
        let token = AccessToken {
            issuer: self.issuing.issuer,
            sub,
            aud,
            client_id: &caller.id,
            scope,
            ttl,
            extra: declared.map_or(&empty, |c| &c.claims),
            jkt: self.proof.as_ref().map(|p| p.jkt.as_str()),
        };
        let jwt = token
            .sign(self.keys, self.issuing.now)
            .map_err(|_| server_error())?;
        Ok(Issued { jwt, ttl })
    }

    /// An ID token when the grant holds `openid`.
    fn id_token(
        &self,
        grant: &Grant,
        nonce: Option<&str>,
        access: &Issued,
    ) -> Result<Option<String>, Refusal> {
        if !grant.has_scope("openid") {
            return Ok(None);
        }
        if self.keys.alg().family() == Family::Hmac {
            return Err(refuse(
                "invalid_scope",
                "this server signs with an HMAC secret, so it issues no ID token",
            ));
        }
        let token = IdToken {
            issuer: self.issuing.issuer,
            sub: &grant.user,
            client_id: &grant.client_id,
            ttl: access.ttl,
            auth_time: grant.auth_time,
            nonce,
            access_token: &access.jwt,
            user: self
                .registry
                .users
                .get(&grant.user)
                .and_then(Value::as_object),
        };
        token
            .sign(self.keys, self.issuing.now)
            .map(Some)
            .map_err(|_| server_error())
    }

    /// The RFC 6749 §5.1 body.
    fn respond(
        &self,
        access: Issued,
        scope: &str,
        id_token: Option<String>,
        refresh: Option<String>,
    ) -> Vec<u8> {
        let token_type = if self.proof.is_some() {
            "DPoP"
        } else {
            "Bearer"
        };
        let mut body = json!({
            "access_token": access.jwt,
            "token_type": token_type,
            "expires_in": access.ttl,
            "scope": scope,
        });
        if let Some(id_token) = id_token {
            body["id_token"] = Value::String(id_token);
        }
        if let Some(refresh) = refresh {
            body["refresh_token"] = Value::String(refresh);
        }
        let mut bytes = serde_json::to_vec(&body).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// A signed access token and its lifetime.
struct Issued {
    jwt: String,
    ttl: u64,
}

/// The scope granted: the one asked for (each scope among the client's, when it lists
/// them), else every scope the client lists, else none.
pub fn granted_scope(asked: Option<&str>, caller: &Caller) -> Result<String, Refusal> {
    let allowed = caller.declared.and_then(|c| c.scopes.as_ref());
    let Some(asked) = asked else {
        return Ok(allowed.map(|s| s.join(" ")).unwrap_or_default());
    };
    limits::scope_within(asked).map_err(|why| refuse("invalid_request", why))?;
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

impl Refusal {
    /// The error code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The description.
    pub fn description(&self) -> &str {
        &self.description
    }
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
        limits::within("resource", resource, MAX_RESOURCE)
            .map_err(|why| refuse("invalid_request", why))?;
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
            dpop: Vec::new(),
            body: body.as_bytes(),
        };
        let (store, client_keys) = (Mutex::default(), ClientKeys::default());
        let token_url: Htu = "http://127.0.0.1:1/token".parse().unwrap();
        let issuing = Issuing {
            issuer: "http://127.0.0.1:1",
            token_url: &token_url,
            ttl: 900,
            now: 1000,
            store: &store,
            client_keys: &client_keys,
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
            (
                None,
                format!(
                    "grant_type=client_credentials&{good}&scope={}",
                    "r".repeat(257)
                ),
                400,
                "invalid_request",
            ),
            (
                None,
                format!(
                    "grant_type=client_credentials&{good}&resource=https://a/{}",
                    "r".repeat(MAX_RESOURCE)
                ),
                400,
                "invalid_request",
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
        let (store, client_keys) = (Mutex::default(), ClientKeys::default());
        let token_url: Htu = "http://x/token".parse().unwrap();
        let issuing = Issuing {
            issuer: "x",
            token_url: &token_url,
            ttl: 1,
            now: 1,
            store: &store,
            client_keys: &client_keys,
        };
        for content_type in [None, Some(&b"application/json"[..])] {
            let request = TokenRequest {
                content_type,
                authorization: None,
                dpop: Vec::new(),
                body: b"grant_type=client_credentials",
            };
            let reply = handle(&request, &declared, &keys, &issuing);
            assert_eq!(reply.status, 400);
        }
    }
}
