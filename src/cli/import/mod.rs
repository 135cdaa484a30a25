//! `fieldnote import`: posts from Zeeschuimer / 4CAT files become content entries with
//! their engagement metrics (see docs/import.md).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand, ValueEnum};

mod qdpx;

use super::args::{FilterArgs, Global};
use super::output::truncate;
use super::progress::{Progress, Unit};
use super::{CliError, CliResult, has_extension, open_journal};
use crate::interop::import::{self, Options, Plan};
use crate::interop::import::{fourcat_csv, zeeschuimer};
use crate::interop::{Parsed, Skip, SkipReason};
use crate::model::text::one_line;
use crate::model::time::parse_when;
use crate::model::{Journal, Platform};
use crate::store::StoreError;

const AFTER_HELP: &str = "\
Each post becomes a `content` entry (observed when it was published, the author as its
account, title and body from the caption, codes from [import.hashtags] in journal.toml,
metrics from its stats with the capture time as metrics_at), and its author's account is
created or completed, with a dated follower count when the capture has one.

Importing again never duplicates: entries are matched by source_id (tiktok:<id>,
instagram:<code>); a newer capture only refreshes the metrics, and whatever you wrote
(title, body, codes, screenshots, replied_comments) stays as it is.

Bad lines are reported as FILE:LINE: why, and skipped; the rest imports.
More in docs/import.md.

Examples:
  fieldnote import zeeschuimer export.ndjson --dry-run    what would change
  fieldnote import zeeschuimer export.ndjson
  fieldnote import 4cat-csv dataset.csv --captured-at 2026-03-12";

#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Zeeschuimer's NDJSON export, or a 4CAT dataset downloaded as NDJSON (TikTok, Instagram)
    #[command(after_help = "Examples:
  fieldnote import zeeschuimer zeeschuimer-export-tiktok.com-2026-03-12T152011.ndjson
  fieldnote import zeeschuimer export.ndjson --dry-run
  fieldnote import zeeschuimer export.ndjson --account cindymakeup --since 2026-03-01
  fieldnote import zeeschuimer march.ndjson april.ndjson --platform instagram")]
    Zeeschuimer(SourceArgs),
    /// 4CAT's CSV export of TikTok posts (also Zeeschuimer's CSV, `;`-separated)
    #[command(
        name = "4cat-csv",
        visible_alias = "csv",
        after_help = "The CSV has no capture time. --captured-at gives one: when the posts were
collected (the 4CAT dataset's creation, or the day Zeeschuimer ran), not the day
you downloaded the file. Its counts fill entries without counts, or with undated
ones; they never replace counts whose time came from the data (NDJSON), and
follower counts it dates only go before an account's first recorded point.

Examples:
  fieldnote import 4cat-csv tiktok-dataset.csv --dry-run
  fieldnote import 4cat-csv tiktok-dataset.csv --captured-at 2026-03-12"
    )]
    FourcatCsv(SourceArgs),
    /// Codings made in QualCoder, NVivo, ATLAS.ti or MAXQDA, from a REFI-QDA project (.qdpx)
    #[command(
        after_help = "Sources are matched to entries by the guid fieldnote's export gave them, else
by name, else by text. A selection of a whole text codes its entry; a partial one
becomes a coded passage, found by its quote. Codes are matched by guid, else by
name within their group (QualCoder makes new guids on every export), and new
ones are added to the codebook. Nothing is removed.

