//! Decrypt and encrypt timings per JWE algorithm pair. Decrypt: the jwcrypto fixture tokens,
//! one prepared `Decryptor` per key, as `jwtk decrypt` builds it, and `open` timed alone.
//! Encrypt: one prepared `Encryptor` per recipient (its public half), as `mint --encrypt-to`
//! builds it, and `seal` of a typical signed token timed alone (fresh CEK, IV, ephemeral key).

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

use jwtk::jwe::Allowed;
use jwtk::jwe::Decryptor;
use jwtk::jwe::Encryptor;
use jwtk::jwe::{Aes, ContentAlg, KeyAlg};
use jwtk::keys::Purpose;
use jwtk::keys::read_bytes_for;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/jwe/jwcrypto/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn decrypt(c: &mut Criterion) {
    let doc: Value = serde_json::from_slice(&fixture("tokens.json")).unwrap();
    let mut group = c.benchmark_group("decrypt");
    // One content algorithm per key-management algorithm and key, plus every content
    // algorithm under dir (where the content step is all there is).
    for t in doc["tokens"].as_array().unwrap() {
        let (alg, enc, key) = (
            t["alg"].as_str().unwrap(),
            t["enc"].as_str().unwrap(),
            t["key"].as_str().unwrap(),
        );
        let wanted = alg == "dir"
            || (enc == "A256GCM" && t.get("zip").is_none() && t.get("nested").is_none());
        if !wanted {
            continue;
        }
        let loaded = read_bytes_for(
            &fixture(&format!("{key}.jwk")),
            key,
            None,
            0,
            Purpose::Decrypt,
        )
        .unwrap();
        let decryptor = Decryptor::new(&loaded.keys, Allowed::default()).unwrap();
        let token = t["token"].as_str().unwrap().as_bytes().to_vec();
        group.bench_function(format!("{alg} {enc} ({key})"), |b| {
            b.iter(|| decryptor.open(&token).unwrap())
        });
    }
    group.finish();
}

/// A typical ES256 token's length: what `mint --encrypt-to` encrypts.
const INNER: &[u8] = b"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUiLCJhdWQiOiJhcGkiLCJpYXQiOjE3OTUzNTAyODksImV4cCI6MTc5NTM1MTE4OX0.MEYCIQDkX2Vk7yVv0Kx3cZbUg6tqmR9jS8rW4nLh0pA5bFcQ2wIhAJ3eT7mQxV1uY8sN4rP6kL0zH2gD5fW9cE3vB7aK1iJ";

fn encrypt(c: &mut Criterion) {
    let mut group = c.benchmark_group("encrypt");
    let a256 = ContentAlg::Gcm(Aes::A256);
    let cases = [
        ("rsa", KeyAlg::RsaOaep256, a256),
        ("rsa", KeyAlg::RsaOaep, a256),
        ("p256", KeyAlg::EcdhEsKw(Aes::A256), a256),
        ("p256", KeyAlg::EcdhEs, a256),
        ("p384", KeyAlg::EcdhEsKw(Aes::A256), a256),
        ("p521", KeyAlg::EcdhEsKw(Aes::A256), a256),
        ("x25519", KeyAlg::EcdhEsKw(Aes::A256), a256),
        ("x25519", KeyAlg::EcdhEs, a256),
        ("oct16", KeyAlg::AesKw(Aes::A128), a256),
        ("oct24", KeyAlg::AesKw(Aes::A192), a256),
        ("oct32", KeyAlg::AesKw(Aes::A256), a256),
        ("oct32", KeyAlg::AesGcmKw(Aes::A256), a256),
        ("oct32", KeyAlg::Dir, a256),
        ("oct32", KeyAlg::Dir, ContentAlg::CbcHs(Aes::A128)),
        ("oct64", KeyAlg::Dir, ContentAlg::CbcHs(Aes::A256)),
    ];
    for (key, alg, enc) in cases {
        let private = read_bytes_for(
            &fixture(&format!("{key}.jwk")),
            key,
            None,
            0,
            Purpose::Decrypt,
        )
        .unwrap()
        .keys
        .remove(0);
        let recipient = match private.public_jwk() {
            Some(jwk) => read_bytes_for(
                Value::Object(jwk).to_string().as_bytes(),
                key,
                None,
                0,
                Purpose::Encrypt,
            )
            .unwrap()
            .keys
            .remove(0),
            None => private,
        };
        let encryptor = Encryptor::new(&recipient, Some(alg), Some(enc)).unwrap();
        group.bench_function(format!("{alg} {enc} ({key})"), |b| {
            b.iter(|| encryptor.seal(INNER, Some("JWT")).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, decrypt, encrypt);
criterion_main!(benches);
