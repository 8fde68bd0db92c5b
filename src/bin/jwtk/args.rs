//! Every command-line type: the declarative description of jwtk's interface (README and man pages describe it).

// The doc comments here are clap's help text (shown by --help and the man pages), not
// rustdoc: URLs and brackets in them are for people reading a terminal.
#![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links)]

use std::cell::Cell;
use std::path::PathBuf;
use std::sync::LazyLock;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum, ValueHint};
use serde_json::Value;

use jwtk::alg::jwe::{ContentAlg, KeyAlg};
use jwtk::alg::{Algorithm, Curve};
use jwtk::dpop::{Htu, parse_method};
use jwtk::keys::generate::JwkAlg;
use jwtk::keys::input::SecretEncoding;
use jwtk::mint::{Jti, parse_assignment};
use jwtk::profile::Profile;
use jwtk::sd::SdAlg;
use jwtk::serve::{BindAddr, HttpUrl};
use jwtk::time::{Duration, When};

/// A JSON Web Token toolkit: decode, mint, verify, generate keys and classify tokens.
///
/// jwtk reads tokens from an argument, a file or stdin and finds them in what was pasted (a
/// `Bearer` or `Authorization` line, curl output, JSON, an OAuth token response, a cookie, a
/// URL, a wrapped token), never takes a secret on the command line, prints results on stdout
/// and everything else on stderr. Human output is escaped and fits the terminal's width.
///
/// Exit codes: 0 success (for verify: the token is valid); 1 the token was rejected
/// (malformed, bad signature, expired, …); 2 usage error; 3 key, file or environment problem.
#[derive(Debug, Parser)]
#[command(name = "jwtk", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// When to use colour: auto (a terminal, unless NO_COLOR is set), always or never.
    ///
    /// Example: --color never
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
    /// --json prints {"header","claims","signature","size":{"total","header","claims",
    /// "signature"},"warnings"}. Numbers are shown exactly as the token writes them.
    ///
    /// Examples:
    ///   jwtk decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln…
    ///   pbpaste | jwtk decode
    ///   jwtk decode --json "$TOKEN" | jq .claims.scope
    #[command(verbatim_doc_comment)]
    Decode(Deferred<DecodeArgs>),

    /// Create and sign a token; print it alone on stdout.
    ///
    /// The key comes from one of --key FILE, --key-env VAR, --key-prompt or the JWTK_KEY
    /// environment variable, never from the command line. Its kind is detected from the
    /// content: PEM (PKCS#8, PKCS#1, SEC1), DER, an OpenSSH key, a JWK, a JWKS (its first key,
    /// the signing key, or --kid), or a raw HMAC secret; public-key material is never a
    /// secret. The algorithm follows the key unless --alg says otherwise. A key without a kid
    /// of its own is named in the header by its RFC 7638 thumbprint (or --kid).
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
    Mint(Deferred<MintArgs>),

    /// Check a token's signature and claims.
    ///
    /// The signature is checked first, with the keys given (never keys the token names or
    /// carries); then the header, times and claims. Allowed algorithms come from the keys (a
    /// JWK's alg, use and key_ops are honoured) or --alg, never from the token; none is never
    /// accepted. Raw bytes (not PEM, DER, a JWK or a JWKS) serve HMAC only when you say so:
    /// --alg HS256 (HS384, HS512), --secret-encoding or --key-prompt. A token without exp is
    /// rejected unless --allow-no-exp. Without --aud, the audience is not checked, and the
    /// output says so.
    ///
    /// A valid token prints one line (algorithm, key, expiry) and exits 0. A rejected one
    /// prints `jwtk: invalid: …` on stderr with every failed check and exits 1; the reason
    /// codes are malformed, unsupported, decryption_failed, too_large, alg_not_allowed,
    /// no_matching_key, bad_signature, sd_invalid, expired, not_yet_valid, missing_claim,
    /// wrong_issuer, wrong_audience, wrong_subject, wrong_type, profile_violation, kb_invalid,
    /// kb_mismatch, dpop_invalid, dpop_mismatch. Key and file problems exit 3. --json prints
    /// {"valid","reason","message","alg","kid","key","header","claims","bound"} (header and
    /// claims null unless the signature verified; key names the key that matched: kid, source,
    /// RFC 7638 thumbprint, cached), and "sd" for an SD-JWT.
    ///
    /// An SD-JWT (RFC 9901, `<JWT>~<disclosure>~…~[<KB-JWT>]`): the issuer JWT is verified,
    /// the disclosures applied (sd_invalid on any RFC 9901 §7.1 violation), the claim checks
    /// run on the disclosed claims, and a KB-JWT checked against --kb-nonce, --kb-aud and
    /// --kb-max-age (kb_invalid, kb_mismatch).
    ///
    /// Remote keys: --jwks URL fetches a JWKS over HTTPS, --issuer URL finds it by OIDC
    /// discovery (and requires iss = URL). Copies are cached under $XDG_CACHE_HOME/jwtk (else
    /// ~/.cache/jwtk), per URL and --cacert roots, and revalidated when stale; --offline uses
    /// only the cache. HTTPS_PROXY/ALL_PROXY (HTTP or SOCKS) and NO_PROXY are honoured;
    /// loopback hosts are reached directly. A redirect or jwks_uri to a loopback, private or
    /// link-local address is refused unless URL is on one. A failed fetch exits 3. The
    /// token's own iss, jku and x5u never choose what is fetched.
    ///
    /// Profiles: --profile at+jwt (RFC 9068 access tokens; needs --aud), id_token (OIDC ID
    /// tokens; needs --client-id or --aud; --nonce, --access-token, --code, --max-age),
    /// logout (Back-Channel Logout tokens), client_assertion (RFC 7523; needs --aud, the
    /// token endpoint; --client-id) or sd-jwt-vc add the checks that specification makes. A
    /// missing claim is missing_claim, a wrong typ wrong_type, any other broken rule
    /// profile_violation; each message names the profile, the rule and its section.
    ///
    /// Examples:
    ///   jwtk verify --key issuer.pub.pem --iss https://auth.example.com --aud api "$TOKEN"
    ///   jwtk verify --jwks "$JWKS_URL" --profile at+jwt --aud https://api.example.com "$AT"
    ///   jwtk verify --issuer https://accounts.google.com --aud "$CLIENT_ID" "$ID_TOKEN"
    ///   jwtk verify --key keys.jwks --json < token.txt | jq .reason
    ///   jwtk verify --key-env HMAC_KEY --now 2011-03-22T18:00:00Z --leeway 5m "$TOKEN"
    ///   jwtk verify --key new-keys.jwks --batch < yesterdays-tokens.txt > verdicts.jsonl
    #[command(verbatim_doc_comment)]
    Verify(Deferred<VerifyArgs>),

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
    Decrypt(Deferred<DecryptArgs>),

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
    ///   jwtk keygen --use enc --type x25519 --out service-enc
    #[command(verbatim_doc_comment)]
    Keygen(Deferred<KeygenArgs>),

    /// List, publish, fetch, import, promote and retire the keys of a JWKS file.
    ///
    /// The first key of a set signs; new keys are added at the end, so a key is published
    /// before it signs. Edits are made under a lock, where a symlinked set points, keeping
    /// its mode, owner and group.
    ///
    /// Examples:
    ///   jwtk keyset list keys.jwks
    ///   jwtk keyset public keys.jwks --out public.jwks
    ///   jwtk keyset promote keys.jwks --kid 2026-q1
    ///   jwtk keyset retire keys.jwks --kid 2025-q4
    #[command(verbatim_doc_comment)]
    Keyset(Deferred<KeysetArgs>),

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
    Classify(Deferred<ClassifyArgs>),

    /// Make an SD-JWT presentation: only the disclosures asked for, and a KB-JWT with --key.
    ///
    /// Reads an SD-JWT as decode does (RFC 9901, `<JWT>~<disclosure>~…~`) and prints the
    /// issuer JWT with the disclosures the listed claims need (JSON pointers; the objects and
    /// arrays on the way come along, and a path discloses everything inside the value it names),
    /// every disclosure with --disclose-all, none without --disclose. With the holder's --key
    /// (which must be the credential's cnf.jwk, else exit 3), --kb-aud and --kb-nonce (both
    /// required with --key), it appends a KB-JWT (typ kb+jwt, iat now, sd_hash); without --key
    /// it ends with ~. A path that names nothing is exit 2.
    ///
    /// Examples:
    ///   jwtk present --disclose /given_name --disclose /address/locality "$SD_JWT"
    ///   jwtk present --disclose-all --key wallet.pem --kb-aud https://verifier.example.org --kb-nonce "$NONCE" < credential.txt
    ///   jwtk present "$SD_JWT"    # every disclosable claim stays hidden
    #[command(verbatim_doc_comment)]
    Present(Deferred<PresentArgs>),

    /// Make a DPoP proof (RFC 9449) for one HTTP request; print it alone on stdout.
    ///
    /// The proof shows the public half of --key in its header (typ dpop+jwt) and signs the
    /// request's method (--htm) and URI (--htu, without query and fragment) with a random jti
    /// and iat now; with --ath, also the hash of the access token the request carries, and with
    /// --nonce the server's DPoP-Nonce. Only asymmetric keys sign proofs (an HMAC secret exits
    /// 3); the algorithm follows the key unless --alg says otherwise. A proof is for one
    /// request: make a new one for each.
    ///
    /// Examples:
    ///   curl -H "DPoP: $(jwtk dpop --key dpop --htm POST --htu https://as.example.com/token)" …
    ///   jwtk dpop --key dpop --htm GET --htu https://api.example.com/orders --ath "$TOKEN"
    ///   echo "$TOKEN" | jwtk dpop --key dpop --htm GET --htu "$URL" --ath - --nonce "$NONCE"
    #[command(verbatim_doc_comment)]
    Dpop(Deferred<DpopArgs>),

    /// Run a local OAuth 2.0 issuer and OpenID provider for tests and CI.
    ///
    /// Signs RFC 9068 access tokens (typ at+jwt) with --key: a keyset signs with its first
    /// key and publishes every public key; a single key (a PEM file) is a one-key set whose
    /// kid is its RFC 7638 thumbprint; without --key, an ephemeral EC P-256 key. The keyset
    /// and the config are re-read when they change (four times a second), so `jwtk keygen
    /// --add-to`, `keyset promote` and `keyset retire` rotate keys without a restart; a change
    /// that does not load keeps the last good state and says so.
    ///
    /// Endpoints, under the issuer URL: /.well-known/openid-configuration (and RFC 8414's
    /// /.well-known/oauth-authorization-server), /jwks (what `keyset public` writes, with
    /// Cache-Control max-age and an ETag), GET /authorize (no login page: it redirects at once
    /// with code, state and iss, signing in login_hint or --user; PKCE S256, required for
    /// public clients), POST /token (grants authorization_code, client_credentials and
    /// refresh_token; client authentication client_secret_basic, client_secret_post,
    /// private_key_jwt or none; DPoP proofs bind tokens) and /userinfo (the user's claims).
    /// ID tokens carry nonce, auth_time, at_hash and azp; refresh tokens (offline_access) are
    /// single use and rotated, and a reused one revokes its family.
    ///
    /// Memory is bounded: state and nonce at most 512 bytes, login_hint 255, scope 1 KiB (256
    /// a value), redirect_uri and resource 2 KiB (else invalid_request naming it); client
    /// assertions at most an hour ahead; the jtis of assertions and DPoP proofs are remembered
    /// per kind, and a memory full of unexpired ones answers 503 temporarily_unavailable with
    /// Retry-After rather than forget one (a forgotten jti could be replayed).
    ///
    /// With no client declared the server is in open mode: any client_id is taken, and one
    /// that sends any secret is confidential. --client declares a public client; clients with
    /// secrets are declared in --config FILE (JSON): {"clients":[{"client_id", "client_secret"
    /// | "jwk" | "jwks" | "jwks_uri", "redirect_uris", "scopes", "audience", "claims", "ttl"}],
    /// "users":{"SUB":{claims}}}. No secret is ever a flag's value.
    ///
    /// The first line on stdout is the issuer URL, once the socket accepts connections; then
    /// one line per request on stderr (method, path, status, client_id, grant_type; never a
    /// query, body, header value, secret or token). SIGTERM exits 0, Ctrl-C 130. Listening
    /// beyond loopback needs declared clients; a request for another Host gets 421 (DNS
    /// rebinding); CORS answers only declared redirect URI origins (open mode: loopback).
    ///
    /// Examples:
    ///   jwtk serve --addr 127.0.0.1:0 --user alice > issuer.url &
    ///   jwtk serve --key issuer.jwks --config clients.json --addr 127.0.0.1:9000
    ///   jwtk serve --tls --ca-out ca.pem --issuer https://localhost:8443 --addr 127.0.0.1:8443
    #[command(verbatim_doc_comment)]
    Serve(Deferred<ServeArgs>),

    /// Print a shell completion script.
    ///
    /// Examples:
    ///   jwtk completions bash > ~/.local/share/bash-completion/completions/jwtk
    ///   jwtk completions zsh > "${fpath[1]}/_jwtk"
    ///   jwtk completions fish > ~/.config/fish/completions/jwtk.fish
    #[command(verbatim_doc_comment)]
    Completions(Deferred<CompletionsArgs>),
}

