//! Zeeschuimer's NDJSON exports and 4CAT's NDJSON datasets: one capture record per line,
//! TikTok (`tiktok.com`) and Instagram (`instagram.com`) items, read into [`Post`]s.
//!
//! Both envelope shapes are read (see ZEESCHUIMER.md §1): Zeeschuimer's (`item_id` +
//! `data`) and 4CAT's (the item's keys at the top, the envelope under `__import_meta`).
//! Lines are parsed in parallel batches; a line that is not a usable post becomes a
//! [`Skip`] with its line number, and reading goes on.

use std::io::{self, BufRead, Read};

use rayon::prelude::*;
use serde::Deserialize;

use crate::interop::lenient::{Flag, Maybe, Num, Present, Text};
use crate::interop::{
    Counts, Origin, Parsed, Post, Skip, SkipReason, add_hashtag, date_post, from_unix_millis,
    from_unix_seconds, hashtags_in, instagram_pk_time, is_safe_handle, is_safe_post_id,
    tiktok_id_time,
};
use crate::model::Platform;

/// One JSON object at any level of a record: the envelope fields, the TikTok item fields
/// and the Instagram item fields side by side, all optional and forgiving. Zeeschuimer's
/// envelope holds the item under `data`; 4CAT's item holds the envelope under
/// `__import_meta`; so the same type serves both levels.
#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Node {
    // Envelope.
    item_id: Text,
    timestamp_collected: Num,
    last_updated: Num,
    source_platform: Text,
    data: Option<Box<Node>>,
    #[serde(rename = "__import_meta")]
    import_meta: Option<Box<Node>>,

    // Shared: TikTok's post id; Instagram's `<pk>_<owner pk>` or legacy numeric id; the
    // Zeeschuimer envelope's row number (ignored).
    id: Text,

    // TikTok.
    desc: Text,
    #[serde(rename = "createTime")]
    create_time: Num,
    author: Maybe<Author>,
    nickname: Text,
    stats: Maybe<TikTokStats>,
    #[serde(rename = "statsV2")]
    stats_v2: Maybe<TikTokStats>,
    #[serde(rename = "authorStats")]
    author_stats: Maybe<AuthorStats>,
    #[serde(rename = "authorStatsV2")]
    author_stats_v2: Maybe<AuthorStats>,
    challenges: Maybe<Vec<Maybe<Challenge>>>,
    #[serde(rename = "textExtra")]
    text_extra: Maybe<Vec<Maybe<TextExtra>>>,
    #[serde(rename = "imagePost")]
    image_post: Present,

    // Instagram.
    #[serde(rename = "__typename")]
    typename: Text,
    code: Text,
    shortcode: Text,
    pk: Text,
    caption: Maybe<Caption>,
    taken_at: Num,
    taken_at_timestamp: Num,
    user: Maybe<User>,
    owner: Maybe<User>,
    like_count: Num,
    comment_count: Num,
    view_count: Num,
    play_count: Num,
    ig_play_count: Num,
    video_view_count: Num,
    like_and_view_counts_disabled: Flag,
    #[serde(rename = "_zs_partial")]
    zs_partial: Flag,
    edge_media_to_caption: Maybe<Edges>,
    edge_media_preview_like: Maybe<Counted>,
    edge_liked_by: Maybe<Counted>,
    edge_media_to_comment: Maybe<Counted>,
    edge_media_preview_comment: Maybe<Counted>,
}

/// TikTok's `author`: an object, or (variant E, 2022–23) the handle itself.
#[derive(Deserialize, Debug)]
#[serde(untagged)]
enum Author {
    Handle(String),
    Object(AuthorObject),
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct AuthorObject {
    #[serde(rename = "uniqueId")]
    unique_id: Text,
    nickname: Text,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, rename_all = "camelCase")]
struct TikTokStats {
    play_count: Num,
    digg_count: Num,
    comment_count: Num,
    share_count: Num,
    collect_count: Num,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, rename_all = "camelCase")]
struct AuthorStats {
    follower_count: Num,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Challenge {
    title: Text,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default, rename_all = "camelCase")]
