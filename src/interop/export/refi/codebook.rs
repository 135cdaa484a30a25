//! The codebook tree: groups as uncodable codes, codes nested by group and parent.

use super::*;

/// The guid each code is exported with: its own when it is a UUID used by no code
/// before it, else one derived from its id.
pub(super) fn code_guids(book: &Codebook) -> HashMap<&str, String> {
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
pub(super) struct Node<'a> {
    pub(super) guid: String,
    pub(super) name: &'a str,
    pub(super) codable: bool,
    pub(super) color: Option<String>,
    pub(super) description: &'a str,
    pub(super) children: Vec<Node<'a>>,
}

/// Groups as non-codable codes holding their codes; codes with a parent inside it
/// (a parent that is missing or would make a cycle is ignored); codes of unknown groups
/// at the top. `extra` are code ids entries carry that the codebook lacks: they go in a
/// last group of their own.
pub(super) fn code_tree<'a>(
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
    pub(super) fn node<'a>(
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
            description: &g.description,
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

pub(super) fn write_codes(xml: &mut Xml, nodes: &[Node]) {
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
