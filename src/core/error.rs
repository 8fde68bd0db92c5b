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
    /// A JWE's encrypted key, its second segment.
    EncryptedKey,
    /// A JWE's initialization vector, its third segment.
    Iv,
    /// A JWE's ciphertext, its fourth segment.
    Ciphertext,
    /// A JWE's authentication tag, its fifth segment.
    Tag,
}

impl Part {
    /// The lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Part::Token => "token",
            Part::Header => "header",
            Part::Claims => "claims",
            Part::Signature => "signature",
            Part::EncryptedKey => "encrypted key",
            Part::Iv => "iv",
            Part::Ciphertext => "ciphertext",
            Part::Tag => "tag",
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

    /// Key material refused (exit 3): where it came from and why, never its bytes.
    #[error("{origin}: {problem}")]
    KeyMaterial {
        /// Where the material came from: a path, `$VAR`, "the prompt", "key #2 of k.jwks".
        origin: String,
        /// What is wrong.
        problem: KeyProblem,
    },

    /// A key that cannot be encrypted to, or encrypting failed (exit 3).
    #[error(transparent)]
    Encrypt(#[from] crate::core::jwe::encrypt::EncryptError),

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
            Error::Key { .. }
            | Error::File { .. }
            | Error::KeyMaterial { .. }
            | Error::Encrypt(_) => 3,
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
            Error::KeyMaterial { problem, .. } => problem.hint(),
            Error::Encrypt(err) => err.hint(),
            Error::Malformed(_) | Error::File { .. } => None,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why key material was refused. Messages name members, positions and kinds, never values:
/// nothing here ever holds key bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    /// A UTF-16 byte-order mark not followed by UTF-16 text.
    #[error("starts with a UTF-16 byte-order mark but is not UTF-16 text")]
    Utf16NotText,
    /// `-----BEGIN ` that opens no well-formed PEM block.
    #[error("holds a PEM armour line (-----BEGIN) but no well-formed PEM block")]
    PemDamaged {
        /// The text kept the quotes or `\n` escapes of an env file or JSON string.
        quoted: bool,
    },
    /// A PEM block of a kind that is no key jwtk reads.
    #[error("a PEM {tag:?} block is not a key jwtk reads")]
    PemNotKey {
        /// The block's label (cut short).
        tag: String,
    },
    /// An encrypted private key.
    #[error("the private key is encrypted")]
    PemEncrypted,
    /// PEM blocks that are not one key (two keys, a key and someone else's certificate).
    #[error(
        "holds {count} PEM blocks that are not one key (a private key with its own public key or certificate, or one certificate chain)"
    )]
    PemSeveral {
        /// How many blocks.
        count: usize,
    },
    /// An OpenSSH key.
    #[error("is an OpenSSH key, which JOSE does not read")]
    OpenSsh,
    /// A JSON array where a JWK Set is an object.
    #[error("is a JSON array; a JWK Set is an object: {{\"keys\": [...]}}")]
    JsonArray,
    /// Text with a JSON key inside, such as an HTTP response saved with its headers.
    #[error("holds a JSON key after other text (an HTTP response with its headers?)")]
    TextAroundJson,
    /// Text starting with `{` that is not valid JSON.
    #[error("looks like JSON but is {0}")]
    BadJson(String),
    /// A JSON object that is neither a JWK nor a JWKS.
    #[error("is JSON that is neither a JWK (no \"kty\") nor a JWKS (no \"keys\")")]
    JsonNotKey,
    /// Binary bytes where `--secret-encoding` wants text.
    #[error("is not text, so it cannot be {}", encoding.name())]
    SecretNotText {
        /// The encoding asked for.
        encoding: crate::core::keyinput::SecretEncoding,
    },
    /// Text that is not valid in the encoding asked for.
    #[error("the secret is not valid {}", encoding.name())]
    SecretNotEncoded {
        /// The encoding asked for.
        encoding: crate::core::keyinput::SecretEncoding,
    },
    /// `--secret-encoding` produced key material, not a secret.
    #[error("decoded as {}, the secret is key material (DER or PEM), not an HMAC secret", encoding.name())]
    EncodedKeyMaterial {
        /// The encoding used.
        encoding: crate::core::keyinput::SecretEncoding,
    },
    /// An empty secret.
    #[error("the secret is empty")]
    EmptySecret,
    /// DER followed by more bytes.
    #[error("is DER followed by {extra} trailing bytes")]
    DerTrailing {
        /// How many bytes follow the structure.
        extra: usize,
    },
    /// DER-shaped bytes that are no key structure jwtk reads.
    #[error("is DER-shaped but not a key, public key or certificate jwtk reads")]
    DerNotKey,
    /// A key of an algorithm, curve or kind jwtk does not support.
    #[error("{0}")]
    Unsupported(String),
    /// An RSA key outside 2048–8192 bits.
    #[error("RSA key of {bits} bits: keys {} are refused", if *.bits < 2048 { "under 2048 bits" } else { "over 8192 bits" })]
    RsaSize {
        /// The modulus size.
        bits: usize,
    },
    /// A key the crypto library refused.
    #[error("invalid {what}")]
    Invalid {
        /// What it was meant to be ("RSA private key").
        what: String,
    },
    /// An EC point not on its curve.
    #[error("the point is not on {curve}")]
    NotOnCurve {
        /// The curve's name.
        curve: &'static str,
    },
    /// A small-order Ed25519 public key.
    #[error("the Ed25519 public key is a small-order point, which would accept forged signatures")]
    WeakEd25519,
    /// A JWK member missing or wrong.
    #[error("JWK member {member:?} {fault}")]
    Member {
        /// The member's name.
        member: String,
        /// What is wrong with it.
        fault: MemberFault,
    },
    /// Private members that do not belong to the public ones.
    #[error("the private key (d) does not match the public key")]
    Mismatch,
    /// An unknown `kty`.
    #[error("unsupported kty {0:?}")]
    UnknownKty(String),
    /// An unknown `crv`.
    #[error("unsupported curve {0:?}")]
    UnknownCurve(String),
    /// A key meant only for encryption.
    #[error("is meant for encryption only ({0})")]
    EncryptionOnly(String),
    /// A key meant only for signatures, in a set read for decryption.
    #[error("is meant for signatures only ({0})")]
    SigningOnly(String),
    /// A public key where a private key is needed to decrypt.
    #[error("is a public key, which cannot decrypt")]
    PublicOnly,
    /// An X25519 key where a signing or verifying key is needed.
    #[error("the key is for X25519, a key-agreement key (ECDH-ES), which cannot sign or verify")]
    AgreementOnly,
    /// A JWKS without keys.
    #[error("the JWKS holds no keys")]
    EmptySet,
    /// A JWKS none of whose keys jwtk can use.
    #[error("no key in the JWKS is usable: {}", .0.join("; "))]
    NoUsableKey(Vec<String>),
    /// Raw bytes offered to `verify` without saying they are an HMAC secret.
    #[error(
        "is not PEM, DER, a JWK or a JWKS, and verify never takes raw bytes as an HMAC secret unless told"
    )]
    RawSecretNotAllowed,
    /// `--key` names no file.
    #[error(
        "--key names no file (the value has {chars} characters; it is not shown, in case it is a secret)"
    )]
    NoSuchFile {
        /// The value's length.
        chars: usize,
    },
    /// A private or secret member where only a public key belongs.
    #[error("holds the private member {0:?}: only a public key belongs here")]
    PrivateMember(String),
    /// A key file over the size cap.
    #[error("is larger than 1 MiB, which no key is")]
    TooLarge,
}

