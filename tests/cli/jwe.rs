//! Encrypted tokens: `decrypt`, the JWE view of `decode`, and `verify --decrypt-key`, against
//! RFC 7516 Appendix A, the RFC 7520 §5 cookbook and tokens made by jwcrypto.

use std::io::Write;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use serde_json::{Value, json};

use crate::{b64, fixture, json_stdout, jwtk, run_ok};

const DECRYPTION_FAILED: &str = "decryption_failed: the token cannot be decrypted with the keys given (a wrong key, or the token was altered)";

fn path(rel: &str) -> String {
    fixture(rel).to_str().unwrap().to_string()
}

fn decrypt(key: &str, token: &str, extra: &[&str]) -> std::process::Output {
    jwtk()
        .arg("decrypt")
        .args(["-k", key])
        .args(extra)
        .arg(token)
        .output()
        .unwrap()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap()
}

fn jwcrypto_tokens() -> Vec<Value> {
    let doc: Value = serde_json::from_str(&read("jwe/jwcrypto/tokens.json")).unwrap();
    doc["tokens"].as_array().unwrap().clone()
}

fn jwcrypto(alg: &str, enc: &str) -> Value {
    jwcrypto_tokens()
        .into_iter()
        .find(|t| t["alg"] == alg && t["enc"] == enc && t.get("zip").is_none())
        .unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, body: impl AsRef<[u8]>) -> String {
    let file = dir.path().join(name);
    std::fs::write(&file, body).unwrap();
    file.to_str().unwrap().to_string()
}

/// A `dir` + A256GCM token made here with aws-lc-rs, for shapes no peer makes (bombs,
/// binary plaintext, non-JWS nested content).
fn dir_a256gcm(key: &[u8; 32], header: Value, plaintext: &[u8]) -> String {
    let h = b64(header.to_string());
    let iv = [7u8; 12];
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key).unwrap());
    let mut data = plaintext.to_vec();
    let tag = sealing
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(iv),
            Aad::from(h.as_bytes()),
            &mut data,
        )
        .unwrap();
    format!("{h}..{}.{}.{}", b64(iv), b64(&data), b64(tag.as_ref()))
}

fn oct_jwk(dir: &tempfile::TempDir, key: &[u8]) -> String {
    write(
        dir,
        "oct.jwk",
        json!({"kty": "oct", "k": b64(key)}).to_string(),
    )
}

