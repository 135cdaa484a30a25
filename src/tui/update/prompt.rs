//! One-line prompts: live search, the filter bar, the attach path and codebook edits.

use ratatui::crossterm::event::KeyEvent;

use super::super::action::{Command, Effect};
use super::super::app::{App, Popup, Prompt, PromptKind, Screen, Status};
use super::super::input::LineInput;
use super::codebook_order;
use crate::analysis::filter::parse_query;
use crate::analysis::search::Query;
use crate::model::{Code, slugify};

pub fn open(app: &mut App, kind: PromptKind) {
    let before = match &kind {
        PromptKind::Search => app.timeline.search.words.join(" "),
        PromptKind::Filter => app.timeline.filter.to_query(),
        _ => String::new(),
    };
    let text = match &kind {
        PromptKind::Filter => format!("{before} ").trim_start().to_string(),
        PromptKind::Search => before.clone(),
        _ => String::new(),
    };
    app.popup = Some(Popup::Prompt(Prompt {
        kind,
        input: LineInput::new(&text),
        before,
        error: None,
        completions: Vec::new(),
    }));
}

/// Codebook edits act on the selected code; the prompt starts with its current value.
pub fn open_for_code(app: &mut App, command: Command) {
    if app.screen != Screen::Codebook {
        return;
    }
    let Some(id) = codebook_order(app).get(app.codebook.selected).cloned() else {
        return;
    };
    let Some(code) = app.journal.codebook.code(&id) else {
        return;
    };
    let (kind, value) = match command {
        Command::RenameCode => (PromptKind::RenameCode(id), code.name.clone()),
        Command::RecolorCode => (PromptKind::RecolorCode(id), code.color.clone()),
        _ => (PromptKind::SetCodeKey(id), code.key.clone()),
    };
    app.popup = Some(Popup::Prompt(Prompt {
        kind,
        input: LineInput::new(&value),
        before: String::new(),
        error: None,
        completions: Vec::new(),
    }));
}

pub fn on_text_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(Popup::Prompt(p)) = app.popup.as_mut() else {
        return Vec::new();
    };
    if !p.input.handle(key) {
        return Vec::new();
    }
    p.completions.clear();
    // A changed answer is judged afresh (the filter bar judges as it goes).
    p.error = None;
    let (kind, text) = (p.kind.clone(), p.input.text.clone());
    live(app, &kind, &text);
    Vec::new()
}

/// Search and filter apply as they are typed.
fn live(app: &mut App, kind: &PromptKind, text: &str) {
    match kind {
        PromptKind::Search => app.set_search(Query::new(text)),
        PromptKind::Filter => {
            let tz = app.journal.settings.time_zone();
            match parse_query(text, &app.journal, &tz, app.now) {
                Ok(filter) => {
                    app.timeline.filter = filter;
                    app.refresh_rows();
                    set_error(app, None);
                }
                Err(e) => set_error(app, Some(e)),
            }
        }
        _ => {}
    }
}

fn set_error(app: &mut App, error: Option<String>) {
    if let Some(Popup::Prompt(p)) = app.popup.as_mut() {
        p.error = error;
    }
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(Popup::Prompt(p)) = app.popup.as_ref() else {
        return Vec::new();
    };
    let (kind, text, before) = (
        p.kind.clone(),
        p.input.text.trim().to_string(),
        p.before.clone(),
    );
    match command {
        Command::Back => {
            app.popup = None;
            live(app, &kind, &before);
            Vec::new()
        }
        Command::NextField => complete(app, &kind),
        Command::Open => submit(app, kind, text),
        _ => Vec::new(),
    }
}

fn submit(app: &mut App, kind: PromptKind, text: String) -> Vec<Effect> {
    let has_error = matches!(&app.popup, Some(Popup::Prompt(p)) if p.error.is_some());
    if has_error {
        return Vec::new();
    }
    let result = match &kind {
        PromptKind::Search | PromptKind::Filter => {
            app.popup = None;
            if !app.timeline.filter.is_empty() || !app.timeline.search.is_empty() {
                app.status = Status::Info(format!(
                    "{} of {} entries",
                    app.timeline.rows.len(),
                    app.journal.entries.len()
                ));
            }
            return Vec::new();
        }
        PromptKind::AttachPath(entry_id) => {
            if text.is_empty() {
                return Vec::new();
            }
            app.popup = None;
            return vec![Effect::Attach {
                entry_id: entry_id.clone(),
                path: text,
            }];
        }
        PromptKind::NewCode => new_code(app, &text),
        PromptKind::RenameCode(id) => edit_code(app, id, |c| {
            if text.is_empty() {
                return Err("a code needs a name".into());
            }
            c.name = text.clone();
            Ok(())
        }),
        PromptKind::RecolorCode(id) => edit_code(app, id, |c| {
            if !text.is_empty() {
                text.parse::<crate::model::CodeColor>()
                    .map_err(|e| e.to_string())?;
            }
            c.color = text.clone();
            Ok(())
        }),
        PromptKind::SetCodeKey(id) => set_key(app, id, &text),
        PromptKind::Followers(handle) => super::accounts::record_followers(app, handle, &text),
        PromptKind::LiveAccount => super::live::start(app, &text),
    };
    match result {
        Ok(effects) => {
            app.popup = None;
            effects
        }
        Err(e) => {
            set_error(app, Some(e));
            Vec::new()
        }
    }
}

