//! The on-disk cache of fetched documents (JWKS and discovery): one file per URL and set of
//! extra trusted roots (`--cacert`) under the user's cache folder, written atomically, mode 0600
//! in a 0700 folder. A copy fetched while other roots were trusted never serves a run; a file
//! that is not ours, is writable by others, or does not parse is never trusted.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::files;
use crate::remote::http::Validators;

/// The shortest freshness given to a copy.
pub const MIN_FRESH: u64 = 5 * 60;
/// The longest freshness given to a copy.
pub const MAX_FRESH: u64 = 24 * 60 * 60;

/// One cached document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The URL it was fetched from (checked on read: a hash collision or a moved file is no
    /// match).
    pub url: String,
    /// When it was fetched or last revalidated, in real Unix seconds.
    pub fetched: u64,
    /// How long it stays fresh, in seconds, already clamped.
    pub max_age: u64,
    /// The `ETag` it came with.
    pub etag: Option<String>,
    /// The `Last-Modified` it came with.
    pub last_modified: Option<String>,
    /// The document itself (JSON text).
    pub body: String,
    /// The extra roots trusted when it was fetched ([`crate::remote::http::roots_id`]; empty
    /// for the system's alone). Checked on read, like `url`.
    #[serde(default)]
    pub roots: String,
    /// Whether the URLs it leads to (a discovery document's `jwks_uri`) may be on non-public
    /// addresses: the URL it was fetched from is on one.
    #[serde(default)]
    pub non_public_ok: bool,
    /// When an unknown kid's refetch of it last failed, in real Unix seconds.
    #[serde(default)]
    pub refetch_failed: Option<u64>,
}

impl Entry {
    /// A new entry fetched now.
    pub fn new(url: &str, body: String, max_age: Option<u64>, validators: Validators) -> Self {
        Entry {
            url: url.to_string(),
            fetched: real_now(),
            max_age: clamp(max_age),
            etag: validators.etag,
            last_modified: validators.last_modified,
            body,
            roots: String::new(),
            non_public_ok: false,
            refetch_failed: None,
        }
    }

    /// Seconds since it was fetched or revalidated.
    pub fn age(&self) -> u64 {
        real_now().saturating_sub(self.fetched)
    }

    /// Whether it may be used without asking the server. A copy dated in the future (a
    /// clock set back, an edited file) is not fresh.
    pub fn is_fresh(&self) -> bool {
        self.fetched <= real_now() + 60 && self.age() < self.max_age
    }

    /// The validators to revalidate it with.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }

    /// The copy renewed by a 304: fetched now, with the new freshness (and validators if the
    /// server sent new ones).
    pub fn renewed(mut self, max_age: Option<u64>, validators: Validators) -> Self {
        self.fetched = real_now();
        self.refetch_failed = None;
        self.max_age = clamp(max_age);
        if validators.etag.is_some() {
            self.etag = validators.etag;
        }
        if validators.last_modified.is_some() {
            self.last_modified = validators.last_modified;
        }
        self
    }

    /// Seconds since an unknown kid's refetch of it failed, if one did (and the clock has not
    /// gone back since).
    pub fn failed_ago(&self) -> Option<u64> {
        self.refetch_failed
            .and_then(|at| real_now().checked_sub(at))
    }
}

/// `max-age` clamped to 5 minutes – 24 hours (5 minutes without one).
pub fn clamp(max_age: Option<u64>) -> u64 {
    max_age.unwrap_or(MIN_FRESH).clamp(MIN_FRESH, MAX_FRESH)
}

/// Real time in Unix seconds: cache ages never follow `JWTK_NOW`.
pub fn real_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What the cache holds for a URL.
#[derive(Debug)]
pub enum Lookup {
    /// Nothing.
    Missing,
    /// A file that was not used, and why (corrupt, foreign, writable by others).
    Distrusted(String),
    /// A usable copy.
    Found(Entry),
}

/// The cache folder (or none when the environment names no home), for one set of extra roots.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    roots: String,
}

impl Cache {
    /// The cache under `$XDG_CACHE_HOME/jwtk`, else `~/.cache/jwtk`.
    pub fn from_env() -> Cache {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
        Cache {
            dir: base.map(|b| b.join("jwtk")),
            roots: String::new(),
        }
    }

    /// A cache in `dir` (tests).
    #[cfg(test)]
    pub fn at(dir: PathBuf) -> Cache {
        Cache {
            dir: Some(dir),
            roots: String::new(),
        }
    }

    /// The same folder, for runs that trust the extra roots `roots` identifies
    /// ([`crate::remote::http::roots_id`]).
    pub fn for_roots(self, roots: String) -> Cache {
        Cache { roots, ..self }
    }

