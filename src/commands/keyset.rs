//! `jwtk keyset list | public | retire`: read and edit a JWKS file safely.

use std::io::Write;
use std::path::Path;

use crate::cli::{KeysetArgs, KeysetCommand};
use crate::commands::Status;
use crate::core::error::{Error, Result};
use crate::core::files::{self, PRIVATE_MODE, PUBLIC_MODE};
use crate::core::keyset::{self, Keyset};
use crate::output::{self, Console};

/// Run one keyset subcommand.
pub fn run(args: &KeysetArgs, console: &mut Console) -> anyhow::Result<Status> {
    match &args.command {
        KeysetCommand::List { jwks } => list(jwks, console)?,
        KeysetCommand::Fetch(fetch) => return super::keyset_fetch::run(fetch, console),
        KeysetCommand::Public { jwks, out, force } => {
            let public = existing(jwks)?.public()?.to_json();
            match out {
                Some(out) => files::write_atomic(out, &public, PUBLIC_MODE, *force)?,
                None => console.out.write_all(&public)?,
            }
        }
        KeysetCommand::Retire { jwks, kid } => {
            let _lock = files::lock(jwks)?;
            let mut set = existing(jwks)?;
            set.retire(kid)?;
            if set.keys.is_empty() {
                console.warn(&format!("{} now holds no keys", jwks.display()))?;
            }
            files::write_atomic(jwks, &set.to_json(), PRIVATE_MODE, true)?;
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

fn list(path: &Path, console: &mut Console) -> anyhow::Result<()> {
    let text = std::fs::read(path).map_err(|io| Error::File {
        path: path.to_path_buf(),
        io,
    })?;
    let rows = keyset::list(&text, &path.display().to_string())?;
    console.out.fit(true);
    let width = rows
        .iter()
        .map(|r| r.kid.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    for row in rows {
        let private = if row.private { "private" } else { "public" };
        writeln!(
            console.out,
            "{:width$}  {:<13}  {:<6}  {:<3}  {private}",
            output::one_line(&row.kid),
            row.kind,
            output::one_line(&row.alg),
            output::one_line(&row.use_),
        )?;
    }
    Ok(())
}
