//! The entry editor: a form with the body in a soft-wrapping text area.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::super::action::Command;
use super::super::app::{App, EntryEditor, Field};
use super::super::input::LineInput;
use super::super::keymap::Context;
use super::super::theme::Theme;
use crate::model::Kind;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, editor: &EntryEditor, theme: &Theme) {
    let title = match &editor.original {
        Some(e) => format!(" Edit {} ", e.id),
        None => " New entry ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The fields this kind of entry has, between the title and the body.
    let extra: Vec<Field> = [Field::Url, Field::Informant, Field::Metrics]
        .into_iter()
        .filter(|f| editor.shows(*f))
        .collect();
    let [
        observed,
        kind,
        accounts,
        title_row,
        extra_rows,
        body,
        codes,
        message,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(extra.len() as u16),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let focus = editor.field;
    input_row(
        frame,
        observed,
        Field::ObservedAt,
        &editor.observed_at,
        focus,
        theme,
    );
    let kinds: Vec<Span> = Kind::ALL
        .iter()
        .flat_map(|k| {
            let style = if *k == editor.kind {
                theme.selected()
            } else {
                theme.dim()
            };
            [Span::styled(format!(" {k} "), style), Span::raw(" ")]
        })
        .collect();
    list_row(frame, kind, Field::Kind, kinds, focus, theme);
    let handles: Vec<Span> = if editor.accounts.is_empty() {
        vec![Span::styled("none · Enter picks", theme.dim())]
    } else {
        editor
            .accounts
            .iter()
            .map(|a| Span::styled(format!("@{} ", one_line(a)), theme.accent()))
            .collect()
    };
    list_row(frame, accounts, Field::Accounts, handles, focus, theme);
    input_row(frame, title_row, Field::Title, &editor.title, focus, theme);
    let rows = Layout::vertical(vec![Constraint::Length(1); extra.len()]).split(extra_rows);
    for (field, row) in extra.iter().zip(rows.iter()) {
        let input = match field {
            Field::Url => &editor.url,
            Field::Informant => &editor.informant,
            _ => &editor.metrics,
        };
        input_row(frame, *row, *field, input, focus, theme);
    }

    let body_block = Block::default()
        .borders(Borders::ALL)
        .title(label_span(Field::Body, focus, theme))
        .border_style(if focus == Field::Body {
            theme.accent()
        } else {
            theme.dim()
        });
    let body_inner = body_block.inner(body);
    frame.render_widget(body_block, body);
    frame.render_widget(&editor.body, body_inner);

    let chips: Vec<Span> = if editor.codes.is_empty() {
        let picker = app
            .keymap
            .key(&[Context::Editor], Command::TagPicker)
            .map(|k| format!(" or {k}"))
            .unwrap_or_default();
        vec![Span::styled(
            format!("none · Enter{picker} picks"),
            theme.dim(),
        )]
    } else {
        editor
            .codes
            .iter()
            .flat_map(|id| {
                let code = app.journal.codebook.code(id);
                let name = code.map_or(id.as_str(), |c| c.name.as_str());
                [
                    Span::styled(theme.chip_text(&one_line(name)), theme.chip(code)),
                    Span::raw(" "),
                ]
            })
            .collect()
    };
    list_row(frame, codes, Field::Codes, chips, focus, theme);

    let hint = app.keymap.hint(
        &[Context::Editor],
        &[
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::EditBodyExternally,
            Command::TagPicker,
        ],
    );
    let bottom = match &editor.error {
        Some(e) => Line::from(Span::styled(format!("⚠ {}", one_line(e)), theme.error())),
        None => Line::from(Span::styled(hint, theme.dim())),
    };
    frame.render_widget(Paragraph::new(bottom), message);
}

fn label_span(field: Field, focus: Field, theme: &Theme) -> Span<'static> {
    let style = if field == focus {
        theme.accent()
    } else {
        theme.dim()
    };
    Span::styled(format!("{:<9}", field.label()), style)
}

fn input_row(
    frame: &mut Frame,
    area: Rect,
    field: Field,
    input: &LineInput,
    focus: Field,
    theme: &Theme,
) {
    let text = one_line(&input.text);
    // A suggestion that typing replaces is shown selected, as a form field shows it.
    let text = if input.selected && field == focus {
        Span::styled(text, theme.selected())
    } else {
        Span::raw(text)
    };
    let line = Line::from(vec![label_span(field, focus, theme), Span::raw(" "), text]);
    frame.render_widget(Paragraph::new(line), area);
    if field == focus {
        let before: String = input.text.chars().take(input.cursor).collect();
        let x =
            area.x + 10 + unicode_width::UnicodeWidthStr::width(one_line(&before).as_str()) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

fn list_row(
    frame: &mut Frame,
    area: Rect,
    field: Field,
    items: Vec<Span<'_>>,
    focus: Field,
    theme: &Theme,
) {
    let mut spans = vec![label_span(field, focus, theme), Span::raw(" ")];
    spans.extend(items);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
