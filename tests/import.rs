//! `fieldnote import` end to end: the real binary on temporary journals, with the
//! samples in tests/data/interop (copies of the shared capture samples).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_fieldnote");

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
}

/// Every file in the samples folder.
const ALL_SAMPLES: [&str; 5] = [
    "tiktok.ndjson",
    "instagram.ndjson",
    "tiktok_4cat.ndjson",
    "tiktok_4cat.csv",
    "broken.ndjson",
];

const MAPPING: &str = r#"
[import.hashtags]
grwm = "daily-life"
dailyvlog = "daily-life"
curhat = "curhat"
komedi = "humour"
duet = "duet"
stitch = "stitch"
ad = "promotion"
"#;

/// A fresh journal (Asia/Jakarta, starter codebook, a hashtag mapping), no git.
fn journal() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("init")
        .arg(dir.path())
        .args(["--no-git", "--timezone", "Asia/Jakarta", "--title", "t"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let settings = dir.path().join("journal.toml");
    let mut toml = std::fs::read_to_string(&settings).unwrap();
    toml.push_str(MAPPING);
    std::fs::write(settings, toml).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("-J")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Run and require success; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    succeeded(run(dir, args))
}

/// The stdout of a command that must have succeeded.
fn succeeded(out: Output) -> String {
    assert!(
        out.status.success(),
        "fieldnote failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn import(dir: &Path, name: &str) -> String {
    let source = if name.ends_with(".csv") {
        "4cat-csv"
    } else {
        "zeeschuimer"
    };
    let path = sample(name);
    ok(dir, &["import", source, path.to_str().unwrap()])
}

fn import_path(dir: &Path, path: &Path) -> Output {
    import_with(dir, path, &[])
}

/// `import zeeschuimer PATH` with more arguments (global ones first).
fn import_with(dir: &Path, path: &Path, extra: &[&str]) -> Output {
    let (global, rest): (Vec<&str>, Vec<&str>) = extra.iter().partition(|a| **a == "--read-only");
    let mut args = global;
    args.extend(["import", "zeeschuimer", path.to_str().unwrap()]);
    args.extend(rest);
    run(dir, &args)
}

fn check_strict(dir: &Path) {
    let out = run(dir, &["check", "--strict"]);
    assert!(
        out.status.success(),
        "check failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn entries(dir: &Path) -> Vec<Value> {
    serde_json::from_str(&ok(dir, &["list", "--format", "json"])).unwrap()
}

fn entry_with(dir: &Path, source_id: &str) -> Value {
    entries(dir)
        .into_iter()
        .find(|e| e["source_id"] == source_id)
        .unwrap_or_else(|| panic!("no entry for {source_id}"))
}

/// The number on a summary line (`  new   12`).
fn count(summary: &str, label: &str) -> usize {
    summary
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some(label)).then(|| words.next()?.parse().ok())?
        })
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{summary}"))
}

/// The path of the entry file holding `source_id`.
fn entry_file(dir: &Path, source_id: &str) -> PathBuf {
    let id = entry_with(dir, source_id)["id"]
        .as_str()
        .unwrap()
        .to_string();
    let month = format!("{}/{}", &id[..4], &id[4..6]);
    dir.join("entries").join(month).join(format!("{id}.toml"))
}

