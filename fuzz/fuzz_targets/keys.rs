//! Any bytes as key material (PEM, DER, JWK, JWKS or a secret) must never panic.
#![no_main]

use jwtk::core::keyformat;
use jwtk::core::keys::SecretEncoding;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for encoding in [
        SecretEncoding::Raw,
        SecretEncoding::Base64,
        SecretEncoding::Hex,
    ] {
        if let Ok(loaded) = keyformat::parse(data, "fuzz", true, encoding) {
            for key in &loaded.keys {
                let _ = key.describe();
                let _ = key.algorithms(jwtk::core::keys::Purpose::Verify);
            }
        }
    }
});
