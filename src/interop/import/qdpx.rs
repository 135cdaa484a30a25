//! Codings made in a QDA tool (QualCoder, NVivo, ATLAS.ti, MAXQDA) brought back onto the
//! journal from a REFI-QDA project (`.qdpx`): `read` takes the file apart (pure, from its
//! bytes), `plan` works out what would change (pure); the CLI writes the plan.
//!
//! The rules (docs/export.md tells them to researchers):
//! - The project's codebook is matched as `codes import` matches it: by guid, else by
//!   name within the group, since tools such as QualCoder make new guids on every
//!   export. Codes made in the tool are added; the journal's own codes are left as they
//!   are (`codes import` is the command that updates them).
//! - A source is matched to an entry by the guid fieldnote gave it, else by its name
//!   (what `export --format qdpx` calls it), else by its text. Names and texts shared by
//!   several entries match none of them: a coding is never put on a guess.
//! - A selection over the whole text (give or take white space) codes the entry; a
//!   partial one becomes a coded passage, found in the entry's body by its quote and
//!   context, so an entry edited since the export still takes it when the quote is
//!   still there. A picture's codings code its entry, as the export wrote them.
//! - Nothing is removed: a coding the tool no longer has stays in the journal, for a
//!   coding missing from a file is not a decision to uncode.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::qdc::{self, ImportError, Imported};
use crate::interop::export::pseudonym::neutral_name;
use crate::interop::export::refi::{
    derived_guid, picture_name, source_name, source_text, text_source_name,
};
use crate::model::passage::{CONTEXT_CHARS, Passage};
use crate::model::text::one_line;
use crate::model::{Codebook, Entry, Journal};

/// What a `.qdpx` holds that can come back: its codebook and its coded sources.
#[derive(Debug, Default)]
pub struct Project {
    pub codes: Vec<Imported>,
    /// What the codebook does wrong against the schema (read anyway).
    pub warnings: Vec<String>,
    pub sources: Vec<Source>,
    /// The guids of the project's cases: codings with them link a source to a case (an
    /// account, which entries already name), they code nothing.
    pub cases: std::collections::HashSet<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Source {
    /// Lower case, without braces.
    pub guid: String,
    pub name: String,
    pub picture: bool,
    /// Where a text source's file is: `internal://NAME` is `sources/NAME` in the zip.
    pub path: String,
    /// The plain text of a text source (from `sources/` in the zip, or inline); `None`
    /// for a picture, or when the file is missing.
    pub text: Option<String>,
    pub selections: Vec<Selection>,
}

/// A coded selection. Positions are code points of the source's text, end exclusive;
/// `None` for a picture selection (which fieldnote reads as the whole picture).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Selection {
    pub span: Option<(usize, usize)>,
    /// The guids of the codes applied (lower case, without braces).
    pub codes: Vec<String>,
}

/// Take a `.qdpx` apart: the codebook, every text and picture source with its coded
/// selections, and each text source's text.
pub fn read(bytes: &[u8]) -> Result<Project, ImportError> {
    let invalid = |what: String| ImportError::Invalid(what);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| invalid(format!("not a readable zip: {e}")))?;
    let qde = read_member(&mut zip, "project.qde")?.ok_or_else(|| {
        invalid("the zip holds no project.qde: it is not a REFI-QDA project (.qdpx)".into())
    })?;
    let (codes, warnings) = qdc::read_checked(bytes)?;
    let (mut sources, cases) = parse_sources(&qde)?;
    for source in sources
        .iter_mut()
        .filter(|s| !s.picture && s.text.is_none())
    {
        if let Some(name) = source.path.strip_prefix("internal://") {
            source.text = read_member(&mut zip, &format!("sources/{name}"))?;
        }
    }
    Ok(Project {
        codes,
        warnings,
        sources,
        cases,
    })
}

