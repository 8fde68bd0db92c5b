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

/// Everything the core can fail with: one variant (or one variant of a domain enum) per
/// failure, with typed fields. Each maps to one exit code of the contract; hints and flag
/// names are rendered at the edge (`report`), never here.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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

    /// A minted token over the size asked for (exit 1).
    #[error("the token is {size} bytes, over --max-size {max}")]
    OverMaxSize {
        /// The token's size.
        size: usize,
        /// The limit.
        max: usize,
        /// The largest claims: name and encoded size.
        largest: Vec<(String, usize)>,
    },

    /// A token that could not be decrypted (exit 1): the reason code and its one message.
    #[error("{}: {message}", reason.code())]
    NotDecrypted {
        /// The reason code.
        reason: crate::reason::Reason,
        /// The message (one for every decryption failure).
        message: String,
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
    Encrypt(#[from] EncryptError),

    /// A key that cannot serve what is asked of it (exit 3).
    #[error(transparent)]
    KeyUse(#[from] KeyUse),

    /// A keyset that cannot be edited as asked (exit 3).
    #[error(transparent)]
    Keyset(#[from] KeysetProblem),

    /// Remote keys that could not be had (exit 3).
    #[error(transparent)]
    Remote(#[from] RemoteProblem),

    /// A file could not be read or written (exit 3).
    #[error("{}: {io}", path.display())]
    File {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's reason (not a `source`: the message already shows it).
        io: std::io::Error,
    },

    /// A file jwtk refuses to write (exit 3).
    #[error(transparent)]
    Refused(#[from] FileProblem),

    /// An environment problem (exit 3).
    #[error(transparent)]
    Environment(#[from] EnvProblem),

    /// A flag value or combination that clap could not judge on its own (exit 2).
    #[error(transparent)]
    Usage(#[from] Usage),
    /// `jwtk serve` could not start (exit 3).
    #[error(transparent)]
    Serve(#[from] ServeProblem),
}

impl Error {
    /// The process exit code this error has (README, "Exit codes").
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Malformed(_)
            | Error::TooLarge { .. }
            | Error::OverMaxSize { .. }
            | Error::NotDecrypted { .. } => 1,
            Error::Usage(_) => 2,
            Error::KeyMaterial { .. }
            | Error::KeyUse(_)
            | Error::Keyset(_)
            | Error::Remote(_)
            | Error::File { .. }
            | Error::Refused(_)
            | Error::Environment(_)
            | Error::Encrypt(_)
            | Error::Serve(_) => 3,
        }
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a key cannot be encrypted to, or encrypting failed. Never quotes key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncryptError {
    /// The key's `use`, `key_ops` or kind forbid encrypting to it.
    #[error(transparent)]
    Refused(Refusal),
    /// The key is an HMAC-only kind of thing jwtk cannot encrypt to.
    #[error("{key} holds {what}, which no JWE algorithm encrypts to")]
    NotJweKey {
        /// How the key is named.
        key: String,
        /// What it holds.
        what: String,
    },
    /// The key-management algorithm does not fit the key.
    #[error("{key} holds {what}, which cannot serve {alg}")]
    Unfit {
        /// How the key is named.
        key: String,
        /// What it holds.
        what: String,
        /// The algorithm asked for.
        alg: crate::alg::jwe::KeyAlg,
    },
    /// The key's JWK `alg` pins another algorithm than the one asked for.
    #[error("{key} is for {own} only (its JWK alg), not {asked}")]
    Pinned {
        /// How the key is named.
        key: String,
        /// Its own `alg`.
        own: String,
        /// The algorithm asked for.
        asked: String,
    },
    /// A shared key whose length no key wrap has, and no `--key-alg`.
    #[error("{key} is a {len}-byte shared key: no AES key wrap has that length")]
    NoDefault {
        /// How the key is named.
        key: String,
        /// Its length in bytes.
        len: usize,
    },
    /// A `dir` key whose length is not the content key's.
    #[error("{key} is a {len}-byte key, and dir with {enc} needs exactly {need} bytes")]
    DirLength {
        /// How the key is named.
        key: String,
        /// Its length.
        len: usize,
        /// The content algorithm.
        enc: crate::alg::jwe::ContentAlg,
        /// The length it needs.
        need: usize,
    },
    /// The crypto library failed (no entropy, a recipient key it refuses).
    #[error("encrypting to {0} failed (the recipient's public key was refused)")]
    Failed(String),
}

/// Why a key may not be used for a purpose at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A public key asked to sign.
    #[error("{origin} is a public key, which cannot sign")]
    PublicCannotSign {
        /// Where the key came from.
        origin: String,
    },
    /// A public key asked to decrypt.
    #[error("{label} is a public key, which cannot decrypt (give the recipient's private key)")]
    PublicCannotDecrypt {
        /// How messages name the key.
        label: String,
    },
    /// A JWK `use` other than the purpose's.
    #[error("{label} has \"use\": {use_:?}, not {wanted:?}")]
    Use {
        /// How messages name the key.
        label: String,
        /// Its `use`.
        use_: String,
        /// The `use` the purpose needs.
        wanted: &'static str,
    },
    /// `key_ops` without the operation.
    #[error("{label}'s key_ops do not include {op:?}")]
    KeyOps {
        /// How messages name the key.
        label: String,
        /// The operation asked for.
        op: &'static str,
    },
    /// A recipient key whose `use` is not `enc`.
    #[error("{label} has \"use\": {use_:?}, not \"enc\": it is not meant for encryption")]
    NotForEncryption {
        /// How messages name the key.
        label: String,
        /// Its `use`.
        use_: String,
    },
    /// `key_ops` without any encrypting operation.
    #[error("{label}'s key_ops include none of encrypt, wrapKey, deriveKey, deriveBits")]
    NoEncryptOps {
        /// How messages name the key.
        label: String,
    },
    /// A signing-only key (Ed25519) as a recipient.
    #[error("{label} is an Ed25519 key, for signatures only (encrypt to X25519 instead)")]
    SignaturesOnly {
        /// How messages name the key.
        label: String,
    },
    /// `key_ops` without any decrypting operation.
    #[error("{label}'s key_ops include none of decrypt, unwrapKey, deriveKey, deriveBits")]
    NoDecryptOps {
        /// How messages name the key.
        label: String,
    },
    /// A key-agreement key (X25519) asked to sign or verify.
    #[error("{label} is an X25519 key, for key agreement (ECDH-ES) only: it cannot sign or verify")]
    AgreementOnly {
        /// How messages name the key.
        label: String,
    },
}

/// Why a key cannot serve an algorithm or an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyUse {
    /// Public-key material asked to serve HMAC: the key-confusion attack.
    #[error(
        "{origin} holds {holds}, and {alg} needs a shared secret: public-key material is never used as an HMAC secret (that is the key-confusion attack)"
    )]
    Confusion {
        /// Where the key came from.
        origin: String,
        /// What it holds ("an RSA 2048-bit public key").
        holds: String,
        /// The algorithm asked for.
        alg: crate::alg::Algorithm,
        /// The algorithms the key does fit.
        fits: Vec<crate::alg::Algorithm>,
    },
    /// A key of another family.
    #[error("{origin} holds {holds}, which cannot serve {alg}")]
    WrongFamily {
        /// Where the key came from.
        origin: String,
        /// What it holds.
        holds: String,
        /// The algorithm asked for.
        alg: crate::alg::Algorithm,
        /// The algorithms the key does fit.
        fits: Vec<crate::alg::Algorithm>,
    },
    /// A key whose JWK `alg` pins another algorithm.
    #[error("{label} is for {own:?} only (its JWK alg), not {alg}")]
    Pinned {
        /// How messages name the key.
        label: String,
        /// Its JWK `alg`.
        own: String,
        /// The algorithm asked for.
        alg: crate::alg::Algorithm,
        /// The algorithms the key does fit.
        fits: Vec<crate::alg::Algorithm>,
    },
    /// The key may not be used for this purpose at all.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// Key bytes the crypto library refuses for the algorithm.
    #[error("{origin} is not a valid {alg} key")]
    Invalid {
        /// Where the key came from.
        origin: String,
        /// The algorithm asked for.
        alg: crate::alg::Algorithm,
    },
    /// An `--alg` that no key given can serve.
    #[error("no key given can {op} {alg}: {why}")]
    NoKeyFor {
        /// "verify", "decrypt".
        op: &'static str,
        /// The algorithm asked for.
        alg: String,
        /// Why the first key cannot.
        why: String,
    },
    /// A set's signing key (its first) that cannot sign.
    #[error("the signing key of {origin} (its first key) cannot sign: {why}")]
    SigningKeyCannotSign {
        /// The set.
        origin: String,
        /// Why.
        why: Refusal,
    },
    /// `--kid` naming no key.
    #[error("no key with kid {kid:?} in {origin}")]
    NoSuchKid {
        /// The kid asked for (cut short).
        kid: String,
        /// Where the keys came from.
        origin: String,
        /// The kids there are.
        known: Vec<String>,
    },
    /// Nothing loaded at all.
    #[error("no key found")]
    NoKeyFound,
    /// A recipient for encryption that is no key.
    #[error("{origin} is not PEM, DER, a JWK or a JWKS")]
    RecipientNotAKey {
        /// The file.
        origin: String,
    },
    /// A holder key that is not the one an SD-JWT's `cnf.jwk` names.
    #[error("{origin} is not the holder key the credential names in cnf.jwk ({why})")]
    NotHolderKey {
        /// Where the key came from.
        origin: String,
        /// How they differ.
        why: String,
    },
    /// A DPoP proof asked of an HMAC secret.
    #[error(
        "a DPoP proof is signed with an asymmetric key and shows its public half; {origin} holds {holds} and {alg} is asked for"
    )]
    ProofNeedsAsymmetric {
        /// Where the key came from.
        origin: String,
        /// What it holds.
        holds: String,
        /// The algorithm asked for.
        alg: crate::alg::Algorithm,
    },
    /// A key that cannot decrypt anything (JWE).
    #[error("{label} holds {holds}, which cannot decrypt")]
    CannotDecrypt {
        /// How messages name the key.
        label: String,
        /// What it holds.
        holds: String,
    },
    /// A key that does not fit a JWE algorithm.
    #[error("{0}")]
    JweMismatch(String),
    /// A signature or key generation the crypto library could not make.
    #[error("{what} failed")]
    CryptoFailed {
        /// What was being done ("signing with ES256", "generating the RSA key").
        what: String,
    },
}

/// Why a keyset edit was refused; the file is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysetProblem {
    /// Not a JWKS jwtk can edit.
    #[error("{origin} is not a JWKS jwtk can edit: {why}")]
    NotEditable {
        /// The set.
        origin: String,
        /// Why.
        why: String,
    },
    /// No key with that kid.
    #[error("no key with kid {kid:?} in {origin}")]
    NoSuchKid {
        /// The kid.
        kid: String,
        /// The set.
        origin: String,
        /// The kids there are.
        kids: Vec<String>,
    },
    /// Several keys carry the kid.
    #[error("{count} keys in {origin} carry kid {kid:?}: {labels}")]
    DuplicateKid {
        /// The kid.
        kid: String,
        /// The set.
        origin: String,
        /// How many.
        count: usize,
        /// Their places.
        labels: String,
    },
    /// The kid is taken.
    #[error("{origin} already has a key with kid {kid:?}")]
    KidTaken {
        /// The kid.
        kid: String,
        /// The set.
        origin: String,
    },
    /// A private key into a set of public keys.
    #[error(
        "{origin} holds only public keys (a published set?): refusing to add a private key to it"
    )]
    PrivateIntoPublic {
        /// The set.
        origin: String,
    },
    /// Retiring the signing key or the last key without force.
    #[error("kid {kid:?} is {what} of {origin}")]
    RetireNeedsForce {
        /// The kid.
        kid: String,
        /// "the signing key", "the last key".
        what: &'static str,
        /// The set.
        origin: String,
    },
    /// A key that cannot be the signing key.
    #[error("{name} cannot be the signing key: {why}")]
    CannotPromote {
        /// The key's place.
        name: String,
        /// Why.
        why: String,
    },
    /// A new key that cannot be serialised.
    #[error("cannot serialize the new key")]
    Unserializable,
    /// A key without an RFC 7638 thumbprint to name it.
    #[error("{origin} has no RFC 7638 thumbprint")]
    NoThumbprint {
        /// Where the key came from.
        origin: String,
    },
    /// A set entry that is not one key.
    #[error("{name} is not one key")]
    NotOneKey {
        /// The key's place.
        name: String,
    },
    /// Nothing public to publish.
    #[error("{origin} has no public key to publish{why}")]
    NothingPublic {
        /// The set.
        origin: String,
        /// Why each key was left out (" (…)"), or nothing.
        why: String,
    },
    /// A key that cannot be written as a JWK.
    #[error("{origin} cannot be written as a JWK")]
    NotAJwk {
        /// Where the key came from.
        origin: String,
    },
    /// A key file that is one key, not a set (a PEM key, a JWK).
    #[error("{origin} is {what}, not a JWKS")]
    OneKeyNotASet {
        /// The file.
        origin: String,
        /// What it holds ("a PKCS#8 PEM key: an EC P-256 private key").
        what: String,
    },
    /// A key file holding several keys, for import.
    #[error("{origin} holds {count} keys; import takes one at a time")]
    ImportSeveral {
        /// The file.
        origin: String,
        /// How many keys.
        count: usize,
    },
}

