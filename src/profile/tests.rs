//! Every rule of every profile, broken one at a time on a token that otherwise meets it.

use serde_json::json;

use super::*;

const NOW: i64 = 1_800_000_000;

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// A token that meets `profile` with the flags of `expect` (all of them given).
fn valid(profile: Profile) -> (Value, Value, Expect) {
    let at = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    let code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
    match profile {
        Profile::AtJwt => (
            json!({"alg": "RS256", "typ": "at+jwt"}),
            json!({"iss": "https://as.example", "exp": NOW + 60, "aud": "https://api.example",
                   "sub": "u1", "client_id": "c1", "iat": NOW, "jti": "j1"}),
            Expect::default(),
        ),
        Profile::IdToken => (
            json!({"alg": "RS256", "typ": "JWT"}),
            json!({"iss": "https://op.example", "sub": "u1", "aud": ["c1", "other"],
                   "exp": NOW + 60, "iat": NOW, "nonce": "n-0S6_WzA2Mj",
                   "at_hash": "77QmUPtjPfzWtF2AnpK9RQ", "c_hash": "LDktKdoQak3Pk0cnXxCltA",
                   "auth_time": NOW - 100}),
            Expect {
                nonce: Some("n-0S6_WzA2Mj".into()),
                access_token: Some(at.into()),
                code: Some(code.into()),
                max_age: Some(300),
                client_id: Some("c1".into()),
                require_kb: false,
            },
        ),
        Profile::Logout => (
            json!({"alg": "ES256", "typ": "logout+jwt"}),
            json!({"iss": "https://op.example", "aud": "c1", "iat": NOW, "exp": NOW + 120,
                   "jti": "j1", "sid": "s1", "events": {LOGOUT_EVENT: {}}}),
            Expect::default(),
        ),
        Profile::ClientAssertion => (
            json!({"alg": "ES256", "typ": "JWT"}),
            json!({"iss": "c1", "sub": "c1", "aud": "https://as.example/token",
                   "exp": NOW + 60, "jti": "j1"}),
            Expect {
                client_id: Some("c1".into()),
                ..Expect::default()
            },
        ),
        Profile::SdJwtVc => (
            json!({"alg": "ES256", "typ": "dc+sd-jwt"}),
            json!({"iss": "https://issuer.example", "vct": "https://credentials.example/id",
                   "cnf": {"jwk": {"kty": "EC"}}, "_sd_alg": "sha-256", "_sd": []}),
            Expect {
                require_kb: true,
                ..Expect::default()
            },
        ),
    }
}

type Change = Box<dyn Fn(&mut Map<String, Value>, &mut Map<String, Value>)>;

/// How to break one rule: which, the change to the header and claims, the reason expected.
struct Break {
    rule: usize,
    change: Change,
    reason: Reason,
}

fn claim(rule: usize, name: &'static str, reason: Reason) -> Break {
    Break {
        rule,
        change: Box::new(move |_, claims| drop(claims.remove(name))),
        reason,
    }
}

fn set(rule: usize, name: &'static str, value: Value, reason: Reason) -> Break {
    Break {
        rule,
        change: Box::new(move |_, claims| drop(claims.insert(name.into(), value.clone()))),
        reason,
    }
}

fn typ(rule: usize, value: Option<Value>) -> Break {
    Break {
        rule,
        change: Box::new(move |header, _| match &value {
            Some(value) => drop(header.insert("typ".into(), value.clone())),
            None => drop(header.remove("typ")),
        }),
        reason: Reason::WrongType,
    }
}

