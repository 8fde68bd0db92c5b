//! The live state: the keys and the clients a server answers with, swapped whole when the
//! keyset or the config file changes on disk (checked four times a second). A change that does not
//! load leaves the last good state serving, and says so.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use zeroize::Zeroizing;

use crate::error::{Error, Result, ServeProblem};
use crate::serve::clients::Registry;
use crate::serve::config;
use crate::serve::discovery;
use crate::serve::events::{Event, Events};
use crate::serve::signing::{self, Keys};
use crate::serve::urls::HttpUrl;

/// How often the files are looked at.
pub const CHECK_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// What requests are answered with, at one moment.
pub struct Snapshot {
    /// The signing key and the published set.
    pub keys: Arc<Keys>,
    /// The clients.
    pub registry: Arc<Registry>,
    /// The discovery document.
    pub discovery: Vec<u8>,
}

/// Where the state comes from.
pub struct Sources {
    /// The key file; `None` for the ephemeral key.
    pub key: Option<PathBuf>,
    /// The config file.
    pub config: Option<PathBuf>,
    /// The public clients of `--client`.
    pub public: Vec<String>,
    /// The issuer.
    pub issuer: HttpUrl,
    /// Whether clients must be declared (a non-loopback address).
    pub need_clients: Option<String>,
}

/// The current snapshot, shared by every connection.
pub struct Live {
    current: RwLock<Arc<Snapshot>>,
}

impl Live {
    /// The snapshot to answer one request with.
    pub fn get(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.current.write() {
            Ok(mut current) => *current = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }
}

/// A digest of what a file held when last read (`None`: it could not be read).
type Seen = Option<[u8; 32]>;

/// Watches the files of [`Sources`] and swaps the state when they change.
pub struct Watcher {
    sources: Sources,
    live: Arc<Live>,
    key_seen: Seen,
    config_seen: Seen,
}

impl Sources {
    /// Load everything once, at start: any error stops the server from starting.
    pub fn load(self, events: &dyn Events) -> Result<Watcher> {
        let (key_seen, keys) = match &self.key {
            Some(path) => {
                let bytes = signing::read_file(path)?;
                (Some(digest(&bytes)), Keys::from_file(&bytes, path)?)
            }
            None => (None, Keys::ephemeral()?),
        };
        let (config_seen, registry) = match &self.config {
            Some(path) => {
                let bytes = read_config(path)?;
                let registry = self.registry(path, &bytes)?;
                if registry.has_secrets()
                    && let Some(warning) = crate::files::loose_mode(path)
                {
                    events.report(Event::Warning(warning));
                }
                (Some(digest(&bytes)), registry)
            }
            None => (None, self.registry(Path::new(""), b"{}")?),
        };
        tell(events, &keys);
        let discovery = discovery::document(&self.issuer, &registry, &keys);
        let snapshot = Snapshot {
            keys: Arc::new(keys),
            registry: Arc::new(registry),
            discovery,
        };
        Ok(Watcher {
            sources: self,
            live: Arc::new(Live {
                current: RwLock::new(Arc::new(snapshot)),
            }),
            key_seen,
            config_seen,
        })
    }

    fn registry(&self, path: &Path, bytes: &[u8]) -> Result<Registry> {
        let problem = |why: String| -> Error {
            ServeProblem::Config {
                path: path.to_path_buf(),
                why,
            }
            .into()
        };
        let parsed = config::parse(bytes).map_err(problem)?;
        let registry = Registry::new(parsed, &self.public).map_err(problem)?;
        if let Some(addr) = &self.need_clients
            && registry.is_open()
        {
            return Err(ServeProblem::OpenModeNotLoopback { addr: addr.clone() }.into());
        }
        Ok(registry)
    }
}

impl Watcher {
    /// The live state.
    pub fn live(&self) -> Arc<Live> {
        Arc::clone(&self.live)
    }

    /// Look at the files once; swap in what changed and loads.
    pub fn check(&mut self, events: &dyn Events) {
        let mut keys = None;
        let mut registry = None;
        if let Some(path) = &self.sources.key {
            let parse = |bytes: &[u8]| Keys::from_file(bytes, path);
            keys = reload(&mut self.key_seen, path, signing::read_file, parse, events);
            if let Some(keys) = &keys {
                let kid = keys.kid.as_deref().unwrap_or("(none)");
                events.report(Event::Note(format!(
                    "{} changed: signing with kid {kid:?} ({}), {} public key(s) in /jwks",
                    path.display(),
                    keys.alg(),
                    keys.published
                )));
                tell(events, keys);
            }
        }
        if let Some(path) = &self.sources.config {
            let parse = |bytes: &[u8]| self.sources.registry(path, bytes);
            registry = reload(&mut self.config_seen, path, read_config, parse, events);
            if let Some(registry) = &registry {
                events.report(Event::Note(format!(
                    "{} changed: {} client(s) declared",
                    path.display(),
                    registry.len()
                )));
            }
        }
        if keys.is_none() && registry.is_none() {
            return;
        }
        let current = self.live.get();
        let keys = keys.map_or_else(|| Arc::clone(&current.keys), Arc::new);
        let registry = registry.map_or_else(|| Arc::clone(&current.registry), Arc::new);
        let discovery = discovery::document(&self.sources.issuer, &registry, &keys);
        self.live.set(Snapshot {
            keys,
            registry,
            discovery,
        });
    }
}

/// What the file at `path` holds now, when it differs from what was seen last and loads; a
/// warning (once per change) when it does not.
fn reload<T>(
    seen: &mut Seen,
    path: &Path,
    read: fn(&Path) -> Result<Zeroizing<Vec<u8>>>,
    parse: impl FnOnce(&[u8]) -> Result<T>,
    events: &dyn Events,
) -> Option<T> {
    let warn = |err: Error| {
        events.report(Event::Warning(format!(
            "{} changed but does not load ({err}): still serving the last good state",
            path.display()
        )));
    };
    let bytes = match read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            if seen.take().is_some() {
                warn(err);
            }
            return None;
        }
    };
    let now = Some(digest(&bytes));
    if *seen == now {
        return None;
    }
    *seen = now;
    parse(&bytes).map_err(warn).ok()
}

fn tell(events: &dyn Events, keys: &Keys) {
    for note in &keys.notes {
        events.report(Event::Note(note.clone()));
    }
    for warning in &keys.warnings {
        events.report(Event::Warning(warning.clone()));
    }
}

/// The largest config file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

fn read_config(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let fail = |io| Error::File {
        path: path.to_path_buf(),
        io,
    };
    let file = std::fs::File::open(path).map_err(fail)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ServeProblem::Config {
            path: path.to_path_buf(),
            why: "is larger than 1 MiB".into(),
        }
        .into());
    }
    Ok(bytes)
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(digest.as_ref());
    out
}