/// A subcommand's arguments, described to clap only when that subcommand runs (or when help,
/// completions or man pages need the whole interface): one process runs one subcommand, and
/// building the other eight's arguments was most of clap's start-up work.
#[derive(Debug, Clone)]
pub struct Deferred<T>(pub T);

impl<T> std::ops::Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Self)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Self)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn augment_args(command: clap::Command) -> clap::Command {
        if WHOLE.get() {
            keep_about(command, T::augment_args)
        } else {
            command.defer(|command| keep_about(command, T::augment_args))
        }
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        if WHOLE.get() {
            keep_about(command, T::augment_args_for_update)
        } else {
            command.defer(|command| keep_about(command, T::augment_args_for_update))
        }
    }

    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

thread_local! {
    /// Set while [`whole_command`] describes the interface: completion scripts and man pages
    /// need every argument at once, and clap adds global flags and the `help` subcommand's tree
    /// before deferred arguments, so they would list fewer entries (no `help keyset list`) in
    /// another order.
    static WHOLE: Cell<bool> = const { Cell::new(false) };
}

/// The whole interface, every subcommand's arguments described at once (for completion
/// scripts and man pages; parsing describes only the subcommand that runs).
pub fn whole_command() -> clap::Command {
    WHOLE.set(true);
    let command = <Cli as clap::CommandFactory>::command();
    WHOLE.set(false);
    command
}

