//! The terminal interface: state (`app`), what can happen (`action`), the pure
//! `update`, keys as data (`keymap`), drawing (`ui`), and the runtime below, the only
//! part that touches the terminal and the disk.

pub mod action;
pub mod app;
pub mod draft;
mod hangup;
pub mod input;
pub mod keymap;
pub mod theme;
pub mod ui;
pub mod update;

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::StatefulProtocol;

pub use app::{App, Mode};

use crate::cli::{CliError, CliResult};
use crate::store::{Opened, Store, StoreError, media, read};
use action::{Action, Effect, NotSaved, SaveOutcome};
use keymap::Keymap;
use theme::Theme;

/// How often time advances (drafts are written on ticks).
const TICK: Duration = Duration::from_secs(1);

/// Open the interface on a loaded journal and run it until the user quits.
pub fn run_on_journal(opened: Opened, mode: Mode) -> CliResult {
    let keymap = Keymap::load().unwrap_or_else(|e| {
        eprintln!("warning: {e}; using the default keys");
        Keymap::default()
    });
    let Opened {
        mut store,
        journal,
        problems,
    } = opened;
    if mode == Mode::ReadOnly {
        store.set_read_only(true);
    }
    let mut app = App::new(journal, mode, keymap, jiff::Timestamp::now());
    app.problems = problems.iter().filter(|p| p.is_error()).count();
    if mode == Mode::Edit {
        app.pending_drafts = draft::load_all(store.root());
    }
    update::offer_next_draft(&mut app);

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| CliError::failed(format!("cannot watch for signals: {e}")))?;
    }
    let watchdog = hangup::Watchdog::start(store.root().to_path_buf(), Arc::clone(&stop));
    let theme = Theme::from_env();
    let mut runtime = Runtime {
        terminal: ratatui::init(),
        store,
        theme,
        shot_cache: HashMap::new(),
        picker: None,
        picture: None,
        watchdog,
    };
    let result = runtime.run(&mut app, &stop);
    // Whatever happened, nothing typed is lost: write the draft before leaving.
    if let Some(d) = update::current_draft(&app) {
        let _ = draft::write(runtime.store.root(), &d);
    }
    runtime.watchdog.stand_down();
    ratatui::restore();
    result.map_err(|e| CliError::failed(format!("terminal error: {e}")))
}

struct Runtime {
    terminal: DefaultTerminal,
    store: Store,
    theme: Theme,
    /// Screenshot checks by (path, size, mtime), so each file is hashed once.
    shot_cache: HashMap<(String, u64, Option<std::time::SystemTime>), Option<String>>,
    /// How pictures are drawn; asked of the terminal the first time one is shown, so
    /// start-up never waits for a terminal that does not answer.
    picker: Option<Picker>,
    /// The screenshot shown as a picture, by journal path.
    picture: Option<(String, StatefulProtocol)>,
    /// Ends the process, draft written, should the terminal go away.
    watchdog: hangup::Watchdog,
}

