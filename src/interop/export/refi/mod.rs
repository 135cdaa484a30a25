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

mod codebook;
mod package;
mod sources;
mod xml;

pub use codebook::codebook;
use codebook::*;
use package::*;
use sources::*;
pub use sources::{passage_position, picture_name, source_name, source_text, text_source_name};
pub use xml::xml_clean;
use xml::*;

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
    let me = users[0].0.as_str();
    let guids = code_guids(&journal.codebook);
    let code_guid = |id: &str| -> String {
        guids
            .get(id)
            .cloned()
            .unwrap_or_else(|| derived_guid(&format!("code:{id}")))
    };
    let comments = export.comments();
    let items = items(export, &comments, &mut out.warnings);

    let mut xml = Xml::new();
    let origin = origin();
    xml.start(
        "Project",
        &[
            ("xmlns", PROJECT_NS),
            ("name", &project_title(journal)),
            ("origin", &origin),
            ("creatingUserGUID", me),
        ],
    );
    write_users(&mut xml, &users);
    write_codebook(&mut xml, export, &guids, &items);
    write_variables(&mut xml);
    write_cases(&mut xml, journal, &items);
    write_sources(&mut xml, &items, me, &code_guid);
    let memos: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind == Kind::Memo)
        .collect();
    write_notes(&mut xml, journal, &items, &comments, &users, &code_guid);
    xml.text("Description", &description(export, &origin, items.len()));
    for item in &memos {
        xml.empty("NoteRef", &[("targetGUID", &item.guid)]);
    }
    xml.end("Project");
    let qde = xml.finish();
    export.check("project.qde", &qde)?;

    out.bytes = zip_project(export, &qde, &items, &comments)?;
    Ok(out)
}

