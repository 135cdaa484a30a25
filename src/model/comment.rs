use serde::{Deserialize, Serialize};

use super::{Journal, Moment};

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

/// The longest author part of a comment's file name (the slug is ASCII).
const MOST_SLUG_BYTES: usize = 60;

impl Comment {
    /// The id a comment written at `at` by `author` gets: `YYYYMMDD-HHMMSS-<author slug>`.
    pub fn id_for(at: &Moment, author: &str) -> String {
        let mut slug = super::slugify(author);
        // A file name may be 255 bytes: a long name is cut, never the comment refused.
        slug.truncate(MOST_SLUG_BYTES);
        let slug = slug.trim_end_matches('-').to_string();
        let slug = if slug.is_empty() {
            "anonymous".to_string()
        } else {
            slug
        };
        format!("{}-{slug}", at.civil().strftime("%Y%m%d-%H%M%S"))
    }
}

impl Journal {
    /// A new comment on `entry_id` by `author` at `at`, with an id no comment on that
    /// entry has yet (a second comment in the same second gets `-2`).
    pub fn new_comment(&self, entry_id: &str, author: &str, body: &str, at: Moment) -> Comment {
        let base = Comment::id_for(&at, author);
        let mut id = base.clone();
        let mut n = 2;
        while self.comments_on(entry_id).any(|c| c.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let mut body = body.to_string();
        if !body.ends_with('\n') {
            body.push('\n');
        }
        Comment {
            id,
            entry: entry_id.to_string(),
            author: author.to_string(),
            at,
            body,
            resolved: false,
        }
    }

    /// The comments that toggling the thread of `entry_id` changes: every open one
    /// resolved, or when all are resolved, the last one reopened.
    pub fn toggled_thread(&self, entry_id: &str) -> Vec<Comment> {
        let thread: Vec<&Comment> = self.comments_on(entry_id).collect();
        let open: Vec<Comment> = thread
            .iter()
            .filter(|c| !c.resolved)
            .map(|c| Comment {
                resolved: true,
                ..(*c).clone()
            })
            .collect();
        if !open.is_empty() {
            return open;
        }
        thread
            .last()
            .map(|c| Comment {
                resolved: false,
                ..(*c).clone()
            })
            .into_iter()
            .collect()
    }

    /// Put a comment in (a new one, or a changed one over its old version), keeping
    /// comments sorted by entry, time and id.
    pub fn put_comment(&mut self, comment: Comment) {
        self.remove_comment(&comment.entry, &comment.id);
        let key = (&comment.entry, comment.at, &comment.id);
        let at = self
            .comments
            .partition_point(|c| (&c.entry, c.at, &c.id) <= key);
        self.comments.insert(at, comment);
    }

    pub fn remove_comment(&mut self, entry_id: &str, id: &str) {
        self.comments
            .retain(|c| !(c.entry == entry_id && c.id == id));
    }

    /// The comment `id` on `entry_id`.
    pub fn comment(&self, entry_id: &str, id: &str) -> Option<&Comment> {
        self.comments
            .iter()
            .find(|c| c.entry == entry_id && c.id == id)
    }
}
