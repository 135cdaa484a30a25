//! The accounts an import touches: created, completed, and their follower history.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;

use super::super::Post;
use crate::model::{Account, FollowerPoint, Journal, Platform};

use super::plan::{AccountUpdate, Followers};

/// The accounts an import touches, and what becomes of each.
pub(super) struct AccountPlanner<'a> {
    journal: &'a Journal,
    /// Lowercased handle -> index in `journal.accounts`.
    by_handle: HashMap<String, usize>,
    /// Lowercased handle -> what the input says of that account.
    touched: BTreeMap<String, Touched>,
}

struct Touched {
    /// The handle as the journal spells it (or the first post, for a new account).
    handle: String,
    /// The account's platform: the journal's, or that of its first post.
    platform: Platform,
    /// The newest display name seen, with its capture time.
    display_name: (Option<Timestamp>, String),
    /// Posts of another platform filed under this handle.
    foreign: BTreeMap<&'static str, usize>,
}

impl<'a> AccountPlanner<'a> {
    pub(super) fn new(journal: &'a Journal) -> Self {
        let mut by_handle = HashMap::new();
        for (i, a) in journal.accounts.iter().enumerate() {
            // An exact spelling wins over another account differing only in case.
            let key = a.handle.to_lowercase();
            if a.handle == key || !by_handle.contains_key(&key) {
                by_handle.insert(key, i);
            }
        }
        AccountPlanner {
            journal,
            by_handle,
            touched: BTreeMap::new(),
        }
    }

    /// Note that `post` is by its author; returns the handle its entry names.
    pub(super) fn touch(&mut self, post: &Post) -> String {
        let key = post.handle.to_lowercase();
        let journal = self.journal;
        let existing = self.by_handle.get(&key).map(|&i| &journal.accounts[i]);
        let t = self.touched.entry(key).or_insert_with(|| Touched {
            handle: existing.map_or_else(|| post.handle.clone(), |a| a.handle.clone()),
            platform: existing.map_or(post.platform, |a| a.platform),
            display_name: (None, String::new()),
            foreign: BTreeMap::new(),
        });
        if post.platform != t.platform {
            *t.foreign.entry(post.platform.as_str()).or_insert(0) += 1;
        } else if !post.display_name.trim().is_empty() && post.captured >= t.display_name.0 {
            t.display_name = (post.captured, post.display_name.trim().to_string());
        }
        t.handle.clone()
    }

    /// `given`: follower counts timed only by `--captured-at`; they join a history only
    /// before its first point, never after a count whose day came from the data.
    pub(super) fn finish(
        self,
        followers: &Followers,
        given: &Followers,
    ) -> (Vec<Account>, Vec<AccountUpdate>, Vec<String>) {
        let (mut new, mut updates, mut notes) = (Vec::new(), Vec::new(), Vec::new());
        for (key, t) in self.touched {
            for (platform, n) in &t.foreign {
                notes.push(format!(
                    "@{} is a {} account; {n} {platform} post{} by @{} were filed under it (rename one of the accounts if they are different people)",
                    t.handle,
                    t.platform.as_str(),
                    if *n == 1 { "" } else { "s" },
                    t.handle,
                ));
            }
            // Only counts from the account's own platform join its follower history.
            let observed = followers.get(&(key.clone(), t.platform));
            let observed_given = given.get(&(key.clone(), t.platform));
            match self.by_handle.get(&key) {
                Some(&index) => {
                    let before = &self.journal.accounts[index];
                    let mut account = before.clone();
                    let mut changes = Vec::new();
                    if account.display_name.is_empty() && !t.display_name.1.is_empty() {
                        account.display_name = t.display_name.1.clone();
                        changes.push(format!("display name \"{}\"", account.display_name));
                    }
                    if account.url.is_empty() {
                        account.url = account.platform.profile_url(&account.handle);
                        if !account.url.is_empty() {
                            changes.push(format!("url {}", account.url));
                        }
                    }
                    changes.extend(merge_followers(&mut account.followers, observed));
                    changes.extend(merge_given_followers(
                        &mut account.followers,
                        observed_given,
                    ));
                    if account != *before {
                        updates.push(AccountUpdate {
                            index,
                            account,
                            changes,
                        });
                    }
                }
                None => {
                    let mut account = Account {
                        url: t.platform.profile_url(&t.handle),
                        handle: t.handle,
                        platform: t.platform,
                        display_name: t.display_name.1,
                        ..Account::default()
                    };
                    merge_followers(&mut account.followers, observed);
                    merge_given_followers(&mut account.followers, observed_given);
                    new.push(account);
                }
            }
        }
        (new, updates, notes)
    }
}

/// Add the observed follower counts to `history` (kept in date order): one point per
/// capture day, unless the day already has one or the count equals the point before.
pub(super) fn merge_followers(
    history: &mut Vec<FollowerPoint>,
    observed: Option<&BTreeMap<Date, (Timestamp, u64)>>,
) -> Vec<String> {
    let mut changes = Vec::new();
    for (&date, &(_, count)) in observed.into_iter().flatten() {
        if history.iter().any(|p| p.date == date) {
            continue;
        }
        let at = history.partition_point(|p| p.date < date);
        if at > 0 && history[at - 1].count == count {
            continue;
        }
        history.insert(at, FollowerPoint { date, count });
        changes.push(format!("followers {date}: {count}"));
    }
    changes
}

/// Add follower counts timed by hand (`--captured-at`): only those dated before the
/// history's first point, since a later day might be the download, not the capture.
fn merge_given_followers(
    history: &mut Vec<FollowerPoint>,
    observed: Option<&BTreeMap<Date, (Timestamp, u64)>>,
) -> Vec<String> {
    let first = history.first().map(|p| p.date);
    let before_first: BTreeMap<Date, (Timestamp, u64)> = observed
        .into_iter()
        .flatten()
        .filter(|(date, _)| first.is_none_or(|f| **date < f))
        .map(|(d, v)| (*d, *v))
        .collect();
    merge_followers(history, Some(&before_first))
}
