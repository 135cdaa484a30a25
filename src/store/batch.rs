//! Saving many entries at once (imports): the same rules as `save_entry` for every file,
//! but written by several threads, because each atomic write waits for its fsyncs and
//! the disk completes concurrent fsyncs together. Measured on the development machine:
//! 7.5 ms per file one at a time, about 0.2 ms per file with 16 writers.
//!
//! New files do not wait for the disk at all: their paths are recorded first (durably,
//! in `.fieldnote/unsynced`), they are written to the kernel's cache, and the file system
//! is synced once at the end, after which the record goes. A killed import loses nothing
//! (the kernel has every renamed file); a power cut before the sync can leave some of
//! them empty or zero-filled, which the next opening removes (`recover_unsynced`) so
//! that importing again writes them anew. Files that existed, which hold a person's
//! words, are still replaced only once their new version is on the disk.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::fs;
use std::path::Path;

use super::atomic::{self, Durability};
use super::{Store, StoreError};
use crate::model::Entry;

/// The new files of a batch not yet synced to the disk, one path a line.
pub const UNSYNCED: &str = ".fieldnote/unsynced";

/// Writers at once: enough for the disk to batch fsyncs, few enough to stay polite.
const WRITERS: usize = 16;
/// Writers at once when nothing waits for the disk: one a core, since more only queue
/// on the folder's lock in the kernel (measured: a fifth of an import spent spinning).
fn deferred_writers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().min(WRITERS))
}

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
        let new: Vec<&str> = rels
            .iter()
            .flatten()
            .filter(|rel| !self.files.contains_key(rel.as_str()))
            .map(String::as_str)
            .collect();
        let deferred = atomic::CAN_DEFER
            && new.len() > 1
            && !self.is_read_only()
            && self.record_unsynced(&new).is_ok();
        let slots: Vec<Mutex<Option<Result<u64, StoreError>>>> =
            entries.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let this: &Store = self;
        std::thread::scope(|scope| {
            let writers = if deferred {
                deferred_writers()
            } else {
                WRITERS
            };
            for _ in 0..writers.min(entries.len()) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(i) else { break };
                        let result = match &rels[i] {
                            Some(rel) => {
                                let durability = if deferred && !this.files.contains_key(rel) {
                                    Durability::Deferred
                                } else {
                                    Durability::Now
                                };
                                this.write_record_with(rel, entry, durability)
                            }
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
        // One sync for every deferred file; the record stays if it fails, for the next
        // opening to look at them.
        if deferred && atomic::sync_file_system(&self.root).is_ok() {
            let _ = fs::remove_file(self.root.join(UNSYNCED));
        }
        let mut results = Vec::with_capacity(entries.len());
        for ((entry, rel), slot) in entries.iter().zip(rels).zip(slots) {
            let result = slot
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .expect("every slot is filled by a writer");
            results.push(result.map(|hash| {
                let rel = rel.expect("written entries have a path");
                self.remember_written(&rel, hash);
                self.remember_entry_path(&entry.id, rel);
            }));
        }
        results
    }
}

impl Store {
    /// Record, on the disk, the paths of new files about to be written without waiting.
    fn record_unsynced(&self, rels: &[&str]) -> std::io::Result<()> {
        let mut list = rels.join("\n");
        list.push('\n');
        atomic::write_atomic(&self.root.join(UNSYNCED), list.as_bytes())
    }
}

/// After a power cut during a batch of new files (see the module's notes): remove those
/// it left empty or zero-filled, as the disk gives back data that never reached it, and
/// then the record. A file with any other content is kept: it is whole, or a person
/// wrote in it since. Returns how many were removed.
pub fn recover_unsynced(root: &Path) -> usize {
    let record = root.join(UNSYNCED);
    let Ok(list) = fs::read_to_string(&record) else {
        return 0;
    };
    let mut removed = 0;
    for rel in list.lines().filter(|l| !l.is_empty()) {
        // Only inside the journal, whatever the record says.
        let Ok(path) = super::media::resolve_inside(root, rel) else {
            continue;
        };
        let never_written = fs::read(&path).is_ok_and(|bytes| bytes.iter().all(|&b| b == 0));
        if never_written && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    let _ = fs::remove_file(&record);
    removed
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

    /// New files are written without waiting for the disk and synced once: afterwards
    /// the record of unsynced files is gone and every file is whole.
    #[test]
    fn new_files_are_synced_once_and_the_record_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(dir.path());
        let entries: Vec<Entry> = (0..20)
            .map(|i| entry(&format!("20260314-210512-{i:04x}")))
            .collect();
        let results = store.save_entries(&entries, &|_| {});
        assert!(results.iter().all(Result::is_ok));
        assert!(!dir.path().join(UNSYNCED).exists());
        for e in &entries {
            let path = dir.path().join(e.default_path());
            assert!(std::fs::read_to_string(path).unwrap().contains(&e.body));
        }
    }

    /// What a power cut before the sync leaves: new files empty or zero-filled, beside
    /// whole ones. Opening removes the first (importing again writes them anew), keeps
    /// the rest, never looks outside the journal, and forgets the record.
    #[test]
    fn opening_after_a_power_cut_removes_the_new_files_it_left_empty() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("journal");
        std::fs::create_dir(&root).unwrap();
        let mut store = Store::create(&root);
        store
            .save_settings(&crate::model::Settings {
                timezone: "Asia/Jakarta".into(),
                ..Default::default()
            })
            .unwrap();
        let whole = entry("20260314-210512-0001");
        store.save_entry(&whole).unwrap();
        let entries = root.join("entries/2026/03");
        std::fs::write(entries.join("20260314-210512-0002.toml"), b"").unwrap();
        std::fs::write(entries.join("20260314-210512-0003.toml"), [0u8; 300]).unwrap();
        std::fs::write(dir.path().join("outside.toml"), b"").unwrap();
        std::fs::create_dir_all(root.join(".fieldnote")).unwrap();
        std::fs::write(
            root.join(UNSYNCED),
            "entries/2026/03/20260314-210512-0001.toml\n\
             entries/2026/03/20260314-210512-0002.toml\n\
             entries/2026/03/20260314-210512-0003.toml\n\
             ../outside.toml\n",
        )
        .unwrap();
        let opened = crate::store::open(&root).unwrap();
        assert_eq!(opened.journal.entries.len(), 1);
        assert!(opened.problems.is_empty(), "{:?}", opened.problems);
        assert!(entries.join("20260314-210512-0001.toml").exists());
        assert!(!entries.join("20260314-210512-0002.toml").exists());
        assert!(!entries.join("20260314-210512-0003.toml").exists());
        assert!(dir.path().join("outside.toml").exists());
        assert!(!root.join(UNSYNCED).exists());
    }
}
