//! Text helpers shared by every output: folding for search, and making untrusted text
//! (captions, bodies, anything from files) safe to put on a terminal.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `1 entry`, `3 entries`: a count with its noun in the right number.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Lowercase and strip accents, so `"Keaslián"` matches a search for `"keaslian"`.
/// ASCII goes straight through; only other characters are decomposed (most field-note
/// text is ASCII with some emoji, and decomposing everything costs ten times more).
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for d in std::iter::once(c).nfd().filter(|d| !is_accent(*d)) {
                out.extend(d.to_lowercase());
            }
        }
    }
    out
}

/// A mark that folding drops: a combining accent, but not a variation selector, which
/// says how an emoji is drawn (`❤️` is `❤` and U+FE0F). Kept, an entry with such emoji
/// folds to itself but for ASCII case, and search reads it in place instead of from a
/// folded copy (see `analysis::search::TextIndex`).
fn is_accent(c: char) -> bool {
    let variation_selector = matches!(c, '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}');
    is_combining_mark(c) && !variation_selector
}

/// Characters that must never reach a terminal from untrusted text: C0 and C1 controls
/// (ESC starts every escape sequence), DEL, and the bidi controls that can make text
/// read differently from what it is (Trojan Source).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'
        | '\u{61c}')
}

/// Replace every unsafe character by a visible placeholder: C0 controls by their
/// Unicode "control picture" (ESC shows as `␛`), everything else by `�`. Newlines and
/// tabs are kept; tabs become spaces where a layout needs fixed widths (see `one_line`).
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c) || c == '\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' => {}
            c if (c as u32) < 0x20 && is_unsafe(c) => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            c if is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Sanitized text on one line: newlines and tabs become spaces, runs of spaces collapse.
pub fn one_line(text: &str) -> String {
    let clean = sanitize(text);
    let mut out = String::with_capacity(clean.len());
    for word in clean.split([' ', '\n', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The candidates that look like `name` (typos, other case, a prefix), best first: what
/// an error about an unknown account or code suggests.
pub fn near_matches<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = fold(name);
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let folded = fold(c);
            let score = if folded.starts_with(&wanted) || wanted.starts_with(&folded) {
                1.0
            } else {
                strsim::jaro_winkler(&wanted, &folded)
            };
            (score >= 0.8).then_some((score, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Below this many columns a line ended where its writer meant it to: a list of viewer
/// comments, Q/A turns, short notes. At or above it, a line followed by more of the same
/// paragraph was wrapped by hand (editors wrap at 72 to 100 columns).
const HAND_WRAP_WIDTH: usize = 60;

/// Is the break between `line` and the `next` one only a paragraph wrapped by hand, so
/// that the two read as one (the preview joins them; a sentence runs on across it)?
pub fn hand_wrapped(line: &str, next: &str) -> bool {
    use unicode_width::UnicodeWidthStr;
    line.trim_end().width() >= HAND_WRAP_WIDTH && !starts_block(next.trim_start())
}

/// A line that begins something of its own: a blank, a list item, a quote or heading,
/// a numbered item, a speaker's turn (`Q:`, `A:`, `Cindy:`), or a stamped moment
/// (`[21:17:30 +12:30] …`).
fn starts_block(line: &str) -> bool {
    let numbered = line
        .split_once(". ")
        .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let turn = line.split_once(": ").is_some_and(|(who, _)| {
        !who.is_empty() && who.len() <= 24 && who.split_whitespace().count() <= 2
    });
    line.is_empty()
        || line.starts_with(['-', '*', '>', '#', '|', '•', '"', '“', '['])
        || numbered
        || turn
}

/// `json` with every unsafe character escaped. Unsafe characters can only stand inside
/// JSON strings (the structure is ASCII), where `\uXXXX` means the same character.
pub fn escape_unsafe_json(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn near_matches_find_typos_and_prefixes() {
        let codes = ["daily-life", "promotion", "live", "humour"];
        assert_eq!(near_matches("daily-lfie", codes), vec!["daily-life"]);
        assert_eq!(near_matches("promo", codes), vec!["promotion"]);
        assert!(near_matches("zzz", codes).is_empty());
    }

    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Keaslián ÉTÉ"), "keaslian ete");
        assert_eq!(fold("ABC"), "abc");
        assert_eq!(fold("kulitku 🥺"), "kulitku 🥺");
        assert_eq!(fold("Suka ❤️ banget"), "suka ❤️ banget");
    }

    #[test]
    fn escapes_never_survive() {
        let hostile =
            "red\u{1b}[31m bell\u{7} osc\u{1b}]0;title\u{7} c1\u{9b}2J bidi\u{202e}abc\r\n";
        let clean = sanitize(hostile);
        assert!(!clean.chars().any(is_unsafe), "{clean:?}");
        assert!(clean.contains('␛'));
        assert!(clean.contains('\u{fffd}'));
        assert!(clean.ends_with('\n'));
        assert!(!clean.contains('\r'));
    }

    #[test]
    fn safe_text_is_not_copied() {
        assert!(matches!(
            sanitize("plain 🥺 text\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn one_line_collapses_whitespace() {
        assert_eq!(one_line("a\n\tb   c\u{1b}"), "a b c␛");
    }
}
