//! Finding the token in what people paste: a bare token, a `Bearer`/`Authorization` line (as
//! `curl -v` or "Copy as cURL" shows it), a JSON string or OAuth token response, a cookie
//! line, a URL whose query or fragment holds it, or a token a terminal wrapped over lines.
//!
//! The token is found, never repaired: it ends at the end of the input, at whitespace, or at
//! one of `"` `'` `` ` `` `;` `,` `&` `#` `)` `>`; anything else right after it (`=`, `+`, `/`,
//! `%`, `.`, …) stays part of it, so the parser names the fault. Several distinct tokens are
//! a usage error naming where each was found, unless a field name picks one.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::error::{Error, Malformed, Part, Result, Usage};
use crate::token::compact::MAX_TOKEN_BYTES;

/// The token found in a pasted text, and what was stripped to find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted {
    /// The token's bytes (possibly still malformed: the parser judges them).
    pub token: Vec<u8>,
    /// What was stripped, when it is more than whitespace and a `Bearer ` prefix.
    pub note: Option<String>,
}

/// Where in the pasted text a token was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A query or fragment parameter, `name=TOKEN`.
    Parameter(String),
    /// A cookie on a `Cookie:` or `Set-Cookie:` line.
    Cookie(String),
    /// A JSON object member, `"name": "TOKEN"`.
    Member(String),
    /// A JSON string on its own, `"TOKEN"`.
    JsonString,
    /// After `Bearer ` (an `Authorization` header).
    Authorization,
    /// Anywhere else.
    Text,
}

impl Origin {
    /// The name `--field` matches, for the origins that have one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Origin::Parameter(name) | Origin::Cookie(name) | Origin::Member(name) => Some(name),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Origin::Parameter(name) => format!("the {name} parameter"),
            Origin::Cookie(name) => format!("the {name} cookie"),
            Origin::Member(name) => format!("the JSON member {name}"),
            Origin::JsonString => "a JSON string".into(),
            Origin::Authorization => "the Authorization header".into(),
            Origin::Text => "the text".into(),
        }
    }
}

/// One token-shaped run found in the text.
#[derive(Debug, Clone)]
struct Candidate {
    text: Vec<u8>,
    origin: Origin,
    /// 1-based line of its first character.
    line: usize,
    /// How many lines it was joined from.
    lines: usize,
}

impl Candidate {
    fn place(&self) -> String {
        match self.origin.field() {
            Some(name) => format!("{name} (line {})", self.line),
            None => format!("{} (line {})", self.origin.describe(), self.line),
        }
    }
}

/// Find the one token in `input`; `field` picks one by parameter, member or cookie name.
pub fn find(input: &[u8], field: Option<&str>) -> Result<Pasted> {
    let trimmed = input.trim_ascii();
    if trimmed.is_empty() {
        return Err(Malformed::new(Part::Token, "no token given (the input is empty)").into());
    }
    let (rest, header_line) = strip_prefixes(trimmed);
    if let Some(whole) = json_serialization(trimmed) {
        return Ok(Pasted {
            token: whole.to_vec(),
            note: None,
        });
    }
    let found = if rest.iter().all(|&b| is_bare_byte(b)) {
        bare(rest, header_line, field)?
    } else {
        match scan(trimmed, field)? {
            // Only whitespace and `Bearer ` were stripped: nothing worth a note.
            Some(found) if found.token == rest && !header_line => Pasted {
                note: None,
                ..found
            },
            Some(found) => found,
            // A JWS in JSON serialization: the parser names it as such.
            None if rest.starts_with(b"{") => Pasted {
                token: rest.to_vec(),
                note: None,
            },
            None => {
                return Err(Malformed::new(
                    Part::Token,
                    "no token found in the input: a JWT is three base64url segments, \
                 header.claims.signature, its header starting with eyJ",
                )
                .into());
            }
        }
    };
    if found.token.len() as u64 > MAX_TOKEN_BYTES {
        return Err(Error::TooLarge {
            size: found.token.len() as u64,
            limit: MAX_TOKEN_BYTES,
        });
    }
    Ok(found)
}