fn breaks(profile: Profile) -> Vec<Break> {
    use Reason::*;
    match profile {
        Profile::AtJwt => vec![
            typ(0, None),
            typ(0, Some(json!("JWT"))),
            claim(1, "iss", MissingClaim),
            claim(2, "exp", MissingClaim),
            claim(3, "aud", MissingClaim),
            claim(4, "sub", MissingClaim),
            claim(5, "client_id", MissingClaim),
            set(5, "client_id", Value::Null, MissingClaim),
            claim(6, "iat", MissingClaim),
            claim(7, "jti", MissingClaim),
        ],
        Profile::IdToken => vec![
            typ(0, Some(json!("at+jwt"))),
            typ(0, Some(json!("logout+jwt"))),
            set(1, "events", json!({LOGOUT_EVENT: {}}), ProfileViolation),
            claim(2, "iss", MissingClaim),
            claim(3, "sub", MissingClaim),
            claim(4, "aud", MissingClaim),
            claim(5, "exp", MissingClaim),
            claim(6, "iat", MissingClaim),
            set(7, "aud", json!(["other"]), WrongAudience),
            set(7, "aud", json!("C1"), WrongAudience),
            claim(8, "nonce", MissingClaim),
            set(8, "nonce", json!("n-other"), ProfileViolation),
            claim(9, "at_hash", MissingClaim),
            set(
                9,
                "at_hash",
                json!("w3WiggkTgAiS4rHFJ_reKg"),
                ProfileViolation,
            ),
            claim(10, "c_hash", MissingClaim),
            set(10, "c_hash", json!(5), ProfileViolation),
            claim(11, "auth_time", MissingClaim),
            set(11, "auth_time", json!(NOW - 361), ProfileViolation),
            set(11, "auth_time", json!("yesterday"), ProfileViolation),
        ],
        Profile::Logout => vec![
            typ(0, Some(json!("JWT"))),
            claim(1, "iss", MissingClaim),
            claim(2, "aud", MissingClaim),
            claim(3, "iat", MissingClaim),
            claim(4, "exp", MissingClaim),
            claim(5, "jti", MissingClaim),
            claim(6, "events", MissingClaim),
            set(7, "events", json!({}), ProfileViolation),
            set(7, "events", json!({LOGOUT_EVENT: true}), ProfileViolation),
            set(7, "events", json!([LOGOUT_EVENT]), ProfileViolation),
            claim(8, "sid", MissingClaim),
            set(9, "nonce", json!("n"), ProfileViolation),
        ],
        Profile::ClientAssertion => vec![
            claim(0, "iss", MissingClaim),
            claim(1, "sub", MissingClaim),
            claim(2, "aud", MissingClaim),
            claim(3, "exp", MissingClaim),
            claim(4, "jti", MissingClaim),
            set(5, "sub", json!("c2"), ProfileViolation),
            Break {
                rule: 6,
                change: Box::new(|_, claims| {
                    claims.insert("iss".into(), json!("c2"));
                    claims.insert("sub".into(), json!("c2"));
                }),
                reason: ProfileViolation,
            },
        ],
        Profile::SdJwtVc => vec![
            typ(0, None),
            typ(0, Some(json!("JWT"))),
            claim(1, "vct", MissingClaim),
            set(
                2,
                "iss",
                json!(["https://issuer.example"]),
                ProfileViolation,
            ),
            claim(3, "cnf", MissingClaim),
        ],
    }
}

fn judge(profile: Profile, header: &Value, claims: &Value, expect: &Expect) -> Vec<Failure> {
    let (header, claims) = (object(header.clone()), object(claims.clone()));
    let alg = header["alg"].as_str().and_then(|a| a.parse().ok());
    let token = Token {
        header: &header,
        claims: &claims,
        alg,
        sd: None,
    };
    let clock = Clock {
        now: NOW,
        leeway: 60,
    };
    profile.check(token, expect, clock)
}

#[test]
fn valid_tokens_pass() {
    for profile in Profile::ALL {
        let (header, claims, expect) = valid(profile);
        assert_eq!(judge(profile, &header, &claims, &expect), [], "{profile}");
        assert!(profile.fits(&object(header), &object(claims)), "{profile}");
    }
}

#[test]
fn every_rule_broken_one_at_a_time() {
    for profile in Profile::ALL {
        let spec = profile.spec();
        let breaks = breaks(profile);
        // The form rule is broken by the token's form, not its claims: its own test below.
        let by_claims = spec
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| !matches!(r.check, Check::SdJwt));
        for (index, rule) in by_claims {
            assert!(
                breaks.iter().any(|b| b.rule == index),
                "{profile}: no test breaks rule {index}, {}",
                rule.check.describe()
            );
        }
        for b in breaks {
            let (header, claims, expect) = valid(profile);
            let (mut header, mut claims) = (object(header), object(claims));
            (b.change)(&mut header, &mut claims);
            let (header, claims) = (Value::Object(header), Value::Object(claims));
            let failures = judge(profile, &header, &claims, &expect);
            let rule = &spec.rules[b.rule];
            let what = format!("{profile}: {} ({header} {claims})", rule.check.describe());
            assert_eq!(failures.len(), 1, "{what}: {failures:?}");
            assert_eq!(failures[0].reason, b.reason, "{what}: {failures:?}");
            let message = &failures[0].message;
            assert!(
                message.starts_with(&format!("profile {}: ", spec.name)),
                "{what}: {message}"
            );
            assert!(
                message.ends_with(&format!("({})", rule.section)),
                "{what}: {message}"
            );
            if rule.check.flag().is_none() {
                assert!(!profile.fits(&object(header), &object(claims)), "{what}");
            }
        }
    }
}

