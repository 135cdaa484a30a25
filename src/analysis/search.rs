//! Full-text search over title, body and url, case- and accent-insensitive.

use rayon::prelude::*;

use crate::model::text::fold;
use crate::model::{Entry, Journal};

/// Each entry's searchable text, folded once, so every keystroke of an incremental search
/// is a plain substring scan.
#[derive(Debug, Default, Clone)]
pub struct TextIndex {
    folded: Vec<String>,
}

impl TextIndex {
    pub fn new(journal: &Journal) -> TextIndex {
        TextIndex {
            folded: journal.entries.par_iter().map(searchable).collect(),
        }
    }

    /// Does entry `index` contain every word of `query` (already folded)?
    pub fn matches(&self, index: usize, query: &Query) -> bool {
        self.folded
            .get(index)
            .is_some_and(|text| query.words.iter().all(|w| text.contains(w.as_str())))
    }

    /// Refresh entry `index` after it changed.
    pub fn set(&mut self, index: usize, entry: &Entry) {
        if let Some(slot) = self.folded.get_mut(index) {
            *slot = searchable(entry);
        }
    }

    pub fn len(&self) -> usize {
        self.folded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }
}

/// A search as typed, folded and split into words.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<String>,
}

impl Query {
    pub fn new(text: &str) -> Query {
        Query {
            words: fold(text).split_whitespace().map(str::to_string).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Does `entry` match? For one-off use without an index (the CLI).
    pub fn matches_entry(&self, entry: &Entry) -> bool {
        if self.is_empty() {
            return true;
        }
        let text = searchable(entry);
        self.words.iter().all(|w| text.contains(w.as_str()))
    }

    /// Is every match of `self` also a match of `narrower`? Then a search can refine
    /// the previous results instead of scanning everything again.
    pub fn is_widened_by(&self, narrower: &Query) -> bool {
        self.words
            .iter()
            .all(|w| narrower.words.iter().any(|n| n.contains(w.as_str())))
    }
}

fn searchable(e: &Entry) -> String {
    let mut s = String::with_capacity(e.title.len() + e.body.len() + e.url.len() + 2);
    s.push_str(&e.title);
    s.push('\n');
    s.push_str(&e.body);
    s.push('\n');
    s.push_str(&e.url);
    fold(&s)
}

/// Byte ranges in `text` where any word of `query` occurs, case- and accent-insensitive,
/// for highlighting. Works per character so ranges always fall on char boundaries.
pub fn match_ranges(text: &str, query: &Query) -> Vec<std::ops::Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    // Fold char by char, remembering where each folded char came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        for f in fold(c.encode_utf8(&mut [0; 4])).chars() {
            for _ in 0..f.len_utf8() {
                origin.push((at, end));
            }
            folded.push(f);
        }
    }
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for word in &query.words {
        for (start, m) in folded.match_indices(word.as_str()) {
            let from = origin[start].0;
            let to = origin[start + m.len() - 1].1;
            ranges.push(from..to);
        }
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_all_must_match() {
        let q = Query::new("Kulit  KERING");
        assert_eq!(q.words, vec!["kulit", "kering"]);
        assert!(Query::new("kul").is_widened_by(&Query::new("kulit")));
        assert!(!Query::new("kulit").is_widened_by(&Query::new("kul")));
        assert!(Query::new("").is_widened_by(&Query::new("x")));
    }

    #[test]
    fn ranges_cover_accented_originals() {
        let text = "Keaslián is KEASLIAN 🥺";
        let r = match_ranges(text, &Query::new("keaslian"));
        assert_eq!(r.len(), 2);
        assert_eq!(&text[r[0].clone()], "Keaslián");
        assert_eq!(&text[r[1].clone()], "KEASLIAN");
    }
}
