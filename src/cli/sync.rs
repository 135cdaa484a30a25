//! `fieldnote sync`: pull (merge or rebase) and push with the user's own git setup, then
//! check the journal so that conflicts and leftover markers are reported, not pushed.

use super::args::Global;
use super::{CliError, CliResult, find_root};
use crate::model::text::one_line;
use crate::store::git::{Git, PullMode};
use crate::store::{LoadOptions, open_with};
use clap::Args;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Rebase local commits onto the remote's
    #[arg(long, conflicts_with = "merge")]
    pub rebase: bool,
    /// Merge the remote's commits (the default unless git's pull.rebase says otherwise)
    #[arg(long)]
    pub merge: bool,
    /// Pull and check only
    #[arg(long)]
    pub no_push: bool,
}

pub fn run(global: &Global, args: SyncArgs) -> CliResult {
    let root = find_root(global)?;
    let git = Git::find(&root).ok_or_else(|| {
        CliError::failed(format!(
            "{} is not in a git repository (or git is not installed): nothing to sync\n  hint: `git init` there, add a remote with `git remote add origin URL`, then sync",
            root.display()
        ))
    })?;
    if let Some(what) = git.operation_in_progress() {
        return Err(CliError::failed(format!(
            "a {what} is stopped half-way in this repository\n  hint: finish it (`git status` says how) or abort it (`git {what} --abort`), then sync again"
        )));
    }
    let mode = if args.rebase {
        PullMode::Rebase
    } else if args.merge {
        PullMode::Merge
    } else {
        PullMode::Configured
    };
    let branch = git.current_branch().ok_or_else(|| {
        CliError::failed("HEAD is not on a branch (detached)\n  hint: `git switch BRANCH` first")
    })?;
    // Where to pull from: the upstream, else the only remote's branch of the same name.
    let mut set_upstream = None;
    let mut pull_from = None;
    if git.upstream().is_none() {
        let remotes = git.remotes();
        let remote = match remotes.as_slice() {
            [] => {
                return Err(CliError::failed(
                    "this repository has no remote to sync with\n  hint: `git remote add origin URL`, then `fieldnote sync`",
                ));
            }
            [one] => one.clone(),
            many if many.iter().any(|r| r == "origin") => "origin".to_string(),
            many => {
                return Err(CliError::failed(format!(
                    "branch {branch} has no upstream and there are several remotes ({})\n  hint: `git push -u REMOTE {branch}` once, then sync",
                    many.join(", ")
                )));
            }
        };
        let fetched = git.fetch(&remote);
        if !fetched.ok {
            return Err(CliError::failed(format!(
                "git fetch {remote} failed:\n{}",
                indent(&fetched.text)
            )));
        }
        if git.has_remote_branch(&remote, &branch) {
            pull_from = Some((remote.clone(), branch.clone()));
        }
        set_upstream = Some(remote);
    }

    let before = git.head();
    let pulled = if set_upstream.is_some() && pull_from.is_none() {
        None
    } else {
        let from = pull_from.as_ref().map(|(r, b)| (r.as_str(), b.as_str()));
        Some(git.pull(mode, from))
    };
    if let Some(out) = &pulled {
        say_where_stashed_edits_are(&out.text);
        if !out.ok {
            return Err(after_failed_pull(&git, &root, &out.text));
        }
        let after = git.head();
        let new = match (&before, &after) {
            (Some(b), Some(a)) if b != a => git.count_between(b, a),
            _ => 0,
        };
        if new == 0 {
            println!("pulled: already up to date");
        } else {
            println!(
                "pulled: {new} new commit{}",
                if new == 1 { "" } else { "s" }
            );
        }
    }

    // Whatever git says, look at the files: a marker committed by someone else, or a
    // merge that went through but left the journal inconsistent, is not pushed on.
    let problems = check(&root)?;
    if problems > 0 {
        return Err(CliError::failed(format!(
            "the journal has {problems} problem{} after the pull: nothing was pushed\n  hint: fix them (see above), commit, then sync again",
            if problems == 1 { "" } else { "s" }
        )));
    }
    println!("check: no problems");
    if args.no_push {
        return Ok(());
    }
    refuse_uncommitted(&git)?;
    let pushed = git.push(set_upstream.as_deref());
    if !pushed.ok {
        return Err(CliError::failed(format!(
            "git push failed:\n{}\n  hint: `fieldnote sync` again pulls what is new first",
            indent(&pushed.text)
        )));
    }
    println!("pushed");
    Ok(())
}

/// "pushed" would be a lie while edits are only on this disk: name them and stop.
fn refuse_uncommitted(git: &Git) -> CliResult {
    let files = git
        .uncommitted()
        .map_err(|e| CliError::failed(e.to_string()))?;
    if files.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 10;
    let mut list: Vec<String> = files
        .iter()
        .take(SHOWN)
        .map(|f| format!("  {}", one_line(f)))
        .collect();
    if files.len() > SHOWN {
        list.push(format!("  … and {} more", files.len() - SHOWN));
    }
    Err(CliError::failed(format!(
        "{} file{} not committed, so nothing was pushed:\n{}\n  hint: commit them (`git add` and `git commit`, or turn on `[git] autocommit`), then sync again",
        files.len(),
        if files.len() == 1 { " is" } else { "s are" },
        list.join("\n")
    )))
}

/// `git pull --autostash` puts local edits aside; when it cannot put them back, they
/// stay in git's stash. Say so, and how to get them.
fn say_where_stashed_edits_are(said: &str) {
    if said.contains("safe in the stash") || said.contains("stash entry is kept") {
        eprintln!(
            "note: your uncommitted edits could not be put back after the pull; git keeps them in its stash\n  hint: `git stash list` shows them, `git stash pop` puts them back (resolving conflicts if any)"
        );
    }
}

/// What to say after `git pull` failed: the conflicted files, and how to go on.
fn after_failed_pull(git: &Git, root: &std::path::Path, said: &str) -> CliError {
    let conflicted = git.unmerged();
    if conflicted.is_empty() {
        return CliError::failed(format!("git pull failed:\n{}", indent(said)));
    }
    eprintln!("conflicts in:");
    for path in &conflicted {
        eprintln!("  {path}");
    }
    let _ = check(root);
    let what = git.operation_in_progress().unwrap_or("merge");
    CliError::failed(format!(
        "the pull stopped on {} conflicted file{}: nothing was pushed\n  hint: edit the files to keep what both sides wrote and remove the <<<<<<< ======= >>>>>>> lines, `git add` them, `git {what} --continue`, then `fieldnote sync` (or `git {what} --abort` to undo the pull)",
        conflicted.len(),
        if conflicted.len() == 1 { "" } else { "s" }
    ))
}

/// `fieldnote check` on the journal: prints each error, returns how many.
fn check(root: &std::path::Path) -> Result<usize, CliError> {
    let opened = open_with(root, LoadOptions::default())?;
    let errors: Vec<_> = opened.problems.iter().filter(|p| p.is_error()).collect();
    for p in &errors {
        eprintln!("{p}");
    }
    Ok(errors.len())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
