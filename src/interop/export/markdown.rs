//! A field report in Markdown, ready for pandoc: a YAML title block, then one section
//! per account with its entries in chronological order (time, codes, metrics, body,
//! screenshots as relative image links, reviewer comments as block quotes), then the
//! entries that name no account. An entry about several accounts is written out in the
//! first of their sections and pointed to from the others.
//!
//! Bodies are kept as written (people may write Markdown in them); only what would
//! break the report's structure is escaped: a line starting with `#`, a line that would
//! underline the one before it, and `<`. No terminal escape ever gets through.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::PathBuf;

use super::{Export, Images, Output};
use crate::model::text::{one_line, sanitize};
use crate::model::{Entry, Journal};

pub fn report(export: &Export, images: &Images) -> Output {
    let journal = &export.journal;
    let mut out = Output::default();
    let mut s = String::with_capacity(export.selected.len() * 1500);
    title_block(&mut s, export);

    let mut copies = HashMap::new();
    let sections = sections(export);
    // Where each entry is written out in full: the first section that lists it.
    let mut home: HashMap<&str, &str> = HashMap::new();
    for (handle, entries) in &sections {
        for e in entries {
            home.entry(e.id.as_str()).or_insert(handle.as_str());
        }
    }
    for (handle, entries) in &sections {
        account_heading(&mut s, journal, handle);
        for e in entries {
            match home.get(e.id.as_str()) {
                Some(h) if *h != handle.as_str() => pointer(&mut s, journal, e, h),
                _ => entry(&mut s, export, e, images, &mut out, &mut copies),
            }
        }
    }
    let loose: Vec<&Entry> = export.entries().filter(|e| e.accounts.is_empty()).collect();
    if !loose.is_empty() {
        s.push_str("# Entries without an account\n\n");
        for e in loose {
            entry(&mut s, export, e, images, &mut out, &mut copies);
        }
    }
    quotes_by_code(&mut s, export);
    out.bytes = s.into_bytes();
    out
}

