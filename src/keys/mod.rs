//! Key material: reading it from files, the environment or bytes (detected from the content,
//! failing closed), the keys it holds and what each may serve, key sets, and new keys.
//!
//! ```
//! use jwtk::keys::{self, Reading, Source};
//!
//! let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
//! let loaded = keys::load(&Source::Given { bytes: pem.as_bytes().to_vec().into(), origin: "example".into() }, &Reading::default())?;
//! assert_eq!(loaded.keys[0].describe(), "Ed25519 public key");
//! # Ok::<(), jwtk::Error>(())
//! ```
//!
//! The files: `source` (where key material comes from: files, the environment, bytes, and
//! loading it), `input` (what raw bytes are: secrets, their encodings, the fail-closed checks),
//! `format` (PEM, DER, JWK and JWKS parsing), `openssh` (OpenSSH key files), `jwk` (JWK members and thumbprints), `key` (a
//! loaded key and what it may serve), `set` (keyset files and rotation), `generate` (new keys).

pub mod format;
pub mod generate;
pub mod input;
pub mod jwk;
pub mod key;
pub mod openssh;
pub mod set;
pub mod source;

pub use format::{Loaded, Skipped, load as read_bytes, load_for as read_bytes_for};
pub use generate::{Generated, KeyType, Use, generate};
pub use input::SecretEncoding;
pub use key::{Key, Material, PublicKey, Purpose, Secret};
pub use source::*;
