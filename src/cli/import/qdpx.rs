//! `fieldnote import qdpx FILE`: codings made in a QDA tool brought back onto the
//! journal (the rules are in `interop::import::qdpx`).

use std::path::PathBuf;

use clap::Args;

use crate::cli::args::Global;
use crate::cli::output::truncate;
use crate::cli::{CliError, CliResult, open_journal};
use crate::interop::import::qdpx::{self, QdpxPlan};
use crate::model::text::one_line;
use crate::store::StoreError;

#[derive(Debug, Args)]
pub struct QdpxArgs {
    /// The REFI-QDA project (.qdpx) exported by QualCoder, NVivo, ATLAS.ti or MAXQDA
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Show what would change, and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
}

/// Lines listed of each kind (entries coded, sources unmatched, selections unplaced).
const SHOWN: usize = 40;

pub fn run(global: &Global, args: QdpxArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    if opened.store.is_read_only() && !args.dry_run {
        return Err(StoreError::ReadOnly.into());
    }
    let file = args.file.display().to_string();
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::failed(format!("cannot read {file}: {e}")))?;
    let project = qdpx::read(&bytes).map_err(|e| CliError::failed(format!("{file}: {e}")))?;
    if !project.warnings.is_empty() {
        eprintln!(
            "warning: {file}: its codebook does not follow the REFI-QDA schema ({} problem(s)); read as far as possible",
            project.warnings.len()
        );
    }
    let plan = qdpx::plan(&opened.journal, &project);
    print_plan(&plan, args.dry_run);
    if args.dry_run {
        println!("Dry run: nothing was written.");
        return Ok(());
    }
    if plan.codebook != opened.journal.codebook {
        opened.store.save_codebook(&plan.codebook)?;
    }
    let mut failures = Vec::new();
    for coded in &plan.entries {
        if let Err(e) = opened.store.save_entry(&coded.entry) {
            failures.push(format!("{}: {e}", coded.entry.id));
        }
    }
    let message = format!(
        "import qdpx: {} codings on {} entries from {}",
        plan.codings_added(),
        plan.entries.len() - failures.len(),
        args.file
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned())
    );
    crate::cli::autocommit(&opened, global, &[], &message);
    for failure in &failures {
        eprintln!("error: {}", one_line(failure));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::failed(format!(
            "{} entr{} could not be saved (listed above); the rest was written",
            failures.len(),
            if failures.len() == 1 { "y" } else { "ies" }
        )))
    }
}

fn print_plan(plan: &QdpxPlan, dry_run: bool) {
    let would = |did: &'static str, will: &'static str| if dry_run { will } else { did };
    let c = &plan.codebook_summary;
    println!(
        "codebook: {} {} group(s) and {} code(s); {} code(s) updated, {} matched unchanged",
        would("added", "would add"),
        c.groups_added,
        c.codes_added,
        c.codes_updated,
        c.codes_unchanged
    );
    for coded in plan.entries.iter().take(SHOWN) {
        let mut what: Vec<String> = coded.codes.iter().map(|c| format!("+{c}")).collect();
        for (quote, codes) in &coded.passages {
            what.push(format!(
                "passage «{}» +{}",
                truncate(&one_line(quote), 40),
                codes.join(" +")
            ));
        }
        println!("  {}  {}", coded.entry.id, what.join(", "));
    }
    if plan.entries.len() > SHOWN {
        println!("  ... and {} more entries", plan.entries.len() - SHOWN);
    }
    list("source(s) match no entry", &plan.unmatched);
    list("coding(s) could not be placed", &plan.unplaced);
    let [guid, name, text] = plan.matched;
    println!(
        "{} {} coding(s) on {} entr{}; coded sources matched by guid {guid}, by name {name}, by text {text}; {} unmatched",
        would("Added", "Would add"),
        plan.codings_added(),
        plan.entries.len(),
        if plan.entries.len() == 1 { "y" } else { "ies" },
        plan.unmatched.len()
    );
}

fn list(what: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    eprintln!("note: {} {what}:", lines.len());
    for line in lines.iter().take(SHOWN) {
        eprintln!("  {}", one_line(line));
    }
    if lines.len() > SHOWN {
        eprintln!("  ... and {} more", lines.len() - SHOWN);
    }
}
