//! Content encryption and decryption (RFC 7518 §5): AES-GCM, and AES-CBC with HMAC-SHA-2
//! whose tag is checked in constant time before anything is decrypted. Every decryption
//! failure is the same `None`. IVs come from the OS CSPRNG through aws-lc-rs, fresh each time.

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::cipher::{
    self, DecryptionContext, PaddedBlockDecryptingKey, PaddedBlockEncryptingKey, UnboundCipherKey,
};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::{constant_time, hmac};
use zeroize::Zeroizing;

use crate::alg::jwe::{Aes, ContentAlg};

/// Decrypt `ciphertext` with the content key `cek`; `aad` is the encoded protected header.
/// `None` for every failure: lengths, tag, padding.
pub fn decrypt(
    enc: ContentAlg,
    cek: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if cek.len() != enc.key_len() || iv.len() != enc.iv_len() || tag.len() != enc.tag_len() {
        return None;
    }
    match enc {
        ContentAlg::Gcm(aes) => gcm_open(aes, cek, iv, ciphertext, tag, aad),
        ContentAlg::CbcHs(aes) => cbc_hmac(aes, cek, iv, ciphertext, tag, aad),
    }
}

/// An encrypted payload: the IV, the ciphertext and the tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The initialization vector, fresh from the CSPRNG.
    pub iv: Vec<u8>,
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
    /// The authentication tag.
    pub tag: Vec<u8>,
}

/// Encrypt `plaintext` with the content key `cek` (exactly `enc`'s length); `aad` is the
/// encoded protected header. `None` when the key length is wrong or the library fails.
pub fn encrypt(enc: ContentAlg, cek: &[u8], plaintext: &[u8], aad: &[u8]) -> Option<Sealed> {
    if cek.len() != enc.key_len() {
        return None;
    }
    match enc {
        ContentAlg::Gcm(aes) => gcm_seal(aes, cek, plaintext, aad),
        ContentAlg::CbcHs(aes) => cbc_hmac_seal(aes, cek, plaintext, aad),
    }
}

/// AES-GCM seal with a random 96-bit IV and a 128-bit tag (also the A…GCMKW key wrap).
pub fn gcm_seal(aes: Aes, key: &[u8], plaintext: &[u8], aad: &[u8]) -> Option<Sealed> {
    let mut iv = [0u8; 12];
    SystemRandom::new().fill(&mut iv).ok()?;
    let key = LessSafeKey::new(UnboundKey::new(gcm_alg(aes), key).ok()?);
    let mut ciphertext = plaintext.to_vec();
    let tag = key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(iv),
            Aad::from(aad),
            &mut ciphertext,
        )
        .ok()?;
    Some(Sealed {
        iv: iv.to_vec(),
        ciphertext,
        tag: tag.as_ref().to_vec(),
    })
}

/// RFC 7518 §5.2.2.1: the second half of the key encrypts (CBC, PKCS#7, a random IV from
/// aws-lc-rs), the first half authenticates AAD ‖ IV ‖ ciphertext ‖ AL.
fn cbc_hmac_seal(aes: Aes, cek: &[u8], plaintext: &[u8], aad: &[u8]) -> Option<Sealed> {
    let (mac_key, enc_key) = cek.split_at(aes.key_len());
    let key =
        PaddedBlockEncryptingKey::cbc_pkcs7(UnboundCipherKey::new(cbc_alg(aes), enc_key).ok()?)
            .ok()?;
    let mut ciphertext = plaintext.to_vec();
    let context = key.encrypt(&mut ciphertext).ok()?;
    let iv: &[u8] = (&context).try_into().ok()?;
    let mut tag = cbc_tag(aes, mac_key, iv, &ciphertext, aad);
    tag.truncate(aes.key_len());
    Some(Sealed {
        iv: iv.to_vec(),
        ciphertext,
        tag,
    })
}

fn gcm_alg(aes: Aes) -> &'static aead::Algorithm {
    match aes {
        Aes::A128 => &aead::AES_128_GCM,
        Aes::A192 => &aead::AES_192_GCM,
        Aes::A256 => &aead::AES_256_GCM,
    }
}

/// AES-GCM open with a 96-bit IV and a 128-bit tag (also the A…GCMKW key unwrap).
pub fn gcm_open(
    aes: Aes,
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    if key.len() != aes.key_len() || tag.len() != 16 {
        return None;
    }
    let key = LessSafeKey::new(UnboundKey::new(gcm_alg(aes), key).ok()?);
    let nonce = Nonce::try_assume_unique_for_key(iv).ok()?;
    let mut in_out = Zeroizing::new(Vec::with_capacity(ciphertext.len() + tag.len()));
    in_out.extend_from_slice(ciphertext);
    in_out.extend_from_slice(tag);
    let len = key
        .open_in_place(nonce, Aad::from(aad), &mut in_out)
        .ok()?
        .len();
    in_out.truncate(len);
    Some(in_out)
}

fn hmac_alg(aes: Aes) -> hmac::Algorithm {
    match aes {
        Aes::A128 => hmac::HMAC_SHA256,
        Aes::A192 => hmac::HMAC_SHA384,
        Aes::A256 => hmac::HMAC_SHA512,
    }
}

fn cbc_alg(aes: Aes) -> &'static cipher::Algorithm {
    match aes {
        Aes::A128 => &cipher::AES_128,
        Aes::A192 => &cipher::AES_192,
        Aes::A256 => &cipher::AES_256,
    }
}

