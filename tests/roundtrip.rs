//! Property: any entry written by the program reads back as the same entry, whatever
//! text it holds (quotes, backslashes, controls, emoji, newlines).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use fieldnote::model::{Entry, Kind, Metrics, Moment, Screenshot};
use jiff::Timestamp;
use jiff::tz::Offset;
use proptest::prelude::*;

fn moment() -> impl Strategy<Value = Moment> {
    (0i64..4_000_000_000, -12i32..14).prop_map(|(secs, hours)| {
        Moment::new(
            Timestamp::from_second(secs).unwrap(),
            Offset::from_seconds(hours * 3600).unwrap(),
        )
    })
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        moment(),
        prop::option::of(moment()),
        prop::sample::select(Kind::ALL.to_vec()),
        prop::collection::vec("[a-z0-9-]{1,12}", 0..5),
        ".*",
        "(.|\n){0,200}",
        prop::option::of((prop::option::of(any::<u32>()), prop::option::of(moment()))),
        prop::collection::vec(("[a-z/]{1,20}\\.png", "[0-9a-f]{64}", ".*"), 0..3),
    )
        .prop_map(|(at, rec, kind, codes, title, body, metrics, shots)| {
            let mut e = Entry::new(fieldnote::model::entry_id(&at, 0xabcd), at, at);
            e.recorded_at = rec;
            e.kind = kind;
            e.codes = codes;
            e.title = title;
            e.body = body;
            e.metrics = metrics.map(|(views, metrics_at)| {
                Box::new(Metrics {
                    views: views.map(u64::from),
                    metrics_at,
                    ..Metrics::default()
                })
            });
            e.screenshots = shots
                .into_iter()
                .map(|(path, sha256, caption)| Screenshot {
                    path,
                    sha256,
                    caption,
                })
                .collect();
            e
        })
}

proptest! {
    #[test]
    fn entries_survive_write_and_read(e in entry()) {
        let text = fieldnote::store::render_entry(&e);
        let back: Entry = toml::from_str(&text).map_err(|err| TestCaseError::fail(format!("{err}\n{text}")))?;
        // An empty metrics table means the same as none, and is not written.
        let mut expected = e.clone();
        expected.metrics = expected.metrics.filter(|m| **m != Metrics::default());
        prop_assert_eq!(back, expected);
    }
}
