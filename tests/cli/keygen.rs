//! `jwtk keygen` and `jwtk keyset`: every type, size, curve and format; file modes; no
//! overwrite without --force; concurrent --add-to; a whole rotation with mint and verify.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use super::{json_stdout, jwtk};

fn run_ok(args: &[&str]) -> String {
    let out = jwtk().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn reason(key: &Path, token: &str) -> String {
    let doc = json_stdout(
        &jwtk()
            .args(["verify", "--json", "-k", s(key), token])
            .output()
            .unwrap(),
    );
    doc["reason"].as_str().unwrap_or("valid").to_string()
}

/// Generate into `dir/name`, mint with the private key, verify with the public one.
fn generate_mint_verify(dir: &Path, name: &str, flags: &[&str], expect_alg: &str) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["keygen", "--out", s(&out)];
    args.extend(flags);
    let kid = run_ok(&args);
    assert!(!kid.trim().is_empty(), "the kid is printed");
    assert_eq!(mode(&out), 0o600, "{name}");
    let public = dir.join(format!("{name}.pub"));
    let hmac = flags.contains(&"hmac") || flags.iter().any(|f| f.starts_with("HS"));
    assert_eq!(
        public.exists(),
        !hmac,
        "{name}: .pub only for asymmetric keys"
    );
    let mut mint = vec!["mint", "-k", s(&out)];
    if let Some(at) = flags.iter().position(|f| *f == "--alg") {
        mint.extend(["--alg", flags[at + 1]]);
    }
    let token = run_ok(&mint).trim().to_string();
    let header =
        json_stdout(&jwtk().args(["decode", "--json", &token]).output().unwrap())["header"].clone();
    assert_eq!(header["alg"], expect_alg, "{name}");
    let verify_with = if hmac { &out } else { &public };
    assert_eq!(reason(verify_with, &token), "valid", "{name}");
    out
}

#[test]
fn every_type_size_curve_and_format_is_usable_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: &[(&str, &[&str], &str)] = &[
        ("ec", &["--type", "ec"], "ES256"),
        ("p384", &["--type", "ec", "--curve", "P-384"], "ES384"),
        (
            "p521",
            &["--type", "ec", "--curve", "P-521", "--format", "jwk"],
            "ES512",
        ),
        ("es384", &["--alg", "ES384", "--format", "jwks"], "ES384"),
        ("ed", &["--type", "ed25519"], "EdDSA"),
        ("ed-jwk", &["--type", "ed25519", "--format", "jwk"], "EdDSA"),
        ("rsa", &["--type", "rsa"], "RS256"),
        (
            "rsa3072",
            &["--type", "rsa", "--bits", "3072", "--format", "jwk"],
            "RS256",
        ),
        (
            "rsa4096",
            &["--type", "rsa", "--bits", "4096", "--format", "jwks"],
            "RS256",
        ),
        ("ps512", &["--alg", "PS512", "--format", "jwk"], "PS512"),
        ("ps256-pem", &["--alg", "PS256"], "PS256"),
        ("hmac", &["--type", "hmac"], "HS256"),
        ("hs384", &["--type", "hmac", "--alg", "HS384"], "HS384"),
        ("hs512", &["--alg", "HS512", "--format", "jwks"], "HS512"),
    ];
    for (name, flags, alg) in cases {
        generate_mint_verify(d, name, flags, alg);
    }
    // HMAC sizes follow --bits or --alg.
    for (flags, bytes) in [
        (vec!["--type", "hmac"], 32),
        (vec!["--type", "hmac", "--bits", "512"], 64),
        (vec!["--alg", "HS384"], 48),
    ] {
        let mut args = vec!["keygen"];
        args.extend(flags);
        let jwk: Value = serde_json::from_str(&run_ok(&args)).unwrap();
        let k = base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwk["k"].as_str().unwrap(),
        )
        .unwrap();
        assert_eq!(k.len(), bytes);
        assert_eq!(jwk["kty"], "oct");
        assert_eq!(jwk["use"], "sig");
    }
}

#[test]
#[ignore = "slow (an RSA-8192 generation takes 7-36 s): CI runs it with --ignored"]
fn rsa_8192() {
    let pem = run_ok(&["keygen", "--type", "rsa", "--bits", "8192"]);
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n") && !pem.contains('\r'));
}

#[test]
fn stdout_forms() {
    let pem = run_ok(&["keygen", "--type", "rsa"]);
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n") && !pem.contains('\r'));
    let jwk: Value = serde_json::from_str(&run_ok(&[
        "keygen", "--type", "ec", "--format", "jwk", "--kid", "mine",
    ]))
    .unwrap();
    assert_eq!(
        (
            jwk["kid"].as_str(),
            jwk["crv"].as_str(),
            jwk["alg"].as_str()
        ),
        (Some("mine"), Some("P-256"), Some("ES256"))
    );
    assert!(jwk["d"].is_string());
    let set: Value = serde_json::from_str(&run_ok(&[
        "keygen", "--type", "ed25519", "--format", "jwks",
    ]))
    .unwrap();
    assert_eq!(set["keys"].as_array().unwrap().len(), 1);
}

