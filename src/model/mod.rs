//! Plain data types of a journal: what the files mean, with no terminal and no I/O.
//!
//! The store turns files into these values and back; analysis, the CLI and the TUI only
//! ever see these.

mod account;
mod codebook;
mod color;
mod comment;
mod entry;
mod journal;
pub mod links;
pub mod live;
pub mod passage;
pub mod text;
pub mod time;

pub use account::{
    Account, FollowerPoint, MAX_HANDLE_CHARS, Platform, handle_problem, parse_count,
};
pub use codebook::{Code, Codebook, Group};
pub use color::CodeColor;
pub use comment::Comment;
pub use entry::{
    Entry, Kind, Metrics, Screenshot, UnknownKind, entry_id, is_entry_id, is_path_of_id, path_of_id,
};
pub use journal::{GitSettings, ImportSettings, Journal, Settings};
pub use passage::Passage;
pub use time::Moment;

/// The most codes one entry sensibly carries. `check` reports an entry over it, and
/// co-occurrence leaves out its pairs (which grow with the square of its codes). A real
/// note carries a handful; a thousand is already a mistake or an attack.
pub const MAX_CODES_PER_ENTRY: usize = 1000;

/// Is `s` a valid slug for code and group ids: `[a-z0-9-]+`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turn any name into a slug (`"Daily life"` -> `"daily-life"`), for new code ids and
/// comment file names.
pub fn slugify(name: &str) -> String {
    let folded = text::fold(name);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("daily-life"));
        assert!(!is_slug("Daily life"));
        assert!(!is_slug(""));
        assert_eq!(slugify("Daily life"), "daily-life");
        assert_eq!(slugify("  Curhat (confiding)!"), "curhat-confiding");
        assert_eq!(slugify("Dr. Rina Hartónó"), "dr-rina-hartono");
    }
}
