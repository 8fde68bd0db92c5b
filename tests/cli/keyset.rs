//! `jwtk keyset` and key rotation: the first key signs, `--add-to`/`import` append, `promote`
//! switches; `list`, `public`, `retire` rules; edits through symlinks keep mode, owner and
//! group; sets with keys jwtk cannot use stay editable; the README's rotation walkthroughs
//! run line by line against a verifier holding the published set.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::{Value, json};

use super::{fixture, json_stdout, jwtk, reason, run_ok};

/// `keygen --type TYPE --add-to SET --kid KID`.
fn add(set: &Path, key_type: &str, kid: &str) {
    run_ok(&[
        "keygen",
        "--type",
        key_type,
        "--add-to",
        s(set),
        "--kid",
        kid,
    ]);
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn write(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

/// An RFC example key (`key.jwk.json` or `key.public.jwk.json` of `rfc`) with `members`
/// set over it.
fn rfc_key(rfc: &str, file: &str, members: Value) -> Value {
    let mut key = read(&fixture(&format!("rfc/{rfc}/{file}")));
    for (name, value) in members.as_object().unwrap() {
        key[name] = value.clone();
    }
    key
}

fn kids(path: &Path) -> Vec<String> {
    read(path)["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap_or("-").to_string())
        .collect()
}

fn listed(path: &Path) -> Value {
    serde_json::from_str(&run_ok(&["keyset", "list", s(path), "--json"])).unwrap()
}

/// The kid in the header of a token `mint -k set` makes (no --kid).
fn minted_kid(set: &Path) -> String {
    let token = run_ok(&["mint", "-k", s(set), "--sub", "svc"]);
    let doc = json_stdout(&jwtk().args(["decode", "--json", &token]).output().unwrap());
    doc["header"]["kid"].as_str().unwrap().to_string()
}

#[test]
fn the_first_key_signs_new_keys_wait_for_promote() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("issuer.jwks");
    let first = run_ok(&["keygen", "--type", "ec", "--add-to", s(&set)]);
    // The first key of an empty set signs at once, with no note.
    jwtk()
        .args([
            "keygen",
            "--type",
            "ed25519",
            "--add-to",
            s(&set),
            "--kid",
            "next",
        ])
        .assert()
        .success()
        .stdout("next\n")
        .stderr(
            predicate::str::contains("does not sign yet").and(predicate::str::contains(format!(
                "jwtk keyset promote {} --kid next",
                s(&set)
            ))),
        );
    assert_eq!(minted_kid(&set), first);
    assert_eq!(
        listed(&set),
        json!([
            {"kid": first, "kty": "EC", "alg": "ES256", "use": "sig", "private": true, "signing": true},
            {"kid": "next", "kty": "OKP", "alg": "EdDSA", "use": "sig", "private": true, "signing": false},
        ])
    );
    let human = run_ok(&["keyset", "list", s(&set)]);
    let lines: Vec<&str> = human.lines().collect();
    assert!(
        lines[0].starts_with(&first) && lines[0].ends_with("private  signs"),
        "{human}"
    );
    assert!(
        lines[1].starts_with("next") && lines[1].ends_with("private"),
        "{human}"
    );

    run_ok(&["keyset", "promote", s(&set), "--kid", "next"]);
    assert_eq!(kids(&set), ["next", first.as_str()]);
    assert_eq!(minted_kid(&set), "next");
    jwtk()
        .args(["keyset", "promote", s(&set), "--kid", "next"])
        .assert()
        .success()
        .stderr(predicate::str::contains("already signs"));
    jwtk()
        .args(["keyset", "promote", s(&set), "--kid", "nope"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(first.as_str()));
}

/// Keys that cannot sign, each with its kid and a word of why: a public key, one for
/// encryption, one whose key_ops allow only verify, one jwtk cannot use (secp256k1).
fn keys_that_cannot_sign() -> Vec<(Value, &'static str, &'static str)> {
    vec![
        (
            rfc_key(
                "rfc7515-A.2-RS256",
                "key.public.jwk.json",
                json!({"kid": "pub"}),
            ),
            "pub",
            "public key",
        ),
        (
            rfc_key(
                "rfc8037-A.4-EdDSA",
                "key.jwk.json",
                json!({"kid": "enc", "use": "enc"}),
            ),
            "enc",
            "\"enc\"",
        ),
        (
            rfc_key(
                "rfc7515-A.4-ES512",
                "key.jwk.json",
                json!({"kid": "ops", "key_ops": ["verify"]}),
            ),
            "ops",
            "key_ops",
        ),
        (
            json!({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA", "d": "AA", "kid": "k1"}),
            "k1",
            "secp256k1",
        ),
    ]
}

#[test]
fn promote_refuses_a_key_that_cannot_sign() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jwks");
    let signer = rfc_key(
        "rfc7515-A.3-ES256",
        "key.jwk.json",
        json!({"kid": "signer"}),
    );
    let cases = keys_that_cannot_sign();
    let mut keys = vec![signer];
    keys.extend(cases.iter().map(|(key, ..)| key.clone()));
    write(&set, &json!({ "keys": keys }));
    let before = std::fs::read(&set).unwrap();
    for (_, kid, why) in cases {
        jwtk()
            .args(["keyset", "promote", s(&set), "--kid", kid])
            .assert()
            .code(3)
            .stderr(
                predicate::str::contains("cannot be the signing key")
                    .and(predicate::str::contains(why)),
            );
    }
    assert_eq!(std::fs::read(&set).unwrap(), before, "nothing rewritten");
}

#[test]
fn mint_never_falls_through_past_a_first_key_that_cannot_sign() {
    let dir = tempfile::tempdir().unwrap();
    let good = read(&fixture("rfc/rfc7515-A.3-ES256/key.jwk.json"));
    for (first, named, _) in keys_that_cannot_sign() {
        let set = dir.path().join(format!("{named}.jwks"));
        write(&set, &json!({"keys": [first, good]}));
        jwtk()
            .args(["mint", "-k", s(&set), "--sub", "x"])
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains(named));
        // Through JWTK_KEY as well.
        jwtk()
            .env("JWTK_KEY", std::fs::read_to_string(&set).unwrap())
            .args(["mint", "--sub", "x"])
            .assert()
            .code(3)
            .stdout("")
            .stderr(predicate::str::contains(named));
    }
}

#[test]
fn list_flags_duplicates_and_keys_jwtk_cannot_use_which_stay_editable() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("odd.jwks");
    let ok = read(&fixture("rfc/rfc7515-A.3-ES256/key.jwk.json"));
    let twin_a = rfc_key("rfc7515-A.4-ES512", "key.jwk.json", json!({"kid": "twin"}));
    let twin_b = rfc_key("rfc8037-A.4-EdDSA", "key.jwk.json", json!({"kid": "twin"}));
    let weird =
        json!({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA", "kid": "k256", "zz": [1]});
    let unknown = json!({"kty": "XYZ", "kid": "future"});
    write(
        &set,
        &json!({"keys": [ok, twin_a, weird, twin_b, unknown], "issuer": "me"}),
    );
    let out = jwtk().args(["keyset", "list", s(&set)]).output().unwrap();
    assert!(out.status.success());
    let human = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(lines.len(), 5, "{human}");
    assert!(
        lines[1].ends_with("duplicate-kid") && lines[3].ends_with("duplicate-kid"),
        "{human}"
    );
    assert!(
        lines[2].contains("EC secp256k1") && lines[2].ends_with("unusable"),
        "{human}"
    );
    assert!(
        lines[4].contains("XYZ") && lines[4].ends_with("unusable"),
        "{human}"
    );
    assert!(
        stderr.contains("secp256k1") && stderr.contains("XYZ"),
        "{stderr}"
    );
    let json = listed(&set);
    assert_eq!(
        json[2],
        json!({"kid": "k256", "kty": "EC", "alg": null, "use": null, "private": false, "signing": false})
    );

    // A duplicated kid is never guessed at.
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "twin"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("key #2").and(predicate::str::contains("key #4")));
    // The keys jwtk cannot use can be retired, and keys added beside them; the rest is kept
    // exactly as written.
    run_ok(&["keyset", "retire", s(&set), "--kid", "k256"]);
    run_ok(&["keyset", "retire", s(&set), "--kid", "future"]);
    add(&set, "ec", "fresh");
    let after = read(&set);
    assert_eq!(after["issuer"], "me");
    assert_eq!(kids(&set), ["-", "twin", "twin", "fresh"]);
    assert_eq!(
        after["keys"][0],
        read(&fixture("rfc/rfc7515-A.3-ES256/key.jwk.json"))
    );
    // Not a JWKS at all: refused and left untouched.
    for (name, text) in [
        ("bad.jwks", "not json"),
        ("jwk.json", r#"{"kty":"oct","k":"c2VjcmV0"}"#),
        ("items.jwks", r#"{"keys":[1]}"#),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        for args in [
            vec!["keygen", "--type", "ec", "--add-to", s(&path)],
            vec!["keyset", "retire", s(&path), "--kid", "x"],
            vec!["keyset", "list", s(&path)],
        ] {
            jwtk().args(&args).assert().code(3).stdout("");
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}

#[test]
fn public_holds_exactly_the_public_members() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jwks");
    let rsa = rfc_key(
        "rfc7515-A.2-RS256",
        "key.jwk.json",
        json!({"kid": "rsa", "key_ops": ["sign"], "oth": [{"r": "AA", "d": "AA", "t": "AA"}], "x-private-hint": "do not publish", "x5t#S256": "abc", "x5c": ["MIIB"]}),
    );
    let ec = rfc_key(
        "rfc7515-A.3-ES256",
        "key.jwk.json",
        json!({"kid": "ec", "k": "c3RyYXk", "use": "sig"}),
    );
    let ed = rfc_key(
        "rfc8037-A.4-EdDSA",
        "key.jwk.json",
        json!({"kid": "ed", "key_ops": ["sign", "verify"]}),
    );
    let oct = read(&fixture("rfc/rfc7515-A.1-HS256/key.jwk.json"));
    write(
        &set,
        &json!({"keys": [rsa, oct, ec, ed], "x-set-secret": "s", "issuer": "me"}),
    );
    let out = jwtk().args(["keyset", "public", s(&set)]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HMAC secret has no public half"));
    let public: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        public.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["keys"]
    );
    let names = |k: &Value| {
        let mut n: Vec<String> = k.as_object().unwrap().keys().cloned().collect();
        n.sort();
        n
    };
    let keys = public["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 3, "the HMAC key is left out");
    assert_eq!(
        names(&keys[0]),
        ["e", "key_ops", "kid", "kty", "n", "x5c", "x5t#S256"]
    );
    assert_eq!(keys[0]["key_ops"], json!(["verify"]));
    assert_eq!(names(&keys[1]), ["crv", "kid", "kty", "use", "x", "y"]);
    assert_eq!(
        names(&keys[2]),
        ["crv", "key_ops", "kid", "kty", "use", "x"]
    );
    assert_eq!(keys[2]["key_ops"], json!(["verify"]));
    for (key, rfc) in keys.iter().zip([
        "rfc7515-A.2-RS256",
        "rfc7515-A.3-ES256",
        "rfc8037-A.4-EdDSA",
    ]) {
        let expected = read(&fixture(&format!("rfc/{rfc}/key.public.jwk.json")));
        for (member, value) in expected.as_object().unwrap() {
            assert_eq!(&key[member], value, "{rfc} {member}");
        }
    }
    // The published set verifies what the private set signs, here and in jsonwebtoken.
    let published = dir.path().join("public.jwks");
    run_ok(&["keyset", "public", s(&set), "--out", s(&published)]);
    assert_eq!(std::fs::metadata(&published).unwrap().mode() & 0o777, 0o644);
    for kid in ["rsa", "ec", "ed"] {
        let token = run_ok(&["mint", "-k", s(&set), "--kid", kid, "--sub", "svc"]);
        assert_eq!(reason(&published, &token), "valid", "{kid}");
        let jwks: jsonwebtoken::jwk::JwkSet =
            serde_json::from_slice(&std::fs::read(&published).unwrap()).unwrap();
        let jwk = jwks.find(kid).unwrap();
        let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        let mut validation = jsonwebtoken::Validation::new(header.alg);
        validation.validate_exp = false;
        jsonwebtoken::decode::<Value>(&token, &key, &validation)
            .unwrap_or_else(|e| panic!("jsonwebtoken rejects {kid}: {e}"));
    }
}

#[test]
fn nothing_public_is_exit_3_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let psk = dir.path().join("psk.jwks");
    run_ok(&["keygen", "--type", "hmac", "--add-to", s(&psk)]);
    let out = dir.path().join("public.jwks");
    jwtk()
        .args(["keyset", "public", s(&psk)])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains("no public key to publish"));
    jwtk()
        .args(["keyset", "public", s(&psk), "--out", s(&out)])
        .assert()
        .code(3);
    assert!(!out.exists());
    std::fs::write(&out, "the good published set").unwrap();
    jwtk()
        .args(["keyset", "public", s(&psk), "--out", s(&out), "--force"])
        .assert()
        .code(3);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the good published set"
    );
}

#[test]
fn retire_rules() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jwks");
    for kid in ["a", "b", "c"] {
        add(&set, "ed25519", kid);
    }
    let before = read(&set);
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "a"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("signing key").and(predicate::str::contains("promote")));
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "zz"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("\"a\", \"b\", \"c\""));
    assert_eq!(read(&set), before);
    run_ok(&["keyset", "retire", s(&set), "--kid", "b"]);
    assert_eq!(
        read(&set)["keys"],
        json!([before["keys"][0], before["keys"][2]]),
        "the others untouched"
    );
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "a", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("the next key"));
    assert_eq!(minted_kid(&set), "c");
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "c"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("last key"));
    jwtk()
        .args(["keyset", "retire", s(&set), "--kid", "c", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("no keys"));
    assert_eq!(read(&set)["keys"], json!([]));
    jwtk()
        .args(["keyset", "retire", "/nonexistent.jwks", "--kid", "a"])
        .assert()
        .code(3);
}

