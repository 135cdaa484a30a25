#!/usr/bin/env python3
"""Time from launching a terminal program until a text is on its screen, in tmux.

    bench/launch.py RUNS TEXT -- COMMAND...

Starts COMMAND in a detached 120x40 tmux session, reads the screen with
`tmux capture-pane` in a loop until TEXT appears, and prints the median and the
spread (min–max) over RUNS launches as `median_s min_s max_s`. Each run ends the
session. Reading the screen costs the same for every program measured, so compare
programs by the ratio of their figures in one run."""
import shlex
import statistics
import subprocess
import sys
import time

runs = int(sys.argv[1])
text = sys.argv[2]
command = " ".join(shlex.quote(a) for a in sys.argv[sys.argv.index("--") + 1 :])
session = f"launch-{time.monotonic_ns()}"


def tmux(*args, **kw):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, **kw)


times = []
for _ in range(runs):
    start = time.monotonic()
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    seen = None
    while time.monotonic() - start < 60:
        screen = tmux("capture-pane", "-p", "-t", session).stdout
        if text in screen:
            seen = time.monotonic() - start
            break
        # Polling without a pause would take a core from the program measured.
        time.sleep(0.005)
    tmux("kill-session", "-t", session)
    if seen is None:
        sys.exit(f"launch.py: {text!r} never appeared on the screen of: {command}")
    times.append(seen)
    time.sleep(0.3)
print(f"{statistics.median(times):.3f} {min(times):.3f} {max(times):.3f}")
