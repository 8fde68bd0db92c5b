//! `jwtk keyset fetch`: save an issuer's published public keys to a file.

use crate::args::KeysetFetchArgs;
use crate::commands::Status;
use crate::commands::fetch_settings;
use crate::output::Console;
use jwtk::files::{self, PUBLIC_MODE};
use jwtk::keys::set::Keyset;
use jwtk::remote::fetch::{self, Fetcher};
use jwtk::remote::http::Start;

/// Fetch the set (asking the server even when the cached copy is fresh, unless `--offline`),
/// keep its public keys, write them to `--out`.
pub fn run(args: &KeysetFetchArgs, console: &mut Console) -> super::Result<Status> {
    let mut settings = fetch_settings(&args.remote)?;
    settings.refresh = !settings.offline;
    let mut fetcher = Fetcher::new(settings);
    files::check_writable(&[&args.out], args.force)?;
    let (url, start) = match (&args.url, &args.issuer) {
        (_, Some(issuer)) => {
            let found = fetcher.discover(issuer);
            for note in std::mem::take(&mut fetcher.notes) {
                console.note(&note)?;
            }
            let found = found?;
            (found.jwks_uri, found.start)
        }
        (Some(url), None) => (url.clone(), Start::USER),
        (None, None) => unreachable!("clap requires URL or --issuer"),
    };
    let set = fetcher.jwks(&url, start, false);
    for note in std::mem::take(&mut fetcher.notes) {
        console.note(&note)?;
    }
    let set = set?;
    let loaded = fetch::keys_of(&set)?;
    for note in loaded.notes.iter().chain(&loaded.warnings) {
        console.note(note)?;
    }
    let (public, notes) = Keyset::parse(&set.bytes, &set.url)?.public()?;
    for note in &notes {
        console.note(note)?;
    }
    files::write_atomic(&args.out, &public.to_json(), PUBLIC_MODE, args.force)?;
    console.note(&format!(
        "saved {} public key(s) from {url} to {}",
        public.keys.len(),
        args.out.display()
    ))?;
    Ok(Status::Success)
}
