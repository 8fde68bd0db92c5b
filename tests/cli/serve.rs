//! `jwtk serve`: the real binary on a real socket (`--addr 127.0.0.1:0`, the issuer URL read
//! from its first line on stdout), talked to over raw HTTP/1.1 (so malformed, slow and
//! oversized requests can be sent), by `jwtk verify --issuer` (the round trip) and over TLS
//! with the CA it writes. Each test has its own directory, which is also its
//! `XDG_CACHE_HOME`, so `verify --issuer`'s cache never hides a change.

mod flow;
pub(crate) mod served;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::{NOW, fixture, jwtk};
use served::{Reply, Served, basic, eventually, parts, read_reply, run_in, start_fails, succeeded};

#[test]
fn serve_prints_the_issuer_then_serves_discovery_at_both_paths() {
    let served = Served::start(&[]);
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{}",
        served.url
    );
    for path in [
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
    ] {
        let reply = served.get(path);
        assert_eq!(reply.status, 200, "{path}");
        let doc = reply.json();
        assert_eq!(doc["issuer"], served.url.as_str());
        assert_eq!(doc["jwks_uri"], format!("{}/jwks", served.url));
        assert_eq!(doc["token_endpoint"], format!("{}/token", served.url));
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{}/authorize", served.url)
        );
        assert_eq!(doc["userinfo_endpoint"], format!("{}/userinfo", served.url));
        assert_eq!(
            doc["grant_types_supported"],
            json!(["authorization_code", "client_credentials", "refresh_token"])
        );
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            json!([
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
                "none"
            ])
        );
        assert_eq!(doc["response_types_supported"], json!(["code"]));
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(
            doc["id_token_signing_alg_values_supported"],
            json!(["ES256"])
        );
        assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
        for algs in [
            "dpop_signing_alg_values_supported",
            "token_endpoint_auth_signing_alg_values_supported",
        ] {
            let algs = doc[algs].as_array().unwrap();
            for alg in ["ES256", "RS256", "PS256", "EdDSA"] {
                assert!(algs.contains(&json!(alg)), "{alg}");
            }
            assert!(!algs.iter().any(|a| a.as_str().unwrap().starts_with("HS")));
        }
    }
    // The request lines come after the start-up notes.
    let stderr = served.wait_for_stderr("GET /.well-known/oauth-authorization-server 200");
    assert!(stderr.contains("ephemeral EC P-256 key"), "{stderr}");
    assert!(stderr.contains("open mode"), "{stderr}");
}

#[test]
fn serve_issuer_with_a_path_uses_rfc_8414_paths() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let issuer = format!("http://localhost:{port}/realms/dev");
    let served = Served::start(&["--addr", &addr, "--issuer", &issuer]);
    assert_eq!(served.url, issuer);
    for path in [
        "/realms/dev/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/realms/dev",
    ] {
        let reply = served.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.json()["token_endpoint"], format!("{issuer}/token"));
    }
    assert_eq!(served.get("/.well-known/openid-configuration").status, 404);
    assert_eq!(served.get("/realms/dev/jwks").status, 200);
    let token = served.token("");
    let out = served.verify(&token, &["--aud", &issuer]);
    succeeded(&out);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn serve_jwks_is_what_keyset_public_writes_for_every_key_type() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks");
    let set_arg = set.to_str().unwrap();
    let types: [&[&str]; 7] = [
        &["--type", "ec"],
        &["--type", "rsa"],
        &["--type", "ec", "--curve", "P-384"],
        &["--type", "ec", "--curve", "P-521"],
        &["--type", "ed25519"],
        &["--type", "hmac"],
        &["--type", "rsa", "--alg", "PS256"],
    ];
    for args in types {
        run_in(
            dir.path(),
            &[&["keygen", "--add-to", set_arg], args].concat(),
        );
    }
    let public = jwtk()
        .args(["keyset", "public", set_arg])
        .output()
        .unwrap()
        .stdout;
    let served = Served::start_in(dir, &["--key", "keys.jwks"]);
    let reply = served.get("/jwks");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), String::from_utf8(public).unwrap());
    let keys = reply.json()["keys"].as_array().unwrap().clone();
    assert_eq!(keys.len(), 6, "the HMAC key is left out");
    for key in &keys {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] {
            assert!(key.get(private).is_none(), "{private} in {key}");
        }
    }
    assert_eq!(reply.header("cache-control"), Some("max-age=60"));
    let etag = reply.header("etag").unwrap().to_string();
    let again = served.send(&format!(
        "GET /jwks HTTP/1.1\r\nHost: {}\r\nIf-None-Match: \"other\", {etag}\r\nConnection: close\r\n\r\n",
        served.addr
    ));
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let stale = served.send(&format!(
        "GET /jwks HTTP/1.1\r\nHost: {}\r\nIf-None-Match: \"other\"\r\nConnection: close\r\n\r\n",
        served.addr
    ));
    assert_eq!(stale.status, 200);
    // The first key (EC P-256) signs.
    let (header, _) = parts(&served.token(""));
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["typ"], "at+jwt");
    assert_eq!(header["kid"], keys[0]["kid"]);
}

