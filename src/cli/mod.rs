//! The command line: argument definitions, one file per subcommand, and the journal
//! lookup they share. `main.rs` only calls `run`.

mod accounts;
mod add;
mod args;
mod check;
mod code;
mod codes;
mod codes_import;
mod comment;
mod demo;
mod edit;
mod export;
mod import;
mod init;
mod list;
mod live;
mod output;
mod progress;
mod rm;
#[cfg(feature = "serve")]
mod serve;
mod show;
mod stats;
mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

pub use add::edit_in_editor;
pub use args::{Cli, Command};

use crate::store::{self, Opened, StoreError, locate};

/// An error for people, at the command line's boundary: what happened (`message`),
/// what to do about it (`hints`, printed as `hint:` lines), and the error it came from.
/// Exit code 1, or 2 for a command that was used wrongly.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub usage: bool,
    pub hints: Vec<String>,
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CliError {
    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            usage: false,
            hints: Vec::new(),
            source: None,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            usage: true,
            ..CliError::failed(message)
        }
    }

    /// Only an exit code; what went wrong was already printed.
    pub fn silent() -> Self {
        CliError::failed("")
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// A time that could not be read, with the forms a time may take.
    pub fn time(e: crate::model::time::TimeInputError) -> Self {
        CliError::usage(e.to_string()).with_hint(crate::model::time::TimeInputError::HINT)
    }

    /// What is printed: the message, then each hint on its own line.
    pub fn report(&self) -> String {
        let mut text = self.message.clone();
        for hint in &self.hints {
            text.push_str("\n  hint: ");
            text.push_str(hint);
        }
        text
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        let mut error = CliError::failed(e.to_string());
        error.hints.extend(e.hint());
        error.source = Some(Box::new(e));
        error
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::caused_by(e)
    }
}

impl From<crate::tui::Error> for CliError {
    fn from(e: crate::tui::Error) -> Self {
        CliError::caused_by(e)
    }
}

impl CliError {
    /// A failure whose message is its cause's.
    fn caused_by(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        let message = e.to_string();
        CliError {
            source: Some(Box::new(e)),
            ..CliError::failed(message)
        }
    }
}

pub type CliResult = Result<(), CliError>;

/// Does `path` end in `.ext` (any case)?
fn has_extension(path: &std::path::Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Parse the arguments, run the command, and turn the outcome into an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.message.is_empty() {
                // Messages quote file names and values from the journal: no escapes.
                eprintln!("error: {}", crate::model::text::sanitize(&e.report()));
            }
            ExitCode::from(if e.usage { 2 } else { 1 })
        }
    }
}

fn dispatch(cli: Cli) -> CliResult {
    let global = &cli.global;
    #[cfg(feature = "serve")]
    let serving = matches!(cli.command, Some(Command::Serve(_)));
    #[cfg(not(feature = "serve"))]
    let serving = false;
    if global.review && global.author.is_none() && !serving {
        return Err(CliError::usage(
            "--review needs --as NAME: the name your comments are signed with",
        ));
    }
    match cli.command {
        None => interface(global),
        Some(Command::Init(a)) => init::run(a),
        Some(Command::Add(a)) => add::run(global, a),
        Some(Command::List(a)) => list::run(global, a),
        Some(Command::Tag(a)) => edit::tag(global, a),
        Some(Command::Code(a)) => code::run(global, a),
        Some(Command::Edit(a)) => edit::edit(global, a),
        Some(Command::Show(a)) => show::run(global, a),
        Some(Command::Live(a)) => live::run(global, a),
        Some(Command::Rm(a)) => rm::rm(global, a),
        Some(Command::Restore(a)) => rm::restore(global, a),
        Some(Command::Accounts(a)) => accounts::run(global, a),
        Some(Command::Codes(a)) => codes::run(global, a),
        Some(Command::Check(a)) => check::run(global, a),
        Some(Command::Demo(a)) => demo::run(global, a),
        Some(Command::Comment(a)) => comment::run(global, a),
        Some(Command::Comments(a)) => comment::list(global, a),
        Some(Command::Sync(a)) => sync::run(global, a),
        #[cfg(feature = "serve")]
        Some(Command::Serve(a)) => serve::run(global, a),
        Some(Command::Import(a)) => import::run(global, a),
        Some(Command::Stats(a)) => stats::run(global, a),
        Some(Command::Export(a)) => export::run(global, a),
    }
}

