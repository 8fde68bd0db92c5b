//! `private_key_jwt` (RFC 7523 §2.2 and §3, OpenID Connect Core §9): a client assertion is
//! verified with the keys the config gives its client — a `jwk`, a `jwks`, or a `jwks_uri`
//! fetched as `verify --jwks` fetches (HTTPS, or plain HTTP on loopback; kept for its
//! `max-age`, at most 5 minutes, and fetched again once for a kid it does not hold) —; `iss`
//! and `sub` are the client, `aud` the issuer or the token endpoint, `exp` and `jti` present
//! (60 s of leeway), `exp` at most an hour ahead, and a `jti` seen again within the
//! assertion's lifetime is refused. The `jti` is remembered only once the assertion verified.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::keys::key::Key;
use crate::remote::fetch::{self, JWKS_LIMIT, RemoteSet};
use crate::remote::http::{Client, Options, Start, Validators};
use crate::serve::clients::AuthError;
use crate::serve::config::{ClientConfig, KeySource};
use crate::serve::store::{NotFirst, Seen, Store};
use crate::verify::{KeyRing, Policy, Reason};

/// `client_assertion_type` for a JWT (RFC 7523 §2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The clock skew allowed on `exp`, `nbf` and `iat`.
pub const LEEWAY: i64 = 60;

/// How far ahead an assertion's `exp` may be, seconds (the leeway on top): its `jti` is
/// remembered until then, so this bounds how long one assertion holds a place in memory. RFC
/// 7523 §3 lets a server refuse an `exp` "unreasonably far in the future"; a client mints one
/// per request, so an hour is plenty.
pub const MAX_LIFETIME: i64 = 3600;

/// The longest a fetched key set is kept.
const MAX_KEEP: Duration = Duration::from_secs(300);

/// A set kept at least this long is fetched again for an unknown kid.
const REFETCH_AFTER: Duration = Duration::from_secs(1);

/// The key sets fetched from clients' `jwks_uri`s, shared by every request.
#[derive(Default)]
pub struct ClientKeys {
    fetched: Mutex<HashMap<String, Fetched>>,
}

struct Fetched {
    at: Instant,
    keep: Duration,
    keys: Arc<Vec<Key>>,
}

/// What an assertion is checked against.
pub struct Expected<'a> {
    /// The issuer URL (an `aud` the assertion may name).
    pub issuer: &'a str,
    /// The token endpoint's URL (the other).
    pub token_endpoint: &'a str,
    /// Now, epoch seconds.
    pub now: i64,
}

impl ClientKeys {
    /// Verify `assertion` for `client`, whose keys `source` gives; once it verified, remember
    /// its `jti`.
    pub fn verify(
        &self,
        client: &ClientConfig,
        source: &KeySource,
        assertion: &str,
        expected: &Expected,
        store: &Mutex<Store>,
    ) -> Result<(), AuthError> {
        let id = client.client_id.as_str();
        let mut policy = Policy::at(expected.now);
        policy.iss = vec![id.to_string()];
        policy.sub = Some(id.to_string());
        policy.aud = vec![
            expected.issuer.to_string(),
            expected.token_endpoint.to_string(),
        ];
        policy.require = vec!["jti".into()];
        policy.leeway = LEEWAY;
        let judge = |keys: &[Key]| {
            KeyRing::new(keys.to_vec(), &[]).map(|ring| ring.verify(assertion.as_bytes(), &policy))
        };
        let unavailable = |_| AuthError::Assertion("the client's keys could not be had".into());
        let mut verdict = judge(&self.keys(source, false).map_err(unavailable)?)
            .map_err(|_| AuthError::Assertion("the client's keys verify nothing".into()))?;
        let unknown = matches!(
            verdict.reason(),
            Some(Reason::NoMatchingKey | Reason::AlgNotAllowed)
        );
        if unknown
            && matches!(source, KeySource::JwksUri(_))
            && let Ok(keys) = self.keys(source, true)
            && let Ok(again) = judge(&keys)
        {
            verdict = again;
        }
        if let Some(reason) = verdict.reason() {
            return Err(AuthError::Assertion(format!(
                "{} (as jwtk verify names it)",
                reason.code()
            )));
        }
        let claims = verdict.claims().unwrap_or_default();
        let jti = match claims.get("jti") {
            Some(Value::String(jti)) if !jti.is_empty() => jti.clone(),
            _ => return Err(AuthError::Assertion("its jti is not a string".into())),
        };
        let exp = claims.get("exp").and_then(Value::as_f64).unwrap_or(0.0);
        if exp > expected.now.saturating_add(MAX_LIFETIME + LEEWAY) as f64 {
            return Err(AuthError::Assertion(
                "its exp is more than an hour ahead (RFC 7523 section 3 lets a server refuse one so far ahead)".into(),
            ));
        }
        // Accepted while now < exp + LEEWAY (the verdict above): remembered until then.
        let until = (exp as i64).saturating_add(LEEWAY);
        let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
        match store.first_use(
            Seen::Assertion,
            &format!("{id}\n{jti}"),
            until,
            expected.now,
        ) {
            Ok(()) => Ok(()),
            Err(NotFirst::Replayed) => Err(AuthError::AssertionReplayed),
            // Expired by the time it reached the memory, as the verdict would now say.
            Err(NotFirst::Late) => Err(AuthError::Assertion(format!(
                "{} (as jwtk verify names it)",
                Reason::Expired.code()
            ))),
            Err(NotFirst::Busy(busy)) => Err(AuthError::Busy {
                retry_after: busy.retry_after,
            }),
        }
    }

