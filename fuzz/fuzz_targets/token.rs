//! Any bytes as a token: extraction, parsing, inspection, sizes, classification and a full
//! verification against an HMAC key must never panic; and the in-place scan `verify` reads
//! header and claims with must accept exactly what the strict parser accepts.
#![no_main]

use std::sync::OnceLock;

use jwtk::classify::classify;
use jwtk::token::inspect;
use jwtk::keys::read_bytes;
use jwtk::token::SizeReport;
use jwtk::token::{self, Jws};
use jwtk::verify::{KeyRing, Policy};
use libfuzzer_sys::fuzz_target;

fn ring() -> &'static KeyRing {
    static RING: OnceLock<KeyRing> = OnceLock::new();
    RING.get_or_init(|| {
        let keys = read_bytes(b"a-fuzzing-secret-of-thirty-two-bytes!!", "k", None, 0)
        .unwrap()
        .keys;
        KeyRing::new(keys, &[]).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let policy = {
        let mut policy = Policy::at(1_800_000_000);
        policy.leeway = 60;
        policy.aud = vec!["api".into()];
        policy
    };
    let verdict = ring().verify(data, &policy);
    let _ = verdict.message();
    for part in [jwtk::Part::Header, jwtk::Part::Claims] {
        let scanned = token::scan_object(part, data).map(|m| m.iter().count());
        let parsed = token::parse_object(part, data).map(|m| m.len());
        assert_eq!(scanned, parsed);
    }
    if let Ok(token) = token::extract(data)
        && let Ok(jws) = Jws::parse(token)
    {
        let claims = jws.claims();
        let _ = inspect(&jws.header, claims.as_ref().ok(), 1_800_000_000);
        if let Ok(claims) = claims {
            let _ = SizeReport::new(jws.sizes(), &claims).warnings();
            let _ = classify(&jws.header, &claims);
        }
    }
});
