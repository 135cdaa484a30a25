//! A one-line progress bar on stderr, drawn only when stderr is a terminal (so logs and
//! pipes see nothing of it), at most ten times a second.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Progress {
    label: String,
    total: u64,
    unit: Unit,
    /// `None` when not drawing; else when the bar was last drawn.
    last: Option<Mutex<Option<Instant>>>,
}

#[derive(Clone, Copy)]
pub enum Unit {
    Bytes,
    Items,
}

impl Progress {
    pub fn new(label: &str, total: u64, unit: Unit) -> Progress {
        Progress {
            label: label.to_string(),
            total,
            unit,
            last: std::io::stderr().is_terminal().then(|| Mutex::new(None)),
        }
    }

    /// Show `done` out of the total (throttled; any thread may call it).
    pub fn set(&self, done: u64) {
        let Some(last) = &self.last else { return };
        let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let finished = done >= self.total;
        if last.is_some_and(|t| now - t < Duration::from_millis(100)) && !finished {
            return;
        }
        *last = Some(now);
        let line = self.line(done);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }

    /// Clear the bar's line.
    pub fn finish(&self) {
        if self.last.is_some() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }

    fn line(&self, done: u64) -> String {
        const WIDTH: u64 = 30;
        // Nothing to do is all done.
        let (done, total) = match self.total {
            0 => (1, 1),
            total => (done.min(total), total),
        };
        let filled = (done * WIDTH / total) as usize;
        let bar = format!(
            "{}{}",
            "█".repeat(filled),
            "░".repeat(WIDTH as usize - filled)
        );
        let amount = match self.unit {
            Unit::Bytes => format!("{} / {}", megabytes(done), megabytes(self.total)),
            Unit::Items => format!("{done} / {}", self.total),
        };
        format!("{} {bar} {:>3}%  {amount}", self.label, done * 100 / total)
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_share_and_amount() {
        let p = Progress::new("reading", 2_000_000, Unit::Bytes);
        let line = p.line(500_000);
        assert!(line.starts_with("reading ███████░"), "{line}");
        assert!(line.contains(" 25%  0.5 MB / 2.0 MB"), "{line}");
        let p = Progress::new("writing", 0, Unit::Items);
        assert!(p.line(0).contains("100%"));
    }
}
