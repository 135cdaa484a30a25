use super::args::{CheckArgs, Global};
use super::{CliError, CliResult, find_root};
use crate::store::{LoadOptions, open_with};

pub fn run(global: &Global, args: CheckArgs) -> CliResult {
    let root = find_root(global)?;
    let opened = open_with(
        &root,
        LoadOptions {
            deep: true,
            ..Default::default()
        },
    )?;
    for p in &opened.problems {
        println!("{p}");
    }
    let errors = opened.problems.iter().filter(|p| p.is_error()).count();
    let warnings = opened.problems.len() - errors;
    let j = &opened.journal;
    eprintln!(
        "checked {} entries, {} accounts, {} codes, {} comments: {errors} error{}, {warnings} warning{}",
        j.entries.len(),
        j.accounts.len(),
        j.codebook.codes.len(),
        j.comments.len(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    if errors > 0 || (args.strict && warnings > 0) {
        return Err(CliError::silent());
    }
    Ok(())
}
