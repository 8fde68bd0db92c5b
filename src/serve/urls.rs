//! URLs as the server reads them: the issuer, `Host` headers, origins, redirect URIs and
//! `resource` parameters; and which hosts are loopback (the contract's narrow definition:
//! `localhost`, a dotted quad in 127.0.0.0/8, or `[::1]`; never `[::ffff:127.0.0.1]` or
//! `0x7f.1`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// An absolute `http` or `https` URL without userinfo, query or fragment (an issuer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// The URL as given.
    pub text: String,
    /// Whether it is `https`.
    pub https: bool,
    /// The host, lower-cased; an IPv6 address in brackets, in its canonical form.
    pub host: String,
    /// The port, when the URL names one.
    pub port: Option<u16>,
    /// The path: empty or starting with `/`.
    pub path: String,
}

impl HttpUrl {
    /// Parse an issuer URL: `http` or `https`, a host, no userinfo, query or fragment.
    pub fn parse(text: &str) -> Result<HttpUrl, &'static str> {
        let url = Url::parse(text)?;
        let https = match url.scheme.as_str() {
            "https" => true,
            "http" => false,
            _ => return Err("is not an http or https URL"),
        };
        let authority = url.authority.ok_or("has no host")?;
        if authority.userinfo {
            return Err("holds a user name or password");
        }
        if url.query || url.fragment {
            return Err("has a query or fragment, which an issuer never has");
        }
        Ok(HttpUrl {
            text: text.to_string(),
            https,
            host: authority.host,
            port: authority.port,
            path: url.path,
        })
    }

    /// The URL with the path's final `/` removed: endpoints are this plus `/token`, ….
    pub fn base(&self) -> &str {
        self.text.strip_suffix('/').unwrap_or(&self.text)
    }

    /// The path with its final `/` removed (RFC 8414 §3.1): `""` for an issuer without one.
    pub fn base_path(&self) -> &str {
        self.path.strip_suffix('/').unwrap_or(&self.path)
    }
}

/// A URL split at its parts (RFC 3986 §3), for the checks above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// The scheme, lower-cased.
    pub scheme: String,
    /// The authority, when the URL has one (`//…`).
    pub authority: Option<Authority>,
    /// The path.
    pub path: String,
    /// Whether there is a query.
    pub query: bool,
    /// Whether there is a fragment.
    pub fragment: bool,
}

/// A URL's authority or a `Host` header: host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// Whether there was a `user@` part (only in URLs).
    pub userinfo: bool,
    /// The host, lower-cased; an IPv6 address in brackets, in its canonical form.
    pub host: String,
    /// The port, when given.
    pub port: Option<u16>,
}

impl Url {
    /// Split an absolute URL. Only printable ASCII is taken, and only what URI syntax
    /// allows in a host.
    pub fn parse(text: &str) -> Result<Url, &'static str> {
        if !is_uri_text(text) {
            return Err("is not a URL (spaces, quotes or non-ASCII characters)");
        }
        let (scheme, rest) = split_scheme(text).ok_or("is not an absolute URL")?;
        let (rest, fragment) = match rest.split_once('#') {
            Some((before, _)) => (before, true),
            None => (rest, false),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((before, _)) => (before, true),
            None => (rest, false),
        };
        let (authority, path) = match rest.strip_prefix("//") {
            Some(after) => {
                let end = after.find('/').unwrap_or(after.len());
                let (authority, path) = after.split_at(end);
                (Some(parse_authority(authority, true)?), path)
            }
            None => (None, rest),
        };
        Ok(Url {
            scheme: scheme.to_ascii_lowercase(),
            authority,
            path: path.to_string(),
            query,
            fragment,
        })
    }
}

/// Parse `host[:port]`, with `user@` first when `userinfo_ok` (a URL's authority).
pub fn parse_authority(text: &str, userinfo_ok: bool) -> Result<Authority, &'static str> {
    let (userinfo, hostport) = match text.rsplit_once('@') {
        Some((_, after)) if userinfo_ok => (true, after),
        Some(_) => return Err("holds a user name"),
        None => (false, text),
    };
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (address, after) = inner.split_once(']').ok_or("has an unclosed [")?;
        let address: Ipv6Addr = address.parse().map_err(|_| "has a bad IPv6 address")?;
        (format!("[{address}]"), after)
    } else {
        let end = hostport.find(':').unwrap_or(hostport.len());
        let (host, after) = hostport.split_at(end);
        if host.is_empty() || !host.bytes().all(is_host_byte) {
            return Err("has no valid host");
        }
        (host.to_ascii_lowercase(), after)
    };
    let port = match port {
        "" | ":" => None,
        _ => Some(
            port.strip_prefix(':')
                .filter(|p| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or("has a bad port")?,
        ),
    };
    Ok(Authority {
        userinfo,
        host,
        port,
    })
}

