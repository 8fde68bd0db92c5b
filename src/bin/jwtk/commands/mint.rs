//! `jwtk mint`: build a claims set and header from flags, sign, encrypt to a recipient when
//! asked (a nested JWT), print the token alone.

use std::io::{Read, Write};

use serde_json::{Map, Value};

use crate::args::MintArgs;
use crate::commands::Status;
use crate::output::Console;
use jwtk::error::{Error, KeyProblem, KeyUse, Result, Usage};
use jwtk::json;
use jwtk::jwe::alg::KeyAlg;
use jwtk::jwe::encrypt::Encryptor;
use jwtk::keys::key::Purpose;
use jwtk::keys::{self, Reading, Source};
use jwtk::mint::{self, ClaimsSpec};
use jwtk::time;
use jwtk::token::PartSizes;
use jwtk::token::inspect::Review;

/// Mint one token and print it with a newline on stdout.
pub fn run(args: &MintArgs, console: &mut Console) -> super::Result<Status> {
    let key_args = &args.key;
    let key = super::signing_key(key_args, "mint", console)?;
    let alg = args.alg.unwrap_or_else(|| key.default_alg());
    let signer = key.signer(alg)?;
    let encryptor = match &args.encrypt_to {
        Some(path) => Some(encryptor(args, path, console)?),
        None => None,
    };
    if let Some(weakness) = key.weakness(alg) {
        console.warn(&weakness)?;
    }
    let claims = claims_spec(args)?.build(time::now());
    let header = mint::build_header(alg.name(), &args.typ, key.kid.as_deref(), &args.headers)?;
    let signed = mint::sign(&header, &claims, &signer)?;
    let encrypted = match &encryptor {
        Some(encryptor) => Some(
            encryptor
                .seal(signed.as_bytes(), Some("JWT"))
                .map_err(Error::from)?,
        ),
        None => None,
    };
    let token = encrypted.as_ref().map_or(&signed, |e| &e.token);
    check(
        &signed,
        token.len(),
        &header,
        &claims,
        args.max_size,
        console,
    )?;
    if args.json {
        let mut out = serde_json::json!({
            "token": token,
            "header": header,
            "claims": claims,
            "exp": claims.get("exp").filter(|exp| exp.is_number()),
            "kid": header.get("kid"),
        });
        if let Some(encrypted) = &encrypted {
            out["encrypted_header"] = Value::Object(encrypted.header.clone());
        }
        console.json(&out)?;
    } else {
        writeln!(console.out, "{token}")?;
    }
    Ok(Status::Success)
}

fn claims_spec(args: &MintArgs) -> Result<ClaimsSpec> {
    Ok(ClaimsSpec {
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
    })
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

/// The recipient key of `--encrypt-to`, read for encryption (a JWKS keeps its encryption
/// keys), and the algorithms for it. Raw bytes are a shared key only with a `--key-alg` that
/// takes one.
fn encryptor(
    args: &MintArgs,
    path: &std::path::Path,
    console: &mut Console,
) -> super::Result<Encryptor> {
    let symmetric = matches!(
        args.key_alg,
        Some(KeyAlg::AesKw(_) | KeyAlg::AesGcmKw(_) | KeyAlg::Dir)
    );
    let reading = Reading {
        raw_secret: symmetric,
        purpose: Purpose::Encrypt,
        ..Reading::default()
    };
    let loaded = match keys::load(&Source::File(path.to_path_buf()), &reading) {
        Err(Error::KeyMaterial {
            origin,
            problem: KeyProblem::RawSecretNotAllowed,
        }) => {
            return Err(Error::from(KeyUse::RecipientNotAKey { origin }).into());
        }
        other => other?,
    };
    for note in &loaded.notes {
        console.note(note)?;
    }
    for warning in &loaded.warnings {
        console.warn(warning)?;
    }
    let (key, note) = keys::recipient_key(loaded, args.encrypt_kid.as_deref())?;
    if let Some(note) = note {
        console.note(&note)?;
    }
    Ok(Encryptor::new(&key, args.key_alg, args.enc).map_err(Error::from)?)
}

/// The warnings `decode` would give the token just built (times, header, size budgets: one
/// review for both, the budgets judged on `sent_len`, the length of what is printed: the JWE
/// when the token is encrypted); refuse it over --max-size.
fn check(
    token: &str,
    sent_len: usize,
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    max_size: Option<usize>,
    console: &mut Console,
) -> super::Result<()> {
    // The token was just built: measure its segments rather than parse it again.
    let mut lengths = token.split('.').map(str::len);
    let (header_len, claims_len, signature) = (
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
        lengths.next().unwrap_or(0),
    );
    let parts = PartSizes {
        total: sent_len,
        header: header_len,
        claims: claims_len,
        signature,
    };
    let review = Review::new(header, Some(claims), parts, time::now());
    if let Some(max) = max_size
        && sent_len > max
    {
        let largest = review
            .size
            .claims
            .iter()
            .take(3)
            .map(|c| (c.name.clone(), c.bytes))
            .collect();
        return Err(Error::OverMaxSize {
            size: sent_len,
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
