//! Importing a REFI-QDA codebook (`.qdc`, or the codebook inside a `.qdpx`) into the
//! journal's codebook, so a team can start from a codebook made in another tool.
//!
//! Nothing is deleted; codes are matched by guid, else by name (any case) within their
//! group, and updated (name, colour, description, parent), new ones added:
//! - a top-level code with children becomes a group (dimension); if it is codable it is
//!   also a code of that group, the parent of its children;
//! - a top-level code without children becomes a code of the group `imported` (or, when
//!   not codable, an empty group);
//! - deeper codes become codes of their top-level group, with their parent code set;
//! - a deeper category (not codable) becomes a group of its own, holding its codes;
//! - ids are slugs of the names, made unique; a guid that is not a UUID (some tools
//!   write other ids) is replaced by a UUID v5 of it, stable across imports;
//! - colours are kept as `#rrggbb`, unless the code's current colour is the same colour
//!   by another name (`yellow`).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::interop::export::refi::{derived_guid, hex_color};
use crate::model::text::one_line;
use crate::model::{Code, Codebook, Group, slugify};
use crate::store::check::is_uuid;

/// A code as read from the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub guid: String,
    pub name: String,
    pub codable: bool,
    pub color: String,
    pub description: String,
    pub children: Vec<Imported>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Invalid(String),
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub groups_added: usize,
    pub codes_added: usize,
    pub codes_updated: usize,
    pub codes_unchanged: usize,
}

/// The group that takes top-level codes without children.
pub const IMPORTED_GROUP: &str = "imported";

/// Read the code tree of a `.qdc` file, or of the `project.qde` inside a `.qdpx`.
pub fn read(bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
    read_checked(bytes).map(|(roots, _)| roots)
}

/// [`read`], with what the file does wrong against the REFI-QDA schema (Codebook.xsd):
/// a missing or malformed `guid`, `name`, `isCodable` or `color`, a foreign root
/// element. Such files are still read, as far as they can be; the warnings are for
/// people, who may want to fix the tool that wrote it.
pub fn read_checked(bytes: &[u8]) -> Result<(Vec<Imported>, Vec<String>), ImportError> {
    if bytes.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| ImportError::Invalid(format!("not a readable zip: {e}")))?;
        let mut qde = zip.by_name("project.qde").map_err(|_| {
            ImportError::Invalid("the zip holds no project.qde: it is not a .qdpx".into())
        })?;
        let mut text = String::new();
        qde.read_to_string(&mut text)
            .map_err(|e| ImportError::Invalid(format!("project.qde: {e}")))?;
        return parse_checked(&text);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::Invalid("the file is not UTF-8 text".into()))?;
    parse_checked(text.trim_start_matches('\u{feff}'))
}

/// The codes under `<Codes>` (of a `CodeBook`, in either namespace).
pub fn parse(xml: &str) -> Result<Vec<Imported>, ImportError> {
    parse_checked(xml).map(|(roots, _)| roots)
}

