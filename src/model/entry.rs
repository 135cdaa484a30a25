use serde::{Deserialize, Serialize};

use super::{Moment, Passage};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Observation,
    Content,
    Interview,
    Memo,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Observation,
        Kind::Content,
        Kind::Interview,
        Kind::Memo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Observation => "observation",
            Kind::Content => "content",
            Kind::Interview => "interview",
            Kind::Memo => "memo",
        }
    }

    /// Accepts the full name or any unambiguous prefix (`obs`, `c`, `i`, `m`), and `post`,
    /// the word the timeline shows for content.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return None;
        }
        if "post".starts_with(&s) || s == "posts" {
            return Some(Kind::Content);
        }
        let mut hits = Kind::ALL.into_iter().filter(|k| k.as_str().starts_with(&s));
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    }
}

/// A kind name that is none of the four, with the names that are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind `{0}` (observation, content or post, interview, memo)")]
pub struct UnknownKind(pub String);

impl std::str::FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Kind, UnknownKind> {
        Kind::parse(s).ok_or_else(|| UnknownKind(s.to_string()))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Screenshot {
    /// Relative to the journal root, with `/` separators.
    pub path: String,
    pub sha256: String,
    pub caption: String,
}

/// What a post showed when it was observed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metrics {
    pub views: Option<u64>,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub saves: Option<u64>,
    pub replied_comments: Option<u64>,
    pub metrics_at: Option<Moment>,
}

impl Metrics {
    /// Counts as typed: `views 45210 likes 3.1K comments 210 replied 61` (names in any
    /// order, `:` and `,` between allowed; `replied` is `replied_comments`). The time
    /// they were read is not in the text.
    pub fn parse_typed(text: &str) -> Result<Metrics, String> {
        let mut m = Metrics::default();
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ':' || c == '·' || c == ';')
            .filter(|w| !w.is_empty())
            .collect();
        let mut i = 0;
        while i < words.len() {
            let name = words[i].trim_end_matches(',').to_lowercase();
            let slot = match name.as_str() {
                "views" => &mut m.views,
                "likes" => &mut m.likes,
                "comments" => &mut m.comments,
                "shares" => &mut m.shares,
                "saves" => &mut m.saves,
                "replied" | "replied_comments" => &mut m.replied_comments,
                other => {
                    return Err(format!(
                        "`{}` is not a count: views, likes, comments, shares, saves, replied",
                        super::text::one_line(other)
                    ));
                }
            };
            let value = words
                .get(i + 1)
                .ok_or_else(|| format!("a number after `{name}`"))?;
            *slot = Some(super::account::parse_count(value.trim_end_matches(','))?);
            i += 2;
        }
        Ok(m)
    }

    /// The counts with their field names, in file order.
    pub fn counts(&self) -> [(&'static str, Option<u64>); 6] {
        [
            ("views", self.views),
            ("likes", self.likes),
            ("comments", self.comments),
            ("shares", self.shares),
            ("saves", self.saves),
            ("replied_comments", self.replied_comments),
        ]
    }

    /// The counts that are set, each after its short name (`views 45210`, ...,
    /// `replied 61`), numbers written by `number`.
    pub fn describe(&self, number: impl Fn(u64) -> String) -> Vec<String> {
        self.counts()
            .iter()
            .filter_map(|(name, v)| {
                let name = name.strip_suffix("_comments").unwrap_or(name);
                v.map(|v| format!("{name} {}", number(v)))
            })
            .collect()
    }
}

/// One observation, post, interview excerpt or memo: one file under `entries/`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub observed_at: Moment,
    #[serde(default)]
    pub recorded_at: Option<Moment>,
    /// When what was observed ended: a live session's end (see `live`).
    #[serde(default)]
    pub ended_at: Option<Moment>,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub accounts: Vec<String>,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub source_id: String,
    #[serde(default)]
    pub informant: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub screenshots: Vec<Screenshot>,
    #[serde(default)]
    /// Boxed: most entries have none, and every entry is moved about whole when a
    /// journal loads (a quarter less to move, and to hold, per entry).
    pub metrics: Option<Box<Metrics>>,
    /// Codes on spans of the body (see `Passage`).
    #[serde(default)]
    pub passages: Vec<Passage>,
}

