//! The entry editor: opening, typing in its fields, drafts, saving and cancelling.

use jiff::Timestamp;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::super::action::{Command, Effect};
use super::super::app::{App, Confirm, EntryEditor, Field, Pane, Popup, Scope, Status};
use super::{offer_next_draft, picker};
use crate::model::time::parse_when;
use crate::model::{Entry, Kind, Metrics, Moment};

/// Ticks (seconds) between draft writes while typing.
const DRAFT_EVERY: u32 = 3;

pub fn open_new(app: &mut App) -> Vec<Effect> {
    let now = Moment::in_zone(app.now, &app.journal.settings.time_zone());
    let key = format!("new-{}", app.now.as_millisecond());
    let mut editor = EntryEditor::new_entry(now, key);
    if let Some(Scope::Account(handle)) = &app.timeline.scope {
        editor.accounts.push(handle.clone());
    }
    app.editor = Some(Box::new(editor));
    app.timeline.focus = Some(Pane::List);
    Vec::new()
}

pub fn open_selected(app: &mut App, external: bool) -> Vec<Effect> {
    let Some(entry) = app.selected_entry() else {
        app.status = Status::Info("no entry selected".into());
        return Vec::new();
    };
    let editor = EntryEditor::edit(entry);
    let body = editor.body_text();
    app.editor = Some(Box::new(editor));
    if external {
        return vec![Effect::EditExternally(body)];
    }
    Vec::new()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(editor) = app.editor.as_mut() else {
        return Vec::new();
    };
    match command {
        Command::Save => return save(app),
        Command::Back if editor.dirty => {
            app.popup = Some(Popup::Confirm(Confirm::DiscardEdit));
        }
        Command::Back => {
            let key = editor.draft_key.clone();
            app.editor = None;
            offer_next_draft(app);
            return vec![Effect::RemoveDraft(key)];
        }
        Command::NextField | Command::PrevField => {
            let order = Field::ORDER;
            let step = if command == Command::NextField {
                1
            } else {
                order.len() - 1
            };
            // The next field this kind of entry shows.
            let mut at = order.iter().position(|f| *f == editor.field).unwrap_or(0);
            loop {
                at = (at + step) % order.len();
                if editor.shows(order[at]) {
                    break;
                }
            }
            editor.field = order[at];
        }
        Command::EditBodyExternally => return vec![Effect::EditExternally(editor.body_text())],
        Command::TagPicker => picker::open_for_editor(app, Field::Codes),
        Command::InsertLink => picker::open_insert_link(app),
        _ => {}
    }
    Vec::new()
}

/// A key typed into the editor's current field.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(editor) = app.editor.as_mut() else {
        return Vec::new();
    };
    let changed = match editor.field {
        Field::ObservedAt => editor.observed_at.handle(key),
        Field::Title if key.code == KeyCode::Enter => {
            editor.field = Field::Body;
            false
        }
        Field::Title => editor.title.handle(key),
        Field::Url => editor.url.handle(key),
        Field::Informant => editor.informant.handle(key),
        Field::Metrics => editor.metrics.handle(key),
        Field::Body => editor.body.input(key),
        Field::Kind => {
            let at = Kind::ALL
                .iter()
                .position(|k| *k == editor.kind)
                .unwrap_or(0);
            let next = match key.code {
                KeyCode::Left => Kind::ALL[(at + Kind::ALL.len() - 1) % Kind::ALL.len()],
                KeyCode::Right | KeyCode::Char(' ') => Kind::ALL[(at + 1) % Kind::ALL.len()],
                KeyCode::Char(c) => Kind::parse(&c.to_string()).unwrap_or(editor.kind),
                _ => editor.kind,
            };
            let changed = next != editor.kind;
            editor.kind = next;
            changed
        }
        Field::Accounts | Field::Codes => {
            let field = editor.field;
            let list = if field == Field::Codes {
                &mut editor.codes
            } else {
                &mut editor.accounts
            };
            match key.code {
                KeyCode::Backspace => list.pop().is_some(),
                KeyCode::Enter | KeyCode::Char(' ') => {
                    picker::open_for_editor(app, field);
                    false
                }
                KeyCode::Char(c) => {
                    picker::open_for_editor(app, field);
                    picker::type_char(app, c);
                    false
                }
                _ => false,
            }
        }
    };
    if changed {
        if let Some(editor) = app.editor.as_mut() {
            editor.changed();
            editor.error = None;
        }
    }
    Vec::new()
}

