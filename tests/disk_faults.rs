//! Saving when the disk says no: a full disk (ENOSPC, on a small tmpfs), the file-size
//! limit (EFBIG, `ulimit -f`), a read-only folder, a file without permissions, a
//! read-only file. Each time: a clear message, the old file byte for byte, no temporary
//! left behind, and (in the interface) the program keeps running with the text kept.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
#![cfg(unix)]

mod common;
#[path = "support/tmux.rs"]
mod tmux;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{BIN, TempJournal, stderr};

const NOBODY: u32 = 65534;

/// A text long enough to go past the limits below.
fn long_text() -> String {
    "a line of field notes that goes on and on, ".repeat(3_000)
}

fn fieldnote(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.arg("-J")
        .arg(root)
        .args(args)
        .env("EDITOR", "false")
        .stdin(Stdio::null());
    c
}

fn entry_file(root: &Path, id: &str) -> PathBuf {
    root.join(format!("entries/{}/{}/{id}.toml", &id[..4], &id[4..6]))
}

/// Every temporary file anywhere in the journal.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        let path = item.path();
        if item.file_type().unwrap().is_dir() {
            found.extend(temporaries(&path));
        } else if item
            .file_name()
            .to_string_lossy()
            .starts_with(".fieldnote-tmp-")
        {
            found.push(path);
        }
    }
    found
}

/// The save was refused with `reason`, and nothing changed on disk.
fn refused(out: &Output, reason: &str, path: &Path, before: &[u8], root: &Path) {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    let err = stderr(out);
    assert!(err.contains(reason), "expected {reason:?} in: {err}");
    assert!(
        std::fs::read(path).unwrap() == before,
        "the old file changed"
    );
    assert!(temporaries(root).is_empty(), "temporaries left");
    eprintln!("refused as expected: {}", err.trim());
}

fn add_one(j: &TempJournal) -> String {
    j.ok(&[
        "add",
        "--at",
        "2026-03-14 21:05",
        "--title",
        "before",
        "body",
    ])
    .trim()
    .to_string()
}

#[test]
fn the_file_size_limit_refuses_the_save_and_keeps_the_old_file() {
    let j = TempJournal::init();
    let id = add_one(&j);
    let path = entry_file(&j.root, &id);
    let before = std::fs::read(&path).unwrap();
    let mut cmd = fieldnote(&j.root, &["edit", &id, "--append", &long_text()]);
    // SAFETY: setrlimit is async-signal-safe; it runs in the child before exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 16 * 1024,
                rlim_max: 16 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    // Before SIGXFSZ was ignored, the process died of the signal without a message.
    refused(&out, "File too large", &path, &before, &j.root);
}

