//! The journal store: faithful round trips, edits that keep what a person wrote, every
//! `check` fault at its place, and no silent overwrites.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{TempJournal, stdout};
use fieldnote::store::{self, LoadOptions, StoreError};

#[test]
fn saving_unchanged_records_changes_no_byte() {
    let j = TempJournal::demo();
    let before = j.snapshot();
    let mut opened = store::open(&j.root).unwrap();
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    let journal = opened.journal.clone();
    for e in &journal.entries {
        opened.store.save_entry(e).unwrap();
    }
    for a in &journal.accounts {
        opened.store.save_account(a).unwrap();
    }
    for c in &journal.comments {
        opened.store.save_comment(c).unwrap();
    }
    opened.store.save_codebook(&journal.codebook).unwrap();
    opened.store.save_settings(&journal.settings).unwrap();
    assert!(before == j.snapshot(), "a no-op save rewrote a file");
}

#[test]
fn every_record_type_round_trips() {
    let j = TempJournal::demo();
    let mut opened = store::open(&j.root).unwrap();
    let mut journal = opened.journal.clone();
    // Change one field of each record type, save, reload, compare the whole model.
    let e = &mut journal.entries[0];
    e.title = "Changed title with \"quotes\" and 🥺".into();
    e.body = "multi\nline\n\"\"\"triple\"\"\" quotes\\backslash\n".into();
    e.codes.push("promotion".into());
    e.metrics = Some(Box::new(fieldnote::model::Metrics {
        views: Some(1),
        replied_comments: Some(0),
        ..Default::default()
    }));
    opened.store.save_entry(&journal.entries[0]).unwrap();
    journal.accounts[0].notes = "new notes".into();
    journal.accounts[0].followers.pop();
    opened.store.save_account(&journal.accounts[0]).unwrap();
    journal.codebook.codes[0].name = "Renamed".into();
    opened.store.save_codebook(&journal.codebook).unwrap();
    journal.comments[0].resolved = !journal.comments[0].resolved;
    opened.store.save_comment(&journal.comments[0]).unwrap();
    journal.settings.git.autocommit = true;
    journal
        .settings
        .import
        .hashtags
        .insert("ootd".into(), "promotion".into());
    opened.store.save_settings(&journal.settings).unwrap();

    let reloaded = store::open(&j.root).unwrap();
    assert!(reloaded.problems.is_empty(), "{:?}", reloaded.problems);
    assert_eq!(reloaded.journal, journal);
}

#[test]
fn a_hand_edited_file_keeps_comments_order_and_unknown_keys() {
    let j = TempJournal::init();
    j.write(
        "accounts/ayu.toml",
        "handle = \"ayu\"\nplatform = \"tiktok\"\n",
    );
    let hand = "# My own header comment\n\
        title = \"Hand written\"   # trailing comment\n\
        id = \"20260314-210512-7f3a\"\n\
        kind = 'observation'\n\
        observed_at = 2026-03-14T21:05:12+07:00\n\
        my_own_field = [1, 2, 3]\n\
        accounts = [ \"ayu\" ]\n\
        codes = [\"live\"]  # the codes\n\
        body = '''literal body'''\n\
        \n\
        [metrics]\n\
        views = 10\n\
        custom_metric = \"kept\"\n";
    j.write("entries/2026/03/20260314-210512-7f3a.toml", hand);
    let mut opened = store::open(&j.root).unwrap();
    assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    let mut e = opened.journal.entries[0].clone();
    e.toggle_code("authenticity");
    opened.store.save_entry(&e).unwrap();
    let after = j.read("entries/2026/03/20260314-210512-7f3a.toml");
    let expected = hand.replace(
        "codes = [\"live\"]  # the codes",
        "codes = [\"live\", \"authenticity\"]  # the codes",
    );
    assert_eq!(after, expected);
}

