//! The coded passages of the exported entries as rows — one per passage and code —
//! shared by the passages table (CSV), the JSON's `passages` list and the Markdown
//! report's quotes by code, so the three can never disagree.

use serde::Serialize;

use super::Export;
use super::csv::Csv;
use crate::model::Entry;
use crate::model::text::sanitize;

/// One passage of an exported entry under one of its codes.
#[derive(Debug, Serialize)]
pub struct PassageRow<'a> {
    pub entry: &'a str,
    pub observed_at: String,
    pub accounts: &'a [String],
    pub code: &'a str,
    pub quote: &'a str,
    /// Where the quote starts in the entry's body, in code points from 0 (REFI-QDA's
    /// unit); `None` for a passage whose text is gone from the body.
    pub start: Option<usize>,
    /// Where it ends (exclusive).
    pub end: Option<usize>,
}

/// Every passage of the selected entries, oldest entry first, in passage order, once
/// per code.
pub fn rows<'a>(export: &'a Export) -> Vec<PassageRow<'a>> {
    let mut rows = Vec::new();
    for e in export.entries() {
        for p in &e.passages {
            let (start, end) = positions(e, p);
            for code in &p.codes {
                rows.push(PassageRow {
                    entry: &e.id,
                    observed_at: e.observed_at.to_string(),
                    accounts: &e.accounts,
                    code,
                    quote: &p.quote,
                    start,
                    end,
                });
            }
        }
    }
    rows
}

fn positions(e: &Entry, p: &crate::model::Passage) -> (Option<usize>, Option<usize>) {
    match p.anchor(&e.body) {
        Some(span) => {
            let start = e.body[..span.start].chars().count();
            (Some(start), Some(start + e.body[span].chars().count()))
        }
        None => (None, None),
    }
}

/// The columns of the passages table, in order.
pub const COLUMNS: [&str; 7] = [
    "entry",
    "observed_at",
    "accounts",
    "code",
    "quote",
    "start",
    "end",
];

/// The passages table as RFC 4180 CSV (like the entries table).
pub fn csv(export: &Export) -> String {
    let mut csv = Csv::new();
    csv.row(COLUMNS);
    let number = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in rows(export) {
        let row = [
            r.entry.to_string(),
            r.observed_at,
            r.accounts.join("; "),
            r.code.to_string(),
            r.quote.to_string(),
            number(r.start),
            number(r.end),
        ];
        csv.row(row.iter().map(|f| sanitize(f)));
    }
    csv.finish()
}
