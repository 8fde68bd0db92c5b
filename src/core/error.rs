//! The errors the core reports, in the user's terms, and the exit code each one means.

use std::path::PathBuf;

/// Which part of a compact token a fault was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole token (its framing: segments, characters, size).
    Token,
    /// The protected header, the first segment.
    Header,
    /// The payload, the second segment: the claims of a JWT.
    Claims,
    /// The signature, the third segment.
    Signature,
}

impl Part {
    /// The lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Part::Token => "token",
            Part::Header => "header",
            Part::Claims => "claims",
            Part::Signature => "signature",
        }
    }
}

/// A token that cannot be read: which part is wrong and what is wrong with it.
///
/// The `fault` never quotes bytes from the token beyond short, escaped names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed token: {}: {fault}", part.name())]
pub struct Malformed {
    /// The part the fault is in.
    pub part: Part,
    /// What is wrong, in a few words.
    pub fault: String,
}

impl Malformed {
    /// A fault in `part`.
    pub fn new(part: Part, fault: impl Into<String>) -> Self {
        Malformed {
            part,
            fault: fault.into(),
        }
    }
}

/// Everything the core can fail with. Each variant maps to one exit code of the contract.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The token cannot be read (exit 1).
    #[error(transparent)]
    Malformed(#[from] Malformed),

    /// The input is larger than the token size cap (exit 1).
    #[error("token is too large: {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Bytes seen (at least).
        size: u64,
        /// The cap.
        limit: u64,
    },

    /// The token was read but refused: by a size limit or a policy (exit 1).
    #[error("{message}")]
    Rejected {
        /// What was refused and why.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },

    /// A key, file or environment problem (exit 3).
    #[error("{message}")]
    Key {
        /// What is wrong, never quoting secret bytes.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },

    /// A file could not be read or written (exit 3).
    #[error("{}: {io}", path.display())]
    File {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason (not a `source`: the message already shows it).
        io: std::io::Error,
    },

    /// A flag value that clap could not judge on its own (exit 2).
    #[error("{message}")]
    Usage {
        /// What is wrong with the value.
        message: String,
        /// What to write instead.
        hint: Option<String>,
    },
}

impl Error {
    /// A key/file/environment error with a hint.
    pub fn key(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Key {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The process exit code `CLI.md` gives this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Malformed(_) | Error::TooLarge { .. } | Error::Rejected { .. } => 1,
            Error::Usage { .. } => 2,
            Error::Key { .. } | Error::File { .. } => 3,
        }
    }

    /// A second line telling the user what to do, where one helps.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Key { hint, .. } | Error::Usage { hint, .. } | Error::Rejected { hint, .. } => {
                hint.as_deref()
            }
            Error::TooLarge { .. } => {
                Some("a JWT this large will not fit any HTTP header; check what produced it")
            }
            Error::Malformed(_) | Error::File { .. } => None,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
