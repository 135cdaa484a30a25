//! Sources: an entry's text with its passages and codings, its pictures, and the cases
//! (accounts) that point at them.

use super::*;

pub(super) fn origin() -> String {
    format!("fieldnote {}", env!("CARGO_PKG_VERSION"))
}

/// What an entry's text source holds: its title, a blank line, its body; LF line ends.
pub fn source_text(e: &Entry) -> String {
    let body = xml_clean(e.body.trim_end());
    let title = one_line(&e.title);
    let text = match (title.is_empty(), body.is_empty()) {
        (true, _) => format!("{body}\n"),
        (false, true) => format!("{title}\n"),
        (false, false) => format!("{title}\n\n{body}\n"),
    };
    xml_clean(&text).into_owned()
}

/// The name a source or note is shown with: `2026-03-14 21:05 Title`.
pub fn source_name(e: &Entry) -> String {
    file_name(&format!(
        "{} {}",
        e.observed_at.civil().strftime("%Y-%m-%d %H.%M"),
        one_line(e.headline())
    ))
}

/// The name of an entry's text source: its name as a `.txt` file. QualCoder names the
/// files it exports after what follows a source name's last `.`: without the suffix, a
/// title's `Dr. Rina` or the `21.05` of the time became that "extension", and an `&` in
/// it broke QualCoder's own project file.
pub fn text_source_name(e: &Entry) -> String {
    format!("{}.txt", source_name(e))
}

/// `name` as a file name every system takes: QualCoder names the files it writes after
/// sources, so `/`, `:` and the other characters Windows refuses become `-`, and the
/// name is cut to 120 characters.
pub(super) fn file_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .take(120)
        .collect();
    clean.trim_end_matches(['.', ' ']).trim().to_string()
}

/// A time as REFI-QDA tools read it: UTC with `Z` (QualCoder appends a `Z` to whatever
/// it reads, so an offset would come back invalid).
pub(super) fn utc(m: &crate::model::Moment) -> String {
    m.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Variables: (name, type). Cases use the first three, sources the rest.
pub(super) const VARIABLES: [(&str, &str); 12] = [
    ("platform", "Text"),
    ("category", "Text"),
    ("followers", "Integer"),
    ("kind", "Text"),
    ("observed_at", "DateTime"),
    ("informant", "Text"),
    ("views", "Integer"),
    ("likes", "Integer"),
    ("comments", "Integer"),
    ("shares", "Integer"),
    ("saves", "Integer"),
    ("replied_comments", "Integer"),
];

pub(super) fn variable_guid(name: &str) -> String {
    derived_guid(&format!("variable:{name}"))
}

pub(super) fn value(xml: &mut Xml, variable: &str, element: &str, text: &str) {
    xml.start("VariableValue", &[]);
    xml.empty("VariableRef", &[("targetGUID", &variable_guid(variable))]);
    xml.text(element, text);
    xml.end("VariableValue");
}

/// A picture of an entry that goes into the zip.
pub(super) struct Picture {
    pub(super) guid: String,
    /// File name under `sources/`.
    pub(super) name: String,
    pub(super) file: std::path::PathBuf,
    pub(super) caption: String,
}

/// Everything the project needs to know about one entry.
pub(super) struct Item<'a> {
    pub(super) entry: &'a Entry,
    pub(super) guid: String,
    pub(super) text: String,
    pub(super) pictures: Vec<Picture>,
    pub(super) comments: Vec<String>,
    /// The guids of the cases that code this entry's text (see `Export::cases_as_codes`).
    pub(super) cases: Vec<String>,
}

/// The guid of the case of account `handle`.
pub(super) fn case_guid(handle: &str) -> String {
    derived_guid(&format!("case:{handle}"))
}

/// The accounts that are cases: the journal's, then the other handles the entries name.
pub(super) fn case_handles<'a>(journal: &'a Journal, items: &'a [Item]) -> Vec<&'a str> {
    let mut handles: Vec<&str> = journal.accounts.iter().map(|a| a.handle.as_str()).collect();
    for item in items {
        for h in &item.entry.accounts {
            if !handles.contains(&h.as_str()) {
                handles.push(h);
            }
        }
    }
    handles
}

