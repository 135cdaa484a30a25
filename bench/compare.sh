#!/usr/bin/env bash
# Whole commands side by side, in one run, with hyperfine: fieldnote against reading the
# same files with `cat` (the floor: no program can load the journal faster than the files
# can be read) and against jrnl (installed from PyPI into a temporary venv) on the same
# entries exported to jrnl's plain-text format. Prints each time and the ratios.
#
# Then the launch of the two terminal interfaces, in tmux, until the newest entry's title
# is on the screen (bench/launch.py): fieldnote (with its load cache, without, and on a
# first start that builds the cache while it takes keys) against
# tui-journal 0.18 (`cargo install tui-journal`, done here when missing) on the same
# entries in its JSON backend (bench/to_tuijournal.py).
#
#   bench/compare.sh [N ...]          journal sizes (default: 10000 100000)
#
# Journals are generated once into target/compare/ (`fieldnote demo --entries N`); jrnl's
# venv lives there too. Needs python3 (for the venv); installs hyperfine if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
work=target/compare
mkdir -p "$work"

if ! command -v hyperfine >/dev/null; then
  echo "== installing hyperfine"
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null
  fi
  command -v hyperfine >/dev/null || cargo install --locked hyperfine
fi

echo "== building fieldnote (release)"
cargo build --release --locked --quiet
bin=$PWD/target/release/fieldnote

jrnl=$PWD/$work/venv/bin/jrnl
if [ ! -x "$jrnl" ]; then
  echo "== installing jrnl into $work/venv"
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet jrnl
fi
echo "   $("$jrnl" --version | head -1), $(hyperfine --version)"

# A jrnl config for one journal file: plain output, the time format to_jrnl.py writes.
jrnl_config() {
  cat >"$1" <<EOF
colors: {body: none, date: none, tags: none, title: none}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
indent_character: '|'
journals:
  default:
    journal: $2
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%Y-%m-%d %H:%M'
version: v4.6
EOF
}

for n in "${sizes[@]}"; do
  journal=$PWD/$work/journal-$n
  if [ ! -f "$journal/journal.toml" ]; then
    echo "== generating a journal of $n entries"
    "$bin" demo --entries "$n" --no-open "$journal" >/dev/null 2>&1
  fi
  text=$PWD/$work/jrnl-$n.txt
  config=$PWD/$work/jrnl-$n.yaml
  if [ ! -f "$text" ]; then
    "$bin" -J "$journal" list --format json | python3 bench/to_jrnl.py >"$text"
  fi
  jrnl_config "$config" "$text"
  "$jrnl" --config-file "$config" -n 1 --short >/dev/null 2>&1 # let jrnl settle its config
  "$bin" -J "$journal" list -n 1 >/dev/null                     # the load cache, as on any later start

  runs=10
  [ "$n" -lt 50000 ] || runs=3
  files="find '$journal/entries' -name '*.toml' -exec cat {} +"
  echo
  echo "== $n entries ($(du -sh --apparent-size "$journal/entries" | cut -f1) of entry files; jrnl file $(du -sh --apparent-size "$text" | cut -f1))"
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$work/results-$n.json" \
    -n "cat (floor)" "$files" \
    -n "stat (floor with a cache)" "find '$journal/entries' -name '*.toml' -printf '%s\\n'" \
    -n "fieldnote first frame" "FIELDNOTE_FIRST_FRAME_ONLY=120x40 $bin -J '$journal'" \
    -n "fieldnote first frame (no cache)" "FIELDNOTE_NO_CACHE=1 FIELDNOTE_FIRST_FRAME_ONLY=120x40 $bin -J '$journal'" \
    -n "fieldnote list" "$bin -J '$journal' list" \
    -n "fieldnote list --code live" "$bin -J '$journal' list --code live" \
    -n "fieldnote list --code live --code duet" "$bin -J '$journal' list --code live --code duet" \
    -n "fieldnote list --text kulitku" "$bin -J '$journal' list --text kulitku" \
    -n "jrnl --short (all)" "$jrnl --config-file '$config' -n 100000000 --short" \
    -n "jrnl @live --short" "$jrnl --config-file '$config' @live --short" \
    -n "jrnl -and @live @duet --short" "$jrnl --config-file '$config' -and @live @duet --short" \
    -n "jrnl -contains kulitku --short" "$jrnl --config-file '$config' -contains kulitku --short" \
    >"$work/hyperfine-$n.log" 2>&1 || {
    cat "$work/hyperfine-$n.log"
    exit 1
  }
  python3 - "$work/results-$n.json" <<'EOF'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
