//! `jwtk keygen`: generate a key and write it safely (files 0600, never overwritten unless
//! --force), print it, or append it to a keyset.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;

use crate::cli::{CurveArg, KeyFormatArg, KeyTypeArg, KeygenArgs};
use crate::commands::Status;
use crate::core::alg::{Algorithm, Curve, Family};
use crate::core::error::{Error, KeysetProblem, Result, Usage};
use crate::core::files::{self, PRIVATE_MODE, PUBLIC_MODE};
use crate::core::keygen::{self, Generated, KeyType};
use crate::core::keyset;
use crate::output::Console;

/// Generate one key and put it where the flags say.
pub fn run(args: &KeygenArgs, console: &mut Console) -> anyhow::Result<Status> {
    let key_type = key_type(args)?;
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
        keygen::generate(key_type, args.alg, args.kid.clone())
    })?;
    if let Some(alg) = args
        .alg
        .filter(|_| format == KeyFormatArg::Pem && args.add_to.is_none())
        && alg != keygen::default_alg(key_type)
    {
        console.note(&format!(
            "PEM does not record the algorithm: mint with --alg {alg}, or use --format jwk"
        ))?;
    }
    let kid = generated.jwk.kid.clone().unwrap_or_default();
    if let Some(set) = &args.add_to {
        if add_to(set, &generated)? {
            console.note(&keyset::not_signing_yet(set, &kid))?;
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
    let family = match (args.key_type, args.alg) {
        (Some(KeyTypeArg::Hmac), _) => Family::Hmac,
        (Some(KeyTypeArg::Rsa), _) => Family::Rsa,
        (Some(KeyTypeArg::Ed25519), _) => Family::Ed25519,
        (Some(KeyTypeArg::Ec), Some(alg)) if matches!(alg.family(), Family::Ec(_)) => alg.family(),
        (Some(KeyTypeArg::Ec), _) => Family::Ec(Curve::P256),
        (None, Some(alg)) => alg.family(),
        (None, None) => return Err(Usage::NeedTypeOrAlg.into()),
    };
    let curve = args.curve.map(|c| match c {
        CurveArg::P256 => Curve::P256,
        CurveArg::P384 => Curve::P384,
        CurveArg::P521 => Curve::P521,
    });
    let kind = match family {
        Family::Hmac => "HMAC secrets",
        Family::Rsa => "RSA keys",
        Family::Ec(_) => "EC keys",
        Family::Ed25519 => "Ed25519 keys",
        Family::X25519 => "X25519 keys",
    };
    let misuse = |what: &'static str| {
        Err(Error::from(Usage::NotApplicable {
            what,
            kind: kind.to_string(),
        }))
    };
    match family {
        Family::Hmac if curve.is_some() => misuse("--curve"),
        Family::Hmac => {
            let from_alg = args
                .alg
                .and_then(Algorithm::min_secret_len)
                .map(|bytes| bytes * 8);
            match (args.bits, from_alg) {
                (Some(bits), Some(min)) if bits < min => Err(Usage::TooFewBits {
                    alg: args.alg.map_or("", |a| a.name()).to_string(),
                    min,
                }
                .into()),
                (bits, from_alg) => Ok(KeyType::Hmac {
                    bits: bits.or(from_alg).unwrap_or(keygen::MIN_HMAC_BITS),
                }),
            }
        }
        Family::Rsa if curve.is_some() => misuse("--curve"),
        Family::Rsa => Ok(KeyType::Rsa {
            bits: args.bits.unwrap_or(2048),
        }),
        _ if args.bits.is_some() => misuse("--bits"),
        Family::Ec(from_alg) => Ok(KeyType::Ec(curve.unwrap_or(from_alg))),
        Family::Ed25519 if curve.is_some() => misuse("--curve"),
        Family::Ed25519 => Ok(KeyType::Ed25519),
        // No --type or JWS --alg names X25519: it is not a signing key.
        Family::X25519 => misuse("a signing algorithm"),
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

fn as_value(jwk: &crate::core::jwk::Jwk) -> Result<serde_json::Value> {
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
    keyset::edit(set, true, |keyset| {
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
