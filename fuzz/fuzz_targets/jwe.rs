//! Any bytes as an encrypted token: parsing, the decode view's warnings and a full decryption
//! attempt with an AES key-wrap key and a dir key must never panic.
#![no_main]

use std::sync::OnceLock;

use jwtk::token::jwe_warnings;
use jwtk::jwe::Decryptor;
use jwtk::jwe::Allowed;
use jwtk::jwe::{self, Jwe};
use jwtk::keys::{Key, Material, Secret};
use libfuzzer_sys::fuzz_target;
use zeroize::Zeroizing;

fn decryptor() -> &'static Decryptor {
    static DECRYPTOR: OnceLock<Decryptor> = OnceLock::new();
    DECRYPTOR.get_or_init(|| {
        let key = |len: usize| {
            Key::new(
                Material::Secret(Secret(Zeroizing::new(vec![7u8; len]))),
                "fuzz",
                "JWK",
            )
        };
        Decryptor::new(&[key(16), key(64)], Allowed::default()).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = decryptor().open(data);
    if jwe::is_jwe(data)
        && let Ok(parsed) = Jwe::parse(data)
    {
        let _ = jwe_warnings(&parsed.header);
        let _ = parsed.sizes();
    }
});
