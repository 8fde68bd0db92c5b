//! AES key wrap and unwrap (RFC 3394), for A128KW/A192KW/A256KW and ECDH-ES+A…KW. aws-lc-rs wraps with
//! AES-128 and AES-256 itself; its key-wrap module has no AES-192, so that size runs the
//! RFC 3394 routine below over aws-lc-rs's AES block cipher (tested against RFC 3394 §4).

use aws_lc_rs::cipher::{self, DecryptingKey, DecryptionContext, EncryptingKey, UnboundCipherKey};
use aws_lc_rs::key_wrap::{self, AesKek, KeyWrap};
use zeroize::Zeroizing;

use crate::alg::jwe::Aes;

/// The initial value of RFC 3394 §2.2.3.1.
const IV: [u8; 8] = [0xA6; 8];

/// Unwrap `wrapped` with the key-encryption key `kek` (exactly `aes`'s length). `None` for
/// every failure: a wrong length, a wrong key, a tampered input.
pub fn unwrap(aes: Aes, kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if kek.len() != aes.key_len() || wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return None;
    }
    let library = match aes {
        Aes::A128 => Some(&key_wrap::AES_128),
        Aes::A256 => Some(&key_wrap::AES_256),
        Aes::A192 => None,
    };
    match library {
        Some(cipher) => {
            let kek = AesKek::new(cipher, kek).ok()?;
            let mut out = Zeroizing::new(vec![0u8; wrapped.len()]);
            let len = kek.unwrap(wrapped, &mut out).ok()?.len();
            out.truncate(len);
            Some(out)
        }
        None => rfc3394_unwrap(aes, kek, wrapped),
    }
}

/// Wrap the content key `cek` (16 bytes or more, a multiple of 8) with `kek` (exactly `aes`'s
/// length); `None` for a wrong length.
pub fn wrap(aes: Aes, kek: &[u8], cek: &[u8]) -> Option<Vec<u8>> {
    if kek.len() != aes.key_len() {
        return None;
    }
    let library = match aes {
        Aes::A128 => &key_wrap::AES_128,
        Aes::A256 => &key_wrap::AES_256,
        Aes::A192 => return rfc3394_wrap(aes, kek, cek),
    };
    let kek = AesKek::new(library, kek).ok()?;
    let mut out = vec![0u8; cek.len() + 8];
    let len = kek.wrap(cek, &mut out).ok()?.len();
    out.truncate(len);
    Some(out)
}

fn block_cipher(aes: Aes) -> &'static cipher::Algorithm {
    match aes {
        Aes::A128 => &cipher::AES_128,
        Aes::A192 => &cipher::AES_192,
        Aes::A256 => &cipher::AES_256,
    }
}

/// RFC 3394 §2.2.2, the index-based unwrap, with a constant-time check of the IV.
pub fn rfc3394_unwrap(aes: Aes, kek: &[u8], wrapped: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if kek.len() != aes.key_len() || wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return None;
    }
    let key = DecryptingKey::ecb(UnboundCipherKey::new(block_cipher(aes), kek).ok()?).ok()?;
    let n = wrapped.len() / 8 - 1;
    let mut a: [u8; 8] = wrapped[..8].try_into().ok()?;
    let mut r = Zeroizing::new(wrapped[8..].to_vec());
    let mut block = Zeroizing::new([0u8; 16]);
    for j in (0..6u64).rev() {
        for i in (1..=n).rev() {
            let t = (n as u64) * j + i as u64;
            for (byte, t) in a.iter_mut().zip(t.to_be_bytes()) {
                *byte ^= t;
            }
            block[..8].copy_from_slice(&a);
            block[8..].copy_from_slice(&r[(i - 1) * 8..i * 8]);
            key.decrypt(&mut block[..], DecryptionContext::None).ok()?;
            a.copy_from_slice(&block[..8]);
            r[(i - 1) * 8..i * 8].copy_from_slice(&block[8..]);
        }
    }
    aws_lc_rs::constant_time::verify_slices_are_equal(&a, &IV).ok()?;
    Some(r)
}