/// The terminal interface on the journal `global` names. It takes over the terminal
/// with the newest entries first, then loads the whole journal.
pub fn interface(global: &args::Global) -> CliResult {
    let root = find_root(global)?;
    let starting = crate::tui::Starting::begin(&root, global.access())?;
    // With a first frame on the screen, that frame says it is opening. Keys are taken
    // as soon as the journal is loaded, while its cache may still be being written.
    let options = store::LoadOptions {
        cache_behind: true,
        ..Default::default()
    };
    let opened = match open_root(global, &root, options, !starting.shows_frame()) {
        Ok(opened) => opened,
        Err(e) => {
            starting.abandon();
            return Err(e);
        }
    };
    let author = author_name(global, &opened.journal.settings);
    let errors = error_count(&opened);
    crate::tui::run_local(starting, opened, global.access(), &author)?;
    // The interface shows the count too; this stays once it is gone.
    warn_of_problems(errors, &root);
    Ok(())
}

/// The journal this command works on, loaded; load problems are summed up on stderr
/// (`check` lists them).
pub fn open_journal(global: &args::Global) -> Result<Opened, CliError> {
    open_journal_with(global, store::LoadOptions::default())
}

/// `open_journal`, loading as `options` say.
pub fn open_journal_with(
    global: &args::Global,
    options: store::LoadOptions,
) -> Result<Opened, CliError> {
    let root = find_root(global)?;
    let opened = open_root(global, &root, options, true)?;
    warn_of_problems(error_count(&opened), &root);
    Ok(opened)
}

/// The journal at `root`, loaded as `options` say with the access `global` gives, with a
/// spinner on a terminal when that takes long and `progress` is wanted.
fn open_root(
    global: &args::Global,
    root: &Path,
    options: store::LoadOptions,
    progress: bool,
) -> Result<Opened, CliError> {
    // Quick with the load cache; the first start of a large journal builds it.
    let working = progress.then(|| {
        progress::Progress::working_after(
            "opening the journal",
            std::time::Duration::from_millis(400),
        )
    });
    let opened = store::open_with(root, options);
    if let Some(working) = working {
        working.finish();
    }
    let mut opened = opened?;
    opened.store.set_access(global.access());
    Ok(opened)
}

fn error_count(opened: &Opened) -> usize {
    opened.problems.iter().filter(|p| p.is_error()).count()
}

fn warn_of_problems(errors: usize, root: &Path) {
    if errors > 0 {
        eprintln!(
            "warning: {errors} problem{} in {} (run `fieldnote check` to list them)",
            if errors == 1 { "" } else { "s" },
            root.display()
        );
    }
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

/// Refuse to write entries where this run may not (`--read-only`, `--review`).
pub fn require_entries_writable(store: &crate::store::Store) -> CliResult {
    match store.access() {
        crate::store::Access::Full => Ok(()),
        crate::store::Access::ReadOnly => Err(StoreError::ReadOnly.into()),
        crate::store::Access::CommentsOnly => Err(StoreError::CommentsOnly {
            path: "entries/".into(),
        }
        .into()),
    }
}

/// The name comments are signed with: `--as`, else the journal's first researcher, else
/// git's user.name, else the login name.
pub fn author_name(global: &args::Global, settings: &crate::model::Settings) -> String {
    let found = global
        .author
        .clone()
        .or_else(|| settings.researchers.first().cloned())
        .or_else(init::git_user_name)
        .or_else(|| std::env::var("USER").ok())
        .map(|name| crate::model::text::one_line(&name))
        .unwrap_or_default();
    if found.is_empty() {
        settings.first_researcher()
    } else {
        found
    }
}

/// After a save from the command line: commit it when autocommit is on, and say so on
/// stderr. A failed commit is a warning: the save stands. What is committed is every
/// file the store wrote (so no command's write is left out) and `paths` (files written
/// beside the store, such as attached media).
pub fn autocommit(opened: &Opened, global: &args::Global, paths: &[String], message: &str) {
    use crate::store::git::{Committed, autocommit};
    let mut all: Vec<String> = opened.store.written().cloned().collect();
    all.extend(
        paths
            .iter()
            .filter(|p| !all.contains(p))
            .cloned()
            .collect::<Vec<_>>(),
    );
    if all.is_empty() {
        return;
    }
    let paths = &all;
    let author = global
        .review
        .then(|| author_name(global, &opened.journal.settings));
    match autocommit(
        opened.store.root(),
        &opened.journal.settings,
        paths,
        message,
        author.as_deref(),
    ) {
        Ok(Committed::Commit(hash)) => {
            eprintln!("committed {hash}: {}", message.lines().next().unwrap_or(""))
        }
        Ok(Committed::NoRepository) => eprintln!(
            "warning: [git] autocommit is on, but {} is not in a git repository: nothing was committed",
            opened.store.root().display()
        ),
        Ok(Committed::Off | Committed::NothingToCommit) => {}
        Err(e) => eprintln!(
            "warning: saved, but the commit failed: {e}\n  hint: the change is saved on disk; commit it with git when the problem is fixed"
        ),
    }
}
