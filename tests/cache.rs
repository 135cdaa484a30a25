//! The load cache under `.fieldnote/cache/`: a load through it gives exactly what parsing
//! every file gives, picks up every change, shrugs off a damaged cache, and holds nothing
//! the files do not.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use fieldnote::model::Entry;
use fieldnote::store::cache::{self, Cache, Record, Stamp};
use fieldnote::store::{self, LoadOptions, Opened, StoreError};

struct Generated {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

/// A generated journal of `n` entries.
fn generated(n: usize) -> Generated {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("j");
    fieldnote::demo::generate(&root, n).unwrap();
    Generated { _dir: dir, root }
}

fn entry_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("entries")];
    while let Some(dir) = stack.pop() {
        for item in fs::read_dir(dir).unwrap().flatten() {
            let p = item.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

fn shard_files(root: &Path) -> Vec<PathBuf> {
    match fs::read_dir(root.join(cache::DIR)) {
        Ok(read) => read.flatten().map(|i| i.path()).collect(),
        Err(_) => Vec::new(),
    }
}

/// What every file parses into, with no cache involved (and none left behind).
fn fresh(root: &Path) -> Opened {
    cache::clear(root).unwrap();
    let opened = store::open(root).unwrap();
    cache::clear(root).unwrap();
    opened
}

fn assert_same(a: &Opened, b: &Opened) {
    assert_eq!(a.problems, b.problems);
    assert_eq!(a.journal.entries.len(), b.journal.entries.len());
    assert!(a.journal == b.journal, "the models differ");
    for e in &a.journal.entries {
        assert_eq!(a.store.entry_path(e), b.store.entry_path(e));
    }
}

/// A journal with a problem of every kind a load reports.
fn with_problems() -> Generated {
    let g = generated(150);
    let files = entry_files(&g.root);
    let edit = |rel: &str, change: &dyn Fn(String) -> String| {
        let path = g.root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, change(text)).unwrap();
    };
    edit(&files[0], &|t| {
        t.replacen("codes = [", "codes = [\"no-such-code\", ", 1)
    });
    edit(&files[1], &|t| format!("\u{feff}{t}"));
    edit(&files[2], &|t| t.replacen("kind = ", "kind = = ", 1));
    edit(&files[3], &|t| t.replacen("id = \"", "id = \"x", 1));
    edit(&files[4], &|t| {
        t.replacen("accounts = [", "accounts = [\"nobody\", ", 1)
    });
    // A second file with the id of the sixth.
    let dup = fs::read_to_string(g.root.join(&files[5])).unwrap();
    let copy = files[5].replace(".toml", "-copy.toml");
    fs::write(g.root.join(copy), dup).unwrap();
    let c = g
        .root
        .join("comments/20990101-000000-0000/20990101-000000-x.toml");
    fs::create_dir_all(c.parent().unwrap()).unwrap();
    fs::write(
        c,
        "entry = \"20990101-000000-0000\"\nauthor = \"x\"\nat = 2099-01-01T00:00:00Z\n",
    )
    .unwrap();
    g
}

#[test]
fn a_cached_load_equals_a_fresh_parse_problems_included() {
    let g = with_problems();
    let parsed = fresh(&g.root);
    assert!(parsed.problems.len() >= 7, "{:#?}", parsed.problems);
    let first = store::open(&g.root).unwrap();
    assert!(
        !shard_files(&g.root).is_empty(),
        "the first load writes the cache"
    );
    let cached = store::open(&g.root).unwrap();
    assert_same(&parsed, &first);
    assert_same(&parsed, &cached);
    // Problems found through the cache still point at their line.
    let unknown = cached
        .problems
        .iter()
        .find(|p| p.message.contains("no-such-code"))
        .unwrap();
    assert!(unknown.line > 1, "{unknown}");
}

#[test]
fn cached_records_are_used_while_their_stamp_holds() {
    let g = generated(20);
    store::open(&g.root).unwrap();
    let rel = entry_files(&g.root).remove(0);
    let path = g.root.join(&rel);
    let opened = store::open(&g.root).unwrap();
    let mut entry: Entry = opened
        .journal
        .entries
        .iter()
        .find(|e| opened.store.entry_path(e) == rel)
        .unwrap()
        .clone();
    // Plant a record with another title and the file's present stamp, trusted on its
    // stamp alone: a load must take it, which shows the cache is really read.
    entry.title = "from the cache".into();
    let stamp = Stamp::of(&fs::metadata(&path).unwrap());
    let key = rel.rsplit_once('/').unwrap().0;
    let bytes = fs::read(&path).unwrap();
    let record = Record {
        rel: rel.as_str(),
        stamp,
        hash: fieldnote::store::content_hash(&bytes),
        verify: false,
        value: &mut entry,
    };
    Cache::new(&g.root).write(key, &mut [record]);
    let planted = store::open(&g.root).unwrap();
    assert!(
        planted
            .journal
            .entries
            .iter()
            .any(|e| e.title == "from the cache")
    );
    // Any change to the file's stamp and the file wins again.
    fs::write(&path, &bytes).unwrap();
    let reread = store::open(&g.root).unwrap();
    assert!(
        !reread
            .journal
            .entries
            .iter()
            .any(|e| e.title == "from the cache")
    );
}

#[test]
fn changed_added_and_deleted_files_are_picked_up() {
    let g = generated(120);
    store::open(&g.root).unwrap();
    let files = entry_files(&g.root);
    // Changed: a new title (same length, so only the times tell).
    let changed = g.root.join(&files[10]);
    let text = fs::read_to_string(&changed).unwrap();
    let title_at = text.find("title = \"").unwrap() + 9;
    let mut bytes = text.into_bytes();
    bytes[title_at] = b'Z';
    fs::write(&changed, &bytes).unwrap();
    // Deleted, and added under another month.
    fs::remove_file(g.root.join(&files[20])).unwrap();
    let model = &files[30];
    let salt = &model[model.len() - 9..model.len() - 5]; // the id's last four hex digits
    let added = fs::read_to_string(g.root.join(model)).unwrap();
    fs::write(
        g.root.join(model.replacen(salt, "beef", 1)),
        added.replacen(salt, "beef", 1),
    )
    .unwrap();
    // A codebook change makes cached entries that use the code wrong.
    let book = fs::read_to_string(g.root.join("codebook.toml")).unwrap();
    fs::write(
        g.root.join("codebook.toml"),
        book.replacen("id = \"live\"", "id = \"live-stream\"", 1),
    )
    .unwrap();

    let cached = store::open(&g.root).unwrap();
    let parsed = fresh(&g.root);
    assert_same(&parsed, &cached);
    assert_eq!(cached.journal.entries.len(), 120);
    assert!(
        cached
            .journal
            .entries
            .iter()
            .any(|e| e.title.starts_with('Z'))
    );
    assert!(cached.problems.iter().any(|p| p.message.contains("`live`")));
}

#[test]
fn a_damaged_cache_is_ignored_and_rebuilt() {
    let g = generated(60);
    let parsed = fresh(&g.root);
    store::open(&g.root).unwrap();
    let shards = shard_files(&g.root);
    assert!(!shards.is_empty());
    let good: Vec<Vec<u8>> = shards.iter().map(|p| fs::read(p).unwrap()).collect();
    type Damage = dyn Fn(&[u8]) -> Vec<u8>;
    let damages: [&Damage; 5] = [
        &|b| b[..b.len() / 2].to_vec(),              // truncated
        &|_| b"PK\x03\x04 not ours at all".to_vec(), // foreign
        &|_| Vec::new(),                             // empty
        &|b| {
            let mut old = b.to_vec();
            old[8] = old[8].wrapping_sub(1); // an older format version
            old
        },
        &|b| {
            let mut flipped = b.to_vec();
            let last = flipped.len() - 1;
            flipped[last] ^= 0x55; // garbage in the payload
            flipped
        },
    ];
    for damage in damages {
        for (path, bytes) in shards.iter().zip(&good) {
            fs::write(path, damage(bytes)).unwrap();
        }
        let opened = store::open(&g.root).unwrap();
        assert_same(&parsed, &opened);
        for path in &shards {
            let rebuilt = fs::read(path).unwrap();
            assert!(
                rebuilt.starts_with(b"FNCACHE\0"),
                "{path:?} was not rebuilt"
            );
        }
    }
    // A cache folder that is not a folder does not stop the journal from opening.
    cache::clear(&g.root).unwrap();
    fs::write(g.root.join(cache::DIR), "in the way").unwrap();
    assert_same(&parsed, &store::open(&g.root).unwrap());
}

#[test]
fn deleting_the_cache_loses_nothing_and_it_stays_out_of_git() {
    let g = generated(50);
    let mut opened = store::open(&g.root).unwrap();
    let mut entry = opened.journal.entries[7].clone();
    let tagged = entry.toggle_code("humour");
    opened.store.save_entry(&entry).unwrap();
    let after_save = store::open(&g.root).unwrap();
    let saved = after_save.journal.entry(&entry.id).unwrap();
    assert_eq!(saved.has_code("humour"), tagged);
    fs::remove_dir_all(g.root.join(".fieldnote")).unwrap();
    let without = store::open(&g.root).unwrap();
    assert_same(&after_save, &without);
    // Ignored twice over: by the journal's .gitignore and by the folder's own.
    let ignore = fs::read_to_string(g.root.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == ".fieldnote/"));
    let own = fs::read_to_string(g.root.join(".fieldnote/.gitignore")).unwrap();
    assert!(own.lines().any(|l| l.trim() == "*"));
}