/// Every file of the journal with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in std::fs::read_dir(&d).unwrap().flatten() {
            let path = item.path();
            // Not journal content: git's folder, and the load cache that opening writes.
            if item.file_name() == ".git" || item.file_name() == ".fieldnote" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = item.metadata().unwrap();
                files.insert(
                    path.clone(),
                    (std::fs::read(&path).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    files
}

/// A copy of the first line of tiktok.ndjson captured `days` later, with other numbers.
fn later_capture(days: u64, extra_views: u64) -> tempfile::NamedTempFile {
    let line = std::fs::read_to_string(sample("tiktok.ndjson"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let mut v: Value = serde_json::from_str(&line).unwrap();
    let shift = days * 86_400_000;
    for key in ["timestamp_collected", "last_updated"] {
        v[key] = Value::from(v[key].as_u64().unwrap() + shift);
    }
    let stats = &mut v["data"]["stats"];
    stats["playCount"] = Value::from(stats["playCount"].as_u64().unwrap() + extra_views);
    stats["diggCount"] = Value::from(500);
    v["data"]["desc"] = Value::from("the author edited the caption #curhat");
    v["data"]["authorStats"]["followerCount"] = Value::from(42000);
    let file = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    std::fs::write(file.path(), format!("{v}\n")).unwrap();
    file
}

const GRWM: &str = "tiktok:7616337661355569196";

#[test]
fn every_sample_imports_into_a_fresh_journal() {
    let mut present: Vec<String> = std::fs::read_dir(sample(""))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    let mut known = ALL_SAMPLES.map(String::from).to_vec();
    known.sort();
    assert_eq!(present, known, "a new sample needs its place in this test");
    for (name, expected) in [
        ("tiktok.ndjson", 12),
        ("instagram.ndjson", 7),
        ("tiktok_4cat.ndjson", 2),
        ("tiktok_4cat.csv", 6),
        ("broken.ndjson", 2),
    ] {
        let dir = journal();
        let out = import(dir.path(), name);
        assert_eq!(count(&out, "new"), expected, "{name}:\n{out}");
        assert_eq!(entries(dir.path()).len(), expected, "{name}");
        check_strict(dir.path());
    }
    // All of them into one journal: the same posts from different files meet.
    let dir = journal();
    for name in ALL_SAMPLES {
        import(dir.path(), name);
    }
    assert_eq!(entries(dir.path()).len(), 12 + 7);
    check_strict(dir.path());
}

#[test]
fn imported_entries_carry_what_the_issue_asks() {
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    let e = entry_with(dir.path(), GRWM);
    assert_eq!(e["kind"], "content");
    assert_eq!(e["observed_at"], "2026-03-12T18:59:59+07:00");
    assert_eq!(e["accounts"], serde_json::json!(["sari.contoh"]));
    assert_eq!(e["codes"], serde_json::json!(["daily-life"]));
    assert_eq!(
        e["url"],
        "https://www.tiktok.com/@sari.contoh/video/7616337661355569196"
    );
    assert_eq!(
        e["title"],
        "GRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas"
    );
    assert_eq!(e["body"], e["title"]);
    let m = &e["metrics"];
    assert_eq!(
        (
            &m["views"],
            &m["likes"],
            &m["comments"],
            &m["shares"],
            &m["saves"]
        ),
        (
            &Value::from(6120),
            &Value::from(402),
            &Value::from(37),
            &Value::from(11),
            &Value::from(19)
        )
    );
    assert_eq!(m["metrics_at"], "2026-03-12T22:20:11+07:00");
    // L3 and L9 are one post; L3's newer numbers win.
    let pasar = entry_with(dir.path(), "tiktok:7612626470948202841");
    assert_eq!(pasar["metrics"]["views"], 47890);
    // The photo post's URL.
    let photo = entry_with(dir.path(), "tiktok:7615598637211420261");
    assert!(photo["url"].as_str().unwrap().contains("/photo/"));

    let account = std::fs::read_to_string(dir.path().join("accounts/ketawa.contoh.toml")).unwrap();
    assert_eq!(
        account,
        "handle = \"ketawa.contoh\"\nplatform = \"tiktok\"\ndisplay_name = \"Eko Ngakak\"\nurl = \"https://www.tiktok.com/@ketawa.contoh\"\n\n[[followers]]\ndate = 2023-08-20\ncount = 23900\n\n[[followers]]\ndate = 2026-03-12\ncount = 59800\n"
    );
}

#[test]
fn reimport_is_a_no_op() {
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    import(dir.path(), "instagram.ndjson");
    let before = snapshot(dir.path());
    for name in ALL_SAMPLES {
        let out = import(dir.path(), name);
        assert_eq!(count(&out, "new"), 0, "{name}:\n{out}");
        assert_eq!(count(&out, "updated"), 0, "{name}:\n{out}");
        assert!(
            out.contains("Accounts: 0 new, 0 updated."),
            "{name}:\n{out}"
        );
    }
    assert_eq!(snapshot(dir.path()), before, "nothing on disk changed");
}

#[test]
fn reimport_leaves_git_status_clean() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("init")
        .arg(dir.path())
        .args(["--timezone", "Asia/Jakarta"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .output()
            .unwrap()
    };
    import(dir.path(), "tiktok.ndjson");
    git(&["add", "-A"]);
    assert!(git(&["commit", "-qm", "import"]).status.success());
    import(dir.path(), "tiktok.ndjson");
    let status = git(&["status", "--porcelain"]);
    assert_eq!(text(&status.stdout), "", "git status after re-import");
}

#[test]
fn a_later_capture_updates_metrics_only() {
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    let file = entry_file(dir.path(), GRWM);
    let before = std::fs::read_to_string(&file).unwrap();
    let later = later_capture(3, 1000);
    let out = import_path(dir.path(), later.path());
    assert!(out.status.success());
    assert_eq!(count(&text(&out.stdout), "updated"), 1);
    let after = std::fs::read_to_string(&file).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            ("views = 6120", "views = 7120"),
            ("likes = 402", "likes = 500"),
            (
                "metrics_at = 2026-03-12T22:20:11+07:00",
                "metrics_at = 2026-03-15T22:20:11+07:00"
            ),
        ]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    // The follower count of the later day joins the history.
    let account = std::fs::read_to_string(dir.path().join("accounts/sari.contoh.toml")).unwrap();
    assert!(
        account.ends_with("[[followers]]\ndate = 2026-03-15\ncount = 42000\n"),
        "{account}"
    );
    // Importing the older file again does not bring the old numbers back.
    import(dir.path(), "tiktok.ndjson");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
    check_strict(dir.path());
}

#[test]
fn researcher_edits_survive_reimport() {
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    let file = entry_file(dir.path(), GRWM);
    let id = file.file_stem().unwrap().to_str().unwrap().to_string();
    // A screenshot, a comment by a reviewer, and edits by hand.
    let shot = dir.path().join("media/grwm.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    std::fs::write(&shot, b"\x89PNG not really").unwrap();
    let sha = fieldnote::store::check::sha256_hex(&std::fs::read(&shot).unwrap());
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = original
        .replace(
            "title = \"GRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas\"",
            "title = \"GRWM for a cousin's wedding\"  # my translation",
        )
        .replace("codes = [\"daily-life\"]", "codes = [\"daily-life\", \"authenticity\"]")
        .replace(
            "body = \"GRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas\"",
            &format!(
                "body = \"\"\"\nGRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas\n\nShe answers the first ten comments by name.\n\"\"\"\n\n[[screenshots]]\npath = \"media/grwm.png\"\nsha256 = \"{sha}\"\ncaption = \"comments\""
            ),
        )
        .replace("saves = 19\n", "saves = 19\nreplied_comments = 12\n");
    assert_ne!(edited, original);
    std::fs::write(&file, &edited).unwrap();
    let comment_dir = dir.path().join("comments").join(&id);
    std::fs::create_dir_all(&comment_dir).unwrap();
    std::fs::write(
        comment_dir.join("20260320-091500-ayu.toml"),
        format!("entry = \"{id}\"\nauthor = \"ayu\"\nat = 2026-03-20T09:15:00+07:00\nbody = \"Member-check this.\"\nresolved = false\n"),
    )
    .unwrap();
    check_strict(dir.path());

    // The same file again: nothing changes.
    import(dir.path(), "tiktok.ndjson");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    // A later capture: only the counts and their time change.
    let later = later_capture(3, 1000);
    assert!(import_path(dir.path(), later.path()).status.success());
    let after = std::fs::read_to_string(&file).unwrap();
    let expected = edited
        .replace("views = 6120", "views = 7120")
        .replace("likes = 402", "likes = 500")
        .replace("2026-03-12T22:20:11+07:00", "2026-03-15T22:20:11+07:00");
    assert_eq!(after, expected);
    check_strict(dir.path());
    assert!(ok(dir.path(), &["show", &id]).contains("Member-check this."));
}

#[test]
fn broken_lines_are_reported_with_their_numbers() {
    let dir = journal();
    let path = sample("broken.ndjson");
    let out = import_path(dir.path(), &path);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    let shown = path.display().to_string();
    let reported: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&shown)).collect();
    assert_eq!(reported.len(), 3, "{stderr}");
    assert!(reported[0].starts_with(&format!("{shown}:2: skipped: truncated JSON")));
    assert!(reported[1].starts_with(&format!("{shown}:3: skipped: not a capture record")));
    assert!(reported[2].starts_with(&format!("{shown}:4: skipped: empty line")));
    let stdout = text(&out.stdout);
    assert_eq!(count(&stdout, "new"), 2, "{stdout}");
    assert!(stdout.contains("skipped          3  (1 empty line, 1 invalid or truncated JSON, 1 not a capture record)"), "{stdout}");
    let ids: Vec<String> = entries(dir.path())
        .iter()
        .map(|e| e["source_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, [GRWM, "tiktok:7614482251893159543"]);
    check_strict(dir.path());
}

#[test]
fn dry_run_shows_changes_and_writes_nothing() {
    let dir = journal();
    let before = snapshot(dir.path());
    let path = sample("tiktok.ndjson");
    let out = succeeded(import_with(dir.path(), &path, &["--dry-run"]));
    assert_eq!(snapshot(dir.path()), before);
    assert!(out.contains("new account  @ketawa.contoh  tiktok  Eko Ngakak  followers: 2023-08-20 23900, 2026-03-12 59800"), "{out}");
    assert!(
        out.contains(&format!("@sari.contoh  {GRWM}  GRWM ke kondangan")),
        "{out}"
    );
    assert!(out.ends_with("Dry run: nothing was written.\n"), "{out}");

    import(dir.path(), "tiktok.ndjson");
    let later = later_capture(3, 1000);
    let out = succeeded(import_with(dir.path(), later.path(), &["-n"]));
    assert!(
        out.contains("update account  @sari.contoh  followers 2026-03-15: 42000"),
        "{out}"
    );
    assert!(
        out.contains(
            "views 6120 → 7120; likes 402 → 500; metrics_at 2026-03-12 22:20 → 2026-03-15 22:20"
        ),
        "{out}"
    );
}

#[test]
fn hashtags_map_to_codes_and_the_rest_are_listed() {
    let dir = journal();
    let settings = dir.path().join("journal.toml");
    let mut toml = std::fs::read_to_string(&settings).unwrap();
    toml.push_str("fyp = \"no-such-code\"\n");
    std::fs::write(&settings, toml).unwrap();
    let out = import_path(dir.path(), &sample("tiktok.ndjson"));
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("note: journal.toml: [import.hashtags] maps #fyp to `no-such-code`"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Unmapped hashtags (15; map them to codes under [import.hashtags] in journal.toml):"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("#skincare (2), #17agustus (1)"), "{stdout}");
    let duet = entry_with(dir.path(), "tiktok:7614843704051350997");
    assert_eq!(duet["codes"], serde_json::json!(["duet", "humour"]));
    check_strict(dir.path());

    // Mapped later: --apply-mapping codes the posts imported before, adding only.
    let mut toml = std::fs::read_to_string(&settings).unwrap();
    toml.push_str("kondangan = \"daily-life\"\nskincare = \"promotion\"\n");
    std::fs::write(&settings, toml).unwrap();
    let plain = import(dir.path(), "tiktok.ndjson");
    assert_eq!(count(&plain, "updated"), 0, "{plain}");
    let path = sample("tiktok.ndjson");
    let out = succeeded(import_with(dir.path(), &path, &["--apply-mapping"]));
    assert_eq!(count(&out, "updated"), 2, "{out}");
    let review = entry_with(dir.path(), "tiktok:7613017225579924798");
    assert_eq!(review["codes"], serde_json::json!(["promotion"]));
}

#[test]
fn options_select_what_is_imported() {
    let dir = journal();
    let path = sample("tiktok.ndjson");
    let selection = [
        "--account",
        "@ketawa.contoh",
        "--since",
        "2026-01-01",
        "--until",
        "2026-03-09",
    ];
    let out = succeeded(import_with(dir.path(), &path, &selection));
    assert!(out.contains("11 captures left out by"), "{out}");
    let ids: Vec<String> = entries(dir.path())
        .iter()
        .map(|e| e["source_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["tiktok:7614143588574922811", "tiktok:7611168312151667854"]
    );
    let out = succeeded(import_with(dir.path(), &path, &["--platform", "instagram"]));
    assert!(out.contains("13 captures left out"), "{out}");
}

#[test]
fn wrong_input_is_refused_clearly() {
    let dir = journal();
    let csv = sample("tiktok_4cat.csv");
    let out = import_path(dir.path(), &csv);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("hint: `fieldnote import 4cat-csv"));
    let out = import_path(dir.path(), Path::new("/no/such/file.ndjson"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read /no/such/file.ndjson"));
    let ndjson = sample("tiktok.ndjson");
    let out = run(
        dir.path(),
        &["import", "4cat-csv", ndjson.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("tiktok.ndjson:1: not a 4CAT or Zeeschuimer CSV"),
        "{}",
        text(&out.stderr)
    );
    let out = import_with(dir.path(), &ndjson, &["--read-only"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(entries(dir.path()).is_empty());
}

/// A file in the journal's temporary folder.
fn written(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_csv_that_is_not_4cats_is_refused_naming_what_is_missing() {
    // The shape of a third-party decoder's CSV: `author` holds display names.
    let dir = journal();
    let files = tempfile::tempdir().unwrap();
    let csv = written(
        files.path(),
        "decoded.csv",
        "index,id,url,description,author,author_followers,digg_count,share_count,comment_count,play_count\n\
         0,7616337661355569196,https://www.tiktok.com/@sari.contoh/video/7616337661355569196,GRWM,Sari harian,41250,5120,10,418,73400\n",
    );
    let out = run(dir.path(), &["import", "4cat-csv", csv.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("decoded.csv:1: not a 4CAT or Zeeschuimer CSV"),
        "{err}"
    );
    for missing in [
        "`author_full`",
        "`body`",
        "`timestamp`",
        "`likes`",
        "`plays`",
    ] {
        assert!(err.contains(missing), "{missing}: {err}");
    }
    assert!(!err.contains("`id`") && !err.contains("`author`,"), "{err}");
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn a_file_that_gives_nothing_fails() {
    let dir = journal();
    let files = tempfile::tempdir().unwrap();
    let line = r#"{"item_id":"1","timestamp_collected":1773328811036,"source_platform":"twitter.com","data":{"id":"1"}}"#;
    let twitter = written(files.path(), "x.ndjson", &format!("{line}\n{line}\n"));
    let out = import_path(dir.path(), &twitter);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing to import from"), "{err}");
    assert!(err.contains("2 platform not imported"), "{err}");
    // The dry run says so too.
    let out = import_with(dir.path(), &twitter, &["--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    // An empty file is not an error: there was nothing to import.
    let empty = written(files.path(), "empty.ndjson", "\n");
    assert!(import_path(dir.path(), &empty).status.success());
    // One good file next to the empty-handed one: the good one imports, and the
    // command still fails, naming the other.
    let good = sample("tiktok.ndjson");
    let out = run(
        dir.path(),
        &[
            "import",
            "zeeschuimer",
            good.to_str().unwrap(),
            twitter.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("x.ndjson"));
    assert_eq!(entries(dir.path()).len(), 12);
}

#[test]
fn a_pseudonymised_file_makes_no_hashed_accounts() {
    let dir = journal();
    let files = tempfile::tempdir().unwrap();
    let hash = "c30247a7dff1a04c4c15797114f07c5be7e4e8f6475fbc85";
    let clear = std::fs::read_to_string(sample("tiktok.ndjson")).unwrap();
    let hashed = written(
        files.path(),
        "pseudo.ndjson",
        &clear
            .replace("sari.contoh", hash)
            .replace("ketawa.contoh", hash)
            .replace("glowkit.contoh", hash),
    );
    // Alone: nothing is imported, and the command says why.
    let out = import_path(dir.path(), &hashed);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--pseudonymised"), "{err}");
    assert!(entries(dir.path()).is_empty());
    assert!(!dir.path().join(format!("accounts/{hash}.toml")).exists());
    // On top of the same posts in clear: no account named by a hash appears.
    import(dir.path(), "tiktok.ndjson");
    assert!(import_path(dir.path(), &hashed).status.success());
    assert!(!dir.path().join(format!("accounts/{hash}.toml")).exists());
    // Asked for: imported under the hash.
    let fresh = journal();
    assert!(
        import_with(fresh.path(), &hashed, &["--pseudonymised"])
            .status
            .success()
    );
    assert!(fresh.path().join(format!("accounts/{hash}.toml")).exists());
}

#[test]
fn a_pretty_printed_record_imports() {
    let dir = journal();
    let files = tempfile::tempdir().unwrap();
    let first = std::fs::read_to_string(sample("tiktok.ndjson")).unwrap();
    let value: Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    let doc = written(
        files.path(),
        "one.json",
        &serde_json::to_string_pretty(&value).unwrap(),
    );
    let out = import_path(dir.path(), &doc);
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("skipped"), "{err}");
    assert_eq!(entries(dir.path()).len(), 1);
}

#[test]
fn hostile_captions_are_stored_as_they_are() {
    let dir = journal();
    let line = r#"{"item_id":"7616337661355569196","timestamp_collected":1773328811036,"source_platform":"tiktok.com","data":{"id":"7616337661355569196","createTime":1773316799,"author":{"uniqueId":"sari.contoh"},"desc":"red\u001b[31m bell\u0007 \"quoted\" '''\"\"\" back\\slash\r\nline two\u0000end","stats":{"playCount":1}}}"#;
    let file = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    std::fs::write(file.path(), format!("{line}\n")).unwrap();
    let out = import_path(dir.path(), file.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let e = entry_with(dir.path(), GRWM);
    assert_eq!(
        e["body"],
        "red\u{1b}[31m bell\u{7} \"quoted\" '''\"\"\" back\\slash\r\nline two\u{0}end"
    );
    check_strict(dir.path());
    // The terminal never sees the escape.
    let shown = ok(dir.path(), &["list"]);
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    // And a re-import changes nothing.
    let before = snapshot(dir.path());
    assert!(import_path(dir.path(), file.path()).status.success());
    assert_eq!(snapshot(dir.path()), before);
}

/// Copies of the TikTok sample's lines with new post ids and `accounts` handles.
fn replicated(lines: usize, accounts: usize) -> String {
    let source = std::fs::read_to_string(sample("tiktok.ndjson")).unwrap();
    let originals: Vec<(&str, String, String)> = source
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let id = v["item_id"].as_str().unwrap().to_string();
            let author = &v["data"]["author"];
            let handle = author["uniqueId"]
                .as_str()
                .or(author.as_str())
                .unwrap()
                .to_string();
            (l, id, handle)
        })
        .collect();
    let mut out = String::new();
    for i in 0..lines {
        let (line, id, handle) = &originals[i % originals.len()];
        let n: u64 = id.parse().unwrap();
        let new_id = ((n >> 32) << 32 | i as u64).to_string();
        let new_handle = format!("{handle}{}", i % accounts);
        out.push_str(
            &line
                .replace(id.as_str(), &new_id)
                .replace(handle.as_str(), &new_handle),
        );
        out.push('\n');
    }
    out
}

#[test]
fn a_bigger_file_imports_and_reimports() {
    let dir = journal();
    let file = tempfile::Builder::new()
        .suffix(".ndjson")
        .tempfile()
        .unwrap();
    std::fs::write(file.path(), replicated(1500, 20)).unwrap();
    let out = import_path(dir.path(), file.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(count(&stdout, "new"), 1500, "{stdout}");
    assert!(stdout.contains("Accounts: 60 new, 0 updated."), "{stdout}");
    check_strict(dir.path());
    let before = snapshot(dir.path());
    let again = import_path(dir.path(), file.path());
    assert_eq!(count(&text(&again.stdout), "unchanged"), 1500);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn engagement_and_reply_shares_from_imported_metrics() {
    // What `stats` will show per account: (likes + comments + shares) / views over the
    // account's imported posts, and replied / comments once the researcher counts replies.
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    let mut per_account: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for e in entries(dir.path()) {
        let m = &e["metrics"];
        if m.is_null() {
            continue;
        }
        let n = |k: &str| m[k].as_u64().unwrap_or(0);
        let slot = per_account
            .entry(e["accounts"][0].as_str().unwrap().to_string())
            .or_default();
        slot.0 += n("likes") + n("comments") + n("shares");
        slot.1 += n("views");
    }
    let rates: Vec<(String, f64)> = per_account
        .into_iter()
        .map(|(a, (engaged, views))| (a, (engaged as f64 * 1000.0 / views as f64).round() / 10.0))
        .collect();
    assert_eq!(
        rates,
        [
            ("glowkit.contoh".to_string(), 8.8),
            ("ketawa.contoh".to_string(), 5.5),
            ("sari.contoh".to_string(), 7.0)
        ]
    );
    let file = entry_file(dir.path(), "tiktok:7613748096618570196");
    let toml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        toml.replace("saves = 97\n", "saves = 97\nreplied_comments = 183\n"),
    )
    .unwrap();
    import(dir.path(), "tiktok.ndjson");
    let m = &entry_with(dir.path(), "tiktok:7613748096618570196")["metrics"];
    let share = m["replied_comments"].as_f64().unwrap() / m["comments"].as_f64().unwrap();
    assert_eq!((share * 100.0).round(), 30.0);
}

#[test]
fn an_account_file_that_does_not_parse_is_never_overwritten() {
    let dir = journal();
    let broken = dir.path().join("accounts/sari.contoh.toml");
    std::fs::write(
        &broken,
        "handle = \"sari.contoh\"\nnotes = \"\"\"unclosed\n",
    )
    .unwrap();
    let out = import_path(dir.path(), &sample("tiktok.ndjson"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("accounts/sari.contoh.toml could not be read as a journal file, so it was not overwritten"), "{stderr}");
    assert!(stderr.contains("post tiktok:7616337661355569196 was not imported: its account @sari.contoh could not be saved"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "handle = \"sari.contoh\"\nnotes = \"\"\"unclosed\n"
    );
    let accounts: Vec<String> = entries(dir.path())
        .iter()
        .map(|e| e["accounts"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(accounts.len(), 8, "the other accounts' posts are in");
    assert!(!accounts.contains(&"sari.contoh".to_string()));
}

/// An entry deleted into the trash is not made again by importing its post again; the
/// summary says so, and restore brings it back.
#[test]
fn a_deleted_post_stays_deleted_on_reimport() {
    let dir = journal();
    import(dir.path(), "tiktok.ndjson");
    let all = entries(dir.path());
    let gone = all[0]["id"].as_str().unwrap().to_string();
    let source = all[0]["source_id"].as_str().unwrap().to_string();
    ok(dir.path(), &["rm", &gone, "--yes"]);
    let out = import(dir.path(), "tiktok.ndjson");
    assert_eq!(count(&out, "new"), 0, "{out}");
    assert!(
        out.contains("1 post left out: deleted into the trash"),
        "{out}"
    );
    assert!(
        entries(dir.path())
            .iter()
            .all(|e| e["source_id"] != source.as_str()),
        "the post did not come back"
    );
    ok(dir.path(), &["restore", &gone]);
    assert_eq!(entry_with(dir.path(), &source)["id"], gone.as_str());
    // Restored, it is in the journal again: a re-import updates it as any other.
    let out = import(dir.path(), "tiktok.ndjson");
    assert!(!out.contains("left out: deleted"), "{out}");
    check_strict(dir.path());
}
