//! `stats` as text tables for a terminal (at most 80 columns).

use super::*;

/// A text table: right-aligned cells after a left-aligned label column, and group
/// headings between rows.
pub(super) struct TextTable {
    pub(super) title: String,
    pub(super) headers: Vec<String>,
    pub(super) rows: Vec<(String, Option<Vec<String>>)>,
}

impl TextTable {
    /// A table under `title`, with `label` heading the first column.
    pub(super) fn new(
        title: String,
        label: &str,
        headers: impl IntoIterator<Item = String>,
    ) -> TextTable {
        TextTable {
            title,
            headers: std::iter::once(label.to_string()).chain(headers).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, label: String, cells: Vec<String>) {
        self.rows.push((label, Some(cells)));
    }

    /// A line of its own (a group's name) above the rows that follow.
    fn heading(&mut self, label: String) {
        self.rows.push((label, None));
    }

    fn render(&self, label_max: usize) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        widths[0] = widths[0].max(
            self.rows
                .iter()
                .filter(|(_, c)| c.is_some())
                .map(|(l, _)| l.width())
                .max()
                .unwrap_or(0),
        );
        widths[0] = widths[0].min(label_max);
        for (_, cells) in &self.rows {
            for (i, c) in cells.iter().flatten().enumerate() {
                widths[i + 1] = widths[i + 1].max(c.width());
            }
        }
        let mut s = String::new();
        if !self.title.is_empty() {
            s.push_str(&self.title);
            s.push('\n');
        }
        let line = |s: &mut String, label: &str, cells: &[String]| {
            let label = truncate(label, widths[0]);
            s.push_str(&label);
            s.push_str(&" ".repeat(widths[0] - label.width()));
            for (i, c) in cells.iter().enumerate() {
                let gap = if i == 0 { 1 } else { 2 };
                s.push_str(&" ".repeat(gap + widths[i + 1] - c.width()));
                s.push_str(c);
            }
            s.truncate(s.trim_end().len());
            s.push('\n');
        };
        line(&mut s, &self.headers[0], &self.headers[1..]);
        for (label, cells) in &self.rows {
            match cells {
                Some(cells) => line(&mut s, label, cells),
                None => {
                    s.push_str(&truncate(label, 78));
                    s.push('\n');
                }
            }
        }
        s
    }
}

pub(super) fn figures_text(t: &FigureTable) -> String {
    let label = |f: &Figures| match &f.handle {
        Some(h) => format!("@{}", one_line(h)),
        None => "all selected".to_string(),
    };
    let rows: Vec<&Figures> = t.accounts.iter().chain(std::iter::once(&t.all)).collect();
    let date = |m: &Option<crate::model::Moment>| {
        m.map_or_else(|| "-".into(), |m| m.civil().date().to_string())
    };
    let mut observed = TextTable::new(
        "Per account: what was observed".into(),
        "",
        [
            "entries", "obs", "cont", "intv", "memo", "first", "last", "weeks",
        ]
        .map(String::from),
    );
    for f in &rows {
        let mut cells = vec![f.entries.to_string()];
        cells.extend(Kind::ALL.iter().map(|k| f.by_kind.get(*k).to_string()));
        cells.push(date(&f.first_observed));
        cells.push(date(&f.last_observed));
        cells.push(f.weeks_observed.to_string());
        observed.row(label(f), cells);
    }
    let mut figures = TextTable::new(
        "Per account: the study's figures".into(),
        "",
        [
            "lives",
            "/week",
            "n",
            "replies",
            "engage.",
            "followers",
            "change",
            "",
        ]
        .map(String::from),
    );
    for f in &rows {
        let n = f.reply_entries.max(f.engagement_entries);
        figures.row(
            label(f),
            vec![
                f.live_entries.to_string(),
                f.lives_per_week
                    .map_or_else(|| "-".into(), |v| format!("{v:.2}")),
                n.to_string(),
                percent(f.reply_share),
                percent(f.engagement_rate),
                f.followers_last.map_or_else(|| "-".into(), thousands),
                f.follower_change.map_or_else(
                    || "-".into(),
                    |c| {
                        let sign = if c < 0 { '-' } else { '+' };
                        format!("{sign}{}", thousands(c.unsigned_abs()))
                    },
                ),
                f.follower_change_share
                    .map_or_else(String::new, |s| format!("{:+.1}%", s * 100.0)),
            ],
        );
    }
    let sessions = sessions_table(&rows, &label);
    format!(
        "{}\n{}\
         lives: entries coded `live` (a live session with its moments is one); /week: per\n\
         week from the first to the last entry; n: content entries with metrics; replies:\n\
         replied / comments over them; engage.: mean (likes + comments + shares) / views;\n\
         change: first to last count.\n\n{sessions}",
        observed.render(20),
        figures.render(20)
    )
}

