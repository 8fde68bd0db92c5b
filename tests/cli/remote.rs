//! Remote keys: `verify --jwks/--issuer` and `keyset fetch` against a real HTTPS server in the
//! test process (a CA made at test time, trusted through `--cacert`), with the cache in a
//! temporary folder. Tokens are signed by jsonwebtoken with the RFC 7515 keys.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use jsonwebtoken::{Algorithm as JAlg, EncodingKey, Header};
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::server::{Proxy, Reply, Server, TestCa, stalled};
use crate::{NOW, fixture, json_stdout, jwtk};

pub const RSA: &str = "rfc7515-A.2-RS256";
pub const EC: &str = "rfc7515-A.3-ES256";

/// A server, its CA and an empty cache folder.
pub struct Env {
    pub ca: TestCa,
    pub server: Server,
    pub cache: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        let ca = TestCa::new();
        let server = Server::https(&ca);
        Env {
            ca,
            server,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    /// `jwtk verify --cacert CA` with the cache folder set.
    pub fn verify(&self) -> Command {
        let mut cmd = self.jwtk();
        cmd.arg("verify").arg("--cacert").arg(&self.ca.pem_path);
        cmd
    }

    pub fn jwtk(&self) -> Command {
        let mut cmd = jwtk();
        cmd.env("XDG_CACHE_HOME", self.cache.path());
        cmd
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base())
    }

    /// Serve an OIDC discovery document for issuer `base + prefix` pointing at `/jwks`.
    pub fn discovery(&self, prefix: &str) -> String {
        let issuer = self.url(prefix);
        self.server.route(
            &format!("{prefix}/.well-known/openid-configuration"),
            Reply::json(json!({"issuer": issuer, "jwks_uri": self.url("/jwks")}).to_string()),
        );
        issuer
    }

