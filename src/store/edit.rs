//! Changing values inside a `toml_edit` document without disturbing anything else: a
//! value that did not change is left as written (quotes, comments, spacing); one that
//! changed keeps the comment and spacing around it.

use toml_edit::{Array, ArrayOfTables, Item, Table, Value};

use crate::model::Moment;

/// Set `key` to `new`, keeping the old value's decor (its trailing comment). Does
/// nothing when the value is already equal.
fn put(table: &mut Table, key: &str, new: Value, same: impl Fn(&Value) -> bool) {
    match table.get_mut(key) {
        Some(Item::Value(old)) if same(old) => {}
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
        _ => {
            table.insert(key, Item::Value(new));
        }
    }
}

/// A string; empty removes the key (optional fields are absent rather than `""`).
pub fn put_str(table: &mut Table, key: &str, value: &str) {
    if value.is_empty() {
        if table
            .get(key)
            .and_then(Item::as_str)
            .is_some_and(|s| !s.is_empty())
        {
            table.remove(key);
        }
        return;
    }
    put(table, key, Value::from(value), |old| {
        old.as_str() == Some(value)
    });
}

/// A string that is always written, even empty (ids, names).
pub fn put_required_str(table: &mut Table, key: &str, value: &str) {
    put(table, key, Value::from(value), |old| {
        old.as_str() == Some(value)
    });
}

pub fn put_strs(table: &mut Table, key: &str, values: &[String]) {
    let same = |old: &Value| {
        old.as_array().is_some_and(|a| {
            a.len() == values.len() && a.iter().zip(values).all(|(o, v)| o.as_str() == Some(v))
        })
    };
    put(
        table,
        key,
        Value::Array(values.iter().collect::<Array>()),
        same,
    );
}

pub fn put_u64(table: &mut Table, key: &str, value: Option<u64>) {
    match value {
        None => {
            table.remove(key);
        }
        Some(n) => {
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            put(table, key, Value::from(n), |old| {
                old.as_integer() == Some(n)
            });
        }
    }
}

pub fn put_u32(table: &mut Table, key: &str, value: u32) {
    put_u64(table, key, Some(u64::from(value)));
}

pub fn put_bool(table: &mut Table, key: &str, value: bool) {
    put(table, key, Value::from(value), |old| {
        old.as_bool() == Some(value)
    });
}

pub fn put_moment(table: &mut Table, key: &str, value: Option<&Moment>) {
    match value {
        None => {
            table.remove(key);
        }
        Some(m) => {
            let same = |old: &Value| {
                old.as_datetime()
                    .and_then(|d| Moment::from_toml(d).ok())
                    .is_some_and(|o| o == *m && o.offset == m.offset)
            };
            put(table, key, Value::from(m.to_toml()), same);
        }
    }
}

pub fn put_date(table: &mut Table, key: &str, date: jiff::civil::Date) {
    let dt = toml_datetime::Datetime {
        date: Some(toml_datetime::Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    };
    put(table, key, Value::from(dt), |old| {
        old.as_datetime().is_some_and(|d| *d == dt)
    });
}

/// The sub-table `key`, created (as a `[key]` section) when missing. A dotted or inline
/// table a person wrote stays as it is.
pub fn table_mut<'a>(table: &'a mut Table, key: &str) -> &'a mut Table {
    let item = table
        .entry(key)
        .or_insert_with(|| Item::Table(Table::new()));
    if let Item::Value(Value::InlineTable(_)) = item {
        // Editing inside an inline table in place keeps it inline.
        let inline = std::mem::take(item)
            .into_value()
            .ok()
            .and_then(|v| match v {
                Value::InlineTable(t) => Some(t),
                _ => None,
            });
        *item = Item::Table(inline.map(|t| t.into_table()).unwrap_or_default());
    }
    if !item.is_table() {
        *item = Item::Table(Table::new());
    }
    item.as_table_mut().expect("just made a table")
}

