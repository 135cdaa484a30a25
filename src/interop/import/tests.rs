use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;

use super::accounts::merge_followers;
use super::apply::fresh_id;
use super::*;
use crate::interop::Post;
use crate::interop::import::zeeschuimer;
use crate::model::{Account, FollowerPoint, Journal, Kind, Moment, Platform};
use crate::model::{Codebook, Metrics, Screenshot, Settings};
use crate::store::Store;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/interop");

fn journal() -> Journal {
    let mut settings = Settings {
        timezone: "Asia/Jakarta".into(),
        ..Settings::default()
    };
    for (tag, code) in [
        ("grwm", "daily-life"),
        ("dailyvlog", "daily-life"),
        ("curhat", "curhat"),
        ("duet", "duet"),
        ("komedi", "humour"),
        ("stitch", "stitch"),
        ("ad", "promotion"),
        ("fyp", "no-such-code"),
    ] {
        settings.import.hashtags.insert(tag.into(), code.into());
    }
    Journal {
        settings,
        codebook: toml::from_str::<Codebook>(crate::demo::STARTER_CODEBOOK).unwrap(),
        ..Journal::default()
    }
}

fn posts(name: &str) -> Vec<Post> {
    let bytes = std::fs::read(format!("{SAMPLES}/{name}")).unwrap();
    zeeschuimer::read(&bytes[..], 0, &|_| {}).unwrap().posts
}

fn now() -> Timestamp {
    "2026-03-20T02:00:00Z".parse().unwrap()
}

/// Apply a plan to the model only, as `apply` would (ids from the index).
fn apply_in_memory(journal: &mut Journal, plan: Plan) {
    for u in plan.updates {
        journal.entries[u.index] = u.entry;
    }
    for u in plan.account_updates {
        journal.accounts[u.index] = u.account;
    }
    for (i, mut e) in plan.new_entries.into_iter().enumerate() {
        e.id = crate::model::entry_id(&e.observed_at, i as u16);
        journal.entries.push(e);
    }
    journal.accounts.extend(plan.new_accounts);
    journal.sort_entries();
}

#[test]
fn a_first_import_makes_entries_and_accounts() {
    let j = journal();
    let plan = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    assert_eq!(plan.posts, 12);
    assert_eq!(plan.superseded, 1);
    assert_eq!(plan.new_entries.len(), 12);
    assert!(plan.updates.is_empty());
    assert_eq!(plan.unchanged, 0);

    let grwm = plan
        .new_entries
        .iter()
        .find(|e| e.source_id == "tiktok:7616337661355569196")
        .unwrap();
    assert_eq!(grwm.kind, Kind::Content);
    assert_eq!(grwm.observed_at.to_string(), "2026-03-12T18:59:59+07:00");
    assert_eq!(
        grwm.recorded_at.unwrap().to_string(),
        "2026-03-20T09:00:00+07:00"
    );
    assert_eq!(grwm.accounts, ["sari.contoh"]);
    assert_eq!(grwm.codes, ["daily-life"]);
    assert_eq!(
        grwm.title,
        "GRWM ke kondangan sepupu 💄👗 #grwm #kondangan #outfitideas"
    );
    assert_eq!(grwm.body, grwm.title);
    assert_eq!(
        grwm.url,
        "https://www.tiktok.com/@sari.contoh/video/7616337661355569196"
    );
    let m = grwm.metrics.as_ref().unwrap();
    assert_eq!(
        (m.views, m.likes, m.comments, m.shares, m.saves),
        (Some(6120), Some(402), Some(37), Some(11), Some(19))
    );
    assert_eq!(m.replied_comments, None);
    assert_eq!(
        m.metrics_at.unwrap().to_string(),
        "2026-03-12T22:20:11+07:00"
    );

    // L3 and L9 are one post: the newer capture (L3, first in the file) wins.
    let pasar = plan
        .new_entries
        .iter()
        .find(|e| e.source_id == "tiktok:7612626470948202841")
        .unwrap();
    assert_eq!(pasar.metrics.as_ref().unwrap().views, Some(47890));
    // The mapping to an unknown code is reported, not applied.
    assert_eq!(pasar.codes, ["daily-life"]);
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("#fyp") && n.contains("no-such-code"))
    );
    // A post without stats has no metrics.
    let unboxing = plan
        .new_entries
        .iter()
        .find(|e| e.source_id == "tiktok:7615978302145954202")
        .unwrap();
    assert_eq!(unboxing.metrics, None);
    // Entries come oldest first.
    assert!(
        plan.new_entries
            .windows(2)
            .all(|w| w[0].observed_at <= w[1].observed_at)
    );

    let handles: Vec<&str> = plan
        .new_accounts
        .iter()
        .map(|a| a.handle.as_str())
        .collect();
    assert_eq!(handles, ["glowkit.contoh", "ketawa.contoh", "sari.contoh"]);
    let ketawa = &plan.new_accounts[1];
    assert_eq!(ketawa.platform, Platform::Tiktok);
    assert_eq!(ketawa.display_name, "Eko Ngakak");
    assert_eq!(ketawa.url, "https://www.tiktok.com/@ketawa.contoh");
    let points: Vec<String> = ketawa
        .followers
        .iter()
        .map(|p| format!("{} {}", p.date, p.count))
        .collect();
    assert_eq!(points, ["2023-08-20 23900", "2026-03-12 59800"]);
    // Exact (V2) follower count; one point per day, the day's newest capture.
    assert_eq!(plan.new_accounts[0].followers.len(), 1);
    assert_eq!(plan.new_accounts[0].followers[0].count, 68437);
    // sari: 41250 on 03-04; the 03-12 count is the same, so no second point.
    assert_eq!(plan.new_accounts[2].followers.len(), 1);

    let unmapped: Vec<&str> = plan.unmapped.iter().map(|(t, _)| t.as_str()).collect();
    assert!(unmapped.contains(&"kondangan"));
    assert!(!unmapped.contains(&"grwm"));
    assert!(!unmapped.contains(&"fyp"), "mapped, even if to a bad code");
}

