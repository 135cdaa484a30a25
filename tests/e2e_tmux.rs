//! End to end in a real terminal: the binary runs in tmux on a temporary demo journal;
//! we type a new entry, tag it by key, search for it, quit, and read the files on disk.
//! Skipped (loudly) where tmux is not installed; `.ci/run` installs it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;
#[path = "support/tmux.rs"]
mod tmux;

use std::thread::sleep;
use std::time::{Duration, Instant};

use tmux::{Tmux, have_tmux};

/// The binary on a fresh demo journal, changed first by `prepare`, in a tmux window of
/// `width` × `height`; `None` (and a loud skip) where tmux is not installed.
fn demo_in_tmux(
    width: u16,
    height: u16,
    prepare: impl FnOnce(&common::TempJournal),
) -> Option<(common::TempJournal, Tmux)> {
    if !have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return None;
    }
    let j = common::TempJournal::demo();
    prepare(&j);
    let command = format!("{} -J {}; sleep 30", common::BIN, j.root.display());
    let t = Tmux::start(&command, width, height);
    Some((j, t))
}

#[test]
fn write_tag_search_and_quit_in_a_real_terminal() {
    let Some((j, t)) = demo_in_tmux(100, 30, |_| {}) else {
        return;
    };
    t.wait_for("All entries · 53");

    // A new entry: body, then the accounts picker.
    t.keys(&["n"]);
    t.wait_for("New entry");
    t.literal("Zeta-test live: she greets regulars by name");
    // Back from the body: URL (an observation has one), title, accounts.
    t.keys(&["BTab", "BTab", "BTab", "Enter"]);
    t.wait_for("Pick accounts");
    t.literal("nadia");
    t.keys(&["Enter", "C-s"]);
    t.wait_for("added ");
    t.wait_for("All entries · 54");

    // Tag it with the live code's key, then search for it.
    t.keys(&["g", "5"]);
    t.wait_for("tagged 1 entry +Live");
    t.keys(&["/"]);
    t.literal("zeta-test");
    t.wait_for("All entries · 1 ");
    t.keys(&["Enter", "q"]);
    let start = Instant::now();
    while t.is_running() && !t.screen().contains("$") && start.elapsed() < Duration::from_secs(5) {
        sleep(Duration::from_millis(50));
    }

    // On disk, as FORMAT.md says.
    let month = std::fs::read_dir(j.path("entries")).unwrap().count();
    assert!(month >= 1);
    let mut found = Vec::new();
    for year in std::fs::read_dir(j.path("entries")).unwrap().flatten() {
        for m in std::fs::read_dir(year.path()).unwrap().flatten() {
            for f in std::fs::read_dir(m.path()).unwrap().flatten() {
                let text = std::fs::read_to_string(f.path()).unwrap();
                if text.contains("Zeta-test") {
                    found.push(text);
                }
            }
        }
    }
    assert_eq!(found.len(), 1, "exactly one new file");
    let text = &found[0];
    assert!(text.contains("accounts = [\"nadiastory\"]"), "{text}");
    assert!(text.contains("codes = [\"live\"]"), "{text}");
    assert!(
        text.contains("body = \"\"\"\nZeta-test live: she greets regulars by name\n\"\"\""),
        "{text}"
    );
    assert!(
        !j.path(".fieldnote/drafts").exists()
            || std::fs::read_dir(j.path(".fieldnote/drafts"))
                .unwrap()
                .count()
                == 0
    );
    let check = j.run(&["check"]);
    assert!(check.status.success(), "{}", common::stdout(&check));
}

/// Screenshots are hashed off the interface's thread (scrolling never waits for a large
/// picture): the warning for a replaced file still appears beside it, and moving on to
/// an entry without screenshots clears it.
#[test]
fn a_replaced_screenshot_is_flagged_in_the_preview() {
    let Some((_j, t)) = demo_in_tmux(120, 30, |j| {
        std::fs::write(
            j.path("media/2026/05/dianakocak-stitch-0519.png"),
            b"\x89PNG not the picture that was attached",
        )
        .unwrap();
    }) else {
        return;
    };
    t.wait_for("All entries · 53");
    t.keys(&["/"]);
    t.literal("landlord story turns serious");
    t.wait_for("All entries · 1 ");
    t.keys(&["Enter"]);
    t.wait_for("changed since attached");
    t.keys(&["Escape"]);
    t.wait_for("All entries · 53");
    t.keys(&["g"]);
    let start = Instant::now();
    while t.screen().contains("changed since attached") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the warning stayed on another entry:\n{}",
            t.screen()
        );
        sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
}

