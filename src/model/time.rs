//! Moments in time as the journal stores them (an instant plus the UTC offset it was
//! observed at), and the parsing of what people type ("21:05", "yesterday 21:05").

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

/// An instant together with the offset of the place it was observed in: a TOML offset
/// datetime such as `2026-03-14T21:05:12+07:00`. Ordered by the instant.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Moment {
    pub timestamp: Timestamp,
    pub offset: Offset,
}

impl Moment {
    pub fn new(timestamp: Timestamp, offset: Offset) -> Self {
        Moment { timestamp, offset }
    }

    /// The instant `timestamp` as seen in time zone `tz`, to the whole second (the
    /// journal's precision: `2026-03-14T21:40:03+07:00`, not nine digits of fraction).
    pub fn in_zone(timestamp: Timestamp, tz: &TimeZone) -> Self {
        let whole = Timestamp::from_second(timestamp.as_second()).unwrap_or(timestamp);
        Moment::new(whole, tz.to_offset(whole))
    }

    /// Local wall-clock date and time at the offset it was observed with.
    pub fn civil(&self) -> DateTime {
        self.offset.to_datetime(self.timestamp)
    }

    /// `2026-03-14 21:05`, the short form lists show.
    pub fn short(&self) -> String {
        self.civil().strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// Build from a TOML offset datetime. A local datetime is refused: without its offset
    /// nobody can tell later when, in fieldwork that crosses zones, it happened.
    pub fn from_toml(dt: &toml_datetime::Datetime) -> Result<Self, String> {
        let (Some(d), Some(t)) = (dt.date, dt.time) else {
            return Err(format!("`{dt}` is not a date with a time"));
        };
        let civil = DateTime::new(
            d.year as i16,
            d.month as i8,
            d.day as i8,
            t.hour as i8,
            t.minute as i8,
            t.second.unwrap_or(0) as i8,
            t.nanosecond.unwrap_or(0) as i32,
        )
        .map_err(|e| format!("`{dt}` is not a valid date and time: {e}"))?;
        match dt.offset {
            Some(toml_datetime::Offset::Z) => Offset::UTC
                .to_timestamp(civil)
                .map(|ts| Moment::new(ts, Offset::UTC))
                .map_err(|e| e.to_string()),
            Some(toml_datetime::Offset::Custom { minutes }) => {
                let offset = Offset::from_seconds(i32::from(minutes) * 60)
                    .map_err(|e| format!("offset out of range: {e}"))?;
                offset
                    .to_timestamp(civil)
                    .map(|ts| Moment::new(ts, offset))
                    .map_err(|e| e.to_string())
            }
            None => Err(format!(
                "`{dt}` has no UTC offset; write it with one, e.g. `{dt}+07:00`"
            )),
        }
    }

    /// The TOML offset datetime for this moment (seconds always written, fractions only
    /// when present).
    pub fn to_toml(&self) -> toml_datetime::Datetime {
        let c = self.civil();
        let minutes = self.offset.seconds() / 60;
        let nanos = c.subsec_nanosecond();
        toml_datetime::Datetime {
            date: Some(toml_datetime::Date {
                year: c.year() as u16,
                month: c.month() as u8,
                day: c.day() as u8,
            }),
            time: Some(toml_datetime::Time {
                hour: c.hour() as u8,
                minute: c.minute() as u8,
                second: Some(c.second() as u8),
                nanosecond: (nanos != 0).then_some(nanos as u32),
            }),
            offset: Some(if minutes == 0 {
                toml_datetime::Offset::Z
            } else {
                toml_datetime::Offset::Custom {
                    minutes: minutes as i16,
                }
            }),
        }
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp
            .cmp(&other.timestamp)
            .then(self.offset.seconds().cmp(&other.offset.seconds()))
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Moment {
    /// RFC 3339, the same text TOML uses: `2026-03-14T21:05:12+07:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_toml().fmt(f)
    }
}

/// Human-readable formats (TOML, JSON) get RFC 3339 text; binary ones (the cache, with
/// postcard) get the instant and offset as numbers: seconds, nanoseconds, offset seconds.
impl<'de> serde::Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        if !d.is_human_readable() {
            let (second, nanosecond, offset) = <(i64, i32, i32)>::deserialize(d)?;
            let timestamp = Timestamp::new(second, nanosecond).map_err(D::Error::custom)?;
            let offset = Offset::from_seconds(offset).map_err(D::Error::custom)?;
            return Ok(Moment::new(timestamp, offset));
        }
        let dt = toml_datetime::Datetime::deserialize(d)?;
        Moment::from_toml(&dt).map_err(D::Error::custom)
    }
}

