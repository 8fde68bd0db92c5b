//! The token as the rules see it: header, claims, the issuer family it matched, and the
//! questions rules share (the client identifier, signs of a login, the grant markers).

use serde_json::{Map, Value};

use super::issuers::Issuer;

/// Longest value a pattern is matched against: a longer issuer or subject matches no row,
/// which keeps matching linear whatever the token holds.
const MAX_MATCHED: usize = 2048;

/// The grant-type URN prefix some issuers write in front of a grant name.
const GRANT_URN: &str = "urn:ietf:params:oauth:grant-type:";

/// The token's view for the rules.
pub struct Facts<'a> {
    pub header: &'a Map<String, Value>,
    pub claims: &'a Map<String, Value>,
    /// The issuer family whose issuer or unique claim the token carries.
    pub issuer: Option<&'static Issuer>,
}

impl<'a> Facts<'a> {
    pub fn str(&self, name: &str) -> Option<&'a str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.claims.contains_key(name)
    }

    /// The header `typ`, lower case, without `application/`.
    pub fn typ(&self) -> Option<String> {
        let typ = self.header.get("typ")?.as_str()?.to_ascii_lowercase();
        Some(
            typ.strip_prefix("application/")
                .map(str::to_string)
                .unwrap_or(typ),
        )
    }

    pub fn iss(&self) -> &'a str {
        self.str("iss").unwrap_or_default()
    }

    pub fn sub(&self) -> Option<&'a str> {
        self.str("sub")
    }

    /// The provider name of the matched issuer family.
    pub fn provider(&self) -> Option<&'static str> {
        self.issuer.map(|i| i.provider)
    }

    /// The client identifier and the claim holding it (`client_id`, `cid`, `appid`, `azp`).
    /// A URL is not a client identifier: browser-session issuers put the page's origin in
    /// `azp`.
    pub fn client(&self) -> Option<(&'static str, &'a str)> {
        ["client_id", "cid", "appid", "azp"]
            .into_iter()
            .find_map(|name| Some((name, self.str(name).filter(|v| !is_url(v))?)))
    }

    /// `azp` when it holds a URL (an origin) rather than a client identifier.
    pub fn azp_url(&self) -> Option<&'a str> {
        self.str("azp").filter(|v| is_url(v))
    }

    /// Signs that a user logged in: `auth_time`, `amr`, `sid`, `nonce`.
    pub fn login_signs(&self) -> Vec<&'static str> {
        ["auth_time", "amr", "sid", "nonce"]
            .into_iter()
            .filter(|n| self.has(n))
            .collect()
    }

    /// The grants a `gty` marker names, wherever the issuer put it (claims or header,
    /// string or list), spelled with `_` and without the grant-type URN prefix.
    pub fn grants(&self) -> Vec<String> {
        let gty = self.claims.get("gty").or_else(|| self.header.get("gty"));
        let names: Vec<&str> = match gty {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        names.into_iter().map(grant_name).collect()
    }

    /// Whether a `gty` marker is present anywhere (claims or header).
    pub fn has_gty(&self) -> bool {
        self.has("gty") || self.header.contains_key("gty")
    }

    /// The single audience, when `aud` is one string (or a list of one).
    pub fn single_aud(&self) -> Option<&'a str> {
        match self.claims.get("aud")? {
            Value::String(s) => Some(s),
            Value::Array(items) if items.len() == 1 => items[0].as_str(),
            _ => None,
        }
    }

    /// `exp - iat` in seconds, when both are numbers.
    pub fn lifetime(&self) -> Option<f64> {
        let exp = self.claims.get("exp")?.as_f64()?;
        Some(
            exp - self
                .claims
                .get("iat")
                .and_then(Value::as_f64)
                .unwrap_or(0.0),
        )
    }

    /// Whether the string claim `name` matches `pattern` (see [`glob`]).
    pub fn value_matches(&self, name: &str, pattern: &str) -> bool {
        self.str(name).is_some_and(|v| glob(pattern, v))
    }
}

/// A grant name spelled as the contract spells flows: `_`, no URN prefix.
pub fn grant_name(raw: &str) -> String {
    raw.strip_prefix(GRANT_URN)
        .unwrap_or(raw)
        .replace('-', "_")
        .to_ascii_lowercase()
}

fn is_url(value: &str) -> bool {
    value.contains("://")
}

/// Match `text` against `pattern`, where `*` stands for any run of characters without `/`
/// (a host label, a path segment) and `**` for any run at all. Texts over 2048 bytes never
/// match.
pub fn glob(pattern: &str, text: &str) -> bool {
    text.len() <= MAX_MATCHED && glob_bytes(pattern.as_bytes(), text.as_bytes())
}

fn glob_bytes(p: &[u8], t: &[u8]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some(b'*') => {
            let deep = p.get(1) == Some(&b'*');
            let rest = &p[if deep { 2 } else { 1 }..];
            for i in 0..=t.len() {
                if glob_bytes(rest, &t[i..]) {
                    return true;
                }
                if i < t.len() && !deep && t[i] == b'/' {
                    return false;
                }
            }
            false
        }
        Some(&c) => t.first() == Some(&c) && glob_bytes(&p[1..], &t[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_stars() {
        assert!(glob(
            "https://token.actions.githubusercontent.com/*",
            "https://token.actions.githubusercontent.com/octo-ent"
        ));
        assert!(!glob(
            "https://token.actions.githubusercontent.com/*",
            "https://token.actions.githubusercontent.com/a/b"
        ));
        assert!(glob(
            "*://**/realms/*",
            "https://sso.example.com/auth/realms/acme"
        ));
        assert!(!glob(
            "*://**/realms/*",
            "https://sso.example.com/realms/acme/x"
        ));
        assert!(glob("*@clients", "abc@clients"));
        assert!(!glob("exact", "exact!"));
        assert!(!glob("**", &"a".repeat(MAX_MATCHED + 1)));
    }

    #[test]
    fn grant_spellings() {
        assert_eq!(grant_name("client-credentials"), "client_credentials");
        assert_eq!(
            grant_name("urn:ietf:params:oauth:grant-type:device_code"),
            "device_code"
        );
    }
}
