//! `fieldnote code`: code a passage of an entry's body by quoting it, list an entry's
//! passages, or remove one. Saves through the store like `tag`.

use super::add::resolve_code;
use super::args::Global;
use super::show::find_entry;
use super::{CliError, CliResult, open_journal};
use crate::model::passage::{closest_span, in_context, occurrences};
use crate::model::text::one_line;
use crate::model::{Entry, Journal};
use crate::store::StoreError;
use clap::Args;

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// The exact text of the body to code
    #[arg(long, short, value_name = "TEXT", conflicts_with_all = ["list", "remove"])]
    pub quote: Option<String>,
    /// A code for the passage: id, key or name (repeatable)
    #[arg(long = "code", short = 'c', value_name = "CODE")]
    pub codes: Vec<String>,
    /// Which occurrence of a quote that occurs more than once (1 is the first)
    #[arg(long, value_name = "N", requires = "quote")]
    pub occurrence: Option<usize>,
    /// List the entry's passages, numbered
    #[arg(long, conflicts_with = "remove")]
    pub list: bool,
    /// Remove passage N (as numbered by --list)
    #[arg(long, value_name = "N")]
    pub remove: Option<usize>,
}

/// Characters of context shown on each side of an occurrence in errors and lists.
const SHOWN_CONTEXT: usize = 24;

pub fn run(global: &Global, args: CodeArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let entry = find_entry(&opened.journal, &args.id)?.clone();
    if args.list || (args.quote.is_none() && args.remove.is_none()) {
        print!("{}", list(&entry));
        return Ok(());
    }
    if opened.store.is_read_only() {
        return Err(StoreError::ReadOnly.into());
    }
    let (entry, said) = match (&args.quote, args.remove) {
        (Some(quote), _) => code(&opened.journal, entry, quote, &args)?,
        (None, Some(n)) => remove(entry, n)?,
        (None, None) => unreachable!("listed above"),
    };
    opened.store.save_entry(&entry)?;
    let paths = [opened.store.entry_path(&entry).to_string()];
    super::autocommit(
        &opened,
        global,
        &paths,
        &format!("code {}: {said}", entry.id),
    );
    println!("{}: {said}", entry.id);
    Ok(())
}

/// The entry's passages, numbered from 1 as `--remove` takes them.
pub fn list(e: &Entry) -> String {
    use std::fmt::Write;
    if e.passages.is_empty() {
        return format!("{}: no passages\n", e.id);
    }
    let mut out = String::new();
    for (i, p) in e.passages.iter().enumerate() {
        let codes = one_line(&p.codes.join(", "));
        let place = match p.anchor(&e.body) {
            Some(span) => in_context(&e.body, span, SHOWN_CONTEXT),
            None => format!("ORPHANED, its text is gone: «{}»", one_line(&p.quote)),
        };
        let _ = writeln!(out, "{:>3}  [{codes}]  {place}", i + 1);
    }
    out
}

fn code(
    journal: &Journal,
    mut entry: Entry,
    quote: &str,
    args: &CodeArgs,
) -> Result<(Entry, String), CliError> {
    if args.codes.is_empty() {
        return Err(CliError::usage("name a code for the passage with -c CODE"));
    }
    let codes = args
        .codes
        .iter()
        .map(|n| resolve_code(journal, n))
        .collect::<Result<Vec<_>, _>>()?;
    let found = occurrences(&entry.body, quote);
    let span = match (found.as_slice(), args.occurrence) {
        ([], _) => return Err(not_found(&entry, quote)),
        ([one], None | Some(1)) => one.clone(),
        (many, Some(n)) if (1..=many.len()).contains(&n) => many[n - 1].clone(),
        (many, _) => return Err(ambiguous(&entry, many, args.occurrence)),
    };
    let i = entry.code_span(span, &codes);
    let said = format!("passage {} +{}", i + 1, codes.join(" +"));
    Ok((entry, said))
}

fn remove(mut entry: Entry, n: usize) -> Result<(Entry, String), CliError> {
    if n == 0 || n > entry.passages.len() {
        return Err(CliError::failed(format!(
            "{} has {} passage(s): there is no passage {n}\n  hint: `fieldnote code {} --list` numbers them",
            entry.id,
            entry.passages.len(),
            entry.id
        )));
    }
    let gone = entry.passages.remove(n - 1);
    Ok((
        entry,
        format!("removed passage {n} «{}»", one_line(&gone.quote)),
    ))
}

fn not_found(e: &Entry, quote: &str) -> CliError {
    let mut message = format!(
        "the body of {} does not hold «{}» (quotes must match exactly)",
        e.id,
        one_line(quote)
    );
    match closest_span(&e.body, quote) {
        Some(span) => {
            message.push_str("\n  closest match: ");
            message.push_str(&in_context(&e.body, span, SHOWN_CONTEXT));
        }
        None => message.push_str("\n  nothing in the body is close to it"),
    }
    message.push_str(&format!(
        "\n  hint: `fieldnote show {}` prints the body",
        e.id
    ));
    CliError::failed(message)
}

fn ambiguous(e: &Entry, found: &[std::ops::Range<usize>], asked: Option<usize>) -> CliError {
    let mut message = match asked {
        Some(n) => format!("there is no occurrence {n}: "),
        None => String::new(),
    };
    message.push_str(&format!(
        "the quote occurs {} times in {}:",
        found.len(),
        e.id
    ));
    for (i, span) in found.iter().enumerate() {
        let shown = in_context(&e.body, span.clone(), SHOWN_CONTEXT);
        message.push_str(&format!("\n  {}: {shown}", i + 1));
    }
    message.push_str("\n  hint: choose one with --occurrence N, or quote more of the text");
    CliError::usage(message)
}
