//! The matrix screen's state: what its rows and columns are, the cursor, folded groups.

use super::*;

/// The data display: codes against accounts, kinds or months.
#[derive(Debug, Default)]
pub struct MatrixView {
    pub by: By,
    pub transposed: bool,
    /// Shares of the column's entries instead of counts.
    pub share: bool,
    /// Codes against codes: which appear together.
    pub cooccurrence: bool,
    /// Groups (by name) folded away.
    pub collapsed: BTreeSet<String>,
    pub row: usize,
    pub col: usize,
    pub row_offset: Cell<usize>,
    pub col_offset: Cell<usize>,
    pub matrix: Option<Matrix>,
    pub pairs: Option<CoOccurrence>,
}

/// A line of the matrix: a group heading (foldable) or a row of numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowItem {
    Group { name: String, collapsed: bool },
    Row(usize),
}

impl MatrixView {
    pub fn row_headers(&self) -> &[crate::analysis::matrix::Header] {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => &p.codes,
            (_, Some(m)) => m.rows(),
            _ => &[],
        }
    }

    pub fn col_headers(&self) -> &[crate::analysis::matrix::Header] {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => &p.codes,
            (_, Some(m)) => m.cols(),
            _ => &[],
        }
    }

    /// The lines shown: codes under their group headings (folded groups show only the
    /// heading); other axes have no groups.
    pub fn row_items(&self) -> Vec<RowItem> {
        let headers = self.row_headers();
        let mut items = Vec::with_capacity(headers.len() + 8);
        let mut last_group: Option<&str> = None;
        for (i, h) in headers.iter().enumerate() {
            if let Some(group) = h.group.as_deref() {
                let collapsed = self.collapsed.contains(group);
                if last_group != Some(group) {
                    items.push(RowItem::Group {
                        name: group.to_string(),
                        collapsed,
                    });
                    last_group = Some(group);
                }
                if collapsed {
                    continue;
                }
            }
            items.push(RowItem::Row(i));
        }
        items
    }

    /// Count and share (of the column's entries) of a cell.
    pub fn cell(&self, row: usize, col: usize) -> (usize, Option<f64>) {
        match (&self.pairs, &self.matrix) {
            (Some(p), _) if self.cooccurrence => (p.count(row, col), None),
            (_, Some(m)) => (m.count(row, col), m.share(row, col)),
            _ => (0, None),
        }
    }
}
