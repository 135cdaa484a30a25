//! REFI-QDA, the exchange standard of NVivo, ATLAS.ti, MAXQDA and QualCoder: a project
//! (`.qdpx`, a zip of `project.qde` and `sources/`) and a codebook (`.qdc`). The mapping
//! follows shared/refi/NOTES.md:
//!
//! - codebook groups are codes with `isCodable="false"`, their codes nested inside
//!   (and codes with a `parent` inside that code);
//! - each observation, content or interview entry is a `TextSource` whose text
//!   (`sources/<entry id>.txt`) is its title and body, with one `PlainTextSelection` over
//!   the whole text holding a `Coding` per code; its kind, observed time, informant and
//!   metrics are `VariableValue`s;
//! - each screenshot is a `PictureSource` (`sources/<entry id>-<n>.<ext>`), coded with
//!   its entry's codes, the caption as its `Description`;
//! - accounts are `Case`s with platform, category and followers, and a `SourceRef` to
//!   each of their sources; researchers and comment authors are `User`s;
//! - memos and reviewer comments are `Note`s; a source points at the comments on it.
//!
//! Every guid is stable across exports: a code keeps the guid of codebook.toml, and all
//! others are UUID v5 of what they stand for (entry id, code guid, handle), so a project
//! re-imported into NVivo updates instead of duplicating. Positions count code points.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use uuid::Uuid;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::{Export, ExportError, Output};
use crate::model::text::one_line;
use crate::model::{Code, Codebook, Entry, Journal, Kind, Moment};
use crate::store::check::is_uuid;

pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";

/// The namespace of every guid fieldnote derives.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://fieldnote.invalid/refi-qda")
}

/// The stable guid of `what` (`"source:<entry id>"` and the like).
pub fn derived_guid(what: &str) -> String {
    Uuid::new_v5(&namespace(), what.as_bytes()).to_string()
}

/// A code colour as REFI-QDA wants it, `#RRGGBB` (see `model::CodeColor`); `None` for
/// none or one that is not a colour.
pub fn hex_color(color: &str) -> Option<String> {
    color.parse::<crate::model::CodeColor>().ok()?.hex()
}

/// Text as XML 1.0 allows it: characters it forbids even escaped (C0 controls but tab
/// and line feed, U+FFFE, U+FFFF) become U+FFFD, carriage returns go.
pub fn xml_clean(text: &str) -> Cow<'_, str> {
    let bad = |c: char| (c < ' ' && c != '\t' && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}';
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter(|c| *c != '\r')
            .map(|c| if bad(c) { '\u{fffd}' } else { c })
            .collect(),
    )
}

/// A small layer over quick-xml's writer: every attribute and text is cleaned and
/// escaped, and writing to memory cannot fail.
struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    fn new() -> Xml {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .expect("writing to memory");
        Xml { w }
    }

    fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, xml_clean(v).as_ref()));
        }
        start
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w
            .write_event(Event::Start(Xml::element(name, attrs)))
            .expect("writing to memory");
    }

    fn end(&mut self, name: &str) {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .expect("writing to memory");
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w
            .write_event(Event::Empty(Xml::element(name, attrs)))
            .expect("writing to memory");
    }

    /// `<name>text</name>`.
    fn text(&mut self, name: &str, text: &str) {
        self.w
            .create_element(name)
            .write_text_content(BytesText::new(&xml_clean(text)))
            .expect("writing to memory");
    }

    fn finish(self) -> String {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        String::from_utf8(bytes).expect("quick-xml writes UTF-8")
    }
}

/// The guid each code is exported with: its own when it is a UUID used by no code
/// before it, else one derived from its id.
fn code_guids(book: &Codebook) -> HashMap<&str, String> {
    let mut seen = HashSet::new();
    book.codes
        .iter()
        .map(|c| {
            let own = c.guid.trim().to_ascii_lowercase();
            let guid = if is_uuid(&own) && seen.insert(own.clone()) {
                own
            } else {
                derived_guid(&format!("code:{}", c.id))
            };
            seen.insert(guid.clone());
            (c.id.as_str(), guid)
        })
        .collect()
}

/// A code of the exported hierarchy.
struct Node<'a> {
    guid: String,
    name: &'a str,
    codable: bool,
    color: Option<String>,
    description: &'a str,
    children: Vec<Node<'a>>,
}