#[test]
fn rfc7516_appendix_a_decrypts_byte_for_byte_and_refuses_rsa1_5() {
    for name in ["a1", "a3"] {
        let out = decrypt(
            &path(&format!("jwe/rfc7516/{name}.jwk")),
            read(&format!("jwe/rfc7516/{name}.jwe")).trim(),
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        assert_eq!(
            out.stdout,
            read(&format!("jwe/rfc7516/{name}.plaintext")).as_bytes()
        );
    }
    let out = decrypt(
        &path("jwe/rfc7516/a2.jwk"),
        read("jwe/rfc7516/a2.jwe").trim(),
        &["--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json_stdout(&out);
    assert_eq!(
        (doc["decrypted"].clone(), doc["reason"].clone()),
        (json!(false), json!("unsupported"))
    );
    assert!(doc["message"].as_str().unwrap().contains("RSA1_5"));
}

#[test]
fn rfc7520_cookbook_decrypts_and_refuses_rsa1_5_and_pbes2() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("jwe/rfc7520")).unwrap() {
        let file = entry.unwrap().path();
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let alg = case["input"]["alg"].as_str().unwrap();
        let mut key = case["input"]
            .get("key")
            .cloned()
            .unwrap_or_else(|| json!({"kty": "oct", "k": b64([1u8; 16])}));
        // A key whose JWK alg is RSA1_5 serves nothing: drop it to reach the token's refusal.
        key.as_object_mut()
            .unwrap()
            .remove("alg")
            .filter(|_| alg == "RSA1_5");
        let key = write(&dir, "key.jwk", key.to_string());
        let token = case["output"]["compact"].as_str().unwrap();
        let out = decrypt(&key, token, &["--json"]);
        let doc = json_stdout(&out);
        if alg == "RSA1_5" || alg.starts_with("PBES2") {
            assert_eq!(out.status.code(), Some(1), "{name}");
            assert_eq!(doc["reason"], "unsupported", "{name}");
        } else {
            assert_eq!(out.status.code(), Some(0), "{name}: {doc}");
            assert_eq!(doc["plaintext"], case["input"]["plaintext"], "{name}");
            assert_eq!(doc["nested"], false);
        }
    }
}

#[test]
fn every_jwcrypto_token_decrypts_with_jwk_and_pem_keys() {
    let tokens = jwcrypto_tokens();
    assert_eq!(tokens.len(), 152);
    for t in tokens {
        let key = t["key"].as_str().unwrap();
        let formats: &[&str] = if key.starts_with("oct") {
            &["jwk"]
        } else {
            &["jwk", "pem"]
        };
        for format in formats {
            let out = decrypt(
                &path(&format!("jwe/jwcrypto/{key}.{format}")),
                t["token"].as_str().unwrap(),
                &[],
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{} {} {format}: {out:?}",
                t["alg"],
                t["enc"]
            );
            assert_eq!(out.stdout, t["plaintext"].as_str().unwrap().as_bytes());
        }
    }
}

/// Flip one bit in the decoded part `index` (1 encrypted key … 4 tag) of a compact JWE.
fn tamper(token: &str, index: usize) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    if index == 0 {
        // The header stays valid JSON: one more member changes the authenticated data.
        let mut header: Value = serde_json::from_slice(&engine.decode(&parts[0]).unwrap()).unwrap();
        header["x"] = json!(1);
        parts[0] = b64(header.to_string());
    } else {
        let mut bytes = engine.decode(&parts[index]).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        parts[index] = b64(bytes);
    }
    parts.join(".")
}

#[test]
fn tampering_with_any_part_gives_one_reason_and_one_message() {
    let cases = [
        ("RSA-OAEP-256", "A256GCM", "rsa.pem"),
        ("RSA-OAEP", "A128CBC-HS256", "rsa.jwk"),
        ("ECDH-ES+A256KW", "A192GCM", "p384.pem"),
        ("ECDH-ES", "A256CBC-HS512", "x25519.pem"),
        ("A192KW", "A192CBC-HS384", "oct24.jwk"),
        ("A128GCMKW", "A128GCM", "oct16.jwk"),
        ("dir", "A256CBC-HS512", "oct64.jwk"),
    ];
    for (alg, enc, key) in cases {
        let t = jwcrypto(alg, enc);
        let token = t["token"].as_str().unwrap();
        let key = path(&format!("jwe/jwcrypto/{key}"));
        let parts: Vec<usize> = if alg == "dir" || alg == "ECDH-ES" {
            vec![0, 2, 3, 4]
        } else {
            vec![0, 1, 2, 3, 4]
        };
        for index in parts {
            let bad = tamper(token, index);
            let out = decrypt(&key, &bad, &[]);
            assert_eq!(out.status.code(), Some(1), "{alg} part {index}");
            // A fixture key checked out with mode 0644 is warned about; the rest is one message.
            let stderr = String::from_utf8_lossy(&out.stderr);
            let stderr: Vec<&str> = stderr
                .lines()
                .filter(|l| !l.contains("others can read it"))
                .collect();
            assert_eq!(
                stderr,
                [
                    crate::PIN_NOTE.trim_end().to_string(),
                    format!("jwtk: invalid: {DECRYPTION_FAILED}")
                ],
                "{alg} part {index}"
            );
            assert!(out.stdout.is_empty());
            let doc = json_stdout(&decrypt(&key, &bad, &["--json"]));
            assert_eq!(doc["reason"], "decryption_failed");
        }
    }
    // Another recipient's key: the same message.
    let t = jwcrypto("A256KW", "A256GCM");
    let dir = tempfile::tempdir().unwrap();
    let out = decrypt(
        &oct_jwk(&dir, &[9u8; 32]),
        t["token"].as_str().unwrap(),
        &[],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(DECRYPTION_FAILED));
}