/// RFC 3394 §2.2.1, the index-based wrap: the inverse of [`rfc3394_unwrap`], for AES-192.
pub fn rfc3394_wrap(aes: Aes, kek: &[u8], plain: &[u8]) -> Option<Vec<u8>> {
    if kek.len() != aes.key_len() || plain.len() < 16 || !plain.len().is_multiple_of(8) {
        return None;
    }
    let key = EncryptingKey::ecb(UnboundCipherKey::new(block_cipher(aes), kek).ok()?).ok()?;
    let n = plain.len() / 8;
    let mut a = IV;
    let mut r = plain.to_vec();
    let mut block = [0u8; 16];
    for j in 0..6u64 {
        for i in 1..=n {
            block[..8].copy_from_slice(&a);
            block[8..].copy_from_slice(&r[(i - 1) * 8..i * 8]);
            key.encrypt(&mut block).ok()?;
            let t = (n as u64) * j + i as u64;
            for ((out, byte), t) in a.iter_mut().zip(&block[..8]).zip(t.to_be_bytes()) {
                *out = byte ^ t;
            }
            r[(i - 1) * 8..i * 8].copy_from_slice(&block[8..]);
        }
    }
    Some([&a[..], &r].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 3394 §4.1–§4.6: (KEK, key data, wrapped).
    const VECTORS: [(&str, &str, &str); 6] = [
        (
            "000102030405060708090A0B0C0D0E0F",
            "00112233445566778899AABBCCDDEEFF",
            "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5",
        ),
        (
            "000102030405060708090A0B0C0D0E0F1011121314151617",
            "00112233445566778899AABBCCDDEEFF",
            "96778B25AE6CA435F92B5B97C050AED2468AB8A17AD84E5D",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF",
            "64E8C3F9CE0F5BA263E9777905818A2A93C8191E7D6E8AE7",
        ),
        (
            "000102030405060708090A0B0C0D0E0F1011121314151617",
            "00112233445566778899AABBCCDDEEFF0001020304050607",
            "031D33264E15D33268F24EC260743EDCE1C6C7DDEE725A936BA814915C6762D2",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF0001020304050607",
            "A8F9BC1612C68B3FF6E6F4FBE30E71E4769C8B80A32CB8958CD5D17D6B254DA1",
        ),
        (
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
            "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21",
        ),
    ];

    #[test]
    fn rfc3394_vectors_wrap_and_unwrap() {
        for (kek, data, wrapped) in VECTORS {
            let (kek, data, wrapped) = (hex(kek), hex(data), hex(wrapped));
            let aes = Aes::from_key_len(kek.len()).unwrap();
            assert_eq!(rfc3394_wrap(aes, &kek, &data).unwrap(), wrapped);
            assert_eq!(
                rfc3394_unwrap(aes, &kek, &wrapped).unwrap().as_slice(),
                data
            );
            assert_eq!(unwrap(aes, &kek, &wrapped).unwrap().as_slice(), data);
            assert_eq!(wrap(aes, &kek, &data).unwrap(), wrapped);
            let mut bad = wrapped.clone();
            bad[9] ^= 1;
            assert!(unwrap(aes, &kek, &bad).is_none());
            assert!(rfc3394_unwrap(aes, &kek, &bad).is_none());
        }
    }

    #[test]
    fn lengths_are_exact() {
        let (kek, wrapped) = (hex(VECTORS[0].0), hex(VECTORS[0].2));
        assert!(unwrap(Aes::A128, &kek[..15], &wrapped).is_none());
        assert!(unwrap(Aes::A192, &kek, &wrapped).is_none());
        assert!(unwrap(Aes::A128, &kek, &wrapped[..16]).is_none());
        assert!(unwrap(Aes::A128, &kek, &wrapped[..23]).is_none());
    }
}
