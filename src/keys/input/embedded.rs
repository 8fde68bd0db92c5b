//! Key material inside text that is no key file, found before the text could become an HMAC
//! secret: a base64 or hex run that decodes to a key structure (an env-file line
//! `PUBLIC_KEY=<base64 SPKI>`, a YAML value, base64 wrapped over lines below a comment), the
//! same once percent-decoded (a key passed in a URL), and a key printed by `openssl … -text`.
//!
//! A run counts only when a whole key structure parses from it ([`der_key_prefix`]): random
//! secrets, which are full of base64 and hex runs of random bytes, are never taken for keys.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use super::{declared_len, decode_hex, der_key_prefix, has_armour};
use crate::error::KeyProblem;

/// The smallest key structure: an X25519 or Ed25519 SubjectPublicKeyInfo (RFC 8410 §4).
const MIN_KEY_BYTES: usize = 44;

/// Base64 as it is found in text: no padding needed, stray bits after the last byte allowed
/// (a run may go on past the key it starts with).
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// [`find`] in bytes that need not be UTF-8 (a Latin-1 comment, control bytes): the text they
/// hold, invalid sequences replaced.
pub(super) fn find_in_bytes(bytes: &[u8]) -> Option<KeyProblem> {
    find(&Zeroizing::new(String::from_utf8_lossy(bytes).into_owned()))
}

/// The problem with `text` when key material is inside it, else `None`.
pub(super) fn find(text: &str) -> Option<KeyProblem> {
    if let Some(line) = key_dump(text) {
        return Some(KeyProblem::KeyDump { line });
    }
    let embedded = |form, line, percent_encoded| KeyProblem::EmbeddedKey {
        form,
        line,
        percent_encoded,
    };
    if let Some((form, line)) = key_run(text) {
        return Some(embedded(form, line, false));
    }
    let decoded = percent_decoded(text)?;
    if der_key_prefix(&decoded).is_some() {
        return Some(embedded("DER key bytes", 1, true));
    }
    if has_armour(&decoded) {
        return Some(embedded("PEM text", 1, true));
    }
    let decoded = Zeroizing::new(String::from_utf8_lossy(&decoded).into_owned());
    key_run(&decoded).map(|(form, line)| embedded(form, line, true))
}

/// The alphabets key material is written in inside text.
#[derive(Clone, Copy)]
enum Alphabet {
    /// base64 and base64url together (a run is tried in both).
    Base64,
    /// Hexadecimal, bytes optionally separated by `:`.
    Hex,
}

impl Alphabet {
    fn member(self, c: char) -> bool {
        match self {
            Alphabet::Base64 => c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_'),
            Alphabet::Hex => c.is_ascii_hexdigit() || c == ':',
        }
    }

    /// The run's characters without separators.
    fn push(self, chars: &mut String, part: &str) {
        chars.extend(part.chars().filter(|&c| c != ':'));
    }

    /// The fewest characters that can hold a key structure.
    fn min_chars(self) -> usize {
        match self {
            Alphabet::Base64 => (MIN_KEY_BYTES * 4).div_ceil(3),
            Alphabet::Hex => MIN_KEY_BYTES * 2,
        }
    }

    /// What a key structure at the start of `chars` is written as, if one is there.
    fn key_at(self, chars: &str) -> Option<&'static str> {
        match self {
            Alphabet::Base64 => base64_key(&STANDARD, ['-', '_'], chars)
                .or_else(|| base64_key(&URL_SAFE, ['+', '/'], chars)),
            Alphabet::Hex => hex_key(chars),
        }
    }
}

/// A maximal run of one alphabet's characters: within a line, and on across line breaks
/// while the next line (indentation aside) goes on in the alphabet, as wrapped base64 does.
struct Run {
    /// The run's characters, line breaks, indentation and `:` separators left out.
    chars: Zeroizing<String>,
    /// The line it starts on, from 1.
    line: usize,
    /// Where its second line starts in `chars`, and that line's number: a run may begin with
    /// the last word of a line of prose above the material.
    second: Option<(usize, usize)>,
}

