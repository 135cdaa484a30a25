//! The interface under crashes, in a real terminal (tmux): a draft survives SIGKILL and
//! is offered back; a closed terminal ends the process with the draft written (before,
//! the process spun forever on the dead terminal); hostile text never reaches the
//! terminal. Skipped (loudly) where tmux is not installed; `.ci/run` installs it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(unix)]

mod common;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{BIN, TempJournal};
use tmux::{Tmux, have_tmux};

fn interface(j: &TempJournal) -> Tmux {
    // `exec`: the pane's process is fieldnote itself, so its pid is the pane's.
    let t = Tmux::start(&format!("exec {BIN} -J {}", j.root.display()), 100, 30);
    t.wait_for("All entries");
    t
}

fn drafts(root: &Path) -> Vec<String> {
    std::fs::read_dir(root.join(".fieldnote/drafts"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".toml"))
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "{what} did not happen in {limit:?}"
        );
        sleep(Duration::from_millis(100));
    }
    start.elapsed()
}

fn alive(pid: u32) -> bool {
    // A zombie is dead for our purpose (its parent, tmux, may not have reaped it yet).
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        !s.rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

/// The interface on a fresh demo journal; `None` (and a loud skip) without tmux.
fn demo_interface() -> Option<(TempJournal, Tmux)> {
    if !have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return None;
    }
    let j = TempJournal::demo();
    let t = interface(&j);
    Some((j, t))
}

/// Kill the interface in `t` with SIGKILL, as a crash would, and wait until it is gone.
fn sigkill(t: Tmux) {
    let pid: i32 = t.pane("pane_pid").parse().unwrap();
    // SAFETY: sending a signal to the process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    wait_until("the kill", Duration::from_secs(10), || !alive(pid as u32));
    drop(t);
}

#[test]
fn a_draft_survives_sigkill_and_is_offered_back() {
    let Some((j, t)) = demo_interface() else {
        return;
    };
    t.keys(&["n"]);
    t.wait_for("New entry");
    t.literal("Observed before the crash: she pinned zqxcrash");
    // Drafts are written a few seconds after typing stops.
    wait_until("the autosave", Duration::from_secs(20), || {
        drafts(&j.root).iter().any(|d| d.contains("zqxcrash"))
    });
    sigkill(t);

    let t = interface(&j);
    t.wait_for("Unsaved draft found");
    t.wait_for("zqxcrash");
    t.keys(&["Enter"]);
    t.wait_for("New entry");
    t.keys(&["C-s"]);
    t.wait_for("added ");
    t.wait_for("All entries · 54");
    wait_until("the draft's removal", Duration::from_secs(10), || {
        drafts(&j.root).is_empty()
    });
    t.keys(&["q"]);
    let listed = j.ok(&["list", "--text", "zqxcrash"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
}

/// A live session killed mid-way: its moments are in the draft the moment they are
/// filed, and the next start gives the session back in the capture view.
#[test]
fn a_live_session_survives_sigkill_and_comes_back_to_be_ended() {
    let Some((j, t)) = demo_interface() else {
        return;
    };
    t.keys(&["A", "j", "Enter", "L"]);
    t.wait_for("live session: @account");
    t.keys(&["Enter"]);
    t.wait_for("Live · @dianakocak");
    t.literal("zqxlive greets viewers by name #humour");
    t.keys(&["Enter"]);
    t.wait_for("1 moment ");
    // No waiting for a tick: a filed moment is in the draft at once.
    assert!(
        drafts(&j.root)
            .iter()
            .any(|d| d.contains("zqxlive") && d.contains("live = true"))
    );
    sigkill(t);

    let t = interface(&j);
    t.wait_for("Unsaved draft found");
    t.keys(&["y"]);
    t.wait_for("zqxlive greets viewers by name");
    t.keys(&["C-s"]);
    t.wait_for("live session of @dianakocak: 1 moment,");
    t.keys(&["q"]);
    let listed = j.ok(&["list", "--text", "zqxlive"]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
}

#[test]
fn a_closed_terminal_ends_the_interface_with_the_draft_written() {
    let Some((j, t)) = demo_interface() else {
        return;
    };
    t.keys(&["n"]);
    t.wait_for("New entry");
    t.literal("Typed just before the window closed");
    t.wait_for("window closed");
    // The terminal goes away at once: what a frame shows was handed to the watchdog
    // before it was drawn, with no tick to wait for.
    let pid: u32 = t.pane("pane_pid").parse().unwrap();
    drop(t);
    let took = wait_until("the end of the orphan", Duration::from_secs(10), || {
        !alive(pid)
    });
    eprintln!("closed terminal: the interface ended {took:.1?} later");
    let found = drafts(&j.root);
    assert!(
        found
            .iter()
            .any(|d| d.contains("just before the window closed")),
        "the draft was not written: {found:?}"
    );
}
