//! The picker, prompts and confirmations drawn over the screen.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::super::action::Command;
use super::super::app::{ACCOUNT_FIELDS, AccountForm, App, Confirm, Picker, PickerFor, Prompt};
use super::super::keymap::Context;
use super::super::theme::Theme;
use super::{centered, scroll_offset};
use crate::model::text::one_line;

pub fn draw_picker(frame: &mut Frame, area: Rect, app: &App, picker: &Picker, theme: &Theme) {
    let popup = centered(area, 56, area.height.saturating_sub(2).max(6));
    frame.render_widget(Clear, popup);
    let what = match picker.target {
        PickerFor::EditorAccounts => "accounts",
        PickerFor::FollowLink => "an entry to go to",
        PickerFor::InsertLink => "an entry to link to",
        _ => "codes",
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " Pick {what} · type to filter · {} ",
            app.keymap.hint_labelled(
                &[Context::Picker],
                &[(Command::ToggleItem, "toggles"), (Command::Open, "applies")]
            )
        ),
        theme.title(),
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", theme.accent()),
        Span::raw(one_line(&picker.query.text)),
    ])];
    let height = usize::from(inner.height.saturating_sub(1));
    let grouped = picker.query.text.trim().is_empty();
    let mut rows: Vec<(bool, Line)> = Vec::new();
    let mut last_group = None;
    for (pos, &i) in picker.visible.iter().enumerate() {
        let item = &picker.items[i];
        if grouped && last_group != Some(&item.group) {
            rows.push((
                false,
                Line::from(Span::styled(one_line(&item.group), theme.dim())),
            ));
            last_group = Some(&item.group);
        }
        let check = if item.checked { "[x] " } else { "[ ] " };
        let mut line = Line::from(format!("  {check}{}", one_line(&item.label)));
        if pos == picker.selected {
            line = line.patch_style(theme.selected());
        }
        rows.push((pos == picker.selected, line));
    }
    let selected_row = rows.iter().position(|(s, _)| *s).unwrap_or(0);
    let offset = scroll_offset(
        selected_row.saturating_sub(height.saturating_sub(1)),
        selected_row,
        height,
    );
    lines.extend(rows.into_iter().skip(offset).take(height).map(|(_, l)| l));
    if picker.visible.is_empty() {
        lines.push(Line::from(Span::styled("  nothing matches", theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x
        + 2
        + unicode_width::UnicodeWidthStr::width(one_line(&picker.query.text).as_str()) as u16;
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

/// The prompt replaces the status bar; errors and completions go just above it.
pub fn draw_prompt(frame: &mut Frame, footer: Rect, body: Rect, prompt: &Prompt, theme: &Theme) {
    let label = format!("{}: ", prompt.kind.label());
    let text = one_line(&prompt.input.text);
    frame.render_widget(Clear, footer);
    let line = Line::from(vec![
        Span::styled(label.clone(), theme.accent()),
        Span::raw(text),
    ]);
    frame.render_widget(Paragraph::new(line), footer);
    let before: String = prompt
        .input
        .text
        .chars()
        .take(prompt.input.cursor)
        .collect();
    let x = footer.x
        + unicode_width::UnicodeWidthStr::width(label.as_str()) as u16
        + unicode_width::UnicodeWidthStr::width(one_line(&before).as_str()) as u16;
    frame.set_cursor_position(Position::new(
        x.min(footer.right().saturating_sub(1)),
        footer.y,
    ));
    let note = match (&prompt.error, prompt.completions.is_empty()) {
        (Some(e), _) => Some(Line::from(Span::styled(
            format!("⚠ {}", one_line(e)),
            theme.error(),
        ))),
        (None, false) => Some(Line::from(Span::styled(
            one_line(&prompt.completions.join("  ")),
            theme.dim(),
        ))),
        (None, true) => None,
    };
    if let Some(note) = note {
        if body.height > 0 {
            let row = Rect {
                y: body.bottom() - 1,
                height: 1,
                ..body
            };
            frame.render_widget(Clear, row);
            frame.render_widget(Paragraph::new(note), row);
        }
    }
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, app: &App, confirm: &Confirm, theme: &Theme) {
    let keys =
        |commands: &[(Command, &str)]| app.keymap.hint_labelled(&[Context::Confirm], commands);
    let (title, text) = match confirm {
        Confirm::DiscardEdit => (
            " Unsaved changes ",
            format!(
                "Discard your changes to this entry?\n\n{}",
                keys(&[(Command::Yes, "discard"), (Command::No, "keep editing")])
            ),
        ),
        Confirm::DiscardComment => (
            " Unsent comment ",
            format!(
                "Discard this comment?\n\n{}",
                keys(&[(Command::Yes, "discard"), (Command::No, "keep writing")])
            ),
        ),
        Confirm::Conflict(n) => (
            " Changed on disk ",
            format!(
                "{}\n\n{}",
                one_line(&n.message),
                keys(&[
                    (
                        Command::ReloadTheirs,
                        "reload theirs (yours is kept as a draft)"
                    ),
                    (Command::SaveCopy, "save yours as a copy"),
                    (Command::Back, "later"),
                ])
            ),
        ),
        Confirm::RestoreDraft(d) => (
            " Unsaved draft found ",
            format!(
                "A draft from {} was not saved:\n{}\n\n{}",
                one_line(&d.saved_at),
                one_line(if d.title.is_empty() {
                    d.body.lines().next().unwrap_or("")
                } else {
                    &d.title
                }),
                keys(&[
                    (Command::Yes, "restore"),
                    (Command::DeleteDraft, "delete it"),
                    (Command::Back, "later"),
                ])
            ),
        ),
        Confirm::DeleteEntry(id) => (
            " Move to the trash ",
            format!(
                "Move {} \"{}\" to the trash, with its comments and the screenshots only it uses?\n`fieldnote restore {}` brings it back.\n\n{}",
                one_line(id),
                one_line(app.journal.entry(id).map_or("", |e| e.headline())),
                one_line(id),
                keys(&[
                    (Command::Yes, "move to the trash"),
                    (Command::No, "keep it")
                ])
            ),
        ),
        Confirm::EndLive => (
            " Live session ",
            format!(
                "End the live session now and save it?\n\n{}",
                keys(&[(Command::Yes, "end and save"), (Command::No, "keep noting")])
            ),
        ),
        Confirm::KeymapProblems(problems) => (
            " Mistakes in keymap.toml ",
            format!(
                "{}\n\nThese lines were skipped; every other binding applies.\nany key closes",
                problems
                    .iter()
                    .map(|p| one_line(p))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        ),
    };
    let (width, height) = match confirm {
        // Each problem on its own lines (a path is long), as many as fit.
        Confirm::KeymapProblems(p) => (76, (p.len() as u16 * 2 + 6).min(area.height)),
        _ => (60, 9),
    };
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()));
    let paragraph = Paragraph::new(text).block(block);
    frame.render_widget(paragraph.wrap(Wrap { trim: false }), popup);
}

/// The account form: a line per field, the focused one with the cursor, the problem
/// (if any) under them.
pub fn draw_account_form(
    frame: &mut Frame,
    area: Rect,
    form: &AccountForm,
    hint: String,
    theme: &Theme,
) {
    let height = ACCOUNT_FIELDS.len() as u16 + 5;
    let popup = centered(area, 72, height);
    frame.render_widget(Clear, popup);
    let title = match &form.editing {
        Some(a) => format!(" Edit @{} ", one_line(&a.handle)),
        None => " New account ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    const LABEL: usize = 12;
    let mut lines: Vec<Line> = Vec::new();
    for (i, (label, input)) in ACCOUNT_FIELDS.iter().zip(&form.fields).enumerate() {
        let label_style = if i == form.focus {
            theme.accent()
        } else {
            theme.dim()
        };
        let mut value = Span::raw(one_line(&input.text));
        if !form.editable(i) {
            value = value.patch_style(theme.dim());
        } else if i == form.focus && input.selected {
            value = value.patch_style(theme.selected());
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>w$}: ", w = LABEL - 2), label_style),
            value,
        ]));
    }
    lines.push(Line::default());
    lines.push(match &form.error {
        Some(e) => Line::from(Span::styled(format!(" ⚠ {}", one_line(e)), theme.error())),
        None if form.editing.is_some() => Line::from(Span::styled(
            " the handle names the account's file and links: it stays",
            theme.dim(),
        )),
        None => Line::from(Span::styled(
            " platforms: tiktok, instagram, youtube, x, other",
            theme.dim(),
        )),
    });
    lines.push(Line::from(Span::styled(format!(" {hint}"), theme.dim())));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let input = &form.fields[form.focus];
    let before: String = input.text.chars().take(input.cursor).collect();
    let x = inner.x
        + LABEL as u16
        + unicode_width::UnicodeWidthStr::width(one_line(&before).as_str()) as u16;
    frame.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y + form.focus as u16,
    ));
}
