//! The calls into the C library folio needs, and the only place with `unsafe` code.
#![allow(unsafe_code)]

/// Whether standard input's terminal has hung up (its window closed, tmux killed): the tty
/// reports POLLHUP.
pub fn stdin_hung_up() -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd that lives through the call, zero timeout.
    let n = unsafe { libc::poll(&raw mut fds, 1, 0) };
    n > 0 && (fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL)) != 0
}

/// Lower the calling thread's priority (nice 10), so the UI thread has the CPU first; on
/// a two-core machine both cores may be busy when a key arrives, and its echo must not
/// wait. Threads started from the calling thread inherit it. Linux gives each thread its
/// own nice value (`setpriority` with `PRIO_PROCESS` and 0 names the calling thread there);
/// elsewhere this lowers the whole process, which is harmless.
pub fn lower_priority() {
    // SAFETY: no pointers; an error (no permission) leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, 10);
    }
}
