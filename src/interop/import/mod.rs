//! Merging captured posts into a journal: `plan` works out what would change (pure, no
//! I/O), `apply` writes it through the store.
//!
//! The rules (docs/import.md tells them to researchers):
//! - A post is matched to an entry by `source_id` (`tiktok:<id>`, `instagram:<code>`);
//!   a post seen several times in the input counts once, its newest complete capture.
//! - A new post becomes a `content` entry: observed when published, the author as its
//!   account, title and body from the caption, codes from `[import.hashtags]`, metrics
//!   and their capture time.
//! - An existing entry only ever gets newer metrics: counts from a capture newer than
//!   its `metrics_at` (or when it has none). What the researcher owns — title, body,
//!   codes, screenshots, informant, `replied_comments` — is left alone, except that an
//!   entry created from a capture without a caption gets the caption once one is seen,
//!   and `--apply-mapping` adds newly mapped codes.
//! - Accounts are created (platform, display name, profile URL) or completed (empty
//!   display name and URL filled); a follower count becomes a point dated by the
//!   capture day, unless that day already has one or the count equals the point before.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Counts, Post};
use crate::model::{Account, Entry, FollowerPoint, Journal, Kind, Moment, Platform};
use crate::store::{Store, StoreError};

/// Which posts to import, and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Only posts of this platform.
    pub platform: Option<Platform>,
    /// Only posts by these handles (any case, `@` optional); empty: all.
    pub accounts: Vec<String>,
    /// Only posts published at or after this instant.
    pub since: Option<Timestamp>,
    /// Only posts published before this instant.
    pub until: Option<Timestamp>,
    /// The capture time of captures that carry none (4CAT's CSV).
    pub captured_at: Option<Timestamp>,
    /// Add newly mapped hashtag codes to existing entries too.
    pub apply_mapping: bool,
    /// Import posts whose author 4CAT pseudonymised (a hash for a handle) as new
    /// entries, under accounts named by the hashes.
    pub pseudonymised: bool,
    /// The time new entries are recorded at.
    pub now: Timestamp,
}

impl Options {
    pub fn new(now: Timestamp) -> Options {
        Options {
            platform: None,
            accounts: Vec::new(),
            since: None,
            until: None,
            captured_at: None,
            apply_mapping: false,
            pseudonymised: false,
            now,
        }
    }

    fn selects(&self, post: &Post) -> bool {
        let created = post.created.unwrap_or(Timestamp::UNIX_EPOCH);
        self.platform.is_none_or(|p| p == post.platform)
            && (self.accounts.is_empty()
                || self.accounts.iter().any(|a| {
                    a.trim()
                        .trim_start_matches('@')
                        .eq_ignore_ascii_case(&post.handle)
                }))
            && self.since.is_none_or(|t| created >= t)
            && self.until.is_none_or(|t| created < t)
    }
}

/// An existing entry and what it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryUpdate {
    /// Its index in `journal.entries` when planned.
    pub index: usize,
    pub entry: Entry,
    /// What changes, for people: `views 29400 → 47890`.
    pub changes: Vec<String>,
}

/// An existing account and what it becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountUpdate {
    pub index: usize,
    pub account: Account,
    pub changes: Vec<String>,
}

/// What an import would change.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// New entries, oldest first, without ids yet (`apply` gives them theirs).
    pub new_entries: Vec<Entry>,
    pub updates: Vec<EntryUpdate>,
    /// Posts already in the journal with nothing newer to say.
    pub unchanged: usize,
    pub new_accounts: Vec<Account>,
    pub account_updates: Vec<AccountUpdate>,
    /// Distinct posts selected.
    pub posts: usize,
    /// Captures left out by the options (platform, account, dates).
    pub filtered: usize,
    /// Captures of a post that a newer (or more complete) capture replaced.
    pub superseded: usize,
    /// Existing entries whose counts carry a capture time from the data, left as they
    /// are by captures timed only by `--captured-at` (a time given by hand may be the
    /// download day, later than the real capture).
    pub kept_dated: usize,
    /// New entries whose time is only estimated from the post id (no publication time
    /// in the capture); a later capture with the time corrects them.
    pub estimated: usize,
    /// New posts left out because their author is a pseudonym (a hash), see
    /// [`Options::pseudonymised`].
    pub pseudonymised: usize,
    /// Hashtags no mapping covers, with the number of posts carrying each, most first.
    pub unmapped: Vec<(String, usize)>,
    /// Things the researcher should know: a mapping to an unknown code, a handle that
    /// is another platform's account in the journal.
    pub notes: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.new_entries.is_empty()
            && self.updates.is_empty()
            && self.new_accounts.is_empty()
            && self.account_updates.is_empty()
    }
}

