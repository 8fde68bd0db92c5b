//! Fetching over HTTPS: one GET with the checks a key download needs — HTTPS on every hop
//! (plain HTTP only between loopback hosts), redirects followed here so each hop is checked,
//! timeouts, a size cap, and any status but 2xx (or 304) refused before the body is read.
//! TLS is rustls on aws-lc-rs with the operating system's verifier; nothing here runs unless a
//! URL was given. Proxies (HTTP CONNECT and SOCKS) come from the environment; which addresses
//! each hop may reach is [`reach`]'s rule.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::http::{Response, Uri};
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, Body, Proxy};

use crate::remote::reach::{self, CheckedResolver, Reach};

pub use crate::remote::error::MAX_REDIRECTS;
/// The default time to connect.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default time for a whole fetch, redirects included.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest `--timeout` accepted.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(5 * 60);

pub use crate::remote::error::FetchError;

/// How to fetch: timeouts and the extra trusted roots.
#[derive(Debug, Clone)]
pub struct Options {
    /// The whole fetch, redirects included.
    pub total: Duration,
    /// Connecting (TCP and TLS), capped by `total`.
    pub connect: Duration,
    /// PEM certificates to trust besides the system's (`--cacert`).
    pub extra_roots: Option<Vec<u8>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            total: TOTAL_TIMEOUT,
            connect: CONNECT_TIMEOUT,
            extra_roots: None,
        }
    }
}

/// Validators from a cached copy, sent to ask "has it changed?".
#[derive(Debug, Clone, Default)]
pub struct Validators {
    /// The `ETag` it came with.
    pub etag: Option<String>,
    /// The `Last-Modified` it came with.
    pub last_modified: Option<String>,
}

impl Validators {
    fn any(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

/// Where a fetch starts from: what its first URL may use and reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Start {
    /// Plain HTTP may be used (every URL before this one was on a loopback host).
    pub plain_http: bool,
    /// Which addresses the first URL may reach.
    pub reach: Reach,
}

impl Start {
    /// A URL the user gave (`--jwks`, `--issuer`'s discovery URLs).
    pub const USER: Start = Start {
        plain_http: true,
        reach: Reach::Origin,
    };
}

/// What a successful fetch brought.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The body; `None` for a 304 (the cached copy is still good).
    pub body: Option<Vec<u8>>,
    /// The `Cache-Control` `max-age`, in seconds, if given.
    pub max_age: Option<u64>,
    /// Validators for the next revalidation.
    pub validators: Validators,
    /// Things to tell the user (plain HTTP to loopback, names a proxy resolves unchecked).
    pub notes: Vec<String>,
    /// Whether the URLs this document leads to (a `jwks_uri`) may be on non-public addresses.
    pub non_public_ok: bool,
}

/// A client for a series of fetches with the same options.
pub struct Client {
    options: Options,
    tls: TlsConfig,
}

