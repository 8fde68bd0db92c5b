//! Remote key sets: a JWKS URL or an issuer's discovery document, fetched through the cache
//! with the contract's rules (freshness, revalidation, `--offline`, `--refresh`, one refetch
//! per run for an unknown kid), and the public keys a fetched set holds.

use std::cell::OnceCell;

use serde_json::Value;

use crate::error::{Error, RemoteProblem, Result, Usage};
use crate::json::{self, JsonError};
use crate::keys::format;
use crate::keys::format::Loaded;
use crate::keys::key::Material;
use crate::remote::cache::{self, Cache, Entry, Lookup};
use crate::remote::error::{has_userinfo, shown_url};
use crate::remote::http::{self, Client, FetchError, Options, Start};
use crate::remote::reach::Reach;

/// The cap on a discovery document.
pub const DISCOVERY_LIMIT: u64 = 256 * 1024;
/// The cap on a JWKS.
pub const JWKS_LIMIT: u64 = 1024 * 1024;
/// A copy younger than this is not refetched for an unknown kid.
pub const REFETCH_AFTER: u64 = 30;

/// How remote documents may be fetched.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Use only the cache (`--offline`).
    pub offline: bool,
    /// Ask the server even when the copy is fresh (`--refresh`).
    pub refresh: bool,
    /// Timeouts and extra roots.
    pub http: Options,
}

/// A fetched JWKS: its bytes and where they came from.
#[derive(Debug, Clone)]
pub struct RemoteSet {
    /// The JWKS URL (the `jwks_uri` under discovery).
    pub url: String,
    /// The JWKS document.
    pub bytes: Vec<u8>,
    /// Whether the copy came from the cache (fresh, or renewed by a 304).
    pub cached: bool,
    /// Seconds since the copy was fetched or revalidated.
    pub age: u64,
    /// Seconds since an unknown kid's refetch of it failed, if one did.
    pub failed_ago: Option<u64>,
}

/// An issuer's discovered JWKS URL, and what fetching it may use and reach.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// The `jwks_uri`.
    pub jwks_uri: String,
    /// Plain HTTP only if the issuer is on loopback too; non-public addresses only if the
    /// issuer's URL is on one.
    pub start: Start,
}

/// Fetches through the cache; builds its TLS client only when something is really fetched.
pub struct Fetcher {
    settings: Settings,
    cache: Cache,
    client: OnceCell<Client>,
    /// Things to tell the user (plain HTTP, a distrusted cache file, skipped keys).
    pub notes: Vec<String>,
}

/// Why a document could not be had.
enum Fail {
    /// The fetch failed; `stale` says a cached copy existed but could not be revalidated.
    Fetch {
        url: String,
        err: FetchError,
        stale: bool,
    },
    /// `--offline` and nothing cached.
    NotCached(String),
    /// Anything else (a cache write, a client set-up error).
    Other(Error),
}

impl From<Fail> for Error {
    fn from(fail: Fail) -> Error {
        match fail {
            Fail::Fetch {
                url,
                err,
                stale: true,
            } => RemoteProblem::Revalidate { url, err }.into(),
            Fail::Fetch { url, err, .. } => RemoteProblem::Fetch { url, err }.into(),
            Fail::NotCached(url) => RemoteProblem::NotCached { url }.into(),
            Fail::Other(err) => err,
        }
    }
}

/// Which document a body must be.
#[derive(Clone, Copy)]
enum Kind {
    Discovery,
    Jwks,
}

impl Kind {
    fn limit(self) -> u64 {
        match self {
            Kind::Discovery => DISCOVERY_LIMIT,
            Kind::Jwks => JWKS_LIMIT,
        }
    }

