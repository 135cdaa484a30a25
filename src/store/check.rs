//! Validation of each record against FORMAT.md and against the rest of the journal.
//! Every problem carries the place it stands in its file.

use std::collections::HashSet;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml_edit::{Document, Item, TableLike};

use super::Problem;
use super::load::stem;
use super::media::check_relative;
use super::spans::{Locator, Step, locate};
use crate::model::text::near_matches;
use crate::model::{Account, Codebook, Comment, Entry, Settings, is_entry_id, is_slug};

/// The ids entries may refer to.
pub struct Known {
    pub accounts: Names,
    pub codes: Names,
}

/// Known names, looked up for every cached entry on every start: foldhash (seeded per
/// process) instead of SipHash, a twentieth of a 10,000-entry start.
pub type Names = foldhash::HashSet<String>;

impl Known {
    pub fn new(codebook: &Codebook, accounts: &[Account]) -> Known {
        Known {
            accounts: accounts.iter().map(|a| a.handle.clone()).collect(),
            codes: codebook.codes.iter().map(|c| c.id.clone()).collect(),
        }
    }
}

/// "unknown code `x`" plus the near matches, if any.
pub fn unknown(what: &str, name: &str, candidates: &Names) -> String {
    let near = near_matches(name, candidates.iter().map(String::as_str));
    if near.is_empty() {
        format!("unknown {what} `{name}`")
    } else {
        format!(
            "unknown {what} `{name}` (did you mean `{}`?)",
            near.join("`, `")
        )
    }
}

/// At most this many unknown names are reported for one list of one file; the rest are
/// counted in one more problem (a file with 100,000 unknown codes gets 21 lines).
const MAX_REPORTED: usize = 20;

/// Report the names of the array `key` that `known` lacks.
fn unknown_names(
    out: &mut Vec<Problem>,
    file: (&str, &Locator),
    (what, key): (&str, &str),
    names: &[String],
    known: &Names,
) {
    unknown_names_at(out, file, (what, &[Step::Key(key)]), names, known);
}

/// `unknown_names` for the array at `path` (which may lie inside an array of tables).
fn unknown_names_at(
    out: &mut Vec<Problem>,
    (rel, loc): (&str, &Locator),
    (what, path): (&str, &[Step]),
    names: &[String],
    known: &Names,
) {
    let mut missing = names.iter().filter(|n| !known.contains(*n));
    for name in missing.by_ref().take(MAX_REPORTED) {
        let place = loc.at(&[path, &[Step::Element(name)]].concat());
        out.push(Problem::error(rel, place, unknown(what, name, known)));
    }
    let more = missing.count();
    if more > 0 {
        let key = path.iter().rev().find_map(|s| match s {
            Step::Key(k) => Some(*k),
            _ => None,
        });
        out.push(Problem::error(
            rel,
            loc.at(path),
            format!(
                "… and {more} more unknown {what}s in `{}`",
                key.unwrap_or_default()
            ),
        ));
    }
}

/// Passages whose quote the body no longer holds (orphans), and their unknown codes.
///
/// A record from the load cache is validated again without its text (`text` empty), for
/// the codebook may have changed since: it was whole when cached, and its body is the
/// same, so its passages still anchor and are not searched for again (at 10,000 entries
/// that search was a tenth of every start).
fn passages(out: &mut Vec<Problem>, file: (&str, &Locator), text: &str, e: &Entry, known: &Known) {
    let (rel, loc) = file;
    let cached = text.is_empty();
    for (i, p) in e.passages.iter().enumerate() {
        let at = |key| [Step::Key("passages"), Step::Index(i), Step::Key(key)];
        if !cached && p.anchor(&e.body).is_none() {
            let what = if p.quote.is_empty() {
                "passage has an empty quote".to_string()
            } else {
                format!(
                    "passage {} is orphaned: the body no longer holds its quote \"{}\" (fix the quote or remove the passage: `fieldnote code {} --remove {}`)",
                    i + 1,
                    crate::model::text::one_line(&p.quote),
                    e.id,
                    i + 1
                )
            };
            out.push(Problem::error(rel, loc.at(&at("quote")), what));
        }
        unknown_names_at(out, file, ("code", &at("codes")), &p.codes, &known.codes);
    }
}

