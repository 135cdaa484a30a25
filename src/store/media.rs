//! Screenshots and other paths inside the journal: attaching files (copied into
//! `media/YYYY/MM/`, deduplicated by sha256) and refusing paths that would leave it.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::check::sha256_hex;
use super::{StoreError, atomic, read};
use crate::model::{Journal, Moment, Screenshot};

/// The largest file attached as a screenshot (it is copied into the journal whole).
pub const MAX_ATTACH_BYTES: u64 = 512 * 1024 * 1024;

/// A journal path must be relative, use `/`, and never step up with `..`.
pub fn check_relative(rel: &str) -> Result<(), String> {
    if rel.is_empty() {
        return Err("the path is empty".into());
    }
    if rel.starts_with('/')
        || rel.starts_with('\\')
        || Path::new(rel).is_absolute()
        || rel.contains(':')
    {
        return Err("absolute paths are not allowed: paths are relative to the journal".into());
    }
    if rel.contains('\\') {
        return Err("use `/` between folders".into());
    }
    if Path::new(rel)
        .components()
        .any(|c| matches!(c, Component::ParentDir))
    {
        return Err("`..` would leave the journal folder".into());
    }
    Ok(())
}

/// The absolute path of journal-relative `rel`, refused when it leaves the journal,
/// including through a symlink somewhere along the way.
pub fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    let unsafe_path = |reason: String| StoreError::UnsafePath {
        path: rel.to_string(),
        reason,
    };
    check_relative(rel).map_err(unsafe_path)?;
    let path = root.join(rel);
    // Follow links on the part that exists; what does not exist yet cannot be a link.
    let mut existing = path.as_path();
    while fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(p) => existing = p,
            None => return Ok(path),
        }
    }
    let real_root = fs::canonicalize(root).map_err(|e| StoreError::io(root, e))?;
    let real = fs::canonicalize(existing).map_err(|e| StoreError::io(existing, e))?;
    if !real.starts_with(&real_root) {
        return Err(unsafe_path(
            "it leads outside the journal folder (through a symbolic link)".into(),
        ));
    }
    Ok(path)
}

/// Bring `source` into the journal as a screenshot of an entry observed at `observed`:
/// a file already inside the journal is referred to where it is; any other is copied to
/// `media/YYYY/MM/`, unless an identical file (same sha256) is already there.
pub fn attach(
    root: &Path,
    journal: &Journal,
    source: &Path,
    observed: &Moment,
) -> Result<Screenshot, StoreError> {
    let bytes =
        read::read_regular(source, MAX_ATTACH_BYTES).map_err(|e| StoreError::io(source, e))?;
    let sha256 = sha256_hex(&bytes);
    let shot = |path: String| Screenshot {
        path,
        sha256: sha256.clone(),
        caption: String::new(),
    };
    let real_root = fs::canonicalize(root).map_err(|e| StoreError::io(root, e))?;
    let real_source = fs::canonicalize(source).map_err(|e| StoreError::io(source, e))?;
    if let Ok(inside) = real_source.strip_prefix(&real_root) {
        return Ok(shot(to_journal_path(inside)));
    }
    if let Some(existing) = identical_in_journal(root, journal, &sha256) {
        return Ok(shot(existing));
    }
    let c = observed.civil();
    let folder = format!("media/{:04}/{:02}", c.year(), c.month());
    let name = safe_file_name(source);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    for n in 1.. {
        let candidate = if n == 1 {
            format!("{folder}/{stem}{ext}")
        } else {
            format!("{folder}/{stem}-{n}{ext}")
        };
        let target = resolve_inside(root, &candidate)?;
        if n == 1 {
            // Temporaries of a crashed attach lie here.
            atomic::sweep_temporaries(target.parent().unwrap_or(root));
        }
        // Whatever is there already (even a file that cannot be read) is never replaced.
        if fs::symlink_metadata(&target).is_ok() {
            if read::sha256_file(&target).is_ok_and(|h| h == sha256) {
                return Ok(shot(candidate));
            }
            continue;
        }
        atomic::write_atomic(&target, &bytes).map_err(|e| StoreError::io(&target, e))?;
        return Ok(shot(candidate));
    }
    unreachable!("the loop returns")
}

/// A screenshot already in the journal with this content, if its file still matches.
fn identical_in_journal(root: &Path, journal: &Journal, sha256: &str) -> Option<String> {
    journal
        .entries
        .iter()
        .flat_map(|e| &e.screenshots)
        .filter(|s| s.sha256.eq_ignore_ascii_case(sha256))
        .find(|s| {
            resolve_inside(root, &s.path)
                .ok()
                .and_then(|p| read::sha256_file(&p).ok())
                .is_some_and(|h| h == sha256)
        })
        .map(|s| s.path.clone())
}

fn to_journal_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The source's file name with anything odd (controls, separators, leading dots)
/// replaced, so it is safe in a path and on a terminal.
fn safe_file_name(source: &Path) -> String {
    let raw = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "screenshot".into()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_only() {
        assert!(check_relative("media/2026/03/a.png").is_ok());
        assert!(check_relative("../secret").is_err());
        assert!(check_relative("media/../../x").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("C:\\x").is_err());
        assert!(check_relative("").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leaving_the_journal_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.png"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("media")).unwrap();
        let err = resolve_inside(root.path(), "media/secret.png").unwrap_err();
        assert!(err.to_string().contains("outside the journal"), "{err}");
        assert!(resolve_inside(root.path(), "media2/new.png").is_ok());
    }

    #[test]
    fn odd_names_are_made_safe() {
        assert_eq!(
            safe_file_name(Path::new("/x/..evil\u{1b}name.png")),
            "evil-name.png"
        );
        assert_eq!(
            safe_file_name(Path::new("/x/Screen shot 1.png")),
            "Screen-shot-1.png"
        );
    }
}
