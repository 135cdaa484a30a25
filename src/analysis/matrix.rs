//! The data display of Miles & Huberman: codes (grouped by dimension) against accounts,
//! kinds or months. Each cell counts the entries that carry the code in that column and
//! keeps them, so a screen can drill down to the quotes behind a number.
//!
//! Shares are of the column's entries in the *base* selection: the filter's accounts,
//! kinds and dates, without its code, text and comment conditions. So with
//! `--kind content` a cell is "share of the account's content entries", and a code filter
//! narrows what is counted, not what it is a share of.

use std::collections::BTreeSet;

use rayon::prelude::*;

use serde::Serialize;

use super::Filter;
use super::keys::{EntryKeys, Packed};
use crate::model::{Journal, Kind};

/// What the columns are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Account,
    Kind,
    Month,
}

/// A row or column heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Code id, account handle, kind name or `YYYY-MM`; empty for "no account".
    pub id: String,
    /// What a person reads: the code's name, `@handle`, `content`, `2026-03`.
    pub label: String,
    /// For codes: the name of their group (dimension), `None` outside the codebook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

/// The label of the column of entries that name no account.
pub const NO_ACCOUNT: &str = "(none)";
/// The group label of codes that entries carry but the codebook does not define.
pub const NOT_IN_CODEBOOK: &str = "(not in codebook)";

/// Codes × columns, with the entries behind every cell and both totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub by: By,
    /// The code axis, in codebook display order (codes of one group together).
    pub codes: Vec<Header>,
    /// The account / kind / month axis.
    pub columns: Vec<Header>,
    /// Rows are columns and columns codes when true; see `rows` and `cols`.
    pub transposed: bool,
    /// The entries (indices, oldest first) behind each cell (row-major by code), then
    /// each code's total (an entry about two accounts counts once), then each column's.
    lists: Lists,
    /// Base entries in each column: the denominators of shares.
    column_base: Vec<usize>,
    /// Every selected entry.
    selected: Vec<usize>,
    /// Number of base entries.
    base_total: usize,
}

impl Matrix {
    /// The matrix of `journal` for the entries `filter` selects, columns `by`.
    pub fn compute(journal: &Journal, filter: &Filter, by: By) -> Matrix {
        Matrix::compute_with(journal, &EntryKeys::of(journal), filter, by)
    }

    /// [`Matrix::compute`] with the journal's entries already numbered (`keys`, built
    /// for this very journal), as an interface that counts again and again keeps them.
    pub fn compute_with(journal: &Journal, keys: &EntryKeys, filter: &Filter, by: By) -> Matrix {
        debug_assert_eq!(keys.entries(), journal.entries.len());
        let selected = filter.apply(journal, None);
        let base_only = base_filter(filter);
        // Without code, text or comment conditions the base is the selection itself.
        let same = base_only == *filter;
        let base = if same {
            Vec::new()
        } else {
            base_only.apply(journal, None)
        };
        let base = if same { &selected } else { &base };
        let (codes, rows) = code_rows(journal, keys, &selected);
        let (columns, place) = column_axis(journal, keys, filter, base, by);
        let counts = count(
            journal,
            keys,
            &selected,
            &rows,
            &place,
            (codes.len(), columns.len()),
        );
        let column_base = if same {
            (0..columns.len()).map(|c| counts.column(c).len()).collect()
        } else {
            let mut column_base = vec![0; columns.len()];
            let mut cols = Vec::new();
            for &i in base {
                place.columns_of(journal, keys, i, &mut cols);
                for &c in &cols {
                    column_base[c] += 1;
                }
            }
            column_base
        };
        let base_total = base.len();
        Matrix {
            by,
            codes,
            columns,
            transposed: false,
            lists: counts,
            column_base,
            selected,
            base_total,
        }
    }

    /// Swap rows and columns.
    pub fn transpose(&mut self) {
        self.transposed = !self.transposed;
    }

    /// Row headings as displayed.
    pub fn rows(&self) -> &[Header] {
        if self.transposed {
            &self.columns
        } else {
            &self.codes
        }
    }

    /// Column headings as displayed.
    pub fn cols(&self) -> &[Header] {
        if self.transposed {
            &self.codes
        } else {
            &self.columns
        }
    }

