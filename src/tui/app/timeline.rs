//! The timeline's state: its rows, scope, selection, marks and the entry pinned in view.

use super::*;

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
    pub(super) fn pinned_here(&self) -> Option<&str> {
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
