//! The reading view: the entry's text with its lines as written (wrapped at words), the
//! coded passages underlined in their code's colour, the selection reversed, and the
//! list of passages under it.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::super::app::{App, Reader};
use super::super::motion;
use super::super::theme::Theme;
use super::scroll_offset;
use crate::model::text::{one_line, sanitize};
use crate::model::{Entry, Passage};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, reader: &Reader, theme: &Theme) {
    let Some(entry) = app.reading_entry() else {
        return;
    };
    let listed = entry.passages.len().min(8) as u16;
    let [text_area, list_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(if listed > 0 { listed + 1 } else { 0 }),
    ])
    .areas(area);
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        format!(" Reading · {} ", one_line(entry.headline())),
        theme.title(),
    ));
    let inner = block.inner(text_area);
    frame.render_widget(block, text_area);
    draw_text(frame, inner, app, entry, reader, theme);
    if listed > 0 {
        draw_passages(frame, list_area, app, entry, reader, theme);
    }
}

/// Text on one line with its spaces as written (`one_line` would collapse them).
pub fn flat(text: &str) -> String {
    sanitize(text).replace(['\n', '\t'], " ")
}

/// How a char of the body is shown: tabs as a space, control chars as visible marks,
/// a carriage return as nothing.
fn shown(c: char) -> String {
    match c {
        '\t' => " ".into(),
        '\r' => String::new(),
        c => sanitize(c.encode_utf8(&mut [0; 4])).into_owned(),
    }
}

/// The body as display rows of at most `width` columns: byte ranges, broken after white
/// space where a line is too long (inside a word only when the word is longer than a
/// row). Newlines end rows and belong to none.
pub fn rows(body: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut line_start = 0;
    for line in body.split('\n') {
        let mut start = line_start;
        let mut used = 0;
        let mut last_break = None;
        for (i, c) in line.char_indices() {
            let at = line_start + i;
            let w = shown(c).width();
            if used + w > width && at > start {
                let cut = last_break.filter(|&b| b > start).unwrap_or(at);
                rows.push(start..cut);
                used = body[cut..at].chars().map(|c| shown(c).width()).sum();
                start = cut;
                last_break = None;
            }
            used += w;
            if c.is_whitespace() {
                last_break = Some(at + c.len_utf8());
            }
        }
        rows.push(start..line_start + line.len());
        line_start += line.len() + 1;
    }
    rows
}

/// The row the cursor is on: the one holding its char, or for a newline the row its
/// line ends on.
fn cursor_row(rows: &[Range<usize>], cursor: usize) -> usize {
    rows.iter()
        .position(|r| r.contains(&cursor) || r.end == cursor)
        .unwrap_or(0)
}

fn draw_text(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    entry: &Entry,
    reader: &Reader,
    theme: &Theme,
) {
    let body = &entry.body;
    let rows = rows(body, usize::from(area.width));
    let cursor = motion::clamp(body, reader.cursor);
    let selection = reader.selection(body);
    let spans = entry.passage_spans();
    let height = usize::from(area.height);
    let at_row = cursor_row(&rows, cursor);
    let offset = scroll_offset(reader.scroll.get(), at_row, height);
    reader.scroll.set(offset);
    // Each passage's style once; then per char the innermost passage over it (anchoring
    // is a search of the body: done once a frame, not once a char).
    let styles: Vec<Style> = entry
        .passages
        .iter()
        .map(|p| {
            let color = p
                .codes
                .iter()
                .filter_map(|c| app.journal.codebook.code(c))
                .find_map(Theme::code_color);
            let style = Style::new().add_modifier(Modifier::UNDERLINED);
            match color {
                Some(color) if theme.color => style.fg(color),
                _ => style,
            }
        })
        .collect();
    let passage_style = |at: usize| -> Option<Style> {
        spans
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().filter(|s| s.contains(&at)).map(|s| (s.len(), i)))
            .min()
            .map(|(_, i)| styles[i])
    };
    let mut lines = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(offset).take(height) {
        let mut line: Vec<Span> = Vec::new();
        for (i, c) in body[row.clone()].char_indices() {
            let at = row.start + i;
            let mut style = passage_style(at).unwrap_or_default();
            if selection.as_ref().is_some_and(|s| s.contains(&at)) {
                style = style.patch(theme.selected());
            }
            if at == cursor {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            line.push(Span::styled(shown(c), style));
        }
        // A cursor on a newline (or an empty line) shows as a block after the text.
        if r == at_row && !row.contains(&cursor) {
            line.push(Span::styled(" ", theme.selected()));
        }
        lines.push(Line::from(line));
    }
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(row) = rows.get(at_row) {
        let column = body[row.start..cursor.max(row.start).min(row.end)]
            .chars()
            .map(|c| shown(c).width())
            .sum::<usize>();
        let y = area.y + (at_row - offset) as u16;
        let x = area.x + (column as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, y));
    }
}

