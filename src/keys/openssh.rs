//! OpenSSH key files: a public key line (`ssh-ed25519 AAAA… comment`, as in `id_ed25519.pub`
//! or `authorized_keys`) and the `OPENSSH PRIVATE KEY` format (OpenSSH's PROTOCOL.key), read
//! with the `ssh-key` crate and handed on as the numbers a JOSE key is made of; `format` turns
//! them into keys with aws-lc-rs, as it does a JWK's members.
//!
//! RSA, ECDSA (P-256, P-384, P-521) and Ed25519 keys load; DSA, security-key (`sk-…`) keys and
//! certificates have no JOSE algorithm. A private key protected by a passphrase is refused
//! with its own problem, so the hint can say how to remove the passphrase.

use ssh_key::private::KeypairData;
use ssh_key::public::{EcdsaPublicKey, KeyData};
use zeroize::Zeroizing;

use crate::alg::Curve;
use crate::error::KeyProblem;

/// The name `Key::format` gives a key read from a public key line.
pub const PUBLIC_FORMAT: &str = "OpenSSH public key";
/// The name `Key::format` gives a key read from an `OPENSSH PRIVATE KEY` block.
pub const PRIVATE_FORMAT: &str = "OpenSSH private key";

/// What an OpenSSH key holds, as big-endian numbers and points.
pub enum SshKey {
    /// An RSA key: modulus and exponent, and the private numbers when it is private.
    Rsa {
        /// The modulus.
        n: Vec<u8>,
        /// The public exponent.
        e: Vec<u8>,
        /// The private numbers.
        private: Option<RsaPrivate>,
    },
    /// An ECDSA key: the uncompressed point, and the private scalar when it is private.
    Ec {
        /// The curve.
        curve: Curve,
        /// The SEC1 uncompressed point.
        point: Vec<u8>,
        /// The private scalar.
        d: Option<Zeroizing<Vec<u8>>>,
    },
    /// An Ed25519 key: the public key, and the 32-byte seed when it is private.
    Ed25519 {
        /// The public key.
        x: Vec<u8>,
        /// The seed.
        seed: Option<Zeroizing<Vec<u8>>>,
    },
}

/// The private numbers of an RSA key, CRT exponents included (OpenSSH stores `d`, `iqmp`, `p`
/// and `q`; `d mod (p-1)` and `d mod (q-1)` are computed here).
pub struct RsaPrivate {
    /// The private exponent.
    pub d: Zeroizing<Vec<u8>>,
    /// The first prime.
    pub p: Zeroizing<Vec<u8>>,
    /// The second prime.
    pub q: Zeroizing<Vec<u8>>,
    /// `d mod (p-1)`.
    pub dp: Zeroizing<Vec<u8>>,
    /// `d mod (q-1)`.
    pub dq: Zeroizing<Vec<u8>>,
    /// `q^-1 mod p`.
    pub qi: Zeroizing<Vec<u8>>,
}

/// Whether a word of text is the base64 of an OpenSSH public key blob: the wire encoding
/// starts with the length of the key type's name, then the name (`ssh-…`, `ecdsa-…`, `sk-…`).
pub fn is_key_blob(blob: &[u8]) -> bool {
    match blob {
        [0, 0, _, _, rest @ ..] => [&b"ssh-"[..], b"ecdsa-", b"sk-"]
            .iter()
            .any(|p| rest.starts_with(p)),
        _ => false,
    }
}

/// The key of a public key blob (the base64 word of a public key line, decoded).
pub fn public_key(blob: &[u8]) -> Result<SshKey, KeyProblem> {
    let key = ssh_key::PublicKey::from_bytes(blob).map_err(|_| invalid("OpenSSH public key"))?;
    public_numbers(key.key_data())
}

