//! Strict JSON for JOSE: objects whose member names are unique at every depth.
//!
//! serde_json keeps the last of two equal names silently; RFC 7515 §4 and RFC 7519 §4 say a
//! JOSE header or claims set with duplicate names must be rejected (or parsed as last-wins,
//! which lets two parsers see two different tokens). This module parses into ordinary
//! `serde_json::Value`s, in the original member order, and refuses duplicates. Depth stays
//! bounded by serde_json's recursion limit (128).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// Not JSON at all (serde_json's message: a position, never the input's text).
    #[error("not valid JSON ({0})")]
    Syntax(String),
    /// Valid JSON, but not an object.
    #[error("not a JSON object but {0}")]
    NotObject(&'static str),
    /// Arrays and objects nested deeper than jwtk reads.
    #[error("not valid JSON (nested more than {0} levels deep)")]
    TooDeep(usize),
    /// An object has the same member name twice.
    #[error("duplicate member name {0:?}")]
    Duplicate(String),
    /// A UTF-8 byte order mark before the JSON text (RFC 8259 §8.1 forbids it here).
    #[error("starts with a UTF-8 byte order mark")]
    Bom,
}

/// Parse `bytes` as one JSON object with unique member names at every depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match parse_value(bytes)? {
        Value::Object(map) => Ok(map),
        other => Err(JsonError::NotObject(kind_of(&other))),
    }
}

/// Parse `bytes` as one JSON value with unique member names at every depth.
pub fn parse_value(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(JsonError::Bom);
    }
    let fault = Cell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let numbers = NumberTexts::of(bytes);
    let strict = StrictValue {
        depth: 0,
        fault: &fault,
        text: bytes,
        numbers: &numbers,
    };
    let value = strict
        .deserialize(&mut de)
        .map_err(|err| fault.take().unwrap_or_else(|| syntax(&err)))?;
    de.end().map_err(|err| syntax(&err))?;
    Ok(value)
}

/// A top-level member's value as the checks read it, borrowed from the JSON text where it
/// can be: reading a claims set this way allocates nothing for its names, numbers and
/// unescaped strings (`verify --batch` reads every token's header and claims).
#[derive(Debug, Clone, PartialEq)]
pub enum Lite<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, its text exactly as written.
    Number(&'a str),
    /// A string, unescaped (borrowed unless it holds escapes).
    String(Cow<'a, str>),
    /// An array or an object, parsed strictly.
    Nested(Value),
}

impl Lite<'_> {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Lite::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number as a finite `f64`, as [`serde_json::Number::as_f64`] reads it.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Lite::Number(text) => text.parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// A short description of its JSON type: "a string", "an array", …
    pub fn kind(&self) -> &'static str {
        match self {
            Lite::Null => "null",
            Lite::Bool(_) => "a boolean",
            Lite::Number(_) => "a number",
            Lite::String(_) => "a string",
            Lite::Nested(value) => kind_of(value),
        }
    }
}

/// Compact JSON text, as `serde_json::Value` prints it.
impl fmt::Display for Lite<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Lite::Null => f.write_str("null"),
            Lite::Bool(b) => write!(f, "{b}"),
            Lite::Number(text) => f.write_str(text),
            Lite::String(text) => fmt::Display::fmt(&Value::String(text.to_string()), f),
            Lite::Nested(value) => fmt::Display::fmt(value, f),
        }
    }
}

/// The members of a JSON object, in their order, with unique names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Members<'a>(Vec<(Cow<'a, str>, Lite<'a>)>);

impl<'a> Members<'a> {
    /// The value of the member named `name`.
    pub fn get(&self, name: &str) -> Option<&Lite<'a>> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Every member, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Lite<'a>)> {
        self.0.iter().map(|(name, value)| (name.as_ref(), value))
    }
}

/// [`parse_object`]'s checks — one JSON object, unique names at every depth, bounded depth,
/// exact numbers — with its members read as [`Lite`] values instead of built into a `Map`.
/// What it refuses is refused with [`parse_object`]'s own error.
pub fn scan_object(bytes: &[u8]) -> Result<Members<'_>, JsonError> {
    match scan(bytes) {
        Some(members) => Ok(members),
        // The strict parser words the refusal; it refuses whatever the scan does (a test
        // compares them on arbitrary input), and had it accepted, the scan still refuses.
        None => Err(parse_object(bytes)
            .err()
            .unwrap_or_else(|| JsonError::Syntax("refused".into()))),
    }
}

