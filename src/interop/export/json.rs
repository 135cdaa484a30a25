//! The whole model as one JSON document, stable across versions of format 1: fields are
//! only ever added. Every field is documented in docs/export.md.

use serde::Serialize;

use super::{Export, ExportError};
use crate::model::{Account, Code, Comment, Entry, Group, Settings};

/// Names the document's shape; bumped only if a field changes meaning or goes away.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u32,
    generator: String,
    pseudonymised: bool,
    filter: &'a str,
    settings: &'a Settings,
    codebook: CodebookView<'a>,
    accounts: &'a [Account],
    entries: Vec<&'a Entry>,
    /// Every passage once per code, with its place in code points (docs/export.md).
    passages: Vec<super::passages::PassageRow<'a>>,
    comments: Vec<&'a Comment>,
}

#[derive(Serialize)]
struct CodebookView<'a> {
    groups: &'a [Group],
    codes: &'a [Code],
}

pub fn document(export: &Export) -> Result<String, ExportError> {
    let journal = &export.journal;
    let doc = Document {
        format: "fieldnote-export",
        version: VERSION,
        generator: format!("fieldnote {}", env!("CARGO_PKG_VERSION")),
        pseudonymised: export.is_pseudonymised(),
        filter: &export.filter,
        settings: &journal.settings,
        codebook: CodebookView {
            groups: &journal.codebook.groups,
            codes: &journal.codebook.codes,
        },
        accounts: &journal.accounts,
        entries: export.entries().collect(),
        passages: super::passages::rows(export),
        comments: export.comments(),
    };
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| ExportError::Invalid(format!("cannot write JSON: {e}")))?;
    // Inert on a terminal, the same JSON to a program (`\u009b` is U+009B).
    let mut text = crate::model::text::escape_unsafe_json(&text).into_owned();
    text.push('\n');
    Ok(text)
}
