//! `jwtk mint`: every key kind and source, every flag, the confusion guard, weak keys, and
//! tokens that an independent JOSE library (jsonwebtoken) accepts.

use jsonwebtoken::{Algorithm as JAlg, DecodingKey, Validation};
use predicates::prelude::*;
use serde_json::{Value, json};

use super::{NOW, fixture, json_stdout, jwtk, stderr_after_pin, vector};

fn mint(args: &[&str]) -> String {
    let out = jwtk().arg("mint").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with('\n') && stdout.lines().count() == 1,
        "token alone on stdout: {stdout:?}"
    );
    stdout.trim_end().to_string()
}

fn decoded(token: &str) -> Value {
    json_stdout(&jwtk().args(["decode", "--json", token]).output().unwrap())
}

fn key_path(name: &str) -> String {
    fixture(name).display().to_string()
}

fn jwk(name: &str) -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("rfc/{name}/key.jwk.json"))).unwrap(),
    )
    .unwrap()
}

/// Verify with jsonwebtoken, an implementation jwtk does not share code with for JWTs.
fn verify_elsewhere(token: &str, alg: JAlg, key: &DecodingKey) -> Value {
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token, key, &validation)
        .unwrap_or_else(|e| panic!("jsonwebtoken rejects {token}: {e}"))
        .claims
}

#[test]
fn every_algorithm_jsonwebtoken_knows_verifies_there() {
    let rsa_pub = std::fs::read(fixture("rfc/rfc7515-A.2-RS256/key.public.pem")).unwrap();
    let rsa = DecodingKey::from_rsa_pem(&rsa_pub).unwrap();
    let ec = jwk("rfc7515-A.3-ES256");
    let ed = jwk("rfc8037-A.4-EdDSA");
    let hmac = jwk("rfc7515-A.1-HS256");
    let secret = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        hmac["k"].as_str().unwrap(),
    )
    .unwrap();
    let cases: Vec<(&str, &str, JAlg, DecodingKey)> = vec![
        (
            "HS256",
            "rfc/rfc7515-A.1-HS256/key.jwk.json",
            JAlg::HS256,
            DecodingKey::from_secret(&secret),
        ),
        (
            "HS384",
            "rfc/rfc7515-A.1-HS256/key.secret.bin",
            JAlg::HS384,
            DecodingKey::from_secret(&secret),
        ),
        (
            "HS512",
            "rfc/rfc7515-A.1-HS256/key.secret.bin",
            JAlg::HS512,
            DecodingKey::from_secret(&secret),
        ),
        (
            "RS256",
            "rfc/rfc7515-A.2-RS256/key.private.pkcs8.pem",
            JAlg::RS256,
            rsa.clone(),
        ),
        (
            "RS384",
            "rfc/rfc7515-A.2-RS256/key.jwk.json",
            JAlg::RS384,
            rsa.clone(),
        ),
        (
            "RS512",
            "rfc/rfc7515-A.2-RS256/key.private.pkcs8.pem",
            JAlg::RS512,
            rsa.clone(),
        ),
        (
            "PS256",
            "rfc/rfc7515-A.2-RS256/key.jwk.json",
            JAlg::PS256,
            rsa.clone(),
        ),
        (
            "PS384",
            "rfc/rfc7515-A.2-RS256/key.private.pkcs8.pem",
            JAlg::PS384,
            rsa.clone(),
        ),
        (
            "PS512",
            "rfc/rfc7515-A.2-RS256/key.private.pkcs8.pem",
            JAlg::PS512,
            rsa,
        ),
        (
            "ES256",
            "rfc/rfc7515-A.3-ES256/key.jwk.json",
            JAlg::ES256,
            DecodingKey::from_ec_components(ec["x"].as_str().unwrap(), ec["y"].as_str().unwrap())
                .unwrap(),
        ),
        (
            "EdDSA",
            "rfc/rfc8037-A.4-EdDSA/key.private.pkcs8.pem",
            JAlg::EdDSA,
            DecodingKey::from_ed_components(ed["x"].as_str().unwrap()).unwrap(),
        ),
    ];
    for (alg, key, jalg, decoding) in cases {
        let token = mint(&[
            "--key",
            &key_path(key),
            "--alg",
            alg,
            "--sub",
            "svc",
            "--aud",
            "api",
        ]);
        let claims = verify_elsewhere(&token, jalg, &decoding);
        assert_eq!(claims["sub"], "svc", "{alg}");
        assert_eq!(decoded(&token)["header"]["alg"], alg);
    }
}

