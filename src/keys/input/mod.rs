//! What a key input is, decided before anything is loaded, and failing closed: the one answer
//! to "is this key material?" that every source (file, environment, prompt) and every
//! `--secret-encoding` goes through.
//!
//! The pipeline: bytes → unwrap the text (a UTF-8 byte-order mark skipped, UTF-16 decoded) →
//! classify as PEM (armour anywhere in the text), an OpenSSH public key (a line, or RFC 4716), JSON (must be a JWK or a
//! JWKS), DER (by shape: a SEQUENCE spanning the input), base64/hex of DER, key material
//! inside other text (`embedded`: refused), or else a raw secret. Anything that looks like
//! key material but does not load is an error, never a secret: public-key material must never
//! become an HMAC key (RFC 8725 §3.1).

mod embedded;
pub mod encoding;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::KeyProblem;

pub use encoding::SecretEncoding;

/// What the input holds.
pub enum Found {
    /// PEM blocks (text around them skipped), at least one.
    Pem(Vec<pem::Pem>),
    /// DER bytes (binary, or decoded from base64/hex text), not yet known to load.
    Der(Zeroizing<Vec<u8>>),
    /// An OpenSSH public key line's key blob (the base64 word, decoded).
    SshPublic(Vec<u8>),
    /// A JSON object carrying `kty` (a JWK) or `keys` (a JWKS).
    Json(serde_json::Map<String, Value>),
    /// A raw secret: the bytes for HMAC.
    Secret(Zeroizing<Vec<u8>>),
}

/// The classified input and what the user should be told about how it was read.
pub struct Detected {
    /// What it is.
    pub found: Found,
    /// Notes for stderr ("removed the trailing newline", "skipped a byte-order mark").
    pub notes: Vec<String>,
}

/// Classify key material. `encoding` is the `--secret-encoding` the user gave, if any.
///
/// The order is the fail-closed one: armour anywhere (whatever bytes surround it), then what
/// valid UTF-8 can hold (OpenSSH keys, JSON, base64/hex of key material), then DER by shape;
/// only what is none of these is a secret.
pub fn detect(raw: &[u8], encoding: Option<SecretEncoding>) -> Result<Detected, KeyProblem> {
    let mut notes = Vec::new();
    let bytes = unwrap_text(raw, &mut notes)?;
    if has_armour(&bytes) {
        return Ok(Detected {
            found: Found::Pem(pem_blocks(&bytes)?),
            notes,
        });
    }
    let found = match std::str::from_utf8(&bytes) {
        Ok(text) => classify_utf8(text, encoding, &mut notes)?,
        Err(_) => classify_binary(&bytes, encoding)?,
    };
    Ok(Detected { found, notes })
}

/// Whether bytes are key material in any form jwtk recognises: PEM armour, DER (exactly, or
/// a key structure followed by stray bytes), base64 or hex text of either, or text with key
/// material inside it. The one answer to "may these bytes be an HMAC secret?" — no.
pub fn is_key_material(bytes: &[u8]) -> bool {
    has_armour(bytes)
        || der_span(bytes).is_some()
        || der_key_prefix(bytes).is_some()
        || std::str::from_utf8(bytes)
            .is_ok_and(|text| matches!(encoded_key(text), Ok(Some(_)) | Err(_)))
        || embedded::find_in_bytes(bytes).is_some()
}

/// A PEM armour line, loosely: `BEGIN` after four or more dashes, in any case. A loose match
/// that is not well-formed PEM is refused, never a secret.
fn has_armour(bytes: &[u8]) -> bool {
    armour_lines(bytes) > 0
}

/// How many armour lines the bytes hold, by the loose rule of [`has_armour`].
fn armour_lines(bytes: &[u8]) -> usize {
    bytes
        .windows(6)
        .enumerate()
        .filter(|(i, w)| {
            w.eq_ignore_ascii_case(b"begin ")
                && *i >= 4
                && bytes[i - 4..*i].iter().all(|&b| b == b'-')
        })
        .count()
}