    /// Whether `body` is the document it should be: a JSON object read with the strict rules
    /// of tokens (a duplicate member name is an error), with a `keys` array for a JWKS. What
    /// is not is never cached nor read as key material.
    fn check(self, body: &[u8]) -> std::result::Result<String, String> {
        let text = std::str::from_utf8(body).map_err(|_| "the response is not UTF-8 text")?;
        let value = json::parse_object(body).map_err(|err| match err {
            JsonError::Syntax(_) | JsonError::NotObject(_) => {
                format!("the response is not a JSON object: {err}")
            }
            _ => format!("the response is refused: {err}"),
        })?;
        match self {
            Kind::Jwks if !value.get("keys").is_some_and(Value::is_array) => {
                Err("the response is not a JWK Set (no \"keys\" array)".into())
            }
            _ => Ok(text.to_string()),
        }
    }
}

impl Fetcher {
    /// A fetcher using the user's cache folder, for the extra roots it trusts.
    pub fn new(settings: Settings) -> Fetcher {
        let roots = http::roots_id(settings.http.extra_roots.as_deref());
        Fetcher::with_cache(settings, Cache::from_env().for_roots(roots))
    }

    /// A fetcher using `cache`.
    pub fn with_cache(settings: Settings, cache: Cache) -> Fetcher {
        Fetcher {
            settings,
            cache,
            client: OnceCell::new(),
            notes: Vec::new(),
        }
    }

    /// The JWKS at `url`. `force` skips freshness (the unknown-kid refetch).
    pub fn jwks(&mut self, url: &str, start: Start, force: bool) -> Result<RemoteSet> {
        let (entry, cached) = self.get(url, Kind::Jwks, start, force)?;
        Ok(RemoteSet {
            url: url.to_string(),
            age: entry.age(),
            failed_ago: entry.failed_ago(),
            bytes: entry.body.into_bytes(),
            cached,
        })
    }

    /// Remember in the cache that an unknown kid's refetch of `url` failed now.
    pub fn remember_failure(&mut self, url: &str) {
        if let Lookup::Found(mut entry) = self.cache.read(url) {
            entry.refetch_failed = Some(cache::real_now());
            if let Err(err) = self.cache.write(&entry) {
                self.notes.push(format!("could not cache {url}: {err}"));
            }
        }
    }

    /// The `jwks_uri` of `issuer`, by OIDC discovery and then RFC 8414, after checking that
    /// the document names exactly this issuer and an HTTPS `jwks_uri`.
    pub fn discover(&mut self, issuer: &str) -> Result<Discovered> {
        let [oidc, oauth] = discovery_urls(issuer)?;
        let entry = match self.get(&oidc, Kind::Discovery, Start::USER, false) {
            Ok((entry, _)) => entry,
            Err(
                Fail::NotCached(_)
                | Fail::Fetch {
                    err: FetchError::Status(404),
                    ..
                },
            ) => match self.get(&oauth, Kind::Discovery, Start::USER, false) {
                Ok((entry, _)) => entry,
                Err(Fail::NotCached(_)) => return Err(Fail::NotCached(oidc).into()),
                Err(fail) => return Err(fail.into()),
            },
            Err(fail) => return Err(fail.into()),
        };
        Ok(Discovered {
            jwks_uri: jwks_uri(&entry, issuer)?,
            start: Start {
                plain_http: http::url_is_loopback(issuer),
                reach: Reach::after(entry.non_public_ok),
            },
        })
    }