/// HMAC, RSASSA-PKCS1-v1_5 and Ed25519 are deterministic: signing the RFC's signing input with
/// the RFC's key must give the RFC's signature, byte for byte.
#[test]
fn deterministic_rfc_signatures_are_reproduced_exactly() {
    use jwtk::keys::{self, Reading, Source};
    use jwtk::token::Jws;
    for (name, key) in [
        ("rfc7515-A.1-HS256", "key.jwk.json"),
        ("rfc7515-A.2-RS256", "key.private.pkcs8.pem"),
        ("rfc7520-4.1-RS256", "key.jwk.json"),
        ("rfc7520-4.4-HS256", "key.secret.bin"),
        ("rfc8037-A.4-EdDSA", "key.jwk.json"),
    ] {
        let token = vector(name);
        let jws = Jws::parse(token.as_bytes()).unwrap();
        let loaded = keys::load(
            &Source::File(fixture(&format!("rfc/{name}/{key}"))),
            &Reading::with_raw_secrets(),
        )
        .unwrap();
        let alg = jws.alg().unwrap().parse().unwrap();
        let signer = loaded.keys[0].signer(alg).unwrap();
        let signature = signer
            .sign(jws.segments.signing_input(&token).as_bytes())
            .unwrap();
        assert_eq!(signature, jws.signature, "{name}");
    }
}

#[test]
fn default_algorithm_follows_the_key() {
    for (key, alg) in [
        ("keys/ec-p256-sec1.pem", "ES256"),
        ("keys/ec-p384-sec1.der", "ES384"),
        ("keys/ec-p521-sec1.pem", "ES512"),
        ("keys/ed25519-pkcs8.pem", "EdDSA"),
        ("keys/rsa-2048-pkcs1.pem", "RS256"),
        ("keys/rsa-2048-pkcs1.der", "RS256"),
        ("keys/rsa-2048-pkcs8.der", "RS256"),
        ("keys/secret-newline.txt", "HS256"),
        ("keys/secret-binary.bin", "HS256"),
        ("rfc/rfc7515-A.4-ES512/key.jwk.json", "ES512"),
    ] {
        let token = mint(&["--key", &key_path(key)]);
        assert_eq!(decoded(&token)["header"]["alg"], alg, "{key}");
    }
    // A JWK's own alg comes first.
    let dir = tempfile::tempdir().unwrap();
    let mut own = jwk("rfc7515-A.2-RS256");
    own["alg"] = json!("PS512");
    let path = dir.path().join("k.jwk");
    std::fs::write(&path, own.to_string()).unwrap();
    let token = mint(&["--key", path.to_str().unwrap()]);
    assert_eq!(decoded(&token)["header"]["alg"], "PS512");
    jwtk()
        .args(["mint", "--key", path.to_str().unwrap(), "--alg", "RS256"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("PS512"));
}

#[test]
fn claims_flags_and_defaults() {
    let key = key_path("keys/secret-newline.txt");
    let token = mint(&[
        "-k",
        &key,
        "--sub",
        "alice",
        "--iss",
        "https://issuer",
        "--aud",
        "a",
        "--aud",
        "b",
        "--jti",
        "id-1",
        "--claim",
        "scope=read write",
        "--claim",
        "n:=5",
        "--claim",
        "s=5",
        "--claim",
        "roles:=[\"x\"]",
        "--claim",
        "url=a=b",
        "--nbf",
        "now",
        "--header",
        "x5t=abc",
        "--header",
        "n:=1",
    ]);
    let doc = decoded(&token);
    assert_eq!(
        doc["claims"],
        json!({"scope": "read write", "n": 5, "s": "5", "roles": ["x"], "url": "a=b", "iss": "https://issuer", "sub": "alice",
               "aud": ["a", "b"], "jti": "id-1", "iat": NOW, "nbf": NOW, "exp": NOW + 900})
    );
    assert_eq!(
        doc["header"],
        json!({"alg": "HS256", "typ": "JWT", "x5t": "abc", "n": 1})
    );
    let doc = decoded(&mint(&[
        "-k", &key, "--aud", "only", "--exp", "+2h", "--iat", "-1m", "--typ", "at+jwt",
    ]));
    assert_eq!(
        doc["claims"],
        json!({"aud": "only", "iat": NOW - 60, "exp": NOW + 7200})
    );
    assert_eq!(doc["header"]["typ"], "at+jwt");
    let doc = decoded(&mint(&[
        "-k",
        &key,
        "--no-iat",
        "--exp",
        "2030-01-01T00:00:00Z",
        "--typ",
        "",
    ]));
    assert_eq!(doc["claims"], json!({"exp": 1_893_456_000}));
    assert_eq!(doc["header"], json!({"alg": "HS256"}));
    let doc = decoded(&mint(&["-k", &key, "--exp", "1900000000"]));
    assert_eq!(doc["claims"]["exp"], 1_900_000_000);
    let a = decoded(&mint(&["-k", &key, "--jti", "auto"]))["claims"]["jti"].clone();
    let b = decoded(&mint(&["-k", &key, "--jti", "auto"]))["claims"]["jti"].clone();
    assert!(a.as_str().unwrap().len() >= 22 && a != b);
}

#[test]
fn claims_file_and_stdin_are_the_base_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    std::fs::write(
        &base,
        r#"{"sub":"from-file","tenant":"t1","exp":1900000000}"#,
    )
    .unwrap();
    let key = key_path("keys/secret-newline.txt");
    let doc = decoded(&mint(&[
        "-k",
        &key,
        "--claims",
        base.to_str().unwrap(),
        "--sub",
        "flag",
    ]));
    assert_eq!(
        doc["claims"],
        json!({"sub": "flag", "tenant": "t1", "exp": 1_900_000_000, "iat": NOW})
    );
    let out = jwtk()
        .args(["mint", "-k", &key, "--claims", "-"])
        .write_stdin("{\n \"a\": [1,\n 2]\n}\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        decoded(String::from_utf8(out.stdout).unwrap().trim())["claims"]["a"],
        json!([1, 2])
    );
    for bad in ["[1]", "{\"a\":1,\"a\":2}", "nope"] {
        jwtk()
            .args(["mint", "-k", &key, "--claims", "-"])
            .write_stdin(bad)
            .assert()
            .code(2)
            .stdout("");
    }
    jwtk()
        .args(["mint", "-k", &key, "--claims", "/nonexistent.json"])
        .assert()
        .code(3);
}