#[test]
fn a_second_import_changes_nothing() {
    let mut j = journal();
    let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j, first);
    let later = "2026-04-01T00:00:00Z".parse().unwrap();
    let again = plan(&j, posts("tiktok.ndjson"), &Options::new(later));
    assert!(again.is_empty(), "{:?}", again.updates);
    assert_eq!(again.unchanged, 12);
    // Also after the 4CAT copies of the same captures, and the CSV (undated).
    let four = plan(&j, posts("tiktok_4cat.ndjson"), &Options::new(later));
    assert!(four.is_empty());
    let csv = std::fs::read_to_string(format!("{SAMPLES}/tiktok_4cat.csv")).unwrap();
    let csv_posts = crate::interop::import::fourcat_csv::read(&csv, 1)
        .unwrap()
        .posts;
    let from_csv = plan(&j, csv_posts, &Options::new(later));
    assert!(from_csv.is_empty(), "{:?}", from_csv.updates);
    assert_eq!(from_csv.unchanged, 6);
}

#[test]
fn a_later_capture_updates_metrics_only() {
    let mut j = journal();
    let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j, first);
    // The researcher works on an entry.
    let i = j
        .entries
        .iter()
        .position(|e| e.source_id == "tiktok:7616337661355569196")
        .unwrap();
    let edited = {
        let e = &mut j.entries[i];
        e.title = "GRWM, kondangan".into();
        e.body.push_str("\n\nShe thanks commenters by name.\n");
        e.codes = vec!["authenticity".into()];
        e.screenshots.push(Screenshot {
            path: "media/x.png".into(),
            ..Screenshot::default()
        });
        e.metrics.as_mut().unwrap().replied_comments = Some(12);
        e.clone()
    };
    let mut later = posts("tiktok.ndjson");
    later.truncate(1);
    later[0].captured = Some("2026-03-15T01:00:00Z".parse().unwrap());
    later[0].counts.views = Some(9000);
    later[0].counts.saves = None;
    later[0].caption = "edited by the author".into();
    later[0].hashtags = vec!["curhat".into()];
    let update = plan(&j, later.clone(), &Options::new(now()));
    assert_eq!(update.updates.len(), 1);
    assert!(update.new_accounts.is_empty());
    let after = &update.updates[0].entry;
    let m = after.metrics.as_ref().unwrap();
    assert_eq!(m.views, Some(9000));
    assert_eq!(
        m.saves,
        Some(19),
        "a count the capture lacks keeps its value"
    );
    assert_eq!(m.replied_comments, Some(12));
    assert_eq!(
        m.metrics_at.unwrap().to_string(),
        "2026-03-15T08:00:00+07:00"
    );
    let mut expected = edited.clone();
    expected.metrics = after.metrics.clone();
    assert_eq!(*after, expected, "only metrics change");
    assert_eq!(
        update.updates[0].changes,
        [
            "views 6120 → 9000",
            "metrics_at 2026-03-12 22:20 → 2026-03-15 08:00"
        ]
    );
    // With --apply-mapping the new hashtag's code is added, nothing removed.
    let opts = Options {
        apply_mapping: true,
        ..Options::new(now())
    };
    let mapped = plan(&j, later.clone(), &opts);
    assert_eq!(mapped.updates[0].entry.codes, ["authenticity", "curhat"]);
    // An older capture changes nothing.
    later[0].captured = Some("2026-03-01T00:00:00Z".parse().unwrap());
    let older = plan(&j, later, &Options::new(now()));
    assert!(older.updates.is_empty());
    assert_eq!(older.unchanged, 1);
}

