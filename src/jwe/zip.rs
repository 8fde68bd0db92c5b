//! `zip: DEF` (RFC 7516 §4.1.3): raw DEFLATE, inflated under a cap so that a small token can
//! never become a large allocation (go-jose CVE-2024-28180).

use std::io::Read;

/// The smallest cap: 250 KB, as go-jose and jose4j allow.
pub const MIN_CAP: u64 = 250_000;

/// The cap for a ciphertext of `len` bytes: 250 KB, or ten times the ciphertext if larger.
pub fn cap(ciphertext_len: usize) -> u64 {
    MIN_CAP.max(10 * ciphertext_len as u64)
}

/// Why inflating failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    /// The output would pass the cap.
    #[error("the compressed plaintext inflates past the {cap}-byte cap")]
    TooLarge {
        /// The cap, in bytes.
        cap: u64,
    },
    /// Not raw DEFLATE.
    #[error("the plaintext is not valid DEFLATE data, though zip is DEF")]
    Corrupt,
}

/// Inflate `data`, reading at most `cap + 1` bytes of output.
pub fn inflate(data: &[u8], cap: u64) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::with_capacity(data.len().saturating_mul(3).min(cap as usize));
    flate2::read::DeflateDecoder::new(data)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|_| InflateError::Corrupt)?;
    if out.len() as u64 > cap {
        return Err(InflateError::TooLarge { cap });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn inflates_under_the_cap_and_refuses_past_it() {
        assert_eq!(inflate(&deflate(b"hello"), 10).unwrap(), b"hello");
        let bomb = deflate(&vec![0u8; 50_000_000]);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        let cap = cap(bomb.len());
        assert!(cap < 1_000_000, "{cap}");
        assert_eq!(inflate(&bomb, cap), Err(InflateError::TooLarge { cap }));
        assert_eq!(inflate(b"\xff\xff\xff", 100), Err(InflateError::Corrupt));
        assert_eq!(super::cap(100_000), 1_000_000);
        assert_eq!(super::cap(10), MIN_CAP);
    }
}
