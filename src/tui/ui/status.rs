//! The status bar: mode, what is shown, counts, and either a message or key hints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::super::action::Command;
use super::super::app::{Access, App, Screen, Status};
use super::super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut left = left_spans(app, theme);
    let used: usize = left.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(used);
    let right = match &app.status {
        Status::Info(m) => Span::raw(one_line(m)),
        Status::Error(m) => Span::styled(one_line(m), theme.error()),
        Status::None => Span::styled(hints(app), theme.dim()),
    };
    let right_text = right.content.to_string();
    if area.height > 1 && right_text.width() > room {
        // A message too long for the room beside the counts goes whole, wrapped, on the
        // lines below them (see `height`): an error cut mid-word tells nobody anything.
        let [counts, message] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        frame.render_widget(Paragraph::new(Line::from(left)), counts);
        let wrapped = Paragraph::new(Line::from(right)).wrap(Wrap { trim: false });
        frame.render_widget(wrapped, message);
        return;
    }
    let right = if right_text.width() > room {
        Span::styled(super::timeline::pad(&right_text, room), right.style)
    } else {
        Span::styled(format!("{right_text:>room$}"), right.style)
    };
    left.push(right);
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

/// How many lines the status bar needs at `width`: one, or up to four when a message
/// does not fit beside the counts (hints are cut instead; the help lists them all).
pub fn height(app: &App, theme: &Theme, width: u16) -> u16 {
    let message = match &app.status {
        Status::Info(m) | Status::Error(m) => one_line(m),
        Status::None => return 1,
    };
    let used: usize = left_spans(app, theme)
        .iter()
        .map(|s| s.content.width())
        .sum();
    let width = usize::from(width.max(1));
    if message.width() <= width.saturating_sub(used) {
        return 1;
    }
    1 + message.width().div_ceil(width).min(3) as u16
}

/// Mode, what is shown, counts, comments, git and problems: the left of the bar.
fn left_spans(app: &App, theme: &Theme) -> Vec<Span<'static>> {
    let mut left = Vec::new();
    match app.mode {
        Access::ReadOnly => {
            left.push(Span::styled(" READ-ONLY ", theme.selected()));
            left.push(Span::raw(" "));
        }
        Access::CommentsOnly => {
            left.push(Span::styled(
                format!(" REVIEW as {} ", one_line(&app.author)),
                theme.selected(),
            ));
            left.push(Span::raw(" "));
        }
        Access::Full => {}
    }
    if app.screen == Screen::Timeline && app.editor.is_none() {
        let t = &app.timeline;
        let filter = app.searched_filter();
        if !filter.is_empty() {
            left.push(Span::styled(
                format!(
                    "filter: {} ",
                    one_line(&filter.describe(&app.journal.settings.time_zone()))
                ),
                theme.accent(),
            ));
        }
        if app.opening {
            left.push(Span::styled("opening the journal… ", theme.dim()));
        } else {
            left.push(Span::raw(format!(
                "{}/{} ",
                t.rows.len(),
                app.journal.entries.len()
            )));
        }
        if !t.marked.is_empty() {
            left.push(Span::styled(
                format!("{} marked ", t.marked.len()),
                theme.marked(),
            ));
        }
    }
    let open = app.open_comment_count();
    if open > 0 {
        left.push(Span::styled(format!("{open} open comments "), theme.dim()));
    }
    if let Some(git) = &app.git {
        left.push(Span::styled(format!("{} ", git_text(git)), theme.dim()));
    }
    if app.problems > 0 {
        left.push(Span::styled(
            format!("⚠ {} file problems (fieldnote check) ", app.problems),
            theme.warning(),
        ));
    }
    left
}

/// `⎇ main ↑1 ↓2 ●3`: branch, commits ahead and behind the upstream, changed files.
pub fn git_text(git: &crate::store::git::GitStatus) -> String {
    let mut text = format!("⎇ {}", one_line(&git.branch));
    if git.upstream.is_some() {
        if git.ahead > 0 {
            text.push_str(&format!(" ↑{}", git.ahead));
        }
        if git.behind > 0 {
            text.push_str(&format!(" ↓{}", git.behind));
        }
    }
    if git.conflicted > 0 {
        text.push_str(&format!(" ✗{} conflicted", git.conflicted));
    }
    if git.changed > 0 {
        text.push_str(&format!(" ●{}", git.changed));
    }
    text
}

fn hints(app: &App) -> String {
    if app.editor.is_some() || app.comment_editor.is_some() || app.live.is_some() {
        // The editors show their own keys.
        return String::new();
    }
    if app.reader.is_some() {
        let commands: &[Command] = if app.can_edit() {
            &[
                Command::Visual,
                Command::SelectSentence,
                Command::SelectLine,
                Command::TagPicker,
                Command::NextPassage,
                Command::Help,
            ]
        } else {
            &[
                Command::SentenceForward,
                Command::NextPassage,
                Command::Help,
                Command::Back,
            ]
        };
        return app.keymap.hint(&app.screen_contexts(), commands);
    }
    let commands: &[Command] = match app.screen {
        Screen::Timeline if app.mode == Access::CommentsOnly => &[
            Command::Comment,
            Command::ToggleResolved,
            Command::Search,
            Command::Filter,
            Command::Help,
            Command::Quit,
        ],
        Screen::Timeline if app.mode == Access::ReadOnly => &[
            Command::Search,
            Command::Filter,
            Command::Help,
            Command::Quit,
        ],
        Screen::Timeline => &[
            Command::NewEntry,
            Command::Search,
            Command::Filter,
            Command::TagPicker,
            Command::Help,
            Command::Quit,
        ],
        // Enter is named above the follower curve.
        Screen::Accounts if app.mode == Access::Full => &[
            Command::AddAccount,
            Command::EditAccount,
            Command::RecordFollowers,
            Command::Help,
        ],
        Screen::Charts => &[
            Command::NextChart,
            Command::Open,
            Command::Help,
            Command::Quit,
        ],
        Screen::Accounts | Screen::Codebook | Screen::Matrix => {
            &[Command::Open, Command::Back, Command::Help, Command::Quit]
        }
    };
    app.keymap.hint(&app.screen_contexts(), commands)
}
