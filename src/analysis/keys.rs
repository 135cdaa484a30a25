//! The journal's entries by small numbers: every code id and account handle interned,
//! and each entry's carried codes and accounts as numbers in flat arrays.
//!
//! Counting a matrix asks, for every entry, which codes it carries and which accounts it
//! names. Read from the entries themselves, that is two pointers to follow per string
//! (the list, then each string's bytes), scattered across a 100,000-entry journal: the
//! count then waits on memory, not on arithmetic. Built once after the entries change,
//! these arrays let a count run over contiguous integers.

use rayon::prelude::*;

use crate::model::{Entry, Journal};

type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Strings numbered in order of first appearance.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    names: Vec<String>,
    numbers: FastMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.numbers.get(name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(name.to_string());
        self.numbers.insert(name.to_string(), n);
        n
    }

    pub fn number(&self, name: &str) -> Option<u32> {
        self.numbers.get(name).copied()
    }

    pub fn name(&self, number: u32) -> &str {
        &self.names[number as usize]
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Lists stored end to end, one allocation for them all: list `i` is
/// `items[starts[i]..]` up to the next list's start (the last, to the end). Built a list
/// at a time (`start`, then `push_once`), or all at once from known starts.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Packed<T> {
    pub(super) starts: Vec<usize>,
    pub(super) items: Vec<T>,
}

impl<T> Packed<T> {
    pub(super) fn list(&self, i: usize) -> &[T] {
        let end = self.starts.get(i + 1).map_or(self.items.len(), |&e| e);
        &self.items[self.starts[i]..end]
    }

    /// Begin the next list.
    fn start(&mut self) {
        self.starts.push(self.items.len());
    }

    /// Add `item` to the last list begun, unless that list holds it already.
    fn push_once(&mut self, item: T)
    where
        T: PartialEq,
    {
        let from = self.starts.last().copied().unwrap_or(0);
        if !self.items[from..].contains(&item) {
            self.items.push(item);
        }
    }

    /// How many lists.
    fn len(&self) -> usize {
        self.starts.len()
    }
}

#[derive(Debug, Default, Clone)]
pub struct EntryKeys {
    pub codes: Interner,
    pub accounts: Interner,
    /// Each entry's carried codes (its own and its passages'), each once, in order.
    carried: Packed<u32>,
    /// Each entry's accounts, each once, in order.
    named: Packed<u32>,
    /// Each entry's month observed, in the zone it was noted in (a matrix's month
    /// columns), read once: finding it costs a time zone conversion.
    months: Vec<(i16, i8)>,
}

/// Entries interned by one task before the tasks' numbers are joined.
const CHUNK: usize = 8192;

impl EntryKeys {
    /// Number every entry's codes and accounts, in parallel by chunks whose own numbers
    /// are then mapped onto the journal-wide ones.
    pub fn of(journal: &Journal) -> EntryKeys {
        let parts: Vec<EntryKeys> = journal
            .entries
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut part = EntryKeys::default();
                for e in chunk {
                    part.push(e);
                }
                part
            })
            .collect();
        let mut all = EntryKeys::default();
        for part in parts {
            all.join(part);
        }
        all
    }

    /// Number the next `step` entries of `journal` not numbered yet (a part of the work,
    /// for an interface that does it while no key waits); returns whether all are.
    pub fn build_some(&mut self, journal: &Journal, step: usize) -> bool {
        let from = self.entries().min(journal.entries.len());
        let to = from.saturating_add(step).min(journal.entries.len());
        for e in &journal.entries[from..to] {
            self.push(e);
        }
        self.is_complete(journal)
    }

    /// Whether every entry of `journal` is numbered (these keys were built for it).
    pub fn is_complete(&self, journal: &Journal) -> bool {
        self.entries() == journal.entries.len()
    }

    fn push(&mut self, e: &Entry) {
        let civil = e.observed_at.civil();
        self.months.push((civil.year(), civil.month()));
        self.carried.start();
        for code in e.carried_codes_with_repeats() {
            self.carried.push_once(self.codes.intern(code));
        }
        self.named.start();
        for handle in &e.accounts {
            self.named.push_once(self.accounts.intern(handle));
        }
    }

    /// `later`'s entries after these, its numbers made this journal's.
    fn join(&mut self, later: EntryKeys) {
        fn join_lists(
            mine: &mut Packed<u32>,
            mine_names: &mut Interner,
            theirs: Packed<u32>,
            names: &Interner,
        ) {
            let map: Vec<u32> = names.names.iter().map(|n| mine_names.intern(n)).collect();
            let offset = mine.items.len();
            mine.starts.extend(theirs.starts.iter().map(|s| s + offset));
            mine.items
                .extend(theirs.items.iter().map(|&n| map[n as usize]));
        }
        join_lists(
            &mut self.carried,
            &mut self.codes,
            later.carried,
            &later.codes,
        );
        join_lists(
            &mut self.named,
            &mut self.accounts,
            later.named,
            &later.accounts,
        );
        self.months.extend(later.months);
    }

    /// The (year, month) entry `i` was observed in.
    pub fn month(&self, i: usize) -> (i16, i8) {
        self.months[i]
    }

    /// The numbers of the codes entry `i` carries, each once.
    pub fn carried(&self, i: usize) -> &[u32] {
        self.carried.list(i)
    }

    /// The numbers of the accounts entry `i` names, each once.
    pub fn accounts_of(&self, i: usize) -> &[u32] {
        self.named.list(i)
    }

    /// How many entries these keys were built for.
    pub fn entries(&self) -> usize {
        self.carried.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::tests::entry;
    use crate::model::Kind;

    #[test]
    fn each_entry_keeps_its_codes_and_accounts_once_across_chunks() {
        let mut j = Journal::default();
        for n in 0..(CHUNK * 2 + 5) {
            let codes: &[&str] = match n % 3 {
                0 => &["live", "humour", "live"],
                1 => &["promo"],
                _ => &[],
            };
            let accounts: &[&str] = if n % 2 == 0 { &["a", "b", "a"] } else { &[] };
            j.entries.push(entry(
                &format!("e{n}"),
                "2026-03-14T21:05:00+07:00",
                Kind::Observation,
                accounts,
                codes,
            ));
        }
        j.entries[7].body = "one two".into();
        j.entries[7].code_span(0..3, &["emotive".to_string(), "promo".to_string()]);
        let keys = EntryKeys::of(&j);
        assert_eq!(keys.entries(), j.entries.len());
        for (i, e) in j.entries.iter().enumerate() {
            let codes: Vec<&str> = keys
                .carried(i)
                .iter()
                .map(|&n| keys.codes.name(n))
                .collect();
            assert_eq!(codes, e.carried_codes(), "entry {i}");
            let mut handles: Vec<&str> = e.accounts.iter().map(String::as_str).collect();
            handles.dedup();
            handles.retain({
                let mut seen = Vec::new();
                move |h| {
                    let new = !seen.contains(h);
                    seen.push(*h);
                    new
                }
            });
            let named: Vec<&str> = keys
                .accounts_of(i)
                .iter()
                .map(|&n| keys.accounts.name(n))
                .collect();
            assert_eq!(named, handles, "entry {i}");
        }
        assert_eq!(keys.codes.len(), 4);
    }
}
