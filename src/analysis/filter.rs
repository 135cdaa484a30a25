//! Which entries to show: by account, codes (AND / OR / NOT), kind, dates and text.

use jiff::Timestamp;
use rayon::prelude::*;

use super::search::{Query, TextIndex};
use crate::model::time::describe_range;
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
            && self.all_codes.iter().all(|c| e.carries(c))
            && (self.any_codes.is_empty() || self.any_codes.iter().any(|c| e.carries(c)))
            && !self.not_codes.iter().any(|c| e.carries(c))
            && (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self.since.is_none_or(|t| e.observed_at.timestamp >= t)
            && self.until.is_none_or(|t| e.observed_at.timestamp < t)
    }

    /// Indices of the matching entries of `journal`, oldest first. With an index the
    /// text part is a substring scan of pre-folded text; without one, it folds as it goes.
    pub fn apply(&self, journal: &Journal, index: Option<&TextIndex>) -> Vec<usize> {
        if self.is_empty() {
            // Everything: no need to look at 100,000 entries to know.
            return (0..journal.entries.len()).collect();
        }
        let open = self.open_comments.then(|| open_comment_entries(journal));
        // In parallel: at 100,000 entries a search scans some 100 MB of text, and a
        // keystroke's frame must not wait for one core to do it alone.
        journal
            .entries
            .par_iter()
            .enumerate()
            .filter(|(_, e)| self.matches_fields(e))
            .filter(|(_, e)| open.as_ref().is_none_or(|set| set.contains(e.id.as_str())))
            .filter(|(i, e)| {
                self.text.is_empty()
                    || match index {
                        Some(ix) => ix.matches(*i, e, &self.text),
                        None => self.text.matches_entry(e),
                    }
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// A short description for a status bar: `@cindymakeup · live+authenticity · −promotion`,
    /// with dates in the journal's zone `tz` as they were typed.
    pub fn describe(&self, tz: &jiff::tz::TimeZone) -> String {
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
        parts.extend(describe_range(self.since, self.until, tz));
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

/// The filter bar's language, one term per word:
/// `@handle` an account (several: any of them) · `live` or `+live` a code that must be
/// there · `|duet` one of several codes · `-promotion` or `!promotion` a code that must
/// not be · `kind:content` (a prefix will do) · `since:2026-03-01`, `until:2026-03-31`
/// (dates or times as `add --at` takes them) · `open` entries with open comments.
/// Codes may be given by id, key or name; unknown names are errors with suggestions.
pub fn parse_query(
    text: &str,
    journal: &Journal,
    tz: &jiff::tz::TimeZone,
    now: Timestamp,
) -> Result<Filter, String> {
    use super::names::{resolve_account, resolve_code};
    let mut f = Filter::default();
    let code = |name: &str| resolve_code(journal, name).map_err(|e| e.to_string());
    use crate::model::time::{parse_until, parse_when};
    for word in text.split_whitespace() {
        if let Some(handle) = word.strip_prefix('@') {
            f.accounts
                .push(resolve_account(journal, handle).map_err(|e| e.to_string())?);
        } else if let Some(c) = word.strip_prefix('|') {
            f.any_codes.push(code(c)?);
        } else if let Some(c) = word.strip_prefix('-').or_else(|| word.strip_prefix('!')) {
            f.not_codes.push(code(c)?);
        } else if let Some(k) = word.strip_prefix("kind:") {
            f.kinds.push(
                k.parse()
                    .map_err(|e: crate::model::UnknownKind| e.to_string())?,
            );
        } else if let Some(s) = word
            .strip_prefix("since:")
            .or_else(|| word.strip_prefix("from:"))
        {
            f.since = Some(parse_when(s, tz, now).map_err(|e| e.to_string())?.timestamp);
        } else if let Some(u) = word
            .strip_prefix("until:")
            .or_else(|| word.strip_prefix("to:"))
        {
            f.until = Some(parse_until(u, tz, now).map_err(|e| e.to_string())?);
        } else if word == "open" {
            f.open_comments = true;
        } else if word.contains('|') {
            for c in word.split('|').filter(|c| !c.is_empty()) {
                f.any_codes.push(code(c)?);
            }
        } else {
            f.all_codes.push(code(word.trim_start_matches('+'))?);
        }
    }
    f.check_range(tz)?;
    Ok(f)
}

impl Filter {
    /// A range that ends before it begins selects nothing: say so instead of showing an
    /// empty list as if the journal held nothing.
    pub fn check_range(&self, tz: &jiff::tz::TimeZone) -> Result<(), String> {
        match (self.since, self.until) {
            (Some(since), Some(until)) if since >= until => Err(format!(
                "the range is empty: {} comes after {}",
                describe_range(Some(since), None, tz).join(""),
                describe_range(None, Some(until), tz).join("")
            )),
            _ => Ok(()),
        }
    }

    /// The filter in the filter bar's language (without the text search), so an active
    /// filter can be edited again.
    pub fn to_query(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        words.extend(self.accounts.iter().map(|a| format!("@{a}")));
        words.extend(self.all_codes.iter().cloned());
        words.extend(self.any_codes.iter().map(|c| format!("|{c}")));
        words.extend(self.not_codes.iter().map(|c| format!("-{c}")));
        words.extend(self.kinds.iter().map(|k| format!("kind:{k}")));
        if let Some(t) = self.since {
            words.push(format!("since:{}", t.strftime("%Y-%m-%dT%H:%M:%S%:z")));
        }
        if let Some(t) = self.until {
            words.push(format!("until:{}", t.strftime("%Y-%m-%dT%H:%M:%S%:z")));
        }
        if self.open_comments {
            words.push("open".into());
        }
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Account, Code, Codebook, Entry, Moment};

    fn journal() -> Journal {
        let code = |id: &str, key: &str| Code {
            id: id.into(),
            name: id.replace('-', " "),
            key: key.into(),
            ..Code::default()
        };
        let mut j = Journal {
            codebook: Codebook {
                groups: vec![],
                codes: vec![
                    code("live", "5"),
                    code("daily-life", "1"),
                    code("promotion", ""),
                    code("duet", ""),
                ],
            },
            accounts: vec![Account {
                handle: "cindymakeup".into(),
                ..Account::default()
            }],
            ..Journal::default()
        };
        for (i, codes) in [
            vec!["live"],
            vec!["live", "daily-life"],
            vec!["duet", "promotion"],
            vec![],
        ]
        .into_iter()
        .enumerate()
        {
            let at = Moment::new(
                Timestamp::from_second(1_773_000_000 + i as i64 * 86_400).unwrap(),
                jiff::tz::Offset::constant(7),
            );
            let mut e = Entry::new(format!("e{i}"), at, at);
            e.codes = codes.into_iter().map(String::from).collect();
            if i < 2 {
                e.accounts.push("cindymakeup".into());
            }
            j.entries.push(e);
        }
        j
    }

    fn ids(j: &Journal, query: &str) -> Vec<String> {
        let f = parse_query(query, j, &jiff::tz::TimeZone::UTC, Timestamp::now()).unwrap();
        f.apply(j, None)
            .into_iter()
            .map(|i| j.entries[i].id.clone())
            .collect()
    }

    #[test]
    fn and_or_not_compose() {
        let j = journal();
        assert_eq!(ids(&j, "live"), ["e0", "e1"]);
        assert_eq!(ids(&j, "live +daily-life"), ["e1"]);
        assert_eq!(ids(&j, "5 1"), ["e1"], "keys work as names");
        assert_eq!(ids(&j, "|daily-life |duet"), ["e1", "e2"]);
        assert_eq!(ids(&j, "daily-life|duet"), ["e1", "e2"]);
        assert_eq!(ids(&j, "-live"), ["e2", "e3"]);
        assert_eq!(ids(&j, "@Cindymakeup -daily-life"), ["e0"]);
        assert_eq!(ids(&j, "kind:obs"), ["e0", "e1", "e2", "e3"]);
        assert_eq!(ids(&j, ""), ["e0", "e1", "e2", "e3"]);
    }

    #[test]
    fn dates_are_inclusive_days() {
        let j = journal();
        // The query is read in UTC, so take the day as UTC sees it.
        let first = jiff::tz::Offset::UTC
            .to_datetime(j.entries[1].observed_at.timestamp)
            .date();
        assert_eq!(ids(&j, &format!("since:{first} until:{first}")), ["e1"]);
    }

    #[test]
    fn mistakes_are_explained() {
        let j = journal();
        let err = parse_query("liev", &j, &jiff::tz::TimeZone::UTC, Timestamp::now()).unwrap_err();
        assert!(err.contains("did you mean `live`"), "{err}");
        assert!(parse_query("kind:zzz", &j, &jiff::tz::TimeZone::UTC, Timestamp::now()).is_err());
    }

    #[test]
    fn queries_round_trip() {
        let j = journal();
        let tz = jiff::tz::TimeZone::UTC;
        let f = parse_query(
            "@cindymakeup live |duet -promotion kind:memo since:2026-03-01 open",
            &j,
            &tz,
            Timestamp::now(),
        )
        .unwrap();
        let again = parse_query(&f.to_query(), &j, &tz, Timestamp::now()).unwrap();
        assert_eq!(f, again);
    }
}