/// What a newcomer tripped over, at 80×24 in a real terminal: code chips that read
/// without guessing, an interview's turns kept on their own lines in the preview, and a
/// code key after a save under a filter that tags the entry just written.
#[test]
fn chips_lines_and_tagging_after_a_filtered_save_at_80_by_24() {
    let turns = "Q: how often do you go live?\nA: three times a week\nQ: and why at night?\n";
    let Some((j, t)) = demo_in_tmux(80, 24, |j| {
        let added = j.run_with_stdin(
            &[
                "add",
                "-k",
                "interview",
                "-a",
                "nadiastory",
                "--title",
                "Turns test",
                "-",
            ],
            Some(turns),
        );
        assert!(added.status.success(), "{}", common::stderr(&added));
    }) else {
        return;
    };
    let first = t.wait_for("All entries · 54");
    // Item 4: labels that tell codes apart (`Comments` is not `Comment`, `Live` not `Like`).
    assert!(
        first.contains("Comments") && first.contains("Auth"),
        "chips read as names:\n{first}"
    );

    // Item 3: the interview's turns stay on their own lines in the preview.
    t.keys(&["/"]);
    t.literal("turns test");
    let found = t.wait_for("All entries · 1 ");
    for turn in [
        "Q: how often do you go live?",
        "A: three times a week",
        "Q: and why at night?",
    ] {
        assert!(
            found.lines().any(|l| l.trim_end().ends_with(turn)),
            "{turn:?} on its own line:\n{found}"
        );
    }
    t.keys(&["Escape", "Escape"]);
    t.wait_for("All entries · 54");

    // Item 1: an account's timeline filtered to lives; a new entry, saved, then `2`.
    t.keys(&["A", "Enter", "f"]);
    t.literal("live");
    t.keys(&["Enter", "n"]);
    t.wait_for("New entry");
    t.literal("Promo-test: a note without the live code");
    t.keys(&["C-s"]);
    t.wait_for("shown although the filter hides it");
    t.keys(&["2"]);
    t.wait_for("tagged 1 entry +Promotion");
    t.keys(&["q"]);
    let mut tagged = Vec::new();
    for year in std::fs::read_dir(j.path("entries")).unwrap().flatten() {
        for m in std::fs::read_dir(year.path()).unwrap().flatten() {
            for f in std::fs::read_dir(m.path()).unwrap().flatten() {
                let text = std::fs::read_to_string(f.path()).unwrap();
                if text.contains("codes = [\"promotion\"]") {
                    tagged.push(text);
                }
            }
        }
    }
    assert!(
        tagged.iter().any(|t| t.contains("Promo-test")),
        "the new entry carries the code"
    );
}

/// Coding a passage by keys alone in a real terminal: the reading view, a sentence, a
/// code key; the passage is in the entry's file, and `check` passes.
#[test]
fn a_sentence_is_coded_in_the_reading_view_of_a_real_terminal() {
    let Some((j, t)) = demo_in_tmux(100, 30, |_| {}) else {
        return;
    };
    t.wait_for("All entries · 53");
    t.keys(&["f"]);
    t.literal("kind:interview");
    t.keys(&["Enter", "p"]);
    t.wait_for("Reading · Interview A6");
    t.wait_for("Passages · 3");
    // To the text's start, the fourth sentence, select it, code it with Promotion (2).
    t.keys(&["g", ")", ")", ")", "s", "2"]);
    t.wait_for("coded «");
    t.wait_for("Passages · 4");
    t.keys(&["Escape", "q"]);
    let start = Instant::now();
    while t.is_running() && start.elapsed() < Duration::from_secs(5) {
        if t.screen().contains('$') {
            break;
        }
        sleep(Duration::from_millis(50));
    }
    let show = j.run(&["code", "20260524-1000", "--list"]);
    let listed = common::stdout(&show);
    assert!(show.status.success(), "{}", common::stderr(&show));
    assert_eq!(listed.matches("promotion").count(), 2, "{listed}");
    let check = j.run(&["check"]);
    assert!(check.status.success(), "{}", common::stdout(&check));
}

/// The delete key in a real terminal: asked, then the entry is in the trash, where
/// `fieldnote restore` finds it.
#[test]
fn the_delete_key_moves_an_entry_to_the_trash_and_restore_brings_it_back() {
    let Some((j, t)) = demo_in_tmux(100, 30, |_| {}) else {
        return;
    };
    t.wait_for("All entries · 53");
    t.keys(&["j", "D"]);
    t.wait_for("Move to the trash");
    t.keys(&["y"]);
    t.wait_for("All entries · 52");
    t.keys(&["q"]);
    let listed = j.ok(&["restore", "--list"]);
    let id = listed
        .split_whitespace()
        .next()
        .expect("one entry in the trash")
        .to_string();
    j.ok(&["restore", &id]);
    assert_eq!(j.ok(&["list"]).lines().count(), 53);
}
