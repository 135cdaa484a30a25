//! The only module that touches journal files: finding a journal, loading it into the
//! model, checking it, and saving changes atomically without losing what a person wrote.

mod atomic;
mod batch;
pub mod cache;
pub mod check;
pub mod clock;
mod edit;
pub mod git;
mod load;
pub mod locate;
pub mod media;
pub mod paths;
mod problem;
pub mod read;
mod record;
mod spans;
pub mod trash;

use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

pub use atomic::{TEMP_PREFIX, sweep_temporaries, write_atomic};
pub use load::{LoadOptions, Opened, check_bytes, open, open_with, preview};
pub use problem::{Problem, Severity, line_col};

use crate::model::{Account, Codebook, Comment, Entry, Journal, Settings};
use record::Record;

/// What can go wrong opening or writing a journal; every message names the file. What
/// to do about it is `hint`, which the command line adds (the interface says it its
/// own way).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path} could not be read as a journal file, so it was not overwritten")]
    Unparseable { path: String },
    #[error(
        "{path} was changed on disk by someone else since it was loaded ({what}); nothing was written"
    )]
    ChangedOnDisk { path: String, what: &'static str },
    #[error("{path}: {reason}")]
    UnsafePath { path: String, reason: String },
    #[error("the journal is open read-only: nothing can be changed")]
    ReadOnly,
    #[error("reviewer mode: only comments can be written, so {path} was not changed")]
    CommentsOnly { path: String },
    #[error(
        "{path} would be {size} bytes, over the {limit}-byte limit the reader accepts, so nothing was written"
    )]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{path} is not a journal: it has no {marker}", marker = locate::MARKER)]
    NotAJournal { path: String },
    #[error("{0}")]
    Invalid(String),
}

impl StoreError {
    /// What a person can do about it, for the command line to add.
    pub fn hint(&self) -> Option<String> {
        match self {
            StoreError::Unparseable { .. } => {
                Some("run `fieldnote check` and fix the file first".into())
            }
            StoreError::ChangedOnDisk { .. } => {
                Some("reload to see their version, then make your change again".into())
            }
            StoreError::CommentsOnly { .. } => {
                Some("`fieldnote comment ID \"text\"` leaves a comment".into())
            }
            StoreError::TooLarge { .. } => Some("move long material into an attachment".into()),
            StoreError::NotAJournal { path } => {
                Some(format!("`fieldnote init {path}` makes one there"))
            }
            _ => None,
        }
    }

    fn io(path: &Path, source: io::Error) -> Self {
        StoreError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What the store remembers of each file it loaded, to rewrite it safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileState {
    /// Parsed; the hash of its bytes as loaded or last written.
    Loaded(u64),
    /// Did not parse: never to be overwritten.
    Broken,
}

/// What a store may write: everything, only comment files (reviewer mode), or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    #[default]
    Full,
    CommentsOnly,
    ReadOnly,
}

/// A map keyed by a file's path or an entry's id, one key per file of the journal:
/// foldhash, as SipHash was a tenth of building these maps on every start. (The keys are
/// the journal's own names; the hasher is seeded per process all the same.)
pub(crate) type PathMap<V> = foldhash::HashMap<String, V>;

/// An open journal folder. It knows where every record lives and what each file held,
/// so that a save rewrites only its own file and never a file someone else changed.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    files: PathMap<FileState>,
    /// The entries stored elsewhere than the path their id gives (`path_of`).
    entry_paths: PathMap<String>,
    access: Access,
    /// Every file this store wrote (relative to the root), in order, once each: what an
    /// autocommit commits, so that no write of any command is left out. A set, as an
    /// import of 100,000 posts asks "written already?" 100,000 times.
    written: indexmap::IndexSet<String>,
    /// Loaded without entries' bodies (`LoadOptions::no_texts`): saving an entry would
    /// write its empty body, so nothing is ever written through this store.
    without_texts: bool,
    /// Shards of the load cache still being written (`LoadOptions::cache_behind`).
    cache_writes: cache::Writes,
}

impl Store {
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Wait until the shards of the load cache this store's load made are written (a
    /// load with `cache_behind` returns before).
    pub fn wait_for_cache(&mut self) {
        self.cache_writes.wait();
    }

    /// Nothing at all may be written.
    pub fn is_read_only(&self) -> bool {
        self.access == Access::ReadOnly
    }

    pub fn access(&self) -> Access {
        self.access
    }

    pub fn set_access(&mut self, access: Access) {
        self.access = if self.without_texts {
            Access::ReadOnly
        } else {
            access
        };
    }

    /// Refuse a write to `rel` that the access level does not allow.
    fn allow_write(&self, rel: &str) -> Result<(), StoreError> {
        match self.access {
            Access::Full => Ok(()),
            Access::CommentsOnly if rel.starts_with("comments/") => Ok(()),
            Access::CommentsOnly => Err(StoreError::CommentsOnly {
                path: rel.to_string(),
            }),
            Access::ReadOnly => Err(StoreError::ReadOnly),
        }
    }

