//! Ctrl-C during `grader batch`: stop the tests too, keep what was graded.
//!
//! Not `interrupt::exit_cleanly_on_interrupt`, which blocks SIGINT and SIGTERM in every
//! thread: a blocked signal mask is inherited by the processes the grader starts (the tests,
//! and the children they start), so a test's `kill -TERM` no longer kills, and the processes
//! kata scores a correct answer below full marks. A handler that only raises a flag keeps the
//! mask empty, and exec resets a handled signal to its default action, so every test starts
//! as it would from a shell.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use nix::libc::c_int;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

use crate::cli::interrupt::stop_children;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn raise_flag(_: c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// On SIGINT or SIGTERM: stops every child (each test's whole process group), runs
/// `last_words`, and exits with status 130.
pub fn exit_cleanly_on_interrupt(last_words: impl FnOnce() + Send + 'static) -> Result<(), String> {
    // SA_RESTART: a grading thread waiting on a child or a pipe carries on until the exit.
    let action = SigAction::new(
        SigHandler::Handler(raise_flag),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe { sigaction(signal, &action) }
            .map_err(|e| format!("cannot take over Ctrl-C: {e}"))?;
    }
    std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            // Polling keeps the handler trivial; a tenth of a second is quick enough for a key.
            while !INTERRUPTED.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(100));
            }
            stop_children();
            last_words();
            std::process::exit(130);
        })
        .map_err(|e| format!("cannot take over Ctrl-C: {e}"))?;
    Ok(())
}
