//! End-to-end: the real binary on the demo journal — the founding study's figures from
//! `stats`, and every export format, checked by the tools that will read them (the
//! REFI-QDA validator, Python's csv module, a JSON parser, the codebook importer).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fieldnote(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fieldnote"))
        .current_dir(dir)
        .env_remove("FIELDNOTE_JOURNAL")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Run and insist on success; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = fieldnote(dir, args);
    assert!(
        out.status.success(),
        "fieldnote {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// A temporary folder holding the demo journal in `journal/`.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    ok(tmp.path(), &["demo", "journal", "--no-open"]);
    let journal = tmp.path().join("journal");
    (tmp, journal)
}

/// `tests/data/refi/validate FILE` must accept the file. Skipped, loudly, only when the
/// validator cannot find xmllint.
fn validate(file: &Path) {
    let validator = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refi/validate");
    assert!(
        validator.is_file(),
        "the REFI-QDA validator is missing at {}",
        validator.display()
    );
    let out = Command::new(&validator).arg(file).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.code() == Some(2) && text.contains("xmllint not found") {
        eprintln!(
            "\n!!!!!!!! SKIPPED REFI-QDA schema validation of {}: xmllint is not installed \
             (apt-get install libxml2-utils) !!!!!!!!\n",
            file.display()
        );
        return;
    }
    assert!(out.status.success(), "validate {}: {text}", file.display());
    assert!(text.contains("valid REFI-QDA"), "{text}");
}

/// Every text member of a zip, by name.
fn zip_texts(file: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut texts = Vec::new();
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).unwrap();
        let name = member.name().to_string();
        if name.ends_with(".qde") || name.ends_with(".txt") {
            let mut text = String::new();
            member.read_to_string(&mut text).unwrap();
            texts.push((name, text));
        }
    }
    texts
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn account<'a>(figures: &'a Value, handle: &str) -> &'a Value {
    figures["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["handle"] == handle)
        .unwrap_or_else(|| panic!("no figures for {handle}"))
}

#[test]
fn stats_reports_the_founding_studys_figures() {
    let (_tmp, journal) = demo();
    let text = ok(&journal, &["stats"]);
    let line = |start: &str, after: &str| -> String {
        let from = text.find(after).expect(after);
        text[from..]
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start} after {after}"))
            .to_string()
    };
    // Reply shares and engagement rates, as the demo was designed.
    for (handle, replies, engagement) in [
        ("@nadiastory", "29.0%", "7.8%"),
        ("@cindymakeup", "34.9%", "9.1%"),
        ("@dianakocak", "25.7%", "10.4%"),
    ] {
        let row = line(handle, "the study's figures");
        assert!(row.contains(replies), "{row}");
        assert!(row.contains(engagement), "{row}");
    }
    let cindy = line("@cindymakeup", "what was observed");
    assert_eq!(
        cindy.split_whitespace().collect::<Vec<_>>(),
        [
            "@cindymakeup",
            "17",
            "6",
            "8",
            "3",
            "0",
            "2026-03-05",
            "2026-05-28",
            "11"
        ]
    );
    assert!(text.contains("Codes × accounts: entries"), "{text}");
    assert!(text.contains("Codes together:"), "{text}");
    for l in text.lines().filter(|l| !l.starts_with("DEMO")) {
        assert!(l.chars().count() <= 80, "wider than 80 columns: {l:?}");
    }

    let stats = json(&ok(&journal, &["stats", "--format", "json"]));
    let figures = &stats["figures"];
    let cindy = account(figures, "cindymakeup");
    assert_eq!(cindy["comments"], 5389);
    assert_eq!(cindy["replied_comments"], 1881);
    assert!((cindy["reply_share"].as_f64().unwrap() - 0.349).abs() < 0.0005);
    assert_eq!(cindy["live_entries"], 4);
    assert_eq!(cindy["weeks_observed"], 11);
    assert_eq!(cindy["followers_last"], 72300);
    assert_eq!(cindy["follower_change"], 5500);
    let span = cindy["span_weeks"].as_f64().unwrap();
    assert!((cindy["lives_per_week"].as_f64().unwrap() - 4.0 / span).abs() < 1e-9);
    assert_eq!(figures["all"]["entries"], 53);
    assert_eq!(stats["cooccurrence"]["codes"].as_array().unwrap().len(), 18);
}

#[test]
fn stats_gives_the_daily_life_share_of_content() {
    let (_tmp, journal) = demo();
    let stats = json(&ok(
        &journal,
        &[
            "stats", "--kind", "content", "--format", "json", "--only", "matrix",
        ],
    ));
    assert!(stats.get("figures").is_none());
    let m = &stats["matrix"];
    let daily = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "daily-life")
        .unwrap();
    // 16 of the 24 content entries show daily life: over 60%, as the study reports.
    assert_eq!(daily["total"]["count"], 16);
    assert!((daily["total"]["share"].as_f64().unwrap() - 16.0 / 24.0).abs() < 1e-9);
    let counts: Vec<u64> = daily["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [5, 5, 6]);
    assert_eq!(m["total"]["count"], 24);

    let text = ok(
        &journal,
        &[
            "stats", "--kind", "content", "--only", "matrix", "--values", "share",
        ],
    );
    let row = text.lines().find(|l| l.contains("Daily life")).unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        ["Daily", "life", "62.5%", "62.5%", "75.0%", "66.7%"]
    );
}

