//! SD-JWT (RFC 9901): `decode`, `verify` (disclosures, key binding, every reason in its place),
//! `classify` and token input, on the RFC's own examples and on SD-JWTs built here from the
//! RFC's keys (the issuer JWT and KB-JWTs signed by `jwtk mint`).

use std::path::PathBuf;

use serde_json::{Value, json};

use super::{NOW, b64, fixture, json_stdout, jwtk, run_ok, stderr_after_pin};

/// The KB-JWT of RFC 9901 §5.2 has `iat` 1748537244: its examples are judged 10 s later.
const RFC_NOW: &str = "1748537254";
const NONCE: &str = "1234567890";
const VERIFIER: &str = "https://verifier.example.org";

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("sd-jwt/{name}")))
        .unwrap()
        .trim()
        .to_string()
}

fn key(name: &str) -> String {
    fixture(&format!("sd-jwt/{name}")).display().to_string()
}

/// `jwtk verify --json` of `token` at the RFC examples' instant with the issuer key and
/// `flags`: the verdict.
fn verify_rfc(token: &str, flags: &[&str]) -> Value {
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args(["verify", "--json", "--key", &key("issuer.jwk")])
        .args(flags)
        .arg(token)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    json_stdout(&out)
}

/// A disclosure of `value` (`[salt, name, value]` or `[salt, value]`) and its SHA-256 digest.
fn disclosure(value: Value) -> (String, String) {
    use base64::Engine;
    let text = b64(value.to_string());
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref());
    (text, digest)
}

/// An issuer JWT with `claims`, signed with the RFC's issuer key by `jwtk mint` (typ `typ`).
fn issuer_jwt(claims: Value, typ: &str) -> String {
    issuer_jwt_with(&key("issuer-private.jwk"), claims, typ)
}

/// A KB-JWT over `presented` signed by the RFC's holder key, with `claims` over the valid
/// set (null removes one) and header `typ`.
fn kb_jwt(presented: &str, typ: &str, claims: Value) -> String {
    use base64::Engine;
    let hash = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, presented.as_bytes());
    let mut all = json!({
        "iat": NOW, "nonce": NONCE, "aud": VERIFIER,
        "sd_hash": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.as_ref()),
    });
    for (name, value) in claims.as_object().unwrap() {
        match value {
            Value::Null => {
                all.as_object_mut().unwrap().remove(name);
            }
            other => all[name] = other.clone(),
        }
    }
    issuer_jwt_with(&key("holder-private.jwk"), all, typ)
}

fn issuer_jwt_with(signer: &str, claims: Value, typ: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("claims.json");
    std::fs::write(&file, claims.to_string()).unwrap();
    let file = file.display().to_string();
    let mut args = vec!["mint", "--key", signer, "--claims", &file, "--typ", typ];
    // No exp unless the claims give one (a disclosable exp, a KB-JWT).
    if claims.get("exp").is_none() {
        args.push("--no-exp");
    }
    if claims.get("iat").is_none() {
        args.push("--no-iat");
    }
    run_ok(&args)
}

/// A credential with `given_name` and `exp` selectively disclosable, bound to the RFC's
/// holder key: the issuer JWT and its two disclosures.
fn credential(exp: i64) -> (String, String, String) {
    let (given, d_given) = disclosure(json!(["salt-1", "given_name", "Erika"]));
    let (exp, d_exp) = disclosure(json!(["salt-2", "exp", exp]));
    let holder: Value =
        serde_json::from_str(&std::fs::read_to_string(key("holder-private.jwk")).unwrap()).unwrap();
    let mut jwk = holder.as_object().unwrap().clone();
    jwk.remove("d");
    let jwt = issuer_jwt(
        json!({
            "iss": "https://issuer.example", "sub": "erika", "iat": NOW - 60,
            "_sd": [d_exp, d_given, "decoy-digest"], "_sd_alg": "sha-256",
            "cnf": {"jwk": jwk},
        }),
        "dc+sd-jwt",
    );
    (jwt, given, exp)
}

