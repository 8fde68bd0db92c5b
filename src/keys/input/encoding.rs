//! How a raw secret's text becomes bytes (`--secret-encoding`).

/// How a raw secret's text becomes bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretEncoding {
    /// The bytes, which must be UTF-8 text.
    Utf8,
    /// Standard base64 (padding optional, line breaks allowed).
    Base64,
    /// base64url (padding optional, line breaks allowed).
    Base64Url,
    /// Hexadecimal (line breaks allowed).
    Hex,
}

impl SecretEncoding {
    /// The flag value naming this encoding.
    pub fn name(self) -> &'static str {
        match self {
            SecretEncoding::Utf8 => "utf8",
            SecretEncoding::Base64 => "base64",
            SecretEncoding::Base64Url => "base64url",
            SecretEncoding::Hex => "hex",
        }
    }
}