impl serde::Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if !s.is_human_readable() {
            let t = self.timestamp;
            return serde::Serialize::serialize(
                &(t.as_second(), t.subsec_nanosecond(), self.offset.seconds()),
                s,
            );
        }
        s.collect_str(self)
    }
}

fn from_civil(civil: DateTime, tz: &TimeZone) -> Result<Moment, jiff::Error> {
    let timestamp = tz.to_timestamp(civil)?;
    Ok(Moment::in_zone(timestamp, tz))
}

/// Why typed time could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read `{input}` as a time: {reason}")]
pub struct TimeInputError {
    pub input: String,
    pub reason: String,
}

impl TimeInputError {
    /// The forms a time may take, for the command line to add.
    pub const HINT: &'static str = "try `21:05`, `yesterday 21:05`, `2026-03-14 21:05`, `5 min ago`, `now` or `2026-03-14T21:05:00+07:00`";
}

/// Parse a time as people type it, in the journal's time zone `tz`, relative to `now`.
///
/// Accepted: `now`; `21:05` or `21:05:12` (the last time the clock showed it: today, or
/// yesterday when that is still to come — a note is about what was seen, never about the
/// future); `today 21:05`, `yesterday 21:05`; `2026-03-14` (00:00), `2026-03-14 21:05`,
/// `2026-03-14T21:05:12`; relative times back from now (`5 min ago`, `-5m`, `-1h30m`,
/// `2 days ago`); and RFC 3339 with an offset (`2026-03-14T21:05:12+07:00`, `...Z`), which
/// keeps the offset it was given.
pub fn parse_when(input: &str, tz: &TimeZone, now: Timestamp) -> Result<Moment, TimeInputError> {
    let fail = |reason: &str| TimeInputError {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let text = input.trim();
    if text.is_empty() {
        return Err(fail("it is empty"));
    }
    let lower = text.to_lowercase();
    if lower == "now" {
        return Ok(Moment::in_zone(now, tz));
    }
    if let Some(moment) = parse_rfc3339(text) {
        return Ok(moment);
    }
    if let Some(back) = parse_ago(&lower) {
        let span = back.map_err(|r| fail(&r))?;
        let at = now
            .to_zoned_datetime(tz.clone())
            .checked_sub(span)
            .map_err(|e| fail(&e.to_string()))?;
        return Ok(Moment::in_zone(at.timestamp(), tz));
    }
    let today = tz.to_datetime(now).date();
    let (day, rest) = split_day(&lower, today).map_err(|r| fail(&r))?;
    let time = match rest {
        None => Time::midnight(),
        Some(t) => parse_clock(t).map_err(|r| fail(&r))?,
    };
    if day.is_none() && rest.is_none() {
        return Err(fail("no date or time found"));
    }
    let moment =
        from_civil(day.unwrap_or(today).to_datetime(time), tz).map_err(|e| fail(&e.to_string()))?;
    if day.is_none() && moment.timestamp > now {
        // A bare clock time still to come today means the last time it struck.
        let yesterday = today
            .checked_sub(1.day())
            .map_err(|e| fail(&e.to_string()))?;
        return from_civil(yesterday.to_datetime(time), tz).map_err(|e| fail(&e.to_string()));
    }
    Ok(moment)
}

/// The end of a range as people type it: a bare date (`2026-03-14`) means up to the end
/// of that day, anything else the instant it names. The bound is exclusive.
pub fn parse_until(
    input: &str,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<Timestamp, TimeInputError> {
    let moment = parse_when(input, tz, now)?;
    if !is_bare_date(input) {
        return Ok(moment.timestamp);
    }
    let next_day = tz
        .to_datetime(moment.timestamp)
        .date()
        .checked_add(1.day())
        .and_then(|d| tz.to_timestamp(d.to_datetime(Time::midnight())));
    next_day.map_err(|e| TimeInputError {
        input: input.to_string(),
        reason: e.to_string(),
    })
}

/// `2026-03-14`, `today` or `yesterday` alone: a whole day rather than an instant.
fn is_bare_date(input: &str) -> bool {
    let t = input.trim().to_lowercase();
    t == "today" || t == "yesterday" || (t.contains('-') && !t.contains(':') && !t.starts_with('-'))
}

/// How a time range reads for a person, in the journal's zone and inclusive as typed:
/// `since 2026-03-14 · until 2026-03-14` for the whole of that day, `before 21:05` where
/// the end is an instant.
pub fn describe_range(
    since: Option<Timestamp>,
    until: Option<Timestamp>,
    tz: &TimeZone,
) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(t) = since {
        parts.push(format!("since {}", day_or_instant(tz.to_datetime(t))));
    }
    if let Some(t) = until {
        let end = tz.to_datetime(t);
        let last_day = (end.time() == Time::midnight())
            .then(|| end.date().checked_sub(1.day()).ok())
            .flatten();
        parts.push(match last_day {
            Some(day) => format!("until {day}"),
            None => format!("before {}", day_or_instant(end)),
        });
    }
    parts
}

fn day_or_instant(dt: DateTime) -> String {
    if dt.time() == Time::midnight() {
        dt.date().to_string()
    } else {
        dt.strftime("%Y-%m-%d %H:%M").to_string()
    }
}

/// `5 min ago`, `2 hours ago`, `-5m`, `-1h30m`: `None` when the text is not of that
/// shape, an error when it is but names no time back (a time to come, or nonsense).
fn parse_ago(lower: &str) -> Option<Result<jiff::Span, String>> {
    let looks_relative = lower.ends_with(" ago")
        || (lower.starts_with('-') && lower[1..].starts_with(|c: char| c.is_ascii_digit()));
    if !looks_relative {
        return None;
    }
    let text = lower.trim_start_matches('-');
    let text = text.strip_suffix(" ago").unwrap_or(text).trim();
    Some(
        text.parse::<jiff::Span>()
            .map_err(|_| format!("`{text}` is not a length of time like `5 min` or `1h30m`"))
            .and_then(|span| {
                if span.is_negative() {
                    Err("a relative time counts back from now: `5 min ago` or `-5m`".into())
                } else {
                    Ok(span)
                }
            }),
    )
}

fn parse_rfc3339(text: &str) -> Option<Moment> {
    let dt: toml_datetime::Datetime = text.replace(' ', "T").parse().ok()?;
    dt.offset?;
    Moment::from_toml(&dt).ok()
}

/// Split `"yesterday 21:05"` into the day it names and the rest.
fn split_day(lower: &str, today: Date) -> Result<(Option<Date>, Option<&str>), String> {
    let (first, rest) = match lower.split_once(' ') {
        Some((day, rest)) => (day, Some(rest.trim()).filter(|r| !r.is_empty())),
        // `2026-03-14t21:05` (input is lowercased): a date, a `t`, a time.
        None => match lower.split_once('t') {
            Some((day, rest)) if day.contains('-') => (day, Some(rest)),
            _ => (lower, None),
        },
    };
    let day = match first {
        "today" => Some(today),
        "yesterday" => Some(today.checked_sub(1.day()).map_err(|e| e.to_string())?),
        _ if first.contains('-') => Some(parse_date(first)?),
        _ => None,
    };
    match day {
        Some(d) => Ok((Some(d), rest)),
        // No day word: the whole input is a time of day.
        None => Ok((None, Some(lower))),
    }
}

/// A date like `2026-03-14`, with the reason when a part is out of range (`February 2026
/// has 28 days`) rather than only the expected shape.
fn parse_date(text: &str) -> Result<Date, String> {
    let shape = || format!("`{text}` is not a date like 2026-03-14");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(shape());
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    else {
        return Err(shape());
    };
    if !(1..=12).contains(&month) {
        return Err(format!(
            "`{text}`: there is no month {month} (months go from 01 to 12)"
        ));
    }
    let first = Date::new(year, month, 1).map_err(|_| shape())?;
    let days = first.days_in_month();
    if !(1..=days).contains(&day) {
        return Err(format!(
            "`{text}`: {} {year} has {days} days",
            first.strftime("%B")
        ));
    }
    Date::new(year, month, day).map_err(|_| shape())
}

/// `21:05` or `21:05:12`, with the part that is out of range named.
fn parse_clock(text: &str) -> Result<Time, String> {
    let shape = || "the time of day should look like 21:05".to_string();
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(shape());
    }
    let mut numbers = [0i8; 3];
    for (n, part) in numbers.iter_mut().zip(&parts) {
        *n = part.parse().map_err(|_| shape())?;
    }
    let [hour, minute, second] = numbers;
    if !(0..=23).contains(&hour) {
        return Err(format!("the hour {hour} is out of range (00 to 23)"));
    }
    if !(0..=59).contains(&minute) {
        return Err(format!("the minute {minute} is out of range (00 to 59)"));
    }
    if !(0..=59).contains(&second) {
        return Err(format!("the second {second} is out of range (00 to 59)"));
    }
    Time::new(hour, minute, second, 0).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jakarta() -> TimeZone {
        TimeZone::get("Asia/Jakarta").unwrap()
    }

    fn now() -> Timestamp {
        "2026-03-15T02:00:00Z".parse().unwrap() // 09:00 on the 15th in Jakarta
    }

    fn parse(s: &str) -> String {
        parse_when(s, &jakarta(), now()).unwrap().to_string()
    }

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(parse("2026-03-14 21:05"), "2026-03-14T21:05:00+07:00");
        assert_eq!(parse("08:30"), "2026-03-15T08:30:00+07:00");
        assert_eq!(parse("yesterday 21:05"), "2026-03-14T21:05:00+07:00");
        assert_eq!(parse("Yesterday 7:30:15"), "2026-03-14T07:30:15+07:00");
        assert_eq!(parse("today 08:00"), "2026-03-15T08:00:00+07:00");
        assert_eq!(parse("2026-03-14"), "2026-03-14T00:00:00+07:00");
        assert_eq!(parse("2026-03-14T21:05:12"), "2026-03-14T21:05:12+07:00");
        assert_eq!(parse("now"), "2026-03-15T09:00:00+07:00");
    }

    #[test]
    fn a_bare_clock_time_still_to_come_means_yesterday() {
        // 09:00 now: 21:05 has not struck today, so it is last night's.
        assert_eq!(parse("21:05"), "2026-03-14T21:05:00+07:00");
        assert_eq!(parse("09:00"), "2026-03-15T09:00:00+07:00");
        assert_eq!(parse("09:00:01"), "2026-03-14T09:00:01+07:00");
        // Said outright, a day is taken as said.
        assert_eq!(parse("today 21:05"), "2026-03-15T21:05:00+07:00");
    }

    #[test]
    fn relative_times_count_back_from_now() {
        assert_eq!(parse("5 min ago"), "2026-03-15T08:55:00+07:00");
        assert_eq!(parse("5 minutes ago"), "2026-03-15T08:55:00+07:00");
        assert_eq!(parse("-5m"), "2026-03-15T08:55:00+07:00");
        assert_eq!(parse("-1h30m"), "2026-03-15T07:30:00+07:00");
        assert_eq!(parse("2 hours ago"), "2026-03-15T07:00:00+07:00");
        assert_eq!(parse("2 days ago"), "2026-03-13T09:00:00+07:00");
        assert_eq!(parse("90s ago"), "2026-03-15T08:58:30+07:00");
        for bad in ["-5 bananas", "soon ago"] {
            let err = parse_when(bad, &jakarta(), now()).unwrap_err();
            assert!(err.reason.contains("length of time"), "{bad}: {err}");
        }
        // Back from back is forward: refused rather than read as a time to come.
        let err = parse_when("5 min ago ago", &jakarta(), now()).unwrap_err();
        assert!(err.reason.contains("counts back from now"), "{err}");
    }

    #[test]
    fn out_of_range_parts_are_named() {
        let reason = |s: &str| parse_when(s, &jakarta(), now()).unwrap_err().reason;
        assert_eq!(reason("25:00"), "the hour 25 is out of range (00 to 23)");
        assert_eq!(reason("21:61"), "the minute 61 is out of range (00 to 59)");
        assert_eq!(
            reason("2026-02-30"),
            "`2026-02-30`: February 2026 has 28 days"
        );
        assert_eq!(
            reason("2028-02-30 10:00"),
            "`2028-02-30`: February 2028 has 29 days"
        );
        assert_eq!(
            reason("2026-13-01"),
            "`2026-13-01`: there is no month 13 (months go from 01 to 12)"
        );
        assert_eq!(reason("2026-3"), "`2026-3` is not a date like 2026-03-14");
    }

    #[test]
    fn until_a_bare_date_includes_that_day() {
        let tz = jakarta();
        let end = parse_until("2026-03-14", &tz, now()).unwrap();
        assert_eq!(end.to_string(), "2026-03-14T17:00:00Z"); // 00:00 on the 15th in Jakarta
        let instant = parse_until("2026-03-14 21:05", &tz, now()).unwrap();
        assert_eq!(instant.to_string(), "2026-03-14T14:05:00Z");
        let since = parse_when("2026-03-14", &tz, now()).unwrap().timestamp;
        assert_eq!(
            describe_range(Some(since), Some(end), &tz),
            ["since 2026-03-14", "until 2026-03-14"]
        );
        assert_eq!(
            describe_range(None, Some(instant), &tz),
            ["before 2026-03-14 21:05"]
        );
    }

    #[test]
    fn rfc3339_keeps_its_own_offset() {
        assert_eq!(
            parse("2026-03-14T21:05:12+01:00"),
            "2026-03-14T21:05:12+01:00"
        );
        assert_eq!(parse("2026-03-14T21:05:12Z"), "2026-03-14T21:05:12Z");
    }

    #[test]
    fn rejects_nonsense_saying_what() {
        for bad in [
            "",
            "soon",
            "25:00",
            "2026-13-01 10:00",
            "10:00:00:00",
            "yesterday x",
        ] {
            let err = parse_when(bad, &jakarta(), now()).unwrap_err();
            // What could not be read; the forms a time takes are the CLI's hint.
            assert!(err.to_string().contains("cannot read"), "{bad}: {err}");
            assert!(!err.to_string().contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn toml_round_trip() {
        let dt: toml_datetime::Datetime = "2026-03-14T21:05:12.5+07:00".parse().unwrap();
        let m = Moment::from_toml(&dt).unwrap();
        assert_eq!(m.to_string(), "2026-03-14T21:05:12.5+07:00");
        assert_eq!(m.short(), "2026-03-14 21:05");
        let local: toml_datetime::Datetime = "2026-03-14T21:05:12".parse().unwrap();
        let err = Moment::from_toml(&local).unwrap_err();
        assert!(err.contains("no UTC offset"), "{err}");
    }

    #[test]
    fn binary_form_round_trips() {
        for text in [
            "2026-03-14T21:05:12.5+07:00",
            "2026-03-14T15:30:00Z",
            "1969-12-31T23:59:59.25-03:30",
        ] {
            let m = parse_rfc3339(text).unwrap();
            let bytes = postcard::to_allocvec(&m).unwrap();
            let back: Moment = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, m);
            assert_eq!(back.to_string(), m.to_string());
        }
        assert_eq!(
            serde_json::to_string(&parse_rfc3339("2026-03-14T15:30:00Z").unwrap()).unwrap(),
            "\"2026-03-14T15:30:00Z\""
        );
    }

    #[test]
    fn orders_by_instant() {
        let a = parse("2026-03-14T21:00:00+07:00");
        let b = parse("2026-03-14T15:30:00Z");
        let ma: Moment = parse_rfc3339(&a).unwrap();
        let mb: Moment = parse_rfc3339(&b).unwrap();
        assert!(ma < mb);
    }
}
