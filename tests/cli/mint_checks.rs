//! `mint` reviews the token it built as `decode` would (times, header, size), whichever way a
//! claim was set; `mint --json`.

use serde_json::{Value, json};

use super::{NOW, fixture, json_stdout, jwtk};

fn secret() -> String {
    fixture("keys/secret-newline.txt").display().to_string()
}

/// Mint with `args`; return the token and the warnings on stderr.
fn mint(args: &[&str]) -> (String, Vec<String>) {
    let out = jwtk()
        .args(["mint", "--key", &secret()])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    let warnings = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("jwtk: warning: "))
        .map(str::to_string)
        .collect();
    (
        String::from_utf8(out.stdout).unwrap().trim().to_string(),
        warnings,
    )
}

fn decode_warnings(token: &str) -> Vec<String> {
    let out = jwtk().args(["decode", "--json", token]).output().unwrap();
    json_stdout(&out)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_time_warning_decode_gives_mint_gives_too() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let three_years = NOW + 3 * 365 * 86_400;
    std::fs::write(&base, json!({"sub": "svc", "exp": three_years}).to_string()).unwrap();
    let base = base.display().to_string();
    let big = format!("blob={}", "x".repeat(5000));
    let cases: [(Vec<&str>, &str); 9] = [
        (vec!["--claim", "exp:=3600"], "expired 56y"),
        (vec!["--exp", "-1h"], "expired 1h ago"),
        (vec!["--exp", "1795350289000"], "milliseconds"),
        (
            vec!["--claim", "exp=tomorrow"],
            "exp is a string, not a NumericDate",
        ),
        (vec!["--nbf", "+2h", "--exp", "+1h"], "nbf is after exp"),
        (vec!["--nbf", "+2h", "--exp", "+3h"], "not valid yet"),
        (vec!["--claims", &base], "lives 3y"),
        (vec!["--no-exp"], "never expires"),
        (vec!["--claim", &big], "over the 4096-byte budget"),
    ];
    for (args, words) in cases {
        let (token, warnings) = mint(&args);
        assert!(
            warnings.iter().any(|w| w.contains(words)),
            "{args:?}: want {words:?} in {warnings:?}"
        );
        for expected in decode_warnings(&token) {
            assert!(
                warnings.contains(&expected),
                "{args:?}: decode warns {expected:?}, mint only {warnings:?}"
            );
        }
    }
    // A sound token: no time warning at all.
    let (_, warnings) = mint(&["--exp", "+15m"]);
    assert!(
        warnings.iter().all(|w| w.contains("mode")),
        "only the key file's mode: {warnings:?}"
    );
}

#[test]
fn mint_json_holds_the_token_and_what_it_says() {
    let out = jwtk()
        .args(["mint", "--key", &secret(), "--json", "--sub", "alice"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = json_stdout(&out);
    let names: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["token", "header", "claims", "exp", "kid"]);
    let token = doc["token"].as_str().unwrap();
    let decoded = json_stdout(&jwtk().args(["decode", "--json", token]).output().unwrap());
    assert_eq!(doc["header"], decoded["header"]);
    assert_eq!(doc["claims"], decoded["claims"]);
    assert_eq!(doc["exp"], json!(NOW + 900));
    assert_eq!(doc["kid"], Value::Null);
    assert_eq!(doc["claims"]["sub"], "alice");

    let out = jwtk()
        .arg("mint")
        .arg("--key")
        .arg(fixture("keys/keyset.jwks"))
        .args(["--json", "--no-exp"])
        .output()
        .unwrap();
    let doc = json_stdout(&out);
    assert_eq!(doc["exp"], Value::Null);
    assert!(doc["kid"].is_string(), "{doc}");
    assert_eq!(doc["kid"], doc["header"]["kid"]);
}