/// [`parse`], with the schema warnings of [`read_checked`].
fn parse_checked(xml: &str) -> Result<(Vec<Imported>, Vec<String>), ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut roots: Vec<Imported> = Vec::new();
    let mut stack: Vec<Imported> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut in_codes = false;
    let mut codes_seen = false;
    let mut description: Option<String> = None;
    // Guids of the project's cases: a code with one of them stands for a case (NVivo
    // writes cases so, and fieldnote's `export --cases-as-codes`), not for a theme.
    let mut cases: HashSet<String> = HashSet::new();
    loop {
        let event = next_event(&mut reader, "")?;
        if let Event::Start(e) | Event::Empty(e) = &event
            && !root_seen
        {
            root_seen = true;
            check_root(e, &mut warnings);
        }
        match event {
            Event::Start(e) if in_codes && local(&e) == "Code" => {
                stack.push(start_code(&e, &mut warnings)?)
            }
            // `<Code .../>` has no end event: it closes at once.
            Event::Empty(e) if in_codes && local(&e) == "Code" => {
                stack.push(start_code(&e, &mut warnings)?);
                close(&mut stack, &mut roots);
            }
            Event::Start(e) if local(&e) == "Codes" && stack.is_empty() => {
                in_codes = true;
                codes_seen = true;
            }
            Event::Start(e) | Event::Empty(e) if !in_codes && local(&e) == "Case" => {
                if let Some(guid) = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "guid")
                {
                    let guid = guid.value.to_string();
                    cases.insert(guid.trim().trim_matches(['{', '}']).to_ascii_lowercase());
                }
            }
            Event::Start(e) if in_codes && local(&e) == "Description" && !stack.is_empty() => {
                description = Some(String::new());
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                if let Some(d) = description.as_mut() {
                    push_text(d, &event);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Description" => {
                    if let (Some(d), Some(code)) = (description.take(), stack.last_mut()) {
                        code.description = d.trim().to_string();
                    }
                }
                "Code" if in_codes => close(&mut stack, &mut roots),
                "Codes" if stack.is_empty() => in_codes = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !codes_seen {
        return Err(ImportError::Invalid(
            "no <Codes> element: this is not a REFI-QDA codebook".into(),
        ));
    }
    drop_cases(&mut roots, &cases);
    Ok((roots, warnings))
}

/// `codes` without those that stand for a case (their guid is a case's).
fn drop_cases(codes: &mut Vec<Imported>, cases: &HashSet<String>) {
    if cases.is_empty() {
        return;
    }
    codes.retain(|c| !cases.contains(&c.guid.to_ascii_lowercase()));
    for c in codes {
        drop_cases(&mut c.children, cases);
    }
}

/// The root must be a `CodeBook` (or, in a .qdpx, a `Project`) in REFI-QDA's namespace.
fn check_root(e: &BytesStart, warnings: &mut Vec<String>) {
    let name = local(e);
    let expected = match name.as_str() {
        "CodeBook" => "urn:QDA-XML:codebook:1.0",
        "Project" => "urn:QDA-XML:project:1.0",
        _ => {
            warnings.push(format!(
                "the root element is <{name}>, not <CodeBook> or <Project>"
            ));
            return;
        }
    };
    let namespace = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == "xmlns")
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        });
    if namespace.as_deref() != Some(expected) {
        warnings.push(format!(
            "<{name}> is not in the REFI-QDA namespace {expected} (xmlns is {})",
            namespace.map_or("missing".to_string(), |n| format!("`{n}`"))
        ));
    }
}

/// The next event of `reader`, or where (in `file`, when named) the XML breaks.
pub(super) fn next_event<'a>(
    reader: &mut Reader<&'a [u8]>,
    file: &str,
) -> Result<Event<'a>, ImportError> {
    reader.read_event().map_err(|e| {
        let file = if file.is_empty() {
            String::new()
        } else {
            format!("{file}: ")
        };
        ImportError::Invalid(format!(
            "{file}not well-formed XML near byte {}: {e}",
            reader.buffer_position()
        ))
    })
}

/// The text an event carries (text, CDATA, a character or entity reference) appended to
/// `text`; other events add nothing.
pub(super) fn push_text(text: &mut String, event: &Event) {
    match event {
        Event::Text(t) => text.push_str(&t.xml10_content()),
        Event::CData(t) => text.push_str(t),
        Event::GeneralRef(r) => push_reference(text, r),
        _ => {}
    }
}

/// The text of a character or entity reference (`&#233;`, `&amp;`) appended to `text`;
/// an entity XML does not define becomes U+FFFD.
fn push_reference(text: &mut String, r: &quick_xml::events::BytesRef) {
    match r.resolve_char_ref() {
        Ok(Some(c)) => text.push(c),
        _ => text.push_str(match r.as_ref() {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "apos" => "'",
            "quot" => "\"",
            _ => "\u{fffd}",
        }),
    }
}

