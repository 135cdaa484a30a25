//! `apply`: writing a plan through the store.

use std::collections::{HashMap, HashSet};

use crate::model::{Entry, Journal};
use crate::store::{Store, StoreError};

use super::plan::Plan;

/// A new entry id, unused in the journal and in this import. Ids hold the observed
/// second and 16 random bits, so a second has room for 65,536 entries: past that (only
/// hostile input gets there) there is none, rather than a search that never ends.
pub(super) fn fresh_id(
    store: &Store,
    journal: &Journal,
    entry: &Entry,
    taken: &mut HashSet<String>,
    per_second: &mut HashMap<i64, usize>,
) -> Option<String> {
    const IDS_PER_SECOND: usize = 1 << 16;
    const ATTEMPTS: usize = 1000;
    let used = per_second
        .entry(entry.observed_at.timestamp.as_second())
        .or_insert(0);
    if *used >= IDS_PER_SECOND {
        return None;
    }
    for _ in 0..ATTEMPTS {
        let id = store.new_entry_id(journal, &entry.observed_at);
        if taken.insert(id.clone()) {
            *used += 1;
            return Some(id);
        }
    }
    None
}

/// What `apply` did.
#[derive(Debug, Default)]
pub struct Applied {
    pub entries_written: usize,
    pub accounts_written: usize,
    /// One message per record that could not be saved (`path: why`).
    pub failures: Vec<String>,
    /// The ids given to the new entries, in the order of `plan.new_entries`
    /// (`None` where the entry was not written).
    pub new_ids: Vec<Option<String>>,
}

/// Write a plan through the store (accounts first, so entries never name a missing
/// account), and bring `journal` up to date. Nothing stops at the first failure: every
/// record that can be saved is, and the others are listed. `progress` is told
/// `(entries saved, entries to save)`.
pub fn apply(
    plan: &Plan,
    store: &mut Store,
    journal: &mut Journal,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Applied {
    let mut applied = Applied::default();
    let mut failed_accounts = HashSet::new();
    for update in &plan.account_updates {
        match store.save_account(&update.account) {
            Ok(()) => {
                journal.accounts[update.index] = update.account.clone();
                applied.accounts_written += 1;
            }
            Err(e) => applied.failures.push(e.to_string()),
        }
    }
    for account in &plan.new_accounts {
        match store.save_account(account) {
            Ok(()) => {
                journal.accounts.push(account.clone());
                applied.accounts_written += 1;
            }
            Err(e) => {
                applied.failures.push(e.to_string());
                failed_accounts.insert(account.handle.clone());
            }
        }
    }
    journal.accounts.sort_by(|a, b| a.handle.cmp(&b.handle));

    // The entries to write: updates, then new entries with fresh ids.
    let mut batch: Vec<Entry> = plan.updates.iter().map(|u| u.entry.clone()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut per_second: HashMap<i64, usize> = HashMap::new();
    let mut new_slots = Vec::with_capacity(plan.new_entries.len());
    for entry in &plan.new_entries {
        if entry.accounts.iter().any(|a| failed_accounts.contains(a)) {
            applied.failures.push(format!(
                "post {} was not imported: its account @{} could not be saved",
                entry.source_id,
                entry.accounts.join(", @")
            ));
            new_slots.push(None);
            continue;
        }
        let mut entry = entry.clone();
        match fresh_id(store, journal, &entry, &mut taken, &mut per_second) {
            Some(id) => entry.id = id,
            None => {
                applied.failures.push(format!(
                    "post {} was not imported: every entry id for {} is taken (65,536 entries observed in one second)",
                    entry.source_id, entry.observed_at
                ));
                new_slots.push(None);
                continue;
            }
        }
        new_slots.push(Some(batch.len()));
        batch.push(entry);
    }

    let total = batch.len();
    let results = store.save_entries(&batch, &|done| progress(done, total));
    let ok = |i: usize, results: &[Result<(), StoreError>]| results[i].is_ok();
    for r in &results {
        match r {
            Ok(()) => applied.entries_written += 1,
            Err(e) => applied.failures.push(e.to_string()),
        }
    }
    for (i, update) in plan.updates.iter().enumerate() {
        if ok(i, &results) {
            journal.entries[update.index] = batch[i].clone();
        }
    }
    let mut added = false;
    for slot in &new_slots {
        let id = slot.filter(|&i| ok(i, &results)).map(|i| {
            journal.entries.push(batch[i].clone());
            added = true;
            batch[i].id.clone()
        });
        applied.new_ids.push(id);
    }
    if added {
        journal.sort_entries();
    }
    applied
}
