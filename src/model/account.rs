use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    #[default]
    Tiktok,
    Instagram,
    Youtube,
    X,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 5] = [
        Platform::Tiktok,
        Platform::Instagram,
        Platform::Youtube,
        Platform::X,
        Platform::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Tiktok => "tiktok",
            Platform::Instagram => "instagram",
            Platform::Youtube => "youtube",
            Platform::X => "x",
            Platform::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The profile address of `handle` on this platform, where the platform has one.
    pub fn profile_url(self, handle: &str) -> String {
        match self {
            Platform::Tiktok => format!("https://www.tiktok.com/@{handle}"),
            Platform::Instagram => format!("https://www.instagram.com/{handle}/"),
            Platform::Youtube => format!("https://www.youtube.com/@{handle}"),
            Platform::X => format!("https://x.com/{handle}"),
            Platform::Other => String::new(),
        }
    }
}

/// A follower count as people copy it from a profile: `12400`, `12,400`, `12 400`,
/// `12.4K`, `1.2M` (the platforms round large counts this way).
pub fn parse_count(text: &str) -> Result<u64, String> {
    let shown = super::text::one_line(text);
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}'))
        .collect();
    let (number, scale) = match compact.chars().last().map(|c| c.to_ascii_lowercase()) {
        Some('k') => (&compact[..compact.len() - 1], 1_000.0),
        Some('m') => (&compact[..compact.len() - 1], 1_000_000.0),
        _ => (compact.as_str(), 1.0),
    };
    let wrong = || format!("`{shown}` is not a follower count like 12400, 12,400 or 12.4K");
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(wrong());
    }
    if scale == 1.0 {
        return number.parse::<u64>().map_err(|_| wrong());
    }
    let value: f64 = number.parse().map_err(|_| wrong())?;
    Ok((value * scale).round() as u64)
}

/// The longest handle accepted: Instagram's 30 characters (TikTok allows 24).
pub const MAX_HANDLE_CHARS: usize = 30;

/// Why `handle` cannot name a new account, or `None` when it can. The one rule for every
/// path that creates an account (the CLI, the interface, imports): ASCII letters, digits,
/// `.` and `_`, 1 to `MAX_HANDLE_CHARS` characters, not starting with `.` — what TikTok
/// and Instagram allow. The handle also names the account's file, so nothing else may
/// be in it (no `/`, no escapes, no spaces).
pub fn handle_problem(handle: &str) -> Option<String> {
    let shown = super::text::one_line(handle);
    let count = handle.chars().count();
    if count == 0 {
        return Some("an account handle cannot be empty".into());
    }
    // A 4CAT pseudonym (a hex digest of the handle) is longer than any platform allows,
    // and safe: imported with `--pseudonymised`, it names its account.
    let digest = (32..=128).contains(&count)
        && handle
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if count > MAX_HANDLE_CHARS && !digest {
        return Some(format!(
            "handle `{shown}` is {count} characters; the most is {MAX_HANDLE_CHARS}"
        ));
    }
    if let Some(bad) = handle
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '_'))
    {
        return Some(format!(
            "handle `{shown}` has `{}`: a handle holds only letters, digits, `.` and `_`",
            bad.escape_default()
        ));
    }
    if handle.starts_with('.') {
        return Some(format!("handle `{shown}` cannot start with `.`"));
    }
    None
}

/// A dated follower count; an account keeps a history, newest last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowerPoint {
    #[serde(with = "toml_date")]
    pub date: Date,
    pub count: u64,
}

/// An observed social-media account, one file per handle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Account {
    pub handle: String,
    pub platform: Platform,
    pub display_name: String,
    pub category: String,
    pub url: String,
    pub pseudonym: String,
    pub notes: String,
    pub followers: Vec<FollowerPoint>,
}

impl Account {
    /// The latest follower count and its change from the first count recorded: "change"
    /// means first to last wherever it is shown (the accounts screen, `accounts`, `stats`).
    pub fn latest_followers(&self) -> Option<(u64, Option<i64>)> {
        let (first, last) = (self.followers.first()?, self.followers.last()?);
        let change = (self.followers.len() > 1).then(|| last.count as i64 - first.count as i64);
        Some((last.count, change))
    }

    /// Add a follower count to the history, kept in date order. A count for a date
    /// already recorded replaces it (one count a day: the history is a daily curve);
    /// the count it replaced is returned.
    pub fn record_followers(&mut self, date: Date, count: u64) -> Option<u64> {
        match self.followers.binary_search_by(|p| p.date.cmp(&date)) {
            Ok(at) => Some(std::mem::replace(&mut self.followers[at].count, count)),
            Err(at) => {
                self.followers.insert(at, FollowerPoint { date, count });
                None
            }
        }
    }
}

/// TOML local dates (`2026-03-01`) in and out of `jiff::civil::Date`; JSON gets the same
/// text as a string.
mod toml_date {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(date)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let dt = toml_datetime::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                Date::new(date.year as i16, date.month as i8, date.day as i8)
                    .map_err(D::Error::custom)
            }
            _ => Err(D::Error::custom(format!(
                "expected a date like 2026-03-01, found `{dt}`"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follower_change_is_first_to_last() {
        let point = |count| FollowerPoint {
            date: jiff::civil::date(2026, 3, 1),
            count,
        };
        let mut a = Account::default();
        assert_eq!(a.latest_followers(), None);
        a.followers = vec![point(1000)];
        assert_eq!(a.latest_followers(), Some((1000, None)));
        a.followers = vec![point(1000), point(1500), point(1200)];
        assert_eq!(a.latest_followers(), Some((1200, Some(200))));
    }
}

#[cfg(test)]
mod history_tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn counts_are_read_as_profiles_show_them() {
        for (text, count) in [
            ("12400", 12400),
            ("12,400", 12400),
            (" 12 400 ", 12400),
            ("12.4K", 12400),
            ("1.2m", 1_200_000),
            ("72k", 72000),
        ] {
            assert_eq!(parse_count(text), Ok(count), "{text}");
        }
        for bad in ["", "k", "-5", "12.4", "twelve", "1e3", "12.4.1k"] {
            assert!(parse_count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn recorded_counts_keep_date_order_and_one_count_a_day() {
        let mut a = Account::default();
        assert_eq!(a.record_followers(date(2026, 3, 10), 1200), None);
        assert_eq!(a.record_followers(date(2026, 3, 1), 1000), None);
        assert_eq!(a.record_followers(date(2026, 3, 20), 1500), None);
        assert_eq!(a.record_followers(date(2026, 3, 10), 1250), Some(1200));
        let history: Vec<(Date, u64)> = a.followers.iter().map(|p| (p.date, p.count)).collect();
        assert_eq!(
            history,
            [
                (date(2026, 3, 1), 1000),
                (date(2026, 3, 10), 1250),
                (date(2026, 3, 20), 1500)
            ]
        );
        assert_eq!(a.latest_followers(), Some((1500, Some(500))));
    }
}

#[cfg(test)]
mod handle_tests {
    use super::*;

    #[test]
    fn handles_follow_the_platforms_rules() {
        for good in ["sari.beauty", "Sari.Beauty", "a_b.c9", &"x".repeat(30)] {
            assert_eq!(handle_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "bad handle!",
            "ev\x1b[31mil",
            "nl\nbreak",
            ".hidden",
            "a/b",
            &"x".repeat(31),
        ] {
            let why = handle_problem(bad).expect(bad);
            assert!(!why.contains('\x1b') && !why.contains('\n'), "{why:?}");
        }
    }
}
