//! `jwtk decode`: RFC vectors, hostile and malformed input, JSON output, human output.

use predicates::prelude::*;
use serde_json::{Value, json};

use super::{NOW, b64, fixture, json_stdout, jwtk, stderr_after_pin, token, vector};

const A_CLAIMS: &str = r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#;

#[test]
fn rfc7515_vectors_decode_to_their_header_and_claims() {
    for name in [
        "rfc7515-A.1-HS256",
        "rfc7515-A.2-RS256",
        "rfc7515-A.3-ES256",
    ] {
        let out = jwtk()
            .args(["decode", "--json", &vector(name)])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}");
        let doc = json_stdout(&out);
        let header_text = std::fs::read(fixture(&format!("rfc/{name}/header.json"))).unwrap();
        let header: Value = serde_json::from_slice(&header_text).unwrap();
        assert_eq!(doc["header"], header, "{name}");
        assert_eq!(
            doc["claims"],
            serde_json::from_str::<Value>(A_CLAIMS).unwrap(),
            "{name}"
        );
        // Original member order, not sorted.
        let names: Vec<_> = doc["header"].as_object().unwrap().keys().cloned().collect();
        let expected: Vec<_> = header.as_object().unwrap().keys().cloned().collect();
        assert_eq!(names, expected);
        let size = &doc["size"];
        let parts = size["header"].as_u64().unwrap()
            + size["claims"].as_u64().unwrap()
            + size["signature"].as_u64().unwrap();
        assert_eq!(parts + 2, size["total"].as_u64().unwrap());
        assert_eq!(size["total"].as_u64().unwrap() as usize, vector(name).len());
        assert_eq!(doc["signature"], vector(name).rsplit('.').next().unwrap());
        assert!(
            doc["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w.as_str().unwrap().starts_with("expired"))
        );
    }
}

#[test]
fn text_payload_vectors_exit_1_naming_the_claims() {
    for name in [
        "rfc7515-A.4-ES512",
        "rfc7520-4.1-RS256",
        "rfc7520-4.2-PS384",
        "rfc7520-4.3-ES512",
        "rfc7520-4.4-HS256",
        "rfc8037-A.4-EdDSA",
    ] {
        let payload = std::fs::read_dir(fixture(&format!("rfc/{name}")))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_stem().is_some_and(|s| s == "payload"))
            .unwrap();
        let text = std::fs::read_to_string(payload).unwrap();
        let first_line = text.lines().next().unwrap().to_string();
        jwtk()
            .args(["decode", &vector(name)])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(first_line))
            .stderr(predicate::str::contains(
                "jwtk: error: malformed token: claims:",
            ));
    }
}

#[test]
fn reads_stdin_bearer_and_authorization_lines() {
    let t = vector("rfc7515-A.1-HS256");
    for input in [
        format!("{t}\n"),
        format!("  Bearer {t}  "),
        format!("authorization: BEARER {t}\r\n"),
    ] {
        jwtk()
            .arg("decode")
            .write_stdin(input.clone())
            .assert()
            .success();
        jwtk()
            .args(["decode", "-"])
            .write_stdin(input.clone())
            .assert()
            .success();
        jwtk().args(["decode", &input]).assert().success();
    }
}

