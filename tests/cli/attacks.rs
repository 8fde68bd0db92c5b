//! Hostile tokens: every known attack on JWT verification, each refused with the right exit
//! code and reason (or, for the last ones, accepted without anything being fetched).

use std::net::TcpListener;

use jwtk::keys::{self, Reading, Source};
use predicates::prelude::*;
use serde_json::{Value, json};

use super::{NOW, b64, fixture, json_stdout, jwtk, secret_flags};

const EC_PRIVATE: &str = "keys/ec-p256-sec1.pem";
const EC_PUBLIC: &str = "keys/ec-p256-spki.pem";
const RSA_PRIVATE: &str = "keys/rsa-2048-pkcs1.pem";
const RSA_PUBLIC: &str = "keys/rsa-2048-spki.pem";
const SECRET: &str = "keys/secret-newline.txt";

/// The order of the P-256 group.
const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

fn claims() -> String {
    json!({"sub": "u", "exp": NOW + 600}).to_string()
}

/// Sign `header.payload` (given as JSON text) with a fixture key, for algorithm `alg`.
fn signed(key: &str, alg: &str, header: &str, payload: &str) -> (String, Vec<u8>) {
    let loaded = keys::load(&Source::File(fixture(key)), &Reading::with_raw_secrets()).unwrap();
    let signer = loaded.keys[0].signer(alg.parse().unwrap()).unwrap();
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = signer.sign(input.as_bytes()).unwrap();
    (input, signature)
}

fn token_with(input: &str, signature: &[u8]) -> String {
    format!("{input}.{}", b64(signature))
}

fn verdict(key: &str, token: &str, extra: &[&str]) -> (i32, Value) {
    // Through stdin: some hostile tokens hold bytes (NUL) that argv cannot carry.
    let out = jwtk()
        .args(["verify", "--json", "-k", key])
        .args(secret_flags(key))
        .args(extra)
        .write_stdin(token)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, json_stdout(&out))
}

