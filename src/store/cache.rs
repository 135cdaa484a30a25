//! The load cache: what parsing a journal's files produced, kept under
//! `.fieldnote/cache/` so that the next start reads a few binary files instead of
//! parsing every TOML file again.
//!
//! - The plain files stay the only source of truth. A cached record is used only when
//!   its file's stamp (size, modification and change times, inode) is exactly what it
//!   was when the record was made; anything else is parsed again. Deleting the cache
//!   loses nothing.
//! - It is sharded by folder (`entries/2026/03`, ...): one shard file each, so a saved
//!   entry costs rewriting one small shard on the next start, not the whole cache, and
//!   shards decode in parallel.
//! - A missing, truncated, foreign or old-format shard is ignored and rebuilt, never an
//!   error; a cache that cannot be written is simply not written.
//! - A file changed within the last seconds is "racy" (as in git's index): two writes
//!   within one tick of the file system's clock can leave the same stamp. Its record is
//!   trusted only after its bytes are read and hashed again, until it has settled.
//! - A file that had any problem is not cached, so problems are always found in the
//!   text and reported at their line.
//! - `.fieldnote/.gitignore` ignores the whole folder, so the cache never reaches git
//!   even in a journal whose own `.gitignore` does not mention it.
//! - Shards are encoded where they are made, then written by a thread of their own
//!   (`Writes`), so that a load need not wait for its disk: the interface takes keys
//!   while the first start's shards (99 MB at 100k entries) are still being written.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{Comment, Entry, Moment};

/// Where the cache lives, relative to the journal root.
pub const DIR: &str = ".fieldnote/cache";

const MAGIC: &[u8; 8] = b"FNCACHE\0";
/// Bump when the layout of a shard changes in a way the model fingerprint cannot see.
const VERSION: u32 = 4;
/// A hash of the model's source (see build.rs): any change to the types that are cached
/// makes old shards foreign, so they can never be misread.
const MODEL: u64 = include!(concat!(env!("OUT_DIR"), "/model_fingerprint.rs"));
/// Files changed more recently than this are racy (see the module comment).
const SETTLE: Duration = Duration::from_secs(2);
/// Set to anything to load without the cache (to measure, or to rule it out).
pub const ENV_OFF: &str = "FIELDNOTE_NO_CACHE";

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    modified: (i64, u32),
    changed: (i64, u32),
    inode: u64,
}

impl Stamp {
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let modified = meta.modified().map_or((0, 0), since_epoch);
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            ((meta.ctime(), meta.ctime_nsec() as u32), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (modified, 0);
        Stamp {
            size: meta.len(),
            modified,
            changed,
            inode,
        }
    }

    /// Was the file last changed long enough before `now` that a later change must
    /// show in its stamp?
    fn settled(&self, now: SystemTime) -> bool {
        let latest = self.modified.max(self.changed);
        let now = since_epoch(now);
        let settle = SETTLE.as_secs() as i64;
        latest.0 + settle < now.0 || (latest.0 + settle == now.0 && latest.1 <= now.1)
    }
}

fn since_epoch(t: SystemTime) -> (i64, u32) {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        // Before 1970: never settled-looking in a way that matters; keep it distinct.
        Err(e) => (
            -(e.duration().as_secs() as i64),
            e.duration().subsec_nanos(),
        ),
    }
}

/// One cached file: where it is, its stamp, the hash of its bytes (what the store
/// compares before overwriting it), whether the stamp alone is not enough (racy), and
/// what it parsed into.
/// Written with the path borrowed (`R` = `&str`), read back owning it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record<T, R = String> {
    pub rel: R,
    pub stamp: Stamp,
    pub hash: u64,
    pub verify: bool,
    pub value: T,
}

/// A parsed record that the cache can keep: how it is written (`stored`) and what is
/// read back (`Stored`), with its long text (`take_text`) kept apart in the shard, after
/// all the records, so that a load that shows and searches no text (`list`) never
/// decodes it.
pub trait Cacheable: Sized {
    type Stored: DeserializeOwned + Into<Self>;
    /// The record as the shard keeps it, once its text has been taken out.
    fn stored(&self) -> impl Serialize + '_;
    /// Take the long text out to be written apart, leaving what a load without texts
    /// needs; `set_text` puts it back. Moved, not copied: the first start writes every
    /// entry, and copying each one was a fifth of its allocations.
    fn take_text(&mut self) -> String {
        String::new()
    }
    fn set_text(&mut self, _text: String) {}
}

