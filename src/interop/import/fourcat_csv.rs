//! 4CAT's CSV export of a TikTok dataset (ZEESCHUIMER.md §6), and Zeeschuimer's own CSV
//! export, which has the same columns with `;` between them. Columns are matched by
//! header name, so older and newer 4CAT versions read alike. The CSV carries no capture
//! time (so no `metrics_at`) and no saves.

use crate::interop::import::zeeschuimer::identify;
use crate::interop::{
    Counts, Origin, Parsed, Post, Skip, SkipReason, add_hashtag, date_post, from_unix_seconds,
    hashtags_in, tiktok_id_time,
};
use crate::model::Platform;

/// A whole-file problem: the header (line 1) lacks what every row needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HeaderError(String);

/// Read a CSV export held in `text`, file number `file` of this import.
pub fn read(text: &str, file: usize) -> Result<Parsed, HeaderError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records::new(text, separator(text));
    let header = match records.next() {
        Some(Ok((_, fields))) => fields,
        Some(Err((_, message))) => return Err(HeaderError(message)),
        None => return Err(HeaderError("the file is empty".into())),
    };
    let columns = Columns::new(&header)?;
    let mut parsed = Parsed::default();
    for record in records {
        parsed.lines += 1;
        let result = match record {
            Ok((line, fields)) => row(&columns, &fields, Origin { file, line }),
            Err((line, message)) => Err(Skip {
                origin: Origin { file, line },
                reason: SkipReason::BadPost,
                message,
            }),
        };
        match result {
            Ok(post) => parsed.posts.push(post),
            Err(skip) => parsed.skipped.push(skip),
        }
    }
    Ok(parsed)
}

/// `;` when the header line has more semicolons than commas (Zeeschuimer), else `,`.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.bytes().filter(|b| *b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// The columns a 4CAT (or Zeeschuimer) CSV of TikTok posts always has, and the import
/// reads. `unix_timestamp`, `author_followers`, `hashtags` and the rest are read when
/// present (older 4CAT versions lack some).
const REQUIRED: [&str; 9] = [
    "id",
    "author",
    "author_full",
    "body",
    "timestamp",
    "likes",
    "comments",
    "shares",
    "plays",
];

/// Where each needed column is in a row.
struct Columns {
    width: usize,
    id: usize,
    author: usize,
    author_full: Option<usize>,
    author_followers: Option<usize>,
    body: Option<usize>,
    unix_timestamp: Option<usize>,
    timestamp: Option<usize>,
    likes: Option<usize>,
    comments: Option<usize>,
    shares: Option<usize>,
    plays: Option<usize>,
    hashtags: Option<usize>,
    challenges: Option<usize>,
    tiktok_url: Option<usize>,
}

impl Columns {
    fn new(header: &[String]) -> Result<Columns, HeaderError> {
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        // Other tools' CSVs of the same posts share some names (`id`, `author`) but
        // not their meaning (a decoder's `author` is the display name), so a file must
        // have all of 4CAT's columns that the import reads, or none of it is read.
        let missing: Vec<String> = REQUIRED
            .iter()
            .filter(|name| find(name).is_none())
            .map(|name| format!("`{name}`"))
            .collect();
        if !missing.is_empty() {
            return Err(HeaderError(format!(
                "not a 4CAT or Zeeschuimer CSV of TikTok posts: the header lacks {} (of 4CAT's columns {}); nothing was imported",
                missing.join(", "),
                REQUIRED.join(", ")
            )));
        }
        let need = |name: &str| find(name).expect("checked above");
        Ok(Columns {
            width: header.len(),
            id: need("id"),
            author: need("author"),
            author_full: find("author_full"),
            author_followers: find("author_followers"),
            body: find("body"),
            unix_timestamp: find("unix_timestamp"),
            timestamp: find("timestamp"),
            likes: find("likes"),
            comments: find("comments"),
            shares: find("shares"),
            plays: find("plays"),
            hashtags: find("hashtags"),
            challenges: find("challenges"),
            tiktok_url: find("tiktok_url"),
        })
    }
}

