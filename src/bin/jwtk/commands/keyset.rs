//! `jwtk keyset list | public | promote | import | retire`: read and edit a JWKS file safely.

use std::io::Write;
use std::path::Path;

use serde_json::json;

use crate::args::{KeysetArgs, KeysetCommand};
use crate::commands::Status;
use crate::output::{self, Console};
use jwtk::error::{Error, KeysetProblem, Result};
use jwtk::files::{self, PUBLIC_MODE};
use jwtk::keys::set::{self, Keyset, Listing, Retired};
use jwtk::keys::{self, Reading, Source};

/// Run one keyset subcommand.
pub fn run(args: &KeysetArgs, console: &mut Console) -> super::Result<Status> {
    match &args.command {
        KeysetCommand::List { jwks, json } => list(jwks, *json, console)?,
        KeysetCommand::Fetch(fetch) => return super::keyset_fetch::run(fetch, console),
        KeysetCommand::Public { jwks, out, force } => {
            let (public, notes) = existing(jwks)?.public()?;
            for note in notes {
                console.note(&note)?;
            }
            match out {
                Some(out) => files::write_atomic(out, &public.to_json(), PUBLIC_MODE, *force)?,
                None => console.out.write_all(&public.to_json())?,
            }
        }
        KeysetCommand::Promote { jwks, kid } => {
            if !set::edit(jwks, false, |set| set.promote(kid))? {
                console.note(&format!("{kid} already signs"))?;
            }
        }
        KeysetCommand::Import { jwks, key, kid } => import(jwks, key, kid.clone(), console)?,
        KeysetCommand::Retire { jwks, kid, force } => {
            match set::edit(jwks, false, |set| set.retire(kid, *force))? {
                Retired::Key => {}
                Retired::SigningKey => console.warn(&format!(
                    "{kid} was the signing key: the next key of {} signs now",
                    jwks.display()
                ))?,
                Retired::LastKey => {
                    console.warn(&format!("{} now holds no keys", jwks.display()))?;
                }
            }
        }
    }
    Ok(Status::Success)
}

fn existing(path: &Path) -> Result<Keyset> {
    Keyset::read(path)?.ok_or_else(|| Error::File {
        path: path.to_path_buf(),
        io: std::io::ErrorKind::NotFound.into(),
    })
}

/// Load one key from `key` and append it; print its kid.
fn import(set: &Path, key: &Path, kid: Option<String>, console: &mut Console) -> super::Result<()> {
    let mut loaded = keys::load(
        &Source::File(key.to_path_buf()),
        &Reading::with_raw_secrets(),
    )?;
    for note in &loaded.notes {
        console.note(note)?;
    }
    for warning in &loaded.warnings {
        console.warn(warning)?;
    }
    if loaded.keys.len() != 1 {
        return Err(Error::from(KeysetProblem::ImportSeveral {
            origin: key.display().to_string(),
            count: loaded.keys.len(),
        })
        .into());
    }
    let jwk = set::importable(&loaded.keys.remove(0), kid)?;
    let new_kid = jwk.kid.clone().unwrap_or_default();
    let had_keys = set::edit(set, true, |keys| {
        let had_keys = !keys.keys.is_empty();
        keys.add(&jwk)?;
        Ok(had_keys)
    })?;
    if had_keys {
        console.note(&set::not_signing_yet(set, &new_kid))?;
    }
    writeln!(console.out, "{}", output::one_line(&new_kid))?;
    Ok(())
}

fn list(path: &Path, json: bool, console: &mut Console) -> super::Result<()> {
    let rows = existing(path)?.list();
    for row in &rows {
        if let Some(why) = &row.unusable {
            console.note(&format!("jwtk cannot use this key: {why}"))?;
        }
    }
    if json {
        let array: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({"kid": r.kid, "kty": r.kty, "alg": r.alg, "use": r.use_,
                       "private": r.private, "signing": r.signing})
            })
            .collect();
        return Ok(console.json(&array)?);
    }
    let width = rows
        .iter()
        .map(|r| r.kid.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    for row in &rows {
        writeln!(console.out, "{}", line(row, width).trim_end())?;
    }
    Ok(())
}

/// `kid  kind  alg  use  private|public  [signs] [duplicate kid] [unusable]`.
fn line(row: &Listing, width: usize) -> String {
    let dash = |v: &Option<String>| output::one_line(v.as_deref().unwrap_or("-")).into_owned();
    let mut flags = Vec::new();
    if row.signing {
        flags.push("signs");
    }
    if row.duplicate {
        flags.push("duplicate-kid");
    }
    if row.unusable.is_some() {
        flags.push("unusable");
    }
    format!(
        "{:width$}  {:<13}  {:<6}  {:<3}  {:<7}  {}",
        dash(&row.kid),
        output::one_line(&row.kind),
        dash(&row.alg),
        dash(&row.use_),
        if row.private { "private" } else { "public" },
        flags.join(" "),
    )
}
