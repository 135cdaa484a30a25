//! Paths from journal files are untrusted: a screenshot path with `..`, an absolute path,
//! a link leading out of the journal, a pipe, a name with odd characters. For reading
//! (check, preview, viewer) they are refused; for attaching they are contained (copied
//! in under a safe name), and a media folder that leads outside is refused.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(unix)]

mod common;

use common::{TempJournal, stdout};
use fieldnote::store::{StoreError, media};

const ID: &str = "20260314-210512-0001";

fn entry_with_screenshot(j: &TempJournal, path: &str) {
    j.write(
        &format!("entries/2026/03/{ID}.toml"),
        &format!(
            "id = \"{ID}\"\nobserved_at = 2026-03-14T21:05:12+07:00\nbody = \"b\"\n\n\
             [[screenshots]]\npath = \"{path}\"\n"
        ),
    );
}

#[test]
fn screenshot_paths_leaving_the_journal_are_reported_at_their_place() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.path(), j.path("media/out")).unwrap();
    let c = std::ffi::CString::new(j.path("media/pipe.png").to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let cases = [
        ("../outside.png", "`..` would leave the journal"),
        ("media/../../outside.png", "`..` would leave the journal"),
        ("/etc/passwd", "absolute paths are not allowed"),
        ("C:\\\\Windows\\\\x.png", "absolute paths are not allowed"),
        ("media\\\\x.png", "use `/` between folders"),
        ("media/out/secret.png", "outside the journal folder"),
        ("media/pipe.png", "not a regular file"),
        ("media/nul\\u0000.png", "cannot be read"),
        ("", "the path is empty"),
    ];
    for (path, reason) in cases {
        entry_with_screenshot(&j, path);
        let out = j.run(&["check"]);
        let printed = stdout(&out);
        let want = format!("entries/2026/03/{ID}.toml:6:8: ");
        let line = printed
            .lines()
            .find(|l| l.starts_with(&want))
            .unwrap_or_else(|| panic!("{path}: no report at {want}\n{printed}"));
        assert!(line.contains(reason), "{path}: {line}");
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn reading_through_the_store_never_leaves_the_journal() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), j.path("media/out")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", j.path("media/passwd.png")).unwrap();
    for rel in [
        "../x",
        "/etc/passwd",
        "media/out/x.png",
        "media/passwd.png",
        "media/out/../../x",
    ] {
        let result = media::resolve_inside(&j.root, rel);
        assert!(
            matches!(result, Err(StoreError::UnsafePath { .. })),
            "{rel}: {result:?}"
        );
    }
    assert!(media::resolve_inside(&j.root, "media/2026/03/new.png").is_ok());
}

#[test]
fn attaching_copies_in_under_a_safe_name() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    let odd = outside
        .path()
        .join("..Screen shot\u{1b}[2J\nof\u{202e}gnp.png");
    std::fs::write(&odd, b"\x89PNG odd").unwrap();
    let id = j.ok(&[
        "add",
        "--at",
        "2026-04-02 10:00",
        "-s",
        odd.to_str().unwrap(),
        "one",
    ]);
    let shown = j.ok(&["show", id.trim(), "--format", "json"]);
    let entry: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let path = entry["screenshots"][0]["path"].as_str().unwrap();
    assert!(path.starts_with("media/2026/04/"), "{path}");
    let name = path.rsplit('/').next().unwrap();
    assert!(
        name.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')),
        "{name:?}"
    );
    assert!(!name.starts_with('.'));
    assert!(j.path(path).is_file());
    j.ok(&["check"]);
}

#[test]
fn attaching_into_a_media_folder_that_leads_outside_is_refused() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(j.path("media")).unwrap();
    std::os::unix::fs::symlink(outside.path(), j.path("media")).unwrap();
    let shot = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(shot.path(), b"\x89PNG").unwrap();
    let out = j.run(&[
        "add",
        "--at",
        "2026-04-02 10:00",
        "-s",
        shot.path().to_str().unwrap(),
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out).contains("outside the journal"),
        "{}",
        common::stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing was written outside"
    );
    assert_eq!(j.ok(&["list"]), "", "and no entry refers to it");
}

/// Every file a folder holds (recursively), with its bytes.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out
}

/// Exporting reads screenshots to put them in a `.qdpx` or beside a report: a path
/// leaving the journal (absolute, `..`, a link out) is left out with a warning, so that
/// a journal from someone else's repository cannot carry this machine's files into an
/// export that is then shared. (Before, `/home/me/.ssh/id_ed25519` went into the zip.)
#[test]
fn exporting_never_reads_outside_the_journal() {
    let j = TempJournal::init();
    let outside = tempfile::tempdir().unwrap();
    let secret = b"SECRET-FROM-OUTSIDE";
    std::fs::write(outside.path().join("secret.png"), secret).unwrap();
    // Beside the journal folder, where `..` leads.
    std::fs::write(j.root.parent().unwrap().join("secret.png"), secret).unwrap();
    std::os::unix::fs::symlink(outside.path(), j.path("media/out")).unwrap();
    std::fs::write(j.path("media/ok.png"), b"INSIDE-OK").unwrap();
    let absolute = outside.path().join("secret.png");
    j.write(
        &format!("entries/2026/03/{ID}.toml"),
        &format!(
            "id = \"{ID}\"\nobserved_at = 2026-03-14T21:05:12+07:00\nbody = \"b\"\n\n\
             [[screenshots]]\npath = \"{}\"\n\n\
             [[screenshots]]\npath = \"../secret.png\"\n\n\
             [[screenshots]]\npath = \"media/out/secret.png\"\n\n\
             [[screenshots]]\npath = \"media/\\u001b]2;PWNED\\u0007/../../secret.png\"\n\n\
             [[screenshots]]\npath = \"media/ok.png\"\n",
            absolute.display()
        ),
    );
    let into = tempfile::tempdir().unwrap();
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let export = |args: &[&str]| {
        let out = j.run(args);
        assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        let err = common::stderr(&out);
        assert_eq!(
            err.matches("is left out").count(),
            4,
            "{args:?} warns of each: {err}"
        );
        assert!(
            !err.chars().any(fieldnote::model::text::is_unsafe),
            "{err:?}"
        );
    };

    // A REFI-QDA project holds copies of the screenshots.
    let qdpx = into.path().join("project.qdpx");
    export(&["export", "-o", qdpx.to_str().unwrap()]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&qdpx).unwrap()).unwrap();
    let mut inside = 0;
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut member, &mut bytes).unwrap();
        assert!(!has(&bytes, secret), "{} carries the secret", member.name());
        inside += usize::from(has(&bytes, b"INSIDE-OK"));
    }
    assert_eq!(inside, 1, "the screenshot inside the journal is exported");

    // A pseudonymised report copies them beside it.
    let report = into.path().join("pseudo.md");
    export(&["export", "--pseudonymise", "-o", report.to_str().unwrap()]);
    let copies = files_under(&into.path().join("pseudo-media"));
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0].1, b"INSIDE-OK");

    // A plain report links to the journal's files: never to one outside it.
    let report = into.path().join("report.md");
    export(&["export", "-o", report.to_str().unwrap()]);
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains("secret"), "{text}");
    assert!(text.contains("media/ok.png)"), "{text}");
    assert!(
        files_under(into.path())
            .iter()
            .all(|(_, b)| !has(b, secret)),
        "no export holds the secret"
    );
}
