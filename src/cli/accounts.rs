use super::args::Global;
use super::output::truncate;
use super::{CliError, CliResult, open_journal};
use crate::model::text::one_line;
use crate::model::time::parse_when;
use crate::model::{Account, Moment, Platform};
use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct AccountsArgs {
    #[command(subcommand)]
    pub action: Option<AccountsAction>,
}

#[derive(Debug, Subcommand)]
pub enum AccountsAction {
    /// List accounts with their entry counts (the default)
    List,
    /// Add an account
    Add(AccountAddArgs),
    /// Record a follower count or change an account's fields
    Set(AccountSetArgs),
}

#[derive(Debug, Args)]
pub struct AccountSetArgs {
    /// Handle, without or with `@` (any case)
    pub handle: String,
    /// Add a follower count to the account's history: 12400, 12,400 or 12.4K
    #[arg(long, value_parser = crate::model::parse_count)]
    pub followers: Option<u64>,
    /// When the count was seen (`2026-03-14`, `yesterday`, `3 days ago`; default now)
    #[arg(long, value_name = "TIME", requires = "followers")]
    pub at: Option<String>,
    /// tiktok | instagram | youtube | x | other
    #[arg(long)]
    pub platform: Option<String>,
    #[command(flatten)]
    pub fields: AccountFieldArgs,
    #[arg(long)]
    pub notes: Option<String>,
}

/// The descriptive fields of an account, as `accounts add` and `accounts set` take them.
#[derive(Debug, Args)]
pub struct AccountFieldArgs {
    #[arg(long = "name")]
    pub display_name: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub url: Option<String>,
    /// Name used by exports that pseudonymise
    #[arg(long)]
    pub pseudonym: Option<String>,
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// Handle, without or with `@`
    pub handle: String,
    /// tiktok | instagram | youtube | x | other
    #[arg(long, default_value = "tiktok")]
    pub platform: String,
    #[command(flatten)]
    pub fields: AccountFieldArgs,
    /// Current follower count (recorded with today's date): 12400, 12,400 or 12.4K
    #[arg(long, value_parser = crate::model::parse_count)]
    pub followers: Option<u64>,
}

pub fn run(global: &Global, args: AccountsArgs) -> CliResult {
    match args.action.unwrap_or(AccountsAction::List) {
        AccountsAction::List => list(global),
        AccountsAction::Add(a) => add(global, a),
        AccountsAction::Set(a) => set(global, a),
    }
}

fn list(global: &Global) -> CliResult {
    let opened = open_journal(global)?;
    let journal = &opened.journal;
    let usage = crate::analysis::usage::account_usage(journal);
    println!(
        "{:<20} {:<10} {:<28} {:>10} {:>8} {:>8}  last observed",
        "handle", "platform", "category", "followers", "change", "entries"
    );
    for a in &journal.accounts {
        let (followers, change) = match a.latest_followers() {
            Some((n, Some(d))) => (n.to_string(), format!("{d:+}")),
            Some((n, None)) => (n.to_string(), String::new()),
            None => (String::new(), String::new()),
        };
        let u = usage.get(a.handle.as_str()).copied().unwrap_or_default();
        let last = u.last.map(|m| m.short()).unwrap_or_default();
        println!(
            "{:<20} {:<10} {:<28} {:>10} {:>8} {:>8}  {last}",
            truncate(&format!("@{}", one_line(&a.handle)), 20),
            a.platform.as_str(),
            truncate(&one_line(&a.category), 28),
            followers,
            change,
            u.entries(),
        );
    }
    Ok(())
}

fn add(global: &Global, args: AccountAddArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let handle = args.handle.trim().trim_start_matches('@').to_string();
    if let Some(why) = crate::model::handle_problem(&handle) {
        return Err(CliError::usage(why));
    }
    if let Some(existing) = opened.journal.account(&handle) {
        return Err(CliError::failed(format!(
            "account @{} already exists\n  hint: `fieldnote accounts set {} --followers N` records a follower count; --name, --category, --url, --pseudonym and --notes change it",
            one_line(&existing.handle),
            one_line(&existing.handle)
        )));
    }
    let platform = parse_platform(&args.platform)?;
    let today = Moment::in_zone(
        crate::store::clock::now(),
        &opened.journal.settings.time_zone(),
    )
    .civil()
    .date();
    let mut account = Account {
        url: args
            .fields
            .url
            .unwrap_or_else(|| platform.profile_url(&handle)),
        handle,
        platform,
        display_name: args.fields.display_name.unwrap_or_default(),
        category: args.fields.category.unwrap_or_default(),
        pseudonym: args.fields.pseudonym.unwrap_or_default(),
        ..Account::default()
    };
    if let Some(count) = args.followers {
        account.record_followers(today, count);
    }
    opened.store.save_account(&account)?;
    println!("added @{}", account.handle);
    super::autocommit(
        &opened,
        global,
        &[crate::store::paths::of_account(&account)],
        &format!("account {}: added", account.handle),
    );
    Ok(())
}

fn parse_platform(name: &str) -> Result<Platform, CliError> {
    Platform::parse(name).ok_or_else(|| {
        CliError::usage(format!(
            "unknown platform `{}` (tiktok, instagram, youtube, x, other)",
            one_line(name)
        ))
    })
}

/// `accounts set`: add a follower count to the history and change the fields given.
fn set(global: &Global, args: AccountSetArgs) -> CliResult {
    let mut opened = open_journal(global)?;
    let handle = crate::analysis::names::resolve_account(&opened.journal, &args.handle).map_err(
        |unknown| {
            let hint = if unknown.near.is_empty() {
                format!(
                    "\n  hint: `fieldnote accounts add {}` adds it",
                    one_line(&unknown.name)
                )
            } else {
                String::new()
            };
            CliError::failed(format!("{}{hint}", one_line(&unknown.to_string())))
        },
    )?;
    let Some(mut account) = opened.journal.account(&handle).cloned() else {
        return Err(CliError::failed(format!("no account @{handle}")));
    };
    let mut changed = Vec::new();
    if let Some(count) = args.followers {
        let tz = opened.journal.settings.time_zone();
        let now = crate::store::clock::now();
        let when = match &args.at {
            Some(at) => parse_when(at, &tz, now).map_err(CliError::time)?,
            None => Moment::in_zone(now, &tz),
        };
        let date = when.civil().date();
        match account.record_followers(date, count) {
            Some(before) => changed.push(format!("followers on {date}: {before} → {count}")),
            None => changed.push(format!("followers on {date}: {count}")),
        }
    }
    if let Some(name) = &args.platform {
        account.platform = parse_platform(name)?;
        changed.push(format!("platform {}", account.platform.as_str()));
    }
    let fields = [
        ("name", args.fields.display_name, &mut account.display_name),
        ("category", args.fields.category, &mut account.category),
        ("url", args.fields.url, &mut account.url),
        ("pseudonym", args.fields.pseudonym, &mut account.pseudonym),
        ("notes", args.notes, &mut account.notes),
    ];
    for (label, value, field) in fields {
        if let Some(value) = value {
            *field = value;
            changed.push(label.to_string());
        }
    }
    if changed.is_empty() {
        return Err(CliError::usage(
            "nothing to set: give --followers N, --platform, --name, --category, --url, --pseudonym or --notes",
        ));
    }
    opened.store.save_account(&account)?;
    let what = changed.join(", ");
    println!("@{}: {}", account.handle, one_line(&what));
    super::autocommit(
        &opened,
        global,
        &[crate::store::paths::of_account(&account)],
        &format!("account {}: {what}", account.handle),
    );
    Ok(())
}
