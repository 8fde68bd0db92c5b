//! The one place that turns an error into a message, a hint and an exit code. Hints name
//! flags and commands, so they live here, at the edge, not in the core.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::AnsiColor as Color;

use crate::commands::CommandError;
use crate::output::{self, Console};
use jwtk::error::{
    EnvProblem, Error, FileProblem, KeyProblem, KeyUse, KeysetProblem, RemoteProblem, ServeProblem,
    Usage,
};
use jwtk::jwe::encrypt::EncryptError;
use jwtk::profile::FlagProblem;
use jwtk::remote::error::FetchError;

/// Print `err` as `jwtk: error: …` (plus `hint: …`) on stderr and return the exit code the
/// contract gives it. A closed stdout pipe is not an error worth a word: it exits 0 quietly.
pub fn report(err: &CommandError, console: &mut Console) -> u8 {
    if is_broken_pipe(err) {
        return 0;
    }
    let (code, hint) = match err.library() {
        Some(core) => (core.exit_code(), hint(core)),
        None => (3, None),
    };
    let label = console.err_style.paint("error:", Color::Red);
    let message = err.to_string();
    let mut line = format!("jwtk: {label} {}\n", output::one_line(&message));
    if let Some(hint) = hint {
        line.push_str(&format!(
            "{} {}\n",
            console.err_style.paint("hint:", Color::Cyan),
            output::one_line(&hint)
        ));
    }
    let _ = console.err.write_all(line.as_bytes());
    code
}

fn is_broken_pipe(err: &CommandError) -> bool {
    match err {
        CommandError::Io(err) => err.kind() == io::ErrorKind::BrokenPipe,
        CommandError::Jwtk(_) => false,
    }
}

/// What to do about an error, where something helps.
pub fn hint(err: &Error) -> Option<Cow<'static, str>> {
    let text: &'static str = match err {
        Error::TooLarge { .. } => {
            "a JWT this large will not fit any HTTP header; check what produced it"
        }
        Error::OverMaxSize { largest, .. } => {
            let names: Vec<String> = largest
                .iter()
                .map(|(n, b)| format!("{n} ({b} B)"))
                .collect();
            return Some(format!("the largest claims: {}", names.join(", ")).into());
        }
        Error::KeyMaterial { problem, .. } => return key_problem(problem).map(Cow::Borrowed),
        Error::KeyUse(use_) => return key_use(use_),
        Error::Keyset(problem) => return keyset(problem),
        Error::Remote(problem) => remote(problem)?,
        Error::Refused(FileProblem::Exists { .. }) => {
            "choose another path, or give --force to replace it"
        }
        Error::Environment(problem) => return environment(problem),
        Error::Serve(problem) => serve(problem)?,
        Error::Encrypt(err) => encrypt(err)?,
        Error::Usage(usage) => return self::usage(usage),
        Error::NotDecrypted {
            reason: jwtk::verify::Reason::Unsupported,
            ..
        } => "the recipient decrypts it: jwtk decrypt --key KEY TOKEN | jwtk classify",
        Error::Malformed(_)
        | Error::NotDecrypted { .. }
        | Error::File { .. }
        | Error::Refused(_) => return None,
        // A kind of error this build of the command does not know yet: its message only.
        _ => return None,
    };
    Some(Cow::Borrowed(text))
}

