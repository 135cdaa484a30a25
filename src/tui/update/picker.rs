//! The fuzzy picker for codes (of entries or of the editor) and accounts.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::KeyEvent;

use super::super::action::{Command, Effect};
use super::super::app::{App, Field, PickItem, Picker, PickerFor, Popup, Status};
use super::retag;

pub fn open_for_entries(app: &mut App) {
    let targets = app.tag_targets();
    if targets.is_empty() {
        return;
    }
    let has = |id: &str| {
        targets
            .iter()
            .filter_map(|t| app.journal.entry(t))
            .all(|e| e.has_code(id))
    };
    let items = code_items(app, has);
    open(app, PickerFor::EntryCodes(targets), items);
}

/// `]`: the entries the selected one links to, then those that link to it; with just
/// one, go straight there.
pub fn open_links(app: &mut App) {
    let Some(e) = app.selected_entry() else {
        return;
    };
    let here = e.id.clone();
    let mut targets: Vec<(String, &str)> = app
        .links_of(e)
        .iter()
        .map(|id| (id.clone(), "links to"))
        .collect();
    targets.extend(
        app.backlinks(&here)
            .iter()
            .map(|id| (id.clone(), "referred to by")),
    );
    match targets.len() {
        0 => {
            app.status = Status::Info(
                "no links here: write [[ID]] in a body (ctrl-l in the editor) to link entries"
                    .into(),
            )
        }
        1 => follow(app, &targets[0].0),
        _ => {
            let items = targets
                .into_iter()
                .filter_map(|(id, group)| {
                    let e = app.journal.entry(&id)?;
                    Some(PickItem {
                        label: format!("{}  {}", e.observed_at.short(), e.headline()),
                        id,
                        group: group.to_string(),
                        checked: false,
                    })
                })
                .collect();
            open(app, PickerFor::FollowLink, items);
        }
    }
}

/// Go to entry `id`, remembering where we were for Esc.
fn follow(app: &mut App, id: &str) {
    if let Some(from) = app.selected_entry().map(|e| e.id.clone()) {
        app.link_back.push(from);
    }
    if !app.show_entry(id) {
        app.status = Status::Info("shown although the timeline's filter hides it".into());
    }
}

/// ctrl-l in the editor: every entry, newest first, to link to.
pub fn open_insert_link(app: &mut App) {
    let items = app
        .journal
        .entries
        .iter()
        .rev()
        .map(|e| PickItem {
            id: e.id.clone(),
            label: format!("{}  {}", e.observed_at.short(), e.headline()),
            group: "entries".into(),
            checked: false,
        })
        .collect();
    open(app, PickerFor::InsertLink, items);
}

/// Codes for `target`, those in `current` checked.
pub fn open_for_codes(app: &mut App, target: PickerFor, current: &[String]) {
    let items = code_items(app, |id| current.iter().any(|c| c == id));
    open(app, target, items);
}

/// Codes for the passage on `span` of the entry's body (checked: the codes it has).
pub fn open_for_passage(app: &mut App, entry_id: String, span: std::ops::Range<usize>) {
    let Some(entry) = app.journal.entry(&entry_id) else {
        return;
    };
    let current: Vec<String> = entry
        .passages
        .iter()
        .find(|p| p.anchor(&entry.body).as_ref() == Some(&span))
        .map(|p| p.codes.clone())
        .unwrap_or_default();
    let items = code_items(app, |id| current.iter().any(|c| c == id));
    open(app, PickerFor::Passage(entry_id, span), items);
}

pub fn open_for_editor(app: &mut App, field: Field) {
    let Some(editor) = app.editor.as_ref() else {
        return;
    };
    let (target, items) = if field == Field::Accounts {
        let chosen = editor.accounts.clone();
        let items = app
            .journal
            .accounts
            .iter()
            .map(|a| PickItem {
                id: a.handle.clone(),
                label: format!("@{}  {}", a.handle, a.category),
                group: a.platform.as_str().to_string(),
                checked: chosen.contains(&a.handle),
            })
            .collect();
        (PickerFor::EditorAccounts, items)
    } else {
        let chosen = editor.codes.clone();
        (
            PickerFor::EditorCodes,
            code_items(app, |id| chosen.iter().any(|c| c == id)),
        )
    };
    open(app, target, items);
}

fn code_items(app: &App, checked: impl Fn(&str) -> bool) -> Vec<PickItem> {
    app.journal
        .codebook
        .codes_by_group()
        .into_iter()
        .flat_map(|(group, codes)| {
            let group = group.map_or("Other".to_string(), |g| g.name.clone());
            codes.into_iter().map(move |c| (group.clone(), c))
        })
        .map(|(group, c)| PickItem {
            id: c.id.clone(),
            label: if c.key.is_empty() {
                c.name.clone()
            } else {
                format!("{}  [{}]", c.name, c.key)
            },
            group,
            checked: checked(&c.id),
        })
        .collect()
}

