//! Full-text search over title, body and url, case- and accent-insensitive.

use memchr::memmem::Finder;
use rayon::prelude::*;

use crate::model::text::fold;
use crate::model::{Entry, Journal};

/// What every keystroke of an incremental search scans: each entry's searchable text
/// (title, body, url) folded once, but only for the entries where folding does more than
/// lowercase ASCII letters (accents, capitals of other scripts). The others, most field
/// notes (ASCII with emoji), are searched in place with ASCII letters compared without
/// case, which finds the same: the index holds no second copy of their text (at 100k
/// entries that copy was a third of the interface's memory).
///
/// It can be built a part at a time (`build_some`), so that a large journal's first
/// frame does not wait for it: it then covers the first `len()` entries, and `matches`
/// is only meaningful once `is_complete`.
#[derive(Debug, Default, Clone)]
pub struct TextIndex {
    /// Per entry, its folded text where it differs from the text read without ASCII case.
    folded: Vec<Option<Box<str>>>,
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
        let more: Vec<Option<Box<str>>> = journal.entries[from..to]
            .par_iter()
            .map(folded_apart)
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

    /// Does `entry`, number `index` in the journal indexed, contain every word of
    /// `query` (already folded)?
    pub fn matches(&self, index: usize, entry: &Entry, query: &Query) -> bool {
        match self.folded.get(index) {
            Some(Some(folded)) => query.matches_folded(folded),
            Some(None) => query.matches_in_place(entry),
            None => false,
        }
    }

    /// Refresh entry `index` after it changed.
    pub fn set(&mut self, index: usize, entry: &Entry) {
        if let Some(slot) = self.folded.get_mut(index) {
            *slot = folded_apart(entry);
        }
    }

    /// An entry was inserted at `index` (the others after it moved up by one).
    pub fn insert(&mut self, index: usize, entry: &Entry) {
        if index <= self.folded.len() {
            self.folded.insert(index, folded_apart(entry));
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
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub words: Vec<String>,
    /// A substring searcher for each word, made once per query rather than once per
    /// entry and field searched (at 100k entries that was most of a search).
    finders: Vec<Finder<'static>>,
}

/// Two queries are the same when their words are.
impl PartialEq for Query {
    fn eq(&self, other: &Query) -> bool {
        self.words == other.words
    }
}

impl Eq for Query {}

impl Query {
    pub fn new(text: &str) -> Query {
        let words: Vec<String> = fold(text).split_whitespace().map(str::to_string).collect();
        let finders = words
            .iter()
            .map(|w| Finder::new(w.as_bytes()).into_owned())
            .collect();
        Query { words, finders }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Does `entry` match? For one-off use without an index (the CLI).
    pub fn matches_entry(&self, entry: &Entry) -> bool {
        // Folded whole, once: deciding whether it could be searched in place would fold
        // it as well.
        self.is_empty() || self.matches_folded(&searchable(entry))
    }

    /// Does `entry`, whose text folds to itself but for ASCII case, hold every word?
    /// (A word has no whitespace, so it lies within one of the fields.) Each field is
    /// lowercased once for all the words.
    fn matches_in_place(&self, entry: &Entry) -> bool {
        let mut missing: Vec<&Finder> = self.finders.iter().collect();
        for field in [&entry.title, &entry.body, &entry.url] {
            missing = find_without_ascii_case(field.as_bytes(), missing);
            if missing.is_empty() {
                return true;
            }
        }
        false
    }

    /// Does `folded` (text already folded) contain every word? (memchr's SIMD search:
    /// several times faster than `str::contains` on the long texts of entries.)
    fn matches_folded(&self, folded: &str) -> bool {
        self.finders
            .iter()
            .all(|word| word.find(folded.as_bytes()).is_some())
    }

    /// Is every match of `self` also a match of `narrower`? Then a search can refine
    /// the previous results instead of scanning everything again.
    pub fn is_widened_by(&self, narrower: &Query) -> bool {
        self.words
            .iter()
            .all(|w| narrower.words.iter().any(|n| n.contains(w.as_str())))
    }
}

/// The entry's searchable text: title, body and url, a line each.
fn joined(e: &Entry) -> String {
    let mut s = String::with_capacity(e.title.len() + e.body.len() + e.url.len() + 2);
    s.push_str(&e.title);
    s.push('\n');
    s.push_str(&e.body);
    s.push('\n');
    s.push_str(&e.url);
    s
}

/// The entry's searchable text, folded.
fn searchable(e: &Entry) -> String {
    fold(&joined(e))
}

/// The entry's searchable text folded, when that differs from the text with its ASCII
/// letters lowercased (else `None`: it is searched in place).
fn folded_apart(e: &Entry) -> Option<Box<str>> {
    let fields = [&e.title, &e.body, &e.url];
    if fields.iter().all(|f| f.is_ascii()) {
        return None;
    }
    let s = joined(e);
    let folded = fold(&s);
    let same = folded.len() == s.len()
        && folded
            .bytes()
            .zip(s.bytes())
            .all(|(f, o)| f == o.to_ascii_lowercase());
    (!same).then(|| folded.into_boxed_str())
}

/// Of `words` (folded: their ASCII letters lowercase), those not in `hay` with ASCII
/// letters compared without case (other bytes exactly). The text is lowercased a piece
/// at a time into a buffer on the stack, each piece overlapping the last by the longest
/// word's length less one, and searched with memchr's SIMD substring search: about as
/// quick as searching a folded copy, without keeping one.
fn find_without_ascii_case<'q>(hay: &[u8], mut words: Vec<&'q Finder<'q>>) -> Vec<&'q Finder<'q>> {
    const PIECE: usize = 4096;
    const LONGEST: usize = 256;
    let longest = words.iter().map(|w| w.needle().len()).max().unwrap_or(0);
    if longest > LONGEST {
        let lower = hay.to_ascii_lowercase();
        words.retain(|w| w.find(&lower).is_none());
        return words;
    }
    let mut buffer = [0u8; PIECE + LONGEST];
    let mut start = 0;
    while !words.is_empty() && start < hay.len() {
        let end = (start + PIECE + longest.saturating_sub(1)).min(hay.len());
        let piece = &mut buffer[..end - start];
        piece.copy_from_slice(&hay[start..end]);
        piece.make_ascii_lowercase();
        words.retain(|w| w.find(piece).is_none());
        if end == hay.len() {
            break;
        }
        start += PIECE;
    }
    words
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
                .filter(|&i| ix.matches(i, &journal.entries[i], &q))
                .count()
        };
        assert_eq!(hits(&parts), 1);
        assert_eq!(hits(&whole), 1);
        assert!(parts.matches(2, &journal.entries[2], &Query::new("inserted")));
    }

