#!/usr/bin/env python3
"""Turn `fieldnote list --format json` (standard input) into a jrnl plain-text journal
(standard output), so that jrnl can be timed on the same entries: one entry per
fieldnote entry, `[YYYY-MM-DD HH:MM] title`, the body, then its codes as jrnl tags
(`@code`), oldest first. The matching jrnl config uses timeformat `%Y-%m-%d %H:%M`."""
import json
import sys

entries = json.load(sys.stdin)
entries.sort(key=lambda e: e["observed_at"])
out = sys.stdout
for e in entries:
    when = e["observed_at"][:16].replace("T", " ")
    title = " ".join((e["title"] or e["id"]).split())
    out.write(f"[{when}] {title}\n")
    body = e["body"].strip()
    if body:
        out.write(body + "\n")
    if e["codes"]:
        out.write(" ".join("@" + c for c in e["codes"]) + "\n")
    out.write("\n")
