//! Why a fetch failed, in the user's terms: the bottom of the remote modules (it imports none
//! of them), so the crate's error type can carry it.

use std::borrow::Cow;
use std::time::Duration;

/// Redirects followed at most, per request.
pub const MAX_REDIRECTS: usize = 3;

/// Why a fetch failed, in the user's terms. Never quotes the body.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be parsed, or has no host.
    #[error("not a usable URL ({0})")]
    BadUrl(String),
    /// Plain HTTP to a host that is not loopback, or after leaving loopback.
    #[error("{0} is plain HTTP; jwtk fetches keys over HTTPS only (HTTP only on a loopback host)")]
    Insecure(String),
    /// A redirect from HTTPS to HTTP.
    #[error("redirected from HTTPS to plain HTTP ({0}), which is always refused")]
    Downgrade(String),
    /// More redirects than [`MAX_REDIRECTS`], or a loop.
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    /// A redirect without a usable `Location`.
    #[error("a redirect ({0}) without a Location")]
    NoLocation(u16),
    /// A status other than 2xx (or 304 to a conditional request).
    #[error("HTTP status {0}")]
    Status(u16),
    /// The body is over the cap.
    #[error("the response is larger than {0}")]
    TooLarge(String),
    /// The whole fetch took longer than allowed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// A server certificate no trusted root vouches for.
    #[error("TLS: the server's certificate is issued by a CA that is not trusted (UnknownIssuer)")]
    UnknownIssuer,
    /// DNS, TCP, TLS or HTTP failure below us.
    #[error("{0}")]
    Transport(String),
    /// A `--cacert` file that holds no certificate.
    #[error("{0}")]
    CaCert(String),
    /// A proxy variable that does not hold a usable proxy URL (its value is never quoted: it
    /// may carry a password).
    #[error("{var} does not hold a usable proxy URL ({why}); nothing was fetched")]
    Proxy {
        /// The environment variable.
        var: &'static str,
        /// What is wrong with it.
        why: &'static str,
    },
    /// A URL with a user name or password in it (`https://user:pass@host/`): jwtk sends no
    /// credentials to fetch keys, and never repeats them in a message.
    #[error(
        "the URL carries a user name or password, which jwtk never sends (key sets and discovery documents are public): remove the part before '@'"
    )]
    Userinfo,
    /// A redirect or `jwks_uri` leading to a non-public address from a public URL.
    #[error(
        "{url} leads to {addr}, a non-public address (loopback, private, link-local, …); refused because the URL given is on a public one"
    )]
    NonPublic {
        /// The URL refused.
        url: String,
        /// The address it names or resolves to.
        addr: String,
    },
}

/// The authority of `url`, and where it starts: after the scheme's `:` and every slash or
/// backslash that follows it (browsers, by the WHATWG URL standard, read `https:///h`,
/// `https:\\h` and a scheme-relative `//h` as the host `h`), up to the path (`/` or `\`),
/// query or fragment. Read broadly on purpose: it decides what a message never repeats, and
/// what is refused before anything is fetched or cached.
fn authority(url: &str) -> (usize, &str) {
    // A scheme ends at the first `:` before any `/`, `\`, `?`, `#` or `@`, when a slash or
    // backslash follows it (`user:pass@host` has no scheme).
    let scheme = url
        .find([':', '/', '\\', '?', '#', '@'])
        .filter(|&at| url[at..].starts_with(':') && url[at + 1..].starts_with(['/', '\\']))
        .map_or(0, |at| at + 1);
    let rest = &url[scheme..];
    let start = scheme + (rest.len() - rest.trim_start_matches(['/', '\\']).len());
    let rest = &url[start..];
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    (start, &rest[..end])
}

/// Whether `url` carries userinfo (`user[:password]@` before the host).
pub fn has_userinfo(url: &str) -> bool {
    authority(url).1.contains('@')
}

/// `url` as messages show it: any userinfo replaced by `***`, so a password given in a URL is
/// never repeated.
pub fn shown_url(url: &str) -> Cow<'_, str> {
    let (start, authority) = authority(url);
    match authority.rfind('@') {
        Some(at) => Cow::Owned(format!("{}***{}", &url[..start], &url[start + at..])),
        None => Cow::Borrowed(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_found_and_never_shown() {
        for (url, shown) in [
            (
                "https://alice:s3cret@idp.example/jwks",
                "https://***@idp.example/jwks",
            ),
            ("https://alice@idp.example", "https://***@idp.example"),
            (
                "http://a:b@c@127.0.0.1:8/x?y=@z#@",
                "http://***@127.0.0.1:8/x?y=@z#@",
            ),
            ("alice:s3cret@idp.example/jwks", "***@idp.example/jwks"),
            ("ht!tp://alice:s3cret@x", "ht!tp://***@x"),
            // Spellings browsers read as an authority: no scheme, more slashes, backslashes.
            ("//alice:s3cret@idp.example/jwks", "//***@idp.example/jwks"),
            (
                "https:///alice:s3cret@idp.example",
                "https:///***@idp.example",
            ),
            (
                "https:/\\/alice:s3cret@idp.example",
                "https:/\\/***@idp.example",
            ),
            (
                "https:\\\\alice:s3cret@idp.example",
                "https:\\\\***@idp.example",
            ),
            ("https:alice:s3cret@idp.example", "***@idp.example"),
            (
                "https://alice:s3cret@idp.example\\x",
                "https://***@idp.example\\x",
            ),
        ] {
            assert!(has_userinfo(url), "{url}");
            assert_eq!(shown_url(url), shown, "{url}");
        }
        for url in [
            "https://idp.example/jwks?who=a@b",
            "https://idp.example/a@b",
            "https://idp.example#a@b",
            "https://idp.example\\a@b",
            "/jwks?from=a@b",
            "https://idp.example",
            "",
        ] {
            assert!(!has_userinfo(url), "{url}");
            assert_eq!(shown_url(url), url);
        }
    }
}
