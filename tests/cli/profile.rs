//! `verify --profile`, `mint --profile` and classify's `profile`: every rule of every profile
//! broken one at a time on tokens made by the `jsonwebtoken` crate (an implementation jwtk
//! shares no code with), at_hash/c_hash against authlib's values, the flags' usage errors,
//! and tokens jwtk mints with a profile passing it.

use jsonwebtoken::{Algorithm as JAlg, EncodingKey, Header};
use serde_json::{Value, json};

use super::{NOW, fixture, json_stdout, jwtk};

const LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// OpenID Connect Core 1.0 Appendix A.3's access token and A.4's code.
const ACCESS_TOKEN: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const CODE: &str = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

/// The ES256 key of RFC 7515 Appendix A.3: its public JWK verifies.
fn es256_public() -> String {
    path("rfc/rfc7515-A.3-ES256/key.public.jwk.json")
}

/// A token signed by jsonwebtoken with ES256; `typ: None` leaves typ out of the header.
fn es256(typ: Option<&str>, claims: &Value) -> String {
    let pem = std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.private.pkcs8.pem")).unwrap();
    let key = EncodingKey::from_ec_pem(&pem).unwrap();
    let mut header = Header::new(JAlg::ES256);
    header.typ = typ.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// The token as a verifier receives it for `profile`: an SD-JWT VC is an SD-JWT, the issuer
/// JWT followed by its disclosures (here none) and `~` (RFC 9901 §4).
fn sent(profile: &str, token: String) -> String {
    if profile == "sd-jwt-vc" {
        token + "~"
    } else {
        token
    }
}

/// `verify --json --key <es256> ARGS TOKEN`: the exit code and the verdict.
fn verify(args: &[&str], token: &str) -> (i32, Value) {
    let out = jwtk()
        .args(["verify", "--json", "--key", &es256_public()])
        .args(args)
        .arg(token)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, json_stdout(&out))
}

/// The authlib half hashes of tests/fixtures/profile/half_hashes.json: (alg, claim) → hash.
fn authlib(alg: &str, claim: &str) -> String {
    let text = std::fs::read(fixture("profile/half_hashes.json")).unwrap();
    let doc: Value = serde_json::from_slice(&text).unwrap();
    let found = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["alg"] == alg && v["claim"] == claim);
    found.unwrap()["hash"].as_str().unwrap().to_string()
}

/// One profile: a token that meets it, the flags that check it, and each rule broken.
struct Case {
    profile: &'static str,
    typ: Option<&'static str>,
    claims: Value,
    flags: Vec<&'static str>,
    breaks: Vec<Break>,
}

