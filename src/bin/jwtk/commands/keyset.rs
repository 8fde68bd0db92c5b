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

/// The keyset at `path`, which must exist. A file that is one key in another form (a PEM key,
/// a JWK) is named as what it is, not as a broken JWKS.
fn existing(path: &Path) -> Result<Keyset> {
    match Keyset::read(path) {
        Ok(Some(set)) => Ok(set),
        Ok(None) => Err(Error::File {
            path: path.to_path_buf(),
            io: std::io::ErrorKind::NotFound.into(),
        }),
        Err(err @ Error::Keyset(KeysetProblem::NotEditable { .. })) => {
            Err(one_key(path).unwrap_or(err))
        }
        Err(err) => Err(err),
    }
}

/// What a file that is no JWKS holds, when it is one key jwtk reads.
fn one_key(path: &Path) -> Option<Error> {
    let loaded = keys::load(&Source::File(path.to_path_buf()), &Reading::default()).ok()?;
    let [key] = loaded.keys.as_slice() else {
        return None;
    };
    if key.format == "JWKS" {
        return None;
    }
    let kind = match key.format {
        f if f.contains("certificate") => "a certificate",
        f if f.contains("OpenSSH") => "an OpenSSH key",
        f if f.contains("PEM") => "a PEM key",
        f if f.contains("DER") => "a DER key",
        "JWK" => "a single JWK",
        _ => "a raw secret",
    };
    Some(
        KeysetProblem::OneKeyNotASet {
            origin: path.display().to_string(),
            what: format!("{kind} ({}, {})", key.describe(), key.format),
        }
        .into(),
    )
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
    // A public key is published with the set and never signs: nothing to promote.
    if had_keys && jwk.is_private() {
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
    let lines: Vec<String> = rows
        .iter()
        .map(|row| line(row, width).trim_end().to_string())
        .collect();
    console.out.fit(true);
    let terminal = console.out.width();
    let fits = |text: &str| terminal.is_none_or(|w| output::display_width(text) <= w);
    if lines.iter().all(|l| fits(l)) {
        for line in &lines {
            writeln!(console.out, "{line}")?;
        }
        return Ok(());
    }
    // A narrow terminal: each key on two lines, its kid whole on the first, the rest below;
    // never a kid cut to fit beside its columns.
    for row in &rows {
        let kid = output::one_line(row.kid.as_deref().unwrap_or("-")).into_owned();
        console.out.fit(false);
        writeln!(console.out, "{kid}")?;
        console.out.fit(true);
        let (alg, use_) = (row.alg.as_deref(), row.use_.as_deref());
        let mut parts = vec![output::one_line(&row.kind).into_owned()];
        parts.extend(alg.map(|a| format!("alg {}", output::one_line(a))));
        parts.extend(use_.map(|u| format!("use {}", output::one_line(u))));
        parts.push(if row.private { "private" } else { "public" }.into());
        parts.extend(flags(row).into_iter().map(String::from));
        writeln!(console.out, "  {}", parts.join(" · "))?;
    }
    Ok(())
}

/// `signs`, `duplicate-kid`, `unusable`: what a row says beyond its columns.
fn flags(row: &Listing) -> Vec<&'static str> {
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
    flags
}

/// `kid  kind  alg  use  private|public  [signs] [duplicate kid] [unusable]`.
fn line(row: &Listing, width: usize) -> String {
    let dash = |v: &Option<String>| output::one_line(v.as_deref().unwrap_or("-")).into_owned();
    format!(
        "{:width$}  {:<13}  {:<6}  {:<3}  {:<7}  {}",
        dash(&row.kid),
        output::one_line(&row.kind),
        dash(&row.alg),
        dash(&row.use_),
        if row.private { "private" } else { "public" },
        flags(row).join(" "),
    )
}