/// Whether `host` (as [`Authority`] holds it) is loopback: `localhost` (any case), a dotted
/// quad in 127.0.0.0/8, or `[::1]`.
pub fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<Ipv4Addr>()
            .is_ok_and(|ip| ip.octets()[0] == 127)
        || host == "[::1]"
}

/// The origin of an `http`/`https` URL without userinfo (RFC 6454 §4): `scheme://host[:port]`,
/// the default port left out. `None` for other URLs.
pub fn origin_of(text: &str) -> Option<String> {
    let url = Url::parse(text).ok()?;
    let authority = url.authority?;
    let default = match url.scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    if authority.userinfo {
        return None;
    }
    Some(match authority.port {
        Some(port) if port != default => format!("{}://{}:{port}", url.scheme, authority.host),
        _ => format!("{}://{}", url.scheme, authority.host),
    })
}

/// An `Origin` header's value in the form [`origin_of`] gives, when it is one.
pub fn parse_origin(value: &str) -> Option<String> {
    let url = Url::parse(value).ok()?;
    if !url.path.is_empty() || url.query || url.fragment {
        return None;
    }
    origin_of(value)
}

/// Whether `origin` (as [`parse_origin`] gives it) is on a loopback host.
pub fn is_loopback_origin(origin: &str) -> bool {
    Url::parse(origin)
        .ok()
        .and_then(|url| url.authority)
        .is_some_and(|a| is_loopback_host(&a.host))
}

/// Whether `text` is a loopback redirect URI (RFC 8252 §7.3, §8.3): `http` or `https`, a
/// loopback host as [`is_loopback_host`] says, no userinfo and no fragment (RFC 6749 §3.1.2).
pub fn is_loopback_redirect(text: &str) -> bool {
    let Ok(url) = Url::parse(text) else {
        return false;
    };
    let Some(authority) = url.authority else {
        return false;
    };
    matches!(url.scheme.as_str(), "http" | "https")
        && !authority.userinfo
        && !url.fragment
        && is_loopback_host(&authority.host)
}