#[test]
fn flag_rules_apply_only_when_given() {
    let (header, mut claims, _) = valid(Profile::IdToken);
    for name in ["nonce", "at_hash", "c_hash", "auth_time"] {
        claims.as_object_mut().unwrap().remove(name);
    }
    claims["aud"] = json!("someone-else");
    let expect = Expect::default();
    assert_eq!(judge(Profile::IdToken, &header, &claims, &expect), []);
    let (header, mut claims, _) = valid(Profile::SdJwtVc);
    claims.as_object_mut().unwrap().remove("cnf");
    assert_eq!(
        judge(Profile::SdJwtVc, &header, &claims, &Expect::default()),
        []
    );
}

#[test]
fn typ_is_compared_as_a_media_type() {
    let (mut header, claims, expect) = valid(Profile::AtJwt);
    for typ in ["application/at+jwt", "AT+JWT", "Application/At+Jwt"] {
        header["typ"] = json!(typ);
        assert_eq!(
            judge(Profile::AtJwt, &header, &claims, &expect),
            [],
            "{typ}"
        );
    }
    for typ in [
        json!("at+jwt2"),
        json!("application/jwt"),
        json!(["at+jwt"]),
    ] {
        header["typ"] = typ.clone();
        let reasons: Vec<Reason> = judge(Profile::AtJwt, &header, &claims, &expect)
            .iter()
            .map(|f| f.reason)
            .collect();
        assert_eq!(reasons, [Reason::WrongType], "{typ}");
    }
    // An ID token without typ is fine; a logout token without one too.
    for profile in [Profile::IdToken, Profile::Logout] {
        let (mut header, claims, expect) = valid(profile);
        header.as_object_mut().unwrap().remove("typ");
        assert_eq!(judge(profile, &header, &claims, &expect), [], "{profile}");
    }
    let (mut header, claims, expect) = valid(Profile::SdJwtVc);
    header["typ"] = json!("vc+sd-jwt");
    assert_eq!(judge(Profile::SdJwtVc, &header, &claims, &expect), []);
}

#[test]
fn half_hashes_follow_the_alg() {
    let (mut header, mut claims, expect) = valid(Profile::IdToken);
    let at = expect.access_token.clone().unwrap();
    let code = expect.code.clone().unwrap();
    for alg in Algorithm::ALL {
        header["alg"] = json!(alg.name());
        claims["at_hash"] = json!(hash::half_hash(alg, at.as_bytes()));
        claims["c_hash"] = json!(hash::half_hash(alg, code.as_bytes()));
        assert_eq!(
            judge(Profile::IdToken, &header, &claims, &expect),
            [],
            "{alg}"
        );
    }
    // The RS256 hashes under ES384: wrong.
    header["alg"] = json!("ES384");
    claims["at_hash"] = json!("77QmUPtjPfzWtF2AnpK9RQ");
    let failures = judge(Profile::IdToken, &header, &claims, &expect);
    assert!(failures[0].message.contains("SHA-384"), "{failures:?}");
}

#[test]
fn max_age_allows_the_leeway() {
    let (header, mut claims, expect) = valid(Profile::IdToken);
    claims["auth_time"] = json!(NOW - 360);
    assert_eq!(judge(Profile::IdToken, &header, &claims, &expect), []);
    claims["auth_time"] = json!(NOW - 361);
    let failures = judge(Profile::IdToken, &header, &claims, &expect);
    assert!(failures[0].message.contains("--max-age 5m"), "{failures:?}");
}

#[test]
fn logout_needs_sub_or_sid() {
    let (header, mut claims, expect) = valid(Profile::Logout);
    let map = claims.as_object_mut().unwrap();
    map.remove("sid");
    map.insert("sub".into(), json!("u1"));
    assert_eq!(judge(Profile::Logout, &header, &claims, &expect), []);
}

#[test]
fn flags_suit_the_profile() {
    let client = Expect {
        client_id: Some("c1".into()),
        ..Expect::default()
    };
    let aud = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    use FlagProblem::*;
    assert!(matches!(
        Profile::AtJwt.check_flags(&Expect::default(), &[]),
        Err(Needs { needs: "--aud", .. })
    ));
    assert_eq!(
        Profile::AtJwt.check_flags(&Expect::default(), &aud(&["a"])),
        Ok(())
    );
    assert!(matches!(
        Profile::ClientAssertion.check_flags(&client, &[]),
        Err(Needs { needs: "--aud", .. })
    ));
    assert!(matches!(
        Profile::IdToken.check_flags(&Expect::default(), &[]),
        Err(Needs { .. })
    ));
    assert_eq!(Profile::IdToken.check_flags(&client, &[]), Ok(()));
    assert_eq!(Profile::IdToken.check_flags(&client, &aud(&["c1"])), Ok(()));
    assert!(matches!(
        Profile::IdToken.check_flags(&client, &aud(&["c1", "c2"])),
        Err(ClientIdDiffers { .. })
    ));
    assert_eq!(
        Profile::IdToken.check_flags(&Expect::default(), &aud(&["c1"])),
        Ok(())
    );
    let nonce = Expect {
        nonce: Some("n".into()),
        ..Expect::default()
    };
    assert_eq!(
        Profile::AtJwt.check_flags(&nonce, &aud(&["a"])),
        Err(DoesNotApply {
            flag: "--nonce",
            profile: "at+jwt"
        })
    );
    assert!(Profile::Logout.check_flags(&client, &[]).is_err());
    assert_eq!(Profile::Logout.check_flags(&Expect::default(), &[]), Ok(()));
    let kb = Expect {
        require_kb: true,
        ..Expect::default()
    };
    assert_eq!(Profile::AtJwt.check_flags(&kb, &aud(&["a"])), Ok(()));
}

