//! When entries could not be saved: put the model back, give the typed text back to the
//! editor, and — when another program changed the file — let the user reload theirs or
//! save this version as a copy. Never a silent overwrite, never a lost note.

use super::super::action::{Command, Effect, NotSaved};
use super::super::app::{App, Confirm, EntryEditor, Popup, Status};
use super::super::draft::Draft;
use super::editor::fresh_id;
use crate::model::Entry;

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
    let first = &n.message;
    let kept = if n.draft.is_some() {
        "your text is back in the editor".to_string()
    } else {
        app.reload_hint()
    };
    app.status = Status::Error(format!("{first} — {kept}"));
    if n.conflict {
        app.popup = Some(Popup::Confirm(Confirm::Conflict(n)));
    }
    Vec::new()
}

/// The answer to "the file changed on disk": `r` reload theirs (this version stays as a
/// draft, offered back), `c` save this version as a copy, Esc decide later.
pub fn on_command(app: &mut App, n: &NotSaved, command: Option<Command>) -> Vec<Effect> {
    match command {
        Some(Command::ReloadTheirs) => {
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
        Some(Command::SaveCopy) => save_copy(app, n),
        Some(Command::Back) => {
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

/// The editor's version `mine` of an entry it opened as `base`, against what the journal
/// holds now (`theirs`, from disk). Unchanged on disk: `mine`. Changed on disk in other
/// fields than the editor changed: the two merged, field by field. The same field
/// changed on both sides, or the entry deleted: refused like a save the store refused,
/// with the choice of reloading theirs or saving mine as a copy. Never a silent
/// overwrite. Returns the entry to save and the version to put back if that save fails.
pub fn merge_with_disk(
    app: &mut App,
    base: &Entry,
    mine: Entry,
    draft: &Draft,
) -> Result<(Entry, Entry), Vec<Effect>> {
    let merged = match app.journal.entry(&base.id) {
        Some(theirs) if theirs == base => return Ok((mine, base.clone())),
        Some(theirs) => merge_fields(base, theirs, &mine).map(|m| (m, theirs.clone())),
        None => Err(vec!["the whole entry (deleted)"]),
    };
    match merged {
        Ok(both) => Ok(both),
        Err(fields) => {
            let message = format!(
                "{} was changed on disk since you opened it ({} changed on both sides); nothing was written",
                base.id,
                fields.join(", ")
            );
            let refused = NotSaved {
                message,
                label: String::new(),
                restore: Vec::new(),
                remove: Vec::new(),
                unsaved: vec![mine],
                draft: Some(draft.clone()),
                conflict: true,
            };
            not_saved(app, Box::new(refused));
            Err(vec![Effect::WriteDraft(draft.clone())])
        }
    }
}

/// A three-way merge of the fields the editor edits: each field takes the side that
/// changed it; fields changed differently on both sides are returned as the error.
/// Everything the editor does not edit (screenshots, passages, …) is theirs.
fn merge_fields(base: &Entry, theirs: &Entry, mine: &Entry) -> Result<Entry, Vec<&'static str>> {
    fn pick<T: PartialEq + Clone>(
        field: (&'static str, &T, &T, &T),
        clashes: &mut Vec<&'static str>,
    ) -> T {
        let (name, base, theirs, mine) = field;
        if mine == base || mine == theirs {
            theirs.clone()
        } else if theirs == base {
            mine.clone()
        } else {
            clashes.push(name);
            theirs.clone()
        }
    }
    let mut clashes = Vec::new();
    let mut merged = theirs.clone();
    let (b, t, m) = (base, theirs, mine);
    merged.observed_at = pick(
        ("time", &b.observed_at, &t.observed_at, &m.observed_at),
        &mut clashes,
    );
    merged.kind = pick(("kind", &b.kind, &t.kind, &m.kind), &mut clashes);
    merged.accounts = pick(
        ("accounts", &b.accounts, &t.accounts, &m.accounts),
        &mut clashes,
    );
    merged.codes = pick(("codes", &b.codes, &t.codes, &m.codes), &mut clashes);
    merged.title = pick(("title", &b.title, &t.title, &m.title), &mut clashes);
    merged.body = pick(("body", &b.body, &t.body, &m.body), &mut clashes);
    merged.url = pick(("url", &b.url, &t.url, &m.url), &mut clashes);
    merged.informant = pick(
        ("informant", &b.informant, &t.informant, &m.informant),
        &mut clashes,
    );
    merged.metrics = pick(
        ("metrics", &b.metrics, &t.metrics, &m.metrics),
        &mut clashes,
    );
    if clashes.is_empty() {
        Ok(merged)
    } else {
        Err(clashes)
    }
}