#[test]
fn serve_jwks_max_age_is_configurable() {
    let served = Served::start(&["--jwks-max-age", "5s"]);
    assert_eq!(
        served.get("/jwks").header("cache-control"),
        Some("max-age=5")
    );
}

#[test]
fn serve_a_pem_key_is_a_one_key_set_with_its_thumbprint_as_kid() {
    let key = fixture("keys/rsa-2048-pkcs1.pem");
    let served = Served::start(&["--key", key.to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("s.jwks");
    let thumbprint = run_in(
        dir.path(),
        &[
            "keyset",
            "import",
            set.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(served.kids(), std::slice::from_ref(&thumbprint));
    let (header, claims) = parts(&served.token(""));
    assert_eq!(
        (header["alg"].as_str(), header["kid"].as_str()),
        (Some("RS256"), Some(thumbprint.as_str()))
    );
    assert_eq!(claims["iat"], NOW);
}

#[test]
fn serve_hmac_signs_access_tokens_and_publishes_no_key() {
    let served = Served::hmac();
    let reply = served.get("/jwks");
    assert_eq!(reply.json(), json!({"keys": []}));
    served.wait_for_stderr("HMAC secret");
    let token = served.token("");
    assert_eq!(parts(&token).0["alg"], "HS256");
    let secret = served.path("secret");
    let out = jwtk()
        .args([
            "verify",
            "--alg",
            "HS256",
            "--key",
            secret.to_str().unwrap(),
            "--aud",
            &served.url,
            &token,
        ])
        .output()
        .unwrap();
    succeeded(&out);
}

#[test]
fn serve_round_trip_with_verify_issuer() {
    let served = Served::start(&[]);
    let token = served.token("");
    let (header, claims) = parts(&token);
    assert_eq!(header["typ"], "at+jwt");
    for claim in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "jti",
        "client_id",
        "scope",
    ] {
        assert!(claims.get(claim).is_some(), "{claim} in {claims}");
    }
    assert_eq!(claims["sub"], "svc");
    assert_eq!(claims["client_id"], "svc");
    assert_eq!(claims["aud"], served.url.as_str());
    assert_eq!(claims["exp"], NOW + 900);
    let out = served.verify(&token, &["--aud", &served.url, "--profile", "at+jwt"]);
    succeeded(&out);
    let out = served.verify(&token, &["--aud", "someone-else"]);
    assert_eq!(out.status.code(), Some(1), "a wrong audience is caught");
    // resource (RFC 8707) sets aud, several give an array; --ttl sets exp.
    let served = Served::start(&["--ttl", "1h"]);
    let reply = served.token_request(
        "grant_type=client_credentials&client_id=a&client_secret=b&resource=https%3A%2F%2Fapi.example&resource=urn:x",
        &[],
    );
    assert_eq!(reply.json()["expires_in"], 3600);
    let (_, claims) = parts(reply.json()["access_token"].as_str().unwrap());
    assert_eq!(claims["aud"], json!(["https://api.example", "urn:x"]));
    assert_eq!(claims["exp"], NOW + 3600);
    let out = served.verify(
        reply.json()["access_token"].as_str().unwrap(),
        &["--aud", "urn:x"],
    );
    succeeded(&out);
}

#[test]
fn serve_token_responses_follow_rfc_6749() {
    let served = Served::start(&[]);
    let reply = served.token_request(
        "grant_type=client_credentials&scope=read+write+read",
        &[&basic("svc", "s3cret")],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(
        body["scope"], "read write",
        "the granted scope, always present"
    );
    assert!(body.get("refresh_token").is_none());
    // Basic credentials are form-urldecoded (RFC 6749 §2.3.1).
    let reply = served.token_request(
        "grant_type=client_credentials",
        &[&basic("my%3Aapp", "p%40ss")],
    );
    assert_eq!(
        parts(reply.json()["access_token"].as_str().unwrap()).1["client_id"],
        "my:app"
    );
    // No scope asked: none granted, still present.
    let reply = served.token_request(
        "grant_type=client_credentials&client_id=a&client_secret=b",
        &[],
    );
    assert_eq!(reply.json()["scope"], "");
}

/// A token request and what it must get: content type, body, extra headers, status, error.
type Case<'a> = (&'a str, Vec<u8>, Vec<String>, u16, &'a str);

#[test]
fn serve_token_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clients.json"),
        r#"{"clients":[
            {"client_id":"svc","client_secret":"s3cret","scopes":["read"],"audience":["https://api.example"]},
            {"client_id":"kid-client","jwks_uri":"https://keys.example/jwks"}
        ]}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "clients.json", "--client", "spa"]);
    let good = "client_id=svc&client_secret=s3cret";
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<Case> = vec![
        (form, format!("grant_type=client_credentials&{good}").into(), vec![], 200, ""),
        (form, good.into(), vec![], 400, "invalid_request"),
        ("application/json", b"{\"grant_type\":\"client_credentials\"}".to_vec(), vec![], 400, "invalid_request"),
        (form, format!("grant_type=client_credentials&{good}&scope=a&scope=b").into(), vec![], 400, "invalid_request"),
        (form, format!("grant_type=client_credentials&{good}&scope=%zz").into(), vec![], 400, "invalid_request"),
        (form, [format!("grant_type=client_credentials&{good}&scope=").into_bytes(), b"%ff%fe".to_vec()].concat(), vec![], 400, "invalid_request"),
        (form, format!("grant_type=password&{good}").into(), vec![], 400, "unsupported_grant_type"),
        (form, format!("grant_type=authorization_code&{good}").into(), vec![], 400, "invalid_request"),
        (form, format!("grant_type=refresh_token&{good}").into(), vec![], 400, "invalid_request"),
        (form, format!("grant_type=urn:ietf:params:oauth:grant-type:device_code&{good}").into(), vec![], 400, "unsupported_grant_type"),
        (form, format!("grant_type=client_credentials&{good}&scope=admin").into(), vec![], 400, "invalid_scope"),
        (form, format!("grant_type=client_credentials&{good}&resource=https://other.example").into(), vec![], 400, "invalid_target"),
        (form, format!("grant_type=client_credentials&{good}&resource=not-absolute").into(), vec![], 400, "invalid_target"),
        (form, "grant_type=client_credentials&client_id=spa".into(), vec![], 400, "unauthorized_client"),
        (form, "grant_type=client_credentials&client_id=spa&client_secret=x".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_id=svc&client_secret=wrong".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_id=svc".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_id=nobody&client_secret=x".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_id=kid-client&client_secret=x".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_id=svc&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=x.y.z".into(), vec![], 401, "invalid_client"),
        (form, "grant_type=client_credentials".into(), vec![basic("svc", "wrong")], 401, "invalid_client"),
        (form, "grant_type=client_credentials".into(), vec!["Authorization: Bearer abc".into()], 401, "invalid_client"),
        (form, "grant_type=client_credentials&client_secret=s3cret".into(), vec![basic("svc", "s3cret")], 400, "invalid_request"),
        (form, "grant_type=client_credentials".into(), vec![basic("svc", "s3cret")], 200, ""),
    ];
    for (content_type, body, headers, status, code) in cases {
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let reply = served.post("/token", content_type, &body, &headers);
        let label = String::from_utf8_lossy(&body).into_owned();
        if status == 200 {
            assert_eq!(reply.status, 200, "{label}: {}", reply.text());
            continue;
        }
        assert_eq!(reply.error(), (status, code.to_string()), "{label}");
        let description = reply.json()["error_description"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            description
                .bytes()
                .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'),
            "RFC 6749 §5.2's characters: {description}"
        );
        for echoed in ["s3cret", "wrong", "nobody", "admin", "other.example", "%zz"] {
            assert!(!description.contains(echoed), "{description}");
        }
        let challenge = reply.header("www-authenticate");
        let basic_used = headers.iter().any(|h| h.starts_with("Authorization"));
        assert_eq!(
            challenge.is_some(),
            status == 401 && basic_used,
            "{label}: {challenge:?}"
        );
    }
    // Other methods and paths.
    let reply = served.get("/token");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("POST, OPTIONS"));
    let reply = served.get("/nowhere?client_id=x");
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
}

