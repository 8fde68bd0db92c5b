//! Making encrypted tokens and encryption keys: `mint --encrypt-to` (defaults by key type,
//! every recipient form, refusals, fresh randomness), `keygen --use enc` in every type and
//! format, `use` honoured both ways, `keyset public` of encryption keys, and the README's
//! nested-token walkthrough run line by line.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

use crate::{fixture, json_stdout, jwtk};

fn run(args: &[&str]) -> Output {
    jwtk().args(args).output().unwrap()
}

/// stdout of a command that must succeed.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

/// The exit code and stderr of a command that must fail.
fn fails(args: &[&str]) -> (i32, String) {
    let out = run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn jwk_fixture(name: &str) -> String {
    s(&fixture(&format!("jwe/jwcrypto/{name}.jwk"))).to_string()
}

/// An issuer key pair in `dir`: `iss` (private PEM) and `iss.pub`.
fn issuer(dir: &Path) -> PathBuf {
    let key = dir.join("iss");
    ok(&["keygen", "--type", "ec", "--out", s(&key)]);
    key
}

fn header(token: &str) -> Value {
    json_stdout(&run(&["decode", "--json", token]))["header"].clone()
}

/// Decrypt with `key`, then verify the inner token with the issuer's public key.
fn opens(token: &str, key: &str, iss: &Path) {
    let inner = ok(&["decrypt", "-k", key, token]);
    let public = format!("{}.pub", s(iss));
    ok(&["verify", "--quiet", "-k", &public, &inner]);
    ok(&[
        "verify",
        "--quiet",
        "-k",
        &public,
        "--decrypt-key",
        key,
        token,
    ]);
}

#[test]
fn defaults_follow_the_recipient_key_and_every_token_opens() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let cases = [
        ("rsa", "RSA-OAEP-256"),
        ("p256", "ECDH-ES+A256KW"),
        ("p521", "ECDH-ES+A256KW"),
        ("x25519", "ECDH-ES+A256KW"),
        ("oct16", "A128KW"),
        ("oct24", "A192KW"),
        ("oct32", "A256KW"),
    ];
    for (name, alg) in cases {
        let key = jwk_fixture(name);
        let token = ok(&[
            "mint",
            "-k",
            s(&iss),
            "--sub",
            "alice",
            "--encrypt-to",
            &key,
        ]);
        let h = header(&token);
        assert_eq!(h["alg"], alg, "{name}");
        assert_eq!((&h["enc"], &h["cty"]), (&json!("A256GCM"), &json!("JWT")));
        assert_eq!(h.get("epk").is_some(), alg.starts_with("ECDH"), "{name}");
        opens(&token, &key, &iss);
    }
    // PEM forms of the same recipients: the private PKCS#8 files jwcrypto wrote.
    for name in ["rsa", "p384", "x25519"] {
        let pem = s(&fixture(&format!("jwe/jwcrypto/{name}.pem"))).to_string();
        let token = ok(&["mint", "-k", s(&iss), "--encrypt-to", &pem]);
        opens(&token, &pem, &iss);
    }
}

#[test]
fn every_key_alg_and_enc_can_be_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let asks = [
        ("rsa", "RSA-OAEP", "A128CBC-HS256"),
        ("p384", "ECDH-ES", "A192GCM"),
        ("x25519", "ECDH-ES+A128KW", "A256CBC-HS512"),
        ("oct24", "A192GCMKW", "A192CBC-HS384"),
        ("oct64", "dir", "A256CBC-HS512"),
        ("oct16", "dir", "A128GCM"),
    ];
    for (name, alg, enc) in asks {
        let key = jwk_fixture(name);
        let token = ok(&[
            "mint",
            "-k",
            s(&iss),
            "--encrypt-to",
            &key,
            "--key-alg",
            alg,
            "--enc",
            enc,
        ]);
        let h = header(&token);
        assert_eq!(
            (h["alg"].as_str(), h["enc"].as_str()),
            (Some(alg), Some(enc))
        );
        assert_eq!(h.get("iv").is_some(), alg.ends_with("GCMKW"));
        opens(&token, &key, &iss);
    }
}

#[test]
fn tokens_never_repeat_a_key_iv_or_ephemeral_key() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let key = jwk_fixture("p256");
    let mint = || ok(&["mint", "-k", s(&iss), "--iat", "now", "--encrypt-to", &key]);
    let (a, b) = (mint(), mint());
    let (ha, hb) = (header(&a), header(&b));
    assert_ne!(ha["epk"], hb["epk"]);
    for (i, (x, y)) in a.split('.').zip(b.split('.')).enumerate().skip(1) {
        assert_ne!(x, y, "part {i}");
    }
}