impl Entry {
    /// A new entry with nothing but its id and times.
    pub fn new(id: String, observed_at: Moment, recorded_at: Moment) -> Entry {
        Entry {
            id,
            observed_at,
            recorded_at: Some(recorded_at),
            ended_at: None,
            kind: Kind::default(),
            accounts: Vec::new(),
            codes: Vec::new(),
            title: String::new(),
            url: String::new(),
            source_id: String::new(),
            informant: String::new(),
            body: String::new(),
            screenshots: Vec::new(),
            metrics: None,
            passages: Vec::new(),
        }
    }

    /// The title, or else the first non-empty line of the body: what a list shows.
    pub fn headline(&self) -> &str {
        if !self.title.trim().is_empty() {
            return self.title.trim();
        }
        self.body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }

    /// `@cindymakeup,@nadiastory`, or `none` when the entry names no account.
    pub fn accounts_label(&self, none: &str) -> String {
        if self.accounts.is_empty() {
            return none.to_string();
        }
        let handles: Vec<String> = self.accounts.iter().map(|a| format!("@{a}")).collect();
        handles.join(",")
    }

    /// Is `code` one of the entry's own codes (those on the whole entry)?
    pub fn has_code(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c == code)
    }

    /// Does the entry carry `code`: on the whole entry or on any of its passages? What
    /// every count, filter and matrix means by "an entry with code C" (docs/export.md).
    pub fn carries(&self, code: &str) -> bool {
        self.has_code(code) || self.passages.iter().any(|p| p.has_code(code))
    }

    /// Every code the entry carries, as often as its codes and passages name it: for
    /// counts that drop repeats themselves, with nothing allocated.
    pub fn carried_codes_with_repeats(&self) -> impl Iterator<Item = &str> {
        let passage_codes = self.passages.iter().flat_map(|p| &p.codes);
        self.codes.iter().chain(passage_codes).map(String::as_str)
    }

    /// Every code the entry carries, each once: its own codes in order, then those only
    /// its passages carry, in passage order.
    pub fn carried_codes(&self) -> Vec<&str> {
        let passage_codes = self.passages.iter().flat_map(|p| &p.codes);
        let mut out: Vec<&str> = Vec::with_capacity(self.codes.len());
        // The common case (a few codes, no passages): no set to build for every entry
        // of a 100,000-entry count.
        if self.passages.is_empty() && self.codes.len() <= 16 {
            for c in &self.codes {
                if !out.contains(&c.as_str()) {
                    out.push(c.as_str());
                }
            }
            return out;
        }
        // A set, not `out.contains`: an entry may carry 100,000 codes (quadratic).
        let mut seen = std::collections::HashSet::with_capacity(self.codes.len());
        for c in self.codes.iter().chain(passage_codes) {
            if seen.insert(c.as_str()) {
                out.push(c.as_str());
            }
        }
        out
    }

    /// Code `span` (byte offsets of the body) with `codes`: added to the passage already
    /// on exactly that span, else a new passage, placed in body order. Returns its index.
    pub fn code_span(&mut self, span: std::ops::Range<usize>, codes: &[String]) -> usize {
        let anchors: Vec<_> = self.passages.iter().map(|p| p.anchor(&self.body)).collect();
        if let Some(i) = anchors.iter().position(|a| a.as_ref() == Some(&span)) {
            let p = &mut self.passages[i];
            for c in codes {
                if !p.has_code(c) {
                    p.codes.push(c.clone());
                }
            }
            return i;
        }
        let at = anchors
            .iter()
            .position(|a| a.as_ref().is_some_and(|a| a.start > span.start))
            .unwrap_or(self.passages.len());
        let passage = Passage::over(&self.body, span, codes.to_vec());
        self.passages.insert(at, passage);
        at
    }

    /// Where each passage stands in the body (`None` for an orphan), in passage order.
    pub fn passage_spans(&self) -> Vec<Option<std::ops::Range<usize>>> {
        self.passages.iter().map(|p| p.anchor(&self.body)).collect()
    }

    /// The passage under byte `at` of the body, the innermost (shortest) when passages
    /// overlap.
    pub fn passage_at(&self, at: usize) -> Option<usize> {
        self.passage_spans()
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| s.filter(|s| s.contains(&at)).map(|s| (s.len(), i)))
            .min()
            .map(|(_, i)| i)
    }

    /// How many of the entry's passages carry `code`.
    pub fn passages_with(&self, code: &str) -> usize {
        self.passages.iter().filter(|p| p.has_code(code)).count()
    }

    /// Add the code if missing, remove it if present; returns whether it is now set.
    pub fn toggle_code(&mut self, code: &str) -> bool {
        if let Some(i) = self.codes.iter().position(|c| c == code) {
            self.codes.remove(i);
            false
        } else {
            self.codes.push(code.to_string());
            true
        }
    }

    /// The folder an entry with this observed time lives in: `entries/YYYY/MM`.
    pub fn folder(&self) -> String {
        let c = self.observed_at.civil();
        format!("entries/{:04}/{:02}", c.year(), c.month())
    }

    /// `entries/YYYY/MM/<id>.toml`, the path FORMAT.md gives a new entry.
    pub fn default_path(&self) -> String {
        format!("{}/{}.toml", self.folder(), self.id)
    }
}