    pub fn cache_files(&self) -> Vec<PathBuf> {
        let dir = self.cache.path().join("jwtk");
        std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    /// Make every cached copy (and any failed refetch it remembers) `secs` seconds older (ages
    /// are real time: no waiting in tests).
    pub fn age_cache(&self, secs: u64) {
        for path in self.cache_files() {
            let mut entry: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let fetched = entry["fetched"].as_u64().unwrap();
            entry["fetched"] = json!(fetched - secs);
            if let Some(failed) = entry["refetch_failed"].as_u64() {
                entry["refetch_failed"] = json!(failed - secs);
            }
            rewrite(&path, &entry.to_string());
        }
    }
}

/// Replace a cache file's content, keeping it private (the cache ignores loose files).
pub fn rewrite(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// A public JWK of an RFC vector, with a kid.
pub fn public_jwk(vector: &str, kid: &str) -> Value {
    let path = fixture(&format!("rfc/{vector}/key.public.jwk.json"));
    let mut jwk: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jwk["kid"] = json!(kid);
    jwk
}

pub fn jwks(keys: &[Value]) -> String {
    json!({ "keys": keys }).to_string()
}

/// A token signed by jsonwebtoken with an RFC vector's private key.
pub fn sign(vector: &str, kid: &str, iss: &str, extra: impl FnOnce(&mut Header)) -> String {
    let pem = std::fs::read(fixture(&format!("rfc/{vector}/key.private.pkcs8.pem"))).unwrap();
    let (alg, key) = if vector == RSA {
        (JAlg::RS256, EncodingKey::from_rsa_pem(&pem).unwrap())
    } else {
        (JAlg::ES256, EncodingKey::from_ec_pem(&pem).unwrap())
    };
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    extra(&mut header);
    let claims = json!({"iss": iss, "sub": "alice", "exp": NOW + 600});
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

pub fn rsa_token(iss: &str) -> String {
    sign(RSA, "rsa-1", iss, |_| {})
}

/// The server answers `/jwks` with the RSA key.
pub fn serve_rsa(env: &Env) {
    env.server
        .route("/jwks", Reply::json(jwks(&[public_jwk(RSA, "rsa-1")])));
}

/// The issuer rotates: it publishes an EC key `ec-2` beside `rsa-1`; a token signed by it.
fn rotate_to_ec(env: &Env) -> String {
    env.server.route(
        "/jwks",
        Reply::json(jwks(&[public_jwk(RSA, "rsa-1"), public_jwk(EC, "ec-2")])),
    );
    sign(EC, "ec-2", "i", |_| {})
}

#[test]
fn jwks_url_verifies_and_the_second_run_fetches_nothing() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("https://issuer.example");
    let first = env
        .verify()
        .args(["--jwks", &env.url("/jwks"), "--json", &token])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    let json = json_stdout(&first);
    assert_eq!(json["valid"], true);
    assert_eq!(json["key"]["source"], env.url("/jwks"));
    assert_eq!(json["key"]["cached"], false);
    let second = env
        .verify()
        .args(["--jwks", &env.url("/jwks"), "--json", &token])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(json_stdout(&second)["key"]["cached"], true);
    assert_eq!(env.server.hits("/jwks"), 1, "the second run used the cache");
}

#[test]
fn issuer_discovery_sets_the_expected_iss() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.discovery("");
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .success()
        .stdout(predicate::str::contains("RS256 signature by kid \"rsa-1\""));
    // The same keys, but a token from another issuer: wrong_issuer.
    env.verify()
        .args([
            "--issuer",
            &issuer,
            "--json",
            &rsa_token("https://other.example"),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("wrong_issuer"));
    // A different --iss beside --issuer is a usage error.
    env.verify()
        .args([
            "--issuer",
            &issuer,
            "--iss",
            "https://x.example",
            &rsa_token(&issuer),
        ])
        .assert()
        .code(2);
}

#[test]
fn discovery_falls_back_to_rfc_8414_for_an_issuer_with_a_path() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.url("/realms/dev");
    env.server.route(
        "/.well-known/oauth-authorization-server/realms/dev",
        Reply::json(json!({"issuer": issuer, "jwks_uri": env.url("/jwks")}).to_string()),
    );
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .success();
    assert_eq!(
        env.server
            .hits("/realms/dev/.well-known/openid-configuration"),
        1
    );
}

#[test]
fn one_trailing_slash_of_an_issuer_is_dropped_before_well_known() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.url("/");
    env.server.route(
        "/.well-known/openid-configuration",
        Reply::json(json!({"issuer": issuer, "jwks_uri": env.url("/jwks")}).to_string()),
    );
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .success();
}

#[test]
fn an_issuer_mismatch_is_exit_3() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.url("");
    env.server.route(
        "/.well-known/openid-configuration",
        Reply::json(
            json!({"issuer": "https://evil.example", "jwks_uri": env.url("/jwks")}).to_string(),
        ),
    );
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(
            "names issuer \"https://evil.example\"",
        ));
    assert_eq!(env.server.hits("/jwks"), 0);
}

#[test]
fn an_http_jwks_uri_is_refused() {
    let env = Env::new();
    let issuer = env.url("");
    env.server.route(
        "/.well-known/openid-configuration",
        Reply::json(json!({"issuer": issuer, "jwks_uri": "http://keys.example/jwks"}).to_string()),
    );
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not HTTPS"));
}

