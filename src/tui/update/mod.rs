//! `update(app, action) -> effects`: every behaviour of the interface, with no I/O, so
//! tests can drive it with key sequences and look at the state.

mod accounts;
mod comment;
mod conflict;
mod editor;
mod history;
mod live;
mod matrix;
mod picker;
mod prompt;
mod reader;

pub use editor::current_draft;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::action::{Action, Command, Effect, SaveOutcome};
use super::app::{Access, App, Confirm, Pane, Popup, Scope, Screen, Status, UndoStep};
use crate::model::Entry;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(key) => on_key(app, key),
        Action::Command(command) => on_command(app, command),
        Action::Tick(now) => editor::on_tick(app, now),
        Action::Resize(_, height) => {
            app.page = usize::from(height.saturating_sub(6)).max(1);
            Vec::new()
        }
        Action::ExternalEditDone(result) => editor::external_edit_done(app, result),
        Action::Saved(outcome) => on_saved(app, outcome),
        Action::Reloaded(journal, problems) => {
            // Keep the selection on the same entry (its index may change).
            app.keeping_selection(|app| {
                app.replace_journal(*journal);
                app.problems = problems;
                app.undo.clear();
                app.refresh_rows();
            });
            if app.matrix.matrix.is_some() {
                matrix::recompute(app);
            }
            reader::forget_if_gone(app);
            app.status = Status::Info(format!("reloaded: {} entries", app.journal.entries.len()));
            offer_next_draft(app);
            Vec::new()
        }
        Action::NotDone(message) => {
            app.status = Status::Error(message);
            Vec::new()
        }
        Action::Trashed(id, result) => {
            match result {
                Ok(()) => {
                    app.keeping_selection(|app| {
                        app.remove_entry(&id);
                        app.refresh_rows();
                    });
                    app.undo.clear();
                    app.status = Status::Info(format!(
                        "{id} moved to the trash: `fieldnote restore {id}` brings it back"
                    ));
                }
                Err(message) => app.status = Status::Error(message),
            }
            Vec::new()
        }
        Action::DraftNotWritten(message) => {
            app.status = Status::Error(format!(
                "cannot write the draft: {message} (the text is still here)"
            ));
            Vec::new()
        }
        Action::Attached(entry_id, result) => on_attached(app, entry_id, result),
        Action::PathCompletions(list) => prompt::path_completions(app, list),
        Action::CommentsFailed {
            message,
            restore,
            remove,
        } => comment::failed(app, message, restore, remove),
        Action::GitStatus(status) => {
            app.has_git = status.is_some();
            app.git = status;
            Vec::new()
        }
        Action::Committed(result) => {
            use crate::store::git::Committed;
            match result {
                Ok(Committed::NoRepository) => {
                    app.status = Status::Error(
                        "[git] autocommit is on, but the journal is not in a git repository".into(),
                    )
                }
                Ok(_) => {}
                Err(e) => {
                    app.status = Status::Error(format!(
                        "saved, but the commit failed: {e} (the change is on disk; commit it with git)"
                    ))
                }
            }
            Vec::new()
        }
        Action::History(entry_id, result) => {
            history::loaded(app, entry_id, result);
            Vec::new()
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    app.status = Status::None;
    if let Some(Popup::Confirm(confirm)) = &app.popup {
        let confirm = confirm.clone();
        let command = app.keymap.lookup(&app.contexts(), key);
        return editor::on_confirm(app, confirm, command);
    }
    if let Some(command) = app.keymap.lookup(&app.contexts(), key) {
        return on_command(app, command);
    }
    if app.popup.is_none() && app.comment_editor.is_some() {
        return comment::on_key(app, key);
    }
    match (&app.popup, &app.editor) {
        (Some(Popup::Prompt(_)), _) => prompt::on_text_key(app, key),
        (Some(Popup::AccountForm(_)), _) => accounts::on_text_key(app, key),
        (Some(Popup::Picker(_)), _) => picker::on_text_key(app, key),
        (Some(_), _) => Vec::new(),
        (None, Some(_)) => editor::on_key(app, key),
        (None, None) if app.live.is_some() => live::on_text_key(app, key),
        (None, None) if app.reader.is_some() => reader::on_key(app, key),
        (None, None) if app.screen == Screen::Timeline => quick_tag(app, key),
        (None, None) => Vec::new(),
    }
}