/// The id an entry observed at `at` gets: `YYYYMMDD-HHMMSS-` and four hex digits from
/// `salt`, the caller's source of randomness (the store retries on collision).
pub fn entry_id(at: &Moment, salt: u16) -> String {
    let c = at.civil();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}-{:04x}",
        c.year(),
        c.month(),
        c.day(),
        c.hour(),
        c.minute(),
        c.second(),
        salt
    )
}

/// Does `id` have the shape `YYYYMMDD-HHMMSS-xxxx`?
pub fn is_entry_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 20
        && b[8] == b'-'
        && b[15] == b'-'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
        && b[16..]
            .iter()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// `entries/YYYY/MM/<id>.toml` for an id of the usual form (`is_entry_id`), from the
/// date the id begins with: where the entry was first saved (its `default_path` then),
/// wherever its observed time was moved since. `None` for another form of id.
pub fn path_of_id(id: &str) -> Option<String> {
    is_entry_id(id).then(|| format!("entries/{}/{}/{id}.toml", &id[..4], &id[4..6]))
}

/// Is `rel` the `path_of_id` of `id`? Asked of every entry a journal loads, so
/// without making the path.
pub fn is_path_of_id(id: &str, rel: &str) -> bool {
    is_entry_id(id)
        && rel
            .strip_suffix(".toml")
            .and_then(|stem| stem.strip_suffix(id))
            .and_then(|folder| folder.strip_prefix("entries/"))
            .is_some_and(|date| {
                // `YYYY/MM/`, the id's year and month.
                let (d, id) = (date.as_bytes(), id.as_bytes());
                d.len() == 8
                    && d[..4] == id[..4]
                    && d[4] == b'/'
                    && d[5..7] == id[4..6]
                    && d[7] == b'/'
            })
}

#[cfg(test)]
mod carried_tests {
    use super::*;

    #[test]
    fn carried_codes_are_each_once_own_first() {
        let mut e = Entry::new(
            "x".into(),
            Moment::from_toml(&"2026-03-14T21:05:00+07:00".parse().unwrap()).unwrap(),
            Moment::from_toml(&"2026-03-14T21:05:00+07:00".parse().unwrap()).unwrap(),
        );
        e.codes = vec!["live".into(), "humour".into(), "live".into()];
        assert_eq!(e.carried_codes(), ["live", "humour"]);
        e.body = "one two three".into();
        e.code_span(4..7, &["emotive".to_string(), "humour".to_string()]);
        assert_eq!(e.carried_codes(), ["live", "humour", "emotive"]);
        e.codes = (0..40).map(|i| format!("c{}", i % 20)).collect();
        assert_eq!(
            e.carried_codes().len(),
            22,
            "20 own codes, then emotive and humour"
        );
    }
}

#[cfg(test)]
mod metrics_tests {
    use super::*;

