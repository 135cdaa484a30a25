//! Which codes appear together: for every pair of codes, the number of selected entries
//! carrying both. The diagonal holds each code's own count.

use std::collections::HashMap;

use serde::Serialize;

use super::Filter;
use super::matrix::{Header, code_axis};
use crate::model::Journal;

/// The most codes of one entry whose pairs are counted. An entry over it (which `check`
/// reports) still counts on the diagonal, but its pairs, which grow with the square of its
/// codes (100,000 codes: 5 billion pairs), are left out and the entry is named in
/// `skipped`.
pub const MAX_PAIRED_CODES: usize = crate::model::MAX_CODES_PER_ENTRY;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoOccurrence {
    /// The codes, in codebook display order (then codes outside the codebook).
    pub codes: Vec<Header>,
    /// `own[i]` = entries with code i (the diagonal).
    own: Vec<usize>,
    /// Sparse counts of pairs that occur, keyed by (a, b) with a < b: memory grows with
    /// the pairs that occur, never with codes squared.
    #[serde(skip)]
    together: HashMap<(u32, u32), usize>,
    /// Entries (indices) whose pairs were not counted: more than `MAX_PAIRED_CODES` codes.
    #[serde(skip)]
    pub skipped: Vec<usize>,
    /// The entries it was computed over.
    #[serde(skip)]
    selected: Vec<usize>,
}

/// One pair of different codes and how many entries carry both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub count: usize,
}

impl CoOccurrence {
    pub fn compute(journal: &Journal, filter: &Filter) -> CoOccurrence {
        CoOccurrence::of(journal, filter.apply(journal, None))
    }

    /// Over already selected entries (indices into `journal.entries`).
    pub fn of(journal: &Journal, selected: Vec<usize>) -> CoOccurrence {
        let codes = code_axis(journal, &selected);
        let index: HashMap<&str, u32> = codes
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i as u32))
            .collect();
        let mut own = vec![0; codes.len()];
        let mut together = HashMap::new();
        let mut skipped = Vec::new();
        let mut carried = Vec::new();
        for &i in &selected {
            carried.clear();
            carried.extend(
                journal.entries[i]
                    .carried_codes()
                    .into_iter()
                    .filter_map(|c| index.get(c).copied()),
            );
            carried.sort_unstable();
            carried.dedup();
            for &a in &carried {
                own[a as usize] += 1;
            }
            if carried.len() > MAX_PAIRED_CODES {
                skipped.push(i);
                continue;
            }
            for (k, &a) in carried.iter().enumerate() {
                for &b in &carried[k + 1..] {
                    *together.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
        CoOccurrence {
            codes,
            own,
            together,
            skipped,
            selected,
        }
    }

    /// Entries carrying both codes (`a == b`: entries carrying the code).
    pub fn count(&self, a: usize, b: usize) -> usize {
        if a == b {
            return self.own[a];
        }
        let key = (a.min(b) as u32, a.max(b) as u32);
        self.together.get(&key).copied().unwrap_or(0)
    }

    /// Every pair of different codes that occur together, most frequent first (ties in
    /// codebook order).
    pub fn pairs(&self) -> Vec<Pair> {
        let mut pairs: Vec<Pair> = self
            .together
            .iter()
            .map(|(&(a, b), &count)| Pair {
                a: a as usize,
                b: b as usize,
                count,
            })
            .collect();
        pairs.sort_by(|x, y| y.count.cmp(&x.count).then((x.a, x.b).cmp(&(y.a, y.b))));
        pairs
    }

    /// The rows of the full matrix, for tables, each made when it is reached (a full
    /// matrix of 10,000 codes would hold 100 million numbers).
    pub fn rows(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        let n = self.codes.len();
        (0..n).map(move |a| (0..n).map(|b| self.count(a, b)).collect())
    }

    /// Drill-down: the entries (indices, oldest first) that carry both codes.
    pub fn entries(&self, journal: &Journal, a: usize, b: usize) -> Vec<usize> {
        let (a, b) = (&self.codes[a].id, &self.codes[b].id);
        self.selected
            .iter()
            .copied()
            .filter(|&i| journal.entries[i].carries(a) && journal.entries[i].carries(b))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::tests::journal;

    #[test]
    fn counts_pairs_once_per_entry() {
        let mut j = journal();
        j.entries[1].codes.push("daily".into()); // a duplicate code counts once
        let co = CoOccurrence::compute(&j, &Filter::default());
        let ids: Vec<&str> = co.codes.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["daily", "promo", "live", "odd"]);
        assert_eq!(co.count(0, 0), 4);
        assert_eq!(co.count(0, 1), 1);
        assert_eq!(co.count(1, 0), 1);
        assert_eq!(co.count(0, 2), 1);
        assert_eq!(co.count(1, 3), 1);
        let pairs: Vec<(usize, usize, usize)> =
            co.pairs().iter().map(|p| (p.a, p.b, p.count)).collect();
        assert_eq!(pairs, [(0, 1, 1), (0, 2, 1), (1, 3, 1)]);
        let both: Vec<&str> = co
            .entries(&j, 0, 2)
            .iter()
            .map(|&i| j.entries[i].id.as_str())
            .collect();
        assert_eq!(both, ["e3"]);
        assert_eq!(co.rows().count(), 4);
        assert!(co.skipped.is_empty());
    }

    #[test]
    fn an_entry_with_absurdly_many_codes_counts_alone_without_pairs() {
        let mut j = journal();
        let many: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
        j.entries[0].codes.extend(many);
        let co = CoOccurrence::compute(&j, &Filter::default());
        assert!(co.codes.len() > 100_000);
        // Sparse: only the pairs of ordinary entries are held, not codes squared.
        assert!(co.together.len() < 10, "{}", co.together.len());
        assert_eq!(co.skipped, [0]);
        let c9 = co.codes.iter().position(|h| h.id == "c9").unwrap();
        assert_eq!(co.count(c9, c9), 1);
        assert_eq!(co.count(0, c9), 0);
        assert!(!co.pairs().is_empty());
    }
}
