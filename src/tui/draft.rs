//! Drafts of the entry being written, autosaved to `.fieldnote/drafts/` so that nothing
//! typed is lost to a crash, a closed terminal or a dropped SSH link.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::read::{MAX_RECORD_BYTES, read_regular};
use crate::store::write_atomic;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The draft's file stem: the entry id being edited, or `new-<time>`.
    pub key: String,
    /// The entry being edited; empty for a new one.
    #[serde(default)]
    pub entry_id: String,
    pub saved_at: String,
    pub observed_at: String,
    pub kind: String,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub informant: String,
    #[serde(default)]
    pub metrics: String,
    /// A live session being noted (restored into the capture view, not the editor).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub live: bool,
}

pub fn drafts_dir(root: &Path) -> PathBuf {
    root.join(".fieldnote").join("drafts")
}

fn draft_path(root: &Path, key: &str) -> PathBuf {
    // Keys are entry ids or `new-<digits>`; anything else is made safe for a file name.
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    drafts_dir(root).join(format!("{safe}.toml"))
}

pub fn write(root: &Path, draft: &Draft) -> std::io::Result<()> {
    let text = toml::to_string(draft).map_err(std::io::Error::other)?;
    write_atomic(&draft_path(root, &draft.key), text.as_bytes())
}

pub fn remove(root: &Path, key: &str) -> std::io::Result<()> {
    match std::fs::remove_file(draft_path(root, key)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Every draft left behind, oldest first. Unreadable drafts are skipped, not deleted;
/// temporaries of a draft write that crashed are swept.
pub fn load_all(root: &Path) -> Vec<Draft> {
    let dir = drafts_dir(root);
    crate::store::sweep_temporaries(&dir);
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut drafts: Vec<Draft> = read
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".toml"))
        .filter_map(|e| read_regular(&e.path(), MAX_RECORD_BYTES).ok())
        .filter_map(|bytes| toml::from_str(std::str::from_utf8(&bytes).ok()?).ok())
        .collect();
    drafts.sort_by(|a, b| a.saved_at.cmp(&b.saved_at));
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_round_trip_and_go_away() {
        let dir = tempfile::tempdir().unwrap();
        let d = Draft {
            key: "new-1".into(),
            entry_id: String::new(),
            saved_at: "2026-03-14T21:00:00+07:00".into(),
            observed_at: "21:05".into(),
            kind: "observation".into(),
            accounts: vec!["cindymakeup".into()],
            codes: vec![],
            title: "t".into(),
            body: "typed \"\"\" text\n".into(),
            url: String::new(),
            informant: String::new(),
            metrics: "views 12".into(),
            live: false,
        };
        write(dir.path(), &d).unwrap();
        assert_eq!(load_all(dir.path()), vec![d.clone()]);
        remove(dir.path(), &d.key).unwrap();
        assert!(load_all(dir.path()).is_empty());
        remove(dir.path(), &d.key).unwrap();
    }
}