/// One rule broken: a change to the typ or the claims, the reason, and the section named.
struct Break {
    typ: Option<Option<&'static str>>,
    claims: Vec<(&'static str, Option<Value>)>,
    reason: &'static str,
    section: &'static str,
}

fn drop_claim(name: &'static str, section: &'static str) -> Break {
    Break {
        typ: None,
        claims: vec![(name, None)],
        reason: "missing_claim",
        section,
    }
}

fn set(name: &'static str, value: Value, reason: &'static str, section: &'static str) -> Break {
    Break {
        typ: None,
        claims: vec![(name, Some(value))],
        reason,
        section,
    }
}

fn retype(typ: Option<&'static str>, section: &'static str) -> Break {
    Break {
        typ: Some(typ),
        claims: Vec::new(),
        reason: "wrong_type",
        section,
    }
}

fn cases() -> Vec<Case> {
    let at = "RFC 9068 §2.2";
    let oidc = "OIDC Core §2";
    let rp = "OIDC Core §3.1.3.7";
    let bcl = "Back-Channel Logout §2.4";
    let a7523 = "RFC 7523 §3";
    vec![
        Case {
            profile: "at+jwt",
            typ: Some("at+jwt"),
            claims: json!({"iss": "https://as.example", "exp": NOW + 600,
                "aud": "https://api.example", "sub": "u1", "client_id": "c1", "iat": NOW,
                "jti": "j1"}),
            flags: vec!["--aud", "https://api.example"],
            breaks: vec![
                retype(None, "RFC 9068 §2.1, §4"),
                retype(Some("JWT"), "RFC 9068 §2.1, §4"),
                retype(Some("application/jwt"), "RFC 9068 §2.1, §4"),
                drop_claim("iss", at),
                drop_claim("exp", at),
                drop_claim("aud", at),
                drop_claim("sub", at),
                drop_claim("client_id", at),
                drop_claim("iat", at),
                drop_claim("jti", at),
            ],
        },
        Case {
            profile: "id_token",
            typ: Some("JWT"),
            claims: json!({"iss": "https://op.example", "sub": "u1", "aud": ["c1", "c2"],
                "exp": NOW + 600, "iat": NOW, "nonce": "n-0S6_WzA2Mj",
                "at_hash": authlib("ES256", "at_hash"), "c_hash": authlib("ES256", "c_hash"),
                "auth_time": NOW - 100}),
            flags: vec![
                "--client-id",
                "c1",
                "--nonce",
                "n-0S6_WzA2Mj",
                "--access-token",
                ACCESS_TOKEN,
                "--code",
                CODE,
                "--max-age",
                "5m",
            ],
            breaks: vec![
                retype(Some("at+jwt"), "RFC 8725 §3.11"),
                retype(Some("logout+jwt"), "RFC 8725 §3.11"),
                set(
                    "events",
                    json!({LOGOUT_EVENT: {}}),
                    "profile_violation",
                    "RFC 8725 §3.11",
                ),
                drop_claim("iss", oidc),
                drop_claim("sub", oidc),
                drop_claim("aud", oidc),
                drop_claim("exp", oidc),
                drop_claim("iat", oidc),
                set("aud", json!(["c2"]), "wrong_audience", rp),
                drop_claim("nonce", rp),
                set("nonce", json!("n-other"), "profile_violation", rp),
                drop_claim("at_hash", "OIDC Core §3.1.3.6, §3.1.3.8"),
                // ES384's hash (SHA-384) under an ES256 token.
                set(
                    "at_hash",
                    json!(authlib("ES384", "at_hash")),
                    "profile_violation",
                    "OIDC Core §3.1.3.6, §3.1.3.8",
                ),
                drop_claim("c_hash", "OIDC Core §3.3.2.10, §3.3.2.11"),
                set(
                    "c_hash",
                    json!(authlib("ES256", "at_hash")),
                    "profile_violation",
                    "OIDC Core §3.3.2.10, §3.3.2.11",
                ),
                drop_claim("auth_time", rp),
                set("auth_time", json!(NOW - 361), "profile_violation", rp),
            ],
        },
        Case {
            profile: "logout",
            typ: Some("logout+jwt"),
            claims: json!({"iss": "https://op.example", "aud": "c1", "iat": NOW,
                "exp": NOW + 120, "jti": "j1", "sid": "s1", "events": {LOGOUT_EVENT: {}}}),
            flags: vec![],
            breaks: vec![
                retype(Some("JWT"), bcl),
                drop_claim("iss", bcl),
                drop_claim("aud", bcl),
                drop_claim("iat", bcl),
                drop_claim("exp", bcl),
                drop_claim("jti", bcl),
                drop_claim("events", bcl),
                set("events", json!({}), "profile_violation", bcl),
                set(
                    "events",
                    json!({LOGOUT_EVENT: "logout"}),
                    "profile_violation",
                    bcl,
                ),
                drop_claim("sid", bcl),
                set(
                    "nonce",
                    json!("n"),
                    "profile_violation",
                    "Back-Channel Logout §2.4, §2.6",
                ),
            ],
        },
        Case {
            profile: "client_assertion",
            typ: None,
            claims: json!({"iss": "c1", "sub": "c1", "aud": "https://as.example/token",
                "exp": NOW + 60, "jti": "j1"}),
            flags: vec!["--aud", "https://as.example/token", "--client-id", "c1"],
            breaks: vec![
                drop_claim("iss", a7523),
                drop_claim("sub", a7523),
                drop_claim("aud", a7523),
                drop_claim("exp", a7523),
                drop_claim("jti", "OIDC Core §9"),
                set(
                    "sub",
                    json!("c2"),
                    "profile_violation",
                    "RFC 7523 §3, OIDC Core §9",
                ),
                Break {
                    typ: None,
                    claims: vec![("iss", Some(json!("c2"))), ("sub", Some(json!("c2")))],
                    reason: "profile_violation",
                    section: "OIDC Core §9",
                },
            ],
        },
        Case {
            profile: "sd-jwt-vc",
            typ: Some("dc+sd-jwt"),
            claims: json!({"iss": "https://issuer.example", "vct": "https://credentials.example/id",
                "exp": NOW + 600, "_sd_alg": "sha-256", "_sd": []}),
            flags: vec![],
            breaks: vec![
                retype(None, "draft-ietf-oauth-sd-jwt-vc §3.2.1"),
                retype(Some("JWT"), "draft-ietf-oauth-sd-jwt-vc §3.2.1"),
                drop_claim("vct", "draft-ietf-oauth-sd-jwt-vc §3.2.2.1.1"),
                set(
                    "iss",
                    json!(["https://issuer.example"]),
                    "profile_violation",
                    "draft-ietf-oauth-sd-jwt-vc §3.2.2.2",
                ),
            ],
        },
    ]
}

#[test]
fn a_plain_jws_is_no_sd_jwt_vc() {
    let claims = json!({"iss": "https://issuer.example", "vct": "https://credentials.example/id",
        "exp": NOW + 600, "_sd_alg": "sha-256", "_sd": []});
    let token = es256(Some("dc+sd-jwt"), &claims);
    let (code, doc) = verify(&["--profile", "sd-jwt-vc"], &token);
    assert_eq!(
        (code, &doc["reason"]),
        (1, &json!("profile_violation")),
        "{doc}"
    );
    let message = doc["message"].as_str().unwrap();
    assert!(message.contains("not an SD-JWT"), "{message}");
    assert!(
        message.contains("(draft-ietf-oauth-sd-jwt-vc §3)"),
        "{message}"
    );
    let (code, doc) = verify(&["--profile", "sd-jwt-vc"], &sent("sd-jwt-vc", token));
    assert_eq!((code, &doc["reason"]), (0, &Value::Null), "{doc}");
}

#[test]
fn tokens_meeting_each_profile_pass() {
    for case in cases() {
        let token = sent(case.profile, es256(case.typ, &case.claims));
        let mut args = vec!["--profile", case.profile];
        args.extend(&case.flags);
        let (code, doc) = verify(&args, &token);
        assert_eq!(
            (code, &doc["reason"]),
            (0, &Value::Null),
            "{}: {doc}",
            case.profile
        );
    }
}

#[test]
fn every_rule_of_every_profile_broken_one_at_a_time() {
    let mut failures = Vec::new();
    for case in cases() {
        for b in &case.breaks {
            let mut claims = case.claims.as_object().unwrap().clone();
            for (name, value) in &b.claims {
                match value {
                    Some(value) => drop(claims.insert(name.to_string(), value.clone())),
                    None => drop(claims.remove(*name)),
                }
            }
            let typ = b.typ.unwrap_or(case.typ);
            let token = sent(case.profile, es256(typ, &Value::Object(claims)));
            let mut args = vec!["--profile", case.profile];
            args.extend(&case.flags);
            let (code, doc) = verify(&args, &token);
            let message = doc["message"].as_str().unwrap_or_default();
            let named = format!("profile {}: ", case.profile);
            let cited = format!("({})", b.section);
            let what = format!("{} {:?} {:?}", case.profile, b.typ, b.claims);
            if code != 1 || doc["reason"] != b.reason {
                failures.push(format!("{what}: {code} {}: {message}", doc["reason"]));
            } else if !message.contains(&named) || !message.contains(&cited) {
                failures.push(format!(
                    "{what}: the message names no {named} {cited}: {message}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn profile_violation_ranks_after_wrong_type() {
    let claims = json!({"iss": "https://op.example", "sub": "u1", "aud": "c1",
        "exp": NOW + 600, "iat": NOW, "nonce": "other"});
    let args = [
        "--profile",
        "id_token",
        "--client-id",
        "c1",
        "--nonce",
        "mine",
    ];
    let (_, doc) = verify(&args, &es256(Some("at+jwt"), &claims));
    assert_eq!(doc["reason"], "wrong_type");
    let message = doc["message"].as_str().unwrap();
    assert!(
        message.contains("; profile_violation: profile id_token: nonce"),
        "{message}"
    );
    let (_, doc) = verify(&args, &es256(None, &claims));
    assert_eq!(doc["reason"], "profile_violation");
    // Expired outranks the profile.
    let old = json!({"iss": "i", "sub": "u1", "aud": "c1", "exp": NOW - 3600, "iat": NOW - 7200, "nonce": "other"});
    let (_, doc) = verify(&args, &es256(None, &old));
    assert_eq!(doc["reason"], "expired");
}

#[test]
fn a_missing_exp_is_reported_once_by_the_profile() {
    let claims =
        json!({"iss": "i", "aud": "a", "sub": "u", "client_id": "c", "iat": NOW, "jti": "j"});
    let token = es256(Some("at+jwt"), &claims);
    let (_, doc) = verify(&["--profile", "at+jwt", "--aud", "a"], &token);
    assert_eq!(
        doc["message"],
        "missing_claim: profile at+jwt: exp is absent (RFC 9068 §2.2)"
    );
    // --allow-no-exp does not lift a profile's own rule.
    let (_, doc) = verify(
        &["--profile", "at+jwt", "--aud", "a", "--allow-no-exp"],
        &token,
    );
    assert_eq!(doc["reason"], "missing_claim");
    // Without a profile that needs it, the usual rule and its hint.
    let (_, doc) = verify(&[], &token);
    assert!(
        doc["message"].as_str().unwrap().contains("--allow-no-exp"),
        "{doc}"
    );
}

/// at_hash and c_hash for every algorithm jsonwebtoken signs with, against authlib's values.
#[test]
fn half_hashes_for_every_algorithm() {
    let rsa = std::fs::read(fixture("keys/rsa-2048-pkcs1.pem")).unwrap();
    let p256 = std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.private.pkcs8.pem")).unwrap();
    let ed = std::fs::read(fixture("keys/ed25519-pkcs8.pem")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.bin");
    std::fs::write(&secret, [7u8; 64]).unwrap();
    let secret = secret.display().to_string();
    let (rsa_pub, ec_pub, ed_pub) = (
        path("keys/rsa-2048-spki.pem"),
        es256_public(),
        path("keys/ed25519-spki.pem"),
    );
    let hmac = || EncodingKey::from_secret(&[7u8; 64]);
    let rsa_key = || EncodingKey::from_rsa_pem(&rsa).unwrap();
    let cases: Vec<(JAlg, EncodingKey, &str)> = vec![
        (JAlg::HS256, hmac(), &secret),
        (JAlg::HS384, hmac(), &secret),
        (JAlg::HS512, hmac(), &secret),
        (JAlg::RS256, rsa_key(), &rsa_pub),
        (JAlg::RS384, rsa_key(), &rsa_pub),
        (JAlg::RS512, rsa_key(), &rsa_pub),
        (JAlg::PS256, rsa_key(), &rsa_pub),
        (JAlg::PS384, rsa_key(), &rsa_pub),
        (JAlg::PS512, rsa_key(), &rsa_pub),
        (
            JAlg::ES256,
            EncodingKey::from_ec_pem(&p256).unwrap(),
            &ec_pub,
        ),
        (JAlg::EdDSA, EncodingKey::from_ed_pem(&ed).unwrap(), &ed_pub),
    ];
    for (alg, key, public) in cases {
        let name = format!("{alg:?}");
        let mut claims = json!({"iss": "https://op.example", "sub": "u1", "aud": "c1",
            "exp": NOW + 600, "iat": NOW, "at_hash": authlib(&name, "at_hash"),
            "c_hash": authlib(&name, "c_hash")});
        let run = |claims: &Value| {
            let token = jsonwebtoken::encode(&Header::new(alg), claims, &key).unwrap();
            let out = jwtk()
                .args(["verify", "--json", "--key", public, "--alg", &name])
                .args(["--profile", "id_token", "--client-id", "c1"])
                .args(["--access-token", ACCESS_TOKEN, "--code", CODE])
                .arg(token)
                .output()
                .unwrap();
            json_stdout(&out)
        };
        assert_eq!(run(&claims)["valid"], true, "{name}: {}", run(&claims));
        // Another algorithm's hash (a different SHA-2, or the same one halved otherwise).
        let other = if name.ends_with("256") {
            "HS512"
        } else {
            "HS256"
        };
        claims["at_hash"] = json!(authlib(other, "at_hash"));
        let doc = run(&claims);
        assert_eq!(doc["reason"], "profile_violation", "{name}: {doc}");
        let sha = if name == "EdDSA" {
            "SHA-512"
        } else {
            &format!("SHA-{}", &name[2..])
        };
        assert!(
            doc["message"].as_str().unwrap().contains(sha),
            "{name}: {doc}"
        );
    }
}

#[test]
fn the_access_token_from_stdin_loses_one_newline() {
    let claims = json!({"iss": "https://op.example", "sub": "u1", "aud": "c1",
        "exp": NOW + 600, "iat": NOW, "at_hash": authlib("ES256", "at_hash")});
    let token = es256(None, &claims);
    let run = |stdin: String| {
        jwtk()
            .args(["verify", "--key", &es256_public(), "--profile", "id_token"])
            .args(["--client-id", "c1", "--access-token", "-", &token])
            .write_stdin(stdin)
            .output()
            .unwrap()
    };
    assert!(run(format!("{ACCESS_TOKEN}\n")).status.success());
    assert!(run(format!("{ACCESS_TOKEN}\r\n")).status.success());
    assert_eq!(run(format!("{ACCESS_TOKEN}\n\n")).status.code(), Some(1));
    assert_eq!(run(format!(" {ACCESS_TOKEN}")).status.code(), Some(1));
    let out = run(String::new());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the access token is empty"));
    // The token on stdin too: which is which can't be told.
    let out = jwtk()
        .args(["verify", "--key", &es256_public(), "--profile", "id_token"])
        .args(["--client-id", "c1", "--access-token", "-"])
        .write_stdin(token.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("can't both be read from stdin"));
}

#[test]
fn usage_errors_exit_2() {
    let token = es256(Some("at+jwt"), &json!({"exp": NOW + 60}));
    let cases: &[(&[&str], &str)] = &[
        (
            &["--profile", "at+jwt", "--profile", "at+jwt", "--aud", "a"],
            "cannot be used multiple times",
        ),
        (&["--profile", "access"], "invalid value"),
        (&["--nonce", "n"], "--profile"),
        (&["--access-token", "t"], "--profile"),
        (&["--code", "c"], "--profile"),
        (&["--max-age", "5m"], "--profile"),
        (&["--client-id", "c1"], "--profile"),
        (
            &["--profile", "at+jwt"],
            "--profile at+jwt needs --aud: RFC 9068 §4",
        ),
        (
            &["--profile", "client_assertion", "--client-id", "c"],
            "needs --aud",
        ),
        (&["--profile", "id_token"], "needs --client-id or --aud"),
        (
            &["--profile", "id_token", "--client-id", "c1", "--aud", "c2"],
            "differs from --aud",
        ),
        (
            &["--profile", "at+jwt", "--aud", "a", "--nonce", "n"],
            "--nonce does not apply to --profile at+jwt",
        ),
        (
            &["--profile", "logout", "--client-id", "c1"],
            "--client-id does not apply",
        ),
        (
            &[
                "--profile",
                "client_assertion",
                "--aud",
                "t",
                "--max-age",
                "1m",
            ],
            "--max-age does not apply",
        ),
    ];
    for (args, says) in cases {
        let out = jwtk()
            .args(["verify", "--key", &es256_public()])
            .args(*args)
            .arg(&token)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // --client-id alone is an ID token's audience; --aud alone is too.
    let claims = json!({"iss": "i", "sub": "u", "aud": "c1", "exp": NOW + 60, "iat": NOW});
    let id = es256(None, &claims);
    for flags in [["--client-id", "c1"], ["--aud", "c1"]] {
        let mut args = vec!["--profile", "id_token"];
        args.extend(flags);
        assert_eq!(verify(&args, &id).1["valid"], true, "{flags:?}");
    }
}

#[test]
fn the_valid_line_names_the_profile() {
    let claims = json!({"iss": "i", "sub": "u", "aud": "c1", "exp": NOW + 60, "iat": NOW});
    let out = jwtk()
        .args(["verify", "--key", &es256_public(), "--profile", "id_token"])
        .args(["--client-id", "c1", &es256(None, &claims)])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.ends_with("; meets profile id_token\n"), "{stdout}");
    assert!(!stdout.contains("audience not checked"), "{stdout}");
}

#[test]
fn batch_checks_the_profile_on_every_line() {
    let good = es256(
        Some("logout+jwt"),
        &json!({"iss": "i", "aud": "c", "iat": NOW, "exp": NOW + 60, "jti": "j", "sub": "u",
            "events": {LOGOUT_EVENT: {}}}),
    );
    let bad = es256(Some("logout+jwt"), &json!({"iss": "i", "exp": NOW + 60}));
    let out = jwtk()
        .args([
            "verify",
            "--key",
            &es256_public(),
            "--profile",
            "logout",
            "--batch",
        ])
        .write_stdin(format!("{good}\n{bad}\n"))
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["valid"], true, "{}", lines[0]);
    assert_eq!(lines[1]["reason"], "missing_claim", "{}", lines[1]);
}

/// What `mint --profile NAME ARGS` prints, minted with the RFC 7515 A.3 P-256 key.
fn mint(args: &[&str]) -> std::process::Output {
    jwtk()
        .args([
            "mint",
            "--key",
            &path("rfc/rfc7515-A.3-ES256/key.private.pkcs8.pem"),
            "--json",
        ])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn mint_profile_round_trips() {
    let events = format!("events:={{\"{LOGOUT_EVENT}\":{{}}}}");
    // (profile, mint flags, verify flags, typ, whether a jti is added)
    type MintCase<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, &'a str, bool);
    let cases: [MintCase; 4] = [
        (
            "at+jwt",
            vec![
                "--iss",
                "https://as.example",
                "--sub",
                "u1",
                "--aud",
                "https://api",
                "--claim",
                "client_id=c1",
            ],
            vec!["--aud", "https://api"],
            "at+jwt",
            true,
        ),
        (
            "id_token",
            vec![
                "--iss",
                "https://op.example",
                "--sub",
                "u1",
                "--aud",
                "c1",
                "--claim",
                "nonce=n1",
            ],
            vec!["--client-id", "c1", "--nonce", "n1"],
            "JWT",
            false,
        ),
        (
            "logout",
            vec![
                "--iss",
                "https://op.example",
                "--aud",
                "c1",
                "--claim",
                "sid=s1",
                "--claim",
                &events,
            ],
            vec![],
            "logout+jwt",
            true,
        ),
        (
            "client_assertion",
            vec![
                "--iss",
                "c1",
                "--sub",
                "c1",
                "--aud",
                "https://as.example/token",
            ],
            vec!["--aud", "https://as.example/token", "--client-id", "c1"],
            "JWT",
            true,
        ),
    ];
    for (profile, mint_args, verify_args, typ, jti) in cases {
        let mut args = vec!["--profile", profile];
        args.extend(&mint_args);
        let out = mint(&args);
        assert!(
            out.status.success(),
            "{profile}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc = json_stdout(&out);
        assert_eq!(doc["header"]["typ"], typ, "{profile}");
        assert_eq!(doc["claims"]["jti"].is_string(), jti, "{profile}");
        let token = doc["token"].as_str().unwrap();
        let mut args = vec!["--profile", profile];
        args.extend(&verify_args);
        let (code, verdict) = verify(&args, token);
        assert_eq!(code, 0, "{profile}: {verdict}");
        // classify names the profile it was minted for: these tokens meet no profile that
        // comes before it in the contract's order.
        let out = jwtk().args(["classify", "--json", token]).output().unwrap();
        assert_eq!(json_stdout(&out)["profile"], profile, "{profile}");
    }
    // A given jti and typ stay.
    let out = mint(&[
        "--profile",
        "at+jwt",
        "--iss",
        "i",
        "--sub",
        "u",
        "--aud",
        "a",
        "--claim",
        "client_id=c",
        "--jti",
        "mine",
        "--typ",
        "application/at+jwt",
    ]);
    let doc = json_stdout(&out);
    assert_eq!(
        (doc["claims"]["jti"].as_str(), doc["header"]["typ"].as_str()),
        (Some("mine"), Some("application/at+jwt"))
    );
}

#[test]
fn mint_profile_refuses_what_cannot_meet_it() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--profile", "at+jwt", "--sub", "u"],
            &[
                "mint --profile at+jwt: iss is absent (RFC 9068 §2.2); aud is absent (RFC 9068 §2.2); client_id is absent (RFC 9068 §2.2)",
                "hint: add --iss ISSUER; add --aud AUDIENCE; add --claim client_id=VALUE",
            ],
        ),
        (
            &[
                "--profile",
                "at+jwt",
                "--iss",
                "i",
                "--sub",
                "u",
                "--aud",
                "a",
                "--claim",
                "client_id=c",
                "--no-exp",
            ],
            &["exp is absent", "--exp +15m (not --no-exp)"],
        ),
        (
            &[
                "--profile",
                "at+jwt",
                "--iss",
                "i",
                "--sub",
                "u",
                "--aud",
                "a",
                "--claim",
                "client_id=c",
                "--typ",
                "JWT",
            ],
            &["header typ is \"JWT\", expected at+jwt", "leave out --typ"],
        ),
        (
            &[
                "--profile",
                "id_token",
                "--iss",
                "i",
                "--sub",
                "u",
                "--aud",
                "a",
                "--header",
                "typ=at+jwt",
            ],
            &["header typ is \"at+jwt\"", "RFC 8725 §3.11"],
        ),
        (
            &[
                "--profile",
                "logout",
                "--iss",
                "i",
                "--aud",
                "c",
                "--sub",
                "u",
                "--claim",
                "nonce=n",
            ],
            &[
                "events is absent",
                "nonce is present",
                "leave out the nonce claim",
                LOGOUT_EVENT,
            ],
        ),
        (
            &[
                "--profile",
                "logout",
                "--iss",
                "i",
                "--aud",
                "c",
                "--claim",
                "events:={}",
            ],
            &[
                "neither sub nor sid is present",
                "has no http://schemas.openid.net/event/backchannel-logout member",
            ],
        ),
        (
            &[
                "--profile",
                "client_assertion",
                "--iss",
                "c1",
                "--sub",
                "c2",
                "--aud",
                "t",
            ],
            &[
                "iss \"c1\" differs from sub \"c2\"",
                "give the client id as both --iss and --sub",
            ],
        ),
        (&["--profile", "sd-jwt-vc"], &["invalid value 'sd-jwt-vc'"]),
    ];
    for (args, says) in cases {
        let out = mint(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        for words in *says {
            assert!(stderr.contains(words), "{args:?} lacks {words:?}: {stderr}");
        }
    }
}

#[test]
fn classify_names_the_first_profile_met() {
    let mut failures = Vec::new();
    for case in cases() {
        let token = es256(case.typ, &case.claims);
        let out = jwtk()
            .args(["classify", "--json", &token])
            .output()
            .unwrap();
        let doc = json_stdout(&out);
        if doc["profile"] != case.profile {
            failures.push(format!("{}: {}", case.profile, doc["profile"]));
        }
        // The field sits before "verified", as the contract writes the object.
        let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
        assert_eq!(keys[keys.len() - 2..], ["profile", "verified"], "{keys:?}");
    }
    assert!(failures.is_empty(), "{failures:?}");
    // A logout token with sub also has an ID token's claims; logout comes first. A token that
    // meets none is null.
    let logout = json!({"iss": "i", "sub": "u", "aud": "c", "iat": NOW, "exp": NOW + 60, "jti": "j",
        "events": {LOGOUT_EVENT: {}}});
    let none = json!({"sub": "u", "exp": NOW + 60});
    for (typ, claims, want) in [
        (None, logout, json!("logout")),
        (Some("JWT"), none, Value::Null),
    ] {
        let out = jwtk()
            .args(["classify", "--json", &es256(typ, &claims)])
            .output()
            .unwrap();
        assert_eq!(json_stdout(&out)["profile"], want);
    }
}

/// The README's section on profiles, from its heading to the next one.
fn readme_section() -> String {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme
        .find("### Is this a correct access token?")
        .expect("the README's profile section");
    let rest = &readme[start..];
    let end = rest[4..].find("\n### ").map_or(rest.len(), |e| e + 4);
    rest[..end].to_string()
}

/// The README lists every rule of every profile with its section, as the table has them.
#[test]
fn the_readme_lists_every_rule() {
    let section = readme_section();
    for profile in jwtk::profile::Profile::ALL {
        let name = profile.name();
        let start = section
            .find(&format!("\n- `{name}` — "))
            .unwrap_or_else(|| panic!("no bullet for {name}"));
        let bullet = &section[start + 1..];
        let bullet = &bullet[..bullet[1..].find("\n- ").map_or(bullet.len(), |e| e + 1)];
        let flat = bullet.split_whitespace().collect::<Vec<_>>().join(" ");
        for rule in profile.spec().rules {
            let describe = rule.check.describe();
            assert!(
                flat.contains(&describe),
                "{name}: {describe:?} not in {flat}"
            );
            assert!(
                flat.contains(rule.section),
                "{name}: {} not in {flat}",
                rule.section
            );
        }
    }
}

/// The README's `mint --profile` refusal is what mint prints.
#[test]
fn the_readme_mint_refusal_is_as_shown() {
    let section = readme_section();
    let block = section.split("```console\n").nth(1).unwrap();
    let block = block.split("```").next().unwrap();
    let mut lines = block.lines();
    let command = lines.next().unwrap().strip_prefix("$ jwtk ").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pem = std::fs::read(fixture("rfc/rfc7515-A.3-ES256/key.private.pkcs8.pem")).unwrap();
    let key = dir.path().join("as.pem");
    std::fs::write(&key, pem).unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let out = jwtk()
        .current_dir(dir.path())
        .args(command.split(' '))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = super::stderr_after_pin(&out);
    let shown: Vec<&str> = lines.collect();
    assert_eq!(stderr.lines().collect::<Vec<_>>(), shown);
}
