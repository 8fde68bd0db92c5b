//! The keys one run verifies with: local keys and remote sets as one key ring, and the
//! refetch policy — a token whose `kid` (or `alg`) no key serves makes the remote sets be
//! fetched again once per run, and the ring is rebuilt; a failed refetch is judged with the
//! keys at hand. Shared by every `--batch` worker.

use std::sync::{Arc, Mutex, RwLock};

use crate::alg::Algorithm;
use crate::error::{KeyUse, Result};
use crate::jwe::decrypt::Decryptor;
use crate::keys::key::Key;
use crate::reason::Reason;
use crate::remote::keys::RemoteKeys;
use crate::text::cut;
use crate::verify::verdict::Verdict;
use crate::verify::{KeyRing, Policy};

/// The key ring of a run.
enum Ring {
    /// Without remote keys it never changes, and is read without a lock or a reference count
    /// (`--batch` reads it for every token on every worker).
    Fixed(KeyRing),
    /// Rebuilt when remote sets are fetched again.
    Replaceable(RwLock<Arc<KeyRing>>),
}

/// The keys of a run — local ones and remote sets — as a key ring, rebuilt when a token's
/// unknown kid (or alg) makes the remote sets be fetched again (once per run). Safe to share
/// between `--batch` workers.
pub struct RunKeys {
    local: Vec<Key>,
    /// `--kid`: only keys with this kid serve, remote ones included.
    kid: Option<String>,
    alg: Vec<Algorithm>,
    ring: Ring,
    remote: Option<Mutex<RemoteKeys>>,
    /// Refetch failures in `--batch`, reported at the end.
    problems: Mutex<Vec<String>>,
}

impl RunKeys {
    /// The ring of `local` keys (already chosen by `kid`, when given) and the `remote` sets'
    /// keys (only those with `kid`), serving the `alg` allowlist (empty: what the keys fit).
    /// With `kid` and remote sets, no key carrying it is a key error.
    pub fn new(
        local: Vec<Key>,
        kid: Option<String>,
        alg: Vec<Algorithm>,
        remote: Option<RemoteKeys>,
    ) -> Result<RunKeys> {
        let keys = all_keys(&local, remote.as_ref(), kid.as_deref());
        if let (Some(kid), Some(_)) = (&kid, &remote)
            && keys.is_empty()
        {
            return Err(KeyUse::NoSuchKid {
                kid: cut(kid),
                origin: "the keys given".into(),
                known: Vec::new(),
            }
            .into());
        }
        let ring = KeyRing::new(keys, &alg)?;
        Ok(RunKeys {
            local,
            kid,
            alg,
            ring: match remote {
                Some(_) => Ring::Replaceable(RwLock::new(Arc::new(ring))),
                None => Ring::Fixed(ring),
            },
            remote: remote.map(Mutex::new),
            problems: Mutex::new(Vec::new()),
        })
    }

    /// `judge` with the key ring as it is now.
    fn with_ring<T>(&self, judge: impl FnOnce(&KeyRing) -> T) -> T {
        match &self.ring {
            Ring::Fixed(ring) => judge(ring),
            Ring::Replaceable(lock) => {
                let ring = Arc::clone(&lock.read().unwrap_or_else(|p| p.into_inner()));
                judge(&ring)
            }
        }
    }

    /// Judge one token; a kid or alg no key serves first makes the once-per-run refetch.
    pub fn verify(&self, input: &[u8], policy: &Policy) -> Result<Verdict> {
        let verdict = self.with_ring(|ring| ring.verify(input, policy));
        let unknown = matches!(
            verdict.reason(),
            Some(Reason::NoMatchingKey | Reason::AlgNotAllowed)
        );
        let Some(remote) = self.remote.as_ref().filter(|_| unknown) else {
            return Ok(verdict);
        };
        {
            let mut remote = remote.lock().unwrap_or_else(|p| p.into_inner());
            if !remote.can_refetch() {
                let why = remote.young_copies();
                drop(remote);
                let mut verdict = self.with_ring(|ring| ring.verify(input, policy));
                if let Some(why) = why
                    && let Some(failure) = verdict
                        .failures
                        .iter_mut()
                        .find(|f| matches!(f.reason, Reason::NoMatchingKey | Reason::AlgNotAllowed))
                {
                    failure.message = format!("{} ({why})", failure.message);
                }
                return Ok(verdict);
            }
            if remote.refetch() {
                let keys = all_keys(&self.local, Some(&remote), self.kid.as_deref());
                let ring = KeyRing::new(keys, &self.alg)?;
                if let Ring::Replaceable(lock) = &self.ring {
                    *lock.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
                }
            }
        }
        Ok(self.with_ring(|ring| ring.verify(input, policy)))
    }

    /// [`RunKeys::verify`], decrypting a nested JWT first when a decryption key is given.
    pub fn verify_nested(
        &self,
        input: &[u8],
        decryptor: Option<&Decryptor>,
        policy: &Policy,
    ) -> Result<Verdict> {
        match decryptor {
            Some(decryptor) => {
                Ok(self.with_ring(|ring| ring.verify_nested(input, Some(decryptor), policy)))
            }
            None => self.verify(input, policy),
        }
    }

    /// [`RunKeys::verify`] for `--batch`: a failed refetch is remembered and the token judged
    /// with the keys at hand.
    pub fn verify_in_batch(&self, input: &[u8], policy: &Policy) -> Verdict {
        self.verify(input, policy).unwrap_or_else(|err| {
            let mut problems = self.problems.lock().unwrap_or_else(|p| p.into_inner());
            problems.push(err.to_string());
            drop(problems);
            self.with_ring(|ring| ring.verify(input, policy))
        })
    }

    /// Notes the remote sets gathered since the last call (plain HTTP, skipped keys, …).
    pub fn take_notes(&self) -> Vec<String> {
        match &self.remote {
            Some(remote) => remote
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take_notes(),
            None => Vec::new(),
        }
    }

    /// The refetch failures `--batch` met (each token was judged with the keys at hand).
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Whether the key from `source` came from the cache; `None` when it is not remote.
    pub fn cached(&self, source: &str) -> Option<bool> {
        let remote = self.remote.as_ref()?;
        remote
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .cached(source)
    }
}

/// The local keys (already those with `kid`, when given) and every remote set's keys (only
/// those with `kid`, when given).
fn all_keys(local: &[Key], remote: Option<&RemoteKeys>, kid: Option<&str>) -> Vec<Key> {
    let mut keys = local.to_vec();
    if let Some(remote) = remote {
        let wanted = |k: &&Key| kid.is_none_or(|kid| k.kid.as_deref() == Some(kid));
        keys.extend(remote.keys().filter(wanted).cloned());
    }
    keys
}