#[test]
fn redirects_are_followed_but_never_to_http_and_never_in_a_loop() {
    let env = Env::new();
    serve_rsa(&env);
    env.server.route("/moved", Reply::redirect("/jwks"));
    env.verify()
        .args(["--jwks", &env.url("/moved"), &rsa_token("i")])
        .assert()
        .success();
    let http = Server::http();
    serve_rsa_on(&http);
    env.server
        .route("/down", Reply::redirect(&format!("{}/jwks", http.base())));
    env.verify()
        .args(["--jwks", &env.url("/down"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("HTTPS to plain HTTP"));
    assert!(http.seen().is_empty());
    env.server.route("/a", Reply::redirect("/b"));
    env.server.route("/b", Reply::redirect("/a"));
    env.verify()
        .args(["--jwks", &env.url("/a"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("redirects"));
    for (from, to) in [
        ("/r1", "/r2"),
        ("/r2", "/r3"),
        ("/r3", "/r4"),
        ("/r4", "/jwks"),
    ] {
        env.server.route(from, Reply::redirect(to));
    }
    env.verify()
        .args(["--jwks", &env.url("/r1"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("more than 3 redirects"));
}

fn serve_rsa_on(server: &Server) {
    server.route("/jwks", Reply::json(jwks(&[public_jwk(RSA, "rsa-1")])));
}

#[test]
#[ignore = "slow (waits out a 2 s timeout): CI runs it with --ignored"]
fn a_stalled_server_times_out() {
    let (_listener, addr) = stalled();
    let env = Env::new();
    let started = std::time::Instant::now();
    env.verify()
        .args([
            "--timeout",
            "1s",
            "--jwks",
            &format!("https://{addr}/jwks"),
            &rsa_token("i"),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("timed out"));
    // A bound, not a benchmark: the 10 s default was not used.
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    env.server.route(
        "/slow",
        Reply {
            stall: true,
            ..Reply::status(200)
        },
    );
    env.verify()
        .args([
            "--timeout",
            "1s",
            "--jwks",
            &env.url("/slow"),
            &rsa_token("i"),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("timed out"));
}

#[test]
fn an_oversize_body_and_error_statuses_are_refused_before_parsing() {
    let env = Env::new();
    let big = format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(1024 * 1024));
    env.server.route("/big", Reply::json(big));
    env.verify()
        .args(["--jwks", &env.url("/big"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("larger than 1 MiB"));
    for status in [404, 500] {
        let path = format!("/s{status}");
        // A JWKS body on an error status is never read.
        env.server.route(
            &path,
            Reply {
                status,
                ..Reply::json(jwks(&[public_jwk(RSA, "rsa-1")]))
            },
        );
        env.verify()
            .args(["--jwks", &env.url(&path), &rsa_token("i")])
            .assert()
            .code(3)
            .stderr(predicate::str::contains(format!("HTTP status {status}")))
            .stderr(predicate::str::contains(env.url(&path)));
    }
    // A discovery document has a smaller cap: 256 KiB.
    let issuer = env.url("/huge");
    let doc =
        json!({"issuer": issuer, "jwks_uri": env.url("/jwks"), "pad": "x".repeat(256 * 1024)});
    env.server.route(
        "/huge/.well-known/openid-configuration",
        Reply::json(doc.to_string()),
    );
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("larger than 256 KiB"));
    assert!(env.cache_files().is_empty(), "nothing refused is cached");
    env.server.route("/html", Reply::json("<html>keys</html>"));
    env.verify()
        .args(["--jwks", &env.url("/html"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not a JSON object"));
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let env = Env::new();
    serve_rsa(&env);
    // No --cacert: the system's trust store does not know the test CA. The hint names the
    // flag that adds roots.
    let out = env
        .jwtk()
        .args(["verify", "--jwks", &env.url("/jwks"), &rsa_token("i")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = crate::stderr_after_pin(&out);
    assert!(stderr.contains("TLS"), "{stderr}");
    let hint = stderr.lines().nth(1).unwrap_or_default();
    assert!(
        hint.starts_with("hint: ") && hint.contains("--cacert"),
        "{stderr}"
    );
    // keyset fetch says the same.
    let out = env
        .jwtk()
        .args(["keyset", "fetch", &env.url("/jwks")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        crate::stderr_after_pin(&out).contains("hint: a private or corporate CA? --cacert"),
        "{out:?}"
    );
    // Another CA's roots do not help either.
    let other = TestCa::new();
    env.jwtk()
        .arg("verify")
        .arg("--cacert")
        .arg(&other.pem_path)
        .args(["--jwks", &env.url("/jwks"), &rsa_token("i")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("TLS"));
    assert!(env.server.seen().is_empty());
}

#[test]
fn plain_http_only_on_loopback_with_a_note() {
    let http = Server::http();
    serve_rsa_on(&http);
    let env = Env::new();
    env.jwtk()
        .args([
            "verify",
            "--jwks",
            &format!("{}/jwks", http.base()),
            &rsa_token("i"),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("plain HTTP"));
    env.jwtk()
        .args([
            "verify",
            "--jwks",
            "http://keys.example/jwks",
            &rsa_token("i"),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("HTTPS only"));
    // A loopback issuer over HTTP may name a loopback HTTP jwks_uri.
    let issuer = http.base_localhost();
    http.route(
        "/.well-known/openid-configuration",
        Reply::json(
            json!({"issuer": issuer, "jwks_uri": format!("{}/jwks", http.base())}).to_string(),
        ),
    );
    env.jwtk()
        .args(["verify", "--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .success();
}

#[test]
fn a_stale_copy_is_revalidated_and_a_304_renews_it() {
    let env = Env::new();
    env.server.route(
        "/jwks",
        Reply::json(jwks(&[public_jwk(RSA, "rsa-1")]))
            .header("ETag", "\"v1\"")
            .header("Cache-Control", "max-age=60"),
    );
    let token = rsa_token("i");
    let run = || {
        env.verify()
            .args(["--jwks", &env.url("/jwks"), "--json", &token])
            .output()
            .unwrap()
    };
    assert_eq!(run().status.code(), Some(0));
    // max-age=60 is clamped up to 5 minutes: still fresh after 4.
    env.age_cache(240);
    assert_eq!(run().status.code(), Some(0));
    assert_eq!(env.server.hits("/jwks"), 1);
    env.age_cache(120);
    let revalidated = run();
    assert_eq!(revalidated.status.code(), Some(0));
    assert_eq!(json_stdout(&revalidated)["key"]["cached"], true);
    let seen = env.server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    // The 304 renewed the copy: fresh again.
    assert_eq!(run().status.code(), Some(0));
    assert_eq!(env.server.hits("/jwks"), 2);
    // --refresh asks even when fresh.
    env.verify()
        .args(["--refresh", "--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 3);
}

#[test]
fn a_stale_copy_whose_revalidation_fails_is_exit_3_with_the_offline_hint() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("i");
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    env.age_cache(3600);
    env.server.route("/jwks", Reply::status(500));
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &token])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("could not revalidate"))
        .stderr(predicate::str::contains("hint: --offline"));
    env.verify()
        .args(["--offline", "--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
}

#[test]
fn offline_uses_only_the_cache() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("i");
    env.verify()
        .args(["--offline", "--jwks", &env.url("/jwks"), &token])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no cached copy"));
    assert!(env.server.seen().is_empty());
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    env.age_cache(10 * 86_400);
    env.verify()
        .args(["--offline", "--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    assert_eq!(env.server.seen().len(), 1);
    env.verify()
        .args([
            "--offline",
            "--refresh",
            "--jwks",
            &env.url("/jwks"),
            &token,
        ])
        .assert()
        .code(2);
}

#[test]
fn an_unknown_kid_refetches_once_when_the_copy_is_older_than_30_seconds() {
    let env = Env::new();
    serve_rsa(&env);
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &rsa_token("i")])
        .assert()
        .success();
    let rotated = rotate_to_ec(&env);
    env.age_cache(10);
    env.verify()
        .args(["--jwks", &env.url("/jwks"), "--json", &rotated])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("no_matching_key")
                .or(predicate::str::contains("alg_not_allowed")),
        );
    assert_eq!(
        env.server.hits("/jwks"),
        1,
        "a copy under 30 s old is not refetched"
    );
    env.age_cache(30);
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &rotated])
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 2);
    // A kid that is nowhere: one refetch per run, never more.
    env.age_cache(60);
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &sign(EC, "gone", "i", |_| {})])
        .assert()
        .code(1);
    assert_eq!(env.server.hits("/jwks"), 3);
}

/// A key rotated seconds ago, refused because the keys came from a cached copy too young to be
/// fetched again: the message says where the keys came from, how old they are, and what
/// fetches them now.
#[test]
fn a_kid_refused_from_a_young_cached_copy_says_so_and_points_to_refresh() {
    let env = Env::new();
    serve_rsa(&env);
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &rsa_token("i")])
        .assert()
        .success();
    let rotated = rotate_to_ec(&env);
    env.age_cache(12);
    let out = env
        .verify()
        .args(["--jwks", &env.url("/jwks"), "--json", &rotated])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let message = json_stdout(&out)["message"].as_str().unwrap().to_string();
    let url = env.url("/jwks");
    // 12 s, or 13 when the real clock has passed a second boundary since the cache was aged.
    let aged = |text: &str, prefix: &str| {
        (12..=13).any(|secs| text.contains(&format!("{prefix}fetched {secs} s ago")))
    };
    assert!(
        aged(
            &message,
            &format!("the keys of {url} came from the cache, ")
        ) && message.contains("--refresh"),
        "{message}"
    );
    let out = env
        .verify()
        .args(["--jwks", &url, &rotated])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("jwtk: invalid: ") && aged(&stderr, ""),
        "{stderr}"
    );
    env.verify()
        .args(["--refresh", "--jwks", &url, &rotated])
        .assert()
        .success();
    // A copy fetched in this very run is no cached copy: nothing about the cache is said.
    let fresh = Env::new();
    serve_rsa(&fresh);
    let out = fresh
        .verify()
        .args(["--jwks", &fresh.url("/jwks"), "--json", &rotated])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !json_stdout(&out)["message"]
            .as_str()
            .unwrap()
            .contains("cache")
    );
}

#[test]
fn a_corrupt_or_loose_cache_file_is_refetched_never_trusted() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("i");
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    let files = env.cache_files();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&files[0]), 0o600);
        assert_eq!(mode(&env.cache.path().join("jwtk")), 0o700);
    }
    // An attacker's set in the cache: corrupt JSON is refetched.
    rewrite(&files[0], "{\"url\": 12, \"keys\"");
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &token])
        .assert()
        .success()
        .stderr(predicate::str::contains("corrupt"));
    assert_eq!(env.server.hits("/jwks"), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&files[0], std::fs::Permissions::from_mode(0o666)).unwrap();
        env.verify()
            .args(["--jwks", &env.url("/jwks"), &token])
            .assert()
            .success()
            .stderr(predicate::str::contains("writable by others"));
        assert_eq!(env.server.hits("/jwks"), 3);
    }
}

#[test]
fn batch_fetches_once_and_refetches_at_most_once() {
    let env = Env::new();
    serve_rsa(&env);
    let good = rsa_token("i");
    let input = format!("{good}\n{good}\n{good}\n");
    env.verify()
        .args(["--jwks", &env.url("/jwks"), "--batch"])
        .write_stdin(input)
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 1);
    let rotated = rotate_to_ec(&env);
    env.age_cache(60);
    let unknown = sign(EC, "nowhere", "i", |_| {});
    let input = format!("{rotated}\n{unknown}\n{rotated}\n{unknown}\n{good}\n");
    let out = env
        .verify()
        .args(["--jwks", &env.url("/jwks"), "--batch", "--jobs", "2"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let valid: Vec<bool> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["valid"] == true)
        .collect();
    assert_eq!(valid, [true, false, true, false, true]);
    assert_eq!(
        env.server.hits("/jwks"),
        2,
        "one refetch for the whole batch"
    );
}

#[test]
fn a_jku_header_is_never_fetched() {
    let env = Env::new();
    serve_rsa(&env);
    // The attacker publishes their own EC key and points the token at it.
    env.server
        .route("/evil", Reply::json(jwks(&[public_jwk(EC, "evil")])));
    let evil = env.url("/evil");
    let forged = sign(EC, "evil", "i", |h| h.jku = Some(evil.clone()));
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &forged])
        .assert()
        .code(1);
    let forged_x5u = sign(EC, "evil", &evil, |h| h.x5u = Some(evil.clone()));
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &forged_x5u])
        .assert()
        .code(1);
    assert_eq!(env.server.hits("/evil"), 0);
}

