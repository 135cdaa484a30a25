//! Charts as standalone SVG, hand-written (no plotting crate, no fonts to find): a line
//! per series, a distinct marker shape per series so a chart printed in black and white
//! still tells them apart, and every piece of text escaped. `export --format svg
//! --chart NAME` writes one (`chart_svg`), from the chart the interface draws.

use std::fmt::Write;

use quick_xml::escape::escape;

use crate::analysis::charts::ChartData;
use crate::analysis::series::{Activity, EngagementPoint};

/// A paper figure's size, in CSS pixels (about 16 x 9 cm at 96 dpi).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 360.0;
const MARGIN: f64 = 48.0;

/// One named line of (x, y) points.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Entries per week, a series per account (x: days since 1970-01-01 of the week's Monday).
pub fn activity_series(activity: &[Activity]) -> Vec<Series> {
    activity
        .iter()
        .map(|a| Series {
            name: format!("@{}", a.handle),
            points: a
                .points
                .iter()
                .map(|p| (day_number(p.week), p.entries.len() as f64))
                .collect(),
        })
        .collect()
}

/// Engagement rate per content entry, a series per account.
pub fn engagement_series(points: &[EngagementPoint]) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    for p in points {
        let name = format!("@{}", p.handle.as_deref().unwrap_or("?"));
        let x = day_number(p.at.civil().date());
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.points.push((x, p.rate)),
            None => out.push(Series {
                name,
                points: vec![(x, p.rate)],
            }),
        }
    }
    out
}

/// A chart of the interface (`analysis::charts`) as a paper figure: x on a time axis
/// (days), the first and last dates written under it.
pub fn chart_svg(data: &ChartData) -> String {
    let day = |i: f64| data.x.get(i as usize).map_or(0.0, |d| day_number(*d));
    let series: Vec<Series> = data
        .series
        .iter()
        .map(|(name, points)| Series {
            name: name.clone(),
            points: points.iter().map(|&(x, y)| (day(x), y)).collect(),
        })
        .collect();
    let mut svg = line_chart(&data.title, &data.y_label, &series);
    if let (Some(first), Some(last)) = (data.x.first(), data.x.last()) {
        let labels = format!(
            r#"<text x="{MARGIN}" y="{y:.0}">{first}</text><text x="{r:.0}" y="{y:.0}" text-anchor="end">{last}</text></svg>"#,
            y = HEIGHT - MARGIN + 18.0,
            r = WIDTH - MARGIN,
        );
        svg = svg.replacen("</svg>", &labels, 1);
    }
    svg
}

fn day_number(date: jiff::civil::Date) -> f64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    (date - epoch).get_days() as f64
}

const MARKERS: [&str; 4] = ["circle", "square", "triangle", "diamond"];

fn marker(shape: &str, x: f64, y: f64) -> String {
    match shape {
        "circle" => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5"/>"#),
        "square" => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="7" height="7"/>"#,
            x - 3.5,
            y - 3.5
        ),
        "triangle" => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z"/>"#,
            y - 4.0,
            x + 4.0,
            y + 3.5,
            x - 4.0,
            y + 3.5
        ),
        _ => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z"/>"#,
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    }
}

/// A line chart of `series` with a title and a y-axis label, as one `<svg>` element.
/// Each series is a `<g class="series">` holding a polyline and one marker per point.
pub fn line_chart(title: &str, y_label: &str, series: &[Series]) -> String {
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = all().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let y1 = all().fold(0.0_f64, |m, p| m.max(p.1));
    let (x0, x1) = if x0 > x1 { (0.0, 1.0) } else { (x0, x1) };
    let sx = |x: f64| MARGIN + (x - x0) / (x1 - x0).max(1.0) * (WIDTH - 2.0 * MARGIN);
    let sy = |y: f64| HEIGHT - MARGIN - y / y1.max(f64::EPSILON) * (HEIGHT - 2.0 * MARGIN);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{t}" font-family="sans-serif" font-size="12"><title>{t}</title><text x="{MARGIN}" y="20" font-weight="bold">{t}</text><text x="4" y="{:.0}">{yl} (max {ym})</text>"#,
        MARGIN - 8.0,
        t = escape(title),
        yl = escape(y_label),
        ym = if (y1 - y1.round()).abs() < 1e-9 {
            format!("{y1:.0}")
        } else {
            format!("{y1:.2}")
        },
    );
    let _ = write!(
        s,
        r#"<path d="M{MARGIN} {b}H{r}M{MARGIN} {b}V{MARGIN}" stroke="black" fill="none"/>"#,
        b = HEIGHT - MARGIN,
        r = WIDTH - MARGIN
    );
    for (i, series) in series.iter().enumerate() {
        let shape = MARKERS[i % MARKERS.len()];
        let grey = 20 + 50 * (i % 4);
        let dash = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 2\""][i % 3];
        let line: Vec<String> = series
            .points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = write!(
            s,
            r#"<g class="series" data-name="{n}" fill="rgb({grey},{grey},{grey})"><polyline points="{}" fill="none" stroke="rgb({grey},{grey},{grey})"{dash}/>"#,
            line.join(" "),
            n = escape(&series.name),
        );
        for &(x, y) in &series.points {
            s.push_str(&marker(shape, sx(x), sy(y)));
        }
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="{:.0}">{}</text></g>"#,
            WIDTH - MARGIN - 150.0,
            MARGIN + 16.0 * i as f64,
            escape(format!("{} ({shape})", series.name)),
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_group_per_series_and_one_marker_per_point() {
        let series = vec![
            Series {
                name: "@a".into(),
                points: vec![(0.0, 1.0), (7.0, 3.0), (14.0, 2.0)],
            },
            Series {
                name: "@b".into(),
                points: vec![(7.0, 5.0)],
            },
        ];
        let svg = line_chart("Entries per week", "entries", &series);
        assert_eq!(svg.matches(r#"<g class="series""#).count(), 2);
        assert_eq!(svg.matches("<circle").count(), 3, "series a: circles");
        assert_eq!(svg.matches("<rect").count(), 1, "series b: squares");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn hostile_names_stay_text() {
        let series = vec![Series {
            name: r#"@x"><script>alert(1)</script><img src=x onerror="y"#.into(),
            points: vec![(0.0, 1.0)],
        }];
        let svg = line_chart("<script>t</script>", "a\"b", &series);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!svg.contains(r#"onerror="y"#));
    }

    #[test]
    fn an_empty_chart_is_still_a_chart() {
        let svg = line_chart("Nothing", "entries", &[]);
        assert!(svg.contains("<title>Nothing</title>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn the_demo_activity_chart_has_a_series_per_account_and_a_point_per_week() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::write_sample(dir.path()).unwrap();
        let j = crate::store::open(dir.path()).unwrap().journal;
        let filter = crate::analysis::Filter::default();
        let selected = filter.apply(&j, None);
        let table = crate::analysis::figures(&j, &filter);
        let series = activity_series(&crate::analysis::series::activity(&j, &filter, &selected));
        let svg = line_chart("Entries per week", "entries", &series);
        assert_eq!(
            svg.matches(r#"<g class="series""#).count(),
            table.accounts.len()
        );
        for (s, f) in series.iter().zip(&table.accounts) {
            assert_eq!(s.points.len(), f.weeks_observed);
            let total: f64 = s.points.iter().map(|p| p.1).sum();
            assert_eq!(total as usize, f.entries);
        }
        let engagement = engagement_series(&crate::analysis::series::engagement(&j, &selected));
        let points: usize = engagement.iter().map(|s| s.points.len()).sum();
        assert_eq!(points, table.all.engagement_entries);
    }
}
