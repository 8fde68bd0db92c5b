//! `application/x-www-form-urlencoded` bodies (the WHATWG URL standard's parser, strictly):
//! `+` is a space, `%XX` a byte; a bad escape, bytes that are not UTF-8 once decoded, or a
//! parameter given twice (`resource` aside, RFC 8707 §2) is refused (RFC 6749 §3.2). A
//! parameter without a value is treated as omitted (RFC 6749 §3.1).

use zeroize::Zeroizing;

/// Why a body is not a form the token endpoint takes. Messages never repeat what was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    /// A `%` not followed by two hex digits.
    BadEscape,
    /// Decoded bytes that are not UTF-8.
    NotUtf8,
    /// A parameter given twice; its name when it is one the server knows.
    Repeated(Option<&'static str>),
}

impl FormError {
    /// The `error_description` (RFC 6749 §5.2's character set: no quotes, no backslash).
    pub fn describe(self) -> String {
        match self {
            FormError::BadEscape => "the body holds an invalid percent-escape".into(),
            FormError::NotUtf8 => "the body is not UTF-8 once decoded".into(),
            FormError::Repeated(Some(name)) => format!("the parameter {name} is given twice"),
            FormError::Repeated(None) => "a parameter is given twice".into(),
        }
    }
}

/// The parameters the server reads; a repeated one is named in the error.
const KNOWN: [&str; 14] = [
    "grant_type",
    "client_id",
    "client_secret",
    "scope",
    "resource",
    "audience",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "client_assertion",
    "client_assertion_type",
    "username",
    "password",
];

/// Parameters that may repeat.
const REPEATABLE: [&str; 1] = ["resource"];

/// A decoded form: its parameters in order, values wiped on drop (a `client_secret` is one).
#[derive(Default)]
pub struct Form {
    pairs: Vec<(String, Zeroizing<String>)>,
}

impl Form {
    /// Parse a body.
    pub fn parse(body: &[u8]) -> Result<Form, FormError> {
        let mut pairs: Vec<(String, Zeroizing<String>)> = Vec::new();
        // The names seen so far: a repeat is found in constant time, whatever the body holds.
        let mut seen = std::collections::HashSet::new();
        for piece in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match piece.iter().position(|&b| b == b'=') {
                Some(at) => (&piece[..at], &piece[at + 1..]),
                None => (piece, &b""[..]),
            };
            let name = decode(name)?;
            let value = decode(value)?;
            if !seen.insert(name.to_string()) && !REPEATABLE.contains(&name.as_str()) {
                return Err(FormError::Repeated(
                    KNOWN.iter().find(|k| **k == name.as_str()).copied(),
                ));
            }
            pairs.push((name.to_string(), value));
        }
        Ok(Form { pairs })
    }

    /// The value of `name`; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Decode one name or value: `+` is a space, `%XX` a byte; the result must be UTF-8.
pub fn decode(bytes: &[u8]) -> Result<Zeroizing<String>, FormError> {
    let mut out = Zeroizing::new(Vec::with_capacity(bytes.len()));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
                let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) else {
                    return Err(FormError::BadEscape);
                };
                out.push((high * 16 + low) as u8);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    match std::str::from_utf8(&out) {
        Ok(text) => Ok(Zeroizing::new(text.to_string())),
        Err(_) => Err(FormError::NotUtf8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly() {
        let form =
            Form::parse(b"grant_type=client_credentials&scope=a+b%20c&&x&resource=r1&resource=r2")
                .unwrap();
        assert_eq!(form.get("grant_type"), Some("client_credentials"));
        assert_eq!(form.get("scope"), Some("a b c"));
        assert_eq!(form.get("x"), None, "no value is omitted");
        assert_eq!(form.all("resource"), ["r1", "r2"]);
        assert_eq!(
            Form::parse(b"scope=a&scope=b").err(),
            Some(FormError::Repeated(Some("scope")))
        );
        assert_eq!(
            Form::parse(b"zz=a&zz=b").err(),
            Some(FormError::Repeated(None))
        );
        assert_eq!(Form::parse(b"a=%zz").err(), Some(FormError::BadEscape));
        assert_eq!(Form::parse(b"a=%4").err(), Some(FormError::BadEscape));
        assert_eq!(Form::parse(b"a=%ff").err(), Some(FormError::NotUtf8));
        assert_eq!(&*decode(b"%C3%A9%3D").unwrap(), "é=");
        for error in [
            FormError::BadEscape,
            FormError::NotUtf8,
            FormError::Repeated(Some("scope")),
            FormError::Repeated(None),
        ] {
            assert!(
                error
                    .describe()
                    .bytes()
                    .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
            );
        }
    }
}
