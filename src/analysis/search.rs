//! Full-text search over title, body and url, case- and accent-insensitive.

use rayon::prelude::*;

use crate::model::text::fold;
use crate::model::{Entry, Journal};

/// Each entry's searchable text, folded once, so every keystroke of an incremental search
/// is a plain substring scan.
///
/// It can be built a part at a time (`build_some`), so that a large journal's first
/// frame does not wait for it: it then covers the first `len()` entries, and `matches`
/// is only meaningful once `is_complete`.
#[derive(Debug, Default, Clone)]
pub struct TextIndex {
    folded: Vec<String>,
}

impl TextIndex {
    pub fn new(journal: &Journal) -> TextIndex {
        let mut index = TextIndex::default();
        index.complete(journal);
        index
    }

    /// Fold up to `count` more entries (in parallel); returns whether it is complete.
    pub fn build_some(&mut self, journal: &Journal, count: usize) -> bool {
        let from = self.folded.len().min(journal.entries.len());
        let to = from.saturating_add(count).min(journal.entries.len());
        let more: Vec<String> = journal.entries[from..to]
            .par_iter()
            .map(searchable)
            .collect();
        self.folded.extend(more);
        self.is_complete(journal)
    }

    /// Fold whatever is not folded yet.
    pub fn complete(&mut self, journal: &Journal) {
        self.build_some(journal, usize::MAX);
    }

    pub fn is_complete(&self, journal: &Journal) -> bool {
        // `>=`: should the index ever hold more than the journal, building must stop.
        self.folded.len() >= journal.entries.len()
    }

    /// Does entry `index` contain every word of `query` (already folded)?
    pub fn matches(&self, index: usize, query: &Query) -> bool {
        self.folded
            .get(index)
            .is_some_and(|text| query.matches_folded(text))
    }

    /// Refresh entry `index` after it changed.
    pub fn set(&mut self, index: usize, entry: &Entry) {
        if let Some(slot) = self.folded.get_mut(index) {
            *slot = searchable(entry);
        }
    }

    /// An entry was inserted at `index` (the others after it moved up by one).
    pub fn insert(&mut self, index: usize, entry: &Entry) {
        if index <= self.folded.len() {
            self.folded.insert(index, searchable(entry));
        }
    }

    /// The entry at `index` was removed.
    pub fn remove(&mut self, index: usize) {
        if index < self.folded.len() {
            self.folded.remove(index);
        }
    }

    /// How many entries are folded (all of them once complete).
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
        self.matches_folded(&searchable(entry))
    }

    /// Does `folded` (text already folded) contain every word? (memchr's SIMD search:
    /// several times faster than `str::contains` on the long texts of entries.)
    fn matches_folded(&self, folded: &str) -> bool {
        self.words
            .iter()
            .all(|w| memchr::memmem::find(folded.as_bytes(), w.as_bytes()).is_some())
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
    fn built_in_parts_or_at_once_it_is_the_same() {
        let mut journal = Journal::default();
        let at =
            crate::model::Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        for i in 0..10 {
            let mut e = Entry::new(format!("e{i}"), at, at);
            e.body = format!("Keaslián {i}");
            journal.entries.push(e);
        }
        let mut parts = TextIndex::default();
        assert!(!parts.build_some(&journal, 4));
        assert_eq!(parts.len(), 4);
        // Changes before it is complete land where they belong.
        let mut extra = journal.entries[0].clone();
        extra.body = "inserted".into();
        journal.entries.insert(2, extra.clone());
        parts.insert(2, &extra);
        journal.entries.insert(8, extra.clone());
        parts.insert(8, &extra); // not built that far yet: built later
        journal.entries.remove(8);
        parts.remove(8);
        assert!(!parts.build_some(&journal, 3));
        parts.complete(&journal);
        assert!(parts.is_complete(&journal));
        let whole = TextIndex::new(&journal);
        let q = Query::new("keaslian 7");
        let hits = |ix: &TextIndex| {
            (0..journal.entries.len())
                .filter(|&i| ix.matches(i, &q))
                .count()
        };
        assert_eq!(hits(&parts), 1);
        assert_eq!(hits(&whole), 1);
        assert!(parts.matches(2, &Query::new("inserted")));
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
