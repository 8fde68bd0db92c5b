//! Every command-line type: the declarative description of jwtk's interface (`CLI.md`).

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A JSON Web Token toolkit: decode, mint, verify, generate keys and classify tokens.
///
/// jwtk reads tokens from an argument or stdin (a `Bearer …` or `Authorization: Bearer …`
/// line is fine), never takes a secret on the command line, prints results on stdout and
/// everything else on stderr.
///
/// Exit codes: 0 success (for verify: the token is valid); 1 the token was rejected
/// (malformed, bad signature, expired, …); 2 usage error; 3 key, file or environment problem.
#[derive(Debug, Parser)]
#[command(name = "jwtk", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a token's header and claims without verifying anything.
    ///
    /// Prints the header and claims as JSON, with every header parameter in its original
    /// order; annotates exp, nbf, iat and auth_time with their UTC date and how long ago or
    /// ahead they are; shows the lifetime and where the bytes go; warns about what a careful
    /// reader should know (expired, alg none, key URLs in the header, sizes over 4 KiB and
    /// 8 KiB). Nothing is verified: use `jwtk verify` for that.
    ///
    /// Exit 0 when the token is well-formed (even if expired), 1 when it is malformed.
    ///
    /// Examples:
    ///   jwtk decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln…
    ///   pbpaste | jwtk decode
    ///   jwtk decode --json "$TOKEN" | jq .claims.scope
    #[command(verbatim_doc_comment)]
    Decode(DecodeArgs),

    /// Print a shell completion script.
    ///
    /// Examples:
    ///   jwtk completions bash > ~/.local/share/bash-completion/completions/jwtk
    ///   jwtk completions zsh > "${fpath[1]}/_jwtk"
    ///   jwtk completions fish > ~/.config/fish/completions/jwtk.fish
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),
}

/// Where a token comes from: the argument, or stdin when it is absent or `-`.
#[derive(Debug, Clone, Args)]
pub struct TokenInput {
    /// The token; absent or `-` reads stdin. A `Bearer ` prefix or a whole
    /// `Authorization: Bearer …` line is accepted.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
}

/// `jwtk decode`.
#[derive(Debug, Clone, Args)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub input: TokenInput,

    /// Print one JSON object: header, claims, signature, sizes and warnings.
    #[arg(long)]
    pub json: bool,
}

/// `jwtk completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
