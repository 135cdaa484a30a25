//! Getting data out to the tools of the field (`export`: Markdown, CSV, JSON, REFI-QDA;
//! `qdc_import`: codebooks from QDA programs; see docs/export.md), and posts in from the
//! scrapers researchers already use: Zeeschuimer's and 4CAT's NDJSON (`zeeschuimer`),
//! 4CAT's CSV export of TikTok data (`fourcat_csv`), and the merge of those posts into a
//! journal (`import`).
//!
//! Parsing is pure: bytes in, neutral [`Post`]s and [`Skip`]s (with line numbers) out.
//! Files are only read by the caller and only written by `import::apply`, through the
//! store. See `docs/import.md` for what maps to what.

pub mod export;
pub mod import;
mod lenient;
pub mod taguette;

use jiff::Timestamp;

use crate::model::Platform;

/// The counts a post showed when it was captured. `None`: the capture did not carry it
/// (or the platform hides it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub views: Option<u64>,
    pub likes: Option<u64>,
    pub comments: Option<u64>,
    pub shares: Option<u64>,
    pub saves: Option<u64>,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

/// One captured post, whatever file it came from: what the journal needs of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub platform: Platform,
    /// The platform's id of the post: TikTok's numeric id, Instagram's shortcode (the
    /// part of the post URL that never changes, unlike the numeric ids).
    pub post_id: String,
    /// The author's handle, without `@`; checked to be safe as a file name.
    pub handle: String,
    pub display_name: String,
    /// When the post was published (`None`: the capture does not say, and the id gives
    /// no hint either).
    pub created: Option<Timestamp>,
    /// `created` is only the time the post's id holds (no publication time was
    /// captured): an estimate, which a later capture with the real time corrects.
    pub created_estimated: bool,
    /// The time the post's id holds (TikTok: the upload second; Instagram: the media
    /// pk's millisecond), whatever the capture says: how an estimate made earlier is
    /// recognised in the journal.
    pub id_time: Option<Timestamp>,
    /// The caption as captured: any text, including control characters.
    pub caption: String,
    /// Hashtags without `#`, lowercased, in caption order, without repeats.
    pub hashtags: Vec<String>,
    /// A photo (slideshow) post rather than a video, where the platform's URL differs.
    pub photo: bool,
    pub counts: Counts,
    /// The author's follower count at capture time, when the capture carries one.
    pub followers: Option<u64>,
    /// When the data was captured (for Zeeschuimer: `last_updated`, else
    /// `timestamp_collected`); `None` for files that do not say (4CAT's CSV).
    pub captured: Option<Timestamp>,
    /// A partial capture (Instagram grid views): never preferred over a complete one.
    pub partial: bool,
    /// Where it came from: the index of the input file and the 1-based line.
    pub origin: Origin,
}

impl Post {
    /// A post with nothing but its identity; the readers fill in the rest.
    pub fn new(platform: Platform, post_id: String, handle: String) -> Post {
        Post {
            platform,
            post_id,
            handle,
            display_name: String::new(),
            created: None,
            created_estimated: false,
            id_time: None,
            caption: String::new(),
            hashtags: Vec::new(),
            photo: false,
            counts: Counts::default(),
            followers: None,
            captured: None,
            partial: false,
            origin: Origin::default(),
        }
    }

    /// The id an entry keeps to be matched on re-import: `tiktok:7345…`,
    /// `instagram:DVqXy2Y5rRO`.
    pub fn source_id(&self) -> String {
        format!("{}:{}", self.platform.as_str(), self.post_id)
    }

    /// The post itself if it has a publication time (every entry needs one), else why not.
    pub fn dated(self) -> Result<Post, String> {
        match self.created {
            Some(_) => Ok(self),
            None => Err(format!(
                "{} post {} has no publication time",
                self.platform.as_str(),
                self.post_id
            )),
        }
    }

    /// Is the author a pseudonym? 4CAT's pseudonymisation replaces every `author*`
    /// field by a hex digest (blake2b, 48 digits; older versions 32 or 64), which no
    /// TikTok or Instagram handle looks like.
    pub fn author_is_hashed(&self) -> bool {
        is_digest(&self.handle)
    }