fn edit_code(
    app: &mut App,
    id: &str,
    change: impl FnOnce(&mut Code) -> Result<(), String>,
) -> Result<Vec<Effect>, String> {
    let mut book = app.journal.codebook.clone();
    let code = book
        .code_mut(id)
        .ok_or_else(|| format!("code `{id}` is gone"))?;
    change(code)?;
    app.journal.codebook = book.clone();
    app.codebook_changed();
    app.status = Status::Info(format!("codebook: {id} changed"));
    Ok(vec![Effect::SaveCodebook {
        codebook: book,
        message: format!("codebook: {id} changed"),
    }])
}

fn set_key(app: &mut App, id: &str, key: &str) -> Result<Vec<Effect>, String> {
    use super::super::keymap::{Context, Key};
    if key.chars().count() > 1 {
        return Err("a key is one character".into());
    }
    if let Some(other) = app
        .journal
        .codebook
        .code_for_key(key)
        .filter(|c| c.id != id)
    {
        return Err(format!("`{key}` already tags {}", other.id));
    }
    let bound = Key::parse(key).is_some_and(|k| {
        app.keymap
            .binds(&[Context::Timeline, Context::List, Context::Global], &k)
    });
    if bound {
        return Err(format!("`{key}` is already a command key on the timeline"));
    }
    edit_code(app, id, |c| {
        c.key = key.to_string();
        Ok(())
    })
}

/// `Name` (in the group of the selected code) or `group:Name`.
fn new_code(app: &mut App, text: &str) -> Result<Vec<Effect>, String> {
    let (group, name) = match text.split_once(':') {
        Some((g, n)) => (g.trim().to_string(), n.trim().to_string()),
        None => {
            let selected = codebook_order(app).get(app.codebook.selected).cloned();
            let group = selected
                .and_then(|id| app.journal.codebook.code(&id).map(|c| c.group.clone()))
                .or_else(|| app.journal.codebook.groups.first().map(|g| g.id.clone()))
                .unwrap_or_default();
            (group, text.trim().to_string())
        }
    };
    if app.journal.codebook.group(&group).is_none() {
        let groups: Vec<&str> = app
            .journal
            .codebook
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        return Err(format!(
            "unknown group `{group}` (groups: {})",
            groups.join(", ")
        ));
    }
    let id = slugify(&name);
    if id.is_empty() {
        return Err("the name needs a letter or a digit".into());
    }
    if app.journal.codebook.code(&id).is_some() {
        return Err(format!("code `{id}` already exists"));
    }
    let guid = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("fieldnote:{id}:{}", app.now).as_bytes(),
    );
    app.journal.codebook.codes.push(Code {
        id: id.clone(),
        group,
        name,
        guid: guid.to_string(),
        ..Code::default()
    });
    app.codebook_changed();
    if let Some(pos) = codebook_order(app).iter().position(|c| *c == id) {
        app.codebook.selected = pos;
    }
    app.status = Status::Info(format!("added code {id}"));
    Ok(vec![Effect::SaveCodebook {
        codebook: app.journal.codebook.clone(),
        message: format!("codebook: added code {id}"),
    }])
}

/// Tab: complete the last word — handles and codes in the filter bar, paths when
/// attaching (listing folders is I/O, so the runtime does it).
fn complete(app: &mut App, kind: &PromptKind) -> Vec<Effect> {
    let Some(Popup::Prompt(p)) = app.popup.as_mut() else {
        return Vec::new();
    };
    match kind {
        PromptKind::AttachPath(_) => vec![Effect::CompletePath(p.input.text.clone())],
        PromptKind::Filter => {
            let word = p.input.last_word().to_string();
            let (prefix, stem) = split_prefix(&word);
            let candidates: Vec<String> = if prefix == "@" {
                app.journal
                    .accounts
                    .iter()
                    .map(|a| a.handle.clone())
                    .collect()
            } else {
                app.journal
                    .codebook
                    .codes
                    .iter()
                    .map(|c| c.id.clone())
                    .collect()
            };
            let found: Vec<String> = candidates
                .into_iter()
                .filter(|c| c.starts_with(stem))
                .map(|c| format!("{prefix}{c}"))
                .collect();
            apply_completions(p, found);
            let text = p.input.text.clone();
            live(app, kind, &text);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn split_prefix(word: &str) -> (&str, &str) {
    for prefix in ["@", "|", "-", "!", "+"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            return (prefix, rest);
        }
    }
    ("", word)
}

/// The longest start that every candidate shares.
fn common_prefix(found: &[String]) -> String {
    let Some(first) = found.first() else {
        return String::new();
    };
    found.iter().fold(first.clone(), |acc, c| {
        acc.chars()
            .zip(c.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    })
}

/// Complete the last word to the longest common start of the candidates; list them
/// when several.
fn apply_completions(p: &mut Prompt, found: Vec<String>) {
    let common = common_prefix(&found);
    if common.len() > p.input.last_word().len() {
        p.input.replace_last_word(&common);
    }
    p.completions = if found.len() > 1 { found } else { Vec::new() };
}

/// The runtime's answer to a path completion: whole paths, completing the whole input.
pub fn path_completions(app: &mut App, found: Vec<String>) -> Vec<Effect> {
    if let Some(Popup::Prompt(p)) = app.popup.as_mut() {
        let common = common_prefix(&found);
        if common.len() > p.input.text.len() {
            p.input = LineInput::new(&common);
        }
        p.completions = if found.len() > 1 { found } else { Vec::new() };
    }
    Vec::new()
}
