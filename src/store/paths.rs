//! Where each record of a journal lives, relative to its root: the one place the
//! layout is spelled (docs/format.md describes it).

use crate::model::{Account, Comment};

/// The file that makes a folder a journal: its settings.
pub const SETTINGS: &str = super::locate::MARKER;
pub const CODEBOOK: &str = "codebook.toml";
pub const ACCOUNTS: &str = "accounts";

/// `accounts/<handle>.toml`.
pub fn account(handle: &str) -> String {
    format!("{ACCOUNTS}/{handle}.toml")
}

pub fn of_account(account: &Account) -> String {
    self::account(&account.handle)
}

/// `comments/<entry id>/<comment id>.toml`.
pub fn comment(comment: &Comment) -> String {
    format!("comments/{}/{}.toml", comment.entry, comment.id)
}