struct TextExtra {
    hashtag_name: Text,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Caption {
    text: Text,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct User {
    username: Text,
    full_name: Text,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Edges {
    edges: Maybe<Vec<Maybe<Edge>>>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Edge {
    node: Maybe<Caption>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
struct Counted {
    count: Num,
}

/// Read NDJSON from `input`, file number `file` of this import. Lines are parsed in
/// parallel, a batch at a time, so memory stays bounded however big the file is;
/// `progress` is told the bytes read so far after each batch.
///
/// A file whose first line is not a whole JSON value but starts one (a record
/// pretty-printed over many lines, or an array of records, as some tools save them) is
/// read as one JSON document instead; see [`read_document`].
pub fn read(mut input: impl BufRead, file: usize, progress: &dyn Fn(u64)) -> io::Result<Parsed> {
    let mut first = Vec::new();
    input.read_until(b'\n', &mut first)?;
    if starts_a_document(&first) {
        let mut whole = first;
        input.read_to_end(&mut whole)?;
        progress(whole.len() as u64);
        return Ok(read_document(&whole, file));
    }
    read_lines(first.as_slice().chain(input), file, progress)
}

/// Does this first line open a JSON document rather than hold a whole record? An array
/// (`[`), or an object that the line ends before closing.
fn starts_a_document(first_line: &[u8]) -> bool {
    let line = first_line
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(first_line);
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => true,
        Some(b'{') => {
            serde_json::from_slice::<serde::de::IgnoredAny>(line).is_err_and(|e| e.is_eof())
        }
        _ => false,
    }
}

/// Read a whole JSON document: one record, or an array of records. Each record is
/// parsed like an NDJSON line and numbered by the line it starts on; a document that
/// is not valid JSON is one skip, not one per line.
pub fn read_document(bytes: &[u8], file: usize) -> Parsed {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let line_at = |offset: usize| 1 + text[..offset].iter().filter(|b| **b == b'\n').count();
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let mut parsed = Parsed::default();
    let whole = Origin {
        file,
        line: line_at(start),
    };
    if text[start..].starts_with(b"[") {
        match serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(text) {
            Ok(records) => {
                for record in records {
                    let raw = record.get().as_bytes();
                    let offset = raw.as_ptr() as usize - text.as_ptr() as usize;
                    let origin = Origin {
                        file,
                        line: line_at(offset),
                    };
                    parsed.lines += 1;
                    match parse_line(raw, origin) {
                        Ok(post) => parsed.posts.push(post),
                        Err(skip) => parsed.skipped.push(skip),
                    }
                }
            }
            Err(e) => {
                parsed.lines = 1;
                parsed.skipped.push(document_error(whole, &e));
            }
        }
        return parsed;
    }
    parsed.lines = 1;
    match serde_json::from_slice::<serde::de::IgnoredAny>(text) {
        Ok(_) => match parse_line(&text[start..], whole) {
            Ok(post) => parsed.posts.push(post),
            Err(skip) => parsed.skipped.push(skip),
        },
        Err(e) => parsed.skipped.push(document_error(whole, &e)),
    }
    parsed
}

/// The one skip for a JSON document that does not parse.
fn document_error(origin: Origin, e: &serde_json::Error) -> Skip {
    let message = if e.is_eof() {
        "truncated JSON: the document ends early".to_string()
    } else if e.is_syntax() {
        format!(
            "invalid JSON at line {}, column {}: the file is neither one JSON record per line (NDJSON) nor one JSON document",
            e.line(),
            e.column()
        )
    } else {
        "a JSON array whose items are not all capture records".to_string()
    };
    Skip {
        origin,
        reason: SkipReason::BadJson,
        message,
    }
}

/// NDJSON, line by line (see [`read`]).
fn read_lines(mut input: impl BufRead, file: usize, progress: &dyn Fn(u64)) -> io::Result<Parsed> {
    const BATCH_BYTES: usize = 32 << 20;
    const BATCH_LINES: usize = 8192;
    let mut parsed = Parsed::default();
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0;
    let mut bytes_read = 0u64;
    let mut line_no = 0;
    loop {
        let mut line = Vec::new();
        let n = input.read_until(b'\n', &mut line)?;
        if n > 0 {
            line_no += 1;
            bytes_read += n as u64;
            batch_bytes += n;
            batch.push((line_no, line));
        }
        if n == 0 || batch_bytes >= BATCH_BYTES || batch.len() >= BATCH_LINES {
            let results: Vec<Result<Post, Skip>> = batch
                .par_iter()
                .map(|(line, bytes)| parse_line(bytes, Origin { file, line: *line }))
                .collect();
            for r in results {
                match r {
                    Ok(post) => parsed.posts.push(post),
                    Err(skip) => parsed.skipped.push(skip),
                }
            }
            batch.clear();
            batch_bytes = 0;
            progress(bytes_read);
        }
        if n == 0 {
            break;
        }
    }
    parsed.lines = line_no;
    Ok(parsed)
}

/// Parse one line (with or without its `\n`) into a post, or say why it is skipped.
pub fn parse_line(raw: &[u8], origin: Origin) -> Result<Post, Skip> {
    let skip = |reason, message: String| Skip {
        origin,
        reason,
        message,
    };
    let mut line = raw.strip_suffix(b"\n").unwrap_or(raw);
    line = line.strip_suffix(b"\r").unwrap_or(line);
    if origin.line == 1 {
        line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    }
    // 4CAT strips NUL bytes before parsing; so do we (they are never valid in JSON).
    let cleaned;
    if line.contains(&0) {
        cleaned = line
            .iter()
            .copied()
            .filter(|b| *b != 0)
            .collect::<Vec<u8>>();
        line = &cleaned;
    }
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(skip(SkipReason::Empty, "empty line".into()));
    }
    let node: Node = serde_json::from_slice(line).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Eof => skip(
                SkipReason::BadJson,
                format!(
                    "truncated JSON, the line ends early (column {})",
                    e.column()
                ),
            ),
            Category::Data => skip(
                SkipReason::NotAPost,
                format!("not a capture record: {}", not_an_object(line, &e)),
            ),
            Category::Syntax | Category::Io => {
                skip(SkipReason::BadJson, format!("invalid JSON: {e}"))
            }
        }
    })?;
    let (envelope, item) = if node.data.is_some() && node.item_id.0.is_some() {
        let item = node.data.as_deref().expect("checked");
        (&node, item)
    } else if let Some(meta) = node.import_meta.as_deref() {
        (meta, &node)
    } else {
        return Err(skip(
            SkipReason::NotAPost,
            "not a capture record: a JSON object with neither `data` and `item_id` (Zeeschuimer) nor `__import_meta` (4CAT)".into(),
        ));
    };
    let platform = match envelope.source_platform.as_str() {
        "tiktok.com" => Platform::Tiktok,
        "instagram.com" => Platform::Instagram,
        "" => {
            return Err(skip(
                SkipReason::NotAPost,
                "the record has no `source_platform`".into(),
            ));
        }
        other => {
            return Err(skip(
                SkipReason::OtherPlatform,
                format!(
                    "`{}` items are not imported (only tiktok.com and instagram.com)",
                    crate::model::text::one_line(other)
                ),
            ));
        }
    };
    let captured = envelope
        .last_updated
        .0
        .or(envelope.timestamp_collected.0)
        .and_then(from_unix_millis);
    let post = match platform {
        Platform::Instagram => instagram(item, envelope),
        _ => tiktok(item, envelope),
    };
    let mut post = post
        .and_then(Post::dated)
        .map_err(|m| skip(SkipReason::BadPost, m))?;
    post.captured = captured;
    post.origin = origin;
    Ok(post)
}