fn scan(bytes: &[u8]) -> Option<Members<'_>> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let members = de.deserialize_map(TopLevel).ok()?;
    de.end().ok()?;
    Some(members)
}

/// Past this many members, names are checked for duplicates by hashing instead of comparing
/// each with those before it.
const COMPARED_NAMES: usize = 32;

struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Members<'de>, A::Error> {
        let mut members: Vec<(Cow<'de, str>, Lite<'de>)> = Vec::with_capacity(8);
        let mut hashed: Option<HashSet<String>> = None;
        while let Some(name) = access.next_key_seed(NameSeed)? {
            // (serde_json hands a number over as a map under NUMBER_TOKEN only to
            // `deserialize_any`; `deserialize_map` refuses a number: a name here is a name.)
            let duplicate = match &mut hashed {
                Some(names) => !names.insert(name.to_string()),
                None => members.iter().any(|(seen, _)| *seen == name),
            };
            if duplicate {
                return Err(de::Error::custom("duplicate"));
            }
            let raw: &'de RawValue = access.next_value()?;
            let value = lite(raw.get()).ok_or_else(|| de::Error::custom("refused"))?;
            members.push((name, value));
            if hashed.is_none() && members.len() == COMPARED_NAMES {
                hashed = Some(members.iter().map(|(n, _)| n.to_string()).collect());
            }
        }
        Ok(Members(members))
    }
}

/// A member's value from its JSON text (valid JSON: serde_json scanned it).
fn lite(raw: &str) -> Option<Lite<'_>> {
    let raw = raw.trim_matches([' ', '\t', '\n', '\r']);
    Some(match raw.as_bytes().first()? {
        b'"' => {
            let inner = &raw[1..raw.len() - 1];
            if inner.contains('\\') {
                Lite::String(Cow::Owned(serde_json::from_str::<String>(raw).ok()?))
            } else {
                Lite::String(Cow::Borrowed(inner))
            }
        }
        b'{' | b'[' => {
            let fault = Cell::new(None);
            let mut de = serde_json::Deserializer::from_str(raw);
            let numbers = NumberTexts::of(raw.as_bytes());
            // Inside the top-level object: one level down, as parse_value counts.
            let strict = StrictValue {
                depth: 1,
                fault: &fault,
                text: raw.as_bytes(),
                numbers: &numbers,
            };
            let value = strict.deserialize(&mut de).ok()?;
            de.end().ok()?;
            Lite::Nested(value)
        }
        b't' => Lite::Bool(true),
        b'f' => Lite::Bool(false),
        b'n' => Lite::Null,
        _ => Lite::Number(raw),
    })
}

/// A member name, borrowed from the text unless it holds escapes.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A short description of a value's JSON type: "an array", "a string", …
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json's own message (a position, never the input's text).
fn syntax(err: &serde_json::Error) -> JsonError {
    JsonError::Syntax(err.to_string())
}

/// The deepest nesting of arrays and objects read: real JOSE headers and claims are far
/// shallower, and the limit sits below serde_json's own (128), so this one always speaks.
const MAX_DEPTH: usize = 100;

/// How serde_json (with `arbitrary_precision`, so that claims keep every number exactly as
/// written: 2^64+1 stays 18446744073709551617) hands a number to a visitor: a one-member map
/// under this name, its value the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A `DeserializeSeed` that builds a `Value` and refuses duplicate object member names. What
/// it refuses goes into `fault` as a typed error, and serde carries only a stand-in message.
#[derive(Clone, Copy)]
struct StrictValue<'a> {
    depth: usize,
    fault: &'a Cell<Option<JsonError>>,
    /// The JSON text being read: names borrowed from it are names, never the number marker.
    text: &'a [u8],
    /// The numbers of the text as written, in order.
    numbers: &'a NumberTexts<'a>,
}

/// The number literals of a JSON text exactly as written, in document order. serde_json
/// hands a number over with its exponent rewritten (`1E3` becomes `1e+3`); the number is
/// kept as the text wrote it, so that every output shows it so (`mint` and `decode` alike).
struct NumberTexts<'t> {
    spans: Vec<&'t str>,
    next: Cell<usize>,
}

