//! Crash safety of saving: the real binary adds, tags and edits entries in a loop and is
//! killed with SIGKILL at random moments, hundreds of times. After every kill each entry
//! file is the complete old version or the complete new one, everything reported as
//! saved is there, and at the end `check` passes and stale temporaries are swept.
//!
//! `FIELDNOTE_KILLS` sets how many processes are killed (default 300);
//! `FIELDNOTE_TEST_SEED` repeats a run.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(unix)]

mod common;
#[path = "support/rng.rs"]
mod rng;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use common::{BIN, TempJournal};
use fieldnote::model::Entry;
use rng::Rng;

const CODES: &[&str] = &[
    "daily-life",
    "promotion",
    "live",
    "informal",
    "humour",
    "curhat",
    "duet",
];
const TEMP_PREFIX: &str = ".fieldnote-tmp-";

/// One run of the binary and what it may leave behind.
enum Op {
    Add { title: String, body: String },
    Tag { id: String, code: String },
    Edit { id: String, change: EditChange },
}

enum EditChange {
    Title(String),
    Append(String),
}

impl Op {
    fn args(&self, at: &str) -> Vec<String> {
        let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match self {
            Op::Add { title, body } => v(&["add", "--at", at, "--title", title, body]),
            Op::Tag { id, code } => v(&["tag", id, code]),
            Op::Edit {
                id,
                change: EditChange::Title(t),
            } => v(&["edit", id, "--title", t]),
            Op::Edit {
                id,
                change: EditChange::Append(line),
            } => v(&["edit", id, "--append", line]),
        }
    }

    /// The entry as the run would leave it, from the entry before.
    fn apply(&self, old: &Entry) -> Entry {
        let mut new = old.clone();
        match self {
            Op::Add { .. } => unreachable!("adds have no old version"),
            // The test only tags with codes the entry lacks, or removes ones it has.
            Op::Tag { code, .. } => {
                new.toggle_code(code);
            }
            Op::Edit {
                change: EditChange::Title(t),
                ..
            } => new.title = t.clone(),
            Op::Edit {
                change: EditChange::Append(line),
                ..
            } => {
                if !new.body.is_empty() && !new.body.ends_with('\n') {
                    new.body.push('\n');
                }
                new.body.push_str(line);
                new.body.push('\n');
            }
        }
        new
    }
}

/// Every entry file (by journal-relative path) with its bytes, and every temporary.
fn scan(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<PathBuf>) {
    let mut files = BTreeMap::new();
    let mut temps = Vec::new();
    let mut stack = vec![root.join("entries")];
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = item.path();
            let name = item.file_name().to_string_lossy().into_owned();
            if item.file_type().unwrap().is_dir() {
                stack.push(path);
            } else if name.starts_with(TEMP_PREFIX) {
                temps.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    (files, temps)
}

fn parse(rel: &str, bytes: &[u8]) -> Entry {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel}: not UTF-8"));
    toml::from_str(text).unwrap_or_else(|e| panic!("{rel} is not a complete entry: {e}\n{text}"))
}

fn id_of(rel: &str) -> String {
    rel.rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".toml")
        .to_string()
}

#[derive(Default, Debug)]
struct Tally {
    runs: usize,
    killed: usize,
    completed: usize,
    killed_old_kept: usize,
    killed_new_complete: usize,
    killed_after_reporting: usize,
    temporaries_left: usize,
}

