//! The figures a digital ethnography reports per account: how much was observed and
//! when, live sessions per week, the share of comments the account answered, engagement
//! and follower change. Definitions (also in docs/export.md):
//!
//! - *weeks observed*: distinct ISO weeks (of the observed local date) with an entry;
//! - *span*: weeks from the first to the last observed entry, at least 1;
//! - *lives per week*: entries coded `live` / span;
//! - *reply share*: sum of `replied_comments` / sum of `comments`, over content entries
//!   whose metrics give both;
//! - *engagement rate*: the mean over content entries with `views > 0` of
//!   (likes + comments + shares) / views, a missing count taken as 0;
//! - *follower change*: last minus first point of the account's follower history (within
//!   the filter's dates when it has some).
//!
//! Every figure is over the entries the filter selects.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;

use super::Filter;
use crate::model::{Account, Entry, FollowerPoint, Journal, Kind, Moment};

/// The code whose entries are counted as live sessions.
pub use crate::model::live::LIVE_CODE;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct KindCounts {
    pub observation: usize,
    pub content: usize,
    pub interview: usize,
    pub memo: usize,
}

impl KindCounts {
    pub fn get(&self, kind: Kind) -> usize {
        match kind {
            Kind::Observation => self.observation,
            Kind::Content => self.content,
            Kind::Interview => self.interview,
            Kind::Memo => self.memo,
        }
    }

    fn add(&mut self, kind: Kind) {
        match kind {
            Kind::Observation => self.observation += 1,
            Kind::Content => self.content += 1,
            Kind::Interview => self.interview += 1,
            Kind::Memo => self.memo += 1,
        }
    }
}

/// The figures of one account, or of all selected entries together.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// The account's handle; `None` for the row of all selected entries.
    pub handle: Option<String>,
    pub entries: usize,
    pub by_kind: KindCounts,
    pub first_observed: Option<Moment>,
    pub last_observed: Option<Moment>,
    pub weeks_observed: usize,
    pub span_weeks: f64,
    pub live_entries: usize,
    pub lives_per_week: Option<f64>,
    /// Live entries noted as sessions (with moments or an end): their moments, mean
    /// length and the largest viewer count noted.
    pub sessions: usize,
    pub moments_per_session: Option<f64>,
    pub session_minutes: Option<f64>,
    pub peak_viewers: Option<u64>,
    /// Content entries whose metrics give both comments and replied comments.
    pub reply_entries: usize,
    pub comments: u64,
    pub replied_comments: u64,
    pub reply_share: Option<f64>,
    /// Content entries with views > 0, the base of the engagement rate.
    pub engagement_entries: usize,
    pub engagement_rate: Option<f64>,
    pub followers_first: Option<u64>,
    pub followers_last: Option<u64>,
    pub follower_change: Option<i64>,
    pub follower_change_share: Option<f64>,
}

/// Per account (those with selected entries, in journal order, then unknown handles),
/// and the row of all selected entries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FigureTable {
    pub accounts: Vec<Figures>,
    pub all: Figures,
}

pub fn figures(journal: &Journal, filter: &Filter) -> FigureTable {
    let selected = filter.apply(journal, None);
    figures_of(journal, filter, &selected)
}

/// As `figures`, for an already applied filter's `selected` entries.
pub fn figures_of(journal: &Journal, filter: &Filter, selected: &[usize]) -> FigureTable {
    let entries: Vec<&Entry> = selected.iter().map(|&i| &journal.entries[i]).collect();
    let mut handles: Vec<&str> = Vec::new();
    let known: Vec<&str> = journal.accounts.iter().map(|a| a.handle.as_str()).collect();
    for handle in known.iter().copied().chain(
        entries
            .iter()
            .flat_map(|e| e.accounts.iter().map(String::as_str)),
    ) {
        let wanted = filter.accounts.is_empty() || filter.accounts.iter().any(|a| a == handle);
        if wanted && !handles.contains(&handle) && entries.iter().any(|e| mentions(e, handle)) {
            handles.push(handle);
        }
    }
    let accounts = handles
        .into_iter()
        .map(|handle| {
            let own: Vec<&Entry> = entries
                .iter()
                .copied()
                .filter(|e| mentions(e, handle))
                .collect();
            let mut f = of_entries(&own);
            f.handle = Some(handle.to_string());
            if let Some(account) = journal.account(handle) {
                followers(&mut f, account, filter, journal);
            }
            f
        })
        .collect();
    FigureTable {
        accounts,
        all: of_entries(&entries),
    }
}

