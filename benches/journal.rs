//! Benchmarks on generated journals of 1k, 10k and 100k entries (100k left out with
//! `FIELDNOTE_BENCH_QUICK=1`): loading (through the load cache and without it), `check`,
//! building the search index, filtering by account and by two codes, full-text search,
//! building the matrix, drawing a frame, a keystroke in the search and filter bars with
//! the frame it produces, a quick-tag toggle and the coding of a passage in the reading
//! view, each with its atomic save and frame.
//! `bench/table.py` prints the medians as the table in docs/performance.md.
//! Journals are generated once into `target/bench-journals/`.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use fieldnote::analysis::keys::EntryKeys;
use fieldnote::analysis::matrix::{By, Matrix};
use fieldnote::analysis::search::Query;
use fieldnote::analysis::{Filter, TextIndex};
use fieldnote::store::{self, LoadOptions};
use fieldnote::tui::action::{Action, Effect};
use fieldnote::tui::app::{Access, App};
use fieldnote::tui::keymap::Keymap;
use fieldnote::tui::theme::Theme;
use fieldnote::tui::{ui, update::update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// 1k, 10k and 100k entries; `FIELDNOTE_BENCH_QUICK=1` leaves out 100k (which takes
/// most of the run: generating it once, and `check` reading 100,000 files per sample).
fn sizes() -> Vec<usize> {
    let mut s = vec![1_000, 10_000];
    if std::env::var_os("FIELDNOTE_BENCH_QUICK").is_none() {
        s.push(100_000);
    }
    s
}

/// A generated journal of `n` entries in `target/bench-journals/NAME`, made once and
/// kept for later runs.
fn generated(n: usize, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-journals")
        .join(name);
    if !dir.join("journal.toml").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        fieldnote::demo::generate(&dir, n).expect("generate a journal");
    }
    dir
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::from(KeyCode::Char(c)))
}

