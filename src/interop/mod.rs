//! Getting data out to the tools the field uses, and codebooks in from them.

pub mod export;
pub mod qdc_import;
