//! Coded passages: codes on a span of an entry's body, anchored the way the W3C Web
//! Annotation model anchors a selection: a text-quote selector (the exact text with some
//! context before and after) and a position selector (where it started).
//!
//! The quote is what a passage *is*; the position is only a hint. When the body changes,
//! the passage finds its quote again (the occurrence whose context matches best, then
//! the one nearest the hint). A passage whose quote is gone anchors nowhere: it is an
//! orphan, kept as written until a person fixes or removes it, never moved onto other
//! text.
//!
//! Positions count Unicode code points (chars) of the body, 0-based, like REFI-QDA's
//! `startPosition`: a number a person can check in any editor, that means the same in
//! every encoding, and that can never fall inside a character.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// How many characters of context a new passage keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    /// The exact text coded.
    pub quote: String,
    /// Up to `CONTEXT_CHARS` characters just before the quote.
    #[serde(default)]
    pub prefix: String,
    /// Up to `CONTEXT_CHARS` characters just after the quote.
    #[serde(default)]
    pub suffix: String,
    /// Where the quote started, in characters of the body: a hint only.
    #[serde(default)]
    pub start: usize,
    #[serde(default)]
    pub codes: Vec<String>,
}

impl Passage {
    /// The passage over `span` (byte offsets on char boundaries) of `body`.
    pub fn over(body: &str, span: Range<usize>, codes: Vec<String>) -> Passage {
        let mut p = Passage {
            codes,
            ..Passage::default()
        };
        p.describe(body, span);
        p
    }

    /// Set quote, context and hint from `span` of `body`.
    fn describe(&mut self, body: &str, span: Range<usize>) {
        let (before, after) = (&body[..span.start], &body[span.end..]);
        self.quote = body[span.clone()].to_string();
        self.prefix = last_chars(before, CONTEXT_CHARS).to_string();
        self.suffix = first_chars(after, CONTEXT_CHARS).to_string();
        self.start = before.chars().count();
    }

    /// Where the quote ends, in characters: `start` plus the quote's length.
    pub fn end(&self) -> usize {
        self.start + self.quote.chars().count()
    }

    /// The byte range of `body` this passage stands on, or `None` for an orphan.
    pub fn anchor(&self, body: &str) -> Option<Range<usize>> {
        if self.quote.is_empty() {
            return None;
        }
        let hint = byte_of_char(body, self.start);
        // The best context first, then the nearest to the hint, then the first.
        occurrences(body, &self.quote)
            .into_iter()
            .max_by_key(|span| {
                let context = common_suffix_chars(&body[..span.start], &self.prefix)
                    + common_prefix_chars(&body[span.end..], &self.suffix);
                (
                    context,
                    std::cmp::Reverse(span.start.abs_diff(hint)),
                    std::cmp::Reverse(span.start),
                )
            })
    }

    /// This passage as it should be written for `body`: hint and context brought up to
    /// date when the quote moved or its context changed; an orphan unchanged.
    /// Context a person shortened by hand is kept while it still matches.
    pub fn reanchored(&self, body: &str) -> Passage {
        let Some(span) = self.anchor(body) else {
            return self.clone();
        };
        let fits = body[..span.start].ends_with(&self.prefix)
            && body[span.end..].starts_with(&self.suffix)
            && body[..span.start].chars().count() == self.start;
        if fits {
            return self.clone();
        }
        let mut p = self.clone();
        p.describe(body, span);
        p
    }

    pub fn has_code(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c == code)
    }
}

/// Every place `quote` occurs in `body` (overlapping ones too), as byte ranges.
pub fn occurrences(body: &str, quote: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if quote.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(found) = body[from..].find(quote) {
        let at = from + found;
        out.push(at..at + quote.len());
        from = at + body[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The span of `body` most like `quote` (as long as it, starting at a word), when the
/// quote itself is not there: what an error suggests. `None` when nothing is close.
pub fn closest_span(body: &str, quote: &str) -> Option<Range<usize>> {
    let len = quote.chars().count();
    if len == 0 || body.is_empty() {
        return None;
    }
    let starts = body.char_indices().filter(|&(i, c)| {
        !c.is_whitespace()
            && body[..i]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace)
    });
    let mut best: Option<(f64, Range<usize>)> = None;
    for (at, _) in starts {
        let end = at + byte_of_char(&body[at..], len);
        let score = strsim::normalized_levenshtein(&body[at..end], quote);
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, at..end));
        }
    }
    best.filter(|(s, _)| *s >= 0.5).map(|(_, r)| r)
}