/// Why valid JSON is not a record, in words (serde's own message names our types).
fn not_an_object(line: &[u8], e: &serde_json::Error) -> String {
    let kind = match line.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {
            return format!(
                "a field holds a value of the wrong kind (column {})",
                e.column()
            );
        }
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        _ => "a number",
    };
    format!("the line holds {kind}, not a JSON object")
}

/// Check the identity of a post: a safe id and a safe handle, or a message saying why not.
pub(super) fn identify(platform: Platform, id: &str, handle: &str) -> Result<Post, String> {
    let shown = |s: &str| {
        crate::model::text::one_line(s)
            .chars()
            .take(60)
            .collect::<String>()
    };
    if id.is_empty() {
        return Err(format!("{} post without an id", platform.as_str()));
    }
    if !is_safe_post_id(platform, id) {
        return Err(format!(
            "`{}` is not a {} post id",
            shown(id),
            platform.as_str()
        ));
    }
    if handle.is_empty() {
        return Err(format!("post {id} has no author handle"));
    }
    if !is_safe_handle(handle) {
        return Err(format!(
            "post {id}: author handle `{}` is not a handle (letters, digits, `.`, `_`, `-`)",
            shown(handle)
        ));
    }
    Ok(Post::new(platform, id.to_string(), handle.to_string()))
}

