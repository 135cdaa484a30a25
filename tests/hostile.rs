//! Hostile and broken files: every kind of journal file with every fault the issue
//! names (and a few more). Each is reported as `path:line:column`, never overwritten,
//! and the rest of the journal opens, quickly (no hang, no unbounded memory).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::TempJournal;
use fieldnote::model::Journal;
use fieldnote::store::{LoadOptions, Opened, open_with};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Settings,
    Codebook,
    Account,
    Entry,
    Comment,
}

impl Kind {
    fn rel(self, j: &TempJournal) -> String {
        match self {
            Kind::Settings => "journal.toml".into(),
            Kind::Codebook => "codebook.toml".into(),
            Kind::Account => "accounts/cindymakeup.toml".into(),
            Kind::Entry => "entries/2026/03/20260314-210512-7f3a.toml".into(),
            Kind::Comment => {
                let dir = j.path("comments/20260314-210512-7f3a");
                let name = std::fs::read_dir(dir).unwrap().next().unwrap().unwrap();
                format!(
                    "comments/20260314-210512-7f3a/{}",
                    name.file_name().to_string_lossy()
                )
            }
        }
    }

    /// Is this kind's record in the loaded journal?
    fn loaded(self, journal: &Journal, pristine: &Journal) -> bool {
        match self {
            Kind::Settings => journal.settings.timezone == pristine.settings.timezone,
            Kind::Codebook => !journal.codebook.codes.is_empty(),
            Kind::Account => journal.account("cindymakeup").is_some(),
            Kind::Entry => journal.entry("20260314-210512-7f3a").is_some(),
            Kind::Comment => journal.comments.len() == pristine.comments.len(),
        }
    }