impl<'t> NumberTexts<'t> {
    fn of(text: &'t [u8]) -> Self {
        let mut spans = Vec::new();
        let mut at = 0;
        while at < text.len() {
            match text[at] {
                b'"' => {
                    at += 1;
                    while at < text.len() && text[at] != b'"' {
                        at += if text[at] == b'\\' { 2 } else { 1 };
                    }
                    at += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = at;
                    while at < text.len()
                        && matches!(text[at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    {
                        at += 1;
                    }
                    if let Ok(span) = std::str::from_utf8(&text[start..at]) {
                        spans.push(span);
                    }
                }
                _ => at += 1,
            }
        }
        NumberTexts {
            spans,
            next: Cell::new(0),
        }
    }

    /// The next number, as written when that is the number serde_json read as `read`.
    fn take(&self, read: String) -> Result<Number, String> {
        let at = self.next.get();
        self.next.set(at + 1);
        match self.spans.get(at) {
            Some(written) if normalized(written) == read => {
                Ok(Number::from_string_unchecked((*written).to_string()))
            }
            _ => read.parse::<Number>().map_err(|e| e.to_string()),
        }
    }

    /// A number that reached the visitor as a value, not as text: its place is used up.
    fn skip(&self) {
        self.next.set(self.next.get() + 1);
    }
}

/// A number's text as serde_json writes it: `e` for `E`, the exponent's sign always there.
fn normalized(written: &str) -> String {
    let mut out = String::with_capacity(written.len() + 1);
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'e' || c == 'E' {
            out.push('e');
            if !matches!(chars.peek(), Some('+' | '-')) {
                out.push('+');
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl StrictValue<'_> {
    /// The seed for the values inside a container, or the refusal when it is too deep.
    fn inner<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(self.refuse(JsonError::TooDeep(MAX_DEPTH)));
        }
        Ok(StrictValue {
            depth: self.depth + 1,
            ..self
        })
    }

    fn refuse<E: de::Error>(self, fault: JsonError) -> E {
        self.fault.set(Some(fault));
        E::custom("refused")
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        self.numbers.skip();
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        self.numbers.skip();
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.numbers.skip();
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed { text: self.text })? {
            let name = match key {
                // A number, handed over as its text: keep it exactly as written.
                Key::Number if map.is_empty() => {
                    let text = access.next_value::<String>()?;
                    return self
                        .numbers
                        .take(text)
                        .map(Value::Number)
                        .map_err(de::Error::custom);
                }
                Key::Number => NUMBER_TOKEN.to_string(),
                Key::Name(name) => name,
            };
            // One hash of the name, for the duplicate check and the insertion alike.
            match map.entry(name) {
                serde_json::map::Entry::Occupied(taken) => {
                    let shown: String = taken.key().chars().take(64).collect();
                    return Err(self.refuse(JsonError::Duplicate(shown)));
                }
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(access.next_value_seed(inner)?);
                }
            }
        }
        Ok(Value::Object(map))
    }
}

/// An object member name, or serde_json's marker for a number (recognised without
/// allocating: `--batch` reads two numbers or more per token).
enum Key {
    Number,
    Name(String),
}

/// Reads a member name. serde_json hands a number over as a map whose one name is
/// NUMBER_TOKEN, borrowed from its own constant; a member of that name in the JSON text is
/// borrowed from the text (or unescaped into a scratch buffer, `visit_str`), and stays a name:
/// an object is never read as the number it holds.
struct KeySeed<'t> {
    text: &'t [u8],
}