/// Work out what importing `posts` into `journal` would change.
pub fn plan(journal: &Journal, posts: Vec<Post>, options: &Options) -> Plan {
    let tz = journal.settings.time_zone();
    let mut plan = Plan::default();
    let (mapping, notes) = hashtag_mapping(journal);
    plan.notes = notes;

    // Keep the captures asked for; remember every follower count they carry.
    let mut selected: Vec<Post> = Vec::with_capacity(posts.len());
    for post in posts {
        if options.selects(&post) {
            selected.push(post);
        } else {
            plan.filtered += 1;
        }
    }
    // Follower counts timed by their data, and those timed only by --captured-at.
    let (mut followers, mut given): (Followers, Followers) = (HashMap::new(), HashMap::new());
    for post in &selected {
        let (Some(count), Some(at)) = (post.followers, post.captured.or(options.captured_at))
        else {
            continue;
        };
        let day = tz.to_datetime(at).date();
        let by_day = if post.captured.is_some() {
            &mut followers
        } else {
            &mut given
        }
        .entry((post.handle.to_lowercase(), post.platform))
        .or_default();
        let point = by_day.entry(day).or_insert((at, count));
        if at >= point.0 {
            *point = (at, count);
        }
    }

    // One capture per post: the best one.
    let mut chosen: Vec<Post> = Vec::with_capacity(selected.len());
    let mut by_source: HashMap<String, usize> = HashMap::with_capacity(selected.len());
    for post in selected {
        match by_source.get(&post.source_id()) {
            Some(&i) => {
                plan.superseded += 1;
                if replaces(&post, &chosen[i]) {
                    chosen[i] = post;
                }
            }
            None => {
                by_source.insert(post.source_id(), chosen.len());
                chosen.push(post);
            }
        }
    }
    chosen.sort_by(|a, b| (a.created, &a.post_id).cmp(&(b.created, &b.post_id)));
    plan.posts = chosen.len();

    let existing: HashMap<&str, usize> = journal
        .entries
        .iter()
        .enumerate()
        .rev() // the first entry with a source id wins
        .filter(|(_, e)| !e.source_id.is_empty())
        .map(|(i, e)| (e.source_id.as_str(), i))
        .collect();
    let mut accounts = AccountPlanner::new(journal);
    let mut unmapped: HashMap<String, usize> = HashMap::new();
    let recorded_at = Moment::in_zone(whole_seconds(options.now), &tz);

    for post in &chosen {
        // A hashed author is no one's account: it never makes or changes one, and its
        // new posts wait for the researcher to ask (`--pseudonymised`).
        let hashed = post.author_is_hashed();
        let known = existing.contains_key(post.source_id().as_str());
        if hashed && !known && !options.pseudonymised {
            plan.pseudonymised += 1;
            continue;
        }
        let codes = mapped_codes(post, &mapping, &mut unmapped);
        let handle = if hashed && known {
            String::new()
        } else {
            accounts.touch(post)
        };
        // Stored to the second: compare what will be stored, or a re-import of the
        // same capture would look newer than itself.
        let metrics_at = post
            .captured
            .or(options.captured_at)
            .map(|t| Moment::in_zone(whole_seconds(t), &tz));
        match existing.get(post.source_id().as_str()) {
            Some(&index) => {
                let before = &journal.entries[index];
                let mut entry = before.clone();
                let stored_dated = before
                    .metrics
                    .as_ref()
                    .is_some_and(|m| m.metrics_at.is_some());
                let mut changes = correct_estimate(&mut entry, post, &tz);
                changes.extend(if post.captured.is_none() && stored_dated {
                    // Only a time given by hand: it cannot be weighed against one from
                    // the data, so it never replaces (or re-dates) those counts.
                    if !post.counts.is_empty() {
                        plan.kept_dated += 1;
                    }
                    Vec::new()
                } else {
                    update_metrics(&mut entry, &post.counts, metrics_at)
                });
                if entry.title.is_empty() && entry.body.is_empty() && !post.caption.is_empty() {
                    entry.title = title_of(&post.caption);
                    entry.body = post.caption.clone();
                    changes.push("title and body from the caption".into());
                    changes.extend(add_codes(&mut entry, &codes));
                } else if options.apply_mapping {
                    changes.extend(add_codes(&mut entry, &codes));
                }
                if entry == *before {
                    plan.unchanged += 1;
                } else {
                    plan.updates.push(EntryUpdate {
                        index,
                        entry,
                        changes,
                    });
                }
            }
            None => {
                let observed_at =
                    Moment::in_zone(post.created.expect("parsers keep only dated posts"), &tz);
                let mut entry = Entry::new(String::new(), observed_at, recorded_at);
                entry.kind = Kind::Content;
                entry.accounts = vec![handle];
                entry.codes = codes;
                entry.title = title_of(&post.caption);
                entry.url = post.url();
                entry.source_id = post.source_id();
                entry.body = post.caption.clone();
                update_metrics(&mut entry, &post.counts, metrics_at);
                plan.estimated += usize::from(post.created_estimated);
                plan.new_entries.push(entry);
            }
        }
    }

    let (new_accounts, account_updates, notes) = accounts.finish(&followers, &given);
    plan.new_accounts = new_accounts;
    plan.account_updates = account_updates;
    plan.notes.extend(notes);
    plan.unmapped = unmapped.into_iter().collect();
    plan.unmapped
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    plan
}

/// Correct an entry dated by an estimate from the post id once a capture carries the
/// real publication time. The estimate is recognised by recomputing it: an entry whose
/// `observed_at` is exactly the second the id holds was dated by an import, not by a
/// person, so nothing on disk needs to mark it. The entry keeps its id and file: ids
/// never change (docs/format.md), so comments and links keep pointing at it.
fn correct_estimate(entry: &mut Entry, post: &Post, tz: &jiff::tz::TimeZone) -> Vec<String> {
    let (Some(real), Some(id_time), false) = (post.created, post.id_time, post.created_estimated)
    else {
        return Vec::new();
    };
    let observed = entry.observed_at.timestamp.as_second();
    if observed != id_time.as_second() || real.as_second() == observed {
        return Vec::new();
    }
    let before = entry.observed_at.short();
    entry.observed_at = Moment::in_zone(whole_seconds(real), tz);
    vec![format!(
        "observed_at {before} → {} (the capture's publication time replaces the estimate from the post id)",
        entry.observed_at.short()
    )]
}