#[test]
fn sigkill_at_random_moments_never_loses_or_corrupts_an_entry() {
    let kills: usize = std::env::var("FIELDNOTE_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng::from_env("sigkill");
    let j = TempJournal::init();
    let started = Instant::now();
    let mut known = scan(&j.root).0;
    let mut tally = Tally::default();
    // How long a run takes when left alone, to aim the kills inside runs.
    let mut typical = Duration::from_millis(60);
    let mut n = 0;
    while tally.killed < kills {
        n += 1;
        let op = pick_op(&mut rng, &known, n);
        let month = 1 + rng.below(4);
        let at = format!(
            "2026-{month:02}-{:02} 1{}:00",
            1 + rng.below(28),
            rng.below(10)
        );
        // A few runs at first are never killed, to learn how long a run takes.
        let delay = (n > 3).then(|| typical.mul_f64(rng.below(1300) as f64 / 1000.0));

        let run_started = Instant::now();
        let mut child = Command::new(BIN)
            .arg("-J")
            .arg(&j.root)
            .args(op.args(&at))
            .env("EDITOR", "false")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(delay) = delay {
            sleep(delay);
            // Only a process still running is killed; one that finished is reaped.
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
            }
        }
        let out = child.wait_with_output().unwrap();
        let elapsed = run_started.elapsed();
        tally.runs += 1;
        let killed = out.status.signal() == Some(libc::SIGKILL);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let reported = !stdout.trim().is_empty();
        if killed {
            tally.killed += 1;
            tally.killed_after_reporting += usize::from(reported);
        } else {
            assert!(
                out.status.success(),
                "run {n} ({:?}) failed: {}",
                op.args(&at),
                String::from_utf8_lossy(&out.stderr)
            );
            tally.completed += 1;
            typical = (typical * 7 + elapsed) / 8;
        }

        let (files, temps) = scan(&j.root);
        tally.temporaries_left = temps.len();
        let outcome = verify(&op, &known, &files, n);
        if reported || !killed {
            assert_eq!(
                outcome,
                Outcome::New,
                "run {n} reported a save that is not there"
            );
        }
        if killed {
            match outcome {
                Outcome::Old => tally.killed_old_kept += 1,
                Outcome::New => tally.killed_new_complete += 1,
            }
        }
        known = files;
    }

    // The journal checks clean, whatever was interrupted.
    let check = j.run(&["check"]);
    assert!(
        check.status.success(),
        "check after the kills:\n{}{}",
        common::stdout(&check),
        common::stderr(&check)
    );
    // Temporaries from killed writes are swept on the next start once they are stale
    // (older than a minute); a fresh one, maybe a write in progress, is left alone.
    let (_, temps) = scan(&j.root);
    let a_minute_ago = SystemTime::now() - Duration::from_secs(120);
    for t in &temps {
        std::fs::File::options()
            .write(true)
            .open(t)
            .unwrap()
            .set_modified(a_minute_ago)
            .unwrap();
    }
    let fresh = j.path(&format!("entries/2026/01/{TEMP_PREFIX}in-progress"));
    std::fs::write(&fresh, "partial").unwrap();
    j.ok(&["list"]);
    let (files, left) = scan(&j.root);
    assert_eq!(
        left,
        vec![fresh.clone()],
        "only the fresh temporary remains"
    );
    assert_eq!(files, known, "sweeping touched no entry");

    eprintln!(
        "sigkill: {} runs, {} killed ({} kept the old version, {} left the complete new one, {} after reporting success), {} completed; {} temporaries left by killed writes, all swept; {} entries; {:.1?}",
        tally.runs,
        tally.killed,
        tally.killed_old_kept,
        tally.killed_new_complete,
        tally.killed_after_reporting,
        tally.completed,
        temps.len(),
        files.len(),
        started.elapsed()
    );
    assert!(
        tally.killed_old_kept > 0 && tally.killed_new_complete > 0,
        "kills should land both before and after writes: {tally:?}"
    );
}

