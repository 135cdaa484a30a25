//! Moving a cursor through a text by characters, words, sentences and lines, as the
//! reading view does to select a passage. Positions are byte offsets on char
//! boundaries; pure functions of the text, so they are tested on their own.

use std::ops::Range;

use crate::model::text::hand_wrapped;

/// The char boundary before `at` (or 0).
pub fn prev_char(text: &str, at: usize) -> usize {
    text[..at.min(text.len())]
        .char_indices()
        .next_back()
        .map_or(0, |(i, _)| i)
}

/// The start of the char after the one at `at`, but never past the last char.
pub fn next_char(text: &str, at: usize) -> usize {
    let next = text[at.min(text.len())..]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8());
    next.min(last_char(text))
}

/// The start of the text's last char (0 when empty).
pub fn last_char(text: &str) -> usize {
    prev_char(text, text.len())
}

/// `at` moved back onto a char boundary and onto a char (never at the very end).
pub fn clamp(text: &str, at: usize) -> usize {
    let mut at = at.min(last_char(text));
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The end of the char that starts at `at`: a selection from `a` to the cursor at `b`
/// covers `a..char_end(b)`.
pub fn char_end(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(at, |c| at + c.len_utf8())
}

/// The line `at` is on, without its newline.
pub fn line_at(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

/// The same column (in chars) on the next line, or as near as that line allows.
pub fn line_down(text: &str, at: usize) -> usize {
    let line = line_at(text, at);
    if line.end >= text.len() {
        return at;
    }
    let column = text[line.start..at].chars().count();
    let next = line_at(text, line.end + 1);
    column_in(text, next, column)
}

pub fn line_up(text: &str, at: usize) -> usize {
    let line = line_at(text, at);
    if line.start == 0 {
        return at;
    }
    let column = text[line.start..at].chars().count();
    let previous = line_at(text, line.start - 1);
    column_in(text, previous, column)
}

fn column_in(text: &str, line: Range<usize>, column: usize) -> usize {
    let in_line = &text[line.clone()];
    let offset = in_line
        .char_indices()
        .nth(column)
        .map_or_else(|| prev_char(in_line, in_line.len()), |(i, _)| i);
    clamp(text, line.start + offset)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// The start of the next word (vim's `w`, words of letters and digits).
pub fn word_forward(text: &str, at: usize) -> usize {
    let mut chars = text[at..]
        .char_indices()
        .map(|(i, c)| (at + i, c))
        .peekable();
    // Leave the word the cursor is in, then any gap.
    let in_word = chars.peek().is_some_and(|&(_, c)| is_word(c));
    if in_word {
        while chars.peek().is_some_and(|&(_, c)| is_word(c)) {
            chars.next();
        }
    } else {
        chars.next();
    }
    chars
        .find(|&(_, c)| is_word(c))
        .map_or(last_char(text).max(at), |(i, _)| i)
}

/// The start of this word, or of the one before when already at a start (vim's `b`).
pub fn word_back(text: &str, at: usize) -> usize {
    let before: Vec<(usize, char)> = text[..at].char_indices().collect();
    let mut i = before.len();
    while i > 0 && !is_word(before[i - 1].1) {
        i -= 1;
    }
    while i > 0 && is_word(before[i - 1].1) {
        i -= 1;
    }
    before.get(i).map_or(0, |&(b, _)| b)
}

/// Where sentences end (exclusive byte offsets): after `.`, `!`, `?` or `…` (with any
/// closing quotes or brackets) followed by white space or the end, and at the end of a
/// line — interview turns and comments are a line each — unless the line only wraps a
/// paragraph by hand.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' {
            let line = &text[line_at(text, at).start..at];
            let next = &text[at + 1..line_at(text, at + 1).end];
            if !hand_wrapped(line, next) {
                ends.push(at);
            }
            i += 1;
            continue;
        }
        if matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
                j += 1;
            }
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
            {
                j += 1;
            }
            if j == chars.len() || chars[j].1.is_whitespace() {
                ends.push(chars.get(j).map_or(text.len(), |&(b, _)| b));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    ends.push(text.len());
    ends
}

/// The sentence `at` is in, without the white space around it: what "this sentence"
/// selects. A cursor on the gap between two sentences takes the next one.
pub fn sentence_at(text: &str, at: usize) -> Range<usize> {
    let ends = sentence_ends(text);
    let mut start = 0;
    for end in ends {
        if at < end || end == text.len() {
            return trim(text, start..end);
        }
        start = end;
    }
    trim(text, start..text.len())
}

/// Where each sentence starts: its first char that is not white space.
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts: Vec<usize> = std::iter::once(0)
        .chain(sentence_ends(text))
        .map(|e| skip_space(text, e))
        .filter(|&s| s < text.len())
        .collect();
    starts.dedup();
    starts
}

/// The first char at or after `at` that is not white space (or the end).
fn skip_space(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| at + i)
}

