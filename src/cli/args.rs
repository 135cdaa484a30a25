//! Every command's arguments, with the help text people read.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Import posts from Zeeschuimer / 4CAT exports, with their engagement metrics
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

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new journal (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The journal's title
    #[arg(long)]
    pub title: Option<String>,
    /// IANA time zone for typed times (default: this machine's)
    #[arg(long)]
    pub timezone: Option<String>,
    /// Researcher name (repeatable; default: git's user.name)
    #[arg(long = "researcher")]
    pub researchers: Vec<String>,
    /// Do not run `git init`
    #[arg(long)]
    pub no_git: bool,
}

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

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ShowFormat {
    #[default]
    Text,
    Json,
    Toml,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

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

#[derive(Debug, Args)]
pub struct AccountsArgs {
    #[command(subcommand)]
    pub action: Option<AccountsAction>,
}

#[derive(Debug, Subcommand)]
pub enum AccountsAction {
    /// List accounts with their entry counts (the default)
    List,
    /// Add an account
    Add(AccountAddArgs),
    /// Record a follower count or change an account's fields
    Set(AccountSetArgs),
}

#[derive(Debug, Args)]
pub struct AccountSetArgs {
    /// Handle, without or with `@` (any case)
    pub handle: String,
    /// Add a follower count to the account's history: 12400, 12,400 or 12.4K
    #[arg(long, value_parser = crate::model::parse_count)]
    pub followers: Option<u64>,
    /// When the count was seen (`2026-03-14`, `yesterday`, `3 days ago`; default now)
    #[arg(long, value_name = "TIME", requires = "followers")]
    pub at: Option<String>,
    /// tiktok | instagram | youtube | x | other
    #[arg(long)]
    pub platform: Option<String>,
    #[command(flatten)]
    pub fields: AccountFieldArgs,
    #[arg(long)]
    pub notes: Option<String>,
}

/// The descriptive fields of an account, as `accounts add` and `accounts set` take them.
#[derive(Debug, Args)]
pub struct AccountFieldArgs {
    #[arg(long = "name")]
    pub display_name: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// Name used by exports that pseudonymise
    #[arg(long)]
    pub pseudonym: Option<String>,
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// Handle, without or with `@`
    pub handle: String,
    /// tiktok | instagram | youtube | x | other
    #[arg(long, default_value = "tiktok")]
    pub platform: String,
    #[command(flatten)]
    pub fields: AccountFieldArgs,
    /// Current follower count (recorded with today's date): 12400, 12,400 or 12.4K
    #[arg(long, value_parser = crate::model::parse_count)]
    pub followers: Option<u64>,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    #[command(subcommand)]
    pub action: Option<CodesAction>,
}

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// List codes by group with their counts (the default)
    List,
    /// Add a code to the codebook
    Add(CodeAddArgs),
    /// Merge a codebook into codebook.toml: REFI-QDA (.qdc, or a .qdpx's), or a
    /// codebook CSV (Taguette's: `tag`, `description`)
    Import(super::codes_import::CodesImportArgs),
    /// Write the codebook for a QDA program: Taguette's CSV (.csv) or REFI-QDA (.qdc)
    Export(super::codes_import::CodesExportArgs),
}

#[derive(Debug, Args)]
pub struct CodeAddArgs {
    /// Id: a-z, 0-9 and - (made from --name when omitted)
    pub id: Option<String>,
    /// Group id (dimension) the code belongs to
    #[arg(long, short)]
    pub group: String,
    /// Display name
    #[arg(long, short)]
    pub name: Option<String>,
    /// Quick-tag key in the terminal interface
    #[arg(long, short)]
    pub key: Option<String>,
    /// A colour name (yellow, lightblue, ...) or #rrggbb
    #[arg(long)]
    pub color: Option<String>,
    #[arg(long, short)]
    pub description: Option<String>,
    /// Parent code id
    #[arg(long)]
    pub parent: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fail on warnings too
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write it (default: a new temporary folder)
    pub dir: Option<PathBuf>,
    /// Generate a large synthetic journal of this many entries instead of the sample
    #[arg(long, value_name = "N")]
    pub entries: Option<usize>,
    /// Only write the journal; do not open it
    #[arg(long)]
    pub no_open: bool,
    /// Do not make the sample a git repository with a history (it is one by default)
    #[arg(long)]
    pub no_git: bool,
}

#[derive(Debug, Args)]
pub struct CommentArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// The comment: text, or `-` to read standard input; without it $EDITOR opens
    pub text: Vec<String>,
    /// Mark every open comment on the entry resolved
    #[arg(long, conflicts_with_all = ["text", "reopen"])]
    pub resolve: bool,
    /// Reopen the entry's last comment
    #[arg(long, conflicts_with = "text")]
    pub reopen: bool,
}

#[derive(Debug, Args)]
pub struct CommentsArgs {
    /// Only comments not resolved yet
    #[arg(long)]
    pub open: bool,
    /// Only comments on this entry (id or unique prefix)
    #[arg(long, value_name = "ID")]
    pub entry: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Rebase local commits onto the remote's
    #[arg(long, conflicts_with = "merge")]
    pub rebase: bool,
    /// Merge the remote's commits (the default unless git's pull.rebase says otherwise)
    #[arg(long)]
    pub merge: bool,
    /// Pull and check only
    #[arg(long)]
    pub no_push: bool,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
    pub listen: String,
    /// OpenSSH authorized_keys file: the reviewers' public keys
    #[arg(long, value_name = "FILE")]
    pub authorized_keys: PathBuf,
    /// The server's private key (made on first run, ed25519; default: in the data folder)
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// At most this many sessions at once
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub max_sessions: usize,
    /// End a session after this many minutes without a key press
    #[arg(long, default_value_t = 30, value_name = "MINUTES")]
    pub idle_minutes: u64,
    /// Drop a connection that has not authenticated this many seconds after it opened
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    pub auth_timeout: u64,
    /// Drop a session whose terminal has taken no output for this many seconds (tests)
    #[arg(long, default_value_t = 60, value_name = "SECONDS", hide = true)]
    pub stall_seconds: u64,
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