/// What is wrong with one JWK member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MemberFault {
    /// Absent.
    #[error("is missing")]
    Missing,
    /// Not a JSON string (or, for `key_ops`, not an array of strings).
    #[error("has the wrong JSON type")]
    WrongType,
    /// Not base64url without padding.
    #[error("is not base64url without padding")]
    NotBase64Url,
    /// The wrong length for its curve.
    #[error("is {got} bytes where {expected} are needed")]
    Length {
        /// The length the curve needs.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// Empty.
    #[error("is empty")]
    Empty,
}

impl KeyProblem {
    /// What to do about it, where something helps.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
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
            KeyProblem::OpenSsh => {
                "convert it to PEM: ssh-keygen -e -m PKCS8 -f key.pub > key.pem (a private key: ssh-keygen -p -m PKCS8 -f key)"
            }
            KeyProblem::JsonArray => "wrap the keys: {\"keys\": [ ... ]}",
            KeyProblem::TextAroundJson => "save only the JSON body (curl without -i)",
            KeyProblem::SecretNotText { .. } | KeyProblem::SecretNotEncoded { .. } => {
                "leave out --secret-encoding to use the bytes as they are"
            }
            KeyProblem::EncodedKeyMaterial { .. } | KeyProblem::DerTrailing { .. } => {
                "give the key file itself (PEM, DER, JWK or JWKS)"
            }
            KeyProblem::RsaSize { .. } => "generate a new one: jwtk keygen --type rsa",
            KeyProblem::EmptySecret => {
                "an HMAC key needs at least 32 random bytes: jwtk keygen --type hmac"
            }
            KeyProblem::RawSecretNotAllowed => {
                "if it is an HMAC secret, say so: --alg HS256 (or --secret-encoding, or --key-prompt)"
            }
            KeyProblem::NoSuchFile { .. } => {
                "a secret belongs in a file or an environment variable: --key-env VAR, or --key-prompt"
            }
            _ => return None,
        })
    }
}
