//! A live session: the moments noted while watching one account's live, each stamped
//! with the clock and the time since the live began.
//!
//! A session is saved as one entry: kind observation, coded `live`, observed at the
//! live's start, with `ended_at`. Each moment is a line of its body,
//! `[21:17:30 +12:30] greets viewers by name`, readable and editable by hand; a moment
//! with codes (typed inline as `#humour`) is also a coded passage over its words, so it
//! counts, is quoted in the matrix and exports as its own coded selection.

use std::ops::Range;

use jiff::{SignedDuration, Timestamp};

use super::{Entry, Kind, Moment};

/// The code a session carries, and what "lives per week" counts.
pub const LIVE_CODE: &str = "live";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveMoment {
    pub at: Moment,
    /// The words noted, without the `#code` words.
    pub text: String,
    /// Code ids.
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub account: String,
    pub title: String,
    /// When the live began: when the session started, or earlier for one joined late.
    pub began: Moment,
    pub moments: Vec<LiveMoment>,
}

/// A noted line split into its words and the `#code` words in it (without `#`).
pub fn split_codes(line: &str) -> (String, Vec<String>) {
    let mut words = Vec::new();
    let mut codes = Vec::new();
    for word in line.split_whitespace() {
        match word.strip_prefix('#') {
            Some(code) if !code.is_empty() => codes.push(code.to_string()),
            _ => words.push(word),
        }
    }
    (words.join(" "), codes)
}

impl LiveSession {
    pub fn new(account: &str, title: &str, began: Moment) -> LiveSession {
        LiveSession {
            account: account.to_string(),
            title: title.to_string(),
            began,
            moments: Vec::new(),
        }
    }

    /// Note a moment at `at`; `codes` are code ids already resolved.
    pub fn note(&mut self, at: Moment, text: String, codes: Vec<String>) {
        self.moments.push(LiveMoment { at, text, codes });
    }

    /// Time since the live began, as `+12:30` (`+1:02:05` past an hour).
    pub fn since_start(&self, at: Moment) -> String {
        elapsed(self.began.timestamp, at.timestamp)
    }

    /// The start of a moment's line, `[21:17:30 +12:30] ` (`moment_words` reads it back).
    pub fn stamp(&self, at: Moment) -> String {
        format!(
            "[{} {}] ",
            at.civil().strftime("%H:%M:%S"),
            self.since_start(at)
        )
    }

    /// The moments in the order they happened (one transcribed later goes to its place).
    pub fn in_order(&self) -> Vec<&LiveMoment> {
        let mut moments: Vec<&LiveMoment> = self.moments.iter().collect();
        moments.sort_by_key(|m| m.at);
        moments
    }

    /// When the session ends if it is ended `now`: now, or its latest moment if that is
    /// later (a moment stamped by hand).
    pub fn ended_by(&self, now: Moment) -> Moment {
        self.moments.iter().map(|m| m.at).fold(now, Moment::max)
    }

    /// The moment's line in the entry's body, and where its words stand in that line.
    fn line(&self, m: &LiveMoment) -> (String, Range<usize>) {
        let stamp = self.stamp(m.at);
        let words = stamp.len()..stamp.len() + m.text.len();
        (format!("{stamp}{}", m.text), words)
    }

    /// The session as the entry it is saved as, with id `id`, ended at `ended`.
    pub fn to_entry(&self, id: String, ended: Moment, recorded: Moment) -> Entry {
        let mut entry = Entry::new(id, self.began, recorded);
        entry.kind = Kind::Observation;
        entry.codes = vec![LIVE_CODE.to_string()];
        entry.accounts = vec![self.account.clone()];
        entry.title = if self.title.trim().is_empty() {
            format!("Live: @{}", self.account)
        } else {
            self.title.trim().to_string()
        };
        entry.ended_at = Some(ended);
        let mut body = String::new();
        let mut spans = Vec::new();
        for m in self.in_order() {
            let (line, words) = self.line(m);
            if !m.codes.is_empty() && !words.is_empty() {
                spans.push((
                    body.len() + words.start..body.len() + words.end,
                    m.codes.clone(),
                ));
            }
            body.push_str(&line);
            body.push('\n');
        }
        entry.body = body;
        for (span, codes) in spans {
            entry.code_span(span, &codes);
        }
        entry
    }
}

/// `+12:30`, or `+1:02:05` past an hour; a moment before the start shows `+0:00`.
pub fn elapsed(from: Timestamp, to: Timestamp) -> String {
    let secs = to.duration_since(from).as_secs().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("+{h}:{m:02}:{s:02}")
    } else {
        format!("+{m}:{s:02}")
    }
}

