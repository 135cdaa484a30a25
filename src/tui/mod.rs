//! The terminal interface: state (`app`), what can happen (`action`), the pure
//! `update`, keys as data (`keymap`), drawing (`ui`), and the runtime below, the only
//! part that touches the terminal and the disk.

pub mod action;
pub mod app;
pub mod background;
pub mod draft;
mod effects;
mod hangup;
mod host;
pub mod input;
pub mod keymap;
pub mod motion;
pub mod picture;
pub mod remote;
mod runtime;
mod system;
pub mod term_input;
pub mod theme;
pub mod ui;
pub mod update;

use std::io::{self, IsTerminal};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ratatui::backend::Backend;
use ratatui::{DefaultTerminal, Terminal};
use ratatui_image::picker::Picker;

pub use app::{Access, App};
pub use host::{Host, RemoteInput};
use runtime::Runtime;

use crate::store::{Opened, Store};
use action::Action;
use background::Background;
use keymap::Keymap;
use theme::Theme;

/// What can stop the interface before the person quits it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot watch for signals: {0}")]
    Signals(io::Error),
    #[error("terminal error: {0}")]
    Terminal(io::Error),
}

/// What the interface sets up before the journal is loaded: the signals it stops on,
/// the keymap, and, on a terminal, a first frame drawn from the journal's newest entries
/// (`store::preview`), so that a large journal shows its newest entries while the whole
/// of it loads. No key is taken before then.
pub struct Starting {
    signals: hangup::Signals,
    keymap: Keymap,
    keymap_problems: Vec<String>,
    terminal: Option<DefaultTerminal>,
}

impl Starting {
    pub fn begin(root: &Path, mode: Access) -> Result<Starting, Error> {
        // Registered first: a SIGTERM while the journal loads ends the interface once
        // it is up, with the terminal restored.
        let signals = hangup::Signals::register().map_err(Error::Signals)?;
        let (keymap, keymap_problems) = Keymap::load();
        let wanted = std::env::var_os(FIRST_FRAME_ONLY).is_none() && io::stdout().is_terminal();
        let terminal = wanted.then(|| preview_frame(root, mode, &keymap)).flatten();
        Ok(Starting {
            signals,
            keymap,
            keymap_problems,
            terminal,
        })
    }

    /// Is a first frame on the screen (so nothing else may be printed there)?
    pub fn shows_frame(&self) -> bool {
        self.terminal.is_some()
    }

    /// The journal could not be opened: give the terminal back before that is told.
    pub fn abandon(self) {
        if self.terminal.is_some() {
            ratatui::restore();
        }
    }
}

/// The terminal, taken over, with a frame of the journal's newest entries on it; `None`
/// when there is none to show.
fn preview_frame(root: &Path, mode: Access, keymap: &Keymap) -> Option<DefaultTerminal> {
    let (w, h) = ratatui::crossterm::terminal::size().ok()?;
    // The list is never taller than the screen.
    let journal = crate::store::preview(root, usize::from(h))?;
    let mut app = App::new(journal, mode, keymap.clone(), crate::store::clock::now());
    app.opening = true;
    update::update(&mut app, Action::Resize(w, h));
    let mut terminal = ratatui::init();
    let theme = Theme::from_env();
    let _ = terminal.draw(|f| ui::draw(f, &app, &theme));
    Some(terminal)
}

/// The interface in this process's terminal, comments signed with `author`.
pub fn run_local(
    starting: Starting,
    opened: Opened,
    mode: Access,
    author: &str,
) -> Result<(), Error> {
    let Starting {
        signals,
        keymap,
        keymap_problems,
        terminal,
    } = starting;
    let session = Session {
        mode,
        author: author.to_string(),
        keymap,
        keymap_problems,
        theme: Theme::from_env(),
        idle_limit: None,
    };
    if let Some(size) = std::env::var_os(FIRST_FRAME_ONLY) {
        return first_frame_only(opened, session, &size.to_string_lossy());
    }
    let watchdog = hangup::Watchdog::start(opened.store.root().to_path_buf(), &signals);
    let terminal = terminal.unwrap_or_else(ratatui::init);
    let result = run_watched(
        terminal,
        Host::Local,
        opened,
        session,
        &signals.stop,
        Some(&watchdog),
    );
    watchdog.stand_down();
    ratatui::restore();
    result.map_err(Error::Terminal)
}

