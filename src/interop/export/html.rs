//! The report a supervisor or an informant opens in a browser: one self-contained HTML
//! file (no request to the network, pictures embedded), with the figures, the codes ×
//! accounts matrix as a shaded table, the charts as inline SVG, the quotes by code,
//! the memos, screenshots as thumbnails and the reviewers' comments.
//!
//! Every piece of journal text is escaped (captures are hostile input), and a
//! Content-Security-Policy allows no script at all: only inline style and `data:`
//! pictures.

use std::fmt::Write;

use base64::Engine;
use quick_xml::escape::escape;

use super::Export;
use crate::analysis::charts::ChartData;
use crate::analysis::figures::FigureTable;
use crate::model::text::sanitize;
use crate::model::{Entry, Kind};

/// A screenshot larger than this is named, not embedded.
const MAX_PICTURE_BYTES: u64 = 512 * 1024;
/// All embedded pictures together stay under this.
const PICTURE_BUDGET: u64 = 8 * 1024 * 1024;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.45;color:#111}\
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}\
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem;display:block;overflow-x:auto}\
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th[scope=row],th:first-child,td.text{text-align:left}\
caption{text-align:left;font-weight:bold;padding:.25rem 0}\
blockquote{margin:.5rem 0 .25rem;padding-left:.75rem;border-left:3px solid #999;white-space:pre-wrap}\
cite{display:block;font-size:.85rem;color:#444;margin-bottom:.75rem}\
.body{white-space:pre-wrap}figure{margin:1rem 0}svg{max-width:100%;height:auto}\
img{max-width:16rem;max-height:16rem;border:1px solid #ccc}\
.gallery{display:flex;flex-wrap:wrap;gap:1rem}.gallery figure{max-width:16rem}\
@media print{h2{break-after:avoid}figure,blockquote,tr{break-inside:avoid}section{break-before:auto}}";

/// Text for the page: control characters made visible, then escaped.
fn esc(text: &str) -> String {
    escape(sanitize(text).as_ref()).into_owned()
}

/// The whole report. `figures` and `charts` are computed by the caller over the same
/// selection (the command line has the filter).
pub fn report(export: &Export, figures: &FigureTable, charts: &[ChartData]) -> String {
    let journal = &export.journal;
    let title = if journal.settings.title.trim().is_empty() {
        "Field journal".to_string()
    } else {
        journal.settings.title.trim().to_string()
    };
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\n<header><h1>{t}</h1>",
        t = esc(&title)
    );
    header(&mut s, export);
    s.push_str("</header>\n");
    figures_section(&mut s, figures);
    matrix_section(&mut s, export);
    if !charts.is_empty() {
        s.push_str("<section><h2>Over time</h2>\n");
        for chart in charts.iter().filter(|c| !c.x.is_empty()) {
            let _ = writeln!(
                s,
                "<figure>{}</figure>",
                super::svg::chart_svg(chart).trim_end()
            );
        }
        s.push_str("</section>\n");
    }
    quotes_section(&mut s, export);
    memos_section(&mut s, export);
    pictures_section(&mut s, export);
    comments_section(&mut s, export);
    s.push_str("</body></html>\n");
    s
}

fn header(s: &mut String, export: &Export) {
    let first = export.entries().next();
    let last = export.entries().last();
    let period = match (first, last) {
        (Some(a), Some(b)) => format!(
            "{} – {}",
            a.observed_at.civil().date(),
            b.observed_at.civil().date()
        ),
        _ => "no entries".into(),
    };
    let researchers = export.journal.settings.researchers.join(", ");
    let _ = write!(
        s,
        "<p>{}, {period}{}{}{}.</p>",
        crate::model::text::counted(export.selected.len(), "entry", "entries"),
        if researchers.is_empty() {
            String::new()
        } else {
            format!(", by {}", esc(&researchers))
        },
        if export.filter.is_empty() {
            String::new()
        } else {
            format!(" (selected: {})", esc(&export.filter))
        },
        if export.is_pseudonymised() {
            "; pseudonymised: handles, names and links are replaced by pseudonyms"
        } else {
            ""
        }
    );
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1}%", v * 100.0))
}

fn figures_section(s: &mut String, t: &FigureTable) {
    s.push_str(
        "<section><h2>Accounts and figures</h2><table><caption>Per account, as <code>fieldnote stats</code> defines them</caption>\
         <thead><tr><th scope=\"col\">account</th><th scope=\"col\">entries</th><th scope=\"col\">lives</th>\
         <th scope=\"col\">lives / week</th><th scope=\"col\">reply share</th><th scope=\"col\">engagement</th>\
         <th scope=\"col\">followers</th><th scope=\"col\">change</th></tr></thead><tbody>\n",
    );
    for f in t.accounts.iter().chain(std::iter::once(&t.all)) {
        let name = f
            .handle
            .as_deref()
            .map_or("all selected".to_string(), |h| format!("@{h}"));
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&name),
            f.entries,
            f.live_entries,
            f.lives_per_week.map_or("–".into(), |v| format!("{v:.2}")),
            percent(f.reply_share),
            percent(f.engagement_rate),
            f.followers_last.map_or("–".into(), |v| v.to_string()),
            f.follower_change.map_or("–".into(), |v| format!("{v:+}")),
        );
    }
    s.push_str("</tbody></table></section>\n");
}

