use std::io::Read;
use std::path::PathBuf;

use super::args::Global;
use super::{CliError, CliResult, open_journal};
use crate::analysis::names;
use crate::model::time::parse_when;
use crate::model::{Account, Entry, Journal, Kind, Moment, UnknownKind};
use crate::store::media;
use clap::Args;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Account handle the entry is about (repeatable; `@` optional)
    #[arg(short, long = "account", value_name = "ACCOUNT")]
    pub accounts: Vec<String>,
    /// Code id, key or name (repeatable)
    #[arg(short, long = "code", value_name = "CODE")]
    pub codes: Vec<String>,
    /// observation | content | interview | memo (a prefix will do)
    #[arg(short, long, default_value = "observation")]
    pub kind: String,
    /// When it happened: `21:05` (the last time the clock showed it), `yesterday 21:05`,
    /// `2026-03-14 21:05`, `5 min ago`, `-5m`, RFC 3339 (default: now)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// Informant pseudonym code for interviews (e.g. A3)
    #[arg(long)]
    pub informant: Option<String>,
    /// Screenshot file to attach (repeatable)
    #[arg(short, long = "screenshot", value_name = "FILE")]
    pub screenshots: Vec<PathBuf>,
    /// Create accounts that do not exist yet instead of refusing
    #[arg(long)]
    pub new_account: bool,
    /// The body: text, or `-` to read standard input; without it $EDITOR opens
    pub text: Vec<String>,
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// What a post showed when you looked, for posts that were not imported.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Metrics of the post, as read now")]
pub struct MetricsArgs {
    #[arg(long, value_name = "N")]
    pub views: Option<u64>,
    #[arg(long, value_name = "N")]
    pub likes: Option<u64>,
    /// Comments under the post
    #[arg(long, value_name = "N")]
    pub comments: Option<u64>,
    #[arg(long, value_name = "N")]
    pub shares: Option<u64>,
    #[arg(long, value_name = "N")]
    pub saves: Option<u64>,
    /// Comments the account replied to (for the reply share)
    #[arg(long, value_name = "N")]
    pub replies: Option<u64>,
}

impl MetricsArgs {
    /// The counts given, read at `at`; `None` when none was given.
    pub fn metrics(&self, at: crate::model::Moment) -> Option<crate::model::Metrics> {
        let m = crate::model::Metrics {
            views: self.views,
            likes: self.likes,
            comments: self.comments,
            shares: self.shares,
            saves: self.saves,
            replied_comments: self.replies,
            metrics_at: Some(at),
        };
        m.counts().iter().any(|(_, v)| v.is_some()).then_some(m)
    }
}

pub fn run(global: &Global, args: AddArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let (journal, store) = (&mut opened.journal, &mut opened.store);
    super::require_entries_writable(store)?;
    let tz = journal.settings.time_zone();
    let now = crate::store::clock::now();
    let observed_at = match &args.at {
        Some(at) => parse_when(at, &tz, now).map_err(CliError::time)?,
        None => Moment::in_zone(now, &tz),
    };
    let kind: Kind = args
        .kind
        .parse()
        .map_err(|e: UnknownKind| CliError::usage(e.to_string()))?;

    let mut new_accounts = Vec::new();
    let mut accounts = Vec::new();
    for name in &args.accounts {
        match resolve_account(journal, name) {
            Ok(handle) => accounts.push(handle),
            Err(_) if args.new_account => {
                let handle = name.trim().trim_start_matches('@').to_string();
                if let Some(why) = crate::model::handle_problem(&handle) {
                    return Err(CliError::usage(why));
                }
                new_accounts.push(Account {
                    handle: handle.clone(),
                    ..Account::default()
                });
                accounts.push(handle);
            }
            Err(e) => return Err(e),
        }
    }
    let codes = args
        .codes
        .iter()
        .map(|c| resolve_code(journal, c))
        .collect::<Result<Vec<_>, _>>()?;

    let body = read_body(&args.text)?;
    if body.trim().is_empty() && args.title.as_deref().unwrap_or("").trim().is_empty() {
        return Err(CliError::failed(
            "nothing to write: the entry has no title and no body",
        ));
    }

    let id = store.new_entry_id(journal, &observed_at);
    let mut entry = Entry::new(id, observed_at, Moment::in_zone(now, &tz));
    entry.kind = kind;
    entry.accounts = dedup(accounts);
    entry.codes = dedup(codes);
    entry.title = args.title.unwrap_or_default().trim().to_string();
    entry.url = args.url.unwrap_or_default();
    entry.informant = args.informant.unwrap_or_default();
    entry.metrics = args
        .metrics
        .metrics(Moment::in_zone(now, &tz))
        .map(Box::new);
    entry.body = body;
    for path in &args.screenshots {
        let shot = media::attach(store.root(), journal, path, &entry.observed_at)?;
        entry.screenshots.push(shot);
    }

    for account in &new_accounts {
        store.save_account(account)?;
        journal.accounts.push(account.clone());
        eprintln!("created account @{}", account.handle);
    }
    store.save_entry(&entry)?;
    println!("{}", entry.id);
    let mut paths: Vec<String> = vec![store.entry_path(&entry)];
    paths.extend(entry.screenshots.iter().map(|s| s.path.clone()));
    paths.extend(new_accounts.iter().map(crate::store::paths::of_account));
    let message = crate::store::git::entry_message(&entry);
    journal.upsert_entry(entry);
    super::autocommit(&opened, global, &paths, &message);
    Ok(())
}

/// The body from the arguments, standard input (`-`), or `$EDITOR` when neither.
fn read_body(text: &[String]) -> Result<String, CliError> {
    match text {
        [dash] if dash == "-" => {
            let mut body = String::new();
            std::io::stdin().read_to_string(&mut body)?;
            Ok(body)
        }
        [] => edit_in_editor(""),
        words => Ok(words.join(" ")),
    }
}

/// The person's editor, its failure as a command's error.
pub fn edit_in_editor(initial: &str) -> Result<String, CliError> {
    crate::os::edit_in_editor(initial).map_err(|e| CliError::failed(e.to_string()))
}

fn dedup(mut items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.clone()));
    items
}

/// An account handle as typed (`@Cindymakeup`) to the handle the journal knows, or an
/// error listing near matches and how to add it.
pub fn resolve_account(journal: &Journal, name: &str) -> Result<String, CliError> {
    names::resolve_account(journal, name).map_err(|e| {
        CliError::failed(format!(
            "{e}\n  hint: `--new-account` creates it, or `fieldnote accounts add {}`",
            e.name
        ))
    })
}

/// A code as typed — its id, quick-tag key or name — to its id, or an error listing
/// near matches.
pub fn resolve_code(journal: &Journal, name: &str) -> Result<String, CliError> {
    names::resolve_code(journal, name).map_err(|e| {
        CliError::failed(format!(
            "{e}\n  hint: `fieldnote codes` lists the codebook; `fieldnote codes add` adds one"
        ))
    })
}