    /// Is the file at `rel` (relative to the root) exactly what this store loaded or
    /// last wrote, so a change seen on disk was our own? A file the store never saw
    /// counts as known when it does not exist.
    pub fn knows_current(&self, rel: &str) -> bool {
        let current = std::fs::read(self.root.join(rel)).ok();
        match (self.files.get(rel), current) {
            (Some(FileState::Loaded(hash)), Some(bytes)) => *hash == hash_bytes(&bytes),
            (Some(FileState::Broken), Some(_)) => true,
            (None, None) => true,
            _ => false,
        }
    }

    /// The file an entry is stored in, relative to the root.
    pub fn entry_path(&self, entry: &Entry) -> String {
        Store::path_of(&self.entry_paths, entry)
    }

    /// Where `entry` is stored, given the entries stored elsewhere than their id says:
    /// the path its id gives (kept when its observed time is changed), else for an
    /// entry never saved (or with another form of id) its `default_path`.
    fn path_of(elsewhere: &PathMap<String>, entry: &Entry) -> String {
        elsewhere
            .get(&entry.id)
            .cloned()
            .or_else(|| crate::model::path_of_id(&entry.id))
            .unwrap_or_else(|| entry.default_path())
    }

    pub fn save_entry(&mut self, entry: &Entry) -> Result<(), StoreError> {
        let rel = self.entry_path(entry);
        self.save_record(&rel, entry)?;
        self.remember_entry_path(&entry.id, rel);
        Ok(())
    }

    /// `rel` stores the entry `id`: written down unless it is the path the id gives.
    fn remember_entry_path(&mut self, id: &str, rel: String) {
        if !crate::model::is_path_of_id(id, &rel) {
            self.entry_paths.insert(id.to_string(), rel);
        }
    }

    /// A new account's handle must follow `model::handle_problem`; an account file that
    /// already exists is saved as it is named (journals written before the rule still
    /// save; `check` reports their handles).
    pub fn save_account(&mut self, account: &Account) -> Result<(), StoreError> {
        let rel = paths::of_account(account);
        let known = self.files.contains_key(&rel);
        let unsafe_name = account.handle.is_empty()
            || account.handle.contains(['/', '\\'])
            || account.handle.starts_with('.');
        if unsafe_name || !known {
            if let Some(why) = crate::model::handle_problem(&account.handle) {
                return Err(StoreError::Invalid(why));
            }
        }
        self.save_record(&rel, account)
    }

    pub fn save_codebook(&mut self, codebook: &Codebook) -> Result<(), StoreError> {
        self.save_record(paths::CODEBOOK, codebook)
    }

    pub fn save_settings(&mut self, settings: &Settings) -> Result<(), StoreError> {
        self.save_record(locate::MARKER, settings)
    }

    pub fn save_comment(&mut self, comment: &Comment) -> Result<(), StoreError> {
        if !is_safe_stem(&comment.entry) || !is_safe_stem(&comment.id) {
            return Err(StoreError::Invalid(format!(
                "`{}/{}` cannot name a comment file",
                comment.entry, comment.id
            )));
        }
        self.save_record(&comment_path(comment), comment)
    }

    /// A fresh entry id for `observed_at` that no file of this journal uses yet.
    pub fn new_entry_id(&self, journal: &Journal, observed_at: &crate::model::Moment) -> String {
        journal.new_entry_id(observed_at, random_u16(), |id| {
            let file = crate::model::path_of_id(id);
            self.entry_paths.contains_key(id) || file.is_some_and(|f| self.files.contains_key(&f))
        })
    }

    /// Rewrite one record's file: re-read it, refuse if it no longer is what was loaded,
    /// change only what differs (keeping comments, order and unknown keys), and replace
    /// it atomically. A file whose content would not change is not touched.
    fn save_record(&mut self, rel: &str, record: &dyn Record) -> Result<(), StoreError> {
        let hash = self.write_record(rel, record)?;
        self.remember_written(rel, hash);
        Ok(())
    }

    /// After a successful write of `rel`: its new content, and that it is to be committed.
    fn remember_written(&mut self, rel: &str, hash: u64) {
        let before = self.files.insert(rel.to_string(), FileState::Loaded(hash));
        if before != Some(FileState::Loaded(hash)) {
            self.written.insert(rel.to_string());
        }
    }

    /// The files this store has written so far (relative to the root).
    pub fn written(&self) -> impl Iterator<Item = &String> {
        self.written.iter()
    }

    /// The part of `save_record` that needs no `&mut self` (so that many files can be
    /// written at once): returns the hash of what the file now holds.
    fn write_record(&self, rel: &str, record: &dyn Record) -> Result<u64, StoreError> {
        self.write_record_with(rel, record, atomic::Durability::Now)
    }

