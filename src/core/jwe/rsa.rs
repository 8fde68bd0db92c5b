//! RSA-OAEP and RSA-OAEP-256 key decryption (RFC 7518 §4.3) with aws-lc-rs. RSA1_5 is never
//! offered: its padding oracle is the reason it is refused.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    OAEP_SHA1_MGF1SHA1, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey,
};
use aws_lc_rs::signature::RsaKeyPair;
use zeroize::Zeroizing;

use crate::core::jwe::alg::KeyAlg;

/// An RSA private key made ready for OAEP decryption, from the key pair jwtk loaded.
pub fn decrypting_key(pair: &RsaKeyPair) -> Option<OaepPrivateDecryptingKey> {
    let der = pair.as_der().ok()?;
    let key = PrivateDecryptingKey::from_pkcs8(der.as_ref()).ok()?;
    OaepPrivateDecryptingKey::new(key).ok()
}

/// The content key inside `encrypted`; `None` for every failure.
pub fn unwrap(
    key: &OaepPrivateDecryptingKey,
    alg: KeyAlg,
    encrypted: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let oaep = match alg {
        KeyAlg::RsaOaep => &OAEP_SHA1_MGF1SHA1,
        KeyAlg::RsaOaep256 => &OAEP_SHA256_MGF1SHA256,
        _ => return None,
    };
    if encrypted.len() != key.key_size_bytes() {
        return None;
    }
    let mut out = Zeroizing::new(vec![0u8; key.min_output_size()]);
    let len = key.decrypt(oaep, encrypted, &mut out, None).ok()?.len();
    out.truncate(len);
    Some(out)
}
