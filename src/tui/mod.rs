//! The terminal interface.

use crate::cli::CliResult;
use crate::store::Opened;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Edit,
    ReadOnly,
}

pub fn run_on_journal(opened: &Opened, _mode: Mode) -> CliResult {
    println!(
        "{}: {} entries",
        opened.store.root().display(),
        opened.journal.entries.len()
    );
    Ok(())
}
