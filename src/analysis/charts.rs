//! The charts the interface draws and `export --format svg` writes: series over time
//! from `series`, each point with a label and the entries behind it, so that a chart on
//! screen, its drill-down and its SVG figure are one computation.

use jiff::civil::Date;

use super::Filter;
use super::series::{self, Period};
use crate::model::{Code, Journal};

/// One chart, ready to draw: x positions are indices into `x`.
#[derive(Debug, Clone, Default)]
pub struct ChartData {
    pub title: String,
    pub y_label: String,
    pub x: Vec<Date>,
    /// A line per account (or one line), as (name, points (x index, y)).
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    /// What each x stands for, and the entries behind it.
    pub behind: Vec<(String, Vec<usize>)>,
}

impl ChartData {
    pub fn y_max(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|(_, y)| *y))
            .fold(0.0, f64::max)
    }
}

/// The dates of a chart's x axis: each once, in order.
fn date_axis(dates: impl Iterator<Item = Date>) -> Vec<Date> {
    let mut x: Vec<Date> = dates.collect();
    x.sort();
    x.dedup();
    x
}

/// Where date `d` stands on axis `x` (its index; the first for a date not on it).
fn position(x: &[Date], d: Date) -> f64 {
    x.binary_search(&d).unwrap_or(0) as f64
}

/// Entries per week, a line per account; behind each week, its entries.
pub fn activity(journal: &Journal, filter: &Filter, selected: &[usize]) -> ChartData {
    let activity = series::activity(journal, filter, selected);
    let x = date_axis(
        activity
            .iter()
            .flat_map(|a| a.points.iter().map(|p| p.week)),
    );
    let at = |d: Date| position(&x, d);
    let series = activity
        .iter()
        .map(|a| {
            let points = a
                .points
                .iter()
                .map(|p| (at(p.week), p.entries.len() as f64))
                .collect();
            (format!("@{}", a.handle), points)
        })
        .collect();
    let behind = x
        .iter()
        .map(|week| {
            let mut entries = Vec::new();
            let mut parts = Vec::new();
            for a in &activity {
                if let Some(p) = a.points.iter().find(|p| p.week == *week) {
                    entries.extend(&p.entries);
                    let lives = if p.lives > 0 {
                        format!(" ({} live)", p.lives)
                    } else {
                        String::new()
                    };
                    parts.push(format!("@{} {}{lives}", a.handle, p.entries.len()));
                }
            }
            entries.sort_unstable();
            entries.dedup();
            (format!("week of {week}: {}", parts.join(" · ")), entries)
        })
        .collect();
    ChartData {
        title: "Entries per week, by account".into(),
        y_label: "entries".into(),
        x,
        series,
        behind,
    }
}

/// The share of the selected entries per month that carry `code`.
pub fn code_share(journal: &Journal, selected: &[usize], code: &Code) -> ChartData {
    let points = series::code_share(journal, selected, &[&code.id], Period::Month);
    let x: Vec<Date> = points.iter().map(|p| p.start).collect();
    let line = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, p.share() * 100.0))
        .collect();
    let behind = points
        .iter()
        .map(|p| {
            (
                format!(
                    "{}: {} of {} entries carry {} ({:.0}%)",
                    p.start.strftime("%Y-%m"),
                    p.entries.len(),
                    p.total,
                    code.name,
                    p.share() * 100.0
                ),
                p.entries.clone(),
            )
        })
        .collect();
    ChartData {
        title: format!("{} — share of entries per month", code.name),
        y_label: "%".into(),
        x,
        series: vec![(code.name.clone(), line)],
        behind,
    }
}

/// Followers over time, a line per account; behind each day, the entries observed.
pub fn followers(journal: &Journal, filter: &Filter, selected: &[usize]) -> ChartData {
    let all = series::followers(journal, filter, selected);
    let x = date_axis(all.iter().flat_map(|f| {
        f.points
            .iter()
            .map(|(d, _)| *d)
            .chain(f.observed.iter().copied())
    }));
    let at = |d: Date| position(&x, d);
    let series = all
        .iter()
        .map(|f| {
            let points = f.points.iter().map(|(d, n)| (at(*d), *n as f64)).collect();
            (format!("@{}", f.handle), points)
        })
        .collect();
    let behind = x
        .iter()
        .map(|day| {
            let entries: Vec<usize> = selected
                .iter()
                .copied()
                .filter(|&i| journal.entries[i].observed_at.civil().date() == *day)
                .collect();
            let counts: Vec<String> = all
                .iter()
                .filter_map(|f| {
                    let n = f.points.iter().find(|(d, _)| d == day)?.1;
                    Some(format!("@{} {n}", f.handle))
                })
                .collect();
            let label = if counts.is_empty() {
                format!("{day}: observed, no count")
            } else {
                format!("{day}: {}", counts.join(" · "))
            };
            (
                format!("{label} · {} entries that day", entries.len()),
                entries,
            )
        })
        .collect();
    ChartData {
        title: "Followers, with the days observed".into(),
        y_label: "followers".into(),
        x,
        series,
        behind,
    }
}

/// Engagement per post, a line per account; behind each point, its post.
pub fn engagement(journal: &Journal, selected: &[usize]) -> ChartData {
    let points = series::engagement(journal, selected);
    let x: Vec<Date> = points.iter().map(|p| p.at.civil().date()).collect();
    let mut by_account: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let name = p
            .handle
            .as_deref()
            .map_or("(no account)".to_string(), |h| format!("@{h}"));
        match by_account.iter_mut().find(|(n, _)| *n == name) {
            Some((_, line)) => line.push((i as f64, p.rate * 100.0)),
            None => by_account.push((name, vec![(i as f64, p.rate * 100.0)])),
        }
    }
    let behind = points
        .iter()
        .map(|p| {
            let e = &journal.entries[p.entry];
            (
                format!(
                    "{} {}: engagement {:.1}%",
                    e.observed_at.short(),
                    e.headline(),
                    p.rate * 100.0
                ),
                vec![p.entry],
            )
        })
        .collect();
    ChartData {
        title: "Engagement per post: (likes + comments + shares) / views".into(),
        y_label: "%".into(),
        x,
        series: by_account,
        behind,
    }
}
