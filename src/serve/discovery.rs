//! The metadata documents: OpenID Connect Discovery 1.0 §3 at
//! `<issuer>/.well-known/openid-configuration` and RFC 8414 at
//! `/.well-known/oauth-authorization-server<issuer path>`, the same document at both. They
//! list exactly what this server implements.

use serde_json::{Map, Value, json};

use crate::alg::Family;
use crate::serve::clients::Registry;
use crate::serve::proof;
use crate::serve::signing::Keys;
use crate::serve::token_endpoint::{AUTH_METHODS, GRANT_TYPES};
use crate::serve::urls::HttpUrl;

/// The OpenID Connect discovery path, under the issuer's.
pub const OIDC_PATH: &str = "/.well-known/openid-configuration";

/// The RFC 8414 path, before the issuer's.
pub const OAUTH_PATH: &str = "/.well-known/oauth-authorization-server";

/// The document for `issuer`, the clients declared and the keys that sign.
pub fn document(issuer: &HttpUrl, registry: &Registry, keys: &Keys) -> Vec<u8> {
    let base = issuer.base();
    let asymmetric: Vec<&str> = proof::algorithms().iter().map(|a| a.name()).collect();
    // An HMAC secret signs no ID token (OIDC Core §10.1 would need each client's own).
    let id_token_algs: Vec<&str> = match keys.alg().family() {
        Family::Hmac => Vec::new(),
        _ => vec![keys.alg().name()],
    };
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| doc.insert(name.into(), value);
    put("issuer", json!(issuer.text));
    put("authorization_endpoint", json!(format!("{base}/authorize")));
    put("token_endpoint", json!(format!("{base}/token")));
    put("userinfo_endpoint", json!(format!("{base}/userinfo")));
    put("jwks_uri", json!(format!("{base}/jwks")));
    put("response_types_supported", json!(["code"]));
    put("response_modes_supported", json!(["query"]));
    put("grant_types_supported", json!(GRANT_TYPES));
    put("subject_types_supported", json!(["public"]));
    put(
        "id_token_signing_alg_values_supported",
        json!(id_token_algs),
    );
    put("code_challenge_methods_supported", json!(["S256"]));
    put("token_endpoint_auth_methods_supported", json!(AUTH_METHODS));
    put(
        "token_endpoint_auth_signing_alg_values_supported",
        json!(asymmetric),
    );
    put("dpop_signing_alg_values_supported", json!(asymmetric));
    put(
        "authorization_response_iss_parameter_supported",
        json!(true),
    );
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
        let keys = Keys::ephemeral().unwrap();
        let doc: Value = serde_json::from_slice(&document(&issuer, &open, &keys)).unwrap();
        assert_eq!(doc["issuer"], "http://127.0.0.1:8080/tenant/");
        assert_eq!(doc["token_endpoint"], "http://127.0.0.1:8080/tenant/token");
        assert_eq!(doc["jwks_uri"], "http://127.0.0.1:8080/tenant/jwks");
        assert_eq!(
            doc["grant_types_supported"],
            json!(["authorization_code", "client_credentials", "refresh_token"])
        );
        assert_eq!(
            doc["authorization_endpoint"],
            "http://127.0.0.1:8080/tenant/authorize"
        );
        assert_eq!(
            doc["userinfo_endpoint"],
            "http://127.0.0.1:8080/tenant/userinfo"
        );
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            json!(["ES256"])
        );
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
        let dpop = doc["dpop_signing_alg_values_supported"].as_array().unwrap();
        assert!(dpop.contains(&json!("EdDSA")) && !dpop.contains(&json!("HS256")));
        assert!(doc.get("scopes_supported").is_none());
    }
}
