use super::args::Global;
use super::output::print_json;
use super::{CliError, CliResult, open_journal};
use crate::model::text::sanitize;
use crate::model::{Entry, Journal};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum ShowFormat {
    #[default]
    Text,
    Json,
    Toml,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Entry id, or a unique prefix of one
    pub id: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: ShowFormat,
}

pub fn run(global: &Global, args: ShowArgs) -> CliResult {
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let entry = find_entry(journal, &args.id)?;
    match args.format {
        ShowFormat::Json => print_json(entry),
        ShowFormat::Toml => {
            let path = opened.store.root().join(opened.store.entry_path(entry));
            print!("{}", sanitize(&std::fs::read_to_string(path)?));
            Ok(())
        }
        ShowFormat::Text => {
            print!("{}", sanitize(&render(journal, entry)));
            Ok(())
        }
    }
}

/// The entry whose id is `id` or starts with it; an error when none or several do.
pub fn find_entry<'a>(journal: &'a Journal, id: &str) -> Result<&'a Entry, CliError> {
    if let Some(e) = journal.entry(id) {
        return Ok(e);
    }
    match journal.entries_with_prefix(id).as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::failed(format!(
            "no entry with id `{id}`\n  hint: `fieldnote list` shows ids"
        ))),
        many => Err(CliError::failed(format!(
            "`{id}` is the start of {} ids ({}, ...); type more of it",
            many.len(),
            many.iter()
                .take(3)
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The entry in full, as a person reads it.
pub fn render(journal: &Journal, e: &Entry) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        if e.title.is_empty() {
            e.headline()
        } else {
            &e.title
        }
    );
    let _ = writeln!(s, "id        {}", e.id);
    let _ = writeln!(s, "kind      {}", e.kind);
    let _ = writeln!(s, "observed  {}", e.observed_at);
    if let Some(end) = e.ended_at {
        let _ = writeln!(
            s,
            "ended     {end} ({})",
            crate::model::live::duration_words(e.observed_at.timestamp, end.timestamp)
        );
    }
    if let Some(r) = e.recorded_at {
        let _ = writeln!(s, "recorded  {r}");
    }
    if !e.accounts.is_empty() {
        let names: Vec<String> = e.accounts.iter().map(|a| format!("@{a}")).collect();
        let _ = writeln!(s, "accounts  {}", names.join(", "));
    }
    if !e.informant.is_empty() {
        let _ = writeln!(s, "informant {}", e.informant);
    }
    if !e.url.is_empty() {
        let _ = writeln!(s, "url       {}", e.url);
    }
    if !e.source_id.is_empty() {
        let _ = writeln!(s, "source    {}", e.source_id);
    }
    for (group, codes) in journal.codebook.codes_by_group() {
        let names: Vec<&str> = codes
            .iter()
            .filter(|c| e.has_code(&c.id))
            .map(|c| c.name.as_str())
            .collect();
        if !names.is_empty() {
            let label = group.map_or("Other", |g| g.name.as_str());
            let _ = writeln!(s, "codes     {label}: {}", names.join(", "));
        }
    }
    let unknown: Vec<&str> = e
        .codes
        .iter()
        .filter(|c| journal.codebook.code(c).is_none())
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        let _ = writeln!(s, "codes     (not in codebook): {}", unknown.join(", "));
    }
    if let Some(m) = &e.metrics {
        let parts = m.describe(|n| n.to_string());
        let at = m
            .metrics_at
            .map(|t| format!(" (at {})", t.short()))
            .unwrap_or_default();
        let _ = writeln!(s, "metrics   {}{at}", parts.join(" · "));
    }
    for shot in &e.screenshots {
        let caption = if shot.caption.is_empty() {
            String::new()
        } else {
            format!("  {}", shot.caption)
        };
        let _ = writeln!(s, "screenshot {}{caption}", shot.path);
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "{}", e.body.trim_end());
    for c in journal.comments_on(&e.id) {
        let state = if c.resolved { "resolved" } else { "open" };
        let _ = writeln!(s, "\n— {} · {} · {state}", c.author, c.at.short());
        let _ = writeln!(s, "{}", c.body.trim_end());
    }
    s
}
