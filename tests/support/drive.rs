//! Driving the interface without a terminal: key sequences through `update`, screens
//! drawn to a TestBackend.
#![allow(dead_code)]

use fieldnote::model::Journal;
use fieldnote::tui::action::{Action, Effect};
use fieldnote::tui::app::{Access, App};
use fieldnote::tui::keymap::Keymap;
use fieldnote::tui::theme::Theme;
use fieldnote::tui::{ui, update::update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::common;

pub fn demo_journal() -> Journal {
    let j = common::TempJournal::demo();
    fieldnote::store::open(&j.root).unwrap().journal
}

pub fn now() -> jiff::Timestamp {
    "2026-06-01T03:00:00Z".parse().unwrap()
}

pub fn app(mode: Access) -> App {
    App::new(demo_journal(), mode, Keymap::default(), now())
}

/// Press keys given as a space-separated list (`j j 5 ctrl-s esc`), returning every
/// effect asked for.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.split(' ')
        .filter(|k| !k.is_empty())
        .flat_map(|k| update(app, Action::Key(key(k))))
        .collect()
}

pub fn key(k: &str) -> KeyEvent {
    match k {
        "esc" => KeyEvent::from(KeyCode::Esc),
        "enter" => KeyEvent::from(KeyCode::Enter),
        "tab" => KeyEvent::from(KeyCode::Tab),
        "shift-tab" => KeyEvent::from(KeyCode::BackTab),
        "space" => KeyEvent::from(KeyCode::Char(' ')),
        "backspace" => KeyEvent::from(KeyCode::Backspace),
        k if k.starts_with("ctrl-") => KeyEvent::new(
            KeyCode::Char(k.chars().last().unwrap()),
            KeyModifiers::CONTROL,
        ),
        k => KeyEvent::from(KeyCode::Char(k.chars().next().unwrap())),
    }
}

/// Type text character by character (spaces included).
pub fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(app, Action::Key(KeyEvent::from(KeyCode::Char(c)))))
        .collect()
}

pub fn render(app: &App, theme: Theme, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
    terminal
}

pub fn text_of(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
