//! How each kind of record is written into its TOML document, keys in FORMAT.md's order.
//! Writing into the document a file already has (rather than serialising afresh) is what
//! keeps a person's comments, key order and unknown keys.

use toml_edit::{DocumentMut, Table};

use super::edit::{
    put_bool, put_date, put_moment, put_required_str, put_str, put_strs, put_u32, put_u64,
    sync_tables, table_mut,
};
use crate::model::{Account, Code, Codebook, Comment, Entry, Group, Metrics, Passage, Settings};

pub(crate) trait Record {
    fn write_into(&self, doc: &mut DocumentMut);
}

impl Record for Entry {
    fn write_into(&self, doc: &mut DocumentMut) {
        let t = doc.as_table_mut();
        put_required_str(t, "id", &self.id);
        put_moment(t, "observed_at", Some(&self.observed_at));
        put_moment(t, "recorded_at", self.recorded_at.as_ref());
        put_moment(t, "ended_at", self.ended_at.as_ref());
        put_required_str(t, "kind", self.kind.as_str());
        put_strs(t, "accounts", &self.accounts);
        put_strs(t, "codes", &self.codes);
        put_str(t, "title", &self.title);
        put_str(t, "url", &self.url);
        put_str(t, "source_id", &self.source_id);
        put_str(t, "informant", &self.informant);
        put_str(t, "body", &self.body);
        sync_tables(
            t,
            "screenshots",
            &self.screenshots,
            None,
            |s| &s.path,
            |st, s| {
                put_required_str(st, "path", &s.path);
                put_str(st, "sha256", &s.sha256);
                put_str(st, "caption", &s.caption);
            },
        );
        // Passages are written re-anchored to the body being saved (see `Passage`);
        // tables are matched by quote so keys a person added to one stay with it.
        let passages: Vec<Passage> = self
            .passages
            .iter()
            .map(|p| p.reanchored(&self.body))
            .collect();
        sync_tables(
            t,
            "passages",
            &passages,
            Some("quote"),
            |p| &p.quote,
            |pt, p| {
                put_required_str(pt, "quote", &p.quote);
                put_str(pt, "prefix", &p.prefix);
                put_str(pt, "suffix", &p.suffix);
                put_u64(pt, "start", Some(p.start as u64));
                put_strs(pt, "codes", &p.codes);
            },
        );
        // An empty `[metrics]` says nothing: treat it as none.
        match self
            .metrics
            .as_deref()
            .filter(|m| **m != Metrics::default())
        {
            None => {
                t.remove("metrics");
            }
            Some(m) => {
                let mt = table_mut(t, "metrics");
                put_u64(mt, "views", m.views);
                put_u64(mt, "likes", m.likes);
                put_u64(mt, "comments", m.comments);
                put_u64(mt, "shares", m.shares);
                put_u64(mt, "saves", m.saves);
                put_u64(mt, "replied_comments", m.replied_comments);
                put_moment(mt, "metrics_at", m.metrics_at.as_ref());
            }
        }
    }
}

impl Record for Account {
    fn write_into(&self, doc: &mut DocumentMut) {
        let t = doc.as_table_mut();
        put_required_str(t, "handle", &self.handle);
        put_required_str(t, "platform", self.platform.as_str());
        put_str(t, "display_name", &self.display_name);
        put_str(t, "category", &self.category);
        put_str(t, "url", &self.url);
        put_str(t, "pseudonym", &self.pseudonym);
        put_str(t, "notes", &self.notes);
        sync_tables(
            t,
            "followers",
            &self.followers,
            None,
            |_| "",
            |ft, p| {
                put_date(ft, "date", p.date);
                put_u64(ft, "count", Some(p.count));
            },
        );
    }
}

impl Record for Codebook {
    fn write_into(&self, doc: &mut DocumentMut) {
        let t = doc.as_table_mut();
        sync_tables(t, "group", &self.groups, Some("id"), |g| &g.id, write_group);
        sync_tables(t, "code", &self.codes, Some("id"), |c| &c.id, write_code);
    }
}

fn write_group(t: &mut Table, g: &Group) {
    put_required_str(t, "id", &g.id);
    put_required_str(t, "name", &g.name);
    put_str(t, "description", &g.description);
}

fn write_code(t: &mut Table, c: &Code) {
    put_required_str(t, "id", &c.id);
    put_required_str(t, "group", &c.group);
    put_required_str(t, "name", &c.name);
    put_str(t, "key", &c.key);
    put_str(t, "color", &c.color);
    put_str(t, "description", &c.description);
    put_str(t, "guid", &c.guid);
    put_str(t, "parent", &c.parent);
}

impl Record for Settings {
    fn write_into(&self, doc: &mut DocumentMut) {
        let t = doc.as_table_mut();
        put_u32(t, "format", self.format);
        put_str(t, "title", &self.title);
        put_strs(t, "researchers", &self.researchers);
        put_required_str(t, "timezone", &self.timezone);
        put_bool(table_mut(t, "git"), "autocommit", self.git.autocommit);
        if !self.import.hashtags.is_empty() || t.contains_key("import") {
            let import = table_mut(t, "import");
            let tags = table_mut(import, "hashtags");
            let stale: Vec<String> = tags
                .iter()
                .map(|(k, _)| k.to_string())
                .filter(|k| !self.import.hashtags.contains_key(k))
                .collect();
            for k in stale {
                tags.remove(&k);
            }
            for (tag, code) in &self.import.hashtags {
                put_required_str(tags, tag, code);
            }
        }
    }
}

impl Record for Comment {
    fn write_into(&self, doc: &mut DocumentMut) {
        let t = doc.as_table_mut();
        put_required_str(t, "entry", &self.entry);
        put_required_str(t, "author", &self.author);
        put_moment(t, "at", Some(&self.at));
        put_str(t, "body", &self.body);
        put_bool(t, "resolved", self.resolved);
    }
}
