//! Any bytes as key material (PEM, DER, JWK, JWKS or a secret) must never panic.
#![no_main]

use jwtk::keys::read_bytes;
use jwtk::keys::SecretEncoding;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for encoding in [None, Some(SecretEncoding::Base64), Some(SecretEncoding::Hex)] {
        if let Ok(loaded) = read_bytes(data, "fuzz", encoding, 0) {
            for key in &loaded.keys {
                let _ = key.describe();
                let _ = key.algorithms(jwtk::keys::Purpose::Verify);
            }
        }
    }
});
