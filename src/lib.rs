//! jwtk: a JSON Web Token toolkit.
//!
//! The map of the crate: [`cli`] declares the interface, [`commands`] holds one module per
//! subcommand, [`core`] does the JWT work (no clap, no printing, no exit), [`output`] renders,
//! and [`generate`] builds completion scripts and man pages. [`run`] executes a parsed
//! command line; [`report`] is the one place that turns an error into a message and an exit
//! code.

pub mod cli;
pub mod commands;
pub mod core;
pub mod generate;
pub mod output;
pub mod report;

use std::io::Write;

use cli::{Cli, Command};
use commands::Status;
use output::Console;

/// Run a parsed command line, writing to `console`.
pub fn run(cli: &Cli, console: &mut Console) -> anyhow::Result<Status> {
    let quiet = matches!(&cli.command, Command::Verify(args) if args.quiet);
    if let Some(pinned) = core::time::pinned()?
        && !quiet
    {
        // A leftover variable must never make an expired token pass silently.
        console.note(&format!(
            "the clock is pinned by {} to {}",
            core::time::PIN_VAR,
            core::time::format_utc(pinned as f64)
        ))?;
    }
    let status = match &cli.command {
        Command::Decode(args) => commands::decode::run(args, console),
        Command::Mint(args) => commands::mint::run(args, console),
        Command::Verify(args) => commands::verify::run(args, console),
        Command::Decrypt(args) => commands::decrypt::run(args, console),
        Command::Keygen(args) => commands::keygen::run(args, console),
        Command::Dpop(args) => commands::dpop::run(args, console),
        Command::Keyset(args) => commands::keyset::run(args, console),
        Command::Classify(args) => commands::classify::run(args, console),
        Command::Completions(args) => commands::completions::run(args, console),
    };
    // Flush before judging: a failed write (a full disk, a closed pipe) is an error too.
    let flushed = console.out.flush();
    let status = status?;
    flushed?;
    Ok(status)
}

pub use report::report;
