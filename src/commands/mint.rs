//! `jwtk mint`: build a claims set and header from flags, sign, print the token alone.

use std::io::{Read, Write};

use zeroize::Zeroizing;

use crate::cli::{KeyArgs, MintArgs};
use crate::commands::{DEFAULT_KEY_VAR, Status, load_keys};
use crate::core::error::{Error, Result};
use crate::core::json;
use crate::core::keys::{Key, Purpose};
use crate::core::keyset::Keyset;
use crate::core::mint::{self, ClaimsSpec};
use crate::core::size::SizeReport;
use crate::core::time;
use crate::core::token::PartSizes;
use crate::output::Console;

/// Mint one token and print it with a newline on stdout.
pub fn run(args: &MintArgs, console: &mut Console) -> anyhow::Result<Status> {
    if args.key.key.len() > 1 {
        return Err(Error::usage(
            "mint signs with one key; --key was given more than once",
            None,
        )
        .into());
    }
    let keys = load_keys(&args.key, console)?;
    let key = &signing_key(&args.key, keys)?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    let signer = key.signer(alg)?;
    if let Some(weakness) = key.weakness(alg) {
        console.warn(&weakness)?;
    }
    let spec = ClaimsSpec {
        base: read_base(args)?,
        assignments: args.claims.clone(),
        iss: args.iss.clone(),
        sub: args.sub.clone(),
        aud: args.aud.clone(),
        jti: args.jti.clone(),
        exp: args.exp,
        no_exp: args.no_exp,
        nbf: args.nbf,
        iat: args.iat,
        no_iat: args.no_iat,
    };
    let claims = spec.build(time::now());
    let header = mint::build_header(alg.name(), &args.typ, key.kid.as_deref(), &args.headers)?;
    let token = mint::sign(&header, &claims, &signer)?;
    if args.no_exp {
        console.warn(
            "this token never expires (--no-exp): anyone who copies it keeps access for good",
        )?;
    }
    check_size(&token, &claims, args.max_size, console)?;
    writeln!(console.out, "{token}")?;
    Ok(Status::Success)
}

/// The key that signs: the one `--kid` picked, else a keyset's first key — which must be able
/// to sign (never another key of the set instead) — else the one key given.
fn signing_key(args: &KeyArgs, keys: Vec<Key>) -> Result<Key> {
    if args.kid.is_none()
        && let Some(text) = key_text(args)
        && let Ok(set) = Keyset::parse(&text, &key_origin(args))
        && !set.keys.is_empty()
    {
        let first = set
            .load(0)
            .and_then(|key| match key.refusal(Purpose::Sign) {
                Some(why) => Err(Error::key(why, None)),
                None => Ok(key),
            });
        return first.map_err(|err| {
            Error::key(
                format!(
                    "the signing key of {} (its first key) cannot sign: {err}",
                    set.origin
                ),
                Some(
                    "promote a key that can (jwtk keyset promote SET --kid KID), or pick one with --kid"
                        .to_string(),
                ),
            )
        });
    }
    keys.into_iter()
        .next()
        .ok_or_else(|| Error::key("no key found", None))
}

/// The raw text of the one key source, to tell a keyset from a single key (never prompts).
fn key_text(args: &KeyArgs) -> Option<Zeroizing<Vec<u8>>> {
    if args.key_prompt {
        return None;
    }
    if let Some(path) = args.key.first() {
        return std::fs::read(path).ok().map(Zeroizing::new);
    }
    let var = args.key_env.as_deref().unwrap_or(DEFAULT_KEY_VAR);
    let value = std::env::var_os(var)?;
    Some(Zeroizing::new(value.into_string().ok()?.into_bytes()))
}

fn key_origin(args: &KeyArgs) -> String {
    match (args.key.first(), &args.key_env) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(var)) => format!("${var}"),
        (None, None) => format!("${DEFAULT_KEY_VAR}"),
    }
}

fn read_base(args: &MintArgs) -> Result<serde_json::Map<String, serde_json::Value>> {
    let Some(path) = &args.claims_file else {
        return Ok(Default::default());
    };
    let file_error = |source| Error::File {
        path: path.clone(),
        io: source,
    };
    let mut text = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut text)
            .map_err(file_error)?;
    } else {
        text = std::fs::read(path).map_err(file_error)?;
    }
    json::parse_object(&text).map_err(|e| {
        Error::usage(
            format!("--claims {}: {e}", path.display()),
            Some("give a JSON object".to_string()),
        )
    })
}

/// Warn over the 4 KiB and 8 KiB budgets; refuse over --max-size.
fn check_size(
    token: &str,
    claims: &serde_json::Map<String, serde_json::Value>,
    max_size: Option<usize>,
    console: &mut Console,
) -> anyhow::Result<()> {
    // The token was just built: measure its segments rather than parse it again.
    let mut lengths = token.split('.').map(str::len);
    let (header, claims_len, signature) = (
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
    );
    let parts = PartSizes {
        total: token.len(),
        header,
        claims: claims_len,
        signature,
    };
    let report = SizeReport::new(parts, claims);
    if let Some(max) = max_size
        && token.len() > max
    {
        let mut largest = report
            .claims
            .iter()
            .take(3)
            .map(|c| format!("{} ({} B)", c.name, c.bytes));
        return Err(Error::Rejected {
            message: format!("the token is {} bytes, over --max-size {max}", token.len()),
            hint: Some(format!(
                "the largest claims: {}",
                largest.by_ref().collect::<Vec<_>>().join(", ")
            )),
        }
        .into());
    }
    for warning in report.warnings() {
        console.warn(&warning)?;
    }
    Ok(())
}
