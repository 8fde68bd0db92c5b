//! `jwtk serve`: a local OAuth 2.0 authorization server and OpenID provider for tests and CI
//! (feature `serve`). It runs the authorization code flow without a login page (PKCE, ID
//! tokens, rotated refresh tokens, userinfo), the client credentials grant, `private_key_jwt`
//! and DPoP; signs RFC 9068 access tokens with a key or keyset jwtk manages, publishes the
//! public keys and discovery metadata, and re-reads its keyset and config when they change, so
//! keys rotate without a restart.
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
//! `options` (what it is asked), `limits` (how long a kept parameter may be), `form`
//! (form-encoded bodies), `config` (the config file),
//! `clients` (declared clients, open mode, client authentication, redirect URIs, CORS
//! origins), `signing` (the signing key and the published set), `store` (codes, refresh
//! tokens and seen `jti`s, in bounded memory), `tokens` (access and ID tokens), `proof` (DPoP
//! proofs), `assertion` (`private_key_jwt`), `authorize` (`GET /authorize`), `token_endpoint`
//! (`POST /token`), `userinfo` (`GET /userinfo`), `discovery` (the metadata documents),
//! `state` (the live state and its reloading), `http` (routes, the Host check, CORS, limits,
//! the request log), `tls` (the throwaway CA, given certificates) and `server` (listening,
//! connections, signals).

pub mod address;
pub mod assertion;
pub mod authorize;
pub mod clients;
pub mod config;
pub mod discovery;
pub mod events;
pub mod form;
pub mod http;
pub mod limits;
pub mod options;
pub mod proof;
pub mod server;
pub mod signing;
pub mod state;
pub mod store;
pub mod tls;
pub mod token_endpoint;
pub mod tokens;
pub mod urls;
pub mod userinfo;

pub use address::BindAddr;
pub use events::{Event, Events, RequestLine};
pub use options::{Options, Tls};
pub use server::{Server, Stopped};
pub use urls::HttpUrl;
