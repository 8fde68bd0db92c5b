//! The `typ` header: a media type, compared as RFC 7515 §4.1.9 says — case-insensitive, and
//! with or without the `application/` prefix (`JWT`, `application/jwt` and `jwt` are one).
//! The bottom of the crate: it imports nothing from it.

use serde_json::{Map, Value};

/// `typ` in lower case, without `application/`.
pub fn bare(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    match lower.strip_prefix("application/") {
        Some(rest) => rest.to_string(),
        None => lower,
    }
}

/// Whether two `typ` values name the same media type.
pub fn same(a: &str, b: &str) -> bool {
    bare(a) == bare(b)
}

/// Whether `header`'s `typ` (a string) names `expected`.
pub fn header_is(header: &Map<String, Value>, expected: &str) -> bool {
    header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(|typ| same(typ, expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_compare_as_rfc_7515_says() {
        assert_eq!(bare("application/DPoP+JWT"), "dpop+jwt");
        assert_eq!(bare("JWT"), "jwt");
        assert!(same("application/at+jwt", "AT+JWT"));
        assert!(!same("at+jwt", "jwt"));
        assert!(!same("application/", "jwt"));
        let header = serde_json::json!({"typ": "application/dpop+jwt"});
        assert!(header_is(header.as_object().unwrap(), "dpop+jwt"));
        let header = serde_json::json!({"typ": 1});
        assert!(!header_is(header.as_object().unwrap(), "1"));
    }
}