#[test]
fn add_and_import_refuse_a_present_kid_and_private_keys_into_a_public_set() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jwks");
    add(&set, "ec", "one");
    jwtk()
        .args([
            "keygen",
            "--type",
            "ec",
            "--add-to",
            s(&set),
            "--kid",
            "one",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "already has a key with kid \"one\"",
        ));
    jwtk()
        .args([
            "keyset",
            "import",
            s(&set),
            "--key",
            s(&fixture("keys/ed25519-pkcs8.pem")),
            "--kid",
            "one",
        ])
        .assert()
        .code(3);
    assert_eq!(kids(&set), ["one"]);
    let public = dir.path().join("public.jwks");
    run_ok(&["keyset", "public", s(&set), "--out", s(&public)]);
    let published = std::fs::read(&public).unwrap();
    jwtk()
        .args(["keygen", "--type", "ec", "--add-to", s(&public)])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("only public keys"));
    jwtk()
        .args([
            "keyset",
            "import",
            s(&public),
            "--key",
            s(&fixture("keys/ed25519-pkcs8.pem")),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("only public keys"));
    assert_eq!(std::fs::read(&public).unwrap(), published);
    // A public key may join a public set.
    run_ok(&[
        "keyset",
        "import",
        s(&public),
        "--key",
        s(&fixture("keys/ed25519-spki.pem")),
    ]);
    assert_eq!(kids(&public).len(), 2);
}