fn verify_at_now(token: &str, flags: &[&str]) -> Value {
    let out = jwtk()
        .args(["verify", "--json", "--key", &key("issuer.jwk")])
        .args(flags)
        .arg(token)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    json_stdout(&out)
}

#[test]
fn decode_json_is_shaped_as_the_contract_says() {
    let out = jwtk()
        .args(["decode", "--json", &text("rfc9901-5.2-presentation.txt")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let doc = json_stdout(&out);
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "sd_jwt",
            "header",
            "claims",
            "disclosures",
            "disclosed_claims",
            "undisclosed",
            "kb",
            "size",
            "warnings"
        ]
    );
    assert_eq!(doc["sd_jwt"], true);
    assert_eq!(doc["header"]["typ"], "example+sd-jwt");
    assert_eq!(doc["claims"]["_sd"].as_array().unwrap().len(), 8);
    assert_eq!(
        doc["disclosures"][3],
        json!({"digest": "pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo",
            "salt": "lklxF5jMYlGTPUovMNIvCA", "name": null, "value": "US",
            "path": "/nationalities/0"})
    );
    assert_eq!(doc["disclosures"][1]["path"], "/address");
    // RFC 9901 §5.2's Processed SD-JWT Payload.
    assert_eq!(doc["disclosed_claims"]["nationalities"], json!(["US"]));
    assert_eq!(doc["disclosed_claims"]["given_name"], "John");
    assert!(doc["disclosed_claims"].get("_sd_alg").is_none());
    assert_eq!(doc["undisclosed"], 6);
    assert_eq!(doc["kb"]["header"]["typ"], "kb+jwt");
    assert_eq!(doc["kb"]["claims"]["nonce"], NONCE);
    assert_eq!(doc["size"]["total"], 1859);
}

