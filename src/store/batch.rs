//! Saving many entries at once (imports): the same rules as `save_entry` for every file,
//! but written by several threads, because each atomic write waits for its fsyncs and
//! the disk completes concurrent fsyncs together. Measured on the development machine:
//! 7.5 ms per file one at a time, about 0.2 ms per file with 16 writers.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Store, StoreError};
use crate::model::Entry;

/// Writers at once: enough for the disk to batch fsyncs, few enough to stay polite.
const WRITERS: usize = 16;

impl Store {
    /// Save every entry of `entries` as `save_entry` would (rewriting only what differs,
    /// refusing files changed on disk since loading), several at a time. Returns one
    /// result per entry, in order; `progress` is told how many are done so far. Two
    /// entries with the same id in one batch are refused (the second one).
    pub fn save_entries(
        &mut self,
        entries: &[Entry],
        progress: &(dyn Fn(usize) + Sync),
    ) -> Vec<Result<(), StoreError>> {
        let mut seen = HashSet::with_capacity(entries.len());
        let rels: Vec<Option<String>> = entries
            .iter()
            .map(|e| seen.insert(e.id.as_str()).then(|| self.entry_path(e)))
            .collect();
        let slots: Vec<Mutex<Option<Result<u64, StoreError>>>> =
            entries.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let this: &Store = self;
        std::thread::scope(|scope| {
            for _ in 0..WRITERS.min(entries.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(i) else { break };
                        let result = match &rels[i] {
                            Some(rel) => this.write_record(rel, entry),
                            None => Err(StoreError::Invalid(format!(
                                "entry id `{}` appears twice in one save; the second was not written",
                                entry.id
                            ))),
                        };
                        *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    }
                });
            }
        });
        let mut results = Vec::with_capacity(entries.len());
        for ((entry, rel), slot) in entries.iter().zip(rels).zip(slots) {
            let result = slot
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .expect("every slot is filled by a writer");
            results.push(result.map(|hash| {
                let rel = rel.expect("written entries have a path");
                self.remember_written(&rel, hash);
                self.entry_paths.insert(entry.id.clone(), rel);
            }));
        }
        results
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Moment;

    fn entry(id: &str) -> Entry {
        let at = Moment::from_toml(&"2026-03-14T21:05:12+07:00".parse().unwrap()).unwrap();
        let mut e = Entry::new(id.to_string(), at, at);
        e.body = format!("body of {id}\n");
        e
    }

    #[test]
    fn saves_many_and_refuses_what_save_entry_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path());
        let ids: Vec<String> = (0..40)
            .map(|i| format!("20260314-210512-{i:04x}"))
            .collect();
        let mut entries: Vec<Entry> = ids.iter().map(|id| entry(id)).collect();
        entries.push(entry(&ids[0]));
        let counted = AtomicUsize::new(0);
        let results = store.save_entries(&entries, &|n| {
            counted.fetch_max(n, Ordering::Relaxed);
        });
        assert_eq!(counted.load(Ordering::Relaxed), 41);
        assert!(results[..40].iter().all(Result::is_ok));
        assert!(matches!(results[40], Err(StoreError::Invalid(_))));
        let path = dir.path().join("entries/2026/03/20260314-210512-0001.toml");
        assert!(std::fs::read_to_string(&path).unwrap().contains("body of"));

        // A second save of the same content writes nothing; a file changed on disk is
        // refused, and the others still save.
        std::fs::write(&path, "id = \"changed by someone\"\n").unwrap();
        entries.truncate(3);
        for e in &mut entries {
            e.title = "new title".into();
        }
        let results = store.save_entries(&entries, &|_| {});
        assert!(results[0].is_ok() && results[2].is_ok());
        assert!(matches!(results[1], Err(StoreError::ChangedOnDisk { .. })));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "id = \"changed by someone\"\n"
        );
    }
}
