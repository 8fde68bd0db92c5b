//! The Concat KDF of NIST SP 800-56A §5.8.1 as RFC 7518 §4.6.2 uses it for ECDH-ES, over
//! SHA-256; written out here because aws-lc-rs exposes no single-step KDF of this shape.

use aws_lc_rs::digest;
use zeroize::Zeroizing;

/// `keydatalen` bits derived from the shared secret `z` for `alg` (the `enc` name for
/// ECDH-ES, the `alg` name for ECDH-ES+A…KW), with the decoded `apu` and `apv`.
pub fn concat_kdf(z: &[u8], alg: &str, apu: &[u8], apv: &[u8], bits: usize) -> Zeroizing<Vec<u8>> {
    let mut other_info = Vec::with_capacity(alg.len() + apu.len() + apv.len() + 16);
    for field in [alg.as_bytes(), apu, apv] {
        other_info.extend_from_slice(&(field.len() as u32).to_be_bytes());
        other_info.extend_from_slice(field);
    }
    other_info.extend_from_slice(&(bits as u32).to_be_bytes());
    let len = bits.div_ceil(8);
    let mut out = Zeroizing::new(Vec::with_capacity(len + 32));
    let mut counter: u32 = 1;
    while out.len() < len {
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(&counter.to_be_bytes());
        ctx.update(z);
        ctx.update(&other_info);
        out.extend_from_slice(ctx.finish().as_ref());
        counter += 1;
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    /// RFC 7518 Appendix C: Z, "A128GCM", "Alice", "Bob", 128 bits.
    #[test]
    fn rfc7518_appendix_c() {
        let z = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49,
            110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
        ];
        let key = concat_kdf(&z, "A128GCM", b"Alice", b"Bob", 128);
        assert_eq!(
            URL_SAFE_NO_PAD.encode(key.as_slice()),
            "VqqN6vgjbSBcIijNcacQGg"
        );
        // Longer outputs run the counter past one block.
        assert_eq!(concat_kdf(&z, "A256CBC-HS512", b"", b"", 512).len(), 64);
    }
}
