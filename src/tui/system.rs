//! What the interface asks of the local machine for the person at it: expanding `~`,
//! opening a file in the system viewer, completing a path.

use std::path::Path;

pub(super) fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// Hand a file to the platform's opener, without waiting for it.
pub(super) fn open_in_viewer(path: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("cannot start {opener}: {e}"))
}

/// Paths that complete `text`: entries of its folder whose names start with what is
/// typed after the last `/`; folders end with `/`.
pub(super) fn complete_path(text: &str) -> Vec<String> {
    let expanded = expand_home(text);
    let (dir, stem) = match expanded.rfind('/') {
        Some(i) => (&expanded[..=i], &expanded[i + 1..]),
        None => ("./", expanded.as_str()),
    };
    let shown_dir = match text.rfind('/') {
        Some(i) => &text[..=i],
        None => "",
    };
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(format!("{shown_dir}{name}{slash}"))
        })
        .collect();
    found.sort();
    found.truncate(50);
    found
}
