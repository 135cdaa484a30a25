use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Account, Codebook, Comment, Entry, Moment, entry_id};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GitSettings {
    pub autocommit: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportSettings {
    /// Hashtag (without `#`) -> code id, applied on import.
    pub hashtags: BTreeMap<String, String>,
}

/// `journal.toml`: the file that marks a journal's root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub format: u32,
    pub title: String,
    pub researchers: Vec<String>,
    /// IANA name; the zone typed times are read in and new entries are stamped with.
    pub timezone: String,
    pub git: GitSettings,
    pub import: ImportSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            format: 1,
            title: String::new(),
            researchers: Vec::new(),
            timezone: "UTC".to_string(),
            git: GitSettings::default(),
            import: ImportSettings::default(),
        }
    }
}

impl Settings {
    /// The journal's time zone; an unknown name falls back to UTC (`check` reports it).
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }

    /// The journal's own name for whoever writes in it: its first researcher, else
    /// `researcher`. (The command line looks further first: `--as`, then this, then
    /// git's user name; see `cli::author_name`.)
    pub fn first_researcher(&self) -> String {
        self.researchers
            .iter()
            .map(|r| super::text::one_line(r))
            .find(|r| !r.is_empty())
            .unwrap_or_else(|| UNNAMED_AUTHOR.to_string())
    }
}

/// The author of what a journal with no researcher named and no other clue gets.
pub const UNNAMED_AUTHOR: &str = "researcher";

/// Everything a journal holds, in memory. Entries are kept sorted by `observed_at`
/// (oldest first) so timelines and date filters need no sorting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Journal {
    pub settings: Settings,
    pub codebook: Codebook,
    pub accounts: Vec<Account>,
    pub entries: Vec<Entry>,
    pub comments: Vec<Comment>,
}

impl Journal {
    /// The account with this handle. Handles match case-insensitively (`Sari.Beauty` and
    /// `sari.beauty` are one account); an exact spelling wins when both exist.
    pub fn account(&self, handle: &str) -> Option<&Account> {
        let accounts = &self.accounts;
        accounts.iter().find(|a| a.handle == handle).or_else(|| {
            accounts
                .iter()
                .find(|a| a.handle.eq_ignore_ascii_case(handle))
        })
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn entry_index(&self, id: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.id == id)
    }

    /// Entries whose id starts with `prefix`, so people can type `20260314-2105`.
    pub fn entries_with_prefix(&self, prefix: &str) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.id.starts_with(prefix))
            .collect()
    }

    /// An id for a new entry observed at `at` that no entry has and `taken` does not
    /// refuse. Entries of one second sort by id, so the id's last part counts up from
    /// the highest one that second already has: entries typed in the same second keep
    /// the order they were made in. The first of a second starts at `random`, kept in the
    /// lower half so that there is room to count up.
    pub fn new_entry_id(&self, at: &Moment, random: u16, taken: impl Fn(&str) -> bool) -> String {
        let prefix = &entry_id(at, 0)[..15];
        let second = at.timestamp.as_second();
        let start = self
            .entries
            .partition_point(|e| e.observed_at.timestamp.as_second() < second);
        let latest = self.entries[start..]
            .iter()
            .take_while(|e| e.observed_at.timestamp.as_second() == second)
            .filter_map(|e| e.id.strip_prefix(prefix))
            .filter_map(|salt| u16::from_str_radix(salt.strip_prefix('-')?, 16).ok())
            .max();
        let mut salt = latest.map_or(random & 0x7fff, |s| s.wrapping_add(1));
        loop {
            let id = entry_id(at, salt);
            if self.entry(&id).is_none() && !taken(&id) {
                return id;
            }
            salt = salt.wrapping_add(1);
        }
    }

    /// Put an entry in its place by `observed_at`, replacing the one with the same id.
    /// Returns its index.
    pub fn upsert_entry(&mut self, entry: Entry) -> usize {
        if let Some(i) = self.entry_index(&entry.id) {
            if self.entries[i].observed_at == entry.observed_at {
                self.entries[i] = entry;
                return i;
            }
            self.entries.remove(i);
        }
        let at = self
            .entries
            .partition_point(|e| (e.observed_at, &e.id) <= (entry.observed_at, &entry.id));
        self.entries.insert(at, entry);
        at
    }

    /// In time order, then by id. Ids are unique, so an unstable sort gives the same
    /// order as a stable one without its scratch copy of every entry (a fifth of a
    /// `list`'s peak memory at 100k); entries loaded in path order mostly are sorted.
    pub fn sort_entries(&mut self) {
        fn key(e: &Entry) -> (Moment, &str) {
            (e.observed_at, &e.id)
        }
        if !self.entries.is_sorted_by(|a, b| key(a) <= key(b)) {
            self.entries.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        }
    }

    pub fn comments_on<'a>(&'a self, entry_id: &'a str) -> impl Iterator<Item = &'a Comment> + 'a {
        self.comments.iter().filter(move |c| c.entry == entry_id)
    }
}