#[test]
fn saves_after_a_cached_load_still_refuse_files_changed_on_disk() {
    let g = generated(30);
    store::open(&g.root).unwrap();
    let mut opened = store::open(&g.root).unwrap();
    let mut entry = opened.journal.entries[3].clone();
    entry.title = "saved through a cached load".into();
    opened.store.save_entry(&entry).unwrap();

    let mut other = opened.journal.entries[4].clone();
    let path = g.root.join(opened.store.entry_path(&other));
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("title = \"", "title = \"theirs: ", 1)).unwrap();
    other.title = "mine".into();
    match opened.store.save_entry(&other) {
        Err(StoreError::ChangedOnDisk { .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A `.fieldnote` folder that is a link (out of the journal, say) is neither read nor
/// written: the journal opens by parsing, and nothing appears where the link leads.
#[cfg(unix)]
#[test]
fn a_cache_folder_behind_a_link_is_left_alone() {
    let g = generated(20);
    let outside = tempfile::tempdir().unwrap();
    fs::remove_dir_all(g.root.join(".fieldnote")).ok();
    std::os::unix::fs::symlink(outside.path(), g.root.join(".fieldnote")).unwrap();
    let parsed = store::open(&g.root).unwrap();
    assert_eq!(parsed.journal.entries.len(), 20);
    assert_eq!(
        fs::read_dir(outside.path()).unwrap().count(),
        0,
        "the cache was written through the link"
    );
}

/// The whole program, end to end: the first frame of the interface is the same drawn
/// from parsed files, from the cache it just wrote, and with the cache turned off.
/// (`FIELDNOTE_FIRST_FRAME_ONLY` draws it into memory and prints it; bench/compare.sh
/// times start-up with it.)
#[test]
fn the_first_frame_is_the_same_with_and_without_the_cache() {
    let j = common::TempJournal::demo();
    let root = j.root.to_str().unwrap();
    let frame = |env: &[(&str, &str)]| {
        let mut all = vec![("FIELDNOTE_FIRST_FRAME_ONLY", "100x30")];
        all.extend_from_slice(env);
        let out = common::run_with_env(&j.root, &["-J", root], None, &all);
        assert!(out.status.success(), "{}", common::stderr(&out));
        common::stdout(&out)
    };
    cache::clear(&j.root).unwrap();
    let parsed = frame(&[]);
    assert!(
        !shard_files(&j.root).is_empty(),
        "the first start writes the cache"
    );
    let cached = frame(&[]);
    let uncached = frame(&[("FIELDNOTE_NO_CACHE", "1")]);
    assert!(parsed.contains("All entries · 53"), "{parsed}");
    assert_eq!(parsed.lines().count(), 30);
    assert_eq!(parsed, cached);
    assert_eq!(parsed, uncached);
}

/// Two files with one id: the one kept is the first in path order, whether the journal
/// is loaded through the cache or parsed (`check` never uses the cache, and the
/// interface must not keep the other one). `03-old` sorts before `03/` as a path but
/// after `03` as a folder name, which is how the cache groups files.
#[test]
fn the_same_duplicate_is_refused_with_or_without_the_cache() {
    let g = generated(40);
    let first = entry_files(&g.root)[0].clone();
    let (folder, name) = first.rsplit_once('/').unwrap();
    let copy = format!("{folder}-old/{name}");
    fs::create_dir_all(g.root.join(format!("{folder}-old"))).unwrap();
    fs::copy(g.root.join(&first), g.root.join(&copy)).unwrap();
    let parsed = fresh(&g.root);
    let duplicate = |o: &Opened| {
        o.problems
            .iter()
            .find(|p| p.message.contains("duplicate id"))
            .map(|p| p.path.clone())
    };
    assert_eq!(duplicate(&parsed).as_deref(), Some(first.as_str()));
    store::open(&g.root).unwrap();
    let cached = store::open(&g.root).unwrap();
    assert_same(&parsed, &cached);
}

/// A `.fieldnote/.gitignore` that is a dangling link (a hostile repository) is not
/// written through: nothing is created where it points.
#[cfg(unix)]
#[test]
fn the_cache_never_writes_through_a_planted_link() {
    let g = generated(10);
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted");
    fs::remove_dir_all(g.root.join(".fieldnote")).ok();
    fs::create_dir(g.root.join(".fieldnote")).unwrap();
    std::os::unix::fs::symlink(&target, g.root.join(".fieldnote/.gitignore")).unwrap();
    let opened = store::open(&g.root).unwrap();
    assert_eq!(opened.journal.entries.len(), 10);
    assert!(!target.exists(), "a file was created through the link");
}

/// The interface's first frame while a journal loads (`store::preview`): the newest
/// entries, whole month folders of them, read as a load reads them (a changed file is
/// never taken from its stale record), with the cache left exactly as it was.
#[test]
fn the_preview_is_the_newest_entries_fresh_and_writes_no_cache() {
    let g = generated(400);
    let full = store::open(&g.root).unwrap();
    let all = &full.journal.entries;
    let shards = |root: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        let mut found: Vec<_> = shard_files(root)
            .into_iter()
            .map(|p| (p.clone(), fs::read(&p).unwrap()))
            .collect();
        found.sort();
        found
    };
    let before = shards(&g.root);
    assert!(!before.is_empty());
    // The newest entry's file changes after its record was cached.
    let newest = all.last().unwrap();
    let path = g.root.join(full.store.entry_path(newest));
    let text = fs::read_to_string(&path).unwrap();
    let retitled = text.replacen(
        &format!("title = \"{}\"", newest.title),
        "title = \"Changed since the cache\"",
        1,
    );
    assert_ne!(text, retitled);
    fs::write(&path, retitled).unwrap();

    let preview = store::preview(&g.root, 20).unwrap();
    let shown = &preview.entries;
    assert!(shown.len() >= 20, "{}", shown.len());
    assert!(
        shown.len() < all.len() / 2,
        "{} of {}",
        shown.len(),
        all.len()
    );
    // The same newest entries as the whole load, in the same order.
    let tail = &all[all.len() - shown.len()..];
    let ids = |es: &[Entry]| es.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(shown), ids(tail));
    assert_eq!(shown.last().unwrap().title, "Changed since the cache");
    assert_eq!(preview.codebook, full.journal.codebook);
    assert_eq!(shards(&g.root), before, "the preview wrote the cache");

    // Without a cache, none is made either.
    cache::clear(&g.root).unwrap();
    assert!(store::preview(&g.root, 20).is_some());
    assert!(shard_files(&g.root).is_empty());
    // And a journal with no entry has nothing to preview.
    let empty = common::TempJournal::init();
    assert!(store::preview(&empty.root, 20).is_none());
}

/// `list` reads the cache without the entries' bodies (`LoadOptions::no_texts`, a tenth
/// of the bytes): the same rows as parsing every file, an untitled entry still headed by
/// its body's first line, and the cache left whole for the next full load.
#[test]
fn a_list_without_bodies_shows_the_same_rows_and_leaves_the_cache_whole() {
    let g = generated(120);
    let rel = entry_files(&g.root).remove(5);
    let path = g.root.join(&rel);
    let untitled: String = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| match l.starts_with("title = ") {
            true => "title = \"\"\n".to_string(),
            false => format!("{l}\n"),
        })
        .collect();
    fs::write(&path, untitled).unwrap();
    let parsed = fresh(&g.root);
    let entry = parsed
        .journal
        .entries
        .iter()
        .find(|e| parsed.store.entry_path(e) == rel)
        .unwrap();
    assert!(entry.title.is_empty());
    let headline = entry.headline().to_string();
    assert!(!headline.is_empty());

    store::open(&g.root).unwrap(); // the cache, bodies kept apart
    let before: Vec<Vec<u8>> = shard_files(&g.root)
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    let root = g.root.to_str().unwrap();
    let list = |env: &[(&str, &str)]| {
        let out = common::run_with_env(&g.root, &["-J", root, "list"], None, env);
        assert!(out.status.success(), "{}", common::stderr(&out));
        common::stdout(&out)
    };
    let cached = list(&[]);
    assert_eq!(cached, list(&[("FIELDNOTE_NO_CACHE", "1")]));
    assert!(cached.contains(&headline), "{headline} not in\n{cached}");

    let no_texts = LoadOptions {
        no_texts: true,
        ..Default::default()
    };
    let light = store::open_with(&g.root, no_texts).unwrap();
    // Nothing is written through it, whatever access is asked for: a save would
    // write an empty body.
    let mut store = light.store;
    store.set_access(store::Access::Full);
    let first = light.journal.entries[0].clone();
    assert!(store.save_entry(&first).is_err());
    let titled = light.journal.entries.iter().filter(|e| !e.title.is_empty());
    assert!(titled.clone().count() > 100);
    assert!(
        titled.into_iter().all(|e| e.body.is_empty()),
        "bodies were decoded"
    );
    let after: Vec<Vec<u8>> = shard_files(&g.root)
        .iter()
        .map(|p| fs::read(p).unwrap())
        .collect();
    assert_eq!(before, after, "a load without bodies rewrote the cache");
    assert_same(&store::open(&g.root).unwrap(), &parsed);

    // A file changed since makes its shard stale: a load without bodies rewrites it
    // (else every later `list` would parse the file again), bodies included.
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("# touched\n");
    fs::write(&path, text).unwrap();
    let shards = || -> Vec<Vec<u8>> {
        shard_files(&g.root)
            .iter()
            .map(|p| fs::read(p).unwrap())
            .collect()
    };
    let stale = shards();
    store::open_with(&g.root, no_texts).unwrap();
    assert_ne!(shards(), stale, "the stale shard was not rewritten");
    let uncached = LoadOptions {
        no_cache: true,
        ..Default::default()
    };
    assert_same(
        &store::open(&g.root).unwrap(),
        &store::open_with(&g.root, uncached).unwrap(),
    );
}

