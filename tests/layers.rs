//! The layers hold: each top-level module of `src/` uses only the modules below it, and
//! the data layers use no terminal or network library. Read from the source, so a
//! change that breaks a rule fails here with the file and line (docs/ARCHITECTURE.md
//! says why the crate is one package and not a workspace).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each layer and the layers it may use, from the bottom up.
const RULES: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("os", &[]),
    ("store", &["model", "os"]),
    ("analysis", &["model"]),
    ("demo", &["model", "store"]),
    ("interop", &["model", "store", "analysis"]),
    (
        "tui",
        &["model", "store", "analysis", "interop", "os", "demo"],
    ),
    ("serve", &["model", "store", "analysis", "os", "tui"]),
    (
        "cli",
        &[
            "model", "store", "analysis", "interop", "os", "demo", "tui", "serve",
        ],
    ),
];

/// Libraries the data layers must not use: they draw, or they serve a network.
const FRONT_END_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "ratatui_image",
    "ratatui_textarea",
    "russh",
    "tokio",
    "indicatif",
];
const DATA_LAYERS: &[&str] = &["model", "os", "store", "analysis", "demo", "interop"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a source file: `src/tui/update/mod.rs` is `["tui", "update"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its test module (clippy keeps test modules last) and
/// without comments.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start() == "#[cfg(test)]" && !line.starts_with(' ') {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push((n + 1, code.to_string()));
    }
    out
}

/// The top-level modules a line refers to: `crate::x`, and `super::…` paths that climb
/// to the crate root and go down into `x`.
fn referenced(module: &[String], line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let name: String = line[at + 7..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        found.push(name);
    }
    for (at, _) in line.match_indices("super::") {
        if line[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &line[at..];
        let mut depth = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            depth += 1;
            rest = r;
        }
        // A file's own module is its last part; `super` goes up from it.
        if depth == module.len() {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rules: BTreeMap<&str, &[&str]> = RULES.iter().copied().collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        // A test module in a file of its own (`#[cfg(test)] mod tests;`) is test code.
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = module_of(&src, file);
        let Some(layer) = module.first().map(String::as_str) else {
            continue;
        };
        let Some(allowed) = rules.get(layer) else {
            continue; // lib.rs and main.rs
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in code_lines(&text) {
            for target in referenced(&module, &line) {
                checked += 1;
                let known = rules.contains_key(target.as_str());
                if known && target != layer && !allowed.contains(&target.as_str()) {
                    broken.push(format!(
                        "{}:{n}: {layer} uses {target}: {}",
                        file.strip_prefix(&src).unwrap().display(),
                        line.trim()
                    ));
                }
            }
            if DATA_LAYERS.contains(&layer) {
                for lib in FRONT_END_CRATES {
                    let used = line.match_indices(&format!("{lib}::")).any(|(at, _)| {
                        !line[..at]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                    });
                    if used {
                        broken.push(format!(
                            "{}:{n}: the data layer {layer} uses {lib}",
                            file.strip_prefix(&src).unwrap().display()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 200,
        "only {checked} references read: is the scan broken?"
    );
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn the_scan_sees_what_it_must_refuse() {
    let tui = vec!["tui".to_string()];
    assert_eq!(referenced(&tui, "use crate::cli::CliError;"), ["cli"]);
    assert_eq!(referenced(&tui, "use super::cli::CliError;"), ["cli"]);
    let file = vec![
        "tui".to_string(),
        "update".to_string(),
        "reader".to_string(),
    ];
    assert_eq!(
        referenced(&file, "super::super::app::App"),
        Vec::<String>::new()
    );
    assert_eq!(referenced(&file, "super::super::super::cli::x"), ["cli"]);
    let code = code_lines("use crate::a;\n// crate::b\n#[cfg(test)]\nmod tests { crate::c }\n");
    let refs: Vec<String> = code.iter().flat_map(|(_, l)| referenced(&tui, l)).collect();
    assert_eq!(refs, ["a"]);
}
