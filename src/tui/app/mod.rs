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
use crate::analysis::keys::EntryKeys;
use crate::analysis::search::Query;
use crate::analysis::usage::Usage;
use crate::analysis::{By, CoOccurrence, Filter, Matrix, TextIndex};
use crate::model::live::{LiveMoment, LiveSession};
use crate::model::{Account, Entry, Journal, Kind, Moment};

mod charts;
mod editors;
mod matrix;
mod popups;
mod timeline;

pub use charts::*;
pub use editors::*;
pub use matrix::*;
pub use popups::*;
pub use timeline::*;

/// Chip labels are at least this many characters: `Live`, `Dail`, `Prom`.
const CHIP_LABEL_MIN: usize = 4;

/// What a session may change: everything, only comments (reviewer mode, signed with
/// `App::author`), or nothing. The store enforces the same on every write.
pub use crate::store::Access;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Timeline,
    Accounts,
    Codebook,
    Matrix,
    Charts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Preview,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    None,
    Info(String),
    Error(String),
}

/// The `[[id]]` links of a journal both ways, by entry id.
#[derive(Debug, Default)]
struct LinkIndex {
    /// Entry -> the entries it links to, in body order.
    to: std::collections::HashMap<String, Vec<String>>,
    /// Entry -> the entries that link to it.
    from: std::collections::HashMap<String, Vec<String>>,
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
    /// The links between entries, found when first needed after the entries changed.
    links: OnceCell<LinkIndex>,
    /// The entries' codes and accounts numbered, for counting the matrix: built after
    /// the search index while no key waits, again after the entries change.
    keys: EntryKeys,
    /// The entries a followed link left, to go back to with Esc.
    pub link_back: Vec<String>,
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
    pub charts: ChartsView,
    pub editor: Option<Box<EntryEditor>>,
    /// The reading view of the selected entry, where passages are selected and coded.
    pub reader: Option<Reader>,
    /// A live session being noted.
    pub live: Option<Box<LiveCapture>>,
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
    /// Only the newest entries are here, shown while the whole journal loads (see
    /// `tui::Starting`): counts are not known yet, and no key is taken.
    pub opening: bool,
}

impl App {
    pub fn new(journal: Journal, mode: Access, keymap: Keymap, now: Timestamp) -> App {
        let mut app = App {
            journal,
            index: TextIndex::default(),
            usage: OnceCell::new(),
            chip_labels: OnceCell::new(),
            links: OnceCell::new(),
            keys: EntryKeys::default(),
            link_back: Vec::new(),
            mode,
            keymap,
            screen: Screen::Timeline,
            came_from: None,
            left_quotes: None,
            timeline: Timeline::default(),
            accounts: Cursor::default(),
            codebook: Cursor::default(),
            matrix: MatrixView::default(),
            charts: ChartsView::default(),
            editor: None,
            reader: None,
            live: None,
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
            opening: false,
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
        if self.live.is_some() {
            return vec![Context::Live];
        }
        if self.reader.is_some() {
            return vec![Context::Reader];
        }
        let own = match self.screen {
            Screen::Timeline => Context::Timeline,
            Screen::Accounts => Context::Accounts,
            Screen::Codebook => Context::Codebook,
            Screen::Matrix => Context::Matrix,
            Screen::Charts => Context::Charts,
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
            .key(&[Context::Timeline], crate::tui::action::Command::Reload)
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

    /// Is anything still to be built while no key waits: the search index, then the
    /// numbered entries the matrix counts with?
    pub fn background_pending(&self) -> bool {
        self.index_pending() || !self.keys.is_complete(&self.journal)
    }

    /// Build a part of what is pending (what the runtime does while no key is waiting),
    /// the search index first; returns whether everything is built.
    pub fn build_some(&mut self) -> bool {
        /// About a millisecond or two of folding on two cores.
        const STEP: usize = 2_000;
        if self.index_pending() {
            self.index.build_some(&self.journal, STEP);
        } else {
            self.keys.build_some(&self.journal, STEP);
        }
        !self.background_pending()
    }

    /// Number the entries for counting now, what the runtime has not had the time to.
    pub fn complete_keys(&mut self) {
        if self.keys.entries() == 0 {
            self.keys = EntryKeys::of(&self.journal);
        } else {
            self.keys.build_some(&self.journal, usize::MAX);
        }
    }

    /// The entries numbered for counting (complete after `complete_keys`).
    pub fn keys(&self) -> &EntryKeys {
        &self.keys
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
                let (index, entries) = (&app.index, &app.journal.entries);
                app.timeline.rows = app
                    .timeline
                    .rows
                    .par_iter()
                    .copied()
                    .filter(|&i| index.matches(i, &entries[i], &query))
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
        self.entries_changed();
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

    /// Counts and links are found again when next needed.
    fn entries_changed(&mut self) {
        self.usage = OnceCell::new();
        self.links = OnceCell::new();
        self.keys = EntryKeys::default();
    }

    /// Who links to whom, found once after the entries changed: one pass over the bodies
    /// that hold `[[`, not a search of every id each time the preview is drawn.
    fn link_index(&self) -> &LinkIndex {
        self.links.get_or_init(|| {
            use crate::model::links;
            let ids = links::sorted_ids(&self.journal);
            let mut index = LinkIndex::default();
            for e in self
                .journal
                .entries
                .iter()
                .filter(|e| e.body.contains("[["))
            {
                for (_, target) in links::links(&e.body) {
                    let Ok(to) = links::resolve(&ids, target) else {
                        continue;
                    };
                    let out = index.to.entry(e.id.clone()).or_default();
                    if !out.iter().any(|o| o == to) {
                        out.push(to.to_string());
                    }
                    let from = index.from.entry(to.to_string()).or_default();
                    if to != e.id && !from.contains(&e.id) {
                        from.push(e.id.clone());
                    }
                }
            }
            index
        })
    }

    /// The ids of the entries that link to entry `id`.
    pub fn backlinks(&self, id: &str) -> &[String] {
        self.link_index().from.get(id).map_or(&[], Vec::as_slice)
    }

    /// The entries entry `e` links to that exist, in the order the body names them.
    pub fn links_of(&self, e: &Entry) -> &[String] {
        self.link_index().to.get(&e.id).map_or(&[], Vec::as_slice)
    }

    /// Put `account` into the journal (new or changed), kept in handle order, and
    /// select it on the accounts screen.
    pub fn put_account(&mut self, account: Account) {
        self.entries_changed();
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
        self.entries_changed();
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
            self.entries_changed();
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