/// The interface's load returns before its shards are written (`cache_behind`): its
/// journal is already whole, and once the store is done waiting every shard holds every
/// entry of its folder, with no temporary left behind.
#[test]
fn a_load_that_writes_its_cache_behind_returns_the_whole_journal_and_a_whole_cache() {
    let g = generated(300);
    let parsed = fresh(&g.root);
    let options = LoadOptions {
        cache_behind: true,
        ..Default::default()
    };
    let mut behind = store::open_with(&g.root, options).unwrap();
    assert_same(&behind, &parsed);
    behind.store.wait_for_cache();

    let mut per_folder: std::collections::BTreeMap<String, usize> = Default::default();
    for rel in entry_files(&g.root) {
        *per_folder
            .entry(rel.rsplit_once('/').unwrap().0.to_string())
            .or_default() += 1;
    }
    assert!(per_folder.len() > 1, "{per_folder:?}");
    let reader = Cache::new(&g.root);
    for (folder, files) in &per_folder {
        let shard = reader.read::<Entry>(folder, true);
        assert_eq!(shard.records.len(), *files, "{folder}");
        assert_eq!(shard.texts.len(), *files, "{folder}");
    }
    let names: Vec<String> = fs::read_dir(g.root.join(cache::DIR))
        .unwrap()
        .flatten()
        .map(|i| i.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".bin")), "{names:?}");
    // And the next load through it is the same journal.
    assert_same(&store::open(&g.root).unwrap(), &parsed);
}