/// RFC 7515 and RFC 8037 keys, as PKCS#8 PEM, come out as the RFCs' own JWKs.
#[test]
fn import_turns_any_key_file_into_the_rfc_jwk() {
    let dir = tempfile::tempdir().unwrap();
    for rfc in [
        "rfc7515-A.2-RS256",
        "rfc7515-A.3-ES256",
        "rfc7515-A.4-ES512",
        "rfc8037-A.4-EdDSA",
    ] {
        let set = dir.path().join(format!("{rfc}.jwks"));
        let kid = run_ok(&[
            "keyset",
            "import",
            s(&set),
            "--key",
            s(&fixture(&format!("rfc/{rfc}/key.private.pkcs8.pem"))),
        ]);
        let expected = read(&fixture(&format!("rfc/{rfc}/key.jwk.json")));
        let stored = read(&set)["keys"][0].clone();
        for (member, value) in expected.as_object().unwrap() {
            // PEM carries none of the JWK's parameters, only the key.
            if !["kid", "alg", "use"].contains(&member.as_str()) {
                assert_eq!(&stored[member], value, "{rfc} {member}");
            }
        }
        let theirs: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(read(&fixture(&format!("rfc/{rfc}/key.public.jwk.json"))))
                .unwrap();
        assert_eq!(
            kid,
            theirs
                .thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
                .unwrap(),
            "{rfc}: the kid is the RFC 7638 thumbprint"
        );
        if rfc.starts_with("rfc8037") {
            assert_eq!(
                kid, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
                "RFC 8037 A.3"
            );
        }
        // The imported key signs what the RFC's public key verifies.
        let token = run_ok(&["mint", "-k", s(&set), "--sub", "svc"]);
        let public = fixture(&format!("rfc/{rfc}/key.public.pem"));
        assert_eq!(reason(&public, &token), "valid", "{rfc}");
    }
    // A JWK keeps its own kid; a secret gets a random one and its exact bytes.
    let set = dir.path().join("mixed.jwks");
    assert_eq!(
        run_ok(&[
            "keyset",
            "import",
            s(&set),
            "--key",
            s(&fixture("rfc/rfc7520-4.1-RS256/key.jwk.json"))
        ]),
        "bilbo.baggins@hobbiton.example"
    );
    let secret_kid = run_ok(&[
        "keyset",
        "import",
        s(&set),
        "--key",
        s(&fixture("rfc/rfc7515-A.1-HS256/key.secret.bin")),
    ]);
    assert_eq!(
        secret_kid.len(),
        22,
        "a random id, not a hash of the secret"
    );
    assert_eq!(
        read(&set)["keys"][1]["k"],
        read(&fixture("rfc/rfc7515-A.1-HS256/key.jwk.json"))["k"]
    );
    // Several keys at once: refused.
    jwtk()
        .args([
            "keyset",
            "import",
            s(&set),
            "--key",
            s(&fixture("keys/keyset.jwks")),
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("one at a time"));
    jwtk()
        .args(["keyset", "import", s(&set), "--key", "/nonexistent"])
        .assert()
        .code(3);
    assert_eq!(kids(&set).len(), 2);
}

#[test]
fn edits_through_a_symlink_change_the_target_and_keep_mode_owner_group() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("etc-issuer");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("issuer.jwks");
    let link = dir.path().join("issuer.jwks");
    add(&real, "ec", "one");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // A group the service reads through: as root a real other group, else our own.
    let me = std::fs::metadata("/proc/self").unwrap();
    let (uid, gid) = (me.uid(), me.gid());
    let group = if uid == 0 { 4 } else { gid };
    std::os::unix::fs::chown(&real, None, Some(group)).unwrap();
    let check = |step: &str| {
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "{step}: the link is still a link"
        );
        let target = std::fs::metadata(&real).unwrap();
        assert_eq!(target.mode() & 0o7777, 0o640, "{step}: mode kept");
        assert_eq!(
            (target.uid(), target.gid()),
            (uid, group),
            "{step}: owner and group kept"
        );
        assert!(
            real_dir.join("issuer.jwks.lock").exists(),
            "{step}: locked at the target"
        );
        assert!(
            !dir.path().join("issuer.jwks.lock").exists(),
            "{step}: not at the link"
        );
    };
    add(&link, "ec", "two");
    check("add-to");
    run_ok(&[
        "keyset",
        "import",
        s(&link),
        "--key",
        s(&fixture("keys/ed25519-pkcs8.pem")),
        "--kid",
        "three",
    ]);
    check("import");
    run_ok(&["keyset", "promote", s(&link), "--kid", "two"]);
    check("promote");
    run_ok(&["keyset", "retire", s(&link), "--kid", "one"]);
    check("retire");
    assert_eq!(kids(&real), ["two", "three"]);
    assert_eq!(
        std::fs::read_dir(&real_dir).unwrap().count(),
        2,
        "the set and its lock, no temporary files"
    );
    // A link to a link works too; a dangling link is refused, never created through.
    let chain = dir.path().join("chain.jwks");
    std::os::unix::fs::symlink(&link, &chain).unwrap();
    run_ok(&["keyset", "retire", s(&chain), "--kid", "three"]);
    assert_eq!(kids(&real), ["two"]);
    let dangling = dir.path().join("dangling.jwks");
    std::os::unix::fs::symlink(dir.path().join("missing.jwks"), &dangling).unwrap();
    jwtk()
        .args(["keygen", "--type", "ec", "--add-to", s(&dangling)])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("does not exist"));
    assert!(!dir.path().join("missing.jwks").exists());
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

