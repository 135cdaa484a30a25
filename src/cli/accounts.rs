use super::args::{AccountAddArgs, AccountsAction, AccountsArgs, Global};
use super::output::truncate;
use super::{CliError, CliResult, open_journal};
use crate::model::text::one_line;
use crate::model::{Account, FollowerPoint, Moment, Platform};

pub fn run(global: &Global, args: AccountsArgs) -> CliResult {
    match args.action.unwrap_or(AccountsAction::List) {
        AccountsAction::List => list(global),
        AccountsAction::Add(a) => add(global, a),
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
    if opened.journal.account(&handle).is_some() {
        return Err(CliError::failed(format!(
            "account @{handle} already exists"
        )));
    }
    let platform = Platform::parse(&args.platform).ok_or_else(|| {
        CliError::usage(format!(
            "unknown platform `{}` (tiktok, instagram, youtube, x, other)",
            args.platform
        ))
    })?;
    let today = Moment::in_zone(
        crate::store::clock::now(),
        &opened.journal.settings.time_zone(),
    )
    .civil()
    .date();
    let account = Account {
        url: args.url.unwrap_or_else(|| default_url(platform, &handle)),
        handle,
        platform,
        display_name: args.display_name.unwrap_or_default(),
        category: args.category.unwrap_or_default(),
        pseudonym: args.pseudonym.unwrap_or_default(),
        notes: String::new(),
        followers: args
            .followers
            .map(|count| FollowerPoint { date: today, count })
            .into_iter()
            .collect(),
    };
    opened.store.save_account(&account)?;
    println!("added @{}", account.handle);
    super::autocommit(
        &opened,
        global,
        &[format!("accounts/{}.toml", account.handle)],
        &format!("account {}: added", account.handle),
    );
    Ok(())
}

/// The profile address of `handle` on `platform`, where the platform has one.
pub fn default_url(platform: Platform, handle: &str) -> String {
    match platform {
        Platform::Tiktok => format!("https://www.tiktok.com/@{handle}"),
        Platform::Instagram => format!("https://www.instagram.com/{handle}/"),
        Platform::Youtube => format!("https://www.youtube.com/@{handle}"),
        Platform::X => format!("https://x.com/{handle}"),
        Platform::Other => String::new(),
    }
}