#[test]
fn bad_requests_are_usage_errors() {
    for args in [
        vec!["keygen"],
        vec!["keygen", "--type", "rsa", "--bits", "1024"],
        vec!["keygen", "--type", "rsa", "--bits", "2047"],
        vec!["keygen", "--type", "hmac", "--bits", "128"],
        vec!["keygen", "--type", "hmac", "--format", "pem"],
        vec![
            "keygen", "--type", "hmac", "--alg", "HS512", "--bits", "256",
        ],
        vec!["keygen", "--type", "ec", "--bits", "256"],
        vec!["keygen", "--type", "ec", "--curve", "P-224"],
        vec![
            "keygen", "--type", "ec", "--curve", "P-256", "--alg", "ES384",
        ],
        vec!["keygen", "--type", "ed25519", "--alg", "RS256"],
        vec!["keygen", "--type", "rsa", "--curve", "P-256"],
    ] {
        jwtk().args(&args).assert().code(2).stdout("");
    }
}

#[test]
fn never_overwrites_without_force_and_force_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k");
    run_ok(&["keygen", "--type", "ec", "--out", s(&out)]);
    let before = (
        std::fs::read(&out).unwrap(),
        std::fs::read(dir.path().join("k.pub")).unwrap(),
    );
    jwtk()
        .args(["keygen", "--type", "ec", "--out", s(&out)])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            predicate::str::contains("refusing to overwrite")
                .and(predicate::str::contains("--force")),
        );
    assert_eq!(
        (
            std::fs::read(&out).unwrap(),
            std::fs::read(dir.path().join("k.pub")).unwrap()
        ),
        before
    );
    // Only the .pub exists: still nothing is written.
    let lone = dir.path().join("lone");
    std::fs::write(dir.path().join("lone.pub"), "keep me").unwrap();
    jwtk()
        .args(["keygen", "--type", "ed25519", "--out", s(&lone)])
        .assert()
        .code(3);
    assert!(!lone.exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lone.pub")).unwrap(),
        "keep me"
    );
    // --force replaces both, atomically, with the right modes.
    run_ok(&["keygen", "--type", "ec", "--out", s(&out), "--force"]);
    assert_ne!(std::fs::read(&out).unwrap(), before.0);
    assert_eq!(
        (mode(&out), mode(&dir.path().join("k.pub"))),
        (0o600, 0o644)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "no temporary files left"
    );
}

#[test]
fn a_planted_symlink_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("precious");
    std::fs::write(&target, "do not touch").unwrap();
    let link = dir.path().join("key");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    jwtk()
        .args(["keygen", "--type", "hmac", "--out", s(&link)])
        .assert()
        .code(3);
    run_ok(&["keygen", "--type", "hmac", "--out", s(&link), "--force"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "do not touch");
    assert!(
        !std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(mode(&link), 0o600);
}

#[test]
fn concurrent_add_to_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks");
    let children: Vec<_> = (0..8)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_jwtk"))
                .args([
                    "keygen",
                    if i % 2 == 0 { "--type" } else { "--alg" },
                    if i % 2 == 0 { "ed25519" } else { "HS256" },
                    "--add-to",
                    s(&set),
                ])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut kids: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success());
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
        .collect();
    let listed = run_ok(&["keyset", "list", s(&set)]);
    assert_eq!(listed.lines().count(), 8, "{listed}");
    let mut in_set: Vec<String> = listed
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    kids.sort();
    in_set.sort();
    assert_eq!(kids, in_set);
    assert_eq!(mode(&set), 0o600);
}

