//! Fuzzing the loader: no panic, no hang, no unbounded memory on any input, and every
//! report well formed (`path:line:column`, one line, inside the file, nothing a terminal
//! would act on). Inputs are arbitrary bytes, arbitrary TOML documents and mutations of
//! the corpus in `tests/corpus`; the corpus is also replayed as it is.
//!
//! `cargo test` runs a few hundred cases of each. The bounded pass in `.ci/run` runs
//! `fuzz_for_a_while` (ignored here) for `FIELDNOTE_FUZZ_SECS` seconds and reports the
//! executions; an input that panics is saved into `tests/corpus/` to be kept and replayed.
//!
//! cargo-fuzz needs nightly sanitizers; this toolchain is stable only
//! (`RUSTC_BOOTSTRAP=1` would work but CI cannot fetch cargo-fuzz's runtime cheaply), so
//! the fuzzing is plain random and mutation-based, seeded and repeatable.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;
#[path = "support/inputs.rs"]
mod inputs;
#[path = "support/rng.rs"]
mod rng;

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fieldnote::model::text::is_unsafe;
use fieldnote::store::{LoadOptions, check_bytes, open_with};
use proptest::prelude::*;
use rng::Rng;

/// Run the loader's checks on one file and look at what they say.
fn exercise(rel: &str, bytes: &[u8]) {
    let problems = check_bytes(rel, bytes);
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    for p in &problems {
        let shown = p.to_string();
        assert!(shown.starts_with(&format!("{rel}:{}:{}: ", p.line, p.column)));
        assert!(p.line >= 1 && p.column >= 1 && p.line <= lines, "{shown}");
        assert!(
            !shown.contains('\n') && !shown.chars().any(is_unsafe),
            "{shown:?}"
        );
    }
}

#[test]
fn the_corpus_loads_as_every_kind_of_file() {
    for (kind, file, bytes) in inputs::corpus() {
        for other in inputs::KINDS {
            let rel = inputs::rel_for(other);
            let run = std::panic::catch_unwind(|| exercise(rel, &bytes));
            assert!(run.is_ok(), "{} ({kind}) as {rel}", file.display());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), kind in 0..5usize) {
        exercise(inputs::rel_for(inputs::KINDS[kind]), &bytes);
    }

    #[test]
    fn arbitrary_toml_documents(seed in any::<u64>(), kind in 0..5usize) {
        let doc = inputs::document(&mut Rng::new(seed));
        exercise(inputs::rel_for(inputs::KINDS[kind]), doc.as_bytes());
    }

    #[test]
    fn mutated_corpus(seed in any::<u64>()) {
        let seeds = inputs::corpus();
        let (rel, bytes) = inputs::any_input(&mut Rng::new(seed), &seeds);
        exercise(rel, &bytes);
    }
}