/// Add a subcommand's arguments, keeping the subcommand's own description: the arguments'
/// struct describes itself too (its doc comment), which would otherwise win now that it is
/// added last.
fn keep_about(
    command: clap::Command,
    augment: fn(clap::Command) -> clap::Command,
) -> clap::Command {
    let about = command.get_about().cloned();
    let long_about = command.get_long_about().cloned();
    let mut command = augment(command);
    if let Some(about) = about {
        command = command.about(about);
    }
    if let Some(long_about) = long_about {
        command = command.long_about(long_about);
    }
    command
}

/// Where a token comes from: the argument, or stdin when it is absent or `-`.
#[derive(Debug, Clone, Args)]
pub struct TokenInput {
    /// The token, or text holding it; absent or `-` reads stdin.
    ///
    /// The token is found in what was pasted: a `Bearer ` or `DPoP ` prefix, an
    /// `Authorization: Bearer …` or `Authorization: DPoP …` line (also as `curl -v` or a
    /// `-H '…'` argument shows it), a JSON string, an OAuth token response, a
    /// `Cookie:`/`Set-Cookie:` line, a URL whose query or fragment holds it, or a token wrapped
    /// over lines (mail quotes `> ` included). An argument that is not a token but names a
    /// readable file is read as that file. Example: jwtk decode "$(pbpaste)"
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,

    /// Pick the token under this name when the input holds several: a query or fragment
    /// parameter, a JSON member, a cookie name or an HTTP header name (Authorization, DPoP).
    /// Example: --field id_token
    #[arg(long, value_name = "NAME")]
    pub field: Option<String>,
}

/// `jwtk decode`.
#[derive(Debug, Clone, Args)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub input: TokenInput,

    /// Print one JSON object: header, claims, signature, sizes and warnings.
    ///
    /// Example: jwtk decode --json "$TOKEN" | jq .claims
    #[arg(long)]
    pub json: bool,
    /// Show times in the local time zone too, beside UTC (from TZ, else the system's zone).
    /// Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"
    #[arg(long)]
    pub local: bool,
}

/// Where key material comes from (`mint`, `verify`).
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// A key file: PEM, DER, JWK, JWKS, an OpenSSH key or a raw HMAC secret, detected from
    /// the content; `-` reads it from stdin (not beside a token read from stdin).
    ///
    /// Example: --key issuer.pub.pem (repeat for rotation in verify)
    #[arg(short = 'k', long = "key", value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub key: Vec<PathBuf>,

    /// Read the key material from environment variable VAR.
    ///
    /// Example: --key-env BILLING_SIGNING_KEY
    #[arg(long, value_name = "VAR")]
    pub key_env: Option<String>,

    /// Type an HMAC secret at the terminal (not echoed).
    ///
    /// Example: jwtk verify --key-prompt "$TOKEN"
    #[arg(long)]
    pub key_prompt: bool,

    /// How a raw secret's text becomes bytes (default: the bytes as they are); decoded bytes
    /// that are key material are refused.
    ///
    /// Example: --secret-encoding base64 (as `openssl rand -base64 48` prints it)
    #[arg(long, value_parser = choice::<SecretEncoding>(), value_name = "ENCODING")]
    pub secret_encoding: Option<SecretEncoding>,

    /// Pick the key with this kid out of a JWKS; for verify, out of every source (files,
    /// environment, fetched sets): a key without this kid never serves. For mint, a single key
    /// without a kid of its own (PEM, DER) takes this kid; without --kid it is named by its
    /// RFC 7638 thumbprint.
    ///
    /// Example: --kid 2026-11
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,
}

/// The values of a library enum as clap shows and parses them. The library has no clap (its
/// types cannot implement `ValueEnum` here), so each says what it offers and [`choice`] parses.
trait Choices: Sized + Clone + Send + Sync + 'static {
    /// Every value, in the order help lists them.
    fn all() -> &'static [Self];
    /// How one value is spelled on the command line, with its help.
    fn value(&self) -> PossibleValue;
}

/// A value parser for a [`Choices`] enum: exactly its spellings, listed in help and
/// completions.
fn choice<T: Choices>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::all().iter().map(T::value)).try_map(|name| {
        T::all()
            .iter()
            .find(|value| value.value().get_name() == name)
            .cloned()
            .ok_or_else(|| format!("unknown value {name:?}"))
    })
}

/// `--secret-encoding` values.
impl Choices for SecretEncoding {
    fn all() -> &'static [Self] {
        &[
            SecretEncoding::Utf8,
            SecretEncoding::Base64,
            SecretEncoding::Base64Url,
            SecretEncoding::Hex,
        ]
    }

    fn value(&self) -> PossibleValue {
        let help = match self {
            SecretEncoding::Utf8 => "The bytes, which must be UTF-8 text",
            SecretEncoding::Base64 => "Standard base64 (padding optional, line breaks allowed)",
            SecretEncoding::Base64Url => "base64url (padding optional, line breaks allowed)",
            SecretEncoding::Hex => "Hexadecimal (line breaks allowed)",
        };
        PossibleValue::new(self.name()).help(help)
    }
}

