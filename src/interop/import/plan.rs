//! `plan`: what an import would change, worked out without I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;

use super::super::{Counts, Post};
use crate::model::{Account, Entry, Journal, Kind, Moment, Platform};

use super::accounts::AccountPlanner;

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
    /// Posts (by `source_id`) whose entries were deleted into the trash: never made
    /// again (`fieldnote restore` brings one back).
    pub deleted: HashSet<String>,
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
            deleted: HashSet::new(),
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
    /// Posts whose entries were deleted into the trash, left out.
    pub deleted: usize,
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
        if !known && options.deleted.contains(&post.source_id()) {
            plan.deleted += 1;
            continue;
        }
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
pub(super) type Followers = HashMap<(String, Platform), BTreeMap<Date, (Timestamp, u64)>>;

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