#[test]
fn undated_captures_update_only_undated_metrics() {
    let mut j = journal();
    let mut p = posts("tiktok.ndjson");
    p.truncate(1);
    p[0].captured = None;
    let first = plan(&j, p.clone(), &Options::new(now()));
    assert_eq!(
        first.new_entries[0].metrics.as_ref().unwrap().metrics_at,
        None
    );
    apply_in_memory(&mut j, first);
    p[0].counts.views = Some(7000);
    let second = plan(&j, p.clone(), &Options::new(now()));
    assert_eq!(second.updates.len(), 1, "undated replaces undated");
    apply_in_memory(&mut j, second);
    // A dated capture replaces undated numbers; then undated ones no longer do.
    let opts = Options {
        captured_at: Some("2026-03-13T00:00:00Z".parse().unwrap()),
        ..Options::new(now())
    };
    p[0].counts.views = Some(8000);
    let dated = plan(&j, p.clone(), &opts);
    assert_eq!(dated.updates.len(), 1);
    apply_in_memory(&mut j, dated);
    p[0].counts.views = Some(1);
    assert!(plan(&j, p, &Options::new(now())).is_empty());
}

#[test]
fn a_given_capture_time_never_redates_dated_counts() {
    // The journal holds captures dated by their data (2026-03-12); a CSV of older
    // counts, downloaded a week later and given that day with --captured-at, must
    // neither replace those counts nor re-date them, nor add follower points later
    // than the ones recorded.
    let mut j = journal();
    let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j, first);
    let csv = std::fs::read_to_string(format!("{SAMPLES}/tiktok_4cat.csv")).unwrap();
    let mut older = crate::interop::import::fourcat_csv::read(&csv, 1)
        .unwrap()
        .posts;
    for p in &mut older {
        p.counts.views = p.counts.views.map(|v| v / 2);
        p.followers = p.followers.map(|f| f / 2);
    }
    let opts = Options {
        captured_at: Some("2026-03-19T00:00:00Z".parse().unwrap()),
        ..Options::new(now())
    };
    let again = plan(&j, older.clone(), &opts);
    assert!(again.updates.is_empty(), "{:?}", again.updates);
    assert!(
        again.account_updates.is_empty(),
        "{:?}",
        again.account_updates
    );
    assert_eq!(again.kept_dated, 6);
    // Into an empty journal the given time dates the counts and followers.
    let fresh = plan(&journal(), older, &opts);
    let m = fresh.new_entries[0].metrics.as_ref().unwrap();
    assert_eq!(
        m.metrics_at.unwrap().timestamp.to_string(),
        "2026-03-19T00:00:00Z"
    );
    assert!(fresh.new_accounts.iter().any(|a| !a.followers.is_empty()));
}

