//! What can happen to the app (`Action`) and what the app asks the outside world to do
//! (`Effect`). `update` turns actions into state changes and effects; only the runtime
//! performs effects.

use ratatui::crossterm::event::KeyEvent;

use crate::model::{Account, Codebook, Comment, Entry};

/// Declares the commands: each one's variant, keymap name and help text, written once.
/// The name is what keymap files use and the text is what the help screen shows, so
/// they can never disagree; the default keys are the keymap's table (`keymap.rs`).
macro_rules! commands {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// A named command that a key can be bound to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $(#[doc = $doc] $variant,)*
        }

        impl Command {
            /// Every command with its keymap name and help text.
            pub const ALL: &'static [(Command, &'static str, &'static str)] =
                &[$((Command::$variant, $name, $doc),)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Command::$variant => $name,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Command::$variant => $doc,)*
                }
            }
        }
    };
}

commands! {
    Quit => "quit", "quit";
    Help => "help", "show the keys of this screen";
    Back => "back", "close, cancel or go back";
    Up => "up", "move up";
    Down => "down", "move down";
    Top => "top", "go to the first row";
    Bottom => "bottom", "go to the last row";
    PageUp => "page_up", "one page up";
    PageDown => "page_down", "one page down";
    SwitchPane => "switch_pane", "switch between list and preview";
    Open => "open", "open the selected item";
    ShowTimeline => "timeline", "the timeline of all entries";
    ShowAccounts => "accounts", "the accounts screen";
    ShowCodebook => "codebook", "the codebook screen";
    ShowMatrix => "matrix", "the codes × accounts matrix";
    Left => "left", "move left";
    Right => "right", "move right";
    ToggleShare => "toggle_share", "show counts or shares of the column's entries";
    CycleColumns => "cycle_columns", "columns by account, kind or month";
    Transpose => "transpose", "swap rows and columns";
    ToggleCooccurrence => "cooccurrence", "show which codes appear together";
    NewEntry => "new_entry", "write a new entry";
    EditEntry => "edit_entry", "edit the selected entry";
    EditBodyExternally => "edit_in_editor", "edit the body in $EDITOR";
    Search => "search", "search title, body and url as you type";
    Filter => "filter", "filter by account, codes, kind and dates";
    ClearFilter => "clear_filter", "clear the search and filter";
    Mark => "mark", "mark or unmark the entry for tagging several";
    Undo => "undo", "undo the last tagging change";
    TagPicker => "tag", "pick codes to toggle by name";
    AttachScreenshot => "attach", "attach a screenshot file";
    OpenScreenshot => "open_screenshot", "open the first screenshot in the system viewer";
    ToggleImage => "toggle_image", "show or hide the screenshot in the preview";
    Reload => "reload", "reload the journal from disk";
    AddCode => "add_code", "add a code";
    RenameCode => "rename_code", "rename the selected code";
    RecolorCode => "recolor_code", "change the colour of the selected code";
    SetCodeKey => "set_code_key", "set the quick-tag key of the selected code";
    Save => "save", "save";
    NextField => "next_field", "next field";
    PrevField => "prev_field", "previous field";
    ToggleItem => "toggle", "toggle the selected item";
    Comment => "comment", "comment on the selected entry";
    ToggleResolved => "resolve", "resolve the entry's comment thread (or reopen it)";
    History => "history", "the git history of the selected entry";
    OpenComments => "open_comments", "only entries with open comments (again: all)";
    AddAccount => "add_account", "add an account";
    EditAccount => "edit_account", "edit the selected account";
    RecordFollowers => "record_followers", "record the selected account's follower count";
    ReadPassages => "read", "read the entry's text: select passages and code them";
    WordForward => "word_forward", "next word";
    WordBack => "word_back", "previous word";
    SentenceForward => "sentence_forward", "next sentence";
    SentenceBack => "sentence_back", "this or the previous sentence";
    LineStart => "line_start", "start of the line";
    LineEnd => "line_end", "end of the line";
    Visual => "select", "start a selection here (again: drop it)";
    SelectSentence => "select_sentence", "select this sentence (again: add the next)";
    SelectLine => "select_line", "select this line";
    NextPassage => "next_passage", "next coded passage";
    PrevPassage => "previous_passage", "previous coded passage";
    RemovePassage => "remove_passage", "remove the passage under the cursor";
    Yes => "yes", "yes: discard, or restore the draft";
    No => "no", "no: keep what is there";
    ReloadTheirs => "reload_theirs", "take the version on disk (yours is kept as a draft)";
    SaveCopy => "save_copy", "save your version as a copy";
    DeleteDraft => "delete_draft", "delete the draft";
    DeleteEntry => "delete", "move the selected entry to the trash (fieldnote restore brings it back)";
    FollowLink => "follow_link", "go to an entry this one links to ([[id]]), or one that links here";
    InsertLink => "insert_link", "insert a link to another entry, picked by its title";
    ShowCharts => "charts", "charts over time: activity, a code's share, followers, engagement";
    NextChart => "next_chart", "the next chart";
    StartLive => "live", "start a live session on an account: note moments as they happen";
    RemoveMoment => "remove_moment", "remove the moment being fixed";
}

