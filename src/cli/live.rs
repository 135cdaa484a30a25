//! `fieldnote live`: a live session from standard input, one moment a line, stamped as
//! each line is read; saved as one entry when the input ends (see `model::live`).

use std::io::BufRead;

use clap::Args;

use super::args::Global;
use super::{CliError, CliResult, open_journal};
use crate::analysis::names;
use crate::model::Moment;
use crate::model::live::LiveSession;
use crate::model::text::one_line;
use crate::model::time::parse_when;

#[derive(Debug, Args)]
pub struct LiveArgs {
    /// The account whose live this is
    #[arg(long = "account", short = 'a')]
    pub account: String,
    /// The entry's title (default: `Live: @ACCOUNT`)
    #[arg(long)]
    pub title: Option<String>,
    /// When the live began, when you joined late (`10 min ago`, `20:05`); default: now
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub began: Option<String>,
}

pub fn run(global: &Global, args: LiveArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    super::require_entries_writable(&opened.store)?;
    let journal = &opened.journal;
    let tz = journal.settings.time_zone();
    let account = names::resolve_account(journal, &args.account)
        .map_err(|e| CliError::failed(one_line(&e.to_string())))?;
    let now = || Moment::in_zone(crate::store::clock::now(), &tz);
    let began = match &args.began {
        Some(t) => parse_when(t, &tz, crate::store::clock::now()).map_err(CliError::time)?,
        None => now(),
    };
    let mut session = LiveSession::new(&account, args.title.as_deref().unwrap_or(""), began);
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        let (at, rest) = stamped(&line, &tz).unwrap_or_else(|| (now(), line.as_str()));
        let Some(noted) = names::noted_line(journal, rest) else {
            continue;
        };
        for u in &noted.unknown {
            eprintln!("warning: {}; kept as text", one_line(&u.to_string()));
        }
        session.note(at, noted.text, noted.codes);
    }
    if session.moments.is_empty() {
        return Err(CliError::failed(
            "nothing was noted: no moment came on standard input",
        ));
    }
    let ended = session.ended_by(now());
    let id = opened.store.new_entry_id(journal, &began);
    let entry = session.to_entry(id, ended, now());
    opened.store.save_entry(&entry)?;
    println!("{}", entry.id);
    eprintln!(
        "live session of @{account}: {}, {}",
        crate::model::text::counted(session.moments.len(), "moment", "moments"),
        crate::model::live::duration_words(began.timestamp, ended.timestamp)
    );
    let paths = [opened.store.entry_path(&entry)];
    let message = crate::store::git::entry_message(&entry);
    opened.journal.upsert_entry(entry);
    super::autocommit(&opened, global, &paths, &message);
    Ok(())
}

/// A line that starts with its own time, `[21:17:30] words` (a moment transcribed
/// later, from a recording): that time, and the rest.
fn stamped<'a>(line: &'a str, tz: &jiff::tz::TimeZone) -> Option<(Moment, &'a str)> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (clock, words) = rest.split_once(']')?;
    let at = parse_when(clock, tz, crate::store::clock::now()).ok()?;
    Some((at, words.trim_start()))
}
