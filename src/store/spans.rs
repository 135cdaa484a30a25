//! Finding where in a file a value stands, to report problems as `path:line:column`.
//! Only called when there is a problem, so it may parse the file again.

use std::ops::Range;

use toml_edit::{ArrayOfTables, Document, Item, TableLike, Value};

use super::line_col;

/// One step into a document.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
    /// The element of an array that is this string.
    Element(&'a str),
}

/// Where a walk through the document stands.
enum Cursor<'a> {
    Table(&'a dyn TableLike),
    Tables(&'a ArrayOfTables),
    Value(&'a Value),
}

impl<'a> Cursor<'a> {
    fn from_item(item: &'a Item) -> Option<Cursor<'a>> {
        match item {
            Item::Value(Value::InlineTable(t)) => Some(Cursor::Table(t)),
            Item::Value(v) => Some(Cursor::Value(v)),
            Item::Table(t) => Some(Cursor::Table(t)),
            Item::ArrayOfTables(a) => Some(Cursor::Tables(a)),
            Item::None => None,
        }
    }

    /// Take one step; returns where it leads and the span of what it found.
    fn step(&self, step: Step) -> (Option<Cursor<'a>>, Option<Range<usize>>) {
        match (self, step) {
            (Cursor::Table(t), Step::Key(k)) => match t.get_key_value(k) {
                Some((key, item)) => {
                    let span = match item {
                        Item::Value(v) => v.span(),
                        other => other.span(),
                    };
                    (Cursor::from_item(item), span.or_else(|| key.span()))
                }
                None => (None, None),
            },
            (Cursor::Tables(a), Step::Index(i)) => match a.get(i) {
                Some(t) => (Some(Cursor::Table(t)), t.span()),
                None => (None, None),
            },
            (Cursor::Value(Value::Array(a)), Step::Index(i)) => match a.get(i) {
                Some(v) => (Some(value_cursor(v)), v.span()),
                None => (None, None),
            },
            (Cursor::Value(Value::Array(a)), Step::Element(s)) => {
                match a.iter().find(|v| v.as_str() == Some(s)) {
                    Some(v) => (Some(value_cursor(v)), v.span()),
                    None => (None, None),
                }
            }
            _ => (None, None),
        }
    }
}

fn value_cursor(v: &Value) -> Cursor<'_> {
    match v {
        Value::InlineTable(t) => Cursor::Table(t),
        other => Cursor::Value(other),
    }
}

/// Line and column of the value at `path` in `text`: as deep as the path could be
/// followed, or the start of the file.
pub fn locate(text: &str, path: &[Step]) -> (usize, usize) {
    Locator::new(text).at(path)
}

/// Finds places in one file, parsing it once however many problems it has (a file with
/// 100,000 unknown codes must not be parsed 100,000 times).
pub struct Locator<'a> {
    text: &'a str,
    doc: std::cell::OnceCell<Option<Document<&'a str>>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            doc: std::cell::OnceCell::new(),
        }
    }

    /// Line and column of the value at `path`, as `locate`.
    pub fn at(&self, path: &[Step]) -> (usize, usize) {
        match self.doc.get_or_init(|| Document::parse(self.text).ok()) {
            Some(doc) => walk(self.text, doc, path),
            None => (1, 1),
        }
    }
}

fn walk(text: &str, doc: &Document<&str>, path: &[Step]) -> (usize, usize) {
    let mut best = None;
    let mut cursor = Cursor::Table(doc.as_table());
    for &step in path {
        let (next, span) = cursor.step(step);
        if span.is_some() {
            best = span;
        }
        match next {
            Some(c) => cursor = c,
            None => break,
        }
    }
    best.map_or((1, 1), |s| line_col(text, s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id = \"x\"\ncodes = [\"a\",\n  \"bad\"]\n\n[[screenshots]]\npath = \"p1\"\n\n[[screenshots]]\npath = \"../p2\"\n\n[metrics]\nviews = 3\n";

    #[test]
    fn finds_keys_elements_and_tables() {
        assert_eq!(locate(TEXT, &[Step::Key("id")]), (1, 6));
        assert_eq!(
            locate(TEXT, &[Step::Key("codes"), Step::Element("bad")]),
            (3, 3)
        );
        let p2 = [Step::Key("screenshots"), Step::Index(1), Step::Key("path")];
        assert_eq!(locate(TEXT, &p2), (9, 8));
        assert_eq!(
            locate(TEXT, &[Step::Key("metrics"), Step::Key("views")]),
            (12, 9)
        );
    }

    #[test]
    fn falls_back_to_what_it_found() {
        assert_eq!(
            locate(TEXT, &[Step::Key("codes"), Step::Element("zzz")]),
            (2, 9)
        );
        assert_eq!(locate(TEXT, &[Step::Key("nope")]), (1, 1));
        assert_eq!(locate("not [toml", &[Step::Key("id")]), (1, 1));
    }
}
