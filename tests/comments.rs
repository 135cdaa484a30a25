//! `fieldnote comment`, `fieldnote comments` and reviewer mode on the command line.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{TempJournal, stderr, stdout};

const THREAD: &str = "20260325-163004-f792";
const RESOLVED: &str = "20260314-210512-7f3a";

#[test]
fn comment_writes_one_new_file_signed_with_as() {
    let j = TempJournal::demo();
    let before = j.snapshot();
    let out = j.ok(&[
        "--as",
        "Dr. Rina",
        "comment",
        "20260314-21",
        "Her",
        "words?",
    ]);
    let path = out.trim();
    assert!(
        path.starts_with(&format!("comments/{RESOLVED}/")) && path.ends_with("-dr-rina.toml"),
        "{path}"
    );
    let text = j.read(path);
    assert!(text.contains("author = \"Dr. Rina\""), "{text}");
    assert!(text.contains("Her words?"));
    assert!(text.contains("resolved = false"));
    let after = j.snapshot();
    assert_eq!(
        after.len(),
        before.len() + 1,
        "only the comment file is new"
    );
    for (p, bytes) in &before {
        assert!(after.contains(&(p.clone(), bytes.clone())), "{p:?} changed");
    }
    j.ok(&["check"]);
}

#[test]
fn the_researcher_answers_under_their_own_name() {
    let j = TempJournal::demo();
    let empty = j.run(&["comment", THREAD, "-"]);
    assert!(!empty.status.success(), "an empty comment is refused");
    let out = j.run_with_stdin(&["comment", THREAD, "-"], Some("It was her words.\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ayu-lestari"),
        "signed by the journal's first researcher: {}",
        stdout(&out)
    );
    let listed = j.ok(&["comments", "--entry", THREAD]);
    assert!(listed.contains("It was her words."), "{listed}");
    assert!(listed.contains("Ayu Lestari"));
}

#[test]
fn comments_lists_threads_and_open_ones() {
    let j = TempJournal::demo();
    let all = j.ok(&["comments"]);
    assert!(all.contains(RESOLVED) && all.contains(THREAD), "{all}");
    assert!(all.contains("[resolved]") && all.contains("[open]"));
    let open = j.ok(&["comments", "--open"]);
    assert!(!open.contains(RESOLVED), "{open}");
    assert!(open.contains(THREAD));
    let json: serde_json::Value =
        serde_json::from_str(&j.ok(&["comments", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["entry"], RESOLVED);
}

#[test]
fn resolve_and_reopen_a_thread() {
    let j = TempJournal::demo();
    j.ok(&["comment", THREAD, "--resolve"]);
    assert!(!j.ok(&["comments", "--open"]).contains(THREAD));
    let again = j.ok(&["comment", THREAD, "--resolve"]);
    assert!(again.contains("nothing to resolve"), "{again}");
    j.ok(&["comment", THREAD, "--reopen"]);
    let open = j.ok(&["comments", "--open"]);
    assert_eq!(open.matches("[open]").count(), 1, "{open}");
    let listed = j.ok(&["list", "--open-comments"]);
    assert!(listed.contains(THREAD));
}

#[test]
fn reviewer_mode_writes_comments_only() {
    let j = TempJournal::demo();
    let before = j.snapshot();
    for args in [
        vec!["--review", "--as", "Rina", "add", "a note"],
        vec!["--review", "--as", "Rina", "accounts", "add", "someone"],
        vec![
            "--review", "--as", "Rina", "codes", "add", "x", "--group", "theme",
        ],
    ] {
        let out = j.run(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            stderr(&out).contains("reviewer mode: only comments"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(j.snapshot(), before, "nothing changed");
    let out = j.ok(&["--review", "--as", "Rina", "comment", THREAD, "Agreed."]);
    assert!(j.read(out.trim()).contains("author = \"Rina\""));
    // Reviewers may resolve threads too.
    j.ok(&["--review", "--as", "Rina", "comment", THREAD, "--resolve"]);
}

#[test]
fn review_needs_a_name_and_read_only_allows_nothing() {
    let j = TempJournal::demo();
    let out = j.run(&["--review", "comments"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--as"));
    let before = j.snapshot();
    let out = j.run(&["--read-only", "comment", THREAD, "no"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(j.snapshot(), before);
    assert!(stdout(&j.run(&["--read-only", "comments"])).contains(THREAD));
}

#[test]
fn unknown_entries_are_refused() {
    let j = TempJournal::demo();
    let out = j.run(&["comment", "19990101", "text"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no entry"), "{}", stderr(&out));
}

#[test]
fn a_reviewer_with_a_very_long_name_can_comment() {
    // A file name may be 255 bytes; a name of 300 used to make the comment's unwritable.
    let j = TempJournal::demo();
    let name = "Professor ".repeat(30);
    let out = j.ok(&["--as", &name, "comment", THREAD, "Long names happen."]);
    let path = out.trim();
    let file = path.rsplit('/').next().unwrap();
    assert!(file.len() < 100, "{file}");
    let text = j.read(path);
    assert!(
        text.contains(&format!("author = \"{}\"", name.trim_end())) || text.contains(&name),
        "{text}"
    );
    j.ok(&["check"]);
}
