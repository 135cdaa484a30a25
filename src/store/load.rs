//! Loading a journal folder into the model: every file parsed (entries in parallel),
//! every problem reported with its place, and every good file loaded even when others
//! are broken.

use std::collections::BTreeMap;
use std::fs;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::cache::{self, Cache, Cacheable, Record, Stamp};
use super::check::{self, Known};
use super::spans::{Step, locate};
use super::{
    FileState, PathMap, Problem, Store, StoreError, atomic, hash_bytes, line_col, locate::MARKER,
    read,
};
use crate::model::{
    Account, Codebook, Comment, Entry, Journal, Settings, is_path_of_id, path_of_id,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Also do what only `check` needs: look for unknown keys, hash every screenshot.
    pub deep: bool,
    /// Parse every file, neither reading nor writing the load cache (also set by the
    /// environment variable `FIELDNOTE_NO_CACHE`).
    pub no_cache: bool,
    /// Leave entries' bodies out where the cache has them, for a command that shows no
    /// body and searches none (`list`): a tenth of the bytes to decode. A shard that must
    /// be rewritten is read whole, bodies included, to rewrite it.
    pub no_texts: bool,
    /// Return before the cache's shards are written: the store keeps them being written
    /// (`Store::wait_for_cache`). For the interface, which then takes keys at once.
    pub cache_behind: bool,
}

/// A loaded journal: the store to save through, the model, and what was wrong.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub journal: Journal,
    pub problems: Vec<Problem>,
    /// When loading began: a file changed after this may not be in `journal`.
    pub began: std::time::SystemTime,
}

pub fn open(root: &Path) -> Result<Opened, StoreError> {
    open_with(root, LoadOptions::default())
}

pub fn open_with(root: &Path, options: LoadOptions) -> Result<Opened, StoreError> {
    let began = std::time::SystemTime::now();
    // Present is enough: a journal.toml that cannot be read is reported like any file.
    if fs::symlink_metadata(root.join(MARKER)).is_err() {
        return Err(StoreError::NotAJournal {
            path: root.display().to_string(),
        });
    }
    // Temporaries of crashed writes of journal.toml or codebook.toml lie here.
    atomic::sweep_temporaries(root);
    // New files a power cut left empty, written by an import that never synced them.
    super::batch::recover_unsynced(root);
    let mut loader = Loader::new(root, options, true);
    if loader.cache.is_some() {
        // A shard being written when the process was killed.
        atomic::sweep_temporaries(&root.join(cache::DIR));
    }
    let (settings, codebook, accounts) = loader.load_setup();
    let known = Known::new(&codebook, &accounts);
    loader.check_settings(&settings);
    loader.check_codebook(&codebook);
    let (mut entries, entry_paths) = loader.load_entries(&known);
    let entry_ids: foldhash::HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let comments = loader.load_comments(&entry_ids);

    let mut journal = Journal {
        settings,
        codebook,
        accounts,
        entries: std::mem::take(&mut entries),
        comments,
    };
    journal.sort_entries();
    if loader.options.deep {
        loader.check_links(&journal, &entry_paths);
    }
    let mut cache_writes = loader.cache.take().map(Cache::finish).unwrap_or_default();
    if !options.cache_behind {
        cache_writes.wait();
    }
    let mut problems = loader.problems;
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let mut store = Store {
        root: root.to_path_buf(),
        files: loader.files,
        entry_paths,
        access: super::Access::Full,
        written: Default::default(),
        without_texts: options.no_texts,
        cache_writes,
    };
    // Full access, but never for a store loaded without bodies (see `set_access`).
    store.set_access(super::Access::Full);
    Ok(Opened {
        store,
        journal,
        problems,
        began,
    })
}

/// The newest entries of the journal at `root` (whole month folders, newest first,
/// until there are at least `want`) with its settings, codebook and accounts: what the
/// interface shows while the whole journal loads. Files are read as `open` reads them
/// (a changed file is never taken from the cache), but the cache is not written and
/// problems are not reported: the whole load does both. `None` when there is no entry
/// to show.
pub fn preview(root: &Path, want: usize) -> Option<Journal> {
    fs::symlink_metadata(root.join(MARKER)).ok()?;
    let folders = newest_folders(root, want);
    if folders.is_empty() {
        return None;
    }
    let mut loader = Loader::new(root, LoadOptions::default(), false);
    let (settings, codebook, accounts) = loader.load_setup();
    let known = Known::new(&codebook, &accounts);
    let validate = |rel: &str, text: &str, e: &Entry| check::entry(rel, text, e, &known);
    let mut entries = Vec::new();
    for folder in &folders {
        let results = loader.load_records(folder, by_folder, validate);
        entries.extend(results.into_iter().flatten().filter_map(|r| r.value));
    }
    let mut journal = Journal {
        settings,
        codebook,
        accounts,
        entries,
        comments: Vec::new(),
    };
    journal.sort_entries();
    (!journal.entries.is_empty()).then_some(journal)
}

