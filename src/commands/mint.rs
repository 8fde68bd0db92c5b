//! `jwtk mint`: build a claims set and header from flags, sign, print the token alone.

use std::io::{Read, Write};

use serde_json::{Map, Value};

use crate::cli::MintArgs;
use crate::commands::{Status, load_keys};
use crate::core::error::{Error, KeyUse, Result, Usage};
use crate::core::inspect::Review;
use crate::core::json;
use crate::core::keys;
use crate::core::mint::{self, ClaimsSpec};
use crate::core::time;
use crate::core::token::PartSizes;
use crate::output::Console;

/// Mint one token and print it with a newline on stdout.
pub fn run(args: &MintArgs, console: &mut Console) -> anyhow::Result<Status> {
    let key_args = &args.key;
    super::one_key_source(key_args, "mint")?;
    let mut loaded = load_keys(key_args, true, console)?;
    let key = keys::signing_key(
        loaded.pop().ok_or(KeyUse::NoKeyFound)?,
        key_args.kid.as_deref(),
    )?;
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
    check(&token, &header, &claims, args.max_size, console)?;
    if args.json {
        console.json(&serde_json::json!({
            "token": token,
            "header": header,
            "claims": claims,
            "exp": claims.get("exp").filter(|exp| exp.is_number()),
            "kid": header.get("kid"),
        }))?;
    } else {
        writeln!(console.out, "{token}")?;
    }
    Ok(Status::Success)
}

fn read_base(args: &MintArgs) -> Result<Map<String, Value>> {
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
    json::parse_object(&text).map_err(|why| {
        Usage::ClaimsFile {
            path: path.clone(),
            why,
        }
        .into()
    })
}

/// The warnings `decode` would give the token just built (times, header, size budgets: one
/// review for both); refuse it over --max-size.
fn check(
    token: &str,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    max_size: Option<usize>,
    console: &mut Console,
) -> anyhow::Result<()> {
    // The token was just built: measure its segments rather than parse it again.
    let mut lengths = token.split('.').map(str::len);
    let (header_len, claims_len, signature) = (
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
    );
    let parts = PartSizes {
        total: token.len(),
        header: header_len,
        claims: claims_len,
        signature,
    };
    let review = Review::new(header, Some(claims), parts, time::now());
    if let Some(max) = max_size
        && token.len() > max
    {
        let largest = review
            .size
            .claims
            .iter()
            .take(3)
            .map(|c| (c.name.clone(), c.bytes))
            .collect();
        return Err(Error::OverMaxSize {
            size: token.len(),
            max,
            largest,
        }
        .into());
    }
    for warning in review.warnings() {
        console.warn(&warning)?;
    }
    Ok(())
}