#[test]
fn serve_config_clients_get_their_audience_scopes_claims_and_ttl() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clients.json"),
        r#"{"clients":[{"client_id":"svc","client_secret":"s3cret","scopes":["read","write"],
            "audience":["https://a.example","https://b.example"],"claims":{"tenant":"t1","roles":["x"]},"ttl":"5m"}],
            "users":{"alice":{"email":"alice@example.com"}}}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "clients.json"]);
    let reply = served.token_request("grant_type=client_credentials", &[&basic("svc", "s3cret")]);
    assert!(!served.wait_for_stderr("POST /token").contains("open mode"));
    let body = reply.json();
    assert_eq!(body["scope"], "read write");
    assert_eq!(body["expires_in"], 300);
    let (_, claims) = parts(body["access_token"].as_str().unwrap());
    assert_eq!(
        claims["aud"],
        json!(["https://a.example", "https://b.example"])
    );
    assert_eq!(claims["tenant"], "t1");
    assert_eq!(claims["roles"], json!(["x"]));
    assert_eq!(claims["exp"], NOW + 300);
    let reply = served.token_request(
        "grant_type=client_credentials&resource=https://b.example&scope=write",
        &[&basic("svc", "s3cret")],
    );
    let (_, claims) = parts(reply.json()["access_token"].as_str().unwrap());
    assert_eq!(claims["aud"], "https://b.example");
    assert_eq!(claims["scope"], "write");
    let doc = served.get("/.well-known/openid-configuration").json();
    assert_eq!(doc["scopes_supported"], json!(["read", "write"]));
}