/// Make the array of tables `key` hold exactly `records`, matched by the string field
/// `id_key` (`id` for codes) or by position when `id_key` is `None`. Tables that match
/// are updated in place, so keys a person added to them survive.
pub fn sync_tables<T>(
    table: &mut Table,
    key: &str,
    records: &[T],
    id_key: Option<&str>,
    id_of: impl Fn(&T) -> &str,
    write: impl Fn(&mut Table, &T),
) {
    if records.is_empty() {
        if table.contains_key(key) {
            table.remove(key);
        }
        return;
    }
    let mut old = match table.remove(key) {
        Some(Item::ArrayOfTables(a)) => a,
        _ => ArrayOfTables::new(),
    };
    // New tables go after the last table of the array a person wrote, not wherever
    // toml_edit would put a table without a position.
    let last_position = old.iter().filter_map(Table::position).max();
    let mut new = ArrayOfTables::new();
    for (i, record) in records.iter().enumerate() {
        let matched = match id_key {
            Some(k) => {
                let pos = old
                    .iter()
                    .position(|t| t.get(k).and_then(Item::as_str) == Some(id_of(record)));
                pos.map(|p| take_table(&mut old, p))
            }
            None => (i < old.len()).then(|| old.get(i).cloned().unwrap_or_default()),
        };
        let mut t = matched.unwrap_or_else(|| {
            let mut fresh = Table::new();
            fresh.set_position(last_position);
            fresh
        });
        write(&mut t, record);
        new.push(t);
    }
    table.insert(key, Item::ArrayOfTables(new));
}

fn take_table(tables: &mut ArrayOfTables, index: usize) -> Table {
    let t = tables.get(index).cloned().unwrap_or_default();
    tables.remove(index);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    #[test]
    fn unchanged_values_keep_their_spelling() {
        let mut doc: DocumentMut = "title = 'literal'  # why\nn = 0x10\n".parse().unwrap();
        put_str(doc.as_table_mut(), "title", "literal");
        put_u64(doc.as_table_mut(), "n", Some(16));
        assert_eq!(doc.to_string(), "title = 'literal'  # why\nn = 0x10\n");
    }

    #[test]
    fn changed_values_keep_their_comment() {
        let mut doc: DocumentMut = "title = \"old\"  # keep me\n".parse().unwrap();
        put_str(doc.as_table_mut(), "title", "new");
        assert_eq!(doc.to_string(), "title = \"new\"  # keep me\n");
    }

    #[test]
    fn multiline_strings_are_written_as_blocks() {
        let mut doc = DocumentMut::new();
        put_str(doc.as_table_mut(), "body", "line one\nline \"two\"\n");
        let text = doc.to_string();
        assert!(text.starts_with("body = \"\"\"\n"), "{text}");
        let back: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(back["body"].as_str(), Some("line one\nline \"two\"\n"));
    }

    #[test]
    fn tables_sync_by_id_and_keep_extra_keys() {
        let mut doc: DocumentMut = "[[code]]\nid = \"a\"\nmine = 1\n\n[[code]]\nid = \"b\"\n"
            .parse()
            .unwrap();
        let ids = ["b".to_string(), "a".to_string(), "c".to_string()];
        sync_tables(
            doc.as_table_mut(),
            "code",
            &ids,
            Some("id"),
            |s| s,
            |t, id| put_required_str(t, "id", id),
        );
        let back: toml::Table = toml::from_str(&doc.to_string()).unwrap();
        let codes = back["code"].as_array().unwrap();
        // Tables a person wrote stay where they were; new ones follow.
        let ids: Vec<&str> = codes.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(codes[0]["mine"].as_integer(), Some(1));
        sync_tables(
            doc.as_table_mut(),
            "code",
            &ids[..1],
            Some("id"),
            |s| s,
            |t, id| put_required_str(t, "id", id),
        );
        assert_eq!(doc.to_string(), "[[code]]\nid = \"a\"\nmine = 1\n");
    }
}
