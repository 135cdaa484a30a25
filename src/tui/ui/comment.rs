//! The small comment editor, over the lower part of the screen so the entry and its
//! thread stay in view above it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::action::Command;
use super::super::app::{App, CommentEditor};
use super::super::keymap::Context;
use super::super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, editor: &CommentEditor, theme: &Theme) {
    let height = area.height.min(10).max(area.height.min(4));
    let width = area.width.min(90);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.bottom() - height,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " Comment on {} as {} · {} ",
            editor.entry_id,
            one_line(&app.author),
            app.keymap.hint_labelled(
                &[Context::Comment],
                &[(Command::Save, "send"), (Command::Back, "cancel")]
            )
        ),
        theme.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [text, message] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(&editor.body, text);
    if let Some(e) = &editor.error {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("⚠ {}", one_line(e)), theme.error())),
            message,
        );
    }
}
