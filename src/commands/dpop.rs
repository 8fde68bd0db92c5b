//! `jwtk dpop`: sign a DPoP proof (RFC 9449) for one request and print it alone.

use std::io::Write;

use crate::cli::DpopArgs;
use crate::commands::{Status, load_keys, read_token_input};
use crate::core::dpop::{self, ProofSpec};
use crate::core::error::KeyUse;
use crate::core::{keys, time};
use crate::output::Console;

/// Build one proof and print it with a newline on stdout.
pub fn run(args: &DpopArgs, console: &mut Console) -> anyhow::Result<Status> {
    let key_args = &args.key;
    super::one_key_source(key_args, "a DPoP proof")?;
    let access_token = match &args.ath {
        None => None,
        Some(given) => {
            let input = crate::cli::TokenInput {
                token: Some(given.clone()),
                field: None,
            };
            Some(dpop::access_token(&read_token_input(&input, console)?)?)
        }
    };
    // Raw bytes load as a secret here only so that the refusal can say what a proof needs.
    let mut loaded = load_keys(key_args, true, console)?;
    let key = keys::signing_key(
        loaded.pop().ok_or(KeyUse::NoKeyFound)?,
        key_args.kid.as_deref(),
    )?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    if args.htu.had_query_or_fragment() {
        console.note(&format!(
            "htu is {}: a proof names the URI without query and fragment (RFC 9449 §4.2)",
            args.htu
        ))?;
    }
    let spec = ProofSpec {
        htm: args.htm.clone(),
        htu: args.htu.clone(),
        access_token,
        nonce: args.nonce.clone(),
        iat: time::now(),
    };
    let proof = dpop::build(&key, alg, &spec)?;
    writeln!(console.out, "{proof}")?;
    Ok(Status::Success)
}