#[test]
fn public_recipients_in_every_form_and_a_jwks_picks_its_encryption_key() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let d = |name: &str| dir.path().join(name);
    ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "rsa",
        "--out",
        s(&d("rsa")),
    ]);
    ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "x25519",
        "--format",
        "jwk",
        "--out",
        s(&d("x")),
    ]);
    for (public, private) in [("rsa.pub", "rsa"), ("x.pub", "x")] {
        let token = ok(&["mint", "-k", s(&iss), "--encrypt-to", s(&d(public))]);
        opens(&token, s(&d(private)), &iss);
    }
    // A set whose first key is for signatures: it is skipped, the encryption key serves.
    let set = d("service.jwks");
    ok(&["keygen", "--type", "ec", "--add-to", s(&set)]);
    let enc1 = ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "ec",
        "--add-to",
        s(&set),
    ]);
    let enc2 = ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "x25519",
        "--add-to",
        s(&set),
    ]);
    let public = d("public.jwks");
    ok(&["keyset", "public", s(&set), "--out", s(&public)]);
    let out = run(&["mint", "-k", s(&iss), "--encrypt-to", s(&public)]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("meant for signatures only"), "{stderr}");
    assert!(stderr.contains("encrypting to the first"), "{stderr}");
    let token = String::from_utf8(out.stdout).unwrap();
    assert_eq!(header(token.trim())["kid"], enc1.as_str());
    opens(token.trim(), s(&set), &iss);
    let token = ok(&[
        "mint",
        "-k",
        s(&iss),
        "--encrypt-to",
        s(&public),
        "--encrypt-kid",
        &enc2,
    ]);
    assert_eq!(header(&token)["kid"], enc2.as_str());
    assert_eq!(header(&token)["epk"]["crv"], "X25519");
    opens(&token, s(&set), &iss);
}

#[test]
fn keys_not_meant_for_encryption_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let write = |name: &str, body: Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, body.to_string()).unwrap();
        s(&path).to_string()
    };
    let mut p256: Value =
        serde_json::from_str(&std::fs::read_to_string(jwk_fixture("p256")).unwrap()).unwrap();
    p256["use"] = json!("sig");
    let sig = write("sig.jwk", p256.clone());
    let set = write("sig.jwks", json!({"keys": [p256]}));
    let mint = |extra: &[&str]| {
        let mut args = vec!["mint", "-k", s(&iss)];
        args.extend(extra);
        fails(&args)
    };
    let (code, err) = mint(&["--encrypt-to", &sig]);
    assert_eq!(code, 3);
    assert!(
        err.contains("\"use\": \"sig\"") && err.contains("hint: "),
        "{err}"
    );
    let (code, err) = mint(&["--encrypt-to", &set]);
    assert_eq!(code, 3);
    assert!(err.contains("meant for signatures only"), "{err}");
    let ed = s(&fixture("keys/ed25519-spki.pem")).to_string();
    assert_eq!(mint(&["--encrypt-to", &ed]).0, 3);
    let (code, err) = mint(&[
        "--encrypt-to",
        &jwk_fixture("p256"),
        "--key-alg",
        "RSA-OAEP",
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("cannot serve RSA-OAEP"), "{err}");
    let (code, err) = mint(&["--encrypt-to", &jwk_fixture("oct48")]);
    assert_eq!(code, 3);
    assert!(err.contains("48-byte") && err.contains("dir"), "{err}");
    let (code, err) = mint(&[
        "--encrypt-to",
        &jwk_fixture("oct32"),
        "--key-alg",
        "dir",
        "--enc",
        "A128GCM",
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("needs exactly 16 bytes"), "{err}");
    // Raw bytes are a shared key only when --key-alg says so.
    let raw = dir.path().join("raw.bin");
    std::fs::write(&raw, [0x42u8; 16]).unwrap();
    let (code, err) = mint(&["--encrypt-to", s(&raw)]);
    assert_eq!(code, 3);
    assert!(err.contains("--key-alg A256KW"), "{err}");
    let token = ok(&[
        "mint",
        "-k",
        s(&iss),
        "--encrypt-to",
        s(&raw),
        "--key-alg",
        "A128KW",
    ]);
    let inner = ok(&["decrypt", "-k", s(&raw), "--alg", "A128KW", &token]);
    assert_eq!(inner.split('.').count(), 3);
    // The flags of --encrypt-to need it.
    for flag in [
        ["--key-alg", "A128KW"],
        ["--enc", "A128GCM"],
        ["--encrypt-kid", "x"],
    ] {
        assert_eq!(mint(&flag).0, 2, "{flag:?}");
    }
}

#[test]
fn json_size_budgets_and_max_size_judge_the_encrypted_token() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let key = jwk_fixture("rsa");
    let doc = json_stdout(&run(&[
        "mint",
        "-k",
        s(&iss),
        "--sub",
        "alice",
        "--encrypt-to",
        &key,
        "--json",
    ]));
    assert_eq!(doc["claims"]["sub"], "alice");
    assert_eq!(doc["header"]["alg"], "ES256");
    assert_eq!(doc["encrypted_header"]["alg"], "RSA-OAEP-256");
    let token = doc["token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 5);
    let signed_len = ok(&["mint", "-k", s(&iss), "--sub", "alice"]).len();
    let limit = (signed_len + 100).to_string();
    ok(&[
        "mint",
        "-k",
        s(&iss),
        "--sub",
        "alice",
        "--max-size",
        &limit,
    ]);
    let (code, err) = fails(&[
        "mint",
        "-k",
        s(&iss),
        "--sub",
        "alice",
        "--encrypt-to",
        &key,
        "--max-size",
        &limit,
    ]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("over --max-size {limit}")), "{err}");
}

