//! The built-in sample journal (fictional data from the founding study's setting), and
//! a generator of large realistic journals for benchmarks.

mod generate;

use std::path::Path;

pub use generate::generate;

use crate::store::write_atomic;

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The starter codebook of a new journal: the founding study's four coding dimensions
/// and three analytic themes.
pub const STARTER_CODEBOOK: &str = include_str!("../../assets/codebook.toml");

/// Write the sample journal into `dir`, which must not hold a journal yet.
pub fn write_sample(dir: &Path) -> std::io::Result<()> {
    for (rel, bytes) in DEMO_FILES {
        write_atomic(&dir.join(rel), bytes)?;
    }
    write_atomic(
        &dir.join(crate::store::paths::CODEBOOK),
        STARTER_CODEBOOK.as_bytes(),
    )?;
    write_atomic(&dir.join(".gitignore"), GITIGNORE.as_bytes())
}

/// What a journal's `.gitignore` holds: the rebuildable cache and drafts.
pub const GITIGNORE: &str =
    "# fieldnote's cache and editor drafts: rebuilt or offered back, never shared\n.fieldnote/\n";

/// The demo's screenshots, for generated journals to refer to.
pub fn sample_media() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    DEMO_FILES
        .iter()
        .filter(|(rel, _)| rel.starts_with("media/"))
        .map(|(rel, bytes)| (*rel, *bytes))
}
