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

/// The longest the watchdog sleeps between looks at `done` when nothing wakes it: a
/// signal or a hung-up terminal wakes it at once.
const LOOK_EVERY: Duration = Duration::from_millis(100);
/// How long the main loop gets to end by itself after SIGTERM on a terminal that is
/// still there (it restores the terminal; it looks at its stop flag at least every
/// 100 ms).
const GRACE: Duration = Duration::from_millis(300);
/// The same after a hang-up: there is no terminal left to restore and the main loop is
/// usually stuck spinning in crossterm, burning a core (2.25 s of it, at first, after
/// every closed window; then 0.35 s). The draft the watchdog holds is the main loop's
/// latest (it is handed over after every key), so nothing typed is lost by not waiting.
const HANGUP_GRACE: Duration = Duration::from_millis(20);

pub struct Watchdog {
    draft: Arc<Mutex<Option<Draft>>>,
    done: Arc<AtomicBool>,
}

/// How the process is told to stop: `stop` for the main loop (SIGTERM or SIGHUP),
/// `hung_up` (SIGHUP only), and a descriptor that becomes readable on either, so the
/// watchdog wakes at once.
pub struct Signals {
    pub stop: Arc<AtomicBool>,
    hung_up: Arc<AtomicBool>,
    #[cfg(unix)]
    wake: Option<std::os::unix::net::UnixStream>,
}

impl Signals {
    /// Register SIGTERM and SIGHUP.
    pub fn register() -> std::io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let stop = Arc::new(AtomicBool::new(false));
        let hung_up = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGHUP] {
            signal_hook::flag::register(signal, Arc::clone(&stop))?;
        }
        signal_hook::flag::register(SIGHUP, Arc::clone(&hung_up))?;
        #[cfg(unix)]
        let wake = {
            // Without the pipe the watchdog still looks every LOOK_EVERY.
            let pair = std::os::unix::net::UnixStream::pair().ok();
            pair.and_then(|(read, write)| {
                for signal in [SIGTERM, SIGHUP] {
                    let write = write.try_clone().ok()?;
                    signal_hook::low_level::pipe::register(signal, write).ok()?;
                }
                read.set_nonblocking(true).ok()?;
                Some(read)
            })
        };
        Ok(Signals {
            stop,
            hung_up,
            #[cfg(unix)]
            wake,
        })
    }
}

impl Watchdog {
    /// Watch `signals` and the terminal of this process.
    pub fn start(root: PathBuf, signals: &Signals) -> Watchdog {
        let draft = Arc::new(Mutex::new(None));
        let done = Arc::new(AtomicBool::new(false));
        let (latest, finished) = (Arc::clone(&draft), Arc::clone(&done));
        let (stop, hung_up) = (Arc::clone(&signals.stop), Arc::clone(&signals.hung_up));
        let terminal = Terminal::open(signals);
        let spawned = std::thread::Builder::new()
            .name("fieldnote-hangup".into())
            .spawn(move || watch(&root, &stop, &hung_up, &terminal, &latest, &finished));
        if let Err(e) = spawned {
            eprintln!("warning: cannot watch for a closed terminal: {e}");
        }
        Watchdog { draft, done }
    }

    /// The draft to write should the process have to end from outside the main loop
    /// (the runtime calls this after every key and every tick).
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
    hung_up: &AtomicBool,
    terminal: &Terminal,
    latest: &Mutex<Option<Draft>>,
    done: &AtomicBool,
) {
    loop {
        let terminal_gone = terminal.wait(LOOK_EVERY);
        if done.load(Ordering::SeqCst) {
            return;
        }
        if !stop.load(Ordering::SeqCst) && !terminal_gone {
            continue;
        }
        // Let the main loop end by itself if it can (it restores the terminal).
        stop.store(true, Ordering::SeqCst);
        let gone = terminal_gone || hung_up.load(Ordering::SeqCst);
        let grace = if gone { HANGUP_GRACE } else { GRACE };
        let asked = Instant::now();
        while asked.elapsed() < grace {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if let Some(d) = latest.lock().ok().and_then(|d| d.clone()) {
            let _ = draft::write(root, &d);
        }
        // The terminal is gone, or the main loop did not end: nothing to restore.
        std::process::exit(129);
    }
}

/// The terminal crossterm reads keys from: standard input when it is a terminal, else
/// `/dev/tty`.
struct Terminal {
    #[cfg(unix)]
    fd: Option<std::os::fd::OwnedFd>,
    /// Readable when a stopping signal came (see `Signals`).
    #[cfg(unix)]
    wake: Option<std::os::unix::net::UnixStream>,
}

impl Terminal {
    fn open(signals: &Signals) -> Terminal {
        #[cfg(unix)]
        {
            use std::os::fd::{AsFd, OwnedFd};
            let stdin = std::io::stdin();
            let fd = if std::io::IsTerminal::is_terminal(&stdin) {
                stdin.as_fd().try_clone_to_owned().ok()
            } else {
                std::fs::File::open("/dev/tty").ok().map(OwnedFd::from)
            };
            let wake = signals.wake.as_ref().and_then(|w| w.try_clone().ok());
            Terminal { fd, wake }
        }
        #[cfg(not(unix))]
        {
            let _ = signals;
            Terminal {}
        }
    }

    /// Wait up to `timeout` for the terminal to hang up (its window closed, its SSH
    /// link dropped) or a stopping signal to come; is the terminal gone?
    fn wait(&self, timeout: Duration) -> bool {
        #[cfg(unix)]
        {
            use std::io::Read;
            use std::os::fd::AsRawFd;
            // A negative descriptor is left out by poll; asking for no event on the
            // terminal still reports its hang-up, but not the keys waiting on it.
            let mut polls = [
                libc::pollfd {
                    fd: self.fd.as_ref().map_or(-1, |f| f.as_raw_fd()),
                    events: 0,
                    revents: 0,
                },
                libc::pollfd {
                    fd: self.wake.as_ref().map_or(-1, |w| w.as_raw_fd()),
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
            // SAFETY: two valid pollfds whose descriptors `self` owns (or -1).
            let ready = unsafe { libc::poll(polls.as_mut_ptr(), 2, millis) };
            if ready > 0 && polls[1].revents != 0 {
                if let Some(mut wake) = self.wake.as_ref() {
                    // Empty the pipe (non-blocking), or the next wait would not wait.
                    let mut buf = [0u8; 64];
                    while matches!(wake.read(&mut buf), Ok(n) if n > 0) {}
                }
            }
            ready > 0 && polls[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
        }
        #[cfg(not(unix))]
        {
            std::thread::sleep(timeout);
            false
        }
    }
}