pub fn entry(rel: &str, text: &str, e: &Entry, known: &Known) -> Vec<Problem> {
    let mut out = Vec::new();
    let loc = Locator::new(text);
    let at = |path: &[Step]| loc.at(path);
    if stem(rel) != e.id {
        out.push(Problem::error(
            rel,
            at(&[Step::Key("id")]),
            format!(
                "id `{}` does not match the file name `{}.toml`",
                e.id,
                stem(rel)
            ),
        ));
    } else if !is_entry_id(&e.id) {
        out.push(Problem::warning(
            rel,
            at(&[Step::Key("id")]),
            format!("id `{}` is not of the form YYYYMMDD-HHMMSS-xxxx", e.id),
        ));
    }
    let file = (rel, &loc);
    unknown_names(
        &mut out,
        file,
        ("account", "accounts"),
        &e.accounts,
        &known.accounts,
    );
    unknown_names(&mut out, file, ("code", "codes"), &e.codes, &known.codes);
    if e.codes.len() > crate::model::MAX_CODES_PER_ENTRY {
        out.push(Problem::error(
            rel,
            at(&[Step::Key("codes")]),
            format!(
                "{} codes on one entry, over the limit of {}; co-occurrence leaves out its pairs",
                e.codes.len(),
                crate::model::MAX_CODES_PER_ENTRY
            ),
        ));
    }
    passages(&mut out, file, text, e, known);
    let bad_paths = e
        .screenshots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| check_relative(&s.path).err().map(|r| (i, s, r)));
    for (i, shot, reason) in bad_paths.take(MAX_REPORTED) {
        let place = at(&[Step::Key("screenshots"), Step::Index(i), Step::Key("path")]);
        out.push(Problem::error(
            rel,
            place,
            format!("screenshot `{}`: {reason}", shot.path),
        ));
    }
    out
}

