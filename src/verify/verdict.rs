//! What verifying a token found: the verdict with every failed check, and the key that
//! verified it.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value};

use crate::dpop;
use crate::json;
use crate::reason::{Failure, Reason};

/// The outcome for one token.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Every failed check; empty when the token is valid.
    pub failures: Vec<Failure>,
    /// The header's `alg`, when it is a string (borrowed when it names a known algorithm).
    pub alg: Option<Cow<'static, str>>,
    /// The key that verified the signature.
    pub key: Option<Arc<MatchedKey>>,
    /// The header's JSON text, exactly as signed, when the signature verified (a JSON object
    /// with unique names: [`Verdict::header`] reads it).
    pub header_json: Option<Vec<u8>>,
    /// The claims' JSON text, exactly as signed, when the signature verified and they are a
    /// JSON object with unique names ([`Verdict::claims`] reads it).
    pub claims_json: Option<Vec<u8>>,
    /// The claims' `exp`, when it is a number (set with `claims_json`).
    pub exp: Option<f64>,
    /// The sender constraint the claims declare (`cnf.jkt`, `cnf["x5t#S256"]`).
    pub bound: Option<dpop::Bound>,
    /// For an SD-JWT whose disclosures were processed: what was disclosed and bound.
    pub sd: Option<SdSummary>,
    /// What the user should know about a verdict beyond its failures (an SD-JWT's key
    /// binding that went partly unchecked, …).
    pub notes: Vec<String>,
}

/// An SD-JWT's disclosures and key binding, as `--json` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SdSummary {
    /// Disclosures applied.
    pub disclosed: usize,
    /// Digests left undisclosed (hidden claims and decoys alike).
    pub undisclosed: usize,
    /// Whether a KB-JWT came with it.
    pub kb: bool,
}

impl Verdict {
    /// The header, when the signature verified.
    pub fn header(&self) -> Option<Map<String, Value>> {
        json::parse_object(self.header_json.as_deref()?).ok()
    }

    /// The claims, when the signature verified and they are a JSON object.
    pub fn claims(&self) -> Option<Map<String, Value>> {
        json::parse_object(self.claims_json.as_deref()?).ok()
    }

    /// Whether every check passed.
    pub fn is_valid(&self) -> bool {
        self.failures.is_empty()
    }

    /// The first reason by precedence.
    pub fn reason(&self) -> Option<Reason> {
        self.failures.iter().map(|f| f.reason).min()
    }

    /// Every failure, most important first, as `code: message; …`.
    pub fn message(&self) -> String {
        let mut failures: Vec<&Failure> = self.failures.iter().collect();
        failures.sort_by_key(|f| f.reason);
        failures
            .iter()
            .map(|f| format!("{}: {}", f.reason.code(), f.message))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) fn fail(mut self, reason: Reason, message: impl Into<String>) -> Self {
        self.failures.push(Failure {
            reason,
            message: message.into(),
        });
        self
    }
}

/// The key that verified a token, as `--json` names it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MatchedKey {
    /// Its kid, if it has one.
    pub kid: Option<String>,
    /// Where it came from: a path, `$VAR`, a URL.
    pub source: String,
    /// Its RFC 7638 thumbprint; `None` for an HMAC secret (a hash of a secret is never
    /// published).
    pub thumbprint: Option<String>,
    /// How messages name it: its kid, or where it came from.
    #[serde(skip)]
    pub label: String,
    /// [`MatchedKey::json_members`], rendered at its first use.
    #[serde(skip)]
    rendered: OnceLock<Box<str>>,
}

/// Equal when they name the same key (whether its JSON was rendered yet does not count).
impl PartialEq for MatchedKey {
    fn eq(&self, other: &Self) -> bool {
        (&self.kid, &self.source, &self.thumbprint, &self.label)
            == (&other.kid, &other.source, &other.thumbprint, &other.label)
    }
}

impl Eq for MatchedKey {}

impl MatchedKey {
    /// The key as verdicts name it.
    pub fn new(
        kid: Option<String>,
        source: String,
        thumbprint: Option<String>,
        label: String,
    ) -> Self {
        MatchedKey {
            kid,
            source,
            thumbprint,
            label,
            rendered: OnceLock::new(),
        }
    }

    /// `"kid":…,"key":{"kid":…,"source":…,"thumbprint":…` — a JSON verdict's members for this
    /// key up to the key's `cached` flag and closing brace, rendered once: `--batch` writes
    /// them for every token.
    pub fn json_members(&self) -> &str {
        self.rendered.get_or_init(|| {
            // Strings only: serialising them cannot fail.
            let kid = serde_json::to_string(&self.kid).unwrap_or_default();
            let key = serde_json::to_string(self).unwrap_or_default();
            let open = key.strip_suffix('}').unwrap_or(&key);
            format!("\"kid\":{kid},\"key\":{open}").into_boxed_str()
        })
    }
}
