//! The HTTP side of the server: routes, the `Host` check (421, against DNS rebinding), CORS
//! for declared origins only, the body cap (413) and the body deadline (408), and one log
//! line per request. Error pages are `text/plain` and echo nothing a client sent.

use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use tokio::time::Instant;

use crate::dpop::Htu;
use crate::serve::assertion::ClientKeys;
use crate::serve::authorize::{self, Answer, Authorizing};
use crate::serve::discovery::{OAUTH_PATH, OIDC_PATH};
use crate::serve::events::{Event, Events, RequestLine};
use crate::serve::options::BODY_LIMIT;
use crate::serve::state::{Live, Snapshot};
use crate::serve::store::{Caps, Store};
use crate::serve::token_endpoint::{self, Issuing, TokenRequest};
use crate::serve::urls::{self, HttpUrl};
use crate::serve::userinfo::{self, Checking, UserinfoRequest};

/// What every request is answered with besides the live state.
pub struct Site {
    /// The issuer.
    pub issuer: HttpUrl,
    /// Access token lifetime, seconds.
    pub ttl: u64,
    /// `Cache-Control: max-age` of `/jwks` and the discovery documents, seconds.
    pub max_age: u64,
    /// The live keys and clients.
    pub live: Arc<Live>,
    /// Where the request log goes.
    pub events: Arc<dyn Events>,
    /// The clock tokens are issued at.
    pub clock: fn() -> i64,
    /// The user `/authorize` signs in unless `login_hint` names one.
    pub user: String,
    /// Codes, refresh tokens, seen `jti`s: kept across reloads of the config and keys.
    pub store: Mutex<Store>,
    /// The keys of `private_key_jwt` clients fetched from their `jwks_uri`.
    pub client_keys: ClientKeys,
    paths: Paths,
    token_url: Htu,
    userinfo_url: Htu,
}

struct Paths {
    oidc: String,
    oauth: String,
    jwks: String,
    token: String,
    authorize: String,
    userinfo: String,
}

/// The endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Discovery,
    Jwks,
    Token,
    Authorize,
    Userinfo,
}

impl Route {
    fn allow(self) -> &'static str {
        match self {
            Route::Discovery | Route::Jwks => "GET, HEAD, OPTIONS",
            Route::Token => "POST, OPTIONS",
            Route::Authorize => "GET, OPTIONS",
            Route::Userinfo => "GET, POST, OPTIONS",
        }
    }
}

/// What a [`Site`] is made of besides the live state.
pub struct Setup {
    /// The issuer.
    pub issuer: HttpUrl,
    /// Access token lifetime, seconds.
    pub ttl: u64,
    /// `Cache-Control: max-age` of `/jwks` and the discovery documents, seconds.
    pub max_age: u64,
    /// The clock tokens are issued at.
    pub clock: fn() -> i64,
    /// The user `/authorize` signs in unless `login_hint` names one.
    pub user: String,
    /// The caps of what the server remembers.
    pub caps: Caps,
}

/// A response body.
pub type Body = Full<Bytes>;

impl Site {
    /// The site of `issuer`: endpoints under its path, RFC 8414's document before it.
    pub fn new(
        setup: Setup,
        live: Arc<Live>,
        events: Arc<dyn Events>,
    ) -> Result<Site, crate::dpop::HtuError> {
        let issuer = setup.issuer;
        let base = issuer.base_path().to_string();
        let paths = Paths {
            oidc: format!("{base}{OIDC_PATH}"),
            oauth: format!("{OAUTH_PATH}{base}"),
            jwks: format!("{base}/jwks"),
            token: format!("{base}/token"),
            authorize: format!("{base}/authorize"),
            userinfo: format!("{base}/userinfo"),
        };
        let htu = |path: &str| format!("{}{path}", issuer.base()).parse::<Htu>();
        Ok(Site {
            token_url: htu("/token")?,
            userinfo_url: htu("/userinfo")?,
            issuer,
            ttl: setup.ttl,
            max_age: setup.max_age,
            live,
            events,
            clock: setup.clock,
            user: setup.user,
            store: Mutex::new(Store::new(setup.caps)),
            client_keys: ClientKeys::default(),
            paths,
        })
    }

    fn route(&self, path: &str) -> Option<Route> {
        let paths = &self.paths;
        if path == paths.oidc || path == paths.oauth {
            Some(Route::Discovery)
        } else if path == paths.jwks {
            Some(Route::Jwks)
        } else if path == paths.token {
            Some(Route::Token)
        } else if path == paths.authorize {
            Some(Route::Authorize)
        } else if path == paths.userinfo {
            Some(Route::Userinfo)
        } else {
            None
        }
    }

    /// Answer one request, whose body must be whole by `deadline`; log it.
    pub async fn answer(&self, request: Request<Incoming>, deadline: Instant) -> Response<Body> {
        let mut line = RequestLine {
            method: request.method().as_str().to_string(),
            path: request.uri().path().to_string(),
            status: 0,
            client_id: None,
            grant_type: None,
        };
        let response = self.dispatch(request, deadline, &mut line).await;
        line.status = response.status().as_u16();
        self.events.report(Event::Request(line));
        response
    }

