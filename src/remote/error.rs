//! Why a fetch failed, in the user's terms: the bottom of the remote modules (it imports none
//! of them), so the crate's error type can carry it.

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
