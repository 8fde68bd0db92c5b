//! The token as the rules see it: header, claims, the issuer family it matched, and the
//! questions rules share (the client identifier, signs of a login, the grant markers, the
//! conditions of issuer rows).

use serde_json::{Map, Value};

use super::labels::Flow;
use super::signs::{Cond, Issuer};

/// Longest value a pattern is matched against: a longer issuer or subject matches no row,
/// which keeps matching linear whatever the token holds.
const MAX_MATCHED: usize = 2048;

/// Claims whose name says they name a grant (compared lower case, without `_` and `-`).
const GRANT_CLAIMS: &[&str] = &["gty", "granttype", "granttypes", "grant"];

/// Claims that describe the person a token is about.
const PERSON_CLAIMS: &[&str] = &[
    "email",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "username",
    "user_name",
    "user",
    "groups",
    "roles",
];

/// The token's view for the rules.
pub struct Facts<'a> {
    pub header: &'a Map<String, Value>,
    pub claims: &'a Map<String, Value>,
    /// The issuer family whose issuer or unique claim the token carries.
    pub issuer: Option<&'static Issuer>,
}

/// A grant named in the token, where it was found.
pub struct GrantMarker {
    /// `gty`, `grant_type`, `header gty`, …
    pub at: String,
    /// The names as written.
    pub names: Vec<String>,
    /// The names jwtk knows, as flows.
    pub flows: Vec<Flow>,
}

impl GrantMarker {
    /// The grant the marker stands for: refreshing names the latest grant, client credentials
    /// wins over the rest, else the last known name (Auth0 lists a session's grants).
    pub fn flow(&self) -> Option<Flow> {
        let has = |f: Flow| self.flows.contains(&f);
        if has(Flow::RefreshToken) {
            Some(Flow::RefreshToken)
        } else if has(Flow::ClientCredentials) {
            Some(Flow::ClientCredentials)
        } else {
            self.flows.last().copied()
        }
    }

    pub fn describe(&self) -> String {
        format!("{} {}", self.at, self.names.join(", "))
    }
}

impl<'a> Facts<'a> {
    pub fn str(&self, name: &str) -> Option<&'a str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn has(&self, name: &str) -> bool {
        self.claims.contains_key(name)
    }

    /// A claim by name, or by a dotted path into objects (`grants.identity`).
    pub fn path(&self, path: &str) -> Option<&'a Value> {
        lookup(self.claims, path).into_iter().next().map(|(_, v)| v)
    }

    /// The first of `paths` that holds a non-empty string.
    pub fn first_str(&self, paths: &[&str]) -> Option<&'a str> {
        paths
            .iter()
            .find_map(|p| self.path(p)?.as_str().filter(|s| !s.is_empty()))
    }

    /// The header `typ`, lower case, without `application/`.
    pub fn typ(&self) -> Option<String> {
        Some(crate::typ::bare(self.header.get("typ")?.as_str()?))
    }

    pub fn iss(&self) -> &'a str {
        self.str("iss").unwrap_or_default()
    }

    /// `sub`, unless it is empty (an empty `sub` names no one).
    pub fn sub(&self) -> Option<&'a str> {
        self.str("sub").filter(|s| !s.is_empty())
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

    /// Session markers: `sid`, `auth_time`, `amr`, and claims named for a session
    /// (`session_id`, `sessionHandle`, …).
    pub fn session_signs(&self) -> Vec<&'a str> {
        self.claims
            .keys()
            .map(String::as_str)
            .filter(|k| {
                matches!(*k, "sid" | "auth_time" | "amr")
                    || k.to_ascii_lowercase().contains("session")
            })
            .collect()
    }

    /// Claims that describe a person (`email`, `name`, `username`, `groups`, …).
    pub fn person_claims(&self) -> Vec<&'static str> {
        PERSON_CLAIMS
            .iter()
            .copied()
            .filter(|n| self.has(n))
            .collect()
    }

    /// Claims only an OAuth access token carries: a scope or a client identifier.
    pub fn oauth_claims(&self) -> Vec<&'static str> {
        ["scope", "scp", "client_id", "cid", "appid"]
            .into_iter()
            .filter(|n| self.has(n))
            .collect()
    }

    /// A grant named anywhere: in a claim or header parameter named for a grant (`gty`,
    /// `grant_type`, …), or as a grant-type URN in any string claim; string or list,
    /// `client-credentials` or `client_credentials`.
    pub fn grant_marker(&self) -> Option<GrantMarker> {
        let named = |map: &'a Map<String, Value>, place: &str| {
            map.iter().find_map(|(name, value)| {
                let key: String = name
                    .chars()
                    .filter(|c| *c != '_' && *c != '-')
                    .collect::<String>()
                    .to_ascii_lowercase();
                GRANT_CLAIMS
                    .contains(&key.as_str())
                    .then(|| marker(format!("{place}{name}"), value))
                    .flatten()
            })
        };
        let urn = || {
            self.claims.iter().find_map(|(name, value)| {
                let s = value.as_str()?;
                (s.starts_with("urn:ietf:params:oauth:grant-type:")
                    || s.starts_with("urn:openid:params:grant-type:"))
                .then(|| marker(name.clone(), value))
                .flatten()
            })
        };
        named(self.claims, "")
            .or_else(|| named(self.header, "header "))
            .or_else(urn)
    }

    /// Every audience (`aud` as a string or a list of strings).
    pub fn auds(&self) -> Vec<&'a str> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The single audience, when `aud` is one string (or a list of one).
    pub fn single_aud(&self) -> Option<&'a str> {
        match self.auds().as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// `exp - iat` in seconds, when both are numbers.
    pub fn lifetime(&self) -> Option<f64> {
        let exp = self.claims.get("exp")?.as_f64()?;
        Some(exp - self.claims.get("iat")?.as_f64()?)
    }

    /// Whether a row's condition holds for this token.
    pub fn holds(&self, cond: &Cond) -> bool {
        match *cond {
            Cond::Iss(p) => self.str("iss").is_some_and(|v| url_matches(p, v)),
            Cond::Sub(p) => self.str("sub").is_some_and(|v| glob(p, v)),
            Cond::Aud(p) => self.auds().iter().any(|v| url_matches(p, v)),
            Cond::Value(name, p) => self
                .path(name)
                .and_then(Value::as_str)
                .is_some_and(|v| glob(p, v)),
            Cond::Has(name) => self.path(name).is_some(),
            Cond::Lacks(name) => self.path(name).is_none(),
            Cond::Prefix(p) => self.claims.keys().any(|k| k.starts_with(p)),
            Cond::Header(name, p) => self
                .header
                .get(name)
                .and_then(Value::as_str)
                .is_some_and(|v| glob(p, v)),
            Cond::Same(a, b) => self.str(a).is_some_and(|v| Some(v) == self.str(b)),
        }
    }

    /// Whether every condition holds.
    pub fn all(&self, conds: &[Cond]) -> bool {
        conds.iter().all(|c| self.holds(c))
    }
}