/// `text` around `span` on one line, the span in «guillemets»: how errors and lists
/// show where a quote stands.
pub fn in_context(text: &str, span: Range<usize>, chars: usize) -> String {
    let before = last_chars(&text[..span.start], chars);
    let after = first_chars(&text[span.end..], chars);
    let dots = |cut: bool| if cut { "…" } else { "" };
    // Safe for a terminal, on one line, spaces kept (`one_line` would trim them).
    let flat = |t: &str| super::text::sanitize(t).replace(['\n', '\t'], " ");
    format!(
        "{}{}«{}»{}{}",
        dots(before.len() < span.start),
        flat(before),
        flat(&text[span.clone()]),
        flat(after),
        dots(span.end + after.len() < text.len()),
    )
}

/// The byte offset of character `n` of `text` (its length when `n` is past the end).
pub fn byte_of_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

fn last_chars(text: &str, n: usize) -> &str {
    let from = text.char_indices().rev().nth(n.saturating_sub(1));
    match (n, from) {
        (0, _) => "",
        (_, Some((i, _))) => &text[i..],
        (_, None) => text,
    }
}

fn first_chars(text: &str, n: usize) -> &str {
    &text[..byte_of_char(text, n)]
}

/// How many characters at the end of `a` and of `b` agree.
fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many characters at the start of `a` and of `b` agree.
fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Q: Who do you talk to?\nA: Two friends. One sends me voice notes every week.\nQ: And your sister?\n";
    const QUOTE: &str = "One sends me voice notes every week";

    fn passage() -> Passage {
        let at = BODY.find(QUOTE).unwrap();
        Passage::over(BODY, at..at + QUOTE.len(), vec!["voice-notes".into()])
    }

    fn quoted<'a>(p: &Passage, body: &'a str) -> Option<&'a str> {
        p.anchor(body).map(|r| &body[r])
    }

    #[test]
    fn a_new_passage_keeps_quote_context_and_position() {
        let p = passage();
        assert_eq!(p.quote, QUOTE);
        assert_eq!(p.prefix, "do you talk to?\nA: Two friends. ");
        assert!(p.suffix.starts_with(".\nQ: And your sister?"));
        assert_eq!(p.start, 39);
        assert_eq!(p.end(), 39 + QUOTE.chars().count());
        assert_eq!(quoted(&p, BODY), Some(QUOTE));
    }

    #[test]
    fn edits_before_the_passage_move_it_with_its_text() {
        let p = passage();
        let body = format!("Recorded on the bus, noisy.\n{BODY}");
        let span = p.anchor(&body).unwrap();
        assert_eq!(&body[span.clone()], QUOTE);
        let moved = p.reanchored(&body);
        assert_eq!(moved.start, body[..span.start].chars().count());
        assert_eq!(moved.prefix, p.prefix);
    }

    #[test]
    fn edits_after_the_passage_leave_it_in_place() {
        let p = passage();
        let body = format!("{BODY}Q: Anything else?\nA: No.\n");
        assert_eq!(quoted(&p, &body), Some(QUOTE));
        assert_eq!(p.reanchored(&body), p);
    }

    #[test]
    fn an_edit_inside_the_quote_orphans_it_and_keeps_it_unchanged() {
        let p = passage();
        let body = BODY.replace("voice notes", "voice messages");
        assert_eq!(p.anchor(&body), None);
        assert_eq!(p.reanchored(&body), p);
    }

    #[test]
    fn the_occurrence_with_matching_context_wins_over_the_nearer_one() {
        let body = "She said yes. Later, asked again, she said yes.";
        let second = body.rfind("yes").unwrap();
        let mut p = Passage::over(body, second..second + 3, vec![]);
        p.start = 0; // a stale hint pointing at the first `yes`
        assert_eq!(p.anchor(body), Some(second..second + 3));
        // Without context, the one nearest the hint.
        p.prefix.clear();
        p.suffix.clear();
        assert_eq!(p.anchor(body), Some(9..12));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let body = "Café 👋🏽 — «سلام» then e\u{301}\r\nvoice notes";
        let at = body.find("سلام").unwrap();
        let p = Passage::over(body, at..at + "سلام".len(), vec![]);
        assert_eq!(p.start, body[..at].chars().count());
        assert_eq!(p.prefix, body[..at].to_string());
        assert_eq!(byte_of_char(body, p.start), at);
        assert_eq!(quoted(&p, body), Some("سلام"));
    }

    #[test]
    fn a_missing_quote_finds_the_closest_span() {
        let span = closest_span(BODY, "One sends me voice memos every week").unwrap();
        assert_eq!(&BODY[span], "One sends me voice notes every week");
        assert_eq!(closest_span(BODY, "zzzzzzzzzzzzzzzzzzzzzzzz"), None);
        assert_eq!(occurrences("aaa", "aa"), [0..2, 1..3]);
        assert_eq!(in_context("ab cd ef", 3..5, 2), "…b «cd» e…");
    }

    #[test]
    fn an_empty_quote_is_an_orphan() {
        let p = Passage::default();
        assert_eq!(p.anchor("anything"), None);
    }
}
