//! The terminal interface: state (`app`), what can happen (`action`), the pure
//! `update`, keys as data (`keymap`), drawing (`ui`), and the runtime below, the only
//! part that touches the terminal and the disk.

pub mod action;
pub mod app;
pub mod background;
pub mod draft;
mod hangup;
pub mod input;
pub mod keymap;
pub mod motion;
pub mod picture;
pub mod remote;
pub mod term_input;
pub mod theme;
pub mod ui;
pub mod update;

use std::collections::VecDeque;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;

pub use app::{Access, App};

use crate::store::{Opened, Store, StoreError, media};
use action::{Action, Effect, NotSaved, SaveOutcome};
use background::{Background, GitJob, Report, ShotCheck};
use keymap::Keymap;
use term_input::InputParser;
use theme::Theme;

/// How often time advances (drafts are written on ticks).
const TICK: Duration = Duration::from_secs(1);
/// The longest the loop sleeps before looking at background results.
const WAKE: Duration = Duration::from_millis(100);
/// How often the selected entry's screenshots are checked again (a file replaced).
const SHOT_RECHECK: Duration = Duration::from_secs(5);
/// How often the git status is refreshed when nothing was noticed.
const GIT_STATUS_EVERY: Duration = Duration::from_secs(10);

/// What can stop the interface before the person quits it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot watch for signals: {0}")]
    Signals(io::Error),
    #[error("terminal error: {0}")]
    Terminal(io::Error),
}

