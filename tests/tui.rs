//! The interface driven through `update` with key sequences, no terminal needed, and
//! its screens drawn to a TestBackend.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;
#[path = "support/drive.rs"]
mod drive;

use drive::{app, demo_journal, now, press, render, text_of, type_text};
use fieldnote::tui::action::{Action, Effect};
use fieldnote::tui::app::{Access, App, Popup, Screen, Status};
use fieldnote::tui::keymap::Keymap;
use fieldnote::tui::theme::Theme;
use fieldnote::tui::update::update;

fn selected_codes(app: &App) -> Vec<String> {
    app.selected_entry().unwrap().codes.clone()
}

fn saved_ids(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::SaveEntries { entries, .. } => entries.iter().map(|e| e.id.clone()).collect(),
            _ => vec![],
        })
        .collect()
}

#[test]
fn a_code_key_toggles_the_code_and_saves_at_once() {
    let mut app = app(Access::Full);
    let live_key = app.journal.codebook.code("live").unwrap().key.clone();
    press(&mut app, "j");
    let id = app.selected_entry().unwrap().id.clone();
    let had = selected_codes(&app).contains(&"live".to_string());
    let effects = press(&mut app, &live_key);
    assert_eq!(saved_ids(&effects), vec![id.clone()]);
    assert_eq!(selected_codes(&app).contains(&"live".to_string()), !had);
    press(&mut app, &live_key);
    assert_eq!(selected_codes(&app).contains(&"live".to_string()), had);
    assert_eq!(
        app.selected_entry().unwrap().id,
        id,
        "the selection stays on the entry"
    );
}

#[test]
fn undo_puts_the_codes_back_and_saves_that() {
    let mut app = app(Access::Full);
    let before = selected_codes(&app);
    press(&mut app, "1 2 3");
    assert_ne!(selected_codes(&app), before);
    for _ in 0..3 {
        let effects = press(&mut app, "u");
        assert_eq!(saved_ids(&effects).len(), 1);
    }
    assert_eq!(selected_codes(&app), before);
    press(&mut app, "u");
    assert_eq!(app.status, Status::Info("nothing to undo".into()));
}

#[test]
fn marked_entries_are_tagged_together() {
    let mut app = app(Access::Full);
    press(&mut app, "v v v");
    assert_eq!(app.timeline.marked.len(), 3);
    let lacking = app
        .timeline
        .marked
        .iter()
        .filter(|id| !app.journal.entry(id).unwrap().has_code("authenticity"))
        .count();
    assert!(lacking > 0);
    let effects = press(&mut app, "6");
    assert_eq!(
        saved_ids(&effects).len(),
        lacking,
        "only entries that change are saved"
    );
    for id in &app.timeline.marked {
        assert!(
            app.journal.entry(id).unwrap().has_code("authenticity"),
            "{id}"
        );
    }
    press(&mut app, "esc");
    assert!(app.timeline.marked.is_empty());
}

#[test]
fn the_picker_tags_by_name() {
    let mut app = app(Access::Full);
    press(&mut app, "G");
    let had = selected_codes(&app).contains(&"stitch".to_string());
    press(&mut app, "t");
    assert!(matches!(app.popup, Some(Popup::Picker(_))));
    type_text(&mut app, "stitc");
    let effects = press(&mut app, "enter");
    assert_eq!(saved_ids(&effects).len(), 1);
    assert_eq!(selected_codes(&app).contains(&"stitch".to_string()), !had);
    assert!(app.popup.is_none());
}

#[test]
fn filters_compose_with_the_account_timeline() {
    let mut app = app(Access::Full);
    press(&mut app, "f");
    type_text(&mut app, "live -promotion");
    press(&mut app, "enter");
    let filtered = app.timeline.rows.len();
    assert!(filtered > 0 && filtered < app.journal.entries.len());
    for &i in &app.timeline.rows {
        let e = &app.journal.entries[i];
        assert!(e.has_code("live") && !e.has_code("promotion"), "{}", e.id);
    }
    press(&mut app, "A enter");
    assert_eq!(app.screen, Screen::Timeline);
    let handle = app.journal.accounts[0].handle.clone();
    assert!(app.timeline.rows.len() <= filtered);
    for &i in &app.timeline.rows {
        let e = &app.journal.entries[i];
        assert!(e.has_code("live") && e.accounts.contains(&handle));
    }
    // Esc clears the filter first, then leaves the account timeline.
    press(&mut app, "esc");
    assert!(app.timeline.filter.is_empty());
    assert!(
        app.timeline
            .rows
            .iter()
            .all(|&i| app.journal.entries[i].accounts.contains(&handle))
    );
    press(&mut app, "esc");
    assert_eq!(app.screen, Screen::Accounts);
}

#[test]
fn filter_mistakes_are_shown_and_dates_narrow() {
    let mut app = app(Access::Full);
    press(&mut app, "f");
    type_text(&mut app, "liev");
    match &app.popup {
        Some(Popup::Prompt(p)) => assert!(p.error.as_deref().unwrap().contains("live")),
        other => panic!("{other:?}"),
    }
    press(&mut app, "ctrl-u");
    type_text(&mut app, "since:2026-04-01 until:2026-04-30 kind:content");
    press(&mut app, "enter");
    assert!(!app.timeline.rows.is_empty());
    for &i in &app.timeline.rows {
        let e = &app.journal.entries[i];
        assert!(e.observed_at.short().starts_with("2026-04"), "{}", e.id);
    }
}

#[test]
fn search_narrows_as_you_type_and_esc_restores() {
    let mut app = app(Access::Full);
    let all = app.timeline.rows.len();
    press(&mut app, "/");
    type_text(&mut app, "k");
    let after_k = app.timeline.rows.len();
    type_text(&mut app, "ulitku");
    let after_word = app.timeline.rows.len();
    assert!(after_word >= 1 && after_word <= after_k && after_k <= all);
    press(&mut app, "esc");
    assert_eq!(app.timeline.rows.len(), all);
}

#[test]
fn writing_an_entry_saves_it_and_drops_the_draft() {
    let mut app = app(Access::Full);
    press(&mut app, "n");
    assert!(app.editor.is_some());
    type_text(&mut app, "Live started, viewers greet each other");
    // Drafts are written after a few quiet seconds.
    let ticks: Vec<Effect> = (0..3)
        .flat_map(|_| update(&mut app, Action::Tick(now())))
        .collect();
    assert!(
        ticks.iter().any(|e| matches!(e, Effect::WriteDraft(_))),
        "{ticks:?}"
    );
    let effects = press(&mut app, "ctrl-s");
    assert!(app.editor.is_none());
    let new_id = saved_ids(&effects).pop().expect("a save");
    assert!(
        matches!(effects.last(), Some(Effect::RemoveDraft(_))),
        "{effects:?}"
    );
    let e = app.journal.entry(&new_id).unwrap();
    assert_eq!(e.body, "Live started, viewers greet each other\n");
    assert_eq!(app.selected_entry().unwrap().id, new_id);
}