/// Run a walkthrough line by line in bash; after each line a service mints with the set
/// (never passing --kid) and a verifier holding `verifier` checks that token and the one
/// minted at the step before. The transcript, or where it broke.
fn walk(block: &str, set: &str, verifier: &str) -> Result<String, String> {
    let steps: Vec<&str> = block
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(steps.len() >= 8, "{block}");
    for step in &steps {
        assert!(
            !(step.contains("mint") && step.contains("--kid")),
            "{step}: mint names a kid"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_jwtk"), bin.join("jwtk")).unwrap();
    let mut script = format!(
        r#"set -euo pipefail
SET={set} VERIFIER={verifier} previous=
check() {{
  if [ ! -e "$VERIFIER" ]; then echo "$1  (nothing published yet)" >> transcript; return; fi
  token=$(jwtk mint --key "$SET" --sub svc-billing 2>/dev/null)
  kid=$(jwtk decode --json "$token" 2>/dev/null | jq -r .header.kid)
  held=$(jwtk keyset list "$VERIFIER" --json 2>/dev/null | jq -r '[.[].kid[0:8]] | join(",")')
  jwtk verify --quiet --key "$VERIFIER" "$token" 2>/dev/null || {{ echo "BROKEN at: $1 (new token)"; exit 9; }}
  if [ -n "$previous" ] && [ "$2" = keep ]; then
    jwtk verify --quiet --key "$VERIFIER" "$previous" 2>/dev/null || {{ echo "BROKEN at: $1 (earlier token)"; exit 9; }}
  fi
  echo "$1  -> mint signs with ${{kid:0:8}}; verifier holds [$held]: valid" >> transcript
  previous=$token
}}
"#
    );
    for step in &steps {
        // Retiring is the step after the longest token lifetime: earlier tokens have expired.
        let keep = if step.contains("retire") {
            "expired"
        } else {
            "keep"
        };
        script.push_str(&format!(
            "{step}\ncheck '{}' {keep}\n",
            step.replace('\'', "'\\''")
        ));
    }
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env_clear()
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
        )
        .env("JWTK_NOW", super::NOW.to_string())
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let transcript = std::fs::read_to_string(dir.path().join("transcript")).unwrap();
    assert_eq!(transcript.lines().count(), steps.len());
    Ok(transcript)
}

fn run_walkthrough(heading: &str, set: &str, verifier: &str) -> String {
    walk(&readme_block(heading), set, verifier).unwrap_or_else(|broken| panic!("{broken}"))
}

/// The check can fail: promoting before publishing (what 0.1's "the last key signs" did at
/// --add-to) breaks the verifier at once.
#[test]
fn the_rotation_check_catches_a_signer_that_is_not_published() {
    let block = readme_block("#### Rotating a service's signing key");
    let promote = "jwtk keyset promote issuer.jwks --kid \"$NEW\"\n";
    let early = block.replace(promote, "").replace(
        "NEW=$(jwtk keygen --type ec --add-to issuer.jwks)\n",
        &format!("NEW=$(jwtk keygen --type ec --add-to issuer.jwks)\n{promote}"),
    );
    assert_ne!(early, block);
    let broken = walk(&early, "issuer.jwks", "public.jwks").unwrap_err();
    assert!(
        broken.contains("BROKEN at: jwtk keyset promote"),
        "{broken}"
    );
}

#[test]
fn the_readme_rotation_never_leaves_a_token_unverifiable() {
    let transcript = run_walkthrough(
        "#### Rotating a service's signing key",
        "issuer.jwks",
        "public.jwks",
    );
    println!("{transcript}");
    let signers: Vec<&str> = transcript
        .lines()
        .filter_map(|l| l.split("mint signs with ").nth(1))
        .map(|rest| &rest[..8])
        .collect();
    let mut distinct = signers.clone();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        2,
        "the signer changed exactly once: {transcript}"
    );
}

