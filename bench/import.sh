#!/bin/sh
# Time `fieldnote import` of a 100k-line export into a fresh journal, then a re-import.
# Usage: bench/import.sh [LINES] [WORKDIR]   (builds --release first)
set -eu
LINES=${1:-100000}
WORK=${2:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --manifest-path "$HERE/Cargo.toml"
BIN="$HERE/target/release/fieldnote"
python3 "$HERE/bench/make_ndjson.py" "$LINES" 50 "$WORK/big.ndjson"
ls -l "$WORK/big.ndjson"
rm -rf "$WORK/journal"
"$BIN" init "$WORK/journal" --no-git --timezone Asia/Jakarta >/dev/null
echo "== import into a fresh journal"
/usr/bin/time -f "%e s elapsed, %M KB max RSS" "$BIN" -J "$WORK/journal" import zeeschuimer "$WORK/big.ndjson" >/dev/null
echo "== re-import (nothing changes)"
/usr/bin/time -f "%e s elapsed, %M KB max RSS" "$BIN" -J "$WORK/journal" import zeeschuimer "$WORK/big.ndjson" >/dev/null
echo "== check"
/usr/bin/time -f "%e s elapsed" "$BIN" -J "$WORK/journal" check
