#!/usr/bin/env python3
"""Time from starting `folio --corpus FILE` in a pseudo-terminal (80x24) to the first frame
of the loading screen and of the article list. Usage: first_frame.py BIN FILE [RUNS]"""
import os, select, statistics, sys, time
from ptyrun import spawn, finish

def once(binary, corpus):
    pid, fd = spawn(binary, corpus)
    t0 = time.monotonic()
    buf, loading, listed = b"", None, None
    while listed is None and time.monotonic() - t0 < 60:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            now = time.monotonic() - t0
            if loading is None and b"Loading" in buf:
                loading = now
            if b"Articles" in buf:
                listed = now
    finish(pid, fd)
    return loading, listed

binary, corpus = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
results = [once(binary, corpus) for _ in range(runs)]
ls = [r[0] for r in results if r[0] is not None]
fs = [r[1] for r in results if r[1] is not None]
print("%s: loading screen median %s ms; article list median %s ms (runs: %s)" % (
    os.path.basename(corpus),
    "%.0f" % (statistics.median(ls) * 1000) if ls else "-",
    "%.0f" % (statistics.median(fs) * 1000) if fs else "-",
    ", ".join("%.0f" % (f * 1000) for f in fs)))