/// The key of an `OPENSSH PRIVATE KEY` block (its base64 body, decoded).
pub fn private_key(binary: &[u8]) -> Result<SshKey, KeyProblem> {
    let key = ssh_key::PrivateKey::from_bytes(binary).map_err(|err| match err {
        // Without the crate's `encryption` feature an encrypted key may fail to decode at its
        // cipher name; it is still an encrypted key.
        ssh_key::Error::Encrypted => KeyProblem::OpenSshEncrypted,
        _ if names_a_cipher(binary) => KeyProblem::OpenSshEncrypted,
        _ => invalid("OpenSSH private key"),
    })?;
    if key.is_encrypted() {
        return Err(KeyProblem::OpenSshEncrypted);
    }
    match key.key_data() {
        KeypairData::Rsa(pair) => {
            let (public, private) = (pair.public(), pair.private());
            let number = |m: &ssh_key::Mpint| -> Result<Zeroizing<Vec<u8>>, KeyProblem> {
                m.as_positive_bytes()
                    .map(|b| Zeroizing::new(b.to_vec()))
                    .ok_or_else(|| invalid("OpenSSH RSA private key"))
            };
            let (d, p, q) = (
                number(private.d())?,
                number(private.p())?,
                number(private.q())?,
            );
            // The remainders below cost the product of their numbers' sizes: judge the sizes
            // first (a modulus over 8192 bits is refused anyway, and no number of a key
            // outgrows its modulus).
            let n = positive(public.n())?;
            let bits = bit_length(&n);
            if bits > MAX_RSA_BITS {
                return Err(KeyProblem::RsaSize { bits });
            }
            if [&d, &p, &q].iter().any(|m| m.len() > n.len()) {
                return Err(invalid("OpenSSH RSA private key"));
            }
            let dp = remainder(&d, &minus_one(&p));
            let dq = remainder(&d, &minus_one(&q));
            let qi = number(private.iqmp())?;
            Ok(SshKey::Rsa {
                n,
                e: positive(public.e())?,
                private: Some(RsaPrivate {
                    d,
                    p,
                    q,
                    dp,
                    dq,
                    qi,
                }),
            })
        }
        KeypairData::Ecdsa(pair) => {
            let curve = ec_curve(pair.curve())?;
            Ok(SshKey::Ec {
                curve,
                point: pair.public_key_bytes().to_vec(),
                d: Some(Zeroizing::new(pair.private_key_bytes().to_vec())),
            })
        }
        KeypairData::Ed25519(pair) => Ok(SshKey::Ed25519 {
            x: pair.public.0.to_vec(),
            seed: Some(Zeroizing::new(pair.private.to_bytes().to_vec())),
        }),
        KeypairData::Encrypted(_) => Err(KeyProblem::OpenSshEncrypted),
        other => Err(unsupported(
            other
                .algorithm()
                .map(|a| a.as_str().to_string())
                .unwrap_or_default()
                .as_str(),
        )),
    }
}

fn public_numbers(data: &KeyData) -> Result<SshKey, KeyProblem> {
    match data {
        KeyData::Rsa(rsa) => Ok(SshKey::Rsa {
            n: positive(rsa.n())?,
            e: positive(rsa.e())?,
            private: None,
        }),
        KeyData::Ecdsa(ec) => Ok(SshKey::Ec {
            curve: ec_curve(ec.curve())?,
            point: EcdsaPublicKey::as_sec1_bytes(ec).to_vec(),
            d: None,
        }),
        KeyData::Ed25519(ed) => Ok(SshKey::Ed25519 {
            x: ed.0.to_vec(),
            seed: None,
        }),
        other => Err(unsupported(other.algorithm().as_str())),
    }
}

fn ec_curve(curve: ssh_key::EcdsaCurve) -> Result<Curve, KeyProblem> {
    Ok(match curve {
        ssh_key::EcdsaCurve::NistP256 => Curve::P256,
        ssh_key::EcdsaCurve::NistP384 => Curve::P384,
        ssh_key::EcdsaCurve::NistP521 => Curve::P521,
    })
}

fn positive(m: &ssh_key::Mpint) -> Result<Vec<u8>, KeyProblem> {
    m.as_positive_bytes()
        .map(<[u8]>::to_vec)
        .ok_or_else(|| invalid("OpenSSH RSA key"))
}

fn invalid(what: &str) -> KeyProblem {
    KeyProblem::Invalid { what: what.into() }
}

/// Why a key type OpenSSH knows has no place in JOSE.
fn unsupported(name: &str) -> KeyProblem {
    let name = crate::text::cut(name);
    KeyProblem::Unsupported(if name.contains("-cert-") {
        format!("an OpenSSH certificate ({name}): give the key itself (the file without -cert.pub)")
    } else if name.starts_with("sk-") {
        format!(
            "an OpenSSH security-key ({name}) key: its signatures come from the token, not JOSE"
        )
    } else if name == "ssh-dss" {
        "an OpenSSH DSA key (ssh-dss): JOSE has no DSA algorithm".into()
    } else {
        format!("an OpenSSH {name} key, which jwtk does not support")
    })
}

/// Whether the key's cipher (its first field: a length and a name) is anything but `none`.
fn names_a_cipher(binary: &[u8]) -> bool {
    const MAGIC: &[u8] = b"openssh-key-v1\0";
    let Some(rest) = binary.strip_prefix(MAGIC) else {
        return false;
    };
    match rest {
        [a, b, c, d, name @ ..] => {
            let len = u32::from_be_bytes([*a, *b, *c, *d]) as usize;
            name.get(..len).is_some_and(|cipher| cipher != b"none")
        }
        _ => false,
    }
}

/// The largest RSA modulus jwtk loads (the key loader refuses larger ones with the same
/// problem); checked here before any arithmetic on the key's numbers.
const MAX_RSA_BITS: usize = 8192;

/// The size in bits of a big-endian number.
fn bit_length(n: &[u8]) -> usize {
    let n = &n[n.iter().take_while(|&&b| b == 0).count()..];
    n.len() * 8 - n.first().map_or(0, |b| b.leading_zeros() as usize)
}

