//! The charts screen's state and what it draws: a series over time, a cursor on one of
//! its points, and the entries behind that point (Enter opens them, as the matrix's
//! drill-down does). The data come from `analysis::series`, the same selection `stats`
//! and the matrix count.

use jiff::civil::Date;

use super::*;
use crate::analysis::series::{self, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartKind {
    #[default]
    Activity,
    CodeShare,
    Followers,
    Engagement,
}

impl ChartKind {
    pub fn next(self) -> ChartKind {
        match self {
            ChartKind::Activity => ChartKind::CodeShare,
            ChartKind::CodeShare => ChartKind::Followers,
            ChartKind::Followers => ChartKind::Engagement,
            ChartKind::Engagement => ChartKind::Activity,
        }
    }
}

#[derive(Debug, Default)]
pub struct ChartsView {
    pub kind: ChartKind,
    /// The point (x index) the cursor is on; past the end means the last.
    pub cursor: usize,
}

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

impl App {
    /// The entries the charts show: the timeline's filter, search and scope.
    fn chart_selection(&self) -> (crate::analysis::Filter, Vec<usize>) {
        let filter = self.effective_filter();
        let selected = filter.apply(&self.journal, Some(&self.index));
        (filter, selected)
    }

    /// The chart the screen shows now.
    pub fn chart_data(&self) -> ChartData {
        let (filter, selected) = self.chart_selection();
        match self.charts.kind {
            ChartKind::Activity => self.activity_chart(&filter, &selected),
            ChartKind::CodeShare => self.share_chart(&selected),
            ChartKind::Followers => self.followers_chart(&filter, &selected),
            ChartKind::Engagement => self.engagement_chart(&selected),
        }
    }

    fn activity_chart(&self, filter: &crate::analysis::Filter, selected: &[usize]) -> ChartData {
        let activity = series::activity(&self.journal, filter, selected);
        let mut x: Vec<Date> = activity
            .iter()
            .flat_map(|a| a.points.iter().map(|p| p.week))
            .collect();
        x.sort();
        x.dedup();
        let at = |d: Date| x.binary_search(&d).unwrap_or(0) as f64;
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

    /// The code selected on the codebook screen, else the first code.
    fn chart_code(&self) -> Option<&crate::model::Code> {
        let order: Vec<&crate::model::Code> = self
            .journal
            .codebook
            .codes_by_group()
            .into_iter()
            .flat_map(|(_, codes)| codes)
            .collect();
        order.get(self.codebook.selected).or(order.first()).copied()
    }

    fn share_chart(&self, selected: &[usize]) -> ChartData {
        let Some(code) = self.chart_code() else {
            return ChartData::default();
        };
        let points = series::code_share(&self.journal, selected, &[&code.id], Period::Month);
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
            title: format!(
                "{} — share of entries per month (choose the code on the codebook screen)",
                code.name
            ),
            y_label: "%".into(),
            x,
            series: vec![(code.name.clone(), line)],
            behind,
        }
    }

    fn followers_chart(&self, filter: &crate::analysis::Filter, selected: &[usize]) -> ChartData {
        let all = series::followers(&self.journal, filter, selected);
        let mut x: Vec<Date> = all
            .iter()
            .flat_map(|f| {
                f.points
                    .iter()
                    .map(|(d, _)| *d)
                    .chain(f.observed.iter().copied())
            })
            .collect();
        x.sort();
        x.dedup();
        let at = |d: Date| x.binary_search(&d).unwrap_or(0) as f64;
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
                    .filter(|&i| self.journal.entries[i].observed_at.civil().date() == *day)
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

    fn engagement_chart(&self, selected: &[usize]) -> ChartData {
        let points = series::engagement(&self.journal, selected);
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
                let e = &self.journal.entries[p.entry];
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
}