/// The month folders (`entries/YYYY/MM`) holding the newest entries, newest first, until
/// they hold at least `want` files.
fn newest_folders(root: &Path, want: usize) -> Vec<String> {
    let mut found = Vec::new();
    let mut files = 0;
    for year in subfolders_newest_first(root, "entries") {
        for month in subfolders_newest_first(root, &year) {
            files += fs::read_dir(root.join(&month)).map_or(0, |items| {
                let names = items.flatten().map(|item| item.file_name());
                names
                    .filter(|n| n.as_encoded_bytes().ends_with(b".toml"))
                    .count()
            });
            found.push(month);
            if files >= want {
                return found;
            }
        }
    }
    found
}

/// The folders in `rel` (not links, not hidden), by name from the last.
fn subfolders_newest_first(root: &Path, rel: &str) -> Vec<String> {
    let Ok(items) = fs::read_dir(root.join(rel)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = items
        .flatten()
        .filter(|item| item.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|item| item.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort_unstable_by(|a, b| b.cmp(a));
    names
        .into_iter()
        .map(|name| format!("{rel}/{name}"))
        .collect()
}

/// One file's result, made on a worker thread.
struct FileResult<T> {
    rel: String,
    state: FileState,
    value: Option<T>,
    problems: Vec<Problem>,
    /// The stamp of the bytes parsed, when they were read (not taken from the cache).
    read_at: Option<Stamp>,
}

impl<T> FileResult<T> {
    /// A file that cannot be used, with the reason.
    fn broken(rel: &str, problem: Problem) -> FileResult<T> {
        FileResult {
            rel: rel.to_string(),
            state: FileState::Broken,
            value: None,
            problems: vec![problem],
            read_at: None,
        }
    }
}

impl<T> FileResult<T> {
    /// The content hash of a file that loaded without a problem: what the cache keeps.
    fn cacheable(&self) -> Option<u64> {
        match (&self.value, self.state) {
            (Some(_), FileState::Loaded(hash)) if self.problems.is_empty() => Some(hash),
            _ => None,
        }
    }
}

struct Loader {
    root: PathBuf,
    options: LoadOptions,
    cache: Option<Cache>,
    files: PathMap<FileState>,
    problems: Vec<Problem>,
}

impl Loader {
    /// A loader of the journal at `root`, through the load cache unless `options` or
    /// the environment turn it off (`check` reads every file: it looks at their text);
    /// the cache is rewritten where it is stale only when `refresh_cache`.
    fn new(root: &Path, options: LoadOptions, refresh_cache: bool) -> Loader {
        let wanted =
            !options.deep && !options.no_cache && std::env::var_os(cache::ENV_OFF).is_none();
        let cache = wanted
            .then(|| Cache::open(root))
            .flatten()
            .map(|c| c.writable(refresh_cache));
        Loader {
            root: root.to_path_buf(),
            options,
            cache,
            files: PathMap::default(),
            problems: Vec::new(),
        }
    }

    /// The journal's settings, codebook and accounts: what entries are checked against.
    fn load_setup(&mut self) -> (Settings, Codebook, Vec<Account>) {
        let settings = self.load_one::<Settings>(MARKER).unwrap_or_default();
        let codebook = self
            .load_optional::<Codebook>(super::paths::CODEBOOK)
            .unwrap_or_default();
        (settings, codebook, self.load_accounts())
    }

    fn absorb<T>(&mut self, result: FileResult<T>) -> Option<T> {
        self.files.insert(result.rel, result.state);
        self.problems.extend(result.problems);
        result.value
    }

    fn load_one<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        if fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| m.is_symlink())
            && self.leads_outside(rel)
        {
            return None;
        }
        let result = read_file(&self.root, rel, self.options, |_, _| Vec::new());
        self.absorb(result)
    }

    /// A file that may be missing; anything there (even a pipe) is read or reported.
    fn load_optional<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        let present = fs::symlink_metadata(self.root.join(rel)).is_ok();
        present.then(|| self.load_one(rel))?
    }

    fn load_accounts(&mut self) -> Vec<Account> {
        let files = self.list_toml("accounts", false, None);
        let results = self.parse_files(&files, |rel, text, a: &Account| {
            check::account(rel, text, a)
        });
        let mut accounts: Vec<Account> =
            results.into_iter().filter_map(|r| self.absorb(r)).collect();
        accounts.sort_by(|a, b| a.handle.cmp(&b.handle));
        accounts
    }

    /// `[[id]]` links that name no entry, or several (`check` only: it reads every body).
    fn check_links(&mut self, journal: &Journal, paths: &PathMap<String>) {
        use crate::model::links;
        let ids = links::sorted_ids(journal);
        for e in &journal.entries {
            if !e.body.contains("[[") {
                continue;
            }
            let rel = Store::path_of(paths, e);
            let mut text = None;
            for (_, target) in links::links(&e.body) {
                let why = match links::resolve(&ids, target) {
                    Ok(_) => continue,
                    Err(0) => format!("link [[{target}]] names no entry"),
                    Err(n) => format!("link [[{target}]] names {n} entries: give more of the id"),
                };
                let text: &String = text.get_or_insert_with(|| read_text(&self.root, &rel));
                let at = text.find(&format!("[[{target}]]")).unwrap_or(0);
                let (line, column) = super::line_col(text, at);
                self.problems
                    .push(Problem::warning(&rel, (line, column), why));
            }
        }
    }

    fn load_entries(&mut self, known: &Known) -> (Vec<Entry>, PathMap<String>) {
        let (root, deep) = (self.root.clone(), self.options.deep);
        let results = self.load_records("entries", by_folder, |rel, text, e: &Entry| {
            let mut found = check::entry(rel, text, e, known);
            if deep {
                found.extend(check::screenshots(&root, rel, text, e));
            }
            found
        });
        let count = results.iter().map(Vec::len).sum();
        let mut entries: Vec<Entry> = Vec::with_capacity(count);
        // Only the entries away from the path their id gives are written down (few, if
        // any): 10 MB of paths at 100k entries otherwise. Ids are told apart by the
        // entries' number in a table of their own.
        let mut elsewhere = PathMap::default();
        let hasher = foldhash::fast::RandomState::default();
        let mut ids = hashbrown::HashTable::<usize>::with_capacity(count);
        self.files.reserve(count);
        // Shard by shard, each freed once moved: the entries are never all held twice.
        for result in results.into_iter().flatten() {
            let at_default = result
                .value
                .as_ref()
                .is_some_and(|e| is_path_of_id(&e.id, &result.rel));
            let rel = (!at_default).then(|| result.rel.clone());
            let Some(entry) = self.absorb(result) else {
                continue;
            };
            let hash = hasher.hash_one(&entry.id);
            if let Some(&first) = ids.find(hash, |&i| entries[i].id == entry.id) {
                // Its own path (the path its id gives, when it is not written down).
                let rel = rel.or_else(|| path_of_id(&entry.id)).unwrap_or_default();
                let first = Store::path_of(&elsewhere, &entries[first]);
                let text = read_text(&self.root, &rel);
                self.problems.push(Problem::error(
                    &rel,
                    locate(&text, &[Step::Key("id")]),
                    format!(
                        "duplicate id `{}`: {first} has it too; this file was not loaded",
                        entry.id
                    ),
                ));
                // Neither may be rewritten through the wrong path: keep the first only.
                self.files.insert(rel, FileState::Broken);
                continue;
            }
            ids.insert_unique(hash, entries.len(), |&i| hasher.hash_one(&entries[i].id));
            if let Some(rel) = rel {
                elsewhere.insert(entry.id.clone(), rel);
            }
            entries.push(entry);
        }
        (entries, elsewhere)
    }

    fn load_comments(&mut self, entry_ids: &foldhash::HashSet<&str>) -> Vec<Comment> {
        // One shard for all comments: each entry's comments have a folder of their own.
        let results = self.load_records(
            "comments",
            |_| "comments",
            |rel, text, c: &Comment| check::comment(rel, text, c, entry_ids),
        );
        let results = results.into_iter().flatten().map(|mut result| {
            if let Some(c) = result.value.as_mut() {
                c.id = stem(&result.rel).to_string();
            }
            result
        });
        let mut comments: Vec<Comment> = results.filter_map(|r| self.absorb(r)).collect();
        comments.sort_by(|a, b| (&a.entry, a.at, &a.id).cmp(&(&b.entry, b.at, &b.id)));
        comments
    }

    /// Every `.toml` file under `dir` (recursively), parsed and validated by `validate`
    /// (given the path, the text and the value), in path order. Files whose stamp the
    /// cache knows are taken from it and validated without their text; only when that
    /// finds a problem is the file read again, so the problem is reported at its line.
    ///
    /// The results come in runs (one per shard) to be taken in turn: gathering them into
    /// one vector would hold every record twice at once (at 100k entries a third of the
    /// peak memory of a `list`).
    fn load_records<T, V>(
        &mut self,
        dir: &str,
        shard_of: fn(&str) -> &str,
        validate: V,
    ) -> Vec<Vec<FileResult<T>>>
    where
        T: Cacheable + DeserializeOwned + Send,
        V: Fn(&str, &str, &T) -> Vec<Problem> + Sync,
    {
        let files = self.list_toml(dir, true, Some(shard_of));
        let Some(cache) = &self.cache else {
            return vec![self.parse_files(&files, validate)];
        };
        let (root, options) = (&self.root, self.options);
        let parse = |rel: &str| read_file(root, rel, options, |v: &T, text| validate(rel, text, v));
        let texts = !options.no_texts;
        let mut shards: BTreeMap<&str, Vec<&Listed>> = BTreeMap::new();
        for file in &files {
            shards.entry(shard_of(&file.0)).or_default().push(file);
        }
        let runs: Vec<Vec<FileResult<T>>> = shards
            .into_par_iter()
            .map(|(key, members)| load_shard(cache, (key, texts), &members, &validate, &parse))
            .collect();
        // In path order, as without the cache: of two files with one id the first is
        // kept, and it must be the same one whichever way the journal was loaded.
        // Shards come in path order but for rare names (see the duplicate test): not
        // sorting what is sorted saves moving every record about (a tenth of a start).
        if runs.iter().flatten().is_sorted_by(|a, b| a.rel <= b.rel) {
            return runs;
        }
        let mut results: Vec<FileResult<T>> = runs.into_iter().flatten().collect();
        results.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        vec![results]
    }

    /// Every one of `files` read and parsed (in parallel), then checked by `validate`
    /// (given the path, the text and the value).
    fn parse_files<T, V>(&self, files: &[Listed], validate: V) -> Vec<FileResult<T>>
    where
        T: DeserializeOwned + Send,
        V: Fn(&str, &str, &T) -> Vec<Problem> + Sync,
    {
        let (root, options) = (&self.root, self.options);
        files
            .par_iter()
            .map(|(rel, _)| read_file(root, rel, options, |v: &T, text| validate(rel, text, v)))
            .collect()
    }

    fn check_settings(&mut self, settings: &Settings) {
        let text = read_text(&self.root, MARKER);
        self.problems
            .extend(check::settings(MARKER, &text, settings));
    }

    fn check_codebook(&mut self, codebook: &Codebook) {
        let rel = super::paths::CODEBOOK;
        if self.root.join(rel).is_file() {
            let text = read_text(&self.root, rel);
            self.problems.extend(check::codebook(rel, &text, codebook));
        }
    }
}