/// The interface in this process's terminal, comments signed with `author`.
pub fn run_local(opened: Opened, mode: Access, author: &str) -> Result<(), Error> {
    let (keymap, keymap_problems) = Keymap::load();
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(Error::Signals)?;
    }
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
    let watchdog = hangup::Watchdog::start(opened.store.root().to_path_buf(), Arc::clone(&stop));
    let terminal = ratatui::init();
    let result = run_watched(
        terminal,
        Host::Local,
        opened,
        session,
        &stop,
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

/// Input from a terminal at the other end of a connection (an SSH channel).
#[derive(Debug)]
pub enum RemoteInput {
    Bytes(Vec<u8>),
    Resize(u16, u16),
    /// The connection is gone.
    Closed,
}

/// Where keys come from and what the machine may do for the user.
pub enum Host {
    /// This process's own terminal: crossterm reads keys; `$EDITOR`, the system viewer
    /// and drafts are available.
    Local,
    /// A remote terminal: keys are parsed from the bytes received; nothing runs on the
    /// server on the user's behalf.
    Remote {
        input: Receiver<RemoteInput>,
        parser: InputParser,
        /// Shared with the terminal's backend, which draws at this size.
        size: remote::RemoteSize,
    },
}

/// What the next wait brought.
enum Next {
    Event(Event),
    Nothing,
    Closed,
}

impl Host {
    fn is_local(&self) -> bool {
        matches!(self, Host::Local)
    }

    fn next(&mut self, timeout: Duration, queued: &mut VecDeque<Event>) -> io::Result<Next> {
        if let Some(e) = queued.pop_front() {
            return Ok(Next::Event(e));
        }
        match self {
            Host::Local => {
                if event::poll(timeout)? {
                    Ok(Next::Event(event::read()?))
                } else {
                    Ok(Next::Nothing)
                }
            }
            Host::Remote {
                input,
                parser,
                size,
            } => {
                let got = if timeout.is_zero() {
                    input.try_recv().map_err(|e| match e {
                        std::sync::mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                        std::sync::mpsc::TryRecvError::Disconnected => {
                            RecvTimeoutError::Disconnected
                        }
                    })
                } else {
                    input.recv_timeout(timeout)
                };
                match got {
                    Ok(RemoteInput::Bytes(bytes)) => {
                        queued.extend(parser.feed(&bytes).into_iter().map(Event::Key));
                        Ok(queued.pop_front().map_or(Next::Nothing, Next::Event))
                    }
                    Ok(RemoteInput::Resize(w, h)) => {
                        size.set(w, h);
                        Ok(Next::Event(Event::Resize(w, h)))
                    }
                    Ok(RemoteInput::Closed) | Err(RecvTimeoutError::Disconnected) => {
                        Ok(Next::Closed)
                    }
                    Err(RecvTimeoutError::Timeout) => Ok(Next::Nothing),
                }
            }
        }
    }
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
    let (store, mut app) = start(opened, mode, keymap, author, host.is_local());
    update::show_keymap_problems(&mut app, keymap_problems);
    let background = Background::start(store.root());
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

struct Runtime<'w, B: Backend<Error = io::Error>> {
    terminal: Terminal<B>,
    host: Host,
    store: Store,
    theme: Theme,
    /// The screenshots last sent to be checked (an entry's paths with their recorded
    /// sha256), and when.
    shots_asked: Option<(ShotCheck, Instant)>,
    background: Background,
    idle_limit: Option<Duration>,
    /// How pictures are drawn; asked of the terminal the first time one is shown, so
    /// start-up never waits for a terminal that does not answer.
    picker: Option<Picker>,
    /// The screenshot shown as a picture, by journal path.
    picture: Option<(String, StatefulProtocol)>,
    /// The picture asked of the media worker and not back yet.
    picture_asked: Option<String>,
    /// Ends the process, draft written, should the local terminal go away.
    watchdog: Option<&'w hangup::Watchdog>,
}

impl<B: Backend<Error = io::Error>> Runtime<'_, B> {
    fn run(&mut self, app: &mut App, stop: &AtomicBool) -> io::Result<()> {
        let size = match &self.host {
            Host::Local => self.terminal.size()?,
            Host::Remote { size, .. } => size.get(),
        };
        self.dispatch(app, Action::Resize(size.width, size.height));
        let mut last_tick = Instant::now();
        let mut last_key = Instant::now();
        let mut queued = VecDeque::new();
        while !app.should_quit && !stop.load(Ordering::Relaxed) {
            self.check_screenshots(app);
            let shown = self.prepare_picture(app);
            let theme = self.theme;
            let picture = self.picture.as_mut().filter(|_| shown).map(|(_, p)| p);
            self.terminal
                .draw(|frame| ui::draw_with_image(frame, app, &theme, picture))?;
            // While no key waits, build the search index a part at a time: the first
            // frame is already up, and a key never waits for more than one part.
            while app.index_pending() {
                match self.host.next(Duration::ZERO, &mut queued)? {
                    Next::Nothing => {
                        app.build_index_some();
                    }
                    Next::Event(e) => {
                        queued.push_front(e);
                        break;
                    }
                    Next::Closed => return Ok(()),
                }
            }
            let timeout = TICK.saturating_sub(last_tick.elapsed()).min(WAKE);
            let mut wait = timeout;
            // Take every event already waiting before drawing again, so fast typing
            // or a paste is not slowed down by a redraw per key, and a burst of window
            // changes costs one resize, at the last size.
            let mut resized = None;
            loop {
                match self.host.next(wait, &mut queued)? {
                    Next::Event(Event::Key(key)) => {
                        if let Some((w, h)) = resized.take() {
                            self.resize(app, w, h)?;
                        }
                        last_key = Instant::now();
                        self.dispatch(app, Action::Key(key));
                    }
                    Next::Event(Event::Resize(w, h)) => resized = Some((w, h)),
                    Next::Event(_) => {}
                    Next::Nothing => break,
                    Next::Closed => return Ok(()),
                }
                if app.should_quit {
                    break;
                }
                wait = Duration::ZERO;
            }
            if let Some((w, h)) = resized {
                self.resize(app, w, h)?;
            }
            self.drain_background(app);
            if last_tick.elapsed() >= TICK {
                last_tick = Instant::now();
                self.dispatch(app, Action::Tick(crate::store::clock::now()));
                if app.has_git {
                    self.background.refresh_if_stale(GIT_STATUS_EVERY);
                }
                if let Some(watchdog) = self.watchdog {
                    watchdog.remember(update::current_draft(app));
                }
            }
            if self
                .idle_limit
                .is_some_and(|limit| last_key.elapsed() >= limit)
            {
                app.should_quit = true;
            }
        }
        Ok(())
    }

    /// The terminal is now `w` × `h` (a remote one is told; a local one knows).
    fn resize(&mut self, app: &mut App, w: u16, h: u16) -> io::Result<()> {
        if !self.host.is_local() {
            self.terminal
                .resize(ratatui::layout::Rect::new(0, 0, w, h))?;
        }
        self.dispatch(app, Action::Resize(w, h));
        Ok(())
    }

    /// Results of background work, and files changed on disk by someone else.
    fn drain_background(&mut self, app: &mut App) {
        while let Ok(report) = self.background.reports.try_recv() {
            match report {
                Report::Action(action) => {
                    if let Action::GitStatus(_) = action {
                        self.background.status_arrived();
                    }
                    self.dispatch(app, action);
                }
                Report::FilesChanged(paths) => self.files_changed(app, &paths),
                Report::PictureLoaded { path, picture } => {
                    self.picture_loaded(app, path, picture);
                }
                Report::ScreenshotsChecked { entry_id, warnings } => {
                    if app.selected_entry().is_some_and(|e| e.id == entry_id) {
                        app.screenshot_warnings = warnings;
                    }
                }
            }
        }
    }

    /// Reload when a journal file changed that this store did not write itself (a
    /// reviewer's comment, a pull); refresh the git status for any change.
    fn files_changed(&mut self, app: &mut App, paths: &[String]) {
        if app.has_git {
            self.background.refresh_status();
        }
        let foreign = paths
            .iter()
            .filter(|p| background::is_record(p))
            .any(|p| !self.store.knows_current(p));
        if foreign {
            match self.perform_one(app, Effect::Reload) {
                Ok(Some(action)) | Err(action) => self.dispatch(app, action),
                Ok(None) => {}
            }
            app.status = app::Status::Info(format!(
                "changed on disk: reloaded ({} entries, {} open comments)",
                app.journal.entries.len(),
                app.open_comment_count()
            ));
        }
    }

    /// Run `action` through `update`, then perform its effects, feeding their results
    /// back as actions until nothing is left.
    fn dispatch(&mut self, app: &mut App, action: Action) {
        let mut queue = VecDeque::from([action]);
        while let Some(action) = queue.pop_front() {
            let effects = update::update(app, action);
            queue.extend(self.perform(app, effects));
        }
    }

    /// Perform effects in order. A failed save stops the batch, so that what comes after
    /// it (removing the draft) happens only when the save succeeded; the draft written
    /// just before a failed save goes back with the failure, so its text is not lost.
    fn perform(&mut self, app: &App, effects: Vec<Effect>) -> Vec<Action> {
        let mut out = Vec::new();
        let mut draft = None;
        for effect in effects {
            if let Effect::WriteDraft(d) = &effect {
                draft = Some(d.clone());
            }
            match self.perform_one(app, effect) {
                Ok(Some(action)) => out.push(action),
                Ok(None) => {}
                Err(mut failed) => {
                    if let Action::Saved(SaveOutcome::NotSaved(n)) = &mut failed {
                        n.draft = draft.take();
                    }
                    out.push(failed);
                    break;
                }
            }
        }
        out
    }

    /// After a save: commit it in the background when `[git] autocommit` is on. In
    /// reviewer mode the commit's author is the reviewer.
    fn autocommit(&mut self, app: &App, paths: Vec<String>, message: String) {
        if !app.journal.settings.git.autocommit {
            return;
        }
        let author = (app.mode == Access::CommentsOnly).then(|| app.author.clone());
        self.background.send(GitJob::Commit {
            paths,
            message,
            author,
            settings: Box::new(app.journal.settings.clone()),
        });
        self.background.refresh_status();
    }

    fn perform_one(&mut self, app: &App, effect: Effect) -> Result<Option<Action>, Action> {
        let failed = |message: String| {
            Action::Saved(SaveOutcome::Failed {
                message,
                restore: vec![],
                remove: vec![],
            })
        };
        let local = self.host.is_local();
        match effect {
            Effect::Quit => Ok(None),
            Effect::SaveEntries {
                entries,
                previous,
                message,
            } => {
                for (i, e) in entries.iter().enumerate() {
                    if let Err(err) = self.store.save_entry(e) {
                        let (restore, remove) = unsaved(&entries[i..], &previous, |e| e.id.clone());
                        let conflict = matches!(
                            err,
                            StoreError::ChangedOnDisk { .. } | StoreError::Unparseable { .. }
                        );
                        return Err(Action::Saved(SaveOutcome::NotSaved(Box::new(NotSaved {
                            message: err.to_string(),
                            label: message,
                            restore,
                            remove: remove.into_iter().map(|e| e.id).collect(),
                            unsaved: entries[i..].to_vec(),
                            draft: None,
                            conflict,
                        }))));
                    }
                }
                let mut paths: Vec<String> =
                    entries.iter().map(|e| self.store.entry_path(e)).collect();
                paths.extend(
                    entries
                        .iter()
                        .flat_map(|e| e.screenshots.iter().map(|s| s.path.clone())),
                );
                let commit_message = crate::store::git::entries_message(&entries, &message);
                self.autocommit(app, paths, commit_message);
                Ok(Some(Action::Saved(SaveOutcome::Ok(message))))
            }
            Effect::SaveAccount(a) => {
                self.store
                    .save_account(&a)
                    .map_err(|e| failed(e.to_string()))?;
                let path = format!("accounts/{}.toml", a.handle);
                self.autocommit(app, vec![path], format!("account {}", a.handle));
                Ok(None)
            }
            Effect::SaveCodebook(b) => {
                self.store
                    .save_codebook(&b)
                    .map_err(|e| failed(e.to_string()))?;
                let message = match &app.status {
                    app::Status::Info(m) => format!("codebook: {m}"),
                    _ => "codebook".to_string(),
                };
                self.autocommit(app, vec!["codebook.toml".into()], message);
                Ok(None)
            }
            Effect::SaveComments { comments, previous } => {
                for (i, c) in comments.iter().enumerate() {
                    if let Err(err) = self.store.save_comment(c) {
                        let key = |c: &crate::model::Comment| (c.entry.clone(), c.id.clone());
                        let (restore, remove) = unsaved(&comments[i..], &previous, key);
                        return Err(Action::CommentsFailed {
                            message: err.to_string(),
                            restore,
                            remove: remove.iter().map(key).collect(),
                        });
                    }
                }
                let paths = comments.iter().map(crate::store::comment_path).collect();
                let message = crate::store::git::comments_message(&comments, &previous);
                self.autocommit(app, paths, message);
                Ok(None)
            }
            Effect::LoadHistory(entry_id) => {
                match app.journal.entry(&entry_id) {
                    Some(e) => self.background.send(GitJob::History {
                        path: self.store.entry_path(e),
                        entry_id,
                    }),
                    None => return Ok(Some(Action::History(entry_id, Ok(Vec::new())))),
                }
                Ok(None)
            }
            Effect::Attach { .. } | Effect::OpenInViewer(_) | Effect::EditExternally(_)
                if !local =>
            {
                Err(Action::NotDone(
                    "not available in a remote session: nothing runs on the server for you".into(),
                ))
            }
            Effect::CompletePath(_) if !local => Ok(Some(Action::PathCompletions(Vec::new()))),
            Effect::WriteDraft(_) | Effect::RemoveDraft(_) if !local => Ok(None),
            Effect::Attach { entry_id, path } => {
                let Some(entry) = app.journal.entry(&entry_id) else {
                    return Ok(None);
                };
                let source = expand_home(&path);
                let result = media::attach(
                    self.store.root(),
                    &app.journal,
                    Path::new(&source),
                    &entry.observed_at,
                )
                .map_err(|e| e.to_string());
                Ok(Some(Action::Attached(entry_id, result)))
            }
            Effect::OpenInViewer(rel) => {
                let path = media::resolve_inside(self.store.root(), &rel)
                    .map_err(|e| Action::NotDone(e.to_string()))?;
                open_in_viewer(&path).map_err(Action::NotDone)?;
                Ok(None)
            }
            Effect::CompletePath(text) => Ok(Some(Action::PathCompletions(complete_path(&text)))),
            Effect::EditExternally(text) => {
                ratatui::restore();
                let result = crate::os::edit_in_editor(&text).map_err(|e| e.to_string());
                let _ = ratatui::crossterm::terminal::enable_raw_mode();
                let _ = ratatui::crossterm::execute!(
                    io::stdout(),
                    ratatui::crossterm::terminal::EnterAlternateScreen
                );
                let _ = self.terminal.clear();
                Ok(Some(Action::ExternalEditDone(result)))
            }
            // A draft that cannot be written (a full disk) must not stop the save after it.
            Effect::WriteDraft(d) => Ok(draft::write(self.store.root(), &d)
                .err()
                .map(|e| Action::DraftNotWritten(e.to_string()))),
            Effect::RemoveDraft(key) => {
                let _ = draft::remove(self.store.root(), &key);
                Ok(None)
            }
            Effect::Reload => {
                let access = self.store.access();
                match crate::store::open(self.store.root()) {
                    Ok(opened) => {
                        self.store = opened.store;
                        self.store.set_access(access);
                        let problems = opened.problems.iter().filter(|p| p.is_error()).count();
                        Ok(Some(Action::Reloaded(Box::new(opened.journal), problems)))
                    }
                    Err(e) => Err(failed(e.to_string())),
                }
            }
        }
    }

    /// Look at the selected entry's screenshot files (missing? changed since attached?)
    /// so the preview can warn; each file version is hashed once.
    /// Have the selected entry's screenshots checked in the background when the
    /// selection or its screenshots changed, and again now and then (a file replaced).
    fn check_screenshots(&mut self, app: &mut App) {
        let Some(entry) = app.selected_entry() else {
            return;
        };
        let check = ShotCheck {
            entry_id: entry.id.clone(),
            shots: entry
                .screenshots
                .iter()
                .map(|s| (s.path.clone(), s.sha256.clone()))
                .collect(),
        };
        let same = self
            .shots_asked
            .as_ref()
            .is_some_and(|(asked, at)| *asked == check && at.elapsed() < SHOT_RECHECK);
        if same {
            return;
        }
        let moved = self
            .shots_asked
            .as_ref()
            .is_none_or(|(asked, _)| asked.entry_id != entry.id);
        if !check.shots.is_empty() {
            self.background.check_screenshots(check.clone());
        }
        self.shots_asked = Some((check, Instant::now()));
        if moved {
            // Until the answer comes: nothing is known of these yet.
            app.screenshot_warnings.clear();
        }
    }
}

