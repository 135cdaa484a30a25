use serde::{Deserialize, Serialize};

use super::Moment;

/// A reviewer's (or the researcher's answering) comment on one entry. Lives in its own
/// file under `comments/<entry-id>/`, never inside the entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// The file stem: `YYYYMMDD-HHMMSS-<author slug>`; not stored inside the file.
    #[serde(default, skip_deserializing)]
    pub id: String,
    pub entry: String,
    pub author: String,
    pub at: Moment,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub resolved: bool,
}

impl Comment {
    /// The id a comment written at `at` by `author` gets: `YYYYMMDD-HHMMSS-<author slug>`.
    pub fn id_for(at: &Moment, author: &str) -> String {
        let slug = super::slugify(author);
        let slug = if slug.is_empty() {
            "anonymous".to_string()
        } else {
            slug
        };
        format!("{}-{slug}", at.civil().strftime("%Y%m%d-%H%M%S"))
    }
}
