//! Terminal safety: escape sequences (ESC/CSI/OSC), C0 and C1 controls and bidi
//! overrides in any text of a journal (captions, names, file names: all untrusted) never
//! reach the terminal — not from the interface, not from any command's output or error.
//! Checked on the bytes written, on a TestBackend, on the bytes an SSH session sends,
//! and in a real terminal (tmux), where an OSC that got through would change the pane's
//! title.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/tmux.rs"]
mod tmux;

use common::{TempJournal, stderr, stdout};
use fieldnote::model::text::is_unsafe;
use fieldnote::tui::app::{Access, App};
use fieldnote::tui::keymap::Keymap;
use fieldnote::tui::theme::Theme;

/// Everything that could take over a terminal, as a TOML basic string's escapes: set the
/// window title (OSC), clear the screen and switch to the alternate screen (CSI), a C1
/// CSI, a bidi override, a bell, DEL, NEL.
const HOSTILE: &str = r"x\u001b]2;PWNED\u0007 \u001b[2J\u001b[?1049h \u009b31m \u202eevil\u202c \u0007 \u007f \u0085 y";
const ID: &str = "20991231-235959-0bad";

fn hostile_journal() -> TempJournal {
    let j = TempJournal::demo();
    j.write(
        &format!("entries/2099/12/{ID}.toml"),
        &format!(
            "id = \"{ID}\"\nobserved_at = 2099-12-31T23:59:59+07:00\nkind = \"observation\"\n\
             accounts = [\"cindymakeup\", \"{HOSTILE}\"]\ncodes = [\"live\", \"{HOSTILE}\"]\n\
             title = \"{HOSTILE}\"\nurl = \"{HOSTILE}\"\nsource_id = \"{HOSTILE}\"\n\
             informant = \"{HOSTILE}\"\nbody = \"{HOSTILE}\\nsecond line {HOSTILE}\"\n\n\
             [[screenshots]]\npath = \"media/{HOSTILE}.png\"\nsha256 = \"{HOSTILE}\"\ncaption = \"{HOSTILE}\"\n\n\
             [metrics]\nviews = 1\n"
        ),
    );
    j.write(
        "accounts/evil.toml",
        &format!(
            "handle = \"{HOSTILE}\"\nplatform = \"other\"\ndisplay_name = \"{HOSTILE}\"\n\
             category = \"{HOSTILE}\"\nnotes = \"{HOSTILE}\"\npseudonym = \"{HOSTILE}\"\n"
        ),
    );
    let mut codebook = j.read("codebook.toml");
    codebook.push_str(&format!(
        "\n[[code]]\nid = \"evil\"\ngroup = \"theme\"\nname = \"{HOSTILE}\"\nkey = \"\\u001b\"\n\
         description = \"{HOSTILE}\"\ncolor = \"{HOSTILE}\"\n"
    ));
    j.write("codebook.toml", &codebook);
    j.write(
        &format!("comments/{ID}/20991231-235959-evil.toml"),
        &format!(
            "entry = \"{ID}\"\nauthor = \"{HOSTILE}\"\nat = 2099-12-31T23:59:59+07:00\nbody = \"{HOSTILE}\"\n"
        ),
    );
    // A file name is untrusted too.
    j.write("entries/2099/12/a\u{1b}]2;PWNED\u{7}b.toml", "id = 1\n");
    let mut settings = j.read("journal.toml");
    settings = settings.replacen("title = ", &format!("title = \"{HOSTILE}\"\n# "), 1);
    j.write("journal.toml", &settings);
    j
}

fn assert_inert(what: &str, text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what} lets {bad:?} through:\n{text}");
}

/// Every command that prints what a journal holds, to a pipe.
#[test]
fn no_command_prints_a_control_character() {
    let j = hostile_journal();
    let commands: &[&[&str]] = &[
        &["list"],
        &["list", "--format", "json"],
        &["show", ID],
        &["show", ID, "--format", "json"],
        &["show", ID, "--format", "toml"],
        &["check"],
        &["check", "--strict"],
        &["accounts"],
        &["codes"],
        &["tag", ID, "nonexistent"],
        &["add", "-a", "evil", "x"],
        // Long commands draw progress only on a terminal: in a pipe, nothing of it.
        &["export", "--format", "markdown"],
        &["export", "--format", "json"],
    ];
    for args in commands {
        let out = j.run(args);
        assert_inert(
            &format!("`fieldnote {}` stdout", args.join(" ")),
            &stdout(&out),
        );
        assert_inert(
            &format!("`fieldnote {}` stderr", args.join(" ")),
            &stderr(&out),
        );
    }
    // The escapes are shown, not dropped: a reader can see something odd is there.
    assert!(stdout(&j.run(&["show", ID])).contains('␛'));
    let check = stdout(&j.run(&["check"]));
    assert!(
        check.contains("entries/2099/12/a␛]2;PWNED␇b.toml:"),
        "{check}"
    );
}

#[test]
fn no_screen_of_the_interface_draws_a_control_character() {
    let j = hostile_journal();
    let opened = fieldnote::store::open(&j.root).unwrap();
    let mut app = App::new(
        opened.journal,
        Access::Full,
        Keymap::default(),
        drive::now(),
    );
    app.screenshot_warnings
        .insert(format!("media/{HOSTILE}.png"), "missing \u{1b}[2J".into());
    let theme = Theme { color: true };
    let mut screens = Vec::new();
    let mut look = |app: &App, name: &str| {
        for (w, h) in [(80, 24), (160, 50)] {
            let text = drive::text_of(&drive::render(app, theme, w, h));
            assert_inert(&format!("{name} at {w}x{h}"), &text);
            screens.push(text);
        }
    };
    look(&app, "timeline");
    drive::press(&mut app, "tab");
    look(&app, "preview");
    drive::press(&mut app, "esc A");
    look(&app, "accounts");
    drive::press(&mut app, "C");
    look(&app, "codebook");
    drive::press(&mut app, "?");
    look(&app, "help");
    drive::press(&mut app, "esc T e");
    look(&app, "editor");
    drive::press(&mut app, "ctrl-t");
    look(&app, "code picker");
    assert!(screens.iter().any(|s| s.contains('␛')), "shown as ␛");
}