/// `[[id]]` links to exported entries become links to their headings; links to
/// entries not in the export stay as written.
fn linked(text: &str, export: &Export) -> String {
    use crate::model::links;
    if !text.contains("[[") {
        return text.to_string();
    }
    let exported: Vec<&str> = {
        let mut ids: Vec<&str> = export.entries().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids
    };
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, target) in links::links(text) {
        out.push_str(&text[at..range.start]);
        match links::resolve(&exported, target) {
            Ok(id) => {
                let _ = write!(out, "[{target}](#e-{id})");
            }
            Err(_) => out.push_str(&text[range.clone()]),
        }
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The representative quotes of a data display: for each code in codebook order, every
/// coded passage of the selected entries, with where it comes from (linked to the
/// entry). Passages whose text is gone are left out (`check` reports them).
fn quotes_by_code(s: &mut String, export: &Export) {
    let journal = &export.journal;
    let rows = super::passages::rows(export);
    let quoted: Vec<_> = rows.iter().filter(|r| r.start.is_some()).collect();
    if quoted.is_empty() {
        return;
    }
    s.push_str(
        "# Quotes by code

",
    );
    let mut order: Vec<(&str, Option<&crate::model::Code>)> = journal
        .codebook
        .codes_by_group()
        .into_iter()
        .flat_map(|(_, codes)| codes)
        .map(|c| (c.id.as_str(), Some(c)))
        .collect();
    // Codes a passage carries that the codebook does not have, after the others.
    for r in &quoted {
        if !order.iter().any(|(id, _)| *id == r.code) {
            order.push((r.code, None));
        }
    }
    let entries: HashMap<&str, &Entry> = export.entries().map(|e| (e.id.as_str(), e)).collect();
    for (id, code) in order {
        let here: Vec<_> = quoted.iter().filter(|r| r.code == id).collect();
        if here.is_empty() {
            continue;
        }
        let name = code.map_or(id, |c| if c.name.is_empty() { id } else { &c.name });
        let _ = writeln!(
            s,
            "## {} ({})
",
            inline(name),
            crate::model::text::counted(here.len(), "passage", "passages")
        );
        for r in here {
            for line in block(r.quote).trim_end().lines() {
                let _ = writeln!(s, "> {line}");
            }
            let Some(e) = entries.get(r.entry) else {
                s.push('\n');
                continue;
            };
            let accounts: Vec<String> = e
                .accounts
                .iter()
                .map(|h| inline(&account_label(journal, h)))
                .collect();
            let mut from = format!("[{}](#{})", inline(e.headline()), anchor(e));
            if !accounts.is_empty() {
                from.push_str(&format!(", {}", accounts.join(", ")));
            }
            let _ = writeln!(s, ">\n> — {from}, {}\n", e.observed_at.short());
        }
    }
}

/// The accounts with selected entries, in journal order, then handles the journal does
/// not know, each with its entries oldest first.
fn sections<'a>(export: &'a Export) -> Vec<(String, Vec<&'a Entry>)> {
    let mut order: Vec<&str> = export
        .journal
        .accounts
        .iter()
        .map(|a| a.handle.as_str())
        .collect();
    for e in export.entries() {
        for h in &e.accounts {
            if !order.contains(&h.as_str()) {
                order.push(h);
            }
        }
    }
    order
        .into_iter()
        .map(|h| {
            let entries: Vec<&Entry> = export
                .entries()
                .filter(|e| e.accounts.iter().any(|a| a == h))
                .collect();
            (h.to_string(), entries)
        })
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

fn title_block(s: &mut String, export: &Export) {
    let journal = &export.journal;
    let title = if journal.settings.title.trim().is_empty() {
        "Field journal"
    } else {
        journal.settings.title.trim()
    };
    let yaml = |text: &str| serde_json::to_string(&one_line(text)).expect("strings serialise");
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml(title));
    s.push_str("subtitle: \"Field report\"\n");
    if !journal.settings.researchers.is_empty() {
        s.push_str("author:\n");
        for r in &journal.settings.researchers {
            let _ = writeln!(s, "  - {}", yaml(r));
        }
    }
    let first = export.entries().next();
    let last = export.entries().last();
    if let (Some(first), Some(last)) = (first, last) {
        let _ = writeln!(
            s,
            "date: \"{} – {}\"",
            first.observed_at.civil().date(),
            last.observed_at.civil().date()
        );
    }
    s.push_str("---\n\n");
    let _ = write!(
        s,
        "{}, exported by fieldnote {}",
        crate::model::text::counted(export.selected.len(), "entry", "entries"),
        env!("CARGO_PKG_VERSION")
    );
    if !export.filter.is_empty() {
        let _ = write!(s, " (selected: {})", inline(&export.filter));
    }
    s.push('.');
    if export.is_pseudonymised() {
        s.push_str(
            " Pseudonymised: handles, display names and links are replaced by the accounts' pseudonyms.",
        );
    }
    s.push_str(" Times are local to where each entry was observed.\n\n");
}

fn account_heading(s: &mut String, journal: &Journal, handle: &str) {
    let Some(a) = journal.account(handle) else {
        let _ = writeln!(s, "# @{}\n", inline(handle));
        return;
    };
    if a.display_name.is_empty() || a.display_name == a.handle {
        let _ = writeln!(s, "# {}\n", inline(&account_label(journal, handle)));
    } else {
        let _ = writeln!(
            s,
            "# {} ({})\n",
            inline(&account_label(journal, handle)),
            inline(&a.display_name)
        );
    }
    let mut facts = vec![a.platform.as_str().to_string()];
    if !a.category.is_empty() {
        facts.push(inline(&a.category));
    }
    if let Some((count, _)) = a.latest_followers() {
        facts.push(format!("{} followers", thousands(count)));
    }
    let _ = writeln!(s, "*{}*\n", facts.join(" · "));
    if !a.notes.trim().is_empty() {
        let _ = writeln!(s, "{}\n", block(a.notes.trim_end()));
    }
}

