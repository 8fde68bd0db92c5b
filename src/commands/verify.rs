//! `jwtk verify`: check one token against the keys and the policy the flags give.

use std::io::Write;

use colored::Color;
use serde_json::json;

use crate::cli::VerifyArgs;
use crate::commands::{Status, load_keys, read_token_input};
use crate::core::error::Error;
use crate::core::time;
use crate::core::verify::{KeyRing, Policy, Reason, Verdict};
use crate::output::{self, Console};

/// Verify one token and report the verdict.
pub fn run(args: &VerifyArgs, console: &mut Console) -> anyhow::Result<Status> {
    console.quiet = args.quiet;
    let (keys, _) = load_keys(&args.key, console)?;
    let ring = KeyRing::new(keys, &args.alg)?;
    let policy = policy(args);
    let verdict = match read_token_input(&args.input, std::io::stdin().lock()) {
        Ok(input) => ring.verify(&input, &policy),
        Err(err @ Error::TooLarge { .. }) => Verdict {
            failures: vec![too_large(err)],
            ..Verdict::default()
        },
        Err(err) => return Err(err.into()),
    };
    report(&verdict, args, &policy, console)?;
    Ok(if verdict.is_valid() {
        Status::Success
    } else {
        Status::Rejected
    })
}

fn too_large(err: Error) -> crate::core::verify::Failure {
    crate::core::verify::Failure {
        reason: Reason::Malformed,
        message: err.to_string(),
    }
}

/// The policy the flags describe, with `--now` resolved against the clock.
pub fn policy(args: &VerifyArgs) -> Policy {
    let now = time::now();
    Policy {
        iss: args.iss.clone(),
        aud: args.aud.clone(),
        sub: args.sub.clone(),
        typ: args.typ.clone(),
        require: args.require.clone(),
        leeway: args.leeway.0,
        now: args.now.map_or(now, |when| when.resolve(now)),
        allow_no_exp: args.allow_no_exp,
    }
}

/// The verdict as one JSON object (the contract's schema).
pub fn verdict_json(verdict: &Verdict, policy: &Policy) -> serde_json::Value {
    json!({
        "valid": verdict.is_valid(),
        "reason": verdict.reason(),
        "message": if verdict.is_valid() { valid_line(verdict, policy) } else { verdict.message() },
        "alg": verdict.alg,
        "kid": verdict.kid,
        "header": verdict.header,
        "claims": verdict.claims,
    })
}

fn report(
    verdict: &Verdict,
    args: &VerifyArgs,
    policy: &Policy,
    console: &mut Console,
) -> std::io::Result<()> {
    if args.quiet {
        return Ok(());
    }
    if args.json {
        return console.json(&verdict_json(verdict, policy));
    }
    if verdict.is_valid() {
        let label = console.out_style.paint("valid:", Color::Green);
        return writeln!(
            console.out,
            "{label} {}",
            output::one_line(&valid_line(verdict, policy))
        );
    }
    let label = console.err_style.paint("invalid:", Color::Red);
    writeln!(
        console.err,
        "jwtk: {label} {}",
        output::one_line(&verdict.message())
    )
}

/// `HS256 token, key kid "a" (keys.jwks), expires in 14m (…); audience not checked`.
fn valid_line(verdict: &Verdict, policy: &Policy) -> String {
    let alg = verdict.alg.as_deref().unwrap_or("?");
    let key = verdict.key.as_deref().unwrap_or("?");
    let exp = verdict
        .claims
        .as_ref()
        .and_then(|c| c.get("exp"))
        .and_then(serde_json::Value::as_f64);
    let expiry = match exp {
        Some(exp) => format!(
            "expires {} ({})",
            time::relative(exp, policy.now),
            time::format_utc(exp)
        ),
        None => "never expires (no exp)".to_string(),
    };
    let audience = if policy.aud.is_empty() {
        "; audience not checked (no --aud)"
    } else {
        ""
    };
    format!("{alg} signature by {key}, {expiry}{audience}")
}
