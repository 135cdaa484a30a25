//! The selected entry in full beside (or below) the timeline.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui_image::StatefulImage;
use ratatui_image::protocol::StatefulProtocol;

use super::super::action::Command;
use super::super::app::{App, Pane};
use super::super::keymap::Context;
use super::super::theme::Theme;
use crate::analysis::search::match_ranges;
use crate::model::text::{hand_wrapped, one_line, sanitize};
use crate::model::{Entry, Metrics};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    theme: &Theme,
    picture: Option<&mut StatefulProtocol>,
) {
    let focused = app.timeline.focus == Some(Pane::Preview);
    let block = Block::default()
        .borders(Borders::TOP | Borders::LEFT)
        .title(Span::styled(
            " Entry ",
            if focused { theme.title() } else { theme.dim() },
        ));
    let Some(e) = app.selected_entry() else {
        frame.render_widget(block, area);
        return;
    };
    // The screenshot on top, the text below it.
    let area = match picture {
        Some(state) if app.show_image && !e.screenshots.is_empty() => {
            let [top, rest] =
                Layout::vertical([Constraint::Percentage(50), Constraint::Min(3)]).areas(area);
            let inner = block.inner(top);
            frame.render_widget(block.clone(), top);
            frame.render_stateful_widget(StatefulImage::default(), inner, state);
            rest
        }
        _ => area,
    };
    let lines = entry_lines(app, e, theme);
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.timeline.preview_scroll, 0));
    frame.render_widget(paragraph, area);
}

pub fn entry_lines<'a>(app: &'a App, e: &'a Entry, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = vec![Line::from(Span::styled(
        one_line(e.headline()),
        theme.title(),
    ))];
    let mut meta = vec![Span::styled(e.kind.as_str(), theme.accent())];
    for a in &e.accounts {
        meta.push(Span::raw("  "));
        meta.push(Span::styled(format!("@{}", one_line(a)), theme.accent()));
    }
    if !e.informant.is_empty() {
        meta.push(Span::raw(format!("  informant {}", one_line(&e.informant))));
    }
    lines.push(Line::from(meta));
    let mut when = format!("observed {}", e.observed_at);
    if let Some(end) = e.ended_at {
        when.push_str(&format!(
            " · ended {} ({})",
            end.civil().strftime("%H:%M"),
            crate::model::live::duration_words(e.observed_at.timestamp, end.timestamp)
        ));
    }
    if let Some(r) = e.recorded_at {
        when.push_str(&format!(" · recorded {}", r.short()));
    }
    lines.push(Line::from(Span::styled(when, theme.dim())));
    lines.push(Line::from(Span::styled(e.id.clone(), theme.dim())));
    if !e.url.is_empty() {
        lines.push(Line::from(Span::raw(one_line(&e.url))));
    }
    code_lines(app, e, theme, &mut lines);
    if let Some(m) = &e.metrics {
        lines.push(Line::from(Span::raw(metrics_text(m))));
    }
    for shot in &e.screenshots {
        let mut spans = vec![Span::raw("▣ "), Span::raw(one_line(&shot.path))];
        if !shot.caption.is_empty() {
            spans.push(Span::styled(
                format!("  {}", one_line(&shot.caption)),
                theme.dim(),
            ));
        }
        if app.show_image {
            if let Some(note) = app.image_notes.get(&shot.path) {
                spans.push(Span::styled(format!("  ({note})"), theme.dim()));
            }
        }
        if let Some(w) = app.screenshot_warnings.get(&shot.path) {
            spans.push(Span::styled(format!("  ⚠ {w}"), theme.warning()));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::default());
    body_lines(app, e, theme, &mut lines);
    passage_lines(app, e, theme, &mut lines);
    link_lines(app, e, theme, &mut lines);
    comment_lines(app, e, theme, &mut lines);
    lines
}

fn code_lines<'a>(app: &'a App, e: &Entry, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    for (group, codes) in app.journal.codebook.codes_by_group() {
        let chips: Vec<Span> = codes
            .iter()
            .filter(|c| e.has_code(&c.id))
            .flat_map(|c| {
                [
                    Span::styled(theme.chip_text(&one_line(&c.name)), theme.chip(Some(c))),
                    Span::raw(" "),
                ]
            })
            .collect();
        if chips.is_empty() {
            continue;
        }
        let label = group.map_or("Other".into(), |g| one_line(&g.name));
        let mut spans = vec![Span::styled(format!("{label}: "), theme.dim())];
        spans.extend(chips);
        lines.push(Line::from(spans));
    }
    let unknown: Vec<String> = e
        .codes
        .iter()
        .filter(|c| app.journal.codebook.code(c).is_none())
        .map(|c| one_line(c))
        .collect();
    if !unknown.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("⚠ not in the codebook: {}", unknown.join(", ")),
            theme.warning(),
        )));
    }
}

