//! The `jwtk` binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use jwtk::cli::Cli;
use jwtk::output::Console;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut console = Console::stdio(cli.color);
    match jwtk::run(&cli, &mut console) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => ExitCode::from(jwtk::report(&err, &mut console)),
    }
}