impl Client {
    /// A client; reads and checks the `--cacert` roots now.
    pub fn new(options: Options) -> Result<Client, FetchError> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let roots = match &options.extra_roots {
            Some(pem) => RootCerts::Specific(Arc::new(root_set(pem)?)),
            None => RootCerts::PlatformVerifier,
        };
        let tls = TlsConfig::builder()
            .unversioned_rustls_crypto_provider(provider)
            .root_certs(roots)
            .build();
        Ok(Client { options, tls })
    }

    /// GET `url` with at most `limit` bytes of body, following up to [`MAX_REDIRECTS`]
    /// redirects, each hop checked: its scheme (HTTPS, or HTTP while every URL is on a loopback
    /// host), its proxy, and the addresses it may reach.
    pub fn get(
        &self,
        url: &str,
        limit: u64,
        validators: &Validators,
        start: Start,
    ) -> Result<Fetched, FetchError> {
        let deadline = Instant::now() + self.options.total;
        let mut notes = Vec::new();
        let mut current = checked(url, start.plain_http, None, &mut notes)?;
        let mut seen = vec![current.to_string()];
        let mut plain_http = start.plain_http;
        let mut reach = start.reach;
        loop {
            let (response, after) =
                self.request(&current, validators, deadline, reach, &mut notes)?;
            reach = after;
            let status = response.status().as_u16();
            if !(300..400).contains(&status) || status == 304 {
                let mut fetched = finish(response, limit, validators, notes)?;
                fetched.non_public_ok = reach == Reach::Any;
                return Ok(fetched);
            }
            let next = location(&current, &response)?;
            if seen.len() > MAX_REDIRECTS || seen.contains(&next) {
                return Err(FetchError::TooManyRedirects);
            }
            plain_http = plain_http && is_loopback(&current);
            current = checked(&next, plain_http, Some(&current), &mut notes)?;
            seen.push(next);
        }
    }

    /// One request to `uri` within the deadline, reaching only what `reach` allows; returns
    /// the reach of the URLs it leads to.
    fn request(
        &self,
        uri: &Uri,
        validators: &Validators,
        deadline: Instant,
        reach: Reach,
        notes: &mut Vec<String>,
    ) -> Result<(Response<Body>, Reach), FetchError> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(FetchError::Timeout(self.options.total));
        }
        let proxy = proxy_for(uri)?;
        let host = uri.host().unwrap_or_default();
        // What the URL spells out is judged now; a name is judged by the resolver below,
        // unless a proxy resolves it (then it cannot be, and the user is told).
        let proxy_resolves = proxy.as_ref().is_some_and(|p| !p.resolve_target());
        if reach == Reach::Public {
            if reach::named_non_public(host) {
                return Err(non_public(uri, host));
            }
            if proxy_resolves && reach::literal(host).is_none() {
                notes.push(format!(
                    "{uri}: the proxy resolves {host} itself, so whether it is a public address is not checked"
                ));
            }
        }
        let config = Agent::config_builder()
            .tls_config(self.tls.clone())
            .proxy(proxy)
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(self.options.connect.min(left)))
            .timeout_global(Some(left))
            .user_agent(concat!("jwtk/", env!("CARGO_PKG_VERSION")))
            .accept("application/json, application/jwk-set+json")
            .build();
        let (resolver, resolved) = CheckedResolver::new(uri, reach);
        let agent = Agent::with_parts(config, DefaultConnector::new(), resolver);
        let mut request = agent.get(uri.to_string());
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
        let result = request.call();
        let resolved = reach::take(&resolved);
        if let Some(addr) = resolved.refused {
            return Err(non_public(uri, &addr.to_string()));
        }
        let response = result.map_err(|err| transport(err, self.options.total))?;
        let after = match reach {
            // The user's URL: the address connected to, or (through a proxy that resolves
            // names) what it spells out.
            Reach::Origin => Reach::after(
                resolved
                    .non_public
                    .unwrap_or_else(|| reach::named_non_public(host)),
            ),
            other => other,
        };
        Ok((response, after))
    }
}

fn non_public(uri: &Uri, addr: &str) -> FetchError {
    FetchError::NonPublic {
        url: uri.to_string(),
        addr: addr
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
    }
}

/// The extra roots from PEM text plus the system's own, as one root set.
fn root_set(pem: &[u8]) -> Result<Vec<Certificate<'static>>, FetchError> {
    let mut certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(FetchError::CaCert(
            "the --cacert file holds no PEM certificate".into(),
        ));
    }
    // The platform verifier takes no extra roots everywhere; add the system's roots instead.
    let system = rustls_native_certs::load_native_certs();
    certs.extend(
        system
            .certs
            .into_iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned()),
    );
    Ok(certs)
}

