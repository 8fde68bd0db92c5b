//! Strict JSON for JOSE: objects whose member names are unique at every depth.
//!
//! serde_json keeps the last of two equal names silently; RFC 7515 §4 and RFC 7519 §4 say a
//! JOSE header or claims set with duplicate names must be rejected (or parsed as last-wins,
//! which lets two parsers see two different tokens). This module parses into ordinary
//! `serde_json::Value`s, in the original member order, and refuses duplicates. Depth stays
//! bounded by serde_json's recursion limit (128).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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
    let strict = StrictValue {
        depth: 0,
        fault: &fault,
    };
    let value = strict
        .deserialize(&mut de)
        .map_err(|err| fault.take().unwrap_or_else(|| syntax(&err)))?;
    de.end().map_err(|err| syntax(&err))?;
    Ok(value)
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
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
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
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let name = match key {
                // A number, handed over as its text: keep it exactly as written.
                Key::Number if map.is_empty() => {
                    let text = access.next_value::<String>()?;
                    return text
                        .parse::<Number>()
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

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            NUMBER_TOKEN => Key::Number,
            name => Key::Name(name.to_owned()),
        })
    }

    fn visit_string<E>(self, v: String) -> Result<Key, E> {
        Ok(match v.as_str() {
            NUMBER_TOKEN => Key::Number,
            _ => Key::Name(v),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
