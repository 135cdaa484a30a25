//! The `.qdpx` package: `project.qde` and `sources/` in a zip.

use super::*;

/// A zip entry's time: the local wall-clock time of `m` (zip has no zones), so the
/// same journal always gives the same bytes.
pub(super) fn zip_time(m: &Moment) -> zip::DateTime {
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

pub(super) fn zip_project(
    export: &Export,
    qde: &str,
    items: &[Item],
    comments: &[&crate::model::Comment],
) -> Result<Vec<u8>, ExportError> {
    let zip_error =
        |e: &dyn std::fmt::Display| ExportError::Invalid(format!("cannot write the zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The fastest deflate: a project holds thousands of small texts, and at level 6 the
    // compression took most of a 10,000-entry export (1.8× `zip -r` of the same files;
    // 1.1× at level 1, for a somewhat larger file).
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
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
    // Annotations carry their text inline (see `write_notes`).
    for c in comments.iter().filter(|c| annotated(items, c).is_none()) {
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
