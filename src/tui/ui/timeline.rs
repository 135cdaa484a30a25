use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_image::protocol::StatefulProtocol;
use unicode_width::UnicodeWidthStr;

use super::super::app::{App, Pane, Scope};
use super::super::theme::Theme;
use super::{preview, scroll_offset};
use crate::model::text::one_line;
use crate::model::{Code, Entry, Kind};

/// Wide enough to put the preview beside the list rather than below it.
const SIDE_BY_SIDE: u16 = 110;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    image: Option<&mut StatefulProtocol>,
) {
    let (list_area, preview_area) = if area.width >= SIDE_BY_SIDE {
        let [l, p] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(area);
        (l, p)
    } else if area.height >= 14 {
        let [l, p] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (l, p)
    } else {
        (area, Rect::default())
    };
    draw_list(frame, list_area, app, theme);
    if preview_area.height > 2 {
        preview::draw(frame, preview_area, app, theme, image);
    }
}

fn list_title(app: &App) -> String {
    let t = &app.timeline;
    let base = match &t.scope {
        Some(Scope::Account(h)) => format!("@{h}"),
        Some(Scope::Code(c)) => app
            .journal
            .codebook
            .code(c)
            .map_or(c.clone(), |code| format!("code: {}", code.name)),
        None => "All entries".into(),
    };
    if app.opening {
        return format!(" {} · opening… ", one_line(&base));
    }
    format!(" {} · {} ", one_line(&base), t.rows.len())
}

fn draw_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = app.timeline.focus != Some(Pane::Preview);
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        list_title(app),
        if focused { theme.title() } else { theme.dim() },
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let t = &app.timeline;
    if t.rows.is_empty() {
        let hint = if app.journal.entries.is_empty() {
            "No entries yet: n writes the first one."
        } else {
            "No entry matches: x clears the search and filter."
        };
        frame.render_widget(Paragraph::new(Span::styled(hint, theme.dim())), inner);
        return;
    }
    let height = usize::from(inner.height);
    let offset = scroll_offset(t.offset.get(), t.selected, height);
    t.offset.set(offset);
    let wide = inner.width >= 120;
    let lines: Vec<Line> = t.rows[offset..(offset + height).min(t.rows.len())]
        .iter()
        .enumerate()
        .map(|(i, &entry_index)| {
            let e = &app.journal.entries[entry_index];
            let mut line = row(app, e, theme, wide, usize::from(inner.width));
            if offset + i == t.selected {
                line = line.patch_style(theme.selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Observation => "obs ",
        Kind::Content => "post",
        Kind::Interview => "int ",
        Kind::Memo => "memo",
    }
}

/// `03-14 21:05 ● @cindymakeup  obs  Live Inf  Live: skincare Q&A`
fn row<'a>(app: &'a App, e: &'a Entry, theme: &Theme, wide: bool, width: usize) -> Line<'a> {
    let marked = app.timeline.marked.contains(&e.id);
    let mut spans = vec![
        Span::styled(if marked { "●" } else { " " }, theme.marked()),
        Span::raw(e.observed_at.short()),
        Span::raw(" "),
    ];
    let accounts = e.accounts_label("·");
    let account_width = if wide { 16 } else { 13 };
    spans.push(Span::styled(
        pad(&one_line(&accounts), account_width),
        theme.accent(),
    ));
    spans.push(Span::styled(
        format!(" {} ", kind_label(e.kind)),
        theme.dim(),
    ));
    let codes = app.journal.codebook.in_display_order(&e.codes);
    // Chips get at most two fifths of the row, so the title always shows.
    let mut budget = width * 2 / 5;
    for (n, &(id, code)) in codes.iter().enumerate() {
        let label = chip_label(app, code, id, wide);
        let text = theme.chip_text(&label);
        let more = codes.len() - n;
        if text.width() + 1 > budget || (more > 1 && text.width() + 4 > budget) {
            spans.push(Span::styled(format!("+{more} "), theme.dim()));
            break;
        }
        budget -= text.width() + 1;
        spans.push(Span::styled(text, theme.chip(code)));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::raw(one_line(e.headline())));
    Line::from(spans)
}

/// A chip's label. Wide rows show the code's name, cut short (`Daily life`, `Authentici`);
/// narrow rows the shortest start of the name that no other code shares (`Live`, `Like`,
/// `Comment`, `Comments`), so a row reads without guessing and the title keeps room.
/// A code missing from the codebook shows its id.
fn chip_label(app: &App, code: Option<&Code>, id: &str, wide: bool) -> String {
    let name = one_line(code.map_or(id, |c| c.name.as_str()));
    if wide {
        return name.chars().take(10).collect();
    }
    one_line(app.chip_label(id).unwrap_or(id))
}

/// `text` cut or padded to exactly `width` columns.
pub fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width.saturating_sub(1) && text.width() > width {
            out.push('…');
            used += 1;
            break;
        }
        out.push(c);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}
