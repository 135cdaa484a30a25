//! The command line's shape: the global options, the command table, and the arguments
//! several commands share (the filters). Each command's own arguments are beside its
//! code, as jj keeps them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

// Each command's arguments live beside its code; named here for the command table.
use super::accounts::AccountsArgs;
use super::add::AddArgs;
use super::check::CheckArgs;
use super::code::CodeArgs;
use super::codes::CodesArgs;
use super::comment::{CommentArgs, CommentsArgs};
use super::demo::DemoArgs;
use super::edit::{EditArgs, TagArgs};
use super::init::InitArgs;
use super::list::ListArgs;
use super::rm::{RestoreArgs, RmArgs};
#[cfg(feature = "serve")]
use super::serve::ServeArgs;
use super::show::ShowArgs;
use super::sync::SyncArgs;

#[derive(Debug, Parser)]
#[command(
    name = "fieldnote",
    version,
    about = "A keyboard-driven field journal for digital ethnography",
    long_about = "A keyboard-driven field journal for digital ethnography.\n\nRun without a command to open the journal in the terminal interface. The journal is found with --journal, else $FIELDNOTE_JOURNAL, else the nearest folder upward holding journal.toml, else the default journal in your data folder.",
    after_help = "Examples:\n  fieldnote demo                      open the sample journal\n  fieldnote init fieldwork            start a journal in ./fieldwork\n  fieldnote add -a cindymakeup -c live \"Live started 21:05, ~300 viewers\"\n  fieldnote list --code live --since 2026-03-01"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// The journal folder (else $FIELDNOTE_JOURNAL, else found upward from here)
    #[arg(long, short = 'J', global = true, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Change nothing: every write is refused
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Reviewer mode: entries, accounts and codebook are read-only; only comments can be
    /// written, signed with --as NAME (with `serve`: reviewers may comment)
    #[arg(long, global = true)]
    pub review: bool,
    /// The name comments are signed with (else the journal's first researcher, else
    /// git's user.name)
    #[arg(long = "as", global = true, value_name = "NAME", id = "author")]
    pub author: Option<String>,
}

