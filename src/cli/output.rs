//! Text for people: one-line entry rows that fit the terminal, and safe printing of
//! anything that came from a file.

use std::io::IsTerminal;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::Entry;
use crate::model::text::one_line;

/// Columns available on stdout, or `None` when it is not a terminal (then lines are not
/// cut, so scripts see everything).
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(cols) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(cols);
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// Cut `text` to at most `width` display columns, ending with `…` when cut. Wide
/// characters (emoji, CJK) count as two.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `2026-03-14 21:05  20260314-210512-7f3a  obs  @cindymakeup  Title  [live, informal]`
pub fn entry_row(e: &Entry, width: Option<usize>) -> String {
    let accounts = e.accounts_label("-");
    let codes = if e.codes.is_empty() {
        String::new()
    } else {
        format!("  [{}]", one_line(&e.codes.join(", ")))
    };
    let row = format!(
        "{}  {}  {:<11}  {}  {}{codes}",
        e.observed_at.short(),
        e.id,
        e.kind.as_str(),
        one_line(&accounts),
        one_line(e.headline()),
    );
    match width {
        Some(w) => truncate(&row, w),
        None => row,
    }
}

/// Print a JSON value, pretty, with a final newline. Characters that a terminal would
/// act on (DEL, C1 controls, bidi overrides; serde_json already escapes C0) are written
/// as `\uXXXX` escapes: the same JSON to a program, inert on a terminal.
pub fn print_json(value: &impl serde::Serialize) -> super::CliResult {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| super::CliError::failed(format!("cannot write JSON: {e}")))?;
    println!("{}", escape_unsafe_json(&text));
    Ok(())
}

pub use crate::model::text::escape_unsafe_json;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::text::is_unsafe;

    #[test]
    fn json_is_inert_on_a_terminal_and_means_the_same() {
        let value = serde_json::json!({"t": "a\u{1b}]0;x\u{7} \u{9b}2J \u{202e}b\u{7f}"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = escape_unsafe_json(&text);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn truncation_counts_display_columns() {
        assert_eq!(truncate("abcdef", 10), "abcdef");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("🥺🥺🥺🥺", 5), "🥺🥺…");
    }
}