#[test]
fn pseudonymised_posts_make_no_accounts_unless_asked() {
    // 4CAT's pseudonymisation replaces author fields by hex digests.
    let hashed = |mut posts: Vec<Post>| {
        for p in &mut posts {
            p.handle = format!("{:048x}", p.handle.len() * 7919);
            p.display_name = format!("{:048x}", p.display_name.len());
            p.followers = None;
        }
        posts
    };
    // On top of the same posts in clear: counts may update, no account appears.
    let mut j = journal();
    let first = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j, first);
    let mut later = hashed(posts("tiktok.ndjson"));
    for p in &mut later {
        p.captured = Some("2026-03-19T00:00:00Z".parse().unwrap());
    }
    let over = plan(&j, later, &Options::new(now()));
    assert!(over.new_accounts.is_empty(), "{:?}", over.new_accounts);
    assert!(over.account_updates.is_empty());
    assert!(over.new_entries.is_empty());
    assert_eq!(over.updates.len() + over.unchanged, 12);
    assert!(
        over.updates.len() >= 11,
        "counts of known posts still update"
    );
    assert!(
        over.updates
            .iter()
            .all(|u| u.entry.accounts == j.entries[u.index].accounts)
    );
    // Into an empty journal: nothing, but counted; asked for, under the hashes.
    let none = plan(
        &journal(),
        hashed(posts("tiktok.ndjson")),
        &Options::new(now()),
    );
    assert!(none.is_empty());
    assert_eq!(none.pseudonymised, 12);
    let opts = Options {
        pseudonymised: true,
        ..Options::new(now())
    };
    let asked = plan(&journal(), hashed(posts("tiktok.ndjson")), &opts);
    assert_eq!(asked.new_entries.len(), 12);
    assert_eq!(asked.pseudonymised, 0);
    assert!(!asked.new_accounts.is_empty());
}

#[test]
fn a_time_estimated_from_the_id_is_corrected_by_a_real_one() {
    // Instagram: a grid capture has no `taken_at`, so the time comes from the pk.
    let mut j = journal();
    // A grid (Polaris) capture as Zeeschuimer keeps it: no taken_at, no caption.
    let grid = r#"{"item_id":"3848993480984933454_48120977356","timestamp_collected":1773300000000,"source_platform":"instagram.com","data":{"__typename":"XIGPolarisVideoMedia","code":"DVqXy2Y5rRO","pk":"3848993480984933454","id":"3848993480984933454_48120977356","user":{"id":"48120977356","username":"sari.contoh","is_verified":false},"display_uri":null,"play_count":null,"_zs_partial":true}}"#;
    let partial = zeeschuimer::parse_line(grid.as_bytes(), Default::default()).unwrap();
    // The sample's pk was made to match its taken_at; real ones are off by up to
    // days, as here.
    let mut complete = posts("instagram.ndjson")[4].clone();
    complete.created = complete
        .created
        .map(|t| t + jiff::SignedDuration::from_hours(5));
    assert!(partial.created_estimated && !complete.created_estimated);
    assert_ne!(
        partial.created, complete.created,
        "the sample's estimate is off"
    );
    let first = plan(&j, vec![partial], &Options::new(now()));
    assert_eq!(first.estimated, 1);
    apply_in_memory(&mut j, first);
    let id = j.entries[0].id.clone();
    let later = plan(&j, vec![complete.clone()], &Options::new(now()));
    let e = &later.updates[0].entry;
    assert_eq!(Some(e.observed_at.timestamp), complete.created);
    assert_eq!(e.id, id, "ids never change (docs/format.md)");
    assert!(
        later.updates[0].changes[0].starts_with("observed_at "),
        "{:?}",
        later.updates[0].changes
    );
    apply_in_memory(&mut j, later);
    assert!(plan(&j, vec![complete.clone()], &Options::new(now())).is_empty());

    // TikTok: no createTime, the id's upload second; a real createTime corrects it.
    let mut j = journal();
    let exact = posts("tiktok.ndjson").remove(0);
    let mut guessed = exact.clone();
    guessed.created = exact.id_time;
    guessed.created_estimated = true;
    let mut exact = exact;
    exact.created = exact
        .created
        .map(|t| t + jiff::SignedDuration::from_secs(90));
    let first = plan(&j, vec![guessed.clone()], &Options::new(now()));
    apply_in_memory(&mut j, first);
    let later = plan(&j, vec![exact.clone()], &Options::new(now()));
    assert_eq!(later.updates.len(), 1);
    assert_eq!(
        Some(later.updates[0].entry.observed_at.timestamp),
        exact.created
    );

    // A time the researcher corrected by hand is theirs: never touched.
    let mut j = journal();
    let first = plan(&j, vec![guessed], &Options::new(now()));
    apply_in_memory(&mut j, first);
    let by_hand = exact.created.unwrap() + jiff::SignedDuration::from_secs(3600);
    j.entries[0].observed_at = Moment::in_zone(by_hand, &j.settings.time_zone());
    let later = plan(&j, vec![exact], &Options::new(now()));
    assert!(
        later
            .updates
            .iter()
            .all(|u| u.entry.observed_at.timestamp == by_hand)
    );
}

