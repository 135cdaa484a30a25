//! What is shown over a screen: pickers, prompts, confirmations, quotes, history, the
//! account form, and the reading view.

use super::*;

/// What a picker picks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerFor {
    /// Codes of these entries (the marked ones, or the selected one).
    EntryCodes(Vec<String>),
    /// Codes of the passage on exactly this span of the entry's body (a new passage when
    /// there is none).
    Passage(String, std::ops::Range<usize>),
    /// Codes of a moment of the live session (its index).
    LiveMoment(usize),
    /// The entries linked from or to the selected one: Enter goes there.
    FollowLink,
    /// Any entry: Enter puts a link to it into the body being written.
    InsertLink,
    /// Codes of the entry in the editor.
    EditorCodes,
    /// Accounts of the entry in the editor.
    EditorAccounts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub id: String,
    pub label: String,
    /// The group heading shown above it when the list is not filtered.
    pub group: String,
    pub checked: bool,
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub target: PickerFor,
    pub query: LineInput,
    pub items: Vec<PickItem>,
    /// Indices into `items` that match the query, best first.
    pub visible: Vec<usize>,
    pub selected: usize,
    /// The checked state when the picker opened, to see what changed.
    pub initial: Vec<bool>,
}

/// A one-line question at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    Filter,
    AttachPath(String),
    NewCode,
    RenameCode(String),
    RecolorCode(String),
    SetCodeKey(String),
    /// A follower count for the account with this handle.
    Followers(String),
    /// The account of a live session to start, and when the live began.
    LiveAccount,
}

impl PromptKind {
    pub fn label(&self) -> &'static str {
        match self {
            PromptKind::Search => "/",
            PromptKind::Filter => "filter",
            PromptKind::AttachPath(_) => "attach file",
            PromptKind::NewCode => "new code (group:Name)",
            PromptKind::RenameCode(_) => "new name",
            PromptKind::RecolorCode(_) => "colour (name or #rrggbb)",
            PromptKind::SetCodeKey(_) => "quick-tag key (empty for none)",
            PromptKind::LiveAccount => {
                "live session: @account, then when it began if you join late"
            }
            PromptKind::Followers(_) => {
                "followers (12400 or 12.4K, then when: yesterday, 2026-03-01)"
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: LineInput,
    /// What was in force before, restored on Esc (search and filter are live).
    pub before: String,
    pub error: Option<String>,
    /// Completions of the last word, shown under the prompt.
    pub completions: Vec<String>,
}

/// What the history view holds: git's answer for one entry, once it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryState {
    Loading,
    Loaded(Vec<crate::store::git::HistoryCommit>),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct HistoryView {
    pub entry_id: String,
    pub state: HistoryState,
    pub scroll: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    DiscardEdit,
    DiscardComment,
    RestoreDraft(Box<Draft>),
    /// A save refused because the file changed on disk: reload, or save as a copy?
    Conflict(Box<crate::tui::action::NotSaved>),
    /// The keymap file's mistakes (`path:line:column: what`); any key closes it.
    KeymapProblems(Vec<String>),
    /// Leave the live session: save it now?
    EndLive,
    /// Move this entry to the trash?
    DeleteEntry(String),
}

/// The entries behind a matrix cell, with their text as quotes.
#[derive(Debug, Clone)]
pub struct Quotes {
    pub title: String,
    /// The cell's codes: the passages carrying them are what is quoted.
    pub codes: Vec<String>,
    pub entries: Vec<usize>,
    pub selected: usize,
    pub offset: Cell<usize>,
}

#[derive(Debug)]
pub enum Popup {
    Help,
    Quotes(Quotes),
    Picker(Picker),
    Prompt(Prompt),
    Confirm(Confirm),
    History(HistoryView),
    AccountForm(AccountForm),
}

/// An entry's text read with a cursor: select a span (by keys alone) and code it.
#[derive(Debug, Clone)]
pub struct Reader {
    pub entry_id: String,
    /// The cursor, a byte offset of the body on a char boundary.
    pub cursor: usize,
    /// Where the selection began, while one is being made; it runs to the cursor.
    pub anchor: Option<usize>,
    /// The first row shown (kept by drawing so that the cursor stays in view).
    pub scroll: Cell<usize>,
}

impl Reader {
    pub fn new(entry_id: String) -> Reader {
        Reader {
            entry_id,
            cursor: 0,
            anchor: None,
            scroll: Cell::new(0),
        }
    }

    /// The selected bytes of `body`, both ends' chars included; `None` without a
    /// selection.
    pub fn selection(&self, body: &str) -> Option<std::ops::Range<usize>> {
        let anchor = self.anchor?;
        let cursor = crate::tui::motion::clamp(body, self.cursor);
        let anchor = crate::tui::motion::clamp(body, anchor);
        let (from, to) = (anchor.min(cursor), anchor.max(cursor));
        Some(from..crate::tui::motion::char_end(body, to))
    }
}

/// The fields of an account as the form shows them, in order.
pub const ACCOUNT_FIELDS: [&str; 7] = [
    "handle",
    "platform",
    "name",
    "category",
    "url",
    "pseudonym",
    "notes",
];

/// Adding an account, or editing one: a line per field of `ACCOUNT_FIELDS`.
#[derive(Debug, Clone)]
pub struct AccountForm {
    /// The account as it was when the form opened; `None` when adding one. A handle
    /// names the account's file and its entries' links, so an edit cannot change it.
    pub editing: Option<Account>,
    pub fields: Vec<LineInput>,
    pub focus: usize,
    pub error: Option<String>,
}

impl AccountForm {
    pub fn new_account() -> AccountForm {
        let mut fields = vec![LineInput::default(); ACCOUNT_FIELDS.len()];
        fields[1] = LineInput::suggested(crate::model::Platform::Tiktok.as_str());
        AccountForm {
            editing: None,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn edit(account: &Account) -> AccountForm {
        let values = [
            account.handle.as_str(),
            account.platform.as_str(),
            &account.display_name,
            &account.category,
            &account.url,
            &account.pseudonym,
            &account.notes,
        ];
        AccountForm {
            editing: Some(account.clone()),
            fields: values.iter().map(|v| LineInput::new(v)).collect(),
            focus: 1,
            error: None,
        }
    }

    /// Can the field at `index` be typed in?
    pub fn editable(&self, index: usize) -> bool {
        index != 0 || self.editing.is_none()
    }
}