/// After a write failed part-way: of the records not written (`unsaved`), the earlier
/// versions to put back, and the new ones (with no earlier version) to take out.
fn unsaved<T: Clone, K: PartialEq>(
    unsaved: &[T],
    previous: &[T],
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Vec<T>) {
    let restore = previous
        .iter()
        .filter(|p| unsaved.iter().any(|u| key(u) == key(p)))
        .cloned()
        .collect();
    let remove = unsaved
        .iter()
        .filter(|u| !previous.iter().any(|p| key(p) == key(u)))
        .cloned()
        .collect();
    (restore, remove)
}

impl<B: Backend<Error = io::Error>> Runtime<'_, B> {
    /// Make the selected entry's first screenshot ready to draw when pictures are on.
    /// Returns whether one is ready. Decoding happens once per selection, never while
    /// drawing.
    fn prepare_picture(&mut self, app: &mut App) -> bool {
        if !app.show_image {
            return false;
        }
        let Some(path) = app
            .selected_entry()
            .and_then(|e| e.screenshots.first())
            .map(|s| s.path.clone())
        else {
            return false;
        };
        if self.picture.as_ref().is_some_and(|(p, _)| *p == path) {
            return true;
        }
        self.picture = None;
        if !app.image_notes.contains_key(&path) && self.picture_asked.as_ref() != Some(&path) {
            self.background.load_picture(path.clone());
            self.picture_asked = Some(path);
        }
        false
    }

    /// A picture the media worker decoded: shown if it is still the one wanted.
    fn picture_loaded(
        &mut self,
        app: &mut App,
        path: String,
        picture: Result<image::DynamicImage, String>,
    ) {
        if self.picture_asked.as_ref() != Some(&path) {
            return;
        }
        self.picture_asked = None;
        match picture {
            Ok(image) => {
                // Kitty, sixel or iTerm2 when the terminal says so; half blocks otherwise,
                // which every terminal shows.
                let picker = self.picker.get_or_insert_with(|| {
                    Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks())
                });
                self.picture = Some((path, picker.new_resize_protocol(image)));
            }
            Err(note) => {
                app.image_notes.insert(path, note);
            }
        }
    }
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// Hand a file to the platform's opener, without waiting for it.
fn open_in_viewer(path: &Path) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
        .map_err(|e| format!("cannot start {opener}: {e}"))
}

/// Paths that complete `text`: entries of its folder whose names start with what is
/// typed after the last `/`; folders end with `/`.
fn complete_path(text: &str) -> Vec<String> {
    let expanded = expand_home(text);
    let (dir, stem) = match expanded.rfind('/') {
        Some(i) => (&expanded[..=i], &expanded[i + 1..]),
        None => ("./", expanded.as_str()),
    };
    let shown_dir = match text.rfind('/') {
        Some(i) => &text[..=i],
        None => "",
    };
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = read
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(stem) || (name.starts_with('.') && !stem.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(format!("{shown_dir}{name}{slash}"))
        })
        .collect();
    found.sort();
    found.truncate(50);
    found
}
