//! Large synthetic journals, realistic enough to measure with: bodies of 40–200 words
//! mixing English field-note prose, Indonesian comment quotes and emoji; 1–5 codes; 1–2
//! of 50 accounts; some screenshots, metrics and comments. Deterministic for a given
//! size, so benchmark runs compare like with like.

use std::fs;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::Offset;
use rayon::prelude::*;

use crate::model::{
    Account, Comment, Entry, FollowerPoint, Kind, Metrics, Moment, Platform, Screenshot, Settings,
    entry_id,
};
use crate::store::check::sha256_hex;
use crate::store::{render_account, render_comment, render_entry, render_settings};

const NAMES: [&str; 25] = [
    "nadia", "cindy", "diana", "ayu", "putri", "rina", "sari", "dewi", "intan", "maya", "fajar",
    "rizky", "bima", "dimas", "eka", "gita", "hana", "indah", "joko", "kiki", "lala", "mega",
    "nina", "oki", "tari",
];
const SUFFIXES: [&str; 2] = ["story", "vlog"];
const CATEGORIES: [&str; 5] = [
    "lifestyle & daily vlog",
    "beauty & skincare",
    "humour & relatable content",
    "food & kuliner",
    "fashion & OOTD",
];
const WORDS: &[&str] = &[
    "she",
    "reads",
    "comments",
    "aloud",
    "and",
    "answers",
    "viewers",
    "by",
    "name",
    "the",
    "live",
    "started",
    "around",
    "with",
    "a",
    "greeting",
    "then",
    "moved",
    "to",
    "her",
    "morning",
    "routine",
    "audience",
    "asked",
    "about",
    "price",
    "product",
    "no",
    "brand",
    "named",
    "duet",
    "chain",
    "stitch",
    "replies",
    "trend",
    "sound",
    "laughing",
    "kitchen",
    "bedroom",
    "mirror",
    "soft",
    "light",
    "camera",
    "close",
    "shaky",
    "caption",
    "hashtag",
    "followers",
    "loyal",
    "regulars",
    "greeted",
    "first",
    "gift",
    "rose",
    "pinned",
    "question",
    "answered",
    "later",
    "story",
    "tired",
    "honest",
    "day",
    "work",
    "campus",
    "motor",
    "rain",
    "jakarta",
    "bandung",
    "kak",
    "banget",
    "kulitku",
    "kering",
    "wkwkwk",
    "relate",
    "sumpah",
    "aku",
    "juga",
    "gitu",
    "dong",
    "nih",
    "semangat",
    "makasih",
    "cantik",
    "lucu",
    "capek",
    "curhat",
    "jujur",
    "beneran",
    "keaslian",
    "partisipasi",
    "hubungan",
    "sosial",
    "🥺",
    "😂",
    "✨",
    "🙏",
    "❤️",
    "🔥",
];
const TITLES: &[&str] = &[
    "Live: Q&A with regulars",
    "GRWM before campus",
    "Comment thread on price",
    "Duet chain with a follower",
    "Curhat video about a tiring week",
    "Stitch reply to a critic",
    "Interview excerpt: why I follow her",
    "Memo: authenticity as performance",
    "Promotion without naming the brand",
    "Trend sound, kitchen version",
];
const KINDS: [Kind; 10] = [
    Kind::Content,
    Kind::Content,
    Kind::Content,
    Kind::Content,
    Kind::Content,
    Kind::Observation,
    Kind::Observation,
    Kind::Observation,
    Kind::Interview,
    Kind::Memo,
];