/// Any entry that loads can be saved with a change, and loads back as exactly that: the
/// rewrite keeps the file meaning what it meant (whatever layout a person gave it).
#[test]
fn any_entry_that_loads_saves_and_loads_back() {
    let j = common::TempJournal::init();
    let mut rng = Rng::from_env("save round trip");
    let seeds: Vec<_> = inputs::corpus()
        .into_iter()
        .filter(|(kind, ..)| kind == "entries")
        .collect();
    let cases: usize = std::env::var("FIELDNOTE_SAVE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let (mut tried, mut saved) = (0, 0);
    while tried < cases {
        tried += 1;
        let (_, file, seed) = &seeds[rng.below(seeds.len())];
        let bytes = inputs::mutate(&mut rng, seed, seed);
        saved += usize::from(save_round_trip(
            &j.root,
            &bytes,
            &file.display().to_string(),
        ));
    }
    eprintln!("save round trip: {tried} mutated entries, {saved} loaded and were saved");
    assert!(saved > 10, "too few mutants loaded to test saving");
}

/// Write `bytes` as the only entry, load it, save it with a new title and a code, and
/// check what loads back. Returns whether it loaded at all.
fn save_round_trip(root: &std::path::Path, bytes: &[u8], seed: &str) -> bool {
    let dir = root.join("entries/2026/03");
    let _ = std::fs::remove_dir_all(root.join("entries"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("20260314-210512-7f3a.toml"), bytes).unwrap();
    let opened = open_with(root, LoadOptions::default()).unwrap();
    let Some(entry) = opened.journal.entries.first().cloned() else {
        return false;
    };
    let mut store = opened.store;
    let mut changed = entry.clone();
    changed.title = format!("{} (edited)", entry.title);
    changed.toggle_code("live");
    let text = String::from_utf8_lossy(bytes);
    match store.save_entry(&changed) {
        Ok(()) => {}
        // Refusing to rewrite a file it cannot edit in place is right, as long as
        // `check` says so (and names the place).
        Err(fieldnote::store::StoreError::Unparseable { .. }) => {
            let deep = open_with(
                root,
                LoadOptions {
                    deep: true,
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(
                deep.problems.iter().any(|p| p.is_error()),
                "a save was refused but check reports nothing; from {seed}:\n{text}"
            );
            return true;
        }
        Err(e) => panic!("a loaded entry could not be saved: {e}\nfrom {seed}:\n{text}"),
    }
    let back = open_with(root, LoadOptions::default()).unwrap();
    let reloaded = back.journal.entry(&changed.id);
    assert_eq!(
        reloaded,
        Some(&changed),
        "saved entry reads back differently; from {seed}:\n{text}"
    );
    true
}

/// The bounded fuzz pass: as many inputs as fit in `FIELDNOTE_FUZZ_SECS` (default 60).
/// A watchdog reports an input that runs longer than 20 s (a hang) and ends the run; the
/// peak memory is checked at the end.
#[test]
#[ignore = "the bounded fuzz pass: run by .ci/run with FIELDNOTE_FUZZ_SECS"]
fn fuzz_for_a_while() {
    let secs: u64 = std::env::var("FIELDNOTE_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let mut rng = Rng::from_env("fuzz");
    let seeds = inputs::corpus();
    let current: Arc<Mutex<(String, Vec<u8>)>> = Arc::default();
    let started_at = Arc::new(AtomicU64::new(0));
    let epoch = Instant::now();
    watchdog(Arc::clone(&current), Arc::clone(&started_at), epoch);

    let (mut executions, mut crashes, mut slowest) = (0u64, 0u64, Duration::ZERO);
    // Executions by the file kind an input pretends to be, and by the sort of input.
    let mut by_kind = [0u64; inputs::KINDS.len()];
    let mut by_sort = [0u64; inputs::SORTS.len()];
    let deadline = epoch + Duration::from_secs(secs);
    while Instant::now() < deadline {
        let (sort, rel, bytes) = inputs::any_input_sorted(&mut rng, &seeds);
        let kind = inputs::KINDS.iter().position(|k| inputs::rel_for(k) == rel);
        by_kind[kind.unwrap_or(inputs::KINDS.len() - 1)] += 1;
        by_sort[inputs::SORTS.iter().position(|s| *s == sort).unwrap_or(0)] += 1;
        *current.lock().unwrap() = (rel.to_string(), bytes.clone());
        let t = Instant::now();
        started_at.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let run = std::panic::catch_unwind(AssertUnwindSafe(|| exercise(rel, &bytes)));
        started_at.store(0, Ordering::SeqCst);
        slowest = slowest.max(t.elapsed());
        executions += 1;
        if run.is_err() {
            crashes += 1;
            save_crash(rel, &bytes);
        }
    }
    let rss_mb = max_rss_kb() / 1024;
    let tally = |names: &[&str], counts: &[u64]| {
        names
            .iter()
            .zip(counts)
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "fuzz: {executions} executions in {secs} s ({} corpus seeds), {crashes} crashes, slowest input {slowest:.1?}, peak memory {rss_mb} MB",
        seeds.len()
    );
    eprintln!("fuzz: by file kind: {}", tally(&inputs::KINDS, &by_kind));
    eprintln!("fuzz: by input sort: {}", tally(&inputs::SORTS, &by_sort));
    assert_eq!(
        crashes, 0,
        "inputs that panicked are saved as tests/corpus/*/crash-*.toml"
    );
    assert!(rss_mb < 1024, "peak memory {rss_mb} MB");
}

fn watchdog(current: Arc<Mutex<(String, Vec<u8>)>>, started_at: Arc<AtomicU64>, epoch: Instant) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let since = started_at.load(Ordering::SeqCst);
            if since != 0 && epoch.elapsed().as_millis() as u64 > since + 20_000 {
                let (rel, bytes) = current.lock().map(|c| c.clone()).unwrap_or_default();
                let path = save_crash(&rel, &bytes);
                eprintln!("fuzz: an input ran over 20 s (a hang); saved to {path}");
                std::process::exit(1);
            }
        }
    });
}

/// Keep a failing input in the corpus, where every `cargo test` replays it.
fn save_crash(rel: &str, bytes: &[u8]) -> String {
    let kind = inputs::KINDS
        .into_iter()
        .find(|k| inputs::rel_for(k) == rel)
        .unwrap_or("journal");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let hash = fieldnote::store::check::sha256_hex(bytes);
    let path = dir.join(format!("crash-{}.toml", &hash[..16]));
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn max_rss_kb() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: getrusage fills the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            return usage.ru_maxrss as u64;
        }
    }
    0
}
