//! `jwtk completions`: print a shell completion script.

use std::io::Write;

use crate::args::{CompletionsArgs, whole_command};
use crate::commands::Status;
use crate::output::Console;

/// Write the completion script for the requested shell to stdout.
pub fn run(args: &CompletionsArgs, console: &mut Console) -> super::Result<Status> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut whole_command(), "jwtk", &mut script);
    console.out.write_all(&script)?;
    Ok(Status::Success)
}