/// A UTF-8 byte-order mark is skipped; a UTF-16 one means UTF-16 text, decoded to UTF-8 (or
/// refused when what follows is not text). Other bytes are returned as they are.
fn unwrap_text(raw: &[u8], notes: &mut Vec<String>) -> Result<Zeroizing<Vec<u8>>, KeyProblem> {
    if let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF") {
        notes.push("skipped a UTF-8 byte-order mark".into());
        return Ok(Zeroizing::new(rest.to_vec()));
    }
    let little = match raw {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return Ok(Zeroizing::new(raw.to_vec())),
    };
    let body = &raw[2..];
    if !body.len().is_multiple_of(2) {
        return Err(KeyProblem::Utf16NotText);
    }
    let units: Zeroizing<Vec<u16>> = Zeroizing::new(
        body.chunks_exact(2)
            .map(|pair| {
                let pair = [pair[0], pair[1]];
                if little {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect(),
    );
    let text = Zeroizing::new(String::from_utf16(&units).map_err(|_| KeyProblem::Utf16NotText)?);
    if !is_text(&text) {
        return Err(KeyProblem::Utf16NotText);
    }
    notes.push(format!(
        "decoded UTF-16{} text (save key files as UTF-8)",
        if little { "LE" } else { "BE" }
    ));
    Ok(Zeroizing::new(text.as_bytes().to_vec()))
}

/// Text: no control characters but tab, line feed and carriage return. DER always holds some
/// (its tags and short lengths), so DER is never text.
fn is_text(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn classify_utf8(
    text: &str,
    encoding: Option<SecretEncoding>,
    notes: &mut Vec<String>,
) -> Result<Found, KeyProblem> {
    if let Some(blob) = openssh_public(text)? {
        return Ok(Found::SshPublic(blob));
    }
    if let Some(json) = json_key(text)? {
        return Ok(Found::Json(json));
    }
    if let Some(der) = encoded_key(text)? {
        return match encoding {
            None => Ok(Found::Der(der)),
            Some(encoding) => Err(KeyProblem::EncodedKeyMaterial { encoding }),
        };
    }
    if !is_text(text) {
        return classify_binary(text.as_bytes(), encoding);
    }
    if let Some(problem) = embedded::find(text) {
        return Err(problem);
    }
    secret_from_text(text, encoding, notes).map(Found::Secret)
}

fn classify_binary(bytes: &[u8], encoding: Option<SecretEncoding>) -> Result<Found, KeyProblem> {
    if der_span(bytes).is_some() {
        return Ok(Found::Der(Zeroizing::new(bytes.to_vec())));
    }
    if let Some(span) = der_key_prefix(bytes) {
        return Err(KeyProblem::DerTrailing {
            extra: bytes.len() - span,
        });
    }
    // Text around a key need not be UTF-8 (a Latin-1 comment) or free of control bytes.
    if let Some(problem) = embedded::find_in_bytes(bytes) {
        return Err(problem);
    }
    match encoding {
        None => Ok(Found::Secret(Zeroizing::new(bytes.to_vec()))),
        Some(encoding) => Err(KeyProblem::SecretNotText { encoding }),
    }
}

/// Every PEM block in the input; bytes around the blocks are skipped. An armour line that
/// does not open a well-formed block makes the whole input an error.
fn pem_blocks(bytes: &[u8]) -> Result<Vec<pem::Pem>, KeyProblem> {
    let text = String::from_utf8_lossy(bytes);
    let damaged = || KeyProblem::PemDamaged {
        quoted: looks_quoted(&text),
    };
    let blocks = pem::parse_many(bytes).map_err(|_| damaged())?;
    if blocks.is_empty() || blocks.len() != armour_lines(bytes) {
        return Err(damaged());
    }
    Ok(blocks)
}

/// A PEM that kept the quotes or `\n` escapes of an env file or a JSON string.
fn looks_quoted(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.starts_with(['"', '\'']) || trimmed.contains("\\n")
}

/// An OpenSSH public key line (`ssh-ed25519 AAAA… comment`, `authorized_keys` options before
/// it, comments around it, its base64 alone as in `NAME=AAAA…` or in quotes), or the RFC 4716
/// form `ssh-keygen -e` writes: the key blob, recognised by the wire encoding of its key type
/// rather than by a list of names. Two different keys are an error: one key per file. A word
/// that starts like a key blob but is none whole (cut, or wrapped over lines) is an error, never
/// a secret.
fn openssh_public(text: &str) -> Result<Option<Vec<u8>>, KeyProblem> {
    if let Some(blob) = rfc4716_blob(text)? {
        return Ok(Some(blob));
    }
    let mut blobs: Vec<Vec<u8>> = Vec::new();
    // Words of base64 characters (`=` padding aside): a key after `NAME=`, in quotes or in a
    // URL is one too.
    let words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'));
    for word in words.filter(|w| w.starts_with("AAAA")) {
        let blob = match STANDARD_NO_PAD.decode(word) {
            Ok(blob) if crate::keys::openssh::is_key_blob(&blob) => blob,
            _ if starts_like_key_blob(word) => return Err(cut_ssh_key()),
            _ => continue,
        };
        if !blobs.contains(&blob) {
            blobs.push(blob);
        }
    }
    match blobs.len() {
        0 => Ok(None),
        1 => Ok(blobs.pop()),
        count => Err(KeyProblem::OpenSshSeveral { count }),
    }
}

/// Whether a base64 word starts with the wire encoding of an SSH key type (its first 16
/// characters are 12 whole bytes: the type's length and the start of its name).
fn starts_like_key_blob(word: &str) -> bool {
    word.get(..16)
        .and_then(|start| STANDARD_NO_PAD.decode(start).ok())
        .is_some_and(|start| crate::keys::openssh::is_key_blob(&start))
}

fn cut_ssh_key() -> KeyProblem {
    KeyProblem::Invalid {
        what: "OpenSSH public key (its base64 is cut short or wrapped over lines)".into(),
    }
}

/// RFC 4716 §3 (`---- BEGIN SSH2 PUBLIC KEY ----`, header lines `Tag: value` continued by a
/// trailing `\`, then the key blob's base64 over lines, `---- END SSH2 PUBLIC KEY ----`): the
/// blob. `None` without the begin marker; an error when what follows is no key blob.
fn rfc4716_blob(text: &str) -> Result<Option<Vec<u8>>, KeyProblem> {
    const BEGIN: &str = "BEGIN SSH2 PUBLIC KEY";
    let mut lines = text.lines().map(str::trim);
    if !lines.any(|line| line.to_ascii_uppercase().contains(BEGIN)) {
        return Ok(None);
    }
    let mut body = Zeroizing::new(String::new());
    let mut continued = false;
    for line in lines {
        if line.starts_with("----") {
            break;
        }
        if continued || line.contains(':') {
            continued = line.ends_with('\\');
            continue;
        }
        body.push_str(line);
    }
    match STANDARD_NO_PAD.decode(body.trim_end_matches('=')) {
        Ok(blob) if crate::keys::openssh::is_key_blob(&blob) => Ok(Some(blob)),
        _ => Err(KeyProblem::Invalid {
            what: "OpenSSH public key (RFC 4716)".into(),
        }),
    }
}

/// JSON key material, or an error for JSON that is not one: text that starts with `{` or `[`,
/// or holds a line with a `{` followed by the name `kty` or `keys` (an HTTP response saved
/// with its headers, `NAME={…}` in an env file, a YAML value, quotes escaped or not). `None`
/// for text that is no JSON at all.
fn json_key(text: &str) -> Result<Option<serde_json::Map<String, Value>>, KeyProblem> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return Err(KeyProblem::JsonArray);
    }
    if !trimmed.starts_with('{') {
        let embedded = text.lines().any(|line| {
            let Some(brace) = line.find('{') else {
                return false;
            };
            let json: Zeroizing<String> =
                Zeroizing::new(line[brace..].chars().filter(|&c| c != '\\').collect());
            json.contains("\"kty\"") || json.contains("\"keys\"")
        });
        return if embedded {
            Err(KeyProblem::TextAroundJson)
        } else {
            Ok(None)
        };
    }
    let value = crate::json::parse_value(trimmed.as_bytes())
        .map_err(|e| KeyProblem::BadJson(e.to_string()))?;
    match value {
        Value::Object(map) if map.contains_key("keys") || map.contains_key("kty") => Ok(Some(map)),
        _ => Err(KeyProblem::JsonNotKey),
    }
}

/// Text that is base64 (either alphabet) or hex of key material: the whole text (line breaks,
/// quotes and `:` separators aside), or one word of it (a comment beside it). DER-shaped bytes
/// are returned to be loaded as DER; base64 of a PEM is refused (decode it first).
fn encoded_key(text: &str) -> Result<Option<Zeroizing<Vec<u8>>>, KeyProblem> {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    let words = text.split_ascii_whitespace().filter(|w| w.len() >= 40);
    for candidate in std::iter::once(compact.as_str()).chain(words) {
        let candidate = candidate.trim_matches(|c| matches!(c, '"' | '\'' | ',' | ';'));
        for decoded in decodings(candidate) {
            if der_span(&decoded).is_some() || der_key_prefix(&decoded).is_some() {
                return Ok(Some(decoded));
            }
            if has_armour(&decoded) {
                return Err(KeyProblem::EncodedPem);
            }
        }
    }
    Ok(None)
}

/// What a word could decode to: hex (`:` separators allowed, either case), base64, base64url.
fn decodings(word: &str) -> impl Iterator<Item = Zeroizing<Vec<u8>>> {
    let unpadded = word.trim_end_matches('=');
    let hex: String = word.chars().filter(|&c| c != ':').collect();
    [
        decode_hex(&hex.to_ascii_lowercase()),
        STANDARD_NO_PAD.decode(unpadded).ok(),
        URL_SAFE_NO_PAD.decode(unpadded).ok(),
    ]
    .into_iter()
    .flatten()
    .map(Zeroizing::new)
}

/// A key structure (SPKI, PKCS#8, PKCS#1, SEC1, a certificate) at the start of `bytes`,
/// followed by anything: the length of the structure.
pub fn der_key_prefix(bytes: &[u8]) -> Option<usize> {
    use pkcs8::der::Decode;
    let total = declared_len(bytes)?;
    let der = bytes.get(..total)?;
    let is_key = spki::SubjectPublicKeyInfoRef::from_der(der).is_ok()
        || pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        || pkcs1::RsaPublicKeyRef::from_der(der).is_ok()
        || pkcs1::RsaPrivateKey::<pkcs1::UintRef>::from_der(der).is_ok()
        || sec1::EcPrivateKey::from_der(der).is_ok()
        || x509_cert::Certificate::from_der(der).is_ok();
    is_key.then_some(total)
}

/// The secret a text stands for: one trailing newline removed (with a note), then decoded as
/// `encoding` says. Decoded bytes that are key material are refused.
fn secret_from_text(
    text: &str,
    encoding: Option<SecretEncoding>,
    notes: &mut Vec<String>,
) -> Result<Zeroizing<Vec<u8>>, KeyProblem> {
    let mut text = text;
    if let Some(rest) = text.strip_suffix('\n') {
        text = rest.strip_suffix('\r').unwrap_or(rest);
        notes.push(
            "removed the trailing newline from the secret (`echo s3cret > file` means s3cret)"
                .into(),
        );
    }
    let compact = || -> Zeroizing<String> {
        Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect())
    };
    let bytes = match encoding {
        None | Some(SecretEncoding::Utf8) => Some(text.as_bytes().to_vec()),
        Some(SecretEncoding::Base64) => {
            STANDARD_NO_PAD.decode(compact().trim_end_matches('=')).ok()
        }
        Some(SecretEncoding::Base64Url) => {
            URL_SAFE_NO_PAD.decode(compact().trim_end_matches('=')).ok()
        }
        Some(SecretEncoding::Hex) => decode_hex(&compact()),
    };
    let Some(bytes) = bytes.map(Zeroizing::new) else {
        return Err(KeyProblem::SecretNotEncoded {
            encoding: encoding.unwrap_or(SecretEncoding::Utf8),
        });
    };
    if let Some(encoding) = encoding
        && is_key_material(&bytes)
    {
        return Err(KeyProblem::EncodedKeyMaterial { encoding });
    }
    if bytes.is_empty() {
        return Err(KeyProblem::EmptySecret);
    }
    Ok(bytes)
}

