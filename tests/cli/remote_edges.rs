//! Remote keys in the corners: SOCKS and broken proxies, redirects and `jwks_uri`s that lead to
//! non-public addresses, the cache's extra roots, a failing refetch, strict discovery JSON, and
//! no panic whatever the proxy, timeout or cache environment. "Public" URLs are `.test` names
//! reached through a test proxy that sends every tunnel to the local server.

use predicates::prelude::*;
use serde_json::json;

use crate::remote::{Env, RSA, jwks, public_jwk, rsa_token, serve_rsa, sign};
use crate::server::{Proxy, Reply, TestCa};

#[test]
fn socks_proxies_carry_fetches_and_loopback_hosts_are_reached_directly() {
    let env = Env::new();
    serve_rsa(&env);
    let socks = Proxy::socks_to(env.server.addr);
    let token = rsa_token("i");
    // socks5h hands the name to the proxy; socks5 and socks4 resolve it here (an address).
    for (var, scheme, url, target) in [
        (
            "ALL_PROXY",
            "socks5h",
            "https://keys.test/jwks",
            "keys.test:443",
        ),
        (
            "HTTPS_PROXY",
            "socks5",
            "https://192.0.2.1/jwks",
            "192.0.2.1:443",
        ),
        (
            "all_proxy",
            "socks4",
            "https://192.0.2.1/jwks",
            "192.0.2.1:443",
        ),
        (
            "https_proxy",
            "socks4a",
            "https://keys.test/jwks",
            "keys.test:443",
        ),
    ] {
        let before = socks.count();
        env.verify()
            .env(var, format!("{scheme}://{}", socks.addr))
            .args(["--refresh", "--jwks", url, &token])
            .assert()
            .success();
        assert_eq!(socks.count(), before + 1, "{scheme}");
        assert_eq!(socks.targets().last().map(String::as_str), Some(target));
    }
    let before = socks.count();
    for url in [env.url("/jwks"), env.server.base_localhost() + "/jwks"] {
        env.verify()
            .env("ALL_PROXY", format!("socks5h://{}", socks.addr))
            .args(["--refresh", "--jwks", &url, &token])
            .assert()
            .success();
    }
    assert_eq!(socks.count(), before, "loopback hosts are never proxied");
}

#[test]
fn an_unusable_proxy_url_is_exit_3_naming_the_variable() {
    let env = Env::new();
    serve_rsa(&env);
    for (var, value) in [
        ("HTTPS_PROXY", "socks5h://[::1"),
        ("ALL_PROXY", "ftp://proxy.example"),
        ("https_proxy", "http://user:s3cret@proxy.example:3128/path"),
        ("all_proxy", "http://proxy.example:99999"),
    ] {
        env.verify()
            .env(var, value)
            .args(["--jwks", "https://keys.test/jwks", &rsa_token("i")])
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "{var} does not hold a usable proxy URL"
            )))
            .stderr(predicate::str::contains("s3cret").not());
    }
    // A loopback host never uses the proxy, so a broken one does not matter there.
    env.verify()
        .env("HTTPS_PROXY", "socks5h://[::1")
        .args(["--jwks", &env.url("/jwks"), &rsa_token("i")])
        .assert()
        .success();
}

#[test]
fn the_timeout_is_at_most_five_minutes() {
    let env = Env::new();
    for absurd in ["9223372036854775807s", "301s", "6m", "1w", "0s"] {
        env.verify()
            .args(["--timeout", absurd, "--jwks", &env.url("/jwks"), "x"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--timeout"));
    }
    env.jwtk()
        .args(["keyset", "fetch", "--timeout", "9223372036854775807s"])
        .args(["--out", "x.jwks", &env.url("/jwks")])
        .assert()
        .code(2);
    serve_rsa(&env);
    env.verify()
        .args([
            "--timeout",
            "5m",
            "--jwks",
            &env.url("/jwks"),
            &rsa_token("i"),
        ])
        .assert()
        .success();
}

#[test]
fn a_copy_fetched_under_cacert_serves_only_runs_that_trust_the_same_roots() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("i");
    let url = env.url("/jwks");
    env.verify()
        .args(["--jwks", &url, &token])
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 1);
    // Without the CA: the copy is not served, the server is asked and cannot be trusted.
    env.jwtk()
        .args(["verify", "--jwks", &url, &token])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("TLS"));
    env.jwtk()
        .args(["verify", "--offline", "--jwks", &url, &token])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no cached copy"));
    // Another CA: not served either.
    let other = TestCa::new();
    env.jwtk()
        .arg("verify")
        .arg("--cacert")
        .arg(&other.pem_path)
        .args(["--offline", "--jwks", &url, &token])
        .assert()
        .code(3);
    // The same certificate from another file (the key is the content, not the path).
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("same-ca.pem");
    std::fs::copy(&env.ca.pem_path, &copy).unwrap();
    env.jwtk()
        .arg("verify")
        .arg("--cacert")
        .arg(&copy)
        .args(["--offline", "--jwks", &url, &token])
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 1);
}

