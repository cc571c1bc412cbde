"""Start folio in a pseudo-terminal of a given size, and stop it: shared by first_frame.py
and keystroke.py."""
import fcntl, os, pty, signal, struct, termios, time


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
