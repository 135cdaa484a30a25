//! The data display: codes × accounts (or kinds, months, or codes), counts or shares,
//! totals, folded groups; and the quotes behind a cell.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::action::Command;
use super::super::app::{App, Quotes, RowItem};
use super::super::keymap::Context;
use super::super::theme::Theme;
use super::timeline::pad;
use super::{centered, preview, scroll_offset};
use crate::analysis::matrix::By;
use crate::model::text::one_line;

/// Narrowest and widest a column of numbers gets.
const MIN_CELL: usize = 8;
const MAX_CELL: usize = 14;

fn title(app: &App) -> String {
    let m = &app.matrix;
    let what = if m.cooccurrence {
        "Codes appearing together (entries with both)".to_string()
    } else {
        let cols = match m.by {
            By::Account => "accounts",
            By::Kind => "kinds",
            By::Month => "months",
        };
        let values = if m.share {
            "share of the column's entries"
        } else {
            "entries"
        };
        if m.transposed {
            format!("{cols} × codes: {values}")
        } else {
            format!("Codes × {cols}: {values}")
        }
    };
    let keys = app.keymap.hint_labelled(
        &[Context::Matrix, Context::List],
        &[
            (Command::ToggleShare, "share"),
            (Command::CycleColumns, "columns"),
            (Command::Transpose, "swap"),
            (Command::ToggleCooccurrence, "together"),
            (Command::ToggleItem, "fold"),
            (Command::Open, "quotes"),
        ],
    );
    format!(" {what} · {keys} ")
}

