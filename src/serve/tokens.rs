//! Access tokens as RFC 9068 JWTs: `typ: at+jwt`; `iss`, `sub`, `aud`, `exp`, `iat`, `jti`,
//! `client_id` and `scope`, `cnf.jkt` when DPoP-bound (RFC 9449 §6.1), then the client's own
//! claims. ID tokens as OpenID Connect Core §2: `aud` the client, `azp`, `auth_time`, `nonce`
//! and `at_hash` (§3.1.3.6), then the user's claims. Signed with the server's key, as `mint`
//! signs.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::mint;
use crate::profile::hash::half_hash;
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
    /// The thumbprint of the DPoP key it is bound to (`cnf.jkt`).
    pub jkt: Option<&'a str>,
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
        if let Some(jkt) = self.jkt {
            claims.insert("cnf".into(), serde_json::json!({ "jkt": jkt }));
        }
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

/// What one ID token says.
pub struct IdToken<'a> {
    /// The issuer URL.
    pub issuer: &'a str,
    /// The user.
    pub sub: &'a str,
    /// The client: `aud` and `azp`.
    pub client_id: &'a str,
    /// Its lifetime in seconds.
    pub ttl: u64,
    /// When the user signed in.
    pub auth_time: i64,
    /// The authorization request's `nonce` (never on a refresh: OIDC Core §12.2).
    pub nonce: Option<&'a str>,
    /// The access token issued with it, hashed into `at_hash`.
    pub access_token: &'a str,
    /// The user's claims from the config (never the ones above: the config refuses them).
    pub user: Option<&'a Map<String, Value>>,
}

impl IdToken<'_> {
    /// The claims set at `now`, for a token signed with `keys`.
    pub fn claims(&self, keys: &Keys, now: i64) -> Map<String, Value> {
        let mut claims = Map::new();
        let text = |s: &str| Value::String(s.to_string());
        claims.insert("iss".into(), text(self.issuer));
        claims.insert("sub".into(), text(self.sub));
        claims.insert("aud".into(), text(self.client_id));
        let exp = now.saturating_add(i64::try_from(self.ttl).unwrap_or(i64::MAX));
        claims.insert("exp".into(), Value::from(exp));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("auth_time".into(), Value::from(self.auth_time));
        if let Some(nonce) = self.nonce {
            claims.insert("nonce".into(), text(nonce));
        }
        let at_hash = half_hash(keys.alg(), self.access_token.as_bytes());
        claims.insert("at_hash".into(), Value::String(at_hash));
        claims.insert("azp".into(), text(self.client_id));
        for (name, value) in self.user.into_iter().flatten() {
            if !claims.contains_key(name) {
                claims.insert(name.clone(), value.clone());
            }
        }
        claims
    }

    /// The signed token (`typ: JWT`, OIDC Core §2 and RFC 8725 §3.11).
    pub fn sign(&self, keys: &Keys, now: i64) -> Result<String> {
        let header = mint::build_header(keys.alg().name(), "JWT", keys.kid.as_deref(), &[])?;
        mint::sign(&header, &self.claims(keys, now), keys.signer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
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
            jkt: None,
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
        let bound = AccessToken {
            jkt: Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"),
            ..token
        };
        assert_eq!(
            bound.claims(1000)["cnf"],
            json!({"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"})
        );
    }

    #[test]
    fn oidc_core_id_token_claims() {
        let keys = Keys::ephemeral().unwrap();
        let user = json!({"email": "a@example.com", "name": "A"})
            .as_object()
            .unwrap()
            .clone();
        let token = IdToken {
            issuer: "http://127.0.0.1:8080",
            sub: "alice",
            client_id: "app",
            ttl: 900,
            auth_time: 990,
            nonce: Some("n-0S6_WzA2Mj"),
            access_token: "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y",
            user: Some(&user),
        };
        let claims = token.claims(&keys, 1000);
        assert_eq!(
            Value::Object(claims),
            json!({"iss": "http://127.0.0.1:8080", "sub": "alice", "aud": "app", "exp": 1900,
                   "iat": 1000, "auth_time": 990, "nonce": "n-0S6_WzA2Mj",
                   "at_hash": half_hash(keys.alg(), b"jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
                   "azp": "app", "email": "a@example.com", "name": "A"})
        );
        let jwt = token.sign(&keys, 1000).unwrap();
        let header = jwt.split('.').next().unwrap();
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .unwrap();
        let header: Value = serde_json::from_slice(&header).unwrap();
        assert_eq!(header["typ"], "JWT");
    }
}