/// Groups as non-codable codes holding their codes; codes with a parent inside it
/// (a parent that is missing or would make a cycle is ignored); codes of unknown groups
/// at the top. `extra` are code ids entries carry that the codebook lacks: they go in a
/// last group of their own.
fn code_tree<'a>(
    book: &'a Codebook,
    guids: &HashMap<&str, String>,
    extra: &'a [String],
) -> Vec<Node<'a>> {
    let parent_of = |c: &'a Code| -> Option<&'a str> {
        let mut at = book.code(&c.parent)?;
        for _ in 0..book.codes.len() {
            if at.id == c.id {
                return None;
            }
            match book.code(&at.parent) {
                Some(p) => at = p,
                None => return Some(c.parent.as_str()),
            }
        }
        None
    };
    let mut children: HashMap<&str, Vec<&Code>> = HashMap::new();
    let mut tops: Vec<&Code> = Vec::new();
    for c in &book.codes {
        match parent_of(c) {
            Some(p) => children.entry(p).or_default().push(c),
            None => tops.push(c),
        }
    }
    fn node<'a>(
        c: &'a Code,
        guids: &HashMap<&str, String>,
        children: &HashMap<&str, Vec<&'a Code>>,
    ) -> Node<'a> {
        Node {
            guid: guids[c.id.as_str()].clone(),
            name: if c.name.is_empty() { &c.id } else { &c.name },
            codable: true,
            color: hex_color(&c.color),
            description: &c.description,
            children: children
                .get(c.id.as_str())
                .map(|cs| cs.iter().map(|c| node(c, guids, children)).collect())
                .unwrap_or_default(),
        }
    }
    let mut roots: Vec<Node> = book
        .groups
        .iter()
        .map(|g| Node {
            guid: derived_guid(&format!("group:{}", g.id)),
            name: if g.name.is_empty() { &g.id } else { &g.name },
            codable: false,
            color: None,
            description: "",
            children: tops
                .iter()
                .filter(|c| c.group == g.id)
                .map(|c| node(c, guids, &children))
                .collect(),
        })
        .collect();
    roots.extend(
        tops.iter()
            .filter(|c| book.group(&c.group).is_none())
            .map(|c| node(c, guids, &children)),
    );
    if !extra.is_empty() {
        roots.push(Node {
            guid: derived_guid("group:(not in codebook)"),
            name: "Not in codebook",
            codable: false,
            color: None,
            description: "Codes that entries carry but codebook.toml does not define.",
            children: extra
                .iter()
                .map(|id| Node {
                    guid: derived_guid(&format!("code:{id}")),
                    name: id,
                    codable: true,
                    color: None,
                    description: "",
                    children: Vec::new(),
                })
                .collect(),
        });
    }
    roots
}

fn write_codes(xml: &mut Xml, nodes: &[Node]) {
    for n in nodes {
        let codable = if n.codable { "true" } else { "false" };
        let mut attrs = vec![("guid", n.guid.as_str()), ("name", n.name)];
        attrs.push(("isCodable", codable));
        if let Some(color) = &n.color {
            attrs.push(("color", color));
        }
        if n.description.trim().is_empty() && n.children.is_empty() {
            xml.empty("Code", &attrs);
            continue;
        }
        xml.start("Code", &attrs);
        if !n.description.trim().is_empty() {
            xml.text("Description", n.description.trim());
        }
        write_codes(xml, &n.children);
        xml.end("Code");
    }
}

/// The codebook as a `.qdc` file.
pub fn codebook(book: &Codebook) -> Result<String, ExportError> {
    if book.codes.is_empty() && book.groups.is_empty() {
        return Err(ExportError::Invalid(
            "the codebook is empty: there is nothing to export".into(),
        ));
    }
    let guids = code_guids(book);
    let mut xml = Xml::new();
    let origin = origin();
    xml.start("CodeBook", &[("xmlns", CODEBOOK_NS), ("origin", &origin)]);
    xml.start("Codes", &[]);
    write_codes(&mut xml, &code_tree(book, &guids, &[]));
    xml.end("Codes");
    xml.end("CodeBook");
    Ok(xml.finish())
}