/// Read, decode and parse one file, then run `validate` on what parsed. Never fails: a
/// file that cannot be used comes back `Broken` with its problem.
fn read_file<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
    options: LoadOptions,
    validate: impl Fn(&T, &str) -> Vec<Problem>,
) -> FileResult<T> {
    match read_stamped_record(root, rel) {
        Ok((bytes, stamp)) => FileResult {
            read_at: Some(stamp),
            ..parse_bytes(rel, &bytes, options, validate)
        },
        Err(e) => FileResult::broken(
            rel,
            Problem::error(rel, (1, 1), format!("cannot read: {e}")),
        ),
    }
}

/// Decode and parse the bytes of the file `rel`, then run `validate` on what parsed.
fn parse_bytes<T: DeserializeOwned>(
    rel: &str,
    bytes: &[u8],
    options: LoadOptions,
    validate: impl Fn(&T, &str) -> Vec<Problem>,
) -> FileResult<T> {
    let broken = |problem: Problem| FileResult::broken(rel, problem);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let at = line_col(valid, valid.len());
            return broken(Problem::error(
                rel,
                at,
                "not valid UTF-8 (journal files are UTF-8 text)",
            ));
        }
    };
    let mut problems = Vec::new();
    let body = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            problems.push(Problem::warning(
                rel,
                (1, 1),
                "starts with a byte-order mark; it is ignored",
            ));
            rest
        }
        None => text,
    };
    if let Some(at) = check::conflict_marker(body) {
        return broken(Problem::error(
            rel,
            at,
            "leftover merge-conflict marker: resolve the conflict, then remove the markers",
        ));
    }
    let value: T = match toml::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            let at = e.span().map_or((1, 1), |s| line_col(body, s.start));
            return broken(Problem::error(rel, at, e.message().trim().to_string()));
        }
    };
    problems.extend(validate(&value, body));
    if options.deep {
        problems.extend(check::unknown_keys(rel, body));
    }
    FileResult {
        rel: rel.to_string(),
        state: FileState::Loaded(hash_bytes(bytes)),
        value: Some(value),
        problems,
        read_at: None,
    }
}