/// Why remote keys could not be had (a token is then not judged: exit 3).
#[derive(Debug, thiserror::Error)]
pub enum RemoteProblem {
    /// A fetch that failed.
    #[cfg(feature = "remote")]
    #[error("fetching {url} failed: {err}")]
    Fetch {
        /// The URL.
        url: String,
        /// What failed.
        err: crate::remote::error::FetchError,
    },
    /// A stale cached copy whose revalidation failed.
    #[cfg(feature = "remote")]
    #[error("could not revalidate the cached copy of {url}: {err}")]
    Revalidate {
        /// The URL.
        url: String,
        /// What failed.
        err: crate::remote::error::FetchError,
    },
    /// Offline with nothing cached.
    #[error("no cached copy of {url} (offline, nothing is fetched)")]
    NotCached {
        /// The URL.
        url: String,
    },
    /// A body that is not what the URL should serve.
    #[error("{url}: {why}")]
    BadBody {
        /// The URL.
        url: String,
        /// What is wrong.
        why: String,
    },
    /// Discovery naming another issuer.
    #[error(
        "the discovery document at {url} names {named}, not {issuer:?} (they must be equal exactly)"
    )]
    IssuerMismatch {
        /// The document's URL.
        url: String,
        /// What it names (already quoted or described).
        named: String,
        /// The issuer asked for.
        issuer: String,
    },
    /// Discovery without `jwks_uri`.
    #[error("the discovery document at {url} has no jwks_uri")]
    NoJwksUri {
        /// The document's URL.
        url: String,
    },
    /// A `jwks_uri` that is not HTTPS.
    #[error("the discovery document at {url} gives a jwks_uri that is not HTTPS ({uri:?})")]
    JwksUriNotHttps {
        /// The document's URL.
        url: String,
        /// The `jwks_uri`.
        uri: String,
    },
    /// A set with no public key jwtk can use.
    #[error("{url} holds no usable public key")]
    NoUsableKey {
        /// The set's URL.
        url: String,
    },
}