#[test]
fn the_readme_psk_rotation_never_leaves_a_token_unverifiable() {
    let transcript = run_walkthrough(
        "#### Rotating an HMAC pre-shared key",
        "billing-psk.jwks",
        "service-psk.jwks",
    );
    println!("{transcript}");
    assert!(
        transcript
            .lines()
            .filter(|l| l.ends_with(": valid"))
            .count()
            >= 7,
        "{transcript}"
    );
}

#[test]
fn a_0_1_keyset_upgrades_with_one_promote() {
    // jwtk 0.1 appended keys and signed with the last one.
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("issuer.jwks");
    add(&set, "ec", "2025");
    add(&set, "ec", "2026");
    assert_eq!(
        minted_kid(&set),
        "2025",
        "order is kept: the first key signs"
    );
    run_ok(&["keyset", "promote", s(&set), "--kid", "2026"]);
    assert_eq!(minted_kid(&set), "2026");
    assert_eq!(kids(&set), ["2026", "2025"]);
}

#[test]
fn an_operator_on_a_pem_key_starts_rotating_by_importing_it() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("issuer.pem");
    run_ok(&["keygen", "--type", "ec", "--out", s(&pem)]);
    let set = dir.path().join("issuer.jwks");
    let kid = run_ok(&["keyset", "import", s(&set), "--key", s(&pem)]);
    assert_eq!(std::fs::metadata(&set).unwrap().mode() & 0o777, 0o600);
    let token = run_ok(&["mint", "-k", s(&set), "--sub", "svc"]);
    // Verifiers that hold the old .pub still accept what the set mints.
    assert_eq!(reason(&dir.path().join("issuer.pem.pub"), &token), "valid");
    assert_eq!(minted_kid(&set), kid);
}