/// A small, fast, deterministic random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Write a journal of `entries` generated entries into `dir` (which must be empty or
/// missing). Returns the number of files written.
pub fn generate(dir: &Path, entries: usize) -> std::io::Result<usize> {
    fs::create_dir_all(dir)?;
    let settings = Settings {
        title: format!("Generated journal ({entries} entries, synthetic data)"),
        researchers: vec!["Generated Researcher".into()],
        timezone: "Asia/Jakarta".into(),
        ..Settings::default()
    };
    fs::write(dir.join("journal.toml"), render_settings(&settings))?;
    fs::write(
        dir.join(crate::store::paths::CODEBOOK),
        super::STARTER_CODEBOOK,
    )?;
    fs::write(dir.join(".gitignore"), super::GITIGNORE)?;
    let codes = starter_code_ids();

    let accounts = accounts();
    for a in &accounts {
        crate::store::write_atomic(
            &dir.join(crate::store::paths::of_account(a)),
            render_account(a).as_bytes(),
        )?;
    }
    let media: Vec<(String, String)> = super::sample_media()
        .map(|(rel, bytes)| {
            let target = dir.join(rel);
            fs::create_dir_all(target.parent().expect("media has a folder"))?;
            fs::write(target, bytes)?;
            Ok((rel.to_string(), sha256_hex(bytes)))
        })
        .collect::<std::io::Result<_>>()?;

    let handles: Vec<&str> = accounts.iter().map(|a| a.handle.as_str()).collect();
    let written: std::io::Result<Vec<usize>> = (0..entries)
        .into_par_iter()
        .map(|i| {
            let (entry, comment) = make_entry(i, entries, &handles, &codes, &media);
            let path = dir.join(entry.default_path());
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, render_entry(&entry))?;
            if let Some(c) = comment {
                let cpath = dir.join(format!("comments/{}/{}.toml", c.entry, c.id));
                fs::create_dir_all(cpath.parent().expect("comments have a folder"))?;
                fs::write(cpath, render_comment(&c))?;
                return Ok(2);
            }
            Ok(1)
        })
        .collect();
    Ok(written?.iter().sum::<usize>() + accounts.len() + media.len() + 3)
}

fn starter_code_ids() -> Vec<String> {
    let book: crate::model::Codebook =
        toml::from_str(super::STARTER_CODEBOOK).expect("the starter codebook is valid");
    book.codes.into_iter().map(|c| c.id).collect()
}

fn accounts() -> Vec<Account> {
    let mut rng = Rng(7);
    let start = jiff::civil::date(2024, 1, 1);
    (0..50)
        .map(|i| {
            let handle = format!("{}{}{}", NAMES[i % 25], SUFFIXES[i / 25], i);
            let base = 5_000 + rng.below(120_000) as u64;
            Account {
                url: format!("https://www.tiktok.com/@{handle}"),
                display_name: NAMES[i % 25].to_string(),
                category: CATEGORIES[i % CATEGORIES.len()].to_string(),
                pseudonym: format!("Influencer {}", i + 1),
                platform: Platform::Tiktok,
                notes: String::new(),
                followers: (0..6)
                    .map(|m| FollowerPoint {
                        date: start.saturating_add(jiff::Span::new().months(m * 4)),
                        count: base + (m as u64) * rng.below(4_000) as u64,
                    })
                    .collect(),
                handle,
            }
        })
        .collect()
}