#[test]
fn a_failed_refetch_is_judged_with_the_copy_at_hand_and_remembered_30_seconds() {
    let env = Env::new();
    serve_rsa(&env);
    let url = env.url("/jwks");
    env.verify()
        .args(["--jwks", &url, &rsa_token("i")])
        .assert()
        .success();
    // Still fresh, but older than 30 s: an unknown kid refetches, and the server fails.
    env.age_cache(60);
    env.server.route("/jwks", Reply::status(500));
    // The same key under a new kid: an alg the set serves, a kid it lacks.
    let unknown = sign(RSA, "rsa-2", "i", |_| {});
    env.verify()
        .args(["--jwks", &url, "--json", &unknown])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"reason\":\"no_matching_key\""))
        .stderr(predicate::str::contains(
            "the refetch for an unknown kid failed",
        ))
        .stderr(predicate::str::contains("HTTP status 500"));
    assert_eq!(env.server.hits("/jwks"), 2);
    // Within 30 s of the failure: no new request, the same verdict, and a note saying why.
    for _ in 0..2 {
        env.verify()
            .args(["--jwks", &url, &unknown])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("a refetch failed"));
    }
    env.verify()
        .args(["--jwks", &url, "--batch"])
        .write_stdin(format!("{unknown}\n{}\n", rsa_token("i")))
        .assert()
        .code(1);
    assert_eq!(
        env.server.hits("/jwks"),
        2,
        "a failed refetch is remembered"
    );
    // 30 s later it is asked again; now it answers with the rotated set.
    env.age_cache(30);
    env.server.route(
        "/jwks",
        Reply::json(jwks(&[public_jwk(RSA, "rsa-1"), public_jwk(RSA, "rsa-2")])),
    );
    env.verify()
        .args(["--jwks", &url, &unknown])
        .assert()
        .success();
    assert_eq!(env.server.hits("/jwks"), 3);
}

#[test]
fn a_discovery_document_with_a_duplicate_member_is_exit_3() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.url("");
    // Last-wins parsing would see the right issuer; a strict parser sees two.
    let doc = format!(
        r#"{{"issuer":"https://evil.example","issuer":{},"jwks_uri":{}}}"#,
        json!(issuer),
        json!(env.url("/jwks"))
    );
    env.server
        .route("/.well-known/openid-configuration", Reply::json(doc));
    env.verify()
        .args(["--issuer", &issuer, &rsa_token(&issuer)])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("duplicate member name \"issuer\""));
    assert_eq!(env.server.hits("/jwks"), 0);
    assert!(env.cache_files().is_empty(), "nothing refused is cached");
}

/// `verify` through an HTTP CONNECT proxy that sends every tunnel to the server, so that
/// `https://keys.test/…` is a public-looking URL.
fn through(env: &Env, proxy: &Proxy) -> assert_cmd::Command {
    let mut cmd = env.verify();
    cmd.env("HTTPS_PROXY", format!("http://{}", proxy.addr));
    cmd
}