fn close(stack: &mut Vec<Imported>, roots: &mut Vec<Imported>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

pub(super) fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

fn start_code(e: &BytesStart, warnings: &mut Vec<String>) -> Result<Imported, ImportError> {
    let bad = |e: &dyn std::fmt::Display| ImportError::Invalid(format!("a <Code> element: {e}"));
    let mut code = Imported {
        codable: true,
        ..Imported::default()
    };
    let (mut guid, mut name, mut codable) = (None, None, None);
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|e| bad(&e))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| bad(&e))?
            .into_owned();
        match attr.key.local_name().as_ref() {
            "guid" => {
                code.guid = value.trim().trim_matches(['{', '}']).to_string();
                guid = Some(value.trim().to_string());
            }
            "name" => {
                code.name = value.trim().to_string();
                name = Some(());
            }
            "isCodable" => {
                code.codable = !matches!(value.trim(), "false" | "0");
                codable = Some(value.trim().to_string());
            }
            "color" => code.color = value.trim().to_string(),
            _ => {}
        }
    }
    // What Codebook.xsd requires of a <Code>, said about the code by its name.
    let which = if code.name.is_empty() {
        "a code".to_string()
    } else {
        format!("code `{}`", one_line(&code.name))
    };
    let mut warn = |what: String| warnings.push(format!("{which}: {what}"));
    match &guid {
        None => warn("no guid".into()),
        Some(g) if !is_uuid(g.trim_matches(['{', '}'])) => {
            warn(format!("guid `{}` is not a GUID", one_line(g)))
        }
        Some(_) => {}
    }
    if name.is_none() {
        warn("no name".into());
    }
    match codable.as_deref() {
        None => warn("no isCodable".into()),
        Some("true" | "false" | "1" | "0") => {}
        Some(other) => warn(format!(
            "isCodable `{}` is not true or false",
            one_line(other)
        )),
    }
    if !code.color.is_empty() && !is_rgb(&code.color) {
        warn(format!(
            "colour `{}` is not #rrggbb or #rgb",
            one_line(&code.color)
        ));
    }
    Ok(code)
}