impl Command {
    pub fn from_name(name: &str) -> Option<Command> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(c, ..)| *c)
    }

    /// Does this command write comments (allowed in reviewer mode, refused read-only)?
    pub fn writes_comments(self) -> bool {
        matches!(self, Command::Comment | Command::ToggleResolved)
    }

    /// Does this command change entries, accounts or the codebook (refused in read-only
    /// and reviewer mode)?
    pub fn writes(self) -> bool {
        matches!(
            self,
            Command::NewEntry
                | Command::Mark
                | Command::EditEntry
                | Command::EditBodyExternally
                | Command::Undo
                | Command::TagPicker
                | Command::AttachScreenshot
                | Command::AddCode
                | Command::RenameCode
                | Command::RecolorCode
                | Command::SetCodeKey
                | Command::AddAccount
                | Command::EditAccount
                | Command::RecordFollowers
                | Command::RemovePassage
                | Command::StartLive
                | Command::DeleteEntry
        )
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A key press, for the runtime's keymap lookup or for text input.
    Key(KeyEvent),
    /// A bound command.
    Command(Command),
    /// Time passes (drafts are autosaved on ticks); carries the time now.
    Tick(jiff::Timestamp),
    Resize(u16, u16),
    /// The result of editing in `$EDITOR`.
    ExternalEditDone(Result<String, String>),
    /// The outcome of an effect that wrote files.
    Saved(SaveOutcome),
    /// The journal was reloaded from disk; the number of files with problems.
    Reloaded(Box<crate::model::Journal>, usize),
    /// A screenshot was brought into the journal for an entry (or could not be).
    Attached(String, Result<crate::model::Screenshot, String>),
    /// Completions for a path being typed.
    PathCompletions(Vec<String>),
    /// Writing comments failed: put back `restore`, take out the new ones in `remove`
    /// (entry id, comment id).
    CommentsFailed {
        message: String,
        restore: Vec<Comment>,
        remove: Vec<(String, String)>,
    },
    /// What git knows now: `None` when the journal is not in a repository.
    GitStatus(Option<crate::store::git::GitStatus>),
    /// An autocommit's outcome (the save before it stands either way).
    Committed(Result<crate::store::git::Committed, String>),
    /// The history of an entry, or why there is none.
    History(
        String,
        Result<Vec<crate::store::git::HistoryCommit>, String>,
    ),
    /// An entry went to the trash (its id), or why it did not.
    Trashed(String, Result<(), String>),
    /// A draft could not be written (the text is still in the editor).
    DraftNotWritten(String),
    /// Something that changes no file could not be done (no viewer to open a picture, a
    /// feature a remote session does not have): the journal is as it was.
    NotDone(String),
}

/// What became of a save: `Ok` with a message, or the error and what to put back.
#[derive(Debug, Clone)]
pub enum SaveOutcome {
    Ok(String),
    /// `restore` are entries to put back as they were, `remove` new entries to take out.
    Failed {
        message: String,
        restore: Vec<Entry>,
        remove: Vec<String>,
    },
    /// Entries that could not be written, with what is needed to lose nothing.
    NotSaved(Box<NotSaved>),
}

/// A save of entries that failed: the disk is full, the folder read-only, or another
/// program changed the file since it was loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotSaved {
    pub message: String,
    /// The message of the save that failed (the label of the undo step it made).
    pub label: String,
    /// Entries to put back as they were, and new entries to take out of the model.
    pub restore: Vec<Entry>,
    pub remove: Vec<String>,
    /// The versions that were not written, and the editor's draft when the save came
    /// from the editor (its text goes back into the editor).
    pub unsaved: Vec<Entry>,
    pub draft: Option<super::draft::Draft>,
    /// Another program changed (or broke) the file: reloading or saving a copy is offered.
    pub conflict: bool,
}

/// Work the runtime does for `update`, outside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Write these entries; `previous` are their versions before the change, put back if
    /// the save fails.
    SaveEntries {
        entries: Vec<Entry>,
        previous: Vec<Entry>,
        message: String,
    },
    /// Move an entry to the trash (`fieldnote rm`).
    TrashEntry(String),
    /// Write an account; `message` says what changed (the commit's subject).
    SaveAccount {
        account: Account,
        message: String,
    },
    /// Write the codebook; `message` says what changed.
    SaveCodebook {
        codebook: Codebook,
        message: String,
    },
    /// Write these comments; `previous` are the versions they replace (none for new).
    SaveComments {
        comments: Vec<Comment>,
        previous: Vec<Comment>,
    },
    /// Ask git for the history of this entry.
    LoadHistory(String),
    /// Attach a file as a screenshot to an entry, then save the entry.
    Attach {
        entry_id: String,
        path: String,
    },
    OpenInViewer(String),
    CompletePath(String),
    EditExternally(String),
    WriteDraft(super::draft::Draft),
    RemoveDraft(String),
    Reload,
}
