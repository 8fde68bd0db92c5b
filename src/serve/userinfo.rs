//! `GET /userinfo` (OpenID Connect Core §5.3), without HTTP: an access token from this server
//! — signed by its keys, its issuer, `typ: at+jwt`, not expired (no leeway), holding `openid`
//! in its `scope` — gets the user's claims from the config. A DPoP-bound token (`cnf.jkt`) is
//! taken only under the `DPoP` scheme with a proof by its key for this request (`htm`, `htu`,
//! `ath`; RFC 9449 §7.1); sent as `Bearer` it is `invalid_token` (§7.2). Failures carry
//! `WWW-Authenticate` (RFC 6750 §3).

use std::sync::Mutex;

use serde_json::{Map, Value};

use crate::dpop::{self, Htu};
use crate::serve::clients::Registry;
use crate::serve::proof;
use crate::serve::signing::Keys;
use crate::serve::store::{NotFirst, Seen, Store};
use crate::verify::Policy;

/// A userinfo request, as far as the endpoint reads it.
pub struct UserinfoRequest<'a> {
    /// The method (`GET` or `POST`), the proof's `htm`.
    pub method: &'a str,
    /// The `Authorization` header.
    pub authorization: Option<&'a [u8]>,
    /// Every `DPoP` header.
    pub dpop: Vec<&'a [u8]>,
}

/// What the server checks against.
pub struct Checking<'a> {
    /// The issuer URL.
    pub issuer: &'a str,
    /// The userinfo endpoint's URL (the proof's `htu`).
    pub url: &'a Htu,
    /// The time now.
    pub now: i64,
    /// Where proofs' `jti`s are remembered.
    pub store: &'a Mutex<Store>,
}

/// The answer.
#[derive(Debug)]
pub struct Reply {
    /// 200, 401, or 503 when a sound proof's `jti` cannot be remembered now.
    pub status: u16,
    /// The JSON body.
    pub body: Vec<u8>,
    /// `WWW-Authenticate` values.
    pub challenges: Vec<String>,
    /// `Retry-After`, seconds (with a 503).
    pub retry_after: Option<u64>,
    /// The client the token was issued to, for the request log.
    pub client_id: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Bearer,
    Dpop,
}

struct Refusal {
    status: u16,
    scheme: Scheme,
    code: Option<&'static str>,
    description: String,
    retry_after: Option<u64>,
}

/// Every failure is 401 with its RFC 6750 §3 error code, `insufficient_scope` (a token
/// without `openid`) included, as jwtk's interface says.
fn refuse(scheme: Scheme, code: &'static str, description: impl Into<String>) -> Refusal {
    Refusal {
        status: 401,
        scheme,
        code: Some(code),
        description: description.into(),
        retry_after: None,
    }
}

/// Answer one userinfo request.
pub fn handle(
    request: &UserinfoRequest,
    registry: &Registry,
    keys: &Keys,
    checking: &Checking,
) -> Reply {
    let mut client_id = None;
    match answer(request, registry, keys, checking, &mut client_id) {
        Ok(claims) => {
            let mut body = serde_json::to_vec(&Value::Object(claims)).unwrap_or_default();
            body.push(b'\n');
            Reply {
                status: 200,
                body,
                challenges: Vec::new(),
                retry_after: None,
                client_id,
            }
        }
        Err(refusal) if refusal.retry_after.is_some() => Reply {
            // The same 503 as the token endpoint's: nothing is wrong with the credentials.
            status: refusal.status,
            body: crate::serve::token_endpoint::error_body(
                refusal.code.unwrap_or("temporarily_unavailable"),
                &refusal.description,
            ),
            challenges: Vec::new(),
            retry_after: refusal.retry_after,
            client_id,
        },
        Err(refusal) => {
            let algs: Vec<&str> = proof::algorithms().iter().map(|a| a.name()).collect();
            let mut bearer = "Bearer realm=\"jwtk serve\"".to_string();
            let mut dpop = format!("DPoP algs=\"{}\"", algs.join(" "));
            let error = refusal.code.map(|code| {
                format!(
                    ", error=\"{code}\", error_description=\"{}\"",
                    refusal.description
                )
            });
            match (refusal.scheme, &error) {
                (Scheme::Bearer, Some(error)) => bearer.push_str(error),
                (Scheme::Dpop, Some(error)) => dpop.push_str(error),
                (_, None) => {}
            }
            let body = crate::serve::token_endpoint::error_body(
                refusal.code.unwrap_or("invalid_request"),
                &refusal.description,
            );
            Reply {
                status: refusal.status,
                body,
                challenges: vec![bearer, dpop],
                retry_after: None,
                client_id,
            }
        }
    }
}