/// Whether the redirect URI `given` is the registered one: the same string (RFC 9700 §4.1),
/// except that the port of a loopback IP literal may differ (RFC 8252 §7.3: a native app
/// listens on whatever port it gets).
pub fn same_redirect(registered: &str, given: &str) -> bool {
    if registered == given {
        return true;
    }
    let literal = |text: &str| {
        Url::parse(text)
            .ok()
            .and_then(|u| u.authority)
            .filter(|a| !a.userinfo)
            .is_some_and(|a| a.host == "[::1]" || a.host.parse::<Ipv4Addr>().is_ok())
    };
    if !is_loopback_redirect(registered) || !literal(registered) || !literal(given) {
        return false;
    }
    match (without_port(registered), without_port(given)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// `text` with its authority's port (and the `:` before it) taken out.
fn without_port(text: &str) -> Option<String> {
    let start = text.find("://")? + 3;
    let rest = &text[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_end = match authority.rfind(']') {
        Some(bracket) => bracket + 1,
        None => authority.find(':').unwrap_or(authority.len()),
    };
    Some(format!(
        "{}{}{}",
        &text[..start],
        &authority[..host_end],
        &rest[end..]
    ))
}

/// Whether `text` is an absolute URI without a fragment (RFC 8707 §2 for `resource`, RFC
/// 6749 §3.1.2 for redirect URIs).
pub fn is_absolute_without_fragment(text: &str) -> bool {
    is_uri_text(text) && !text.contains('#') && split_scheme(text).is_some()
}

/// `scheme:` and the rest, when `text` starts with a scheme (RFC 3986 §3.1).
fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    (first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then_some((scheme, rest))
}

/// Printable ASCII without the characters URIs never hold unescaped.
fn is_uri_text(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b))
}

/// A byte of a host name or IPv4 address (RFC 3986 §3.2.2's reg-name, without escapes and
/// sub-delimiters, which no host jwtk serves uses).
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        let url = HttpUrl::parse("https://Issuer.Example:8443/realms/dev/").unwrap();
        assert!(url.https);
        assert_eq!(url.host, "issuer.example");
        assert_eq!(url.port, Some(8443));
        assert_eq!(url.base(), "https://Issuer.Example:8443/realms/dev");
        assert_eq!(url.base_path(), "/realms/dev");
        let url = HttpUrl::parse("http://[0:0::1]:80").unwrap();
        assert_eq!((url.host.as_str(), url.path.as_str()), ("[::1]", ""));
        for bad in [
            "ftp://x",
            "localhost:8080",
            "http://u@x",
            "http://x/?a=1",
            "http://x/#f",
            "http://x:99999",
            "http://",
            "http://x y",
            "http://[::1",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_is_narrow() {
        for yes in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.255.1.2",
            "[::1]",
        ] {
            assert!(is_loopback_host(yes), "{yes}");
        }
        for no in [
            "[::ffff:127.0.0.1]",
            "0x7f.1",
            "127.1",
            "127.000.0.1",
            "localhost.example",
            "10.0.0.1",
            "[::2]",
        ] {
            assert!(!is_loopback_host(no), "{no}");
        }
        let host = |text| parse_authority(text, false).unwrap().host;
        assert_eq!(host("[0:0:0:0:0:0:0:1]:9"), "[::1]");
        assert_eq!(host("LocalHost:8080"), "localhost");
        assert!(parse_authority("a@b", false).is_err());
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://App.example:443/cb?x").as_deref(),
            Some("https://app.example")
        );
        assert_eq!(
            origin_of("http://localhost:3000/cb").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(origin_of("com.example.app:/cb"), None);
        assert_eq!(
            parse_origin("http://127.0.0.1:5173").as_deref(),
            Some("http://127.0.0.1:5173")
        );
        assert_eq!(parse_origin("http://127.0.0.1:5173/x"), None);
        assert_eq!(parse_origin("null"), None);
        assert!(is_loopback_origin("http://[::1]:8000"));
        assert!(!is_loopback_origin("http://example.com"));
    }

    #[test]
    fn redirect_uris() {
        for yes in [
            "http://localhost:3000/cb",
            "http://LOCALHOST/cb",
            "https://127.0.0.1:1/cb?x=1",
            "http://127.9.9.9/",
            "http://[::1]:80/cb",
        ] {
            assert!(is_loopback_redirect(yes), "{yes}");
        }
        for no in [
            "http://[::ffff:127.0.0.1]/cb",
            "http://0x7f.1/cb",
            "http://localhost.example/cb",
            "http://u@localhost/cb",
            "http://localhost/cb#f",
            "ftp://localhost/cb",
            "com.example.app:/cb",
            "http://example.com/cb",
        ] {
            assert!(!is_loopback_redirect(no), "{no}");
        }
        assert!(same_redirect(
            "https://app.example/cb",
            "https://app.example/cb"
        ));
        assert!(!same_redirect(
            "https://app.example/cb",
            "https://app.example/cb/"
        ));
        assert!(!same_redirect(
            "https://app.example/cb",
            "https://APP.example/cb"
        ));
        assert!(!same_redirect(
            "https://app.example:1/cb",
            "https://app.example:2/cb"
        ));
        // RFC 8252 §7.3: a loopback IP literal's port may differ; nothing else may.
        assert!(same_redirect(
            "http://127.0.0.1/cb",
            "http://127.0.0.1:51004/cb"
        ));
        assert!(same_redirect(
            "http://127.0.0.1:1/cb?a",
            "http://127.0.0.1:2/cb?a"
        ));
        assert!(same_redirect("http://[::1]:1/cb", "http://[::1]:9/cb"));
        assert!(!same_redirect(
            "http://127.0.0.1/cb",
            "http://127.0.0.1:5/other"
        ));
        assert!(!same_redirect(
            "http://127.0.0.1/cb",
            "http://127.0.0.2:5/cb"
        ));
        assert!(
            !same_redirect("http://localhost/cb", "http://localhost:5/cb"),
            "not a literal"
        );
        assert!(!same_redirect(
            "http://127.0.0.1/cb",
            "https://127.0.0.1:5/cb"
        ));
    }

    #[test]
    fn resources() {
        assert!(is_absolute_without_fragment("https://api.example/v1"));
        assert!(is_absolute_without_fragment("urn:example:api"));
        for bad in ["api", "https://a#b", "", "https://a b", "1http://x"] {
            assert!(!is_absolute_without_fragment(bad), "{bad}");
        }
    }
}