/// Strip an `Authorization:` and a `Bearer ` prefix; say whether the header name was there.
fn strip_prefixes(input: &[u8]) -> (&[u8], bool) {
    let mut rest = input;
    let header_line = match strip_prefix_ignore_case(rest, b"authorization:") {
        Some(after) => {
            rest = after.trim_ascii_start();
            true
        }
        None => false,
    };
    if let Some(after) = strip_prefix_ignore_case(rest, b"bearer")
        && after.first().is_some_and(u8::is_ascii_whitespace)
    {
        rest = after.trim_ascii_start();
    }
    (rest, header_line)
}

fn strip_prefix_ignore_case<'a>(input: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let head = input.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &input[prefix.len()..])
}

/// Text that is nothing but a token, perhaps broken: base64url, dots, whitespace and the
/// characters of a damaged token (`=`, `+`, `/`, `%`). It is taken whole, so a fault inside
/// stays a fault.
fn bare(rest: &[u8], header_line: bool, field: Option<&str>) -> Result<Pasted> {
    if let Some(name) = field {
        return Err(Usage::FieldOnBareToken {
            name: name.to_string(),
        }
        .into());
    }
    let lines: Vec<&[u8]> = rest
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .filter(|line| !line.is_empty())
        .collect();
    // Whole tokens side by side (on separate lines, or on one line between spaces) are
    // separate tokens; anything else is one token, perhaps wrapped, perhaps broken.
    let pieces: Vec<(usize, &[u8])> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            line.split(|b| b.is_ascii_whitespace())
                .filter(|piece| !piece.is_empty())
                .map(move |piece| (i + 1, piece))
        })
        .collect();
    if pieces.len() > 1 && pieces.iter().all(|(_, piece)| is_whole(piece)) {
        let candidates = pieces
            .iter()
            .map(|(line, piece)| Candidate {
                text: piece.to_vec(),
                origin: Origin::Text,
                line: *line,
                lines: 1,
            })
            .collect();
        return choose(candidates, None);
    }
    let token = join_wrapped(rest);
    let mut stripped = Vec::new();
    if header_line {
        stripped.push("an Authorization header line".to_string());
    }
    if lines.len() > 1 {
        stripped.push(format!(
            "the line breaks of a token wrapped over {} lines",
            lines.len()
        ));
    }
    let note = (!stripped.is_empty()).then(|| format!("removed {}", stripped.join(" and ")));
    Ok(Pasted { token, note })
}

/// Remove each line break and the indentation after it; spaces within a line stay.
fn join_wrapped(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut lines = text.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.extend_from_slice(first.strip_suffix(b"\r").unwrap_or(first));
    }
    for line in lines {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let start = line
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(line.len());
        out.extend_from_slice(&line[start..]);
    }
    out
}

/// Look through prose, JSON, headers and URLs for token-shaped runs (`None`: there are none).
fn scan(text: &[u8], field: Option<&str>) -> Result<Option<Pasted>> {
    let mut candidates = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let starts_run = is_token_byte(text[at]) && (at == 0 || !is_token_byte(text[at - 1]));
        if !starts_run {
            at += 1;
            continue;
        }
        let (run, end, lines) = collect_run(text, at);
        if dots(&run) >= 2 && opens_object(&run) {
            let (tail, after) = damaged_tail(text, end);
            let mut token = run;
            token.extend_from_slice(tail);
            candidates.push(Candidate {
                text: token,
                origin: origin(text, at),
                line: line_number(text, at),
                lines,
            });
            at = after;
        } else {
            at = end.max(at + 1);
        }
    }
    if candidates.is_empty() {
        return Ok(None);
    }
    choose(candidates, field).map(Some)
}

/// The run of token characters starting at `start`, joined across line breaks where a
/// terminal wrapped it; returns the run, the index after it, and how many lines it spans.
fn collect_run(text: &[u8], start: usize) -> (Vec<u8>, usize, usize) {
    let mut run = Vec::new();
    let mut at = start;
    let mut lines = 1;
    loop {
        let end = run_end(text, at);
        run.extend_from_slice(&text[at..end]);
        match continuation(text, end) {
            Some(next) if wraps_into(&run, &text[next..run_end(text, next)]) => {
                at = next;
                lines += 1;
            }
            _ => return (run, end, lines),
        }
    }
}