    /// The file that holds `url`'s copy for these roots.
    pub fn path(&self, url: &str) -> Option<PathBuf> {
        // A versioned key: files named by earlier versions (by URL alone) are never read.
        let key = format!("jwtk-cache-2\0{url}\0{}", self.roots);
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.as_bytes());
        let name: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.as_ref().map(|d| d.join(format!("{name}.json")))
    }

    /// Read `url`'s copy, trusting it only if it is ours, private and well-formed.
    pub fn read(&self, url: &str) -> Lookup {
        let Some(path) = self.path(url) else {
            return Lookup::Missing;
        };
        // Open without following a link, then judge the file that was opened (not the path,
        // which could be swapped between a check and a read).
        let Ok(mut file) = open_no_follow(&path) else {
            return match std::fs::symlink_metadata(&path) {
                Ok(_) => Lookup::Distrusted(format!("{} is a symlink", path.display())),
                Err(_) => Lookup::Missing,
            };
        };
        let Ok(meta) = file.metadata() else {
            return Lookup::Missing;
        };
        if let Some(why) = distrust(&meta) {
            return Lookup::Distrusted(format!("{} {why}", path.display()));
        }
        let mut bytes = Vec::new();
        let parsed = std::io::Read::read_to_end(&mut file, &mut bytes)
            .ok()
            .and_then(|_| serde_json::from_slice::<Entry>(&bytes).ok())
            .filter(|entry| entry.url == url && entry.roots == self.roots);
        match parsed {
            Some(entry) => Lookup::Found(entry),
            None => Lookup::Distrusted(format!("{} is corrupt", path.display())),
        }
    }

    /// Store `entry` atomically (mode 0600, folder 0700).
    pub fn write(&self, entry: &Entry) -> Result<()> {
        let (Some(dir), Some(path)) = (&self.dir, self.path(&entry.url)) else {
            return Ok(());
        };
        create_private_dir(dir)?;
        let entry = Entry {
            roots: self.roots.clone(),
            ..entry.clone()
        };
        let text = serde_json::to_vec(&entry).unwrap_or_default();
        files::write_atomic(&path, &text, 0o600, true)
    }
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let io_error = |io| crate::error::Error::File {
        path: dir.to_path_buf(),
        io,
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io_error)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map_err(io_error)
}

/// Why a cache file is not to be trusted: not a regular file, another user's, or writable by
/// the group or others.
#[cfg(unix)]
fn distrust(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt;
    if !meta.is_file() {
        return Some("is not a regular file");
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    if meta.uid() != unsafe { libc::geteuid() } {
        return Some("belongs to another user");
    }
    (meta.mode() & 0o022 != 0).then_some("is writable by others")
}

#[cfg(not(unix))]
fn distrust(meta: &std::fs::Metadata) -> Option<&'static str> {
    (!meta.is_file()).then_some("is not a regular file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_is_clamped() {
        assert_eq!(clamp(None), 300);
        assert_eq!(clamp(Some(10)), 300);
        assert_eq!(clamp(Some(3600)), 3600);
        assert_eq!(clamp(Some(10_000_000)), 86_400);
    }

    #[test]
    fn a_copy_round_trips_and_a_foreign_url_is_no_match() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("jwtk"));
        let entry = Entry::new(
            "https://a.example/k",
            "{}".into(),
            Some(60),
            Validators::default(),
        );
        cache.write(&entry).unwrap();
        assert!(matches!(cache.read("https://a.example/k"), Lookup::Found(e) if e.is_fresh()));
        assert!(matches!(cache.read("https://b.example/k"), Lookup::Missing));
        let path = cache.path("https://a.example/k").unwrap();
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(
            cache.read("https://a.example/k"),
            Lookup::Distrusted(_)
        ));
    }

    #[test]
    fn a_copy_serves_only_runs_that_trust_the_same_extra_roots() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://a.example/k";
        let with_ca = Cache::at(dir.path().join("jwtk")).for_roots("ab".repeat(32));
        let entry = Entry::new(url, "{}".into(), None, Validators::default());
        with_ca.write(&entry).unwrap();
        assert!(matches!(with_ca.read(url), Lookup::Found(e) if e.roots == "ab".repeat(32)));
        let system = Cache::at(dir.path().join("jwtk"));
        assert!(matches!(system.read(url), Lookup::Missing));
        let other = Cache::at(dir.path().join("jwtk")).for_roots("cd".repeat(32));
        assert!(matches!(other.read(url), Lookup::Missing));
        // A file renamed to where another set of roots looks is no match either.
        std::fs::rename(with_ca.path(url).unwrap(), system.path(url).unwrap()).unwrap();
        assert!(matches!(system.read(url), Lookup::Distrusted(_)));
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_private_and_loose_files_are_distrusted() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("jwtk"));
        let url = "https://a.example/k";
        let entry = Entry::new(url, "{}".into(), None, Validators::default());
        cache.write(&entry).unwrap();
        let path = cache.path(url).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.path().join("jwtk")), 0o700);
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(matches!(cache.read(url), Lookup::Distrusted(why) if why.contains("writable")));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("jwtk"));
        let url = "https://a.example/k";
        cache
            .write(&Entry::new(url, "{}".into(), None, Validators::default()))
            .unwrap();
        let path = cache.path(url).unwrap();
        let elsewhere = dir.path().join("planted.json");
        std::fs::rename(&path, &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        assert!(matches!(cache.read(url), Lookup::Distrusted(why) if why.contains("symlink")));
    }
}