/// A first start takes no stamp before reading (there is no record to compare it with):
/// each record is kept with the stamp of the bytes it was parsed from, and a linked
/// file, whose own stamp does not follow its target, is never kept.
#[test]
fn a_first_start_keeps_each_record_with_the_stamp_of_the_file_read() {
    let g = generated(30);
    let files = entry_files(&g.root);
    let linked = files[0].clone();
    let target = g.root.join("kept-aside.toml");
    fs::rename(g.root.join(&linked), &target).unwrap();
    std::os::unix::fs::symlink(&target, g.root.join(&linked)).unwrap();
    cache::clear(&g.root).unwrap();

    let opened = store::open(&g.root).unwrap();
    assert_eq!(opened.journal.entries.len(), 30);
    let cache = Cache::new(&g.root);
    let mut kept = Vec::new();
    for rel in &files {
        let folder = rel.rsplit_once('/').unwrap().0;
        assert!(cache.has_shard(folder), "{folder}");
        let shard = cache.read::<Entry>(folder, false);
        if let Some(record) = shard.records.iter().find(|r| &r.rel == rel) {
            let now = Stamp::of(&fs::metadata(g.root.join(rel)).unwrap());
            assert_eq!(record.stamp, now, "{rel}");
            kept.push(rel.clone());
        }
    }
    let unkept: Vec<&String> = files.iter().filter(|f| !kept.contains(f)).collect();
    assert_eq!(unkept, [&linked]);
    // The next load takes the records, and still reads the link.
    let again = store::open(&g.root).unwrap();
    assert_same(&opened, &again);
}