/// Screenshots that are missing, escape the journal, or whose sha256 changed.
pub fn screenshots(root: &Path, rel: &str, text: &str, e: &Entry) -> Vec<Problem> {
    let mut out = Vec::new();
    let loc = Locator::new(text);
    for (i, shot) in e.screenshots.iter().enumerate() {
        if out.len() >= MAX_REPORTED {
            break;
        }
        let place = || loc.at(&[Step::Key("screenshots"), Step::Index(i), Step::Key("path")]);
        if check_relative(&shot.path).is_err() {
            continue; // reported by `entry`
        }
        let path = match super::media::resolve_inside(root, &shot.path) {
            Ok(p) => p,
            Err(e) => {
                out.push(Problem::error(rel, place(), e.to_string()));
                continue;
            }
        };
        match super::read::sha256_file(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push(Problem::error(
                rel,
                place(),
                format!("screenshot `{}` is missing", shot.path),
            )),
            Err(e) => out.push(Problem::error(
                rel,
                place(),
                format!("screenshot `{}` cannot be read: {e}", shot.path),
            )),
            Ok(sha256) if !shot.sha256.is_empty() && sha256 != shot.sha256.to_ascii_lowercase() => {
                out.push(Problem::error(
                    rel,
                    place(),
                    format!(
                        "screenshot `{}` changed since it was attached (sha256 differs)",
                        shot.path
                    ),
                ))
            }
            Ok(_) => {}
        }
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn account(rel: &str, text: &str, a: &Account) -> Vec<Problem> {
    if a.handle == stem(rel) {
        return crate::model::handle_problem(&a.handle)
            .map(|why| Problem::warning(rel, locate(text, &[Step::Key("handle")]), why))
            .into_iter()
            .collect();
    }
    vec![Problem::error(
        rel,
        locate(text, &[Step::Key("handle")]),
        format!(
            "handle `{}` does not match the file name `{}.toml`",
            a.handle,
            stem(rel)
        ),
    )]
}

pub fn comment(
    rel: &str,
    text: &str,
    c: &Comment,
    entries: &foldhash::HashSet<&str>,
) -> Vec<Problem> {
    let folder = rel.rsplit('/').nth(1).unwrap_or_default();
    // Located only when there is a problem: parsing a long comment again costs.
    let place = || locate(text, &[Step::Key("entry")]);
    if c.entry != folder {
        return vec![Problem::error(
            rel,
            place(),
            format!(
                "comment is on entry `{}` but lies in the folder of `{folder}`",
                c.entry
            ),
        )];
    }
    if !entries.contains(c.entry.as_str()) {
        return vec![Problem::error(
            rel,
            place(),
            format!("comment on unknown entry `{}`", c.entry),
        )];
    }
    Vec::new()
}

pub fn settings(rel: &str, text: &str, s: &Settings) -> Vec<Problem> {
    let mut out = Vec::new();
    if s.format != 1 {
        out.push(Problem::error(
            rel,
            locate(text, &[Step::Key("format")]),
            format!(
                "format {} is not one this fieldnote reads (it reads format 1)",
                s.format
            ),
        ));
    }
    if jiff::tz::TimeZone::get(&s.timezone).is_err() {
        out.push(Problem::error(
            rel,
            locate(text, &[Step::Key("timezone")]),
            format!(
                "unknown time zone `{}` (use an IANA name such as `Asia/Jakarta`)",
                s.timezone
            ),
        ));
    }
    out
}

pub fn codebook(rel: &str, text: &str, book: &Codebook) -> Vec<Problem> {
    let mut out = Vec::new();
    let groups: HashSet<&str> = book.groups.iter().map(|g| g.id.as_str()).collect();
    let codes: HashSet<&str> = book.codes.iter().map(|c| c.id.as_str()).collect();
    let mut seen_ids = HashSet::new();
    let mut seen_keys = HashSet::new();
    let mut seen_guids = HashSet::new();
    let loc = Locator::new(text);
    for (i, c) in book.codes.iter().enumerate() {
        let at = |key| loc.at(&[Step::Key("code"), Step::Index(i), Step::Key(key)]);
        let mut error = |key, msg: String| out.push(Problem::error(rel, at(key), msg));
        if !is_slug(&c.id) {
            error(
                "id",
                format!("code id `{}` must be made of a-z, 0-9 and -", c.id),
            );
        }
        if !seen_ids.insert(&c.id) {
            error("id", format!("duplicate code id `{}`", c.id));
        }
        if !groups.contains(c.group.as_str()) {
            error(
                "group",
                format!("code `{}` names unknown group `{}`", c.id, c.group),
            );
        }
        if !c.key.is_empty() && !seen_keys.insert(&c.key) {
            error(
                "key",
                format!("key `{}` is given to more than one code", c.key),
            );
        }
        if !c.parent.is_empty() && !codes.contains(c.parent.as_str()) {
            error(
                "parent",
                format!("code `{}` names unknown parent `{}`", c.id, c.parent),
            );
        }
        if !c.color.is_empty() {
            if let Err(e) = c.color.parse::<crate::model::CodeColor>() {
                error("color", e.to_string());
            }
        }
        if !c.guid.is_empty() && !is_uuid(&c.guid) {
            error("guid", format!("guid `{}` is not a UUID", c.guid));
        } else if !c.guid.is_empty() && !seen_guids.insert(c.guid.to_ascii_lowercase()) {
            error("guid", format!("guid `{}` is used by another code", c.guid));
        }
    }
    for (i, g) in book.groups.iter().enumerate() {
        if !is_slug(&g.id) {
            let at = loc.at(&[Step::Key("group"), Step::Index(i), Step::Key("id")]);
            out.push(Problem::error(
                rel,
                at,
                format!("group id `{}` must be made of a-z, 0-9 and -", g.id),
            ));
        }
    }
    out
}

pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The first leftover merge-conflict marker (`<<<<<<<` or `>>>>>>>` starting a line).
pub fn conflict_marker(text: &str) -> Option<(usize, usize)> {
    if !text.contains("<<<<<<<") && !text.contains(">>>>>>>") {
        return None;
    }
    text.lines()
        .position(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
        .map(|i| (i + 1, 1))
}

/// Keys each kind of file knows, by table path ("" is the top level).
const ENTRY_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "id",
            "observed_at",
            "recorded_at",
            "ended_at",
            "kind",
            "accounts",
            "codes",
            "title",
            "url",
            "source_id",
            "informant",
            "body",
            "screenshots",
            "metrics",
            "passages",
        ],
    ),
    ("screenshots", &["path", "sha256", "caption"]),
    ("passages", &["quote", "prefix", "suffix", "start", "codes"]),
    (
        "metrics",
        &[
            "views",
            "likes",
            "comments",
            "shares",
            "saves",
            "replied_comments",
            "metrics_at",
        ],
    ),
];
const ACCOUNT_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "handle",
            "platform",
            "display_name",
            "category",
            "url",
            "pseudonym",
            "notes",
            "followers",
        ],
    ),
    ("followers", &["date", "count"]),
];
const CODEBOOK_KEYS: &[(&str, &[&str])] = &[
    ("", &["group", "code"]),
    ("group", &["id", "name"]),
    (
        "code",
        &[
            "id",
            "group",
            "name",
            "key",
            "color",
            "description",
            "guid",
            "parent",
        ],
    ),
];
const SETTINGS_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "format",
            "title",
            "researchers",
            "timezone",
            "git",
            "import",
        ],
    ),
    ("git", &["autocommit"]),
    ("import", &["hashtags"]),
];
const COMMENT_KEYS: &[(&str, &[&str])] = &[("", &["entry", "author", "at", "body", "resolved"])];

