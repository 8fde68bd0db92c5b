//! `jwtk verify`: check one token, or a stream of them (`--batch`), against the keys and the
//! policy the flags give.

use std::io::Write;
use std::time::{Duration, Instant};

use anstyle::AnsiColor as Color;
use serde::Serialize;

use crate::args::{DpopCheckArgs, VerifyArgs};
use crate::commands::{
    CommandError, Result, Status, decryptor, fetch_settings, load_keys, read_token_input,
};
use crate::output::{self, Console};
use jwtk::alg::{Algorithm, Family};
use jwtk::dpop;
use jwtk::error::{Error, Usage};
use jwtk::json;
use jwtk::jwe::keyring::Allowed;
use jwtk::keys;
use jwtk::keys::key::{Key, Purpose};
use jwtk::profile::{self, Profile};
use jwtk::remote::fetch::Fetcher;
use jwtk::remote::keys::RemoteKeys;
use jwtk::remote::ring::RunKeys;
use jwtk::sd::KbPolicy;
use jwtk::verify::batch;
use jwtk::verify::{Failure, Policy, Reason, Verdict};
use jwtk::{time, token};

/// Verify one token (or every line of stdin with `--batch`) and report.
pub fn run(args: &VerifyArgs, console: &mut Console) -> Result<Status> {
    console.quiet = args.quiet;
    if args.jobs.is_some() && !args.batch {
        return Err(Error::from(Usage::Batch {
            flag: "--jobs",
            relation: "applies only to",
        })
        .into());
    }
    let policy = policy(args)?;
    let judge = Judge::new(args, console)?;
    let decryptor = match args.decrypt_key.as_slice() {
        [] => None,
        paths => {
            let sources = paths.iter().cloned().map(keys::Source::File).collect();
            Some(decryptor(sources, None, None, Allowed::default(), console)?)
        }
    };
    if decryptor.is_some() && args.batch {
        return Err(Error::from(Usage::Batch {
            flag: "--decrypt-key",
            relation: "does not apply to",
        })
        .into());
    }
    if args.batch {
        return run_batch(args, &judge, &policy, console);
    }
    let verdict = match read_token_input(&args.input, console) {
        Ok(token) => judge
            .verify_nested(&token, decryptor.as_ref(), &policy)
            .map_err(CommandError::from),
        Err(err) => unreadable_token(err),
    };
    judge.print_notes(console)?;
    let verdict = verdict?;
    report(&verdict, args, &policy, &judge, console)?;
    Ok(if verdict.is_valid() {
        Status::Success
    } else {
        Status::Rejected
    })
}

/// A token that could not be found or read whole is a `malformed` verdict; anything else
/// (several tokens, an unreadable file) is an error of its own.
fn unreadable_token(err: CommandError) -> Result<Verdict> {
    match err {
        CommandError::Jwtk(err @ (Error::TooLarge { .. } | Error::Malformed(_))) => Ok(Verdict {
            failures: vec![Failure {
                reason: Reason::Malformed,
                message: match err {
                    Error::Malformed(m) => format!("{}: {}", m.part.name(), m.fault),
                    other => other.to_string(),
                },
            }],
            ..Verdict::default()
        }),
        other => Err(other),
    }
}

/// The policy the flags describe, with `--now` resolved against the clock; `--issuer` sets
/// the expected `iss` (a different `--iss` beside it is a usage error).
pub fn policy(args: &VerifyArgs) -> jwtk::error::Result<Policy> {
    let now = crate::clock::now();
    let mut iss = args.iss.clone();
    if let Some(issuer) = &args.issuer {
        if iss.iter().any(|i| i != issuer) {
            return Err(Usage::IssMismatch {
                issuer: issuer.clone(),
            }
            .into());
        }
        iss = vec![issuer.clone()];
    }
    let mut policy = Policy::at(args.now.map_or(now, |when| when.resolve(now)));
    policy.iss = iss;
    policy.aud = args.aud.clone();
    policy.sub = args.sub.clone();
    policy.typ = args.typ.clone();
    policy.require = args.require.clone();
    policy.leeway = args.leeway.0;
    policy.allow_no_exp = args.allow_no_exp;
    policy.dpop = dpop_expect(&args.dpop)?;
    policy.profile = args.profile.profile;
    policy.profile_expect = profile_expect(args)?;
    policy.kb = KbPolicy {
        required: args.kb.require_kb,
        max_age: args.kb.kb_max_age.0,
        nonce: args.kb.kb_nonce.clone(),
        aud: args.kb.kb_aud.clone(),
    };
    Ok(policy)
}

