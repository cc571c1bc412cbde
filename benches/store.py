#!/usr/bin/env python3
"""The saved state of a heavy reader, side by side with an empty one, in one run:
a version 1 bookmarks.json of READ read entries and BOOKMARKS bookmarks is migrated into
the database, then
  - `folio bookmarks add` (a note changed, so every run writes) as a whole process,
  - opening the reader (pseudo-terminal, 120x40) until the article list is drawn,
  - in the reader, `r` (or `b`) then `j`: from the key to the frame that shows it,
are timed with the big store and with an empty one.
Usage: store.py BIN [READ] [BOOKMARKS] [RUNS]   (pip install pyte)"""
import json, os, select, shutil, statistics, subprocess, sys, tempfile, time
import pyte
from ptyrun import finish

binary = os.path.abspath(sys.argv[1])
n_read = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
n_book = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 30
work = tempfile.mkdtemp(prefix="folio-store-bench-")


def legacy(n_read, n_book):
    ids = [a["id"] for a in json.loads(subprocess.run(
        [binary, "list", "--json"], capture_output=True, check=True).stdout)]
    bookmarks = {f"old-article-{i:05d}": {
        "added": "2025-03-01T10:00:00Z", "title": f"An article read long ago {i}",
        "note": "a note" if i % 5 == 0 else ""} for i in range(n_book)}
    reading = {f"old-article-{i:06d}": {"read": True} for i in range(n_read)}
    # The shipped articles are unread and not bookmarked, so r and b change them.
    for i in ids:
        reading.pop(i, None)
    return {"version": 1, "bookmarks": bookmarks, "reading": reading}


def xdg_with(data):
    d = tempfile.mkdtemp(dir=work)
    os.makedirs(os.path.join(d, "folio"))
    if data is not None:
        with open(os.path.join(d, "folio", "bookmarks.json"), "w") as f:
            json.dump(data, f)
    return d


def run(xdg, *args):
    env = dict(os.environ, XDG_DATA_HOME=xdg)
    t0 = time.monotonic()
    p = subprocess.run([binary, *args], env=env, capture_output=True)
    return (time.monotonic() - t0) * 1000, p


def med(v):
    return statistics.median(v)


stores = {}
data = legacy(n_read, n_book)
size = len(json.dumps(data))
big = xdg_with(data)
ms, p = run(big, "bookmarks", "list")
listed = len(p.stdout.decode().splitlines())
print(f"== migration of bookmarks.json ({size / 1e6:.1f} MB: {n_read} read, {n_book} bookmarks): "
      f"{ms:.0f} ms, then {listed} bookmarks listed; stderr: {p.stderr.decode().strip()[:120]}")
db = os.path.join(big, "folio", "folio.db")
print(f"   database {os.path.getsize(db) / 1e6:.1f} MB")
stores["big"] = big
stores["empty"] = xdg_with(None)
run(stores["empty"], "bookmarks", "list")

print(f"== folio bookmarks add (a note changed each run), {runs} runs each, alternating")
add = {k: [] for k in stores}
for i in range(runs):
    for k, x in stores.items():
        ms, p = run(x, "bookmarks", "add", "japan", "--note", f"note {i}")
        assert p.returncode == 0, p.stderr
        add[k].append(ms)
for k, v in add.items():
    v.sort()
    print(f"   {k:5}: median {med(v):.1f} ms, p90 {v[int(len(v) * 0.9)]:.1f} ms, max {v[-1]:.1f} ms")
print(f"   ratio big/empty: {med(add['big']) / med(add['empty']):.2f}")


class Reader:
    def __init__(self, xdg, cols=120, rows=40):
        import fcntl, pty, struct, termios
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["XDG_DATA_HOME"] = xdg
            os.execv(binary, [binary])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    def pump(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if r:
            try:
                self.stream.feed(os.read(self.fd, 1 << 20))
            except OSError:
                pass

    def wait(self, pred, limit=20.0):
        t0 = time.monotonic()
        while not pred():
            if time.monotonic() - t0 > limit:
                raise SystemExit("timed out; screen:\n" + "\n".join(self.screen.display))
            self.pump(0.001)
        return (time.monotonic() - t0) * 1000

    def selected_row(self):
        # The selected row is the one drawn in the selection colour (bold on blue).
        for y in range(self.screen.lines):
            row = self.screen.buffer[y]
            if row[2].bg == "blue":
                return y
        return None

    def status(self):
        return self.screen.display[-1]


def open_time(xdg):
    t0 = time.monotonic()
    r = Reader(xdg)
    r.wait(lambda: any("Articles" in l for l in r.screen.display))
    ms = (time.monotonic() - t0) * 1000
    finish(r.pid, r.fd, 0.1)
    return ms


print("== opening the reader (120x40, built-in corpus) until the article list shows, 10 runs each")
opens = {k: [] for k in stores}
for _ in range(10):
    for k, x in stores.items():
        opens[k].append(open_time(x))
for k, v in opens.items():
    print(f"   {k:5}: median {med(v):.0f} ms (runs {', '.join('%.0f' % x for x in v)})")
print(f"   the big store adds {med(opens['big']) - med(opens['empty']):.0f} ms at the median")

print("== in the reader: a key that saves, then j; from each key to the frame that shows it")
for key, said in (("r", "marked"), ("b", "bookmark")):
    for k, x in stores.items():
        r = Reader(x)
        r.wait(lambda: r.selected_row() is not None)
        saves, moves = [], []
        for _ in range(20):
            r.pump(0.05)
            before = r.selected_row()
            t0 = time.monotonic()
            os.write(r.fd, key.encode())
            r.wait(lambda: said in r.status())
            saves.append((time.monotonic() - t0) * 1000)
            t0 = time.monotonic()
            os.write(r.fd, b"j")
            r.wait(lambda: r.selected_row() not in (None, before))
            moves.append((time.monotonic() - t0) * 1000)
            if r.selected_row() > 30:
                os.write(r.fd, b"g")
                r.wait(lambda: r.selected_row() is not None and r.selected_row() < 5)
        finish(r.pid, r.fd, 0.1)
        saves.sort()
        moves.sort()
        print(f"   {k:5} `{key}`: median {med(saves):.1f} ms, max {saves[-1]:.1f} ms; "
              f"then `j`: median {med(moves):.1f} ms, max {moves[-1]:.1f} ms")
shutil.rmtree(work, ignore_errors=True)
