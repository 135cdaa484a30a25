//! Loading a journal folder into the model: every file parsed (entries in parallel),
//! every problem reported with its place, and every good file loaded even when others
//! are broken.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::check::{self, Known};
use super::spans::{Step, locate};
use super::{FileState, Problem, Store, StoreError, atomic, hash_bytes, line_col, locate::MARKER};
use crate::model::{Account, Codebook, Comment, Entry, Journal, Settings};

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Also do what only `check` needs: look for unknown keys, hash every screenshot.
    pub deep: bool,
}

/// A loaded journal: the store to save through, the model, and what was wrong.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub journal: Journal,
    pub problems: Vec<Problem>,
}

pub fn open(root: &Path) -> Result<Opened, StoreError> {
    open_with(root, LoadOptions::default())
}

pub fn open_with(root: &Path, options: LoadOptions) -> Result<Opened, StoreError> {
    if !root.join(MARKER).is_file() {
        return Err(StoreError::Invalid(format!(
            "{} is not a journal: it has no {MARKER}\n  hint: `fieldnote init {}` makes one there",
            root.display(),
            root.display()
        )));
    }
    let mut loader = Loader {
        root: root.to_path_buf(),
        options,
        files: HashMap::new(),
        problems: Vec::new(),
    };
    let settings = loader.load_one::<Settings>(MARKER).unwrap_or_default();
    let codebook = loader
        .load_optional::<Codebook>("codebook.toml")
        .unwrap_or_default();
    let accounts = loader.load_accounts();
    let known = Known::new(&codebook, &accounts);
    loader.check_settings(&settings);
    loader.check_codebook(&codebook);
    let (mut entries, entry_paths) = loader.load_entries(&known);
    let entry_ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let comments = loader.load_comments(&entry_ids);

    let mut journal = Journal {
        settings,
        codebook,
        accounts,
        entries: std::mem::take(&mut entries),
        comments,
    };
    journal.sort_entries();
    let mut problems = loader.problems;
    problems.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(Opened {
        store: Store {
            root: root.to_path_buf(),
            files: loader.files,
            entry_paths,
            access: super::Access::Full,
        },
        journal,
        problems,
    })
}

/// One file's result, made on a worker thread.
struct FileResult<T> {
    rel: String,
    state: FileState,
    value: Option<T>,
    problems: Vec<Problem>,
}

struct Loader {
    root: PathBuf,
    options: LoadOptions,
    files: HashMap<String, FileState>,
    problems: Vec<Problem>,
}

impl Loader {
    fn absorb<T>(&mut self, result: FileResult<T>) -> Option<T> {
        self.files.insert(result.rel, result.state);
        self.problems.extend(result.problems);
        result.value
    }

    fn load_one<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        let result = read_file(&self.root, rel, self.options, |_, _| Vec::new());
        self.absorb(result)
    }

    fn load_optional<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        self.root.join(rel).is_file().then(|| self.load_one(rel))?
    }

    fn load_accounts(&mut self) -> Vec<Account> {
        let files = list_toml(&self.root, "accounts", false);
        let (root, options) = (&self.root, self.options);
        let results: Vec<FileResult<Account>> = files
            .par_iter()
            .map(|rel| {
                read_file(root, rel, options, |a: &Account, text| {
                    check::account(rel, text, a)
                })
            })
            .collect();
        let mut accounts: Vec<Account> =
            results.into_iter().filter_map(|r| self.absorb(r)).collect();
        accounts.sort_by(|a, b| a.handle.cmp(&b.handle));
        accounts
    }

    fn load_entries(&mut self, known: &Known) -> (Vec<Entry>, HashMap<String, String>) {
        let files = list_toml(&self.root, "entries", true);
        let (root, options) = (&self.root, self.options);
        let results: Vec<FileResult<Entry>> = files
            .par_iter()
            .map(|rel| {
                read_file(root, rel, options, |e: &Entry, text| {
                    let mut found = check::entry(rel, text, e, known);
                    if options.deep {
                        found.extend(check::screenshots(root, rel, text, e));
                    }
                    found
                })
            })
            .collect();
        let mut entries = Vec::with_capacity(results.len());
        let mut paths: HashMap<String, String> = HashMap::with_capacity(results.len());
        for result in results {
            let rel = result.rel.clone();
            let Some(entry) = self.absorb(result) else {
                continue;
            };
            if let Some(first) = paths.get(&entry.id) {
                let text = fs::read_to_string(self.root.join(&rel)).unwrap_or_default();
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
            paths.insert(entry.id.clone(), rel);
            entries.push(entry);
        }
        (entries, paths)
    }

    fn load_comments(&mut self, entry_ids: &HashSet<&str>) -> Vec<Comment> {
        let files = list_toml(&self.root, "comments", true);
        let (root, options) = (&self.root, self.options);
        let results: Vec<FileResult<Comment>> = files
            .par_iter()
            .map(|rel| {
                let mut result = read_file(root, rel, options, |c: &Comment, text| {
                    check::comment(rel, text, c, entry_ids)
                });
                if let Some(c) = result.value.as_mut() {
                    c.id = stem(rel).to_string();
                }
                result
            })
            .collect();
        let mut comments: Vec<Comment> =
            results.into_iter().filter_map(|r| self.absorb(r)).collect();
        comments.sort_by(|a, b| (&a.entry, a.at, &a.id).cmp(&(&b.entry, b.at, &b.id)));
        comments
    }

    fn check_settings(&mut self, settings: &Settings) {
        let text = fs::read_to_string(self.root.join(MARKER)).unwrap_or_default();
        self.problems
            .extend(check::settings(MARKER, &text, settings));
    }

    fn check_codebook(&mut self, codebook: &Codebook) {
        let rel = "codebook.toml";
        if let Ok(text) = fs::read_to_string(self.root.join(rel)) {
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
    let broken = |problem: Problem| FileResult {
        rel: rel.to_string(),
        state: FileState::Broken,
        value: None,
        problems: vec![problem],
    };
    let bytes = match fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) => return broken(Problem::error(rel, (1, 1), format!("cannot read: {e}"))),
    };
    let text = match std::str::from_utf8(&bytes) {
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
        state: FileState::Loaded(hash_bytes(&bytes)),
        value: Some(value),
        problems,
    }
}

/// Every `.toml` file under `dir` (recursively when `deep`), as root-relative paths with
/// `/`. Hidden files are skipped; stale temporaries from crashed writes are swept.
fn list_toml(root: &Path, dir: &str, recursive: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_string()];
    while let Some(rel_dir) = stack.pop() {
        let abs = root.join(&rel_dir);
        atomic::sweep_temporaries(&abs);
        let Ok(read) = fs::read_dir(&abs) else {
            continue;
        };
        for item in read.flatten() {
            let name = item.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let rel = format!("{rel_dir}/{name}");
            let file_type = item.file_type();
            if file_type.as_ref().is_ok_and(|t| t.is_dir()) {
                if recursive {
                    stack.push(rel);
                }
            } else if name.ends_with(".toml") {
                out.push(rel);
            }
        }
    }
    out.sort_unstable();
    out
}

pub(crate) fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".toml").unwrap_or(name)
}
