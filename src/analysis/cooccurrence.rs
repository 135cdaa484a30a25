//! Which codes appear together: for every pair of codes, the number of selected entries
//! carrying both. The diagonal holds each code's own count.

use std::collections::HashMap;

use serde::Serialize;

use super::Filter;
use super::matrix::{Header, code_axis};
use crate::model::Journal;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoOccurrence {
    /// The codes, in codebook display order (then codes outside the codebook).
    pub codes: Vec<Header>,
    /// Symmetric, `codes.len()` squared, row-major; `counts[i][i]` = entries with code i.
    counts: Vec<usize>,
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
        let index: HashMap<&str, usize> = codes
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();
        let n = codes.len();
        let mut counts = vec![0; n * n];
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
            for (k, &a) in carried.iter().enumerate() {
                for &b in &carried[k..] {
                    counts[a * n + b] += 1;
                    if a != b {
                        counts[b * n + a] += 1;
                    }
                }
            }
        }
        CoOccurrence {
            codes,
            counts,
            selected,
        }
    }

    /// Entries carrying both codes (`a == b`: entries carrying the code).
    pub fn count(&self, a: usize, b: usize) -> usize {
        self.counts[a * self.codes.len() + b]
    }

    /// Every pair of different codes that occur together, most frequent first (ties in
    /// codebook order).
    pub fn pairs(&self) -> Vec<Pair> {
        let n = self.codes.len();
        let mut pairs: Vec<Pair> = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| Pair {
                a,
                b,
                count: self.count(a, b),
            })
            .filter(|p| p.count > 0)
            .collect();
        pairs.sort_by(|x, y| y.count.cmp(&x.count).then((x.a, x.b).cmp(&(y.a, y.b))));
        pairs
    }

    /// The rows of the full matrix, for tables.
    pub fn rows(&self) -> impl Iterator<Item = &[usize]> {
        self.counts.chunks(self.codes.len().max(1))
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
    }
}