pub(super) fn write_cases(xml: &mut Xml, journal: &Journal, items: &[Item]) {
    let handles = case_handles(journal, items);
    if handles.is_empty() {
        return;
    }
    xml.start("Cases", &[]);
    for handle in handles {
        let account = journal.account(handle);
        xml.start(
            "Case",
            &[
                ("guid", &case_guid(handle)),
                ("name", &case_name(journal, handle)),
            ],
        );
        if let Some(a) = account {
            if !a.notes.trim().is_empty() {
                xml.text("Description", a.notes.trim());
            }
            value(xml, "platform", "TextValue", a.platform.as_str());
            if !a.category.is_empty() {
                value(xml, "category", "TextValue", &a.category);
            }
            if let Some((count, _)) = a.latest_followers() {
                value(xml, "followers", "IntegerValue", &count.to_string());
            }
        }
        for item in items {
            if item.entry.kind == Kind::Memo || !item.entry.accounts.iter().any(|h| h == handle) {
                continue;
            }
            xml.empty("SourceRef", &[("targetGUID", &item.guid)]);
            for p in &item.pictures {
                xml.empty("SourceRef", &[("targetGUID", &p.guid)]);
            }
        }
        xml.end("Case");
    }
    xml.end("Cases");
}

/// A case's name: `@handle`, or the pseudonym alone in a pseudonymised export.
pub(super) fn case_name(journal: &Journal, handle: &str) -> String {
    match journal.account(handle) {
        Some(a) if a.pseudonym == a.handle => a.handle.clone(),
        _ => format!("@{handle}"),
    }
}

pub(super) fn created(e: &Entry) -> String {
    utc(&e.recorded_at.unwrap_or(e.observed_at))
}

pub(super) fn write_text_source(
    xml: &mut Xml,
    element: &str,
    item: &Item,
    me: &str,
    code_guid: &dyn Fn(&str) -> String,
) {
    let e = item.entry;
    let at = created(e);
    let path = format!("internal://{}.txt", e.id);
    let name = if element == "TextSource" {
        text_source_name(e)
    } else {
        source_name(e)
    };
    xml.start(
        element,
        &[
            ("guid", &item.guid),
            ("name", &name),
            ("plainTextPath", &path),
            ("creatingUser", me),
            ("creationDateTime", &at),
        ],
    );
    let mut seen = HashSet::new();
    let codes: Vec<&String> = e.codes.iter().filter(|c| seen.insert(c.as_str())).collect();
    if !codes.is_empty() || !item.cases.is_empty() {
        let end = item.text.chars().count().to_string();
        xml.start(
            "PlainTextSelection",
            &[
                ("guid", &derived_guid(&format!("selection:{}", e.id))),
                ("name", &source_name(e)),
                ("startPosition", "0"),
                ("endPosition", &end),
                ("creatingUser", me),
                ("creationDateTime", &at),
            ],
        );
        for code in codes {
            write_coding(xml, &e.id, &code_guid(code), me, &at);
        }
        for case in &item.cases {
            write_coding(xml, &e.id, case, me, &at);
        }
        xml.end("PlainTextSelection");
    }
    write_passages(xml, item, me, code_guid);
    for note in &item.comments {
        xml.empty("NoteRef", &[("targetGUID", note)]);
    }
    if element == "TextSource" {
        value(xml, "kind", "TextValue", e.kind.as_str());
        value(xml, "observed_at", "DateTimeValue", &utc(&e.observed_at));
        if !e.informant.trim().is_empty() {
            value(xml, "informant", "TextValue", e.informant.trim());
        }
        if let Some(m) = &e.metrics {
            for (name, v) in m.counts() {
                if let Some(v) = v {
                    value(xml, name, "IntegerValue", &v.to_string());
                }
            }
        }
    }
    xml.end(element);
}

/// One `PlainTextSelection` per anchored passage (orphans have no place in the text;
/// `check` reports them), its positions in code points of the exported text.
pub(super) fn write_passages(
    xml: &mut Xml,
    item: &Item,
    me: &str,
    code_guid: &dyn Fn(&str) -> String,
) {
    let e = item.entry;
    let at = created(e);
    for (i, p) in e.passages.iter().enumerate() {
        let Some((start, end)) = passage_position(e, &item.text, p) else {
            continue;
        };
        let owner = format!("{}:passage:{i}:{}", e.id, p.quote);
        xml.start(
            "PlainTextSelection",
            &[
                ("guid", &derived_guid(&format!("selection:{owner}"))),
                ("name", &one_line(&p.quote)),
                ("startPosition", &start.to_string()),
                ("endPosition", &end.to_string()),
                ("creatingUser", me),
                ("creationDateTime", &at),
            ],
        );
        let mut seen = HashSet::new();
        for code in p.codes.iter().filter(|c| seen.insert(c.as_str())) {
            write_coding(xml, &owner, &code_guid(code), me, &at);
        }
        xml.end("PlainTextSelection");
    }
}

