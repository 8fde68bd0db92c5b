//! `jwtk verify --batch`: one JSON line per input line, in order, with line numbers; bad lines
//! are results, not the end of the run; counts on stderr; exit 0 only when all are valid.

use predicates::prelude::*;
use serde_json::Value;

use super::{fixture, jwtk};

const SECRET: &str = "keys/secret-newline.txt";

fn key() -> String {
    fixture(SECRET).display().to_string()
}

fn mint(args: &[&str]) -> String {
    let out = jwtk()
        .args(["mint", "-k", &key()])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn batch(input: &str, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let out = jwtk()
        .args(["verify", "-k", &key(), "--alg", "HS256", "--batch"])
        .args(extra)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn one_json_line_per_input_line_in_order() {
    // Enough lines for many batches on several workers, with failures scattered through.
    let good = mint(&["--sub", "ok"]);
    let expired = mint(&["--exp", "-1h"]);
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..3000 {
        let (line, reason) = match i % 7 {
            3 => (expired.as_str(), "expired"),
            5 => ("not a token", "malformed"),
            _ => (good.as_str(), "valid"),
        };
        input.push_str(line);
        input.push('\n');
        expected.push(reason);
    }
    for jobs in ["1", "2", "5"] {
        let (code, lines, stderr) = batch(&input, &["--jobs", jobs]);
        assert_eq!(code, 1);
        assert_eq!(lines.len(), 3000);
        for (i, (line, reason)) in lines.iter().zip(&expected).enumerate() {
            assert_eq!(line["line"], i as u64 + 1);
            assert_eq!(
                line["reason"].as_str().unwrap_or("valid"),
                *reason,
                "line {}",
                i + 1
            );
        }
        let expired = expected.iter().filter(|r| **r == "expired").count();
        let malformed = expected.iter().filter(|r| **r == "malformed").count();
        let summary = format!(
            "3000 tokens: {} valid, {malformed} malformed, {expired} expired",
            3000 - expired - malformed
        );
        assert!(stderr.contains(&summary), "{stderr}");
    }
}

#[test]
fn all_valid_is_exit_0_and_the_json_schema_has_line() {
    let input = format!("{}\n{}\r\nBearer {}", mint(&[]), mint(&[]), mint(&[]));
    let (code, lines, _) = batch(&input, &[]);
    assert_eq!(code, 0);
    assert_eq!(lines.len(), 3);
    let names: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "valid", "reason", "message", "alg", "kid", "key", "header", "claims", "bound", "line"
        ]
    );
    let (code, lines, stderr) = batch("", &[]);
    assert_eq!((code, lines.len()), (0, 0));
    assert!(stderr.contains("0 tokens"));
}

#[test]
fn empty_and_oversized_lines_are_malformed_results() {
    let big = "A".repeat(17 * 1024 * 1024);
    let input = format!("{}\n\n{big}\n{}\n", mint(&[]), mint(&[]));
    let (code, lines, _) = batch(&input, &["--jobs", "2"]);
    assert_eq!(code, 1);
    let reasons: Vec<&str> = lines
        .iter()
        .map(|l| l["reason"].as_str().unwrap_or("valid"))
        .collect();
    assert_eq!(reasons, ["valid", "malformed", "malformed", "valid"]);
    assert!(
        lines[2]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{} bytes", 17 * 1024 * 1024))
    );
}

#[test]
fn batch_flags_are_checked() {
    jwtk()
        .args(["verify", "-k", &key(), "--alg", "HS256", "--batch", "x.y.z"])
        .assert()
        .code(2);
    jwtk()
        .args([
            "verify",
            "-k",
            &key(),
            "--alg",
            "HS256",
            "--jobs",
            "2",
            "x.y.z",
        ])
        .assert()
        .code(2);
    jwtk()
        .args([
            "verify",
            "-k",
            &key(),
            "--alg",
            "HS256",
            "--batch",
            "--jobs",
            "0",
        ])
        .assert()
        .code(2);
    jwtk()
        .args(["verify", "-k", &key(), "--alg", "HS256", "--batch", "-q"])
        .assert()
        .code(2);
    jwtk()
        .args(["verify", "-k", "/nonexistent", "--batch"])
        .write_stdin("a.b.c\n")
        .assert()
        .code(3)
        .stdout("");
    jwtk()
        .args(["verify", "-k", &key(), "--alg", "HS256", "--batch"])
        .write_stdin("a.b.c\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 token: 0 valid, 1 malformed"));
}