/// Who is using an interface and how.
pub struct Session {
    pub mode: Access,
    /// The name comments are signed with.
    pub author: String,
    pub keymap: Keymap,
    /// The keymap file's mistakes, shown when the interface opens.
    pub keymap_problems: Vec<String>,
    pub theme: Theme,
    /// End the session after this long without a key (remote sessions).
    pub idle_limit: Option<Duration>,
}

/// Run the interface on `opened` in `terminal` until the user quits, `stop` is set or
/// the remote end goes away. Drafts of an unsaved entry are written before leaving.
pub fn run<B: Backend<Error = io::Error>>(
    terminal: Terminal<B>,
    host: Host,
    opened: Opened,
    session: Session,
    stop: &AtomicBool,
) -> io::Result<()> {
    run_watched(terminal, host, opened, session, stop, None)
}

/// `run`, with the watchdog that ends the process should the local terminal go away.
fn run_watched<B: Backend<Error = io::Error>>(
    terminal: Terminal<B>,
    host: Host,
    opened: Opened,
    session: Session,
    stop: &AtomicBool,
    watchdog: Option<&hangup::Watchdog>,
) -> io::Result<()> {
    let Session {
        mode,
        author,
        keymap,
        keymap_problems,
        theme,
        idle_limit,
    } = session;
    let began = opened.began;
    let (store, mut app) = start(opened, mode, keymap, author, host.is_local());
    update::show_keymap_problems(&mut app, keymap_problems);
    let background = Background::start(store.root(), began);
    let host_is_local = host.is_local();
    let mut runtime = Runtime {
        terminal,
        host,
        store,
        theme,
        shots_asked: None,
        background,
        idle_limit,
        // A remote terminal cannot be asked which picture protocol it speaks without
        // waiting for its answer among the keys: half blocks, which every terminal shows.
        picker: (!host_is_local).then(Picker::halfblocks),
        picture: None,
        picture_asked: None,
        watchdog,
    };
    let result = runtime.run(&mut app, stop);
    if runtime.host.is_local() {
        // Whatever happened, nothing typed is lost: write the draft before leaving.
        if let Some(d) = update::current_draft(&app) {
            let _ = draft::write(runtime.store.root(), &d);
        }
        // The process ends now: freeing a large journal string by string would only
        // make the shell prompt wait (a quarter of a second at 100,000 entries). A
        // remote session ends inside a server that goes on, so there it is freed.
        std::mem::forget(app);
    }
    result
}

/// Set to `WIDTHxHEIGHT` (e.g. `120x40`): open the journal, draw the first frame into
/// memory instead of the terminal, print it and quit. Undocumented except in
/// docs/performance.md: it is how start-up to first frame is timed (bench/compare.sh).
pub const FIRST_FRAME_ONLY: &str = "FIELDNOTE_FIRST_FRAME_ONLY";

fn first_frame_only(opened: Opened, session: Session, size: &str) -> Result<(), Error> {
    let Session {
        mode,
        author,
        keymap,
        ..
    } = session;
    let (_store, mut app) = start(opened, mode, keymap, author, true);
    let app = &mut app;
    let (w, h) = size
        .split_once('x')
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .unwrap_or((120, 40));
    update::update(app, Action::Resize(w, h));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h))
        .map_err(|e| Error::Terminal(io::Error::other(e.to_string())))?;
    let theme = Theme::from_env();
    let frame = terminal
        .draw(|f| ui::draw(f, app, &theme))
        .map_err(|e| Error::Terminal(io::Error::other(e.to_string())))?;
    let mut text = String::new();
    for y in 0..h {
        for x in 0..w {
            text.push_str(frame.buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}

/// The interface's state on a freshly opened journal (drafts offered back when `local`),
/// and the store it saves through, limited to what `mode` may write.
fn start(
    opened: Opened,
    mode: Access,
    keymap: Keymap,
    author: String,
    local: bool,
) -> (Store, App) {
    let Opened {
        mut store,
        journal,
        problems,
        ..
    } = opened;
    store.set_access(mode);
    let mut app = App::new(journal, mode, keymap, crate::store::clock::now());
    app.author = author;
    app.problems = problems.iter().filter(|p| p.is_error()).count();
    if mode == Access::Full && local {
        app.pending_drafts = draft::load_all(store.root());
    }
    update::offer_next_draft(&mut app);
    (store, app)
}
