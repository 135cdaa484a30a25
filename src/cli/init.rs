use clap::Args;
use std::path::Path;
use std::path::PathBuf;
use std::process::Command;

use super::{CliError, CliResult};
use crate::demo::{GITIGNORE, STARTER_CODEBOOK};
use crate::model::Settings;
use crate::store::{Store, locate::MARKER, write_atomic};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new journal (created if missing)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The journal's title
    #[arg(long)]
    pub title: Option<String>,
    /// IANA time zone for typed times (default: this machine's)
    #[arg(long)]
    pub timezone: Option<String>,
    /// Researcher name (repeatable; default: git's user.name)
    #[arg(long = "researcher")]
    pub researchers: Vec<String>,
    /// Do not run `git init`
    #[arg(long)]
    pub no_git: bool,
}

pub fn run(args: InitArgs) -> CliResult {
    let dir = &args.dir;
    if dir.join(MARKER).exists() {
        return Err(CliError::failed(format!(
            "{} already holds a journal; nothing was changed",
            dir.display()
        )));
    }
    let timezone = match args.timezone {
        Some(tz) => {
            jiff::tz::TimeZone::get(&tz).map_err(|_| {
                CliError::usage(format!(
                    "unknown time zone `{tz}` (use an IANA name such as Asia/Jakarta)"
                ))
            })?;
            tz
        }
        None => system_time_zone(),
    };
    let title = args.title.unwrap_or_else(|| {
        std::fs::canonicalize(dir)
            .ok()
            .or_else(|| Some(dir.to_path_buf()))
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Field journal".into())
    });
    let researchers = if args.researchers.is_empty() {
        git_user_name().into_iter().collect()
    } else {
        args.researchers
    };
    let settings = Settings {
        title,
        researchers,
        timezone,
        ..Settings::default()
    };
    std::fs::create_dir_all(dir)?;
    for folder in ["entries", "accounts", "media", "comments"] {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    write_atomic(
        &dir.join(crate::store::paths::CODEBOOK),
        STARTER_CODEBOOK.as_bytes(),
    )?;
    if !dir.join(".gitignore").exists() {
        write_atomic(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    }
    // journal.toml last: it marks the folder as a journal only once the rest is there.
    Store::create(dir).save_settings(&settings)?;
    let git = if args.no_git { None } else { git_init(dir) };
    println!(
        "Created a journal in {}{}",
        dir.display(),
        git.unwrap_or_default()
    );
    println!("Next:");
    println!("  fieldnote accounts add HANDLE --category \"...\"   an account you observe");
    println!("  fieldnote add -a HANDLE -c live \"what you saw\"     a first entry");
    println!("  fieldnote                                         the journal in the terminal");
    Ok(())
}

/// The machine's IANA time zone name, or UTC when it has none.
fn system_time_zone() -> String {
    jiff::tz::TimeZone::try_system()
        .ok()
        .and_then(|tz| tz.iana_name().map(str::to_string))
        .unwrap_or_else(|| "UTC".into())
}

pub(super) fn git_user_name() -> Option<String> {
    let out = Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

/// `git init` when git is installed and `dir` is not inside a repository already.
fn git_init(dir: &Path) -> Option<String> {
    let inside = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .ok()?;
    if inside.status.success() {
        return Some(" (inside an existing git repository)".into());
    }
    let done = Command::new("git")
        .arg("init")
        .arg("-q")
        .arg(dir)
        .status()
        .ok()?;
    if !done.success() {
        return None;
    }
    // A first commit, so that history, `sync` and the status bar work from the start.
    let git = crate::store::git::Git::find(dir)?;
    if !git.has_identity() {
        return Some(
            " and a git repository for it (not committed: git has no user.name and \
             user.email yet; set them with `git config --global`, then `git add -A && \
             git commit`)"
                .into(),
        );
    }
    Some(match git.commit_as(&["."], "Start the journal", None) {
        Ok(Some(hash)) => format!(" and a git repository for it (first commit {hash})"),
        Ok(None) => " and a git repository for it".into(),
        Err(e) => format!(" and a git repository for it (the first commit failed: {e})"),
    })
}