#[test]
fn check_reports_each_fault_at_its_place() {
    let j = TempJournal::demo();
    let entry = "entries/2026/03/20260314-210512-7f3a.toml";
    let original = j.read(entry);
    // Unknown code and account, on known lines.
    let bad = original
        .replace("\"live\",", "\"liv\",")
        .replace("accounts = [\"cindymakeup\"]", "accounts = [\"cindy\"]");
    j.write(entry, &bad);
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    // A syntax error, a conflict marker, a wrong type, an id mismatch, a duplicate,
    // an escaping screenshot path and a comment on no entry.
    j.write("entries/2026/04/20260401-000000-aaaa.toml", "id = \"20260401-000000-aaaa\"\nobserved_at = 2026-04-01T00:00:00+07:00\nbody = \"unterminated\n");
    j.write("entries/2026/04/20260402-000000-bbbb.toml", "id = \"20260402-000000-bbbb\"\n<<<<<<< HEAD\nobserved_at = 2026-04-02T00:00:00+07:00\n=======\n>>>>>>> other\n");
    j.write("entries/2026/04/20260403-000000-cccc.toml", "id = \"20260403-000000-cccc\"\nobserved_at = 2026-04-03T00:00:00+07:00\ncodes = \"live\"\n");
    j.write(
        "entries/2026/04/20260404-000000-dddd.toml",
        "id = \"20260404-000000-ffff\"\nobserved_at = 2026-04-04T00:00:00+07:00\n",
    );
    j.write("entries/2026/04/copy.toml", &original);
    j.write("entries/2026/04/20260405-000000-eeee.toml", "id = \"20260405-000000-eeee\"\nobserved_at = 2026-04-05T00:00:00+07:00\n\n[[screenshots]]\npath = \"../../etc/passwd\"\n");
    j.write(
        "comments/nope/20260101-000000-x.toml",
        "entry = \"nope\"\nauthor = \"x\"\nat = 2026-01-01T00:00:00Z\n",
    );

    let out = j.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    let expect = |prefix: String, words: &str| {
        assert!(
            report
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(words)),
            "no `{prefix}…{words}` in:\n{report}"
        );
    };
    expect(
        format!("{entry}:{}:", line_of(&bad, "\"liv\"")),
        "unknown code `liv`",
    );
    expect(
        format!("{entry}:{}:", line_of(&bad, "\"cindy\"")),
        "unknown account `cindy`",
    );
    expect("entries/2026/04/20260401-000000-aaaa.toml:3:".into(), "");
    expect(
        "entries/2026/04/20260402-000000-bbbb.toml:2:1:".into(),
        "merge-conflict marker",
    );
    expect(
        "entries/2026/04/20260403-000000-cccc.toml:3:".into(),
        "invalid type",
    );
    expect(
        "entries/2026/04/20260404-000000-dddd.toml:1:6:".into(),
        "does not match the file name",
    );
    expect("entries/2026/04/copy.toml:1:6:".into(), "does not match");
    expect(
        "entries/2026/04/20260405-000000-eeee.toml:5:8:".into(),
        "leave the journal",
    );
    expect(
        "comments/nope/20260101-000000-x.toml:1:9:".into(),
        "unknown entry",
    );
    // The rest still loads.
    let listed = j.ok(&["list"]);
    assert!(listed.lines().count() >= 50, "{listed}");
}

#[test]
fn duplicate_ids_and_missing_screenshots_are_reported() {
    let j = TempJournal::demo();
    let entry = "entries/2026/03/20260314-210512-7f3a.toml";
    let text = j.read(entry);
    j.write("entries/2026/05/20260314-210512-7f3a.toml", &text);
    let shot = text.lines().find(|l| l.starts_with("path = ")).unwrap();
    let shot_path = shot.trim_start_matches("path = ").trim_matches('"');
    std::fs::remove_file(j.path(shot_path)).unwrap();
    let report = stdout(&j.run(&["check"]));
    assert!(
        report.contains("entries/2026/05/20260314-210512-7f3a.toml:1:6: duplicate id"),
        "{report}"
    );
    let line = text.lines().position(|l| l == shot).unwrap() + 1;
    assert!(
        report.contains(&format!(
            "{entry}:{line}:8: screenshot `{shot_path}` is missing"
        )),
        "{report}"
    );
}

#[test]
fn a_file_that_failed_to_parse_is_never_overwritten() {
    let j = TempJournal::demo();
    let broken = "codebook.toml";
    let text = j
        .read(broken)
        .replace("[[code]]\nid = \"live\"", "[[code]\nid = \"live\"");
    j.write(broken, &text);
    // Every command that could write; none may touch the broken file.
    let _ = j.run(&["codes", "add", "--group", "theme", "--name", "New one"]);
    let _ = j.run(&["add", "text"]);
    let _ = j.run(&["check"]);
    let _ = j.run(&["list"]);
    assert_eq!(j.read(broken), text);
    let mut opened = store::open(&j.root).unwrap();
    let err = opened
        .store
        .save_codebook(&opened.journal.codebook.clone())
        .unwrap_err();
    assert!(matches!(err, StoreError::Unparseable { .. }), "{err}");
    assert_eq!(j.read(broken), text);
}

#[test]
fn a_file_changed_on_disk_is_not_silently_overwritten() {
    let j = TempJournal::demo();
    let mut opened = store::open(&j.root).unwrap();
    let mut entry = opened.journal.entries[0].clone();
    let rel = opened.store.entry_path(&entry);
    let theirs = j
        .read(&rel)
        .replace("body = ", "# someone else was here\nbody = ");
    j.write(&rel, &theirs);
    entry.title = "mine".into();
    let err = opened.store.save_entry(&entry).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains(&rel));
    assert_eq!(j.read(&rel), theirs);
    // Deleted under us: refused too.
    std::fs::remove_file(j.path(&rel)).unwrap();
    assert!(matches!(
        opened.store.save_entry(&entry),
        Err(StoreError::ChangedOnDisk { .. })
    ));
}