/// RFC 7518 §5.2.2.2: the first half of the key authenticates AAD ‖ IV ‖ ciphertext ‖ AL,
/// the second half decrypts; the tag is the first half of the HMAC.
fn cbc_hmac(
    aes: Aes,
    cek: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let (mac_key, enc_key) = cek.split_at(aes.key_len());
    let expected = cbc_tag(aes, mac_key, iv, ciphertext, aad);
    constant_time::verify_slices_are_equal(&expected[..aes.key_len()], tag).ok()?;
    let key = UnboundCipherKey::new(cbc_alg(aes), enc_key).ok()?;
    let key = PaddedBlockDecryptingKey::cbc_pkcs7(key).ok()?;
    let iv: [u8; 16] = iv.try_into().ok()?;
    let mut in_out = Zeroizing::new(ciphertext.to_vec());
    let len = key
        .decrypt(&mut in_out, DecryptionContext::Iv128(iv.into()))
        .ok()?
        .len();
    in_out.truncate(len);
    Some(in_out)
}

/// The full HMAC of RFC 7518 §5.2.2.1 (the tag is its first half).
pub fn cbc_tag(aes: Aes, mac_key: &[u8], iv: &[u8], ciphertext: &[u8], aad: &[u8]) -> Vec<u8> {
    let al = (aad.len() as u64 * 8).to_be_bytes();
    let mut ctx = hmac::Context::with_key(&hmac::Key::new(hmac_alg(aes), mac_key));
    for part in [aad, iv, ciphertext, &al] {
        ctx.update(part);
    }
    ctx.sign().as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        let text: String = text.split_whitespace().collect();
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 7518 Appendix B.1: AES_128_CBC_HMAC_SHA_256.
    #[test]
    fn rfc7518_b1_cbc_hmac() {
        let key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        let plain = hex(
            "41 20 63 69 70 68 65 72 20 73 79 73 74 65 6d 20 6d 75 73 74 20 6e 6f 74 20 62 65 20
             72 65 71 75 69 72 65 64 20 74 6f 20 62 65 20 73 65 63 72 65 74 2c 20 61 6e 64 20 69
             74 20 6d 75 73 74 20 62 65 20 61 62 6c 65 20 74 6f 20 66 61 6c 6c 20 69 6e 74 6f 20
             74 68 65 20 68 61 6e 64 73 20 6f 66 20 74 68 65 20 65 6e 65 6d 79 20 77 69 74 68 6f
             75 74 20 69 6e 63 6f 6e 76 65 6e 69 65 6e 63 65",
        );
        let iv = hex("1a f3 8c 2d c2 b9 6f fd d8 66 94 09 23 41 bc 04");
        let aad = hex(
            "54 68 65 20 73 65 63 6f 6e 64 20 70 72 69 6e 63 69 70 6c 65 20 6f 66 20 41 75 67 75
             73 74 65 20 4b 65 72 63 6b 68 6f 66 66 73",
        );
        let ciphertext = hex(
            "c8 0e df a3 2d df 39 d5 ef 00 c0 b4 68 83 42 79 a2 e4 6a 1b 80 49 f7 92 f7 6b fe 54
             b9 03 a9 c9 a9 4a c9 b4 7a d2 65 5c 5f 10 f9 ae f7 14 27 e2 fc 6f 9b 3f 39 9a 22 14
             89 f1 63 62 c7 03 23 36 09 d4 5a c6 98 64 e3 32 1c f8 29 35 ac 40 96 c8 6e 13 33 14
             c5 40 19 e8 ca 79 80 df a4 b9 cf 1b 38 4c 48 6f 3a 54 c5 10 78 15 8e e5 d7 9d e5 9f
             bd 34 d8 48 b3 d6 95 50 a6 76 46 34 44 27 ad e5 4b 88 51 ff b5 98 f7 f8 00 74 b9 47
             3c 82 e2 db",
        );
        let tag = hex("65 2c 3f a3 6b 0a 7c 5b 32 19 fa b3 a3 0b c1 c4");
        let enc = ContentAlg::CbcHs(Aes::A128);
        let out = decrypt(enc, &key, &iv, &ciphertext, &tag, &aad).unwrap();
        assert_eq!(out.as_slice(), plain);
        let mut bad = tag.clone();
        bad[15] ^= 1;
        assert!(decrypt(enc, &key, &iv, &ciphertext, &bad, &aad).is_none());
        assert!(decrypt(enc, &key, &iv, &ciphertext, &tag[..8], &aad).is_none());
        assert!(decrypt(enc, &key, &iv, &ciphertext, &tag, b"other").is_none());
    }

    #[test]
    fn every_content_algorithm_seals_what_it_opens() {
        for enc in ContentAlg::ALL {
            let cek: Vec<u8> = (0..enc.key_len() as u8).collect();
            for plain in [&b""[..], b"x", &[9u8; 16], &[3u8; 1000]] {
                let sealed = encrypt(enc, &cek, plain, b"aad").unwrap();
                assert_eq!(
                    (sealed.iv.len(), sealed.tag.len()),
                    (enc.iv_len(), enc.tag_len())
                );
                let again = encrypt(enc, &cek, plain, b"aad").unwrap();
                assert_ne!(sealed.iv, again.iv, "{enc}: a fresh IV each time");
                let open = |aad: &[u8]| {
                    decrypt(enc, &cek, &sealed.iv, &sealed.ciphertext, &sealed.tag, aad)
                };
                assert_eq!(open(b"aad").unwrap().as_slice(), plain, "{enc}");
                assert!(open(b"aae").is_none(), "{enc}");
            }
            assert!(encrypt(enc, &cek[1..], b"x", b"").is_none());
        }
    }
}