/// The UTF-8 text of `name` in the zip; `None` when the zip has no such member.
fn read_member(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ImportError> {
    let mut file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ImportError::Invalid(format!("{name}: {e}"))),
    };
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| ImportError::Invalid(format!("{name}: not UTF-8 text ({e})")))?;
    // QualCoder writes its text files with a byte order mark; positions count from the
    // character after it.
    match text.strip_prefix('\u{feff}') {
        Some(rest) => Ok(Some(rest.to_string())),
        None => Ok(Some(text)),
    }
}

/// The value of attribute `name` of `e`, trimmed.
fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.trim().to_string())
        })
}

/// A guid as compared here: lower case, without the braces some tools write.
fn guid_key(guid: &str) -> String {
    guid.trim().trim_matches(['{', '}']).to_ascii_lowercase()
}

/// Every `TextSource` and `PictureSource` under `<Sources>`, with the codings of their
/// selections, and the guids of the cases. A `Coding` straight inside a `PictureSource`
/// (as fieldnote wrote before it used `PictureSelection`) counts as a selection of the
/// whole picture.
fn parse_sources(
    xml: &str,
) -> Result<(Vec<Source>, std::collections::HashSet<String>), ImportError> {
    let mut reader = Reader::from_str(xml);
    let mut read = Reading::default();
    loop {
        let event = qdc::next_event(&mut reader, "project.qde")?;
        match &event {
            Event::Start(e) => {
                read.open(e);
                read.stack.push(qdc::local(e));
            }
            Event::Empty(e) => {
                read.open(e);
                read.close(&qdc::local(e));
            }
            Event::End(_) => {
                let name = read.stack.pop().unwrap_or_default();
                read.close(&name);
            }
            Event::Eof => break,
            _ => {
                if let Some(c) = read.content.as_mut() {
                    qdc::push_text(c, &event);
                }
            }
        }
    }
    Ok((read.sources, read.cases))
}

/// Where `parse_sources` is in the document, and what it has read so far.
#[derive(Default)]
struct Reading {
    /// The open elements' names, outermost first.
    stack: Vec<String>,
    sources: Vec<Source>,
    cases: std::collections::HashSet<String>,
    source: Option<Source>,
    selection: Option<Selection>,
    /// Codings straight inside the open picture source.
    direct: Selection,
    /// The text of an open `PlainTextContent`.
    content: Option<String>,
}

impl Reading {
    /// Element `e` starts (inside `self.stack`, which does not hold it yet).
    fn open(&mut self, e: &BytesStart) {
        let name = qdc::local(e);
        let parent = self.stack.last().map(String::as_str).unwrap_or("");
        match name.as_str() {
            "TextSource" | "PictureSource" if parent == "Sources" => {
                self.source = Some(Source {
                    guid: guid_key(&attribute(e, "guid").unwrap_or_default()),
                    name: attribute(e, "name").unwrap_or_default(),
                    picture: name == "PictureSource",
                    path: attribute(e, "plainTextPath").unwrap_or_default(),
                    ..Source::default()
                });
                self.direct = Selection::default();
            }
            "PlainTextSelection" if parent == "TextSource" && self.source.is_some() => {
                let at = |n| attribute(e, n).and_then(|v| v.parse::<usize>().ok());
                self.selection = match (at("startPosition"), at("endPosition")) {
                    (Some(start), Some(end)) if start < end => Some(Selection {
                        span: Some((start, end)),
                        codes: Vec::new(),
                    }),
                    _ => None,
                };
            }
            "PictureSelection" if parent == "PictureSource" && self.source.is_some() => {
                self.selection = Some(Selection::default());
            }
            "CodeRef" if parent == "Coding" => {
                let grandparent = self.stack.iter().rev().nth(1).map(String::as_str);
                let guid = guid_key(&attribute(e, "targetGUID").unwrap_or_default());
                match (&mut self.selection, grandparent) {
                    (Some(s), _) => s.codes.push(guid),
                    (None, Some("PictureSource")) if self.source.is_some() => {
                        self.direct.codes.push(guid)
                    }
                    _ => {}
                }
            }
            "PlainTextContent" if parent == "TextSource" && self.source.is_some() => {
                self.content = Some(String::new());
            }
            "Case" if parent == "Cases" => {
                self.cases
                    .insert(guid_key(&attribute(e, "guid").unwrap_or_default()));
            }
            _ => {}
        }
    }

