//! `fieldnote codes import FILE`: merge a REFI-QDA codebook (`.qdc`, or the codebook of
//! a `.qdpx`) or a codebook CSV (Taguette's) made in another tool into codebook.toml;
//! `fieldnote codes export FILE`: write the codebook in either format.

use std::path::PathBuf;

use clap::Args;

use super::args::Global;
use super::{CliError, CliResult, has_extension, open_journal};
use crate::interop::export::refi;
use crate::interop::import::qdc;
use crate::interop::taguette;
use crate::model::text::one_line;
use crate::store::write_atomic;

#[derive(Debug, Args)]
pub struct CodesImportArgs {
    /// A REFI-QDA codebook (.qdc) or project (.qdpx), or a codebook CSV (.csv)
    pub file: PathBuf,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(global: &Global, args: CodesImportArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::failed(format!("{}: {e}", args.file.display())))?;
    let current = &opened.journal.codebook;
    let (book, summary) = if is_csv(&args.file) {
        let text = String::from_utf8(bytes).map_err(|e| {
            CliError::failed(format!(
                "{}: not UTF-8 text (byte {})",
                args.file.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        let tags = taguette::read_codebook(&text)
            .map_err(|e| CliError::failed(format!("{}: {}", args.file.display(), one_line(&e))))?;
        qdc::merge_tags(current, &tags)
    } else {
        let (roots, warnings) = qdc::read_checked(&bytes)
            .map_err(|e| CliError::failed(format!("{}: {e}", args.file.display())))?;
        report_schema_warnings(&args.file, &warnings);
        qdc::merge(current, &roots)
    };
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
        let message = format!(
            "codebook: imported {} ({} codes added, {} updated)",
            args.file.display(),
            summary.codes_added,
            summary.codes_updated
        );
        super::autocommit(&opened, global, &[], &message);
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct CodesExportArgs {
    /// Where to write: `.csv` for Taguette's codebook CSV, `.qdc` for REFI-QDA
    pub file: PathBuf,
}

/// `codes export FILE`: the codebook in the format the file's extension names.
pub fn export(global: &Global, args: CodesExportArgs) -> CliResult {
    let opened = open_journal(global)?;
    let book = &opened.journal.codebook;
    let (bytes, format) = if is_csv(&args.file) {
        (taguette::write_codebook(book), "Taguette's codebook CSV")
    } else if has_extension(&args.file, "qdc") {
        let xml = refi::codebook(book).map_err(|e| CliError::failed(e.to_string()))?;
        (xml, "a REFI-QDA codebook")
    } else {
        return Err(CliError::usage(format!(
            "{}: name the file .csv (Taguette) or .qdc (REFI-QDA: QualCoder, ATLAS.ti, NVivo, MAXQDA)",
            args.file.display()
        )));
    };
    write_atomic(&args.file, bytes.as_bytes())
        .map_err(|e| CliError::failed(format!("{}: {e}", args.file.display())))?;
    eprintln!(
        "wrote {} code{} as {format} to {}",
        book.codes.len(),
        plural(book.codes.len()),
        args.file.display()
    );
    Ok(())
}

fn is_csv(path: &std::path::Path) -> bool {
    has_extension(path, "csv")
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
        eprintln!("  {}", one_line(w));
    }
    if warnings.len() > SHOWN {
        eprintln!("  ... and {} more", warnings.len() - SHOWN);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