/// Codes × accounts: entries carrying the code, shaded by their share of the account's
/// entries.
fn matrix_section(s: &mut String, export: &Export) {
    let journal = &export.journal;
    let entries: Vec<&Entry> = export.entries().collect();
    let mut handles: Vec<&str> = Vec::new();
    for e in &entries {
        for a in &e.accounts {
            if !handles.contains(&a.as_str()) {
                handles.push(a);
            }
        }
    }
    handles.sort_unstable();
    let base: Vec<usize> = handles
        .iter()
        .map(|h| {
            entries
                .iter()
                .filter(|e| e.accounts.iter().any(|a| a == h))
                .count()
        })
        .collect();
    s.push_str(
        "<section><h2>Codes × accounts</h2><table><caption>Entries carrying each code (shade: share of the account's entries)</caption><thead><tr><th scope=\"col\">code</th>",
    );
    for h in &handles {
        let _ = write!(s, "<th scope=\"col\">@{}</th>", esc(h));
    }
    s.push_str("</tr></thead><tbody>\n");
    for (_, codes) in journal.codebook.codes_by_group() {
        for code in codes {
            let _ = write!(s, "<tr><th scope=\"row\">{}</th>", esc(&code.name));
            for (h, total) in handles.iter().zip(&base) {
                let n = entries
                    .iter()
                    .filter(|e| e.accounts.iter().any(|a| a == h) && e.carries(&code.id))
                    .count();
                let share = n as f64 / (*total).max(1) as f64;
                let _ = write!(
                    s,
                    "<td style=\"background:rgba(30,90,200,{:.2})\">{n}</td>",
                    share * 0.6
                );
            }
            s.push_str("</tr>\n");
        }
    }
    s.push_str("</tbody></table></section>\n");
}

fn quotes_section(s: &mut String, export: &Export) {
    let rows = super::passages::rows(export);
    let quoted: Vec<_> = rows.iter().filter(|r| r.start.is_some()).collect();
    if quoted.is_empty() {
        return;
    }
    s.push_str("<section><h2>Quotes by code</h2>\n");
    for (_, codes) in export.journal.codebook.codes_by_group() {
        for code in codes {
            let here: Vec<_> = quoted.iter().filter(|r| r.code == code.id).collect();
            if here.is_empty() {
                continue;
            }
            let _ = writeln!(s, "<h3>{} ({})</h3>", esc(&code.name), here.len());
            for r in here {
                let from = export
                    .journal
                    .entry(r.entry)
                    .map_or(r.entry.to_string(), |e| {
                        format!("{} · {}", e.headline(), e.observed_at.short())
                    });
                let accounts: Vec<String> = r.accounts.iter().map(|a| format!("@{a}")).collect();
                let _ = writeln!(
                    s,
                    "<blockquote>{}</blockquote><cite>{} {}</cite>",
                    esc(r.quote),
                    esc(&from),
                    esc(&accounts.join(", "))
                );
            }
        }
    }
    s.push_str("</section>\n");
}

fn memos_section(s: &mut String, export: &Export) {
    let memos: Vec<&Entry> = export.entries().filter(|e| e.kind == Kind::Memo).collect();
    if memos.is_empty() {
        return;
    }
    s.push_str("<section><h2>Memos</h2>\n");
    for e in memos {
        let _ = writeln!(
            s,
            "<article><h3>{}</h3><p><small>{}</small></p><div class=\"body\">{}</div></article>",
            esc(e.headline()),
            esc(&e.observed_at.short()),
            esc(e.body.trim_end())
        );
    }
    s.push_str("</section>\n");
}

/// Screenshots as embedded thumbnails, within the size budget; the others by caption.
fn pictures_section(s: &mut String, export: &Export) {
    let shots: Vec<(&Entry, &crate::model::Screenshot)> = export
        .entries()
        .flat_map(|e| e.screenshots.iter().map(move |shot| (e, shot)))
        .collect();
    if shots.is_empty() {
        return;
    }
    s.push_str("<section><h2>Screenshots</h2><div class=\"gallery\">\n");
    let mut spent = 0u64;
    for (e, shot) in shots {
        let caption = if shot.caption.trim().is_empty() {
            e.headline().to_string()
        } else {
            shot.caption.clone()
        };
        let picture = export.media_file(&shot.path).ok().and_then(|file| {
            let size = std::fs::metadata(&file).ok()?.len();
            if size > MAX_PICTURE_BYTES || spent + size > PICTURE_BUDGET {
                return None;
            }
            let bytes = std::fs::read(&file).ok()?;
            let mime = match image::guess_format(&bytes).ok()? {
                image::ImageFormat::Png => "image/png",
                image::ImageFormat::Jpeg => "image/jpeg",
                _ => return None,
            };
            spent += size;
            Some(format!(
                "data:{mime};base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            ))
        });
        match picture {
            Some(src) => {
                let _ = writeln!(
                    s,
                    "<figure><img src=\"{src}\" alt=\"{a}\"><figcaption>{a}</figcaption></figure>",
                    a = esc(&caption)
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    "<figure><figcaption>{} (not embedded: too large, missing or not a PNG or JPEG)</figcaption></figure>",
                    esc(&caption)
                );
            }
        }
    }
    s.push_str("</div></section>\n");
}

fn comments_section(s: &mut String, export: &Export) {
    let comments = export.comments();
    if comments.is_empty() {
        return;
    }
    s.push_str("<section><h2>Reviewer comments</h2>\n");
    for c in comments {
        let on = export
            .journal
            .entry(&c.entry)
            .map_or(c.entry.clone(), |e| e.headline().to_string());
        let state = if c.resolved { "resolved" } else { "open" };
        let _ = writeln!(
            s,
            "<blockquote>{}</blockquote><cite>{}, {} · {state} · on {}</cite>",
            esc(c.body.trim_end()),
            esc(&c.author),
            esc(&c.at.short()),
            esc(&on)
        );
    }
    s.push_str("</section>\n");
}
