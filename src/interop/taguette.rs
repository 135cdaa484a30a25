//! Taguette's codebook CSV (Taguette imports codebooks only this way): a header row,
//! then one row per tag. Taguette reads the tag from a column `tag`, `name` or `path`
//! (exactly one of them, any case) and an optional `description`; other columns are
//! ignored. fieldnote writes `tag,description` (RFC 4180, UTF-8) and reads back the same
//! shapes Taguette accepts.

use super::export::csv::Csv;
use super::import::fourcat_csv::Records;
use crate::model::Codebook;

/// One row of a codebook CSV: a tag's name and description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: String,
    /// The 1-based line the row starts on, for messages.
    pub line: usize,
}

/// The codebook as Taguette's CSV: every code by name, in codebook order. Groups have
/// no place in Taguette's flat list of tags; names are written as they are.
pub fn write_codebook(book: &Codebook) -> String {
    let mut csv = Csv::new();
    csv.row(["tag", "description"]);
    for code in &book.codes {
        let name = if code.name.trim().is_empty() {
            &code.id
        } else {
            &code.name
        };
        csv.row([name.trim(), code.description.trim()]);
    }
    csv.finish()
}

/// The tags of a codebook CSV, or why it is not one (with the line).
pub fn read_codebook(text: &str) -> Result<Vec<Tag>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Records::new(text, b',');
    let header: Vec<String> = match records.next() {
        Some(Ok((_, fields))) => fields.iter().map(|h| h.trim().to_lowercase()).collect(),
        Some(Err((line, message))) => return Err(format!("line {line}: {message}")),
        None => return Err("the file is empty".into()),
    };
    let columns: Vec<usize> = ["tag", "name", "path"]
        .iter()
        .filter_map(|c| header.iter().position(|h| h == c))
        .collect();
    let name_col = match columns.as_slice() {
        [one] => *one,
        [] => return Err("line 1: no `tag`, `name` or `path` column: not a codebook CSV".into()),
        _ => {
            return Err(
                "line 1: more than one of `tag`, `name` and `path`: which one names the tag is unclear"
                    .into(),
            );
        }
    };
    let description_col = header.iter().position(|h| h == "description");
    let mut tags = Vec::new();
    for record in records {
        let (line, fields) = record.map_err(|(line, message)| format!("line {line}: {message}"))?;
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |i: usize| fields.get(i).map_or("", |f| f.trim());
        let name = field(name_col);
        if name.is_empty() {
            return Err(format!("line {line}: a row without a tag name"));
        }
        tags.push(Tag {
            name: name.to_string(),
            description: description_col.map_or("", field).to_string(),
            line,
        });
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Code;

    fn book() -> Codebook {
        let code = |id: &str, name: &str, description: &str| Code {
            id: id.into(),
            group: "g".into(),
            name: name.into(),
            description: description.into(),
            ..Code::default()
        };
        Codebook {
            codes: vec![
                code(
                    "curhat",
                    "Curhat",
                    "Venting, \"sharing\" troubles,\nwith followers",
                ),
                code("daily-life", "Daily life", ""),
                code("no-name", "", "x"),
            ],
            ..Codebook::default()
        }
    }

    #[test]
    fn writes_the_header_taguette_reads() {
        let csv = write_codebook(&book());
        assert_eq!(
            csv,
            "tag,description\r\n\
             Curhat,\"Venting, \"\"sharing\"\" troubles,\nwith followers\"\r\n\
             Daily life,\r\n\
             no-name,x\r\n"
        );
    }

    #[test]
    fn reads_back_what_it_writes_and_what_taguette_accepts() {
        let tags = read_codebook(&write_codebook(&book())).unwrap();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Curhat", "Daily life", "no-name"]);
        assert_eq!(
            tags[0].description,
            "Venting, \"sharing\" troubles,\nwith followers"
        );
        // Taguette's other spellings: `Name`/`path`, extra columns, blank rows.
        let tags = read_codebook("number,Path,Description\n3,kin,family\n\n4,work,\n").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!((tags[1].name.as_str(), tags[1].line), ("work", 4));
    }

    #[test]
    fn refuses_what_taguette_refuses() {
        assert!(read_codebook("").is_err());
        let err = read_codebook("code,description\na,b\n").unwrap_err();
        assert!(err.contains("no `tag`, `name` or `path`"), "{err}");
        assert!(
            read_codebook("tag,name\na,b\n")
                .unwrap_err()
                .contains("more than one")
        );
        let err = read_codebook("tag,description\na,b\n,c\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
    }
}
