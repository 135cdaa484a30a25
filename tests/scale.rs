//! Resource limits. A journal of 100,000 entries does not exhaust memory: the command
//! line and the interface (model, search index, one frame) stay within a bound, measured
//! as the peak resident memory of the process. `FIELDNOTE_SCALE_ENTRIES` changes the
//! size. A huge picture is not decoded for the preview.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(unix)]

mod common;
#[path = "support/drive.rs"]
mod drive;

use std::time::Instant;

use fieldnote::tui::app::{Access, App};
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
    let app = App::new(
        opened.journal,
        Access::Full,
        Keymap::default(),
        drive::now(),
    );
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

/// A screenshot whose header claims 60,000 × 60,000 pixels (14 GB decoded) is refused for
/// the preview before anything is decoded: the interface says so beside the screenshot,
/// and goes on.
#[test]
fn a_huge_picture_is_not_decoded_for_the_preview() {
    use fieldnote::tui::{Access, RemoteInput};
    let j = common::TempJournal::init();
    std::fs::write(
        j.path("media/huge.png"),
        common::png_claiming(60_000, 60_000),
    )
    .unwrap();
    j.write(
        "entries/2026/03/20260314-210512-0001.toml",
        "id = \"20260314-210512-0001\"\nobserved_at = 2026-03-14T21:05:12+07:00\n\
         title = \"a huge picture\"\nbody = \"b\"\n\n[[screenshots]]\npath = \"media/huge.png\"\n",
    );
    let out = common::Captured::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let (root, screen) = (j.root.clone(), out.clone());
    let running =
        std::thread::spawn(move || common::run_remote(&root, Access::Full, "Ayu", screen, rx));
    let wait_for = |text: &str| {
        let started = Instant::now();
        while !out.text().contains(text) {
            assert!(started.elapsed().as_secs() < 30, "never saw {text:?}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        started.elapsed()
    };
    tx.send(RemoteInput::Resize(160, 40)).unwrap();
    wait_for("a huge picture");
    // Pictures on: the preview would decode the selected entry's first screenshot.
    tx.send(RemoteInput::Bytes(b"i".to_vec())).unwrap();
    let took = wait_for("too large to preview (60000×60000)");
    // Still answering keys.
    tx.send(RemoteInput::Bytes(b"?".to_vec())).unwrap();
    wait_for("Keys");
    tx.send(RemoteInput::Closed).unwrap();
    running.join().unwrap().unwrap();
    // Reported, not asserted: wall-clock limits have no place on a shared machine.
    eprintln!("a 60000×60000 picture refused for the preview in {took:.1?}");
}

/// The dimensions are read from the header and a huge picture refused before any pixel
/// is decoded; a real one is decoded and scaled to preview size.
#[test]
fn huge_pictures_are_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("media")).unwrap();
    for (w, h) in [(60_000, 60_000), (10_000, 4_001), (65_535, 700)] {
        let rel = format!("media/{w}x{h}.png");
        std::fs::write(dir.path().join(&rel), common::png_claiming(w, h)).unwrap();
        // This note comes only from the dimensions in the header, before decoding.
        let note = fieldnote::tui::picture::load_picture(dir.path(), &rel).unwrap_err();
        assert!(
            note.starts_with(&format!("too large to preview ({w}×{h})")),
            "{note}"
        );
    }
    // Under the limit, a header alone is read as far as it goes.
    std::fs::write(
        dir.path().join("media/small.png"),
        common::png_claiming(4000, 3000),
    )
    .unwrap();
    let note = fieldnote::tui::picture::load_picture(dir.path(), "media/small.png").unwrap_err();
    assert!(note.starts_with("cannot decode"), "{note}");
    // And a real picture is decoded and scaled to preview size.
    let picture = image::RgbaImage::from_pixel(2000, 500, image::Rgba([1, 2, 3, 255]));
    picture.save(dir.path().join("media/real.png")).unwrap();
    let shown = fieldnote::tui::picture::load_picture(dir.path(), "media/real.png").unwrap();
    assert_eq!((shown.width(), shown.height()), (1024, 256));
}

