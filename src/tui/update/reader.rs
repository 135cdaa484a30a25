//! The reading view: move through an entry's text, select a span by keys alone
//! (a visual mode, "this sentence", "this line") and code it with a code key or the
//! picker; jump between the coded passages, recode or remove one. Every change goes
//! through `retag`, so `u` undoes it as it undoes a quick tag.

use std::ops::Range;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::super::action::{Command, Effect};
use super::super::app::{App, Reader, Status};
use super::super::motion;
use super::{refuse_unless_editing, retag};
use crate::model::Entry;
use crate::model::text::one_line;

pub fn open(app: &mut App) {
    let Some(entry) = app.selected_entry() else {
        return;
    };
    if entry.body.is_empty() {
        app.status = Status::Info("this entry has no text to read".into());
        return;
    }
    let mut reader = Reader::new(entry.id.clone());
    // Start on the first passage, if there is one: that is what is there to see.
    if let Some(span) = entry.passage_spans().into_iter().flatten().next() {
        reader.cursor = span.start;
    }
    app.reader = Some(reader);
}

/// The entry being read, if it still exists.
fn entry(app: &App) -> Option<&Entry> {
    app.reading_entry()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(body) = entry(app).map(|e| e.body.clone()) else {
        app.reader = None;
        return Vec::new();
    };
    let Some(reader) = app.reader.as_mut() else {
        return Vec::new();
    };
    let at = motion::clamp(&body, reader.cursor);
    let moved = match command {
        Command::Left => Some(motion::prev_char(&body, at)),
        Command::Right => Some(motion::next_char(&body, at)),
        Command::Down => Some(motion::line_down(&body, at)),
        Command::Up => Some(motion::line_up(&body, at)),
        Command::WordForward => Some(motion::clamp(&body, motion::word_forward(&body, at))),
        Command::WordBack => Some(motion::word_back(&body, at)),
        Command::SentenceForward => Some(motion::sentence_forward(&body, at)),
        Command::SentenceBack => Some(motion::sentence_back(&body, at)),
        Command::LineStart => Some(motion::line_at(&body, at).start),
        Command::LineEnd => {
            let line = motion::line_at(&body, at);
            Some(motion::prev_char(&body, line.end).max(line.start))
        }
        Command::Top => Some(0),
        Command::Bottom => Some(motion::last_char(&body)),
        _ => None,
    };
    if let Some(to) = moved {
        reader.cursor = motion::clamp(&body, to);
        return Vec::new();
    }
    match command {
        Command::Back if reader.anchor.is_some() => reader.anchor = None,
        Command::Back => app.reader = None,
        Command::Visual => {
            reader.anchor = match reader.anchor {
                Some(_) => None,
                None => Some(at),
            };
        }
        Command::SelectSentence => select_sentence(reader, &body, at),
        Command::SelectLine => {
            let line = motion::trim(&body, motion::line_at(&body, at));
            select(reader, &body, line);
        }
        Command::NextPassage | Command::PrevPassage => {
            jump(app, command == Command::NextPassage);
        }
        Command::RemovePassage => return remove_passage(app),
        Command::TagPicker => open_picker(app),
        Command::Help => {
            app.help_scroll = 0;
            app.popup = Some(super::super::app::Popup::Help);
        }
        Command::Undo => return super::undo(app),
        _ => {}
    }
    Vec::new()
}

/// Select `span` (a trimmed, non-empty range): the anchor at its start, the cursor on
/// its last char.
fn select(reader: &mut Reader, body: &str, span: Range<usize>) {
    if span.is_empty() {
        return;
    }
    reader.anchor = Some(span.start);
    reader.cursor = motion::prev_char(body, span.end);
}

/// "This sentence"; pressed again on a sentence selection, the selection grows by the
/// next sentence.
fn select_sentence(reader: &mut Reader, body: &str, at: usize) {
    let sentence = motion::sentence_at(body, at);
    match reader.selection(body) {
        Some(selected) if selected.start <= sentence.start && sentence.end <= selected.end => {
            let next = motion::sentence_forward(body, at);
            if next > at {
                let grown = motion::sentence_at(body, next);
                select(reader, body, selected.start..grown.end);
            }
        }
        _ => select(reader, body, sentence),
    }
}

fn jump(app: &mut App, forward: bool) {
    let Some(entry) = entry(app) else {
        return;
    };
    let Some(reader) = app.reader.as_ref() else {
        return;
    };
    let at = reader.cursor;
    let mut starts: Vec<usize> = entry
        .passage_spans()
        .into_iter()
        .flatten()
        .map(|s| s.start)
        .collect();
    starts.sort_unstable();
    let target = if forward {
        starts.iter().copied().find(|&s| s > at)
    } else {
        starts.iter().rev().copied().find(|&s| s < at)
    };
    let count = starts.len();
    let orphans = entry.passages.len() - count;
    match target {
        Some(to) => {
            if let Some(reader) = app.reader.as_mut() {
                reader.cursor = to;
                reader.anchor = None;
            }
        }
        None if count == 0 => {
            app.status = Status::Info(match orphans {
                0 => "no coded passages yet: select text (v, s or V) and press a code key".into(),
                n => format!("{n} passages whose text is gone: `fieldnote check` lists them"),
            })
        }
        None => {
            app.status = Status::Info(if forward {
                "no passage after this one".into()
            } else {
                "no passage before this one".into()
            })
        }
    }
}