fn key_problem(problem: &KeyProblem) -> Option<&'static str> {
    Some(match problem {
        KeyProblem::Utf16NotText => "save the key file as UTF-8",
        KeyProblem::PemDamaged { quoted: true } => {
            "the PEM kept quotes or \\n escapes (an env file or a JSON string?): give the PEM text itself"
        }
        KeyProblem::PemDamaged { quoted: false } => {
            "each -----BEGIN line needs its base64 body and a matching -----END line"
        }
        KeyProblem::PemEncrypted => {
            "decrypt it first: openssl pkcs8 -in key.pem -out plain.pem (and keep plain.pem 0600)"
        }
        KeyProblem::PemSeveral { .. } => "put one key in each file; repeat --key for several",
        KeyProblem::OpenSshEncrypted => {
            "jwtk reads no passphrases: remove it from a copy (ssh-keygen -p -N '' -f COPY asks for the old one) and keep the copy 0600"
        }
        KeyProblem::OpenSshSeveral { .. } => {
            "put one key in each file (one line of authorized_keys); repeat --key for several"
        }
        KeyProblem::JsonArray => "wrap the keys: {\"keys\": [ ... ]}",
        KeyProblem::TextAroundJson => "save only the JSON body (curl without -i)",
        KeyProblem::SecretNotText { .. } | KeyProblem::SecretNotEncoded { .. } => {
            "leave out --secret-encoding to use the bytes as they are"
        }
        KeyProblem::EncodedKeyMaterial { .. } | KeyProblem::DerTrailing { .. } => {
            "give the key file itself (PEM, DER, JWK or JWKS)"
        }
        KeyProblem::EncodedPem => "decode it first (base64 -d) and give the PEM itself",
        KeyProblem::OctIsKeyMaterial => "give the key file itself (PEM, DER, JWK or JWKS)",
        KeyProblem::EmbeddedKey { .. } => {
            "give the key file itself (PEM, DER, JWK or JWKS), or the base64 value alone: no NAME=, quotes or %-escapes"
        }
        KeyProblem::KeyDump { .. } => {
            "a dump cannot be read back: give the PEM (the same openssl command without -text and -noout)"
        }
        KeyProblem::RsaSize { .. } => "generate a new one: jwtk keygen --type rsa",
        KeyProblem::EmptySecret => {
            "an HMAC key needs at least 32 random bytes: jwtk keygen --type hmac"
        }
        KeyProblem::RawSecretNotAllowed => {
            "if it is an HMAC secret, say so: --alg HS256 (or --secret-encoding, or --key-prompt)"
        }
        KeyProblem::NotAFile { .. } => {
            "a secret belongs in a file or an environment variable: --key-env VAR, or --key-prompt"
        }
        KeyProblem::NoSuchFile => "check the path (--key - reads the key from stdin)",
        KeyProblem::UrlNotFile => {
            "--jwks URL fetches a key set over HTTPS (--issuer URL finds it by OIDC discovery)"
        }
        KeyProblem::EmptyFile { .. } => {
            "was it written by a command that failed? (jwtk keygen --out FILE writes a key)"
        }
        _ => return None,
    })
}

fn fits(algs: &[jwtk::alg::Algorithm]) -> Option<Cow<'static, str>> {
    (!algs.is_empty()).then(|| {
        let names: Vec<&str> = algs.iter().map(|a| a.name()).collect();
        format!("this key fits {}", names.join(", ")).into()
    })
}

fn key_use(use_: &KeyUse) -> Option<Cow<'static, str>> {
    match use_ {
        KeyUse::Confusion { fits: f, .. }
        | KeyUse::WrongFamily { fits: f, .. }
        | KeyUse::Pinned { fits: f, .. } => fits(f),
        KeyUse::NoKeyFor { .. } => Some(
            "give a key of the right kind, or leave out --alg to take the algorithms from the keys"
                .into(),
        ),
        KeyUse::SigningKeyCannotSign { .. } => Some(
            "promote a key that can (jwtk keyset promote SET --kid KID), or pick one with --kid"
                .into(),
        ),
        KeyUse::NoSuchKid { known, .. } => Some(if known.is_empty() {
            "the keys given carry no kid".into()
        } else {
            format!("kids there: {}", jwtk::text::quoted(known)).into()
        }),
        KeyUse::CannotDecrypt { .. } => Some(
            "JWE keys are RSA, EC (P-256, P-384, P-521) or X25519 private keys, or oct secrets"
                .into(),
        ),
        KeyUse::Refused(jwtk::error::Refusal::PublicCannotDecrypt { .. }) => Some(
            "decryption needs the recipient's private or shared key, marked \"use\": \"enc\" or unmarked"
                .into(),
        ),
        KeyUse::RecipientNotAKey { .. } => Some(
            "a shared key: give it as an oct JWK, or say so with --key-alg A256KW (or another A…KW, A…GCMKW, dir)"
                .into(),
        ),
        KeyUse::Refused(_)
        | KeyUse::Invalid { .. }
        | KeyUse::NoKeyFound
        | KeyUse::ProofNeedsAsymmetric { .. }
        | KeyUse::NotHolderKey { .. }
        | KeyUse::JweMismatch(_)
        | KeyUse::CryptoFailed { .. } => None,
    }
}