Examples:
  fieldnote export --format qdpx -o study.qdpx      then code it in QualCoder
  fieldnote import qdpx study-from-qualcoder.qdpx --dry-run
  fieldnote import qdpx study-from-qualcoder.qdpx"
    )]
    Qdpx(qdpx::QdpxArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlatformArg {
    Tiktok,
    Instagram,
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The file(s) to import; several are read as one (the newest capture of a post wins)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Only posts of this platform
    #[arg(long, value_enum)]
    pub platform: Option<PlatformArg>,
    /// Only posts by this account (repeatable; `@` optional)
    #[arg(long = "account", short = 'a', value_name = "HANDLE")]
    pub accounts: Vec<String>,
    /// Only posts published on or after this time or date
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only posts published on or before this date (or before this time)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// When captures without a capture time (CSV) were collected (not downloaded)
    #[arg(long, value_name = "TIME")]
    pub captured_at: Option<String>,
    /// Also add codes newly mapped in [import.hashtags] to posts imported before
    #[arg(long)]
    pub apply_mapping: bool,
    /// Also import new posts whose authors 4CAT pseudonymised (hashes), under accounts
    /// named by the hashes
    #[arg(long)]
    pub pseudonymised: bool,
    /// Show what would change, and write nothing
    #[arg(long, short = 'n')]
    pub dry_run: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Ndjson,
    Csv,
}

/// Skipped lines printed one by one; the rest are only counted.
const SHOWN_SKIPS: usize = 50;
/// Unmapped hashtags listed in the summary.
const SHOWN_HASHTAGS: usize = 30;

pub fn run(global: &Global, args: ImportArgs) -> CliResult {
    let (format, args) = match args.source {
        ImportSource::Zeeschuimer(a) => (Format::Ndjson, a),
        ImportSource::FourcatCsv(a) => (Format::Csv, a),
        ImportSource::Qdpx(a) => return qdpx::run(global, a),
    };
    let started = Instant::now();
    let mut opened = open_journal(global)?;
    if opened.store.is_read_only() && !args.dry_run {
        return Err(StoreError::ReadOnly.into());
    }
    let mut options = options(&opened.journal, &args)?;
    // Posts deleted into the trash stay deleted.
    options.deleted = opened
        .store
        .trashed()
        .into_iter()
        .map(|t| t.source_id)
        .filter(|s| !s.is_empty())
        .collect();
    let parsed = read_files(format, &args.files)?;
    report_skips(&args.files, &parsed.skipped);
    let empty_handed = files_without_posts(&args.files, &parsed);
    let lines = parsed.lines;
    let skipped = parsed.skipped;
    let plan = import::plan(&opened.journal, parsed.posts, &options);
    for note in &plan.notes {
        eprintln!("note: {}", one_line(note));
    }

    if args.dry_run {
        print_changes(&opened.journal, &plan);
        print_summary(&args.files, lines, &skipped, &plan);
        println!("Dry run: nothing was written.");
        return nothing_imported(&empty_handed, &plan);
    }
    let to_write = plan.new_entries.len() + plan.updates.len();
    let bar = Progress::new("writing", to_write as u64, Unit::Items);
    let applied = import::apply(&plan, &mut opened.store, &mut opened.journal, &|done, _| {
        bar.set(done as u64)
    });
    bar.finish();
    // What was written is committed even when some records failed: it is on disk.
    let message = format!(
        "import: {} entries, {} accounts",
        applied.entries_written, applied.accounts_written
    );
    crate::cli::autocommit(&opened, global, &[], &message);
    print_summary(&args.files, lines, &skipped, &plan);
    for failure in &applied.failures {
        eprintln!("error: {}", one_line(failure));
    }
    eprintln!(
        "Wrote {} entr{} and {} account{} in {:.1} s.",
        applied.entries_written,
        if applied.entries_written == 1 {
            "y"
        } else {
            "ies"
        },
        applied.accounts_written,
        if applied.accounts_written == 1 {
            ""
        } else {
            "s"
        },
        started.elapsed().as_secs_f64()
    );
    if applied.failures.is_empty() {
        nothing_imported(&empty_handed, &plan)
    } else {
        Err(CliError::failed(format!(
            "{} record{} could not be saved (listed above); everything else was imported",
            applied.failures.len(),
            if applied.failures.len() == 1 { "" } else { "s" }
        )))
    }
}

/// The command-line selection as import options, times read in the journal's zone.
fn options(journal: &Journal, args: &SourceArgs) -> Result<Options, CliError> {
    let now = crate::store::clock::now();
    // The same reading of --since/--until as `list` (a bare date: the whole day).
    let dates = super::list::build_filter(
        journal,
        &FilterArgs {
            since: args.since.clone(),
            until: args.until.clone(),
            ..FilterArgs::default()
        },
    )?;
    let captured_at = match &args.captured_at {
        Some(t) => Some(
            parse_when(t, &journal.settings.time_zone(), now)
                .map_err(CliError::time)?
                .timestamp,
        ),
        None => None,
    };
    Ok(Options {
        platform: args.platform.map(|p| match p {
            PlatformArg::Tiktok => Platform::Tiktok,
            PlatformArg::Instagram => Platform::Instagram,
        }),
        accounts: args.accounts.clone(),
        since: dates.since,
        until: dates.until,
        captured_at,
        apply_mapping: args.apply_mapping,
        pseudonymised: args.pseudonymised,
        now,
        deleted: Default::default(),
    })
}

/// Read every file into posts, with a progress bar over their total size.
fn read_files(format: Format, files: &[PathBuf]) -> Result<Parsed, CliError> {
    let cannot = |path: &Path, e: std::io::Error| {
        CliError::failed(format!("cannot read {}: {e}", path.display()))
    };
    let mut sizes = Vec::with_capacity(files.len());
    for path in files {
        if format == Format::Ndjson && has_extension(path, "csv") {
            return Err(CliError::usage(format!(
                "{} looks like a CSV file\n  hint: `fieldnote import 4cat-csv {}` reads CSV exports",
                path.display(),
                path.display()
            )));
        }
        let meta = std::fs::metadata(path).map_err(|e| cannot(path, e))?;
        if meta.is_dir() {
            return Err(CliError::usage(format!(
                "{} is a folder, not an export file",
                path.display()
            )));
        }
        sizes.push(meta.len());
    }
    let bar = Progress::new("reading", sizes.iter().sum(), Unit::Bytes);
    let mut parsed = Parsed::default();
    let mut offset = 0;
    for (index, path) in files.iter().enumerate() {
        let file = File::open(path).map_err(|e| cannot(path, e))?;
        let one = match format {
            Format::Ndjson => {
                let input = BufReader::with_capacity(1 << 20, file);
                zeeschuimer::read(input, index, &|n| bar.set(offset + n))
                    .map_err(|e| cannot(path, e))?
            }
            Format::Csv => {
                let bytes = std::fs::read(path).map_err(|e| cannot(path, e))?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    CliError::failed(format!(
                        "{}: not UTF-8 text (byte {}): 4CAT and Zeeschuimer write UTF-8",
                        path.display(),
                        e.utf8_error().valid_up_to()
                    ))
                })?;
                fourcat_csv::read(&text, index)
                    .map_err(|e| CliError::failed(format!("{}:1: {e}", path.display())))?
            }
        };
        offset += sizes[index];
        bar.set(offset);
        parsed.extend(one);
    }
    bar.finish();
    Ok(parsed)
}