/// Algorithms are flag values spelled exactly as RFC 7518 and RFC 9864 spell them.
impl Choices for Algorithm {
    fn all() -> &'static [Self] {
        &Algorithm::ALL
    }

    fn value(&self) -> PossibleValue {
        PossibleValue::new(self.name())
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
    ///
    /// Example: --alg ES384
    #[arg(long, value_name = "ALG", value_parser = choice::<Algorithm>())]
    pub alg: Option<Algorithm>,

    /// The subject (sub).
    ///
    /// Example: --sub svc-billing
    #[arg(long, value_name = "SUB", allow_hyphen_values = true)]
    pub sub: Option<String>,

    /// The issuer (iss).
    ///
    /// Example: --iss https://auth.example.com/
    #[arg(long, value_name = "ISS", allow_hyphen_values = true)]
    pub iss: Option<String>,

    /// An audience (aud); repeat for several (one gives a string, several an array).
    ///
    /// Example: --aud api --aud billing (two give an array)
    #[arg(long, value_name = "AUD", allow_hyphen_values = true)]
    pub aud: Vec<String>,

    /// The token id (jti); `auto` makes a random one.
    ///
    /// Example: --jti auto
    #[arg(long, value_name = "ID|auto", value_parser = jti, allow_hyphen_values = true)]
    pub jti: Option<Jti>,

    /// A claim: NAME=VALUE sets a string, NAME:=JSON any JSON value. Repeatable.
    ///
    /// Example: --claim scope="read write" --claim roles:='["admin"]'
    #[arg(short = 'c', long = "claim", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub claims: Vec<(String, Value)>,

    /// A JSON object to start from (a file, or - for stdin); flags win over it.
    ///
    /// Example: --claims base.json (or - for stdin)
    #[arg(long = "claims", value_name = "FILE|-", value_hint = ValueHint::FilePath)]
    pub claims_file: Option<PathBuf>,

    /// Expiry (default +15m).
    ///
    /// Example: --exp +1h
    #[arg(
        long,
        value_name = "WHEN",
        allow_hyphen_values = true,
        conflicts_with = "no_exp"
    )]
    pub exp: Option<When>,

    /// Make a token that never expires (with a warning).
    ///
    /// Example: jwtk mint --key k.jwk --no-exp
    #[arg(long)]
    pub no_exp: bool,

    /// Not valid before (nbf).
    ///
    /// Example: --nbf +5m
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub nbf: Option<When>,

    /// Issued at (default now).
    ///
    /// Example: --iat 2026-11-22T12:00:00Z
    #[arg(
        long,
        value_name = "WHEN",
        allow_hyphen_values = true,
        conflicts_with = "no_iat"
    )]
    pub iat: Option<When>,

    /// Leave out iat.
    ///
    /// Example: jwtk mint --key k.jwk --no-iat
    #[arg(long)]
    pub no_iat: bool,

    /// A header parameter: NAME=VALUE or NAME:=JSON. Repeatable.
    ///
    /// Example: --header x5t=abc --header crit:='[]'
    #[arg(long = "header", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub headers: Vec<(String, Value)>,

    /// The header typ (default JWT, or the --profile's; an empty value leaves typ out).
    ///
    /// Example: --typ at+jwt (an empty value leaves typ out)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,

    /// Make a token of this profile: its typ (at+jwt, logout+jwt; JWT for id_token and
    /// client_assertion) and a random jti where it needs one; exit 2, naming what is
    /// missing, when the claims given can't meet it.
    ///
    /// Example: jwtk mint --key as.pem --profile at+jwt --iss https://as.example --sub alice --aud https://api.example --claim client_id=app
    #[arg(long, value_name = "NAME", value_parser = choice::<Mintable>())]
    pub profile: Option<Mintable>,

    /// Refuse (exit 1) to print a token larger than this many bytes. Example: --max-size 4096
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<usize>,

    /// Encrypt the signed token to this recipient key: a nested JWT (JWE, cty JWT).
    ///
    /// A public or private key file (PEM, DER, JWK), or a JWKS (its first encryption key;
    /// --encrypt-kid picks another). Defaults by key: RSA RSA-OAEP-256, EC and X25519
    /// ECDH-ES+A256KW, an oct key the A…KW of its length; content A256GCM. A key marked
    /// "use": "sig" is refused (exit 3).
    ///
    /// Example: jwtk mint --key issuer.pem --sub alice --encrypt-to service.pub.pem
    #[arg(long, value_name = "KEY", value_hint = ValueHint::FilePath)]
    pub encrypt_to: Option<PathBuf>,

    /// The key-management algorithm of --encrypt-to (default: by the recipient key).
    ///
    /// Example: --encrypt-to service.pub.pem --key-alg RSA-OAEP
    #[arg(long, value_name = "ALG", value_parser = choice::<KeyAlg>(), requires = "encrypt_to")]
    pub key_alg: Option<KeyAlg>,

    /// The content-encryption algorithm of --encrypt-to (default A256GCM).
    ///
    /// Example: --encrypt-to service.pub.pem --enc A128CBC-HS256
    #[arg(long, value_name = "ENC", value_parser = choice::<ContentAlg>(), requires = "encrypt_to")]
    pub enc: Option<ContentAlg>,

    /// Pick the recipient key of an --encrypt-to JWKS by its kid (--kid picks the signing key).
    ///
    /// Example: --encrypt-to service.jwks --encrypt-kid enc-2026
    #[arg(
        long,
        value_name = "KID",
        requires = "encrypt_to",
        allow_hyphen_values = true
    )]
    pub encrypt_kid: Option<String>,

    /// Make the claim at this JSON pointer selectively disclosable (SD-JWT, RFC 9901);
    /// repeatable; nested paths nest. The output is the SD-JWT with every disclosure, ending in ~.
    ///
    /// Object members and array elements alike; iss, exp, nbf, cnf, vct, vct#integrity and
    /// status stay visible (exit 2). Example: --sd /given_name --sd /address --sd /address/street_address --sd /nationalities/1
    #[arg(long = "sd", value_name = "PATH", conflicts_with = "encrypt_to")]
    pub sd: Vec<String>,

    /// Add N decoy digests to each _sd array (default 0), so their count reveals nothing.
    ///
    /// Example: --sd /email --sd-decoys 3
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub sd_decoys: u16,

    /// The hash of the disclosures' digests (_sd_alg): sha-256 (default), sha-384 or sha-512.
    ///
    /// Example: --sd /email --sd-alg sha-384
    #[arg(long, value_name = "ALG", value_parser = sd_alg)]
    pub sd_alg: Option<SdAlg>,

    /// The holder's key, whose public members (only) go into cnf.jwk, for key binding.
    ///
    /// Example: --sd /email --holder-key wallet.pub.pem
    #[arg(long, value_name = "KEY", value_hint = ValueHint::FilePath, conflicts_with = "encrypt_to")]
    pub holder_key: Option<PathBuf>,

    /// Print one JSON object instead of the bare token: token, header, claims, exp, kid.
    /// Example: jwtk mint --key k.pem --json | jq -r .token
    #[arg(long)]
    pub json: bool,
}

fn sd_alg(text: &str) -> Result<SdAlg, String> {
    text.parse()
}

/// `jwtk present`.
#[derive(Debug, Clone, Args)]
pub struct PresentArgs {
    #[command(flatten)]
    pub input: TokenInput,

    /// Disclose the claim at this JSON pointer (repeatable): its disclosure, those of the
    /// objects and arrays on the way, and everything inside it. An array index counts the
    /// elements as signed, as decode's paths do.
    ///
    /// Example: --disclose /address/locality --disclose /nationalities/1
    #[arg(long, value_name = "PATH")]
    pub disclose: Vec<String>,

    /// Disclose every selectively disclosable claim.
    ///
    /// Example: jwtk present --disclose-all "$SD_JWT"
    #[arg(long, conflicts_with = "disclose")]
    pub disclose_all: bool,

    /// The holder's private key (it must be the credential's cnf.jwk): appends a KB-JWT.
    ///
    /// Example: --key wallet.pem --kb-aud https://verifier.example.org --kb-nonce "$NONCE"
    #[arg(short = 'k', long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub key: Option<PathBuf>,

    /// The verifier the KB-JWT is for (its aud; required with --key).
    ///
    /// Example: --kb-aud https://verifier.example.org
    #[arg(long, value_name = "AUD", requires = "key", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub kb_aud: Option<String>,

    /// The verifier's nonce (the KB-JWT's nonce; required with --key).
    ///
    /// Example: --kb-nonce 1234567890
    #[arg(long, value_name = "NONCE", requires = "key", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub kb_nonce: Option<String>,

    /// The KB-JWT's signing algorithm (default: the key's own, or its family's).
    ///
    /// Example: --alg ES384
    #[arg(long, value_name = "ALG", value_parser = choice::<Algorithm>(), requires = "key")]
    pub alg: Option<Algorithm>,
}

