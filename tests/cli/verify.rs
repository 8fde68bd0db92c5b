//! `jwtk verify`: RFC vectors, every reason code and flag, rotation, the confusion guard both
//! ways, tokens from another JOSE library, and the output contract.

use jsonwebtoken::{EncodingKey, Header};
use predicates::prelude::*;
use serde_json::{Value, json};

use super::{NOW, b64, fixture, json_stdout, jwtk, token, told, vector};

const BEFORE_A_EXP: &str = "2011-03-22T18:00:00Z";

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

fn rfc_key(name: &str, file: &str) -> String {
    path(&format!("rfc/{name}/{file}"))
}

/// Run verify --json and return (exit code, JSON verdict).
fn verdict(args: &[&str]) -> (i32, Value) {
    let out = jwtk()
        .arg("verify")
        .arg("--json")
        .args(told(args))
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "{args:?}: exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, json_stdout(&out))
}

fn reason(args: &[&str]) -> String {
    let (code, doc) = verdict(args);
    assert_eq!(code == 0, doc["valid"] == true);
    doc["reason"].as_str().unwrap_or("valid").to_string()
}

fn mint(args: &[&str]) -> String {
    let out = jwtk().arg("mint").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

const SECRET: &str = "keys/secret-newline.txt";

/// The same token with the first character of its signature changed (still canonical
/// base64url, so the fault is the signature's, not the encoding's).
fn tamper_signature(token: &str) -> String {
    let at = token.rfind('.').unwrap() + 1;
    let first = if token.as_bytes()[at] == b'A' {
        "B"
    } else {
        "A"
    };
    format!("{}{first}{}", &token[..at], &token[at + 1..])
}

#[test]
fn rfc7515_vectors_verify_before_exp_and_are_expired_today() {
    for (name, key) in [
        ("rfc7515-A.1-HS256", "key.jwk.json"),
        ("rfc7515-A.1-HS256", "key.secret.bin"),
        ("rfc7515-A.2-RS256", "key.public.pem"),
        ("rfc7515-A.2-RS256", "key.public.jwk.json"),
        ("rfc7515-A.2-RS256", "key.private.pkcs8.pem"),
        ("rfc7515-A.3-ES256", "key.public.pem"),
        ("rfc7515-A.3-ES256", "key.jwk.json"),
    ] {
        let t = vector(name);
        let k = rfc_key(name, key);
        let (code, doc) = verdict(&["-k", &k, "--now", BEFORE_A_EXP, &t]);
        assert_eq!(
            (code, &doc["valid"]),
            (0, &json!(true)),
            "{name} {key}: {doc}"
        );
        assert_eq!(doc["claims"]["iss"], "joe");
        assert_eq!(doc["header"]["alg"], name.rsplit('-').next().unwrap());
        assert_eq!(reason(&["-k", &k, &t]), "expired", "{name}");
        jwtk()
            .args(told(&["verify", "-k", &k, "--now", BEFORE_A_EXP, &t]))
            .assert()
            .success()
            .stdout(
                predicate::str::starts_with("valid: ")
                    .and(predicate::str::contains("expires in 43m")),
            );
    }
}

#[test]
fn text_payload_vectors_have_good_signatures_and_malformed_claims() {
    for (name, key) in [
        ("rfc7515-A.4-ES512", "key.public.pem"),
        ("rfc7515-A.4-ES512", "key.public.jwk.json"),
        ("rfc7520-4.1-RS256", "key.public.pem"),
        ("rfc7520-4.2-PS384", "key.public.jwk.json"),
        ("rfc7520-4.3-ES512", "key.public.pem"),
        ("rfc7520-4.4-HS256", "key.jwk.json"),
        ("rfc8037-A.4-EdDSA", "key.public.pem"),
    ] {
        let (code, doc) = verdict(&["-k", &rfc_key(name, key), &vector(name)]);
        assert_eq!(code, 1);
        assert_eq!(doc["reason"], "malformed", "{name}: {doc}");
        assert!(
            doc["message"]
                .as_str()
                .unwrap()
                .contains("the signature is valid"),
            "{name}: {doc}"
        );
        assert!(doc["header"].is_object() && doc["claims"].is_null());
    }
}

#[test]
fn tokens_from_jsonwebtoken_verify_and_tampered_copies_do_not() {
    let claims = json!({"sub": "from-jsonwebtoken", "exp": NOW + 600});
    let rsa_pem = std::fs::read(fixture("keys/rsa-2048-pkcs1.pem")).unwrap();
    let ec = std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.private.pkcs8.pem")).unwrap();
    let ed = std::fs::read(fixture("keys/ed25519-pkcs8.pem")).unwrap();
    let cases = [
        (
            jsonwebtoken::Algorithm::HS384,
            EncodingKey::from_secret(&[7; 48]),
            "hmac48",
        ),
        (
            jsonwebtoken::Algorithm::RS512,
            EncodingKey::from_rsa_pem(&rsa_pem).unwrap(),
            "keys/rsa-2048-spki.pem",
        ),
        (
            jsonwebtoken::Algorithm::PS256,
            EncodingKey::from_rsa_pem(&rsa_pem).unwrap(),
            "keys/rsa-2048-cert.pem",
        ),
        (
            jsonwebtoken::Algorithm::ES256,
            EncodingKey::from_ec_pem(&ec).unwrap(),
            "rfc/rfc7515-A.3-ES256/key.public.jwk.json",
        ),
        (
            jsonwebtoken::Algorithm::EdDSA,
            EncodingKey::from_ed_pem(&ed).unwrap(),
            "keys/ed25519-spki.pem",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let hmac = dir.path().join("hmac48");
    std::fs::write(&hmac, [7u8; 48]).unwrap();
    for (alg, key, verify_key) in cases {
        let t = jsonwebtoken::encode(&Header::new(alg), &claims, &key).unwrap();
        let k = if verify_key == "hmac48" {
            hmac.display().to_string()
        } else {
            path(verify_key)
        };
        assert_eq!(reason(&["-k", &k, &t]), "valid", "{alg:?}");
        // Flip one character in the claims, then in the signature.
        let mut parts: Vec<String> = t.split('.').map(str::to_string).collect();
        let mut tampered_claims = claims.clone();
        tampered_claims["sub"] = json!("admin");
        parts[1] = b64(tampered_claims.to_string());
        assert_eq!(
            reason(&["-k", &k, &parts.join(".")]),
            "bad_signature",
            "{alg:?}"
        );
        assert_eq!(
            reason(&["-k", &k, &tamper_signature(&t)]),
            "bad_signature",
            "{alg:?}"
        );
    }
}

#[test]
fn every_reason_code() {
    let k = path(SECRET);
    let ok = mint(&["-k", &k, "--sub", "u", "--iss", "i", "--aud", "a"]);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![ok.clone()], "valid"),
        (vec!["not-a-token".into()], "malformed"),
        (
            vec![token(r#"{"alg":"HS256","crit":["exp"]}"#, "{}", b"s")],
            "unsupported",
        ),
        (
            vec![token(r#"{"alg":"none"}"#, r#"{"sub":"u"}"#, b"")],
            "alg_not_allowed",
        ),
        (
            vec![
                mint(&["-k", &k, "--header", "kid=other"]),
                "--kid-note".into(),
            ],
            "no_matching_key",
        ),
        (vec![tamper_signature(&ok)], "bad_signature"),
        (vec![mint(&["-k", &k, "--exp", "-5m"])], "expired"),
        (vec![mint(&["-k", &k, "--nbf", "+1h"])], "not_yet_valid"),
        (vec![mint(&["-k", &k, "--no-exp"])], "missing_claim"),
        (
            vec![ok.clone(), "--iss".into(), "other".into()],
            "wrong_issuer",
        ),
        (
            vec![ok.clone(), "--aud".into(), "other".into()],
            "wrong_audience",
        ),
        (
            vec![ok.clone(), "--sub".into(), "other".into()],
            "wrong_subject",
        ),
        (
            vec![ok.clone(), "--typ".into(), "at+jwt".into()],
            "wrong_type",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let jwk = dir.path().join("kid.jwk");
    let secret = b64("a-very-long-shared-secret-of-40-bytes!!!");
    std::fs::write(
        &jwk,
        json!({"kty": "oct", "k": secret, "kid": "mine"}).to_string(),
    )
    .unwrap();
    for (mut args, expected) in cases {
        let key = if args.get(1).map(String::as_str) == Some("--kid-note") {
            args.truncate(1);
            jwk.display().to_string()
        } else {
            k.clone()
        };
        let mut all = vec!["-k".to_string(), key];
        all.extend(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_eq!(reason(&refs), expected, "{refs:?}");
    }
}

#[test]
fn every_failed_check_is_listed_and_the_first_by_precedence_is_the_reason() {
    let k = path(SECRET);
    let t = mint(&["-k", &k, "--exp", "-1h", "--sub", "u", "--typ", "JWT"]);
    let args = [
        "-k",
        &k,
        "--iss",
        "x",
        "--aud",
        "y",
        "--sub",
        "z",
        "--typ",
        "dpop+jwt",
        "--require",
        "scope",
        &t,
    ];
    let (code, doc) = verdict(&args);
    assert_eq!((code, doc["reason"].as_str()), (1, Some("expired")));
    let message = doc["message"].as_str().unwrap();
    for code in [
        "expired",
        "missing_claim",
        "wrong_issuer",
        "wrong_audience",
        "wrong_subject",
        "wrong_type",
    ] {
        assert!(
            message.contains(&format!("{code}:")),
            "{code} missing in {message}"
        );
    }
    let out = jwtk().arg("verify").args(told(&args)).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let verdicts: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("jwtk: invalid:"))
        .collect();
    assert_eq!(verdicts.len(), 1, "{stderr}");
    assert!(
        verdicts[0].starts_with("jwtk: invalid: expired:"),
        "{stderr}"
    );
}

#[test]
fn leeway_and_now() {
    let k = path(SECRET);
    let t = mint(&["-k", &k, "--exp", "-30s"]);
    assert_eq!(reason(&["-k", &k, &t]), "valid", "default leeway 60s");
    assert_eq!(reason(&["-k", &k, "--leeway", "0", &t]), "expired");
    assert_eq!(reason(&["-k", &k, "--leeway", "10s", &t]), "expired");
    assert_eq!(reason(&["-k", &k, "--leeway", "2m", &t]), "valid");
    assert_eq!(
        reason(&["-k", &k, "--leeway", "999999999999d", &t]),
        "valid",
        "a huge leeway does not overflow"
    );
    let t = mint(&["-k", &k, "--nbf", "+5m", "--exp", "+1h"]);
    assert_eq!(reason(&["-k", &k, &t]), "not_yet_valid");
    assert_eq!(reason(&["-k", &k, "--now", "+6m", &t]), "valid");
    assert_eq!(reason(&["-k", &k, "--now", "+2h", &t]), "expired");
    assert_eq!(reason(&["-k", &k, "--leeway", "10m", &t]), "valid");
    let forever = mint(&["-k", &k, "--no-exp"]);
    assert_eq!(reason(&["-k", &k, &forever]), "missing_claim");
    assert_eq!(reason(&["-k", &k, "--allow-no-exp", &forever]), "valid");
    jwtk()
        .args(told(&["verify", "-k", &k, "--allow-no-exp", &forever]))
        .assert()
        .success()
        .stdout(predicate::str::contains("never expires"));
    jwtk()
        .args(told(&["verify", "-k", &k, "--leeway", "soon", &t]))
        .assert()
        .code(2);
    jwtk()
        .args(told(&["verify", "-k", &k, "--now", "3600", &t]))
        .assert()
        .code(2);
}

#[test]
fn claim_rules_exact_and_typed() {
    let k = path(SECRET);
    let t = mint(&[
        "-k",
        &k,
        "--iss",
        "https://a",
        "--aud",
        "x",
        "--aud",
        "y",
        "--sub",
        "Alice",
        "--typ",
        "at+jwt",
        "--claim",
        "scope=read",
    ]);
    let base = ["-k", &k];
    let check = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend(extra);
        args.push(&t);
        reason(&args)
    };
    assert_eq!(check(&["--iss", "nope", "--iss", "https://a"]), "valid");
    assert_eq!(check(&["--iss", "https://A"]), "wrong_issuer");
    assert_eq!(check(&["--aud", "y"]), "valid");
    assert_eq!(check(&["--aud", "z", "--aud", "x"]), "valid");
    assert_eq!(check(&["--sub", "alice"]), "wrong_subject");
    assert_eq!(check(&["--typ", "application/AT+JWT"]), "valid");
    assert_eq!(check(&["--require", "scope", "--require", "iat"]), "valid");
    assert_eq!(check(&["--require", "roles"]), "missing_claim");
    // Typed: an iss array, a numeric sub, an empty aud array are mismatches.
    let t = mint(&[
        "-k",
        &k,
        "--claim",
        "iss:=[\"https://a\"]",
        "--claim",
        "sub:=5",
        "--claim",
        "aud:=[]",
    ]);
    let (_, doc) = verdict(&[
        "-k",
        &k,
        "--iss",
        "https://a",
        "--sub",
        "5",
        "--aud",
        "x",
        &t,
    ]);
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.contains("wrong_issuer")
            && message.contains("wrong_subject")
            && message.contains("wrong_audience"),
        "{message}"
    );
    // Without --aud the audience is not checked, and the output says so.
    jwtk()
        .args(told(&[
            "verify",
            "-k",
            &k,
            &mint(&["-k", &k, "--aud", "x"]),
        ]))
        .assert()
        .success()
        .stdout(predicate::str::contains("audience not checked"));
}

#[test]
fn time_claims_of_the_wrong_type_are_malformed() {
    let k = path(SECRET);
    for value in ["\"1900000000\"", "null", "true", "[1]", "{}"] {
        for claim in ["exp", "nbf", "iat"] {
            let t = mint(&["-k", &k, "--claim", &format!("{claim}:={value}")]);
            assert_eq!(reason(&["-k", &k, &t]), "malformed", "{claim}={value}");
        }
    }
    for (exp, expected) in [
        ("-1", "expired"),
        ("1.5", "expired"),
        ("1e300", "valid"),
        ("18446744073709551616", "valid"),
        (&format!("{}.5", NOW + 100), "valid"),
    ] {
        let t = mint(&["-k", &k, "--claim", &format!("exp:={exp}")]);
        assert_eq!(reason(&["-k", &k, &t]), expected, "exp={exp}");
    }
}

#[test]
fn rotation_any_key_of_a_jwks_or_repeated_keys() {
    let set = path("keys/keyset.jwks");
    for kid in ["old-hmac", "ec-2025", "ed-2026"] {
        let t = mint(&["-k", &set, "--kid", kid]);
        let (code, doc) = verdict(&["-k", &set, &t]);
        assert_eq!(code, 0, "{kid}: {doc}");
        assert_eq!(doc["kid"], kid);
    }
    // A token without kid is tried against every fitting key.
    let a = path("keys/rsa-2048-spki.pem");
    let b = path("keys/ec-p256-spki.pem");
    let t = mint(&["-k", &path("keys/ec-p256-sec1.pem")]);
    assert_eq!(reason(&["-k", &a, "-k", &b, &t]), "valid");
    let t = mint(&["-k", &path("keys/rsa-2048-pkcs1.pem")]);
    assert_eq!(reason(&["-k", &b, "-k", &a, &t]), "valid");
    jwtk()
        .args(told(&["verify", "-k", &a, "-k", &b, &t]))
        .assert()
        .success()
        .stdout(predicate::str::contains("rsa-2048-spki.pem"));
    // --kid narrows the keys; a kid the set lacks is a key error.
    let t = mint(&["-k", &set, "--kid", "ec-2025"]);
    assert_eq!(reason(&["-k", &set, "--kid", "ec-2025", &t]), "valid");
    jwtk()
        .args(told(&["verify", "-k", &set, "--kid", "gone", &t]))
        .assert()
        .code(3)
        .stdout("");
}

#[test]
fn key_confusion_fails_both_ways() {
    // An HMAC token forged with the RSA public key as its secret: alg_not_allowed, because the
    // public key allows only RSA algorithms.
    let public_pem = std::fs::read(fixture("keys/rsa-2048-spki.pem")).unwrap();
    for secret in [
        public_pem.clone(),
        public_pem.strip_suffix(b"\n").unwrap().to_vec(),
    ] {
        let forged = jsonwebtoken::encode(
            &Header::new(jsonwebtoken::Algorithm::HS256),
            &json!({"sub": "admin", "exp": NOW + 600}),
            &EncodingKey::from_secret(&secret),
        )
        .unwrap();
        let (_, doc) = verdict(&["-k", &path("keys/rsa-2048-spki.pem"), &forged]);
        assert_eq!(doc["reason"], "alg_not_allowed");
        assert!(doc["message"].as_str().unwrap().contains("key-confusion"));
        assert!(doc["claims"].is_null() && doc["header"].is_null());
    }
    // Asking for HS256 with public-key material only is a key error.
    for key in [
        "keys/rsa-2048-spki.pem",
        "keys/rsa-2048-spki.der",
        "keys/ed25519-spki.pem",
        "rfc/rfc7515-A.3-ES256/key.public.jwk.json",
    ] {
        jwtk()
            .args(told(&[
                "verify",
                "-k",
                &path(key),
                "--alg",
                "HS256",
                "x.y.z",
            ]))
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains("key-confusion"));
    }
    // And an RS256 token checked against an HMAC secret is not allowed either.
    let t = mint(&["-k", &path("keys/rsa-2048-pkcs1.pem")]);
    assert_eq!(reason(&["-k", &path(SECRET), &t]), "alg_not_allowed");
}

#[test]
fn alg_allowlist() {
    let k = path("keys/rsa-2048-pkcs1.pem");
    let rs = mint(&["-k", &k]);
    let ps = mint(&["-k", &k, "--alg", "PS256"]);
    assert_eq!(reason(&["-k", &k, "--alg", "PS256", &ps]), "valid");
    assert_eq!(
        reason(&["-k", &k, "--alg", "PS256", &rs]),
        "alg_not_allowed"
    );
    assert_eq!(
        reason(&["-k", &k, "--alg", "PS256", "--alg", "RS256", &rs]),
        "valid"
    );
    jwtk()
        .args(told(&["verify", "-k", &k, "--alg", "ES256", &rs]))
        .assert()
        .code(3);
    jwtk()
        .args(told(&["verify", "-k", &k, "--alg", "none", &rs]))
        .assert()
        .code(2);
    // A JWK's own alg, use and key_ops are honoured.
    let dir = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_slice(
        &std::fs::read(fixture("rfc/rfc7515-A.2-RS256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    let t = mint(&["-k", &rfc_key("rfc7515-A.2-RS256", "key.jwk.json")]);
    let write = |name: &str, extra: Value| {
        let mut jwk = base.clone();
        jwk.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let p = dir.path().join(name);
        std::fs::write(&p, jwk.to_string()).unwrap();
        p.display().to_string()
    };
    assert_eq!(
        reason(&[
            "-k",
            &write("rs.jwk", json!({"alg": "RS256", "use": "sig"})),
            &t
        ]),
        "valid"
    );
    assert_eq!(
        reason(&[
            "-k",
            &write("ps.jwk", json!({"alg": "PS256"})),
            "-k",
            &path(SECRET),
            &t
        ]),
        "alg_not_allowed"
    );
    // Keys for encryption serve no signature algorithm: the token is not allowed.
    let (_, doc) = verdict(&["-k", &write("enc.jwk", json!({"use": "enc"})), &t]);
    assert_eq!(doc["reason"], "alg_not_allowed");
    assert!(
        doc["message"].as_str().unwrap().contains("\"enc\""),
        "{doc}"
    );
    let (_, doc) = verdict(&["-k", &write("ops.jwk", json!({"key_ops": ["encrypt"]})), &t]);
    assert_eq!(doc["reason"], "alg_not_allowed");
    assert!(doc["message"].as_str().unwrap().contains("verify"), "{doc}");
    assert_eq!(
        reason(&["-k", &write("ok.jwk", json!({"key_ops": ["verify"]})), &t]),
        "valid"
    );
}

#[test]
fn output_contract() {
    let k = path(SECRET);
    let t = mint(&["-k", &k, "--sub", "u"]);
    // Human: one line on stdout naming alg, key and expiry.
    let out = jwtk()
        .args(told(&["verify", "-k", &k, &t]))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("HS256")
            && stdout.contains("secret-newline.txt")
            && stdout.contains("expires in 15m"),
        "{stdout}"
    );
    // Quiet: nothing at all.
    jwtk()
        .args(told(&["verify", "-q", "-k", &k, &t]))
        .assert()
        .success()
        .stdout("")
        .stderr("");
    jwtk()
        .args(told(&["verify", "--quiet", "-k", &k, "bad"]))
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    // JSON: the schema, on stdout, exit 0 or 1.
    let (code, doc) = verdict(&["-k", &k, &t]);
    assert_eq!(code, 0);
    let names: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "valid", "reason", "message", "alg", "kid", "key", "header", "claims", "bound"
        ]
    );
    assert_eq!(
        (doc["reason"].clone(), doc["alg"].clone()),
        (Value::Null, json!("HS256"))
    );
    let (code, doc) = verdict(&["-k", &k, &tamper_signature(&t)]);
    assert_eq!(
        (
            code,
            doc["valid"].clone(),
            doc["header"].clone(),
            doc["claims"].clone()
        ),
        (1, json!(false), Value::Null, Value::Null)
    );
    // Exit 3: nothing on stdout, even with --json.
    jwtk()
        .args(told(&["verify", "--json", "-k", "/nonexistent", &t]))
        .assert()
        .code(3)
        .stdout("");
    // stdin, Bearer lines.
    jwtk()
        .args(told(&["verify", "-k", &k]))
        .write_stdin(format!("Authorization: Bearer {t}\n"))
        .assert()
        .success();
}

#[test]
fn header_keys_are_ignored_and_the_configured_key_judges() {
    // A token carrying its own jwk/jku/x5u/x5c in the header verifies with the configured key
    // only; nothing is fetched (the URLs point at a closed port).
    let k = path(SECRET);
    let t = mint(&[
        "-k",
        &k,
        "--header",
        "jku=http://127.0.0.1:9/keys",
        "--header",
        "x5u=http://127.0.0.1:9/cert",
        "--header",
        "jwk:={\"kty\":\"oct\",\"k\":\"AAAA\"}",
        "--header",
        "x5c:=[\"MIIB\"]",
    ]);
    assert_eq!(reason(&["-k", &k, &t]), "valid");
    let attacker = token(
        r#"{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}"#,
        &json!({"exp": NOW + 60}).to_string(),
        &[0; 32],
    );
    assert_eq!(reason(&["-k", &k, &attacker]), "bad_signature");
}

/// A short-secret warning names the token's algorithm: a 48-byte secret is enough for HS256
/// and HS384, not HS512 — the warning for an HS256 token must not speak of HS512.
#[test]
fn secret_length_warnings_name_the_tokens_algorithm() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("s48.b64");
    // 48 bytes, base64 (as `openssl rand -base64 48` prints them).
    std::fs::write(&secret, format!("{}\n", "QUJD".repeat(16))).unwrap();
    let key = secret.display().to_string();
    let mint = |alg: &str| {
        let out = jwtk()
            .args([
                "mint",
                "-k",
                &key,
                "--secret-encoding",
                "base64",
                "--alg",
                alg,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    for (alg, warned) in [("HS256", false), ("HS384", false), ("HS512", true)] {
        let token = mint(alg);
        let out = jwtk()
            .args(["verify", "-k", &key, "--secret-encoding", "base64", &token])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.contains("warning: the HS512 secret"),
            warned,
            "{alg}: {stderr}"
        );
        assert!(
            !stderr.contains("HS384 secret") && !stderr.contains("HS256 secret"),
            "{stderr}"
        );
    }
    // A secret short for every algorithm is warned about under the token's own (HS256 here).
    let short = dir.path().join("short.txt");
    std::fs::write(&short, "0123456789").unwrap();
    let short = short.display().to_string();
    let token = {
        let out = jwtk().args(["mint", "-k", &short]).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let out = jwtk()
        .args(["verify", "-k", &short, "--secret-encoding", "utf8", &token])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the HS256 secret from") && stderr.contains("is 10 bytes"),
        "{stderr}"
    );
    assert!(!stderr.contains("HS512"), "{stderr}");
}

/// No key at all: verify's hint names the remote sources first (an issuer's keys are what a
/// new user most likely wants), mint's does not.
#[test]
fn the_no_key_hint_names_issuer_and_jwks_for_verify() {
    let out = jwtk()
        .args(["verify", &vector("rfc7515-A.2-RS256")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = super::stderr_after_pin(&out);
    assert!(
        stderr.starts_with("jwtk: error: no key given\nhint: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("--issuer URL")
            && stderr.contains("--jwks URL")
            && stderr.contains("--key FILE"),
        "{stderr}"
    );
    let out = jwtk().args(["mint"]).output().unwrap();
    let stderr = super::stderr_after_pin(&out);
    assert!(
        stderr.contains("hint: give --key FILE") && !stderr.contains("--jwks"),
        "{stderr}"
    );
}

/// An `iat` in the future beyond the leeway is no reason to reject (RFC 7519 §4.1.6) but is
/// worth a note: the issuer's clock runs ahead. Within the leeway, nothing is said.
#[test]
fn an_iat_in_the_future_beyond_the_leeway_is_noted() {
    let key = path("keys/secret-newline.txt");
    let at = |iat: &str| {
        let out = jwtk()
            .args(["mint", "-k", &key, "--iat", iat, "--exp", "+2h"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let out = jwtk()
        .args(["verify", "-k", &key, "--alg", "HS256", &at("+1h")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = super::stderr_after_pin(&out);
    assert!(
        stderr.contains("note: iat is in 1h (") && stderr.contains("beyond the 1m leeway"),
        "{stderr}"
    );
    for (iat, leeway) in [("+30s", "60s"), ("+1h", "2h")] {
        let out = jwtk()
            .args([
                "verify",
                "-k",
                &key,
                "--alg",
                "HS256",
                "--leeway",
                leeway,
                &at(iat),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(
            !super::stderr_after_pin(&out).contains("iat"),
            "{iat} {leeway}: {out:?}"
        );
    }
}
