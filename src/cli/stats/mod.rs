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

mod csv;
mod json;
mod text;

use self::csv::*;
use json::*;
use text::*;

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