#[test]
fn times_refuse_bare_small_integers_and_nonsense() {
    let key = key_path("keys/secret-newline.txt");
    for (flag, value) in [
        ("--exp", "3600"),
        ("--nbf", "60"),
        ("--iat", "999999999"),
        ("--exp", "tomorrow"),
        ("--exp", "+5y"),
    ] {
        let out = jwtk()
            .args(["mint", "-k", &key, flag, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        assert!(out.stdout.is_empty());
    }
    jwtk()
        .args(["mint", "-k", &key, "--exp", "3600"])
        .assert()
        .stderr(predicate::str::contains("+1h"));
    // A length of time where a time belongs: most likely meant from now.
    for (value, suggestion) in [
        ("1h", "write +1h"),
        ("15m", "write +15m"),
        ("7d", "write +7d"),
    ] {
        jwtk()
            .args(["mint", "-k", &key, "--exp", value])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(suggestion));
    }
    jwtk()
        .args(["mint", "-k", &key, "--exp", "+1h", "--no-exp"])
        .assert()
        .code(2);
    jwtk()
        .args(["mint", "-k", &key, "--claim", "n:=nope"])
        .assert()
        .code(2);
    jwtk()
        .args(["mint", "-k", &key, "--header", "alg=none"])
        .assert()
        .code(2);
}

#[test]
fn no_exp_warns() {
    let out = jwtk()
        .args([
            "mint",
            "-k",
            &key_path("keys/secret-newline.txt"),
            "--no-exp",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("never expires"));
    assert!(
        decoded(String::from_utf8(out.stdout).unwrap().trim())["claims"]
            .get("exp")
            .is_none()
    );
}

fn token_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn signature(token: &str) -> &str {
    token.rsplit('.').next().unwrap()
}

#[test]
fn key_sources_env_default_env_files_and_none() {
    let secret = "a-very-long-shared-secret-of-40-bytes!!!";
    let fixed = ["--iat", "1900000000", "--exp", "1900000900"];
    let reference = token_of(
        jwtk()
            .args(["mint", "-k", &key_path("keys/secret-newline.txt")])
            .args(fixed),
    );
    let env = token_of(
        jwtk()
            .env("MY_KEY", secret)
            .args(["mint", "--key-env", "MY_KEY"])
            .args(fixed),
    );
    let default = token_of(jwtk().env("JWTK_KEY", secret).arg("mint").args(fixed));
    assert_eq!(
        signature(&reference),
        signature(&env),
        "the trailing newline of the file is dropped"
    );
    assert_eq!(signature(&env), signature(&default));
    jwtk()
        .args(["mint", "-k", &key_path("keys/secret-newline.txt")])
        .assert()
        .success()
        .stderr(predicate::str::contains("removed the trailing newline"));
    jwtk()
        .arg("mint")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("hint: give --key FILE"));
    jwtk()
        .args(["mint", "--key-env", "UNSET_VAR"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("UNSET_VAR is not set"));
    jwtk()
        .args(["mint", "-k", "/nonexistent/key.pem"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "jwtk: error: /nonexistent/key.pem: no such file\n",
        ));
    let two = key_path("keys/secret-newline.txt");
    jwtk()
        .args(["mint", "-k", &two, "-k", &two])
        .assert()
        .code(2);
}

#[test]
fn secret_encodings() {
    let fixed = ["--iat", "1900000000", "--exp", "1900000900"];
    let raw = token_of(
        jwtk()
            .env("K", "0123456789abcdef0123456789abcdef")
            .args(["mint", "--key-env", "K"])
            .args(fixed),
    );
    let hex_text = "30313233343536373839616263646566".repeat(2);
    let hex = token_of(
        jwtk()
            .env("K", &hex_text)
            .args(["mint", "--key-env", "K", "--secret-encoding", "hex"])
            .args(fixed),
    );
    let b64 = token_of(
        jwtk()
            .env("K", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
            .args(["mint", "--key-env", "K", "--secret-encoding", "base64"])
            .args(fixed),
    );
    let b64url = token_of(
        jwtk()
            .env("K", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY")
            .args(["mint", "--key-env", "K", "--secret-encoding", "base64url"])
            .args(fixed),
    );
    let utf8 = token_of(
        jwtk()
            .env("K", "0123456789abcdef0123456789abcdef")
            .args(["mint", "--key-env", "K", "--secret-encoding", "utf8"])
            .args(fixed),
    );
    for other in [&hex, &b64, &b64url, &utf8] {
        assert_eq!(signature(&raw), signature(other));
    }
    jwtk()
        .env("K", "zz")
        .args(["mint", "--key-env", "K", "--secret-encoding", "hex"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not valid hex"));
    // The RFC 7515 A.1 secret, given as its base64url text, signs like the JWK does.
    let text =
        std::fs::read_to_string(fixture("rfc/rfc7515-A.1-HS256/key.secret.b64url.txt")).unwrap();
    let a = token_of(
        jwtk()
            .env("K", text.trim())
            .args([
                "mint",
                "--key-env",
                "K",
                "--secret-encoding",
                "base64url",
                "--typ",
                "",
            ])
            .args(fixed),
    );
    let b = token_of(
        jwtk()
            .args([
                "mint",
                "-k",
                &key_path("rfc/rfc7515-A.1-HS256/key.secret.bin"),
                "--typ",
                "",
            ])
            .args(fixed),
    );
    assert_eq!(signature(&a), signature(&b));
}

#[test]
fn jwks_uses_the_first_key_unless_kid_and_writes_the_kid() {
    let set = key_path("keys/keyset.jwks");
    let doc = decoded(&mint(&["-k", &set]));
    assert_eq!(doc["header"]["kid"], "old-hmac");
    assert_eq!(doc["header"]["alg"], "HS256");
    let doc = decoded(&mint(&["-k", &set, "--kid", "ec-2025"]));
    assert_eq!(
        (doc["header"]["kid"].as_str(), doc["header"]["alg"].as_str()),
        (Some("ec-2025"), Some("ES256"))
    );
    let doc = decoded(&mint(&["-k", &set, "--kid", "old-hmac", "--alg", "HS512"]));
    assert_eq!(doc["header"]["alg"], "HS512");
    jwtk()
        .args(["mint", "-k", &set, "--kid", "nope"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("no key with kid \"nope\"")
                .and(predicate::str::contains("\"ec-2025\"")),
        );
}

#[test]
fn public_key_material_is_never_an_hmac_secret() {
    let dir = tempfile::tempdir().unwrap();
    let public_jwk = dir.path().join("pub.jwk");
    std::fs::write(
        &public_jwk,
        std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    for key in [
        "keys/rsa-2048-spki.pem",
        "keys/rsa-2048-spki.der",
        "keys/rsa-2048-pkcs1-public.pem",
        "keys/rsa-2048-cert.pem",
        "keys/ed25519-spki.pem",
        "keys/ec-p256-sec1.pem",
    ] {
        for flags in [
            vec!["--alg", "HS256"],
            vec!["--alg", "HS256", "--secret-encoding", "utf8"],
        ] {
            jwtk()
                .args(["mint", "-k", &key_path(key)])
                .args(&flags)
                .assert()
                .code(3)
                .stdout("")
                .stderr(
                    predicate::str::contains("never used as an HMAC secret")
                        .and(predicate::str::contains("key-confusion")),
                );
        }
    }
    jwtk()
        .args(["mint", "-k", public_jwk.to_str().unwrap(), "--alg", "HS256"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("key-confusion"));
    for key in [
        "keys/rsa-2048-spki.pem",
        "keys/ed25519-spki.pem",
        "keys/rsa-2048-cert.der",
    ] {
        jwtk()
            .args(["mint", "-k", &key_path(key)])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("cannot sign"));
    }
}

#[test]
fn keys_that_do_not_fit_or_are_weak() {
    let cases = [
        (
            "keys/rsa-2048-pkcs1.pem",
            Some("ES256"),
            "cannot serve ES256",
        ),
        ("keys/ec-p256-sec1.pem", Some("ES384"), "cannot serve ES384"),
        (
            "keys/ed25519-pkcs8.pem",
            Some("RS256"),
            "cannot serve RS256",
        ),
        ("keys/rsa-1024-pkcs8.pem", None, "under 2048 bits"),
        ("keys/x25519-pkcs8.pem", None, "X25519"),
        ("keys/secp256k1-sec1.pem", None, "secp256k1"),
    ];
    for (key, alg, words) in cases {
        let mut cmd = jwtk();
        cmd.args(["mint", "-k", &key_path(key)]);
        if let Some(alg) = alg {
            cmd.args(["--alg", alg]);
        }
        cmd.assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains(words));
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    jwtk()
        .args(["mint", "-k", empty.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty"));
    jwtk()
        .env("K", "short")
        .args(["mint", "--key-env", "K", "--alg", "HS512"])
        .assert()
        .success()
        .stderr(predicate::str::contains("at least 64"));
    let out = jwtk()
        .env("K", "x".repeat(64))
        .args(["mint", "--key-env", "K", "--alg", "HS512"])
        .output()
        .unwrap();
    assert!(
        stderr_after_pin(&out).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn errors_never_show_the_secret() {
    let secret = "SUPER-SECRET-VALUE-1234567890-abcdefgh";
    for args in [
        vec!["mint", "--key-env", "K", "--alg", "RS256"],
        vec!["mint", "--key-env", "K", "--secret-encoding", "hex"],
    ] {
        let out = jwtk().env("K", secret).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("SUPER-SECRET"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn size_warnings_and_max_size() {
    let key = key_path("keys/secret-newline.txt");
    let roles: Vec<String> = (0..600).map(|i| format!("\"role-{i:04}\"")).collect();
    let roles = format!("roles:=[{}]", roles.join(","));
    let out = jwtk()
        .args(["mint", "-k", &key, "--claim", &roles])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("4096-byte") && stderr.contains("8192-byte") && stderr.contains("roles ("),
        "{stderr}"
    );
    jwtk()
        .args(["mint", "-k", &key, "--claim", &roles, "--max-size", "8192"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("over --max-size 8192")
                .and(predicate::str::contains("roles (")),
        );
    jwtk()
        .args(["mint", "-k", &key, "--max-size", "8192"])
        .assert()
        .success();
}

#[test]
fn the_prompt_reads_a_hidden_secret_from_the_terminal() {
    let secret = "a-very-long-shared-secret-of-40-bytes!!!";
    let fixed = ["--iat", "1900000000", "--exp", "1900000900"];
    let reference = token_of(
        jwtk()
            .env("K", secret)
            .args(["mint", "--key-env", "K"])
            .args(fixed),
    );
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jwtk"));
    command
        .env_clear()
        .env("JWTK_NOW", NOW.to_string())
        .args(["mint", "--key-prompt"])
        .args(fixed);
    let mut session = rexpect::session::spawn_command(command, Some(10_000)).unwrap();
    session.exp_string("HMAC secret: ").unwrap();
    session.send_line(secret).unwrap();
    let rest = session.exp_eof().unwrap();
    assert!(!rest.contains(secret), "the secret was echoed: {rest:?}");
    // The last line: before it, the warning that iat is in the future (as decode gives it).
    assert_eq!(
        rest.trim().lines().last().unwrap_or_default(),
        reference,
        "the prompt's secret signs like the same secret elsewhere"
    );
}

#[test]
fn no_terminal_for_the_prompt_is_exit_3() {
    // setsid gives the process no controlling terminal, as in CI.
    let out = std::process::Command::new("setsid")
        .args([env!("CARGO_BIN_EXE_jwtk"), "mint", "--key-prompt"])
        .stdin(std::process::Stdio::null())
        .output();
    let Ok(out) = out else { return }; // no setsid here: nothing to test
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

#[test]
fn a_private_key_file_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    std::fs::copy(fixture("keys/ec-p256-sec1.pem"), &key).unwrap();
    let public = dir.path().join("key.pub.pem");
    std::fs::copy(fixture("keys/ec-p256-spki.pem"), &public).unwrap();
    for (path, mode) in [(&key, 0o644), (&public, 0o644)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    jwtk()
        .args(["mint", "-k", key.to_str().unwrap()])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "mode is 0644: others can read it (chmod 600",
        ));
    let token = token_of(jwtk().args(["mint", "-k", key.to_str().unwrap()]));
    let out = jwtk()
        .args(["verify", "-k", public.to_str().unwrap(), &token])
        .output()
        .unwrap();
    assert!(
        stderr_after_pin(&out).is_empty(),
        "public keys may be world-readable: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = jwtk()
        .args(["mint", "-k", key.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        stderr_after_pin(&out).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// "Key input": a key without a kid of its own (PEM, DER, a JWK without kid) is named in the
/// header by its RFC 7638 thumbprint — the kid keygen printed — never a secret; `--kid` names
/// a single key instead.
#[test]
fn a_key_without_a_kid_is_named_by_its_thumbprint_or_kid() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = dir.path().join("issuer");
    let out = jwtk()
        .args(["keygen", "--type", "ec", "--out"])
        .arg(&issuer)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let pem = issuer.display().to_string();
    let token = mint(&["--key", &pem]);
    assert_eq!(decoded(&token)["header"]["kid"], printed.as_str());
    for key in [
        "keys/rsa-2048-pkcs1.pem",
        "keys/ed25519-pkcs8.pem",
        "keys/rsa-2048-pkcs8.der",
    ] {
        let token = mint(&["--key", &key_path(key)]);
        let out = jwtk()
            .args(["verify", "--json", "--key", &key_path(key), &token])
            .output()
            .unwrap();
        let doc = json_stdout(&out);
        assert_eq!(doc["valid"], true, "{key}: {doc}");
        assert_eq!(
            doc["header"]["kid"], doc["key"]["thumbprint"],
            "{key}: {doc}"
        );
    }
    let token = mint(&["--key", &pem, "--kid", "2026-11"]);
    assert_eq!(decoded(&token)["header"]["kid"], "2026-11");
    // A secret is never named by a hash of itself.
    let token = mint(&["--key", &key_path("keys/secret-newline.txt")]);
    assert!(decoded(&token)["header"].get("kid").is_none());
    let token = mint(&["--key", &key_path("keys/secret-newline.txt"), "--kid", "s1"]);
    assert_eq!(decoded(&token)["header"]["kid"], "s1");
    // A JWKS's keys keep their own kids: --kid still picks, never renames.
    let out = jwtk()
        .args([
            "mint",
            "--key",
            &key_path("keys/keyset.jwks"),
            "--kid",
            "nope",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
}

/// "Numbers in claims are kept exactly as written in every output": an exponent too — `1e3`
/// stays `1e3` (serde_json alone writes `1e+3`), `1E3` stays `1E3`.
#[test]
fn numbers_keep_their_exponent_as_written() {
    let key = key_path("keys/secret-newline.txt");
    let args = [
        "-k",
        &key,
        "--claim",
        "n:=1e3",
        "--claim",
        "m:=[1E3,2e-5]",
        "--claim",
        "o:={\"x\":7E+2}",
    ];
    let token = mint(&args);
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let claims = String::from_utf8(claims).unwrap();
    let want = r#""n":1e3,"m":[1E3,2e-5],"o":{"x":7E+2}"#;
    assert!(claims.starts_with(&format!("{{{want}")), "{claims}");
    let out = jwtk().args(["mint", "--json"]).args(args).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(want),
        "{out:?}"
    );
    let out = jwtk().args(["decode", "--json", &token]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(want),
        "{out:?}"
    );
    let out = jwtk().args(["decode", &token]).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("\"n\": 1e3") && human.contains("1E3"),
        "{human}"
    );
}