fn answer(
    request: &UserinfoRequest,
    registry: &Registry,
    keys: &Keys,
    checking: &Checking,
    client_id: &mut Option<String>,
) -> Result<Map<String, Value>, Refusal> {
    let Some((scheme, token)) = request.authorization.and_then(credentials) else {
        return Err(Refusal {
            status: 401,
            scheme: Scheme::Bearer,
            code: None,
            description: "no access token: send Authorization: Bearer (or DPoP) with one".into(),
            retry_after: None,
        });
    };
    let mut policy = Policy::at(checking.now);
    policy.iss = vec![checking.issuer.to_string()];
    policy.typ = Some("at+jwt".into());
    let verdict = keys.ring.verify(token.as_bytes(), &policy);
    if let Some(reason) = verdict.reason() {
        return Err(refuse(
            scheme,
            "invalid_token",
            format!("the access token is refused: {}", reason.code()),
        ));
    }
    let claims = verdict.claims().unwrap_or_default();
    *client_id = claims
        .get("client_id")
        .and_then(Value::as_str)
        .map(String::from);
    let jkt = claims
        .get("cnf")
        .and_then(|cnf| cnf.get("jkt"))
        .and_then(Value::as_str);
    match (scheme, jkt) {
        (Scheme::Bearer, Some(_)) => {
            return Err(refuse(
                scheme,
                "invalid_token",
                "the access token is DPoP-bound: send it under the DPoP scheme with a proof (RFC 9449 section 7.2)",
            ));
        }
        (Scheme::Dpop, None) => {
            return Err(refuse(
                scheme,
                "invalid_token",
                "the access token is not DPoP-bound: send it under the Bearer scheme",
            ));
        }
        (Scheme::Dpop, Some(jkt)) => check_proof(request, token, jkt, checking)?,
        (Scheme::Bearer, None) => {}
    }
    let scope = claims.get("scope").and_then(Value::as_str).unwrap_or("");
    if !scope.split(' ').any(|s| s == "openid") {
        return Err(refuse(
            scheme,
            "insufficient_scope",
            "the access token's scope does not hold openid",
        ));
    }
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut info = Map::new();
    info.insert("sub".into(), Value::String(sub.to_string()));
    if let Some(Value::Object(user)) = registry.users.get(sub) {
        for (name, value) in user {
            info.entry(name.clone()).or_insert_with(|| value.clone());
        }
    }
    Ok(info)
}

/// The proof of a DPoP request: sound, for this request, for this token, by its key. Its
/// `jti` is remembered last, so that only a proof by the key of a token this server issued
/// takes a place in memory.
fn check_proof(
    request: &UserinfoRequest,
    token: &str,
    jkt: &str,
    checking: &Checking,
) -> Result<(), Refusal> {
    let invalid = |why: String| refuse(Scheme::Dpop, "invalid_dpop_proof", why);
    if request.dpop.is_empty() {
        return Err(invalid("no DPoP proof came with the DPoP scheme".into()));
    }
    let sound = proof::check(&request.dpop, request.method, checking.url, checking.now)
        .map_err(invalid)?
        .ok_or_else(|| invalid("no DPoP proof".into()))?;
    let ath = request
        .dpop
        .first()
        .and_then(|proof| crate::token::compact::Jws::parse(proof).ok())
        .and_then(|jws| jws.claims().ok())
        .and_then(|claims| claims.get("ath").and_then(Value::as_str).map(String::from));
    if ath.as_deref() != Some(dpop::token_hash(token).as_str()) {
        return Err(invalid(
            "the proof's ath is not the hash of this access token".into(),
        ));
    }
    if sound.jkt != jkt {
        return Err(invalid(
            "the proof's key is not the one the token is bound to".into(),
        ));
    }
    // Anyone can get a token here (public clients, open mode): the memory anyone can fill.
    proof::remember(&sound, Seen::OpenProof, checking.now, checking.store).map_err(
        |why| match why {
            NotFirst::Replayed => invalid(proof::REPLAYED.into()),
            NotFirst::Late => invalid(proof::LATE.into()),
            NotFirst::Busy(busy) => Refusal {
                status: 503,
                scheme: Scheme::Dpop,
                code: Some("temporarily_unavailable"),
                description: proof::BUSY.into(),
                retry_after: Some(busy.retry_after),
            },
        },
    )
}

/// `Bearer TOKEN` or `DPoP TOKEN` (schemes in any case, RFC 9110 §11.1).
fn credentials(header: &[u8]) -> Option<(Scheme, &str)> {
    let text = std::str::from_utf8(header).ok()?.trim();
    let (scheme, token) = text.split_once(' ')?;
    let scheme = if scheme.eq_ignore_ascii_case("bearer") {
        Scheme::Bearer
    } else if scheme.eq_ignore_ascii_case("dpop") {
        Scheme::Dpop
    } else {
        return None;
    };
    let token = token.trim();
    let token68 = |b: u8| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b);
    (!token.is_empty() && token.bytes().all(token68)).then_some((scheme, token))
}