fn tiktok(item: &Node, envelope: &Node) -> Result<Post, String> {
    let id = item
        .id
        .0
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(envelope.item_id.as_str());
    let (handle, nickname) = match item.author.get() {
        Some(Author::Handle(h)) => (h.as_str(), item.nickname.as_str()),
        Some(Author::Object(a)) => (a.unique_id.as_str(), a.nickname.as_str()),
        None => ("", ""),
    };
    let mut post = identify(Platform::Tiktok, id, handle.trim_start_matches('@'))?;
    post.display_name = if nickname.is_empty() {
        item.nickname.as_str().to_string()
    } else {
        nickname.to_string()
    };
    date_post(
        &mut post,
        item.create_time.0.and_then(from_unix_seconds),
        tiktok_id_time(id),
    );
    post.caption = item.desc.as_str().to_string();
    for tag in item.text_extra.get().into_iter().flatten() {
        if let Some(t) = tag.get() {
            add_hashtag(&mut post.hashtags, t.hashtag_name.as_str());
        }
    }
    for challenge in item.challenges.get().into_iter().flatten() {
        if let Some(c) = challenge.get() {
            add_hashtag(&mut post.hashtags, c.title.as_str());
        }
    }
    if post.hashtags.is_empty() {
        post.hashtags = hashtags_in(&post.caption);
    }
    post.photo = item.image_post.0;
    // statsV2 holds exact counts as strings where `stats` may be rounded: prefer it.
    let pick = |f: fn(&TikTokStats) -> Num| {
        let v2 = item.stats_v2.get().and_then(|s| f(s).0);
        v2.or_else(|| item.stats.get().and_then(|s| f(s).0))
    };
    post.counts = Counts {
        views: pick(|s| s.play_count),
        likes: pick(|s| s.digg_count),
        comments: pick(|s| s.comment_count),
        shares: pick(|s| s.share_count),
        saves: pick(|s| s.collect_count),
    };
    post.followers = item
        .author_stats_v2
        .get()
        .and_then(|s| s.follower_count.0)
        .or_else(|| item.author_stats.get().and_then(|s| s.follower_count.0));
    Ok(post)
}

/// Instagram's three item shapes (ZEESCHUIMER.md §3), by `__typename`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    /// Item list: API v1 and current GraphQL (`XDTMediaDict` or no type name).
    List,
    /// Partial grid item (`XIGPolaris…`).
    Polaris,
    /// Legacy GraphQL (`GraphImage`, `GraphVideo`, `GraphSidecar`).
    Graph,
}

