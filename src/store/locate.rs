//! Finding the journal a command works on.

use std::path::{Path, PathBuf};

pub const MARKER: &str = "journal.toml";

/// Where a journal was found, and by which rule (shown by `--help` and errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub root: PathBuf,
    pub how: &'static str,
}

/// The journal to use: `explicit` (`--journal`), else `$FIELDNOTE_JOURNAL` (passed in as
/// `from_env`), else the nearest folder upward from `cwd` holding `journal.toml`, else the
/// user's default journal if it exists. `None` when there is none anywhere.
pub fn find_journal(
    explicit: Option<&Path>,
    from_env: Option<&Path>,
    cwd: &Path,
) -> Option<Located> {
    if let Some(p) = explicit {
        return Some(Located {
            root: p.to_path_buf(),
            how: "--journal",
        });
    }
    if let Some(p) = from_env.filter(|p| !p.as_os_str().is_empty()) {
        return Some(Located {
            root: p.to_path_buf(),
            how: "$FIELDNOTE_JOURNAL",
        });
    }
    if let Some(root) = cwd.ancestors().find(|d| d.join(MARKER).is_file()) {
        return Some(Located {
            root: root.to_path_buf(),
            how: "the current folder or one above it",
        });
    }
    default_journal()
        .filter(|d| d.join(MARKER).is_file())
        .map(|root| Located {
            root,
            how: "the default journal",
        })
}

/// The user's default journal folder (`~/.local/share/fieldnote/journal` on Linux).
pub fn default_journal() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "fieldnote").map(|d| d.data_dir().join("journal"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_is_flag_env_ancestor() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("study");
        let deep = root.join("entries/2026/03");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(root.join(MARKER), "format = 1\n").unwrap();

        let found = find_journal(None, None, &deep).unwrap();
        assert_eq!(found.root, root);
        let env = dir.path().join("other");
        assert_eq!(find_journal(None, Some(&env), &deep).unwrap().root, env);
        let flag = dir.path().join("flag");
        assert_eq!(
            find_journal(Some(&flag), Some(&env), &deep).unwrap().root,
            flag
        );
    }
}