impl Cacheable for Entry {
    type Stored = Entry;
    fn stored(&self) -> impl Serialize + '_ {
        self
    }
    fn take_text(&mut self) -> String {
        // The line `headline` shows when there is no title stays: read without its
        // text, the entry still heads a list the same.
        let headline = if self.title.trim().is_empty() {
            self.headline().to_string()
        } else {
            String::new()
        };
        std::mem::replace(&mut self.body, headline)
    }
    fn set_text(&mut self, text: String) {
        self.body = text;
    }
}

/// A comment with its id, which its file does not hold: `Comment`'s own serde form skips
/// the id when reading, so a format without field names could not read it back.
#[derive(Deserialize)]
pub struct StoredComment(String, String, String, Moment, String, bool);

impl Cacheable for Comment {
    type Stored = StoredComment;
    fn stored(&self) -> impl Serialize + '_ {
        let c = self;
        (&c.id, &c.entry, &c.author, c.at, &c.body, c.resolved)
    }
}

impl From<StoredComment> for Comment {
    fn from(StoredComment(id, entry, author, at, body, resolved): StoredComment) -> Comment {
        // Every field named: a field added to `Comment` must be added here too.
        Comment {
            id,
            entry,
            author,
            at,
            body,
            resolved,
        }
    }
}

/// The cache folder of one journal.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    dir: PathBuf,
    now: SystemTime,
    /// Are stale shards rewritten? Not by a load that only previews the journal.
    writable: bool,
    /// The thread writing shards, started by the first shard to write (`None` when it
    /// could not be started: then shards are written where they are made).
    writer: OnceLock<Option<Writer>>,
    /// The shards present (by the hash naming their file), read once when first asked.
    present: OnceLock<std::collections::HashSet<u64>>,
}

impl Drop for Cache {
    fn drop(&mut self) {
        self.take_writes().wait();
    }
}

/// A shard encoded and ready to be written to `path` in the folder `dir`.
struct Job {
    dir: PathBuf,
    path: PathBuf,
    bytes: Vec<u8>,
}

/// The thread that writes shards, and the way to hand it one.
#[derive(Debug)]
struct Writer {
    jobs: mpsc::Sender<Job>,
    thread: thread::JoinHandle<()>,
}

impl Writer {
    fn start() -> Option<Writer> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let thread = thread::Builder::new()
            .name("cache writer".into())
            .spawn(move || {
                yield_to_the_load();
                for job in queue {
                    // Best effort, like every cache write.
                    let _ = write_shard(&job);
                }
            })
            .ok()?;
        Some(Writer { jobs, thread })
    }
}

/// Lower this thread's priority, so that writing shards takes the cores only when the
/// load's own threads leave them: on two cores the first start's writes otherwise slow
/// the parsing that the interface waits for. (Linux gives each thread its own nice
/// value; elsewhere this changes nothing.)
fn yield_to_the_load() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread (`who` 0) has no memory effects.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Shards still being written after a load returned. Dropping it waits for them, so a
/// command never ends with its cache half written; the interface keeps it as long as
/// it runs.
#[derive(Debug, Default)]
pub struct Writes(Option<thread::JoinHandle<()>>);

