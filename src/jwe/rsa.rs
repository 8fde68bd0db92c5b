//! RSA-OAEP and RSA-OAEP-256 key encryption and decryption (RFC 7518 §4.3) with aws-lc-rs.
//! RSA1_5 is never offered: its padding oracle is the reason it is refused.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    OAEP_SHA1_MGF1SHA1, OAEP_SHA256_MGF1SHA256, OaepAlgorithm, OaepPrivateDecryptingKey,
    OaepPublicEncryptingKey, PrivateDecryptingKey, PublicEncryptingKey,
};
use aws_lc_rs::signature::RsaKeyPair;
use zeroize::Zeroizing;

use crate::alg::jwe::KeyAlg;

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
    let oaep = oaep(alg)?;
    if encrypted.len() != key.key_size_bytes() {
        return None;
    }
    let mut out = Zeroizing::new(vec![0u8; key.min_output_size()]);
    let len = key.decrypt(oaep, encrypted, &mut out, None).ok()?.len();
    out.truncate(len);
    Some(out)
}

fn oaep(alg: KeyAlg) -> Option<&'static OaepAlgorithm> {
    match alg {
        KeyAlg::RsaOaep => Some(&OAEP_SHA1_MGF1SHA1),
        KeyAlg::RsaOaep256 => Some(&OAEP_SHA256_MGF1SHA256),
        _ => None,
    }
}

/// An RSA public key made ready for OAEP encryption, from the PKCS#1 `RSAPublicKey` DER jwtk
/// keeps (wrapped in the SubjectPublicKeyInfo aws-lc-rs reads).
pub fn encrypting_key(pkcs1_der: &[u8]) -> Option<OaepPublicEncryptingKey> {
    use pkcs8::der::Encode;
    let algorithm = spki::AlgorithmIdentifierRef {
        oid: spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"),
        parameters: Some(pkcs8::der::asn1::AnyRef::NULL),
    };
    let info = spki::SubjectPublicKeyInfoRef {
        algorithm,
        subject_public_key: pkcs8::der::asn1::BitStringRef::from_bytes(pkcs1_der).ok()?,
    };
    let der = info.to_der().ok()?;
    OaepPublicEncryptingKey::new(PublicEncryptingKey::from_der(&der).ok()?).ok()
}

/// The content key `cek` encrypted to `key` (OAEP's random seed comes from aws-lc's CSPRNG);
/// `None` when the library fails.
pub fn wrap(key: &OaepPublicEncryptingKey, alg: KeyAlg, cek: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; key.ciphertext_size()];
    let len = key.encrypt(oaep(alg)?, cek, &mut out, None).ok()?.len();
    out.truncate(len);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rsa::KeySize;
    use aws_lc_rs::signature::KeyPair;

    #[test]
    fn wraps_and_unwraps_with_both_hashes() {
        let signing = RsaKeyPair::generate(KeySize::Rsa2048).unwrap();
        let private = decrypting_key(&signing).unwrap();
        let public = encrypting_key(signing.public_key().as_ref()).unwrap();
        for alg in [KeyAlg::RsaOaep, KeyAlg::RsaOaep256] {
            let cek = [7u8; 32];
            let wrapped = wrap(&public, alg, &cek).unwrap();
            assert_ne!(
                wrapped,
                wrap(&public, alg, &cek).unwrap(),
                "a fresh seed each time"
            );
            assert_eq!(unwrap(&private, alg, &wrapped).unwrap().as_slice(), cek);
            let other = if alg == KeyAlg::RsaOaep {
                KeyAlg::RsaOaep256
            } else {
                KeyAlg::RsaOaep
            };
            assert!(unwrap(&private, other, &wrapped).is_none());
        }
        assert!(encrypting_key(b"not der").is_none());
    }
}
