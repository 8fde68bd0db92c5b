//! `jwtk decrypt`: open one JWE with the recipient's keys and print its plaintext.

use std::io::{IsTerminal, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::args::DecryptArgs;
use crate::commands::{CommandError, Result, Status, decryptor, key_sources, read_token_input};
use crate::output::{self, Console};
use jwtk::error::Error;
use jwtk::jwe::decrypt::Decrypted;
use jwtk::jwe::keyring::Allowed;
use jwtk::verify::{Failure, Reason};

/// Decrypt one token and print the plaintext (or one JSON object).
pub fn run(args: &DecryptArgs, console: &mut Console) -> Result<Status> {
    let allowed = Allowed {
        algs: args.alg.clone(),
        encs: args.enc.clone(),
    };
    super::stdin_once(&args.key, super::token_from_stdin(&args.input), "the token")?;
    let decryptor = decryptor(
        key_sources(&args.key, console)?,
        args.key.secret_encoding,
        args.key.kid.as_deref(),
        allowed,
        console,
    )?;
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
            // A token refused, as verify says it: `invalid:`, not an error of jwtk's.
            let label = console.err_style.paint("invalid:", anstyle::AnsiColor::Red);
            let message = format!("{}: {}", failure.reason.code(), failure.message);
            writeln!(console.err, "jwtk: {label} {}", output::one_line(&message))?;
            return Ok(Status::Rejected);
        }
    }
    Ok(Status::Success)
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
