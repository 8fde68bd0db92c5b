//! Hostile sizes and shapes: bounded time and memory, and a clear message for each refusal.

use predicates::prelude::*;

use super::{b64, fixture, jwtk};

fn key() -> String {
    fixture("keys/secret-newline.txt").display().to_string()
}

#[test]
#[ignore = "slow (a million-member header through the debug binary, ~7 s): CI runs it with --ignored"]
fn a_header_with_a_million_members_is_parsed_and_refused_by_the_signature() {
    let members: Vec<String> = (0..1_000_000).map(|i| format!("\"{i:x}\":0")).collect();
    let header = format!("{{\"alg\":\"HS256\",{}}}", members.join(","));
    let token = format!(
        "{}.{}.{}",
        b64(&header),
        b64(r#"{"exp":9999999999}"#),
        b64([0u8; 32])
    );
    assert!(token.len() < 16 * 1024 * 1024);
    let out = jwtk()
        .args(["verify", "--json", "-k", &key(), "--alg", "HS256"])
        .write_stdin(token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"reason\":\"bad_signature\""));
}

#[test]
fn deeply_nested_json_is_malformed_not_a_stack_overflow() {
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256"}"#),
        b64(&deep),
        b64([0u8; 32])
    );
    jwtk()
        .arg("decode")
        .write_stdin(token.clone())
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("malformed token: claims")
                .and(predicate::str::contains("nested more than 100 levels deep")),
        );
    let header = format!(
        "{{\"alg\":{}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let token = format!("{}.{}.{}", b64(&header), b64("{}"), b64([0u8; 32]));
    jwtk()
        .args(["verify", "-k", &key(), "--alg", "HS256"])
        .write_stdin(token)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("malformed"));
}

#[test]
#[ignore = "slow (50 MB through the debug binary, ~2 s): CI runs it with --ignored"]
fn fifty_megabytes_of_random_bytes_are_refused_by_size() {
    // A cheap deterministic generator: the bytes only need to be arbitrary, not secret.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..50 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    for args in [
        vec!["decode"],
        vec!["classify"],
        vec!["verify", "-k", &key(), "--alg", "HS256"],
    ] {
        let out = jwtk()
            .args(&args)
            .write_stdin(random.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("too large") && stderr.contains("16777216-byte limit"),
            "{args:?}: {stderr}"
        );
    }
}
