//! The matrix screen: moving over cells, folding groups, switching what the columns
//! are, and drilling down to the entries (and their words) behind a number.

use super::super::action::{Command, Effect};
use super::super::app::{App, MatrixView, Popup, Quotes, RowItem, Screen, Status};
use crate::analysis::matrix::By;
use crate::analysis::{CoOccurrence, Matrix};

/// Show the matrix for what the timeline currently selects.
pub fn open(app: &mut App) {
    app.screen = Screen::Matrix;
    recompute(app);
}

/// Count again (the filter, the journal or the columns changed). Codes against codes
/// are counted only while they are shown: at 100,000 entries each count is a visible
/// pause.
pub fn recompute(app: &mut App) {
    let filter = app.effective_filter();
    app.complete_keys();
    let mut matrix = Matrix::compute_with(&app.journal, app.keys(), &filter, app.matrix.by);
    if app.matrix.transposed {
        matrix.transpose();
    }
    app.matrix.pairs = app
        .matrix
        .cooccurrence
        .then(|| CoOccurrence::of(&app.journal, matrix.selected().to_vec()));
    app.matrix.matrix = Some(matrix);
    clamp(app);
}

/// The line showing row header `header`: its own, or its group's heading when the group
/// is folded.
fn line_of_header(m: &MatrixView, header: usize) -> usize {
    let items = m.row_items();
    if let Some(line) = items.iter().position(|it| *it == RowItem::Row(header)) {
        return line;
    }
    let group = m.row_headers().get(header).and_then(|h| h.group.as_deref());
    items
        .iter()
        .position(|it| matches!(it, RowItem::Group { name, .. } if Some(name.as_str()) == group))
        .unwrap_or(0)
}

fn clamp(app: &mut App) {
    let rows = app.matrix.row_items().len();
    let cols = app.matrix.col_headers().len();
    app.matrix.row = app.matrix.row.min(rows.saturating_sub(1));
    app.matrix.col = app.matrix.col.min(cols.saturating_sub(1));
}

/// Matrix commands; `None` for commands the screen leaves to the others.
pub fn on_command(app: &mut App, command: Command) -> Option<Vec<Effect>> {
    let page = app.page.max(1);
    let m = &mut app.matrix;
    let cols = m.col_headers().len();
    if let Some(to) = super::step(m.row, m.row_items().len(), command, page) {
        m.row = to;
        return Some(Vec::new());
    }
    match command {
        // Across the columns: the same rule, left as up and right as down.
        Command::Left => m.col = m.col.saturating_sub(1),
        Command::Right => m.col = super::step(m.col, cols, Command::Down, page).unwrap_or(m.col),
        Command::ToggleShare => m.share = !m.share,
        Command::CycleColumns => {
            m.by = match m.by {
                By::Account => By::Kind,
                By::Kind => By::Month,
                By::Month => By::Account,
            };
            m.col = 0;
            m.cooccurrence = false;
            recompute(app);
        }
        Command::Transpose => {
            // The same counts the other way round: nothing to count again. The cursor
            // stays on its cell: `row` counts lines (headings included), `col` headers.
            let row_header = match m.row_items().get(m.row) {
                Some(RowItem::Row(i)) => Some(*i),
                _ => None,
            };
            let col_header = m.col;
            m.transposed = !m.transposed;
            m.cooccurrence = false;
            if let Some(matrix) = m.matrix.as_mut() {
                matrix.transpose();
            }
            m.col = row_header.unwrap_or(0);
            m.row = line_of_header(m, col_header);
            clamp(app);
        }
        Command::ToggleCooccurrence => {
            m.cooccurrence = !m.cooccurrence;
            m.transposed = false;
            recompute(app);
        }
        Command::ToggleItem => toggle_group(app),
        Command::Open => drill(app),
        _ => return None,
    }
    Some(Vec::new())
}

/// Fold or unfold the group of the selected line.
fn toggle_group(app: &mut App) {
    let items = app.matrix.row_items();
    let group = match items.get(app.matrix.row) {
        Some(RowItem::Group { name, .. }) => Some(name.clone()),
        Some(RowItem::Row(i)) => app.matrix.row_headers()[*i].group.clone(),
        None => None,
    };
    if let Some(g) = group {
        if !app.matrix.collapsed.remove(&g) {
            app.matrix.collapsed.insert(g.clone());
        }
        // Keep the cursor on the group's heading.
        if let Some(pos) = app
            .matrix
            .row_items()
            .iter()
            .position(|it| matches!(it, RowItem::Group { name, .. } if *name == g))
        {
            app.matrix.row = pos;
        }
    }
}

/// Enter on a cell: the entries behind it, with their text as quotes. On a heading: fold.
fn drill(app: &mut App) {
    let items = app.matrix.row_items();
    let row = match items.get(app.matrix.row) {
        Some(RowItem::Row(r)) => *r,
        Some(RowItem::Group { .. }) => return toggle_group(app),
        None => return,
    };
    let col = app.matrix.col;
    let rows = app.matrix.row_headers();
    let cols = app.matrix.col_headers();
    let (Some(rh), Some(ch)) = (rows.get(row), cols.get(col)) else {
        return;
    };
    let title = format!("{} × {}", rh.label, ch.label);
    let entries: Vec<usize> = match (&app.matrix.matrix, app.matrix.cooccurrence) {
        (Some(m), true) => m
            .selected()
            .iter()
            .copied()
            .filter(|&i| {
                let e = &app.journal.entries[i];
                e.carries(&rh.id) && e.carries(&ch.id)
            })
            .collect(),
        (Some(m), false) => m.entries(row, col).to_vec(),
        (None, _) => Vec::new(),
    };
    if entries.is_empty() {
        app.status = Status::Info(format!("no entries: {title}"));
        return;
    }
    let mut entries = entries;
    // Oldest first reads as a story; the quotes are in the order things happened.
    entries.sort_unstable();
    let codes = if app.matrix.cooccurrence {
        vec![rh.id.clone(), ch.id.clone()]
    } else if app.matrix.transposed {
        vec![ch.id.clone()]
    } else {
        vec![rh.id.clone()]
    };
    app.popup = Some(Popup::Quotes(Quotes {
        title,
        codes,
        entries,
        selected: 0,
        offset: Default::default(),
    }));
}

/// Keys in the quotes list: move, Enter jumps to the entry in the timeline.
pub fn quotes_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(Popup::Quotes(q)) = app.popup.as_mut() else {
        return Vec::new();
    };
    if let Some(to) = super::step(q.selected, q.entries.len(), command, 1) {
        q.selected = to;
        return Vec::new();
    }
    match command {
        Command::Back | Command::Quit => app.popup = None,
        Command::Open => {
            let id = app.journal.entries[q.entries[q.selected]].id.clone();
            app.left_quotes = Some(q.clone());
            app.popup = None;
            app.screen = Screen::Timeline;
            if !app.show_entry(&id) {
                app.status = Status::Info("shown although the timeline's filter hides it".into());
            }
        }
        _ => {}
    }
    Vec::new()
}