    /// Element `name` ends: a text goes to its source, a selection to its source, a
    /// source to the list.
    fn close(&mut self, name: &str) {
        match name {
            "PlainTextContent" => {
                if let (Some(text), Some(s)) = (self.content.take(), self.source.as_mut()) {
                    s.text = Some(text);
                }
            }
            "PlainTextSelection" | "PictureSelection" => {
                if let (Some(sel), Some(src)) = (self.selection.take(), self.source.as_mut())
                    && !sel.codes.is_empty()
                {
                    src.selections.push(sel);
                }
            }
            "TextSource" | "PictureSource" => {
                if let Some(mut src) = self.source.take() {
                    if !self.direct.codes.is_empty() {
                        src.selections.push(std::mem::take(&mut self.direct));
                    }
                    self.sources.push(src);
                }
            }
            _ => {}
        }
    }
}

/// What bringing a project's codings back would change.
#[derive(Debug)]
pub struct QdpxPlan {
    pub codebook: Codebook,
    pub codebook_summary: qdc::Summary,
    /// The entries that take codings, as they would be written, in journal order.
    pub entries: Vec<Coded>,
    /// Coded sources matched to an entry: by guid, by name, by text.
    pub matched: [usize; 3],
    /// Coded sources that match no entry, by name, with why.
    pub unmatched: Vec<String>,
    /// Selections that could not be placed on their entry, with why.
    pub unplaced: Vec<String>,
}

/// One entry's new codings.
#[derive(Debug)]
pub struct Coded {
    pub entry: Entry,
    /// Codes added to the entry itself.
    pub codes: Vec<String>,
    /// Passages added or given more codes: their quote and the codes added.
    pub passages: Vec<(String, Vec<String>)>,
}

impl QdpxPlan {
    pub fn codings_added(&self) -> usize {
        self.entries
            .iter()
            .map(|c| c.codes.len() + c.passages.iter().map(|p| p.1.len()).sum::<usize>())
            .sum()
    }
}

/// How a source found its entry.
#[derive(Clone, Copy)]
enum Match {
    Guid = 0,
    Name = 1,
    Text = 2,
}

/// What `project`'s codings would change in `journal` (see the module's rules).
pub fn plan(journal: &Journal, project: &Project) -> QdpxPlan {
    let merged = qdc::merge_mapped(&journal.codebook, &project.codes, true);
    let codable: HashMap<String, String> = merged
        .book
        .codes
        .iter()
        .map(|c| (c.guid.to_ascii_lowercase(), c.id.clone()))
        .chain(merged.code_ids.clone())
        .collect();
    let finder = Finder::new(journal);
    let mut plan = QdpxPlan {
        codebook: merged.book,
        codebook_summary: merged.summary,
        entries: Vec::new(),
        matched: [0; 3],
        unmatched: Vec::new(),
        unplaced: Vec::new(),
    };
    let mut coded: HashMap<usize, Coded> = HashMap::new();
    for source in project.sources.iter().filter(|s| !s.selections.is_empty()) {
        let Some((index, how)) = finder.find(source) else {
            plan.unmatched.push(format!(
                "{}{}",
                one_line(&source.name),
                finder.why_not(source)
            ));
            continue;
        };
        plan.matched[how as usize] += 1;
        let entry = &journal.entries[index];
        let slot = coded.entry(index).or_insert_with(|| Coded {
            entry: entry.clone(),
            codes: Vec::new(),
            passages: Vec::new(),
        });
        for selection in &source.selections {
            let themes: Vec<&String> = selection
                .codes
                .iter()
                .filter(|g| !project.cases.contains(*g))
                .collect();
            let codes: Vec<String> = themes
                .iter()
                .filter_map(|g| codable.get(*g).cloned())
                .collect();
            if codes.len() < themes.len() {
                plan.unplaced.push(format!(
                    "{}: {} coding(s) with a code the project's codebook does not have",
                    slot.entry.id,
                    themes.len() - codes.len()
                ));
            }
            if codes.is_empty() {
                continue;
            }
            if let Err(why) = place(slot, source, selection, codes) {
                plan.unplaced.push(format!("{}: {why}", slot.entry.id));
            }
        }
    }
    let mut coded: Vec<(usize, Coded)> = coded
        .into_iter()
        .filter(|(_, c)| !c.codes.is_empty() || !c.passages.is_empty())
        .collect();
    coded.sort_by_key(|(i, _)| *i);
    plan.entries = coded.into_iter().map(|(_, c)| c).collect();
    plan
}

