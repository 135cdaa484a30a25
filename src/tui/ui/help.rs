//! `?`: every key of the current screen, from the keymap, and the code keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::super::action::Command;
use super::super::app::{App, Screen};
use super::super::theme::Theme;
use super::centered;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let contexts = app.screen_contexts();
    let mut lines = Vec::new();
    let mut last_context = None;
    for (context, keys, command) in app.keymap.help(&contexts) {
        let description = command.description();
        let Some(unavailable) = available(app, command) else {
            continue;
        };
        if last_context != Some(context) {
            if last_context.is_some() {
                lines.push(Line::default());
            }
            lines.push(Line::from(Span::styled(context.name(), theme.title())));
            last_context = Some(context);
        }
        lines.push(match unavailable {
            None => Line::from(vec![
                Span::styled(format!("  {keys:<14}"), theme.accent()),
                Span::raw(description),
            ]),
            Some(why) => Line::from(Span::styled(
                format!("  {keys:<14}{description} ({why})"),
                theme.dim(),
            )),
        });
    }
    if app.screen == Screen::Timeline && app.editor.is_none() {
        let keyed: Vec<_> = app
            .journal
            .codebook
            .codes
            .iter()
            .filter(|c| !c.key.is_empty())
            .collect();
        // Code keys tag: of no use where the mode refuses tagging.
        if !keyed.is_empty() && app.can_edit() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                if app.reader.is_some() {
                    "code keys (code the selection, or toggle on the passage under the cursor)"
                } else {
                    "code keys (toggle on the entry, or on all marked)"
                },
                theme.title(),
            )));
            for c in keyed {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<14}", one_line(&c.key)), theme.accent()),
                    Span::raw(one_line(&c.name)),
                ]));
            }
        }
    }
    if app.screen == Screen::Timeline && app.editor.is_none() && app.reader.is_none() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("filter bar (f)", theme.title())));
        lines.push(Line::from(
            "  @handle  code  +code (and)  |code (or)  -code (not)  kind:content  since:2026-03-01  until:2026-03-31  open",
        ));
    }
    if app.has_git {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("status bar (git)", theme.title())));
        lines.push(Line::from(
            "  ⎇ branch   ↑n commits to push   ↓n commits to pull   ●n files changed, not committed   ✗n conflicted",
        ));
    }
    let popup = centered(area, 76, area.height.saturating_sub(2).max(8));
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" Keys · {} ", super::scroll_hint(app)),
        theme.title(),
    ));
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.help_scroll, 0));
    frame.render_widget(paragraph, popup);
}

/// Is the command with this help text of use here? `None`: leave it out (writes the
/// mode refuses); `Some(None)`: list it; `Some(Some(why))`: list it dimmed with why it
/// does nothing here, so that a person learns what would make it work.
fn available(app: &App, command: Command) -> Option<Option<&'static str>> {
    if command.writes() && !app.can_edit() {
        return None;
    }
    if command.writes_comments() && !app.can_comment() {
        return None;
    }
    if command == Command::History && !app.has_git {
        return Some(Some(
            "needs git: this journal is not a git repository; `git init` it",
        ));
    }
    Some(None)
}