fn instagram(item: &Node, envelope: &Node) -> Result<Post, String> {
    let typename = item.typename.as_str();
    let shape = match typename {
        "" | "XDTMediaDict" => Shape::List,
        t if t.contains("Polaris") => Shape::Polaris,
        _ => Shape::Graph,
    };
    let code = match shape {
        Shape::Graph => item.shortcode.as_str(),
        _ => item.code.as_str(),
    };
    fn user(u: &Maybe<User>) -> Option<(&str, &str)> {
        u.get().map(|u| (u.username.as_str(), u.full_name.as_str()))
    }
    let (handle, full_name) = match shape {
        Shape::Graph => user(&item.owner),
        _ => user(&item.user).or_else(|| user(&item.owner)),
    }
    .unwrap_or(("", ""));
    let mut post = identify(Platform::Instagram, code, handle)?;
    post.display_name = full_name.to_string();

    // The media pk: the first part of `id` (`<pk>_<owner>`) keeps every digit, where a
    // numeric `pk` was rounded by the browser (ZEESCHUIMER.md §5).
    let id = item
        .id
        .0
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or(envelope.item_id.as_str());
    let pk = id
        .split('_')
        .next()
        .filter(|p| !p.is_empty())
        .unwrap_or(item.pk.as_str());
    let taken = match shape {
        Shape::Graph => item.taken_at_timestamp.0,
        _ => item.taken_at.0,
    };
    date_post(
        &mut post,
        taken.and_then(from_unix_seconds),
        instagram_pk_time(pk),
    );

    post.caption = match shape {
        Shape::Graph => item
            .edge_media_to_caption
            .get()
            .and_then(|e| e.edges.get())
            .and_then(|edges| edges.first())
            .and_then(|edge| edge.get())
            .and_then(|edge| edge.node.get())
            .map(|n| n.text.as_str().to_string())
            .unwrap_or_default(),
        _ => item
            .caption
            .get()
            .map(|c| c.text.as_str().to_string())
            .unwrap_or_default(),
    };
    post.hashtags = hashtags_in(&post.caption);
    let count = |c: &Maybe<Counted>| c.get().and_then(|c| c.count.0);
    post.counts = match shape {
        Shape::List => {
            let hidden = item.like_and_view_counts_disabled.0;
            Counts {
                views: item
                    .view_count
                    .0
                    .or(item.play_count.0)
                    .or(item.ig_play_count.0)
                    .filter(|_| !hidden),
                likes: item.like_count.0.filter(|_| !hidden),
                comments: item.comment_count.0,
                ..Counts::default()
            }
        }
        Shape::Polaris => Counts {
            views: item.play_count.0,
            ..Counts::default()
        },
        Shape::Graph => Counts {
            views: item.video_view_count.0,
            likes: count(&item.edge_media_preview_like).or(count(&item.edge_liked_by)),
            comments: count(&item.edge_media_to_comment)
                .or(count(&item.edge_media_preview_comment)),
            ..Counts::default()
        },
    };
    post.partial = item.zs_partial.0 || shape == Shape::Polaris;
    Ok(post)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interop");

    fn sample(name: &str) -> Parsed {
        let path = format!("{SAMPLES}/{name}");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read(io::BufReader::new(file), 0, &|_| {}).unwrap()
    }

    fn at(s: &str) -> Option<jiff::Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn tiktok_sample_reads_every_line() {
        let p = sample("tiktok.ndjson");
        assert_eq!(p.lines, 13);
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert_eq!(p.posts.len(), 13);
        let first = &p.posts[0];
        assert_eq!(first.source_id(), "tiktok:7616337661355569196");
        assert_eq!(first.handle, "sari.contoh");
        assert_eq!(first.display_name, "Sari ✨ harian");
        assert_eq!(first.created, at("2026-03-12T11:59:59Z"));
        assert_eq!(first.captured, at("2026-03-12T15:20:11.036Z"));
        assert_eq!(first.hashtags, ["grwm", "kondangan", "outfitideas"]);
        assert_eq!(
            first.counts,
            Counts {
                views: Some(6120),
                likes: Some(402),
                comments: Some(37),
                shares: Some(11),
                saves: Some(19),
            }
        );
        assert_eq!(first.followers, Some(41250));
        assert_eq!(
            first.url(),
            "https://www.tiktok.com/@sari.contoh/video/7616337661355569196"
        );
        // L2: empty caption.
        assert_eq!(p.posts[1].caption, "");
        // L4: emoji with ZWJ, skin tone and flag kept byte for byte.
        assert!(p.posts[3].caption.contains("😮\u{200d}💨🙏🏽"));
        assert!(p.posts[3].caption.contains("🫶🇮🇩"));
    }

    #[test]
    fn tiktok_exact_counts_win_over_rounded_ones() {
        let p = sample("tiktok.ndjson");
        let l5 = &p.posts[4];
        assert_eq!(l5.counts.views, Some(45213));
        assert_eq!(l5.counts.likes, Some(4093));
        assert_eq!(l5.counts.saves, Some(1498));
        assert_eq!(l5.followers, Some(68437));
    }

    #[test]
    fn tiktok_variants() {
        let p = sample("tiktok.ndjson");
        // L7: duet with a mention: the mention is no hashtag.
        assert_eq!(p.posts[6].hashtags, ["duet", "komedi"]);
        // L8: no stats at all.
        assert!(p.posts[7].counts.is_empty());
        assert_eq!(p.posts[7].followers, None);
        // L12: photo post, createTime as a string.
        let photo = &p.posts[11];
        assert!(photo.photo);
        assert_eq!(photo.created, from_unix_seconds(1773144732));
        assert!(photo.url().contains("/photo/"));
        assert_eq!(photo.counts.views, Some(98711));
        // L13: 2023 variant E: `author` is the handle, nickname at the top.
        let old = &p.posts[12];
        assert_eq!(old.handle, "ketawa.contoh");
        assert_eq!(old.display_name, "Eko Ngakak");
        assert_eq!(old.created, from_unix_seconds(1692264600));
        assert_eq!(old.counts.saves, None);
        assert_eq!(old.captured, from_unix_millis(1692536564617));
    }

    #[test]
    fn instagram_sample_reads_every_shape() {
        let p = sample("instagram.ndjson");
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let ids: Vec<String> = p.posts.iter().map(Post::source_id).collect();
        assert_eq!(
            ids,
            [
                "instagram:CzP7X70nX6J",
                "instagram:DVaJ0R4EgKH",
                "instagram:DViYPrWLoX8",
                "instagram:DVqXy2Y5rRO",
                "instagram:DVqXy2Y5rRO",
                "instagram:DVsi12EFvr8",
                "instagram:DVvk0XoIA8f",
                "instagram:CkQN50gbk-u",
            ]
        );
        let l1 = &p.posts[0];
        assert_eq!(l1.handle, "sari.contoh");
        assert_eq!(l1.created, from_unix_seconds(1699154040));
        assert_eq!(l1.hashtags, ["rumahku", "slowliving"]);
        assert_eq!(l1.counts.likes, Some(402));
        assert_eq!(l1.url(), "https://www.instagram.com/p/CzP7X70nX6J/");
        // L4 partial, L5 complete.
        assert!(p.posts[3].partial);
        assert_eq!(p.posts[3].caption, "");
        assert!(!p.posts[4].partial);
        assert_eq!(p.posts[4].counts.views, Some(188400));
        // L6: no caption, likes hidden.
        assert_eq!(p.posts[5].caption, "");
        assert_eq!(p.posts[5].counts.likes, None);
        assert_eq!(p.posts[5].counts.comments, Some(3));
        // L7: Polaris: time from the pk, plays only.
        let polaris = &p.posts[6];
        assert!(polaris.partial);
        assert_eq!(polaris.created, at("2026-03-11T12:00:00Z"));
        assert_eq!(polaris.counts.views, Some(23410));
        assert_eq!(polaris.counts.likes, None);
        // L8: legacy GraphImage.
        let graph = &p.posts[7];
        assert_eq!(graph.handle, "glowkit.contoh");
        assert_eq!(graph.caption, "Rak skincare baru! 🧴 #shelfie #skincare");
        assert_eq!(graph.counts.likes, Some(655));
        assert_eq!(graph.counts.comments, Some(27));
        assert_eq!(graph.created, from_unix_seconds(1666951500));
        assert_eq!(graph.captured, from_unix_millis(1667418242010));
        assert!(p.posts.iter().all(|p| p.followers.is_none()));
    }

    #[test]
    fn fourcat_ndjson_reads_like_zeeschuimer() {
        let four = sample("tiktok_4cat.ndjson");
        let zs = sample("tiktok.ndjson");
        assert!(four.skipped.is_empty(), "{:?}", four.skipped);
        assert_eq!(four.posts.len(), 2);
        for post in &four.posts {
            let same = zs.posts.iter().find(|p| p.post_id == post.post_id).unwrap();
            let mut a = post.clone();
            a.origin = same.origin;
            assert_eq!(&a, same, "4CAT's escapes decode to the same post");
        }
    }

    #[test]
    fn broken_lines_are_skipped_with_their_numbers() {
        let p = sample("broken.ndjson");
        assert_eq!(p.lines, 5);
        let skipped: Vec<(usize, SkipReason)> = p
            .skipped
            .iter()
            .map(|s| (s.origin.line, s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                (2, SkipReason::BadJson),
                (3, SkipReason::NotAPost),
                (4, SkipReason::Empty)
            ]
        );
        let lines: Vec<usize> = p.posts.iter().map(|p| p.origin.line).collect();
        assert_eq!(lines, [1, 5]);
    }

    fn line(json: &str) -> Result<Post, Skip> {
        parse_line(json.as_bytes(), Origin { file: 0, line: 7 })
    }

    #[test]
    fn hostile_lines_never_panic() {
        let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        let deep_data =
            format!(r#"{{"item_id":"1","source_platform":"tiktok.com","data":{{"x":{deep}}}}}"#);
        let cases = [
            "",
            "   \r\n",
            "\u{0}\u{0}",
            "null",
            "42",
            "[1,2]",
            r#""string""#,
            "{",
            r#"{"data": 5, "item_id": "1"}"#,
            r#"{"data": {}, "item_id": "1", "source_platform": "tiktok.com"}"#,
            r#"{"data": {"id": "../../etc"}, "item_id": "1", "source_platform": "tiktok.com"}"#,
            r#"{"data": {"id": "1", "author": "../evil"}, "item_id": "1", "source_platform": "tiktok.com"}"#,
            r#"{"data": {"id": "1", "author": 5}, "item_id": "1", "source_platform": "tiktok.com"}"#,
            r#"{"data": {}, "item_id": "1", "source_platform": "twitter.com"}"#,
            r#"{"data": {"code": "a/b", "user": {"username": "x"}}, "item_id": "1", "source_platform": "instagram.com"}"#,
            &deep,
            &deep_data,
        ];
        for case in cases {
            let skip = line(case).expect_err(&case[..case.len().min(80)]);
            assert_eq!(skip.origin.line, 7);
            assert!(!skip.message.is_empty());
        }
        assert_eq!(
            line(r#"{"data": {}, "item_id": "1", "source_platform": "twitter.com"}"#)
                .unwrap_err()
                .reason,
            SkipReason::OtherPlatform
        );
    }

    #[test]
    fn wrong_types_inside_an_item_are_tolerated() {
        let json = r#"{"item_id":"7616337661355569196","timestamp_collected":"soon","source_platform":"tiktok.com","data":{"id":"7616337661355569196","desc":["x"],"createTime":null,"author":{"uniqueId":"sari.contoh","nickname":7},"stats":"n/a","statsV2":{"playCount":"1.2M","diggCount":"10"},"authorStats":[],"challenges":[null,{"title":"GRWM"},5],"textExtra":{}}}"#;
        let post = line(json).unwrap();
        assert_eq!(post.caption, "");
        assert_eq!(post.display_name, "7");
        // No createTime: the id's top bits give the second it was posted.
        assert_eq!(post.created, from_unix_seconds(1773316799));
        assert_eq!(post.captured, None);
        assert_eq!(post.counts.views, None);
        assert_eq!(post.counts.likes, Some(10));
        assert_eq!(post.hashtags, ["grwm"]);
    }

    #[test]
    fn control_characters_in_captions_are_kept() {
        let json = "{\"item_id\":\"1\",\"source_platform\":\"tiktok.com\",\"data\":{\"id\":\"7616337661355569196\",\"author\":{\"uniqueId\":\"a\"},\"desc\":\"red\\u001b[31m\\u0007 bell\\r\\nnext\"}}\r\n";
        let post = line(json).unwrap();
        assert_eq!(post.caption, "red\u{1b}[31m\u{7} bell\r\nnext");
    }

    #[test]
    fn nul_bytes_and_a_bom_are_dropped() {
        let json = "\u{feff}{\"item_id\":\"1\",\"source_platform\":\"tiktok.com\",\0\"data\":{\"id\":\"7616337661355569196\",\"author\":\"a\"}}";
        let post = parse_line(json.as_bytes(), Origin { file: 0, line: 1 }).unwrap();
        assert_eq!(post.handle, "a");
    }

    /// A sample record pretty-printed over many lines, as a JSON document.
    fn pretty(line: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        serde_json::to_string_pretty(&value).unwrap()
    }

    fn sample_lines() -> Vec<String> {
        std::fs::read_to_string(format!("{SAMPLES}/tiktok.ndjson"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_pretty_printed_record_is_one_record() {
        let lines = sample_lines();
        let doc = pretty(&lines[0]);
        assert!(doc.lines().count() > 50);
        let p = read(doc.as_bytes(), 0, &|_| {}).unwrap();
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        assert_eq!(p.lines, 1);
        assert_eq!(p.posts.len(), 1);
        assert_eq!(p.posts[0].post_id, "7616337661355569196");
        assert_eq!(p.posts[0].origin, Origin { file: 0, line: 1 });
    }

    #[test]
    fn a_json_array_of_records_is_read_record_by_record() {
        let lines = sample_lines();
        let doc = format!("[\n{},\n{},\n42\n]\n", pretty(&lines[0]), pretty(&lines[1]));
        let p = read(doc.as_bytes(), 3, &|_| {}).unwrap();
        assert_eq!(p.lines, 3);
        assert_eq!(p.posts.len(), 2);
        assert_eq!(p.posts[0].origin, Origin { file: 3, line: 2 });
        assert!(p.posts[1].origin.line > 50);
        assert_eq!(p.skipped.len(), 1);
        assert_eq!(p.skipped[0].reason, SkipReason::NotAPost);
        // Compact arrays too (one line).
        let compact = format!("[{},{}]", lines[0], lines[1]);
        assert_eq!(read(compact.as_bytes(), 0, &|_| {}).unwrap().posts.len(), 2);
    }

    #[test]
    fn a_broken_document_is_one_message_not_one_per_line() {
        let lines = sample_lines();
        let doc = pretty(&lines[0]);
        let cut = &doc[..doc.len() / 2];
        let p = read(cut.as_bytes(), 0, &|_| {}).unwrap();
        assert!(p.posts.is_empty());
        assert_eq!(p.skipped.len(), 1, "{:?}", p.skipped);
        assert_eq!(p.skipped[0].reason, SkipReason::BadJson);
    }

    #[test]
    fn skip_messages_never_name_internal_types() {
        for json in [
            "42",
            "[1,2]",
            "\"text\"",
            "null",
            "true",
            r#"{"data": 5, "item_id": "1"}"#,
        ] {
            let skip = line(json).unwrap_err();
            assert!(
                !skip.message.contains("Node") && !skip.message.contains("struct"),
                "{json}: {}",
                skip.message
            );
        }
    }

    #[test]
    fn last_line_without_newline_counts() {
        let text = "\n{\"item_id\":\"1\",\"source_platform\":\"tiktok.com\",\"data\":{\"id\":\"7616337661355569196\",\"author\":\"a\"}}";
        let p = read(text.as_bytes(), 2, &|_| {}).unwrap();
        assert_eq!(p.lines, 2);
        assert_eq!(p.posts[0].origin, Origin { file: 2, line: 2 });
        assert_eq!(p.skipped[0].origin.line, 1);
    }
}