/// `jwtk verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: TokenInput,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Fetch a JWKS over HTTPS from URL (repeatable, beside --key), through the cache.
    ///
    /// Example: --jwks https://www.googleapis.com/oauth2/v3/certs
    #[arg(long = "jwks", value_name = "URL", value_hint = ValueHint::Url)]
    pub jwks: Vec<String>,

    /// Fetch the issuer's keys by OIDC discovery (then RFC 8414) and require iss = URL.
    ///
    /// The discovery document's issuer must equal URL exactly, and its jwks_uri must be
    /// HTTPS. Example: --issuer https://accounts.google.com
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub issuer: Option<String>,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Allow this algorithm (repeatable); default: the algorithms the keys fit.
    ///
    /// Example: --alg RS256 --alg PS256
    #[arg(long, value_name = "ALG", value_parser = choice::<Algorithm>())]
    pub alg: Vec<Algorithm>,

    /// Require this issuer (repeatable: any one may match).
    ///
    /// Example: --iss https://auth.example.com/
    #[arg(long, value_name = "ISS", allow_hyphen_values = true)]
    pub iss: Vec<String>,

    /// Require this audience (repeatable: any one may match).
    ///
    /// Example: --aud api
    #[arg(long, value_name = "AUD", allow_hyphen_values = true)]
    pub aud: Vec<String>,

    /// Require this subject.
    ///
    /// Example: --sub user-42
    #[arg(long, value_name = "SUB", allow_hyphen_values = true)]
    pub sub: Option<String>,

    /// Require this header typ (case-insensitive, with or without application/).
    ///
    /// Example: --typ at+jwt
    #[arg(long, value_name = "TYP", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub typ: Option<String>,

    /// Require this claim to be present and not null (repeatable).
    ///
    /// Example: --require scope
    #[arg(long, value_name = "CLAIM", allow_hyphen_values = true)]
    pub require: Vec<String>,

    /// Allowed clock skew for exp and nbf: 90s, 15m, 2h, 7d or seconds.
    ///
    /// Example: --leeway 2m
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub leeway: Duration,

    /// Judge the time claims at this instant instead of now.
    ///
    /// Example: --now 2026-11-22T12:00:00Z
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    pub now: Option<When>,

    /// Accept a token without exp.
    ///
    /// Example: jwtk verify --key k.pem --allow-no-exp "$TOKEN"
    #[arg(long)]
    pub allow_no_exp: bool,

    /// Print nothing; the exit code says it all.
    ///
    /// Example: jwtk verify -q --key k.pem "$TOKEN" && echo ok
    #[arg(short, long, conflicts_with_all = ["json", "batch"])]
    pub quiet: bool,

    /// Verify one token per line of stdin; print one JSON object per line, in order, with
    /// "line": N; counts on stderr. Exit 0 when all are valid, 1 when any is not.
    ///
    /// Example: jwtk verify --key keys.jwks --batch < tokens.txt > verdicts.jsonl
    #[arg(long, conflicts_with_all = ["token", "field"])]
    pub batch: bool,

    /// Worker threads for --batch, 1 to 256 (default: one per core, at most 256).
    ///
    /// Example: --jobs 4
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,

    /// Decrypt a JWE with this key first, then verify the nested JWT inside (repeatable).
    ///
    /// Encryption is then required: a plain JWS is rejected, unsupported (not encrypted).
    /// With --dpop, the proof's ath is the hash of the JWE as sent (RFC 9449 §4.2).
    ///
    /// Example: --decrypt-key recipient.jwk
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub decrypt_key: Vec<PathBuf>,

    /// Print one JSON object: valid, reason, message, alg, kid, key, header, claims.
    ///
    /// Example: jwtk verify --key k.pem --json "$TOKEN" | jq .reason
    #[arg(long)]
    pub json: bool,

    /// Show times in the local time zone too, beside UTC (from TZ, else the system's zone).
    /// Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"
    #[arg(long)]
    pub local: bool,

    #[command(flatten)]
    pub profile: ProfileArgs,

    #[command(flatten)]
    pub dpop: DpopCheckArgs,

    #[command(flatten)]
    pub kb: KbCheckArgs,
}

/// `verify` of an SD-JWT: what its key binding (the KB-JWT) must satisfy.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "SD-JWT key binding (RFC 9901)")]
pub struct KbCheckArgs {
    /// Reject an SD-JWT presented without a KB-JWT.
    ///
    /// Example: jwtk verify --issuer https://issuer.example --require-kb --kb-nonce n1 --kb-aud https://me.example "$VP"
    #[arg(long)]
    pub require_kb: bool,

    /// The nonce this verifier gave the holder, which the KB-JWT's nonce must equal.
    ///
    /// Example: --kb-nonce 1234567890
    #[arg(long, value_name = "NONCE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub kb_nonce: Option<String>,

    /// This verifier's identifier, which the KB-JWT's aud must equal.
    ///
    /// Example: --kb-aud https://verifier.example.org
    #[arg(long, value_name = "AUD", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub kb_aud: Option<String>,

    /// How old a KB-JWT's iat may be (the leeway comes on top).
    ///
    /// Example: --kb-max-age 1m
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub kb_max_age: Duration,
}

/// `verify --profile`: the specification a token must meet, and the values its rules check.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Profiles")]
pub struct ProfileArgs {
    /// Check the token against a specification's profile too (once).
    ///
    /// at+jwt (RFC 9068), id_token (OIDC Core), logout (Back-Channel Logout), client_assertion
    /// (RFC 7523, OIDC Core §9), sd-jwt-vc (draft-ietf-oauth-sd-jwt-vc).
    /// Example: --profile at+jwt --aud https://api.example.com
    #[arg(long, value_name = "NAME", value_parser = choice::<Profile>())]
    pub profile: Option<Profile>,

    /// id_token: the nonce sent in the authentication request, which nonce must equal.
    ///
    /// Example: --profile id_token --client-id my-app --nonce "$NONCE"
    #[arg(long, value_name = "NONCE", requires = "profile", allow_hyphen_values = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub nonce: Option<String>,

    /// id_token: the access token issued with it, which at_hash must match; - reads stdin
    /// (one trailing newline removed).
    ///
    /// at_hash is the base64url left half of the hash of the token's alg (SHA-512 for EdDSA).
    /// Example: --profile id_token --client-id my-app --access-token "$ACCESS_TOKEN"
    #[arg(long, value_name = "TOKEN|-", requires = "profile", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub access_token: Option<String>,

    /// id_token: the authorization code issued with it, which c_hash must match.
    ///
    /// Example: --profile id_token --client-id my-app --code "$CODE"
    #[arg(long, value_name = "CODE", requires = "profile", allow_hyphen_values = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub code: Option<String>,

    /// id_token: auth_time must be present and no older than this (the max_age sent).
    ///
    /// Example: --profile id_token --client-id my-app --max-age 10m
    #[arg(long, value_name = "DURATION", requires = "profile")]
    pub max_age: Option<Duration>,

    /// id_token: aud must hold this client id (it stands for --aud); client_assertion: iss and
    /// sub must be it.
    ///
    /// Example: --profile id_token --client-id my-app
    #[arg(long, value_name = "CLIENT_ID", requires = "profile", allow_hyphen_values = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub client_id: Option<String>,
}

/// `mint --profile` values: the profiles whose tokens mint makes (not sd-jwt-vc: `--sd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mintable(pub Profile);

