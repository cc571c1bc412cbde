#!/usr/bin/env python3
"""How long a typed character takes to appear in folio's search box while results for a
large corpus are being computed: folio runs in a pseudo-terminal (80x24), pyte renders the
screen, and each character of the query is typed only after the previous one showed.
Usage: keystroke.py BIN CORPUS [QUERY ...]   (pip install pyte)"""
import os, statistics, sys, time
from ptyrun import Follow, spawn, finish

binary, corpus = sys.argv[1], sys.argv[2]
queries = sys.argv[3:] or ["tencent battery", "metavrse", "digital yuan"]
pid, fd = spawn(binary, corpus)
term = Follow(fd)
screen, pump, wait = term.screen, term.pump, term.wait

wait(lambda: any("Articles" in l for l in screen.display))
lat = []
for q in queries:
    os.write(fd, b"/")
    wait(lambda: screen.display[0].startswith("/ "))
    # The box opens on the current query: clear it first.
    time.sleep(0.2)
    pump(0)
    old = screen.display[0][2:].rstrip()
    if old:
        os.write(fd, b"\x7f" * len(old))
        wait(lambda: screen.display[0].rstrip() == "/")
        time.sleep(1.0)
        pump(0)
    typed = ""
    for ch in q:
        typed += ch
        t0 = time.monotonic()
        os.write(fd, ch.encode())
        wait(lambda: screen.display[0].startswith("/ " + typed))
        lat.append((time.monotonic() - t0) * 1000)
    # Let the search finish, then leave the box.
    time.sleep(1.0)
    pump(0)
    os.write(fd, b"\x1b")
    time.sleep(0.3)
    pump(0)
finish(pid, fd, 0.3)
lat.sort()
print("keystroke to screen, %d keys: median %.1f ms, p90 %.1f ms, max %.1f ms" % (
    len(lat), statistics.median(lat), lat[int(len(lat) * 0.9)], lat[-1]))