impl Global {
    /// What this run may write: `--read-only` nothing, `--review` comments only.
    pub fn access(&self) -> crate::store::Access {
        if self.read_only {
            crate::store::Access::ReadOnly
        } else if self.review {
            crate::store::Access::CommentsOnly
        } else {
            crate::store::Access::Full
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a new journal with a starter codebook
    #[command(
        after_help = "Examples:\n  fieldnote init\n  fieldnote init fieldwork --title \"TikTok study 2026\" --timezone Asia/Jakarta"
    )]
    Init(InitArgs),
    /// Capture an entry in one line
    #[command(
        after_help = "Examples:\n  fieldnote add -a cindymakeup -c live -c informal \"Live started 21:05, ~300 viewers\"\n  fieldnote add -k content --at \"yesterday 19:02\" -a nadiastory --title \"GRWM\" -s ~/shot.png -\n  fieldnote add                       (opens $EDITOR for the body)"
    )]
    Add(AddArgs),
    /// List entries, newest first
    #[command(
        after_help = "Examples:\n  fieldnote list --account cindymakeup\n  fieldnote list --code live --code authenticity --since 2026-04-01\n  fieldnote list --any-code duet --any-code stitch --not-code promotion\n  fieldnote list --text \"kulit kering\" --format json"
    )]
    List(ListArgs),
    /// Add codes to an entry or remove them (quick tagging)
    #[command(
        after_help = "Examples:\n  fieldnote tag 20260314-2105 live informal\n  fieldnote tag 20260314-2105 --remove promotion"
    )]
    Tag(TagArgs),
    /// Code a passage of an entry's body, list its passages, or remove one
    #[command(
        after_help = "A passage is coded by quoting it exactly. When the quote occurs more than once, the error lists each occurrence; pick one with --occurrence N.\n\nExamples:\n  fieldnote code 20260314-2105 --quote \"One sends me voice notes every week\" -c voice-notes -c intimacy\n  fieldnote code 20260314-2105 --quote \"yes\" --occurrence 2 -c consent\n  fieldnote code 20260314-2105 --list\n  fieldnote code 20260314-2105 --remove 2"
    )]
    Code(CodeArgs),
    /// Change an entry's title or body
    #[command(
        after_help = "Examples:\n  fieldnote edit 20260314-2105 --title \"Live: skincare Q&A\"\n  fieldnote edit 20260314-2105 --append \"Later: she pinned the comment.\"\n  fieldnote edit 20260314-2105        (opens $EDITOR on the body)"
    )]
    Edit(EditArgs),
    /// Note a live session: one moment a line on standard input, saved as one entry
    #[command(
        after_help = "Each line is stamped as it is read (or with its own `[21:17:30]` at the start); `#code` words code the moment.\n\nExamples:\n  printf 'greets viewers by name\\n#humour roasts a viewer\\n' | fieldnote live -a dianakocak\n  fieldnote live -a dianakocak --began \"10 min ago\" --title \"Live: Q&A night\""
    )]
    Live(super::live::LiveArgs),
    /// Move an entry (with its comments and its own screenshots) to the trash
    #[command(
        after_help = "The files go to .fieldnote/trash/ID/, where nothing is deleted; `fieldnote restore ID` brings them back.\n\nExamples:\n  fieldnote rm 20260314-2105\n  fieldnote rm 20260314-2105 --yes     (no question: for scripts)"
    )]
    Rm(RmArgs),
    /// Bring an entry back from the trash, or list the trash
    #[command(
        after_help = "Examples:\n  fieldnote restore --list\n  fieldnote restore 20260314-210512-7f3a"
    )]
    Restore(RestoreArgs),
    /// Show one entry in full
    #[command(
        after_help = "Examples:\n  fieldnote show 20260314-210512-7f3a\n  fieldnote show 20260314-21        (a unique prefix is enough)"
    )]
    Show(ShowArgs),
    /// List or add observed accounts
    #[command(
        after_help = "Examples:\n  fieldnote accounts\n  fieldnote accounts add cindymakeup --name Cindy --category \"beauty & skincare\" --followers 72000"
    )]
    Accounts(AccountsArgs),
    /// List or add codebook codes
    #[command(
        after_help = "Examples:\n  fieldnote codes\n  fieldnote codes add haul --group theme --name \"Haul video\" --key h --color magenta"
    )]
    Codes(CodesArgs),
    /// Validate every file; exit 1 on any problem
    #[command(
        after_help = "Each problem is printed as path:line:column: message.\nWarnings (unknown keys, a byte-order mark) are printed but do not fail the check unless --strict.\n\nExamples:\n  fieldnote check\n  fieldnote check --strict"
    )]
    Check(CheckArgs),
    /// Comment on an entry (or resolve its thread)
    #[command(
        after_help = "Examples:\n  fieldnote comment 20260314-2105 \"Is this her words or your reading?\"\n  fieldnote --review --as \"Dr. Rina\" comment 20260314-2105 -     (the text from standard input)\n  fieldnote comment 20260314-2105 --resolve"
    )]
    Comment(CommentArgs),
    /// List comments, by entry
    #[command(
        after_help = "Examples:\n  fieldnote comments\n  fieldnote comments --open\n  fieldnote comments --entry 20260314-2105 --format json"
    )]
    Comments(CommentsArgs),
    /// Pull (merge or rebase) and push with your own git setup, then check the journal
    #[command(
        after_help = "Uncommitted changes are stashed around the pull. After the pull, conflicts and leftover conflict markers are reported and nothing is pushed.\n\nExamples:\n  fieldnote sync\n  fieldnote sync --rebase\n  fieldnote sync --no-push"
    )]
    Sync(SyncArgs),
    /// Serve this journal's interface over SSH to reviewers (read-only or reviewer mode)
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Reviewers need nothing but ssh: `ssh -p 2222 HOST`. Only public keys listed in the authorized keys file get in; the key's comment (or a name=\"...\" option before the key) is the reviewer's name.\n\nExamples:\n  fieldnote serve --authorized-keys reviewers.pub\n  fieldnote serve --listen 0.0.0.0:2222 --authorized-keys reviewers.pub --review"
    )]
    Serve(ServeArgs),
    /// Write the sample journal and open it
    #[command(
        after_help = "Examples:\n  fieldnote demo                     a fresh copy in a temporary folder\n  fieldnote demo ./sample            a copy you keep\n  fieldnote demo --entries 10000 /tmp/big --no-open   a large generated journal for benchmarks"
    )]
    Demo(DemoArgs),
    /// Import posts from Zeeschuimer / 4CAT exports (with their metrics), or codings from a QDA tool (.qdpx)
    Import(super::import::ImportArgs),
    /// Figures per account, the code matrix and code co-occurrence
    #[command(
        after_help = "Examples:\n  fieldnote stats                          figures, codes × accounts, codes together\n  fieldnote stats --kind content           shares of each account's content entries\n  fieldnote stats --by month --values count\n  fieldnote stats --only figures --format csv > figures.csv\n\nDefinitions of every figure: docs/export.md."
    )]
    Stats(super::stats::StatsArgs),
    /// Write the selected entries as Markdown, CSV, JSON or REFI-QDA
    #[command(
        after_help = "Every filter of `list` applies.\n\nExamples:\n  fieldnote export -o report.md --account cindymakeup\n  fieldnote export -o entries.csv --kind content\n  fieldnote export -o study.qdpx --pseudonymise\n  fieldnote export --format qdc -o codebook.qdc\n  fieldnote export --format json > journal.json"
    )]
    Export(super::export::ExportArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Entries about this account (repeatable: any of them)
    #[arg(long = "account", short = 'a', value_name = "ACCOUNT")]
    pub accounts: Vec<String>,
    /// Entries carrying this code (repeatable: all must match)
    #[arg(long = "code", short = 'c', value_name = "CODE")]
    pub codes: Vec<String>,
    /// Entries carrying any of these codes (repeatable)
    #[arg(long = "any-code", value_name = "CODE")]
    pub any_codes: Vec<String>,
    /// Entries carrying none of these codes (repeatable)
    #[arg(long = "not-code", value_name = "CODE")]
    pub not_codes: Vec<String>,
    /// Entries of this kind (repeatable)
    #[arg(long = "kind", short = 'k', value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Observed on or after this time or date (`2026-03-01`, `2 days ago`, `-1w`)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Observed on or before this date (or before this time)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Containing these words in title, body or url (any case, any accents)
    #[arg(long, short = 't', value_name = "TEXT")]
    pub text: Option<String>,
    /// Entries with an unresolved comment
    #[arg(long)]
    pub open_comments: bool,
}

#[cfg(test)]
mod tests {
    /// clap's own check of the argument definitions: conflicting names, bad defaults,
    /// `requires` naming an argument that does not exist.
    #[test]
    fn the_arguments_are_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