/// Every tick: remember the time, and write a draft when typing has gone unsaved for a
/// few seconds.
pub fn on_tick(app: &mut App, now: Timestamp) -> Vec<Effect> {
    app.now = now;
    let saved_at = Moment::in_zone(now, &app.journal.settings.time_zone());
    let Some(editor) = app.editor.as_mut() else {
        return Vec::new();
    };
    if !editor.unsaved_draft {
        return Vec::new();
    }
    editor.ticks_since_draft += 1;
    if editor.ticks_since_draft < DRAFT_EVERY {
        return Vec::new();
    }
    editor.ticks_since_draft = 0;
    editor.unsaved_draft = false;
    vec![Effect::WriteDraft(editor.to_draft(saved_at))]
}

/// The draft of whatever is being edited right now (written before quitting on a
/// signal, so nothing typed is lost).
pub fn current_draft(app: &App) -> Option<super::super::draft::Draft> {
    let now = Moment::in_zone(app.now, &app.journal.settings.time_zone());
    if let Some(live) = &app.live {
        return Some(live.to_draft(now));
    }
    let editor = app.editor.as_ref().filter(|e| e.dirty)?;
    Some(editor.to_draft(now))
}

pub fn external_edit_done(app: &mut App, result: Result<String, String>) -> Vec<Effect> {
    match (result, app.editor.as_mut()) {
        (Ok(text), Some(editor)) => {
            if text != editor.body_text() {
                editor.set_body(&text);
            }
            editor.field = Field::Body;
        }
        (Err(message), _) => app.status = Status::Error(message),
        (Ok(_), None) => {}
    }
    Vec::new()
}

/// The answer to a confirmation, as the command its key means in the `confirm`
/// context (`None`: a key with no meaning there).
pub fn on_confirm(app: &mut App, confirm: Confirm, command: Option<Command>) -> Vec<Effect> {
    let yes = command == Some(Command::Yes);
    let no = matches!(command, Some(Command::No | Command::Back));
    match confirm {
        Confirm::DiscardEdit if yes => {
            app.popup = None;
            let key = app.editor.take().map(|e| e.draft_key).unwrap_or_default();
            app.status = Status::Info("changes discarded".into());
            offer_next_draft(app);
            return vec![Effect::RemoveDraft(key)];
        }
        Confirm::DiscardEdit if no => app.popup = None,
        Confirm::DiscardComment if yes => {
            app.popup = None;
            app.comment_editor = None;
            app.status = Status::Info("comment discarded".into());
        }
        Confirm::DiscardComment if no => app.popup = None,
        Confirm::RestoreDraft(draft) if yes && draft.live => {
            app.popup = None;
            match crate::tui::app::LiveCapture::from_draft(&draft) {
                Some(live) => app.live = Some(Box::new(live)),
                None => {
                    app.status = Status::Error("the live session's draft cannot be read".into())
                }
            }
        }
        Confirm::RestoreDraft(draft) if yes => {
            app.popup = None;
            let original = app.journal.entry(&draft.entry_id);
            app.editor = Some(Box::new(EntryEditor::from_draft(&draft, original)));
        }
        Confirm::RestoreDraft(draft) if command == Some(Command::DeleteDraft) => {
            app.popup = None;
            offer_next_draft(app);
            return vec![Effect::RemoveDraft(draft.key.clone())];
        }
        Confirm::RestoreDraft(_) if no => {
            app.popup = None;
            offer_next_draft(app);
        }
        Confirm::Conflict(n) => return super::conflict::on_command(app, &n, command),
        Confirm::DeleteEntry(id) if yes => {
            app.popup = None;
            return vec![Effect::TrashEntry(id)];
        }
        Confirm::DeleteEntry(_) if no => app.popup = None,
        Confirm::EndLive if yes => return super::live::end(app),
        Confirm::EndLive if no => app.popup = None,
        // Read, and any key closes it.
        Confirm::KeymapProblems(_) => {
            app.popup = None;
            offer_next_draft(app);
        }
        _ => {}
    }
    Vec::new()
}