/// Put one selection's `codes` on the entry: on the entry itself when it covers the
/// whole text (or is a picture's), else on the passage its quote stands on.
fn place(
    slot: &mut Coded,
    source: &Source,
    selection: &Selection,
    codes: Vec<String>,
) -> Result<(), String> {
    let whole = |text: &str, (start, end): (usize, usize)| {
        text.chars().take(start).all(char::is_whitespace)
            && text.chars().skip(end).all(char::is_whitespace)
    };
    let span = match (selection.span, source.text.as_deref()) {
        (None, _) => None,
        (Some(span), Some(text)) if whole(text, span) => None,
        (Some(span), Some(text)) => Some((text, span)),
        (Some(_), None) => {
            return Err(format!(
                "the text of «{}» is missing from the file",
                one_line(&source.name)
            ));
        }
    };
    let Some((text, (start, end))) = span else {
        for code in codes {
            if !slot.entry.codes.contains(&code) {
                slot.entry.codes.push(code.clone());
                slot.codes.push(code);
            }
        }
        return Ok(());
    };
    let wanted = passage_in(text, start, end, codes);
    let body = &slot.entry.body;
    let Some(at) = wanted.anchor(body) else {
        return Err(format!(
            "the body no longer holds «{}» (coded {})",
            one_line(&wanted.quote),
            wanted.codes.join(", ")
        ));
    };
    let before: Vec<String> = slot
        .entry
        .passages
        .iter()
        .find(|p| p.anchor(body).as_ref() == Some(&at))
        .map(|p| p.codes.clone())
        .unwrap_or_default();
    let added: Vec<String> = wanted
        .codes
        .iter()
        .filter(|c| !before.contains(c))
        .cloned()
        .collect();
    if !added.is_empty() {
        slot.entry.code_span(at, &added);
        slot.passages.push((wanted.quote, added));
    }
    Ok(())
}

/// The passage a selection of code points `start..end` of `text` describes: its quote
/// and the context around it, the position a hint only (the body follows the title in
/// the exported text), found in the body by `Passage::anchor`.
fn passage_in(text: &str, start: usize, end: usize, codes: Vec<String>) -> Passage {
    let chars: Vec<char> = text.chars().collect();
    let end = end.min(chars.len());
    let start = start.min(end);
    let collect = |r: std::ops::Range<usize>| chars[r].iter().collect::<String>();
    Passage {
        quote: collect(start..end),
        prefix: collect(start.saturating_sub(CONTEXT_CHARS)..start),
        suffix: collect(end..(end + CONTEXT_CHARS).min(chars.len())),
        start,
        codes,
    }
}

/// The journal's entries by what a source may be matched with.
struct Finder<'a> {
    journal: &'a Journal,
    by_guid: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_text: std::cell::OnceCell<HashMap<String, Vec<usize>>>,
}