impl KeySeed<'_> {
    fn is_marker(&self, name: &str) -> bool {
        name == NUMBER_TOKEN && !self.text.as_ptr_range().contains(&name.as_ptr())
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key, E> {
        Ok(if self.is_marker(v) {
            Key::Number
        } else {
            Key::Name(v.to_owned())
        })
    }

    // Unescaped into serde_json's scratch buffer: a name from the text.
    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(Key::Name(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(Key::Name(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the scan makes of `text`, as parse_object's types.
    fn scanned(text: &[u8]) -> Result<Vec<(String, Value)>, JsonError> {
        let value = |lite: &Lite| match lite {
            Lite::Null => Value::Null,
            Lite::Bool(b) => Value::Bool(*b),
            Lite::Number(text) => parse_value(text.as_bytes()).expect("a JSON number"),
            Lite::String(text) => Value::String(text.to_string()),
            Lite::Nested(value) => value.clone(),
        };
        scan_object(text).map(|members| {
            members
                .iter()
                .map(|(name, lite)| (name.to_string(), value(lite)))
                .collect()
        })
    }

    fn parsed(text: &[u8]) -> Result<Vec<(String, Value)>, JsonError> {
        parse_object(text).map(|map| map.into_iter().collect())
    }

    #[test]
    fn the_scan_reads_what_the_parser_reads() {
        for text in [
            &br#"{"alg":"HS256","typ":"JWT"}"#[..],
            br#" { "a" : [1, {"b": null}], "c": true, "d": false, "e": -0.5e+3 } "#,
            br#"{"s":"a\"b\u00e9\n","\u0061":1}"#,
            br#"{"n":18446744073709551617,"x":1e999,"y":-0}"#,
            br#"{}"#,
        ] {
            assert_eq!(
                scanned(text),
                parsed(text),
                "{}",
                String::from_utf8_lossy(text)
            );
            assert!(scanned(text).is_ok());
        }
        for text in [
            &br#"{"alg":1,"\u0061lg":2}"#[..],
            br#"{"a":{"b":1,"b":2}}"#,
            b"[1]",
            b"1",
            b"\"s\"",
            b"\xEF\xBB\xBF{}",
            b"{} x",
            br#"{"s":"\ud800"}"#,
        ] {
            assert_eq!(
                scanned(text),
                parsed(text),
                "{}",
                String::from_utf8_lossy(text)
            );
            assert!(scanned(text).is_err());
        }
        let many: String = (0..100).map(|i| format!(",\"m{i}\":{i}")).collect();
        let text = format!("{{\"m0\":0{many}}}");
        assert_eq!(scanned(text.as_bytes()), parsed(text.as_bytes()));
        assert!(matches!(
            scanned(text.as_bytes()),
            Err(JsonError::Duplicate(_))
        ));
        let deep = format!(
            r#"{{"a":{}1{}}}"#,
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert_eq!(scanned(deep.as_bytes()), Err(JsonError::TooDeep(MAX_DEPTH)));
        let deeper = format!(r#"{{"a":{}1{}}}"#, "[".repeat(200), "]".repeat(200));
        assert_eq!(
            scanned(deeper.as_bytes()),
            Err(JsonError::TooDeep(MAX_DEPTH))
        );
    }

    proptest::proptest! {
        /// JSON-like text from the characters that matter (escapes, numbers, nesting,
        /// repeated names): the scan and the strict parser agree on every input.
        #[test]
        fn the_scan_agrees_with_the_parser(text in r#"\{("[ab\\u0061]{0,3}":([0-9.eE+-]{1,4}|"[a\\"nu0-9]{0,4}"|true|null|\[[0-9,\[\]{}":ab]{0,8}\]|\{[":ab,0-9{}]{0,8}\}),?){0,5}\} ?"#) {
            proptest::prop_assert_eq!(scanned(text.as_bytes()), parsed(text.as_bytes()));
        }

        #[test]
        fn the_scan_agrees_on_any_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            let mut text = b"{\"a\":".to_vec();
            text.extend(&bytes);
            proptest::prop_assert_eq!(scanned(&text), parsed(&text));
        }
    }

    /// serde_json (arbitrary_precision) hands a number over as a one-member map under
    /// NUMBER_TOKEN; a real member of that name, escaped or not, first or not, at any depth,
    /// is a member like any other, for the parser and the scan alike.
    #[test]
    fn a_member_named_like_the_number_marker_is_a_member() {
        for text in [
            &br#"{"$serde_json::private::Number":"1"}"#[..],
            br#"{"$serde_json::private::Number":1}"#,
            br#"{"$serde_json::private::Number":"1","b":2}"#,
            br#"{"exp":{"$serde_json::private::Number":"99999999999"}}"#,
            br#"{"exp":{"\u0024serde_json::private::Number":"5"}}"#,
            br#"{"a":[{"$serde_json::private::Number":{"x":[]}}]}"#,
            br#"{"a":{"x":1,"$serde_json::private::Number":"2"}}"#,
        ] {
            let shown = String::from_utf8_lossy(text);
            let parsed = parsed(text).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert_eq!(scanned(text), Ok(parsed.clone()), "{shown}");
            let again = serde_json::to_string(&Value::Object(parsed.into_iter().collect()));
            assert!(
                again.unwrap().contains("serde_json::private::Number"),
                "{shown}"
            );
        }
        let members = scan_object(br#"{"exp":{"$serde_json::private::Number":"9"}}"#).unwrap();
        let exp = members.get("exp").unwrap();
        assert_eq!((exp.kind(), exp.as_f64()), ("an object", None));
        // Real numbers still keep their text exactly.
        let map = parse_object(br#"{"n":18446744073709551617,"m":{"f":1E+2}}"#).unwrap();
        assert_eq!(map["n"].to_string(), "18446744073709551617");
        assert_eq!(map["m"]["f"].as_f64(), Some(100.0));
    }

    #[test]
    fn keeps_member_order() {
        let map = parse_object(br#"{"z":1,"a":2,"m":3}"#).unwrap();
        assert_eq!(map.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
    }

    #[test]
    fn refuses_duplicates_at_top_level_and_nested() {
        assert_eq!(
            parse_object(br#"{"alg":"HS256","alg":"none"}"#),
            Err(JsonError::Duplicate("alg".into()))
        );
        assert_eq!(
            parse_object(br#"{"a":{"b":1,"b":2}}"#),
            Err(JsonError::Duplicate("b".into()))
        );
        // Escaped spellings of the same name are the same name.
        assert_eq!(
            parse_object(br#"{"alg":1,"\u0061lg":2}"#),
            Err(JsonError::Duplicate("alg".into()))
        );
    }

    #[test]
    fn refuses_non_objects_bom_and_trailing_data() {
        assert_eq!(
            parse_object(b"[1,2]"),
            Err(JsonError::NotObject("an array"))
        );
        assert_eq!(parse_object(b"\xEF\xBB\xBF{}"), Err(JsonError::Bom));
        assert!(matches!(parse_object(b"{} x"), Err(JsonError::Syntax(_))));
        assert!(matches!(
            parse_object(b"Payload"),
            Err(JsonError::Syntax(_))
        ));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse_value(deep.as_bytes()),
            Err(JsonError::TooDeep(MAX_DEPTH))
        );
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_value(fine.as_bytes()).is_ok());
        let deep_object = format!(
            "{}1{}",
            r#"{"a":"#.repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            parse_value(deep_object.as_bytes()),
            Err(JsonError::TooDeep(MAX_DEPTH))
        );
        assert_eq!(
            parse_value(br#"{"a":{"b":1,"b":2}}"#),
            Err(JsonError::Duplicate("b".into()))
        );
    }

    #[test]
    fn numbers_keep_their_exponent_as_written() {
        let text = r#"{"a":1e3,"b":[1E3,2e-5,3E+7],"c":{"d":-1.5e10},"s":"1e3 2E5","e":1e+2}"#;
        let map = parse_object(text.as_bytes()).unwrap();
        assert_eq!(serde_json::to_string(&map).unwrap(), text);
        assert_eq!(map["a"].as_f64(), Some(1000.0));
        assert_eq!(map["b"][1].as_f64(), Some(2e-5));
        assert_eq!(parse_value(b"1e3").unwrap().to_string(), "1e3");
        assert_eq!(parse_value(b" 4E2 ").unwrap().to_string(), "4E2");
        let members = scan_object(text.as_bytes()).unwrap();
        assert_eq!(members.get("b").unwrap().to_string(), "[1E3,2e-5,3E+7]");
    }

    #[test]
    fn big_numbers_stay_numbers() {
        let map = parse_object(br#"{"exp":1e300,"n":18446744073709551616}"#).unwrap();
        assert!(map["exp"].as_f64().unwrap() > 1e299);
        assert!(map["n"].as_f64().is_some());
    }

    #[test]
    fn numbers_keep_their_text() {
        let text = r#"{"a":18446744073709551617,"b":1180591620717411303424,"c":-12345678901234567890123,"d":1.0,"e":1e+2,"f":0.1000000000000000000001,"g":[3],"h":{"i":-0}}"#;
        let map = parse_object(text.as_bytes()).unwrap();
        assert_eq!(serde_json::to_string(&map).unwrap(), text);
        assert_eq!(map["b"].as_f64(), Some(1180591620717411303424.0));
        assert!(matches!(
            parse_value(b"1e999"),
            Ok(Value::Number(_)) | Err(_)
        ));
    }
}
