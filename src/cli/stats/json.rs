//! `stats --format json`: the figures, the matrix and the co-occurrences.

use super::*;

#[derive(Serialize)]
pub(super) struct StatsJson<'a> {
    pub(super) filter: String,
    pub(super) selected: usize,
    pub(super) base: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) matrix: Option<MatrixJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) figures: Option<&'a FigureTable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) cooccurrence: Option<CoJson<'a>>,
}

#[derive(Serialize)]
pub(super) struct Cell {
    pub(super) count: usize,
    pub(super) share: Option<f64>,
}

#[derive(Serialize)]
pub(super) struct RowJson<'a> {
    #[serde(flatten)]
    pub(super) header: &'a crate::analysis::matrix::Header,
    pub(super) cells: Vec<Cell>,
    pub(super) total: Cell,
}

#[derive(Serialize)]
pub(super) struct MatrixJson<'a> {
    pub(super) by: By,
    pub(super) transposed: bool,
    pub(super) columns: &'a [crate::analysis::matrix::Header],
    pub(super) rows: Vec<RowJson<'a>>,
    pub(super) totals: Vec<Cell>,
    pub(super) total: Cell,
}

impl<'a> MatrixJson<'a> {
    pub(super) fn new(m: &'a Matrix) -> MatrixJson<'a> {
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
pub(super) struct PairJson<'a> {
    pub(super) a: &'a str,
    pub(super) b: &'a str,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct CoJson<'a> {
    pub(super) codes: Vec<&'a str>,
    /// The full matrix, left out over `MAX_FULL_CODES` codes (it grows with codes²).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) counts: Option<Vec<Vec<usize>>>,
    pub(super) pairs: Vec<PairJson<'a>>,
}

impl<'a> CoJson<'a> {
    pub(super) fn new(co: &'a CoOccurrence) -> CoJson<'a> {
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
