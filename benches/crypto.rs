//! In-process benchmarks: signing, verifying (the whole `KeyRing::verify` path: parse, header,
//! signature, claims) and key generation, per algorithm. Run: `cargo bench --bench crypto`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use jwtk::keys::{self as keygen, KeyType};
use jwtk::keys::{self, Reading, Source};
use jwtk::mint::{self, ClaimsSpec};
use jwtk::verify::{KeyRing, Policy};
use jwtk::{Algorithm, Curve};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// Each algorithm with a private key to sign and the key to verify with.
const CASES: [(Algorithm, &str, &str); 6] = [
    (
        Algorithm::HS256,
        "keys/secret-newline.txt",
        "keys/secret-newline.txt",
    ),
    (
        Algorithm::RS256,
        "keys/rsa-2048-pkcs1.pem",
        "keys/rsa-2048-spki.pem",
    ),
    (
        Algorithm::PS256,
        "keys/rsa-2048-pkcs1.pem",
        "keys/rsa-2048-spki.pem",
    ),
    (
        Algorithm::ES256,
        "keys/ec-p256-sec1.pem",
        "keys/ec-p256-spki.pem",
    ),
    (
        Algorithm::ES512,
        "keys/ec-p521-sec1.pem",
        "keys/ec-p521-sec1.pem",
    ),
    (
        Algorithm::EdDSA,
        "keys/ed25519-pkcs8.pem",
        "keys/ed25519-spki.pem",
    ),
];

fn load(path: &str) -> jwtk::keys::Key {
    let loaded = keys::load(&Source::File(fixture(path)), &Reading::with_raw_secrets())
        .expect("fixture key");
    loaded.keys.into_iter().next().expect("one key")
}

fn sign_and_verify(c: &mut Criterion) {
    let now = 1_800_000_000;
    let claims = ClaimsSpec {
        sub: Some("svc".into()),
        aud: vec!["api".into()],
        ..ClaimsSpec::default()
    }
    .build(now);
    for (alg, private, public) in CASES {
        let signer = load(private).signer(alg).expect("signer");
        let header = mint::build_header(alg.name(), "JWT", None, &[]).expect("header");
        c.bench_function(&format!("sign/{alg}"), |b| {
            b.iter(|| mint::sign(black_box(&header), black_box(&claims), &signer))
        });
        let token = mint::sign(&header, &claims, &signer).expect("token");
        let ring = KeyRing::new(vec![load(public)], &[alg]).expect("ring");
        let policy = {
            let mut policy = Policy::at(now);
            policy.leeway = 60;
            policy.aud = vec!["api".into()];
            policy
        };
        assert!(ring.verify(token.as_bytes(), &policy).is_valid());
        c.bench_function(&format!("verify/{alg}"), |b| {
            b.iter(|| ring.verify(black_box(token.as_bytes()), &policy))
        });
    }
}

fn generate(c: &mut Criterion) {
    let mut group = c.benchmark_group("keygen");
    group.sample_size(10);
    for (name, key_type) in [
        ("hmac-256", KeyType::Hmac { bits: 256 }),
        ("ed25519", KeyType::Ed25519),
        ("p256", KeyType::Ec(Curve::P256)),
        ("p384", KeyType::Ec(Curve::P384)),
        ("p521", KeyType::Ec(Curve::P521)),
        ("rsa-2048", KeyType::Rsa { bits: 2048 }),
        ("rsa-3072", KeyType::Rsa { bits: 3072 }),
        ("rsa-4096", KeyType::Rsa { bits: 4096 }),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                keygen::generate(key_type, None, keygen::Use::Sig, None).map(|g| g.jwk.kid.clone())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, sign_and_verify, generate);
criterion_main!(benches);
