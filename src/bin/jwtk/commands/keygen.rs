//! `jwtk keygen`: generate a key and write it safely (files 0600, never overwritten unless
//! --force), print it, or append it to a keyset.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;

use crate::args::{KeyFormatArg, KeyTypeArg, KeygenArgs, UseArg};
use crate::commands::Status;
use crate::output::Console;
use jwtk::alg::jwe::KeyAlg;
use jwtk::alg::{Algorithm, Curve, Family};
use jwtk::error::{Error, KeysetProblem, Result, Usage};
use jwtk::files::{self, PRIVATE_MODE, PUBLIC_MODE};
use jwtk::keys::generate::{self, Generated, JwkAlg, KeyType, Use};
use jwtk::keys::set;

/// Generate one key and put it where the flags say.
pub fn run(args: &KeygenArgs, console: &mut Console) -> super::Result<Status> {
    let key_type = key_type(args)?;
    let use_ = match args.use_ {
        UseArg::Sig => Use::Sig,
        UseArg::Enc => Use::Enc,
    };
    let format = match (args.format, key_type.family()) {
        (Some(KeyFormatArg::Pem), Family::Hmac) => {
            return Err(Error::from(Usage::HmacNoPem).into());
        }
        (Some(format), _) => format,
        (None, Family::Hmac) => KeyFormatArg::Jwk,
        (None, _) => KeyFormatArg::Pem,
    };
    let has_public = key_type.family() != Family::Hmac;
    if let Some(out) = &args.out {
        let public = public_path(out);
        let paths: Vec<&Path> = if has_public {
            vec![out, &public]
        } else {
            vec![out]
        };
        files::check_writable(&paths, args.force)?;
    }
    let generated = with_spinner(console, || {
        generate::generate(key_type, args.alg, use_, args.kid.clone())
    })?;
    if let Some(note) = pem_note(args, format, key_type) {
        console.note(&note)?;
    }
    let kid = generated.jwk.kid.clone().unwrap_or_default();
    if let Some(set) = &args.add_to {
        if add_to(set, &generated)? {
            console.note(&set::not_signing_yet(set, &kid))?;
        }
        // The set now holds a private key: say so when others can reach it, as `mint` does
        // for a key file (the mode is kept on edits, so jwtk never tightens it unasked).
        if let Some(warning) = files::loose_mode(set) {
            console.warn(&warning)?;
        }
        writeln!(console.out, "{kid}")?;
        return Ok(Status::Success);
    }
    let (private, public) = render(&generated, format)?;
    // The rendered private key is wiped when it goes out of scope, like the key it came from.
    let private = zeroize::Zeroizing::new(private);
    match &args.out {
        Some(out) => {
            write_pair(out, &private, public.as_deref(), args.force)?;
            let written = if has_public {
                format!("{0} (0600) and {0}.pub", out.display())
            } else {
                format!("{} (0600)", out.display())
            };
            console.note(&format!("wrote {written}"))?;
            writeln!(console.out, "{kid}")?;
        }
        None => console.out.write_all(&private)?,
    }
    Ok(Status::Success)
}

/// The key type the flags describe, sizes and curves checked.
fn key_type(args: &KeygenArgs) -> Result<KeyType> {
    let kind = match (args.key_type, args.alg) {
        (Some(kind), _) => kind,
        (None, Some(alg)) => kind_for(alg),
        (None, None) => return Err(Usage::NeedTypeOrAlg.into()),
    };
    let curve = args.curve;
    let misuse = |what: &'static str, kind: &str| {
        Err(Error::from(Usage::NotApplicable {
            what,
            kind: kind.to_string(),
        }))
    };
    match kind {
        KeyTypeArg::Hmac if curve.is_some() => misuse("--curve", "HMAC secrets"),
        KeyTypeArg::Hmac if args.use_ == UseArg::Enc => Ok(KeyType::Shared {
            bits: args.bits.or_else(|| shared_bits(args.alg)).unwrap_or(256),
        }),
        KeyTypeArg::Hmac => hmac_type(args),
        KeyTypeArg::Rsa if curve.is_some() => misuse("--curve", "RSA keys"),
        KeyTypeArg::Rsa => Ok(KeyType::Rsa {
            bits: args.bits.unwrap_or(2048),
        }),
        _ if args.bits.is_some() => misuse("--bits", "EC, Ed25519 or X25519 keys"),
        KeyTypeArg::Ec => Ok(KeyType::Ec(curve.unwrap_or(match args.alg {
            Some(JwkAlg::Sig(Algorithm::Es(from_alg))) => from_alg,
            _ => Curve::P256,
        }))),
        KeyTypeArg::Ed25519 if curve.is_some() => misuse("--curve", "Ed25519 keys"),
        KeyTypeArg::Ed25519 => Ok(KeyType::Ed25519),
        KeyTypeArg::X25519 if curve.is_some() => misuse("--curve", "X25519 keys"),
        KeyTypeArg::X25519 => Ok(KeyType::X25519),
    }
}

/// The key type an `--alg` implies when no `--type` is given.
fn kind_for(alg: JwkAlg) -> KeyTypeArg {
    match alg {
        JwkAlg::Sig(alg) => match alg.family() {
            Family::Hmac => KeyTypeArg::Hmac,
            Family::Rsa => KeyTypeArg::Rsa,
            Family::Ec(_) => KeyTypeArg::Ec,
            Family::Ed25519 | Family::X25519 => KeyTypeArg::Ed25519,
        },
        JwkAlg::Enc(KeyAlg::RsaOaep | KeyAlg::RsaOaep256) => KeyTypeArg::Rsa,
        JwkAlg::Enc(KeyAlg::EcdhEs | KeyAlg::EcdhEsKw(_)) => KeyTypeArg::Ec,
        JwkAlg::Enc(KeyAlg::AesKw(_) | KeyAlg::AesGcmKw(_) | KeyAlg::Dir) => KeyTypeArg::Hmac,
    }
}

