//! One module per subcommand: turn parsed arguments into core values, call the core, render.

pub mod classify;
pub mod completions;
pub mod decode;
pub mod decrypt;
pub mod dpop;
pub mod keygen;
pub mod keyset;
pub mod keyset_fetch;
pub mod mint;
pub mod present;
pub mod serve;
pub mod verify;

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::args::{KeyArgs, RemoteArgs, TokenInput};
use crate::output::Console;
use jwtk::alg::jwe::KeyAlg;
use jwtk::error::{EnvProblem, Error, Usage};
use jwtk::jwe::decrypt::Decryptor;
use jwtk::jwe::keyring::Allowed;
use jwtk::keys::format::Loaded;
use jwtk::keys::input::SecretEncoding;
use jwtk::keys::key::Key;
use jwtk::keys::key::Purpose;
use jwtk::keys::{self, Reading, Source};
use jwtk::remote::fetch::Settings;
use jwtk::remote::http;
use jwtk::token;
use jwtk::token::paste;

/// What stops a command: the library's errors, and failing to read input or write output (a
/// closed pipe, a full disk). `report` turns either into a message and an exit code.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The library refused or failed.
    #[error(transparent)]
    Jwtk(#[from] Error),
    /// Reading or writing a stream.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Each part of the library's error converts as the library's error does.
macro_rules! from_library {
    ($($part:ty),*) => {$(
        impl From<$part> for CommandError {
            fn from(err: $part) -> Self {
                CommandError::Jwtk(Error::from(err))
            }
        }
    )*};
}

from_library!(
    jwtk::error::Malformed,
    jwtk::error::EncryptError,
    jwtk::error::KeyUse,
    jwtk::error::KeysetProblem,
    jwtk::error::RemoteProblem,
    jwtk::error::FileProblem,
    jwtk::error::EnvProblem,
    jwtk::error::Usage
);

impl CommandError {
    /// The library's error, when that is what this is.
    pub fn library(&self) -> Option<&Error> {
        match self {
            CommandError::Jwtk(err) => Some(err),
            CommandError::Io(_) => None,
        }
    }
}

/// A command's outcome.
pub type Result<T, E = CommandError> = std::result::Result<T, E>;

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: the token was rejected, and the command already said why.
    Rejected,
    /// Exit 130: stopped by Ctrl-C (`serve`).
    Interrupted,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Rejected => 1,
            Status::Interrupted => 130,
        }
    }
}

/// The token to work on: found in the argument, or in stdin when it is absent or `-` (with a
/// prompt when stdin is a terminal). An argument that holds no token but names a readable file
/// is read as that file. Notes say what was read and what was stripped.
pub fn read_token_input(input: &TokenInput, console: &mut Console) -> Result<Vec<u8>> {
    let field = input.field.as_deref();
    let found = match input.token.as_deref() {
        Some(text) if text != "-" => match paste::find(text.as_bytes(), field) {
            Ok(found) if token::Segments::split(&found.token).is_ok() => found,
            other => match token_file(text, console)? {
                Some(bytes) => paste::find(&bytes, field)?,
                // Text that held something token-shaped (an SD-JWT, a broken token in a URL)
                // is judged as a token; only a bare name is a missing file.
                None if names_a_file(text)
                    && !other
                        .as_ref()
                        .is_ok_and(|found| paste::opens_like_a_token(&found.token)) =>
                {
                    return Err(Error::File {
                        path: text.into(),
                        io: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no such file, and not a token either",
                        ),
                    }
                    .into());
                }
                None => other?,
            },
        },
        _ => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                console.prompt(
                    "paste the token, then press Enter and Ctrl-D (Ctrl-Z and Enter on Windows)",
                )?;
            }
            paste::find(&token::read_input(stdin.lock())?, field)?
        }
    };
    if let Some(note) = &found.note {
        console.note(note)?;
    }
    Ok(found.token)
}