#[test]
fn a_corrupt_keyset_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("bad.jwks", "not json"),
        ("jwk.json", r#"{"kty":"oct","k":"c2VjcmV0"}"#),
        (
            "broken.jwks",
            r#"{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}"#,
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        jwtk()
            .args(["keygen", "--type", "ec", "--add-to", s(&path)])
            .assert()
            .code(3)
            .stdout("");
        jwtk()
            .args(["keyset", "retire", s(&path), "--kid", "x"])
            .assert()
            .code(3);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn keyset_list_public_retire() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks");
    run_ok(&[
        "keygen",
        "--type",
        "rsa",
        "--add-to",
        s(&set),
        "--kid",
        "rsa-1",
    ]);
    run_ok(&[
        "keygen",
        "--type",
        "hmac",
        "--add-to",
        s(&set),
        "--kid",
        "psk-1",
    ]);
    run_ok(&[
        "keygen",
        "--type",
        "ec",
        "--curve",
        "P-384",
        "--add-to",
        s(&set),
        "--kid",
        "ec-1",
    ]);
    let listed = run_ok(&["keyset", "list", s(&set)]);
    let lines: Vec<&str> = listed.lines().collect();
    assert!(
        lines[0].starts_with("rsa-1")
            && lines[0].contains("RSA 2048-bit")
            && lines[0].contains("RS256")
            && lines[0].ends_with("private")
    );
    assert!(
        lines[1].contains("HMAC 256-bit")
            && lines[2].contains("EC P-384")
            && lines[2].contains("ES384"),
        "{listed}"
    );
    let public: Value = serde_json::from_str(&run_ok(&["keyset", "public", s(&set)])).unwrap();
    let kids: Vec<&str> = public["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["rsa-1", "ec-1"], "HMAC keys are left out");
    for key in public["keys"].as_array().unwrap() {
        for private in ["d", "p", "q", "dp", "dq", "qi", "k"] {
            assert!(key.get(private).is_none(), "{private} leaked");
        }
    }
    let out = dir.path().join("public.jwks");
    run_ok(&["keyset", "public", s(&set), "--out", s(&out)]);
    assert_eq!(mode(&out), 0o644);
    jwtk()
        .args(["keyset", "public", s(&set), "--out", s(&out)])
        .assert()
        .code(3);
    run_ok(&["keyset", "public", s(&set), "--out", s(&out), "--force"]);
    let listed_public = run_ok(&["keyset", "list", s(&out)]);
    assert!(
        listed_public.lines().all(|l| l.ends_with("public")),
        "{listed_public}"
    );
    run_ok(&["keyset", "retire", s(&set), "--kid", "psk-1"]);
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "psk-1"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("rsa-1"));
    let after = run_ok(&["keyset", "list", s(&set)]);
    assert_eq!(
        after
            .lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect::<Vec<_>>(),
        ["rsa-1", "ec-1"]
    );
    jwtk()
        .args(["keyset", "list", "/nonexistent.jwks"])
        .assert()
        .code(3);
}

#[test]
fn a_whole_rotation_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("issuer.jwks");
    let public = dir.path().join("public.jwks");
    // 1. The first key; verifiers get the public set.
    let old = run_ok(&["keygen", "--type", "ec", "--add-to", s(&set)])
        .trim()
        .to_string();
    run_ok(&["keyset", "public", s(&set), "--out", s(&public)]);
    let old_token = run_ok(&["mint", "-k", s(&set), "--sub", "svc", "--exp", "+1h"])
        .trim()
        .to_string();
    assert_eq!(reason(&public, &old_token), "valid");
    // 2. The next key goes into the set; publish; verifiers accept both.
    let new = run_ok(&["keygen", "--type", "ec", "--add-to", s(&set)])
        .trim()
        .to_string();
    run_ok(&["keyset", "public", s(&set), "--out", s(&public), "--force"]);
    assert_eq!(reason(&public, &old_token), "valid");
    // 3. Minting switches to the new kid (the last key is the default).
    let new_token = run_ok(&["mint", "-k", s(&set), "--sub", "svc"])
        .trim()
        .to_string();
    let header = json_stdout(
        &jwtk()
            .args(["decode", "--json", &new_token])
            .output()
            .unwrap(),
    )["header"]
        .clone();
    assert_eq!(header["kid"], new.as_str());
    assert_eq!(reason(&public, &new_token), "valid");
    // 4. After the longest token lifetime, the old key is retired and published.
    run_ok(&["keyset", "retire", s(&set), "--kid", &old]);
    run_ok(&["keyset", "public", s(&set), "--out", s(&public), "--force"]);
    assert_eq!(reason(&public, &old_token), "no_matching_key");
    assert_eq!(reason(&public, &new_token), "valid");
}

#[test]
fn hmac_pre_shared_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let psk = dir.path().join("billing.jwks");
    let old = run_ok(&["keygen", "--type", "hmac", "--add-to", s(&psk)])
        .trim()
        .to_string();
    let old_token = run_ok(&["mint", "-k", s(&psk)]).trim().to_string();
    let new = run_ok(&["keygen", "--type", "hmac", "--add-to", s(&psk)])
        .trim()
        .to_string();
    assert_ne!(old, new);
    let new_token = run_ok(&["mint", "-k", s(&psk)]).trim().to_string();
    assert_eq!(
        (reason(&psk, &old_token), reason(&psk, &new_token)),
        ("valid".into(), "valid".into())
    );
    run_ok(&["keyset", "retire", s(&psk), "--kid", &old]);
    assert_eq!(
        (reason(&psk, &old_token), reason(&psk, &new_token)),
        ("no_matching_key".into(), "valid".into())
    );
}