/// A key no command has: a code's key codes the selection, or toggles that code on the
/// passage under the cursor.
pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return Vec::new();
    };
    let Some(code) = app.journal.codebook.code_for_key(&c.to_string()) else {
        return Vec::new();
    };
    let (id, name) = (code.id.clone(), code.name.clone());
    if let Some(refusal) = refuse_unless_editing(app, "coding") {
        return refusal;
    }
    let Some((entry_id, body, target)) = target(app) else {
        app.status = Status::Info(
            "select some text first: v starts a selection, s takes the sentence, V the line".into(),
        );
        return Vec::new();
    };
    match target {
        Target::Selection(span) => {
            let message = format!("coded {} +{name}", quoted(&body, &span));
            if let Some(reader) = app.reader.as_mut() {
                reader.anchor = None;
                reader.cursor = span.start;
            }
            retag(app, &[entry_id], message, |e| {
                e.code_span(span.clone(), std::slice::from_ref(&id));
            })
        }
        Target::Passage(i, span) => {
            let has = entry(app).is_some_and(|e| e.passages[i].has_code(&id));
            let sign = if has { '-' } else { '+' };
            let message = format!("passage {} {sign}{name}", quoted(&body, &span));
            retag(app, &[entry_id], message, |e| {
                let p = &mut e.passages[i];
                match p.codes.iter().position(|c| *c == id) {
                    Some(at) => {
                        p.codes.remove(at);
                    }
                    None => p.codes.push(id.clone()),
                }
                // A passage with no code says nothing: it goes.
                if e.passages[i].codes.is_empty() {
                    e.passages.remove(i);
                }
            })
        }
    }
}

/// What a code key or the picker acts on.
enum Target {
    /// The selected text, trimmed of white space.
    Selection(Range<usize>),
    /// The passage under the cursor (its index and where it stands).
    Passage(usize, Range<usize>),
}

fn target(app: &App) -> Option<(String, String, Target)> {
    let reader = app.reader.as_ref()?;
    let entry = entry(app)?;
    let body = &entry.body;
    if let Some(selected) = reader.selection(body) {
        let span = motion::trim(body, selected);
        return (!span.is_empty())
            .then(|| (entry.id.clone(), body.clone(), Target::Selection(span)));
    }
    let at = motion::clamp(body, reader.cursor);
    let i = entry.passage_at(at)?;
    let span = entry.passages[i].anchor(body)?;
    Some((entry.id.clone(), body.clone(), Target::Passage(i, span)))
}

fn quoted(body: &str, span: &Range<usize>) -> String {
    let quote = one_line(&body[span.clone()]);
    let short: String = quote.chars().take(40).collect();
    if short.len() < quote.len() {
        format!("«{short}…»")
    } else {
        format!("«{short}»")
    }
}

fn remove_passage(app: &mut App) -> Vec<Effect> {
    let Some((entry_id, body, Target::Passage(i, span))) = target(app) else {
        app.status = Status::Info("the cursor is not on a coded passage (n jumps to one)".into());
        return Vec::new();
    };
    let message = format!("removed passage {}", quoted(&body, &span));
    retag(app, &[entry_id], message, |e| {
        e.passages.remove(i);
    })
}

fn open_picker(app: &mut App) {
    let Some((entry_id, _, target)) = target(app) else {
        app.status = Status::Info(
            "select some text first: v starts a selection, s takes the sentence, V the line".into(),
        );
        return;
    };
    let span = match target {
        Target::Selection(span) | Target::Passage(_, span) => span,
    };
    super::picker::open_for_passage(app, entry_id, span);
}

/// The picker's answer for a passage: the codes of the passage on `span` become
/// `chosen` (a new passage when there was none; none left removes it).
pub fn apply_picked(
    app: &mut App,
    entry_id: String,
    span: Range<usize>,
    chosen: Vec<String>,
) -> Vec<Effect> {
    let Some(body) = app.journal.entry(&entry_id).map(|e| e.body.clone()) else {
        return Vec::new();
    };
    if span.end > body.len()
        || !body.is_char_boundary(span.start)
        || !body.is_char_boundary(span.end)
    {
        return Vec::new();
    }
    let names: Vec<String> = chosen
        .iter()
        .map(|c| {
            app.journal
                .codebook
                .code(c)
                .map_or(c.clone(), |c| c.name.clone())
        })
        .collect();
    let message = if chosen.is_empty() {
        format!("removed passage {}", quoted(&body, &span))
    } else {
        format!("coded {} {}", quoted(&body, &span), names.join(", "))
    };
    if let Some(reader) = app.reader.as_mut() {
        reader.anchor = None;
        reader.cursor = span.start;
    }
    retag(app, &[entry_id], message, |e| {
        let existing = e
            .passages
            .iter()
            .position(|p| p.anchor(&e.body).as_ref() == Some(&span));
        match (existing, chosen.is_empty()) {
            (Some(i), true) => {
                e.passages.remove(i);
            }
            (Some(i), false) => e.passages[i].codes = chosen.clone(),
            (None, false) => {
                e.code_span(span.clone(), &chosen);
            }
            (None, true) => {}
        }
    })
}

/// Leave the reader when the entry it reads is gone (reloaded, deleted elsewhere).
pub fn forget_if_gone(app: &mut App) {
    if app.reader.is_some() && entry(app).is_none() {
        app.reader = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_on_a_char() {
        let body = "😊".repeat(50);
        let q = quoted(&body, &(0..body.len()));
        assert!(q.ends_with("…»") && q.chars().count() == 43, "{q}");
    }
}