/// `@handle`, or the pseudonym itself when the export is pseudonymised.
fn account_label(journal: &Journal, handle: &str) -> String {
    match journal.account(handle) {
        Some(a) if a.pseudonym == a.handle => a.handle.clone(),
        _ => format!("@{handle}"),
    }
}

fn heading_text(e: &Entry) -> String {
    let title = e.headline();
    if title.is_empty() {
        e.observed_at.short()
    } else {
        format!("{} · {}", e.observed_at.short(), inline(title))
    }
}

fn anchor(e: &Entry) -> String {
    format!("e-{}", e.id)
}

fn pointer(s: &mut String, journal: &Journal, e: &Entry, home: &str) {
    let _ = writeln!(
        s,
        "*{}: [{}](#{}), written out under {}.*\n",
        e.observed_at.short(),
        inline(e.headline()),
        anchor(e),
        inline(&account_label(journal, home))
    );
}

/// One entry in full. `copies`: journal file -> its index in `out.files`, so a
/// screenshot several entries show is copied once.
fn entry(
    s: &mut String,
    export: &Export,
    e: &Entry,
    images: &Images,
    out: &mut Output,
    copies: &mut HashMap<PathBuf, usize>,
) {
    let journal = &export.journal;
    let _ = writeln!(s, "## {} {{#{}}}\n", heading_text(e), anchor(e));
    let mut facts = vec![format!("*{}*", e.kind)];
    facts.push(format!("observed {}", e.observed_at));
    if let Some(end) = e.ended_at {
        facts.push(format!("ended {end}"));
    }
    if let Some(r) = e.recorded_at {
        facts.push(format!("recorded {r}"));
    }
    if !e.informant.is_empty() {
        facts.push(format!("informant {}", inline(&e.informant)));
    }
    if e.accounts.len() > 1 {
        let names: Vec<String> = e
            .accounts
            .iter()
            .map(|h| inline(&account_label(journal, h)))
            .collect();
        facts.push(format!("about {}", names.join(", ")));
    }
    let mut lines = vec![facts.join(" · ")];
    let codes = code_names(journal, e);
    if !codes.is_empty() {
        lines.push(format!("**Codes:** {}", codes.join(", ")));
    }
    if !e.url.is_empty() {
        lines.push(format!(
            "**Link:** <{}>",
            one_line(&e.url).replace('>', "%3E")
        ));
    }
    if let Some(m) = &e.metrics {
        let parts = m.describe(thousands);
        if !parts.is_empty() {
            let at = m
                .metrics_at
                .map(|t| format!(" (read {})", t.short()))
                .unwrap_or_default();
            lines.push(format!("**Metrics:** {}{at}", parts.join(" · ")));
        }
    }
    // Two trailing spaces: a line break inside one paragraph.
    let _ = writeln!(s, "{}\n", lines.join("  \n"));
    let body = linked(&block(&e.body), export);
    if !body.trim().is_empty() {
        let _ = writeln!(s, "{}\n", body.trim_end());
    }
    for shot in &e.screenshots {
        let caption = if shot.caption.trim().is_empty() {
            "Screenshot".to_string()
        } else {
            inline(&shot.caption)
        };
        let file = match (images, export.media_file(&shot.path)) {
            (Images::CaptionsOnly, _) => None,
            (_, Ok(file)) => Some(file),
            (_, Err(reason)) => {
                out.warnings.push(format!(
                    "screenshot {} of {} is left out: {reason}",
                    one_line(&shot.path),
                    e.id
                ));
                None
            }
        };
        let target = match (images, file) {
            (Images::Journal(base), Some(_)) => Some(link_path(&base.join(&shot.path))),
            (Images::Copied(folder), Some(file)) => {
                if let Some(i) = copies.get(&file) {
                    // One copy of a file that several entries show.
                    Some(out.files[*i].0.clone())
                } else if file.is_file() {
                    let name = format!("{folder}/{}", shot.path);
                    copies.insert(file.clone(), out.files.len());
                    out.files.push((name.clone(), file));
                    Some(name)
                } else {
                    out.warnings
                        .push(format!("screenshot {} of {} is missing", shot.path, e.id));
                    None
                }
            }
            _ => None,
        };
        match target {
            Some(t) => {
                let _ = writeln!(s, "![{caption}]({})\n", destination(&t));
            }
            None => {
                let _ = writeln!(s, "*Screenshot: {caption}*\n");
            }
        }
    }
    for c in journal.comments_on(&e.id) {
        let state = if c.resolved { "resolved" } else { "open" };
        let _ = writeln!(
            s,
            "> **{}**, {} · {state}\n>",
            inline(&c.author),
            c.at.short()
        );
        for line in block(&c.body).trim_end().lines() {
            if line.is_empty() {
                s.push_str(">\n");
            } else {
                let _ = writeln!(s, "> {line}");
            }
        }
        s.push('\n');
    }
}

