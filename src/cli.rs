//! Every command-line type: the declarative description of jwtk's interface (`CLI.md`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use serde_json::Value;

use crate::core::alg::Algorithm;
use crate::core::jwe::alg::{ContentAlg, KeyAlg};
use crate::core::keyinput::SecretEncoding;
use crate::core::mint::{Jti, parse_assignment};
use crate::core::time::{Duration, When};

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
#[allow(clippy::large_enum_variant)] // parsed once per process; boxing buys nothing
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

    /// Create and sign a token; print it alone on stdout.
    ///
    /// The key comes from --key FILE, --key-env VAR, --key-prompt or the JWTK_KEY environment
    /// variable, never from the command line. Its kind is detected from the content: PEM
    /// (PKCS#8, PKCS#1, SEC1), DER, a JWK, a JWKS (the last key, or --kid), or a raw HMAC
    /// secret. The algorithm follows the key unless --alg says otherwise.
    ///
    /// By default the token has iat = now and exp = now + 15 minutes, and typ JWT.
    /// WHEN is now, +90s, +15m, -2h, +7d, an RFC 3339 time or epoch seconds (a bare number
    /// below 1000000000 is refused rather than read as a date in 1970).
    ///
    /// Examples:
    ///   jwtk mint --key service.pem --sub svc-billing --aud api --claim scope="read write"
    ///   JWTK_KEY="$(cat secret.txt)" jwtk mint --sub alice --exp +1h --claim roles:='["admin"]'
    ///   jwtk mint --key keys.jwks --kid 2026-11 --claims base.json --jti auto
    #[command(verbatim_doc_comment)]
    Mint(MintArgs),

    /// Check a token's signature and claims.
    ///
    /// The signature is checked first, with the keys given (never keys the token names or
    /// carries); then the header, times and claims. Allowed algorithms come from the keys (a
    /// JWK's alg, use and key_ops are honoured) or --alg, never from the token; none is never
    /// accepted. A token without exp is rejected unless --allow-no-exp. Without --aud, the
    /// audience is not checked, and the output says so.
    ///
    /// A valid token prints one line (algorithm, key, expiry) and exits 0. A rejected one
    /// prints `jwtk: invalid: …` on stderr with every failed check and exits 1; the reason
    /// codes are malformed, unsupported, alg_not_allowed, no_matching_key, bad_signature,
    /// expired, not_yet_valid, missing_claim, wrong_issuer, wrong_audience, wrong_subject,
    /// wrong_type. Key and file problems exit 3.
    ///
    /// Examples:
    ///   jwtk verify --key issuer.pub.pem --iss https://auth.example.com --aud api "$TOKEN"
    ///   jwtk verify --key keys.jwks --json < token.txt | jq .reason
    ///   jwtk verify --key-env HMAC_KEY --now 2011-03-22T18:00:00Z --leeway 5m "$TOKEN"
    ///   jwtk verify --key new-keys.jwks --batch < yesterdays-tokens.txt > verdicts.jsonl
    #[command(verbatim_doc_comment)]
    Verify(VerifyArgs),

    /// Decrypt an encrypted token (JWE) and print its plaintext, byte for byte.
    ///
    /// The keys decide which algorithms are accepted, as for signatures (a JWK's alg, use and
    /// key_ops are honoured); --alg and --enc narrow them further. Key management: RSA-OAEP,
    /// RSA-OAEP-256, ECDH-ES and ECDH-ES+A128KW/A192KW/A256KW (P-256, P-384, P-521, X25519),
    /// A128KW/A192KW/A256KW, A128GCMKW/A192GCMKW/A256GCMKW, dir; content: A128GCM, A192GCM,
    /// A256GCM, A128CBC-HS256, A192CBC-HS384, A256CBC-HS512. RSA1_5 and PBES2 are refused.
    /// zip DEF is inflated up to 250 KB (or ten times the ciphertext).
    ///
    /// The plaintext goes to stdout with no newline added; for a nested JWT (cty JWT) that is
    /// the inner token, ready for `jwtk verify`. Every decryption failure (a wrong key, an
    /// altered token) gives the one reason decryption_failed and the same message. Reasons:
    /// malformed, unsupported, decryption_failed, too_large, alg_not_allowed, no_matching_key
    /// (exit 1); key problems exit 3.
    ///
    /// Examples:
    ///   jwtk decrypt --key recipient.pem "$JWE"
    ///   jwtk decrypt --key keys.jwks --alg ECDH-ES+A256KW --enc A256GCM < token.jwe
    ///   jwtk decrypt --key recipient.pem "$JWE" | jwtk verify --key issuer.pub.pem
    #[command(verbatim_doc_comment)]
    Decrypt(DecryptArgs),

    /// Generate a key: an HMAC secret, or an RSA, EC or Ed25519 key pair.
    ///
    /// Keys come from aws-lc-rs and the operating system's CSPRNG. Asymmetric keys are written
    /// as PKCS#8 PEM (the public half as SPKI PEM) or as JWK/JWKS; HMAC keys as an oct JWK.
    /// The kid defaults to the RFC 7638 thumbprint (asymmetric) or a random id (HMAC).
    ///
    /// With --out PATH the private key goes to PATH (mode 0600) and the public key to
    /// PATH.pub; neither is written if either exists, unless --force (then both are replaced
    /// atomically). The kid is printed on stdout. Without --out, the private key goes to
    /// stdout. With --add-to SET the new private key is appended to a JWKS file (created 0600
    /// if missing) under a lock, and only its kid is printed.
    ///
    /// Examples:
    ///   jwtk keygen --type ec --out issuer            # issuer (private) and issuer.pub
    ///   jwtk keygen --type hmac --alg HS512 --out billing.jwk
    ///   jwtk keygen --type ed25519 --add-to keys.jwks
    #[command(verbatim_doc_comment)]
    Keygen(KeygenArgs),

    /// List, publish and retire the keys of a JWKS file.
    ///
    /// Examples:
    ///   jwtk keyset list keys.jwks
    ///   jwtk keyset public keys.jwks --out public.jwks
    ///   jwtk keyset retire keys.jwks --kid 2025-q4
    #[command(verbatim_doc_comment)]
    Keyset(KeysetArgs),

    /// Say what kind of token this is, which OAuth grant issued it, and who its subject is.
    ///
    /// Reads the token without verifying it (and says so). It knows the issuer families of
    /// identity platforms (Auth0, Okta, Entra ID, Keycloak, Cognito, Google, PingOne, ZITADEL,
    /// authentik, Ory Hydra, FusionAuth, Kinde, …), application sessions (Supabase, Firebase,
    /// Clerk), CI systems (GitHub Actions, GitLab CI, CircleCI, Buildkite, HCP Terraform, Azure
    /// DevOps, Bitbucket Pipelines) and workload identity (Kubernetes, SPIFFE, AWS STS), each
    /// named only from its issuer or a claim no other issuer writes. Their markers win over the
    /// conventions (RFC 9068, OIDC, RFC 8693, RFC 7523, RFC 9449 DPoP proofs), which win over
    /// the base rule: a client_id equal to sub means the client credentials flow, otherwise
    /// sub names the user. Contradictions are reported. Prints the evidence, the authority the
    /// token carries (scopes, roles, audience, tenant, CI repository and ref), its time status
    /// and its size.
    ///
    /// Exit 0 whatever the answer; with --strict, a low-confidence or conflicting answer exits 1.
    ///
    /// Examples:
    ///   jwtk classify "$ACCESS_TOKEN"
    ///   jwtk classify --json < token.txt | jq -r .flow
    ///   jwtk classify --strict "$TOKEN" && echo "a clear answer"
    #[command(verbatim_doc_comment)]
    Classify(ClassifyArgs),

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