/// Whether an argument that is no token reads as a file name: no whitespace, does not start
/// as a token does (`eyJ…`), and holds a path separator or is a name with one extension
/// (`nosuch.jwt`, `token.txt`; `a.b.c` is a broken token).
fn names_a_file(text: &str) -> bool {
    let extension = text.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && !stem.contains('.')
            && (1..=5).contains(&ext.len())
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
    });
    !text.contains(char::is_whitespace)
        && !paste::opens_like_a_token(text.as_bytes())
        && (extension || text.contains('/') || text.contains(std::path::MAIN_SEPARATOR))
}

/// The contents of the file `text` names, when it names one (with a note saying so).
fn token_file(text: &str, console: &mut Console) -> Result<Option<Vec<u8>>> {
    let path = std::path::Path::new(text);
    if !path.is_file() {
        return Ok(None);
    }
    let file = std::fs::File::open(path).map_err(|io| Error::File {
        path: path.into(),
        io,
    })?;
    let bytes = token::read_input(file).map_err(|err| match err {
        Error::File { io, .. } => Error::File {
            path: path.into(),
            io,
        },
        other => other,
    })?;
    console.note(&format!(
        "{text} is not a token but a file: reading the token from it"
    ))?;
    Ok(Some(bytes))
}

/// The key sources the flags name, in order: each `--key`, then `--key-env`, then
/// `--key-prompt`; with none of them, `JWTK_KEY` if set; otherwise a key error with a hint.
pub fn key_sources(args: &KeyArgs, console: &mut Console) -> Result<Vec<Source>> {
    if args
        .key
        .iter()
        .filter(|path| path.as_os_str() == "-")
        .count()
        > 1
    {
        return Err(Error::from(jwtk::error::Usage::StdinTwice {
            first: "--key -",
            second: "another --key -",
        })
        .into());
    }
    let mut sources = Vec::with_capacity(args.key.len() + 1);
    for path in &args.key {
        sources.push(if path.as_os_str() == "-" {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                console.prompt(
                    "paste the key (PEM, JWK or secret; it shows as you paste: --key-prompt reads a secret unseen), then press Enter and Ctrl-D (Ctrl-Z and Enter on Windows)",
                )?;
            }
            Source::Given {
                bytes: keys::read_key_bytes(stdin.lock(), "stdin")?,
                origin: "stdin".into(),
            }
        } else {
            Source::File(path.clone())
        });
    }
    if let Some(var) = &args.key_env {
        sources.push(Source::Env(var.clone()));
    }
    if args.key_prompt {
        sources.push(prompt_secret()?);
    }
    if sources.is_empty() {
        if std::env::var_os(DEFAULT_KEY_VAR).is_none() {
            return Err(EnvProblem::NoKeyGiven.into());
        }
        sources.push(Source::Env(DEFAULT_KEY_VAR.to_string()));
    }
    Ok(sources)
}

/// Refuse `--key -` beside another input that reads stdin (`what`: "the token", "--claims -"):
/// stdin can be read once.
pub fn stdin_once(args: &KeyArgs, other_reads_stdin: bool, what: &'static str) -> Result<()> {
    if other_reads_stdin && args.key.iter().any(|path| path.as_os_str() == "-") {
        return Err(Error::from(jwtk::error::Usage::StdinTwice {
            first: "--key -",
            second: what,
        })
        .into());
    }
    Ok(())
}

/// Whether the token is read from stdin (no argument, or `-`).
pub fn token_from_stdin(input: &TokenInput) -> bool {
    input.token.as_deref().is_none_or(|t| t == "-")
}

/// Refuse two key sources where one key signs (`mint`, `dpop`): a usage error, never a
/// silent choice between them.
pub fn one_key_source(args: &KeyArgs, what: &'static str) -> Result<()> {
    let sources =
        args.key.len() + usize::from(args.key_env.is_some()) + usize::from(args.key_prompt);
    if sources > 1 {
        return Err(jwtk::error::Usage::OneKeySource { what }.into());
    }
    Ok(())
}

