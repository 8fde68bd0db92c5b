//! DPoP (RFC 9449): `jwtk dpop` proofs, every check of `verify --dpop` failing alone, the RFC's
//! own proofs, bound tokens with and without a proof, and `decode` on a proof.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};
use tempfile::TempDir;

use super::{NOW, b64, fixture, json_stdout, jwtk, run_ok, stderr_after_pin};

const URL: &str = "https://api.example.com/orders";
const ISSUER: &str = "keys/ec-p256-sec1.pem";
const ISSUER_PUB: &str = "keys/ec-p256-spki.pem";

/// A proof key made by `jwtk keygen` as a private JWK: its file, public JWK and thumbprint.
struct ProofKey {
    file: PathBuf,
    public: Map<String, Value>,
    jkt: String,
}

fn proof_key(dir: &Path, name: &str, flags: &[&str]) -> ProofKey {
    let out = jwtk()
        .args(["keygen", "--format", "jwk"])
        .args(flags)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let file = dir.join(name);
    std::fs::write(&file, &out.stdout).unwrap();
    let mut public: Map<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        public.remove(private);
    }
    let jkt = public["kid"].as_str().unwrap().to_string();
    ProofKey { file, public, jkt }
}

/// An access token from the fixture issuer, bound to `jkt` when given.
fn access_token(jkt: Option<&str>) -> String {
    let key = fixture(ISSUER).display().to_string();
    let mut args = vec!["mint", "--key", &key, "--sub", "alice"];
    let cnf = jkt.map(|jkt| format!("cnf:={}", json!({ "jkt": jkt })));
    if let Some(cnf) = &cnf {
        args.extend(["--claim", cnf]);
    }
    run_ok(&args)
}

/// A hand-made proof signed by `key` through `jwtk mint`, so that any one part can be wrong:
/// `header` members are added to typ and jwk (null removes one), `claims` to the valid set.
fn proof(key: &ProofKey, header: Value, claims: Value) -> String {
    let mut h = json!({"jwk": key.public}).as_object().unwrap().clone();
    h.extend(header.as_object().unwrap().clone());
    let typ = h.remove("typ").unwrap_or(json!("dpop+jwt"));
    let mut c = json!({"jti": "j-1", "htm": "GET", "htu": URL, "iat": NOW})
        .as_object()
        .unwrap()
        .clone();
    c.extend(claims.as_object().unwrap().clone());
    let file = key.file.display().to_string();
    let mut args: Vec<String> = ["mint", "--key", &file, "--no-exp"]
        .map(String::from)
        .to_vec();
    if c["iat"].is_null() {
        args.push("--no-iat".into());
    }
    args.push(format!("--typ={}", typ.as_str().unwrap_or("")));
    for (name, value) in h.iter().filter(|(_, v)| !v.is_null()) {
        args.extend(["--header".into(), format!("{name}:={value}")]);
    }
    for (name, value) in c.iter().filter(|(_, v)| !v.is_null()) {
        args.extend(["--claim".into(), format!("{name}:={value}")]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_ok(&args)
}

/// `verify --json --dpop PROOF --htm GET --htu URL TOKEN` plus `extra`: exit code and verdict.
fn check(proof: &str, token: &str, extra: &[&str]) -> (i32, Value) {
    let out = jwtk()
        .args(["verify", "--json", "--key"])
        .arg(fixture(ISSUER_PUB))
        .args(["--dpop", proof, "--htm", "GET", "--htu", URL])
        .args(extra)
        .arg(token)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code <= 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, json_stdout(&out))
}

/// The reason and the message: `valid` when the verdict is valid.
fn reason(proof: &str, token: &str, extra: &[&str]) -> (String, String) {
    let (code, doc) = check(proof, token, extra);
    assert_eq!(code == 0, doc["valid"] == true, "{doc}");
    let reason = doc["reason"].as_str().unwrap_or("valid").to_string();
    (reason, doc["message"].as_str().unwrap().to_string())
}

struct Setup {
    _dir: TempDir,
    key: ProofKey,
    token: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let key = proof_key(dir.path(), "dpop.jwk", &["--type", "ec"]);
    let token = access_token(Some(&key.jkt));
    Setup {
        _dir: dir,
        key,
        token,
    }
}

fn ath(token: &str) -> String {
    b64(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes()).as_ref())
}