#[test]
fn stats_tables_as_csv_and_by_month() {
    let (_tmp, journal) = demo();
    let matrix = ok(&journal, &["stats", "--format", "csv", "--by", "month"]);
    let header = matrix.lines().next().unwrap();
    assert_eq!(
        header,
        "group,id,label,2026-03,2026-03_pct,2026-04,2026-04_pct,2026-05,2026-05_pct,total,total_pct"
    );
    assert!(matrix.contains("\r\n"), "RFC 4180 record ends");
    let figures = ok(&journal, &["stats", "--format", "csv", "--only", "figures"]);
    let cindy = figures
        .lines()
        .find(|l| l.starts_with("cindymakeup,"))
        .unwrap();
    assert!(cindy.contains(",34.9,"), "{cindy}");
    let co = ok(
        &journal,
        &["stats", "--format", "csv", "--only", "cooccurrence"],
    );
    assert_eq!(co.lines().count(), 19, "a header and a row per code");
    let transposed = ok(
        &journal,
        &[
            "stats",
            "--transpose",
            "--only",
            "matrix",
            "--values",
            "count",
        ],
    );
    assert!(transposed.contains("Accounts × codes"), "{transposed}");
}

#[test]
fn csv_export_loads_in_python_with_a_column_per_code() {
    let (tmp, journal) = demo();
    let file = tmp.path().join("entries.csv");
    ok(&journal, &["export", "-o", file.to_str().unwrap()]);
    let script = r#"
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    reader = csv.DictReader(f)
    rows = list(reader)
print(json.dumps({"columns": reader.fieldnames, "rows": rows}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let loaded = json(&String::from_utf8(out.stdout).unwrap());
    let columns: Vec<&str> = loaded["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(&columns[..3], ["id", "observed_at", "observed_date"]);
    assert!(columns.contains(&"body") && columns.contains(&"metric_replied_comments"));
    let codes = &columns[columns.len() - 18..];
    assert_eq!(codes[0], "daily-life");
    assert_eq!(codes[17], "social-relationship");
    let rows = loaded["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 53);
    let live = rows
        .iter()
        .find(|r| r["id"] == "20260314-210512-7f3a")
        .unwrap();
    assert_eq!(live["live"], "1");
    assert_eq!(live["daily-life"], "0");
    assert_eq!(live["accounts"], "cindymakeup");
    assert!(
        live["body"]
            .as_str()
            .unwrap()
            .contains("\"Kak, kulitku kering banget\"")
    );
    assert!(live["body"].as_str().unwrap().contains('\n'));
    assert_eq!(live["reviewer_comments"], "1");

    // The filters of `list` apply.
    let content = tmp.path().join("content.csv");
    ok(
        &journal,
        &[
            "export",
            "--kind",
            "content",
            "-o",
            content.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&content).unwrap();
    assert_eq!(
        text.matches("\r\n2026").count(),
        24,
        "one record per content entry"
    );
}

#[test]
fn qdpx_export_validates_and_keeps_its_guids() {
    let (tmp, journal) = demo();
    let a = tmp.path().join("a.qdpx");
    let b = tmp.path().join("b.qdpx");
    ok(&journal, &["export", "-o", a.to_str().unwrap()]);
    ok(
        &journal,
        &["export", "--format", "qdpx", "-o", b.to_str().unwrap()],
    );
    validate(&a);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "the same journal exports to the same bytes"
    );
    let texts = zip_texts(&a);
    let qde = &texts.iter().find(|(n, _)| n == "project.qde").unwrap().1;
    // Codes keep codebook.toml's guids; groups are non-codable parents.
    assert!(
        qde.contains(r#"guid="281efd12-f6ce-41f1-a15b-27a0f5b0f1ad" name="Live" isCodable="true""#),
        "{qde}"
    );
    assert!(qde.contains(r#"name="Interaction form" isCodable="false""#));
    assert_eq!(qde.matches("<Case ").count(), 3);
    assert!(qde.contains("<TextValue>beauty &amp; skincare</TextValue>"));
    assert_eq!(
        qde.matches("<TextValue>A4</TextValue>").count(),
        1,
        "informants"
    );
    assert_eq!(
        qde.matches("<TextSource ").count(),
        48,
        "every entry but the memos"
    );
    assert_eq!(qde.matches("<PictureSource ").count(), 9);
    let order = [
        "<Users>",
        "<CodeBook>",
        "<Variables>",
        "<Cases>",
        "<Sources>",
        "<Notes>",
    ];
    let mut at: Vec<usize> = order.iter().map(|t| qde.find(t).expect(t)).collect();
    // The project's own description and note references come last.
    at.push(qde.rfind("<Description>").unwrap());
    at.push(qde.rfind("<NoteRef ").unwrap());
    assert!(at.windows(2).all(|w| w[0] < w[1]), "schema order");
    let source = &texts
        .iter()
        .find(|(n, _)| n == "sources/20260314-210512-7f3a.txt")
        .unwrap()
        .1;
    assert!(source.starts_with("Live: skincare Q&A, greets viewers by name\n\nLive started 21:05"));
    let end = format!(
        r#"startPosition="0" endPosition="{}""#,
        source.chars().count()
    );
    assert!(qde.contains(&end), "the selection covers the whole text");
}

#[test]
fn qdc_round_trips_into_a_fresh_journal() {
    let (tmp, journal) = demo();
    let qdc = tmp.path().join("codebook.qdc");
    ok(&journal, &["export", "-o", qdc.to_str().unwrap()]);
    validate(&qdc);

    let fresh = tmp.path().join("fresh");
    ok(tmp.path(), &["init", "fresh", "--no-git"]);
    std::fs::write(
        fresh.join("codebook.toml"),
        "# codes come from another tool\n",
    )
    .unwrap();
    let said = ok(&fresh, &["codes", "import", qdc.to_str().unwrap()]);
    assert!(said.contains("added 5 groups and 18 codes"), "{said}");
    ok(&fresh, &["check"]);
    let again = ok(&fresh, &["codes", "import", qdc.to_str().unwrap()]);
    assert!(
        again.contains("added 0 groups and 0 codes; 0 codes updated, 18 unchanged"),
        "{again}"
    );

    let original = fieldnote::store::open(&journal).unwrap().journal.codebook;
    let imported = fieldnote::store::open(&fresh).unwrap().journal.codebook;
    let written = std::fs::read_to_string(fresh.join("codebook.toml")).unwrap();
    assert!(
        written.contains("# codes come from another tool"),
        "the comment is kept"
    );
    let hex = fieldnote::interop::export::refi::hex_color;
    let by_guid = |book: &fieldnote::model::Codebook, guid: &str| {
        book.codes.iter().find(|c| c.guid == guid).cloned()
    };
    assert_eq!(imported.codes.len(), original.codes.len());
    for code in &original.codes {
        let copy = by_guid(&imported, &code.guid).unwrap_or_else(|| panic!("{} lost", code.id));
        assert_eq!(copy.name, code.name);
        assert_eq!(copy.description, code.description);
        assert_eq!(hex(&copy.color), hex(&code.color), "{}", code.id);
        let group = |book: &fieldnote::model::Codebook, c: &fieldnote::model::Code| {
            book.group(&c.group).unwrap().name.clone()
        };
        assert_eq!(group(&imported, &copy), group(&original, code));
        let parent = |book: &fieldnote::model::Codebook, c: &fieldnote::model::Code| {
            book.code(&c.parent).map(|p| p.guid.clone())
        };
        assert_eq!(parent(&imported, &copy), parent(&original, code));
    }
    let groups: Vec<&str> = imported.groups.iter().map(|g| g.name.as_str()).collect();
    let want: Vec<&str> = original.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, want);
}

#[test]
fn pseudonymised_exports_name_no_handle() {
    let (tmp, journal) = demo();
    let identifying = [
        "cindymakeup",
        "nadiastory",
        "dianakocak",
        "Cindy",
        "Nadia",
        "Diana",
    ];
    let leaks = |text: &str, what: &str| {
        let lower = text.to_lowercase();
        for name in identifying {
            assert!(!lower.contains(&name.to_lowercase()), "{name} in {what}");
        }
    };
    for ext in ["md", "csv", "json"] {
        let file = tmp.path().join(format!("pseudo.{ext}"));
        ok(
            &journal,
            &["export", "--pseudonymise", "-o", file.to_str().unwrap()],
        );
        let text = std::fs::read_to_string(&file).unwrap();
        leaks(&text, ext);
        assert!(text.contains("Influencer B"), "{ext}");
        assert!(text.contains("A4"), "informants stay codes ({ext})");
    }
    // The report's screenshots are neutrally named copies beside it.
    let report = std::fs::read_to_string(tmp.path().join("pseudo.md")).unwrap();
    assert!(
        report.contains("](pseudo-media/20260314-210512-7f3a-1.png)"),
        "{report}"
    );
    assert!(
        tmp.path()
            .join("pseudo-media/20260314-210512-7f3a-1.png")
            .is_file()
    );

    let qdpx = tmp.path().join("pseudo.qdpx");
    ok(
        &journal,
        &["export", "--pseudonymise", "-o", qdpx.to_str().unwrap()],
    );
    validate(&qdpx);
    for (name, text) in zip_texts(&qdpx) {
        leaks(&text, &name);
    }

    // A pseudonym that still names the account is refused, and nothing is written.
    let path = journal.join("accounts/cindymakeup.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        toml.replace("Influencer B", "Cindymakeup's stand-in"),
    )
    .unwrap();
    let refused = tmp.path().join("refused.json");
    let out = fieldnote(
        &journal,
        &["export", "--pseudonymise", "-o", refused.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contains the handle"));
    assert!(!refused.exists());
}

#[test]
fn markdown_report_is_per_account_with_working_image_links() {
    let (tmp, journal) = demo();
    // A hostile body: terminal escapes must never reach the report.
    ok(
        &journal,
        &[
            "add",
            "-a",
            "cindymakeup",
            "--at",
            "2026-05-31 10:00",
            "--title",
            "Escapes",
            "red\u{1b}[31m # not a heading",
        ],
    );
    let reports = tmp.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let file = reports.join("field.md");
    ok(&journal, &["export", "-o", file.to_str().unwrap()]);
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.starts_with("---\ntitle: \"DEMO"), "{md}");
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("# ")).collect();
    assert_eq!(
        headings,
        [
            "# @cindymakeup (Cindy)",
            "# @dianakocak (Diana)",
            "# @nadiastory (Nadia)",
            "# Entries without an account",
            "# Quotes by code"
        ]
    );
    // Chronological within an account.
    let night = md.find("Night routine in four steps").unwrap();
    let live = md.find("Live: skincare Q&A").unwrap();
    assert!(night < live);
    assert!(md.contains("> **Dr. Rina Hartono (supervisor)**, 2026-03-20 09:15 · resolved"));
    assert!(!md.contains('\u{1b}'));
    assert!(md.contains("red␛\\[31m \\# not a heading") || md.contains("red␛[31m # not a heading"));
    let links: Vec<&str> = md
        .match_indices("](../journal/media/")
        .map(|(i, _)| {
            let rest = &md[i + 2..];
            &rest[..rest.find(')').unwrap()]
        })
        .collect();
    assert_eq!(links.len(), 9);
    for link in links {
        assert!(reports.join(link).is_file(), "{link} does not resolve");
    }
    // pandoc, where installed, reads it: every image, every entry's anchor.
    match Command::new("pandoc")
        .args([file.to_str().unwrap(), "-t", "html"])
        .current_dir(&reports)
        .output()
    {
        Ok(out) if out.status.success() => {
            let html = String::from_utf8_lossy(&out.stdout);
            assert_eq!(html.matches("<img ").count(), 9);
            assert!(html.contains(r#"id="e-20260314-210512-7f3a""#));
            assert!(
                out.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        _ => eprintln!("note: pandoc is not installed; the report was not rendered"),
    }
    // An entry about two accounts is written once and pointed to from the other.
    assert_eq!(md.matches("{#e-20260524-100000-6dae}").count(), 1);
    assert!(md.contains("(#e-20260524-100000-6dae), written out under @cindymakeup"));
}

#[test]
fn json_export_holds_the_model_and_follows_the_filter() {
    let (_tmp, journal) = demo();
    let all = json(&ok(&journal, &["export", "--format", "json"]));
    assert_eq!(all["format"], "fieldnote-export");
    assert_eq!(all["version"], 1);
    assert_eq!(all["pseudonymised"], false);
    assert_eq!(all["entries"].as_array().unwrap().len(), 53);
    assert_eq!(all["accounts"].as_array().unwrap().len(), 3);
    assert_eq!(all["codebook"]["codes"].as_array().unwrap().len(), 18);
    assert_eq!(all["codebook"]["groups"].as_array().unwrap().len(), 5);
    assert_eq!(all["comments"].as_array().unwrap().len(), 3);
    assert_eq!(all["settings"]["timezone"], "Asia/Jakarta");
    let e = &all["entries"][0];
    for key in [
        "id",
        "observed_at",
        "recorded_at",
        "kind",
        "accounts",
        "codes",
        "title",
        "url",
        "source_id",
        "informant",
        "body",
        "screenshots",
        "metrics",
    ] {
        assert!(e.get(key).is_some(), "entries have `{key}`");
    }
    let cindy = json(&ok(
        &journal,
        &["export", "--format", "json", "-a", "cindymakeup"],
    ));
    assert_eq!(cindy["entries"].as_array().unwrap().len(), 17);
    assert_eq!(cindy["filter"], "@cindymakeup");
    assert_eq!(
        cindy["comments"].as_array().unwrap().len(),
        1,
        "only comments on exported entries"
    );
}

#[test]
fn export_refuses_what_it_cannot_do() {
    let (_tmp, journal) = demo();
    let out = fieldnote(&journal, &["export", "--format", "qdpx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE.qdpx"));
    let out = fieldnote(&journal, &["export", "-o", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fieldnote(
        &journal,
        &["export", "-o", "x.csv", "--code", "no-such-code"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!journal.join("x.csv").exists());
}

#[test]
fn a_chart_exports_as_an_svg_figure_with_its_series_and_points() {
    let (tmp, journal) = demo();
    let file = tmp.path().join("activity.svg");
    ok(
        &journal,
        &[
            "export",
            "-o",
            file.to_str().unwrap(),
            "--chart",
            "activity",
        ],
    );
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    assert_eq!(
        svg.matches(r#"<g class="series""#).count(),
        3,
        "one line per account"
    );
    // Points: one marker per account-week, as many as the weeks each account was observed.
    let stats = ok(&journal, &["stats", "--only", "figures", "--format", "csv"]);
    let weeks: usize = stats
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("all,"))
        .map(|l| l.split(',').nth(8).unwrap().parse::<usize>().unwrap())
        .sum();
    let markers = svg.matches("<circle").count()
        + svg.matches("<rect").count()
        + svg.matches("<path d=\"M").count()
        - 1; // the axes
    assert_eq!(markers, weeks, "{svg}");
    let share = ok(
        &journal,
        &[
            "export",
            "--format",
            "svg",
            "--chart",
            "share",
            "--chart-code",
            "daily-life",
        ],
    );
    assert!(share.contains("Daily life — share of entries per month"));
    let missing = fieldnote(&journal, &["export", "--format", "svg", "--chart", "share"]);
    assert_eq!(missing.status.code(), Some(2));
}

/// The HTML report: its sections, no request to the network, hostile text inert, and,
/// where Chromium is installed (`.ci/run` installs it), rendered by a real browser with
/// no console error and the charts' series in its DOM.
#[test]
fn the_html_report_is_self_contained_inert_and_renders_in_chromium() {
    let (tmp, journal) = demo();
    ok(
        &journal,
        &[
            "add",
            "-k",
            "memo",
            "--title",
            "<script>alert('x')</script>",
            "<img src=x onerror=alert(1)> <a href=\"javascript:alert(2)\">link</a>",
        ],
    );
    let file = tmp.path().join("report.html");
    ok(&journal, &["export", "-o", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for section in [
        "Accounts and figures",
        "Codes × accounts",
        "Over time",
        "Quotes by code",
        "Memos",
        "Screenshots",
        "Reviewer comments",
    ] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    // Nothing fetched: no script, no external source or link target, pictures inline.
    for bad in [
        "<script",
        "<img src=x",
        "href=\"javascript",
        "src=\"http",
        "href=\"http",
        "url(",
    ] {
        assert!(!html.contains(bad), "{bad} in the report");
    }
    assert!(
        html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;")
            || html.contains("&lt;script&gt;")
    );
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "screenshots embedded"
    );
    let series = html.matches("<g class=\"series\"").count();
    assert!(series >= 6, "{series} series");
    // Pseudonymised, no handle is left in it (the export checks before writing).
    let pseudonymised = tmp.path().join("pseudonymised.html");
    ok(
        &journal,
        &[
            "export",
            "-o",
            pseudonymised.to_str().unwrap(),
            "--pseudonymise",
        ],
    );
    let text = std::fs::read_to_string(&pseudonymised).unwrap();
    for handle in ["cindymakeup", "dianakocak", "nadiastory"] {
        assert!(
            !text.contains(handle),
            "{handle} left in the pseudonymised report"
        );
    }

    let Ok(out) = std::process::Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("file://{}", file.display()))
        .output()
    else {
        eprintln!("SKIPPED: chromium is not installed (.ci/run installs it)");
        return;
    };
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(dom.contains("<h2>Over time</h2>"), "rendered: {dom:.300}");
    assert_eq!(
        dom.matches("class=\"series\"").count(),
        series,
        "the charts' series in the DOM"
    );
    assert!(!dom.contains("<script"), "no script came to life");
    for bad in ["Refused to", "Uncaught", "CONSOLE"] {
        assert!(!log.contains(bad), "{bad}: {log}");
    }
    // And a screenshot of it: a page drawn, not a blank one.
    let shot = tmp.path().join("report.png");
    let status = std::process::Command::new("chromium")
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=900,1400",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(
        shot.is_file(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let picture = image::open(&shot).unwrap().to_luma8();
    assert_eq!(picture.dimensions(), (900, 1400));
    let dark = picture.pixels().filter(|p| p.0[0] < 128).count();
    assert!(
        dark > 5_000,
        "{dark} dark pixels: text and tables were drawn"
    );
}

/// What QualCoder dropped or damaged (issue 17): picture codings outside a selection,
/// dates with an offset (it appends `Z`), source names that are not file names, picture
/// names without their extension, comment status.
#[test]
fn qdpx_pictures_dates_and_names_are_kept_by_qualcoder() {
    let (tmp, journal) = demo();
    let file = tmp.path().join("study.qdpx");
    ok(&journal, &["export", "-o", file.to_str().unwrap()]);
    validate(&file);
    let texts = zip_texts(&file);
    let qde = &texts.iter().find(|(n, _)| n == "project.qde").unwrap().1;
    // Every picture coding sits in a PictureSelection covering the picture.
    let pictures: Vec<&str> = qde.split("<PictureSource ").skip(1).collect();
    assert!(!pictures.is_empty());
    for p in &pictures {
        let body = &p[..p.find("</PictureSource>").unwrap()];
        let codings = body.matches("<Coding ").count();
        if codings > 0 {
            let selection = &body[body.find("<PictureSelection ").expect("a selection")..];
            assert_eq!(selection.matches("<Coding ").count(), codings, "{body}");
            assert!(selection.contains(r#"firstX="0" firstY="0""#));
            assert!(
                !selection.contains(r#"secondX="0""#),
                "the picture's size: {selection}"
            );
        }
    }
    // Dates in UTC with Z; none keeps an offset.
    let dates: Vec<&str> = qde
        .split("creationDateTime=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(dates.len() > 50);
    assert!(
        dates.iter().all(|d| d.ends_with('Z') && !d.contains('+')),
        "{dates:?}"
    );
    // Source names are file names (no `:` or `/`), pictures with their extension.
    let names: Vec<&str> = qde
        .split("Source guid=\"")
        .skip(1)
        .filter_map(|s| s.split("name=\"").nth(1))
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(
        names.iter().all(|n| !n.contains([':', '/', '\\'])),
        "{names:?}"
    );
    for p in &pictures {
        let name = p.split("name=\"").nth(1).unwrap();
        let name = &name[..name.find('"').unwrap()];
        assert!(name.ends_with(".png") || name.ends_with(".jpg"), "{name}");
    }
    // A comment's status is in its note.
    assert!(
        qde.contains("(open)\"") && qde.contains("(resolved)\""),
        "comment status"
    );
}

/// Every member of a zip, in order.
fn zip_members(file: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut member = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            member.read_to_end(&mut bytes).unwrap();
            (member.name().to_string(), bytes)
        })
        .collect()
}

fn write_zip(file: &Path, members: &[(String, Vec<u8>)]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(file).unwrap());
    for (name, bytes) in members {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// Every guid in `qde` replaced by another, upper case and in braces, consistently: what
/// QualCoder's export does to a project (new guids on every export).
fn new_guids(qde: &str) -> String {
    let is_guid = |s: &str| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let mut out = String::new();
    let mut rest = qde;
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        if let Some(candidate) = rest.get(..36)
            && is_guid(candidate)
        {
            let new = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, candidate.as_bytes());
            out.push_str(&format!("{{{}}}", new.to_string().to_uppercase()));
            rest = &rest[36..];
        }
    }
    out.push_str(rest);
    out
}

/// `<TextSource ...>` opening tag of the source of `id`, and where it ends in `qde`.
fn source_tag_end(qde: &str, id: &str) -> usize {
    let path = format!("plainTextPath=\"internal://{id}.txt\"");
    let at = qde
        .find(&path)
        .unwrap_or_else(|| panic!("no source for {id}"));
    at + qde[at..].find('>').unwrap() + 1
}

fn code_guid(qde: &str, name: &str) -> String {
    let at = qde
        .find(&format!("name=\"{name}\" isCodable=\"true\""))
        .unwrap();
    let start = qde[..at].rfind("guid=\"").unwrap() + 6;
    qde[start..start + qde[start..].find('"').unwrap()].to_string()
}

/// fieldnote → a QDA tool that makes new guids, codes a passage, codes a whole text with
/// a code of its own in a category of its own → `import qdpx`: the codings come back,
/// no code is added twice, a dry run writes nothing, and importing again adds nothing.
#[test]
fn codings_made_in_a_qda_tool_come_back_with_import_qdpx() {
    let (tmp, journal) = demo();
    let exported = tmp.path().join("study.qdpx");
    ok(&journal, &["export", "-o", exported.to_str().unwrap()]);
    let mut members = zip_members(&exported);
    let text_of = |members: &[(String, Vec<u8>)], id: &str| {
        let name = format!("sources/{id}.txt");
        let found = members.iter().find(|(n, _)| *n == name).unwrap();
        String::from_utf8(found.1.clone()).unwrap()
    };
    let qde = String::from_utf8(members[0].1.clone()).unwrap();
    assert_eq!(members[0].0, "project.qde");
    let mut qde = new_guids(&qde);

    // The two entries coded in the "tool": an interview, and an observation.
    let listed = |code: &str| ids(&journal, &["list", "--code", code]);
    let interview = ids(&journal, &["list", "--kind", "interview"]).remove(0);
    let observation = ids(&journal, &["list", "--kind", "observation"]).remove(0);

    // A passage of the interview's body coded Humour, by code point positions.
    let text = text_of(&members, &interview);
    let chars: Vec<char> = text.chars().collect();
    let lead = text[..text.find("\n\n").unwrap() + 2].chars().count();
    let (start, end) = (lead + 12, lead + 52);
    let quote: String = chars[start..end].iter().collect();
    let humour = code_guid(&qde, "Humour");
    let at = source_tag_end(&qde, &interview);
    qde.insert_str(
        at,
        &format!(
            r#"<PlainTextSelection guid="{{0B0E3C52-1111-4C8B-9D43-000000000001}}" startPosition="{start}" endPosition="{end}"><Coding guid="{{0B0E3C52-1111-4C8B-9D43-000000000002}}"><CodeRef targetGUID="{humour}"/></Coding></PlainTextSelection>"#
        ),
    );
    // A category and a code made in the tool, coding the observation's whole text.
    let irony = "{0B0E3C52-1111-4C8B-9D43-0000000000A2}";
    let codes_end = qde.find("</Codes>").unwrap();
    qde.insert_str(
        codes_end,
        &format!(
            r##"<Code guid="{{0B0E3C52-1111-4C8B-9D43-0000000000A1}}" name="Tone" isCodable="false"><Description>How it sounds.</Description><Code guid="{irony}" name="Irony" isCodable="true" color="#AA00AA"/></Code>"##
        ),
    );
    let length = text_of(&members, &observation).chars().count();
    let at = source_tag_end(&qde, &observation);
    qde.insert_str(
        at,
        &format!(
            r#"<PlainTextSelection guid="{{0B0E3C52-1111-4C8B-9D43-000000000003}}" startPosition="0" endPosition="{length}"><Coding guid="{{0B0E3C52-1111-4C8B-9D43-000000000004}}"><CodeRef targetGUID="{irony}"/></Coding></PlainTextSelection>"#
        ),
    );
    // The tool's palette: QualCoder moves every colour to its nearest own.
    let humour_at = qde
        .find("name=\"Humour\" isCodable=\"true\" color=\"#")
        .unwrap();
    let colour_at = humour_at + qde[humour_at..].find('#').unwrap();
    qde.replace_range(colour_at..colour_at + 7, "#123456");
    members[0].1 = qde.into_bytes();
    // QualCoder writes its text files with a byte order mark, positions counted after it.
    let interview_file = format!("sources/{interview}.txt");
    let member = members
        .iter_mut()
        .find(|(n, _)| *n == interview_file)
        .unwrap();
    member.1.splice(0..0, "\u{feff}".bytes());
    let recoded = tmp.path().join("from-the-tool.qdpx");
    write_zip(&recoded, &members);
    let file = recoded.to_str().unwrap();

    // A dry run says what would change and writes nothing.
    let codebook_before = std::fs::read(journal.join("codebook.toml")).unwrap();
    let said = ok(&journal, &["import", "qdpx", file, "--dry-run"]);
    assert!(
        said.contains("would add 1 group(s) and 1 code(s)"),
        "{said}"
    );
    assert!(
        said.contains("Would add 2 coding(s) on 2 entries"),
        "{said}"
    );
    assert!(
        said.contains("by guid 0"),
        "QualCoder's guids are all new: {said}"
    );
    assert!(said.contains(&format!("{interview}  passage «")), "{said}");
    assert!(said.contains(&format!("{observation}  +irony")), "{said}");
    assert_eq!(
        std::fs::read(journal.join("codebook.toml")).unwrap(),
        codebook_before
    );

    ok(&journal, &["import", "qdpx", file]);
    let passages = ok(&journal, &["code", &interview, "--list"]);
    let line = passages
        .lines()
        .find(|l| l.contains("humour"))
        .unwrap_or_else(|| panic!("{passages}"));
    assert!(line.contains(&format!("«{quote}»")), "{line} / {quote}");
    assert_eq!(listed("irony"), vec![observation.clone()]);
    // No code twice: the 18 of the demo and Irony.
    let codebook = std::fs::read_to_string(journal.join("codebook.toml")).unwrap();
    assert_eq!(codebook.matches("name = \"Humour\"").count(), 1);
    assert!(
        !codebook.contains("#123456"),
        "the journal's colours stay the journal's"
    );
    assert_eq!(codebook.matches("[[code]]").count(), 19, "{codebook}");
    assert!(
        codebook.contains("name = \"Tone\"\ndescription = \"How it sounds.\""),
        "the category's description is the group's: {codebook}"
    );
    let check = fieldnote(&journal, &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Again: nothing new.
    let again = ok(&journal, &["import", "qdpx", file]);
    assert!(again.contains("Added 0 coding(s) on 0 entries"), "{again}");
    assert!(again.contains("added 0 group(s) and 0 code(s)"), "{again}");
}

/// The ids of the entries `list ARGS` gives, newest first.
fn ids(journal: &Path, args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    json(&ok(journal, &args))
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// What QualCoder needs to keep case links and comments (issue 17), checked against how
/// its REFI-QDA import reads them: a case's links are codings with a code that shares
/// the case's guid (`--for-qualcoder` only, since the standard asks for unique guids);
/// a comment on a text source is a note with its text inline and a selection, which
/// QualCoder turns into an annotation (without them it dropped the comment).
#[test]
fn qdpx_for_qualcoder_codes_cases_and_annotates_comments() {
    let (tmp, journal) = demo();
    // Two comments of one person on one entry: QualCoder's import stops at two
    // annotations of one author over the same range, or two notes of one name.
    let observed = ids(&journal, &["list", "--kind", "observation"]).remove(0);
    for text in ["First look.", "Second look."] {
        ok(&journal, &["--as", "Tester", "comment", &observed, text]);
    }
    let standard = tmp.path().join("standard.qdpx");
    let for_qualcoder = tmp.path().join("qualcoder.qdpx");
    ok(&journal, &["export", "-o", standard.to_str().unwrap()]);
    ok(
        &journal,
        &[
            "export",
            "--for-qualcoder",
            "-o",
            for_qualcoder.to_str().unwrap(),
        ],
    );
    validate(&standard);
    let qde_of = |file: &Path| {
        let texts = zip_texts(file);
        texts
            .into_iter()
            .find(|(n, _)| n == "project.qde")
            .unwrap()
            .1
    };
    let (plain, coded) = (qde_of(&standard), qde_of(&for_qualcoder));
    let cases: Vec<String> = coded
        .split("<Case guid=\"")
        .skip(1)
        .map(|s| s[..36].to_string())
        .collect();
    assert_eq!(cases.len(), 3, "the demo's three accounts");
    for guid in &cases {
        let code = format!("<Code guid=\"{guid}\"");
        assert!(coded.contains(&code), "case {guid} is also a code");
        assert!(!plain.contains(&code), "only when asked for");
    }
    // Every account of every text entry codes it: as many case codings as SourceRefs
    // from cases to text sources.
    let case_codings: usize = cases
        .iter()
        .map(|g| {
            coded
                .matches(&format!("<CodeRef targetGUID=\"{g}\"/>"))
                .count()
        })
        .sum();
    let text_sources: Vec<&str> = coded
        .split("<TextSource guid=\"")
        .skip(1)
        .map(|s| &s[..36])
        .collect();
    let links: usize = text_sources
        .iter()
        .map(|g| {
            coded
                .matches(&format!("<SourceRef targetGUID=\"{g}\"/>"))
                .count()
        })
        .sum();
    assert!(links > 40, "{links}");
    assert_eq!(case_codings, links);
    // Comments: on a text source, the text inline with a selection; on a memo, a file.
    let notes: Vec<&str> = plain
        .split("<Note guid=")
        .skip(1)
        .filter(|n| n.contains("name=\"Comment by"))
        .collect();
    assert_eq!(notes.len(), 5);
    let inline: Vec<&&str> = notes
        .iter()
        .filter(|n| n.contains("<PlainTextContent>"))
        .collect();
    assert_eq!(
        inline.len(),
        3,
        "the comments on the live entry and on {observed}"
    );
    assert!(inline.iter().any(|n| n.contains("resolved")));
    assert!(
        inline
            .iter()
            .all(|n| n.contains("<PlainTextSelection ") && !n.contains("plainTextPath"))
    );
    let attribute = |note: &str, name: &str| {
        let at = note.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        note[at..at + note[at..].find('"').unwrap()].to_string()
    };
    let testers: Vec<&&str> = inline
        .iter()
        .copied()
        .filter(|n| n.contains("Comment by Tester"))
        .collect();
    assert_eq!(testers.len(), 2);
    assert_ne!(attribute(testers[0], "name"), attribute(testers[1], "name"));
    let range = |note: &str| {
        (
            attribute(note, "startPosition"),
            attribute(note, "endPosition"),
        )
    };
    assert_ne!(
        range(testers[0]),
        range(testers[1]),
        "one author's annotations of one entry differ in range"
    );
    let names: std::collections::HashSet<String> = notes
        .iter()
        .map(|n| attribute(&format!(" {n}"), "name"))
        .collect();
    assert_eq!(names.len(), notes.len(), "note names are unique");
    let files = zip_texts(&standard)
        .iter()
        .filter(|(n, _)| n.contains("-comment-"))
        .count();
    assert_eq!(files, 2, "the comments on the memo keep their files");
    // Reading the QualCoder export back: case codes are neither codes nor codings.
    let said = ok(
        &journal,
        &[
            "codes",
            "import",
            for_qualcoder.to_str().unwrap(),
            "--dry-run",
        ],
    );
    assert!(said.contains("would add 0 groups and 0 codes"), "{said}");
    let out = fieldnote(
        &journal,
        &[
            "import",
            "qdpx",
            for_qualcoder.to_str().unwrap(),
            "--dry-run",
        ],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Would add 0 coding(s) on 0 entries"),
        "{said}"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
