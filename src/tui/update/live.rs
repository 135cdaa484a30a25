//! The live capture view: a line to type into; each Enter files a moment stamped with
//! the clock (to the second) and the time since the live began; `#code` words code it.
//! A moment can be fixed (↑ brings it back into the line) or removed before the end;
//! ctrl-s ends the session and saves it as one entry. Every moment filed writes the
//! draft at once, so a terminal that dies loses at most the line being typed.

use ratatui::crossterm::event::KeyEvent;

use super::super::action::{Command, Effect};
use super::super::app::{
    App, Confirm, LiveCapture, PickerFor, Popup, Prompt, PromptKind, Scope, Status,
};
use super::super::input::LineInput;
use super::editor::fresh_id;
use crate::analysis::names;
use crate::model::Moment;
use crate::model::live::{LiveSession, duration_words};
use crate::model::text::one_line;
use crate::model::time::parse_when;

/// `L`: ask for the account (the timeline's, or the selected entry's, typed in
/// already) and, for a live joined late, when it began.
pub fn ask(app: &mut App) {
    let account = match &app.timeline.scope {
        Some(Scope::Account(h)) => Some(h.clone()),
        _ => app
            .selected_entry()
            .and_then(|e| e.accounts.first().cloned()),
    };
    let text = account.map(|h| format!("@{h} ")).unwrap_or_default();
    app.popup = Some(Popup::Prompt(Prompt {
        kind: PromptKind::LiveAccount,
        input: LineInput::new(&text),
        before: String::new(),
        error: None,
        completions: Vec::new(),
    }));
}

/// The prompt's answer, `@handle [when it began]`: start the session.
pub fn start(app: &mut App, text: &str) -> Result<Vec<Effect>, String> {
    let (name, began) = text
        .trim()
        .split_once(char::is_whitespace)
        .unwrap_or((text, ""));
    let handle = names::resolve_account(&app.journal, name).map_err(|e| e.to_string())?;
    let tz = app.journal.settings.time_zone();
    let began = match began.trim() {
        "" => Moment::in_zone(app.now, &tz),
        when => parse_when(when, &tz, app.now).map_err(|e| e.to_string())?,
    };
    let capture = LiveCapture::new(LiveSession::new(&handle, "", began));
    let note = format!(
        "live session of @{}: type a moment and press Enter",
        one_line(&handle)
    );
    app.status = Status::Info(note);
    let draft = capture.to_draft(Moment::in_zone(app.now, &tz));
    app.live = Some(Box::new(capture));
    Ok(vec![Effect::WriteDraft(draft)])
}

pub fn on_text_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if let Some(live) = app.live.as_mut() {
        live.input.handle(key);
    }
    Vec::new()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(live) = app.live.as_mut() else {
        return Vec::new();
    };
    let count = live.session.moments.len();
    match command {
        Command::Open => return file_moment(app),
        Command::Save => return end(app),
        Command::Up if count > 0 => {
            let i = live.fixing.map_or(count - 1, |i| i.saturating_sub(1));
            fix(live, i);
        }
        Command::Down => match live.fixing {
            Some(i) if i + 1 < count => fix(live, i + 1),
            _ => {
                live.fixing = None;
                live.input = LineInput::default();
            }
        },
        Command::RemoveMoment => return remove_moment(app),
        Command::TagPicker => {
            let i = live.fixing.or(count.checked_sub(1));
            match i {
                Some(i) => {
                    let codes = live.session.moments[i].codes.clone();
                    super::picker::open_for_codes(app, PickerFor::LiveMoment(i), &codes);
                }
                None => app.status = Status::Info("no moment yet to code".into()),
            }
        }
        Command::Back if !live.input.text.is_empty() || live.fixing.is_some() => {
            live.input = LineInput::default();
            live.fixing = None;
        }
        Command::Back => app.popup = Some(Popup::Confirm(Confirm::EndLive)),
        _ => {}
    }
    Vec::new()
}

/// Bring moment `i` back into the line, to be fixed.
fn fix(live: &mut LiveCapture, i: usize) {
    live.fixing = Some(i);
    live.input = LineInput::new(&LiveCapture::typed(&live.session.moments[i]));
}