/// Live sessions per account, when any were noted as sessions (`fieldnote live`, `L`).
pub(super) fn sessions_table(rows: &[&Figures], label: &dyn Fn(&Figures) -> String) -> String {
    if rows.iter().all(|f| f.sessions == 0) {
        return String::new();
    }
    let mut table = TextTable::new(
        "Per account: live sessions".into(),
        "",
        ["sessions", "moments", "minutes", "peak viewers"].map(String::from),
    );
    let one = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.1}"));
    for f in rows {
        table.row(
            label(f),
            vec![
                f.sessions.to_string(),
                one(f.moments_per_session),
                one(f.session_minutes),
                f.peak_viewers.map_or_else(|| "-".into(), thousands),
            ],
        );
    }
    format!(
        "{}\
         sessions: live entries with noted moments; moments and minutes: mean per\n\
         session; peak viewers: the largest `viewers N` noted.\n\n",
        table.render(20)
    )
}

pub(super) fn thousands(n: u64) -> String {
    crate::interop::export::markdown::thousands(n)
}

pub(super) fn axis_name(by: By) -> &'static str {
    match by {
        By::Account => "accounts",
        By::Kind => "kinds",
        By::Month => "months",
    }
}

/// Column headings: codes by id when they are the columns (names are too long).
pub(super) fn col_labels(m: &Matrix) -> Vec<String> {
    m.cols()
        .iter()
        .map(|h| {
            if m.transposed {
                one_line(&h.id)
            } else {
                one_line(&h.label)
            }
        })
        .collect()
}

pub(super) fn matrix_text(m: &Matrix, values: Values) -> String {
    let title = if m.transposed {
        format!("{} × codes", capitalise(axis_name(m.by)))
    } else {
        format!("Codes × {}", axis_name(m.by))
    };
    let mut out = String::new();
    let tables: &[(bool, &str)] = match values {
        Values::Count => &[(false, "entries")],
        Values::Share => &[(true, "share of the column's entries")],
        Values::Both => &[(false, "entries"), (true, "share of the column's entries")],
    };
    let of_account = match (m.by, m.transposed) {
        (By::Account, false) => "share of the account's entries",
        (By::Account, true) => "share of the account's entries (by row)",
        _ => "",
    };
    for &(share, what) in tables {
        let what = if share && !of_account.is_empty() {
            of_account
        } else {
            what
        };
        let mut table = TextTable::new(
            format!("{title}: {what}"),
            "",
            col_labels(m).into_iter().chain(["total".to_string()]),
        );
        let mut group: Option<&str> = None;
        for (r, h) in m.rows().iter().enumerate() {
            if !m.transposed && h.group.as_deref() != group {
                group = h.group.as_deref();
                table.heading(one_line(group.unwrap_or("")));
            }
            let mut cells: Vec<String> = (0..m.cols().len())
                .map(|c| cell(m.count(r, c), m.share(r, c), share))
                .collect();
            cells.push(cell(m.row_total(r), m.row_share(r), share));
            let indent = if m.transposed { "" } else { "  " };
            table.row(format!("{indent}{}", one_line(&h.label)), cells);
        }
        let mut totals: Vec<String> = (0..m.cols().len())
            .map(|c| cell(m.col_total(c), m.col_share(c), share))
            .collect();
        totals.push(cell(m.total(), m.total_share(), share));
        table.row("total (entries)".into(), totals);
        out.push_str(&table.render(26));
        out.push('\n');
    }
    out
}

pub(super) fn cell(count: usize, share: Option<f64>, as_share: bool) -> String {
    if as_share {
        percent(share)
    } else {
        count.to_string()
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn co_text(co: &CoOccurrence, limit: usize) -> String {
    let pairs = co.pairs();
    let shown = if limit == 0 {
        pairs.len()
    } else {
        limit.min(pairs.len())
    };
    let mut s = format!(
        "Codes together: top {shown} of {} pairs (entries with both)\n",
        pairs.len()
    );
    if !co.skipped.is_empty() {
        s.push_str(&format!(
            "  ({} entries with over {} codes count alone, without pairs; see `fieldnote check`)\n",
            co.skipped.len(),
            crate::analysis::cooccurrence::MAX_PAIRED_CODES
        ));
    }
    let name = |i: usize| truncate(&one_line(&co.codes[i].label), 30);
    for p in &pairs[..shown] {
        let a = name(p.a);
        let gap = " ".repeat(32 - a.width());
        s.push_str(&format!("  {:>5}  {a}{gap}{}\n", p.count, name(p.b)));
    }
    s.push('\n');
    s
}
