//! Links between entries: `[[20260314-2105]]` in a body names the entry with that id,
//! or the one entry whose id starts with it. Memos use them to point at what they
//! discuss; the interface follows them and shows, on the entry pointed at, who refers
//! to it.

use std::ops::Range;

use super::Journal;

/// Every `[[…]]` in `text` whose inside looks like an entry id (digits and `-`, then
/// optional hex): the byte range of the whole link and the id (or prefix) inside.
pub fn links(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("[[") {
        let start = from + open;
        let inside_from = start + 2;
        let Some(close) = text[inside_from..].find("]]") else {
            break;
        };
        let inside = &text[inside_from..inside_from + close];
        if looks_like_id(inside) {
            out.push((start..inside_from + close + 2, inside));
            from = inside_from + close + 2;
        } else {
            from = inside_from;
        }
    }
    out
}

fn looks_like_id(s: &str) -> bool {
    (8..=20).contains(&s.len())
        && s.as_bytes()[..8].iter().all(u8::is_ascii_digit)
        && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// The id of the one entry `target` names, or why none: `Err(0)` for no entry, `Err(n)`
/// when `n` entries start with it. `ids` are the journal's ids, sorted.
pub fn resolve<'a>(ids: &[&'a str], target: &str) -> Result<&'a str, usize> {
    let first = ids.partition_point(|id| *id < target);
    let matching = ids[first..]
        .iter()
        .take_while(|id| id.starts_with(target))
        .count();
    match matching {
        1 => Ok(ids[first]),
        n => Err(n),
    }
}

/// The journal's entry ids, sorted, for `resolve`.
pub fn sorted_ids(journal: &Journal) -> Vec<&str> {
    let mut ids: Vec<&str> = journal.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_resolved_by_prefix() {
        let text =
            "See [[20260314-2105]] and [[20260315-090000-ab12]]; not [[a note]] or [[2026]].";
        let found: Vec<&str> = links(text).into_iter().map(|(_, id)| id).collect();
        assert_eq!(found, ["20260314-2105", "20260315-090000-ab12"]);
        let (range, _) = &links(text)[0];
        assert_eq!(&text[range.clone()], "[[20260314-2105]]");
        let ids = [
            "20260314-210512-7f3a",
            "20260315-090000-ab12",
            "20260315-090000-ab13",
        ];
        assert_eq!(resolve(&ids, "20260314-2105"), Ok("20260314-210512-7f3a"));
        assert_eq!(resolve(&ids, "20260315-0900"), Err(2));
        assert_eq!(resolve(&ids, "20270101"), Err(0));
    }
}
