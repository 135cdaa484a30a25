//! The command line end to end, in temporary journals.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{TempJournal, run_in, stderr, stdout};

#[test]
fn init_makes_a_journal_that_checks_clean() {
    let j = TempJournal::init();
    assert!(j.path("journal.toml").is_file());
    assert!(j.read("codebook.toml").contains("id = \"daily-life\""));
    assert!(j.read(".gitignore").contains(".fieldnote/"));
    let settings = j.read("journal.toml");
    assert!(
        settings.contains("timezone = \"Asia/Jakarta\""),
        "{settings}"
    );
    j.ok(&["check"]);
    // A second init must not clobber it.
    let again = run_in(&j.root, &["init", "."], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already holds a journal"));
}

#[test]
fn add_then_list_show_check() {
    let j = TempJournal::init();
    j.ok(&[
        "accounts",
        "add",
        "@cindymakeup",
        "--category",
        "beauty & skincare",
        "--followers",
        "72000",
    ]);
    let id = j.ok(&[
        "add",
        "-a",
        "cindymakeup",
        "-c",
        "live",
        "-c",
        "Daily life",
        "-c",
        "6",
        "-k",
        "obs",
        "--at",
        "2026-03-14 21:05",
        "--title",
        "Live: skincare Q&A",
        "Live started 21:05, ~300 viewers",
    ]);
    let id = id.trim();
    assert!(id.starts_with("20260314-210500-"), "{id}");
    let file = j.read(&format!("entries/2026/03/{id}.toml"));
    assert!(
        file.contains("observed_at = 2026-03-14T21:05:00+07:00"),
        "{file}"
    );
    assert!(
        file.contains("codes = [\"live\", \"daily-life\", \"authenticity\"]"),
        "{file}"
    );
    assert!(
        file.starts_with(&format!("id = \"{id}\"\nobserved_at = ")),
        "keys in FORMAT order:\n{file}"
    );

    let listed = j.ok(&["list"]);
    assert!(
        listed.contains(id) && listed.contains("Live: skincare Q&A"),
        "{listed}"
    );
    let shown = j.ok(&["show", &id[..12]]);
    assert!(
        shown.contains("~300 viewers") && shown.contains("@cindymakeup"),
        "{shown}"
    );
    j.ok(&["check"]);
}

#[test]
fn add_reads_the_body_from_stdin() {
    let j = TempJournal::init();
    let out = j.run_with_stdin(
        &["add", "-k", "memo", "--at", "yesterday 08:00", "-"],
        Some("first line\nsecond \"quoted\" line\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    let shown = j.ok(&["show", &id, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["body"], "first line\nsecond \"quoted\" line\n");
    assert_eq!(v["kind"], "memo");
}

#[test]
fn unknown_names_are_refused_with_suggestions() {
    let j = TempJournal::demo();
    let out = j.run(&["add", "-a", "cindymakup", "text"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `cindymakeup`"),
        "{}",
        stderr(&out)
    );
    let out = j.run(&["add", "-c", "daily-lfie", "text"]);
    assert!(
        stderr(&out).contains("did you mean `daily-life`"),
        "{}",
        stderr(&out)
    );
    let out = j.run(&["list", "--code", "nonsense-code"]);
    assert_eq!(out.status.code(), Some(1));
    // --new-account creates the account instead.
    let out = j.run(&["add", "-a", "@newperson", "--new-account", "text"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(j.path("accounts/newperson.toml").is_file());
    j.ok(&["check"]);
}

#[test]
fn list_filters_compose() {
    let j = TempJournal::demo();
    let all = j.ok(&["list"]).lines().count();
    assert_eq!(all, 53);
    let cindy = j.ok(&["list", "--account", "cindymakeup"]);
    assert!(cindy.lines().all(|l| l.contains("@cindymakeup")));
    let both = j.ok(&["list", "--code", "live", "--code", "authenticity"]);
    let live = j.ok(&["list", "--code", "live"]);
    assert!(both.lines().count() <= live.lines().count() && both.lines().count() > 0);
    let not_live = j.ok(&["list", "--not-code", "live"]).lines().count();
    assert_eq!(not_live + live.lines().count(), all);
    let march = j.ok(&["list", "--since", "2026-03-01", "--until", "2026-03-31"]);
    assert!(march.lines().all(|l| l.starts_with("2026-03-")), "{march}");
    assert!(!march.is_empty());
    let text = j.ok(&["list", "--text", "KULITKU kering"]);
    assert!(text.contains("20260314-210512-7f3a"), "{text}");
    // Newest first by default, oldest first with --reverse.
    let newest = j.ok(&["list"]).lines().next().unwrap().to_string();
    let oldest = j
        .ok(&["list", "--reverse"])
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(newest > oldest);
    let json = j.ok(&["list", "--kind", "content", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 24);
}

#[test]
fn no_journal_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(common::BIN)
        .arg("list")
        .current_dir(dir.path())
        .env_remove("FIELDNOTE_JOURNAL")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no journal found") && err.contains("fieldnote init"),
        "{err}"
    );
}

#[test]
fn the_journal_is_found_from_a_subfolder_and_from_the_environment() {
    let j = TempJournal::demo();
    let deep = j.path("entries/2026/03");
    let out = run_in(&deep, &["list", "-n", "1"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(common::BIN)
        .args(["list", "-n", "2"])
        .current_dir(elsewhere.path())
        .env("FIELDNOTE_JOURNAL", &j.root)
        .output()
        .unwrap();
    assert_eq!(stdout(&out).lines().count(), 2, "{}", stderr(&out));
}

#[test]
fn codes_and_accounts_can_be_added_and_listed() {
    let j = TempJournal::demo();
    j.ok(&[
        "codes",
        "add",
        "--group",
        "theme",
        "--name",
        "Haul video",
        "--key",
        "h",
        "--color",
        "magenta",
    ]);
    let book = j.read("codebook.toml");
    assert!(book.contains("id = \"haul-video\""), "{book}");
    let codes = j.ok(&["codes"]);
    assert!(codes.contains("haul-video"));
    let dup = j.run(&["codes", "add", "x", "--group", "theme", "--key", "1"]);
    assert!(stderr(&dup).contains("already tags"), "{}", stderr(&dup));
    let accounts = j.ok(&["accounts"]);
    assert!(
        accounts.contains("@cindymakeup") && accounts.contains("72300"),
        "{accounts}"
    );
    j.ok(&["check"]);
}

#[test]
fn the_codebook_goes_out_to_taguette_and_qda_tools_and_back_unchanged() {
    let j = TempJournal::demo();
    let before = j.read("codebook.toml");
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("codebook.csv");
    let qdc = out.path().join("codebook.qdc");
    j.ok(&["codes", "export", csv.to_str().unwrap()]);
    j.ok(&["codes", "export", qdc.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("tag,description\r\n"), "{text}");
    assert!(std::fs::read_to_string(&qdc).unwrap().contains("<CodeBook"));
    // Reading either back adds and changes nothing.
    for file in [&csv, &qdc] {
        let said = j.ok(&["codes", "import", file.to_str().unwrap()]);
        assert!(
            said.contains("added 0 groups and 0 codes; 0 codes updated"),
            "{said}"
        );
    }
    assert_eq!(j.read("codebook.toml"), before);
    let wrong = j.run(&[
        "codes",
        "export",
        out.path().join("cb.txt").to_str().unwrap(),
    ]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains(".csv (Taguette) or .qdc"));
}

#[test]
fn screenshots_are_copied_once_and_checked() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    let png = outside.path().join("shot one.png");
    std::fs::write(&png, b"\x89PNG fake bytes").unwrap();
    let a = j.ok(&[
        "add",
        "--at",
        "2026-04-02 10:00",
        "-s",
        png.to_str().unwrap(),
        "one",
    ]);
    let b = j.ok(&[
        "add",
        "--at",
        "2026-04-03 10:00",
        "-s",
        png.to_str().unwrap(),
        "two",
    ]);
    let media: Vec<_> = std::fs::read_dir(j.path("media/2026/04"))
        .unwrap()
        .collect();
    assert_eq!(media.len(), 1, "identical content is stored once");
    for id in [a.trim(), b.trim()] {
        let shown = j.ok(&["show", id]);
        assert!(shown.contains("media/2026/04/shot-one.png"), "{shown}");
    }
    j.ok(&["check"]);
    std::fs::write(j.path("media/2026/04/shot-one.png"), b"changed").unwrap();
    let out = j.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("sha256 differs"), "{}", stdout(&out));
}

#[test]
fn read_only_refuses_writes() {
    let j = TempJournal::demo();
    let before = j.snapshot();
    let out = j.run(&["--read-only", "add", "text"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert!(before == j.snapshot());
}

#[test]
fn list_output_is_safe_for_terminals() {
    let j = TempJournal::init();
    j.ok(&[
        "add",
        "--title",
        "evil \u{1b}]0;pwned\u{7} title \u{202e}abc",
        "body \u{1b}[2J",
    ]);
    let listed = j.ok(&["list"]);
    assert!(
        !listed.contains('\u{1b}') && !listed.contains('\u{202e}') && !listed.contains('\u{7}'),
        "{listed:?}"
    );
    let id = listed.split_whitespace().nth(2).unwrap().to_string();
    let shown = j.ok(&["show", &id]);
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
}

#[test]
fn date_ranges_read_as_typed_in_the_journals_zone() {
    let j = TempJournal::demo();
    let out = j.run(&[
        "stats",
        "--since",
        "2026-03-14",
        "--until",
        "2026-03-14",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = stdout(&out);
    assert!(
        json.contains("since 2026-03-14 · until 2026-03-14"),
        "the whole day, in Jakarta time, inclusive: {json}"
    );
    let header = j.ok(&[
        "stats",
        "--since",
        "2026-03-14 08:00",
        "--until",
        "2026-03-15 21:05",
    ]);
    assert!(
        header.contains("since 2026-03-14 08:00 · before 2026-03-15 21:05"),
        "{header}"
    );
}

#[test]
fn a_range_that_ends_before_it_begins_is_refused() {
    let j = TempJournal::demo();
    let out = j.run(&["list", "--since", "2026-03-20", "--until", "2026-03-10"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("the range is empty: since 2026-03-20 comes after until 2026-03-10"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn times_out_of_range_say_which_part() {
    let j = TempJournal::init();
    let hour = j.run(&["add", "--at", "25:00", "x"]);
    assert_eq!(hour.status.code(), Some(2));
    assert!(
        stderr(&hour).contains("the hour 25 is out of range"),
        "{}",
        stderr(&hour)
    );
    let day = j.run(&["add", "--at", "2026-02-30 10:00", "x"]);
    assert!(
        stderr(&day).contains("February 2026 has 28 days"),
        "{}",
        stderr(&day)
    );
}

#[test]
fn relative_times_are_stamped_back_from_now() {
    let j = TempJournal::init();
    // 09:00 in Jakarta.
    let now = [("FIELDNOTE_NOW", "2026-03-15T02:00:00Z")];
    let add = |at: &str| {
        let out = common::run_with_env(&j.root, &["add", "--at", at, "x"], None, &now);
        assert!(out.status.success(), "{at}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    assert!(add("5 min ago").starts_with("20260315-085500-"));
    assert!(add("-1h30m").starts_with("20260315-073000-"));
    // 21:05 has not struck yet today: last night's.
    assert!(add("21:05").starts_with("20260314-210500-"));
}

#[test]
fn entries_of_the_same_second_keep_the_order_they_were_made_in() {
    let j = TempJournal::init();
    for n in 1..=8 {
        j.ok(&[
            "add",
            "--at",
            "2026-12-01 20:10",
            "--title",
            &format!("moment {n}"),
            "x",
        ]);
    }
    let listed = j.ok(&["list"]);
    let order: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split("moment ").nth(1))
        .map(str::trim)
        .collect();
    assert_eq!(
        order,
        ["8", "7", "6", "5", "4", "3", "2", "1"],
        "newest first:\n{listed}"
    );
    let csv = j.ok(&["export", "--format", "csv"]);
    let order: Vec<&str> = csv
        .lines()
        .filter_map(|l| l.split("moment ").nth(1))
        .map(|rest| &rest[..1])
        .collect();
    assert_eq!(order, ["1", "2", "3", "4", "5", "6", "7", "8"], "{csv}");
}

#[test]
fn add_records_the_metrics_of_a_post_read_by_hand() {
    let j = TempJournal::init();
    let now = [("FIELDNOTE_NOW", "2026-03-15T02:00:00Z")];
    let args = [
        "add",
        "-k",
        "post",
        "--url",
        "https://www.tiktok.com/@x/video/1",
        "--views",
        "45210",
        "--likes",
        "3120",
        "--comments",
        "210",
        "--replies",
        "61",
        "a post",
    ];
    let out = common::run_with_env(&j.root, &args, None, &now);
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    let file = j.read(&format!("entries/2026/03/{id}.toml"));
    assert!(file.contains("kind = \"content\""), "{file}");
    for line in [
        "views = 45210",
        "likes = 3120",
        "comments = 210",
        "replied_comments = 61",
    ] {
        assert!(file.contains(line), "{line}:\n{file}");
    }
    assert!(file.contains("metrics_at = 2026-03-15T"), "{file}");
    assert!(
        !file.contains("shares"),
        "counts not given are not written:\n{file}"
    );
}

#[test]
fn rm_moves_an_entry_to_the_trash_and_restore_brings_it_back() {
    let j = TempJournal::demo();
    let id = "20260325-163004-f792";
    let before = j.snapshot();
    let entry_file = format!("entries/2026/03/{id}.toml");
    assert!(j.path(&entry_file).is_file());

    let asked = j.run(&["rm", id]);
    assert_eq!(
        asked.status.code(),
        Some(1),
        "no terminal to ask on: refused"
    );
    assert!(j.path(&entry_file).is_file(), "nothing moved without a yes");

    let out = j.run(&["rm", &id[..13], "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("with 2 comments"), "{}", stderr(&out));
    assert!(!j.path(&entry_file).exists());
    assert!(
        !j.path(&format!("comments/{id}")).exists()
            || std::fs::read_dir(j.path(&format!("comments/{id}")))
                .unwrap()
                .count()
                == 0
    );
    assert!(
        j.path(&format!(".fieldnote/trash/{id}/{entry_file}"))
            .is_file()
    );
    assert!(!j.ok(&["list"]).contains(id));
    assert!(j.ok(&["restore", "--list"]).contains(id));
    j.ok(&["check"]);

    let out = j.run(&["restore", id]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(j.ok(&["list"]).contains(id));
    assert!(!j.path(&format!(".fieldnote/trash/{id}")).exists());
    let after = j.snapshot();
    assert_eq!(
        after
            .iter()
            .filter(|(p, _)| !p.starts_with(".fieldnote"))
            .collect::<Vec<_>>(),
        before
            .iter()
            .filter(|(p, _)| !p.starts_with(".fieldnote"))
            .collect::<Vec<_>>(),
        "every file back, byte for byte"
    );
}

#[test]
fn restore_never_overwrites_a_file_that_came_back_meanwhile() {
    let j = TempJournal::demo();
    let id = "20260325-163004-f792";
    let entry_file = format!("entries/2026/03/{id}.toml");
    let original = j.read(&entry_file);
    j.ok(&["rm", id, "--yes"]);
    j.write(
        &entry_file,
        &original.replace("title = ", "title = \"x\"\nold_title = "),
    );
    let out = j.run(&["restore", id]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("exists again"), "{}", stderr(&out));
    assert!(
        j.read(&entry_file).contains("old_title"),
        "the new file is untouched"
    );
    assert!(
        j.path(&format!(".fieldnote/trash/{id}/{entry_file}"))
            .is_file()
    );
}

#[test]
fn accounts_set_records_followers_and_fields_and_add_points_to_it() {
    let j = TempJournal::init();
    let now = [("FIELDNOTE_NOW", "2026-03-15T02:00:00Z")];
    let run = |args: &[&str]| common::run_with_env(&j.root, args, None, &now);
    assert!(
        run(&["accounts", "add", "sari.beauty", "--followers", "1000"])
            .status
            .success()
    );
    // The same handle in another case is the same account: refused, pointing to `set`.
    let again = run(&["accounts", "add", "@Sari.Beauty"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already exists") && stderr(&again).contains("accounts set"),
        "{}",
        stderr(&again)
    );
    let set = run(&[
        "accounts",
        "set",
        "SARI.beauty",
        "--followers",
        "900",
        "--at",
        "3 days ago",
    ]);
    assert!(set.status.success(), "{}", stderr(&set));
    assert!(
        stdout(&set).contains("followers on 2026-03-12: 900"),
        "{}",
        stdout(&set)
    );
    let set = run(&[
        "accounts",
        "set",
        "sari.beauty",
        "--followers",
        "1300",
        "--name",
        "Sari",
        "--category",
        "beauty",
    ]);
    assert!(stdout(&set).contains("1000 → 1300"), "{}", stdout(&set));
    let file = j.read("accounts/sari.beauty.toml");
    let dates: Vec<&str> = file.lines().filter(|l| l.starts_with("date = ")).collect();
    assert_eq!(dates, ["date = 2026-03-12", "date = 2026-03-15"], "{file}");
    assert!(
        file.contains("count = 1300") && !file.contains("count = 1000"),
        "{file}"
    );
    assert!(file.contains("display_name = \"Sari\"") && file.contains("category = \"beauty\""));
    let list = j.ok(&["accounts"]);
    assert!(list.contains("1300") && list.contains("+400"), "{list}");
    // Nothing to set, and an unknown handle, say so.
    assert_eq!(
        run(&["accounts", "set", "sari.beauty"]).status.code(),
        Some(2)
    );
    let unknown = run(&["accounts", "set", "sari.beauti", "--followers", "1"]);
    assert!(
        stderr(&unknown).contains("did you mean `sari.beauty`"),
        "{}",
        stderr(&unknown)
    );
    j.ok(&["check"]);
}

#[test]
fn check_reports_links_that_name_no_entry_and_exports_link_the_others() {
    let j = TempJournal::demo();
    let existing = j.ok(&["list", "--limit", "1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&existing).unwrap();
    let id = v[0]["id"].as_str().unwrap().to_string();
    let memo = j.ok(&[
        "add",
        "-k",
        "memo",
        &format!("Compare [[{}]] with [[20990101-0000]].", &id[..13]),
    ]);
    let check = j.run(&["check"]);
    let problems = stdout(&check);
    let line = problems
        .lines()
        .find(|l| l.contains("[[20990101-0000]] names no entry"))
        .unwrap_or_else(|| panic!("{problems}"));
    assert!(
        line.starts_with("entries/") && line.contains(memo.trim()),
        "{line}"
    );
    assert!(
        !problems.contains(&id[..13]),
        "the good link is not reported: {problems}"
    );
    let md = j.ok(&["export", "--format", "markdown"]);
    assert!(md.contains(&format!("[{}](#e-{id})", &id[..13])), "linked");
    assert!(
        md.contains("[[20990101-0000]]"),
        "a broken link stays as written"
    );
}