    async fn dispatch(
        &self,
        request: Request<Incoming>,
        deadline: Instant,
        line: &mut RequestLine,
    ) -> Response<Body> {
        match self.host_allowed(&request) {
            Some(true) => {}
            Some(false) => {
                return text(
                    StatusCode::MISDIRECTED_REQUEST,
                    "misdirected request: this issuer does not serve that host",
                );
            }
            None => return text(StatusCode::BAD_REQUEST, "bad request: no valid Host header"),
        }
        let Some(route) = self.route(request.uri().path()) else {
            return text(StatusCode::NOT_FOUND, "not found");
        };
        let snapshot = self.live.get();
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .and_then(urls::parse_origin)
            .filter(|origin| snapshot.registry.allows_origin(origin));
        let method = request.method().clone();
        let mut response = match (route, &method) {
            (_, &Method::OPTIONS) => preflight(route, request.headers(), origin.is_some()),
            (Route::Discovery, &Method::GET | &Method::HEAD) => {
                cached_json(snapshot.discovery.clone(), self.max_age)
            }
            (Route::Jwks, &Method::GET | &Method::HEAD) => {
                jwks(&snapshot, request.headers(), self.max_age)
            }
            (Route::Token, &Method::POST) => self.token(request, &snapshot, deadline, line).await,
            (Route::Authorize, &Method::GET) => self.authorize(&request, &snapshot, line),
            (Route::Userinfo, &Method::GET | &Method::POST) => {
                self.userinfo(&request, &snapshot, line)
            }
            _ => {
                let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
                put(&mut response, header::ALLOW, route.allow());
                response
            }
        };
        put(&mut response, header::VARY, "Origin");
        if let Some(origin) = origin
            && let Ok(value) = HeaderValue::from_str(&origin)
        {
            response
                .headers_mut()
                .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            put(
                &mut response,
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                "WWW-Authenticate, DPoP-Nonce",
            );
        }
        response
    }

    /// `GET /authorize`: a redirect with a code (or an error), else a 400 page.
    fn authorize(
        &self,
        request: &Request<Incoming>,
        snapshot: &Snapshot,
        line: &mut RequestLine,
    ) -> Response<Body> {
        let at = Authorizing {
            issuer: &self.issuer.text,
            user: &self.user,
            now: (self.clock)(),
            store: &self.store,
        };
        let query = request.uri().query().unwrap_or_default();
        let (answer, client_id) = authorize::handle(query, &snapshot.registry, &snapshot.keys, &at);
        line.client_id = client_id;
        match answer {
            Answer::Page(message) => {
                let mut response = text(StatusCode::BAD_REQUEST, message);
                put(&mut response, header::CACHE_CONTROL, "no-store");
                response
            }
            Answer::Redirect(location) => {
                let mut response = respond(StatusCode::FOUND, Bytes::new());
                put(&mut response, header::LOCATION, &location);
                put(&mut response, header::CACHE_CONTROL, "no-store");
                response
            }
        }
    }

    /// `GET` or `POST /userinfo`: the user's claims for an access token from this server.
    fn userinfo(
        &self,
        request: &Request<Incoming>,
        snapshot: &Snapshot,
        line: &mut RequestLine,
    ) -> Response<Body> {
        let headers = request.headers();
        let asked = UserinfoRequest {
            method: request.method().as_str(),
            authorization: one(headers, header::AUTHORIZATION),
            dpop: dpop_proofs(headers),
        };
        let checking = Checking {
            issuer: &self.issuer.text,
            url: &self.userinfo_url,
            now: (self.clock)(),
            store: &self.store,
        };
        let reply = userinfo::handle(&asked, &snapshot.registry, &snapshot.keys, &checking);
        line.client_id = reply.client_id;
        let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::UNAUTHORIZED);
        let mut response = no_store_json(status, reply.body);
        retry_after(&mut response, reply.retry_after);
        for challenge in reply.challenges {
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                response
                    .headers_mut()
                    .append(header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }

    /// Whether the request's host (port aside) is the issuer's or a loopback name; `None`
    /// when it names none.
    fn host_allowed(&self, request: &Request<Incoming>) -> Option<bool> {
        let authority = match request.uri().authority() {
            Some(authority) => authority.as_str().to_string(),
            None => request
                .headers()
                .get(header::HOST)?
                .to_str()
                .ok()?
                .to_string(),
        };
        let Ok(parsed) = urls::parse_authority(&authority, false) else {
            return Some(false);
        };
        Some(parsed.host == self.issuer.host || urls::is_loopback_host(&parsed.host))
    }

    async fn token(
        &self,
        request: Request<Incoming>,
        snapshot: &Snapshot,
        deadline: Instant,
        line: &mut RequestLine,
    ) -> Response<Body> {
        let (parts, body) = request.into_parts();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
            return too_large();
        }
        let body = match tokio::time::timeout_at(deadline, Limited::new(body, BODY_LIMIT).collect())
            .await
        {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(err)) if err.is::<http_body_util::LengthLimitError>() => return too_large(),
            Ok(Err(_)) => {
                return text(
                    StatusCode::BAD_REQUEST,
                    "bad request: the body could not be read",
                );
            }
            Err(_) => {
                let mut response = text(StatusCode::REQUEST_TIMEOUT, "request timeout");
                put(&mut response, header::CONNECTION, "close");
                return response;
            }
        };
        let headers = &parts.headers;
        let request = TokenRequest {
            content_type: one(headers, header::CONTENT_TYPE),
            authorization: one(headers, header::AUTHORIZATION),
            dpop: dpop_proofs(headers),
            body: &body,
        };
        let issuing = Issuing {
            issuer: &self.issuer.text,
            token_url: &self.token_url,
            ttl: self.ttl,
            now: (self.clock)(),
            store: &self.store,
            client_keys: &self.client_keys,
        };
        let reply = token_endpoint::handle(&request, &snapshot.registry, &snapshot.keys, &issuing);
        line.client_id = reply.client_id;
        line.grant_type = reply.grant_type;
        let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut response = no_store_json(status, reply.body);
        retry_after(&mut response, reply.retry_after);
        if reply.basic_challenge {
            put(
                &mut response,
                header::WWW_AUTHENTICATE,
                "Basic realm=\"jwtk serve\", charset=\"UTF-8\"",
            );
        }
        response
    }
}