/// The values `--profile`'s flag-driven rules check against, and whether they suit it (the
/// audience flag it requires, no flag it does not read). `--access-token -` reads stdin.
fn profile_expect(args: &VerifyArgs) -> jwtk::error::Result<profile::Expect> {
    let given = &args.profile;
    let access_token = match given.access_token.as_deref() {
        Some("-") => {
            let token_on_stdin = matches!(args.input.token.as_deref(), None | Some("-"));
            if token_on_stdin || args.batch {
                return Err(Usage::StdinTwice {
                    what: "--access-token -",
                }
                .into());
            }
            Some(access_token_from(token::read_input(
                std::io::stdin().lock(),
            )?)?)
        }
        other => other.map(str::to_string),
    };
    let expect = profile::Expect {
        nonce: given.nonce.clone(),
        access_token,
        code: given.code.clone(),
        max_age: given.max_age.map(|d| d.0),
        client_id: given.client_id.clone(),
        require_kb: args.kb.require_kb,
    };
    if let Some(profile) = given.profile {
        profile
            .check_flags(&expect, &args.aud)
            .map_err(Usage::from)?;
    }
    Ok(expect)
}

/// An access token read from stdin: its bytes, less one trailing newline (at_hash hashes the
/// token exactly).
fn access_token_from(mut bytes: Vec<u8>) -> jwtk::error::Result<String> {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    let why = match String::from_utf8(bytes) {
        Ok(text) if text.is_empty() => "is empty",
        Ok(text) if text.is_ascii() => return Ok(text),
        _ => "is not ASCII text",
    };
    Err(Usage::AccessToken { why }.into())
}

/// The keys of a run (the library's [`RunKeys`]: local keys, remote sets, the refetch
/// policy), read from the flags, with what it notes printed.
struct Judge(RunKeys);

impl std::ops::Deref for Judge {
    type Target = RunKeys;

    fn deref(&self) -> &RunKeys {
        &self.0
    }
}

impl Judge {
    fn new(args: &VerifyArgs, console: &mut Console) -> Result<Judge> {
        let remote_given = !args.jwks.is_empty() || args.issuer.is_some();
        let local_given =
            !args.key.key.is_empty() || args.key.key_env.is_some() || args.key.key_prompt;
        let hmac_asked = args.alg.iter().any(|a| a.family() == Family::Hmac);
        let loaded = if local_given || !remote_given {
            load_keys(&args.key, hmac_asked, console)?
        } else {
            Vec::new()
        };
        let local: Vec<Key> = match (&args.key.kid, remote_given) {
            (Some(kid), false) => keys::select_kid(loaded, kid)?,
            // The kid may be a remote set's: a local key without it never serves either.
            (Some(kid), true) => loaded
                .into_iter()
                .flat_map(|l| l.keys)
                .filter(|k| k.kid.as_deref() == Some(kid.as_str()))
                .collect(),
            (None, _) => loaded.into_iter().flat_map(|l| l.keys).collect(),
        };
        warn_weak_secrets(&local, &args.alg, console)?;
        let remote = if remote_given {
            let fetcher = Fetcher::new(fetch_settings(&args.remote)?);
            let loaded = RemoteKeys::load(
                fetcher,
                &args.jwks,
                args.issuer.as_deref(),
                args.remote.offline,
            );
            let mut remote = loaded?;
            for note in remote.take_notes() {
                console.note(&note)?;
            }
            Some(remote)
        } else {
            None
        };
        Ok(Judge(RunKeys::new(
            local,
            args.key.kid.clone(),
            args.alg.clone(),
            remote,
        )?))
    }

    /// Print the notes the remote sets gathered since the last call.
    fn print_notes(&self, console: &mut Console) -> std::io::Result<()> {
        for note in self.take_notes() {
            console.note(&note)?;
        }
        Ok(())
    }
}