/// A code's key pressed on the timeline: toggle that code on the marked entries (or the
/// selected one) and save at once.
fn quick_tag(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let KeyCode::Char(c) = key.code else {
        return Vec::new();
    };
    let Some(code) = app.journal.codebook.code_for_key(&c.to_string()) else {
        return Vec::new();
    };
    let (id, name) = (code.id.clone(), code.name.clone());
    if let Some(refusal) = refuse_unless_editing(app, "tagging") {
        return refusal;
    }
    let targets = app.tag_targets();
    let all_have = targets
        .iter()
        .filter_map(|t| app.journal.entry(t))
        .all(|e| e.has_code(&id));
    let (sign, label) = if all_have {
        ('-', "untagged")
    } else {
        ('+', "tagged")
    };
    let message = format!("{label} {} {sign}{name}", entries_label(targets.len()));
    retag(app, &targets, message, |e| {
        let has = e.has_code(&id);
        if all_have && has || !all_have && !has {
            e.toggle_code(&id);
        }
    })
}

fn entries_label(n: usize) -> String {
    crate::model::text::counted(n, "entry", "entries")
}

/// Change the entries `ids` with `change`, remember how they were for `u`, and save.
pub(super) fn retag(
    app: &mut App,
    ids: &[String],
    message: String,
    change: impl Fn(&mut Entry),
) -> Vec<Effect> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    for id in ids {
        let Some(old) = app.journal.entry(id) else {
            continue;
        };
        let mut new = old.clone();
        change(&mut new);
        if new != *old {
            before.push(old.clone());
            after.push(new);
        }
    }
    if after.is_empty() {
        return Vec::new();
    }
    for e in &after {
        app.put_entry(e.clone());
    }
    app.refresh_rows();
    app.undo.push(UndoStep {
        before: before.clone(),
        label: message.clone(),
    });
    app.status = Status::Info(message.clone());
    vec![Effect::SaveEntries {
        entries: after,
        previous: before,
        message,
    }]
}

pub(super) fn undo(app: &mut App) -> Vec<Effect> {
    let Some(step) = app.undo.pop() else {
        app.status = Status::Info("nothing to undo".into());
        return Vec::new();
    };
    let current: Vec<Entry> = step
        .before
        .iter()
        .filter_map(|e| app.journal.entry(&e.id).cloned())
        .collect();
    for e in &step.before {
        app.put_entry(e.clone());
    }
    app.refresh_rows();
    let message = format!("undid: {}", step.label);
    app.status = Status::Info(message.clone());
    vec![Effect::SaveEntries {
        entries: step.before,
        previous: current,
        message,
    }]
}

fn on_saved(app: &mut App, outcome: SaveOutcome) -> Vec<Effect> {
    match outcome {
        SaveOutcome::Ok(message) => {
            app.status = Status::Info(message);
        }
        SaveOutcome::Failed {
            message,
            restore,
            remove,
        } => {
            for e in restore {
                app.put_entry(e);
            }
            for id in &remove {
                app.remove_entry(id);
            }
            app.refresh_rows();
            app.status = Status::Error(format!("{message} — {}", app.reload_hint()));
        }
        SaveOutcome::NotSaved(n) => return conflict::not_saved(app, n),
    }
    Vec::new()
}

fn on_attached(
    app: &mut App,
    entry_id: String,
    result: Result<crate::model::Screenshot, String>,
) -> Vec<Effect> {
    match result {
        Err(message) => {
            app.status = Status::Error(message);
            Vec::new()
        }
        Ok(shot) => {
            let already = app.journal.entry(&entry_id).is_some_and(|e| {
                e.screenshots.iter().any(|s| {
                    s.path == shot.path || (!s.sha256.is_empty() && s.sha256 == shot.sha256)
                })
            });
            if already {
                app.status =
                    Status::Info(format!("{} is already attached to this entry", shot.path));
                return Vec::new();
            }
            let label = format!("attached {}", shot.path);
            retag(app, &[entry_id], label, move |e| {
                e.screenshots.push(shot.clone())
            })
        }
    }
}

/// Unless entries may be changed here, the refusal (a status message, no effects) for
/// doing `what`.
pub(super) fn refuse_unless_editing(app: &mut App, what: &str) -> Option<Vec<Effect>> {
    match app.mode {
        Access::Full => None,
        Access::ReadOnly => Some(refuse(app, what)),
        Access::CommentsOnly => {
            app.status = Status::Error(format!(
                "reviewer mode: only comments can be written ({what} is not possible here)"
            ));
            Some(Vec::new())
        }
    }
}