#[test]
fn leaving_the_editor_with_changes_asks_first() {
    let mut app = app(Access::Full);
    press(&mut app, "e");
    type_text(&mut app, "x");
    press(&mut app, "esc");
    assert!(matches!(app.popup, Some(Popup::Confirm(_))));
    press(&mut app, "n");
    assert!(app.editor.is_some(), "n keeps editing");
    press(&mut app, "esc");
    let effects = press(&mut app, "y");
    assert!(app.editor.is_none());
    assert!(matches!(effects.as_slice(), [Effect::RemoveDraft(_)]));
}

#[test]
fn a_bad_time_keeps_the_editor_open_with_the_reason() {
    let mut app = app(Access::Full);
    press(&mut app, "n");
    type_text(&mut app, "body");
    press(&mut app, "tab tab");
    assert_eq!(
        app.editor.as_ref().unwrap().field,
        fieldnote::tui::app::Field::ObservedAt
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "yesterday 25:99");
    let effects = press(&mut app, "ctrl-s");
    assert!(effects.is_empty());
    assert!(app.editor.as_ref().unwrap().error.is_some());
}

#[test]
fn read_only_refuses_every_write_and_says_why() {
    let mut app = app(Access::ReadOnly);
    let before = app.journal.clone();
    for k in ["n", "e", "1", "t", "u", "s"] {
        let effects = press(&mut app, k);
        assert!(effects.is_empty(), "{k}: {effects:?}");
        assert!(app.editor.is_none() && app.popup.is_none(), "{k}");
        match &app.status {
            Status::Error(m) => assert!(m.contains("read-only"), "{k}: {m}"),
            other => panic!("{k}: {other:?}"),
        }
    }
    assert_eq!(app.journal, before);
}

#[test]
fn a_failed_save_puts_the_entry_back() {
    let mut app = app(Access::Full);
    let original = app.selected_entry().unwrap().clone();
    let effects = press(&mut app, "1");
    let Effect::SaveEntries { previous, .. } = &effects[0] else {
        panic!()
    };
    update(
        &mut app,
        Action::Saved(fieldnote::tui::action::SaveOutcome::Failed {
            message: "changed on disk".into(),
            restore: previous.clone(),
            remove: vec![],
        }),
    );
    assert_eq!(app.selected_entry().unwrap(), &original);
    assert!(matches!(&app.status, Status::Error(m) if m.contains("changed on disk")));
}

const COLOR: Theme = Theme { color: true };
const MONO: Theme = Theme { color: false };

#[test]
fn screens_at_80_by_24() {
    let mut app = app(Access::Full);
    insta::assert_snapshot!("timeline_80x24", text_of(&render(&app, COLOR, 80, 24)));
    press(&mut app, "A");
    insta::assert_snapshot!("accounts_80x24", text_of(&render(&app, COLOR, 80, 24)));
    press(&mut app, "C");
    insta::assert_snapshot!("codebook_80x24", text_of(&render(&app, COLOR, 80, 24)));
    press(&mut app, "T ?");
    insta::assert_snapshot!("help_80x24", text_of(&render(&app, COLOR, 80, 24)));
    press(&mut app, "esc n");
    insta::assert_snapshot!("editor_80x24", text_of(&render(&app, COLOR, 80, 24)));
}

#[test]
fn screens_wide() {
    let mut app = app(Access::Full);
    press(&mut app, "j");
    insta::assert_snapshot!("timeline_140x40", text_of(&render(&app, COLOR, 140, 40)));
    press(&mut app, "A");
    insta::assert_snapshot!("accounts_140x40", text_of(&render(&app, COLOR, 140, 40)));
}

#[test]
fn no_color_still_shows_selection_and_chips() {
    let mut app = app(Access::ReadOnly);
    let terminal = render(&app, MONO, 100, 30);
    insta::assert_snapshot!("timeline_mono_100x30", text_of(&terminal));
    let buffer = terminal.backend().buffer();
    use ratatui::style::{Color, Modifier};
    let mut reversed = 0;
    for cell in buffer.content() {
        assert!(
            cell.fg == Color::Reset && cell.bg == Color::Reset,
            "a coloured cell: {cell:?}"
        );
        if cell.modifier.contains(Modifier::REVERSED) {
            reversed += 1;
        }
    }
    assert!(reversed > 10, "the selection is reversed");
    assert!(text_of(&terminal).contains("READ-ONLY"));
    assert!(text_of(&terminal).contains('['), "chips are bracketed");
    press(&mut app, "j");
}