impl Writes {
    /// Wait until every shard handed over is written.
    pub fn wait(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Writes {
    fn drop(&mut self) {
        self.wait();
    }
}

impl Cache {
    /// The cache of the journal at `root`, unless its folder is reached through a link:
    /// then nothing is read from it or written there (it could lead out of the journal).
    pub fn open(root: &Path) -> Option<Cache> {
        let mut dir = root.to_path_buf();
        for part in [".fieldnote", "cache"] {
            dir.push(part);
            if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_symlink()) {
                return None;
            }
        }
        Some(Cache::new(root))
    }

    pub fn new(root: &Path) -> Cache {
        Cache {
            root: root.to_path_buf(),
            dir: root.join(DIR),
            now: SystemTime::now(),
            writable: true,
            writer: OnceLock::new(),
            present: OnceLock::new(),
        }
    }

    /// No more shards to write: what is still being written, to wait for. (Dropping a
    /// cache waits for them.)
    pub fn finish(mut self) -> Writes {
        self.take_writes()
    }

    fn take_writes(&mut self) -> Writes {
        let Some(Some(Writer { jobs, thread })) = self.writer.take() else {
            return Writes::default();
        };
        // The writer ends once the queue is empty and closed.
        drop(jobs);
        Writes(Some(thread))
    }

    /// This cache, with stale shards rewritten only when `writable`.
    pub fn writable(mut self, writable: bool) -> Cache {
        self.writable = writable;
        self
    }

    /// Does this cache rewrite stale shards?
    pub fn writes(&self) -> bool {
        self.writable
    }

    /// Must a record for a file with this stamp be checked against the file's bytes
    /// before it is trusted?
    pub fn needs_verify(&self, stamp: &Stamp) -> bool {
        !stamp.settled(self.now)
    }

    /// The store's hash of the file at `rel` now, if it can be read.
    pub fn content_hash(&self, rel: &str) -> Option<u64> {
        super::load::read_record(&self.root, rel)
            .ok()
            .map(|b| super::hash_bytes(&b))
    }

    /// The records of shard `key`, with their texts when `texts` (else the texts the
    /// records hold themselves, usually none), or none when the shard is missing or
    /// cannot be trusted (truncated, foreign, another version, another model, another
    /// key).
    pub fn read<T: DeserializeOwned>(&self, key: &str, texts: bool) -> Shard<T> {
        fs::File::open(self.shard_path(key))
            .ok()
            .and_then(|file| read_shard(file, key, texts))
            .unwrap_or_default()
    }

    /// `read` for a cacheable record type, each record given its text when `texts`.
    pub fn read_records<T: Cacheable>(&self, key: &str, texts: bool) -> Vec<Record<T>> {
        let Shard { records, texts } = self.read::<T::Stored>(key, texts);
        let mut texts = texts.into_iter();
        records
            .into_iter()
            .map(|r| {
                let mut value: T = r.value.into();
                if let Some(text) = texts.next() {
                    value.set_text(text);
                }
                Record {
                    rel: r.rel,
                    stamp: r.stamp,
                    hash: r.hash,
                    verify: r.verify,
                    value,
                }
            })
            .collect()
    }

    /// Replace shard `key` with `records`. Their texts are taken out to be written
    /// apart (after all the records), then given back. Best effort: a journal on a
    /// read-only disk still opens, only more slowly.
    pub fn write<T: Cacheable>(&self, key: &str, records: &mut [Record<&mut T, &str>]) {
        if !self.writable {
            return;
        }
        let texts: Vec<String> = records.iter_mut().map(|r| r.value.take_text()).collect();
        let bytes = encode_shard(key, records, &texts);
        for (record, text) in records.iter_mut().zip(texts) {
            record.value.set_text(text);
        }
        if let Ok(bytes) = bytes {
            let _ = self.hand_over(key, bytes);
        }
    }

    /// Give an encoded shard to the writer thread (or write it here when there is none).
    fn hand_over(&self, key: &str, bytes: Vec<u8>) -> io::Result<()> {
        let job = Job {
            dir: self.dir.clone(),
            path: self.shard_path(key),
            bytes,
        };
        match self.writer.get_or_init(Writer::start) {
            Some(writer) => writer.jobs.send(job).or_else(|e| write_shard(&e.0)),
            None => write_shard(&job),
        }
    }

    /// Is there a shard for `key`, as the cache folder stood when first asked? (Its
    /// records may still be stale or foreign.) A file without one is parsed whatever its
    /// stamp, so a load need not look its stamp up beforehand.
    pub fn has_shard(&self, key: &str) -> bool {
        let present = self.present.get_or_init(|| {
            let Ok(items) = fs::read_dir(&self.dir) else {
                return Default::default();
            };
            let names = items.flatten().map(|item| item.file_name());
            names
                .filter_map(|name| {
                    let hex = name.to_str()?.strip_suffix(".bin")?;
                    u64::from_str_radix(hex, 16).ok()
                })
                .collect()
        });
        present.contains(&fnv1a(key.as_bytes()))
    }

    fn shard_path(&self, key: &str) -> PathBuf {
        // Folder names can hold anything; a hash makes a safe file name, and the key
        // inside the shard confirms it.
        self.dir.join(format!("{:016x}.bin", fnv1a(key.as_bytes())))
    }
}

/// Delete the cache of the journal at `root` (nothing is lost: it is rebuilt).
pub fn clear(root: &Path) -> io::Result<()> {
    match fs::remove_dir_all(root.join(DIR)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// What a shard holds: records, and their texts when they were asked for and kept
/// apart (one per record).
#[derive(Debug)]
pub struct Shard<T> {
    pub records: Vec<Record<T>>,
    pub texts: Vec<String>,
}

impl<T> Default for Shard<T> {
    fn default() -> Shard<T> {
        Shard {
            records: Vec::new(),
            texts: Vec::new(),
        }
    }
}

/// A shard's bytes: the header, then the records (with `key`), then the texts (none
/// when every text is empty, as for comments). Encoded record by record into one buffer
/// sized by the files' own lengths (a record is never much longer than its TOML), with
/// the header filled in last: growing the buffer, or gathering each record's stored
/// form first, zeroed and copied most of a first start's memory once more.
fn encode_shard<T: Cacheable>(
    key: &str,
    records: &[Record<&mut T, &str>],
    texts: &[String],
) -> io::Result<Vec<u8>> {
    let files_len: u64 = records.iter().map(|r| r.stamp.size).sum();
    let capacity = HEADER + key.len() + 32 + usize::try_from(files_len).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    bytes.resize(HEADER, 0);
    // The same bytes as `(key, records)` serialized whole: a sequence is its length,
    // then its items.
    let mut bytes = extend(bytes, &(key, records.len()))?;
    for r in records {
        let stored = Record {
            rel: r.rel,
            stamp: r.stamp,
            hash: r.hash,
            verify: r.verify,
            value: r.value.stored(),
        };
        bytes = extend(bytes, &stored)?;
    }
    let records_end = bytes.len();
    let apart = if texts.iter().all(String::is_empty) {
        &[]
    } else {
        texts
    };
    bytes = extend(bytes, &apart.len())?;
    for text in apart {
        bytes = extend(bytes, text)?;
    }
    let (header, parts) = bytes.split_at_mut(HEADER);
    let (records, texts) = parts.split_at(records_end - HEADER);
    let mut at = 0;
    let mut put = |field: &[u8]| {
        header[at..at + field.len()].copy_from_slice(field);
        at += field.len();
    };
    put(MAGIC);
    put(&VERSION.to_le_bytes());
    put(&MODEL.to_le_bytes());
    put(&hasher_check().to_le_bytes());
    for part in [records, texts] {
        put(&(part.len() as u64).to_le_bytes());
        put(&checksum(part).to_le_bytes());
    }
    Ok(bytes)
}

/// `bytes` with `value` serialized after them.
fn extend(bytes: Vec<u8>, value: &(impl Serialize + ?Sized)) -> io::Result<Vec<u8>> {
    postcard::to_extend(value, bytes).map_err(io::Error::other)
}

/// Write one encoded shard in place of the old one.
fn write_shard(job: &Job) -> io::Result<()> {
    make_dir(&job.dir)?;
    // Atomic (readers see the old shard or the new one) but not fsynced: a shard
    // lost in a crash is rebuilt, and saves should not wait for the cache.
    let mut tmp = tempfile::Builder::new()
        .prefix(super::TEMP_PREFIX)
        .tempfile_in(&job.dir)?;
    tmp.write_all(&job.bytes)?;
    tmp.persist(&job.path).map_err(|e| e.error)?;
    Ok(())
}

/// The cache folder `dir`, made if missing with the `.gitignore` beside it.
fn make_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    // Ignore the whole `.fieldnote/` folder from inside it: drafts and cache stay
    // out of git whatever the journal's own `.gitignore` says.
    // Never through a link (a dangling one would create its target elsewhere).
    if let Some(parent) = dir.parent() {
        let ignore = parent.join(".gitignore");
        if fs::symlink_metadata(&ignore).is_err() {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(ignore)?
                .write_all(b"# fieldnote's cache and drafts: never shared\n*\n")?;
        }
    }
    Ok(())
}

/// The bytes before a shard's two parts: magic, version, model, hasher check, then the
/// length and checksum of the records and of the texts.
const HEADER: usize = 8 + 4 + 8 + 8 + 4 * 8;

/// Shard `key` from `file`: its records, and their texts when `texts`. Only the parts
/// wanted are read and checked, so a load without texts reads a tenth of the bytes.
fn read_shard<T: DeserializeOwned>(mut file: fs::File, key: &str, texts: bool) -> Option<Shard<T>> {
    use std::io::Read;
    let mut header = [0u8; HEADER];
    file.read_exact(&mut header).ok()?;
    let rest = header.strip_prefix(MAGIC)?;
    let (version, rest) = split_u32(rest)?;
    let (model, rest) = split_u64(rest)?;
    let (hasher, rest) = split_u64(rest)?;
    let (records_len, rest) = split_u64(rest)?;
    let (records_sum, rest) = split_u64(rest)?;
    let (texts_len, rest) = split_u64(rest)?;
    let (texts_sum, _) = split_u64(rest)?;
    let whole = (HEADER as u64)
        .checked_add(records_len)?
        .checked_add(texts_len)?;
    if version != VERSION
        || model != MODEL
        || hasher != hasher_check()
        || file.metadata().ok()?.len() != whole
    {
        return None;
    }
    let mut part = |len: u64, sum: u64| -> Option<Vec<u8>> {
        // Read into spare capacity: not zeroed first, only to be overwritten.
        let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
        (&mut file).take(len).read_to_end(&mut bytes).ok()?;
        (bytes.len() as u64 == len && checksum(&bytes) == sum).then_some(bytes)
    };
    let records_bytes = part(records_len, records_sum)?;
    let (stored_key, records): (String, Vec<Record<T>>) =
        postcard::from_bytes(&records_bytes).ok()?;
    if stored_key != key {
        return None;
    }
    let texts: Vec<String> = if texts {
        let texts: Vec<String> = postcard::from_bytes(&part(texts_len, texts_sum)?).ok()?;
        if !texts.is_empty() && texts.len() != records.len() {
            return None;
        }
        texts
    } else {
        Vec::new()
    };
    Some(Shard { records, texts })
}

fn split_u32(b: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = b.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*head), rest))
}

