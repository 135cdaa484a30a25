//! Time series over the selected entries, for charts: activity per account per week
//! (lives marked), a code's share of entries per week or month, followers over time with
//! the observation dates, and engagement per content entry.
//!
//! Every value comes from the functions `stats` uses (`figures::of_entries`,
//! `figures::engagement_of`, `figures::follower_points`), so a chart and the figures
//! table can never disagree. Each point keeps the indices of the entries behind it, for
//! a drill-down.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::Filter;
use super::figures::{KindCounts, engagement_of, follower_points, of_entries};
use crate::model::{Entry, Journal, Kind, Moment};

/// The width of a time bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// An ISO week, from Monday.
    Week,
    /// A calendar month.
    Month,
}

impl Period {
    /// The first day of the bucket holding `date`.
    pub fn start(self, date: Date) -> Date {
        match self {
            Period::Week => date
                .checked_sub(jiff::Span::new().days(date.weekday().to_monday_zero_offset()))
                .unwrap_or(date),
            Period::Month => date.first_of_month(),
        }
    }
}

/// One account's entries in one week.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityPoint {
    pub week: Date,
    pub by_kind: KindCounts,
    /// Entries coded as live sessions (`figures::LIVE_CODE`).
    pub lives: usize,
    /// Indices into the journal's entries, oldest first.
    pub entries: Vec<usize>,
}

/// One account's activity, a point per week with entries (empty weeks left out).
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub handle: String,
    pub points: Vec<ActivityPoint>,
}

/// A code's share of the selected entries in one period.
#[derive(Clone, Debug, PartialEq)]
pub struct SharePoint {
    pub start: Date,
    /// Selected entries in the period.
    pub total: usize,
    /// Those of them carrying any of the codes.
    pub entries: Vec<usize>,
}

impl SharePoint {
    pub fn share(&self) -> f64 {
        self.entries.len() as f64 / self.total.max(1) as f64
    }
}

/// An account's follower history with the days it was observed.
#[derive(Clone, Debug, PartialEq)]
pub struct Followers {
    pub handle: String,
    pub points: Vec<(Date, u64)>,
    /// Distinct local days with a selected entry of the account, oldest first.
    pub observed: Vec<Date>,
}

/// One content entry's engagement rate.
#[derive(Clone, Debug, PartialEq)]
pub struct EngagementPoint {
    pub entry: usize,
    pub handle: Option<String>,
    pub at: Moment,
    pub rate: f64,
}

/// The accounts of the selected entries, in the order `stats` lists them.
fn handles(journal: &Journal, filter: &Filter, selected: &[usize]) -> Vec<String> {
    super::figures::figures_of(journal, filter, selected)
        .accounts
        .into_iter()
        .filter_map(|f| f.handle)
        .collect()
}

fn of_account<'a>(journal: &Journal, selected: &'a [usize], handle: &'a str) -> Vec<usize> {
    selected
        .iter()
        .copied()
        .filter(|&i| journal.entries[i].accounts.iter().any(|a| a == handle))
        .collect()
}

/// Group entry indices by the start of their period (observed local date).
fn bucket(journal: &Journal, entries: &[usize], period: Period) -> BTreeMap<Date, Vec<usize>> {
    let mut buckets: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
    for &i in entries {
        let date = journal.entries[i].observed_at.civil().date();
        buckets.entry(period.start(date)).or_default().push(i);
    }
    buckets
}

/// Entries by kind per week per account, lives marked.
pub fn activity(journal: &Journal, filter: &Filter, selected: &[usize]) -> Vec<Activity> {
    handles(journal, filter, selected)
        .into_iter()
        .map(|handle| {
            let own = of_account(journal, selected, &handle);
            let points = bucket(journal, &own, Period::Week)
                .into_iter()
                .map(|(week, entries)| {
                    let refs: Vec<&Entry> = entries.iter().map(|&i| &journal.entries[i]).collect();
                    let f = of_entries(&refs);
                    ActivityPoint {
                        week,
                        by_kind: f.by_kind,
                        lives: f.live_entries,
                        entries,
                    }
                })
                .collect();
            Activity { handle, points }
        })
        .collect()
}

/// The share of selected entries carrying any of `codes`, per period with entries.
pub fn code_share(
    journal: &Journal,
    selected: &[usize],
    codes: &[&str],
    period: Period,
) -> Vec<SharePoint> {
    bucket(journal, selected, period)
        .into_iter()
        .map(|(start, all)| SharePoint {
            start,
            total: all.len(),
            entries: all
                .into_iter()
                .filter(|&i| codes.iter().any(|c| journal.entries[i].carries(c)))
                .collect(),
        })
        .collect()
}

/// Followers over time for each account with selected entries and a history.
pub fn followers(journal: &Journal, filter: &Filter, selected: &[usize]) -> Vec<Followers> {
    handles(journal, filter, selected)
        .into_iter()
        .filter_map(|handle| {
            let account = journal.account(&handle)?;
            let points: Vec<(Date, u64)> = follower_points(account, filter, journal)
                .into_iter()
                .map(|p| (p.date, p.count))
                .collect();
            let mut observed: Vec<Date> = of_account(journal, selected, &handle)
                .into_iter()
                .map(|i| journal.entries[i].observed_at.civil().date())
                .collect();
            observed.sort();
            observed.dedup();
            (!points.is_empty()).then_some(Followers {
                handle,
                points,
                observed,
            })
        })
        .collect()
}