/// In a real terminal: the commands print to a tty (where lines are cut to its width),
/// and the interface draws; an escape that got through would retitle the pane or
/// switch it to the alternate screen.
#[test]
fn nothing_takes_over_a_real_terminal() {
    if !tmux::have_tmux() {
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return;
    }
    let j = hostile_journal();
    let bin = common::BIN;
    let root = j.root.display();
    let script = format!(
        "for c in 'list' 'show {ID}' 'show {ID} --format toml' 'show {ID} --format json' 'check' 'accounts' 'codes'; do {bin} -J {root} $c; done; echo ALL-DONE; sleep 30"
    );
    let t = tmux::Tmux::start(&script, 120, 40);
    t.wait_for("ALL-DONE");
    let title = t.pane("pane_title");
    assert!(!title.contains("PWNED"), "the pane title became {title:?}");
    assert_eq!(
        t.pane("alternate_on"),
        "0",
        "switched to the alternate screen"
    );
    assert!(t.screen().contains('␛'));
    drop(t);

    let t = tmux::Tmux::start(&format!("exec {bin} -J {root}"), 120, 40);
    t.wait_for("All entries");
    t.keys(&["Tab"]);
    t.wait_for("20991231-235959-0bad");
    let title = t.pane("pane_title");
    assert!(
        !title.contains("PWNED"),
        "the interface let an OSC through: {title:?}"
    );
    assert_inert("the interface in tmux", &t.screen());
    t.keys(&["q"]);
}

/// The SSH server's sessions run the interface into their channel: a reviewer's terminal
/// gets only the escapes drawing makes, whatever the journal (and the reviewer's own key
/// comment, shown as their name) holds. The session is driven as `serve` runs it, screen
/// by screen, and every byte it sends is checked.
#[test]
fn a_remote_session_sends_no_escape_from_the_journal() {
    use fieldnote::tui::{Access, RemoteInput};
    let j = hostile_journal();
    let out = common::Captured::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let (root, screen) = (j.root.clone(), out.clone());
    let author = "Dr \u{1b}]2;PWNED\u{7} \u{9b}2J Rina\u{202e}";
    let running = std::thread::spawn(move || {
        common::run_remote(&root, Access::CommentsOnly, author, screen, rx)
    });
    let sent = || out.0.lock().unwrap().len();
    // Wait for the screen to change, then for it to settle.
    let wait_for_a_frame = |before: usize, what: &str| {
        let started = std::time::Instant::now();
        while sent() == before {
            assert!(started.elapsed().as_secs() < 30, "{what}: nothing drawn");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        std::thread::sleep(std::time::Duration::from_millis(150));
    };
    wait_for_a_frame(0, "the first screen");
    // The newest entry, the hostile one, is selected: its preview, the accounts, the
    // codebook, help, the comment editor on it (typing, a key sequence it does not know,
    // discarding), a window change.
    let keys: &[&[u8]] = &[
        b"\t",
        b"\x1b",
        b"A",
        b"C",
        b"?",
        b"\x1b",
        b"T",
        b"c",
        b"x\x1b[31m",
        b"\x1b",
        b"y",
    ];
    for key in keys {
        let before = sent();
        tx.send(RemoteInput::Bytes(key.to_vec())).unwrap();
        wait_for_a_frame(before, &String::from_utf8_lossy(key));
    }
    let before = sent();
    tx.send(RemoteInput::Resize(60, 20)).unwrap();
    wait_for_a_frame(before, "a window change");
    tx.send(RemoteInput::Closed).unwrap();
    running.join().unwrap().unwrap();

    let bytes = out.0.lock().unwrap().clone();
    common::assert_only_drawing("a remote session", &bytes, &[]);
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("REVIEW as Dr"),
        "the reviewer's name is shown"
    );
    assert!(text.contains('␛'), "escapes are shown as ␛");
}

/// Handles with escapes, newlines or other characters no platform allows are refused
/// with a message on every path that creates an account; the escape bytes never reach
/// the terminal and no such file is created.
#[test]
fn hostile_handles_are_refused_and_their_escapes_never_printed() {
    let j = common::TempJournal::init();
    for handle in [
        "osc\x1b]0;PWNED\x07",
        "ev\x1b[31mil",
        "nl\nbreak",
        "bad handle!",
    ] {
        let add = j.run(&["add", "--new-account", "-a", handle, "x"]);
        let accounts = j.run(&["accounts", "add", handle]);
        for out in [&add, &accounts] {
            assert!(!out.status.success(), "{handle:?} was accepted");
            let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
            assert!(
                !all.contains(&0x1b) && !all.contains(&0x07),
                "{handle:?}: {all:?}"
            );
            assert!(
                common::stderr(out).contains("handle"),
                "{}",
                common::stderr(out)
            );
        }
    }
    let made = std::fs::read_dir(j.path("accounts"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(made, 0, "an account file was created");
    // A good handle still works.
    j.ok(&["accounts", "add", "Sari.Beauty_2"]);
    // Handles match case-insensitively: the same account in another case is refused.
    let again = j.run(&["accounts", "add", "sari.beauty_2"]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}