impl<'a> Finder<'a> {
    fn new(journal: &'a Journal) -> Finder<'a> {
        let mut by_guid = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in journal.entries.iter().enumerate() {
            by_guid.insert(derived_guid(&format!("source:{}", e.id)), i);
            // As exported now, and as before text sources had their `.txt`.
            by_name.entry(text_source_name(e)).or_default().push(i);
            by_name.entry(source_name(e)).or_default().push(i);
            for (n, shot) in e.screenshots.iter().enumerate() {
                by_guid.insert(derived_guid(&format!("picture:{}:{n}", e.id)), i);
                let file = neutral_name(&e.id, n, &shot.path);
                by_name
                    .entry(picture_name(e, &shot.caption, &file))
                    .or_default()
                    .push(i);
            }
        }
        Finder {
            journal,
            by_guid,
            by_name,
            by_text: std::cell::OnceCell::new(),
        }
    }

    /// The entry `source` stands for, and how it was found.
    fn find(&self, source: &Source) -> Option<(usize, Match)> {
        if let Some(&i) = self.by_guid.get(&source.guid) {
            return Some((i, Match::Guid));
        }
        let text = source.text.as_deref().map(normalised);
        let named = self.by_name.get(source.name.trim()).map(Vec::as_slice);
        match named {
            Some([one]) => return Some((*one, Match::Name)),
            // The same name twice (two entries of a minute with one title): the text
            // tells them apart.
            Some(many) => {
                if let Some(text) = &text {
                    let same: Vec<usize> = many
                        .iter()
                        .copied()
                        .filter(|&i| normalised(&source_text(&self.journal.entries[i])) == *text)
                        .collect();
                    if let [one] = same.as_slice() {
                        return Some((*one, Match::Name));
                    }
                }
            }
            None => {}
        }
        match self.texts().get(text.as_ref()?).map(Vec::as_slice) {
            Some([one]) => Some((*one, Match::Text)),
            _ => None,
        }
    }

    /// Why `source` matched no entry (after `find` failed).
    fn why_not(&self, source: &Source) -> &'static str {
        let named = self.by_name.get(source.name.trim()).map_or(0, Vec::len);
        let texts = source
            .text
            .as_deref()
            .and_then(|t| self.texts().get(&normalised(t)))
            .map_or(0, Vec::len);
        if named > 1 || texts > 1 {
            ": its name and text fit several entries"
        } else if source.picture {
            ": no entry has this picture"
        } else {
            ": no entry has this guid, name or text"
        }
    }

    /// Entries by their exported text, built the first time a source needs it.
    fn texts(&self) -> &HashMap<String, Vec<usize>> {
        self.by_text.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, e) in self.journal.entries.iter().enumerate() {
                map.entry(normalised(&source_text(e))).or_default().push(i);
            }
            map
        })
    }
}