/// The size an AES key-wrap `--alg` gives a shared encryption key.
fn shared_bits(alg: Option<JwkAlg>) -> Option<usize> {
    match alg? {
        JwkAlg::Enc(KeyAlg::AesKw(aes) | KeyAlg::AesGcmKw(aes)) => Some(aes.key_len() * 8),
        _ => None,
    }
}

/// An HMAC secret's size: `--bits`, else what `--alg` needs, else 256; never under `--alg`'s.
fn hmac_type(args: &KeygenArgs) -> Result<KeyType> {
    let alg = match args.alg {
        Some(JwkAlg::Sig(alg)) => Some(alg),
        _ => None,
    };
    let from_alg = alg
        .and_then(Algorithm::min_secret_len)
        .map(|bytes| bytes * 8);
    match (args.bits, from_alg) {
        (Some(bits), Some(min)) if bits < min => Err(Usage::TooFewBits {
            alg: alg.map_or("", |a| a.name()).to_string(),
            min,
        }
        .into()),
        (bits, from_alg) => Ok(KeyType::Hmac {
            bits: bits.or(from_alg).unwrap_or(generate::MIN_HMAC_BITS),
        }),
    }
}

/// What PEM loses: a non-default `--alg`, and the `use` of an encryption key.
fn pem_note(args: &KeygenArgs, format: KeyFormatArg, key_type: KeyType) -> Option<String> {
    if format != KeyFormatArg::Pem || args.add_to.is_some() {
        return None;
    }
    match args.alg {
        _ if args.use_ == UseArg::Enc => Some(
            "PEM does not record that the key is for encryption (use: enc) or its alg: use --format jwk to keep them"
                .to_string(),
        ),
        Some(JwkAlg::Sig(alg)) if alg != generate::default_alg(key_type) => Some(format!(
            "PEM does not record the algorithm: mint with --alg {alg}, or use --format jwk"
        )),
        _ => None,
    }
}

fn public_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// The private and public file contents for `format`.
fn render(generated: &Generated, format: KeyFormatArg) -> Result<(Vec<u8>, Option<Vec<u8>>)> {
    let pretty = |value: serde_json::Value| {
        let mut text = serde_json::to_vec_pretty(&value).unwrap_or_default();
        text.push(b'\n');
        text
    };
    let public = generated.public_jwk();
    Ok(match format {
        KeyFormatArg::Pem => (
            generated
                .private_pem
                .as_ref()
                .map(|p| p.as_bytes().to_vec())
                .unwrap_or_default(),
            generated.public_pem.as_ref().map(|p| p.as_bytes().to_vec()),
        ),
        KeyFormatArg::Jwk => (
            pretty(as_value(&generated.jwk)?),
            public
                .as_ref()
                .map(|p| as_value(p).map(pretty))
                .transpose()?,
        ),
        KeyFormatArg::Jwks => (
            pretty(json!({"keys": [as_value(&generated.jwk)?]})),
            public
                .as_ref()
                .map(|p| as_value(p).map(|v| pretty(json!({"keys": [v]}))))
                .transpose()?,
        ),
    })
}

fn as_value(jwk: &jwtk::keys::jwk::Jwk) -> Result<serde_json::Value> {
    serde_json::to_value(jwk).map_err(|_| {
        KeysetProblem::NotAJwk {
            origin: "the new key".into(),
        }
        .into()
    })
}

/// Write PATH and PATH.pub as one step: both are written and synced before either replaces
/// an old file, and a failure leaves the old pair (or nothing) in place.
fn write_pair(out: &Path, private: &[u8], public: Option<&[u8]>, force: bool) -> Result<()> {
    let public_path = public_path(out);
    let mut files = vec![(out, private, PRIVATE_MODE)];
    if let Some(public) = public {
        files.push((public_path.as_path(), public, PUBLIC_MODE));
    }
    files::write_all_atomic(&files, force)
}

/// Append under the keyset's lock (taken where its symlinks point), then replace the file
/// atomically, keeping its mode, owner and group (0600 when new). Whether the set had other
/// keys (then the new one does not sign yet).
fn add_to(set: &Path, generated: &Generated) -> Result<bool> {
    set::edit(set, true, |keyset| {
        let had_keys = !keyset.keys.is_empty();
        keyset.add(&generated.jwk)?;
        Ok(had_keys)
    })
}

/// Run `work` on another thread; on a terminal, show a spinner on stderr once it takes more
/// than a moment (RSA-4096 takes half a second, RSA-8192 many).
fn with_spinner<T: Send>(console: &mut Console, work: impl FnOnce() -> T + Send) -> T {
    if !console.err_is_terminal || console.quiet {
        return work();
    }
    std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel();
        let worker = scope.spawn(move || {
            let result = work();
            let _ = done.send(());
            result
        });
        let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        let mut shown = false;
        for frame in frames.iter().cycle() {
            if finished
                .recv_timeout(Duration::from_millis(if shown { 100 } else { 300 }))
                .is_ok()
            {
                break;
            }
            shown = true;
            let _ = write!(console.err, "\r{frame} generating the key…");
            let _ = console.err.flush();
        }
        if shown {
            let _ = write!(console.err, "\r\x1b[2K");
        }
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
