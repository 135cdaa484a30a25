//! `fieldnote stats`: the code matrix, the per-account figures of the founding study and
//! code co-occurrence, as text tables (fitting 80 columns where the data allows), CSV
//! or JSON. Definitions: docs/export.md.

use clap::{Args, ValueEnum};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::args::{FilterArgs, Global};
use super::list::build_filter;
use super::output::{print_json, truncate};
use super::{CliResult, open_journal};
use crate::analysis::figures::{FigureTable, Figures, figures_of};
use crate::analysis::{By, CoOccurrence, Filter, Matrix};
use crate::interop::export::csv::Csv;
use crate::model::text::one_line;
use crate::model::{Journal, Kind};

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum StatsFormat {
    #[default]
    Text,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ByArg {
    #[default]
    Account,
    Kind,
    Month,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Values {
    Count,
    Share,
    #[default]
    Both,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Table {
    Matrix,
    Figures,
    Cooccurrence,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Matrix columns: accounts, kinds or months
    #[arg(long, value_enum, default_value_t)]
    pub by: ByArg,
    #[arg(long, value_enum, default_value_t)]
    pub format: StatsFormat,
    /// Matrix cells: entry counts, shares of the column's entries, or both
    #[arg(long, value_enum, default_value_t)]
    pub values: Values,
    /// Swap the matrix's rows and columns (codes become columns)
    #[arg(long)]
    pub transpose: bool,
    /// Only this table (CSV holds one table: the matrix unless this names another)
    #[arg(long, value_enum)]
    pub only: Option<Table>,
    /// How many co-occurring code pairs the text lists (0: all)
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub pairs: usize,
}

pub fn run(global: &Global, args: StatsArgs) -> CliResult {
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let filter = build_filter(journal, &args.filter)?;
    let by = match args.by {
        ByArg::Account => By::Account,
        ByArg::Kind => By::Kind,
        ByArg::Month => By::Month,
    };
    let mut matrix = Matrix::compute(journal, &filter, by);
    if args.transpose {
        matrix.transpose();
    }
    let figures = figures_of(journal, &filter, matrix.selected());
    let co = CoOccurrence::of(journal, matrix.selected().to_vec());
    let wants = |t: Table| args.only.is_none_or(|o| o == t);
    let text = match args.format {
        StatsFormat::Json => {
            return print_json(&StatsJson {
                filter: filter.describe(&journal.settings.time_zone()),
                selected: matrix.total(),
                base: matrix.base_total(),
                matrix: wants(Table::Matrix).then(|| MatrixJson::new(&matrix)),
                figures: wants(Table::Figures).then_some(&figures),
                cooccurrence: wants(Table::Cooccurrence).then(|| CoJson::new(&co)),
            });
        }
        StatsFormat::Csv => match args.only.unwrap_or(Table::Matrix) {
            Table::Matrix => matrix_csv(&matrix, args.values),
            Table::Figures => figures_csv(&figures),
            Table::Cooccurrence => co_csv(&co),
        },
        StatsFormat::Text => {
            let mut out = header(journal, &filter, &matrix);
            if wants(Table::Figures) {
                out.push_str(&figures_text(&figures));
            }
            if wants(Table::Matrix) {
                out.push_str(&matrix_text(&matrix, args.values));
            }
            if wants(Table::Cooccurrence) {
                out.push_str(&co_text(&co, args.pairs));
            }
            out
        }
    };
    use std::io::Write;
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// `34.9%`, or `-` when there is nothing to take a share of.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.1}%", s * 100.0))
}

/// `34.9` for CSV (no `%`), empty when undefined.
fn percent_number(share: Option<f64>) -> String {
    share.map_or_else(String::new, |s| format!("{:.1}", s * 100.0))
}

fn header(journal: &Journal, filter: &Filter, m: &Matrix) -> String {
    let title = one_line(&journal.settings.title);
    let mut s = if title.is_empty() {
        String::new()
    } else {
        format!("{title}\n")
    };
    s.push_str(&format!(
        "{} of {} entries selected",
        m.total(),
        journal.entries.len()
    ));
    if !filter.is_empty() {
        s.push_str(&format!(
            ": {}",
            one_line(&filter.describe(&journal.settings.time_zone()))
        ));
    }
    s.push_str("\n\n");
    s
}

/// A text table: right-aligned cells after a left-aligned label column, and group
/// headings between rows.
struct TextTable {
    title: String,
    headers: Vec<String>,
    rows: Vec<(String, Option<Vec<String>>)>,
}

impl TextTable {
    /// A table under `title`, with `label` heading the first column.
    fn new(title: String, label: &str, headers: impl IntoIterator<Item = String>) -> TextTable {
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

fn figures_text(t: &FigureTable) -> String {
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
fn sessions_table(rows: &[&Figures], label: &dyn Fn(&Figures) -> String) -> String {
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

fn thousands(n: u64) -> String {
    crate::interop::export::markdown::thousands(n)
}

fn axis_name(by: By) -> &'static str {
    match by {
        By::Account => "accounts",
        By::Kind => "kinds",
        By::Month => "months",
    }
}

/// Column headings: codes by id when they are the columns (names are too long).
fn col_labels(m: &Matrix) -> Vec<String> {
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

fn matrix_text(m: &Matrix, values: Values) -> String {
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

fn cell(count: usize, share: Option<f64>, as_share: bool) -> String {
    if as_share {
        percent(share)
    } else {
        count.to_string()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn co_text(co: &CoOccurrence, limit: usize) -> String {
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

fn col_key(h: &crate::analysis::matrix::Header) -> String {
    if h.id.is_empty() {
        "none".to_string()
    } else {
        h.id.clone()
    }
}

fn matrix_csv(m: &Matrix, values: Values) -> String {
    let (counts, shares) = match values {
        Values::Count => (true, false),
        Values::Share => (false, true),
        Values::Both => (true, true),
    };
    let mut csv = Csv::new();
    let mut header = vec!["group".to_string(), "id".into(), "label".into()];
    let keys: Vec<String> = m
        .cols()
        .iter()
        .map(col_key)
        .chain(["total".to_string()])
        .collect();
    for k in &keys {
        if counts {
            header.push(k.clone());
        }
        if shares {
            header.push(format!("{k}_pct"));
        }
    }
    csv.row(&header);
    let push = |row: &mut Vec<String>, count: usize, share: Option<f64>| {
        if counts {
            row.push(count.to_string());
        }
        if shares {
            row.push(percent_number(share));
        }
    };
    for (r, h) in m.rows().iter().enumerate() {
        let mut row = vec![
            h.group.clone().unwrap_or_default(),
            col_key(h),
            h.label.clone(),
        ];
        for c in 0..m.cols().len() {
            push(&mut row, m.count(r, c), m.share(r, c));
        }
        push(&mut row, m.row_total(r), m.row_share(r));
        csv.row(&row);
    }
    let mut row = vec![String::new(), "total".into(), "total (entries)".into()];
    for c in 0..m.cols().len() {
        push(&mut row, m.col_total(c), m.col_share(c));
    }
    push(&mut row, m.total(), m.total_share());
    csv.row(&row);
    csv.finish()
}

fn figures_csv(t: &FigureTable) -> String {
    let mut csv = Csv::new();
    csv.row([
        "account",
        "entries",
        "observation",
        "content",
        "interview",
        "memo",
        "first_observed",
        "last_observed",
        "weeks_observed",
        "span_weeks",
        "live_entries",
        "lives_per_week",
        "sessions",
        "moments_per_session",
        "session_minutes",
        "peak_viewers",
        "reply_entries",
        "comments",
        "replied_comments",
        "reply_share_pct",
        "engagement_entries",
        "engagement_rate_pct",
        "followers_first",
        "followers_last",
        "follower_change",
        "follower_change_pct",
    ]);
    let opt = |v: Option<String>| v.unwrap_or_default();
    for f in t.accounts.iter().chain(std::iter::once(&t.all)) {
        csv.row([
            f.handle.clone().unwrap_or_else(|| "all".into()),
            f.entries.to_string(),
            f.by_kind.observation.to_string(),
            f.by_kind.content.to_string(),
            f.by_kind.interview.to_string(),
            f.by_kind.memo.to_string(),
            opt(f.first_observed.map(|m| m.to_string())),
            opt(f.last_observed.map(|m| m.to_string())),
            f.weeks_observed.to_string(),
            format!("{:.2}", f.span_weeks),
            f.live_entries.to_string(),
            opt(f.lives_per_week.map(|v| format!("{v:.2}"))),
            f.sessions.to_string(),
            opt(f.moments_per_session.map(|v| format!("{v:.2}"))),
            opt(f.session_minutes.map(|v| format!("{v:.1}"))),
            opt(f.peak_viewers.map(|v| v.to_string())),
            f.reply_entries.to_string(),
            f.comments.to_string(),
            f.replied_comments.to_string(),
            percent_number(f.reply_share),
            f.engagement_entries.to_string(),
            percent_number(f.engagement_rate),
            opt(f.followers_first.map(|v| v.to_string())),
            opt(f.followers_last.map(|v| v.to_string())),
            opt(f.follower_change.map(|v| v.to_string())),
            percent_number(f.follower_change_share),
        ]);
    }
    csv.finish()
}

/// The most codes for which a full co-occurrence matrix is written (JSON `counts`, CSV):
/// 10,000 codes would make 100 million cells. Pairs are always listed.
const MAX_FULL_CODES: usize = 2000;

fn co_csv(co: &CoOccurrence) -> String {
    let mut csv = Csv::new();
    if co.codes.len() > MAX_FULL_CODES {
        // Too many codes for a square table: one row per pair that occurs.
        csv.row(["code_a", "code_b", "count"].map(String::from));
        for p in co.pairs() {
            let (a, b) = (co.codes[p.a].id.clone(), co.codes[p.b].id.clone());
            csv.row([a, b, p.count.to_string()]);
        }
        return csv.finish();
    }
    csv.row(std::iter::once("code".to_string()).chain(co.codes.iter().map(|h| h.id.clone())));
    for (h, row) in co.codes.iter().zip(co.rows()) {
        csv.row(std::iter::once(h.id.clone()).chain(row.iter().map(|n| n.to_string())));
    }
    csv.finish()
}

#[derive(Serialize)]
struct StatsJson<'a> {
    filter: String,
    selected: usize,
    base: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    matrix: Option<MatrixJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    figures: Option<&'a FigureTable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cooccurrence: Option<CoJson<'a>>,
}

#[derive(Serialize)]
struct Cell {
    count: usize,
    share: Option<f64>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    #[serde(flatten)]
    header: &'a crate::analysis::matrix::Header,
    cells: Vec<Cell>,
    total: Cell,
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    by: By,
    transposed: bool,
    columns: &'a [crate::analysis::matrix::Header],
    rows: Vec<RowJson<'a>>,
    totals: Vec<Cell>,
    total: Cell,
}

impl<'a> MatrixJson<'a> {
    fn new(m: &'a Matrix) -> MatrixJson<'a> {
        let cols = 0..m.cols().len();
        MatrixJson {
            by: m.by,
            transposed: m.transposed,
            columns: m.cols(),
            rows: m
                .rows()
                .iter()
                .enumerate()
                .map(|(r, header)| RowJson {
                    header,
                    cells: cols
                        .clone()
                        .map(|c| Cell {
                            count: m.count(r, c),
                            share: m.share(r, c),
                        })
                        .collect(),
                    total: Cell {
                        count: m.row_total(r),
                        share: m.row_share(r),
                    },
                })
                .collect(),
            totals: cols
                .map(|c| Cell {
                    count: m.col_total(c),
                    share: m.col_share(c),
                })
                .collect(),
            total: Cell {
                count: m.total(),
                share: m.total_share(),
            },
        }
    }
}

#[derive(Serialize)]
struct PairJson<'a> {
    a: &'a str,
    b: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct CoJson<'a> {
    codes: Vec<&'a str>,
    /// The full matrix, left out over `MAX_FULL_CODES` codes (it grows with codes²).
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<Vec<Vec<usize>>>,
    pairs: Vec<PairJson<'a>>,
}

impl<'a> CoJson<'a> {
    fn new(co: &'a CoOccurrence) -> CoJson<'a> {
        CoJson {
            codes: co.codes.iter().map(|h| h.id.as_str()).collect(),
            counts: (co.codes.len() <= MAX_FULL_CODES).then(|| co.rows().collect()),
            pairs: co
                .pairs()
                .into_iter()
                .map(|p| PairJson {
                    a: &co.codes[p.a].id,
                    b: &co.codes[p.b].id,
                    count: p.count,
                })
                .collect(),
        }
    }
}