mean = lambda name: results[name]["mean"]
floor = mean("cat (floor)")
stat = mean("stat (floor with a cache)")
print(f"{'command':40} {'mean':>9} {'± sd':>8} {'× cat':>7} {'× stat':>7}")
for name, r in results.items():
    print(f"{name:40} {r['mean']:8.3f}s {r['stddev']:7.3f}s {r['mean'] / floor:6.2f}× {r['mean'] / stat:6.2f}×")
print()
for what, ours, theirs in [
    ("list everything", "fieldnote list", "jrnl --short (all)"),
    ("filter by a code/tag", "fieldnote list --code live", "jrnl @live --short"),
    ("filter by two codes", "fieldnote list --code live --code duet", "jrnl -and @live @duet --short"),
    ("search the text", "fieldnote list --text kulitku", "jrnl -contains kulitku --short"),
]:
    print(f"{what:22} fieldnote is {mean(theirs) / mean(ours):5.1f}× faster than jrnl")
EOF

  tuij=$(command -v tjournal || true)
  if [ -z "$tuij" ]; then
    echo "== installing tui-journal"
    cargo install --locked tui-journal --version '^0.18' --quiet
    tuij=$(command -v tjournal)
  fi
  entries_json=$PWD/$work/tuijournal-$n.json
  if [ ! -f "$entries_json" ]; then
    "$bin" -J "$journal" list --format json | python3 bench/to_tuijournal.py >"$entries_json"
  fi
  config=$PWD/$work/tuijournal-config-$n
  mkdir -p "$config"
  # The newest title as both draw it at the top (cut: rows are narrow).
  newest=$("$bin" -J "$journal" list -n 1 --format json |
    python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; print((e["title"] or e["id"])[:15])')
  launches=7
  echo
  echo "== $n entries: launch until the newest title («$newest») is on the screen, median of $launches (min–max)"
  # fieldnote shows its newest entries first, then the whole journal: its status bar
  # then counts "N/N", and keys are taken.
  ours=$(python3 bench/launch.py $launches "$newest" -- "$bin" -J "$journal")
  ours_whole=$(python3 bench/launch.py $launches "$n/$n" -- "$bin" -J "$journal")
  ours_cold=$(python3 bench/launch.py $launches "$newest" -- env FIELDNOTE_NO_CACHE=1 "$bin" -J "$journal")
  ours_cold_whole=$(python3 bench/launch.py $launches "$n/$n" -- env FIELDNOTE_NO_CACHE=1 "$bin" -J "$journal")
  # The first start: no cache, which the interface builds while it takes keys.
  ours_first_whole=$(python3 bench/launch.py $launches "$n/$n" -- \
    sh -c "rm -rf '$journal/.fieldnote/cache' && exec '$bin' -J '$journal'")
  "$bin" -J "$journal" list -n 1 >/dev/null # the whole cache again, for the next size
  theirs=$(python3 bench/launch.py $launches "$newest" -- "$tuij" -c "$config" -b json -j "$entries_json")
  python3 - "$work/results-$n.json" "$ours" "$ours_whole" "$ours_cold" "$ours_cold_whole" "$ours_first_whole" "$theirs" <<'EOF'
import json, sys
results = {r["command"]: r["mean"] for r in json.load(open(sys.argv[1]))["results"]}
names = ["fieldnote", "fieldnote, whole journal", "fieldnote, no cache",
         "fieldnote, no cache, whole", "fieldnote, first start, whole", "tui-journal 0.18 (JSON)"]
figures = {name: [float(x) for x in value.split()] for name, value in zip(names, sys.argv[2:])}
cat, stat = results["cat (floor)"], results["stat (floor with a cache)"]
print(f"{'':28} {'median':>8}  {'(min–max)':15} {'× stat':>7} {'× cat':>6}")
for name, (median, low, high) in figures.items():
    print(f"{name:28} {median:7.3f}s  ({low:.3f}–{high:.3f})  {median / stat:6.2f}× {median / cat:5.2f}×")
theirs = figures["tui-journal 0.18 (JSON)"][0]
for name in names[:5]:
    print(f"{name:28} is {theirs / figures[name][0]:4.1f}× as fast as tui-journal")
EOF
done
