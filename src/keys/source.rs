//! Where keys come from (a file, the environment, a prompt) and how they are read: the bytes
//! go through [`format::load`], which decides what they are and fails closed.

use std::io::Read;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::error::{EnvProblem, Error, KeyProblem, KeyUse, Result};
use crate::keys::format::{self, Loaded};
use crate::keys::input::SecretEncoding;
use crate::keys::key::{Key, Material, Purpose};

/// The largest key file read: real keys (even an 8192-bit RSA JWKS) are far smaller.
const MAX_KEY_BYTES: u64 = 1024 * 1024;

/// Where key material comes from. Never the command line.
#[derive(Debug, Clone)]
pub enum Source {
    /// A file (`--key PATH`).
    File(PathBuf),
    /// An environment variable (`--key-env VAR`, or `JWTK_KEY`).
    Env(String),
    /// A secret typed at the terminal (`--key-prompt`): raw bytes are an HMAC secret.
    Prompt(Zeroizing<Vec<u8>>),
    /// Bytes already read from elsewhere; `origin` names them in messages.
    Given {
        /// The material.
        bytes: Zeroizing<Vec<u8>>,
        /// How to name it.
        origin: String,
    },
}

/// How key material is read.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The `--secret-encoding` the user gave, if any.
    pub encoding: Option<SecretEncoding>,
    /// Whether raw bytes may be taken as an HMAC secret: `mint` infers it, `verify` only when
    /// told (`--alg HS…`, `--secret-encoding`, `--key-prompt`).
    pub raw_secret: bool,
    /// The instant certificates are judged at.
    pub now: i64,
    /// What the keys are for: a JWK Set keeps the keys that may serve it.
    pub purpose: Purpose,
}

impl Default for Reading {
    /// No `--secret-encoding`, raw bytes not taken as a secret (fail closed), the clock now.
    fn default() -> Self {
        Reading {
            encoding: None,
            raw_secret: false,
            now: crate::time::now(),
            purpose: Purpose::Verify,
        }
    }
}

impl Reading {
    /// As `mint` reads: raw bytes are an HMAC secret.
    pub fn with_raw_secrets() -> Self {
        Reading {
            raw_secret: true,
            ..Reading::default()
        }
    }
}

/// Read and load the key material of `source`.
pub fn load(source: &Source, reading: &Reading) -> Result<Loaded> {
    let (bytes, origin) = match source {
        Source::File(path) => (read_key_file(path)?, path.display().to_string()),
        Source::Env(var) => (read_env(var)?, format!("${var}")),
        Source::Prompt(bytes) => (bytes.clone(), "the prompt".to_string()),
        Source::Given { bytes, origin } => (bytes.clone(), origin.clone()),
    };
    let mut loaded = format::load_for(
        &bytes,
        &origin,
        reading.encoding,
        reading.now,
        reading.purpose,
    )?;
    let told = reading.raw_secret || matches!(source, Source::Prompt(_));
    if !told && loaded.keys.iter().any(|k| k.format == format::RAW_SECRET) {
        return Err(Error::KeyMaterial {
            origin,
            problem: KeyProblem::RawSecretNotAllowed,
        });
    }
    let private = loaded
        .keys
        .iter()
        .any(|k| !matches!(k.material, Material::Public(_)));
    if let Source::File(path) = source
        && private
        && let Some(warning) = crate::files::loose_mode(path)
    {
        loaded.warnings.push(warning);
    }
    Ok(loaded)
}

fn read_env(var: &str) -> Result<Zeroizing<Vec<u8>>> {
    let value = std::env::var_os(var).ok_or_else(|| EnvProblem::VarUnset {
        var: var.to_string(),
    })?;
    Ok(Zeroizing::new(os_bytes(value)))
}

#[cfg(unix)]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    value.into_vec()
}

#[cfg(not(unix))]
fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

fn read_key_file(path: &PathBuf) -> Result<Zeroizing<Vec<u8>>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(no_such_file(path));
        }
        Err(err) => {
            return Err(Error::File {
                path: path.clone(),
                io: err,
            });
        }
    };
    read_key_bytes(file, &path.display().to_string())
}

/// A `--key` value that names no file. A value may be a secret pasted in the wrong place, so it
/// is never shown — unless it is a URL or ends with a key file's extension (a typo'd path).
fn no_such_file(path: &std::path::Path) -> Error {
    const EXTENSIONS: [&str; 10] = [
        ".pem", ".der", ".key", ".pub", ".crt", ".cer", ".jwk", ".jwks", ".json", ".txt",
    ];
    let value = path.as_os_str().to_string_lossy();
    let lower = value.to_ascii_lowercase();
    let (origin, problem) = if lower.starts_with("https://") || lower.starts_with("http://") {
        (value.into_owned(), KeyProblem::UrlNotFile)
    } else if EXTENSIONS.iter().any(|ext| lower.ends_with(ext)) {
        (value.into_owned(), KeyProblem::NoSuchFile)
    } else {
        (
            "--key".to_string(),
            KeyProblem::NotAFile {
                chars: value.chars().count(),
            },
        )
    };
    Error::KeyMaterial { origin, problem }
}

