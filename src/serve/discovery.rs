//! The metadata documents: OpenID Connect Discovery 1.0 §3 at
//! `<issuer>/.well-known/openid-configuration` and RFC 8414 at
//! `/.well-known/oauth-authorization-server<issuer path>`, the same document at both. They
//! list exactly what this server implements: endpoints that do not exist are left out.

use serde_json::{Map, Value, json};

use crate::serve::clients::Registry;
use crate::serve::token_endpoint::{AUTH_METHODS, GRANT_TYPES};
use crate::serve::urls::HttpUrl;

/// The OpenID Connect discovery path, under the issuer's.
pub const OIDC_PATH: &str = "/.well-known/openid-configuration";

/// The RFC 8414 path, before the issuer's.
pub const OAUTH_PATH: &str = "/.well-known/oauth-authorization-server";

/// The document for `issuer` and the clients declared.
pub fn document(issuer: &HttpUrl, registry: &Registry) -> Vec<u8> {
    let base = issuer.base();
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| doc.insert(name.into(), value);
    put("issuer", json!(issuer.text));
    put("jwks_uri", json!(format!("{base}/jwks")));
    put("token_endpoint", json!(format!("{base}/token")));
    put("grant_types_supported", json!(GRANT_TYPES));
    put("token_endpoint_auth_methods_supported", json!(AUTH_METHODS));
    // No authorization endpoint yet: no response type is supported (RFC 8414 §2 requires
    // the member).
    put("response_types_supported", json!([]));
    put("subject_types_supported", json!(["public"]));
    if let Some(scopes) = registry.scopes_supported() {
        put("scopes_supported", json!(scopes));
    }
    let mut body = serde_json::to_vec_pretty(&Value::Object(doc)).unwrap_or_default();
    body.push(b'\n');
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config;

    #[test]
    fn lists_what_is_implemented() {
        let issuer = HttpUrl::parse("http://127.0.0.1:8080/tenant/").unwrap();
        let open = Registry::new(config::Config::default(), &[]).unwrap();
        let doc: Value = serde_json::from_slice(&document(&issuer, &open)).unwrap();
        assert_eq!(doc["issuer"], "http://127.0.0.1:8080/tenant/");
        assert_eq!(doc["token_endpoint"], "http://127.0.0.1:8080/tenant/token");
        assert_eq!(doc["jwks_uri"], "http://127.0.0.1:8080/tenant/jwks");
        assert_eq!(doc["grant_types_supported"], json!(["client_credentials"]));
        assert!(doc.get("authorization_endpoint").is_none());
        assert!(doc.get("userinfo_endpoint").is_none());
        assert!(doc.get("scopes_supported").is_none());
    }
}