/// The engagement rate of every selected content entry that has one, oldest first.
pub fn engagement(journal: &Journal, selected: &[usize]) -> Vec<EngagementPoint> {
    let mut points: Vec<EngagementPoint> = selected
        .iter()
        .filter_map(|&i| {
            let e = &journal.entries[i];
            let rate = e
                .metrics
                .as_deref()
                .filter(|_| e.kind == Kind::Content)
                .and_then(engagement_of)?;
            Some(EngagementPoint {
                entry: i,
                handle: e.accounts.first().cloned(),
                at: e.observed_at,
                rate,
            })
        })
        .collect();
    points.sort_by_key(|p| p.at.timestamp);
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::figures::figures;

    fn demo() -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::write_sample(dir.path()).unwrap();
        let journal = crate::store::open(dir.path()).unwrap().journal;
        (dir, journal)
    }

    #[test]
    fn activity_adds_up_to_the_stats_figures() {
        let (_dir, j) = demo();
        let filter = Filter::default();
        let selected = filter.apply(&j, None);
        let table = figures(&j, &filter);
        let activity = activity(&j, &filter, &selected);
        assert!(!activity.is_empty());
        assert_eq!(activity.len(), table.accounts.len());
        for (a, f) in activity.iter().zip(&table.accounts) {
            assert_eq!(Some(&a.handle), f.handle.as_ref());
            let kinds = |k| a.points.iter().map(|p| p.by_kind.get(k)).sum::<usize>();
            assert_eq!(kinds(Kind::Content), f.by_kind.content, "{}", a.handle);
            assert_eq!(kinds(Kind::Observation), f.by_kind.observation);
            assert_eq!(kinds(Kind::Interview), f.by_kind.interview);
            assert_eq!(kinds(Kind::Memo), f.by_kind.memo);
            let lives: usize = a.points.iter().map(|p| p.lives).sum();
            assert_eq!(lives, f.live_entries);
            assert_eq!(
                a.points.len(),
                f.weeks_observed,
                "one point per observed week"
            );
            assert!(
                a.points
                    .iter()
                    .all(|p| p.week.weekday() == jiff::civil::Weekday::Monday)
            );
        }
        assert!(
            table.accounts.iter().any(|f| f.live_entries > 0),
            "the demo has lives, so the test means something"
        );
    }

    #[test]
    fn engagement_points_average_to_the_stats_rate() {
        let (_dir, j) = demo();
        let filter = Filter::default();
        let selected = filter.apply(&j, None);
        let points = engagement(&j, &selected);
        let table = figures(&j, &filter);
        assert_eq!(points.len(), table.all.engagement_entries);
        let mean = points.iter().map(|p| p.rate).sum::<f64>() / points.len() as f64;
        assert!((mean - table.all.engagement_rate.unwrap()).abs() < 1e-12);
        assert!(
            points
                .windows(2)
                .all(|w| w[0].at.timestamp <= w[1].at.timestamp)
        );
    }

    #[test]
    fn followers_match_the_stats_change() {
        let (_dir, j) = demo();
        let filter = Filter::default();
        let selected = filter.apply(&j, None);
        let series = followers(&j, &filter, &selected);
        let table = figures(&j, &filter);
        assert!(!series.is_empty());
        for s in &series {
            let f = table
                .accounts
                .iter()
                .find(|f| f.handle.as_deref() == Some(&s.handle))
                .unwrap();
            assert_eq!(Some(s.points[0].1), f.followers_first);
            assert_eq!(Some(s.points.last().unwrap().1), f.followers_last);
            assert_eq!(s.observed.len(), {
                let mut d: Vec<_> = of_account(&j, &selected, &s.handle)
                    .iter()
                    .map(|&i| j.entries[i].observed_at.civil().date())
                    .collect();
                d.dedup();
                d.len()
            });
        }
    }

    #[test]
    fn code_share_counts_coded_entries_per_period_and_follows_the_filter() {
        let (_dir, j) = demo();
        let all = Filter::default().apply(&j, None);
        let usage = crate::analysis::usage::code_counts(&j);
        let live = usage.get("live").copied().unwrap_or(0);
        assert!(live > 0);
        for period in [Period::Week, Period::Month] {
            let share = code_share(&j, &all, &["live"], period);
            assert_eq!(share.iter().map(|p| p.total).sum::<usize>(), all.len());
            assert_eq!(share.iter().map(|p| p.entries.len()).sum::<usize>(), live);
            assert!(share.iter().all(|p| (0.0..=1.0).contains(&p.share())));
        }
        let months = code_share(&j, &all, &["live"], Period::Month);
        assert!(months.iter().all(|p| p.start.day() == 1));
        let only_live = Filter {
            all_codes: vec!["live".into()],
            ..Filter::default()
        }
        .apply(&j, None);
        let share = code_share(&j, &only_live, &["live"], Period::Week);
        assert!(share.iter().all(|p| p.share() == 1.0));
    }
}
