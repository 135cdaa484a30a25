//! Work the interface must never wait for: git (status, commits, history) on one worker
//! thread, checking screenshots against their recorded sha256 on another (a picture of
//! several megabytes takes a while to hash, and scrolling must not wait for it), and a
//! watcher that notices files changed on disk by someone else (a reviewer's comment, a
//! `git pull`). All report back through one channel the runtime drains between frames.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::action::Action;
use crate::store::cache::Stamp;
use crate::store::git::{self, Git};

/// What comes back from the background.
#[derive(Debug)]
pub enum Report {
    Action(Action),
    /// Paths (relative to the journal root, with `/`) that changed on disk.
    FilesChanged(Vec<String>),
    /// What is wrong with an entry's screenshots, by path (nothing for good ones).
    ScreenshotsChecked {
        entry_id: String,
        warnings: HashMap<String, String>,
    },
    /// A screenshot decoded for the preview, or why it cannot be shown.
    PictureLoaded {
        path: String,
        picture: Result<image::DynamicImage, String>,
    },
}

/// A request to the media worker.
#[derive(Debug)]
enum MediaJob {
    Check(ShotCheck),
    /// Decode the screenshot at this journal path for the preview.
    Picture(String),
}

/// A request to check one entry's screenshots: each path with the sha256 it was
/// attached with (empty when none was recorded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShotCheck {
    pub entry_id: String,
    pub shots: Vec<(String, String)>,
}

/// A request to the git worker.
#[derive(Debug)]
pub enum GitJob {
    Status,
    Commit {
        paths: Vec<String>,
        message: String,
        author: Option<String>,
        settings: Box<crate::model::Settings>,
    },
    History {
        entry_id: String,
        path: String,
    },
}

/// How many commits the history view shows at most.
const HISTORY_LIMIT: usize = 200;

/// The background helpers of one interface (one terminal, or one SSH session).
pub struct Background {
    pub reports: Receiver<Report>,
    git: Option<Sender<GitJob>>,
    worker: Option<std::thread::JoinHandle<()>>,
    media: Option<Sender<MediaJob>>,
    _watcher: WatcherSlot,
    status_pending: bool,
    last_status: Option<Instant>,
}

impl Background {
    /// The helpers of an interface on the journal at `root`, loaded from `loaded` on
    /// (changes after that are reported, even those before the watcher was ready).
    pub fn start(root: &Path, loaded: SystemTime) -> Background {
        let (tx, reports) = mpsc::channel();
        let (git, worker) = spawn_git_worker(root.to_path_buf(), tx.clone());
        let media = spawn_media_worker(root.to_path_buf(), tx.clone());
        let watcher = watch(root, loaded, tx);
        let mut bg = Background {
            reports,
            git: Some(git),
            worker,
            media,
            _watcher: watcher,
            status_pending: false,
            last_status: None,
        };
        bg.refresh_status();
        bg
    }

    pub fn send(&self, job: GitJob) {
        if let Some(git) = &self.git {
            let _ = git.send(job);
        }
    }

    /// Check these screenshots; the answer comes back as `Report::ScreenshotsChecked`.
    pub fn check_screenshots(&self, job: ShotCheck) {
        self.send_media(MediaJob::Check(job));
    }

    /// Decode a screenshot for the preview; it comes back as `Report::PictureLoaded`.
    pub fn load_picture(&self, path: String) {
        self.send_media(MediaJob::Picture(path));
    }

    fn send_media(&self, job: MediaJob) {
        if let Some(media) = &self.media {
            let _ = media.send(job);
        }
    }

    /// Ask for a fresh git status unless one is on its way.
    pub fn refresh_status(&mut self) {
        if !self.status_pending {
            self.status_pending = true;
            self.last_status = Some(Instant::now());
            self.send(GitJob::Status);
        }
    }

    /// A status came back.
    pub fn status_arrived(&mut self) {
        self.status_pending = false;
    }

    /// Refresh now and then even when nothing was noticed (a fetch in another terminal).
    pub fn refresh_if_stale(&mut self, every: Duration) {
        if self.last_status.is_none_or(|t| t.elapsed() >= every) {
            self.refresh_status();
        }
    }
}