fn origin() -> String {
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
fn source_name(e: &Entry) -> String {
    format!("{} {}", e.observed_at.short(), one_line(e.headline()))
        .trim_end()
        .to_string()
}

/// Variables: (name, type). Cases use the first three, sources the rest.
const VARIABLES: [(&str, &str); 12] = [
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

fn variable_guid(name: &str) -> String {
    derived_guid(&format!("variable:{name}"))
}

fn value(xml: &mut Xml, variable: &str, element: &str, text: &str) {
    xml.start("VariableValue", &[]);
    xml.empty("VariableRef", &[("targetGUID", &variable_guid(variable))]);
    xml.text(element, text);
    xml.end("VariableValue");
}

/// A picture of an entry that goes into the zip.
struct Picture {
    guid: String,
    /// File name under `sources/`.
    name: String,
    file: std::path::PathBuf,
    caption: String,
}

/// Everything the project needs to know about one entry.
struct Item<'a> {
    entry: &'a Entry,
    guid: String,
    text: String,
    pictures: Vec<Picture>,
    comments: Vec<String>,
}

/// Users: researchers, then comment authors, each once.
fn users(journal: &Journal, export: &Export) -> Vec<(String, String)> {
    let mut names: Vec<String> = journal.settings.researchers.clone();
    if names.is_empty() {
        names.push(journal.settings.first_researcher());
    }
    for c in export.comments() {
        if !names.contains(&c.author) {
            names.push(c.author.clone());
        }
    }
    names
        .into_iter()
        .map(|n| (derived_guid(&format!("user:{n}")), n))
        .collect()
}

/// The whole project as a `.qdpx` zip.
pub fn project(export: &Export) -> Result<Output, ExportError> {
    let journal: &Journal = &export.journal;
    let mut out = Output::default();
    let users = users(journal, export);
    let user_of: HashMap<&str, &str> = users
        .iter()
        .map(|(g, n)| (n.as_str(), g.as_str()))
        .collect();
    let me = users[0].0.as_str();
    let guids = code_guids(&journal.codebook);
    let mut extra: Vec<String> = export
        .entries()
        .flat_map(|e| e.codes.iter())
        .filter(|c| journal.codebook.code(c).is_none())
        .cloned()
        .collect();
    extra.sort_unstable();
    extra.dedup();
    let code_guid = |id: &str| -> String {
        guids
            .get(id)
            .cloned()
            .unwrap_or_else(|| derived_guid(&format!("code:{id}")))
    };

    let comments = export.comments();
    let items: Vec<Item> = export
        .entries()
        .map(|e| {
            let pictures = e
                .screenshots
                .iter()
                .enumerate()
                .filter_map(|(n, shot)| {
                    let file = match export.media_file(&shot.path) {
                        Ok(file) => file,
                        Err(reason) => {
                            out.warnings.push(format!(
                                "screenshot {} of {} is left out: {reason}",
                                one_line(&shot.path),
                                e.id
                            ));
                            return None;
                        }
                    };
                    if !file.is_file() {
                        out.warnings.push(format!(
                            "screenshot {} of {} is missing: left out",
                            shot.path, e.id
                        ));
                        return None;
                    }
                    Some(Picture {
                        guid: derived_guid(&format!("picture:{}:{n}", e.id)),
                        name: super::pseudonym::neutral_name(&e.id, n, &shot.path),
                        file,
                        caption: shot.caption.clone(),
                    })
                })
                .collect();
            Item {
                entry: e,
                guid: derived_guid(&format!("source:{}", e.id)),
                text: source_text(e),
                pictures,
                comments: comments
                    .iter()
                    .filter(|c| c.entry == e.id)
                    .map(|c| comment_guid(&c.entry, &c.id))
                    .collect(),
            }
        })
        .collect();

    let mut xml = Xml::new();
    let origin = origin();
    let title = if journal.settings.title.trim().is_empty() {
        "fieldnote journal".to_string()
    } else {
        one_line(&journal.settings.title)
    };
    xml.start(
        "Project",
        &[
            ("xmlns", PROJECT_NS),
            ("name", &title),
            ("origin", &origin),
            ("creatingUserGUID", me),
        ],
    );

    xml.start("Users", &[]);
    for (guid, name) in &users {
        xml.empty("User", &[("guid", guid), ("name", name)]);
    }
    xml.end("Users");

    let tree = code_tree(&journal.codebook, &guids, &extra);
    if !tree.is_empty() {
        xml.start("CodeBook", &[]);
        xml.start("Codes", &[]);
        write_codes(&mut xml, &tree);
        xml.end("Codes");
        xml.end("CodeBook");
    }

    xml.start("Variables", &[]);
    for (name, kind) in VARIABLES {
        xml.empty(
            "Variable",
            &[
                ("guid", &variable_guid(name)),
                ("name", name),
                ("typeOfVariable", kind),
            ],
        );
    }
    xml.end("Variables");

    write_cases(&mut xml, journal, &items);

    let sources: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind != Kind::Memo)
        .collect();
    if !sources.is_empty() {
        xml.start("Sources", &[]);
        for item in &sources {
            write_text_source(&mut xml, "TextSource", item, me, &code_guid);
            for p in &item.pictures {
                write_picture(&mut xml, item, p, me, &code_guid);
            }
        }
        xml.end("Sources");
    }

    let memos: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind == Kind::Memo)
        .collect();
    if !memos.is_empty() || !comments.is_empty() {
        xml.start("Notes", &[]);
        for item in &memos {
            write_text_source(&mut xml, "Note", item, me, &code_guid);
        }
        for c in &comments {
            let at = c.at.to_string();
            let author = user_of.get(c.author.as_str()).copied().unwrap_or(me);
            let guid = comment_guid(&c.entry, &c.id);
            let path = format!("internal://{}", comment_file(&c.entry, &c.id));
            let name = format!(
                "Comment by {} on {}",
                one_line(&c.author),
                journal.entry(&c.entry).map_or(c.entry.clone(), source_name)
            );
            xml.empty(
                "Note",
                &[
                    ("guid", &guid),
                    ("name", &name),
                    ("plainTextPath", &path),
                    ("creatingUser", author),
                    ("creationDateTime", &at),
                ],
            );
        }
        xml.end("Notes");
    }

    let description = format!(
        "Exported by {origin} from a field journal: {}{}{}.",
        crate::model::text::counted(items.len(), "entry", "entries"),
        if export.filter.is_empty() {
            String::new()
        } else {
            format!(" (selected: {})", export.filter)
        },
        if export.is_pseudonymised() {
            "; pseudonymised"
        } else {
            ""
        }
    );
    xml.text("Description", &description);
    for item in &memos {
        xml.empty("NoteRef", &[("targetGUID", &item.guid)]);
    }
    xml.end("Project");
    let qde = xml.finish();
    export.check("project.qde", &qde)?;

    out.bytes = zip_project(export, &qde, &items, &comments)?;
    Ok(out)
}

