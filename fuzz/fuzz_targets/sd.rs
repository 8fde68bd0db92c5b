//! Any bytes as an SD-JWT: framing (compact and JSON serialization), disclosure processing,
//! key binding and a full verification against the RFC 9901 examples' issuer key must never
//! panic, whatever the disclosures hold (nesting, repeats, `~` runs, huge values).
#![no_main]

use std::sync::OnceLock;

use jwtk::keys::{self, Reading, Source};
use jwtk::sd::{self, KbPolicy, SdAlg, SdJwt};
use jwtk::verify::{KeyRing, Policy};
use libfuzzer_sys::fuzz_target;

/// RFC 9901 Appendix A.5: the examples' issuer key.
const ISSUER: &[u8] = br#"{"kty":"EC","crv":"P-256","x":"b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ","y":"Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8"}"#;

fn ring() -> &'static KeyRing {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        let source = Source::Given {
            bytes: ISSUER.to_vec().into(),
            origin: "issuer".into(),
        };
        let keys = keys::load(&source, &Reading::default()).unwrap().keys;
        KeyRing::new(keys, &[]).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut policy = Policy::at(1_748_537_254);
    policy.leeway = 60;
    policy.kb = KbPolicy {
        required: true,
        nonce: Some("1234567890".into()),
        aud: Some("https://verifier.example.org".into()),
        ..KbPolicy::default()
    };
    let _ = ring().verify(data, &policy).message();
    let _ = sd::inspect(data);
    if let Ok(parsed) = SdJwt::parse(data) {
        let _ = parsed.compact();
        // The disclosures applied to the issuer JWT's own claims, whatever they are.
        let issuer = jwtk::token::Jws::parse(parsed.issuer_jwt().as_bytes());
        if let Ok(claims) = issuer.and_then(|jws| jws.claims()) {
            let list: Vec<&str> = parsed.disclosures().collect();
            let _ = sd::process(&claims, &list, SdAlg::Sha256);
        }
    }
});
