//! Which entries to show: by account, codes (AND / OR / NOT), kind, dates and text.

use jiff::Timestamp;

use super::search::{Query, TextIndex};
use crate::model::{Entry, Journal, Kind};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The entry involves any of these accounts.
    pub accounts: Vec<String>,
    /// It carries every one of these codes.
    pub all_codes: Vec<String>,
    /// It carries at least one of these (when not empty).
    pub any_codes: Vec<String>,
    /// It carries none of these.
    pub not_codes: Vec<String>,
    /// It is of one of these kinds (when not empty).
    pub kinds: Vec<Kind>,
    /// Observed at or after.
    pub since: Option<Timestamp>,
    /// Observed before.
    pub until: Option<Timestamp>,
    /// Contains every word of this text.
    pub text: Query,
    /// Has at least one comment that is not resolved.
    pub open_comments: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Does `entry` pass every part of the filter except the text (which wants an index
    /// or a scan, see `apply`)?
    pub fn matches_fields(&self, e: &Entry) -> bool {
        (self.accounts.is_empty() || e.accounts.iter().any(|a| self.accounts.contains(a)))
            && self.all_codes.iter().all(|c| e.has_code(c))
            && (self.any_codes.is_empty() || self.any_codes.iter().any(|c| e.has_code(c)))
            && !self.not_codes.iter().any(|c| e.has_code(c))
            && (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self.since.is_none_or(|t| e.observed_at.timestamp >= t)
            && self.until.is_none_or(|t| e.observed_at.timestamp < t)
    }

    /// Indices of the matching entries of `journal`, oldest first. With an index the
    /// text part is a substring scan of pre-folded text; without one, it folds as it goes.
    pub fn apply(&self, journal: &Journal, index: Option<&TextIndex>) -> Vec<usize> {
        let open = self.open_comments.then(|| open_comment_entries(journal));
        journal
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| self.matches_fields(e))
            .filter(|(_, e)| open.as_ref().is_none_or(|set| set.contains(e.id.as_str())))
            .filter(|(i, e)| {
                self.text.is_empty()
                    || match index {
                        Some(ix) => ix.matches(*i, &self.text),
                        None => self.text.matches_entry(e),
                    }
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// A short description for a status bar: `@cindymakeup · live+authenticity · −promotion`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.accounts.is_empty() {
            parts.push(
                self.accounts
                    .iter()
                    .map(|a| format!("@{a}"))
                    .collect::<Vec<_>>()
                    .join("|"),
            );
        }
        if !self.all_codes.is_empty() {
            parts.push(self.all_codes.join("+"));
        }
        if !self.any_codes.is_empty() {
            parts.push(format!("({})", self.any_codes.join("|")));
        }
        for c in &self.not_codes {
            parts.push(format!("-{c}"));
        }
        if !self.kinds.is_empty() {
            parts.push(
                self.kinds
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
            );
        }
        if let Some(t) = self.since {
            parts.push(format!("from {}", t.strftime("%Y-%m-%d")));
        }
        if let Some(t) = self.until {
            parts.push(format!("before {}", t.strftime("%Y-%m-%d")));
        }
        if !self.text.is_empty() {
            parts.push(format!("\"{}\"", self.text.words.join(" ")));
        }
        if self.open_comments {
            parts.push("open comments".into());
        }
        parts.join(" · ")
    }
}

fn open_comment_entries(journal: &Journal) -> std::collections::HashSet<&str> {
    journal
        .comments
        .iter()
        .filter(|c| !c.resolved)
        .map(|c| c.entry.as_str())
        .collect()
}