/// The metrics after the form: none when none were typed; the counts typed, read now
/// when they differ from those before (else as they were, with their time).
fn typed_metrics(before: Option<&Metrics>, typed: Metrics, now: Moment) -> Option<Metrics> {
    let counts = |m: &Metrics| m.counts();
    match before {
        _ if typed == Metrics::default() => None,
        Some(b) if counts(b) == counts(&typed) => Some(b.clone()),
        _ => Some(Metrics {
            metrics_at: Some(now),
            ..typed
        }),
    }
}

/// Ctrl-s: check the fields, put the entry into the journal and ask for it to be saved.
/// The draft goes only after the save succeeded (the runtime stops at a failed save).
fn save(app: &mut App) -> Vec<Effect> {
    let tz = app.journal.settings.time_zone();
    let now = app.now;
    let Some(editor) = app.editor.as_mut() else {
        return Vec::new();
    };
    let observed_at = match parse_when(&editor.observed_at.text, &tz, now) {
        Ok(m) => m,
        Err(e) => {
            editor.error = Some(e.to_string());
            editor.field = Field::ObservedAt;
            return Vec::new();
        }
    };
    let metrics = match Metrics::parse_typed(&editor.metrics.text) {
        Ok(m) => m,
        Err(e) => {
            editor.error = Some(format!("metrics: {e}"));
            editor.field = Field::Metrics;
            return Vec::new();
        }
    };
    let body = editor.body_text();
    let title = editor.title.text.trim().to_string();
    if editor.original.is_none() && body.trim().is_empty() && title.is_empty() {
        editor.error = Some("write a title or a body first".into());
        editor.field = Field::Body;
        return Vec::new();
    }
    let mut entry = match &editor.original {
        Some(original) => original.clone(),
        None => {
            let id = fresh_id(&app.journal, &observed_at, now);
            Entry::new(id, observed_at, Moment::in_zone(now, &tz))
        }
    };
    entry.observed_at = observed_at;
    entry.kind = editor.kind;
    entry.accounts = editor.accounts.clone();
    entry.codes = editor.codes.clone();
    entry.title = title;
    entry.body = body;
    // Fields the form hides for this kind are left as they were.
    if editor.shows(Field::Url) {
        entry.url = editor.url.text.trim().to_string();
    }
    if editor.shows(Field::Informant) {
        entry.informant = editor.informant.text.trim().to_string();
    }
    if editor.shows(Field::Metrics) {
        entry.metrics = typed_metrics(entry.metrics.as_deref(), metrics, Moment::in_zone(now, &tz))
            .map(Box::new);
    }
    let draft = editor.to_draft(Moment::in_zone(now, &tz));
    let base = editor.original.clone();
    app.editor = None;
    // The journal may have been reloaded underneath the editor (another program saved
    // this entry): the store then knows their version, so the check against the file
    // would pass. Merge with theirs here, field by field, or refuse.
    let (entry, previous) = match &base {
        None => (entry, Vec::new()),
        Some(base) => match super::conflict::merge_with_disk(app, base, entry, &draft) {
            Ok((merged, theirs)) => (merged, vec![theirs]),
            Err(effects) => return effects,
        },
    };
    let new = base.is_none();
    if previous.first() == Some(&entry) {
        app.status = Status::Info("no changes".into());
        offer_next_draft(app);
        return vec![Effect::RemoveDraft(draft.key)];
    }
    let mut message = format!("{} {}", if new { "added" } else { "saved" }, entry.id);
    let id = entry.id.clone();
    app.put_entry(entry.clone());
    app.refresh_rows();
    if !app.show_entry(&id) {
        message.push_str(" (shown although the filter hides it)");
    }
    offer_next_draft(app);
    vec![
        Effect::WriteDraft(draft.clone()),
        Effect::SaveEntries {
            entries: vec![entry],
            previous,
            message,
        },
        Effect::RemoveDraft(draft.key),
    ]
}

/// An id for a new entry that no entry of the journal has.
pub(super) fn fresh_id(journal: &crate::model::Journal, at: &Moment, now: Timestamp) -> String {
    let salt = (now.as_nanosecond() as u64 ^ (now.as_nanosecond() as u64 >> 20)) as u16;
    journal.new_entry_id(at, salt, |_| false)
}