#[test]
fn a_redirect_from_a_public_url_to_a_non_public_address_is_refused() {
    let env = Env::new();
    serve_rsa(&env);
    let proxy = Proxy::to(env.server.addr);
    let port = env.server.addr.port();
    let token = rsa_token("i");
    for (path, target) in [
        ("/to-loopback", format!("https://127.0.0.1:{port}/jwks")),
        ("/to-localhost", format!("https://localhost:{port}/jwks")),
        ("/to-metadata", "https://169.254.169.254/jwks".to_string()),
        ("/to-private", "https://10.0.0.1/jwks".to_string()),
        ("/to-mapped", "https://[::ffff:a9fe:a9fe]/jwks".to_string()),
        ("/to-nat64", "https://[64:ff9b::a9fe:a9fe]/jwks".to_string()),
        ("/to-unspecified", format!("https://0.0.0.0:{port}/jwks")),
    ] {
        env.server.route(path, Reply::redirect(&target));
        through(&env, &proxy)
            .args(["--jwks", &format!("https://keys.test{path}"), &token])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("a non-public address"));
    }
    assert_eq!(
        env.server.hits("/jwks"),
        0,
        "no non-public target was reached"
    );
    assert!(
        proxy.targets().iter().all(|t| t == "keys.test:443"),
        "{:?}",
        proxy.targets()
    );
    // A name the proxy resolves itself cannot be checked: followed, with a note.
    env.server
        .route("/to-name", Reply::redirect("https://other.test/jwks"));
    through(&env, &proxy)
        .args(["--jwks", "https://keys.test/to-name", &token])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "whether it is a public address is not checked",
        ));
    // The user's own URL on a non-public address may lead to another.
    env.server.route(
        "/local-hop",
        Reply::redirect(&format!("{}/jwks", env.server.base_localhost())),
    );
    env.verify()
        .args(["--jwks", &env.url("/local-hop"), &token])
        .assert()
        .success();
}

#[test]
fn a_jwks_uri_on_a_non_public_address_is_refused_for_a_public_issuer() {
    let env = Env::new();
    serve_rsa(&env);
    let proxy = Proxy::to(env.server.addr);
    let port = env.server.addr.port();
    for (path, jwks_uri) in [
        ("/a", format!("https://127.0.0.1:{port}/jwks")),
        ("/b", "https://169.254.169.254/latest/meta-data".to_string()),
        ("/c", "https://[fd00::1]/jwks".to_string()),
    ] {
        let issuer = format!("https://issuer.test{path}");
        env.server.route(
            &format!("{path}/.well-known/openid-configuration"),
            Reply::json(json!({"issuer": issuer, "jwks_uri": jwks_uri}).to_string()),
        );
        // Twice: the second run reads the discovery document from the cache.
        for _ in 0..2 {
            through(&env, &proxy)
                .args(["--issuer", &issuer, &rsa_token(&issuer)])
                .assert()
                .code(3)
                .stderr(predicate::str::contains("a non-public address"));
        }
        let out = env.cache.path().join("never-written.jwks");
        let mut keyset = env.jwtk();
        keyset
            .env("HTTPS_PROXY", format!("http://{}", proxy.addr))
            .args(["keyset", "fetch", "--cacert"])
            .arg(&env.ca.pem_path)
            .args(["--issuer", &issuer, "--out"])
            .arg(&out)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("a non-public address"));
        assert!(!out.exists());
    }
    assert_eq!(env.server.hits("/jwks"), 0);
    assert!(
        proxy.targets().iter().all(|t| t == "issuer.test:443"),
        "{:?}",
        proxy.targets()
    );
    // A public jwks_uri is fine.
    let issuer = "https://issuer.test/ok";
    env.server.route(
        "/ok/.well-known/openid-configuration",
        Reply::json(json!({"issuer": issuer, "jwks_uri": "https://keys.test/jwks"}).to_string()),
    );
    through(&env, &proxy)
        .args(["--issuer", issuer, &rsa_token(issuer)])
        .assert()
        .success();
}

/// Every exit code a remote path may give.
fn contract_code(out: &std::process::Output, what: &str) {
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=3)),
        "{what}: exit {code:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "slow (every fetching subcommand under ~30 hostile environments, ~4 s): CI runs it with --ignored"]
