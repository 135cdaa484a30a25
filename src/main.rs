fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    fieldnote::cli::run()
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
