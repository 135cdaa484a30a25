//! `fieldnote comment ID [TEXT]` and `fieldnote comments [--open]`: reviewers' threads
//! on entries, each comment in its own file under `comments/<entry-id>/`.

use super::args::Global;
use super::list::ListFormat;
use super::output::print_json;
use super::show::find_entry;
use super::{CliError, CliResult, author_name, autocommit, open_journal};
use crate::model::text::{one_line, sanitize};
use crate::model::{Comment, Moment};
use crate::store::comment_path;
use crate::store::git::comments_message;
use clap::Args;

#[derive(Debug, Args)]
pub struct CommentArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    /// The comment: text, or `-` to read standard input; without it $EDITOR opens
    pub text: Vec<String>,
    /// Mark every open comment on the entry resolved
    #[arg(long, conflicts_with_all = ["text", "reopen"])]
    pub resolve: bool,
    /// Reopen the entry's last comment
    #[arg(long, conflicts_with = "text")]
    pub reopen: bool,
}

#[derive(Debug, Args)]
pub struct CommentsArgs {
    /// Only comments not resolved yet
    #[arg(long)]
    pub open: bool,
    /// Only comments on this entry (id or unique prefix)
    #[arg(long, value_name = "ID")]
    pub entry: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

pub fn run(global: &Global, args: CommentArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let entry_id = find_entry(&opened.journal, &args.id)?.id.clone();
    let (changed, previous) = if args.resolve || args.reopen {
        let changed: Vec<Comment> = opened
            .journal
            .toggled_thread(&entry_id)
            .into_iter()
            .filter(|c| c.resolved == args.resolve)
            .collect();
        if changed.is_empty() {
            println!(
                "nothing to {}: entry {entry_id} has no {} comment",
                if args.resolve { "resolve" } else { "reopen" },
                if args.resolve { "open" } else { "resolved" }
            );
            return Ok(());
        }
        let previous: Vec<Comment> = changed
            .iter()
            .filter_map(|c| opened.journal.comment(&c.entry, &c.id).cloned())
            .collect();
        (changed, previous)
    } else {
        let body = read_text(&args.text)?;
        if body.trim().is_empty() {
            return Err(CliError::failed("nothing to write: the comment is empty"));
        }
        let author = author_name(global, &opened.journal.settings);
        let at = Moment::in_zone(
            crate::store::clock::now(),
            &opened.journal.settings.time_zone(),
        );
        let comment = opened.journal.new_comment(&entry_id, &author, &body, at);
        (vec![comment], Vec::new())
    };
    for c in &changed {
        opened.store.save_comment(c)?;
    }
    let paths: Vec<String> = changed.iter().map(comment_path).collect();
    for p in &paths {
        println!("{p}");
    }
    let message = comments_message(&changed, &previous);
    for c in changed {
        opened.journal.put_comment(c);
    }
    autocommit(&opened, global, &paths, &message);
    Ok(())
}

fn read_text(text: &[String]) -> Result<String, CliError> {
    match text {
        [dash] if dash == "-" => {
            let mut body = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut body)?;
            Ok(body)
        }
        [] => super::edit_in_editor(""),
        words => Ok(words.join(" ")),
    }
}

pub fn list(global: &Global, args: CommentsArgs) -> CliResult {
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let only = match &args.entry {
        Some(id) => Some(find_entry(journal, id)?.id.clone()),
        None => None,
    };
    let shown: Vec<&Comment> = journal
        .comments
        .iter()
        .filter(|c| !args.open || !c.resolved)
        .filter(|c| only.as_ref().is_none_or(|id| &c.entry == id))
        .collect();
    if args.format == ListFormat::Json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            id: &'a str,
            entry: &'a str,
            author: &'a str,
            at: String,
            body: &'a str,
            resolved: bool,
        }
        let rows: Vec<Row> = shown
            .iter()
            .map(|c| Row {
                id: &c.id,
                entry: &c.entry,
                author: &c.author,
                at: c.at.to_string(),
                body: &c.body,
                resolved: c.resolved,
            })
            .collect();
        return print_json(&rows);
    }
    let mut out = String::new();
    let mut last_entry = None;
    for c in &shown {
        if last_entry != Some(&c.entry) {
            if last_entry.is_some() {
                out.push('\n');
            }
            let headline = journal
                .entry(&c.entry)
                .map_or("(no such entry)".to_string(), |e| one_line(e.headline()));
            out.push_str(&format!("{}  {headline}\n", c.entry));
            last_entry = Some(&c.entry);
        }
        let state = if c.resolved { "resolved" } else { "open" };
        out.push_str(&format!(
            "  {}  {}  [{state}]\n",
            c.at.short(),
            one_line(&c.author)
        ));
        for line in c.body.trim_end().lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    print!("{}", sanitize(&out));
    let open = shown.iter().filter(|c| !c.resolved).count();
    eprintln!(
        "{} comment{} ({open} open)",
        shown.len(),
        if shown.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