/// Read key material from `reader` (a file, stdin), refusing more than a key could be and an
/// empty input; `origin` names it in messages.
pub fn read_key_bytes(reader: impl Read, origin: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut bytes = Zeroizing::new(Vec::new());
    reader
        .take(MAX_KEY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|io| Error::File {
            path: origin.into(),
            io,
        })?;
    let problem = if bytes.len() as u64 > MAX_KEY_BYTES {
        KeyProblem::TooLarge
    } else if bytes.trim_ascii().is_empty() {
        KeyProblem::EmptyFile {
            whitespace: !bytes.is_empty(),
        }
    } else {
        return Ok(bytes);
    };
    Err(Error::KeyMaterial {
        origin: origin.to_string(),
        problem,
    })
}

/// Keep the keys whose kid is `kid`. A kid that only a skipped key of a set carries is an
/// error giving that key's reason; a kid no key carries, an error listing the kids there are.
pub fn select_kid(loaded: Vec<Loaded>, kid: &str) -> Result<Vec<Key>> {
    if let Some((origin, skipped)) = loaded.iter().find_map(|l| {
        l.skipped
            .iter()
            .find(|s| s.kid.as_deref() == Some(kid))
            .map(|s| (&l.origin, s))
    }) && !loaded
        .iter()
        .any(|l| l.keys.iter().any(|k| k.kid.as_deref() == Some(kid)))
    {
        return Err(Error::KeyMaterial {
            origin: format!("{origin}, {}", skipped.label()),
            problem: skipped.problem.clone(),
        });
    }
    let origins: Vec<&str> = loaded.iter().map(|l| l.origin.as_str()).collect();
    let origin = origins.join(", ");
    let keys: Vec<Key> = loaded.into_iter().flat_map(|l| l.keys).collect();
    let known: Vec<String> = keys
        .iter()
        .filter_map(|k| k.kid.as_deref().map(crate::text::cut))
        .collect();
    let chosen: Vec<Key> = keys
        .into_iter()
        .filter(|k| k.kid.as_deref() == Some(kid))
        .collect();
    if chosen.is_empty() {
        return Err(KeyUse::NoSuchKid {
            kid: crate::text::cut(kid),
            origin,
            known,
        }
        .into());
    }
    Ok(chosen)
}

/// The key `mint` signs with: the one `kid` names (a single key without a kid of its own
/// takes `kid` as its kid), else the set's first key (its signing key), which must be usable: an unusable first key is an error naming it, never a reason
/// to sign with another.
pub fn signing_key(loaded: Loaded, kid: Option<&str>) -> Result<Key> {
    // A single key without a kid of its own (PEM, DER, a JWK without kid): --kid names it.
    if let (Some(kid), [single]) = (kid, loaded.keys.as_slice())
        && single.kid.is_none()
        && single.format != "JWKS"
        && loaded.skipped.is_empty()
    {
        let mut key = single.clone();
        key.kid = Some(kid.to_string());
        return Ok(key);
    }
    if let Some(kid) = kid {
        return select_kid(vec![loaded], kid)?
            .into_iter()
            .next()
            .ok_or_else(|| KeyUse::NoKeyFound.into());
    }
    if let Some(first) = loaded.skipped.iter().find(|s| s.position == 0) {
        return Err(Error::KeyMaterial {
            origin: format!(
                "{}, {} (the signing key: the first of the set)",
                loaded.origin,
                first.label()
            ),
            problem: first.problem.clone(),
        });
    }
    let origin = loaded.origin.clone();
    let key = loaded.keys.into_iter().next().ok_or(KeyUse::NoKeyFound)?;
    // A set's first key is its signing key: say so when it cannot sign. A single key is
    // judged by the signer, whose message fits the algorithm asked for.
    if key.format == "JWKS"
        && let Some(why) = key.refusal(Purpose::Sign)
    {
        return Err(KeyUse::SigningKeyCannotSign { origin, why }.into());
    }
    Ok(key)
}

/// The key `mint --encrypt-to` encrypts to: the one `kid` names, else the first key of the
/// set read for encryption (signing-only keys were skipped). A note names the key chosen when
/// the set offered several.
pub fn recipient_key(loaded: Loaded, kid: Option<&str>) -> Result<(Key, Option<String>)> {
    if let Some(kid) = kid {
        let key = select_kid(vec![loaded], kid)?.into_iter().next();
        return Ok((key.ok_or(KeyUse::NoKeyFound)?, None));
    }
    let origin = loaded.origin.clone();
    let several = loaded.keys.len() > 1;
    let key = loaded.keys.into_iter().next().ok_or(KeyUse::NoKeyFound)?;
    let note = several.then(|| {
        format!(
            "{origin} holds several encryption keys: encrypting to the first, {} (--encrypt-kid picks another)",
            key.label()
        )
    });
    Ok((key, note))
}