/// The start of the next sentence (or `at` when there is none).
pub fn sentence_forward(text: &str, at: usize) -> usize {
    sentence_starts(text)
        .into_iter()
        .find(|&s| s > at)
        .unwrap_or(at)
}

/// The start of this sentence, or of the one before when already at its start.
pub fn sentence_back(text: &str, at: usize) -> usize {
    sentence_starts(text)
        .into_iter()
        .rev()
        .find(|&s| s < at)
        .unwrap_or(0)
}

/// `span` without white space at either end (empty when it is all white space).
pub fn trim(text: &str, span: Range<usize>) -> Range<usize> {
    let inner = &text[span.clone()];
    let start = span.start + (inner.len() - inner.trim_start().len());
    let end = span.end - (inner.len() - inner.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Q: How often?\nA: Every day. One sends me voice notes every week! Why… I don't know.\n\nEnd";

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap()
    }

    fn sentence(text: &str, needle: &str) -> &'static str {
        let r = sentence_at(text, at(text, needle));
        Box::leak(text[r].to_string().into_boxed_str())
    }

    #[test]
    fn sentences_end_at_punctuation_and_at_line_ends() {
        assert_eq!(sentence(TEXT, "often"), "Q: How often?");
        assert_eq!(sentence(TEXT, "Every"), "A: Every day.");
        assert_eq!(
            sentence(TEXT, "voice"),
            "One sends me voice notes every week!"
        );
        assert_eq!(sentence(TEXT, "Why"), "Why…");
        assert_eq!(sentence(TEXT, "don't"), "I don't know.");
        assert_eq!(sentence(TEXT, "End"), "End");
        // Abbreviations without a space after do not end one; decimals neither.
        let t = "It costs 2.50 now.See? Yes";
        assert_eq!(&t[sentence_at(t, 0)], "It costs 2.50 now.See?");
        // A paragraph wrapped by hand is one text; a short line is a sentence of its own.
        let t = format!(
            "{} runs on\nacross the wrap. Next\nshort line\nnext",
            "x".repeat(60)
        );
        assert!(t[sentence_at(&t, 0)].ends_with("across the wrap."));
        assert_eq!(&t[sentence_at(&t, t.find("Next").unwrap())], "Next");
        assert_eq!(&t[sentence_at(&t, t.find("short").unwrap())], "short line");
        // Closing quotes belong to the sentence.
        let t = "She said \"stop.\" Then left.";
        assert_eq!(&t[sentence_at(t, 0)], "She said \"stop.\"");
    }

    #[test]
    fn sentence_motions_walk_the_sentences() {
        let mut starts = vec![0];
        let mut here = 0;
        loop {
            let next = sentence_forward(TEXT, here);
            if next == here {
                break;
            }
            starts.push(next);
            here = next;
        }
        let words: Vec<&str> = starts
            .iter()
            .map(|&s| TEXT[s..].split_whitespace().next().unwrap())
            .collect();
        assert_eq!(words, ["Q:", "A:", "One", "Why…", "I", "End"]);
        // And back again.
        let mut back = vec![here];
        while here > 0 {
            here = sentence_back(TEXT, here);
            back.push(here);
        }
        back.reverse();
        assert_eq!(back, starts);
        // From the middle of a sentence, back goes to its start.
        assert_eq!(sentence_back(TEXT, at(TEXT, "voice")), at(TEXT, "One"));
    }

    #[test]
    fn words_and_lines_move_like_vim() {
        let t = "voice notes, every week";
        assert_eq!(word_forward(t, 0), at(t, "notes"));
        assert_eq!(word_forward(t, at(t, "notes")), at(t, "every"));
        assert_eq!(word_back(t, at(t, "every")), at(t, "notes"));
        assert_eq!(word_back(t, at(t, "otes")), at(t, "notes"));
        assert_eq!(word_forward(t, at(t, "week")), last_char(t));
        let lines = "abc\nde\n\nfghij";
        assert_eq!(
            line_down(lines, 2),
            5,
            "column 2 of a 2-char line: its last char"
        );
        assert_eq!(line_down(lines, 5), 7, "an empty line");
        assert_eq!(line_down(lines, 7), 8);
        assert_eq!(line_up(lines, at(lines, "h")), 7);
        assert_eq!(line_at(lines, 5), 4..6);
    }

    #[test]
    fn multibyte_text_never_splits_a_char() {
        let t = "Kamu 😊 cantik sekali, é\u{301} مرحبا";
        let mut here = 0;
        for _ in 0..40 {
            here = next_char(t, here);
            assert!(t.is_char_boundary(here));
        }
        assert_eq!(here, last_char(t));
        for _ in 0..40 {
            here = prev_char(t, here);
            assert!(t.is_char_boundary(here));
            here = word_back(t, here);
            assert!(t.is_char_boundary(here));
        }
        assert_eq!(clamp(t, 6), 5, "inside the emoji: back onto its start");
    }
}