fn open(app: &mut App, target: PickerFor, items: Vec<PickItem>) {
    let initial = items.iter().map(|i| i.checked).collect();
    let mut picker = Picker {
        target,
        query: Default::default(),
        visible: (0..items.len()).collect(),
        items,
        selected: 0,
        initial,
    };
    refilter(&mut picker);
    app.popup = Some(Popup::Picker(picker));
}

/// Order the items by how well they match the query (all of them, in codebook order,
/// when the query is empty).
fn refilter(picker: &mut Picker) {
    let query = picker.query.text.trim();
    if query.is_empty() {
        picker.visible = (0..picker.items.len()).collect();
    } else {
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = picker
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let hay = format!("{} {}", item.label, item.id);
                pattern
                    .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                    .map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        picker.visible = scored.into_iter().map(|(_, i)| i).collect();
    }
    picker.selected = 0;
}

pub fn type_char(app: &mut App, c: char) {
    if let Some(Popup::Picker(p)) = app.popup.as_mut() {
        p.query
            .handle(KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(c)));
        refilter(p);
    }
}

pub fn on_text_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if let Some(Popup::Picker(p)) = app.popup.as_mut() {
        if p.query.handle(key) {
            refilter(p);
        }
    }
    Vec::new()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(Popup::Picker(p)) = app.popup.as_mut() else {
        return Vec::new();
    };
    if let Some(to) = super::step(p.selected, p.visible.len(), command, 1) {
        p.selected = to;
        return Vec::new();
    }
    match command {
        Command::ToggleItem => toggle_selected(p),
        Command::Back => app.popup = None,
        Command::Open => return apply(app),
        _ => {}
    }
    Vec::new()
}

fn toggle_selected(p: &mut Picker) {
    if let Some(&i) = p.visible.get(p.selected) {
        p.items[i].checked = !p.items[i].checked;
    }
}

/// Enter: apply what was toggled; with nothing toggled, toggle the highlighted item
/// (so `t`, a few letters, Enter tags an entry).
fn apply(app: &mut App) -> Vec<Effect> {
    let Some(Popup::Picker(mut p)) = app.popup.take() else {
        return Vec::new();
    };
    let untouched = p
        .items
        .iter()
        .zip(&p.initial)
        .all(|(item, was)| item.checked == *was);
    if untouched {
        toggle_selected(&mut p);
    }
    let chosen: Vec<String> = p
        .items
        .iter()
        .filter(|i| i.checked)
        .map(|i| i.id.clone())
        .collect();
    match p.target.clone() {
        PickerFor::EntryCodes(ids) => {
            let added: Vec<String> = changed(&p, true);
            let removed: Vec<String> = changed(&p, false);
            let mut parts: Vec<String> = added.iter().map(|c| format!("+{c}")).collect();
            parts.extend(removed.iter().map(|c| format!("-{c}")));
            let message = format!(
                "tagged {} {}",
                super::entries_label(ids.len()),
                parts.join(" ")
            );
            retag(app, &ids, message, |e| {
                for c in &added {
                    if !e.has_code(c) {
                        e.codes.push(c.clone());
                    }
                }
                e.codes.retain(|c| !removed.contains(c));
            })
        }
        PickerFor::LiveMoment(i) => super::live::set_codes(app, i, chosen),
        PickerFor::FollowLink => {
            if let Some(id) = chosen.first() {
                follow(app, id);
            }
            Vec::new()
        }
        PickerFor::InsertLink => {
            if let (Some(id), Some(editor)) = (chosen.first(), app.editor.as_mut()) {
                // The second of the id is unique enough to read, and the file keeps it
                // exact: the whole id.
                editor.body.insert_str(format!("[[{id}]]"));
                editor.field = Field::Body;
                editor.changed();
            }
            Vec::new()
        }
        PickerFor::Passage(entry_id, span) => {
            super::reader::apply_picked(app, entry_id, span, chosen)
        }
        PickerFor::EditorCodes | PickerFor::EditorAccounts => {
            if let Some(editor) = app.editor.as_mut() {
                let list = if p.target == PickerFor::EditorCodes {
                    &mut editor.codes
                } else {
                    &mut editor.accounts
                };
                // Keep the order they were chosen in; new ones go last.
                list.retain(|x| chosen.contains(x));
                for c in chosen {
                    if !list.contains(&c) {
                        list.push(c);
                    }
                }
                editor.changed();
            } else {
                app.status = Status::None;
            }
            Vec::new()
        }
    }
}

fn changed(p: &Picker, now_checked: bool) -> Vec<String> {
    p.items
        .iter()
        .zip(&p.initial)
        .filter(|(item, was)| item.checked == now_checked && **was != now_checked)
        .map(|(item, _)| item.id.clone())
        .collect()
}
