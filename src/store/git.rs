//! Git, by running the user's own `git` program (see docs/git.md for why it is not a
//! library): status for the status bar, commits after saves, the history of one entry,
//! and the steps of `fieldnote sync`.
//!
//! Every command runs with no standard input and `GIT_TERMINAL_PROMPT=0`, so none can
//! stop and wait for a password nobody will type. Without a `git` program, or outside a
//! repository, `Git::find` says `None` and callers hide their git features.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use crate::model::text::one_line;
use crate::model::{Comment, Entry};

/// What went wrong running git: the command and what git said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct GitError(pub String);

/// A journal folder inside a git work tree.
#[derive(Debug, Clone)]
pub struct Git {
    root: PathBuf,
}

/// What the status bar shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitStatus {
    /// The branch name, or `HEAD (detached)`.
    pub branch: String,
    pub upstream: Option<String>,
    /// Commits ahead of and behind the upstream, when there is one.
    pub ahead: u32,
    pub behind: u32,
    /// Files under the journal changed, added or untracked since the last commit.
    pub changed: usize,
    /// Files with unresolved merge conflicts.
    pub conflicted: usize,
}

/// One commit in an entry's history, with its diff lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryCommit {
    pub hash: String,
    pub author: String,
    /// ISO 8601, as git prints it.
    pub date: String,
    pub subject: String,
    pub diff: Vec<String>,
}

/// How `sync` reconciles local and remote work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullMode {
    /// `pull.rebase` from the user's configuration; a merge when it is not set.
    Configured,
    Rebase,
    Merge,
}

/// Who a commit is by, and when, for commits fieldnote makes on a person's behalf.
#[derive(Debug, Clone)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// RFC 3339, or `None` for now.
    pub date: Option<String>,
}

/// Serialises this process's commits, so two sessions of one server never race for
/// git's index lock.
static COMMIT_LOCK: Mutex<()> = Mutex::new(());

impl Git {
    /// The repository holding `root`, if git is installed and `root` is in a work tree.
    pub fn find(root: &Path) -> Option<Git> {
        let git = Git {
            root: root.to_path_buf(),
        };
        let out = git.run(&["rev-parse", "--is-inside-work-tree"]).ok()?;
        (out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "true")
            .then_some(git)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `git -C ROOT args…`, with nothing that could prompt.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        cmd.arg("-C")
            .arg(&self.root)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GCM_INTERACTIVE", "never")
            .env("GIT_MERGE_AUTOEDIT", "no")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run(&self, args: &[&str]) -> Result<Output, GitError> {
        self.command(args)
            .output()
            .map_err(|e| GitError(format!("cannot run git: {e}")))
    }

    /// Run and insist on success; stdout as text.
    fn ok(&self, args: &[&str]) -> Result<String, GitError> {
        let out = self.run(args)?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(failure(args, &out))
        }
    }

