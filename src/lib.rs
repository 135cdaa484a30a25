//! fieldnote: a keyboard-driven terminal field journal for digital ethnography.
//!
//! The layers, each in its folder: `model` (plain data), `store` (files), `analysis`
//! (filters, search, figures), `cli` (commands) and `tui` (the terminal interface).

pub mod analysis;
pub mod cli;
pub mod demo;
pub mod interop;
pub mod model;
pub mod os;
#[cfg(feature = "serve")]
pub mod serve;
pub mod store;
pub mod tui;
