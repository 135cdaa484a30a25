//! Pseudonymising an export: every handle (`@cindymakeup`, `cindymakeup`), display name
//! and account or post url becomes the account's pseudonym, in every field, bodies and
//! captions included. Informant codes (`A4`) are pseudonyms already and stay. Afterwards
//! the output is searched for the handles; one left over is an error, never a file.
//!
//! Matching is case-insensitive and word-bounded: `Cindy's` becomes `Influencer B's`,
//! but `cindymakeup2` (another account) is left alone.

use std::collections::HashMap;

use super::ExportError;
use crate::model::{Account, Comment, Entry, Journal};

/// A name to replace and what replaces it.
#[derive(Debug, Clone)]
struct Pattern {
    /// Lowercased; starts and ends with a word character.
    lower: String,
    replacement: String,
    is_handle: bool,
}

#[derive(Debug, Clone)]
pub struct Pseudonymiser {
    /// Patterns by the lowercased run of word characters they start with, longest first.
    by_first_word: HashMap<String, Vec<Pattern>>,
    /// Account and post urls (lowercased, without a trailing `/`) -> pseudonym.
    urls: HashMap<String, String>,
    /// handle -> pseudonym, for the `accounts` fields.
    pseudonyms: HashMap<String, String>,
    /// Notes for the person exporting (accounts that had no pseudonym).
    pub notes: Vec<String>,
}