#[test]
fn https_proxy_is_used_unless_no_proxy_names_the_host() {
    let env = Env::new();
    serve_rsa(&env);
    // The proxy sends every tunnel to the test server: keys.test is reached only through it.
    let proxy = Proxy::to(env.server.addr);
    let url = "https://keys.test/jwks";
    let token = rsa_token("i");
    env.verify()
        .env("HTTPS_PROXY", format!("http://{}", proxy.addr))
        .args(["--refresh", "--jwks", url, &token])
        .assert()
        .success();
    assert_eq!(proxy.count(), 1);
    assert_eq!(proxy.targets(), ["keys.test:443"]);
    // NO_PROXY names the host: a direct connection, which cannot find keys.test.
    env.verify()
        .env("HTTPS_PROXY", format!("http://{}", proxy.addr))
        .env("NO_PROXY", "example.com,keys.test")
        .args(["--refresh", "--jwks", url, &token])
        .assert()
        .code(3);
    assert_eq!(proxy.count(), 1, "NO_PROXY bypassed the proxy");
    // A loopback host is always reached directly.
    env.verify()
        .env("https_proxy", format!("http://{}", proxy.addr))
        .args(["--refresh", "--jwks", &env.url("/jwks"), &token])
        .assert()
        .success();
    assert_eq!(proxy.count(), 1, "loopback hosts are never proxied");
    assert_eq!(env.server.hits("/jwks"), 2);
}

