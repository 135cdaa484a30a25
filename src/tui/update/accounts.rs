//! The accounts screen's edits: adding an account, editing one, and recording a
//! follower count. Each ends in one `Effect::SaveAccount`.

use ratatui::crossterm::event::KeyEvent;

use super::super::action::{Command, Effect};
use super::super::app::{
    ACCOUNT_FIELDS, AccountForm, App, Popup, Prompt, PromptKind, Screen, Status,
};
use super::super::input::LineInput;
use crate::model::text::one_line;
use crate::model::time::parse_when;
use crate::model::{Account, Platform, handle_problem, parse_count};

/// The selected account on the accounts screen.
fn selected(app: &App) -> Option<&Account> {
    if app.screen != Screen::Accounts {
        return None;
    }
    app.journal.accounts.get(app.accounts.selected)
}

pub fn open_new(app: &mut App) {
    app.popup = Some(Popup::AccountForm(AccountForm::new_account()));
}

pub fn open_edit(app: &mut App) {
    if let Some(form) = selected(app).map(AccountForm::edit) {
        app.popup = Some(Popup::AccountForm(form));
    }
}

pub fn open_followers(app: &mut App) {
    if let Some(handle) = selected(app).map(|a| a.handle.clone()) {
        app.popup = Some(Popup::Prompt(Prompt {
            kind: PromptKind::Followers(handle),
            input: LineInput::new(""),
            before: String::new(),
            error: None,
            completions: Vec::new(),
        }));
    }
}

pub fn on_text_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if let Some(Popup::AccountForm(form)) = app.popup.as_mut() {
        let focus = form.focus;
        if form.editable(focus) && form.fields[focus].handle(key) {
            form.error = None;
        }
    }
    Vec::new()
}

pub fn on_command(app: &mut App, command: Command) -> Vec<Effect> {
    let Some(Popup::AccountForm(form)) = app.popup.as_mut() else {
        return Vec::new();
    };
    match command {
        Command::Back => app.popup = None,
        Command::NextField => move_focus(form, 1),
        Command::PrevField => move_focus(form, ACCOUNT_FIELDS.len() - 1),
        Command::Open => return submit(app),
        _ => {}
    }
    Vec::new()
}

/// Move to the next editable field, `step` places on (wrapping).
fn move_focus(form: &mut AccountForm, step: usize) {
    let count = ACCOUNT_FIELDS.len();
    let mut at = form.focus;
    for _ in 0..count {
        at = (at + step) % count;
        if form.editable(at) {
            form.focus = at;
            // As in a form on the web: the value is selected, typing replaces it.
            let field = &mut form.fields[at];
            field.selected = !field.text.is_empty();
            return;
        }
    }
}

fn submit(app: &mut App) -> Vec<Effect> {
    let Some(Popup::AccountForm(form)) = app.popup.as_ref() else {
        return Vec::new();
    };
    match account_from_form(app, form) {
        Ok(account) => {
            let verb = if form.editing.is_some() {
                "changed"
            } else {
                "added"
            };
            app.popup = None;
            let message = format!("account {}: {verb}", account.handle);
            app.status = Status::Info(format!("account @{} {verb}", one_line(&account.handle)));
            app.put_account(account.clone());
            vec![Effect::SaveAccount { account, message }]
        }
        Err((field, why)) => {
            if let Some(Popup::AccountForm(form)) = app.popup.as_mut() {
                form.error = Some(why);
                form.focus = field;
            }
            Vec::new()
        }
    }
}

/// The account the form describes, or the field that is wrong and why.
fn account_from_form(app: &App, form: &AccountForm) -> Result<Account, (usize, String)> {
    let value = |i: usize| form.fields[i].text.trim().to_string();
    let mut account = form.editing.clone().unwrap_or_default();
    if form.editing.is_none() {
        let handle = value(0).trim_start_matches('@').to_string();
        if let Some(why) = handle_problem(&handle) {
            return Err((0, why));
        }
        if let Some(existing) = app.journal.account(&handle) {
            return Err((
                0,
                format!(
                    "@{} already exists: e on the accounts screen edits it",
                    one_line(&existing.handle)
                ),
            ));
        }
        account.handle = handle;
    }
    let platform_name = value(1).to_ascii_lowercase();
    account.platform = Platform::parse(&platform_name).ok_or_else(|| {
        (
            1,
            format!(
                "unknown platform `{}`: tiktok, instagram, youtube, x or other",
                one_line(&platform_name)
            ),
        )
    })?;
    account.display_name = value(2);
    account.category = value(3);
    account.url = value(4);
    if account.url.is_empty() && form.editing.is_none() {
        account.url = account.platform.profile_url(&account.handle);
    }
    account.pseudonym = value(5);
    account.notes = value(6);
    Ok(account)
}

/// The followers prompt's answer: `COUNT` or `COUNT WHEN` (`12.4K yesterday`).
pub fn record_followers(app: &mut App, handle: &str, text: &str) -> Result<Vec<Effect>, String> {
    let (count, when) = match text.split_once(char::is_whitespace) {
        Some((count, when)) => (count, when.trim()),
        None => (text, ""),
    };
    let count = parse_count(count)?;
    let tz = app.journal.settings.time_zone();
    let moment = if when.is_empty() {
        crate::model::Moment::in_zone(app.now, &tz)
    } else {
        parse_when(when, &tz, app.now).map_err(|e| e.to_string())?
    };
    let date = moment.civil().date();
    let mut account = app
        .journal
        .account(handle)
        .cloned()
        .ok_or_else(|| format!("@{} is gone", one_line(handle)))?;
    let replaced = account.record_followers(date, count);
    let message = format!("account {}: followers on {date}: {count}", account.handle);
    app.status = Status::Info(match replaced {
        Some(before) => format!(
            "@{}: followers on {date} {before} → {count}",
            one_line(&account.handle)
        ),
        None => format!(
            "@{}: {count} followers on {date}",
            one_line(&account.handle)
        ),
    });
    app.put_account(account.clone());
    Ok(vec![Effect::SaveAccount { account, message }])
}