fn keyset(problem: &KeysetProblem) -> Option<Cow<'static, str>> {
    Some(match problem {
        KeysetProblem::NotEditable { .. } => "it was left untouched; fix or move it first".into(),
        KeysetProblem::NoSuchKid { kids, .. } => {
            format!("kids there: {}", jwtk::text::quoted(kids)).into()
        }
        KeysetProblem::DuplicateKid { .. } => {
            "a kid must name one key: edit the file to tell them apart".into()
        }
        KeysetProblem::KidTaken { .. } => "give another --kid, or retire the old key first".into(),
        KeysetProblem::PrivateIntoPublic { .. } => {
            "add the key to the private keyset, then publish with `jwtk keyset public`".into()
        }
        KeysetProblem::RetireNeedsForce { what, origin, .. } => match *what {
            "the signing key" => format!(
                "promote its successor first (jwtk keyset promote {origin} --kid …), or give --force"
            )
            .into(),
            _ => "an empty set verifies nothing; give --force to retire it anyway".into(),
        },
        KeysetProblem::NothingPublic { .. } => {
            "HMAC keys have no public half: hand the secret set to its verifiers over a secret channel"
                .into()
        }
        KeysetProblem::OneKeyNotASet { origin, .. } => {
            format!("a set holds keys as JWKs: jwtk keyset import SET.jwks --key {origin} adds it to one").into()
        }
        KeysetProblem::CannotPromote { .. }
        | KeysetProblem::NotOneKey { .. }
        | KeysetProblem::Unserializable
        | KeysetProblem::NoThumbprint { .. }
        | KeysetProblem::NotAJwk { .. }
        | KeysetProblem::ImportSeveral { .. } => return None,
    })
}

fn encrypt(err: &EncryptError) -> Option<&'static str> {
    Some(match err {
        EncryptError::Refused(_) => {
            "encrypt to the recipient's encryption key (\"use\": \"enc\"): jwtk keygen --use enc makes one"
        }
        EncryptError::NotJweKey { .. } => {
            "JWE recipients are RSA, EC (P-256, P-384, P-521) or X25519 keys, or oct JWKs"
        }
        EncryptError::Unfit { .. } => {
            "RSA keys take RSA-OAEP(-256); EC and X25519 ECDH-ES(+A…KW); oct keys A…KW, A…GCMKW of their length, or dir"
        }
        EncryptError::NoDefault { .. } | EncryptError::DirLength { .. } => {
            "dir takes a key of the content key's length: 32 bytes --enc A256GCM or A128CBC-HS256, 48 A192CBC-HS384, 64 A256CBC-HS512"
        }
        EncryptError::Pinned { .. } | EncryptError::Failed(_) => return None,
    })
}

fn remote(problem: &RemoteProblem) -> Option<&'static str> {
    Some(match problem {
        RemoteProblem::Fetch {
            err: FetchError::UnknownIssuer,
            ..
        }
        | RemoteProblem::Revalidate {
            err: FetchError::UnknownIssuer,
            ..
        } => {
            "a private or corporate CA? --cacert CA.pem trusts its certificates (beside the system's)"
        }
        RemoteProblem::Revalidate { .. } => "--offline uses the cached copy as it is",
        RemoteProblem::NotCached { .. } => "run once without --offline to fill the cache",
        RemoteProblem::IssuerMismatch { .. } => {
            "give --issuer exactly as the issuer writes it (a trailing / matters)"
        }
        RemoteProblem::Fetch { .. }
        | RemoteProblem::BadBody { .. }
        | RemoteProblem::NoJwksUri { .. }
        | RemoteProblem::JwksUriNotHttps { .. }
        | RemoteProblem::NoUsableKey { .. } => return None,
    })
}