/// Why `jwtk serve` cannot start, or cannot take a changed file.
#[derive(Debug, thiserror::Error)]
pub enum ServeProblem {
    /// The address is taken.
    #[error("{addr} is in use (another server?)")]
    AddrInUse {
        /// The address asked for.
        addr: String,
    },
    /// Any other failure to listen.
    #[error("cannot listen on {addr}: {io}")]
    Listen {
        /// The address asked for.
        addr: String,
        /// Why.
        io: std::io::Error,
    },
    /// A non-loopback address without declared clients.
    #[error(
        "{addr} is not a loopback address: serving other hosts needs declared clients (--client or a config file with clients); open mode is for loopback only"
    )]
    OpenModeNotLoopback {
        /// The address.
        addr: String,
    },
    /// A config file that does not follow the schema.
    #[error("the config file {}: {why}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong (names the member, never a secret's value).
        why: String,
    },
    /// TLS could not be set up.
    #[error("TLS: {why}")]
    Tls {
        /// What failed.
        why: String,
    },
    /// The server's threads or timers could not be made.
    #[error("cannot start the server: {why}")]
    Runtime {
        /// What failed.
        why: String,
    },
}

/// A file jwtk refuses to write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// It exists and no force was given.
    #[error("refusing to overwrite {}", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A symlink to nothing.
    #[error("{} is a symlink to {}, which does not exist", path.display(), target.display())]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },
    /// Too many links.
    #[error("{}: too many levels of symbolic links", path.display())]
    LinkLoop {
        /// The link.
        path: PathBuf,
    },
}