/// A duration in words: `40 min`, `1 h 05 min`, `45 s`.
pub fn duration_words(from: Timestamp, to: Timestamp) -> String {
    let secs = to.duration_since(from).as_secs().max(0);
    match (secs / 3600, secs / 60 % 60) {
        (0, 0) => format!("{secs} s"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// A body line that is a moment: `[HH:MM:SS +M:SS] words`; returns the words.
pub fn moment_words(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let (stamp, words) = rest.split_once("] ")?;
    let (clock, since) = stamp.split_once(' ')?;
    let clock_ok = clock.len() == 8 && clock.bytes().filter(|b| *b == b':').count() == 2;
    (clock_ok && since.starts_with('+')).then_some(words)
}

/// What a finished session says about itself: moments, duration, peak viewers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionFacts {
    pub moments: usize,
    pub duration: Option<SignedDuration>,
    /// The largest viewer count noted (`viewers 320`, `320 viewers`, `~300 viewers`).
    pub peak_viewers: Option<u64>,
}

/// The facts of a live-session entry (one with moment lines); `None` for other entries.
pub fn session_facts(entry: &Entry) -> Option<SessionFacts> {
    let words: Vec<&str> = entry.body.lines().filter_map(moment_words).collect();
    if words.is_empty() && entry.ended_at.is_none() {
        return None;
    }
    Some(SessionFacts {
        moments: words.len(),
        duration: entry
            .ended_at
            .map(|end| end.timestamp.duration_since(entry.observed_at.timestamp)),
        peak_viewers: words.iter().filter_map(|w| viewers(w)).max(),
    })
}

/// A viewer count in noted words: the number next to `viewers` (or `penonton`).
fn viewers(words: &str) -> Option<u64> {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    let number = |t: &str| {
        t.trim_matches(|c: char| !c.is_ascii_digit())
            .replace([',', '.'], "")
            .parse::<u64>()
            .ok()
    };
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let t = t.to_lowercase();
            t.starts_with("viewer") || t.starts_with("penonton")
        })
        .filter_map(|(i, _)| {
            let after = tokens.get(i + 1).and_then(|t| number(t));
            let before = i.checked_sub(1).and_then(|j| number(tokens[j]));
            before.or(after)
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Moment {
        Moment::from_toml(&s.parse().unwrap()).unwrap()
    }

    #[test]
    fn a_session_is_one_entry_with_a_line_and_a_passage_per_moment() {
        let mut s = LiveSession::new("dianakocak", "", at("2026-12-03T20:00:00+07:00"));
        let (text, codes) = split_codes("greets viewers by name #participation");
        assert_eq!(text, "greets viewers by name");
        s.note(at("2026-12-03T20:12:30+07:00"), text, codes);
        s.note(
            at("2026-12-03T20:15:00+07:00"),
            "viewers 320".into(),
            vec![],
        );
        s.note(
            at("2026-12-03T21:02:05+07:00"),
            "roasts a viewer".into(),
            vec!["humour".into()],
        );
        let e = s.to_entry(
            "20261203-200000-abcd".into(),
            at("2026-12-03T21:10:00+07:00"),
            at("2026-12-03T21:10:01+07:00"),
        );
        assert_eq!(e.title, "Live: @dianakocak");
        assert_eq!(e.codes, ["live"]);
        assert_eq!(
            e.body,
            "[20:12:30 +12:30] greets viewers by name\n[20:15:00 +15:00] viewers 320\n[21:02:05 +1:02:05] roasts a viewer\n"
        );
        let quotes: Vec<(&str, &[String])> = e
            .passages
            .iter()
            .map(|p| (p.quote.as_str(), p.codes.as_slice()))
            .collect();
        assert_eq!(
            quotes,
            [
                ("greets viewers by name", &["participation".to_string()][..]),
                ("roasts a viewer", &["humour".to_string()][..])
            ]
        );
        let facts = session_facts(&e).unwrap();
        assert_eq!(facts.moments, 3);
        assert_eq!(facts.duration, Some(SignedDuration::from_mins(70)));
        assert_eq!(facts.peak_viewers, Some(320));
    }

    #[test]
    fn viewer_counts_are_read_either_side() {
        assert_eq!(viewers("~300 viewers now"), Some(300));
        assert_eq!(viewers("viewers: 1,250"), Some(1250));
        assert_eq!(viewers("500 penonton"), Some(500));
        assert_eq!(viewers("greets the viewers"), None);
        assert_eq!(
            elapsed(Timestamp::UNIX_EPOCH, Timestamp::from_second(59).unwrap()),
            "+0:59"
        );
    }
}