/// Where key material comes from (`mint`, `verify`).
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// A key file: PEM, DER, JWK, JWKS or a raw HMAC secret, detected from the content.
    #[arg(short = 'k', long = "key", value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub key: Vec<PathBuf>,

    /// Read the key material from environment variable VAR.
    #[arg(long, value_name = "VAR")]
    pub key_env: Option<String>,

    /// Type an HMAC secret at the terminal (not echoed).
    #[arg(long)]
    pub key_prompt: bool,

    /// How a raw secret's text becomes bytes (default: the bytes as they are).
    #[arg(long, value_enum, value_name = "ENCODING")]
    pub secret_encoding: Option<SecretEncoding>,

    /// Pick the key with this kid out of a JWKS.
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
}

/// `--secret-encoding` values.
impl ValueEnum for SecretEncoding {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            SecretEncoding::Utf8,
            SecretEncoding::Base64,
            SecretEncoding::Base64Url,
            SecretEncoding::Hex,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let help = match self {
            SecretEncoding::Utf8 => "The bytes, which must be UTF-8 text",
            SecretEncoding::Base64 => "Standard base64 (padding optional, line breaks allowed)",
            SecretEncoding::Base64Url => "base64url (padding optional, line breaks allowed)",
            SecretEncoding::Hex => "Hexadecimal (line breaks allowed)",
        };
        Some(clap::builder::PossibleValue::new(self.name()).help(help))
    }
}

