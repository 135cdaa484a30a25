//! Reading files that may be hostile (a journal can come from anyone's git repository):
//! only regular files are read, never pipes or devices, which would block or never end;
//! records are read up to a size limit; big media files are hashed as a stream.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// The largest journal record read (a 10 MB body is fine; a gigabyte is not a note).
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Open `path` for reading if it is a regular file (after following links). A pipe is
/// opened without waiting for a writer, then refused.
pub fn open_regular(path: &Path) -> io::Result<File> {
    open_regular_with_metadata(path).map(|(file, _)| file)
}

/// `open_regular`, with the file's metadata as it was when opened (one `fstat`).
fn open_regular_with_metadata(path: &Path) -> io::Result<(File, Metadata)> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a folder, pipe or device)",
        ));
    }
    Ok((file, metadata))
}

/// The bytes of the regular file `path`, refused when larger than `limit`.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    read_regular_with_metadata(path, limit).map(|(bytes, _)| bytes)
}

/// `read_regular`, with the file's metadata taken before its bytes were read: a change
/// made while reading shows in a later stamp, never in this one.
pub fn read_regular_with_metadata(path: &Path, limit: u64) -> io::Result<(Vec<u8>, Metadata)> {
    let (file, metadata) = open_regular_with_metadata(path)?;
    let too_large = |size: u64| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "too large ({} MB; the limit is {} MB)",
                size / 1_000_000,
                limit / 1_000_000
            ),
        )
    };
    let size = metadata.len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, metadata))
}

/// The sha256 of a regular file, read in pieces (a screen recording may be gigabytes).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(super::check::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap(), b"hello");
        let err = read_regular(&path, 4).unwrap_err();
        assert!(err.to_string().contains("too large"), "{err}");
        assert_eq!(
            sha256_file(&path).unwrap(),
            super::super::check::sha256_hex(b"hello")
        );
        assert!(
            read_regular(dir.path(), 100).is_err(),
            "a folder is refused"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(read_regular(&fifo, 100).is_err());
        assert!(sha256_file(&fifo).is_err());
        assert!(read_regular(Path::new("/dev/zero"), 100).is_err());
    }
}
