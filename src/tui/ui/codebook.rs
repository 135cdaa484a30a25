use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::super::action::Command;
use super::super::app::App;
use super::super::theme::Theme;
use super::scroll_offset;
use super::timeline::pad;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let book = &app.journal.codebook;
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        format!(
            " Codebook · {} codes · {} ",
            book.codes.len(),
            codebook_hint(app)
        ),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let usage = app.usage();
    // Rows are group headings and codes; the selection counts codes only.
    let mut rows: Vec<(Option<usize>, Line)> = vec![(
        None,
        Line::from(Span::styled(
            format!("     {}{}entries passages", pad("name", 27), pad("id", 22)),
            theme.dim(),
        )),
    )];
    let mut code_index = 0;
    for (group, codes) in book.codes_by_group() {
        let heading = group.map_or("Other".to_string(), |g| format!("{} [{}]", g.name, g.id));
        rows.push((
            None,
            Line::from(Span::styled(one_line(&heading), theme.title())),
        ));
        for c in codes {
            let selected = code_index == app.codebook.selected;
            let key = if c.key.is_empty() {
                "  ".to_string()
            } else {
                format!("{:<2}", one_line(&c.key))
            };
            // The chip is as wide as the name, then padded, so the columns after it line
            // up whatever the name's length.
            let chip = theme.chip_text(pad(&one_line(&c.name), 24).trim_end());
            let fill = " ".repeat(26usize.saturating_sub(chip.width()) + 1);
            let mut line = Line::from(vec![
                Span::raw(format!("  {key} ")),
                Span::styled(chip, theme.chip(Some(c))),
                Span::raw(fill),
                Span::styled(pad(&one_line(&c.id), 22), theme.dim()),
                Span::raw(format!(
                    "{:>7} {:>8}  ",
                    usage.code(&c.id),
                    usage.passages(&c.id)
                )),
                Span::styled(one_line(&c.description), theme.dim()),
            ]);
            if selected {
                line = line.patch_style(theme.selected());
            }
            rows.push((Some(code_index), line));
            code_index += 1;
        }
    }
    let height = usize::from(inner.height);
    let selected_row = rows
        .iter()
        .position(|(i, _)| *i == Some(app.codebook.selected))
        .unwrap_or(0);
    let offset = scroll_offset(app.codebook.offset.get(), selected_row, height);
    app.codebook.offset.set(offset);
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(offset)
        .take(height)
        .map(|(_, l)| l)
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The codebook's keys, from the keymap; the editing ones only where codes may change.
fn codebook_hint(app: &App) -> String {
    let mut commands = vec![(Command::Open, "timeline of a code")];
    if app.can_edit() {
        commands.extend([
            (Command::AddCode, "add"),
            (Command::RenameCode, "rename"),
            (Command::RecolorCode, "colour"),
            (Command::SetCodeKey, "key"),
        ]);
    }
    app.keymap.hint_labelled(&app.screen_contexts(), &commands)
}