impl Choices for Mintable {
    fn all() -> &'static [Self] {
        static ALL: LazyLock<Vec<Mintable>> = LazyLock::new(|| {
            let mintable = Profile::ALL.into_iter().filter(|p| p.spec().mint.is_some());
            mintable.map(Mintable).collect()
        });
        &ALL
    }

    fn value(&self) -> PossibleValue {
        self.0.value()
    }
}

/// `--profile` values: the specifications' own names for their tokens.
impl Choices for Profile {
    fn all() -> &'static [Self] {
        &Profile::ALL
    }

    fn value(&self) -> PossibleValue {
        PossibleValue::new(self.name()).help(self.spec().title)
    }
}

/// `verify --dpop`: the DPoP proof a token comes with, and the request it was sent with.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "DPoP (RFC 9449)")]
pub struct DpopCheckArgs {
    /// Check this DPoP proof (the request's DPoP header) too, e.g. --dpop "$PROOF".
    #[arg(long, value_name = "PROOF", requires_all = ["htm", "htu"], conflicts_with = "batch")]
    pub dpop: Option<String>,

    /// The request's HTTP method, which the proof's htm must equal, e.g. --htm GET.
    #[arg(long, value_name = "METHOD", requires = "dpop", value_parser = method)]
    pub htm: Option<String>,

    /// The request's URI, which the proof's htu must name, e.g. --htu https://api.example.com/x.
    #[arg(long, value_name = "URL", requires = "dpop", value_hint = ValueHint::Url)]
    pub htu: Option<Htu>,

    /// Allow this proof algorithm (repeatable), e.g. --dpop-alg ES384; default ES256, EdDSA,
    /// RS256, PS256.
    #[arg(long, value_name = "ALG", value_parser = choice::<Algorithm>(), requires = "dpop")]
    pub dpop_alg: Vec<Algorithm>,

    /// How old a proof may be (the leeway comes on top), e.g. --dpop-max-age 1m.
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub dpop_max_age: Duration,

    /// The nonce the server gave (DPoP-Nonce), which the proof must carry, e.g. --dpop-nonce n1.
    #[arg(long, value_name = "NONCE", requires = "dpop", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub dpop_nonce: Option<String>,
}

/// `jwtk dpop`.
#[derive(Debug, Clone, Args)]
pub struct DpopArgs {
    #[command(flatten)]
    pub key: KeyArgs,

    /// The signing algorithm (default: the key's own, or its family's), e.g. --alg PS256.
    #[arg(long, value_name = "ALG", value_parser = choice::<Algorithm>())]
    pub alg: Option<Algorithm>,

    /// The request's HTTP method (htm), exactly as sent, e.g. --htm GET.
    #[arg(long, value_name = "METHOD", value_parser = method)]
    pub htm: String,

    /// The request's URI (htu); query and fragment are left out, e.g. --htu https://api.example.com/x.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub htu: Htu,

    /// The access token the request carries, hashed into ath; - reads it from stdin, e.g. --ath -.
    #[arg(long, value_name = "TOKEN|-")]
    pub ath: Option<String>,

    /// The nonce the server gave in DPoP-Nonce, e.g. --nonce eyJ7S_zG.eyJH0-Z.HX4w-7v.
    #[arg(long, value_name = "NONCE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub nonce: Option<String>,
}

fn method(text: &str) -> Result<String, String> {
    parse_method(text).map_err(|e| e.to_string())
}

/// A `--timeout`: at least a second, at most [`jwtk::remote::http::MAX_TIMEOUT`] (a fetch
/// that may wait longer is a mistake, and an absurd value must not overflow the clock).
fn fetch_timeout(text: &str) -> Result<Duration, String> {
    let duration: Duration = text.parse().map_err(|e| format!("{e}"))?;
    let max = jwtk::remote::http::MAX_TIMEOUT.as_secs();
    match duration.0 {
        ..1 => Err("the timeout must be at least 1s".into()),
        secs if secs.unsigned_abs() > max => {
            Err(format!("the timeout must be at most 5m ({max}s)"))
        }
        _ => Ok(duration),
    }
}

/// How remote key sets are fetched (`verify --jwks/--issuer`, `keyset fetch`).
#[derive(Debug, Clone, Args)]
pub struct RemoteArgs {
    /// Trust the CA certificates in this PEM file too, besides the system's.
    ///
    /// Cached copies fetched with these roots serve only runs that trust the same
    /// certificates. Example: --cacert corporate-root.pem
    #[arg(long, value_name = "PEM", value_hint = ValueHint::FilePath)]
    pub cacert: Option<PathBuf>,

    /// Give up a fetch (redirects included) after this long; default 10s, at most 5m.
    ///
    /// Example: --timeout 3s
    #[arg(long, value_name = "DURATION", value_parser = fetch_timeout)]
    pub timeout: Option<Duration>,

    /// Use only the cache: fetch nothing, whatever the copy's age.
    ///
    /// Example: jwtk verify --jwks https://issuer.example/jwks --offline "$TOKEN"
    #[arg(long, conflicts_with = "refresh")]
    pub offline: bool,

    /// Ask the server even when the cached copy is fresh.
    ///
    /// Example: jwtk verify --issuer https://accounts.google.com --refresh "$TOKEN"
    #[arg(long)]
    pub refresh: bool,
}

/// `jwtk decrypt`.
#[derive(Debug, Clone, Args)]
pub struct DecryptArgs {
    #[command(flatten)]
    pub input: TokenInput,

    #[command(flatten)]
    pub key: KeyArgs,

    /// Allow this key-management algorithm (repeatable); default: those the keys fit.
    ///
    /// Example: --alg ECDH-ES+A256KW
    #[arg(long, value_name = "ALG", value_parser = choice::<KeyAlg>())]
    pub alg: Vec<KeyAlg>,

    /// Allow this content-encryption algorithm (repeatable); default: all six.
    ///
    /// Example: --enc A256GCM
    #[arg(long, value_name = "ENC", value_parser = choice::<ContentAlg>())]
    pub enc: Vec<ContentAlg>,

    /// Print one JSON object: decrypted, header, plaintext (or plaintext_b64), nested.
    ///
    /// Example: jwtk decrypt --key recipient.jwk --json "$JWE" | jq .nested
    #[arg(long)]
    pub json: bool,
}

/// `--alg` values of `decrypt`.
impl Choices for KeyAlg {
    fn all() -> &'static [Self] {
        &KeyAlg::ALL
    }

    fn value(&self) -> PossibleValue {
        PossibleValue::new(self.name())
    }
}

/// `--enc` values of `decrypt`.
impl Choices for ContentAlg {
    fn all() -> &'static [Self] {
        &ContentAlg::ALL
    }

    fn value(&self) -> PossibleValue {
        PossibleValue::new(self.name())
    }
}

