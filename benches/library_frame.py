#!/usr/bin/env python3
"""The reader on the library (XDG_DATA_HOME from the environment) in a pseudo-terminal
(80x24), its screen followed with pyte: time to the first frame with the article list, time
until the whole library is loaded ("library open", or at once for a library small enough to
open whole), and the process's peak memory (VmHWM) once it has settled.
Usage: library_frame.py BIN   (pip install pyte)"""
import os, sys, time
from ptyrun import Follow, finish
import pty, fcntl, termios, struct

binary = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
t0 = time.monotonic()
term = Follow(fd)
text = lambda: "\n".join(term.screen.display)
listed = term.wait(lambda: "Articles" in text(), limit=120.0)
term.pump(0.3)
if "opening the library" in text():
    term.wait(lambda: "library open" in text(), limit=300.0)
    whole = time.monotonic() - t0
else:
    whole = listed
time.sleep(2.0)
term.pump(0)
peak = 0
with open("/proc/%d/status" % pid) as f:
    for line in f:
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
finish(pid, fd)
print("first frame with the list %.0f ms; whole library %.0f ms; peak %d MB" % (
    listed * 1000, whole * 1000, peak // 1024))