fn mentions(e: &Entry, handle: &str) -> bool {
    e.accounts.iter().any(|a| a == handle)
}

/// What the live sessions among the entries say: how many, moments per session, mean
/// length (of those with an end), and the peak viewer count noted.
fn add_sessions(f: &mut Figures, sessions: &[crate::model::live::SessionFacts]) {
    f.sessions = sessions.len();
    if sessions.is_empty() {
        return;
    }
    let moments: usize = sessions.iter().map(|s| s.moments).sum();
    f.moments_per_session = Some(moments as f64 / sessions.len() as f64);
    let minutes: Vec<f64> = sessions
        .iter()
        .filter_map(|s| s.duration)
        .map(|d| d.as_secs_f64() / 60.0)
        .collect();
    f.session_minutes =
        (!minutes.is_empty()).then(|| minutes.iter().sum::<f64>() / minutes.len() as f64);
    f.peak_viewers = sessions.iter().filter_map(|s| s.peak_viewers).max();
}

/// The figures of a set of entries, oldest first.
pub fn of_entries(entries: &[&Entry]) -> Figures {
    let mut f = Figures {
        entries: entries.len(),
        first_observed: entries.iter().map(|e| e.observed_at).min(),
        last_observed: entries.iter().map(|e| e.observed_at).max(),
        ..Figures::default()
    };
    let mut weeks = HashSet::new();
    let mut rates = Vec::new();
    let mut sessions = Vec::new();
    for e in entries {
        f.by_kind.add(e.kind);
        let week = e.observed_at.civil().date().iso_week_date();
        weeks.insert((week.year(), week.week()));
        if e.has_code(LIVE_CODE) {
            f.live_entries += 1;
            if let Some(facts) = crate::model::live::session_facts(e) {
                sessions.push(facts);
            }
        }
        let Some(m) = e.metrics.as_ref().filter(|_| e.kind == Kind::Content) else {
            continue;
        };
        if let (Some(comments), Some(replied)) = (m.comments, m.replied_comments) {
            f.reply_entries += 1;
            f.comments += comments;
            f.replied_comments += replied;
        }
        if let Some(rate) = engagement_of(m) {
            rates.push(rate);
        }
    }
    f.weeks_observed = weeks.len();
    add_sessions(&mut f, &sessions);
    if let (Some(first), Some(last)) = (f.first_observed, f.last_observed) {
        f.span_weeks = span_weeks(first.timestamp, last.timestamp);
        f.lives_per_week = Some(f.live_entries as f64 / f.span_weeks);
    }
    f.reply_share = (f.comments > 0).then(|| f.replied_comments as f64 / f.comments as f64);
    f.engagement_entries = rates.len();
    f.engagement_rate = (!rates.is_empty()).then(|| rates.iter().sum::<f64>() / rates.len() as f64);
    f
}

/// One content entry's engagement: (likes + comments + shares) / views, a missing count
/// taken as 0; `None` without views.
pub fn engagement_of(m: &crate::model::Metrics) -> Option<f64> {
    let views = m.views.filter(|v| *v > 0)?;
    let engaged = m.likes.unwrap_or(0) + m.comments.unwrap_or(0) + m.shares.unwrap_or(0);
    Some(engaged as f64 / views as f64)
}

/// Weeks from `first` to `last`, at least 1.
pub fn span_weeks(first: Timestamp, last: Timestamp) -> f64 {
    let seconds = last.as_second().saturating_sub(first.as_second()) as f64;
    (seconds / (7.0 * 24.0 * 3600.0)).max(1.0)
}

/// Follower change over the account's history, within the filter's dates if any.
fn followers(f: &mut Figures, account: &Account, filter: &Filter, journal: &Journal) {
    let points = follower_points(account, filter, journal);
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return;
    };
    f.followers_first = Some(first.count);
    f.followers_last = Some(last.count);
    if points.len() > 1 {
        let change = last.count as i64 - first.count as i64;
        f.follower_change = Some(change);
        f.follower_change_share = (first.count > 0).then(|| change as f64 / first.count as f64);
    }
}

