//! Coded passages: coding by quote from the CLI, re-anchoring after edits to the body,
//! orphans reported by `check` at their place.

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
