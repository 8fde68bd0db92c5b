//! The `htu` of a DPoP proof: an HTTP(S) target URI without query and fragment, compared after
//! RFC 3986 syntax- and scheme-based normalisation (§6.2.2, §6.2.3), as RFC 9449 §4.3 asks.

use std::fmt;
use std::str::FromStr;

/// Why a text is not an `htu`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtuError {
    /// No `scheme://` at the start.
    #[error("not an absolute URL (scheme://host/path)")]
    NotAbsolute,
    /// A scheme other than http or https.
    #[error("the scheme is {0:?}; DPoP proofs are for http and https requests")]
    Scheme(String),
    /// No host.
    #[error("the URL has no host")]
    NoHost,
    /// `user@host`, which HTTP URIs must not carry (RFC 9110 §4.2.4).
    #[error("the URL carries userinfo (user@host), which HTTP URIs must not")]
    Userinfo,
    /// A port that is not a number from 0 to 65535.
    #[error("the port is not a number from 0 to 65535")]
    Port,
    /// Whitespace, control or non-ASCII characters.
    #[error("the URL holds whitespace, control or non-ASCII characters (percent-encode them)")]
    Characters,
    /// `%` not followed by two hex digits.
    #[error("the URL holds a % not followed by two hex digits")]
    Percent,
}

/// An HTTP(S) target URI as DPoP uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Htu {
    /// The URI as given, without query and fragment: what a new proof carries.
    given: String,
    /// Whether a query or fragment was cut off.
    cut: bool,
    /// The normalised form two `htu`s are compared by.
    normal: String,
}

impl Htu {
    /// The URI as given, without query and fragment.
    pub fn as_str(&self) -> &str {
        &self.given
    }

    /// Whether the text given had a query or fragment, which DPoP leaves out.
    pub fn had_query_or_fragment(&self) -> bool {
        self.cut
    }

    /// Whether two URIs name the same target once normalised: scheme and host case, a
    /// default port, an empty path, percent-encoding case, unreserved characters
    /// percent-encoded, dot segments.
    pub fn same_target(&self, other: &Htu) -> bool {
        self.normal == other.normal
    }
}

impl fmt::Display for Htu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.given)
    }
}

impl FromStr for Htu {
    type Err = HtuError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let end = text.find(['?', '#']).unwrap_or(text.len());
        let given = &text[..end];
        if !given.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(HtuError::Characters);
        }
        let (scheme, rest) = given.split_once("://").ok_or(HtuError::NotAbsolute)?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            "" => return Err(HtuError::NotAbsolute),
            _ => return Err(HtuError::Scheme(crate::text::cut(&scheme))),
        };
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let authority = normal_authority(authority, default_port)?;
        let path = remove_dot_segments(&normal_percent(if path.is_empty() { "/" } else { path })?);
        Ok(Htu {
            given: given.to_string(),
            cut: end < text.len(),
            normal: format!("{scheme}://{authority}{path}"),
        })
    }
}

/// `host[:port]` in lower case, without the scheme's default port (or an empty one).
fn normal_authority(authority: &str, default_port: u16) -> Result<String, HtuError> {
    if authority.contains('@') {
        return Err(HtuError::Userinfo);
    }
    if authority.starts_with('[') && !authority.contains(']') {
        return Err(HtuError::NoHost);
    }
    let split = match authority.rfind(']') {
        Some(close) => authority[close..].find(':').map(|i| close + i),
        None => authority.rfind(':'),
    };
    let (host, port) = match split {
        Some(colon) => (&authority[..colon], &authority[colon + 1..]),
        None => (authority, ""),
    };
    if host.is_empty() {
        return Err(HtuError::NoHost);
    }
    let host = host.to_ascii_lowercase();
    if port.is_empty() {
        return Ok(host);
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HtuError::Port);
    }
    match port.trim_start_matches('0').parse::<u16>() {
        Ok(port) if port == default_port => Ok(host),
        Ok(port) => Ok(format!("{host}:{port}")),
        Err(_) if port.bytes().all(|b| b == b'0') => Ok(format!("{host}:0")),
        Err(_) => Err(HtuError::Port),
    }
}

/// Percent-encodings in upper case, and the unreserved characters among them decoded
/// (RFC 3986 §6.2.2.1, §6.2.2.2).
fn normal_percent(path: &str) -> Result<String, HtuError> {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i] as char);
            i += 1;
            continue;
        }
        let hex = bytes.get(i + 1..i + 3).ok_or(HtuError::Percent)?;
        let text = std::str::from_utf8(hex).map_err(|_| HtuError::Percent)?;
        let byte = u8::from_str_radix(text, 16).map_err(|_| HtuError::Percent)?;
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
        i += 3;
    }
    Ok(out)
}

/// RFC 3986 §5.2.4 for an absolute path: `.` and `..` segments resolved.
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
        if i == last && matches!(segment, "." | "..") {
            out.push("");
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        a.parse::<Htu>().unwrap().same_target(&b.parse().unwrap())
    }

    #[test]
    fn normalises_as_rfc_3986_section_6_2_asks() {
        let base = "https://server.example.com/token";
        for alike in [
            "HTTPS://Server.Example.COM/token",
            "https://server.example.com:443/token",
            "https://server.example.com:/token",
            "https://server.example.com/./token",
            "https://server.example.com/a/../token",
            "https://server.example.com/%74oken",
            "https://server.example.com/token?x=1#frag",
            "https://server.example.com/token#frag?x",
        ] {
            assert!(same(base, alike), "{alike}");
        }
        for different in [
            "http://server.example.com/token",
            "https://server.example.com:8443/token",
            "https://server.example.com/Token",
            "https://server.example.com/token/",
            "https://other.example.com/token",
        ] {
            assert!(!same(base, different), "{different}");
        }
        assert!(same("http://h", "http://H:80/"));
        assert!(same("https://h/a%2fb", "https://h/a%2Fb"));
        assert!(!same("https://h/a%2Fb", "https://h/a/b"));
        assert!(same("https://[::1]:443/x", "https://[::1]/x"));
        assert!(same("https://[::1]:08443/x", "https://[::1]:8443/x"));
        assert!(same("https://h/a/b/..", "https://h/a/"));
    }

    #[test]
    fn refuses_what_is_no_http_target() {
        let err = |text: &str| text.parse::<Htu>().unwrap_err();
        assert_eq!(err("/token"), HtuError::NotAbsolute);
        assert_eq!(err("https://[::1/r"), HtuError::NoHost);
        assert_eq!(err("://h/x"), HtuError::NotAbsolute);
        assert_eq!(err("ftp://h/x"), HtuError::Scheme("ftp".into()));
        assert_eq!(err("https:///x"), HtuError::NoHost);
        assert_eq!(err("https://u:p@h/x"), HtuError::Userinfo);
        assert_eq!(err("https://h:99999/x"), HtuError::Port);
        assert_eq!(err("https://h:x/x"), HtuError::Port);
        assert_eq!(err("https://h/a b"), HtuError::Characters);
        assert_eq!(err("https://h/é"), HtuError::Characters);
        assert_eq!(err("https://h/%zz"), HtuError::Percent);
        assert_eq!(err("https://h/%2"), HtuError::Percent);
        let htu: Htu = "https://h/x?q#f".parse().unwrap();
        assert_eq!(
            (htu.as_str(), htu.had_query_or_fragment()),
            ("https://h/x", true)
        );
    }
}
