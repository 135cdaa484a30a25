//! Git in temporary repositories: autocommit after saves (CLI and the interface's
//! runtime), a failed commit that keeps the save, and `fieldnote sync` between two
//! clones of a bare remote. Git runs with a private configuration, never the user's.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{run_with_env, stderr, stdout};
use fieldnote::tui::{Access, RemoteInput};

/// A folder with a private git configuration, a bare remote and clones of a journal.
struct Lab {
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Lab {
    fn new() -> Option<Lab> {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("SKIPPED: git is not installed");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let config = home.join(".gitconfig");
        std::fs::write(
            &config,
            "[user]\n\tname = Ayu Lestari\n\temail = ayu@example.org\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        let env = vec![
            ("HOME".to_string(), home.display().to_string()),
            ("GIT_CONFIG_GLOBAL".into(), config.display().to_string()),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
        ];
        Some(Lab { dir, env })
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn env(&self) -> Vec<(&str, &str)> {
        self.env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(cwd)
            .envs(self.env())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn fieldnote(&self, journal: &Path, args: &[&str]) -> Output {
        let mut full = vec!["-J", journal.to_str().unwrap()];
        full.extend_from_slice(args);
        run_with_env(journal, &full, None, &self.env())
    }

    fn ok(&self, journal: &Path, args: &[&str]) -> String {
        let out = self.fieldnote(journal, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// The demo journal in `name`, with autocommit on.
    fn demo(&self, name: &str) -> PathBuf {
        let root = self.path(name);
        let out = run_with_env(
            self.dir.path(),
            &["demo", root.to_str().unwrap(), "--no-open"],
            None,
            &self.env(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        set_autocommit(&root);
        root
    }

    /// The demo journal with autocommit on, committed, pushed to a bare remote, and a
    /// second clone of it.
    fn two_clones(&self) -> (PathBuf, PathBuf) {
        let a = self.demo("a");
        self.git(self.dir.path(), &["init", "-q", "--bare", "remote.git"]);
        self.git(&a, &["init", "-q"]);
        self.git(&a, &["add", "-A"]);
        self.git(&a, &["commit", "-q", "-m", "the demo journal"]);
        self.git(&a, &["remote", "add", "origin", "../remote.git"]);
        self.git(&a, &["push", "-q", "-u", "origin", "main"]);
        self.git(self.dir.path(), &["clone", "-q", "remote.git", "b"]);
        (a, self.path("b"))
    }

    fn last_subject(&self, repo: &Path) -> String {
        self.git(repo, &["log", "-1", "--format=%s"])
            .trim()
            .to_string()
    }
}

fn set_autocommit(root: &Path) {
    let path = root.join("journal.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("autocommit = false"));
    std::fs::write(
        &path,
        text.replace("autocommit = false", "autocommit = true"),
    )
    .unwrap();
}

fn first_file_under(dir: &Path) -> PathBuf {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                found.push(e.path());
            }
        }
    }
    found.sort();
    found.remove(0)
}

#[test]
fn autocommit_names_the_entry() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    let id = lab.ok(
        &a,
        &[
            "add",
            "-a",
            "cindymakeup",
            "--title",
            "Live: skincare Q&A",
            "Live started",
        ],
    );
    let id = id.trim();
    assert_eq!(
        lab.last_subject(&a),
        format!("entry {id}: Live: skincare Q&A")
    );
    assert_eq!(
        lab.git(&a, &["status", "--porcelain"]),
        "",
        "nothing left over"
    );
    lab.ok(&a, &["accounts", "add", "newone"]);
    assert_eq!(lab.last_subject(&a), "account newone: added");
}

#[test]
fn a_failed_commit_is_reported_and_the_save_kept() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    let hook = a.join(".git/hooks/pre-commit");
    std::fs::write(&hook, "#!/bin/sh\necho 'policy says no' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let head = lab.git(&a, &["rev-parse", "HEAD"]);
    let out = lab.fieldnote(&a, &["add", "--title", "Kept", "body"]);
    assert!(out.status.success(), "the save succeeded: {}", stderr(&out));
    assert!(
        stderr(&out).contains("the commit failed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("policy says no"), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    assert!(
        lab.ok(&a, &["show", &id]).contains("Kept"),
        "the entry is on disk"
    );
    assert_eq!(lab.git(&a, &["rev-parse", "HEAD"]), head, "no commit");
}

#[test]
fn without_a_repository_everything_works_and_sync_says_why_not() {
    let Some(lab) = Lab::new() else { return };
    let j = lab.path("plain");
    let out = run_with_env(
        lab.dir.path(),
        &["demo", j.to_str().unwrap(), "--no-open", "--no-git"],
        None,
        &lab.env(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    set_autocommit(&j);
    let out = lab.fieldnote(&j, &["add", "a note"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("not in a git repository"),
        "{}",
        stderr(&out)
    );
    let out = lab.fieldnote(&j, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not in a git repository"));
}

#[test]
fn sync_merges_entries_and_comments_from_two_clones() {
    let Some(lab) = Lab::new() else { return };
    let (a, b) = lab.two_clones();
    // The researcher writes an entry in one clone ...
    let id = lab.ok(
        &a,
        &["add", "--title", "From A", "an entry written in clone a"],
    );
    let id = id.trim().to_string();
    let out = lab.ok(&a, &["sync"]);
    assert!(out.contains("pushed"), "{out}");
    // ... a reviewer comments in the other, before pulling it.
    let comment = lab.ok(
        &b,
        &[
            "--review",
            "--as",
            "Dr. Rina",
            "comment",
            "20260325-163004-f792",
            "From B",
        ],
    );
    let comment = comment.trim().to_string();
    assert!(
        lab.last_subject(&b)
            .starts_with("comment on entry 20260325-163004-f792 by Dr. Rina")
    );
    assert_eq!(
        lab.git(&b, &["log", "-1", "--format=%an"]).trim(),
        "Dr. Rina",
        "the reviewer is the commit's author"
    );
    let out = lab.fieldnote(&b, &["sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("pulled: 1 new commit"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("check: no problems"));
    let out = lab.ok(&a, &["sync"]);
    assert!(out.contains("pulled"), "{out}");
    for clone in [&a, &b] {
        assert!(lab.ok(clone, &["show", &id]).contains("From A"));
        assert!(clone.join(&comment).is_file(), "{comment} in {clone:?}");
        lab.ok(clone, &["check"]);
    }
    assert_eq!(
        lab.git(&a, &["rev-parse", "HEAD"]),
        lab.git(&b, &["rev-parse", "HEAD"])
    );
}

#[test]
fn sync_stops_on_conflicts_and_reports_markers() {
    let Some(lab) = Lab::new() else { return };
    let (a, b) = lab.two_clones();
    let rel = first_file_under(&a.join("entries"))
        .strip_prefix(&a)
        .unwrap()
        .to_path_buf();
    let rel = rel.to_str().unwrap();
    for (clone, title) in [(&a, "Title from A"), (&b, "Title from B")] {
        let path = clone.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("title = "))
            .unwrap();
        lines[at] = format!("title = \"{title}\"");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        lab.git(clone, &["commit", "-q", "-am", title]);
    }
    lab.ok(&a, &["sync"]);
    let remote_head = lab.git(&a, &["rev-parse", "HEAD"]);
    let out = lab.fieldnote(&b, &["sync"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("conflicts in:"), "{err}");
    assert!(err.contains(rel), "{err}");
    assert!(
        err.contains("leftover merge-conflict marker"),
        "check ran: {err}"
    );
    assert!(err.contains("nothing was pushed"), "{err}");
    let remote = lab.git(&lab.path("remote.git"), &["rev-parse", "main"]);
    assert_eq!(remote, remote_head, "the remote is untouched");
    // A second sync refuses while the merge is unfinished.
    let again = lab.fieldnote(&b, &["sync"]);
    assert!(
        stderr(&again).contains("stopped half-way"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn markers_committed_by_someone_else_are_not_pushed_on() {
    let Some(lab) = Lab::new() else { return };
    let (a, b) = lab.two_clones();
    // Someone resolved a conflict badly and pushed the markers.
    let path = first_file_under(&a.join("accounts"));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("<<<<<<< HEAD\n{text}=======\n>>>>>>> theirs\n"),
    )
    .unwrap();
    lab.git(&a, &["commit", "-q", "-am", "bad merge"]);
    lab.git(&a, &["push", "-q"]);
    lab.ok(
        &b,
        &[
            "--as",
            "Ayu",
            "comment",
            "20260325-163004-f792",
            "local work",
        ],
    );
    let before = lab.git(&lab.path("remote.git"), &["rev-parse", "main"]);
    let out = lab.fieldnote(&b, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("leftover merge-conflict marker"), "{err}");
    assert!(err.contains("nothing was pushed"), "{err}");
    assert_eq!(
        lab.git(&lab.path("remote.git"), &["rev-parse", "main"]),
        before
    );
}

#[test]
fn the_interface_commits_the_researchers_and_the_reviewers_changes() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    // The runtime's git runs in this process, with this process's environment: the
    // repository's own configuration gives it an identity.
    lab.git(&a, &["config", "user.name", "Ayu Lestari"]);
    lab.git(&a, &["config", "user.email", "ayu@example.org"]);
    // The commit happens on the git worker, which finishes its queue after the session.
    let wait_for_commit = |prefix: &str| {
        let started = Instant::now();
        loop {
            let s = lab.last_subject(&a);
            if s.starts_with(prefix) || started.elapsed() > Duration::from_secs(60) {
                break s;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    // The researcher tags the newest entry with code key 1 ...
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(RemoteInput::Bytes(b"1".to_vec())).unwrap();
    tx.send(RemoteInput::Closed).unwrap();
    common::run_remote(&a, Access::Full, "Ayu Lestari", std::io::sink(), rx).unwrap();
    let subject = wait_for_commit("entry ");
    assert!(
        subject.starts_with("entry 20260530-164533-09ae: "),
        "{subject}"
    );
    // ... and a reviewer comments.
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(RemoteInput::Bytes(b"cPlease member-check.\x13".to_vec()))
        .unwrap();
    tx.send(RemoteInput::Closed).unwrap();
    common::run_remote(&a, Access::CommentsOnly, "Dr. Rina", std::io::sink(), rx).unwrap();
    let subject = wait_for_commit("comment on entry");
    assert!(
        subject.contains("by Dr. Rina: Please member-check."),
        "{subject}"
    );
    assert_eq!(
        lab.git(&a, &["log", "-1", "--format=%an"]).trim(),
        "Dr. Rina"
    );
    assert_eq!(
        lab.git(&a, &["status", "--porcelain"]),
        "",
        "both changes committed"
    );
}

#[test]
fn the_demo_is_a_repository_with_its_fieldwork_history() {
    let Some(lab) = Lab::new() else { return };
    let root = lab.path("demo");
    let out = run_with_env(
        lab.dir.path(),
        &["demo", root.to_str().unwrap(), "--no-open"],
        None,
        &lab.env(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let log = lab.git(&root, &["log", "--format=%an|%s"]);
    let commits: Vec<&str> = log.lines().collect();
    assert!(commits.len() >= 10, "a history of weeks: {log}");
    assert_eq!(
        commits.last().copied(),
        Some("Ayu Lestari|Start the journal: codebook and the three accounts")
    );
    assert!(
        commits
            .iter()
            .any(|c| c.starts_with("Dr. Rina Hartono (supervisor)|Comment by")),
        "a reviewer's comment under the reviewer's name: {log}"
    );
    assert_eq!(
        lab.git(&root, &["status", "--porcelain"]),
        "",
        "all committed"
    );
    // The history of an entry is there for `H`.
    let entry = first_file_under(&root.join("entries"));
    let rel = entry
        .strip_prefix(&root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let git = fieldnote::store::git::Git::find(&root).unwrap();
    assert_eq!(git.history(&rel, 10).unwrap().len(), 1);
}

#[test]
fn init_makes_a_first_commit() {
    let Some(lab) = Lab::new() else { return };
    let out = run_with_env(lab.dir.path(), &["init", "fresh"], None, &lab.env());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("first commit"), "{}", stdout(&out));
    let root = lab.path("fresh");
    assert_eq!(lab.last_subject(&root), "Start the journal");
    assert_eq!(lab.git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn init_without_a_git_identity_says_how_to_commit() {
    let Some(lab) = Lab::new() else { return };
    let bare = lab.path("bare.gitconfig");
    std::fs::write(&bare, "[init]\n\tdefaultBranch = main\n").unwrap();
    let home = lab.path("home");
    let env = [
        ("HOME", home.to_str().unwrap()),
        ("GIT_CONFIG_GLOBAL", bare.to_str().unwrap()),
        ("GIT_CONFIG_NOSYSTEM", "1"),
    ];
    let out = run_with_env(lab.dir.path(), &["init", "anon"], None, &env);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("not committed: git has no user.name"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn history_of_a_repository_without_commits_says_so() {
    let Some(lab) = Lab::new() else { return };
    let root = lab.path("empty");
    std::fs::create_dir_all(&root).unwrap();
    lab.git(&root, &["init", "-q"]);
    let git = fieldnote::store::git::Git::find(&root).unwrap();
    let err = git.history("entries/x.toml", 5).unwrap_err();
    assert!(err.to_string().contains("no commits yet"), "{err}");
}

#[test]
fn rm_and_restore_are_commits_under_autocommit() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    let id = "20260325-163004-f792";
    lab.ok(&a, &["rm", id, "--yes"]);
    assert!(
        lab.last_subject(&a)
            .starts_with(&format!("remove entry {id}"))
    );
    assert_eq!(
        lab.git(&a, &["status", "--porcelain"]),
        "",
        "the removal is committed whole"
    );
    let removed = lab.git(&a, &["show", "--name-only", "--format=", "HEAD"]);
    assert!(
        removed.contains(&format!("comments/{id}/")),
        "comments go too: {removed}"
    );
    lab.ok(&a, &["restore", id]);
    assert!(
        lab.last_subject(&a)
            .starts_with(&format!("restore entry {id}"))
    );
    assert_eq!(lab.git(&a, &["status", "--porcelain"]), "");
}

/// Every command that writes leaves nothing uncommitted under autocommit: the issue
/// found `tag`, `edit` and `import` leaving dirty files (and a remote without them).
#[test]
fn every_command_s_write_is_committed_under_autocommit() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    let id = lab.ok(&a, &["list", "--limit", "1"]);
    let id = id.split_whitespace().nth(2).unwrap().to_string();
    let code = lab.ok(&a, &["codes"]);
    assert!(code.contains("humour"), "{code}");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/interop/tiktok.ndjson");
    let steps: Vec<Vec<&str>> = vec![
        vec!["tag", &id, "humour"],
        vec!["tag", &id, "--remove", "humour"],
        vec!["edit", &id, "--append", "zqx more"],
        vec!["edit", &id, "--title", "zqx title"],
        vec!["add", "--new-account", "-a", "zqx.new", "zqx text"],
        vec!["accounts", "add", "zqx.other"],
        vec!["accounts", "set", "zqx.other", "--followers", "12"],
        vec!["codes", "add", "--group", "theme", "--name", "Zqx code"],
        vec!["comment", &id, "zqx comment"],
        vec!["import", "zeeschuimer", fixture.to_str().unwrap()],
    ];
    for step in &steps {
        lab.ok(&a, step);
        assert_eq!(
            lab.git(&a, &["status", "--porcelain"]),
            "",
            "`{}` left files uncommitted",
            step.join(" ")
        );
    }
}

/// `sync` with uncommitted changes does not say "pushed": it names the files.
#[test]
fn sync_refuses_to_say_pushed_while_the_tree_is_dirty() {
    let Some(lab) = Lab::new() else { return };
    let (a, _) = lab.two_clones();
    let entry = first_file_under(&a.join("entries"));
    let mut text = std::fs::read_to_string(&entry).unwrap();
    text.push_str("\n# zqx a note by hand\n");
    std::fs::write(&entry, text).unwrap();
    let out = lab.fieldnote(&a, &["sync"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(!stdout(&out).contains("pushed"), "{}", stdout(&out));
    let name = entry.file_name().unwrap().to_str().unwrap();
    assert!(stderr(&out).contains(name), "{}", stderr(&out));
}
