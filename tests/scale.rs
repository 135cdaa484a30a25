//! A journal of 100,000 entries does not exhaust memory: the command line and the
//! interface (model, search index, one frame) stay within a bound, measured as the peak
//! resident memory of the process. `FIELDNOTE_SCALE_ENTRIES` changes the size.
#![cfg(unix)]

mod common;
#[path = "support/drive.rs"]
mod drive;

use std::time::Instant;

use fieldnote::tui::app::{App, Mode};
use fieldnote::tui::keymap::Keymap;

/// Peak resident memory in MB: of this process, or of its finished children.
fn peak_mb(who: i32) -> u64 {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(who, &mut usage) }, 0);
    usage.ru_maxrss as u64 / 1024
}

#[test]
fn a_journal_of_100k_entries_fits_in_memory() {
    let n: usize = std::env::var("FIELDNOTE_SCALE_ENTRIES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("big");
    let started = Instant::now();
    fieldnote::demo::generate(&root, n).unwrap();
    let generated = started.elapsed();

    // The command line: load everything, print one line.
    let started = Instant::now();
    let out = std::process::Command::new(common::BIN)
        .args(["-J", root.to_str().unwrap(), "list", "--limit", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    let cli_time = started.elapsed();
    let cli_mb = peak_mb(libc::RUSAGE_CHILDREN);

    // The interface's state: the journal, its search index, a drawn frame.
    let started = Instant::now();
    let opened = fieldnote::store::open(&root).unwrap();
    assert_eq!(opened.journal.entries.len(), n);
    let app = App::new(opened.journal, Mode::Edit, Keymap::default(), drive::now());
    let screen = drive::text_of(&drive::render(
        &app,
        fieldnote::tui::theme::Theme { color: true },
        120,
        40,
    ));
    assert!(screen.contains(&format!("{n}")), "{screen}");
    let tui_time = started.elapsed();
    let tui_mb = peak_mb(libc::RUSAGE_SELF);
    eprintln!(
        "scale: {n} entries generated in {generated:.1?}; `list` peak {cli_mb} MB in {cli_time:.1?}; model + index + frame peak {tui_mb} MB in {tui_time:.1?}"
    );
    assert!(cli_mb < 1024, "`list` used {cli_mb} MB");
    assert!(tui_mb < 1536, "the interface's state used {tui_mb} MB");
}
