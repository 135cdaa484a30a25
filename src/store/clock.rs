//! The time of day as the program sees it. `FIELDNOTE_NOW` (RFC 3339) fixes it, so that
//! tests and reproducible demos can say when "now" is: stamping, relative times and the
//! "a clock time still to come means yesterday" rule all read from here.

use jiff::Timestamp;

/// The current instant, or the one `FIELDNOTE_NOW` names.
pub fn now() -> Timestamp {
    std::env::var("FIELDNOTE_NOW")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(Timestamp::now)
}