/// The selected entries as sources, with their pictures and the comments on them;
/// screenshots that cannot be packed are left out with a warning.
fn items<'a>(
    export: &'a Export,
    comments: &[&crate::model::Comment],
    warnings: &mut Vec<String>,
) -> Vec<Item<'a>> {
    export
        .entries()
        .map(|e| Item {
            entry: e,
            guid: derived_guid(&format!("source:{}", e.id)),
            text: source_text(e),
            pictures: e
                .screenshots
                .iter()
                .enumerate()
                .filter_map(|(n, shot)| picture(export, e, n, shot, warnings))
                .collect(),
            comments: comments
                .iter()
                .filter(|c| c.entry == e.id)
                .map(|c| comment_guid(&c.entry, &c.id))
                .collect(),
            cases: if export.cases_as_codes && e.kind != Kind::Memo {
                e.accounts.iter().map(|h| case_guid(h)).collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// Screenshot `n` of `e` as a picture source, or why it is left out.
fn picture(
    export: &Export,
    e: &Entry,
    n: usize,
    shot: &crate::model::Screenshot,
    warnings: &mut Vec<String>,
) -> Option<Picture> {
    let file = match export.media_file(&shot.path) {
        Ok(file) => file,
        Err(reason) => {
            warnings.push(format!(
                "screenshot {} of {} is left out: {reason}",
                one_line(&shot.path),
                e.id
            ));
            return None;
        }
    };
    if !file.is_file() {
        warnings.push(format!(
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
}

fn project_title(journal: &Journal) -> String {
    if journal.settings.title.trim().is_empty() {
        "fieldnote journal".to_string()
    } else {
        one_line(&journal.settings.title)
    }
}

fn write_users(xml: &mut Xml, users: &[(String, String)]) {
    xml.start("Users", &[]);
    for (guid, name) in users {
        xml.empty("User", &[("guid", guid), ("name", name)]);
    }
    xml.end("Users");
}

/// The codebook, with the codes entries carry that it does not have.
fn write_codebook(xml: &mut Xml, export: &Export, guids: &HashMap<&str, String>, items: &[Item]) {
    let journal = &export.journal;
    let mut extra: Vec<String> = export
        .entries()
        .flat_map(|e| e.codes.iter())
        .filter(|c| journal.codebook.code(c).is_none())
        .cloned()
        .collect();
    extra.sort_unstable();
    extra.dedup();
    let mut tree = code_tree(&journal.codebook, guids, &extra);
    // Cases as codes at the top (see `Export::cases_as_codes`): QualCoder turns their
    // codings into case links and removes the codes.
    let cases: Vec<(String, String)> = if export.cases_as_codes {
        case_handles(journal, items)
            .into_iter()
            .map(|h| (case_guid(h), case_name(journal, h)))
            .collect()
    } else {
        Vec::new()
    };
    tree.extend(cases.iter().map(|(guid, name)| Node {
        guid: guid.clone(),
        name,
        codable: true,
        color: None,
        description: "",
        children: Vec::new(),
    }));
    if !tree.is_empty() {
        xml.start("CodeBook", &[]);
        xml.start("Codes", &[]);
        write_codes(xml, &tree);
        xml.end("Codes");
        xml.end("CodeBook");
    }
}

fn write_variables(xml: &mut Xml) {
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
}

/// Every entry but memos as a text source, followed by its pictures.
fn write_sources(xml: &mut Xml, items: &[Item], me: &str, code_guid: &dyn Fn(&str) -> String) {
    let sources: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind != Kind::Memo)
        .collect();
    if sources.is_empty() {
        return;
    }
    xml.start("Sources", &[]);
    for item in &sources {
        write_text_source(xml, "TextSource", item, me, code_guid);
        for p in &item.pictures {
            write_picture(xml, item, p, me, code_guid);
        }
    }
    xml.end("Sources");
}

/// Memos and reviewer comments as notes, each comment by its author.
/// Memos and reviewer comments as `Note`s. A comment on an entry exported as a text
/// source is written as an annotation of it, the only form QualCoder keeps: its text
/// inline, with a selection of the entry's title (QualCoder reads the selection as
/// positions in the source the `NoteRef` comes from; within the title, they also lie
/// inside the note's own text, as the standard reads them). Other comments (on memos)
/// keep a text file.
fn write_notes(
    xml: &mut Xml,
    journal: &Journal,
    items: &[Item],
    comments: &[&crate::model::Comment],
    users: &[(String, String)],
    code_guid: &dyn Fn(&str) -> String,
) {
    let memos: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind == Kind::Memo)
        .collect();
    if memos.is_empty() && comments.is_empty() {
        return;
    }
    let me = users[0].0.as_str();
    let user_of: HashMap<&str, &str> = users
        .iter()
        .map(|(g, n)| (n.as_str(), g.as_str()))
        .collect();
    xml.start("Notes", &[]);
    for item in memos {
        write_text_source(xml, "Note", item, me, code_guid);
    }
    let mut names = HashSet::new();
    // How many comments on each entry came before: a count kept as they go by.
    let mut seen_on_entry: HashMap<&str, usize> = HashMap::new();
    for c in comments {
        let count = seen_on_entry.entry(c.entry.as_str()).or_default();
        let earlier = *count;
        *count += 1;
        let at = utc(&c.at);
        let author = user_of.get(c.author.as_str()).copied().unwrap_or(me);
        let guid = comment_guid(&c.entry, &c.id);
        let status = if c.resolved { "resolved" } else { "open" };
        // Its time makes the name unique (QualCoder's import fails on two notes of one
        // name); the status last, never cut off by the length limit of a file name.
        let about = file_name(&format!(
            "Comment by {} on {}",
            one_line(&c.author),
            journal.entry(&c.entry).map_or(c.entry.clone(), source_name)
        ));
        let about: String = about.chars().take(90).collect();
        let when = c.at.civil().strftime("%Y-%m-%d %H.%M.%S");
        let mut base = format!("{}, {when}", about.trim_end());
        for n in 2.. {
            if names.insert(base.clone()) {
                break;
            }
            base = format!("{}, {when} #{n}", about.trim_end());
        }
        let name = format!("{base} ({status})");
        let Some(item) = annotated(items, c) else {
            let path = format!("internal://{}", comment_file(&c.entry, &c.id));
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
            continue;
        };
        let text = format!(
            "{}\n— {}, {status}",
            xml_clean(c.body.trim_end()),
            one_line(&c.author)
        );
        // Over the title, starting one character later for each earlier comment on the
        // entry: QualCoder refuses (and stops importing at) two annotations of one
        // author over the same range. Within the note's own text too, as the standard
        // reads a note's selection.
        let title = item.text.lines().next().unwrap_or("").chars().count();
        let end = title.min(text.chars().count()).max(1);
        let start = earlier.min(end - 1);
        let (start, end) = (start.to_string(), end.to_string());
        let attributes = [
            ("guid", guid.as_str()),
            ("name", &name),
            ("creatingUser", author),
            ("creationDateTime", &at),
            ("modifyingUser", author),
            ("modifiedDateTime", &at),
        ];
        xml.start("Note", &attributes);
        xml.text("PlainTextContent", &text);
        let selection = derived_guid(&format!("comment-selection:{}:{}", c.entry, c.id));
        xml.empty(
            "PlainTextSelection",
            &[
                ("guid", &selection),
                ("startPosition", &start),
                ("endPosition", &end),
            ],
        );
        xml.end("Note");
    }
    xml.end("Notes");
}

/// The text source comment `c` annotates: its entry, exported and not a memo.
fn annotated<'a>(items: &'a [Item], c: &crate::model::Comment) -> Option<&'a Item<'a>> {
    items
        .iter()
        .find(|i| i.entry.id == c.entry && i.entry.kind != Kind::Memo)
}

fn description(export: &Export, origin: &str, entries: usize) -> String {
    format!(
        "Exported by {origin} from a field journal: {}{}{}.",
        crate::model::text::counted(entries, "entry", "entries"),
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
    )
}

fn comment_guid(entry: &str, comment: &str) -> String {
    derived_guid(&format!("comment:{entry}:{comment}"))
}

fn comment_file(entry: &str, comment: &str) -> String {
    format!("{entry}-comment-{comment}.txt")
}

#[cfg(test)]
mod tests;