#[test]
fn fetched_sets_ignore_secret_keys_and_private_members() {
    let env = Env::new();
    let private: Value =
        serde_json::from_slice(&std::fs::read(fixture(&format!("rfc/{EC}/key.jwk.json"))).unwrap())
            .unwrap();
    let mut private = private;
    private["kid"] = json!("ec-2");
    let secret = b"published-secret-published-secret";
    let oct = json!({"kty": "oct", "kid": "hmac", "k": crate::b64(secret)});
    env.server.route(
        "/jwks",
        Reply::json(jwks(&[oct.clone(), private, public_jwk(RSA, "rsa-1")])),
    );
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &sign(EC, "ec-2", "i", |_| {})])
        .assert()
        .success()
        .stderr(predicate::str::contains("private members"))
        .stderr(predicate::str::contains("secret (oct)"));
    // An HS256 token made with the published oct key is not accepted.
    let hs = jsonwebtoken::encode(
        &Header {
            kid: Some("hmac".into()),
            ..Header::new(JAlg::HS256)
        },
        &json!({"exp": NOW + 600}),
        &EncodingKey::from_secret(secret),
    )
    .unwrap();
    env.verify()
        .args(["--jwks", &env.url("/jwks"), &hs])
        .assert()
        .code(1);
    env.server.route("/only-oct", Reply::json(jwks(&[oct])));
    env.verify()
        .args(["--jwks", &env.url("/only-oct"), &hs])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no usable public key"));
}

