//! `jwtk present`: an SD-JWT presentation with only the disclosures asked for, and a KB-JWT
//! signed by the holder's key when one is given (RFC 9901 §4.3, §7.2).

use std::io::Write;

use serde_json::{Map, Value};

use crate::args::PresentArgs;
use crate::commands::{Status, read_token_input};
use crate::output::Console;
use jwtk::error::{Error, KeyUse, Usage};
use jwtk::keys::{self, Reading, Source};
use jwtk::mint;
use jwtk::sd::{self, issue, kb};

/// Print the presentation, and nothing else, on stdout.
pub fn run(args: &PresentArgs, console: &mut Console) -> super::Result<Status> {
    if args.key.is_some() && (args.kb_aud.is_none() || args.kb_nonce.is_none()) {
        return Err(Error::from(Usage::Needs {
            flag: "--key",
            needs: "--kb-aud and --kb-nonce",
        })
        .into());
    }
    let token = read_token_input(&args.input, console)?;
    let seen = sd::inspect(&token)?;
    if seen.sd.kb_jwt.is_some() {
        console
            .note("the input had a KB-JWT: a presentation gets a new one (with --key) or none")?;
    }
    let list = &seen.processed.disclosures;
    let picked: Vec<usize> = if args.disclose_all {
        (0..list.len()).collect()
    } else {
        issue::select(list, &seen.claims, &args.disclose).map_err(|err| {
            Error::from(Usage::SdPath {
                flag: "--disclose",
                why: err.to_string(),
            })
        })?
    };
    // The disclosures as given, in their order, each followed by ~.
    let given: Vec<&str> = seen.sd.disclosures().collect();
    let mut presented = format!("{}~", seen.sd.issuer_jwt());
    for &i in &picked {
        presented.push_str(given[i]);
        presented.push('~');
    }
    if let (Some(path), Some(aud), Some(nonce)) = (&args.key, &args.kb_aud, &args.kb_nonce) {
        let kb = key_binding(
            path,
            args,
            &seen.processed.claims,
            &presented,
            seen.alg,
            aud,
            nonce,
            console,
        )?;
        presented.push_str(&kb);
    }
    writeln!(console.out, "{presented}")?;
    Ok(Status::Success)
}

/// A KB-JWT over `presented`, signed by the key at `path`, which must be the credential's
/// `cnf.jwk`.
#[allow(clippy::too_many_arguments)]
fn key_binding(
    path: &std::path::Path,
    args: &PresentArgs,
    claims: &Map<String, Value>,
    presented: &str,
    alg: sd::SdAlg,
    aud: &str,
    nonce: &str,
    console: &mut Console,
) -> super::Result<String> {
    let loaded = keys::load(&Source::File(path.to_path_buf()), &Reading::default())?;
    for note in &loaded.notes {
        console.note(note)?;
    }
    let key = loaded.keys.into_iter().next().ok_or(KeyUse::NoKeyFound)?;
    let holder = kb::holder_key(claims).map_err(|problem| KeyUse::NotHolderKey {
        origin: key.origin.clone(),
        why: problem.to_string(),
    })?;
    if key.thumbprint().is_none() || key.thumbprint() != holder.thumbprint() {
        return Err(Error::from(KeyUse::NotHolderKey {
            origin: key.origin.clone(),
            why: format!(
                "its thumbprint is {}, cnf.jwk's {}",
                key.thumbprint().unwrap_or_else(|| "none (a secret)".into()),
                holder.thumbprint().unwrap_or_default()
            ),
        })
        .into());
    }
    let sign_alg = args.alg.unwrap_or_else(|| key.default_alg());
    let signer = key.signer(sign_alg)?;
    let mut header = Map::new();
    header.insert("alg".into(), sign_alg.name().into());
    header.insert("typ".into(), sd::KB_TYP.into());
    let mut kb_claims = Map::new();
    kb_claims.insert("iat".into(), crate::clock::now().into());
    kb_claims.insert("aud".into(), aud.into());
    kb_claims.insert("nonce".into(), nonce.into());
    kb_claims.insert("sd_hash".into(), alg.digest(presented).into());
    Ok(mint::sign(&header, &kb_claims, &signer)?)
}
