"""Start folio in a pseudo-terminal of a given size, follow its screen, and stop it: shared
by the bench scripts."""
import fcntl, os, pty, select, signal, struct, termios, time


def spawn(binary, corpus, rows=24, cols=80):
    """Run `binary --corpus corpus` in a new pseudo-terminal; returns (pid, fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary, "--corpus", corpus])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def finish(pid, fd, settle=0.2):
    """Press q, then make sure the process is gone and reaped."""
    os.write(fd, b"q")
    time.sleep(settle)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)


class Follow:
    """The screen of a folio in a pseudo-terminal, rendered by pyte (pip install pyte)."""

    def __init__(self, fd, rows=24, cols=80):
        import pyte
        self.fd = fd
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    def pump(self, timeout):
        """Read what folio drew within `timeout` seconds."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if r:
            try:
                self.stream.feed(os.read(self.fd, 1 << 20))
            except OSError:
                pass

    def wait(self, pred, limit=60.0):
        """Read until `pred()` holds; returns the seconds it took."""
        t0 = time.monotonic()
        while not pred():
            if time.monotonic() - t0 > limit:
                raise SystemExit("timed out; screen:\n" + "\n".join(self.screen.display))
            self.pump(0.002)
        return time.monotonic() - t0
