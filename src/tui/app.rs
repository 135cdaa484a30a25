//! The whole state of the terminal interface. Plain data: `update` changes it, `ui`
//! draws it, and tests build it without a terminal.

use std::cell::{Cell, OnceCell};
use std::collections::BTreeSet;

use jiff::Timestamp;
use ratatui_textarea::{TextArea, WrapMode};
use rayon::prelude::*;

use super::draft::Draft;
use super::input::LineInput;
use super::keymap::{Context, Keymap};
use crate::analysis::search::Query;
use crate::analysis::usage::Usage;
use crate::analysis::{By, CoOccurrence, Filter, Matrix, TextIndex};
use crate::model::{Account, Entry, Journal, Kind, Moment};

/// What a session may change: everything, only comments (reviewer mode, signed with
/// `App::author`), or nothing. The store enforces the same on every write.
pub use crate::store::Access;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Timeline,
    Accounts,
    Codebook,
    Matrix,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Preview,
}

/// Chip labels are at least this many characters: `Live`, `Dail`, `Prom`.
const CHIP_LABEL_MIN: usize = 4;

/// What a timeline is narrowed to when opened from another screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Account(String),
    Code(String),
}

#[derive(Debug, Default)]
pub struct Timeline {
    pub scope: Option<Scope>,
    pub filter: Filter,
    pub search: Query,
    /// Entry indices shown, newest first.
    pub rows: Vec<usize>,
    pub selected: usize,
    /// First visible row; adjusted while drawing to keep the selection in view.
    pub offset: Cell<usize>,
    /// Ids of entries marked for tagging several at once.
    pub marked: BTreeSet<String>,
    pub focus: Option<Pane>,
    pub preview_scroll: u16,
    /// An entry just saved that the view would hide: shown and selected all the same, so
    /// that the next code key tags what the person just wrote, never the row that
    /// happened to be under the cursor. It stays while the view it was saved under does.
    pub pinned: Option<Pinned>,
}

/// An entry shown outside its view, and the view (scope, filter, search) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    pub id: String,
    view: (Option<Scope>, Filter, Query),
}

impl Timeline {
    fn view(&self) -> (Option<Scope>, Filter, Query) {
        (self.scope.clone(), self.filter.clone(), self.search.clone())
    }

    /// Show entry `id` in this view although the view would hide it.
    pub fn pin(&mut self, id: String) {
        self.pinned = Some(Pinned {
            id,
            view: self.view(),
        });
    }

    /// The pinned entry's id, while the view is still the one it was pinned in.
    fn pinned_here(&self) -> Option<&str> {
        self.pinned
            .as_ref()
            .filter(|p| p.view == self.view())
            .map(|p| p.id.as_str())
    }
}

#[derive(Debug, Default)]
pub struct Cursor {
    pub selected: usize,
    pub offset: Cell<usize>,
}

/// The fields of the entry editor, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ObservedAt,
    Kind,
    Accounts,
    Title,
    Body,
    Codes,
}

impl Field {
    pub const ORDER: [Field; 6] = [
        Field::ObservedAt,
        Field::Kind,
        Field::Accounts,
        Field::Title,
        Field::Body,
        Field::Codes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::ObservedAt => "Observed",
            Field::Kind => "Kind",
            Field::Accounts => "Accounts",
            Field::Title => "Title",
            Field::Body => "Body",
            Field::Codes => "Codes",
        }
    }
}

#[derive(Debug)]
pub struct EntryEditor {
    /// The entry as it was before editing; `None` for a new entry.
    pub original: Option<Entry>,
    pub draft_key: String,
    pub field: Field,
    pub observed_at: LineInput,
    pub kind: Kind,
    pub accounts: Vec<String>,
    pub title: LineInput,
    pub body: TextArea<'static>,
    pub codes: Vec<String>,
    pub error: Option<String>,
    /// Changed since opened.
    pub dirty: bool,
    /// Changed since the last draft was written.
    pub unsaved_draft: bool,
    /// Ticks since the last draft was written.
    pub ticks_since_draft: u32,
}

