//! CSV as RFC 4180 has it (CRLF between records, fields with a comma, quote or line
//! break quoted, quotes doubled; written by the `csv` crate), UTF-8 without a
//! byte-order mark: one row per entry,
//! fixed columns, then one 0/1 column per code — the code matrix R and SPSS users load.

use super::Export;
use crate::analysis::matrix::code_axis;
use crate::model::text::sanitize;

/// Rows of RFC 4180 CSV, written by the `csv` crate: CRLF between records, a field
/// quoted only when it holds the separator, a quote or a line break.
pub struct Csv {
    out: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl std::fmt::Debug for Csv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Csv")
    }
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            out: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .quote_style(csv::QuoteStyle::Necessary)
                .flexible(true)
                .from_writer(Vec::new()),
        }
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        let fields: Vec<S> = fields.into_iter().collect();
        // Writing to memory cannot fail.
        let _ = self
            .out
            .write_record(fields.iter().map(|f| f.as_ref().as_bytes()));
    }

    pub fn finish(self) -> String {
        let bytes = self.out.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// The fixed columns, in order. Those with `_` can never clash with a code id
/// (`[a-z0-9-]+`); a code whose id equals one of the others gets the column `code_<id>`.
pub const FIXED: [&str; 21] = [
    "id",
    "observed_at",
    "observed_date",
    "recorded_at",
    "kind",
    "accounts",
    "informant",
    "title",
    "url",
    "source_id",
    "body",
    "screenshots",
    "reviewer_comments",
    "metric_views",
    "metric_likes",
    "metric_comments",
    "metric_shares",
    "metric_saves",
    "metric_replied_comments",
    "metrics_at",
    "codes",
];

/// One row per selected entry, oldest first.
pub fn entries(export: &Export) -> String {
    let journal = &export.journal;
    let codes = code_axis(journal, &export.selected);
    let mut csv = Csv::new();
    let header = FIXED
        .iter()
        .map(|f| f.to_string())
        .chain(codes.iter().map(|c| {
            if FIXED.contains(&c.id.as_str()) {
                format!("code_{}", c.id)
            } else {
                c.id.clone()
            }
        }));
    csv.row(header);
    let mut comment_counts = std::collections::HashMap::new();
    for c in export.comments() {
        *comment_counts.entry(c.entry.as_str()).or_insert(0usize) += 1;
    }
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for e in export.entries() {
        let m = e.metrics.clone().unwrap_or_default();
        let mut row: Vec<String> = vec![
            e.id.clone(),
            e.observed_at.to_string(),
            e.observed_at.civil().date().to_string(),
            e.recorded_at.map(|r| r.to_string()).unwrap_or_default(),
            e.kind.as_str().to_string(),
            e.accounts.join("; "),
            e.informant.clone(),
            e.title.clone(),
            e.url.clone(),
            e.source_id.clone(),
            e.body.clone(),
            e.screenshots.len().to_string(),
            comment_counts
                .get(e.id.as_str())
                .copied()
                .unwrap_or(0)
                .to_string(),
            number(m.views),
            number(m.likes),
            number(m.comments),
            number(m.shares),
            number(m.saves),
            number(m.replied_comments),
            m.metrics_at.map(|t| t.to_string()).unwrap_or_default(),
            e.codes.join("; "),
        ];
        row.extend(
            codes
                .iter()
                .map(|c| if e.carries(&c.id) { "1" } else { "0" }.to_string()),
        );
        csv.row(row.iter().map(|f| sanitize(f)));
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting() {
        let mut csv = Csv::new();
        csv.row(["plain", "a,b", "say \"hi\"", "two\nlines", "ünï 🥺", ""]);
        assert_eq!(
            csv.finish(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",ünï 🥺,\r\n"
        );
    }
}