/// Where passage `p` of `e` stands in `text` (its exported source, see `source_text`),
/// in code points: the body follows the title and a blank line, cleaned character by
/// character by `xml_clean` (which drops CR), so the text there is the cleaned quote.
pub fn passage_position(
    e: &Entry,
    text: &str,
    p: &crate::model::Passage,
) -> Option<(usize, usize)> {
    let span = p.anchor(&e.body)?;
    let title = one_line(&e.title);
    let lead = if title.is_empty() {
        0
    } else {
        title.chars().count() + 2
    };
    let body_len = xml_clean(e.body.trim_end()).chars().count();
    let start = lead
        + xml_clean(&e.body[..span.start])
            .chars()
            .count()
            .min(body_len);
    let end = lead + xml_clean(&e.body[..span.end]).chars().count().min(body_len);
    (end > start && end <= text.chars().count()).then_some((start, end))
}

/// The name a screenshot's picture source is shown with, `2026-03-14 21.05 Caption.png`:
/// named like a file, with the extension of `file` (its name in the zip), for QualCoder
/// writes the picture under it.
pub fn picture_name(e: &Entry, caption: &str, file: &str) -> String {
    let stem = if caption.trim().is_empty() {
        format!("{} screenshot", source_name(e))
    } else {
        file_name(&format!(
            "{} {}",
            e.observed_at.civil().strftime("%Y-%m-%d %H.%M"),
            one_line(caption)
        ))
    };
    let extension = std::path::Path::new(file)
        .extension()
        .map_or(String::new(), |x| format!(".{}", x.to_string_lossy()));
    format!("{stem}{extension}")
}

pub(super) fn write_picture(
    xml: &mut Xml,
    item: &Item,
    p: &Picture,
    me: &str,
    code_guid: &dyn Fn(&str) -> String,
) {
    let e = item.entry;
    let at = created(e);
    let path = format!("internal://{}", p.name);
    let name = picture_name(e, &p.caption, &p.name);
    xml.start(
        "PictureSource",
        &[
            ("guid", &p.guid),
            ("name", &name),
            ("path", &path),
            ("creatingUser", me),
            ("creationDateTime", &at),
        ],
    );
    if !p.caption.trim().is_empty() {
        xml.text("Description", p.caption.trim());
    }
    // The entry's codes on a selection of the whole picture: QualCoder reads picture
    // codings only inside a `PictureSelection`.
    let mut seen = HashSet::new();
    let codes: Vec<&String> = e.codes.iter().filter(|c| seen.insert(c.as_str())).collect();
    if !codes.is_empty() {
        let (width, height) = image::image_dimensions(&p.file).unwrap_or((0, 0));
        let selection = derived_guid(&format!("picture-selection:{}", p.guid));
        xml.start(
            "PictureSelection",
            &[
                ("guid", &selection),
                // QualCoder takes a selection's name for the memo of each of its codings
                // (and fails on its export without one): empty, not the file's name.
                ("name", ""),
                ("firstX", "0"),
                ("firstY", "0"),
                ("secondX", &width.to_string()),
                ("secondY", &height.to_string()),
                ("creatingUser", me),
                ("creationDateTime", &at),
            ],
        );
        for code in codes {
            write_coding(xml, &p.guid, &code_guid(code), me, &at);
        }
        xml.end("PictureSelection");
    }
    xml.end("PictureSource");
}

/// A `Coding` of what `owner` names (an entry id, a picture's guid) with the code
/// `target`; its guid derives from both.
pub(super) fn write_coding(xml: &mut Xml, owner: &str, target: &str, me: &str, at: &str) {
    let guid = derived_guid(&format!("coding:{owner}:{target}"));
    xml.start(
        "Coding",
        &[
            ("guid", &guid),
            ("creatingUser", me),
            ("creationDateTime", at),
        ],
    );
    xml.empty("CodeRef", &[("targetGUID", target)]);
    xml.end("Coding");
}