/// Letters, digits and `_` make words; handles may also hold `.` inside.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Pseudonymiser {
    /// Patterns for every account of the journal and every handle its entries name.
    /// Accounts without a pseudonym get `Account N`.
    pub fn new(journal: &Journal) -> Result<Pseudonymiser, ExportError> {
        let mut accounts: Vec<Account> = journal.accounts.clone();
        for e in &journal.entries {
            for handle in &e.accounts {
                if !accounts.iter().any(|a| &a.handle == handle) {
                    accounts.push(Account {
                        handle: handle.clone(),
                        ..Account::default()
                    });
                }
            }
        }
        let mut p = Pseudonymiser {
            by_first_word: HashMap::new(),
            urls: HashMap::new(),
            pseudonyms: HashMap::new(),
            notes: Vec::new(),
        };
        let taken: Vec<String> = accounts.iter().map(|a| a.pseudonym.clone()).collect();
        let mut n = 0;
        for account in &accounts {
            let pseudonym = if account.pseudonym.trim().is_empty() {
                let name = loop {
                    n += 1;
                    let name = format!("Account {n}");
                    if !taken.contains(&name) {
                        break name;
                    }
                };
                p.notes.push(format!(
                    "@{} has no pseudonym: it is shown as \"{name}\" (set one in accounts/{}.toml)",
                    account.handle, account.handle
                ));
                name
            } else {
                account.pseudonym.trim().to_string()
            };
            p.pseudonyms
                .insert(account.handle.clone(), pseudonym.clone());
            p.add(&account.handle, &pseudonym, true);
            p.add(&account.display_name, &pseudonym, false);
            if !account.url.trim().is_empty() {
                p.urls.insert(url_key(&account.url), pseudonym.clone());
            }
        }
        for e in &journal.entries {
            if let (false, Some(first)) = (e.url.trim().is_empty(), e.accounts.first()) {
                let pseudonym = p.pseudonyms[first].clone();
                p.urls.entry(url_key(&e.url)).or_insert(pseudonym);
            }
        }
        for list in p.by_first_word.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.lower.len()));
        }
        // A pseudonym that names a handle could never pass the final check.
        for (handle, pseudonym) in &p.pseudonyms {
            if let Some(found) = p.find_handle(pseudonym) {
                return Err(ExportError::Identifying(format!(
                    "the pseudonym \"{pseudonym}\" of @{handle} contains the handle `{found}`: choose another pseudonym in accounts/{handle}.toml"
                )));
            }
        }
        Ok(p)
    }

    fn add(&mut self, name: &str, replacement: &str, is_handle: bool) {
        let name = name.trim().trim_start_matches('@');
        let name = name.trim_matches(|c: char| !is_word(c));
        if name.is_empty() {
            return;
        }
        let lower = name.to_lowercase();
        let first: String = lower.chars().take_while(|c| is_word(*c)).collect();
        self.by_first_word.entry(first).or_default().push(Pattern {
            lower,
            replacement: replacement.to_string(),
            is_handle,
        });
    }

    /// The pseudonym of a handle (as listed in an entry's `accounts`).
    pub fn pseudonym<'a>(&'a self, handle: &'a str) -> &'a str {
        self.pseudonyms.get(handle).map_or(handle, String::as_str)
    }

    /// `text` with every url, handle and display name replaced.
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut prev: Option<char> = None;
        while i < text.len() {
            let rest = &text[i..];
            if prev.is_none_or(|c| !is_word(c)) {
                if let Some(len) = url_len(rest) {
                    let url = &rest[..len];
                    match self.url_replacement(url) {
                        Some(r) => out.push_str(r),
                        None => out.push_str(url),
                    }
                    prev = url.chars().last();
                    i += len;
                    continue;
                }
                if let Some((len, pattern)) = self.match_at(rest, false) {
                    // `@handle` loses its `@` with the handle (not so `me@handle.org`).
                    if pattern.is_handle
                        && out.ends_with('@')
                        && !out[..out.len() - 1]
                            .chars()
                            .next_back()
                            .is_some_and(is_word)
                    {
                        out.pop();
                    }
                    out.push_str(&pattern.replacement);
                    prev = rest[..len].chars().last();
                    i += len;
                    continue;
                }
            }
            let c = rest.chars().next().expect("i is a char boundary");
            out.push(c);
            prev = Some(c);
            i += c.len_utf8();
        }
        out
    }

    /// The first handle that occurs in `text` (word-bounded, any case), if any.
    pub fn find_handle(&self, text: &str) -> Option<String> {
        let mut prev: Option<char> = None;
        for (i, c) in text.char_indices() {
            if prev.is_none_or(|p| !is_word(p))
                && is_word(c)
                && let Some((len, _)) = self.match_at(&text[i..], true)
            {
                return Some(text[i..i + len].to_string());
            }
            prev = Some(c);
        }
        None
    }

    /// The longest pattern matching at the start of `rest` (which starts a word) and
    /// ending at a word boundary: its length in `rest` and the pattern.
    fn match_at(&self, rest: &str, handles_only: bool) -> Option<(usize, &Pattern)> {
        let word_end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        if word_end == 0 {
            return None;
        }
        let first = rest[..word_end].to_lowercase();
        let candidates = self.by_first_word.get(&first)?;
        candidates
            .iter()
            .filter(|p| p.is_handle || !handles_only)
            .find_map(|p| {
                let len = prefix_len_ci(rest, &p.lower)?;
                let after = rest[len..].chars().next();
                after.is_none_or(|c| !is_word(c)).then_some((len, p))
            })
    }

    /// What replaces a url: a known account or post url, or one that names a handle,
    /// becomes that account's pseudonym.
    fn url_replacement(&self, url: &str) -> Option<&str> {
        if let Some(p) = self.urls.get(&url_key(url)) {
            return Some(p);
        }
        let mut prev: Option<char> = None;
        for (i, c) in url.char_indices() {
            if prev.is_none_or(|p| !is_word(p))
                && let Some((_, pattern)) = self.match_at(&url[i..], true)
            {
                return Some(&pattern.replacement);
            }
            prev = Some(c);
        }
        None
    }

    /// The journal with every name replaced, holding only the `selected` entries (in
    /// order) and the comments on them. Screenshot paths, which often name the account,
    /// become `<entry id>-<n>.<ext>`; `originals` maps them back to the journal's files.
    pub fn journal(
        &self,
        journal: &Journal,
        selected: &[usize],
        originals: &mut HashMap<String, String>,
    ) -> Journal {
        let t = |s: &str| self.text(s);
        let mut settings = journal.settings.clone();
        settings.title = t(&settings.title);
        let mut codebook = journal.codebook.clone();
        for code in &mut codebook.codes {
            code.name = t(&code.name);
            code.description = t(&code.description);
        }
        for group in &mut codebook.groups {
            group.name = t(&group.name);
        }
        let accounts = journal
            .accounts
            .iter()
            .map(|a| Account {
                handle: self.pseudonym(&a.handle).to_string(),
                display_name: self.pseudonym(&a.handle).to_string(),
                url: String::new(),
                category: t(&a.category),
                notes: t(&a.notes),
                pseudonym: self.pseudonym(&a.handle).to_string(),
                ..a.clone()
            })
            .collect();
        let entries: Vec<Entry> = selected
            .iter()
            .map(|&i| {
                let e = &journal.entries[i];
                let mut out = e.clone();
                out.accounts = e
                    .accounts
                    .iter()
                    .map(|h| self.pseudonym(h).to_string())
                    .collect();
                out.title = t(&e.title);
                out.body = t(&e.body);
                // A passage quotes the body: its text is pseudonymised the same way.
                for p in &mut out.passages {
                    p.quote = t(&p.quote);
                    p.prefix = t(&p.prefix);
                    p.suffix = t(&p.suffix);
                }
                out.url = String::new();
                out.source_id = String::new();
                for (n, shot) in out.screenshots.iter_mut().enumerate() {
                    let name = neutral_name(&e.id, n, &shot.path);
                    originals.insert(name.clone(), shot.path.clone());
                    shot.path = name;
                    shot.caption = t(&shot.caption);
                }
                out
            })
            .collect();
        let comments: Vec<Comment> = journal
            .comments
            .iter()
            .filter(|c| entries.iter().any(|e| e.id == c.entry))
            .map(|c| Comment {
                body: t(&c.body),
                ..c.clone()
            })
            .collect();
        Journal {
            settings,
            codebook,
            accounts,
            entries,
            comments,
        }
    }

    /// Fail when `text` (a part of the output, named `place`) still holds a handle.
    pub fn check(&self, place: &str, text: &str) -> Result<(), ExportError> {
        match self.find_handle(text) {
            None => Ok(()),
            Some(handle) => Err(ExportError::Identifying(format!(
                "the pseudonymised export still contains the handle `{handle}` (in {place}); nothing was written"
            ))),
        }
    }
}