fn refuse(app: &mut App, what: &str) -> Vec<Effect> {
    app.status = Status::Error(format!("read-only: {what} is not possible here"));
    Vec::new()
}

pub(super) fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    if command.writes() {
        if let Some(refusal) = refuse_unless_editing(app, command.description()) {
            return refusal;
        }
    }
    if command.writes_comments() && !app.can_comment() && app.popup.is_none() {
        return refuse(app, command.description());
    }
    match &app.popup {
        Some(Popup::Help) => return help_command(app, command),
        Some(Popup::Quotes(_)) => return matrix::quotes_command(app, command),
        Some(Popup::History(_)) => return history::on_command(app, command),
        Some(Popup::Picker(_)) => return picker::on_command(app, command),
        Some(Popup::Prompt(_)) => return prompt::on_command(app, command),
        Some(Popup::AccountForm(_)) => return accounts::on_command(app, command),
        Some(Popup::Confirm(_)) => return Vec::new(),
        None => {}
    }
    if app.comment_editor.is_some() {
        return comment::on_command(app, command);
    }
    if app.editor.is_some() {
        return editor::on_command(app, command);
    }
    if app.live.is_some() {
        return live::on_command(app, command);
    }
    if app.reader.is_some() {
        return reader::on_command(app, command);
    }
    screen_command(app, command)
}

fn help_command(app: &mut App, command: Command) -> Vec<Effect> {
    let page = app.page as u16;
    if !scroll(&mut app.help_scroll, command, page) {
        app.popup = None;
    }
    Vec::new()
}

/// Scroll a text view (help, history) by `command`; `false` when the command closes it.
pub(super) fn scroll(s: &mut u16, command: Command, page: u16) -> bool {
    match command {
        Command::Back | Command::Quit | Command::Help | Command::History => return false,
        Command::Down => *s = s.saturating_add(1),
        Command::Up => *s = s.saturating_sub(1),
        Command::PageDown => *s = s.saturating_add(page),
        Command::PageUp => *s = s.saturating_sub(page),
        Command::Top => *s = 0,
        _ => {}
    }
    true
}

