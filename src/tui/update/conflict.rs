//! When entries could not be saved: put the model back, give the typed text back to the
//! editor, and — when another program changed the file — let the user reload theirs or
//! save this version as a copy. Never a silent overwrite, never a lost note.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::super::action::{Effect, NotSaved};
use super::super::app::{App, Confirm, EntryEditor, Popup, Status};
use super::editor::fresh_id;

pub fn not_saved(app: &mut App, n: Box<NotSaved>) -> Vec<Effect> {
    for e in &n.restore {
        app.put_entry(e.clone());
    }
    for id in &n.remove {
        app.remove_entry(id);
    }
    app.refresh_rows();
    // Only the step this save made is undone (an editor save makes none).
    if app.undo.last().is_some_and(|u| u.label == n.label) {
        app.undo.pop();
    }
    if let Some(d) = &n.draft {
        let original = app.journal.entry(&d.entry_id);
        app.editor = Some(Box::new(EntryEditor::from_draft(d, original)));
    }
    let first = n.message.lines().next().unwrap_or_default();
    let kept = if n.draft.is_some() {
        "your text is back in the editor"
    } else {
        "R reloads the journal"
    };
    app.status = Status::Error(format!("{first} — {kept}"));
    if n.conflict {
        app.popup = Some(Popup::Confirm(Confirm::Conflict(n)));
    }
    Vec::new()
}

/// The answer to "the file changed on disk": `r` reload theirs (this version stays as a
/// draft, offered back), `c` save this version as a copy, Esc decide later.
pub fn on_key(app: &mut App, n: &NotSaved, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('r') => {
            app.popup = None;
            app.editor = None;
            let mut effects = Vec::new();
            if let Some(d) = &n.draft {
                // Written again: the first write may have failed.
                effects.push(Effect::WriteDraft(d.clone()));
                app.pending_drafts.push(d.clone());
            }
            effects.push(Effect::Reload);
            effects
        }
        KeyCode::Char('c') => save_copy(app, n),
        KeyCode::Esc => {
            app.popup = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn save_copy(app: &mut App, n: &NotSaved) -> Vec<Effect> {
    app.popup = None;
    app.editor = None;
    let mut copies = Vec::new();
    for e in &n.unsaved {
        let mut copy = e.clone();
        copy.id = fresh_id(&app.journal, &copy.observed_at, app.now);
        app.put_entry(copy.clone());
        copies.push(copy);
    }
    let ids: Vec<&str> = copies.iter().map(|c| c.id.as_str()).collect();
    let message = format!("your version saved as a copy: {}", ids.join(", "));
    app.refresh_rows();
    app.status = Status::Info(message.clone());
    let mut effects = vec![Effect::SaveEntries {
        entries: copies,
        previous: Vec::new(),
        message,
    }];
    if let Some(d) = &n.draft {
        effects.push(Effect::RemoveDraft(d.key.clone()));
    }
    // Then their version, from disk.
    effects.push(Effect::Reload);
    effects
}
