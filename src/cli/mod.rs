//! The command line: argument definitions, one file per subcommand, and the journal
//! lookup they share. `main.rs` only calls `run`.

mod accounts;
mod add;
mod args;
mod check;
mod codes;
mod demo;
mod edit;
mod import;
mod init;
mod list;
mod output;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

pub use add::edit_in_editor;
pub use args::{Cli, Command};

use crate::store::{self, Opened, StoreError, locate};

/// An error for people: what happened, and usually a `hint:` line. Exit code 1, or 2
/// for a command that was used wrongly.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub usage: bool,
}

impl CliError {
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            usage: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            usage: true,
        }
    }

    /// Only an exit code; what went wrong was already printed.
    pub fn silent() -> Self {
        CliError::failed("")
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::failed(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::failed(e.to_string())
    }
}

pub type CliResult = Result<(), CliError>;

/// Parse the arguments, run the command, and turn the outcome into an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                // Messages quote file names and values from the journal: no escapes.
                eprintln!("error: {}", crate::model::text::sanitize(&e.message));
            }
            ExitCode::from(if e.usage { 2 } else { 1 })
        }
    }
}

fn dispatch(cli: Cli) -> CliResult {
    let global = &cli.global;
    match cli.command {
        None => crate::tui::run_on_journal(open_journal(global)?, global.tui_mode()),
        Some(Command::Init(a)) => init::run(a),
        Some(Command::Add(a)) => add::run(global, a),
        Some(Command::List(a)) => list::run(global, a),
        Some(Command::Tag(a)) => edit::tag(global, a),
        Some(Command::Edit(a)) => edit::edit(global, a),
        Some(Command::Show(a)) => show::run(global, a),
        Some(Command::Accounts(a)) => accounts::run(global, a),
        Some(Command::Codes(a)) => codes::run(global, a),
        Some(Command::Check(a)) => check::run(global, a),
        Some(Command::Demo(a)) => demo::run(global, a),
        Some(Command::Import(a)) => import::run(global, a),
    }
}

/// The journal this command works on, loaded; load problems are summed up on stderr
/// (`check` lists them).
pub fn open_journal(global: &args::Global) -> Result<Opened, CliError> {
    let root = find_root(global)?;
    let mut opened = store::open(&root)?;
    opened.store.set_read_only(global.read_only);
    let errors = opened.problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        eprintln!(
            "warning: {errors} problem{} in {} (run `fieldnote check` to list them)",
            if errors == 1 { "" } else { "s" },
            root.display()
        );
    }
    Ok(opened)
}

fn find_root(global: &args::Global) -> Result<PathBuf, CliError> {
    let cwd = std::env::current_dir()?;
    let env = std::env::var_os("FIELDNOTE_JOURNAL").map(PathBuf::from);
    match locate::find_journal(global.journal.as_deref(), env.as_deref(), &cwd) {
        Some(found) => Ok(found.root),
        None => {
            let default = locate::default_journal()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "~/.local/share/fieldnote/journal".into());
            Err(CliError::failed(format!(
                "no journal found: none given with --journal or $FIELDNOTE_JOURNAL, no journal.toml in {} or above, and no default journal at {default}\n  hint: `fieldnote init` makes a journal in the current folder; `fieldnote demo` shows a sample one",
                cwd.display()
            )))
        }
    }
}