fn whole_seconds(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// Follower counts seen, by (lowercased handle, platform) and capture day: the newest
/// capture of the day and its count.
type Followers = HashMap<(String, Platform), BTreeMap<Date, (Timestamp, u64)>>;

/// Does capture `new` (later in the input) replace `old` of the same post? A complete
/// capture beats a partial one; then the newer one wins, and on a tie the later line.
fn replaces(new: &Post, old: &Post) -> bool {
    if new.partial != old.partial {
        return old.partial;
    }
    new.captured >= old.captured
}

/// `[import.hashtags]` as tag -> code. A code the codebook lacks maps to `None` and
/// becomes a note: applying it would make entries that `check` rejects.
fn hashtag_mapping(journal: &Journal) -> (HashMap<String, Option<String>>, Vec<String>) {
    let codes: HashSet<&str> = journal
        .codebook
        .codes
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut mapping = HashMap::new();
    let mut notes = Vec::new();
    for (tag, code) in &journal.settings.import.hashtags {
        let known = codes.contains(code.as_str());
        let key = tag.trim().trim_start_matches('#').to_lowercase();
        mapping.insert(key, known.then(|| code.clone()));
        if !known {
            notes.push(format!(
                "journal.toml: [import.hashtags] maps #{tag} to `{code}`, which is not a code in codebook.toml; it was not applied"
            ));
        }
    }
    (mapping, notes)
}

/// The codes a post's hashtags map to (in hashtag order, each once); unmapped hashtags
/// are counted in `unmapped`.
fn mapped_codes(
    post: &Post,
    mapping: &HashMap<String, Option<String>>,
    unmapped: &mut HashMap<String, usize>,
) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for tag in &post.hashtags {
        match mapping.get(tag) {
            Some(Some(code)) if !codes.contains(code) => codes.push(code.clone()),
            Some(_) => {}
            None => *unmapped.entry(tag.clone()).or_insert(0) += 1,
        }
    }
    codes
}

fn add_codes(entry: &mut Entry, codes: &[String]) -> Vec<String> {
    let mut changes = Vec::new();
    for code in codes {
        if !entry.has_code(code) {
            entry.codes.push(code.clone());
            changes.push(format!("code +{code}"));
        }
    }
    changes
}

/// Put a capture's counts into `entry` if the capture is newer than what it holds (or
/// it holds none). Counts the capture lacks keep their earlier value, and
/// `replied_comments` (the researcher's) is never touched. Returns what changed.
fn update_metrics(entry: &mut Entry, counts: &Counts, at: Option<Moment>) -> Vec<String> {
    if counts.is_empty() {
        return Vec::new();
    }
    let stored_at = entry.metrics.as_ref().and_then(|m| m.metrics_at);
    let newer = match (stored_at, at) {
        (None, _) => true,
        (Some(s), Some(t)) => t.timestamp > s.timestamp,
        (Some(_), None) => false,
    };
    if !newer {
        return Vec::new();
    }
    let before = entry.metrics.clone().unwrap_or_default();
    let mut m = before.clone();
    let fields: [(&str, Option<u64>, &mut Option<u64>); 5] = [
        ("views", counts.views, &mut m.views),
        ("likes", counts.likes, &mut m.likes),
        ("comments", counts.comments, &mut m.comments),
        ("shares", counts.shares, &mut m.shares),
        ("saves", counts.saves, &mut m.saves),
    ];
    let mut changes = Vec::new();
    for (name, new, slot) in fields {
        if new.is_some() && new != *slot {
            changes.push(format!("{name} {} → {}", show(*slot), show(new)));
            *slot = new;
        }
    }
    if at.is_some() {
        m.metrics_at = at;
    }
    if m.metrics_at != before.metrics_at {
        let short = |m: Option<Moment>| m.map_or("-".to_string(), |m| m.short());
        changes.push(format!(
            "metrics_at {} → {}",
            short(before.metrics_at),
            short(m.metrics_at)
        ));
    }
    if entry.metrics.as_ref() != Some(&m) {
        entry.metrics = Some(m);
    }
    changes
}

fn show(n: Option<u64>) -> String {
    n.map_or("-".to_string(), |n| n.to_string())
}

