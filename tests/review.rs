//! Comments and reviewer mode in the interface, driven through `update` with the bytes a
//! terminal sends (parsed as an SSH session parses them), and the same interface run by
//! the runtime over a remote host, as the SSH server runs it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::Captured;
use fieldnote::model::Journal;
use fieldnote::store::git::{GitStatus, HistoryCommit};
use fieldnote::tui::action::{Action, Effect};
use fieldnote::tui::app::{Access, App, HistoryState, Popup, Status};
use fieldnote::tui::keymap::Keymap;
use fieldnote::tui::term_input::InputParser;
use fieldnote::tui::theme::Theme;
use fieldnote::tui::{RemoteInput, ui, update::update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The demo entry with an open two-comment thread (Rina asks, Ayu answers).
const THREAD: &str = "20260325-163004-f792";

fn demo_journal() -> Journal {
    let j = common::TempJournal::demo();
    fieldnote::store::open(&j.root).unwrap().journal
}

fn app(mode: Access) -> App {
    let now = "2026-06-01T03:00:00Z".parse().unwrap();
    let mut app = App::new(demo_journal(), mode, Keymap::default(), now);
    app.author = "Dr. Rina".into();
    app
}

/// Send what a terminal would send for these keys; every effect asked for.
fn send(app: &mut App, bytes: &[u8]) -> Vec<Effect> {
    InputParser::new()
        .feed(bytes)
        .into_iter()
        .flat_map(|k| update(app, Action::Key(k)))
        .collect()
}

fn select(app: &mut App, id: &str) {
    let pos = app
        .timeline
        .rows
        .iter()
        .position(|&i| app.journal.entries[i].id == id)
        .expect("entry shown");
    app.timeline.selected = pos;
}

fn error(app: &App) -> String {
    match &app.status {
        Status::Error(m) => m.clone(),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ui::draw(f, app, &Theme { color: true }))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn c_writes_a_comment_signed_with_the_author() {
    let mut app = app(Access::Full);
    let id = app.selected_entry().unwrap().id.clone();
    let open_before = app.open_comment_count();
    assert!(send(&mut app, b"c").is_empty());
    assert!(app.comment_editor.is_some());
    send(&mut app, b"Her words?\rCheck the video.");
    insta::assert_snapshot!("comment_editor_80x24", screen(&app, 80, 24));
    let effects = send(&mut app, b"\x13");
    let [Effect::SaveComments { comments, previous }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(previous.is_empty());
    let c = &comments[0];
    assert_eq!(
        (c.entry.as_str(), c.author.as_str(), c.body.as_str()),
        (id.as_str(), "Dr. Rina", "Her words?\nCheck the video.\n")
    );
    assert_eq!(c.id, "20260601-100000-dr-rina");
    assert!(!c.resolved);
    assert!(app.comment_editor.is_none());
    assert_eq!(app.open_comment_count(), open_before + 1);
    assert_eq!(app.journal.comments_on(&id).last(), Some(c));
    // The preview shows the new comment in the thread.
    assert!(screen(&app, 140, 40).contains("Dr. Rina"));
}

#[test]
fn an_empty_comment_is_not_sent_and_esc_asks_before_discarding() {
    let mut app = app(Access::Full);
    send(&mut app, b"c");
    assert!(send(&mut app, b"\x13").is_empty());
    assert!(app.comment_editor.as_ref().unwrap().error.is_some());
    send(&mut app, b"\x1b");
    assert!(app.comment_editor.is_none(), "empty: esc just closes");
    send(&mut app, b"cdraft");
    send(&mut app, b"\x1b");
    assert!(matches!(app.popup, Some(Popup::Confirm(_))));
    send(&mut app, b"n");
    assert!(app.comment_editor.is_some(), "n keeps writing");
    send(&mut app, b"\x1b");
    send(&mut app, b"y");
    assert!(app.comment_editor.is_none() && app.popup.is_none());
}

#[test]
fn r_resolves_the_thread_and_again_reopens_it() {
    let mut app = app(Access::Full);
    select(&mut app, THREAD);
    let open = app
        .journal
        .comments_on(THREAD)
        .filter(|c| !c.resolved)
        .count();
    assert!(open > 0);
    let effects = send(&mut app, b"r");
    let [Effect::SaveComments { comments, previous }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(comments.len(), open);
    assert!(comments.iter().all(|c| c.resolved));
    assert!(previous.iter().all(|c| !c.resolved));
    assert!(app.journal.comments_on(THREAD).all(|c| c.resolved));
    let effects = send(&mut app, b"r");
    let [Effect::SaveComments { comments, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(comments.len(), 1, "reopening opens the last comment");
    assert!(!comments[0].resolved);
    assert_eq!(
        app.journal.comments_on(THREAD).last().unwrap().id,
        comments[0].id
    );
}

#[test]
fn a_failed_comment_write_puts_the_thread_back() {
    let mut app = app(Access::Full);
    select(&mut app, THREAD);
    let before = app.journal.comments.clone();
    let Effect::SaveComments { comments, previous } = send(&mut app, b"r").remove(0) else {
        panic!()
    };
    update(
        &mut app,
        Action::CommentsFailed {
            message: "changed on disk".into(),
            restore: previous,
            remove: vec![],
        },
    );
    assert_eq!(app.journal.comments, before);
    assert!(error(&app).contains("changed on disk"));
    let _ = comments;
    send(&mut app, b"cx\x13");
    let added = app.journal.comments.len();
    let last = app.journal.comments_on(THREAD).last().unwrap().clone();
    update(
        &mut app,
        Action::CommentsFailed {
            message: "disk full".into(),
            restore: vec![],
            remove: vec![(last.entry.clone(), last.id.clone())],
        },
    );
    assert_eq!(app.journal.comments.len(), added - 1);
}

#[test]
fn reviewer_mode_allows_comments_and_nothing_else() {
    let mut app = app(Access::CommentsOnly);
    let before = app.journal.entries.clone();
    for keys in ["n", "e", "E", "1", "t", "u", "s", "C a", "C r"] {
        let effects = send(&mut app, keys.replace(' ', "").as_bytes());
        assert!(effects.is_empty(), "{keys}: {effects:?}");
        assert!(
            error(&app).contains("reviewer mode: only comments"),
            "{keys}: {}",
            error(&app)
        );
        assert!(app.editor.is_none() && app.popup.is_none(), "{keys}");
        send(&mut app, b"T");
    }
    assert_eq!(app.journal.entries, before);
    select(&mut app, THREAD);
    let effects = send(&mut app, b"cAgreed.\x13");
    assert!(matches!(effects.as_slice(), [Effect::SaveComments { .. }]));
    assert!(matches!(
        send(&mut app, b"r").as_slice(),
        [Effect::SaveComments { .. }]
    ));
    let screen = screen(&app, 80, 24);
    assert!(screen.contains("REVIEW as Dr. Rina"), "{screen}");
}

#[test]
fn read_only_refuses_comments_too() {
    let mut app = app(Access::ReadOnly);
    select(&mut app, THREAD);
    let before = app.journal.comments.clone();
    for keys in ["c", "r"] {
        assert!(send(&mut app, keys.as_bytes()).is_empty());
        assert!(error(&app).contains("read-only"), "{keys}");
        assert!(app.comment_editor.is_none());
    }
    assert_eq!(app.journal.comments, before);
}

#[test]
fn o_shows_only_entries_with_open_comments() {
    let mut app = app(Access::Full);
    let all = app.timeline.rows.len();
    send(&mut app, b"O");
    let rows = app.timeline.rows.clone();
    assert!(!rows.is_empty() && rows.len() < all);
    for &i in &rows {
        let id = &app.journal.entries[i].id;
        assert!(app.journal.comments_on(id).any(|c| !c.resolved), "{id}");
    }
    // Resolving the last open thread empties the view.
    select(&mut app, THREAD);
    send(&mut app, b"r");
    assert!(app.timeline.rows.len() < rows.len());
    send(&mut app, b"O");
    assert_eq!(app.timeline.rows.len(), all);
}

#[test]
fn history_needs_git_and_shows_commits_with_diffs() {
    let mut app = app(Access::ReadOnly);
    assert!(send(&mut app, b"H").is_empty());
    assert!(app.popup.is_none());
    assert!(!screen(&app, 80, 40).contains("git history"));
    update(
        &mut app,
        Action::GitStatus(Some(GitStatus {
            branch: "main".into(),
            upstream: Some("origin/main".into()),
            ahead: 1,
            behind: 2,
            changed: 3,
            conflicted: 0,
        })),
    );
    assert!(screen(&app, 100, 24).contains("⎇ main ↑1 ↓2 ●3"));
    let id = app.selected_entry().unwrap().id.clone();
    let effects = send(&mut app, b"H");
    assert_eq!(effects, [Effect::LoadHistory(id.clone())]);
    assert!(matches!(&app.popup, Some(Popup::History(v)) if v.state == HistoryState::Loading));
    let commit = HistoryCommit {
        hash: "abc1234".into(),
        author: "Ayu Lestari".into(),
        date: "2026-03-14T21:40:03+07:00".into(),
        subject: format!("entry {id}: Live"),
        diff: vec![
            "@@ -1 +1 @@".into(),
            "-title = \"a\"".into(),
            "+title = \"b\"".into(),
        ],
    };
    update(&mut app, Action::History(id.clone(), Ok(vec![commit])));
    let text = screen(&app, 100, 24);
    assert!(
        text.contains(&format!("abc1234 entry {id}: Live")),
        "{text}"
    );
    assert!(text.contains("+title = \"b\""));
    send(&mut app, b"\x1b");
    assert!(app.popup.is_none());
}

#[test]
fn a_remote_session_browses_comments_and_ends_when_the_connection_does() {
    let j = common::TempJournal::demo();
    let out = Captured::default();
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(RemoteInput::Resize(120, 40)).unwrap();
    tx.send(RemoteInput::Bytes(b"jcLooks right.".to_vec()))
        .unwrap();
    tx.send(RemoteInput::Bytes(b"\x13".to_vec())).unwrap();
    // An entry edit is refused, and the session ends when the connection closes.
    tx.send(RemoteInput::Bytes(b"e".to_vec())).unwrap();
    tx.send(RemoteInput::Closed).unwrap();
    common::run_remote(&j.root, Access::CommentsOnly, "Dr. Rina", out.clone(), rx).unwrap();
    let text = out.text();
    assert!(text.contains("All entries"));
    assert!(text.contains("REVIEW as Dr. Rina"));
    let comments: Vec<_> = j
        .snapshot()
        .into_iter()
        .filter(|(p, _)| p.to_string_lossy().contains("dr-rina"))
        .collect();
    assert_eq!(comments.len(), 1, "one new comment file");
    let body = String::from_utf8_lossy(&comments[0].1);
    assert!(body.contains("author = \"Dr. Rina\"") && body.contains("Looks right."));
}

#[test]
fn a_comment_written_elsewhere_shows_up_without_restarting() {
    let j = common::TempJournal::demo();
    let out = Captured::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let (root, screen) = (j.root.clone(), out.clone());
    let running =
        std::thread::spawn(move || common::run_remote(&root, Access::Full, "Ayu", screen, rx));
    let shown = |text: &str| out.text().contains(text);
    let patience = std::time::Instant::now();
    while !shown("All entries") {
        assert!(patience.elapsed().as_secs() < 60, "no first screen");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // A reviewer (another process, here another store) writes a comment.
    let written = common::run_in(
        &j.root,
        &[
            "-J",
            j.root.to_str().unwrap(),
            "--review",
            "--as",
            "Rina",
            "comment",
            THREAD,
            "Seen.",
        ],
        None,
    );
    assert!(written.status.success(), "{}", common::stderr(&written));
    while !shown("changed on disk: reloaded") {
        assert!(
            patience.elapsed().as_secs() < 60,
            "the change was not noticed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        shown("3 open comments"),
        "the count in the status bar follows"
    );
    tx.send(RemoteInput::Closed).unwrap();
    running.join().unwrap().unwrap();
}