/// `n - 1` for an odd big-endian number (a prime); an even one is returned as it is and the
/// key fails its check later.
fn minus_one(n: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(n.to_vec());
    if let Some(last) = out.last_mut()
        && *last & 1 == 1
    {
        *last -= 1;
    }
    out
}

/// `a mod m` for big-endian numbers (`m` non-zero), bit by bit: the CRT exponents of an
/// OpenSSH RSA key, computed once when it is loaded. Its time depends only on the numbers'
/// lengths, never on their bits: every step shifts, subtracts and keeps one of the two results
/// by a mask, with no branch on secret data. Intermediate values are zeroed on drop.
fn remainder(a: &[u8], m: &[u8]) -> Zeroizing<Vec<u8>> {
    let m = limbs(m);
    if m.iter().all(|&l| l == 0) {
        return Zeroizing::new(Vec::new());
    }
    let mut r = Zeroizing::new(vec![0u32; m.len() + 1]);
    let mut t = Zeroizing::new(vec![0u32; m.len() + 1]);
    for byte in a {
        for bit in (0..8).rev() {
            // r = 2r + bit
            let mut carry = u32::from(byte >> bit & 1);
            for limb in r.iter_mut() {
                let next = *limb >> 31;
                *limb = *limb << 1 | carry;
                carry = next;
            }
            // t = r - m; keep t when that did not borrow (r >= m).
            let mut borrow = 0u64;
            for (i, (out, limb)) in t.iter_mut().zip(r.iter()).enumerate() {
                let sub = u64::from(m.get(i).copied().unwrap_or(0)) + borrow;
                let value = u64::from(*limb).wrapping_sub(sub);
                *out = value as u32;
                borrow = value >> 63;
            }
            let keep_t = 0u32.wrapping_sub(1 - borrow as u32);
            for (limb, sub) in r.iter_mut().zip(t.iter()) {
                *limb = (sub & keep_t) | (*limb & !keep_t);
            }
        }
    }
    let mut out = Zeroizing::new(Vec::with_capacity(r.len() * 4));
    out.extend(r.iter().rev().flat_map(|l| l.to_be_bytes()));
    let zeros = out.iter().take_while(|&&b| b == 0).count();
    let keep_one = out.len().saturating_sub(1);
    out.drain(..zeros.min(keep_one));
    out
}

/// Little-endian 32-bit limbs of a big-endian number.
fn limbs(n: &[u8]) -> Zeroizing<Vec<u32>> {
    Zeroizing::new(
        n.rchunks(4)
            .map(|chunk| {
                let mut word = [0u8; 4];
                word[4 - chunk.len()..].copy_from_slice(chunk);
                u32::from_be_bytes(word)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remainders_of_big_numbers() {
        let cases: [(u128, u128); 5] = [
            (0, 7),
            (6, 7),
            (1 << 100, 1_000_003),
            (u128::MAX, (1 << 64) + 13),
            (u128::MAX - 5, u128::MAX),
        ];
        for (a, m) in cases {
            let got = remainder(&a.to_be_bytes(), &m.to_be_bytes()).to_vec();
            let mut want = (a % m).to_be_bytes().to_vec();
            let zeros = want.iter().take_while(|&&b| b == 0).count();
            want.drain(..zeros.min(want.len() - 1));
            assert_eq!(got, want, "{a} mod {m}");
        }
        // And many more, drawn from a fixed sequence (a 64-bit LCG), against u128 arithmetic.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state
        };
        for _ in 0..2000 {
            let a = u128::from(next()) << 64 | u128::from(next());
            let m = (u128::from(next()) << (next() % 64)) | 1;
            let got = remainder(&a.to_be_bytes(), &m.to_be_bytes());
            let want = a % m;
            let got = got.iter().fold(0u128, |n, &b| n << 8 | u128::from(b));
            assert_eq!(got, want, "{a} mod {m}");
        }
        assert_eq!(*minus_one(&[1, 0, 3]), [1, 0, 2]);
    }

    #[test]
    fn key_blobs_are_told_by_their_type_name() {
        assert!(is_key_blob(b"\0\0\0\x0bssh-ed25519\0\0\0\x20"));
        assert!(is_key_blob(b"\0\0\0\x13ecdsa-sha2-nistp256"));
        assert!(!is_key_blob(b"\0\0\0\x0bxyz"));
        assert!(!is_key_blob(b"ssh-"));
    }

    #[test]
    fn an_encrypted_key_is_told_by_its_cipher() {
        let mut key = b"openssh-key-v1\0".to_vec();
        key.extend_from_slice(b"\0\0\0\x0aaes256-ctr");
        assert!(names_a_cipher(&key));
        let mut plain = b"openssh-key-v1\0".to_vec();
        plain.extend_from_slice(b"\0\0\0\x04none");
        assert!(!names_a_cipher(&plain));
    }
}