/// What identifies a set of extra roots: SHA-256 over their certificates (DER, sorted, each
/// once, each with its length), hex; empty for none. Two files with the same certificates are
/// the same roots; one file whose content changed is not.
pub fn roots_id(pem: Option<&[u8]>) -> String {
    let mut ders: Vec<Vec<u8>> = ureq::tls::parse_pem(pem.unwrap_or_default())
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert.der().to_vec()),
            _ => None,
        })
        .collect();
    if ders.is_empty() {
        return String::new();
    }
    ders.sort();
    ders.dedup();
    let mut context = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA256);
    for der in &ders {
        context.update(&(der.len() as u64).to_be_bytes());
        context.update(der);
    }
    context
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parse `url` and check its scheme: HTTPS, or HTTP on a loopback host when plain HTTP is
/// still allowed (never after HTTPS, when `from` is the previous hop).
fn checked(
    url: &str,
    loopback_ok: bool,
    from: Option<&Uri>,
    notes: &mut Vec<String>,
) -> Result<Uri, FetchError> {
    let uri: Uri = url
        .parse()
        .map_err(|err| FetchError::BadUrl(format!("{err}")))?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(FetchError::BadUrl("no host".into()));
    }
    if crate::remote::error::has_userinfo(url) {
        return Err(FetchError::Userinfo);
    }
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") => {
            if from.is_some_and(|prev| prev.scheme_str() == Some("https")) {
                return Err(FetchError::Downgrade(url.to_string()));
            }
            if !loopback_ok || !is_loopback(&uri) {
                return Err(FetchError::Insecure(url.to_string()));
            }
            notes.push(format!(
                "fetching {url} over plain HTTP: allowed only because it is a loopback host"
            ));
            Ok(uri)
        }
        _ => Err(FetchError::BadUrl("the scheme must be https".into())),
    }
}

/// Whether the URL's host is `localhost`, in 127.0.0.0/8, or `::1`.
pub fn is_loopback(uri: &Uri) -> bool {
    let Some(host) = uri.host() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `url` parses and is on a loopback host.
pub fn url_is_loopback(url: &str) -> bool {
    url.parse::<Uri>().is_ok_and(|uri| is_loopback(&uri))
}

/// The redirect target, resolved against the current URL.
fn location(current: &Uri, response: &Response<Body>) -> Result<String, FetchError> {
    let status = response.status().as_u16();
    let value = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or(FetchError::NoLocation(status))?;
    Ok(resolve(current, value))
}

/// RFC 3986 reference resolution for the forms servers send in `Location`.
fn resolve(base: &Uri, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    let scheme = base.scheme_str().unwrap_or("https");
    if let Some(rest) = reference.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let authority = base.authority().map_or("", |a| a.as_str());
    if reference.starts_with('/') {
        return format!("{scheme}://{authority}{reference}");
    }
    let path = base.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    format!("{scheme}://{authority}{dir}{reference}")
}

/// Read a final response: 2xx within the cap, or 304 to a conditional request.
fn finish(
    mut response: Response<Body>,
    limit: u64,
    validators: &Validators,
    notes: Vec<String>,
) -> Result<Fetched, FetchError> {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let fresh = Validators {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let max_age = header("cache-control").and_then(|cc| max_age(&cc));
    if status == 304 && validators.any() {
        return Ok(Fetched {
            body: None,
            max_age,
            validators: fresh,
            notes,
            non_public_ok: false,
        });
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status(status));
    }
    let body = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|err| match err {
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(size_name(limit)),
            other => transport(other, Duration::ZERO),
        })?;
    Ok(Fetched {
        body: Some(body),
        max_age,
        validators: fresh,
        notes,
        non_public_ok: false,
    })
}

/// `max-age=N` out of a `Cache-Control` value.
pub fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|directive| {
        let (name, value) = directive.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| value.trim().trim_matches('"').parse().ok())?
    })
}

fn size_name(limit: u64) -> String {
    if limit >= 1024 * 1024 && limit.is_multiple_of(1024 * 1024) {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{} KiB", limit / 1024)
    }
}

fn transport(err: ureq::Error, total: Duration) -> FetchError {
    match err {
        ureq::Error::Timeout(_) => FetchError::Timeout(total),
        ureq::Error::HostNotFound => FetchError::Transport("host not found (DNS)".into()),
        ureq::Error::Rustls(tls) => tls_failure(&tls),
        ureq::Error::Io(io) => match io.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
            Some(tls) => tls_failure(tls),
            None => FetchError::Transport(io.to_string()),
        },
        other => FetchError::Transport(other.to_string()),
    }
}