    #[test]
    fn counts_are_read_as_typed() {
        let m = Metrics::parse_typed("views 45210 likes: 3.1K, comments 210 replied 61").unwrap();
        assert_eq!(m.views, Some(45210));
        assert_eq!(m.likes, Some(3100));
        assert_eq!(m.comments, Some(210));
        assert_eq!(m.replied_comments, Some(61));
        assert_eq!(m.shares, None);
        assert_eq!(Metrics::parse_typed("").unwrap(), Metrics::default());
        assert!(
            Metrics::parse_typed("views")
                .unwrap_err()
                .contains("number")
        );
        assert!(
            Metrics::parse_typed("hearts 3")
                .unwrap_err()
                .contains("not a count")
        );
        // What the editor shows reads back as the same counts.
        let shown = m.describe(|n| n.to_string()).join(" ");
        assert_eq!(Metrics::parse_typed(&shown).unwrap(), m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_format() {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let id = entry_id(&at, 0x7f3a);
        assert_eq!(id, "20260314-210512-7f3a");
        assert!(is_entry_id(&id));
        assert!(!is_entry_id("20260314-210512-7F3A"));
        assert!(!is_entry_id("2026031-210512-7f3a"));
        let mut e = Entry::new(id, at, at);
        assert_eq!(
            e.default_path(),
            "entries/2026/03/20260314-210512-7f3a.toml"
        );
        assert_eq!(path_of_id(&e.id), Some(e.default_path()));
        assert!(is_path_of_id(&e.id, &e.default_path()));
        assert_eq!(path_of_id("memo-1"), None);
        assert!(!is_path_of_id("memo-1", "entries/memo-1.toml"));
        for elsewhere in [
            "entries/2026/04/20260314-210512-7f3a.toml",
            "entries/2025/03/20260314-210512-7f3a.toml",
            "entries/2026/3/20260314-210512-7f3a.toml",
            "entries/2026/03/x20260314-210512-7f3a.toml",
            "entries/2026/03/20260314-210512-7f3a.toml.bak",
            "entries/2026/03/extra/20260314-210512-7f3a.toml",
            "other/2026/03/20260314-210512-7f3a.toml",
            "entries/+026/03/20260314-210512-7f3a.toml",
        ] {
            assert!(!is_path_of_id(&e.id, elsewhere), "{elsewhere}");
        }
        assert!(e.toggle_code("live"));
        assert!(e.has_code("live"));
        assert!(!e.toggle_code("live"));
        assert!(e.codes.is_empty());
    }

    #[test]
    fn an_entry_carries_its_own_codes_and_its_passages_codes() {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new("x".into(), at, at);
        e.body = "one two three".into();
        e.codes = vec!["live".into(), "live".into()];
        e.passages = vec![
            Passage::over(&e.body, 0..3, vec!["humour".into(), "live".into()]),
            Passage::over(&e.body, 4..7, vec!["humour".into(), "duet".into()]),
        ];
        assert!(e.carries("live") && e.carries("humour") && e.carries("duet"));
        assert!(!e.has_code("humour"));
        assert!(!e.carries("promotion"));
        assert_eq!(e.carried_codes(), ["live", "humour", "duet"]);
        assert_eq!(e.passages_with("humour"), 2);
    }

    #[test]
    fn metrics_describe_the_counts_that_are_set() {
        let m = Metrics {
            views: Some(45210),
            replied_comments: Some(61),
            ..Metrics::default()
        };
        assert_eq!(m.describe(|n| n.to_string()), ["views 45210", "replied 61"]);
        assert_eq!(m.counts()[5], ("replied_comments", Some(61)));
    }

    #[test]
    fn kinds_parse_from_prefixes() {
        assert_eq!(Kind::parse("obs"), Some(Kind::Observation));
        assert_eq!(Kind::parse("Content"), Some(Kind::Content));
        assert_eq!(Kind::parse("m"), Some(Kind::Memo));
        assert_eq!(Kind::parse("x"), None);
        assert_eq!(Kind::parse("post"), Some(Kind::Content));
        assert_eq!(Kind::parse("p"), Some(Kind::Content));
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn headline_falls_back_to_body() {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new("x".into(), at, at);
        e.body = "\n  first line\nsecond".into();
        assert_eq!(e.headline(), "first line");
        e.title = "Title".into();
        assert_eq!(e.headline(), "Title");
    }
}
