//! Saves the interface could not make: the file changed on disk (another TUI, the CLI, a
//! `git pull`), the disk is full, the folder is read-only. Never a silent overwrite,
//! never a lost note: the model is put back, typed text returns to the editor, and a
//! conflict offers reloading theirs or saving this version as a copy.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/tmux.rs"]
mod tmux;

use drive::{app, press, render, text_of, type_text};
use fieldnote::tui::action::{Action, Effect, NotSaved, SaveOutcome};
use fieldnote::tui::app::{Access, App, Confirm, Popup, Status};
use fieldnote::tui::theme::Theme;
use fieldnote::tui::update::update;

/// Edit the selected entry's body and save: the effects asked for.
fn edit_and_save(app: &mut App, text: &str) -> Vec<Effect> {
    press(app, "e");
    type_text(app, text);
    press(app, "ctrl-s")
}

/// What the runtime reports when the `SaveEntries` of `effects` fails.
fn refused(effects: &[Effect], message: &str, conflict: bool) -> Action {
    let draft = effects.iter().find_map(|e| match e {
        Effect::WriteDraft(d) => Some(d.clone()),
        _ => None,
    });
    let Some(Effect::SaveEntries {
        entries,
        previous,
        message: label,
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::SaveEntries { .. }))
    else {
        panic!("no save in {effects:?}")
    };
    Action::Saved(SaveOutcome::NotSaved(Box::new(NotSaved {
        message: message.into(),
        label: label.clone(),
        restore: previous.clone(),
        remove: vec![],
        unsaved: entries.clone(),
        draft,
        conflict,
    })))
}

const CHANGED: &str = "entries/2026/05/x.toml was changed on disk by someone else since it was loaded (its content differs); nothing was written";