/// An environment problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvProblem {
    /// A variable that is not set.
    #[error("environment variable {var} is not set")]
    VarUnset {
        /// Its name.
        var: String,
    },
    /// The clock variable holding something else than epoch seconds.
    #[error("{var} is set but is not epoch seconds")]
    BadClock {
        /// Its name.
        var: &'static str,
    },
    /// A variable that must hold a whole number and holds something else.
    #[error("{var} is set but is not a whole number")]
    NotANumber {
        /// Its name.
        var: &'static str,
    },
    /// No key source at all.
    #[error("no key given")]
    NoKeyGiven,
    /// No key source at all where remote sets would do too (`verify`).
    #[error("no key given")]
    NoVerificationKey,
    /// A prompt without a terminal.
    #[error("the secret prompt needs a terminal to read the secret from ({why})")]
    NoTerminal {
        /// The system's reason.
        why: String,
    },
}

/// A flag value or combination refused (exit 2). Flags are named at the edge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Usage {
    /// Two key sources where one is taken.
    #[error("{what} takes exactly one key source")]
    OneKeySource {
        /// "mint", "a DPoP proof".
        what: &'static str,
    },
    /// A flag that applies to batch runs only, or never to them.
    #[error("{flag} {relation} --batch")]
    Batch {
        /// The flag.
        flag: &'static str,
        /// "applies only to", "does not apply to".
        relation: &'static str,
    },
    /// An expected issuer that differs from the discovery issuer.
    #[error("the expected iss differs from the discovery issuer {issuer:?}, which sets it")]
    IssMismatch {
        /// The discovery issuer.
        issuer: String,
    },
    /// An issuer that is not an absolute URL without query or fragment.
    #[error("the issuer {issuer:?} {why}")]
    BadIssuer {
        /// The issuer given.
        issuer: String,
        /// What is wrong ("is not a URL").
        why: &'static str,
    },
    /// A timeout under a second.
    #[error("the timeout must be at least 1s")]
    TimeoutTooShort,
    /// A DPoP algorithm that is not asymmetric.
    #[error("DPoP proofs are signed with asymmetric algorithms only, not {alg}")]
    DpopHmac {
        /// The algorithm.
        alg: crate::alg::Algorithm,
    },
    /// A header parameter jwtk sets itself.
    #[error("--header cannot set alg")]
    HeaderAlg,
    /// A claims file that is not a JSON object.
    #[error("the claims file {}: {why}", path.display())]
    ClaimsFile {
        /// The file.
        path: PathBuf,
        /// Why.
        why: crate::json::JsonError,
    },
    /// A field asked of a bare token.
    #[error("--field {name}: the input is a bare token, with no named fields")]
    FieldOnBareToken {
        /// The field.
        name: String,
    },
    /// A field that names no token.
    #[error("--field {name}: no token under that name; found {found}")]
    NoSuchField {
        /// The field.
        name: String,
        /// Where tokens were found.
        found: String,
    },
    /// Several distinct tokens and no field to pick one.
    #[error("the input holds {count} different tokens: {found}")]
    SeveralTokens {
        /// How many.
        count: usize,
        /// Where each was found.
        found: String,
        /// A field name that picks one, if any was found under a name.
        example: Option<String>,
    },
    /// An access token for `ath` that is no token.
    #[error("the access token {why}")]
    AccessToken {
        /// What is wrong.
        why: &'static str,
    },
    /// Flags that do not suit the profile asked for (`verify --profile`).
    #[error(transparent)]
    Profile(#[from] FlagProblem),
    /// Claims or a header that cannot make a token of the profile (`mint --profile`).
    #[error("mint --profile {profile}: {problems}")]
    Unmintable {
        /// The profile.
        profile: &'static str,
        /// Every rule the token would break, with its section.
        problems: String,
        /// What to add, one flag each ("--iss URL").
        add: Vec<String>,
    },
    /// Two inputs both read from stdin.
    #[error("{first} and {second} can't both be read from stdin")]
    StdinTwice {
        /// One input ("the token", "--key -").
        first: &'static str,
        /// The other ("--access-token -", "--claims -").
        second: &'static str,
    },
    /// An RSA size jwtk does not generate.
    #[error("RSA keys are 2048, 3072, 4096 or 8192 bits, not {bits}")]
    RsaBits {
        /// The size asked for.
        bits: usize,
    },
    /// An HMAC size out of range.
    #[error("an HMAC secret is a whole number of bytes, {min} to {max} bits; not {bits}")]
    HmacBits {
        /// The size asked for.
        bits: usize,
        /// The smallest.
        min: usize,
        /// The largest.
        max: usize,
    },
    /// An algorithm that does not fit the key type.
    #[error("{alg} does not fit a {family} key")]
    AlgDoesNotFit {
        /// The algorithm.
        alg: String,
        /// The key family.
        family: String,
    },
    /// A shared encryption key of a size no JWE algorithm takes.
    #[error(
        "a shared encryption key is 128, 192 or 256 bits (AES key wrap), or 384 or 512 (dir with A192CBC-HS384, A256CBC-HS512); not {bits}"
    )]
    SharedBits {
        /// The size asked for.
        bits: usize,
    },
    /// A key type, use and algorithm that do not go together.
    #[error("{why}")]
    KeyMisfit {
        /// What does not fit.
        why: String,
    },
    /// An HMAC key asked for in PEM.
    #[error("an HMAC secret has no PEM form")]
    HmacNoPem,
    /// keygen without a type.
    #[error("the key type is needed: give a type or an algorithm")]
    NeedTypeOrAlg,
    /// A flag that does not apply to the key type.
    #[error("{what} does not apply to {kind}")]
    NotApplicable {
        /// The flag.
        what: &'static str,
        /// The key type.
        kind: String,
    },
    /// A secret size under what the algorithm needs.
    #[error("{alg} needs at least {min} bits")]
    TooFewBits {
        /// The algorithm.
        alg: String,
        /// The minimum.
        min: usize,
    },
    /// An SD-JWT path (`mint --sd`, `present --disclose`) that can't be used.
    #[error("{flag}: {why}")]
    SdPath {
        /// The flag.
        flag: &'static str,
        /// What is wrong with the path.
        why: String,
    },
    /// A flag that needs others beside it.
    #[error("{flag} needs {needs}")]
    Needs {
        /// The flag given.
        flag: &'static str,
        /// What must come with it.
        needs: &'static str,
    },
}