#[test]
fn any_alg_decodes_with_every_header_parameter() {
    let header = r#"{"alg":"none","zzz":1,"crit":["b64"],"b64":false,"kid":"k","aaa":[1]}"#;
    let t = token(header, r#"{"sub":"x"}"#, b"");
    let doc = json_stdout(&jwtk().args(["decode", "--json", &t]).output().unwrap());
    let names: Vec<_> = doc["header"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(names, ["alg", "zzz", "crit", "b64", "kid", "aaa"]);
    assert!(doc["warnings"].to_string().contains("unsigned"));
    for alg in ["ES512", "ES256K", "ML-DSA-65", "whatever"] {
        let t = token(&format!(r#"{{"alg":"{alg}"}}"#), r#"{"sub":"x"}"#, b"sig");
        jwtk()
            .args(["decode", &t])
            .assert()
            .success()
            .stdout(predicate::str::contains(alg));
    }
}

/// Each malformed input, the part the message must name, and words it must contain.
#[test]
fn malformed_tokens_exit_1_with_a_message_naming_the_part() {
    let good_h = b64(r#"{"alg":"HS256"}"#);
    let good_c = b64(r#"{"sub":"a"}"#);
    let cases: Vec<(String, &str, &str)> = vec![
        ("".into(), "token", "empty"),
        (format!("{good_h}.{good_c}"), "token", "2 segments"),
        (format!("{good_h}.{good_c}.c2ln.eA"), "token", "4 segments"),
        // Five segments are read as a JWE, whose IV here is no base64url.
        (format!("{good_h}.{good_c}.a.b.c"), "iv", "length"),
        (format!("{good_h}=.{good_c}.c2ln"), "header", "padding"),
        (
            format!("{good_h}.{good_c}.c2l+"),
            "signature",
            "standard base64",
        ),
        (
            format!("{good_h}.{good_c}.c2/n"),
            "signature",
            "standard base64",
        ),
        (format!("{good_h}.ey J9.c2ln"), "claims", "whitespace"),
        (format!("{good_h}.{good_c}.c2m"), "signature", "unused bits"),
        (format!("{good_h}.{good_c}.c"), "signature", "length"),
        (
            format!("{}.{good_c}.c2ln", b64("\u{feff}{\"alg\":\"HS256\"}")),
            "header",
            "byte order mark",
        ),
        (
            format!("{}.{good_c}.c2ln", b64(b"{\"alg\":\"\xff\"}")),
            "header",
            "not valid JSON",
        ),
        (
            format!("{}.{good_c}.c2ln", b64(r#"{"alg":"HS256","alg":"none"}"#)),
            "header",
            "duplicate member name \"alg\"",
        ),
        (
            format!("{good_h}.{}.c2ln", b64(r#"{"sub":"a","sub":"b"}"#)),
            "claims",
            "duplicate",
        ),
        (
            format!("{}.{good_c}.c2ln", b64("[1]")),
            "header",
            "not a JSON object but an array",
        ),
        (
            format!("{good_h}.{}.c2ln", b64("[1,2]")),
            "claims",
            "an array",
        ),
        (
            format!("{good_h}.{}.c2ln", b64(b"\xff\xfe")),
            "claims",
            "not valid JSON",
        ),
        (
            r#"{"payload":"x","signatures":[]}"#.into(),
            "token",
            "JSON serialization",
        ),
        (
            format!("{good_h}.{good_c}.c2ln\u{e9}"),
            "signature",
            "non-ASCII",
        ),
    ];
    for (input, part, words) in cases {
        let out = jwtk()
            .args(["decode", "--json"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let stderr = stderr_after_pin(&out);
        assert_eq!(out.status.code(), Some(1), "{input:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{input:?}");
        assert!(
            stderr.starts_with(&format!("jwtk: error: malformed token: {part}:")),
            "{input:?}: {stderr}"
        );
        assert!(
            stderr.contains(words),
            "{input:?}: want {words:?} in {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
}

#[test]
fn attacker_bytes_never_reach_the_terminal_raw() {
    // JSON escapes for C0 controls (raw ones are invalid JSON); raw bidi and C1 characters.
    let header = "{\"alg\":\"HS256\\u001b[2J\\u0007\",\"kid\":\"\u{202e}evil\"}";
    let t = token(
        header,
        "{\"name\":\"\\u001b]0;pwned\\u0007\",\"n\u{85}\":1}",
        b"s",
    );
    let out = jwtk().args(["decode", &t]).output().unwrap();
    assert!(out.status.success());
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text}"
        );
        assert!(
            !text.contains('\u{202e}') && !text.contains('\u{85}'),
            "{text}"
        );
    }
    let json = jwtk().args(["decode", "--json", &t]).output().unwrap();
    let text = String::from_utf8(json.stdout.clone()).unwrap();
    assert!(!text.contains('\u{202e}') && !text.contains('\u{85}'));
    assert_eq!(json_stdout(&json)["header"]["kid"], "\u{202e}evil");
    // A duplicate name full of escapes is escaped in the error message too.
    let t = token("{\"\\u001bx\":1,\"\\u001bx\":2}", "{}", b"s");
    let err = jwtk().args(["decode", &t]).output().unwrap();
    assert!(
        !err.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&err.stderr)
    );
}

#[test]
fn time_claims_are_annotated_and_judged_at_the_pinned_now() {
    let claims = json!({"sub":"a","iat": NOW - 300, "nbf": NOW + 7200, "exp": NOW + 840, "auth_time": NOW - 3 * 3600});
    let t = token(r#"{"alg":"HS256"}"#, &claims.to_string(), b"s");
    let out = jwtk()
        .args(["decode", "--color", "never", &t])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("expires in 14m"), "{stdout}");
    assert!(stdout.contains("issued 5m ago"), "{stdout}");
    assert!(stdout.contains("authenticated 3h ago"), "{stdout}");
    assert!(stdout.contains("not valid until in 2h"), "{stdout}");
    assert!(stdout.contains("NOT VERIFIED"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("jwtk: warning: not valid yet: nbf is in 2h"),
        "{stderr}"
    );
    assert!(stderr.contains("nbf is after exp"), "{stderr}");
}

#[test]
fn out_of_range_times_do_not_crash() {
    for exp in [
        "99999999999999",
        "1e300",
        "-1e300",
        "-5",
        "1.5",
        "18446744073709551616",
    ] {
        let t = token(
            r#"{"alg":"HS256"}"#,
            &format!(r#"{{"exp":{exp},"iat":0}}"#),
            b"s",
        );
        jwtk().args(["decode", &t]).assert().success();
    }
    let t = token(r#"{"alg":"HS256"}"#, r#"{"exp":"tomorrow"}"#, b"s");
    jwtk()
        .args(["decode", &t])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "exp is a string, not a NumericDate",
        ));
}

#[test]
fn size_budgets_warn_and_name_the_largest_claims() {
    let roles: Vec<String> = (0..400).map(|i| format!("role-{i:04}")).collect();
    let claims = json!({"sub": "u", "roles": roles, "exp": NOW + 60});
    let t = token(r#"{"alg":"HS256"}"#, &claims.to_string(), &[7; 32]);
    assert!(t.len() > 4096 && t.len() < 8192);
    jwtk().args(["decode", &t]).assert().success().stderr(
        predicate::str::contains("over the 4096-byte budget")
            .and(predicate::str::contains("largest claims: roles (")),
    );
    let doc = json_stdout(&jwtk().args(["decode", "--json", &t]).output().unwrap());
    assert!(doc["warnings"].to_string().contains("4096"));
    assert!(!doc["warnings"].to_string().contains("8192"));
}

#[test]
#[ignore = "slow (10 MB through the debug binary, ~4 s): CI runs it with --ignored"]
fn ten_megabytes_through_stdin_and_the_16_mib_cap() {
    let big = "x".repeat(10 * 1024 * 1024);
    let t = token(
        r#"{"alg":"HS256"}"#,
        &json!({"blob": big}).to_string(),
        b"s",
    );
    jwtk()
        .args(["decode", "--json"])
        .write_stdin(t)
        .assert()
        .success();
    let huge = "A".repeat(17 * 1024 * 1024);
    jwtk()
        .arg("decode")
        .write_stdin(huge)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "token is too large: {} bytes",
            17 * 1024 * 1024
        )));
}

#[test]
fn colour_follows_the_contracts_precedence() {
    let t = vector("rfc7515-A.1-HS256");
    let has_escape = |cmd: &mut assert_cmd::Command| cmd.output().unwrap().stdout.contains(&0x1b);
    assert!(
        !has_escape(jwtk().args(["decode", &t])),
        "not a terminal: no colour"
    );
    assert!(has_escape(jwtk().args(["decode", "--color", "always", &t])));
    assert!(has_escape(
        jwtk().env("CLICOLOR_FORCE", "1").args(["decode", &t])
    ));
    assert!(!has_escape(
        jwtk()
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .args(["decode", &t])
    ));
    assert!(has_escape(jwtk().env("NO_COLOR", "1").args([
        "decode",
        "--color=always",
        &t
    ])));
    assert!(!has_escape(jwtk().env("CLICOLOR_FORCE", "1").args([
        "decode",
        "--color=never",
        &t
    ])));
    // --json is never coloured.
    assert!(!has_escape(
        jwtk().args(["decode", "--json", "--color", "always", &t])
    ));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let big = json!({"blob": "y".repeat(1024 * 1024)}).to_string();
    let t = token(r#"{"alg":"HS256"}"#, &big, b"s");
    let script = format!(
        "'{}' decode --color never | head -c 10 > /dev/null",
        env!("CARGO_BIN_EXE_jwtk")
    );
    let out = std::process::Command::new("/bin/sh")
        .args(["-c", &script])
        .env("JWTK_NOW", NOW.to_string())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(t.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn human_view_of_rfc7515_a1() {
    let out = jwtk()
        .args(["decode", &vector("rfc7515-A.1-HS256")])
        .output()
        .unwrap();
    insta::assert_snapshot!("decode_a1_stdout", String::from_utf8(out.stdout).unwrap());
    insta::assert_snapshot!("decode_a1_stderr", String::from_utf8(out.stderr).unwrap());
}

#[test]
fn human_view_with_lifetime_and_sizes() {
    let claims = json!({
        "iss": "https://auth.example.com/",
        "sub": "user-42",
        "aud": ["api", "billing"],
        "iat": NOW - 300,
        "exp": NOW + 600,
        "scope": "read:invoices write:invoices",
        "roles": ["admin", "auditor"],
    });
    let t = token(
        r#"{"alg":"ES256","typ":"JWT","kid":"2026-11"}"#,
        &claims.to_string(),
        &[1; 64],
    );
    let out = jwtk().args(["decode", &t]).output().unwrap();
    insta::assert_snapshot!(
        "decode_lifetime_stdout",
        String::from_utf8(out.stdout.clone()).unwrap()
    );
    assert!(
        stderr_after_pin(&out).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