/// Enter: file the line as a moment now, or, when fixing, replace that moment's words
/// and codes (it keeps its time).
fn file_moment(app: &mut App) -> Vec<Effect> {
    let Some(live) = app.live.as_ref() else {
        return Vec::new();
    };
    let Some(noted) = names::noted_line(&app.journal, &live.input.text) else {
        return Vec::new();
    };
    let (text, codes) = (noted.text, noted.codes);
    let unknown: Vec<String> = noted
        .unknown
        .iter()
        .map(|u| format!("#{}", u.name))
        .collect();
    let tz = app.journal.settings.time_zone();
    let now = Moment::in_zone(app.now, &tz);
    let Some(live) = app.live.as_mut() else {
        return Vec::new();
    };
    match live.fixing.take() {
        Some(i) => {
            let m = &mut live.session.moments[i];
            m.text = text;
            m.codes = codes;
            app.status = Status::Info("moment fixed".into());
        }
        None => {
            let since = live.session.since_start(now);
            live.session.note(now, text, codes);
            app.status = Status::Info(format!(
                "{} · last at {} ({since})",
                crate::model::text::counted(live.session.moments.len(), "moment", "moments"),
                now.civil().strftime("%H:%M:%S")
            ));
        }
    }
    live.input = LineInput::default();
    if !unknown.is_empty() {
        app.status = Status::Error(format!(
            "not in the codebook, kept as text: {}",
            one_line(&unknown.join(" "))
        ));
    }
    vec![Effect::WriteDraft(live.to_draft(now))]
}

fn remove_moment(app: &mut App) -> Vec<Effect> {
    let now = Moment::in_zone(app.now, &app.journal.settings.time_zone());
    let Some(live) = app.live.as_mut() else {
        return Vec::new();
    };
    let Some(i) = live.fixing.take() else {
        app.status = Status::Info("↑ picks the moment to remove".into());
        return Vec::new();
    };
    live.session.moments.remove(i);
    live.input = LineInput::default();
    app.status = Status::Info("moment removed".into());
    vec![Effect::WriteDraft(live.to_draft(now))]
}

/// The picker's codes for moment `i`.
pub fn set_codes(app: &mut App, i: usize, codes: Vec<String>) -> Vec<Effect> {
    let now = Moment::in_zone(app.now, &app.journal.settings.time_zone());
    let Some(live) = app.live.as_mut() else {
        return Vec::new();
    };
    let Some(m) = live.session.moments.get_mut(i) else {
        return Vec::new();
    };
    m.codes = codes;
    if live.fixing == Some(i) {
        live.input = LineInput::new(&LiveCapture::typed(&live.session.moments[i]));
    }
    vec![Effect::WriteDraft(live.to_draft(now))]
}

/// ctrl-s (or yes to "end the session?"): save the session as one entry, ended now.
pub fn end(app: &mut App) -> Vec<Effect> {
    let Some(live) = app.live.take() else {
        return Vec::new();
    };
    app.popup = None;
    let session = &live.session;
    if session.moments.is_empty() {
        app.status = Status::Info("live session ended: nothing was noted, nothing saved".into());
        return vec![Effect::RemoveDraft(live.draft_key.clone())];
    }
    let tz = app.journal.settings.time_zone();
    let now = Moment::in_zone(app.now, &tz);
    let ended = session.ended_by(now);
    let id = fresh_id(&app.journal, &session.began, app.now);
    let entry = session.to_entry(id.clone(), ended, now);
    let message = format!(
        "live session of @{}: {}, {}",
        one_line(&session.account),
        crate::model::text::counted(session.moments.len(), "moment", "moments"),
        duration_words(session.began.timestamp, ended.timestamp)
    );
    app.put_entry(entry.clone());
    app.refresh_rows();
    app.show_entry(&id);
    app.status = Status::Info(message.clone());
    vec![
        Effect::SaveEntries {
            entries: vec![entry],
            previous: Vec::new(),
            message,
        },
        Effect::RemoveDraft(live.draft_key.clone()),
    ]
}
