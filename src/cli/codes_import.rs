//! `fieldnote codes import FILE`: merge a REFI-QDA codebook (`.qdc`, or the codebook of
//! a `.qdpx`) made in another tool into codebook.toml.

use std::path::PathBuf;

use clap::Args;

use super::args::Global;
use super::{CliError, CliResult, open_journal};
use crate::interop::qdc_import;

#[derive(Debug, Args)]
pub struct CodesImportArgs {
    /// A REFI-QDA codebook (.qdc) or project (.qdpx)
    pub file: PathBuf,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(global: &Global, args: CodesImportArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::failed(format!("{}: {e}", args.file.display())))?;
    let (roots, warnings) = qdc_import::read_checked(&bytes)
        .map_err(|e| CliError::failed(format!("{}: {e}", args.file.display())))?;
    report_schema_warnings(&args.file, &warnings);
    let current = &opened.journal.codebook;
    let (book, summary) = qdc_import::merge(current, &roots);
    let verb = if args.dry_run { "would add" } else { "added" };
    println!(
        "{verb} {} group{} and {} code{}; {} code{} updated, {} unchanged",
        summary.groups_added,
        plural(summary.groups_added),
        summary.codes_added,
        plural(summary.codes_added),
        summary.codes_updated,
        plural(summary.codes_updated),
        summary.codes_unchanged
    );
    if !args.dry_run && book != *current {
        opened.store.save_codebook(&book)?;
    }
    Ok(())
}

/// Schema problems of the file: it was read anyway, as far as it could be.
fn report_schema_warnings(file: &std::path::Path, warnings: &[String]) {
    const SHOWN: usize = 10;
    if warnings.is_empty() {
        return;
    }
    eprintln!(
        "warning: {} does not follow the REFI-QDA codebook schema ({} problem{}); read as far as possible:",
        file.display(),
        warnings.len(),
        plural(warnings.len())
    );
    for w in warnings.iter().take(SHOWN) {
        eprintln!("  {}", crate::model::text::one_line(w));
    }
    if warnings.len() > SHOWN {
        eprintln!("  ... and {} more", warnings.len() - SHOWN);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