fn metrics_text(m: &Metrics) -> String {
    let mut parts = Vec::new();
    let mut push = |name: &str, v: Option<u64>| {
        if let Some(v) = v {
            parts.push(format!("{name} {}", thousands(v)));
        }
    };
    push("views", m.views);
    push("likes", m.likes);
    push("comments", m.comments);
    push("shares", m.shares);
    push("saves", m.saves);
    if let (Some(r), Some(c)) = (m.replied_comments, m.comments) {
        let share = if c > 0 {
            format!(" ({:.0}%)", r as f64 * 100.0 / c as f64)
        } else {
            String::new()
        };
        parts.push(format!("replied {r}{share}"));
    }
    let mut text = parts.join(" · ");
    if let Some(at) = m.metrics_at {
        text.push_str(&format!(" · read {}", at.short()));
    }
    text
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The body with its lines as written, except paragraphs a person wrapped by hand, which
/// join so that the preview can wrap them to its own width; with what the search found
/// highlighted.
fn body_lines<'a>(app: &App, e: &Entry, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    let body = sanitize(&e.body).replace('\t', "    ");
    for text in reflow(&body) {
        let ranges = match_ranges(&text, &app.timeline.search);
        let mut spans = Vec::new();
        let mut at = 0;
        for r in ranges {
            spans.push(Span::raw(text[at..r.start].to_string()));
            spans.push(Span::styled(
                text[r.clone()].to_string(),
                theme.search_match(),
            ));
            at = r.end;
        }
        spans.push(Span::raw(text[at..].to_string()));
        lines.push(Line::from(spans));
    }
}

/// Join the lines of hand-wrapped paragraphs; every other line break stays.
pub fn reflow(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        match (out.last_mut(), previous) {
            (Some(last), Some(before)) if hand_wrapped(before, line) => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => out.push(line.to_string()),
        }
        previous = Some(line);
    }
    out
}

/// The coded passages under the text: codes, then the quote (`p` opens the reading view,
/// where they are highlighted in place).
fn passage_lines<'a>(app: &'a App, e: &Entry, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    if e.passages.is_empty() {
        return;
    }
    lines.push(Line::default());
    let key = app
        .keymap
        .keys_for(&[Context::Timeline], Command::ReadPassages)
        .map(|k| format!(" · {k} reads them in place"))
        .unwrap_or_default();
    lines.push(Line::from(Span::styled(
        format!("Coded passages: {}{key}", e.passages.len()),
        theme.title(),
    )));
    for p in &e.passages {
        let (chips, quote) = super::reader::passage_spans(app, e, p, theme);
        let mut spans = vec![Span::raw("  ")];
        spans.extend(chips);
        spans.push(quote);
        lines.push(Line::from(spans));
    }
}

/// The entries this one links to, and those that link to it (`]` goes there).
fn link_lines<'a>(app: &'a App, e: &Entry, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    let to = app.links_of(e);
    let from = app.backlinks(&e.id);
    if to.is_empty() && from.is_empty() {
        return;
    }
    let key = app
        .keymap
        .key(&[Context::Timeline], Command::FollowLink)
        .map(|k| format!(" · {k} goes there"))
        .unwrap_or_default();
    lines.push(Line::default());
    let title = |id: &str| {
        app.journal
            .entry(id)
            .map_or_else(|| id.to_string(), |e| one_line(e.headline()))
    };
    if !to.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("Links to {}{key}", to.len()),
            theme.title(),
        )));
        for id in to {
            lines.push(Line::from(format!("  → {}", title(id))));
        }
    }
    if !from.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "Referred to by {}{key}",
                crate::model::text::counted(from.len(), "entry", "entries")
            ),
            theme.title(),
        )));
        for id in from.iter().take(5) {
            lines.push(Line::from(format!("  ← {}", title(id))));
        }
        if from.len() > 5 {
            lines.push(Line::from(Span::styled(
                format!("  and {} more", from.len() - 5),
                theme.dim(),
            )));
        }
    }
}

fn comment_lines<'a>(app: &'a App, e: &Entry, theme: &Theme, lines: &mut Vec<Line<'a>>) {
    let comments: Vec<_> = app.journal.comments_on(&e.id).collect();
    if comments.is_empty() {
        return;
    }
    let open = comments.iter().filter(|c| !c.resolved).count();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!("Comments: {} ({open} open)", comments.len()),
        theme.title(),
    )));
    for c in comments {
        let state = if c.resolved { "resolved" } else { "open" };
        lines.push(Line::from(Span::styled(
            format!("— {} · {} · {state}", one_line(&c.author), c.at.short()),
            if c.resolved {
                theme.dim()
            } else {
                theme.accent()
            },
        )));
        for text in sanitize(&c.body).lines() {
            lines.push(Line::from(format!("  {text}")));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hand_wrapped_paragraphs_join_and_every_other_break_stays() {
        let wrapped = "Reply shares sit inside the band I expected from the field, highest\n\
                       at cindymakeup and lowest at dianakocak.\n";
        assert_eq!(
            super::reflow(wrapped),
            [
                "Reply shares sit inside the band I expected from the field, highest at cindymakeup and lowest at dianakocak."
            ]
        );
        let turns = "Q: how often do you go live, and what do you do when nobody talks?\n\
                     A: three times a week\nshort line\nanother short line\n\n- a\n1. c\n";
        assert_eq!(
            super::reflow(turns),
            [
                "Q: how often do you go live, and what do you do when nobody talks?",
                "A: three times a week",
                "short line",
                "another short line",
                "",
                "- a",
                "1. c"
            ]
        );
        // A live session's moments keep their lines, however long.
        let moments = "[20:00:41 +0:00] starts the flash sale, yellow basket pinned, viewers 350\n\
                       [20:04:10 +3:29] reads the discount codes in a fixed product order\n";
        assert_eq!(super::reflow(moments).len(), 2);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(45210), "45,210");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