/// `#rrggbb` or `#rgb`, as Codebook.xsd's RGBType.
fn is_rgb(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `book` with the imported codes merged in, and what changed.
pub fn merge(book: &Codebook, roots: &[Imported]) -> (Codebook, Summary) {
    let merged = merge_mapped(book, roots, false);
    (merged.book, merged.summary)
}

/// A codebook merge, with which code of the journal each imported code became.
pub struct Merged {
    pub book: Codebook,
    pub summary: Summary,
    /// Imported guid (lower case, without braces) → the journal's code id. Codes that
    /// only group others (not codable) are not in it.
    pub code_ids: HashMap<String, String>,
}

/// [`merge`], keeping the imported guid of every code it matched or added, so that
/// codings made with those guids can be put on the journal's codes. With
/// `keep_matched`, codes the codebook has are only matched, never changed: a tool's
/// palette (QualCoder moves every colour to its nearest own) does not overwrite the
/// journal's.
pub fn merge_mapped(book: &Codebook, roots: &[Imported], keep_matched: bool) -> Merged {
    let mut m = Merger::new(book);
    m.keep_matched = keep_matched;
    for root in roots {
        m.root(root);
    }
    Merged {
        book: m.book,
        summary: m.summary,
        code_ids: m.code_ids,
    }
}

/// `book` with the tags of a codebook CSV (Taguette's) merged in: a tag names the code
/// of that name (any case, in any group: the CSV has no groups) and may update its
/// description; a tag no code is named after becomes a code of the group `imported`.
pub fn merge_tags(book: &Codebook, tags: &[crate::interop::taguette::Tag]) -> (Codebook, Summary) {
    let mut m = Merger::new(book);
    for tag in tags {
        let found = m.book.codes.iter_mut().find(|c| {
            c.name.eq_ignore_ascii_case(&tag.name) || (c.name.is_empty() && c.id == tag.name)
        });
        match found {
            Some(code) if !tag.description.is_empty() && code.description != tag.description => {
                code.description = tag.description.clone();
                m.summary.codes_updated += 1;
            }
            Some(_) => m.summary.codes_unchanged += 1,
            None => {
                let group = m.group(IMPORTED_GROUP, "Imported codes", "");
                let node = Imported {
                    name: tag.name.clone(),
                    codable: true,
                    description: tag.description.clone(),
                    ..Imported::default()
                };
                m.code(&node, &group, "", "");
            }
        }
    }
    (m.book, m.summary)
}

struct Merger {
    book: Codebook,
    summary: Summary,
    ids: HashSet<String>,
    code_ids: HashMap<String, String>,
    /// Leave codes already in the codebook as they are (only add new ones).
    keep_matched: bool,
}

impl Merger {
    fn new(book: &Codebook) -> Merger {
        Merger {
            book: book.clone(),
            summary: Summary::default(),
            ids: book.codes.iter().map(|c| c.id.clone()).collect(),
            code_ids: HashMap::new(),
            keep_matched: false,
        }
    }

    fn root(&mut self, root: &Imported) {
        if root.children.is_empty() {
            if root.codable {
                let group = self.group(IMPORTED_GROUP, "Imported codes", "");
                self.code(root, &group, "", "");
            } else {
                self.group(&slug_or(&root.name, "group"), &root.name, &root.description);
            }
            return;
        }
        let group = self.group(&slug_or(&root.name, "group"), &root.name, &root.description);
        let parent = if root.codable {
            self.code(root, &group, "", "")
        } else {
            String::new()
        };
        let path = root.name.clone();
        for child in &root.children {
            self.subtree(child, &group, &parent, &path);
        }
    }

    fn subtree(&mut self, node: &Imported, group: &str, parent: &str, path: &str) {
        if !node.codable {
            // A category inside a category (QualCoder nests them): a group of its own,
            // holding its codes, never a code nobody may apply.
            let inner = self.group(&slug_or(&node.name, "group"), &node.name, &node.description);
            let path = format!("{path}/{}", node.name);
            for child in &node.children {
                self.subtree(child, &inner, "", &path);
            }
            return;
        }
        let id = self.code(node, group, parent, path);
        let path = format!("{path}/{}", node.name);
        for child in &node.children {
            self.subtree(child, group, &id, &path);
        }
    }

    /// The id of the group named `name` (matched by id or by name), added if missing;
    /// a `description` the file gives replaces the group's.
    fn group(&mut self, id: &str, name: &str, description: &str) -> String {
        if let Some(g) = self
            .book
            .groups
            .iter_mut()
            .find(|g| g.id == id || (!name.is_empty() && g.name.eq_ignore_ascii_case(name)))
        {
            if !description.is_empty() {
                g.description = description.to_string();
            }
            return g.id.clone();
        }
        let name = if name.is_empty() { id } else { name };
        self.book.groups.push(Group {
            id: id.to_string(),
            name: name.to_string(),
            description: description.to_string(),
        });
        self.summary.groups_added += 1;
        id.to_string()
    }

    /// Add or update the code for `node`; returns its id.
    fn code(&mut self, node: &Imported, group: &str, parent: &str, path: &str) -> String {
        let id = self.add_or_update(node, group, parent, path);
        if !node.guid.is_empty() {
            self.code_ids
                .insert(node.guid.to_ascii_lowercase(), id.clone());
        }
        id
    }

    fn add_or_update(&mut self, node: &Imported, group: &str, parent: &str, path: &str) -> String {
        let guid = if is_uuid(&node.guid) {
            node.guid.to_ascii_lowercase()
        } else if !node.guid.is_empty() {
            derived_guid(&format!("qdc-id:{}", node.guid))
        } else {
            derived_guid(&format!("qdc-name:{path}/{}", node.name))
        };
        let color = hex_color(&node.color).map(|c| c.to_ascii_lowercase());
        let name = if node.name.is_empty() {
            "unnamed code"
        } else {
            &node.name
        };
        // By guid; else by name within the group, since some tools (QualCoder) make
        // new guids on every export. A code matched by name keeps its own guid.
        let found = self
            .book
            .codes
            .iter()
            .position(|c| c.guid.eq_ignore_ascii_case(&guid))
            .or_else(|| {
                self.book
                    .codes
                    .iter()
                    .position(|c| c.group == group && c.name.eq_ignore_ascii_case(name))
            });
        if let Some(code) = found.map(|i| &mut self.book.codes[i]) {
            if self.keep_matched {
                self.summary.codes_unchanged += 1;
                return code.id.clone();
            }
            let before = code.clone();
            code.name = name.to_string();
            if !node.description.is_empty() {
                code.description = node.description.clone();
            }
            if hex_color(&code.color).map(|c| c.to_ascii_lowercase()) != color {
                code.color = color.unwrap_or_default();
            }
            code.parent = parent.to_string();
            if *code == before {
                self.summary.codes_unchanged += 1;
            } else {
                self.summary.codes_updated += 1;
            }
            return code.id.clone();
        }
        let base = slug_or(name, "code");
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        self.book.codes.push(Code {
            id: id.clone(),
            group: group.to_string(),
            name: name.to_string(),
            key: String::new(),
            color: color.unwrap_or_default(),
            description: node.description.clone(),
            guid,
            parent: parent.to_string(),
        });
        self.summary.codes_added += 1;
        id
    }
}

fn slug_or(name: &str, fallback: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOREIGN: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Other tool">
  <Codes>
    <Code guid="{0A1B2C3D-0000-4000-8000-000000000001}" name="Themes &amp; motives" isCodable="true" color="#f00">
      <Description>Top &lt;level&gt; &#233;</Description>
      <Code guid="C2" name="Money" isCodable="true">
        <Code guid="C3" name="Price talk" isCodable="true" color="#00FF00"/>
      </Code>
    </Code>
    <Code guid="C4" name="Loose" isCodable="true"/>
    <Code guid="C5" name="Empty group" isCodable="false"/>
  </Codes>
</CodeBook>"##;

    #[test]
    fn reads_a_foreign_codebook_leniently() {
        let roots = read(FOREIGN.as_bytes()).unwrap();
        assert_eq!(roots.len(), 3);
        assert_eq!(roots[0].name, "Themes & motives");
        assert_eq!(roots[0].description, "Top <level> é");
        assert_eq!(roots[0].guid, "0A1B2C3D-0000-4000-8000-000000000001");
        assert_eq!(roots[0].children[0].children[0].name, "Price talk");
        assert!(!roots[2].codable);

        let existing = Codebook {
            codes: vec![Code {
                id: "money".into(),
                group: "x".into(),
                ..Code::default()
            }],
            ..Codebook::default()
        };
        let (book, summary) = merge(&existing, &roots);
        let ids: Vec<&str> = book.codes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["money", "themes-motives", "money-2", "price-talk", "loose"]
        );
        let groups: Vec<&str> = book.groups.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(groups, ["themes-motives", "imported", "empty-group"]);
        let top = book.code("themes-motives").unwrap();
        assert_eq!(top.guid, "0a1b2c3d-0000-4000-8000-000000000001");
        assert_eq!(top.color, "#ff0000");
        assert_eq!(book.code("money-2").unwrap().parent, "themes-motives");
        let price = book.code("price-talk").unwrap();
        assert_eq!(price.parent, "money-2");
        assert_eq!(price.group, "themes-motives");
        assert_eq!(price.guid, derived_guid("qdc-id:C3"));
        assert_eq!(book.code("loose").unwrap().group, IMPORTED_GROUP);
        assert_eq!(summary.codes_added, 4);
        assert_eq!(summary.groups_added, 3);

        // Importing again changes nothing.
        let (again, summary) = merge(&book, &roots);
        assert_eq!(again, book);
        assert_eq!(summary.codes_unchanged, 4);
        assert_eq!(summary.codes_added, 0);
    }

    const QUALCODER: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="11111111-2222-4333-8444-555555555555" name="Themes" isCodable="false">
      <Description>What posts are about</Description>
      <Code guid="11111111-2222-4333-8444-000000000001" name="money" isCodable="true"/>
      <Code guid="11111111-2222-4333-8444-000000000002" name="Sub themes" isCodable="false">
        <Description>Finer</Description>
        <Code guid="11111111-2222-4333-8444-000000000003" name="Price talk" isCodable="true"/>
      </Code>
    </Code>
  </Codes>
</CodeBook>"##;

    #[test]
    fn codes_with_new_guids_are_matched_by_name_within_their_group() {
        let existing = Codebook {
            groups: vec![Group {
                id: "themes".into(),
                name: "Themes".into(),
                ..Default::default()
            }],
            codes: vec![Code {
                id: "money".into(),
                group: "themes".into(),
                name: "Money".into(),
                guid: "0a1b2c3d-0000-4000-8000-00000000abcd".into(),
                ..Code::default()
            }],
        };
        let (book, summary) = merge(&existing, &read(QUALCODER.as_bytes()).unwrap());
        let money: Vec<&Code> = book
            .codes
            .iter()
            .filter(|c| c.name.eq_ignore_ascii_case("money"))
            .collect();
        assert_eq!(money.len(), 1, "{:?}", book.codes);
        assert_eq!(
            money[0].guid, "0a1b2c3d-0000-4000-8000-00000000abcd",
            "our guid stays"
        );
        assert_eq!(summary.codes_added, 1, "only Price talk is new");
        // The same name in another group is another code.
        let elsewhere = Codebook {
            codes: vec![Code {
                group: "form".into(),
                ..existing.codes[0].clone()
            }],
            ..existing.clone()
        };
        let (_, summary) = merge(&elsewhere, &read(QUALCODER.as_bytes()).unwrap());
        assert_eq!(summary.codes_added, 2);
    }

    #[test]
    fn nested_categories_become_groups_never_codes() {
        let (book, _) = merge(&Codebook::default(), &read(QUALCODER.as_bytes()).unwrap());
        assert!(
            book.codes
                .iter()
                .all(|c| c.name != "Sub themes" && c.name != "Themes")
        );
        let groups: Vec<&str> = book.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(groups, ["Themes", "Sub themes"]);
        let price = book.codes.iter().find(|c| c.name == "Price talk").unwrap();
        assert_eq!(price.group, "sub-themes");
        assert_eq!(price.parent, "");
        let money = book.codes.iter().find(|c| c.name == "money").unwrap();
        assert_eq!(money.group, "themes");
        // Again: nothing new.
        let (again, summary) = merge(&book, &read(QUALCODER.as_bytes()).unwrap());
        assert_eq!(again, book);
        assert_eq!((summary.codes_added, summary.groups_added), (0, 0));
    }

    #[test]
    fn schema_problems_are_warned_about() {
        let (_, warnings) = read_checked(QUALCODER.as_bytes()).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let (_, warnings) = read_checked(FOREIGN.as_bytes()).unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("`Money`") && w.contains("`C2`")),
            "{warnings:?}"
        );
        let bad = r##"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
            <Code name="No guid" isCodable="yes" color="red"/>
            <Code guid="11111111-2222-4333-8444-555555555555" isCodable="true"/>
        </Codes></CodeBook>"##;
        let (roots, warnings) = read_checked(bad.as_bytes()).unwrap();
        assert_eq!(roots.len(), 2, "still read");
        let all = warnings.join("\n");
        for expected in [
            "`No guid`: no guid",
            "isCodable `yes`",
            "colour `red`",
            "no name",
        ] {
            assert!(all.contains(expected), "{expected}: {all}");
        }
        let (_, warnings) = read_checked(b"<CodeBook><Codes></Codes></CodeBook>").unwrap();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("urn:QDA-XML:codebook:1.0")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_taguette_csv_round_trip_adds_nothing() {
        let (book, _) = merge(&Codebook::default(), &read(QUALCODER.as_bytes()).unwrap());
        let csv = crate::interop::taguette::write_codebook(&book);
        let tags = crate::interop::taguette::read_codebook(&csv).unwrap();
        let (again, summary) = merge_tags(&book, &tags);
        assert_eq!(again, book);
        assert_eq!((summary.codes_added, summary.codes_unchanged), (0, 2));
        // A new tag and a changed description.
        let tags = crate::interop::taguette::read_codebook(
            "tag,description\nMONEY,talk of money\nkinship,family ties\n",
        )
        .unwrap();
        let (after, summary) = merge_tags(&book, &tags);
        assert_eq!((summary.codes_added, summary.codes_updated), (1, 1));
        let kin = after.codes.iter().find(|c| c.name == "kinship").unwrap();
        assert_eq!(
            (kin.group.as_str(), kin.description.as_str()),
            (IMPORTED_GROUP, "family ties")
        );
        assert!(is_uuid(&kin.guid));
    }

    #[test]
    fn refuses_what_is_not_a_codebook() {
        assert!(read(b"<html><body/></html>").is_err());
        assert!(read(b"<CodeBook><Codes><Code name='a' isCodable='true'").is_err());
        assert!(read(b"PK\x03\x04garbage").is_err());
    }
}
