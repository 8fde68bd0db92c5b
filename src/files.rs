//! Writing files that must not be lost or leaked: a temporary file in the same folder, with
//! its final mode from the moment it is created, synced, then renamed into place — refusing
//! to replace an existing file unless asked (never following a planted symlink); several
//! files replaced as one step; edits of an existing file made where its symlinks point,
//! keeping its mode, owner and group; and locks for read-modify-write of keysets.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, FileProblem, Result};

/// Mode for private keys and keysets: owner read/write only.
pub const PRIVATE_MODE: u32 = 0o600;

/// Mode for public keys and public keysets.
pub const PUBLIC_MODE: u32 = 0o644;

/// A warning when the file at `path`, which holds private or secret key material (a key file,
/// a keyset), can be read or written by its group or by others, as ssh warns about private
/// keys; `None` when only its owner can reach it (or it cannot be looked at). The one check
/// behind every such warning: `mint`/`verify` reading a key file, `keygen --add-to` writing a
/// keyset.
#[cfg(unix)]
pub fn loose_mode(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    let access = match (mode & 0o044 != 0, mode & 0o022 != 0) {
        (true, true) => "read and write",
        (true, false) => "read",
        (false, true) => "write",
        (false, false) if mode & 0o077 != 0 => "execute",
        (false, false) => return None,
    };
    Some(format!(
        "{} holds private key material but its mode is {mode:04o}: others can {access} it (chmod 600 {0})",
        path.display()
    ))
}

/// Modes are a Unix notion: nothing to warn about elsewhere.
#[cfg(not(unix))]
pub fn loose_mode(_: &Path) -> Option<String> {
    None
}

/// Refuse (a key error) when any of `paths` exists and `force` is off. Checked for every path
/// before anything is written, so a refusal writes nothing.
pub fn check_writable(paths: &[&Path], force: bool) -> Result<()> {
    for path in paths {
        if !force && path.symlink_metadata().is_ok() {
            return Err(FileProblem::Exists {
                path: path.to_path_buf(),
            }
            .into());
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
    let temp = stage(path, mode, fill)?;
    persist(temp, path, replace)?;
    sync_dir(path);
    Ok(())
}

/// Write several files as one step, as far as the file system allows: every new file is
/// written and synced before any replaces its old one, and when a replacement fails, the ones
/// already made are undone (old files put back from hard links, new ones removed).
pub fn write_all_atomic(files: &[(&Path, &[u8], u32)], replace: bool) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes, mode) in files {
        staged.push((*path, stage(path, *mode, |file| file.write_all(bytes))?));
    }
    let mut installed: Vec<Installed> = Vec::with_capacity(staged.len());
    for (path, temp) in staged {
        match install(path, temp, replace) {
            Ok(done) => installed.push(done),
            Err(err) => {
                for done in installed.into_iter().rev() {
                    done.undo();
                }
                return Err(err);
            }
        }
    }
    for (path, ..) in files {
        sync_dir(path);
    }
    Ok(())
}

/// A file put in place by [`write_all_atomic`], with a hard link to the file it replaced.
struct Installed {
    path: PathBuf,
    old: Option<tempfile::TempPath>,
}

impl Installed {
    fn undo(self) {
        match self.old {
            Some(old) => {
                let _ = old.persist(&self.path);
            }
            None => {
                let _ = std::fs::remove_file(&self.path);
            }
        }
    }
}

fn install(path: &Path, temp: tempfile::NamedTempFile, replace: bool) -> Result<Installed> {
    // A second name for the old file, so it can be put back; removed when dropped.
    let old = if replace && path.symlink_metadata().is_ok() {
        tempfile::Builder::new()
            .prefix(".jwtk-old-")
            .make_in(parent(path), |name| std::fs::hard_link(path, name))
            .ok()
            .map(tempfile::NamedTempFile::into_temp_path)
    } else {
        None
    };
    persist(temp, path, replace)?;
    Ok(Installed {
        path: path.to_path_buf(),
        old,
    })
}

/// Replace the file at `target` (symlinks already followed, see [`follow_links`]) with
/// `bytes`, keeping its mode, owner and group; or create it with `mode` when it is missing.
/// An owner or group that cannot be kept is an error, and the file is left as it was.
pub fn rewrite(target: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let file_error = |io| Error::File {
        path: target.to_path_buf(),
        io,
    };
    let existing = match std::fs::metadata(target) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(file_error(err)),
    };
    let temp = stage(target, PRIVATE_MODE, |file| {
        file.write_all(bytes)?;
        match &existing {
            Some(meta) => keep_owner_and_mode(file, meta),
            None => set_mode(file, mode),
        }
    })?;
    persist(temp, target, existing.is_some())?;
    sync_dir(target);
    Ok(())
}

