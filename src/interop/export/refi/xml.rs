//! The XML layer: a writer that cannot produce what XML 1.0 forbids.

use super::*;

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
pub(super) struct Xml {
    pub(super) w: Writer<Vec<u8>>,
}

impl Xml {
    pub(super) fn new() -> Xml {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .expect("writing to memory");
        Xml { w }
    }

    pub(super) fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (k, v) in attrs {
            start.push_attribute((*k, xml_clean(v).as_ref()));
        }
        start
    }

    pub(super) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w
            .write_event(Event::Start(Xml::element(name, attrs)))
            .expect("writing to memory");
    }

    pub(super) fn end(&mut self, name: &str) {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .expect("writing to memory");
    }

    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.w
            .write_event(Event::Empty(Xml::element(name, attrs)))
            .expect("writing to memory");
    }

    /// `<name>text</name>`.
    pub(super) fn text(&mut self, name: &str, text: &str) {
        self.w
            .create_element(name)
            .write_text_content(BytesText::new(&xml_clean(text)))
            .expect("writing to memory");
    }

    pub(super) fn finish(self) -> String {
        let mut bytes = self.w.into_inner();
        bytes.push(b'\n');
        String::from_utf8(bytes).expect("quick-xml writes UTF-8")
    }
}
