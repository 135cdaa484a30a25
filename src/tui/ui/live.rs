//! The live capture view: the moments so far (newest last), each with its clock time,
//! its time since the live began and its codes; the line being typed under them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::super::action::Command;
use super::super::app::{App, LiveCapture};
use super::super::keymap::Context;
use super::super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, live: &LiveCapture, theme: &Theme) {
    let [list, input, hint] = Layout::vertical([
        Constraint::Min(2),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    let s = &live.session;
    let now = crate::model::Moment::in_zone(app.now, &app.journal.settings.time_zone());
    let title = format!(
        " Live · @{} · began {} · now {} · {} ",
        one_line(&s.account),
        s.began.civil().strftime("%H:%M"),
        s.since_start(now),
        crate::model::text::counted(s.moments.len(), "moment", "moments")
    );
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let height = usize::from(inner.height);
    // Newest last, the last ones in view (or the one being fixed).
    let last = live.fixing.unwrap_or(s.moments.len().saturating_sub(1));
    let first = (last + 1).saturating_sub(height);
    let lines: Vec<Line> = s
        .moments
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, m)| {
            let mut spans = vec![
                Span::styled(
                    format!(
                        "{} {:>8}  ",
                        m.at.civil().strftime("%H:%M:%S"),
                        s.since_start(m.at)
                    ),
                    theme.dim(),
                ),
                Span::raw(one_line(&m.text)),
            ];
            for code in &m.codes {
                let known = app.journal.codebook.code(code);
                let name = known.map_or_else(|| one_line(code), |c| one_line(&c.name));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(theme.chip_text(&name), theme.chip(known)));
            }
            let line = Line::from(spans);
            if live.fixing == Some(i) {
                line.patch_style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                "Nothing noted yet. Type what happens and press Enter; #code words code it.",
                theme.dim(),
            ))),
            inner,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }
    let prompt = if live.fixing.is_some() {
        "fix › "
    } else {
        "› "
    };
    let text = one_line(&live.input.text);
    let input_block = Block::default().borders(Borders::TOP);
    let input_inner = input_block.inner(input);
    frame.render_widget(input_block, input);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, theme.accent()),
            Span::raw(text),
        ])),
        input_inner,
    );
    let before: String = live.input.text.chars().take(live.input.cursor).collect();
    let x = input_inner.x + (prompt.width() + one_line(&before).width()) as u16;
    frame.set_cursor_position(Position::new(
        x.min(input_inner.right().saturating_sub(1)),
        input_inner.y,
    ));
    let keys = app.keymap.hint_labelled(
        &[Context::Live],
        &[
            (Command::Open, "note"),
            (Command::Up, "fix a moment"),
            (Command::TagPicker, "codes"),
            (Command::RemoveMoment, "remove it"),
            (Command::Save, "end and save"),
        ],
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(keys, theme.dim()))),
        hint,
    );
}