#[test]
fn identify_in_the_contract_order() {
    for profile in Profile::ALL {
        let (header, claims, _) = valid(profile);
        assert_eq!(
            identify(&object(header), &object(claims)),
            Some(profile),
            "{profile}"
        );
    }
    // A logout token also has what an ID token needs, if sub is there: logout comes first.
    let (header, mut claims, _) = valid(Profile::Logout);
    claims["sub"] = json!("u1");
    assert_eq!(
        identify(&object(header), &object(claims)),
        Some(Profile::Logout)
    );
    // A client assertion with iat meets the ID token's rules too.
    let (header, mut claims, _) = valid(Profile::ClientAssertion);
    claims["iat"] = json!(NOW);
    let (header, claims) = (object(header), object(claims));
    assert!(Profile::IdToken.fits(&header, &claims));
    assert_eq!(identify(&header, &claims), Some(Profile::ClientAssertion));
    assert_eq!(identify(&Map::new(), &object(json!({"sub": "x"}))), None);
}

#[test]
fn mint_completes_the_jti() {
    let mut claims = Map::new();
    Profile::AtJwt.complete(&mut claims);
    assert_eq!(claims["jti"].as_str().map(str::len), Some(22));
    let mut claims = object(json!({"jti": "mine"}));
    Profile::Logout.complete(&mut claims);
    assert_eq!(claims["jti"], "mine");
    let mut claims = Map::new();
    Profile::IdToken.complete(&mut claims);
    assert!(claims.is_empty());
    for profile in Profile::ALL {
        let mint = profile.spec().mint.as_ref();
        assert_eq!(mint.is_none(), profile == Profile::SdJwtVc, "{profile}");
    }
}

#[test]
fn names_round_trip() {
    for profile in Profile::ALL {
        assert_eq!(profile.name().parse(), Ok(profile));
    }
    assert_eq!(
        Profile::names().collect::<Vec<_>>(),
        [
            "logout",
            "client_assertion",
            "at+jwt",
            "id_token",
            "sd-jwt-vc"
        ]
    );
    assert_eq!("AT+JWT".parse::<Profile>(), Err(UnknownProfile));
}

#[test]
fn messages_name_profile_rule_and_section() {
    let (header, mut claims, expect) = valid(Profile::IdToken);
    claims["nonce"] = json!("n-other");
    claims.as_object_mut().unwrap().remove("iat");
    let messages: Vec<String> = judge(Profile::IdToken, &header, &claims, &expect)
        .into_iter()
        .map(|f| f.message)
        .collect();
    assert_eq!(
        messages,
        [
            "profile id_token: iat is absent (OIDC Core §2)",
            "profile id_token: nonce is \"n-other\", expected \"n-0S6_WzA2Mj\" (OIDC Core §3.1.3.7)",
        ]
    );
}

#[test]
fn a_plain_jws_is_no_sd_jwt_vc() {
    let (header, claims, expect) = valid(Profile::SdJwtVc);
    let (header, claims) = (object(header), object(claims));
    let clock = Clock {
        now: NOW,
        leeway: 60,
    };
    let as_sent = |sd| Token {
        header: &header,
        claims: &claims,
        alg: None,
        sd,
    };
    assert_eq!(
        Profile::SdJwtVc.check(as_sent(Some(true)), &expect, clock),
        []
    );
    let failures = Profile::SdJwtVc.check(as_sent(Some(false)), &expect, clock);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].reason, Reason::ProfileViolation);
    assert!(
        failures[0]
            .message
            .starts_with("profile sd-jwt-vc: a plain JWS"),
        "{failures:?}"
    );
    assert!(
        failures[0]
            .message
            .ends_with("(draft-ietf-oauth-sd-jwt-vc §3)"),
        "{failures:?}"
    );
    // Where the form is unknown (classify), the claims decide.
    assert!(Profile::SdJwtVc.fits(&header, &claims));
}
