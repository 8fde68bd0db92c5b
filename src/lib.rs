//! jwtk: a JSON Web Token toolkit — the library behind the `jwtk` command.
//!
//! The library does the JWT work without printing or exiting: read key material (failing
//! closed: public-key material is never an HMAC secret), verify a token against a policy,
//! mint one, inspect and classify one, encrypt and decrypt JWEs, fetch and cache remote key
//! sets (feature `remote`). The command itself (clap, rendering, exit codes) lives in
//! `src/bin/jwtk/` and is built with the `cli` feature; without default features the library
//! compiles none of the command-line crates.
//!
//! ```
//! use jwtk::keys::{self, Reading, Source};
//! use jwtk::verify::{KeyRing, Policy};
//!
//! // An HMAC secret given as bytes; verify says raw bytes are a secret only when told.
//! let secret = Source::Given { bytes: b"a-very-long-shared-secret-of-40-bytes!!!".to_vec().into(), origin: "example".into() };
//! let keys = keys::load(&secret, &Reading::with_raw_secrets())?.keys;
//! let ring = KeyRing::new(keys, &[jwtk::Algorithm::HS256])?;
//! let verdict = ring.verify(b"not.a.token", &Policy::at(jwtk::time::now()));
//! assert_eq!(verdict.reason(), Some(jwtk::verify::Reason::Malformed));
//! # Ok::<(), jwtk::Error>(())
//! ```
//!
//! The map of the crate, from the bottom up: [`text`] (message helpers), [`json`] (the strict
//! parser), [`alg`], [`crypto`], [`time`], [`files`] and [`error`]; then [`token`] (finding and
//! parsing tokens), [`keys`] (key material in every format, sets, generation), [`mint`],
//! [`jwe`], [`dpop`], [`sd`] (SD-JWT: selective disclosure and key binding), [`profile`] (what RFC 9068, OpenID Connect, RFC 7523 and SD-JWT VC
//! demand of their tokens, as tables of rules), [`verify`], `remote` (HTTPS, the key cache, refetching; feature
//! `remote`), [`classify`] and `serve` (a local OAuth 2.0 issuer for tests; feature `serve`).

pub mod alg;
pub mod classify;
pub mod crypto;
pub mod dpop;
pub mod error;
pub mod files;
pub mod json;
pub mod jwe;
pub mod keys;
pub mod mint;
pub mod profile;
pub mod reason;
#[cfg(feature = "remote")]
pub mod remote;
pub mod sd;
#[cfg(feature = "serve")]
pub mod serve;
pub mod text;
pub mod time;
pub mod token;
pub mod typ;
pub mod verify;

#[cfg(test)]
mod testing;

pub use crate::alg::{Algorithm, Curve, Family, Sha};
pub use crate::error::{Error, KeyProblem, Malformed, Part, Result};