#[test]
fn an_epk_off_the_curve_or_on_another_curve_fails_like_any_other_decryption() {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let t = jwcrypto("ECDH-ES+A128KW", "A128GCM");
    let token = t["token"].as_str().unwrap();
    let (head, rest) = token.split_once('.').unwrap();
    let header: Value = serde_json::from_slice(&engine.decode(head).unwrap()).unwrap();
    let mut off = header.clone();
    let mut y = engine.decode(header["epk"]["y"].as_str().unwrap()).unwrap();
    y[31] ^= 1;
    off["epk"]["y"] = json!(b64(y));
    let mut small = header.clone();
    small["epk"]["x"] = json!(b64([0u8; 32]));
    small["epk"]["y"] = json!(b64([0u8; 32]));
    let mut missing = header.clone();
    missing.as_object_mut().unwrap().remove("epk");
    for bad in [off, small, missing] {
        let out = decrypt(
            &path("jwe/jwcrypto/p256.pem"),
            &format!("{}.{rest}", b64(bad.to_string())),
            &[],
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(DECRYPTION_FAILED),
            "{out:?}"
        );
    }
}

#[test]
fn aes_key_wrap_and_dir_keys_must_have_the_exact_length() {
    let dir = tempfile::tempdir().unwrap();
    let t = jwcrypto("A128KW", "A128GCM");
    let token = t["token"].as_str().unwrap();
    let short = write(
        &dir,
        "short.jwk",
        json!({"kty": "oct", "alg": "A128KW", "k": b64([1u8; 15])}).to_string(),
    );
    let out = decrypt(&short, token, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot serve A128KW"),
        "{out:?}"
    );
    let out = decrypt(&oct_jwk(&dir, &[1u8; 15]), token, &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fits no JWE algorithm"));
    // A 32-byte key is no A128KW key: the token's algorithm is not one the key allows.
    let out = decrypt(&oct_jwk(&dir, &[1u8; 32]), token, &["--json"]);
    assert_eq!(json_stdout(&out)["reason"], "alg_not_allowed");
}

#[test]
fn a_zip_bomb_stops_at_the_cap() {
    let key = [3u8; 32];
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(&vec![b'a'; 200_000_000]).unwrap();
    let bomb = deflate.finish().unwrap();
    let token = dir_a256gcm(
        &key,
        json!({"alg": "dir", "enc": "A256GCM", "zip": "DEF"}),
        &bomb,
    );
    let dir = tempfile::tempdir().unwrap();
    // Too long for one argument: the token goes through stdin.
    let out = jwtk()
        .args(["decrypt", "--json", "-k", &oct_jwk(&dir, &key)])
        .write_stdin(token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = json_stdout(&out);
    assert_eq!(doc["reason"], "too_large");
    let cap = 10 * bomb.len();
    assert!(
        doc["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{cap}-byte cap")),
        "{doc}"
    );
    // The compressed cookbook example inflates.
    let small = dir_a256gcm(
        &key,
        json!({"alg": "dir", "enc": "A256GCM", "zip": "DEF", "cty": "text"}),
        &{
            let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            d.write_all(b"hello hello hello").unwrap();
            d.finish().unwrap()
        },
    );
    let out = decrypt(&oct_jwk(&dir, &key), &small, &[]);
    assert_eq!(out.stdout, b"hello hello hello");
}

#[test]
fn json_output_shows_header_plaintext_and_nested() {
    let key = [5u8; 32];
    let dir = tempfile::tempdir().unwrap();
    let jwk = oct_jwk(&dir, &key);
    let binary = dir_a256gcm(&key, json!({"alg": "dir", "enc": "A256GCM"}), &[0xff, 0, 1]);
    let doc = json_stdout(&decrypt(&jwk, &binary, &["--json"]));
    assert_eq!(
        doc,
        json!({"decrypted": true, "header": {"alg": "dir", "enc": "A256GCM"}, "plaintext_b64": "_wAB", "nested": false})
    );
    let out = decrypt(&jwk, &binary, &[]);
    assert_eq!(out.stdout, [0xff, 0, 1]);
    let nested = jwcrypto_tokens()
        .into_iter()
        .find(|t| t.get("nested").is_some())
        .unwrap();
    let doc = json_stdout(&decrypt(
        &path("jwe/jwcrypto/rsa.pem"),
        nested["token"].as_str().unwrap(),
        &["--json"],
    ));
    assert_eq!(
        (doc["nested"].clone(), doc["header"]["cty"].clone()),
        (json!(true), json!("JWT"))
    );
    assert_eq!(doc["plaintext"], nested["plaintext"]);
}

#[test]
fn keys_decide_and_allowlists_narrow() {
    let t = jwcrypto("RSA-OAEP-256", "A128GCM");
    let token = t["token"].as_str().unwrap();
    let rsa = path("jwe/jwcrypto/rsa.pem");
    let reason = |extra: &[&str], key: &str| {
        json_stdout(&decrypt(key, token, &[&["--json"], extra].concat()))["reason"].clone()
    };
    assert_eq!(reason(&["--alg", "RSA-OAEP"], &rsa), "alg_not_allowed");
    assert_eq!(reason(&["--enc", "A256GCM"], &rsa), "alg_not_allowed");
    assert_eq!(
        reason(&["--alg", "RSA-OAEP-256", "--enc", "A128GCM"], &rsa),
        Value::Null
    );
    // An EC key does not open an RSA-OAEP token.
    assert_eq!(
        reason(&[], &path("jwe/jwcrypto/p256.pem")),
        "alg_not_allowed"
    );
    // --alg that no key serves, a signing key, a public key: exit 3.
    let dir = tempfile::tempdir().unwrap();
    let mut jwk: Value = serde_json::from_str(&read("jwe/jwcrypto/rsa.jwk")).unwrap();
    jwk["use"] = json!("sig");
    let sig = write(&dir, "sig.jwk", jwk.to_string());
    let public = write(
        &dir,
        "public.jwk",
        json!({"kty": "RSA", "n": jwk["n"], "e": jwk["e"]}).to_string(),
    );
    for (key, extra, words) in [
        (
            rsa.as_str(),
            &["--alg", "A128KW"][..],
            "no key given can decrypt A128KW",
        ),
        (sig.as_str(), &[][..], "not \"enc\""),
        (public.as_str(), &[][..], "cannot decrypt"),
        (&path("keys/ed25519-pkcs8.pem"), &[][..], "cannot decrypt"),
    ] {
        let out = decrypt(key, token, extra);
        assert_eq!(out.status.code(), Some(3), "{key}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(words),
            "{words}: {out:?}"
        );
    }
    // A JWKS read for decryption keeps its enc keys and skips the signing ones.
    let mut enc = jwk.clone();
    enc["use"] = json!("enc");
    enc["kid"] = json!("enc-1");
    jwk["kid"] = json!("sig-1");
    let set = write(&dir, "set.jwks", json!({"keys": [jwk, enc]}).to_string());
    let out = decrypt(&set, token, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("skipped key \"sig-1\": is meant for signatures only")
    );
}

#[test]
fn a_token_kid_selects_among_keys_with_kids() {
    let key = [8u8; 32];
    let dir = tempfile::tempdir().unwrap();
    let set = write(
        &dir,
        "set.jwks",
        json!({"keys": [{"kty": "oct", "kid": "a", "k": b64(key)}]}).to_string(),
    );
    let other = dir_a256gcm(
        &key,
        json!({"alg": "dir", "enc": "A256GCM", "kid": "b"}),
        b"x",
    );
    assert_eq!(
        json_stdout(&decrypt(&set, &other, &["--json"]))["reason"],
        "no_matching_key"
    );
    let same = dir_a256gcm(
        &key,
        json!({"alg": "dir", "enc": "A256GCM", "kid": "a"}),
        b"x",
    );
    assert_eq!(decrypt(&set, &same, &[]).stdout, b"x");
}

#[test]
fn decode_shows_an_encrypted_token_without_a_key() {
    let token = read("jwe/rfc7516/a1.jwe");
    let out = jwtk()
        .args(["decode", "--json", token.trim()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json_stdout(&out);
    assert_eq!(doc["encrypted"], true);
    assert_eq!(doc["header"], json!({"alg": "RSA-OAEP", "enc": "A256GCM"}));
    let s = &doc["size"];
    let sum: u64 = ["header", "encrypted_key", "iv", "ciphertext", "tag"]
        .iter()
        .map(|k| s[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum + 4, s["total"].as_u64().unwrap());
    assert_eq!(s["encrypted_key"], 342);
    let out = jwtk().args(["decode", token.trim()]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Encrypted token (JWE), RSA-OAEP + A256GCM") && text.contains("tag 22"),
        "{text}"
    );
}

#[test]
fn verify_decrypts_a_nested_jwt_then_verifies_the_inner_token() {
    let nested = jwcrypto_tokens()
        .into_iter()
        .find(|t| t.get("nested").is_some())
        .unwrap();
    let token = nested["token"].as_str().unwrap();
    let issuer = path("jwe/jwcrypto/issuer-p256.jwk");
    let rsa = path("jwe/jwcrypto/rsa.pem");
    let verify = |extra: &[&str]| {
        jwtk()
            .args(["verify", "--json", "-k", &issuer])
            .args(extra)
            .arg(token)
            .output()
            .unwrap()
    };
    let out = verify(&["--decrypt-key", &rsa]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let doc = json_stdout(&out);
    assert_eq!(
        (doc["claims"]["sub"].clone(), doc["kid"].clone()),
        (json!("alice"), json!("issuer-1"))
    );
    assert_eq!(json_stdout(&verify(&[]))["reason"], "unsupported");
    let out = verify(&["--decrypt-key", &path("jwe/jwcrypto/x25519.pem")]);
    assert_eq!(json_stdout(&out)["reason"], "alg_not_allowed");
    let tampered = tamper(token, 3);
    let out = jwtk()
        .args([
            "verify",
            "--json",
            "-k",
            &issuer,
            "--decrypt-key",
            &rsa,
            &tampered,
        ])
        .output()
        .unwrap();
    assert_eq!(json_stdout(&out)["reason"], "decryption_failed");
    // Content that is not a JWS is malformed.
    let key = [4u8; 32];
    let dir = tempfile::tempdir().unwrap();
    let not_jws = dir_a256gcm(
        &key,
        json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}),
        b"{\"sub\":\"x\"}",
    );
    let out = jwtk()
        .args([
            "verify",
            "--json",
            "-k",
            &issuer,
            "--decrypt-key",
            &oct_jwk(&dir, &key),
            &not_jws,
        ])
        .output()
        .unwrap();
    assert_eq!(json_stdout(&out)["reason"], "malformed");
}

#[test]
fn verify_with_a_decryption_key_refuses_a_token_that_is_not_encrypted() {
    let issuer = path("jwe/jwcrypto/issuer-p256.jwk");
    let rsa = path("jwe/jwcrypto/rsa.pem");
    let plain = run_ok(&["mint", "-k", &issuer, "--sub", "alice"]);
    let verify = |extra: &[&str], token: &str| {
        jwtk()
            .args(["verify", "-k", &issuer])
            .args(extra)
            .arg(token)
            .output()
            .unwrap()
    };
    assert_eq!(verify(&[], &plain).status.code(), Some(0));
    // Given --decrypt-key, encryption is required.
    let out = verify(&["--json", "--decrypt-key", &rsa], &plain);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let doc = json_stdout(&out);
    assert_eq!(doc["reason"], "unsupported", "{doc}");
    assert!(
        doc["message"].as_str().unwrap().contains("not encrypted"),
        "{doc}"
    );
    assert_eq!(
        (&doc["header"], &doc["claims"], &doc["kid"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    let out = verify(&["--decrypt-key", &rsa], &plain);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unsupported: not encrypted"), "{stderr}");
    // What is not even a token stays malformed, first in the precedence.
    let out = verify(&["--json", "--decrypt-key", &rsa], "eyJhbGciOi.x");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_stdout(&out)["reason"], "malformed");
}
