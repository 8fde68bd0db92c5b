//! One module per subcommand: turn parsed arguments into core values, call the core, render.

pub mod completions;
pub mod decode;

use std::io::Read;

use crate::cli::TokenInput;
use crate::core::error::Result;
use crate::core::token;

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: the token was rejected, and the command already said why.
    Rejected,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::Rejected => 1,
        }
    }
}

/// The raw input holding a token: the argument, or stdin when absent or `-`.
pub fn read_token_input(input: &TokenInput, stdin: impl Read) -> Result<Vec<u8>> {
    match input.token.as_deref() {
        Some(text) if text != "-" => Ok(text.as_bytes().to_vec()),
        _ => token::read_input(stdin),
    }
}