/// The names of an entry's codes in codebook order; ids for codes it does not know.
fn code_names(journal: &Journal, e: &Entry) -> Vec<String> {
    journal
        .codebook
        .in_display_order(&e.codes)
        .into_iter()
        .map(|(id, code)| match code {
            Some(code) if !code.name.is_empty() => inline(&code.name),
            _ => inline(id),
        })
        .collect()
}

/// One line of text as Markdown inline content: sanitized, on one line, with the
/// characters that would start emphasis, links, code, raw HTML or attributes escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '`'
                | '['
                | ']'
                | '<'
                | '>'
                | '{'
                | '}'
                | '$'
                | '#'
                | '|'
                | '~'
                | '^'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Multi-line text (a body, a comment) kept as written, but unable to break the
/// report: no heading or setext underline starts a line, and `<` opens no HTML.
fn block(text: &str) -> String {
    let clean = sanitize(text);
    let mut out = String::with_capacity(clean.len() + 16);
    for line in clean.split('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        out.push_str(indent);
        let rule = trimmed.len() >= 2 && trimmed.chars().all(|c| matches!(c, '-' | '=' | ' '));
        if trimmed.starts_with('#') || rule {
            out.push('\\');
        }
        out.push_str(&trimmed.replace('<', "\\<"));
        out.push('\n');
    }
    out.pop();
    out
}

/// A path as a link: `/` separators whatever the platform.
fn link_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A link destination, in angle brackets when it holds spaces or brackets. A character
/// that must not reach a terminal or a page (an escape, a bidi override: file names
/// come from journal files) is percent-encoded, so the link still names the file.
fn destination(target: &str) -> String {
    let mut safe = String::with_capacity(target.len());
    for c in target.chars() {
        let mut buf = [0; 4];
        let text = c.encode_utf8(&mut buf);
        if c.is_control() || sanitize(text) != *text {
            for b in text.bytes() {
                safe.push_str(&format!("%{b:02X}"));
            }
        } else {
            safe.push(c);
        }
    }
    let target = safe.as_str();
    if target.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", target.replace('<', "%3C").replace('>', "%3E"))
    } else {
        target.to_string()
    }
}

/// `72300` -> `72,300`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_structure_but_keeps_words() {
        assert_eq!(inline("a *b* [c]\u{1b}[31m"), "a \\*b\\* \\[c\\]␛\\[31m");
        assert_eq!(
            block("# not a heading\n---\n  text <b>\n\u{1b}]0;x"),
            "\\# not a heading\n\\---\n  text \\<b>\n␛]0;x"
        );
        assert_eq!(thousands(72300), "72,300");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(destination("a b.png"), "<a b.png>");
        assert_eq!(destination("media/x.png"), "media/x.png");
    }
}
