#!/usr/bin/env python3
"""The saved state of a heavy reader, side by side with an empty one, in one run: a
version 1 bookmarks.json of READ read entries and BOOKMARKS bookmarks (migrated into the
database on first use), then
  - `folio bookmarks add` (a note changed, so every run writes) as a whole process,
  - opening the reader (pseudo-terminal, 120x40) until the article list is drawn,
  - in the reader, `r` (or `b`) then `j`: from each key to the frame that shows it,
with the big store and with an empty one. With --before OLD_BIN, the same measurements of
an older folio (which kept bookmarks.json as its store) run in the same session.
Usage: store.py BIN [--before OLD_BIN] [--read N] [--bookmarks N] [--runs N]
(pip install pyte)"""
import argparse, json, os, select, shutil, statistics, subprocess, tempfile, time
import pyte
from ptyrun import finish

ap = argparse.ArgumentParser()
ap.add_argument("bin")
ap.add_argument("--before")
ap.add_argument("--read", type=int, default=100_000)
ap.add_argument("--bookmarks", type=int, default=2_000)
ap.add_argument("--runs", type=int, default=30)
args = ap.parse_args()
bins = {"now": os.path.abspath(args.bin)}
if args.before:
    bins["before"] = os.path.abspath(args.before)
work = tempfile.mkdtemp(prefix="folio-store-bench-")


def legacy(binary, n_read, n_book):
    ids = [a["id"] for a in json.loads(subprocess.run(
        [binary, "list", "--json"], capture_output=True, check=True).stdout)]
    bookmarks = {f"old-article-{i:05d}": {
        "added": "2025-03-01T10:00:00Z", "title": f"An article read long ago {i}",
        "note": "a note" if i % 5 == 0 else ""} for i in range(n_book)}
    reading = {f"old-article-{i:06d}": {"read": True} for i in range(n_read)}
    for i in ids:  # the shipped articles start unread and unbookmarked
        reading.pop(i, None)
    return {"version": 1, "bookmarks": bookmarks, "reading": reading}


def xdg_with(data):
    d = tempfile.mkdtemp(dir=work)
    os.makedirs(os.path.join(d, "folio"))
    if data is not None:
        with open(os.path.join(d, "folio", "bookmarks.json"), "w") as f:
            json.dump(data, f)
    return d


def env_for(xdg):
    return dict(os.environ, XDG_DATA_HOME=xdg, XDG_CONFIG_HOME=os.path.join(xdg, "config"))


def run(binary, xdg, *a):
    t0 = time.monotonic()
    p = subprocess.run([binary, *a], env=env_for(xdg), capture_output=True)
    return (time.monotonic() - t0) * 1000, p


def med(v):
    return statistics.median(v)


data = legacy(bins["now"], args.read, args.bookmarks)
stores = {}
for name, binary in bins.items():
    for size in ("big", "empty"):
        stores[(name, size)] = (binary, xdg_with(data if size == "big" else None))
binary, big = stores[("now", "big")]
ms, p = run(binary, big, "bookmarks", "list")
print(f"== migrating a bookmarks.json of {len(json.dumps(data)) / 1e6:.1f} MB "
      f"({args.read} read, {args.bookmarks} bookmarks) on first use: {ms:.0f} ms, "
      f"{len(p.stdout.decode().splitlines())} bookmarks listed; "
      f"database {os.path.getsize(os.path.join(big, 'folio', 'folio.db')) / 1e6:.1f} MB")
for k, (b, x) in stores.items():
    run(b, x, "bookmarks", "list")

print(f"== folio bookmarks add (a note changed each run, so each run writes), {args.runs} runs each, interleaved")
add = {k: [] for k in stores}
for i in range(args.runs):
    for k, (b, x) in stores.items():
        ms, p = run(b, x, "bookmarks", "add", "japan", "--note", f"note {i}")
        assert p.returncode == 0, p.stderr
        add[k].append(ms)
for k, v in add.items():
    v.sort()
    print(f"   {k[0]:6} {k[1]:5}: median {med(v):6.1f} ms, p90 {v[int(len(v) * 0.9)]:6.1f} ms, max {v[-1]:6.1f} ms")


class Reader:
    def __init__(self, binary, xdg, cols=120, rows=40):
        import fcntl, pty, struct, termios
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.update(env_for(xdg))
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
        # The selected row: the first one drawn on a background colour, under the title.
        for y in range(1, self.screen.lines - 1):
            for x in (1, 2):
                if self.screen.buffer[y][x].bg != "default":
                    return y
        return None

    def status(self):
        return self.screen.display[-1]


def open_time(binary, xdg):
    t0 = time.monotonic()
    r = Reader(binary, xdg)
    r.wait(lambda: any("Articles" in l for l in r.screen.display))
    ms = (time.monotonic() - t0) * 1000
    finish(r.pid, r.fd, 0.1)
    return ms


print("== opening the reader (120x40, built-in corpus) until the article list shows, 10 runs each, interleaved")
opens = {k: [] for k in stores}
for _ in range(10):
    for k, (b, x) in stores.items():
        opens[k].append(open_time(b, x))
for k, v in opens.items():
    print(f"   {k[0]:6} {k[1]:5}: median {med(v):4.0f} ms (runs {', '.join('%.0f' % x for x in v)})")
for name in bins:
    print(f"   {name}: the big store adds {med(opens[(name, 'big')]) - med(opens[(name, 'empty')]):.0f} ms at the median")

print("== in the reader: a key that saves, then j at once; from the keys to the frame that shows the next row selected (20 pairs)")
for key in ("r", "b"):
    for k, (b, x) in stores.items():
        r = Reader(b, x)
        r.wait(lambda: r.selected_row() is not None)
        lat = []
        for _ in range(20):
            r.pump(0.05)
            before = r.selected_row()
            t0 = time.monotonic()
            os.write(r.fd, key.encode() + b"j")
            r.wait(lambda: r.selected_row() not in (None, before))
            lat.append((time.monotonic() - t0) * 1000)
            time.sleep(0.05)
            if r.selected_row() > 30:
                os.write(r.fd, b"g")
                r.wait(lambda: r.selected_row() is not None and r.selected_row() < 5)
        finish(r.pid, r.fd, 0.1)
        lat.sort()
        print(f"   {k[0]:6} {k[1]:5} `{key}` then `j`: median {med(lat):6.1f} ms, p90 {lat[int(len(lat) * 0.9)]:6.1f} ms, max {lat[-1]:6.1f} ms")
shutil.rmtree(work, ignore_errors=True)
