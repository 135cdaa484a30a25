use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use super::super::action::Command;
use super::super::app::{Access, App};
use super::super::theme::Theme;
use super::scroll_offset;
use super::timeline::pad;
use crate::model::text::one_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let [list, curve] = Layout::vertical([Constraint::Min(3), Constraint::Length(5)]).areas(area);
    let block = Block::default().borders(Borders::TOP).title(Span::styled(
        format!(" Accounts · {} ", app.journal.accounts.len()),
        theme.title(),
    ));
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let wide = inner.width >= 100;
    let mut lines = vec![Line::from(Span::styled(
        if wide {
            format!(
                "{}{}{}{:>9} {:>7}  {:<22}last observed",
                pad("handle", 20),
                pad("platform", 10),
                pad("category", 28),
                "followers",
                "change",
                "obs/post/int/memo"
            )
        } else {
            format!(
                "{}{:>9} {:>7}  {:<18}last",
                pad("handle", 18),
                "followers",
                "change",
                "o/p/i/m"
            )
        },
        theme.dim(),
    ))];
    let height = usize::from(inner.height.saturating_sub(1));
    let offset = scroll_offset(app.accounts.offset.get(), app.accounts.selected, height);
    app.accounts.offset.set(offset);
    let usage = app.usage();
    for (i, a) in app
        .journal
        .accounts
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
    {
        let (followers, change) = match a.latest_followers() {
            Some((n, Some(d))) => (n.to_string(), format!("{d:+}")),
            Some((n, None)) => (n.to_string(), String::new()),
            None => (String::new(), String::new()),
        };
        let u = usage.account(&a.handle);
        let (by_kind, last) = (u.by_kind, u.last);
        let kinds = format!(
            "{}/{}/{}/{}",
            by_kind[0], by_kind[1], by_kind[2], by_kind[3]
        );
        let last = last.map(|m| m.short()).unwrap_or_default();
        let handle = format!("@{}", one_line(&a.handle));
        let text = if wide {
            format!(
                "{}{}{}{followers:>9} {change:>7}  {kinds:<22}{last}",
                pad(&handle, 20),
                pad(a.platform.as_str(), 10),
                pad(&one_line(&a.category), 28)
            )
        } else {
            format!(
                "{}{followers:>9} {change:>7}  {kinds:<18}{}",
                pad(&handle, 18),
                last.get(..10).unwrap_or("")
            )
        };
        let style = if i == app.accounts.selected {
            theme.selected()
        } else {
            Default::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    if app.journal.accounts.is_empty() {
        let key = app
            .keymap
            .keys_for(&app.screen_contexts(), Command::AddAccount)
            .filter(|_| app.mode == Access::Full);
        let text = match key {
            Some(key) => format!("No accounts yet: {key} adds one."),
            None => "No accounts yet.".to_string(),
        };
        lines.push(Line::from(Span::styled(text, theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    draw_curve(frame, curve, app, theme);
}

/// The follower history of the selected account as a sparkline.
fn draw_curve(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(a) = app.journal.accounts.get(app.accounts.selected) else {
        return;
    };
    let counts: Vec<u64> = a.followers.iter().map(|p| p.count).collect();
    let open_hint = app.keymap.hint_labelled(
        &app.screen_contexts(),
        &[(Command::Open, "opens its timeline")],
    );
    let title = match (a.followers.first(), a.followers.last()) {
        (Some(first), Some(last)) => format!(
            " followers of @{}: {} ({}) → {} ({}) · {} ",
            one_line(&a.handle),
            first.count,
            first.date,
            last.count,
            last.date,
            open_hint
        ),
        _ => format!(
            " @{} has no follower history · {} ",
            one_line(&a.handle),
            open_hint
        ),
    };
    let min = counts.iter().min().copied().unwrap_or(0);
    // Show the change, not the size: start the curve just below the smallest count.
    let data: Vec<u64> = counts.iter().map(|c| c - min + 1).collect();
    let spark = Sparkline::default()
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(Span::styled(title, theme.dim())),
        )
        .data(&data)
        .style(theme.accent());
    frame.render_widget(spark, area);
}