/// Kids are any string: a random or thumbprint kid that starts with `-` (1 in 64 of them)
/// is a value of `--kid`, never taken for a flag.
#[test]
fn a_kid_starting_with_a_dash_is_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set.jwks");
    let set = set.to_str().unwrap();
    for kid in ["-old", "-new"] {
        run_ok(&["keygen", "--type", "hmac", "--kid", kid, "--add-to", set]);
    }
    let token = run_ok(&["mint", "--key", set, "--kid", "-new", "--sub", "-42"]);
    let doc = json_stdout(&jwtk().args(["decode", "--json", &token]).output().unwrap());
    assert_eq!(doc["header"]["kid"], "-new");
    assert_eq!(
        doc["claims"]["sub"], "-42",
        "claim values may start with '-' too"
    );
    run_ok(&["keyset", "promote", set, "--kid", "-new"]);
    run_ok(&["keyset", "retire", set, "--kid", "-old"]);
    let listed = run_ok(&["keyset", "list", set, "--json"]);
    assert!(
        listed.contains("\"-new\"") && !listed.contains("\"-old\""),
        "{listed}"
    );
}

/// `keyset import` of a public key publishes it; it never signs, so nothing suggests
/// promoting it. A private key added behind the signing key gets the promote note.
#[test]
fn importing_a_public_key_does_not_suggest_promote() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("verifiers.jwks");
    let import = |key: &str| {
        let out = jwtk()
            .args(["keyset", "import"])
            .arg(&set)
            .arg("--key")
            .arg(super::fixture(key))
            .output()
            .unwrap();
        assert!(out.status.success(), "{key}: {out:?}");
        super::stderr_after_pin(&out)
    };
    assert_eq!(import("keys/ec-p256-spki.pem"), "");
    let stderr = import("keys/ed25519-spki.pem");
    assert!(
        !stderr.contains("promote") && !stderr.contains("does not sign yet"),
        "{stderr}"
    );
    let private = dir.path().join("signers.jwks");
    for key in ["keys/ed25519-pkcs8.pem", "keys/ec-p521-sec1.pem"] {
        let out = jwtk()
            .args(["keyset", "import"])
            .arg(&private)
            .arg("--key")
            .arg(super::fixture(key))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let out = jwtk()
        .args(["keyset", "import"])
        .arg(&private)
        .arg("--key")
        .arg(super::fixture("keys/rsa-2048-pkcs1.pem"))
        .output()
        .unwrap();
    assert!(
        super::stderr_after_pin(&out).contains("jwtk keyset promote"),
        "{out:?}"
    );
}