/// A TLS failure; a certificate from a CA no trusted root vouches for is one of its own (a
/// private or corporate CA: `--cacert` adds its roots).
fn tls_failure(tls: &rustls::Error) -> FetchError {
    match tls {
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
            FetchError::UnknownIssuer
        }
        other => FetchError::Transport(format!("TLS: {other}")),
    }
}

/// The proxy for `uri`: for HTTPS, `HTTPS_PROXY` (or `https_proxy`, then `ALL_PROXY`/
/// `all_proxy`) unless `NO_PROXY`/`no_proxy` names the host. Plain HTTP (loopback only) and
/// loopback hosts are never proxied. A value that is not a proxy URL is an error, never a
/// silent direct connection.
fn proxy_for(uri: &Uri) -> Result<Option<Proxy>, FetchError> {
    if uri.scheme_str() != Some("https") || is_loopback(uri) {
        return Ok(None);
    }
    let Some(host) = uri.host() else {
        return Ok(None);
    };
    let no_proxy = env_first(&["NO_PROXY", "no_proxy"]).map_or_else(String::new, |(_, v)| v);
    if bypasses(&no_proxy, host) {
        return Ok(None);
    }
    match env_first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) {
        Some((var, value)) => parse_proxy(&value)
            .map(Some)
            .map_err(|why| FetchError::Proxy { var, why }),
        None => Ok(None),
    }
}

/// A proxy URL as curl reads it: `[scheme://][user:password@]host[:port][/]`, the scheme one
/// of `http`, `https`, `socks4`, `socks4a`, `socks5`, `socks5h` (`http` when none is given).
pub fn parse_proxy(value: &str) -> Result<Proxy, &'static str> {
    let value = value.trim();
    let uri: Uri = value.parse().map_err(|_| "it does not parse as a URL")?;
    if uri.host().is_none_or(str::is_empty) {
        return Err("it names no host");
    }
    if uri
        .path_and_query()
        .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty())
    {
        return Err("a proxy URL has no path or query");
    }
    let host_port = uri.authority().map_or("", |a| a.as_str());
    let host_port = host_port.rsplit_once('@').map_or(host_port, |(_, hp)| hp);
    if let Some((_, port)) = host_port
        .rsplit_once(':')
        .filter(|(_, p)| !p.ends_with(']'))
        && port.parse::<u16>().is_err()
    {
        return Err("its port is not a number from 0 to 65535");
    }
    Proxy::new(value.trim_end_matches('/')).map_err(|err| match err {
        ureq::Error::InvalidProxyUrl if uri.scheme_str().is_some() => {
            "its scheme is not http, https, socks4, socks4a, socks5 or socks5h, or its user name is not UTF-8"
        }
        _ => "it does not parse as a proxy URL",
    })
}

/// The first of `names` set to something other than blanks, and its value. A value that is
/// not Unicode counts as set (and fails to parse as a proxy), never as unset.
fn env_first(names: &[&'static str]) -> Option<(&'static str, String)> {
    names.iter().find_map(|&name| {
        let value = std::env::var_os(name)?;
        let value = value.to_string_lossy().into_owned();
        (!value.trim().is_empty()).then_some((name, value))
    })
}

/// curl's `NO_PROXY` rule: `*` matches every host; otherwise each comma-separated entry
/// matches that host and its subdomains (a leading `.` or `*.` is optional), case-insensitive;
/// a `:port` on an entry is ignored.
pub fn bypasses(no_proxy: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    no_proxy.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry.trim_start_matches("*.").trim_start_matches('.');
        let entry = strip_port(entry).to_ascii_lowercase();
        !entry.is_empty()
            && (host == entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    })
}

