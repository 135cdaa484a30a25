//! The trash: `fieldnote rm` moves an entry's file, its comments and the screenshots no
//! other entry uses to `.fieldnote/trash/ID/`, keeping their paths, with a manifest
//! (`trashed.toml`) that says what was where. `fieldnote restore ID` moves them back.
//! Nothing is deleted, so a mistaken `rm` loses nothing; emptying the trash is left to
//! the person (`rm -r .fieldnote/trash/ID`).
//!
//! Crash safety: the manifest is written (atomically) before any file moves, and each
//! move is a rename within the journal's file system, so after a crash every file is in
//! exactly one of its two places and the manifest names both; restore takes each from
//! wherever it is.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, atomic, comment_path, is_safe_stem};
use crate::model::{Journal, Moment};

/// Where trashed entries are kept, relative to the journal root.
pub const DIR: &str = ".fieldnote/trash";
const MANIFEST: &str = "trashed.toml";

/// What one `rm` moved: every path is relative to the journal root, as it was before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    pub id: String,
    pub title: String,
    /// The post's id on its platform, for imports to leave deleted posts deleted.
    #[serde(default)]
    pub source_id: String,
    #[serde(serialize_with = "as_toml_datetime")]
    pub trashed_at: Moment,
    pub entry: String,
    #[serde(default)]
    pub comments: Vec<String>,
    #[serde(default)]
    pub media: Vec<String>,
}

impl Trashed {
    /// Every file the entry took with it.
    pub fn files(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.entry)
            .chain(&self.comments)
            .chain(&self.media)
    }
}

impl Store {
    /// Move entry `id` with its comments and the screenshots only it uses to the trash.
    pub fn trash_entry(
        &mut self,
        journal: &Journal,
        id: &str,
        now: Moment,
    ) -> Result<Trashed, StoreError> {
        let entry = journal
            .entry(id)
            .ok_or_else(|| StoreError::Invalid(format!("no entry with id `{id}`")))?;
        if !is_safe_stem(id) {
            return Err(StoreError::Invalid(format!("`{id}` cannot name a folder")));
        }
        let rel = self.entry_path(entry);
        self.allow_write(&rel)?;
        let used_elsewhere = |path: &str| {
            journal
                .entries
                .iter()
                .any(|e| e.id != id && e.screenshots.iter().any(|s| s.path == path))
        };
        let trashed = Trashed {
            id: id.to_string(),
            title: entry.headline().to_string(),
            source_id: entry.source_id.clone(),
            trashed_at: now,
            entry: rel.clone(),
            comments: journal.comments_on(id).map(comment_path).collect(),
            media: entry
                .screenshots
                .iter()
                .map(|s| s.path.clone())
                .filter(|p| !used_elsewhere(p) && super::media::check_relative(p).is_ok())
                .collect(),
        };
        let folder = self.trash_folder(id);
        if folder.join(MANIFEST).exists() {
            return Err(StoreError::Invalid(format!(
                "{DIR}/{id} already holds a trashed entry of that id; restore or remove it first"
            )));
        }
        write_manifest(&folder, &trashed)?;
        for file in trashed.files() {
            move_file(&self.root.join(file), &folder.join(file))?;
        }
        self.entry_paths.remove(id);
        self.files.remove(&rel);
        Ok(trashed)
    }

    /// Bring entry `id` back from the trash to where it was. Refused when a file of the
    /// same path has appeared meanwhile (nothing is overwritten).
    pub fn restore_entry(&mut self, id: &str) -> Result<Trashed, StoreError> {
        if !is_safe_stem(id) {
            return Err(StoreError::Invalid(format!("`{id}` cannot name a folder")));
        }
        let folder = self.trash_folder(id);
        let trashed = read_manifest(&folder.join(MANIFEST))?;
        self.allow_write(&trashed.entry)?;
        for file in trashed.files() {
            let (inside, home) = (folder.join(file), self.root.join(file));
            if inside.exists() && home.exists() {
                return Err(StoreError::Invalid(format!(
                    "{file} exists again, so the trashed copy was not put over it; \
                     nothing was restored"
                )));
            }
        }
        for file in trashed.files() {
            let inside = folder.join(file);
            if inside.exists() {
                move_file(&inside, &self.root.join(file))?;
            }
        }
        std::fs::remove_dir_all(&folder).map_err(|e| StoreError::io(&folder, e))?;
        Ok(trashed)
    }

    /// What the trash holds, oldest first.
    pub fn trashed(&self) -> Vec<Trashed> {
        let Ok(dirs) = std::fs::read_dir(self.root.join(DIR)) else {
            return Vec::new();
        };
        let mut all: Vec<Trashed> = dirs
            .flatten()
            .filter_map(|d| read_manifest(&d.path().join(MANIFEST)).ok())
            .collect();
        all.sort_by_key(|t| t.trashed_at);
        all
    }

    fn trash_folder(&self, id: &str) -> PathBuf {
        self.root.join(DIR).join(id)
    }
}

/// A moment as a TOML datetime (not a string), as the journal's own files write it.
fn as_toml_datetime<S: serde::Serializer>(m: &Moment, s: S) -> Result<S::Ok, S::Error> {
    m.to_toml().serialize(s)
}

fn write_manifest(folder: &Path, trashed: &Trashed) -> Result<(), StoreError> {
    std::fs::create_dir_all(folder).map_err(|e| StoreError::io(folder, e))?;
    let text = toml::to_string(trashed).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let path = folder.join(MANIFEST);
    atomic::write_atomic(&path, text.as_bytes()).map_err(|e| StoreError::io(&path, e))
}

fn read_manifest(path: &Path) -> Result<Trashed, StoreError> {
    let bytes = super::read::read_regular(path, super::read::MAX_RECORD_BYTES).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Invalid(format!("nothing of that id is in the trash ({DIR}/)"))
        } else {
            StoreError::io(path, e)
        }
    })?;
    let text = String::from_utf8_lossy(&bytes);
    toml::from_str(&text).map_err(|e| StoreError::Invalid(format!("{}: {e}", path.display())))
}

/// Rename `from` to `to`, making `to`'s folder; a file already gone is no error (a
/// crashed earlier run moved it).
fn move_file(from: &Path, to: &Path) -> Result<(), StoreError> {
    if !from.exists() {
        return Ok(());
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
    }
    std::fs::rename(from, to).map_err(|e| StoreError::io(from, e))?;
    // Both folders changed: the rename is durable once both are synced.
    for dir in [to.parent(), from.parent()].into_iter().flatten() {
        atomic::sync_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    Ok(())
}
