//! Drawing: a pure function of the app state, one file per screen. Only the visible
//! rows are built, so a frame costs the same at 50 entries or 100,000.

mod accounts;
mod charts;
mod codebook;
mod comment;
mod editor;
mod help;
mod history;
mod live;
mod matrix;
mod popup;
mod preview;
mod reader;
mod status;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_image::protocol::StatefulProtocol;

use super::app::{App, Popup, Screen};
use super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    draw_with_image(frame, app, theme, None);
}

/// Draw, with the selected entry's screenshot shown in the preview when the runtime has
/// one ready (images need terminal-specific state, kept out of `App`).
pub fn draw_with_image(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    image: Option<&mut StatefulProtocol>,
) {
    let area = frame.area();
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status::height(app, theme, area.width)),
    ])
    .areas(area);
    draw_header(frame, header, app, theme);
    match (&app.editor, app.screen) {
        (Some(editor), _) => editor::draw(frame, body, app, editor, theme),
        (None, _) if app.live.is_some() => {
            if let Some(l) = &app.live {
                live::draw(frame, body, app, l, theme)
            }
        }
        (None, Screen::Timeline) if app.reader.is_some() => {
            if let Some(r) = &app.reader {
                reader::draw(frame, body, app, r, theme)
            }
        }
        (None, Screen::Timeline) => timeline::draw(frame, body, app, theme, image),
        (None, Screen::Accounts) => accounts::draw(frame, body, app, theme),
        (None, Screen::Codebook) => codebook::draw(frame, body, app, theme),
        (None, Screen::Matrix) => matrix::draw(frame, body, app, theme),
        (None, Screen::Charts) => charts::draw(frame, body, app, theme),
    }
    if let Some(editor) = &app.comment_editor {
        comment::draw(frame, body, app, editor, theme);
    }
    status::draw(frame, footer, app, theme);
    match &app.popup {
        Some(Popup::History(view)) => history::draw(frame, body, app, view, theme),
        Some(Popup::Help) => help::draw(frame, body, app, theme),
        Some(Popup::Quotes(q)) => matrix::draw_quotes(frame, body, app, q, theme),
        Some(Popup::Picker(p)) => popup::draw_picker(frame, body, app, p, theme),
        Some(Popup::Prompt(p)) => {
            let last_line = Rect {
                y: footer.bottom().saturating_sub(1),
                height: footer.height.min(1),
                ..footer
            };
            popup::draw_prompt(frame, last_line, body, p, theme)
        }
        Some(Popup::Confirm(c)) => popup::draw_confirm(frame, body, app, c, theme),
        Some(Popup::AccountForm(form)) => {
            use super::action::Command;
            let hint = app.keymap.hint(
                &app.contexts(),
                &[
                    Command::NextField,
                    Command::PrevField,
                    Command::Open,
                    Command::Back,
                ],
            );
            popup::draw_account_form(frame, body, form, hint.replace(" open", " save"), theme)
        }
        None => {}
    }
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let tabs = [
        (Screen::Timeline, "Timeline"),
        (Screen::Accounts, "Accounts"),
        (Screen::Codebook, "Codebook"),
        (Screen::Matrix, "Matrix"),
        (Screen::Charts, "Charts"),
    ];
    let mut spans = vec![Span::styled(" fieldnote ", theme.title())];
    for (screen, label) in tabs {
        let style = if app.screen == screen && app.editor.is_none() {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(format!(" {label} "), style));
    }
    spans.push(Span::raw("  "));
    spans.push(Span::styled(
        one_line(&app.journal.settings.title),
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A rectangle of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Keep `selected` in view: the first row to show, moving the previous `offset` only
/// as far as needed (like a list widget's state).
/// `j/k scroll · esc closes` for a text view over the screen, with the keys it has.
pub fn scroll_hint(app: &App) -> String {
    use super::action::Command;
    use super::keymap::Context;
    let contexts = [Context::List, Context::Global];
    let keys = |c| app.keymap.key(&contexts, c).unwrap_or_default();
    format!(
        "{}/{} scroll · {} closes",
        keys(Command::Down),
        keys(Command::Up),
        keys(Command::Back)
    )
}

pub fn scroll_offset(offset: usize, selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
