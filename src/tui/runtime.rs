//! The interface's loop: wait for a key, a resize or a background report; run it
//! through `update`; perform the effects (`effects.rs`); draw.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;

use super::app::{self, App};

use super::action::{Action, Effect};
use super::background::{Background, Report, ShotCheck};
use super::theme::Theme;
use crate::store::Store;

use super::host::{Host, Next};
use super::{background, hangup, ui, update};

/// How often time advances (drafts are written on ticks).
const TICK: Duration = Duration::from_secs(1);
/// The longest the loop sleeps before looking at background results.
const WAKE: Duration = Duration::from_millis(100);
/// How often the selected entry's screenshots are checked again (a file replaced).
const SHOT_RECHECK: Duration = Duration::from_secs(5);
/// How often the git status is refreshed when nothing was noticed.
const GIT_STATUS_EVERY: Duration = Duration::from_secs(10);

pub(super) struct Runtime<'w, B: Backend<Error = io::Error>> {
    pub(super) terminal: Terminal<B>,
    pub(super) host: Host,
    pub(super) store: Store,
    pub(super) theme: Theme,
    /// The screenshots last sent to be checked (an entry's paths with their recorded
    /// sha256), and when.
    pub(super) shots_asked: Option<(ShotCheck, Instant)>,
    pub(super) background: Background,
    pub(super) idle_limit: Option<Duration>,
    /// How pictures are drawn; asked of the terminal the first time one is shown, so
    /// start-up never waits for a terminal that does not answer.
    pub(super) picker: Option<Picker>,
    /// The screenshot shown as a picture, by journal path.
    pub(super) picture: Option<(String, StatefulProtocol)>,
    /// The picture asked of the media worker and not back yet.
    pub(super) picture_asked: Option<String>,
    /// Ends the process, draft written, should the local terminal go away.
    pub(super) watchdog: Option<&'w hangup::Watchdog>,
}

impl<B: Backend<Error = io::Error>> Runtime<'_, B> {
    pub(super) fn run(&mut self, app: &mut App, stop: &AtomicBool) -> io::Result<()> {
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
            // While no key waits, build the search index (then the matrix's numbered
            // entries) a part at a time: the first frame is already up, and a key
            // never waits for more than one part.
            while app.background_pending() {
                match self.host.next(Duration::ZERO, &mut queued)? {
                    Next::Nothing => {
                        app.build_some();
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
            let mut typed = false;
            loop {
                match self.host.next(wait, &mut queued)? {
                    Next::Event(Event::Key(key)) => {
                        if let Some((w, h)) = resized.take() {
                            self.resize(app, w, h)?;
                        }
                        last_key = Instant::now();
                        // A key is stamped with the time it came (a live moment is
                        // noted to the second), not the last tick's.
                        app.now = crate::store::clock::now();
                        self.dispatch(app, Action::Key(key));
                        typed = true;
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
            if let Some(watchdog) = self.watchdog.filter(|_| typed) {
                // Should the terminal go away now, the watchdog writes what was just
                // typed without waiting for this loop.
                watchdog.remember(update::current_draft(app));
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