fn pick_op(rng: &mut Rng, known: &BTreeMap<String, Vec<u8>>, n: usize) -> Op {
    let ids: Vec<String> = known.keys().map(|rel| id_of(rel)).collect();
    if ids.len() < 3 || rng.chance(30) {
        // Some bodies are long, so that writing takes a while.
        let words = if rng.chance(25) { 4000 } else { 8 };
        let body = (0..words)
            .map(|w| format!("w{}", (n * 31 + w) % 997))
            .collect::<Vec<_>>()
            .join(" ");
        return Op::Add {
            title: format!("crash-test run {n}"),
            body,
        };
    }
    let rel = known.keys().nth(rng.below(known.len())).unwrap();
    let id = id_of(rel);
    if rng.chance(50) {
        let code = rng.pick(CODES).to_string();
        let entry = parse(rel, &known[rel]);
        // `tag` adds; removing goes through `--remove`: keep to adding codes it lacks
        // and fall back to a title edit when it has them all.
        if !entry.has_code(&code) {
            return Op::Tag { id, code };
        }
    }
    let change = if rng.chance(50) {
        EditChange::Title(format!("edited in run {n}"))
    } else {
        EditChange::Append(format!("appended in run {n}"))
    };
    Op::Edit { id, change }
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Outcome {
    Old,
    New,
}

/// Compare the entry files after a run with those before: only the run's own file may
/// differ, and it must be the complete old or the complete new version.
fn verify(
    op: &Op,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    n: usize,
) -> Outcome {
    let target = match op {
        Op::Add { .. } => None,
        Op::Tag { id, .. } | Op::Edit { id, .. } => {
            before.keys().find(|rel| id_of(rel) == *id).cloned()
        }
    };
    let mut outcome = Outcome::Old;
    for (rel, bytes) in after {
        match before.get(rel) {
            Some(old) if Some(rel) == target.as_ref() => {
                if bytes != old {
                    let expected = op.apply(&parse(rel, old));
                    let got = parse(rel, bytes);
                    assert_eq!(got, expected, "run {n}: {rel} is neither old nor new");
                    outcome = Outcome::New;
                }
            }
            Some(old) => assert!(bytes == old, "run {n} changed {rel}, not its own file"),
            None => {
                let Op::Add { title, body } = op else {
                    panic!("run {n} made a file it should not have: {rel}");
                };
                let got = parse(rel, bytes);
                assert_eq!(&got.title, title, "run {n}: {rel}");
                assert_eq!(&got.body, body, "run {n}: {rel}");
                assert_eq!(got.id, id_of(rel));
                assert_eq!(outcome, Outcome::Old, "run {n} added two files");
                outcome = Outcome::New;
            }
        }
    }
    for rel in before.keys() {
        assert!(after.contains_key(rel), "run {n}: {rel} disappeared");
    }
    outcome
}

/// Two processes tagging the same entry at the same moment: each either saves (and its
/// code is in the file) or is refused with a message. Never does one silently undo the
/// other — which is what happened before saves took the folder lock.
#[test]
fn two_processes_saving_one_entry_never_lose_an_update() {
    let j = TempJournal::init();
    let id = j
        .ok(&["add", "--title", "shared", "body"])
        .trim()
        .to_string();
    let (mut saved, mut refused) = (0, 0);
    for round in 0..25 {
        j.ok(&["tag", &id, "--remove", "humour", "--remove", "live"]);
        let spawn = |code: &str| {
            Command::new(BIN)
                .args(["-J", j.root.to_str().unwrap(), "tag", &id, code])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("humour"), spawn("live"));
        let outs = [
            (a.wait_with_output().unwrap(), "humour"),
            (b.wait_with_output().unwrap(), "live"),
        ];
        let path = j.path(&format!("entries/{}/{}/{id}.toml", &id[..4], &id[4..6]));
        let entry: Entry = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for (out, code) in outs {
            if out.status.success() {
                saved += 1;
                assert!(
                    entry.has_code(code),
                    "round {round}: the save of {code} was lost"
                );
            } else {
                let err = common::stderr(&out);
                assert!(err.contains("changed on disk"), "round {round}: {err}");
                refused += 1;
            }
        }
    }
    eprintln!("two writers: {saved} saves, {refused} refused, none lost");
}
