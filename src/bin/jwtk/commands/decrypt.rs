//! `jwtk decrypt`: open one JWE with the recipient's keys and print its plaintext.

use std::io::{IsTerminal, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::args::{DecryptArgs, KeyArgs};
use crate::commands::{CommandError, Result, Status, key_sources, load_keys_for, read_token_input};
use crate::output::{self, Console};
use jwtk::error::Error;
use jwtk::jwe::alg::KeyAlg;
use jwtk::jwe::decrypt::{Decrypted, Decryptor};
use jwtk::jwe::keyring::Allowed;
use jwtk::keys;
use jwtk::keys::key::{Key, Purpose};
use jwtk::verify::{Failure, Reason};

/// Decrypt one token and print the plaintext (or one JSON object).
pub fn run(args: &DecryptArgs, console: &mut Console) -> Result<Status> {
    let allowed = Allowed {
        algs: args.alg.clone(),
        encs: args.enc.clone(),
    };
    let decryptor = decryptor(&args.key, key_sources(&args.key)?, allowed, console)?;
    let outcome = match read_token_input(&args.input, console) {
        Ok(input) => decryptor.open(&input),
        Err(err) => match err {
            CommandError::Jwtk(err @ (Error::TooLarge { .. } | Error::Malformed(_))) => {
                Err(Failure {
                    reason: Reason::Malformed,
                    message: err.to_string(),
                })
            }
            other => return Err(other),
        },
    };
    match (outcome, args.json) {
        (Ok(done), true) => console.json(&success_json(&done))?,
        (Ok(done), false) => write_plaintext(console, &done.plaintext)?,
        (Err(failure), true) => {
            console.json(&json!({
                "decrypted": false,
                "reason": failure.reason,
                "message": failure.message,
            }))?;
            return Ok(Status::Rejected);
        }
        (Err(failure), false) => {
            return Err(Error::NotDecrypted {
                reason: failure.reason,
                message: failure.message,
            }
            .into());
        }
    }
    Ok(Status::Success)
}

/// Load the decryption keys the flags (or `sources`) name and prepare them. Raw bytes are a
/// shared secret only when the user said so: an `--alg` that takes one (A…KW, A…GCMKW, dir),
/// or `--secret-encoding`.
pub fn decryptor(
    args: &KeyArgs,
    sources: Vec<keys::Source>,
    allowed: Allowed,
    console: &mut Console,
) -> Result<Decryptor> {
    let symmetric = allowed
        .algs
        .iter()
        .any(|a| matches!(a, KeyAlg::AesKw(_) | KeyAlg::AesGcmKw(_) | KeyAlg::Dir));
    let loaded = load_keys_for(sources, args, symmetric, Purpose::Decrypt, console)?;
    let keys: Vec<Key> = match &args.kid {
        Some(kid) => keys::select_kid(loaded, kid)?,
        None => loaded.into_iter().flat_map(|l| l.keys).collect(),
    };
    Ok(Decryptor::new(&keys, allowed)?)
}

fn success_json(done: &Decrypted) -> Value {
    let mut out = json!({"decrypted": true, "header": done.header});
    match std::str::from_utf8(&done.plaintext) {
        Ok(text) => out["plaintext"] = json!(text),
        Err(_) => out["plaintext_b64"] = json!(URL_SAFE_NO_PAD.encode(done.plaintext.as_slice())),
    }
    out["nested"] = json!(done.nested);
    out
}

/// The plaintext byte for byte; on a terminal, escaped (it comes from a token) and ended with
/// a newline so the prompt stays on its own line.
fn write_plaintext(console: &mut Console, plaintext: &[u8]) -> std::io::Result<()> {
    if !std::io::stdout().is_terminal() {
        return console.out.write_all(plaintext);
    }
    let text = String::from_utf8_lossy(plaintext);
    writeln!(console.out, "{}", output::multi_line(&text))
}