#[test]
fn jwks_sits_beside_key() {
    let env = Env::new();
    serve_rsa(&env);
    let ec_token = sign(EC, "local", "i", |_| {});
    let local = fixture(&format!("rfc/{EC}/key.public.pem"));
    let out = env
        .verify()
        .arg("--key")
        .arg(&local)
        .args(["--jwks", &env.url("/jwks"), "--json", &ec_token])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json = json_stdout(&out);
    assert_eq!(json["key"]["source"], local.display().to_string());
    assert_eq!(json["key"]["cached"], Value::Null);
    env.verify()
        .arg("--key")
        .arg(&local)
        .args(["--jwks", &env.url("/jwks"), &rsa_token("i")])
        .assert()
        .success();
    // --kid picks among the fetched keys too.
    env.verify()
        .args([
            "--kid",
            "rsa-1",
            "--jwks",
            &env.url("/jwks"),
            &rsa_token("i"),
        ])
        .assert()
        .success();
    env.verify()
        .args([
            "--kid",
            "other",
            "--jwks",
            &env.url("/jwks"),
            &rsa_token("i"),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no key with kid \"other\""));
}

#[test]
fn keyset_fetch_saves_the_public_set() {
    let env = Env::new();
    let private: Value =
        serde_json::from_slice(&std::fs::read(fixture(&format!("rfc/{EC}/key.jwk.json"))).unwrap())
            .unwrap();
    env.server.route(
        "/jwks",
        Reply::json(jwks(&[public_jwk(RSA, "rsa-1"), private])),
    );
    let issuer = env.discovery("");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pinned.jwks");
    let fetch = |args: &[&str]| {
        let mut cmd = env.jwtk();
        cmd.args(["keyset", "fetch", "--cacert"])
            .arg(&env.ca.pem_path)
            .arg("--out")
            .arg(&out)
            .args(args);
        cmd
    };
    fetch(&["--issuer", &issuer]).assert().success();
    let saved: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let keys = saved["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.get("d").is_none()), "{saved}");
    fetch(&[&env.url("/jwks")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("refusing to overwrite"));
    fetch(&[&env.url("/jwks"), "--force"]).assert().success();
    // The pinned file verifies offline with --key.
    env.jwtk()
        .args(["verify", "--key"])
        .arg(&out)
        .arg(rsa_token("i"))
        .assert()
        .success();
    env.jwtk()
        .args(["keyset", "fetch", "--out", "x.jwks"])
        .assert()
        .code(2);
    // Without --out the public set goes to stdout, as `keyset public` prints it, and no file
    // is written.
    let printed = env
        .jwtk()
        .args(["keyset", "fetch", "--cacert"])
        .arg(&env.ca.pem_path)
        .arg(env.url("/jwks"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(0), "{printed:?}");
    let set = json_stdout(&printed);
    assert_eq!(set, saved, "the same set as the file");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    env.jwtk()
        .args(["keyset", "fetch", "--force", &env.url("/jwks")])
        .assert()
        .code(2);
}

/// `--kid` applies to every source: a local key without that kid never serves, beside a
/// remote set as much as alone.
#[test]
fn kid_pins_local_keys_beside_remote_sets_too() {
    let env = Env::new();
    serve_rsa(&env);
    let dir = tempfile::tempdir().unwrap();
    let pem = fixture(&format!("rfc/{EC}/key.public.pem"));
    let jwk = dir.path().join("local.jwk");
    std::fs::write(&jwk, public_jwk(EC, "local").to_string()).unwrap();
    let jwk_text = std::fs::read_to_string(&jwk).unwrap();
    let verify = |kid: &str, source: &[&std::ffi::OsStr], token: &str| {
        let out = env
            .verify()
            .args(["--json", "--kid", kid, "--jwks", &env.url("/jwks")])
            .args(source)
            .env("LOCAL_KEY", &jwk_text)
            .arg(token)
            .output()
            .unwrap();
        (out.status.code(), json_stdout(&out)["reason"].clone())
    };
    let pinned_away = json!("alg_not_allowed");
    let key = std::ffi::OsStr::new("--key");
    let key_env: [&std::ffi::OsStr; 2] = ["--key-env".as_ref(), "LOCAL_KEY".as_ref()];
    // A token signed by a local key the user pinned away.
    for source in [[key, jwk.as_ref()], [key, pem.as_ref()], key_env] {
        let token = sign(EC, "local", "i", |_| {});
        assert_eq!(
            verify("rsa-1", &source, &token),
            (Some(1), pinned_away.clone())
        );
    }
    // A kid-less local key does not serve under the remote kid pinned.
    let token = sign(EC, "rsa-1", "i", |_| {});
    assert_eq!(
        verify("rsa-1", &[key, pem.as_ref()], &token),
        (Some(1), pinned_away.clone())
    );
    // The pinned kid still serves, from either side.
    assert_eq!(
        verify("rsa-1", &[key, jwk.as_ref()], &rsa_token("i")),
        (Some(0), Value::Null)
    );
    for source in [[key, jwk.as_ref()], key_env] {
        let token = sign(EC, "local", "i", |_| {});
        assert_eq!(verify("local", &source, &token), (Some(0), Value::Null));
    }
}