fn cell_text(count: usize, share: Option<f64>, as_share: bool) -> String {
    if as_share {
        share.map_or("-".into(), |s| format!("{:.1}%", s * 100.0))
    } else {
        count.to_string()
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let m = &app.matrix;
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title(app), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (rows, cols) = (m.row_headers(), m.col_headers());
    if rows.is_empty() || cols.is_empty() {
        let note = "Nothing to count: no coded entries in the current selection (x on the timeline clears the filter).";
        frame.render_widget(Paragraph::new(Span::styled(note, theme.dim())), inner);
        return;
    }
    let width = usize::from(inner.width);
    let label_width = (width / 3).clamp(12, 28);
    let totals = !m.cooccurrence;
    // Columns as wide as their labels when there is room, down to MIN_CELL when not.
    let longest = cols
        .iter()
        .map(|c| one_line(&c.label).chars().count() + 1)
        .max()
        .unwrap_or(0);
    let fit = width.saturating_sub(label_width) / (cols.len() + usize::from(totals)).max(1);
    let cell = longest.clamp(MIN_CELL, MAX_CELL).min(fit.max(MIN_CELL));
    let room = width.saturating_sub(label_width + if totals { cell } else { 0 });
    let visible_cols = (room / cell).max(1);
    let col_offset = scroll_offset(m.col_offset.get(), m.col, visible_cols);
    m.col_offset.set(col_offset);
    let shown_cols: Vec<usize> = (col_offset..cols.len()).take(visible_cols).collect();

    let mut lines = Vec::new();
    let mut header = vec![Span::raw(" ".repeat(label_width))];
    for &c in &shown_cols {
        let style = if c == m.col {
            theme.accent()
        } else {
            theme.dim()
        };
        header.push(Span::styled(
            format!("{:>cell$}", cut(&cols[c].label, cell - 1)),
            style,
        ));
    }
    if totals {
        header.push(Span::styled(format!("{:>cell$}", "total"), theme.dim()));
    }
    lines.push(Line::from(header));

    let items = m.row_items();
    let body_height = usize::from(inner.height).saturating_sub(if totals { 2 } else { 1 });
    let row_offset = scroll_offset(m.row_offset.get(), m.row, body_height);
    m.row_offset.set(row_offset);
    for (pos, item) in items.iter().enumerate().skip(row_offset).take(body_height) {
        let selected_line = pos == m.row;
        match item {
            RowItem::Group { name, collapsed } => {
                let mark = if *collapsed { "▸ " } else { "▾ " };
                let style = if selected_line {
                    theme.selected()
                } else {
                    theme.title()
                };
                lines.push(Line::from(Span::styled(
                    pad(&format!("{mark}{}", one_line(name)), label_width),
                    style,
                )));
            }
            RowItem::Row(r) => {
                let indent = if rows[*r].group.is_some() { "  " } else { "" };
                let label = pad(
                    &format!("{indent}{}", one_line(&rows[*r].label)),
                    label_width,
                );
                let mut spans = vec![Span::styled(
                    label,
                    if selected_line {
                        theme.accent()
                    } else {
                        Style::new()
                    },
                )];
                for &c in &shown_cols {
                    let (count, share) = m.cell(*r, c);
                    let text = format!("{:>cell$}", cell_text(count, share, m.share));
                    let style = if selected_line && c == m.col {
                        theme.selected()
                    } else if count == 0 {
                        theme.dim()
                    } else {
                        Style::new()
                    };
                    spans.push(Span::styled(text, style));
                }
                if let (true, Some(matrix)) = (totals, &m.matrix) {
                    let text = cell_text(matrix.row_total(*r), matrix.row_share(*r), m.share);
                    spans.push(Span::styled(format!("{text:>cell$}"), theme.dim()));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    if let (true, Some(matrix)) = (totals, &m.matrix) {
        let mut spans = vec![Span::styled(
            pad("total (entries)", label_width),
            theme.dim(),
        )];
        for &c in &shown_cols {
            spans.push(Span::styled(
                format!("{:>cell$}", matrix.col_total(c)),
                theme.dim(),
            ));
        }
        spans.push(Span::styled(
            format!("{:>cell$}", matrix.total()),
            theme.dim(),
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn cut(text: &str, width: usize) -> String {
    pad(&one_line(text), width).trim_end().to_string()
}

/// The entries behind a cell, each with the opening of its text as a quote.
/// Two rows of quote for an entry in a drill-down: the passages that carry the cell's
/// codes, when it has any (the representative quotes of a data display), else the
/// start of the body as the preview shows it — a list of viewer comments or Q/A turns
/// keeps its breaks, a hand-wrapped paragraph runs on.
fn quote_rows(e: &crate::model::Entry, codes: &[String], room: usize) -> Vec<String> {
    let passages: Vec<String> = e
        .passages
        .iter()
        .filter(|p| codes.iter().any(|c| p.has_code(c)))
        .filter_map(|p| p.anchor(&e.body).map(|span| one_line(&e.body[span])))
        .collect();
    let paragraphs: Vec<String> = if passages.is_empty() {
        preview::reflow(&e.body)
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(n, l)| format!("{}{}", if n == 0 { "“" } else { "" }, one_line(&l)))
            .collect()
    } else {
        // Each passage on its own row when they are short; a long one runs on.
        passages.iter().map(|p| format!("“{p}”")).collect()
    };
    paragraphs
        .iter()
        .flat_map(|l| {
            let chars: Vec<char> = l.chars().collect();
            chars
                .chunks(room)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .take(2)
        .collect()
}

pub fn draw_quotes(frame: &mut Frame, area: Rect, app: &App, quotes: &Quotes, theme: &Theme) {
    let popup = centered(
        area,
        area.width.saturating_sub(4).max(20),
        area.height.saturating_sub(2).max(6),
    );
    frame.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} · {} · {} ",
            one_line(&quotes.title),
            crate::model::text::counted(quotes.entries.len(), "entry", "entries"),
            app.keymap.hint_labelled(
                &[Context::Quotes, Context::List],
                &[(Command::Open, "opens"), (Command::Back, "closes")]
            )
        ),
        theme.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let width = usize::from(inner.width);
    // Three lines per entry: the heading and two lines of quote.
    let per_entry = 3;
    let fits = (usize::from(inner.height) / per_entry).max(1);
    let offset = scroll_offset(quotes.offset.get(), quotes.selected, fits);
    quotes.offset.set(offset);
    let mut lines = Vec::new();
    for (pos, &i) in quotes.entries.iter().enumerate().skip(offset).take(fits) {
        let e = &app.journal.entries[i];
        let heading = format!(
            "{}  {}  {}",
            e.observed_at.short(),
            e.accounts_label("·"),
            one_line(e.headline())
        );
        let style = if pos == quotes.selected {
            theme.selected()
        } else {
            theme.accent()
        };
        lines.push(Line::from(Span::styled(pad(&heading, width), style)));
        for (n, row) in quote_rows(e, &quotes.codes, width.saturating_sub(3).max(1))
            .into_iter()
            .enumerate()
        {
            let indent = if n == 0 || row.starts_with('“') {
                "  "
            } else {
                "   "
            };
            lines.push(Line::from(Span::styled(
                format!("{indent}{row}"),
                theme.dim(),
            )));
        }
        while lines.len() % per_entry != 0 {
            lines.push(Line::default());
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