/// `keyset list` (and `public`) of a file that is one key says what it is — a PEM key, a DER
/// key, a JWK, an OpenSSH key — not that it is a broken JWKS.
#[test]
fn listing_a_single_key_file_names_what_it_is() {
    for (key, what) in [
        (
            "keys/ec-p256-sec1.pem",
            "is a PEM key (EC P-256 private key, SEC1 PEM), not a JWKS",
        ),
        (
            "keys/rsa-2048-spki.pem",
            "is a PEM key (RSA 2048-bit public key, SPKI PEM), not a JWKS",
        ),
        ("keys/rsa-2048-spki.der", "is a DER key"),
        ("keys/rsa-2048-cert.pem", "is a certificate"),
        (
            "openssh/id_ed25519.pub",
            "is an OpenSSH key (Ed25519 public key",
        ),
        ("rfc/rfc7515-A.1-HS256/key.jwk.json", "is a single JWK"),
    ] {
        for command in ["list", "public"] {
            let out = jwtk()
                .args(["keyset", command])
                .arg(super::fixture(key))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(3), "{key}: {out:?}");
            let stderr = super::stderr_after_pin(&out);
            assert!(stderr.contains(what), "{key}: {stderr}");
            assert!(!stderr.contains("not valid JSON"), "{stderr}");
            assert!(
                stderr.contains("hint: ") && stderr.contains("jwtk keyset import"),
                "{stderr}"
            );
        }
    }
}
