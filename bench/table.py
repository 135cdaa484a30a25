#!/usr/bin/env python3
"""Print criterion's latest medians (target/criterion) as a Markdown table: one row per
benchmark, one column per journal size. Run after `cargo bench --bench journal`."""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
rows, sizes = {}, set()
for path in glob.glob(os.path.join(root, "*", "*", "*", "new", "estimates.json")):
    with open(os.path.join(os.path.dirname(path), "benchmark.json")) as f:
        bench = json.load(f)
    with open(path) as f:
        median = json.load(f)["median"]["point_estimate"]  # nanoseconds
    name = f'{bench["group_id"]}/{bench["function_id"]}'
    size = int(bench["value_str"])
    rows.setdefault(name, {})[size] = median
    sizes.add(size)


def shown(ns):
    if ns is None:
        return "–"
    if ns >= 1e9:
        return f"{ns / 1e9:.2f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.1f} ms" if ns < 1e8 else f"{ns / 1e6:.0f} ms"
    return f"{ns / 1e3:.0f} µs"


sizes = sorted(sizes)
print("| benchmark | " + " | ".join(f"{s:,} entries" for s in sizes) + " |")
print("|---|" + "---|" * len(sizes))
for name in sorted(rows):
    print(f"| {name} | " + " | ".join(shown(rows[name].get(s)) for s in sizes) + " |")
