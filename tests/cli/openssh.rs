//! OpenSSH keys load as the keys they are ("Key input"): public key lines (`ssh-rsa`,
//! `ecdsa-sha2-*`, `ssh-ed25519`) and the `OPENSSH PRIVATE KEY` format; an encrypted one is
//! exit 3 with a hint saying how to remove its passphrase. Keys come from ssh-keygen at test
//! time when it is installed, and from `tests/fixtures/openssh/` (made by its `make.sh`).

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{fixture, json_stdout, jwtk, stderr_after_pin};

/// Mint with the private key, verify with the public line; return verify's JSON.
fn round_trip(private: &Path) -> serde_json::Value {
    let out = jwtk()
        .args(["mint", "--sub", "u", "-k"])
        .arg(private)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mint -k {}: {}",
        private.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let public = PathBuf::from(format!("{}.pub", private.display()));
    let out = jwtk()
        .args(["verify", "--json", "-k"])
        .arg(&public)
        .arg(&token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}: {out:?}", public.display());
    json_stdout(&out)
}

#[test]
fn openssh_fixture_keys_sign_and_verify() {
    for (name, alg) in [
        ("id_ed25519", "EdDSA"),
        ("id_ecdsa384", "ES384"),
        ("id_rsa", "RS256"),
    ] {
        let doc = round_trip(&fixture(&format!("openssh/{name}")));
        assert_eq!(doc["valid"], true, "{name}");
        assert_eq!(doc["alg"], alg, "{name}");
    }
}

/// The key types ssh-keygen makes, fresh: each private key signs, its `.pub` line verifies.
#[test]
fn keys_made_by_ssh_keygen_load_as_the_keys_they_are() {
    if Command::new("ssh-keygen").arg("-?").output().is_err() {
        eprintln!("ssh-keygen is not installed: the committed fixtures stand in");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kinds: [(&[&str], &str); 5] = [
        (&["-t", "ed25519"], "EdDSA"),
        (&["-t", "ecdsa", "-b", "256"], "ES256"),
        (&["-t", "ecdsa", "-b", "384"], "ES384"),
        (&["-t", "ecdsa", "-b", "521"], "ES512"),
        (&["-t", "rsa", "-b", "2048"], "RS256"),
    ];
    for (i, (kind, alg)) in kinds.iter().enumerate() {
        let key = dir.path().join(format!("k{i}"));
        let made = Command::new("ssh-keygen")
            .args(["-q", "-N", "", "-C", "me@host", "-f"])
            .arg(&key)
            .args(*kind)
            .status()
            .unwrap();
        assert!(made.success(), "ssh-keygen {kind:?}");
        let doc = round_trip(&key);
        assert_eq!(doc["alg"], *alg, "{kind:?}");
        // The thumbprint mint wrote as kid is the public line's (RFC 7638).
        assert_eq!(
            doc["key"]["thumbprint"], doc["header"]["kid"],
            "{kind:?}: {doc}"
        );
        assert!(doc["key"]["source"].as_str().unwrap().ends_with(".pub"));
    }
    // A passphrase: exit 3, saying so and how to remove it.
    let key = dir.path().join("protected");
    Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "secret", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert_encrypted_is_refused(&key);
}

#[test]
fn an_encrypted_openssh_key_is_refused_with_the_way_out() {
    assert_encrypted_is_refused(&fixture("openssh/encrypted_ed25519"));
}

fn assert_encrypted_is_refused(key: &Path) {
    let out = jwtk().args(["mint", "-k"]).arg(key).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let stderr = stderr_after_pin(&out);
    assert!(stderr.contains("is encrypted"), "{stderr}");
    assert!(
        stderr.contains("hint: ") && stderr.contains("ssh-keygen -p -N ''"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn an_authorized_keys_line_with_options_loads_and_two_keys_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let line = std::fs::read_to_string(fixture("openssh/id_ed25519.pub")).unwrap();
    let with_options = dir.path().join("one.pub");
    std::fs::write(
        &with_options,
        format!("# deploy key\nfrom=\"10.0.0.1\",no-pty {line}"),
    )
    .unwrap();
    let token = jwtk()
        .args(["mint", "--sub", "u", "-k"])
        .arg(fixture("openssh/id_ed25519"))
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap();
    let out = jwtk()
        .args(["verify", "-k"])
        .arg(&with_options)
        .arg(token.trim())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let two = dir.path().join("authorized_keys");
    let other = std::fs::read_to_string(fixture("openssh/id_rsa.pub")).unwrap();
    std::fs::write(&two, format!("{line}{other}")).unwrap();
    let out = jwtk()
        .args(["verify", "-k"])
        .arg(&two)
        .arg(token.trim())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(stderr_after_pin(&out).contains("2 OpenSSH public keys"));
}
