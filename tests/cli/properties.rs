//! Property tests: arbitrary bytes and arbitrary JSON never make jwtk panic; the binary always
//! ends with 0, 1 or 3 and says why.

use jwtk::classify::classify;
use jwtk::keys::SecretEncoding;
use jwtk::keys::{self, Reading, Source};
use jwtk::keys::{read_bytes, read_bytes_for};
use jwtk::token::SizeReport;
use jwtk::token::inspect;
use jwtk::token::{self, Jws};
use jwtk::verify::{KeyRing, Policy};
use proptest::prelude::*;
use serde_json::{Map, Value};

use super::{b64, fixture, jwtk};

/// Property-test cases: `default` in the everyday loop, `PROPTEST_CASES` when set (CI runs more).
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        prop_oneof![Just("exp"), Just("sub"), Just("client_id"), Just("iss")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key_name(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn key_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("exp".to_string()),
        Just("nbf".to_string()),
        Just("iat".to_string()),
        Just("sub".to_string()),
        Just("client_id".to_string()),
        Just("azp".to_string()),
        Just("iss".to_string()),
        Just("aud".to_string()),
        Just("gty".to_string()),
        Just("typ".to_string()),
        Just("crit".to_string()),
        Just("alg".to_string()),
        Just("kid".to_string()),
        Just("act".to_string()),
        Just("cnf".to_string()),
        Just("jti".to_string()),
        "\\PC{0,8}",
    ]
}

fn object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((key_name(), json_value()), 0..8).prop_map(|kv| kv.into_iter().collect())
}

fn ring() -> KeyRing {
    let mut keys = Vec::new();
    for key in [
        "keys/secret-newline.txt",
        "keys/ec-p256-spki.pem",
        "keys/rsa-2048-spki.pem",
        "keys/ed25519-spki.pem",
    ] {
        keys.extend(
            keys::load(&Source::File(fixture(key)), &Reading::with_raw_secrets())
                .unwrap()
                .keys,
        );
    }
    KeyRing::new(keys, &[]).unwrap()
}

/// Everything the library does with a token: none of it may panic.
fn exercise(input: &[u8], ring: &KeyRing) {
    let policy = {
        let mut policy = Policy::at(1_800_000_000);
        policy.leeway = 60;
        policy.aud = vec!["api".into()];
        policy.iss = vec!["x".into()];
        policy
    };
    let verdict = ring.verify(input, &policy);
    let _ = (verdict.reason(), verdict.message());
    if let Ok(token) = token::extract(input)
        && let Ok(jws) = Jws::parse(token)
    {
        let claims = jws.claims();
        let _ = inspect(&jws.header, claims.as_ref().ok(), 1_800_000_000);
        if let Ok(claims) = claims {
            let _ = SizeReport::new(jws.sizes(), &claims).warnings();
            let _ = classify(&jws.header, &claims);
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        exercise(&bytes, &ring());
    }

    #[test]
    fn arbitrary_dotted_base64_never_panics(parts in prop::collection::vec("[A-Za-z0-9_=+/ .-]{0,40}", 1..6)) {
        exercise(parts.join(".").as_bytes(), &ring());
    }

    #[test]
    fn arbitrary_json_headers_and_claims_never_panic(header in object(), claims in object(), sig in prop::collection::vec(any::<u8>(), 0..80)) {
        let token = format!("{}.{}.{}", b64(Value::Object(header).to_string()), b64(Value::Object(claims).to_string()), b64(sig));
        exercise(token.as_bytes(), &ring());
    }

    #[test]
    fn arbitrary_key_material_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_bytes(&bytes, "k", None, 0);
        let _ = read_bytes(&bytes, "k", Some(SecretEncoding::Hex), 0);
    }

    #[test]
    fn arbitrary_jwks_never_panic(keys in prop::collection::vec(object(), 0..4)) {
        let keys: Vec<Value> = keys.into_iter().map(|mut k| { k.insert("kty".into(), Value::String("EC".into())); Value::Object(k) }).collect();
        let text = serde_json::json!({"keys": keys}).to_string();
        let _ = read_bytes(text.as_bytes(), "k", None, 0);
    }
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn the_binary_ends_with_a_contract_code_and_a_message(bytes in prop::collection::vec(any::<u8>(), 0..200), which in 0..4usize) {
        let key = fixture("keys/secret-newline.txt").display().to_string();
        let args: &[&str] = match which {
            0 => &["decode"],
            1 => &["verify", "-k", &key, "--alg", "HS256"],
            2 => &["classify"],
            _ => &["mint", "--key", "/dev/stdin"],
        };
        let out = jwtk().args(args).write_stdin(bytes).output().unwrap();
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0 | 1 | 3)), "{args:?}: {code:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        if code != Some(0) {
            prop_assert!(stderr.contains("jwtk: "), "{args:?} exit {code:?} without a message");
        }
    }
}