#[test]
fn keygen_makes_encryption_keys_in_every_type_and_format() {
    let dir = tempfile::tempdir().unwrap();
    let iss = issuer(dir.path());
    let types: [&[&str]; 5] = [
        &["--type", "rsa"],
        &["--type", "ec", "--curve", "P-384"],
        &["--type", "x25519"],
        &["--type", "ec", "--alg", "ECDH-ES+A128KW"],
        &["--alg", "RSA-OAEP"],
    ];
    for (i, flags) in types.iter().enumerate() {
        for format in ["pem", "jwk", "jwks"] {
            let out = dir.path().join(format!("k{i}-{format}"));
            let mut args = vec![
                "keygen",
                "--use",
                "enc",
                "--format",
                format,
                "--out",
                s(&out),
            ];
            args.extend(*flags);
            let kid = ok(&args);
            let private = std::fs::read_to_string(&out).unwrap();
            let public = std::fs::read_to_string(format!("{}.pub", s(&out))).unwrap();
            if format == "pem" {
                assert!(
                    private.starts_with("-----BEGIN PRIVATE KEY-----"),
                    "{private}"
                );
                assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"), "{public}");
            } else {
                let jwk: Value = serde_json::from_str(&public).unwrap();
                let jwk = if format == "jwks" {
                    &jwk["keys"][0]
                } else {
                    &jwk
                };
                assert_eq!((&jwk["use"], &jwk["kid"]), (&json!("enc"), &json!(kid)));
                assert!(jwk.get("d").is_none());
                let alg = flags
                    .iter()
                    .position(|f| *f == "--alg")
                    .map(|p| flags[p + 1]);
                assert_eq!(jwk["alg"].as_str(), alg, "alg only when given");
            }
            let pubfile = format!("{}.pub", s(&out));
            let token = ok(&["mint", "-k", s(&iss), "--encrypt-to", &pubfile]);
            opens(&token, s(&out), &iss);
        }
    }
    let oct = dir.path().join("oct.jwk");
    ok(&[
        "keygen",
        "--use",
        "enc",
        "--alg",
        "A192GCMKW",
        "--out",
        s(&oct),
    ]);
    let token = ok(&["mint", "-k", s(&iss), "--encrypt-to", s(&oct)]);
    assert_eq!(header(&token)["alg"], "A192GCMKW");
    opens(&token, s(&oct), &iss);
}

#[test]
fn keygen_refuses_what_does_not_fit_the_use() {
    let bad: [&[&str]; 7] = [
        &["--type", "x25519"],
        &["--use", "enc", "--type", "ed25519"],
        &["--use", "enc", "--type", "ec", "--alg", "ES256"],
        &["--use", "enc", "--type", "ec", "--alg", "RSA-OAEP"],
        &["--type", "rsa", "--alg", "RSA-OAEP-256"],
        &["--use", "enc", "--type", "x25519", "--curve", "P-256"],
        &["--use", "enc", "--type", "hmac", "--bits", "160"],
    ];
    for flags in bad {
        let mut args = vec!["keygen"];
        args.extend(flags);
        assert_eq!(fails(&args).0, 2, "{flags:?}");
    }
}