    /// (code, column) of displayed cell (row, col).
    fn at(&self, row: usize, col: usize) -> (usize, usize) {
        if self.transposed {
            (col, row)
        } else {
            (row, col)
        }
    }

    /// The entries (indices into `journal.entries`, oldest first) behind a cell.
    pub fn entries(&self, row: usize, col: usize) -> &[usize] {
        let (code, column) = self.at(row, col);
        self.lists.cell(code, column)
    }

    pub fn count(&self, row: usize, col: usize) -> usize {
        self.entries(row, col).len()
    }

    /// The cell's count as a share of its column's (account's, kind's, month's) base
    /// entries; `None` when that column has none.
    pub fn share(&self, row: usize, col: usize) -> Option<f64> {
        let (_, column) = self.at(row, col);
        ratio(self.count(row, col), self.column_base[column])
    }

    /// The entries behind a row's total: all selected entries of that code (or column).
    pub fn row_entries(&self, row: usize) -> &[usize] {
        if self.transposed {
            self.lists.column(row)
        } else {
            self.lists.code(row)
        }
    }

    /// The entries behind a column's total.
    pub fn col_entries(&self, col: usize) -> &[usize] {
        if self.transposed {
            self.lists.code(col)
        } else {
            self.lists.column(col)
        }
    }

    pub fn row_total(&self, row: usize) -> usize {
        self.row_entries(row).len()
    }

    pub fn col_total(&self, col: usize) -> usize {
        self.col_entries(col).len()
    }

    /// A code's total is a share of all base entries; a column's total a share of that
    /// column's base entries.
    pub fn row_share(&self, row: usize) -> Option<f64> {
        if self.transposed {
            ratio(self.row_total(row), self.column_base[row])
        } else {
            ratio(self.row_total(row), self.base_total)
        }
    }

    pub fn col_share(&self, col: usize) -> Option<f64> {
        if self.transposed {
            ratio(self.col_total(col), self.base_total)
        } else {
            ratio(self.col_total(col), self.column_base[col])
        }
    }

    /// Every selected entry: the drill-down of the grand total.
    pub fn selected(&self) -> &[usize] {
        &self.selected
    }

    pub fn total(&self) -> usize {
        self.selected.len()
    }

    pub fn total_share(&self) -> Option<f64> {
        ratio(self.total(), self.base_total)
    }

    /// The denominator of the shares in column `column` of the code axis layout.
    pub fn column_base(&self, column: usize) -> usize {
        self.column_base[column]
    }

    pub fn base_total(&self) -> usize {
        self.base_total
    }
}

/// `part / whole`, or `None` for an empty whole.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The selection shares are taken of: the filter without its code, text and comment
/// conditions.
pub fn base_filter(filter: &Filter) -> Filter {
    Filter {
        accounts: filter.accounts.clone(),
        kinds: filter.kinds.clone(),
        since: filter.since,
        until: filter.until,
        ..Filter::default()
    }
}

/// Every code of the codebook in display order, then the codes the selected entries
/// carry that the codebook does not know.
pub fn code_axis(journal: &Journal, selected: &[usize]) -> Vec<Header> {
    let mut headers = codebook_axis(journal);
    let known: std::collections::HashSet<&str> = headers.iter().map(|h| h.id.as_str()).collect();
    let unknown: BTreeSet<&str> = selected
        .par_iter()
        .flat_map_iter(|&i| journal.entries[i].carried_codes_with_repeats())
        .filter(|c| !known.contains(c))
        .collect();
    headers.extend(unknown.into_iter().map(unknown_code));
    headers
}

/// Every code of the codebook in display order.
fn codebook_axis(journal: &Journal) -> Vec<Header> {
    let mut headers = Vec::new();
    for (group, codes) in journal.codebook.codes_by_group() {
        for code in codes {
            headers.push(Header {
                id: code.id.clone(),
                label: if code.name.is_empty() {
                    code.id.clone()
                } else {
                    code.name.clone()
                },
                group: Some(group.map_or_else(|| code.group.clone(), |g| g.name.clone())),
            });
        }
    }
    headers
}

