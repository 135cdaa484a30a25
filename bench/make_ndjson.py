#!/usr/bin/env python3
"""Make a big Zeeschuimer NDJSON export for benchmarks: the lines of the TikTok sample
replicated with new post ids (same creation second, so the ids stay plausible) and
handles spread over ACCOUNTS accounts.

    python3 bench/make_ndjson.py 100000 50 /tmp/big.ndjson
"""
import json
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "shared/interop/samples/tiktok.ndjson"


def main():
    lines, accounts, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    sample = SAMPLE if len(sys.argv) < 5 else Path(sys.argv[4])
    originals = []
    for line in sample.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        author = item["data"]["author"]
        handle = author if isinstance(author, str) else author["uniqueId"]
        originals.append((line, item["item_id"], handle))
    with open(out, "w", encoding="utf-8") as f:
        for i in range(lines):
            line, post_id, handle = originals[i % len(originals)]
            new_id = str((int(post_id) >> 32 << 32) | i)
            new_handle = f"{handle}{i % accounts}"
            f.write(line.replace(post_id, new_id).replace(handle, new_handle) + "\n")


if __name__ == "__main__":
    main()
