use super::args::Global;
use super::output::truncate;
use super::{CliError, CliResult, open_journal};
use crate::model::text::one_line;
use crate::model::{Code, is_slug, slugify};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct CodesArgs {
    #[command(subcommand)]
    pub action: Option<CodesAction>,
}

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// List codes by group with their counts (the default)
    List,
    /// Add a code to the codebook
    Add(CodeAddArgs),
    /// Merge a codebook into codebook.toml: REFI-QDA (.qdc, or a .qdpx's), or a
    /// codebook CSV (Taguette's: `tag`, `description`)
    Import(super::codes_import::CodesImportArgs),
    /// Write the codebook for a QDA program: Taguette's CSV (.csv) or REFI-QDA (.qdc)
    Export(super::codes_import::CodesExportArgs),
}

#[derive(Debug, Args)]
pub struct CodeAddArgs {
    /// Id: a-z, 0-9 and - (made from --name when omitted)
    pub id: Option<String>,
    /// Group id (dimension) the code belongs to
    #[arg(long, short)]
    pub group: String,
    /// Display name
    #[arg(long, short)]
    pub name: Option<String>,
    /// Quick-tag key in the terminal interface
    #[arg(long, short)]
    pub key: Option<String>,
    /// A colour name (yellow, lightblue, ...) or #rrggbb
    #[arg(long)]
    pub color: Option<String>,
    #[arg(long, short)]
    pub description: Option<String>,
    /// Parent code id
    #[arg(long)]
    pub parent: Option<String>,
}

pub fn run(global: &Global, args: CodesArgs) -> CliResult {
    match args.action.unwrap_or(CodesAction::List) {
        CodesAction::List => list(global),
        CodesAction::Add(a) => add(global, a),
        CodesAction::Import(a) => super::codes_import::run(global, a),
        CodesAction::Export(a) => super::codes_import::export(global, a),
    }
}

fn list(global: &Global) -> CliResult {
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let counts = crate::analysis::usage::code_counts(journal);
    let passages = crate::analysis::usage::passage_counts(journal);
    println!(
        "  {:<3} {:<22} {:<26} {:>7} {:>8}",
        "key", "id", "name", "entries", "passages"
    );
    for (group, codes) in journal.codebook.codes_by_group() {
        let name = group.map_or("(no group)".to_string(), |g| {
            format!("{} [{}]", g.name, g.id)
        });
        println!("{}", one_line(&name));
        for c in codes {
            println!(
                "  {:<3} {:<22} {:<26} {:>7} {:>8}",
                one_line(&c.key),
                truncate(&one_line(&c.id), 22),
                truncate(&one_line(&c.name), 26),
                counts.get(c.id.as_str()).copied().unwrap_or(0),
                passages.get(c.id.as_str()).copied().unwrap_or(0)
            );
        }
    }
    Ok(())
}

fn add(global: &Global, args: CodeAddArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let book = &mut opened.journal.codebook;
    let id = match (&args.id, &args.name) {
        (Some(id), _) => id.clone(),
        (None, Some(name)) => slugify(name),
        (None, None) => return Err(CliError::usage("give the code an id or a --name")),
    };
    if !is_slug(&id) {
        return Err(CliError::usage(format!(
            "code id `{id}` must be made of a-z, 0-9 and -"
        )));
    }
    if book.code(&id).is_some() {
        return Err(CliError::failed(format!("code `{id}` already exists")));
    }
    if book.group(&args.group).is_none() {
        let groups: Vec<&str> = book.groups.iter().map(|g| g.id.as_str()).collect();
        return Err(CliError::failed(format!(
            "unknown group `{}` (groups: {})",
            args.group,
            groups.join(", ")
        )));
    }
    let key = args.key.unwrap_or_default();
    if let Some(other) = book.code_for_key(&key) {
        return Err(CliError::failed(format!(
            "key `{key}` already tags `{}`",
            other.id
        )));
    }
    let color = args.color.unwrap_or_default();
    if !color.is_empty() {
        color
            .parse::<crate::model::CodeColor>()
            .map_err(|e| CliError::usage(e.to_string()))?;
    }
    let parent = args.parent.unwrap_or_default();
    if !parent.is_empty() && book.code(&parent).is_none() {
        return Err(CliError::failed(format!("unknown parent code `{parent}`")));
    }
    book.codes.push(Code {
        name: args.name.unwrap_or_else(|| id.clone()),
        id: id.clone(),
        group: args.group,
        key,
        color,
        description: args.description.unwrap_or_default(),
        guid: uuid::Uuid::new_v4().to_string(),
        parent,
    });
    opened.store.save_codebook(book)?;
    println!("added code {id}");
    super::autocommit(
        &opened,
        global,
        &[crate::store::paths::CODEBOOK.to_string()],
        &format!("codebook: add code {id}"),
    );
    Ok(())
}
