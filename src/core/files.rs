//! Writing files that must not be lost or leaked: a temporary file in the same folder, with
//! its final mode from the moment it is created, synced, then renamed into place — refusing
//! to replace an existing file unless asked (never following a planted symlink), and locks
//! for read-modify-write of keysets.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};

/// Mode for private keys and keysets: owner read/write only.
pub const PRIVATE_MODE: u32 = 0o600;

/// Mode for public keys and public keysets.
pub const PUBLIC_MODE: u32 = 0o644;

/// Refuse (a key error) when any of `paths` exists and `force` is off. Checked for every path
/// before anything is written, so a refusal writes nothing.
pub fn check_writable(paths: &[&Path], force: bool) -> Result<()> {
    for path in paths {
        if !force && path.symlink_metadata().is_ok() {
            return Err(Error::key(
                format!("refusing to overwrite {}", path.display()),
                Some("choose another path, or give --force to replace it".to_string()),
            ));
        }
    }
    Ok(())
}

/// Write `bytes` to `path` atomically with `mode`: readers see the old file or the new one,
/// never a part. Without `replace`, an existing file (or symlink) at `path` is an error.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32, replace: bool) -> Result<()> {
    write_atomic_with(path, mode, replace, |file| file.write_all(bytes))
}

/// [`write_atomic`] with the content written by `fill`; if `fill` fails, the temporary file is
/// removed and `path` is left as it was.
fn write_atomic_with(
    path: &Path,
    mode: u32,
    replace: bool,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let file_error = |io| Error::File {
        path: path.to_path_buf(),
        io,
    };
    let dir = parent(path);
    let mut temp = temp_builder(mode).tempfile_in(&dir).map_err(file_error)?;
    fill(temp.as_file_mut()).map_err(file_error)?;
    temp.as_file().sync_all().map_err(file_error)?;
    let persisted = if replace {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    persisted.map_err(|err| match err.error.kind() {
        std::io::ErrorKind::AlreadyExists => Error::key(
            format!("refusing to overwrite {}", path.display()),
            Some("choose another path, or give --force to replace it".to_string()),
        ),
        _ => file_error(err.error),
    })?;
    // Make the rename itself durable.
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_builder(mode: u32) -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jwtk-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = mode;
    builder
}

/// An exclusive lock on `<path>.lock`, held until dropped. The keyset itself is replaced by
/// rename, so the lock lives on a sidecar file that is never replaced.
pub struct Lock {
    _file: File,
}

/// Wait for and take the lock of `path`.
pub fn lock(path: &Path) -> Result<Lock> {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    let lock_path = PathBuf::from(name);
    let file_error = |io| Error::File {
        path: lock_path.clone(),
        io,
    };
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_MODE);
    }
    let file = options.open(&lock_path).map_err(file_error)?;
    file.lock().map_err(file_error)?;
    Ok(Lock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_with_mode_and_refuses_to_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        write_atomic(&path, b"one", PRIVATE_MODE, false).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(write_atomic(&path, b"two", PRIVATE_MODE, false).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", PRIVATE_MODE, true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(check_writable(&[&path], false).is_err());
        assert!(check_writable(&[&path], true).is_ok());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        write_atomic(&path, b"old key", PRIVATE_MODE, false).unwrap();
        let disk_full = |file: &mut File| {
            file.write_all(b"half a ke")?;
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ))
        };
        let err = write_atomic_with(&path, PRIVATE_MODE, true, disk_full).unwrap_err();
        assert!(err.to_string().contains("no space left"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"old key");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "the temporary file is gone"
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("k");
        assert!(write_atomic(&path, b"x", PRIVATE_MODE, true).is_err());
    }
}
