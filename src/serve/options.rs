//! What a server is asked to do: the parsed flags of `jwtk serve`, as plain values.

use std::path::PathBuf;
use std::time::Duration;

use crate::serve::address::BindAddr;
use crate::serve::store::Caps;
use crate::serve::urls::HttpUrl;

/// The address served when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Access token lifetime when neither `--ttl` nor the client's `ttl` says otherwise.
pub const DEFAULT_TTL: u64 = 15 * 60;

/// `Cache-Control: max-age` of `/jwks` (and of the discovery documents), in seconds.
pub const DEFAULT_JWKS_MAX_AGE: u64 = 60;

/// How long a client has to send a whole request.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest request body read.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Connections served at once; more wait in the listen queue. Each holds at most its header
/// buffer and one body, so memory stays bounded whatever clients do.
pub const MAX_CONNECTIONS: usize = 512;

/// How the server speaks TLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tls {
    /// Plain HTTP.
    Off,
    /// A throwaway CA made at start; its certificate is written to `ca_out`, else to a
    /// temporary file.
    Throwaway {
        /// Where the CA certificate goes.
        ca_out: Option<PathBuf>,
    },
    /// A certificate chain and its key, from PEM files.
    Files {
        /// The certificate chain.
        cert: PathBuf,
        /// The private key.
        key: PathBuf,
    },
}

/// Everything `jwtk serve` is told.
#[derive(Debug, Clone)]
pub struct Options {
    /// The keyset or key that signs (`--key`); `None` makes an ephemeral P-256 key.
    pub key: Option<PathBuf>,
    /// Where to listen (`--addr`); `None` is [`DEFAULT_ADDR`].
    pub addr: Option<BindAddr>,
    /// The issuer URL clients use (`--issuer`).
    pub issuer: Option<HttpUrl>,
    /// The config file (`--config`).
    pub config: Option<PathBuf>,
    /// Public clients declared on the command line (`--client`).
    pub clients: Vec<String>,
    /// The user the authorization endpoint signs in (`--user`).
    pub user: Option<String>,
    /// Access token lifetime, in seconds (`--ttl`).
    pub ttl: u64,
    /// `Cache-Control: max-age` of `/jwks`, in seconds (`--jwks-max-age`).
    pub jwks_max_age: u64,
    /// How long a client has to send a whole request (`--request-timeout`).
    pub request_timeout: Duration,
    /// TLS.
    pub tls: Tls,
    /// The clock tokens are issued at, in epoch seconds (a command may pin it).
    pub clock: fn() -> i64,
    /// How much the server remembers (codes, refresh tokens, each kind of `jti`):
    /// [`Caps::SERVER`]. Lower caps cost availability, never let a replay through: a full
    /// memory refuses what it cannot remember (refresh tokens drop the oldest).
    pub caps: Caps,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            key: None,
            addr: None,
            issuer: None,
            config: None,
            clients: Vec::new(),
            user: None,
            ttl: DEFAULT_TTL,
            jwks_max_age: DEFAULT_JWKS_MAX_AGE,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            tls: Tls::Off,
            clock: crate::time::now,
            caps: Caps::SERVER,
        }
    }
}