#[test]
fn a_sound_proof_is_valid_and_each_check_fails_alone() {
    let s = setup();
    let ok = json!({"ath": ath(&s.token)});
    let with = |header: Value, claims: Value| {
        let mut all = ok.clone();
        all.as_object_mut()
            .unwrap()
            .extend(claims.as_object().unwrap().clone());
        proof(&s.key, header, all)
    };
    let good = with(json!({}), json!({}));
    let (valid, line) = reason(&good, &s.token, &[]);
    assert_eq!(valid, "valid", "{line}");
    assert!(line.ends_with("; DPoP proof checked"), "{line}");
    let cases: Vec<(&str, String, &str, &str)> = vec![
        ("not a JWT", "abc.def".into(), "dpop_invalid", "not a JWT"),
        (
            "typ",
            with(json!({"typ": "JWT"}), json!({})),
            "dpop_invalid",
            "typ",
        ),
        (
            "typ absent",
            with(json!({"typ": ""}), json!({})),
            "dpop_invalid",
            "typ is absent",
        ),
        (
            "crit",
            with(json!({"crit": ["x"], "x": 1}), json!({})),
            "dpop_invalid",
            "crit",
        ),
        (
            "b64 false",
            with(json!({"b64": false}), json!({})),
            "dpop_invalid",
            "b64: false",
        ),
        (
            "cty",
            with(json!({"cty": "JWT"}), json!({})),
            "dpop_invalid",
            "cty",
        ),
        (
            "jwk absent",
            with(json!({"jwk": null}), json!({})),
            "dpop_invalid",
            "no jwk",
        ),
        (
            "jti absent",
            with(json!({}), json!({"jti": null})),
            "dpop_invalid",
            "jti is absent",
        ),
        (
            "jti empty",
            with(json!({}), json!({"jti": ""})),
            "dpop_invalid",
            "jti is empty",
        ),
        (
            "iat absent",
            with(json!({}), json!({"iat": null})),
            "dpop_invalid",
            "iat is absent",
        ),
        (
            "iat a string",
            with(json!({}), json!({"iat": "x"})),
            "dpop_invalid",
            "iat is a string",
        ),
        (
            "iat too old",
            with(json!({}), json!({"iat": NOW - 361})),
            "dpop_invalid",
            "--dpop-max-age",
        ),
        (
            "iat ahead",
            with(json!({}), json!({"iat": NOW + 61})),
            "dpop_invalid",
            "beyond the leeway",
        ),
        (
            "htm",
            with(json!({}), json!({"htm": "POST"})),
            "dpop_mismatch",
            "htm",
        ),
        (
            "htm absent",
            with(json!({}), json!({"htm": null})),
            "dpop_mismatch",
            "htm is absent",
        ),
        (
            "htu",
            with(json!({}), json!({"htu": "https://api.example.com/other"})),
            "dpop_mismatch",
            "htu",
        ),
        (
            "htu with a query",
            with(json!({}), json!({"htu": format!("{URL}?page=2")})),
            "dpop_mismatch",
            "htu",
        ),
        (
            "htu with a fragment",
            with(json!({}), json!({"htu": format!("{URL}#top")})),
            "dpop_mismatch",
            "htu",
        ),
        (
            "htu not a URL",
            with(json!({}), json!({"htu": "/orders"})),
            "dpop_mismatch",
            "htu",
        ),
        (
            "ath absent",
            with(json!({}), json!({"ath": null})),
            "dpop_mismatch",
            "no ath",
        ),
        (
            "ath of another token",
            with(json!({}), json!({"ath": ath("other")})),
            "dpop_mismatch",
            "another token",
        ),
    ];
    for (what, proof, expected, words) in cases {
        let (got, message) = reason(&proof, &s.token, &[]);
        assert_eq!(got, expected, "{what}: {message}");
        assert!(message.contains(words), "{what}: {message}");
        assert!(
            !message.contains(';'),
            "{what} failed more than one check: {message}"
        );
    }
    // Within the window and the leeway: still valid.
    for iat in [NOW - 300 - 60, NOW + 60] {
        assert_eq!(
            reason(&with(json!({}), json!({"iat": iat})), &s.token, &[]).0,
            "valid"
        );
    }
}