fn comment_guid(entry: &str, comment: &str) -> String {
    derived_guid(&format!("comment:{entry}:{comment}"))
}

fn comment_file(entry: &str, comment: &str) -> String {
    format!("{entry}-comment-{comment}.txt")
}

fn write_cases(xml: &mut Xml, journal: &Journal, items: &[Item]) {
    let mut handles: Vec<&str> = journal.accounts.iter().map(|a| a.handle.as_str()).collect();
    for item in items {
        for h in &item.entry.accounts {
            if !handles.contains(&h.as_str()) {
                handles.push(h);
            }
        }
    }
    if handles.is_empty() {
        return;
    }
    xml.start("Cases", &[]);
    for handle in handles {
        let account = journal.account(handle);
        let name = match account {
            Some(a) if a.pseudonym == a.handle => a.handle.clone(),
            _ => format!("@{handle}"),
        };
        xml.start(
            "Case",
            &[
                ("guid", &derived_guid(&format!("case:{handle}"))),
                ("name", &name),
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

fn created(e: &Entry) -> String {
    e.recorded_at.unwrap_or(e.observed_at).to_string()
}

fn write_text_source(
    xml: &mut Xml,
    element: &str,
    item: &Item,
    me: &str,
    code_guid: &dyn Fn(&str) -> String,
) {
    let e = item.entry;
    let at = created(e);
    let path = format!("internal://{}.txt", e.id);
    xml.start(
        element,
        &[
            ("guid", &item.guid),
            ("name", &source_name(e)),
            ("plainTextPath", &path),
            ("creatingUser", me),
            ("creationDateTime", &at),
        ],
    );
    let mut seen = HashSet::new();
    let codes: Vec<&String> = e.codes.iter().filter(|c| seen.insert(c.as_str())).collect();
    if !codes.is_empty() {
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
        xml.end("PlainTextSelection");
    }
    write_passages(xml, item, me, code_guid);
    for note in &item.comments {
        xml.empty("NoteRef", &[("targetGUID", note)]);
    }
    if element == "TextSource" {
        value(xml, "kind", "TextValue", e.kind.as_str());
        value(
            xml,
            "observed_at",
            "DateTimeValue",
            &e.observed_at.to_string(),
        );
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
fn write_passages(xml: &mut Xml, item: &Item, me: &str, code_guid: &dyn Fn(&str) -> String) {
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

fn write_picture(
    xml: &mut Xml,
    item: &Item,
    p: &Picture,
    me: &str,
    code_guid: &dyn Fn(&str) -> String,
) {
    let e = item.entry;
    let at = created(e);
    let path = format!("internal://{}", p.name);
    let name = if p.caption.trim().is_empty() {
        format!("{} screenshot", source_name(e))
    } else {
        format!("{} {}", e.observed_at.short(), one_line(&p.caption))
    };
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
    let mut seen = HashSet::new();
    for code in e.codes.iter().filter(|c| seen.insert(c.as_str())) {
        write_coding(xml, &p.guid, &code_guid(code), me, &at);
    }
    xml.end("PictureSource");
}

/// A `Coding` of what `owner` names (an entry id, a picture's guid) with the code
/// `target`; its guid derives from both.
fn write_coding(xml: &mut Xml, owner: &str, target: &str, me: &str, at: &str) {
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

/// A zip entry's time: the local wall-clock time of `m` (zip has no zones), so the
/// same journal always gives the same bytes.
fn zip_time(m: &Moment) -> zip::DateTime {
    let c = m.civil();
    zip::DateTime::from_date_and_time(
        c.year().clamp(1980, 2107) as u16,
        c.month() as u8,
        c.day() as u8,
        c.hour() as u8,
        c.minute() as u8,
        c.second() as u8,
    )
    .unwrap_or_default()
}

fn zip_project(
    export: &Export,
    qde: &str,
    items: &[Item],
    comments: &[&crate::model::Comment],
) -> Result<Vec<u8>, ExportError> {
    let zip_error =
        |e: &dyn std::fmt::Display| ExportError::Invalid(format!("cannot write the zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6));
    // Pictures are compressed already.
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut put = |name: &str, bytes: &[u8], options: SimpleFileOptions, at: &Moment| {
        zip.start_file(name, options.last_modified_time(zip_time(at)))
            .map_err(|e| zip_error(&e))?;
        zip.write_all(bytes).map_err(|e| zip_error(&e))
    };
    let latest = items
        .iter()
        .map(|i| i.entry.recorded_at.unwrap_or(i.entry.observed_at))
        .max()
        .unwrap_or_else(|| Moment::in_zone(jiff::Timestamp::UNIX_EPOCH, &jiff::tz::TimeZone::UTC));
    put("project.qde", qde.as_bytes(), deflated, &latest)?;
    for item in items {
        let at = item.entry.recorded_at.unwrap_or(item.entry.observed_at);
        export.check(&format!("the text of {}", item.entry.id), &item.text)?;
        put(
            &format!("sources/{}.txt", item.entry.id),
            item.text.as_bytes(),
            deflated,
            &at,
        )?;
        for p in &item.pictures {
            // Only a regular file, and not without bound (a pipe would never end).
            let bytes =
                crate::store::read::read_regular(&p.file, crate::store::media::MAX_ATTACH_BYTES)
                    .map_err(|e| ExportError::io(&p.file, e))?;
            put(&format!("sources/{}", p.name), &bytes, stored, &at)?;
        }
    }
    for c in comments {
        let text = format!("{}\n", xml_clean(c.body.trim_end()));
        export.check(&format!("the comment {}", c.id), &text)?;
        put(
            &format!("sources/{}", comment_file(&c.entry, &c.id)),
            text.as_bytes(),
            deflated,
            &c.at,
        )?;
    }
    let cursor = zip.finish().map_err(|e| zip_error(&e))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passage_positions_count_code_points_of_the_exported_text() {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new("20260314-210512-7f3a".into(), at, at);
        e.title = "Hard 👋🏽 text".into();
        e.body = "Café e\u{301} 👩‍👩‍👧 ok\r\nسلام عليكم said she\r\nlast 🙂 line\r\n\r\n".into();
        for quote in ["e\u{301} 👩‍👩‍👧", "سلام عليكم", "ok\r\nسلام", "🙂 line\r\n"]
        {
            let span = e.body.find(quote).unwrap();
            e.code_span(span..span + quote.len(), &["x".into()]);
        }
        let text = source_text(&e);
        let chars: Vec<char> = text.chars().collect();
        for p in &e.passages {
            let (start, end) = passage_position(&e, &text, p).unwrap();
            let exported: String = chars[start..end].iter().collect();
            let expected = xml_clean(&p.quote);
            // A quote running into the trailing line end the export trims keeps the rest.
            let expected = expected
                .strip_suffix('\n')
                .filter(|_| end == chars.len() - 1);
            assert_eq!(
                exported,
                expected.map_or(xml_clean(&p.quote), Cow::Borrowed),
                "{p:?}"
            );
        }
    }

    #[test]
    fn colours_become_rgb() {
        assert_eq!(hex_color("yellow").as_deref(), Some("#CDCD00"));
        assert_eq!(hex_color("lightblue").as_deref(), Some("#5C5CFF"));
        assert_eq!(hex_color("#d79921").as_deref(), Some("#D79921"));
        assert_eq!(hex_color("#abc").as_deref(), Some("#AABBCC"));
        assert_eq!(hex_color("").as_deref(), None);
        assert_eq!(hex_color("no such colour"), None);
        assert_eq!(hex_color("196").as_deref(), Some("#FF0000"));
        assert_eq!(hex_color("244").as_deref(), Some("#808080"));
    }

    #[test]
    fn guids_are_stable_and_distinct() {
        assert_eq!(derived_guid("source:x"), derived_guid("source:x"));
        assert_ne!(derived_guid("source:x"), derived_guid("source:y"));
        assert!(is_uuid(&derived_guid("source:x")));
        let book = Codebook {
            codes: vec![
                Code {
                    id: "a".into(),
                    guid: "8F2D3C4A-1B6E-4F7A-9C0D-2E5B6A7C8D9E".into(),
                    ..Code::default()
                },
                Code {
                    id: "b".into(),
                    guid: "8f2d3c4a-1b6e-4f7a-9c0d-2e5b6a7c8d9e".into(),
                    ..Code::default()
                },
                Code {
                    id: "c".into(),
                    guid: "A1".into(),
                    ..Code::default()
                },
            ],
            ..Codebook::default()
        };
        let g = code_guids(&book);
        assert_eq!(g["a"], "8f2d3c4a-1b6e-4f7a-9c0d-2e5b6a7c8d9e");
        assert_eq!(
            g["b"],
            derived_guid("code:b"),
            "a duplicate guid is not reused"
        );
        assert_eq!(g["c"], derived_guid("code:c"));
    }

    #[test]
    fn xml_text_is_cleaned_and_escaped() {
        assert_eq!(xml_clean("a\u{1b}b\r\nc\u{7}"), "a\u{fffd}b\nc\u{fffd}");
        let mut xml = Xml::new();
        xml.text("Description", "<b> & \"q\" \u{1b}");
        let s = xml.finish();
        assert!(
            s.contains("<Description>&lt;b&gt; &amp; &quot;q&quot; \u{fffd}</Description>"),
            "{s}"
        );
    }

    #[test]
    fn hierarchy_nests_children_and_survives_cycles() {
        let code = |id: &str, parent: &str| Code {
            id: id.into(),
            group: "g".into(),
            name: id.into(),
            parent: parent.into(),
            ..Code::default()
        };
        let book = Codebook {
            groups: vec![crate::model::Group {
                id: "g".into(),
                name: "G".into(),
            }],
            codes: vec![
                code("a", ""),
                code("b", "a"),
                code("x", "y"),
                code("y", "x"),
                code("z", "gone"),
            ],
        };
        let guids = code_guids(&book);
        let tree = code_tree(&book, &guids, &[]);
        assert_eq!(tree.len(), 1);
        let names: Vec<&str> = tree[0].children.iter().map(|n| n.name).collect();
        assert_eq!(names, ["a", "x", "y", "z"]);
        assert_eq!(tree[0].children[0].children[0].name, "b");
    }
}