fn serve(problem: &ServeProblem) -> Option<&'static str> {
    Some(match problem {
        ServeProblem::AddrInUse { .. } => "--addr 127.0.0.1:0 picks a free port",
        ServeProblem::OpenModeNotLoopback { .. } => {
            "declare clients (--client ID, or --config FILE), or listen on 127.0.0.1"
        }
        ServeProblem::Config { .. } => {
            "the schema: {\"clients\":[{\"client_id\",\"client_secret\",\"scopes\",\"audience\",\"claims\",\"ttl\",…}],\"users\":{…}}"
        }
        ServeProblem::Listen { .. } | ServeProblem::Tls { .. } | ServeProblem::Runtime { .. } => {
            return None;
        }
    })
}

fn environment(problem: &EnvProblem) -> Option<Cow<'static, str>> {
    Some(match problem {
        EnvProblem::VarUnset { var } => {
            format!("export {var}=\"$(cat key.pem)\", or give --key FILE").into()
        }
        EnvProblem::BadClock { var } => format!("unset {var} to use the real clock").into(),
        EnvProblem::NotANumber { var } => format!("unset {var}, or set it to a number").into(),
        EnvProblem::NoKeyGiven => {
            "give --key FILE, --key-env VAR or --key-prompt, or set JWTK_KEY".into()
        }
        EnvProblem::NoVerificationKey => {
            "give the issuer's keys: --issuer URL or --jwks URL (fetched over HTTPS), --key FILE, --key-env VAR or --key-prompt, or set JWTK_KEY".into()
        }
        EnvProblem::NoTerminal { .. } => {
            "in scripts use --key FILE, --key-env VAR or JWTK_KEY".into()
        }
    })
}

fn usage(usage: &Usage) -> Option<Cow<'static, str>> {
    Some(match usage {
        Usage::OneKeySource { .. } => "give one of --key, --key-env and --key-prompt, once".into(),
        Usage::IssMismatch { .. } => {
            "leave out --iss: --issuer requires iss to be the issuer".into()
        }
        Usage::HeaderAlg => "use --alg".into(),
        Usage::ClaimsFile { .. } => "give a JSON object".into(),
        Usage::FieldOnBareToken { .. } => "leave out --field".into(),
        Usage::SeveralTokens {
            example: Some(name),
            ..
        } => format!("pick one with --field NAME, e.g. --field {name}").into(),
        Usage::SeveralTokens { example: None, .. } => "give one token at a time".into(),
        Usage::AccessToken { .. } => "give the token alone (or -, to read it from stdin)".into(),
        Usage::HmacNoPem => "use --format jwk or jwks".into(),
        Usage::HmacBits { .. } => "--bits 256, 384 or 512 (or --alg HS384 / HS512)".into(),
        Usage::BadIssuer { .. } => "e.g. --issuer https://accounts.google.com".into(),
        Usage::NeedTypeOrAlg => "give --type or --alg".into(),
        Usage::Profile(FlagProblem::Needs { needs, .. }) => format!("give {needs}").into(),
        Usage::Profile(FlagProblem::ClientIdDiffers { .. }) => {
            "give --client-id alone: it stands for --aud".into()
        }
        Usage::Profile(FlagProblem::DoesNotApply { .. }) => {
            "see which flags each profile reads: jwtk verify --help".into()
        }
        Usage::Unmintable { add, .. } if !add.is_empty() => add.join("; ").into(),
        Usage::StdinTwice { .. } => {
            "give one of them as an argument or a file (a key: --key FILE or --key-env VAR)".into()
        }
        Usage::Batch { .. }
        | Usage::NoSuchField { .. }
        | Usage::TimeoutTooShort
        | Usage::SharedBits { .. }
        | Usage::KeyMisfit { .. }
        | Usage::DpopHmac { .. }
        | Usage::RsaBits { .. }
        | Usage::AlgDoesNotFit { .. }
        | Usage::NotApplicable { .. }
        | Usage::TooFewBits { .. }
        | Usage::Unmintable { .. } => return None,
        Usage::SdPath { .. } => {
            "paths are JSON pointers into the claims: /name, /address/street, /nationalities/1"
                .into()
        }
        Usage::Needs { .. } => {
            "a KB-JWT names its verifier and that verifier's nonce (RFC 9901 §4.3)".into()
        }
    })
}
