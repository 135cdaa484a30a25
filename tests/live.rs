//! Live sessions: one entry per live, its moments as lines and coded passages; the CLI
//! face stamps each line, takes `#code` words, and joins late.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{TempJournal, stderr, stdout};

/// 21:00 in Jakarta.
const NOW: (&str, &str) = ("FIELDNOTE_NOW", "2026-06-01T14:00:00Z");

fn live(j: &TempJournal, args: &[&str], input: &str) -> String {
    let mut all = vec!["live"];
    all.extend_from_slice(args);
    let out = common::run_with_env(&j.root, &all, Some(input), &[NOW]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

#[test]
fn a_live_session_is_one_entry_with_its_moments_stamped_and_coded() {
    let j = TempJournal::demo();
    let input = "greets viewers by name #participation\n\
                 [20:47:05] #humour roasts a viewer\n\
                 viewers 320\n\
                 #nosuchcode oops\n\n";
    let id = live(&j, &["-a", "@DianaKocak", "--began", "20 min ago"], input);
    assert!(
        id.starts_with("20260601-204000-"),
        "began 20 min before 21:00: {id}"
    );
    let shown = j.ok(&["show", &id, "--format", "json"]);
    let e: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(e["codes"], serde_json::json!(["live"]));
    assert_eq!(e["ended_at"], "2026-06-01T21:00:00+07:00");
    assert_eq!(
        e["body"],
        "[20:47:05 +7:05] roasts a viewer\n\
         [21:00:00 +20:00] greets viewers by name\n\
         [21:00:00 +20:00] viewers 320\n\
         [21:00:00 +20:00] oops #nosuchcode\n"
    );
    let listed = j.ok(&["code", &id, "--list"]);
    assert!(
        listed.contains("roasts a viewer") && listed.contains("[humour]"),
        "{listed}"
    );
    assert!(listed.contains("greets viewers by name") && listed.contains("[participation]"));
    j.ok(&["check"]);
}

#[test]
fn nothing_noted_saves_nothing() {
    let j = TempJournal::demo();
    let out = common::run_with_env(
        &j.root,
        &["live", "-a", "dianakocak"],
        Some("\n  \n"),
        &[NOW],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nothing was noted"),
        "{}",
        stderr(&out)
    );
    assert_eq!(j.ok(&["list"]).lines().count(), 53);
}

#[test]
fn stats_counts_a_session_as_one_live_with_its_moments_and_peak_viewers() {
    let j = TempJournal::demo();
    let lives = |j: &TempJournal| -> String {
        let text = j.ok(&["stats", "--only", "figures", "--format", "csv"]);
        text.lines()
            .find(|l| l.starts_with("nadiastory,"))
            .unwrap()
            .to_string()
    };
    let header = j.ok(&["stats", "--only", "figures", "--format", "csv"]);
    let columns: Vec<String> = header
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    let col = |name: &str| columns.iter().position(|c| c == name).unwrap();
    let before: Vec<String> = lives(&j).split(',').map(String::from).collect();
    live(
        &j,
        &["-a", "nadiastory", "--began", "2026-06-01 20:30"],
        "greets regulars\n[20:40:00] viewers 140\nviewers 90\n[20:31:00] starts frying bakwan\n",
    );
    let after: Vec<String> = lives(&j).split(',').map(String::from).collect();
    let n = |v: &[String], c: &str| v[col(c)].parse::<f64>().unwrap_or(0.0);
    assert_eq!(
        n(&after, "live_entries"),
        n(&before, "live_entries") + 1.0,
        "one live, not four"
    );
    assert_eq!(n(&after, "sessions"), n(&before, "sessions") + 1.0);
    assert_eq!(after[col("peak_viewers")], "140");
    // Ended at 21:00 (now), began 20:30: thirty minutes, its four moments.
    assert_eq!(after[col("session_minutes")], "30.0");
    assert_eq!(after[col("moments_per_session")], "4.00");
    let text = j.ok(&["stats", "--only", "figures"]);
    assert!(text.contains("Per account: live sessions"), "{text}");
}