fn no_remote_path_panics_whatever_the_proxy_timeout_or_cache() {
    let env = Env::new();
    serve_rsa(&env);
    let issuer = env.discovery("");
    let token = rsa_token(&issuer);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("set.jwks");
    let out = out.to_str().unwrap();
    // Every command that fetches, against the local server and against a public-looking name.
    let commands = |base: &str| -> Vec<Vec<String>> {
        let jwks_url = format!("{base}/jwks");
        [
            vec!["verify", "--jwks", &jwks_url, &token],
            vec!["verify", "--issuer", base, &token],
            vec!["verify", "--batch", "--jwks", &jwks_url],
            vec!["keyset", "fetch", "--force", "--out", out, &jwks_url],
            vec!["keyset", "fetch", "--force", "--out", out, "--issuer", base],
        ]
        .into_iter()
        .map(|args| args.into_iter().map(String::from).collect())
        .collect()
    };
    let run = |args: &[String], envs: &[(&str, &str)], timeout: &str| {
        let mut cmd = env.jwtk();
        cmd.args(&args[..1]);
        if args[0] == "keyset" {
            cmd.arg(&args[1]);
        }
        cmd.arg("--cacert").arg(&env.ca.pem_path);
        cmd.args(["--timeout", timeout]);
        cmd.args(&args[if args[0] == "keyset" { 2 } else { 1 }..]);
        cmd.envs(envs.iter().copied());
        cmd.write_stdin(format!("{token}\n"));
        cmd.timeout(std::time::Duration::from_secs(60));
        let output = cmd.output().unwrap();
        contract_code(&output, &format!("{args:?} {envs:?} --timeout {timeout}"));
    };
    let huge = format!("socks5h://{}", "a".repeat(100_000));
    let proxies = [
        "garbage",
        "socks5h://[::1",
        "",
        " ",
        huge.as_str(),
        "socks5h://127.0.0.1:9",
        "socks4://[::1]:9",
        "socks5://u:%ff@127.0.0.1:9",
        "http://[::1]:0",
        "https://127.0.0.1:9",
    ];
    for base in [env.url(""), "https://keys.test".to_string()] {
        for args in commands(&base) {
            for proxy in proxies {
                for var in ["HTTPS_PROXY", "ALL_PROXY"] {
                    run(&args, &[(var, proxy)], "2s");
                }
            }
        }
    }
    for args in commands(&env.url("")) {
        for timeout in [
            "9223372036854775807s",
            "9223372036854775807w",
            "99999999999999999999",
            "0s",
            "-1s",
            "",
            "5m",
        ] {
            run(&args, &[], timeout);
        }
    }
    // The cache folder is a file, unwritable, or holds a directory or garbage where a copy
    // should be.
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let locked = scratch.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    }
    for args in commands(&env.url("")) {
        for home in [&file, &locked] {
            run(&args, &[("XDG_CACHE_HOME", home.to_str().unwrap())], "2s");
        }
        run(&args, &[("XDG_CACHE_HOME", "relative/dir")], "2s");
    }
    for args in commands(&env.url("")) {
        run(&args, &[], "2s");
        replace_cache_files(&env, |path| std::fs::create_dir(path).unwrap());
        run(&args, &[], "2s");
        replace_cache_files(&env, |path| {
            std::fs::write(path, b"\xff\xfe{\"url\":").unwrap();
        });
        run(&args, &[], "2s");
    }
}

/// Put `make(path)` in the place of every file or folder in the cache.
fn replace_cache_files(env: &Env, make: impl Fn(&std::path::Path)) {
    for path in env.cache_files() {
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        make(&path);
    }
}

#[test]
fn a_url_carrying_a_password_is_refused_and_never_repeated() {
    let env = Env::new();
    serve_rsa(&env);
    let token = rsa_token("i");
    let port = env.server.addr.port();
    let jwks_url = format!("https://alice:s3cret@127.0.0.1:{port}/jwks");
    let hidden = || predicate::str::contains("s3cret").not();
    for args in [
        vec!["--jwks", &jwks_url],
        vec!["--offline", "--jwks", &jwks_url],
    ] {
        env.verify()
            .args(args)
            .arg(&token)
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains("https://***@127.0.0.1"))
            .stderr(predicate::str::contains("user name or password"))
            .stderr(hidden());
    }
    env.jwtk()
        .args(["keyset", "fetch", "--cacert"])
        .arg(&env.ca.pem_path)
        .arg(&jwks_url)
        .assert()
        .code(3)
        .stdout("")
        .stderr(hidden());
    let issuer = format!("https://bob:s3cret@127.0.0.1:{port}");
    env.verify()
        .args(["--issuer", &issuer, &token])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("user name or password"))
        .stderr(hidden());
    // A redirect to a URL with userinfo is refused too.
    env.server.route("/to-userinfo", Reply::redirect(&jwks_url));
    env.verify()
        .args(["--jwks", &env.url("/to-userinfo"), &token])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("user name or password"))
        .stderr(hidden());
    assert_eq!(env.server.hits("/jwks"), 0, "nothing was fetched with it");
    for file in env.cache_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(!text.contains("s3cret"), "{}", file.display());
    }
}
