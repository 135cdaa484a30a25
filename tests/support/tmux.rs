//! Driving the real binary in a real terminal: a detached tmux session per test.
//! Tests skip (loudly) where tmux is not installed; `.ci/run` installs it.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub session: String,
}

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

impl Tmux {
    pub fn start(command: &str, width: u16, height: u16) -> Tmux {
        let n = SESSIONS.fetch_add(1, Ordering::Relaxed);
        let session = format!("fieldnote-test-{}-{n}", std::process::id());
        // Two tests starting the first session at once race to start the tmux server:
        // the loser is told "server exited unexpectedly". A second try finds the server
        // the winner started, so try a few times before calling it a failure.
        let mut attempts = 0;
        loop {
            let out = Command::new("tmux")
                .args([
                    "new-session",
                    "-d",
                    "-s",
                    &session,
                    "-x",
                    &width.to_string(),
                    "-y",
                    &height.to_string(),
                    command,
                ])
                .env_remove("TMUX")
                .output()
                .unwrap();
            if out.status.success() {
                break;
            }
            attempts += 1;
            assert!(
                attempts < 5,
                "tmux new-session failed {attempts} times: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            sleep(Duration::from_millis(200 * attempts));
        }
        Tmux { session }
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.session, k]);
            // Let the program take each key in turn, as a person would type.
            sleep(Duration::from_millis(60));
        }
    }

    /// Type `text` as it is (in pieces: tmux refuses very long commands).
    pub fn literal(&self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(1000) {
            let piece: String = piece.iter().collect();
            self.tmux(&["send-keys", "-t", &self.session, "-l", &piece]);
        }
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A format variable of the pane (`pane_title`, `pane_pid`, `alternate_on`, ...).
    pub fn pane(&self, variable: &str) -> String {
        let out = Command::new("tmux")
            .args([
                "display-message",
                "-p",
                "-t",
                &self.session,
                &format!("#{{{variable}}}"),
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Wait until the screen shows `text` (the program runs at its own pace).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "never saw {text:?} on:\n{screen}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    pub fn is_running(&self) -> bool {
        Command::new("tmux")
            .args(["has-session", "-t", &self.session])
            .status()
            .is_ok_and(|s| s.success())
    }

    fn tmux(&self, args: &[&str]) {
        let status = Command::new("tmux").args(args).status().unwrap();
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(40).collect()).collect();
        assert!(status.success(), "tmux {shown:?}");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // The session may have ended with the program: nothing to say then.
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .output();
    }
}

pub fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}