#[test]
fn a_full_disk_refuses_the_save_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_mount) = Tmpfs::mount(dir.path(), "1m") else {
        eprintln!(
            "SKIPPED: cannot mount a small tmpfs here (needs root); the file-size limit test covers the same path"
        );
        return;
    };
    let root = dir.path().join("j");
    let init = common::run_in(
        dir.path(),
        &[
            "init",
            root.to_str().unwrap(),
            "--no-git",
            "--timezone",
            "UTC",
        ],
        None,
    );
    assert!(init.status.success(), "{}", stderr(&init));
    let id = common::stdout(
        &fieldnote(&root, &["add", "--title", "before", "body"])
            .output()
            .unwrap(),
    )
    .trim()
    .to_string();
    let path = entry_file(&root, &id);
    let before = std::fs::read(&path).unwrap();
    // Fill the disk to the last block.
    let filler = dir.path().join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);

    let out = fieldnote(&root, &["edit", &id, "--append", &long_text()])
        .output()
        .unwrap();
    refused(&out, "No space left on device", &path, &before, &root);
    let out = fieldnote(&root, &["add", "--title", "new", &long_text()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(temporaries(&root).is_empty());
    // With room again, the same save goes through.
    std::fs::remove_file(&filler).unwrap();
    let out = fieldnote(&root, &["edit", &id, "--append", "after"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let check = fieldnote(&root, &["check"]).output().unwrap();
    assert!(check.status.success(), "{}", common::stdout(&check));
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Run as an ordinary user: root may write anywhere, whatever the permissions say.
/// The journal is handed to `nobody` for the test.
fn as_ordinary_user(cmd: &mut Command, root: &Path) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    chown_all(root);
    let parent = root.parent().unwrap();
    std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    // SAFETY: setgroups, setgid and setuid are async-signal-safe; run in the child.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(NOBODY) != 0
                || libc::setuid(NOBODY) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn chown_all(path: &Path) {
    std::os::unix::fs::lchown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    if path.is_dir() && !path.is_symlink() {
        for item in std::fs::read_dir(path).unwrap().flatten() {
            chown_all(&item.path());
        }
    }
}

#[test]
fn a_read_only_folder_refuses_the_save_and_keeps_the_old_file() {
    let j = TempJournal::init();
    let id = add_one(&j);
    let path = entry_file(&j.root, &id);
    let before = std::fs::read(&path).unwrap();
    let folder = path.parent().unwrap();
    let mut cmd = fieldnote(&j.root, &["tag", &id, "live"]);
    as_ordinary_user(&mut cmd, &j.root);
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = cmd.output().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    refused(&out, "Permission denied", &path, &before, &j.root);
}

#[test]
fn a_file_without_permissions_is_reported_and_never_overwritten() {
    let j = TempJournal::init();
    let id = add_one(&j);
    let other = j
        .ok(&["add", "--at", "2026-03-15 10:00", "--title", "other", "b"])
        .trim()
        .to_string();
    let path = entry_file(&j.root, &id);
    let before = std::fs::read(&path).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = fieldnote(&j.root, args);
        as_ordinary_user(&mut cmd, &j.root);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        let out = cmd.output().unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        out
    };
    let check = run(&["check"]);
    let printed = common::stdout(&check);
    let rel = format!("entries/2026/03/{id}.toml");
    assert!(
        printed.contains(&format!("{rel}:1:1: cannot read: Permission denied")),
        "{printed}"
    );
    // The rest opens.
    let listed = run(&["list"]);
    assert!(common::stdout(&listed).contains(&other));
    // Editing the other entry works; the unreadable one is refused, not overwritten.
    assert!(run(&["tag", &other, "live"]).status.success());
    let out = run(&["tag", &id, "live"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::read(&path).unwrap() == before);
}

#[test]
fn a_read_only_file_is_not_replaced() {
    let j = TempJournal::init();
    let id = add_one(&j);
    let path = entry_file(&j.root, &id);
    let before = std::fs::read(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    // As root too: the rename that replaces a file ignores the file's own permissions.
    let out = fieldnote(&j.root, &["tag", &id, "live"]).output().unwrap();
    refused(&out, "read-only", &path, &before, &j.root);
}

/// The interface under the file-size limit: the save fails with the reason on screen,
/// the text is back in the editor, the old file is intact, and the interface goes on.
#[test]
fn the_interface_keeps_running_when_a_save_fails() {
    if !tmux::have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return;
    }
    let j = TempJournal::demo();
    let listed = j.ok(&["list", "--limit", "1"]);
    let id = listed.split_whitespace().nth(2).unwrap().to_string();
    let path = entry_file(&j.root, &id);
    let before = std::fs::read(&path).unwrap();
    // 512 bytes (sh counts `ulimit -f` in 512-byte blocks): any entry file is longer.
    let t = tmux::Tmux::start(
        &format!("sh -c 'ulimit -f 1; exec {BIN} -J {}'", j.root.display()),
        100,
        30,
    );
    t.wait_for("All entries");
    t.keys(&["e"]);
    t.wait_for(&format!("Edit {id}"));
    t.literal("zqx a longer note ");
    t.keys(&["C-s"]);
    t.wait_for("File too large");
    t.wait_for(&format!("Edit {id}"));
    assert!(
        std::fs::read(&path).unwrap() == before,
        "the old file changed"
    );
    // Still running: leave the editor, move, quit.
    t.keys(&["Escape", "y", "j", "q"]);
    let start = std::time::Instant::now();
    while t.is_running() && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(!t.is_running(), "q did not quit:\n{}", t.screen());
    assert!(std::fs::read(&path).unwrap() == before);
    assert!(temporaries(&j.root).is_empty(), "temporaries left");
}
