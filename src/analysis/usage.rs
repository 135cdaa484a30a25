//! How much each code and each account is used: the counts beside the codebook and the
//! accounts, on screen and on the command line. One pass over the entries each.

use std::collections::HashMap;

use crate::model::{Journal, Kind, Moment};

/// How many entries carry each code (by code id).
pub fn code_counts(journal: &Journal) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for e in &journal.entries {
        for c in e.carried_codes() {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}

/// How many passages carry each code (by code id): an entry with three passages coded
/// `humour` counts once in `code_counts` and three times here.
pub fn passage_counts(journal: &Journal) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for e in &journal.entries {
        for p in &e.passages {
            for c in &p.codes {
                *counts.entry(c.as_str()).or_insert(0) += 1;
            }
        }
    }
    counts
}

/// One account's entries: how many of each kind (in `Kind::ALL` order), and when the
/// latest was observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountUsage {
    pub by_kind: [usize; 4],
    pub last: Option<Moment>,
}

impl AccountUsage {
    pub fn entries(&self) -> usize {
        self.by_kind.iter().sum()
    }
}

/// Code counts and account usage of a whole journal, owned, so that a screen can keep
/// them between frames (at 100,000 entries counting takes longer than a frame).
#[derive(Clone, Debug, Default)]
pub struct Usage {
    pub codes: HashMap<String, usize>,
    pub passages: HashMap<String, usize>,
    pub accounts: HashMap<String, AccountUsage>,
}

impl Usage {
    pub fn of(journal: &Journal) -> Usage {
        Usage {
            codes: owned(code_counts(journal)),
            passages: owned(passage_counts(journal)),
            accounts: owned(account_usage(journal)),
        }
    }

    pub fn code(&self, id: &str) -> usize {
        self.codes.get(id).copied().unwrap_or(0)
    }

    /// How many passages carry code `id`.
    pub fn passages(&self, id: &str) -> usize {
        self.passages.get(id).copied().unwrap_or(0)
    }

    pub fn account(&self, handle: &str) -> AccountUsage {
        self.accounts.get(handle).copied().unwrap_or_default()
    }
}

fn owned<V>(borrowed: HashMap<&str, V>) -> HashMap<String, V> {
    borrowed
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// The usage of every account that entries name (by handle).
pub fn account_usage(journal: &Journal) -> HashMap<&str, AccountUsage> {
    let mut usage: HashMap<&str, AccountUsage> = HashMap::new();
    for e in &journal.entries {
        let kind = Kind::ALL.iter().position(|k| *k == e.kind).unwrap_or(0);
        for a in &e.accounts {
            let u = usage.entry(a.as_str()).or_default();
            u.by_kind[kind] += 1;
            u.last = u.last.max(Some(e.observed_at));
        }
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::tests::entry;

    #[test]
    fn counts_codes_and_accounts_by_kind_with_the_latest_observation() {
        let journal = Journal {
            entries: vec![
                entry(
                    "a",
                    "2026-03-01T10:00:00+07:00",
                    Kind::Content,
                    &["x"],
                    &["live", "humour"],
                ),
                entry(
                    "b",
                    "2026-03-05T10:00:00+07:00",
                    Kind::Observation,
                    &["x", "y"],
                    &["live"],
                ),
                entry("c", "2026-03-03T10:00:00+07:00", Kind::Content, &["x"], &[]),
            ],
            ..Journal::default()
        };
        let codes = code_counts(&journal);
        assert_eq!((codes["live"], codes["humour"], codes.len()), (2, 1, 2));
        let usage = account_usage(&journal);
        let x = usage["x"];
        assert_eq!(x.by_kind, [1, 2, 0, 0]);
        assert_eq!(x.entries(), 3);
        assert_eq!(x.last, Some(journal.entries[1].observed_at));
        assert_eq!(usage["y"].entries(), 1);
        assert!(!usage.contains_key("z"));
    }
}