/// What the verifier's flags get wrong for a profile (a usage error, exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagProblem {
    /// The audience flag the profile makes mandatory is missing.
    #[error("--profile {profile} needs {needs}: {why}")]
    Needs {
        /// The profile.
        profile: &'static str,
        /// "--aud", "--client-id or --aud".
        needs: &'static str,
        /// Why, with the section.
        why: &'static str,
    },
    /// A flag none of the profile's rules reads.
    #[error("{flag} does not apply to --profile {profile}")]
    DoesNotApply {
        /// The flag.
        flag: &'static str,
        /// The profile.
        profile: &'static str,
    },
    /// `--aud` and `--client-id` naming different audiences.
    #[error(
        "--client-id {client_id:?} differs from --aud {aud:?}: for an ID token they name the same audience"
    )]
    ClientIdDiffers {
        /// `--client-id`.
        client_id: String,
        /// The `--aud` that differs.
        aud: String,
    },
}

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
    /// An OpenSSH private key protected by a passphrase.
    #[error("the OpenSSH private key is encrypted (it has a passphrase)")]
    OpenSshEncrypted,
    /// Several OpenSSH public keys (an `authorized_keys` file).
    #[error("holds {count} OpenSSH public keys; a key file holds one")]
    OpenSshSeveral {
        /// How many different keys.
        count: usize,
    },
    /// A JSON array where a JWK Set is an object.
    #[error("is a JSON array; a JWK Set is an object: {{\"keys\": [...]}}")]
    JsonArray,
    /// Text with a JSON key inside, such as an HTTP response saved with its headers.
    #[error(
        "holds a JSON key after other text (an HTTP response with its headers, or NAME={{…}}?)"
    )]
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
        encoding: crate::keys::input::encoding::SecretEncoding,
    },
    /// Text that is not valid in the encoding asked for.
    #[error("the secret is not valid {}", encoding.name())]
    SecretNotEncoded {
        /// The encoding asked for.
        encoding: crate::keys::input::encoding::SecretEncoding,
    },
    /// `--secret-encoding` produced key material, not a secret.
    #[error("decoded as {}, the secret is key material (DER or PEM), not an HMAC secret", encoding.name())]
    EncodedKeyMaterial {
        /// The encoding used.
        encoding: crate::keys::input::encoding::SecretEncoding,
    },
    /// Base64 of a PEM (a Kubernetes secret's data, say).
    #[error("is base64 of a PEM key or certificate")]
    EncodedPem,
    /// Key material inside other text: a base64, hex or percent-encoded run that decodes to a
    /// key (an env-file line `PUBLIC_KEY=…`, a URL parameter).
    #[error(
        "line {line} holds {}{form}: key material is never an HMAC secret",
        if *percent_encoded { "percent-encoded " } else { "" }
    )]
    EmbeddedKey {
        /// What the run is ("base64 of a DER key").
        form: &'static str,
        /// The line it starts on, from 1.
        line: usize,
        /// Whether it was found once the text's `%XX` escapes were decoded.
        percent_encoded: bool,
    },
    /// A key printed as text by `openssl … -text` (or `-modulus`).
    #[error(
        "is a key printed as text (openssl -text output, line {line}), which is never an HMAC secret"
    )]
    KeyDump {
        /// The line that shows it, from 1.
        line: usize,
    },
    /// An `oct` JWK whose `k` is key material, not a secret.
    #[error("the oct key's k is key material (DER or PEM), not an HMAC secret")]
    OctIsKeyMaterial,
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
    /// A `--key` value that names no file and may be a secret: never shown.
    #[error(
        "names no file (the value has {}; it is not shown, in case it is a secret)",
        crate::text::count(*chars, "character")
    )]
    NotAFile {
        /// The value's length.
        chars: usize,
    },
    /// A `--key` path (it ends with a key file's extension) that is not there.
    #[error("no such file")]
    NoSuchFile,
    /// A URL given as `--key`.
    #[error("is a URL, and --key reads a file")]
    UrlNotFile,
    /// A key file with nothing in it.
    #[error("{}", if *whitespace { "holds nothing but whitespace: there is no key in it" } else { "is an empty file: there is no key in it" })]
    EmptyFile {
        /// Whether it holds whitespace (else no byte at all).
        whitespace: bool,
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