    /// One document through the cache, with whether it came from there.
    fn get(
        &mut self,
        url: &str,
        kind: Kind,
        start: Start,
        force: bool,
    ) -> std::result::Result<(Entry, bool), Fail> {
        if has_userinfo(url) {
            // Refused before the cache is read or written: a password never reaches a file.
            return Err(Fail::Fetch {
                url: shown_url(url).into_owned(),
                err: FetchError::Userinfo,
                stale: false,
            });
        }
        let entry = self.cached(url, kind);
        if self.settings.offline {
            return entry
                .map(|e| (e, true))
                .ok_or_else(|| Fail::NotCached(url.to_string()));
        }
        let ask = self.settings.refresh || force;
        let entry = match entry {
            Some(e) if e.is_fresh() && !ask => return Ok((e, true)),
            other => other,
        };
        let validators = entry.as_ref().map(Entry::validators).unwrap_or_default();
        let fail = |err, stale| Fail::Fetch {
            url: url.to_string(),
            err,
            stale,
        };
        let client = self.client().map_err(|err| fail(err, false))?;
        let fetched = client
            .get(url, kind.limit(), &validators, start)
            .map_err(|err| fail(err, entry.is_some()))?;
        self.notes.extend(fetched.notes);
        let non_public_ok = fetched.non_public_ok;
        let (mut fresh, cached) = match (fetched.body, entry) {
            (None, Some(old)) => (old.renewed(fetched.max_age, fetched.validators), true),
            (None, None) => return Err(fail(FetchError::Status(304), false)),
            (Some(body), _) => {
                let text = kind.check(&body).map_err(|why| {
                    Fail::Other(
                        RemoteProblem::BadBody {
                            url: url.to_string(),
                            why: why.to_string(),
                        }
                        .into(),
                    )
                })?;
                (
                    Entry::new(url, text, fetched.max_age, fetched.validators),
                    false,
                )
            }
        };
        fresh.non_public_ok = non_public_ok;
        if let Err(err) = self.cache.write(&fresh) {
            self.notes.push(format!("could not cache {url}: {err}"));
        }
        Ok((fresh, cached))
    }

    /// The cached copy of `url`, if it can be trusted and is the document it should be.
    fn cached(&mut self, url: &str, kind: Kind) -> Option<Entry> {
        match self.cache.read(url) {
            Lookup::Missing => None,
            Lookup::Distrusted(why) => {
                self.notes
                    .push(format!("ignoring the cached copy of {url}: {why}"));
                None
            }
            Lookup::Found(entry) if kind.check(entry.body.as_bytes()).is_err() => {
                self.notes
                    .push(format!("ignoring the cached copy of {url}: it is corrupt"));
                None
            }
            Lookup::Found(entry) => Some(entry),
        }
    }

    fn client(&self) -> std::result::Result<&Client, FetchError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let client = Client::new(self.settings.http.clone())?;
        Ok(self.client.get_or_init(|| client))
    }
}

/// OIDC discovery's URL and RFC 8414's (§3.1: the well-known part goes before the path).
fn discovery_urls(issuer: &str) -> Result<[String; 2]> {
    if has_userinfo(issuer) {
        return Err(Usage::BadIssuer {
            issuer: shown_url(issuer).into_owned(),
            why: "carries a user name or password, which an issuer never has",
        }
        .into());
    }
    let uri: ureq::http::Uri = issuer
        .parse()
        .map_err(|_| bad_issuer(issuer, "is not a URL"))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(bad_issuer(issuer, "is not an absolute URL"));
    };
    if uri.query().is_some() || issuer.contains('#') {
        return Err(bad_issuer(
            issuer,
            "has a query or fragment, which an issuer never has",
        ));
    }
    let base = issuer.strip_suffix('/').unwrap_or(issuer);
    let path = uri.path();
    let path = path.strip_suffix('/').unwrap_or(path);
    Ok([
        format!("{base}/.well-known/openid-configuration"),
        format!("{scheme}://{authority}/.well-known/oauth-authorization-server{path}"),
    ])
}

fn bad_issuer(issuer: &str, why: &'static str) -> Error {
    Usage::BadIssuer {
        issuer: issuer.to_string(),
        why,
    }
    .into()
}