/// The first non-empty line of a caption, trimmed, cut at a word boundary to at most
/// `TITLE_CHARS` characters (with `…`): what lists show. Hashtags stay.
pub fn title_of(caption: &str) -> String {
    const TITLE_CHARS: usize = 100;
    let line = caption
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= TITLE_CHARS {
        return line.to_string();
    }
    let mut title = String::new();
    for word in line.split_whitespace() {
        let len = title.chars().count() + usize::from(!title.is_empty()) + word.chars().count();
        if len > TITLE_CHARS - 1 {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    if title.is_empty() {
        // One long word: cut between characters that are not joined (ZWJ, marks).
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            title.push(c);
            let joined = |c: char| {
                c == '\u{200d}'
                    || ('\u{fe00}'..='\u{fe0f}').contains(&c)
                    || ('\u{1f3fb}'..='\u{1f3ff}').contains(&c)
                    || unicode_normalization::char::is_combining_mark(c)
            };
            let next_joins = chars.peek().is_some_and(|n| joined(*n) || c == '\u{200d}');
            if title.chars().count() >= TITLE_CHARS - 1 && !next_joins {
                break;
            }
        }
    }
    title.push('…');
    title
}

/// The accounts an import touches, and what becomes of each.
struct AccountPlanner<'a> {
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
    fn new(journal: &'a Journal) -> Self {
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
    fn touch(&mut self, post: &Post) -> String {
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
    fn finish(
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
                        account.url = profile_url(account.platform, &account.handle);
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
                        url: profile_url(t.platform, &t.handle),
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

/// An account's profile address on `platform` (ZEESCHUIMER.md §4).
pub fn profile_url(platform: Platform, handle: &str) -> String {
    match platform {
        Platform::Tiktok => format!("https://www.tiktok.com/@{handle}"),
        Platform::Instagram => format!("https://www.instagram.com/{handle}/"),
        _ => String::new(),
    }
}

/// Add the observed follower counts to `history` (kept in date order): one point per
/// capture day, unless the day already has one or the count equals the point before.
fn merge_followers(
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

/// A new entry id, unused in the journal and in this import. Ids hold the observed
/// second and 16 random bits, so a second has room for 65,536 entries: past that (only
/// hostile input gets there) there is none, rather than a search that never ends.
fn fresh_id(
    store: &Store,
    journal: &Journal,
    entry: &Entry,
    taken: &mut HashSet<String>,
    per_second: &mut HashMap<i64, usize>,
) -> Option<String> {
    const IDS_PER_SECOND: usize = 1 << 16;
    const ATTEMPTS: usize = 1000;
    let used = per_second
        .entry(entry.observed_at.timestamp.as_second())
        .or_insert(0);
    if *used >= IDS_PER_SECOND {
        return None;
    }
    for _ in 0..ATTEMPTS {
        let id = store.new_entry_id(journal, &entry.observed_at);
        if taken.insert(id.clone()) {
            *used += 1;
            return Some(id);
        }
    }
    None
}

/// What `apply` did.
#[derive(Debug, Default)]
pub struct Applied {
    pub entries_written: usize,
    pub accounts_written: usize,
    /// One message per record that could not be saved (`path: why`).
    pub failures: Vec<String>,
    /// The ids given to the new entries, in the order of `plan.new_entries`
    /// (`None` where the entry was not written).
    pub new_ids: Vec<Option<String>>,
}

/// Write a plan through the store (accounts first, so entries never name a missing
/// account), and bring `journal` up to date. Nothing stops at the first failure: every
/// record that can be saved is, and the others are listed. `progress` is told
/// `(entries saved, entries to save)`.
pub fn apply(
    plan: &Plan,
    store: &mut Store,
    journal: &mut Journal,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Applied {
    let mut applied = Applied::default();
    let mut failed_accounts = HashSet::new();
    for update in &plan.account_updates {
        match store.save_account(&update.account) {
            Ok(()) => {
                journal.accounts[update.index] = update.account.clone();
                applied.accounts_written += 1;
            }
            Err(e) => applied.failures.push(e.to_string()),
        }
    }
    for account in &plan.new_accounts {
        match store.save_account(account) {
            Ok(()) => {
                journal.accounts.push(account.clone());
                applied.accounts_written += 1;
            }
            Err(e) => {
                applied.failures.push(e.to_string());
                failed_accounts.insert(account.handle.clone());
            }
        }
    }
    journal.accounts.sort_by(|a, b| a.handle.cmp(&b.handle));

    // The entries to write: updates, then new entries with fresh ids.
    let mut batch: Vec<Entry> = plan.updates.iter().map(|u| u.entry.clone()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut per_second: HashMap<i64, usize> = HashMap::new();
    let mut new_slots = Vec::with_capacity(plan.new_entries.len());
    for entry in &plan.new_entries {
        if entry.accounts.iter().any(|a| failed_accounts.contains(a)) {
            applied.failures.push(format!(
                "post {} was not imported: its account @{} could not be saved",
                entry.source_id,
                entry.accounts.join(", @")
            ));
            new_slots.push(None);
            continue;
        }
        let mut entry = entry.clone();
        match fresh_id(store, journal, &entry, &mut taken, &mut per_second) {
            Some(id) => entry.id = id,
            None => {
                applied.failures.push(format!(
                    "post {} was not imported: every entry id for {} is taken (65,536 entries observed in one second)",
                    entry.source_id, entry.observed_at
                ));
                new_slots.push(None);
                continue;
            }
        }
        new_slots.push(Some(batch.len()));
        batch.push(entry);
    }

    let total = batch.len();
    let results = store.save_entries(&batch, &|done| progress(done, total));
    let ok = |i: usize, results: &[Result<(), StoreError>]| results[i].is_ok();
    for r in &results {
        match r {
            Ok(()) => applied.entries_written += 1,
            Err(e) => applied.failures.push(e.to_string()),
        }
    }
    for (i, update) in plan.updates.iter().enumerate() {
        if ok(i, &results) {
            journal.entries[update.index] = batch[i].clone();
        }
    }
    let mut added = false;
    for slot in &new_slots {
        let id = slot.filter(|&i| ok(i, &results)).map(|i| {
            journal.entries.push(batch[i].clone());
            added = true;
            batch[i].id.clone()
        });
        applied.new_ids.push(id);
    }
    if added {
        journal.sort_entries();
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::zeeschuimer;
    use crate::model::{Codebook, Metrics, Screenshot, Settings};

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interop");

    fn journal() -> Journal {
        let mut settings = Settings {
            timezone: "Asia/Jakarta".into(),
            ..Settings::default()
        };
        for (tag, code) in [
            ("grwm", "daily-life"),
            ("dailyvlog", "daily-life"),
            ("curhat", "curhat"),
            ("duet", "duet"),
            ("komedi", "humour"),
            ("stitch", "stitch"),
            ("ad", "promotion"),
            ("fyp", "no-such-code"),
        ] {
            settings.import.hashtags.insert(tag.into(), code.into());
        }
        Journal {
            settings,
            codebook: toml::from_str::<Codebook>(crate::demo::STARTER_CODEBOOK).unwrap(),
            ..Journal::default()
        }
    }

    fn posts(name: &str) -> Vec<Post> {
        let bytes = std::fs::read(format!("{SAMPLES}/{name}")).unwrap();
        zeeschuimer::read(&bytes[..], 0, &|_| {}).unwrap().posts
    }

    fn now() -> Timestamp {
        "2026-03-20T02:00:00Z".parse().unwrap()
    }

    /// Apply a plan to the model only, as `apply` would (ids from the index).
    fn apply_in_memory(journal: &mut Journal, plan: Plan) {
        for u in plan.updates {
            journal.entries[u.index] = u.entry;
        }
        for u in plan.account_updates {
            journal.accounts[u.index] = u.account;
        }
        for (i, mut e) in plan.new_entries.into_iter().enumerate() {
            e.id = crate::model::entry_id(&e.observed_at, i as u16);
            journal.entries.push(e);
        }
        journal.accounts.extend(plan.new_accounts);
        journal.sort_entries();
    }

    #[test]
    fn a_first_import_makes_entries_and_accounts() {
        let j = journal();
        let plan = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        assert_eq!(plan.posts, 12);
        assert_eq!(plan.superseded, 1);
        assert_eq!(plan.new_entries.len(), 12);
        assert!(plan.updates.is_empty());
        assert_eq!(plan.unchanged, 0);

        let grwm = plan
            .new_entries
            .iter()
            .find(|e| e.source_id == "tiktok:7616337661355569196")
            .unwrap();
        assert_eq!(grwm.kind, Kind::Content);
        assert_eq!(grwm.observed_at.to_string(), "2026-03-12T18:59:59+07:00");
        assert_eq!(
            grwm.recorded_at.unwrap().to_string(),
            "2026-03-20T09:00:00+07:00"
        );
        assert_eq!(grwm.accounts, ["sari.contoh"]);
        assert_eq!(grwm.codes, ["daily-life"]);
        assert_eq!(
            grwm.title,
            "GRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas"
        );
        assert_eq!(grwm.body, grwm.title);
        assert_eq!(
            grwm.url,
            "https://www.tiktok.com/@sari.contoh/video/7616337661355569196"
        );
        let m = grwm.metrics.as_ref().unwrap();
        assert_eq!(
            (m.views, m.likes, m.comments, m.shares, m.saves),
            (Some(6120), Some(402), Some(37), Some(11), Some(19))
        );
        assert_eq!(m.replied_comments, None);
        assert_eq!(
            m.metrics_at.unwrap().to_string(),
            "2026-03-12T22:20:11+07:00"
        );

        // L3 and L9 are one post: the newer capture (L3, first in the file) wins.
        let pasar = plan
            .new_entries
            .iter()
            .find(|e| e.source_id == "tiktok:7612626470948202841")
            .unwrap();
        assert_eq!(pasar.metrics.as_ref().unwrap().views, Some(47890));
        // The mapping to an unknown code is reported, not applied.
        assert_eq!(pasar.codes, ["daily-life"]);
        assert!(
            plan.notes
                .iter()
                .any(|n| n.contains("#fyp") && n.contains("no-such-code"))
        );
        // A post without stats has no metrics.
        let unboxing = plan
            .new_entries
            .iter()
            .find(|e| e.source_id == "tiktok:7615978302145954202")
            .unwrap();
        assert_eq!(unboxing.metrics, None);
        // Entries come oldest first.
        assert!(
            plan.new_entries
                .windows(2)
                .all(|w| w[0].observed_at <= w[1].observed_at)
        );

        let handles: Vec<&str> = plan
            .new_accounts
            .iter()
            .map(|a| a.handle.as_str())
            .collect();
        assert_eq!(handles, ["glowkit.contoh", "ketawa.contoh", "sari.contoh"]);
        let ketawa = &plan.new_accounts[1];
        assert_eq!(ketawa.platform, Platform::Tiktok);
        assert_eq!(ketawa.display_name, "Eko Ngakak");
        assert_eq!(ketawa.url, "https://www.tiktok.com/@ketawa.contoh");
        let points: Vec<String> = ketawa
            .followers
            .iter()
            .map(|p| format!("{} {}", p.date, p.count))
            .collect();
        assert_eq!(points, ["2023-08-20 23900", "2026-03-12 59800"]);
        // Exact (V2) follower count; one point per day, the day's newest capture.
        assert_eq!(plan.new_accounts[0].followers.len(), 1);
        assert_eq!(plan.new_accounts[0].followers[0].count, 68437);
        // sari: 41250 on 03-04; the 03-12 count is the same, so no second point.
        assert_eq!(plan.new_accounts[2].followers.len(), 1);

        let unmapped: Vec<&str> = plan.unmapped.iter().map(|(t, _)| t.as_str()).collect();
        assert!(unmapped.contains(&"kondangan"));
        assert!(!unmapped.contains(&"grwm"));
        assert!(!unmapped.contains(&"fyp"), "mapped, even if to a bad code");
    }

    #[test]
    fn a_second_import_changes_nothing() {
        let mut j = journal();
        let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j, first);
        let later = "2026-04-01T00:00:00Z".parse().unwrap();
        let again = plan(&j, posts("tiktok.ndjson"), &Options::new(later));
        assert!(again.is_empty(), "{:?}", again.updates);
        assert_eq!(again.unchanged, 12);
        // Also after the 4CAT copies of the same captures, and the CSV (undated).
        let four = plan(&j, posts("tiktok_4cat.ndjson"), &Options::new(later));
        assert!(four.is_empty());
        let csv = std::fs::read_to_string(format!("{SAMPLES}/tiktok_4cat.csv")).unwrap();
        let csv_posts = crate::interop::fourcat_csv::read(&csv, 1).unwrap().posts;
        let from_csv = plan(&j, csv_posts, &Options::new(later));
        assert!(from_csv.is_empty(), "{:?}", from_csv.updates);
        assert_eq!(from_csv.unchanged, 6);
    }

    #[test]
    fn a_later_capture_updates_metrics_only() {
        let mut j = journal();
        let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j, first);
        // The researcher works on an entry.
        let i = j
            .entries
            .iter()
            .position(|e| e.source_id == "tiktok:7616337661355569196")
            .unwrap();
        let edited = {
            let e = &mut j.entries[i];
            e.title = "GRWM, kondangan".into();
            e.body.push_str("\n\nShe thanks commenters by name.\n");
            e.codes = vec!["authenticity".into()];
            e.screenshots.push(Screenshot {
                path: "media/x.png".into(),
                ..Screenshot::default()
            });
            e.metrics.as_mut().unwrap().replied_comments = Some(12);
            e.clone()
        };
        let mut later = posts("tiktok.ndjson");
        later.truncate(1);
        later[0].captured = Some("2026-03-15T01:00:00Z".parse().unwrap());
        later[0].counts.views = Some(9000);
        later[0].counts.saves = None;
        later[0].caption = "edited by the author".into();
        later[0].hashtags = vec!["curhat".into()];
        let update = plan(&j, later.clone(), &Options::new(now()));
        assert_eq!(update.updates.len(), 1);
        assert!(update.new_accounts.is_empty());
        let after = &update.updates[0].entry;
        let m = after.metrics.as_ref().unwrap();
        assert_eq!(m.views, Some(9000));
        assert_eq!(
            m.saves,
            Some(19),
            "a count the capture lacks keeps its value"
        );
        assert_eq!(m.replied_comments, Some(12));
        assert_eq!(
            m.metrics_at.unwrap().to_string(),
            "2026-03-15T08:00:00+07:00"
        );
        let mut expected = edited.clone();
        expected.metrics = after.metrics.clone();
        assert_eq!(*after, expected, "only metrics change");
        assert_eq!(
            update.updates[0].changes,
            [
                "views 6120 → 9000",
                "metrics_at 2026-03-12 22:20 → 2026-03-15 08:00"
            ]
        );
        // With --apply-mapping the new hashtag's code is added, nothing removed.
        let opts = Options {
            apply_mapping: true,
            ..Options::new(now())
        };
        let mapped = plan(&j, later.clone(), &opts);
        assert_eq!(mapped.updates[0].entry.codes, ["authenticity", "curhat"]);
        // An older capture changes nothing.
        later[0].captured = Some("2026-03-01T00:00:00Z".parse().unwrap());
        let older = plan(&j, later, &Options::new(now()));
        assert!(older.updates.is_empty());
        assert_eq!(older.unchanged, 1);
    }

    #[test]
    fn undated_captures_update_only_undated_metrics() {
        let mut j = journal();
        let mut p = posts("tiktok.ndjson");
        p.truncate(1);
        p[0].captured = None;
        let first = plan(&j, p.clone(), &Options::new(now()));
        assert_eq!(
            first.new_entries[0].metrics.as_ref().unwrap().metrics_at,
            None
        );
        apply_in_memory(&mut j, first);
        p[0].counts.views = Some(7000);
        let second = plan(&j, p.clone(), &Options::new(now()));
        assert_eq!(second.updates.len(), 1, "undated replaces undated");
        apply_in_memory(&mut j, second);
        // A dated capture replaces undated numbers; then undated ones no longer do.
        let opts = Options {
            captured_at: Some("2026-03-13T00:00:00Z".parse().unwrap()),
            ..Options::new(now())
        };
        p[0].counts.views = Some(8000);
        let dated = plan(&j, p.clone(), &opts);
        assert_eq!(dated.updates.len(), 1);
        apply_in_memory(&mut j, dated);
        p[0].counts.views = Some(1);
        assert!(plan(&j, p, &Options::new(now())).is_empty());
    }

    #[test]
    fn a_given_capture_time_never_redates_dated_counts() {
        // The journal holds captures dated by their data (2026-03-12); a CSV of older
        // counts, downloaded a week later and given that day with --captured-at, must
        // neither replace those counts nor re-date them, nor add follower points later
        // than the ones recorded.
        let mut j = journal();
        let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j, first);
        let csv = std::fs::read_to_string(format!("{SAMPLES}/tiktok_4cat.csv")).unwrap();
        let mut older = crate::interop::fourcat_csv::read(&csv, 1).unwrap().posts;
        for p in &mut older {
            p.counts.views = p.counts.views.map(|v| v / 2);
            p.followers = p.followers.map(|f| f / 2);
        }
        let opts = Options {
            captured_at: Some("2026-03-19T00:00:00Z".parse().unwrap()),
            ..Options::new(now())
        };
        let again = plan(&j, older.clone(), &opts);
        assert!(again.updates.is_empty(), "{:?}", again.updates);
        assert!(
            again.account_updates.is_empty(),
            "{:?}",
            again.account_updates
        );
        assert_eq!(again.kept_dated, 6);
        // Into an empty journal the given time dates the counts and followers.
        let fresh = plan(&journal(), older, &opts);
        let m = fresh.new_entries[0].metrics.as_ref().unwrap();
        assert_eq!(
            m.metrics_at.unwrap().timestamp.to_string(),
            "2026-03-19T00:00:00Z"
        );
        assert!(fresh.new_accounts.iter().any(|a| !a.followers.is_empty()));
    }

    #[test]
    fn pseudonymised_posts_make_no_accounts_unless_asked() {
        // 4CAT's pseudonymisation replaces author fields by hex digests.
        let hashed = |mut posts: Vec<Post>| {
            for p in &mut posts {
                p.handle = format!("{:048x}", p.handle.len() * 7919);
                p.display_name = format!("{:048x}", p.display_name.len());
                p.followers = None;
            }
            posts
        };
        // On top of the same posts in clear: counts may update, no account appears.
        let mut j = journal();
        let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j, first);
        let mut later = hashed(posts("tiktok.ndjson"));
        for p in &mut later {
            p.captured = Some("2026-03-19T00:00:00Z".parse().unwrap());
        }
        let over = plan(&j, later, &Options::new(now()));
        assert!(over.new_accounts.is_empty(), "{:?}", over.new_accounts);
        assert!(over.account_updates.is_empty());
        assert!(over.new_entries.is_empty());
        assert_eq!(over.updates.len() + over.unchanged, 12);
        assert!(
            over.updates.len() >= 11,
            "counts of known posts still update"
        );
        assert!(
            over.updates
                .iter()
                .all(|u| u.entry.accounts == j.entries[u.index].accounts)
        );
        // Into an empty journal: nothing, but counted; asked for, under the hashes.
        let none = plan(
            &journal(),
            hashed(posts("tiktok.ndjson")),
            &Options::new(now()),
        );
        assert!(none.is_empty());
        assert_eq!(none.pseudonymised, 12);
        let opts = Options {
            pseudonymised: true,
            ..Options::new(now())
        };
        let asked = plan(&journal(), hashed(posts("tiktok.ndjson")), &opts);
        assert_eq!(asked.new_entries.len(), 12);
        assert_eq!(asked.pseudonymised, 0);
        assert!(!asked.new_accounts.is_empty());
    }

    #[test]
    fn a_time_estimated_from_the_id_is_corrected_by_a_real_one() {
        // Instagram: a grid capture has no `taken_at`, so the time comes from the pk.
        let mut j = journal();
        // A grid (Polaris) capture as Zeeschuimer keeps it: no taken_at, no caption.
        let grid = r#"{"item_id":"3848993480984933454_48120977356","timestamp_collected":1773300000000,"source_platform":"instagram.com","data":{"__typename":"XIGPolarisVideoMedia","code":"DVqXy2Y5rRO","pk":"3848993480984933454","id":"3848993480984933454_48120977356","user":{"id":"48120977356","username":"sari.contoh","is_verified":false},"display_uri":null,"play_count":null,"_zs_partial":true}}"#;
        let partial = zeeschuimer::parse_line(grid.as_bytes(), Default::default()).unwrap();
        // The sample's pk was made to match its taken_at; real ones are off by up to
        // days, as here.
        let mut complete = posts("instagram.ndjson")[4].clone();
        complete.created = complete
            .created
            .map(|t| t + jiff::SignedDuration::from_hours(5));
        assert!(partial.created_estimated && !complete.created_estimated);
        assert_ne!(
            partial.created, complete.created,
            "the sample's estimate is off"
        );
        let first = plan(&j, vec![partial], &Options::new(now()));
        assert_eq!(first.estimated, 1);
        apply_in_memory(&mut j, first);
        let id = j.entries[0].id.clone();
        let later = plan(&j, vec![complete.clone()], &Options::new(now()));
        let e = &later.updates[0].entry;
        assert_eq!(Some(e.observed_at.timestamp), complete.created);
        assert_eq!(e.id, id, "ids never change (docs/format.md)");
        assert!(
            later.updates[0].changes[0].starts_with("observed_at "),
            "{:?}",
            later.updates[0].changes
        );
        apply_in_memory(&mut j, later);
        assert!(plan(&j, vec![complete.clone()], &Options::new(now())).is_empty());

        // TikTok: no createTime, the id's upload second; a real createTime corrects it.
        let mut j = journal();
        let exact = posts("tiktok.ndjson").remove(0);
        let mut guessed = exact.clone();
        guessed.created = exact.id_time;
        guessed.created_estimated = true;
        let mut exact = exact;
        exact.created = exact
            .created
            .map(|t| t + jiff::SignedDuration::from_secs(90));
        let first = plan(&j, vec![guessed.clone()], &Options::new(now()));
        apply_in_memory(&mut j, first);
        let later = plan(&j, vec![exact.clone()], &Options::new(now()));
        assert_eq!(later.updates.len(), 1);
        assert_eq!(
            Some(later.updates[0].entry.observed_at.timestamp),
            exact.created
        );

        // A time the researcher corrected by hand is theirs: never touched.
        let mut j = journal();
        let first = plan(&j, vec![guessed], &Options::new(now()));
        apply_in_memory(&mut j, first);
        let by_hand = exact.created.unwrap() + jiff::SignedDuration::from_secs(3600);
        j.entries[0].observed_at = Moment::in_zone(by_hand, &j.settings.time_zone());
        let later = plan(&j, vec![exact], &Options::new(now()));
        assert!(
            later
                .updates
                .iter()
                .all(|u| u.entry.observed_at.timestamp == by_hand)
        );
    }

    #[test]
    fn instagram_complete_capture_beats_partial() {
        let j = journal();
        let plan = plan(&j, posts("instagram.ndjson"), &Options::new(now()));
        assert_eq!(plan.posts, 7);
        let reel = plan
            .new_entries
            .iter()
            .find(|e| e.source_id == "instagram:DVqXy2Y5rRO")
            .unwrap();
        assert!(reel.body.starts_with("POV"));
        assert_eq!(reel.metrics.as_ref().unwrap().likes, Some(9120));
        assert_eq!(reel.url, "https://www.instagram.com/p/DVqXy2Y5rRO/");
        let handles: Vec<&str> = plan
            .new_accounts
            .iter()
            .map(|a| a.handle.as_str())
            .collect();
        assert_eq!(handles, ["glowkit.contoh", "kopi.contoh", "sari.contoh"]);
        assert_eq!(
            plan.new_accounts[1].url,
            "https://www.instagram.com/kopi.contoh/"
        );
        assert!(
            plan.new_accounts
                .iter()
                .all(|a| a.platform == Platform::Instagram)
        );
        assert!(plan.new_accounts.iter().all(|a| a.followers.is_empty()));
    }

    #[test]
    fn a_partial_first_capture_gets_its_caption_later() {
        let mut j = journal();
        let all = posts("instagram.ndjson");
        let partial = vec![all[3].clone()];
        let first = plan(&j, partial, &Options::new(now()));
        assert_eq!(first.new_entries[0].body, "");
        apply_in_memory(&mut j, first);
        let complete = plan(&j, vec![all[4].clone()], &Options::new(now()));
        let e = &complete.updates[0].entry;
        assert!(e.title.starts_with("POV"));
        assert!(e.body.ends_with("#reels"));
    }

    #[test]
    fn options_select_posts() {
        let j = journal();
        let only = |opts: Options| {
            let p = plan(&j, posts("tiktok.ndjson"), &opts);
            (p.posts, p.filtered)
        };
        let base = || Options::new(now());
        assert_eq!(
            only(Options {
                accounts: vec!["@Sari.Contoh".into()],
                ..base()
            }),
            (4, 8)
        );
        assert_eq!(
            only(Options {
                platform: Some(Platform::Instagram),
                ..base()
            }),
            (0, 13)
        );
        assert_eq!(
            only(Options {
                since: Some("2026-03-10T00:00:00Z".parse().unwrap()),
                until: Some("2026-03-12T00:00:00Z".parse().unwrap()),
                ..base()
            }),
            (2, 11)
        );
    }

    #[test]
    fn existing_accounts_are_completed_not_overwritten() {
        let mut j = journal();
        j.accounts.push(Account {
            handle: "Sari.Contoh".into(),
            platform: Platform::Tiktok,
            category: "lifestyle".into(),
            followers: vec![FollowerPoint {
                date: "2026-03-01".parse().unwrap(),
                count: 40000,
            }],
            ..Account::default()
        });
        let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        let sari = p
            .account_updates
            .iter()
            .find(|u| u.account.handle == "Sari.Contoh")
            .unwrap();
        assert_eq!(sari.account.display_name, "Sari ✨ harian");
        assert_eq!(sari.account.category, "lifestyle");
        assert_eq!(sari.account.url, "https://www.tiktok.com/@Sari.Contoh");
        let counts: Vec<u64> = sari.account.followers.iter().map(|f| f.count).collect();
        assert_eq!(counts, [40000, 41250]);
        // Entries name the account as the journal spells it.
        let e = p
            .new_entries
            .iter()
            .find(|e| e.source_id == "tiktok:7616337661355569196")
            .unwrap();
        assert_eq!(e.accounts, ["Sari.Contoh"]);

        // Instagram posts by a handle the journal has on TikTok: filed there, noted.
        let mut j2 = journal();
        let first = plan(&j2, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j2, first);
        let ig = plan(&j2, posts("instagram.ndjson"), &Options::new(now()));
        assert!(
            ig.notes
                .iter()
                .any(|n| n.starts_with("@sari.contoh is a tiktok account"))
        );
        assert_eq!(ig.new_accounts.len(), 1, "only kopi.contoh is new");
    }

    #[test]
    fn follower_history_rules() {
        let d = |s: &str| -> Date { s.parse().unwrap() };
        let t = Timestamp::UNIX_EPOCH;
        let mut history = vec![
            FollowerPoint {
                date: d("2026-03-01"),
                count: 100,
            },
            FollowerPoint {
                date: d("2026-03-10"),
                count: 200,
            },
        ];
        let observed: BTreeMap<Date, (Timestamp, u64)> = [
            (d("2026-02-01"), (t, 90)),
            (d("2026-03-01"), (t, 999)), // a day that has a point keeps it
            (d("2026-03-05"), (t, 100)), // same as the point before: nothing new
            (d("2026-03-12"), (t, 250)),
        ]
        .into();
        let changes = merge_followers(&mut history, Some(&observed));
        assert_eq!(
            changes,
            ["followers 2026-02-01: 90", "followers 2026-03-12: 250"]
        );
        let counts: Vec<u64> = history.iter().map(|p| p.count).collect();
        assert_eq!(counts, [90, 100, 200, 250]);
    }

    #[test]
    fn entry_ids_run_out_rather_than_loop() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(dir.path());
        let j = journal();
        let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        let entry = &p.new_entries[0];
        let (mut taken, mut per_second) = (HashSet::new(), HashMap::new());
        let first = fresh_id(&store, &j, entry, &mut taken, &mut per_second).unwrap();
        assert!(first.starts_with("20230817-163000-"), "{first}");
        let second = fresh_id(&store, &j, entry, &mut taken, &mut per_second).unwrap();
        assert_ne!(first, second);
        per_second.insert(entry.observed_at.timestamp.as_second(), 1 << 16);
        assert_eq!(
            fresh_id(&store, &j, entry, &mut taken, &mut per_second),
            None
        );
    }

    #[test]
    fn titles_are_the_first_line_cut_at_a_word() {
        assert_eq!(title_of("\n  First line  \nsecond"), "First line");
        assert_eq!(title_of(""), "");
        let long = "kata ".repeat(40);
        let t = title_of(&long);
        assert!(t.ends_with("kata…"), "{t}");
        assert!(t.chars().count() <= 100);
        let emoji = "😮\u{200d}💨".repeat(60);
        let t = title_of(&emoji);
        assert!(t.chars().count() <= 101, "{}", t.chars().count());
        assert!(!t.trim_end_matches('…').ends_with('\u{200d}'));
        assert!(t.trim_end_matches('…').ends_with('💨'));
    }

    #[test]
    fn imported_metrics_give_engagement_per_account() {
        // What a `stats` command will compute: (likes + comments + shares) / views per
        // account, and the share of comments replied to once the researcher counts them.
        let mut j = journal();
        let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        apply_in_memory(&mut j, p);
        let mut per_account: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for e in &j.entries {
            let Some(m) = &e.metrics else { continue };
            let engaged = m.likes.unwrap_or(0) + m.comments.unwrap_or(0) + m.shares.unwrap_or(0);
            let slot = per_account.entry(e.accounts[0].as_str()).or_default();
            slot.0 += engaged;
            slot.1 += m.views.unwrap_or(0);
        }
        let rate = |h| {
            let (e, v) = per_account[h];
            (e as f64 / v as f64 * 1000.0).round() / 10.0
        };
        assert_eq!(rate("sari.contoh"), 7.0);
        assert_eq!(rate("glowkit.contoh"), 8.8);
        assert_eq!(rate("ketawa.contoh"), 5.5);
        let e = j
            .entries
            .iter_mut()
            .find(|e| e.source_id == "tiktok:7613748096618570196")
            .unwrap();
        e.metrics.as_mut().unwrap().replied_comments = Some(183);
        let m: &Metrics = e.metrics.as_ref().unwrap();
        let share = m.replied_comments.unwrap() as f64 / m.comments.unwrap() as f64;
        assert_eq!((share * 100.0).round(), 30.0);
        let again = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
        assert!(
            again.is_empty(),
            "re-import keeps the researcher's reply count"
        );
    }
}
