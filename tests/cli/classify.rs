//! `jwtk classify`: one fixture per provider and kind (tests/fixtures/classify/cases.json,
//! sources in its README), conflict and unknown cases, --strict, and the human view.

use predicates::prelude::*;
use serde_json::Value;

use super::{b64, fixture, json_stdout, jwtk};

fn cases() -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(fixture("classify/cases.json")).unwrap()).unwrap()
}

fn token_of(case: &Value) -> String {
    format!(
        "{}.{}.{}",
        b64(case["header"].to_string()),
        b64(case["claims"].to_string()),
        b64([7u8; 64])
    )
}

fn case(name: &str) -> Value {
    cases().into_iter().find(|c| c["name"] == name).unwrap()
}

#[test]
fn every_fixture_gets_its_expected_answer() {
    let cases = cases();
    assert!(cases.len() >= 60);
    let mut failures = Vec::new();
    for case in &cases {
        let out = jwtk()
            .args(["classify", "--json", &token_of(case)])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", case["name"]);
        let got = json_stdout(&out);
        let want = &case["expect"];
        for field in ["kind", "flow", "subject", "provider", "confidence"] {
            if got[field] != want[field] {
                failures.push(format!(
                    "{}: {field} is {}, expected {}",
                    case["name"], got[field], want[field]
                ));
            }
        }
        let conflicts = got["conflicts"].as_array().unwrap().len() as u64;
        if conflicts != want["conflicts"].as_u64().unwrap_or(0) {
            failures.push(format!(
                "{}: {conflicts} conflicts: {}",
                case["name"], got["conflicts"]
            ));
        }
        if let Some(words) = want["evidence"].as_str()
            && !got["evidence"].to_string().contains(words)
        {
            failures.push(format!(
                "{}: evidence lacks {words:?}: {}",
                case["name"], got["evidence"]
            ));
        }
        assert_eq!(got["verified"], false);
        assert!(
            !got["evidence"].as_array().unwrap().is_empty() || got["kind"] == "unknown",
            "{}",
            case["name"]
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn strict_fails_low_confidence_and_conflicts_only() {
    for (name, code) in [
        ("auth0-m2m", 0),
        ("rfc9068-client-credentials", 0),
        ("github-actions-enterprise", 0),
        ("firebase", 0),
        ("dpop-proof", 0),
        ("google-jwt-bearer-assertion", 0),
        ("base-rule-contradicted", 1),
        ("unknown", 1),
        ("at-jwt-with-id-claims", 1),
        ("auth0-gty-cc-user-sub", 1),
        ("zitadel-service-user", 1),
        ("authentik-machine", 1),
    ] {
        jwtk()
            .args(["classify", "--strict", &token_of(&case(name))])
            .assert()
            .code(code);
        jwtk()
            .args(["classify", &token_of(&case(name))])
            .assert()
            .code(0);
    }
}

#[test]
fn malformed_tokens_and_text_payloads_exit_1() {
    jwtk()
        .args(["classify", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("malformed token"));
    let text = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256"}"#),
        b64("hello"),
        b64([1u8; 32])
    );
    jwtk()
        .args(["classify", &text])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("claims"));
}

#[test]
fn size_warnings_name_the_largest_claims() {
    let mut c = case("entra-delegated");
    c["claims"]["groups"] = Value::Array(
        (0..400)
            .map(|i| Value::String(format!("group-{i:05}")))
            .collect(),
    );
    jwtk()
        .args(["classify", &token_of(&c)])
        .assert()
        .success()
        .stderr(predicate::str::contains("4096-byte").and(predicate::str::contains("groups (")));
}

#[test]
fn human_views() {
    for name in [
        "keycloak-service-account",
        "base-rule-contradicted",
        "dpop-bound",
        "dpop-proof",
        "authentik-machine",
        "github-actions-ghes",
        "auth0-gty-cc-user-sub",
    ] {
        let out = jwtk()
            .args(["classify", &token_of(&case(name))])
            .output()
            .unwrap();
        insta::assert_snapshot!(
            format!("classify_{name}"),
            String::from_utf8(out.stdout).unwrap()
        );
    }
}

#[test]
fn every_issuer_family_has_a_fixture() {
    let named: Vec<String> = cases()
        .iter()
        .filter_map(|c| c["expect"]["provider"].as_str().map(str::to_string))
        .collect();
    for issuer in jwtk::classify::issuers::all() {
        assert!(
            named.iter().any(|p| p == issuer.provider.as_str()),
            "no fixture names {}",
            issuer.provider.as_str()
        );
    }
}

#[test]
fn fixtures_cite_public_sources_only() {
    let readme = std::fs::read_to_string(fixture("classify/README.md")).unwrap();
    let cases = std::fs::read_to_string(fixture("classify/cases.json")).unwrap();
    // Sources are public URLs, never a path outside the repository.
    let outside = format!("{}/shared", "..");
    for text in [&readme, &cases] {
        assert!(!text.contains(&outside));
    }
    for case in self::cases() {
        let name = case["name"].as_str().unwrap();
        assert!(readme.contains(name), "README does not cite {name}");
    }
}

#[test]
fn the_conflict_names_what_contradicts() {
    let out = jwtk()
        .args([
            "classify",
            "--json",
            &token_of(&case("auth0-gty-cc-user-sub")),
        ])
        .output()
        .unwrap();
    let got = json_stdout(&out);
    assert!(got["conflicts"][0].as_str().unwrap().contains("auth0|64f1"));
    assert!(!got["evidence"].to_string().contains("@clients\""));
    let out = jwtk()
        .args([
            "classify",
            "--json",
            &token_of(&case("at-jwt-with-id-claims")),
        ])
        .output()
        .unwrap();
    let conflict = json_stdout(&out)["conflicts"][0].to_string();
    assert!(
        conflict.contains("nonce") && conflict.contains("at_hash"),
        "{conflict}"
    );
}