#[test]
fn tiny_and_huge_terminals_do_not_panic() {
    let mut app = app(Access::Full);
    for (w, h) in [(40, 12), (20, 5), (1, 1), (300, 100)] {
        render(&app, COLOR, w, h);
        press(&mut app, "n");
        render(&app, COLOR, w, h);
        press(&mut app, "esc ?");
        render(&app, COLOR, w, h);
        press(&mut app, "esc t");
        render(&app, COLOR, w, h);
        press(&mut app, "esc f");
        render(&app, COLOR, w, h);
        press(&mut app, "esc A");
        render(&app, COLOR, w, h);
        press(&mut app, "C");
        render(&app, COLOR, w, h);
        press(&mut app, "T");
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let mut journal = demo_journal();
    let e = journal.entries.last_mut().unwrap();
    e.title = "evil \u{1b}]0;owned\u{7} \u{202e}txet".into();
    e.body = "line \u{1b}[2J\u{9b}31m 🥺 wide 漢字\n".into();
    e.accounts = vec!["x\u{1b}[31m".into()];
    let app = App::new(journal, Access::Full, Keymap::default(), now());
    for (w, h) in [(80, 24), (140, 40)] {
        let terminal = render(&app, COLOR, w, h);
        let text = text_of(&terminal);
        assert!(
            !text.chars().any(fieldnote::model::text::is_unsafe),
            "{text}"
        );
        assert!(text.contains('␛'), "escapes show as a visible placeholder");
    }
}

#[test]
fn the_codebook_screen_adds_renames_recolours_and_keys_codes() {
    let mut app = app(Access::Full);
    press(&mut app, "C a");
    type_text(&mut app, "theme:Haul video");
    let effects = press(&mut app, "enter");
    assert!(
        matches!(effects.as_slice(), [Effect::SaveCodebook { .. }]),
        "{effects:?}"
    );
    let code = app
        .journal
        .codebook
        .code("haul-video")
        .expect("added")
        .clone();
    assert_eq!(code.group, "theme");
    assert!(fieldnote::store::check::is_uuid(&code.guid));
    // The new code is selected; rename it, recolour it, give it a key.
    press(&mut app, "r ctrl-u");
    type_text(&mut app, "Haul");
    press(&mut app, "enter c");
    type_text(&mut app, "nonsense");
    press(&mut app, "enter");
    assert!(
        matches!(&app.popup, Some(Popup::Prompt(p)) if p.error.is_some()),
        "a bad colour is refused"
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "#ff8800");
    press(&mut app, "enter b");
    type_text(&mut app, "n");
    press(&mut app, "enter");
    assert!(
        matches!(&app.popup, Some(Popup::Prompt(p)) if p.error.as_deref().unwrap().contains("command key")),
        "n is taken by new entry"
    );
    press(&mut app, "backspace");
    type_text(&mut app, "h");
    press(&mut app, "enter");
    let code = app.journal.codebook.code("haul-video").unwrap();
    assert_eq!(
        (code.name.as_str(), code.color.as_str(), code.key.as_str()),
        ("Haul", "#ff8800", "h")
    );
    assert_eq!(code.id, "haul-video", "renaming never changes the id");
    // Its key now tags on the timeline.
    press(&mut app, "T");
    press(&mut app, "h");
    assert!(app.selected_entry().unwrap().has_code("haul-video"));
}

#[test]
fn enter_on_a_code_opens_its_timeline() {
    let mut app = app(Access::Full);
    press(&mut app, "C");
    let first = app.journal.codebook.codes_by_group()[0].1[0].id.clone();
    press(&mut app, "enter");
    assert_eq!(app.screen, Screen::Timeline);
    assert!(!app.timeline.rows.is_empty());
    assert!(
        app.timeline
            .rows
            .iter()
            .all(|&i| app.journal.entries[i].has_code(&first))
    );
    press(&mut app, "esc");
    assert_eq!(app.screen, Screen::Codebook);
}

#[test]
fn a_draft_left_behind_is_offered_back() {
    let mut app = app(Access::Full);
    press(&mut app, "n");
    type_text(&mut app, "typed before the crash");
    let draft = fieldnote::tui::update::current_draft(&app).expect("a draft");
    // A new session finds the draft.
    let mut next = App::new(demo_journal(), Access::Full, Keymap::default(), now());
    next.pending_drafts = vec![draft];
    fieldnote::tui::update::offer_next_draft(&mut next);
    assert!(matches!(next.popup, Some(Popup::Confirm(_))));
    press(&mut next, "enter");
    let editor = next.editor.as_ref().expect("restored into the editor");
    assert_eq!(editor.body_text(), "typed before the crash\n");
}

#[test]
fn the_matrix_counts_drills_down_and_swaps() {
    let mut app = app(Access::Full);
    press(&mut app, "m");
    assert_eq!(app.screen, Screen::Matrix);
    // First line is the "Content theme" heading; the next is Daily life.
    press(&mut app, "j");
    let view = &app.matrix;
    let rows = view.row_headers();
    let cols = view.col_headers();
    let fieldnote::tui::app::RowItem::Row(r) = view.row_items()[1].clone() else {
        panic!()
    };
    assert_eq!(rows[r].id, "daily-life");
    let cindy = cols.iter().position(|c| c.id == "cindymakeup").unwrap();
    let (count, share) = view.cell(r, cindy);
    let expected = app
        .journal
        .entries
        .iter()
        .filter(|e| e.has_code("daily-life") && e.accounts.contains(&"cindymakeup".to_string()))
        .count();
    assert_eq!(count, expected);
    assert!(share.unwrap() > 0.0);
    // Drill down to the quotes behind the cell.
    for _ in 0..cindy {
        press(&mut app, "l");
    }
    press(&mut app, "enter");
    let Some(Popup::Quotes(q)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(q.entries.len(), expected);
    let first = app.journal.entries[q.entries[0]].id.clone();
    for &i in &q.entries {
        let e = &app.journal.entries[i];
        assert!(e.has_code("daily-life") && e.accounts.contains(&"cindymakeup".to_string()));
    }
    insta::assert_snapshot!("quotes_100x30", text_of(&render(&app, COLOR, 100, 30)));
    press(&mut app, "enter");
    assert_eq!(app.screen, Screen::Timeline);
    assert_eq!(
        app.selected_entry().unwrap().id,
        first,
        "Enter opens the quoted entry"
    );
    // Esc goes back to the drill-down it came from, as it was.
    press(&mut app, "esc");
    assert_eq!(app.screen, Screen::Matrix);
    let Some(Popup::Quotes(back)) = &app.popup else {
        panic!("Esc after a jump returns to the quotes: {:?}", app.popup)
    };
    assert_eq!(back.entries.len(), expected);
    press(&mut app, "esc");
    assert!(app.popup.is_none());
    // Back to the matrix: shares, other columns, swapped axes, codes together, folding.
    press(&mut app, "m %");
    assert!(app.matrix.share);
    insta::assert_snapshot!(
        "matrix_share_100x30",
        text_of(&render(&app, COLOR, 100, 30))
    );
    press(&mut app, "b");
    assert!(
        app.matrix.col_headers().iter().any(|c| c.id == "content"),
        "columns by kind"
    );
    press(&mut app, "w");
    assert!(
        app.matrix.row_headers().iter().any(|c| c.id == "content"),
        "kinds as rows"
    );
    press(&mut app, "o");
    assert_eq!(
        app.matrix.row_headers(),
        app.matrix.col_headers(),
        "codes against codes"
    );
    press(&mut app, "o g space");
    assert!(
        app.matrix.row_items().len() < app.matrix.row_headers().len() + 5,
        "a folded group hides its codes"
    );
}

/// The matrix counts from numbered entries the interface keeps between counts: a code
/// toggled on the timeline must be counted at the next look, not the old numbers.
#[test]
fn the_matrix_counts_a_code_tagged_since_it_was_last_shown() {
    let mut app = app(Access::Full);
    while !app.build_some() {}
    let count = |app: &App| {
        let view = &app.matrix;
        let r = view
            .row_headers()
            .iter()
            .position(|h| h.id == "humour")
            .unwrap();
        (0..view.col_headers().len())
            .map(|c| view.cell(r, c).0)
            .sum::<usize>()
    };
    press(&mut app, "m");
    let before = count(&app);
    press(&mut app, "T");
    let humour = app.journal.codebook.code("humour").unwrap().key.clone();
    let untagged = app.journal.entries[app.timeline.rows[app.timeline.selected]]
        .codes
        .iter()
        .all(|c| c != "humour");
    press(&mut app, &humour);
    press(&mut app, "m");
    let after = count(&app);
    if untagged {
        assert!(after > before, "{before} → {after}");
    } else {
        assert!(after < before, "{before} → {after}");
    }
}

#[test]
fn the_matrix_follows_the_timeline_filter() {
    let mut app = app(Access::Full);
    press(&mut app, "f");
    type_text(&mut app, "kind:content");
    press(&mut app, "enter m");
    let matrix = app.matrix.matrix.as_ref().unwrap();
    assert_eq!(matrix.total(), 24, "only content entries are counted");
}

/// The codebook and accounts screens keep their counts between frames; a tag changes
/// them at once, and so does a journal reloaded from disk.
#[test]
fn counts_on_the_codebook_and_accounts_screens_follow_changes() {
    let mut app = app(Access::Full);
    let live_key = app.journal.codebook.code("live").unwrap().key.clone();
    let count = |app: &App| app.usage().code("live");
    let before = count(&app);
    assert_eq!(
        before,
        app.journal
            .entries
            .iter()
            .filter(|e| e.has_code("live"))
            .count()
    );
    let had = selected_codes(&app).contains(&"live".to_string());
    press(&mut app, &live_key);
    let expected = if had { before - 1 } else { before + 1 };
    assert_eq!(count(&app), expected);
    let handle = app.journal.accounts[0].handle.clone();
    let entries_of = |app: &App| app.usage().account(&handle).entries();
    let shown = entries_of(&app);
    assert!(shown > 0);
    let mut fewer = app.journal.clone();
    fewer.entries.retain(|e| !e.accounts.contains(&handle));
    // Stale indices everywhere: the last row selected, the matrix open with the entries
    // behind a cell shown; the reload (a pull that deleted files) must not trip on them.
    press(&mut app, "G m j");
    let fieldnote::tui::app::RowItem::Row(r) = app.matrix.row_items()[1].clone() else {
        panic!("the second matrix row is a code")
    };
    while app.matrix.cell(r, app.matrix.col).0 == 0 {
        press(&mut app, "l");
    }
    press(&mut app, "enter");
    assert!(matches!(app.popup, Some(Popup::Quotes(_))));
    update(&mut app, Action::Reloaded(Box::new(fewer), 0));
    assert!(app.popup.is_none());
    for screen in ["m", "T", "A", "C"] {
        press(&mut app, screen);
        render(&app, Theme { color: true }, 120, 40);
    }
    assert_eq!(entries_of(&app), 0);
    assert_eq!(
        count(&app),
        app.journal
            .entries
            .iter()
            .filter(|e| e.has_code("live"))
            .count()
    );
}

/// Swapping rows and columns keeps the cursor on the same cell (same count, same code and
/// column), and swapping back returns to the line it was on; rows count group headings.
#[test]
fn transposing_the_matrix_keeps_the_cursor_on_its_cell() {
    let mut app = app(Access::Full);
    press(&mut app, "m j j j j l");
    let before_line = app.matrix.row;
    let fieldnote::tui::app::RowItem::Row(r) = app.matrix.row_items()[before_line].clone() else {
        panic!("the cursor is on a code")
    };
    let (code, column) = (
        app.matrix.row_headers()[r].id.clone(),
        app.matrix.col_headers()[app.matrix.col].id.clone(),
    );
    let count = app.matrix.cell(r, app.matrix.col).0;
    press(&mut app, "w");
    let fieldnote::tui::app::RowItem::Row(r2) = app.matrix.row_items()[app.matrix.row].clone()
    else {
        panic!("after the swap the cursor is on a row")
    };
    assert_eq!(app.matrix.row_headers()[r2].id, column);
    assert_eq!(app.matrix.col_headers()[app.matrix.col].id, code);
    assert_eq!(app.matrix.cell(r2, app.matrix.col).0, count);
    press(&mut app, "w");
    assert_eq!(app.matrix.row, before_line);
}

#[test]
fn ctrl_c_quits_where_nothing_is_typed_and_backs_out_where_something_is() {
    let mut app = app(Access::Full);
    let effects = press(&mut app, "ctrl-c");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Quit)),
        "{effects:?}"
    );

    let mut app = drive::app(Access::Full);
    press(&mut app, "n");
    type_text(&mut app, "half a thought");
    let effects = press(&mut app, "ctrl-c");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Quit)),
        "typing is never thrown away by ctrl-c: {effects:?}"
    );
    assert!(app.editor.is_some(), "the editor asks first, as Esc does");
    assert!(
        matches!(app.popup, Some(Popup::Confirm(_))),
        "{:?}",
        app.popup
    );
}