#[test]
fn serve_refuses_a_config_with_an_unknown_member() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.json");
    std::fs::write(
        &config,
        r#"{"clients":[{"client_id":"svc","client_secret":"s3cret","scope":["read"]}]}"#,
    )
    .unwrap();
    let out = start_fails(&["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown member \"scope\""), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
    assert!(out.stdout.is_empty(), "no URL when it does not start");
    std::fs::write(&config, r#"{"clients":[],"tenants":{}}"#).unwrap();
    let out = start_fails(&["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"tenants\""));
}

#[test]
fn serve_start_errors() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = start_fails(&["--addr", &addr]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{addr} is in use")), "{stderr}");
    let out = start_fails(&["--addr", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(3), "open mode beyond loopback");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a loopback address"));
    for (args, code) in [
        (&["--addr", "example.com:80"][..], 2),
        (&["--addr", "8080"], 2),
        (&["--issuer", "ftp://x"], 2),
        (&["--issuer", "https://x/?a=1"], 2),
        (&["--ttl", "0s"], 2),
        (&["--request-timeout", "0"], 2),
        (&["--tls-cert", "c.pem"], 2),
        (&["--tls", "--tls-cert", "c.pem", "--tls-key", "k.pem"], 2),
        (&["--ca-out", "ca.pem"], 2),
        (&["--key", "missing.jwks"], 3),
        (&["--client", "a", "--client", "a"], 3),
    ] {
        let out = start_fails(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn serve_beyond_loopback_needs_declared_clients() {
    let served = Served::start(&["--addr", "0.0.0.0:0", "--client", "web"]);
    assert!(
        served.url.starts_with("http://localhost:"),
        "{}",
        served.url
    );
    served.wait_for_stderr("need --issuer");
    let port = served.url.rsplit(':').next().unwrap();
    let reply = served.send(&format!(
        "GET /jwks HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(reply.status, 200);
    assert!(!served.wait_for_stderr("GET /jwks").contains("open mode"));
}

#[test]
fn serve_checks_the_host() {
    let served = Served::start(&[]);
    let ask = |host: &str| {
        served.send(&format!(
            "GET /jwks HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    for allowed in [
        "127.0.0.1",
        "localhost:1234",
        "LOCALHOST",
        "[::1]:80",
        "127.8.9.10",
    ] {
        assert_eq!(ask(allowed).status, 200, "{allowed}");
    }
    for refused in [
        "evil.example",
        "127.0.0.1.nip.io",
        "localhost.evil.example",
        "[::ffff:127.0.0.1]",
    ] {
        let reply = ask(refused);
        assert_eq!(reply.status, 421, "{refused}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert!(
            !reply.text().contains("evil") && !reply.text().contains("nip"),
            "echoes nothing"
        );
    }
    let reply = served.send("GET /jwks HTTP/1.0\r\n\r\n");
    assert_eq!(reply.status, 400, "no Host at all");
    // An --issuer host is served too.
    let port = free_port();
    let served = Served::start(&[
        "--addr",
        &format!("127.0.0.1:{port}"),
        "--issuer",
        &format!("http://issuer.test:{port}"),
    ]);
    let reply = served.send(&format!(
        "GET /jwks HTTP/1.1\r\nHost: issuer.test:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(reply.status, 200);
}

#[test]
fn serve_cors_only_for_declared_origins() {
    let served = Served::start(&[]);
    let ask = |origin: &str, method: &str, extra: &str| {
        served.send(&format!(
            "{method} /token HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n",
            served.addr
        ))
    };
    let reply = ask("http://localhost:3000", "POST", "");
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    assert_eq!(reply.header("vary"), Some("Origin"));
    let reply = ask("https://evil.example", "POST", "");
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(reply.header("vary"), Some("Origin"));
    let reply = ask(
        "http://127.0.0.1:5173",
        "OPTIONS",
        "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n",
    );
    assert_eq!(reply.status, 204);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("http://127.0.0.1:5173")
    );
    assert!(
        reply
            .header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    assert!(reply.headers.iter().all(|(_, v)| v != "*"), "never *");
    // Declared clients: their redirect URIs' origins only.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        r#"{"clients":[{"client_id":"web","redirect_uris":["https://app.example:8443/callback"]}]}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "c.json"]);
    let origin = |origin: &str| {
        served
            .send(&format!(
                "GET /jwks HTTP/1.1\r\nHost: {}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n",
                served.addr
            ))
            .header("access-control-allow-origin")
            .map(String::from)
    };
    assert_eq!(
        origin("https://app.example:8443").as_deref(),
        Some("https://app.example:8443")
    );
    assert_eq!(origin("http://localhost:3000"), None);
    assert_eq!(origin("https://app.example"), None);
}

#[test]
fn serve_caps_request_bodies() {
    let served = Served::start(&[]);
    let big = vec![b'a'; 70 * 1024];
    let reply = served.post("/token", "application/x-www-form-urlencoded", &big, &[]);
    assert_eq!(reply.error(), (413, "invalid_request".into()));
    // Chunked, without a length said first.
    let mut raw = format!(
        "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        served.addr
    )
    .into_bytes();
    for _ in 0..70 {
        raw.extend_from_slice(b"400\r\n");
        raw.extend_from_slice(&[b'a'; 1024]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let mut stream = served.connect();
    let _ = stream.write_all(&raw);
    assert_eq!(read_reply(&mut stream).unwrap().status, 413);
    // Exactly 64 KiB is read.
    let mut body = b"grant_type=client_credentials&client_id=a&client_secret=b&pad=".to_vec();
    body.resize(64 * 1024, b'x');
    let reply = served.post("/token", "application/x-www-form-urlencoded", &body, &[]);
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn serve_cuts_off_slow_clients_without_holding_up_others() {
    let served = Served::start(&["--request-timeout", "1s"]);
    let started = Instant::now();
    let mut slow = served.connect();
    slow.write_all(format!("GET /jwks HTTP/1.1\r\nHost: {}\r\n", served.addr).as_bytes())
        .unwrap();
    let mut slow_body = served.connect();
    slow_body
        .write_all(
            format!(
                "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type",
                served.addr
            )
            .as_bytes(),
        )
        .unwrap();
    // Others are served meanwhile.
    assert_eq!(served.get("/jwks").status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "not held up"
    );
    // The slow head: the connection is closed.
    let mut buffer = Vec::new();
    let _ = slow.read_to_end(&mut buffer);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // The slow body: 408.
    let reply = read_reply(&mut slow_body).expect("a reply");
    assert_eq!(reply.status, 408);
    assert!(started.elapsed() < Duration::from_secs(5));
    served.wait_for_stderr("no whole request within 1s");
}

#[test]
fn serve_answers_malformed_http_with_400_and_keeps_serving() {
    let served = Served::start(&[]);
    for raw in [
        "GARBAGE\r\n\r\n",
        "GET /jwks HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /jwks HTTP/9.9\r\n\r\n",
        "\u{1}\u{2}\u{3}\r\n\r\n",
    ] {
        let reply = served.send(raw);
        assert_eq!(reply.status, 400, "{raw:?}");
    }
    let huge = format!(
        "GET /jwks HTTP/1.1\r\nHost: {}\r\nX-Big: {}\r\n\r\n",
        served.addr,
        "a".repeat(20_000)
    );
    assert_eq!(served.send(&huge).status, 431);
    assert_eq!(served.get("/jwks").status, 200);
    served.wait_for_stderr("malformed request (400)");
}

#[test]
fn serve_holds_256_connections_at_once() {
    let served = Served::start(&[]);
    let request = format!("GET /jwks HTTP/1.1\r\nHost: {}\r\n\r\n", served.addr);
    let started = Instant::now();
    let mut streams: Vec<TcpStream> = (0..300).map(|_| served.connect()).collect();
    for stream in &mut streams {
        stream.write_all(request.as_bytes()).unwrap();
    }
    // Every connection stays open (keep-alive) and is answered twice.
    for round in 0..2 {
        for (i, stream) in streams.iter_mut().enumerate() {
            let reply =
                read_reply(stream).unwrap_or_else(|| panic!("round {round}, connection {i}"));
            assert_eq!(reply.status, 200);
            if round == 0 {
                stream.write_all(request.as_bytes()).unwrap();
            }
        }
    }
    // A server holding fewer connections would answer the rest only as idle ones time out
    // (10 s each).
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn serve_logs_requests_without_secrets_tokens_or_query_values() {
    let served = Served::start(&[]);
    let reply = served.token_request(
        "grant_type=client_credentials&scope=SCOPEVALUE",
        &[&basic("svc", "TOPSECRET")],
    );
    let token = reply.json()["access_token"].as_str().unwrap().to_string();
    served.get("/jwks?token=QUERYVALUE");
    served.token_request(
        "grant_type=client_credentials&client_id=%1b%5b31mred%e2%80%ae&client_secret=POSTSECRET",
        &[],
    );
    served.wait_for_stderr("GET /jwks 200");
    let stderr = served.wait_for_stderr("POST /token 200 client_id=\\u{1b}");
    assert!(
        stderr.contains("POST /token 200 client_id=svc grant_type=client_credentials\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("client_id=\\u{1b}[31mred\\u{202e}"),
        "escaped: {stderr}"
    );
    for never in [
        "TOPSECRET",
        "POSTSECRET",
        "QUERYVALUE",
        "SCOPEVALUE",
        &token[..40],
        "\u{1b}",
    ] {
        assert!(!stderr.contains(never), "{never:?} in {stderr}");
    }
    let quiet = Served::start(&["-q"]);
    quiet.get("/jwks");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!quiet.stderr().contains("GET /jwks"), "{}", quiet.stderr());
}

#[test]
fn serve_stops_on_sigterm_with_0_and_on_ctrl_c_with_130() {
    let mut served = Served::start(&[]);
    let status = served.signal(libc::SIGTERM);
    assert_eq!(status.code(), Some(0), "{status:?}");
    let mut served = Served::start(&[]);
    let status = served.signal(libc::SIGINT);
    assert_eq!(status.code(), Some(130), "{status:?}");
}

#[test]
fn serve_rotates_keys_while_running() {
    let dir = tempfile::tempdir().unwrap();
    let old = run_in(
        dir.path(),
        &["keygen", "--type", "ec", "--add-to", "keys.jwks"],
    );
    let served = Served::start_in(dir, &["--key", "keys.jwks", "--jwks-max-age", "0"]);
    let keys = served.path("keys.jwks");
    let keys = keys.to_str().unwrap();
    let token = served.token("");
    assert_eq!(parts(&token).0["kid"], old.as_str());
    assert!(
        served
            .verify(&token, &["--aud", &served.url])
            .status
            .success()
    );
    // Publish a new key: it appears in /jwks, the old one still signs.
    let new = run_in(
        served.dir.path(),
        &["keygen", "--type", "ed25519", "--add-to", keys],
    );
    assert!(
        eventually(|| served.kids() == [old.clone(), new.clone()]),
        "{:?}",
        served.kids()
    );
    served.wait_for_stderr("keys.jwks changed");
    assert_eq!(parts(&served.token("")).0["kid"], old.as_str());
    // Promote it: it signs, and verify --issuer follows.
    run_in(
        served.dir.path(),
        &["keyset", "promote", keys, "--kid", &new],
    );
    assert!(eventually(
        || parts(&served.token("")).0["kid"] == new.as_str()
    ));
    let token = served.token("");
    assert_eq!(parts(&token).0["alg"], "EdDSA");
    // verify's cache holds the old set (5 minutes at least, whatever max-age says); --refresh
    // asks the server again.
    let out = served.verify(&token, &["--aud", &served.url, "--refresh"]);
    succeeded(&out);
    // Retire the old one: it leaves /jwks.
    run_in(
        served.dir.path(),
        &["keyset", "retire", keys, "--kid", &old],
    );
    assert!(
        eventually(|| served.kids() == [new.clone()]),
        "{:?}",
        served.kids()
    );
    // A change that does not load keeps the last good keys, and says so.
    std::fs::write(served.path("keys.jwks"), "{not json").unwrap();
    served.wait_for_stderr("does not load");
    assert_eq!(served.kids(), std::slice::from_ref(&new));
    assert_eq!(parts(&served.token("")).0["kid"], new.as_str());
}

#[test]
fn serve_reloads_its_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.json");
    std::fs::write(
        &config,
        r#"{"clients":[{"client_id":"a","client_secret":"one"}]}"#,
    )
    .unwrap();
    let served = Served::start_in(dir, &["--config", "c.json"]);
    let ask = |id: &str, secret: &str| {
        served
            .token_request("grant_type=client_credentials", &[&basic(id, secret)])
            .status
    };
    assert_eq!(ask("a", "one"), 200);
    assert_eq!(ask("b", "two"), 401);
    std::fs::write(
        &config,
        r#"{"clients":[{"client_id":"a","client_secret":"one"},{"client_id":"b","client_secret":"two"}]}"#,
    )
    .unwrap();
    assert!(eventually(|| ask("b", "two") == 200));
    std::fs::write(&config, r#"{"clients":[{"client_id":"c","secret":"x"}]}"#).unwrap();
    // std::fs::write truncates first: the server may also see (and warn about) an empty
    // file on the way, so wait for the warning about this content.
    let stderr = served.wait_for_stderr("unknown member \"secret\"");
    assert!(stderr.contains("does not load"), "{stderr}");
    assert_eq!(ask("b", "two"), 200, "the last good config serves");
}

/// A rustls client trusting `ca`, for HTTPS requests.
fn https(addr: &str, ca: &Path, raw: &str) -> Reply {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let connection = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let socket = TcpStream::connect(addr).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut stream = rustls::StreamOwned::new(connection, socket);
    stream.write_all(raw.as_bytes()).unwrap();
    read_reply(&mut stream).unwrap()
}

#[test]
fn serve_tls_with_a_throwaway_ca() {
    let served = Served::start(&["--tls", "--ca-out", "ca.pem"]);
    assert!(
        served.url.starts_with("https://127.0.0.1:"),
        "{}",
        served.url
    );
    let ca = served.path("ca.pem");
    let pem = std::fs::read_to_string(&ca).unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE") && !pem.contains("PRIVATE"));
    let body = "grant_type=client_credentials&client_id=svc&client_secret=s";
    let reply = https(
        &served.addr,
        &ca,
        &format!(
            "POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(reply.status, 200);
    let token = reply.json()["access_token"].as_str().unwrap().to_string();
    let out = served.verify(
        &token,
        &["--aud", &served.url, "--cacert", ca.to_str().unwrap()],
    );
    succeeded(&out);
    // Without the CA, verify does not trust it.
    let out = served.verify(&token, &["--aud", &served.url, "--refresh"]);
    assert_eq!(out.status.code(), Some(3));
    // The CA may sign only the names it serves (a critical name constraint).
    let der = rustls::pki_types::pem::PemObject::from_pem_slice(pem.as_bytes())
        .map(|c: rustls::pki_types::CertificateDer| c.to_vec())
        .unwrap();
    // id-ce-nameConstraints (2.5.29.30), critical (BOOLEAN TRUE).
    let constraint = [0x06, 0x03, 0x55, 0x1d, 0x1e, 0x01, 0x01, 0xff];
    assert!(der.windows(constraint.len()).any(|w| w == constraint));
}

#[test]
fn serve_tls_ca_in_a_temporary_file_by_default() {
    let mut served = Served::start(&["--tls"]);
    let stderr = served.wait_for_stderr("throwaway CA's certificate is in ");
    let path = stderr
        .split("throwaway CA's certificate is in ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    assert!(Path::new(&path).exists(), "{path}");
    let status = served.signal(libc::SIGTERM);
    assert_eq!(status.code(), Some(0));
    assert!(!Path::new(&path).exists(), "removed when the server stops");
}

#[test]
fn serve_tls_with_given_files() {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(dir.path().join("server.crt"), leaf.pem()).unwrap();
    std::fs::write(dir.path().join("server.key"), key.serialize_pem()).unwrap();
    let served = Served::start_in(
        dir,
        &["--tls-cert", "server.crt", "--tls-key", "server.key"],
    );
    assert!(served.url.starts_with("https://"));
    let ca = served.path("ca.pem");
    let reply = https(
        &served.addr,
        &ca,
        "GET /jwks HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(reply.status, 200);
    let token = served.token_tls(&ca);
    let out = served.verify(
        &token,
        &["--aud", &served.url, "--cacert", ca.to_str().unwrap()],
    );
    succeeded(&out);
}

impl Served {
    fn token_tls(&self, ca: &Path) -> String {
        let body = "grant_type=client_credentials&client_id=svc&client_secret=s";
        let reply = https(
            &self.addr,
            ca,
            &format!(
                "POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        reply.json()["access_token"].as_str().unwrap().to_string()
    }
}

#[test]
fn serve_without_flags_listens_on_127_0_0_1_8080() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jwtk"))
        .env_clear()
        .current_dir(dir.path())
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    if line.is_empty() {
        // Something else on this machine holds the port: the error must name it.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(3));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("127.0.0.1:8080 is in use"), "{stderr}");
    } else {
        assert_eq!(line, "http://127.0.0.1:8080\n");
        // SAFETY: kill(2) on the child this test started and has not waited for.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
}
