//! `jwtk completions`: print a shell completion script.

use crate::cli::CompletionsArgs;
use crate::commands::Status;
use crate::generate;
use std::io::Write;

use crate::output::Console;

/// Write the completion script for the requested shell to stdout.
pub fn run(args: &CompletionsArgs, console: &mut Console) -> anyhow::Result<Status> {
    console
        .out
        .write_all(&generate::completion_script(args.shell))?;
    Ok(Status::Success)
}
