//! `jwtk verify`: check one token, or a stream of them (`--batch`), against the keys and the
//! policy the flags give.

use std::io::Write;
use std::time::{Duration, Instant};

use colored::Color;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::{KeyArgs, VerifyArgs};
use crate::commands::{Status, decrypt, load_keys, read_token_input};
use crate::core::alg::Family;
use crate::core::batch;
use crate::core::error::Error;
use crate::core::jwe::keyring::Allowed;
use crate::core::key::Purpose;
use crate::core::keys;
use crate::core::time;
use crate::core::verify::{Failure, KeyRing, MatchedKey, Policy, Reason, Verdict};
use crate::output::{self, Console};

/// Verify one token (or every line of stdin with `--batch`) and report.
pub fn run(args: &VerifyArgs, console: &mut Console) -> anyhow::Result<Status> {
    console.quiet = args.quiet;
    if args.jobs.is_some() && !args.batch {
        return Err(Error::usage("--jobs applies to --batch only", None).into());
    }
    let hmac_asked = args.alg.iter().any(|a| a.family() == Family::Hmac);
    let loaded = load_keys(&args.key, hmac_asked, console)?;
    let keys = match &args.key.kid {
        Some(kid) => keys::select_kid(loaded, kid)?,
        None => loaded.into_iter().flat_map(|l| l.keys).collect(),
    };
    for key in &keys {
        let weakest = key
            .algorithms(Purpose::Verify)
            .into_iter()
            .filter(|a| args.alg.is_empty() || args.alg.contains(a))
            .find_map(|alg| key.weakness(alg));
        if let Some(warning) = weakest {
            console.warn(&warning)?;
        }
    }
    let ring = KeyRing::new(keys, &args.alg)?;
    let decryptor = match args.decrypt_key.as_slice() {
        [] => None,
        paths => {
            let sources = paths.iter().cloned().map(keys::Source::File).collect();
            let key_args = KeyArgs {
                key: Vec::new(),
                key_env: None,
                key_prompt: false,
                secret_encoding: None,
                kid: None,
            };
            Some(decrypt::decryptor(
                &key_args,
                sources,
                Allowed::default(),
                console,
            )?)
        }
    };
    if decryptor.is_some() && args.batch {
        return Err(Error::usage("--decrypt-key applies to one token, not --batch", None).into());
    }
    let policy = policy(args);
    if args.batch {
        return run_batch(args, &ring, &policy, console);
    }
    let verdict = match read_token_input(&args.input, std::io::stdin().lock()) {
        Ok(input) => ring.verify_nested(&input, decryptor.as_ref(), &policy),
        Err(err @ Error::TooLarge { .. }) => Verdict {
            failures: vec![Failure {
                reason: Reason::Malformed,
                message: err.to_string(),
            }],
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

/// The contract's JSON verdict, borrowing from the verdict (no copies of header or claims).
#[derive(Serialize)]
struct VerdictJson<'a> {
    valid: bool,
    reason: Option<Reason>,
    message: String,
    alg: &'a Option<String>,
    kid: Option<&'a str>,
    key: &'a Option<MatchedKey>,
    header: &'a Option<Map<String, Value>>,
    claims: &'a Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

impl<'a> VerdictJson<'a> {
    fn new(verdict: &'a Verdict, policy: &Policy, line: Option<u64>) -> Self {
        VerdictJson {
            valid: verdict.is_valid(),
            reason: verdict.reason(),
            message: if verdict.is_valid() {
                valid_line(verdict, policy)
            } else {
                verdict.message()
            },
            alg: &verdict.alg,
            kid: verdict.key.as_ref().and_then(|k| k.kid.as_deref()),
            key: &verdict.key,
            header: &verdict.header,
            claims: &verdict.claims,
            line,
        }
    }
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
        return console.json(&VerdictJson::new(verdict, policy, None));
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

/// `HS256 signature by kid "a", expires in 14m (…); audience not checked (no --aud)`.
fn valid_line(verdict: &Verdict, policy: &Policy) -> String {
    let alg = verdict.alg.as_deref().unwrap_or("?");
    let key = verdict.key.as_ref().map_or("?", |k| k.label.as_str());
    let exp = verdict
        .claims
        .as_ref()
        .and_then(|c| c.get("exp"))
        .and_then(Value::as_f64);
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

/// One JSON line per input line, in order; counts by reason on stderr; a progress line on a
/// terminal once the run takes more than a moment.
fn run_batch(
    args: &VerifyArgs,
    ring: &KeyRing,
    policy: &Policy,
    console: &mut Console,
) -> anyhow::Result<Status> {
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let render = |verdict: &Verdict, line: u64| {
        let text = serde_json::to_string(&VerdictJson::new(verdict, policy, Some(line)))
            .unwrap_or_default();
        let mut bytes = output::json_safe(&text).into_owned().into_bytes();
        bytes.push(b'\n');
        bytes
    };
    let (show_progress, err) = (console.err_is_terminal, &mut console.err);
    let started = Instant::now();
    let mut last = started;
    let mut progress = |done: u64| {
        if show_progress && last.elapsed() > Duration::from_millis(250) {
            last = Instant::now();
            let _ = write!(err, "\r{done} tokens verified…");
            let _ = err.flush();
        }
    };
    let stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
    let summary = batch::run(
        stdin,
        &mut console.out,
        ring,
        policy,
        jobs,
        render,
        &mut progress,
    )?;
    if show_progress && last != started {
        write!(console.err, "\r\x1b[2K")?;
    }
    console.note(&summary.line())?;
    Ok(if summary.valid == summary.total {
        Status::Success
    } else {
        Status::Rejected
    })
}
