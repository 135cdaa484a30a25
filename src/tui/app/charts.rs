//! The charts screen's state and what it draws: a series over time, a cursor on one of
//! its points, and the entries behind that point (Enter opens them, as the matrix's
//! drill-down does). The data come from `analysis::series`, the same selection `stats`
//! and the matrix count.

use super::*;
use crate::analysis::charts::{self, ChartData};

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

impl App {
    /// The chart the screen shows now, over the timeline's selection (filter, search and
    /// scope).
    pub fn chart_data(&self) -> ChartData {
        let filter = self.effective_filter();
        let selected = filter.apply(&self.journal, Some(&self.index));
        match self.charts.kind {
            ChartKind::Activity => charts::activity(&self.journal, &filter, &selected),
            ChartKind::CodeShare => match self.chart_code() {
                Some(code) => charts::code_share(&self.journal, &selected, code),
                None => ChartData::default(),
            },
            ChartKind::Followers => charts::followers(&self.journal, &filter, &selected),
            ChartKind::Engagement => charts::engagement(&self.journal, &selected),
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
}