fn screen_command(app: &mut App, command: Command) -> Vec<Effect> {
    use Command::*;
    if app.screen == Screen::Matrix {
        if let Some(effects) = matrix::on_command(app, command) {
            return effects;
        }
    }
    if app.screen == Screen::Charts && charts_command(app, command) {
        return Vec::new();
    }
    match command {
        Quit => {
            app.should_quit = true;
            return vec![Effect::Quit];
        }
        Help => {
            app.help_scroll = 0;
            app.popup = Some(Popup::Help);
        }
        Back => back(app),
        Up | Down | Top | Bottom | PageUp | PageDown => move_cursor(app, command),
        SwitchPane | Open if app.screen == Screen::Timeline => {
            app.timeline.focus = match app.timeline.focus {
                Some(Pane::Preview) => None,
                _ => Some(Pane::Preview),
            };
            app.timeline.preview_scroll = 0;
        }
        Open => open_scoped_timeline(app),
        ShowTimeline | ShowAccounts | ShowCodebook | ShowMatrix | ShowCharts => {
            // Going somewhere on purpose ends the way back to a drill-down.
            app.left_quotes = None;
            match command {
                ShowTimeline => {
                    app.screen = Screen::Timeline;
                    app.timeline.scope = None;
                    app.came_from = None;
                    app.refresh_rows();
                }
                ShowAccounts => app.screen = Screen::Accounts,
                ShowCodebook => app.screen = Screen::Codebook,
                ShowCharts => app.screen = Screen::Charts,
                _ => matrix::open(app),
            }
        }
        NewEntry => return editor::open_new(app),
        EditEntry => return editor::open_selected(app, false),
        EditBodyExternally => return editor::open_selected(app, true),
        Search => prompt::open(app, super::app::PromptKind::Search),
        Filter => prompt::open(app, super::app::PromptKind::Filter),
        ClearFilter => clear_filter(app),
        Mark => mark(app),
        Undo => return undo(app),
        TagPicker => picker::open_for_entries(app),
        AttachScreenshot => {
            if let Some(id) = app.selected_entry().map(|e| e.id.clone()) {
                prompt::open(app, super::app::PromptKind::AttachPath(id));
            }
        }
        OpenScreenshot => match app.selected_entry().and_then(|e| e.screenshots.first()) {
            Some(shot) => return vec![Effect::OpenInViewer(shot.path.clone())],
            None => app.status = Status::Info("this entry has no screenshot".into()),
        },
        ToggleImage => app.show_image = !app.show_image,
        Reload => return vec![Effect::Reload],
        AddCode => prompt::open(app, super::app::PromptKind::NewCode),
        RenameCode | RecolorCode | SetCodeKey => prompt::open_for_code(app, command),
        ReadPassages if app.screen == Screen::Timeline => reader::open(app),
        StartLive if app.screen == Screen::Timeline => live::ask(app),
        FollowLink if app.screen == Screen::Timeline => picker::open_links(app),
        DeleteEntry if app.screen == Screen::Timeline => {
            if let Some(id) = app.selected_entry().map(|e| e.id.clone()) {
                app.popup = Some(Popup::Confirm(Confirm::DeleteEntry(id)));
            }
        }
        AddAccount => accounts::open_new(app),
        EditAccount => accounts::open_edit(app),
        RecordFollowers => accounts::open_followers(app),
        Comment if app.screen == Screen::Timeline => return comment::open(app),
        ToggleResolved if app.screen == Screen::Timeline => return comment::toggle_resolved(app),
        History if app.screen == Screen::Timeline => return history::open(app),
        OpenComments => {
            app.timeline.filter.open_comments = !app.timeline.filter.open_comments;
            app.refresh_rows();
            app.status = Status::Info(if app.timeline.filter.open_comments {
                format!("{} entries with open comments", app.timeline.rows.len())
            } else {
                "all entries".into()
            });
        }
        Comment | ToggleResolved | History => {}
        SwitchPane | Save | NextField | PrevField | ToggleItem | Left | Right | ToggleShare
        | CycleColumns | Transpose | ToggleCooccurrence => {}
        ReadPassages | WordForward | WordBack | SentenceForward | SentenceBack | LineStart
        | LineEnd | Visual | SelectSentence | SelectLine | NextPassage | PrevPassage
        | RemovePassage | Yes | No | ReloadTheirs | SaveCopy | DeleteDraft | StartLive
        | RemoveMoment | DeleteEntry | FollowLink | InsertLink | NextChart => {}
    }
    Vec::new()
}

fn back(app: &mut App) {
    match app.screen {
        Screen::Timeline if app.timeline.focus == Some(Pane::Preview) => app.timeline.focus = None,
        Screen::Timeline if !app.link_back.is_empty() => {
            if let Some(id) = app.link_back.pop() {
                app.show_entry(&id);
            }
        }
        Screen::Timeline if app.left_quotes.is_some() => {
            app.screen = Screen::Matrix;
            app.popup = app.left_quotes.take().map(Popup::Quotes);
        }
        Screen::Timeline if !app.timeline.search.is_empty() || !app.timeline.filter.is_empty() => {
            clear_filter(app)
        }
        Screen::Timeline if !app.timeline.marked.is_empty() => app.timeline.marked.clear(),
        Screen::Timeline if app.timeline.scope.is_some() => {
            app.timeline.scope = None;
            app.screen = app.came_from.take().unwrap_or(Screen::Timeline);
            app.refresh_rows();
        }
        Screen::Timeline => {}
        _ => app.screen = Screen::Timeline,
    }
}

fn clear_filter(app: &mut App) {
    app.timeline.search = Default::default();
    app.timeline.filter = Default::default();
    app.refresh_rows();
    app.status = Status::Info("filter cleared".into());
}

fn mark(app: &mut App) {
    if let Some(id) = app.selected_entry().map(|e| e.id.clone()) {
        if !app.timeline.marked.remove(&id) {
            app.timeline.marked.insert(id);
        }
        move_cursor(app, Command::Down);
        let n = app.timeline.marked.len();
        app.status = Status::Info(format!(
            "{} marked: code keys and t tag them all",
            entries_label(n)
        ));
    }
}