fn draw_passages(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    entry: &Entry,
    reader: &Reader,
    theme: &Theme,
) {
    let cursor = motion::clamp(&entry.body, reader.cursor);
    let current = entry.passage_at(cursor);
    let height = usize::from(area.height.saturating_sub(1));
    let first = scroll_offset(0, current.unwrap_or(0), height);
    let orphans = entry.passage_spans().iter().filter(|s| s.is_none()).count();
    let title = if orphans > 0 {
        format!(
            " Passages · {} · {orphans} whose text is gone ",
            entry.passages.len()
        )
    } else {
        format!(" Passages · {} ", entry.passages.len())
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    for (i, p) in entry.passages.iter().enumerate().skip(first).take(height) {
        let mut spans = vec![Span::raw(if current == Some(i) { "▸ " } else { "  " })];
        let (chips, quote) = passage_spans(app, entry, p, theme);
        spans.extend(chips);
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let room = width.saturating_sub(used);
        let text: String = quote.content.chars().take(room).collect();
        spans.push(Span::styled(text, quote.style));
        let mut line = Line::from(spans);
        if current == Some(i) {
            line = line.patch_style(theme.title());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A passage as lists show it: its codes as chips, then its quote (or a warning that
/// its text is gone).
pub fn passage_spans(
    app: &App,
    entry: &Entry,
    p: &Passage,
    theme: &Theme,
) -> (Vec<Span<'static>>, Span<'static>) {
    let mut chips = Vec::new();
    for code in &p.codes {
        let known = app.journal.codebook.code(code);
        let name = known.map_or_else(|| one_line(code), |c| one_line(&c.name));
        chips.push(Span::styled(theme.chip_text(&name), theme.chip(known)));
        chips.push(Span::raw(" "));
    }
    let quote = match p.anchor(&entry.body) {
        Some(span) => Span::raw(format!("«{}»", flat(&entry.body[span]))),
        None => Span::styled(
            format!("⚠ text gone: «{}»", one_line(&p.quote)),
            theme.warning(),
        ),
    };
    (chips, quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(body: &'a str, rows: &[Range<usize>]) -> Vec<&'a str> {
        rows.iter().map(|r| &body[r.clone()]).collect()
    }

    #[test]
    fn rows_break_after_words_and_keep_lines() {
        let body = "One sends me voice notes\n\nevery week";
        assert_eq!(
            texts(body, &rows(body, 10)),
            ["One sends ", "me voice ", "notes", "", "every week"]
        );
        let long = "abcdefghijklmnop";
        assert_eq!(texts(long, &rows(long, 6)), ["abcdef", "ghijkl", "mnop"]);
        // Wide chars count two columns.
        let wide = "😊😊😊😊";
        assert_eq!(texts(wide, &rows(wide, 5)), ["😊😊", "😊😊"]);
        // Every byte but the newlines is in exactly one row.
        let covered: usize = rows(body, 7).iter().map(|r| r.len()).sum();
        assert_eq!(covered, body.len() - body.matches('\n').count());
    }
}