impl EntryEditor {
    pub fn new_entry(now: Moment, draft_key: String) -> EntryEditor {
        EntryEditor {
            original: None,
            draft_key,
            field: Field::Body,
            observed_at: LineInput::suggested(&now.short()),
            kind: Kind::Observation,
            accounts: Vec::new(),
            title: LineInput::default(),
            body: body_area(""),
            codes: Vec::new(),
            error: None,
            dirty: false,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    pub fn edit(entry: &Entry) -> EntryEditor {
        EntryEditor {
            original: Some(entry.clone()),
            draft_key: entry.id.clone(),
            field: Field::Body,
            observed_at: LineInput::suggested(&entry.observed_at.to_string()),
            kind: entry.kind,
            accounts: entry.accounts.clone(),
            title: LineInput::new(&entry.title),
            body: body_area(&entry.body),
            codes: entry.codes.clone(),
            error: None,
            dirty: false,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    pub fn from_draft(draft: &Draft, original: Option<&Entry>) -> EntryEditor {
        EntryEditor {
            original: original.cloned(),
            draft_key: draft.key.clone(),
            field: Field::Body,
            observed_at: LineInput::new(&draft.observed_at),
            kind: Kind::parse(&draft.kind).unwrap_or_default(),
            accounts: draft.accounts.clone(),
            title: LineInput::new(&draft.title),
            body: body_area(&draft.body),
            codes: draft.codes.clone(),
            error: None,
            dirty: true,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    pub fn body_text(&self) -> String {
        let mut text = self.body.lines().join("\n");
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    pub fn set_body(&mut self, text: &str) {
        self.body = body_area(text);
        self.changed();
    }

    pub fn changed(&mut self) {
        self.dirty = true;
        self.unsaved_draft = true;
    }

    pub fn to_draft(&self, saved_at: Moment) -> Draft {
        Draft {
            key: self.draft_key.clone(),
            entry_id: self
                .original
                .as_ref()
                .map(|e| e.id.clone())
                .unwrap_or_default(),
            saved_at: saved_at.to_string(),
            observed_at: self.observed_at.text.clone(),
            kind: self.kind.as_str().to_string(),
            accounts: self.accounts.clone(),
            codes: self.codes.clone(),
            title: self.title.text.clone(),
            body: self.body_text(),
        }
    }
}

fn body_area(text: &str) -> TextArea<'static> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let mut area = TextArea::new(lines);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.set_placeholder_text(
        "What happened? (Ctrl-s saves, Esc closes, Tab moves between fields)",
    );
    area
}

/// What a picker picks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerFor {
    /// Codes of these entries (the marked ones, or the selected one).
    EntryCodes(Vec<String>),
    /// Codes of the passage on exactly this span of the entry's body (a new passage when
    /// there is none).
    Passage(String, std::ops::Range<usize>),
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

/// The small editor a comment is written in.
#[derive(Debug)]
pub struct CommentEditor {
    pub entry_id: String,
    pub body: TextArea<'static>,
    pub error: Option<String>,
}

impl CommentEditor {
    pub fn new(entry_id: String) -> CommentEditor {
        let mut body = TextArea::default();
        body.set_wrap_mode(WrapMode::WordOrGlyph);
        body.set_placeholder_text("Your comment (ctrl-s sends, esc cancels)");
        CommentEditor {
            entry_id,
            body,
            error: None,
        }
    }

    pub fn text(&self) -> String {
        self.body.lines().join("\n").trim_end().to_string()
    }
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
    Conflict(Box<super::action::NotSaved>),
    /// The keymap file's mistakes (`path:line:column: what`); any key closes it.
    KeymapProblems(Vec<String>),
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

/// The data display: codes against accounts, kinds or months.
#[derive(Debug, Default)]
pub struct MatrixView {
    pub by: By,
    pub transposed: bool,
    /// Shares of the column's entries instead of counts.
    pub share: bool,
    /// Codes against codes: which appear together.
    pub cooccurrence: bool,
    /// Groups (by name) folded away.
    pub collapsed: BTreeSet<String>,
    pub row: usize,
    pub col: usize,
    pub row_offset: Cell<usize>,
    pub col_offset: Cell<usize>,
    pub matrix: Option<Matrix>,
    pub pairs: Option<CoOccurrence>,
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
        let cursor = super::motion::clamp(body, self.cursor);
        let anchor = super::motion::clamp(body, anchor);
        let (from, to) = (anchor.min(cursor), anchor.max(cursor));
        Some(from..super::motion::char_end(body, to))
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    None,
    Info(String),
    Error(String),
}

/// One undoable tagging change: the entries as they were before it.
#[derive(Debug, Clone)]
pub struct UndoStep {
    pub before: Vec<Entry>,
    pub label: String,
}

#[derive(Debug)]
pub struct App {
    pub journal: Journal,
    /// The search index: built while the interface waits for keys (`build_index_some`),
    /// so the first frame does not wait for it; a search completes it first if needed.
    pub index: TextIndex,
    /// Counts for the accounts and codebook screens (see `usage`).
    usage: OnceCell<Usage>,
    /// The codes' short chip labels (see `Codebook::short_labels`), made when first drawn
    /// after the codebook changed.
    chip_labels: OnceCell<std::collections::HashMap<String, String>>,
    pub mode: Access,
    pub keymap: Keymap,
    pub screen: Screen,
    /// Where Esc on a scoped timeline goes back to.
    pub came_from: Option<Screen>,
    /// The matrix drill-down that Enter jumped from to an entry: Esc on the timeline goes
    /// back to it, as a browser's back button would.
    pub left_quotes: Option<Quotes>,
    pub timeline: Timeline,
    pub accounts: Cursor,
    pub codebook: Cursor,
    pub matrix: MatrixView,
    pub editor: Option<Box<EntryEditor>>,
    /// The reading view of the selected entry, where passages are selected and coded.
    pub reader: Option<Reader>,
    pub comment_editor: Option<CommentEditor>,
    pub popup: Option<Popup>,
    pub undo: Vec<UndoStep>,
    pub status: Status,
    pub show_image: bool,
    pub help_scroll: u16,
    /// Rows a page holds, learned from the last resize.
    pub page: usize,
    /// The clock, advanced by ticks (kept in the state so `update` stays pure).
    pub now: Timestamp,
    /// Drafts found at start, offered back one by one.
    pub pending_drafts: Vec<Draft>,
    /// Load problems, shown once in the status bar.
    pub problems: usize,
    /// Warnings about screenshot files (missing, changed), by path; filled by the
    /// runtime for the selected entry so drawing never touches the disk.
    pub screenshot_warnings: std::collections::HashMap<String, String>,
    /// The name comments written here are signed with.
    pub author: String,
    /// Is the journal in a git work tree? Git features are hidden until it is known.
    pub has_git: bool,
    /// The status bar's git part, computed in the background.
    pub git: Option<crate::store::git::GitStatus>,
    /// Why a screenshot is not shown as a picture (too large, not an image), by path.
    pub image_notes: std::collections::HashMap<String, String>,
    pub should_quit: bool,
}

impl App {
    pub fn new(journal: Journal, mode: Access, keymap: Keymap, now: Timestamp) -> App {
        let mut app = App {
            journal,
            index: TextIndex::default(),
            usage: OnceCell::new(),
            chip_labels: OnceCell::new(),
            mode,
            keymap,
            screen: Screen::Timeline,
            came_from: None,
            left_quotes: None,
            timeline: Timeline::default(),
            accounts: Cursor::default(),
            codebook: Cursor::default(),
            matrix: MatrixView::default(),
            editor: None,
            reader: None,
            comment_editor: None,
            popup: None,
            undo: Vec::new(),
            status: Status::None,
            show_image: false,
            help_scroll: 0,
            page: 20,
            now,
            pending_drafts: Vec::new(),
            problems: 0,
            screenshot_warnings: Default::default(),
            author: String::new(),
            has_git: false,
            git: None,
            image_notes: Default::default(),
            should_quit: false,
        };
        app.refresh_rows();
        app
    }

    /// The contexts of the screen under any popup: what the help screen lists.
    pub fn screen_contexts(&self) -> Vec<Context> {
        if self.comment_editor.is_some() {
            return vec![Context::Comment];
        }
        if self.editor.is_some() {
            return vec![Context::Editor];
        }
        if self.reader.is_some() {
            return vec![Context::Reader];
        }
        let own = match self.screen {
            Screen::Timeline => Context::Timeline,
            Screen::Accounts => Context::Accounts,
            Screen::Codebook => Context::Codebook,
            Screen::Matrix => Context::Matrix,
        };
        vec![own, Context::List, Context::Global]
    }

    /// The contexts whose keys apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.popup.is_none() && self.comment_editor.is_some() {
            return vec![Context::Comment];
        }
        match &self.popup {
            Some(Popup::Help | Popup::History(_)) => vec![Context::List, Context::Global],
            Some(Popup::Quotes(_)) => vec![Context::Quotes, Context::List],
            Some(Popup::Picker(_)) => vec![Context::Picker],
            Some(Popup::Prompt(_) | Popup::AccountForm(_)) => vec![Context::Prompt],
            Some(Popup::Confirm(_)) => vec![Context::Confirm],
            None => self.screen_contexts(),
        }
    }

    /// The timeline's filter with its search and scope folded in: what the matrix
    /// counts. An account scope replaces the filter's accounts.
    pub fn effective_filter(&self) -> Filter {
        let mut f = self.searched_filter();
        match &self.timeline.scope {
            Some(Scope::Account(h)) => f.accounts = vec![h.clone()],
            Some(Scope::Code(c)) if !f.all_codes.contains(c) => f.all_codes.push(c.clone()),
            _ => {}
        }
        f
    }

    /// The filter bar's filter with the search typed after `/` folded in.
    pub fn searched_filter(&self) -> Filter {
        let mut f = self.timeline.filter.clone();
        f.text = self.timeline.search.clone();
        f
    }

    /// Run `change`, then select again the entry that was selected (its row may have
    /// moved), or the first row when it is no longer shown.
    pub fn keeping_selection(&mut self, change: impl FnOnce(&mut App)) {
        let keep = self.selected_entry().map(|e| e.id.clone());
        change(self);
        if !keep.is_some_and(|id| self.select_entry(&id)) {
            self.timeline.selected = 0;
        }
    }

    /// `R reloads the journal`, with the key the keymap gives reloading.
    pub fn reload_hint(&self) -> String {
        match self
            .keymap
            .key(&[Context::Timeline], super::action::Command::Reload)
        {
            Some(key) => format!("{key} reloads the journal"),
            None => "reload the journal".to_string(),
        }
    }

    /// The entry the reading view reads: the selected one (found by index, not by a
    /// search of every entry), else wherever it is.
    pub fn reading_entry(&self) -> Option<&Entry> {
        let id = &self.reader.as_ref()?.entry_id;
        match self.selected_entry() {
            Some(e) if e.id == *id => Some(e),
            _ => self.journal.entry(id),
        }
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.timeline
            .rows
            .get(self.timeline.selected)
            .and_then(|&i| self.journal.entries.get(i))
    }

    /// Is the search index still being built?
    pub fn index_pending(&self) -> bool {
        !self.index.is_complete(&self.journal)
    }

    /// Build a part of the search index (what the runtime does while no key is waiting);
    /// returns whether it is complete.
    pub fn build_index_some(&mut self) -> bool {
        /// About a millisecond or two of folding on two cores.
        const STEP: usize = 2_000;
        self.index.build_some(&self.journal, STEP)
    }

    /// Recompute the timeline's rows after the journal, scope, filter or search changed,
    /// keeping the same entry selected when it is still shown.
    pub fn refresh_rows(&mut self) {
        if !self.timeline.search.is_empty() {
            // Searching before the index is complete: finish it now, once.
            self.index.complete(&self.journal);
        }
        self.keeping_selection(|app| app.timeline.rows = app.timeline_rows());
    }

    /// The rows the timeline shows, newest first: the scope, filter and search applied,
    /// and the pinned entry (just saved) kept in view.
    fn timeline_rows(&self) -> Vec<usize> {
        let scope = match &self.timeline.scope {
            Some(Scope::Account(h)) => Filter {
                accounts: vec![h.clone()],
                ..Filter::default()
            },
            Some(Scope::Code(c)) => Filter {
                all_codes: vec![c.clone()],
                ..Filter::default()
            },
            None => Filter::default(),
        };
        let mut rows: Vec<usize> = self
            .searched_filter()
            .apply(&self.journal, Some(&self.index))
            .into_iter()
            .filter(|&i| scope.matches_fields(&self.journal.entries[i]))
            .collect();
        rows.reverse();
        let pinned = self
            .timeline
            .pinned_here()
            .and_then(|id| self.journal.entry_index(id));
        if let Some(at) = pinned.filter(|at| !rows.contains(at)) {
            // Rows are newest first, and entry indices grow with time.
            rows.insert(rows.partition_point(|&r| r > at), at);
        }
        rows
    }

    /// Select entry `id` on the timeline, pinning it into view when the view hides it
    /// (then false, for the caller to say so): selecting another row instead would make
    /// the next code key tag the wrong entry.
    pub fn show_entry(&mut self, id: &str) -> bool {
        if self.select_entry(id) {
            return true;
        }
        self.timeline.pin(id.to_string());
        self.refresh_rows();
        self.select_entry(id);
        false
    }

    /// Select entry `id` on the timeline; false when it is not shown there.
    pub fn select_entry(&mut self, id: &str) -> bool {
        let entries = &self.journal.entries;
        match self.timeline.rows.iter().position(|&i| entries[i].id == id) {
            Some(pos) => {
                self.timeline.selected = pos;
                true
            }
            None => false,
        }
    }

    /// Change the search. Typing more of a word only narrows what is shown, so then only
    /// the rows already shown are scanned again (this keeps each keystroke fast on a
    /// journal of 100,000 entries).
    pub fn set_search(&mut self, query: Query) {
        if self.timeline.search.is_widened_by(&query) {
            self.index.complete(&self.journal);
            self.keeping_selection(|app| {
                let index = &app.index;
                app.timeline.rows = app
                    .timeline
                    .rows
                    .par_iter()
                    .copied()
                    .filter(|&i| index.matches(i, &query))
                    .collect();
                app.timeline.search = query;
            });
        } else {
            self.timeline.search = query;
            self.refresh_rows();
        }
    }

    /// Code counts and account usage, counted when first asked for after the entries
    /// changed.
    pub fn usage(&self) -> &Usage {
        self.usage.get_or_init(|| Usage::of(&self.journal))
    }

    /// Replace the whole journal (reloaded from disk): the search index is rebuilt while
    /// the interface waits, as at start, and the counts when next needed.
    /// Rows and drill-downs hold entry indices into the old journal: they are emptied
    /// here and made again by the caller.
    pub fn replace_journal(&mut self, journal: Journal) {
        self.journal = journal;
        self.timeline.rows.clear();
        if matches!(self.popup, Some(Popup::Quotes(_))) {
            self.popup = None;
        }
        self.left_quotes = None;
        self.chip_labels = OnceCell::new();
        self.index = TextIndex::default();
        self.usage = OnceCell::new();
    }

    /// The short label of code `id` for a chip: unique across the codebook, so a row's
    /// codes can be read without guessing (`None` for a code not in the codebook).
    pub fn chip_label(&self, id: &str) -> Option<&str> {
        self.chip_labels
            .get_or_init(|| self.journal.codebook.short_labels(CHIP_LABEL_MIN))
            .get(id)
            .map(String::as_str)
    }

    /// The codebook was changed here: labels are made again when next drawn.
    pub fn codebook_changed(&mut self) {
        self.chip_labels = OnceCell::new();
    }

    /// Put `account` into the journal (new or changed), kept in handle order, and
    /// select it on the accounts screen.
    pub fn put_account(&mut self, account: Account) {
        self.usage = OnceCell::new();
        let accounts = &mut self.journal.accounts;
        let at = match accounts.binary_search_by(|a| a.handle.cmp(&account.handle)) {
            Ok(at) => {
                accounts[at] = account;
                at
            }
            Err(at) => {
                accounts.insert(at, account);
                at
            }
        };
        self.accounts.selected = at;
    }

    /// Put `entry` into the journal (new or changed), keeping the search index right.
    pub fn put_entry(&mut self, entry: Entry) {
        self.usage = OnceCell::new();
        let before = self.journal.entry_index(&entry.id);
        let same_place =
            before.is_some_and(|i| self.journal.entries[i].observed_at == entry.observed_at);
        let at = self.journal.upsert_entry(entry);
        let entry = &self.journal.entries[at];
        match before {
            Some(_) if same_place => self.index.set(at, entry),
            Some(old) => {
                self.index.remove(old);
                self.index.insert(at, entry);
            }
            None => self.index.insert(at, entry),
        }
    }

    /// Take an entry out of the journal (a new entry whose save failed).
    pub fn remove_entry(&mut self, id: &str) {
        if let Some(i) = self.journal.entry_index(id) {
            self.usage = OnceCell::new();
            self.journal.entries.remove(i);
            self.index.remove(i);
        }
    }

    /// The ids the tagging keys act on: the marked entries, else the selected one.
    pub fn tag_targets(&self) -> Vec<String> {
        if !self.timeline.marked.is_empty() {
            return self.timeline.marked.iter().cloned().collect();
        }
        self.selected_entry()
            .map(|e| vec![e.id.clone()])
            .unwrap_or_default()
    }

    /// May this session change entries, accounts and the codebook?
    pub fn can_edit(&self) -> bool {
        self.mode == Access::Full
    }

    /// May this session write comments?
    pub fn can_comment(&self) -> bool {
        self.mode != Access::ReadOnly
    }

    pub fn open_comment_count(&self) -> usize {
        self.journal.comments.iter().filter(|c| !c.resolved).count()
    }
}

/// A line of the matrix: a group heading (foldable) or a row of numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowItem {
    Group { name: String, collapsed: bool },
    Row(usize),
}

impl MatrixView {
    pub fn row_headers(&self) -> &[crate::analysis::matrix::Header] {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => &p.codes,
            (_, Some(m)) => m.rows(),
            _ => &[],
        }
    }

    pub fn col_headers(&self) -> &[crate::analysis::matrix::Header] {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => &p.codes,
            (_, Some(m)) => m.cols(),
            _ => &[],
        }
    }

    /// The lines shown: codes under their group headings (folded groups show only the
    /// heading); other axes have no groups.
    pub fn row_items(&self) -> Vec<RowItem> {
        let headers = self.row_headers();
        let mut items = Vec::with_capacity(headers.len() + 8);
        let mut last_group: Option<&str> = None;
        for (i, h) in headers.iter().enumerate() {
            if let Some(group) = h.group.as_deref() {
                let collapsed = self.collapsed.contains(group);
                if last_group != Some(group) {
                    items.push(RowItem::Group {
                        name: group.to_string(),
                        collapsed,
                    });
                    last_group = Some(group);
                }
                if collapsed {
                    continue;
                }
            }
            items.push(RowItem::Row(i));
        }
        items
    }

    /// Count and share (of the column's entries) of a cell.
    pub fn cell(&self, row: usize, col: usize) -> (usize, Option<f64>) {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => (p.count(row, col), None),
            (_, Some(m)) => (m.count(row, col), m.share(row, col)),
            _ => (0, None),
        }
    }
}