/// The one key that signs (`mint`, `dpop`): one source only, read with raw bytes taken as a
/// secret, then the key `--kid` names or the set's signing key.
pub fn signing_key(
    args: &KeyArgs,
    what: &'static str,
    console: &mut Console,
) -> Result<jwtk::keys::key::Key> {
    one_key_source(args, what)?;
    let mut loaded = load_keys(args, true, console)?;
    let loaded = loaded.pop().ok_or(jwtk::error::KeyUse::NoKeyFound)?;
    Ok(keys::signing_key(loaded, args.kid.as_deref())?)
}

/// The environment variable read when no key flag is given.
pub const DEFAULT_KEY_VAR: &str = "JWTK_KEY";

/// Read every source the flags name; print the notes and warnings reading made (a trailing
/// newline removed, a skipped key of a set, a key file others can read). `raw_secret` says
/// whether raw bytes may be taken as an HMAC secret (an explicit `--secret-encoding` does too).
pub fn load_keys(args: &KeyArgs, raw_secret: bool, console: &mut Console) -> Result<Vec<Loaded>> {
    load_keys_for(
        key_sources(args, console)?,
        args.secret_encoding,
        raw_secret,
        Purpose::Verify,
        console,
    )
}

/// [`load_keys`] from the given `sources`, for `purpose` (a JWK Set keeps the keys that may
/// serve it).
pub fn load_keys_for(
    sources: Vec<Source>,
    encoding: Option<SecretEncoding>,
    raw_secret: bool,
    purpose: Purpose,
    console: &mut Console,
) -> Result<Vec<Loaded>> {
    let reading = Reading {
        encoding,
        raw_secret: raw_secret || encoding.is_some(),
        now: crate::clock::now(),
        purpose,
    };
    let mut all = Vec::new();
    for source in sources {
        let loaded = keys::load(&source, &reading)?;
        for note in &loaded.notes {
            console.note(note)?;
        }
        for warning in &loaded.warnings {
            console.warn(warning)?;
        }
        all.push(loaded);
    }
    Ok(all)
}

/// Ask for an HMAC secret at the terminal, without echo. No terminal is a key error.
fn prompt_secret() -> Result<Source> {
    let secret =
        rpassword::prompt_password("HMAC secret: ").map_err(|err| EnvProblem::NoTerminal {
            why: err.to_string(),
        })?;
    Ok(Source::Prompt(Zeroizing::new(secret.into_bytes())))
}

/// Load the decryption keys in `sources` (`decrypt --key`, `verify --decrypt-key`) and prepare
/// them; `kid` picks one. Raw bytes are a shared secret only when the user said so: an `--alg`
/// that takes one (A…KW, A…GCMKW, dir), or `--secret-encoding`.
pub fn decryptor(
    sources: Vec<Source>,
    encoding: Option<SecretEncoding>,
    kid: Option<&str>,
    allowed: Allowed,
    console: &mut Console,
) -> Result<Decryptor> {
    let symmetric = allowed
        .algs
        .iter()
        .any(|a| matches!(a, KeyAlg::AesKw(_) | KeyAlg::AesGcmKw(_) | KeyAlg::Dir));
    let loaded = load_keys_for(sources, encoding, symmetric, Purpose::Decrypt, console)?;
    let keys: Vec<Key> = match kid {
        Some(kid) => keys::select_kid(loaded, kid)?,
        None => loaded.into_iter().flat_map(|l| l.keys).collect(),
    };
    Ok(Decryptor::new(&keys, allowed)?)
}

/// Fetch settings from the flags: timeouts and the `--cacert` roots.
pub fn fetch_settings(args: &RemoteArgs) -> Result<Settings> {
    let mut http = http::Options::default();
    if let Some(timeout) = args.timeout {
        if timeout.0 <= 0 {
            return Err(Error::from(Usage::TimeoutTooShort).into());
        }
        http.total = std::time::Duration::from_secs(timeout.0.unsigned_abs());
        http.connect = http.connect.min(http.total);
    }
    if let Some(path) = &args.cacert {
        let pem = std::fs::read(path).map_err(|io| Error::File {
            path: path.clone(),
            io,
        })?;
        http.extra_roots = Some(pem);
    }
    Ok(Settings {
        offline: args.offline,
        refresh: args.refresh,
        http,
    })
}