#[cfg(unix)]
fn keep_owner_and_mode(file: &File, old: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let new = file.metadata()?;
    if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
        std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|err| {
            std::io::Error::new(
                err.kind(),
                format!(
                    "cannot keep its owner and group ({}:{}): {err}",
                    old.uid(),
                    old.gid()
                ),
            )
        })?;
    }
    // After chown, which clears set-id bits.
    set_mode(file, old.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn keep_owner_and_mode(_: &File, _: &std::fs::Metadata) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn set_mode(file: &File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &File, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// The file `path` names once its symlinks are followed (at most 40, as Linux allows). A
/// missing `path` is itself; a symlink to a missing file is an error, never a file created
/// wherever a link happens to point.
pub fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let file_error = |io| Error::File {
            path: current.clone(),
            io,
        };
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current).map_err(file_error)?;
                current = parent(&current).join(target);
            }
            Ok(_) => return Ok(current),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && current != path => {
                return Err(FileProblem::DanglingLink {
                    path: path.to_path_buf(),
                    target: current,
                }
                .into());
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(err) => return Err(file_error(err)),
        }
    }
    Err(FileProblem::LinkLoop {
        path: path.to_path_buf(),
    }
    .into())
}

/// A synced temporary file beside `path`, created with `mode`, filled by `fill`.
fn stage(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<tempfile::NamedTempFile> {
    // Errors name the user's path: the temporary file's name is ours, not theirs.
    let file_error = |io| Error::File {
        path: path.to_path_buf(),
        io: without_temporary_name(io),
    };
    let mut temp = temp_builder(mode)
        .tempfile_in(parent(path))
        .map_err(file_error)?;
    fill(temp.as_file_mut()).map_err(file_error)?;
    temp.as_file().sync_all().map_err(file_error)?;
    Ok(temp)
}

/// The operating system's reason alone, without the `at path ".jwtk-xST5yF"` tempfile adds:
/// a message names the file the user asked for, never a temporary one.
fn without_temporary_name(io: std::io::Error) -> std::io::Error {
    // tempfile wraps the system's error in a private type whose text ends with the path.
    let text = match io.get_ref() {
        Some(wrapped) => wrapped.to_string(),
        None => return io,
    };
    match text.rfind(" at path \"") {
        Some(at) => std::io::Error::new(io.kind(), &text[..at]),
        None => io,
    }
}

/// Rename a staged file into place; without `replace`, never over an existing name.
fn persist(temp: tempfile::NamedTempFile, path: &Path, replace: bool) -> Result<()> {
    let persisted = if replace {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    persisted.map_err(|err| match err.error.kind() {
        std::io::ErrorKind::AlreadyExists => FileProblem::Exists {
            path: path.to_path_buf(),
        }
        .into(),
        _ => Error::File {
            path: path.to_path_buf(),
            io: err.error,
        },
    })?;
    Ok(())
}

/// Make a rename in `path`'s folder durable.
fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(parent(path)) {
        let _ = dir.sync_all();
    }
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
    // Named by the keyset the user gave: the sidecar lock file is jwtk's business.
    let file_error = |io: std::io::Error| Error::File {
        path: path.to_path_buf(),
        io: std::io::Error::new(io.kind(), format!("cannot lock it for editing ({io})")),
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
    fn errors_name_the_users_path_not_a_temporary_or_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("k.jwks");
        let err = write_atomic(&path, b"x", PRIVATE_MODE, true)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        assert!(!err.contains(".jwtk-") && !err.contains("at path"), "{err}");
        let err = lock(&path).err().unwrap().to_string();
        assert!(
            err.starts_with(&format!("{}: cannot lock it", path.display())),
            "{err}"
        );
        assert!(!err.contains(".lock"), "{err}");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("k");
        assert!(write_atomic(&path, b"x", PRIVATE_MODE, true).is_err());
    }

    #[test]
    fn a_pair_is_replaced_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        write_all_atomic(
            &[(&a, b"a1", PRIVATE_MODE), (&b, b"b1", PUBLIC_MODE)],
            false,
        )
        .unwrap();
        assert!(write_all_atomic(&[(&a, b"a2", PRIVATE_MODE)], false).is_err());
        // b cannot be replaced (a directory now): a is put back.
        std::fs::remove_file(&b).unwrap();
        std::fs::create_dir(&b).unwrap();
        let err = write_all_atomic(&[(&a, b"a2", PRIVATE_MODE), (&b, b"b2", PUBLIC_MODE)], true)
            .unwrap_err();
        assert!(err.to_string().contains("b:"), "{err}");
        assert_eq!(std::fs::read(&a).unwrap(), b"a1");
        // A new a is removed again when b fails.
        let c = dir.path().join("c");
        assert!(
            write_all_atomic(&[(&c, b"c", PRIVATE_MODE), (&b, b"b2", PUBLIC_MODE)], true).is_err()
        );
        assert!(!c.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary files"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_file_and_rewrite_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("rel")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("rel"), dir.path().join("abs")).unwrap();
        let target = follow_links(&dir.path().join("abs")).unwrap();
        assert_eq!(
            std::fs::canonicalize(&target).unwrap(),
            std::fs::canonicalize(&real).unwrap()
        );
        rewrite(&target, b"new", PRIVATE_MODE).unwrap();
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let fresh = dir.path().join("fresh");
        assert_eq!(follow_links(&fresh).unwrap(), fresh);
        rewrite(&fresh, b"x", PRIVATE_MODE).unwrap();
        assert_eq!(
            std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::os::unix::fs::symlink("nowhere", dir.path().join("dangling")).unwrap();
        assert!(follow_links(&dir.path().join("dangling")).is_err());
        std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
        assert!(follow_links(&dir.path().join("loop")).is_err());
    }
}