/// `jwtk keygen`.
#[derive(Debug, Clone, Args)]
pub struct KeygenArgs {
    /// The kind of key (default: the one --alg needs).
    ///
    /// Example: --type ec
    #[arg(
        long = "type",
        value_enum,
        value_name = "TYPE",
        required_unless_present = "alg"
    )]
    pub key_type: Option<KeyTypeArg>,

    /// Size in bits: hmac 256 (default) to 4096; rsa 2048 (default), 3072, 4096 or 8192.
    ///
    /// Example: --bits 4096
    #[arg(long, value_name = "BITS")]
    pub bits: Option<usize>,

    /// The curve of an EC key (default P-256).
    ///
    /// Example: --curve P-384
    #[arg(long, value_parser = choice::<Curve>(), value_name = "CURVE")]
    pub curve: Option<Curve>,

    /// The JWK's alg: a JWS algorithm, or with --use enc a JWE key-management algorithm;
    /// for hmac it also sizes the secret (HS384: 384 bits, HS512: 512; A128KW: 128).
    ///
    /// Example: --use enc --type rsa --alg RSA-OAEP-256
    #[arg(long, value_name = "ALG", value_parser = choice::<JwkAlg>())]
    pub alg: Option<JwkAlg>,

    /// What the key is for: sig (signatures, the default) or enc (encrypted tokens, JWE).
    ///
    /// Written as the JWK's use. Signing commands refuse an enc key and decryption a sig key.
    ///
    /// Example: jwtk keygen --use enc --type x25519 --out service-enc
    #[arg(long = "use", value_enum, value_name = "USE", default_value = "sig")]
    pub use_: UseArg,

    /// Output format (default pem; hmac has no pem, its default is jwk).
    ///
    /// Example: --format jwks
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<KeyFormatArg>,

    /// Write the private key to PATH (0600) and the public key to PATH.pub.
    ///
    /// Example: --out issuer (writes issuer and issuer.pub)
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,

    /// Replace existing files: both new files are written and synced before either replaces
    /// its old one.
    ///
    /// Example: jwtk keygen --type ec --out issuer --force
    #[arg(long)]
    pub force: bool,

    /// The key id (default: RFC 7638 thumbprint; random for hmac).
    ///
    /// Example: --kid 2026-11
    #[arg(long, value_name = "KID", allow_hyphen_values = true)]
    pub kid: Option<String>,

    /// Append the new private key to this JWKS file (created 0600 if missing).
    ///
    /// The key is added at the end and does not sign until `jwtk keyset promote` (unless the
    /// set was empty); a kid already there, or a set holding only public keys, is refused. The
    /// set keeps its mode; one its group or others can read or write is warned about.
    ///
    /// Example: --add-to issuer.jwks
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
    /// An X25519 key for ECDH-ES (only with --use enc).
    X25519,
}

/// `keygen --use`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UseArg {
    /// Signatures (JWS).
    Sig,
    /// Encryption (JWE).
    Enc,
}

/// `keygen --alg` values: the JWS algorithms, then the JWE key-management ones.
impl Choices for JwkAlg {
    fn all() -> &'static [Self] {
        &JwkAlg::ALL
    }

    fn value(&self) -> PossibleValue {
        PossibleValue::new(self.name())
    }
}

/// `--curve` values: the curve table's names, with the algorithm each serves.
impl Choices for Curve {
    fn all() -> &'static [Self] {
        &Curve::ALL
    }

    fn value(&self) -> PossibleValue {
        let help = format!("NIST {}, for {}", self.name(), self.alg());
        PossibleValue::new(self.name()).help(help)
    }
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
    /// One line per key: kid, type, alg, use, private or public; which key signs; duplicate
    /// kids and keys jwtk cannot use are flagged.
    ///
    /// Examples:
    ///   jwtk keyset list keys.jwks
    ///   jwtk keyset list keys.jwks --json | jq -r '.[] | select(.signing) | .kid'
    #[command(verbatim_doc_comment)]
    List {
        /// The JWKS file.
        ///
        /// Example: jwtk keyset list issuer.jwks
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// Print a JSON array: kid, kty, alg, use, private, signing per key.
        ///
        /// Example: jwtk keyset list keys.jwks --json
        #[arg(long)]
        json: bool,
    },
    /// The public JWKS for verifiers: public members only, HMAC keys left out.
    ///
    /// Per key exactly kty, kid, use, key_ops (as verify/encrypt), alg, x5u, x5c, x5t,
    /// x5t#S256 where present, and the public parameters (n, e; crv, x, y); no set-level
    /// members. A set with nothing public is exit 3, never an empty file.
    ///
    /// Examples:
    ///   jwtk keyset public keys.jwks
    ///   jwtk keyset public keys.jwks --out public.jwks --force
    #[command(verbatim_doc_comment)]
    Public {
        /// The JWKS file.
        ///
        /// Example: jwtk keyset public issuer.jwks --out public.jwks
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// Write to PATH (mode 0644) instead of stdout.
        ///
        /// Example: --out public.jwks
        #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
        out: Option<PathBuf>,
        /// Replace PATH if it exists (atomically).
        ///
        /// Example: --out public.jwks --force
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// Save an issuer's published public keys to a file, to pin them or use them offline.
    ///
    /// The set is fetched over HTTPS (the JWKS URL, or --issuer URL by OIDC discovery), its
    /// public keys written to PATH (secret and private members left out), or printed on
    /// stdout without --out. An existing PATH needs --force.
    ///
    /// Examples:
    ///   jwtk keyset fetch https://www.googleapis.com/oauth2/v3/certs --out google.jwks
    ///   jwtk keyset fetch --issuer https://token.actions.githubusercontent.com --out gha.jwks
    ///   jwtk keyset fetch --issuer https://accounts.google.com | jq '.keys[].kid'
    #[command(verbatim_doc_comment)]
    Fetch(KeysetFetchArgs),
    /// Make one key the signing key (move it first); it must be able to sign.
    ///
    /// Promote a new key only once every verifier has the set that holds it.
    ///
    /// Examples:
    ///   jwtk keyset promote issuer.jwks --kid "$NEW"
    ///   jwtk keyset promote issuer.jwks --kid "$(jwtk keyset list issuer.jwks --json | jq -r '.[-1].kid')"
    #[command(verbatim_doc_comment)]
    Promote {
        /// The JWKS file.
        ///
        /// Example: jwtk keyset promote issuer.jwks --kid "$NEW"
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// The kid of the key that signs from now on.
        ///
        /// Example: --kid 2026-q1
        #[arg(long, value_name = "KID", allow_hyphen_values = true)]
        kid: String,
    },
    /// Add an existing key (any format --key reads) at the end of a keyset; prints its kid.
    ///
    /// The kid is the key's own (a JWK's), else --kid, else the RFC 7638 thumbprint (a random
    /// id for HMAC secrets). The set is created 0600 when missing; the new key signs only
    /// when it is the first, or once promoted.
    ///
    /// Examples:
    ///   jwtk keyset import issuer.jwks --key issuer.pem
    ///   jwtk keyset import billing-psk.jwks --key old-secret.txt --kid psk-2025
    #[command(verbatim_doc_comment)]
    Import {
        /// The JWKS file.
        ///
        /// Example: jwtk keyset import issuer.jwks --key issuer.pem
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// The key file to add: PEM, DER, a JWK, or a raw HMAC secret.
        ///
        /// Example: --key issuer.pem
        #[arg(short, long, value_name = "PATH", value_hint = ValueHint::FilePath)]
        key: PathBuf,
        /// The kid to give a key that has none.
        ///
        /// Example: --kid 2025-q4
        #[arg(long, value_name = "KID", allow_hyphen_values = true)]
        kid: Option<String>,
    },
    /// Remove one key, keeping the others untouched.
    ///
    /// The signing key or the last key only with --force; a kid two keys carry is refused.
    ///
    /// Examples:
    ///   jwtk keyset retire keys.jwks --kid 2025-q4
    ///   jwtk keyset retire keys.jwks --kid compromised --force
    #[command(verbatim_doc_comment)]
    Retire {
        /// The JWKS file.
        ///
        /// Example: jwtk keyset retire issuer.jwks --kid "$OLD"
        #[arg(value_name = "JWKS", value_hint = ValueHint::FilePath)]
        jwks: PathBuf,
        /// The kid of the key to remove.
        ///
        /// Example: --kid 2025-q4
        #[arg(long, value_name = "KID", allow_hyphen_values = true)]
        kid: String,
        /// Retire it even if it is the signing key or the last key.
        ///
        /// Example: --kid compromised --force
        #[arg(long)]
        force: bool,
    },
}

