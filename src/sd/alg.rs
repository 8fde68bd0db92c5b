//! The hash function of an SD-JWT (`_sd_alg`) and the header types of its parts: the bottom
//! of the SD-JWT files, importing none of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::json;

/// The header `typ` of a KB-JWT.
pub const KB_TYP: &str = "kb+jwt";

/// The hash function of `_sd_alg` (RFC 9901 §4.1.1): the digests of disclosures and the
/// KB-JWT's `sd_hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdAlg {
    /// `sha-256`, the default when `_sd_alg` is absent.
    Sha256,
    /// `sha-384`.
    Sha384,
    /// `sha-512`.
    Sha512,
}

impl std::str::FromStr for SdAlg {
    type Err = String;

    /// `sha-256`, `sha-384` or `sha-512`, spelled exactly so.
    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "sha-256" => Ok(SdAlg::Sha256),
            "sha-384" => Ok(SdAlg::Sha384),
            "sha-512" => Ok(SdAlg::Sha512),
            other => Err(format!(
                "{:?} is not sha-256, sha-384 or sha-512",
                crate::text::cut(other)
            )),
        }
    }
}

impl SdAlg {
    /// The algorithm named by the claims' `_sd_alg` (`sha-256` when absent); another name,
    /// or a value that is not a string, is unsupported (the message says which).
    pub fn of(claims: &Map<String, Value>) -> Result<Self, String> {
        match claims.get("_sd_alg") {
            None => Ok(SdAlg::Sha256),
            Some(Value::String(name)) => name.parse().map_err(|_| {
                format!(
                    "_sd_alg {:?} is not one jwtk knows (sha-256, sha-384, sha-512)",
                    crate::text::cut(name)
                )
            }),
            Some(other) => Err(format!("_sd_alg is {}, not a string", json::kind_of(other))),
        }
    }

    /// The IANA name (`sha-256`, …).
    pub fn name(self) -> &'static str {
        match self {
            SdAlg::Sha256 => "sha-256",
            SdAlg::Sha384 => "sha-384",
            SdAlg::Sha512 => "sha-512",
        }
    }

    /// base64url(hash(`text`'s ASCII bytes)): a disclosure's digest, or `sd_hash`.
    pub fn digest(self, text: &str) -> String {
        let alg = match self {
            SdAlg::Sha256 => &aws_lc_rs::digest::SHA256,
            SdAlg::Sha384 => &aws_lc_rs::digest::SHA384,
            SdAlg::Sha512 => &aws_lc_rs::digest::SHA512,
        };
        URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(alg, text.as_bytes()).as_ref())
    }
}

/// Whether a header `typ` names an SD-JWT VC (`dc+sd-jwt`, or the older `vc+sd-jwt`; any
/// case, with or without `application/`).
pub fn is_vc_typ(typ: &str) -> bool {
    let bare = crate::typ::bare(typ);
    bare == "dc+sd-jwt" || bare == "vc+sd-jwt"
}

/// Whether a header `typ` is `kb+jwt` (any case, with or without `application/`).
pub fn is_kb_typ(typ: &str) -> bool {
    crate::typ::same(typ, KB_TYP)
}