/// The points of `account`'s follower history within the filter's dates (all of them
/// when it has none), oldest first.
pub fn follower_points<'a>(
    account: &'a Account,
    filter: &Filter,
    journal: &Journal,
) -> Vec<&'a FollowerPoint> {
    let tz = journal.settings.time_zone();
    let since = filter.since.map(|t| tz.to_datetime(t).date());
    // A point is a count at the start of its day: in range when that day starts on or
    // after the day of `since` and before `until` (exclusive).
    let before_until = |date: jiff::civil::Date| {
        filter.until.is_none_or(|u| {
            tz.to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
                .is_ok_and(|t| t < u)
        })
    };
    account
        .followers
        .iter()
        .filter(|p| since.is_none_or(|s| p.date >= s) && before_until(p.date))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::matrix::tests::{entry, journal};
    use crate::model::{FollowerPoint, Metrics};

    fn metrics(
        views: u64,
        likes: u64,
        comments: u64,
        shares: u64,
        replied: u64,
    ) -> Option<Box<Metrics>> {
        Some(Box::new(Metrics {
            views: Some(views),
            likes: Some(likes),
            comments: Some(comments),
            shares: Some(shares),
            replied_comments: Some(replied),
            ..Metrics::default()
        }))
    }

    #[test]
    fn reply_share_engagement_and_lives() {
        let mut j = journal();
        j.entries[0].metrics = metrics(1000, 80, 10, 10, 3); // 10%
        j.entries[1].metrics = metrics(2000, 100, 30, 70, 7); // 10%
        j.entries[3].metrics = metrics(0, 5, 5, 0, 1); // no views: no rate, still replies
        // An observation's metrics count for nothing here.
        j.entries[2].metrics = metrics(10, 10, 100, 0, 100);
        j.entries.push(entry(
            "e6",
            "2026-03-23T10:00:00+07:00",
            Kind::Observation,
            &["ann"],
            &["live"],
        ));
        j.accounts[0].followers = vec![
            FollowerPoint {
                date: jiff::civil::date(2026, 3, 1),
                count: 1000,
            },
            FollowerPoint {
                date: jiff::civil::date(2026, 4, 1),
                count: 1100,
            },
        ];
        let t = figures(&j, &Filter::default());
        let handles: Vec<_> = t
            .accounts
            .iter()
            .map(|f| f.handle.as_deref().unwrap())
            .collect();
        assert_eq!(handles, ["ann", "bob"]);
        let ann = &t.accounts[0];
        assert_eq!(ann.entries, 4);
        assert_eq!(ann.by_kind.content, 2);
        assert_eq!(ann.by_kind.get(Kind::Observation), 2);
        assert_eq!((ann.comments, ann.replied_comments), (40, 10));
        assert_eq!(ann.reply_share, Some(0.25));
        assert_eq!(ann.engagement_rate, Some(0.1));
        // Mar 2 (week 10), Mar 3 (10), Mar 9 (11), Mar 23 (13).
        assert_eq!(ann.weeks_observed, 3);
        assert!((ann.span_weeks - 3.0).abs() < 1e-9, "{}", ann.span_weeks);
        assert_eq!(ann.live_entries, 2);
        assert!((ann.lives_per_week.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(ann.follower_change, Some(100));
        assert_eq!(ann.follower_change_share, Some(0.1));
        let bob = &t.accounts[1];
        assert_eq!(bob.reply_share, Some(0.2));
        assert_eq!(bob.engagement_rate, None);
        assert!((bob.span_weeks - 23.0 / 7.0).abs() < 1e-9, "Mar 9 to Apr 1");
        let t0 = j.entries[0].observed_at.timestamp;
        assert_eq!(span_weeks(t0, t0), 1.0, "a short span counts as one week");
        assert_eq!(t.all.entries, 6);
        assert_eq!(t.all.by_kind.memo, 1);
    }

    #[test]
    fn filters_narrow_the_figures() {
        let j = journal();
        let filter = Filter {
            accounts: vec!["bob".into()],
            ..Filter::default()
        };
        let t = figures(&j, &filter);
        assert_eq!(t.accounts.len(), 1);
        assert_eq!(t.accounts[0].entries, 2);
        assert_eq!(t.all.entries, 2);
        let none = figures(
            &j,
            &Filter {
                kinds: vec![Kind::Interview],
                ..Filter::default()
            },
        );
        assert!(none.accounts.is_empty());
        assert_eq!(none.all.first_observed, None);
        assert_eq!(none.all.lives_per_week, None);
    }
}
