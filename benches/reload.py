#!/usr/bin/env python3
"""Typing while a large corpus reloads: folio runs in a pseudo-terminal (80x24) on a JSON
Lines corpus; one article is appended to the file, and while folio loads and indexes the
whole file again in the background, a query is typed into the search box one character at a
time, each only after the previous one showed. Reports each keystroke's echo time during
the reload, and how long until the new article was announced.
Usage: reload.py BIN CORPUS.jsonl   (pip install pyte; the corpus file is restored after)"""
import os, shutil, statistics, sys, time
from ptyrun import Follow, spawn, finish

binary, corpus = sys.argv[1], sys.argv[2]
backup = corpus + ".bench-backup"
shutil.copyfile(corpus, backup)
try:
    pid, fd = spawn(binary, corpus)
    term = Follow(fd)
    screen, pump = term.screen, term.pump

    def wait(pred):
        return term.wait(pred, limit=120.0)

    wait(lambda: any("Articles" in l for l in screen.display))
    time.sleep(1.5)
    pump(0)
    os.write(fd, b"/")
    wait(lambda: screen.display[0].startswith("/ "))
    with open(corpus, "a") as f:
        f.write('{"id": "reload-bench-new", "title": "A story appended while the reader was open", '
                '"body": "It arrived late.", "date": "2026-12-01"}\n')
    t_append = time.monotonic()
    lat = []
    typed = ""
    announced = None
    text = "tencent battery metaverse cloud digital yuan"
    while announced is None and time.monotonic() - t_append < 60:
        for ch in text:
            typed += ch
            t0 = time.monotonic()
            os.write(fd, ch.encode())
            wait(lambda: screen.display[0].startswith("/ " + typed))
            lat.append((time.monotonic() - t0) * 1000)
            if announced is None and any("new article" in l for l in screen.display):
                announced = time.monotonic() - t_append
        # Clear the box and type again until the reload is done.
        os.write(fd, b"\x15")
        typed = ""
        wait(lambda: screen.display[0].rstrip() == "/")
    finish(pid, fd, 0.3)
    lat.sort()
    print("keystroke echo while a %s corpus reloads, %d keys: median %.1f ms, p90 %.1f ms, max %.1f ms; "
          "new article announced after %s s" % (
              "%.0f MB" % (os.path.getsize(backup) / 1e6), len(lat), statistics.median(lat),
              lat[int(len(lat) * 0.9)], lat[-1], "%.1f" % announced if announced else "-"))
finally:
    shutil.move(backup, corpus)