    /// The folded text of an entry, whole: what an index holding every entry's folded
    /// text would scan.
    fn folded_whole(e: &Entry) -> String {
        fold(&format!("{}\n{}\n{}", e.title, e.body, e.url))
    }

    fn entry_with(title: &str, body: &str) -> Entry {
        let at =
            crate::model::Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new("e".into(), at, at);
        e.title = title.into();
        e.body = body.into();
        e
    }

    #[test]
    fn text_searched_in_place_matches_as_folded_text_does() {
        let journal = Journal {
            entries: vec![
                entry_with("GRWM", "KULIT kering 🥺 pakai serum ❤️"),
                entry_with("Keaslián", "İstanbul STRASSE Straße"),
                entry_with("", "abab aab"),
            ],
            ..Default::default()
        };
        let index = TextIndex::new(&journal);
        // Only the entry whose folding does more than ASCII case is held apart.
        let apart: Vec<bool> = index.folded.iter().map(Option::is_some).collect();
        assert_eq!(apart, [false, true, false]);
        for query in [
            "kulit",
            "KULIT 🥺",
            "grwm serum",
            "kering\npakai",
            "keaslian",
            "istanbul",
            "strasse",
            "straße",
            "ab",
            "aab",
            "bab",
            "abab aab",
            "baab",
            "x",
            "🥺🥺",
            "❤️",
            "serum ❤",
        ] {
            let q = Query::new(query);
            for (i, e) in journal.entries.iter().enumerate() {
                assert_eq!(
                    index.matches(i, e, &q),
                    q.matches_folded(&folded_whole(e)),
                    "{query:?} in {:?}",
                    e.body
                );
                assert_eq!(q.matches_entry(e), q.matches_folded(&folded_whole(e)));
            }
        }
    }

    #[test]
    fn in_place_search_finds_words_across_the_pieces_it_reads() {
        for at in [0, 1, 4090, 4093, 4095, 4096, 8190, 9995] {
            let mut text = vec![b'x'; 10_000];
            text[at..at + 5].copy_from_slice(b"KuLiT");
            let found = |needle: &str| {
                find_without_ascii_case(&text, vec![&Finder::new(needle)]).is_empty()
            };
            assert!(found("kulit"), "at {at}");
            assert!(!found("kulitx y"), "at {at}");
        }
        let long = "Ab".repeat(200);
        let hay = format!("{}{}", "x".repeat(5000), long.to_uppercase());
        let needle = long.to_lowercase();
        let (long, short) = (Finder::new(&needle), Finder::new("xab"));
        assert!(find_without_ascii_case(hay.as_bytes(), vec![&long, &short]).is_empty());
        let abc = Finder::new("abc");
        assert_eq!(find_without_ascii_case(b"ab", vec![&abc]).len(), 1);
    }

    proptest::proptest! {
        /// Any text and any words: searching in place finds what the folded text has.
        #[test]
        fn in_place_search_equals_folded_search(
            title in "[aAbBkK é É🥺İß❤\u{fe0f}\n]{0,12}",
            body in "[aAbBkK é É🥺İß❤\u{fe0f}\n]{0,40}",
            words in "[aAbBkK éÉ🥺İß❤\u{fe0f}]{1,4}( [aAbBkK éÉ🥺İß❤]{1,3})?",
        ) {
            let e = entry_with(&title, &body);
            let journal = Journal { entries: vec![e.clone()], ..Default::default() };
            let index = TextIndex::new(&journal);
            let q = Query::new(&words);
            proptest::prop_assert_eq!(
                index.matches(0, &e, &q),
                q.matches_folded(&folded_whole(&e))
            );
        }
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