#[test]
fn unknown_keys_are_warnings_not_errors() {
    let j = TempJournal::demo();
    let rel = "accounts/nadiastory.toml";
    j.write(
        rel,
        &format!(
            "{}favourite_colour = \"teal\"\n",
            j.read(rel).replacen("handle", "# c\nhandle", 1)
        ),
    );
    let opened = store::open_with(
        &j.root,
        LoadOptions {
            deep: true,
            ..Default::default()
        },
    )
    .unwrap();
    let warning = opened
        .problems
        .iter()
        .find(|p| p.path == rel)
        .expect("a warning");
    assert!(!warning.is_error());
    assert!(warning.message.contains("favourite_colour"));
    assert!(j.run(&["check"]).status.success());
    assert_eq!(j.run(&["check", "--strict"]).status.code(), Some(1));
}

#[test]
fn a_save_over_the_read_limit_is_refused_and_the_old_file_stays() {
    let j = TempJournal::demo();
    let before = j.snapshot();
    let mut opened = store::open(&j.root).unwrap();
    let mut entry = opened.journal.entries[0].clone();
    entry.body = "x".repeat(store::read::MAX_RECORD_BYTES as usize + 1);
    let err = opened.store.save_entry(&entry).unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("limit"), "{err}");
    let results = opened.store.save_entries(&[entry], &|_| {});
    assert!(matches!(results[0], Err(StoreError::TooLarge { .. })));
    assert!(
        before == j.snapshot(),
        "a file was changed by a refused save"
    );
    // The entry still reads back.
    let again = store::open(&j.root).unwrap();
    assert!(again.problems.is_empty(), "{:?}", again.problems);
}

#[test]
fn an_existing_account_with_an_invalid_handle_is_reported_and_still_saves() {
    let j = TempJournal::demo();
    j.write(
        "accounts/old-style handle.toml",
        "handle = \"old-style handle\"\nplatform = \"tiktok\"\n",
    );
    let out = j.run(&["check"]);
    let said = stdout(&out);
    assert!(
        said.contains("accounts/old-style handle.toml:1:") && said.contains("handle"),
        "{said}"
    );
    let mut opened = store::open(&j.root).unwrap();
    let mut account = opened
        .journal
        .account("old-style handle")
        .expect("it still opens")
        .clone();
    account.notes = "still saves".into();
    opened.store.save_account(&account).unwrap();
}

/// A saved entry stays in its file: when its observed time moves to another month
/// (its file is where its id says, not where the new time would put a new entry), and
/// when its file was moved by hand away from where its id says.
#[test]
fn a_saved_entry_stays_in_its_file_wherever_its_time_or_file_moved() {
    let j = TempJournal::demo();
    let id = "20260314-210512-7f3a";
    let at_id = format!("entries/2026/03/{id}.toml");
    let mut opened = store::open(&j.root).unwrap();
    let count = opened.journal.entries.len();
    let mut entry = opened.journal.entry(id).unwrap().clone();
    entry.observed_at =
        fieldnote::model::Moment::from_toml(&"2025-11-02T10:00:00+07:00".parse().unwrap()).unwrap();
    assert_eq!(entry.default_path(), format!("entries/2025/11/{id}.toml"));
    opened.store.save_entry(&entry).unwrap();
    assert!(j.read(&at_id).contains("2025-11-02T10:00:00+07:00"));
    assert!(!j.path(&entry.default_path()).exists());

    // Moved by hand into a folder of its own, then saved from a fresh load.
    let other = opened
        .journal
        .entries
        .iter()
        .find(|e| e.id != id)
        .unwrap()
        .clone();
    let at_other = opened.store.entry_path(&other);
    let moved = format!("entries/kept/{}.toml", other.id);
    std::fs::create_dir_all(j.path("entries/kept")).unwrap();
    std::fs::rename(j.path(&at_other), j.path(&moved)).unwrap();
    let mut reopened = store::open(&j.root).unwrap();
    assert!(reopened.problems.is_empty(), "{:?}", reopened.problems);
    assert_eq!(reopened.journal.entries.len(), count);
    assert_eq!(reopened.store.entry_path(&other), moved);
    let mut other = reopened.journal.entry(&other.id).unwrap().clone();
    other.title = "saved where it was moved".into();
    reopened.store.save_entry(&other).unwrap();
    assert!(j.read(&moved).contains("saved where it was moved"));
    assert!(!j.path(&at_other).exists());
    // And the first entry is still found at its id's path, moved time and all.
    let again = store::open(&j.root).unwrap();
    assert_eq!(again.journal.entries.len(), count);
    let entry = again.journal.entry(id).unwrap();
    assert_eq!(again.store.entry_path(entry), at_id);
}
