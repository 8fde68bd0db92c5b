//! Key material fails closed: whatever wraps a public key, it never becomes an HMAC secret
//! (RFC 8725 §3.1), and what the contract says loads, loads. The wrapped files were made by
//! real tools (`tests/fixtures/wrapped/make.sh`).

use std::process::Output;

use aws_lc_rs::hmac;
use serde_json::{Value, json};

use super::{NOW, b64, fixture, json_stdout, jwtk, stderr_after_pin};

const PRIVATE: &str = "keys/rsa-2048-pkcs1.pem";

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

/// An RS256 token made with the private half of every wrapped public key, with the kid the
/// wrapped JWKS give it (a PEM key takes `--kid` as its own).
fn rs256_token() -> String {
    let out = jwtk()
        .args([
            "mint",
            "-k",
            &path(PRIVATE),
            "--kid",
            "rsa-2048",
            "--sub",
            "u",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The attack: an HS256 token whose HMAC key is the bytes of the public key file, as the
/// attacker can read them (they are public).
fn forged(secret: &[u8]) -> String {
    let header = b64(r#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = b64(json!({"sub": "admin", "exp": NOW + 600}).to_string());
    let input = format!("{header}.{claims}");
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// The secrets an attacker would try for some key bytes: as they are, and without the
/// trailing newline a file-reading tool might strip.
fn attempts(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut all = vec![bytes.to_vec()];
    if let Some(stripped) = bytes.strip_suffix(b"\n") {
        all.push(stripped.to_vec());
        all.push(stripped.strip_suffix(b"\r").unwrap_or(stripped).to_vec());
    }
    all
}

fn verify(args: &[&str], envs: &[(&str, &[u8])], token: &str) -> Output {
    let mut cmd = jwtk();
    cmd.arg("verify").args(args).arg(token);
    for (name, value) in envs {
        use std::os::unix::ffi::OsStrExt;
        cmd.env(name, std::ffi::OsStr::from_bytes(value));
    }
    cmd.output().unwrap()
}

/// Every wrapper of a public key the attack was tried with, by file.
const WRAPPED_FILES: [&str; 12] = [
    "wrapped/comment-then-pem.pem",
    "wrapped/x509-text.pem",
    "wrapped/pkcs12-nokeys.pem",
    "wrapped/bom-spki.pem",
    "wrapped/ssh-rsa.pub",
    "wrapped/bom.jwks",
    "wrapped/utf16le.jwks",
    "wrapped/cert-trailing-byte.der",
    "wrapped/chain.pem",
    "wrapped/array.json",
    "wrapped/curl-i.txt",
    "wrapped/quoted-pem.env",
];

#[test]
fn no_wrapper_of_a_public_key_verifies_a_token_forged_with_it() {
    for name in WRAPPED_FILES.iter().copied().chain([
        "wrapped/spki.b64",
        "keys/rsa-2048-spki.der",
        "keys/rsa-2048-cert.der",
    ]) {
        let file = path(name);
        let bytes = std::fs::read(&file).unwrap();
        for secret in attempts(&bytes) {
            let token = forged(&secret);
            // As a file, with the keys deciding: the key loads as public (HS256 is then not
            // allowed) or is refused; never valid.
            let out = verify(&["-k", &file], &[], &token);
            assert!(matches!(out.status.code(), Some(1 | 3)), "{name}: {out:?}");
            assert!(out.stdout.is_empty(), "{name}");
            // Asking for HS256 outright: public material is refused (exit 3).
            let out = verify(&["-k", &file, "--alg", "HS256"], &[], &token);
            assert_eq!(out.status.code(), Some(3), "{name} --alg HS256: {out:?}");
            // The same bytes in JWTK_KEY and in --key-env.
            let env_safe = !bytes.contains(&0);
            for args in [&[][..], &["--key-env", "PUBKEY"][..]]
                .into_iter()
                .filter(|_| env_safe)
            {
                let var = if args.is_empty() {
                    "JWTK_KEY"
                } else {
                    "PUBKEY"
                };
                let out = verify(args, &[(var, &bytes)], &token);
                assert!(
                    matches!(out.status.code(), Some(1 | 3)),
                    "{name} in ${var}: {out:?}"
                );
            }
        }
    }
}

#[test]
fn secret_encodings_of_der_key_material_are_refused() {
    let der = std::fs::read(fixture("keys/rsa-2048-spki.der")).unwrap();
    let base64 = std::fs::read_to_string(fixture("wrapped/spki.b64")).unwrap();
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    for (encoding, text) in [("base64", base64.as_str()), ("hex", hex.as_str())] {
        let out = verify(
            &["--key-env", "K", "--secret-encoding", encoding],
            &[("K", text.as_bytes())],
            &forged(&der),
        );
        assert_eq!(out.status.code(), Some(3), "{encoding}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("key material"), "{stderr}");
    }
}

#[test]
fn wrapped_public_keys_load_as_the_key_they_hold() {
    let token = rs256_token();
    let cases: &[(&str, &str)] = &[
        ("wrapped/comment-then-pem.pem", ""),
        ("wrapped/x509-text.pem", ""),
        ("wrapped/pkcs12-nokeys.pem", ""),
        ("wrapped/bom-spki.pem", "byte-order mark"),
        ("wrapped/bom.jwks", "byte-order mark"),
        ("wrapped/utf16le.jwks", "UTF-16LE"),
        (
            "wrapped/chain.pem",
            "a chain of 2 certificates: using the first (the leaf)",
        ),
        ("wrapped/key-and-own-cert.pem", ""),
        ("wrapped/ssh-rsa.pub", ""),
    ];
    for (name, note) in cases {
        let out = verify(&["--json", "-k", &path(name)], &[], &token);
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
        assert_eq!(json_stdout(&out)["valid"], true, "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(note), "{name}: {stderr}");
    }
    // Keycloak's realm public_key: a bare base64 SPKI, in the environment.
    let spki = std::fs::read(fixture("wrapped/spki.b64")).unwrap();
    let out = verify(&[], &[("JWTK_KEY", &spki)], &token);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A PEM private key with its own certificate is one key: it signs.
    jwtk()
        .args(["mint", "-k", &path("wrapped/key-and-own-cert.pem")])
        .assert()
        .success();
}

#[test]
fn what_cannot_load_is_refused_with_a_reason_and_a_hint() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "wrapped/cert-trailing-byte.der",
            "1 trailing bytes",
            "key file itself",
        ),
        (
            "wrapped/key-and-other-cert.pem",
            "not one key",
            "one key in each file",
        ),
        ("wrapped/encrypted-pkcs1.pem", "encrypted", "openssl pkcs8"),
        ("wrapped/array.json", "JSON array", "{\"keys\""),
        ("wrapped/curl-i.txt", "HTTP response", "curl without -i"),
        (
            "wrapped/quoted-pem.env",
            "no well-formed PEM block",
            "quotes",
        ),
    ];
    let token = rs256_token();
    for (name, words, hint) in cases {
        for command in ["verify", "mint"] {
            let mut cmd = jwtk();
            cmd.args([command, "-k", &path(name)]);
            if command == "verify" {
                cmd.arg(&token);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(3), "{command} {name}: {out:?}");
            let stderr = stderr_after_pin(&out);
            assert!(stderr.contains(words), "{name}: {stderr}");
            assert!(
                stderr.contains("hint: ") && stderr.contains(hint),
                "{name}: {stderr}"
            );
            assert_eq!(
                stderr.lines().count(),
                2,
                "one error line and one hint: {stderr}"
            );
        }
    }
}

#[test]
fn verify_takes_raw_bytes_as_a_secret_only_when_told() {
    let secret = path("keys/secret-newline.txt");
    let token = {
        let out = jwtk().args(["mint", "-k", &secret]).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let out = verify(&["-k", &secret], &[], &token);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("hint: if it is an HMAC secret, say so: --alg HS256")
    );
    for told in [&["--alg", "HS256"][..], &["--secret-encoding", "utf8"][..]] {
        let out = verify(&[&["-k", secret.as_str()][..], told].concat(), &[], &token);
        assert_eq!(out.status.code(), Some(0), "{told:?}: {out:?}");
    }
    // An oct JWK says so itself.
    let dir = tempfile::tempdir().unwrap();
    let jwk = dir.path().join("k.jwk");
    let k = b64(b"a-very-long-shared-secret-of-40-bytes!!!");
    std::fs::write(&jwk, json!({"kty": "oct", "k": k}).to_string()).unwrap();
    let out = verify(&["-k", jwk.to_str().unwrap()], &[], &token);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A short secret is warned about in verify as in mint.
    let short = dir.path().join("short");
    std::fs::write(&short, "tiny").unwrap();
    let token = String::from_utf8(
        jwtk()
            .args(["mint", "-k", short.to_str().unwrap()])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let out = verify(
        &["-k", short.to_str().unwrap(), "--alg", "HS256"],
        &[],
        token.trim(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is 4 bytes; RFC 7518 §3.2 asks for at least 32")
    );
}

#[test]
fn a_provider_jwks_with_keys_jwtk_cannot_use_still_serves_its_good_keys() {
    let good: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("wrapped/rsa-2048.jwks")).unwrap())
            .unwrap();
    let set = json!({"keys": [
        {"kty": "OKP", "crv": "X25519", "use": "enc", "kid": "enc-1", "x": "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo"},
        {"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": b64([1u8; 32]), "y": b64([2u8; 32])},
        {"kty": "PQC", "kid": "future"},
        {"kty": "RSA", "kid": "short", "n": b64([0xc1u8; 128]), "e": "AQAB"},
        {"kty": "RSA", "kid": "enc-rsa", "use": "enc", "n": good["keys"][0]["n"], "e": "AQAB"},
        good["keys"][0],
    ]});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("provider.jwks");
    std::fs::write(&file, set.to_string()).unwrap();
    let token = {
        let out = jwtk()
            .args(["mint", "-k", &path(PRIVATE), "--header", "kid=rsa-2048"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let out = verify(&["--json", "-k", file.to_str().unwrap()], &[], &token);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for words in [
        "skipped key \"enc-1\": unsupported curve \"X25519\"",
        "skipped key \"k1\": unsupported curve \"secp256k1\"",
        "skipped key \"future\": unsupported kty \"PQC\"",
        "skipped key \"short\": RSA key of 1024 bits",
        "skipped key \"enc-rsa\": is meant for encryption only",
    ] {
        assert!(stderr.contains(words), "{words}: {stderr}");
    }
    // Nothing usable left: exit 3 naming why each key was skipped.
    let useless = dir.path().join("useless.jwks");
    std::fs::write(
        &useless,
        json!({"keys": [set["keys"][0], set["keys"][2]]}).to_string(),
    )
    .unwrap();
    let out = verify(&["-k", useless.to_str().unwrap()], &[], &token);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no key in the JWKS is usable")
            && stderr.contains("\"future\" unsupported kty"),
        "{stderr}"
    );
    // mint --kid naming a skipped key: exit 3 with its reason; a skipped first key never
    // hands the signing over to another key.
    let private_set = dir.path().join("private.jwks");
    let ec: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("rfc/rfc7515-A.3-ES256/key.jwk.json")).unwrap(),
    )
    .unwrap();
    let mut ec = ec;
    ec["kid"] = json!("ec");
    std::fs::write(
        &private_set,
        json!({"keys": [set["keys"][2], ec]}).to_string(),
    )
    .unwrap();
    let p = private_set.to_str().unwrap();
    let out = jwtk()
        .args(["mint", "-k", p, "--kid", "future"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported kty \"PQC\""));
    let out = jwtk().args(["mint", "-k", p]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the signing key: the first of the set"));
    jwtk()
        .args(["mint", "-k", p, "--kid", "ec"])
        .assert()
        .success();
}

#[test]
fn rsa_keys_outside_2048_to_8192_bits_are_refused_public_or_private() {
    let dir = tempfile::tempdir().unwrap();
    // An 8200-bit public modulus (odd, top bit set): it would load and never verify.
    let mut n = vec![0xffu8; 1025];
    n[0] = 0xff;
    let file = dir.path().join("big.jwk");
    std::fs::write(
        &file,
        json!({"kty": "RSA", "n": b64(&n), "e": "AQAB"}).to_string(),
    )
    .unwrap();
    let out = verify(&["-k", file.to_str().unwrap()], &[], &rs256_token());
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("RSA key of 8200 bits: keys over 8192 bits are refused")
    );
    jwtk()
        .args(["mint", "-k", &path("keys/rsa-1024-pkcs8.pem")])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "keys under 2048 bits are refused",
        ));
}

#[test]
fn jwk_members_of_the_wrong_length_are_refused() {
    let jwk: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("rfc/rfc7515-A.4-ES512/key.jwk.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for member in ["d", "x", "y"] {
        let mut short = jwk.clone();
        let bytes = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            short[member].as_str().unwrap(),
        )
        .unwrap();
        short[member] = json!(b64(&bytes[1..]));
        let file = dir.path().join(member);
        std::fs::write(&file, short.to_string()).unwrap();
        let out = jwtk()
            .args(["mint", "-k", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{member}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "JWK member \"{member}\" is 65 bytes where 66 are needed"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn no_message_ever_holds_key_material() {
    let pem =
        std::fs::read_to_string(fixture("rfc/rfc7515-A.2-RS256/key.private.pkcs8.pem")).unwrap();
    let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let jwk: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("rfc/rfc7515-A.2-RS256/key.jwk.json")).unwrap(),
    )
    .unwrap();
    let secrets: Vec<String> = ["d", "p", "q", "dp", "dq", "qi", "n"]
        .iter()
        .map(|m| jwk[m].as_str().unwrap()[..24].to_string())
        .chain(body.iter().map(|l| l[..24].to_string()))
        .collect();
    let mut broken_d = jwk.clone();
    broken_d["d"] = json!(format!("{}!", jwk["d"].as_str().unwrap()));
    let mut typed = jwk.clone();
    typed["d"] = json!([jwk["d"]]);
    let corpus = [
        json!({"keys": [pem]}).to_string(),
        json!({"keys": [{"kty": "RSA", "n": jwk["n"], "e": jwk["e"], "d": jwk["d"]}]}).to_string(),
        broken_d.to_string(),
        typed.to_string(),
        json!({"kty": jwk["d"]}).to_string(),
        json!({"kty": "EC", "crv": jwk["d"]}).to_string(),
        format!("{{\"kty\":\"RSA\",\"d\":\"{}\"", jwk["d"].as_str().unwrap()),
        pem.replace("-----END PRIVATE KEY-----", ""),
        format!("\"{}\"", pem.replace('\n', "\\n")),
        pem[..pem.len() / 2].to_string(),
    ];
    for (i, text) in corpus.iter().enumerate() {
        for command in [&["mint"][..], &["verify", "--alg", "RS256", "a.b.c"][..]] {
            let out = jwtk().args(command).env("JWTK_KEY", text).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "#{i} {command:?}: {stderr}");
            for secret in &secrets {
                assert!(
                    !stderr.contains(secret.as_str()),
                    "#{i} {command:?} echoes key material: {stderr}"
                );
            }
        }
    }
    // A --key value that names no file is never echoed (it may be a pasted secret).
    let pasted = "s3cr3t-pasted-into-the-wrong-flag";
    let out = jwtk().args(["mint", "--key", pasted]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(pasted)
            && stderr.contains("33 characters")
            && stderr.contains("--key-env"),
        "{stderr}"
    );
}

#[test]
fn mint_takes_exactly_one_key_source() {
    let secret = path("keys/secret-newline.txt");
    for args in [
        vec!["mint", "-k", &secret, "--key-env", "K"],
        vec!["mint", "-k", &secret, "--key-prompt"],
        vec!["mint", "--key-env", "K", "--key-prompt"],
        vec!["mint", "-k", &secret, "-k", &secret],
    ] {
        jwtk()
            .env("K", "x".repeat(40))
            .args(&args)
            .assert()
            .code(2)
            .stdout("");
    }
}

#[test]
fn a_secret_in_the_environment_loses_its_trailing_newline_as_a_file_does() {
    let file = path("keys/secret-newline.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let sign = |args: &[&str]| {
        let out = jwtk()
            .env("K", &text)
            .args(["mint", "--iat", "1795350000", "--exp", "1795350600"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (from_file, file_notes) = sign(&["-k", &file]);
    let (from_env, env_notes) = sign(&["--key-env", "K"]);
    assert_eq!(from_file, from_env);
    assert!(
        file_notes.contains("removed the trailing newline")
            && env_notes.contains("$K: removed the trailing newline"),
        "{env_notes}"
    );
}

#[test]
fn ed25519_is_the_fully_specified_name_of_eddsa_over_ed25519() {
    // RFC 8037 A.1's key; the token is signed here by aws-lc-rs directly, not by jwtk.
    let jwk: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("rfc/rfc8037-A.4-EdDSA/key.jwk.json")).unwrap(),
    )
    .unwrap();
    let decode = |m: &str| {
        base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwk[m].as_str().unwrap(),
        )
        .unwrap()
    };
    let pair =
        aws_lc_rs::signature::Ed25519KeyPair::from_seed_and_public_key(&decode("d"), &decode("x"))
            .unwrap();
    let input = format!(
        "{}.{}",
        b64(r#"{"alg":"Ed25519"}"#),
        b64(json!({"exp": NOW + 60}).to_string())
    );
    let token = format!("{input}.{}", b64(pair.sign(input.as_bytes()).as_ref()));
    let public = path("rfc/rfc8037-A.4-EdDSA/key.public.jwk.json");
    let out = verify(&["--json", "-k", &public], &[], &token);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json_stdout(&out)["alg"], "Ed25519");
    // mint --alg Ed25519 writes that name; a JWK whose alg is EdDSA refuses it, and the reverse.
    let private = path("rfc/rfc8037-A.4-EdDSA/key.jwk.json");
    let minted = jwtk()
        .args(["mint", "-k", &private, "--alg", "Ed25519"])
        .output()
        .unwrap();
    assert!(minted.status.success(), "{minted:?}");
    let minted = String::from_utf8(minted.stdout).unwrap();
    let decoded = jwtk()
        .args(["decode", "--json", minted.trim()])
        .output()
        .unwrap();
    assert_eq!(json_stdout(&decoded)["header"]["alg"], "Ed25519");
    let out = verify(&["-k", &public], &[], minted.trim());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let dir = tempfile::tempdir().unwrap();
    let pinned = dir.path().join("pinned.jwk");
    let mut eddsa = jwk.clone();
    eddsa["alg"] = json!("EdDSA");
    std::fs::write(&pinned, eddsa.to_string()).unwrap();
    let out = verify(&["--json", "-k", pinned.to_str().unwrap()], &[], &token);
    assert_eq!(
        (out.status.code(), json_stdout(&out)["reason"].clone()),
        (Some(1), json!("alg_not_allowed"))
    );
}

#[test]
fn verify_details() {
    let secret = path("keys/secret-newline.txt");
    let mint = |claims: &str, extra: &[&str]| {
        let out = jwtk()
            .args(["mint", "-k", &secret, "--claims", "-"])
            .args(extra)
            .write_stdin(claims)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    // --require is not satisfied by null.
    let token = mint(r#"{"scope": null}"#, &[]);
    let out = verify(
        &[
            "--json",
            "-k",
            &secret,
            "--alg",
            "HS256",
            "--require",
            "scope",
        ],
        &[],
        &token,
    );
    assert_eq!(json_stdout(&out)["reason"], "missing_claim");
    // An empty --typ is a usage error.
    jwtk()
        .args(["verify", "-k", &secret, "--typ", "", &token])
        .assert()
        .code(2);
    // Values from the token are cut to 80 characters in messages.
    let kid = "k".repeat(5000);
    let token = mint("{}", &["--header", &format!("kid={kid}")]);
    let out = verify(
        &["--json", "-k", &path("rfc/rfc7515-A.1-HS256/key.jwk.json")],
        &[],
        &token,
    );
    let message = json_stdout(&out)["message"].as_str().unwrap().to_string();
    assert!(message.len() < 200 && message.contains('…'), "{message}");
    // --json names the key that matched: kid, source, thumbprint (null for a secret).
    let jwks = path("keys/keyset.jwks");
    let token = String::from_utf8(
        jwtk()
            .args(["mint", "-k", &jwks, "--kid", "ec-2025"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let out = verify(&["--json", "-k", &jwks], &[], token.trim());
    let doc = json_stdout(&out);
    assert_eq!(doc["kid"], "ec-2025");
    assert_eq!(doc["key"]["kid"], "ec-2025");
    assert_eq!(doc["key"]["source"], jwks.as_str());
    // RFC 7515 A.3's key, whose RFC 7638 thumbprint is computed independently here.
    let ec: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("rfc/rfc7515-A.3-ES256/key.public.jwk.json")).unwrap(),
    )
    .unwrap();
    let canonical = format!(
        r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
        ec["x"].as_str().unwrap(),
        ec["y"].as_str().unwrap()
    );
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    assert_eq!(doc["key"]["thumbprint"], b64(digest.as_ref()));
    let token = String::from_utf8(
        jwtk()
            .args(["mint", "-k", &jwks, "--kid", "old-hmac"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let doc = json_stdout(&verify(&["--json", "-k", &jwks], &[], token.trim()));
    assert_eq!(
        (doc["key"]["kid"].clone(), doc["key"]["thumbprint"].clone()),
        (json!("old-hmac"), Value::Null)
    );
    // A rejected token names no key.
    let doc = json_stdout(&verify(
        &["--json", "-k", &jwks],
        &[],
        &format!("{}x", token.trim()),
    ));
    assert_eq!(
        (doc["kid"].clone(), doc["key"].clone()),
        (Value::Null, Value::Null)
    );
}

#[test]
fn a_pinned_clock_is_always_said() {
    let out = jwtk()
        .args(["decode", &super::vector("rfc7515-A.1-HS256")])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .starts_with("jwtk: note: the clock is pinned by JWTK_NOW to 2026-11-22T12:24:49Z")
    );
    jwtk()
        .env("JWTK_NOW", "yesterday")
        .args(["decode", "x"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "JWTK_NOW is set but is not epoch seconds",
        ));
}

/// Wrappers found by an attacker's review: control bytes and other encodings around a public
/// key, the same key under an explicit `--secret-encoding`, and an `oct` JWK holding it.
#[test]
fn review_wrappers_never_become_secrets() {
    let pem = std::fs::read(fixture("keys/rsa-2048-spki.pem")).unwrap();
    let der = std::fs::read(fixture("keys/rsa-2048-spki.der")).unwrap();
    let spki_b64 = std::fs::read_to_string(fixture("wrapped/spki.b64")).unwrap();
    let hex_upper: String = der.iter().map(|b| format!("{b:02X}")).collect();
    let hex_colons: String = der
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":");
    let cat = |parts: &[&[u8]]| parts.concat();
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("PEM + ^Z", cat(&[&pem, b"\x1a"])),
        ("form feed + PEM", cat(&[b"\x0c", &pem])),
        ("PEM + NUL", cat(&[&pem, b"\0"])),
        ("Latin-1 comment + PEM", cat(&[b"Subject: Caf\xe9\n", &pem])),
        ("NEL comment + PEM", cat(&["# \u{85}\n".as_bytes(), &pem])),
        (
            "4-dash armour",
            String::from_utf8_lossy(&pem)
                .replace("-----", "----")
                .into_bytes(),
        ),
        (
            "lowercase armour",
            String::from_utf8_lossy(&pem).to_lowercase().into_bytes(),
        ),
        (
            "quoted base64 SPKI",
            format!("\"{}\"", spki_b64.trim()).into_bytes(),
        ),
        (
            "base64 SPKI + comment",
            format!("{} # realm key", spki_b64.trim()).into_bytes(),
        ),
        ("uppercase hex DER", hex_upper.clone().into_bytes()),
        ("hex DER with colons", hex_colons.into_bytes()),
        ("base64 of a PEM", b64_std(&pem).into_bytes()),
        ("DER + 17 bytes", cat(&[&der, &[0u8; 17]])),
        ("JWK + NUL", {
            let jwk = std::fs::read(fixture("rfc/rfc7515-A.2-RS256/key.public.jwk.json")).unwrap();
            cat(&[&jwk, b"\0"])
        }),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &variants {
        let file = dir.path().join("k");
        std::fs::write(&file, bytes).unwrap();
        let path = file.to_str().unwrap();
        for secret in attempts(bytes) {
            let token = forged(&secret);
            for args in [
                vec!["-k", path, "--alg", "HS256"],
                vec!["-k", path, "--secret-encoding", "utf8"],
                vec!["-k", path],
            ] {
                let out = verify(&args, &[], &token);
                assert_ne!(out.status.code(), Some(0), "{name} {args:?}: {out:?}");
            }
        }
        let out = jwtk()
            .args(["mint", "-k", path, "--alg", "HS256"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "mint {name}: {out:?}");
    }
    // The same texts in the explicit encodings a user might try.
    for (encoding, text) in [
        ("utf8", spki_b64.trim()),
        ("utf8", hex_upper.as_str()),
        ("base64", hex_upper.as_str()),
    ] {
        let out = verify(
            &["--key-env", "K", "--secret-encoding", encoding],
            &[("K", text.as_bytes())],
            &forged(text.as_bytes()),
        );
        assert_eq!(out.status.code(), Some(3), "{encoding}: {out:?}");
    }
    // An oct JWK whose k is the public key's DER or PEM is not a secret either.
    for k in [&der[..], &pem[..]] {
        let file = dir.path().join("oct.jwk");
        std::fs::write(&file, json!({"kty": "oct", "k": b64(k)}).to_string()).unwrap();
        let out = verify(&["-k", file.to_str().unwrap()], &[], &forged(k));
        assert_eq!(out.status.code(), Some(3), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("k is key material"));
    }
    // Text around a PEM, whatever its bytes, is skipped: the key loads and verifies.
    let token = rs256_token();
    for (name, bytes) in &variants[..5] {
        let file = dir.path().join("wrapped.pem");
        std::fs::write(&file, bytes).unwrap();
        let out = verify(&["-k", file.to_str().unwrap()], &[], &token);
        assert_eq!(out.status.code(), Some(0), "{name}: {out:?}");
    }
}

fn b64_std(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The DER inside a PEM file's one block.
fn pem_der(name: &str) -> Vec<u8> {
    use base64::Engine;
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

/// `%XX` for the characters of base64 a URL escapes (RFC 3986 §2.1).
fn percent_encoded(text: &str) -> String {
    text.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

/// The ways public-key DER is found inside other text: env-file lines (quoted or not, among
/// other variables), YAML, base64 wrapped under a comment, URL-encoded base64 alone and in a
/// URL, base64url and hex after a `NAME=`.
fn texts_around(der: &[u8]) -> Vec<(&'static str, String)> {
    use base64::Engine;
    let b64 = b64_std(der);
    let wrapped: Vec<String> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    let colons: Vec<String> = der.iter().map(|b| format!("{b:02X}")).collect();
    vec![
        ("env line", format!("PUBLIC_KEY={b64}\n")),
        ("quoted env line", format!("export PUBLIC_KEY=\"{b64}\"\n")),
        (
            "env file",
            format!("APP=demo\nJWT_PUBLIC_KEY='{b64}'\nLOG_LEVEL=debug\n"),
        ),
        ("YAML", format!("realm_public_key: {b64}\n")),
        (
            "comment then wrapped base64",
            format!("# realm signing key\n{}\n", wrapped.join("\n")),
        ),
        ("URL-encoded base64", percent_encoded(&b64)),
        (
            "URL-encoded base64 in a URL",
            format!(
                "https://idp.example/keys?public_key={}&v=2",
                percent_encoded(&b64)
            ),
        ),
        (
            "base64url env line",
            format!(
                "PUBLIC_KEY={}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(der)
            ),
        ),
        ("hex env line", format!("PUBLIC_KEY={hex}\n")),
        (
            "colon-hex env line",
            format!("PUBLIC_KEY={}\n", colons.join(":")),
        ),
    ]
}

/// What no message may hold of a text: stretches of its material (of its long words, and of
/// its long lines, such as a dump's colon-hex).
fn material_pieces(text: &str) -> Vec<String> {
    let words = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 40);
    let lines = text.lines().map(str::trim).filter(|l| l.len() >= 40);
    words.chain(lines).map(|w| w[10..30].to_string()).collect()
}

/// Public-key material inside other text is never an HMAC secret, `--alg HS256` or not
/// ("Key input": a base64, percent-encoded or colon-hex run that decodes to key material, or
/// an `openssl … -text` key dump), from a file, `--key-env` and `JWTK_KEY` alike, in `verify`
/// and `mint`; and no message echoes it.
#[test]
fn public_keys_inside_other_text_are_never_hmac_secrets() {
    use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
    use aws_lc_rs::signature::{ECDSA_P384_SHA384_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
    let fresh = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_ASN1_SIGNING).unwrap();
    let fresh: PublicKeyX509Der = fresh.public_key().as_der().unwrap();
    let ders: Vec<(&str, Vec<u8>)> = vec![
        (
            "RSA SPKI",
            std::fs::read(fixture("keys/rsa-2048-spki.der")).unwrap(),
        ),
        ("RSA PKCS#1", pem_der("keys/rsa-2048-pkcs1-public.pem")),
        (
            "certificate",
            std::fs::read(fixture("keys/rsa-2048-cert.der")).unwrap(),
        ),
        ("P-256 SPKI", pem_der("keys/ec-p256-spki.pem")),
        ("Ed25519 SPKI", pem_der("keys/ed25519-spki.pem")),
        ("fresh P-384 SPKI", fresh.as_ref().to_vec()),
    ];
    let mut cases: Vec<(String, Vec<u8>)> = ders
        .iter()
        .flat_map(|(key, der)| {
            texts_around(der)
                .into_iter()
                .map(move |(wrapper, text)| (format!("{key}, {wrapper}"), text.into_bytes()))
        })
        .collect();
    for dump in [
        "keys/rsa-2048-spki.txt",
        "keys/ec-p256-spki.txt",
        "keys/ed25519-spki.txt",
        "keys/ec-p256-sec1.txt",
        "keys/rsa-2048-cert.txt",
    ] {
        cases.push((dump.to_string(), std::fs::read(fixture(dump)).unwrap()));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("k");
    let key_file = file.to_str().unwrap();
    for (name, bytes) in &cases {
        std::fs::write(&file, bytes).unwrap();
        let text = String::from_utf8_lossy(bytes);
        let pieces = material_pieces(&text);
        let refused = |out: &Output, how: &str| {
            // Without --alg, a bare base64 word (the YAML value) loads as the public key it
            // is, and the HS256 token is then invalid (exit 1); never valid.
            let loaded = how.ends_with("without --alg") && out.status.code() == Some(1);
            assert!(
                loaded || out.status.code() == Some(3),
                "{name} {how}: {out:?}"
            );
            assert!(out.stdout.is_empty(), "{name} {how}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            for piece in &pieces {
                assert!(
                    !stderr.contains(piece.as_str()),
                    "{name} {how} echoes: {stderr}"
                );
            }
        };
        for secret in attempts(bytes) {
            let token = forged(&secret);
            refused(
                &verify(&["-k", key_file, "--alg", "HS256"], &[], &token),
                "-k",
            );
            refused(
                &verify(
                    &[
                        "-k",
                        key_file,
                        "--alg",
                        "HS256",
                        "--secret-encoding",
                        "utf8",
                    ],
                    &[],
                    &token,
                ),
                "-k --secret-encoding utf8",
            );
        }
        let token = forged(bytes);
        refused(&verify(&["-k", key_file], &[], &token), "-k without --alg");
        refused(
            &verify(
                &["--key-env", "PUBKEY", "--alg", "HS256"],
                &[("PUBKEY", bytes)],
                &token,
            ),
            "--key-env",
        );
        refused(
            &verify(&["--alg", "HS256"], &[("JWTK_KEY", bytes)], &token),
            "JWTK_KEY",
        );
        refused(
            &jwtk()
                .args(["mint", "-k", key_file, "--alg", "HS256"])
                .output()
                .unwrap(),
            "mint -k",
        );
        refused(
            &jwtk()
                .args(["mint", "--key-env", "PUBKEY", "--alg", "HS256"])
                .env("PUBKEY", text.as_ref())
                .output()
                .unwrap(),
            "mint --key-env",
        );
    }
    // The refusal says what was found and where, and what to give instead.
    let env_file = format!(
        "APP=demo\nJWT_PUBLIC_KEY={}\n",
        b64_std(&std::fs::read(fixture("keys/rsa-2048-spki.der")).unwrap())
    );
    std::fs::write(&file, &env_file).unwrap();
    let out = verify(
        &["-k", key_file, "--alg", "HS256"],
        &[],
        &forged(env_file.as_bytes()),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2 holds base64 of a DER key")
            && stderr.contains("hint: give the key file itself"),
        "{stderr}"
    );
    let out = verify(
        &["-k", &path("keys/rsa-2048-spki.txt"), "--alg", "HS256"],
        &[],
        &forged(b"x"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a key printed as text (openssl -text output, line 1)")
            && stderr.contains("without -text"),
        "{stderr}"
    );
}

/// Secrets are full of base64 and hex: random ones, in the same wrappers, stay secrets (no
/// false alarm), as do the secrets `keygen --type hmac` hands out, given as the text of `k`.
#[test]
fn random_secrets_in_the_same_wrappers_are_still_secrets() {
    use base64::Engine;
    let mut texts = Vec::new();
    for _ in 0..4 {
        let mut random = [0u8; 48];
        aws_lc_rs::rand::fill(&mut random).unwrap();
        // Never bytes that start like DER: bare base64 of those is refused by shape.
        random[0] = b'k';
        let b64 = b64_std(&random);
        let hex: Vec<String> = random.iter().map(|b| format!("{b:02x}")).collect();
        texts.push(format!("SECRET={b64}\n"));
        texts.push(format!("export JWT_SECRET=\"{b64}\"\n"));
        texts.push(percent_encoded(&b64));
        texts.push(format!("JWT_SECRET={}", hex.join(":")));
        texts.push(format!("# shared secret\n{b64}\n"));
    }
    let jwk: Value = serde_json::from_str(&super::run_ok(&["keygen", "--type", "hmac"])).unwrap();
    let k = jwk["k"].as_str().unwrap();
    texts.push(format!("HMAC_KEY={k}"));
    let k_bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(k)
        .unwrap();
    texts.push(format!("HMAC_KEY={}", percent_encoded(&b64_std(&k_bytes))));
    for text in &texts {
        let mint = jwtk()
            .args(["mint", "--key-env", "S", "--alg", "HS256", "--sub", "u"])
            .env("S", text)
            .output()
            .unwrap();
        assert!(mint.status.success(), "{text}: {mint:?}");
        let token = String::from_utf8(mint.stdout).unwrap();
        let out = verify(
            &["--key-env", "S", "--alg", "HS256"],
            &[("S", text.as_bytes())],
            token.trim(),
        );
        assert_eq!(out.status.code(), Some(0), "{text}: {out:?}");
    }
}

/// What a user types as `--key` when something is slightly off ("Key input"): a typo'd path
/// (a key file's extension) or a URL is shown, a URL pointing to `--jwks`; anything else may
/// be a pasted secret and is never shown, its length counted right; `--key -` reads stdin
/// unless the token does; an empty file says so.
#[test]
fn key_values_that_name_no_file_say_what_they_are() {
    let token = rs256_token();
    for (value, line, hint) in [
        (
            "issuer.pem",
            "jwtk: error: issuer.pem: no such file",
            "check the path",
        ),
        (
            "keys/ISSUER.JWKS",
            "jwtk: error: keys/ISSUER.JWKS: no such file",
            "check the path",
        ),
        (
            "https://idp.example/.well-known/jwks.json",
            "jwtk: error: https://idp.example/.well-known/jwks.json: is a URL, and --key reads a file",
            "--jwks URL",
        ),
        (
            "x",
            "jwtk: error: --key: names no file (the value has 1 character; it is not shown, in case it is a secret)",
            "--key-env",
        ),
        (
            "hunter22",
            "jwtk: error: --key: names no file (the value has 8 characters; it is not shown, in case it is a secret)",
            "--key-env",
        ),
    ] {
        let out = verify(&["--key", value], &[], &token);
        assert_eq!(out.status.code(), Some(3), "{value}: {out:?}");
        let stderr = stderr_after_pin(&out);
        let mut lines = stderr.lines();
        assert_eq!(lines.next(), Some(line), "{stderr}");
        assert!(
            lines
                .next()
                .is_some_and(|h| h.starts_with("hint: ") && h.contains(hint)),
            "{stderr}"
        );
        assert!(!stderr.contains("--key: --key"), "{stderr}");
    }
    // `--key -`: the key from stdin.
    let public = std::fs::read(fixture("keys/rsa-2048-spki.pem")).unwrap();
    let out = jwtk()
        .args(["verify", "--json", "--key", "-", &token])
        .write_stdin(public.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json_stdout(&out)["key"]["source"], "stdin");
    let out = jwtk()
        .args(["mint", "--key", "-"])
        .write_stdin(std::fs::read(fixture(PRIVATE)).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // stdin is read once: the token, --batch, --claims - or a second --key - beside it is exit 2.
    for args in [
        &["verify", "--key", "-"][..],
        &["verify", "--key", "-", "-"],
        &["verify", "--key", "-", "--batch"],
        &["verify", "--key", "-", "--key", "-", "x.y.z"],
        &["mint", "--key", "-", "--claims", "-"],
        &["decrypt", "--key", "-"],
    ] {
        let out = jwtk()
            .args(args)
            .write_stdin(public.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            stderr_after_pin(&out).contains("can't both be read from stdin"),
            "{out:?}"
        );
    }
    // An empty key file, or one with whitespace alone, says so (not "the secret is empty").
    let dir = tempfile::tempdir().unwrap();
    for (bytes, words) in [
        (&b""[..], "is an empty file"),
        (b"\n\n", "nothing but whitespace"),
    ] {
        let file = dir.path().join("key.pem");
        std::fs::write(&file, bytes).unwrap();
        for command in ["mint", "verify"] {
            let mut cmd = jwtk();
            cmd.args([command, "--key"]).arg(&file);
            if command == "verify" {
                cmd.arg(&token);
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(3), "{out:?}");
            let stderr = stderr_after_pin(&out);
            assert!(
                stderr.contains(words) && !stderr.contains("secret is empty"),
                "{stderr}"
            );
        }
    }
}