fn run_end(text: &[u8], from: usize) -> usize {
    text[from..]
        .iter()
        .position(|&b| !is_token_byte(b))
        .map_or(text.len(), |n| from + n)
}

/// Where the next line's token characters start, when `at` is a line break followed by
/// indentation and a token character.
fn continuation(text: &[u8], at: usize) -> Option<usize> {
    let mut next = at;
    if text.get(next) == Some(&b'\r') {
        next += 1;
    }
    if text.get(next) != Some(&b'\n') {
        return None;
    }
    next += 1;
    while matches!(text.get(next), Some(b' ' | b'\t')) {
        next += 1;
    }
    text.get(next)
        .is_some_and(|&b| is_token_byte(b))
        .then_some(next)
}

/// A token continues on the next line unless it is already whole and the next line holds a
/// whole token of its own (consecutive lines that are each a token are separate tokens).
fn wraps_into(run: &[u8], next_line: &[u8]) -> bool {
    opens_object(run) && !(is_whole(run) && is_whole(next_line))
}

/// The bytes after a token that do not end it (`=`, `+`, `/`, `%`, …) up to the next place
/// a token may end: kept, so the token stays malformed. Returns them and the index after.
fn damaged_tail(text: &[u8], end: usize) -> (&[u8], usize) {
    let stop = text[end..]
        .iter()
        .position(|&b| ends_token(b))
        .map_or(text.len(), |n| end + n);
    (&text[end..stop], stop)
}

/// Pick the one distinct token (or the one `field` names); several is a usage error.
fn choose(candidates: Vec<Candidate>, field: Option<&str>) -> Result<Pasted> {
    let all = distinct(candidates);
    let picked: Vec<&Candidate> = match field {
        Some(name) => all
            .iter()
            .filter(|c| c.origin.field() == Some(name))
            .collect(),
        None => all.iter().collect(),
    };
    match (picked.as_slice(), field) {
        ([one], _) => Ok(Pasted {
            token: one.text.clone(),
            note: Some(note(one)),
        }),
        ([], Some(name)) => Err(Usage::NoSuchField {
            name: name.to_string(),
            found: places(&all),
        }
        .into()),
        (many, _) => Err(several(many)),
    }
}

/// The same token found twice is one token (the first place it was found).
fn distinct(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        if !out.iter().any(|c| c.text == candidate.text) {
            out.push(candidate);
        }
    }
    out
}

fn places(candidates: &[Candidate]) -> String {
    let list: Vec<String> = candidates.iter().map(Candidate::place).collect();
    list.join(", ")
}

fn several(many: &[&Candidate]) -> Error {
    let owned: Vec<Candidate> = many.iter().map(|c| (*c).clone()).collect();
    Usage::SeveralTokens {
        count: owned.len(),
        found: places(&owned),
        example: owned
            .iter()
            .find_map(|c| c.origin.field())
            .map(|name| name.to_string()),
    }
    .into()
}

fn note(found: &Candidate) -> String {
    let wrapped = if found.lines > 1 {
        format!(", joined from {} lines", found.lines)
    } else {
        String::new()
    };
    format!(
        "took the token from {} (line {}){wrapped}; the rest of the input was ignored",
        found.origin.describe(),
        found.line
    )
}

/// What the text just before a token says about where it sits.
fn origin(text: &[u8], start: usize) -> Origin {
    let before = &text[..start];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let line = &before[line_start..];
    match before.last() {
        Some(b'=') => {
            let name = trailing_name(&before[..before.len() - 1]);
            if name.is_empty() {
                Origin::Text
            } else if is_cookie_line(line) {
                Origin::Cookie(name)
            } else {
                Origin::Parameter(name)
            }
        }
        Some(b'"') => {
            json_member(&before[..before.len() - 1]).map_or(Origin::JsonString, Origin::Member)
        }
        _ if ends_with_ignore_case(line.trim_ascii_end(), b"bearer") => Origin::Authorization,
        _ => Origin::Text,
    }
}