#[test]
fn a_conflict_offers_a_copy_and_keeps_both_versions() {
    let mut app = app(Access::Full);
    let original = app.selected_entry().unwrap().clone();
    let effects = edit_and_save(&mut app, "zqx mine ");
    update(&mut app, refused(&effects, CHANGED, true));

    // The model shows what is on disk; the typed text is back in the editor.
    assert_eq!(app.journal.entry(&original.id), Some(&original));
    let editor = app.editor.as_ref().expect("the editor is back");
    assert!(editor.body_text().starts_with("zqx mine "));
    assert!(matches!(
        &app.popup,
        Some(Popup::Confirm(Confirm::Conflict(_)))
    ));
    let screen = text_of(&render(&app, Theme { color: true }, 80, 24));
    assert!(screen.contains("Changed on disk"), "{screen}");
    assert!(screen.contains("c save yours"), "{screen}");

    let effects = press(&mut app, "c");
    let [
        Effect::SaveEntries {
            entries, previous, ..
        },
        Effect::RemoveDraft(_),
        Effect::Reload,
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert!(previous.is_empty(), "a copy is a new entry");
    assert_eq!(entries.len(), 1);
    let copy = &entries[0];
    assert_ne!(copy.id, original.id);
    assert!(copy.body.starts_with("zqx mine "));
    assert_eq!(copy.observed_at, original.observed_at);
    assert!(app.editor.is_none() && app.popup.is_none());
}

#[test]
fn a_conflict_can_reload_theirs_and_offers_this_version_back() {
    let mut app = app(Access::Full);
    let effects = edit_and_save(&mut app, "zqx mine ");
    update(&mut app, refused(&effects, CHANGED, true));
    let effects = press(&mut app, "r");
    assert!(
        matches!(effects.as_slice(), [Effect::WriteDraft(_), Effect::Reload]),
        "{effects:?}"
    );
    assert!(app.editor.is_none());
    // Once reloaded, this version is offered back as a draft.
    let journal = Box::new(app.journal.clone());
    update(&mut app, Action::Reloaded(journal, 0));
    let Some(Popup::Confirm(Confirm::RestoreDraft(d))) = &app.popup else {
        panic!("{:?}", app.popup)
    };
    assert!(d.body.starts_with("zqx mine "));
}

#[test]
fn a_full_disk_puts_the_text_back_in_the_editor() {
    let mut app = app(Access::Full);
    let effects = edit_and_save(&mut app, "zqx mine ");
    let message = "entries/2026/05/x.toml: No space left on device (os error 28)";
    update(&mut app, refused(&effects, message, false));
    assert!(app.popup.is_none(), "nothing to choose: the disk is full");
    assert!(app.editor.as_ref().unwrap().body_text().starts_with("zqx"));
    assert!(matches!(&app.status, Status::Error(m) if m.contains("No space left")));
}

#[test]
fn a_failed_tag_undoes_only_its_own_step() {
    let mut app = app(Access::Full);
    press(&mut app, "1");
    let effects = press(&mut app, "2");
    assert_eq!(app.undo.len(), 2);
    update(&mut app, refused(&effects, "read-only file system", false));
    assert_eq!(app.undo.len(), 1, "the first tagging can still be undone");
    // An editor save makes no undo step, so its failure takes none away.
    let effects = edit_and_save(&mut app, "x");
    update(&mut app, refused(&effects, "read-only file system", false));
    assert_eq!(app.undo.len(), 1);
    // Nor does a failure that is not a save of entries.
    update(
        &mut app,
        Action::Saved(SaveOutcome::Failed {
            message: "cannot start xdg-open".into(),
            restore: vec![],
            remove: vec![],
        }),
    );
    assert_eq!(app.undo.len(), 1);
}

#[test]
fn reloading_keeps_the_selected_entry() {
    let mut app = app(Access::Full);
    press(&mut app, "j j j");
    let selected = app.selected_entry().unwrap().id.clone();
    // Someone adds an entry older than all (a `git pull`): every entry's index moves.
    let mut journal = app.journal.clone();
    let mut older = journal.entries[0].clone();
    older.id = "20000101-000000-0000".into();
    older.observed_at =
        fieldnote::model::Moment::from_toml(&"2000-01-01T00:00:00Z".parse().unwrap()).unwrap();
    journal.upsert_entry(older);
    update(&mut app, Action::Reloaded(Box::new(journal), 0));
    assert_eq!(app.selected_entry().unwrap().id, selected);
}

/// For real: the interface in tmux edits an entry while `fieldnote edit` changes the
/// same entry; the interface's save is refused, and "save as a copy" keeps both.
#[test]
fn the_interface_and_the_command_line_changing_one_entry() {
    if !tmux::have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return;
    }
    let j = common::TempJournal::demo();
    let id = j.ok(&["list", "--limit", "1"]);
    let id = id.split_whitespace().nth(2).unwrap().to_string();
    let t = tmux::Tmux::start(
        &format!("exec {} -J {}", common::BIN, j.root.display()),
        100,
        30,
    );
    t.wait_for("All entries");
    t.keys(&["e"]);
    t.wait_for("Edit");
    t.literal("zqxmine ");
    j.ok(&["edit", &id, "--append", "zqxtheirs"]);
    t.keys(&["C-s"]);
    t.wait_for("Changed on disk");
    t.keys(&["c"]);
    t.wait_for("All entries · 54");
    t.keys(&["q"]);

    let theirs = j.ok(&["show", &id]);
    assert!(
        theirs.contains("zqxtheirs") && !theirs.contains("zqxmine"),
        "{theirs}"
    );
    let listed = j.ok(&["list", "--text", "zqxmine"]);
    let copy_id = listed.split_whitespace().nth(2).unwrap();
    assert_ne!(copy_id, id);
    let mine = j.ok(&["show", copy_id]);
    assert!(
        mine.contains("zqxmine") && !mine.contains("zqxtheirs"),
        "{mine}"
    );
    let check = j.run(&["check"]);
    assert!(check.status.success(), "{}", common::stdout(&check));
}

