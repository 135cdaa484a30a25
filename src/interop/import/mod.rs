//! Merging captured posts into a journal: `plan` works out what would change (pure, no
//! I/O), `apply` writes it through the store.
//!
//! The rules (docs/import.md tells them to researchers):
//! - A post is matched to an entry by `source_id` (`tiktok:<id>`, `instagram:<code>`);
//!   a post seen several times in the input counts once, its newest complete capture.
//! - A new post becomes a `content` entry: observed when published, the author as its
//!   account, title and body from the caption, codes from `[import.hashtags]`, metrics
//!   and their capture time.
//! - An existing entry only ever gets newer metrics: counts from a capture newer than
//!   its `metrics_at` (or when it has none). What the researcher owns — title, body,
//!   codes, screenshots, informant, `replied_comments` — is left alone, except that an
//!   entry created from a capture without a caption gets the caption once one is seen,
//!   and `--apply-mapping` adds newly mapped codes.
//! - Accounts are created (platform, display name, profile URL) or completed (empty
//!   display name and URL filled); a follower count becomes a point dated by the
//!   capture day, unless that day already has one or the count equals the point before.

mod accounts;
mod apply;
pub mod fourcat_csv;
mod plan;
pub mod qdc;
pub mod qdpx;
pub mod zeeschuimer;

pub use apply::{Applied, apply};
pub use plan::{AccountUpdate, EntryUpdate, Options, Plan, plan, title_of};

#[cfg(test)]
mod tests;