/// The name before `=` in `a=1&name=` or `Cookie: x=1; name=`.
fn trailing_name(before: &[u8]) -> String {
    let start = before
        .iter()
        .rposition(|&b| b.is_ascii_whitespace() || b"?&#;,\"'".contains(&b))
        .map_or(0, |n| n + 1);
    String::from_utf8_lossy(&before[start..]).into_owned()
}

/// The member name in `"name": ` (the text before a token's opening quote).
fn json_member(before: &[u8]) -> Option<String> {
    let before = before.trim_ascii_end().strip_suffix(b":")?.trim_ascii_end();
    let inner = before.strip_suffix(b"\"")?;
    let open = inner.iter().rposition(|&b| b == b'"')?;
    Some(String::from_utf8_lossy(&inner[open + 1..]).into_owned())
}

fn is_cookie_line(line: &[u8]) -> bool {
    let line = line.trim_ascii_start();
    let line = line
        .strip_prefix(b">")
        .or_else(|| line.strip_prefix(b"<"))
        .unwrap_or(line)
        .trim_ascii_start();
    strip_prefix_ignore_case(line, b"cookie:").is_some()
        || strip_prefix_ignore_case(line, b"set-cookie:").is_some()
}

fn ends_with_ignore_case(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn line_number(text: &[u8], at: usize) -> usize {
    1 + text[..at].iter().filter(|&&b| b == b'\n').count()
}

/// A byte of a compact token: base64url, the dots, and the `~` between an SD-JWT's parts.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn is_bare_byte(b: u8) -> bool {
    is_token_byte(b) || b.is_ascii_whitespace() || matches!(b, b'=' | b'+' | b'/' | b'%')
}

/// Where a token may end: whitespace or one of the contract's delimiters.
fn ends_token(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'`;,&#)>".contains(&b)
}

fn dots(run: &[u8]) -> usize {
    run.iter().filter(|&&b| b == b'.').count()
}

/// A whole compact token on its own: 3 (JWS) or 5 (JWE) segments, header first; or an
/// SD-JWT, a 3-segment JWT and `~`, disclosures each ending in `~`, and perhaps a KB-JWT.
fn is_whole(text: &[u8]) -> bool {
    if !text.iter().all(|&b| is_token_byte(b)) || !opens_object(text) {
        return false;
    }
    let mut parts = text.split(|&b| b == b'~');
    let first = parts.next().unwrap_or_default();
    match parts.next_back() {
        None => matches!(dots(text), 2 | 4),
        Some(last) => dots(first) == 2 && (last.is_empty() || dots(last) == 2),
    }
}

/// The whole input when it is a JWS in the JSON serialization (RFC 7515 §7.2, and the
/// SD-JWT form of RFC 9901 §8): an object with a string `payload` beside `protected` or
/// `signatures`. The tokens inside it (a `kb_jwt`) are parts of it, not tokens of their own.
fn json_serialization(text: &[u8]) -> Option<&[u8]> {
    if !text.starts_with(b"{") {
        return None;
    }
    let object = crate::json::parse_object(text).ok()?;
    let is_jws = object
        .get("payload")
        .is_some_and(serde_json::Value::is_string)
        && (object.contains_key("protected") || object.contains_key("signatures"));
    is_jws.then_some(text)
}

