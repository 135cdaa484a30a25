//! Inputs for fuzzing the loader: arbitrary TOML documents (keys the format knows and
//! others, every kind of value, nesting, invalid dates and numbers, hostile strings),
//! and mutations of the corpus in `tests/corpus` (bit flips, insertions of interesting
//! bytes, deletions, duplications, splices).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use super::rng::Rng;

/// The file a corpus folder's seeds stand for in a journal.
pub fn rel_for(kind: &str) -> &'static str {
    match kind {
        "entries" => "entries/2026/03/20260314-210512-7f3a.toml",
        "accounts" => "accounts/cindymakeup.toml",
        "comments" => "comments/20260314-210512-7f3a/20260320-091500-rina.toml",
        "codebook" => "codebook.toml",
        _ => "journal.toml",
    }
}

pub const KINDS: [&str; 5] = ["entries", "accounts", "comments", "codebook", "journal"];

/// Every seed of the corpus: (kind, file, bytes).
pub fn corpus() -> Vec<(String, PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut seeds = Vec::new();
    for kind in KINDS {
        let Ok(read) = std::fs::read_dir(dir.join(kind)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            seeds.push((kind.to_string(), f.clone(), std::fs::read(&f).unwrap()));
        }
    }
    assert!(!seeds.is_empty(), "no corpus in {}", dir.display());
    seeds
}

const KEYS: &[&str] = &[
    "id",
    "observed_at",
    "recorded_at",
    "kind",
    "accounts",
    "codes",
    "title",
    "url",
    "source_id",
    "informant",
    "body",
    "screenshots",
    "path",
    "sha256",
    "caption",
    "metrics",
    "views",
    "likes",
    "metrics_at",
    "handle",
    "platform",
    "display_name",
    "notes",
    "followers",
    "date",
    "count",
    "group",
    "code",
    "name",
    "key",
    "color",
    "guid",
    "parent",
    "format",
    "timezone",
    "researchers",
    "git",
    "autocommit",
    "import",
    "hashtags",
    "entry",
    "author",
    "at",
    "resolved",
];

fn key(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "\"quoted key\\u001b\"".into(),
        1 => format!("k{}", rng.below(5)),
        2 => format!("{}.{}", rng.pick(KEYS), rng.pick(KEYS)),
        3 => "'literal key'".into(),
        _ => rng.pick(KEYS).to_string(),
    }
}

const PIECES: &[&str] = &[
    "a",
    "b c",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\u001b[2J",
    "\\u202e",
    "\\u0000",
    "🥺",
    "é",
    "漢字",
    "\\U0001F600",
    "<<<<<<<",
    "..",
    "/etc/passwd",
    "media/x.png",
    "2026",
    "live",
];

fn text(rng: &mut Rng) -> String {
    (0..rng.below(6)).map(|_| *rng.pick(PIECES)).collect()
}

fn datetime(rng: &mut Rng) -> String {
    let year = [0, 1, 1979, 2026, 9999][rng.below(5)];
    let month = rng.below(14);
    let day = rng.below(33);
    let date = format!("{year:04}-{month:02}-{day:02}");
    let time = format!(
        "{:02}:{:02}:{:02}",
        rng.below(26),
        rng.below(61),
        rng.below(62)
    );
    let offset = match rng.below(5) {
        0 => "Z".to_string(),
        1 => String::new(),
        2 => format!("+{:02}:{:02}", rng.below(25), rng.below(60)),
        3 => format!("-{:02}:{:02}", rng.below(25), rng.below(60)),
        _ => ".123456789+07:00".into(),
    };
    match rng.below(4) {
        0 => date,
        1 => time,
        _ => format!("{date}T{time}{offset}"),
    }
}

fn value(rng: &mut Rng, depth: usize) -> String {
    let last = if depth == 0 { 7 } else { 9 };
    match rng.below(last) {
        0 => format!("\"{}\"", text(rng)),
        1 => format!("'{}'", text(rng).replace('\'', "")),
        2 => format!("\"\"\"\n{}\n\"\"\"", text(rng)),
        3 => [
            "0",
            "-1",
            "9223372036854775807",
            "-9223372036854775808",
            "99999999999999999999",
            "0x7fff_ffff",
            "0o17",
            "0b101",
            "1_000",
        ][rng.below(9)]
        .to_string(),
        4 => ["1.5", "-0.0", "inf", "nan", "1e308", "6.02e+23"][rng.below(6)].to_string(),
        5 => ["true", "false"][rng.below(2)].to_string(),
        6 => datetime(rng),
        7 => {
            let items: Vec<String> = (0..rng.below(5)).map(|_| value(rng, depth - 1)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let items: Vec<String> = (0..rng.below(4))
                .map(|_| format!("{} = {}", key(rng), value(rng, depth - 1)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

/// A TOML document, usually valid, often meaningless.
pub fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(10) {
        out.push_str(&format!("{} = {}\n", key(rng), value(rng, 3)));
    }
    for _ in 0..rng.below(4) {
        let header = key(rng);
        if rng.chance(50) {
            out.push_str(&format!("\n[{header}]\n"));
        } else {
            out.push_str(&format!("\n[[{header}]]\n"));
        }
        for _ in 0..rng.below(6) {
            out.push_str(&format!("{} = {}\n", key(rng), value(rng, 2)));
        }
    }
    out
}

const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"'",
    b"\n",
    b"\r\n",
    b"[",
    b"]",
    b"[[",
    b"=",
    b"#",
    b"\\",
    b"\\u",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"<<<<<<< HEAD\n",
    b"\"\"\"",
    b"{",
    b"}",
    b",",
    b".",
    b"-",
    b"T",
    b"Z",
    b"+99:99",
    b"9999-99-99",
    b"\xe2\x80\xae",
    b"\x1b[2J",
];

/// `seed` changed in a few random ways (`other` is spliced from).
pub fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = rng.pick(INTERESTING);
                bytes.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            4 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + rng.below(128)).min(other.len());
                bytes.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                let line = format!("\n{} = {}\n", key(rng), value(rng, 2));
                bytes.splice(at..at, line.into_bytes());
            }
        }
    }
    bytes
}

/// The three sorts of input `any_input` makes.
pub const SORTS: [&str; 3] = ["random bytes", "TOML documents", "corpus mutations"];

/// One input of any of the three sorts, with the file it pretends to be.
pub fn any_input(rng: &mut Rng, seeds: &[(String, PathBuf, Vec<u8>)]) -> (&'static str, Vec<u8>) {
    let (_, rel, bytes) = any_input_sorted(rng, seeds);
    (rel, bytes)
}

/// `any_input`, also saying which of `SORTS` the input is.
pub fn any_input_sorted(
    rng: &mut Rng,
    seeds: &[(String, PathBuf, Vec<u8>)],
) -> (&'static str, &'static str, Vec<u8>) {
    let (kind, _, seed) = &seeds[rng.below(seeds.len())];
    // Mostly as the kind it is; sometimes as another kind.
    let kind = if rng.chance(80) {
        kind.as_str()
    } else {
        KINDS[rng.below(KINDS.len())]
    };
    let (sort, bytes) = match rng.below(10) {
        0 => (
            SORTS[0],
            (0..rng.below(512)).map(|_| rng.next() as u8).collect(),
        ),
        1 | 2 => (SORTS[1], document(rng).into_bytes()),
        _ => {
            let other = &seeds[rng.below(seeds.len())].2;
            (SORTS[2], mutate(rng, seed, other))
        }
    };
    (sort, rel_for(kind), bytes)
}
