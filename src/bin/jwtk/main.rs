//! The `jwtk` command: parse the command line (`args`), run one subcommand (`commands`), render
//! what it found (`output`), and turn errors into messages and exit codes (`report`). The JWT
//! work is the `jwtk` library's; nothing here is part of it.

mod args;
mod clock;
mod commands;
mod output;
mod report;

use std::io::Write;
use std::process::ExitCode;

use args::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use commands::Status;
use output::Console;

fn main() -> ExitCode {
    let cli = parse();
    let mut console = Console::stdio(cli.color);
    match run(&cli, &mut console) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => ExitCode::from(report::report(&err, &mut console)),
    }
}

/// `Cli::parse()`, without tearing down clap's description of the interface and its matches
/// once the arguments are read: the process ends soon after, and freeing them cost ~9 % of a
/// `decode` and ~3 % of a `verify` (callgrind: 111k of 1.25M and 30k of 0.90M instructions).
fn parse() -> Cli {
    let mut command = Cli::command();
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|matches| {
            let cli = Cli::from_arg_matches(&matches);
            std::mem::forget(matches);
            cli
        })
        .map_err(|err| err.format(&mut command));
    std::mem::forget(command);
    parsed.unwrap_or_else(|err| err.exit())
}

/// Run a parsed command line, writing to `console`.
fn run(cli: &Cli, console: &mut Console) -> commands::Result<Status> {
    let quiet = matches!(&cli.command, Command::Verify(args) if args.quiet);
    if let Some(pinned) = clock::pinned()?
        && !quiet
    {
        // A leftover variable must never make an expired token pass silently.
        console.note(&format!(
            "the clock is pinned by {} to {}",
            clock::PIN_VAR,
            jwtk::time::format_utc(pinned as f64)
        ))?;
    }
    let status = match &cli.command {
        Command::Decode(args) => commands::decode::run(args, console),
        Command::Mint(args) => commands::mint::run(args, console),
        Command::Verify(args) => commands::verify::run(args, console),
        Command::Decrypt(args) => commands::decrypt::run(args, console),
        Command::Keygen(args) => commands::keygen::run(args, console),
        Command::Dpop(args) => commands::dpop::run(args, console),
        Command::Present(args) => commands::present::run(args, console),
        Command::Keyset(args) => commands::keyset::run(args, console),
        Command::Classify(args) => commands::classify::run(args, console),
        Command::Serve(args) => commands::serve::run(args, console),
        Command::Completions(args) => commands::completions::run(args, console),
    };
    // Flush before judging: a failed write (a full disk, a closed pipe) is an error too.
    let flushed = console.out.flush();
    let status = status?;
    flushed?;
    Ok(status)
}