#[test]
fn signature_alg_and_jwk_checks_fail_alone() {
    let s = setup();
    let dir = tempfile::tempdir().unwrap();
    let claims = json!({"ath": ath(&s.token)});
    let good = proof(&s.key, json!({}), claims.clone());
    let at = good.rfind('.').unwrap() + 1;
    let flip = if good.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    let tampered = format!("{}{flip}{}", &good[..at], &good[at + 1..]);
    let other = proof_key(dir.path(), "other.jwk", &["--type", "ec"]);
    let foreign = proof(&s.key, json!({"jwk": other.public}), claims.clone());
    let mut private = s.key.public.clone();
    let full: Map<String, Value> =
        serde_json::from_slice(&std::fs::read(&s.key.file).unwrap()).unwrap();
    private.insert("d".into(), full["d"].clone());
    let with_d = proof(&s.key, json!({"jwk": private}), claims.clone());
    let p384 = proof_key(
        dir.path(),
        "p384.jwk",
        &["--type", "ec", "--curve", "P-384"],
    );
    let token384 = access_token(Some(&p384.jkt));
    let es384 = proof(&p384, json!({}), json!({"ath": ath(&token384)}));
    let hmac = proof_key(dir.path(), "h.jwk", &["--type", "hmac"]);
    let hs256 = proof(
        &ProofKey {
            public: s.key.public.clone(),
            ..hmac
        },
        json!({}),
        claims,
    );
    let none_header = json!({"typ": "dpop+jwt", "alg": "none", "jwk": s.key.public});
    let none = format!(
        "{}.{}.",
        b64(none_header.to_string()),
        good.split('.').nth(1).unwrap()
    );
    for (what, proof, words) in [
        ("tampered signature", &tampered, "does not verify"),
        ("jwk of another key", &foreign, "does not verify"),
        ("private jwk", &with_d, "private member \"d\""),
        ("ES384 not allowed by default", &es384, "not allowed"),
        ("HMAC", &hs256, "not an asymmetric"),
        ("none", &none, "not an asymmetric"),
    ] {
        let token = if what.starts_with("ES384") {
            &token384
        } else {
            &s.token
        };
        let (got, message) = reason(proof, token, &[]);
        assert_eq!(got, "dpop_invalid", "{what}: {message}");
        assert!(message.contains(words), "{what}: {message}");
        assert!(
            !message.contains(';'),
            "{what} failed more than one check: {message}"
        );
    }
    assert_eq!(
        reason(&es384, &token384, &["--dpop-alg", "ES384"]).0,
        "valid"
    );
}

#[test]
fn nonce_and_binding_checks_fail_alone() {
    let s = setup();
    let claims = json!({"ath": ath(&s.token), "nonce": "n-1"});
    let with_nonce = proof(&s.key, json!({}), claims);
    assert_eq!(
        reason(&with_nonce, &s.token, &["--dpop-nonce", "n-1"]).0,
        "valid"
    );
    let (got, message) = reason(&with_nonce, &s.token, &["--dpop-nonce", "n-2"]);
    assert_eq!(
        (got.as_str(), message.contains("nonce")),
        ("dpop_mismatch", true),
        "{message}"
    );
    let without = proof(&s.key, json!({}), json!({"ath": ath(&s.token)}));
    let (got, message) = reason(&without, &s.token, &["--dpop-nonce", "n-1"]);
    assert_eq!(
        (got.as_str(), message.contains("nonce is absent")),
        ("dpop_mismatch", true),
        "{message}"
    );
    // A token bound to nothing, and one bound to another key.
    for (token, words) in [
        (access_token(None), "has no cnf claim"),
        (
            access_token(Some("someone-elses-thumbprint")),
            "is not the thumbprint",
        ),
    ] {
        let proof = proof(&s.key, json!({}), json!({"ath": ath(&token)}));
        let (got, message) = reason(&proof, &token, &[]);
        assert_eq!(got, "dpop_mismatch", "{message}");
        assert!(
            message.contains(words) && !message.contains(';'),
            "{message}"
        );
    }
}

