//! The data display of Miles & Huberman: codes (grouped by dimension) against accounts,
//! kinds or months. Each cell counts the entries that carry the code in that column and
//! keeps them, so a screen can drill down to the quotes behind a number.
//!
//! Shares are of the column's entries in the *base* selection: the filter's accounts,
//! kinds and dates, without its code, text and comment conditions. So with
//! `--kind content` a cell is "share of the account's content entries", and a code filter
//! narrows what is counted, not what it is a share of.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::Filter;
use crate::model::{Entry, Journal, Kind};

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
    /// Entry indices per (code, column), row-major by code.
    cells: Vec<Vec<usize>>,
    /// Selected entries carrying each code (an entry about two accounts counts once).
    code_entries: Vec<Vec<usize>>,
    /// Selected entries in each column.
    column_entries: Vec<Vec<usize>>,
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
        let selected = filter.apply(journal, None);
        let base = base_filter(filter).apply(journal, None);
        let codes = code_axis(journal, &selected);
        let columns = column_axis(journal, filter, &base, by);

        let code_index: HashMap<&str, usize> = codes
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();
        let column_index: HashMap<&str, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, h)| (h.id.as_str(), i))
            .collect();

        let mut column_base = vec![0; columns.len()];
        let mut cols = Vec::new();
        for &i in &base {
            columns_of(&journal.entries[i], by, &column_index, &mut cols);
            for &c in &cols {
                column_base[c] += 1;
            }
        }

        let width = columns.len();
        let mut cells = vec![Vec::new(); codes.len() * width];
        let mut code_entries = vec![Vec::new(); codes.len()];
        let mut column_entries = vec![Vec::new(); width];
        for &i in &selected {
            let entry = &journal.entries[i];
            columns_of(entry, by, &column_index, &mut cols);
            for &c in &cols {
                column_entries[c].push(i);
            }
            // A set, not a list: an entry may carry 100,000 codes (quadratic in a list).
            let mut seen = HashSet::with_capacity(entry.codes.len());
            for code in entry.carried_codes() {
                let Some(&r) = code_index.get(code) else {
                    continue;
                };
                if !seen.insert(r) {
                    continue;
                }
                code_entries[r].push(i);
                for &c in &cols {
                    cells[r * width + c].push(i);
                }
            }
        }
        Matrix {
            by,
            codes,
            columns,
            transposed: false,
            cells,
            code_entries,
            column_entries,
            column_base,
            selected,
            base_total: base.len(),
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
        &self.cells[code * self.columns.len() + column]
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
            &self.column_entries[row]
        } else {
            &self.code_entries[row]
        }
    }

    /// The entries behind a column's total.
    pub fn col_entries(&self, col: usize) -> &[usize] {
        if self.transposed {
            &self.code_entries[col]
        } else {
            &self.column_entries[col]
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
    let known: HashSet<&str> = journal
        .codebook
        .codes
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let unknown: BTreeSet<&str> = selected
        .iter()
        .flat_map(|&i| journal.entries[i].carried_codes())
        .filter(|c| !known.contains(c))
        .collect();
    headers.extend(unknown.into_iter().map(|id| Header {
        id: id.to_string(),
        label: id.to_string(),
        group: Some(NOT_IN_CODEBOOK.to_string()),
    }));
    headers
}

/// The columns one entry falls in, each once, into `out`: those of its accounts (or the
/// no-account column), its kind, or its month; keys without a column are passed over.
fn columns_of(entry: &Entry, by: By, index: &HashMap<&str, usize>, out: &mut Vec<usize>) {
    out.clear();
    let mut push = |key: &str| {
        if let Some(&c) = index.get(key) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    };
    match by {
        By::Account if entry.accounts.is_empty() => push(""),
        By::Account => entry.accounts.iter().for_each(|a| push(a)),
        By::Kind => push(entry.kind.as_str()),
        By::Month => push(&month(entry)),
    }
}

fn month(entry: &Entry) -> String {
    let c = entry.observed_at.civil();
    format!("{:04}-{:02}", c.year(), c.month())
}

/// The columns that have base entries: accounts in journal order (only the filter's
/// accounts when it names some), then unknown handles, then "no account"; kinds in their
/// fixed order; months in order.
fn column_axis(journal: &Journal, filter: &Filter, base: &[usize], by: By) -> Vec<Header> {
    let entries = || base.iter().map(|&i| &journal.entries[i]);
    match by {
        By::Account => {
            let used: BTreeSet<&str> = entries()
                .flat_map(|e| e.accounts.iter().map(String::as_str))
                .filter(|h| filter.accounts.is_empty() || filter.accounts.iter().any(|a| a == h))
                .collect();
            let mut headers: Vec<Header> = journal
                .accounts
                .iter()
                .filter(|a| used.contains(a.handle.as_str()))
                .map(|a| account_header(&a.handle))
                .collect();
            headers.extend(
                used.iter()
                    .filter(|h| journal.account(h).is_none())
                    .map(|h| account_header(h)),
            );
            if filter.accounts.is_empty() && entries().any(|e| e.accounts.is_empty()) {
                headers.push(Header {
                    id: String::new(),
                    label: NO_ACCOUNT.to_string(),
                    group: None,
                });
            }
            headers
        }
        By::Kind => Kind::ALL
            .into_iter()
            .filter(|k| entries().any(|e| e.kind == *k))
            .map(|k| Header {
                id: k.as_str().to_string(),
                label: k.as_str().to_string(),
                group: None,
            })
            .collect(),
        By::Month => {
            let months: BTreeSet<String> = entries().map(month).collect();
            months
                .into_iter()
                .map(|m| Header {
                    label: m.clone(),
                    id: m,
                    group: None,
                })
                .collect()
        }
    }
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