/// Algorithms are flag values spelled exactly as RFC 7518 and RFC 9864 spell them.
impl ValueEnum for Algorithm {
    fn value_variants<'a>() -> &'a [Self] {
        &Algorithm::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

fn jti(text: &str) -> Result<Jti, String> {
    match text {
        "" => Err("the jti is empty".to_string()),
        "auto" => Ok(Jti::Auto),
        id => Ok(Jti::Given(id.to_string())),
    }
}

/// `jwtk mint`.
#[derive(Debug, Clone, Args)]
pub struct MintArgs {
    #[command(flatten)]
    pub key: KeyArgs,

    /// The signing algorithm (default: the key's own, or its family's).
    #[arg(long, value_name = "ALG", value_enum)]
    pub alg: Option<Algorithm>,

    /// The subject (sub).
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,

    /// The issuer (iss).
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,

    /// An audience (aud); repeat for several (one gives a string, several an array).
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,

    /// The token id (jti); `auto` makes a random one.
    #[arg(long, value_name = "ID|auto", value_parser = jti)]
    pub jti: Option<Jti>,

    /// A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable.
    #[arg(short = 'c', long = "claim", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub claims: Vec<(String, Value)>,

    /// A JSON object to start from (a file, or - for stdin); flags win over it.
    #[arg(long = "claims", value_name = "FILE|-", value_hint = ValueHint::FilePath)]
    pub claims_file: Option<PathBuf>,

    /// Expiry (default +15m).
    #[arg(
        long,
        value_name = "WHEN",
        allow_hyphen_values = true,
        conflicts_with = "no_exp"
    )]
    pub exp: Option<When>,

    /// Make a token that never expires (with a warning).
    #[arg(long)]
    pub no_exp: bool,

    /// Not valid before (nbf).
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub nbf: Option<When>,

    /// Issued at (default now).
    #[arg(
        long,
        value_name = "WHEN",
        allow_hyphen_values = true,
        conflicts_with = "no_iat"
    )]
    pub iat: Option<When>,

    /// Leave out iat.
    #[arg(long)]
    pub no_iat: bool,

    /// A header parameter: NAME=VALUE or NAME:=JSON. Repeatable.
    #[arg(long = "header", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub headers: Vec<(String, Value)>,

    /// The header typ (default JWT; an empty value leaves typ out).
    #[arg(long, value_name = "TYP", default_value = "JWT")]
    pub typ: String,

    /// Refuse (exit 1) to print a token larger than this many bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<usize>,
}

/// `jwtk verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: TokenInput,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Allow this algorithm (repeatable); default: the algorithms the keys fit.
    #[arg(long, value_name = "ALG", value_enum)]
    pub alg: Vec<Algorithm>,

    /// Require this issuer (repeatable: any one may match).
    #[arg(long, value_name = "ISS")]
    pub iss: Vec<String>,

    /// Require this audience (repeatable: any one may match).
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,

    /// Require this subject.
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,

    /// Require this header typ (case-insensitive, with or without application/).
    #[arg(long, value_name = "TYP", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub typ: Option<String>,

    /// Require this claim to be present and not null (repeatable).
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,

    /// Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds.
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub leeway: Duration,

    /// Judge the time claims at this instant instead of now.
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub now: Option<When>,

    /// Accept a token without exp.
    #[arg(long)]
    pub allow_no_exp: bool,

    /// Print nothing; the exit code says it all.
    #[arg(short, long, conflicts_with_all = ["json", "batch"])]
    pub quiet: bool,

    /// Verify one token per line of stdin; print one JSON object per line, in order, with
    /// "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not.
    #[arg(long, conflicts_with = "token")]
    pub batch: bool,

    /// Worker threads for --batch (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable).
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub decrypt_key: Vec<PathBuf>,

    /// Print one JSON object: valid, reason, message, alg, kid, header, claims.
    #[arg(long)]
    pub json: bool,
}

/// `jwtk decrypt`.
#[derive(Debug, Clone, Args)]
pub struct DecryptArgs {
    #[command(flatten)]
    pub input: TokenInput,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Allow this key-management algorithm (repeatable); default: those the keys fit.
    #[arg(long, value_name = "ALG", value_enum)]
    pub alg: Vec<KeyAlg>,