    /// Branch, upstream, ahead/behind and changed files, without taking git's index lock
    /// (so it never gets in the way of a commit).
    pub fn status(&self) -> Result<GitStatus, GitError> {
        let out = self
            .command(&[
                "--no-optional-locks",
                "status",
                "--porcelain=v2",
                "--branch",
                "-z",
                "--untracked-files=normal",
                "--",
                ".",
            ])
            .output()
            .map_err(|e| GitError(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(failure(&["status"], &out));
        }
        Ok(parse_status(&String::from_utf8_lossy(&out.stdout)))
    }

    /// The files under the journal with uncommitted changes (untracked included), as
    /// git names them relative to the repository.
    pub fn uncommitted(&self) -> Result<Vec<String>, GitError> {
        let text = self.ok(&[
            "--no-optional-locks",
            "status",
            "--porcelain",
            "-z",
            "--untracked-files=normal",
            "--",
            ".",
        ])?;
        let mut records = text.split('\0').filter(|r| !r.is_empty());
        let mut files = Vec::new();
        while let Some(record) = records.next() {
            let (state, path) = record.split_at(record.len().min(3));
            files.push(path.to_string());
            if state.starts_with(['R', 'C']) {
                records.next(); // the name it had before the rename or copy
            }
        }
        Ok(files)
    }

    /// Commit `paths` (relative to the journal root) and only them, whatever else is
    /// staged. `Ok(None)` when they hold no change; the short hash otherwise. `author`
    /// signs the commit as someone other than the committer (a reviewer).
    pub fn commit(
        &self,
        paths: &[String],
        message: &str,
        author: Option<&str>,
    ) -> Result<Option<String>, GitError> {
        let _guard = COMMIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        // A path that is gone counts when git tracks it: its removal is the change.
        let present: Vec<&str> = paths
            .iter()
            .map(String::as_str)
            .filter(|p| self.root.join(p).exists() || self.tracks(p))
            .collect();
        if present.is_empty() {
            return Ok(None);
        }
        let mut add = vec!["add", "-A", "--"];
        add.extend(&present);
        self.retrying(|| self.ok(&add))?;
        let mut staged = vec!["diff", "--cached", "--quiet", "--"];
        staged.extend(&present);
        if self.run(&staged)?.status.success() {
            return Ok(None);
        }
        let author_arg =
            author.map(|a| format!("--author={} <>", one_line(a).replace(['<', '>'], "")));
        let mut commit = vec!["commit", "-q", "--no-edit", "-m", message];
        if let Some(a) = &author_arg {
            commit.push(a);
        }
        commit.push("--");
        commit.extend(&present);
        self.retrying(|| self.ok(&commit))?;
        let hash = self.ok(&["rev-parse", "--short", "HEAD"])?;
        Ok(Some(hash.trim().to_string()))
    }

    /// Is `rel` in git's index (tracked, whether or not it is still on disk)?
    fn tracks(&self, rel: &str) -> bool {
        self.ok(&["ls-files", "--", rel])
            .is_ok_and(|out| !out.trim().is_empty())
    }

    /// Another git process holding the index lock is waited for a little.
    fn retrying<T>(&self, mut f: impl FnMut() -> Result<T, GitError>) -> Result<T, GitError> {
        let mut tries = 0;
        loop {
            match f() {
                Err(e) if e.0.contains("index.lock") && tries < 20 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                other => return other,
            }
        }
    }

    /// The commits that touched `rel` (following renames), newest first, with diffs; at
    /// most `limit`.
    pub fn history(&self, rel: &str, limit: usize) -> Result<Vec<HistoryCommit>, GitError> {
        if self.head().is_none() {
            // `git log` would say "does not have any commits yet" in git's own words.
            return Err(GitError(
                "the repository has no commits yet, so no history: commit the journal \
                 (git add -A && git commit) and it starts"
                    .into(),
            ));
        }
        let limit = format!("-n{limit}");
        let text = self.ok(&[
            "log",
            &limit,
            "--follow",
            "--no-color",
            "--no-ext-diff",
            "--date=iso-strict",
            "--format=%x1e%h%x1f%an%x1f%ad%x1f%s",
            "-p",
            "--",
            rel,
        ])?;
        Ok(parse_history(&text))
    }

    /// Commit what is under `pathspecs` (`["."]` for everything, added, changed or
    /// removed), as `who` when given (name, email, and a date for a history made after
    /// the fact, such as the demo's), else as git's configured user. `Ok(None)` when there
    /// is nothing to commit.
    pub fn commit_as(
        &self,
        pathspecs: &[&str],
        message: &str,
        who: Option<&Signature>,
    ) -> Result<Option<String>, GitError> {
        let _guard = COMMIT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut add = vec!["add", "-A", "--"];
        add.extend(pathspecs);
        self.retrying(|| self.ok(&add))?;
        if self.head().is_some() && self.run(&["diff", "--cached", "--quiet"])?.status.success() {
            return Ok(None);
        }
        let mut commit = self.command(&["commit", "-q", "--no-edit", "-m", message]);
        if let Some(who) = who {
            for role in ["AUTHOR", "COMMITTER"] {
                commit.env(format!("GIT_{role}_NAME"), &who.name);
                commit.env(format!("GIT_{role}_EMAIL"), &who.email);
                if let Some(date) = &who.date {
                    commit.env(format!("GIT_{role}_DATE"), date);
                }
            }
        }
        let out = commit
            .output()
            .map_err(|e| GitError(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(failure(&["commit"], &out));
        }
        Ok(self.head().map(|h| h.chars().take(7).collect()))
    }

    /// `git init` in `dir`.
    pub fn init(dir: &Path) -> Result<Git, GitError> {
        let git = Git {
            root: dir.to_path_buf(),
        };
        git.ok(&["init", "-q"])?;
        Ok(git)
    }

    /// Has git a user name and email to sign commits with?
    pub fn has_identity(&self) -> bool {
        ["user.name", "user.email"].iter().all(|key| {
            self.ok(&["config", key])
                .is_ok_and(|v| !v.trim().is_empty())
        })
    }

    pub fn current_branch(&self) -> Option<String> {
        let out = self.ok(&["symbolic-ref", "--short", "-q", "HEAD"]).ok()?;
        Some(out.trim().to_string()).filter(|b| !b.is_empty())
    }

    /// The upstream of the current branch (`origin/main`), if set.
    pub fn upstream(&self) -> Option<String> {
        let out = self
            .ok(&["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"])
            .ok()?;
        Some(out.trim().to_string()).filter(|u| !u.is_empty())
    }

    pub fn remotes(&self) -> Vec<String> {
        self.ok(&["remote"])
            .map(|s| s.lines().map(str::to_string).collect())
            .unwrap_or_default()
    }

    pub fn head(&self) -> Option<String> {
        self.ok(&["rev-parse", "-q", "--verify", "HEAD"])
            .ok()
            .map(|s| s.trim().to_string())
    }

    /// Commits in `to` that are not in `from`, merge commits left out.
    pub fn count_between(&self, from: &str, to: &str) -> u32 {
        self.ok(&[
            "rev-list",
            "--count",
            "--no-merges",
            &format!("{from}..{to}"),
        ])
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
    }

    /// Files with unresolved conflicts.
    pub fn unmerged(&self) -> Vec<String> {
        self.ok(&["diff", "--name-only", "--diff-filter=U", "-z"])
            .map(|s| {
                s.split('\0')
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Is a rebase or a merge stopped half-way?
    pub fn operation_in_progress(&self) -> Option<&'static str> {
        for (name, what) in [
            ("rebase-merge", "rebase"),
            ("rebase-apply", "rebase"),
            ("MERGE_HEAD", "merge"),
        ] {
            let Ok(path) = self.ok(&["rev-parse", "--git-path", name]) else {
                continue;
            };
            let path = PathBuf::from(path.trim());
            let path = if path.is_absolute() {
                path
            } else {
                self.root.join(path)
            };
            if path.exists() {
                return Some(what);
            }
        }
        None
    }

    /// A network command (fetch, pull, push) that must never wait for a prompt: besides
    /// `GIT_TERMINAL_PROMPT=0`, ssh runs in batch mode unless the user chose their own
    /// ssh command.
    pub fn network(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(args);
        let own_ssh = std::env::var_os("GIT_SSH_COMMAND").is_some()
            || std::env::var_os("GIT_SSH").is_some()
            || self
                .ok(&["config", "--get", "core.sshCommand"])
                .is_ok_and(|s| !s.trim().is_empty());
        if !own_ssh {
            cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        }
        cmd
    }

    /// `git pull` in the chosen mode; stashes uncommitted changes around it.
    pub fn pull(&self, mode: PullMode, remote_branch: Option<(&str, &str)>) -> GitOutput {
        let configured = self
            .ok(&["config", "--get", "pull.rebase"])
            .map(|s| s.trim().to_string())
            .ok()
            .filter(|s| !s.is_empty());
        let mut args = vec!["pull", "--autostash", "--no-edit"];
        match (mode, configured) {
            (PullMode::Rebase, _) => args.push("--rebase"),
            (PullMode::Merge, _) | (PullMode::Configured, None) => args.push("--no-rebase"),
            (PullMode::Configured, Some(_)) => {}
        }
        if let Some((remote, branch)) = remote_branch {
            args.push(remote);
            args.push(branch);
        }
        GitOutput::from(self.network(&args).output(), &args)
    }

    /// `git push`, setting the upstream when `set_upstream` names the remote.
    pub fn push(&self, set_upstream: Option<&str>) -> GitOutput {
        let args: Vec<&str> = match set_upstream {
            Some(remote) => vec!["push", "-u", remote, "HEAD"],
            None => vec!["push"],
        };
        GitOutput::from(self.network(&args).output(), &args)
    }

    pub fn fetch(&self, remote: &str) -> GitOutput {
        let args = ["fetch", remote];
        GitOutput::from(self.network(&args).output(), &args)
    }

    /// Does `remote/branch` exist (after a fetch)?
    pub fn has_remote_branch(&self, remote: &str, branch: &str) -> bool {
        self.run(&[
            "rev-parse",
            "-q",
            "--verify",
            &format!("refs/remotes/{remote}/{branch}"),
        ])
        .is_ok_and(|o| o.status.success())
    }
}

/// What an autocommit came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// `[git] autocommit` is off: nothing was tried.
    Off,
    /// Autocommit is on but the journal is not in a git work tree (or git is missing).
    NoRepository,
    /// The files held no change.
    NothingToCommit,
    /// The short hash of the new commit.
    Commit(String),
}

/// After a save: commit `paths` when `[git] autocommit = true`. A failure is returned
/// for the caller to report; the save itself is never undone.
pub fn autocommit(
    root: &Path,
    settings: &crate::model::Settings,
    paths: &[String],
    message: &str,
    author: Option<&str>,
) -> Result<Committed, GitError> {
    if !settings.git.autocommit {
        return Ok(Committed::Off);
    }
    let Some(git) = Git::find(root) else {
        return Ok(Committed::NoRepository);
    };
    Ok(match git.commit(paths, message, author)? {
        Some(hash) => Committed::Commit(hash),
        None => Committed::NothingToCommit,
    })
}

/// The outcome of a git command whose output people read.
#[derive(Debug, Clone)]
pub struct GitOutput {
    pub ok: bool,
    /// stdout and stderr together, trimmed.
    pub text: String,
}

impl GitOutput {
    fn from(out: std::io::Result<Output>, args: &[&str]) -> GitOutput {
        match out {
            Ok(o) => {
                let mut text = String::from_utf8_lossy(&o.stdout).trim().to_string();
                let err = String::from_utf8_lossy(&o.stderr);
                if !err.trim().is_empty() {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    text.push_str(err.trim());
                }
                GitOutput {
                    ok: o.status.success(),
                    text,
                }
            }
            Err(e) => GitOutput {
                ok: false,
                text: format!("cannot run git {}: {e}", args.join(" ")),
            },
        }
    }
}

fn failure(args: &[&str], out: &Output) -> GitError {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let said = if stderr.trim().is_empty() {
        stdout.trim()
    } else {
        stderr.trim()
    };
    let verb = args.iter().find(|a| !a.starts_with('-')).unwrap_or(&"");
    GitError(format!("git {verb} failed: {}", one_line(said)))
}

/// Read `git status --porcelain=v2 --branch -z`.
pub fn parse_status(text: &str) -> GitStatus {
    let mut status = GitStatus::default();
    let mut records = text.split('\0').filter(|r| !r.is_empty());
    while let Some(record) = records.next() {
        if let Some(head) = record.strip_prefix("# branch.head ") {
            status.branch = if head == "(detached)" {
                "HEAD (detached)".into()
            } else {
                head.to_string()
            };
        } else if let Some(up) = record.strip_prefix("# branch.upstream ") {
            status.upstream = Some(up.to_string());
        } else if let Some(ab) = record.strip_prefix("# branch.ab ") {
            for part in ab.split(' ') {
                if let Some(n) = part.strip_prefix('+') {
                    status.ahead = n.parse().unwrap_or(0);
                } else if let Some(n) = part.strip_prefix('-') {
                    status.behind = n.parse().unwrap_or(0);
                }
            }
        } else if record.starts_with("2 ") {
            // A rename or copy: the original path follows as its own field.
            records.next();
            status.changed += 1;
        } else if record.starts_with("u ") {
            status.conflicted += 1;
            status.changed += 1;
        } else if record.starts_with("1 ") || record.starts_with("? ") {
            status.changed += 1;
        }
    }
    status
}

/// Read the `log -p` output written with the format in `Git::history`.
pub fn parse_history(text: &str) -> Vec<HistoryCommit> {
    text.split('\u{1e}')
        .filter(|c| !c.trim().is_empty())
        .filter_map(|chunk| {
            let (header, rest) = chunk.split_once('\n').unwrap_or((chunk, ""));
            let mut fields = header.split('\u{1f}');
            let hash = fields.next()?.to_string();
            let author = fields.next().unwrap_or_default().to_string();
            let date = fields.next().unwrap_or_default().to_string();
            let subject = fields.next().unwrap_or_default().to_string();
            let diff = rest
                .lines()
                .skip_while(|l| l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>();
            Some(HistoryCommit {
                hash,
                author,
                date,
                subject,
                diff,
            })
        })
        .collect()
}

/// At most `max` characters of `text` on one line, with `…` when cut.
fn short(text: &str, max: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `entry 20260314-210512-7f3a: Live: skincare Q&A`
pub fn entry_message(entry: &Entry) -> String {
    let headline = short(entry.headline(), 60);
    if headline.is_empty() {
        format!("entry {}", entry.id)
    } else {
        format!("entry {}: {headline}", entry.id)
    }
}

/// One entry's message, or for several a summary line and one line per entry.
pub fn entries_message(entries: &[Entry], what: &str) -> String {
    match entries {
        [one] => entry_message(one),
        many => {
            let mut text = format!("{} entries: {}\n", many.len(), short(what, 60));
            for e in many {
                text.push('\n');
                text.push_str(&entry_message(e));
            }
            text
        }
    }
}

/// `comment on entry ID by Rina: Is 'no brand named' your reading…`, or what changed
/// when comments were resolved or reopened.
pub fn comments_message(comments: &[Comment], previous: &[Comment]) -> String {
    let Some(first) = comments.first() else {
        return "comments".into();
    };
    let added: Vec<&Comment> = comments
        .iter()
        .filter(|c| !previous.iter().any(|p| p.id == c.id && p.entry == c.entry))
        .collect();
    if let [c] = added.as_slice() {
        return format!(
            "comment on entry {} by {}: {}",
            c.entry,
            short(&c.author, 40),
            short(&c.body, 50)
        );
    }
    let resolved = comments.iter().filter(|c| c.resolved).count();
    let verb = if resolved == comments.len() {
        "resolve"
    } else {
        "reopen"
    };
    let n = comments.len();
    let noun = if n == 1 { "comment" } else { "comments" };
    format!("{verb} {n} {noun} on entry {}", first.entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_read_from_porcelain_v2() {
        let text = [
            "# branch.oid abc",
            "# branch.head main",
            "# branch.upstream origin/main",
            "# branch.ab +2 -1",
            "1 .M N... 100644 100644 100644 a b entries/x.toml",
            "2 R. N... 100644 100644 100644 a b R100 new.toml",
            "old.toml",
            "u UU N... 1 2 3 4 a b c entries/y.toml",
            "? comments/z/1.toml",
        ]
        .join("\0");
        let text = text.as_str();
        let s = parse_status(text);
        assert_eq!(s.branch, "main");
        assert_eq!(s.upstream.as_deref(), Some("origin/main"));
        assert_eq!((s.ahead, s.behind), (2, 1));
        assert_eq!(s.changed, 4);
        assert_eq!(s.conflicted, 1);
        let fresh = parse_status("# branch.oid (initial)\0# branch.head main\0");
        assert_eq!(fresh.upstream, None);
        assert_eq!(fresh.changed, 0);
    }

    #[test]
    fn history_is_split_into_commits() {
        let text = "\u{1e}abc1234\u{1f}Ayu\u{1f}2026-03-14T21:40:03+07:00\u{1f}entry x: Live\n\ndiff --git a/e b/e\n+title = \"Live\"\n\u{1e}def5678\u{1f}Rina\u{1f}2026-03-13T10:00:00+07:00\u{1f}first\n";
        let h = parse_history(text);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].hash, "abc1234");
        assert_eq!(h[0].author, "Ayu");
        assert_eq!(h[0].diff, ["diff --git a/e b/e", "+title = \"Live\""]);
        assert_eq!(h[1].subject, "first");
        assert!(h[1].diff.is_empty());
    }

    #[test]
    fn messages_name_the_entry() {
        let dt: toml_datetime::Datetime = "2026-03-14T21:05:12+07:00".parse().unwrap();
        let at = crate::model::Moment::from_toml(&dt).unwrap();
        let mut e = Entry::new("20260314-210512-7f3a".into(), at, at);
        e.title = "Live: skincare Q&A".into();
        assert_eq!(
            entry_message(&e),
            "entry 20260314-210512-7f3a: Live: skincare Q&A"
        );
        e.title = "x".repeat(100);
        assert!(entry_message(&e).ends_with('…'));
        let c = Comment {
            id: "20260320-091500-rina".into(),
            entry: e.id.clone(),
            author: "Rina".into(),
            at,
            body: "Member-check this.\nPlease.".into(),
            resolved: false,
        };
        assert_eq!(
            comments_message(std::slice::from_ref(&c), &[]),
            "comment on entry 20260314-210512-7f3a by Rina: Member-check this. Please."
        );
        let mut done = c.clone();
        done.resolved = true;
        assert_eq!(
            comments_message(&[done], &[c]),
            "resolve 1 comment on entry 20260314-210512-7f3a"
        );
    }
}