fn marker(at: String, value: &Value) -> Option<GrantMarker> {
    let names: Vec<String> = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => return None,
    };
    let flows: Vec<Flow> = names
        .iter()
        .filter_map(|n| Flow::from_grant_name(n))
        .collect();
    (!flows.is_empty()).then_some(GrantMarker { at, names, flows })
}

/// Whether the value is a URL (it has a scheme).
pub fn is_url(value: &str) -> bool {
    value.contains("://")
}

/// Whether the value names an authority — a URL, or a host name with an optional path
/// (`authenticate.corp.example.com`, `stytch.com/project-…`) — rather than an opaque
/// identifier such as a client id or a key id.
pub fn is_authority(value: &str) -> bool {
    if is_url(value) {
        return true;
    }
    let host = value.split('/').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Match an issuer (or an audience URL) against a row's pattern. A pattern with a scheme is
/// matched part by part: the host label by label, where `*` is one label and `**` one or more
/// (so `*.okta.com` is Okta's own subdomain and nothing else), and the path with [`glob`]. The
/// value's host must be a plain host name and port: user info (`okta.com@evil`), a query or a
/// fragment would let someone else's issuer end in the family's domain. Hosts compare lower
/// case; a port in the value is ignored unless the pattern names one.
pub fn url_matches(pattern: &str, value: &str) -> bool {
    if !pattern.contains("://") {
        return glob(pattern, value);
    }
    let (Some((p_scheme, p_rest)), Some((scheme, rest))) =
        (pattern.split_once("://"), value.split_once("://"))
    else {
        return false;
    };
    let split = |s: &'_ str| -> (String, String) {
        match s.find('/') {
            Some(at) => (s[..at].to_string(), s[at..].to_string()),
            None => (s.to_string(), String::new()),
        }
    };
    let ((p_host, p_path), (host, path)) = (split(p_rest), split(rest));
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !plain || value.len() > MAX_MATCHED || value.contains(['?', '#', '\\']) {
        return false;
    }
    let host = host.to_ascii_lowercase();
    let host = if p_host.contains(':') {
        host.as_str()
    } else {
        host.split(':').next().unwrap_or_default()
    };
    glob(p_scheme, scheme) && labels_match(&p_host, host) && glob(&p_path, &path)
}

/// A host against a host pattern, label by label: `*` is one label, `**` one or more.
fn labels_match(pattern: &str, host: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    h.iter().all(|l| !l.is_empty()) && labels(&p, &h)
}