fn unknown_code(id: &str) -> Header {
    Header {
        id: id.to_string(),
        label: id.to_string(),
        group: Some(NOT_IN_CODEBOOK.to_string()),
    }
}

/// Where an entry's columns are: by the number of its accounts, its kind, its month.
struct Columns {
    by: By,
    /// Account number → column.
    of_account: Vec<Option<usize>>,
    /// The column of entries that name no account.
    no_account: Option<usize>,
    /// Kind (as in `Kind::ALL`) → column.
    of_kind: [Option<usize>; Kind::ALL.len()],
    /// (year, month) → column.
    of_month: std::collections::HashMap<(i16, i8), usize>,
}

impl Columns {
    /// The columns entry `i` falls in, each once, into `out`: those of its accounts (or
    /// the no-account column), its kind, or its month; keys without a column are passed
    /// over.
    fn columns_of(&self, journal: &Journal, keys: &EntryKeys, i: usize, out: &mut Vec<usize>) {
        out.clear();
        match self.by {
            By::Account => {
                let accounts = keys.accounts_of(i);
                if accounts.is_empty() {
                    out.extend(self.no_account);
                }
                // Numbers are each once per entry, and so are their columns.
                out.extend(accounts.iter().filter_map(|&n| self.of_account[n as usize]));
            }
            By::Kind => out.extend(self.of_kind[kind_index(journal.entries[i].kind)]),
            By::Month => out.extend(self.of_month.get(&keys.month(i)).copied()),
        }
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The matrix's lists of entries, stored end to end (one allocation for a thousand
/// cells, filled without ever growing): cells first (row-major by code), then codes,
/// then columns.
#[derive(Clone, Debug, Default, PartialEq)]
struct Lists {
    packed: Packed<usize>,
    width: usize,
    height: usize,
}

impl Lists {
    fn cell(&self, code: usize, column: usize) -> &[usize] {
        self.packed.list(code * self.width + column)
    }

    fn code(&self, code: usize) -> &[usize] {
        self.packed.list(self.height * self.width + code)
    }

    fn column(&self, column: usize) -> &[usize] {
        self.packed
            .list(self.height * self.width + self.height + column)
    }
}

/// Entries sized by one task: enough to share the work between cores.
const CHUNK: usize = 8192;

/// Count the selected entries into cells, a counting sort: the lists' sizes first (in
/// parallel by chunks), then each entry into its place, in selection order so every
/// list stays oldest first. `rows` maps a code number to its row; `height` and `width`
/// are the axes' lengths.
fn count(
    journal: &Journal,
    keys: &EntryKeys,
    selected: &[usize],
    rows: &[Option<usize>],
    place: &Columns,
    (height, width): (usize, usize),
) -> Lists {
    // One numbering of every list: cells row by row, then codes, then columns.
    let (codes_at, columns_at) = (height * width, height * width + height);
    let lists = columns_at + width;
    let walk = Walk {
        journal,
        keys,
        rows,
        place,
        width,
        codes_at,
        columns_at,
    };
    let sizes = selected
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut sizes = vec![0usize; lists];
            let mut cols = Vec::new();
            for &i in chunk {
                walk.lists_of(i, &mut cols, |b| sizes[b] += 1);
            }
            sizes
        })
        .reduce(
            || vec![0; lists],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                a
            },
        );
    let mut starts = Vec::with_capacity(lists);
    let mut total = 0;
    for size in &sizes {
        starts.push(total);
        total += size;
    }
    let mut next = starts.clone();
    let mut items = vec![0; total];
    let mut cols = Vec::new();
    for &i in selected {
        walk.lists_of(i, &mut cols, |b| {
            items[next[b]] = i;
            next[b] += 1;
        });
    }
    Lists {
        packed: Packed { starts, items },
        width,
        height,
    }
}

/// What `count` needs to find the lists an entry goes into.
struct Walk<'a> {
    journal: &'a Journal,
    keys: &'a EntryKeys,
    rows: &'a [Option<usize>],
    place: &'a Columns,
    width: usize,
    codes_at: usize,
    columns_at: usize,
}