#[test]
fn use_is_honoured_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let enc = dir.path().join("enc.jwk");
    let sig = dir.path().join("sig.jwk");
    ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "ec",
        "--format",
        "jwk",
        "--out",
        s(&enc),
    ]);
    ok(&[
        "keygen",
        "--type",
        "ec",
        "--format",
        "jwk",
        "--out",
        s(&sig),
    ]);
    // Signing commands refuse an encryption key, private or public.
    let (code, err) = fails(&["mint", "-k", s(&enc)]);
    assert_eq!(code, 3);
    assert!(err.contains("\"use\": \"enc\""), "{err}");
    assert_eq!(
        fails(&[
            "dpop",
            "-k",
            s(&enc),
            "--htm",
            "GET",
            "--htu",
            "https://a.example/"
        ])
        .0,
        3
    );
    let token = ok(&["mint", "-k", s(&sig)]);
    let enc_pub = format!("{}.pub", s(&enc));
    // verify judges the token: no key given may verify it.
    let (code, err) = fails(&["verify", "-k", &enc_pub, &token]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("alg_not_allowed") && err.contains("\"use\": \"enc\""),
        "{err}"
    );
    // Decryption refuses a signing key, and a set of signing keys.
    let jwe = ok(&["mint", "-k", s(&sig), "--encrypt-to", &enc_pub]);
    let (code, err) = fails(&["decrypt", "-k", s(&sig), &jwe]);
    assert_eq!(code, 3);
    assert!(err.contains("\"use\": \"sig\""), "{err}");
    let set = dir.path().join("sig.jwks");
    ok(&["keygen", "--type", "ec", "--add-to", s(&set)]);
    assert_eq!(fails(&["decrypt", "-k", s(&set), &jwe]).0, 3);
    ok(&["decrypt", "-k", s(&enc), &jwe]);
}

#[test]
fn keyset_public_publishes_encryption_keys_for_encrypting() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("keys.jwks");
    let kid = ok(&[
        "keygen",
        "--use",
        "enc",
        "--type",
        "x25519",
        "--alg",
        "ECDH-ES",
        "--add-to",
        s(&set),
    ]);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&set).unwrap()).unwrap();
    let mut rsa: Value =
        serde_json::from_str(&std::fs::read_to_string(jwk_fixture("rsa")).unwrap()).unwrap();
    rsa["kid"] = json!("rsa-ops");
    rsa["key_ops"] = json!(["decrypt", "unwrapKey"]);
    doc["keys"].as_array_mut().unwrap().push(rsa);
    std::fs::write(&set, doc.to_string()).unwrap();
    let public: Value = serde_json::from_str(&ok(&["keyset", "public", s(&set)])).unwrap();
    let x = &public["keys"][0];
    assert_eq!(
        x,
        &json!({"kty": "OKP", "kid": kid, "use": "enc", "alg": "ECDH-ES", "crv": "X25519", "x": doc["keys"][0]["x"]})
    );
    assert_eq!(public["keys"][1]["key_ops"], json!(["encrypt", "wrapKey"]));
    assert!(public["keys"][1].get("d").is_none());
    let path = dir.path().join("public.jwks");
    std::fs::write(&path, public.to_string()).unwrap();
    let iss = issuer(dir.path());
    for pick in [kid.as_str(), "rsa-ops"] {
        let token = ok(&[
            "mint",
            "-k",
            s(&iss),
            "--encrypt-to",
            s(&path),
            "--encrypt-kid",
            pick,
        ]);
        opens(&token, s(&set), &iss);
    }
}

/// The first `sh` block after `heading` in the README.
fn readme_block(heading: &str) -> String {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let section = &readme[readme.find(heading).unwrap_or_else(|| panic!("{heading}"))..];
    let block = section.split("```sh\n").nth(1).unwrap();
    block.split("```").next().unwrap().to_string()
}

/// The README's nested-token walkthrough runs as written, in bash, with `jwtk` on the PATH;
/// each step's output is kept, and the last lines (decrypt, then verify) must say valid.
#[test]
fn the_readme_nested_token_walkthrough_runs() {
    let block = readme_block("#### A nested token, end to end");
    assert!(block.contains("--encrypt-to") && block.contains("--decrypt-key"));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_jwtk"), bin.join("jwtk")).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("set -euo pipefail\n{block}"))
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let valid = stdout
        .lines()
        .filter(|l| l.starts_with("valid: ES256"))
        .count();
    assert_eq!(valid, 2, "{stdout}\n{stderr}");
    assert!(stdout.contains("\"sub\": \"alice\""), "{stdout}");
}