/// Exit 1, `valid: false`, this reason, and (when given) words in the message.
fn rejected(key: &str, token: &str, reason: &str, words: &str) {
    let (code, doc) = verdict(key, token, &[]);
    assert_eq!((code, &doc["valid"]), (1, &json!(false)), "{doc}");
    assert_eq!(doc["reason"], reason, "{doc}");
    assert!(
        doc["message"].as_str().unwrap().contains(words),
        "want {words:?}: {doc}"
    );
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// DER `SEQUENCE { INTEGER r, INTEGER s }` from fixed-width `r‖s`.
fn der(raw: &[u8]) -> Vec<u8> {
    let int = |bytes: &[u8]| {
        let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        let mut value = if trimmed.first().is_some_and(|b| b & 0x80 != 0) || trimmed.is_empty() {
            vec![0]
        } else {
            vec![]
        };
        value.extend(trimmed);
        [vec![0x02, value.len() as u8], value].concat()
    };
    let (r, s) = raw.split_at(raw.len() / 2);
    let body = [int(r), int(s)].concat();
    [vec![0x30, body.len() as u8], body].concat()
}

/// `a - b` for equal-length big-endian numbers, a > b.
fn sub(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = a[i] as i16 - b[i] as i16 - borrow;
        borrow = (d < 0) as i16;
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

#[test]
fn alg_none_in_any_spelling_with_or_without_signature() {
    for alg in ["none", "None", "NONE", "nOnE"] {
        for signature in [&b""[..], b"sig", &[0u8; 32]] {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            let t = format!("{}.{}.{}", b64(&header), b64(claims()), b64(signature));
            rejected(&path(SECRET), &t, "alg_not_allowed", "never accepted");
        }
    }
}

#[test]
fn a_missing_null_or_unknown_alg() {
    let cases = [
        (r#"{"typ":"JWT"}"#, "malformed", "no alg"),
        (r#"{"alg":null}"#, "malformed", "null"),
        (r#"{"alg":256}"#, "malformed", "number"),
        (r#"{"alg":"HS257"}"#, "unsupported", "unknown algorithm"),
        (r#"{"alg":"ES256K"}"#, "unsupported", "unknown algorithm"),
    ];
    for (header, reason, words) in cases {
        let t = format!("{}.{}.{}", b64(header), b64(claims()), b64([1u8; 32]));
        rejected(&path(SECRET), &t, reason, words);
    }
}

#[test]
fn a_header_alg_naming_another_algorithm_than_the_signature() {
    let (input, sig) = signed(RSA_PRIVATE, "RS256", r#"{"alg":"RS256"}"#, &claims());
    let relabeled = format!(
        "{}.{}",
        b64(r#"{"alg":"PS256"}"#),
        input.split_once('.').unwrap().1
    );
    rejected(
        &path(RSA_PUBLIC),
        &token_with(&relabeled, &sig),
        "bad_signature",
        "PS256",
    );
    let (input, sig) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, &claims());
    let relabeled = format!(
        "{}.{}",
        b64(r#"{"alg":"HS512"}"#),
        input.split_once('.').unwrap().1
    );
    rejected(
        &path(SECRET),
        &token_with(&relabeled, &sig),
        "bad_signature",
        "HS512",
    );
}

#[test]
fn an_hmac_token_whose_secret_is_the_verifiers_public_key() {
    let pem = std::fs::read(fixture(RSA_PUBLIC)).unwrap();
    let der = std::fs::read(fixture("keys/rsa-2048-spki.der")).unwrap();
    let jwk = std::fs::read(fixture("rfc/rfc7515-A.2-RS256/key.public.jwk.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let jwk_path = dir.path().join("public.jwk");
    std::fs::write(&jwk_path, &jwk).unwrap();
    let variants: [(&[u8], String); 4] = [
        (&pem, path(RSA_PUBLIC)),
        (pem.strip_suffix(b"\n").unwrap(), path(RSA_PUBLIC)),
        (&der, path("keys/rsa-2048-spki.der")),
        (&jwk, jwk_path.display().to_string()),
    ];
    for (secret, key) in variants {
        use aws_lc_rs::hmac;
        let input = format!(
            "{}.{}",
            b64(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64(json!({"sub":"admin","exp":NOW + 600}).to_string())
        );
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
        rejected(
            &key,
            &token_with(&input, tag.as_ref()),
            "alg_not_allowed",
            "key-confusion",
        );
    }
}

#[test]
fn a_jwk_whose_alg_differs_from_the_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let mut jwk: Value = serde_json::from_slice(
        &std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    jwk["alg"] = json!("ES384");
    let key = dir.path().join("k.jwk");
    std::fs::write(&key, jwk.to_string()).unwrap();
    let (input, sig) = signed(
        "rfc/rfc7515-A.3-ES256/key.jwk.json",
        "ES256",
        r#"{"alg":"ES256"}"#,
        &claims(),
    );
    rejected(
        key.to_str().unwrap(),
        &token_with(&input, &sig),
        "alg_not_allowed",
        "ES256",
    );
}

#[test]
fn a_key_whose_use_or_key_ops_says_encryption() {
    let dir = tempfile::tempdir().unwrap();
    let base: Value = serde_json::from_slice(
        &std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    let (input, sig) = signed(
        "rfc/rfc7515-A.3-ES256/key.jwk.json",
        "ES256",
        r#"{"alg":"ES256"}"#,
        &claims(),
    );
    for (name, extra) in [
        ("use", json!({"use": "enc"})),
        ("ops", json!({"key_ops": ["encrypt", "wrapKey"]})),
    ] {
        let mut jwk = base.clone();
        jwk.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let key = dir.path().join(name);
        std::fs::write(&key, jwk.to_string()).unwrap();
        rejected(
            key.to_str().unwrap(),
            &token_with(&input, &sig),
            "alg_not_allowed",
            "may verify",
        );
    }
}

/// An ES256 token with this signature over `input` is a `bad_signature`.
fn bad_es256(input: &str, signature: &[u8]) {
    rejected(
        &path(EC_PUBLIC),
        &token_with(input, signature),
        "bad_signature",
        "",
    );
}

fn es256() -> (String, Vec<u8>) {
    signed(EC_PRIVATE, "ES256", r#"{"alg":"ES256"}"#, &claims())
}

#[test]
fn ecdsa_r_and_s_zero_cve_2022_21449_raw_and_der() {
    let (input, _) = es256();
    bad_es256(&input, &[0u8; 64]);
    bad_es256(&input, &der(&[0u8; 64]));
}

#[test]
fn ecdsa_r_or_s_equal_to_the_group_order() {
    let (input, sig) = es256();
    let n = hex(P256_N);
    let (r, s) = sig.split_at(32);
    for forged in [
        [&n[..], s].concat(),
        [r, &n[..]].concat(),
        [&n[..], &n[..]].concat(),
    ] {
        bad_es256(&input, &forged);
    }
}

#[test]
fn ecdsa_der_instead_of_raw_r_s() {
    let (input, sig) = es256();
    assert_eq!(
        verdict(&path(EC_PUBLIC), &token_with(&input, &sig), &[]).0,
        0,
        "the raw form verifies"
    );
    bad_es256(&input, &der(&sig));
}

#[test]
fn es256_signatures_of_63_65_and_66_bytes() {
    let (input, sig) = es256();
    let cases = [
        sig[..63].to_vec(),
        [&sig[..], &[0]].concat(),
        [&sig[..], &[0, 0]].concat(),
        [&[0], &sig[..]].concat(),
    ];
    for forged in cases {
        bad_es256(&input, &forged);
    }
}

#[test]
fn ecdsa_high_s_signatures_are_valid_in_jose() {
    let (input, sig) = es256();
    let (r, s) = sig.split_at(32);
    let high = [r, &sub(&hex(P256_N), s)].concat();
    assert_ne!(high, sig);
    assert_eq!(
        verdict(&path(EC_PUBLIC), &token_with(&input, &high), &[]).0,
        0
    );
}

#[test]
fn a_stripped_signature() {
    let (input, _) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, &claims());
    rejected(&path(SECRET), &format!("{input}."), "bad_signature", "");
    let (input, _) = es256();
    rejected(&path(EC_PUBLIC), &format!("{input}."), "bad_signature", "");
}

#[test]
fn two_four_or_five_segments_and_json_serialization() {
    let (input, sig) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, &claims());
    let t = token_with(&input, &sig);
    for bad in [
        input.clone(),
        format!("{t}.e30"),
        json!({"payload": "e30", "protected": "e30", "signature": "AA"}).to_string(),
    ] {
        rejected(&path(SECRET), &bad, "malformed", "");
    }
    // Five segments make a JWE: without --decrypt-key it is unsupported (CLI contract).
    rejected(&path(SECRET), &format!("{t}.e30.e30"), "unsupported", "JWE");
}

#[test]
fn small_order_ed25519_public_keys_are_key_errors() {
    let dir = tempfile::tempdir().unwrap();
    let encodings = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];
    // R = identity, S = 0: the forgery a small-order key accepts for every message.
    let forged = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"EdDSA"}"#),
        b64(claims()),
        b64([hex(encodings[1]), vec![0; 32]].concat())
    );
    for (i, x) in encodings.iter().enumerate() {
        let key = dir.path().join(format!("weak{i}.jwk"));
        std::fs::write(
            &key,
            json!({"kty": "OKP", "crv": "Ed25519", "x": b64(hex(x))}).to_string(),
        )
        .unwrap();
        jwtk()
            .args(["verify", "-k", key.to_str().unwrap(), &forged])
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains("small-order"));
        // The same point as an SPKI PEM.
        let spki = [hex("302a300506032b6570032100"), hex(x)].concat();
        let pem_path = dir.path().join(format!("weak{i}.pem"));
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, spki)
        );
        std::fs::write(&pem_path, pem).unwrap();
        jwtk()
            .args(["verify", "-k", pem_path.to_str().unwrap(), &forged])
            .assert()
            .code(3);
    }
}

#[test]
fn a_jwk_whose_coordinates_have_the_wrong_length() {
    let dir = tempfile::tempdir().unwrap();
    let ec: Value = serde_json::from_slice(
        &std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    let ed: Value = serde_json::from_slice(
        &std::fs::read(fixture("rfc/rfc8037-A.4-EdDSA/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    let cases = [
        ("ec-x31", {
            let mut k = ec.clone();
            k["x"] = json!(b64([1u8; 31]));
            k
        }),
        ("ec-y33", {
            let mut k = ec.clone();
            k["y"] = json!(b64([1u8; 33]));
            k
        }),
        ("ed-x31", {
            let mut k = ed.clone();
            k["x"] = json!(b64([9u8; 31]));
            k
        }),
        ("ed-x33", {
            let mut k = ed.clone();
            k["x"] = json!(b64([9u8; 33]));
            k
        }),
    ];
    for (name, jwk) in cases {
        let key = dir.path().join(name);
        std::fs::write(&key, jwk.to_string()).unwrap();
        jwtk()
            .args(["verify", "-k", key.to_str().unwrap(), "a.b.c"])
            .assert()
            .code(3)
            .stdout("");
    }
}

#[test]
fn an_empty_hmac_key() {
    let dir = tempfile::tempdir().unwrap();
    let empty_file = dir.path().join("empty");
    std::fs::write(&empty_file, "").unwrap();
    let empty_jwk = dir.path().join("empty.jwk");
    std::fs::write(&empty_jwk, r#"{"kty":"oct","k":""}"#).unwrap();
    let t = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256"}"#),
        b64(claims()),
        b64([0u8; 32])
    );
    for key in [&empty_file, &empty_jwk] {
        jwtk()
            .args(["verify", "-k", key.to_str().unwrap(), &t])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("empty"));
    }
    jwtk()
        .env("K", "")
        .args(["verify", "--key-env", "K", &t])
        .assert()
        .code(3);
}

/// A correctly signed token with this header: the refusal is the header's, not the signature's.
fn with_header(header: &str) -> String {
    let (input, sig) = signed(SECRET, "HS256", header, &claims());
    token_with(&input, &sig)
}

#[test]
fn crit_unknown_empty_or_naming_registered_parameters() {
    for header in [
        r#"{"alg":"HS256","crit":["exp"],"exp":1}"#,
        r#"{"alg":"HS256","crit":[]}"#,
        r#"{"alg":"HS256","crit":["alg"]}"#,
        r#"{"alg":"HS256","crit":["x-custom"],"x-custom":1}"#,
        r#"{"alg":"HS256","crit":"b64"}"#,
    ] {
        rejected(&path(SECRET), &with_header(header), "unsupported", "crit");
    }
}

#[test]
fn b64_false() {
    rejected(
        &path(SECRET),
        &with_header(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
        "unsupported",
        "b64",
    );
    rejected(
        &path(SECRET),
        &with_header(r#"{"alg":"HS256","b64":false}"#),
        "unsupported",
        "b64",
    );
}

#[test]
fn zip_on_a_jws() {
    rejected(
        &path(SECRET),
        &with_header(r#"{"alg":"HS256","zip":"DEF"}"#),
        "unsupported",
        "zip",
    );
}

#[test]
fn a_nested_jwt_is_never_unwrapped() {
    let inner = with_header(r#"{"alg":"HS256"}"#);
    let (input, sig) = signed(
        SECRET,
        "HS256",
        r#"{"alg":"HS256","cty":"JWT"}"#,
        &format!("\"{inner}\""),
    );
    rejected(
        &path(SECRET),
        &token_with(&input, &sig),
        "unsupported",
        "nested",
    );
}

#[test]
fn typ_is_checked_when_asked() {
    let t = with_header(r#"{"alg":"HS256","typ":"JWT"}"#);
    let (_, doc) = verdict(&path(SECRET), &t, &["--typ", "at+jwt"]);
    assert_eq!(doc["reason"], "wrong_type");
    assert_eq!(verdict(&path(SECRET), &t, &["--typ", "jwt"]).0, 0);
}

#[test]
fn encoding_faults_are_malformed() {
    let t = with_header(r#"{"alg":"HS256"}"#);
    let (h, rest) = t.split_once('.').unwrap();
    let (c, s) = rest.split_once('.').unwrap();
    let cases = [
        format!("{h}=.{c}.{s}"),
        format!("{h}.{c}.{}", s.replace('-', "+").replace('_', "/") + "+"),
        format!("{h}.{c} .{s}"),
        format!("{h}.{c}.{s}\u{0}"),
        format!("{h}.{c}.{s}!"),
        format!("{h}.{c}.{}B", &s[..s.len() - 1]),
    ];
    for bad in &cases {
        rejected(&path(SECRET), bad, "malformed", "");
    }
    // Validly signed, but not valid JOSE JSON: the signature verifies, the content does not.
    let signed_bad = [
        ("\u{feff}{\"alg\":\"HS256\"}", claims(), "byte order mark"),
        (r#"{"alg":"HS256","alg":"HS256"}"#, claims(), "duplicate"),
        (
            r#"{"alg":"HS256"}"#,
            r#"{"sub":"a","sub":"admin","exp":9999999999}"#.to_string(),
            "duplicate",
        ),
        (
            r#"{"alg":"HS256"}"#,
            "[1,2]".to_string(),
            "not a JSON object",
        ),
        (
            r#"{"alg":"HS256"}"#,
            "just text".to_string(),
            "not a JSON object",
        ),
    ];
    for (header, payload, words) in signed_bad {
        let (input, sig) = signed(SECRET, "HS256", header, &payload);
        rejected(&path(SECRET), &token_with(&input, &sig), "malformed", words);
    }
    // Invalid UTF-8 in the claims.
    let input = format!(
        "{}.{}",
        b64(r#"{"alg":"HS256"}"#),
        b64(b"{\"sub\":\"\xff\"}")
    );
    let loaded = keys::load(&Source::File(fixture(SECRET)), &Reading::with_raw_secrets()).unwrap();
    let sig = loaded.keys[0]
        .signer("HS256".parse().unwrap())
        .unwrap()
        .sign(input.as_bytes())
        .unwrap();
    rejected(&path(SECRET), &token_with(&input, &sig), "malformed", "");
}

#[test]
fn header_keys_and_urls_are_never_fetched() {
    // A listener that counts connections: the token points jku and x5u at it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/keys", listener.local_addr().unwrap());
    let header = json!({"alg": "HS256", "jku": url, "x5u": url, "jwk": {"kty": "oct", "k": "AAAA"}, "x5c": ["MIIBIjAN"]}).to_string();
    let t = with_header(&header);
    assert_eq!(
        verdict(&path(SECRET), &t, &[]).0,
        0,
        "the configured key alone judges, and accepts"
    );
    // And a token signed with the key it carries is not accepted because of it.
    let (input, _) = signed(SECRET, "HS256", &header, &claims());
    use aws_lc_rs::hmac;
    let tag = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, &[0, 0, 0]),
        input.as_bytes(),
    );
    rejected(
        &path(SECRET),
        &token_with(&input, tag.as_ref()),
        "bad_signature",
        "",
    );
    let mut connections = 0;
    while listener.accept().is_ok() {
        connections += 1;
    }
    assert_eq!(connections, 0, "jwtk connected to a URL named by the token");
}

#[test]
fn attacker_bytes_in_messages_are_escaped() {
    let header = "{\"alg\":\"HS256\\u001b[31m\\u0007\\u009b\"}";
    let t = format!("{}.{}.{}", b64(header), b64(claims()), b64([0u8; 32]));
    let out = jwtk()
        .args(["verify", "-k", &path(SECRET), "--alg", "HS256", &t])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("unsupported") && stderr.contains("\\u{1b}"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}') && !stderr.contains('\u{9b}'),
        "{stderr:?}"
    );
    let json = jwtk()
        .args([
            "verify",
            "--json",
            "-k",
            &path(SECRET),
            "--alg",
            "HS256",
            &t,
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(json.stdout.clone()).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}'),
        "{text:?}"
    );
    assert_eq!(
        json_stdout(&json)["alg"],
        "HS256\u{1b}[31m\u{7}\u{9b}",
        "the JSON value itself is intact"
    );
}

#[test]
fn time_claims_that_are_not_finite_or_not_numbers() {
    for payload in [
        r#"{"exp":1e400}"#,
        r#"{"exp":-1e400}"#,
        r#"{"exp":9999999999,"nbf":1e999}"#,
    ] {
        let (input, sig) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, payload);
        rejected(&path(SECRET), &token_with(&input, &sig), "malformed", "");
    }
    for (payload, reason) in [
        (r#"{"exp":"9999999999"}"#, "malformed"),
        (r#"{"exp":null}"#, "malformed"),
        (r#"{"exp":true}"#, "malformed"),
        (r#"{"exp":-1}"#, "expired"),
        (r#"{"exp":1e300}"#, "valid"),
        (r#"{"exp":184467440737095516160}"#, "valid"),
    ] {
        let (input, sig) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, payload);
        let (_, doc) = verdict(&path(SECRET), &token_with(&input, &sig), &[]);
        assert_eq!(
            doc["reason"].as_str().unwrap_or("valid"),
            reason,
            "{payload}"
        );
    }
    let (input, sig) = signed(SECRET, "HS256", r#"{"alg":"HS256"}"#, r#"{"exp":0}"#);
    assert_eq!(
        verdict(
            &path(SECRET),
            &token_with(&input, &sig),
            &["--leeway", "9223372036854775807"]
        )
        .0,
        0,
        "a huge leeway does not overflow"
    );
}