    /// [`Store::write_record`], on the disk as soon as `durability` asks.
    fn write_record_with(
        &self,
        rel: &str,
        record: &dyn Record,
        durability: atomic::Durability,
    ) -> Result<u64, StoreError> {
        self.allow_write(rel)?;
        let path = media::resolve_inside(&self.root, rel)?;
        let current = read_current(&path)?;
        self.verify_unchanged(rel, current.as_deref())?;
        refuse_read_only_file(&path)?;
        let mut doc = match &current {
            None => toml_edit::DocumentMut::new(),
            Some(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|text| text.trim_start_matches('\u{feff}').parse().ok())
                .ok_or_else(|| StoreError::Unparseable {
                    path: rel.to_string(),
                })?,
        };
        record.write_into(&mut doc);
        let text = doc.to_string();
        refuse_unreadable_size(rel, text.len())?;
        if current.as_deref() != Some(text.as_bytes()) {
            let io_error = |e| StoreError::io(&path, e);
            let prepared =
                atomic::prepare_with(&path, text.as_bytes(), durability).map_err(io_error)?;
            // Another writer may have replaced the file since it was read above: look
            // again under the folder's lock, and rename only if it is still the same.
            let _lock = atomic::lock_folder(path.parent().unwrap_or(&self.root));
            if read_current(&path)? != current {
                return Err(StoreError::ChangedOnDisk {
                    path: rel.to_string(),
                    what: "another program saved it at the same moment",
                });
            }
            prepared.commit().map_err(io_error)?;
        }
        Ok(hash_bytes(text.as_bytes()))
    }

    fn verify_unchanged(&self, rel: &str, current: Option<&[u8]>) -> Result<(), StoreError> {
        let changed = |what| StoreError::ChangedOnDisk {
            path: rel.to_string(),
            what,
        };
        match (self.files.get(rel), current) {
            (Some(FileState::Broken), _) => Err(StoreError::Unparseable {
                path: rel.to_string(),
            }),
            (Some(FileState::Loaded(hash)), Some(bytes)) if *hash != hash_bytes(bytes) => {
                Err(changed("its content differs"))
            }
            (Some(FileState::Loaded(_)), None) => Err(changed("it was deleted")),
            (None, Some(_)) => Err(changed("it appeared after loading")),
            _ => Ok(()),
        }
    }
}

/// A file the reader would refuse (see `read::MAX_RECORD_BYTES`) is never written: the
/// record would vanish from the journal on the next load.
fn refuse_unreadable_size(rel: &str, size: usize) -> Result<(), StoreError> {
    let size = size as u64;
    if size > read::MAX_RECORD_BYTES {
        return Err(StoreError::TooLarge {
            path: rel.to_string(),
            size,
            limit: read::MAX_RECORD_BYTES,
        });
    }
    Ok(())
}

/// The file of a comment, relative to the root.
pub fn comment_path(comment: &Comment) -> String {
    paths::comment(comment)
}

/// A file stem that cannot leave its folder: letters, digits, `-` and `_`.
fn is_safe_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A file a person made read-only (`chmod a-w`) is not replaced, although the rename
/// that replaces it would be allowed (and root may write anything).
fn refuse_read_only_file(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.permissions().readonly() => Err(StoreError::io(
            path,
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only, so it was not changed (chmod u+w allows it)",
            ),
        )),
        _ => Ok(()),
    }
}

/// What `path` holds now; `None` when there is no such file.
fn read_current(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match read::read_regular(path, read::MAX_RECORD_BYTES) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// The hash of a file's bytes that a save compares with what was loaded, to refuse
/// overwriting a file someone else changed.
pub fn content_hash(bytes: &[u8]) -> u64 {
    hash_bytes(bytes)
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Randomness enough for id salts, without a dependency: std's per-process random keys
/// mixed with the clock.
fn random_u16() -> u16 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now()) as u16
}

/// A record as the text of a new file, exactly as a save would write it.
pub(crate) fn render_new(record: &dyn Record) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    record.write_into(&mut doc);
    doc.to_string()
}

/// Text of a new entry file (for generators and tests).
pub fn render_entry(entry: &Entry) -> String {
    render_new(entry)
}

/// Text of a new account file.
pub fn render_account(account: &Account) -> String {
    render_new(account)
}

/// Text of a new comment file.
pub fn render_comment(comment: &Comment) -> String {
    render_new(comment)
}

/// Text of a new journal.toml.
pub fn render_settings(settings: &Settings) -> String {
    render_new(settings)
}

impl Store {
    /// A store for a folder being made into a journal (`init`, `demo`): it knows no files.
    pub fn create(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
            files: PathMap::default(),
            entry_paths: PathMap::default(),
            access: Access::Full,
            written: Default::default(),
            without_texts: false,
            cache_writes: Default::default(),
        }
    }
}
