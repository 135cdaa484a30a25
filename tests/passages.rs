//! Coded passages: coding by quote from the CLI, re-anchoring after edits to the body,
//! orphans reported by `check` at their place.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{TempJournal, stderr};

const ID: &str = "20260516-190000-c21d";
const REL: &str = "entries/2026/05/20260516-190000-c21d.toml";
const QUOTE: &str = "duet lebih berasa ngobrol";

fn coded() -> TempJournal {
    let j = TempJournal::demo();
    j.ok(&["code", ID, "--quote", QUOTE, "-c", "participation"]);
    j
}

#[test]
fn a_coded_passage_is_stored_in_the_entry_and_listed() {
    let j = coded();
    let text = j.read(REL);
    assert!(
        text.contains("[[passages]]\nquote = \"duet lebih berasa ngobrol\""),
        "{text}"
    );
    assert!(j.ok(&["code", ID, "--list"]).contains("[participation]"));
    j.ok(&["check"]);
    j.ok(&["code", ID, "--remove", "1"]);
    assert!(!j.read(REL).contains("passages"));
}

#[test]
fn edits_above_and_after_the_passage_keep_it_anchored() {
    let j = coded();
    let text = j.read(REL);
    let edited = text
        .replace("A4, 24,", "Added line.\nA4, 24,")
        .replace("Asked to see", "Also: asked to see");
    j.write(REL, &edited);
    let listed = j.ok(&["code", ID, "--list"]);
    assert!(listed.contains(&format!("«{QUOTE}»")), "{listed}");
    j.ok(&["check"]);
}

#[test]
fn an_edit_inside_the_passage_orphans_it_and_check_reports_where() {
    let j = coded();
    let text = j.read(REL);
    // The body's sentence ends with `".`; the passage's quote line does not.
    j.write(REL, &text.replace("berasa ngobrol\".", "terasa ngobrol\"."));
    let out = j.run(&["check"]);
    assert!(!out.status.success());
    let line = text
        .lines()
        .position(|l| l.starts_with("quote = \"duet"))
        .unwrap()
        + 1;
    let err = common::stdout(&out) + &stderr(&out);
    assert!(
        err.contains(&format!("{REL}:{line}:9: passage 1 is orphaned")),
        "{err}"
    );
    // Never dropped.
    assert!(j.read(REL).contains("[[passages]]"));
}

#[test]
fn ambiguous_and_missing_quotes_are_explained() {
    let j = TempJournal::demo();
    let out = j.run(&["code", ID, "--quote", "duet", "-c", "duet"]);
    let err = stderr(&out);
    assert!(err.contains("the quote occurs 6 times"), "{err}");
    assert!(
        err.contains("  2: … under Diana's videos: \"«duet» lebih"),
        "{err}"
    );
    j.ok(&[
        "code",
        ID,
        "--quote",
        "duet",
        "--occurrence",
        "2",
        "-c",
        "duet",
    ]);
    assert!(j.ok(&["code", ID, "--list"]).contains("\"«duet» lebih"));
    let out = j.run(&[
        "code",
        ID,
        "--quote",
        "duet lebih terasa ngobrol",
        "-c",
        "duet",
    ]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("closest match: "), "{err}");
    assert!(err.contains("«\"duet lebih berasa ngobro»"), "{err}");
}

#[test]
fn a_code_on_a_passage_counts_for_its_entry_in_filters() {
    let j = TempJournal::demo();
    let before = j.ok(&["list", "--code", "humour"]);
    assert!(
        !before.contains(ID),
        "the demo entry must not carry humour yet"
    );
    j.ok(&["code", ID, "--quote", QUOTE, "-c", "humour"]);
    assert!(j.ok(&["list", "--code", "humour"]).contains(ID));
    assert!(!j.ok(&["list", "--not-code", "humour"]).contains(ID));
}

#[test]
fn exports_carry_the_passages_table_and_the_quotes_by_code() {
    let j = coded();
    let out = j.root.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // The passages table: one row per passage and code, positions in code points.
    let table = out.join("study.passages.csv");
    j.ok(&["export", "-o", table.to_str().unwrap()]);
    let csv = std::fs::read_to_string(&table).unwrap();
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("entry,observed_at,accounts,code,quote,start,end")
    );
    let row = csv
        .split("\r\n")
        .find(|l| l.contains(QUOTE))
        .expect("the new passage is a row");
    let fields: Vec<&str> = row.split(',').collect();
    assert_eq!(fields[0], ID);
    assert_eq!(fields[3], "participation");
    let opened = fieldnote::store::open(&j.root).unwrap();
    let body = opened.journal.entry(ID).unwrap().body.clone();
    let start: usize = fields[5].parse().unwrap();
    let end: usize = fields[6].parse().unwrap();
    let quoted: String = body.chars().skip(start).take(end - start).collect();
    assert_eq!(quoted, QUOTE);
    // JSON: the same rows under `passages`.
    let json: serde_json::Value =
        serde_json::from_str(&j.ok(&["export", "--format", "json"])).unwrap();
    let rows = json["passages"].as_array().unwrap();
    let mine = rows.iter().find(|r| r["quote"] == QUOTE).unwrap();
    assert_eq!(
        (mine["start"].as_u64(), mine["end"].as_u64()),
        (Some(start as u64), Some(end as u64))
    );
    assert_eq!(rows.len(), csv.trim_end().split("\r\n").count() - 1);
    // Markdown: a quotes-by-code section, the quote under its code, linked to its entry.
    let report = j.ok(&["export", "--format", "markdown"]);
    let section = report
        .split("# Quotes by code")
        .nth(1)
        .expect("the section is there");
    let participation = section
        .split("\n## ")
        .find(|s| s.starts_with("Participation"))
        .expect("a heading for the code");
    assert!(
        participation.contains(&format!("> {QUOTE}")),
        "{participation}"
    );
    assert!(
        participation.contains(&format!("(#e-{ID})")),
        "{participation}"
    );
}
