//! End to end in a real terminal: the binary runs in tmux on a temporary demo journal;
//! we type a new entry, tag it by key, search for it, quit, and read the files on disk.
//! Skipped (loudly) where tmux is not installed; `.ci/run` installs it.

mod common;
#[path = "support/tmux.rs"]
mod tmux;

use std::thread::sleep;
use std::time::{Duration, Instant};

use tmux::{Tmux, have_tmux};

#[test]
fn write_tag_search_and_quit_in_a_real_terminal() {
    if !have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return;
    }
    let j = common::TempJournal::demo();
    let command = format!("{} -J {}; sleep 30", common::BIN, j.root.display());
    let t = Tmux::start(&command, 100, 30);
    t.wait_for("All entries · 53");

    // A new entry: body, then the accounts picker.
    t.keys(&["n"]);
    t.wait_for("New entry");
    t.literal("Zeta-test live: she greets regulars by name");
    t.keys(&["BTab", "BTab", "Enter"]);
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
    if !have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return;
    }
    let j = common::TempJournal::demo();
    std::fs::write(
        j.path("media/2026/05/dianakocak-stitch-0519.png"),
        b"\x89PNG not the picture that was attached",
    )
    .unwrap();
    let command = format!("{} -J {}; sleep 30", common::BIN, j.root.display());
    let t = Tmux::start(&command, 120, 30);
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