#[test]
fn help_shows_what_applies_and_says_why_history_does_not() {
    let mut reviewer = app(Access::CommentsOnly);
    press(&mut reviewer, "?");
    let help = text_of(&render(&reviewer, COLOR, 100, 60));
    assert!(
        !help.contains("mark"),
        "reviewers cannot tag, so no marking:\n{help}"
    );
    assert!(help.contains("filter bar"), "reviewers do filter:\n{help}");

    let mut no_git = app(Access::Full);
    no_git.has_git = false;
    press(&mut no_git, "?");
    let help = text_of(&render(&no_git, COLOR, 100, 60));
    assert!(help.contains("needs git"), "{help}");
}

#[test]
fn an_entry_saved_under_a_filter_that_hides_it_stays_selected_for_the_next_code_key() {
    let mut app = app(Access::Full);
    // An account's timeline, filtered to lives; a new entry carries no code.
    press(&mut app, "A enter f");
    type_text(&mut app, "live");
    press(&mut app, "enter n");
    type_text(&mut app, "a note about the promotion");
    let effects = press(&mut app, "ctrl-s");
    let new_id = saved_ids(&effects).pop().expect("a save");
    assert_eq!(
        app.selected_entry().map(|e| e.id.clone()),
        Some(new_id.clone()),
        "the entry just written is selected, not the row that was under the cursor"
    );
    let promotion = app.journal.codebook.code("promotion").unwrap().key.clone();
    let tagged = press(&mut app, &promotion);
    assert_eq!(
        saved_ids(&tagged),
        vec![new_id.clone()],
        "the code goes on the new entry"
    );
    assert!(app.journal.entry(&new_id).unwrap().has_code("promotion"));
    // Changing the view lets the filter decide again.
    press(&mut app, "f");
    type_text(&mut app, " -promotion");
    press(&mut app, "enter");
    assert!(
        !app.timeline
            .rows
            .iter()
            .any(|&i| app.journal.entries[i].id == new_id),
        "a new filter hides it"
    );
}

#[test]
fn the_preview_and_the_quotes_keep_the_lines_as_written() {
    let mut app = app(Access::Full);
    let mut entry = app.selected_entry().unwrap().clone();
    entry.body = "Q: how often do you go live?\nA: three times a week\nQ: why?\n".into();
    app.put_entry(entry.clone());
    app.refresh_rows();
    assert!(app.select_entry(&entry.id));
    let screen = text_of(&render(&app, COLOR, 140, 40));
    for line in [
        "Q: how often do you go live?",
        "A: three times a week",
        "Q: why?",
    ] {
        assert!(
            screen.lines().any(|l| l.trim_end().ends_with(line)),
            "each turn on its own line: {line}\n{screen}"
        );
    }
    assert!(!screen.contains("live? A: three"), "{screen}");
}