/// The first base64 or hex run of `text` that holds key material: what it is, and its line.
fn key_run(text: &str) -> Option<(&'static str, usize)> {
    [Alphabet::Base64, Alphabet::Hex]
        .into_iter()
        .find_map(|alphabet| {
            runs(text, alphabet).into_iter().find_map(|run| {
                let second = run.second.and_then(|(at, line)| {
                    alphabet
                        .key_at(run.chars.get(at..)?)
                        .map(|form| (form, line))
                });
                alphabet
                    .key_at(&run.chars)
                    .map(|form| (form, run.line))
                    .or(second)
            })
        })
}

/// The runs of `text` long enough to hold a key, in order. Linear in the text: each
/// character joins at most one run.
fn runs(text: &str, alphabet: Alphabet) -> Vec<Run> {
    let member = |c| alphabet.member(c);
    let mut done = Vec::new();
    let keep = |run: Run, done: &mut Vec<Run>| {
        if run.chars.len() >= alphabet.min_chars() {
            done.push(run);
        }
    };
    let mut open: Option<Run> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let mut rest = line.trim_start_matches([' ', '\t']);
        if let Some(mut run) = open.take() {
            let head = rest.find(|c| !member(c)).unwrap_or(rest.len());
            if head > 0 {
                run.second.get_or_insert((run.chars.len(), number));
                alphabet.push(&mut run.chars, &rest[..head]);
                rest = &rest[head..];
                if rest.trim().is_empty() {
                    open = Some(run);
                    continue;
                }
            }
            keep(run, &mut done);
        }
        let mut at = 0;
        while let Some(start) = rest[at..].find(member).map(|i| at + i) {
            let end = rest[start..]
                .find(|c| !member(c))
                .map_or(rest.len(), |i| start + i);
            let mut run = Run {
                chars: Zeroizing::new(String::new()),
                line: number,
                second: None,
            };
            alphabet.push(&mut run.chars, &rest[start..end]);
            if rest[end..].trim().is_empty() {
                open = Some(run);
            } else {
                keep(run, &mut done);
            }
            at = end;
        }
    }
    if let Some(run) = open {
        keep(run, &mut done);
    }
    done
}

/// A key structure (or a PEM) in base64 at the start of `chars`, read with `engine`; the
/// characters of the other base64 alphabet (`foreign`) end the run.
fn base64_key(engine: &GeneralPurpose, foreign: [char; 2], chars: &str) -> Option<&'static str> {
    let chars = &chars[..chars.find(foreign).unwrap_or(chars.len())];
    // "-----" encodes as "LS0tLS": base64 of a whole PEM file.
    if chars.starts_with("LS0tLS") {
        return has_armour(&lenient(engine, chars)?).then_some("base64 of a PEM");
    }
    let total = declared_len(&lenient(engine, chars.get(..8)?)?)?;
    if total < MIN_KEY_BYTES {
        return None;
    }
    // Only as many characters as the structure needs: the run may go on past it.
    let bytes = lenient(engine, chars.get(..total.checked_mul(4)?.div_ceil(3))?)?;
    (der_key_prefix(&bytes) == Some(total)).then_some("base64 of a DER key")
}

/// base64 that may end mid-quantum: a lone last character (no byte's worth) is dropped.
fn lenient(engine: &GeneralPurpose, chars: &str) -> Option<Zeroizing<Vec<u8>>> {
    let usable = match chars.len() % 4 {
        1 => &chars[..chars.len() - 1],
        _ => chars,
    };
    engine.decode(usable).ok().map(Zeroizing::new)
}

/// A key structure in hex at the start of `chars`.
fn hex_key(chars: &str) -> Option<&'static str> {
    let total = declared_len(&decode_hex(chars.get(..12)?)?)?;
    if total < MIN_KEY_BYTES {
        return None;
    }
    let bytes = Zeroizing::new(decode_hex(chars.get(..total.checked_mul(2)?)?)?);
    (der_key_prefix(&bytes) == Some(total)).then_some("hex of a DER key")
}

