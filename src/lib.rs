//! jwtk: a JSON Web Token toolkit — the `jwtk` command and the library behind it.
//!
//! The library does the JWT work without printing or exiting: read key material (failing
//! closed: public-key material is never an HMAC secret), verify a token against a policy,
//! mint one, inspect and classify one, encrypt and decrypt JWEs. Its surface is the modules
//! below; everything else (clap types, rendering, the key cache, HTTP) is the binary's.
//!
//! ```
//! use jwtk::keys::{self, Reading, Source};
//! use jwtk::verify::{KeyRing, Policy};
//!
//! // An HMAC secret given as bytes; verify says raw bytes are a secret only when told.
//! let secret = Source::Given { bytes: b"a-very-long-shared-secret-of-40-bytes!!!".to_vec().into(), origin: "example".into() };
//! let keys = keys::load(&secret, &Reading::with_raw_secrets())?.keys;
//! let ring = KeyRing::new(keys, &[jwtk::Algorithm::HS256])?;
//! let verdict = ring.verify(b"not.a.token", &Policy::default());
//! assert_eq!(verdict.reason(), Some(jwtk::verify::Reason::Malformed));
//! # Ok::<(), jwtk::Error>(())
//! ```
//!
//! The map of the crate: `core` does the JWT work (no clap, no printing, no exit); the
//! binary's side is `cli` (the interface), `commands` (one module per subcommand), `output`
//! (rendering), `report` (errors to messages and exit codes) and `generate` (completions and
//! man pages). [`run`] executes a parsed command line.

mod core;

#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod commands;
#[doc(hidden)]
pub mod generate;
#[doc(hidden)]
pub mod output;
mod report;

pub use crate::core::alg::{Algorithm, Curve, Family, Sha};
pub use crate::core::error::{Error, KeyProblem, Malformed, Part, Result};
pub use report::report;

/// Key material: reading it from files, the environment or bytes (detected from the content,
/// failing closed), the keys it holds and what each may serve, and new keys.
///
/// ```
/// use jwtk::keys::{self, Reading, Source};
///
/// let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
/// let loaded = keys::load(&Source::Given { bytes: pem.as_bytes().to_vec().into(), origin: "example".into() }, &Reading::default())?;
/// assert_eq!(loaded.keys[0].describe(), "Ed25519 public key");
/// # Ok::<(), jwtk::Error>(())
/// ```
pub mod keys {
    pub use crate::core::key::{Key, Material, PublicKey, Purpose, Secret};
    pub use crate::core::keyformat::{
        Loaded, Skipped, load as read_bytes, load_for as read_bytes_for,
    };
    pub use crate::core::keygen::{Generated, KeyType, Use, generate};
    pub use crate::core::keyinput::SecretEncoding;
    pub use crate::core::keys::{Reading, Source, load, select_kid, signing_key};
}

/// Compact tokens: finding one in input, parsing it strictly, and what it says (times, sizes,
/// warnings) without verifying anything.
pub mod token {
    pub use crate::core::inspect::{Review, inspect, jwe_warnings};
    pub use crate::core::json::{Lite, Members};
    pub use crate::core::size::SizeReport;
    pub use crate::core::token::*;
}

/// Verifying: keys parsed once into a key ring, a policy, and the verdict with every failed
/// check; many tokens at once with [`verify::batch`].
pub mod verify {
    pub use crate::core::batch;
    pub use crate::core::verify::{
        Failure, KeyRing, MatchedKey, Policy, Reason, Verdict, check_claims,
    };
}

/// Minting: the claims, the header and the signed compact token.
pub mod mint {
    pub use crate::core::mint::*;
    pub use crate::core::time::{Duration, When, now};
}

/// Time: the clock (`JWTK_NOW` pins it), NumericDates, the `WHEN` and `DURATION` syntaxes,
/// and how times read ("2011-03-22T18:43:00Z", "expired 3h ago").
pub mod time {
    pub use crate::core::time::{Duration, NumericDate, When, format_utc, now, relative};
}

/// Encrypted tokens (JWE, RFC 7516): parsing, decrypting and encrypting.
pub mod jwe {
    pub use crate::core::jwe::alg::{Aes, ContentAlg, KeyAlg, KeyShape};
    pub use crate::core::jwe::decrypt::Decryptor;
    pub use crate::core::jwe::encrypt::Encryptor;
    pub use crate::core::jwe::keyring::Allowed;
    pub use crate::core::jwe::{Jwe, is_jwe};
}

/// What kind of token this is, which grant issued it and who its subject is.
pub mod classify {
    pub use crate::core::classify::issuers::all as issuers;
    pub use crate::core::classify::{
        Classification, Confidence, Flow, Kind, SubjectKind, classify,
    };
}

use std::io::Write;

use cli::{Cli, Command};
use commands::Status;
use output::Console;

/// Run a parsed command line, writing to `console`.
pub fn run(cli: &Cli, console: &mut Console) -> anyhow::Result<Status> {
    let quiet = matches!(&cli.command, Command::Verify(args) if args.quiet);
    if let Some(pinned) = core::time::pinned()?
        && !quiet
    {
        // A leftover variable must never make an expired token pass silently.
        console.note(&format!(
            "the clock is pinned by {} to {}",
            core::time::PIN_VAR,
            core::time::format_utc(pinned as f64)
        ))?;
    }
    let status = match &cli.command {
        Command::Decode(args) => commands::decode::run(args, console),
        Command::Mint(args) => commands::mint::run(args, console),
        Command::Verify(args) => commands::verify::run(args, console),
        Command::Decrypt(args) => commands::decrypt::run(args, console),
        Command::Keygen(args) => commands::keygen::run(args, console),
        Command::Dpop(args) => commands::dpop::run(args, console),
        Command::Keyset(args) => commands::keyset::run(args, console),
        Command::Classify(args) => commands::classify::run(args, console),
        Command::Completions(args) => commands::completions::run(args, console),
    };
    // Flush before judging: a failed write (a full disk, a closed pipe) is an error too.
    let flushed = console.out.flush();
    let status = status?;
    flushed?;
    Ok(status)
}
