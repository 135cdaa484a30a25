//! Comments on the selected entry: the small editor, resolving and reopening a thread,
//! and putting things back when a write failed. Reviewers may do all of this; in
//! read-only mode `on_command` refuses before any of it runs.

use ratatui::crossterm::event::KeyEvent;

use super::super::action::{Command, Effect};
use super::super::app::{App, CommentEditor, Confirm, Popup, Status};
use crate::model::{Comment, Moment};

pub fn open(app: &mut App) -> Vec<Effect> {
    match app.selected_entry() {
        Some(e) => app.comment_editor = Some(CommentEditor::new(e.id.clone())),
        None => app.status = Status::Info("no entry selected".into()),
    }
    Vec::new()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(editor) = app.comment_editor.as_ref() else {
        return Vec::new();
    };
    match command {
        Command::Save => return save(app),
        Command::Back if !editor.text().trim().is_empty() => {
            app.popup = Some(Popup::Confirm(Confirm::DiscardComment));
        }
        Command::Back => app.comment_editor = None,
        _ => {}
    }
    Vec::new()
}

/// A key typed into the comment.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if let Some(editor) = app.comment_editor.as_mut() {
        if editor.body.input(key) {
            editor.error = None;
        }
    }
    Vec::new()
}

/// Ctrl-s: the comment goes into the thread at once and is written to its own file.
fn save(app: &mut App) -> Vec<Effect> {
    let now = Moment::in_zone(app.now, &app.journal.settings.time_zone());
    let Some(editor) = app.comment_editor.as_mut() else {
        return Vec::new();
    };
    let text = editor.text();
    if text.trim().is_empty() {
        editor.error = Some("write something first (esc cancels)".into());
        return Vec::new();
    }
    let entry_id = editor.entry_id.clone();
    app.comment_editor = None;
    let comment = app.journal.new_comment(&entry_id, &app.author, &text, now);
    app.journal.put_comment(comment.clone());
    app.refresh_rows();
    app.status = Status::Info(format!("comment added to {entry_id}"));
    vec![Effect::SaveComments {
        comments: vec![comment],
        previous: Vec::new(),
    }]
}

/// `r`: resolve every open comment of the selected entry's thread, or when all are
/// resolved, reopen its last comment.
pub fn toggle_resolved(app: &mut App) -> Vec<Effect> {
    let Some(id) = app.selected_entry().map(|e| e.id.clone()) else {
        app.status = Status::Info("no entry selected".into());
        return Vec::new();
    };
    let changed = app.journal.toggled_thread(&id);
    if changed.is_empty() {
        app.status = Status::Info("no comments on this entry (c adds one)".into());
        return Vec::new();
    }
    let previous: Vec<Comment> = changed
        .iter()
        .filter_map(|c| app.journal.comment(&c.entry, &c.id).cloned())
        .collect();
    for c in &changed {
        app.journal.put_comment(c.clone());
    }
    app.refresh_rows();
    let n = changed.len();
    app.status = Status::Info(if changed[0].resolved {
        format!(
            "resolved {n} comment{} on {id}",
            if n == 1 { "" } else { "s" }
        )
    } else {
        format!("reopened the thread on {id}")
    });
    vec![Effect::SaveComments {
        comments: changed,
        previous,
    }]
}

/// A comment write failed: the thread goes back to what is on disk.
pub fn failed(
    app: &mut App,
    message: String,
    restore: Vec<Comment>,
    remove: Vec<(String, String)>,
) -> Vec<Effect> {
    for (entry, id) in &remove {
        app.journal.remove_comment(entry, id);
    }
    for c in restore {
        app.journal.put_comment(c);
    }
    app.refresh_rows();
    app.status = Status::Error(format!("{message} — {}", app.reload_hint()));
    Vec::new()
}