impl Walk<'_> {
    /// Every list entry `i` goes into, each once, to `put` (generic, so that both of
    /// `count`'s passes compile to a plain loop).
    fn lists_of(&self, i: usize, cols: &mut Vec<usize>, mut put: impl FnMut(usize)) {
        self.place.columns_of(self.journal, self.keys, i, cols);
        for &c in cols.iter() {
            put(self.columns_at + c);
        }
        // Each code once per entry (the keys say so).
        for r in self
            .keys
            .carried(i)
            .iter()
            .filter_map(|&n| self.rows[n as usize])
        {
            put(self.codes_at + r);
            for &c in cols.iter() {
                put(r * self.width + c);
            }
        }
    }
}

/// The code axis (see `code_axis`) and each code number's row in it.
fn code_rows(
    journal: &Journal,
    keys: &EntryKeys,
    selected: &[usize],
) -> (Vec<Header>, Vec<Option<usize>>) {
    let mut headers = codebook_axis(journal);
    let mut rows: Vec<Option<usize>> = vec![None; keys.codes.len()];
    for (row, h) in headers.iter().enumerate() {
        if let Some(n) = keys.codes.number(&h.id) {
            rows[n as usize] = Some(row);
        }
    }
    // Codes the selection carries that the codebook lacks, by id.
    let mut used = vec![false; keys.codes.len()];
    for &i in selected {
        for &n in keys.carried(i) {
            used[n as usize] = true;
        }
    }
    let unknown: BTreeSet<(&str, usize)> = (0..keys.codes.len())
        .filter(|&n| used[n] && rows[n].is_none())
        .map(|n| (keys.codes.name(n as u32), n))
        .collect();
    for (id, n) in unknown {
        rows[n] = Some(headers.len());
        headers.push(unknown_code(id));
    }
    (headers, rows)
}

/// The columns that have base entries, and where each entry goes: accounts in journal
/// order (only the filter's accounts when it names some), then unknown handles, then
/// "no account"; kinds in their fixed order; months in order.
fn column_axis(
    journal: &Journal,
    keys: &EntryKeys,
    filter: &Filter,
    base: &[usize],
    by: By,
) -> (Vec<Header>, Columns) {
    let mut place = Columns {
        by,
        of_account: vec![None; keys.accounts.len()],
        no_account: None,
        of_kind: [None; Kind::ALL.len()],
        of_month: Default::default(),
    };
    let mut headers = Vec::new();
    match by {
        By::Account => {
            let mut used = vec![false; keys.accounts.len()];
            let mut any_without = false;
            for &i in base {
                let accounts = keys.accounts_of(i);
                any_without |= accounts.is_empty();
                for &n in accounts {
                    used[n as usize] = true;
                }
            }
            let wanted =
                |h: &str| filter.accounts.is_empty() || filter.accounts.iter().any(|a| a == h);
            let add = |n: u32, place: &mut Columns, headers: &mut Vec<Header>| {
                place.of_account[n as usize] = Some(headers.len());
                headers.push(account_header(keys.accounts.name(n)));
            };
            for a in &journal.accounts {
                if let Some(n) = keys.accounts.number(&a.handle)
                    && used[n as usize]
                    && wanted(&a.handle)
                    && place.of_account[n as usize].is_none()
                {
                    add(n, &mut place, &mut headers);
                }
            }
            let unknown: BTreeSet<(&str, u32)> = (0..keys.accounts.len() as u32)
                .filter(|&n| used[n as usize] && place.of_account[n as usize].is_none())
                .map(|n| (keys.accounts.name(n), n))
                .filter(|(h, _)| wanted(h) && journal.account(h).is_none())
                .collect();
            for (_, n) in unknown {
                add(n, &mut place, &mut headers);
            }
            if filter.accounts.is_empty() && any_without {
                place.no_account = Some(headers.len());
                headers.push(Header {
                    id: String::new(),
                    label: NO_ACCOUNT.to_string(),
                    group: None,
                });
            }
        }
        By::Kind => {
            let mut used = [false; Kind::ALL.len()];
            for &i in base {
                used[kind_index(journal.entries[i].kind)] = true;
            }
            for (k, kind) in Kind::ALL.into_iter().enumerate().filter(|(k, _)| used[*k]) {
                place.of_kind[k] = Some(headers.len());
                headers.push(Header {
                    id: kind.as_str().to_string(),
                    label: kind.as_str().to_string(),
                    group: None,
                });
            }
        }
        By::Month => {
            let months: BTreeSet<(i16, i8)> = base.iter().map(|&i| keys.month(i)).collect();
            for (year, month) in months {
                place.of_month.insert((year, month), headers.len());
                let label = format!("{year:04}-{month:02}");
                headers.push(Header {
                    id: label.clone(),
                    label,
                    group: None,
                });
            }
        }
    }
    (headers, place)
}

