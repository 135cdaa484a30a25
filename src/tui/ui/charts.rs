//! The charts screen: one chart at a time (`b` the next), a line per account drawn with
//! ratatui's chart widget, a cursor on one point and, under the chart, what that point
//! is and how many entries are behind it (Enter lists them).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use super::super::action::Command;
use super::super::app::App;
use super::super::theme::Theme;
use crate::model::text::one_line;

/// Colours for the lines, in order; without colour the markers tell them apart.
const COLOURS: [Color; 6] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::LightRed,
    Color::LightBlue,
];
// The cursor is drawn with `Block`: no line uses it.
const MARKERS: [Marker; 4] = [Marker::Braille, Marker::Dot, Marker::HalfBlock, Marker::Bar];

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let data = app.chart_data();
    let keys = app.keymap.hint_labelled(
        &app.screen_contexts(),
        &[
            (Command::NextChart, "next chart"),
            (Command::Left, "←"),
            (Command::Right, "→"),
            (Command::Open, "entries"),
        ],
    );
    let choose = if app.charts.kind == super::super::app::ChartKind::CodeShare {
        " (the code selected on the codebook screen)"
    } else {
        ""
    };
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        format!(" {}{choose} · {keys} ", one_line(&data.title)),
        theme.title(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.x.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Nothing to chart for what the timeline selects.",
                theme.dim(),
            )),
            inner,
        );
        return;
    }
    let [chart_area, about] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(1)]).areas(inner);
    let last = data.x.len() - 1;
    let at = app.charts.cursor.min(last);
    let y_max = (data.y_max() * 1.1).max(1.0);
    let cursor = [(at as f64, 0.0), (at as f64, y_max)];
    let mut datasets: Vec<Dataset> = data
        .series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            let style = if theme.color {
                Style::new().fg(COLOURS[i % COLOURS.len()])
            } else {
                Style::new()
            };
            Dataset::default()
                .name(one_line(name))
                .marker(if theme.color {
                    Marker::Braille
                } else {
                    MARKERS[i % MARKERS.len()]
                })
                .graph_type(GraphType::Line)
                .style(style)
                .data(points)
        })
        .collect();
    datasets.push(
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Line)
            .style(theme.dim())
            .data(&cursor),
    );
    let first = data.x[0].to_string();
    let end = data.x[last].to_string();
    let middle = data.x[last / 2].to_string();
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, last.max(1) as f64])
                .labels([first, middle, end])
                .style(theme.dim()),
        )
        .y_axis(
            Axis::default()
                .title(Span::styled(one_line(&data.y_label), theme.dim()))
                .bounds([0.0, y_max])
                .labels([
                    "0".to_string(),
                    format!("{:.0}", y_max / 2.0),
                    format!("{y_max:.0}"),
                ])
                .style(theme.dim()),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::TopLeft));
    frame.render_widget(chart, chart_area);
    let (label, entries) = &data.behind[at];
    let line = Line::from(vec![
        Span::styled("▶ ", theme.accent()),
        Span::raw(one_line(label)),
        Span::styled(
            format!(
                "  ({})",
                crate::model::text::counted(entries.len(), "entry", "entries")
            ),
            theme.dim(),
        ),
    ]);
    frame.render_widget(Paragraph::new(line), about);
}
