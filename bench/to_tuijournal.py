#!/usr/bin/env python3
"""Turn `fieldnote list --format json` (standard input) into tui-journal's JSON backend
file (standard output): one entry per fieldnote entry, with its observed time (UTC), its
title (or its id when it has none, as bench/to_jrnl.py does), its body as the content
and its codes as tags, so that tui-journal can be timed on the same entries."""
import json
import sys
from datetime import datetime, timezone

entries = json.load(sys.stdin)
entries.sort(key=lambda e: e["observed_at"])
out = []
for n, e in enumerate(entries):
    when = datetime.fromisoformat(e["observed_at"]).astimezone(timezone.utc)
    out.append(
        {
            "id": n,
            "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "title": " ".join((e["title"] or e["id"]).split()),
            "content": e["body"],
            "tags": e["codes"],
            "priority": None,
        }
    )
json.dump(out, sys.stdout, ensure_ascii=False)