fn split_u64(b: &[u8]) -> Option<(u64, &[u8])> {
    let (head, rest) = b.split_first_chunk::<8>()?;
    Some((u64::from_le_bytes(*head), rest))
}

/// The store's content hash of a fixed text. Cached hashes are compared with hashes
/// computed now, so a build whose hasher differs must not trust them.
fn hasher_check() -> u64 {
    super::hash_bytes(b"fieldnote cache hasher check")
}

/// A fast checksum of a shard's payload: damage is caught before decoding. Four lanes
/// of 8-byte words, each step a bijection of the lane (so any one changed word changes
/// the sum), run side by side: one chain of multiplications took 3 ms of a 10,000-entry
/// start.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
    let mut lanes = [bytes.len() as u64, 1, 2, 3];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (lane, chunk) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(chunk));
        }
    }
    let mut h = lanes.iter().fold(0, |h, &lane| step(h, lane));
    let mut words = blocks.remainder().chunks_exact(8);
    for chunk in &mut words {
        h = step(h, word(chunk));
    }
    for &b in words.remainder() {
        h = step(h, u64::from(b));
    }
    h
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STAMP: Stamp = Stamp {
        size: 1,
        modified: (1, 2),
        changed: (3, 4),
        inode: 5,
    };

    /// A value with a text kept apart, as an entry's body is.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        head: String,
        text: String,
    }

    impl Cacheable for Note {
        type Stored = Note;
        fn stored(&self) -> impl Serialize + '_ {
            self
        }
        fn take_text(&mut self) -> String {
            std::mem::take(&mut self.text)
        }
        fn set_text(&mut self, text: String) {
            self.text = text;
        }
    }

    fn note(head: &str, text: &str) -> Note {
        Note {
            head: head.into(),
            text: text.into(),
        }
    }

    fn record<'a, T>(rel: &'a str, value: &'a mut T) -> Record<&'a mut T, &'a str> {
        Record {
            rel,
            stamp: STAMP,
            hash: 6,
            verify: false,
            value,
        }
    }

    /// `cache` once the shards handed to it are written (by a thread of their own).
    fn written(cache: Cache) -> Cache {
        let root = cache.root.clone();
        cache.finish().wait();
        Cache::new(&root)
    }

    #[test]
    fn shards_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let (mut x, mut y) = (note("one", "text of x"), note("two", "text of y"));
        cache.write(
            "entries/2026/03",
            &mut [record("a/x.toml", &mut x), record("a/y.toml", &mut y)],
        );
        // Their texts, taken out to be written apart, are given back.
        assert_eq!(
            (x.text.as_str(), y.text.as_str()),
            ("text of x", "text of y")
        );
        let cache = written(cache);
        let back = cache.read::<Note>("entries/2026/03", true);
        assert_eq!(back.texts, ["text of x", "text of y"]);
        // Without their texts, the records are the same and the texts not decoded.
        let bare = cache.read::<Note>("entries/2026/03", false);
        assert!(bare.texts.is_empty());
        assert_eq!(bare.records.len(), 2);
        assert_eq!(bare.records[1].value, note("two", ""));
        let back = cache.read_records::<Note>("entries/2026/03", true);
        assert_eq!(back.len(), 2);
        assert_eq!(
            (back[1].rel.as_str(), &back[1].value),
            ("a/y.toml", &note("two", "text of y"))
        );
        assert_eq!((back[0].stamp, back[0].hash), (STAMP, 6));
        assert!(
            cache
                .read::<Note>("entries/2026/04", true)
                .records
                .is_empty()
        );
        let ignore = fs::read_to_string(dir.path().join(".fieldnote/.gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"));
    }

    /// The cache at `root` once shard `k` is written with one record, `a/x.toml`.
    fn with_one_record(root: &Path, mut value: Note) -> Cache {
        let cache = Cache::new(root);
        cache.write("k", &mut [record("a/x.toml", &mut value)]);
        written(cache)
    }

    #[test]
    fn records_without_texts_keep_none_apart() {
        let dir = tempfile::tempdir().unwrap();
        let cache = with_one_record(dir.path(), note("one", ""));
        let back = cache.read::<Note>("k", true);
        assert_eq!((back.records.len(), back.texts.len()), (1, 0));
    }

    #[test]
    fn damaged_shards_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let cache = with_one_record(dir.path(), note("body", ""));
        let path = cache.shard_path("k");
        let good = fs::read(&path).unwrap();
        assert_eq!(cache.read::<Note>("k", true).records.len(), 1);
        // Another key that happens to land on this file is not taken for it.
        fs::copy(&path, cache.shard_path("other")).unwrap();
        assert!(cache.read::<Note>("other", true).records.is_empty());

        let mut old = good.clone();
        old[8] = old[8].wrapping_add(1); // another format version
        let mut other_model = good.clone();
        other_model[12] ^= 0xff;
        let cases: Vec<Vec<u8>> = vec![
            good[..good.len() - 3].to_vec(), // truncated
            good[..10].to_vec(),             // truncated in the header
            b"not a cache at all".to_vec(),  // foreign
            Vec::new(),                      // empty
            old,
            other_model,
        ];
        for bytes in cases {
            fs::write(&path, &bytes).unwrap();
            assert!(
                cache.read::<Note>("k", true).records.is_empty(),
                "{bytes:?}"
            );
        }
        // A payload of another type is refused too, never a panic.
        fs::write(&path, &good).unwrap();
        assert!(
            cache
                .read::<(String, String, String)>("k", true)
                .records
                .is_empty()
        );
    }

    #[test]
    fn recent_changes_are_not_settled() {
        let now = SystemTime::now();
        let at = |ago: u64| since_epoch(now - Duration::from_secs(ago));
        let fresh = Stamp {
            modified: at(0),
            changed: at(0),
            ..STAMP
        };
        assert!(!fresh.settled(now));
        let old = Stamp {
            modified: at(3),
            changed: at(3),
            ..STAMP
        };
        assert!(old.settled(now));
        let touched = Stamp {
            changed: at(0),
            ..old
        };
        assert!(!touched.settled(now));
    }
}