/// Text compared without its line-end style or trailing white space, which tools change.
fn normalised(text: &str) -> String {
    text.replace("\r\n", "\n").trim_end().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;
    use crate::model::{Code, Group, Moment};

    const GUID: &str = "6e2fbc16-9274-4c2b-b3b5-b7989c5ecedd";

    fn project(sources: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <CodeBook><Codes><Code guid="{{11111111-2222-3333-4444-555555555555}}" name="Theme" isCodable="false">
  <Code guid="{{{}}}" name="Daily life" isCodable="true"/></Code></Codes></CodeBook>
 <Sources>{sources}</Sources>
</Project>"#,
            GUID.to_uppercase()
        )
    }

    fn coding(code: &str) -> String {
        format!(r#"<Coding guid="c"><CodeRef targetGUID="{code}"/></Coding>"#)
    }

    #[test]
    fn text_pictures_and_inline_content_are_read_and_other_sources_left_out() {
        let xml = project(&format!(
            r#"<TextSource guid="{{AA}}" name="a"><PlainTextContent>one &amp; two</PlainTextContent>
                 <PlainTextSelection guid="s" startPosition="4" endPosition="5">{c}</PlainTextSelection>
                 <PlainTextSelection guid="e" startPosition="0" endPosition="3"/>
               </TextSource>
               <PictureSource guid="bb" name="b.png" path="internal://b.png">{c}</PictureSource>
               <PDFSource guid="cc" name="c.pdf">
                 <PDFSelection guid="p" page="1">{c}</PDFSelection></PDFSource>"#,
            c = coding("{X}")
        ));
        let (sources, _) = parse_sources(&xml).unwrap();
        assert_eq!(sources.len(), 2, "{sources:?}");
        assert_eq!(sources[0].guid, "aa");
        assert_eq!(sources[0].text.as_deref(), Some("one & two"));
        assert_eq!(
            sources[0].selections,
            vec![Selection {
                span: Some((4, 5)),
                codes: vec!["x".into()],
            }],
            "a selection without codings is no selection"
        );
        assert!(sources[1].picture);
        assert_eq!(sources[1].selections[0].span, None);
        assert_eq!(sources[1].selections[0].codes, vec!["x".to_string()]);
    }

    fn journal(body: &str) -> Journal {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new("20260314-210512-7f3a".into(), at, at);
        e.title = "Title".into();
        e.body = body.into();
        let mut j = Journal::default();
        j.entries.push(e);
        j.codebook.groups.push(Group {
            id: "theme".into(),
            name: "Theme".into(),
            ..Default::default()
        });
        j.codebook.codes.push(Code {
            id: "daily".into(),
            group: "theme".into(),
            name: "Daily life".into(),
            guid: "0f0f0f0f-0000-4000-8000-000000000000".into(),
            ..Code::default()
        });
        j
    }

    /// A source found by its text only (new guid, new name), with a passage, a quote
    /// the body no longer holds, and the whole text.
    #[test]
    fn selections_become_passages_or_entry_codes_and_lost_quotes_are_reported() {
        let j = journal("She eats sahur alone.\nThen she posts.");
        let text = source_text(&j.entries[0]);
        let at = text.find("sahur").unwrap();
        let code = format!("{{{GUID}}}");
        let xml = project(&format!(
            r#"<TextSource guid="new" name="renamed"><PlainTextContent>{text}</PlainTextContent>
                 <PlainTextSelection guid="1" startPosition="{at}" endPosition="{}">{c}</PlainTextSelection>
                 <PlainTextSelection guid="2" startPosition="0" endPosition="{}">{c}</PlainTextSelection>
               </TextSource>
               <TextSource guid="other" name="2026-03-14 21.05 Title"><PlainTextContent>Title

She eats breakfast.</PlainTextContent>
                 <PlainTextSelection guid="3" startPosition="11" endPosition="20">{c}</PlainTextSelection>
               </TextSource>"#,
            at + 5,
            text.chars().count(),
            c = coding(&code)
        ));
        let project = Project {
            codes: qdc::parse(&xml).unwrap(),
            sources: parse_sources(&xml).unwrap().0,
            ..Project::default()
        };
        let plan = plan(&j, &project);
        assert_eq!(plan.matched, [0, 1, 1], "by name (the second), by text");
        assert_eq!(
            plan.codebook_summary.codes_added, 0,
            "Daily life matched by name"
        );
        let coded = &plan.entries[0];
        assert_eq!(coded.codes, vec!["daily".to_string()]);
        assert_eq!(
            coded.passages,
            vec![("sahur".to_string(), vec!["daily".to_string()])]
        );
        assert_eq!(coded.entry.passages[0].quote, "sahur");
        assert_eq!(coded.entry.passages[0].start, 9);
        assert_eq!(plan.unplaced.len(), 1, "{:?}", plan.unplaced);
        assert!(
            plan.unplaced[0].contains("no longer holds «eats brea»"),
            "{:?}",
            plan.unplaced
        );
    }
}
