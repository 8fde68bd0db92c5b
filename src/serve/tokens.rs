//! Access tokens as RFC 9068 JWTs: `typ: at+jwt`; `iss`, `sub`, `aud`, `exp`, `iat`, `jti`,
//! `client_id` and `scope`, then the client's own claims. Signed with the server's key, as
//! `mint` signs.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::mint;
use crate::serve::signing::Keys;

/// What one access token says.
pub struct AccessToken<'a> {
    /// The issuer URL.
    pub issuer: &'a str,
    /// The subject: the user, or the client itself for `client_credentials`.
    pub sub: &'a str,
    /// The audience: a string, or an array of strings.
    pub aud: Value,
    /// The client it is issued to.
    pub client_id: &'a str,
    /// The scope granted, space-separated (possibly empty).
    pub scope: &'a str,
    /// Its lifetime in seconds.
    pub ttl: u64,
    /// Claims added for this client (never the ones above: the config refuses them).
    pub extra: &'a Map<String, Value>,
}

impl AccessToken<'_> {
    /// The claims set at `now`.
    pub fn claims(&self, now: i64) -> Map<String, Value> {
        let mut claims = Map::new();
        let text = |s: &str| Value::String(s.to_string());
        claims.insert("iss".into(), text(self.issuer));
        claims.insert("sub".into(), text(self.sub));
        claims.insert("aud".into(), self.aud.clone());
        let exp = now.saturating_add(i64::try_from(self.ttl).unwrap_or(i64::MAX));
        claims.insert("exp".into(), Value::from(exp));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("jti".into(), Value::String(mint::random_id()));
        claims.insert("client_id".into(), text(self.client_id));
        claims.insert("scope".into(), text(self.scope));
        for (name, value) in self.extra {
            if !claims.contains_key(name) {
                claims.insert(name.clone(), value.clone());
            }
        }
        claims
    }

    /// The signed token.
    pub fn sign(&self, keys: &Keys, now: i64) -> Result<String> {
        let header = mint::build_header(keys.alg().name(), "at+jwt", keys.kid.as_deref(), &[])?;
        mint::sign(&header, &self.claims(now), keys.signer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc_9068_claims() {
        let extra = json!({"tenant": "t1"}).as_object().unwrap().clone();
        let token = AccessToken {
            issuer: "http://127.0.0.1:8080",
            sub: "svc",
            aud: json!("api"),
            client_id: "svc",
            scope: "read",
            ttl: 900,
            extra: &extra,
        };
        let claims = token.claims(1000);
        let names: Vec<&str> = claims.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "iss",
                "sub",
                "aud",
                "exp",
                "iat",
                "jti",
                "client_id",
                "scope",
                "tenant"
            ]
        );
        assert_eq!(claims["exp"], 1900);
        assert_ne!(
            token.claims(1000)["jti"],
            claims["jti"],
            "a fresh jti each time"
        );
        let keys = Keys::ephemeral().unwrap();
        let jwt = token.sign(&keys, 1000).unwrap();
        assert_eq!(jwt.split('.').count(), 3);
    }
}
