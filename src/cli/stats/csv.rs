//! `stats --format csv`: each table as RFC 4180 CSV.

use super::*;

pub(super) fn col_key(h: &crate::analysis::matrix::Header) -> String {
    if h.id.is_empty() {
        "none".to_string()
    } else {
        h.id.clone()
    }
}

pub(super) fn matrix_csv(m: &Matrix, values: Values) -> String {
    let (counts, shares) = match values {
        Values::Count => (true, false),
        Values::Share => (false, true),
        Values::Both => (true, true),
    };
    let mut csv = Csv::new();
    let mut header = vec!["group".to_string(), "id".into(), "label".into()];
    let keys: Vec<String> = m
        .cols()
        .iter()
        .map(col_key)
        .chain(["total".to_string()])
        .collect();
    for k in &keys {
        if counts {
            header.push(k.clone());
        }
        if shares {
            header.push(format!("{k}_pct"));
        }
    }
    csv.row(&header);
    let push = |row: &mut Vec<String>, count: usize, share: Option<f64>| {
        if counts {
            row.push(count.to_string());
        }
        if shares {
            row.push(percent_number(share));
        }
    };
    for (r, h) in m.rows().iter().enumerate() {
        let mut row = vec![
            h.group.clone().unwrap_or_default(),
            col_key(h),
            h.label.clone(),
        ];
        for c in 0..m.cols().len() {
            push(&mut row, m.count(r, c), m.share(r, c));
        }
        push(&mut row, m.row_total(r), m.row_share(r));
        csv.row(&row);
    }
    let mut row = vec![String::new(), "total".into(), "total (entries)".into()];
    for c in 0..m.cols().len() {
        push(&mut row, m.col_total(c), m.col_share(c));
    }
    push(&mut row, m.total(), m.total_share());
    csv.row(&row);
    csv.finish()
}

pub(super) fn figures_csv(t: &FigureTable) -> String {
    let mut csv = Csv::new();
    csv.row([
        "account",
        "entries",
        "observation",
        "content",
        "interview",
        "memo",
        "first_observed",
        "last_observed",
        "weeks_observed",
        "span_weeks",
        "live_entries",
        "lives_per_week",
        "sessions",
        "moments_per_session",
        "session_minutes",
        "peak_viewers",
        "reply_entries",
        "comments",
        "replied_comments",
        "reply_share_pct",
        "engagement_entries",
        "engagement_rate_pct",
        "followers_first",
        "followers_last",
        "follower_change",
        "follower_change_pct",
    ]);
    let opt = |v: Option<String>| v.unwrap_or_default();
    for f in t.accounts.iter().chain(std::iter::once(&t.all)) {
        csv.row([
            f.handle.clone().unwrap_or_else(|| "all".into()),
            f.entries.to_string(),
            f.by_kind.observation.to_string(),
            f.by_kind.content.to_string(),
            f.by_kind.interview.to_string(),
            f.by_kind.memo.to_string(),
            opt(f.first_observed.map(|m| m.to_string())),
            opt(f.last_observed.map(|m| m.to_string())),
            f.weeks_observed.to_string(),
            format!("{:.2}", f.span_weeks),
            f.live_entries.to_string(),
            opt(f.lives_per_week.map(|v| format!("{v:.2}"))),
            f.sessions.to_string(),
            opt(f.moments_per_session.map(|v| format!("{v:.2}"))),
            opt(f.session_minutes.map(|v| format!("{v:.1}"))),
            opt(f.peak_viewers.map(|v| v.to_string())),
            f.reply_entries.to_string(),
            f.comments.to_string(),
            f.replied_comments.to_string(),
            percent_number(f.reply_share),
            f.engagement_entries.to_string(),
            percent_number(f.engagement_rate),
            opt(f.followers_first.map(|v| v.to_string())),
            opt(f.followers_last.map(|v| v.to_string())),
            opt(f.follower_change.map(|v| v.to_string())),
            percent_number(f.follower_change_share),
        ]);
    }
    csv.finish()
}

/// The most codes for which a full co-occurrence matrix is written (JSON `counts`, CSV):
/// 10,000 codes would make 100 million cells. Pairs are always listed.
pub(super) const MAX_FULL_CODES: usize = 2000;

pub(super) fn co_csv(co: &CoOccurrence) -> String {
    let mut csv = Csv::new();
    if co.codes.len() > MAX_FULL_CODES {
        // Too many codes for a square table: one row per pair that occurs.
        csv.row(["code_a", "code_b", "count"].map(String::from));
        for p in co.pairs() {
            let (a, b) = (co.codes[p.a].id.clone(), co.codes[p.b].id.clone());
            csv.row([a, b, p.count.to_string()]);
        }
        return csv.finish();
    }
    csv.row(std::iter::once("code".to_string()).chain(co.codes.iter().map(|h| h.id.clone())));
    for (h, row) in co.codes.iter().zip(co.rows()) {
        csv.row(std::iter::once(h.id.clone()).chain(row.iter().map(|n| n.to_string())));
    }
    csv.finish()
}