#[test]
fn a_long_error_is_shown_whole_at_80_columns() {
    let mut app = app(Access::Full);
    let message = "cannot read `25:00` as a time: the hour 25 is out of range (00 to 23); \
                   nothing was saved and the editor keeps what you typed";
    app.status = Status::Error(message.into());
    let screen = text_of(&render(&app, COLOR, 80, 24));
    let flat: String = screen
        .lines()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("nothing was saved and the editor keeps what you typed"),
        "the end of the message is on screen:\n{screen}"
    );
}

#[test]
fn attaching_the_same_picture_twice_says_so() {
    let mut app = app(Access::Full);
    let id = app.selected_entry().unwrap().id.clone();
    let shot = fieldnote::model::Screenshot {
        path: "media/2026/05/shot.png".into(),
        sha256: "ab".repeat(32),
        caption: String::new(),
    };
    let first = update(&mut app, Action::Attached(id.clone(), Ok(shot.clone())));
    assert_eq!(saved_ids(&first), vec![id.clone()]);
    let again = update(&mut app, Action::Attached(id.clone(), Ok(shot)));
    assert!(saved_ids(&again).is_empty(), "{again:?}");
    assert_eq!(
        app.status,
        Status::Info("media/2026/05/shot.png is already attached to this entry".into())
    );
    let shots = &app.journal.entry(&id).unwrap().screenshots;
    assert_eq!(
        shots
            .iter()
            .filter(|s| s.path == "media/2026/05/shot.png")
            .count(),
        1
    );
}