/// `text` with its `%XX` escapes decoded (RFC 3986 §2.1), when it has any.
fn percent_decoded(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let bytes = text.as_bytes();
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut escapes = 0;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match bytes.get(i + 1..i + 3) {
            Some(&[high, low]) if byte == b'%' => char::from(high)
                .to_digit(16)
                .zip(char::from(low).to_digit(16))
                .and_then(|(high, low)| u8::try_from(high << 4 | low).ok()),
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                escapes += 1;
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    (escapes > 0).then_some(out)
}

/// The line where `openssl … -text` (or `-modulus`) output shows a key: a heading such as
/// `Public-Key: (2048 bit)`, `RSA Private-Key: (2048 bit, 2 primes)`, `ED25519 Public-Key:`
/// or `Modulus (1024 bit):`; a key field (`Modulus:`, `pub:`, `priv:`) over colon-separated
/// hex; or `Modulus=<hex>`.
fn key_dump(text: &str) -> Option<usize> {
    let mut lines = text.lines().map(str::trim).peekable();
    let mut number = 0;
    while let Some(line) = lines.next() {
        number += 1;
        let next = lines.peek().copied().unwrap_or("");
        if dump_heading(line) || (dump_field(line) && colon_hex(next)) || modulus_line(line) {
            return Some(number);
        }
    }
    None
}

/// `[<type> ](Public|Private)-Key:[ (<n> bit…)]`, or the older `Modulus (<n> bit):`.
fn dump_heading(line: &str) -> bool {
    // The longest is "RSA Private-Key: (16384 bit, 2 primes)"; the text may be a secret.
    if line.len() > 64 {
        return false;
    }
    let lower = Zeroizing::new(line.to_ascii_lowercase());
    if lower.starts_with("modulus (") && lower.ends_with(" bit):") {
        return true;
    }
    let Some((name, after)) = lower.split_once("-key:") else {
        return false;
    };
    let kind = name
        .strip_suffix("public")
        .or_else(|| name.strip_suffix("private"));
    let prefix_ok = kind.is_some_and(|kind| {
        kind.is_empty()
            || kind
                .strip_suffix(' ')
                .is_some_and(|word| word.chars().all(|c| c.is_ascii_alphanumeric()))
    });
    let after = after.trim();
    prefix_ok && (after.is_empty() || (after.starts_with('(') && after.contains(" bit")))
}

/// A field of a key dump that holds the key's numbers.
fn dump_field(line: &str) -> bool {
    ["modulus:", "pub:", "priv:"]
        .iter()
        .any(|field| line.eq_ignore_ascii_case(field))
}

/// A line of colon-separated hex bytes, as `openssl … -text` prints them (15 a line).
fn colon_hex(line: &str) -> bool {
    let parts: Vec<&str> = line.trim_end_matches(':').split(':').collect();
    parts.len() >= 8
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `Modulus=<hex>` as `openssl rsa -modulus` prints it (512 bits at the least).
fn modulus_line(line: &str) -> bool {
    line.get(..8)
        .is_some_and(|m| m.eq_ignore_ascii_case("modulus="))
        && line.len() >= 8 + 128
        && line[8..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
    use aws_lc_rs::signature::KeyPair;
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair};
    use base64::engine::general_purpose::STANDARD as PADDED;

    fn spkis() -> Vec<Vec<u8>> {
        let ec = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_ASN1_SIGNING).unwrap();
        let ed = Ed25519KeyPair::generate().unwrap();
        let der = |d: PublicKeyX509Der| d.as_ref().to_vec();
        vec![
            der(ec.public_key().as_der().unwrap()),
            der(ed.public_key().as_der().unwrap()),
        ]
    }

    fn found(text: &str) -> Option<(String, usize)> {
        find(text).map(|p| match p {
            KeyProblem::EmbeddedKey {
                form,
                line,
                percent_encoded,
            } => (
                format!("{}{form}", if percent_encoded { "%" } else { "" }),
                line,
            ),
            KeyProblem::KeyDump { line } => ("dump".into(), line),
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn runs_inside_text_are_found_with_their_line() {
        for der in spkis() {
            let b64 = PADDED.encode(&der);
            let hex: Vec<String> = der.iter().map(|b| format!("{b:02x}")).collect();
            let pct = b64
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D");
            let wrapped = b64
                .as_bytes()
                .chunks(20)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join("\n  ");
            let b64 = b64.as_str();
            let cases = [
                (format!("PUBLIC_KEY={b64}"), "base64 of a DER key", 1),
                (format!("A=1\nKEY=\"{b64}\"\nB=2"), "base64 of a DER key", 2),
                (format!("KEY={b64}\nNEXT=word"), "base64 of a DER key", 1),
                (
                    format!("# the realm key\n{wrapped}\n"),
                    "base64 of a DER key",
                    2,
                ),
                (format!("key:\n  {wrapped}"), "base64 of a DER key", 2),
                (format!("k={}", hex.join(":")), "hex of a DER key", 1),
                (format!("k={}", hex.concat()), "hex of a DER key", 1),
                (pct.clone(), "%base64 of a DER key", 1),
                (
                    format!("https://x.example/?k={pct}"),
                    "%base64 of a DER key",
                    1,
                ),
                (
                    der.iter().map(|b| format!("%{b:02X}")).collect(),
                    "%DER key bytes",
                    1,
                ),
            ];
            // Percent-encoding that touched only the padding leaves a base64 run that is found
            // as it is (the key's base64 holds no `+` or `/`): either reading is a find.
            let padding_only = !b64.contains(['+', '/']);
            for (text, form, line) in cases {
                let got = found(&text);
                if padding_only && form == "%base64 of a DER key" {
                    assert!(
                        got == Some((form.to_string(), line))
                            || got == Some(("base64 of a DER key".to_string(), line)),
                        "{text}: {got:?}"
                    );
                } else {
                    assert_eq!(got, Some((form.to_string(), line)), "{text}");
                }
            }
        }
    }

    #[test]
    fn openssl_dumps_are_found() {
        let rsa =
            "Public-Key: (2048 bit)\nModulus:\n    00:d1:fd:65:18:77:a8:f0:65:cf:fe:d2:34:86:e2:\n";
        assert_eq!(found(rsa), Some(("dump".into(), 1)));
        for heading in [
            "RSA Private-Key: (2048 bit, 2 primes)",
            "ED25519 Public-Key:",
            "X25519 Private-Key:",
            "Modulus (1024 bit):",
            "        Public-Key: (256 bit)",
        ] {
            assert_eq!(found(&format!("x\n{heading}\n")), Some(("dump".into(), 2)));
        }
        let field = "pub:\n    04:0f:a4:77:14:51:af:9f:e6:ea:23:9f:36:5c:88:\n";
        assert_eq!(found(field), Some(("dump".into(), 1)));
        let modulus = format!("Modulus={}", "C3".repeat(256));
        assert_eq!(found(&modulus), Some(("dump".into(), 1)));
        for prose in [
            "my-public-key: hunter2-but-longer",
            "Public-Key: none here (see docs)",
            "pub:\n  not hex",
            "Modulus=C3",
        ] {
            assert_eq!(found(prose), None, "{prose}");
        }
    }

    /// Random secrets written the ways key material is: never taken for it.
    #[test]
    fn random_secrets_are_never_found() {
        let url = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        // 300 draws in the everyday loop, 5,000 in CI.
        for _ in 0..crate::testing::cases(300).max(300) * 5 / 2 {
            let mut random = [0u8; 64];
            aws_lc_rs::rand::fill(&mut random).unwrap();
            let b64 = PADDED.encode(random);
            let hex: Vec<String> = random.iter().map(|b| format!("{b:02x}")).collect();
            for text in [
                format!("SECRET={b64}"),
                format!("# secret\n{b64}"),
                b64.replace('+', "%2B").replace('/', "%2F"),
                format!("S={}", hex.join(":")),
                format!("S={}", url(&random)),
                random.iter().map(|b| format!("%{b:02x}")).collect(),
                String::from_utf8_lossy(&random).into_owned(),
            ] {
                assert_eq!(found(&text), None, "{text}");
            }
        }
    }

    #[test]
    fn percent_decoding_takes_only_escapes() {
        assert_eq!(percent_decoded("abc"), None);
        assert_eq!(
            percent_decoded("a%2Bb%zz%4").as_deref().map(Vec::as_slice),
            Some(&b"a+b%zz%4"[..])
        );
        assert_eq!(percent_decoded("%+1"), None, "a sign is no hex digit");
    }
}
