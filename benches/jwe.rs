//! Decrypt timings per JWE algorithm pair, on the jwcrypto fixture tokens: one prepared
//! `Decryptor` per key, as `jwtk decrypt` builds it, and `open` timed alone.

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;

use jwtk::core::jwe::decrypt::Decryptor;
use jwtk::core::jwe::keyring::Allowed;
use jwtk::core::key::Purpose;
use jwtk::core::keyformat;

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
        let loaded = keyformat::load_for(
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

criterion_group!(benches, decrypt);
criterion_main!(benches);