/// A warning for each HMAC secret shorter than the hash of the algorithms it may serve.
fn warn_weak_secrets(
    keys: &[Key],
    allowed: &[Algorithm],
    console: &mut Console,
) -> std::io::Result<()> {
    for key in keys {
        let weakest = key
            .algorithms(Purpose::Verify)
            .into_iter()
            .filter(|a| allowed.is_empty() || allowed.contains(a))
            .find_map(|alg| key.weakness(alg));
        if let Some(warning) = weakest {
            console.warn(&warning)?;
        }
    }
    Ok(())
}

/// What `--dpop` and its flags ask of the proof; proofs are never signed with HMAC.
fn dpop_expect(args: &DpopCheckArgs) -> Result<Option<dpop::Expect>, Error> {
    let (Some(proof), Some(htm), Some(htu)) = (&args.dpop, &args.htm, &args.htu) else {
        return Ok(None);
    };
    if let Some(hmac) = args.dpop_alg.iter().find(|a| a.family() == Family::Hmac) {
        return Err(Usage::DpopHmac { alg: *hmac }.into());
    }
    let algs = if args.dpop_alg.is_empty() {
        dpop::DEFAULT_ALGS.to_vec()
    } else {
        args.dpop_alg.clone()
    };
    Ok(Some(dpop::Expect {
        proof: proof.clone(),
        htm: htm.clone(),
        htu: htu.clone(),
        algs,
        max_age: args.dpop_max_age.0,
        nonce: args.dpop_nonce.clone(),
    }))
}

/// Append the contract's JSON verdict to `out`, on one line without its newline, made
/// terminal-safe ([`output::json_safe`]); `line` is the `--batch` line number.
fn write_verdict(
    out: &mut Vec<u8>,
    verdict: &Verdict,
    policy: &Policy,
    judge: &Judge,
    line: Option<u64>,
) {
    let start = out.len();
    if write_members(out, verdict, policy, judge, line).is_err() {
        out.truncate(start);
    }
    make_json_safe(out, start);
}

/// The verdict's members in the contract's order. Header and claims are the JSON text that
/// was signed, spliced in as it is (see [`splice`]) rather than serialised again.
fn write_members(
    out: &mut Vec<u8>,
    verdict: &Verdict,
    policy: &Policy,
    judge: &Judge,
    line: Option<u64>,
) -> serde_json::Result<()> {
    let valid = verdict.is_valid();
    out.extend_from_slice(if valid {
        b"{\"valid\":true"
    } else {
        b"{\"valid\":false"
    });
    member(out, "reason", &verdict.reason())?;
    if valid {
        let line = ValidLine {
            verdict,
            policy,
            local: false,
        };
        out.extend_from_slice(b",\"message\":");
        display_string(out, &line);
    } else {
        member(out, "message", &verdict.message())?;
    }
    member(out, "alg", &verdict.alg)?;
    match verdict.key.as_deref() {
        Some(key) => {
            out.push(b',');
            out.extend_from_slice(key.json_members().as_bytes());
            member(out, "cached", &judge.cached(&key.source))?;
            out.push(b'}');
        }
        None => out.extend_from_slice(b",\"kid\":null,\"key\":null"),
    }
    out.extend_from_slice(b",\"header\":");
    splice(out, verdict.header_json.as_deref())?;
    out.extend_from_slice(b",\"claims\":");
    splice(out, verdict.claims_json.as_deref())?;
    member(out, "bound", &verdict.bound)?;
    if let Some(sd) = &verdict.sd {
        member(out, "sd", sd)?;
    }
    if let Some(line) = line {
        member(out, "line", &line)?;
    }
    out.push(b'}');
    Ok(())
}