fn row(columns: &Columns, fields: &[String], origin: Origin) -> Result<Post, Skip> {
    let skip = |message: String| Skip {
        origin,
        reason: SkipReason::BadPost,
        message,
    };
    if fields.len() != columns.width {
        return Err(skip(format!(
            "{} fields where the header has {} columns",
            fields.len(),
            columns.width
        )));
    }
    let get = |i: Option<usize>| i.map_or("", |i| fields[i].as_str());
    let num = |i| {
        let s = get(i).trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let handle = get(Some(columns.author)).trim().trim_start_matches('@');
    let mut post =
        identify(Platform::Tiktok, get(Some(columns.id)).trim(), handle).map_err(skip)?;
    post.origin = origin;
    post.display_name = get(columns.author_full).to_string();
    let published = num(columns.unix_timestamp)
        .and_then(from_unix_seconds)
        .or_else(|| utc_timestamp(get(columns.timestamp)));
    let id_time = tiktok_id_time(&post.post_id);
    date_post(&mut post, published, id_time);
    post.caption = get(columns.body).to_string();
    for list in [get(columns.hashtags), get(columns.challenges)] {
        for tag in list.split(',') {
            add_hashtag(&mut post.hashtags, tag);
        }
    }
    if post.hashtags.is_empty() {
        post.hashtags = hashtags_in(&post.caption);
    }
    post.photo = get(columns.tiktok_url).contains("/photo/");
    post.counts = Counts {
        views: num(columns.plays),
        likes: num(columns.likes),
        comments: num(columns.comments),
        shares: num(columns.shares),
        saves: None,
    };
    post.followers = num(columns.author_followers);
    post.dated().map_err(skip)
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, as 4CAT writes `timestamp`.
fn utc_timestamp(text: &str) -> Option<jiff::Timestamp> {
    let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()
}

/// A record's first line, and its fields; or that line and what is wrong.
pub(crate) type Record = Result<(usize, Vec<String>), (usize, String)>;

/// CSV records (RFC 4180: quotes around fields that need them, `""` for a quote inside,
/// line breaks inside quoted fields; CRLF or LF), each with the line it starts on.
pub(crate) struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    sep: u8,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: &'a str, sep: u8) -> Self {
        Records {
            text,
            pos: 0,
            line: 1,
            sep,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let bytes = self.text.as_bytes();
        // Blank lines between records carry nothing: step over them.
        while self.pos < bytes.len() && matches!(bytes[self.pos], b'\n' | b'\r') {
            if bytes[self.pos] == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
        if self.pos >= bytes.len() {
            return None;
        }
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut at_field_start = true;
        let mut i = self.pos;
        // Copy runs of plain bytes at once; every byte we stop at is ASCII, so slices
        // always fall on character boundaries.
        let mut run = i;
        loop {
            if i >= bytes.len() {
                field.push_str(&self.text[run..i]);
                self.pos = i;
                if quoted {
                    return Some(Err((
                        start_line,
                        "a quoted field is not closed before the end of the file (truncated?)"
                            .into(),
                    )));
                }
                fields.push(field);
                return Some(Ok((start_line, fields)));
            }
            let b = bytes[i];
            if quoted {
                match b {
                    b'"' if bytes.get(i + 1) == Some(&b'"') => {
                        field.push_str(&self.text[run..=i]);
                        i += 2;
                        run = i;
                    }
                    b'"' => {
                        field.push_str(&self.text[run..i]);
                        quoted = false;
                        i += 1;
                        run = i;
                    }
                    b'\n' => {
                        self.line += 1;
                        i += 1;
                    }
                    _ => i += 1,
                }
                continue;
            }
            match b {
                b'"' if at_field_start => {
                    quoted = true;
                    at_field_start = false;
                    i += 1;
                    run = i;
                }
                b'\r' | b'\n' => {
                    field.push_str(&self.text[run..i]);
                    fields.push(field);
                    if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    self.pos = i + 1;
                    self.line += 1;
                    return Some(Ok((start_line, fields)));
                }
                _ if b == self.sep => {
                    field.push_str(&self.text[run..i]);
                    fields.push(std::mem::take(&mut field));
                    at_field_start = true;
                    i += 1;
                    run = i;
                }
                _ => {
                    at_field_start = false;
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/interop/tiktok_4cat.csv"
    );

    fn records(text: &str, sep: u8) -> Vec<Record> {
        Records::new(text, sep).collect()
    }

    #[test]
    fn csv_fields_quotes_and_line_breaks() {
        let text = "a,b,c\r\n1,\"x, \"\"y\"\"\",\"multi\nline\"\r\n\r\n2,,last";
        let r = records(text, b',');
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], Ok((1, vec!["a".into(), "b".into(), "c".into()])));
        assert_eq!(
            r[1],
            Ok((2, vec!["1".into(), "x, \"y\"".into(), "multi\nline".into()]))
        );
        assert_eq!(r[2], Ok((5, vec!["2".into(), "".into(), "last".into()])));
        let semi = records("a;b\n\"x;y\";é😀\n", b';');
        assert_eq!(semi[1], Ok((2, vec!["x;y".into(), "é😀".into()])));
        let open = records("a\n\"never closed\nmore", b',');
        assert!(matches!(&open[1], Err((2, m)) if m.contains("not closed")));
    }

    #[test]
    fn separator_is_detected_from_the_header() {
        assert_eq!(separator("id;author;body\n1,2;3"), b';');
        assert_eq!(separator("id,author,body"), b',');
    }

    #[test]
    fn the_4cat_sample_reads() {
        let text = std::fs::read_to_string(SAMPLE).unwrap();
        let p = read(&text, 0).unwrap();
        assert_eq!(p.lines, 6);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert_eq!(p.posts.len(), 6);
        let first = &p.posts[0];
        assert_eq!(first.source_id(), "tiktok:7616337661355569196");
        assert_eq!(first.handle, "sari.contoh");
        assert_eq!(first.display_name, "Sari ✨ harian");
        assert_eq!(first.created, from_unix_seconds(1773316799));
        assert_eq!(first.hashtags, ["grwm", "kondangan", "outfitideas"]);
        assert_eq!(first.counts.views, Some(6120));
        assert_eq!(first.counts.saves, None);
        assert_eq!(first.followers, Some(41250));
        assert_eq!(first.captured, None);
        assert_eq!(first.origin.line, 2);
        // A caption with commas and emoji, quoted in the file.
        assert!(p.posts[1].caption.contains("numpuk, tapi"));
        // The rounded `stats` likes, as 4CAT writes them.
        assert_eq!(p.posts[2].counts.likes, Some(4100));
    }

    #[test]
    fn bad_rows_are_skipped_with_their_line() {
        let text = "id,author,author_full,body,timestamp,likes,comments,shares,plays\n\
            7616337661355569196,sari.contoh,Sari,hi,,1,1,1,5\n\
            1,2\n\
            7616337661355569196,../x,X,hi,,1,1,1,5\n\
            7616337661355569197,a,A,\"unterminated";
        let p = read(text, 1).unwrap();
        assert_eq!(p.posts.len(), 1);
        let lines: Vec<usize> = p.skipped.iter().map(|s| s.origin.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(p.skipped[0].message.contains("2 fields"));
    }

    #[test]
    fn a_csv_without_the_columns_is_refused() {
        let err = read("name,value\na,b\n", 0).unwrap_err();
        let err = err.to_string();
        assert!(
            err.contains("the header lacks `id`, `author`, `author_full`"),
            "{err}"
        );
        // A decoder's CSV with some of the same names is refused too, naming the rest.
        let err = read("index,id,author,description,digg_count\n", 0)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("lacks `author_full`, `body`, `timestamp`, `likes`"),
            "{err}"
        );
        assert!(read("", 0).is_err());
    }

    #[test]
    fn timestamps_fall_back_to_the_text_column() {
        let text = "id,author,author_full,body,timestamp,likes,comments,shares,plays\n\
            7616337661355569196,a,A,,2026-03-12 11:59:59,,,,\n";
        let p = read(text, 0).unwrap();
        assert_eq!(p.posts[0].created, from_unix_seconds(1773316799));
    }
}