fn saved_accounts(effects: &[Effect]) -> Vec<fieldnote::model::Account> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveAccount { account, .. } => Some(account.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_accounts_screen_adds_edits_and_records_followers() {
    let mut app = app(Access::Full);
    press(&mut app, "A a");
    assert!(matches!(app.popup, Some(Popup::AccountForm(_))));
    insta::assert_snapshot!("account_form_80x24", text_of(&render(&app, COLOR, 80, 24)));
    // A handle the platforms refuse, then one that exists in another case.
    type_text(&mut app, "bad handle!");
    assert!(saved_accounts(&press(&mut app, "enter")).is_empty());
    let error = |app: &App| match &app.popup {
        Some(Popup::AccountForm(f)) => f.error.clone().unwrap_or_default(),
        _ => String::new(),
    };
    assert!(
        error(&app).contains("only letters, digits"),
        "{}",
        error(&app)
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "@CindyMakeup");
    press(&mut app, "enter");
    assert!(error(&app).contains("already exists"), "{}", error(&app));
    press(&mut app, "ctrl-u");
    type_text(&mut app, "rumah.dita");
    // Platform: typing replaces the suggested `tiktok`.
    press(&mut app, "tab");
    type_text(&mut app, "instagram");
    press(&mut app, "tab");
    type_text(&mut app, "Dita");
    press(&mut app, "tab");
    type_text(&mut app, "home & living");
    let saved = saved_accounts(&press(&mut app, "enter"));
    assert_eq!(saved.len(), 1, "{:?}", app.popup);
    let added = &saved[0];
    assert_eq!(
        (added.handle.as_str(), added.platform.as_str()),
        ("rumah.dita", "instagram")
    );
    assert_eq!(added.display_name, "Dita");
    assert_eq!(added.url, "https://www.instagram.com/rumah.dita/");
    assert!(app.popup.is_none());
    // The new account is in the list and selected.
    assert_eq!(
        app.journal.accounts[app.accounts.selected].handle,
        "rumah.dita"
    );
    // Edit: the handle cannot be typed in; shift-tab from platform wraps to notes.
    press(&mut app, "e");
    press(&mut app, "shift-tab");
    type_text(&mut app, "met at the Jakarta meetup");
    // Tab into a field selects its text: typing replaces it.
    press(&mut app, "tab");
    type_text(&mut app, "x");
    let saved = saved_accounts(&press(&mut app, "enter"));
    assert_eq!(saved[0].handle, "rumah.dita");
    assert_eq!(saved[0].notes, "met at the Jakarta meetup");
    assert_eq!(saved[0].platform.as_str(), "x");
    // Followers: a count as the profile shows it, then one for an earlier day.
    press(&mut app, "f");
    type_text(&mut app, "12.4K");
    let saved = saved_accounts(&press(&mut app, "enter"));
    let points: Vec<(String, u64)> = saved[0]
        .followers
        .iter()
        .map(|p| (p.date.to_string(), p.count))
        .collect();
    assert_eq!(points, [("2026-06-01".to_string(), 12400)]);
    press(&mut app, "f");
    type_text(&mut app, "11,900 3 days ago");
    let saved = saved_accounts(&press(&mut app, "enter"));
    assert_eq!(saved[0].latest_followers(), Some((12400, Some(500))));
    press(&mut app, "f");
    type_text(&mut app, "lots");
    assert!(saved_accounts(&press(&mut app, "enter")).is_empty());
    assert!(
        matches!(&app.popup, Some(Popup::Prompt(p)) if p.error.as_deref().unwrap_or("").contains("follower count")),
        "{:?}",
        app.popup
    );
}

#[test]
fn reviewers_cannot_add_or_edit_accounts() {
    for mode in [Access::CommentsOnly, Access::ReadOnly] {
        let mut app = app(mode);
        for key in ["a", "e", "f"] {
            press(&mut app, "A");
            assert!(press(&mut app, key).is_empty());
            assert!(app.popup.is_none(), "{key} in {mode:?}");
            assert!(
                matches!(&app.status, Status::Error(m) if m.contains("not possible here")),
                "{:?}",
                app.status
            );
        }
    }
}

#[test]
fn keymap_mistakes_are_shown_in_the_interface_and_valid_bindings_kept() {
    let (keymap, problems) = Keymap::with_overrides(
        "[timeline]\nnew_entry = \"N\"\nfly = \"z\"\n[global]\nhelp = \"F\"\n",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problems: Vec<String> = problems
        .iter()
        .map(|p| format!("/home/ayu/.config/fieldnote/keymap.toml:{p}"))
        .collect();
    let mut app = App::new(demo_journal(), Access::Full, keymap, now());
    fieldnote::tui::update::show_keymap_problems(&mut app, problems);
    let screen = text_of(&render(&app, COLOR, 80, 24));
    insta::assert_snapshot!("keymap_problems_80x24", screen);
    assert!(
        screen.contains("keymap.toml:3:1: unknown command `fly`"),
        "{screen}"
    );
    // Any key closes it; the valid bindings apply.
    press(&mut app, "esc");
    assert!(app.popup.is_none());
    press(&mut app, "N");
    assert!(app.editor.is_some(), "N is new entry now");
    press(&mut app, "esc F");
    assert!(matches!(app.popup, Some(Popup::Help)));
}

/// The reading view of the demo's first interview, the cursor at the start of its text.
fn reading_an_interview(mode: Access) -> App {
    let mut app = app(mode);
    press(&mut app, "f");
    type_text(&mut app, "kind:interview");
    press(&mut app, "enter p g");
    assert!(app.reader.is_some(), "p opens the reading view");
    app
}

fn saved_entry(effects: &[Effect]) -> fieldnote::model::Entry {
    match effects {
        [Effect::SaveEntries { entries, .. }] if entries.len() == 1 => entries[0].clone(),
        other => panic!("expected one entry saved, got {other:?}"),
    }
}

#[test]
fn a_sentence_is_coded_in_a_few_keys_in_the_reading_view() {
    let mut app = reading_an_interview(Access::Full);
    let before = app.selected_entry().unwrap().clone();
    let key = app.journal.codebook.code("promotion").unwrap().key.clone();
    // The second sentence: `)` goes there, `s` selects it, the code key codes it.
    let effects = press(&mut app, &format!(") s {key}"));
    let saved = saved_entry(&effects);
    let new: Vec<_> = saved
        .passages
        .iter()
        .filter(|p| !before.passages.contains(p))
        .collect();
    assert_eq!(new.len(), 1, "{:?}", saved.passages);
    let second = before.body.split(". ").nth(1).unwrap();
    assert!(
        second.starts_with(&new[0].quote[..new[0].quote.len() - 1]),
        "{:?} is the second sentence of {:?}",
        new[0].quote,
        before.body
    );
    assert_eq!(new[0].codes, ["promotion"]);
    assert!(
        app.reader.as_ref().unwrap().anchor.is_none(),
        "the selection is used up"
    );
    // The cursor is on the new passage: the same key takes the code off (and, with no
    // code left, the passage), `u` puts it back.
    let saved = saved_entry(&press(&mut app, &key));
    assert_eq!(saved.passages, before.passages);
    let saved = saved_entry(&press(&mut app, "u"));
    assert_eq!(saved.passages.len(), before.passages.len() + 1);
    // `d` removes the passage under the cursor; `u` again undoes that.
    let saved = saved_entry(&press(&mut app, "d"));
    assert_eq!(saved.passages, before.passages);
    press(&mut app, "u");
    assert_eq!(
        app.selected_entry().unwrap().passages.len(),
        before.passages.len() + 1
    );
}

#[test]
fn a_visual_selection_is_coded_with_the_picker_and_passages_are_walked() {
    let mut app = reading_an_interview(Access::Full);
    let body = app.selected_entry().unwrap().body.clone();
    // From the start: select three words with v w w e-ish (v, then w w and back one).
    let effects = press(&mut app, "v w w h h t");
    assert!(effects.is_empty());
    assert!(matches!(app.popup, Some(Popup::Picker(_))));
    type_text(&mut app, "daily");
    let saved = saved_entry(&press(&mut app, "enter"));
    let first = &saved.passages[0];
    let words: Vec<&str> = body.split_whitespace().take(2).collect();
    assert_eq!(first.quote, words.join(" "), "two words, trimmed");
    assert_eq!(first.codes, ["daily-life"]);
    // n and N walk the passages in text order; the list marks the current one.
    let spans: Vec<usize> = saved
        .passage_spans()
        .into_iter()
        .flatten()
        .map(|s| s.start)
        .collect();
    let mut sorted = spans.clone();
    sorted.sort_unstable();
    press(&mut app, "g");
    let mut visited = Vec::new();
    for _ in 0..sorted.len() {
        press(&mut app, "n");
        visited.push(app.reader.as_ref().unwrap().cursor);
    }
    assert_eq!(
        visited[..],
        sorted[1..]
            .iter()
            .chain([sorted.last().unwrap()])
            .copied()
            .collect::<Vec<_>>()[..]
    );
    assert!(matches!(&app.status, Status::Info(m) if m.contains("no passage after")));
    press(&mut app, "N");
    assert_eq!(
        app.reader.as_ref().unwrap().cursor,
        sorted[sorted.len() - 2]
    );
    // Esc leaves the reader for the timeline, on the same entry.
    press(&mut app, "esc");
    assert!(app.reader.is_none());
    assert_eq!(app.selected_entry().unwrap().id, saved.id);
}

#[test]
fn reviewers_read_passages_but_cannot_code_them() {
    for mode in [Access::CommentsOnly, Access::ReadOnly] {
        let mut app = reading_an_interview(mode);
        let passages = app.selected_entry().unwrap().passages.clone();
        assert!(!passages.is_empty());
        for keys in ["s 1", "v w 2", "d", "t", "u"] {
            let effects = press(&mut app, keys);
            assert!(effects.is_empty(), "{keys} in {mode:?}: {effects:?}");
            assert!(app.popup.is_none(), "{keys} in {mode:?}");
            press(&mut app, "esc");
            if app.reader.is_none() {
                press(&mut app, "p");
            }
        }
        assert_eq!(app.selected_entry().unwrap().passages, passages);
        let screen = text_of(&render(&app, COLOR, 80, 24));
        assert!(screen.contains("Passages · "), "{screen}");
    }
}

#[test]
fn the_reading_view_at_80_by_24_and_without_colour() {
    let mut app = reading_an_interview(Access::Full);
    press(&mut app, ") s");
    insta::assert_snapshot!("reader_80x24", text_of(&render(&app, COLOR, 80, 24)));
    // Without colour the passages are still marked (underlined) and the selection shown.
    let terminal = render(&app, MONO, 80, 24);
    use ratatui::style::Modifier;
    let cells = terminal.backend().buffer().content();
    let underlined = cells
        .iter()
        .filter(|c| c.modifier.contains(Modifier::UNDERLINED))
        .count();
    let reversed = cells
        .iter()
        .filter(|c| c.modifier.contains(Modifier::REVERSED))
        .count();
    assert!(underlined > 20, "{underlined} underlined cells");
    assert!(reversed > 20, "{reversed} reversed cells");
}

#[test]
fn the_drill_down_quotes_the_coded_passage_not_the_entry_start() {
    let mut app = app(Access::Full);
    press(&mut app, "m");
    // Move down to the row of Emotive, then right to the column of @nadiastory.
    for _ in 0..60 {
        let items = app.matrix.row_items();
        let here = match items.get(app.matrix.row) {
            Some(fieldnote::tui::app::RowItem::Row(r)) => app.matrix.row_headers()[*r].id.clone(),
            _ => String::new(),
        };
        if here == "emotive" {
            break;
        }
        press(&mut app, "j");
    }
    let nadia = app
        .matrix
        .col_headers()
        .iter()
        .position(|c| c.id == "nadiastory")
        .unwrap();
    for _ in 0..nadia {
        press(&mut app, "l");
    }
    press(&mut app, "enter");
    let Some(Popup::Quotes(q)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(q.codes, ["emotive"]);
    let interview = q
        .entries
        .iter()
        .map(|&i| &app.journal.entries[i])
        .find(|e| e.passages.iter().any(|p| p.has_code("emotive")))
        .expect("an interview with a passage coded emotive");
    let quote = interview
        .passages
        .iter()
        .find(|p| p.has_code("emotive"))
        .unwrap()
        .quote
        .clone();
    let screen = text_of(&render(&app, COLOR, 160, 60));
    let first_words: String = quote.chars().take(30).collect();
    assert!(
        screen.contains(&format!("“{first_words}")),
        "the passage is quoted: {first_words:?}\n{screen}"
    );
    let body_start: String = interview.body.chars().take(25).collect();
    assert!(
        !screen.contains(&body_start),
        "not the entry's start\n{screen}"
    );
}

#[test]
fn titles_and_confirmations_name_the_keys_a_keymap_gives() {
    let (keymap, problems) = Keymap::with_overrides(
        "[matrix]\ntranspose = \"W\"\n[confirm]\nyes = \"o\"\n[codebook]\nadd_code = \"+\"\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = App::new(demo_journal(), Access::Full, keymap, now());
    press(&mut app, "m");
    let screen = text_of(&render(&app, COLOR, 160, 30));
    assert!(
        screen.contains("W swap") && !screen.contains("w swap"),
        "{screen}"
    );
    press(&mut app, "C");
    let screen = text_of(&render(&app, COLOR, 160, 30));
    assert!(screen.contains("+ add"), "{screen}");
    // A confirmation answers to the keys it names.
    press(&mut app, "T n");
    type_text(&mut app, "something");
    press(&mut app, "esc");
    let screen = text_of(&render(&app, COLOR, 100, 30));
    assert!(screen.contains("o discard"), "{screen}");
    press(&mut app, "y");
    assert!(app.editor.is_some(), "y no longer discards");
    press(&mut app, "o");
    assert!(app.editor.is_none(), "o discards");
}

/// Advance the app's clock, as the runtime does before each key.
fn at(app: &mut App, time: &str) {
    app.now = time.parse().unwrap();
}

#[test]
fn a_live_session_stamps_each_moment_and_saves_one_entry() {
    let mut app = app(Access::Full);
    // The demo's now is 2026-06-01T03:00:00Z: 10:00 in Jakarta. Joined 10 minutes late.
    press(&mut app, "A j enter L");
    assert!(matches!(&app.popup, Some(Popup::Prompt(p)) if p.input.text == "@dianakocak "));
    type_text(&mut app, "10 min ago");
    let effects = press(&mut app, "enter");
    assert!(
        matches!(effects.as_slice(), [Effect::WriteDraft(_)]),
        "{effects:?}"
    );
    let began = app.live.as_ref().unwrap().session.began;
    assert_eq!(began.civil().strftime("%H:%M:%S").to_string(), "09:50:00");
    at(&mut app, "2026-06-01T03:00:07Z");
    type_text(&mut app, "greets viewers by name #participation");
    let effects = press(&mut app, "enter");
    assert!(
        matches!(effects.as_slice(), [Effect::WriteDraft(d)] if d.live && d.body.contains("[10:00:07 +10:07] greets viewers by name #participation")),
        "{effects:?}"
    );
    at(&mut app, "2026-06-01T03:02:30Z");
    type_text(&mut app, "viewers 320");
    press(&mut app, "enter");
    at(&mut app, "2026-06-01T03:03:00Z");
    type_text(&mut app, "a typo");
    press(&mut app, "enter");
    // Fix: ↑ brings the last moment back; remove it.
    update(
        &mut app,
        Action::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Up,
        )),
    );
    assert_eq!(app.live.as_ref().unwrap().input.text, "a typo");
    press(&mut app, "ctrl-d");
    assert_eq!(app.live.as_ref().unwrap().session.moments.len(), 2);
    insta::assert_snapshot!("live_80x24", text_of(&render(&app, COLOR, 80, 24)));
    // The terminal dies here: the draft written brings the session back, as it was.
    let draft = fieldnote::tui::update::current_draft(&app).unwrap();
    let mut again = App::new(demo_journal(), Access::Full, Keymap::default(), now());
    again.pending_drafts = vec![draft];
    fieldnote::tui::update::offer_next_draft(&mut again);
    press(&mut again, "y");
    let restored = &again
        .live
        .as_ref()
        .expect("the capture view is back")
        .session;
    assert_eq!(restored.moments, app.live.as_ref().unwrap().session.moments);
    assert_eq!(restored.began, began);
    // ctrl-s ends it: one entry, coded live, its moments as lines and passages.
    at(&mut again, "2026-06-01T03:40:00Z");
    let effects = press(&mut again, "ctrl-s");
    let saved = match &effects[..] {
        [Effect::SaveEntries { entries, .. }, Effect::RemoveDraft(_)] => entries[0].clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(saved.codes, ["live"]);
    assert_eq!(saved.accounts, ["dianakocak"]);
    assert_eq!(saved.observed_at, began);
    assert_eq!(
        saved
            .ended_at
            .unwrap()
            .civil()
            .strftime("%H:%M")
            .to_string(),
        "10:40"
    );
    assert_eq!(
        saved.body,
        "[10:00:07 +10:07] greets viewers by name\n[10:02:30 +12:30] viewers 320\n"
    );
    assert_eq!(saved.passages.len(), 1);
    assert_eq!(saved.passages[0].codes, ["participation"]);
    assert!(again.live.is_none());
    assert_eq!(
        again.selected_entry().unwrap().id,
        saved.id,
        "the session is selected"
    );
}

#[test]
fn reviewers_cannot_start_a_live_session() {
    let mut app = app(Access::CommentsOnly);
    press(&mut app, "L");
    assert!(app.popup.is_none() && app.live.is_none());
}

#[test]
fn the_delete_key_asks_then_moves_the_entry_to_the_trash() {
    let mut app = app(Access::Full);
    press(&mut app, "j");
    let id = app.selected_entry().unwrap().id.clone();
    assert!(press(&mut app, "D").is_empty());
    let screen = text_of(&render(&app, COLOR, 100, 30));
    assert!(
        screen.contains("Move to the trash") && screen.contains(&format!("fieldnote restore {id}")),
        "{screen}"
    );
    // n keeps it; D then y asks the runtime to trash it.
    press(&mut app, "n");
    assert!(app.popup.is_none());
    press(&mut app, "D");
    let effects = press(&mut app, "y");
    assert!(
        matches!(effects.as_slice(), [Effect::TrashEntry(t)] if *t == id),
        "{effects:?}"
    );
    update(&mut app, Action::Trashed(id.clone(), Ok(())));
    assert!(app.journal.entry(&id).is_none());
    assert_eq!(app.journal.entries.len(), 52);
    assert!(matches!(&app.status, Status::Info(m) if m.contains("fieldnote restore")));
    // Reviewers may not.
    let mut review = drive::app(Access::CommentsOnly);
    press(&mut review, "D");
    assert!(review.popup.is_none());
}

#[test]
fn the_editor_takes_a_post_s_link_and_counts() {
    let mut app = app(Access::Full);
    press(&mut app, "n");
    use fieldnote::tui::app::Field;
    let field = |app: &App| app.editor.as_ref().unwrap().field;
    while field(&app) != Field::Kind {
        press(&mut app, "shift-tab");
    }
    press(&mut app, "p");
    assert_eq!(
        app.editor.as_ref().unwrap().kind,
        fieldnote::model::Kind::Content
    );
    // A post shows URL and Metrics (not Informant) between the title and the body.
    press(&mut app, "tab tab tab");
    assert_eq!(field(&app), Field::Url);
    type_text(&mut app, "https://www.tiktok.com/@cindymakeup/video/1");
    press(&mut app, "tab");
    assert_eq!(field(&app), Field::Metrics, "informant is for interviews");
    type_text(&mut app, "views 45210 likes 3.1K hearts 3");
    press(&mut app, "tab");
    type_text(&mut app, "GRWM with the new serum");
    assert!(
        press(&mut app, "ctrl-s").is_empty(),
        "a count with no name is refused"
    );
    assert_eq!(field(&app), Field::Metrics);
    for _ in 0.."hearts 3".len() {
        press(&mut app, "backspace");
    }
    type_text(&mut app, "replied 61");
    let effects = press(&mut app, "ctrl-s");
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveEntries { entries, .. } => Some(entries[0].clone()),
            _ => None,
        })
        .expect("saved");
    assert_eq!(saved.url, "https://www.tiktok.com/@cindymakeup/video/1");
    let m = saved.metrics.unwrap();
    assert_eq!(
        (m.views, m.likes, m.replied_comments),
        (Some(45210), Some(3100), Some(61))
    );
    assert_eq!(
        m.metrics_at.map(|t| t.timestamp),
        Some(now()),
        "read when typed"
    );
    // Editing it again shows the counts, and saving unchanged keeps their time.
    press(&mut app, "e");
    assert_eq!(
        app.editor.as_ref().unwrap().metrics.text,
        "views 45210 likes 3100 replied 61"
    );
}

#[test]
fn links_between_entries_are_followed_both_ways_and_inserted_from_the_editor() {
    let mut app = app(Access::Full);
    // Write a memo linking to the entry selected second, picked by ctrl-l.
    press(&mut app, "j");
    let target = app.selected_entry().unwrap().clone();
    press(&mut app, "n");
    type_text(&mut app, "See ");
    press(&mut app, "ctrl-l");
    assert!(matches!(app.popup, Some(Popup::Picker(_))));
    type_text(&mut app, &target.id);
    press(&mut app, "enter");
    let body = app.editor.as_ref().unwrap().body_text();
    assert_eq!(body, format!("See [[{}]]\n", target.id));
    let effects = press(&mut app, "ctrl-s");
    let memo = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveEntries { entries, .. } => Some(entries[0].clone()),
            _ => None,
        })
        .unwrap();
    // The memo is selected: ] goes to the entry it links to; its preview names the memo.
    assert_eq!(app.selected_entry().unwrap().id, memo.id);
    press(&mut app, "]");
    assert_eq!(app.selected_entry().unwrap().id, target.id);
    let screen = text_of(&render(&app, COLOR, 160, 50));
    assert!(screen.contains("Referred to by 1 entry"), "{screen}");
    // Esc comes back along the link; ] from the target goes to the memo (a backlink).
    press(&mut app, "esc");
    assert_eq!(app.selected_entry().unwrap().id, memo.id);
    press(&mut app, "esc ]");
    assert!(app.selected_entry().is_some());
}