/// When the interface ends, the commits it asked for are still made: leaving waits
/// for the git worker to finish its queue.
impl Drop for Background {
    fn drop(&mut self) {
        self.git = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn spawn_git_worker(
    root: PathBuf,
    tx: Sender<Report>,
) -> (Sender<GitJob>, Option<std::thread::JoinHandle<()>>) {
    let (jobs_tx, jobs) = mpsc::channel::<GitJob>();
    let worker = std::thread::Builder::new()
        .name("fieldnote-git".into())
        .spawn(move || {
            let repo = Git::find(&root);
            let mut listening = true;
            if repo.is_none() {
                listening = tx.send(Report::Action(Action::GitStatus(None))).is_ok();
            }
            while let Ok(job) = jobs.recv() {
                // Once the interface is gone only commits are still worth making.
                if !listening && !matches!(job, GitJob::Commit { .. }) {
                    continue;
                }
                let report = match (&repo, job) {
                    (
                        _,
                        GitJob::Commit {
                            paths,
                            message,
                            author,
                            settings,
                        },
                    ) => Action::Committed(
                        git::autocommit(&root, &settings, &paths, &message, author.as_deref())
                            .map_err(|e| e.to_string()),
                    ),
                    (None, GitJob::Status) => Action::GitStatus(None),
                    (Some(g), GitJob::Status) => Action::GitStatus(g.status().ok()),
                    (None, GitJob::History { entry_id, .. }) => {
                        Action::History(entry_id, Err("not a git repository".into()))
                    }
                    (Some(g), GitJob::History { entry_id, path }) => Action::History(
                        entry_id,
                        g.history(&path, HISTORY_LIMIT).map_err(|e| e.to_string()),
                    ),
                };
                listening = listening && tx.send(Report::Action(report)).is_ok();
            }
        });
    if let Err(e) = &worker {
        eprintln!("warning: no thread for git ({e}): git status and commits are off");
    }
    (jobs_tx, worker.ok())
}

fn spawn_media_worker(root: PathBuf, tx: Sender<Report>) -> Option<Sender<MediaJob>> {
    let (jobs_tx, jobs) = mpsc::channel::<MediaJob>();
    let spawned = std::thread::Builder::new()
        .name("fieldnote-media".into())
        .spawn(move || {
            // Each file is hashed once per version (path, size, modification time).
            let mut hashed = HashMap::new();
            while let Ok(first) = jobs.recv() {
                // Scrolling fast asks for many entries: only the latest of each kind
                // matters, and the picture being looked at comes first.
                let (mut check, mut picture) = (None, None);
                for job in std::iter::once(first).chain(jobs.try_iter()) {
                    match job {
                        MediaJob::Check(c) => check = Some(c),
                        MediaJob::Picture(p) => picture = Some(p),
                    }
                }
                let reports = picture
                    .map(|path| Report::PictureLoaded {
                        picture: super::picture::load_picture(&root, &path),
                        path,
                    })
                    .into_iter()
                    .chain(check.map(|job| check_shots(&root, job, &mut hashed)));
                for report in reports {
                    if tx.send(report).is_err() {
                        return;
                    }
                }
            }
        });
    match spawned {
        Ok(_) => Some(jobs_tx),
        Err(e) => {
            eprintln!("warning: no thread for screenshots ({e}): no checks, no pictures");
            None
        }
    }
}

/// The sha256 of each file version seen: by path and stamp (size, times and inode, so a
/// replacement copied with its modification time kept is still seen as new).
type Hashed = HashMap<(String, Stamp), Result<String, String>>;

fn check_shots(root: &Path, job: ShotCheck, hashed: &mut Hashed) -> Report {
    let warnings = job
        .shots
        .iter()
        .filter_map(|(path, sha256)| {
            let warning = screenshot_warning(root, path, sha256, hashed)?;
            Some((path.clone(), warning))
        })
        .collect();
    Report::ScreenshotsChecked {
        entry_id: job.entry_id,
        warnings,
    }
}

/// What is wrong with the screenshot at `rel` (a journal path), if anything: outside the
/// journal, missing, unreadable, or not the picture that was attached.
fn screenshot_warning(
    root: &Path,
    rel: &str,
    expected: &str,
    hashed: &mut Hashed,
) -> Option<String> {
    let path = match crate::store::media::resolve_inside(root, rel) {
        Ok(path) => path,
        Err(e) => return Some(e.to_string()),
    };
    let Ok(meta) = std::fs::metadata(&path) else {
        return Some("missing".to_string());
    };
    let key = (rel.to_string(), Stamp::of(&meta));
    let sha256 = hashed.entry(key).or_insert_with(|| {
        crate::store::read::sha256_file(&path).map_err(|e| format!("cannot be read: {e}"))
    });
    match sha256 {
        Err(e) => Some(e.clone()),
        Ok(sha256) => (!expected.is_empty() && *sha256 != expected.to_ascii_lowercase())
            .then(|| "changed since attached (sha256 differs)".to_string()),
    }
}

/// The watcher of a journal folder, once it is set up (see `watch`).
type WatcherSlot = Arc<Mutex<Option<notify::RecommendedWatcher>>>;

/// Watch the journal folder; changes are gathered until things are quiet for a moment
/// (a `git pull` touches many files at once) and then reported together.
///
/// Setting up a recursive watch walks the whole folder (at 50,000 entries, a fifth of a
/// second before the first frame), so a thread does it, then gathers. The watcher lives
/// in the returned slot, dropped with the interface's `Background`; a thread that
/// finishes its walk after that drops it at once. Files changed between `loaded` and
/// the moment the watcher was ready are found by their times and reported first.
fn watch(root: &Path, loaded: SystemTime, tx: Sender<Report>) -> WatcherSlot {
    let slot: WatcherSlot = Arc::new(Mutex::new(None));
    let owner = Arc::downgrade(&slot);
    let root = root.to_path_buf();
    let _ = std::thread::Builder::new()
        .name("fieldnote-watch".into())
        .spawn(move || {
            let root = std::fs::canonicalize(&root).unwrap_or(root);
            let Some((watcher, raw)) = start_watcher(&root) else {
                return;
            };
            match owner.upgrade() {
                Some(slot) => *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(watcher),
                None => return,
            }
            // Within a file system's time resolution (and clocks a little apart).
            let since = loaded - Duration::from_secs(2);
            let missed = changed_since(&root, &root, since);
            if !missed.is_empty() && tx.send(Report::FilesChanged(missed)).is_err() {
                return;
            }
            gather(&root, &raw, &tx);
        });
    slot
}

/// The files under `dir` (relative to `root`, `/`-separated) modified or changed since
/// `since`, leaving out git's insides and fieldnote's own `.fieldnote/`.
fn changed_since(root: &Path, dir: &Path, since: SystemTime) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(items) = std::fs::read_dir(dir) else {
        return found;
    };
    for item in items.flatten() {
        let name = item.file_name();
        if dir == root && (name == ".git" || name == ".fieldnote") {
            continue;
        }
        let Ok(kind) = item.file_type() else { continue };
        if kind.is_dir() {
            found.extend(changed_since(root, &item.path(), since));
        } else if kind.is_file() && item.metadata().is_ok_and(|m| touched_since(&m, since)) {
            found.extend(relative(root, &item.path()));
        }
    }
    found
}

/// `path` relative to `root`, `/`-separated as the store names files.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// Was the file's content or its metadata (a rename into place) changed since `since`?
fn touched_since(meta: &std::fs::Metadata, since: SystemTime) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = std::time::UNIX_EPOCH
            + Duration::new(
                meta.ctime().max(0) as u64,
                meta.ctime_nsec().clamp(0, 999_999_999) as u32,
            );
        if changed >= since {
            return true;
        }
    }
    meta.modified().is_ok_and(|m| m >= since)
}

