//! The status bar: mode, what is shown, counts, and either a message or key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::super::action::Command;
use super::super::app::{App, Mode, Screen, Status};
use super::super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut left = Vec::new();
    if app.mode == Mode::ReadOnly {
        left.push(Span::styled(" READ-ONLY ", theme.selected()));
        left.push(Span::raw(" "));
    }
    if app.screen == Screen::Timeline && app.editor.is_none() {
        let t = &app.timeline;
        let mut filter = t.filter.clone();
        filter.text = t.search.clone();
        if !filter.is_empty() {
            left.push(Span::styled(
                format!("filter: {} ", one_line(&filter.describe())),
                theme.accent(),
            ));
        }
        left.push(Span::raw(format!(
            "{}/{} ",
            t.rows.len(),
            app.journal.entries.len()
        )));
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
    if app.problems > 0 {
        left.push(Span::styled(
            format!("⚠ {} file problems (fieldnote check) ", app.problems),
            theme.warning(),
        ));
    }
    let right = match &app.status {
        Status::Info(m) => Span::raw(one_line(m)),
        Status::Error(m) => Span::styled(one_line(m), theme.error()),
        Status::None => Span::styled(hints(app), theme.dim()),
    };
    let used: usize = left.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(used);
    let right_text = right.content.to_string();
    let right = if right_text.width() > room {
        Span::styled(super::timeline::pad(&right_text, room), right.style)
    } else {
        Span::styled(format!("{right_text:>room$}"), right.style)
    };
    left.push(right);
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

fn hints(app: &App) -> String {
    if app.editor.is_some() {
        // The editor shows its own keys under the form.
        return String::new();
    }
    let commands: &[Command] = match app.screen {
        Screen::Timeline => &[
            Command::NewEntry,
            Command::Search,
            Command::Filter,
            Command::TagPicker,
            Command::Help,
            Command::Quit,
        ],
        Screen::Accounts | Screen::Codebook | Screen::Matrix => {
            &[Command::Open, Command::Back, Command::Help, Command::Quit]
        }
    };
    app.keymap.hint(&app.screen_contexts(), commands)
}