    /// The public keys of `source`; a `jwks_uri` is fetched when not kept, or when `again`
    /// and the copy kept is not brand new.
    fn keys(&self, source: &KeySource, again: bool) -> Result<Arc<Vec<Key>>, crate::Error> {
        let (origin, bytes) = match source {
            KeySource::Jwk(jwk) => {
                let set = serde_json::json!({ "keys": [jwk] });
                (
                    "the client's jwk",
                    serde_json::to_vec(&set).unwrap_or_default(),
                )
            }
            KeySource::Jwks(set) => (
                "the client's jwks",
                serde_json::to_vec(set).unwrap_or_default(),
            ),
            KeySource::JwksUri(url) => return self.fetch(url, again),
        };
        Ok(Arc::new(public_keys(origin, bytes)?))
    }

    fn fetch(&self, url: &str, again: bool) -> Result<Arc<Vec<Key>>, crate::Error> {
        {
            let fetched = self.fetched.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(kept) = fetched.get(url) {
                let age = kept.at.elapsed();
                let fresh = if again {
                    age < REFETCH_AFTER
                } else {
                    age < kept.keep
                };
                if fresh {
                    return Ok(Arc::clone(&kept.keys));
                }
            }
        }
        // A blocking download: let the runtime move other work off this thread meanwhile.
        let got = match tokio::runtime::Handle::try_current() {
            Ok(_) => tokio::task::block_in_place(|| download(url)),
            Err(_) => download(url),
        }?;
        let mut fetched = self.fetched.lock().unwrap_or_else(|p| p.into_inner());
        if fetched.len() > 1000 {
            fetched.clear();
        }
        fetched.insert(url.to_string(), got.clone_arc());
        Ok(got.keys)
    }
}

impl Fetched {
    fn clone_arc(&self) -> Fetched {
        Fetched {
            at: self.at,
            keep: self.keep,
            keys: Arc::clone(&self.keys),
        }
    }
}

fn download(url: &str) -> Result<Fetched, crate::Error> {
    let client = Client::new(Options::default()).map_err(|err| fetch_error(url, err))?;
    let got = client
        .get(url, JWKS_LIMIT, &Validators::default(), Start::USER)
        .map_err(|err| fetch_error(url, err))?;
    let keys = public_keys(url, got.body.unwrap_or_default())?;
    let keep = Duration::from_secs(got.max_age.unwrap_or(0)).min(MAX_KEEP);
    Ok(Fetched {
        at: Instant::now(),
        keep,
        keys: Arc::new(keys),
    })
}

fn fetch_error(url: &str, err: crate::remote::http::FetchError) -> crate::Error {
    crate::error::RemoteProblem::Fetch {
        url: url.to_string(),
        err,
    }
    .into()
}

/// The public keys of a JWK Set's bytes (private members ignored, secrets dropped).
fn public_keys(origin: &str, bytes: Vec<u8>) -> Result<Vec<Key>, crate::Error> {
    let set = RemoteSet {
        url: origin.to_string(),
        bytes,
        cached: false,
        age: 0,
        failed_ago: None,
    };
    Ok(fetch::keys_of(&set)?.keys)
}