/// The bytes of a journal file: a regular file no larger than a record may be.
pub(super) fn read_record(root: &Path, rel: &str) -> std::io::Result<Vec<u8>> {
    read_stamped_record(root, rel).map(|(bytes, _)| bytes)
}

/// `read_record`, with the stamp the file had when it was opened, before its bytes were
/// read (a change made while reading shows in a later stamp, never in this one).
fn read_stamped_record(root: &Path, rel: &str) -> std::io::Result<(Vec<u8>, Stamp)> {
    let (bytes, metadata) =
        read::read_regular_with_metadata(&root.join(rel), read::MAX_RECORD_BYTES)?;
    Ok((bytes, Stamp::of(&metadata)))
}

/// A file's text for locating problems in it; empty when it cannot be read.
fn read_text(root: &Path, rel: &str) -> String {
    read_record(root, rel)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}

impl Loader {
    /// Is `rel` (a symbolic link) refused because it leads out of the journal? Then the
    /// problem is reported and the file is never read nor written.
    fn leads_outside(&mut self, rel: &str) -> bool {
        let Err(e) = super::media::resolve_inside(&self.root, rel) else {
            return false;
        };
        let reason = match e {
            StoreError::UnsafePath { reason, .. } => reason,
            other => other.to_string(),
        };
        self.problems
            .push(Problem::error(rel, (1, 1), format!("not read: {reason}")));
        self.files.insert(rel.to_string(), FileState::Broken);
        true
    }