/// A recursive watcher of `root`, and the paths it reports.
fn start_watcher(root: &Path) -> Option<(notify::RecommendedWatcher, Receiver<PathBuf>)> {
    use notify::Watcher;
    let (raw_tx, raw) = mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                for p in event.paths {
                    let _ = raw_tx.send(p);
                }
            }
        }
    })
    .ok()?;
    watcher.watch(root, notify::RecursiveMode::Recursive).ok()?;
    Some((watcher, raw))
}

/// Report changed paths in bursts, once quiet for a moment, until the watcher is gone.
fn gather(root: &Path, raw: &Receiver<PathBuf>, tx: &Sender<Report>) {
    let quiet = Duration::from_millis(200);
    loop {
        let Ok(first) = raw.recv() else { return };
        let mut paths = vec![first];
        loop {
            match raw.recv_timeout(quiet) {
                Ok(p) => paths.push(p),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut rel: Vec<String> = paths.iter().filter_map(|p| relative(root, p)).collect();
        rel.sort();
        rel.dedup();
        if tx.send(Report::FilesChanged(rel)).is_err() {
            return;
        }
    }
}

/// Is this changed path one of the journal's records (not git's insides, the cache,
/// drafts, media or a temporary file of an atomic write)?
pub fn is_record(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel.ends_with(".toml")
        && !name.starts_with('.')
        && !name.starts_with(crate::store::TEMP_PREFIX)
        && !rel.starts_with(".git/")
        && !rel.starts_with(".fieldnote/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_records_count_as_changes() {
        use super::is_record;
        assert!(is_record(
            "comments/20260314-210512-7f3a/20260320-091500-rina.toml"
        ));
        assert!(is_record("journal.toml"));
        assert!(!is_record(".git/index"));
        assert!(!is_record(".fieldnote/drafts/new-1.toml"));
        assert!(!is_record("media/2026/03/a.png"));
    }

    /// A comment written after the journal was loaded but before the watcher was ready
    /// (its walk runs beside the first frame) is reported all the same; git's files and
    /// fieldnote's own are not.
    #[test]
    fn a_change_before_the_watcher_is_ready_is_reported() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let loaded = SystemTime::now() - Duration::from_secs(30);
        for rel in [".git/index", ".fieldnote/cache/x", "comments/e/c.toml"] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = super::changed_since(root, root, loaded);
        assert_eq!(found, vec!["comments/e/c.toml".to_string()]);
        let later = super::changed_since(root, root, SystemTime::now() + Duration::from_secs(60));
        assert!(later.is_empty(), "{later:?}");
        let (tx, rx) = std::sync::mpsc::channel();
        let _slot = super::watch(root, loaded, tx);
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(super::Report::FilesChanged(paths)) => {
                assert!(
                    paths.contains(&"comments/e/c.toml".to_string()),
                    "{paths:?}"
                );
            }
            Ok(_) => panic!("another report first"),
            Err(e) => panic!("nothing reported: {e}"),
        }
    }
}
