//! Questions asked of a journal: filters, search, and (later) the matrix and figures.
//! Pure functions over the model; results are lists of entry indices.

pub mod filter;
pub mod names;
pub mod search;

pub use filter::Filter;
pub use search::TextIndex;
