//! `H`: the selected entry's git history (commits and diffs) in a scrollable view.

use super::super::action::{Command, Effect};
use super::super::app::{App, HistoryState, HistoryView, Popup, Status};
use crate::store::git::HistoryCommit;

pub fn open(app: &mut App) -> Vec<Effect> {
    if !app.has_git {
        app.status = Status::Info("history needs git: this journal is not in a repository".into());
        return Vec::new();
    }
    let Some(id) = app.selected_entry().map(|e| e.id.clone()) else {
        app.status = Status::Info("no entry selected".into());
        return Vec::new();
    };
    app.popup = Some(Popup::History(HistoryView {
        entry_id: id.clone(),
        state: HistoryState::Loading,
        scroll: 0,
    }));
    vec![Effect::LoadHistory(id)]
}

/// Git answered; shown only if the view for that entry is still open.
pub fn loaded(app: &mut App, entry_id: String, result: Result<Vec<HistoryCommit>, String>) {
    if let Some(Popup::History(view)) = app.popup.as_mut() {
        if view.entry_id == entry_id {
            view.state = match result {
                Ok(commits) => HistoryState::Loaded(commits),
                Err(e) => HistoryState::Failed(e),
            };
        }
    }
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let page = app.page as u16;
    let Some(Popup::History(view)) = app.popup.as_mut() else {
        return Vec::new();
    };
    if !super::scroll(&mut view.scroll, command, page) {
        app.popup = None;
    }
    Vec::new()
}
