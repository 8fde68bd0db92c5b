//! `jwtk serve`: a local OAuth 2.0 authorization server for tests and CI (feature `serve`).
//! It signs RFC 9068 access tokens with a key or keyset jwtk manages, publishes the public
//! keys and discovery metadata, and re-reads its keyset and config when they change, so keys
//! rotate without a restart.
//!
//! ```no_run
//! use std::sync::Arc;
//! use jwtk::serve::{Event, Events, Options, Server};
//!
//! struct Log;
//! impl Events for Log {
//!     fn report(&self, event: Event) {
//!         eprintln!("{event:?}");
//!     }
//! }
//!
//! let options = Options { addr: Some("127.0.0.1:0".parse().unwrap()), ..Options::default() };
//! let server = Server::start(options, Arc::new(Log))?;
//! println!("{}", server.issuer());
//! server.run()?;
//! # Ok::<(), jwtk::Error>(())
//! ```
//!
//! The files, from the bottom up: `events` (what a server reports), `urls` (issuer URLs,
//! hosts, origins, loopback), `address` (where it listens, the issuer URL that follows),
//! `options` (what it is asked), `form` (form-encoded bodies), `config` (the config file),
//! `clients` (declared clients, open mode, client authentication, CORS origins), `signing`
//! (the signing key and the published set), `tokens` (access tokens), `token_endpoint`
//! (`POST /token`), `discovery` (the metadata documents), `state` (the live state and its
//! reloading), `http` (routes, the Host check, CORS, limits, the request log), `tls` (the
//! throwaway CA, given certificates) and `server` (listening, connections, signals).

pub mod address;
pub mod clients;
pub mod config;
pub mod discovery;
pub mod events;
pub mod form;
pub mod http;
pub mod options;
pub mod server;
pub mod signing;
pub mod state;
pub mod tls;
pub mod token_endpoint;
pub mod tokens;
pub mod urls;

pub use address::BindAddr;
pub use events::{Event, Events, RequestLine};
pub use options::{Options, Tls};
pub use server::{Server, Stopped};
pub use urls::HttpUrl;