/// How DER-shaped bytes end: the length a leading SEQUENCE declares (header included), when it
/// spans the input to within 16 bytes. `None` for bytes that are no DER at all.
pub fn der_span(bytes: &[u8]) -> Option<usize> {
    let total = declared_len(bytes)?;
    (total.abs_diff(bytes.len()) <= 16).then_some(total)
}

/// The length a leading SEQUENCE declares, header included.
fn declared_len(bytes: &[u8]) -> Option<usize> {
    let (&tag, rest) = bytes.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, 2 + count)
    };
    (len > 0).then_some(header + len)
}

/// Strict hexadecimal: an even number of hex digits, nothing else.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(bytes: &[u8], encoding: Option<SecretEncoding>) -> Result<&'static str, KeyProblem> {
        detect(bytes, encoding).map(|d| match d.found {
            Found::Pem(_) => "pem",
            Found::Der(_) => "der",
            Found::Json(_) => "json",
            Found::SshPublic(_) => "ssh",
            Found::Secret(_) => "secret",
        })
    }

    #[test]
    fn der_shape() {
        assert_eq!(der_span(&[0x30, 0x03, 1, 2, 3]), Some(5));
        assert_eq!(
            der_span(&[0x30, 0x82, 0x01, 0x00]),
            None,
            "declares 260 bytes, has 4"
        );
        assert_eq!(
            der_span(b"0123456789abcdef"),
            None,
            "text '0' then a length far off"
        );
        assert_eq!(der_span(&[0x31, 0x01, 0]), None);
    }

    #[test]
    fn hex_is_strict() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex(""), None);
    }

    #[test]
    fn texts_that_are_not_secrets() {
        assert_eq!(
            kind(b"comment\n-----BEGIN X-----\nAAAA\n-----END X-----\n", None).unwrap(),
            "pem"
        );
        assert_eq!(
            kind(
                b"# begin of rotation\n-----BEGIN X-----\nAAAA\n-----END X-----\n",
                None
            )
            .unwrap(),
            "pem",
            "prose that says begin is no armour line"
        );
        assert!(matches!(
            kind(b"-----BEGIN PUBLIC KEY-----\nMII", None),
            Err(KeyProblem::PemDamaged { .. })
        ));
        assert!(matches!(
            kind(b"[{\"kty\":\"oct\"}]", None),
            Err(KeyProblem::JsonArray)
        ));
        assert!(matches!(
            kind(b"HTTP/1.1 200 OK\r\n\r\n{\"keys\":[]}", None),
            Err(KeyProblem::TextAroundJson)
        ));
        assert!(matches!(
            kind(b"{\"a\":1}", None),
            Err(KeyProblem::JsonNotKey)
        ));
        let ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host";
        assert_eq!(kind(ssh.as_bytes(), None).unwrap(), "ssh");
        let two = format!(
            "{ssh}\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJlO"
        );
        assert!(matches!(
            kind(two.as_bytes(), None),
            Err(KeyProblem::OpenSshSeveral { count: 2 })
        ));
        assert!(matches!(
            kind(b"\xFF\xFE\x00\xD8", None),
            Err(KeyProblem::Utf16NotText)
        ));
        assert_eq!(
            kind(b"s3cret-but-a-long-one-of-32-bytes\n", None).unwrap(),
            "secret"
        );
        assert_eq!(kind(b"{\xff\x00 binary", None).unwrap(), "secret");
    }

    #[test]
    fn secret_encodings_allow_line_breaks_and_refuse_key_material() {
        let d = detect(
            b"c2VjcmV0LXNl\nY3JldC1zZWNy\nZXQ=\n",
            Some(SecretEncoding::Base64),
        )
        .unwrap();
        assert!(matches!(d.found, Found::Secret(s) if s.as_slice() == b"secret-secret-secret"));
        let der_hex = "3003020101";
        assert!(matches!(
            detect(der_hex.as_bytes(), Some(SecretEncoding::Hex)),
            Err(KeyProblem::EncodedKeyMaterial { .. })
        ));
        assert_eq!(kind(der_hex.as_bytes(), None).unwrap(), "der");
    }
}
