//! In-process benchmark of SD-JWT verification (RFC 9901): an ES256 issuer JWT with 10
//! disclosures and an ES256 KB-JWT, through the whole `KeyRing::verify` path (framing, issuer
//! signature, disclosure processing, claim checks, key binding), beside the crypto floor for
//! its two signatures (base64url-decode and verify each with a key parsed once). Run:
//! `cargo bench --bench sd`.

use std::hint::black_box;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use criterion::{Criterion, criterion_group, criterion_main};
use jwtk::Algorithm;
use jwtk::keys::{self, Reading, Source};
use jwtk::sd::{KbPolicy, SdAlg};
use jwtk::verify::{KeyRing, Policy};
use serde_json::{Map, Value, json};

const NOW: i64 = 1_800_000_000;

fn key(name: &str) -> jwtk::keys::Key {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sd-jwt")
        .join(name);
    let loaded = keys::load(&Source::File(path), &Reading::default()).expect("fixture key");
    loaded.keys.into_iter().next().expect("one key")
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

/// An SD-JWT+KB with 10 disclosures (8 claims, 2 array elements), signed by the RFC 9901
/// examples' issuer and holder keys.
fn presentation() -> String {
    let (issuer, holder) = (key("issuer-private.jwk"), key("holder-private.jwk"));
    let mut disclosures = Vec::new();
    let mut digests = Vec::new();
    let mut elements = Vec::new();
    for i in 0..10 {
        let content = if i < 8 {
            json!([
                format!("salt-{i}-0123456789ab"),
                format!("claim_{i}"),
                format!("value number {i}")
            ])
        } else {
            json!([format!("salt-{i}-0123456789ab"), format!("element {i}")])
        };
        let text = URL_SAFE_NO_PAD.encode(content.to_string());
        let digest = SdAlg::Sha256.digest(&text);
        if i < 8 {
            digests.push(digest);
        } else {
            elements.push(json!({"...": digest}));
        }
        disclosures.push(text);
    }
    let jwk = holder.public_jwk().expect("a public half");
    let claims = object(json!({
        "_sd": digests, "iss": "https://issuer.example.com", "iat": NOW - 60, "exp": NOW + 3600,
        "list": elements, "_sd_alg": "sha-256", "cnf": {"jwk": jwk},
    }));
    let header = object(json!({"alg": "ES256", "typ": "dc+sd-jwt"}));
    let signer = issuer.signer(Algorithm::ES256).expect("issuer signs");
    let jwt = jwtk::mint::sign(&header, &claims, &signer).expect("signed");
    let presented = format!("{jwt}~{}~", disclosures.join("~"));
    let kb_claims = object(json!({
        "iat": NOW, "nonce": "n", "aud": "https://verifier.example.org",
        "sd_hash": SdAlg::Sha256.digest(&presented),
    }));
    let kb_header = object(json!({"alg": "ES256", "typ": "kb+jwt"}));
    let holder_signer = holder.signer(Algorithm::ES256).expect("holder signs");
    let kb = jwtk::mint::sign(&kb_header, &kb_claims, &holder_signer).expect("signed");
    format!("{presented}{kb}")
}

fn sd_jwt(c: &mut Criterion) {
    let token = presentation();
    let issuer = key("issuer.jwk");
    let holder = key("holder-private.jwk");
    let ring = KeyRing::new(vec![issuer.clone()], &[]).expect("ring");
    let mut policy = Policy::at(NOW);
    policy.leeway = 60;
    policy.kb = KbPolicy {
        required: true,
        nonce: Some("n".into()),
        aud: Some("https://verifier.example.org".into()),
        ..KbPolicy::default()
    };
    assert!(
        ring.verify(token.as_bytes(), &policy).is_valid(),
        "the presentation verifies"
    );
    let mut group = c.benchmark_group("sd-jwt ES256+KB, 10 disclosures");
    group.bench_function("KeyRing::verify", |b| {
        b.iter(|| black_box(ring.verify(black_box(token.as_bytes()), &policy).is_valid()))
    });
    // The floor: the two signatures, each decoded and verified with a key parsed once.
    let (issuer_v, holder_v) = (
        issuer.verifier(Algorithm::ES256).expect("verifier"),
        holder.verifier(Algorithm::ES256).expect("verifier"),
    );
    let jwt = token.split('~').next().expect("issuer JWT");
    let kb = token.rsplit('~').next().expect("KB-JWT");
    let parts = |jwt: &'static str| {
        let dot = jwt.rfind('.').expect("dot");
        (&jwt[..dot], &jwt[dot + 1..])
    };
    let (jwt, kb): (&'static str, &'static str) = (
        Box::leak(jwt.to_string().into_boxed_str()),
        Box::leak(kb.to_string().into_boxed_str()),
    );
    let ((jwt_input, jwt_sig), (kb_input, kb_sig)) = (parts(jwt), parts(kb));
    group.bench_function("floor: two ES256 verifications", |b| {
        b.iter(|| {
            let s1 = URL_SAFE_NO_PAD.decode(black_box(jwt_sig)).expect("b64");
            let s2 = URL_SAFE_NO_PAD.decode(black_box(kb_sig)).expect("b64");
            black_box(
                issuer_v.verify(jwt_input.as_bytes(), &s1)
                    && holder_v.verify(kb_input.as_bytes(), &s2),
            )
        })
    });
    group.finish();
    // For process-level runs (`verify --batch`): the presentation, written when asked.
    if let Ok(path) = std::env::var("JWTK_SD_BENCH_TOKEN") {
        std::fs::write(path, &token).expect("written");
    }
}

criterion_group!(benches, sd_jwt);
criterion_main!(benches);
