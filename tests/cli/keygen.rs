//! `jwtk keygen`: every type, size, curve and format; file modes; no overwrite without
//! --force, and --force replacing the pair as one step; concurrent --add-to; absurd sizes.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use super::{json_stdout, jwtk, reason, run_ok};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
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
        ("rsa-jwks", &["--type", "rsa", "--format", "jwks"], "RS256"),
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
#[ignore = "slow (an RSA-4096 generation takes 0.3-3 s): CI runs it with --ignored"]
fn rsa_4096_in_a_jwks() {
    let dir = tempfile::tempdir().unwrap();
    generate_mint_verify(
        dir.path(),
        "rsa4096",
        &["--type", "rsa", "--bits", "4096", "--format", "jwks"],
        "RS256",
    );
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
fn a_failed_force_leaves_the_old_pair() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k");
    run_ok(&["keygen", "--type", "ec", "--out", s(&out)]);
    let old = std::fs::read(&out).unwrap();
    // The .pub path becomes a directory: its replacement fails after the private key's.
    let public = dir.path().join("k.pub");
    std::fs::remove_file(&public).unwrap();
    std::fs::create_dir(&public).unwrap();
    jwtk()
        .args(["keygen", "--type", "ec", "--out", s(&out), "--force"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("k.pub"));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        old,
        "the old private key is back"
    );
    assert_eq!(mode(&out), 0o600);
    assert!(public.is_dir());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary or backup files left"
    );
    // A real old pair whose .pub cannot be replaced (immutable, where chattr works): both
    // old files stay.
    let pair = dir.path().join("pair");
    let pair_pub = dir.path().join("pair.pub");
    run_ok(&["keygen", "--type", "ed25519", "--out", s(&pair)]);
    let before = (
        std::fs::read(&pair).unwrap(),
        std::fs::read(&pair_pub).unwrap(),
    );
    let chattr = |flag: &str| {
        std::process::Command::new("chattr")
            .args([flag, s(&pair_pub)])
            .status()
            .is_ok_and(|st| st.success())
    };
    if chattr("+i") {
        let failed = jwtk()
            .args(["keygen", "--type", "ed25519", "--out", s(&pair), "--force"])
            .output()
            .unwrap();
        assert!(chattr("-i"));
        assert_eq!(failed.status.code(), Some(3));
        let after = (
            std::fs::read(&pair).unwrap(),
            std::fs::read(&pair_pub).unwrap(),
        );
        assert_eq!(after, before, "the old pair is whole");
    } else {
        eprintln!("chattr +i is not possible here: the immutable .pub case is skipped");
    }
    run_ok(&["keygen", "--type", "ed25519", "--out", s(&pair), "--force"]);
    let after = (
        std::fs::read(&pair).unwrap(),
        std::fs::read(&pair_pub).unwrap(),
    );
    assert!(
        after.0 != before.0 && after.1 != before.1,
        "a good --force replaces both"
    );
}

#[test]
fn absurd_sizes_are_usage_errors_and_the_largest_hmac_key_loads() {
    for bits in [
        "800000000000",
        "16777216",
        "4104",
        "99999999999999999999999",
        "-1",
    ] {
        jwtk()
            .args(["keygen", "--type", "hmac", "--bits", bits])
            .assert()
            .code(2)
            .stdout("");
    }
    jwtk()
        .args(["keygen", "--type", "rsa", "--bits", "800000000000"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().unwrap();
    let largest = dir.path().join("big.jwk");
    run_ok(&[
        "keygen",
        "--type",
        "hmac",
        "--bits",
        "4096",
        "--out",
        s(&largest),
    ]);
    let token = run_ok(&["mint", "-k", s(&largest)]);
    assert_eq!(reason(&largest, token.trim()), "valid");
}

/// `--add-to` puts a private key into the set and keeps the set's mode: a set its group or
/// others can read or write is warned about, as `mint` warns about such a key file; a 0600
/// set (and a new one, created 0600) is not.
#[test]
fn adding_to_a_keyset_others_can_reach_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks");
    let add = |set: &Path| {
        jwtk()
            .args(["keygen", "--type", "ed25519", "--add-to", s(set)])
            .output()
            .unwrap()
    };
    let out = add(&set);
    assert!(out.status.success());
    assert_eq!(super::stderr_after_pin(&out), "", "a new set is 0600");
    for (loose, says) in [
        (0o644, "mode is 0644: others can read it (chmod 600"),
        (0o620, "mode is 0620: others can write it (chmod 600"),
        (
            0o666,
            "mode is 0666: others can read and write it (chmod 600",
        ),
    ] {
        std::fs::set_permissions(&set, std::fs::Permissions::from_mode(loose)).unwrap();
        let out = add(&set);
        assert!(out.status.success(), "{out:?}");
        let stderr = super::stderr_after_pin(&out);
        assert!(
            stderr.contains("jwtk: warning: ") && stderr.contains(says),
            "{loose:o}: {stderr}"
        );
        assert!(stderr.contains(s(&set)), "names the set: {stderr}");
        assert_eq!(mode(&set), loose, "the mode is the user's to change");
        assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            1,
            "only the kid"
        );
    }
    // Through a symlink, the file the link points to is judged.
    let link = dir.path().join("link.jwks");
    std::os::unix::fs::symlink(&set, &link).unwrap();
    let stderr = super::stderr_after_pin(&add(&link));
    assert!(stderr.contains("others can read and write it"), "{stderr}");
    std::fs::set_permissions(&set, std::fs::Permissions::from_mode(0o600)).unwrap();
    let stderr = super::stderr_after_pin(&add(&link));
    assert!(
        !stderr.contains("warning") && stderr.contains("does not sign yet"),
        "0600: only the note about promoting: {stderr}"
    );
}

/// A write that fails names the path the user gave — never jwtk's temporary file
/// (`.jwtk-xST5yF`) or a keyset's lock file (`.lock`).
#[test]
fn write_errors_name_the_users_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir");
    for args in [
        vec!["keygen", "--type", "ec", "--out", "no-such-dir/issuer"],
        vec![
            "keygen",
            "--type",
            "ec",
            "--add-to",
            "no-such-dir/keys.jwks",
        ],
        vec!["keyset", "import", "no-such-dir/keys.jwks", "--key"],
    ] {
        let mut cmd = super::jwtk();
        cmd.current_dir(dir.path()).args(&args);
        if args[0] == "keyset" {
            cmd.arg(super::fixture("keys/ec-p256-sec1.pem"));
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}: {out:?}");
        let stderr = super::stderr_after_pin(&out);
        let error = stderr
            .lines()
            .find(|l| l.starts_with("jwtk: error: "))
            .unwrap();
        assert!(
            error.starts_with("jwtk: error: no-such-dir/"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains(".jwtk-") && !stderr.contains(".lock") && !stderr.contains("at path"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!missing.exists());
}
