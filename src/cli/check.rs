use super::args::Global;
use super::{CliError, CliResult, find_root};
use crate::model::text::counted;
use crate::store::{LoadOptions, open_with};
use clap::Args;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,
}

pub fn run(global: &Global, args: CheckArgs) -> CliResult {
    let root = find_root(global)?;
    let working = super::progress::Progress::working("checking");
    let opened = open_with(
        &root,
        LoadOptions {
            deep: true,
            ..Default::default()
        },
    );
    working.finish();
    let opened = opened?;
    for p in &opened.problems {
        println!("{p}");
    }
    let errors = opened.problems.iter().filter(|p| p.is_error()).count();
    let warnings = opened.problems.len() - errors;
    let j = &opened.journal;
    eprintln!(
        "checked {}, {}, {}, {}: {}, {}",
        counted(j.entries.len(), "entry", "entries"),
        counted(j.accounts.len(), "account", "accounts"),
        counted(j.codebook.codes.len(), "code", "codes"),
        counted(j.comments.len(), "comment", "comments"),
        counted(errors, "error", "errors"),
        counted(warnings, "warning", "warnings"),
    );
    if errors > 0 || (args.strict && warnings > 0) {
        return Err(CliError::silent());
    }
    Ok(())
}