/// One JWE recipient: its private key (to decrypt) and its public half (to encrypt to).
struct Recipient {
    name: &'static str,
    private: jwtk::keys::Key,
    public: jwtk::keys::Key,
}

/// Every jwcrypto fixture key, as a recipient; shared keys are their own public half.
fn recipients() -> &'static [Recipient] {
    use jwtk::keys::Purpose;
    static ALL: std::sync::OnceLock<Vec<Recipient>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let names = [
            "rsa", "p256", "p384", "p521", "x25519", "oct16", "oct24", "oct32", "oct48", "oct64",
        ];
        names
            .into_iter()
            .map(|name| {
                let text = std::fs::read(fixture(&format!("jwe/jwcrypto/{name}.jwk"))).unwrap();
                let load = |text: &[u8], purpose| {
                    read_bytes_for(text, name, None, 0, purpose)
                        .unwrap()
                        .keys
                        .remove(0)
                };
                let private = load(&text, Purpose::Decrypt);
                let public = match private.public_jwk() {
                    Some(jwk) => load(Value::Object(jwk).to_string().as_bytes(), Purpose::Encrypt),
                    None => private.clone(),
                };
                Recipient {
                    name,
                    private,
                    public,
                }
            })
            .collect()
    })
}

/// Every (recipient, alg, enc) jwtk encrypts with: each key-management algorithm a key serves
/// with each content algorithm (dir only with the content algorithm of the key's length).
fn pairs() -> Vec<(&'static Recipient, jwtk::jwe::KeyAlg, jwtk::jwe::ContentAlg)> {
    use jwtk::jwe::{ContentAlg, KeyAlg, KeyShape};
    use jwtk::keys::Material;
    let mut pairs = Vec::new();
    for r in recipients() {
        let shape = match &r.private.material {
            Material::Secret(s) => KeyShape::Secret(s.0.len()),
            _ if r.name == "rsa" => KeyShape::Rsa,
            _ => KeyShape::Agreement,
        };
        for alg in KeyAlg::for_shape(shape) {
            for enc in ContentAlg::ALL {
                if alg == KeyAlg::Dir && KeyShape::Secret(enc.key_len()) != shape {
                    continue;
                }
                pairs.push((r, alg, enc));
            }
        }
    }
    pairs
}

/// At most 128 cases even when CI asks for thousands (each case runs all 150 pairs): the
/// `proptest!` macro would let `PROPTEST_CASES` override any cap, so the runner is built here.
fn jwe_cases() -> ProptestConfig {
    let mut config = cases(16);
    config.cases = config.cases.min(128);
    config
}

/// What `mint --encrypt-to` does, through the library: sign arbitrary claims (ES256), encrypt
/// to the public half with every pair, then decrypt with the private key and verify: the
/// claims come back exactly.
#[test]
fn decrypt_of_mint_encrypt_to_round_trips_every_pair() {
    use jwtk::jwe::Allowed;
    use jwtk::jwe::Decryptor;
    use jwtk::jwe::Encryptor;
    use jwtk::mint::{self, ClaimsSpec};
    let issuer = keys::load(
        &Source::File(fixture("jwe/jwcrypto/issuer-p256.jwk")),
        &Reading::default(),
    )
    .unwrap()
    .keys
    .remove(0);
    let pairs = pairs();
    assert_eq!(pairs.len(), 150);
    let mut runner = proptest::test_runner::TestRunner::new(jwe_cases());
    let result = runner.run(&object(), |base| {
        let claims = ClaimsSpec {
            base,
            ..ClaimsSpec::default()
        }
        .build(1_800_000_000);
        let alg = issuer.default_alg();
        let header = mint::build_header(alg.name(), "JWT", None, &[]).unwrap();
        let signed = mint::sign(&header, &claims, &issuer.signer(alg).unwrap()).unwrap();
        for (r, alg, enc) in &pairs {
            let encryptor = Encryptor::new(&r.public, Some(*alg), Some(*enc)).unwrap();
            let sealed = encryptor.seal(signed.as_bytes(), Some("JWT")).unwrap();
            let decryptor =
                Decryptor::new(std::slice::from_ref(&r.private), Allowed::default()).unwrap();
            let opened = decryptor
                .open(sealed.token.as_bytes())
                .map_err(|f| format!("{alg} {enc} {}: {}", r.name, f.message))
                .unwrap();
            prop_assert!(opened.nested);
            prop_assert_eq!(
                opened.plaintext.as_slice(),
                signed.as_bytes(),
                "{} {} {}",
                alg,
                enc,
                r.name
            );
            let jws = Jws::parse(&opened.plaintext).unwrap();
            prop_assert_eq!(jws.claims().unwrap(), claims.clone());
            let input = jws.segments.signing_input(jws.compact);
            let verifier = issuer.verifier(issuer.default_alg()).unwrap();
            prop_assert!(verifier.verify(input.as_bytes(), &jws.signature));
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