fn benches(c: &mut Criterion) {
    for n in sizes() {
        // `-p`: journals generated since entries have coded passages.
        let root = generated(n, &format!("{n}-p"));
        let opened = store::open(&root).unwrap();
        let journal = opened.journal.clone();
        let index = TextIndex::new(&journal);

        let mut g = c.benchmark_group("journal");
        g.sample_size(10).measurement_time(Duration::from_secs(5));
        // With the load cache (what every start after the first does) and without it
        // (the first start, or after the cache was deleted).
        g.bench_with_input(BenchmarkId::new("load", n), &root, |b, root| {
            b.iter(|| store::open(root).unwrap())
        });
        let uncached = LoadOptions {
            no_cache: true,
            ..LoadOptions::default()
        };
        // What the interface's first frame shows while the whole journal loads: the
        // newest month folders, enough for a 40-row screen.
        g.bench_with_input(BenchmarkId::new("preview", n), &root, |b, root| {
            b.iter(|| store::preview(root, 40).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("load_uncached", n), &root, |b, root| {
            b.iter(|| store::open_with(root, uncached).unwrap())
        });
        g.bench_with_input(BenchmarkId::new("check", n), &root, |b, root| {
            b.iter(|| {
                store::open_with(
                    root,
                    LoadOptions {
                        deep: true,
                        ..Default::default()
                    },
                )
                .unwrap()
            })
        });
        g.bench_with_input(
            BenchmarkId::new("build_search_index", n),
            &journal,
            |b, j| b.iter(|| TextIndex::new(j)),
        );
        g.finish();

        let mut g = c.benchmark_group("query");
        let account = journal.accounts[0].handle.clone();
        let by_account = Filter {
            accounts: vec![account],
            ..Filter::default()
        };
        let by_two_codes = Filter {
            all_codes: vec!["live".into(), "authenticity".into()],
            ..Filter::default()
        };
        let by_text = Filter {
            text: Query::new("kulitku kering"),
            ..Filter::default()
        };
        g.bench_with_input(BenchmarkId::new("filter_account", n), &journal, |b, j| {
            b.iter(|| by_account.apply(j, Some(&index)))
        });
        g.bench_with_input(BenchmarkId::new("filter_two_codes", n), &journal, |b, j| {
            b.iter(|| by_two_codes.apply(j, Some(&index)))
        });
        g.bench_with_input(BenchmarkId::new("search_text", n), &journal, |b, j| {
            b.iter(|| by_text.apply(j, Some(&index)))
        });
        g.bench_with_input(
            BenchmarkId::new("matrix_codes_accounts", n),
            &journal,
            |b, j| b.iter(|| Matrix::compute(j, &Filter::default(), By::Account)),
        );
        // The part of it the interface does again and again: the entries are numbered
        // once (while it waits for keys), then each count runs over those numbers.
        g.bench_with_input(BenchmarkId::new("entry_keys", n), &journal, |b, j| {
            b.iter(|| EntryKeys::of(j))
        });
        let keys = EntryKeys::of(&journal);
        for (name, by) in [
            ("matrix_counted_by_account", By::Account),
            ("matrix_counted_by_month", By::Month),
        ] {
            g.bench_with_input(BenchmarkId::new(name, n), &journal, |b, j| {
                b.iter(|| Matrix::compute_with(j, &keys, &Filter::default(), by))
            });
        }
        g.finish();

        let mut g = c.benchmark_group("tui");
        let mut app = App::new(
            journal.clone(),
            Access::Full,
            Keymap::default(),
            jiff::Timestamp::now(),
        );
        // What the interface builds while it waits for keys (the search index, the
        // matrix's numbered entries), complete.
        while !app.build_some() {}
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let theme = Theme { color: true };
        g.bench_function(BenchmarkId::new("draw_frame", n), |b| {
            b.iter(|| {
                terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            })
        });
        // The other screens: each drawn after its key (the matrix is computed on entry).
        for (name, screen_key) in [
            ("accounts_screen_to_frame", 'A'),
            ("codebook_screen_to_frame", 'C'),
            ("matrix_screen_to_frame", 'm'),
        ] {
            g.bench_function(BenchmarkId::new(name, n), |b| {
                b.iter(|| {
                    update(&mut app, key(screen_key));
                    terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
                    update(&mut app, key('T'));
                })
            });
        }
        // A keystroke in the search bar, then the frame it produces: type a letter and
        // take it back, alternately.
        update(&mut app, key('/'));
        g.bench_function(BenchmarkId::new("keystroke_search_to_frame", n), |b| {
            let mut typed = false;
            b.iter(|| {
                let action = if typed {
                    Action::Key(KeyEvent::from(KeyCode::Backspace))
                } else {
                    key('k')
                };
                typed = !typed;
                update(&mut app, action);
                terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            })
        });
        update(&mut app, Action::Key(KeyEvent::from(KeyCode::Esc)));
        update(&mut app, key('f'));
        for c in "live".chars() {
            update(&mut app, key(c));
        }
        g.bench_function(BenchmarkId::new("keystroke_filter_to_frame", n), |b| {
            let mut typed = false;
            b.iter(|| {
                // "live" then "live " and back: each key re-parses the filter and
                // refilters every entry, as typing any term does.
                let action = if typed {
                    Action::Key(KeyEvent::from(KeyCode::Backspace))
                } else {
                    key(' ')
                };
                typed = !typed;
                update(&mut app, action);
                terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            })
        });
        update(&mut app, Action::Key(KeyEvent::from(KeyCode::Esc)));
        g.finish();

        // Quick tag: the key, the atomic save of the entry's file, and the next frame.
        let mut g = c.benchmark_group("save");
        g.sample_size(20);
        // A journal of its own, as the benchmark changes it (one code toggled on and off).
        let tag_root = generated(n, &format!("{n}-p-tag"));
        let mut opened = store::open(&tag_root).unwrap();
        let mut app = App::new(
            opened.journal.clone(),
            Access::Full,
            Keymap::default(),
            jiff::Timestamp::now(),
        );
        g.bench_function(BenchmarkId::new("quick_tag_save_frame", n), |b| {
            b.iter(|| {
                for effect in update(&mut app, key('5')) {
                    if let Effect::SaveEntries { entries, .. } = effect {
                        for e in &entries {
                            opened.store.save_entry(e).unwrap();
                        }
                    }
                }
                terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            })
        });
        // Coding a passage: in the reading view, `s` selects the sentence under the
        // cursor and the code key codes it (a new passage); the next time the key takes
        // the code off again (the passage goes). Each with its atomic save and frame.
        update(&mut app, key('p'));
        let mut coded = false;
        g.bench_function(BenchmarkId::new("code_passage_save_frame", n), |b| {
            b.iter(|| {
                if !coded {
                    update(&mut app, key('s'));
                }
                coded = !coded;
                for effect in update(&mut app, key('5')) {
                    if let Effect::SaveEntries { entries, .. } = effect {
                        for e in &entries {
                            opened.store.save_entry(e).unwrap();
                        }
                    }
                }
                terminal.draw(|f| ui::draw(f, &app, &theme)).unwrap();
            })
        });
        g.finish();
    }
}

criterion_group!(all, benches);
criterion_main!(all);