/// The `jwks_uri` of a discovery document, after the issuer and scheme checks.
fn jwks_uri(entry: &Entry, issuer: &str) -> Result<String> {
    // Checked strictly before it was cached or used; read the same way again.
    let doc = json::parse_object(entry.body.as_bytes()).unwrap_or_default();
    let named = doc.get("issuer").and_then(Value::as_str);
    if named != Some(issuer) {
        let named = named.map_or("no issuer".to_string(), |n| {
            format!("issuer {:?}", cut(n, 80))
        });
        return Err(RemoteProblem::IssuerMismatch {
            url: entry.url.clone(),
            named,
            issuer: issuer.to_string(),
        }
        .into());
    }
    let uri =
        doc.get("jwks_uri")
            .and_then(Value::as_str)
            .ok_or_else(|| RemoteProblem::NoJwksUri {
                url: entry.url.clone(),
            })?;
    let plain_ok = http::url_is_loopback(issuer) && http::url_is_loopback(uri);
    let https = uri.starts_with("https://");
    if !(https || plain_ok && uri.starts_with("http://")) {
        return Err(RemoteProblem::JwksUriNotHttps {
            url: entry.url.clone(),
            uri: cut(uri, 80).to_string(),
        }
        .into());
    }
    Ok(uri.to_string())
}

/// At most `max` characters of a value taken from a document, for messages.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The public keys of a fetched set: RFC 7517 §5 as the key loader applies it, then `oct`
/// keys dropped and private members ignored (a published set is public).
pub fn keys_of(set: &RemoteSet) -> Result<Loaded> {
    let mut loaded = format::load(&set.bytes, &set.url, None, crate::time::now())?;
    let mut keys = Vec::with_capacity(loaded.keys.len());
    for mut key in std::mem::take(&mut loaded.keys) {
        let label = key.label();
        match key.material {
            Material::Secret(_) => loaded.notes.push(format!(
                "{}: skipped {label}: a fetched set's secret (oct) keys are never used",
                set.url
            )),
            Material::Private(_, public) => {
                loaded.notes.push(format!(
                    "{}: {label} carries private members; they are ignored",
                    set.url
                ));
                key.material = Material::Public(public);
                keys.push(key);
            }
            Material::Public(_) => keys.push(key),
        }
    }
    if keys.is_empty() {
        return Err(RemoteProblem::NoUsableKey {
            url: set.url.clone(),
        }
        .into());
    }
    loaded.keys = keys;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_urls_follow_oidc_and_rfc_8414() {
        assert_eq!(
            discovery_urls("https://a.example").unwrap(),
            [
                "https://a.example/.well-known/openid-configuration",
                "https://a.example/.well-known/oauth-authorization-server",
            ]
        );
        // Auth0's issuers end in `/`: one is dropped.
        assert_eq!(
            discovery_urls("https://t.eu.auth0.com/").unwrap()[0],
            "https://t.eu.auth0.com/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_urls("https://kc.example/realms/dev").unwrap(),
            [
                "https://kc.example/realms/dev/.well-known/openid-configuration",
                "https://kc.example/.well-known/oauth-authorization-server/realms/dev",
            ]
        );
        assert!(discovery_urls("accounts.google.com").is_err());
        assert!(discovery_urls("https://a.example/?x=1").is_err());
    }

    #[test]
    fn a_jwks_must_have_a_keys_array() {
        assert!(Kind::Jwks.check(br#"{"keys":[]}"#).is_ok());
        assert!(Kind::Jwks.check(br#"{"kty":"RSA"}"#).is_err());
        assert!(Kind::Jwks.check(b"<html>").is_err());
        assert!(Kind::Discovery.check(br#"{"issuer":"x"}"#).is_ok());
    }

    #[test]
    fn documents_are_read_strictly() {
        let twice = br#"{"issuer":"https://a.example","issuer":"https://evil.example"}"#;
        let why = Kind::Discovery.check(twice).unwrap_err();
        assert!(why.contains("duplicate member name \"issuer\""), "{why}");
        assert!(Kind::Jwks.check(br#"{"keys":[],"keys":[]}"#).is_err());
        assert!(Kind::Jwks.check(b"\xEF\xBB\xBF{\"keys\":[]}").is_err());
        assert!(
            Kind::Discovery
                .check(b"[1]")
                .unwrap_err()
                .contains("not a JSON object")
        );
    }
}