/// `jwtk keyset fetch`.
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("from").required(true).args(["url", "issuer"]))]
pub struct KeysetFetchArgs {
    /// The JWKS URL. Example: https://www.googleapis.com/oauth2/v3/certs
    #[arg(value_name = "URL", value_hint = ValueHint::Url)]
    pub url: Option<String>,

    /// Find the JWKS by OIDC discovery (then RFC 8414) of this issuer.
    ///
    /// Example: --issuer https://accounts.google.com
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    pub issuer: Option<String>,

    /// Write the public set here (mode 0644) instead of stdout. Example: --out google.jwks
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,

    /// Replace PATH if it exists (atomically).
    ///
    /// Example: jwtk keyset fetch https://www.googleapis.com/oauth2/v3/certs --out google.jwks --force
    #[arg(long, requires = "out")]
    pub force: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,
}

/// `jwtk classify`.
#[derive(Debug, Clone, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub input: TokenInput,

    /// Print one JSON object: kind, flow, subject, provider, confidence, evidence, conflicts.
    ///
    /// Example: jwtk keyset list issuer.jwks --json | jq -r '.[0].kid'
    #[arg(long)]
    pub json: bool,

    /// Exit 1 when the answer has low confidence or conflicts.
    ///
    /// Example: jwtk classify --strict "$TOKEN" || echo unclear
    #[arg(long)]
    pub strict: bool,
    /// Show times in the local time zone too, beside UTC (from TZ, else the system's zone).
    /// Example: TZ=Europe/Paris jwtk decode --local "$TOKEN"
    #[arg(long)]
    pub local: bool,
}

/// `jwtk completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    ///
    /// Example: jwtk completions zsh > ~/.zfunc/_jwtk
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

/// `jwtk serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The keyset (JWKS) or key file that signs, re-read when it changes (default: an
    /// ephemeral EC P-256 key).
    ///
    /// Example: --key issuer.jwks
    #[arg(short = 'k', long, value_name = "KEYSET|KEY", value_hint = ValueHint::FilePath)]
    pub key: Option<PathBuf>,

    /// Where to listen, HOST:PORT with an IP address or localhost (default 127.0.0.1:8080);
    /// port 0 picks a free one. A non-loopback address needs declared clients.
    ///
    /// Example: --addr 127.0.0.1:0
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<BindAddr>,

    /// The issuer URL clients use (default: http://HOST:PORT of --addr, localhost for
    /// 0.0.0.0 and ::); requests for other hosts than its own and loopback get 421.
    ///
    /// Example: --issuer http://issuer:8080 (a docker-compose service name)
    #[arg(long, value_name = "URL", value_parser = issuer_url, value_hint = ValueHint::Url)]
    pub issuer: Option<HttpUrl>,

    /// The config file (JSON): clients, with their secrets or keys (private_key_jwt),
    /// redirect URIs, scopes, audience, claims and ttl, and users' claims; re-read when it
    /// changes.
    ///
    /// Example: --config clients.json
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Declare a public client (repeatable); declared clients end open mode.
    ///
    /// Example: --client web-app
    #[arg(long = "client", value_name = "ID", value_parser = client_id)]
    pub clients: Vec<String>,

    /// The user /authorize signs in when the request has no login_hint (default: user);
    /// the config's "users" give users their claims.
    ///
    /// Example: --user alice
    #[arg(long, value_name = "SUB", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub user: Option<String>,

    /// Access token lifetime, unless the client's config sets one (at most 366d).
    ///
    /// Example: --ttl 1h
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = ttl)]
    pub ttl: u64,

    /// Cache-Control max-age of /jwks and the discovery documents (at most 1d).
    ///
    /// Example: --jwks-max-age 0 (verifiers always revalidate)
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = jwks_max_age)]
    pub jwks_max_age: u64,

    /// How long a client has to send a whole request before it is cut off, 1s to 5m.
    ///
    /// Example: --request-timeout 2s
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = request_timeout)]
    pub request_timeout: u64,

    /// Serve HTTPS with a throwaway CA made at start, limited to the names it serves; its
    /// key never leaves memory.
    ///
    /// Example: jwtk serve --tls --ca-out ca.pem, then jwtk verify --issuer https://… --cacert ca.pem
    #[arg(long, conflicts_with_all = ["tls_cert", "tls_key"])]
    pub tls: bool,

    /// Where --tls writes the CA certificate (default: a temporary file, named in a note).
    ///
    /// Example: --ca-out ca.pem (then SSL_CERT_FILE=ca.pem or NODE_EXTRA_CA_CERTS=ca.pem)
    #[arg(long, value_name = "PATH", requires = "tls", value_hint = ValueHint::FilePath)]
    pub ca_out: Option<PathBuf>,

    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    ///
    /// Example: --tls-cert server.crt --tls-key server.key
    #[arg(long, value_name = "PEM", requires = "tls_key", value_hint = ValueHint::FilePath)]
    pub tls_cert: Option<PathBuf>,

    /// The private key of --tls-cert (PEM).
    ///
    /// Example: --tls-key server.key
    #[arg(long, value_name = "PEM", requires = "tls_cert", value_hint = ValueHint::FilePath)]
    pub tls_key: Option<PathBuf>,

    /// Leave out the request log (notes and warnings stay).
    ///
    /// Example: jwtk serve -q
    #[arg(short, long)]
    pub quiet: bool,
}

fn issuer_url(text: &str) -> Result<HttpUrl, String> {
    HttpUrl::parse(text).map_err(|why| format!("the issuer {why}"))
}

fn client_id(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
        return Err("a client_id is printable ASCII, at least one character".into());
    }
    Ok(text.to_string())
}

/// A duration in seconds between `min` and `max`.
fn seconds(text: &str, min: i64, max: i64, what: &str) -> Result<u64, String> {
    let duration: Duration = text.parse().map_err(|e| format!("{e}"))?;
    match u64::try_from(duration.0) {
        Ok(secs) if (min..=max).contains(&duration.0) => Ok(secs),
        _ => Err(format!("{what} is {min}s to {max}s")),
    }
}

fn ttl(text: &str) -> Result<u64, String> {
    seconds(text, 1, jwtk::serve::config::MAX_TTL as i64, "the lifetime")
}

fn jwks_max_age(text: &str) -> Result<u64, String> {
    seconds(text, 0, 86_400, "the max-age")
}

fn request_timeout(text: &str) -> Result<u64, String> {
    seconds(text, 1, 300, "the timeout")
}