#[test]
fn instagram_complete_capture_beats_partial() {
    let j = journal();
    let plan = plan(&j, posts("instagram.ndjson"), &Options::new(now()));
    assert_eq!(plan.posts, 7);
    let reel = plan
        .new_entries
        .iter()
        .find(|e| e.source_id == "instagram:DVqXy2Y5rRO")
        .unwrap();
    assert!(reel.body.starts_with("POV"));
    assert_eq!(reel.metrics.as_ref().unwrap().likes, Some(9120));
    assert_eq!(reel.url, "https://www.instagram.com/p/DVqXy2Y5rRO/");
    let handles: Vec<&str> = plan
        .new_accounts
        .iter()
        .map(|a| a.handle.as_str())
        .collect();
    assert_eq!(handles, ["glowkit.contoh", "kopi.contoh", "sari.contoh"]);
    assert_eq!(
        plan.new_accounts[1].url,
        "https://www.instagram.com/kopi.contoh/"
    );
    assert!(
        plan.new_accounts
            .iter()
            .all(|a| a.platform == Platform::Instagram)
    );
    assert!(plan.new_accounts.iter().all(|a| a.followers.is_empty()));
}

#[test]
fn a_partial_first_capture_gets_its_caption_later() {
    let mut j = journal();
    let all = posts("instagram.ndjson");
    let partial = vec![all[3].clone()];
    let first = plan(&j, partial, &Options::new(now()));
    assert_eq!(first.new_entries[0].body, "");
    apply_in_memory(&mut j, first);
    let complete = plan(&j, vec![all[4].clone()], &Options::new(now()));
    let e = &complete.updates[0].entry;
    assert!(e.title.starts_with("POV"));
    assert!(e.body.ends_with("#reels"));
}

#[test]
fn options_select_posts() {
    let j = journal();
    let only = |opts: Options| {
        let p = plan(&j, posts("tiktok.ndjson"), &opts);
        (p.posts, p.filtered)
    };
    let base = || Options::new(now());
    assert_eq!(
        only(Options {
            accounts: vec!["@Sari.Contoh".into()],
            ..base()
        }),
        (4, 8)
    );
    assert_eq!(
        only(Options {
            platform: Some(Platform::Instagram),
            ..base()
        }),
        (0, 13)
    );
    assert_eq!(
        only(Options {
            since: Some("2026-03-10T00:00:00Z".parse().unwrap()),
            until: Some("2026-03-12T00:00:00Z".parse().unwrap()),
            ..base()
        }),
        (2, 11)
    );
}

#[test]
fn existing_accounts_are_completed_not_overwritten() {
    let mut j = journal();
    j.accounts.push(Account {
        handle: "Sari.Contoh".into(),
        platform: Platform::Tiktok,
        category: "lifestyle".into(),
        followers: vec![FollowerPoint {
            date: "2026-03-01".parse().unwrap(),
            count: 40000,
        }],
        ..Account::default()
    });
    let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    let sari = p
        .account_updates
        .iter()
        .find(|u| u.account.handle == "Sari.Contoh")
        .unwrap();
    assert_eq!(sari.account.display_name, "Sari ✨ harian");
    assert_eq!(sari.account.category, "lifestyle");
    assert_eq!(sari.account.url, "https://www.tiktok.com/@Sari.Contoh");
    let counts: Vec<u64> = sari.account.followers.iter().map(|f| f.count).collect();
    assert_eq!(counts, [40000, 41250]);
    // Entries name the account as the journal spells it.
    let e = p
        .new_entries
        .iter()
        .find(|e| e.source_id == "tiktok:7616337661355569196")
        .unwrap();
    assert_eq!(e.accounts, ["Sari.Contoh"]);

    // Instagram posts by a handle the journal has on TikTok: filed there, noted.
    let mut j2 = journal();
    let first = plan(&j2, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j2, first);
    let ig = plan(&j2, posts("instagram.ndjson"), &Options::new(now()));
    assert!(
        ig.notes
            .iter()
            .any(|n| n.starts_with("@sari.contoh is a tiktok account"))
    );
    assert_eq!(ig.new_accounts.len(), 1, "only kopi.contoh is new");
}