/// For real: while the interface runs, another process adds an entry newer than all (so
/// every row moves down one) and retitles the selected entry. The file watcher notices,
/// the interface reloads, shows their title, and the selection stays on the same entry:
/// a code key pressed next tags that entry and no other.
#[test]
fn files_changed_on_disk_are_picked_up_keeping_the_selection() {
    use fieldnote::tui::RemoteInput;
    let j = common::TempJournal::demo();
    let journal = fieldnote::store::open(&j.root).unwrap().journal;
    let mut expected = App::new(
        journal,
        Access::Full,
        fieldnote::tui::keymap::Keymap::default(),
        drive::now(),
    );
    press(&mut expected, "j j j");
    let selected = expected.selected_entry().unwrap().id.clone();
    let key = expected.journal.codebook.codes[0].key.clone();
    let file = |id: &str| j.path(&format!("entries/{}/{}/{id}.toml", &id[..4], &id[4..6]));

    let out = common::Captured::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let (root, screen) = (j.root.clone(), out.clone());
    let running =
        std::thread::spawn(move || common::run_remote(&root, Access::Full, "Ayu", screen, rx));
    let sent = || out.0.lock().unwrap().len();
    let patience = std::time::Instant::now();
    let wait = |what: &str, done: &dyn Fn() -> bool| {
        while !done() {
            assert!(patience.elapsed().as_secs() < 60, "gave up on {what}");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    };
    wait("the first screen", &|| out.text().contains("All entries"));
    for _ in 0..3 {
        let before = sent();
        tx.send(RemoteInput::Bytes(b"j".to_vec())).unwrap();
        wait("the selection to move", &|| sent() > before);
    }

    j.ok(&[
        "add",
        "--at",
        "2030-01-01 10:00",
        "--title",
        "zqx newest",
        "b",
    ]);
    j.ok(&["edit", &selected, "--title", "zqx theirs"]);
    wait("the reload", &|| {
        out.text().contains("changed on disk: reloaded") && out.text().contains("zqx theirs")
    });
    // A second batch of changes, if the watcher split them, is taken in the same way.
    std::thread::sleep(std::time::Duration::from_millis(500));

    let entries = || {
        let mut files: Vec<_> = j
            .snapshot()
            .into_iter()
            .filter(|(p, _)| p.starts_with(j.path("entries")))
            .collect();
        files.sort();
        files
    };
    let before = entries();
    tx.send(RemoteInput::Bytes(key.into_bytes())).unwrap();
    wait("the code to be saved", &|| entries() != before);
    tx.send(RemoteInput::Closed).unwrap();
    running.join().unwrap().unwrap();
    let after = entries();
    let changed: Vec<_> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.clone())
        .collect();
    assert_eq!(before.len(), after.len());
    assert_eq!(
        changed,
        vec![file(&selected)],
        "only the selected entry was tagged"
    );
    let shown = j.ok(&["show", &selected]);
    assert!(shown.contains("zqx theirs"), "their title is kept: {shown}");
}

/// The editor is open; another program changes the same field on disk and the watcher
/// reloads the journal underneath. Ctrl-s must not save the stale copy over theirs: it
/// is refused with the choices (reload theirs, save yours as a copy).
#[test]
fn a_change_reloaded_underneath_the_editor_is_not_overwritten() {
    let mut app = app(Access::Full);
    let id = app.selected_entry().unwrap().id.clone();
    press(&mut app, "e");
    type_text(&mut app, "zqx mine ");
    let mut journal = app.journal.clone();
    let at = journal.entry_index(&id).unwrap();
    journal.entries[at].body = "zqx theirs".into();
    update(&mut app, Action::Reloaded(Box::new(journal), 0));
    let effects = press(&mut app, "ctrl-s");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::SaveEntries { .. })),
        "the stale copy was saved: {effects:?}"
    );
    assert_eq!(app.journal.entry(&id).unwrap().body, "zqx theirs");
    assert!(matches!(
        &app.popup,
        Some(Popup::Confirm(Confirm::Conflict(_)))
    ));
    let editor = app
        .editor
        .as_ref()
        .expect("the typed text is back in the editor");
    assert!(editor.body_text().starts_with("zqx mine "));
    let screen = text_of(&render(&app, Theme { color: true }, 80, 24));
    assert!(screen.contains("Changed on disk"), "{screen}");
    // Saving a copy keeps both versions.
    let effects = press(&mut app, "c");
    let Some(Effect::SaveEntries { entries, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_ne!(entries[0].id, id);
    assert!(entries[0].body.starts_with("zqx mine "));
}

/// Different fields changed on both sides: merged, theirs kept and mine saved.
#[test]
fn different_fields_changed_on_both_sides_are_merged() {
    let mut app = app(Access::Full);
    let id = app.selected_entry().unwrap().id.clone();
    press(&mut app, "e");
    type_text(&mut app, "zqx mine ");
    let mut journal = app.journal.clone();
    let at = journal.entry_index(&id).unwrap();
    journal.entries[at].title = "zqx their title".into();
    journal.entries[at].codes.push("zqx-their-code".into());
    update(&mut app, Action::Reloaded(Box::new(journal), 0));
    let effects = press(&mut app, "ctrl-s");
    let Some(Effect::SaveEntries {
        entries, previous, ..
    }) = effects
        .iter()
        .find(|e| matches!(e, Effect::SaveEntries { .. }))
    else {
        panic!("not saved: {effects:?}")
    };
    let saved = &entries[0];
    assert_eq!(saved.id, id);
    assert_eq!(saved.title, "zqx their title");
    assert!(saved.codes.iter().any(|c| c == "zqx-their-code"));
    assert!(saved.body.starts_with("zqx mine "));
    assert_eq!(
        previous[0].title, "zqx their title",
        "a failed save restores theirs"
    );
    assert!(app.popup.is_none());
}
