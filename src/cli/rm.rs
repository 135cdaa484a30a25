//! `rm` moves an entry (with its comments and the screenshots only it uses) to the
//! journal's trash; `restore` brings it back; `restore --list` shows the trash.

use clap::Args;
use std::io::{BufRead, IsTerminal, Write};

use super::args::Global;
use super::show::find_entry;
use super::{CliError, CliResult, open_journal};
use crate::model::Moment;
use crate::model::text::{counted, one_line};
use crate::store::StoreError;
use crate::store::trash::{DIR, Trashed};

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// Remove without asking (needed where there is no terminal to ask on)
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The full id of the trashed entry (see --list)
    pub id: Option<String>,
    /// List what the trash holds
    #[arg(long)]
    pub list: bool,
}

pub fn rm(global: &Global, args: RmArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    if opened.store.is_read_only() {
        return Err(StoreError::ReadOnly.into());
    }
    let entry = find_entry(&opened.journal, &args.id)?;
    let id = entry.id.clone();
    let comments = opened.journal.comments_on(&id).count();
    let what = format!(
        "{id} \"{}\"{}",
        one_line(entry.headline()),
        if comments > 0 {
            format!(" with {}", counted(comments, "comment", "comments"))
        } else {
            String::new()
        }
    );
    if !args.yes && !confirmed(&format!("Move {what} to the trash?"))? {
        return Err(CliError::failed(format!(
            "{id} was not removed (--yes removes without asking)"
        )));
    }
    let now = Moment::in_zone(
        crate::store::clock::now(),
        &opened.journal.settings.time_zone(),
    );
    let trashed = opened.store.trash_entry(&opened.journal, &id, now)?;
    eprintln!("moved {what} to {DIR}/{id}/ (fieldnote restore {id} brings it back)");
    let message = format!("remove entry {id}: {}", one_line(&trashed.title));
    super::autocommit(&opened, global, &files(&trashed), &message);
    Ok(())
}

pub fn restore(global: &Global, args: RestoreArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    if args.list || args.id.is_none() {
        let trash = opened.store.trashed();
        if trash.is_empty() {
            eprintln!("the trash is empty");
        }
        for t in trash {
            println!("{}  {}  {}", t.id, t.trashed_at.short(), one_line(&t.title));
        }
        return Ok(());
    }
    if opened.store.is_read_only() {
        return Err(StoreError::ReadOnly.into());
    }
    let id = args.id.unwrap_or_default();
    let trashed = opened.store.restore_entry(&id)?;
    eprintln!(
        "restored {id} \"{}\" ({} back in place)",
        one_line(&trashed.title),
        counted(files(&trashed).len(), "file", "files")
    );
    let message = format!("restore entry {id}: {}", one_line(&trashed.title));
    super::autocommit(&opened, global, &files(&trashed), &message);
    Ok(())
}

fn files(t: &Trashed) -> Vec<String> {
    t.files().cloned().collect()
}

/// Ask on the terminal; without one (a script, a pipe) the answer is no, so that
/// nothing is removed that nobody confirmed.
fn confirmed(question: &str) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}
