#!/usr/bin/env python3
"""The event loop as a user feels it, for one or more folio binaries side by side:

- idle: CPU time folio uses over 5 s with a 1 MiB article open and no input;
- key: how long a `j` (scroll a line) in that article takes to reach the screen;
- locked: `r` then `j` pressed while another process holds a write transaction on
  folio.db for 6 s: how long each takes to reach the screen, and whether the read mark is
  on disk after the lock is released.

Usage: loop.py BIN [BIN ...]   (pip install pyte; each BIN is run in its own home)"""
import json, os, random, sqlite3, statistics, sys, tempfile, threading, time
from ptyrun import Follow, finish
import pty, fcntl, termios, struct

ROWS, COLS = 40, 120


def corpus(path):
    random.seed(7)
    words = ("the market tencent battery policy regulators chip exports yuan digital "
             "platform growth quarter investors analysts said company").split()
    paras, size = [], 0
    while size < 1 << 20:
        p = " ".join(random.choice(words) for _ in range(120)) + "."
        paras.append(p)
        size += len(p) + 2
    arts = [{"id": "big", "title": "A one-megabyte article", "body": "\n\n".join(paras),
             "date": "2024-05-01"},
            {"id": "small", "title": "A small article", "body": "Short text.",
             "date": "2024-04-01"}]
    with open(path, "w") as f:
        json.dump({"version": 1, "articles": arts}, f)


def spawn(binary, args, home):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"XDG_DATA_HOME": home + "/data", "XDG_STATE_HOME": home + "/state",
                           "XDG_CONFIG_HOME": home + "/config", "TERM": "xterm-256color"})
        os.environ.pop("TMUX", None)
        os.execv(binary, [binary] + args)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return pid, fd


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])


def reader_line(screen):
    """The first text line of the reading pane (right half of the screen)."""
    return screen.display[4][COLS // 2:]


def idle_and_key(binary, path):
    home = tempfile.mkdtemp(prefix="folio-loop-")
    pid, fd = spawn(binary, ["--corpus", path], home)
    t = Follow(fd, ROWS, COLS)
    t.wait(lambda: any("one-megabyte" in l for l in t.screen.display))
    os.write(fd, b"\r")
    t.wait(lambda: any("Reader" in l and "▶" in l for l in t.screen.display))
    time.sleep(1.0)
    t.pump(0)
    hz = os.sysconf("SC_CLK_TCK")
    c0 = cpu_ticks(pid)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 5.0:
        t.pump(0.1)
    idle_ms = (cpu_ticks(pid) - c0) * 1000.0 / hz
    lat = []
    for _ in range(40):
        before = reader_line(t.screen)
        s = time.monotonic()
        os.write(fd, b"j")
        t.wait(lambda: reader_line(t.screen) != before, 10)
        lat.append((time.monotonic() - s) * 1000)
        time.sleep(0.02)
        t.pump(0)
    finish(pid, fd)
    return idle_ms, statistics.median(lat), max(lat)


def locked(binary):
    home = tempfile.mkdtemp(prefix="folio-loop-")
    pid, fd = spawn(binary, [], home)
    t = Follow(fd, ROWS, COLS)
    t.wait(lambda: any("Articles" in l for l in t.screen.display))
    db = home + "/data/folio/folio.db"
    # Make sure the database exists with its tables (the first change creates nothing new).
    deadline = time.monotonic() + 10
    while not os.path.exists(db) and time.monotonic() < deadline:
        t.pump(0.05)
    hold = threading.Event()
    released = []

    def holder():
        c = sqlite3.connect(db, isolation_level=None, timeout=10)
        c.execute("BEGIN IMMEDIATE")
        c.execute("CREATE TABLE IF NOT EXISTS bench_lock(x)")
        hold.set()
        time.sleep(6)
        c.execute("COMMIT")
        released.append(time.monotonic())
        c.close()

    th = threading.Thread(target=holder)
    th.start()
    hold.wait()
    s = time.monotonic()
    os.write(fd, b"r")
    # The unread mark of the selected row goes.
    t.wait(lambda: t.screen.display[1][2] != "•", 30)
    r_ms = (time.monotonic() - s) * 1000
    first = t.screen.display[1]
    s = time.monotonic()
    os.write(fd, b"j")
    t.wait(lambda: t.screen.display[1] != first, 30)
    j_ms = (time.monotonic() - s) * 1000
    th.join()
    # On disk once the lock is gone.
    on_disk_after = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        t.pump(0.1)
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n = c.execute("SELECT count(*) FROM reading WHERE read = 1").fetchone()[0]
        c.close()
        if n:
            on_disk_after = (time.monotonic() - released[0]) * 1000
            break
    finish(pid, fd)
    return r_ms, j_ms, on_disk_after


def main():
    bins = sys.argv[1:]
    path = tempfile.mktemp(suffix=".json", prefix="folio-1mib-")
    corpus(path)
    rows = []
    for b in bins:
        idle, med, worst = idle_and_key(b, path)
        r_ms, j_ms, disk = locked(b)
        rows.append((b, idle, med, worst, r_ms, j_ms, disk))
    os.unlink(path)
    print("| binary | CPU over 5 s idle, 1 MiB article open | `j` in it: median / max | "
          "`r` with folio.db locked 6 s | then `j` | read mark on disk after the release |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for b, idle, med, worst, r_ms, j_ms, disk in rows:
        d = "never" if disk is None else "%.0f ms" % disk
        print("| %s | %.0f ms | %.1f / %.1f ms | %.0f ms | %.0f ms | %s |" % (
            b, idle, med, worst, r_ms, j_ms, d))


if __name__ == "__main__":
    main()
