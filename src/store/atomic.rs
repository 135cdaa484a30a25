//! Atomic file replacement: a crash at any moment leaves the old file or the new one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Every temporary file the program writes starts with this, so that a crashed write's
/// leftovers can be recognised and swept.
pub const TEMP_PREFIX: &str = ".fieldnote-tmp-";

/// Write `bytes` to `path` atomically: a temporary file in the same folder, fsync,
/// rename over the target, fsync the folder. Creates missing folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    prepare(path, bytes)?.commit()
}

/// When a write must be on the disk itself, not only in the kernel's cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Before the call returns: the file and its folder are fsynced.
    Now,
    /// When the caller syncs the whole file system once (`sync_file_system`), after a
    /// batch of new files: a killed process loses nothing either way, since the kernel
    /// has every renamed file; only a power cut in between can leave new files empty,
    /// which `Store::save_entries` records beforehand so that they can be found.
    Deferred,
}

/// A new version of a file, written and synced beside it but not yet in its place.
/// Dropping it without `commit` removes the temporary file.
pub struct Prepared {
    tmp: tempfile::NamedTempFile,
    dir: PathBuf,
    target: PathBuf,
    durability: Durability,
}

/// The first half of `write_atomic`: everything but the rename, which `commit` does.
/// Writers that must check the target just before replacing it (see `Store`) do the
/// slow part (writing, fsync) here, outside their lock.
pub fn prepare(path: &Path, bytes: &[u8]) -> io::Result<Prepared> {
    prepare_with(path, bytes, Durability::Now)
}

/// [`prepare`], syncing the new version only when `durability` is `Now`.
pub fn prepare_with(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<Prepared> {
    let dir = parent_of(path);
    create_dirs_durably(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    // New files get what `touch` would give them (0666 less the umask), not the 0600 of
    // a temporary file: a journal is shared through git and read by reviewers.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Ok(meta) = fs::metadata(path) {
        // Keep the permissions a person gave the file.
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    if durability == Durability::Now {
        tmp.as_file().sync_all()?;
    }
    Ok(Prepared {
        tmp,
        dir: dir.to_path_buf(),
        target: path.to_path_buf(),
        durability,
    })
}

impl Prepared {
    /// Put the new version in place (one rename) and make that durable.
    pub fn commit(self) -> io::Result<()> {
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        match self.durability {
            Durability::Now => sync_dir(&self.dir),
            Durability::Deferred => Ok(()),
        }
    }
}

fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// An exclusive lock on a folder, held by a writer while it checks that a file is still
/// what it read and replaces it, so that two processes (or threads) saving the same file
/// cannot both pass the check and overwrite each other. Released when dropped. Where
/// locks are not supported it holds nothing and the check alone remains.
pub struct FolderLock {
    _file: Option<File>,
}

pub fn lock_folder(dir: &Path) -> FolderLock {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let Ok(file) = File::open(dir) else {
            return FolderLock { _file: None };
        };
        loop {
            // SAFETY: flock on a descriptor this function owns; no memory is involved.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                return FolderLock { _file: Some(file) };
            }
            if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return FolderLock { _file: None };
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        FolderLock { _file: None }
    }
}

fn create_dirs_durably(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dirs_durably(parent)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(e),
    }
    match dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => sync_dir(parent),
        None => Ok(()),
    }
}

/// Put everything written to the file system holding `dir` on the disk: one `syncfs`
/// for a batch of deferred writes, where a thousand fsyncs would each wait. Without
/// `syncfs` (not Linux) nothing is deferred, so there is nothing to do.
pub fn sync_file_system(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let folder = File::open(dir)?;
        // SAFETY: syncfs on a descriptor this function owns; no memory is involved.
        if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// Whether this system can defer durability to one `sync_file_system`.
pub const CAN_DEFER: bool = cfg!(target_os = "linux");

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    // Directories can be opened and fsynced on Unix; elsewhere there is nothing to do.
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Remove `item` if it is a temporary left by a crashed write; returns whether it was
/// removed. Only files older than a minute go, so a write in progress in another process
/// is never touched. (Loading calls this for the hidden files it passes.)
pub fn sweep_if_stale(item: &fs::DirEntry) -> bool {
    let cutoff = SystemTime::now() - Duration::from_secs(60);
    let stale = item.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
        && item
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < cutoff);
    stale && fs::remove_file(item.path()).is_ok()
}

/// Remove the stale temporaries in `dir` (see `sweep_if_stale`); returns how many went.
pub fn sweep_temporaries(dir: &Path) -> usize {
    let Ok(read) = fs::read_dir(dir) else {
        return 0;
    };
    read.flatten().filter(sweep_if_stale).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_creates_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.toml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary left behind");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_ordinary_permissions_and_old_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        File::create(&plain).unwrap();
        let new = dir.path().join("new.toml");
        write_atomic(&new, b"x").unwrap();
        assert_eq!(
            mode(&new),
            mode(&plain),
            "as `touch` would make it, not 0600"
        );
        fs::set_permissions(&new, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&new, b"y").unwrap();
        assert_eq!(mode(&new), 0o640);
    }

    #[test]
    fn a_prepared_write_that_is_dropped_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        write_atomic(&path, b"old").unwrap();
        drop(prepare(&path, b"new").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn sweeps_only_old_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(format!("{TEMP_PREFIX}old"));
        let fresh = dir.path().join(format!("{TEMP_PREFIX}fresh"));
        fs::write(&old, "x").unwrap();
        fs::write(&fresh, "x").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        let swept = fs::read_dir(dir.path()).unwrap().flatten();
        assert_eq!(swept.filter(sweep_if_stale).count(), 1);
        assert!(!old.exists());
        assert!(fresh.exists());
    }
}
