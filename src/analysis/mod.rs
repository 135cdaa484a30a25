//! Questions asked of a journal: filters, search, the code matrix, the per-account
//! figures and code co-occurrence. Pure functions over the model; results are lists of
//! entry indices.

pub mod charts;
pub mod cooccurrence;
pub mod figures;
pub mod filter;
pub mod keys;
pub mod matrix;
pub mod names;
pub mod search;
pub mod series;
pub mod usage;

pub use cooccurrence::CoOccurrence;
pub use figures::{FigureTable, Figures, figures};
pub use filter::Filter;
pub use matrix::{By, Matrix};
pub use search::TextIndex;
