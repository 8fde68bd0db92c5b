//! The remote key sets of one run (`--jwks`, `--issuer`): their public keys, whether each
//! came from the cache, and the one refetch per URL a token with an unknown kid may cause (a
//! failed one is remembered in the cache for 30 s, and the token judged with the copy at hand).

use crate::error::{Error, RemoteProblem, Result};
use crate::keys::key::Key;
use crate::remote::fetch::{self, Fetcher, REFETCH_AFTER, RemoteSet};
use crate::remote::http::Start;

/// One fetched set and its keys.
struct Source {
    /// What fetching its URL may use and reach.
    start: Start,
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
        let mut wanted: Vec<(String, Start)> =
            jwks.iter().map(|u| (u.clone(), Start::USER)).collect();
        if let Some(issuer) = issuer {
            let found = fetcher.discover(issuer)?;
            wanted.push((found.jwks_uri, found.start));
        }
        let mut sources = Vec::with_capacity(wanted.len());
        for (url, start) in wanted {
            let set = fetcher.jwks(&url, start, false)?;
            let loaded = fetch::keys_of(&set)?;
            fetcher.notes.extend(loaded.notes);
            fetcher.notes.extend(loaded.warnings);
            sources.push(Source {
                start,
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

    /// Why a token whose kid or alg no key serves was judged without a refetch, when it is that
    /// the keys came from a cached copy too young to be fetched again (under 30 s): which copy,
    /// how old, and the way to fetch it now. `None` otherwise (offline, fetched in this run).
    pub fn young_copies(&self) -> Option<String> {
        if self.offline {
            return None;
        }
        let young: Vec<String> = self
            .sources
            .iter()
            .filter(|s| s.set.cached && !s.refetched && s.set.age < REFETCH_AFTER)
            .map(|s| {
                format!(
                    "{} came from the cache, fetched {} s ago",
                    s.set.url, s.set.age
                )
            })
            .collect();
        (!young.is_empty()).then(|| {
            format!(
                "the keys of {}; a copy under {REFETCH_AFTER} s old is not fetched again for an unknown kid: --refresh fetches it now",
                young.join(", ")
            )
        })
    }

    /// The once-per-run refetch for a token whose kid or alg no key serves: every set older
    /// than 30 seconds is asked for again (a conditional request). A refetch that fails leaves
    /// the copy at hand in use, with a note, and is remembered in the cache: for 30 seconds no
    /// new request is made for that URL. Returns whether any set was refetched.
    pub fn refetch(&mut self) -> bool {
        if self.offline {
            return false;
        }
        let mut any = false;
        for source in &mut self.sources {
            if source.refetched || source.set.age < REFETCH_AFTER {
                continue;
            }
            source.refetched = true;
            let url = source.set.url.clone();
            if let Some(ago) = source.set.failed_ago.filter(|&ago| ago < REFETCH_AFTER) {
                self.fetcher.notes.push(format!(
                    "{url} was not asked again: a refetch failed {ago} s ago (it is asked again after {REFETCH_AFTER} s); the token is judged with the copy at hand"
                ));
                continue;
            }
            let refetched = self
                .fetcher
                .jwks(&url, source.start, true)
                .and_then(|set| fetch::keys_of(&set).map(|loaded| (set, loaded)));
            match refetched {
                Ok((set, loaded)) => {
                    self.fetcher.notes.extend(loaded.notes);
                    source.keys = loaded.keys;
                    source.set = set;
                    any = true;
                }
                Err(err) => {
                    self.fetcher.remember_failure(&url);
                    self.fetcher.notes.push(format!(
                        "the refetch for an unknown kid failed ({}); the token is judged with the copy at hand",
                        why(&err)
                    ));
                }
            }
        }
        any
    }
}

/// What went wrong in a refetch, without the "the token was not judged" of a failed fetch: a
/// failed refetch leaves the token judged with the copy at hand.
fn why(err: &Error) -> String {
    match err {
        Error::Remote(
            RemoteProblem::Fetch { url, err } | RemoteProblem::Revalidate { url, err },
        ) => {
            format!("{url}: {err}")
        }
        other => other.to_string(),
    }
}
