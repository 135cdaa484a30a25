//! Leaving cleanly when the terminal goes away. A closed terminal window, a killed tmux
//! pane or a dropped SSH link sends SIGHUP, which only sets a flag the main loop looks
//! at; but crossterm's event reading spins forever on a hung-up terminal and never
//! returns to the loop (crossterm-rs/crossterm#793), so the flag alone would leave an
//! orphan burning a core, with the text being typed only in its memory. This watchdog
//! thread notices the signal or the hung-up terminal itself; if the main loop has not
//! ended on its own a moment later, it writes the latest draft and ends the process.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::draft::{self, Draft};

/// How often the watchdog looks, and how long the main loop gets to end by itself. Both
/// short: on a hung-up terminal the main loop is usually stuck spinning in crossterm,
/// burning a core until the watchdog ends it (2.25 s of it, before, after every closed
/// window); the draft it writes is at most a tick old.
const LOOK_EVERY: Duration = Duration::from_millis(100);
const GRACE: Duration = Duration::from_millis(300);

pub struct Watchdog {
    draft: Arc<Mutex<Option<Draft>>>,
    done: Arc<AtomicBool>,
}

impl Watchdog {
    /// Watch `stop` (set by SIGHUP and SIGTERM) and the terminal of this process.
    pub fn start(root: PathBuf, stop: Arc<AtomicBool>) -> Watchdog {
        let draft = Arc::new(Mutex::new(None));
        let done = Arc::new(AtomicBool::new(false));
        let (latest, finished) = (Arc::clone(&draft), Arc::clone(&done));
        let terminal = Terminal::open();
        let spawned = std::thread::Builder::new()
            .name("fieldnote-hangup".into())
            .spawn(move || watch(&root, &stop, &terminal, &latest, &finished));
        if let Err(e) = spawned {
            eprintln!("warning: cannot watch for a closed terminal: {e}");
        }
        Watchdog { draft, done }
    }

    /// The draft to write should the process have to end from outside the main loop
    /// (the runtime calls this every tick; at most a second is lost).
    pub fn remember(&self, latest: Option<Draft>) {
        if let Ok(mut d) = self.draft.lock() {
            *d = latest;
        }
    }

    /// The main loop ended and wrote its own draft: nothing left to do.
    pub fn stand_down(&self) {
        self.done.store(true, Ordering::SeqCst);
    }
}

fn watch(
    root: &std::path::Path,
    stop: &AtomicBool,
    terminal: &Terminal,
    latest: &Mutex<Option<Draft>>,
    done: &AtomicBool,
) {
    loop {
        std::thread::sleep(LOOK_EVERY);
        if done.load(Ordering::SeqCst) {
            return;
        }
        if !stop.load(Ordering::SeqCst) && !terminal.hung_up() {
            continue;
        }
        // Let the main loop end by itself if it can (it writes the freshest draft).
        stop.store(true, Ordering::SeqCst);
        let asked = Instant::now();
        while asked.elapsed() < GRACE {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(LOOK_EVERY);
        }
        if let Some(d) = latest.lock().ok().and_then(|d| d.clone()) {
            let _ = draft::write(root, &d);
        }
        // The terminal is gone: there is nothing to restore it for.
        std::process::exit(129);
    }
}

/// The terminal crossterm reads keys from: standard input when it is a terminal, else
/// `/dev/tty`.
struct Terminal {
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
}

impl Terminal {
    fn open() -> Terminal {
        #[cfg(unix)]
        {
            use std::os::fd::{AsFd, OwnedFd};
            let stdin = std::io::stdin();
            let fd = if std::io::IsTerminal::is_terminal(&stdin) {
                stdin.as_fd().try_clone_to_owned().ok()
            } else {
                std::fs::File::open("/dev/tty").ok().map(OwnedFd::from)
            };
            Terminal { fd }
        }
        #[cfg(not(unix))]
        Terminal {}
    }

    /// Has the terminal hung up (its window closed, its SSH link dropped)?
    fn hung_up(&self) -> bool {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let Some(fd) = &self.fd else {
                return false;
            };
            let mut poll = libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, no waiting; the descriptor is owned by `self`.
            let ready = unsafe { libc::poll(&mut poll, 1, 0) };
            ready > 0 && poll.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
        }
        #[cfg(not(unix))]
        false
    }
}
