//! Turning what people type into the ids the journal stores: `@Cindymakeup` into the
//! handle `cindymakeup`, `Daily life` or `1` into the code `daily-life`.

use std::fmt;

use crate::model::Journal;
use crate::model::text::{fold, near_matches};

/// A name that matches nothing, with the near matches to suggest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub what: &'static str,
    pub name: String,
    pub near: Vec<String>,
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} `{}`", self.what, self.name)?;
        if !self.near.is_empty() {
            write!(f, " (did you mean `{}`?)", self.near.join("`, `"))?;
        }
        Ok(())
    }
}

/// The handle of the account `name` (with or without `@`, any case).
pub fn resolve_account(journal: &Journal, name: &str) -> Result<String, Unknown> {
    let wanted = name.trim().trim_start_matches('@');
    let found = journal
        .accounts
        .iter()
        .find(|a| a.handle == wanted)
        .or_else(|| {
            journal
                .accounts
                .iter()
                .find(|a| a.handle.eq_ignore_ascii_case(wanted))
        });
    match found {
        Some(a) => Ok(a.handle.clone()),
        None => Err(Unknown {
            what: "account",
            name: wanted.to_string(),
            near: near_matches(wanted, journal.accounts.iter().map(|a| a.handle.as_str()))
                .into_iter()
                .map(str::to_string)
                .collect(),
        }),
    }
}

/// The id of the code `name`: its id, its quick-tag key, or its name (any case, any
/// accents).
pub fn resolve_code(journal: &Journal, name: &str) -> Result<String, Unknown> {
    let wanted = name.trim();
    let folded = fold(wanted);
    let codes = &journal.codebook.codes;
    let found = codes
        .iter()
        .find(|c| c.id == wanted)
        .or_else(|| codes.iter().find(|c| !c.key.is_empty() && c.key == wanted))
        .or_else(|| {
            codes
                .iter()
                .find(|c| fold(&c.name) == folded || c.id == folded)
        });
    match found {
        Some(c) => Ok(c.id.clone()),
        None => Err(Unknown {
            what: "code",
            name: wanted.to_string(),
            near: near_matches(wanted, codes.iter().map(|c| c.id.as_str()))
                .into_iter()
                .map(str::to_string)
                .collect(),
        }),
    }
}
/// A line noted during a live: its words, the ids of its `#code` words, and the
/// `#words` the codebook does not know, which stay in the words (a moment is never lost
/// to a typo) and are returned so that the caller can say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotedLine {
    pub text: String,
    pub codes: Vec<String>,
    pub unknown: Vec<Unknown>,
}

/// `line` as a moment, or `None` when it notes nothing.
pub fn noted_line(journal: &Journal, line: &str) -> Option<NotedLine> {
    let (text, words) = crate::model::live::split_codes(line);
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    for word in &words {
        match resolve_code(journal, word) {
            Ok(id) if !codes.contains(&id) => codes.push(id),
            Ok(_) => {}
            Err(e) => unknown.push(e),
        }
    }
    let kept: Vec<String> = unknown.iter().map(|u| format!("#{}", u.name)).collect();
    let text = [text, kept.join(" ")].join(" ").trim().to_string();
    (!text.is_empty() || !codes.is_empty()).then_some(NotedLine {
        text,
        codes,
        unknown,
    })
}