fn make_entry(
    i: usize,
    total: usize,
    handles: &[&str],
    codes: &[String],
    media: &[(String, String)],
) -> (Entry, Option<Comment>) {
    let mut rng = Rng(i as u64 * 0x1000_0001 + 17);
    // Spread over two years, in Jakarta time.
    let span_secs: i64 = 2 * 365 * 24 * 3600;
    let start: i64 = 1_704_042_000; // 2024-01-01T00:00:00+07:00
    let offset = Offset::constant(7);
    let secs =
        start + (span_secs as f64 * i as f64 / total.max(1) as f64) as i64 + rng.below(3600) as i64;
    let observed = Moment::new(Timestamp::from_second(secs).expect("in range"), offset);
    let recorded = Moment::new(
        Timestamp::from_second(secs + 600 + rng.below(40_000) as i64).expect("in range"),
        offset,
    );
    let id = entry_id(&observed, (i & 0xffff) as u16);
    let mut e = Entry::new(id, observed, recorded);
    e.kind = *rng.pick(&KINDS);
    if e.kind != Kind::Memo {
        e.accounts.push(rng.pick(handles).to_string());
        if rng.below(5) == 0 {
            let other = rng.pick(handles).to_string();
            if !e.accounts.contains(&other) {
                e.accounts.push(other);
            }
        }
    }
    for _ in 0..1 + rng.below(5) {
        let code = rng.pick(codes).clone();
        if !e.codes.contains(&code) {
            e.codes.push(code);
        }
    }
    e.title = (*rng.pick(TITLES)).to_string();
    e.body = body(&mut rng);
    if e.kind == Kind::Interview {
        e.informant = format!("A{}", 1 + rng.below(6));
    }
    if e.kind == Kind::Content {
        e.url = format!(
            "https://www.tiktok.com/@{}/video/{}",
            e.accounts[0],
            7_300_000_000_000_000_000u64 + i as u64
        );
        let views = 2_000 + rng.below(200_000) as u64;
        let comments = 10 + rng.below(800) as u64;
        e.metrics = Some(Box::new(Metrics {
            views: Some(views),
            likes: Some(views / 12 + rng.below(500) as u64),
            comments: Some(comments),
            shares: Some(rng.below(300) as u64),
            saves: Some(rng.below(400) as u64),
            replied_comments: Some(comments * (20 + rng.below(20) as u64) / 100),
            metrics_at: Some(recorded),
        }));
    }
    if rng.below(10) == 0 && !media.is_empty() {
        let (path, sha) = rng.pick(media);
        e.screenshots.push(Screenshot {
            path: path.clone(),
            sha256: sha.clone(),
            caption: "Screen at the moment described".into(),
        });
    }
    // A quarter of the entries have coded passages (a random generator of its own, so
    // every other field is what it was before passages existed).
    let mut passage_rng = Rng(i as u64 * 0x2000_0003 + 29);
    if passage_rng.below(4) == 0 {
        add_passages(&mut e, &mut passage_rng, codes);
    }
    let comment = (rng.below(50) == 0).then(|| {
        let at = recorded;
        Comment {
            id: Comment::id_for(&at, "Reviewer"),
            entry: e.id.clone(),
            author: "Reviewer".into(),
            at,
            body: "Is this your reading or their words? Member-check this.\n".into(),
            resolved: rng.below(2) == 0,
        }
    });
    (e, comment)
}

/// One to three passages of 3 to 7 words, each with a code.
fn add_passages(e: &mut Entry, rng: &mut Rng, codes: &[String]) {
    let words: Vec<std::ops::Range<usize>> = e
        .body
        .split_ascii_whitespace()
        .map(|w| {
            let start = w.as_ptr() as usize - e.body.as_ptr() as usize;
            start..start + w.len()
        })
        .collect();
    if words.len() < 8 {
        return;
    }
    for _ in 0..1 + rng.below(3) {
        let first = rng.below(words.len() - 7);
        let last = first + 2 + rng.below(5);
        let span = words[first].start..words[last].end;
        e.code_span(span, std::slice::from_ref(rng.pick(codes)));
    }
}

fn body(rng: &mut Rng) -> String {
    let words = 40 + rng.below(161);
    let mut s = String::with_capacity(words * 7);
    for w in 0..words {
        if w > 0 {
            s.push(if w % 17 == 0 { '\n' } else { ' ' });
        }
        s.push_str(rng.pick::<&str>(WORDS));
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_journal_loads_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), 300).unwrap();
        let opened = crate::store::open_with(
            dir.path(),
            crate::store::LoadOptions {
                deep: true,
                ..Default::default()
            },
        )
        .unwrap();
        let errors: Vec<String> = opened
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(opened.journal.entries.len(), 300);
        assert_eq!(opened.journal.accounts.len(), 50);
        let with_passages: Vec<_> = opened
            .journal
            .entries
            .iter()
            .filter(|e| !e.passages.is_empty())
            .collect();
        assert!(
            (40..110).contains(&with_passages.len()),
            "{}",
            with_passages.len()
        );
        for e in with_passages {
            assert!(e.passage_spans().iter().all(Option::is_some), "{}", e.id);
        }
        assert!(
            opened
                .journal
                .entries
                .iter()
                .any(|e| !e.screenshots.is_empty())
        );
        assert!(!opened.journal.comments.is_empty());
    }
}