#[test]
fn every_failed_check_is_listed_and_token_reasons_come_first() {
    let s = setup();
    let bad = proof(&s.key, json!({"typ": "JWT"}), json!({"htm": "POST"}));
    let (code, doc) = check(&bad, &s.token, &["--now", "+1h"]);
    assert_eq!((code, doc["reason"].as_str()), (1, Some("expired")));
    let message = doc["message"].as_str().unwrap();
    for part in [
        "expired:",
        "dpop_invalid: the proof's typ",
        "dpop_mismatch: the proof's htm",
        "dpop_mismatch: the proof has no ath",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    assert!(message.find("dpop_invalid").unwrap() < message.find("dpop_mismatch").unwrap());
    // A token whose own signature fails is not examined further, proof included.
    let at = s.token.rfind('.').unwrap() + 1;
    let flip = if s.token.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    let forged = format!("{}{flip}{}", &s.token[..at], &s.token[at + 1..]);
    let (_, doc) = check(&bad, &forged, &[]);
    assert_eq!(doc["reason"], "bad_signature");
    assert!(!doc["message"].as_str().unwrap().contains("dpop"));
}

#[test]
fn the_clock_is_the_tokens_own() {
    let s = setup();
    let good = proof(&s.key, json!({}), json!({"ath": ath(&s.token)}));
    // Judged 10 minutes later, the token (15 minutes) is fine and the proof (5) is too old.
    let (got, message) = reason(&good, &s.token, &["--now", "+10m"]);
    assert_eq!(got, "dpop_invalid", "{message}");
    // A longer window or leeway admits it.
    assert_eq!(
        reason(&good, &s.token, &["--now", "+10m", "--dpop-max-age", "11m"]).0,
        "valid"
    );
    assert_eq!(
        reason(&good, &s.token, &["--now", "+10m", "--leeway", "6m"]).0,
        "valid"
    );
}

#[test]
fn jwtk_dpop_makes_proofs_that_verify() {
    let s = setup();
    let file = s.key.file.display().to_string();
    let mut input = assert_cmd::Command::new(env!("CARGO_BIN_EXE_jwtk"));
    let out = input
        .env_clear()
        .env("JWTK_NOW", NOW.to_string())
        .args([
            "dpop",
            "--key",
            &file,
            "--htm",
            "GET",
            "--htu",
            &format!("{URL}?page=2#top"),
            "--ath",
            "-",
            "--nonce",
            "n-1",
        ])
        .write_stdin(format!("Authorization: DPoP {}\n", s.token))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(stderr_after_pin(&out).contains("without query and fragment"));
    let made = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let decoded = json_stdout(&jwtk().args(["decode", "--json", &made]).output().unwrap());
    assert_eq!(decoded["dpop_proof"], true);
    assert_eq!(decoded["header"]["typ"], "dpop+jwt");
    assert_eq!(decoded["header"]["alg"], "ES256");
    let jwk = decoded["header"]["jwk"].as_object().unwrap();
    assert_eq!(
        jwk.keys().collect::<Vec<_>>(),
        ["crv", "kty", "x", "y"],
        "public members only"
    );
    let claims = &decoded["claims"];
    assert_eq!(claims["htm"], "GET");
    assert_eq!(claims["htu"], URL);
    assert_eq!(claims["iat"], NOW);
    assert_eq!(claims["ath"], ath(&s.token));
    assert_eq!(claims["nonce"], "n-1");
    assert!(
        claims["jti"].as_str().unwrap().len() >= 16,
        "at least 96 random bits"
    );
    assert!(
        decoded["warnings"].as_array().unwrap().is_empty(),
        "{decoded}"
    );
    assert_eq!(reason(&made, &s.token, &["--dpop-nonce", "n-1"]).0, "valid");
    // An opaque access token (RFC 9449 §7.1's own, not a JWT) is hashed as given.
    let opaque = jwtk()
        .args(["dpop", "--key", &file, "--htm", "GET", "--htu", URL])
        .args(["--ath", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"])
        .output()
        .unwrap();
    assert!(opaque.status.success(), "{opaque:?}");
    let made = String::from_utf8(opaque.stdout).unwrap();
    let decoded = json_stdout(
        &jwtk()
            .args(["decode", "--json", made.trim()])
            .output()
            .unwrap(),
    );
    assert_eq!(
        decoded["claims"]["ath"],
        "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
    );
    let again = run_ok(&["dpop", "--key", &file, "--htm", "GET", "--htu", URL]);
    let jti = |p: &str| {
        json_stdout(&jwtk().args(["decode", "--json", p]).output().unwrap())["claims"]["jti"]
            .clone()
    };
    assert_ne!(jti(&made), jti(&again), "a fresh jti each time");
}

#[test]
fn jwtk_dpop_picks_the_algorithm_by_key_and_refuses_secrets() {
    let dir = tempfile::tempdir().unwrap();
    for (key, alg, asked) in [
        ("keys/ed25519-pkcs8.pem", "EdDSA", None),
        ("keys/rsa-2048-pkcs1.pem", "RS256", None),
        ("keys/rsa-2048-pkcs1.pem", "PS256", Some("PS256")),
        ("keys/ec-p384-sec1.der", "ES384", None),
        ("keys/ec-p256-sec1.pem", "ES256", None),
    ] {
        let file = fixture(key).display().to_string();
        let mut args = vec!["dpop", "--key", &file, "--htm", "POST", "--htu", URL];
        if let Some(asked) = asked {
            args.extend(["--alg", asked]);
        }
        let made = run_ok(&args);
        let doc = json_stdout(&jwtk().args(["decode", "--json", &made]).output().unwrap());
        assert_eq!(doc["header"]["alg"], alg);
    }
    let hmac = proof_key(dir.path(), "h.jwk", &["--type", "hmac"]);
    for key in [
        hmac.file,
        fixture("keys/secret-newline.txt"),
        fixture("keys/ec-p256-spki.pem"),
    ] {
        jwtk()
            .args(["dpop", "--htm", "GET", "--htu", URL, "--key"])
            .arg(&key)
            .assert()
            .code(3);
    }
    let ec = fixture("keys/ec-p256-sec1.pem");
    jwtk()
        .args([
            "dpop", "--htm", "GET", "--htu", URL, "--alg", "HS256", "--key",
        ])
        .arg(&ec)
        .assert()
        .code(3);
    for bad in [
        &["--htm", "get", "--htu", URL][..],
        &["--htm", "GET /", "--htu", URL],
        &["--htm", "GET", "--htu", "ftp://example.com/x"],
        &["--htm", "GET", "--htu", "/orders"],
        &["--htm", "GET", "--htu", URL, "--ath", "two words"],
    ] {
        jwtk()
            .arg("dpop")
            .args(bad)
            .arg("--key")
            .arg(&ec)
            .assert()
            .code(2);
    }
}

#[test]
fn verify_flag_errors_are_usage_errors() {
    let key = fixture(ISSUER_PUB);
    for bad in [
        &["--dpop", "x", "--htu", URL][..],
        &["--dpop", "x", "--htm", "GET"],
        &["--htm", "GET", "--htu", URL],
        &[
            "--dpop",
            "x",
            "--htm",
            "GET",
            "--htu",
            URL,
            "--dpop-alg",
            "HS256",
        ],
        &["--dpop", "x", "--htm", "GET", "--htu", URL, "--batch"],
    ] {
        jwtk()
            .arg("verify")
            .arg("--key")
            .arg(&key)
            .args(bad)
            .arg("t")
            .assert()
            .code(2);
    }
}

#[test]
fn bound_tokens_without_a_proof_are_valid_with_a_note() {
    let s = setup();
    let out = jwtk()
        .args(["verify", "--json", "--key"])
        .arg(fixture(ISSUER_PUB))
        .arg(&s.token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_stdout(&out)["bound"], json!({"jkt": s.key.jkt}));
    let note = stderr_after_pin(&out);
    assert!(
        note.contains("sender-constrained") && note.contains("--dpop"),
        "{note}"
    );
    let key = fixture(ISSUER).display().to_string();
    let mtls = run_ok(&[
        "mint",
        "--key",
        &key,
        "--claim",
        r#"cnf:={"x5t#S256":"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"}"#,
    ]);
    let out = jwtk()
        .args(["verify", "--json", "--key"])
        .arg(fixture(ISSUER_PUB))
        .arg(&mtls)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json_stdout(&out)["bound"],
        json!({"x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"})
    );
    assert!(stderr_after_pin(&out).contains("TLS client certificate"));
    let plain = access_token(None);
    let out = jwtk()
        .args(["verify", "--json", "--key"])
        .arg(fixture(ISSUER_PUB))
        .arg(&plain)
        .output()
        .unwrap();
    assert_eq!(json_stdout(&out)["bound"], Value::Null);
    assert_eq!(stderr_after_pin(&out), "");
}

/// RFC 9449 §4.1 (Figure 1): decoded as a proof, and its signature verified with its own jwk,
/// judged at its own time; RFC 9449 §6.1 gives that key's thumbprint, which binds the token.
#[test]
fn rfc9449_section_4_1_proof() {
    let proof = std::fs::read_to_string(fixture("dpop/rfc9449-4.1-proof.jwt")).unwrap();
    let proof = proof.trim();
    let decoded = json_stdout(&jwtk().args(["decode", "--json", proof]).output().unwrap());
    assert_eq!(decoded["dpop_proof"], true);
    assert_eq!(
        decoded["claims"],
        json!({"jti": "-BwC3ESc6acc2lTc", "htm": "POST", "htu": "https://server.example.com/token", "iat": 1562262616})
    );
    jwtk()
        .args(["decode", proof])
        .assert()
        .success()
        .stdout(predicates::str::contains("A DPoP proof (RFC 9449)"));
    let then = "1562262620";
    let key = fixture(ISSUER).display().to_string();
    let token = String::from_utf8(
        jwtk()
            .env("JWTK_NOW", then)
            .args([
                "mint",
                "--key",
                &key,
                "--claim",
                r#"cnf:={"jkt":"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}"#,
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let verdict = |proof: &str, clock: &[&str]| {
        let out = jwtk()
            .env("JWTK_NOW", then)
            .args(["verify", "--json", "--key"])
            .arg(fixture(ISSUER_PUB))
            .args([
                "--dpop",
                proof,
                "--htm",
                "POST",
                "--htu",
                "https://server.example.com/token",
            ])
            .args(clock)
            .arg(token.trim())
            .output()
            .unwrap();
        json_stdout(&out)["message"].as_str().unwrap().to_string()
    };
    // The proof was made for a token request, so it has no ath: that is the one failure.
    assert_eq!(
        verdict(proof, &[]),
        "dpop_mismatch: the proof has no ath (the hash of the access token it goes with)"
    );
    let tampered = format!("{}A", &proof[..proof.len() - 1]);
    assert!(
        verdict(&tampered, &[])
            .starts_with("dpop_invalid: the proof's ES256 signature does not verify")
    );
    // Judged today, its iat is years old.
    assert!(verdict(proof, &["--now", &NOW.to_string()]).contains("expired"));
}

/// RFC 9449 §4.2: `ath` is the hash of the access token as the request carries it; for a
/// nested JWT that is the JWE, not the token inside it.
#[test]
fn the_ath_of_an_encrypted_token_is_the_hash_of_the_jwe() {
    let s = setup();
    let issuer = fixture(ISSUER).display().to_string();
    let recipient = fixture("jwe/jwcrypto/p256.pem").display().to_string();
    let cnf = format!("cnf:={}", json!({ "jkt": s.key.jkt }));
    let jwe = run_ok(&[
        "mint",
        "--key",
        &issuer,
        "--sub",
        "alice",
        "--claim",
        &cnf,
        "--encrypt-to",
        &recipient,
    ]);
    let inner = run_ok(&["decrypt", "--key", &recipient, &jwe]);
    assert_ne!(ath(&jwe), ath(&inner));
    let decrypt = ["--decrypt-key", recipient.as_str()];
    let sent = proof(&s.key, json!({}), json!({ "ath": ath(&jwe) }));
    assert_eq!(reason(&sent, &jwe, &decrypt).0, "valid");
    let unwrapped = proof(&s.key, json!({}), json!({ "ath": ath(&inner) }));
    let (code, message) = reason(&unwrapped, &jwe, &decrypt);
    assert_eq!(code, "dpop_mismatch", "{message}");
    assert!(message.contains("ath"), "{message}");
    // The inner token sent on its own is hashed as itself.
    assert_eq!(reason(&unwrapped, &inner, &[]).0, "valid");
}