/// The charts screen's keys: along the points, the next chart, Enter on a point.
fn charts_command(app: &mut App, command: Command) -> bool {
    use Command::*;
    if command == NextChart {
        app.charts.kind = app.charts.kind.next();
        app.charts.cursor = usize::MAX;
        return true;
    }
    // The chart is counted again only for the keys that need its points.
    if !matches!(command, Left | Up | Right | Down | Top | Bottom | Open) {
        return false;
    }
    let data = app.chart_data();
    let last = data.x.len().saturating_sub(1);
    let at = app.charts.cursor.min(last);
    match command {
        Command::Left | Command::Up => app.charts.cursor = at.saturating_sub(1),
        Command::Right | Command::Down => app.charts.cursor = (at + 1).min(last),
        Command::Top => app.charts.cursor = 0,
        Command::Bottom => app.charts.cursor = last,
        Command::Open => match data.behind.get(at) {
            Some((label, entries)) if !entries.is_empty() => {
                let mut entries = entries.clone();
                entries.sort_unstable();
                app.popup = Some(Popup::Quotes(super::app::Quotes {
                    title: label.clone(),
                    codes: Vec::new(),
                    entries,
                    selected: 0,
                    offset: Default::default(),
                }));
            }
            _ => app.status = Status::Info("no entries behind this point".into()),
        },
        _ => return false,
    }
    true
}

fn open_scoped_timeline(app: &mut App) {
    let scope = match app.screen {
        Screen::Accounts => app
            .journal
            .accounts
            .get(app.accounts.selected)
            .map(|a| Scope::Account(a.handle.clone())),
        Screen::Codebook => codebook_order(app)
            .get(app.codebook.selected)
            .map(|id| Scope::Code(id.clone())),
        Screen::Timeline | Screen::Matrix | Screen::Charts => None,
    };
    if let Some(scope) = scope {
        app.came_from = Some(app.screen);
        app.timeline.scope = Some(scope);
        app.screen = Screen::Timeline;
        app.timeline.selected = 0;
        app.refresh_rows();
    }
}

/// Code ids in the order the codebook screen lists them.
pub fn codebook_order(app: &App) -> Vec<String> {
    app.journal
        .codebook
        .codes_by_group()
        .into_iter()
        .flat_map(|(_, codes)| codes.into_iter().map(|c| c.id.clone()))
        .collect()
}

fn move_cursor(app: &mut App, command: Command) {
    let page = app.page.max(1);
    let (selected, len) = match app.screen {
        Screen::Timeline if app.timeline.focus == Some(Pane::Preview) => {
            let s = &mut app.timeline.preview_scroll;
            *s = match command {
                Command::Up => s.saturating_sub(1),
                Command::Down => s.saturating_add(1),
                Command::PageUp => s.saturating_sub(page as u16),
                Command::PageDown => s.saturating_add(page as u16),
                Command::Top => 0,
                _ => *s,
            };
            return;
        }
        Screen::Timeline => (&mut app.timeline.selected, app.timeline.rows.len()),
        Screen::Accounts => (&mut app.accounts.selected, app.journal.accounts.len()),
        Screen::Codebook => (&mut app.codebook.selected, app.journal.codebook.codes.len()),
        Screen::Matrix | Screen::Charts => return,
    };
    if let Some(to) = step(*selected, len, command, page) {
        *selected = to;
    }
    if app.screen == Screen::Timeline {
        app.timeline.preview_scroll = 0;
    }
}

/// Where a movement command takes the selection of a list of `len` rows, `page` rows
/// a page; `None` for a command that is no movement. Every list of the interface moves
/// through this one rule.
pub(super) fn step(selected: usize, len: usize, command: Command, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    let to = match command {
        Command::Up => selected.saturating_sub(1),
        Command::Down => (selected + 1).min(last),
        Command::Top => 0,
        Command::Bottom => last,
        Command::PageUp => selected.saturating_sub(page),
        Command::PageDown => (selected + page).min(last),
        _ => return None,
    };
    Some(to)
}

/// Open on the keymap file's mistakes, if it has any; the drafts are offered after.
pub fn show_keymap_problems(app: &mut App, problems: Vec<String>) {
    if problems.is_empty() {
        return;
    }
    if let Some(Popup::Confirm(Confirm::RestoreDraft(draft))) = app.popup.take() {
        app.pending_drafts.insert(0, *draft);
    }
    app.popup = Some(Popup::Confirm(Confirm::KeymapProblems(problems)));
}

/// Offer back the drafts found at start, one at a time.
pub fn offer_next_draft(app: &mut App) {
    if app.popup.is_none() && app.editor.is_none() && !app.pending_drafts.is_empty() {
        let draft = app.pending_drafts.remove(0);
        app.popup = Some(Popup::Confirm(Confirm::RestoreDraft(Box::new(draft))));
    }
}