#[test]
fn decode_shows_each_disclosure_in_place() {
    let out = jwtk()
        .args(["decode", &text("rfc9901-5.2-presentation.txt")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("NOT VERIFIED"), "{stdout}");
    assert!(
        stdout.contains(
            "/nationalities/0  pFndjkZ_VCzmyTa6UjlZo3dh-ko8aIKQc9DlGzhaVYo  array element = \"US\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains(
        "/given_name  jsu9yVulwQQlhFlM_3JlzMaSFzglhQG0DpfayQwLUK4  \"given_name\" = \"John\""
    ));
    assert!(stdout.contains("Undisclosed  6 digests"), "{stdout}");
    assert!(stdout.contains("KB-JWT (key binding)"), "{stdout}");
    // The salt only in --json.
    assert!(!stdout.contains("lklxF5jMYlGTPUovMNIvCA"));
}

#[test]
fn decode_reads_the_json_serializations() {
    for (name, disclosed) in [
        ("rfc9901-8.2-flattened-issuance.json", 4),
        ("rfc9901-8.2-flattened-presentation.json", 2),
        ("rfc9901-8.3-general-presentation.json", 2),
    ] {
        let out = jwtk()
            .args(["decode", "--json"])
            .write_stdin(text(name))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {out:?}");
        let doc = json_stdout(&out);
        assert_eq!(doc["disclosures"].as_array().unwrap().len(), disclosed);
        assert_eq!(doc["disclosed_claims"]["iss"], "https://issuer.example.com");
    }
}

#[test]
fn decode_names_the_disclosure_that_breaks_section_7_1() {
    let rfc = text("rfc9901-5.1-issuance.txt");
    let (extra, digest) = disclosure(json!(["s", "extra", 1]));
    for (token, named) in [
        (format!("{rfc}{extra}~"), digest.clone()),
        (format!("{rfc}~"), "is empty".to_string()),
        (
            rfc.replacen(
                "~WyJsa2x4",
                "~WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIlVTIl0~WyJsa2x4",
                1,
            ),
            "given twice".to_string(),
        ),
    ] {
        let out = jwtk().args(["decode", &token]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&named), "{named}: {stderr}");
        assert!(stderr.contains("RFC 9901 §7.1"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn verify_the_rfc_presentation_with_key_binding() {
    let doc = verify_rfc(
        &text("rfc9901-5.2-presentation.txt"),
        &["--kb-nonce", NONCE, "--kb-aud", VERIFIER],
    );
    assert_eq!(doc["valid"], true, "{doc}");
    assert_eq!(
        doc["sd"],
        json!({"disclosed": 4, "undisclosed": 6, "kb": true})
    );
    assert_eq!(doc["claims"]["address"]["locality"], "Anytown");
    assert!(doc["claims"].get("_sd").is_none());
    assert_eq!(doc["header"]["typ"], "example+sd-jwt");
    // The JSON serializations verify the same way.
    for name in [
        "rfc9901-8.2-flattened-presentation.json",
        "rfc9901-8.3-general-presentation.json",
    ] {
        let doc = verify_rfc(&text(name), &["--kb-nonce", NONCE, "--kb-aud", VERIFIER]);
        assert_eq!(doc["valid"], true, "{name}: {doc}");
        assert_eq!(doc["claims"]["given_name"], "John");
    }
}

#[test]
fn verify_notes_what_went_unchecked() {
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args(["verify", "--key", &key("issuer.jwk")])
        .args(["--kb-aud", VERIFIER, &text("rfc9901-5.2-presentation.txt")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("SD-JWT: 4 disclosed, 6 undisclosed, key binding checked"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "replay was not fully checked: the KB-JWT's nonce went unchecked without --kb-nonce"
        ),
        "{stderr}"
    );
    // An issued SD-JWT with cnf and no KB-JWT: holder binding unproven.
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args(["verify", "--key", &key("issuer.jwk")])
        .arg(text("rfc9901-5.1-issuance.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("holder binding is unproven"), "{stderr}");
    // No cnf and no KB-JWT, but the verifier gave a nonce and an audience: they went unchecked.
    let plain = minted(&["--claim", "given_name=Erika", "--sd", "/given_name"]);
    let out = jwtk()
        .args(["verify", "--key", &key("issuer.jwk")])
        .args(["--kb-nonce", NONCE, "--kb-aud", VERIFIER, &plain])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--kb-nonce/--kb-aud were not checked: the presentation has no KB-JWT"),
        "{stderr}"
    );
    let out = jwtk()
        .args(["verify", "--key", &key("issuer.jwk"), &plain])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("KB-JWT"),
        "{out:?}"
    );
}

#[test]
fn verify_reasons_in_their_place() {
    let kb = ["--kb-nonce", NONCE, "--kb-aud", VERIFIER];
    let rfc = text("rfc9901-5.2-presentation.txt");
    let issued = text("rfc9901-5.1-issuance.txt");
    let reason = |doc: Value| doc["reason"].as_str().unwrap_or("valid").to_string();
    // sd_invalid: a disclosure no digest references; the claims are not examined.
    let (extra, digest) = disclosure(json!(["s", "extra", 1]));
    let broken = format!("{issued}{extra}~");
    let doc = verify_rfc(&broken, &[]);
    assert_eq!(reason(doc.clone()), "sd_invalid");
    assert!(doc["message"].as_str().unwrap().contains(&digest));
    assert_eq!(doc["claims"], Value::Null);
    // Once the signature fails, the disclosures are not examined.
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args([
            "verify",
            "--json",
            "--key",
            &fixture("keys/ec-p256-spki.pem").display().to_string(),
            &broken,
        ])
        .output()
        .unwrap();
    assert_eq!(json_stdout(&out)["reason"], "bad_signature");
    // A broken disclosure, an empty one, one given twice: sd_invalid, not malformed.
    for token in [
        format!("{issued}%%~"),
        format!("{issued}not.base64~"),
        format!("{issued}~"),
    ] {
        let out = jwtk()
            .env("JWTK_NOW", RFC_NOW)
            .args(["verify", "--json", "--key", &key("issuer.jwk"), &token])
            .output()
            .unwrap();
        let doc = json_stdout(&out);
        let expected = if token.contains('%') {
            "malformed"
        } else {
            "sd_invalid"
        };
        assert_eq!(doc["reason"], expected, "{token}: {doc}");
    }
    // kb_mismatch: another nonce, another audience, other disclosures.
    assert_eq!(
        reason(verify_rfc(&rfc, &["--kb-nonce", "other"])),
        "kb_mismatch"
    );
    assert_eq!(
        reason(verify_rfc(&rfc, &["--kb-aud", "https://else.example"])),
        "kb_mismatch"
    );
    let first = rfc.split('~').nth(1).unwrap();
    let fewer = rfc.replacen(&format!("~{first}"), "", 1);
    let doc = verify_rfc(&fewer, &kb);
    assert_eq!(reason(doc.clone()), "kb_mismatch");
    assert!(
        doc["message"].as_str().unwrap().contains("sd_hash"),
        "{doc}"
    );
    // kb_invalid: a KB-JWT too old, a missing one under --require-kb.
    let late = jwtk()
        .env("JWTK_NOW", "1748538000")
        .args(["verify", "--json", "--key", &key("issuer.jwk")])
        .args(kb)
        .arg(&rfc)
        .output()
        .unwrap();
    let doc = json_stdout(&late);
    assert_eq!(doc["reason"], "kb_invalid", "{doc}");
    assert!(
        doc["message"].as_str().unwrap().contains("--kb-max-age"),
        "{doc}"
    );
    let longer = jwtk()
        .env("JWTK_NOW", "1748538000")
        .args([
            "verify",
            "--json",
            "--kb-max-age",
            "1h",
            "--key",
            &key("issuer.jwk"),
        ])
        .args(kb)
        .arg(&rfc)
        .output()
        .unwrap();
    assert_eq!(json_stdout(&longer)["valid"], true);
    let doc = verify_rfc(&issued, &["--require-kb"]);
    assert_eq!(reason(doc), "kb_invalid");
    assert_eq!(reason(verify_rfc(&issued, &[])), "valid");
    // Claim checks come before key binding: wrong_issuer first, kb_mismatch listed too.
    let doc = verify_rfc(&rfc, &["--iss", "https://other.example", "--kb-nonce", "x"]);
    assert_eq!(reason(doc.clone()), "wrong_issuer");
    assert!(
        doc["message"].as_str().unwrap().contains("kb_mismatch"),
        "{doc}"
    );
}

#[test]
fn claim_checks_run_on_disclosed_claims() {
    let (jwt, given, exp) = credential(NOW + 600);
    let all = format!("{jwt}~{given}~{exp}~");
    let kb = kb_jwt(&all, "kb+jwt", json!({}));
    let doc = verify_at_now(
        &format!("{all}{kb}"),
        &[
            "--require",
            "given_name",
            "--kb-nonce",
            NONCE,
            "--kb-aud",
            VERIFIER,
        ],
    );
    assert_eq!(doc["valid"], true, "{doc}");
    assert_eq!(doc["claims"]["exp"], NOW + 600);
    assert_eq!(
        doc["sd"],
        json!({"disclosed": 2, "undisclosed": 1, "kb": true})
    );
    // Without the exp disclosure there is no exp to judge: missing_claim, like any JWT.
    let doc = verify_at_now(&format!("{jwt}~{given}~"), &[]);
    assert_eq!(doc["reason"], "missing_claim", "{doc}");
    // Without given_name, --require given_name fails.
    let doc = verify_at_now(&format!("{jwt}~{exp}~"), &["--require", "given_name"]);
    assert_eq!(doc["reason"], "missing_claim", "{doc}");
    // A disclosed exp in the past: expired.
    let (jwt, given, exp) = credential(NOW - 3600);
    let doc = verify_at_now(&format!("{jwt}~{given}~{exp}~"), &[]);
    assert_eq!(doc["reason"], "expired", "{doc}");
}

#[test]
fn broken_kb_jwts_are_kb_invalid() {
    let (jwt, given, exp) = credential(NOW + 600);
    let sd = format!("{jwt}~{given}~{exp}~");
    let flags = ["--kb-nonce", NONCE, "--kb-aud", VERIFIER];
    for (typ, claims, why) in [
        ("JWT", json!({}), "typ"),
        ("kb+jwt", json!({"aud": [VERIFIER]}), "aud"),
        ("kb+jwt", json!({"nonce": 1}), "nonce"),
        ("kb+jwt", json!({"iat": null}), "iat"),
        ("kb+jwt", json!({"iat": NOW + 3600}), "issued"),
    ] {
        let kb = kb_jwt(&sd, typ, claims);
        let doc = verify_at_now(&format!("{sd}{kb}"), &flags);
        assert_eq!(doc["reason"], "kb_invalid", "{why}: {doc}");
        assert!(
            doc["message"].as_str().unwrap().contains(why),
            "{why}: {doc}"
        );
    }
    // Signed by another key than cnf.jwk.
    let other = issuer_jwt_with(
        &key("issuer-private.jwk"),
        json!({"iat": NOW, "nonce": NONCE, "aud": VERIFIER, "sd_hash": "x"}),
        "kb+jwt",
    );
    let doc = verify_at_now(&format!("{sd}{other}"), &flags);
    assert_eq!(doc["reason"], "kb_invalid", "{doc}");
    assert!(
        doc["message"].as_str().unwrap().contains("does not verify"),
        "{doc}"
    );
}

#[test]
fn unknown_sd_alg_is_unsupported_after_the_signature() {
    let jwt = issuer_jwt(json!({"_sd": [], "_sd_alg": "md5", "exp": NOW + 60}), "JWT");
    let doc = verify_at_now(&format!("{jwt}~"), &[]);
    assert_eq!(doc["reason"], "unsupported", "{doc}");
    assert!(doc["message"].as_str().unwrap().contains("md5"));
    let jwt = issuer_jwt(
        json!({"_sd_alg": "sha-512", "exp": NOW + 60, "_sd": []}),
        "JWT",
    );
    assert_eq!(verify_at_now(&format!("{jwt}~"), &[])["valid"], true);
}

#[test]
fn batch_takes_sd_jwts() {
    let rfc = text("rfc9901-5.2-presentation.txt");
    let issued = text("rfc9901-5.1-issuance.txt");
    let input = format!("{rfc}\n{issued}\n{issued}WyJzIiwgIngiLCAxXQ~\n");
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args([
            "verify",
            "--batch",
            "--key",
            &key("issuer.jwk"),
            "--kb-nonce",
            NONCE,
            "--kb-aud",
            VERIFIER,
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["sd"]["kb"], true);
    assert_eq!(
        lines[1]["sd"],
        json!({"disclosed": 10, "undisclosed": 0, "kb": false})
    );
    assert_eq!(lines[2]["reason"], "sd_invalid");
    assert_eq!(lines[2]["line"], 3);
}

#[test]
fn classify_kinds() {
    let kind = |token: &str| {
        let out = jwtk().args(["classify", "--json", token]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let doc = json_stdout(&out);
        assert_eq!(doc["flow"], "not_applicable", "{doc}");
        doc["kind"].as_str().unwrap().to_string()
    };
    let rfc = text("rfc9901-5.2-presentation.txt");
    assert_eq!(kind(&rfc), "sd_jwt");
    assert_eq!(kind(rfc.rsplit('~').next().unwrap()), "kb_jwt");
    let (jwt, given, _) = credential(NOW + 600);
    assert_eq!(kind(&format!("{jwt}~{given}~")), "sd_jwt_vc");
    let vct = issuer_jwt(
        json!({"vct": "https://credentials.example/id", "_sd": []}),
        "example+sd-jwt",
    );
    assert_eq!(kind(&format!("{vct}~")), "sd_jwt_vc");
}

#[test]
fn pasted_sd_jwts_are_found_whole() {
    let rfc = text("rfc9901-5.2-presentation.txt");
    for pasted in [
        format!("{{\"vp_token\": \"{rfc}\"}}"),
        format!("Authorization: Bearer {rfc}\n"),
        format!("https://verifier.example.org/cb#vp_token={rfc}&state=x"),
        format!("{}\n  {}\n", &rfc[..900], &rfc[900..]),
    ] {
        let doc = verify_rfc(&pasted, &["--kb-nonce", NONCE, "--kb-aud", VERIFIER]);
        assert_eq!(doc["valid"], true, "{pasted}: {doc}");
    }
}

#[test]
fn hostile_sd_jwts_fail_cleanly() {
    let issued = text("rfc9901-5.1-issuance.txt");
    let jwt = issued.split('~').next().unwrap();
    // A run of tildes: refused at once, naming the count.
    let run = format!("{jwt}{}", "~".repeat(50_000));
    let out = jwtk().args(["decode", &run]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most 10000"));
    // A disclosure of 2 MB, referenced by nothing: sd_invalid, named by its digest.
    let (big, digest) = disclosure(json!(["s", "big", "x".repeat(2 << 20)]));
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("big.txt");
    std::fs::write(&file, format!("{issued}{big}~")).unwrap();
    let out = jwtk()
        .env("JWTK_NOW", RFC_NOW)
        .args(["verify", "--json", "--key", &key("issuer.jwk")])
        .arg(&file)
        .output()
        .unwrap();
    let doc = json_stdout(&out);
    assert_eq!(doc["reason"], "sd_invalid");
    assert!(doc["message"].as_str().unwrap().contains(&digest));
    // A digest that collides with a plain claim name: sd_invalid naming the disclosure.
    let (sub, d_sub) = disclosure(json!(["s", "sub", "mallory"]));
    let jwt = issuer_jwt(
        json!({"sub": "alice", "_sd": [d_sub], "exp": NOW + 60}),
        "JWT",
    );
    let doc = verify_at_now(&format!("{jwt}~{sub}~"), &[]);
    assert_eq!(doc["reason"], "sd_invalid", "{doc}");
    assert!(doc["message"].as_str().unwrap().contains("already exists"));
    let stderr = {
        let out = jwtk()
            .args([
                "verify",
                "--key",
                &key("issuer.jwk"),
                &format!("{jwt}~{sub}~"),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        stderr_after_pin(&out)
    };
    assert!(
        stderr.starts_with("jwtk: invalid: sd_invalid: disclosure"),
        "{stderr}"
    );
}

/// `jwtk mint --sd …` with the RFC's issuer key (and holder key, `--holder-key`).
fn mint_sd(flags: &[&str]) -> std::process::Output {
    jwtk()
        .args([
            "mint",
            "--key",
            &key("issuer-private.jwk"),
            "--iss",
            "https://issuer.example",
        ])
        .args(flags)
        .output()
        .unwrap()
}

fn minted(flags: &[&str]) -> String {
    let out = mint_sd(flags);
    assert!(out.status.success(), "{flags:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn decoded(token: &str) -> Value {
    let out = jwtk().args(["decode", "--json", token]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    json_stdout(&out)
}

#[test]
fn mint_sd_makes_nested_and_array_disclosures() {
    let token = minted(&[
        "--claim",
        "given_name=Erika",
        "--claim",
        r#"address:={"street_address":"Heidestraße 17","locality":"Köln"}"#,
        "--claim",
        r#"nationalities:=["DE","FR"]"#,
        "--sd",
        "/given_name",
        "--sd",
        "/address",
        "--sd",
        "/address/street_address",
        "--sd",
        "/nationalities/1",
        "--sd-decoys",
        "2",
        "--holder-key",
        &key("holder-private.jwk"),
    ]);
    assert!(token.ends_with('~'), "{token}");
    let doc = decoded(&token);
    assert_eq!(doc["disclosures"].as_array().unwrap().len(), 4);
    assert_eq!(
        doc["disclosed_claims"]["address"]["street_address"],
        "Heidestraße 17"
    );
    assert_eq!(
        doc["disclosed_claims"]["nationalities"],
        json!(["DE", "FR"])
    );
    // Decoys: 2 in the top-level _sd and 2 in address's; _sd arrays sorted.
    assert_eq!(doc["undisclosed"], 4);
    let sd = doc["claims"]["_sd"].as_array().unwrap();
    assert_eq!(sd.len(), 4);
    let mut sorted = sd.clone();
    sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(*sd, sorted);
    assert_eq!(doc["claims"]["_sd_alg"], "sha-256");
    // cnf.jwk: the public members only, though a private key was given.
    let jwk = doc["claims"]["cnf"]["jwk"].as_object().unwrap();
    let mut members: Vec<&String> = jwk.keys().collect();
    members.sort();
    assert_eq!(members, ["crv", "kty", "x", "y"]);
    // Salts: 128 bits, all distinct.
    let salts: std::collections::HashSet<&str> = doc["disclosures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["salt"].as_str().unwrap())
        .collect();
    assert_eq!(salts.len(), 4);
    assert!(salts.iter().all(|s| s.len() == 22));
}

#[test]
fn mint_sd_refuses_what_must_stay_visible() {
    for path in ["/iss", "/exp", "/cnf", "/vct", "/status", "/nbf"] {
        let out = mint_sd(&[
            "--claim",
            "vct=x",
            "--claim",
            "status:={}",
            "--nbf",
            "now",
            "--holder-key",
            &key("holder-private.jwk"),
            "--sd",
            path,
        ]);
        assert_eq!(out.status.code(), Some(2), "{path}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(path), "{path}: {stderr}");
    }
    // sub and iat may be disclosable; a path to nothing may not.
    assert!(
        mint_sd(&["--sub", "erika", "--sd", "/sub", "--sd", "/iat"])
            .status
            .success()
    );
    let out = mint_sd(&["--sd", "/nothing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nothing names nothing"));
    // An SD-JWT VC names its type.
    let out = mint_sd(&["--typ", "dc+sd-jwt", "--sd", "/iat"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("vct"));
    let out = mint_sd(&[
        "--typ",
        "dc+sd-jwt",
        "--claim",
        "vct=urn:x",
        "--sd",
        "/iat",
        "--sd-alg",
        "sha-384",
    ]);
    assert!(out.status.success(), "{out:?}");
    let doc = decoded(String::from_utf8_lossy(&out.stdout).trim());
    assert_eq!(doc["claims"]["_sd_alg"], "sha-384");
    assert_eq!(doc["header"]["typ"], "dc+sd-jwt");
}

#[test]
fn present_picks_disclosures_and_binds_the_key() {
    let credential = minted(&[
        "--claim",
        "given_name=Erika",
        "--claim",
        "family_name=Mustermann",
        "--claim",
        r#"address:={"street_address":"Heidestraße 17","locality":"Köln"}"#,
        "--claim",
        r#"nationalities:=["DE","FR"]"#,
        "--sd",
        "/given_name",
        "--sd",
        "/family_name",
        "--sd",
        "/address",
        "--sd",
        "/address/street_address",
        "--sd",
        "/address/locality",
        "--sd",
        "/nationalities/0",
        "--holder-key",
        &key("holder-private.jwk"),
    ]);
    let present = |flags: &[&str]| {
        let out = jwtk()
            .arg("present")
            .args(flags)
            .arg(&credential)
            .output()
            .unwrap();
        assert!(out.status.success(), "{flags:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    // The parent comes along; the sibling stays hidden.
    let presentation = present(&["--disclose", "/address/locality"]);
    assert!(presentation.ends_with('~'));
    let doc = decoded(&presentation);
    assert_eq!(
        doc["disclosed_claims"]["address"],
        json!({"locality": "Köln"})
    );
    assert!(doc["disclosed_claims"].get("given_name").is_none());
    assert_eq!(doc["disclosed_claims"]["nationalities"], json!(["FR"]));
    // A path discloses everything inside it; none keeps all hidden; --disclose-all shows all.
    let doc = decoded(&present(&["--disclose", "/address"]));
    assert_eq!(doc["disclosures"].as_array().unwrap().len(), 3);
    assert_eq!(decoded(&present(&[]))["disclosures"], json!([]));
    assert_eq!(
        decoded(&present(&["--disclose-all"]))["disclosures"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    // Always visible claims are fine to name; unknown ones are exit 2.
    assert_eq!(
        decoded(&present(&["--disclose", "/iss"]))["disclosures"],
        json!([])
    );
    // So is a path inside a disclosed object that names nothing there: it is not a reason to
    // disclose the object.
    for path in ["/nope", "/address/nope", "/nationalities/5"] {
        let out = jwtk()
            .args(["present", "--disclose", path, &credential])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{path}: {out:?}");
        assert!(out.stdout.is_empty(), "{path}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(path), "{path}: {err}");
    }
    // With the holder key: a KB-JWT that jwtk verify accepts for that nonce and audience.
    let bound = present(&[
        "--disclose",
        "/given_name",
        "--key",
        &key("holder-private.jwk"),
        "--kb-aud",
        VERIFIER,
        "--kb-nonce",
        NONCE,
    ]);
    let doc = verify_at_now(
        &bound,
        &["--require-kb", "--kb-nonce", NONCE, "--kb-aud", VERIFIER],
    );
    assert_eq!(doc["valid"], true, "{doc}");
    assert_eq!(doc["claims"]["given_name"], "Erika");
    assert!(doc["claims"].get("family_name").is_none());
    assert_eq!(doc["sd"]["kb"], true);
    let kb = decoded(&bound)["kb"].clone();
    assert_eq!(kb["header"]["typ"], "kb+jwt");
    assert_eq!(kb["claims"]["iat"], NOW);
    // Another key than cnf.jwk: exit 3. --key without --kb-aud/--kb-nonce: exit 2.
    let out = jwtk()
        .args([
            "present",
            "--key",
            &key("issuer-private.jwk"),
            "--kb-aud",
            VERIFIER,
            "--kb-nonce",
            NONCE,
            &credential,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(out.stdout.is_empty());
    let out = jwtk()
        .args([
            "present",
            "--key",
            &key("holder-private.jwk"),
            "--kb-aud",
            VERIFIER,
            &credential,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}

#[test]
fn present_reads_the_rfc_credential() {
    // RFC 9901 §5.1's SD-JWT, presented with the RFC's holder key: the disclosures of §5.2.
    let out = jwtk()
        .args([
            "present",
            "--disclose",
            "/given_name",
            "--disclose",
            "/family_name",
        ])
        .args(["--disclose", "/address", "--disclose", "/nationalities/0"])
        .arg(text("rfc9901-5.1-issuance.txt"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let presented = String::from_utf8(out.stdout).unwrap();
    let rfc = text("rfc9901-5.2-presentation.txt");
    let mut ours: Vec<&str> = presented.trim().split('~').collect();
    let mut theirs: Vec<&str> = rfc.split('~').collect();
    theirs.pop();
    ours.pop();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
}

/// The README's SD-JWT walkthrough (issue, present, verify) runs as written, in bash, with
/// `jwtk` on the PATH, and the verifier's line says valid with key binding checked.
#[test]
fn the_readme_sd_jwt_walkthrough_runs() {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let heading = "#### Issue, present, verify: an SD-JWT VC end to end";
    let section = &readme[readme.find(heading).expect(heading)..];
    let block = section
        .split("```sh\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    assert!(block.contains("--sd") && block.contains("jwtk present"));
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
    assert!(stdout.contains("SD-JWT VC (ES256)"), "{stdout}");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("valid: ES256")
            && last.contains("SD-JWT: 2 disclosed, 8 undisclosed, key binding checked"),
        "{last}\n{stderr}"
    );
}
