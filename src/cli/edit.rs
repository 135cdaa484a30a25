//! Changing an existing entry from the command line: `tag` adds and removes codes (the
//! CLI's quick tagging), `edit` replaces the title or body. Both save through the store,
//! so a file changed on disk since it was read is refused, never overwritten.

use super::add::{edit_in_editor, resolve_code};
use super::args::Global;
use super::show::find_entry;
use super::{CliError, CliResult, open_journal};
use crate::store::StoreError;
use clap::Args;

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// Codes to add: id, key or name
    pub codes: Vec<String>,
    /// A code to remove (repeatable)
    #[arg(long, short, value_name = "CODE")]
    pub remove: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// The new title (empty removes it)
    #[arg(long)]
    pub title: Option<String>,
    /// The new body, or `-` to read standard input; with no option $EDITOR opens
    #[arg(long)]
    pub body: Option<String>,
    /// A line to add at the end of the body
    #[arg(long, value_name = "TEXT")]
    pub append: Option<String>,
}

pub fn tag(global: &Global, args: TagArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    if opened.store.is_read_only() {
        return Err(StoreError::ReadOnly.into());
    }
    if args.codes.is_empty() && args.remove.is_empty() {
        return Err(CliError::usage("name a code to add, or one to --remove"));
    }
    let journal = &opened.journal;
    let mut entry = find_entry(journal, &args.id)?.clone();
    let resolve = |names: &[String]| -> Result<Vec<String>, CliError> {
        names.iter().map(|n| resolve_code(journal, n)).collect()
    };
    let (add, remove) = (resolve(&args.codes)?, resolve(&args.remove)?);
    let mut changes = Vec::new();
    for code in &remove {
        if entry.has_code(code) {
            entry.toggle_code(code);
            changes.push(format!("-{code}"));
        }
    }
    for code in &add {
        if !entry.has_code(code) {
            entry.toggle_code(code);
            changes.push(format!("+{code}"));
        }
    }
    if changes.is_empty() {
        println!("{}: nothing changed", entry.id);
        return Ok(());
    }
    opened.store.save_entry(&entry)?;
    println!("{}: {}", entry.id, changes.join(" "));
    let message = format!("entry {}: {}", entry.id, changes.join(" "));
    super::autocommit(&opened, global, &[], &message);
    Ok(())
}

pub fn edit(global: &Global, args: EditArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    if opened.store.is_read_only() {
        return Err(StoreError::ReadOnly.into());
    }
    let mut entry = find_entry(&opened.journal, &args.id)?.clone();
    if let Some(title) = &args.title {
        entry.title = title.trim().to_string();
    }
    match args.body.as_deref() {
        Some("-") => {
            let mut body = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut body)?;
            entry.body = body;
        }
        Some(text) => entry.body = text.to_string(),
        None if args.title.is_none() && args.append.is_none() => {
            entry.body = edit_in_editor(&entry.body)?;
        }
        None => {}
    }
    if let Some(more) = &args.append {
        if !entry.body.is_empty() && !entry.body.ends_with('\n') {
            entry.body.push('\n');
        }
        entry.body.push_str(more);
        entry.body.push('\n');
    }
    opened.store.save_entry(&entry)?;
    println!("{}", entry.id);
    super::autocommit(&opened, global, &[], &format!("entry {}: edited", entry.id));
    Ok(())
}