/// Whether the text starts with the base64url of a JSON object's opening (`{"`, `{ "`,
/// `{\r\n`): what every JOSE header starts with, and what a domain name like
/// `example.co.uk` never does.
fn opens_object(text: &[u8]) -> bool {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireNone),
    );
    let header = text.split(|&b| b == b'.').next().unwrap_or_default();
    let prefix = &header[..header.len().min(8) / 4 * 4];
    match LENIENT.decode(prefix) {
        Ok(bytes) => {
            bytes.first() == Some(&b'{')
                && matches!(
                    bytes[1..].iter().find(|b| !b.is_ascii_whitespace()),
                    None | Some(b'"')
                )
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
    const U: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiIn0.c2ln";

    fn token(input: &str) -> String {
        String::from_utf8(find(input.as_bytes(), None).unwrap().token).unwrap()
    }

    #[test]
    fn bare_forms_keep_their_faults() {
        assert_eq!(token(&format!("  Bearer {T}\n")), T);
        assert_eq!(token(&format!("{T}=")), format!("{T}="));
        assert_eq!(token(&format!("{T}.")), format!("{T}."));
        let inner = format!("{} {}", &T[..20], &T[20..]);
        assert_eq!(token(&inner), inner);
        assert!(find(&[], None).is_err());
    }

    #[test]
    fn wrapped_and_separate_lines() {
        assert_eq!(token(&format!("{}\n   {}", &T[..30], &T[30..])), T);
        assert!(matches!(
            find(format!("{T}\n{U}").as_bytes(), None),
            Err(Error::Usage(Usage::SeveralTokens { .. }))
        ));
        assert_eq!(token(&format!("{T}\n{T}\n")), T);
        assert!(matches!(
            find(format!("Authorization: Bearer {T} {U}").as_bytes(), None),
            Err(Error::Usage(Usage::SeveralTokens { .. }))
        ));
    }

    #[test]
    fn finds_tokens_in_text() {
        assert_eq!(
            token(&format!("> Authorization: Bearer {T}\r\n> Accept: */*")),
            T
        );
        assert_eq!(token(&format!("-H 'authorization: bearer {T}' \\")), T);
        assert_eq!(token(&format!("\"{T}\"")), T);
        assert_eq!(token(&format!("Cookie: a=1; session={T}; b=2")), T);
        assert_eq!(
            token(&format!("https://a.example.co.uk/cb?id_token={T}&x=1")),
            T
        );
        assert_eq!(
            token(&format!("https://x/cb?id_token={T}=&x=1")),
            format!("{T}=")
        );
        assert_eq!(token(&format!("'{T}%3D'")), format!("{T}%3D"));
    }

    #[test]
    fn several_tokens_need_a_field() {
        let text = format!("{{\"access_token\": \"{T}\", \"id_token\":\"{U}\"}}");
        let err = find(text.as_bytes(), None).unwrap_err().to_string();
        assert!(
            err.contains("access_token (line 1)") && err.contains("id_token"),
            "{err}"
        );
        let picked = find(text.as_bytes(), Some("id_token")).unwrap();
        assert_eq!(picked.token, U.as_bytes());
        assert!(picked.note.unwrap().contains("JSON member id_token"));
        assert!(find(text.as_bytes(), Some("nope")).is_err());
    }

    #[test]
    fn sd_jwts_are_whole_tokens() {
        let sd = format!("{T}~WyJzIiwiYSIsMV0~");
        let kb = format!("{sd}{U}");
        assert_eq!(token(&sd), sd);
        assert_eq!(token(&format!("Bearer {kb}\n")), kb);
        assert_eq!(token(&format!("{{\"vp_token\": \"{kb}\"}}")), kb);
        assert_eq!(token(&format!("https://x/cb#vp_token={sd}&state=1")), sd);
        assert_eq!(token(&format!("{}\n  {}", &kb[..50], &kb[50..])), kb);
        assert!(matches!(
            find(format!("{sd}\n{kb}").as_bytes(), None),
            Err(Error::Usage(Usage::SeveralTokens { .. }))
        ));
        let json = format!(
            "{{\"payload\": \"e30\", \"protected\": \"e30\", \"signature\": \"\", \"header\": {{\"kb_jwt\": \"{T}\"}}}}"
        );
        assert_eq!(token(&json), json);
    }

    #[test]
    fn domain_names_are_not_tokens() {
        assert!(!opens_object(b"example.co.uk"));
        assert!(opens_object(b"eyJhbGciOi"));
        assert!(opens_object(b"ewogICJhbGciOi"));
        assert!(find(b"see https://example.co.uk/", None).is_err());
    }
}