    /// Allow this content-encryption algorithm (repeatable); default: all six.
    #[arg(long, value_name = "ENC", value_enum)]
    pub enc: Vec<ContentAlg>,

    /// Print one JSON object: decrypted, header, plaintext (or plaintext_b64), nested.
    #[arg(long)]
    pub json: bool,
}

/// `--alg` values of `decrypt`.
impl ValueEnum for KeyAlg {
    fn value_variants<'a>() -> &'a [Self] {
        &KeyAlg::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// `--enc` values of `decrypt`.
impl ValueEnum for ContentAlg {
    fn value_variants<'a>() -> &'a [Self] {
        &ContentAlg::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// `jwtk keygen`.
#[derive(Debug, Clone, Args)]
pub struct KeygenArgs {
    /// The kind of key (default: the one --alg needs).
    #[arg(
        long = "type",
        value_enum,
        value_name = "TYPE",
        required_unless_present = "alg"
    )]
    pub key_type: Option<KeyTypeArg>,

    /// Size in bits: hmac at least 256 (default 256); rsa 2048 (default), 3072, 4096 or 8192.
    #[arg(long, value_name = "BITS")]
    pub bits: Option<usize>,

    /// The curve of an EC key (default P-256).
    #[arg(long, value_enum, value_name = "CURVE")]
    pub curve: Option<CurveArg>,

    /// The JWK's alg; for hmac it also sizes the secret (HS384: 384 bits, HS512: 512).
    #[arg(long, value_name = "ALG", value_enum)]
    pub alg: Option<Algorithm>,

    /// Output format (default pem; hmac has no pem, its default is jwk).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<KeyFormatArg>,

    /// Write the private key to PATH (0600) and the public key to PATH.pub.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,

    /// Replace existing files (atomically).
    #[arg(long)]
    pub force: bool,

    /// The key id (default: RFC 7638 thumbprint; random for hmac).
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,

    /// Append the new private key to this JWKS file (created 0600 if missing).
    #[arg(long, value_name = "JWKS", value_hint = ValueHint::FilePath, conflicts_with_all = ["out", "format"])]
    pub add_to: Option<PathBuf>,
}

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    /// A shared secret for HS256/384/512.
    Hmac,
    /// An RSA key for RS* and PS*.
    Rsa,
    /// An ECDSA key for ES256/384/512.
    Ec,
    /// An Ed25519 key for EdDSA.
    Ed25519,
}

/// `--curve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CurveArg {
    /// NIST P-256, for ES256.
    #[value(name = "P-256")]
    P256,
    /// NIST P-384, for ES384.
    #[value(name = "P-384")]
    P384,
    /// NIST P-521, for ES512.
    #[value(name = "P-521")]
    P521,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyFormatArg {
    /// PKCS#8 PEM private key, SPKI PEM public key.
    Pem,
    /// A JSON Web Key.
    Jwk,
    /// A JSON Web Key Set holding the one key.
    Jwks,
}

/// `jwtk keyset`.
#[derive(Debug, Clone, Args)]
pub struct KeysetArgs {
    /// What to do with the keyset.
    #[command(subcommand)]
    pub command: KeysetCommand,
}

/// The keyset subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum KeysetCommand {
    /// One line per key: kid, type, alg, use, private or public.
    ///
    /// Example:
    ///   jwtk keyset list keys.jwks
    #[command(verbatim_doc_comment)]
    List {
        /// The JWKS file.
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
    },
    /// The public JWKS for verifiers: private members removed, HMAC keys left out.
    ///
    /// Example:
    ///   jwtk keyset public keys.jwks --out public.jwks
    #[command(verbatim_doc_comment)]
    Public {
        /// The JWKS file.
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// Write to PATH (mode 0644) instead of stdout.
        #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
        out: Option<PathBuf>,
        /// Replace PATH if it exists (atomically).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Remove one key, keeping the others untouched.
    ///
    /// Example:
    ///   jwtk keyset retire keys.jwks --kid 2025-q4
    #[command(verbatim_doc_comment)]
    Retire {
        /// The JWKS file.
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// The kid of the key to remove.
        #[arg(long, value_name = "KID")]
        kid: String,
    },
}

/// `jwtk classify`.
#[derive(Debug, Clone, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub input: TokenInput,

    /// Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts.
    #[arg(long)]
    pub json: bool,

    /// Exit 1 when the answer has low confidence or conflicts.
    #[arg(long)]
    pub strict: bool,
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