    /// The post's address, by the platform's rules.
    pub fn url(&self) -> String {
        match self.platform {
            Platform::Instagram => format!("https://www.instagram.com/p/{}/", self.post_id),
            _ => format!(
                "https://www.tiktok.com/@{}/{}/{}",
                self.handle,
                if self.photo { "photo" } else { "video" },
                self.post_id
            ),
        }
    }
}

/// The position of a record in the input: file index (in the order given) and line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: usize,
    pub line: usize,
}

/// A line (or CSV record) that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub origin: Origin,
    pub reason: SkipReason,
    /// The detail people read: `truncated JSON (EOF while parsing …)`.
    pub message: String,
}

/// Kinds of skipped lines, for the summary's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    Empty,
    BadJson,
    NotAPost,
    OtherPlatform,
    BadPost,
}

impl SkipReason {
    pub fn label(self) -> &'static str {
        match self {
            SkipReason::Empty => "empty line",
            SkipReason::BadJson => "invalid or truncated JSON",
            SkipReason::NotAPost => "not a capture record",
            SkipReason::OtherPlatform => "platform not imported",
            SkipReason::BadPost => "post without a usable id, author or time",
        }
    }
}

/// What reading one input gave: posts and skipped lines, in input order.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub posts: Vec<Post>,
    pub skipped: Vec<Skip>,
    /// Lines (or CSV records) read.
    pub lines: usize,
}

impl Parsed {
    pub fn extend(&mut self, other: Parsed) {
        self.posts.extend(other.posts);
        self.skipped.extend(other.skipped);
        self.lines += other.lines;
    }
}

/// Is `handle` safe to become `accounts/<handle>.toml` and part of a URL? Letters,
/// digits, `.`, `_` and `-` (what TikTok and Instagram allow, plus the hashes of
/// pseudonymised 4CAT data), not starting with `.`, at most 100 bytes.
pub fn is_safe_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 100
        && !handle.starts_with('.')
        && handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A lowercase hex digest of at least 128 bits, as 4CAT writes pseudonyms.
fn is_digest(text: &str) -> bool {
    text.len() >= 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Is `id` a plausible post id for `platform` (digits for TikTok; letters, digits, `_`
/// and `-` for an Instagram shortcode)? Ids end up in URLs, so nothing else passes.
pub fn is_safe_post_id(platform: Platform, id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && match platform {
            Platform::Tiktok => id.bytes().all(|b| b.is_ascii_digit()),
            _ => id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')),
        }
}

/// Hashtags written in `text` (`#word`, letters/digits/`_`, any script), lowercased, in
/// order, without repeats: how Instagram captions (which carry no structured hashtags)
/// are read.
pub fn hashtags_in(text: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['#', '＃']) {
        let after = &rest[at..];
        let hash_len = after.chars().next().map_or(1, char::len_utf8);
        let word: String = after[hash_len..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || is_joiner(*c))
            .collect();
        rest = &after[hash_len + word.len()..];
        add_hashtag(&mut tags, &word);
    }
    tags
}

/// Marks that belong inside a word (accents written as combining marks, ZWJ/ZWNJ).
fn is_joiner(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) || matches!(c, '\u{200c}' | '\u{200d}')
}

/// Add `tag` (with or without `#`) to `tags`, lowercased, unless empty or already there.
pub fn add_hashtag(tags: &mut Vec<String>, tag: &str) {
    let tag = tag.trim().trim_start_matches(['#', '＃']).to_lowercase();
    if !tag.is_empty() && !tags.contains(&tag) {
        tags.push(tag);
    }
}

/// The second a TikTok post id holds in its top 32 bits (ZEESCHUIMER.md §4): when the
/// video was uploaded, which can be seconds (or, for a scheduled post, days) before it
/// was published.
pub fn tiktok_id_time(id: &str) -> Option<Timestamp> {
    id.parse::<u64>()
        .ok()
        .and_then(|n| from_unix_seconds(n >> 32))
}