#[test]
fn follower_history_rules() {
    let d = |s: &str| -> Date { s.parse().unwrap() };
    let t = Timestamp::UNIX_EPOCH;
    let mut history = vec![
        FollowerPoint {
            date: d("2026-03-01"),
            count: 100,
        },
        FollowerPoint {
            date: d("2026-03-10"),
            count: 200,
        },
    ];
    let observed: BTreeMap<Date, (Timestamp, u64)> = [
        (d("2026-02-01"), (t, 90)),
        (d("2026-03-01"), (t, 999)), // a day that has a point keeps it
        (d("2026-03-05"), (t, 100)), // same as the point before: nothing new
        (d("2026-03-12"), (t, 250)),
    ]
    .into();
    let changes = merge_followers(&mut history, Some(&observed));
    assert_eq!(
        changes,
        ["followers 2026-02-01: 90", "followers 2026-03-12: 250"]
    );
    let counts: Vec<u64> = history.iter().map(|p| p.count).collect();
    assert_eq!(counts, [90, 100, 200, 250]);
}

#[test]
fn entry_ids_run_out_rather_than_loop() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(dir.path());
    let j = journal();
    let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    let entry = &p.new_entries[0];
    let (mut taken, mut per_second) = (HashSet::new(), HashMap::new());
    let first = fresh_id(&store, &j, entry, &mut taken, &mut per_second).unwrap();
    assert!(first.starts_with("20230817-163000-"), "{first}");
    let second = fresh_id(&store, &j, entry, &mut taken, &mut per_second).unwrap();
    assert_ne!(first, second);
    per_second.insert(entry.observed_at.timestamp.as_second(), 1 << 16);
    assert_eq!(
        fresh_id(&store, &j, entry, &mut taken, &mut per_second),
        None
    );
}

#[test]
fn titles_are_the_first_line_cut_at_a_word() {
    assert_eq!(title_of("\n  First line  \nsecond"), "First line");
    assert_eq!(title_of(""), "");
    let long = "kata ".repeat(40);
    let t = title_of(&long);
    assert!(t.ends_with("kata…"), "{t}");
    assert!(t.chars().count() <= 100);
    let emoji = "😮\u{200d}💨".repeat(60);
    let t = title_of(&emoji);
    assert!(t.chars().count() <= 101, "{}", t.chars().count());
    assert!(!t.trim_end_matches('…').ends_with('\u{200d}'));
    assert!(t.trim_end_matches('…').ends_with('💨'));
}

#[test]
fn imported_metrics_give_engagement_per_account() {
    // What a `stats` command will compute: (likes + comments + shares) / views per
    // account, and the share of comments replied to once the researcher counts them.
    let mut j = journal();
    let p = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    apply_in_memory(&mut j, p);
    let mut per_account: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in &j.entries {
        let Some(m) = &e.metrics else { continue };
        let engaged = m.likes.unwrap_or(0) + m.comments.unwrap_or(0) + m.shares.unwrap_or(0);
        let slot = per_account.entry(e.accounts[0].as_str()).or_default();
        slot.0 += engaged;
        slot.1 += m.views.unwrap_or(0);
    }
    let rate = |h| {
        let (e, v) = per_account[h];
        (e as f64 / v as f64 * 1000.0).round() / 10.0
    };
    assert_eq!(rate("sari.contoh"), 7.0);
    assert_eq!(rate("glowkit.contoh"), 8.8);
    assert_eq!(rate("ketawa.contoh"), 5.5);
    let e = j
        .entries
        .iter_mut()
        .find(|e| e.source_id == "tiktok:7613748096618570196")
        .unwrap();
    e.metrics.as_mut().unwrap().replied_comments = Some(183);
    let m: &Metrics = e.metrics.as_ref().unwrap();
    let share = m.replied_comments.unwrap() as f64 / m.comments.unwrap() as f64;
    assert_eq!((share * 100.0).round(), 30.0);
    let again = plan(&j, posts("tiktok.ndjson"), &Options::new(now()));
    assert!(
        again.is_empty(),
        "re-import keeps the researcher's reply count"
    );
}