/// `GET /jwks`: the published set with its ETag; 304 when `If-None-Match` holds it.
/// The first value of the header `name`, as bytes.
fn one(headers: &HeaderMap, name: header::HeaderName) -> Option<&[u8]> {
    headers.get(name).map(HeaderValue::as_bytes)
}

/// Every `DPoP` header given (more than one is refused where they are judged).
fn dpop_proofs(headers: &HeaderMap) -> Vec<&[u8]> {
    headers
        .get_all("dpop")
        .iter()
        .map(HeaderValue::as_bytes)
        .collect()
}

fn jwks(snapshot: &Snapshot, headers: &HeaderMap, max_age: u64) -> Response<Body> {
    let keys = &snapshot.keys;
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == keys.etag);
    let mut response = if matches {
        respond(StatusCode::NOT_MODIFIED, Bytes::new())
    } else {
        let mut response = cached_json(keys.jwks.clone(), max_age);
        put(
            &mut response,
            header::CONTENT_TYPE,
            "application/jwk-set+json",
        );
        response
    };
    put(
        &mut response,
        header::CACHE_CONTROL,
        &format!("max-age={max_age}"),
    );
    put(&mut response, header::ETAG, &keys.etag);
    response
}

/// A CORS preflight (or a plain OPTIONS): the methods the route takes; CORS headers only
/// when the origin is allowed (the caller adds `Access-Control-Allow-Origin`).
fn preflight(route: Route, headers: &HeaderMap, allowed: bool) -> Response<Body> {
    let mut response = respond(StatusCode::NO_CONTENT, Bytes::new());
    put(&mut response, header::ALLOW, route.allow());
    if allowed && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD) {
        put(
            &mut response,
            header::ACCESS_CONTROL_ALLOW_METHODS,
            route.allow(),
        );
        put(
            &mut response,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            "Authorization, Content-Type, DPoP, If-None-Match",
        );
        put(&mut response, header::ACCESS_CONTROL_MAX_AGE, "600");
    }
    response
}

fn too_large() -> Response<Body> {
    let body = token_endpoint::error_body(
        "invalid_request",
        &format!("the body is larger than {} KiB", BODY_LIMIT / 1024),
    );
    let mut response = no_store_json(StatusCode::PAYLOAD_TOO_LARGE, body);
    put(&mut response, header::CONNECTION, "close");
    response
}

fn cached_json(body: Vec<u8>, max_age: u64) -> Response<Body> {
    let mut response = respond(StatusCode::OK, Bytes::from(body));
    put(&mut response, header::CONTENT_TYPE, "application/json");
    put(
        &mut response,
        header::CACHE_CONTROL,
        &format!("max-age={max_age}"),
    );
    response
}

/// `Retry-After: SECONDS` (RFC 9110 §10.2.3), when there is a wait to tell.
fn retry_after(response: &mut Response<Body>, seconds: Option<u64>) {
    if let Some(seconds) = seconds {
        put(response, header::RETRY_AFTER, &seconds.to_string());
    }
}

fn no_store_json(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut response = respond(status, Bytes::from(body));
    put(&mut response, header::CONTENT_TYPE, "application/json");
    put(&mut response, header::CACHE_CONTROL, "no-store");
    put(&mut response, header::PRAGMA, "no-cache");
    response
}

/// A `text/plain` page of fixed text.
pub fn text(status: StatusCode, message: &'static str) -> Response<Body> {
    let mut response = respond(status, Bytes::from(format!("{message}\n")));
    put(
        &mut response,
        header::CONTENT_TYPE,
        "text/plain; charset=utf-8",
    );
    response
}

fn respond(status: StatusCode, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    put(&mut response, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    response
}

fn put(response: &mut Response<Body>, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}