#[test]
fn the_charts_screen_draws_each_chart_and_drills_down_to_a_point() {
    let mut app = app(Access::Full);
    press(&mut app, "S");
    assert_eq!(app.screen, Screen::Charts);
    insta::assert_snapshot!(
        "charts_activity_100x30",
        text_of(&render(&app, COLOR, 100, 30))
    );
    // The first week: the entries behind it are the week's entries of every account.
    let data = app.chart_data();
    let (label, entries) = data.behind[0].clone();
    assert!(label.starts_with("week of 2026-03-02"), "{label}");
    press(&mut app, "enter");
    let Some(Popup::Quotes(q)) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert_eq!(q.entries.len(), entries.len());
    for &i in &q.entries {
        let d = app.journal.entries[i].observed_at.civil().date();
        assert!(d >= "2026-03-02".parse().unwrap() && d < "2026-03-09".parse().unwrap());
    }
    press(&mut app, "esc");
    // Each chart in turn draws, at 80×24 and without colour too.
    for _ in 0..4 {
        press(&mut app, "b l");
        let data = app.chart_data();
        assert!(!data.x.is_empty(), "{}", data.title);
        let screen = text_of(&render(&app, MONO, 80, 24));
        assert!(
            screen.contains(data.title.split(' ').next().unwrap()),
            "{screen}"
        );
    }
    // The filter applies: one account's timeline scope leaves one line.
    press(&mut app, "T f");
    type_text(&mut app, "@dianakocak");
    press(&mut app, "enter S");
    assert_eq!(app.chart_data().series.len(), 1);
}

/// The frame drawn from the newest entries while the whole journal loads says so, in
/// place of the counts it cannot know yet; the same journal loaded shows them.
#[test]
fn the_opening_frame_says_it_is_opening_instead_of_counting() {
    let mut app = app(Access::Full);
    let newest = app.selected_entry().unwrap().title.clone();
    app.opening = true;
    let opening = text_of(&render(&app, COLOR, 100, 24));
    assert!(opening.contains("All entries · opening…"), "{opening}");
    assert!(opening.contains("opening the journal…"), "{opening}");
    assert!(opening.contains(&newest[..12]), "{opening}");
    let total = app.journal.entries.len();
    assert!(!opening.contains(&format!("/{total}")), "{opening}");
    app.opening = false;
    let loaded = text_of(&render(&app, COLOR, 100, 24));
    assert!(loaded.contains(&format!("{total}/{total}")), "{loaded}");
    assert!(!loaded.contains("opening"), "{loaded}");
}
