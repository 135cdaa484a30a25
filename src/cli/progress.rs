//! A progress bar on stderr for the long commands (import, export, check at 100k), drawn
//! by `indicatif`: only when stderr is a terminal (logs and pipes see nothing of it), at
//! most ten times a second, cleared when done.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    /// For a spinner that shows only after a while: held while it is started or
    /// finished, so that it is never started once finished.
    finished: Option<std::sync::Arc<std::sync::Mutex<bool>>>,
}

#[derive(Clone, Copy)]
pub enum Unit {
    Bytes,
    Items,
}

impl Progress {
    pub fn new(label: &str, total: u64, unit: Unit) -> Progress {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr_with_hz(10)
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        let amount = match unit {
            Unit::Bytes => "{bytes} / {total_bytes}",
            Unit::Items => "{human_pos} / {human_len}",
        };
        let template = format!("{{msg}} {{bar:30}} {{percent:>3}}%  {amount}  {{eta}}");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏░"));
        }
        bar.set_message(label.to_string());
        Progress {
            bar,
            finished: None,
        }
    }

    /// Show `done` out of the total (any thread may call it).
    pub fn set(&self, done: u64) {
        self.bar.set_position(done);
    }

    /// Clear the bar's line.
    pub fn finish(&self) {
        let _held = self.finished.as_ref().map(|f| {
            let mut done = f.lock().unwrap_or_else(|p| p.into_inner());
            *done = true;
            done
        });
        self.bar.finish_and_clear();
    }

    /// Work whose amount is not known beforehand: a spinner with the time it has taken,
    /// turning by itself until `finish`.
    pub fn working(label: &str) -> Progress {
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        Progress {
            bar,
            finished: None,
        }
    }

    /// A spinner (as `working`) that appears only if the work is still going on after
    /// `delay`: what is usually quick shows nothing, what is slow this time (opening a
    /// large journal whose cache is being built) says so.
    pub fn working_after(label: &str, delay: std::time::Duration) -> Progress {
        let bar = ProgressBar::hidden();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(label.to_string());
        let finished = std::sync::Arc::new(std::sync::Mutex::new(false));
        if std::io::stderr().is_terminal() {
            let (later, finished) = (bar.clone(), finished.clone());
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let done = finished.lock().unwrap_or_else(|p| p.into_inner());
                if !*done {
                    later.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
                    later.enable_steady_tick(std::time::Duration::from_millis(100));
                }
            });
        }
        Progress {
            bar,
            finished: Some(finished),
        }
    }

    /// Is nothing drawn (stderr is not a terminal)?
    #[cfg(test)]
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_drawn_only_on_a_terminal() {
        let p = Progress::new("reading", 2_000_000, Unit::Bytes);
        assert_eq!(p.is_hidden(), !std::io::stderr().is_terminal());
        p.set(500_000);
        p.finish();
        let w = Progress::working("exporting");
        assert_eq!(w.is_hidden(), !std::io::stderr().is_terminal());
        w.finish();
        // A delayed one says nothing at first, terminal or not.
        let d = Progress::working_after("opening", std::time::Duration::from_secs(3600));
        assert!(d.is_hidden());
        d.finish();
    }
}