/// The time an Instagram media pk holds: milliseconds since 2011-08-24 in its top bits
/// (ZEESCHUIMER.md §4); off by up to days from `taken_at` on real posts.
pub fn instagram_pk_time(pk: &str) -> Option<Timestamp> {
    let pk: u64 = pk.parse().ok()?;
    from_unix_seconds((pk >> 23).checked_add(1_314_220_021_721)? / 1000)
}

/// Use the capture's own publication time, else the id's as an estimate.
pub fn date_post(post: &mut Post, captured: Option<Timestamp>, id_time: Option<Timestamp>) {
    post.id_time = id_time;
    post.created = captured.or(id_time);
    post.created_estimated = captured.is_none() && id_time.is_some();
}

/// Unix seconds to a timestamp; `None` for 0 and for values out of range.
pub fn from_unix_seconds(seconds: u64) -> Option<Timestamp> {
    let s = i64::try_from(seconds).ok().filter(|s| *s > 0)?;
    Timestamp::from_second(s).ok()
}

/// Milliseconds since the epoch to a timestamp; `None` for 0 and out-of-range values.
pub fn from_unix_millis(millis: u64) -> Option<Timestamp> {
    let ms = i64::try_from(millis).ok().filter(|ms| *ms > 0)?;
    Timestamp::from_millisecond(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_that_could_escape_are_refused() {
        for good in ["sari.contoh", "glowkit_contoh", "A-b", "9f86d081884c7d65"] {
            assert!(is_safe_handle(good), "{good}");
        }
        for bad in [
            "", ".", "..", "../x", "a/b", "a\\b", ".hidden", "a b", "é", "a\u{0}",
        ] {
            assert!(!is_safe_handle(bad), "{bad:?}");
        }
        assert!(!is_safe_handle(&"a".repeat(101)));
    }

    #[test]
    fn post_ids_are_checked_per_platform() {
        assert!(is_safe_post_id(Platform::Tiktok, "7616337661355569196"));
        assert!(!is_safe_post_id(Platform::Tiktok, "76163x"));
        assert!(is_safe_post_id(Platform::Instagram, "DVqXy2Y5rRO"));
        assert!(is_safe_post_id(Platform::Instagram, "CkQN50gbk-u"));
        assert!(!is_safe_post_id(Platform::Instagram, "../p"));
        assert!(!is_safe_post_id(Platform::Instagram, ""));
    }

    #[test]
    fn hashtags_are_read_from_captions() {
        assert_eq!(
            hashtags_in("Sarapan ☕ #sarapan #Bandung, #kopi_lokal #sarapan #"),
            ["sarapan", "bandung", "kopi_lokal"]
        );
        assert_eq!(hashtags_in("#17agustus🇮🇩#komedi"), ["17agustus", "komedi"]);
        assert_eq!(hashtags_in("＃全角 #café"), ["全角", "café"]);
        assert!(hashtags_in("no tags here").is_empty());
    }

    #[test]
    fn urls_follow_the_platform_rules() {
        let mut post = Post::new(
            Platform::Tiktok,
            "7615598637211420261".into(),
            "ketawa.contoh".into(),
        );
        assert_eq!(
            post.url(),
            "https://www.tiktok.com/@ketawa.contoh/video/7615598637211420261"
        );
        post.photo = true;
        assert_eq!(
            post.url(),
            "https://www.tiktok.com/@ketawa.contoh/photo/7615598637211420261"
        );
        assert_eq!(post.source_id(), "tiktok:7615598637211420261");
        post.platform = Platform::Instagram;
        post.post_id = "DVqXy2Y5rRO".into();
        assert_eq!(post.url(), "https://www.instagram.com/p/DVqXy2Y5rRO/");
        assert_eq!(post.source_id(), "instagram:DVqXy2Y5rRO");
    }

    #[test]
    fn times_from_seconds_and_millis() {
        assert_eq!(
            from_unix_seconds(1773316799).unwrap().to_string(),
            "2026-03-12T11:59:59Z"
        );
        assert_eq!(
            from_unix_millis(1773328811036).unwrap().to_string(),
            "2026-03-12T15:20:11.036Z"
        );
        assert_eq!(from_unix_seconds(0), None);
        assert_eq!(from_unix_seconds(u64::MAX), None);
    }
}