impl Runtime {
    fn run(&mut self, app: &mut App, stop: &AtomicBool) -> std::io::Result<()> {
        let size = self.terminal.size()?;
        self.dispatch(app, Action::Resize(size.width, size.height));
        let mut last_tick = Instant::now();
        while !app.should_quit && !stop.load(Ordering::Relaxed) {
            self.check_screenshots(app);
            let shown = self.prepare_picture(app);
            let theme = self.theme;
            let picture = self.picture.as_mut().filter(|_| shown).map(|(_, p)| p);
            self.terminal
                .draw(|frame| ui::draw_with_image(frame, app, &theme, picture))?;
            let timeout = TICK.saturating_sub(last_tick.elapsed());
            if event::poll(timeout)? {
                // Take every event already waiting before drawing again, so fast typing
                // or a paste is not slowed down by a redraw per key.
                loop {
                    match event::read()? {
                        Event::Key(key) => self.dispatch(app, Action::Key(key)),
                        Event::Resize(w, h) => self.dispatch(app, Action::Resize(w, h)),
                        _ => {}
                    }
                    if app.should_quit || !event::poll(Duration::ZERO)? {
                        break;
                    }
                }
            }
            if last_tick.elapsed() >= TICK {
                last_tick = Instant::now();
                self.dispatch(app, Action::Tick(jiff::Timestamp::now()));
                self.watchdog.remember(update::current_draft(app));
            }
        }
        Ok(())
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

    fn perform_one(&mut self, app: &App, effect: Effect) -> Result<Option<Action>, Action> {
        let failed = |message: String| {
            Action::Saved(SaveOutcome::Failed {
                message,
                restore: vec![],
                remove: vec![],
            })
        };
        match effect {
            Effect::Quit => Ok(None),
            Effect::SaveEntries {
                entries,
                previous,
                message,
            } => {
                for (i, e) in entries.iter().enumerate() {
                    if let Err(err) = self.store.save_entry(e) {
                        // Put back what was not written; take out new entries that were not.
                        let unsaved = &entries[i..];
                        let restore: Vec<_> = previous
                            .iter()
                            .filter(|p| unsaved.iter().any(|u| u.id == p.id))
                            .cloned()
                            .collect();
                        let remove = unsaved
                            .iter()
                            .filter(|u| !previous.iter().any(|p| p.id == u.id))
                            .map(|u| u.id.clone())
                            .collect();
                        let conflict = matches!(
                            err,
                            StoreError::ChangedOnDisk { .. } | StoreError::Unparseable { .. }
                        );
                        return Err(Action::Saved(SaveOutcome::NotSaved(Box::new(NotSaved {
                            message: err.to_string(),
                            label: message,
                            restore,
                            remove,
                            unsaved: unsaved.to_vec(),
                            draft: None,
                            conflict,
                        }))));
                    }
                }
                Ok(Some(Action::Saved(SaveOutcome::Ok(message))))
            }
            Effect::SaveAccount(a) => self
                .store
                .save_account(&a)
                .map(|_| None)
                .map_err(|e| failed(e.to_string())),
            Effect::SaveCodebook(b) => self
                .store
                .save_codebook(&b)
                .map(|_| None)
                .map_err(|e| failed(e.to_string())),
            Effect::SaveComment(c) => self
                .store
                .save_comment(&c)
                .map(|_| None)
                .map_err(|e| failed(e.to_string())),
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
                    .map_err(|e| failed(e.to_string()))?;
                open_in_viewer(&path).map_err(failed)?;
                Ok(None)
            }
            Effect::CompletePath(text) => Ok(Some(Action::PathCompletions(complete_path(&text)))),
            Effect::EditExternally(text) => {
                ratatui::restore();
                let result = crate::cli::edit_in_editor(&text).map_err(|e| e.message);
                self.terminal = ratatui::init();
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
                let read_only = self.store.is_read_only();
                match crate::store::open(self.store.root()) {
                    Ok(opened) => {
                        self.store = opened.store;
                        self.store.set_read_only(read_only);
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
    fn check_screenshots(&mut self, app: &mut App) {
        let Some(entry) = app.selected_entry() else {
            return;
        };
        let mut warnings = HashMap::new();
        for shot in &entry.screenshots {
            let warning = match media::resolve_inside(self.store.root(), &shot.path) {
                Err(e) => Some(e.to_string()),
                Ok(path) => match std::fs::metadata(&path) {
                    Err(_) => Some("missing".to_string()),
                    Ok(meta) => {
                        let key = (shot.path.clone(), meta.len(), meta.modified().ok());
                        self.shot_cache
                            .entry(key)
                            .or_insert_with(|| match read::sha256_file(&path) {
                                Err(e) => Some(format!("cannot be read: {e}")),
                                Ok(sha256) => (!shot.sha256.is_empty()
                                    && sha256 != shot.sha256.to_ascii_lowercase())
                                .then(|| "changed since attached (sha256 differs)".to_string()),
                            })
                            .clone()
                    }
                },
            };
            if let Some(w) = warning {
                warnings.insert(shot.path.clone(), w);
            }
        }
        app.screenshot_warnings = warnings;
    }
}

impl Runtime {
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
        if app.image_notes.contains_key(&path) {
            return false;
        }
        match load_picture(self.store.root(), &path) {
            Ok(image) => {
                // Kitty, sixel or iTerm2 when the terminal says so; half blocks otherwise,
                // which every terminal shows.
                let picker = self.picker.get_or_insert_with(|| {
                    Picker::from_query_stdio().unwrap_or_else(|_| Picker::halfblocks())
                });
                self.picture = Some((path, picker.new_resize_protocol(image)));
                true
            }
            Err(note) => {
                app.image_notes.insert(path, note);
                false
            }
        }
    }
}

/// Pictures larger than this (in pixels) are not decoded for a preview.
const MAX_PICTURE_PIXELS: u64 = 40_000_000;

/// Decode a screenshot for the preview, refusing huge images before decoding them and
/// scaling what is decoded down to preview size.
fn load_picture(root: &Path, rel: &str) -> Result<image::DynamicImage, String> {
    let path = media::resolve_inside(root, rel).map_err(|e| e.to_string())?;
    // Only a regular file: a pipe named like a picture would block the interface.
    let open = || {
        read::open_regular(&path)
            .map(|f| image::ImageReader::new(std::io::BufReader::new(f)))
            .and_then(|r| r.with_guessed_format())
            .map_err(|e| format!("cannot read: {e}"))
    };
    let (w, h) = open()?
        .into_dimensions()
        .map_err(|e| format!("not a picture: {e}"))?;
    if u64::from(w) * u64::from(h) > MAX_PICTURE_PIXELS {
        return Err(format!("too large to preview ({w}×{h}); o opens it"));
    }
    let mut reader = open()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| format!("cannot decode: {e}"))?;
    Ok(image.thumbnail(1024, 1024))
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