/// Each file that had records but gave no post, with why: `x.ndjson: 104 lines skipped
/// (104 platform not imported)`. A file of blank lines only is not one of them.
fn files_without_posts(files: &[PathBuf], parsed: &Parsed) -> Vec<String> {
    let mut found = Vec::new();
    for (index, path) in files.iter().enumerate() {
        if parsed.posts.iter().any(|p| p.origin.file == index) {
            continue;
        }
        let skipped: Vec<&Skip> = parsed
            .skipped
            .iter()
            .filter(|s| s.origin.file == index)
            .collect();
        if skipped.iter().all(|s| s.reason == SkipReason::Empty) {
            continue;
        }
        found.push(format!(
            "{}: {} record{} skipped ({})",
            path.display(),
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" },
            skip_reasons(skipped.iter().copied())
        ));
    }
    found
}

/// The command's outcome once everything else went well: a failure naming the files
/// that gave nothing, for they were probably not what the researcher meant to import.
fn nothing_imported(empty_handed: &[String], plan: &Plan) -> CliResult {
    if plan.posts > 0 && plan.pseudonymised == plan.posts {
        return Err(CliError::failed(
            "nothing imported: every post's author is pseudonymised (4CAT replaced the handles by hashes); add --pseudonymised to import them under the hashes (docs/import.md)",
        ));
    }
    if empty_handed.is_empty() {
        return Ok(());
    }
    Err(CliError::failed(format!(
        "nothing to import from {}",
        empty_handed.join("; ")
    )))
}

/// `3 empty line, 104 platform not imported`: skipped records counted by reason.
fn skip_reasons<'a>(skipped: impl Iterator<Item = &'a Skip>) -> String {
    let mut reasons: BTreeMap<SkipReason, usize> = BTreeMap::new();
    for s in skipped {
        *reasons.entry(s.reason).or_insert(0) += 1;
    }
    let why: Vec<String> = reasons
        .iter()
        .map(|(r, n)| format!("{n} {}", r.label()))
        .collect();
    why.join(", ")
}

/// `FILE:LINE: why` for the first skipped lines, then how many more.
fn report_skips(files: &[PathBuf], skipped: &[Skip]) {
    for skip in skipped.iter().take(SHOWN_SKIPS) {
        eprintln!(
            "{}:{}: skipped: {}",
            files[skip.origin.file].display(),
            skip.origin.line,
            one_line(&skip.message)
        );
    }
    if skipped.len() > SHOWN_SKIPS {
        eprintln!(
            "... and {} more skipped lines (counted in the summary)",
            skipped.len() - SHOWN_SKIPS
        );
    }
}