/// One entry with 100,000 codes (a teammate's push can bring it): `check` reports it,
/// and `stats`, an export and the interface's matrix and codes-together view complete
/// without codes² memory (the old co-occurrence asked for 80 GB and aborted).
#[test]
fn an_entry_with_100k_codes_is_reported_and_nothing_crashes() {
    let j = common::TempJournal::demo();
    let mut opened = fieldnote::store::open(&j.root).unwrap();
    let mut entry = opened.journal.entries[0].clone();
    entry.codes = (0..100_000).map(|i| format!("zqx-{i}")).collect();
    opened.store.save_entry(&entry).unwrap();

    let check = j.run(&["check"]);
    assert!(!check.status.success());
    let said = common::stdout(&check) + &common::stderr(&check);
    assert!(said.contains("100000 codes on one entry"), "{said}");

    let stats = j.ok(&["stats"]);
    assert!(stats.contains("count alone, without pairs"), "{stats}");
    j.ok(&["stats", "--format", "json"]);
    j.ok(&["stats", "--only", "cooccurrence", "--format", "csv"]);
    let report = j.path("report.md");
    j.ok(&["export", "-o", report.to_str().unwrap()]);
    assert!(std::fs::metadata(&report).unwrap().len() > 0);
    assert!(
        peak_mb(libc::RUSAGE_CHILDREN) < 2048,
        "a command held codes² memory"
    );

    let journal = fieldnote::store::open(&j.root).unwrap().journal;
    let mut app = App::new(journal, Access::Full, Keymap::default(), drive::now());
    drive::press(&mut app, "m");
    drive::press(&mut app, "o");
    assert!(
        app.matrix.pairs.is_some(),
        "the codes-together view is open"
    );
    let screen = drive::text_of(&drive::render(
        &app,
        fieldnote::tui::theme::Theme { color: false },
        120,
        40,
    ));
    assert!(!screen.trim().is_empty());
}

/// 10,000 distinct codes, all in the codebook and spread over the entries: the
/// interface starts and draws the timeline, the matrix and codes-together, `stats`
/// and the Markdown export complete (the issue measured 68 s, 2 GB and 83 s).
#[test]
fn a_journal_with_10k_distinct_codes_stays_usable() {
    let j = common::TempJournal::demo();
    let mut opened = fieldnote::store::open(&j.root).unwrap();
    let mut book = opened.journal.codebook.clone();
    let group = book.groups[0].id.clone();
    for i in 0..10_000 {
        book.codes.push(fieldnote::model::Code {
            id: format!("zqx-{i}"),
            group: group.clone(),
            name: format!("Zqx {i}"),
            ..Default::default()
        });
    }
    opened.store.save_codebook(&book).unwrap();
    let mut entries = opened.journal.entries.clone();
    let per = 10_000 / entries.len() + 1;
    for (n, e) in entries.iter_mut().enumerate() {
        e.codes
            .extend((n * per..(n + 1) * per).map(|i| format!("zqx-{}", i % 10_000)));
    }
    for result in opened.store.save_entries(&entries, &|_| {}) {
        result.unwrap();
    }
    j.ok(&["check"]);
    j.ok(&["stats"]);
    let report = j.path("report.md");
    j.ok(&["export", "-o", report.to_str().unwrap()]);
    assert!(
        peak_mb(libc::RUSAGE_CHILDREN) < 2048,
        "a command held codes² memory"
    );

    let journal = fieldnote::store::open(&j.root).unwrap().journal;
    let mut app = App::new(journal, Access::Full, Keymap::default(), drive::now());
    let theme = fieldnote::tui::theme::Theme { color: true };
    assert!(!drive::text_of(&drive::render(&app, theme, 120, 40)).is_empty());
    drive::press(&mut app, "m");
    drive::press(&mut app, "o");
    assert!(app.matrix.pairs.is_some());
    assert!(!drive::text_of(&drive::render(&app, theme, 120, 40)).is_empty());
}