/// `value`'s text as a JSON string, written as it is unless it holds something to escape
/// (one pass to check, rather than escaping each piece as it is written).
fn display_string(out: &mut Vec<u8>, value: &impl std::fmt::Display) {
    /// Text appended to a `Vec` as it is written.
    struct Append<'a>(&'a mut Vec<u8>);

    impl std::fmt::Write for Append<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.0.extend_from_slice(text.as_bytes());
            Ok(())
        }
    }

    let start = out.len();
    out.push(b'"');
    // Appending cannot fail.
    let _ = std::fmt::write(&mut Append(out), format_args!("{value}"));
    // Every byte tested without stopping early, so that the compiler tests many at once.
    let escape = out[start + 1..].iter().fold(false, |found, &b| {
        found | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if escape {
        let text = String::from_utf8_lossy(&out[start + 1..]).into_owned();
        out.truncate(start);
        let _ = serde_json::to_writer(&mut *out, &text);
        return;
    }
    out.push(b'"');
}

/// `,"name":value`.
fn member(out: &mut Vec<u8>, name: &str, value: &impl Serialize) -> serde_json::Result<()> {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    serde_json::to_writer(out, value)
}

/// A verdict's header or claims JSON text (`null` when absent), as it is: it was read
/// strictly, so it is valid JSON with unique names. Only text that is on one line and holds
/// nothing a terminal would act on is spliced in; any other (whitespace controls, bidi or
/// invisible characters, …) is parsed and serialised again, and escaped like everything else.
fn splice(out: &mut Vec<u8>, text: Option<&[u8]>) -> serde_json::Result<()> {
    match text {
        Some(text) if spliceable(text) => {
            out.extend_from_slice(text);
            Ok(())
        }
        Some(text) => serde_json::to_writer(out, &json::parse_value(text).ok()),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// Printable ASCII, or UTF-8 without controls and without what [`output::is_unsafe`] names.
fn spliceable(text: &[u8]) -> bool {
    if output::printable_ascii(text) {
        return true;
    }
    !text.iter().any(|&b| b < 0x20)
        && std::str::from_utf8(text).is_ok_and(|t| !t.chars().any(output::is_unsafe))
}

fn report(
    verdict: &Verdict,
    args: &VerifyArgs,
    policy: &Policy,
    judge: &Judge,
    console: &mut Console,
) -> std::io::Result<()> {
    if args.quiet {
        return Ok(());
    }
    if let Some(note) = bound_note(verdict, policy) {
        console.note(&note)?;
    }
    for note in &verdict.notes {
        console.note(note)?;
    }
    if args.json {
        let mut line = Vec::new();
        write_verdict(&mut line, verdict, policy, judge, None);
        line.push(b'\n');
        return console.out.write_all(&line);
    }
    if verdict.is_valid() {
        console.out.fit(true);
        let label = console.out_style.paint("valid:", Color::Green);
        return writeln!(
            console.out,
            "{label} {}",
            output::one_line(&valid_line(verdict, policy, args.local))
        );
    }
    let label = console.err_style.paint("invalid:", Color::Red);
    writeln!(
        console.err,
        "jwtk: {label} {}",
        output::one_line(&verdict.message())
    )
}

/// For a valid token bound to its sender and checked without a proof: what that means.
fn bound_note(verdict: &Verdict, policy: &Policy) -> Option<String> {
    let bound = verdict.bound.as_ref().filter(|_| verdict.is_valid())?;
    if policy.dpop.is_some() {
        return None;
    }
    Some(match &bound.jkt {
        Some(jkt) => format!(
            "the token is sender-constrained: bound to the DPoP key with thumbprint {} (cnf.jkt); a resource server must also check the request's proof (--dpop)",
            jwtk::text::cut(jkt)
        ),
        None => "the token is sender-constrained: bound to a TLS client certificate (cnf x5t#S256, RFC 8705); a resource server must check the connection's certificate".to_string(),
    })
}

/// `HS256 signature by kid "a", expires in 14m (…); audience not checked (no --aud)`.
fn valid_line(verdict: &Verdict, policy: &Policy, local: bool) -> String {
    ValidLine {
        verdict,
        policy,
        local,
    }
    .to_string()
}

/// [`valid_line`] as a `Display`: `--batch` writes it straight into the JSON line.
struct ValidLine<'a> {
    verdict: &'a Verdict,
    policy: &'a Policy,
    local: bool,
}

impl std::fmt::Display for ValidLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let (verdict, policy) = (self.verdict, self.policy);
        let alg = verdict.alg.as_deref().unwrap_or("?");
        let key = verdict.key.as_ref().map_or("?", |k| k.label.as_str());
        // Pieces rather than format strings: `--batch` writes this line for every valid token.
        for piece in [alg, " signature by ", key, ", "] {
            f.write_str(piece)?;
        }
        let relative = |at| time::Relative {
            at,
            now: policy.now,
        };
        let at = |secs| time::At {
            secs,
            local: self.local,
        };
        match verdict.exp {
            // Accepted only thanks to --leeway: say so rather than "expires 3h ago".
            Some(exp) if exp <= policy.now as f64 => {
                f.write_str("expired ")?;
                relative(exp).fmt(f)?;
                f.write_str(", within the ")?;
                time::Span(policy.leeway as f64).fmt(f)?;
                f.write_str(" leeway (")?;
                at(exp).fmt(f)?;
                f.write_str(")")?;
            }
            Some(exp) => {
                f.write_str("expires ")?;
                relative(exp).fmt(f)?;
                f.write_str(" (")?;
                at(exp).fmt(f)?;
                f.write_str(")")?;
            }
            None => f.write_str("never expires (no exp)")?,
        }
        // An ID token's --client-id is its audience check (it stands for --aud).
        let client_aud =
            policy.profile == Some(Profile::IdToken) && policy.profile_expect.client_id.is_some();
        if policy.aud.is_empty() && !client_aud {
            f.write_str("; audience not checked (no --aud)")?;
        }
        if let Some(profile) = policy.profile {
            f.write_str("; meets profile ")?;
            f.write_str(profile.name())?;
        }
        if policy.dpop.is_some() {
            f.write_str("; DPoP proof checked")?;
        }
        if let Some(sd) = &verdict.sd {
            write!(
                f,
                "; SD-JWT: {} disclosed, {} undisclosed, {}",
                sd.disclosed,
                sd.undisclosed,
                if sd.kb {
                    "key binding checked"
                } else {
                    "no key binding"
                }
            )?;
        }
        Ok(())
    }
}