    /// A string field that may hold a long text, and a list that may hold many items.
    fn long_field(self) -> &'static str {
        match self {
            Kind::Settings => "title",
            Kind::Codebook => "description",
            Kind::Account => "notes",
            Kind::Entry | Kind::Comment => "body",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The file is reported as an error and its record is not loaded.
    Broken,
    /// The record loads (there may be warnings, or errors about what it refers to).
    Loads,
    /// Either, as long as it is reported in its place and nothing else suffers.
    Either,
}

/// What to do to a valid file's text.
type Fault = (&'static str, Expect, fn(Kind, &str) -> Option<Vec<u8>>);

const FAULTS: &[Fault] = &[
    ("invalid UTF-8", Expect::Broken, |_, t| {
        let at = t.find('"').unwrap() + 1;
        Some([&t.as_bytes()[..at], b"\xff\xfe", &t.as_bytes()[at..]].concat())
    }),
    ("byte-order mark", Expect::Loads, |_, t| {
        Some(format!("\u{feff}{t}").into_bytes())
    }),
    ("CRLF line endings", Expect::Loads, |_, t| {
        Some(t.replace('\n', "\r\n").into_bytes())
    }),
    ("merge-conflict markers", Expect::Broken, |_, t| {
        let second = t.find('\n').unwrap() + 1;
        Some(
            format!(
                "{}<<<<<<< HEAD\n{}=======\nmine = 1\n>>>>>>> theirs\n",
                &t[..second],
                &t[second..]
            )
            .into_bytes(),
        )
    }),
    ("a 10 MB text", Expect::Loads, |k, t| {
        let mut doc: toml_edit::DocumentMut = t.parse().unwrap();
        let text = "lorem ipsum dolor sit amet\n".repeat(10_000_000 / 27);
        let table = match k {
            Kind::Codebook => doc["code"][0].as_table_mut().unwrap(),
            _ => doc.as_table_mut(),
        };
        table[k.long_field()] = toml_edit::value(text);
        Some(doc.to_string().into_bytes())
    }),
    ("100,000 items in one list", Expect::Loads, |k, t| {
        let mut doc: toml_edit::DocumentMut = t.parse().unwrap();
        let n = 100_000;
        match k {
            Kind::Entry => {
                let codes: toml_edit::Array = (0..n).map(|i| format!("code-{i}")).collect();
                doc["codes"] = toml_edit::value(codes);
            }
            Kind::Settings => {
                let names: toml_edit::Array = (0..n).map(|i| format!("R {i}")).collect();
                doc["researchers"] = toml_edit::value(names);
            }
            Kind::Account => {
                let mut points = toml_edit::ArrayOfTables::new();
                for i in 0..n {
                    let mut p = toml_edit::Table::new();
                    p["date"] =
                        toml_edit::value("2026-03-01".parse::<toml_edit::Datetime>().unwrap());
                    p["count"] = toml_edit::value(i as i64);
                    points.push(p);
                }
                doc["followers"] = toml_edit::Item::ArrayOfTables(points);
            }
            Kind::Codebook => {
                let codes = doc["code"].as_array_of_tables_mut().unwrap();
                for i in 0..n {
                    let mut c = toml_edit::Table::new();
                    c["id"] = toml_edit::value(format!("extra-{i}"));
                    c["group"] = toml_edit::value("theme");
                    c["name"] = toml_edit::value(format!("Extra {i}"));
                    codes.push(c);
                }
            }
            // A comment has no list: 100,000 keys it does not know instead.
            Kind::Comment => {
                for i in 0..n {
                    doc[&format!("unknown_{i}")] = toml_edit::value(i as i64);
                }
            }
        }
        Some(doc.to_string().into_bytes())
    }),
    ("deeply nested arrays", Expect::Broken, |_, t| {
        let depth = 20_000;
        Some(format!("deep = {}{}\n{t}", "[".repeat(depth), "]".repeat(depth)).into_bytes())
    }),
    ("deeply nested inline tables", Expect::Broken, |_, t| {
        let depth = 20_000;
        Some(
            format!(
                "deep = {}1{}\n{t}",
                "{a = ".repeat(depth),
                "}".repeat(depth)
            )
            .into_bytes(),
        )
    }),
    ("deeply nested table headers", Expect::Either, |_, t| {
        let header = vec!["x"; 5_000].join(".");
        Some(format!("{t}\n[{header}]\ny = 1\n").into_bytes())
    }),
    ("a value of the wrong type", Expect::Broken, |k, t| {
        let (key, raw) = match k {
            Kind::Settings => ("format", "\"one\""),
            Kind::Codebook => ("id", "5"),
            Kind::Account => ("platform", "7"),
            Kind::Entry => ("codes", "\"live\""),
            Kind::Comment => ("resolved", "\"yes\""),
        };
        Some(replace_value(t, key, raw).into_bytes())
    }),
    ("a date out of range", Expect::Broken, |k, t| {
        let key = match k {
            Kind::Account => "date",
            Kind::Entry => "observed_at",
            Kind::Comment => "at",
            // No dates in these: an integer out of range instead.
            Kind::Settings => {
                return Some(replace_value(t, "format", "99999999999999999999").into_bytes());
            }
            Kind::Codebook => return None,
        };
        Some(replace_value(t, key, "2026-13-45T25:61:00+07:00").into_bytes())
    }),
    ("a date at the edge of time", Expect::Either, |k, t| {
        let key = match k {
            Kind::Entry => "observed_at",
            Kind::Comment => "at",
            Kind::Account => {
                return Some(replace_value(t, "date", "0000-01-01").into_bytes());
            }
            _ => return None,
        };
        Some(replace_value(t, key, "9999-12-31T23:59:59-23:59").into_bytes())
    }),
    ("a local time without offset", Expect::Broken, |k, t| {
        let key = match k {
            Kind::Entry => "observed_at",
            Kind::Comment => "at",
            _ => return None,
        };
        Some(replace_value(t, key, "2026-03-14T21:05:12").into_bytes())
    }),
    ("a duplicate key", Expect::Broken, |_, t| {
        let first = t
            .lines()
            .find(|l| l.starts_with(|c: char| c.is_ascii_lowercase()) && l.contains(" = "))
            .unwrap();
        Some(
            t.replacen(first, &format!("{first}\n{first}"), 1)
                .into_bytes(),
        )
    }),
    ("a NUL byte in a string", Expect::Broken, |_, t| {
        let at = t.find('"').unwrap() + 1;
        Some(format!("{}\0{}", &t[..at], &t[at..]).into_bytes())
    }),
    ("an empty file", Expect::Either, |_, _| Some(Vec::new())),
    ("garbage", Expect::Broken, |_, _| {
        Some(
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        )
    }),
];

/// Replace the value of the first line `key = ...` (a one-line value).
fn replace_value(text: &str, key: &str, raw: &str) -> String {
    let prefix = format!("{key} = ");
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(&prefix) {
                done = true;
                format!("{prefix}{raw}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn open(root: &Path) -> (Opened, Duration) {
    let started = Instant::now();
    let opened = open_with(
        root,
        LoadOptions {
            deep: true,
            ..Default::default()
        },
    )
    .expect("the journal opens");
    (opened, started.elapsed())
}

/// Check one broken journal: the fault reported in its place, the rest loaded, and the
/// file refused for saving.
fn verify(j: &TempJournal, kind: Kind, rel: &str, what: &str, expect: Expect, pristine: &Journal) {
    let (opened, took) = open(&j.root);
    let context = format!("{kind:?} with {what}");
    assert!(
        took < Duration::from_secs(60),
        "{context}: opening took {took:?}"
    );
    let journal = &opened.journal;
    let here: Vec<_> = opened.problems.iter().filter(|p| p.path == rel).collect();
    let loaded = kind.loaded(journal, pristine);
    match expect {
        Expect::Broken => {
            assert!(!loaded, "{context}: should not load");
            assert!(
                here.iter().any(|p| p.is_error()),
                "{context}: no error reported: {:?}",
                opened.problems.iter().take(5).collect::<Vec<_>>()
            );
        }
        Expect::Loads => assert!(loaded, "{context}: should load: {here:?}"),
        // An empty codebook or account is a legitimate (if odd) file.
        Expect::Either => {}
    }
    // Every report about the file stands at a real place in it.
    let regular = std::fs::symlink_metadata(j.path(rel)).is_ok_and(|m| m.is_file());
    let lines = match regular {
        true => std::fs::read(j.path(rel))
            .unwrap()
            .split(|&c| c == b'\n')
            .count(),
        false => 1,
    };
    for p in &here {
        assert!(
            p.line >= 1 && p.line <= lines && p.column >= 1,
            "{context}: {p} is outside the file's {lines} lines"
        );
        let shown = p.to_string();
        assert!(shown.starts_with(&format!("{rel}:{}:{}: ", p.line, p.column)));
        assert!(shown.len() < 2_000, "{context}: a report quotes too much");
    }
    // The rest of the journal opens: every other entry and account is there.
    for e in &pristine.entries {
        let this = kind == Kind::Entry && rel.ends_with(&format!("/{}.toml", e.id));
        assert!(
            this || journal.entry(&e.id).is_some(),
            "{context}: lost {}",
            e.id
        );
    }
    for a in &pristine.accounts {
        let this = kind == Kind::Account && rel == format!("accounts/{}.toml", a.handle);
        assert!(
            this || journal.account(&a.handle).is_some(),
            "{context}: lost @{}",
            a.handle
        );
    }
    eprintln!("{context}: {} reports, {took:.1?}", here.len());
    if expect == Expect::Broken {
        refuses_to_overwrite(j, opened, kind, rel, pristine, &context);
    }
}

/// A file that did not load is never written over, whatever the program is asked to save.
fn refuses_to_overwrite(
    j: &TempJournal,
    mut opened: Opened,
    kind: Kind,
    rel: &str,
    pristine: &Journal,
    context: &str,
) {
    let path = j.path(rel);
    let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    let before = regular.then(|| std::fs::read(&path).unwrap());
    let store = &mut opened.store;
    let result = match kind {
        Kind::Settings => store.save_settings(&pristine.settings),
        Kind::Codebook => store.save_codebook(&pristine.codebook),
        Kind::Account => store.save_account(pristine.account("cindymakeup").unwrap()),
        Kind::Entry => store.save_entry(pristine.entry("20260314-210512-7f3a").unwrap()),
        Kind::Comment => {
            let id = rel.rsplit('/').next().unwrap().trim_end_matches(".toml");
            let c = pristine.comments.iter().find(|c| c.id == id).unwrap();
            store.save_comment(c)
        }
    };
    assert!(result.is_err(), "{context}: the save was not refused");
    if let Some(before) = before {
        assert!(
            std::fs::read(&path).unwrap() == before,
            "{context}: overwritten"
        );
    }
}

fn every_fault(kind: Kind) {
    let j = TempJournal::demo();
    let pristine = fieldnote::store::open(&j.root).unwrap().journal;
    let rel = kind.rel(&j);
    let original = j.read(&rel);
    let mut tried = 0;
    for (what, expect, fault) in FAULTS {
        let Some(bytes) = fault(kind, &original) else {
            continue;
        };
        std::fs::write(j.path(&rel), &bytes).unwrap();
        verify(&j, kind, &rel, what, *expect, &pristine);
        tried += 1;
    }
    for (what, make) in special_files() {
        std::fs::remove_file(j.path(&rel)).unwrap();
        make(&j.path(&rel), &original);
        verify(&j, kind, &rel, what, Expect::Broken, &pristine);
        tried += 1;
    }
    std::fs::remove_file(j.path(&rel)).unwrap();
    std::fs::write(j.path(&rel), &original).unwrap();
    eprintln!("{kind:?}: {tried} faults tried");
}

type Special = (&'static str, fn(&Path, &str));

/// Files that are not what their name says: reading them must neither block nor eat
/// memory, nor read anything outside the journal.
fn special_files() -> Vec<Special> {
    #[cfg(unix)]
    {
        vec![
            ("a named pipe", |p, _| {
                let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
                // SAFETY: mkfifo with a valid NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            }),
            ("a link to /dev/zero", |p, _| {
                std::os::unix::fs::symlink("/dev/zero", p).unwrap();
            }),
            ("a link to a file outside the journal", |p, text| {
                // A valid copy outside: it would load if links were followed out.
                let outside = std::env::temp_dir().join(format!(
                    "fieldnote-outside-{}-{}",
                    std::process::id(),
                    p.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(&outside, text).unwrap();
                std::os::unix::fs::symlink(&outside, p).unwrap();
            }),
        ]
    }
    #[cfg(not(unix))]
    {
        vec![]
    }
}

#[test]
fn a_broken_journal_toml_is_reported_and_the_rest_opens() {
    every_fault(Kind::Settings);
}

#[test]
fn a_broken_codebook_is_reported_and_the_rest_opens() {
    every_fault(Kind::Codebook);
}

#[test]
fn a_broken_account_is_reported_and_the_rest_opens() {
    every_fault(Kind::Account);
}

#[test]
fn a_broken_entry_is_reported_and_the_rest_opens() {
    every_fault(Kind::Entry);
}

#[test]
fn a_broken_comment_is_reported_and_the_rest_opens() {
    every_fault(Kind::Comment);
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let j = TempJournal::demo();
    let rel = Kind::Entry.rel(&j);
    let file = std::fs::File::create(j.path(&rel)).unwrap();
    file.set_len(fieldnote::store::read::MAX_RECORD_BYTES + 1)
        .unwrap();
    let (opened, took) = open(&j.root);
    let p = opened.problems.iter().find(|p| p.path == rel).unwrap();
    assert!(p.message.contains("too large"), "{p}");
    assert!(took < Duration::from_secs(30));
}

#[test]
fn a_link_to_a_folder_outside_is_not_followed() {
    let j = TempJournal::demo();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.toml"), "id = \"x\"\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), j.path("entries/2027")).unwrap();
        std::fs::rename(j.path("accounts"), j.path("accounts-real")).unwrap();
        std::os::unix::fs::symlink(outside.path(), j.path("accounts")).unwrap();
        let (opened, _) = open(&j.root);
        assert!(opened.journal.accounts.is_empty());
        let p = opened
            .problems
            .iter()
            .find(|p| p.path == "accounts")
            .unwrap();
        assert!(p.message.contains("outside the journal"), "{p}");
        assert!(!opened.problems.iter().any(|p| p.path.contains("2027")));
    }
}

/// `check` prints each fault as `path:line:column: message` and fails; `list` still
/// shows the rest.
#[test]
fn the_command_line_reports_faults_at_their_place() {
    let j = TempJournal::demo();
    let entry = Kind::Entry.rel(&j);
    let text = j.read(&entry);
    std::fs::write(j.path(&entry), replace_value(&text, "codes", "\"live\"")).unwrap();
    j.write(
        "accounts/cindymakeup.toml",
        "handle = \"cindymakeup\"\n<<<<<<< HEAD\n",
    );
    let out = j.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let printed = common::stdout(&out);
    let line = printed.lines().find(|l| l.starts_with(&entry)).unwrap();
    let place: Vec<&str> = line.splitn(4, ':').collect();
    assert_eq!(place[1], "6", "{line}");
    assert!(place[2].parse::<usize>().unwrap() > 1, "{line}");
    assert!(printed.contains("accounts/cindymakeup.toml:2:1: leftover merge-conflict marker"));
    let listed = j.ok(&["list"]);
    assert_eq!(listed.lines().count(), 52, "every other entry is listed");
}

/// A file `toml` reads but `toml_edit` cannot rewrite in place (an integer past 64 bits
/// in a key of a person's own): `check` says so at its line, and a save refuses to
/// overwrite it rather than losing anything (found by the fuzz test's seed
/// 1796346822972283509).
#[test]
fn a_file_that_cannot_be_rewritten_is_reported_and_never_overwritten() {
    let j = TempJournal::demo();
    let rel = "entries/2026/03/20260314-210512-7f3a.toml";
    let mut text = j.read(rel);
    text = text.replacen("kind = ", "my_count = 99999999999999999999\nkind = ", 1);
    j.write(rel, &text);
    let check = j.run(&["check"]);
    let out = common::stdout(&check);
    let line = text
        .lines()
        .position(|l| l.starts_with("my_count"))
        .unwrap()
        + 1;
    assert!(
        out.contains(&format!("{rel}:{line}:")) && out.contains("not rewrite it"),
        "{out}"
    );
    let tag = j.run(&["tag", "20260314-2105", "humour"]);
    assert_eq!(tag.status.code(), Some(1));
    assert_eq!(j.read(rel), text, "the file is as it was");
}