    /// Every `.toml` file under `dir` (recursively when `recursive`), as root-relative
    /// paths with `/`, sorted, each with its stamp when the cache is on (`None` for a
    /// link: it is always read). Hidden files are skipped; stale temporaries from crashed
    /// writes are swept. Links leading out of the journal are refused; links to folders
    /// are not followed (no loops); a name that is not UTF-8 is reported, not passed over.
    fn list_toml(
        &mut self,
        dir: &str,
        recursive: bool,
        shard_of: Option<fn(&str) -> &str>,
    ) -> Vec<Listed> {
        if fs::symlink_metadata(self.root.join(dir)).is_ok_and(|m| m.is_symlink())
            && self.leads_outside(dir)
        {
            return Vec::new();
        }
        // A stamp is taken only to be compared with a cached record.
        let cache = self.cache.as_ref();
        let stamped = |rel: &str| match (cache, shard_of) {
            (Some(cache), Some(shard_of)) => cache.has_shard(shard_of(rel)),
            _ => false,
        };
        let listing = walk(&self.root, dir, recursive, &stamped);
        for rel in &listing.refused {
            self.leads_outside(rel);
        }
        self.problems.extend(listing.problems);
        let mut files = listing.files;
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        files
    }
}

/// The files of one shard, in the order given (sorted by path): each from its cached
/// record (with its text when `texts`) when that still stands, else parsed. The shard is
/// rewritten when what it should hold changed.
fn load_shard<T, V, P>(
    cache: &Cache,
    (key, texts): (&str, bool),
    members: &[&Listed],
    validate: &V,
    parse: &P,
) -> Vec<FileResult<T>>
where
    T: Cacheable + Send,
    V: Fn(&str, &str, &T) -> Vec<Problem> + Sync,
    P: Fn(&str) -> FileResult<T> + Sync,
{
    let stored: Vec<Record<T>> = cache.read_records(key, texts);
    let stored_count = stored.len();
    // Each file from its record when that still stands, else parsed; with what deciding
    // the rewrite needs apart (its stamp, and `verify` of the record taken for it).
    let take = |(file, record): (&Listed, Option<Record<T>>)| {
        let (rel, stamping) = file;
        let stands = |r: &Record<T>| {
            matches!(stamping, Stamping::Taken(stamp) if *stamp == r.stamp)
                && (!r.verify || cache.content_hash(rel) == Some(r.hash))
                // Validation without the text finds nothing (else the file is read
                // again, to report where the problem is).
                && validate(rel, "", &r.value).is_empty()
        };
        match record.filter(stands) {
            Some(r) => {
                let result = FileResult {
                    rel: r.rel,
                    state: FileState::Loaded(r.hash),
                    value: Some(r.value),
                    problems: Vec::new(),
                    read_at: None,
                };
                (result, (Some(r.stamp), Some(r.verify)))
            }
            None => {
                // Kept with the stamp of the bytes parsed (a change made since the
                // walk shows as another stamp next time); never for a link, whose own
                // stamp does not change with its target.
                let result = parse(rel);
                let stamp = match stamping {
                    Stamping::Link => None,
                    _ => result.read_at,
                };
                (result, (stamp, None))
            }
        }
    };
    let same_files = stored.len() == members.len()
        && stored.iter().zip(members).all(|(r, file)| r.rel == file.0);
    let (mut loaded, seen): (Vec<FileResult<T>>, Vec<Seen>) = if same_files {
        // The usual start: a record for every file, in the same order. Paired as they
        // are, without moving every record into a list of pairs first.
        let records = stored.into_par_iter().map(Some);
        members
            .par_iter()
            .map(|f| *f)
            .zip(records)
            .map(take)
            .unzip()
    } else {
        // Records are written sorted by path, so one pass pairs them with the files.
        let mut stored = stored.into_iter().peekable();
        let paired: Vec<_> = members
            .iter()
            .map(|file| {
                while stored.next_if(|r| r.rel < file.0).is_some() {}
                (*file, stored.next_if(|r| r.rel == file.0))
            })
            .collect();
        paired.into_par_iter().map(take).unzip()
    };
    // What the shard should hold: the files that loaded without a problem, each with
    // whether its record must be checked against its bytes next time.
    let keep = |result: &FileResult<T>, (stamp, _): &Seen| {
        let stamp = (*stamp)?;
        let hash = result.cacheable()?;
        Some((stamp, hash, cache.needs_verify(&stamp)))
    };
    let kept_now: Vec<bool> = loaded
        .iter()
        .zip(&seen)
        .filter_map(|(result, seen)| keep(result, seen).map(|(.., verify)| verify))
        .collect();
    // Rewrite when a record went (file gone, changed, now with a problem), came, or
    // needs no more checking.
    let kept: Vec<bool> = seen.iter().filter_map(|(_, verify)| *verify).collect();
    let same = kept.len() == stored_count && kept_now == kept;
    if !same && !texts && !kept.is_empty() && cache.writes() {
        // A load without bodies has none to write for the records it took: this stale
        // shard is loaded once more with them, which rewrites it, so that the next
        // `list` after a change (or a new version) is quick again. Files it parsed have
        // their bodies: a shard made of those only (the first start) is written as is.
        return load_shard(cache, (key, true), members, validate, parse);
    }
    if !same {
        let mut records: Vec<Record<&mut T, &str>> = Vec::with_capacity(kept_now.len());
        for (result, seen) in loaded.iter_mut().zip(&seen) {
            let Some((stamp, hash, verify)) = keep(result, seen) else {
                continue;
            };
            let Some(value) = result.value.as_mut() else {
                continue;
            };
            records.push(Record {
                rel: &result.rel,
                stamp,
                hash,
                verify,
                value,
            });
        }
        cache.write(key, &mut records);
    }
    loaded
}