/// One JSON line per input line, in order; counts by reason on stderr; a progress line on a
/// terminal once the run takes more than a moment.
fn run_batch(
    args: &VerifyArgs,
    judge: &Judge,
    policy: &Policy,
    console: &mut Console,
) -> Result<Status> {
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(batch::MAX_JOBS);
    let render = |verdict: &Verdict, line: u64, out: &mut Vec<u8>| {
        write_verdict(out, verdict, policy, judge, Some(line));
        out.push(b'\n');
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
    // Process-wide malloc tuning is the program's call, never the library's.
    return_large_buffers();
    let summary = batch::run(
        stdin,
        &mut console.out,
        &|input: &[u8]| judge.verify_in_batch(input, policy),
        jobs,
        render,
        &mut progress,
    )?;
    if show_progress && last != started {
        write!(console.err, "\r\x1b[2K")?;
    }
    judge.print_notes(console)?;
    for problem in judge.take_problems() {
        console.warn(&problem)?;
    }
    if summary.workers < jobs {
        console.note(&match summary.workers {
            1 => "the system would start no other thread: verified on one thread".to_string(),
            n => format!("the system would start only {n} of {jobs} worker threads"),
        })?;
    }
    console.note(&summary.line())?;
    Ok(if summary.valid == summary.total {
        Status::Success
    } else {
        Status::Rejected
    })
}

/// [`output::json_safe`] on the JSON text `out` holds from `start` on, in place.
fn make_json_safe(out: &mut Vec<u8>, start: usize) {
    if output::printable_ascii(&out[start..]) {
        return;
    }
    let text = String::from_utf8(out.split_off(start)).unwrap_or_default();
    out.extend_from_slice(output::json_safe(&text).as_bytes());
}

/// Make freed buffers of a quarter MiB and more go back to the system at once. glibc's malloc
/// otherwise raises its mmap threshold after the first large free (up to 32 MiB), and then
/// every worker thread's arena keeps the high-water mark of the long lines it handled: 128
/// lines of 4 MiB peaked at 157 MB with 8 workers and 224 MB with 256, against 25 and 30 MB
/// with the threshold fixed. (Set before `--batch` starts its threads.)
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_buffers() {
    // SAFETY: mallopt only sets a malloc tuning parameter; it is called before this run
    // starts its threads, and any value is valid for M_MMAP_THRESHOLD up to 32 MiB.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_buffers() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text written as it is and text that needs escapes come out as serde_json writes them.
    #[test]
    fn display_strings_are_json_strings() {
        for text in [
            "HS256 signature by keys/hs.key, expires in 1h",
            "",
            "a \"quoted\" path",
            "back\\slash",
            "new\nline\tand \u{1} control",
            "é ünïcode ✓",
        ] {
            let mut out = b"[".to_vec();
            display_string(&mut out, &text);
            out.push(b']');
            let expected = format!("[{}]", serde_json::to_string(text).unwrap());
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }
}
