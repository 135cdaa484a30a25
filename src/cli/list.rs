use super::args::{FilterArgs, Global};
use super::output::{entry_row, print_json, terminal_width};
use super::{CliError, CliResult, open_journal_with};
use crate::analysis::Filter;
use crate::analysis::search::Query;
use crate::model::{
    Journal, UnknownKind,
    time::{parse_until, parse_when},
};
use crate::store::LoadOptions;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ListFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Oldest first
    #[arg(long, short = 'r')]
    pub reverse: bool,
    /// At most this many entries
    #[arg(long, short = 'n')]
    pub limit: Option<usize>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

pub fn run(global: &Global, args: ListArgs) -> CliResult {
    // The rows show no body and, without --text, nothing searches one: the bodies the
    // cache holds are not decoded.
    let options = LoadOptions {
        no_texts: args.format == ListFormat::Text && args.filter.text.is_none(),
        ..LoadOptions::default()
    };
    let opened = open_journal_with(global, options)?;
    let journal = &opened.journal;
    let filter = build_filter(journal, &args.filter)?;
    let mut indices = filter.apply(journal, None);
    if !args.reverse {
        indices.reverse();
    }
    if let Some(n) = args.limit {
        indices.truncate(n);
    }
    match args.format {
        ListFormat::Json => {
            let entries: Vec<_> = indices.iter().map(|&i| &journal.entries[i]).collect();
            print_json(&entries)
        }
        ListFormat::Text => {
            let width = terminal_width();
            let mut out = String::with_capacity(indices.len() * 100);
            for &i in &indices {
                out.push_str(&entry_row(&journal.entries[i], width));
                out.push('\n');
            }
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = stdout.write_all(out.as_bytes());
            // The process ends now: freeing a large journal string by string would only
            // make the shell prompt wait (a quarter of a second at 100,000 entries).
            std::mem::forget(opened);
            Ok(())
        }
    }
}

/// Turn command-line filter flags into a `Filter`, checking names against the journal
/// so a typo is an error with suggestions rather than an empty list.
pub fn build_filter(journal: &Journal, args: &FilterArgs) -> Result<Filter, CliError> {
    let tz = journal.settings.time_zone();
    let now = crate::store::clock::now();
    let codes = |names: &[String]| -> Result<Vec<String>, CliError> {
        names
            .iter()
            .map(|n| super::add::resolve_code(journal, n))
            .collect()
    };
    let mut filter = Filter {
        accounts: args
            .accounts
            .iter()
            .map(|a| super::add::resolve_account(journal, a))
            .collect::<Result<_, _>>()?,
        all_codes: codes(&args.codes)?,
        any_codes: codes(&args.any_codes)?,
        not_codes: codes(&args.not_codes)?,
        kinds: args
            .kinds
            .iter()
            .map(|k| {
                k.parse()
                    .map_err(|e: UnknownKind| CliError::usage(e.to_string()))
            })
            .collect::<Result<_, _>>()?,
        text: Query::new(args.text.as_deref().unwrap_or_default()),
        open_comments: args.open_comments,
        ..Filter::default()
    };
    if let Some(s) = &args.since {
        filter.since = Some(parse_when(s, &tz, now).map_err(CliError::time)?.timestamp);
    }
    if let Some(u) = &args.until {
        filter.until = Some(parse_until(u, &tz, now).map_err(CliError::time)?);
    }
    filter.check_range(&tz).map_err(CliError::usage)?;
    Ok(filter)
}