/// What a dry run shows: every entry and account that would change, and how.
fn print_changes(journal: &Journal, plan: &Plan) {
    for account in &plan.new_accounts {
        let followers: Vec<String> = account
            .followers
            .iter()
            .map(|p| format!("{} {}", p.date, p.count))
            .collect();
        println!(
            "new account  @{}  {}  {}{}",
            one_line(&account.handle),
            account.platform.as_str(),
            one_line(&account.display_name),
            if followers.is_empty() {
                String::new()
            } else {
                format!("  followers: {}", followers.join(", "))
            }
        );
    }
    for update in &plan.account_updates {
        println!(
            "update account  @{}  {}",
            one_line(&update.account.handle),
            one_line(&update.changes.join("; "))
        );
    }
    for entry in &plan.new_entries {
        let codes = if entry.codes.is_empty() {
            String::new()
        } else {
            format!("  [{}]", one_line(&entry.codes.join(", ")))
        };
        println!(
            "new  {}  @{}  {}  {}{codes}",
            entry.observed_at.short(),
            one_line(&entry.accounts.join(", @")),
            one_line(&entry.source_id),
            truncate(&one_line(&entry.title), 50),
        );
    }
    for update in &plan.updates {
        let before = &journal.entries[update.index];
        println!(
            "update  {}  {}  {}",
            one_line(&before.id),
            one_line(&before.source_id),
            one_line(&update.changes.join("; "))
        );
    }
}

fn print_summary(files: &[PathBuf], lines: usize, skipped: &[Skip], plan: &Plan) {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    println!(
        "{}: {lines} line{}, {} post{}",
        names.join(", "),
        if lines == 1 { "" } else { "s" },
        plan.posts,
        if plan.posts == 1 { "" } else { "s" },
    );
    println!("  new        {:>7}", plan.new_entries.len());
    println!("  updated    {:>7}", plan.updates.len());
    println!("  unchanged  {:>7}", plan.unchanged);
    let why = skip_reasons(skipped.iter());
    println!(
        "  skipped    {:>7}{}",
        skipped.len(),
        if why.is_empty() {
            String::new()
        } else {
            format!("  ({why})")
        }
    );
    if plan.superseded > 0 {
        println!(
            "  {} older or partial capture{} of the same posts set aside (the newest complete one counts)",
            plan.superseded,
            if plan.superseded == 1 { "" } else { "s" }
        );
    }
    if plan.estimated > 0 {
        println!(
            "  {} new post{} dated from the post id, as the capture has no publication time: an estimate (TikTok: the upload second; Instagram: up to days off), corrected when a capture with the time is imported",
            plan.estimated,
            if plan.estimated == 1 { "" } else { "s" }
        );
    }
    if plan.deleted > 0 {
        println!(
            "  {} post{} left out: deleted into the trash (`fieldnote restore --list` shows them; restore brings one back)",
            plan.deleted,
            if plan.deleted == 1 { "" } else { "s" }
        );
    }
    if plan.pseudonymised > 0 {
        println!(
            "  {} new post{} by pseudonymised authors (4CAT replaced their handles by hashes) not imported; --pseudonymised imports them under the hashes",
            plan.pseudonymised,
            if plan.pseudonymised == 1 { "" } else { "s" }
        );
    }
    if plan.kept_dated > 0 {
        println!(
            "  {} post{} kept the counts of a capture dated by its data: a time given with --captured-at never replaces them",
            plan.kept_dated,
            if plan.kept_dated == 1 { "" } else { "s" }
        );
    }
    if plan.filtered > 0 {
        println!(
            "  {} capture{} left out by --platform/--account/--since/--until",
            plan.filtered,
            if plan.filtered == 1 { "" } else { "s" }
        );
    }
    println!(
        "Accounts: {} new, {} updated.",
        plan.new_accounts.len(),
        plan.account_updates.len()
    );
    if !plan.unmapped.is_empty() {
        let shown: Vec<String> = plan
            .unmapped
            .iter()
            .take(SHOWN_HASHTAGS)
            .map(|(tag, n)| format!("#{} ({n})", one_line(tag)))
            .collect();
        let more = plan.unmapped.len().saturating_sub(SHOWN_HASHTAGS);
        println!(
            "Unmapped hashtags ({}; map them to codes under [import.hashtags] in journal.toml):",
            plan.unmapped.len()
        );
        println!(
            "  {}{}",
            shown.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
}