fn labels(p: &[&str], h: &[&str]) -> bool {
    match p.split_first() {
        None => h.is_empty(),
        Some((&"**", rest)) => (1..=h.len()).any(|n| labels(rest, &h[n..])),
        Some((&"*", rest)) => !h.is_empty() && labels(rest, &h[1..]),
        Some((label, rest)) => h.first() == Some(label) && labels(rest, &h[1..]),
    }
}

/// The values at a path: a plain claim name (which may hold dots or slashes), or
/// `a.b` / `a.*.b` into nested objects (`*` stands for every member).
pub fn lookup<'a>(claims: &'a Map<String, Value>, path: &str) -> Vec<(String, &'a Value)> {
    if let Some(value) = claims.get(path) {
        return vec![(path.to_string(), value)];
    }
    let Some((head, rest)) = path.split_once('.') else {
        return Vec::new();
    };
    let Some(Value::Object(inner)) = claims.get(head) else {
        return Vec::new();
    };
    match rest.split_once('.') {
        Some(("*", tail)) => inner
            .iter()
            .filter_map(|(key, v)| {
                let found = lookup(v.as_object()?, tail);
                let (name, value) = found.into_iter().next()?;
                Some((format!("{head}.{key}.{name}"), value))
            })
            .collect(),
        _ => lookup(inner, rest)
            .into_iter()
            .map(|(name, v)| (format!("{head}.{name}"), v))
            .collect(),
    }
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
    use serde_json::json;

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
    fn issuer_patterns_need_a_plain_host() {
        let p = "https://*.okta.com/**";
        assert!(url_matches(p, "https://dev-1.okta.com/oauth2/default"));
        assert!(url_matches(p, "https://DEV-1.OKTA.COM/oauth2/default"));
        assert!(url_matches(p, "https://dev-1.okta.com:443/oauth2/default"));
        assert!(!url_matches(p, "https://a.b.okta.com/oauth2/default"));
        assert!(url_matches(
            "https://**.auth0.com/",
            "https://acme.us.auth0.com/"
        ));
        // host and path match separately: a path prefix is a pattern of its own
        let realm = "http://sso.example.com:8080/auth/realms/acme";
        assert!(!url_matches("*://**/realms/*", realm));
        assert!(url_matches("*://**/**/realms/*", realm));
        let region = "https://cognito-idp.*.amazonaws.com/*";
        assert!(url_matches(
            region,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab"
        ));
        assert!(!url_matches(
            region,
            "https://cognito-idp.bucket.s3.amazonaws.com/x"
        ));
        for lookalike in [
            "https://evil.example?.okta.com/x",
            "https://evil.example#.okta.com/x",
            "https://u@evil.example.okta.com.evil.example/x",
            "https://okta.com.evil.example/a.okta.com/x",
            "https://evil.example/x.okta.com/y",
        ] {
            assert!(!url_matches(p, lookalike), "{lookalike}");
        }
        assert!(url_matches("accounts.google.com", "accounts.google.com"));
    }

    #[test]
    fn authorities_and_identifiers() {
        for a in [
            "https://idp.example.com",
            "authenticate.corp.example.com",
            "stytch.com/project-live-1",
        ] {
            assert!(is_authority(a), "{a}");
        }
        for id in [
            "3MVG99OxTyEMCQ3gNp2Pj_rSK.BoSVPGZHQukXn75NL7yfkQcyy7",
            "Iv23liAbCdEfGhIjKlMn",
            "57246542-96fe-1a63-e053-0824d011072a",
            "svc@proj.iam.gserviceaccount.com",
            "DEF123GHIJ",
        ] {
            assert!(!is_authority(id), "{id}");
        }
    }

    #[test]
    fn grant_markers_anywhere() {
        let header = Map::new();
        let claims = json!({"grant_type": "password", "sub": "u"});
        let f = Facts {
            header: &header,
            claims: claims.as_object().unwrap(),
            issuer: None,
        };
        let m = f.grant_marker().unwrap();
        assert_eq!(
            (m.at.as_str(), m.flow()),
            ("grant_type", Some(Flow::Password))
        );
        let claims = json!({"how": "urn:ietf:params:oauth:grant-type:token-exchange"});
        let f = Facts {
            claims: claims.as_object().unwrap(),
            ..f
        };
        assert_eq!(f.grant_marker().unwrap().flow(), Some(Flow::TokenExchange));
        let claims = json!({"grants": {"identity": "alice"}, "gty": "something-else"});
        let f = Facts {
            claims: claims.as_object().unwrap(),
            ..f
        };
        assert!(f.grant_marker().is_none());
    }
}
