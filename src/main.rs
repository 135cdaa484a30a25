/// Loading a journal makes and frees a few strings per entry on every core; with
/// glibc's allocator that was a sixth of a start (its per-thread arenas grow a page
/// range at a time). mimalloc made a 10,000-entry `list` 15–22% faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    ignore_sigxfsz();
    fieldnote::cli::run()
}

/// Writing past the file-size limit (`ulimit -f`) sends SIGXFSZ, which kills the process
/// without a word. Ignored, the write fails with EFBIG instead: the save is refused with
/// a message, the old file kept, and the interface keeps running.
fn ignore_sigxfsz() {
    #[cfg(unix)]
    // SAFETY: ignoring a signal at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Rust ignores SIGPIPE, so `fieldnote list | head` would panic on the closed pipe;
/// like other Unix tools, end quietly instead.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default at start-up, before any
    // thread exists, has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