/// Of one file in a shard: its stamp, and `verify` of the record taken for it (`None`
/// when it was parsed).
type Seen = (Option<Stamp>, Option<bool>);

/// Shard key of an entry file: its folder (`entries/2026/03`).
fn by_folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// A file the walk found, and what it knows of the file's stamp.
type Listed = (String, Stamping);

#[derive(Clone, Copy, Debug)]
enum Stamping {
    /// A link: never cached, as its own stamp does not change with its target.
    Link,
    /// Not taken, as no shard holds a record to compare it with (a first start): the
    /// file is parsed and kept with the stamp of the bytes read, one `fstat` instead of
    /// a lookup by name.
    AtRead,
    /// Taken, to compare with the file's cached record.
    Taken(Stamp),
}

/// What walking a folder found.
#[derive(Default)]
struct Listing {
    files: Vec<Listed>,
    problems: Vec<Problem>,
    /// Links that lead out of the journal.
    refused: Vec<String>,
}

/// One folder's files, and its subfolders' in parallel (see `Loader::list_toml`).
fn walk(
    root: &Path,
    rel_dir: &str,
    recursive: bool,
    stamped: &(dyn Fn(&str) -> bool + Sync),
) -> Listing {
    let mut listing = Listing::default();
    let Ok(read) = fs::read_dir(root.join(rel_dir)) else {
        return listing;
    };
    let mut dirs = Vec::new();
    for item in read.flatten() {
        let name = item.file_name();
        let Some(name) = name.to_str() else {
            // Only what would have been read: a record, or a folder that may hold some.
            let raw = name.as_encoded_bytes();
            let is_dir = item.file_type().is_ok_and(|t| t.is_dir());
            if !raw.starts_with(b".") && (is_dir || raw.ends_with(b".toml")) {
                let shown = format!("{rel_dir}/{}", name.to_string_lossy());
                let message = "the name is not UTF-8: not read (rename it)";
                listing
                    .problems
                    .push(Problem::error(&shown, (1, 1), message));
            }
            continue;
        };
        if name.starts_with('.') {
            atomic::sweep_if_stale(&item);
            continue;
        }
        let rel = format!("{rel_dir}/{name}");
        let Ok(file_type) = item.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if recursive {
                dirs.push(rel);
            }
        } else if !name.ends_with(".toml") {
        } else if file_type.is_symlink() {
            match super::media::resolve_inside(root, &rel) {
                Ok(_) => listing.files.push((rel, Stamping::Link)),
                Err(_) => listing.refused.push(rel),
            }
        } else {
            let stamp = stamped(&rel)
                .then(|| item.metadata().ok())
                .flatten()
                .map_or(Stamping::AtRead, |m| Stamping::Taken(Stamp::of(&m)));
            listing.files.push((rel, stamp));
        }
    }
    let nested: Vec<Listing> = dirs
        .par_iter()
        .map(|d| walk(root, d, recursive, stamped))
        .collect();
    // Reserved at once: grown a folder at a time, the listing was copied about again
    // and again (each copy on fresh pages the kernel must zero).
    listing
        .files
        .reserve(nested.iter().map(|more| more.files.len()).sum());
    for more in nested {
        listing.files.extend(more.files);
        listing.problems.extend(more.problems);
        listing.refused.extend(more.refused);
    }
    listing
}