fn schema_for(rel: &str) -> &'static [(&'static str, &'static [&'static str])] {
    match rel.split('/').next() {
        Some("entries") => ENTRY_KEYS,
        Some("accounts") => ACCOUNT_KEYS,
        Some("comments") => COMMENT_KEYS,
        Some("codebook.toml") => CODEBOOK_KEYS,
        _ => SETTINGS_KEYS,
    }
}

/// Keys the format does not define. They are kept when the program rewrites the file,
/// so they are only warnings: usually a typo (`titel`), sometimes a person's own field.
pub fn unknown_keys(rel: &str, text: &str) -> Vec<Problem> {
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        // Readable, but not as a document fieldnote can rewrite in place (an integer
        // past 64 bits, say): say so here, as a save would refuse it.
        Err(e) => {
            let at = e.span().map_or((1, 1), |s| super::line_col(text, s.start));
            return vec![Problem::error(
                rel,
                at,
                format!(
                    "{}: fieldnote can read this file but not rewrite it, so it will not save changes to it until this is fixed",
                    e.message().trim()
                ),
            )];
        }
    };
    let schema = schema_for(rel);
    let mut out = Vec::new();
    let mut more = 0;
    for (table_path, known) in schema {
        for table in tables_at(doc.as_table(), table_path) {
            for (key, _) in table.iter() {
                if known.contains(&key) {
                    continue;
                }
                if out.len() == MAX_REPORTED {
                    more += 1;
                    continue;
                }
                let span = table.key(key).and_then(|k| k.span());
                let at = span.map_or((1, 1), |s| super::line_col(text, s.start));
                let near = near_matches(key, known.iter().copied());
                let hint = match near.first() {
                    Some(n) => format!(" (did you mean `{n}`?)"),
                    None => String::new(),
                };
                out.push(Problem::warning(
                    rel,
                    at,
                    format!("unknown key `{key}` is kept as it is{hint}"),
                ));
            }
        }
    }
    if more > 0 {
        out.push(Problem::warning(
            rel,
            (1, 1),
            format!("… and {more} more unknown keys, kept as they are"),
        ));
    }
    out
}

fn tables_at<'a>(top: &'a dyn TableLike, path: &str) -> Vec<&'a dyn TableLike> {
    if path.is_empty() {
        return vec![top];
    }
    match top.get(path) {
        Some(Item::Table(t)) => vec![t as &dyn TableLike],
        Some(Item::Value(toml_edit::Value::InlineTable(t))) => vec![t as &dyn TableLike],
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| t as &dyn TableLike).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_at_their_line() {
        assert_eq!(conflict_marker("a = 1\n<<<<<<< HEAD\nb\n"), Some((2, 1)));
        assert_eq!(conflict_marker("body = \"\"\"\n====\n\"\"\"\n"), None);
    }

    #[test]
    fn unknown_keys_are_warnings_with_a_suggestion() {
        let text = "id = \"x\"\ntitel = \"t\"\n\n[metrics]\nviews = 1\nlikez = 2\n";
        let found = unknown_keys("entries/2026/03/x.toml", text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].line, found[0].column), (2, 1));
        assert!(found[0].message.contains("did you mean `title`"));
        assert_eq!(found[1].line, 6);
        assert!(!found[0].is_error());
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("8f2d3c4a-1b6e-4f7a-9c0d-2e5b6a7c8d9e"));
        assert!(!is_uuid("8f2d3c4a1b6e4f7a9c0d2e5b6a7c8d9e"));
    }
}