/// `<entry id>-<n>.<ext>`: a screenshot's name that says nothing about whom it shows.
pub fn neutral_name(entry_id: &str, n: usize, path: &str) -> String {
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "bin".into());
    format!("{entry_id}-{}.{ext}", n + 1)
}

fn url_key(url: &str) -> String {
    url.trim().trim_end_matches('/').to_lowercase()
}

/// The length of the url starting `text`, if it starts with `http://` or `https://`:
/// up to white space or a quote or bracket, without trailing punctuation.
fn url_len(text: &str) -> Option<usize> {
    let head = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if !(head.starts_with("http://") || head.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    Some(url.len())
}

/// If `text` starts with `lower` ignoring case, the byte length of that start of `text`.
fn prefix_len_ci(text: &str, lower: &str) -> Option<usize> {
    let mut want = lower.chars();
    let mut pending: Vec<char> = Vec::new();
    for (i, c) in text.char_indices() {
        pending.clear();
        pending.extend(c.to_lowercase());
        for l in &pending {
            if want.next() != Some(*l) {
                return None;
            }
        }
        if want.as_str().is_empty() {
            return Some(i + c.len_utf8());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;

    fn journal() -> Journal {
        let account = |h: &str, name: &str, p: &str| Account {
            handle: h.into(),
            display_name: name.into(),
            pseudonym: p.into(),
            url: format!("https://www.tiktok.com/@{h}"),
            ..Account::default()
        };
        Journal {
            accounts: vec![
                account("cindymakeup", "Cindy", "Influencer B"),
                account("nadia.story", "Nadia Putri", "Influencer A"),
                account("dianakocak", "", ""),
            ],
            ..Journal::default()
        }
    }

    #[test]
    fn replaces_handles_names_and_urls() {
        let p = Pseudonymiser::new(&journal()).unwrap();
        let text = "@CindyMakeup said hi to @nadia.story. Cindy's live: \
            https://www.tiktok.com/@cindymakeup/video/123, see https://example.org/x. \
            Nadia Putri and Nadia; cindymakeup2 is someone else; dianakocak too.";
        let out = p.text(text);
        assert_eq!(
            out,
            "Influencer B said hi to Influencer A. Influencer B's live: \
            Influencer B, see https://example.org/x. \
            Influencer A and Nadia; cindymakeup2 is someone else; Account 1 too."
        );
        assert_eq!(p.find_handle(&out), None);
        assert_eq!(p.find_handle("x CINDYMAKEUP."), Some("CINDYMAKEUP".into()));
        assert_eq!(p.find_handle("nadia.storyteller"), None);
        assert!(p.notes[0].contains("@dianakocak has no pseudonym"));
        assert!(p.check("body", "hello @dianakocak").is_err());
    }

    #[test]
    fn a_pseudonym_naming_a_handle_is_refused() {
        let mut j = journal();
        j.accounts.push(Account {
            handle: "b".into(),
            pseudonym: "Influencer B".into(),
            ..Account::default()
        });
        let err = Pseudonymiser::new(&j).unwrap_err();
        assert!(err.to_string().contains("contains the handle"), "{err}");
    }

    #[test]
    fn case_insensitive_prefixes_respect_char_boundaries() {
        assert_eq!(prefix_len_ci("ÉTÉ x", "été"), Some("ÉTÉ".len()));
        assert_eq!(prefix_len_ci("ab", "abc"), None);
        assert_eq!(
            url_len("https://x.org/a). more"),
            Some("https://x.org/a".len())
        );
        assert_eq!(url_len("http:/nope"), None);
        assert_eq!(neutral_name("e1", 0, "media/cindy-live.PNG"), "e1-1.png");
    }
}