/// What loading (and `check`) says about one file with these bytes, on its own: the
/// kind of record is told by `rel` as in a journal (`entries/…`, `accounts/…`,
/// `comments/…`, `codebook.toml`, else `journal.toml`). References to other files are
/// checked against an empty journal. Never panics, whatever the bytes: what the fuzz
/// tests drive.
pub fn check_bytes(rel: &str, bytes: &[u8]) -> Vec<Problem> {
    let options = LoadOptions {
        deep: true,
        ..Default::default()
    };
    let known = Known::new(&Codebook::default(), &[]);
    match rel.split('/').next().unwrap_or_default() {
        "entries" => {
            let validate = |e: &Entry, text: &str| check::entry(rel, text, e, &known);
            parse_bytes(rel, bytes, options, validate).problems
        }
        "accounts" => {
            let validate = |a: &Account, text: &str| check::account(rel, text, a);
            parse_bytes(rel, bytes, options, validate).problems
        }
        "comments" => {
            let none = foldhash::HashSet::default();
            let validate = |c: &Comment, text: &str| check::comment(rel, text, c, &none);
            parse_bytes(rel, bytes, options, validate).problems
        }
        "codebook.toml" => {
            let validate = |b: &Codebook, text: &str| check::codebook(rel, text, b);
            parse_bytes(rel, bytes, options, validate).problems
        }
        _ => {
            let validate = |s: &Settings, text: &str| check::settings(rel, text, s);
            parse_bytes(rel, bytes, options, validate).problems
        }
    }
}

pub(crate) fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".toml").unwrap_or(name)
}
