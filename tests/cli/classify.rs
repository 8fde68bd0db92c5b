//! `jwtk classify`: one fixture per provider and kind (tests/fixtures/classify/cases.json,
//! sources in its README), the rules for issuers no row names, conflict, lookalike and unknown
//! cases, --strict, the human view, and the README's list of families.

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
        ("secevent-caep-typed", 0),
        ("cloudflare-access-service-token", 0),
        ("lookalike-okta-subdomain", 0),
        ("generic-ci-foreign-grant", 1),
        ("logout-with-nonce", 1),
        ("keycloak-jti-vs-service-account", 1),
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
        "secevent-caep-typed",
        "generic-ci-foreign-grant",
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
    for (name, words) in [
        ("logout-with-nonce", ["nonce", "logout"]),
        (
            "logout-typed-without-event",
            ["logout+jwt", "no back-channel logout event"],
        ),
        ("at-jwt-with-events", ["at+jwt", "events"]),
        (
            "keycloak-jti-vs-service-account",
            ["machine form", "onrtac"],
        ),
        (
            "generic-ci-foreign-grant",
            ["gty client-credentials", "job or workload"],
        ),
    ] {
        let out = jwtk()
            .args(["classify", "--json", &token_of(&case(name))])
            .output()
            .unwrap();
        let conflict = json_stdout(&out)["conflicts"][0].to_string();
        for word in words {
            assert!(conflict.contains(word), "{name}: {conflict}");
        }
    }
}

/// A family's name in someone else's host, path or query names no provider, and the
/// issuer's own host (or a port on it) does.
#[test]
fn lookalike_issuers_name_no_provider() {
    // claims no row names, so only the issuer can name a provider
    let provider = |iss: &str| {
        let c = serde_json::json!({"header": {"alg": "RS256"},
            "claims": {"iss": iss, "sub": "svc", "client_id": "svc", "scope": "x"}});
        let out = jwtk()
            .args(["classify", "--json", &token_of(&c)])
            .output()
            .unwrap();
        json_stdout(&out)["provider"].clone()
    };
    for own in [
        "https://dev-1234.okta.com/oauth2/default",
        "https://DEV-1234.OKTA.COM:443/oauth2/default",
    ] {
        assert_eq!(provider(own), "okta", "{own}");
    }
    for lookalike in [
        "https://okta.example.net/oauth2/default",
        "https://dev-1234.okta.com.example.net/oauth2/default",
        "https://example.net/dev-1234.okta.com/oauth2/default",
        "https://dev-1234.okta.com@example.net/oauth2/default",
        "https://example.net?.okta.com/oauth2/default",
        "https://a.b.okta.com/oauth2/default",
    ] {
        assert_eq!(provider(lookalike), Value::Null, "{lookalike}");
    }
}

/// The README lists every issuer family jwtk knows, rendered from the table:
/// `UPDATE_GENERATED=1` rewrites the list, and the test fails when it is stale.
#[test]
fn readme_lists_the_families_jwtk_knows() {
    use jwtk::classify::issuers;
    use jwtk::classify::signs::Category;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = (
        "<!-- classify-families:begin -->\n",
        "<!-- classify-families:end -->",
    );
    let from = readme.find(begin).expect("README has the families marker") + begin.len();
    let to = readme
        .find(end)
        .expect("README has the families end marker");
    let mut rows: Vec<&jwtk::classify::signs::Issuer> = issuers::all().iter().collect();
    rows.sort_by_key(|i| (i.category, i.name.to_ascii_lowercase()));
    let mut list = String::new();
    let mut category: Option<Category> = None;
    for issuer in rows {
        if category != Some(issuer.category) {
            category = Some(issuer.category);
            list.push_str(&format!(
                "\n**{}**\n\n| family | provider | issues | named by | cannot tell apart |\n|---|---|---|---|---|\n",
                capitalised(issuer.category.as_str())
            ));
        }
        list.push_str(&format!(
            "| [{}]({}) | `{}` | {} | {} | {} |\n",
            issuer.name,
            issuer.source,
            issuer.provider.as_str(),
            issues(issuer.family),
            named_by(issuer.signs),
            issuer.cannot_tell.replace('|', "\\|")
        ));
    }
    let list = format!("{}\n", list.trim_start_matches('\n'));
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        let updated = format!("{}{list}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[from..to] == list,
        "README's family list is stale (run UPDATE_GENERATED=1 cargo test --test cli classify::)"
    );
    // and it can fail: every provider appears in it
    for issuer in issuers::all() {
        assert!(list.contains(&format!("`{}`", issuer.provider.as_str())));
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn issues(family: jwtk::classify::signs::Family) -> String {
    use jwtk::classify::signs::Family;
    match family {
        Family::Grants => "OAuth/OIDC tokens (its markers decide)".to_string(),
        Family::MachinesAsUsers => "OAuth/OIDC tokens; machines are service users".to_string(),
        Family::Ci => "`ci_workload`".to_string(),
        Family::ServiceAccount => "`service_account`".to_string(),
        Family::WorkloadId => "`id` of a workload".to_string(),
        Family::Session(kind) => format!("`{}` of its own session", kind.as_str()),
        Family::ClientMade => "`access` a client signs itself".to_string(),
        Family::Assertions => "receives RFC 7523 `client_assertion`s".to_string(),
    }
}

fn named_by(signs: &[&[jwtk::classify::signs::Cond]]) -> String {
    use jwtk::classify::signs::Cond;
    let cond = |c: &Cond| match *c {
        Cond::Iss(p) => format!("iss `{p}`"),
        Cond::Sub(p) => format!("sub `{p}`"),
        Cond::Aud(p) => format!("aud `{p}`"),
        Cond::Value(n, p) => format!("`{n}` `{p}`"),
        Cond::Has(n) => format!("`{n}`"),
        Cond::Lacks(n) => format!("no `{n}`"),
        Cond::Prefix(p) => format!("`{p}…`"),
        Cond::Header(n, p) => format!("header `{n}` `{p}`"),
        Cond::Same(a, b) => format!("`{a}` = `{b}`"),
    };
    signs
        .iter()
        .map(|sign| sign.iter().map(cond).collect::<Vec<_>>().join(" + "))
        .collect::<Vec<_>>()
        .join("; ")
        .replace('|', "\\|")
}
