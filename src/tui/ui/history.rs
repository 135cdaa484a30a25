//! `H`: the selected entry's commits with their diffs, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::super::app::{App, HistoryState, HistoryView};
use super::super::theme::Theme;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &HistoryView, theme: &Theme) {
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " History of {} · {} ",
            view.entry_id,
            super::scroll_hint(app)
        ),
        theme.title(),
    ));
    let lines: Vec<Line> = match &view.state {
        HistoryState::Loading => vec![Line::from(Span::styled("asking git…", theme.dim()))],
        HistoryState::Failed(e) => vec![Line::from(Span::styled(one_line(e), theme.error()))],
        HistoryState::Loaded(commits) if commits.is_empty() => vec![Line::from(Span::styled(
            "no commits touch this entry yet (it is not committed)",
            theme.dim(),
        ))],
        HistoryState::Loaded(commits) => {
            let mut lines = Vec::new();
            for c in commits {
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", one_line(&c.hash)), theme.warning()),
                    Span::styled(one_line(&c.subject), theme.title()),
                ]));
                lines.push(Line::from(Span::styled(
                    format!("{} · {}", one_line(&c.author), one_line(&c.date)),
                    theme.dim(),
                )));
                for d in &c.diff {
                    lines.push(diff_line(d, theme));
                }
                lines.push(Line::default());
            }
            lines
        }
    };
    // Long bodies are not wrapped: a diff reads best line for line.
    let paragraph = Paragraph::new(lines).block(block).scroll((view.scroll, 0));
    frame.render_widget(paragraph, area);
}

fn diff_line<'a>(text: &str, theme: &Theme) -> Line<'a> {
    let clean = crate::model::text::sanitize(text).replace('\t', "    ");
    let style = if clean.starts_with("+++") || clean.starts_with("---") {
        theme.dim()
    } else if clean.starts_with('+') {
        theme.added()
    } else if clean.starts_with('-') {
        theme.removed()
    } else if clean.starts_with("@@") {
        theme.accent()
    } else if clean.starts_with("diff ") || clean.starts_with("index ") {
        theme.dim()
    } else {
        Default::default()
    };
    Line::from(Span::styled(clean, style))
}
