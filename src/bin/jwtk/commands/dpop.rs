//! `jwtk dpop`: sign a DPoP proof (RFC 9449) for one request and print it alone.

use std::io::Write;

use crate::args::DpopArgs;
use crate::commands::Status;
use crate::output::Console;
use jwtk::dpop::{self, ProofSpec};
use jwtk::token;

/// Build one proof and print it with a newline on stdout.
pub fn run(args: &DpopArgs, console: &mut Console) -> super::Result<Status> {
    let key_args = &args.key;
    // An access token may be opaque (not a JWT): it is read as given, not searched for a JWT.
    let access_token = match args.ath.as_deref() {
        None => None,
        Some("-") => Some(dpop::access_token(&token::read_input(
            std::io::stdin().lock(),
        )?)?),
        Some(given) => Some(dpop::access_token(given.as_bytes())?),
    };
    // Raw bytes load as a secret here only so that the refusal can say what a proof needs.
    let key = super::signing_key(key_args, "a DPoP proof", console)?;
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
        iat: crate::clock::now(),
    };
    let proof = dpop::build(&key, alg, &spec)?;
    writeln!(console.out, "{proof}")?;
    Ok(Status::Success)
}
