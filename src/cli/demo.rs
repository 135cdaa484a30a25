use std::io::IsTerminal;
use std::path::PathBuf;

use super::args::Global;
use super::{CliError, CliResult};
use crate::model::Moment;
use crate::store::git::{Git, GitError, Signature};
use crate::store::locate::MARKER;
use clap::Args;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write it (default: a new temporary folder)
    pub dir: Option<PathBuf>,
    /// Generate a large synthetic journal of this many entries instead of the sample
    #[arg(long, value_name = "N")]
    pub entries: Option<usize>,
    /// Only write the journal; do not open it
    #[arg(long)]
    pub no_open: bool,
    /// Do not make the sample a git repository with a history (it is one by default)
    #[arg(long)]
    pub no_git: bool,
}

pub fn run(global: &Global, args: DemoArgs) -> CliResult {
    let dir = match args.dir {
        Some(d) => d,
        None => tempfile::Builder::new()
            .prefix("fieldnote-demo-")
            .tempdir()?
            .keep(),
    };
    if dir.join(MARKER).exists() {
        eprintln!(
            "{} already holds a journal: opening it as it is",
            dir.display()
        );
    } else if let Some(n) = args.entries {
        let started = std::time::Instant::now();
        let files = crate::demo::generate(&dir, n)?;
        eprintln!(
            "generated {n} entries ({files} files) in {} in {:.1} s",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
    } else {
        crate::demo::write_sample(&dir).map_err(|e| {
            CliError::failed(format!("cannot write the demo to {}: {e}", dir.display()))
        })?;
        if !args.no_git {
            if let Err(e) = commit_demo_history(&dir) {
                eprintln!("note: the demo has no git history ({e})");
            }
        }
    }
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if args.no_open || !interactive {
        println!("{}", dir.display());
        eprintln!(
            "The demo journal (fictional sample data) is in {}. Try:",
            dir.display()
        );
        eprintln!("  fieldnote -J {} list", dir.display());
        eprintln!(
            "  fieldnote -J {} list --code live --account cindymakeup",
            dir.display()
        );
        eprintln!("  fieldnote -J {} check", dir.display());
        eprintln!(
            "  fieldnote -J {}          (the terminal interface)",
            dir.display()
        );
        return Ok(());
    }
    let global = Global {
        journal: Some(dir),
        ..global.clone()
    };
    super::interface(&global)
}

/// Make the sample journal a git repository with the history its fieldwork would have
/// had: the start, a commit a week as entries were written (with their screenshots), and
/// each reviewer comment under its reviewer's name, so that a newcomer sees `H` history
/// and the status bar at once. Without git installed there is simply no history.
fn commit_demo_history(dir: &std::path::Path) -> Result<(), GitError> {
    let opened = crate::store::open(dir).map_err(|e| GitError(e.to_string()))?;
    let (journal, store) = (&opened.journal, &opened.store);
    let researcher = journal.settings.first_researcher();
    let sign = |name: &str, at: Moment| Signature {
        name: name.to_string(),
        email: String::new(),
        date: Some(at.to_string()),
    };
    let git = Git::init(dir)?;
    let first = journal.entries.iter().map(|e| e.observed_at).min();
    let Some(start) = first else {
        return Ok(());
    };
    use crate::store::paths;
    let setup = [
        paths::SETTINGS,
        paths::CODEBOOK,
        ".gitignore",
        paths::ACCOUNTS,
    ];
    git.commit_as(
        &setup,
        "Start the journal: codebook and the three accounts",
        Some(&sign(&researcher, start)),
    )?;
    // Entries a week at a time, signed when the week's last one was written down.
    let week_of = |m: &Moment| {
        let date = m.civil().date();
        (date.year(), date.iso_week_date().week())
    };
    let mut committed_at = std::collections::HashMap::new();
    let mut weeks: Vec<(_, Vec<&crate::model::Entry>)> = Vec::new();
    for e in &journal.entries {
        match weeks.last_mut() {
            Some((week, list)) if *week == week_of(&e.observed_at) => list.push(e),
            _ => weeks.push((week_of(&e.observed_at), vec![e])),
        }
    }
    let mut comments: Vec<_> = journal.comments.iter().collect();
    comments.sort_by_key(|c| c.at);
    let mut pending = comments.into_iter().peekable();
    for (_, entries) in &weeks {
        let at = entries
            .iter()
            .map(|e| e.recorded_at.unwrap_or(e.observed_at))
            .max()
            .unwrap_or(start);
        // Comments made before this week's commit, on entries already committed.
        while let Some(c) = pending.next_if(|c| c.at < at && committed_at.contains_key(&c.entry)) {
            commit_comment(&git, c, &sign(&c.author, comment_date(&committed_at, c)))?;
        }
        let mut paths: Vec<String> = entries.iter().map(|e| store.entry_path(e)).collect();
        paths.extend(
            entries
                .iter()
                .flat_map(|e| e.screenshots.iter().map(|s| s.path.clone())),
        );
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let message = format!(
            "Fieldwork, week of {}: {}",
            entries[0].observed_at.civil().date(),
            crate::model::text::counted(entries.len(), "entry", "entries")
        );
        git.commit_as(&paths, &message, Some(&sign(&researcher, at)))?;
        for e in entries {
            committed_at.insert(e.id.clone(), at);
        }
    }
    for c in pending {
        commit_comment(&git, c, &sign(&c.author, comment_date(&committed_at, c)))?;
    }
    Ok(())
}

/// A comment is never dated before the commit of the entry it is on.
fn comment_date(
    committed_at: &std::collections::HashMap<String, Moment>,
    c: &crate::model::Comment,
) -> Moment {
    committed_at.get(&c.entry).map_or(c.at, |&at| c.at.max(at))
}

fn commit_comment(git: &Git, c: &crate::model::Comment, who: &Signature) -> Result<(), GitError> {
    let path = crate::store::comment_path(c);
    let message = format!("Comment by {} on {}", c.author, c.entry);
    git.commit_as(&[&path], &message, Some(who)).map(|_| ())
}
