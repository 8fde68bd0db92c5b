//! The remote key sets of one run (`--jwks`, `--issuer`): their public keys, whether each
//! came from the cache, and the one refetch per URL a token with an unknown kid may cause.

use crate::core::error::Result;
use crate::core::fetch::{self, Fetcher, REFETCH_AFTER, RemoteSet};
use crate::core::key::Key;
use crate::core::remote;

/// One fetched set and its keys.
struct Source {
    /// Whether plain HTTP may be used for its URL (the issuer was on loopback too).
    loopback_ok: bool,
    set: RemoteSet,
    keys: Vec<Key>,
    /// Already refetched in this run.
    refetched: bool,
}

/// Every remote set of a run.
pub struct RemoteKeys {
    fetcher: Fetcher,
    sources: Vec<Source>,
    offline: bool,
}

impl RemoteKeys {
    /// Fetch (or read from the cache) every `--jwks` URL and the `--issuer`'s set.
    pub fn load(
        mut fetcher: Fetcher,
        jwks: &[String],
        issuer: Option<&str>,
        offline: bool,
    ) -> Result<RemoteKeys> {
        let mut wanted: Vec<(String, bool)> = jwks.iter().map(|u| (u.clone(), true)).collect();
        if let Some(issuer) = issuer {
            let uri = fetcher.discover(issuer)?;
            wanted.push((uri, remote::url_is_loopback(issuer)));
        }
        let mut sources = Vec::with_capacity(wanted.len());
        for (url, loopback_ok) in wanted {
            let set = fetcher.jwks(&url, loopback_ok, false)?;
            let loaded = fetch::keys_of(&set)?;
            fetcher.notes.extend(loaded.notes);
            fetcher.notes.extend(loaded.warnings);
            sources.push(Source {
                loopback_ok,
                set,
                keys: loaded.keys,
                refetched: false,
            });
        }
        Ok(RemoteKeys {
            fetcher,
            sources,
            offline,
        })
    }

    /// Every key of every set, in order.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.sources.iter().flat_map(|s| s.keys.iter())
    }

    /// The notes gathered so far (plain HTTP, distrusted cache files, skipped keys), once.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.fetcher.notes)
    }

    /// Whether the set fetched from `url` came from the cache; `None` for a URL not fetched.
    pub fn cached(&self, url: &str) -> Option<bool> {
        self.sources
            .iter()
            .find(|s| s.set.url == url)
            .map(|s| s.set.cached)
    }

    /// Whether a refetch could still happen: some set, not refetched yet, is older than
    /// 30 seconds (and the run is not `--offline`).
    pub fn can_refetch(&self) -> bool {
        !self.offline
            && self
                .sources
                .iter()
                .any(|s| !s.refetched && s.set.age >= REFETCH_AFTER)
    }

    /// The once-per-run refetch for a token whose kid or alg no key serves: every set older
    /// than 30 seconds is asked for again (a conditional request). Returns whether any set
    /// was refetched.
    pub fn refetch(&mut self) -> Result<bool> {
        if self.offline {
            return Ok(false);
        }
        let mut any = false;
        for source in &mut self.sources {
            if source.refetched || source.set.age < REFETCH_AFTER {
                continue;
            }
            source.refetched = true;
            let set = self
                .fetcher
                .jwks(&source.set.url, source.loopback_ok, true)?;
            let loaded = fetch::keys_of(&set)?;
            self.fetcher.notes.extend(loaded.notes);
            source.keys = loaded.keys;
            source.set = set;
            any = true;
        }
        Ok(any)
    }
}
