//! Importing a REFI-QDA codebook (`.qdc`, or the codebook inside a `.qdpx`) into the
//! journal's codebook, so a team can start from a codebook made in another tool.
//!
//! Nothing is deleted; codes are matched by guid and updated (name, colour, description,
//! parent), new ones added:
//! - a top-level code with children becomes a group (dimension); if it is codable it is
//!   also a code of that group, the parent of its children;
//! - a top-level code without children becomes a code of the group `imported` (or, when
//!   not codable, an empty group);
//! - deeper codes become codes of their top-level group, with their parent code set;
//! - ids are slugs of the names, made unique; a guid that is not a UUID (some tools
//!   write other ids) is replaced by a UUID v5 of it, stable across imports;
//! - colours are kept as `#rrggbb`, unless the code's current colour is the same colour
//!   by another name (`yellow`).

use std::collections::HashSet;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::export::refi::{derived_guid, hex_color};
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
    if bytes.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| ImportError::Invalid(format!("not a readable zip: {e}")))?;
        let mut qde = zip.by_name("project.qde").map_err(|_| {
            ImportError::Invalid("the zip holds no project.qde: it is not a .qdpx".into())
        })?;
        let mut text = String::new();
        qde.read_to_string(&mut text)
            .map_err(|e| ImportError::Invalid(format!("project.qde: {e}")))?;
        return parse(&text);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::Invalid("the file is not UTF-8 text".into()))?;
    parse(text.trim_start_matches('\u{feff}'))
}

/// The codes under `<Codes>` (of a `CodeBook`, in either namespace).
pub fn parse(xml: &str) -> Result<Vec<Imported>, ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut roots: Vec<Imported> = Vec::new();
    let mut stack: Vec<Imported> = Vec::new();
    let mut in_codes = false;
    let mut codes_seen = false;
    let mut description: Option<String> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            ImportError::Invalid(format!(
                "not well-formed XML near byte {}: {e}",
                reader.buffer_position()
            ))
        })?;
        match event {
            Event::Start(e) if in_codes && local(&e) == "Code" => stack.push(start_code(&e)?),
            // `<Code .../>` has no end event: it closes at once.
            Event::Empty(e) if in_codes && local(&e) == "Code" => {
                stack.push(start_code(&e)?);
                close(&mut stack, &mut roots);
            }
            Event::Start(e) if local(&e) == "Codes" && stack.is_empty() => {
                in_codes = true;
                codes_seen = true;
            }
            Event::Start(e) if in_codes && local(&e) == "Description" && !stack.is_empty() => {
                description = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(d) = description.as_mut() {
                    d.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(d) = description.as_mut() {
                    d.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(d) = description.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => d.push(c),
                        _ => d.push_str(match r.as_ref() {
                            "lt" => "<",
                            "gt" => ">",
                            "amp" => "&",
                            "apos" => "'",
                            "quot" => "\"",
                            _ => "\u{fffd}",
                        }),
                    }
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
    Ok(roots)
}

fn close(stack: &mut Vec<Imported>, roots: &mut Vec<Imported>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_string()
}

fn start_code(e: &BytesStart) -> Result<Imported, ImportError> {
    let bad = |e: &dyn std::fmt::Display| ImportError::Invalid(format!("a <Code> element: {e}"));
    let mut code = Imported {
        codable: true,
        ..Imported::default()
    };
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|e| bad(&e))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| bad(&e))?
            .into_owned();
        match attr.key.local_name().as_ref() {
            "guid" => code.guid = value.trim().trim_matches(['{', '}']).to_string(),
            "name" => code.name = value.trim().to_string(),
            "isCodable" => code.codable = !matches!(value.trim(), "false" | "0"),
            "color" => code.color = value.trim().to_string(),
            _ => {}
        }
    }
    Ok(code)
}

/// `book` with the imported codes merged in, and what changed.
pub fn merge(book: &Codebook, roots: &[Imported]) -> (Codebook, Summary) {
    let mut m = Merger {
        book: book.clone(),
        summary: Summary::default(),
        ids: book.codes.iter().map(|c| c.id.clone()).collect(),
    };
    for root in roots {
        m.root(root);
    }
    (m.book, m.summary)
}

struct Merger {
    book: Codebook,
    summary: Summary,
    ids: HashSet<String>,
}

impl Merger {
    fn root(&mut self, root: &Imported) {
        if root.children.is_empty() {
            if root.codable {
                let group = self.group(IMPORTED_GROUP, "Imported codes");
                self.code(root, &group, "", "");
            } else {
                self.group(&slug_or(&root.name, "group"), &root.name);
            }
            return;
        }
        let group = self.group(&slug_or(&root.name, "group"), &root.name);
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
        let id = self.code(node, group, parent, path);
        let path = format!("{path}/{}", node.name);
        for child in &node.children {
            self.subtree(child, group, &id, &path);
        }
    }

    /// The id of the group named `name` (matched by id or by name), added if missing.
    fn group(&mut self, id: &str, name: &str) -> String {
        if let Some(g) = self
            .book
            .groups
            .iter()
            .find(|g| g.id == id || (!name.is_empty() && g.name.eq_ignore_ascii_case(name)))
        {
            return g.id.clone();
        }
        let name = if name.is_empty() { id } else { name };
        self.book.groups.push(Group {
            id: id.to_string(),
            name: name.to_string(),
        });
        self.summary.groups_added += 1;
        id.to_string()
    }

    /// Add or update the code for `node`; returns its id.
    fn code(&mut self, node: &Imported, group: &str, parent: &str, path: &str) -> String {
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
        if let Some(code) = self
            .book
            .codes
            .iter_mut()
            .find(|c| c.guid.eq_ignore_ascii_case(&guid))
        {
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

    #[test]
    fn refuses_what_is_not_a_codebook() {
        assert!(read(b"<html><body/></html>").is_err());
        assert!(read(b"<CodeBook><Codes><Code name='a' isCodable='true'").is_err());
        assert!(read(b"PK\x03\x04garbage").is_err());
    }
}