fn strip_port(entry: &str) -> &str {
    let entry = entry.trim_start_matches('[');
    if let Some((host, _)) = entry.split_once(']') {
        return host;
    }
    match entry.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            host
        }
        _ => entry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_follows_curl() {
        assert!(bypasses("*", "example.com"));
        assert!(bypasses("example.com", "example.com"));
        assert!(bypasses("example.com", "login.example.com"));
        assert!(bypasses(".example.com", "example.com"));
        assert!(bypasses("foo, *.example.com:443", "a.example.com"));
        assert!(bypasses("LOCALHOST", "localhost"));
        assert!(bypasses("127.0.0.1", "127.0.0.1"));
        assert!(bypasses("::1", "[::1]"));
        assert!(!bypasses("example.com", "badexample.com"));
        assert!(!bypasses("", "example.com"));
        assert!(!bypasses("other.org", "example.com"));
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://localhost:8080/x",
            "http://127.0.0.1/",
            "http://127.9.9.9/",
            "http://[::1]:80/",
        ] {
            assert!(url_is_loopback(url), "{url}");
        }
        for url in [
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "http://[::2]/",
        ] {
            assert!(!url_is_loopback(url), "{url}");
        }
    }

    #[test]
    fn redirects_resolve_against_the_current_url() {
        let base: Uri = "https://a.example/x/y/jwks?v=1".parse().unwrap();
        assert_eq!(resolve(&base, "https://b.example/k"), "https://b.example/k");
        assert_eq!(resolve(&base, "//c.example/k"), "https://c.example/k");
        assert_eq!(resolve(&base, "/k"), "https://a.example/k");
        assert_eq!(resolve(&base, "k2"), "https://a.example/x/y/k2");
    }

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(max_age("public, max-age=3600, must-revalidate"), Some(3600));
        assert_eq!(max_age("no-cache"), None);
        assert_eq!(max_age("max-age=abc"), None);
    }

    #[test]
    fn proxy_urls_parse_as_curl_reads_them_or_are_refused() {
        for good in [
            "http://proxy.example:3128",
            "proxy.example:3128",
            "socks5h://127.0.0.1:1080",
            "socks5://user:pa%40ss@[::1]:1080/",
            "socks4://10.0.0.1",
            "socks4a://10.0.0.1:1080",
            "HTTPS://proxy.example",
        ] {
            assert!(parse_proxy(good).is_ok(), "{good}");
        }
        for bad in [
            "socks5h://[::1",
            "ftp://proxy.example",
            "http://",
            "http://proxy.example:3128/path",
            "http://proxy.example:",
            "http://proxy.example:99999",
            "not a url",
            "://x",
            "socks5://%ff@proxy.example",
        ] {
            assert!(parse_proxy(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn roots_are_identified_by_their_certificates_not_their_order() {
        let cert = |n: u8| {
            let der = vec![0x30, 0x03, 0x02, 0x01, n];
            pem::encode(&pem::Pem::new("CERTIFICATE", der))
        };
        let (a, b) = (cert(1), cert(2));
        assert_eq!(roots_id(None), "");
        assert_eq!(roots_id(Some(b"no certificate here")), "");
        let ab = roots_id(Some(format!("{a}{b}").as_bytes()));
        assert_eq!(ab.len(), 64);
        assert_eq!(ab, roots_id(Some(format!("{b}{a}{b}").as_bytes())));
        assert_ne!(ab, roots_id(Some(a.as_bytes())));
    }

    #[test]
    fn only_https_or_loopback_http() {
        let mut notes = Vec::new();
        assert!(checked("https://example.com/k", false, None, &mut notes).is_ok());
        assert!(matches!(
            checked("http://example.com/k", true, None, &mut notes),
            Err(FetchError::Insecure(_))
        ));
        assert!(checked("http://127.0.0.1:1/k", true, None, &mut notes).is_ok());
        assert_eq!(notes.len(), 1);
        let https: Uri = "https://127.0.0.1/".parse().unwrap();
        assert!(matches!(
            checked("http://127.0.0.1:1/k", true, Some(&https), &mut notes),
            Err(FetchError::Downgrade(_))
        ));
        assert!(matches!(
            checked("https://u:p@example.com/k", true, Some(&https), &mut notes),
            Err(FetchError::Userinfo)
        ));
        assert!(matches!(
            checked("ftp://example.com/k", true, None, &mut notes),
            Err(FetchError::BadUrl(_))
        ));
    }
}
