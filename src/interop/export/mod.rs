//! Exports of a journal's selected entries: a Markdown field report, a CSV code matrix,
//! the whole model as JSON, and REFI-QDA projects (`.qdpx`) and codebooks (`.qdc`) for
//! NVivo, ATLAS.ti, MAXQDA and QualCoder. Each writer is a pure function of an `Export`
//! (the journal, the selected entries, pseudonymised or not) to bytes; the caller writes
//! them. `docs/export.md` documents every format.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod passages;
pub mod pseudonym;
pub mod refi;
pub mod svg;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::model::{Comment, Entry, Journal};
use pseudonym::Pseudonymiser;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    /// The coded passages as a CSV table.
    Passages,
    Json,
    Qdpx,
    Qdc,
    /// One chart (`cli::export` picks which): not written by `write`.
    Svg,
    /// The HTML report (its figures and charts need the filter: `cli::export` writes
    /// it with `html::report`), not written by `write`.
    Html,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A pseudonymised export would still identify someone.
    #[error("{0}")]
    Identifying(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

impl ExportError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        ExportError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// What is exported: the journal (a pseudonymised copy when asked), the selected
/// entries, and where the journal's files are.
#[derive(Debug)]
pub struct Export<'a> {
    pub journal: Cow<'a, Journal>,
    /// Indices into `journal.entries`, oldest first.
    pub selected: Vec<usize>,
    /// The journal's root folder, where screenshots are read from.
    pub root: PathBuf,
    /// A description of the filter, for the reader of the export.
    pub filter: String,
    pseudonymiser: Option<Pseudonymiser>,
    /// Screenshot path as exported -> path in the journal (only when they differ).
    originals: HashMap<String, String>,
    /// In a .qdpx, each account also a code of its entries that shares its case's guid,
    /// as NVivo writes cases: QualCoder links cases to sources only this way.
    pub cases_as_codes: bool,
}

impl<'a> Export<'a> {
    pub fn new(
        journal: &'a Journal,
        root: &Path,
        selected: Vec<usize>,
        pseudonymise: bool,
        filter: String,
    ) -> Result<Export<'a>, ExportError> {
        let mut export = Export {
            journal: Cow::Borrowed(journal),
            selected,
            root: root.to_path_buf(),
            filter,
            pseudonymiser: None,
            originals: HashMap::new(),
            cases_as_codes: false,
        };
        if pseudonymise {
            let p = Pseudonymiser::new(journal)?;
            let copy = p.journal(journal, &export.selected, &mut export.originals);
            export.selected = (0..copy.entries.len()).collect();
            export.filter = p.text(&export.filter);
            export.journal = Cow::Owned(copy);
            export.pseudonymiser = Some(p);
        }
        Ok(export)
    }

    pub fn is_pseudonymised(&self) -> bool {
        self.pseudonymiser.is_some()
    }

    /// Things the person exporting should know (accounts without a pseudonym).
    pub fn notes(&self) -> &[String] {
        self.pseudonymiser.as_ref().map_or(&[], |p| &p.notes)
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.selected.iter().map(|&i| &self.journal.entries[i])
    }

    /// The comments on the selected entries, in journal order.
    pub fn comments(&self) -> Vec<&Comment> {
        let ids: HashSet<&str> = self.entries().map(|e| e.id.as_str()).collect();
        self.journal
            .comments
            .iter()
            .filter(|c| ids.contains(c.entry.as_str()))
            .collect()
    }

    /// The file behind a screenshot path as the export shows it, inside the journal. A
    /// path from a journal file is untrusted: one that leaves the journal (`..`, an
    /// absolute path, a link out) is refused with the reason, so that an export never
    /// carries a file from elsewhere on the machine.
    pub fn media_file(&self, shown: &str) -> Result<PathBuf, String> {
        let rel = self.originals.get(shown).map_or(shown, String::as_str);
        crate::store::media::resolve_inside(&self.root, rel).map_err(|e| match e {
            crate::store::StoreError::UnsafePath { reason, .. } => reason,
            other => other.to_string(),
        })
    }

    /// When pseudonymising: fail if `text`, a part of the output, still names a handle.
    pub fn check(&self, place: &str, text: &str) -> Result<(), ExportError> {
        match &self.pseudonymiser {
            Some(p) => p.check(place, text),
            None => Ok(()),
        }
    }
}

/// Where a Markdown report's image links point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Images {
    /// At the journal's files, through this path from the report's folder to the
    /// journal root.
    Journal(PathBuf),
    /// At copies in this folder beside the report (the `files` of the output).
    Copied(String),
    /// Nowhere: captions only.
    CaptionsOnly,
}

/// An export's bytes, and files to copy beside it (name relative to the output's
/// folder, source file).
#[derive(Debug, Default)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub files: Vec<(String, PathBuf)>,
    pub warnings: Vec<String>,
}

/// Produce `format` for `export`.
pub fn write(export: &Export, format: Format, images: &Images) -> Result<Output, ExportError> {
    let text = |s: String| Output {
        bytes: s.into_bytes(),
        ..Output::default()
    };
    let output = match format {
        Format::Markdown => markdown::report(export, images),
        Format::Csv => text(csv::entries(export)),
        Format::Passages => text(passages::csv(export)),
        Format::Json => text(json::document(export)?),
        Format::Qdpx => refi::project(export)?,
        Format::Qdc => text(refi::codebook(&export.journal.codebook)?),
        Format::Svg | Format::Html => {
            return Err(ExportError::Invalid(format!(
                "{format:?} is written by the export command itself"
            )));
        }
    };
    if !matches!(format, Format::Qdpx) {
        let s = std::str::from_utf8(&output.bytes).expect("text exports are UTF-8");
        export.check(&format!("the {format:?} text"), s)?;
    }
    Ok(output)
}

/// The path from folder `from` to `to`, both absolute (`../fieldwork` and the like).
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for c in &to[common..] {
        path.push(c);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        let r = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(r("/w/out", "/w/journal"), PathBuf::from("../journal"));
        assert_eq!(r("/w/journal", "/w/journal"), PathBuf::new());
        assert_eq!(r("/w/journal/reports", "/w/journal"), PathBuf::from(".."));
        assert_eq!(r("/w", "/w/journal"), PathBuf::from("journal"));
    }
}