fn account_header(handle: &str) -> Header {
    Header {
        id: handle.to_string(),
        label: format!("@{handle}"),
        group: None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Account, Code, Codebook, Entry, Group, Moment};

    pub fn entry(id: &str, at: &str, kind: Kind, accounts: &[&str], codes: &[&str]) -> Entry {
        let at = Moment::from_toml(&at.parse().unwrap()).unwrap();
        let mut e = Entry::new(id.into(), at, at);
        e.kind = kind;
        e.accounts = accounts.iter().map(|s| s.to_string()).collect();
        e.codes = codes.iter().map(|s| s.to_string()).collect();
        e
    }

    /// Two accounts, two groups, five entries: small enough to count by hand.
    pub fn journal() -> Journal {
        let code = |id: &str, group: &str| Code {
            id: id.into(),
            group: group.into(),
            name: id.to_uppercase(),
            ..Code::default()
        };
        let mut j = Journal {
            codebook: Codebook {
                groups: vec![
                    Group {
                        id: "theme".into(),
                        name: "Theme".into(),
                        ..Default::default()
                    },
                    Group {
                        id: "form".into(),
                        name: "Form".into(),
                        ..Default::default()
                    },
                ],
                codes: vec![
                    code("live", "form"),
                    code("daily", "theme"),
                    code("promo", "theme"),
                ],
            },
            accounts: ["ann", "bob"]
                .iter()
                .map(|h| Account {
                    handle: h.to_string(),
                    ..Account::default()
                })
                .collect(),
            ..Journal::default()
        };
        let c = Kind::Content;
        j.entries = vec![
            entry("e1", "2026-03-02T10:00:00+07:00", c, &["ann"], &["daily"]),
            entry(
                "e2",
                "2026-03-03T10:00:00+07:00",
                c,
                &["ann"],
                &["daily", "promo"],
            ),
            entry(
                "e3",
                "2026-03-09T10:00:00+07:00",
                Kind::Observation,
                &["ann", "bob"],
                &["live", "daily"],
            ),
            entry(
                "e4",
                "2026-04-01T10:00:00+07:00",
                c,
                &["bob"],
                &["promo", "odd"],
            ),
            entry(
                "e5",
                "2026-04-02T10:00:00+07:00",
                Kind::Memo,
                &[],
                &["daily"],
            ),
        ];
        j
    }

    /// Keys built a few entries at a time (as the interface builds them while it waits)
    /// count exactly what keys built at once count, whatever the columns and filter.
    #[test]
    fn keys_built_in_parts_count_the_same() {
        let mut j = journal();
        j.codebook.codes.push(Code {
            id: "unused".into(),
            group: "other".into(),
            ..Code::default()
        });
        j.entries[1].accounts.push("ann".into());
        j.entries[2].accounts.push("zed".into());
        let mut parts = EntryKeys::default();
        while !parts.build_some(&j, 2) {}
        let whole = EntryKeys::of(&j);
        let only_ann = Filter {
            accounts: vec!["ann".into()],
            any_codes: vec!["daily".into(), "odd".into()],
            ..Filter::default()
        };
        for filter in [Filter::default(), only_ann] {
            for by in [By::Account, By::Kind, By::Month] {
                let a = Matrix::compute_with(&j, &parts, &filter, by);
                let b = Matrix::compute_with(&j, &whole, &filter, by);
                assert_eq!(a, b, "{by:?} {filter:?}");
                assert_eq!(a, Matrix::compute(&j, &filter, by));
            }
        }
        let m = Matrix::compute_with(&j, &whole, &Filter::default(), By::Account);
        assert_eq!(
            m.rows()[3].id,
            "unused",
            "a code no entry carries has its row"
        );
        assert_eq!(m.row_total(3), 0);
        assert_eq!((m.rows()[4].id.as_str(), m.row_total(4)), ("odd", 1));
        let cols: Vec<&str> = m.cols().iter().map(|h| h.label.as_str()).collect();
        assert_eq!(cols, ["@ann", "@bob", "@zed", NO_ACCOUNT]);
        assert_eq!(m.count(0, 0), 3, "e2 names ann twice and counts once");
    }

    #[test]
    fn counts_shares_totals_and_drill_down() {
        let j = journal();
        let m = Matrix::compute(&j, &Filter::default(), By::Account);
        let rows: Vec<&str> = m.rows().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(rows, ["daily", "promo", "live", "odd"]);
        assert_eq!(m.rows()[0].group.as_deref(), Some("Theme"));
        assert_eq!(m.rows()[3].group.as_deref(), Some(NOT_IN_CODEBOOK));
        let cols: Vec<&str> = m.cols().iter().map(|h| h.label.as_str()).collect();
        assert_eq!(cols, ["@ann", "@bob", NO_ACCOUNT]);
        // daily: ann e1 e2 e3, bob e3, none e5
        assert_eq!(m.count(0, 0), 3);
        assert_eq!(m.count(0, 1), 1);
        assert_eq!(m.count(0, 2), 1);
        let ids: Vec<&str> = m
            .entries(0, 0)
            .iter()
            .map(|&i| j.entries[i].id.as_str())
            .collect();
        assert_eq!(ids, ["e1", "e2", "e3"]);
        assert_eq!(m.share(0, 0), Some(1.0));
        assert_eq!(m.share(0, 1), Some(0.5));
        // An entry about two accounts counts once in the code's total.
        assert_eq!(m.row_total(0), 4);
        assert_eq!(m.row_share(0), Some(0.8));
        assert_eq!(m.col_total(0), 3);
        assert_eq!(m.col_total(1), 2);
        assert_eq!(m.total(), 5);
    }

    #[test]
    fn shares_are_of_the_kind_filtered_base() {
        let j = journal();
        let filter = Filter {
            kinds: vec![Kind::Content],
            all_codes: vec!["promo".into()],
            ..Filter::default()
        };
        let m = Matrix::compute(&j, &filter, By::Account);
        let promo = m.rows().iter().position(|h| h.id == "promo").unwrap();
        // ann: 2 content entries, 1 promo; bob: 1 content entry, 1 promo.
        assert_eq!(m.count(promo, 0), 1);
        assert_eq!(m.share(promo, 0), Some(0.5));
        assert_eq!(m.share(promo, 1), Some(1.0));
        assert_eq!(m.col_share(0), Some(0.5));
        assert_eq!(m.total(), 2);
        assert_eq!(m.base_total(), 3);
        let daily = m.rows().iter().position(|h| h.id == "daily").unwrap();
        assert_eq!(m.count(daily, 0), 1, "e2 carries promo and daily");
    }

    #[test]
    fn transposing_swaps_every_view() {
        let j = journal();
        let mut m = Matrix::compute(&j, &Filter::default(), By::Kind);
        let cols: Vec<&str> = m.cols().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(cols, ["observation", "content", "memo"]);
        let (count, share, total) = (m.count(1, 1), m.share(1, 1), m.row_total(1));
        m.transpose();
        assert_eq!(m.rows().len(), 3);
        assert_eq!(m.count(1, 1), count);
        assert_eq!(m.share(1, 1), share);
        assert_eq!(m.col_total(1), total);
        assert_eq!(m.row_total(1), 3, "three content entries");
        assert_eq!(m.row_share(1), Some(1.0));
    }

    #[test]
    fn months_and_account_filter() {
        let j = journal();
        let m = Matrix::compute(&j, &Filter::default(), By::Month);
        let cols: Vec<&str> = m.cols().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(cols, ["2026-03", "2026-04"]);
        let filter = Filter {
            accounts: vec!["bob".into()],
            ..Filter::default()
        };
        let m = Matrix::compute(&j, &filter, By::Account);
        let cols: Vec<&str> = m.cols().iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            cols,
            ["bob"],
            "only the filtered account, no no-account column"
        );
    }
}
